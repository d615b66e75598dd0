//! The Studio's SQL: channels, posts and their variants, media, the approval trail,
//! notifications, link cards, tracked links and clicks.

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

// ---------------------------------------------------------------------------------------------
// Organization settings of the Studio

#[derive(Debug, Clone, FromRow)]
pub struct StudioSettings {
    pub time_zone: String,
    pub approval_required: i64,
    pub quiet_shabbat: i64,
    pub quiet_holidays: i64,
    pub link_host: String,
}

pub async fn settings<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<StudioSettings> {
    sqlx::query_as(
        "SELECT time_zone, approval_required, quiet_shabbat, quiet_holidays, link_host FROM organizations WHERE id = $1",
    )
    .bind(org)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn save_settings<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    s: &StudioSettings,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE organizations SET time_zone = $1, approval_required = $2, quiet_shabbat = $3, \
         quiet_holidays = $4, link_host = $5 WHERE id = $6",
    )
    .bind(&s.time_zone)
    .bind(s.approval_required)
    .bind(s.quiet_shabbat)
    .bind(s.quiet_holidays)
    .bind(&s.link_host)
    .bind(org)
    .execute(e)
    .await?;
    crate::touched(&r)
}

// ---------------------------------------------------------------------------------------------
// Channels

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Channel {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub network: String,
    pub name: String,
    pub handle: String,
    pub purpose: String,
    pub audience: String,
    pub cadence_days: Option<i64>,
    pub slots: String,
    pub slot_days: String,
    pub char_limit: Option<i64>,
    pub requires_approval: i64,
    pub created_at: i64,
}

const CH_COLS: &str = "id, public_id, organization_id, network, name, handle, purpose, audience, cadence_days, \
     slots, slot_days, char_limit, requires_approval, created_at";

pub struct ChannelData<'a> {
    pub network: &'a str,
    pub name: &'a str,
    pub handle: &'a str,
    pub purpose: &'a str,
    pub audience: &'a str,
    pub cadence_days: Option<i64>,
    pub slots: &'a str,
    pub slot_days: &'a str,
    pub char_limit: Option<i64>,
    pub requires_approval: bool,
}

