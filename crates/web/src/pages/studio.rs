//! The Studio's pages: home (cadence, what waits for whom), the composer with its variants,
//! live counters and previews, the approval actions, comments and history, and notifications.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use kehilla_app::AppError;
use kehilla_app::studio::posts::{self as post_uc, Details, PostInput, VariantCheck};
use kehilla_app::studio::{self as studio_uc, cadence, calendar, preview};
use kehilla_db::studio::{self, Channel, HistoryEntry, Media, Post, PostFilter, PostRow};
use kehilla_domain::Role;
use kehilla_domain::text::Count;
use serde::Deserialize;

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::i18n;
use crate::routes::OrgCtx;

/// Helpers every Studio template shares.
pub struct Fmt {
    pub lang: kehilla_domain::validate::Lang,
    pub tz: chrono_tz::Tz,
}

impl Fmt {
    pub fn new(c: &Chrome, org: &OrgCtx) -> Fmt {
        Fmt {
            lang: c.lang,
            tz: studio_uc::zone(&org.0.org.time_zone),
        }
    }
    pub fn when(&self, ms: &Option<i64>) -> String {
        ms.map(|m| {
            studio_uc::to_local(self.tz, m)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| i18n::t(self.lang, "studio-no-time"))
    }
    pub fn at(&self, ms: &i64) -> String {
        self.when(&Some(*ms))
    }
    pub fn time(&self, ms: &Option<i64>) -> String {
        ms.map(|m| studio_uc::to_local(self.tz, m).format("%H:%M").to_string())
            .unwrap_or_default()
    }
    pub fn input(&self, ms: &Option<i64>) -> String {
        ms.map(|m| studio_uc::local_input(self.tz, m))
            .unwrap_or_default()
    }
    pub fn kind(&self, k: &str) -> String {
        i18n::t(self.lang, &format!("post-kind-{k}"))
    }
    pub fn status(&self, s: &str) -> String {
        i18n::t(self.lang, &format!("post-status-{s}"))
    }
    pub fn network(&self, n: &str) -> String {
        i18n::t(self.lang, &format!("network-{n}"))
    }
    pub fn networks(&self, n: &Option<String>) -> String {
        n.as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| self.network(s))
            .collect::<Vec<_>>()
            .join(" · ")
    }
    pub fn snippet(&self, p: &PostRow) -> String {
        let t = if p.title.trim().is_empty() {
            &p.body
        } else {
            &p.title
        };
        let s: String = t.chars().take(80).collect();
        if t.chars().count() > 80 {
            format!("{s}…")
        } else {
            s
        }
    }
}

#[derive(Template)]
#[template(path = "studio/home.html")]
struct HomePage {
    c: Chrome,
    f: Fmt,
    cadence: Vec<cadence::ChannelCadence>,
    review: Vec<PostRow>,
    mine: Vec<PostRow>,
    upcoming: Vec<PostRow>,
    drafts: Vec<PostRow>,
    unread: i64,
    channels: usize,
    /// Channels with scheduled posts that cannot be published as things stand: (name, reason
    /// key, how many posts).
    at_risk: Vec<(String, &'static str, usize)>,
}

impl HomePage {
    fn health(&self, h: &cadence::Health, name: &str) -> String {
        let args = |days: i64| vec![("channel", name.to_string()), ("days", days.to_string())];
        match h {
            cadence::Health::Never => self.c.t1("cadence-never", "channel", name),
            cadence::Health::Overdue { days, .. } => {
                i18n::t_args(self.c.lang, "cadence-overdue", &args(*days))
            }
            cadence::Health::Due { days, .. } => {
                i18n::t_args(self.c.lang, "cadence-due", &args(*days))
            }
            cadence::Health::Ok { days, .. } => {
                i18n::t_args(self.c.lang, "cadence-ok", &args(*days))
            }
        }
    }
    fn health_class(&self, h: &cadence::Health) -> &'static str {
        match h {
            cadence::Health::Never | cadence::Health::Overdue { .. } => "error",
            cadence::Health::Due { .. } => "warning",
            cadence::Health::Ok { .. } => "notice",
        }
    }
}

