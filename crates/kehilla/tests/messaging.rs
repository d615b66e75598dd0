//! Owned messaging: the consent gate of a campaign's audience, on both databases.

use kehilla_app::messaging::gate::{Excluded, gate};
use kehilla_db::segments::Filter;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::smtp::Sink;
use crate::support::{TestApp, backends};

#[tokio::test]
async fn the_gate_counts_who_may_receive_a_campaign_and_why_the_others_may_not() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let token = owner.create_token("yad", "write").await;
        let c = reqwest::Client::new();
        let api = |m: reqwest::Method, p: &str| {
            c.request(m, app.url(&format!("/api/v1/orgs/yad{p}")))
                .bearer_auth(&token)
        };
        // Five volunteers: consented; consented then withdrew; never asked; no email but
        // consented by SMS; and one consented to another purpose only.
        let people = [
            (
                json!({"first_name": "נועה", "email": "noa@example.org", "roles": ["volunteer"]}),
                vec![("newsletter", true)],
            ),
            (
                json!({"first_name": "דן", "email": "dan@example.org", "roles": ["volunteer"]}),
                vec![("newsletter", true), ("newsletter", false)],
            ),
            (
                json!({"first_name": "רות", "email": "ruth@example.org", "roles": ["volunteer"]}),
                vec![],
            ),
            (
                json!({"first_name": "מאיה", "phone": "03-6123456", "roles": ["volunteer"]}),
                vec![],
            ),
            (
                json!({"first_name": "אבי", "email": "avi@example.org", "roles": ["volunteer"]}),
                vec![("event_reminders", true)],
            ),
            (
                json!({"first_name": "תמר", "email": "tamar@example.org", "roles": ["donor"]}),
                vec![("newsletter", true)],
            ),
        ];
        for (person, consents) in people {
            let r = api(reqwest::Method::POST, "/people")
                .json(&person)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
            let id = r.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string();
            for (purpose, given) in consents {
                let r = api(reqwest::Method::POST, &format!("/people/{id}/consents"))
                    .json(&json!({"channel": "email", "purpose": purpose, "given": given, "wording": "טופס הרשמה"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
            }
        }
        let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
            .await
            .unwrap()
            .unwrap();
        let volunteers = Filter::Role {
            value: "volunteer".into(),
        };
        let g = gate(&app.db, org.id, &volunteers, "email", "newsletter")
            .await
            .unwrap();
        assert_eq!(g.audience, 5);
        assert_eq!(g.eligible, 1, "only Noa");
        assert_eq!(
            g.excluded,
            [
                (Excluded::NoAddress, 1),
                (Excluded::Withdrawn, 1),
                (Excluded::NoConsent, 2),
                (Excluded::Suppressed, 0),
            ]
        );
        // Everyone: Tamar (a donor) too.
        let g = gate(
            &app.db,
            org.id,
            &Filter::All { of: vec![] },
            "email",
            "newsletter",
        )
        .await
        .unwrap();
        assert_eq!((g.audience, g.eligible), (6, 2));
        // Reminders reach Avi only.
        let g = gate(&app.db, org.id, &volunteers, "email", "event_reminders")
            .await
            .unwrap();
        assert_eq!(g.eligible, 1);
        assert!(
            gate(&app.db, org.id, &volunteers, "fax", "newsletter")
                .await
                .is_err()
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn an_editor_writes_a_campaign_sees_who_will_get_it_and_previews_it_as_a_person() {
    let sink = Sink::start().await;
    let smtp = sink.url();
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, move |s| {
        s.smtp_url = Some(kehilla_app::settings::Secret(smtp));
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let token = owner.create_token("yad", "write").await;
    let c = reqwest::Client::new();
    let r = c
        .post(app.url("/api/v1/orgs/yad/people"))
        .bearer_auth(&token)
        .json(&json!({"first_name": "נועה", "email": "noa@example.org"}))
        .send()
        .await
        .unwrap();
    let noa = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    c.post(app.url(&format!("/api/v1/orgs/yad/people/{noa}/consents")))
        .bearer_auth(&token)
        .json(
            &json!({"channel": "email", "purpose": "newsletter", "given": true, "wording": "טופס"}),
        )
        .send()
        .await
        .unwrap();
    c.post(app.url("/api/v1/orgs/yad/people"))
        .bearer_auth(&token)
        .json(&json!({"first_name": "דן", "email": "dan@example.org"}))
        .send()
        .await
        .unwrap();

    let (status, page) = owner.get_text("/orgs/yad/campaigns/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"campaign-form\""));
    // An unknown variable is refused, with what to use instead.
    let form = |body: &'static str| {
        [
            ("name", "עדכון נובמבר"),
            ("purpose", "newsletter"),
            ("segment", ""),
            ("lang", "he"),
            ("subject", "שלום {{ person.first_name }}"),
            ("body", body),
        ]
    };
    let r = owner
        .post_form("/orgs/yad/campaigns", &form("היי {{ person.nickname }}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"form-error\"") && html.contains("person.first_name"),
        "{html}"
    );
    let r = owner
        .post_form(
            "/orgs/yad/campaigns",
            &form("שלום {{ person.first_name | default(\"חבר/ה\") }},\n\nהחלוקה ביום **שישי**."),
        )
        .await;
    let at = crate::support::location(&r);
    assert!(at.contains("done=campaign-saved"), "{at}");
    let id = at
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let (_, page) = owner.get_text(&format!("/orgs/yad/campaigns/{id}")).await;
    assert!(page.contains("id=\"gate-eligible\">אדם אחד יקבל"), "{page}");
    assert!(page.contains("לא נתנו הסכמה למטרה הזאת: 1"));
    assert!(page.contains(&format!("<option value=\"{noa}\"")));
    // The preview, as Noa: right-to-left, her name, alone under its own strict policy.
    let r = owner
        .get(&format!("/orgs/yad/campaigns/{id}/preview?person={noa}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("sandbox") && csp.contains("default-src 'none'"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"he\" dir=\"rtl\">"));
    assert!(html.contains("שלום נועה,"));
    assert!(html.contains("<strong>שישי</strong>"));
    let (_, list) = owner.get_text("/orgs/yad/campaigns").await;
    assert!(list.contains("עדכון נובמבר") && list.contains("טיוטה"));

    // A test to the editor's own address, as Noa, over real SMTP: both parts, the language.
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/test"),
            &[("person", noa.as_str())],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=campaign-test-sent"));
    app.run_pending_jobs().await;
    let mails = sink.all();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert!(m.to.iter().any(|t| t.contains("dana@example.org")));
    assert!(m.data.contains("Content-Language: he"));
    assert!(m.data.contains("multipart/alternative"));
    assert!(m.data.contains("text/plain") && m.data.contains("text/html"));
    app.stop().await;
}

/// Adds `n` people with email consent for the newsletter, straight into the database.
pub async fn seed_subscribers(db: &kehilla_db::Db, org: i64, n: usize, prefix: &str) {
    let mut tx = db.begin().await.unwrap();
    let now = kehilla_db::now_ms();
    for i in 0..n {
        let (id,): (i64,) = kehilla_db::sqlx::query_as(
            "INSERT INTO people (public_id, organization_id, first_name, email, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(kehilla_db::new_public_id())
        .bind(org)
        .bind(format!("חבר{i}"))
        .bind(format!("{prefix}{i}@example.org"))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        kehilla_db::sqlx::query(
            "INSERT INTO consents (organization_id, person_id, channel, purpose, given, source, created_at) \
             VALUES ($1, $2, 'email', 'newsletter', 1, 'form', $3)",
        )
        .bind(org)
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Makes a campaign through the pages and returns its id.
pub(crate) async fn new_campaign(owner: &crate::support::Browser, body: &str) -> String {
    let r = owner
        .post_form(
            "/orgs/yad/campaigns",
            &[
                ("name", "עדכון דצמבר"),
                ("purpose", "newsletter"),
                ("segment", ""),
                ("lang", "he"),
                ("subject", "שלום {{ person.first_name }}"),
                ("body", body),
            ],
        )
        .await;
    let at = crate::support::location(&r);
    assert!(at.contains("done=campaign-saved"), "{at}");
    at.split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

pub(crate) async fn campaign_row(app: &TestApp, id: &str) -> kehilla_db::messaging::Campaign {
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    kehilla_db::messaging::get(&app.db.pool, org.id, id)
        .await
        .unwrap()
}

/// Checks a message's DKIM signature with dkimpy (an independent verifier), the key's DNS
/// record answered from what the product shows.
fn dkim_verifies(raw: &str, record: &str) -> bool {
    let python = std::env::var("KEHILLA_DKIM_PYTHON")
        .unwrap_or_else(|_| "/var/tmp/kehilla-moto/bin/python".into());
    let dir = tempfile_dir();
    let msg = dir.join("message.eml");
    std::fs::write(&msg, raw).unwrap();
    let script = "import sys, dkim\n\
        record = sys.argv[2].encode()\n\
        msg = open(sys.argv[1], 'rb').read()\n\
        ok = dkim.verify(msg, dnsfunc=lambda name, timeout=5: record)\n\
        print('PASS' if ok else 'FAIL')\n";
    let out = std::process::Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(&msg)
        .arg(record)
        .output()
        .unwrap_or_else(|e| panic!("{python} (dkimpy) is needed: {e}"));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "dkimpy failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.trim() == "PASS"
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("kehilla-dkim-{}", kehilla_db::random_hex(6)));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test]
async fn a_campaign_reaches_each_person_once_signed_with_one_click_unsubscribe_and_counted() {
    for backend in backends() {
        let sink = Sink::start().await;
        let relay = format!("{}?connections=4", sink.url());
        let app = TestApp::spawn_on(backend, move |s| {
            s.campaign_relays = vec![kehilla_app::settings::Secret(relay)];
            s.bounce_domain = Some("bounce.yad.example".into());
        })
        .await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
            .await
            .unwrap()
            .unwrap();
        seed_subscribers(&app.db, org.id, 24, "m").await;
        // One address the relay refuses for good.
        seed_subscribers(&app.db, org.id, 1, "gone").await;
        sink.behaviour
            .lock()
            .unwrap()
            .refuse
            .insert("gone0@example.org".into(), "550 5.1.1 no such user".into());

        // The sender and its DKIM key; the page shows the record to publish.
        let r = owner
            .post_form(
                "/orgs/yad/campaigns/sender",
                &[
                    ("from_name", "יד ביד"),
                    ("from_address", "news@yad.example"),
                    ("reply_to", ""),
                ],
            )
            .await;
        assert!(crate::support::location(&r).contains("done=sender-saved"));
        let r = owner
            .post_form(
                "/orgs/yad/campaigns/sender/dkim",
                &[("domain", "yad.example"), ("selector", "k1")],
            )
            .await;
        assert!(crate::support::location(&r).contains("done=dkim-generated"));
        let (_, page) = owner.get_text("/orgs/yad/campaigns/sender").await;
        assert!(page.contains("k1._domainkey.yad.example"), "{page}");
        let record = page
            .split("id=\"dkim-value\" readonly dir=\"ltr\" rows=\"4\">")
            .nth(1)
            .unwrap()
            .split("</textarea>")
            .next()
            .unwrap()
            .to_string();
        assert!(record.starts_with("v=DKIM1; k=rsa; p=MII"), "{record}");
        // Bad input: a domain that is not one.
        let r = owner
            .post_form(
                "/orgs/yad/campaigns/sender/dkim",
                &[("domain", "not a domain"), ("selector", "k1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.text().await.unwrap().contains("id=\"form-error\""));

        let id = new_campaign(
            &owner,
            "שלום {{ person.first_name }},\n\nהחלוקה ב־[Kehilla Day](https://yad.example/day).",
        )
        .await;
        let (_, page) = owner.get_text(&format!("/orgs/yad/campaigns/{id}")).await;
        assert!(page.contains("id=\"send-form\""));
        assert!(!page.contains("id=\"sink-notice\""), "a relay is set");
        let r = owner
            .post_form(
                &format!("/orgs/yad/campaigns/{id}/send"),
                &[("when", "now"), ("at", "")],
            )
            .await;
        assert!(
            crate::support::location(&r).contains("done=campaign-sending"),
            "{}",
            r.text().await.unwrap()
        );
        // A draft that went out cannot be sent again or edited.
        let r = owner
            .post_form(
                &format!("/orgs/yad/campaigns/{id}/send"),
                &[("when", "now")],
            )
            .await;
        assert!(r.text().await.unwrap().contains("כבר נשלח"));
        app.run_pending_jobs().await;
        let c = campaign_row(&app, &id).await;
        assert_eq!(c.status, "sent");
        let f = kehilla_db::messaging::figures(&app.db.pool, c.id)
            .await
            .unwrap();
        assert_eq!((f.total, f.sent, f.bounced, f.delivered), (25, 24, 1, 24));
        // The refused address is suppressed: the next campaign leaves it out.
        assert_eq!(
            kehilla_db::messaging::suppressed_count(&app.db.pool, org.id)
                .await
                .unwrap(),
            1
        );

        let mails = sink.all();
        assert_eq!(mails.len(), 24, "each person once");
        let mut to: Vec<String> = mails.iter().map(|m| m.to.join(",")).collect();
        to.sort();
        to.dedup();
        assert_eq!(to.len(), 24);
        let m = &mails[0];
        assert!(m.from.starts_with("<bounces+r"), "VERP: {}", m.from);
        assert!(m.from.ends_with("@bounce.yad.example>"));
        let unsubscribe = m.header("List-Unsubscribe").unwrap();
        assert!(
            unsubscribe.starts_with(&format!("<{}/u/", app.base)),
            "{unsubscribe}"
        );
        assert_eq!(
            m.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        assert!(
            m.header("Message-ID")
                .unwrap()
                .ends_with("@bounce.yad.example>")
        );
        assert!(m.header("From").unwrap().contains("news@yad.example"));
        let sig = m.header("DKIM-Signature").unwrap();
        assert!(
            sig.contains("d=yad.example") && sig.contains("s=k1"),
            "{sig}"
        );
        let h = sig
            .split("h=")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_ascii_lowercase();
        assert!(
            h.contains("list-unsubscribe") && h.contains("list-unsubscribe-post"),
            "{h}"
        );
        for m in mails.iter().take(3) {
            assert!(dkim_verifies(&m.raw(), &record), "the signature verifies");
        }
        // A changed message does not.
        let forged = mails[0].raw().replacen("Subject:", "Subject: Re:", 1);
        assert!(!dkim_verifies(&forged, &record));

        // The link is tracked per recipient: a click counts once for the campaign.
        let body = mails[0].data.clone();
        let text = decode_parts(&body);
        assert!(!text.contains("/m/o/"), "no open pixel unless asked for");
        let link = text
            .split_whitespace()
            .find(|w| w.contains("/l/") && w.contains("?m="))
            .map(|w| {
                w.trim_matches(|c| c == '(' || c == ')' || c == '"' || c == '.')
                    .to_string()
            })
            .unwrap_or_else(|| panic!("no tracked link in {text}"));
        let browser = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
            .build()
            .unwrap();
        for _ in 0..2 {
            let r = browser.get(&link).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::FOUND);
            assert!(
                r.headers()["location"]
                    .to_str()
                    .unwrap()
                    .starts_with("https://yad.example/day?utm_source=email&utm_medium=email")
            );
        }
        // A forged recipient token still redirects, and counts no one.
        let forged = link.replace("?m=r", "?m=r0");
        assert_eq!(
            browser.get(&forged).send().await.unwrap().status(),
            StatusCode::FOUND
        );
        app.server.as_ref().unwrap().state.clicks.flush().await;
        // One-click unsubscribe from the header: no cookie, no confirmation.
        let url = unsubscribe.trim_matches(['<', '>']);
        let r = reqwest::Client::new().post(url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let f = kehilla_db::messaging::figures(&app.db.pool, c.id)
            .await
            .unwrap();
        assert_eq!((f.clicked, f.unsubscribed, f.opened), (1, 1, 0));
        let (_, page) = owner.get_text(&format!("/orgs/yad/campaigns/{id}")).await;
        assert!(page.contains("id=\"fig-clicked\">1<"), "{page}");
        assert!(page.contains("id=\"campaign-figures\""));

        // Running the job again sends nothing more.
        kehilla_app::messaging::send::wake(&app.db, c.id, org.id, kehilla_db::now_ms())
            .await
            .unwrap();
        app.run_pending_jobs().await;
        assert_eq!(sink.all().len(), 24);
        app.stop().await;
    }
}

/// The text of a message's base64 parts, decoded.
pub fn decode_parts(data: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    for part in data.split("Content-Transfer-Encoding: base64").skip(1) {
        let b64: String = part
            .split("\n\n")
            .nth(1)
            .unwrap_or("")
            .split("--")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b64) {
            out.push_str(&String::from_utf8_lossy(&bytes));
            out.push('\n');
        }
    }
    out
}

#[tokio::test]
async fn a_relay_that_refuses_for_a_while_or_drops_the_connection_loses_and_repeats_nothing() {
    let sink = Sink::start().await;
    let relay = format!("{}?connections=2", sink.url());
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, move |s| {
        s.campaign_relays = vec![kehilla_app::settings::Secret(relay)];
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    seed_subscribers(&app.db, org.id, 12, "p").await;
    // An address that is not one (it came in before addresses were checked).
    seed_subscribers(&app.db, org.id, 1, "broken address ").await;
    {
        let mut b = sink.behaviour.lock().unwrap();
        b.tempfail = 3;
        b.drop = 2;
    }
    let id = new_campaign(&owner, "שלום {{ person.first_name }}").await;
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now")],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=campaign-sending"));
    app.run_pending_jobs().await;
    let c = campaign_row(&app, &id).await;
    let f = kehilla_db::messaging::figures(&app.db.pool, c.id)
        .await
        .unwrap();
    assert_eq!(c.status, "sending", "waiting for the deferred ones");
    assert_eq!((f.sent, f.deferred, f.failed), (7, 5, 1), "{f:?}");
    let (_, page) = owner.get_text(&format!("/orgs/yad/campaigns/{id}")).await;
    assert!(page.contains("id=\"fig-deferred\">5<"));
    // One of the deferred withdraws meanwhile: not sent to, and counted as cancelled.
    let (gone,): (i64,) = kehilla_db::sqlx::query_as(
        "SELECT person_id FROM campaign_recipients WHERE status = 'deferred' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    kehilla_db::sqlx::query(
        "INSERT INTO consents (organization_id, person_id, channel, purpose, given, source, created_at) \
         VALUES ($1, $2, 'email', 'newsletter', 0, 'unsubscribe', $3)",
    )
    .bind(org.id)
    .bind(gone)
    .bind(kehilla_db::now_ms())
    .execute(&app.db.pool)
    .await
    .unwrap();
    // Their time comes (as if the minutes passed).
    kehilla_db::sqlx::query("UPDATE campaign_recipients SET next_at = 0 WHERE status = 'deferred'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    kehilla_db::sqlx::query("UPDATE jobs SET run_at = 0 WHERE kind = 'mail.campaign-send'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    let c = campaign_row(&app, &id).await;
    let f = kehilla_db::messaging::figures(&app.db.pool, c.id)
        .await
        .unwrap();
    assert_eq!(
        (c.status.as_str(), f.sent, f.deferred, f.cancelled),
        ("sent", 11, 0, 1)
    );
    let mut to: Vec<String> = sink.all().iter().map(|m| m.to.join(",")).collect();
    assert_eq!(to.len(), 11);
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 11, "no one twice, no one left out");
    app.stop().await;
}

#[tokio::test]
async fn pause_resume_and_cancel() {
    let sink = Sink::start().await;
    let relay = sink.url();
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, move |s| {
        s.campaign_relays = vec![kehilla_app::settings::Secret(relay)];
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    seed_subscribers(&app.db, org.id, 5, "q").await;
    // Scheduled for later, then cancelled before it starts: a draft again.
    let id = new_campaign(&owner, "שלום").await;
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "later"), ("at", "2099-01-01T09:00")],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=campaign-scheduled"));
    app.run_pending_jobs().await;
    assert_eq!(campaign_row(&app, &id).await.status, "scheduled");
    assert!(sink.all().is_empty());
    let (_, page) = owner.get_text(&format!("/orgs/yad/campaigns/{id}")).await;
    assert!(page.contains("2099-01-01 09:00"));
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/control"),
            &[("action", "cancel")],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=campaign-cancelled"));
    assert_eq!(campaign_row(&app, &id).await.status, "draft");
    // A time that is not one is a clear error.
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "later"), ("at", "מחר")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("id=\"form-error\""));
    // Sent now but paused before the job runs: nothing goes; resumed: everything goes.
    owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now")],
        )
        .await;
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/control"),
            &[("action", "pause")],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=campaign-paused"));
    app.run_pending_jobs().await;
    assert!(sink.all().is_empty());
    // While it is paused, one of them unsubscribes: they do not get it.
    let (q0,): (i64,) =
        kehilla_db::sqlx::query_as("SELECT id FROM people WHERE email = 'q0@example.org'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    kehilla_db::sqlx::query(
        "INSERT INTO consents (organization_id, person_id, channel, purpose, given, source, created_at) \
         VALUES ($1, $2, 'email', 'newsletter', 0, 'unsubscribe', $3)",
    )
    .bind(org.id)
    .bind(q0)
    .bind(kehilla_db::now_ms() + 1)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/control"),
            &[("action", "resume")],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=campaign-resumed"));
    app.run_pending_jobs().await;
    assert_eq!(sink.all().len(), 4);
    assert!(!sink.all().iter().any(|m| m.to.join("").contains("q0@")));
    assert_eq!(campaign_row(&app, &id).await.status, "sent");
    // A sent campaign cannot be paused.
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/control"),
            &[("action", "pause")],
        )
        .await;
    assert!(r.text().await.unwrap().contains("id=\"form-error\""));
    app.stop().await;
}

#[tokio::test]
async fn ten_thousand_messages_arrive_once_each_although_the_sender_is_killed_again_and_again() {
    let sink = Sink::start().await;
    let relay = format!("{}?connections=8", sink.url());
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, |_| {}).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let n = 10_000usize;
    seed_subscribers(&app.db, org.id, n, "k").await;
    let id = new_campaign(
        &owner,
        "שלום {{ person.first_name }}, [הפעילות](https://yad.example/a)",
    )
    .await;
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now")],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=campaign-sending"));
    let campaign = campaign_row(&app, &id).await.id;
    let spawn = |crash_after: Option<u64>| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"));
        c.arg("serve")
            .env("KEHILLA_DATABASE_URL", &app.testdb.url)
            .env("KEHILLA_DATA_DIR", &app.testdb.dir)
            .env("KEHILLA_LISTEN", "127.0.0.1:0")
            .env("KEHILLA_BASE_URL", &app.base)
            .env("KEHILLA_CAMPAIGN_RELAYS", &relay)
            .env("KEHILLA_JOB_LEASE_SECS", "2")
            .env("KEHILLA_LOG_LEVEL", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if let Some(k) = crash_after {
            c.env("KEHILLA_TEST_CRASH_AFTER", k.to_string());
        }
        c.spawn().unwrap()
    };
    let sent = || async {
        let (s,): (i64,) = kehilla_db::sqlx::query_as(
            "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = $1 AND status = 'sent'",
        )
        .bind(campaign)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        s
    };
    // Other processes have no hook to await: poll the database, with a deadline.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(400);
    let wait_until = |goal: i64, mut child: std::process::Child| {
        let sent = &sent;
        async move {
            loop {
                if let Ok(Some(_)) = child.try_wait() {
                    return child;
                }
                if sent().await >= goal {
                    return child;
                }
                assert!(std::time::Instant::now() < deadline, "sending stalled");
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    };
    // 1. Ends itself right after the relay took a message, before recording it.
    let a = wait_until(i64::MAX, spawn(Some(1_500))).await;
    let after_a = sent().await;
    assert!((1_000..=1_500).contains(&after_a), "{after_a}");
    // 2. Killed from outside (SIGKILL) at whatever moment it is in.
    let mut b = wait_until(after_a + 2_000, spawn(None)).await;
    b.kill().unwrap();
    b.wait().unwrap();
    let after_b = sent().await;
    assert!(
        after_b < n as i64,
        "the kill came too late; make the campaign larger"
    );
    // 3. Ends itself again.
    let _c = wait_until(i64::MAX, spawn(Some(2_500))).await;
    // 4. Runs to the end.
    let mut d = spawn(None);
    loop {
        if campaign_row(&app, &id).await.status == "sent" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the campaign did not finish"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = (d.kill(), d.wait());
    drop(a);
    assert_eq!(sent().await, n as i64, "recorded once each");
    let mails = sink.all();
    let mut ids: Vec<String> = mails
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "no gap: every recipient's message arrived");
    let mut to: Vec<String> = mails.iter().map(|m| m.to.join(",")).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), n);
    // A second copy can only come from the moment between the relay's 250 and the record,
    // at most one per connection in flight at each of the three kills, and it carries the same
    // Message-ID.
    let repeats = mails.len() - n;
    eprintln!(
        "messages: {} for {n} recipients ({repeats} repeated across 3 kills)",
        mails.len()
    );
    assert!(repeats <= 3 * 8, "{repeats} repeats");
    app.stop().await;
}

