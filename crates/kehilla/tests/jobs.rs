//! The durable job queue through the product: retries, the dead list and its retry button, and
//! real `kehilla serve` processes sharing one PostgreSQL database.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kehilla_db::Db;
use kehilla_db::jobs::{self, NewJob};
use reqwest::StatusCode;

use crate::support::{Backend, TestApp, TestDb, location};

#[tokio::test]
async fn failing_jobs_back_off_then_die_and_admins_send_them_back() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let payload = serde_json::json!({"fail_attempts": 5});
    let id = jobs::enqueue(
        &app.db.pool,
        NewJob::new("probe", payload).org(1).max_attempts(2),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(app.run_pending_jobs().await, 1);
    let row = jobs::by_id(&app.db.pool, id).await.unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("queued", 1));
    let delay = row.run_at - kehilla_db::now_ms();
    assert!(
        (8_000..=10_000).contains(&delay),
        "first retry in ~10 s, got {delay} ms"
    );
    // Nothing is due until then.
    assert_eq!(app.run_pending_jobs().await, 0);
    kehilla_db::sqlx::query("UPDATE jobs SET run_at = 0")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(app.run_pending_jobs().await, 1);
    let row = jobs::by_id(&app.db.pool, id).await.unwrap();
    assert_eq!(row.status, "dead");
    assert!(row.last_error.contains("asked to fail attempt 2"));

    // The admin sees it in the UI, in Hebrew, and sends it back.
    let (s, html) = owner.get_text("/orgs/yad/settings/jobs").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("נכשלו (1)") && html.contains("asked to fail attempt 2"),
        "{html}"
    );
    let r = owner
        .post_form(
            &format!("/orgs/yad/settings/jobs/{}/retry", row.public_id),
            &[],
        )
        .await;
    assert_eq!(location(&r), "/orgs/yad/settings/jobs?done=job-retried");
    let row = jobs::by_id(&app.db.pool, id).await.unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("queued", 0));
    // An unknown kind is dead at once: retrying cannot teach the server a new kind.
    let bad = jobs::enqueue(
        &app.db.pool,
        NewJob::new("no-such-kind", serde_json::json!({})).org(1),
    )
    .await
    .unwrap()
    .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(jobs::by_id(&app.db.pool, bad).await.unwrap().status, "dead");
    app.stop().await;
}

fn kehilla(url: &str, lease_secs: u64) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kehilla"))
        .arg("serve")
        .env("KEHILLA_DATABASE_URL", url)
        .env("KEHILLA_LISTEN", "127.0.0.1:0")
        .env("KEHILLA_JOB_WORKERS", "4")
        .env("KEHILLA_JOB_LEASE_SECS", lease_secs.to_string())
        .env("KEHILLA_SHUTDOWN_GRACE_SECS", "1")
        .env("KEHILLA_LOG_LEVEL", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kehilla serve")
}

/// Polls `check` every 50 ms for at most `secs` seconds: other processes have no hook to await.
async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for: {what}");
}

async fn status(db: &Db, id: i64) -> String {
    jobs::by_id(&db.pool, id).await.unwrap().status
}

#[tokio::test]
async fn two_serve_processes_on_postgresql_never_run_a_job_twice() {
    if !crate::support::backends().contains(&Backend::Postgres) {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    }
    let t = TestDb::new(Backend::Postgres).await;
    let db = t.connect().await;
    let mut ids = Vec::new();
    for _ in 0..40 {
        let p = serde_json::json!({"pause_ms": 30});
        ids.push(
            jobs::enqueue(&db.pool, NewJob::new("probe", p))
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let mut a = kehilla(&t.url, 30);
    let mut b = kehilla(&t.url, 30);
    eventually(90, "all probe jobs done", || async {
        let (n,): (i64,) =
            kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE status = 'done'")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        n == 40
    })
    .await;
    let probes = jobs::probes(&db.pool).await.unwrap();
    let _ = (a.kill(), b.kill(), a.wait(), b.wait());
    assert_eq!(probes.len(), 40, "each job ran exactly once");
    let mut seen: Vec<i64> = probes.iter().map(|p| p.job_id).collect();
    seen.sort();
    assert_eq!(seen, ids);
    let workers: std::collections::BTreeSet<&str> =
        probes.iter().map(|p| p.worker.as_str()).collect();
    eprintln!("jobs were run by {} workers: {workers:?}", workers.len());
    db.close().await;
}

#[tokio::test]
async fn a_worker_that_dies_mid_job_does_not_lose_it() {
    if !crate::support::backends().contains(&Backend::Postgres) {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    }
    let t = TestDb::new(Backend::Postgres).await;
    let db = t.connect().await;
    // The first attempt hangs (as a crashed or stuck worker would); later ones finish at once.
    let p = serde_json::json!({"pause_ms": 600000, "pause_first_only": true});
    let id = jobs::enqueue(&db.pool, NewJob::new("probe", p))
        .await
        .unwrap()
        .unwrap();
    let mut a = kehilla(&t.url, 2);
    eventually(60, "process A holds the job", || async {
        status(&db, id).await == "running"
    })
    .await;
    let holder = jobs_locked_by(&db, id).await;
    a.kill().unwrap(); // SIGKILL: no chance to release anything.
    a.wait().unwrap();
    assert_eq!(
        status(&db, id).await,
        "running",
        "still leased to the dead worker"
    );
    let mut b = kehilla(&t.url, 2);
    eventually(
        60,
        "process B finishes the job after the lease expires",
        || async { status(&db, id).await == "done" },
    )
    .await;
    let _ = (b.kill(), b.wait());
    let probes = jobs::probes(&db.pool).await.unwrap();
    assert_eq!(probes.len(), 1);
    assert_ne!(probes[0].worker, holder, "run by the second process");
    assert_eq!(jobs::by_id(&db.pool, id).await.unwrap().attempts, 2);
    db.close().await;
}

#[tokio::test]
async fn sigterm_releases_the_leases_of_running_jobs() {
    if !crate::support::backends().contains(&Backend::Postgres) {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    }
    let t = TestDb::new(Backend::Postgres).await;
    let db = t.connect().await;
    let p = serde_json::json!({"pause_ms": 600000, "pause_first_only": true});
    let id = jobs::enqueue(&db.pool, NewJob::new("probe", p))
        .await
        .unwrap()
        .unwrap();
    let mut a = kehilla(&t.url, 300);
    eventually(60, "process A holds the job", || async {
        status(&db, id).await == "running"
    })
    .await;
    let term = Command::new("kill")
        .arg("-TERM")
        .arg(a.id().to_string())
        .status()
        .unwrap();
    assert!(term.success());
    let exit = a.wait().unwrap();
    assert!(exit.success(), "graceful exit: {exit:?}");
    let row = jobs::by_id(&db.pool, id).await.unwrap();
    assert_eq!(
        (row.status.as_str(), row.attempts),
        ("queued", 0),
        "released at once, attempt not counted"
    );
    db.close().await;
}

async fn jobs_locked_by(db: &Db, id: i64) -> String {
    let (w,): (Option<String>,) =
        kehilla_db::sqlx::query_as("SELECT locked_by FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    w.unwrap_or_default()
}
