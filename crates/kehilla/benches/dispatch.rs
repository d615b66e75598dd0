//! The dispatch benchmark of docs/benchmarks.md: N posts × 3 channels due in the same minute
//! across M organizations, published by `kehilla serve` processes to a local server that answers
//! as Mastodon does (statuses with `Idempotency-Key`). Reports how late each post was handed to
//! publishing and published (p50, p99, max) and the total time, and checks that every
//! publication went out exactly once.
//!
//! `cargo bench -p kehilla --bench dispatch -- [sqlite|postgres] [posts] [orgs] [processes]
//! [workers per process]`; PostgreSQL uses `BENCH_PG_ADMIN` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) to make and drop a scratch database.
//! `cargo test` builds it but does not run it.

// A benchmark may stop at the first surprise: it reports, it does not serve.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::post;
use kehilla_db::publishing::NewConnection;
use kehilla_db::studio::{ChannelData, PostData};
use kehilla_db::{Db, now_ms};

#[derive(Default)]
struct Network {
    /// Idempotency-Key → status id.
    keys: HashMap<String, u64>,
    statuses: u64,
    repeats: u64,
}

async fn fake() -> (String, Arc<Mutex<Network>>) {
    let state: Arc<Mutex<Network>> = Arc::default();
    let s = state.clone();
    let app = Router::new().route(
        "/api/v1/statuses",
        post(move |h: HeaderMap| {
            let s = s.clone();
            async move {
                let key = h
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let mut n = s.lock().unwrap();
                let id = match n.keys.get(&key).copied() {
                    Some(id) => {
                        n.repeats += 1;
                        id
                    }
                    None => {
                        n.statuses += 1;
                        let id = n.statuses;
                        n.keys.insert(key, id);
                        id
                    }
                };
                axum::Json(serde_json::json!({"id": id.to_string(), "url": format!("https://bench.example/@a/{id}")}))
                    .into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut ms: Vec<i64>) {
    ms.sort_unstable();
    println!(
        "{name}: p50 {:.2} s, p99 {:.2} s, max {:.2} s ({} samples)",
        percentile(&ms, 0.5) as f64 / 1000.0,
        percentile(&ms, 0.99) as f64 / 1000.0,
        ms.last().copied().unwrap_or(0) as f64 / 1000.0,
        ms.len()
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("dispatch benchmark: run it with `cargo bench -p kehilla --bench dispatch`");
        return;
    }
    let rest: Vec<&String> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let arg = |i: usize, default: &str| {
        rest.get(i)
            .map(|s| s.to_string())
            .unwrap_or_else(|| default.to_string())
    };
    let backend = arg(0, "sqlite");
    let posts: usize = arg(1, "10000").parse().unwrap();
    let orgs: usize = arg(2, "1000").parse().unwrap();
    let processes: usize = arg(3, "1").parse().unwrap();
    let workers: usize = arg(4, "16").parse().unwrap();
    let work = std::env::temp_dir().join(format!("kehilla-bench-dispatch-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let pg_admin = std::env::var("BENCH_PG_ADMIN")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let url = if backend == "postgres" {
        let admin = Db::connect(&pg_admin, 1).await.unwrap();
        let name = "kehilla_bench_dispatch";
        kehilla_db::sqlx::query(kehilla_db::sql!("DROP DATABASE IF EXISTS {name}"))
            .execute(&admin.pool)
            .await
            .unwrap();
        kehilla_db::sqlx::query(kehilla_db::sql!("CREATE DATABASE {name}"))
            .execute(&admin.pool)
            .await
            .unwrap();
        format!("{}/{name}", pg_admin.rsplit_once('/').unwrap().0)
    } else {
        format!("sqlite://{}/kehilla.sqlite3?mode=rwc", work.display())
    };
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let (server, network) = fake().await;

    // The data: M organizations with 3 connected channels each, N posts on all three.
    let seeding = Instant::now();
    let sealer = kehilla_app::secrets::Sealer::of_instance(&db, &kehilla_app::Settings::default())
        .await
        .unwrap();
    let token = sealer.seal("bench-token").unwrap();
    let author = kehilla_db::users::create(&db.pool, "bench@example.org", "Bench", "x", "he")
        .await
        .unwrap();
    let far = now_ms() + 365 * 24 * 3_600_000;
    for o in 0..orgs {
        let mut tx = db.begin().await.unwrap();
        let org = kehilla_db::orgs::create(&mut *tx, &format!("org-{o}"), &format!("ארגון {o}"))
            .await
            .unwrap();
        let mut chans = Vec::new();
        for c in 0..3 {
            let ch = kehilla_db::studio::create_channel(
                &mut *tx,
                org.id,
                &ChannelData {
                    network: "mastodon",
                    name: "מסטודון",
                    handle: "",
                    purpose: "",
                    audience: "",
                    cadence_days: None,
                    slots: "",
                    slot_days: "0123456",
                    char_limit: None,
                    requires_approval: false,
                },
            )
            .await
            .unwrap();
            let account = format!("@org{o}c{c}@bench.example");
            let conn = NewConnection {
                server_url: &server,
                account: &account,
                token_sealed: &token,
                refresh_sealed: "",
                expires_at: None,
            };
            kehilla_db::publishing::connect(&mut *tx, org.id, ch.id, &conn)
                .await
                .unwrap();
            chans.push(ch.id);
        }
        let mine = posts / orgs + usize::from(o < posts % orgs);
        for p in 0..mine {
            let body = format!("עדכון {p} של ארגון {o} #קהילה");
            let data = PostData {
                kind: "status",
                title: "",
                body: &body,
                details: "{}",
            };
            let post = kehilla_db::studio::create_post(
                &mut *tx,
                org.id,
                author.id,
                &format!("p-{p}"),
                &data,
                Some(far),
            )
            .await
            .unwrap();
            for ch in &chans {
                kehilla_db::studio::put_variant(&mut *tx, org.id, post.id, *ch, &body, "[]", false)
                    .await
                    .unwrap();
            }
            kehilla_db::studio::set_status(&mut *tx, org.id, post.id, &["draft"], "scheduled")
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
    let seeded = seeding.elapsed();

    // Every post is due in the same minute (spread over its first second), 5 s from now.
    let due = now_ms() + 5_000;
    kehilla_db::sqlx::query("UPDATE posts SET scheduled_at = $1 + (id % 1000)")
        .bind(due)
        .execute(&db.pool)
        .await
        .unwrap();
    let mut children = Vec::new();
    for i in 0..processes {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"))
            .arg("serve")
            .env("KEHILLA_DATABASE_URL", &url)
            .env("KEHILLA_DATA_DIR", work.join(format!("p{i}")))
            .env("KEHILLA_LISTEN", "127.0.0.1:0")
            .env("KEHILLA_JOB_WORKERS", workers.to_string())
            .env("KEHILLA_DB_MAX_CONNECTIONS", (workers + 4).to_string())
            .env("KEHILLA_FETCH_PRIVATE", "true")
            .env("KEHILLA_LOG_LEVEL", "error")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .unwrap();
        children.push(child);
    }
    let expected = i64::try_from(posts * 3).unwrap();
    let started = Instant::now();
    loop {
        let (done,): (i64,) = kehilla_db::sqlx::query_as(
            "SELECT COUNT(*) FROM publications WHERE state = 'published'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        if done >= expected || started.elapsed() > Duration::from_secs(1800) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let total_ms = now_ms() - due;
    for mut c in children {
        let _ = c.kill();
        let _ = c.wait();
    }
    let handed: Vec<(i64,)> = kehilla_db::sqlx::query_as(
        "SELECT j.created_at - p.scheduled_at FROM jobs j JOIN publications u \
         ON j.unique_key = 'publish-' || CAST(u.id AS TEXT) JOIN posts p ON p.id = u.post_id \
         WHERE j.kind = 'publish.post'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let published: Vec<(i64,)> = kehilla_db::sqlx::query_as(
        "SELECT u.published_at - p.scheduled_at FROM publications u JOIN posts p ON p.id = u.post_id \
         WHERE u.state = 'published'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let (statuses, repeats) = {
        let n = network.lock().unwrap();
        (n.statuses, n.repeats)
    };
    println!(
        "{backend}: {posts} posts × 3 channels across {orgs} organizations, {processes} serve \
         process(es) with {workers} job workers each; seeded in {:.1} s",
        seeded.as_secs_f64()
    );
    report(
        "handed to publishing, after the due time",
        handed.into_iter().map(|r| r.0).collect(),
    );
    report(
        "published, after the due time",
        published.iter().map(|r| r.0).collect(),
    );
    println!(
        "all {} published {:.1} s after the first was due; the network got {statuses} statuses \
         ({repeats} repeats answered by key)",
        published.len(),
        total_ms as f64 / 1000.0
    );
    assert_eq!(
        i64::try_from(statuses).unwrap(),
        expected,
        "every publication exactly once"
    );
    if backend == "postgres" {
        db.pool.close().await;
        let admin = Db::connect(&pg_admin, 1).await.unwrap();
        let _ = kehilla_db::sqlx::query("DROP DATABASE IF EXISTS kehilla_bench_dispatch")
            .execute(&admin.pool)
            .await;
    }
    let _ = std::fs::remove_dir_all(&work);
}
