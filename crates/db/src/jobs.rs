//! The durable job queue: a table of leased jobs, on both backends.
//!
//! - **Enqueue in the same transaction** as the change a job belongs to: [`enqueue`] takes any
//!   executor, so a handler passes its open transaction and the job exists iff the change does.
//! - **Leases**: a claim sets `lease_until`; a job whose worker died is claimed again once the
//!   lease has passed. Every claim draws a fresh `lease_token`, and completing, failing or
//!   extending a job needs that token — a worker that lost its lease cannot touch the job.
//! - **Claiming** is one `UPDATE … WHERE id = (SELECT … LIMIT 1)` statement. SQLite runs it under
//!   its single write lock; PostgreSQL adds `FOR UPDATE SKIP LOCKED`, so two `kehilla serve`
//!   processes never take the same job.
//! - **Unique keys** deduplicate for good: a second job with a key that was ever used is not
//!   created (recurring jobs put their period in the key).
//! - **Retries** with exponential backoff until `max_attempts`, then `dead`, where admins see the
//!   job and can send it back to the queue.

use sqlx::{Any, Executor, FromRow};

use crate::{Backend, Db, DbError, Result, new_public_id, now_ms, random_hex};

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const DEAD: &str = "dead";

#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: serde_json::Value,
    pub organization_id: Option<i64>,
    pub unique_key: Option<String>,
    pub run_at: i64,
    pub max_attempts: i64,
}

impl<'a> NewJob<'a> {
    pub fn new(kind: &'a str, payload: serde_json::Value) -> Self {
        NewJob {
            kind,
            payload,
            organization_id: None,
            unique_key: None,
            run_at: now_ms(),
            max_attempts: 8,
        }
    }
    pub fn org(mut self, id: i64) -> Self {
        self.organization_id = Some(id);
        self
    }
    pub fn unique(mut self, key: impl Into<String>) -> Self {
        self.unique_key = Some(key.into());
        self
    }
    pub fn at(mut self, run_at: i64) -> Self {
        self.run_at = run_at;
        self
    }
    pub fn max_attempts(mut self, n: i64) -> Self {
        self.max_attempts = n.max(1);
        self
    }
}

/// Adds a job. Returns its id, or `None` when a job with the same unique key already exists.
pub async fn enqueue<'c, E: Executor<'c, Database = Any>>(
    e: E,
    job: NewJob<'_>,
) -> Result<Option<i64>> {
    let now = now_ms();
    let r: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO jobs (public_id, organization_id, kind, payload, unique_key, status, \
         max_attempts, run_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, $8) \
         ON CONFLICT (unique_key) DO NOTHING RETURNING id",
    )
    .bind(new_public_id())
    .bind(job.organization_id)
    .bind(job.kind)
    .bind(job.payload.to_string())
    .bind(job.unique_key)
    .bind(job.max_attempts)
    .bind(job.run_at)
    .bind(now)
    .fetch_optional(e)
    .await?;
    Ok(r.map(|r| r.0))
}

/// Queues a keyed job again to run at `at` (unless it is running: a running job reads its
/// work's state itself). False when there is no such job or it runs.
pub async fn requeue<'c, E: Executor<'c, Database = Any>>(
    e: E,
    unique_key: &str,
    at: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE jobs SET status = 'queued', run_at = $1, attempts = 0, updated_at = $2, \
         finished_at = NULL WHERE unique_key = $3 AND status <> 'running' \
         AND NOT (status = 'queued' AND run_at <= $1)",
    )
    .bind(at)
    .bind(now_ms())
    .bind(unique_key)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A job held by a worker.
#[derive(Debug, Clone, FromRow)]
pub struct Claimed {
    pub id: i64,
    pub public_id: String,
    pub organization_id: Option<i64>,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub lease_token: String,
}

/// A job whose lease ran out (its worker died), oldest lease first.
const EXPIRED: &str =
    "status = 'running' AND lease_until < $4 AND attempts < max_attempts ORDER BY lease_until";
