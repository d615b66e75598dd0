//! Events and volunteer shifts on the site: an event post takes RSVPs (with a capacity and a
//! waiting list), its shifts take volunteers one place at a time, each answer makes or updates
//! a person with the consents they gave, and the event comes as an `.ics` file for calendars.

use kehilla_db::events::{self as db, Event, Rsvp, Shift};
use kehilla_db::studio::Post;
use kehilla_db::{Db, people};
use kehilla_domain::Role;
use kehilla_domain::people::{normalize_email, normalize_phone};
use kehilla_domain::validate::{InputError, Lang};
use serde::Deserialize;

use crate::audit::Actor;
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::members::OrgMember;
use crate::people::consent::{self, Consent};
use crate::people::forms::{Submission, find_or_create};
use crate::people::person::short;
use crate::{AppError, Result, i18n};

/// Most guests one person may bring.
pub const MAX_GUESTS: i64 = 10;

/// An event post's start, in the organization's zone, as Unix milliseconds.
pub fn starts_at(post: &Post, zone: &str) -> Option<i64> {
    let d = crate::studio::posts::details_of(post);
    if d.event_start.is_empty() {
        return None;
    }
    crate::studio::parse_local(crate::studio::zone(zone), &d.event_start).ok()
}

/// An event as the site shows it: its settings (defaults when none were saved), its shifts
/// and how many places are left.
#[derive(Debug, Clone)]
pub struct EventView {
    pub event: Option<Event>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: Option<i64>,
    pub waitlist: bool,
    pub open: bool,
    pub online_url: String,
    /// Places left for the event itself (`None`: no limit).
    pub left: Option<i64>,
    pub shifts: Vec<(Shift, i64)>,
}

/// The event of a published event post, if it has a start time.
pub async fn view(db: &Db, post: &Post, zone: &str) -> Result<Option<EventView>> {
    if post.kind != "event" {
        return Ok(None);
    }
    let Some(start) = starts_at(post, zone) else {
        return Ok(None);
    };
    let event = db::of_post(&db.pool, post.organization_id, post.id).await?;
    let (capacity, waitlist, open, duration, online) = match &event {
        Some(e) => (
            e.capacity,
            e.waitlist == 1,
            e.rsvp_open == 1,
            e.duration_minutes,
            e.online_url.clone(),
        ),
        None => (None, true, true, 120, String::new()),
    };
    let online = if crate::studio::posts::is_web_address(&online) {
        online
    } else {
        String::new()
    };
    let mut left = None;
    let mut shifts = Vec::new();
    if let Some(e) = &event {
        if let Some(c) = e.capacity {
            left = Some((c - db::taken(&db.pool, e.id, 0, 0).await?).max(0));
        }
        for s in db::shifts(&db.pool, e.organization_id, e.id).await? {
            let l = (s.capacity - db::taken(&db.pool, e.id, s.id, 0).await?).max(0);
            shifts.push((s, l));
        }
    }
    Ok(Some(EventView {
        event,
        starts_at: start,
        ends_at: start + duration * 60_000,
        capacity,
        waitlist,
        open: open && start > kehilla_db::now_ms(),
        online_url: online,
        left,
        shifts,
    }))
}

/// The event row of a post, made with the defaults the first time it is needed.
async fn ensure(db: &Db, post: &Post, zone: &str) -> Result<Event> {
    if let Some(e) = db::of_post(&db.pool, post.organization_id, post.id).await? {
        return Ok(e);
    }
    let start = starts_at(post, zone).ok_or(AppError::NotFound)?;
    Ok(db::save(
        &db.pool,
        post.organization_id,
        post.id,
        &db::EventData {
            starts_at: start,
            capacity: None,
            waitlist: true,
            rsvp_open: true,
            duration_minutes: 120,
            online_url: "",
        },
    )
    .await?)
}

/// What the RSVP form sends.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RsvpInput {
    /// Where the visitor came from (the tracked link's UTM parameters), for attribution.
    #[serde(default)]
    pub utm_source: String,
    #[serde(default)]
    pub utm_campaign: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub guests: Option<i64>,
    /// A shift's public id; empty for the event itself.
    #[serde(default)]
    pub shift: String,
    /// "1" when the person wants the newsletter by email.
    #[serde(default)]
    pub newsletter: String,
    /// "1" when the person wants SMS reminders.
    #[serde(default)]
    pub sms_reminders: String,
    /// The honeypot: people leave it empty.
    #[serde(default)]
    pub website: String,
}

/// How an RSVP ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Going,
    Waitlist,
}

