//! The inbox: identities (who wrote, linked to people), conversations, their messages (in and
//! out), internal notes, saved replies, the moderation settings, polling cursors and digests.
//! Every query takes the organization's id.

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow)]
pub struct Identity {
    pub id: i64,
    pub organization_id: i64,
    pub source: String,
    pub author_id: String,
    pub handle: String,
    pub name: String,
    pub person_id: Option<i64>,
}

const I_COLS: &str = "id, organization_id, source, author_id, handle, name, person_id";

/// The identity of an author, made on first sight; a changed handle or name is kept.
pub async fn identity<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    source: &str,
    author_id: &str,
    handle: &str,
    name: &str,
) -> Result<Identity> {
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO inbox_identities (organization_id, source, author_id, handle, name, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (organization_id, source, author_id) DO UPDATE SET \
         handle = CASE WHEN $4 = '' THEN inbox_identities.handle ELSE $4 END, \
         name = CASE WHEN $5 = '' THEN inbox_identities.name ELSE $5 END \
         RETURNING {I_COLS}"
    ))
    .bind(org)
    .bind(source)
    .bind(author_id)
    .bind(handle)
    .bind(name)
    .bind(now_ms())
    .fetch_one(e)
    .await?)
}

pub async fn identity_by_id<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
) -> Result<Identity> {
    sqlx::query_as(crate::sql!(
        "SELECT {I_COLS} FROM inbox_identities WHERE organization_id = $1 AND id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// Links (or unlinks) an identity to a person of the same organization.
pub async fn link<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    identity: i64,
    person: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "UPDATE inbox_identities SET person_id = $1 WHERE organization_id = $2 AND id = $3 \
         AND ($1 IS NULL OR $1 IN (SELECT id FROM people WHERE organization_id = $2))",
    )
    .bind(person)
    .bind(org)
    .bind(identity)
    .execute(e)
    .await?;
    Ok(())
}

/// A person already linked to an identity with this handle on this source (the "known
/// handle" rule).
pub async fn person_of_handle<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    source: &str,
    handle: &str,
) -> Result<Option<i64>> {
    if handle.is_empty() {
        return Ok(None);
    }
    let row: Option<(Option<i64>,)> = sqlx::query_as(
        "SELECT person_id FROM inbox_identities WHERE organization_id = $1 AND source = $2 \
         AND handle = $3 AND person_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .bind(org)
    .bind(source)
    .bind(handle)
    .fetch_optional(e)
    .await?;
    Ok(row.and_then(|r| r.0))
}

#[derive(Debug, Clone, FromRow)]
pub struct Conversation {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub source: String,
    pub channel_id: Option<i64>,
    pub post_id: Option<i64>,
    pub identity_id: Option<i64>,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub priority: i64,
    pub assignee_id: Option<i64>,
    pub labels: String,
    pub flagged: String,
    pub first_in_at: i64,
    pub first_response_at: Option<i64>,
    pub done_at: Option<i64>,
    pub last_at: i64,
}

const C_COLS: &str = "c.id, c.public_id, c.organization_id, c.source, c.channel_id, c.post_id, \
     c.identity_id, c.kind, c.subject, c.status, c.priority, c.assignee_id, c.labels, c.flagged, \
     c.first_in_at, c.first_response_at, c.done_at, c.last_at";

pub struct NewConversation<'a> {
    pub source: &'a str,
    pub channel_id: Option<i64>,
    pub post_id: Option<i64>,
    pub identity_id: Option<i64>,
    pub kind: &'a str,
    pub subject: &'a str,
    pub at: i64,
}

pub async fn create_conversation<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    n: &NewConversation<'_>,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO inbox_conversations (public_id, organization_id, source, channel_id, \
         post_id, identity_id, kind, subject, first_in_at, last_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id",
    )
    .bind(new_public_id())
    .bind(org)
    .bind(n.source)
    .bind(n.channel_id)
    .bind(n.post_id)
    .bind(n.identity_id)
    .bind(n.kind)
    .bind(n.subject)
    .bind(n.at)
    .bind(now_ms())
    .fetch_one(e)
    .await?;
    Ok(id)
}

