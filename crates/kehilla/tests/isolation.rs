//! Tenant isolation: every route of the router is called by a member of another organization,
//! and nothing of the first organization leaks or changes.

use std::collections::HashMap;

use kehilla_web::Access;
use reqwest::{Method, StatusCode};

use crate::support::{Backend, TestApp};

#[tokio::test]
async fn no_route_leaks_across_organizations() {
    for backend in crate::support::backends() {
        isolation_on(backend).await;
    }
}

async fn isolation_on(backend: Backend) {
    let app = TestApp::spawn_on(backend, |_| {}).await;
    // Organization A, with something behind every kind of id a route takes.
    let a_owner = app.set_up("org-a", "a@example.org").await;
    app.invite_and_join(&a_owner, "org-a", "editor", "a-editor@example.org")
        .await;
    a_owner.create_invitation("org-a", "viewer").await;
    a_owner.create_token("org-a", "write").await;
    let mut tx = app.db.begin().await.unwrap();
    kehilla_db::jobs::enqueue(
        &mut *tx,
        kehilla_db::jobs::NewJob::new("probe", serde_json::json!({}))
            .org(1)
            .max_attempts(1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    kehilla_db::sqlx::query("UPDATE jobs SET status = 'dead'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    // People data of A: a person, a list, a segment, a form and an import.
    let r = a_owner
        .post_form(
            "/orgs/org-a/people",
            &[
                ("first_name", "רחל"),
                ("email", "secret-person@example.org"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        a_owner
            .post_form("/orgs/org-a/lists", &[("name", "רשימה סודית")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let r = a_owner
        .post_form(
            "/orgs/org-a/segments",
            &[
                ("name", "פלח סודי"),
                ("combine", "all"),
                ("c0_kind", "has_email"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = a_owner
        .post_form(
            "/orgs/org-a/forms",
            &[
                ("kind", "newsletter"),
                ("title", "טופס סודי"),
                ("lang", "he"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let csv = "name,email\nx,x@example.org\n";
    let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("a.csv");
    let token = a_owner.csrf().await;
    let r = a_owner
        .client
        .post(app.url(&format!("/orgs/org-a/people/import?csrf_token={token}")))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Studio data of A: a channel, a post with a photo, and a short link.
    let r = a_owner
        .post_form(
            "/orgs/org-a/studio/channels",
            &[("network", "x"), ("name", "ערוץ סודי"), ("slots", "09:00")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let a = kehilla_db::orgs::by_slug(&app.db.pool, "org-a")
        .await
        .unwrap()
        .unwrap();
    let channel = kehilla_db::studio::channels(&app.db.pool, a.id)
        .await
        .unwrap();
    let r = a_owner
        .post_form(
            "/orgs/org-a/studio/posts",
            &[
                ("kind", "story"),
                ("title", "פוסט סודי"),
                ("body", "טקסט https://a.example/x"),
                ("channel", channel[0].public_id.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = a_owner
        .post_form(
            "/orgs/org-a/campaigns",
            &[
                ("name", "קמפיין סודי"),
                ("purpose", "newsletter"),
                ("lang", "he"),
                ("subject", "שלום"),
                ("body", "תוכן סודי"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The ready automations are made on the first look.
    assert_eq!(
        a_owner.get("/orgs/org-a/automations").await.status(),
        StatusCode::OK
    );
    let photo = kehilla_media::sample::photo(40, 30, 10);
    let part = reqwest::multipart::Part::bytes(photo).file_name("a.jpg");
    let r = a_owner
        .client
        .post(app.url(&format!("/orgs/org-a/studio/media?csrf_token={token}")))
        .multipart(
            reqwest::multipart::Form::new()
                .part("file", part)
                .text("alt_text", "תמונה סודית"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Organization B and its owner: the outsider.
    let b_owner = app.browser();
    let sign_up = {
        let link = a_owner.create_invitation("org-a", "viewer").await;
        // B's owner needs an account: join A, create B, then leave A.
        let path = link.strip_prefix(&app.base).unwrap().to_string();
        b_owner
            .post_form(
                &path,
                &[
                    ("name", "B"),
                    ("email", "b@example.org"),
                    ("password", crate::support::PASSWORD),
                ],
            )
            .await
    };
    assert_eq!(sign_up.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        b_owner
            .post_form("/orgs", &[("name", "B"), ("slug", "org-b")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        b_owner.post_form("/orgs/org-a/leave", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let b_token = b_owner.create_token("org-b", "write").await;

    let a_id = kehilla_db::orgs::by_slug(&app.db.pool, "org-a")
        .await
        .unwrap()
        .unwrap()
        .id;
    let snapshot = state_of(&app, a_id).await;
    let ids = fixtures(&app, a_id).await;

    let (_, routes) = kehilla_web::app(app.server.as_ref().unwrap().state.clone());
    assert!(
        routes.len() > 40,
        "the route table is complete: {}",
        routes.len()
    );
    let api = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let csrf = b_owner.csrf().await;
    let mut checked = 0;
    for route in &routes {
        let scoped = route.path.contains("{org}");
        match route.access {
            Access::Public | Access::SignedIn => {
                assert!(
                    !scoped,
                    "{} {} names an organization but is not guarded by one",
                    route.method, route.path
                );
                continue;
            }
            Access::Org(_) | Access::Api(_) => assert!(
                scoped,
                "{} {} has an organization rule but no {{org}}",
                route.method, route.path
            ),
        }
        let params: Vec<&str> = route
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .filter(|p| *p != "org")
            .collect();
        // Into A's organization: not found. And into B's own, with A's ids: not found either.
        let mut targets = vec![fill(route.path, "org-a", &ids)];
        if !params.is_empty() {
            targets.push(fill(route.path, "org-b", &ids));
        }
        for path in targets {
            let method = Method::from_bytes(route.method.as_str().as_bytes()).unwrap();
            let resp = match route.access {
                Access::Api(_) => api
                    .request(method, app.url(&path))
                    .bearer_auth(&b_token)
                    .json(&api_body(&ids))
                    .send()
                    .await
                    .unwrap(),
                _ => {
                    let mut req = b_owner.client.request(method.clone(), app.url(&path));
                    if method != Method::GET {
                        req = req.form(&[
                            ("csrf_token", csrf.as_str()),
                            ("role", "viewer"),
                            ("name", "x"),
                            ("scope", "write"),
                            ("note", "x"),
                        ]);
                    }
                    req.send().await.unwrap()
                }
            };
            let s = resp.status();
            assert!(
                s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN,
                "{} {path} answered {s} to a member of another organization",
                route.method
            );
            let body = resp.text().await.unwrap();
            for secret in [
                "a-editor@example.org",
                "עמותת בדיקה",
                "secret-person@example.org",
                "רשימה סודית",
                "פלח סודי",
                "טופס סודי",
                "ערוץ סודי",
                "פוסט סודי",
                "תמונה סודית",
                "הודעה סודית",
            ] {
                assert!(
                    !body.contains(secret),
                    "{} {path} leaked {secret}",
                    route.method
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 30);
    assert_eq!(
        snapshot,
        state_of(&app, a_id).await,
        "organization A was changed by an outsider"
    );

    // Every HTML page — A's own, seen by A's owner, and the public ones — carries the security
    // headers: a script policy without inline code, no framing (but for embeddable forms),
    // no sniffing, a referrer policy.
    let mut pages = 0;
    for route in routes.iter().filter(|r| r.method == "GET") {
        if matches!(route.access, Access::Api(_)) {
            continue;
        }
        let mut public_ids = ids.clone();
        public_ids.insert("slug", "org-a".to_string());
        let Some(path) = try_fill(route.path, "org-a", &public_ids) else {
            continue;
        };
        let resp = a_owner.client.get(app.url(&path)).send().await.unwrap();
        assert!(
            resp.status().as_u16() < 500,
            "GET {path} answered {}",
            resp.status()
        );
        let h = resp.headers();
        let html = h
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if !html {
            continue;
        }
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("GET {path} has no Content-Security-Policy"));
        let script = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src") || d.starts_with("default-src"))
            .unwrap_or_default();
        assert!(
            !script.contains("unsafe-inline") && !script.contains("unsafe-eval"),
            "GET {path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors"), "GET {path}: {csp}");
        if csp.contains("frame-ancestors 'none'") {
            assert_eq!(h["x-frame-options"], "DENY", "GET {path}");
        } else if csp.contains("frame-ancestors 'self'") {
            // Previews framed by Kehilla's own pages (a campaign's email, a post).
            assert_eq!(h["x-frame-options"], "SAMEORIGIN", "GET {path}");
        } else {
            assert!(
                csp.contains("frame-ancestors *") && path.ends_with("/embed"),
                "only embeddable forms may be framed by others: {path}: {csp}"
            );
        }
        assert_eq!(h["x-content-type-options"], "nosniff", "GET {path}");
        assert!(h.contains_key("referrer-policy"), "GET {path}");
        pages += 1;
    }
    assert!(pages > 40, "{pages} HTML pages checked");
    let txt = a_owner
        .client
        .get(app.url("/.well-known/security.txt"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        txt.starts_with("Contact: mailto:") && txt.contains("\nExpires: 20"),
        "{txt}"
    );
    app.stop().await;
}

/// A route's path with A's ids, or `None` when a parameter has no sample.
fn try_fill(path: &str, org: &str, ids: &HashMap<&'static str, String>) -> Option<String> {
    let mut out = Vec::new();
    for seg in path.split('/') {
        out.push(
            match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some("org") => org.to_string(),
                Some(p) => ids.get(p)?.clone(),
                None => seg.to_string(),
            },
        );
    }
    Some(out.join("/"))
}

/// One JSON body that every API endpoint accepts (unknown fields are ignored), so that each
/// call reaches its authorization and lookups instead of stopping at body parsing.
fn api_body(ids: &HashMap<&'static str, String>) -> serde_json::Value {
    serde_json::json!({
        "role": "viewer", "note": "x", "name": "x", "first_name": "x",
        "person": ids.get("person"), "channel": "email", "purpose": "newsletter",
        "given": true, "wording": "x", "filter": {"op": "has_email"}, "alt_text": "x",
    })
}

/// A sample id of organization A for every path parameter a route may take. A new parameter
/// name makes the test fail until a fixture is added here.
async fn fixtures(app: &TestApp, org: i64) -> HashMap<&'static str, String> {
    let members = kehilla_db::orgs::members(&app.db.pool, org).await.unwrap();
    let editor = members.iter().find(|m| m.role == "editor").unwrap();
    let inv = kehilla_db::orgs::open_invitations(&app.db.pool, org)
        .await
        .unwrap();
    let owner = members.iter().find(|m| m.role == "owner").unwrap();
    let tokens = kehilla_db::tokens::of_member(&app.db.pool, org, owner.user_id)
        .await
        .unwrap();
    let jobs = kehilla_db::jobs::of_org(&app.db.pool, org, "dead", 10)
        .await
        .unwrap();
    let person = kehilla_db::people::search(&app.db.pool, org, &[], 1, 0)
        .await
        .unwrap();
    let list = kehilla_db::people::lists(&app.db.pool, org).await.unwrap();
    let segment = kehilla_db::segments::of_org(&app.db.pool, org)
        .await
        .unwrap();
    let form = kehilla_db::forms::of_org(&app.db.pool, org).await.unwrap();
    let import = kehilla_db::imports::of_org(&app.db.pool, org)
        .await
        .unwrap();
    let channel = kehilla_db::studio::channels(&app.db.pool, org)
        .await
        .unwrap();
    let media = kehilla_db::studio::media_list(&app.db.pool, org, 10)
        .await
        .unwrap();
    let (post,): (String,) =
        kehilla_db::sqlx::query_as("SELECT public_id FROM posts WHERE organization_id = $1")
            .bind(org)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let campaign = kehilla_db::messaging::list(&app.db.pool, org)
        .await
        .unwrap()[0]
        .public_id
        .clone();
    let automation = kehilla_db::automations::list(&app.db.pool, org)
        .await
        .unwrap()[0]
        .public_id
        .clone();
    let got = kehilla_app::inbox::ingest(
        &app.db,
        &kehilla_app::inbox::Incoming {
            org,
            source: "site",
            kind: "comment",
            remote_id: "secret-comment",
            author_id: "secret-person@example.org",
            handle: "secret-person@example.org",
            name: "x",
            body: "הודעה סודית",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let kehilla_app::inbox::Ingested::New { message, .. } = got else {
        panic!("the inbox fixture was kept before")
    };
    let (conversation, message): (String, String) = kehilla_db::sqlx::query_as(
        "SELECT c.public_id, m.public_id FROM inbox_messages m \
         JOIN inbox_conversations c ON c.id = m.conversation_id WHERE m.id = $1",
    )
    .bind(message)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let now = kehilla_db::now_ms();
    let audience = kehilla_db::measure::add_audience(&app.db.pool, org, "קהל סודי", "", None, now)
        .await
        .unwrap();
    let goal = kehilla_db::measure::add_goal(
        &app.db.pool,
        org,
        &kehilla_db::measure::NewGoal {
            title: "יעד סודי",
            metric: "signups",
            channel_id: None,
            audience_id: None,
            target: 10.0,
            start_day: 20_000,
            end_day: 20_100,
        },
        now,
    )
    .await
    .unwrap();
    HashMap::from([
        ("audience", audience),
        ("goal", goal),
        ("conversation", conversation),
        ("message", message),
        ("campaign", campaign),
        ("automation", automation),
        ("channel", channel[0].public_id.clone()),
        ("media", media[0].public_id.clone()),
        ("post", post),
        ("person", person[0].public_id.clone()),
        ("list", list[0].public_id.clone()),
        ("segment", segment[0].public_id.clone()),
        ("form", form[0].public_id.clone()),
        ("import", import[0].public_id.clone()),
        ("member", editor.public_id.clone()),
        ("invitation", inv[0].public_id.clone()),
        ("token", tokens[0].public_id.clone()),
        ("job", jobs[0].public_id.clone()),
    ])
}

fn fill(path: &str, org: &str, ids: &HashMap<&'static str, String>) -> String {
    path.split('/')
        .map(
            |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some("org") => org.to_string(),
                Some(p) => ids
                    .get(p)
                    .unwrap_or_else(|| panic!("add a fixture for path parameter {{{p}}}"))
                    .clone(),
                None => seg.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

async fn state_of(app: &TestApp, org: i64) -> String {
    let members = kehilla_db::orgs::members(&app.db.pool, org).await.unwrap();
    let inv = kehilla_db::orgs::open_invitations(&app.db.pool, org)
        .await
        .unwrap();
    let owner = members.iter().find(|m| m.role == "owner").unwrap();
    let tokens = kehilla_db::tokens::of_member(&app.db.pool, org, owner.user_id)
        .await
        .unwrap();
    let jobs = kehilla_db::jobs::counts(&app.db.pool, org).await.unwrap();
    let o = kehilla_db::orgs::by_id(&app.db.pool, org).await.unwrap();
    let people = kehilla_db::people::search(&app.db.pool, org, &[], 100, 0)
        .await
        .unwrap();
    let people: Vec<String> = people.iter().map(|p| format!("{p:?}")).collect();
    let lists = kehilla_db::people::lists(&app.db.pool, org).await.unwrap();
    let segs = kehilla_db::segments::of_org(&app.db.pool, org)
        .await
        .unwrap();
    let forms = kehilla_db::forms::of_org(&app.db.pool, org).await.unwrap();
    let imports = kehilla_db::imports::of_org(&app.db.pool, org)
        .await
        .unwrap();
    let (consents,): (i64,) = kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM consents")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let studio: Vec<(String, String, String, Option<i64>)> = kehilla_db::sqlx::query_as(
        "SELECT p.title, p.body, p.status, p.scheduled_at FROM posts p WHERE p.organization_id = $1 \
         UNION ALL SELECT name, slots, network, cadence_days FROM channels WHERE organization_id = $1 \
         UNION ALL SELECT alt_text, file_name, kind, bytes FROM media WHERE organization_id = $1 \
         UNION ALL SELECT body, follow_ups, '', edited FROM post_variants WHERE organization_id = $1 \
         UNION ALL SELECT target, code, '', NULL FROM links WHERE organization_id = $1 \
         UNION ALL SELECT name, subject, body, advertising FROM campaigns WHERE organization_id = $1 \
         UNION ALL SELECT name, trigger_kind, purpose, active FROM automations WHERE organization_id = $1 \
         UNION ALL SELECT from_name, from_address, dkim_public, NULL FROM mail_senders WHERE organization_id = $1 \
         UNION ALL SELECT kind, sender, url, cost_per_segment FROM sms_gateways WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    format!(
        "{studio:?} {people:?} {:?} {:?} {:?} {:?} {consents} {} {:?} {:?} {:?} {:?}",
        lists
            .iter()
            .map(|l| (&l.name, l.members))
            .collect::<Vec<_>>(),
        segs.iter()
            .map(|x| (&x.name, &x.definition))
            .collect::<Vec<_>>(),
        forms
            .iter()
            .map(|f| (&f.title, &f.consents))
            .collect::<Vec<_>>(),
        imports
            .iter()
            .map(|i| (&i.status, &i.mapping))
            .collect::<Vec<_>>(),
        o.name,
        members
            .iter()
            .map(|m| (&m.email, &m.role))
            .collect::<Vec<_>>(),
        inv.iter().map(|i| &i.public_id).collect::<Vec<_>>(),
        tokens
            .iter()
            .map(|t| (&t.public_id, t.revoked_at.is_some()))
            .collect::<Vec<_>>(),
        jobs
    )
}
