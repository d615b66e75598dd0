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
