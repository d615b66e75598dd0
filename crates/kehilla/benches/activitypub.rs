//! The ActivityPub benchmark of docs/benchmarks.md: one post delivered to F followers spread
//! over S servers. The servers are fake inboxes on this machine: one listener on 0.0.0.0 that
//! answers for S loopback addresses (127.0.x.y), so each server is its own host to the sender,
//! with one shared inbox each. One release `kehilla serve` (SQLite) starts with the post just
//! published; its minute tick queues one delivery per server and its job workers sign (RSA-2048,
//! HTTP signatures) and send them. Reports the time from the server's start until every server
//! has the post, the server's CPU and peak memory; checks that each server got it exactly once,
//! with a `Signature` and a `Digest` that matches the body, and verifies a sample of the
//! signatures with the organization's public key.
//!
//! `cargo bench -p kehilla --bench activitypub -- [followers] [servers] [workers]` (default
//! 10000, 2000, 16). Run without `--bench` it only says how to run it.

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

use aws_lc_rs::digest;
use axum::body::Bytes;
use axum::http::HeaderMap;
use base64::Engine;
use kehilla_db::Db;

#[path = "support/proc.rs"]
mod proc;
use proc::{clock_ticks, cpu_seconds, memory};

/// The loopback address of server `k`.
fn addr(k: usize) -> String {
    format!("127.0.{}.{}", k / 250 + 1, k % 250 + 1)
}

