//! ActivityPub: organizations' keys, followers and follows, remote actors, activities seen,
//! what arrived, what was sent, and the servers delivered to.

use sqlx::{Any, Executor, FromRow};

use crate::{Result, now_ms};

pub async fn key<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Option<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT public_pem, private_sealed, created_at FROM ap_keys WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_optional(e)
    .await?)
}

/// Stores the organization's key unless it has one (two servers making one at once keep the
/// first).
pub async fn put_key<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_pem: &str,
    private_sealed: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ap_keys (organization_id, public_pem, private_sealed, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (organization_id) DO NOTHING",
    )
    .bind(org)
    .bind(public_pem)
    .bind(private_sealed)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

pub async fn add_follower<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    actor: &str,
    inbox: &str,
    shared_inbox: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ap_followers (organization_id, actor, inbox, shared_inbox, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id, actor) \
         DO UPDATE SET inbox = $3, shared_inbox = $4",
    )
    .bind(org)
    .bind(actor)
    .bind(inbox)
    .bind(shared_inbox)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

pub async fn remove_follower<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    actor: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM ap_followers WHERE organization_id = $1 AND actor = $2")
        .bind(org)
        .bind(actor)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn follower_count<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM ap_followers WHERE organization_id = $1")
            .bind(org)
            .fetch_one(e)
            .await?;
    Ok(n)
}

/// Where to deliver to every follower: one address per server's shared inbox (else the
/// follower's own inbox).
pub async fn delivery_inboxes<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT CASE WHEN shared_inbox <> '' THEN shared_inbox ELSE inbox END \
         FROM ap_followers WHERE organization_id = $1 ORDER BY 1",
    )
    .bind(org)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn add_following<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    actor: &str,
    follow_id: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ap_following (organization_id, actor, follow_id, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (organization_id, actor) DO UPDATE SET follow_id = $3",
    )
    .bind(org)
    .bind(actor)
    .bind(follow_id)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

pub async fn accept_following<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    actor: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE ap_following SET accepted = 1 WHERE organization_id = $1 AND actor = $2",
    )
    .bind(org)
    .bind(actor)
    .execute(e)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Organizations that follow `actor` (whose posts they receive).
pub async fn followers_of_remote<'c, E: Executor<'c, Database = Any>>(
    e: E,
    actor: &str,
) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT organization_id FROM ap_following WHERE actor = $1 AND accepted = 1",
    )
    .bind(actor)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

#[derive(Debug, Clone, FromRow)]
pub struct RemoteActor {
    pub id: String,
    pub inbox: String,
    pub shared_inbox: String,
    pub key_id: String,
    pub public_pem: String,
    pub name: String,
    pub fetched_at: i64,
}

pub async fn actor<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: &str,
) -> Result<Option<RemoteActor>> {
    Ok(sqlx::query_as(
        "SELECT id, inbox, shared_inbox, key_id, public_pem, name, fetched_at FROM ap_actors \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(e)
    .await?)
}

pub async fn put_actor<'c, E: Executor<'c, Database = Any>>(e: E, a: &RemoteActor) -> Result<()> {
    sqlx::query(
        "INSERT INTO ap_actors (id, inbox, shared_inbox, key_id, public_pem, name, fetched_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET inbox = $2, \
         shared_inbox = $3, key_id = $4, public_pem = $5, name = $6, fetched_at = $7",
    )
    .bind(&a.id)
    .bind(&a.inbox)
    .bind(&a.shared_inbox)
    .bind(&a.key_id)
    .bind(&a.public_pem)
    .bind(&a.name)
    .bind(a.fetched_at)
    .execute(e)
    .await?;
    Ok(())
}

/// Records an activity's id; false when it was seen before (a replay).
pub async fn first_sight<'c, E: Executor<'c, Database = Any>>(e: E, id: &str) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO ap_seen (activity_id, received_at) VALUES ($1, $2) \
         ON CONFLICT (activity_id) DO NOTHING",
    )
    .bind(id)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub struct NewItem<'a> {
    pub kind: &'a str,
    pub actor: &'a str,
    pub object_id: &'a str,
    pub post_id: Option<i64>,
    pub content: &'a str,
    pub url: &'a str,
    /// What a reply or mention answers (a note's id), or empty.
    pub in_reply_to: &'a str,
}

