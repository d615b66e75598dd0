//! Plan and Measure: audiences, goals, the channel map's hours and budget; figures read from
//! networks (`metric_points`), the daily rollups (`daily_metrics`) and conversions.

use serde::Serialize;
use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id};

/// Deletes one row of the organization by public id; `NotFound` when there is none.
async fn delete_of_org<'c, E: Executor<'c, Database = Any>>(
    e: E,
    table: &'static str,
    org: i64,
    public_id: &str,
) -> Result<()> {
    let r = sqlx::query(crate::sql!(
        "DELETE FROM {table} WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Audience {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub name: String,
    pub description: String,
    pub segment_id: Option<i64>,
    pub created_at: i64,
}

pub async fn audiences<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Vec<Audience>> {
    Ok(sqlx::query_as(
        "SELECT id, public_id, organization_id, name, description, segment_id, created_at \
         FROM audiences WHERE organization_id = $1 ORDER BY name, id",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn add_audience<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    name: &str,
    description: &str,
    segment: Option<i64>,
    now: i64,
) -> Result<String> {
    let public_id = new_public_id();
    sqlx::query(
        "INSERT INTO audiences (public_id, organization_id, name, description, segment_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&public_id)
    .bind(org)
    .bind(name)
    .bind(description)
    .bind(segment)
    .bind(now)
    .execute(e)
    .await?;
    Ok(public_id)
}

pub async fn delete_audience<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<()> {
    delete_of_org(e, "audiences", org, public_id).await
}

/// A channel's place on the map.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct MapRow {
    pub channel_id: i64,
    pub audience_id: Option<i64>,
    pub monthly_hours: Option<i64>,
    pub monthly_budget: Option<i64>,
}

pub async fn map_rows<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<MapRow>> {
    Ok(sqlx::query_as(
        "SELECT id AS channel_id, audience_id, monthly_hours, monthly_budget FROM channels \
         WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// Sets a channel's purpose, audience, cadence, hours and budget.
#[allow(clippy::too_many_arguments)]
pub async fn set_map_row<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    channel: i64,
    purpose: &str,
    audience: Option<i64>,
    cadence_days: Option<i64>,
    hours: Option<i64>,
    budget: Option<i64>,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE channels SET purpose = $3, audience_id = $4, cadence_days = $5, monthly_hours = $6, \
         monthly_budget = $7 WHERE organization_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(channel)
    .bind(purpose)
    .bind(audience)
    .bind(cadence_days)
    .bind(hours)
    .bind(budget)
    .execute(e)
    .await?;
    if r.rows_affected() == 0 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

pub async fn set_guide_closed<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    closed: bool,
) -> Result<()> {
    sqlx::query("UPDATE organizations SET plan_guide_closed = $2 WHERE id = $1")
        .bind(org)
        .bind(i64::from(closed))
        .execute(e)
        .await?;
    Ok(())
}

pub async fn guide_closed<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<bool> {
    let (v,): (i64,) = sqlx::query_as("SELECT plan_guide_closed FROM organizations WHERE id = $1")
        .bind(org)
        .fetch_one(e)
        .await?;
    Ok(v != 0)
}

#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Goal {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub title: String,
    pub metric: String,
    pub channel_id: Option<i64>,
    pub audience_id: Option<i64>,
    pub target: f64,
    pub start_day: i64,
    pub end_day: i64,
    pub created_at: i64,
}

const GOAL: &str = "SELECT id, public_id, organization_id, title, metric, channel_id, audience_id, \
                    target, start_day, end_day, created_at FROM goals";

pub async fn goals<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Goal>> {
    Ok(sqlx::query_as(crate::sql!(
        "{GOAL} WHERE organization_id = $1 ORDER BY end_day, id"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn goal<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Goal> {
    sqlx::query_as(crate::sql!(
        "{GOAL} WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub struct NewGoal<'a> {
    pub title: &'a str,
    pub metric: &'a str,
    pub channel_id: Option<i64>,
    pub audience_id: Option<i64>,
    pub target: f64,
    pub start_day: i64,
    pub end_day: i64,
}

pub async fn add_goal<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    g: &NewGoal<'_>,
    now: i64,
) -> Result<String> {
    let public_id = new_public_id();
    sqlx::query(
        "INSERT INTO goals (public_id, organization_id, title, metric, channel_id, audience_id, target, \
         start_day, end_day, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&public_id)
    .bind(org)
    .bind(g.title)
    .bind(g.metric)
    .bind(g.channel_id)
    .bind(g.audience_id)
    .bind(g.target)
    .bind(g.start_day)
    .bind(g.end_day)
    .bind(now)
    .execute(e)
    .await?;
    Ok(public_id)
}

pub async fn delete_goal<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<()> {
    delete_of_org(e, "goals", org, public_id).await
}

/// When a figure of a channel (0: of the organization) was last read, if ever.
pub async fn last_point_at<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    metric: &str,
    channel: i64,
) -> Result<Option<i64>> {
    let (at,): (Option<i64>,) = sqlx::query_as(
        "SELECT MAX(at) FROM metric_points \
         WHERE organization_id = $1 AND metric = $2 AND channel_id = $3 AND post_id = 0",
    )
    .bind(org)
    .bind(metric)
    .bind(channel)
    .fetch_one(e)
    .await?;
    Ok(at)
}

/// Records a figure read at `at` (`channel`, `post` 0 when not about one).
pub async fn add_point<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    metric: &str,
    channel: i64,
    post: i64,
    at: i64,
    value: f64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO metric_points (organization_id, metric, channel_id, post_id, at, value) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(org)
    .bind(metric)
    .bind(channel)
    .bind(post)
    .bind(at)
    .bind(value)
    .execute(e)
    .await?;
    Ok(())
}

/// Counted metrics: each query gives (channel id or 0, value) for `$1` the organization and
/// the instants `$2` (included) to `$3` (excluded).
pub const COUNTS: [(&str, &str); 16] = [
    (
        "clicks",
        "SELECT COALESCE(channel_id, 0), CAST(COUNT(*) AS DOUBLE PRECISION) FROM clicks \
         WHERE organization_id = $1 AND at >= $2 AND at < $3 GROUP BY COALESCE(channel_id, 0)",
    ),
    (
        "new_people",
        "SELECT CAST(0 AS BIGINT), CAST(COUNT(*) AS DOUBLE PRECISION) FROM people \
         WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3",
    ),
    (
        "signups",
        "SELECT CAST(0 AS BIGINT), CAST(COUNT(*) AS DOUBLE PRECISION) FROM person_events \
         WHERE organization_id = $1 AND kind = 'signed-up' AND created_at >= $2 AND created_at < $3",
    ),
    (
        "volunteer_signups",
        "SELECT CAST(0 AS BIGINT), CAST(COUNT(*) AS DOUBLE PRECISION) FROM person_events \
         WHERE organization_id = $1 AND kind = 'shift-signup' AND created_at >= $2 AND created_at < $3",
    ),
    (
        "rsvps",
        "SELECT CAST(0 AS BIGINT), CAST(COUNT(*) AS DOUBLE PRECISION) FROM rsvps \
         WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3",
    ),
    (
        "pledges",
        "SELECT CAST(0 AS BIGINT), CAST(COUNT(*) AS DOUBLE PRECISION) FROM pledges \
         WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3",
    ),
    (
        "pledged",
        "SELECT CAST(0 AS BIGINT), CAST(COALESCE(SUM(amount), 0) AS DOUBLE PRECISION) / 100 FROM pledges \
         WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3",
    ),
    (
        "emails_sent",
        "SELECT CAST(0 AS BIGINT), CAST(COUNT(*) AS DOUBLE PRECISION) FROM campaign_recipients r \
         JOIN campaigns c ON c.id = r.campaign_id WHERE r.organization_id = $1 AND c.channel = 'email' \
         AND r.sent_at IS NOT NULL AND r.sent_at >= $2 AND r.sent_at < $3",
    ),
    (
        "sms_sent",
        "SELECT CAST(0 AS BIGINT), CAST(COUNT(*) AS DOUBLE PRECISION) FROM campaign_recipients r \
         JOIN campaigns c ON c.id = r.campaign_id WHERE r.organization_id = $1 AND c.channel = 'sms' \
         AND r.sent_at IS NOT NULL AND r.sent_at >= $2 AND r.sent_at < $3",
    ),
    (
        "email_opens",
        "SELECT CAST(0 AS BIGINT), CAST(COUNT(*) AS DOUBLE PRECISION) FROM campaign_recipients \
         WHERE organization_id = $1 AND opened_at IS NOT NULL AND opened_at >= $2 AND opened_at < $3",
    ),
    (
        "messages_in",
        "SELECT CAST(0 AS BIGINT), CAST(COUNT(*) AS DOUBLE PRECISION) FROM inbox_messages \
         WHERE organization_id = $1 AND direction = 'in' AND at >= $2 AND at < $3",
    ),
    (
        "responses",
        "SELECT COALESCE(channel_id, 0), CAST(COUNT(*) AS DOUBLE PRECISION) FROM inbox_conversations \
         WHERE organization_id = $1 AND first_response_at IS NOT NULL AND first_response_at >= $2 \
         AND first_response_at < $3 GROUP BY COALESCE(channel_id, 0)",
    ),
    (
        "response_ms",
        "SELECT COALESCE(channel_id, 0), CAST(SUM(first_response_at - first_in_at) AS DOUBLE PRECISION) \
         FROM inbox_conversations WHERE organization_id = $1 AND first_response_at IS NOT NULL \
         AND first_response_at >= $2 AND first_response_at < $3 GROUP BY COALESCE(channel_id, 0)",
    ),
    (
        "posts_published",
        "SELECT channel_id, CAST(COUNT(*) AS DOUBLE PRECISION) FROM publications \
         WHERE organization_id = $1 AND state = 'published' AND published_at IS NOT NULL \
         AND published_at >= $2 AND published_at < $3 GROUP BY channel_id",
    ),
    (
        "conversions",
        "SELECT channel_id, CAST(COUNT(*) AS DOUBLE PRECISION) FROM conversions \
         WHERE organization_id = $1 AND at >= $2 AND at < $3 GROUP BY channel_id",
    ),
    (
        "unsubscribes",
        "SELECT CAST(0 AS BIGINT), CAST(COUNT(*) AS DOUBLE PRECISION) FROM campaign_recipients \
         WHERE organization_id = $1 AND unsubscribed_at IS NOT NULL AND unsubscribed_at >= $2 \
         AND unsubscribed_at < $3",
    ),
];

/// Runs one of [`COUNTS`].
pub async fn count_rows<'c, E: Executor<'c, Database = Any>>(
    e: E,
    sql: &'static str,
    org: i64,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, f64)>> {
    Ok(sqlx::query_as(sql)
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(e)
        .await?)
}

/// Levels (followers…): each channel's last figure before `to`.
pub async fn levels<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    metric: &str,
    to: i64,
) -> Result<Vec<(i64, f64)>> {
    Ok(sqlx::query_as(
        "SELECT mp.channel_id, mp.value FROM metric_points mp WHERE mp.organization_id = $1 \
         AND mp.metric = $2 AND mp.post_id = 0 AND mp.at = (SELECT MAX(at) FROM metric_points x \
         WHERE x.organization_id = $1 AND x.metric = $2 AND x.post_id = 0 \
         AND x.channel_id = mp.channel_id AND x.at < $3) ORDER BY mp.id",
    )
    .bind(org)
    .bind(metric)
    .bind(to)
    .fetch_all(e)
    .await?)
}

/// Posts' cumulative figures: per (channel, post, metric) the highest before `from`, the
/// highest before `to`, and when the post was published there (if it was, by Kehilla).
pub async fn post_figures<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, String, Option<f64>, f64, Option<i64>)>> {
    Ok(sqlx::query_as(
        "SELECT mp.channel_id, mp.metric, MAX(CASE WHEN mp.at < $2 THEN mp.value END), MAX(mp.value), \
         MIN(p.published_at) FROM metric_points mp LEFT JOIN publications p ON p.post_id = mp.post_id \
         AND p.channel_id = mp.channel_id AND p.organization_id = mp.organization_id \
         WHERE mp.organization_id = $1 AND mp.post_id > 0 AND mp.at < $3 \
         GROUP BY mp.channel_id, mp.post_id, mp.metric",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .fetch_all(e)
    .await?)
}

/// Replaces one local day's rollups of an organization.
pub async fn replace_day(
    tx: &mut crate::Tx,
    org: i64,
    day: i64,
    rows: &[(&str, i64, f64)],
) -> Result<()> {
    sqlx::query("DELETE FROM daily_metrics WHERE organization_id = $1 AND day = $2")
        .bind(org)
        .bind(day)
        .execute(&mut **tx)
        .await?;
    for (metric, channel, value) in rows {
        // An upsert: a rollup of the same day running at once (a long first run meeting the
        // next one) waits for the other and overwrites it instead of failing.
        sqlx::query(
            "INSERT INTO daily_metrics (organization_id, metric, channel_id, day, value) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id, metric, channel_id, day) \
             DO UPDATE SET value = excluded.value",
        )
        .bind(org)
        .bind(*metric)
        .bind(*channel)
        .bind(day)
        .bind(*value)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// One metric's daily rows from `from` to `to` (days, both included), for one channel (0: the
/// organization as a whole).
pub async fn series<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    metric: &str,
    channel: i64,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, f64)>> {
    Ok(sqlx::query_as(
        "SELECT day, value FROM daily_metrics WHERE organization_id = $1 AND metric = $2 \
         AND channel_id = $3 AND day >= $4 AND day <= $5 ORDER BY day",
    )
    .bind(org)
    .bind(metric)
    .bind(channel)
    .bind(from)
    .bind(to)
    .fetch_all(e)
    .await?)
}

/// For a level: the last row on or before `day` (a goal's baseline when nothing was read on
/// its first day).
pub async fn last_before<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    metric: &str,
    channel: i64,
    day: i64,
) -> Result<Option<(i64, f64)>> {
    Ok(sqlx::query_as(
        "SELECT day, value FROM daily_metrics WHERE organization_id = $1 AND metric = $2 \
         AND channel_id = $3 AND day <= $4 ORDER BY day DESC LIMIT 1",
    )
    .bind(org)
    .bind(metric)
    .bind(channel)
    .bind(day)
    .fetch_optional(e)
    .await?)
}

/// The first day with anything to roll up: the oldest person, click or publication.
pub async fn first_activity<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Option<i64>> {
    let (at,): (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(m) FROM (SELECT MIN(created_at) AS m FROM people WHERE organization_id = $1 \
         UNION ALL SELECT MIN(at) FROM clicks WHERE organization_id = $1 \
         UNION ALL SELECT MIN(at) FROM metric_points WHERE organization_id = $1 \
         UNION ALL SELECT MIN(published_at) FROM publications WHERE organization_id = $1) t",
    )
    .bind(org)
    .fetch_one(e)
    .await?;
    Ok(at)
}

/// The newest day rolled up.
pub async fn last_rolled_day<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Option<i64>> {
    let (d,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(day) FROM daily_metrics WHERE organization_id = $1")
            .bind(org)
            .fetch_one(e)
            .await?;
    Ok(d)
}

/// The post a campaign name stands for: tracked links carry the post's slug as `utm_campaign`.
pub async fn post_by_slug<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    slug: &str,
) -> Result<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM posts WHERE organization_id = $1 AND slug = $2")
            .bind(org)
            .bind(slug)
            .fetch_optional(e)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// The channel a source (a network's name) stands for: the one the post was published on,
/// else the organization's first channel on that network.
pub async fn channel_for_source<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    network: &str,
) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT c.id FROM channels c WHERE c.organization_id = $1 AND c.network = $3 \
         ORDER BY CASE WHEN EXISTS (SELECT 1 FROM publications p WHERE p.channel_id = c.id \
         AND p.post_id = $2) THEN 0 ELSE 1 END, c.id LIMIT 1",
    )
    .bind(org)
    .bind(post)
    .bind(network)
    .fetch_optional(e)
    .await?;
    Ok(row.map(|(id,)| id))
}

pub struct NewConversion<'a> {
    pub kind: &'a str,
    pub person_id: Option<i64>,
    pub post_id: i64,
    pub channel_id: i64,
    pub source: &'a str,
    pub campaign: &'a str,
    pub at: i64,
}

pub async fn add_conversion<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    c: &NewConversion<'_>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO conversions (organization_id, kind, person_id, post_id, channel_id, source, \
         campaign, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(org)
    .bind(c.kind)
    .bind(c.person_id)
    .bind(c.post_id)
    .bind(c.channel_id)
    .bind(c.source)
    .bind(c.campaign)
    .bind(c.at)
    .execute(e)
    .await?;
    Ok(())
}

/// Conversions from `since` to `until` by post and channel: (post id, post title or slug,
/// channel id, kind, count), most first.
pub async fn conversions_by_post<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    since: i64,
    until: i64,
    limit: i64,
) -> Result<Vec<(i64, String, i64, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT c.post_id, COALESCE(MAX(CASE WHEN po.title = '' THEN po.slug ELSE po.title END), ''), \
         c.channel_id, c.kind, COUNT(*) FROM conversions c \
         LEFT JOIN posts po ON po.id = c.post_id AND po.organization_id = c.organization_id \
         WHERE c.organization_id = $1 AND c.at >= $2 AND c.at < $3 \
         GROUP BY c.post_id, c.channel_id, c.kind ORDER BY COUNT(*) DESC, c.post_id LIMIT $4",
    )
    .bind(org)
    .bind(since)
    .bind(until)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// Published posts since `since` with their latest figures (JSON, the networks' names):
/// (post id, title, channel id, network, figures, published at).
pub async fn published_figures<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    channel: Option<i64>,
    since: i64,
    until: i64,
) -> Result<Vec<(i64, String, i64, String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.post_id, po.title, p.channel_id, c.network, p.metrics, p.published_at \
         FROM publications p JOIN posts po ON po.id = p.post_id JOIN channels c ON c.id = p.channel_id \
         WHERE p.organization_id = $1 AND p.state = 'published' AND p.published_at IS NOT NULL \
         AND p.published_at >= $2 AND p.published_at < $3 AND ($4 = 0 OR p.channel_id = $4) \
         ORDER BY p.published_at DESC LIMIT 5000",
    )
    .bind(org)
    .bind(since)
    .bind(until)
    .bind(channel.unwrap_or(0))
    .fetch_all(e)
    .await?)
}

