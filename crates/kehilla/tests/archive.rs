//! The organization's archive: `kehilla export` writes it, `kehilla import` restores it into
//! another instance, and a second export from there has every row and file of the first.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{Backend, TestApp, backends};

fn kb_same(a: &[String], b: &[String]) -> bool {
    a.iter().any(|k| b.contains(k))
}

fn read_zip(path: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        out.insert(name, bytes);
    }
    out
}

#[tokio::test]
async fn an_exported_organization_comes_back_whole_in_another_instance() {
    // From SQLite to each backend (PostgreSQL when CI sets it).
    let a = TestApp::spawn().await;
    assert!(kehilla_app::demo::load(&a.db).await.unwrap());
    // The demo with a picture on a published post, an RSVP with a shift, a pledge and comments
    // (the demo has them), and a fediverse follower.
    let dana = a.browser();
    dana.log_in("dana@yad-beyad.example", kehilla_app::demo::PASSWORD)
        .await;
    let token = dana.create_token("yad-beyad", "write").await;
    let photo = kehilla_media::sample::photo_with_location(300, 200);
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(photo).file_name("p.jpg"),
        )
        .text("alt_text", "אריזה");
    let m: Value = reqwest::Client::new()
        .post(a.url("/api/v1/orgs/yad-beyad/media"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(m["id"].is_string());
    let org = kehilla_db::orgs::by_slug(&a.db.pool, "yad-beyad")
        .await
        .unwrap()
        .unwrap();
    kehilla_db::activitypub::add_follower(
        &a.db.pool,
        org.id,
        "https://m.example/users/x",
        "https://m.example/users/x/inbox",
        "https://m.example/inbox",
    )
    .await
    .unwrap();

    let dir = crate::support::temp_dir();
    let first = dir.join("yad-beyad.zip");
    // The command, as an operator runs it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"))
        .args(["export", "--org", "yad-beyad"])
        .arg(&first)
        .env("KEHILLA_DATABASE_URL", a.testdb.url.clone())
        .env("KEHILLA_DATA_DIR", &a.settings.data_dir)
        .env("KEHILLA_BASE_URL", &a.base)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let one = read_zip(&first);
    assert!(one.contains_key("kehilla-archive.json"));
    assert!(
        one.keys().any(|k| k.starts_with("media/")),
        "the picture's files"
    );
    let index = String::from_utf8(one["site/index.html"].clone()).unwrap();
    assert!(index.contains("300 סלי מזון לחג") && index.contains("href=\"p/"));
    assert!(one.keys().any(|k| k.starts_with("site/p/")));
    let data_a: Value = serde_json::from_slice(&one["kehilla-archive.json"]).unwrap();
    for table in [
        "people",
        "consents",
        "posts",
        "campaign_recipients",
        "rsvps",
        "comments",
        "ap_followers",
        "media_files",
    ] {
        assert!(
            !data_a["tables"][table].as_array().unwrap().is_empty(),
            "{table} is in the archive"
        );
    }
    // No secrets travel.
    let text = String::from_utf8_lossy(&one["kehilla-archive.json"]).to_string();
    assert!(!text.contains("BEGIN PRIVATE KEY"));

    for backend in backends() {
        let b = TestApp::spawn_on(backend, |_| {}).await;
        let storage = kehilla_app::studio::media::Storage::from_settings(&b.settings);
        let (slug, rows) = kehilla_app::home::archive::import(&b.db, &storage, &first, None)
            .await
            .unwrap();
        assert_eq!(slug, "yad-beyad");
        assert!(rows > 3000, "{rows}");
        // Importing it twice: the short name is taken — a clear refusal, nothing half done.
        let again = kehilla_app::home::archive::import(&b.db, &storage, &first, None).await;
        assert!(matches!(
            again,
            Err(kehilla_app::AppError::Conflict("slug-taken"))
        ));
        // The second export has every row and file of the first.
        let second = dir.join(format!("again-{backend:?}.zip"));
        let storage_b = kehilla_app::studio::media::Storage::from_settings(&b.settings);
        kehilla_app::home::archive::export(&b.db, &storage_b, &a.base, "yad-beyad", &second)
            .await
            .unwrap();
        let two = read_zip(&second);
        let data_b: Value = serde_json::from_slice(&two["kehilla-archive.json"]).unwrap();
        let na = kehilla_app::home::archive::normalized(&data_a);
        let nb = kehilla_app::home::archive::normalized(&data_b);
        for (table, rows) in &na {
            assert_eq!(
                rows.len(),
                nb[table].len(),
                "{backend:?} {table}: row count"
            );
            for (i, (x, y)) in rows.iter().zip(&nb[table]).enumerate() {
                assert_eq!(x, y, "{backend:?} {table} row {i}");
            }
        }
        // Every file, row by row (each instance keeps them under its own keys).
        let files_of = |data: &Value| -> Vec<String> {
            data["tables"]["media_files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| format!("media/{}", f["storage_key"].as_str().unwrap()))
                .collect()
        };
        let (fa, fb) = (files_of(&data_a), files_of(&data_b));
        assert_eq!(fa.len(), fb.len());
        for (ka, kb) in fa.iter().zip(&fb) {
            assert_eq!(one.get(ka), two.get(kb), "{ka} / {kb}");
            assert!(one.contains_key(ka));
        }
        assert!(!kb_same(&fa, &fb), "new keys in the new instance");
        assert_eq!(one["site/index.html"], two["site/index.html"]);
        // The site answers in the new instance.
        let (s, home) = b.browser().get_text("/o/yad-beyad").await;
        assert_eq!(s, reqwest::StatusCode::OK);
        assert!(home.contains("300 סלי מזון לחג"));
        b.stop().await;
    }
    // A crafted archive: a column this instance does not have is refused before anything is
    // written (names from the file never reach SQL unchecked).
    let mut data: Value = data_a.clone();
    data["organization"]["description = (SELECT email FROM users), website"] = Value::from("x");
    data["organization"]["slug"] = Value::from("crafted");
    let crafted = dir.join("crafted.zip");
    {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::fs::File::create(&crafted).unwrap());
        z.start_file(
            "kehilla-archive.json",
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored),
        )
        .unwrap();
        z.write_all(&serde_json::to_vec(&data).unwrap()).unwrap();
        z.finish().unwrap();
    }
    let c0 = TestApp::spawn_on(Backend::Sqlite, |_| {}).await;
    let storage = kehilla_app::studio::media::Storage::from_settings(&c0.settings);
    let r = kehilla_app::home::archive::import(&c0.db, &storage, &crafted, None).await;
    assert!(
        matches!(r, Err(kehilla_app::AppError::Conflict("archive-invalid"))),
        "{r:?}"
    );
    assert!(
        kehilla_db::orgs::by_slug(&c0.db.pool, "crafted")
            .await
            .unwrap()
            .is_none(),
        "nothing written"
    );
    c0.stop().await;
    // Not an archive: a clear refusal.
    let junk = dir.join("junk.zip");
    std::fs::write(&junk, b"not a zip").unwrap();
    let c = TestApp::spawn_on(Backend::Sqlite, |_| {}).await;
    let storage = kehilla_app::studio::media::Storage::from_settings(&c.settings);
    let r = kehilla_app::home::archive::import(&c.db, &storage, &junk, None).await;
    assert!(matches!(
        r,
        Err(kehilla_app::AppError::Conflict("archive-invalid"))
    ));
    c.stop().await;
    a.stop().await;
}

