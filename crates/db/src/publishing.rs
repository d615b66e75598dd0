//! Publishing's SQL: connections (sealed tokens, health) and publications (one per post and
//! channel, their state saved before every remote call).

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, now_ms};

#[derive(Debug, Clone, FromRow)]
pub struct Connection {
    pub id: i64,
    pub organization_id: i64,
    pub channel_id: i64,
    pub server_url: String,
    pub account: String,
    pub token_sealed: String,
    pub expires_at: Option<i64>,
    pub last_success_at: Option<i64>,
    pub last_error: String,
    pub needs_reconnect: i64,
    pub blocked_until: Option<i64>,
    pub updated_at: i64,
    pub refresh_sealed: String,
    pub renewed_at: Option<i64>,
    pub last_error_code: String,
    pub warned_at: Option<i64>,
    pub profile_pushed_at: Option<i64>,
    pub profile_error: String,
}

impl Connection {
    /// Whether Kehilla can renew the token by itself.
    pub fn renewable(&self) -> bool {
        !self.refresh_sealed.is_empty()
    }
}

const C_COLS: &str = "id, organization_id, channel_id, server_url, account, token_sealed, expires_at, \
     last_success_at, last_error, needs_reconnect, blocked_until, updated_at, refresh_sealed, renewed_at, \
     last_error_code, warned_at, profile_pushed_at, profile_error";

/// What connecting a channel keeps.
#[derive(Debug, Clone, Default)]
pub struct NewConnection<'a> {
    pub server_url: &'a str,
    pub account: &'a str,
    pub token_sealed: &'a str,
    /// Empty when the token cannot be renewed.
    pub refresh_sealed: &'a str,
    pub expires_at: Option<i64>,
}

/// Connects a channel (or replaces its connection).
pub async fn connect<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    channel: i64,
    c: &NewConnection<'_>,
) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO connections (organization_id, channel_id, server_url, account, token_sealed, refresh_sealed, \
         expires_at, renewed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) ON CONFLICT (channel_id) DO UPDATE SET server_url = excluded.server_url, \
         account = excluded.account, token_sealed = excluded.token_sealed, refresh_sealed = excluded.refresh_sealed, \
         expires_at = excluded.expires_at, renewed_at = excluded.renewed_at, needs_reconnect = 0, last_error = '', \
         last_error_code = '', warned_at = NULL, blocked_until = NULL, updated_at = excluded.updated_at",
    )
    .bind(org)
    .bind(channel)
    .bind(c.server_url)
    .bind(c.account)
    .bind(c.token_sealed)
    .bind(c.refresh_sealed)
    .bind(c.expires_at)
    .bind(now)
    .execute(e)
    .await?;
    Ok(())
}

/// Keeps a renewed token (and the refresh token, which some networks replace on every use).
pub async fn renew<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    token_sealed: &str,
    refresh_sealed: &str,
    expires_at: Option<i64>,
) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "UPDATE connections SET token_sealed = $1, refresh_sealed = $2, expires_at = $3, renewed_at = $4, \
         needs_reconnect = 0, last_error = '', last_error_code = '', warned_at = NULL, updated_at = $4 WHERE id = $5",
    )
    .bind(token_sealed)
    .bind(refresh_sealed)
    .bind(expires_at)
    .bind(now)
    .bind(id)
    .execute(e)
    .await?;
    Ok(())
}

/// Connections whose renewable token expires before `before` (oldest first), with the network.
pub async fn expiring<'c, E: Executor<'c, Database = Any>>(
    e: E,
    before: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT c.id, ch.network FROM connections c JOIN channels ch ON ch.id = c.channel_id \
         WHERE c.refresh_sealed <> '' AND c.needs_reconnect = 0 AND c.expires_at IS NOT NULL AND c.expires_at < $1 \
         ORDER BY c.expires_at LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// Per channel of an organization, its scheduled posts due before `before`.
pub async fn scheduled_counts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    before: i64,
) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT v.channel_id, COUNT(*) FROM post_variants v JOIN posts p ON p.id = v.post_id \
         WHERE p.organization_id = $1 AND p.status = 'scheduled' AND p.scheduled_at < $2 GROUP BY v.channel_id",
    )
    .bind(org)
    .bind(before)
    .fetch_all(e)
    .await?)
}