pub async fn create_channel<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    d: &ChannelData<'_>,
) -> Result<Channel> {
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO channels (public_id, organization_id, network, name, handle, purpose, audience, \
         cadence_days, slots, slot_days, char_limit, requires_approval, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {CH_COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(d.network)
    .bind(d.name)
    .bind(d.handle)
    .bind(d.purpose)
    .bind(d.audience)
    .bind(d.cadence_days)
    .bind(d.slots)
    .bind(d.slot_days)
    .bind(d.char_limit)
    .bind(i64::from(d.requires_approval))
    .bind(now_ms())
    .fetch_one(e)
    .await?)
}

pub async fn update_channel<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
    d: &ChannelData<'_>,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE channels SET network = $1, name = $2, handle = $3, purpose = $4, audience = $5, \
         cadence_days = $6, slots = $7, slot_days = $8, char_limit = $9, requires_approval = $10 \
         WHERE organization_id = $11 AND public_id = $12",
    )
    .bind(d.network)
    .bind(d.name)
    .bind(d.handle)
    .bind(d.purpose)
    .bind(d.audience)
    .bind(d.cadence_days)
    .bind(d.slots)
    .bind(d.slot_days)
    .bind(d.char_limit)
    .bind(i64::from(d.requires_approval))
    .bind(org)
    .bind(public_id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

/// The server's own text limit, learnt when connecting (Mastodon).
pub async fn set_char_limit<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    channel: i64,
    limit: i64,
) -> Result<()> {
    sqlx::query("UPDATE channels SET char_limit = $1 WHERE organization_id = $2 AND id = $3")
        .bind(limit)
        .bind(org)
        .bind(channel)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn delete_channel<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<()> {
    let r = sqlx::query("DELETE FROM channels WHERE organization_id = $1 AND public_id = $2")
        .bind(org)
        .bind(public_id)
        .execute(e)
        .await?;
    crate::touched(&r)
}

pub async fn channels<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Channel>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {CH_COLS} FROM channels WHERE organization_id = $1 ORDER BY name, id"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// A channel's organization and id, by its public id alone (webhooks carry no organization).
pub async fn channel_ids<'c, E: Executor<'c, Database = Any>>(
    e: E,
    public_id: &str,
) -> Result<Option<(i64, i64)>> {
    Ok(
        sqlx::query_as("SELECT organization_id, id FROM channels WHERE public_id = $1")
            .bind(public_id)
            .fetch_optional(e)
            .await?,
    )
}

/// A channel's network, by its id.
pub async fn channel_network<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<String> {
    let (n,): (String,) = sqlx::query_as("SELECT network FROM channels WHERE id = $1")
        .bind(id)
        .fetch_optional(e)
        .await?
        .ok_or(DbError::NotFound)?;
    Ok(n)
}

pub async fn channel<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Channel> {
    sqlx::query_as(crate::sql!(
        "SELECT {CH_COLS} FROM channels WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// The newest publication time (or past scheduled time) of each channel, for cadence health.
pub async fn last_posts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    now: i64,
) -> Result<Vec<(i64, Option<i64>, Option<i64>)>> {
    Ok(sqlx::query_as(
        "SELECT c.id, \
           (SELECT MAX(COALESCE(p.published_at, p.scheduled_at)) FROM post_variants v JOIN posts p ON p.id = v.post_id \
             WHERE v.channel_id = c.id AND p.status = 'published'), \
           (SELECT MIN(p.scheduled_at) FROM post_variants v JOIN posts p ON p.id = v.post_id \
             WHERE v.channel_id = c.id AND p.status = 'scheduled' AND p.scheduled_at >= $2) \
         FROM channels c WHERE c.organization_id = $1",
    )
    .bind(org)
    .bind(now)
    .fetch_all(e)
    .await?)
}

// ---------------------------------------------------------------------------------------------
// Posts

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Post {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub slug: String,
    pub details: String,
    pub status: String,
    pub author_id: Option<i64>,
    pub approved_by: Option<i64>,
    pub scheduled_at: Option<i64>,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const P_COLS: &str = "id, public_id, organization_id, kind, title, body, slug, details, status, author_id, \
     approved_by, scheduled_at, published_at, created_at, updated_at";

pub struct PostData<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub details: &'a str,
}

pub async fn create_post<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    author: i64,
    slug: &str,
    d: &PostData<'_>,
    scheduled_at: Option<i64>,
) -> Result<Post> {
    let now = now_ms();
    sqlx::query_as(crate::sql!(
        "INSERT INTO posts (public_id, organization_id, kind, title, body, slug, details, status, author_id, \
         scheduled_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, $10, $10) \
         RETURNING {P_COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(d.kind)
    .bind(d.title)
    .bind(d.body)
    .bind(slug)
    .bind(d.details)
    .bind(author)
    .bind(scheduled_at)
    .bind(now)
    .fetch_one(e)
    .await
    .map_err(|e| DbError::unique(e, "slug"))
}

pub async fn update_post<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
    d: &PostData<'_>,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE posts SET kind = $1, title = $2, body = $3, details = $4, updated_at = $5 \
         WHERE organization_id = $6 AND id = $7",
    )
    .bind(d.kind)
    .bind(d.title)
    .bind(d.body)
    .bind(d.details)
    .bind(now_ms())
    .bind(org)
    .bind(id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

/// Moves a post to `status` if it is in one of `from`; false when it was not (someone else
/// moved it first).
pub async fn set_status<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
    from: &[&str],
    status: &str,
) -> Result<bool> {
    let list = crate::state_list(from);
    let r = sqlx::query(crate::sql!(
        "UPDATE posts SET status = $1, updated_at = $2 WHERE organization_id = $3 AND id = $4 \
         AND status IN ({list})"
    ))
    .bind(status)
    .bind(now_ms())
    .bind(org)
    .bind(id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_approved_by<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
    by: Option<i64>,
) -> Result<()> {
    let r = sqlx::query("UPDATE posts SET approved_by = $1 WHERE organization_id = $2 AND id = $3")
        .bind(by)
        .bind(org)
        .bind(id)
        .execute(e)
        .await?;
    crate::touched(&r)
}

pub async fn set_schedule<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
    at: Option<i64>,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE posts SET scheduled_at = $1, updated_at = $2 WHERE organization_id = $3 AND id = $4",
    )
    .bind(at)
    .bind(now_ms())
    .bind(org)
    .bind(id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

pub async fn delete_post<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
) -> Result<()> {
    let r = sqlx::query("DELETE FROM posts WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(e)
        .await?;
    crate::touched(&r)
}

pub async fn post<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Post> {
    sqlx::query_as(crate::sql!(
        "SELECT {P_COLS} FROM posts WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn post_by_id<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Post> {
    sqlx::query_as(crate::sql!("SELECT {P_COLS} FROM posts WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await?
        .ok_or(DbError::NotFound)
}

pub async fn slug_taken<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    slug: &str,
) -> Result<bool> {
    let r: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM posts WHERE organization_id = $1 AND slug = $2")
            .bind(org)
            .bind(slug)
            .fetch_optional(e)
            .await?;
    Ok(r.is_some())
}

/// A post with what the calendar and the lists show of it.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct PostRow {
    pub id: i64,
    pub public_id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub status: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub scheduled_at: Option<i64>,
    pub published_at: Option<i64>,
    pub updated_at: i64,
    /// Networks of the post's variants, comma-separated.
    pub networks: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PostFilter {
    /// Scheduled within [from, to), when given; unscheduled posts are left out then.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub channel: Option<i64>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub author: Option<i64>,
    /// Only posts without a time.
    pub unscheduled: bool,
    pub limit: i64,
}

pub async fn posts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    backend: crate::Backend,
    org: i64,
    f: &PostFilter,
) -> Result<Vec<PostRow>> {
    let agg = match backend {
        crate::Backend::Sqlite => "GROUP_CONCAT(c.network, ',')",
        crate::Backend::Postgres => "STRING_AGG(c.network, ',')",
    };
    let mut cond = String::from("p.organization_id = $1");
    let mut n = 1;
    let mut next = || {
        n += 1;
        n
    };
    let from_p = f.from.map(|_| next());
    let to_p = f.to.map(|_| next());
    let ch_p = f.channel.map(|_| next());
    let kind_p = f.kind.as_ref().map(|_| next());
    let status_p = f.status.as_ref().map(|_| next());
    let author_p = f.author.map(|_| next());
    let limit_p = next();
    if let Some(i) = from_p {
        cond.push_str(&format!(" AND p.scheduled_at >= ${i}"));
    }
    if let Some(i) = to_p {
        cond.push_str(&format!(" AND p.scheduled_at < ${i}"));
    }
    if let Some(i) = ch_p {
        cond.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM post_variants fv WHERE fv.post_id = p.id AND fv.channel_id = ${i})"
        ));
    }
    if let Some(i) = kind_p {
        cond.push_str(&format!(" AND p.kind = ${i}"));
    }
    if let Some(i) = status_p {
        cond.push_str(&format!(" AND p.status = ${i}"));
    }
    if let Some(i) = author_p {
        cond.push_str(&format!(" AND p.author_id = ${i}"));
    }
    if f.unscheduled {
        cond.push_str(" AND p.scheduled_at IS NULL");
    }
    let q = crate::sql!(
        "SELECT p.id, p.public_id, p.kind, p.title, p.body, p.status, p.author_id, u.name AS author_name, \
         p.scheduled_at, p.published_at, p.updated_at, \
         (SELECT {agg} FROM post_variants v JOIN channels c ON c.id = v.channel_id WHERE v.post_id = p.id) AS networks \
         FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE {cond} \
         ORDER BY COALESCE(p.scheduled_at, p.updated_at), p.id LIMIT ${limit_p}"
    );
    let mut q = sqlx::query_as::<_, PostRow>(q).bind(org);
    if let Some(v) = f.from {
        q = q.bind(v);
    }
    if let Some(v) = f.to {
        q = q.bind(v);
    }
    if let Some(v) = f.channel {
        q = q.bind(v);
    }
    if let Some(v) = &f.kind {
        q = q.bind(v.clone());
    }
    if let Some(v) = &f.status {
        q = q.bind(v.clone());
    }
    if let Some(v) = f.author {
        q = q.bind(v);
    }
    q = q.bind(if f.limit > 0 { f.limit } else { 500 });
    Ok(q.fetch_all(e).await?)
}

/// Posts of the organization scheduled for a channel at exactly these instants (slot search).
pub async fn taken_times<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    channel: i64,
    from: i64,
    to: i64,
) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.scheduled_at FROM posts p JOIN post_variants v ON v.post_id = p.id \
         WHERE p.organization_id = $1 AND v.channel_id = $2 AND p.scheduled_at >= $3 AND p.scheduled_at < $4 \
         AND p.status NOT IN ('failed')",
    )
    .bind(org)
    .bind(channel)
    .bind(from)
    .bind(to)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

// ---------------------------------------------------------------------------------------------
// Variants

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Variant {
    pub id: i64,
    pub post_id: i64,
    pub channel_id: i64,
    pub body: String,
    pub follow_ups: String,
    pub edited: i64,
    pub updated_at: i64,
}

const V_COLS: &str = "id, post_id, channel_id, body, follow_ups, edited, updated_at";

pub async fn variants<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
) -> Result<Vec<Variant>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {V_COLS} FROM post_variants WHERE organization_id = $1 AND post_id = $2 ORDER BY id"
    ))
    .bind(org)
    .bind(post)
    .fetch_all(e)
    .await?)
}