#[derive(Default)]
struct Tally {
    /// Deliveries per host.
    per_host: HashMap<String, usize>,
    signed: usize,
    digest_ok: usize,
    /// (signing string, signature) of a sample, verified at the end.
    sample: Vec<(String, Vec<u8>)>,
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("activitypub benchmark: run it with `cargo bench -p kehilla --bench activitypub`");
        return;
    }
    let rest: Vec<&String> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let arg = |i: usize, d: &str| {
        rest.get(i)
            .map(|s| s.to_string())
            .unwrap_or_else(|| d.into())
    };
    let followers: usize = arg(0, "10000").parse().unwrap();
    let servers: usize = arg(1, "2000").parse().unwrap();
    let workers: usize = arg(2, "16").parse().unwrap();
    assert!((1..=60_000).contains(&servers) && followers >= servers);

    // The fake inboxes.
    let tally = Arc::new(Mutex::new(Tally::default()));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let t = tally.clone();
    let app = axum::Router::new().fallback(axum::routing::post(
        move |headers: HeaderMap, uri: axum::http::Uri, body: Bytes| {
            let t = t.clone();
            async move {
                let h = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string()
                };
                let want = format!(
                    "SHA-256={}",
                    base64::engine::general_purpose::STANDARD
                        .encode(digest::digest(&digest::SHA256, &body))
                );
                let mut t = t.lock().unwrap();
                *t.per_host.entry(h("host")).or_default() += 1;
                let sig = h("signature");
                if !sig.is_empty() {
                    t.signed += 1;
                }
                if h("digest") == want {
                    t.digest_ok += 1;
                }
                if t.sample.len() < 20 {
                    let s = sig
                        .split("signature=\"")
                        .nth(1)
                        .and_then(|r| r.split('"').next())
                        .unwrap_or_default();
                    let line = format!(
                        "(request-target): post {}\nhost: {}\ndate: {}\ndigest: {}",
                        uri.path(),
                        h("host"),
                        h("date"),
                        h("digest")
                    );
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(s)
                        .unwrap_or_default();
                    t.sample.push((line, bytes));
                }
                axum::http::StatusCode::ACCEPTED
            }
        },
    ));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // The organization, its key, its followers and the post.
    let work = std::env::temp_dir().join(format!("kehilla-bench-ap-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let url = format!("sqlite://{}/kehilla.sqlite3?mode=rwc", work.display());
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let settings = kehilla_app::Settings {
        data_dir: work.join("data"),
        ..kehilla_app::Settings::default()
    };
    let author = kehilla_db::users::create(&db.pool, "bench@example.org", "Bench", "x", "he")
        .await
        .unwrap();
    let org = kehilla_db::orgs::create(&db.pool, "yad", "יד ביד")
        .await
        .unwrap();
    let (public_pem, _) = kehilla_app::home::activitypub::keys(&db, &settings, org.id)
        .await
        .unwrap();
    let seeding = Instant::now();
    let mut tx = db.begin().await.unwrap();
    for i in 0..followers {
        let k = i % servers;
        let host = format!("{}:{port}", addr(k));
        kehilla_db::activitypub::add_follower(
            &mut *tx,
            org.id,
            &format!("http://{host}/users/u{i}"),
            &format!("http://{host}/users/u{i}/inbox"),
            &format!("http://{host}/inbox"),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let p = kehilla_db::studio::create_post(
        &db.pool,
        org.id,
        author.id,
        "סלי-מזון",
        &kehilla_db::studio::PostData {
            kind: "story",
            title: "300 סלי מזון לחג",
            body: "120 מתנדבים ארזו וחילקו 300 סלי מזון למשפחות בחיפה. #התנדבות #חיפה",
            details: "{}",
        },
        None,
    )
    .await
    .unwrap();
    kehilla_db::sqlx::query(
        "UPDATE posts SET status = 'published', published_at = $1 WHERE id = $2",
    )
    .bind(kehilla_db::now_ms() + 1000)
    .bind(p.id)
    .execute(&db.pool)
    .await
    .unwrap();
    let seeded = seeding.elapsed();

    let ticks = clock_ticks();
    let started = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"))
        .arg("serve")
        .env("KEHILLA_DATABASE_URL", &url)
        .env("KEHILLA_DATA_DIR", work.join("data"))
        .env("KEHILLA_LISTEN", "127.0.0.1:0")
        .env("KEHILLA_BASE_URL", "https://kehilla.bench.example")
        .env("KEHILLA_JOB_WORKERS", workers.to_string())
        .env("KEHILLA_FETCH_PRIVATE", "true")
        .env("KEHILLA_LOG_LEVEL", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let mut peak = 0u64;
    loop {
        peak = peak.max(memory(&pid, "VmRSS"));
        let done = tally.lock().unwrap().per_host.len();
        if done >= servers {
            break;
        }
        if let Ok(Some(s)) = child.try_wait() {
            panic!("kehilla serve ended ({s}) with {done} of {servers} servers reached");
        }
        assert!(
            started.elapsed() < Duration::from_secs(1800),
            "{done} of {servers} after 30 min"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = started.elapsed();
    // A moment for any second copy to show up before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let cpu = cpu_seconds(&pid, ticks);
    peak = peak.max(memory(&pid, "VmHWM"));
    let _ = child.kill();
    let _ = child.wait();

    let t = tally.lock().unwrap();
    let total: usize = t.per_host.values().sum();
    let once = t.per_host.values().all(|n| *n == 1);
    let (_, der) = kehilla_app::messaging::dkim::from_pem(&public_pem).unwrap();
    let key = aws_lc_rs::signature::UnparsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
        der,
    );
    let verified = t
        .sample
        .iter()
        .filter(|(line, sig)| key.verify(line.as_bytes(), sig).is_ok())
        .count();
    println!(
        "activitypub: 1 post, {followers} followers on {servers} servers (one shared inbox each), {workers} job workers; seeded in {:.1} s",
        seeded.as_secs_f64()
    );
    println!();
    println!("| | |");
    println!("|---|---|");
    println!(
        "| Deliveries (one per server) | {total} to {} servers |",
        t.per_host.len()
    );
    println!(
        "| Time from server start to the last server | {:.1} s |",
        elapsed.as_secs_f64()
    );
    println!(
        "| Deliveries per second | {:.0} |",
        total as f64 / elapsed.as_secs_f64()
    );
    println!(
        "| Server CPU | {cpu:.1} s ({:.2} ms per delivery) |",
        cpu / total as f64 * 1000.0
    );
    println!(
        "| Server peak resident memory | {:.1} MB |",
        peak as f64 / 1_000_000.0
    );
    println!(
        "| Signed / digest matching / sample verified | {} / {} / {verified} of {} |",
        t.signed,
        t.digest_ok,
        t.sample.len()
    );
    assert!(once, "a server got the post more than once");
    assert_eq!(t.signed, total);
    assert_eq!(t.digest_ok, total);
    assert_eq!(verified, t.sample.len());
    let _ = std::fs::remove_dir_all(&work);
}