/// Keeps what arrived (a second copy changes its content: an edit).
pub async fn put_item<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    i: &NewItem<'_>,
) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO ap_items (organization_id, kind, actor, object_id, post_id, content, url, \
         created_at, updated_at, in_reply_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) \
         ON CONFLICT (organization_id, kind, actor, object_id) DO UPDATE SET content = $6, \
         url = $7, deleted = 0, updated_at = $8",
    )
    .bind(org)
    .bind(i.kind)
    .bind(i.actor)
    .bind(i.object_id)
    .bind(i.post_id)
    .bind(i.content)
    .bind(i.url)
    .bind(now)
    .bind(i.in_reply_to)
    .execute(e)
    .await?;
    Ok(())
}

/// The organizations whose inbox holds this fediverse note (a reply to it continues their
/// conversation).
pub async fn inbox_orgs_of_note<'c, E: Executor<'c, Database = Any>>(
    e: E,
    note: &str,
) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT organization_id FROM inbox_messages WHERE source = 'fediverse' \
         AND remote_id = $1",
    )
    .bind(note)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Updates the content of what an actor sent before (an edit); false when there is none.
pub async fn update_item<'c, E: Executor<'c, Database = Any>>(
    e: E,
    actor: &str,
    object_id: &str,
    content: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE ap_items SET content = $1, updated_at = $2 WHERE actor = $3 AND object_id = $4 \
         AND kind IN ('reply', 'mention', 'post')",
    )
    .bind(content)
    .bind(now_ms())
    .bind(actor)
    .bind(object_id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Marks what an actor sent as deleted (kept, with its content emptied); false when none.
pub async fn delete_item<'c, E: Executor<'c, Database = Any>>(
    e: E,
    actor: &str,
    object_id: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE ap_items SET deleted = 1, content = '', updated_at = $1 WHERE actor = $2 \
         AND object_id = $3",
    )
    .bind(now_ms())
    .bind(actor)
    .bind(object_id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// Undoes a like or a boost.
pub async fn remove_item<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    kind: &str,
    actor: &str,
    object_id: &str,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM ap_items WHERE organization_id = $1 AND kind = $2 AND actor = $3 \
         AND object_id = $4",
    )
    .bind(org)
    .bind(kind)
    .bind(actor)
    .bind(object_id)
    .execute(e)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct Item {
    pub kind: String,
    pub actor: String,
    pub object_id: String,
    pub post_id: Option<i64>,
    pub content: String,
    pub url: String,
    pub deleted: i64,
}

pub async fn items<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Item>> {
    Ok(sqlx::query_as(
        "SELECT kind, actor, object_id, post_id, content, url, deleted FROM ap_items \
         WHERE organization_id = $1 ORDER BY id",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}

/// Records that an activity for a post was sent; false when it was before.
pub async fn sent_once<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    activity: &str,
    version: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO ap_outbox (organization_id, post_id, activity, version, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (post_id, activity, version) DO NOTHING",
    )
    .bind(org)
    .bind(post)
    .bind(activity)
    .bind(version)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Published posts of organizations with followers that were not sent yet (published after
/// the organization's key was made): (organization, post).
pub async fn unsent<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.organization_id, p.id FROM posts p JOIN ap_keys k ON k.organization_id = p.organization_id \
         WHERE p.status = 'published' AND p.published_at >= k.created_at \
         AND EXISTS (SELECT 1 FROM ap_followers f WHERE f.organization_id = p.organization_id) \
         AND NOT EXISTS (SELECT 1 FROM ap_outbox o WHERE o.post_id = p.id AND o.activity = 'Create') \
         ORDER BY p.id LIMIT 500",
    )
    .fetch_all(e)
    .await?)
}

/// (failures, paused until) of a server.
pub async fn server<'c, E: Executor<'c, Database = Any>>(
    e: E,
    host: &str,
) -> Result<(i64, Option<i64>)> {
    Ok(sqlx::query_as::<_, (i64, Option<i64>)>(
        "SELECT failures, paused_until FROM ap_servers WHERE host = $1",
    )
    .bind(host)
    .fetch_optional(e)
    .await?
    .unwrap_or((0, None)))
}

/// Counts a failed delivery; pauses the server once it has failed `limit` times in a row.
pub async fn server_failed<'c, E: Executor<'c, Database = Any>>(
    e: E,
    host: &str,
    error: &str,
    limit: i64,
    pause_until: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ap_servers (host, failures, last_error) VALUES ($1, 1, $2) \
         ON CONFLICT (host) DO UPDATE SET failures = ap_servers.failures + 1, last_error = $2, \
         paused_until = CASE WHEN ap_servers.failures + 1 >= $3 THEN $4 ELSE ap_servers.paused_until END",
    )
    .bind(host)
    .bind(error)
    .bind(limit)
    .bind(pause_until)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn server_ok<'c, E: Executor<'c, Database = Any>>(e: E, host: &str) -> Result<()> {
    sqlx::query(
        "UPDATE ap_servers SET failures = 0, paused_until = NULL, last_error = '' WHERE host = $1",
    )
    .bind(host)
    .execute(e)
    .await?;
    Ok(())
}

/// What the fediverse and the site's visitors did with a post: (likes, boosts, replies,
/// visible comments on the site).
pub async fn post_figures<'c, E: Executor<'c, Database = Any> + Copy>(
    e: E,
    post: i64,
) -> Result<(i64, i64, i64, i64)> {
    let count = |sql: &'static str| async move {
        let (n,): (i64,) = sqlx::query_as(sql).bind(post).fetch_one(e).await?;
        Ok::<i64, crate::DbError>(n)
    };
    Ok((
        count("SELECT COUNT(*) FROM ap_items WHERE post_id = $1 AND kind = 'like'").await?,
        count("SELECT COUNT(*) FROM ap_items WHERE post_id = $1 AND kind = 'boost'").await?,
        count(
            "SELECT COUNT(*) FROM ap_items WHERE post_id = $1 AND kind = 'reply' AND deleted = 0",
        )
        .await?,
        count("SELECT COUNT(*) FROM comments WHERE post_id = $1 AND status = 'visible'").await?,
    ))
}

