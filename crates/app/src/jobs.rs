//! The job runner: claims due jobs from the queue and runs the handler of their kind.
//!
//! One `Worker` per process runs up to `concurrency` jobs at once. A job's lease is extended
//! while it runs, so only a worker that really died loses its jobs to another. On shutdown the
//! worker stops claiming, lets running jobs finish for a grace period, then gives back the
//! leases of those still running so another process takes them at once.
//!
//! Handlers must be idempotent: a job can run again after a crash at any point. Handlers that
//! only touch the database should complete the job in their own transaction
//! ([`kehilla_db::jobs::complete`] takes an executor) to make the hand-off exactly-once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use kehilla_db::jobs::{self, Claimed};
use kehilla_db::{Db, now_ms};

use crate::mail::Mailer;
use tokio::sync::{Notify, Semaphore, watch};

#[derive(Debug)]
pub enum JobError {
    /// Try again later, with backoff.
    Retry(String),
    /// Retrying cannot help: the job goes to the dead list.
    Permanent(String),
    /// Not a failure: the job waits until `at` (Unix ms), e.g. for a network's rate limit, and
    /// the attempt is not counted.
    Later { at: i64, reason: String },
}

/// A use case's error in a job: a database away or a full disk passes (try again later), and
/// so does an internal error; anything else (the input is wrong for good) does not.
impl From<crate::AppError> for JobError {
    fn from(e: crate::AppError) -> Self {
        use crate::AppError as A;
        match e {
            A::Unavailable(s) | A::StorageFull(s) | A::Internal(s) => JobError::Retry(s),
            other => JobError::Permanent(other.to_string()),
        }
    }
}

impl From<kehilla_db::DbError> for JobError {
    fn from(e: kehilla_db::DbError) -> Self {
        JobError::Retry(e.to_string())
    }
}

/// The id a job's payload names under `key` (`{"publication": 7}`); a payload without it can
/// never run, so the job is dead at once.
pub fn payload_id(job: &Claimed, key: &str) -> Result<i64, JobError> {
    serde_json::from_str::<serde_json::Value>(&job.payload)
        .ok()
        .and_then(|v| v.get(key).and_then(serde_json::Value::as_i64))
        .ok_or_else(|| JobError::Permanent(format!("no {key} id in the payload")))
}

/// How often a busy worker looks for jobs whose lease ran out.
const SWEEP_MS: i64 = 5_000;

pub struct JobContext {
    pub db: Db,
    pub worker_id: String,
    pub mailer: Mailer,
    /// The public address of the server, for links in messages.
    pub base_url: String,
    /// The settings the process runs with (keys, media store).
    pub settings: crate::Settings,
}

pub trait JobHandler: Send + Sync + 'static {
    fn kind(&self) -> &'static str;
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, Result<(), JobError>>;
}

#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
}

impl Registry {
    /// Every job kind of the product.
    pub fn standard() -> Registry {
        let mut r = Registry::default();
        r.add(ProbeJob);
        r.add(crate::accounts::PasswordResetMail);
        r.add(crate::people::forms::ConfirmationMail);
        r.add(crate::people::import::ImportJob);
        r.add(crate::studio::posts::NotificationMail);
        r.add(crate::publishing::PublishJob);
        r.add(crate::publishing::renew::RenewJob);
        r.add(crate::publishing::remove::RemoveJob);
        r.add(crate::publishing::profile::PushProfileJob);
        r.add(crate::publishing::figures::MetricsJob);
        r.add(crate::messaging::campaigns::TestSendJob);
        r.add(crate::messaging::send::SendJob);
        r.add(crate::home::events::EventMessageJob);
        r.add(crate::home::discussions::VerifyMail);
        r.add(crate::home::activitypub::DeliverJob);
        r.add(crate::inbox::poll::PollJob);
        r.add(crate::inbox::send::SendJob);
        r.add(crate::inbox::send::ModerateJob);
        r.add(crate::inbox::digest::DigestJob);
        r.add(crate::measure::RollupJob);
        r.add(crate::measure::CollectJob);
        r.add(crate::measure::report::ReportJob);
        r
    }
    pub fn add(&mut self, h: impl JobHandler) {
        self.handlers.insert(h.kind(), Arc::new(h));
    }
    fn get(&self, kind: &str) -> Option<Arc<dyn JobHandler>> {
        self.handlers.get(kind).cloned()
    }
}

/// The delay before attempt `attempts + 1`: 10 s, 20 s, 40 s … capped at one hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    10_000i64.saturating_mul(1i64 << exp.min(12)).min(3_600_000)
}

