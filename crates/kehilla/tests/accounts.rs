//! First run, login, sessions, CSRF, rate limits, password reset, language, members.

use reqwest::StatusCode;

use crate::support::smtp::Sink;
use crate::support::{PASSWORD, TestApp, location};

#[tokio::test]
async fn first_run_creates_the_organization_and_its_owner_once() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let r = b.get("/").await;
    assert_eq!(location(&r), "/setup");
    let (s, html) = b.get_text("/setup").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(r#"<html lang="he" dir="rtl">"#),
        "Hebrew is the default"
    );

    // Bad input is shown in the form, translated, and nothing is created.
    let r = b
        .post_form(
            "/setup",
            &[
                ("org_name", "עמותה"),
                ("org_slug", "ע"),
                ("name", "דנה"),
                ("email", "dana@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("כתובת קצרה לא תקינה"), "{html}");
    assert!(html.contains(r#"value="עמותה""#), "values are kept");

    let owner = app.set_up("yad", "dana@example.org").await;
    let (s, html) = owner.get_text("/orgs/yad").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("עמותת בדיקה"));
    assert!(html.contains("התפקיד שלך: בעלים"), "{html}");

    // The setup page is gone once done, and a second setup is refused.
    let r = app.browser().get("/setup").await;
    assert_eq!(location(&r), "/login");
    let r = app
        .browser()
        .post_form(
            "/setup",
            &[
                ("org_name", "x"),
                ("org_slug", "xx"),
                ("name", "x"),
                ("email", "x@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&r), "/login");
    assert_eq!(kehilla_db::users::count(&app.db.pool).await.unwrap(), 1);
    app.stop().await;
}

#[tokio::test]
async fn login_logout_and_session_cookie_flags() {
    let app = TestApp::spawn().await;
    app.set_up("yad", "dana@example.org").await;
    let b = app.browser();
    let r = b.log_in("dana@example.org", "wrong password!").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("כתובת הדוא״ל או הסיסמה שגויות")
    );

    let r = b.log_in("DANA@example.org", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/orgs/yad");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("kehilla_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http on loopback");
    let token = b.cookie("kehilla_session").unwrap();
    // Only a hash of the token is stored.
    let (n,): (i64,) =
        kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
            .bind(&token)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(n, 0);

    let r = b.post_form("/logout", &[]).await;
    assert_eq!(location(&r), "/login?done=logged-out");
    let r = b.get("/orgs/yad").await;
    assert!(location(&r).starts_with("/login?next="), "logged out");

    // The failure and the login are in the audit log.
    let actions: Vec<(String,)> =
        kehilla_db::sqlx::query_as("SELECT action FROM audit_log ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let actions: Vec<String> = actions.into_iter().map(|a| a.0).collect();
    for a in ["login-failed", "login", "logout"] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn cookies_are_secure_behind_https() {
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, |s| {
        s.base_url = Some("https://kehilla.example".into())
    })
    .await;
    let r = app.browser().get("/login").await;
    let c = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(c.contains("; Secure"), "{c}");
    assert!(r.headers().get("strict-transport-security").is_some());
    app.stop().await;
}

#[tokio::test]
async fn state_changes_need_the_csrf_token_and_the_same_origin() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    // No token.
    let r = owner
        .client
        .post(app.url("/orgs/yad/settings/tokens"))
        .form(&[("name", "x"), ("scope", "read")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("הטופס פג תוקף"));
    // Right token, but sent from another site.
    let token = owner.csrf().await;
    let r = owner
        .client
        .post(app.url("/orgs/yad/settings/tokens"))
        .header("origin", "https://evil.example")
        .form(&[
            ("name", "x"),
            ("scope", "read"),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The header form of the token works (for scripts).
    let r = owner
        .client
        .post(app.url("/orgs/yad/settings/tokens"))
        .header("x-csrf-token", token.as_str())
        .form(&[("name", "x"), ("scope", "read")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn login_attempts_are_rate_limited_with_retry_after() {
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, |s| {
        s.login_attempts = 2;
        s.login_window_secs = 600;
    })
    .await;
    app.set_up("yad", "dana@example.org").await;
    let b = app.browser();
    for _ in 0..2 {
        assert_eq!(
            b.log_in("dana@example.org", "nope nope nope")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let r = b.log_in("dana@example.org", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 600);
    assert!(r.text().await.unwrap().contains("יותר מדי ניסיונות"));
    app.stop().await;
}

pub(crate) fn decode_body(data: &str) -> String {
    use base64::Engine;
    let body = data.split("\n\n").skip(1).collect::<Vec<_>>().join("\n\n");
    let joined: String = body.lines().map(str::trim).collect();
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(joined.trim())
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn password_reset_by_emailed_link_over_real_smtp() {
    let sink = Sink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, move |s| {
        s.smtp_url = Some(kehilla_app::settings::Secret(url));
        s.mail_from = "Kehilla <noreply@kehilla.example>".into();
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let b = app.browser();
    let r = b
        .post_form("/password/forgot", &[("email", "dana@example.org")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"forgot-sent\""));
    assert!(!html.contains("forgot-logged"), "SMTP is configured");
    // Unknown addresses get the same page and no mail.
    let r = b
        .post_form("/password/forgot", &[("email", "nobody@example.org")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // The mail is a durable job: sent by the worker, once.
    assert!(sink.all().is_empty());
    assert_eq!(app.run_pending_jobs().await, 1);
    assert_eq!(app.run_pending_jobs().await, 0);
    let mails = sink.all();
    assert_eq!(mails.len(), 1);
    let (payload,): (String,) = kehilla_db::sqlx::query_as("SELECT payload FROM jobs")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        payload, "{}",
        "the reset token leaves the queue once mailed"
    );
    assert!(mails[0].to[0].contains("dana@example.org"));
    let body = decode_body(&mails[0].data);
    assert!(body.contains("שלום דנה בודקת"), "{body}");
    let link = body
        .lines()
        .find(|l| l.contains("/password/reset/"))
        .unwrap()
        .trim()
        .to_string();
    let path = link.strip_prefix(&app.base).unwrap();

    let (s, _) = b.get_text(path).await;
    assert_eq!(s, StatusCode::OK);
    let r = b.post_form(path, &[("password", "short")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = b
        .post_form(path, &[("password", "a-brand-new-password")])
        .await;
    assert_eq!(location(&r), "/login?done=password-changed");
    // Every old session ended; the link works once.
    assert!(location(&owner.get("/orgs/yad").await).starts_with("/login"));
    let (s, html) = b.get_text(path).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("הקישור לאיפוס הסיסמה אינו בתוקף"));
    assert_eq!(
        b.log_in("dana@example.org", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        b.log_in("dana@example.org", "a-brand-new-password")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    app.stop().await;
}

#[tokio::test]
async fn without_smtp_the_reset_page_says_the_link_went_to_the_log() {
    let app = TestApp::spawn().await;
    app.set_up("yad", "dana@example.org").await;
    let r = app
        .browser()
        .post_form("/password/forgot", &[("email", "dana@example.org")])
        .await;
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"forgot-logged\""), "{html}");
    assert!(html.contains("יומן השרת"));
    app.stop().await;
}

#[tokio::test]
async fn language_switch_is_remembered_per_user() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let r = owner
        .post_form("/lang", &[("lang", "en"), ("next", "/orgs/yad")])
        .await;
    assert_eq!(location(&r), "/orgs/yad");
    let (_, html) = owner.get_text("/orgs/yad").await;
    assert!(html.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(html.contains("Your role: Owner"));
    // Another browser, same person: English after login, with no cookie of its own.
    let other = app.browser();
    other.log_in("dana@example.org", PASSWORD).await;
    let (_, html) = other.get_text("/orgs/yad").await;
    assert!(html.contains(r#"<html lang="en" dir="ltr">"#));
    // Visitors get Hebrew whatever their browser asks for, until they choose.
    let v = app.browser();
    let r = v
        .client
        .get(app.url("/login"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert!(
        r.text()
            .await
            .unwrap()
            .contains(r#"<html lang="he" dir="rtl">"#)
    );
    v.post_form("/lang", &[("lang", "en")]).await;
    let (_, html) = v.get_text("/login").await;
    assert!(html.contains(r#"<html lang="en" dir="ltr">"#) && html.contains("Log in"));
    let r = v.post_form("/lang", &[("lang", "xx")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.stop().await;
}

#[tokio::test]
async fn invitations_roles_and_removal() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let admin = app
        .invite_and_join(&owner, "yad", "admin", "yossi@example.org")
        .await;
    let (_, html) = admin.get_text("/orgs/yad").await;
    assert!(html.contains("התפקיד שלך: מנהל/ת"), "{html}");

    // An invitation link works once.
    let link = admin.create_invitation("yad", "editor").await;
    let path = link.strip_prefix(&app.base).unwrap().to_string();
    let (s, html) = app.browser().get_text(&path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("בתפקיד עורך/ת"));
    let b = app.browser();
    let r = b
        .post_form(
            &path,
            &[
                ("name", "נועה"),
                ("email", "noa@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&r), "/orgs/yad?done=joined");
    let r = app
        .browser()
        .post_form(
            &path,
            &[
                ("name", "x"),
                ("email", "x@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Admins cannot make owners; editors cannot manage members at all.
    let admin_cannot = admin.create_invitation_status("yad", "owner").await;
    assert_eq!(admin_cannot, StatusCode::FORBIDDEN);
    let r = b
        .post_form("/orgs/yad/settings/invitations", &[("role", "viewer")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let members = kehilla_db::orgs::members(&app.db.pool, 1).await.unwrap();
    let noa = members
        .iter()
        .find(|m| m.email == "noa@example.org")
        .unwrap();
    let dana = members
        .iter()
        .find(|m| m.email == "dana@example.org")
        .unwrap();
    let r = admin
        .post_form(
            &format!("/orgs/yad/settings/members/{}/role", noa.public_id),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(location(&r), "/orgs/yad/settings/members?done=role-changed");
    let r = admin
        .post_form(
            &format!("/orgs/yad/settings/members/{}/role", dana.public_id),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "admins do not demote owners"
    );
    let r = owner
        .post_form(
            &format!("/orgs/yad/settings/members/{}/role", dana.public_id),
            &[("role", "admin")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "the last owner stays");
    assert!(r.text().await.unwrap().contains("לפחות בעלים אחד"));

    let r = admin
        .post_form(
            &format!("/orgs/yad/settings/members/{}/remove", noa.public_id),
            &[],
        )
        .await;
    assert_eq!(
        location(&r),
        "/orgs/yad/settings/members?done=member-removed"
    );
    assert_eq!(
        b.get("/orgs/yad").await.status(),
        StatusCode::NOT_FOUND,
        "removed members lose access"
    );

    let actions: Vec<(String,)> =
        kehilla_db::sqlx::query_as("SELECT action FROM audit_log WHERE organization_id = 1")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let actions: Vec<String> = actions.into_iter().map(|a| a.0).collect();
    for a in [
        "invitation-created",
        "member-joined",
        "role-changed",
        "member-removed",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
    let (s, html) = admin.get_text("/orgs/yad/settings/audit").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("שינוי תפקיד"));
    let (s, _) = b.get_text("/orgs/yad/settings/audit").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn one_person_in_several_organizations_switches_between_them() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let r = owner
        .post_form("/orgs", &[("name", "Green Haifa"), ("slug", "green-haifa")])
        .await;
    assert_eq!(location(&r), "/orgs/green-haifa?done=org-created");
    let r = owner
        .post_form("/orgs", &[("name", "Dup"), ("slug", "green-haifa")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, html) = owner.get_text("/orgs").await;
    assert!(html.contains("/orgs/yad") && html.contains("/orgs/green-haifa"));
    let (_, html) = owner.get_text("/orgs/green-haifa").await;
    assert!(html.contains("Green Haifa"));
    // `/` returns to the organization opened last.
    assert_eq!(location(&owner.get("/").await), "/orgs/green-haifa");
    owner.get("/orgs/yad").await;
    assert_eq!(location(&owner.get("/").await), "/orgs/yad");
    app.stop().await;
}

#[tokio::test]
async fn every_area_answers_in_both_languages() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    for area in [
        "plan", "studio", "calendar", "inbox", "measure", "site", "settings",
    ] {
        let (s, html) = owner.get_text(&format!("/orgs/yad/{area}")).await;
        assert_eq!(s, StatusCode::OK, "{area}");
        assert!(html.contains(r#"aria-current="page""#), "{area}");
    }
    let (_, html) = owner.get_text("/orgs/yad/plan").await;
    assert!(html.contains("צעדים ראשונים"), "{html}");
    owner.post_form("/lang", &[("lang", "en")]).await;
    let (_, html) = owner.get_text("/orgs/yad/measure").await;
    assert!(
        html.contains("The best time to post") && html.contains("No goals yet."),
        "{html}"
    );
    let (_, html) = owner.get_text("/orgs/yad/plan").await;
    assert!(html.contains("Getting started"), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_translated_4xx() {
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, |s| s.max_body_bytes = 4096).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let token = owner.csrf().await;
    let big = "x".repeat(10_000);
    let r = owner
        .post_form("/orgs", &[("name", big.as_str()), ("slug", "big")])
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("הבקשה גדולה מדי"));
    // A form field of the wrong type.
    let r = owner
        .client
        .post(app.url("/login"))
        .header("x-csrf-token", token.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=%ZZ&password")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let ct = r
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(ct.starts_with("text/html"), "{ct}");
    // Not a form at all.
    let r = owner
        .client
        .post(app.url("/orgs"))
        .header("x-csrf-token", token.as_str())
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(r.text().await.unwrap().contains("סוג התוכן"));
    // Unknown pages are translated 404s.
    let (s, html) = owner.get_text("/no/such/page").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("לא נמצאו"));
    app.stop().await;
}

impl crate::support::Browser {
    pub async fn create_invitation_status(&self, org: &str, role: &str) -> StatusCode {
        self.post_form(
            &format!("/orgs/{org}/settings/invitations"),
            &[("role", role)],
        )
        .await
        .status()
    }
}

#[tokio::test]
async fn a_reset_mail_that_cannot_be_sent_is_retried_not_lost() {
    // Nothing listens on this port: the relay is down.
    let port = crate::support::free_port();
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, move |s| {
        s.smtp_url = Some(kehilla_app::settings::Secret(format!(
            "smtp://127.0.0.1:{port}"
        )));
    })
    .await;
    app.set_up("yad", "dana@example.org").await;
    let b = app.browser();
    let known = b
        .post_form("/password/forgot", &[("email", "dana@example.org")])
        .await;
    let unknown = b
        .post_form("/password/forgot", &[("email", "nobody@example.org")])
        .await;
    // The same answer whether or not the account exists, and whether or not mail works.
    assert_eq!(
        (known.status(), unknown.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(app.run_pending_jobs().await, 1);
    let (status, attempts, error): (String, i64, String) =
        kehilla_db::sqlx::query_as("SELECT status, attempts, last_error FROM jobs")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts), ("queued", 1), "{error}");
    app.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_client_address_is_the_forwarded_one() {
    for (trust, expected) in [(true, "203.0.113.7"), (false, "127.0.0.1")] {
        let app = TestApp::spawn_on(crate::support::Backend::Sqlite, move |s| {
            s.trust_proxy = trust
        })
        .await;
        app.set_up("yad", "dana@example.org").await;
        let b = app.browser();
        let token = b.csrf().await;
        b.client
            .post(app.url("/login"))
            .header("x-forwarded-for", "203.0.113.7, 10.0.0.1")
            .form(&[
                ("email", "dana@example.org"),
                ("password", "wrong password"),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .unwrap();
        let (ip,): (String,) =
            kehilla_db::sqlx::query_as("SELECT ip FROM audit_log WHERE action = 'login-failed'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(ip, expected, "trust_proxy = {trust}");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_member_sees_their_sessions_signs_one_out_and_a_new_password_ends_the_others() {
    let app = TestApp::spawn().await;
    let laptop = app.set_up("yad", "dana@example.org").await;
    let phone = app.browser();
    let r = phone
        .log_in("dana@example.org", crate::support::PASSWORD)
        .await;
    assert!(r.status().is_redirection());
    let tablet = app.browser();
    tablet
        .log_in("dana@example.org", crate::support::PASSWORD)
        .await;

    let (status, page) = laptop.get_text("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("data-session=").count(), 3);
    assert!(page.contains("הדפדפן הזה"));
    // Sign the phone out from the laptop: the phone is signed out, the others are not.
    let (_, own) = phone.get_text("/account").await;
    let phone_ref = own
        .split("data-session=\"")
        .skip(1)
        .find(|row| row.contains("הדפדפן הזה"))
        .and_then(|row| row.split('"').next())
        .unwrap()
        .to_string();
    let r = laptop
        .post_form("/account/sessions", &[("session", &phone_ref)])
        .await;
    assert_eq!(location(&r), "/account?done=sessions-revoked");
    assert_eq!(phone.get("/orgs/yad").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/orgs/yad").await.status(), StatusCode::OK);
    assert_eq!(tablet.get("/orgs/yad").await.status(), StatusCode::OK);
    // Someone else's session cannot be named.
    let r = laptop
        .post_form("/account/sessions", &[("session", "0000000000000000")])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // A wrong current password changes nothing; the right one ends every other session.
    let r = laptop
        .post_form(
            "/account/password",
            &[
                ("current_password", "wrong-one-2026"),
                ("password", "new-password-2026"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"form-error\""));
    let r = laptop
        .post_form(
            "/account/password",
            &[
                ("current_password", crate::support::PASSWORD),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = laptop
        .post_form(
            "/account/password",
            &[
                ("current_password", crate::support::PASSWORD),
                ("password", "new-password-2026"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/account?done=password-updated");
    assert_eq!(
        tablet.get("/orgs/yad").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(laptop.get("/orgs/yad").await.status(), StatusCode::OK);
    let fresh = app.browser();
    let r = fresh
        .log_in("dana@example.org", crate::support::PASSWORD)
        .await;
    assert!(
        !location(&r).starts_with("/orgs"),
        "the old password is gone"
    );
    let r = fresh.log_in("dana@example.org", "new-password-2026").await;
    assert!(r.status().is_redirection());
    assert_eq!(fresh.get("/orgs/yad").await.status(), StatusCode::OK);
}

/// The text of the element with `id`, up to its closing tag.
fn text_of(html: &str, id: &str) -> String {
    let start = html.find(&format!("id=\"{id}\">")).unwrap() + id.len() + 6;
    let rest = html.get(start..).unwrap();
    rest.get(..rest.find('<').unwrap()).unwrap().to_string()
}

fn now_secs() -> i64 {
    kehilla_db::now_ms() / 1000
}

#[tokio::test]
async fn two_factor_login_with_an_app_code_or_a_recovery_code_each_taken_once() {
    use kehilla_app::two_factor::{PERIOD, code_for_key};
    for backend in crate::support::backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let other = app.browser();
        other.log_in("dana@example.org", PASSWORD).await;
        let (_, page) = owner.get_text("/account").await;
        assert!(page.contains("id=\"start-two-factor\""));
        // Asking it of the admins while the owner has it off would lock the owner out: refused.
        let r = owner
            .post_form(
                "/orgs/yad/settings/two-factor",
                &[("two_factor_required", "admins")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("הפעילו קודם אימות דו־שלבי לעצמכם")
        );

        // Set up: a QR code and the key, kept out of caches.
        // Setting it up needs the password: a stolen session alone cannot bind the account.
        let r = owner
            .post_form(
                "/account/two-factor/start",
                &[("current_password", "wrong-password-1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = owner
            .post_form(
                "/account/two-factor/start",
                &[("current_password", PASSWORD)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["cache-control"], "no-store");
        let page = r.text().await.unwrap();
        assert!(page.contains("<svg") && !page.contains("<?xml"), "{page}");
        let key = text_of(&page, "secret");
        assert_eq!(key.replace(' ', "").len(), 32, "160 bits in base32");
        let code_of_step = |step: i64| code_for_key(&key, step * PERIOD).unwrap();
        // The code an app would show next: a later step than the last one taken, within the
        // step either side of now that the server accepts — whenever a step boundary passes.
        let last = std::cell::Cell::new(i64::MIN);
        let next_code = || {
            let now = now_secs() / PERIOD;
            let step = (last.get() + 1).max(now - 1);
            assert!(step <= now + 1, "no fresh step left within the window");
            last.set(step);
            code_of_step(step)
        };
        let t0 = now_secs();
        let step_code = |offset: i64| code_for_key(&key, t0 + offset * PERIOD).unwrap();
        // A wrong code keeps it off and shows the same key again.
        let wrong = (0..1_000_000)
            .map(|n| format!("{n:06}"))
            .find(|c| (-2..=2).all(|o| *c != step_code(o)))
            .unwrap();
        let r = owner
            .post_form("/account/two-factor/confirm", &[("code", &wrong)])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("הקוד שגוי"), "{page}");
        assert_eq!(text_of(&page, "secret"), key);
        // The app's previous step still counts (clocks drift); what comes later must be newer.
        let first = next_code();
        let r = owner
            .post_form("/account/two-factor/confirm", &[("code", &first)])
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        let codes: Vec<String> = page
            .split("<li><code>")
            .skip(1)
            .map(|s| s.split('<').next().unwrap().to_string())
            .collect();
        assert_eq!(codes.len(), 10, "{page}");
        assert!(codes.iter().all(|c| c.len() == 11 && c.contains('-')));
        // Turning it on ended the other session; this one stays.
        assert_eq!(other.get("/orgs/yad").await.status(), StatusCode::SEE_OTHER);
        assert_eq!(owner.get("/orgs/yad").await.status(), StatusCode::OK);
        let (_, page) = owner.get_text("/account").await;
        assert!(page.contains("id=\"two-factor-state\""));
        assert!(page.contains("נותרו 10 קודי שחזור"));

        // The password alone now leads to the second step, not into the account.
        let phone = app.browser();
        let r = phone.log_in("dana@example.org", PASSWORD).await;
        assert!(
            location(&r).starts_with("/login/two-factor"),
            "{}",
            location(&r)
        );
        assert!(phone.cookie("kehilla_session").is_none());
        assert!(phone.cookie("kehilla_2fa").is_some());
        assert_eq!(phone.get("/orgs/yad").await.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            phone.get("/login/two-factor").await.status(),
            StatusCode::OK
        );
        // The code that turned it on was taken: it cannot be used again.
        let r = phone
            .post_form("/login/two-factor", &[("code", &first)])
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let next = next_code();
        let r = phone
            .post_form("/login/two-factor", &[("code", &next)])
            .await;
        assert_eq!(location(&r), "/orgs/yad");
        assert!(phone.cookie("kehilla_session").is_some());
        assert_eq!(phone.get("/orgs/yad").await.status(), StatusCode::OK);

        // A recovery code, typed loosely, signs in once.
        let loose = codes[3].replace('-', "").to_uppercase();
        let lost = app.browser();
        lost.log_in("dana@example.org", PASSWORD).await;
        let r = lost
            .post_form("/login/two-factor", &[("code", &loose)])
            .await;
        assert_eq!(location(&r), "/orgs/yad");
        let again = app.browser();
        again.log_in("dana@example.org", PASSWORD).await;
        let r = again
            .post_form("/login/two-factor", &[("code", &codes[3])])
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        // Five wrong codes, and the login starts over.
        for _ in 0..4 {
            let r = again
                .post_form("/login/two-factor", &[("code", &wrong)])
                .await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        let r = again
            .post_form("/login/two-factor", &[("code", &codes[4])])
            .await;
        assert_eq!(location(&r), "/login?done=login-expired");
        assert!(again.cookie("kehilla_session").is_none());
        let (_, page) = owner.get_text("/account").await;
        assert!(page.contains("נותרו 9 קודי שחזור"), "one code used");
        let (_, audit) = owner.get_text("/orgs/yad/settings/audit").await;
        assert!(audit.contains("כניסה עם קוד שחזור"));
        assert!(audit.contains("אימות דו־שלבי הופעל"));

        // The organization asks everyone: a member without it is sent to set it up.
        let editor = app
            .invite_and_join(&owner, "yad", "editor", "noa@example.org")
            .await;
        let r = owner
            .post_form(
                "/orgs/yad/settings/two-factor",
                &[("two_factor_required", "everyone")],
            )
            .await;
        assert_eq!(
            location(&r),
            "/orgs/yad/settings/members?done=two-factor-policy-saved"
        );
        let r = editor.get("/orgs/yad/people").await;
        assert_eq!(location(&r), "/account?done=two-factor-required#two-factor");
        let r = editor.post_form("/orgs/yad/leave", &[]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let (_, page) = editor.get_text("/account").await;
        assert!(page.contains("id=\"two-factor-required\""));
        let (_, members) = owner.get_text("/orgs/yad/settings/members").await;
        assert!(members.contains("<option value=\"everyone\" selected"));
        // ...and the owner cannot turn it off while it is asked for.
        let r = owner
            .post_form(
                "/account/two-factor/disable",
                &[("current_password", PASSWORD), ("code", &codes[5])],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("אי אפשר לכבות"));
        // New recovery codes need a fresh app code; the old ones stop working.
        let r = owner
            .post_form(
                "/account/two-factor/recovery-codes",
                &[("code", &code_of_step(last.get()))],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "taken already"
        );
        let r = owner
            .post_form(
                "/account/two-factor/recovery-codes",
                &[("code", &next_code())],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        let renewed: Vec<String> = page
            .split("<li><code>")
            .skip(1)
            .map(|s| s.split('<').next().unwrap().to_string())
            .collect();
        assert_eq!(renewed.len(), 10);
        let r = owner
            .post_form(
                "/orgs/yad/settings/two-factor",
                &[("two_factor_required", "none")],
            )
            .await;
        assert!(r.status().is_redirection());
        // With the password and a recovery code it goes off; the password alone is enough again.
        for (password, code) in [
            (PASSWORD, codes[5].as_str()),
            ("wrong-password-1", renewed[0].as_str()),
        ] {
            let r = owner
                .post_form(
                    "/account/two-factor/disable",
                    &[("current_password", password), ("code", code)],
                )
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
        let r = owner
            .post_form(
                "/account/two-factor/disable",
                &[("current_password", PASSWORD), ("code", &renewed[0])],
            )
            .await;
        assert_eq!(location(&r), "/account?done=two-factor-off");
        let plain = app.browser();
        let r = plain.log_in("dana@example.org", PASSWORD).await;
        assert_eq!(location(&r), "/orgs/yad");
        app.stop().await;
    }
}