/// The queued job due first: one step along the `jobs_queue` index (status, run_at, id),
/// however long the queue.
const NEXT_QUEUED: &str =
    "status = 'queued' AND run_at <= $4 AND attempts < max_attempts ORDER BY run_at, id";

/// Claims the next due job for `worker` until `now + lease_ms`, if there is one: a job whose
/// lease ran out first, then the queued job due first.
pub async fn claim(db: &Db, worker: &str, now: i64, lease_ms: i64) -> Result<Option<Claimed>> {
    for pick in [EXPIRED, NEXT_QUEUED] {
        if let Some(job) = claim_where(db, worker, now, lease_ms, pick).await? {
            return Ok(Some(job));
        }
    }
    Ok(None)
}

/// Claims the queued job due first only. A busy worker calls this between the sweeps for
/// expired leases: the rows of jobs once running stay in the status index until the table is
/// vacuumed, so looking for expired leases costs more the more jobs have run.
pub async fn claim_queued(
    db: &Db,
    worker: &str,
    now: i64,
    lease_ms: i64,
) -> Result<Option<Claimed>> {
    claim_where(db, worker, now, lease_ms, NEXT_QUEUED).await
}

async fn claim_where(
    db: &Db,
    worker: &str,
    now: i64,
    lease_ms: i64,
    pick: &str,
) -> Result<Option<Claimed>> {
    let lock = match db.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = $1, \
         lease_token = $2, locked_by = $3, updated_at = $4 \
         WHERE id = (SELECT id FROM jobs WHERE {pick} LIMIT 1 {lock}) \
         RETURNING id, public_id, organization_id, kind, payload, attempts, max_attempts, lease_token"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now + lease_ms)
        .bind(random_hex(16))
        .bind(worker)
        .bind(now)
        .fetch_optional(&db.pool)
        .await?)
}

/// Jobs whose lease ran out on their last allowed attempt are dead: their worker died each time.
pub async fn bury_expired(db: &Db, now: i64) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE jobs SET status = 'dead', finished_at = $1, updated_at = $1, lease_token = NULL, \
         last_error = 'the worker stopped before finishing, on every attempt' \
         WHERE status = 'running' AND lease_until < $1 AND attempts >= max_attempts",
    )
    .bind(now)
    .execute(&db.pool)
    .await?
    .rows_affected())
}

/// Marks a job done. False when the lease was lost (another worker may have it now).
pub async fn complete<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    lease_token: &str,
) -> Result<bool> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE jobs SET status = 'done', finished_at = $1, updated_at = $1, lease_until = NULL, \
         lease_token = NULL WHERE id = $2 AND lease_token = $3 AND status = 'running'",
    )
    .bind(now)
    .bind(id)
    .bind(lease_token)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Empties a job's payload once it holds nothing worth keeping (a secret that has been used).
pub async fn clear_payload<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<()> {
    sqlx::query("UPDATE jobs SET payload = '{}' WHERE id = $1")
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// Records a failed attempt: back to the queue at `retry_at`, or dead when attempts are used up
/// or the failure is permanent.
pub async fn fail(
    db: &Db,
    id: i64,
    lease_token: &str,
    error: &str,
    retry_at: i64,
    permanent: bool,
) -> Result<bool> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE jobs SET \
         status = CASE WHEN $1 = 1 OR attempts >= max_attempts THEN 'dead' ELSE 'queued' END, \
         finished_at = CASE WHEN $1 = 1 OR attempts >= max_attempts THEN $2 ELSE NULL END, \
         run_at = $3, last_error = $4, updated_at = $2, lease_until = NULL, lease_token = NULL, \
         locked_by = NULL WHERE id = $5 AND lease_token = $6 AND status = 'running'",
    )
    .bind(i64::from(permanent))
    .bind(now)
    .bind(retry_at)
    .bind(error)
    .bind(id)
    .bind(lease_token)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Extends a lease for a long job. False when the lease was already lost.
