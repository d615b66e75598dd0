//! Publishing to Mastodon against a local server that follows the Mastodon REST API
//! (statuses, media, Idempotency-Key, the instance's character limit, its error shapes):
//! exactly once through an unknown outcome, threads, alt text, error classes, and handing
//! due posts over once when two servers race.

use std::sync::{Arc, Mutex};

use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode as AxStatus};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Backend, Browser, TestApp, backends, location};

#[derive(Default)]
struct Fake {
    /// Sign-ins: (client id, state, code challenge) of the authorization in progress.
    apps: usize,
    challenge: String,
    statuses: Vec<Value>,
    media: Vec<Value>,
    /// Idempotency-Key → the status made with it.
    keys: Vec<(String, Value)>,
    /// Statuses deleted, in order.
    deleted: Vec<String>,
    /// Profile updates received: (note, website field, avatar bytes).
    profiles: Vec<(String, String, usize)>,
    /// What the next status call does: "" (normal), "lose" (make it, then answer 500), "401",
    /// "422", "429", "html".
    mode: String,
}

type Shared = Arc<Mutex<Fake>>;

fn authorized(h: &HeaderMap) -> bool {
    h.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer good-token")
}

fn error(status: u16, msg: &str) -> Response {
    (
        AxStatus::from_u16(status).unwrap(),
        Json(json!({ "error": msg })),
    )
        .into_response()
}

async fn verify(h: HeaderMap) -> Response {
    if !authorized(&h) {
        return error(401, "The access token is invalid");
    }
    Json(json!({"id": "1", "acct": "yadbeyad", "followers_count": 321})).into_response()
}

async fn instance() -> Json<Value> {
    Json(
        json!({"configuration": {"statuses": {"max_characters": 1000, "characters_reserved_per_url": 23}}}),
    )
}

async fn media(State(s): State<Shared>, h: HeaderMap, mut m: Multipart) -> Response {
    if !authorized(&h) {
        return error(401, "The access token is invalid");
    }
    let mut description = String::new();
    let mut size = 0;
    while let Ok(Some(f)) = m.next_field().await {
        let name = f.name().unwrap_or("").to_string();
        let bytes = f.bytes().await.unwrap();
        match name.as_str() {
            "description" => description = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => size = bytes.len(),
            _ => {}
        }
    }
    let mut f = s.lock().unwrap();
    let id = format!("m{}", f.media.len() + 1);
    let v = json!({"id": id, "type": "image", "url": format!("https://m.example/{id}"), "description": description, "size": size});
    f.media.push(v.clone());
    Json(v).into_response()
}

async fn status(State(s): State<Shared>, h: HeaderMap, Json(body): Json<Value>) -> Response {
    if !authorized(&h) {
        return error(401, "The access token is invalid");
    }
    let key = h
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut f = s.lock().unwrap();
    if let Some((_, v)) = f.keys.iter().find(|(k, _)| *k == key) {
        return Json(v.clone()).into_response();
    }
    let mode = std::mem::take(&mut f.mode);
    match mode.as_str() {
        "422" => {
            return error(
                422,
                "Validation failed: Text character limit of 1000 exceeded",
            );
        }
        "429" => {
            return (
                AxStatus::TOO_MANY_REQUESTS,
                [("x-ratelimit-reset", "2099-01-01T00:00:00Z")],
                Json(json!({"error": "Too many requests"})),
            )
                .into_response();
        }
        "html" => {
            return (
                AxStatus::BAD_GATEWAY,
                [("content-type", "text/html")],
                "<html>502 Bad Gateway</html>",
            )
                .into_response();
        }
        _ => {}
    }
    let id = format!("{}", 100 + f.statuses.len());
    let v = json!({
        "id": id, "url": format!("https://masto.example/@yadbeyad/{id}"),
        "content": body["status"], "in_reply_to_id": body["in_reply_to_id"], "media_ids": body["media_ids"],
    });
    f.statuses.push(v.clone());
    f.keys.push((key, v.clone()));
    if mode == "lose" {
        // Made, but the answer is lost on the way: the outcome is unknown to the client.
        return error(500, "upstream timeout");
    }
    Json(v).into_response()
}

async fn register_app(
    State(s): State<Shared>,
    axum::Form(f): axum::Form<Vec<(String, String)>>,
) -> Json<Value> {
    assert!(
        f.iter()
            .any(|(k, v)| k == "redirect_uris" && v.ends_with("/oauth/callback"))
    );
    s.lock().unwrap().apps += 1;
    Json(json!({"client_id": "cid", "client_secret": "csecret", "name": "Kehilla"}))
}

async fn authorize(
    State(s): State<Shared>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    assert_eq!(q["client_id"], "cid");
    assert_eq!(q["code_challenge_method"], "S256");
    s.lock().unwrap().challenge = q["code_challenge"].clone();
    // The admin approves at once.
    let to = format!("{}?code=c0de&state={}", q["redirect_uri"], q["state"]);
    (AxStatus::FOUND, [("location", to)]).into_response()
}

async fn token(
    State(s): State<Shared>,
    axum::Form(f): axum::Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| {
        f.iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    use base64::Engine;
    use sha2::Digest;
    let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(get("code_verifier").as_bytes()));
    let ok = get("code") == "c0de"
        && get("client_secret") == "csecret"
        && expected == s.lock().unwrap().challenge;
    if !ok {
        return error(400, "invalid_grant");
    }
    Json(json!({"access_token": "good-token", "token_type": "Bearer", "scope": "read write:statuses write:media"})).into_response()
}

async fn delete_status(
    State(s): State<Shared>,
    h: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    if !authorized(&h) {
        return error(401, "The access token is invalid");
    }
    let mut f = s.lock().unwrap();
    if f.deleted.contains(&id) || !f.statuses.iter().any(|x| x["id"] == id.as_str()) {
        return error(404, "Record not found");
    }
    f.deleted.push(id.clone());
    Json(json!({"id": id})).into_response()
}

async fn update_credentials(State(s): State<Shared>, h: HeaderMap, mut m: Multipart) -> Response {
    if !authorized(&h) {
        return error(401, "The access token is invalid");
    }
    let (mut note, mut site, mut avatar) = (String::new(), String::new(), 0);
    while let Ok(Some(f)) = m.next_field().await {
        match f.name().unwrap_or_default().to_string().as_str() {
            "note" => note = f.text().await.unwrap(),
            "fields_attributes[0][value]" => site = f.text().await.unwrap(),
            "avatar" => avatar = f.bytes().await.unwrap().len(),
            _ => {}
        }
    }
    if note.chars().count() > 500 {
        return error(
            422,
            "Validation failed: Note is too long (maximum is 500 characters)",
        );
    }
    s.lock().unwrap().profiles.push((note, site, avatar));
    Json(json!({"id": "1", "acct": "yadbeyad"})).into_response()
}