#[derive(Clone)]
pub struct Worker {
    ctx: Arc<JobContext>,
    registry: Registry,
    lease_ms: i64,
    concurrency: usize,
    wake: Arc<Notify>,
}

impl Worker {
    pub fn new(ctx: JobContext, registry: Registry, lease_secs: u64, concurrency: usize) -> Self {
        Worker {
            ctx: Arc::new(ctx),
            registry,
            lease_ms: i64::try_from(lease_secs.max(1)).unwrap_or(300) * 1000,
            concurrency: concurrency.max(1),
            wake: Arc::new(Notify::new()),
        }
    }

    pub fn id(&self) -> &str {
        &self.ctx.worker_id
    }

    /// Tells an idle worker that a job may be due now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Claims and runs one due job. `Ok(false)` when none is due.
    pub async fn run_one(&self) -> kehilla_db::Result<bool> {
        let now = now_ms();
        jobs::bury_expired(&self.ctx.db, now).await?;
        let Some(job) = jobs::claim(&self.ctx.db, &self.ctx.worker_id, now, self.lease_ms).await?
        else {
            return Ok(false);
        };
        self.execute(job).await;
        Ok(true)
    }

    /// Runs every job that is due, one after the other, until none is left: the deterministic
    /// hook tests use instead of sleeping.
    pub async fn run_pending(&self) -> kehilla_db::Result<usize> {
        let mut n = 0;
        while self.run_one().await? {
            n += 1;
        }
        Ok(n)
    }

    async fn execute(&self, job: Claimed) {
        let db = &self.ctx.db;
        let Some(handler) = self.registry.get(&job.kind) else {
            let _ = jobs::fail(
                db,
                job.id,
                &job.lease_token,
                "unknown job kind",
                now_ms(),
                true,
            )
            .await;
            return;
        };
        let span =
            tracing::info_span!("job", id = job.id, kind = %job.kind, attempt = job.attempts);
        let _guard = span.enter();
        // Keep the lease alive while the handler runs.
        let heartbeat = {
            let db = db.clone();
            let (id, token, lease) = (job.id, job.lease_token.clone(), self.lease_ms);
            tokio::spawn(async move {
                let every =
                    Duration::from_millis(u64::try_from(lease / 3).unwrap_or(1000).max(100));
                loop {
                    tokio::time::sleep(every).await;
                    match jobs::extend(&db, id, &token, now_ms() + lease).await {
                        // Another worker holds it now (the lease ran out): stop.
                        Ok(false) => break,
                        Ok(true) => {}
                        // The database is away for a moment: try again on the next beat.
                        Err(e) => tracing::warn!(error = %e, "could not extend a job's lease"),
                    }
                }
            })
        };
        let result = handler.run(&self.ctx, &job).await;
        // The outcome is recorded even across a short outage of the database: a job done but
        // not recorded would run again once its lease ran out.
        let mut pause = Duration::from_millis(250);
        let mut outcome = self.record(&job, &result).await;
        while outcome.is_err() && pause <= Duration::from_secs(4) {
            tracing::warn!("could not record a job's outcome; trying again");
            tokio::time::sleep(pause).await;
            pause = pause.saturating_mul(2);
            outcome = self.record(&job, &result).await;
        }
        // The lease is kept until the outcome is recorded (or given up on).
        heartbeat.abort();
        if let Err(e) = outcome {
            tracing::error!(error = %e, "could not record the job's outcome; its lease will expire");
        }
    }

    async fn record(
        &self,
        job: &Claimed,
        result: &std::result::Result<(), JobError>,
    ) -> kehilla_db::Result<()> {
        let db = &self.ctx.db;
        match result {
            Ok(()) => jobs::complete(&db.pool, job.id, &job.lease_token)
                .await
                .map(|_| ()),
            Err(JobError::Retry(e)) => {
                tracing::warn!(error = %e, "job failed; will retry");
                jobs::fail(
                    db,
                    job.id,
                    &job.lease_token,
                    e,
                    now_ms() + backoff_ms(job.attempts),
                    false,
                )
                .await
                .map(|_| ())
            }
            Err(JobError::Later { at, reason }) => {
                tracing::info!(reason = %reason, until = at, "job waits");
                jobs::postpone(db, job.id, &job.lease_token, reason, *at)
                    .await
                    .map(|_| ())
            }
            Err(JobError::Permanent(e)) => {
                tracing::error!(error = %e, "job failed for good");
                jobs::fail(db, job.id, &job.lease_token, e, now_ms(), true)
                    .await
                    .map(|_| ())
            }
        }
    }