pub async fn extend(db: &Db, id: i64, lease_token: &str, until: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_token = $3 AND status = 'running'",
    )
    .bind(until)
    .bind(id)
    .bind(lease_token)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Gives back the jobs a stopping worker still holds, without counting the attempt.
/// Puts a running job back in the queue until `at` without counting the attempt (it waited,
/// it did not fail).
pub async fn postpone(db: &Db, id: i64, lease_token: &str, reason: &str, at: i64) -> Result<bool> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE jobs SET status = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, \
         run_at = $1, last_error = $2, updated_at = $3, lease_until = NULL, lease_token = NULL, locked_by = NULL \
         WHERE id = $4 AND lease_token = $5 AND status = 'running'",
    )
    .bind(at)
    .bind(reason)
    .bind(now)
    .bind(id)
    .bind(lease_token)
    .execute(&db.pool)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn release_worker(db: &Db, worker: &str) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE jobs SET status = 'queued', attempts = attempts - 1, lease_until = NULL, \
         lease_token = NULL, locked_by = NULL, updated_at = $1 \
         WHERE locked_by = $2 AND status = 'running'",
    )
    .bind(now_ms())
    .bind(worker)
    .execute(&db.pool)
    .await?
    .rows_affected())
}

#[derive(Debug, Clone, FromRow)]
pub struct JobRow {
    pub id: i64,
    pub public_id: String,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
    pub last_error: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const ROW_COLS: &str = "id, public_id, kind, status, attempts, max_attempts, run_at, last_error, created_at, finished_at";

/// An organization's jobs in one status, newest first.
pub async fn of_org<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    status: &str,
    limit: i64,
) -> Result<Vec<JobRow>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {ROW_COLS} FROM jobs WHERE organization_id = $1 AND status = $2 \
         ORDER BY id DESC LIMIT $3"
    ))
    .bind(org_id)
    .bind(status)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

pub async fn by_id<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<JobRow> {
    sqlx::query_as(crate::sql!("SELECT {ROW_COLS} FROM jobs WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await?
        .ok_or(DbError::NotFound)
}

/// How many of an organization's jobs are in each status.
pub async fn counts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT status, COUNT(*) FROM jobs WHERE organization_id = $1 GROUP BY status ORDER BY status",
    )
    .bind(org_id)
    .fetch_all(e)
    .await?)
}

/// Sends a dead job of an organization back to the queue with fresh attempts.
pub async fn retry_dead<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    public_id: &str,
) -> Result<()> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE jobs SET status = 'queued', attempts = 0, run_at = $1, updated_at = $1, \
         finished_at = NULL WHERE organization_id = $2 AND public_id = $3 AND status = 'dead'",
    )
    .bind(now)
    .bind(org_id)
    .bind(public_id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

/// The instant of the next due job, so an idle worker can sleep exactly until then.
pub async fn next_run_at(db: &Db) -> Result<Option<i64>> {
    let r: Option<(Option<i64>,)> = sqlx::query_as(
        "SELECT MIN(CASE WHEN status = 'queued' THEN run_at ELSE lease_until END) FROM jobs \
         WHERE status IN ('queued', 'running')",
    )
    .fetch_optional(&db.pool)
    .await?;
    Ok(r.and_then(|r| r.0))
}

pub async fn record_probe<'c, E: Executor<'c, Database = Any>>(
    e: E,
    job_id: i64,
    worker: &str,
    started_at: i64,
    finished_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO job_probes (job_id, worker, started_at, finished_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(job_id)
    .bind(worker)
    .bind(started_at)
    .bind(finished_at)
    .execute(e)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct Probe {
    pub job_id: i64,
    pub worker: String,
    pub started_at: i64,
    pub finished_at: i64,
}

pub async fn probes<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<Vec<Probe>> {
    Ok(sqlx::query_as(
        "SELECT job_id, worker, started_at, finished_at FROM job_probes ORDER BY job_id, started_at",
    )
    .fetch_all(e)
    .await?)
}
