//! The audit log of security events. Append-only: nothing here updates or deletes a row.

use sqlx::{Any, Executor, FromRow};

use crate::{Result, now_ms};

#[derive(Debug, Clone, FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub actor_label: String,
    pub action: String,
    pub target: String,
    pub ip: String,
    pub created_at: i64,
}

pub struct NewEntry<'a> {
    pub organization_id: Option<i64>,
    pub actor_user_id: Option<i64>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub ip: &'a str,
}

pub async fn record<'c, E: Executor<'c, Database = Any>>(e: E, n: NewEntry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (organization_id, actor_user_id, actor_label, action, target, ip, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(n.organization_id)
    .bind(n.actor_user_id)
    .bind(n.actor_label)
    .bind(n.action)
    .bind(n.target)
    .bind(n.ip)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

/// The newest entries of an organization, newest first, `limit` at a time before `before_id`.
pub async fn of_org<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    Ok(sqlx::query_as(
        "SELECT id, actor_label, action, target, ip, created_at FROM audit_log \
         WHERE organization_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(org_id)
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(e)
    .await?)
}
