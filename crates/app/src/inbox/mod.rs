//! The Inbox: every comment, reply, mention and message that reaches the organization, in one
//! place, answered from there.
//!
//! Everything arrives through [`ingest`]: from the networks' polling ([`poll`]) and webhooks
//! ([`hooks`]), from the fediverse and the site's discussions (swept from their own tables by
//! [`poll::sweep`]), from replies to email campaigns (the inbound SMTP listener) and from SMS
//! replies (the gateway's hook). A message is kept once per source and id (the table's unique
//! key): a repeat of a webhook, a poll that overlaps the last one, or two servers taking the
//! same delivery add nothing.
//!
//! A message joins the conversation of the message it answers; a direct message, an email or
//! an SMS joins its author's last conversation of that kind; anything else starts one, under
//! the post it answers. Its author is an identity (source + the source's id), linked to a
//! person by email, phone or a handle already linked. The organization's word lists flag or
//! hide it ([`kehilla_domain::moderation`]); hiding also hides it on the network where the API
//! allows. Nothing is deleted without a record.
//!
//! Answers ([`answer`]) are messages too: kept first (waiting for approval when a contributor
//! writes and the organization asks for it), then sent by one durable job each ([`send`]).

pub mod demo;
pub mod digest;
pub mod hooks;
pub mod poll;
pub mod send;

use kehilla_db::inbox::{self as db, Filter, NewConversation, NewMessage};
use kehilla_db::jobs::{self, NewJob};
use kehilla_db::{Db, now_ms};
use kehilla_domain::Role;
use kehilla_domain::moderation;
use kehilla_domain::people::{search_fold, search_words};
use kehilla_domain::validate::InputError;

use crate::members::OrgMember;
use crate::{AppError, Result};

/// The statuses of a conversation, in their order on the page.
pub const STATUSES: [&str; 4] = ["new", "open", "waiting", "done"];
/// The most characters kept of one incoming message (the rest is cut and marked).
pub const MAX_INCOMING: usize = 50_000;
/// The longest answer, in characters (a network's own limit applies first).
pub const MAX_ANSWER: usize = 5_000;
/// The longest internal note.
pub const MAX_NOTE: usize = 5_000;
/// Sources whose answers a network de-duplicates by their key (or that Kehilla records in the
/// same transaction): they are sent again after a passing failure. The others are never sent
/// twice: an answer whose outcome is not known waits for a person.
pub const KEYED: [&str; 4] = ["mastodon", "bluesky", "fediverse", "site"];

/// Something that arrived, as a source says it.
#[derive(Debug, Clone, Default)]
pub struct Incoming<'a> {
    pub org: i64,
    /// A network's name, `site`, `fediverse`, `email` or `sms`.
    pub source: &'a str,
    pub channel_id: Option<i64>,
    /// Our post it answers, when known.
    pub post_id: Option<i64>,
    /// `comment` (on a post or in a thread), `mention` or `message` (direct, email, SMS).
    pub kind: &'a str,
    pub remote_id: &'a str,
    /// What it answers, in the source's ids (our post's id on the network, or a comment's).
    pub parent_remote_id: &'a str,
    pub author_id: &'a str,
    pub handle: &'a str,
    pub name: &'a str,
    /// An address or number the source proves, to link the author to a person.
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub subject: &'a str,
    pub body: &'a str,
    pub url: &'a str,
    /// When it was written (Unix ms); 0 when the source does not say.
    pub at: i64,
}

/// What [`ingest`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    /// Kept: the message's id and its conversation's.
    New { message: i64, conversation: i64 },
    /// It was there already.
    Repeat,
    /// Not for the inbox (the organization's own words, chatter that answers nothing of ours).
    Skipped,
}