pub async fn conversation<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Conversation> {
    sqlx::query_as(crate::sql!(
        "SELECT {C_COLS} FROM inbox_conversations c WHERE c.organization_id = $1 \
         AND c.public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn conversation_by_id<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
) -> Result<Conversation> {
    sqlx::query_as(crate::sql!(
        "SELECT {C_COLS} FROM inbox_conversations c WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// The conversation of the message with this id on this source, when there is one.
pub async fn conversation_of_remote<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    source: &str,
    remote_id: &str,
) -> Result<Option<i64>> {
    if remote_id.is_empty() {
        return Ok(None);
    }
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT conversation_id FROM inbox_messages WHERE organization_id = $1 AND source = $2 \
         AND remote_id = $3",
    )
    .bind(org)
    .bind(source)
    .bind(remote_id)
    .fetch_optional(e)
    .await?;
    Ok(row.map(|r| r.0))
}

/// The newest conversation of an identity of this kind (direct messages, email and SMS go on
/// in one conversation per person).
pub async fn latest_of_identity<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    identity: i64,
    kind: &str,
) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM inbox_conversations WHERE organization_id = $1 AND identity_id = $2 \
         AND kind = $3 ORDER BY last_at DESC, id DESC LIMIT 1",
    )
    .bind(org)
    .bind(identity)
    .bind(kind)
    .fetch_optional(e)
    .await?;
    Ok(row.map(|r| r.0))
}

pub async fn message_exists<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    source: &str,
    remote_id: &str,
) -> Result<bool> {
    Ok(conversation_of_remote(e, org, source, remote_id)
        .await?
        .is_some())
}

pub struct NewMessage<'a> {
    pub conversation_id: i64,
    pub source: &'a str,
    /// `None` for an answer not yet sent (it gets `out:{public_id}`).
    pub remote_id: Option<&'a str>,
    pub parent_remote_id: &'a str,
    pub direction: &'a str,
    pub identity_id: Option<i64>,
    pub user_id: Option<i64>,
    pub body: &'a str,
    pub url: &'a str,
    pub state: &'a str,
    pub flag: &'a str,
    pub at: i64,
}

/// Adds a message; `None` when one with the same source and remote id is there already.
pub async fn add_message<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    n: &NewMessage<'_>,
) -> Result<Option<(i64, String)>> {
    let public_id = new_public_id();
    let remote = n
        .remote_id
        .map_or_else(|| format!("out:{public_id}"), str::to_string);
    Ok(sqlx::query_as(
        "INSERT INTO inbox_messages (public_id, organization_id, conversation_id, source, \
         remote_id, parent_remote_id, direction, identity_id, user_id, body, url, state, flag, \
         at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
         $15) ON CONFLICT (organization_id, source, remote_id) DO NOTHING \
         RETURNING id, public_id",
    )
    .bind(&public_id)
    .bind(org)
    .bind(n.conversation_id)
    .bind(n.source)
    .bind(remote)
    .bind(n.parent_remote_id)
    .bind(n.direction)
    .bind(n.identity_id)
    .bind(n.user_id)
    .bind(n.body)
    .bind(n.url)
    .bind(n.state)
    .bind(n.flag)
    .bind(n.at)
    .bind(now_ms())
    .fetch_optional(e)
    .await?)
}

/// A message arrived in a conversation: it moves up, a finished or waiting one opens again,
/// and its words join the search text.
pub async fn arrived<'c, E: Executor<'c, Database = Any>>(
    e: E,
    conversation: i64,
    at: i64,
    words: &str,
    flagged: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE inbox_conversations SET last_at = CASE WHEN last_at > $2 THEN last_at ELSE $2 END, \
         status = CASE WHEN status IN ('done', 'waiting') THEN 'open' ELSE status END, \
         done_at = NULL, search_text = search_text || $3, \
         flagged = CASE WHEN flagged = '' THEN $4 ELSE flagged END WHERE id = $1",
    )
    .bind(conversation)
    .bind(at)
    .bind(words)
    .bind(flagged)
    .execute(e)
    .await?;
    Ok(())
}