/// Creates or replaces the variant of a post for a channel.
pub async fn put_variant<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    channel: i64,
    body: &str,
    follow_ups: &str,
    edited: bool,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO post_variants (organization_id, post_id, channel_id, body, follow_ups, edited, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (post_id, channel_id) DO UPDATE SET \
         body = excluded.body, follow_ups = excluded.follow_ups, edited = excluded.edited, updated_at = excluded.updated_at",
    )
    .bind(org)
    .bind(post)
    .bind(channel)
    .bind(body)
    .bind(follow_ups)
    .bind(i64::from(edited))
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

pub async fn delete_variant<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    channel: i64,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM post_variants WHERE organization_id = $1 AND post_id = $2 AND channel_id = $3",
    )
    .bind(org)
    .bind(post)
    .bind(channel)
    .execute(e)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Media

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Media {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub kind: String,
    pub mime: String,
    pub file_name: String,
    pub bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub alt_text: String,
    pub metadata_removed: i64,
    pub had_location: i64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub created_at: i64,
}

const M_COLS: &str = "id, public_id, organization_id, kind, mime, file_name, bytes, width, height, alt_text, \
     metadata_removed, had_location, sha256, uploaded_by, created_at";

pub struct MediaData<'a> {
    pub public_id: &'a str,
    pub kind: &'a str,
    pub mime: &'a str,
    pub file_name: &'a str,
    pub bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub alt_text: &'a str,
    pub metadata_removed: bool,
    pub had_location: bool,
    pub sha256: &'a str,
    pub uploaded_by: i64,
}