/// A time a network wrote (RFC 3339, or Facebook's `+0000` form), in Unix ms.
pub fn parse_time(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .or_else(|_| chrono::DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%z"))
        .ok()
        .map(|t| t.timestamp_millis())
}

fn cut(text: &str, max: usize) -> String {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    if clean.chars().count() <= max {
        return clean.trim().to_string();
    }
    let mut s: String = clean.chars().take(max).collect();
    s.push_str(" […]");
    s
}

/// Keeps one incoming message (see the module's comment).
pub async fn ingest(database: &Db, i: &Incoming<'_>) -> Result<Ingested> {
    if i.remote_id.is_empty() || i.source.is_empty() {
        return Err(AppError::Input {
            field: "remote_id",
            error: InputError::Required,
        });
    }
    let pool = &database.pool;
    if db::message_exists(pool, i.org, i.source, i.remote_id).await? {
        return Ok(Ingested::Repeat);
    }
    let settings = db::settings(pool, i.org).await?;
    let body = cut(i.body, MAX_INCOMING);
    let verdict = moderation::judge(
        &body,
        &moderation::parse_list(&settings.hide_words).unwrap_or_default(),
        &moderation::parse_list(&settings.flag_words).unwrap_or_default(),
        usize::try_from(settings.max_links).unwrap_or(0),
    );
    // A time the sender gives is believed up to now (a date in the future would pin the
    // conversation to the top and skew response times).
    let now = now_ms();
    let at = if i.at > 0 { i.at.min(now) } else { now };
    let mut tx = database.begin().await?;
    // An author the source does not name (no id, no handle) is nobody in particular: an
    // identity of its own per message, never linked to a person.
    let anonymous = i.author_id.is_empty() && i.handle.trim_start_matches('@').is_empty();
    let author_id = if anonymous {
        format!("anonymous:{}", i.remote_id)
    } else if i.author_id.is_empty() {
        i.handle.to_string()
    } else {
        i.author_id.to_string()
    };
    let ident = db::identity(&mut *tx, i.org, i.source, &author_id, i.handle, i.name).await?;
    if ident.person_id.is_none() && !anonymous {
        let mut person = None;
        if let Some(e) = i.email.filter(|e| !e.is_empty()) {
            person = kehilla_db::people::by_email(&mut *tx, i.org, e)
                .await?
                .map(|p| p.id);
        }
        if person.is_none()
            && let Some(p) = i.phone.filter(|p| !p.is_empty())
        {
            person = kehilla_db::messaging::person_by_phone(&mut *tx, i.org, p).await?;
        }
        if person.is_none() {
            person = db::person_of_handle(&mut *tx, i.org, i.source, i.handle).await?;
        }
        if person.is_some() {
            db::link(&mut *tx, i.org, ident.id, person).await?;
        }
    }
    let mut conversation =
        db::conversation_of_remote(&mut *tx, i.org, i.source, i.parent_remote_id).await?;
    if conversation.is_none() && i.kind == "message" {
        conversation = db::latest_of_identity(&mut *tx, i.org, ident.id, "message").await?;
    }
    let conversation = match conversation {
        Some(c) => c,
        None => {
            db::create_conversation(
                &mut *tx,
                i.org,
                &NewConversation {
                    source: i.source,
                    channel_id: i.channel_id,
                    post_id: i.post_id,
                    identity_id: Some(ident.id),
                    kind: if i.kind.is_empty() { "comment" } else { i.kind },
                    subject: &cut(i.subject, 200),
                    at,
                },
            )
            .await?
        }
    };
    let Some((message, _)) = db::add_message(
        &mut *tx,
        i.org,
        &NewMessage {
            conversation_id: conversation,
            source: i.source,
            remote_id: Some(i.remote_id),
            parent_remote_id: i.parent_remote_id,
            direction: "in",
            identity_id: Some(ident.id),
            user_id: None,
            body: &body,
            url: i.url,
            state: if verdict.hide { "hidden" } else { "shown" },
            flag: &verdict.reason,
            at,
        },
    )
    .await?
    else {
        return Ok(Ingested::Repeat);
    };
    let mut words = String::from(" ");
    words.push_str(&search_words(&format!("{} {} {}", i.name, i.handle, body)).join(" "));
    db::arrived(&mut *tx, conversation, at, &words, &verdict.reason).await?;
    if verdict.hide && (i.channel_id.is_some() || i.source == "site") {
        let mut job = NewJob::new(
            send::MODERATE,
            serde_json::json!({ "message": message, "action": "hide" }),
        )
        .org(i.org);
        job.unique_key = Some(format!("inbox-hide-{message}"));
        jobs::enqueue(&mut *tx, job).await?;
    }
    tx.commit().await.map_err(kehilla_db::DbError::from)?;
    Ok(Ingested::New {
        message,
        conversation,
    })
}

/// The list's query as the page gives it: a status (or `flagged`, `all`), a source, `mine`,
/// a label and search words.
pub fn filter(
    by: &OrgMember,
    status: &str,
    source: &str,
    mine: bool,
    label: &str,
    q: &str,
) -> Filter {
    let status = match status {
        s @ ("new" | "open" | "waiting" | "done" | "flagged" | "all") => s.to_string(),
        _ => String::new(),
    };
    Filter {
        status,
        source: source
            .chars()
            .filter(|c| c.is_ascii_lowercase())
            .take(20)
            .collect(),
        assignee: mine.then_some(by.user.id),
        label: search_fold(label).replace(' ', "-"),
        words: search_words(q).into_iter().take(8).collect(),
        post_id: None,
    }
}

/// One conversation as its page shows it.
pub struct Thread {
    pub conversation: db::Conversation,
    pub identity: Option<db::Identity>,
    pub messages: Vec<db::Message>,
    pub notes: Vec<db::Note>,
    pub channel: Option<kehilla_db::studio::Channel>,
    pub post: Option<kehilla_db::studio::Post>,
}

/// Opens a conversation: a new one becomes open (it has been seen).
pub async fn open(database: &Db, by: &OrgMember, public_id: &str) -> Result<Thread> {
    let pool = &database.pool;
    let mut conversation = db::conversation(pool, by.org.id, public_id).await?;
    if conversation.status == "new" && by.role >= Role::Contributor {
        db::set_status(pool, by.org.id, conversation.id, "open", None).await?;
        conversation.status = "open".into();
    }
    let identity = match conversation.identity_id {
        Some(i) => Some(db::identity_by_id(pool, by.org.id, i).await?),
        None => None,
    };
    let channel = match conversation.channel_id {
        Some(c) => kehilla_db::studio::channels(pool, by.org.id)
            .await?
            .into_iter()
            .find(|ch| ch.id == c),
        None => None,
    };
    let post = match conversation.post_id {
        Some(p) => kehilla_db::studio::post_by_id(pool, p)
            .await
            .ok()
            .filter(|p| p.organization_id == by.org.id),
        None => None,
    };
    Ok(Thread {
        messages: db::messages(pool, conversation.id).await?,
        notes: db::notes(pool, conversation.id).await?,
        conversation,
        identity,
        channel,
        post,
    })
}

fn contributor(by: &OrgMember) -> Result<()> {
    if by.role < Role::Contributor {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Sets a conversation's status.
pub async fn set_status(
    database: &Db,
    by: &OrgMember,
    public_id: &str,
    status: &str,
) -> Result<()> {
    contributor(by)?;
    let c = db::conversation(&database.pool, by.org.id, public_id).await?;
    if !STATUSES.contains(&status) {
        return Err(AppError::Input {
            field: "status",
            error: InputError::InvalidValue,
        });
    }
    db::set_status(&database.pool, by.org.id, c.id, status, Some(by.user.id)).await?;
    Ok(())
}

/// Labels as typed (spaces or commas between them), folded, as the column keeps them.
pub fn labels_of(text: &str) -> Result<String> {
    let mut out: Vec<String> = Vec::new();
    for l in text
        .split([',', ' ', '\n'])
        .map(search_fold)
        .map(|l| l.replace(' ', "-"))
        .filter(|l| !l.is_empty())
    {
        if !out.contains(&l) {
            out.push(l);
        }
    }
    if out.len() > 10 || out.iter().any(|l| l.chars().count() > 30) {
        return Err(AppError::Input {
            field: "labels",
            error: InputError::TooLong,
        });
    }
    Ok(format!(" {} ", out.join(" ")).replace("  ", " "))
}

/// Assigns a conversation (to a member of the organization, or nobody), and sets its
/// priority, labels and (when it changes) status. The new assignee is notified once.
pub async fn triage(database: &Db, by: &OrgMember, public_id: &str, t: &Triage<'_>) -> Result<()> {
    let Triage {
        status,
        assignee,
        priority,
        labels,
    } = *t;
    contributor(by)?;
    let c = db::conversation(&database.pool, by.org.id, public_id).await?;
    let assignee = if assignee.is_empty() {
        None
    } else {
        let members = kehilla_db::orgs::members(&database.pool, by.org.id).await?;
        Some(
            members
                .iter()
                .find(|m| m.public_id == assignee)
                .map(|m| m.user_id)
                .ok_or(AppError::Input {
                    field: "assignee",
                    error: InputError::InvalidValue,
                })?,
        )
    };
    if !(0..=2).contains(&priority) {
        return Err(AppError::Input {
            field: "priority",
            error: InputError::InvalidValue,
        });
    }
    if !status.is_empty() && !STATUSES.contains(&status) {
        return Err(AppError::Input {
            field: "status",
            error: InputError::InvalidValue,
        });
    }
    let labels = labels_of(labels)?;
    db::set_triage(&database.pool, by.org.id, c.id, assignee, priority, &labels).await?;
    // Only a change of status moves the done time (response times read it).
    if !status.is_empty() && status != c.status {
        db::set_status(&database.pool, by.org.id, c.id, status, Some(by.user.id)).await?;
    }
    if let Some(a) = assignee.filter(|a| *a != by.user.id && c.assignee_id != Some(*a)) {
        kehilla_db::studio::notify(
            &database.pool,
            by.org.id,
            a,
            None,
            Some(by.user.id),
            "inbox-assigned",
            &c.public_id,
        )
        .await?;
    }
    Ok(())
}

/// What the triage form sets.
#[derive(Debug, Clone, Copy)]
pub struct Triage<'a> {
    /// A status, or empty to keep it.
    pub status: &'a str,
    /// A membership's public id, or empty for nobody.
    pub assignee: &'a str,
    pub priority: i64,
    pub labels: &'a str,
}

/// Adds an internal note (never sent anywhere).
pub async fn note(database: &Db, by: &OrgMember, public_id: &str, body: &str) -> Result<()> {
    contributor(by)?;
    let c = db::conversation(&database.pool, by.org.id, public_id).await?;
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::Input {
            field: "note",
            error: InputError::Required,
        });
    }
    if body.chars().count() > MAX_NOTE {
        return Err(AppError::Input {
            field: "note",
            error: InputError::TooLong,
        });
    }
    db::add_note(&database.pool, by.org.id, c.id, by.user.id, body).await?;
    Ok(())
}

