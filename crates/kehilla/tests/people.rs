//! People and consent: records and Hebrew search, segments on both databases, forms with double
//! opt-in over real SMTP, one-click unsubscribe, import (encodings, XLSX, report, restart),
//! export, erasure, the API.

use std::io::Write;

use kehilla_db::segments::{self as seg, Cmp, ConsentState, Filter};
use proptest::prelude::*;
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::smtp::Sink;
use crate::support::{Backend, Browser, TestApp, TestDb, backends, location};

async fn add_person(b: &Browser, org: &str, fields: &[(&str, &str)]) -> String {
    let r = b.post_form(&format!("/orgs/{org}/people"), fields).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let l = location(&r);
    l.split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn people_are_found_by_hebrew_prefixes_final_letters_phone_and_tag() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let id = add_person(
            &owner,
            "yad",
            &[
                ("first_name", "אברהם"),
                ("last_name", "כ\u{5b9}הן"),
                ("email", "Avi@Example.org"),
                ("phone", "054-234-5678"),
                ("roles", "donor"),
                ("tags", "חיפה, Newsletter-2025"),
            ],
        )
        .await;
        let (_, html) = owner.get_text(&format!("/orgs/yad/people/{id}")).await;
        assert!(html.contains("+972542345678"), "phone in E.164");
        assert!(html.contains("avi@example.org"));
        assert!(html.contains("תורם/ת"));
        for q in [
            "אבר",
            "אברהמ",
            "אברהם",
            "כהן",
            "0542345",
            "972542",
            "avi@",
            "חיפ",
            "newsletter",
        ] {
            let (_, html) = owner
                .get_text(&format!("/orgs/yad/people?q={}", crate::support::urlenc(q)))
                .await;
            assert!(html.contains(&id), "{backend:?}: search {q}");
        }
        let (_, html) = owner
            .get_text(&format!(
                "/orgs/yad/people?q={}",
                crate::support::urlenc("שרה")
            ))
            .await;
        assert!(!html.contains(&id) && html.contains("people-empty"));
        // Bad input is a translated 422, with the values kept.
        let r = owner
            .post_form(
                "/orgs/yad/people",
                &[("first_name", "דנה"), ("phone", "12")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(html.contains("טלפון: מספר טלפון לא תקין"), "{html}");
        // The same email again is a conflict, not a duplicate.
        let r = owner
            .post_form(
                "/orgs/yad/people",
                &[("first_name", "x"), ("email", "avi@example.org")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Staff record a consent heard on the phone: in the ledger with its wording, on the timeline.
        let r = owner
            .post_form(
                &format!("/orgs/yad/people/{id}/consents"),
                &[
                    ("channel", "sms"),
                    ("purpose", "event_reminders"),
                    ("given", "yes"),
                    ("wording", "בשיחה עם דנה"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, html) = owner.get_text(&format!("/orgs/yad/people/{id}")).await;
        assert!(
            html.contains(r#"data-channel="sms" data-purpose="event_reminders" data-given="1""#)
        );
        assert!(html.contains("בשיחה עם דנה") && html.contains("נתן/ה הסכמה"));
        app.stop().await;
    }
}

// ---- Segments: random filters over random data, the same people on both databases ----

const ROLES: [&str; 3] = ["donor", "volunteer", "press"];
const TAGS: [&str; 3] = ["חיפה", "ירושלים", "x"];

fn leaf() -> impl Strategy<Value = Filter> {
    prop_oneof![
        (0..3usize).prop_map(|i| Filter::Role {
            value: ROLES[i].into()
        }),
        (0..3usize).prop_map(|i| Filter::Tag {
            value: TAGS[i].into()
        }),
        Just(Filter::InList { list: "L".into() }),
        (0..2usize, 0..2usize, 0..3usize).prop_map(|(c, p, s)| Filter::Consent {
            channel: ["email", "sms"][c].into(),
            purpose: ["newsletter", "donation_appeals"][p].into(),
            state: [
                ConsentState::Given,
                ConsentState::Withdrawn,
                ConsentState::Unknown
            ][s],
        }),
        (0..2usize, 0..2usize).prop_map(|(c, p)| Filter::Reachable {
            channel: ["email", "sms"][c].into(),
            purpose: ["newsletter", "donation_appeals"][p].into()
        }),
        (0..5usize, 0..100i64).prop_map(|(c, v)| Filter::Field {
            key: "age".into(),
            cmp: [Cmp::Eq, Cmp::Ne, Cmp::Gt, Cmp::Lt, Cmp::Contains][c],
            value: v.to_string(),
        }),
        (0..400i64).prop_map(|d| Filter::AddedWithin { days: d }),
        (0..2usize).prop_map(|i| Filter::Lang {
            value: ["he", "en"][i].into()
        }),
        Just(Filter::HasEmail),
        Just(Filter::HasPhone),
    ]
}

fn filter() -> impl Strategy<Value = Filter> {
    leaf().prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|of| Filter::All { of }),
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|of| Filter::Any { of }),
            inner.prop_map(|f| Filter::Not { of: Box::new(f) }),
        ]
    })
}

/// The same 150 people on a database: roles, tags, languages, a list, a custom field, consents.
async fn seed(db: &kehilla_db::Db, now: i64) -> (i64, String) {
    let org = kehilla_db::orgs::create(&db.pool, "seg", "Seg")
        .await
        .unwrap();
    kehilla_db::people::create_custom_field(&db.pool, org.id, "age", "Age", "number", &[])
        .await
        .unwrap();
    let fields = kehilla_db::people::custom_fields(&db.pool, org.id)
        .await
        .unwrap();
    let list = kehilla_db::people::create_list(&db.pool, org.id, "L")
        .await
        .unwrap();
    let list_id = kehilla_db::people::list(&db.pool, org.id, &list)
        .await
        .unwrap()
        .id;
    let mut x: u64 = 42;
    let mut rnd = move |n: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % n
    };
    for i in 0..150 {
        let d = kehilla_db::people::PersonData {
            first_name: format!("p{i}"),
            email: (rnd(5) > 0).then(|| format!("p{i}@example.org")),
            phone: (rnd(2) == 0).then(|| format!("+97254{:07}", 2_000_000 + i)),
            lang: if rnd(3) == 0 {
                "en".into()
            } else {
                "he".into()
            },
            ..Default::default()
        };
        let p = kehilla_db::people::create(&db.pool, org.id, &d)
            .await
            .unwrap();
        let created = now - i64::try_from(rnd(500)).unwrap() * 86_400_000;
        kehilla_db::sqlx::query(
            "UPDATE people SET created_at = $1, email = COALESCE(email, $2) WHERE id = $3",
        )
        .bind(created)
        .bind(Option::<String>::None)
        .bind(p.id)
        .execute(&db.pool)
        .await
        .unwrap();
        kehilla_db::people::add_label(
            &db.pool,
            org.id,
            p.id,
            "role",
            ROLES[usize::try_from(rnd(3)).unwrap()],
        )
        .await
        .unwrap();
        if rnd(2) == 0 {
            kehilla_db::people::add_label(
                &db.pool,
                org.id,
                p.id,
                "tag",
                TAGS[usize::try_from(rnd(3)).unwrap()],
            )
            .await
            .unwrap();
        }
        if rnd(3) == 0 {
            kehilla_db::people::add_to_list(&db.pool, list_id, p.id)
                .await
                .unwrap();
        }
        if rnd(4) > 0 {
            let age = rnd(100);
            kehilla_db::people::set_field_value(
                &db.pool,
                org.id,
                p.id,
                fields[0].id,
                &age.to_string(),
                Some(age as f64),
            )
            .await
            .unwrap();
        }
        for _ in 0..rnd(4) {
            let e = kehilla_db::consent::NewEntry {
                person_id: p.id,
                channel: ["email", "sms"][usize::try_from(rnd(2)).unwrap()],
                purpose: ["newsletter", "donation_appeals"][usize::try_from(rnd(2)).unwrap()],
                given: rnd(3) > 0,
                source: "import",
                source_ref: "",
                wording: "",
                meta: "{}",
            };
            kehilla_db::consent::record(&db.pool, org.id, &e)
                .await
                .unwrap();
        }
    }
    (org.id, list)
}

