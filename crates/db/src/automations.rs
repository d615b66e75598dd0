//! Automations' SQL: sequences, their steps (each a campaign with status `automation`) and the
//! runs of people through them.

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Automation {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub name: String,
    pub trigger_kind: String,
    pub trigger_ref: String,
    pub purpose: String,
    pub lang: String,
    pub active: i64,
    pub event_cursor: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, public_id, organization_id, name, trigger_kind, trigger_ref, purpose, lang, \
     active, event_cursor, created_at, updated_at";

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Step {
    pub id: i64,
    pub automation_id: i64,
    pub step_no: i64,
    pub delay_hours: i64,
    pub campaign_id: i64,
}

#[allow(clippy::too_many_arguments)]
pub async fn create<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    name: &str,
    trigger_kind: &str,
    trigger_ref: &str,
    purpose: &str,
    lang: &str,
) -> Result<Automation> {
    let now = now_ms();
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO automations (public_id, organization_id, name, trigger_kind, trigger_ref, purpose, lang, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING {COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(name)
    .bind(trigger_kind)
    .bind(trigger_ref)
    .bind(purpose)
    .bind(lang)
    .bind(now)
    .fetch_one(e)
    .await?)
}

pub async fn update<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
    name: &str,
    trigger_kind: &str,
    trigger_ref: &str,
    purpose: &str,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE automations SET name = $1, trigger_kind = $2, trigger_ref = $3, purpose = $4, updated_at = $5 \
         WHERE organization_id = $6 AND public_id = $7",
    )
    .bind(name)
    .bind(trigger_kind)
    .bind(trigger_ref)
    .bind(purpose)
    .bind(now_ms())
    .bind(org)
    .bind(public_id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

/// Switches an automation on (from the newest event: earlier ones do not start it) or off.
pub async fn set_active<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
    active: bool,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE automations SET active = $1, updated_at = $2, event_cursor = CASE WHEN $1 = 1 AND active = 0 \
         THEN COALESCE((SELECT MAX(id) FROM person_events WHERE organization_id = $3), 0) ELSE event_cursor END \
         WHERE organization_id = $3 AND public_id = $4",
    )
    .bind(i64::from(active))
    .bind(now_ms())
    .bind(org)
    .bind(public_id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Automation> {
    sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM automations WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn list<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Automation>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM automations WHERE organization_id = $1 ORDER BY id"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// Active automations of every organization.
pub async fn active<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<Vec<Automation>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM automations WHERE active = 1 ORDER BY id LIMIT 10000"
    ))
    .fetch_all(e)
    .await?)
}

pub async fn steps<'c, E: Executor<'c, Database = Any>>(
    e: E,
    automation: i64,
) -> Result<Vec<Step>> {
    Ok(sqlx::query_as(
        "SELECT id, automation_id, step_no, delay_hours, campaign_id FROM automation_steps \
         WHERE automation_id = $1 ORDER BY step_no",
    )
    .bind(automation)
    .fetch_all(e)
    .await?)
}

pub async fn add_step<'c, E: Executor<'c, Database = Any>>(
    e: E,
    automation: i64,
    step_no: i64,
    delay_hours: i64,
    campaign: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO automation_steps (automation_id, step_no, delay_hours, campaign_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(automation)
    .bind(step_no)
    .bind(delay_hours)
    .bind(campaign)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn set_delay<'c, E: Executor<'c, Database = Any>>(
    e: E,
    automation: i64,
    step_no: i64,
    delay_hours: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE automation_steps SET delay_hours = $1 WHERE automation_id = $2 AND step_no = $3",
    )
    .bind(delay_hours)
    .bind(automation)
    .bind(step_no)
    .execute(e)
    .await?;
    Ok(())
}

/// New events of a kind after the cursor: (event id, person, detail, time).
pub async fn events_after<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    kind: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, i64, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, person_id, detail, created_at FROM person_events WHERE organization_id = $1 AND kind = $2 \
         AND id > $3 ORDER BY id LIMIT $4",
    )
    .bind(org)
    .bind(kind)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

pub async fn set_cursor<'c, E: Executor<'c, Database = Any>>(
    e: E,
    automation: i64,
    cursor: i64,
) -> Result<()> {
    sqlx::query("UPDATE automations SET event_cursor = $1 WHERE id = $2 AND event_cursor < $1")
        .bind(cursor)
        .bind(automation)
        .execute(e)
        .await?;
    Ok(())
}

/// Starts a person on a sequence (once: a second start is nothing).
pub async fn start_run<'c, E: Executor<'c, Database = Any>>(
    e: E,
    automation: i64,
    org: i64,
    person: i64,
    next_at: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO automation_runs (automation_id, organization_id, person_id, next_at, started_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (automation_id, person_id) DO NOTHING",
    )
    .bind(automation)
    .bind(org)
    .bind(person)
    .bind(next_at)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct Run {
    pub id: i64,
    pub automation_id: i64,
    pub organization_id: i64,
    pub person_id: i64,
    pub step: i64,
    pub next_at: i64,
    pub status: String,
    pub started_at: i64,
}

/// Runs whose next step is due.
pub async fn due_runs<'c, E: Executor<'c, Database = Any>>(
    e: E,
    now: i64,
    limit: i64,
) -> Result<Vec<Run>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.automation_id, r.organization_id, r.person_id, r.step, r.next_at, r.status, r.started_at \
         FROM automation_runs r JOIN automations a ON a.id = r.automation_id \
         WHERE r.status = 'active' AND r.next_at <= $1 AND a.active = 1 ORDER BY r.next_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// Moves a run on from `step` (only if it is still there: two servers never both move it).
pub async fn advance<'c, E: Executor<'c, Database = Any>>(
    e: E,
    run: i64,
    step: i64,
    next_step: i64,
    next_at: i64,
    status: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE automation_runs SET step = $1, next_at = $2, status = $3 WHERE id = $4 AND step = $5 \
         AND status = 'active'",
    )
    .bind(next_step)
    .bind(next_at)
    .bind(status)
    .bind(run)
    .bind(step)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// How many people are in each state of an automation: (active, done, left).
pub async fn run_counts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    automation: i64,
) -> Result<(i64, i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN status = 'left' THEN 1 ELSE 0 END), 0) \
         FROM automation_runs WHERE automation_id = $1",
    )
    .bind(automation)
    .fetch_one(e)
    .await?)
}

/// People with a campaign email in the last 180 days and no click for 180 days, not yet on the
/// sequence (for the re-engagement trigger).
pub async fn quiet_people<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    automation: i64,
    now: i64,
    limit: i64,
) -> Result<Vec<i64>> {
    let since = now - 180 * 24 * 3_600_000;
    Ok(sqlx::query_as::<_, (i64,)>(
        "SELECT p.id FROM people p WHERE p.organization_id = $1 \
         AND EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.person_id = p.id AND r.status = 'sent' \
             AND r.sent_at < $2) \
         AND NOT EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.person_id = p.id AND r.clicked_at >= $2) \
         AND NOT EXISTS (SELECT 1 FROM automation_runs x WHERE x.automation_id = $3 AND x.person_id = p.id) \
         ORDER BY p.id LIMIT $4",
    )
    .bind(org)
    .bind(since)
    .bind(automation)
    .bind(limit)
    .fetch_all(e)
    .await?
    .into_iter()
    .map(|r| r.0)
    .collect())
}