async fn smtp_reply(r: &mut tokio::io::BufReader<tokio::net::tcp::OwnedReadHalf>) -> String {
    use tokio::io::AsyncBufReadExt;
    loop {
        let mut l = String::new();
        r.read_line(&mut l).await.unwrap();
        let last = l.trim_end().to_string();
        if last.len() < 4 || last.as_bytes()[3] != b'-' {
            return last;
        }
    }
}

/// Speaks SMTP to `port` by hand: one message to `rcpt`; returns the server's last reply.
async fn smtp_deliver(port: u16, rcpt: &str, data: &str) -> String {
    use tokio::io::{AsyncWriteExt, BufReader};
    let s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let (r, mut w) = s.into_split();
    let mut r = BufReader::new(r);
    smtp_reply(&mut r).await;
    for cmd in ["EHLO mx.example", "MAIL FROM:<>"] {
        w.write_all(format!("{cmd}\r\n").as_bytes()).await.unwrap();
        smtp_reply(&mut r).await;
    }
    w.write_all(format!("RCPT TO:<{rcpt}>\r\n").as_bytes())
        .await
        .unwrap();
    let answer = smtp_reply(&mut r).await;
    if !answer.starts_with("250") {
        return answer;
    }
    w.write_all(b"DATA\r\n").await.unwrap();
    smtp_reply(&mut r).await;
    let body = data.replace("\r\n.", "\r\n..");
    w.write_all(format!("{body}\r\n.\r\n").as_bytes())
        .await
        .unwrap();
    let answer = smtp_reply(&mut r).await;
    w.write_all(b"QUIT\r\n").await.unwrap();
    answer
}

