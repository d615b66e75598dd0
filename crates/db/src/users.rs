use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow)]
pub struct User {
    pub id: i64,
    pub public_id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub lang: String,
    pub last_org_id: Option<i64>,
    pub created_at: i64,
    /// When two-factor login was turned on; `None` while it is off.
    pub totp_enabled_at: Option<i64>,
}

const COLS: &str =
    "id, public_id, email, name, password_hash, lang, last_org_id, created_at, totp_enabled_at";

pub async fn create<'c, E: Executor<'c, Database = Any>>(
    e: E,
    email: &str,
    name: &str,
    password_hash: &str,
    lang: &str,
) -> Result<User> {
    let now = now_ms();
    sqlx::query_as(crate::sql!(
        "INSERT INTO users (public_id, email, name, password_hash, lang, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLS}"
    ))
    .bind(new_public_id())
    .bind(email)
    .bind(name)
    .bind(password_hash)
    .bind(lang)
    .bind(now)
    .fetch_one(e)
    .await
    .map_err(|e| DbError::unique(e, "email"))
}

pub async fn by_email<'c, E: Executor<'c, Database = Any>>(
    e: E,
    email: &str,
) -> Result<Option<User>> {
    Ok(
        sqlx::query_as(crate::sql!("SELECT {COLS} FROM users WHERE email = $1"))
            .bind(email)
            .fetch_optional(e)
            .await?,
    )
}

pub async fn by_id<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<User> {
    sqlx::query_as(crate::sql!("SELECT {COLS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await?
        .ok_or(DbError::NotFound)
}

pub async fn count<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(e)
        .await?;
    Ok(n)
}

pub async fn set_lang<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    lang: &str,
) -> Result<()> {
    sqlx::query("UPDATE users SET lang = $1, updated_at = $2 WHERE id = $3")
        .bind(lang)
        .bind(now_ms())
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn set_last_org<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    org: i64,
) -> Result<()> {
    sqlx::query("UPDATE users SET last_org_id = $1 WHERE id = $2")
        .bind(org)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn set_password<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    password_hash: &str,
) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now_ms())
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}
