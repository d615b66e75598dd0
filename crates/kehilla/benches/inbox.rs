//! The inbox benchmark of docs/benchmarks.md, in two parts.
//!
//! 1. **Ingest**: C channels (Mastodon, each connected to one local server that answers as the
//!    Mastodon API documents) with two published posts each and N comments in all; one release
//!    `kehilla serve` polls them with its own dispatcher and workers. Reports the time from the
//!    server's start until every comment is in the inbox (each once), the rate, CPU and peak
//!    memory.
//! 2. **List page**: more messages are added to reach M stored messages (conversations of
//!    three), then K signed-in clients load the inbox's first page for D seconds. Reports the
//!    latency percentiles (p50, p99) and checks every answer was a 200 with conversations.
//!
//! `cargo bench -p kehilla --bench inbox -- [comments] [channels] [messages] [clients] [seconds]`
//! (default 100000, 500, 1000000, 8, 20). Run without `--bench` it only says how to run it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use kehilla_db::Db;
use serde_json::{Value, json};

#[path = "support/proc.rs"]
mod proc;
use proc::{clock_ticks, cpu_seconds, memory};
#[path = "support/latency.rs"]
mod latency;
use latency::{ms, percentile};

const PASSWORD: &str = "bench-password-2026";

/// The fake Mastodon: `per_post` replies under any status, no mentions.
async fn fake(per_post: usize) -> String {
    async fn context(State(n): State<usize>, Path(id): Path<String>) -> Json<Value> {
        let descendants: Vec<Value> = (0..n)
            .map(|k| {
                json!({"id": format!("{id}-{k}"), "in_reply_to_id": id,
                   "account": {"id": format!("a{}", k % 97), "acct": format!("user{}@social.example", k % 97)},
                   "content": format!("<p>תגובה {k}: כל הכבוד על החלוקה! When is the next one?</p>"),
                   "created_at": "2026-11-27T08:00:00.000Z", "url": ""})
            })
            .collect();
        Json(json!({"ancestors": [], "descendants": descendants}))
    }
    let app = Router::new()
        .route("/api/v1/statuses/{id}/context", get(context))
        .route("/api/v1/notifications", get(|| async { Json(json!([])) }))
        .with_state(per_post);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn seed(db: &Db, server: &str, channels: usize) -> i64 {
    let hash = kehilla_app::accounts::hash_password(PASSWORD)
        .await
        .unwrap();
    let user = kehilla_db::users::create(&db.pool, "bench@example.org", "Bench", &hash, "he")
        .await
        .unwrap();
    let org = kehilla_db::orgs::create(&db.pool, "yad", "יד ביד")
        .await
        .unwrap();
    kehilla_db::orgs::add_member(&db.pool, org.id, user.id, "owner")
        .await
        .unwrap();
    let sealer = kehilla_app::secrets::Sealer::of_instance(db, &kehilla_app::Settings::default())
        .await
        .unwrap();
    let token = sealer.seal("bench-token").unwrap();
    let now = kehilla_db::now_ms();
    let mut tx = db.begin().await.unwrap();
    for c in 0..channels {
        let (ch,): (i64,) = kehilla_db::sqlx::query_as(
            "INSERT INTO channels (public_id, organization_id, network, name, created_at) \
             VALUES ($1, $2, 'mastodon', $3, $4) RETURNING id",
        )
        .bind(kehilla_db::new_public_id())
        .bind(org.id)
        .bind(format!("מסטודון {c}"))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        kehilla_db::sqlx::query(
            "INSERT INTO connections (organization_id, channel_id, server_url, account, \
             token_sealed, created_at, updated_at) VALUES ($1, $2, $3, 'yad', $4, $5, $5)",
        )
        .bind(org.id)
        .bind(ch)
        .bind(server)
        .bind(&token)
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
        for p in 0..2 {
            let (post,): (i64,) = kehilla_db::sqlx::query_as(
                "INSERT INTO posts (public_id, organization_id, kind, title, body, slug, status, \
                 published_at, created_at, updated_at) VALUES ($1, $2, 'story', $3, 'גוף', $4, \
                 'published', $5, $5, $5) RETURNING id",
            )
            .bind(kehilla_db::new_public_id())
            .bind(org.id)
            .bind(format!("חלוקה {c}-{p}"))
            .bind(format!("p-{c}-{p}"))
            .bind(now - 3_600_000)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            kehilla_db::sqlx::query(
                "INSERT INTO publications (organization_id, post_id, channel_id, state, \
                 idempotency_key, remote_id, updated_at) VALUES ($1, $2, $3, 'published', $4, $4, $5)",
            )
            .bind(org.id)
            .bind(post)
            .bind(ch)
            .bind(format!("s{c}x{p}"))
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
    org.id
}

/// Adds conversations of three messages until `total` messages are stored.
async fn fill(db: &Db, org: i64, total: i64) {
    let (have,): (i64,) = kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM inbox_messages")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (identity,): (i64,) = kehilla_db::sqlx::query_as(
        "INSERT INTO inbox_identities (organization_id, source, author_id, handle, name, created_at) \
         VALUES ($1, 'site', 'x@example.org', 'x@example.org', 'רות', 0) RETURNING id",
    )
    .bind(org)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let conversations = (total - have).max(0) / 3;
    let now = kehilla_db::now_ms();
    let mut made = 0;
    while made < conversations {
        let mut tx = db.begin().await.unwrap();
        for _ in 0..2000.min(conversations - made) {
            let at = now - 86_400_000 * 400 + made * 30_000;
            let status = ["new", "open", "waiting", "done", "done", "done"][(made % 6) as usize];
            let (conv,): (i64,) = kehilla_db::sqlx::query_as(
                "INSERT INTO inbox_conversations (public_id, organization_id, source, identity_id, \
                 kind, subject, status, search_text, first_in_at, last_at, created_at) \
                 VALUES ($1, $2, 'site', $3, 'comment', '', $4, ' רות שאלה', $5, $5, $5) RETURNING id",
            )
            .bind(kehilla_db::new_public_id())
            .bind(org)
            .bind(identity)
            .bind(status)
            .bind(at)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            for k in 0..3 {
                kehilla_db::sqlx::query(
                    "INSERT INTO inbox_messages (public_id, organization_id, conversation_id, \
                     source, remote_id, direction, identity_id, body, state, at, created_at) \
                     VALUES ($1, $2, $3, 'site', $4, $5, $6, $7, 'shown', $8, $8)",
                )
                .bind(kehilla_db::new_public_id())
                .bind(org)
                .bind(conv)
                .bind(format!("f{made}-{k}"))
                .bind(if k == 1 { "out" } else { "in" })
                .bind(identity)
                .bind("שלום, מתי החלוקה הבאה בחיפה? Is there parking nearby?")
                .bind(at + k * 1000)
                .execute(&mut *tx)
                .await
                .unwrap();
            }
            made += 1;
        }
        tx.commit().await.unwrap();
    }
}

async fn count(db: &Db) -> i64 {
    let (n,): (i64,) = kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM inbox_messages")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    n
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("inbox benchmark: run it with `cargo bench -p kehilla --bench inbox`");
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
    let comments: usize = arg(0, "100000").parse().unwrap();
    let channels: usize = arg(1, "500").parse().unwrap();
    let messages: i64 = arg(2, "1000000").parse().unwrap();
    let clients: usize = arg(3, "8").parse().unwrap();
    let seconds: u64 = arg(4, "20").parse().unwrap();
    assert!(channels > 0 && comments >= channels * 2);
    let per_post = comments / channels / 2;

    let work = std::env::temp_dir().join(format!("kehilla-bench-inbox-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let url = format!("sqlite://{}/kehilla.sqlite3?mode=rwc", work.display());
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let server = fake(per_post).await;
    let org = seed(&db, &server, channels).await;
    let expected = (channels * 2 * per_post) as i64;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let ticks = clock_ticks();
    let started = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"))
        .arg("serve")
        .env("KEHILLA_DATABASE_URL", &url)
        .env("KEHILLA_DATA_DIR", work.join("data"))
        .env("KEHILLA_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEHILLA_BASE_URL", "https://kehilla.bench.example")
        .env("KEHILLA_FETCH_PRIVATE", "true")
        .env("KEHILLA_LOG_LEVEL", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    loop {
        let n = count(&db).await;
        if n >= expected {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1800),
            "only {n} of {expected} after 30 minutes"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let ingest = started.elapsed();
    let ingest_cpu = cpu_seconds(&pid, ticks);
    let ingest_hwm = memory(&pid, "VmHWM");
    assert_eq!(count(&db).await, expected, "each comment once");

    // Part 2: the list page with `messages` stored.
    let t = Instant::now();
    fill(&db, org, messages).await;
    let stored = count(&db).await;
    let filled = t.elapsed();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();
    let login = client.get(format!("{base}/login")).send().await.unwrap();
    let html = login.text().await.unwrap();
    let csrf = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let r = client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", "bench@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let run = |dur: Duration, record: bool| {
        let (client, base) = (client.clone(), base.clone());
        async move {
            let until = Instant::now() + dur;
            let tasks: Vec<_> = (0..clients)
                .map(|_| {
                    let (client, base) = (client.clone(), base.clone());
                    tokio::spawn(async move {
                        let mut lat = Vec::new();
                        while Instant::now() < until {
                            let t = Instant::now();
                            let r = client
                                .get(format!("{base}/orgs/yad/inbox"))
                                .send()
                                .await
                                .unwrap();
                            assert_eq!(r.status(), 200);
                            let body = r.text().await.unwrap();
                            let d = t.elapsed();
                            assert!(body.contains("data-conversation="));
                            if record {
                                lat.push(d);
                            }
                        }
                        lat
                    })
                })
                .collect();
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.unwrap());
            }
            all
        }
    };
    run(Duration::from_secs(2), false).await;
    let t = Instant::now();
    let mut lat = run(Duration::from_secs(seconds), true).await;
    let elapsed = t.elapsed();
    let hwm = memory(&pid, "VmHWM");
    let _ = child.kill();
    let _ = child.wait();
    lat.sort_unstable();
    let n = lat.len();
    println!(
        "inbox: {expected} comments on {channels} channels ({per_post} under each of 2 posts per channel)"
    );
    println!();
    println!("| | |");
    println!("|---|---|");
    println!(
        "| Ingest: server start to every comment in the inbox, once | {:.1} s ({:.0} comments/s) |",
        ingest.as_secs_f64(),
        expected as f64 / ingest.as_secs_f64()
    );
    println!(
        "| Ingest: server CPU | {ingest_cpu:.1} s ({:.2} ms per comment) |",
        ingest_cpu / expected as f64 * 1000.0
    );
    println!(
        "| Ingest: server peak resident memory | {:.1} MB |",
        ingest_hwm as f64 / 1_000_000.0
    );
    println!(
        "| Messages stored for the list page | {stored} (filled in {:.0} s) |",
        filled.as_secs_f64()
    );
    println!(
        "| List page: {clients} clients, {seconds} s | {n} pages, {:.0}/s |",
        n as f64 / elapsed.as_secs_f64()
    );
    println!("| List page p50 | {:.2} ms |", ms(percentile(&lat, 0.50)));
    println!("| List page p99 | {:.2} ms |", ms(percentile(&lat, 0.99)));
    println!("| List page max | {:.2} ms |", ms(*lat.last().unwrap()));
    println!(
        "| Server peak resident memory (VmHWM) | {:.1} MB |",
        hwm as f64 / 1_000_000.0
    );
    let _ = std::fs::remove_dir_all(&work);
}