async fn fake_mastodon() -> (String, Shared) {
    let state: Shared = Arc::default();
    let app = Router::new()
        .route("/api/v1/apps", post(register_app))
        .route("/oauth/authorize", get(authorize))
        .route("/oauth/token", post(token))
        .route("/api/v1/accounts/verify_credentials", get(verify))
        .route("/api/v2/instance", get(instance))
        .route("/api/v2/media", post(media))
        .route("/api/v1/statuses", post(status))
        .route(
            "/api/v1/statuses/{id}",
            axum::routing::delete(delete_status),
        )
        .route(
            "/api/v1/accounts/update_credentials",
            axum::routing::patch(update_credentials),
        )
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

/// Makes a channel of organization `yad` and returns its public id.
pub(crate) async fn new_channel(app: &TestApp, owner: &Browser, fields: &[(&str, &str)]) -> String {
    let r = owner.post_form("/orgs/yad/studio/channels", fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (ch,): (String,) =
        kehilla_db::sqlx::query_as("SELECT public_id FROM channels ORDER BY id DESC")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    ch
}

/// Connects a channel with a token form.
pub(crate) async fn connect_channel(
    owner: &Browser,
    ch: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    owner
        .post_form(&format!("/orgs/yad/studio/channels/{ch}/connect"), fields)
        .await
}

/// An owner with a connected Mastodon channel; returns the channel's public id.
async fn connected(app: &TestApp, server: &str) -> (Browser, String) {
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(app, &owner, &[("network", "mastodon"), ("name", "מסטודון")]).await;
    // A wrong token is refused before anything is stored.
    let r = connect_channel(&owner, &ch, &[("server_url", server), ("token", "wrong")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("form-error"));
    let r = connect_channel(
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

/// A scheduled post with a photo and a two-part thread on the channel.
async fn scheduled_post(app: &TestApp, owner: &Browser, ch: &str) -> String {
    scheduled_post_with(
        app,
        owner,
        ch,
        "שתלנו 40 עצים #התנדבות",
        "תודה לכל המתנדבים!",
    )
    .await
}

/// A scheduled post with a photo ("מתנדבים בגינה") and a second part, on the channel.
pub(crate) async fn scheduled_post_with(
    app: &TestApp,
    owner: &Browser,
    ch: &str,
    body: &str,
    second: &str,
) -> String {
    let token = owner.create_token("yad", "write").await;
    let api = reqwest::Client::new();
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(kehilla_media::sample::photo(120, 80, 9))
                .file_name("a.jpg"),
        )
        .text("alt_text", "מתנדבים בגינה");
    let m: Value = api
        .post(app.url("/api/v1/orgs/yad/media"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let p: Value = api
        .post(app.url("/api/v1/orgs/yad/posts"))
        .bearer_auth(&token)
        .json(&json!({"kind": "story", "body": body, "channels": [ch],
                       "media": [m["id"]], "scheduled_at": "2099-03-01T10:00"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = p["id"].as_str().unwrap().to_string();
    let r = api
        .put(app.url(&format!("/api/v1/orgs/yad/posts/{id}/variants/{ch}")))
        .bearer_auth(&token)
        .json(&json!({"body": body, "follow_ups": [second]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = api
        .post(app.url(&format!("/api/v1/orgs/yad/posts/{id}/actions")))
        .bearer_auth(&token)
        .json(&json!({"action": "schedule"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    id
}

pub(crate) const LATER: i64 = 4_102_444_800_000; // 2100-01-01

/// Makes every waiting job due now: retries wait with backoff, and the test does not sleep.
pub(crate) async fn jobs_due(app: &TestApp) {
    kehilla_db::sqlx::query("UPDATE jobs SET run_at = 0 WHERE status = 'queued'")
        .execute(&app.db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_thread_with_a_photo_is_published_once_even_when_the_answer_is_lost() {
    for backend in backends() {
        let (server, fake) = fake_mastodon().await;
        let app = TestApp::spawn_on(backend, |s| s.fetch_private = true).await;
        let (owner, ch) = connected(&app, &server).await;
        let (limit, sealed): (Option<i64>, String) = kehilla_db::sqlx::query_as(
            "SELECT c.char_limit, k.token_sealed FROM channels c JOIN connections k ON k.channel_id = c.id",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(limit, Some(1000), "the server's own limit is taken");
        assert!(
            !sealed.contains("good-token"),
            "the token is sealed at rest"
        );
        let post = scheduled_post(&app, &owner, &ch).await;

        // Two servers race to hand the post over: one publication, one job.
        let (a, b) = tokio::join!(
            kehilla_app::publishing::dispatch_due(&app.db, LATER),
            kehilla_app::publishing::dispatch_due(&app.db, LATER)
        );
        assert!(a.is_ok() && b.is_ok());
        let (jobs,): (i64,) =
            kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = 'publish.post'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(jobs, 1);

        // The first status is made but its answer is lost: the job tries again with the same key.
        fake.lock().unwrap().mode = "lose".into();
        app.run_pending_jobs().await;
        let (state,): (String,) = kehilla_db::sqlx::query_as("SELECT state FROM publications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(state, "pending");
        jobs_due(&app).await;
        app.run_pending_jobs().await;

        {
            let f = fake.lock().unwrap();
            assert_eq!(
                f.statuses.len(),
                2,
                "the first part once, then the reply: {:?}",
                f.statuses
            );
            assert_eq!(f.statuses[1]["in_reply_to_id"], f.statuses[0]["id"]);
            assert_eq!(f.statuses[0]["media_ids"], json!(["m1"]));
            // Media uploads have no key: the retry uploads the photo again, and the server keeps the
            // status made with the first one (Mastodon removes unattached media by itself).
            assert_eq!(f.media.len(), 2);
            assert_eq!(f.media[0]["description"], json!("מתנדבים בגינה"));
        }
        let (state, url): (String, Option<String>) =
            kehilla_db::sqlx::query_as("SELECT state, remote_url FROM publications")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(state, "published");
        assert_eq!(url.as_deref(), Some("https://masto.example/@yadbeyad/100"));
        let (_, html) = owner
            .get_text(&format!("/orgs/yad/studio/posts/{post}"))
            .await;
        assert!(
            html.contains("id=\"post-status\">פורסם"),
            "the post is published"
        );
        assert!(html.contains("https://masto.example/@yadbeyad/100"));
        // Nothing is left to do, and running again publishes nothing more.
        jobs_due(&app).await;
        app.run_pending_jobs().await;
        assert_eq!(fake.lock().unwrap().statuses.len(), 2);

        // An editor removes it from the network: the reply first, then the post, once.
        assert!(html.contains("הסרה מהרשת"));
        let r = owner
            .post_form(
                &format!("/orgs/yad/studio/posts/{post}/action"),
                &[("action", "remove"), ("channel", ch.as_str())],
            )
            .await;
        assert!(
            location(&r).contains("done=removal-requested"),
            "{}",
            location(&r)
        );
        // Asking twice does not remove twice.
        let r = owner
            .post_form(
                &format!("/orgs/yad/studio/posts/{post}/action"),
                &[("action", "remove"), ("channel", ch.as_str())],
            )
            .await;
        assert!(
            location(&r).contains("error=publication-not-published"),
            "{}",
            location(&r)
        );
        let (_, shown) = owner.get_text(&location(&r)).await;
        assert!(shown.contains("לא מפורסם בערוץ הזה"));
        app.run_pending_jobs().await;
        {
            let f = fake.lock().unwrap();
            let ids: Vec<Value> = f.statuses.iter().map(|x| x["id"].clone()).collect();
            assert_eq!(
                f.deleted.iter().map(|d| json!(d)).collect::<Vec<_>>(),
                [ids[1].clone(), ids[0].clone()]
            );
        }
        let (state,): (String,) = kehilla_db::sqlx::query_as("SELECT state FROM publications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(state, "deleted");
        let (_, html) = owner
            .get_text(&format!("/orgs/yad/studio/posts/{post}"))
            .await;
        assert!(html.contains("הוסר מהרשת"));
        app.stop().await;
    }
}

#[tokio::test]
async fn each_kind_of_refusal_ends_in_a_clear_state() {
    let (server, fake) = fake_mastodon().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let (owner, ch) = connected(&app, &server).await;
    let state = || async {
        kehilla_db::sqlx::query_as::<_, (String, String)>(
            "SELECT state, error_code FROM publications ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
    };

    // A rate limit delays: the connection waits until the network's reset time.
    scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    fake.lock().unwrap().mode = "429".into();
    app.run_pending_jobs().await;
    assert_eq!(
        state().await,
        ("pending".into(), "publish-rate-limited".into())
    );
    let (until,): (Option<i64>,) =
        kehilla_db::sqlx::query_as("SELECT blocked_until FROM connections")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        until,
        Some(4_070_908_800_000),
        "2099-01-01, from x-ratelimit-reset"
    );

    // A refusal of the content ends the publication and the post as failed, with its reason.
    kehilla_db::sqlx::query("UPDATE connections SET blocked_until = NULL")
        .execute(&app.db.pool)
        .await
        .unwrap();
    fake.lock().unwrap().mode = "422".into();
    jobs_due(&app).await;
    app.run_pending_jobs().await;
    assert_eq!(state().await, ("failed".into(), "publish-rejected".into()));
    let (status,): (String,) = kehilla_db::sqlx::query_as("SELECT status FROM posts")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "failed");

    // A proxy's HTML page is a passing failure; a revoked token needs the channel connected again.
    scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    fake.lock().unwrap().mode = "html".into();
    app.run_pending_jobs().await;
    assert_eq!(state().await.0, "pending");
    kehilla_db::sqlx::query("UPDATE connections SET token_sealed = $1")
        .bind({
            let s = kehilla_app::secrets::Sealer::of_instance(&app.db, &app.settings)
                .await
                .unwrap();
            s.seal("revoked-token").unwrap()
        })
        .execute(&app.db.pool)
        .await
        .unwrap();
    jobs_due(&app).await;
    app.run_pending_jobs().await;
    assert_eq!(state().await, ("failed".into(), "publish-reconnect".into()));
    let (_, html) = owner.get_text("/orgs/yad/studio/channels").await;
    assert!(
        html.contains("צריך לחבר מחדש"),
        "the channel page says what to do"
    );
    assert!(
        fake.lock().unwrap().statuses.is_empty(),
        "nothing was published"
    );
    app.stop().await;
}

/// A Bot API server: `/bot{token}/{method}`, `{ok, result}` or `{ok: false, error_code,
/// description, parameters}`; the bot is an admin of `@yadbeyad` only.
#[derive(Default)]
struct FakeTelegram {
    messages: Vec<Value>,
    /// "" (normal), "lose" (post, then answer 502 with HTML), "429", "caption".
    mode: String,
}

type SharedTg = Arc<Mutex<FakeTelegram>>;

fn tg_error(code: u16, description: &str, retry_after: Option<i64>) -> Response {
    let mut body = json!({"ok": false, "error_code": code, "description": description});
    if let Some(r) = retry_after {
        body["parameters"] = json!({"retry_after": r});
    }
    (AxStatus::from_u16(code).unwrap(), Json(body)).into_response()
}

async fn telegram(
    State(s): State<SharedTg>,
    axum::extract::Path((bot, method)): axum::extract::Path<(String, String)>,
    req: axum::extract::Request,
) -> Response {
    if bot != "bot123:good" {
        return tg_error(401, "Unauthorized", None);
    }
    let ct = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = axum::body::to_bytes(req.into_body(), 50_000_000)
        .await
        .unwrap();
    // JSON bodies, or multipart forms read for their text fields.
    let fields: Value = if ct.starts_with("application/json") {
        serde_json::from_slice(&bytes).unwrap_or(json!({}))
    } else {
        let text = String::from_utf8_lossy(&bytes);
        let mut o = serde_json::Map::new();
        for name in ["chat_id", "caption", "media"] {
            let marker = format!("name=\"{name}\"\r\n\r\n");
            if let Some(rest) = text.split(&marker).nth(1) {
                o.insert(
                    name.into(),
                    Value::from(rest.split("\r\n--").next().unwrap_or("")),
                );
            }
        }
        o.insert("has_file".into(), Value::from(text.contains("filename=")));
        Value::Object(o)
    };
    match method.as_str() {
        "getMe" => {
            return Json(json!({"ok": true, "result": {"id": 123, "is_bot": true}}))
                .into_response();
        }
        "getChat" | "getChatMember" if fields["chat_id"] != json!("@yadbeyad") => {
            return tg_error(400, "Bad Request: chat not found", None);
        }
        "getChat" => {
            return Json(json!({"ok": true, "result": {"id": -100_555, "title": "יד ביד", "type": "channel"}}))
                .into_response();
        }
        "getChatMember" => {
            return Json(json!({"ok": true, "result": {"status": "administrator", "can_post_messages": true}}))
                .into_response();
        }
        _ => {}
    }
    if fields["chat_id"] != json!("@yadbeyad") {
        return tg_error(400, "Bad Request: chat not found", None);
    }
    let mut f = s.lock().unwrap();
    let mode = std::mem::take(&mut f.mode);
    if mode == "429" {
        return tg_error(429, "Too Many Requests: retry after 7", Some(7));
    }
    if method == "sendPhoto" && fields["caption"].as_str().unwrap_or("").chars().count() > 1024 {
        return tg_error(400, "Bad Request: message caption is too long", None);
    }
    let id = 10 + i64::try_from(f.messages.len()).unwrap();
    f.messages
        .push(json!({"method": method, "fields": fields, "message_id": id}));
    if mode == "lose" {
        return (
            AxStatus::BAD_GATEWAY,
            [("content-type", "text/html")],
            "<html>502</html>",
        )
            .into_response();
    }
    Json(json!({"ok": true, "result": {"message_id": id, "chat": {"id": -100_555}}}))
        .into_response()
}

async fn fake_telegram() -> (String, SharedTg) {
    let state: SharedTg = Arc::default();
    let app = Router::new()
        .route("/{bot}/{method}", post(telegram).get(telegram))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

#[tokio::test]
async fn telegram_posts_a_photo_with_its_caption_and_never_repeats_an_unknown_outcome() {
    let (server, fake) = fake_telegram().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(
        &app,
        &owner,
        &[
            ("network", "telegram"),
            ("name", "טלגרם"),
            ("handle", "@yadbeyad"),
        ],
    )
    .await;
    let connect = |chat: &'static str, token: &'static str| {
        let owner = &owner;
        let path = format!("/orgs/yad/studio/channels/{ch}/connect");
        let server = server.clone();
        async move {
            owner
                .post_form(
                    &path,
                    &[("server_url", &server), ("token", token), ("account", chat)],
                )
                .await
        }
    };
    // A wrong token or a channel the bot cannot post to is refused at once.
    assert!(
        connect("@yadbeyad", "bot-wrong")
            .await
            .text()
            .await
            .unwrap()
            .contains("form-error")
    );
    assert!(
        connect("@elsewhere", "123:good")
            .await
            .text()
            .await
            .unwrap()
            .contains("form-error")
    );
    let r = connect("@yadbeyad", "123:good").await;
    assert!(location(&r).contains("done=channel-connected"));

    // A photo with its caption, then the thread's second part as a reply.
    let post = scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    {
        let f = fake.lock().unwrap();
        assert_eq!(f.messages.len(), 2, "{:?}", f.messages);
        assert_eq!(f.messages[0]["method"], json!("sendPhoto"));
        assert_eq!(
            f.messages[0]["fields"]["caption"],
            json!("שתלנו 40 עצים #התנדבות")
        );
        assert_eq!(f.messages[0]["fields"]["has_file"], json!(true));
        assert_eq!(f.messages[1]["method"], json!("sendMessage"));
        assert_eq!(
            f.messages[1]["fields"]["reply_parameters"]["message_id"],
            json!(10)
        );
    }
    let (state, url): (String, Option<String>) =
        kehilla_db::sqlx::query_as("SELECT state, remote_url FROM publications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (state.as_str(), url.as_deref()),
        ("published", Some("https://t.me/yadbeyad/10"))
    );
    let (_, html) = owner
        .get_text(&format!("/orgs/yad/studio/posts/{post}"))
        .await;
    assert!(html.contains("https://t.me/yadbeyad/10"));

    // The answer is lost after Telegram posted: unknown, and nothing is sent again.
    scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    fake.lock().unwrap().mode = "lose".into();
    app.run_pending_jobs().await;
    jobs_due(&app).await;
    app.run_pending_jobs().await;
    assert_eq!(
        fake.lock().unwrap().messages.len(),
        3,
        "posted once, never repeated"
    );
    let (state, code): (String, String) = kehilla_db::sqlx::query_as(
        "SELECT state, error_code FROM publications ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (state.as_str(), code.as_str()),
        ("unknown", "publish-unknown")
    );

    // Flood control: Telegram's retry_after holds the channel back; nothing is lost.
    scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    fake.lock().unwrap().mode = "429".into();
    let before = kehilla_db::now_ms();
    app.run_pending_jobs().await;
    let (state, code): (String, String) = kehilla_db::sqlx::query_as(
        "SELECT state, error_code FROM publications ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (state.as_str(), code.as_str()),
        ("pending", "publish-rate-limited")
    );
    let (until,): (Option<i64>,) =
        kehilla_db::sqlx::query_as("SELECT blocked_until FROM connections")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let until = until.unwrap();
    assert!(until >= before + 7_000 && until <= kehilla_db::now_ms() + 7_000);
    app.stop().await;
}

/// X API v2 as documented: users/me, media upload and metadata, tweets (201), the user's
/// timeline, 429 with `x-rate-limit-reset`, 403 for duplicate content.
#[derive(Default)]
struct FakeX {
    tweets: Vec<Value>,
    /// Reads of the account's followers (`users/me` with its public metrics).
    follower_reads: usize,
    alt_texts: Vec<Value>,
    /// "" (normal), "lose" (post, then answer 503), "429".
    mode: String,
}

type SharedX = Arc<Mutex<FakeX>>;

fn x_auth(h: &HeaderMap) -> Option<Response> {
    (h.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer x-good")).then(|| {
        (
            AxStatus::UNAUTHORIZED,
            Json(json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})),
        )
            .into_response()
    })
}

async fn x_me(
    State(s): State<SharedX>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    h: HeaderMap,
) -> Response {
    if let Some(r) = x_auth(&h) {
        return r;
    }
    let mut me = json!({"id": "42", "name": "יד ביד", "username": "yadbeyad"});
    if q.get("user.fields")
        .is_some_and(|f| f.split(',').any(|f| f == "public_metrics"))
    {
        s.lock().unwrap().follower_reads += 1;
        me["public_metrics"] = json!({"followers_count": 1830, "following_count": 75, "tweet_count": 412, "listed_count": 9});
    }
    Json(json!({ "data": me })).into_response()
}

async fn x_upload(h: HeaderMap) -> Response {
    if let Some(r) = x_auth(&h) {
        return r;
    }
    Json(json!({"data": {"id": "777", "media_key": "3_777"}})).into_response()
}

async fn x_metadata(State(s): State<SharedX>, h: HeaderMap, Json(b): Json<Value>) -> Response {
    if let Some(r) = x_auth(&h) {
        return r;
    }
    s.lock().unwrap().alt_texts.push(b);
    Json(json!({"data": {"associated": true}})).into_response()
}

async fn x_tweet(State(s): State<SharedX>, h: HeaderMap, Json(b): Json<Value>) -> Response {
    if let Some(r) = x_auth(&h) {
        return r;
    }
    let mut f = s.lock().unwrap();
    let mode = std::mem::take(&mut f.mode);
    if mode == "429" {
        return (
            AxStatus::TOO_MANY_REQUESTS,
            [
                ("x-rate-limit-limit", "100"),
                ("x-rate-limit-remaining", "0"),
                ("x-rate-limit-reset", "4070908800"),
            ],
            Json(
                json!({"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429}),
            ),
        )
            .into_response();
    }
    if f.tweets.iter().any(|t| t["text"] == b["text"]) {
        return (
            AxStatus::FORBIDDEN,
            Json(json!({"detail": "You are not allowed to create a Tweet with duplicate content.", "status": 403})),
        )
            .into_response();
    }
    let id = format!("{}", 9000 + f.tweets.len());
    let mut t = json!({"id": id, "text": b["text"], "media": b["media"]});
    if let Some(r) = b.pointer("/reply/in_reply_to_tweet_id") {
        t["referenced_tweets"] = json!([{"type": "replied_to", "id": r}]);
    }
    f.tweets.push(t);
    if mode == "lose" {
        return (AxStatus::SERVICE_UNAVAILABLE, "Service Unavailable").into_response();
    }
    (
        AxStatus::CREATED,
        Json(json!({"data": {"id": id, "text": b["text"], "edit_history_post_ids": [id]}})),
    )
        .into_response()
}

async fn x_timeline(State(s): State<SharedX>, h: HeaderMap) -> Response {
    if let Some(r) = x_auth(&h) {
        return r;
    }
    let f = s.lock().unwrap();
    let newest_first: Vec<Value> = f.tweets.iter().rev().cloned().collect();
    Json(json!({"data": newest_first})).into_response()
}

async fn fake_x() -> (String, SharedX) {
    let state: SharedX = Arc::default();
    let app = Router::new()
        .route("/2/users/me", get(x_me))
        .route("/2/media/upload", post(x_upload))
        .route("/2/media/metadata", post(x_metadata))
        .route("/2/tweets", post(x_tweet))
        .route("/2/users/42/tweets", get(x_timeline))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

/// The fake X, and an app whose organization has an X channel connected to it.
async fn x_connected() -> (String, SharedX, TestApp, Browser, String) {
    let (server, fake) = fake_x().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(&app, &owner, &[("network", "x"), ("name", "X")]).await;
    let r = connect_channel(
        &owner,
        &ch,
        &[("server_url", server.as_str()), ("token", "x-good")],
    )
    .await;
    assert!(
        location(&r).contains("done=channel-connected"),
        "{}",
        location(&r)
    );
    (server, fake, app, owner, ch)
}

#[tokio::test]
async fn x_reconciles_before_posting_again_and_waits_out_its_rate_limit() {
    let (_, fake, app, owner, ch) = x_connected().await;

    // The first post goes out but its answer is lost; the retry finds it instead of posting again.
    scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    fake.lock().unwrap().mode = "lose".into();
    app.run_pending_jobs().await;
    {
        let f = fake.lock().unwrap();
        assert_eq!(
            f.tweets.len(),
            2,
            "found at once, then the reply: {:?}",
            f.tweets
        );
        assert_eq!(f.tweets[1]["referenced_tweets"][0]["id"], f.tweets[0]["id"]);
        assert_eq!(f.tweets[0]["media"]["media_ids"], json!(["777"]));
        assert_eq!(
            f.alt_texts[0]["metadata"]["alt_text"]["text"],
            json!("מתנדבים בגינה")
        );
    }
    let (state, url): (String, Option<String>) =
        kehilla_db::sqlx::query_as("SELECT state, remote_url FROM publications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (state.as_str(), url.as_deref()),
        ("published", Some("https://x.com/yadbeyad/status/9000"))
    );

    // A 429 holds the channel until x-rate-limit-reset.
    let api = reqwest::Client::new();
    let token = owner.create_token("yad", "write").await;
    let p: Value = api
        .post(app.url("/api/v1/orgs/yad/posts"))
        .bearer_auth(&token)
        .json(&json!({"kind": "status", "body": "עדכון קצר", "channels": [ch], "scheduled_at": "2099-03-02T10:00"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = api
        .post(app.url(&format!(
            "/api/v1/orgs/yad/posts/{}/actions",
            p["id"].as_str().unwrap()
        )))
        .bearer_auth(&token)
        .json(&json!({"action": "schedule"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    fake.lock().unwrap().mode = "429".into();
    app.run_pending_jobs().await;
    let (until,): (Option<i64>,) =
        kehilla_db::sqlx::query_as("SELECT blocked_until FROM connections")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(until, Some(4_070_908_800_000));
    assert_eq!(
        fake.lock().unwrap().tweets.len(),
        2,
        "nothing posted while limited"
    );
    app.stop().await;
}

#[tokio::test]
async fn two_serve_processes_on_postgresql_publish_every_post_exactly_once() {
    if !backends().contains(&Backend::Postgres) {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    }
    let (server, fake) = fake_mastodon().await;
    // This server makes the data and publishes nothing (no worker, no dispatcher).
    let app = TestApp::spawn_on(Backend::Postgres, |s| s.fetch_private = true).await;
    let (owner, ch) = connected(&app, &server).await;
    let token = owner.create_token("yad", "write").await;
    let api = reqwest::Client::new();
    let n = 30;
    for i in 0..n {
        let p: Value = api
            .post(app.url("/api/v1/orgs/yad/posts"))
            .bearer_auth(&token)
            .json(
                &json!({"kind": "status", "body": format!("עדכון מספר {i}"), "channels": [ch],
                           "scheduled_at": "2099-03-02T10:00"}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let r = api
            .post(app.url(&format!(
                "/api/v1/orgs/yad/posts/{}/actions",
                p["id"].as_str().unwrap()
            )))
            .bearer_auth(&token)
            .json(&json!({"action": "schedule"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    // Their time has come.
    kehilla_db::sqlx::query("UPDATE posts SET scheduled_at = $1")
        .bind(kehilla_db::now_ms() - 1000)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"))
            .arg("serve")
            .env("KEHILLA_DATABASE_URL", &app.testdb.url)
            .env("KEHILLA_DATA_DIR", &app.testdb.dir)
            .env("KEHILLA_LISTEN", "127.0.0.1:0")
            .env("KEHILLA_JOB_WORKERS", "4")
            .env("KEHILLA_FETCH_PRIVATE", "true")
            .env("KEHILLA_LOG_LEVEL", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    // Other processes have no hook to await: poll the database, with a deadline.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        let (done,): (i64,) =
            kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM posts WHERE status = 'published'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        if done == n {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "only {done} of {n} published"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _ = (a.kill(), b.kill(), a.wait(), b.wait());
    {
        let f = fake.lock().unwrap();
        assert_eq!(f.statuses.len(), 30, "every post exactly once");
        let mut texts: Vec<&str> = f
            .statuses
            .iter()
            .map(|s| s["content"].as_str().unwrap())
            .collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), 30);
    }
    app.stop().await;
}

/// LinkedIn's versioned REST API with its trap: commentary is "little" text, and the post is
/// silently cut at the first unescaped reserved character.
#[derive(Default)]
struct FakeLinkedIn {
    /// (urn, commentary as sent, the text LinkedIn shows, content)
    posts: Vec<(String, String, String, Value)>,
    comments: Vec<Value>,
    uploads: usize,
    /// "" or "lose" (make the post, then answer 504).
    mode: String,
}

type SharedLi = Arc<Mutex<FakeLinkedIn>>;

/// What LinkedIn shows of a "little" text: cut at the first unescaped reserved character.
fn little(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else if "|{}@[]()<>#*_~".contains(c) {
            break;
        } else {
            out.push(c);
        }
    }
    out
}

fn li_checked(h: &HeaderMap) -> Option<Response> {
    if h.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer li-good") {
        return Some(
            (
                AxStatus::UNAUTHORIZED,
                Json(json!({"status": 401, "message": "Invalid access token"})),
            )
                .into_response(),
        );
    }
    if h.get("x-restli-protocol-version").is_none() || h.get("linkedin-version").is_none() {
        return Some(
            (
                AxStatus::BAD_REQUEST,
                Json(json!({"status": 400, "message": "A version header is missing"})),
            )
                .into_response(),
        );
    }
    None
}

async fn li_org(h: HeaderMap, axum::extract::Path(id): axum::extract::Path<String>) -> Response {
    if let Some(r) = li_checked(&h) {
        return r;
    }
    if id != "555" {
        return (
            AxStatus::FORBIDDEN,
            Json(json!({"status": 403, "message": "Not enough permissions"})),
        )
            .into_response();
    }
    Json(json!({"id": 555, "localizedName": "יד ביד"})).into_response()
}

async fn li_image_init(State((s, base)): State<(SharedLi, String)>, h: HeaderMap) -> Response {
    if let Some(r) = li_checked(&h) {
        return r;
    }
    let n = {
        let mut f = s.lock().unwrap();
        f.uploads += 1;
        f.uploads
    };
    Json(json!({"value": {"uploadUrl": format!("{base}/upload/{n}"), "image": format!("urn:li:image:{n}")}})).into_response()
}

async fn li_upload() -> AxStatus {
    AxStatus::CREATED
}

async fn li_post(
    State((s, _)): State<(SharedLi, String)>,
    h: HeaderMap,
    Json(b): Json<Value>,
) -> Response {
    if let Some(r) = li_checked(&h) {
        return r;
    }
    let mut f = s.lock().unwrap();
    let urn = format!("urn:li:share:{}", 700 + f.posts.len());
    let commentary = b["commentary"].as_str().unwrap_or("").to_string();
    f.posts.push((
        urn.clone(),
        commentary.clone(),
        little(&commentary),
        b["content"].clone(),
    ));
    if std::mem::take(&mut f.mode) == "lose" {
        return (AxStatus::GATEWAY_TIMEOUT, "").into_response();
    }
    (AxStatus::CREATED, [("x-restli-id", urn)]).into_response()
}

async fn li_posts(State((s, _)): State<(SharedLi, String)>, h: HeaderMap) -> Response {
    if let Some(r) = li_checked(&h) {
        return r;
    }
    let f = s.lock().unwrap();
    let elements: Vec<Value> = f
        .posts
        .iter()
        .rev()
        .map(|(id, c, _, _)| json!({"id": id, "commentary": c}))
        .collect();
    Json(json!({"elements": elements})).into_response()
}

async fn li_comment(
    State((s, _)): State<(SharedLi, String)>,
    h: HeaderMap,
    axum::extract::Path(urn): axum::extract::Path<String>,
    Json(b): Json<Value>,
) -> Response {
    if let Some(r) = li_checked(&h) {
        return r;
    }
    s.lock()
        .unwrap()
        .comments
        .push(json!({"on": urn, "body": b}));
    (AxStatus::CREATED, [("x-restli-id", "urn:li:comment:1")]).into_response()
}

async fn fake_linkedin() -> (String, SharedLi) {
    let state: SharedLi = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/rest/organizations/{id}", get(li_org))
        .route("/rest/images", post(li_image_init))
        .route("/upload/{n}", axum::routing::put(li_upload))
        .route("/rest/posts", post(li_post).get(li_posts))
        .route("/rest/socialActions/{urn}/comments", post(li_comment))
        .with_state((state.clone(), base.clone()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, state)
}

#[tokio::test]
async fn linkedin_gets_escaped_text_a_first_comment_and_no_second_post() {
    let (server, fake) = fake_linkedin().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(
        &app,
        &owner,
        &[("network", "linkedin"), ("name", "לינקדאין")],
    )
    .await;
    let connect = |page: &'static str| {
        let owner = &owner;
        let path = format!("/orgs/yad/studio/channels/{ch}/connect");
        let server = server.clone();
        async move {
            owner
                .post_form(
                    &path,
                    &[
                        ("server_url", &server),
                        ("token", "li-good"),
                        ("account", page),
                    ],
                )
                .await
        }
    };
    assert!(
        connect("urn:li:organization:999")
            .await
            .text()
            .await
            .unwrap()
            .contains("form-error")
    );
    assert!(location(&connect("urn:li:organization:555").await).contains("done=channel-connected"));

    // Hashtags and brackets would cut the post short if sent as they are.
    scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    fake.lock().unwrap().mode = "lose".into();
    app.run_pending_jobs().await;
    {
        let f = fake.lock().unwrap();
        assert_eq!(
            f.posts.len(),
            1,
            "the lost answer was reconciled, not posted again"
        );
        assert_eq!(
            f.posts[0].2, "שתלנו 40 עצים #התנדבות",
            "LinkedIn shows the whole text"
        );
        assert_eq!(f.posts[0].3["media"]["altText"], json!("מתנדבים בגינה"));
        assert_eq!(
            f.comments.len(),
            1,
            "the thread's second part is the first comment"
        );
        assert_eq!(f.comments[0]["on"], json!("urn:li:share:700"));
    }
    let (state, url): (String, Option<String>) =
        kehilla_db::sqlx::query_as("SELECT state, remote_url FROM publications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (state.as_str(), url.as_deref()),
        (
            "published",
            Some("https://www.linkedin.com/feed/update/urn:li:share:700")
        )
    );
    app.stop().await;
}

/// Instagram's Graph API (Instagram Login): containers made from a public image address that
/// the fake fetches like Meta's crawler, polled until FINISHED, then published.
#[derive(Default)]
struct FakeIg {
    containers: Vec<Value>,
    polls: usize,
    media: Vec<Value>,
    comments: Vec<Value>,
    /// "" or "lose" (publish, then answer 500).
    mode: String,
}

type SharedIg = Arc<Mutex<FakeIg>>;

fn ig_auth(h: &HeaderMap) -> Option<Response> {
    (h.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer ig-good")).then(|| {
        (
            AxStatus::BAD_REQUEST,
            Json(json!({"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}})),
        )
            .into_response()
    })
}

async fn ig_me(h: HeaderMap) -> Response {
    ig_auth(&h).unwrap_or_else(|| {
        Json(json!({"user_id": "17841", "username": "yadbeyad"})).into_response()
    })
}

async fn ig_node(
    State(s): State<SharedIg>,
    h: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    if let Some(r) = ig_auth(&h) {
        return r;
    }
    let mut f = s.lock().unwrap();
    if id.starts_with('c') {
        // A container is processed on the second look.
        f.polls += 1;
        let code = if f.polls % 2 == 1 {
            "IN_PROGRESS"
        } else {
            "FINISHED"
        };
        return Json(json!({"id": id, "status_code": code})).into_response();
    }
    Json(json!({"id": id, "permalink": format!("https://www.instagram.com/p/{id}/")}))
        .into_response()
}

async fn ig_edge_get(
    State(s): State<SharedIg>,
    h: HeaderMap,
    axum::extract::Path((_, edge)): axum::extract::Path<(String, String)>,
) -> Response {
    if let Some(r) = ig_auth(&h) {
        return r;
    }
    assert_eq!(edge, "media");
    let f = s.lock().unwrap();
    Json(json!({"data": f.media.iter().rev().cloned().collect::<Vec<_>>()})).into_response()
}

async fn ig_edge_post(
    State(s): State<SharedIg>,
    h: HeaderMap,
    axum::extract::Path((node, edge)): axum::extract::Path<(String, String)>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Response {
    if let Some(r) = ig_auth(&h) {
        return r;
    }
    let get = |k: &str| {
        form.iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match edge.as_str() {
        "media" => {
            // Meta fetches the picture from its public address.
            let url = get("image_url");
            let fetched = reqwest::get(&url).await.unwrap();
            let ok = fetched.status().is_success()
                && fetched.headers()["content-type"] == "image/jpeg"
                && !kehilla_media::has_exif(&fetched.bytes().await.unwrap());
            if !ok {
                return (
                    AxStatus::BAD_REQUEST,
                    Json(json!({"error": {"message": "Media download has failed.", "code": 9004}})),
                )
                    .into_response();
            }
            let mut f = s.lock().unwrap();
            let id = format!("c{}", f.containers.len() + 1);
            f.containers.push(json!({"id": id, "image_url": url, "alt_text": get("alt_text"), "caption": get("caption")}));
            Json(json!({"id": id})).into_response()
        }
        "media_publish" => {
            let mut f = s.lock().unwrap();
            let c = get("creation_id");
            let caption =
                f.containers.iter().find(|x| x["id"] == json!(c)).unwrap()["caption"].clone();
            let id = format!("{}", 18000 + f.media.len());
            f.media.push(json!({"id": id, "caption": caption, "permalink": format!("https://www.instagram.com/p/{id}/")}));
            if std::mem::take(&mut f.mode) == "lose" {
                return (
                    AxStatus::INTERNAL_SERVER_ERROR,
                    Json(json!({"error": {"message": "An unknown error occurred", "code": 1}})),
                )
                    .into_response();
            }
            Json(json!({"id": id})).into_response()
        }
        "comments" => {
            s.lock()
                .unwrap()
                .comments
                .push(json!({"on": node, "message": get("message")}));
            Json(json!({"id": "c-1"})).into_response()
        }
        _ => AxStatus::NOT_FOUND.into_response(),
    }
}

async fn fake_instagram() -> (String, SharedIg) {
    let state: SharedIg = Arc::default();
    let app = Router::new()
        .route("/me", get(ig_me))
        .route("/{node}", get(ig_node))
        .route("/{node}/{edge}", get(ig_edge_get).post(ig_edge_post))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

#[tokio::test]
async fn instagram_builds_a_container_from_the_public_photo_and_publishes_it_once() {
    let (server, fake) = fake_instagram().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(
        &app,
        &owner,
        &[("network", "instagram"), ("name", "אינסטגרם")],
    )
    .await;
    let r = connect_channel(
        &owner,
        &ch,
        &[("server_url", server.as_str()), ("token", "ig-good")],
    )
    .await;
    assert!(
        location(&r).contains("done=channel-connected"),
        "{}",
        location(&r)
    );
    scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    fake.lock().unwrap().mode = "lose".into();
    app.run_pending_jobs().await;
    {
        let f = fake.lock().unwrap();
        assert_eq!(
            f.media.len(),
            1,
            "published once; the lost answer was reconciled"
        );
        assert_eq!(f.containers.len(), 1);
        assert!(
            f.containers[0]["image_url"]
                .as_str()
                .unwrap()
                .ends_with("/instagram")
        );
        assert_eq!(f.containers[0]["alt_text"], json!("מתנדבים בגינה"));
        assert!(f.polls >= 2, "the container was polled until FINISHED");
        assert_eq!(f.comments.len(), 1, "the second part is the first comment");
    }
    let (state, url): (String, Option<String>) =
        kehilla_db::sqlx::query_as("SELECT state, remote_url FROM publications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (state.as_str(), url.as_deref()),
        ("published", Some("https://www.instagram.com/p/18000/"))
    );
    app.stop().await;
}

/// A Facebook Page on the Graph API: unpublished photos from a public address, the feed post,
/// comments, and error 190 for a revoked token.
#[derive(Default)]
struct FakeFb {
    photos: Vec<Value>,
    posts: Vec<Value>,
    comments: Vec<Value>,
    revoked: bool,
}

type SharedFb = Arc<Mutex<FakeFb>>;

async fn fb_node(
    State(s): State<SharedFb>,
    h: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    if s.lock().unwrap().revoked
        || h.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer fb-good")
    {
        return (
            AxStatus::BAD_REQUEST,
            Json(json!({"error": {"message": "Error validating access token: The session has been invalidated.", "type": "OAuthException", "code": 190, "error_subcode": 460}})),
        )
            .into_response();
    }
    Json(json!({"id": id, "name": "יד ביד"})).into_response()
}

async fn fb_edge(
    State(s): State<SharedFb>,
    h: HeaderMap,
    axum::extract::Path((node, edge)): axum::extract::Path<(String, String)>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Response {
    if s.lock().unwrap().revoked
        || h.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer fb-good")
    {
        return (
            AxStatus::BAD_REQUEST,
            Json(json!({"error": {"message": "Error validating access token: The session has been invalidated.", "type": "OAuthException", "code": 190}})),
        )
            .into_response();
    }
    let get = |k: &str| {
        form.iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut f = s.lock().unwrap();
    match edge.as_str() {
        "photos" => {
            let id = format!("ph{}", f.photos.len() + 1);
            f.photos.push(json!({"id": id, "url": get("url"), "published": get("published"), "alt": get("alt_text_custom")}));
            Json(json!({"id": id})).into_response()
        }
        "feed" => {
            let id = format!("{node}_{}", 500 + f.posts.len());
            let attached: Value = serde_json::from_str(&get("attached_media")).unwrap_or(json!([]));
            f.posts
                .push(json!({"id": id, "message": get("message"), "attached_media": attached}));
            Json(json!({"id": id, "permalink_url": format!("https://www.facebook.com/{id}")}))
                .into_response()
        }
        "comments" => {
            f.comments
                .push(json!({"on": node, "message": get("message")}));
            Json(json!({"id": "cm1"})).into_response()
        }
        _ => AxStatus::NOT_FOUND.into_response(),
    }
}

#[tokio::test]
async fn a_facebook_page_gets_the_photo_the_post_and_its_first_comment() {
    let state: SharedFb = Arc::default();
    let router = Router::new()
        .route("/{node}", get(fb_node))
        .route("/{node}/{edge}", post(fb_edge))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(
        &app,
        &owner,
        &[("network", "facebook"), ("name", "פייסבוק")],
    )
    .await;
    let r = connect_channel(
        &owner,
        &ch,
        &[
            ("server_url", server.as_str()),
            ("token", "fb-good"),
            ("account", "1234"),
        ],
    )
    .await;
    assert!(location(&r).contains("done=channel-connected"));
    scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    {
        let f = state.lock().unwrap();
        assert_eq!(f.photos.len(), 1);
        assert_eq!(f.photos[0]["published"], json!("false"));
        assert!(f.photos[0]["url"].as_str().unwrap().ends_with("/large"));
        assert_eq!(f.photos[0]["alt"], json!("מתנדבים בגינה"));
        assert_eq!(f.posts.len(), 1);
        assert_eq!(f.posts[0]["attached_media"], json!([{"media_fbid": "ph1"}]));
        assert_eq!(f.comments[0]["on"], json!("1234_500"));
    }
    // A revoked Page token: the next post fails with "connect again", and the channel says so.
    state.lock().unwrap().revoked = true;
    scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    let (state_, code): (String, String) = kehilla_db::sqlx::query_as(
        "SELECT state, error_code FROM publications ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (state_.as_str(), code.as_str()),
        ("failed", "publish-reconnect")
    );
    let (_, home) = owner.get_text("/orgs/yad/studio/channels").await;
    assert!(home.contains("צריך לחבר מחדש"));
    app.stop().await;
}

/// Threads' Graph API: containers (TEXT, IMAGE with reply_to_id for the thread), status polling,
/// threads_publish, the account's posts for reconciliation.
#[derive(Default)]
struct FakeThreads {
    containers: Vec<Value>,
    posts: Vec<Value>,
    polls: usize,
    /// "" or "lose".
    mode: String,
}

type SharedTh = Arc<Mutex<FakeThreads>>;

async fn th_node(
    State(s): State<SharedTh>,
    h: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    if h.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer th-good") {
        return (
            AxStatus::BAD_REQUEST,
            Json(json!({"error": {"message": "Invalid OAuth access token.", "code": 190}})),
        )
            .into_response();
    }
    if id == "me" {
        return Json(json!({"id": "3131", "username": "yadbeyad"})).into_response();
    }
    let mut f = s.lock().unwrap();
    if id.starts_with('k') {
        f.polls += 1;
        let status = if f.polls % 2 == 1 {
            "IN_PROGRESS"
        } else {
            "FINISHED"
        };
        return Json(json!({"id": id, "status": status})).into_response();
    }
    Json(json!({"id": id, "permalink": format!("https://www.threads.net/@yadbeyad/post/{id}")}))
        .into_response()
}

async fn th_edge_get(
    State(s): State<SharedTh>,
    axum::extract::Path((_, _)): axum::extract::Path<(String, String)>,
) -> Response {
    let f = s.lock().unwrap();
    Json(json!({"data": f.posts.iter().rev().cloned().collect::<Vec<_>>()})).into_response()
}

async fn th_edge_post(
    State(s): State<SharedTh>,
    axum::extract::Path((_, edge)): axum::extract::Path<(String, String)>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| {
        form.iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut f = s.lock().unwrap();
    match edge.as_str() {
        "threads" => {
            let id = format!("k{}", f.containers.len() + 1);
            f.containers.push(json!({"id": id, "media_type": get("media_type"), "text": get("text"),
                                     "image_url": get("image_url"), "alt_text": get("alt_text"), "reply_to_id": get("reply_to_id")}));
            Json(json!({"id": id})).into_response()
        }
        "threads_publish" => {
            let c = get("creation_id");
            let container = f
                .containers
                .iter()
                .find(|x| x["id"] == json!(c))
                .cloned()
                .unwrap();
            let id = format!("{}", 4400 + f.posts.len());
            f.posts.push(json!({"id": id, "text": container["text"], "reply_to_id": container["reply_to_id"],
                                "permalink": format!("https://www.threads.net/@yadbeyad/post/{id}")}));
            if std::mem::take(&mut f.mode) == "lose" {
                return (
                    AxStatus::INTERNAL_SERVER_ERROR,
                    Json(json!({"error": {"message": "An unknown error occurred", "code": 1}})),
                )
                    .into_response();
            }
            Json(json!({"id": id})).into_response()
        }
        _ => AxStatus::NOT_FOUND.into_response(),
    }
}

#[tokio::test]
async fn threads_publishes_a_thread_of_containers_once() {
    let state: SharedTh = Arc::default();
    let router = Router::new()
        .route("/{node}", get(th_node))
        .route("/{node}/{edge}", get(th_edge_get).post(th_edge_post))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(&app, &owner, &[("network", "threads"), ("name", "Threads")]).await;
    let r = connect_channel(
        &owner,
        &ch,
        &[("server_url", server.as_str()), ("token", "th-good")],
    )
    .await;
    assert!(location(&r).contains("done=channel-connected"));
    scheduled_post(&app, &owner, &ch).await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    state.lock().unwrap().mode = "lose".into();
    app.run_pending_jobs().await;
    {
        let f = state.lock().unwrap();
        assert_eq!(f.posts.len(), 2, "{:?}", f.posts);
        assert_eq!(f.containers[0]["media_type"], json!("IMAGE"));
        assert_eq!(f.containers[0]["alt_text"], json!("מתנדבים בגינה"));
        assert_eq!(f.containers[1]["media_type"], json!("TEXT"));
        assert_eq!(f.containers[1]["reply_to_id"], f.posts[0]["id"]);
    }
    let (state_, url): (String, Option<String>) =
        kehilla_db::sqlx::query_as("SELECT state, remote_url FROM publications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (state_.as_str(), url.as_deref()),
        (
            "published",
            Some("https://www.threads.net/@yadbeyad/post/4400")
        )
    );
    app.stop().await;
}

#[tokio::test]
async fn an_admin_signs_in_to_a_mastodon_server_with_pkce() {
    let (server, fake) = fake_mastodon().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(
        &app,
        &owner,
        &[("network", "mastodon"), ("name", "מסטודון")],
    )
    .await;
    let r = owner
        .post_form(
            &format!("/orgs/yad/studio/channels/{ch}/oauth"),
            &[("server_url", server.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let authorize = location(&r);
    assert!(authorize.starts_with(&format!("{server}/oauth/authorize?")));
    // At the server, the admin approves; the server sends the browser back with a code.
    let back = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&authorize)
        .send()
        .await
        .unwrap();
    let callback = location(&back);
    assert!(callback.starts_with(&app.url("/oauth/callback?")));
    let path = callback.strip_prefix(&app.base).unwrap().to_string();
    let r = owner.get(&path).await;
    assert_eq!(
        location(&r),
        "/orgs/yad/studio/channels?done=channel-connected"
    );
    let (account, sealed): (String, String) =
        kehilla_db::sqlx::query_as("SELECT account, token_sealed FROM connections")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(account.starts_with("@yadbeyad@"));
    assert!(!sealed.contains("good-token"));
    assert_eq!(
        fake.lock().unwrap().apps,
        1,
        "the app is registered on the server once"
    );
    // The way back works once.
    let (s, html) = owner.get_text(&path).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(html.contains("פגה"));
    app.stop().await;
}

#[tokio::test]
async fn a_server_on_a_private_address_is_refused_unless_the_test_setting_allows_it() {
    let (server, fake) = fake_mastodon().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |_| {}).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(
        &app,
        &owner,
        &[("network", "mastodon"), ("name", "מסטודון")],
    )
    .await;
    for path in ["connect", "oauth"] {
        let r = owner
            .post_form(
                &format!("/orgs/yad/studio/channels/{ch}/{path}"),
                &[("server_url", server.as_str()), ("token", "good-token")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.text().await.unwrap().contains("form-error"));
    }
    {
        let f = fake.lock().unwrap();
        assert!(
            f.apps == 0 && f.statuses.is_empty(),
            "the loopback server was never called"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn the_profile_with_its_logo_is_set_on_the_networks_that_allow_it() {
    let (server, fake) = fake_mastodon().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let (owner, _) = connected(&app, &server).await;
    let token = owner.create_token("yad", "write").await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(kehilla_media::sample::photo(200, 200, 40))
            .file_name("logo.jpg"),
    );
    let m: Value = reqwest::Client::new()
        .post(app.url("/api/v1/orgs/yad/media"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let logo = m["id"].as_str().unwrap();
    // A website that is not a web address is refused, with the field named.
    let r = owner
        .post_form(
            "/orgs/yad/studio/profile",
            &[
                ("description", "x"),
                ("website", "javascript:alert(1)"),
                ("logo_media", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("form-error"));
    let r = owner
        .post_form(
            "/orgs/yad/studio/profile",
            &[
                (
                    "description",
                    "עמותה לחלוקת מזון בירושלים · Food for every family",
                ),
                ("website", "https://yad.example"),
                ("logo_media", logo),
            ],
        )
        .await;
    assert!(
        location(&r).contains("done=profile-saved"),
        "{}",
        location(&r)
    );
    let (_, page) = owner.get_text("/orgs/yad/studio/channels").await;
    assert!(page.contains("עמותה לחלוקת מזון בירושלים"));
    let r = owner.post_form("/orgs/yad/studio/profile/push", &[]).await;
    assert!(location(&r).contains("done=profile-pushing"));
    app.run_pending_jobs().await;
    {
        let f = fake.lock().unwrap();
        assert_eq!(f.profiles.len(), 1);
        assert_eq!(
            f.profiles[0].0,
            "עמותה לחלוקת מזון בירושלים · Food for every family"
        );
        assert_eq!(f.profiles[0].1, "https://yad.example");
        assert!(f.profiles[0].2 > 0, "the logo is sent as the avatar");
    }
    let (_, health) = owner.get_text("/orgs/yad/studio/channels/health").await;
    assert!(health.contains("עודכן"), "{health}");
    app.stop().await;
}

#[tokio::test]
async fn x_followers_are_read_once_a_day_because_x_bills_each_read() {
    let (_, fake, app, _owner, _ch) = x_connected().await;
    let hour = 3_600_000;
    let now = kehilla_db::now_ms();
    let collect = |n: i64| {
        let app = &app;
        async move {
            kehilla_app::measure::enqueue_due(&app.db, now + n * hour)
                .await
                .unwrap();
            app.run_pending_jobs().await;
        }
    };
    let points = || async {
        let (n,): (i64,) = kehilla_db::sqlx::query_as(
            "SELECT COUNT(*) FROM metric_points WHERE metric = 'followers' AND value = 1830",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        n
    };
    let reads = || fake.lock().unwrap().follower_reads;
    collect(0).await;
    assert_eq!((reads(), points().await), (1, 1));
    // Two hours later (as if): an hourly network would be asked again; X is not.
    kehilla_db::sqlx::query("UPDATE metric_points SET at = at - $1")
        .bind(2 * hour)
        .execute(&app.db.pool)
        .await
        .unwrap();
    collect(2).await;
    assert_eq!((reads(), points().await), (1, 1));
    // A day later it is.
    kehilla_db::sqlx::query("UPDATE metric_points SET at = at - $1")
        .bind(23 * hour)
        .execute(&app.db.pool)
        .await
        .unwrap();
    collect(25).await;
    assert_eq!((reads(), points().await), (2, 2));
}

#[tokio::test]
async fn followers_are_read_from_the_network_every_hour_for_measure() {
    let (server, _fake) = fake_mastodon().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let (_owner, ch) = connected(&app, &server).await;
    let now = kehilla_db::now_ms();
    kehilla_app::measure::enqueue_due(&app.db, now)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    let rows: Vec<(String, f64)> = kehilla_db::sqlx::query_as(
        "SELECT c.public_id, mp.value FROM metric_points mp JOIN channels c ON c.id = mp.channel_id \
         WHERE mp.metric = 'followers'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(rows, vec![(ch, 321.0)]);
    // The next rollup carries them to the channel's and the organization's daily rows.
    kehilla_app::measure::enqueue_due(&app.db, now + 600_000)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    let (v,): (f64,) = kehilla_db::sqlx::query_as(
        "SELECT value FROM daily_metrics WHERE metric = 'followers' AND channel_id = 0",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(v, 321.0);
    // Mastodon is asked every hour: two hours on, again.
    kehilla_db::sqlx::query("UPDATE metric_points SET at = at - 7200000")
        .execute(&app.db.pool)
        .await
        .unwrap();
    kehilla_app::measure::enqueue_due(&app.db, now + 2 * 3_600_000)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    let (n,): (i64,) =
        kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM metric_points WHERE metric = 'followers'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(n, 2);
}