/// An answer went out: the first one sets the first-response time; the conversation waits for
/// the other side.
pub async fn answered<'c, E: Executor<'c, Database = Any>>(
    e: E,
    conversation: i64,
    user: Option<i64>,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE inbox_conversations SET \
         first_responder_id = CASE WHEN first_response_at IS NULL THEN $2 ELSE first_responder_id END, \
         first_response_at = COALESCE(first_response_at, $3), \
         status = CASE WHEN status = 'done' THEN status ELSE 'waiting' END WHERE id = $1",
    )
    .bind(conversation)
    .bind(user)
    .bind(at)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn set_status<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    conversation: i64,
    status: &str,
    user: Option<i64>,
) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "UPDATE inbox_conversations SET status = $1, \
         done_at = CASE WHEN $1 = 'done' THEN $2 ELSE NULL END, \
         done_by = CASE WHEN $1 = 'done' THEN $3 ELSE NULL END \
         WHERE organization_id = $4 AND id = $5",
    )
    .bind(status)
    .bind(now)
    .bind(user)
    .bind(org)
    .bind(conversation)
    .execute(e)
    .await?;
    Ok(())
}

/// Sets who handles a conversation, its priority and its labels (' a b ').
pub async fn set_triage<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    conversation: i64,
    assignee: Option<i64>,
    priority: i64,
    labels: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE inbox_conversations SET assignee_id = $1, priority = $2, labels = $3 \
         WHERE organization_id = $4 AND id = $5",
    )
    .bind(assignee)
    .bind(priority)
    .bind(labels)
    .bind(org)
    .bind(conversation)
    .execute(e)
    .await?;
    Ok(())
}

/// A row of the inbox's list.
#[derive(Debug, Clone, FromRow)]
pub struct Row {
    pub public_id: String,
    pub source: String,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub priority: i64,
    pub labels: String,
    pub flagged: String,
    pub last_at: i64,
    pub author: String,
    pub handle: String,
    pub assignee: Option<String>,
    pub post_title: Option<String>,
    pub post_public_id: Option<String>,
    pub excerpt: Option<String>,
}

/// What the list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A status, `flagged`, or empty for every conversation not done.
    pub status: String,
    pub source: String,
    /// Only those assigned to this member.
    pub assignee: Option<i64>,
    pub label: String,
    /// Folded words; each must start a word of the conversation.
    pub words: Vec<String>,
    pub post_id: Option<i64>,
}

pub async fn list<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> Result<Vec<Row>> {
    let mut sql = String::from(
        "SELECT c.public_id, c.source, c.kind, c.subject, c.status, c.priority, c.labels, \
         c.flagged, c.last_at, COALESCE(i.name, '') AS author, COALESCE(i.handle, '') AS handle, \
         u.name AS assignee, p.title AS post_title, p.public_id AS post_public_id, \
         (SELECT m.body FROM inbox_messages m WHERE m.conversation_id = c.id \
          ORDER BY m.at DESC, m.id DESC LIMIT 1) AS excerpt \
         FROM inbox_conversations c \
         LEFT JOIN inbox_identities i ON i.id = c.identity_id \
         LEFT JOIN users u ON u.id = c.assignee_id \
         LEFT JOIN posts p ON p.id = c.post_id \
         WHERE c.organization_id = $1",
    );
    let mut binds: Vec<String> = Vec::new();
    let mut add = |sql: &mut String, clause: &str, value: String| {
        binds.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len() + 1)));
    };
    match f.status.as_str() {
        "" => sql.push_str(" AND c.status <> 'done'"),
        "all" => {}
        "flagged" => sql.push_str(" AND c.flagged <> ''"),
        s => add(&mut sql, " AND c.status = ?", s.to_string()),
    }
    if !f.source.is_empty() {
        add(&mut sql, " AND c.source = ?", f.source.clone());
    }
    if let Some(a) = f.assignee {
        add(
            &mut sql,
            " AND c.assignee_id = CAST(? AS BIGINT)",
            a.to_string(),
        );
    }
    if let Some(p) = f.post_id {
        add(
            &mut sql,
            " AND c.post_id = CAST(? AS BIGINT)",
            p.to_string(),
        );
    }
    if !f.label.is_empty() {
        add(&mut sql, " AND c.labels LIKE ?", format!("% {} %", f.label));
    }
    for w in &f.words {
        let escaped = w
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        add(
            &mut sql,
            " AND c.search_text LIKE ? ESCAPE '\\'",
            format!("% {escaped}%"),
        );
    }
    sql.push_str(&format!(
        " ORDER BY c.last_at DESC, c.id DESC LIMIT {limit} OFFSET {offset}"
    ));
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org);
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.fetch_all(e).await?)
}

