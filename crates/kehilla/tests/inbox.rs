//! The Inbox end to end: a reply on a network (a Mastodon server that answers as its API
//! documents) is polled once, assigned, answered through the network and marked; Meta's
//! webhook with a valid and a forged signature; Telegram's webhook secret; the site's comments
//! and their moderation words; an SMS reply linked to its person; email replies; approval of a
//! contributor's answer; response times.

use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::network_calls::{answer, serve};
use crate::publishing::new_channel;
use crate::support::{Backend, Browser, TestApp, backends, location};

/// A post of `yad` published on a channel with the network's id `remote`.
pub(crate) async fn published(app: &TestApp, channel: &str, remote: &str, title: &str) -> i64 {
    let (org, ch): (i64, i64) =
        kehilla_db::sqlx::query_as("SELECT organization_id, id FROM channels WHERE public_id = $1")
            .bind(channel)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let now = kehilla_db::now_ms();
    let (post,): (i64,) = kehilla_db::sqlx::query_as(
        "INSERT INTO posts (public_id, organization_id, kind, title, body, slug, status, \
         published_at, created_at, updated_at) VALUES ($1, $2, 'story', $3, 'גוף', $4, \
         'published', $5, $5, $5) RETURNING id",
    )
    .bind(kehilla_db::new_public_id())
    .bind(org)
    .bind(title)
    .bind(format!("p-{remote}"))
    .bind(now)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    kehilla_db::sqlx::query(
        "INSERT INTO publications (organization_id, post_id, channel_id, state, \
         idempotency_key, remote_id, updated_at) VALUES ($1, $2, $3, 'published', $4, $5, $6)",
    )
    .bind(org)
    .bind(post)
    .bind(ch)
    .bind(format!("k-{remote}"))
    .bind(remote)
    .bind(now)
    .execute(&app.db.pool)
    .await
    .unwrap();
    post
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = kehilla_db::sqlx::query_as(sqlx_safe(sql))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    n
}

fn sqlx_safe(s: &str) -> kehilla_db::sqlx::AssertSqlSafe<String> {
    kehilla_db::sqlx::AssertSqlSafe(s.to_string())
}

