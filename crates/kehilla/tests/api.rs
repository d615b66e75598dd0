//! The JSON API: tokens, scopes, translated JSON errors, the OpenAPI document.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::TestApp;

#[tokio::test]
async fn tokens_act_with_the_lesser_of_scope_and_role() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let write = owner.create_token("yad", "write").await;
    let read = owner.create_token("yad", "read").await;
    assert!(write.starts_with("khl_"));
    let c = reqwest::Client::new();

    let r = c
        .get(app.url("/api/v1/orgs/yad"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["slug"], "yad");
    assert_eq!(v["role"], "owner");

    let r = c
        .post(app.url("/api/v1/orgs/yad/invitations"))
        .bearer_auth(&read)
        .json(&serde_json::json!({"role": "editor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a read token cannot write"
    );
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "forbidden");
    assert_eq!(v["message"], "אין לך הרשאה לפעולה הזו.");

    let r = c
        .post(app.url("/api/v1/orgs/yad/invitations"))
        .bearer_auth(&write)
        .json(&serde_json::json!({"role": "editor", "note": "נועה"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let inv: Value = r.json().await.unwrap();
    assert!(
        inv["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/invite/", app.base))
    );

    // A viewer's write token can still only read.
    let viewer = app
        .invite_and_join(&owner, "yad", "viewer", "rivka@example.org")
        .await;
    let vt = viewer.create_token("yad", "write").await;
    let r = c
        .get(app.url("/api/v1/orgs/yad/members"))
        .bearer_auth(&vt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let members: Vec<Value> = r.json().await.unwrap();
    assert_eq!(members.len(), 2);
    let r = c
        .get(app.url("/api/v1/orgs/yad/audit"))
        .bearer_auth(&vt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Role change over the API, with errors in the language asked for.
    let rivka = members
        .iter()
        .find(|m| m["email"] == "rivka@example.org")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = c
        .patch(app.url(&format!("/api/v1/orgs/yad/members/{rivka}")))
        .bearer_auth(&write)
        .header("accept-language", "en")
        .json(&serde_json::json!({"role": "boss"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "invalid-input");
    assert_eq!(v["field"], "role");
    assert_eq!(v["message"], "Role: Unknown role.");
    let r = c
        .patch(app.url(&format!("/api/v1/orgs/yad/members/{rivka}")))
        .bearer_auth(&write)
        .json(&serde_json::json!({"role": "editor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["role"], "editor");

    // Malformed JSON: a translated JSON 4xx, never a 500.
    for (body, ct) in [
        ("{not json", "application/json"),
        ("{\"role\": 5}", "application/json"),
        ("role=x", "text/plain"),
    ] {
        let r = c
            .patch(app.url(&format!("/api/v1/orgs/yad/members/{rivka}")))
            .bearer_auth(&write)
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{body}: {}", r.status());
        let v: Value = r.json().await.unwrap();
        assert!(
            v["code"].is_string()
                && v["message"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .any(|c| ('\u{5d0}'..='\u{5ea}').contains(&c)),
            "{v}"
        );
    }

    // Removing the member revokes their tokens.
    let r = c
        .delete(app.url(&format!("/api/v1/orgs/yad/members/{rivka}")))
        .bearer_auth(&write)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = c
        .get(app.url("/api/v1/orgs/yad"))
        .bearer_auth(&vt)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Revoked in the UI: refused at once.
    let tokens = kehilla_db::tokens::of_member(&app.db.pool, 1, 1)
        .await
        .unwrap();
    let rt = tokens.iter().find(|t| t.scope == "read").unwrap();
    owner
        .post_form(
            &format!("/orgs/yad/settings/tokens/{}/revoke", rt.public_id),
            &[],
        )
        .await;
    let r = c
        .get(app.url("/api/v1/orgs/yad"))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = c.get(app.url("/api/v1/orgs/yad")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // Tokens are stored hashed.
    let (n,): (i64,) =
        kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1")
            .bind(&write)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(n, 0);
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_names_exactly_the_api_routes() {
    let app = TestApp::spawn().await;
    let doc: Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut documented: Vec<String> = paths
        .iter()
        .flat_map(|(p, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| format!("{} {p}", m.to_uppercase()))
        })
        .collect();
    documented.sort();
    let (_, routes) = kehilla_web::app(app.server.as_ref().unwrap().state.clone());
    let mut served: Vec<String> = routes
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    served.sort();
    assert_eq!(documented, served);
    // Every $ref points at something defined.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/").skip(1) {
        let r: String = part.chars().take_while(|c| *c != '"').collect();
        let mut node = &doc["components"];
        for seg in r.split('/') {
            node = &node[seg];
        }
        assert!(!node.is_null(), "dangling $ref {r}");
    }
    app.stop().await;
}