/// Takes an RSVP (or a shift sign-up) for a published event post. A second answer from the
/// same person replaces the first. When the places are taken it joins the waiting list, or —
/// for a shift or an event without one — is refused with `event-full`.
pub async fn rsvp(db: &Db, post: &Post, zone: &str, i: &RsvpInput, lang: Lang) -> Result<Answer> {
    let Some(v) = view(db, post, zone).await? else {
        return Err(AppError::NotFound);
    };
    if !i.website.trim().is_empty() {
        // A bot filled the honeypot: it is told it worked, and nothing is kept.
        return Ok(Answer::Going);
    }
    if !v.open {
        return Err(AppError::Conflict("event-closed"));
    }
    let s = Submission {
        first_name: short("first_name", &i.first_name, 100)?,
        last_name: short("last_name", &i.last_name, 100)?,
        email: normalize_email(&i.email).map_err(AppError::input("email"))?,
        phone: match i.phone.trim() {
            "" if i.sms_reminders == "1" => {
                return Err(AppError::Input {
                    field: "phone",
                    error: InputError::Required,
                });
            }
            "" => String::new(),
            p => normalize_phone(p).map_err(AppError::input("phone"))?,
        },
        ..Submission::default()
    };
    if s.first_name.is_empty() {
        return Err(AppError::Input {
            field: "first_name",
            error: InputError::Required,
        });
    }
    let guests = i.guests.unwrap_or(0);
    if !(0..=MAX_GUESTS).contains(&guests) {
        return Err(AppError::Input {
            field: "guests",
            error: InputError::InvalidValue,
        });
    }
    let event = ensure(db, post, zone).await?;
    let org = post.organization_id;
    let shift = match i.shift.trim() {
        "" => None,
        id => Some(db::shift(&db.pool, org, event.id, id).await?),
    };
    // Shifts are one place each: volunteers sign up themselves.
    let (shift_id, capacity, waitlist, guests) = match &shift {
        Some(sh) => (sh.id, Some(sh.capacity), false, 0),
        None => (0, event.capacity, event.waitlist == 1, guests),
    };
    let mut tx = db.begin().await?;
    db::lock(&mut *tx, org, event.id).await?;
    let person = find_or_create(&mut tx, org, &s, lang.code()).await?;
    let previous = db::rsvp_of(&mut *tx, event.id, shift_id, person).await?;
    let taken = db::taken(&mut *tx, event.id, shift_id, person).await?;
    let fits = capacity.is_none_or(|c| taken + 1 + guests <= c);
    // Someone already going keeps their place if the new answer still fits; a new answer that
    // does not fit waits (or is refused).
    let status = if fits {
        "going"
    } else if waitlist {
        "waitlist"
    } else {
        return Err(AppError::Conflict("event-full"));
    };
    db::put_rsvp(&mut *tx, org, event.id, shift_id, person, status, guests).await?;
    if previous.is_none() {
        crate::measure::insights::record(
            &mut tx,
            org,
            "rsvp",
            Some(person),
            &i.utm_source,
            &i.utm_campaign,
        )
        .await?;
    }
    let title = if post.title.is_empty() {
        crate::home::site::summary(&post.body, 60)
    } else {
        post.title.clone()
    };
    let wording = |key: &str| i18n::t(lang, key);
    let meta = serde_json::json!({ "event": post.public_id });
    let mut boxes = Vec::new();
    if i.newsletter == "1" {
        boxes.push(("email", "newsletter", wording("form-consent-newsletter")));
    }
    if i.sms_reminders == "1" {
        boxes.push((
            "sms",
            "event_reminders",
            wording("form-consent-sms-reminders"),
        ));
    }
    for (channel, purpose, text) in &boxes {
        let c = Consent {
            channel,
            purpose,
            given: true,
            source: "event",
            source_ref: &post.public_id,
            wording: text,
            meta: meta.clone(),
        };
        consent::append(&mut tx, org, person, &c, "").await?;
    }
    if previous.is_none() {
        let (kind, detail) = match &shift {
            Some(sh) => ("shift-signup", format!("{title} · {}", sh.title)),
            None => ("rsvp", title),
        };
        people::add_event(&mut *tx, org, person, kind, &detail, "").await?;
    }
    tx.commit().await?;
    Ok(if status == "going" {
        Answer::Going
    } else {
        Answer::Waitlist
    })
}

/// What the event settings form sends.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsInput {
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub waitlist: String,
    #[serde(default)]
    pub rsvp_open: String,
    #[serde(default)]
    pub duration_minutes: Option<i64>,
    #[serde(default)]
    pub online_url: String,
}

fn editor(by: &OrgMember) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