/// Every table is either carried by the archive or left behind on purpose, and every column
/// that names another row is renumbered.
#[tokio::test]
async fn the_archive_knows_every_table_and_reference() {
    let app = TestApp::spawn().await;
    let tables: Vec<(String,)> = kehilla_db::sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx%'",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let carried: Vec<&str> = kehilla_app::home::archive::TABLES
        .iter()
        .map(|t| t.name)
        .collect();
    let behind: Vec<&str> = kehilla_app::home::archive::LEFT_BEHIND
        .iter()
        .map(|t| t.0)
        .collect();
    let instance = [
        "organizations",
        "users",
        "sessions",
        "password_resets",
        "recovery_codes",
        "login_challenges",
        "instance_secrets",
        "job_probes",
        "link_cards",
        "oauth_apps",
        "app_limits",
        "ap_actors",
        "ap_seen",
        "ap_servers",
    ];
    for (t,) in &tables {
        assert!(
            carried.contains(&t.as_str())
                || behind.contains(&t.as_str())
                || instance.contains(&t.as_str()),
            "{t}: neither carried nor left behind"
        );
        if let Some(spec) = kehilla_app::home::archive::TABLES
            .iter()
            .find(|x| x.name == t)
        {
            let fks: Vec<(String,)> = kehilla_db::sqlx::query_as(kehilla_db::sqlx::AssertSqlSafe(
                format!("SELECT \"from\" FROM pragma_foreign_key_list('{t}')"),
            ))
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
            for (col,) in fks {
                assert!(
                    col == "organization_id" || spec.refs.iter().any(|(c, _)| *c == col),
                    "{t}.{col} names another row but is not renumbered"
                );
            }
        }
    }
    app.stop().await;
}