/// Conversations nobody has opened yet, and those assigned to `user` that are not done —
/// each counted up to 100 (the navigation shows "99+"), so that a large inbox costs no more.
pub async fn unread<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    user: i64,
) -> Result<(i64, i64)> {
    let row: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM inbox_conversations \
         WHERE organization_id = $1 AND status = 'new' LIMIT 100) n), \
         (SELECT COUNT(*) FROM (SELECT 1 FROM inbox_conversations WHERE organization_id = $1 \
         AND assignee_id = $2 AND status IN ('new', 'open') LIMIT 100) m)",
    )
    .bind(org)
    .bind(user)
    .fetch_one(e)
    .await?;
    Ok(row)
}

#[derive(Debug, Clone, FromRow)]
pub struct Message {
    pub id: i64,
    pub public_id: String,
    pub conversation_id: i64,
    pub source: String,
    pub remote_id: String,
    pub parent_remote_id: String,
    pub direction: String,
    pub identity_id: Option<i64>,
    pub user_id: Option<i64>,
    pub body: String,
    pub url: String,
    pub state: String,
    pub flag: String,
    pub error: String,
    pub liked: i64,
    pub at: i64,
    /// The author's name: the identity's, or the member's for an answer.
    pub author: String,
    pub handle: String,
}

const M_COLS: &str = "m.id, m.public_id, m.conversation_id, m.source, m.remote_id, \
     m.parent_remote_id, m.direction, m.identity_id, m.user_id, m.body, m.url, m.state, m.flag, \
     m.error, m.liked, m.at, COALESCE(u.name, i.name, '') AS author, COALESCE(i.handle, '') AS handle";

pub async fn messages<'c, E: Executor<'c, Database = Any>>(
    e: E,
    conversation: i64,
) -> Result<Vec<Message>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {M_COLS} FROM inbox_messages m \
         LEFT JOIN inbox_identities i ON i.id = m.identity_id \
         LEFT JOIN users u ON u.id = m.user_id \
         WHERE m.conversation_id = $1 ORDER BY m.at, m.id"
    ))
    .bind(conversation)
    .fetch_all(e)
    .await?)
}