/// Posts sent before and corrected since (their newest version not sent): (organization, post).
pub async fn corrected<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.organization_id, p.id FROM posts p JOIN ap_outbox c ON c.post_id = p.id \
         AND c.activity = 'Create' WHERE p.status = 'published' AND p.updated_at > c.created_at \
         AND NOT EXISTS (SELECT 1 FROM ap_outbox u WHERE u.post_id = p.id \
         AND u.activity = 'Update' AND u.version = p.updated_at) ORDER BY p.id LIMIT 500",
    )
    .fetch_all(e)
    .await?)
}

/// Posts sent before and withdrawn since, not yet deleted: (organization, post).
pub async fn withdrawn<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.organization_id, p.id FROM posts p WHERE p.status = 'withdrawn' \
         AND EXISTS (SELECT 1 FROM ap_outbox c WHERE c.post_id = p.id AND c.activity = 'Create') \
         AND NOT EXISTS (SELECT 1 FROM ap_outbox d WHERE d.post_id = p.id AND d.activity = 'Delete') \
         ORDER BY p.id LIMIT 500",
    )
    .fetch_all(e)
    .await?)
}

/// Whether an activity's id was received before.
pub async fn seen<'c, E: Executor<'c, Database = Any>>(e: E, id: &str) -> Result<bool> {
    Ok(
        sqlx::query_as::<_, (i64,)>("SELECT 1 FROM ap_seen WHERE activity_id = $1")
            .bind(id)
            .fetch_optional(e)
            .await?
            .is_some(),
    )
}