pub async fn set_report_monthly<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    on: bool,
) -> Result<()> {
    sqlx::query("UPDATE organizations SET report_monthly = $2 WHERE id = $1")
        .bind(org)
        .bind(i64::from(on))
        .execute(e)
        .await?;
    Ok(())
}

pub async fn report_monthly<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<bool> {
    let (v,): (i64,) = sqlx::query_as("SELECT report_monthly FROM organizations WHERE id = $1")
        .bind(org)
        .fetch_one(e)
        .await?;
    Ok(v != 0)
}

/// The sum of a metric's daily rows from `from` to `to` (days, both included).
pub async fn sum<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    metric: &str,
    channel: i64,
    from: i64,
    to: i64,
) -> Result<f64> {
    let (v,): (Option<f64>,) = sqlx::query_as(
        "SELECT SUM(value) FROM daily_metrics WHERE organization_id = $1 AND metric = $2 \
         AND channel_id = $3 AND day >= $4 AND day <= $5",
    )
    .bind(org)
    .bind(metric)
    .bind(channel)
    .bind(from)
    .bind(to)
    .fetch_one(e)
    .await?;
    Ok(v.unwrap_or(0.0))
}

/// Forgets a channel's figures and rollups, before the channel itself is deleted (they name it
/// by id, without a foreign key: 0 stands for "no channel").
pub async fn forget_channel(tx: &mut crate::Tx, org: i64, channel: i64) -> Result<()> {
    for table in ["metric_points", "daily_metrics"] {
        sqlx::query(crate::sql!(
            "DELETE FROM {table} WHERE organization_id = $1 AND channel_id = $2"
        ))
        .bind(org)
        .bind(channel)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
