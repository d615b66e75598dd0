//! The organization's own site: its profile card, its custom domain, its simple pages, and the
//! published posts it shows. Every read takes the organization's id (found by slug or by domain).

use sqlx::{Any, Executor, FromRow};

use crate::studio::Post;
use crate::{DbError, Result, new_public_id, now_ms};

/// What the site's profile card shows, beyond the organization's name.
#[derive(Debug, Clone, Default, FromRow)]
pub struct SiteSettings {
    pub description: String,
    pub website: String,
    pub logo_media: String,
    pub site_domain: String,
    pub site_strengths: String,
    pub site_keywords: String,
    /// JSON list of {"label", "url"}.
    pub site_links: String,
}

pub async fn settings<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<SiteSettings> {
    sqlx::query_as(
        "SELECT description, website, logo_media, site_domain, site_strengths, site_keywords, \
         site_links FROM organizations WHERE id = $1",
    )
    .bind(org)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// Saves the site's own settings (the profile's description, website and logo are the Studio's).
/// A domain another organization uses is a `Conflict`.
pub async fn save_settings<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    s: &SiteSettings,
) -> Result<()> {
    sqlx::query(
        "UPDATE organizations SET site_domain = $1, site_strengths = $2, site_keywords = $3, \
         site_links = $4 WHERE id = $5",
    )
    .bind(&s.site_domain)
    .bind(&s.site_strengths)
    .bind(&s.site_keywords)
    .bind(&s.site_links)
    .bind(org)
    .execute(e)
    .await
    .map_err(|e| DbError::unique(e, "site-domain-taken"))?;
    Ok(())
}

/// The slug of the organization whose site answers on `domain` (lower case, no port).
pub async fn slug_by_domain<'c, E: Executor<'c, Database = Any>>(
    e: E,
    domain: &str,
) -> Result<Option<String>> {
    Ok(
        sqlx::query_as::<_, (String,)>("SELECT slug FROM organizations WHERE site_domain = $1")
            .bind(domain)
            .fetch_optional(e)
            .await?
            .map(|r| r.0),
    )
}

/// Every organization's custom domain: (slug, domain).
pub async fn domains<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT slug, site_domain FROM organizations WHERE site_domain <> '' ORDER BY slug",
    )
    .fetch_all(e)
    .await?)
}

const POST_COLS: &str = "id, public_id, organization_id, kind, title, body, slug, details, status, \
     author_id, approved_by, scheduled_at, published_at, created_at, updated_at";

