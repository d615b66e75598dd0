//! Login sessions and password-reset tokens. Only SHA-256 hashes of tokens are stored.

use sqlx::{Any, Executor, FromRow};

use crate::{Result, now_ms};

#[derive(Debug, Clone, FromRow)]
pub struct Session {
    pub id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
}

pub async fn create<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
    user_id: i64,
    expires_at: i64,
    user_agent: &str,
    ip: &str,
) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, \
         user_agent, ip) VALUES ($1, $2, $3, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .bind(user_agent)
    .bind(ip)
    .execute(e)
    .await?;
    Ok(())
}

/// The live session of a token, if any.
pub async fn live<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
) -> Result<Option<Session>> {
    Ok(sqlx::query_as(
        "SELECT id, user_id, created_at, last_seen_at, expires_at FROM sessions \
         WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_ms())
    .fetch_optional(e)
    .await?)
}

/// Slides the expiry forward; called at most once a minute per session.
pub async fn touch<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3")
        .bind(now_ms())
        .bind(expires_at)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn delete<'c, E: Executor<'c, Database = Any>>(e: E, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn delete_all_of_user<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(e)
        .await?
        .rows_affected())
}

/// Removes expired sessions, reset links and pending second steps; returns how many sessions
/// went.
pub async fn delete_expired(pool: &sqlx::AnyPool) -> Result<u64> {
    let now = now_ms();
    let n = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected();
    for table in ["password_resets", "login_challenges"] {
        sqlx::query(crate::sql!("DELETE FROM {table} WHERE expires_at <= $1"))
            .bind(now)
            .execute(pool)
            .await?;
    }
    Ok(n)
}

pub async fn create_reset<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
    token_hash: &str,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(now_ms())
    .bind(expires_at)
    .execute(e)
    .await?;
    Ok(())
}

/// The user of a usable reset token, if it is one.
pub async fn reset_user<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
) -> Result<Option<i64>> {
    let r: Option<(i64,)> = sqlx::query_as(
        "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL \
         AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_ms())
    .fetch_optional(e)
    .await?;
    Ok(r.map(|r| r.0))
}

/// Uses a reset token; false when it was already used or has expired.
pub async fn use_reset<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
) -> Result<bool> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND expires_at > $1",
    )
    .bind(now)
    .bind(token_hash)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A session of a member, as their account page lists it. `reference` names it without
/// revealing anything usable (the first 16 characters of the token's hash).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub reference: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub user_agent: String,
    pub ip: String,
}

/// A member's live sessions, most recently used first.
pub async fn of_user<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
) -> Result<Vec<Listed>> {
    Ok(sqlx::query_as(
        "SELECT substr(token_hash, 1, 16) AS reference, created_at, last_seen_at, user_agent, ip \
         FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC",
    )
    .bind(user_id)
    .bind(now_ms())
    .fetch_all(e)
    .await?)
}

/// Ends one of a member's sessions by its reference; false when there is none.
pub async fn revoke<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
    reference: &str,
) -> Result<bool> {
    if reference.len() != 16 {
        return Ok(false);
    }
    Ok(
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND substr(token_hash, 1, 16) = $2")
            .bind(user_id)
            .bind(reference)
            .execute(e)
            .await?
            .rows_affected()
            > 0,
    )
}

/// Ends every session of a member but one (the token hash kept).
pub async fn delete_others<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
    keep_hash: &str,
) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep_hash)
            .execute(e)
            .await?
            .rows_affected(),
    )
}
