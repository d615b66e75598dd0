//! Operations: health checks, start-up errors in one clear line, migrate, backup and restore,
//! the demo.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{TestApp, temp_dir};

fn kehilla() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kehilla"));
    c.env_remove("KEHILLA_DATABASE_URL")
        .env("KEHILLA_LOG_LEVEL", "error");
    c
}

/// Runs the binary and returns (success, stdout, stderr).
fn run(c: &mut Command) -> (bool, String, String) {
    let out = c.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn health_and_readiness() {
    for backend in crate::support::backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let r = reqwest::get(app.url("/healthz")).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let r = reqwest::get(app.url("/readyz")).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            v["database"],
            if backend == crate::support::Backend::Sqlite {
                "sqlite"
            } else {
                "postgres"
            }
        );
        // A database that lost its migrations is not ready.
        kehilla_db::sqlx::query("DELETE FROM _sqlx_migrations")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let r = reqwest::get(app.url("/readyz")).await.unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        app.stop().await;
    }
}

#[test]
fn start_up_problems_are_one_clear_line() {
    let dir = temp_dir();
    // Malformed database URL.
    let (ok, _, err) = run(kehilla().args(["migrate", "--database-url", "mysql://x"]));
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("not valid") && err.contains("--database-url"),
        "{err}"
    );
    // Unreachable database, with its password hidden.
    let (ok, _, err) = run(kehilla().args([
        "migrate",
        "--database-url",
        "postgres://u:hunter2@127.0.0.1:1/db",
    ]));
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cannot open the database") && !err.contains("hunter2"),
        "{err}"
    );
    // A data directory that cannot be written (a file stands where the folder should be).
    let file = dir.join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let (ok, _, err) = run(kehilla()
        .arg("migrate")
        .arg("--data-dir")
        .arg(file.join("sub")));
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot write to the data directory"), "{err}");
    // A port in use.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (ok, _, err) = run(kehilla()
        .args(["serve", "--listen", &addr])
        .arg("--data-dir")
        .arg(dir.join("data")));
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("already in use") && err.contains("--listen"),
        "{err}"
    );
    // A settings file with a typo.
    let cfg = dir.join("kehilla.toml");
    std::fs::write(&cfg, "lisen = \"127.0.0.1:1\"\n").unwrap();
    let (ok, _, err) = run(kehilla().arg("migrate").arg("--config").arg(&cfg));
    assert!(!ok);
    assert!(
        err.contains("unknown field") && err.lines().count() == 1,
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_help_describes_every_setting() {
    let (ok, out, _) = run(kehilla().args(["serve", "--help"]));
    assert!(ok);
    for flag in [
        "--config",
        "--listen",
        "--database-url",
        "--data-dir",
        "--base-url",
        "--log-format",
        "--log-level",
        "--smtp-url",
        "--mail-from",
        "--session-days",
        "--max-body-bytes",
        "--db-max-connections",
        "--job-workers",
        "--job-lease-secs",
        "--login-attempts",
        "--login-window-secs",
        "--shutdown-grace-secs",
        "--trust-proxy",
        "--demo",
    ] {
        assert!(out.contains(flag), "{flag} missing from serve --help");
    }
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/configuration.md"
    ))
    .unwrap_or_default();
    for key in [
        "listen",
        "database_url",
        "data_dir",
        "base_url",
        "log_format",
        "smtp_url",
        "job_workers",
        "job_lease_secs",
        "shutdown_grace_secs",
    ] {
        assert!(
            doc.contains(key),
            "{key} missing from docs/configuration.md"
        );
    }
}

