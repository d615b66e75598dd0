//! Posts: the master text, its variants per channel, the approval trail and comments.
//!
//! States: draft → review → approved or changes → scheduled → published or failed. A post needs
//! approval when the organization asks it of contributors and its author is one, or when one of
//! its channels asks it of everyone. Nobody approves their own post. Every step is written to
//! the post's history in the same transaction as the step itself, and the people to tell get an
//! in-app notification and an email (a durable job).

use futures::future::BoxFuture;
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::studio::{self, Channel, Media, Post, PostData, Variant};
use kehilla_db::{Db, Tx, now_ms, orgs};
use kehilla_domain::Role;
use kehilla_domain::text::{self, Count, Options};
use kehilla_domain::validate::{InputError, Lang};
use serde::{Deserialize, Serialize};

use super::{KINDS, calendar, rules};
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::members::OrgMember;
use crate::people::person::short;
use crate::{AppError, Result, i18n};

/// What a content type adds to the master text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Details {
    /// An event's start, `YYYY-MM-DDTHH:MM` in the organization's time zone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub event_start: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub place: String,
    /// Where to sign up, give, read the article or RSVP.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// A press mention's outlet.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub outlet: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PostInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub details: Details,
    /// Public ids of the target channels.
    #[serde(default)]
    pub channels: Vec<String>,
    /// Planned time, `YYYY-MM-DDTHH:MM` in the organization's time zone; empty for none.
    #[serde(default)]
    pub scheduled_at: String,
    /// Public ids of attached media, in order.
    #[serde(default)]
    pub media: Vec<String>,
}

fn invalid(field: &'static str) -> AppError {
    AppError::Input {
        field,
        error: InputError::InvalidValue,
    }
}

struct Clean {
    kind: String,
    title: String,
    body: String,
    details: Details,
    details_json: String,
    channels: Vec<Channel>,
    scheduled_at: Option<i64>,
    media: Vec<Media>,
}

async fn clean(db: &Db, by: &OrgMember, i: &PostInput) -> Result<Clean> {
    if !KINDS.contains(&i.kind.as_str()) {
        return Err(invalid("kind"));
    }
    let title = short("title", &i.title, 200)?;
    let body = i.body.replace("\r\n", "\n");
    if body.chars().count() > 63_206 {
        return Err(AppError::Input {
            field: "body",
            error: InputError::TooLong,
        });
    }
    if title.is_empty() && body.trim().is_empty() {
        return Err(AppError::Input {
            field: "body",
            error: InputError::Required,
        });
    }
    let tz = super::zone(&by.org.time_zone);
    let mut details = Details {
        event_start: String::new(),
        place: short("place", &i.details.place, 200)?,
        url: i.details.url.trim().to_string(),
        outlet: short("outlet", &i.details.outlet, 200)?,
    };
    if !i.details.event_start.trim().is_empty() {
        let ms = super::parse_local(tz, &i.details.event_start).map_err(|e| match e {
            AppError::Input { error, .. } => AppError::Input {
                field: "event_start",
                error,
            },
            other => other,
        })?;
        details.event_start = super::local_input(tz, ms);
    }
    if !details.url.is_empty() && !is_web_address(&details.url) {
        return Err(invalid("url"));
    }
    let all = studio::channels(&db.pool, by.org.id).await?;
    let mut channels = Vec::new();
    for id in &i.channels {
        let c = all
            .iter()
            .find(|c| &c.public_id == id)
            .ok_or_else(|| invalid("channels"))?;
        if !channels.iter().any(|x: &Channel| x.id == c.id) {
            channels.push(c.clone());
        }
    }
    let scheduled_at = match i.scheduled_at.trim() {
        "" => None,
        s => Some(super::parse_local(tz, s)?),
    };
    let mut media = Vec::new();
    for id in &i.media {
        let m = studio::media(&db.pool, by.org.id, id)
            .await
            .map_err(|_| invalid("media"))?;
        if !media.iter().any(|x: &Media| x.id == m.id) {
            media.push(m);
        }
    }
    let details_json = serde_json::to_string(&details).unwrap_or_else(|_| "{}".into());
    Ok(Clean {
        kind: i.kind.clone(),
        title,
        body,
        details,
        details_json,
        channels,
        scheduled_at,
        media,
    })
}

