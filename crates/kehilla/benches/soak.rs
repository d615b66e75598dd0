//! The soak run of docs/benchmarks.md: a bounded run of mixed traffic against one release
//! `kehilla serve --demo`, with its memory and latency recorded at intervals.
//!
//! Traffic, at a steady rate: signed-in page views, the public site, tracked-link redirects,
//! sign-ups on a public form (each from its own address, as through a proxy), API reads and
//! writes, and every five minutes a campaign to the demo audience, sent to the built-in sink.
//! Every 30 seconds it prints the requests, errors, latency (p50, p99, max), the server's
//! resident memory and CPU. At the end it checks there was no error and that memory levelled
//! off (the last third's peak within 10 % + 8 MiB of the middle third's), and fails otherwise.
//!
//! `cargo bench -p kehilla --bench soak -- [minutes] [requests per second]` (default 30, 40).
//! Run without `--bench` it only says how to run it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kehilla_db::Db;

#[path = "support/proc.rs"]
mod proc;
use proc::{clock_ticks, cpu_seconds, memory};
#[path = "support/latency.rs"]
mod latency;
use latency::{ms, percentile};

const ORG: &str = "yad-beyad";
const OWNER: &str = "dana@yad-beyad.example";
const PASSWORD: &str = "kehilla-demo-2026";

/// What the run needs to know about the demo data.
struct Targets {
    base: String,
    form: String,
    links: Vec<String>,
    posts: Vec<String>,
    token: String,
}

#[derive(Default)]
struct Window {
    times: Vec<Duration>,
    errors: Vec<String>,
}

fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_string()
}

async fn signed_in(base: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = c
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = c
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf_of(&page).as_str()),
            ("email", OWNER),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "login: {}", r.status());
    c
}

