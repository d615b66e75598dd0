//! Signing in to the networks with the instance's apps (OAuth 2 authorization code, PKCE where
//! the network takes it), tokens renewed before they expire and when one expires mid-run, the
//! channel health page, and the warning before a scheduled post would fail. Against local
//! servers that answer as each network's documentation says.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode as AxStatus;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use kehilla_app::settings::{OauthApp, Secret};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest;

use crate::network_calls::{Req, answer, serve};
use crate::publishing::{LATER, new_channel};
use crate::support::smtp::Sink;
use crate::support::{Backend, Browser, TestApp, backends, location};

fn app_of(server: &str, id: &str, secret: &str) -> OauthApp {
    OauthApp {
        client_id: id.into(),
        client_secret: Secret(secret.into()),
        base_url: Some(server.into()),
        webhook_verify_token: None,
    }
}

fn redirect(to: String) -> Response {
    (AxStatus::FOUND, [("location", to)]).into_response()
}

/// At the network, the admin approves at once: back to Kehilla with a code.
fn approve(r: &Req, code: &str) -> Response {
    let (uri, state) = (r.param("redirect_uri").unwrap(), r.param("state").unwrap());
    redirect(format!("{uri}?code={code}&state={state}"))
}

fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// Walks a sign-in: Kehilla's redirect, the network's page, the way back. Returns Kehilla's
/// answer to the way back.
async fn sign_in(
    app: &TestApp,
    owner: &Browser,
    ch: &str,
    authorize_prefix: &str,
) -> reqwest::Response {
    let r = owner
        .post_form(&format!("/orgs/yad/studio/channels/{ch}/oauth"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let authorize = location(&r);
    assert!(authorize.starts_with(authorize_prefix), "{authorize}");
    let back = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&authorize)
        .send()
        .await
        .unwrap();
    let callback = location(&back);
    assert!(
        callback.starts_with(&app.url("/oauth/callback?")),
        "{callback}"
    );
    owner.get(callback.strip_prefix(&app.base).unwrap()).await
}

/// A scheduled text post on a channel.
async fn scheduled(app: &TestApp, owner: &Browser, ch: &str, text: &str) -> String {
    let token = owner.create_token("yad", "write").await;
    let api = reqwest::Client::new();
    let p: Value = api
        .post(app.url("/api/v1/orgs/yad/posts"))
        .bearer_auth(&token)
        .json(&json!({"kind": "story", "body": text, "channels": [ch], "scheduled_at": "2099-03-01T10:00"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = p["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{p}"))
        .to_string();
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

async fn one<
    T: for<'r> kehilla_db::sqlx::FromRow<'r, kehilla_db::sqlx::any::AnyRow> + Send + Unpin,
>(
    app: &TestApp,
    sql: &str,
) -> T {
    kehilla_db::sqlx::query_as(kehilla_db::sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn exec(app: &TestApp, sql: &str) {
    kehilla_db::sqlx::query(kehilla_db::sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&app.db.pool)
        .await
        .unwrap();
}

/// X's OAuth 2 with PKCE: 2-hour tokens, refresh tokens that change on every use.
#[derive(Default)]
struct XAuth {
    challenge: String,
    access: String,
    refresh: String,
    issued: usize,
    /// The access token has expired (the trap: it happens between two calls of one run).
    expired: bool,
    /// The refresh token was revoked on X's side.
    revoked: bool,
    tweets: Vec<Value>,
}

#[tokio::test]
async fn x_signs_in_with_pkce_and_renews_its_token_before_and_when_it_expires() {
    for backend in backends() {
        let st: Arc<Mutex<XAuth>> = Arc::default();
        let s = st.clone();
        let (server, log) = serve(move |r, _| {
            let mut x = s.lock().unwrap();
            let bearer = r.header("authorization").strip_prefix("Bearer ").map(str::to_string);
            let unauthorized = || answer(401, json!({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}));
            match (r.method.as_str(), r.path.as_str()) {
                ("GET", "/i/oauth2/authorize") => {
                    assert_eq!(r.param("client_id").as_deref(), Some("x-client"));
                    assert_eq!(r.param("code_challenge_method").as_deref(), Some("S256"));
                    assert!(r.param("scope").unwrap().contains("offline.access"));
                    x.challenge = r.param("code_challenge").unwrap();
                    approve(r, "x-code")
                }
                ("POST", "/2/oauth2/token") => {
                    let basic = format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode("x-client:x-secret")
                    );
                    if r.header("authorization") != basic {
                        return answer(401, json!({"error": "unauthorized_client", "error_description": "Missing valid authorization header"}));
                    }
                    let ok = match r.form("grant_type").as_deref() {
                        Some("authorization_code") => {
                            r.form("code").as_deref() == Some("x-code")
                                && s256(&r.form("code_verifier").unwrap_or_default()) == x.challenge
                        }
                        Some("refresh_token") => {
                            !x.revoked && r.form("refresh_token") == Some(x.refresh.clone())
                        }
                        _ => false,
                    };
                    if !ok {
                        return answer(400, json!({"error": "invalid_request", "error_description": "Value passed for the token was invalid."}));
                    }
                    x.issued += 1;
                    x.access = format!("xa{}", x.issued);
                    x.refresh = format!("xr{}", x.issued);
                    x.expired = false;
                    answer(200, json!({"token_type": "bearer", "expires_in": 7200, "access_token": x.access,
                        "scope": "tweet.read tweet.write users.read media.write offline.access", "refresh_token": x.refresh}))
                }
                _ if bearer.as_deref() != Some(x.access.as_str()) || x.expired => unauthorized(),
                ("GET", "/2/users/me") => answer(200, json!({"data": {"id": "42", "name": "יד ביד", "username": "yadbeyad"}})),
                ("GET", "/2/users/42/tweets") => answer(200, json!({"meta": {"result_count": 0}})),
                ("POST", "/2/tweets") => {
                    let id = format!("{}", 1000 + x.tweets.len());
                    x.tweets.push(r.json());
                    answer(201, json!({"data": {"id": id, "text": r.json()["text"], "edit_history_tweet_ids": [id]}}))
                }
                _ => answer(404, json!({"title": "Not Found Error"})),
            }
        })
        .await;
        let srv = server.clone();
        let sink = Sink::start().await;
        let smtp = sink.url();
        let app = TestApp::spawn_on(backend, move |s| {
            s.fetch_private = true;
            s.smtp_url = Some(Secret(smtp));
            s.oauth_apps
                .insert("x".into(), app_of(&srv, "x-client", "x-secret"));
        })
        .await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let ch = new_channel(&app, &owner, &[("network", "x"), ("name", "X")]).await;
        let (_, page) = owner.get_text("/orgs/yad/studio/channels").await;
        assert!(
            page.contains("התחברות דרך"),
            "the instance offers signing in with X"
        );

        let r = sign_in(&app, &owner, &ch, &format!("{server}/i/oauth2/authorize?")).await;
        assert_eq!(
            location(&r),
            "/orgs/yad/studio/channels?done=channel-connected"
        );
        let (account, expires, refresh): (String, i64, String) = one(
            &app,
            "SELECT account, expires_at, refresh_sealed FROM connections",
        )
        .await;
        assert_eq!(account, "@yadbeyad");
        let now = kehilla_db::now_ms();
        assert!(
            (now + 7_100_000..now + 7_300_000).contains(&expires),
            "two hours"
        );
        assert!(
            !refresh.is_empty() && !refresh.contains("xr1"),
            "the refresh token is sealed"
        );

        // The token expires between two calls of a run: renewed once, the post goes out once.
        scheduled(&app, &owner, &ch, "שתלנו 40 עצים").await;
        st.lock().unwrap().expired = true;
        kehilla_app::publishing::dispatch_due(&app.db, LATER)
            .await
            .unwrap();
        app.run_pending_jobs().await;
        let (state,): (String,) = one(&app, "SELECT state FROM publications").await;
        assert_eq!(state, "published");
        {
            let x = st.lock().unwrap();
            assert_eq!(x.tweets.len(), 1);
            assert_eq!(x.access, "xa2", "renewed with the first refresh token");
        }

        // Before it expires, the renewal job renews it (once, whichever server queues it).
        exec(
            &app,
            &format!("UPDATE connections SET expires_at = {}", now + 5 * 60_000),
        )
        .await;
        let (a, b) = tokio::join!(
            kehilla_app::publishing::renew::enqueue_due(&app.db, now),
            kehilla_app::publishing::renew::enqueue_due(&app.db, now)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        app.run_pending_jobs().await;
        assert_eq!(st.lock().unwrap().access, "xa3");
        let (expires,): (i64,) = one(&app, "SELECT expires_at FROM connections").await;
        assert!(expires > now + 60 * 60_000);
        assert_eq!(
            kehilla_app::publishing::renew::enqueue_due(&app.db, now)
                .await
                .unwrap(),
            0
        );
        let refreshes = log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.form("grant_type").as_deref() == Some("refresh_token"))
            .count();
        assert_eq!(refreshes, 2);

        // The refresh token is revoked on X: the channel needs connecting again, in plain words,
        // and the team is warned once about the post waiting for it.
        st.lock().unwrap().revoked = true;
        exec(
            &app,
            &format!("UPDATE connections SET expires_at = {}", now + 4 * 60_000),
        )
        .await;
        kehilla_app::publishing::renew::enqueue_due(&app.db, now)
            .await
            .unwrap();
        app.run_pending_jobs().await;
        let (needs, code): (i64, String) = one(
            &app,
            "SELECT needs_reconnect, last_error_code FROM connections",
        )
        .await;
        assert_eq!((needs, code.as_str()), (1, "publish-reconnect"));
        let (_, health) = owner.get_text("/orgs/yad/studio/channels/health").await;
        assert!(
            health.contains(&format!("id=\"health-{ch}\" data-state=\"reconnect\"")),
            "{health}"
        );
        assert!(health.contains("צריך לחבר את הערוץ מחדש"));
        assert!(health.contains("חיבור מחדש"), "a reconnect button");

        let p = scheduled(&app, &owner, &ch, "הפוסט הבא").await;
        // Due in two days (the warning looks three days ahead).
        exec(
            &app,
            &format!(
                "UPDATE posts SET scheduled_at = {} WHERE public_id = '{p}'",
                now + 2 * 24 * 3_600_000
            ),
        )
        .await;
        let (a, b) = tokio::join!(
            kehilla_app::publishing::renew::warn_at_risk(&app.db, now),
            kehilla_app::publishing::renew::warn_at_risk(&app.db, now)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1, "warned once");
        let (n,): (i64,) = one(
            &app,
            "SELECT COUNT(*) FROM notifications WHERE kind = 'channel-at-risk'",
        )
        .await;
        assert_eq!(n, 1, "the owner (the only editor) is told");
        let (_, list) = owner.get_text("/orgs/yad/studio/notifications").await;
        assert!(list.contains("צריך לחבר ערוץ מחדש"));
        assert_eq!(
            kehilla_app::publishing::renew::warn_at_risk(&app.db, now + 60_000)
                .await
                .unwrap(),
            0
        );
        app.run_pending_jobs().await;
        let mails = sink.all();
        assert_eq!(mails.len(), 1, "and by email: {:?}", mails.len());
        assert!(mails[0].to.iter().any(|t| t.contains("dana@example.org")));
        app.stop().await;
    }
}

#[tokio::test]
async fn facebook_signs_in_for_the_page_the_channel_names_and_keeps_its_page_token() {
    let (server, log) = serve(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/v23.0/dialog/oauth") => {
            assert_eq!(r.param("client_id").as_deref(), Some("meta-app"));
            assert!(r.param("scope").unwrap().contains("pages_manage_posts"));
            approve(r, "fb-code")
        }
        ("GET", "/v23.0/oauth/access_token") => match (r.param("code"), r.param("fb_exchange_token")) {
            (Some(c), _) if c == "fb-code" && r.param("client_secret").as_deref() == Some("meta-secret") => {
                answer(200, json!({"access_token": "user-short", "token_type": "bearer", "expires_in": 3600}))
            }
            (_, Some(t)) if t == "user-short" && r.param("grant_type").as_deref() == Some("fb_exchange_token") => {
                answer(200, json!({"access_token": "user-long", "token_type": "bearer", "expires_in": 5183944}))
            }
            _ => answer(400, json!({"error": {"message": "Invalid verification code format.", "type": "OAuthException", "code": 100}})),
        },
        ("GET", "/v23.0/me/accounts") if r.header("authorization") == "Bearer user-long" => answer(
            200,
            json!({"data": [
                {"id": "101", "name": "יד ביד - תל אביב", "access_token": "page-101", "category": "Nonprofit"},
                {"id": "202", "name": "יד ביד", "access_token": "page-202", "category": "Nonprofit"}
            ], "paging": {"cursors": {"before": "a", "after": "b"}}}),
        ),
        ("GET", p) if p.starts_with("/v23.0/") && r.header("authorization").starts_with("Bearer page-") => {
            answer(200, json!({"id": p.trim_start_matches("/v23.0/"), "name": "יד ביד"}))
        }
        _ => answer(400, json!({"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}})),
    })
    .await;
    let srv = server.clone();
    let app = TestApp::spawn_on(Backend::Sqlite, move |s| {
        s.fetch_private = true;
        s.oauth_apps
            .insert("facebook".into(), app_of(&srv, "meta-app", "meta-secret"));
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(
        &app,
        &owner,
        &[("network", "facebook"), ("name", "פייסבוק")],
    )
    .await;
    // Two pages and the channel names none: the admin is asked to say which.
    let r = sign_in(&app, &owner, &ch, &format!("{server}/v23.0/dialog/oauth?")).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("כמה דפים"));
    exec(&app, "UPDATE channels SET handle = 'יד ביד'").await;
    let r = sign_in(&app, &owner, &ch, &format!("{server}/v23.0/dialog/oauth?")).await;
    assert_eq!(
        location(&r),
        "/orgs/yad/studio/channels?done=channel-connected"
    );
    let (account, expires, refresh, server_url): (String, Option<i64>, String, String) = one(
        &app,
        "SELECT account, expires_at, refresh_sealed, server_url FROM connections",
    )
    .await;
    assert_eq!(account, "202");
    assert_eq!(
        expires, None,
        "a Page token from a long-lived user token does not expire"
    );
    assert!(refresh.is_empty());
    assert_eq!(server_url, format!("{server}/v23.0"));
    // The PKCE challenge went out and the verifier came back with the code.
    let reqs = log.lock().unwrap().clone();
    let challenge = reqs
        .iter()
        .find(|r| r.path == "/v23.0/dialog/oauth")
        .and_then(|r| r.param("code_challenge"))
        .unwrap();
    let exchanged = reqs
        .iter()
        .rev()
        .find(|r| r.param("code").is_some())
        .unwrap();
    // The last sign-in's own challenge.
    let last_challenge = reqs
        .iter()
        .rev()
        .find(|r| r.path == "/v23.0/dialog/oauth")
        .and_then(|r| r.param("code_challenge"))
        .unwrap();
    assert_ne!(challenge, "");
    assert_eq!(
        s256(&exchanged.param("code_verifier").unwrap()),
        last_challenge
    );
    let (_, health) = owner.get_text("/orgs/yad/studio/channels/health").await;
    assert!(health.contains("לא פג"), "no expiry shown as such");
    app.stop().await;
}

#[tokio::test]
async fn instagram_exchanges_for_a_sixty_day_token_that_renews_itself() {
    let issued = Arc::new(Mutex::new(1));
    let n = issued.clone();
    let (server, log) = serve(move |r, _| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/oauth/authorize") => approve(r, "ig-code"),
        ("POST", "/oauth/access_token") => {
            if r.form("code").as_deref() != Some("ig-code") || r.form("client_secret").as_deref() != Some("ig-secret") {
                return answer(400, json!({"error_type": "OAuthException", "code": 400, "error_message": "Invalid authorization code"}));
            }
            answer(200, json!({"data": [{"access_token": "ig-short", "user_id": "17841400000", "permissions": "instagram_business_basic,instagram_business_content_publish"}]}))
        }
        ("GET", "/access_token") if r.param("access_token").as_deref() == Some("ig-short") => {
            answer(200, json!({"access_token": "ig-long-1", "token_type": "bearer", "expires_in": 5183944}))
        }
        ("GET", "/refresh_access_token") => {
            let mut n = n.lock().unwrap();
            if r.param("access_token") != Some(format!("ig-long-{n}")) {
                return answer(400, json!({"error": {"message": "Invalid OAuth access token", "type": "OAuthException", "code": 190}}));
            }
            *n += 1;
            answer(200, json!({"access_token": format!("ig-long-{n}"), "token_type": "bearer", "expires_in": 5183944}))
        }
        ("GET", "/me") if r.header("authorization").starts_with("Bearer ig-long-") => {
            answer(200, json!({"user_id": "17841400000", "username": "yadbeyad"}))
        }
        _ => answer(400, json!({"error": {"message": "Invalid OAuth access token", "type": "OAuthException", "code": 190}})),
    })
    .await;
    let srv = server.clone();
    let app = TestApp::spawn_on(Backend::Sqlite, move |s| {
        s.fetch_private = true;
        s.oauth_apps
            .insert("instagram".into(), app_of(&srv, "ig-app", "ig-secret"));
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(
        &app,
        &owner,
        &[("network", "instagram"), ("name", "אינסטגרם")],
    )
    .await;
    let r = sign_in(&app, &owner, &ch, &format!("{server}/oauth/authorize?")).await;
    assert_eq!(
        location(&r),
        "/orgs/yad/studio/channels?done=channel-connected"
    );
    let now = kehilla_db::now_ms();
    let (account, expires): (String, i64) =
        one(&app, "SELECT account, expires_at FROM connections").await;
    assert_eq!(account, "17841400000");
    assert!(expires > now + 59 * 24 * 3_600_000, "sixty days");
    let (_, health) = owner.get_text("/orgs/yad/studio/channels/health").await;
    assert!(
        health.contains("פג בעוד 59 ימים") || health.contains("פג בעוד 60 ימים"),
        "{health}"
    );
    assert!(health.contains("מתחדש אוטומטית"));

    // Three days before it expires, a token younger than a day is left alone...
    exec(
        &app,
        &format!(
            "UPDATE connections SET expires_at = {}",
            now + 3 * 24 * 3_600_000
        ),
    )
    .await;
    kehilla_app::publishing::renew::enqueue_due(&app.db, now)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(
        *issued.lock().unwrap(),
        1,
        "Instagram renews a token only once it is a day old"
    );
    // ...and a day-old one is renewed with itself.
    exec(
        &app,
        &format!(
            "UPDATE connections SET expires_at = {}, renewed_at = {}",
            now + 3 * 24 * 3_600_000 - 1,
            now - 2 * 24 * 3_600_000
        ),
    )
    .await;
    kehilla_app::publishing::renew::enqueue_due(&app.db, now)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(*issued.lock().unwrap(), 2);
    let (expires,): (i64,) = one(&app, "SELECT expires_at FROM connections").await;
    assert!(expires > now + 59 * 24 * 3_600_000);
    assert!(
        log.lock()
            .unwrap()
            .iter()
            .any(|r| r.path == "/refresh_access_token"
                && r.param("grant_type").as_deref() == Some("ig_refresh_token"))
    );
    app.stop().await;
}

#[tokio::test]
async fn without_an_app_the_sign_in_says_so_and_the_token_form_remains() {
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(
        &app,
        &owner,
        &[("network", "linkedin"), ("name", "לינקדאין")],
    )
    .await;
    let (_, page) = owner.get_text("/orgs/yad/studio/channels").await;
    assert!(
        !page.contains(&format!("id=\"oauth-{ch}\"")),
        "no sign-in button without an app"
    );
    let r = owner
        .post_form(&format!("/orgs/yad/studio/channels/{ch}/oauth"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("oauth_apps"));
    app.stop().await;
}

#[tokio::test]
async fn an_app_limit_announced_by_x_makes_every_x_channel_wait_without_failing() {
    let (server, _log) = serve(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/2/users/me") => answer(200, json!({"data": {"id": "42", "username": "yadbeyad"}})),
        ("POST", "/2/tweets") => (
            AxStatus::CREATED,
            [
                ("x-app-limit-24hour-limit", "10000"),
                ("x-app-limit-24hour-remaining", "0"),
                ("x-app-limit-24hour-reset", "4200000000"),
            ],
            axum::Json(json!({"data": {"id": "7", "text": r.json()["text"], "edit_history_tweet_ids": ["7"]}})),
        )
            .into_response(),
        _ => answer(404, json!({"title": "Not Found Error"})),
    })
    .await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let mut channels = Vec::new();
    for name in ["X א", "X ב"] {
        let ch = new_channel(&app, &owner, &[("network", "x"), ("name", name)]).await;
        let r = crate::publishing::connect_channel(
            &owner,
            &ch,
            &[("server_url", server.as_str()), ("token", "t")],
        )
        .await;
        assert!(location(&r).contains("done=channel-connected"));
        channels.push(ch);
    }
    scheduled(&app, &owner, &channels[0], "ראשון").await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    let (until,): (i64,) = one(
        &app,
        "SELECT blocked_until FROM app_limits WHERE network = 'x'",
    )
    .await;
    assert_eq!(until, 4_200_000_000_000);

    // The other channel's post waits for the app's reset: not failed, the attempt not counted.
    scheduled(&app, &owner, &channels[1], "שני").await;
    kehilla_app::publishing::dispatch_due(&app.db, LATER)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    let (status, attempts, run_at): (String, i64, i64) = one(
        &app,
        "SELECT status, attempts, run_at FROM jobs WHERE kind = 'publish.post' ORDER BY id DESC",
    )
    .await;
    assert_eq!(
        (status.as_str(), attempts, run_at),
        ("queued", 0, 4_200_000_000_000)
    );
    let (states,): (String,) = one(
        &app,
        "SELECT MIN(state) || '/' || MAX(state) FROM publications",
    )
    .await;
    assert_eq!(states, "pending/published");
    app.stop().await;
}

#[tokio::test]
async fn linkedin_signs_in_for_the_page_the_member_administers_and_renews_with_its_refresh_token() {
    let issued = Arc::new(Mutex::new(0));
    let n = issued.clone();
    let (server, log) = serve(move |r, _| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/oauth/v2/authorization") => {
            assert!(r.param("scope").unwrap().contains("w_organization_social"));
            assert_eq!(r.param("code_challenge"), None, "LinkedIn's web flow takes no PKCE");
            approve(r, "li-code")
        }
        ("POST", "/oauth/v2/accessToken") => {
            let mut n = n.lock().unwrap();
            let ok = match r.form("grant_type").as_deref() {
                Some("authorization_code") => r.form("code").as_deref() == Some("li-code"),
                Some("refresh_token") => r.form("refresh_token").as_deref() == Some("li-refresh"),
                _ => false,
            } && r.form("client_secret").as_deref() == Some("li-secret");
            if !ok {
                return answer(400, json!({"error": "invalid_request", "error_description": "Unable to retrieve access token"}));
            }
            *n += 1;
            // LinkedIn keeps the refresh token (no new one on renewal).
            let mut body = json!({"access_token": format!("li-access-{n}"), "expires_in": 5_184_000});
            if *n == 1 {
                body["refresh_token"] = json!("li-refresh");
                body["refresh_token_expires_in"] = json!(31_536_000);
            }
            answer(200, body)
        }
        ("GET", "/rest/organizationAcls") => {
            assert_eq!(r.header("x-restli-protocol-version"), "2.0.0");
            assert_eq!(r.param("q").as_deref(), Some("roleAssignee"));
            answer(
                200,
                json!({"elements": [{"roleAssignee": "urn:li:person:abc", "state": "APPROVED", "role": "ADMINISTRATOR",
                    "organization": "urn:li:organization:5515"}], "paging": {"count": 10, "start": 0}}),
            )
        }
        ("GET", "/rest/organizations/5515") if r.header("authorization").starts_with("Bearer li-access-") => {
            answer(200, json!({"id": 5515, "localizedName": "יד ביד"}))
        }
        _ => answer(401, json!({"status": 401, "serviceErrorCode": 65600, "code": "INVALID_ACCESS_TOKEN", "message": "Invalid access token"})),
    })
    .await;
    let srv = server.clone();
    let app = TestApp::spawn_on(Backend::Sqlite, move |s| {
        s.fetch_private = true;
        s.oauth_apps
            .insert("linkedin".into(), app_of(&srv, "li-app", "li-secret"));
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(
        &app,
        &owner,
        &[("network", "linkedin"), ("name", "לינקדאין")],
    )
    .await;
    let r = sign_in(
        &app,
        &owner,
        &ch,
        &format!("{server}/oauth/v2/authorization?"),
    )
    .await;
    assert_eq!(
        location(&r),
        "/orgs/yad/studio/channels?done=channel-connected"
    );
    let (account, expires): (String, i64) =
        one(&app, "SELECT account, expires_at FROM connections").await;
    assert_eq!(account, "urn:li:organization:5515");
    let now = kehilla_db::now_ms();
    assert!(expires > now + 59 * 24 * 3_600_000);
    // A week before it expires, the refresh token renews it, and is kept.
    exec(
        &app,
        &format!(
            "UPDATE connections SET expires_at = {}",
            now + 6 * 24 * 3_600_000
        ),
    )
    .await;
    kehilla_app::publishing::renew::enqueue_due(&app.db, now)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(*issued.lock().unwrap(), 2);
    exec(
        &app,
        &format!(
            "UPDATE connections SET expires_at = {}",
            now + 5 * 24 * 3_600_000
        ),
    )
    .await;
    kehilla_app::publishing::renew::enqueue_due(&app.db, now)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(
        *issued.lock().unwrap(),
        3,
        "the kept refresh token works again"
    );
    assert_eq!(
        log.lock()
            .unwrap()
            .iter()
            .filter(|r| r.form("grant_type").as_deref() == Some("refresh_token"))
            .count(),
        2
    );
    app.stop().await;
}

#[tokio::test]
async fn threads_signs_in_and_a_refused_code_says_so() {
    let (server, _log) = serve(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/oauth/authorize") => approve(r, if r.param("scope").unwrap_or_default().contains("threads_basic") { "th-code" } else { "bad" }),
        ("POST", "/oauth/access_token") if r.form("code").as_deref() == Some("th-code") => {
            answer(200, json!({"access_token": "th-short", "user_id": 1789}))
        }
        ("GET", "/access_token") if r.param("grant_type").as_deref() == Some("th_exchange_token") => {
            answer(200, json!({"access_token": "th-long", "token_type": "bearer", "expires_in": 5_183_944}))
        }
        ("GET", "/v1.0/me") if r.header("authorization") == "Bearer th-long" => {
            answer(200, json!({"id": "1789", "username": "yadbeyad"}))
        }
        _ => answer(400, json!({"error": {"message": "Invalid OAuth access token", "type": "OAuthException", "code": 190}})),
    })
    .await;
    let srv = server.clone();
    let app = TestApp::spawn_on(Backend::Sqlite, move |s| {
        s.fetch_private = true;
        s.oauth_apps
            .insert("threads".into(), app_of(&srv, "th-app", "th-secret"));
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let ch = new_channel(&app, &owner, &[("network", "threads"), ("name", "Threads")]).await;
    let r = sign_in(&app, &owner, &ch, &format!("{server}/oauth/authorize?")).await;
    assert_eq!(
        location(&r),
        "/orgs/yad/studio/channels?done=channel-connected"
    );
    let (account, server_url, refresh): (String, String, String) = one(
        &app,
        "SELECT account, server_url, refresh_sealed FROM connections",
    )
    .await;
    assert_eq!(account, "1789");
    assert_eq!(server_url, format!("{server}/v1.0"));
    assert!(!refresh.is_empty(), "renewable with itself");
    // The way back with a code the network refuses: a clear message, nothing kept.
    exec(&app, "DELETE FROM connections").await;
    let r = owner
        .post_form(&format!("/orgs/yad/studio/channels/{ch}/oauth"), &[])
        .await;
    let state = location(&r)
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let (status, html) = owner
        .get_text(&format!("/oauth/callback?code=wrong&state={state}"))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("השרת דחה"), "{html}");
    let (n,): (i64,) = one(&app, "SELECT COUNT(*) FROM connections").await;
    assert_eq!(n, 0);
    app.stop().await;
}
