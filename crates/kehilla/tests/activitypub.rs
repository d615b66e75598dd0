//! ActivityPub between two Kehilla instances on loopback, with real HTTP signatures: one
//! organization follows another, is accepted, receives its post, replies, sees the edit and
//! the deletion; forged, replayed and misdirected deliveries are refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp};

async fn instance(slug: &str) -> (TestApp, crate::support::Browser) {
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up(slug, &format!("owner@{slug}.example")).await;
    (app, owner)
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = kehilla_db::sqlx::query_as(kehilla_db::sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    n
}

/// A signed POST of `activity` to `inbox`, as `org` of `from` signs it (optionally spoiled).
async fn deliver_signed(
    from: &TestApp,
    org: i64,
    slug: &str,
    inbox: &str,
    activity: &Value,
    spoil: bool,
) -> reqwest::Response {
    let (_, key) = kehilla_app::home::activitypub::keys(&from.db, &from.settings, org)
        .await
        .unwrap();
    let body = serde_json::to_vec(activity).unwrap();
    let key_id = format!(
        "{}#main-key",
        kehilla_app::home::activitypub::actor_url(&from.base, slug)
    );
    let mut headers =
        kehilla_app::home::activitypub::sign(&key, &key_id, "POST", inbox, Some(&body)).unwrap();
    if spoil {
        for (k, v) in headers.iter_mut() {
            if k == "signature" {
                *v = v.replace("signature=\"", "signature=\"AAAA");
            }
        }
    }
    let mut req = reqwest::Client::new()
        .post(inbox)
        .header("content-type", "application/activity+json");
    for (k, v) in &headers {
        req = req.header(k.as_str(), v.as_str());
    }
    req.body(body).send().await.unwrap()
}

#[tokio::test]
async fn two_instances_federate_follow_deliver_reply_edit_and_delete() {
    let (a, a_owner) = instance("yad").await;
    let (b, b_owner) = instance("green").await;
    let a_host = kehilla_app::home::activitypub::host(&a.base);

    // WebFinger and the actor.
    let wf: Value = reqwest::get(a.url(&format!(
        "/.well-known/webfinger?resource=acct:yad@{a_host}"
    )))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let actor = a.url("/ap/o/yad");
    assert_eq!(wf["links"][0]["href"], actor.as_str());
    let doc: Value = reqwest::Client::new()
        .get(&actor)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["type"], "Organization");
    assert_eq!(doc["preferredUsername"], "yad");
    assert!(
        doc["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    let r = reqwest::get(a.url(&format!(
        "/.well-known/webfinger?resource=acct:nobody@{a_host}"
    )))
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // B's organization follows A's: Follow → Accept, both signed, no approval.
    let r = b_owner
        .post_form(
            "/orgs/green/site/fediverse/follow",
            &[("handle", &format!("@yad@{a_host}"))],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    b.run_pending_jobs().await;
    assert_eq!(count(&a, "SELECT COUNT(*) FROM ap_followers").await, 1);
    a.run_pending_jobs().await;
    assert_eq!(
        count(&b, "SELECT COUNT(*) FROM ap_following WHERE accepted = 1").await,
        1
    );
    let (_, admin) = a_owner.get_text("/orgs/yad/site").await;
    assert!(
        admin.contains("id=\"fedi-followers\">1 עוקבים"),
        "the follower count"
    );

    // A publishes: the post reaches B, signed.
    let token = a_owner.create_token("yad", "write").await;
    let v: Value = reqwest::Client::new()
        .post(a.url("/api/v1/orgs/yad/posts"))
        .bearer_auth(&token)
        .json(&json!({"kind": "story", "title": "300 סלי מזון",
                      "body": "120 מתנדבים ארזו 300 סלי מזון. #התנדבות #חיפה"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let post_id = v["id"].as_str().unwrap().to_string();
    kehilla_db::sqlx::query(
        "UPDATE posts SET status = 'published', published_at = $1 WHERE public_id = $2",
    )
    .bind(kehilla_db::now_ms())
    .bind(&post_id)
    .execute(&a.db.pool)
    .await
    .unwrap();
    assert_eq!(
        kehilla_app::home::activitypub::tick(&a.db, &a.base)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        kehilla_app::home::activitypub::tick(&a.db, &a.base)
            .await
            .unwrap(),
        0,
        "sent once"
    );
    a.run_pending_jobs().await;
    let items = kehilla_db::activitypub::items(&b.db.pool, 1).await.unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].kind, "post");
    assert!(items[0].content.contains("120 מתנדבים ארזו"));
    let object_id = items[0].object_id.clone();
    // The object as A serves it: a Note with its hashtags and language.
    let note: Value = reqwest::Client::new()
        .get(&object_id)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(note["type"], "Note");
    assert!(note["contentMap"]["he"].is_string());
    let tags: Vec<&str> = note["tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, vec!["#התנדבות", "#חיפה"]);

    // B replies: the reply reaches A, for its Inbox.
    let green = kehilla_db::orgs::by_slug(&b.db.pool, "green")
        .await
        .unwrap()
        .unwrap();
    kehilla_app::home::activitypub::reply(
        &b.db,
        &b.settings,
        &b.base,
        &green,
        &object_id,
        &actor,
        "כל הכבוד! <b>תודה</b>",
        "first-reply",
    )
    .await
    .unwrap();
    b.run_pending_jobs().await;
    let yad = kehilla_db::orgs::by_slug(&a.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let a_items = kehilla_db::activitypub::items(&a.db.pool, yad.id)
        .await
        .unwrap();
    assert_eq!(a_items.len(), 1);
    assert_eq!(a_items[0].kind, "reply");
    assert!(a_items[0].post_id.is_some());
    assert_eq!(a_items[0].content, "כל הכבוד! <b>תודה</b>");

    // The reply is in A's inbox, under the post, once; A answers from there and the answer
    // reaches B as a reply to B's note.
    assert_eq!(kehilla_app::inbox::poll::sweep(&a.db).await.unwrap(), 1);
    assert_eq!(kehilla_app::inbox::poll::sweep(&a.db).await.unwrap(), 0);
    let (conversation, post_of): (String, Option<i64>) = kehilla_db::sqlx::query_as(
        "SELECT public_id, post_id FROM inbox_conversations WHERE source = 'fediverse'",
    )
    .fetch_one(&a.db.pool)
    .await
    .unwrap();
    assert_eq!(post_of, a_items[0].post_id);
    let (_, list) = a_owner.get_text("/orgs/yad/inbox").await;
    assert!(list.contains("כל הכבוד!"), "{list}");
    let r = a_owner
        .post_form(
            &format!("/orgs/yad/inbox/{conversation}/answer"),
            &[("body", "תודה רבה! נתראה בחלוקה")],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=inbox-answered"));
    a.run_pending_jobs().await;
    let to_green = kehilla_db::activitypub::items(&b.db.pool, green.id)
        .await
        .unwrap();
    let answer = to_green
        .iter()
        .find(|i| i.kind == "reply")
        .expect("the answer reached B");
    assert!(
        answer.content.contains("תודה רבה! נתראה בחלוקה"),
        "{to_green:?}"
    );
    let (state, remote): (String, String) = kehilla_db::sqlx::query_as(
        "SELECT state, remote_id FROM inbox_messages WHERE direction = 'out'",
    )
    .fetch_one(&a.db.pool)
    .await
    .unwrap();
    assert_eq!(state, "sent");
    assert!(remote.starts_with(&a.url("/ap/o/yad/replies/")), "{remote}");
    // B's own answer to it continues the same conversation on A.
    kehilla_app::home::activitypub::reply(
        &b.db,
        &b.settings,
        &b.base,
        &green,
        &remote,
        &actor,
        "ונתראה!",
        "second-reply",
    )
    .await
    .unwrap();
    b.run_pending_jobs().await;
    assert_eq!(kehilla_app::inbox::poll::sweep(&a.db).await.unwrap(), 1);
    let (conversations, messages): (i64, i64) = kehilla_db::sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM inbox_conversations), (SELECT COUNT(*) FROM inbox_messages)",
    )
    .fetch_one(&a.db.pool)
    .await
    .unwrap();
    assert_eq!((conversations, messages), (1, 3));

    // A correction and a withdrawal, made in the Studio, follow.
    let r = a_owner
        .post_form(
            &format!("/orgs/yad/studio/posts/{post_id}/action"),
            &[
                ("action", "correct"),
                ("title", "300 סלי מזון"),
                ("body", "120 מתנדבים ארזו 320 סלי מזון."),
            ],
        )
        .await;
    assert!(
        crate::support::location(&r).contains("done=post-corrected"),
        "{}",
        crate::support::location(&r)
    );
    assert_eq!(
        kehilla_app::home::activitypub::tick(&a.db, &a.base)
            .await
            .unwrap(),
        1,
        "an Update"
    );
    a.run_pending_jobs().await;
    let items = kehilla_db::activitypub::items(&b.db.pool, green.id)
        .await
        .unwrap();
    assert!(items[0].content.contains("320 סלי מזון"), "{items:?}");
    let (_, page) = a
        .browser()
        .get_text(&format!(
            "/o/yad/p/{}",
            crate::support::urlenc(v["slug"].as_str().unwrap())
        ))
        .await;
    assert!(
        page.contains("320 סלי מזון"),
        "the site shows the correction"
    );
    // A like, signed by B: counted once; the same again is a replay; a spoiled signature, a
    // like of nothing here and an activity in someone else's name are refused.
    let inbox = a.url("/ap/inbox");
    let like = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#likes/1", b.url("/ap/o/green")), "type": "Like",
        "actor": b.url("/ap/o/green"), "object": object_id});
    let r = deliver_signed(&b, green.id, "green", &inbox, &like, false).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(
        count(&a, "SELECT COUNT(*) FROM ap_items WHERE kind = 'like'").await,
        1
    );
    let r = deliver_signed(&b, green.id, "green", &inbox, &like, false).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "a replay");
    let mut other = like.clone();
    other["id"] = json!(format!("{}#likes/2", b.url("/ap/o/green")));
    let r = deliver_signed(&b, green.id, "green", &inbox, &other, true).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "a spoiled signature");
    let mut nothing = other.clone();
    nothing["object"] = json!(a.url("/ap/o/yad/posts/nothing"));
    let r = deliver_signed(&b, green.id, "green", &inbox, &nothing, false).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "a like of nothing here");
    let mut impostor = other.clone();
    impostor["id"] = json!(format!("{}#likes/3", b.url("/ap/o/green")));
    impostor["actor"] = json!(a.url("/ap/o/yad"));
    let r = deliver_signed(&b, green.id, "green", &inbox, &impostor, false).await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "in someone else's name"
    );
    let r = reqwest::Client::new()
        .post(&inbox)
        .header("content-type", "application/activity+json")
        .body(serde_json::to_vec(&other).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "unsigned");

    // Withdrawn: gone from the site, deleted on the fediverse.
    let r = a_owner
        .post_form(
            &format!("/orgs/yad/studio/posts/{post_id}/action"),
            &[("action", "withdraw")],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=post-withdrawn"));
    assert_eq!(
        kehilla_app::home::activitypub::tick(&a.db, &a.base)
            .await
            .unwrap(),
        1,
        "a Delete"
    );
    a.run_pending_jobs().await;
    let items = kehilla_db::activitypub::items(&b.db.pool, green.id)
        .await
        .unwrap();
    assert_eq!(items[0].deleted, 1);
    assert!(items[0].content.is_empty());
    let r = a
        .browser()
        .get(&format!(
            "/o/yad/p/{}",
            crate::support::urlenc(v["slug"].as_str().unwrap())
        ))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // A delivery signed for another server, replayed here: refused.
    let (_, key) = kehilla_app::home::activitypub::keys(&b.db, &b.settings, green.id)
        .await
        .unwrap();
    let mut elsewhere = like.clone();
    elsewhere["id"] = json!(format!("{}#likes/9", b.url("/ap/o/green")));
    let body = serde_json::to_vec(&elsewhere).unwrap();
    let headers = kehilla_app::home::activitypub::sign(
        &key,
        &format!("{}#main-key", b.url("/ap/o/green")),
        "POST",
        "http://other.example/ap/inbox",
        Some(&body),
    )
    .unwrap();
    let mut req = reqwest::Client::new()
        .post(&inbox)
        .header("host", "other.example")
        .header("content-type", "application/activity+json");
    for (k, v) in &headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let r = req.body(body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("not signed for this server")
    );

    // Undo Follow: B no longer follows.
    let undo = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#undo/1", b.url("/ap/o/green")), "type": "Undo",
        "actor": b.url("/ap/o/green"),
        "object": {"type": "Follow", "actor": b.url("/ap/o/green"), "object": actor}});
    let r = deliver_signed(&b, green.id, "green", &inbox, &undo, false).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(count(&a, "SELECT COUNT(*) FROM ap_followers").await, 0);
    a.stop().await;
    b.stop().await;
}

