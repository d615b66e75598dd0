//! Faults: the database gone for 30 seconds in the middle of a campaign and of a publication,
//! a full disk during an import and an upload, a relay that hangs, a network that answers
//! slowly. In each, the service keeps answering with clear errors and then resumes with
//! nothing lost and nothing sent twice.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::messaging::{campaign_row, new_campaign, seed_subscribers};
use crate::publishing::{connect_channel, new_channel};
use crate::support::proxy::Proxy;
use crate::support::smtp::Sink;
use crate::support::{Backend, Browser, TestApp, backends, location};

/// A Mastodon server that can hold its answer to a new status until the test lets it go —
/// a network that answers slowly, or whose answer arrives while Kehilla's database is away.
#[derive(Default)]
struct Slow {
    /// Calls to create a status, counted before any answer.
    calls: usize,
    /// Idempotency-Key → the status made with it (Mastodon's documented behaviour).
    keys: Vec<(String, Value)>,
    hold: bool,
}

#[derive(Clone)]
struct SlowState {
    inner: Arc<Mutex<Slow>>,
    arrived: Arc<tokio::sync::Notify>,
    gate: Arc<tokio::sync::watch::Sender<bool>>,
}

async fn verify(h: HeaderMap) -> Response {
    if h.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer good-token") {
        return (
            axum::http::StatusCode::UNAUTHORIZED,
            Json(json!({"error": "The access token is invalid"})),
        )
            .into_response();
    }
    Json(json!({"id": "1", "acct": "yadbeyad"})).into_response()
}

async fn instance() -> Json<Value> {
    Json(json!({"configuration": {"statuses": {"max_characters": 500}}}))
}

async fn status(State(s): State<SlowState>, h: HeaderMap, Json(body): Json<Value>) -> Response {
    let key = h
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let hold = {
        let mut f = s.inner.lock().unwrap();
        f.calls += 1;
        f.hold
    };
    if hold {
        s.arrived.notify_one();
        let mut rx = s.gate.subscribe();
        let _ = rx.wait_for(|open| *open).await;
    }
    let mut f = s.inner.lock().unwrap();
    if let Some((_, v)) = f.keys.iter().find(|(k, _)| *k == key) {
        return Json(v.clone()).into_response();
    }
    let id = format!("{}", 100 + f.keys.len());
    let v = json!({"id": id, "url": format!("https://masto.example/@yadbeyad/{id}"),
                   "content": body["status"]});
    f.keys.push((key, v.clone()));
    Json(v).into_response()
}