pub async fn message<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Message> {
    sqlx::query_as(crate::sql!(
        "SELECT {M_COLS} FROM inbox_messages m \
         LEFT JOIN inbox_identities i ON i.id = m.identity_id \
         LEFT JOIN users u ON u.id = m.user_id \
         WHERE m.organization_id = $1 AND m.public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn message_by_id<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Message> {
    sqlx::query_as(crate::sql!(
        "SELECT {M_COLS} FROM inbox_messages m \
         LEFT JOIN inbox_identities i ON i.id = m.identity_id \
         LEFT JOIN users u ON u.id = m.user_id WHERE m.id = $1"
    ))
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// Moves an answer from one state to another; false when it was not in `from`.
pub async fn move_message<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    from: &[&str],
    to: &str,
) -> Result<bool> {
    let list = from
        .iter()
        .map(|s| format!("'{}'", s.replace('\'', "")))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(sqlx::query(crate::sql!(
        "UPDATE inbox_messages SET state = $1 WHERE id = $2 AND state IN ({list})"
    ))
    .bind(to)
    .bind(id)
    .execute(e)
    .await?
    .rows_affected()
        == 1)
}

/// Records what became of an answer (or a moderation step) on the network.
pub async fn set_outcome<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    state: &str,
    remote: Option<(&str, &str)>,
    error: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE inbox_messages SET state = $1, error = $2, \
         remote_id = COALESCE($3, remote_id), url = COALESCE($4, url) WHERE id = $5",
    )
    .bind(state)
    .bind(error)
    .bind(remote.map(|r| r.0))
    .bind(remote.map(|r| r.1))
    .bind(id)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn set_liked<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<()> {
    sqlx::query("UPDATE inbox_messages SET liked = 1 WHERE id = $1")
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct Note {
    pub body: String,
    pub author: String,
    pub created_at: i64,
}

pub async fn notes<'c, E: Executor<'c, Database = Any>>(
    e: E,
    conversation: i64,
) -> Result<Vec<Note>> {
    Ok(sqlx::query_as(
        "SELECT n.body, COALESCE(u.name, '') AS author, n.created_at FROM inbox_notes n \
         LEFT JOIN users u ON u.id = n.user_id WHERE n.conversation_id = $1 ORDER BY n.id",
    )
    .bind(conversation)
    .fetch_all(e)
    .await?)
}

pub async fn add_note<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    conversation: i64,
    user: i64,
    body: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inbox_notes (organization_id, conversation_id, user_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(org)
    .bind(conversation)
    .bind(user)
    .bind(body)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct SavedReply {
    pub public_id: String,
    pub title: String,
    pub body: String,
}

pub async fn saved_replies<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Vec<SavedReply>> {
    Ok(sqlx::query_as(
        "SELECT public_id, title, body FROM inbox_saved_replies WHERE organization_id = $1 \
         ORDER BY title",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn save_reply<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    title: &str,
    body: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inbox_saved_replies (public_id, organization_id, title, body, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id, title) DO UPDATE SET body = $4",
    )
    .bind(new_public_id())
    .bind(org)
    .bind(title)
    .bind(body)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

pub async fn delete_saved_reply<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<bool> {
    Ok(
        sqlx::query(
            "DELETE FROM inbox_saved_replies WHERE organization_id = $1 AND public_id = $2",
        )
        .bind(org)
        .bind(public_id)
        .execute(e)
        .await?
        .rows_affected()
            == 1,
    )
}

#[derive(Debug, Clone, FromRow, Default)]
pub struct Settings {
    pub approval: i64,
    pub flag_words: String,
    pub hide_words: String,
    pub max_links: i64,
}

pub async fn settings<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Settings> {
    Ok(sqlx::query_as(
        "SELECT approval, flag_words, hide_words, max_links FROM inbox_settings \
         WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_optional(e)
    .await?
    .unwrap_or(Settings {
        max_links: 3,
        ..Settings::default()
    }))
}

pub async fn put_settings<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    s: &Settings,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inbox_settings (organization_id, approval, flag_words, hide_words, \
         max_links, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organization_id) \
         DO UPDATE SET approval = $2, flag_words = $3, hide_words = $4, max_links = $5, \
         updated_at = $6",
    )
    .bind(org)
    .bind(s.approval)
    .bind(&s.flag_words)
    .bind(&s.hide_words)
    .bind(s.max_links)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

/// A polling cursor: (cursor, polled at).
pub async fn cursor<'c, E: Executor<'c, Database = Any>>(
    e: E,
    channel: i64,
    scope: &str,
) -> Result<Option<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT cursor, polled_at FROM inbox_cursors WHERE channel_id = $1 AND scope = $2",
    )
    .bind(channel)
    .bind(scope)
    .fetch_optional(e)
    .await?)
}

pub async fn put_cursor<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    channel: i64,
    scope: &str,
    cursor: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inbox_cursors (organization_id, channel_id, scope, cursor, polled_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel_id, scope) \
         DO UPDATE SET cursor = $4, polled_at = $5",
    )
    .bind(org)
    .bind(channel)
    .bind(scope)
    .bind(cursor)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

/// Response times over conversations that began after `since`: per group (a channel's or
/// source's name, or a member's), how many, how many answered, the mean first-response and
/// resolution times in ms.
#[derive(Debug, Clone, FromRow)]
pub struct Times {
    pub group_key: String,
    pub conversations: i64,
    pub answered: i64,
    pub first_response_ms: Option<i64>,
    pub resolved: i64,
    pub resolution_ms: Option<i64>,
}

pub async fn times_by_channel<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    since: i64,
) -> Result<Vec<Times>> {
    Ok(sqlx::query_as(
        "SELECT COALESCE(ch.name, c.source) AS group_key, COUNT(*) AS conversations, \
         COUNT(c.first_response_at) AS answered, \
         CAST(AVG(c.first_response_at - c.first_in_at) AS BIGINT) AS first_response_ms, \
         COUNT(c.done_at) AS resolved, \
         CAST(AVG(c.done_at - c.first_in_at) AS BIGINT) AS resolution_ms \
         FROM inbox_conversations c LEFT JOIN channels ch ON ch.id = c.channel_id \
         WHERE c.organization_id = $1 AND c.first_in_at >= $2 \
         GROUP BY COALESCE(ch.name, c.source) ORDER BY 1",
    )
    .bind(org)
    .bind(since)
    .fetch_all(e)
    .await?)
}

