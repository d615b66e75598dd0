//! The Inbox: the list of conversations with its filters, one conversation with its answers,
//! notes and triage, the settings (moderation words, approval, saved replies, digests,
//! webhooks), response times, and the networks' webhooks.

use askama::Template;
use axum::Extension;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use kehilla_app::inbox as uc;
use kehilla_db::inbox as idb;
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

const PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "inbox/list.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<idb::Row>,
    q: ListQuery,
    sources: Vec<String>,
    unread: (i64, i64),
    page: i64,
    more: bool,
}

impl ListPage {
    fn status_name(&self, s: &str) -> String {
        self.c.t(&format!("inbox-status-{s}"))
    }
    fn source_name(&self, s: &str) -> String {
        source_name(&self.c, s)
    }
    fn excerpt(&self, r: &idb::Row) -> String {
        let e = r.excerpt.as_deref().unwrap_or_default();
        let mut s: String = e.chars().take(160).collect();
        if e.chars().count() > 160 {
            s.push('…');
        }
        s
    }
    fn labels<'a>(&self, r: &'a idb::Row) -> Vec<&'a str> {
        r.labels.split_whitespace().collect()
    }
    fn link(&self, page: i64) -> String {
        let enc = |s: &str| kehilla_app::home::site::path_segment(s);
        format!(
            "?status={}&source={}&mine={}&label={}&q={}&page={page}",
            enc(&self.q.status),
            enc(&self.q.source),
            enc(&self.q.mine),
            enc(&self.q.label),
            enc(&self.q.q)
        )
    }
}

/// A message source's name: the site, email, SMS, the fediverse, or a network.
pub(crate) fn source_name(c: &Chrome, s: &str) -> String {
    kehilla_app::i18n::try_t(c.lang, &format!("inbox-source-{s}"))
        .or_else(|| kehilla_app::i18n::try_t(c.lang, &format!("network-{s}")))
        .unwrap_or_else(|| s.to_string())
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, Some(&org), "inbox", "inbox-title")
        .await?
        .with_notice(q.done.as_deref());
    let f = uc::filter(&org.0, &q.status, &q.source, q.mine == "1", &q.label, &q.q);
    let page = q.page.unwrap_or(0).clamp(0, 10_000);
    let mut rows = idb::list(&st.db.pool, org.0.org.id, &f, PAGE + 1, page * PAGE).await?;
    let more = rows.len() > usize::try_from(PAGE).unwrap_or(50);
    rows.truncate(usize::try_from(PAGE).unwrap_or(50));
    let mut sources: Vec<String> = kehilla_db::studio::channels(&st.db.pool, org.0.org.id)
        .await?
        .into_iter()
        .map(|ch| ch.network)
        .collect();
    sources.extend(["site", "fediverse", "email", "sms"].map(String::from));
    sources.sort();
    sources.dedup();
    let unread = uc::unread(&st.db, &org.0).await?;
    Ok(render(&ListPage {
        c,
        rows,
        q,
        sources,
        unread,
        page,
        more,
    }))
}

/// The navigation's counts, for the page to refresh them: `{"new": n, "mine": m}`.
pub async fn unread(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let (new, mine) = uc::unread(&st.db, &org.0).await?;
    Ok(Json(serde_json::json!({ "new": new, "mine": mine })).into_response())
}

struct SavedView {
    title: String,
    body: String,
}

#[derive(Template)]
#[template(path = "inbox/show.html")]
struct ShowPage {
    c: Chrome,
    t: uc::Thread,
    members: Vec<kehilla_db::orgs::Member>,
    saved: Vec<SavedView>,
    person: Option<kehilla_db::people::Person>,
    roles: Vec<(String, String)>,
    history: Vec<idb::PersonMessage>,
    /// The member's own membership id (the "assign to me" key).
    me: String,
}

