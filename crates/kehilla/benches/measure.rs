//! The Measure benchmark of docs/benchmarks.md.
//!
//! On a scratch SQLite database: one organization with P people and C click events spread over
//! the last year, of which D fell on one day (yesterday), and posts' figures on five channels.
//! 1. **Rollup**: the whole year (the first run of the rollup job), then the busy day alone.
//! 2. **Dashboard**: a release `kehilla serve` on that database with eight goals; K signed-in
//!    clients load the dashboard for S seconds. Reports the latency percentiles.
//!
//! `cargo bench -p kehilla --bench measure -- [people] [clicks] [clicks of the busy day]
//! [clients] [seconds]` (default 1000000, 10000000, 1000000, 8, 20). Run without `--bench` it
//! only says how to run it.

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

use kehilla_db::Db;

#[path = "support/proc.rs"]
mod proc;
use proc::{clock_ticks, cpu_seconds, memory};
#[path = "support/latency.rs"]
mod latency;
use latency::{ms, percentile};

const PASSWORD: &str = "bench-password-2026";
const DAY: i64 = 86_400_000;

/// Inserts `n` rows of `row(i)` values in batches, in transactions.
async fn bulk(db: &Db, table_cols: &str, n: usize, row: impl Fn(usize) -> String) {
    let mut i = 0;
    while i < n {
        let mut tx = db.begin().await.unwrap();
        for _ in 0..20 {
            if i >= n {
                break;
            }
            let end = (i + 500).min(n);
            let values: Vec<String> = (i..end).map(&row).collect();
            let sql = format!("INSERT INTO {table_cols} VALUES {}", values.join(","));
            kehilla_db::sqlx::query(kehilla_db::sqlx::AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .unwrap();
            i = end;
        }
        tx.commit().await.unwrap();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!(
            "measure: `cargo bench -p kehilla --bench measure -- [people] [clicks] [busy day] [clients] [seconds]`"
        );
        return;
    }
    let rest: Vec<usize> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(|a| a.parse().unwrap())
        .collect();
    let people = rest.first().copied().unwrap_or(1_000_000);
    let clicks = rest.get(1).copied().unwrap_or(10_000_000);
    let busy = rest.get(2).copied().unwrap_or(1_000_000).min(clicks);
    let clients = rest.get(3).copied().unwrap_or(8);
    let seconds = rest.get(4).copied().unwrap_or(20);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run(people, clicks, busy, clients, seconds));
}

