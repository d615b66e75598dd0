//! The site benchmark of docs/benchmarks.md: a public post page under load. It makes a scratch
//! SQLite database with one organization (profile, strengths, links, two pages) and P published
//! posts in Hebrew, starts one release `kehilla serve`, and has C concurrent keep-alive clients
//! request post pages (a different post each time, round robin) for D seconds after a warm-up.
//! Reports requests per second, latency percentiles (p50, p90, p99, max) and the server's CPU
//! and peak memory; checks that every answer was a 200 with the post's title in it.
//!
//! `cargo bench -p kehilla --bench site -- [posts] [connections] [seconds]` (default 1000, 16,
//! 20). Run without `--bench` (as `cargo test --all-targets` does) it only says how to run it.

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

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kehilla_db::Db;

#[path = "support/proc.rs"]
mod proc;
use proc::{clock_ticks, cpu_seconds, memory};
#[path = "support/latency.rs"]
mod latency;
use latency::{ms, percentile};

const BODY: &str = "ביום שישי האחרון 120 מתנדבים ארזו וחילקו 300 סלי מזון למשפחות בהדר ובנווה שאנן. \
    תודה ענקית לכל מי שהגיע — ולבית הספר שאירח אותנו.\n\nרוצים להצטרף? כל הפרטים כאן: \
    https://yad-beyad.example/volunteer #התנדבות #חיפה";

/// The organization and its posts; returns the posts' (slug, title).
async fn seed(db: &Db, posts: usize) -> Vec<(String, String)> {
    let author = kehilla_db::users::create(&db.pool, "bench@example.org", "Bench", "x", "he")
        .await
        .unwrap();
    let org = kehilla_db::orgs::create(&db.pool, "yad", "יד ביד")
        .await
        .unwrap();
    kehilla_db::publishing::save_profile(
        &db.pool,
        org.id,
        "עמותה חיפאית למזון, התנדבות וליווי קשישים.",
        "https://yad-beyad.example",
        "",
    )
    .await
    .unwrap();
    kehilla_db::site::save_settings(
        &db.pool,
        org.id,
        &kehilla_db::site::SiteSettings {
            site_strengths: "חלוקת מזון\nליווי קשישים".into(),
            site_keywords: "מזון, התנדבות, חיפה".into(),
            site_links: r#"[{"label":"פייסבוק","url":"https://facebook.com/yad"}]"#.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for (i, title) in ["אודות", "צור קשר"].iter().enumerate() {
        kehilla_db::site::save_page(
            &db.pool,
            org.id,
            None,
            &kehilla_app::studio::slugify(title),
            title,
            "## מי אנחנו\n\nעמותה **חיפאית**.",
            i64::try_from(i).unwrap(),
        )
        .await
        .unwrap();
    }
    let mut out = Vec::new();
    let now = kehilla_db::now_ms();
    let mut tx = db.begin().await.unwrap();
    for i in 0..posts {
        let title = format!("סלי מזון לחג — עדכון {i}");
        let slug = format!("{}-{i}", kehilla_app::studio::slugify("סלי מזון לחג"));
        let p = kehilla_db::studio::create_post(
            &mut *tx,
            org.id,
            author.id,
            &slug,
            &kehilla_db::studio::PostData {
                kind: "story",
                title: &title,
                body: BODY,
                details: "{}",
            },
            None,
        )
        .await
        .unwrap();
        kehilla_db::sqlx::query(
            "UPDATE posts SET status = 'published', published_at = $1 WHERE id = $2",
        )
        .bind(now - i64::try_from(i).unwrap() * 3_600_000)
        .bind(p.id)
        .execute(&mut *tx)
        .await
        .unwrap();
        out.push((slug, title));
    }
    tx.commit().await.unwrap();
    out
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("site benchmark: run it with `cargo bench -p kehilla --bench site`");
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
    let posts: usize = arg(0, "1000").parse().unwrap();
    let connections: usize = arg(1, "16").parse().unwrap();
    let seconds: u64 = arg(2, "20").parse().unwrap();
    assert!(posts > 0 && (1..=256).contains(&connections) && seconds > 0);

    let work = std::env::temp_dir().join(format!("kehilla-bench-site-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let url = format!("sqlite://{}/kehilla.sqlite3?mode=rwc", work.display());
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let items = Arc::new(seed(&db, posts).await);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let ticks = clock_ticks();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"))
        .arg("serve")
        .env("KEHILLA_DATABASE_URL", &url)
        .env("KEHILLA_DATA_DIR", work.join("data"))
        .env("KEHILLA_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEHILLA_BASE_URL", "https://kehilla.bench.example")
        .env("KEHILLA_LOG_LEVEL", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .unwrap();
    for _ in 0..300 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Warm-up (2 s), then the measured run.
    let next = Arc::new(AtomicUsize::new(0));
    let run = |dur: Duration, record: bool| {
        let (client, base, items, next) =
            (client.clone(), base.clone(), items.clone(), next.clone());
        async move {
            let until = Instant::now() + dur;
            let tasks: Vec<_> = (0..connections)
                .map(|_| {
                    let (client, base, items, next) =
                        (client.clone(), base.clone(), items.clone(), next.clone());
                    tokio::spawn(async move {
                        let mut lat = Vec::new();
                        while Instant::now() < until {
                            let i = next.fetch_add(1, Ordering::Relaxed) % items.len();
                            let (slug, title) = &items[i];
                            let path = format!(
                                "{base}/o/yad/p/{}",
                                kehilla_app::home::site::path_segment(slug)
                            );
                            let t = Instant::now();
                            let r = client.get(&path).send().await.unwrap();
                            assert_eq!(r.status(), 200, "{path}");
                            let body = r.text().await.unwrap();
                            let d = t.elapsed();
                            assert!(body.contains(title.as_str()), "{path}");
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
    let cpu0 = cpu_seconds(&pid, ticks);
    let started = Instant::now();
    let mut lat = run(Duration::from_secs(seconds), true).await;
    let elapsed = started.elapsed();
    let cpu = cpu_seconds(&pid, ticks) - cpu0;
    let hwm = memory(&pid, "VmHWM");
    let _ = child.kill();
    let _ = child.wait();
    lat.sort_unstable();
    let n = lat.len();
    println!(
        "site: {posts} published posts, {connections} keep-alive connections, {seconds} s after a 2 s warm-up"
    );
    println!();
    println!("| | |");
    println!("|---|---|");
    println!("| Requests (all 200, each with its post's title) | {n} |");
    println!(
        "| Requests per second | {:.0} |",
        n as f64 / elapsed.as_secs_f64()
    );
    println!("| Latency p50 | {:.2} ms |", ms(percentile(&lat, 0.50)));
    println!("| Latency p90 | {:.2} ms |", ms(percentile(&lat, 0.90)));
    println!("| Latency p99 | {:.2} ms |", ms(percentile(&lat, 0.99)));
    println!("| Latency max | {:.2} ms |", ms(*lat.last().unwrap()));
    println!(
        "| Server CPU per 1,000 requests | {:.2} s ({:.1} s in all) |",
        cpu / n as f64 * 1000.0,
        cpu
    );
    println!(
        "| Server peak resident memory (VmHWM) | {:.1} MB |",
        hwm as f64 / 1_000_000.0
    );
    let _ = std::fs::remove_dir_all(&work);
}