/// The text limit of an answer on a source, checked as the Studio counts.
fn check_answer(
    source: &str,
    channel: Option<&kehilla_db::studio::Channel>,
    text: &str,
) -> Result<()> {
    let too_long = AppError::Input {
        field: "body",
        error: InputError::TooLong,
    };
    if text.chars().count() > MAX_ANSWER {
        return Err(too_long);
    }
    if let Some(ch) = channel
        && let Some(count) = crate::studio::posts::count_for(ch, text, false)
        && !count.ok
    {
        return Err(too_long);
    }
    if source == "sms" {
        let c = kehilla_domain::text::count(
            kehilla_domain::text::Network::Sms,
            text,
            &kehilla_domain::text::Options::default(),
        );
        if !c.ok {
            return Err(too_long);
        }
    }
    Ok(())
}

/// Writes an answer in a conversation, to `to` (a message's public id) or to its newest
/// incoming message. A contributor's answer waits for approval when the organization asks for
/// it; any other is queued to be sent at once. Returns the answer's public id.
pub async fn answer(
    database: &Db,
    by: &OrgMember,
    public_id: &str,
    to: &str,
    text: &str,
) -> Result<String> {
    contributor(by)?;
    let pool = &database.pool;
    // Found first: another organization's conversation is not found, whatever the text.
    let c = db::conversation(pool, by.org.id, public_id).await?;
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::Input {
            field: "body",
            error: InputError::Required,
        });
    }
    let channel = match c.channel_id {
        Some(id) => kehilla_db::studio::channels(pool, by.org.id)
            .await?
            .into_iter()
            .find(|ch| ch.id == id),
        None => None,
    };
    check_answer(&c.source, channel.as_ref(), text)?;
    let messages = db::messages(pool, c.id).await?;
    // An answer answers a message that arrived, or one of ours that went out.
    let answerable = |m: &&db::Message| m.direction == "in" || m.state == "sent";
    let parent = if to.is_empty() {
        messages.iter().rev().find(|m| m.direction == "in")
    } else {
        messages
            .iter()
            .filter(answerable)
            .find(|m| m.public_id == to)
    }
    .ok_or(AppError::Input {
        field: "to",
        error: InputError::InvalidValue,
    })?;
    let settings = db::settings(pool, by.org.id).await?;
    let waits = settings.approval == 1 && by.role == Role::Contributor;
    let mut tx = database.begin().await?;
    let (id, message_public) = db::add_message(
        &mut *tx,
        by.org.id,
        &NewMessage {
            conversation_id: c.id,
            source: &c.source,
            remote_id: None,
            parent_remote_id: &parent.remote_id,
            direction: "out",
            identity_id: None,
            user_id: Some(by.user.id),
            body: text,
            url: "",
            state: if waits { "approval" } else { "queued" },
            flag: "",
            at: now_ms(),
        },
    )
    .await?
    .ok_or(AppError::Conflict("inbox-answer-exists"))?;
    if !waits {
        enqueue_send(&mut tx, by.org.id, id).await?;
    }
    tx.commit().await.map_err(kehilla_db::DbError::from)?;
    Ok(message_public)
}