    /// Runs until `shutdown` turns true, then drains for `grace` and releases what is left.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>, grace: Duration) {
        let slots = Arc::new(Semaphore::new(self.concurrency));
        let mut running = tokio::task::JoinSet::new();
        tracing::info!(worker = %self.ctx.worker_id, concurrency = self.concurrency, "job worker started");
        // Expired leases are looked for at most every few seconds (they are rare: a worker
        // died); in between a claim is one indexed step.
        let mut last_sweep = 0;
        loop {
            if *shutdown.borrow() {
                break;
            }
            let Ok(permit) = slots.clone().acquire_owned().await else {
                break;
            };
            let now = now_ms();
            let claimed = if now - last_sweep >= SWEEP_MS {
                last_sweep = now;
                match jobs::bury_expired(&self.ctx.db, now).await {
                    Ok(_) => {
                        jobs::claim(&self.ctx.db, &self.ctx.worker_id, now, self.lease_ms).await
                    }
                    Err(e) => Err(e),
                }
            } else {
                jobs::claim_queued(&self.ctx.db, &self.ctx.worker_id, now, self.lease_ms).await
            };
            match claimed {
                Ok(Some(job)) => {
                    let me = self.clone();
                    running.spawn(async move {
                        me.execute(job).await;
                        drop(permit);
                    });
                    while running.try_join_next().is_some() {}
                    continue;
                }
                Ok(None) => drop(permit),
                Err(e) => {
                    drop(permit);
                    tracing::warn!(error = %e, "claiming a job failed; retrying shortly");
                }
            }
            // Idle: sleep until the next job is due (at most a second, so jobs enqueued by
            // another process are seen quickly), a local wake-up, or shutdown.
            let next = jobs::next_run_at(&self.ctx.db).await.ok().flatten();
            let wait = next.map(|t| (t - now_ms()).clamp(10, 1000)).unwrap_or(1000);
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(u64::try_from(wait).unwrap_or(1000))) => {}
                _ = self.wake.notified() => {}
                _ = shutdown.changed() => {}
            }
            while running.try_join_next().is_some() {}
        }
        let drained = tokio::time::timeout(grace, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            running.abort_all();
        }
        match jobs::release_worker(&self.ctx.db, &self.ctx.worker_id).await {
            Ok(n) => tracing::info!(released = n, "job worker stopped"),
            Err(e) => tracing::error!(error = %e, "releasing job leases failed"),
        }
    }
}

/// Sends a dead job of the member's organization back to the queue, with fresh attempts.
pub async fn retry_dead(
    db: &Db,
    by: &crate::members::OrgMember,
    public_id: &str,
    actor: &crate::audit::Actor,
) -> crate::Result<()> {
    let mut tx = db.begin().await?;
    jobs::retry_dead(&mut *tx, by.org.id, public_id).await?;
    crate::audit::record(
        &mut *tx,
        Some(by.org.id),
        actor,
        crate::audit::JOB_RETRIED,
        public_id,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `probe`: records which worker ran it and when, after an optional pause. Operators use it to
/// check that workers run (`kehilla jobs probe`); the queue's tests use it to prove that no job
/// runs twice at once.
pub struct ProbeJob;

#[derive(serde::Deserialize, serde::Serialize, Default)]
pub struct ProbePayload {
    #[serde(default)]
    pub pause_ms: u64,
    /// Pause only on the first attempt (to stand for a worker that hangs or dies once).
    #[serde(default)]
    pub pause_first_only: bool,
    /// Fail this many first attempts, to see retries happen.
    #[serde(default)]
    pub fail_attempts: i64,
}

impl JobHandler for ProbeJob {
    fn kind(&self) -> &'static str {
        "probe"
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let p: ProbePayload = serde_json::from_str(&job.payload)
                .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
            if job.attempts <= p.fail_attempts {
                return Err(JobError::Retry(format!(
                    "asked to fail attempt {}",
                    job.attempts
                )));
            }
            let started = now_ms();
            if !p.pause_first_only || job.attempts == 1 {
                tokio::time::sleep(Duration::from_millis(p.pause_ms.min(600_000))).await;
            }
            let mut tx = ctx.db.begin().await?;
            jobs::record_probe(&mut *tx, job.id, &ctx.worker_id, started, now_ms()).await?;
            // Completing inside the same transaction: the probe row exists iff the job is done.
            if !jobs::complete(&mut *tx, job.id, &job.lease_token).await? {
                return Err(JobError::Retry("lease lost".into()));
            }
            tx.commit()
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_ms(1), 10_000);
        assert_eq!(backoff_ms(2), 20_000);
        assert_eq!(backoff_ms(4), 80_000);
        assert_eq!(backoff_ms(50), 3_600_000);
        assert_eq!(backoff_ms(-3), 10_000);
    }
}