pub async fn times_by_member<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    since: i64,
) -> Result<Vec<Times>> {
    Ok(sqlx::query_as(
        "SELECT u.name AS group_key, COUNT(*) AS conversations, \
         COUNT(c.first_response_at) AS answered, \
         CAST(AVG(c.first_response_at - c.first_in_at) AS BIGINT) AS first_response_ms, \
         COUNT(c.done_at) AS resolved, \
         CAST(AVG(c.done_at - c.first_in_at) AS BIGINT) AS resolution_ms \
         FROM inbox_conversations c JOIN users u ON u.id = c.first_responder_id \
         WHERE c.organization_id = $1 AND c.first_in_at >= $2 \
         GROUP BY u.name ORDER BY 1",
    )
    .bind(org)
    .bind(since)
    .fetch_all(e)
    .await?)
}

/// A person's messages in the inbox, newest first (their timeline).
#[derive(Debug, Clone, FromRow)]
pub struct PersonMessage {
    pub conversation: String,
    pub source: String,
    pub body: String,
    pub at: i64,
}

pub async fn of_person<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    person: i64,
    limit: i64,
) -> Result<Vec<PersonMessage>> {
    Ok(sqlx::query_as(
        "SELECT c.public_id AS conversation, m.source, m.body, m.at FROM inbox_messages m \
         JOIN inbox_identities i ON i.id = m.identity_id \
         JOIN inbox_conversations c ON c.id = m.conversation_id \
         WHERE m.organization_id = $1 AND i.person_id = $2 AND m.direction = 'in' \
         ORDER BY m.at DESC LIMIT $3",
    )
    .bind(org)
    .bind(person)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// Members whose daily digest is due (not sent in the last 20 hours), with their address and
/// language: (organization, user, email, name, lang).
pub async fn digests_due<'c, E: Executor<'c, Database = Any>>(
    e: E,
    now: i64,
) -> Result<Vec<(i64, i64, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT ms.organization_id, u.id, u.email, u.name, u.lang FROM memberships ms \
         JOIN users u ON u.id = ms.user_id \
         LEFT JOIN inbox_digests d ON d.organization_id = ms.organization_id AND d.user_id = u.id \
         WHERE COALESCE(d.frequency, 'daily') = 'daily' \
         AND (d.last_sent_at IS NULL OR d.last_sent_at < $1) \
         AND EXISTS (SELECT 1 FROM inbox_conversations c WHERE c.organization_id = ms.organization_id \
           AND c.status IN ('new', 'open') AND c.last_at > COALESCE(d.last_sent_at, $2)) \
         ORDER BY ms.organization_id, u.id LIMIT 500",
    )
    .bind(now - 20 * 3_600_000)
    .bind(now - 24 * 3_600_000)
    .fetch_all(e)
    .await?)
}

