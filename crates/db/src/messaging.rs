//! Messaging's SQL: campaigns.

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Campaign {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub name: String,
    pub channel: String,
    pub purpose: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub advertising: i64,
    pub segment: String,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, public_id, organization_id, name, channel, purpose, lang, subject, body, \
     advertising, segment, status, created_at, updated_at";

/// What a campaign is made of.
#[derive(Debug, Clone, Default)]
pub struct CampaignData<'a> {
    pub name: &'a str,
    pub purpose: &'a str,
    pub lang: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub advertising: bool,
    pub segment: &'a str,
}

pub async fn create<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    by: i64,
    d: &CampaignData<'_>,
) -> Result<Campaign> {
    let now = now_ms();
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO campaigns (public_id, organization_id, name, purpose, lang, subject, body, advertising, \
         segment, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
         RETURNING {COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(d.name)
    .bind(d.purpose)
    .bind(d.lang)
    .bind(d.subject)
    .bind(d.body)
    .bind(i64::from(d.advertising))
    .bind(d.segment)
    .bind(by)
    .bind(now)
    .fetch_one(e)
    .await?)
}

/// Changes a draft (a campaign that went out is not edited).
pub async fn update<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
    d: &CampaignData<'_>,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE campaigns SET name = $1, purpose = $2, lang = $3, subject = $4, body = $5, advertising = $6, \
         segment = $7, updated_at = $8 WHERE organization_id = $9 AND public_id = $10 AND status = 'draft'",
    )
    .bind(d.name)
    .bind(d.purpose)
    .bind(d.lang)
    .bind(d.subject)
    .bind(d.body)
    .bind(i64::from(d.advertising))
    .bind(d.segment)
    .bind(now_ms())
    .bind(org)
    .bind(public_id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Campaign> {
    sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM campaigns WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn list<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Campaign>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM campaigns WHERE organization_id = $1 ORDER BY updated_at DESC LIMIT 500"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}
