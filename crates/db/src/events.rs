//! Events of the site and their sign-ups: RSVP settings of an event post, volunteer shifts, and
//! each person's answer. Every query takes the organization's id.

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow)]
pub struct Event {
    pub id: i64,
    pub organization_id: i64,
    pub post_id: i64,
    pub starts_at: i64,
    pub capacity: Option<i64>,
    pub waitlist: i64,
    pub rsvp_open: i64,
    pub duration_minutes: i64,
    pub online_url: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const E_COLS: &str = "id, organization_id, post_id, starts_at, capacity, waitlist, rsvp_open, \
     duration_minutes, online_url, created_at, updated_at";

pub async fn of_post<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
) -> Result<Option<Event>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {E_COLS} FROM events WHERE organization_id = $1 AND post_id = $2"
    ))
    .bind(org)
    .bind(post)
    .fetch_optional(e)
    .await?)
}

pub struct EventData<'a> {
    pub starts_at: i64,
    pub capacity: Option<i64>,
    pub waitlist: bool,
    pub rsvp_open: bool,
    pub duration_minutes: i64,
    pub online_url: &'a str,
}

/// Creates the post's event settings, or changes them.
pub async fn save<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    post: i64,
    d: &EventData<'_>,
) -> Result<Event> {
    let now = now_ms();
    sqlx::query_as(crate::sql!(
        "INSERT INTO events (organization_id, post_id, capacity, waitlist, rsvp_open, \
         duration_minutes, online_url, created_at, updated_at, starts_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) \
         ON CONFLICT (post_id) DO UPDATE SET capacity = $3, waitlist = $4, rsvp_open = $5, \
         duration_minutes = $6, online_url = $7, updated_at = $8, starts_at = $9 \
         RETURNING {E_COLS}"
    ))
    .bind(org)
    .bind(post)
    .bind(d.capacity)
    .bind(i64::from(d.waitlist))
    .bind(i64::from(d.rsvp_open))
    .bind(d.duration_minutes)
    .bind(d.online_url)
    .bind(now)
    .bind(d.starts_at)
    .fetch_one(e)
    .await
    .map_err(DbError::from)
}

/// Takes the event's row for the rest of the transaction, so two sign-ups cannot both take the
/// last place (a write lock on SQLite, a row lock on PostgreSQL).
pub async fn lock<'c, E: Executor<'c, Database = Any>>(e: E, org: i64, id: i64) -> Result<()> {
    sqlx::query("UPDATE events SET updated_at = updated_at WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(e)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct Shift {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub event_id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub created_at: i64,
}

const S_COLS: &str =
    "id, public_id, organization_id, event_id, title, starts_at, ends_at, capacity, created_at";

pub async fn shifts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    event: i64,
) -> Result<Vec<Shift>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {S_COLS} FROM event_shifts WHERE organization_id = $1 AND event_id = $2 \
         ORDER BY starts_at, id"
    ))
    .bind(org)
    .bind(event)
    .fetch_all(e)
    .await?)
}

pub async fn shift<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    event: i64,
    public_id: &str,
) -> Result<Shift> {
    sqlx::query_as(crate::sql!(
        "SELECT {S_COLS} FROM event_shifts WHERE organization_id = $1 AND event_id = $2 \
         AND public_id = $3"
    ))
    .bind(org)
    .bind(event)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn add_shift<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    event: i64,
    title: &str,
    starts_at: i64,
    ends_at: i64,
    capacity: i64,
) -> Result<Shift> {
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO event_shifts (public_id, organization_id, event_id, title, starts_at, \
         ends_at, capacity, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {S_COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(event)
    .bind(title)
    .bind(starts_at)
    .bind(ends_at)
    .bind(capacity)
    .bind(now_ms())
    .fetch_one(e)
    .await?)
}

pub async fn delete_shift<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM event_shifts WHERE id = $1 AND organization_id = $2")
        .bind(id)
        .bind(org)
        .execute(e)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct Rsvp {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub event_id: i64,
    pub shift_id: i64,
    pub person_id: i64,
    pub status: String,
    pub guests: i64,
    pub attended: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const R_COLS: &str = "id, public_id, organization_id, event_id, shift_id, person_id, status, \
     guests, attended, created_at, updated_at";

/// Places taken (people and their guests) for the event (`shift` 0) or a shift, not counting
/// `except`'s own answer.
pub async fn taken<'c, E: Executor<'c, Database = Any>>(
    e: E,
    event: i64,
    shift: i64,
    except_person: i64,
) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(1 + guests), 0) AS BIGINT) FROM rsvps WHERE event_id = $1 AND shift_id = $2 \
         AND status = 'going' AND person_id <> $3",
    )
    .bind(event)
    .bind(shift)
    .bind(except_person)
    .fetch_one(e)
    .await?;
    Ok(n)
}

pub async fn rsvp_of<'c, E: Executor<'c, Database = Any>>(
    e: E,
    event: i64,
    shift: i64,
    person: i64,
) -> Result<Option<Rsvp>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {R_COLS} FROM rsvps WHERE event_id = $1 AND shift_id = $2 AND person_id = $3"
    ))
    .bind(event)
    .bind(shift)
    .bind(person)
    .fetch_optional(e)
    .await?)
}

