//! The site's discussions: boards, commenters (visitors known by a verified address) and
//! comments under posts and in boards. Every query takes the organization's id.

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow)]
pub struct Board {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub position: i64,
    pub created_at: i64,
}

const B_COLS: &str =
    "id, public_id, organization_id, slug, title, description, position, created_at";

pub async fn boards<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Board>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {B_COLS} FROM boards WHERE organization_id = $1 ORDER BY position, id"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn board<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    slug: &str,
) -> Result<Board> {
    sqlx::query_as(crate::sql!(
        "SELECT {B_COLS} FROM boards WHERE organization_id = $1 AND slug = $2"
    ))
    .bind(org)
    .bind(slug)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn create_board<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    slug: &str,
    title: &str,
    description: &str,
) -> Result<Board> {
    sqlx::query_as(crate::sql!(
        "INSERT INTO boards (public_id, organization_id, slug, title, description, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {B_COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(slug)
    .bind(title)
    .bind(description)
    .bind(now_ms())
    .fetch_one(e)
    .await
    .map_err(|e| DbError::unique(e, "board-slug-taken"))
}

#[derive(Debug, Clone, FromRow)]
pub struct Commenter {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub email: String,
    pub name: String,
    pub person_id: Option<i64>,
    pub token_hash: String,
    pub verified_at: Option<i64>,
    pub banned: i64,
    pub approved_count: i64,
    pub created_at: i64,
}

const C_COLS: &str = "id, public_id, organization_id, email, name, person_id, token_hash, \
     verified_at, banned, approved_count, created_at";

pub async fn commenter_by_email<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    email: &str,
) -> Result<Option<Commenter>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {C_COLS} FROM commenters WHERE organization_id = $1 AND email = $2"
    ))
    .bind(org)
    .bind(email)
    .fetch_optional(e)
    .await?)
}

pub async fn commenter<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Commenter> {
    sqlx::query_as(crate::sql!(
        "SELECT {C_COLS} FROM commenters WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn commenter_by_token<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
) -> Result<Option<Commenter>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {C_COLS} FROM commenters WHERE token_hash = $1 AND token_hash <> ''"
    ))
    .bind(token_hash)
    .fetch_optional(e)
    .await?)
}

pub async fn create_commenter<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    email: &str,
    name: &str,
    person: Option<i64>,
    token_hash: &str,
) -> Result<Commenter> {
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO commenters (public_id, organization_id, email, name, person_id, token_hash, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {C_COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(email)
    .bind(name)
    .bind(person)
    .bind(token_hash)
    .bind(now_ms())
    .fetch_one(e)
    .await?)
}

/// A new verification token for an unverified commenter (a second first comment).
pub async fn set_token<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    token_hash: &str,
) -> Result<()> {
    sqlx::query("UPDATE commenters SET token_hash = $1 WHERE id = $2")
        .bind(token_hash)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn mark_verified<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<()> {
    sqlx::query("UPDATE commenters SET verified_at = $1, token_hash = '' WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn set_banned<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
    banned: bool,
) -> Result<()> {
    sqlx::query("UPDATE commenters SET banned = $1 WHERE id = $2 AND organization_id = $3")
        .bind(i64::from(banned))
        .bind(id)
        .bind(org)
        .execute(e)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct Comment {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub post_id: Option<i64>,
    pub board_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub title: String,
    pub commenter_id: i64,
    pub body: String,
    pub status: String,
    pub created_at: i64,
    /// The commenter's display name.
    pub name: String,
}

const K_COLS: &str = "k.id, k.public_id, k.organization_id, k.post_id, k.board_id, k.parent_id, \
     k.title, k.commenter_id, k.body, k.status, k.created_at, c.name";

pub struct NewComment<'a> {
    pub post_id: Option<i64>,
    pub board_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub title: &'a str,
    pub commenter_id: i64,
    pub body: &'a str,
    pub status: &'a str,
}

pub async fn add_comment<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    n: &NewComment<'_>,
) -> Result<String> {
    let (id,): (String,) = sqlx::query_as(
        "INSERT INTO comments (public_id, organization_id, post_id, board_id, parent_id, title, \
         commenter_id, body, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         RETURNING public_id",
    )
    .bind(new_public_id())
    .bind(org)
    .bind(n.post_id)
    .bind(n.board_id)
    .bind(n.parent_id)
    .bind(n.title)
    .bind(n.commenter_id)
    .bind(n.body)
    .bind(n.status)
    .bind(now_ms())
    .fetch_one(e)
    .await?;
    Ok(id)
}

/// Visible comments under a post, oldest first.
pub async fn of_post<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
) -> Result<Vec<Comment>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {K_COLS} FROM comments k JOIN commenters c ON c.id = k.commenter_id \
         WHERE k.organization_id = $1 AND k.post_id = $2 AND k.status = 'visible' ORDER BY k.id"
    ))
    .bind(org)
    .bind(post)
    .fetch_all(e)
    .await?)
}

/// A board's visible threads (first comments), newest first.
pub async fn threads<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    board: i64,
) -> Result<Vec<Comment>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {K_COLS} FROM comments k JOIN commenters c ON c.id = k.commenter_id \
         WHERE k.organization_id = $1 AND k.board_id = $2 AND k.parent_id IS NULL \
         AND k.status = 'visible' ORDER BY k.id DESC LIMIT 100"
    ))
    .bind(org)
    .bind(board)
    .fetch_all(e)
    .await?)
}

pub async fn comment<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Comment> {
    sqlx::query_as(crate::sql!(
        "SELECT {K_COLS} FROM comments k JOIN commenters c ON c.id = k.commenter_id \
         WHERE k.organization_id = $1 AND k.public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// A thread's visible replies, oldest first.
pub async fn replies<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    parent: i64,
) -> Result<Vec<Comment>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {K_COLS} FROM comments k JOIN commenters c ON c.id = k.commenter_id \
         WHERE k.organization_id = $1 AND k.parent_id = $2 AND k.status = 'visible' ORDER BY k.id"
    ))
    .bind(org)
    .bind(parent)
    .fetch_all(e)
    .await?)
}

/// The moderation queue: comments waiting, oldest first.
pub async fn queue<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Comment>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {K_COLS} FROM comments k JOIN commenters c ON c.id = k.commenter_id \
         WHERE k.organization_id = $1 AND k.status = 'pending' ORDER BY k.id LIMIT 200"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// Moves a commenter's comments from one status to another (verification, a ban).
pub async fn move_comments<'c, E: Executor<'c, Database = Any>>(
    e: E,
    commenter: i64,
    from: &str,
    to: &str,
) -> Result<u64> {
    Ok(
        sqlx::query("UPDATE comments SET status = $1 WHERE commenter_id = $2 AND status = $3")
            .bind(to)
            .bind(commenter)
            .bind(from)
            .execute(e)
            .await?
            .rows_affected(),
    )
}

/// A moderator's decision on one comment. The record stays: hiding is not deleting.
pub async fn moderate<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
    status: &str,
    by: i64,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE comments SET status = $1, moderated_by = $2, moderated_at = $3 \
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(status)
    .bind(by)
    .bind(now_ms())
    .bind(id)
    .bind(org)
    .execute(e)
    .await?;
    crate::touched(&r)
}

pub async fn count_approved<'c, E: Executor<'c, Database = Any>>(
    e: E,
    commenter: i64,
) -> Result<()> {
    sqlx::query("UPDATE commenters SET approved_count = approved_count + 1 WHERE id = $1")
        .bind(commenter)
        .execute(e)
        .await?;
    Ok(())
}