pub async fn digest_sent<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    user: i64,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inbox_digests (organization_id, user_id, frequency, last_sent_at) \
         VALUES ($1, $2, 'daily', $3) ON CONFLICT (organization_id, user_id) \
         DO UPDATE SET last_sent_at = $3",
    )
    .bind(org)
    .bind(user)
    .bind(at)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn digest_frequency<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    user: i64,
) -> Result<String> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT frequency FROM inbox_digests WHERE organization_id = $1 AND user_id = $2",
    )
    .bind(org)
    .bind(user)
    .fetch_optional(e)
    .await?;
    Ok(row.map_or_else(|| "daily".to_string(), |r| r.0))
}

pub async fn set_digest<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    user: i64,
    frequency: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inbox_digests (organization_id, user_id, frequency) VALUES ($1, $2, $3) \
         ON CONFLICT (organization_id, user_id) DO UPDATE SET frequency = $3",
    )
    .bind(org)
    .bind(user)
    .bind(frequency)
    .execute(e)
    .await?;
    Ok(())
}

/// Connected channels that may be called at `now`: (organization, channel).
pub async fn pollable<'c, E: Executor<'c, Database = Any>>(
    e: E,
    now: i64,
) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT organization_id, channel_id FROM connections WHERE needs_reconnect = 0 \
         AND (blocked_until IS NULL OR blocked_until < $1) ORDER BY id",
    )
    .bind(now)
    .fetch_all(e)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct Published {
    pub id: i64,
    pub post_id: i64,
    pub remote_id: String,
    pub published_at: i64,
}

/// A channel's publications since `since`, newest first.
pub async fn published_since<'c, E: Executor<'c, Database = Any>>(
    e: E,
    channel: i64,
    since: i64,
) -> Result<Vec<Published>> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.post_id, p.remote_id, COALESCE(s.published_at, p.updated_at) AS published_at \
         FROM publications p JOIN posts s ON s.id = p.post_id \
         WHERE p.channel_id = $1 AND p.state = 'published' AND p.remote_id IS NOT NULL \
         AND p.remote_id <> '' AND COALESCE(s.published_at, p.updated_at) > $2 \
         ORDER BY p.id DESC LIMIT 100",
    )
    .bind(channel)
    .bind(since)
    .fetch_all(e)
    .await?)
}

/// A site comment the inbox has not taken yet.
#[derive(Debug, Clone, FromRow)]
pub struct SiteComment {
    pub organization_id: i64,
    pub public_id: String,
    pub post_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub created_at: i64,
    pub email: String,
    pub name: String,
    pub parent: Option<String>,
    pub post_public: Option<String>,
}

/// The site's comments not in the inbox yet, once proven (waiting for a moderator or shown);
/// the organization's own (an empty address) are its answers.
pub async fn site_comments_to_take<'c, E: Executor<'c, Database = Any>>(
    e: E,
) -> Result<Vec<SiteComment>> {
    Ok(sqlx::query_as(
        "SELECT k.organization_id, k.public_id, k.post_id, k.title, k.body, k.created_at, \
         c.email, c.name, p.public_id AS parent, s.public_id AS post_public \
         FROM comments k JOIN commenters c ON c.id = k.commenter_id \
         LEFT JOIN comments p ON p.id = k.parent_id LEFT JOIN posts s ON s.id = k.post_id \
         WHERE k.status IN ('pending', 'visible') AND c.email <> '' AND NOT EXISTS \
         (SELECT 1 FROM inbox_messages m WHERE m.organization_id = k.organization_id \
          AND m.source = 'site' AND m.remote_id = k.public_id) ORDER BY k.id LIMIT 500",
    )
    .fetch_all(e)
    .await?)
}