async fn enqueue_send(tx: &mut kehilla_db::Tx, org: i64, message: i64) -> Result<()> {
    let mut job = NewJob::new(send::SEND, serde_json::json!({ "message": message }))
        .org(org)
        .max_attempts(8);
    job.unique_key = Some(format!("inbox-send-{message}"));
    jobs::enqueue(&mut **tx, job).await?;
    Ok(())
}

/// An editor approves (`approve`) or declines (`decline`) an answer waiting for approval.
pub async fn review(
    database: &Db,
    by: &OrgMember,
    message: &str,
    decision: &str,
) -> Result<String> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let m = db::message(&database.pool, by.org.id, message).await?;
    let mut tx = database.begin().await?;
    match decision {
        "approve" => {
            if !db::move_message(&mut *tx, m.id, &["approval"], "queued").await? {
                return Err(AppError::Conflict("inbox-not-waiting"));
            }
            enqueue_send(&mut tx, by.org.id, m.id).await?;
        }
        "decline" => {
            if !db::move_message(&mut *tx, m.id, &["approval"], "declined").await? {
                return Err(AppError::Conflict("inbox-not-waiting"));
            }
        }
        _ => {
            return Err(AppError::Input {
                field: "decision",
                error: InputError::InvalidValue,
            });
        }
    }
    tx.commit().await.map_err(kehilla_db::DbError::from)?;
    conversation_of(database, m.conversation_id).await
}

