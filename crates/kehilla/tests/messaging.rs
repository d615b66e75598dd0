//! Owned messaging: the consent gate of a campaign's audience, on both databases.

use kehilla_app::messaging::gate::{Excluded, gate};
use kehilla_db::segments::Filter;
use reqwest::StatusCode;
use serde_json::{Value, json};

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