/// A fediverse reply or mention the inbox has not taken yet.
#[derive(Debug, Clone, FromRow)]
pub struct ApItem {
    pub organization_id: i64,
    pub kind: String,
    pub actor: String,
    pub object_id: String,
    pub post_id: Option<i64>,
    pub content: String,
    pub url: String,
    pub in_reply_to: String,
    pub created_at: i64,
    pub name: Option<String>,
}

pub async fn ap_items_to_take<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<Vec<ApItem>> {
    Ok(sqlx::query_as(
        "SELECT i.organization_id, i.kind, i.actor, i.object_id, i.post_id, i.content, i.url, \
         i.in_reply_to, i.created_at, a.name FROM ap_items i \
         LEFT JOIN ap_actors a ON a.id = i.actor \
         WHERE i.kind IN ('reply', 'mention') AND i.deleted = 0 AND NOT EXISTS \
         (SELECT 1 FROM inbox_messages m WHERE m.organization_id = i.organization_id \
          AND m.source = 'fediverse' AND m.remote_id = i.object_id) ORDER BY i.id LIMIT 500",
    )
    .fetch_all(e)
    .await?)
}

/// The organizations and channels connected to an account of a network: (organization,
/// channel).
pub async fn channels_of_account<'c, E: Executor<'c, Database = Any>>(
    e: E,
    network: &str,
    account: &str,
) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT c.organization_id, c.channel_id FROM connections c \
         JOIN channels ch ON ch.id = c.channel_id WHERE ch.network = $1 AND c.account = $2",
    )
    .bind(network)
    .bind(account)
    .fetch_all(e)
    .await?)
}

/// Our post published on a channel under the network's id `remote`.
pub async fn post_of_remote<'c, E: Executor<'c, Database = Any>>(
    e: E,
    channel: i64,
    remote: &str,
) -> Result<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT post_id FROM publications WHERE channel_id = $1 AND remote_id = $2")
            .bind(channel)
            .bind(remote)
            .fetch_optional(e)
            .await?;
    Ok(row.map(|r| r.0))
}

/// An email answer of ours with this Message-ID (without `<>`): (organization, conversation).
pub async fn email_answer<'c, E: Executor<'c, Database = Any>>(
    e: E,
    message_id: &str,
) -> Result<Option<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT organization_id, conversation_id FROM inbox_messages WHERE source = 'email' \
         AND remote_id = $1 AND direction = 'out'",
    )
    .bind(message_id.trim_matches(['<', '>']))
    .fetch_optional(e)
    .await?)
}

/// Erasure: what a person wrote to the organization is blanked, and who they were on each
/// source goes. The messages' rows stay, empty, as the marks that they were taken: a poll or a
/// sweep that meets them again does not bring them back. Returns how many were blanked.
pub async fn forget_person(tx: &mut crate::Tx, org: i64, person: i64) -> Result<u64> {
    const THEIRS: &str =
        "(SELECT id FROM inbox_identities WHERE organization_id = $1 AND person_id = $2)";
    // Their words and name leave the search text and subject of their conversations.
    sqlx::query(crate::sql!(
        "UPDATE inbox_conversations SET search_text = ' ', subject = '' \
         WHERE organization_id = $1 AND identity_id IN {THEIRS}"
    ))
    .bind(org)
    .bind(person)
    .execute(&mut **tx)
    .await?;
    let n = sqlx::query(crate::sql!(
        "UPDATE inbox_messages SET body = '', url = '', flag = '', state = 'erased', \
         identity_id = NULL WHERE organization_id = $1 AND identity_id IN {THEIRS}"
    ))
    .bind(org)
    .bind(person)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM inbox_identities WHERE organization_id = $1 AND person_id = $2")
        .bind(org)
        .bind(person)
        .execute(&mut **tx)
        .await?;
    Ok(n)
}