pub async fn save_settings(
    db: &Db,
    by: &OrgMember,
    actor: &Actor,
    post: &Post,
    i: &SettingsInput,
) -> Result<()> {
    editor(by)?;
    let capacity = match i.capacity.trim() {
        "" => None,
        c => Some(
            c.parse::<i64>()
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or(AppError::Input {
                    field: "capacity",
                    error: InputError::InvalidValue,
                })?,
        ),
    };
    let duration = i.duration_minutes.unwrap_or(120);
    if !(5..=7 * 24 * 60).contains(&duration) {
        return Err(AppError::Input {
            field: "duration_minutes",
            error: InputError::InvalidValue,
        });
    }
    let online = i.online_url.trim();
    if !online.is_empty() && !crate::studio::posts::is_web_address(online) {
        return Err(AppError::Input {
            field: "online_url",
            error: InputError::InvalidValue,
        });
    }
    let start = starts_at(post, &by.org.time_zone).ok_or(AppError::NotFound)?;
    db::save(
        &db.pool,
        by.org.id,
        post.id,
        &db::EventData {
            starts_at: start,
            capacity,
            waitlist: i.waitlist == "1",
            rsvp_open: i.rsvp_open == "1",
            duration_minutes: duration,
            online_url: online,
        },
    )
    .await?;
    crate::audit::record(
        &db.pool,
        Some(by.org.id),
        actor,
        "event.settings",
        &post.public_id,
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ShiftInput {
    #[serde(default)]
    pub title: String,
    /// `YYYY-MM-DDTHH:MM` in the organization's zone.
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub capacity: Option<i64>,
}

pub async fn add_shift(
    db: &Db,
    by: &OrgMember,
    actor: &Actor,
    post: &Post,
    i: &ShiftInput,
) -> Result<Shift> {
    editor(by)?;
    let title = short("title", &i.title, 100)?;
    if title.is_empty() {
        return Err(AppError::Input {
            field: "title",
            error: InputError::Required,
        });
    }
    let tz = crate::studio::zone(&by.org.time_zone);
    let start = crate::studio::parse_local(tz, &i.starts_at).map_err(|_| AppError::Input {
        field: "starts_at",
        error: InputError::InvalidValue,
    })?;
    let end = crate::studio::parse_local(tz, &i.ends_at).map_err(|_| AppError::Input {
        field: "ends_at",
        error: InputError::InvalidValue,
    })?;
    if end <= start {
        return Err(AppError::Input {
            field: "ends_at",
            error: InputError::InvalidValue,
        });
    }
    let capacity = i.capacity.unwrap_or(0);
    if !(1..=10_000).contains(&capacity) {
        return Err(AppError::Input {
            field: "capacity",
            error: InputError::InvalidValue,
        });
    }
    let event = ensure(db, post, &by.org.time_zone).await?;
    let s = db::add_shift(&db.pool, by.org.id, event.id, &title, start, end, capacity).await?;
    crate::audit::record(
        &db.pool,
        Some(by.org.id),
        actor,
        "event.shift",
        &s.public_id,
    )
    .await?;
    Ok(s)
}

pub async fn delete_shift(
    db: &Db,
    by: &OrgMember,
    actor: &Actor,
    post: &Post,
    shift: &str,
) -> Result<()> {
    editor(by)?;
    let event = ensure(db, post, &by.org.time_zone).await?;
    let s = db::shift(&db.pool, by.org.id, event.id, shift).await?;
    db::delete_shift(&db.pool, by.org.id, s.id).await?;
    crate::audit::record(
        &db.pool,
        Some(by.org.id),
        actor,
        "event.shift-deleted",
        shift,
    )
    .await?;
    Ok(())
}

/// Marks whether someone came.
pub async fn mark_attended(
    db: &Db,
    by: &OrgMember,
    rsvp: &str,
    attended: Option<bool>,
) -> Result<()> {
    editor(by)?;
    db::set_attended(&db.pool, by.org.id, rsvp, attended).await?;
    Ok(())
}

/// Cancels an answer (staff, for someone who told them); the first on the waiting list whose
/// party fits moves up.
pub async fn cancel(db: &Db, by: &OrgMember, actor: &Actor, rsvp: &str) -> Result<Option<Rsvp>> {
    editor(by)?;
    let r = db::rsvp_by_public_id(&db.pool, by.org.id, rsvp).await?;
    let mut tx = db.begin().await?;
    db::lock(&mut *tx, by.org.id, r.event_id).await?;
    db::set_status(&mut *tx, r.id, "cancelled").await?;
    let mut moved = None;
    if r.status == "going"
        && let Some(w) = db::first_waiting(&mut *tx, r.event_id, r.shift_id).await?
    {
        let capacity: Option<i64> = if r.shift_id == 0 {
            sqlx_capacity(&mut tx, r.event_id).await?
        } else {
            None
        };
        let taken = db::taken(&mut *tx, r.event_id, r.shift_id, 0).await?;
        if capacity.is_none_or(|c| taken + 1 + w.guests <= c) {
            db::set_status(&mut *tx, w.id, "going").await?;
            moved = Some(w);
        }
    }
    tx.commit().await?;
    crate::audit::record(
        &db.pool,
        Some(by.org.id),
        actor,
        "event.rsvp-cancelled",
        rsvp,
    )
    .await?;
    Ok(moved)
}

async fn sqlx_capacity(tx: &mut kehilla_db::Tx, event: i64) -> Result<Option<i64>> {
    let (c,): (Option<i64>,) =
        kehilla_db::sqlx::query_as("SELECT capacity FROM events WHERE id = $1")
            .bind(event)
            .fetch_one(&mut **tx)
            .await?;
    Ok(c)
}

// ---- Reminders and the thank-you ----

const HOUR: i64 = 3_600_000;
/// The short reminder goes this long before the start.
pub const HOURS_BEFORE: i64 = 3;

/// Once a minute: queues the reminders (a day before, hours before) and the thank-you (after
/// the event ends) that are due, one job per answer and kind. A job's unique key makes queueing
/// twice — by two servers, or in two ticks — harmless. Returns how many were queued.
pub async fn tick(db: &Db, now: i64) -> Result<usize> {
    let mut n = 0;
    for (kind, from, to) in [
        // Looked at within a window, so a server that was down catches up, and an RSVP made
        // after the reminder's time is not reminded of what it just did.
        ("day", now + 20 * HOUR, now + 24 * HOUR),
        ("hours", now + HOUR, now + HOURS_BEFORE * HOUR),
        ("thanks", now - 24 * HOUR, now),
    ] {
        for (org, rsvp) in db::due(&db.pool, kind, from, to).await? {
            let job = kehilla_db::jobs::NewJob::new(
                EventMessageJob::KIND,
                serde_json::json!({ "rsvp": rsvp, "kind": kind }),
            )
            .org(org)
            .unique(format!("event-{kind}-{rsvp}"))
            .max_attempts(6);
            if kehilla_db::jobs::enqueue(&db.pool, job).await?.is_some() {
                n += 1;
            }
        }
    }
    Ok(n)
}

/// `site.event-message`: one reminder or thank-you to one person, by email (when they gave one)
/// and, for reminders, by SMS when they have a current SMS consent for event reminders and the
/// organization has a gateway. An SMS is claimed in `event_messages` before it is handed to the
/// gateway, so it is never sent twice.
pub struct EventMessageJob;

impl EventMessageJob {
    pub const KIND: &'static str = "site.event-message";
}

#[derive(Deserialize)]
struct MessagePayload {
    rsvp: String,
    kind: String,
}

impl JobHandler for EventMessageJob {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a kehilla_db::jobs::Claimed,
    ) -> futures::future::BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let p: MessagePayload = serde_json::from_str(&job.payload)
                .map_err(|e| JobError::Permanent(format!("payload: {e}")))?;
            let org_id = job
                .organization_id
                .ok_or_else(|| JobError::Permanent("no organization".into()))?;
            send_message(ctx, org_id, &p.rsvp, &p.kind).await
        })
    }
}