/// A form of the signed-in client: its CSRF token is read from `page` first.
async fn post_form(
    c: &reqwest::Client,
    base: &str,
    page: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = c
        .get(format!("{base}{page}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_of(&html);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("csrf_token", &token));
    c.post(format!("{base}{to}"))
        .form(&all)
        .send()
        .await
        .unwrap()
}

async fn campaign(c: &reqwest::Client, base: &str, n: u64) -> Result<(), String> {
    let name = format!("עדכון {n}");
    let r = post_form(
        c,
        base,
        &format!("/orgs/{ORG}/campaigns/new"),
        &format!("/orgs/{ORG}/campaigns"),
        &[
            ("name", &name),
            ("purpose", "newsletter"),
            ("segment", ""),
            ("lang", "he"),
            ("subject", "שלום {{ person.first_name }}"),
            (
                "body",
                "מה חדש אצלנו החודש. [לפרטים](https://yad-beyad.example/news)",
            ),
        ],
    )
    .await;
    let at = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let Some(id) = at.split('/').nth(4).and_then(|s| s.split('?').next()) else {
        return Err(format!("campaign not saved: {}", r.status()));
    };
    let r = post_form(
        c,
        base,
        &format!("/orgs/{ORG}/campaigns/{id}"),
        &format!("/orgs/{ORG}/campaigns/{id}/send"),
        &[("when", "now")],
    )
    .await;
    if r.status().is_redirection() {
        Ok(())
    } else {
        Err(format!("campaign not sent: {}", r.status()))
    }
}

/// One request of the mix, chosen by `k`; `Ok` when the answer is the expected one.
async fn one(
    k: u64,
    t: &Targets,
    web: &reqwest::Client,
    api: &reqwest::Client,
    anon: &reqwest::Client,
) -> Result<(), String> {
    let b = &t.base;
    let pick = |v: &Vec<String>| v[(k as usize / 7) % v.len()].clone();
    let (what, r) = match k % 10 {
        0..=2 => {
            let page = [
                format!("/orgs/{ORG}"),
                format!("/orgs/{ORG}/people"),
                format!("/orgs/{ORG}/inbox"),
                format!("/orgs/{ORG}/studio"),
                format!("/orgs/{ORG}/campaigns"),
                format!("/orgs/{ORG}/calendar"),
            ][(k as usize / 10) % 6]
                .clone();
            (page.clone(), web.get(format!("{b}{page}")).send().await)
        }
        3 | 4 => {
            let page = if k.is_multiple_of(2) || t.posts.is_empty() {
                format!("/o/{ORG}")
            } else {
                format!("/o/{ORG}/p/{}", pick(&t.posts))
            };
            (page.clone(), anon.get(format!("{b}{page}")).send().await)
        }
        5 | 6 => {
            let page = format!("/l/{}", pick(&t.links));
            (page.clone(), anon.get(format!("{b}{page}")).send().await)
        }
        7 => {
            // Each sign-up from its own address, as a proxy in front would say.
            let ip = format!("10.{}.{}.{}", (k >> 16) & 255, (k >> 8) & 255, k & 255);
            let email = format!("soak{k}@example.org");
            (
                "form".into(),
                anon.post(format!("{b}/f/{}", t.form))
                    .header("x-forwarded-for", ip)
                    .form(&[("first_name", "מבקרת"), ("email", email.as_str()), ("consent", "0")])
                    .send()
                    .await,
            )
        }
        8 => (
            "api read".into(),
            api.get(format!("{b}/api/v1/orgs/{ORG}/people?limit=20"))
                .bearer_auth(&t.token)
                .send()
                .await,
        ),
        _ => (
            "api write".into(),
            api.post(format!("{b}/api/v1/orgs/{ORG}/people"))
                .bearer_auth(&t.token)
                .json(&serde_json::json!({"first_name": "נועה", "email": format!("api{k}@example.org")}))
                .send()
                .await,
        ),
    };
    match r {
        Ok(r) if r.status().is_success() || r.status().is_redirection() => {
            // Read the body whole, as a browser would.
            r.bytes()
                .await
                .map(|_| ())
                .map_err(|e| format!("{what}: {e}"))
        }
        Ok(r) => Err(format!("{what}: {}", r.status())),
        Err(e) => Err(format!("{what}: {e}")),
    }
}

async fn targets(url: &str, base: &str, web: &reqwest::Client) -> Targets {
    let db = Db::connect(url, 1).await.unwrap();
    let (org,): (i64,) = kehilla_db::sqlx::query_as("SELECT id FROM organizations WHERE slug = $1")
        .bind(ORG)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (form,): (String,) = kehilla_db::sqlx::query_as(
        "SELECT public_id FROM forms WHERE organization_id = $1 ORDER BY id LIMIT 1",
    )
    .bind(org)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let links: Vec<(String,)> =
        kehilla_db::sqlx::query_as("SELECT code FROM links WHERE organization_id = $1 LIMIT 50")
            .bind(org)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let posts: Vec<(String,)> = kehilla_db::sqlx::query_as(
        "SELECT slug FROM posts WHERE organization_id = $1 AND status = 'published' AND slug <> '' LIMIT 50",
    )
    .bind(org)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    db.close().await;
    assert!(!links.is_empty(), "the demo has tracked links");
    let r = post_form(
        web,
        base,
        &format!("/orgs/{ORG}/settings/tokens"),
        &format!("/orgs/{ORG}/settings/tokens"),
        &[("name", "soak"), ("scope", "write")],
    )
    .await;
    let html = r.text().await.unwrap();
    let token = html
        .split("id=\"new-token\" readonly dir=\"ltr\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an API token")
        .to_string();
    Targets {
        base: base.to_string(),
        form,
        links: links.into_iter().map(|l| l.0).collect(),
        posts: posts.into_iter().map(|p| p.0).collect(),
        token,
    }
}

/// The least-squares slope of resident memory over time, in MiB a minute.
fn growth(samples: &[(f64, u64)]) -> f64 {
    let n = samples.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mib = |b: u64| b as f64 / 1_048_576.0;
    let mx = samples.iter().map(|s| s.0).sum::<f64>() / n;
    let my = samples.iter().map(|s| mib(s.1)).sum::<f64>() / n;
    let sxy: f64 = samples.iter().map(|s| (s.0 - mx) * (mib(s.1) - my)).sum();
    let sxx: f64 = samples.iter().map(|s| (s.0 - mx).powi(2)).sum();
    if sxx == 0.0 { 0.0 } else { sxy / sxx }
}

/// The highest resident memory of each five minutes (ten samples), at their mean time: `serve`
/// gives freed memory back once a minute, so single samples saw-tooth with when they fell.
fn peaks(samples: &[(f64, u64)]) -> Vec<(f64, u64)> {
    samples
        .chunks(10)
        .map(|c| {
            let at = c.iter().map(|s| s.0).sum::<f64>() / c.len() as f64;
            (at, c.iter().map(|s| s.1).max().unwrap_or(0))
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!(
            "soak run: `cargo bench -p kehilla --bench soak -- [minutes] [requests per second]`"
        );
        return;
    }
    let rest: Vec<&String> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let minutes: u64 = rest.first().map_or(Ok(30), |s| s.parse()).unwrap();
    let rate: u64 = rest.get(1).map_or(Ok(40), |s| s.parse()).unwrap();
    assert!(minutes > 0 && (1..=2000).contains(&rate));

    let work = std::env::temp_dir().join(format!("kehilla-soak-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let url = format!("sqlite://{}/kehilla.sqlite3?mode=rwc", work.display());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let ticks = clock_ticks();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"))
        .args(["serve", "--demo"])
        .env("KEHILLA_DATABASE_URL", &url)
        .env("KEHILLA_DATA_DIR", work.join("data"))
        .env("KEHILLA_LISTEN", format!("127.0.0.1:{port}"))
        .env("KEHILLA_BASE_URL", &base)
        .env("KEHILLA_TRUST_PROXY", "true")
        .env("KEHILLA_LOG_LEVEL", "error")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let anon = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let up = Instant::now();
    while anon.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            up.elapsed() < Duration::from_secs(120),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let web = signed_in(&base).await;
    let t = Arc::new(targets(&url, &base, &web).await);
    let api = reqwest::Client::new();
    println!(
        "soak: {minutes} min at {rate} requests/s; {} links, {} site posts",
        t.links.len(),
        t.posts.len()
    );
    println!(
        "{:>6} {:>9} {:>6} {:>8} {:>8} {:>8} {:>9} {:>6}",
        "min", "requests", "errors", "p50 ms", "p99 ms", "max ms", "RSS MiB", "CPU %"
    );

    let window = Arc::new(Mutex::new(Window::default()));
    let total = Arc::new(AtomicU64::new(0));
    let all_errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let slots = Arc::new(tokio::sync::Semaphore::new(64));
    let end = Instant::now() + Duration::from_secs(minutes * 60);
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / rate));
    let mut next_sample = Instant::now() + Duration::from_secs(30);
    let mut next_campaign = Instant::now();
    let mut last_cpu = cpu_seconds(&pid, ticks);
    let mut last_at = Instant::now();
    let mut samples: Vec<(f64, u64)> = Vec::new();
    let started = Instant::now();
    let mut k: u64 = 0;
    let mut campaigns: u64 = 0;
    while Instant::now() < end {
        tick.tick().await;
        if Instant::now() >= next_campaign {
            next_campaign += Duration::from_secs(300);
            campaigns += 1;
            if let Err(e) = campaign(&web, &base, campaigns).await {
                all_errors.lock().unwrap().push(e);
            }
        }
        k += 1;
        let permit = slots.clone().acquire_owned().await.unwrap();
        let (t, web, api, anon) = (t.clone(), web.clone(), api.clone(), anon.clone());
        let (w_of, total) = (window.clone(), total.clone());
        tokio::spawn(async move {
            let at = Instant::now();
            let r = one(k, &t, &web, &api, &anon).await;
            let took = at.elapsed();
            total.fetch_add(1, Ordering::Relaxed);
            let mut w = w_of.lock().unwrap();
            w.times.push(took);
            if let Err(e) = r {
                w.errors.push(e);
            }
            drop(permit);
        });
        if Instant::now() >= next_sample {
            next_sample += Duration::from_secs(30);
            let w = std::mem::take(&mut *window.lock().unwrap());
            let mut times = w.times;
            times.sort();
            let rss = memory(&pid, "VmRSS");
            let cpu = cpu_seconds(&pid, ticks);
            let cpu_pct = (cpu - last_cpu) / last_at.elapsed().as_secs_f64() * 100.0;
            last_cpu = cpu;
            last_at = Instant::now();
            let minute = started.elapsed().as_secs_f64() / 60.0;
            samples.push((minute, rss));
            if !times.is_empty() {
                println!(
                    "{:>6.1} {:>9} {:>6} {:>8.1} {:>8.1} {:>8.1} {:>9.1} {:>6.0}",
                    minute,
                    times.len(),
                    w.errors.len(),
                    ms(percentile(&times, 0.5)),
                    ms(percentile(&times, 0.99)),
                    ms(*times.last().unwrap()),
                    rss as f64 / 1_048_576.0,
                    cpu_pct
                );
            }
            all_errors.lock().unwrap().extend(w.errors);
        }
    }
    // Let the last requests finish.
    let _ = slots.acquire_many(64).await;
    let last = std::mem::take(&mut *window.lock().unwrap());
    all_errors.lock().unwrap().extend(last.errors);
    let peak = memory(&pid, "VmHWM");
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&work);

    let errors = all_errors.lock().unwrap().clone();
    let third = samples.len() / 3;
    let peak_of = |s: &[(f64, u64)]| s.iter().map(|x| x.1).max().unwrap_or(0);
    let middle = peak_of(&samples[third..2 * third]);
    let late = peak_of(&samples[2 * third..]);
    let five = peaks(&samples);
    let fifth = five.len() / 3;
    println!(
        "soak: {} requests, {campaigns} campaigns, {} errors; peak memory {:.1} MiB; \
         resident peak of the middle third {:.1} MiB, of the last third {:.1} MiB; \
         growth of the five-minute peaks {:.3} MiB/min in the first third, {:.3} in the middle, \
         {:.3} in the last",
        total.load(Ordering::Relaxed),
        errors.len(),
        peak as f64 / 1_048_576.0,
        middle as f64 / 1_048_576.0,
        late as f64 / 1_048_576.0,
        growth(&five[..fifth]),
        growth(&five[fifth..2 * fifth]),
        growth(&five[2 * fifth..]),
    );
    for e in errors.iter().take(20) {
        println!("  error: {e}");
    }
    assert!(errors.is_empty(), "{} errors", errors.len());
    assert!(
        samples.len() < 6 || late as f64 <= middle as f64 * 1.10 + 8.0 * 1_048_576.0,
        "memory still growing in the last third"
    );
    println!("soak: no errors, and memory levelled off");
}