impl ShowPage {
    fn source_name(&self) -> String {
        source_name(&self.c, &self.t.conversation.source)
    }
    fn status_name(&self, s: &str) -> String {
        self.c.t(&format!("inbox-status-{s}"))
    }
    fn state_name(&self, s: &str) -> String {
        self.c.t(&format!("inbox-state-{s}"))
    }
    fn error_name(&self, code: &str) -> String {
        kehilla_app::i18n::try_t(self.c.lang, &format!("error-{code}"))
            .unwrap_or_else(|| code.to_string())
    }
    fn author(&self) -> String {
        match &self.t.identity {
            Some(i) if !i.name.is_empty() => i.name.clone(),
            Some(i) => i.handle.clone(),
            None => String::new(),
        }
    }
    fn handle(&self) -> String {
        self.t
            .identity
            .as_ref()
            .map(|i| i.handle.clone())
            .unwrap_or_default()
    }
    fn is_assignee(&self, m: &kehilla_db::orgs::Member) -> bool {
        self.t.conversation.assignee_id == Some(m.user_id)
    }
    fn labels_text(&self) -> String {
        self.t.conversation.labels.trim().to_string()
    }
    fn counter_channel(&self) -> String {
        self.t
            .channel
            .as_ref()
            .map(|c| c.public_id.clone())
            .unwrap_or_default()
    }
    fn can_review(&self) -> bool {
        self.c.can("edit")
    }
    fn web_link(&self, url: &str) -> bool {
        kehilla_app::studio::posts::is_web_address(url)
    }
    fn back_arrow(&self) -> &'static str {
        if self.c.dir() == "rtl" { "→" } else { "←" }
    }
    fn flag_text(&self, reason: &str) -> String {
        match reason.split_once(':') {
            // The word keeps its own direction inside the sentence (first-strong isolate).
            Some(("word", w)) => {
                self.c
                    .t1("inbox-flag-word", "word", &format!("\u{2068}{w}\u{2069}"))
            }
            Some(("links", n)) => self.c.t1("inbox-flag-links", "count", n),
            _ => reason.to_string(),
        }
    }
    fn person_name(&self) -> String {
        self.person
            .as_ref()
            .map(|p| {
                format!("{} {}", p.first_name, p.last_name)
                    .trim()
                    .to_string()
            })
            .unwrap_or_default()
    }
}

pub async fn show(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<super::DoneQuery>,
) -> WebResult<Response> {
    let t = uc::open(&st.db, &org.0, &id).await?;
    let mut c = Chrome::new(&st, &ctx, Some(&org), "inbox", "inbox-title")
        .await?
        .with_notice(q.done.as_deref());
    c.title = format!("{} · {}", c.title, t.conversation.subject);
    let members = kehilla_db::orgs::members(&st.db.pool, org.0.org.id).await?;
    let person = match t.identity.as_ref().and_then(|i| i.person_id) {
        Some(p) => kehilla_db::people::by_id(&st.db.pool, org.0.org.id, p)
            .await
            .ok(),
        None => None,
    };
    let history = match &person {
        Some(p) => idb::of_person(&st.db.pool, org.0.org.id, p.id, 10).await?,
        None => Vec::new(),
    };
    let (name, first) = match (&person, &t.identity) {
        (Some(p), _) => (
            format!("{} {}", p.first_name, p.last_name)
                .trim()
                .to_string(),
            p.first_name.clone(),
        ),
        (None, Some(i)) => {
            let n = if i.name.is_empty() {
                &i.handle
            } else {
                &i.name
            };
            (
                n.clone(),
                n.split_whitespace().next().unwrap_or_default().to_string(),
            )
        }
        _ => (String::new(), String::new()),
    };
    let saved = idb::saved_replies(&st.db.pool, org.0.org.id)
        .await?
        .into_iter()
        .map(|s| SavedView {
            body: uc::fill(&s.body, &name, &first, &org.0.org.name).unwrap_or(s.body),
            title: s.title,
        })
        .collect();
    let roles = kehilla_db::people::role_options(&st.db.pool, org.0.org.id)
        .await?
        .into_iter()
        .map(|r| (r.key, r.label))
        .collect();
    let me = members
        .iter()
        .find(|m| m.user_id == org.0.user.id)
        .map(|m| m.public_id.clone())
        .unwrap_or_default();
    Ok(render(&ShowPage {
        c,
        t,
        me,
        members,
        saved,
        person,
        roles,
        history,
    }))
}

fn back(org: &OrgCtx, id: &str, done: &str) -> Response {
    Redirect::to(&format!(
        "/orgs/{}/inbox/{id}?done={done}#answer",
        org.0.org.slug
    ))
    .into_response()
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    to: String,
}

pub async fn answer(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    axum::Form(f): axum::Form<AnswerForm>,
) -> WebResult<Response> {
    uc::answer(&st.db, &org.0, &id, &f.to, &f.body).await?;
    if let Some(w) = &st.worker {
        w.wake();
    }
    Ok(back(&org, &id, "inbox-answered"))
}

#[derive(Deserialize)]
pub struct TriageForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    priority: i64,
    #[serde(default)]
    labels: String,
}