pub async fn connection_by_id<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
) -> Result<Connection> {
    sqlx::query_as(crate::sql!(
        "SELECT {C_COLS} FROM connections WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// A connection whose scheduled posts would fail: it needs connecting again, or its token
/// expires (and cannot be renewed) before a post due before `horizon`. Not warned about since
/// `warned_before`.
#[derive(Debug, Clone, FromRow)]
pub struct AtRisk {
    pub connection_id: i64,
    pub organization_id: i64,
    pub channel_name: String,
    /// The first post at risk, and how many there are.
    pub post_id: i64,
    pub posts: i64,
}

pub async fn at_risk<'c, E: Executor<'c, Database = Any>>(
    e: E,
    horizon: i64,
    warned_before: i64,
) -> Result<Vec<AtRisk>> {
    Ok(sqlx::query_as(
        "SELECT c.id AS connection_id, c.organization_id, ch.name AS channel_name, MIN(p.id) AS post_id, \
         COUNT(p.id) AS posts FROM connections c JOIN channels ch ON ch.id = c.channel_id \
         JOIN post_variants v ON v.channel_id = c.channel_id JOIN posts p ON p.id = v.post_id \
         WHERE p.status = 'scheduled' AND p.scheduled_at < $1 \
         AND (c.needs_reconnect = 1 OR (c.refresh_sealed = '' AND c.expires_at IS NOT NULL AND c.expires_at < p.scheduled_at)) \
         AND (c.warned_at IS NULL OR c.warned_at < $2) \
         GROUP BY c.id, c.organization_id, ch.name ORDER BY c.id",
    )
    .bind(horizon)
    .bind(warned_before)
    .fetch_all(e)
    .await?)
}

/// Marks a connection warned about at `at`, unless it was warned since `warned_before`
/// (another server did it): returns whether this call did.
pub async fn set_warned<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    at: i64,
    warned_before: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE connections SET warned_at = $1 WHERE id = $2 AND (warned_at IS NULL OR warned_at < $3)",
    )
    .bind(at)
    .bind(id)
    .bind(warned_before)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn disconnect<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    channel: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM connections WHERE organization_id = $1 AND channel_id = $2")
        .bind(org)
        .bind(channel)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn connection<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    channel: i64,
) -> Result<Option<Connection>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {C_COLS} FROM connections WHERE organization_id = $1 AND channel_id = $2"
    ))
    .bind(org)
    .bind(channel)
    .fetch_optional(e)
    .await?)
}

pub async fn connections<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Vec<Connection>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {C_COLS} FROM connections WHERE organization_id = $1 ORDER BY channel_id"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// Records how the last call went: success clears the error; an error that needs the user
/// to connect again marks the connection.
pub async fn record_call<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    error: Option<(&str, &str)>,
    needs_reconnect: bool,
) -> Result<()> {
    let now = now_ms();
    match error {
        None => sqlx::query(
            "UPDATE connections SET last_success_at = $1, last_error = '', last_error_code = '', updated_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(id),
        Some((code, err)) => sqlx::query(
            "UPDATE connections SET last_error_code = $1, last_error = $2, needs_reconnect = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(code)
        .bind(err)
        .bind(i64::from(needs_reconnect))
        .bind(now)
        .bind(id),
    }
    .execute(e)
    .await?;
    Ok(())
}

pub async fn block_until<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    until: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE connections SET blocked_until = $1 WHERE id = $2 AND (blocked_until IS NULL OR blocked_until < $1)",
    )
        .bind(until)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// The organization's public profile: (description, website, logo media public id).
pub async fn profile<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<(String, String, String)> {
    sqlx::query_as("SELECT description, website, logo_media FROM organizations WHERE id = $1")
        .bind(org)
        .fetch_optional(e)
        .await?
        .ok_or(DbError::NotFound)
}

pub async fn save_profile<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    description: &str,
    website: &str,
    logo_media: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE organizations SET description = $1, website = $2, logo_media = $3 WHERE id = $4",
    )
    .bind(description)
    .bind(website)
    .bind(logo_media)
    .bind(org)
    .execute(e)
    .await?;
    Ok(())
}