pub fn is_web_address(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.chars().count() > 10
        && !s.chars().any(char::is_whitespace)
}

pub fn details_of(p: &Post) -> Details {
    serde_json::from_str(&p.details).unwrap_or_default()
}

/// The text a channel's variant starts from: the master text with what the content type adds.
pub fn derive(kind: &str, body: &str, d: &Details, lang: Lang) -> String {
    let mut out = body.trim().to_string();
    let mut add = |line: String| {
        if !line.trim().is_empty() && !out.contains(line.trim()) {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(line.trim());
        }
    };
    if kind == "press" && !d.outlet.is_empty() {
        add(format!(
            "{}: {}",
            i18n::t(lang, "studio-derived-outlet"),
            d.outlet
        ));
    }
    if kind == "event" && (!d.event_start.is_empty() || !d.place.is_empty()) {
        let when = d.event_start.replace('T', " ");
        let line = match (when.is_empty(), d.place.is_empty()) {
            (false, false) => format!("{when} · {}", d.place),
            (false, true) => when,
            _ => d.place.clone(),
        };
        add(format!("📅 {line}"));
    }
    if !d.url.is_empty() {
        add(d.url.clone());
    }
    out
}

/// Whether `by` may change the post's text, channels, media or time.
pub fn can_edit(by: &OrgMember, p: &Post) -> bool {
    if p.status == "published" {
        return false;
    }
    by.role >= Role::Editor
        || (by.role >= Role::Contributor
            && p.author_id == Some(by.user.id)
            && matches!(p.status.as_str(), "draft" | "changes" | "review"))
}

async fn author_role(db: &Db, p: &Post) -> Result<Role> {
    let Some(a) = p.author_id else {
        return Ok(Role::Viewer);
    };
    Ok(orgs::role_of(&db.pool, p.organization_id, a)
        .await?
        .and_then(|r| Role::parse(&r))
        .unwrap_or(Role::Viewer))
}

/// Whether the post must be approved by someone else before it is scheduled.
pub async fn needs_approval(db: &Db, p: &Post) -> Result<bool> {
    let s = studio::settings(&db.pool, p.organization_id).await?;
    if s.approval_required == 1 && author_role(db, p).await? < Role::Editor {
        return Ok(true);
    }
    let chans = post_channels(db, p).await?;
    Ok(chans.iter().any(|c| c.requires_approval == 1))
}

/// The channels a post has variants for.
pub async fn post_channels(db: &Db, p: &Post) -> Result<Vec<Channel>> {
    let all = studio::channels(&db.pool, p.organization_id).await?;
    let vs = studio::variants(&db.pool, p.organization_id, p.id).await?;
    Ok(all
        .into_iter()
        .filter(|c| vs.iter().any(|v| v.channel_id == c.id))
        .collect())
}

async fn unique_slug(db: &Db, org: i64, title: &str, body: &str) -> Result<String> {
    let base = if title.trim().is_empty() {
        super::slugify(&body.chars().take(40).collect::<String>())
    } else {
        super::slugify(title)
    };
    let mut slug = base.clone();
    let mut n = 2;
    while studio::slug_taken(&db.pool, org, &slug).await? {
        slug = format!("{base}-{n}");
        n += 1;
        if n > 1000 {
            return Err(AppError::Conflict("slug-taken"));
        }
    }
    Ok(slug)
}

pub async fn create(db: &Db, by: &OrgMember, i: &PostInput) -> Result<Post> {
    if by.role < Role::Contributor {
        return Err(AppError::Forbidden);
    }
    let c = clean(db, by, i).await?;
    if let Some(at) = c.scheduled_at {
        calendar::check_not_quiet(db, &by.org, at).await?;
    }
    let slug = unique_slug(db, by.org.id, &c.title, &c.body).await?;
    let lang = Lang::parse(&by.user.lang).unwrap_or(Lang::He);
    let mut tx = db.begin().await?;
    let p = studio::create_post(
        &mut *tx,
        by.org.id,
        by.user.id,
        &slug,
        &PostData {
            kind: &c.kind,
            title: &c.title,
            body: &c.body,
            details: &c.details_json,
        },
        c.scheduled_at,
    )
    .await?;
    let derived = derive(&c.kind, &c.body, &c.details, lang);
    for ch in &c.channels {
        studio::put_variant(&mut *tx, by.org.id, p.id, ch.id, &derived, "[]", false).await?;
    }
    for (n, m) in c.media.iter().enumerate() {
        studio::attach_media(&mut *tx, p.id, m.id, i64::try_from(n).unwrap_or(0)).await?;
    }
    studio::add_history(&mut *tx, by.org.id, p.id, Some(by.user.id), "created", "").await?;
    tx.commit().await?;
    Ok(p)
}