async fn conversation_ids(app: &TestApp) -> Vec<String> {
    let rows: Vec<(String,)> =
        kehilla_db::sqlx::query_as("SELECT public_id FROM inbox_conversations ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

/// Polls every connected channel now.
async fn poll(app: &TestApp) {
    kehilla_app::inbox::poll::enqueue_due(&app.db, kehilla_db::now_ms() + 3_600_000)
        .await
        .unwrap();
    app.run_pending_jobs().await;
}

/// A Mastodon server: the post 100 with a reply from @ruth, a mention from @noa, replies and
/// favourites recorded (with their Idempotency-Key).
async fn mastodon() -> (String, Arc<Mutex<Vec<(String, Value)>>>) {
    let sent: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let s = sent.clone();
    let (server, _log) = serve(move |r, _| {
        if r.header("authorization") != "Bearer good-token" {
            return answer(401, json!({"error": "The access token is invalid"}));
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/api/v1/accounts/verify_credentials") => {
                answer(200, json!({"id": "1", "acct": "yadbeyad", "username": "yadbeyad"}))
            }
            ("GET", "/api/v2/instance") => answer(
                200,
                json!({"configuration": {"statuses": {"max_characters": 500}}}),
            ),
            ("GET", "/api/v1/statuses/100/context") => answer(
                200,
                json!({"ancestors": [], "descendants": [
                    {"id": "201", "in_reply_to_id": "100", "account": {"id": "77", "acct": "ruth@social.example"},
                     "content": "<p>מתי החלוקה הבאה? When is the next one?</p>", "created_at": "2026-11-27T08:00:00.000Z",
                     "url": "https://social.example/@ruth/201"}]}),
            ),
            ("GET", "/api/v1/notifications") => {
                if r.query.contains("min_id=n1") {
                    answer(200, json!([]))
                } else {
                    answer(
                        200,
                        json!([{"id": "n1", "type": "mention", "status": {"id": "301", "in_reply_to_id": null,
                        "account": {"id": "78", "acct": "noa"}, "content": "<p>@yadbeyad כל הכבוד</p>",
                        "created_at": "2026-11-27T09:00:00.000Z", "url": "https://masto.example/@noa/301"}}]),
                    )
                }
            }
            ("POST", "/api/v1/statuses") => {
                let body = r.json();
                let key = r.header("idempotency-key").to_string();
                let mut sent = s.lock().unwrap();
                // The server drops a repeat of a key.
                let n = match sent.iter().position(|(k, _)| *k == key) {
                    Some(i) => i,
                    None => {
                        sent.push((key, body));
                        sent.len() - 1
                    }
                };
                answer(
                    200,
                    json!({"id": format!("{}", 900 + n), "url": format!("https://masto.example/@yadbeyad/{}", 900 + n)}),
                )
            }
            ("POST", p) if p.ends_with("/favourite") => answer(200, json!({"id": "201", "favourited": true})),
            ("DELETE", "/api/v1/statuses/900") => answer(200, json!({"id": "900"})),
            _ => answer(404, json!({"error": "Record not found"})),
        }
    })
    .await;
    (server, sent)
}

async fn connected_mastodon(app: &TestApp, server: &str) -> (Browser, String) {
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(app, &owner, &[("network", "mastodon"), ("name", "מסטודון")]).await;
    let r = crate::publishing::connect_channel(
        &owner,
        &ch,
        &[("server_url", server), ("token", "good-token")],
    )
    .await;
    assert!(
        location(&r).contains("done=channel-connected"),
        "{}",
        location(&r)
    );
    (owner, ch)
}

#[tokio::test]
async fn a_reply_on_a_network_is_polled_once_assigned_answered_and_the_answer_appears() {
    for backend in backends() {
        let (server, sent) = mastodon().await;
        let app = TestApp::spawn_on(backend, |s| s.fetch_private = true).await;
        let (owner, ch) = connected_mastodon(&app, &server).await;
        published(&app, &ch, "100", "חלוקת סלים").await;

        poll(&app).await;
        poll(&app).await;
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM inbox_messages").await,
            2,
            "a reply and a mention, each once"
        );
        let (_, list) = owner.get_text("/orgs/yad/inbox").await;
        assert!(
            list.contains("מתי החלוקה הבאה? When is the next one?"),
            "{list}"
        );
        assert!(list.contains("חלוקת סלים"), "listed under its post");
        assert!(list.contains("@ruth@social.example"));
        assert!(list.contains("id=\"inbox-unread\""));
        let (_, search) = owner
            .get_text("/orgs/yad/inbox?q=%D7%94%D7%97%D7%9C%D7%95%D7%A7%D7%94")
            .await;
        assert!(
            search.contains("@ruth@social.example"),
            "a Hebrew search finds it"
        );
        assert!(!search.contains("@noa"));
        let unread: Value = owner
            .get("/orgs/yad/inbox/unread")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(unread["new"], 2);

        // Dana opens the reply's conversation, assigns it to herself, labels it, answers.
        let ruth: (String,) = kehilla_db::sqlx::query_as(
            "SELECT c.public_id FROM inbox_conversations c JOIN inbox_identities i \
             ON i.id = c.identity_id WHERE i.handle = '@ruth@social.example'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let conv = ruth.0;
        let (status, page) = owner.get_text(&format!("/orgs/yad/inbox/{conv}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("id=\"answer-body\""));
        let me = crate::support::extract_value(&page, "t-assignee");
        let member: (String,) =
            kehilla_db::sqlx::query_as("SELECT public_id FROM memberships LIMIT 1")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let _ = me;
        let r = owner
            .post_form(
                &format!("/orgs/yad/inbox/{conv}/triage"),
                &[
                    ("status", "open"),
                    ("assignee", &member.0),
                    ("priority", "1"),
                    ("labels", "חלוקה, Urgent"),
                ],
            )
            .await;
        assert!(
            location(&r).contains("done=inbox-saved"),
            "{}",
            location(&r)
        );
        let (_, mine) = owner.get_text("/orgs/yad/inbox?mine=1&label=urgent").await;
        assert!(mine.contains(&conv));
        // Too long for the server's 500 characters: refused, nothing kept.
        let r = owner
            .post_form(
                &format!("/orgs/yad/inbox/{conv}/answer"),
                &[("body", &"א".repeat(501))],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = owner
            .post_form(
                &format!("/orgs/yad/inbox/{conv}/answer"),
                &[("body", "@ruth@social.example ביום שישי בעשר! Friday at ten")],
            )
            .await;
        assert!(location(&r).contains("done=inbox-answered"));
        app.run_pending_jobs().await;
        app.run_pending_jobs().await;
        {
            let sent = sent.lock().unwrap();
            assert_eq!(sent.len(), 1, "sent once");
            assert_eq!(sent[0].1["in_reply_to_id"], "201");
            assert!(sent[0].1["status"].as_str().unwrap().contains("ביום שישי"));
        }
        let (state, remote, status, first): (String, String, String, Option<i64>) =
            kehilla_db::sqlx::query_as(
                "SELECT m.state, m.remote_id, c.status, c.first_response_at FROM inbox_messages m \
                 JOIN inbox_conversations c ON c.id = m.conversation_id WHERE m.direction = 'out'",
            )
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(
            (state.as_str(), remote.as_str(), status.as_str()),
            ("sent", "900", "waiting")
        );
        assert!(first.is_some());
        // A like goes to the network; done closes the conversation.
        let reply: (String,) = kehilla_db::sqlx::query_as(
            "SELECT public_id FROM inbox_messages WHERE remote_id = '201'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        owner
            .post_form(
                &format!("/orgs/yad/inbox/messages/{}/act", reply.0),
                &[("action", "like")],
            )
            .await;
        app.run_pending_jobs().await;
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM inbox_messages WHERE liked = 1").await,
            1
        );
        // Our answer can be deleted on the network; its record stays, marked.
        let ours: (String,) = kehilla_db::sqlx::query_as(
            "SELECT public_id FROM inbox_messages WHERE direction = 'out'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        owner
            .post_form(
                &format!("/orgs/yad/inbox/messages/{}/act", ours.0),
                &[("action", "delete")],
            )
            .await;
        app.run_pending_jobs().await;
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM inbox_messages WHERE state = 'deleted'"
            )
            .await,
            1
        );
        // Ruth is linked to a person by her email address (she told us it); Noa, who only
        // mentioned us, becomes a volunteer in two clicks.
        let r = owner
            .post_form(
                "/orgs/yad/people",
                &[("first_name", "רות"), ("email", "ruth@example.org")],
            )
            .await;
        assert!(r.status().is_redirection());
        let r = owner
            .post_form(
                &format!("/orgs/yad/inbox/{conv}/link"),
                &[("contact", "Ruth@Example.org")],
            )
            .await;
        assert!(
            location(&r).contains("done=inbox-linked"),
            "{}",
            location(&r)
        );
        let r = owner
            .post_form(
                &format!("/orgs/yad/inbox/{conv}/link"),
                &[("contact", "nobody@example.org")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let noa: (String,) = kehilla_db::sqlx::query_as(
            "SELECT c.public_id FROM inbox_conversations c JOIN inbox_identities i \
             ON i.id = c.identity_id WHERE i.handle = '@noa'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let r = owner
            .post_form(
                &format!("/orgs/yad/inbox/{}/person", noa.0),
                &[("role", "volunteer")],
            )
            .await;
        assert!(location(&r).contains("done=inbox-person-made"));
        let linked: Vec<(String, Option<i64>)> = kehilla_db::sqlx::query_as(
            "SELECT handle, person_id FROM inbox_identities ORDER BY handle",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert!(linked.iter().all(|(_, p)| p.is_some()), "{linked:?}");
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM person_labels WHERE kind = 'role' AND value = 'volunteer'"
            )
            .await,
            1
        );
        let r = owner
            .post_form(
                &format!("/orgs/yad/inbox/{}/person", noa.0),
                &[("role", "volunteer")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "not twice");
        let r = owner
            .post_form(
                &format!("/orgs/yad/inbox/{conv}/status"),
                &[("status", "done"), ("then", "list")],
            )
            .await;
        assert_eq!(location(&r), "/orgs/yad/inbox?done=inbox-saved");
        let (_, times) = owner.get_text("/orgs/yad/inbox/times").await;
        assert!(times.contains("מסטודון"), "{times}");
        assert!(times.contains("id=\"times-members\""));
        // Another organization sees none of it.
        let other = app.browser();
        let r = other.get(&format!("/orgs/yad/inbox/{conv}")).await;
        assert_ne!(r.status(), StatusCode::OK);
        app.stop().await;
    }
}

#[tokio::test]
async fn a_contributors_answer_waits_for_approval_when_the_organization_asks() {
    let (server, sent) = mastodon().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let (owner, ch) = connected_mastodon(&app, &server).await;
    published(&app, &ch, "100", "חלוקה").await;
    poll(&app).await;
    let r = owner
        .post_form(
            "/orgs/yad/inbox/settings",
            &[
                ("approval", "1"),
                ("flag_words", ""),
                ("hide_words", ""),
                ("max_links", "3"),
            ],
        )
        .await;
    assert!(location(&r).contains("done=inbox-settings-saved"));
    let writer = app
        .invite_and_join(&owner, "yad", "contributor", "noam@example.org")
        .await;
    let conv = conversation_ids(&app).await[0].clone();
    let r = writer
        .post_form(
            &format!("/orgs/yad/inbox/{conv}/answer"),
            &[("body", "תודה!")],
        )
        .await;
    assert!(location(&r).contains("done=inbox-answered"));
    app.run_pending_jobs().await;
    assert!(sent.lock().unwrap().is_empty(), "not before approval");
    let (id,): (String,) =
        kehilla_db::sqlx::query_as("SELECT public_id FROM inbox_messages WHERE state = 'approval'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    // The contributor cannot approve it.
    let r = writer
        .post_form(
            &format!("/orgs/yad/inbox/messages/{id}/review"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = owner
        .post_form(
            &format!("/orgs/yad/inbox/messages/{id}/review"),
            &[("decision", "approve")],
        )
        .await;
    assert!(location(&r).contains("done=inbox-reviewed"));
    app.run_pending_jobs().await;
    assert_eq!(sent.lock().unwrap().len(), 1);
    // Assigned to the contributor: they see it among their notifications, linked.
    let noam: (String,) = kehilla_db::sqlx::query_as(
        "SELECT m.public_id FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE u.email = 'noam@example.org'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    owner
        .post_form(
            &format!("/orgs/yad/inbox/{conv}/triage"),
            &[("assignee", &noam.0), ("priority", "0"), ("labels", "")],
        )
        .await;
    let (_, notes) = writer.get_text("/orgs/yad/studio/notifications").await;
    assert!(
        notes.contains(&format!("/orgs/yad/inbox/{conv}")),
        "{notes}"
    );
    let (_, mine) = writer.get_text("/orgs/yad/inbox?mine=1").await;
    assert!(mine.contains(&conv), "listed under 'assigned to me'");
}

#[tokio::test]
async fn meta_webhooks_are_verified_and_a_forged_signature_is_refused() {
    for backend in backends() {
        let graph_sent: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let g = graph_sent.clone();
        let (graph, _) = serve(move |r, _| {
            if r.header("authorization") != "Bearer page-token" {
                return answer(
                    401,
                    json!({"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}}),
                );
            }
            match (r.method.as_str(), r.path.as_str()) {
                ("POST", "/c1/comments") => {
                    g.lock()
                        .unwrap()
                        .push((r.path.clone(), r.form("message").unwrap_or_default()));
                    answer(200, json!({"id": "p1_9_c2"}))
                }
                ("POST", "/c1") if r.form("is_hidden").as_deref() == Some("true") => {
                    g.lock().unwrap().push((r.path.clone(), "hidden".into()));
                    answer(200, json!({"success": true}))
                }
                _ => answer(
                    400,
                    json!({"error": {"message": "Unsupported", "type": "GraphMethodException", "code": 100}}),
                ),
            }
        })
        .await;
        let app = TestApp::spawn_on(backend, |s| {
            s.fetch_private = true;
            s.oauth_apps.insert(
                "facebook".into(),
                kehilla_app::settings::OauthApp {
                    client_id: "app".into(),
                    client_secret: kehilla_app::settings::Secret("app-secret".into()),
                    base_url: None,
                    webhook_verify_token: Some(kehilla_app::settings::Secret("v-token".into())),
                },
            );
        })
        .await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let ch = new_channel(&app, &owner, &[("network", "facebook"), ("name", "הדף")]).await;
        let (org, chid): (i64, i64) = kehilla_db::sqlx::query_as(
            "SELECT organization_id, id FROM channels WHERE public_id = $1",
        )
        .bind(&ch)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let sealer = kehilla_app::secrets::Sealer::of_instance(&app.db, &app.settings)
            .await
            .unwrap();
        kehilla_db::sqlx::query(
            "INSERT INTO connections (organization_id, channel_id, server_url, account, \
             token_sealed, created_at, updated_at) VALUES ($1, $2, $3, 'page1', $4, 0, 0)",
        )
        .bind(org)
        .bind(chid)
        .bind(&graph)
        .bind(sealer.seal("page-token").unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
        published(&app, &ch, "p1_9", "יום התרמה").await;

        let web = reqwest::Client::new();
        let r = web
            .get(app.url(
                "/hooks/meta/facebook?hub.mode=subscribe&hub.verify_token=v-token&hub.challenge=42",
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.text().await.unwrap(), "42");
        let r = web
            .get(app.url(
                "/hooks/meta/facebook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=42",
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);

        let body = json!({"object": "page", "entry": [{"id": "page1", "time": 1, "changes": [
            {"field": "feed", "value": {"item": "comment", "verb": "add", "comment_id": "c1",
             "post_id": "p1_9", "parent_id": "p1_9", "from": {"id": "u5", "name": "מיכל כהן"},
             "message": "איך אפשר לתרום?", "created_time": 1_795_773_600}}]}]})
        .to_string();
        let forged = kehilla_app::inbox::hooks::meta_signature("not-the-secret", body.as_bytes());
        let r = web
            .post(app.url("/hooks/meta/facebook"))
            .header("x-hub-signature-256", forged)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let r = web
            .post(app.url("/hooks/meta/facebook"))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "no signature");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM inbox_messages").await, 0);
        let good = kehilla_app::inbox::hooks::meta_signature("app-secret", body.as_bytes());
        for _ in 0..2 {
            let r = web
                .post(app.url("/hooks/meta/facebook"))
                .header("x-hub-signature-256", &good)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM inbox_messages").await,
            1,
            "once"
        );
        let conv = conversation_ids(&app).await[0].clone();
        let (_, page) = owner.get_text(&format!("/orgs/yad/inbox/{conv}")).await;
        assert!(page.contains("איך אפשר לתרום?") && page.contains("יום התרמה"));
        owner
            .post_form(
                &format!("/orgs/yad/inbox/{conv}/answer"),
                &[("body", "בקישור שבפוסט, תודה מיכל!")],
            )
            .await;
        app.run_pending_jobs().await;
        assert_eq!(
            *graph_sent.lock().unwrap(),
            vec![(
                "/c1/comments".to_string(),
                "בקישור שבפוסט, תודה מיכל!".to_string()
            )]
        );
        // An editor hides the comment from the Page's public; it stays here, marked hidden.
        let comment: (String,) = kehilla_db::sqlx::query_as(
            "SELECT public_id FROM inbox_messages WHERE remote_id = 'c1'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        owner
            .post_form(
                &format!("/orgs/yad/inbox/messages/{}/act", comment.0),
                &[("action", "hide")],
            )
            .await;
        app.run_pending_jobs().await;
        assert_eq!(graph_sent.lock().unwrap().last().unwrap().1, "hidden");
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM inbox_messages WHERE remote_id = 'c1' AND state = 'hidden'"
            )
            .await,
            1
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn telegram_updates_need_the_channels_secret() {
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(&app, &owner, &[("network", "telegram"), ("name", "הערוץ")]).await;
    let (org, chid): (i64, i64) =
        kehilla_db::sqlx::query_as("SELECT organization_id, id FROM channels WHERE public_id = $1")
            .bind(&ch)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let sealer = kehilla_app::secrets::Sealer::of_instance(&app.db, &app.settings)
        .await
        .unwrap();
    kehilla_db::sqlx::query(
        "INSERT INTO connections (organization_id, channel_id, server_url, account, \
         token_sealed, created_at, updated_at) VALUES ($1, $2, 'http://127.0.0.1:9', '@yad', $3, 0, 0)",
    )
    .bind(org)
    .bind(chid)
    .bind(sealer.seal("123:bot").unwrap())
    .execute(&app.db.pool)
    .await
    .unwrap();
    published(&app, &ch, "77", "ערב התנדבות").await;
    let update = json!({"update_id": 1, "message": {"message_id": 5, "date": 1_795_773_600,
        "from": {"id": 9, "first_name": "דנה", "username": "dana"},
        "chat": {"id": -100_123, "type": "supergroup"}, "text": "אני באה!",
        "reply_to_message": {"message_id": 4, "is_automatic_forward": true,
          "forward_origin": {"type": "channel", "chat": {"id": -100_999}, "message_id": 77}}}});
    let web = reqwest::Client::new();
    let r = web
        .post(app.url(&format!("/hooks/telegram/{ch}")))
        .header("x-telegram-bot-api-secret-token", "guess")
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let secret = kehilla_app::inbox::hooks::telegram_secret("123:bot", &ch);
    let r = web
        .post(app.url(&format!("/hooks/telegram/{ch}")))
        .header("x-telegram-bot-api-secret-token", &secret)
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (remote, post): (String, Option<String>) = kehilla_db::sqlx::query_as(
        "SELECT m.remote_id, p.title FROM inbox_messages m JOIN inbox_conversations c \
         ON c.id = m.conversation_id LEFT JOIN posts p ON p.id = c.post_id",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(remote, "-100123:5");
    assert_eq!(
        post.as_deref(),
        Some("ערב התנדבות"),
        "under the channel post"
    );
}

#[tokio::test]
async fn site_comments_and_sms_replies_arrive_linked_to_people_and_words_flag_or_hide() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let r = owner
            .post_form(
                "/orgs/yad/inbox/settings",
                &[
                    ("flag_words", "כסף קל\ncasino"),
                    ("hide_words", "מטומטם"),
                    ("max_links", "2"),
                ],
            )
            .await;
        assert!(location(&r).contains("done=inbox-settings-saved"));
        // A person who is already known by email and phone.
        let r = owner
            .post_form(
                "/orgs/yad/people",
                &[
                    ("first_name", "רות"),
                    ("last_name", "לוי"),
                    ("email", "ruth@example.org"),
                    ("phone", "054-234-5678"),
                ],
            )
            .await;
        assert!(r.status().is_redirection(), "{}", r.text().await.unwrap());
        let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
            .await
            .unwrap()
            .unwrap();
        // Proven commenters (as the site makes them after the emailed link) write on a board.
        let mut tx = app.db.begin().await.unwrap();
        let board = kehilla_db::discussions::create_board(&mut *tx, org.id, "talk", "שיחה", "")
            .await
            .unwrap();
        let ruth = kehilla_db::discussions::create_commenter(
            &mut *tx,
            org.id,
            "ruth@example.org",
            "רות",
            None,
            "",
        )
        .await
        .unwrap();
        let troll = kehilla_db::discussions::create_commenter(
            &mut *tx,
            org.id,
            "t@example.org",
            "טרול",
            None,
            "",
        )
        .await
        .unwrap();
        for (c, title, body) in [
            (&ruth, "הצעה", "אולי נארגן חלוקה גם בצפון?"),
            (&troll, "", "אתם ממש מטומטם"),
            (&troll, "", "רוצים כסף קל? https://a.example"),
        ] {
            kehilla_db::discussions::add_comment(
                &mut *tx,
                org.id,
                &kehilla_db::discussions::NewComment {
                    post_id: None,
                    board_id: Some(board.id),
                    parent_id: None,
                    title,
                    commenter_id: c.id,
                    body,
                    status: "visible",
                },
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        assert_eq!(kehilla_app::inbox::poll::sweep(&app.db).await.unwrap(), 3);
        assert_eq!(kehilla_app::inbox::poll::sweep(&app.db).await.unwrap(), 0);
        let rows: Vec<(String, String, String, Option<i64>)> = kehilla_db::sqlx::query_as(
            "SELECT m.body, m.state, m.flag, i.person_id FROM inbox_messages m \
             JOIN inbox_identities i ON i.id = m.identity_id ORDER BY m.id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(rows[0].1, "shown");
        assert!(rows[0].3.is_some(), "linked by email");
        assert_eq!(
            (rows[1].1.as_str(), rows[1].2.as_str()),
            ("hidden", "word:מטומטם")
        );
        assert_eq!(
            (rows[2].1.as_str(), rows[2].2.as_str()),
            ("shown", "word:כסף קל")
        );
        // The hidden comment is hidden on the site too; its record stays.
        app.run_pending_jobs().await;
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM comments WHERE status = 'hidden'"
            )
            .await,
            1
        );
        let (_, flagged) = owner.get_text("/orgs/yad/inbox?status=flagged").await;
        assert!(flagged.contains("כסף קל"));
        // Answering Ruth's thread puts the organization's reply on the site.
        let conv: (String,) = kehilla_db::sqlx::query_as(
            "SELECT c.public_id FROM inbox_conversations c WHERE c.subject = 'הצעה'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        owner
            .post_form(
                &format!("/orgs/yad/inbox/{}/answer", conv.0),
                &[("body", "רעיון מצוין, נבדוק!")],
            )
            .await;
        app.run_pending_jobs().await;
        let (thread,): (String,) =
            kehilla_db::sqlx::query_as("SELECT public_id FROM comments WHERE title = 'הצעה'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let (_, board_page) = app
            .browser()
            .get_text(&format!("/o/yad/boards/talk/{thread}"))
            .await;
        assert!(board_page.contains("רעיון מצוין, נבדוק!"), "{board_page}");
        assert_eq!(
            kehilla_app::inbox::poll::sweep(&app.db).await.unwrap(),
            0,
            "not taken back"
        );
        // The person's page lists what they wrote.
        let (_, person_page) = owner.get_text(&format!("/orgs/yad/inbox/{}", conv.0)).await;
        assert!(person_page.contains("id=\"linked-person\""));
        let ruth_person: (String,) = kehilla_db::sqlx::query_as(
            "SELECT public_id FROM people WHERE email = 'ruth@example.org'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let (_, record) = owner
            .get_text(&format!("/orgs/yad/people/{}", ruth_person.0))
            .await;
        assert!(
            record.contains("id=\"person-messages\"")
                && record.contains("אולי נארגן חלוקה גם בצפון?"),
            "the person's page shows what they wrote"
        );

        // An SMS reply joins Ruth's record by her phone; a stop word is not a message.
        let g = kehilla_db::messaging::SmsGateway {
            organization_id: org.id,
            ..Default::default()
        };
        assert!(
            !kehilla_app::messaging::sms::inbound(
                &app.db,
                &g,
                "SM1",
                "+972542345678",
                "אשמח לעזור"
            )
            .await
            .unwrap()
        );
        kehilla_app::messaging::sms::inbound(&app.db, &g, "SM1", "+972542345678", "אשמח לעזור")
            .await
            .unwrap();
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM inbox_messages WHERE source = 'sms'"
            )
            .await,
            1
        );
        let linked: (Option<i64>,) = kehilla_db::sqlx::query_as(
            "SELECT person_id FROM inbox_identities WHERE source = 'sms'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(linked.0, rows[0].3);
        // Erasing Ruth takes what she wrote (the site comment, the SMS) out of the inbox.
        let r = owner
            .post_form(&format!("/orgs/yad/people/{}/erase", ruth_person.0), &[])
            .await;
        assert_eq!(location(&r), "/orgs/yad/people?done=person-erased");
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM inbox_messages WHERE body LIKE '%צפון%' OR body LIKE '%אשמח%'"
            )
            .await,
            0
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM inbox_messages WHERE state = 'erased'"
            )
            .await,
            2
        );
        // A sweep that meets her comment again does not bring it back.
        assert_eq!(kehilla_app::inbox::poll::sweep(&app.db).await.unwrap(), 0);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM inbox_identities WHERE person_id IS NOT NULL"
            )
            .await,
            0
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn an_email_reply_to_an_answer_continues_its_conversation() {
    let sink = crate::support::smtp::Sink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_on(Backend::Sqlite, move |s| {
        s.smtp_url = Some(kehilla_app::settings::Secret(url));
        s.mail_from = "Kehilla <noreply@kehilla.example>".into();
        s.bounce_domain = Some("bounce.example".into());
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    // A first email message (as the listener takes it), answered from the inbox.
    let first = kehilla_app::inbox::ingest(
        &app.db,
        &kehilla_app::inbox::Incoming {
            org: org.id,
            source: "email",
            kind: "message",
            remote_id: "m1@mail.example",
            author_id: "gil@example.org",
            handle: "gil@example.org",
            name: "גיל",
            email: Some("gil@example.org"),
            subject: "שאלה על התרומה",
            body: "האם התרומה מוכרת לצורכי מס?",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(matches!(first, kehilla_app::inbox::Ingested::New { .. }));
    let conv = conversation_ids(&app).await[0].clone();
    owner
        .post_form(
            &format!("/orgs/yad/inbox/{conv}/answer"),
            &[("body", "כן, לפי סעיף 46.")],
        )
        .await;
    app.run_pending_jobs().await;
    let (answer_id,): (String,) = kehilla_db::sqlx::query_as(
        "SELECT remote_id FROM inbox_messages WHERE direction = 'out' AND state = 'sent'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    // The answer went over SMTP from the organization's name, threaded, replies to the inbox.
    let mails = sink.all();
    let answer = mails
        .iter()
        .find(|m| m.to.iter().any(|t| t.contains("gil@example.org")))
        .expect("the answer was sent");
    assert_eq!(
        answer.header("Message-ID").unwrap(),
        format!("<{answer_id}>")
    );
    assert_eq!(answer.header("In-Reply-To").unwrap(), "<m1@mail.example>");
    assert_eq!(answer.header("Reply-To").unwrap(), "replies@bounce.example");
    assert!(crate::accounts::decode_body(&answer.data).contains("כן, לפי סעיף 46."));
    let raw = format!(
        "From: =?UTF-8?B?15LXmdec?= <gil@example.org>\r\nTo: replies@bounce.example\r\n\
         Subject: Re: =?UTF-8?B?16nXkNec15Q=?=\r\nMessage-ID: <m2@mail.example>\r\n\
         In-Reply-To: <{answer_id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         תודה רבה!\r\n\r\nOn Thu, Nov 26, 2026 Kehilla wrote:\r\n> כן, לפי סעיף 46.\r\n"
    );
    let what = kehilla_app::messaging::inbound::take_reply(&app.db, "", raw.as_bytes())
        .await
        .unwrap();
    assert_eq!(what, "reply");
    // An auto-reply is left out.
    let auto = "From: gil@example.org\r\nAuto-Submitted: auto-replied\r\nSubject: away\r\n\r\nI am away\r\n";
    assert_eq!(
        kehilla_app::messaging::inbound::take_reply(&app.db, "", auto.as_bytes())
            .await
            .unwrap(),
        "auto-reply"
    );
    let bodies: Vec<(String, String)> = kehilla_db::sqlx::query_as(
        "SELECT c.public_id, m.body FROM inbox_messages m JOIN inbox_conversations c \
         ON c.id = m.conversation_id ORDER BY m.id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(bodies.len(), 3);
    assert!(bodies.iter().all(|(c, _)| *c == conv), "one conversation");
    assert_eq!(bodies[2].1, "תודה רבה!", "without the quoted answer");

    // The daily digest: once a day, to each member who did not turn it off.
    sink.clear();
    let now = kehilla_db::now_ms();
    assert_eq!(
        kehilla_app::inbox::digest::enqueue_due(&app.db, now)
            .await
            .unwrap(),
        1
    );
    app.run_pending_jobs().await;
    let digest = sink.all();
    assert_eq!(digest.len(), 1);
    assert!(digest[0].to.iter().any(|t| t.contains("dana@example.org")));
    let text = crate::accounts::decode_body(&digest[0].data);
    assert!(
        text.contains("תיבת השיחות") && text.contains(&conv),
        "{text}"
    );
    assert_eq!(
        kehilla_app::inbox::digest::enqueue_due(&app.db, now + 60_000)
            .await
            .unwrap(),
        0
    );
    let r = owner
        .post_form("/orgs/yad/inbox/digest", &[("frequency", "off")])
        .await;
    assert!(location(&r).contains("done=inbox-settings-saved"));
    assert_eq!(
        kehilla_app::inbox::digest::enqueue_due(&app.db, now + 2 * 86_400_000)
            .await
            .unwrap(),
        0,
        "turned off"
    );
}

#[tokio::test]
async fn the_demo_inbox_is_lively_in_hebrew() {
    let app = TestApp::spawn().await;
    assert!(kehilla_app::demo::load(&app.db).await.unwrap());
    let sources: Vec<(String,)> =
        kehilla_db::sqlx::query_as("SELECT DISTINCT source FROM inbox_conversations ORDER BY 1")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let sources: Vec<String> = sources.into_iter().map(|s| s.0).collect();
    for s in ["email", "fediverse", "site", "sms", "telegram"] {
        assert!(sources.contains(&s.to_string()), "{sources:?}");
    }
    assert!(count(&app, "SELECT COUNT(*) FROM inbox_conversations").await >= 15);
    assert!(
        count(
            &app,
            "SELECT COUNT(*) FROM inbox_conversations WHERE flagged <> ''"
        )
        .await
            >= 1
    );
    assert!(
        count(
            &app,
            "SELECT COUNT(*) FROM inbox_conversations WHERE first_response_at IS NOT NULL"
        )
        .await
            >= 3
    );
    let dana = app.browser();
    let r = dana
        .log_in("dana@yad-beyad.example", "kehilla-demo-2026")
        .await;
    assert!(r.status().is_redirection());
    let (status, html) = dana.get_text("/orgs/yad-beyad/inbox").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("תיבת שיחות") && html.contains("data-conversation="),
        "{html}"
    );
    let (_, times) = dana.get_text("/orgs/yad-beyad/inbox/times").await;
    assert!(times.contains("<td>"), "response times have rows");
    // The same in English.
    dana.post_form("/lang", &[("lang", "en")]).await;
    let (_, html) = dana.get_text("/orgs/yad-beyad/inbox").await;
    assert!(
        html.contains("lang=\"en\"")
            && html.contains("Assigned to me")
            && html.contains("Not done"),
        "{html}"
    );
    let conv: (String,) = kehilla_db::sqlx::query_as(
        "SELECT public_id FROM inbox_conversations WHERE source = 'email' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (_, page) = dana
        .get_text(&format!("/orgs/yad-beyad/inbox/{}", conv.0))
        .await;
    assert!(
        page.contains("Internal notes") && page.contains("Saved replies"),
        "{page}"
    );
    let (_, settings) = dana.get_text("/orgs/yad-beyad/inbox/settings").await;
    assert!(settings.contains("Words that flag a message for review"));
}