pub async fn home(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let o = &org.0;
    let c = Chrome::new(&st, &ctx, Some(&org), "studio", "studio-title")
        .await?
        .with_notice(q.done.as_deref());
    let f = Fmt::new(&c, &org);
    let list = |status: Option<&str>, author: Option<i64>, from: Option<i64>| PostFilter {
        status: status.map(str::to_string),
        author,
        from,
        limit: 50,
        ..PostFilter::default()
    };
    let backend = st.db.backend();
    let review = studio::posts(
        &st.db.pool,
        backend,
        o.org.id,
        &list(Some("review"), None, None),
    )
    .await?;
    let mut mine = studio::posts(
        &st.db.pool,
        backend,
        o.org.id,
        &list(None, Some(o.user.id), None),
    )
    .await?;
    mine.retain(|p| matches!(p.status.as_str(), "draft" | "changes" | "review"));
    let upcoming = studio::posts(
        &st.db.pool,
        backend,
        o.org.id,
        &list(Some("scheduled"), None, Some(kehilla_db::now_ms())),
    )
    .await?;
    let drafts = studio::posts(
        &st.db.pool,
        backend,
        o.org.id,
        &list(Some("draft"), None, None),
    )
    .await?;
    // Warn before a scheduled post fails: its channel is not connected, needs connecting
    // again, or its network cannot be published to yet.
    let chans = studio::channels(&st.db.pool, o.org.id).await?;
    let conns = kehilla_db::publishing::connections(&st.db.pool, o.org.id).await?;
    let mut at_risk: Vec<(String, &'static str, usize)> = Vec::new();
    for ch in &chans {
        let reason = match conns.iter().find(|c| c.channel_id == ch.id) {
            _ if !kehilla_app::publishing::supported(&ch.network) => "risk-not-available",
            None => "risk-not-connected",
            Some(c) if c.needs_reconnect == 1 => "risk-reconnect",
            Some(_) => continue,
        };
        let n = upcoming
            .iter()
            .filter(|p| {
                p.networks
                    .as_deref()
                    .unwrap_or("")
                    .split(',')
                    .any(|n| n == ch.network)
            })
            .count();
        if n > 0 {
            at_risk.push((ch.name.clone(), reason, n));
        }
    }
    Ok(render(&HomePage {
        cadence: cadence::report(&st.db, o.org.id).await?,
        unread: studio::unread_count(&st.db.pool, o.org.id, o.user.id).await?,
        channels: chans.len(),
        at_risk,
        c,
        f,
        review,
        mine,
        upcoming,
        drafts,
    }))
}

// ---------------------------------------------------------------------------------------------
// The composer

#[derive(Template)]
#[template(path = "studio/edit.html")]
struct EditPage {
    c: Chrome,
    f: Fmt,
    post: Option<Post>,
    input: PostInput,
    kinds: [&'static str; 10],
    channels: Vec<Channel>,
    library: Vec<Media>,
    attached: Vec<Media>,
    checks: Vec<VariantCheck>,
    history: Vec<HistoryEntry>,
    needs_approval: bool,
    can_edit: bool,
    can_approve: bool,
    next_slots: Vec<(String, String)>,
    /// Each channel's publication: (channel name, channel id, can be removed, publication).
    publications: Vec<(String, String, bool, kehilla_db::publishing::Publication)>,
    /// A published post on the organization's own site: its address and figures (fediverse
    /// likes, boosts, replies; site comments).
    on_site: Option<(String, (i64, i64, i64, i64))>,
    error: Option<String>,
}

impl EditPage {
    fn editor(&self) -> bool {
        self.c
            .role
            .is_some_and(|r| r >= kehilla_domain::Role::Editor)
    }
    fn current_title(&self) -> String {
        self.post
            .as_ref()
            .map(|p| p.title.clone())
            .unwrap_or_default()
    }
    fn current_body(&self) -> String {
        self.post
            .as_ref()
            .map(|p| p.body.clone())
            .unwrap_or_default()
    }
    fn post_id(&self) -> String {
        self.post
            .as_ref()
            .map(|p| p.public_id.clone())
            .unwrap_or_default()
    }
    /// A publication's figures from its network, in the reader's words: "צפיות 530 · לייקים 28".
    fn figures(&self, p: &kehilla_db::publishing::Publication) -> String {
        let m: std::collections::BTreeMap<String, i64> =
            serde_json::from_str(&p.metrics).unwrap_or_default();
        let mut out: Vec<(u8, String)> = m
            .iter()
            .map(|(name, n)| {
                let (order, key) = kehilla_app::publishing::metric_kind(name);
                let label = if key.is_empty() {
                    name.clone()
                } else {
                    i18n::t(self.c.lang, &format!("metric-{key}"))
                };
                (order, format!("{label} {n}"))
            })
            .collect();
        out.sort();
        out.into_iter()
            .map(|(_, s)| s)
            .collect::<Vec<_>>()
            .join(" · ")
    }
    fn publication_text(&self, p: &kehilla_db::publishing::Publication) -> String {
        if p.error_code.is_empty() {
            i18n::t(self.c.lang, &format!("publication-{}", p.state))
        } else {
            format!(
                "{} — {}",
                i18n::t(self.c.lang, &format!("publication-{}", p.state)),
                i18n::t(self.c.lang, &format!("error-{}", p.error_code))
            )
        }
    }
    fn checked(&self, ch: &Channel) -> bool {
        self.input.channels.contains(&ch.public_id)
    }
    fn attached_id(&self, m: &Media) -> bool {
        self.input.media.contains(&m.public_id)
    }
    fn status(&self) -> &str {
        self.post
            .as_ref()
            .map(|p| p.status.as_str())
            .unwrap_or("draft")
    }
    fn counter(&self, c: &Count) -> String {
        counter_label(self.c.lang, c)
    }
    fn over(&self, c: &Count) -> bool {
        !c.ok
    }
    fn problem(&self, code: &str) -> String {
        i18n::t(self.c.lang, &format!("problem-{code}"))
    }
    fn follow_label(&self, ch: &Channel) -> String {
        if studio_uc::rules(&ch.network).threads {
            self.c.t("variant-thread")
        } else {
            self.c.t("variant-first-comment")
        }
    }
    fn joined(&self, parts: &[String]) -> String {
        parts.join("\n---\n")
    }
    fn action(&self, h: &HistoryEntry) -> String {
        i18n::t(self.c.lang, &format!("history-{}", h.action))
    }
    fn thumb(&self, m: &Media) -> String {
        if m.kind == "image" {
            format!("/m/{}/thumb", m.public_id)
        } else {
            String::new()
        }
    }
}

/// "250 / 280" or "Too long by 12 (292 / 280)" in the page's language.
pub fn counter_label(lang: kehilla_domain::validate::Lang, c: &Count) -> String {
    let unit = i18n::t(lang, &format!("unit-{}", unit_key(c)));
    if c.used > c.limit {
        i18n::t_args(
            lang,
            "counter-over",
            &[
                ("over", (c.used - c.limit).to_string()),
                ("used", c.used.to_string()),
                ("limit", c.limit.to_string()),
                ("unit", unit),
            ],
        )
    } else {
        i18n::t_args(
            lang,
            "counter-ok",
            &[
                ("used", c.used.to_string()),
                ("limit", c.limit.to_string()),
                ("unit", unit),
            ],
        )
    }
}

fn unit_key(c: &Count) -> &'static str {
    use kehilla_domain::text::Unit;
    match c.unit {
        Unit::Weighted => "weighted",
        Unit::Graphemes => "graphemes",
        Unit::Bytes => "bytes",
        Unit::Utf16 => "utf16",
        Unit::Characters => "characters",
        Unit::Septets => "septets",
        Unit::Segments => "segments",
    }
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    post: Option<Post>,
    input: Option<PostInput>,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let o = &org.0;
    let title = if post.is_some() {
        "studio-edit"
    } else {
        "studio-new"
    };
    let c = Chrome::new(st, ctx, Some(org), "studio", title)
        .await?
        .with_notice(done);
    let f = Fmt::new(&c, org);
    let channels = studio::channels(&st.db.pool, o.org.id).await?;
    let library = studio::media_list(&st.db.pool, o.org.id, 60).await?;
    let (attached, checks, history, needs_approval, can_edit) = match &post {
        Some(p) => (
            studio::post_media(&st.db.pool, o.org.id, p.id).await?,
            post_uc::check(&st.db, p).await?,
            studio::history(&st.db.pool, o.org.id, p.id).await?,
            post_uc::needs_approval(&st.db, p).await?,
            post_uc::can_edit(o, p),
        ),
        None => (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            false,
            o.role >= Role::Contributor,
        ),
    };
    let input = input.unwrap_or_else(|| match &post {
        Some(p) => PostInput {
            kind: p.kind.clone(),
            title: p.title.clone(),
            body: p.body.clone(),
            details: post_uc::details_of(p),
            channels: checks.iter().map(|v| v.channel.public_id.clone()).collect(),
            scheduled_at: f.input(&p.scheduled_at),
            media: attached.iter().map(|m| m.public_id.clone()).collect(),
        },
        None => PostInput {
            kind: "story".into(),
            ..PostInput::default()
        },
    });
    let can_approve = post
        .as_ref()
        .is_some_and(|p| o.role >= Role::Editor && p.author_id != Some(o.user.id));
    let mut next_slots = Vec::new();
    if post.is_some() {
        for v in &checks {
            if let Some(at) =
                calendar::next_free_slot_now(&st.db, &o.org, &v.channel.public_id).await?
            {
                next_slots.push((v.channel.name.clone(), f.input(&Some(at))));
            }
        }
    }
    let mut publications = Vec::new();
    if let Some(p) = &post {
        let chans = studio::channels(&st.db.pool, o.org.id).await?;
        for x in kehilla_db::publishing::of_post(&st.db.pool, o.org.id, p.id).await? {
            let Some(ch) = chans.iter().find(|c| c.id == x.channel_id) else {
                continue;
            };
            let removable = x.state == "published"
                && o.role >= kehilla_domain::Role::Editor
                && kehilla_app::publishing::remove::can_delete(&ch.network);
            publications.push((ch.name.clone(), ch.public_id.clone(), removable, x));
        }
    }
    let mut on_site = None;
    if let Some(p) = post.as_ref().filter(|p| p.status == "published") {
        let site =
            kehilla_app::home::site::load(&st.db, &st.settings.base_url(), &o.org.slug).await?;
        let figures = kehilla_db::activitypub::post_figures(&st.db.pool, p.id).await?;
        on_site = Some((site.post_url(p), figures));
    }
    Ok(render(&EditPage {
        publications,
        on_site,
        c,
        f,
        post,
        input,
        kinds: studio_uc::KINDS,
        channels,
        library,
        attached,
        checks,
        history,
        needs_approval,
        can_edit,
        can_approve,
        next_slots,
        error,
    }))
}

pub async fn new_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<NewQuery>,
) -> WebResult<Response> {
    let mut input = PostInput {
        kind: q
            .kind
            .filter(|k| studio_uc::KINDS.contains(&k.as_str()))
            .unwrap_or_else(|| "story".into()),
        ..PostInput::default()
    };
    if let Some(day) = q.day {
        input.scheduled_at = format!("{day}T09:00");
    }
    edit_page(&st, &ctx, &org, None, Some(input), None, None).await
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    kind: Option<String>,
    day: Option<String>,
}