/// A conversation's public id, by its id (where to go back to after an action).
async fn conversation_of(database: &Db, id: i64) -> Result<String> {
    Ok(db::conversation_by_id(&database.pool, id).await?.public_id)
}

/// Acts on a message on its network: `like` (an incoming one), `hide` (an incoming one, from
/// the public; it stays here, marked) or `delete` (one of our answers). Queued as a job.
pub async fn act(database: &Db, by: &OrgMember, message: &str, action: &str) -> Result<String> {
    let needed = if action == "like" {
        Role::Contributor
    } else {
        Role::Editor
    };
    if by.role < needed {
        return Err(AppError::Forbidden);
    }
    let m = db::message(&database.pool, by.org.id, message).await?;
    let fits = match action {
        "like" | "hide" => m.direction == "in",
        "delete" => m.direction == "out" && m.state == "sent",
        _ => false,
    };
    if !fits {
        return Err(AppError::Input {
            field: "action",
            error: InputError::InvalidValue,
        });
    }
    let mut job = NewJob::new(
        send::MODERATE,
        serde_json::json!({ "message": m.id, "action": action }),
    )
    .org(by.org.id);
    // One per message, action and minute: a double click is one job, a later try another.
    job.unique_key = Some(format!("inbox-{action}-{}-{}", m.id, now_ms() / 60_000));
    jobs::enqueue(&database.pool, job).await?;
    conversation_of(database, m.conversation_id).await
}