pub async fn triage(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    axum::Form(f): axum::Form<TriageForm>,
) -> WebResult<Response> {
    uc::triage(
        &st.db,
        &org.0,
        &id,
        &uc::Triage {
            status: &f.status,
            assignee: &f.assignee,
            priority: f.priority,
            labels: &f.labels,
        },
    )
    .await?;
    Ok(back(&org, &id, "inbox-saved"))
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    /// Where to go next: `list` for the inbox.
    #[serde(default)]
    then: String,
}

pub async fn status(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    axum::Form(f): axum::Form<StatusForm>,
) -> WebResult<Response> {
    uc::set_status(&st.db, &org.0, &id, &f.status).await?;
    if f.then == "list" {
        return Ok(
            Redirect::to(&format!("/orgs/{}/inbox?done=inbox-saved", org.0.org.slug))
                .into_response(),
        );
    }
    Ok(back(&org, &id, "inbox-saved"))
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

pub async fn note(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    axum::Form(f): axum::Form<NoteForm>,
) -> WebResult<Response> {
    uc::note(&st.db, &org.0, &id, &f.note).await?;
    Ok(back(&org, &id, "inbox-noted"))
}

#[derive(Deserialize)]
pub struct LinkForm {
    /// An email address or phone number of a person, or empty to unlink.
    #[serde(default)]
    contact: String,
}

pub async fn link(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    axum::Form(f): axum::Form<LinkForm>,
) -> WebResult<Response> {
    uc::link_by_contact(&st.db, &org.0, &id, &f.contact).await?;
    Ok(back(&org, &id, "inbox-linked"))
}

#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    role: String,
}

pub async fn make_person(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    axum::Form(f): axum::Form<PersonForm>,
) -> WebResult<Response> {
    uc::make_person(&st.db, &org.0, &id, &f.role, &ctx.actor()).await?;
    Ok(back(&org, &id, "inbox-person-made"))
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
}

pub async fn review(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, message)): Path<(String, String)>,
    axum::Form(f): axum::Form<ReviewForm>,
) -> WebResult<Response> {
    let conversation = uc::review(&st.db, &org.0, &message, &f.decision).await?;
    if let Some(w) = &st.worker {
        w.wake();
    }
    Ok(back(&org, &conversation, "inbox-reviewed"))
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(default)]
    action: String,
}

pub async fn act(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, message)): Path<(String, String)>,
    axum::Form(f): axum::Form<ActForm>,
) -> WebResult<Response> {
    let conversation = uc::act(&st.db, &org.0, &message, &f.action).await?;
    if let Some(w) = &st.worker {
        w.wake();
    }
    Ok(back(&org, &conversation, "inbox-acted"))
}

#[derive(Template)]
#[template(path = "inbox/settings.html")]
struct SettingsPage {
    c: Chrome,
    s: idb::Settings,
    saved: Vec<idb::SavedReply>,
    digest: String,
    telegram: Vec<kehilla_db::studio::Channel>,
    meta_url: String,
}

pub async fn settings_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<super::DoneQuery>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, Some(&org), "inbox", "inbox-settings-title")
        .await?
        .with_notice(q.done.as_deref());
    let id = org.0.org.id;
    let telegram = kehilla_db::studio::channels(&st.db.pool, id)
        .await?
        .into_iter()
        .filter(|ch| ch.network == "telegram")
        .collect();
    Ok(render(&SettingsPage {
        c,
        s: idb::settings(&st.db.pool, id).await?,
        saved: idb::saved_replies(&st.db.pool, id).await?,
        digest: idb::digest_frequency(&st.db.pool, id, org.0.user.id).await?,
        telegram,
        meta_url: format!("{}/hooks/meta/{{network}}", st.settings.base_url()),
    }))
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    approval: String,
    #[serde(default)]
    flag_words: String,
    #[serde(default)]
    hide_words: String,
    #[serde(default)]
    max_links: i64,
}

pub async fn save_settings(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    axum::Form(f): axum::Form<SettingsForm>,
) -> WebResult<Response> {
    uc::save_settings(
        &st.db,
        &org.0,
        f.approval == "1",
        &f.flag_words,
        &f.hide_words,
        f.max_links,
    )
    .await?;
    Ok(to_settings(&org, "inbox-settings-saved"))
}

fn to_settings(org: &OrgCtx, done: &str) -> Response {
    Redirect::to(&format!(
        "/orgs/{}/inbox/settings?done={done}",
        org.0.org.slug
    ))
    .into_response()
}

#[derive(Deserialize)]
pub struct SavedForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    delete: String,
}