async fn slow_mastodon() -> (String, SlowState) {
    let state = SlowState {
        inner: Arc::default(),
        arrived: Arc::default(),
        gate: Arc::new(tokio::sync::watch::channel(true).0),
    };
    let app = axum::Router::new()
        .route("/api/v1/accounts/verify_credentials", get(verify))
        .route("/api/v2/instance", get(instance))
        .route("/api/v1/statuses", post(status))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

impl SlowState {
    fn hold(&self) {
        self.inner.lock().unwrap().hold = true;
        self.gate.send_replace(false);
    }
    fn release(&self) {
        self.inner.lock().unwrap().hold = false;
        self.gate.send_replace(true);
    }
}

/// A Mastodon channel of `yad` connected to `server`, and a post on it whose time has come.
async fn post_due(app: &TestApp, owner: &Browser, server: &str, text: &str) -> String {
    let ch = new_channel(app, owner, &[("network", "mastodon"), ("name", "מסטודון")]).await;
    let r = connect_channel(
        owner,
        &ch,
        &[("server_url", server), ("token", "good-token")],
    )
    .await;
    assert!(location(&r).contains("done=channel-connected"));
    let token = owner.create_token("yad", "write").await;
    let api = reqwest::Client::new();
    let p: Value = api
        .post(app.url("/api/v1/orgs/yad/posts"))
        .bearer_auth(&token)
        .json(&json!({"kind": "status", "body": text, "channels": [ch],
                       "scheduled_at": "2099-03-02T10:00"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = p["id"].as_str().unwrap().to_string();
    let r = api
        .post(app.url(&format!("/api/v1/orgs/yad/posts/{id}/actions")))
        .bearer_auth(&token)
        .json(&json!({"action": "schedule"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    kehilla_db::sqlx::query("UPDATE posts SET scheduled_at = $1 WHERE public_id = $2")
        .bind(kehilla_db::now_ms() - 1000)
        .bind(&id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    id
}

async fn post_status(app: &TestApp, id: &str) -> String {
    let (s,): (String,) =
        kehilla_db::sqlx::query_as("SELECT status FROM posts WHERE public_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    s
}

/// Waits for something another task does (the server's own workers), with a deadline.
async fn until<F: std::future::Future<Output = bool>>(what: &str, secs: u64, f: impl Fn() -> F) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f().await {
        assert!(Instant::now() < deadline, "{what}: not within {secs} s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_database_gone_for_thirty_seconds_mid_campaign_and_mid_publish_loses_and_repeats_nothing()
 {
    if !backends().contains(&Backend::Postgres) {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    }
    let proxy = Proxy::start(Proxy::target_of(
        &std::env::var("TEST_DATABASE_URL").unwrap(),
    ))
    .await;
    let sink = Sink::start().await;
    let relay = format!("{}?connections=4", sink.url());
    let (server, masto) = slow_mastodon().await;
    let app = TestApp::spawn_via(
        Backend::Postgres,
        |s| {
            s.job_workers = 2;
            s.job_lease_secs = 3;
            s.fetch_private = true;
            s.campaign_relays = vec![kehilla_app::settings::Secret(relay.clone())];
        },
        |url| proxy.route(url),
    )
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let n = 300;
    seed_subscribers(&app.db, org.id, n, "f").await;

    // A publication whose network answers only once the database is gone…
    masto.hold();
    let post = post_due(&app, &owner, &server, "עדכון לפני התקלה").await;
    tokio::time::timeout(Duration::from_secs(60), masto.arrived.notified())
        .await
        .expect("the publication reached the network");
    // …and a campaign a third of the way through.
    sink.hold_after(100);
    let id = new_campaign(&owner, "שלום {{ person.first_name }}").await;
    let r = owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now")],
        )
        .await;
    assert!(location(&r).contains("done=campaign-sending"));
    tokio::time::timeout(Duration::from_secs(120), sink.wait_held())
        .await
        .expect("the campaign reached its hundredth message");

    proxy.cut();
    let gone = Instant::now();
    // The service answers, and says what is wrong, in the person's language.
    let r = owner.get("/orgs/yad/campaigns").await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.headers()["retry-after"], "30");
    assert!(r.text().await.unwrap().contains("למסד הנתונים"));
    let probe = app.browser();
    assert_eq!(
        probe.get("/healthz").await.status(),
        StatusCode::OK,
        "the process lives"
    );
    assert_eq!(
        probe.get("/readyz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    // The relay and the network answer while the database is still away.
    sink.release();
    masto.release();
    tokio::time::sleep(Duration::from_secs(30).saturating_sub(gone.elapsed())).await;
    proxy.restore();

    let campaign = campaign_row(&app, &id).await.id;
    until("the campaign finishes", 240, || async {
        campaign_row(&app, &id).await.status == "sent"
    })
    .await;
    until("the post is published", 120, || async {
        post_status(&app, &post).await == "published"
    })
    .await;
    let (sent,): (i64,) = kehilla_db::sqlx::query_as(
        "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = $1 AND status = 'sent'",
    )
    .bind(campaign)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(sent, n as i64, "every recipient recorded once");
    let mails = sink.all();
    let mut ids: Vec<String> = mails
        .iter()
        .map(|m| m.header("Message-ID").unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "no gap");
    // Only a message whose relay said 250 while the database was away can come again, with
    // its Message-ID: at most one per connection.
    let repeats = mails.len() - n;
    eprintln!("campaign: {} messages for {n} recipients", mails.len());
    assert!(repeats <= 4, "{repeats} repeats");
    let statuses = masto.inner.lock().unwrap().keys.len();
    assert_eq!(statuses, 1, "one status on the network");
    let (remote,): (Option<String>,) =
        kehilla_db::sqlx::query_as("SELECT remote_id FROM publications ORDER BY id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(remote.as_deref(), Some("100"));
    assert_eq!(
        owner.get("/orgs/yad/campaigns").await.status(),
        StatusCode::OK
    );
    app.stop().await;
}

#[tokio::test]
async fn a_slow_network_keeps_its_job_leased_and_the_service_answering_meanwhile() {
    let (server, masto) = slow_mastodon().await;
    let app = TestApp::spawn_on(Backend::Sqlite, |s| {
        s.job_workers = 2;
        s.job_lease_secs = 1;
        s.fetch_private = true;
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    masto.hold();
    let post = post_due(&app, &owner, &server, "עדכון איטי").await;
    tokio::time::timeout(Duration::from_secs(60), masto.arrived.notified())
        .await
        .expect("the publication reached the network");
    // The network takes five leases' time to answer; pages are served all along.
    let slow = Instant::now();
    while slow.elapsed() < Duration::from_secs(5) {
        assert_eq!(owner.get("/orgs/yad/studio").await.status(), StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let (state,): (String,) = kehilla_db::sqlx::query_as("SELECT state FROM publications")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        state, "sending",
        "the call is under way, recorded before it began"
    );
    masto.release();
    until("the post is published", 60, || async {
        post_status(&app, &post).await == "published"
    })
    .await;
    // The lease was kept alive: no second worker took the job and called again.
    assert_eq!(masto.inner.lock().unwrap().calls, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_hanging_relay_is_given_up_on_and_its_messages_go_later_once_each() {
    let sink = Sink::start().await;
    sink.behaviour.lock().unwrap().hang = 3;
    let relay = format!("{}?connections=2&timeout=2", sink.url());
    let app = TestApp::spawn_on(Backend::Sqlite, |s| {
        s.campaign_relays = vec![kehilla_app::settings::Secret(relay.clone())];
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let n = 20;
    seed_subscribers(&app.db, org.id, n, "h").await;
    let id = new_campaign(&owner, "שלום {{ person.first_name }}").await;
    owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now")],
        )
        .await;
    app.run_pending_jobs().await;
    let campaign = campaign_row(&app, &id).await;
    let count = |status: &'static str| {
        let db = app.db.clone();
        async move {
            let (c,): (i64,) = kehilla_db::sqlx::query_as(
                "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = $1 AND status = $2",
            )
            .bind(campaign.id)
            .bind(status)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            c
        }
    };
    // The three the relay sat on, and any that waited behind them for a connection.
    let deferred = count("deferred").await;
    assert!(deferred >= 3, "{deferred}");
    assert_eq!(count("sent").await + deferred, n as i64);
    let (error,): (String,) = kehilla_db::sqlx::query_as(
        "SELECT error FROM campaign_recipients WHERE campaign_id = $1 AND status = 'deferred' LIMIT 1",
    )
    .bind(campaign.id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(
        error.to_lowercase().contains("timed out") || error.to_lowercase().contains("timeout"),
        "{error}"
    );
    // Their time comes again; the relay answers now.
    kehilla_db::sqlx::query("UPDATE campaign_recipients SET next_at = 0 WHERE status = 'deferred'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    kehilla_db::sqlx::query("UPDATE jobs SET run_at = 0 WHERE status = 'queued'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(campaign_row(&app, &id).await.status, "sent");
    assert_eq!(count("sent").await, n as i64);
    let mut to: Vec<String> = sink.all().iter().map(|m| m.to.join(",")).collect();
    assert_eq!(to.len(), n, "each once");
    to.sort();
    to.dedup();
    assert_eq!(to.len(), n);
    app.stop().await;
}

/// A small filesystem of its own, unmounted when the test ends.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(dir: &std::path::Path, megabytes: u32) -> SmallDisk {
        let ok = as_root(&[
            "mount",
            "-t",
            "tmpfs",
            "-o",
            &format!("size={megabytes}m"),
            "tmpfs",
            dir.to_str().unwrap(),
        ]);
        assert!(
            ok,
            "mounting a small tmpfs needs root or sudo (CI runs as root)"
        );
        SmallDisk(dir.to_path_buf())
    }

    /// Fills the disk up to all but `leave` bytes.
    fn fill(&self, leave: u64) {
        let filler = self.0.join("filler");
        let _ = std::fs::remove_file(&filler);
        let free = fs_free(&self.0);
        let size = free.saturating_sub(leave);
        let f = std::fs::File::create(&filler).unwrap();
        // tmpfs allocates on write: write the bytes rather than set a length.
        let chunk = vec![0u8; 64 * 1024];
        let mut w = std::io::BufWriter::new(f);
        let mut left = size;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            if std::io::Write::write_all(&mut w, &chunk[..n]).is_err() {
                break;
            }
            left -= n as u64;
        }
        let _ = std::io::Write::flush(&mut w);
    }

    fn free_up(&self) {
        let _ = std::fs::remove_file(self.0.join("filler"));
    }
}

fn fs_free(dir: &std::path::Path) -> u64 {
    let out = std::process::Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(dir)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        as_root(&["umount", "-l", self.0.to_str().unwrap()]);
    }
}

/// Runs a command as root: directly when the tests run as root (CI), else through `sudo -n`.
fn as_root(cmd: &[&str]) -> bool {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut c = if root {
        std::process::Command::new(cmd[0])
    } else {
        let mut c = std::process::Command::new("sudo");
        c.args(["-n", cmd[0]]);
        c
    };
    c.args(&cmd[1..]).status().is_ok_and(|s| s.success())
}

#[tokio::test]
async fn a_full_disk_refuses_an_upload_and_pauses_an_import_which_then_finishes_once() {
    let dir = crate::support::temp_dir();
    let disk = SmallDisk::mount(&dir, 24);
    let testdb = crate::support::TestDb::new_in(Backend::Sqlite, dir.clone()).await;
    let app = TestApp::spawn_with(testdb, |_| {}, |u| u.to_string()).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let token = owner.create_token("yad", "write").await;

    // An import of 20,000 people, read and waiting.
    let n: i64 = 20_000;
    let mut csv = String::from("first_name,last_name,email\n");
    for i in 0..n {
        csv.push_str(&format!("אורח{i},ישראלי,guest{i}@example.org\n"));
    }
    let r = crate::people::upload(&owner, &app, "אורחים.csv", csv.into_bytes()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let imp = location(&r).rsplit('/').next().unwrap().to_string();

    // The disk fills up. An upload is refused, clearly, and leaves nothing behind.
    disk.fill(0);
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(kehilla_media::sample::photo(800, 600, 3))
                .file_name("a.jpg"),
        )
        .text("alt_text", "מתנדבים");
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/orgs/yad/media"))
        .bearer_auth(&token)
        .header("accept-language", "he")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::INSUFFICIENT_STORAGE);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "storage-full");
    let media_dir = app.testdb.dir.join("media");
    let files = walk(&media_dir);
    assert!(files.is_empty(), "half an upload left: {files:?}");
    // Reading goes on.
    assert_eq!(owner.get("/orgs/yad/people").await.status(), StatusCode::OK);

    // With a little room, the import starts and stops where the disk ends…
    disk.fill(3 * 1024 * 1024);
    let r = owner
        .post_form(
            &format!("/orgs/yad/imports/{imp}/start"),
            &[
                ("col0", "first_name"),
                ("col1", "last_name"),
                ("col2", "email"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.run_pending_jobs().await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let progress = kehilla_db::imports::get(&app.db.pool, org.id, &imp)
        .await
        .unwrap();
    assert_ne!(progress.status, "done");
    assert_ne!(progress.status, "failed", "a full disk is a passing fault");
    eprintln!(
        "import stopped after {} of {n} rows",
        progress.processed_rows
    );
    assert!(
        progress.processed_rows > 0 && progress.processed_rows < n,
        "{}",
        progress.processed_rows
    );
    let (_, page) = owner.get_text(&format!("/orgs/yad/imports/{imp}")).await;
    assert!(!page.is_empty());
    // …and once there is room again, it finishes: everyone once.
    disk.free_up();
    // The job's failure may not have been recorded either (the disk was full): its lease runs
    // out, and it is taken again. Time passes here by making it due.
    kehilla_db::sqlx::query("UPDATE jobs SET run_at = 0, lease_until = 0")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    let done = kehilla_db::imports::get(&app.db.pool, org.id, &imp)
        .await
        .unwrap();
    assert_eq!(done.status, "done");
    let (people, distinct): (i64, i64) =
        kehilla_db::sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT email) FROM people")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((people, distinct), (n, n));
    app.stop().await;
    drop(disk);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