pub async fn create_media<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    d: &MediaData<'_>,
) -> Result<Media> {
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO media (public_id, organization_id, kind, mime, file_name, bytes, width, height, alt_text, \
         metadata_removed, had_location, sha256, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING {M_COLS}"
    ))
    .bind(d.public_id)
    .bind(org)
    .bind(d.kind)
    .bind(d.mime)
    .bind(d.file_name)
    .bind(d.bytes)
    .bind(d.width)
    .bind(d.height)
    .bind(d.alt_text)
    .bind(i64::from(d.metadata_removed))
    .bind(i64::from(d.had_location))
    .bind(d.sha256)
    .bind(d.uploaded_by)
    .bind(now_ms())
    .fetch_one(e)
    .await?)
}

pub async fn add_media_file<'c, E: Executor<'c, Database = Any>>(
    e: E,
    media: i64,
    profile: &str,
    mime: &str,
    bytes: i64,
    size: (Option<i64>, Option<i64>),
    storage_key: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO media_files (media_id, profile, mime, bytes, width, height, storage_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(media)
    .bind(profile)
    .bind(mime)
    .bind(bytes)
    .bind(size.0)
    .bind(size.1)
    .bind(storage_key)
    .execute(e)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct MediaFile {
    pub profile: String,
    pub mime: String,
    pub bytes: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub storage_key: String,
}

pub async fn media_files<'c, E: Executor<'c, Database = Any>>(
    e: E,
    media: i64,
) -> Result<Vec<MediaFile>> {
    Ok(sqlx::query_as(
        "SELECT profile, mime, bytes, width, height, storage_key FROM media_files WHERE media_id = $1 ORDER BY profile",
    )
    .bind(media)
    .fetch_all(e)
    .await?)
}

/// A stored file by the media's public id alone (the public file route knows no organization;
/// the public id is unguessable).
pub async fn media_file_public<'c, E: Executor<'c, Database = Any>>(
    e: E,
    public_id: &str,
    profile: &str,
) -> Result<MediaFile> {
    sqlx::query_as(
        "SELECT f.profile, f.mime, f.bytes, f.width, f.height, f.storage_key FROM media_files f \
         JOIN media m ON m.id = f.media_id WHERE m.public_id = $1 AND f.profile = $2",
    )
    .bind(public_id)
    .bind(profile)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn media<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Media> {
    sqlx::query_as(crate::sql!(
        "SELECT {M_COLS} FROM media WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn media_list<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    limit: i64,
) -> Result<Vec<Media>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {M_COLS} FROM media WHERE organization_id = $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(org)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

pub async fn set_alt<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
    alt: &str,
) -> Result<()> {
    let r =
        sqlx::query("UPDATE media SET alt_text = $1 WHERE organization_id = $2 AND public_id = $3")
            .bind(alt)
            .bind(org)
            .bind(public_id)
            .execute(e)
            .await?;
    crate::touched(&r)
}

/// Deletes a media item; returns the storage keys of its files, to remove from storage.
pub async fn delete_media<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
) -> Result<()> {
    let r = sqlx::query("DELETE FROM media WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(e)
        .await?;
    crate::touched(&r)
}

pub async fn post_media<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
) -> Result<Vec<Media>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT m.{} FROM post_media pm JOIN media m ON m.id = pm.media_id \
         WHERE pm.post_id = $1 AND m.organization_id = $2 ORDER BY pm.position, m.id",
        M_COLS.replace(", ", ", m.")
    ))
    .bind(post)
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn attach_media<'c, E: Executor<'c, Database = Any>>(
    e: E,
    post: i64,
    media: i64,
    position: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO post_media (post_id, media_id, position) VALUES ($1, $2, $3) \
         ON CONFLICT (post_id, media_id) DO UPDATE SET position = excluded.position",
    )
    .bind(post)
    .bind(media)
    .bind(position)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn detach_media<'c, E: Executor<'c, Database = Any>>(
    e: E,
    post: i64,
    media: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM post_media WHERE post_id = $1 AND media_id = $2")
        .bind(post)
        .bind(media)
        .execute(e)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// History and notifications

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub note: String,
    pub at: i64,
}

pub async fn add_history<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    actor: Option<i64>,
    action: &str,
    note: &str,
) -> Result<()> {
    add_history_at(e, org, post, actor, action, note, now_ms()).await
}