/// Saved replies: `{{ name }}`, `{{ first_name }}` and `{{ org }}` are filled in when one is
/// used.
pub async fn save_reply(database: &Db, by: &OrgMember, title: &str, body: &str) -> Result<()> {
    contributor(by)?;
    let (title, body) = (title.trim(), body.trim());
    if title.is_empty() || body.is_empty() {
        return Err(AppError::Input {
            field: if title.is_empty() { "title" } else { "body" },
            error: InputError::Required,
        });
    }
    if title.chars().count() > 80 || body.chars().count() > MAX_ANSWER {
        return Err(AppError::Input {
            field: if title.chars().count() > 80 {
                "title"
            } else {
                "body"
            },
            error: InputError::TooLong,
        });
    }
    fill(body, "x", "x", "x")?;
    db::save_reply(&database.pool, by.org.id, title, body).await?;
    Ok(())
}

/// A saved reply's text with its variables filled in (a sandboxed template).
pub fn fill(body: &str, name: &str, first_name: &str, org: &str) -> Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // A saved reply is short text with three variables: a loop that runs long is stopped.
    env.set_fuel(Some(20_000));
    env.render_str(
        body,
        minijinja::context! { name => name, first_name => first_name, org => org },
    )
    .map_err(|_| AppError::Input {
        field: "body",
        error: InputError::InvalidValue,
    })
}

/// The organization's moderation and approval settings, as the form sends them.
pub async fn save_settings(
    database: &Db,
    by: &OrgMember,
    approval: bool,
    flag_words: &str,
    hide_words: &str,
    max_links: i64,
) -> Result<()> {
    if by.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    for (field, list) in [("flag_words", flag_words), ("hide_words", hide_words)] {
        if moderation::parse_list(list).is_none() {
            return Err(AppError::Input {
                field,
                error: InputError::TooLong,
            });
        }
    }
    if !(0..=100).contains(&max_links) {
        return Err(AppError::Input {
            field: "max_links",
            error: InputError::InvalidValue,
        });
    }
    db::put_settings(
        &database.pool,
        by.org.id,
        &db::Settings {
            approval: i64::from(approval),
            flag_words: flag_words.trim().to_string(),
            hide_words: hide_words.trim().to_string(),
            max_links,
        },
    )
    .await?;
    Ok(())
}

/// Links a conversation's author to a person (by the person's public id), or unlinks (empty).
pub async fn link_person(
    database: &Db,
    by: &OrgMember,
    public_id: &str,
    person: &str,
) -> Result<()> {
    contributor(by)?;
    let c = db::conversation(&database.pool, by.org.id, public_id).await?;
    let identity = c.identity_id.ok_or(AppError::NotFound)?;
    let person = if person.is_empty() {
        None
    } else {
        let p = kehilla_db::people::by_public_id(&database.pool, person).await?;
        if p.organization_id != by.org.id {
            return Err(AppError::NotFound);
        }
        Some(p.id)
    };
    db::link(&database.pool, by.org.id, identity, person).await?;
    Ok(())
}

/// Links a conversation's author to the person with this email address or phone number (empty:
/// unlinks).
pub async fn link_by_contact(
    database: &Db,
    by: &OrgMember,
    public_id: &str,
    contact: &str,
) -> Result<()> {
    contributor(by)?;
    let contact = contact.trim();
    if contact.is_empty() {
        return link_person(database, by, public_id, "").await;
    }
    let pool = &database.pool;
    let mut person = None;
    if let Ok(e) = kehilla_domain::people::normalize_email(contact) {
        person = kehilla_db::people::by_email(pool, by.org.id, &e).await?;
    } else if let Ok(p) = kehilla_domain::people::normalize_phone(contact)
        && let Some(id) = kehilla_db::messaging::person_by_phone(pool, by.org.id, &p).await?
    {
        person = Some(kehilla_db::people::by_id(pool, by.org.id, id).await?);
    }
    let person = person.ok_or(AppError::Input {
        field: "contact",
        error: InputError::InvalidValue,
    })?;
    link_person(database, by, public_id, &person.public_id).await
}