pub async fn saved(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    axum::Form(f): axum::Form<SavedForm>,
) -> WebResult<Response> {
    if f.delete.is_empty() {
        uc::save_reply(&st.db, &org.0, &f.title, &f.body).await?;
        Ok(to_settings(&org, "inbox-saved-reply"))
    } else {
        uc::delete_saved_reply(&st.db, &org.0, &f.delete).await?;
        Ok(to_settings(&org, "inbox-saved-reply-deleted"))
    }
}

#[derive(Deserialize)]
pub struct DigestForm {
    #[serde(default)]
    frequency: String,
}

pub async fn digest(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    axum::Form(f): axum::Form<DigestForm>,
) -> WebResult<Response> {
    uc::set_digest(&st.db, &org.0, &f.frequency).await?;
    Ok(to_settings(&org, "inbox-settings-saved"))
}

#[derive(Deserialize)]
pub struct TelegramForm {
    #[serde(default)]
    channel: String,
}

pub async fn telegram(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    axum::Form(f): axum::Form<TelegramForm>,
) -> WebResult<Response> {
    uc::hooks::connect_telegram(
        &st.db,
        &st.settings,
        &st.settings.base_url(),
        &org.0,
        &f.channel,
    )
    .await?;
    Ok(to_settings(&org, "inbox-telegram-connected"))
}

#[derive(Template)]
#[template(path = "inbox/times.html")]
struct TimesPage {
    c: Chrome,
    channels: Vec<idb::Times>,
    members: Vec<idb::Times>,
}

impl TimesPage {
    fn duration(&self, ms: &Option<i64>) -> String {
        match ms {
            None => "—".into(),
            Some(ms) => {
                let minutes = ms / 60_000;
                if minutes < 120 {
                    self.c.count("inbox-minutes", minutes)
                } else {
                    self.c.count("inbox-hours", (minutes + 30) / 60)
                }
            }
        }
    }
    fn group_name(&self, g: &str) -> String {
        source_name(&self.c, g)
    }
}

pub async fn times(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, Some(&org), "inbox", "inbox-times-title").await?;
    let since = kehilla_db::now_ms() - 30 * 86_400_000;
    Ok(render(&TimesPage {
        c,
        channels: idb::times_by_channel(&st.db.pool, org.0.org.id, since).await?,
        members: idb::times_by_member(&st.db.pool, org.0.org.id, since).await?,
    }))
}

// ---- Webhooks ----

#[derive(Deserialize)]
pub struct HubQuery {
    #[serde(rename = "hub.mode", default)]
    mode: String,
    #[serde(rename = "hub.verify_token", default)]
    verify_token: String,
    #[serde(rename = "hub.challenge", default)]
    challenge: String,
}

/// Meta's subscription check: the challenge echoed when the verify token is the instance's.
pub async fn meta_verify(
    State(st): State<AppState>,
    Path(network): Path<String>,
    Query(q): Query<HubQuery>,
) -> Response {
    match uc::hooks::meta_app(&st.settings, &network) {
        Some(app)
            if q.mode == "subscribe"
                && !app.verify_token.is_empty()
                && kehilla_app::secrets::constant_eq(&app.verify_token, &q.verify_token) =>
        {
            (StatusCode::OK, q.challenge).into_response()
        }
        _ => StatusCode::FORBIDDEN.into_response(),
    }
}

/// A Meta webhook delivery: refused (401) unless its signature is the app secret's.
pub async fn meta_hook(
    State(st): State<AppState>,
    Path(network): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Some(app) = uc::hooks::meta_app(&st.settings, &network) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let sig = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !uc::hooks::meta_signature_ok(&app.secret, &body, sig) {
        return (StatusCode::UNAUTHORIZED, "bad signature").into_response();
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "not JSON").into_response();
    };
    match uc::hooks::take_meta(&st.db, &uc::hooks::meta_comments(&v)).await {
        Ok(_) => StatusCode::OK.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a Meta webhook could not be kept");
            // Meta delivers again later.
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// A Telegram update for a channel: refused (401) without the channel's secret.
pub async fn telegram_hook(
    State(st): State<AppState>,
    Path(channel): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let given = headers
        .get("x-telegram-bot-api-secret-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    match uc::hooks::telegram_delivery(&st.db, &st.settings, &channel, given, &body).await {
        Ok(true) => StatusCode::OK.into_response(),
        Ok(false) => (StatusCode::UNAUTHORIZED, "bad secret").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a Telegram update could not be kept");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