/// A history entry at a given time (imports and demo data).
pub async fn add_history_at<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    actor: Option<i64>,
    action: &str,
    note: &str,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO post_history (organization_id, post_id, actor_id, action, note, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(org)
    .bind(post)
    .bind(actor)
    .bind(action)
    .bind(note)
    .bind(at)
    .execute(e)
    .await?;
    Ok(())
}

/// Sets a post's creation, last change and publication times (imports and demo data; the
/// publisher sets `published_at` when it publishes).
pub async fn set_times<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    created_at: i64,
    updated_at: i64,
    published_at: Option<i64>,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE posts SET created_at = $1, updated_at = $2, published_at = $3 \
         WHERE organization_id = $4 AND id = $5",
    )
    .bind(created_at)
    .bind(updated_at)
    .bind(published_at)
    .bind(org)
    .bind(post)
    .execute(e)
    .await?;
    crate::touched(&r)
}

pub async fn history<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
) -> Result<Vec<HistoryEntry>> {
    Ok(sqlx::query_as(
        "SELECT h.id, h.actor_id, u.name AS actor_name, h.action, h.note, h.at FROM post_history h \
         LEFT JOIN users u ON u.id = h.actor_id WHERE h.organization_id = $1 AND h.post_id = $2 ORDER BY h.id",
    )
    .bind(org)
    .bind(post)
    .fetch_all(e)
    .await?)
}

/// Users who commented on a post (to tell them of new comments).
pub async fn commenters<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT actor_id FROM post_history WHERE organization_id = $1 AND post_id = $2 \
         AND action = 'comment' AND actor_id IS NOT NULL",
    )
    .bind(org)
    .bind(post)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Members who may approve (editor and above), with their email and language.
pub async fn approvers<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Vec<(i64, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.email, u.name, u.lang FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.organization_id = $1 AND m.role IN ('editor', 'admin', 'owner') ORDER BY u.id",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn notify<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    user: i64,
    post: Option<i64>,
    actor: Option<i64>,
    kind: &str,
    note: &str,
) -> Result<i64> {
    notify_at(e, org, user, post, actor, kind, note, now_ms()).await
}