/// Saves the master text, channels, media and planned time. Variants that follow the master
/// text are derived again; variants edited on their own keep their text.
pub async fn update(db: &Db, by: &OrgMember, public_id: &str, i: &PostInput) -> Result<Post> {
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    if !can_edit(by, &p) {
        return Err(AppError::Forbidden);
    }
    let c = clean(db, by, i).await?;
    if let Some(at) = c.scheduled_at
        && c.scheduled_at != p.scheduled_at
    {
        calendar::check_not_quiet(db, &by.org, at).await?;
    }
    let lang = Lang::parse(&by.user.lang).unwrap_or(Lang::He);
    let derived = derive(&c.kind, &c.body, &c.details, lang);
    let old = studio::variants(&db.pool, by.org.id, p.id).await?;
    let mut tx = db.begin().await?;
    studio::update_post(
        &mut *tx,
        by.org.id,
        p.id,
        &PostData {
            kind: &c.kind,
            title: &c.title,
            body: &c.body,
            details: &c.details_json,
        },
    )
    .await?;
    if c.scheduled_at != p.scheduled_at {
        studio::set_schedule(&mut *tx, by.org.id, p.id, c.scheduled_at).await?;
    }
    for v in &old {
        if !c.channels.iter().any(|ch| ch.id == v.channel_id) {
            studio::delete_variant(&mut *tx, by.org.id, p.id, v.channel_id).await?;
        }
    }
    for ch in &c.channels {
        match old.iter().find(|v| v.channel_id == ch.id) {
            Some(v) if v.edited == 1 => {}
            Some(v) => {
                studio::put_variant(
                    &mut *tx,
                    by.org.id,
                    p.id,
                    ch.id,
                    &derived,
                    &v.follow_ups,
                    false,
                )
                .await?
            }
            None => {
                studio::put_variant(&mut *tx, by.org.id, p.id, ch.id, &derived, "[]", false).await?
            }
        }
    }
    let current = studio::post_media(&mut *tx, by.org.id, p.id).await?;
    for m in &current {
        if !c.media.iter().any(|x| x.id == m.id) {
            studio::detach_media(&mut *tx, p.id, m.id).await?;
        }
    }
    for (n, m) in c.media.iter().enumerate() {
        studio::attach_media(&mut *tx, p.id, m.id, i64::try_from(n).unwrap_or(0)).await?;
    }
    studio::add_history(&mut *tx, by.org.id, p.id, Some(by.user.id), "edited", "").await?;
    // A contributor's change to a post waiting for review keeps it waiting; an editor's change
    // to an approved or scheduled post keeps its approval (editors may publish on their own).
    tx.commit().await?;
    Ok(studio::post(&db.pool, by.org.id, public_id).await?)
}

