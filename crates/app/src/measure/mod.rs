//! Measure: figures collected from every source into daily rollups, and each goal's progress
//! against them. Dashboards read only the rollups (`daily_metrics`), never the raw events, so
//! that they stay fast however many clicks and people there are.
//!
//! - [`rollup_day`] computes one local day of an organization from the raw tables: counts
//!   (clicks, sign-ups, RSVPs, pledges, emails, inbox responses, posts…), levels read from
//!   networks (followers, subscribers), and posts' views and engagements (the growth of their
//!   cumulative figures during the day). It replaces the day's rows, so running it again is
//!   harmless.
//! - [`RollupJob`] (`measure.rollup`) rolls up, per organization, every day from the last one
//!   done (or the first activity) to today; [`enqueue_due`] queues it every ten minutes.
//! - [`CollectJob`] (`measure.collect`) records levels hourly as points in time.

pub mod demo;
pub mod insights;
pub mod pdf;
pub mod plan;
pub mod report;

use chrono::{NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use futures::future::BoxFuture;
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::measure as db;
use kehilla_db::{Db, orgs};
use kehilla_domain::measure::{day_date, day_number};

use crate::jobs::{JobContext, JobError, JobHandler};
use crate::studio::zone;
use crate::{AppError, Result};

pub const ROLLUP: &str = "measure.rollup";
pub const COLLECT: &str = "measure.collect";

/// Levels taken from `metric_points`.
pub const LEVELS: [&str; 4] = ["followers", "fediverse_followers", "subscribers", "people"];
/// The post figures (already named by kind) that make up engagement.
pub const ENGAGEMENT: [&str; 5] = ["likes", "replies", "shares", "quotes", "saves"];
/// The furthest back a first rollup goes.
pub const MAX_BACKFILL_DAYS: i64 = 400;

/// The local day of an instant in a time zone.
pub fn day_of(tz: Tz, at_ms: i64) -> i64 {
    let t = Utc
        .timestamp_millis_opt(at_ms)
        .single()
        .unwrap_or_default()
        .with_timezone(&tz);
    day_number(t.date_naive())
}

/// The instants where a local day starts (included) and ends (excluded). A midnight that does
/// not exist (clocks going forward at midnight) starts at the first instant after it.
pub fn day_bounds(tz: Tz, day: i64) -> Result<(i64, i64)> {
    let start = |d: i64| -> Result<i64> {
        let date = day_date(d).ok_or(AppError::Conflict("day-out-of-range"))?;
        let mut t = date.and_time(NaiveTime::MIN);
        for _ in 0..4 {
            if let Some(x) = tz.from_local_datetime(&t).earliest() {
                return Ok(x.timestamp_millis());
            }
            t += chrono::Duration::minutes(30);
        }
        Err(AppError::Conflict("day-out-of-range"))
    };
    Ok((start(day)?, start(day + 1)?))
}

/// Adds a metric's rows: the organization's total (channel 0) and each channel's own.
fn push(
    rows: &mut Vec<(&'static str, i64, f64)>,
    metric: &'static str,
    found: &[(i64, f64)],
    keep_zero: bool,
) {
    if found.is_empty() {
        return;
    }
    let total: f64 = found.iter().map(|(_, v)| v).sum();
    if keep_zero || total != 0.0 {
        rows.push((metric, 0, total));
    }
    for (channel, v) in found {
        if *channel > 0 && (keep_zero || *v != 0.0) {
            rows.push((metric, *channel, *v));
        }
    }
}

/// Computes and stores one local day of an organization; returns the rows written.
pub async fn rollup_day(database: &Db, org: i64, tz: Tz, day: i64) -> Result<usize> {
    let (from, to) = day_bounds(tz, day)?;
    let pool = &database.pool;
    let mut rows = Vec::new();
    for (metric, sql) in db::COUNTS {
        let found = db::count_rows(pool, sql, org, from, to).await?;
        push(&mut rows, metric, &found, false);
    }
    for metric in LEVELS {
        let found = db::levels(pool, org, metric, to).await?;
        push(&mut rows, metric, &found, true);
    }
    // Posts' figures are cumulative: a day's views and engagements are how much they grew.
    let mut views: Vec<(i64, f64)> = Vec::new();
    let mut engagements: Vec<(i64, f64)> = Vec::new();
    for (channel, metric, before, by_end, published) in
        db::post_figures(pool, org, from, to).await?
    {
        // A post published before the day whose first reading falls in it (read for the first
        // time after an upgrade): that reading is its baseline, not a day's growth.
        if before.is_none() && published.is_some_and(|p| p < from - 86_400_000) {
            continue;
        }
        let grew = (by_end - before.unwrap_or(0.0)).max(0.0);
        let into = if metric == "views" {
            &mut views
        } else if ENGAGEMENT.contains(&metric.as_str()) {
            &mut engagements
        } else {
            continue;
        };
        match into.iter_mut().find(|(c, _)| *c == channel) {
            Some((_, v)) => *v += grew,
            None => into.push((channel, grew)),
        }
    }
    push(&mut rows, "views", &views, false);
    push(&mut rows, "engagements", &engagements, false);
    let mut tx = database.begin().await?;
    db::replace_day(&mut tx, org, day, &rows).await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// Rolls up an organization from the day after its last rollup (again the last two days, for
/// late figures) — or from its first activity, at most [`MAX_BACKFILL_DAYS`] back — to `now`.
pub async fn rollup_org(database: &Db, org: &orgs::Organization, now: i64) -> Result<usize> {
    let tz = zone(&org.time_zone);
    let today = day_of(tz, now);
    let from = match db::last_rolled_day(&database.pool, org.id).await? {
        Some(last) => last.min(today - 1),
        None => match db::first_activity(&database.pool, org.id).await? {
            Some(at) => day_of(tz, at).min(today - 1),
            None => today,
        },
    }
    .max(today - MAX_BACKFILL_DAYS);
    let mut days = 0;
    for day in from..=today {
        rollup_day(database, org.id, tz, day).await?;
        days += 1;
    }
    Ok(days)
}

const TEN_MINUTES: i64 = 600_000;
const HOUR: i64 = 3_600_000;

/// Queues each organization's rollup (every ten minutes) and collection (every hour).
pub async fn enqueue_due(database: &Db, now: i64) -> Result<usize> {
    let mut n = 0;
    for org in orgs::all(&database.pool).await? {
        let payload = serde_json::json!({ "organization": org.id });
        let mut job = NewJob::new(ROLLUP, payload.clone()).org(org.id);
        job.unique_key = Some(format!("rollup-{}-{}", org.id, now / TEN_MINUTES));
        if jobs::enqueue(&database.pool, job).await?.is_some() {
            n += 1;
        }
        let mut job = NewJob::new(COLLECT, payload).org(org.id);
        job.unique_key = Some(format!("collect-{}-{}", org.id, now / HOUR));
        if jobs::enqueue(&database.pool, job).await?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}

/// Rolls one organization up to now.
pub struct RollupJob;

impl JobHandler for RollupJob {
    fn kind(&self) -> &'static str {
        ROLLUP
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let id = crate::jobs::payload_id(job, "organization")?;
            let org = match orgs::by_id(&ctx.db.pool, id).await {
                Ok(o) => o,
                Err(kehilla_db::DbError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            rollup_org(&ctx.db, &org, kehilla_db::now_ms()).await?;
            Ok(())
        })
    }
}

/// Records an organization's levels now: people, newsletter subscribers (those who may be sent
/// it by email), followers of its own fediverse account.
pub async fn collect(database: &Db, org: i64, now: i64) -> Result<()> {
    use kehilla_db::segments::Filter;
    let pool = &database.pool;
    let people = crate::people::segments::count(database, org, &Filter::All { of: vec![] }).await?;
    let subscribers = crate::people::segments::count(
        database,
        org,
        &Filter::Reachable {
            channel: "email".into(),
            purpose: "newsletter".into(),
        },
    )
    .await?;
    let fediverse = kehilla_db::activitypub::follower_count(pool, org).await?;
    let mut tx = database.begin().await?;
    for (metric, value) in [
        ("people", people),
        ("subscribers", subscribers),
        ("fediverse_followers", fediverse),
    ] {
        db::add_point(&mut *tx, org, metric, 0, 0, now, value as f64).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records one organization's levels.
pub struct CollectJob;

impl JobHandler for CollectJob {
    fn kind(&self) -> &'static str {
        COLLECT
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let id = crate::jobs::payload_id(job, "organization")?;
            match orgs::by_id(&ctx.db.pool, id).await {
                Ok(_) => {}
                Err(kehilla_db::DbError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            }
            let now = kehilla_db::now_ms();
            collect(&ctx.db, id, now).await?;
            collect_followers(ctx, id, now).await?;
            Ok(())
        })
    }
}

/// Records each connected channel's followers, as its network tells them. A network that
/// cannot say (or fails now) is left out of this round; a channel that needs reconnecting is
/// not asked.
pub async fn collect_followers(ctx: &JobContext, org: i64, now: i64) -> Result<usize> {
    let pool = &ctx.db.pool;
    let sealer = crate::secrets::Sealer::of_instance(&ctx.db, &ctx.settings).await?;
    let channels = kehilla_db::studio::channels(pool, org).await?;
    let mut n = 0;
    for conn in kehilla_db::publishing::connections(pool, org).await? {
        if conn.needs_reconnect == 1 {
            continue;
        }
        let Some(ch) = channels.iter().find(|c| c.id == conn.channel_id) else {
            continue;
        };
        let Some(adapter) = crate::publishing::adapter_for(
            &ch.network,
            &conn.server_url,
            ctx.settings.fetch_private,
        ) else {
            continue;
        };
        // A network read less often than hourly waits its turn (a few minutes' slack, so
        // that the hourly job does not just miss it).
        if let Some(last) = db::last_point_at(pool, org, "followers", ch.id).await?
            && now - last < adapter.followers_every() - 10 * 60_000
        {
            continue;
        }
        let Ok(access) = crate::publishing::access_of(&conn, &sealer) else {
            continue;
        };
        match adapter.followers(&access).await {
            Ok(v) => {
                db::add_point(pool, org, "followers", ch.id, 0, now, v as f64).await?;
                n += 1;
            }
            Err(crate::publishing::PublishError::Unsupported(_)) => {}
            Err(e) => {
                tracing::info!(channel = ch.id, error = e.code(), detail = %e.detail(), "followers not read this round")
            }
        }
    }
    Ok(n)
}

/// Records a post's figures as points in time, by kind (views, likes…; names the kind map
/// does not know are left out). Several names of one kind (Instagram's views and reach) keep
/// the highest.
pub async fn record_post_figures<'c, E>(
    e: E,
    org: i64,
    channel: i64,
    post: i64,
    at: i64,
    figures: &[(String, f64)],
) -> Result<()>
where
    E: kehilla_db::sqlx::Executor<'c, Database = kehilla_db::sqlx::Any> + Copy,
{
    let mut by_kind: Vec<(&'static str, f64)> = Vec::new();
    for (name, value) in figures {
        let (_, kind) = crate::publishing::metric_kind(name);
        if kind.is_empty() {
            continue;
        }
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, v)) => *v = v.max(*value),
            None => by_kind.push((kind, *value)),
        }
    }
    for (kind, value) in by_kind {
        db::add_point(e, org, kind, channel, post, at, value).await?;
    }
    Ok(())
}