/// A notification made at a given time (demo data).
#[allow(clippy::too_many_arguments)]
pub async fn notify_at<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    user: i64,
    post: Option<i64>,
    actor: Option<i64>,
    kind: &str,
    note: &str,
    at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO notifications (organization_id, user_id, post_id, actor_id, kind, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org)
    .bind(user)
    .bind(post)
    .bind(actor)
    .bind(kind)
    .bind(note)
    .bind(at)
    .fetch_one(e)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub note: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub actor_name: Option<String>,
    pub post_public_id: Option<String>,
    pub post_title: Option<String>,
}

pub async fn notifications<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    user: i64,
    limit: i64,
) -> Result<Vec<Notification>> {
    Ok(sqlx::query_as(
        "SELECT n.id, n.kind, n.note, n.created_at, n.read_at, u.name AS actor_name, \
         p.public_id AS post_public_id, p.title AS post_title FROM notifications n \
         LEFT JOIN users u ON u.id = n.actor_id LEFT JOIN posts p ON p.id = n.post_id \
         WHERE n.organization_id = $1 AND n.user_id = $2 ORDER BY n.id DESC LIMIT $3",
    )
    .bind(org)
    .bind(user)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

pub async fn notification_by_id<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
) -> Result<(i64, i64, String, String)> {
    sqlx::query_as(
        "SELECT n.organization_id, n.user_id, n.kind, COALESCE(p.public_id, '') FROM notifications n \
         LEFT JOIN posts p ON p.id = n.post_id WHERE n.id = $1",
    )
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn unread_count<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    user: i64,
) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM notifications WHERE organization_id = $1 AND user_id = $2 AND read_at IS NULL",
    )
    .bind(org)
    .bind(user)
    .fetch_one(e)
    .await?;
    Ok(n)
}

pub async fn mark_read<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    user: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE organization_id = $2 AND user_id = $3 AND read_at IS NULL",
    )
    .bind(now_ms())
    .bind(org)
    .bind(user)
    .execute(e)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Link cards

pub async fn link_card<'c, E: Executor<'c, Database = Any>>(
    e: E,
    url: &str,
) -> Result<Option<(Option<String>, Option<String>, i64)>> {
    Ok(
        sqlx::query_as("SELECT card, error, fetched_at FROM link_cards WHERE url = $1")
            .bind(url)
            .fetch_optional(e)
            .await?,
    )
}

pub async fn save_link_card<'c, E: Executor<'c, Database = Any>>(
    e: E,
    url: &str,
    card: Option<&str>,
    error: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO link_cards (url, card, error, fetched_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (url) DO UPDATE SET card = excluded.card, error = excluded.error, fetched_at = excluded.fetched_at",
    )
    .bind(url)
    .bind(card)
    .bind(error)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Tracked links and clicks

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Link {
    pub id: i64,
    pub code: String,
    pub organization_id: i64,
    pub post_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub network: String,
    pub target: String,
    pub destination: String,
    pub created_at: i64,
    pub campaign_id: Option<i64>,
}

const L_COLS: &str = "id, code, organization_id, post_id, channel_id, network, target, destination, \
     created_at, campaign_id";

pub struct LinkData<'a> {
    pub code: &'a str,
    pub post_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub network: &'a str,
    pub target: &'a str,
    pub destination: &'a str,
    pub campaign_id: Option<i64>,
}

pub async fn create_link<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    d: &LinkData<'_>,
) -> Result<Link> {
    sqlx::query_as(crate::sql!(
        "INSERT INTO links (code, organization_id, post_id, channel_id, network, target, destination, \
         created_at, campaign_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {L_COLS}"
    ))
    .bind(d.code)
    .bind(org)
    .bind(d.post_id)
    .bind(d.channel_id)
    .bind(d.network)
    .bind(d.target)
    .bind(d.destination)
    .bind(now_ms())
    .bind(d.campaign_id)
    .fetch_one(e)
    .await
    .map_err(|e| DbError::unique(e, "code"))
}