/// Records how pushing the profile to a connection went (`error` empty on success).
pub async fn set_profile_result<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    error: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE connections SET profile_error = $1, \
         profile_pushed_at = CASE WHEN $1 = '' THEN $2 ELSE profile_pushed_at END WHERE id = $3",
    )
    .bind(error)
    .bind(now_ms())
    .bind(id)
    .execute(e)
    .await?;
    Ok(())
}

/// Blocks every call of a network's app until `until` (kept if a later block is there).
pub async fn block_app<'c, E: Executor<'c, Database = Any>>(
    e: E,
    network: &str,
    until: i64,
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO app_limits (network, blocked_until, reason) VALUES ($1, $2, $3) \
         ON CONFLICT (network) DO UPDATE SET blocked_until = excluded.blocked_until, reason = excluded.reason \
         WHERE app_limits.blocked_until < excluded.blocked_until",
    )
    .bind(network)
    .bind(until)
    .bind(reason)
    .execute(e)
    .await?;
    Ok(())
}

/// Until when a network's app is blocked, if it is at `now`.
pub async fn app_blocked<'c, E: Executor<'c, Database = Any>>(
    e: E,
    network: &str,
    now: i64,
) -> Result<Option<i64>> {
    let r: Option<(i64,)> = sqlx::query_as(
        "SELECT blocked_until FROM app_limits WHERE network = $1 AND blocked_until > $2",
    )
    .bind(network)
    .bind(now)
    .fetch_optional(e)
    .await?;
    Ok(r.map(|r| r.0))
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Publication {
    pub id: i64,
    pub organization_id: i64,
    pub post_id: i64,
    pub channel_id: i64,
    pub state: String,
    pub idempotency_key: String,
    pub attempts: i64,
    pub remote_id: Option<String>,
    pub remote_url: Option<String>,
    pub parts_done: String,
    pub error_code: String,
    pub error_text: String,
    pub updated_at: i64,
    pub metrics: String,
    pub metrics_at: Option<i64>,
    pub published_at: Option<i64>,
}

const P_COLS: &str = "id, organization_id, post_id, channel_id, state, idempotency_key, attempts, remote_id, \
     remote_url, parts_done, error_code, error_text, updated_at, metrics, metrics_at, published_at";

/// The publication of a post on a channel, made once (the first caller wins).
pub async fn ensure<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    channel: i64,
    key: &str,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO publications (organization_id, post_id, channel_id, idempotency_key, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (post_id, channel_id) DO UPDATE SET post_id = excluded.post_id \
         RETURNING id",
    )
    .bind(org)
    .bind(post)
    .bind(channel)
    .bind(key)
    .bind(now_ms())
    .fetch_one(e)
    .await?;
    Ok(id)
}

pub async fn by_id<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Publication> {
    sqlx::query_as(crate::sql!(
        "SELECT {P_COLS} FROM publications WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn of_post<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
) -> Result<Vec<Publication>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {P_COLS} FROM publications WHERE organization_id = $1 AND post_id = $2 ORDER BY id"
    ))
    .bind(org)
    .bind(post)
    .fetch_all(e)
    .await?)
}

/// Moves a publication from one of `from` to `to`, counting an attempt when it starts sending;
/// false when it was not in `from`.
pub async fn set_state<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    from: &[&str],
    to: &str,
    error: (&str, &str),
) -> Result<bool> {
    let list = crate::state_list(from);
    let r = sqlx::query(crate::sql!(
        "UPDATE publications SET state = $1, error_code = $2, error_text = $3, updated_at = $4, \
         attempts = attempts + (CASE WHEN $1 = 'sending' THEN 1 ELSE 0 END) \
         WHERE id = $5 AND state IN ({list})"
    ))
    .bind(to)
    .bind(error.0)
    .bind(error.1)
    .bind(now_ms())
    .bind(id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Saves the ids of the parts published so far.
pub async fn set_parts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    parts_done: &str,
) -> Result<()> {
    sqlx::query("UPDATE publications SET parts_done = $1, updated_at = $2 WHERE id = $3")
        .bind(parts_done)
        .bind(now_ms())
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn set_published<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    remote_id: &str,
    remote_url: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE publications SET state = 'published', remote_id = $1, remote_url = $2, error_code = '', \
         error_text = '', updated_at = $3, published_at = $3 WHERE id = $4",
    )
    .bind(remote_id)
    .bind(remote_url)
    .bind(now_ms())
    .bind(id)
    .execute(e)
    .await?;
    Ok(())
}