fn with_list(f: &Filter, list: &str) -> Filter {
    match f {
        Filter::All { of } => Filter::All {
            of: of.iter().map(|x| with_list(x, list)).collect(),
        },
        Filter::Any { of } => Filter::Any {
            of: of.iter().map(|x| with_list(x, list)).collect(),
        },
        Filter::Not { of } => Filter::Not {
            of: Box::new(with_list(of, list)),
        },
        Filter::InList { .. } => Filter::InList { list: list.into() },
        other => other.clone(),
    }
}

async fn selected(
    db: &kehilla_db::Db,
    org: i64,
    list: &str,
    f: &Filter,
    now: i64,
    nonprofit: bool,
) -> Vec<String> {
    let c = seg::compile(&with_list(f, list), now, nonprofit, db.backend()).unwrap();
    let ids = seg::ids(&db.pool, org, &c, 0, 10_000).await.unwrap();
    assert_eq!(
        seg::count(&db.pool, org, &c).await.unwrap(),
        i64::try_from(ids.len()).unwrap()
    );
    let people = kehilla_db::people::by_ids(&db.pool, org, &ids)
        .await
        .unwrap();
    let mut names: Vec<String> = people.into_iter().map(|p| p.first_name).collect();
    names.sort();
    names
}

#[test]
fn segments_select_the_same_people_on_sqlite_and_postgresql() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dbs = rt.block_on(async {
        let mut dbs = Vec::new();
        for b in backends() {
            let t = TestDb::new(b).await;
            let db = t.connect().await;
            dbs.push((t, db));
        }
        dbs
    });
    let now = 1_800_000_000_000;
    let seeded: Vec<(i64, String)> = rt.block_on(async {
        let mut v = Vec::new();
        for (_, db) in &dbs {
            v.push(seed(db, now).await);
        }
        v
    });
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 64,
        failure_persistence: None,
        ..Default::default()
    });
    let nonempty = std::cell::Cell::new(0);
    runner
        .run(&(filter(), any::<bool>()), |(f, np)| {
            let results: Vec<Vec<String>> = rt.block_on(async {
                let mut out = Vec::new();
                for ((_, db), (org, list)) in dbs.iter().zip(&seeded) {
                    out.push(selected(db, *org, list, &f, now, np).await);
                }
                out
            });
            if !results[0].is_empty() {
                nonempty.set(nonempty.get() + 1);
            }
            for r in &results[1..] {
                prop_assert_eq!(&results[0], r, "filter {:?}", f);
            }
            Ok(())
        })
        .unwrap();
    assert!(
        nonempty.get() > 5,
        "the random filters select someone often enough to mean something"
    );
    // A hand-checked case: the nonprofit exception on SQLite.
    rt.block_on(async {
        let (_, db) = &dbs[0];
        let (org, list) = &seeded[0];
        let reach = Filter::Reachable {
            channel: "email".into(),
            purpose: "donation_appeals".into(),
        };
        let wide = selected(db, *org, list, &reach, now, true).await;
        let narrow = selected(db, *org, list, &reach, now, false).await;
        assert!(
            wide.len() > narrow.len(),
            "the exception reaches people who never refused"
        );
        let sms = Filter::Reachable {
            channel: "sms".into(),
            purpose: "donation_appeals".into(),
        };
        assert_eq!(
            selected(db, *org, list, &sms, now, true).await,
            selected(db, *org, list, &sms, now, false).await
        );
    });
    drop(dbs);
}