/// Sets one channel's text on its own (it stops following the master text), or, with `None`,
/// makes it follow the master text again.
pub async fn set_variant(
    db: &Db,
    by: &OrgMember,
    post_public_id: &str,
    channel_public_id: &str,
    text: Option<(&str, &[String])>,
) -> Result<()> {
    let p = studio::post(&db.pool, by.org.id, post_public_id).await?;
    if !can_edit(by, &p) {
        return Err(AppError::Forbidden);
    }
    let ch = studio::channel(&db.pool, by.org.id, channel_public_id).await?;
    let vs = studio::variants(&db.pool, by.org.id, p.id).await?;
    let Some(v) = vs.iter().find(|v| v.channel_id == ch.id) else {
        return Err(AppError::NotFound);
    };
    let mut tx = db.begin().await?;
    match text {
        Some((body, follow_ups)) => {
            let body = body.replace("\r\n", "\n");
            if body.chars().count() > 63_206 || follow_ups.len() > 25 {
                return Err(AppError::Input {
                    field: "body",
                    error: InputError::TooLong,
                });
            }
            let parts: Vec<String> = follow_ups
                .iter()
                .map(|s| s.replace("\r\n", "\n").trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            let json = serde_json::to_string(&parts).unwrap_or_else(|_| "[]".into());
            studio::put_variant(&mut *tx, by.org.id, p.id, ch.id, &body, &json, true).await?;
        }
        None => {
            let lang = Lang::parse(&by.user.lang).unwrap_or(Lang::He);
            let derived = derive(&p.kind, &p.body, &details_of(&p), lang);
            studio::put_variant(
                &mut *tx,
                by.org.id,
                p.id,
                ch.id,
                &derived,
                &v.follow_ups,
                false,
            )
            .await?;
        }
    }
    studio::add_history(
        &mut *tx,
        by.org.id,
        p.id,
        Some(by.user.id),
        "variant-edited",
        &ch.name,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub fn follow_ups(v: &Variant) -> Vec<String> {
    serde_json::from_str(&v.follow_ups).unwrap_or_default()
}

/// One channel's variant checked against the network's rules.
#[derive(Debug, Clone, Serialize)]
pub struct VariantCheck {
    pub channel: Channel,
    pub variant: Variant,
    pub follow_ups: Vec<String>,
    /// The main text's count, then one per follow-up part.
    pub counts: Vec<Count>,
    /// Stable codes of what stops publication besides length (`alt-missing`, `too-many-media`,
    /// `media-required`), plus the counters' problems.
    pub problems: Vec<String>,
}

impl VariantCheck {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks one text for a channel.
pub fn count_for(channel: &Channel, text: &str, with_media: bool) -> Option<Count> {
    let network = super::counter_network(&channel.network, with_media)?;
    let opts = Options {
        mastodon_limit: channel
            .char_limit
            .and_then(|l| usize::try_from(l).ok())
            .unwrap_or(500),
        ..Options::default()
    };
    Some(text::count(network, text, &opts))
}

/// Every variant of a post, checked: what the composer shows and what the publisher trusts.
pub async fn check(db: &Db, p: &Post) -> Result<Vec<VariantCheck>> {
    let org = p.organization_id;
    let chans = studio::channels(&db.pool, org).await?;
    let media = studio::post_media(&db.pool, org, p.id).await?;
    let mut out = Vec::new();
    for v in studio::variants(&db.pool, org, p.id).await? {
        let Some(ch) = chans.iter().find(|c| c.id == v.channel_id).cloned() else {
            continue;
        };
        let parts = follow_ups(&v);
        let with_media = !media.is_empty();
        let mut counts = Vec::new();
        let mut problems = Vec::new();
        for (n, t) in std::iter::once(&v.body).chain(parts.iter()).enumerate() {
            // Only the first part carries the media; comments and later parts are plain text.
            if let Some(c) = count_for(&ch, t, with_media && n == 0) {
                for pr in &c.problems {
                    let code = pr.code().replace('_', "-");
                    if !problems.contains(&code) {
                        problems.push(code);
                    }
                }
                counts.push(c);
            }
        }
        if v.body.trim().is_empty() {
            problems.push("empty".into());
        }
        let r = rules(&ch.network);
        if media.len() > r.max_media {
            problems.push("too-many-media".into());
        }
        if r.needs_media && media.is_empty() {
            problems.push("media-required".into());
        }
        if r.alt_text
            && media
                .iter()
                .any(|m| m.kind == "image" && m.alt_text.trim().is_empty())
        {
            problems.push("alt-missing".into());
        }
        out.push(VariantCheck {
            channel: ch,
            variant: v,
            follow_ups: parts,
            counts,
            problems,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Workflow

fn wrong_status() -> AppError {
    AppError::Conflict("post-wrong-status")
}

async fn moved(tx: &mut Tx, org: i64, id: i64, from: &[&str], to: &str) -> Result<()> {
    if studio::set_status(&mut **tx, org, id, from, to).await? {
        Ok(())
    } else {
        Err(wrong_status())
    }
}

/// Sends a post for review (or, when it needs no approval, marks it approved).
pub async fn submit(db: &Db, by: &OrgMember, public_id: &str) -> Result<String> {
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    if !can_edit(by, &p) {
        return Err(AppError::Forbidden);
    }
    let needs = needs_approval(db, &p).await?;
    let mut tx = db.begin().await?;
    let to = if needs { "review" } else { "approved" };
    moved(&mut tx, by.org.id, p.id, &["draft", "changes"], to).await?;
    studio::add_history(&mut *tx, by.org.id, p.id, Some(by.user.id), "submitted", "").await?;
    if needs {
        for (uid, ..) in studio::approvers(&mut *tx, by.org.id).await? {
            if uid != by.user.id {
                notify(&mut tx, by, p.id, uid, "review-requested", "").await?;
            }
        }
    } else {
        studio::set_approved_by(&mut *tx, by.org.id, p.id, Some(by.user.id)).await?;
    }
    tx.commit().await?;
    if !needs {
        schedule_if_planned(db, by, public_id).await?;
    }
    Ok(to.into())
}

pub async fn approve(db: &Db, by: &OrgMember, public_id: &str, note: &str) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    if p.author_id == Some(by.user.id) {
        return Err(AppError::Conflict("approve-own-post"));
    }
    let note = short("note", note, 2000)?;
    let mut tx = db.begin().await?;
    moved(&mut tx, by.org.id, p.id, &["review"], "approved").await?;
    studio::set_approved_by(&mut *tx, by.org.id, p.id, Some(by.user.id)).await?;
    studio::add_history(
        &mut *tx,
        by.org.id,
        p.id,
        Some(by.user.id),
        "approved",
        &note,
    )
    .await?;
    if let Some(a) = p.author_id {
        notify(&mut tx, by, p.id, a, "approved", &note).await?;
    }
    tx.commit().await?;
    schedule_if_planned(db, by, public_id).await?;
    Ok(())
}

/// After approval: a post with a planned time in the future and nothing blocking goes on the
/// schedule at once.
async fn schedule_if_planned(db: &Db, by: &OrgMember, public_id: &str) -> Result<()> {
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    if let Some(at) = p.scheduled_at
        && at > now_ms()
        && check(db, &p).await?.iter().all(VariantCheck::ok)
    {
        let mut tx = db.begin().await?;
        if studio::set_status(&mut *tx, by.org.id, p.id, &["approved"], "scheduled").await? {
            studio::add_history(&mut *tx, by.org.id, p.id, Some(by.user.id), "scheduled", "")
                .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

pub async fn request_changes(db: &Db, by: &OrgMember, public_id: &str, note: &str) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    let note = short("note", note, 2000)?;
    if note.is_empty() {
        return Err(AppError::Input {
            field: "note",
            error: InputError::Required,
        });
    }
    let mut tx = db.begin().await?;
    moved(
        &mut tx,
        by.org.id,
        p.id,
        &["review", "approved", "scheduled"],
        "changes",
    )
    .await?;
    studio::set_approved_by(&mut *tx, by.org.id, p.id, None).await?;
    studio::add_history(
        &mut *tx,
        by.org.id,
        p.id,
        Some(by.user.id),
        "changes-requested",
        &note,
    )
    .await?;
    if let Some(a) = p.author_id
        && a != by.user.id
    {
        notify(&mut tx, by, p.id, a, "changes-requested", &note).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Puts a post on the schedule at `at` (or its planned time). It must be approved, or need no
/// approval; every variant must pass its network's checks; the time must be in the future and
/// outside the organization's quiet windows.
pub async fn schedule(db: &Db, by: &OrgMember, public_id: &str, at: Option<i64>) -> Result<()> {
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    if !can_edit(by, &p) {
        return Err(AppError::Forbidden);
    }
    // No time given and none planned: the post is not in a state to be scheduled (409).
    let at = at
        .or(p.scheduled_at)
        .ok_or(AppError::Conflict("post-has-no-time"))?;
    if at <= now_ms() {
        return Err(AppError::Conflict("time-in-past"));
    }
    calendar::check_not_quiet(db, &by.org, at).await?;
    let from: &[&str] = if matches!(p.status.as_str(), "approved" | "scheduled") {
        &["approved", "scheduled"]
    } else if needs_approval(db, &p).await? {
        return Err(AppError::Conflict("post-needs-approval"));
    } else {
        &["draft", "changes", "approved", "scheduled"]
    };
    if !check(db, &p).await?.iter().all(VariantCheck::ok) {
        return Err(AppError::Conflict("post-has-problems"));
    }
    let mut tx = db.begin().await?;
    moved(&mut tx, by.org.id, p.id, from, "scheduled").await?;
    studio::set_schedule(&mut *tx, by.org.id, p.id, Some(at)).await?;
    if p.approved_by.is_none() {
        studio::set_approved_by(&mut *tx, by.org.id, p.id, Some(by.user.id)).await?;
    }
    let tz = super::zone(&by.org.time_zone);
    studio::add_history(
        &mut *tx,
        by.org.id,
        p.id,
        Some(by.user.id),
        "scheduled",
        &super::local_input(tz, at).replace('T', " "),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn unschedule(db: &Db, by: &OrgMember, public_id: &str) -> Result<()> {
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    if !can_edit(by, &p) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    moved(&mut tx, by.org.id, p.id, &["scheduled"], "approved").await?;
    studio::add_history(
        &mut *tx,
        by.org.id,
        p.id,
        Some(by.user.id),
        "unscheduled",
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a post's planned time to another day, keeping its time of day (dragging it on the
/// calendar). A post without a time gets 09:00.
pub async fn move_to_day(
    db: &Db,
    by: &OrgMember,
    public_id: &str,
    day: chrono::NaiveDate,
) -> Result<i64> {
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    if !can_edit(by, &p) {
        return Err(AppError::Forbidden);
    }
    let tz = super::zone(&by.org.time_zone);
    let time = p
        .scheduled_at
        .map(|ms| super::to_local(tz, ms).time())
        .unwrap_or_else(|| chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    let at = super::local_to_ms(tz, day.and_time(time))?;
    if p.status == "scheduled" && at <= now_ms() {
        return Err(AppError::Conflict("time-in-past"));
    }
    calendar::check_not_quiet(db, &by.org, at).await?;
    let mut tx = db.begin().await?;
    studio::set_schedule(&mut *tx, by.org.id, p.id, Some(at)).await?;
    studio::add_history(
        &mut *tx,
        by.org.id,
        p.id,
        Some(by.user.id),
        "moved",
        &super::local_input(tz, at).replace('T', " "),
    )
    .await?;
    tx.commit().await?;
    Ok(at)
}

pub async fn comment(db: &Db, by: &OrgMember, public_id: &str, text: &str) -> Result<()> {
    if by.role < Role::Contributor {
        return Err(AppError::Forbidden);
    }
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    let text = short("comment", text, 4000)?;
    if text.is_empty() {
        return Err(AppError::Input {
            field: "comment",
            error: InputError::Required,
        });
    }
    let mut tx = db.begin().await?;
    let mut tell = studio::commenters(&mut *tx, by.org.id, p.id).await?;
    if let Some(a) = p.author_id {
        tell.push(a);
    }
    if let Some(a) = p.approved_by {
        tell.push(a);
    }
    tell.sort_unstable();
    tell.dedup();
    studio::add_history(
        &mut *tx,
        by.org.id,
        p.id,
        Some(by.user.id),
        "comment",
        &text,
    )
    .await?;
    for u in tell.into_iter().filter(|u| *u != by.user.id) {
        notify(&mut tx, by, p.id, u, "comment", &text).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Corrects a published post's words where Kehilla publishes them itself — the organization's
/// site and its fediverse account (an `Update` follows) — (editors). The networks keep what
/// they published; the correction is on the post's history.
pub async fn correct(
    db: &Db,
    by: &OrgMember,
    public_id: &str,
    title: &str,
    body: &str,
) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    if p.status != "published" {
        return Err(wrong_status());
    }
    let title = crate::people::person::short("title", title, 200)?;
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::Input {
            field: "body",
            error: InputError::Required,
        });
    }
    if body.chars().count() > 20_000 {
        return Err(AppError::Input {
            field: "body",
            error: InputError::TooLong,
        });
    }
    let mut tx = db.begin().await?;
    studio::update_post(
        &mut *tx,
        by.org.id,
        p.id,
        &studio::PostData {
            kind: &p.kind,
            title: &title,
            body,
            details: &p.details,
        },
    )
    .await?;
    studio::add_history(&mut *tx, by.org.id, p.id, Some(by.user.id), "corrected", "").await?;
    tx.commit().await?;
    Ok(())
}

/// Withdraws a published post from the organization's site and its fediverse account (a
/// `Delete` follows) (editors). Removing it from a network is that network's own action.
pub async fn withdraw(db: &Db, by: &OrgMember, public_id: &str) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    let mut tx = db.begin().await?;
    moved(&mut tx, by.org.id, p.id, &["published"], "withdrawn").await?;
    studio::add_history(&mut *tx, by.org.id, p.id, Some(by.user.id), "withdrawn", "").await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(db: &Db, by: &OrgMember, public_id: &str) -> Result<()> {
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    if !can_edit(by, &p) {
        return Err(AppError::Forbidden);
    }
    Ok(studio::delete_post(&db.pool, by.org.id, p.id).await?)
}

// ---------------------------------------------------------------------------------------------
// Notifications

/// Records an in-app notification and queues its email, in the caller's transaction.
async fn notify(
    tx: &mut Tx,
    by: &OrgMember,
    post: i64,
    user: i64,
    kind: &str,
    note: &str,
) -> Result<()> {
    let id = studio::notify(
        &mut **tx,
        by.org.id,
        user,
        Some(post),
        Some(by.user.id),
        kind,
        note,
    )
    .await?;
    let mut job = NewJob::new(NOTIFICATION_MAIL, serde_json::json!({ "notification": id }));
    job.organization_id = Some(by.org.id);
    job.unique_key = Some(format!("studio-notification-{id}"));
    jobs::enqueue(&mut **tx, job).await?;
    Ok(())
}

pub const NOTIFICATION_MAIL: &str = "mail.studio-notification";

/// Emails one Studio notification to its user, in the user's language.
pub struct NotificationMail;

impl JobHandler for NotificationMail {
    fn kind(&self) -> &'static str {
        NOTIFICATION_MAIL
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let id = crate::jobs::payload_id(job, "notification")?;
            let (org_id, user_id, kind, post_public_id) =
                match studio::notification_by_id(&ctx.db.pool, id).await {
                    Ok(n) => n,
                    // Deleted with its post or its user: nothing to send.
                    Err(kehilla_db::DbError::NotFound) => return Ok(()),
                    Err(e) => return Err(e.into()),
                };
            let user = kehilla_db::users::by_id(&ctx.db.pool, user_id).await?;
            let org = orgs::by_id(&ctx.db.pool, org_id).await?;
            let list = studio::notifications(&ctx.db.pool, org_id, user_id, 200).await?;
            let n = list.into_iter().find(|n| n.id == id);
            let lang = Lang::parse(&user.lang).unwrap_or(Lang::He);
            let title = n
                .as_ref()
                .and_then(|n| n.post_title.clone())
                .unwrap_or_default();
            let actor = n
                .as_ref()
                .and_then(|n| n.actor_name.clone())
                .unwrap_or_default();
            let note = n.as_ref().map(|n| n.note.clone()).unwrap_or_default();
            let args = [
                ("post", title.clone()),
                ("actor", actor.clone()),
                ("org", org.name.clone()),
            ];
            let subject = i18n::t_args(lang, &format!("notify-{kind}-subject"), &args);
            let mut body = i18n::t_args(lang, &format!("notify-{kind}-body"), &args);
            if !note.is_empty() {
                body.push_str("\n\n");
                body.push_str(&note);
            }
            body.push_str(&format!(
                "\n\n{}/orgs/{}/studio/posts/{}\n",
                ctx.base_url.trim_end_matches('/'),
                org.slug,
                post_public_id
            ));
            ctx.mailer
                .send(&user.email, &subject, &body)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            Ok(())
        })
    }
}
