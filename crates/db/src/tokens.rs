//! Personal API tokens. A token belongs to one member of one organization; only its hash is kept.

use sqlx::{Any, Executor, FromRow};

use crate::{Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub user_id: i64,
    pub name: String,
    pub scope: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const COLS: &str =
    "id, public_id, organization_id, user_id, name, scope, created_at, last_used_at, revoked_at";

pub async fn create<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    user_id: i64,
    name: &str,
    scope: &str,
    token_hash: &str,
) -> Result<ApiToken> {
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO api_tokens (public_id, organization_id, user_id, name, scope, token_hash, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLS}"
    ))
    .bind(new_public_id())
    .bind(org_id)
    .bind(user_id)
    .bind(name)
    .bind(scope)
    .bind(token_hash)
    .bind(now_ms())
    .fetch_one(e)
    .await?)
}

pub async fn live_by_hash<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
) -> Result<Option<ApiToken>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
    ))
    .bind(token_hash)
    .fetch_optional(e)
    .await?)
}

pub async fn mark_used<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// The tokens a member holds in an organization.
pub async fn of_member<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    user_id: i64,
) -> Result<Vec<ApiToken>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM api_tokens WHERE organization_id = $1 AND user_id = $2 ORDER BY id DESC"
    ))
    .bind(org_id)
    .bind(user_id)
    .fetch_all(e)
    .await?)
}

pub async fn revoke<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    user_id: i64,
    public_id: &str,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE organization_id = $2 AND user_id = $3 \
         AND public_id = $4 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(org_id)
    .bind(user_id)
    .bind(public_id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

/// Revokes every token of a user in an organization (on removal from it).
pub async fn revoke_all_of_member<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    user_id: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE organization_id = $2 AND user_id = $3 \
         AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(org_id)
    .bind(user_id)
    .execute(e)
    .await?;
    Ok(())
}