#[test]
fn demo_backup_and_restore_on_sqlite() {
    let dir = temp_dir();
    let data = dir.join("data");
    let (ok, out, err) = run(kehilla().arg("demo").arg("--data-dir").arg(&data));
    assert!(ok, "{err}");
    assert!(
        out.contains("dana@yad-beyad.example") && out.contains("kehilla-demo-2026"),
        "{out}"
    );
    let (ok, out, _) = run(kehilla().arg("demo").arg("--data-dir").arg(&data));
    assert!(ok && out.contains("already loaded"));

    let backup = dir.join("backup.sqlite3");
    let (ok, out, err) = run(kehilla()
        .arg("backup")
        .arg(&backup)
        .arg("--data-dir")
        .arg(&data));
    assert!(ok, "{err}");
    assert!(out.contains("backup written"));
    let (ok, _, err) = run(kehilla()
        .arg("backup")
        .arg(&backup)
        .arg("--data-dir")
        .arg(&data));
    assert!(
        !ok && err.contains("--force"),
        "an existing backup is not overwritten silently"
    );

    // Restore refuses to overwrite a database with data, then does with --force.
    let (ok, _, err) = run(kehilla()
        .arg("restore")
        .arg(&backup)
        .arg("--data-dir")
        .arg(&data));
    assert!(!ok && err.contains("--force"), "{err}");
    let (ok, _, err) = run(kehilla()
        .arg("restore")
        .arg(&backup)
        .arg("--data-dir")
        .arg(&data)
        .arg("--force"));
    assert!(ok, "{err}");
    // Into an empty place: no --force needed; the data is there.
    let fresh = dir.join("fresh");
    let (ok, _, err) = run(kehilla()
        .arg("restore")
        .arg(&backup)
        .arg("--data-dir")
        .arg(&fresh));
    assert!(ok, "{err}");
    let (ok, out, _) = run(kehilla().arg("demo").arg("--data-dir").arg(&fresh));
    assert!(
        ok && out.contains("already loaded"),
        "the restored copy holds the demo"
    );
    // Not a backup at all.
    let junk = dir.join("junk");
    std::fs::write(&junk, "hello").unwrap();
    let (ok, _, err) = run(kehilla()
        .arg("restore")
        .arg(&junk)
        .arg("--data-dir")
        .arg(dir.join("x")));
    assert!(!ok && err.lines().count() == 1, "{err}");
    // PostgreSQL has its own route.
    let (ok, _, err) = run(kehilla()
        .arg("backup")
        .arg(dir.join("pg"))
        .args(["--database-url", "postgres://127.0.0.1:1/x"]));
    assert!(!ok && err.contains("pg_dump"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn demo_has_a_member_in_every_role_and_more_organizations() {
    for backend in crate::support::backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        assert!(kehilla_app::demo::load(&app.db).await.unwrap());
        assert!(
            !kehilla_app::demo::load(&app.db).await.unwrap(),
            "loading twice changes nothing"
        );
        let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad-beyad")
            .await
            .unwrap()
            .unwrap();
        let members = kehilla_db::orgs::members(&app.db.pool, org.id)
            .await
            .unwrap();
        for role in ["owner", "admin", "editor", "contributor", "viewer"] {
            assert!(members.iter().any(|m| m.role == role), "{role}");
        }
        let b = app.browser();
        b.log_in("agency@hasbara-pr.example", kehilla_app::demo::PASSWORD)
            .await;
        let (_, html) = b.get_text("/orgs").await;
        for slug in ["yad-beyad", "keren-or", "green-haifa", "shvil-naki"] {
            assert!(html.contains(&format!("/orgs/{slug}")), "{slug}");
        }
        app.stop().await;
    }
}

#[test]
fn import_and_count_from_the_command_line() {
    let dir = temp_dir();
    let data = dir.join("data");
    assert!(run(kehilla().arg("demo").arg("--data-dir").arg(&data)).0);
    let file = dir.join("people.csv");
    std::fs::write(&file, "שם פרטי,אימייל,תפקיד\nנועה,noa@example.org,donor\nדן,dan@example.org,volunteer\nרע,not-an-email,donor\n").unwrap();
    let (ok, out, err) = run(kehilla()
        .arg("import")
        .arg(&file)
        .args([
            "--org",
            "keren-or",
            "--consent-channel",
            "email",
            "--consent-purpose",
            "newsletter",
            "--consent-basis",
            "יריד",
        ])
        .arg("--data-dir")
        .arg(&data));
    assert!(ok, "{err}");
    assert!(
        out.contains("3 rows, 2 added, 0 updated, 1 not imported"),
        "{out}"
    );
    let filter = r#"{"op":"all","of":[{"op":"role","value":"donor"},{"op":"consent","channel":"email","purpose":"newsletter","state":"given"}]}"#;
    let (ok, out, err) = run(kehilla()
        .args(["count", "--org", "keren-or", filter])
        .arg("--data-dir")
        .arg(&data));
    assert!(ok, "{err}");
    assert!(out.starts_with("1 person ("), "{out}");
    let (ok, _, err) = run(kehilla()
        .args(["count", "--org", "nope", filter])
        .arg("--data-dir")
        .arg(&data));
    assert!(!ok && err.contains("no organization"), "{err}");
    let (ok, _, err) = run(kehilla()
        .args(["count", "--org", "keren-or", "{bad"])
        .arg("--data-dir")
        .arg(&data));
    assert!(!ok && err.contains("not valid"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_demo_publishes_to_its_built_in_network_with_links_and_figures() {
    for backend in crate::support::backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        assert!(kehilla_app::demo::load(&app.db).await.unwrap());
        // Published demo posts have their address on the demo network and their figures.
        let rows: Vec<(String, String, String)> = kehilla_db::sqlx::query_as(
            "SELECT p.remote_url, p.metrics, ch.network FROM publications p JOIN channels ch ON ch.id = p.channel_id \
             WHERE p.state = 'published' ORDER BY p.id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert!(rows.len() >= 5, "{}", rows.len());
        let (url, metrics, network) = rows[0].clone();
        assert!(
            url.starts_with(&format!("/-/demo/{network}/demo-")),
            "{url}"
        );
        assert_ne!(metrics, "{}");
        // Anyone with the address sees it as the network would, marked as a demo.
        let b = app.browser();
        let (status, html) = b.get_text(&url).await;
        assert_eq!(status, reqwest::StatusCode::OK);
        assert!(html.contains("id=\"demo-note\"") && html.contains("רשת ההדגמה"));
        assert!(html.contains("id=\"demo-figures\""));
        let (status, _) = b
            .get_text(&format!("/-/demo/{network}/demo-0000000000000000"))
            .await;
        assert_eq!(status, reqwest::StatusCode::NOT_FOUND);

        // A scheduled demo post that comes due goes out through the demo network.
        let (post,): (i64,) = kehilla_db::sqlx::query_as(
            "SELECT id FROM posts WHERE status = 'scheduled' ORDER BY scheduled_at LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        kehilla_db::sqlx::query("UPDATE posts SET scheduled_at = 1000 WHERE id = $1")
            .bind(post)
            .execute(&app.db.pool)
            .await
            .unwrap();
        kehilla_app::publishing::dispatch_due(&app.db, kehilla_db::now_ms())
            .await
            .unwrap();
        app.run_pending_jobs().await;
        let (status,): (String,) =
            kehilla_db::sqlx::query_as("SELECT status FROM posts WHERE id = $1")
                .bind(post)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(status, "published");

        // Its figures are read an hour later.
        kehilla_db::sqlx::query(
            "UPDATE publications SET published_at = published_at - 7200000 WHERE post_id = $1",
        )
        .bind(post)
        .execute(&app.db.pool)
        .await
        .unwrap();
        assert!(
            kehilla_app::publishing::figures::enqueue_due(&app.db, kehilla_db::now_ms())
                .await
                .unwrap()
                >= 1
        );
        app.run_pending_jobs().await;
        let (metrics,): (String,) =
            kehilla_db::sqlx::query_as("SELECT MIN(metrics) FROM publications WHERE post_id = $1")
                .bind(post)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_ne!(metrics, "{}");

        // The owner sees the channels' health: LinkedIn's token expires soon.
        b.log_in("dana@yad-beyad.example", kehilla_app::demo::PASSWORD)
            .await;
        let (_, health) = b.get_text("/orgs/yad-beyad/studio/channels/health").await;
        assert!(health.contains("data-state=\"expiring\""), "{health}");
        assert!(health.contains("data-state=\"ok\""));
        app.stop().await;
    }
}

/// SQLite's memory is bounded by `sqlite_memory_mib` (its `soft_heap_limit`, which holds for
/// every connection of the process), so a long-running server levels off.
#[tokio::test]
async fn sqlite_memory_is_bounded_by_the_setting() {
    let dir = temp_dir();
    let settings = kehilla_app::Settings {
        database_url: Some(kehilla_app::settings::Secret(format!(
            "sqlite://{}/bounded.sqlite3?mode=rwc",
            dir.display()
        ))),
        ..Default::default()
    };
    assert_eq!(settings.sqlite_memory_mib, 16, "the documented default");
    let db = kehilla::open_and_migrate(&settings).await.unwrap();
    // Read back on every connection the pool holds, not only the one that set it.
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = db.pool.acquire().await.unwrap();
        let (limit,): (i64,) = kehilla_db::sqlx::query_as("PRAGMA soft_heap_limit")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(limit, 16 * 1024 * 1024);
        held.push(conn);
    }
}

/// glibc gives every thread that allocates its own malloc arena by default, and every SQLite
/// connection has its own thread, so each connection kept its own high-water mark of memory.
/// `serve` has all its threads share two arenas (the main one and one more), unless the
/// operator tuned glibc themselves.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[tokio::test]
async fn serve_shares_two_malloc_arenas_among_its_threads() {
    /// Starts `serve`, keeps its pool busy, and counts the malloc arenas besides the main
    /// one: glibc maps each as a heap aligned to 64 MiB.
    async fn arenas(operator_env: Option<(&str, &str)>) -> usize {
        let dir = temp_dir();
        let port = crate::support::free_port();
        let mut c = kehilla();
        c.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(dir.join("data"))
            .env_remove("GLIBC_TUNABLES")
            .env_remove("MALLOC_ARENA_MAX")
            .env_remove("MALLOC_MMAP_THRESHOLD_")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if let Some((k, v)) = operator_env {
            c.env(k, v);
        }
        let mut child = c.spawn().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let mut tries = 0;
        while client.get(format!("{base}/healthz")).send().await.is_err() {
            tries += 1;
            assert!(tries < 600, "serve did not start");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        // Readiness reads the database: forty at once open most of the pool's connections,
        // each on its own thread.
        let mut all = Vec::new();
        for _ in 0..40 {
            let (client, url) = (client.clone(), format!("{base}/readyz"));
            all.push(tokio::spawn(async move { client.get(url).send().await }));
        }
        for one in all {
            assert_eq!(one.await.unwrap().unwrap().status(), StatusCode::OK);
        }
        let maps = std::fs::read_to_string(format!("/proc/{}/maps", child.id())).unwrap();
        let _ = child.kill();
        let _ = child.wait();
        let _ = std::fs::remove_dir_all(dir);
        maps.lines()
            .filter(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                let start = f
                    .first()
                    .and_then(|r| r.split('-').next())
                    .and_then(|s| u64::from_str_radix(s, 16).ok());
                f.len() == 5
                    && f.get(1) == Some(&"rw-p")
                    && start.is_some_and(|s| s % (64 << 20) == 0)
            })
            .count()
    }
    assert_eq!(arenas(None).await, 1, "one arena besides the main one");
    // glibc's own setting wins; with it, threads take arenas of their own again.
    assert!(arenas(Some(("MALLOC_ARENA_MAX", "16"))).await > 1);
}

/// `serve` has glibc give the memory it holds free back to the system, from its start and
/// then once a minute, and logs how much each time: after loading the demo there is plenty.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn serve_gives_freed_memory_back_to_the_system() {
    use std::io::BufRead;
    let dir = temp_dir();
    let port = crate::support::free_port();
    let mut child = kehilla()
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--log-level", "kehilla=debug,error"])
        .arg("--data-dir")
        .arg(dir.join("data"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let kib = line
                .split("memory: gave back ")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse::<u64>().ok());
            if let Some(kib) = kib {
                let _ = tx.send(kib);
                return;
            }
        }
    });
    let given = rx.recv_timeout(std::time::Duration::from_secs(300));
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(dir);
    let kib = given.expect("serve logs the memory it gave back");
    assert!(kib > 0, "loading the demo leaves freed memory to give back");
}