/// Deletes a saved reply.
pub async fn delete_saved_reply(database: &Db, by: &OrgMember, public_id: &str) -> Result<()> {
    contributor(by)?;
    if !db::delete_saved_reply(&database.pool, by.org.id, public_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A member's own digest: `daily` or `off`.
pub async fn set_digest(database: &Db, by: &OrgMember, frequency: &str) -> Result<()> {
    if !matches!(frequency, "daily" | "off") {
        return Err(AppError::Input {
            field: "frequency",
            error: InputError::InvalidValue,
        });
    }
    db::set_digest(&database.pool, by.org.id, by.user.id, frequency).await?;
    Ok(())
}

/// Makes a person of a conversation's author, with `role` (volunteer, donor…), the name and
/// the address or number the source gave, and links them. No consent is given: the person
/// subscribes themselves.
pub async fn make_person(
    database: &Db,
    by: &OrgMember,
    public_id: &str,
    role: &str,
    actor: &crate::audit::Actor,
) -> Result<String> {
    contributor(by)?;
    let c = db::conversation(&database.pool, by.org.id, public_id).await?;
    let identity = db::identity_by_id(
        &database.pool,
        by.org.id,
        c.identity_id.ok_or(AppError::NotFound)?,
    )
    .await?;
    if identity.person_id.is_some() {
        return Err(AppError::Conflict("inbox-already-linked"));
    }
    let shown = if identity.name.is_empty() {
        identity.handle.trim_start_matches('@').to_string()
    } else {
        identity.name.clone()
    };
    let mut words = shown.split_whitespace();
    let first = words.next().unwrap_or_default().to_string();
    let last = words.collect::<Vec<_>>().join(" ");
    let input = crate::people::person::PersonInput {
        first_name: first,
        last_name: last,
        email: if matches!(identity.source.as_str(), "email" | "site") {
            identity.author_id.clone()
        } else {
            String::new()
        },
        phone: if identity.source == "sms" {
            identity.author_id.clone()
        } else {
            String::new()
        },
        notes: format!("{} {}", identity.source, identity.handle)
            .trim()
            .to_string(),
        roles: if role.is_empty() {
            Vec::new()
        } else {
            vec![role.to_string()]
        },
        ..Default::default()
    };
    let p = crate::people::person::create(database, by, &input, actor).await?;
    db::link(&database.pool, by.org.id, identity.id, Some(p.id)).await?;
    Ok(p.public_id)
}

/// Counts for the navigation: conversations nobody has opened, and open ones assigned to the
/// member.
pub async fn unread(database: &Db, by: &OrgMember) -> Result<(i64, i64)> {
    Ok(db::unread(&database.pool, by.org.id, by.user.id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_folded_and_unique() {
        assert_eq!(
            labels_of("Urgent, מתנדבים urgent").unwrap(),
            " urgent מתנדבימ "
        );
        assert_eq!(labels_of("").unwrap(), " ");
        assert!(labels_of(&"x ".repeat(11)).is_ok());
        assert!(labels_of(&(0..11).map(|i| format!("l{i} ")).collect::<String>()).is_err());
    }

    #[test]
    fn saved_replies_fill_their_variables_and_refuse_unknown_ones() {
        assert_eq!(
            fill(
                "שלום {{ first_name }}, תודה מ{{ org }}",
                "דנה לוי",
                "דנה",
                "יד ביד"
            )
            .unwrap(),
            "שלום דנה, תודה מיד ביד"
        );
        assert!(fill("{{ password }}", "a", "a", "a").is_err());
        assert!(fill("{% for %}", "a", "a", "a").is_err());
    }

    #[test]
    fn long_messages_are_cut_with_a_mark_and_times_parse() {
        let long = "א".repeat(MAX_INCOMING + 10);
        let c = cut(&long, MAX_INCOMING);
        assert!(c.ends_with("[…]"));
        assert_eq!(cut(" hi\u{7} ", 10), "hi");
        assert_eq!(parse_time("2026-11-27T10:00:00Z"), Some(1_795_773_600_000));
        assert_eq!(
            parse_time("2026-11-27T10:00:00+0000"),
            Some(1_795_773_600_000)
        );
        assert_eq!(parse_time("yesterday"), None);
    }
}