async fn send_message(
    ctx: &JobContext,
    org_id: i64,
    rsvp: &str,
    kind: &str,
) -> std::result::Result<(), JobError> {
    let db = &ctx.db;
    let r = db::rsvp_by_public_id(&db.pool, org_id, rsvp).await?;
    if r.status != "going" || (kind == "thanks" && r.attended == Some(0)) {
        return Ok(());
    }
    let event = db::by_id(&db.pool, r.event_id).await?;
    let post = kehilla_db::studio::post_by_id(&db.pool, event.post_id).await?;
    let org = kehilla_db::orgs::by_id(&db.pool, org_id).await?;
    let person = people::by_id(&db.pool, org_id, r.person_id).await?;
    let lang = Lang::parse(&person.lang).unwrap_or_default();
    let title = if post.title.is_empty() {
        crate::home::site::summary(&post.body, 60)
    } else {
        post.title.clone()
    };
    let tz = crate::studio::zone(&org.time_zone);
    let when = crate::studio::to_local(tz, event.starts_at)
        .format("%d.%m.%Y %H:%M")
        .to_string();
    let d = crate::studio::posts::details_of(&post);
    let place = if d.place.is_empty() {
        event.online_url.clone()
    } else {
        d.place.clone()
    };
    let shift = if r.shift_id == 0 {
        String::new()
    } else {
        db::shifts(&db.pool, org_id, event.id)
            .await?
            .into_iter()
            .find(|s| s.id == r.shift_id)
            .map(|s| {
                let t = crate::studio::to_local(tz, s.starts_at).format("%H:%M");
                format!("{} ({t})", s.title)
            })
            .unwrap_or_default()
    };
    let args = [
        ("org", org.name.clone()),
        ("event", title.clone()),
        ("when", when.clone()),
        ("place", place.clone()),
        ("shift", shift.clone()),
        ("name", person.first_name.clone()),
    ];
    let t = |key: &str| i18n::t_args(lang, key, &args);
    if let Some(email) = person.email.as_deref().filter(|e| !e.is_empty())
        && db::message_status(&db.pool, r.id, kind, "email")
            .await?
            .as_deref()
            != Some("sent")
    {
        db::claim_message(&db.pool, org_id, r.id, kind, "email").await?;
        let subject = t(&format!("event-mail-{kind}-subject"));
        let mut body = t(&format!("event-mail-{kind}-body"));
        if !shift.is_empty() {
            body.push_str("\n\n");
            body.push_str(&t("event-mail-shift"));
        }
        ctx.mailer
            .send(email, &subject, &body)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        db::set_message(&db.pool, r.id, kind, "email", "sent", "").await?;
    }
    if kind != "thanks"
        && let Some(phone) = person.phone.as_deref().filter(|p| !p.is_empty())
        && wants_sms(db, org_id, person.id)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?
        && kehilla_db::messaging::sms_gateway(&db.pool, org_id)
            .await?
            .is_some()
    {
        let sender = crate::messaging::sms::Sender::open(db, &ctx.settings, &ctx.base_url, org_id)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        // Claimed once: a run that stopped after this never sends it again.
        if !db::claim_message(&db.pool, org_id, r.id, kind, "sms").await? {
            return Ok(());
        }
        let text = t(&format!("event-sms-{kind}"));
        let client = crate::messaging::sms::http_client(&ctx.settings)
            .map_err(|e| JobError::Retry(e.to_string()))?;
        let (outcome, _) = sender
            .send(&client, phone, &text, &format!("event-{kind}-{rsvp}"), 0)
            .await;
        let (status, error) = match outcome {
            kehilla_db::messaging::Outcome::Sent => ("sent", String::new()),
            kehilla_db::messaging::Outcome::Failed { error }
            | kehilla_db::messaging::Outcome::Bounced { error }
            | kehilla_db::messaging::Outcome::Deferred { error, .. } => ("failed", error),
        };
        db::set_message(&db.pool, r.id, kind, "sms", status, &error).await?;
    }
    Ok(())
}