/// Records a person's answer (a second answer replaces the first).
#[allow(clippy::too_many_arguments)]
pub async fn put_rsvp<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    event: i64,
    shift: i64,
    person: i64,
    status: &str,
    guests: i64,
) -> Result<Rsvp> {
    let now = now_ms();
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO rsvps (public_id, organization_id, event_id, shift_id, person_id, status, \
         guests, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         ON CONFLICT (event_id, shift_id, person_id) DO UPDATE SET status = $6, guests = $7, \
         updated_at = $8 RETURNING {R_COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(event)
    .bind(shift)
    .bind(person)
    .bind(status)
    .bind(guests)
    .bind(now)
    .fetch_one(e)
    .await?)
}

/// An answer with who gave it, for the organization's list.
#[derive(Debug, Clone, FromRow)]
pub struct RsvpRow {
    pub public_id: String,
    pub shift_id: i64,
    pub status: String,
    pub guests: i64,
    pub attended: Option<i64>,
    pub created_at: i64,
    pub person_public_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub async fn rsvps<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    event: i64,
) -> Result<Vec<RsvpRow>> {
    Ok(sqlx::query_as(
        "SELECT r.public_id, r.shift_id, r.status, r.guests, r.attended, r.created_at, \
         p.public_id AS person_public_id, p.first_name, p.last_name, p.email, p.phone \
         FROM rsvps r JOIN people p ON p.id = r.person_id \
         WHERE r.organization_id = $1 AND r.event_id = $2 ORDER BY r.shift_id, r.id",
    )
    .bind(org)
    .bind(event)
    .fetch_all(e)
    .await?)
}

/// Marks whether someone came (`None` clears it).
pub async fn set_attended<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    rsvp: &str,
    attended: Option<bool>,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE rsvps SET attended = $1, updated_at = $2 WHERE public_id = $3 \
         AND organization_id = $4",
    )
    .bind(attended.map(i64::from))
    .bind(now_ms())
    .bind(rsvp)
    .bind(org)
    .execute(e)
    .await?;
    crate::touched(&r)
}

/// The oldest waiting answer for the event or a shift, to move up when a place frees.
pub async fn first_waiting<'c, E: Executor<'c, Database = Any>>(
    e: E,
    event: i64,
    shift: i64,
) -> Result<Option<Rsvp>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {R_COLS} FROM rsvps WHERE event_id = $1 AND shift_id = $2 AND status = 'waitlist' \
         ORDER BY created_at, id LIMIT 1"
    ))
    .bind(event)
    .bind(shift)
    .fetch_optional(e)
    .await?)
}

pub async fn rsvp_by_public_id<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Rsvp> {
    sqlx::query_as(crate::sql!(
        "SELECT {R_COLS} FROM rsvps WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn set_status<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    status: &str,
) -> Result<()> {
    sqlx::query("UPDATE rsvps SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now_ms())
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// Answers due a message of `kind`: (organization, answer's public id). Reminders go to those
/// going to events starting in (`from`, `to`]; the thank-you to those going (and not marked
/// absent) to events that ended in (`from`, `to`].
pub async fn due<'c, E: Executor<'c, Database = Any>>(
    e: E,
    kind: &str,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, String)>> {
    let window = if kind == "thanks" {
        "e.starts_at + e.duration_minutes * 60000 > $1 AND e.starts_at + e.duration_minutes * 60000 <= $2 \
         AND (r.attended IS NULL OR r.attended = 1)"
    } else {
        "e.starts_at > $1 AND e.starts_at <= $2"
    };
    Ok(sqlx::query_as(crate::sql!(
        "SELECT r.organization_id, r.public_id FROM rsvps r JOIN events e ON e.id = r.event_id \
         JOIN posts p ON p.id = e.post_id WHERE p.status = 'published' AND r.status = 'going' \
         AND {window} AND NOT EXISTS (SELECT 1 FROM jobs j \
         WHERE j.unique_key = 'event-' || $3 || '-' || r.public_id) ORDER BY r.id LIMIT 5000"
    ))
    .bind(from)
    .bind(to)
    .bind(kind)
    .fetch_all(e)
    .await?)
}

/// Takes the (answer, kind, channel) message for sending: false when it was taken before.
pub async fn claim_message<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    rsvp: i64,
    kind: &str,
    channel: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO event_messages (organization_id, rsvp_id, kind, channel, status, created_at) \
         VALUES ($1, $2, $3, $4, 'sending', $5) ON CONFLICT (rsvp_id, kind, channel) DO NOTHING",
    )
    .bind(org)
    .bind(rsvp)
    .bind(kind)
    .bind(channel)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The state of a message taken before (`sending` when a run stopped before it was sent).
pub async fn message_status<'c, E: Executor<'c, Database = Any>>(
    e: E,
    rsvp: i64,
    kind: &str,
    channel: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_as::<_, (String,)>(
        "SELECT status FROM event_messages WHERE rsvp_id = $1 AND kind = $2 AND channel = $3",
    )
    .bind(rsvp)
    .bind(kind)
    .bind(channel)
    .fetch_optional(e)
    .await?
    .map(|r| r.0))
}

pub async fn set_message<'c, E: Executor<'c, Database = Any>>(
    e: E,
    rsvp: i64,
    kind: &str,
    channel: &str,
    status: &str,
    error: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE event_messages SET status = $1, error = $2 WHERE rsvp_id = $3 AND kind = $4 \
         AND channel = $5",
    )
    .bind(status)
    .bind(error)
    .bind(rsvp)
    .bind(kind)
    .bind(channel)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn by_id<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Event> {
    sqlx::query_as(crate::sql!("SELECT {E_COLS} FROM events WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await?
        .ok_or(DbError::NotFound)
}