/// The publication one of whose parts has this id on its network.
pub async fn by_part<'c, E: Executor<'c, Database = Any>>(
    e: E,
    part_id: &str,
) -> Result<Option<Publication>> {
    let like = format!(
        "%\"id\":\"{}\"%",
        part_id.replace(['%', '_', '"', '\\'], "")
    );
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {P_COLS} FROM publications WHERE remote_id = $1 OR parts_done LIKE $2 ORDER BY id LIMIT 1"
    ))
    .bind(part_id)
    .bind(like)
    .fetch_optional(e)
    .await?)
}

/// A publication made published at a given time with its parts and figures (demo data).
pub async fn set_published_at<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    parts_json: &str,
    remote: (&str, &str),
    at: i64,
    metrics_json: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE publications SET state = 'published', remote_id = $1, remote_url = $2, parts_done = $3, \
         published_at = $4, updated_at = $4, metrics = $5, metrics_at = $4 WHERE id = $6",
    )
    .bind(remote.0)
    .bind(remote.1)
    .bind(parts_json)
    .bind(at)
    .bind(metrics_json)
    .bind(id)
    .execute(e)
    .await?;
    Ok(())
}

/// Keeps a publication's latest figures.
pub async fn set_metrics<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    metrics_json: &str,
) -> Result<()> {
    sqlx::query("UPDATE publications SET metrics = $1, metrics_at = $2 WHERE id = $3")
        .bind(metrics_json)
        .bind(now_ms())
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// Published posts whose figures are due: first an hour after publishing, then every six hours
/// for thirty days. Returns (publication id, the time of the figures' six-hour round).
pub async fn metrics_due<'c, E: Executor<'c, Database = Any>>(
    e: E,
    now: i64,
    limit: i64,
) -> Result<Vec<i64>> {
    const HOUR: i64 = 3_600_000;
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM publications WHERE state = 'published' AND published_at IS NOT NULL \
         AND published_at < $1 AND published_at > $2 AND (metrics_at IS NULL OR metrics_at < $3) \
         ORDER BY metrics_at IS NOT NULL, metrics_at, id LIMIT $4",
    )
    .bind(now - HOUR)
    .bind(now - 30 * 24 * HOUR)
    .bind(now - 6 * HOUR)
    .bind(limit)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Scheduled posts whose time has come and that have not been handed to publishing yet, of
/// every organization: (post id, organization id).
pub async fn due_posts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    now: i64,
    limit: i64,
) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.organization_id FROM posts p WHERE p.status = 'scheduled' AND p.scheduled_at <= $1 \
         AND NOT EXISTS (SELECT 1 FROM publications x WHERE x.post_id = p.id) ORDER BY p.scheduled_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// Hands up to `limit` due posts to publishing in one transaction: a publication per (post,