/// Published posts, newest first; `kind` narrows to one topic; `before` pages on (published_at).
pub async fn posts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    kind: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<Post>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {POST_COLS} FROM posts WHERE organization_id = $1 AND status = 'published' \
         AND published_at IS NOT NULL AND ($2 = '' OR kind = $2) AND published_at < $3 \
         ORDER BY published_at DESC, id DESC LIMIT $4"
    ))
    .bind(org)
    .bind(kind.unwrap_or(""))
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// One published post by its slug.
pub async fn post<'c, E: Executor<'c, Database = Any>>(e: E, org: i64, slug: &str) -> Result<Post> {
    sqlx::query_as(crate::sql!(
        "SELECT {POST_COLS} FROM posts WHERE organization_id = $1 AND slug = $2 \
         AND status = 'published' AND published_at IS NOT NULL"
    ))
    .bind(org)
    .bind(slug)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// The current status line: the newest published post of kind `status`.
pub async fn status_line<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Option<Post>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {POST_COLS} FROM posts WHERE organization_id = $1 AND status = 'published' \
         AND kind = 'status' AND published_at IS NOT NULL ORDER BY published_at DESC LIMIT 1"
    ))
    .bind(org)
    .fetch_optional(e)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct Page {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub slug: String,
    pub title: String,
    pub body: String,
    pub position: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const PAGE_COLS: &str =
    "id, public_id, organization_id, slug, title, body, position, created_at, updated_at";

pub async fn pages<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Page>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {PAGE_COLS} FROM site_pages WHERE organization_id = $1 ORDER BY position, id"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn page<'c, E: Executor<'c, Database = Any>>(e: E, org: i64, slug: &str) -> Result<Page> {
    sqlx::query_as(crate::sql!(
        "SELECT {PAGE_COLS} FROM site_pages WHERE organization_id = $1 AND slug = $2"
    ))
    .bind(org)
    .bind(slug)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn page_by_public_id<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Page> {
    sqlx::query_as(crate::sql!(
        "SELECT {PAGE_COLS} FROM site_pages WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// Creates a page (`None` for `id`) or changes one; a slug the organization already uses is a
/// `Conflict`.
pub async fn save_page<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: Option<i64>,
    slug: &str,
    title: &str,
    body: &str,
    position: i64,
) -> Result<String> {
    let now = now_ms();
    let r: Option<(String,)> = match id {
        None => sqlx::query_as(
            "INSERT INTO site_pages (public_id, organization_id, slug, title, body, position, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                 RETURNING public_id",
        )
        .bind(new_public_id())
        .bind(org)
        .bind(slug)
        .bind(title)
        .bind(body)
        .bind(position)
        .bind(now)
        .fetch_optional(e)
        .await
        .map_err(|e| DbError::unique(e, "site-page-slug-taken"))?,
        Some(id) => sqlx::query_as(
            "UPDATE site_pages SET slug = $1, title = $2, body = $3, position = $4, \
                 updated_at = $5 WHERE id = $6 AND organization_id = $7 RETURNING public_id",
        )
        .bind(slug)
        .bind(title)
        .bind(body)
        .bind(position)
        .bind(now)
        .bind(id)
        .bind(org)
        .fetch_optional(e)
        .await
        .map_err(|e| DbError::unique(e, "site-page-slug-taken"))?,
    };
    r.map(|r| r.0).ok_or(DbError::NotFound)
}

pub async fn delete_page<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM site_pages WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(e)
        .await?;
    Ok(())
}

/// The organization's event posts that are or will be public: (public id, title, body,
/// status), newest first.
pub async fn event_posts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Vec<(String, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT public_id, title, body, status FROM posts WHERE organization_id = $1 \
         AND kind = 'event' AND status IN ('published', 'scheduled', 'approved') \
         ORDER BY created_at DESC LIMIT 50",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// Records a pledge (amount in agorot).
pub async fn add_pledge<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    person: i64,
    amount: i64,
    monthly: bool,
) -> Result<String> {
    let (id,): (String,) = sqlx::query_as(
        "INSERT INTO pledges (public_id, organization_id, post_id, person_id, amount, currency, \
         monthly, created_at) VALUES ($1, $2, $3, $4, $5, 'ILS', $6, $7) RETURNING public_id",
    )
    .bind(new_public_id())
    .bind(org)
    .bind(post)
    .bind(person)
    .bind(amount)
    .bind(i64::from(monthly))
    .bind(now_ms())
    .fetch_one(e)
    .await?;
    Ok(id)
}

/// Pledges per appeal: (post public id, title, body, count, total in agorot), newest appeal
/// first.
pub async fn pledge_totals<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Vec<(String, String, String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.public_id, p.title, p.body, CAST(COUNT(g.id) AS BIGINT), \
         CAST(COALESCE(SUM(g.amount), 0) AS BIGINT) FROM posts p JOIN pledges g ON g.post_id = p.id \
         WHERE p.organization_id = $1 GROUP BY p.id, p.public_id, p.title, p.body \
         ORDER BY MAX(g.created_at) DESC",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// The newest sign-up form of a kind (`volunteer`), for a call's page.
pub async fn newest_form<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    kind: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_as::<_, (String,)>(
        "SELECT public_id FROM forms WHERE organization_id = $1 AND kind = $2 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(org)
    .bind(kind)
    .fetch_optional(e)
    .await?
    .map(|r| r.0))
}