/// The link already made for the same destination, post, channel and campaign, if any.
pub async fn find_link<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: Option<i64>,
    channel: Option<i64>,
    campaign: Option<i64>,
    destination: &str,
) -> Result<Option<Link>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {L_COLS} FROM links WHERE organization_id = $1 AND destination = $2 \
         AND COALESCE(post_id, 0) = $3 AND COALESCE(channel_id, 0) = $4 \
         AND COALESCE(campaign_id, 0) = $5 ORDER BY id LIMIT 1"
    ))
    .bind(org)
    .bind(destination)
    .bind(post.unwrap_or(0))
    .bind(channel.unwrap_or(0))
    .bind(campaign.unwrap_or(0))
    .fetch_optional(e)
    .await?)
}

pub async fn link_by_code<'c, E: Executor<'c, Database = Any>>(
    e: E,
    code: &str,
) -> Result<Option<Link>> {
    Ok(
        sqlx::query_as(crate::sql!("SELECT {L_COLS} FROM links WHERE code = $1"))
            .bind(code)
            .fetch_optional(e)
            .await?,
    )
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct LinkStats {
    pub id: i64,
    pub code: String,
    pub network: String,
    pub target: String,
    pub destination: String,
    pub post_public_id: Option<String>,
    pub post_title: Option<String>,
    pub clicks: i64,
    pub created_at: i64,
}

pub async fn links<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: Option<i64>,
    limit: i64,
) -> Result<Vec<LinkStats>> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.code, l.network, l.target, l.destination, p.public_id AS post_public_id, \
         p.title AS post_title, (SELECT COUNT(*) FROM clicks c WHERE c.link_id = l.id) AS clicks, l.created_at \
         FROM links l LEFT JOIN posts p ON p.id = l.post_id \
         WHERE l.organization_id = $1 AND ($2 = 0 OR l.post_id = $2) ORDER BY l.id DESC LIMIT $3",
    )
    .bind(org)
    .bind(post.unwrap_or(0))
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// A click to record.
#[derive(Debug, Clone)]
pub struct Click {
    pub organization_id: i64,
    pub link_id: i64,
    pub post_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub at: i64,
    pub referrer_host: String,
    pub device: &'static str,
    pub campaign_id: Option<i64>,
    /// The campaign recipient who clicked (from the link's signed `m` parameter).
    pub recipient_id: Option<i64>,
}

/// Appends clicks in multi-row statements, in one transaction.
pub async fn record_clicks(db: &crate::Db, clicks: &[Click]) -> Result<()> {
    if clicks.is_empty() {
        return Ok(());
    }
    let per = (db.batch_params() / 8).max(1);
    let mut tx = db.begin().await?;
    for chunk in clicks.chunks(per) {
        let mut values = Vec::with_capacity(chunk.len());
        for i in 0..chunk.len() {
            let b = i * 8;
            values.push(format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8
            ));
        }
        let sql = crate::sql!(
            "INSERT INTO clicks (organization_id, link_id, post_id, channel_id, at, referrer_host, device, \
             campaign_id) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(sql);
        for c in chunk {
            q = q
                .bind(c.organization_id)
                .bind(c.link_id)
                .bind(c.post_id)
                .bind(c.channel_id)
                .bind(c.at)
                .bind(c.referrer_host.clone())
                .bind(c.device)
                .bind(c.campaign_id);
        }
        q.execute(&mut *tx).await?;
    }
    // A campaign recipient's first click.
    for c in clicks {
        if let (Some(r), Some(campaign)) = (c.recipient_id, c.campaign_id) {
            sqlx::query(
                "UPDATE campaign_recipients SET clicked_at = $1 WHERE id = $2 AND campaign_id = $3 \
                 AND clicked_at IS NULL",
            )
            .bind(c.at)
            .bind(r)
            .bind(campaign)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub async fn click_count<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clicks WHERE organization_id = $1")
        .bind(org)
        .fetch_one(e)
        .await?;
    Ok(n)
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ClickRow {
    pub at: i64,
    pub network: String,
    pub referrer_host: String,
    pub device: String,
}

pub async fn clicks_of_link<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    link: i64,
    limit: i64,
) -> Result<Vec<ClickRow>> {
    Ok(sqlx::query_as(
        "SELECT c.at, l.network, c.referrer_host, c.device FROM clicks c JOIN links l ON l.id = c.link_id \
         WHERE c.organization_id = $1 AND c.link_id = $2 ORDER BY c.id DESC LIMIT $3",
    )
    .bind(org)
    .bind(link)
    .bind(limit)
    .fetch_all(e)
    .await?)
}