/// channel) and a publish job per publication, in bulk. On PostgreSQL the due posts are taken
/// with `FOR UPDATE SKIP LOCKED`, so servers running this at once split the work instead of
/// repeating it; on either database the unique keys make a repeat harmless. Returns how many
/// posts were handed over.
pub async fn dispatch_round(db: &crate::Db, now: i64, limit: i64, kind: &str) -> Result<usize> {
    let pg = db.backend() == crate::Backend::Postgres;
    let mut tx = db.begin().await?;
    let lock = if pg {
        " FOR UPDATE OF p SKIP LOCKED"
    } else {
        ""
    };
    let due: Vec<(i64,)> = sqlx::query_as(crate::sql!(
        "SELECT p.id FROM posts p WHERE p.status = 'scheduled' AND p.scheduled_at <= $1 \
         AND NOT EXISTS (SELECT 1 FROM publications x WHERE x.post_id = p.id) ORDER BY p.scheduled_at LIMIT $2{lock}"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    if due.is_empty() {
        return Ok(0);
    }
    // Integers from the database itself: safe in the SQL text.
    let ids = due
        .iter()
        .map(|(id,)| id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let key = if pg {
        "md5(random()::text || clock_timestamp()::text || v.channel_id::text)"
    } else {
        "lower(hex(randomblob(16)))"
    };
    sqlx::query(crate::sql!(
        "INSERT INTO publications (organization_id, post_id, channel_id, idempotency_key, updated_at) \
         SELECT v.organization_id, v.post_id, v.channel_id, {key}, $1 FROM post_variants v \
         WHERE v.post_id IN ({ids}) ON CONFLICT (post_id, channel_id) DO NOTHING"
    ))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    // A post for no network is published on the organization's own site alone, at its time.
    sqlx::query(crate::sql!(
        "UPDATE posts SET status = 'published', published_at = $1, updated_at = $1 \
         WHERE id IN ({ids}) AND status = 'scheduled' \
         AND NOT EXISTS (SELECT 1 FROM post_variants v WHERE v.post_id = posts.id)"
    ))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let made: Vec<(i64, i64)> = sqlx::query_as(crate::sql!(
        "SELECT id, organization_id FROM publications WHERE post_id IN ({ids}) AND state = 'pending'"
    ))
    .fetch_all(&mut *tx)
    .await?;
    for chunk in made.chunks(500) {
        let mut sql = String::from(
            "INSERT INTO jobs (public_id, organization_id, kind, payload, unique_key, status, \
             max_attempts, run_at, created_at, updated_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 5;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, 'queued', 8, $1, $1, $1)",
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            ));
        }
        sql.push_str(" ON CONFLICT (unique_key) DO NOTHING");
        // The jobs are due at once (`now` may be a test's future).
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now_ms());
        for (id, org) in chunk {
            q = q
                .bind(crate::new_public_id())
                .bind(*org)
                .bind(kind.to_string())
                .bind(format!("{{\"publication\":{id}}}"))
                .bind(format!("publish-{id}"));
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

/// Marks a post published (with the time) or failed, once all its publications have ended.
pub async fn finish_post<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    status: &str,
) -> Result<bool> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE posts SET status = $1, published_at = CASE WHEN $1 = 'published' THEN $2 ELSE published_at END, \
         updated_at = $2 WHERE organization_id = $3 AND id = $4 AND status = 'scheduled'",
    )
    .bind(status)
    .bind(now)
    .bind(org)
    .bind(post)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The app registered on a server, if any: (client id, sealed secret).
pub async fn oauth_app<'c, E: Executor<'c, Database = Any>>(
    e: E,
    server_url: &str,
) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT client_id, client_secret_sealed FROM oauth_apps WHERE server_url = $1",
    )
    .bind(server_url)
    .fetch_optional(e)
    .await?)
}

pub async fn save_oauth_app<'c, E: Executor<'c, Database = Any>>(
    e: E,
    server_url: &str,
    client_id: &str,
    secret_sealed: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO oauth_apps (server_url, client_id, client_secret_sealed, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (server_url) DO NOTHING",
    )
    .bind(server_url)
    .bind(client_id)
    .bind(secret_sealed)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct OauthState {
    pub organization_id: i64,
    pub channel_id: i64,
    pub user_id: i64,
    pub server_url: String,
    pub verifier_sealed: String,
    pub expires_at: i64,
}

pub async fn save_oauth_state<'c, E: Executor<'c, Database = Any>>(
    e: E,
    state_hash: &str,
    s: &OauthState,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO oauth_states (state_hash, organization_id, channel_id, user_id, server_url, verifier_sealed, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(state_hash)
    .bind(s.organization_id)
    .bind(s.channel_id)
    .bind(s.user_id)
    .bind(&s.server_url)
    .bind(&s.verifier_sealed)
    .bind(s.expires_at)
    .execute(e)
    .await?;
    Ok(())
}

/// Takes a sign-in's state: it can be used once.
pub async fn take_oauth_state<'c, E: Executor<'c, Database = Any>>(
    e: E,
    state_hash: &str,
) -> Result<Option<OauthState>> {
    Ok(sqlx::query_as(
        "DELETE FROM oauth_states WHERE state_hash = $1 RETURNING organization_id, channel_id, user_id, \
         server_url, verifier_sealed, expires_at",
    )
    .bind(state_hash)
    .fetch_optional(e)
    .await?)
}