async fn run(people: usize, clicks: usize, busy: usize, clients: usize, seconds: usize) {
    let work = std::env::temp_dir().join(format!("kehilla-bench-measure-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let url = format!("sqlite://{}/kehilla.sqlite3?mode=rwc", work.display());
    let db = Db::connect(&url, 5).await.unwrap();
    db.migrate().await.unwrap();
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
    let now = kehilla_db::now_ms();
    let tz = kehilla_app::studio::zone(&org.time_zone);
    let today = kehilla_app::measure::day_of(tz, now);
    let (busy_from, _) = kehilla_app::measure::day_bounds(tz, today - 1).unwrap();

    let t = Instant::now();
    let o = org.id;
    bulk(
        &db,
        "people (public_id, organization_id, first_name, email, created_at, updated_at)",
        people,
        |i| {
            let at = now - 365 * DAY + (i as i64 * 365 * DAY / people.max(1) as i64);
            format!("('bp{i}', {o}, 'אדם {i}', 'p{i}@bench.example', {at}, {at})")
        },
    )
    .await;
    let mut channels = Vec::new();
    for (k, network) in ["mastodon", "bluesky", "facebook", "x", "linkedin"]
        .iter()
        .enumerate()
    {
        kehilla_db::sqlx::query(
            "INSERT INTO channels (public_id, organization_id, network, name, created_at) VALUES ($1, $2, $3, $3, 0)",
        )
        .bind(format!("bc{k}"))
        .bind(o)
        .bind(*network)
        .execute(&db.pool)
        .await
        .unwrap();
        let (id,): (i64,) =
            kehilla_db::sqlx::query_as("SELECT id FROM channels WHERE public_id = $1")
                .bind(format!("bc{k}"))
                .fetch_one(&db.pool)
                .await
                .unwrap();
        kehilla_db::sqlx::query(
            "INSERT INTO links (code, organization_id, channel_id, target, destination, created_at) VALUES ($1, $2, $3, 'https://example.org', 'https://example.org', 0)",
        )
        .bind(format!("bl{k}"))
        .bind(o)
        .bind(id)
        .execute(&db.pool)
        .await
        .unwrap();
        channels.push(id);
    }
    let (first_link,): (i64,) =
        kehilla_db::sqlx::query_as("SELECT MIN(id) FROM links WHERE organization_id = $1")
            .bind(o)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let spread = clicks - busy;
    let chs = channels.clone();
    bulk(
        &db,
        "clicks (organization_id, link_id, channel_id, at)",
        clicks,
        |i| {
            let k = i % chs.len();
            let at = if i < busy {
                busy_from + (i as i64 * (DAY - 1) / busy.max(1) as i64)
            } else {
                let j = (i - busy) as i64;
                now - 365 * DAY + j * 365 * DAY / spread.max(1) as i64
            };
            format!("({o}, {}, {}, {at})", first_link + k as i64, chs[k])
        },
    )
    .await;
    // Posts' figures: 2 posts a day for a year, read five times each.
    let points = 2 * 365 * 5 * 3;
    bulk(
        &db,
        "metric_points (organization_id, metric, channel_id, post_id, at, value)",
        points,
        |i| {
            let post = i / 15 + 1;
            let reading = (i / 3) % 5;
            let metric = ["views", "likes", "shares"][i % 3];
            let at = now - 365 * DAY + post as i64 * DAY / 2 + reading as i64 * 6 * 3_600_000;
            let value = (reading + 1) * [400, 30, 5][i % 3];
            format!(
                "({o}, '{metric}', {}, {post}, {at}, {value})",
                chs[post % chs.len()]
            )
        },
    )
    .await;
    let seeded = t.elapsed();

    let t = Instant::now();
    let days = kehilla_app::measure::rollup_org(&db, &org, now)
        .await
        .unwrap();
    let year = t.elapsed();
    let mut busy_runs = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        kehilla_app::measure::rollup_day(&db, o, tz, today - 1)
            .await
            .unwrap();
        busy_runs.push(t.elapsed());
    }
    busy_runs.sort();
    let (rolled,): (i64,) =
        kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM daily_metrics WHERE organization_id = $1")
            .bind(o)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let (busy_clicks,): (f64,) = kehilla_db::sqlx::query_as(
        "SELECT value FROM daily_metrics WHERE organization_id = $1 AND metric = 'clicks' AND channel_id = 0 AND day = $2",
    )
    .bind(o)
    .bind(today - 1)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(
        busy_clicks as usize >= busy,
        "the busy day has its clicks: {busy_clicks}"
    );

    // Goals over the year.
    for (k, (metric, target)) in [
        ("clicks", 12_000_000.0),
        ("new_people", 1_200_000.0),
        ("views", 500_000.0),
        ("engagements", 80_000.0),
        ("engagement_rate", 8.0),
        ("signups", 1000.0),
        ("posts_published", 700.0),
        ("followers", 5000.0),
    ]
    .iter()
    .enumerate()
    {
        kehilla_db::measure::add_goal(
            &db.pool,
            o,
            &kehilla_db::measure::NewGoal {
                title: &format!("יעד {k}"),
                metric,
                channel_id: None,
                audience_id: None,
                target: *target,
                start_day: today - 300,
                end_day: today + 65,
            },
            now,
        )
        .await
        .unwrap();
    }
    db.close().await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"))
        .arg("serve")
        .env("KEHILLA_DATABASE_URL", &url)
        .env("KEHILLA_DATA_DIR", work.join("data"))
        .env("KEHILLA_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEHILLA_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("KEHILLA_JOB_WORKERS", "0")
        .env("KEHILLA_LOG_LEVEL", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for _ in 0..200 {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let html = client
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
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
    let until = Instant::now() + Duration::from_secs(seconds as u64);
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move {
                let mut lat = Vec::new();
                while Instant::now() < until {
                    let t = Instant::now();
                    let r = client
                        .get(format!("{base}/orgs/yad/measure"))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                    let body = r.text().await.unwrap();
                    lat.push(t.elapsed());
                    assert!(body.contains("class=\"actual\""), "the charts are drawn");
                }
                lat
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    let hwm = memory(&pid, "VmHWM");
    let cpu = cpu_seconds(&pid, clock_ticks());
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&work);

    println!(
        "measure: {people} people, {clicks} clicks ({busy} on one day), {points} post figures"
    );
    println!("  seeded in {:.1} s", seeded.as_secs_f64());
    println!(
        "  rollup of the year ({days} days, {rolled} rows): {:.1} s; of the busy day: {:.0} ms (best of 3), {:.0} ms (worst)",
        year.as_secs_f64(),
        ms(busy_runs[0]),
        ms(busy_runs[busy_runs.len() - 1])
    );
    println!(
        "  dashboard, {clients} clients for {seconds} s: {} requests, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; server peak memory {:.1} MiB, CPU {cpu:.1} s",
        all.len(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        ms(all[all.len() - 1]),
        hwm as f64 / 1_048_576.0
    );
}