/// A server that keeps failing is paused: its deliveries wait for the pause to end instead of
/// being retried (and they spend no attempt while waiting).
#[tokio::test]
async fn a_paused_server_is_not_retried() {
    let (a, _owner) = instance("yad").await;
    let yad = kehilla_db::orgs::by_slug(&a.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    kehilla_db::activitypub::add_follower(
        &a.db.pool,
        yad.id,
        "http://127.0.0.1:9/ap/o/gone",
        "http://127.0.0.1:9/ap/o/gone/inbox",
        "",
    )
    .await
    .unwrap();
    for _ in 0..kehilla_app::home::activitypub::PAUSE_AFTER {
        kehilla_db::activitypub::server_failed(
            &a.db.pool,
            "127.0.0.1:9",
            "connection refused",
            kehilla_app::home::activitypub::PAUSE_AFTER,
            kehilla_db::now_ms() + 3_600_000,
        )
        .await
        .unwrap();
    }
    let activity = json!({"id": "http://x/1", "type": "Create"});
    kehilla_app::home::activitypub::deliver(
        &a.db,
        yad.id,
        &activity,
        &["http://127.0.0.1:9/ap/o/gone/inbox".to_string()],
    )
    .await
    .unwrap();
    let before = kehilla_db::now_ms();
    a.run_pending_jobs().await;
    let (status, error, run_at, attempts): (String, String, i64, i64) = kehilla_db::sqlx::query_as(
        "SELECT status, last_error, run_at, attempts FROM jobs WHERE kind = 'ap.deliver'",
    )
    .fetch_one(&a.db.pool)
    .await
    .unwrap();
    assert_eq!(status, "queued");
    assert!(error.contains("paused"), "{error}");
    assert!(
        run_at >= before + 3_500_000,
        "it waits for the pause to end"
    );
    assert_eq!(attempts, 0);
    a.stop().await;
}