fn dsn(rcpt_address: &str, message_id: &str, status: &str) -> String {
    format!(
        "From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n\
--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n\
Final-Recipient: rfc822; {rcpt_address}\r\nAction: failed\r\nStatus: {status}\r\n\
Diagnostic-Code: smtp; {status} mailbox problem\r\n\
--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {message_id}\r\n\
--B--\r\n"
    )
}

#[tokio::test]
async fn bounces_and_complaints_that_come_back_suppress_the_address_and_soft_ones_go_again() {
    let sink = Sink::start().await;
    let relay = sink.url();
    let port = crate::support::free_port();
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, move |s| {
        s.campaign_relays = vec![kehilla_app::settings::Secret(relay)];
        s.inbound_smtp_listen = Some(format!("127.0.0.1:{port}"));
        s.bounce_domain = Some("b.yad.example".into());
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    seed_subscribers(&app.db, org.id, 4, "b").await;
    let id = new_campaign(&owner, "שלום").await;
    // This one counts opens (asked for; off by default).
    owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now"), ("open_tracking", "1")],
        )
        .await;
    app.run_pending_jobs().await;
    let mails = sink.all();
    assert_eq!(mails.len(), 4);
    let html = decode_parts(&mails[0].data);
    let pixel = html
        .split("src=\"")
        .find(|p| p.contains("/m/o/"))
        .and_then(|p| p.split('"').next())
        .unwrap_or_else(|| panic!("no open pixel in {html}"))
        .to_string();
    for _ in 0..2 {
        let r = reqwest::get(&pixel).await.unwrap();
        assert_eq!(r.headers()["content-type"], "image/gif");
    }
    let c = campaign_row(&app, &id).await;
    assert_eq!(
        kehilla_db::messaging::figures(&app.db.pool, c.id)
            .await
            .unwrap()
            .opened,
        1
    );
    let of = |who: &str| {
        let m = mails.iter().find(|m| m.to.join("").contains(who)).unwrap();
        (
            m.from.trim_matches(['<', '>']).to_string(),
            m.header("Message-ID").unwrap(),
        )
    };
    // A hard bounce to the VERP address.
    let (verp0, mid0) = of("b0@");
    let answer = smtp_deliver(port, &verp0, &dsn("b0@example.org", &mid0, "5.1.1")).await;
    assert!(answer.starts_with("250"), "{answer}");
    // A complaint (ARF) that names the original only by its Message-ID, sent to any bounce
    // address of ours.
    let (_, mid1) = of("b1@");
    let arf = format!(
        "From: fbl@isp.example\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\r\n\r\n\
--F\r\nContent-Type: text/plain\r\n\r\nA complaint.\r\n\
--F\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nVersion: 1\r\n\
--F\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: {mid1}\r\nSubject: x\r\n\r\nbody\r\n\
--F--\r\n"
    );
    let answer = smtp_deliver(port, "bounces+fbl@b.yad.example", &arf).await;
    assert!(answer.starts_with("250"), "{answer}");
    // A soft bounce: the message goes again.
    let (verp2, mid2) = of("b2@");
    let answer = smtp_deliver(port, &verp2, &dsn("b2@example.org", &mid2, "4.2.2")).await;
    assert!(answer.starts_with("250"), "{answer}");
    // Not ours: refused at RCPT. A forged token: taken, and nothing happens.
    let answer = smtp_deliver(port, "postmaster@b.yad.example", "Subject: x\r\n\r\nx").await;
    assert!(answer.starts_with("550"), "{answer}");
    let forged = verp0.replacen("bounces+r", "bounces+r0", 1);
    let answer = smtp_deliver(port, &forged, &dsn("b3@example.org", "<x@y>", "5.1.1")).await;
    assert!(answer.starts_with("250"), "{answer}");

    let c = campaign_row(&app, &id).await;
    let f = kehilla_db::messaging::figures(&app.db.pool, c.id)
        .await
        .unwrap();
    assert_eq!(
        (f.bounced, f.complained, f.deferred, f.delivered),
        (1, 1, 1, 2),
        "{f:?}"
    );
    assert_eq!(c.status, "sending", "the soft bounce goes again");
    assert_eq!(
        kehilla_db::messaging::suppressed_count(&app.db.pool, org.id)
            .await
            .unwrap(),
        2
    );
    kehilla_db::sqlx::query("UPDATE campaign_recipients SET next_at = 0 WHERE status = 'deferred'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    kehilla_app::messaging::send::enqueue_due(&app.db)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(sink.all().len(), 5, "b2 again, no one else");
    assert_eq!(campaign_row(&app, &id).await.status, "sent");
    // The next campaign leaves the suppressed addresses out, and says why.
    let next = new_campaign(&owner, "שוב").await;
    let (_, page) = owner.get_text(&format!("/orgs/yad/campaigns/{next}")).await;
    assert!(page.contains("כתובתם חזרה או שהתלוננו"), "{page}");
    assert!(
        page.contains("id=\"gate-eligible\">שני אנשים יקבלו"),
        "{page}"
    );
    app.stop().await;
}

/// Twilio's Messages API as documented (reference §11): Basic auth, form fields, `sid` in a
/// 201 answer, and its error shape `{code, message, status}` (20003, 21211, 21617).
#[derive(Default)]
pub struct FakeTwilio {
    account: String,
    token: String,
    pub sent: Vec<(String, String, String)>,
}

pub async fn fake_twilio(
    account: &str,
    token: &str,
) -> (String, std::sync::Arc<std::sync::Mutex<FakeTwilio>>) {
    use axum::extract::{Path, State};
    use axum::response::IntoResponse;
    type Shared = std::sync::Arc<std::sync::Mutex<FakeTwilio>>;
    async fn messages(
        State(f): State<Shared>,
        Path(account): Path<String>,
        headers: axum::http::HeaderMap,
        axum::Form(form): axum::Form<Vec<(String, String)>>,
    ) -> axum::response::Response {
        use base64::Engine;
        let mut f = f.lock().unwrap();
        let want = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", f.account, f.token))
        );
        let err = |status: u16, code: i64, message: &str| {
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                axum::Json(json!({"code": code, "message": message, "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status})),
            )
                .into_response()
        };
        if account != f.account
            || headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(want.as_str())
        {
            return err(401, 20003, "Authenticate");
        }
        let get = |k: &str| {
            form.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let (to, body) = (get("To"), get("Body"));
        if body.chars().count() > 1600 {
            return err(
                400,
                21617,
                "The concatenated message body exceeds the 1600 character limit.",
            );
        }
        if !to.starts_with("+972") || to.ends_with("0000000") {
            return err(
                400,
                21211,
                &format!("The 'To' number {to} is not a valid phone number."),
            );
        }
        let sid = format!("SM{:032x}", f.sent.len() + 1);
        f.sent
            .push((to.clone(), body.clone(), get("StatusCallback")));
        (
            axum::http::StatusCode::CREATED,
            axum::Json(json!({"sid": sid, "status": "queued", "to": to, "body": body, "num_segments": "1", "error_code": null})),
        )
            .into_response()
    }
    let shared: Shared = std::sync::Arc::new(std::sync::Mutex::new(FakeTwilio {
        account: account.into(),
        token: token.into(),
        ..FakeTwilio::default()
    }));
    let app = axum::Router::new()
        .route(
            "/2010-04-01/Accounts/{account}/Messages.json",
            axum::routing::post(messages),
        )
        .with_state(shared.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, shared)
}

#[tokio::test]
async fn an_sms_campaign_counts_its_segments_goes_through_twilio_and_a_reply_of_hasser_stops_it() {
    let account = format!("AC{}", "ab".repeat(16));
    let token = "twilio-token-1";
    let (twilio, fake) = fake_twilio(&account, token).await;
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let now = kehilla_db::now_ms();
    for (i, phone) in ["+972501234567", "+972502222222", "+972500000000"]
        .iter()
        .enumerate()
    {
        let (id,): (i64,) = kehilla_db::sqlx::query_as(
            "INSERT INTO people (public_id, organization_id, first_name, phone, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(kehilla_db::new_public_id())
        .bind(org.id)
        .bind(["נועה", "דן", "רות"][i])
        .bind(*phone)
        .bind(now)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        kehilla_db::sqlx::query(
            "INSERT INTO consents (organization_id, person_id, channel, purpose, given, source, created_at) \
             VALUES ($1, $2, 'sms', 'newsletter', 1, 'form', $3)",
        )
        .bind(org.id)
        .bind(id)
        .bind(now)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    // An SMS campaign cannot go without a gateway.
    let sms_form = |body: &'static str| {
        [
            ("name", "תזכורת חלוקה"),
            ("channel", "sms"),
            ("purpose", "newsletter"),
            ("segment", ""),
            ("lang", "he"),
            ("advertising", "1"),
            ("body", body),
        ]
    };
    let r = owner
        .post_form(
            "/orgs/yad/campaigns",
            &sms_form("שלום {{ person.first_name }}, החלוקה ביום שישי ב־10:00"),
        )
        .await;
    let at = crate::support::location(&r);
    let id = at
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now")],
        )
        .await;
    assert!(r.text().await.unwrap().contains("לא הוגדר שער SMS"));
    // The gateway: bad input first.
    let r = owner
        .post_form(
            "/orgs/yad/campaigns/sender/sms",
            &[
                ("kind", "twilio"),
                ("account", "nope"),
                ("secret", token),
                ("sender", "+97235551234"),
                ("url", &twilio),
                ("cost_per_segment", "5"),
            ],
        )
        .await;
    assert!(r.text().await.unwrap().contains("id=\"form-error\""));
    let r = owner
        .post_form(
            "/orgs/yad/campaigns/sender/sms",
            &[
                ("kind", "twilio"),
                ("account", &account),
                ("secret", token),
                ("sender", "+97235551234"),
                ("url", &twilio),
                ("cost_per_segment", "5"),
            ],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=sms-gateway-saved"));
    let (_, page) = owner.get_text("/orgs/yad/campaigns/sender").await;
    let hook = |kind: &str| {
        page.split("/hooks/sms/")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_string()
            + "/"
            + kind
    };
    let (inbound, status) = (hook("inbound"), hook("status"));
    assert!(!page.contains(token), "the token is not shown again");

    // The page counts the text: Hebrew is UCS-2; the advertising mark and the way to stop.
    let (_, page) = owner.get_text(&format!("/orgs/yad/campaigns/{id}")).await;
    assert!(page.contains("id=\"sms-preview\""), "{page}");
    assert!(
        page.contains("פרסומת: שלום נועה, החלוקה ביום שישי ב־10:00")
            || page.contains("פרסומת: שלום"),
        "{page}"
    );
    assert!(page.contains("להסרה השיבו הסר"));
    assert!(page.contains("UCS-2"));
    let r = owner
        .post_form(
            "/orgs/yad/campaigns/sms-count",
            &[
                ("text", &"א".repeat(100)),
                ("lang", "he"),
                ("recipients", "3"),
            ],
        )
        .await;
    let j: Value = r.json().await.unwrap();
    assert_eq!(j["estimate"]["segments"], 2);
    assert_eq!(j["estimate"]["encoding"], "UCS-2");
    assert_eq!(j["estimate"]["cost"], 2 * 3 * 5);

    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now")],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=campaign-sending"));
    app.run_pending_jobs().await;
    let c = campaign_row(&app, &id).await;
    assert_eq!(c.status, "sent");
    {
        let f = fake.lock().unwrap();
        assert_eq!(f.sent.len(), 2, "the refused number is not sent twice");
        assert!(
            f.sent[0].1.starts_with("פרסומת: שלום נועה"),
            "{}",
            f.sent[0].1
        );
        assert!(f.sent[0].2.ends_with("/status"));
    }
    let f = kehilla_db::messaging::figures(&app.db.pool, c.id)
        .await
        .unwrap();
    assert_eq!((f.sent, f.bounced, f.delivered), (2, 1, 0));

    // Twilio's webhooks, signed as Twilio signs them.
    let post_hook = |path: String, params: Vec<(&'static str, String)>, good: bool| {
        let base = app.base.clone();
        async move {
            let owned: Vec<(String, String)> = params
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            let url = format!("{base}/hooks/sms/{path}");
            let mut sig = kehilla_app::messaging::sms::twilio_signature(token, &url, &owned);
            if !good {
                sig = sig.replacen(|c: char| c.is_ascii_alphabetic(), "A", 1);
                sig = format!("x{sig}");
            }
            reqwest::Client::new()
                .post(&url)
                .header("x-twilio-signature", sig)
                .form(&owned)
                .send()
                .await
                .unwrap()
        }
    };
    let sid = format!("SM{:032x}", 1);
    let r = post_hook(
        status.clone(),
        vec![
            ("MessageSid", sid.clone()),
            ("MessageStatus", "delivered".into()),
        ],
        true,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let f = kehilla_db::messaging::figures(&app.db.pool, c.id)
        .await
        .unwrap();
    assert_eq!(f.delivered, 1);
    // A forged reply is refused and changes nothing.
    let r = post_hook(
        inbound.clone(),
        vec![("From", "+972501234567".into()), ("Body", "הסר".into())],
        false,
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let org_id = org.id;
    let gate_now = || async {
        kehilla_app::messaging::gate::gate(
            &app.db,
            org_id,
            &kehilla_db::segments::Filter::All { of: vec![] },
            "sms",
            "newsletter",
        )
        .await
        .unwrap()
    };
    assert_eq!(gate_now().await.eligible, 3);
    // "הסר" from Noa: her SMS consent is withdrawn at once.
    let r = post_hook(
        inbound.clone(),
        vec![("From", "+972501234567".into()), ("Body", " הסר ".into())],
        true,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let g = gate_now().await;
    assert_eq!(g.eligible, 2);
    assert!(
        g.excluded
            .contains(&(kehilla_app::messaging::gate::Excluded::Withdrawn, 1))
    );
    let f = kehilla_db::messaging::figures(&app.db.pool, c.id)
        .await
        .unwrap();
    assert_eq!(f.unsubscribed, 1);
    // Any other reply changes nothing; an unknown hook is not found.
    let r = post_hook(
        inbound.clone(),
        vec![("From", "+972502222222".into()), ("Body", "תודה!".into())],
        true,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(gate_now().await.eligible, 2);
    let r = reqwest::Client::new()
        .post(app.url(&format!("/hooks/sms/{}/inbound", "0".repeat(32))))
        .form(&[("From", "+972502222222"), ("Body", "STOP")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn a_welcome_sequence_greets_new_subscribers_step_by_step_and_lets_go_of_who_withdraws() {
    for backend in backends() {
        let sink = Sink::start().await;
        let relay = sink.url();
        let app = TestApp::spawn_on(backend, move |s| {
            s.campaign_relays = vec![kehilla_app::settings::Secret(relay)];
        })
        .await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
            .await
            .unwrap()
            .unwrap();
        let signed_up = |email: &'static str| {
            let db = app.db.clone();
            async move {
                seed_subscribers(&db, org.id, 1, email).await;
                let (id,): (i64,) = kehilla_db::sqlx::query_as(
                    "SELECT MAX(id) FROM people WHERE organization_id = $1",
                )
                .bind(org.id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
                kehilla_db::people::add_event(
                    &db.pool,
                    org.id,
                    id,
                    "signed-up",
                    "הצטרפו אלינו",
                    "",
                )
                .await
                .unwrap();
                id
            }
        };
        let tick = || kehilla_app::messaging::automations::tick(&app.db);
        // Signed up before the sequence is on: not greeted later.
        signed_up("early").await;
        let (_, page) = owner.get_text("/orgs/yad/automations").await;
        assert!(
            page.contains("רצף ברוכים הבאים") && page.contains("רצף חזרה לפעילות"),
            "{page}"
        );
        let id = page
            .split("/orgs/yad/automations/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let (_, page) = owner.get_text(&format!("/orgs/yad/automations/{id}")).await;
        assert!(page.contains("ברוכים הבאים ל{{ org.name }}"), "{page}");
        // Bad input: a delay that is not a number.
        let r = owner
            .post_form(
                &format!("/orgs/yad/automations/{id}"),
                &[
                    ("name", "רצף ברוכים הבאים"),
                    ("trigger", "signed-up"),
                    ("trigger_ref", ""),
                    ("purpose", "newsletter"),
                    ("delay_0", "מחר"),
                    ("subject_0", "שלום"),
                    ("body_0", "שלום"),
                ],
            )
            .await;
        assert!(r.text().await.unwrap().contains("id=\"form-error\""));
        let r = owner
            .post_form(
                &format!("/orgs/yad/automations/{id}/active"),
                &[("active", "1")],
            )
            .await;
        assert!(crate::support::location(&r).contains("done=automation-on"));
        tick().await.unwrap();
        app.run_pending_jobs().await;
        assert!(sink.all().is_empty(), "earlier sign-ups do not start it");

        let noa = signed_up("noa").await;
        assert_eq!(tick().await.unwrap(), 1);
        app.run_pending_jobs().await;
        let mails = sink.all();
        assert_eq!(mails.len(), 1);
        assert!(mails[0].to.join("").contains("noa0@example.org"));
        // Nothing more until the next step's time; then the second step, once.
        assert_eq!(tick().await.unwrap(), 0);
        kehilla_db::sqlx::query("UPDATE automation_runs SET next_at = 0 WHERE person_id = $1")
            .bind(noa)
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(tick().await.unwrap(), 1);
        assert_eq!(tick().await.unwrap(), 0);
        app.run_pending_jobs().await;
        assert_eq!(sink.all().len(), 2);
        // Dan signs up, gets the first step, then withdraws: he leaves the sequence.
        let dan = signed_up("dan").await;
        tick().await.unwrap();
        app.run_pending_jobs().await;
        assert_eq!(sink.all().len(), 3);
        kehilla_db::sqlx::query(
            "INSERT INTO consents (organization_id, person_id, channel, purpose, given, source, created_at) \
             VALUES ($1, $2, 'email', 'newsletter', 0, 'unsubscribe', $3)",
        )
        .bind(org.id)
        .bind(dan)
        .bind(kehilla_db::now_ms())
        .execute(&app.db.pool)
        .await
        .unwrap();
        kehilla_db::sqlx::query("UPDATE automation_runs SET next_at = 0 WHERE person_id = $1")
            .bind(dan)
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(tick().await.unwrap(), 0);
        app.run_pending_jobs().await;
        assert_eq!(sink.all().len(), 3, "nothing after the withdrawal");
        let (_, page) = owner.get_text(&format!("/orgs/yad/automations/{id}")).await;
        assert!(
            page.contains("אחד סיים") && page.contains("אחד יצא"),
            "{page}"
        );
        assert!(page.contains("id=\"step-figures-0\">נשלחו 2"), "{page}");
        // Step campaigns are not in the campaigns list.
        let (_, list) = owner.get_text("/orgs/yad/campaigns").await;
        assert!(!list.contains("רצף ברוכים הבאים"));
        app.stop().await;
    }
}

#[tokio::test]
async fn the_demo_has_a_sent_campaign_with_figures_and_sends_to_its_built_in_sink() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        assert!(kehilla_app::demo::load(&app.db).await.unwrap());
        let b = app.browser();
        b.log_in("dana@yad-beyad.example", kehilla_app::demo::PASSWORD)
            .await;
        let (_, list) = b.get_text("/orgs/yad-beyad/campaigns").await;
        assert!(
            list.contains("עדכון נובמבר") && list.contains("נשלח"),
            "{list}"
        );
        let id_of = |name: &str| {
            list.split("/orgs/yad-beyad/campaigns/")
                .find(|s| s.contains(name))
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        };
        let sent = id_of("עדכון נובמבר");
        let (_, page) = b
            .get_text(&format!("/orgs/yad-beyad/campaigns/{sent}"))
            .await;
        assert!(page.contains("id=\"campaign-figures\""), "{page}");
        let clicked: i64 = page
            .split("id=\"fig-clicked\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(clicked > 50, "{clicked}");
        // No relay in demo mode: the built-in sink takes the appeal, and the page says so.
        let appeal = id_of("מגבית חנוכה");
        let (_, page) = b
            .get_text(&format!("/orgs/yad-beyad/campaigns/{appeal}"))
            .await;
        assert!(page.contains("id=\"sink-notice\""));
        let before =
            kehilla_app::messaging::send::sink_total().load(std::sync::atomic::Ordering::SeqCst);
        let r = b
            .post_form(
                &format!("/orgs/yad-beyad/campaigns/{appeal}/send"),
                &[("when", "now")],
            )
            .await;
        assert!(crate::support::location(&r).contains("done=campaign-sending"));
        app.run_pending_jobs().await;
        let c = kehilla_db::messaging::by_id(
            &app.db.pool,
            kehilla_db::sqlx::query_as::<_, (i64,)>(
                "SELECT id FROM campaigns WHERE public_id = $1",
            )
            .bind(&appeal)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .0,
        )
        .await
        .unwrap();
        assert_eq!(c.status, "sent");
        let f = kehilla_db::messaging::figures(&app.db.pool, c.id)
            .await
            .unwrap();
        assert!(f.sent > 0);
        let after =
            kehilla_app::messaging::send::sink_total().load(std::sync::atomic::Ordering::SeqCst);
        assert!(after - before >= u64::try_from(f.sent).unwrap());
        // The advertising appeal went out marked as such.
        let last = kehilla_app::messaging::send::sink()
            .lock()
            .unwrap()
            .last()
            .cloned()
            .unwrap();
        let text = String::from_utf8_lossy(&last.1).to_string();
        assert!(text.contains("Subject: =?utf-8?"), "{text}");
        // The SMS draft cannot go without a gateway.
        let sms = id_of("תזכורת חלוקה");
        let r = b
            .post_form(
                &format!("/orgs/yad-beyad/campaigns/{sms}/send"),
                &[("when", "now")],
            )
            .await;
        assert!(r.text().await.unwrap().contains("לא הוגדר שער SMS"));
        app.stop().await;
    }
}

/// Makes a block campaign through the page's block fields; returns its id.
pub async fn new_block_campaign(owner: &crate::support::Browser) -> String {
    let r = owner
        .post_form(
            "/orgs/yad/campaigns",
            &[
                ("name", "מגבית חורף"),
                ("channel", "email"),
                ("format", "blocks"),
                ("purpose", "newsletter"),
                ("segment", ""),
                ("lang", "he"),
                ("subject", "חורף חם, {{ person.first_name }}"),
                ("block_kind_0", "heading"),
                ("block_text_0", "שלום {{ person.first_name }}"),
                ("block_order_0", "1"),
                ("block_kind_1", "button"),
                ("block_text_1", "לתרומה"),
                ("block_url_1", "https://yad.example/give"),
                ("block_order_1", "3"),
                ("block_kind_2", "text"),
                (
                    "block_text_2",
                    "השנה נחלק **400** שמיכות עם Kehilla Day.\n\nThis paragraph is in English.",
                ),
                ("block_order_2", "2"),
                ("block_kind_3", ""),
                ("block_text_3", ""),
            ],
        )
        .await;
    let at = crate::support::location(&r);
    assert!(
        at.contains("done=campaign-saved"),
        "{at} {}",
        r.text().await.unwrap()
    );
    at.split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_block_campaign_renders_through_mjml_right_to_left_in_the_organizations_colour() {
    let sink = Sink::start().await;
    let relay = sink.url();
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, move |s| {
        s.campaign_relays = vec![kehilla_app::settings::Secret(relay)];
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    seed_subscribers(&app.db, org.id, 2, "w").await;
    let r = owner
        .post_form(
            "/orgs/yad/campaigns/sender",
            &[
                ("from_name", ""),
                ("from_address", ""),
                ("reply_to", ""),
                ("brand_color", "#0E7C66"),
            ],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=sender-saved"));
    // Bad input: a button to a script address.
    let r = owner
        .post_form(
            "/orgs/yad/campaigns",
            &[
                ("name", "x"),
                ("format", "blocks"),
                ("purpose", "newsletter"),
                ("lang", "he"),
                ("subject", "x"),
                ("block_kind_0", "button"),
                ("block_text_0", "x"),
                ("block_url_0", "javascript:alert(1)"),
            ],
        )
        .await;
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"form-error\"") && html.contains("https"),
        "{html}"
    );
    let id = new_block_campaign(&owner).await;
    let (_, page) = owner.get_text(&format!("/orgs/yad/campaigns/{id}")).await;
    assert!(page.contains("id=\"blocks\""));
    // Ordered by position: heading, text, button; and an empty block to add.
    let heading = page
        .find("block_text_0\" rows=\"3\" dir=\"auto\">שלום")
        .unwrap();
    assert!(
        page.find("block_text_1\" rows=\"3\" dir=\"auto\">השנה")
            .unwrap()
            > heading
    );
    assert!(page.contains("id=\"block-3\""));
    let person: (String,) =
        kehilla_db::sqlx::query_as("SELECT public_id FROM people ORDER BY id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let r = owner
        .get(&format!(
            "/orgs/yad/campaigns/{id}/preview?person={}",
            person.0
        ))
        .await;
    let html = r.text().await.unwrap();
    assert!(
        html.contains("dir=\"rtl\"") && html.contains("lang=\"he\""),
        "{html}"
    );
    assert!(html.contains("שלום חבר0"));
    assert!(html.contains("#0e7c66"));
    assert!(html.contains("https://yad.example/give"));
    // A photo of the media library attached; one too large is refused with the limit.
    let token = owner.create_token("yad", "write").await;
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/orgs/yad/media"))
        .bearer_auth(&token)
        .multipart(
            reqwest::multipart::Form::new()
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(kehilla_media::sample::photo_with_location(
                        120, 80,
                    ))
                    .file_name("חלוקה.jpg"),
                )
                .text("alt_text", "חלוקה"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let media = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, page) = owner.get_text(&format!("/orgs/yad/campaigns/{id}")).await;
    assert!(
        page.contains(&format!("name=\"attachment\" value=\"{media}\"")),
        "{page}"
    );
    let save = |attachment: String| {
        let owner = &owner;
        let id = id.clone();
        async move {
            owner
                .post_form(
                    &format!("/orgs/yad/campaigns/{id}"),
                    &[
                        ("name", "מגבית חורף"),
                        ("channel", "email"),
                        ("format", "blocks"),
                        ("purpose", "newsletter"),
                        ("lang", "he"),
                        ("subject", "חורף חם, {{ person.first_name }}"),
                        ("block_kind_0", "heading"),
                        ("block_text_0", "שלום {{ person.first_name }}"),
                        ("block_kind_1", "text"),
                        ("block_text_1", "השנה נחלק **400** שמיכות."),
                        ("block_kind_2", "button"),
                        ("block_text_2", "לתרומה"),
                        ("block_url_2", "https://yad.example/give"),
                        ("attachment", attachment.as_str()),
                    ],
                )
                .await
        }
    };
    kehilla_db::sqlx::query("UPDATE media SET bytes = 20000000 WHERE public_id = $1")
        .bind(&media)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let html = save(media.clone()).await.text().await.unwrap();
    assert!(
        html.contains("id=\"form-error\"") && html.contains("10 MB"),
        "{html}"
    );
    kehilla_db::sqlx::query("UPDATE media SET bytes = 5000 WHERE public_id = $1")
        .bind(&media)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let r = save(media.clone()).await;
    assert!(crate::support::location(&r).contains("done=campaign-saved"));
    owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now")],
        )
        .await;
    app.run_pending_jobs().await;
    let mails = sink.all();
    assert_eq!(mails.len(), 2);
    assert!(mails[0].data.contains("multipart/mixed"));
    assert!(
        mails[0].data.contains("Content-Disposition: attachment"),
        "{}",
        mails[0].data
    );
    let parts = decode_parts(&mails[0].data);
    assert!(
        parts.contains("לתרומה: ") && parts.contains("?m=r"),
        "{parts}"
    );
    assert!(!parts.contains("<mj-"), "MJML is rendered, not sent");
    app.stop().await;
}

#[tokio::test]
async fn a_local_providers_http_gateway_sends_takes_receipts_and_stop_replies() {
    type Sent = std::sync::Arc<std::sync::Mutex<Vec<Value>>>;
    let sent: Sent = Sent::default();
    let store = sent.clone();
    let gateway = axum::Router::new().route(
        "/sms",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, axum::Json(body): axum::Json<Value>| {
                let store = store.clone();
                async move {
                    if headers.get("authorization").and_then(|v| v.to_str().ok())
                        != Some("Bearer gw-secret")
                    {
                        return (
                            axum::http::StatusCode::UNAUTHORIZED,
                            axum::Json(json!({"error": "auth"})),
                        );
                    }
                    let mut s = store.lock().unwrap();
                    s.push(body);
                    (
                        axum::http::StatusCode::OK,
                        axum::Json(json!({"id": format!("g-{}", s.len())})),
                    )
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, gateway).await.unwrap() });
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, |s| s.fetch_private = true).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let (pid,): (i64,) = kehilla_db::sqlx::query_as(
        "INSERT INTO people (public_id, organization_id, first_name, phone, created_at, updated_at) \
         VALUES ($1, $2, 'Avi', '+972502222222', 0, 0) RETURNING id",
    )
    .bind(kehilla_db::new_public_id())
    .bind(org.id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    kehilla_db::sqlx::query(
        "INSERT INTO consents (organization_id, person_id, channel, purpose, given, source, created_at) \
         VALUES ($1, $2, 'sms', 'event_reminders', 1, 'form', 0)",
    )
    .bind(org.id)
    .bind(pid)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let r = owner
        .post_form(
            "/orgs/yad/campaigns/sender/sms",
            &[
                ("kind", "http"),
                ("account", ""),
                ("secret", "gw-secret"),
                ("sender", "YadBeyad"),
                ("url", &url),
                ("cost_per_segment", ""),
            ],
        )
        .await;
    assert!(crate::support::location(&r).contains("done=sms-gateway-saved"));
    let (_, page) = owner.get_text("/orgs/yad/campaigns/sender").await;
    let hook = page
        .split("/hooks/sms/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let r = owner
        .post_form(
            "/orgs/yad/campaigns",
            &[
                ("name", "Reminder"),
                ("channel", "sms"),
                ("purpose", "event_reminders"),
                ("segment", ""),
                ("lang", "en"),
                ("body", "Hi {{ person.first_name }}, see you tomorrow at 9."),
            ],
        )
        .await;
    let at = crate::support::location(&r);
    let id = at
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now")],
        )
        .await;
    app.run_pending_jobs().await;
    {
        let s = sent.lock().unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0]["to"], "+972502222222");
        assert_eq!(s[0]["from"], "YadBeyad");
        assert_eq!(s[0]["text"], "Hi Avi, see you tomorrow at 9.");
        assert!(
            s[0]["status_url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/hooks/sms/{hook}/status"))
        );
    }
    let c = campaign_row(&app, &id).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/hooks/sms/{hook}/status")))
        .json(&json!({"id": "g-1", "status": "delivered"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let f = kehilla_db::messaging::figures(&app.db.pool, c.id)
        .await
        .unwrap();
    assert_eq!((f.sent, f.delivered), (1, 1));
    let r = reqwest::Client::new()
        .post(app.url(&format!("/hooks/sms/{hook}/inbound")))
        .json(&json!({"from": "+972502222222", "text": "STOP"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let g = kehilla_app::messaging::gate::gate(
        &app.db,
        org.id,
        &kehilla_db::segments::Filter::All { of: vec![] },
        "sms",
        "event_reminders",
    )
    .await
    .unwrap();
    assert_eq!(g.eligible, 0, "STOP withdrew the consent");
    app.stop().await;
}

#[tokio::test]
async fn an_sms_gateway_on_a_private_address_is_refused() {
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, |_| {}).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    for url in [
        "https://127.0.0.1:9/send",
        "https://10.1.2.3/send",
        "https://[::1]/send",
        "https://169.254.169.254/latest",
        "http://sms.example/send",
    ] {
        let r = owner
            .post_form(
                "/orgs/yad/campaigns/sender/sms",
                &[
                    ("kind", "http"),
                    ("secret", "s3cret"),
                    ("sender", "+97235551234"),
                    ("url", url),
                    ("cost_per_segment", "5"),
                ],
            )
            .await;
        assert!(
            r.text().await.unwrap().contains("id=\"form-error\""),
            "{url} is refused"
        );
    }
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    assert!(
        kehilla_db::messaging::sms_gateway(&app.db.pool, org.id)
            .await
            .unwrap()
            .is_none()
    );
}