/// Whether the person's current SMS consent for event reminders is given.
async fn wants_sms(db: &Db, org: i64, person: i64) -> Result<bool> {
    Ok(kehilla_db::consent::current(&db.pool, org, person)
        .await?
        .iter()
        .any(|c| c.channel == "sms" && c.purpose == "event_reminders" && c.given == 1))
}

/// Text for an iCalendar value (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets, never inside a character (RFC 5545 §3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
    out
}

fn utc(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// The event as an iCalendar file, for "add to calendar".
pub fn ics(post: &Post, v: &EventView, url: &str, host: &str) -> String {
    let d = crate::studio::posts::details_of(post);
    let title = if post.title.is_empty() {
        crate::home::site::summary(&post.body, 60)
    } else {
        post.title.clone()
    };
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kehilla//Site//HE\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n",
    );
    for line in [
        format!("UID:{}@{host}", post.public_id),
        format!("DTSTAMP:{}", utc(post.updated_at)),
        format!("DTSTART:{}", utc(v.starts_at)),
        format!("DTEND:{}", utc(v.ends_at)),
        format!("SUMMARY:{}", ics_text(&title)),
        format!("DESCRIPTION:{}", ics_text(post.body.trim())),
        format!("URL:{}", ics_text(url)),
    ] {
        out.push_str(&fold(&line));
    }
    let place = if d.place.is_empty() {
        v.online_url.clone()
    } else {
        d.place.clone()
    };
    if !place.is_empty() {
        out.push_str(&fold(&format!("LOCATION:{}", ics_text(&place))));
    }
    out.push_str("END:VEVENT\r\nEND:VCALENDAR\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_text_is_escaped_and_lines_fold_between_characters() {
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let long = format!("SUMMARY:{}", "ש".repeat(60));
        let folded = fold(&long);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{}", l.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
    }
}
