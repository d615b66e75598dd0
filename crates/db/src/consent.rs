//! The consent ledger: append-only. Nothing here updates or deletes an entry (erasure only
//! detaches entries from the erased person, keeping a hash of the address as evidence).

use sqlx::{Any, Executor, FromRow};

use crate::{Result, now_ms};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Entry {
    pub id: i64,
    pub channel: String,
    pub purpose: String,
    pub given: i64,
    pub source: String,
    pub source_ref: String,
    pub wording: String,
    pub meta: String,
    pub created_at: i64,
}

pub struct NewEntry<'a> {
    pub person_id: i64,
    pub channel: &'a str,
    pub purpose: &'a str,
    pub given: bool,
    pub source: &'a str,
    pub source_ref: &'a str,
    pub wording: &'a str,
    pub meta: &'a str,
}

pub async fn record<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    n: &NewEntry<'_>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO consents (organization_id, person_id, channel, purpose, given, source, source_ref, \
         wording, meta, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(org)
    .bind(n.person_id)
    .bind(n.channel)
    .bind(n.purpose)
    .bind(i64::from(n.given))
    .bind(n.source)
    .bind(n.source_ref)
    .bind(n.wording)
    .bind(n.meta)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

/// A person's whole history, newest first.
pub async fn history<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    person: i64,
) -> Result<Vec<Entry>> {
    Ok(sqlx::query_as(
        "SELECT id, channel, purpose, given, source, source_ref, wording, meta, created_at FROM consents \
         WHERE organization_id = $1 AND person_id = $2 ORDER BY id DESC",
    )
    .bind(org)
    .bind(person)
    .fetch_all(e)
    .await?)
}

/// The current state per (channel, purpose): the newest entry of each.
pub async fn current<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    person: i64,
) -> Result<Vec<Entry>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.channel, c.purpose, c.given, c.source, c.source_ref, c.wording, c.meta, c.created_at \
         FROM consents c JOIN (SELECT MAX(id) AS id FROM consents WHERE organization_id = $1 AND person_id = $2 \
         GROUP BY channel, purpose) m ON m.id = c.id ORDER BY c.channel, c.purpose",
    )
    .bind(org)
    .bind(person)
    .fetch_all(e)
    .await?)
}

/// Detaches a person's entries on erasure: the entries stay, with a hash of the address.
pub async fn detach<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    person: i64,
    subject_hash: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE consents SET person_id = NULL, subject_hash = $1, meta = '{}' WHERE organization_id = $2 AND person_id = $3",
    )
    .bind(subject_hash)
    .bind(org)
    .bind(person)
    .execute(e)
    .await?;
    Ok(())
}

/// Whether an erased person with this address hash refused (their newest entry is a withdrawal).
pub async fn tombstone_refused<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    subject_hash: &str,
) -> Result<bool> {
    let r: Option<(i64,)> = sqlx::query_as(
        "SELECT given FROM consents WHERE organization_id = $1 AND subject_hash = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(org)
    .bind(subject_hash)
    .fetch_optional(e)
    .await?;
    Ok(r.is_some_and(|r| r.0 == 0))
}

/// Whether a tombstone exists for this address hash at all.
pub async fn tombstone_exists<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    subject_hash: &str,
) -> Result<bool> {
    let r: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM consents WHERE organization_id = $1 AND subject_hash = $2 LIMIT 1",
    )
    .bind(org)
    .bind(subject_hash)
    .fetch_optional(e)
    .await?;
    Ok(r.is_some())
}

/// A withdrawal for an erased address: no person, only the address's hash.
pub async fn tombstone<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    channel: &str,
    subject_hash: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO consents (organization_id, person_id, channel, purpose, given, source, subject_hash, created_at) \
         VALUES ($1, NULL, $2, 'newsletter', 0, 'erasure', $3, $4)",
    )
    .bind(org)
    .bind(channel)
    .bind(subject_hash)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

/// How many tombstones of erased people an organization has.
pub async fn tombstone_count<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM consents WHERE organization_id = $1 AND subject_hash IS NOT NULL",
    )
    .bind(org)
    .fetch_one(e)
    .await?;
    Ok(n)
}