#[tokio::test]
async fn the_segment_editor_counts_as_it_is_edited_and_saves() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    add_person(
        &owner,
        "yad",
        &[
            ("first_name", "א"),
            ("email", "a@example.org"),
            ("roles", "volunteer"),
        ],
    )
    .await;
    add_person(
        &owner,
        "yad",
        &[
            ("first_name", "ב"),
            ("email", "b@example.org"),
            ("roles", "donor"),
        ],
    )
    .await;
    let token = owner.csrf().await;
    let r = owner
        .client
        .post(app.url("/orgs/yad/segments/count"))
        .header("x-csrf-token", token.as_str())
        .form(&[
            ("combine", "all"),
            ("c0_kind", "role"),
            ("c0_value", "volunteer"),
        ])
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["count"], 1);
    assert_eq!(v["label"], "איש קשר אחד בפלח");
    let r = owner
        .post_form(
            "/orgs/yad/segments",
            &[
                ("name", "כולם"),
                ("combine", "any"),
                ("c0_kind", "role"),
                ("c0_value", "volunteer"),
                ("c1_kind", "role"),
                ("c1_value", "donor"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = owner.get_text(&location(&r)).await;
    assert!(html.contains("שני אנשי קשר בפלח"), "{html}");
    // A bad value is explained, not a 500.
    let r = owner
        .post_form(
            "/orgs/yad/segments",
            &[
                ("name", "x"),
                ("c0_kind", "added_within"),
                ("c0_value", "-3"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("אחד הערכים בפלח אינו תקין")
    );
    app.stop().await;
}

// ---- Forms, double opt-in, unsubscribe ----

pub fn mail_body_pub(data: &str) -> String {
    mail_body(data)
}

fn mail_body(data: &str) -> String {
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

pub async fn create_form(owner: &Browser, org: &str) -> String {
    let list = owner
        .post_form(&format!("/orgs/{org}/lists"), &[("name", "ניוזלטר")])
        .await;
    let list_id = location(&list)
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = owner
        .post_form(
            &format!("/orgs/{org}/forms"),
            &[
                ("kind", "newsletter"),
                ("title", "הצטרפו לניוזלטר"),
                ("lang", "he"),
                ("double_opt_in", "1"),
                ("list", &list_id),
                ("k0_channel", "email"),
                ("k0_purpose", "newsletter"),
                ("k0_wording", "אני מסכים/ה לקבל את הניוזלטר של העמותה."),
                ("k0_required", "1"),
                ("k1_channel", "email"),
                ("k1_purpose", "donation_appeals"),
                ("k1_wording", "ומותר לבקש ממני תרומות."),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    location(&r)
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

pub async fn sink_app() -> (Sink, TestApp) {
    let sink = Sink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_on(Backend::Sqlite, move |s| {
        s.smtp_url = Some(kehilla_app::settings::Secret(url))
    })
    .await;
    (sink, app)
}

#[tokio::test]
async fn a_form_signup_is_confirmed_by_email_and_undone_in_one_click() {
    let (sink, app) = sink_app().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let form = create_form(&owner, "yad").await;
    let visitor = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |fields: Vec<(&'static str, String)>| {
        let v = visitor.clone();
        let url = app.url(&format!("/f/{form}"));
        async move {
            v.post(url)
                .header("origin", "https://yad-beyad.example")
                .form(&fields)
                .send()
                .await
                .unwrap()
        }
    };
    // A required consent box left empty: refused politely, in Hebrew.
    let r = post(vec![("email", "noa@example.org".into())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("שדה חובה"));
    // A bot fills the honeypot: it sees success, nothing is stored.
    let r = post(vec![
        ("email", "bot@example.org".into()),
        ("consent", "0".into()),
        ("website", "http://spam".into()),
    ])
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    // A person, from a plain form on the organization's own site (another origin, no cookie).
    let r = post(vec![
        ("first_name", "נועה".into()),
        ("email", "Noa@Example.org".into()),
        ("consent", "0".into()),
        ("consent", "1".into()),
    ])
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("form-check-email"));
    assert_eq!(
        kehilla_db::people::count(&app.db.pool, 1).await.unwrap(),
        0,
        "nothing before confirmation"
    );
    assert_eq!(
        app.run_pending_jobs().await,
        1,
        "one confirmation mail; none for the bot"
    );
    let mails = sink.all();
    assert_eq!(mails.len(), 1);
    let body = mail_body(&mails[0].data);
    assert!(body.contains("הצטרפו לניוזלטר"));
    let link = body
        .lines()
        .find(|l| l.contains("/f/confirm/"))
        .unwrap()
        .trim()
        .to_string();
    let path = link.strip_prefix(&app.base).unwrap().to_string();
    // Opening the link (as a mail scanner would) confirms nothing; the button does.
    let r = visitor.get(app.url(&path)).send().await.unwrap();
    assert!(r.text().await.unwrap().contains("confirm-button"));
    assert_eq!(kehilla_db::people::count(&app.db.pool, 1).await.unwrap(), 0);
    let r = visitor.post(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("ההרשמה אושרה"));
    // Again changes nothing.
    assert_eq!(
        visitor.post(app.url(&path)).send().await.unwrap().status(),
        StatusCode::OK
    );
    let again = visitor
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(again.contains("ההרשמה אושרה"));
    let people = kehilla_db::people::search(&app.db.pool, 1, &[], 10, 0)
        .await
        .unwrap();
    assert_eq!(people.len(), 1);
    let p = &people[0];
    assert_eq!(p.email.as_deref(), Some("noa@example.org"));
    let (_, html) = owner
        .get_text(&format!("/orgs/yad/people/{}", p.public_id))
        .await;
    assert!(
        html.contains("אני מסכים/ה לקבל את הניוזלטר של העמותה.")
            && html.contains("ומותר לבקש ממני תרומות.")
    );
    assert!(html.contains("ניוזלטר"), "added to the form's list");
    let history = kehilla_db::consent::history(&app.db.pool, 1, p.id)
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert!(
        history
            .iter()
            .all(|e| e.source == "form" && e.meta.contains("\"double_opt_in\":true"))
    );

    // One-click unsubscribe (RFC 8058): a POST with no cookie and no confirmation page.
    let token = kehilla_app::people::links::token(&app.db, &p.public_id)
        .await
        .unwrap();
    let r = visitor
        .post(app.url(&format!("/u/{token}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let current = kehilla_db::consent::current(&app.db.pool, 1, p.id)
        .await
        .unwrap();
    assert!(
        current
            .iter()
            .filter(|c| c.channel == "email")
            .all(|c| c.given == 0 && c.source == "unsubscribe")
    );
    // The preference centre shows it, and a choice there is a new ledger entry.
    let (s, html) = (
        visitor
            .get(app.url(&format!("/p/{token}")))
            .send()
            .await
            .unwrap()
            .status(),
        String::new(),
    );
    assert_eq!(s, StatusCode::OK);
    drop(html);
    let r = visitor
        .post(app.url(&format!("/p/{token}")))
        .form(&[("purpose", "newsletter"), ("lang", "en")])
        .send()
        .await
        .unwrap();
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Your preferences are saved.")
    );
    let current = kehilla_db::consent::current(&app.db.pool, 1, p.id)
        .await
        .unwrap();
    assert!(
        current
            .iter()
            .any(|c| c.purpose == "newsletter" && c.given == 1 && c.source == "preference-centre")
    );
    // A forged link is not found.
    let bad = format!("{}.{}", p.public_id, "0".repeat(32));
    assert_eq!(
        visitor
            .get(app.url(&format!("/u/{bad}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

// ---- Import ----

pub(crate) async fn upload(
    b: &Browser,
    app: &TestApp,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let token = b.csrf().await;
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    b.client
        .post(app.url(&format!("/orgs/yad/people/import?csrf_token={token}")))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opt =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let files = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
    ];
    for (name, body) in files {
        w.start_file(name, opt).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (i, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", i + 1));
        for cell in row.iter() {
            sheet.push_str(&format!("<c t=\"inlineStr\"><is><t>{cell}</t></is></c>"));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    w.start_file("xl/worksheets/sheet1.xml", opt).unwrap();
    w.write_all(sheet.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

#[tokio::test]
async fn imports_read_hebrew_excel_exports_and_report_every_problem() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        // Someone already there, by email: updated, not duplicated.
        add_person(&owner, "yad", &[("email", "shira@example.org")]).await;
        let csv = "שם פרטי,שם משפחה,דוא\"ל,טלפון נייד,תגיות,מסכים לדיוור\n\
                   שירה,לוי,shira@example.org,052-345-6789,חיפה,כן\n\
                   יוסי,כהן,not-an-email,,,כן\n\
                   רון,,ron@example.org,123,,לא\n\
                   ,,,,,\n\
                   דנה,מזרחי,SHIRA@example.org,,,כן\n\
                   =HYPERLINK(\"x\"),ריק,eq@example.org,,,כן,עודף\n\
                   מיכל,,michal@example.org,,,אולי\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1255.encode(csv);
        let r = upload(&owner, &app, "אנשים.csv", bytes.into_owned()).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = location(&r);
        let (_, html) = owner.get_text(&page).await;
        assert!(
            html.contains("windows-1255") && html.contains("שירה"),
            "decoded Hebrew"
        );
        for (col, guess) in [
            (0, "first_name"),
            (1, "last_name"),
            (2, "email"),
            (3, "phone"),
            (4, "tags"),
            (5, "consent"),
        ] {
            let select = html
                .split(&format!("name=\"col{col}\""))
                .nth(1)
                .unwrap()
                .split("</select>")
                .next()
                .unwrap();
            assert!(
                select.contains(&format!("value=\"{guess}\" selected")),
                "column {col} guessed as {guess}"
            );
        }
        let import = page.rsplit('/').next().unwrap().to_string();
        let mut form: Vec<(&str, &str)> = vec![
            ("col0", "first_name"),
            ("col1", "last_name"),
            ("col2", "email"),
            ("col3", "phone"),
            ("col4", "tags"),
            ("col5", "consent"),
            ("consent_channel", "email"),
            ("consent_purpose", "newsletter"),
            ("consent_basis", "נרשמו בדוכן ביריד, מרץ 2026"),
        ];
        let r = owner
            .post_form(&format!("/orgs/yad/imports/{import}/start"), &form)
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        form.clear();
        assert_eq!(app.run_pending_jobs().await, 1);
        let imp = kehilla_db::imports::get(&app.db.pool, 1, &import)
            .await
            .unwrap();
        assert_eq!(imp.status, "done");
        assert_eq!(
            (imp.created_count, imp.updated_count),
            (3, 1),
            "{backend:?}: ron, the formula row and michal new, shira updated"
        );
        let michal = kehilla_db::people::by_email(&app.db.pool, 1, "michal@example.org")
            .await
            .unwrap()
            .unwrap();
        assert!(
            kehilla_db::consent::history(&app.db.pool, 1, michal.id)
                .await
                .unwrap()
                .is_empty(),
            "an unreadable answer is no consent"
        );
        // What the import added to someone already there is searchable.
        let found = kehilla_app::people::person::search(&app.db, 1, "שירה 052-345", 10, 0)
            .await
            .unwrap();
        assert!(
            found
                .iter()
                .any(|p| p.email.as_deref() == Some("shira@example.org")),
            "{backend:?}"
        );
        let problems = kehilla_db::imports::problems(&app.db.pool, imp.id, 100)
            .await
            .unwrap();
        let reasons: Vec<(i64, &str)> = problems
            .iter()
            .map(|p| (p.row_no, p.reason.as_str()))
            .collect();
        for want in [
            (3, "bad-email"),
            (4, "bad-phone"),
            (5, "missing-required"),
            (6, "duplicate"),
            (7, "extra-cells"),
            (8, "bad-consent"),
        ] {
            assert!(
                reasons.contains(&want),
                "{backend:?}: {want:?} in {reasons:?}"
            );
        }
        // The report: a download with BOM, Hebrew reasons, formula-safe cells.
        let r = owner
            .get(&format!("/orgs/yad/imports/{import}/report"))
            .await;
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(text.contains("דוא״ל לא תקין") && text.contains("כפילות בקובץ"));
        // Consent from the import records its basis; a "no" is a refusal.
        let shira = kehilla_db::people::by_email(&app.db.pool, 1, "shira@example.org")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(shira.first_name, "שירה", "an empty name is filled in");
        assert_eq!(shira.phone.as_deref(), Some("+972523456789"));
        let h = kehilla_db::consent::history(&app.db.pool, 1, shira.id)
            .await
            .unwrap();
        assert_eq!(
            (h[0].source.as_str(), h[0].wording.as_str(), h[0].given),
            ("import", "נרשמו בדוכן ביריד, מרץ 2026", 1)
        );
        let ron = kehilla_db::people::by_email(&app.db.pool, 1, "ron@example.org")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            kehilla_db::consent::history(&app.db.pool, 1, ron.id)
                .await
                .unwrap()[0]
                .given,
            0
        );
        // Export escapes the formula.
        let list = owner.post_form("/orgs/yad/lists", &[("name", "הכל")]).await;
        let list_id = location(&list)
            .split('/')
            .nth(4)
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let eq = kehilla_db::people::by_email(&app.db.pool, 1, "eq@example.org")
            .await
            .unwrap()
            .unwrap();
        owner
            .post_form(
                &format!("/orgs/yad/people/{}/lists", eq.public_id),
                &[("list", &list_id)],
            )
            .await;
        let csv = owner
            .get(&format!("/orgs/yad/lists/{list_id}/export"))
            .await
            .bytes()
            .await
            .unwrap();
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        let csv = String::from_utf8(csv.to_vec()).unwrap();
        assert!(
            csv.contains("'=HYPERLINK") && !csv.contains(",=HYPERLINK"),
            "{csv}"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn xlsx_and_utf8_bom_files_import_and_bad_files_get_a_clear_answer() {
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.max_import_bytes = 100_000).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let file = xlsx(&[
        &["Name", "Email", "Mobile"],
        &["Sarah Cohen", "sarah@example.org", "+44 7911 123456"],
    ]);
    let r = upload(&owner, &app, "people.xlsx", file).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let import = location(&r).rsplit('/').next().unwrap().to_string();
    let r = owner
        .post_form(
            &format!("/orgs/yad/imports/{import}/start"),
            &[("col0", "full_name"), ("col1", "email"), ("col2", "phone")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.run_pending_jobs().await;
    let sarah = kehilla_db::people::by_email(&app.db.pool, 1, "sarah@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            sarah.first_name.as_str(),
            sarah.last_name.as_str(),
            sarah.phone.as_deref()
        ),
        ("Sarah", "Cohen", Some("+447911123456"))
    );

    let mut bom = b"\xEF\xBB\xBFemail,first name\n".to_vec();
    bom.extend_from_slice("tamar@example.org,תמר\n".as_bytes());
    let r = upload(&owner, &app, "bom.csv", bom).await;
    let (_, html) = owner.get_text(&location(&r)).await;
    assert!(html.contains("utf-8-bom") && html.contains("תמר"));

    // No email or phone column chosen: explained.
    let import = location(&r).rsplit('/').next().unwrap().to_string();
    let r = owner
        .post_form(
            &format!("/orgs/yad/imports/{import}/start"),
            &[("col1", "first_name")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("צריך לבחור עמודת דוא״ל או טלפון")
    );
    // Too large, binary, empty: a clear message each, never a crash.
    let r = upload(&owner, &app, "big.csv", vec![b'a'; 200_000]).await;
    assert!(
        r.status() == StatusCode::PAYLOAD_TOO_LARGE
            || r.status() == StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.status()
    );
    assert!(r.text().await.unwrap().contains("גדול מדי"));
    let r = upload(&owner, &app, "x.bin", vec![0, 1, 2, 3, 0, 0]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("זה לא קובץ טקסט או Excel"));
    let r = upload(&owner, &app, "empty.csv", Vec::new()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.stop().await;
}

#[tokio::test]
async fn an_import_continues_after_the_server_dies_without_gaps_or_duplicates() {
    let t = TestDb::new(Backend::Sqlite).await;
    let db = t.connect().await;
    let rows = 40_000;
    let imp = started_import(&db, rows).await;
    let serve = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"))
            .arg("serve")
            .env("KEHILLA_DATABASE_URL", &t.url)
            .env("KEHILLA_LISTEN", "127.0.0.1:0")
            .env("KEHILLA_JOB_LEASE_SECS", "2")
            .env("KEHILLA_LOG_LEVEL", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let progress = || async { kehilla_db::imports::by_id(&db.pool, imp.id).await.unwrap() };
    let mut a = serve();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let p = progress().await;
        if p.processed_rows > 0 {
            assert!(
                p.processed_rows < rows,
                "the import ended before the crash; make the file larger"
            );
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the import never started"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    a.kill().unwrap();
    a.wait().unwrap();
    let at_crash = progress().await.processed_rows;
    let mut b = serve();
    loop {
        if progress().await.status == "done" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the import did not finish after the restart"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _ = (b.kill(), b.wait());
    let pool = db.pool.clone();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            let (n,): (i64,) = kehilla_db::sqlx::query_as(sql)
                .fetch_one(&pool)
                .await
                .unwrap();
            n
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM people").await,
        rows,
        "no gap (crashed at row {at_crash})"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM consents").await,
        rows,
        "no consent recorded twice"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM person_events").await,
        rows,
        "no event recorded twice"
    );
    let done = progress().await;
    assert_eq!(
        (done.processed_rows, done.created_count, done.error_count),
        (rows, rows, 0)
    );
    db.close().await;
}

// ---- Privacy ----

#[tokio::test]
async fn export_and_erasure_are_audited_and_an_erased_refusal_blocks_reimport() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let id = add_person(
            &owner,
            "yad",
            &[
                ("first_name", "רות"),
                ("email", "ruth@example.org"),
                ("phone", "054-987-6543"),
            ],
        )
        .await;
        let r = owner.get(&format!("/orgs/yad/people/{id}/export")).await;
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["person"]["email"], "ruth@example.org");
        let editor = app
            .invite_and_join(&owner, "yad", "editor", "e@example.org")
            .await;
        assert_eq!(
            editor
                .post_form(&format!("/orgs/yad/people/{id}/erase"), &[])
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        let r = owner
            .post_form(&format!("/orgs/yad/people/{id}/erase"), &[])
            .await;
        assert_eq!(location(&r), "/orgs/yad/people?done=person-erased");
        assert!(
            kehilla_db::people::by_email(&app.db.pool, 1, "ruth@example.org")
                .await
                .unwrap()
                .is_none()
        );
        let (n,): (i64,) = kehilla_db::sqlx::query_as(
            "SELECT COUNT(*) FROM consents WHERE person_id IS NULL AND subject_hash IS NOT NULL",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(n > 0, "the refusal stays as evidence");
        let actions: Vec<(String,)> = kehilla_db::sqlx::query_as("SELECT action FROM audit_log")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        assert!(
            actions.iter().any(|a| a.0 == "export") && actions.iter().any(|a| a.0 == "erasure")
        );
        // Importing the address again does not bring the person back.
        let r = upload(
            &owner,
            &app,
            "again.csv",
            b"email,phone\nruth@example.org,\n,0549876543\n".to_vec(),
        )
        .await;
        let import = location(&r).rsplit('/').next().unwrap().to_string();
        owner
            .post_form(
                &format!("/orgs/yad/imports/{import}/start"),
                &[("col0", "email"), ("col1", "phone")],
            )
            .await;
        app.run_pending_jobs().await;
        assert!(
            kehilla_db::people::by_email(&app.db.pool, 1, "ruth@example.org")
                .await
                .unwrap()
                .is_none()
        );
        let imp = kehilla_db::imports::get(&app.db.pool, 1, &import)
            .await
            .unwrap();
        let problems = kehilla_db::imports::problems(&app.db.pool, imp.id, 10)
            .await
            .unwrap();
        assert_eq!(
            problems
                .iter()
                .filter(|p| p.reason == "erased-refused")
                .count(),
            2,
            "by email and by phone: {problems:?}"
        );
        assert_eq!(kehilla_db::people::count(&app.db.pool, 1).await.unwrap(), 0);
        app.stop().await;
    }
}

// ---- API ----

#[tokio::test]
async fn people_lists_segments_and_consent_over_the_api() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let token = owner.create_token("yad", "write").await;
    let c = reqwest::Client::new();
    let api = |m: reqwest::Method, p: &str| {
        c.request(m, app.url(&format!("/api/v1/orgs/yad{p}")))
            .bearer_auth(&token)
    };
    let r = api(reqwest::Method::POST, "/people").json(&serde_json::json!({"first_name": "מאיה", "email": "maya@example.org", "phone": "03-6123456", "roles": ["volunteer"]})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["phone"], "+97236123456");
    let id = p["id"].as_str().unwrap().to_string();
    let r = api(reqwest::Method::POST, "/people")
        .json(&serde_json::json!({"email": "bad"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json::<Value>().await.unwrap()["field"], "email");
    let found: Vec<Value> = api(
        reqwest::Method::GET,
        &format!("/people?q={}", crate::support::urlenc("מאי")),
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(found.len(), 1);
    let r = api(reqwest::Method::POST, &format!("/people/{id}/consents")).json(&serde_json::json!({"channel": "sms", "purpose": "event_reminders", "given": true, "wording": "טלפונית"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let consents: Value = api(reqwest::Method::GET, &format!("/people/{id}/consents"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(consents["current"][0]["wording"], "טלפונית");
    let l: Value = api(reqwest::Method::POST, "/lists")
        .json(&serde_json::json!({"name": "צוות"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = l["id"].as_str().unwrap();
    assert_eq!(
        api(reqwest::Method::POST, &format!("/lists/{list}/members"))
            .json(&serde_json::json!({"person": id}))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    let s: Value = api(reqwest::Method::POST, "/segments")
        .json(&serde_json::json!({"name": "SMS", "filter": {"op": "all", "of": [{"op": "in_list", "list": list}, {"op": "reachable", "channel": "sms", "purpose": "event_reminders"}]}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let n: Value = api(
        reqwest::Method::GET,
        &format!("/segments/{}/count", s["id"].as_str().unwrap()),
    )
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(n["count"], 1);
    let bad = api(reqwest::Method::POST, "/segments").json(&serde_json::json!({"name": "x", "filter": {"op": "consent", "channel": "fax", "purpose": "newsletter", "state": "given"}})).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::CONFLICT);
    assert_eq!(
        bad.json::<Value>().await.unwrap()["code"],
        "segment-unknown-channel"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_signup_with_a_phone_someone_else_has_keeps_it_with_them() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        add_person(
            &owner,
            "yad",
            &[
                ("first_name", "א"),
                ("email", "first@example.org"),
                ("phone", "054-222-3333"),
            ],
        )
        .await;
        let second = add_person(
            &owner,
            "yad",
            &[("first_name", "ב"), ("email", "second@example.org")],
        )
        .await;
        let r = owner
            .post_form(
                "/orgs/yad/forms",
                &[
                    ("kind", "volunteer"),
                    ("title", "מתנדבים"),
                    ("lang", "he"),
                    ("ask_phone", "1"),
                    ("k0_channel", "email"),
                    ("k0_purpose", "newsletter"),
                    ("k0_wording", "כן"),
                ],
            )
            .await;
        let form = location(&r)
            .split('/')
            .nth(4)
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let c = reqwest::Client::new();
        let r = c
            .post(app.url(&format!("/f/{form}")))
            .form(&[
                ("email", "second@example.org"),
                ("phone", "0542223333"),
                ("consent", "0"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::OK,
            "{backend:?}: {}",
            r.text().await.unwrap_or_default()
        );
        let p = kehilla_db::people::get(&app.db.pool, 1, &second)
            .await
            .unwrap();
        assert_eq!(
            p.phone, None,
            "{backend:?}: the phone stays with the first person"
        );
        let v = kehilla_app::people::person::view(&app.db, 1, &second)
            .await
            .unwrap();
        assert!(v.roles.contains(&"volunteer".to_string()));
        assert_eq!(v.consents.len(), 1);
        app.stop().await;
    }
}

#[tokio::test]
async fn two_runs_of_one_import_at_once_write_each_row_once() {
    // A job whose lease ran out while it still worked (the database busy) is taken by another
    // worker: both runs then go through the same rows, and only one may write each batch.
    let t = TestDb::new(Backend::Sqlite).await;
    let db = t.connect().await;
    let rows = 9_000;
    let imp = started_import(&db, rows).await;
    let job = kehilla_db::jobs::claim(&db, "w1", kehilla_db::now_ms(), 60_000)
        .await
        .unwrap()
        .unwrap();
    let settings = kehilla_app::Settings::default();
    let mailer = kehilla::mailer(&settings).unwrap();
    let ctx = kehilla::job_context(&db, &settings, &mailer, "w1".into());
    use kehilla_app::jobs::JobHandler;
    let h = kehilla_app::people::import::ImportJob;
    let (a, b) = tokio::join!(h.run(&ctx, &job), h.run(&ctx, &job));
    assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
    let (people,): (i64,) = kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM people")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (consents,): (i64,) = kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM consents")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!((people, consents), (rows, rows));
    let done = kehilla_db::imports::by_id(&db.pool, imp.id).await.unwrap();
    assert_eq!((done.status.as_str(), done.processed_rows), ("done", rows));
}

/// An organization with its owner and an import of `rows` people (email and first name, with
/// an email consent basis), started: its job is waiting in the queue.
async fn started_import(db: &kehilla_db::Db, rows: i64) -> kehilla_db::imports::Import {
    let org = kehilla_db::orgs::create(&db.pool, "yad", "Yad")
        .await
        .unwrap();
    let user = kehilla_db::users::create(&db.pool, "o@example.org", "O", "h", "he")
        .await
        .unwrap();
    kehilla_db::orgs::add_member(&db.pool, org.id, user.id, "owner")
        .await
        .unwrap();
    let by = kehilla_app::members::OrgMember {
        user,
        org: org.clone(),
        role: kehilla_domain::Role::Owner,
    };
    let mut csv = String::from("email,first name\n");
    for i in 0..rows {
        csv.push_str(&format!("p{i}@example.org,אדם{i}\n"));
    }
    let imp = kehilla_app::people::import::upload(db, &by, "big.csv", csv.as_bytes())
        .await
        .unwrap();
    let mapping = [
        Some(kehilla_domain::people::Column::Email),
        Some(kehilla_domain::people::Column::FirstName),
    ];
    let basis = kehilla_app::people::import::Basis {
        channel: "email".into(),
        purpose: "newsletter".into(),
        basis: "test".into(),
    };
    kehilla_app::people::import::start(
        db,
        &by,
        &imp.public_id,
        &mapping,
        Some(basis),
        None,
        &Default::default(),
    )
    .await
    .unwrap();
    imp
}