/// Reads the composer form: repeated `channel` and `media` values.
fn parse_post(pairs: &[(String, String)]) -> PostInput {
    let mut i = PostInput::default();
    let mut d = Details::default();
    for (k, v) in pairs {
        match k.as_str() {
            "kind" => i.kind = v.clone(),
            "title" => i.title = v.clone(),
            "body" => i.body = v.clone(),
            "event_start" => d.event_start = v.clone(),
            "place" => d.place = v.clone(),
            "url" => d.url = v.clone(),
            "outlet" => d.outlet = v.clone(),
            "channel" => i.channels.push(v.clone()),
            "media" => i.media.push(v.clone()),
            "scheduled_at" => i.scheduled_at = v.clone(),
            _ => {}
        }
    }
    i.details = d;
    i
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let input = parse_post(&pairs);
    match post_uc::create(&st.db, &org.0, &input).await {
        Ok(p) => Ok(Redirect::to(&format!(
            "/orgs/{}/studio/posts/{}?done=post-created",
            org.0.org.slug, p.public_id
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let msg = message(&ctx, &e);
            edit_page(&st, &ctx, &org, None, Some(input), Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn show(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Query(q): Query<ShowQuery>,
) -> WebResult<Response> {
    let p = studio::post(&st.db.pool, org.0.org.id, &post).await?;
    let error = q
        .error
        .filter(|e| e.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .and_then(|e| i18n::try_t(ctx.lang, &format!("error-{e}")));
    edit_page(&st, &ctx, &org, Some(p), None, error, q.done.as_deref()).await
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    done: Option<String>,
    error: Option<String>,
}

pub async fn update(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let input = parse_post(&pairs);
    match post_uc::update(&st.db, &org.0, &post, &input).await {
        Ok(p) => Ok(Redirect::to(&format!(
            "/orgs/{}/studio/posts/{}?done=post-saved",
            org.0.org.slug, p.public_id
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_) | AppError::Forbidden)) => {
            let p = studio::post(&st.db.pool, org.0.org.id, &post).await?;
            let msg = message(&ctx, &e);
            edit_page(&st, &ctx, &org, Some(p), Some(input), Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Splits the follow-up box into parts: a line of three dashes separates them.
pub fn split_parts(s: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for line in s.replace("\r\n", "\n").lines() {
        if line.trim() == "---" {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            if !last.is_empty() {
                last.push('\n');
            }
            last.push_str(line);
        }
    }
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[derive(Deserialize, Default)]
pub struct VariantForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    follow_ups: String,
    /// "follow" makes the variant follow the master text again.
    #[serde(default)]
    mode: String,
}

pub async fn save_variant(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post, channel)): Path<(String, String, String)>,
    Form(f): Form<VariantForm>,
) -> WebResult<Response> {
    let parts = split_parts(&f.follow_ups);
    let text = (f.mode != "follow").then_some((f.body.as_str(), parts.as_slice()));
    let done = if text.is_some() {
        "variant-saved"
    } else {
        "variant-follows"
    };
    after(
        &st,
        &ctx,
        &org,
        &post,
        post_uc::set_variant(&st.db, &org.0, &post, &channel, text).await,
        done,
    )
}

/// Back to the post page: with a confirmation, or with the error's message.
fn after(
    _st: &AppState,
    _ctx: &Ctx,
    org: &OrgCtx,
    post: &str,
    r: kehilla_app::Result<()>,
    done: &str,
) -> WebResult<Response> {
    let base = format!("/orgs/{}/studio/posts/{post}", org.0.org.slug);
    match r {
        Ok(()) => Ok(Redirect::to(&format!("{base}?done={done}")).into_response()),
        Err(AppError::NotFound) => Err(AppError::NotFound.into()),
        Err(e @ (AppError::Internal(_) | AppError::Unavailable(_) | AppError::StorageFull(_))) => {
            Err(e.into())
        }
        Err(e) => {
            let code = match &e {
                AppError::Input { error, .. } => format!("input-{}", error.code()),
                other => other.code().to_string(),
            };
            Ok(Redirect::to(&format!("{base}?error={code}")).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    scheduled_at: String,
    #[serde(default)]
    channel: String,
}

pub async fn action(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> WebResult<Response> {
    let o = &org.0;
    studio::post(&st.db.pool, o.org.id, &post).await?;
    let tz = studio_uc::zone(&o.org.time_zone);
    let (r, done) = match f.action.as_str() {
        "submit" => (
            post_uc::submit(&st.db, o, &post).await.map(|_| ()),
            "post-submitted",
        ),
        "approve" => (
            post_uc::approve(&st.db, o, &post, &f.note).await,
            "post-approved",
        ),
        "changes" => (
            post_uc::request_changes(&st.db, o, &post, &f.note).await,
            "post-changes",
        ),
        "schedule" => {
            let at = match f.scheduled_at.trim() {
                "" => Ok(None),
                s => studio_uc::parse_local(tz, s).map(Some),
            };
            let r = match at {
                Ok(at) => post_uc::schedule(&st.db, o, &post, at).await,
                Err(e) => Err(e),
            };
            (r, "post-scheduled")
        }
        "unschedule" => (
            post_uc::unschedule(&st.db, o, &post).await,
            "post-unscheduled",
        ),
        "comment" => (
            post_uc::comment(&st.db, o, &post, &f.note).await,
            "comment-added",
        ),
        "remove" => (
            kehilla_app::publishing::remove::request(&st.db, o, &post, &f.channel).await,
            "removal-requested",
        ),
        "correct" => (
            post_uc::correct(&st.db, o, &post, &f.title, &f.body).await,
            "post-corrected",
        ),
        "withdraw" => (post_uc::withdraw(&st.db, o, &post).await, "post-withdrawn"),
        "track" => (
            kehilla_app::studio::links::track_post(&st.db, o, &post, &st.settings.base_url())
                .await
                .map(|_| ()),
            "links-tracked",
        ),
        "delete" => {
            post_uc::delete(&st.db, o, &post).await?;
            return Ok(
                Redirect::to(&format!("/orgs/{}/studio?done=post-deleted", o.org.slug))
                    .into_response(),
            );
        }
        _ => (Err(AppError::NotFound), ""),
    };
    if r.is_ok()
        && let Some(w) = &st.worker
    {
        w.wake();
    }
    after(&st, &ctx, &org, &post, r, done)
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    day: String,
}

/// Dragging on the calendar: JSON in, JSON out.
pub async fn move_post(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Form(f): Form<MoveForm>,
) -> WebResult<Response> {
    studio::post(&st.db.pool, org.0.org.id, &post).await?;
    let day = chrono::NaiveDate::parse_from_str(f.day.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::Input {
            field: "day",
            error: kehilla_domain::validate::InputError::InvalidValue,
        }
    })?;
    match post_uc::move_to_day(&st.db, &org.0, &post, day).await {
        Ok(at) => Ok(Json(serde_json::json!({
            "ok": true,
            "scheduled_at": at,
            "message": i18n::t(ctx.lang, "done-post-moved"),
        }))
        .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CountForm {
    channel: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    with_media: bool,
}

/// The live counter: how a text counts on a channel, and what is wrong with it.
pub async fn count(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Json(f): Json<CountForm>,
) -> WebResult<Json<serde_json::Value>> {
    let ch = studio::channel(&st.db.pool, org.0.org.id, &f.channel).await?;
    if f.text.len() > 200_000 {
        return Err(AppError::Input {
            field: "text",
            error: kehilla_domain::validate::InputError::TooLong,
        }
        .into());
    }
    let Some(c) = post_uc::count_for(&ch, &f.text, f.with_media) else {
        return Err(AppError::NotFound.into());
    };
    let problems: Vec<String> = c
        .problems
        .iter()
        .map(|p| i18n::t(ctx.lang, &format!("problem-{}", p.code().replace('_', "-"))))
        .collect();
    Ok(Json(serde_json::json!({
        "used": c.used,
        "limit": c.limit,
        "over": c.used.saturating_sub(c.limit),
        "ok": c.ok,
        "label": counter_label(ctx.lang, &c),
        "problems": problems,
        "sms": c.sms,
    })))
}

#[derive(Template)]
#[template(path = "studio/preview.html")]
struct PreviewFragment {
    org_slug: String,
    lang: kehilla_domain::validate::Lang,
    network: String,
    network_name: String,
    org_name: String,
    handle: String,
    paragraphs: Vec<Vec<Piece>>,
    follow_ups: Vec<Vec<Vec<Piece>>>,
    media: Vec<Media>,
    card: Option<kehilla_net::LinkCard>,
    card_error: Option<String>,
}

impl PreviewFragment {
    fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }
    /// A card's picture goes through our server (SSRF-safe), so that the page's CSP can keep
    /// images to our own origin and the linked site does not see who is writing.
    fn card_image(&self, url: &str) -> String {
        format!(
            "/orgs/{}/studio/card-image?url={}",
            self.org_slug,
            crate::routes::urlencode(url)
        )
    }
}

#[derive(Deserialize)]
pub struct CardImageQuery {
    #[serde(default)]
    url: String,
}

/// A link card's picture, fetched through the SSRF-safe client (2 MB at most).
pub async fn card_image(
    State(st): State<AppState>,
    Query(q): Query<CardImageQuery>,
) -> WebResult<Response> {
    let Some(client) = &st.fetcher else {
        return Err(AppError::NotFound.into());
    };
    match client.get_image(&q.url, 2 * 1024 * 1024).await {
        Ok((mime, bytes)) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            if let Ok(v) = axum::http::HeaderValue::from_str(&mime) {
                h.insert(axum::http::header::CONTENT_TYPE, v);
            }
            h.insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("private, max-age=86400"),
            );
            h.insert(
                "content-security-policy",
                axum::http::HeaderValue::from_static("default-src 'none'"),
            );
            Ok(r)
        }
        Err(e) => {
            tracing::debug!(error = %e, "link card image not fetched");
            Err(AppError::NotFound.into())
        }
    }
}

/// A run of text in a preview: plain, a link, a hashtag or a mention.
pub struct Piece {
    pub kind: &'static str,
    pub text: String,
}

/// Splits a paragraph into pieces so that links, hashtags and mentions look as they will.
pub fn pieces(line: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut last = 0;
    let finder = linkify::LinkFinder::new();
    let mut spans: Vec<(usize, usize, &'static str)> = finder
        .links(line)
        .filter(|l| *l.kind() == linkify::LinkKind::Url)
        .map(|l| (l.start(), l.end(), "link"))
        .collect();
    // Hashtags and mentions: # or @ followed by letters, digits or underscores.
    let mut it = line.char_indices().peekable();
    while let Some((i, ch)) = it.next() {
        if (ch == '#' || ch == '@') && !spans.iter().any(|(s, e, _)| i >= *s && i < *e) {
            let prev_ok = i == 0
                || line
                    .get(..i)
                    .and_then(|p| p.chars().last())
                    .is_some_and(|p| !p.is_alphanumeric());
            let mut end = i + ch.len_utf8();
            while let Some((j, c)) = it.peek().copied() {
                if c.is_alphanumeric() || c == '_' || (ch == '@' && (c == '.' || c == '@')) {
                    end = j + c.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            if prev_ok && end > i + ch.len_utf8() {
                spans.push((i, end, if ch == '#' { "tag" } else { "mention" }));
            }
        }
    }
    spans.sort_by_key(|s| s.0);
    for (s, e, kind) in spans {
        if s < last {
            continue;
        }
        if let Some(t) = line.get(last..s).filter(|t| !t.is_empty()) {
            out.push(Piece {
                kind: "text",
                text: t.to_string(),
            });
        }
        if let Some(t) = line.get(s..e) {
            out.push(Piece {
                kind,
                text: t.to_string(),
            });
        }
        last = e;
    }
    if let Some(t) = line.get(last..).filter(|t| !t.is_empty()) {
        out.push(Piece {
            kind: "text",
            text: t.to_string(),
        });
    }
    out
}

fn paragraphs(text: &str) -> Vec<Vec<Piece>> {
    text.lines().map(pieces).collect()
}

#[derive(Deserialize, Default)]
pub struct PreviewQuery {
    /// The text as it is being typed (else the saved variant).
    text: Option<String>,
}

/// A preview that looks like the network's post, as an HTML fragment.
pub async fn preview(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post, channel)): Path<(String, String, String)>,
    Query(q): Query<PreviewQuery>,
) -> WebResult<Response> {
    let o = &org.0;
    let p = studio::post(&st.db.pool, o.org.id, &post).await?;
    let ch = studio::channel(&st.db.pool, o.org.id, &channel).await?;
    let v = studio::variants(&st.db.pool, o.org.id, p.id)
        .await?
        .into_iter()
        .find(|v| v.channel_id == ch.id)
        .ok_or(AppError::NotFound)?;
    let text = q.text.unwrap_or_else(|| v.body.clone());
    let media = studio::post_media(&st.db.pool, o.org.id, p.id).await?;
    let (card, card_error) = match (preview::first_url(&text), &st.fetcher) {
        (Some(url), Some(client)) if media.is_empty() => {
            match preview::card(&st.db, client, &url).await? {
                Ok(c) => (Some(c), None),
                Err(code) => (
                    None,
                    Some(i18n::t(
                        ctx.lang,
                        &format!("card-error-{}", code.replace(['.', '_'], "-")),
                    )),
                ),
            }
        }
        _ => (None, None),
    };
    let frag = PreviewFragment {
        org_slug: o.org.slug.clone(),
        lang: ctx.lang,
        network_name: i18n::t(ctx.lang, &format!("network-{}", ch.network)),
        network: ch.network.clone(),
        org_name: o.org.name.clone(),
        handle: ch.handle.clone(),
        paragraphs: paragraphs(&text),
        follow_ups: post_uc::follow_ups(&v)
            .iter()
            .map(|s| paragraphs(s))
            .collect(),
        media,
        card,
        card_error,
    };
    Ok(render(&frag))
}

#[derive(Template)]
#[template(path = "studio/notifications.html")]
struct NotificationsPage {
    c: Chrome,
    f: Fmt,
    list: Vec<studio::Notification>,
}

impl NotificationsPage {
    fn text(&self, n: &studio::Notification) -> String {
        i18n::t_args(
            self.c.lang,
            &format!("notify-{}-subject", n.kind),
            &[
                ("post", n.post_title.clone().unwrap_or_default()),
                ("actor", n.actor_name.clone().unwrap_or_default()),
                ("org", self.c.org_name.clone()),
            ],
        )
    }
}

pub async fn notifications(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let o = &org.0;
    let list = studio::notifications(&st.db.pool, o.org.id, o.user.id, 100).await?;
    studio::mark_read(&st.db.pool, o.org.id, o.user.id).await?;
    let c = Chrome::new(&st, &ctx, Some(&org), "studio", "notifications-title").await?;
    let f = Fmt::new(&c, &org);
    Ok(render(&NotificationsPage { c, f, list }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_up_parts_split_on_dashes() {
        assert_eq!(split_parts("a\nb\n---\nc\n---\n\n"), vec!["a\nb", "c"]);
        assert!(split_parts("").is_empty());
    }

    #[test]
    fn pieces_find_links_tags_and_mentions_in_hebrew() {
        let p = pieces("שלום #התנדבות עם @dana@kehilla.social ב-https://a.example/x!");
        let kinds: Vec<&str> = p.iter().map(|x| x.kind).collect();
        assert_eq!(
            kinds,
            vec!["text", "tag", "text", "mention", "text", "link", "text"]
        );
        assert_eq!(p.get(1).map(|x| x.text.as_str()), Some("#התנדבות"));
    }
}
