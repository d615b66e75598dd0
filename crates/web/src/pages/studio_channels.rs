//! Channels and Studio settings: the organization's accounts, their cadence and posting slots,
//! the time zone, approvals and quiet windows.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::studio::channels::{self as ch_uc, ChannelInput, SettingsInput};
use kehilla_app::studio::{self as studio_uc, calendar};
use kehilla_db::studio::{self, Channel, StudioSettings};

use super::accounts::message;
use super::studio::Fmt;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "studio/channels.html")]
struct ChannelsPage {
    c: Chrome,
    f: Fmt,
    channels: Vec<Channel>,
    networks: [&'static str; 8],
    connections: Vec<kehilla_db::publishing::Connection>,
    settings: StudioSettings,
    next: Vec<(String, String)>,
    /// Networks whose sign-in this instance offers.
    sign_in: Vec<&'static str>,
    /// The public profile: description, website, logo (media public id).
    profile: (String, String, String),
    /// Pictures of the library to choose the logo from: (public id, file name).
    images: Vec<(String, String)>,
    error: Option<String>,
}

impl ChannelsPage {
    fn can_sign_in(&self, ch: &Channel) -> bool {
        self.sign_in.contains(&ch.network.as_str())
    }
    fn cadence(&self, ch: &Channel) -> String {
        ch.cadence_days.map(|d| d.to_string()).unwrap_or_default()
    }
    fn connection(&self, ch: &Channel) -> Option<&kehilla_db::publishing::Connection> {
        self.connections.iter().find(|c| c.channel_id == ch.id)
    }
    fn can_connect(&self, ch: &Channel) -> bool {
        kehilla_app::publishing::supported(&ch.network)
    }
    fn none(&self) -> Option<Channel> {
        None
    }
    fn days(&self) -> [u32; 7] {
        [0, 1, 2, 3, 4, 5, 6]
    }
    fn has_day(&self, ch: &Channel, d: &u32) -> bool {
        char::from_digit(*d, 10).is_some_and(|c| ch.slot_days.contains(c))
    }
    fn limit(&self, ch: &Channel) -> String {
        ch.char_limit.map(|d| d.to_string()).unwrap_or_default()
    }
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let c = Chrome::new(st, ctx, Some(org), "studio", "channels-title")
        .await?
        .with_notice(done);
    let f = Fmt::new(&c, org);
    let channels = studio::channels(&st.db.pool, org.0.org.id).await?;
    let mut next = Vec::new();
    for ch in &channels {
        if let Some(at) =
            calendar::next_free_slot(&st.db, &org.0.org, ch, kehilla_db::now_ms() + 60_000).await?
        {
            next.push((ch.public_id.clone(), f.when(&Some(at))));
        }
    }
    Ok(render(&ChannelsPage {
        connections: kehilla_db::publishing::connections(&st.db.pool, org.0.org.id).await?,
        settings: studio::settings(&st.db.pool, org.0.org.id).await?,
        channels,
        networks: studio_uc::NETWORKS,
        sign_in: studio_uc::NETWORKS
            .into_iter()
            .filter(|n| {
                *n != "mastodon" && kehilla_app::publishing::oauth::can_sign_in(&st.settings, n)
            })
            .collect(),
        profile: kehilla_db::publishing::profile(&st.db.pool, org.0.org.id).await?,
        images: studio::media_list(&st.db.pool, org.0.org.id, 200)
            .await?
            .into_iter()
            .filter(|m| m.kind == "image")
            .map(|m| (m.public_id, m.file_name))
            .collect(),
        next,
        c,
        f,
        error,
    }))
}

#[derive(serde::Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    logo_media: String,
}

/// Saves the organization's public profile.
pub async fn save_profile(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<ProfileForm>,
) -> WebResult<Response> {
    let r = kehilla_app::publishing::profile::save(
        &st.db,
        &org.0,
        &f.description,
        &f.website,
        &f.logo_media,
    )
    .await;
    done_or_error(&st, &ctx, &org, r, "profile-saved").await
}

/// Queues pushing the profile to the connected channels that can take it.
pub async fn push_profile(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let r = kehilla_app::publishing::profile::push(&st.db, &org.0)
        .await
        .map(|_| ());
    if r.is_ok()
        && let Some(w) = &st.worker
    {
        w.wake();
    }
    done_or_error(&st, &ctx, &org, r, "profile-pushing").await
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    page(&st, &ctx, &org, None, q.done.as_deref()).await
}

fn parse(pairs: &[(String, String)]) -> ChannelInput {
    let mut i = ChannelInput::default();
    for (k, v) in pairs {
        let num = || v.trim().parse::<i64>().ok();
        match k.as_str() {
            "network" => i.network = v.clone(),
            "name" => i.name = v.clone(),
            "handle" => i.handle = v.clone(),
            "purpose" => i.purpose = v.clone(),
            "audience" => i.audience = v.clone(),
            "cadence_days" => i.cadence_days = num(),
            "slots" => i.slots = v.clone(),
            "slot_day" => i.slot_days.push_str(v),
            "char_limit" => i.char_limit = num(),
            "requires_approval" => i.requires_approval = v == "1",
            _ => {}
        }
    }
    i
}

async fn done_or_error(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    r: kehilla_app::Result<()>,
    done: &str,
) -> WebResult<Response> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!(
            "/orgs/{}/studio/channels?done={done}",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            page(st, ctx, org, Some(message(ctx, &e)), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let r = ch_uc::create(&st.db, &org.0, &parse(&pairs))
        .await
        .map(|_| ());
    done_or_error(&st, &ctx, &org, r, "channel-saved").await
}

pub async fn update(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, channel)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let r = ch_uc::update(&st.db, &org.0, &channel, &parse(&pairs)).await;
    done_or_error(&st, &ctx, &org, r, "channel-saved").await
}

pub async fn delete(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, channel)): Path<(String, String)>,
) -> WebResult<Response> {
    let r = ch_uc::delete(&st.db, &org.0, &channel).await;
    done_or_error(&st, &ctx, &org, r, "channel-deleted").await
}

pub async fn save_settings(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let mut i = SettingsInput::default();
    for (k, v) in &pairs {
        match k.as_str() {
            "time_zone" => i.time_zone = v.clone(),
            "approval_required" => i.approval_required = v == "1",
            "quiet_shabbat" => i.quiet_shabbat = v == "1",
            "quiet_holidays" => i.quiet_holidays = v == "1",
            "link_host" => i.link_host = v.clone(),
            _ => {}
        }
    }
    let r = ch_uc::save_settings(&st.db, &org.0, &i).await;
    done_or_error(&st, &ctx, &org, r, "studio-settings-saved").await
}

#[derive(serde::Deserialize)]
pub struct ConnectForm {
    #[serde(default)]
    server_url: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    account: String,
}

/// Connects a channel with its server's address and an access token.
pub async fn connect(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, channel)): Path<(String, String)>,
    Form(f): Form<ConnectForm>,
) -> WebResult<Response> {
    studio::channel(&st.db.pool, org.0.org.id, &channel).await?;
    let sealer = kehilla_app::secrets::Sealer::of_instance(&st.db, &st.settings).await?;
    let r = kehilla_app::publishing::connect(
        &st.db,
        &sealer,
        &org.0,
        &channel,
        kehilla_app::publishing::Credentials::token(&f.server_url, &f.token, &f.account),
        st.settings.fetch_private,
    )
    .await
    .map(|_| ());
    done_or_error(&st, &ctx, &org, r, "channel-connected").await
}

pub async fn disconnect(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, channel)): Path<(String, String)>,
) -> WebResult<Response> {
    let ch = studio::channel(&st.db.pool, org.0.org.id, &channel).await?;
    let r = kehilla_db::publishing::disconnect(&st.db.pool, org.0.org.id, ch.id)
        .await
        .map_err(AppError::from);
    done_or_error(&st, &ctx, &org, r, "channel-disconnected").await
}

#[derive(serde::Deserialize)]
pub struct OauthStartForm {
    #[serde(default)]
    server_url: String,
}

/// Starts signing in to the channel's server: off to its authorization page.
pub async fn oauth_start(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, channel)): Path<(String, String)>,
    Form(f): Form<OauthStartForm>,
) -> WebResult<Response> {
    studio::channel(&st.db.pool, org.0.org.id, &channel).await?;
    let sealer = kehilla_app::secrets::Sealer::of_instance(&st.db, &st.settings).await?;
    match kehilla_app::publishing::oauth::start(
        &st.db,
        &sealer,
        &org.0,
        &channel,
        &f.server_url,
        &st.settings,
    )
    .await
    {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            page(&st, &ctx, &org, Some(message(&ctx, &e)), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
pub struct OauthCallback {
    #[serde(default)]
    state: String,
    #[serde(default)]
    code: Option<String>,
}

/// The network sends the admin back here with a code (or a refusal).
pub async fn oauth_callback(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    axum::extract::Query(q): axum::extract::Query<OauthCallback>,
) -> WebResult<Response> {
    let Some(user) = ctx.user.clone() else {
        return Err(AppError::Unauthorized.into());
    };
    let sealer = kehilla_app::secrets::Sealer::of_instance(&st.db, &st.settings).await?;
    let slug = kehilla_app::publishing::oauth::finish(
        &st.db,
        &sealer,
        &user,
        &q.state,
        q.code.as_deref(),
        &st.settings,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/orgs/{slug}/studio/channels?done=channel-connected"
    ))
    .into_response())
}

/// One channel's health: its connection, token, last call and what is waiting for it.
struct HealthRow {
    ch: Channel,
    /// ok, reconnect, paused, expiring, none (not connected), unavailable (not supported).
    state: &'static str,
    account: String,
    expiry: String,
    renewable: bool,
    last_success: String,
    last_error: String,
    paused_until: String,
    scheduled: i64,
    /// When the profile was last set on the network, or why it was not.
    profile: String,
}

#[derive(Template)]
#[template(path = "studio/health.html")]
struct HealthPage {
    c: Chrome,
    rows: Vec<HealthRow>,
}

/// How long until `at`, in the largest whole unit ("3 days", "5 hours", "12 minutes").
fn countdown(c: &Chrome, at: i64, now: i64) -> String {
    let left = at - now;
    if left <= 0 {
        return c.t("health-expired");
    }
    let minutes = left / 60_000;
    if minutes >= 48 * 60 {
        c.count("health-expires-days", minutes / (24 * 60))
    } else if minutes >= 120 {
        c.count("health-expires-hours", minutes / 60)
    } else {
        c.count("health-expires-minutes", minutes.max(1))
    }
}

/// The channels' health: connected account, token expiry countdown, last success, last error
/// in plain words, rate-limit state, and what is scheduled in the next week.
pub async fn health(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, Some(&org), "studio", "health-title").await?;
    let f = Fmt::new(&c, &org);
    let now = kehilla_db::now_ms();
    let id = org.0.org.id;
    let connections = kehilla_db::publishing::connections(&st.db.pool, id).await?;
    let counts =
        kehilla_db::publishing::scheduled_counts(&st.db.pool, id, now + 7 * 24 * 3_600_000).await?;
    let mut rows = Vec::new();
    for ch in studio::channels(&st.db.pool, id).await? {
        let scheduled = counts
            .iter()
            .find(|(c, _)| *c == ch.id)
            .map_or(0, |(_, n)| *n);
        let Some(conn) = connections.iter().find(|x| x.channel_id == ch.id) else {
            let state = if kehilla_app::publishing::supported(&ch.network) {
                "none"
            } else {
                "unavailable"
            };
            rows.push(HealthRow {
                ch,
                state,
                account: String::new(),
                expiry: String::new(),
                renewable: false,
                last_success: String::new(),
                last_error: String::new(),
                paused_until: String::new(),
                scheduled,
                profile: String::new(),
            });
            continue;
        };
        let app_block = kehilla_db::publishing::app_blocked(&st.db.pool, &ch.network, now).await?;
        let paused = conn.blocked_until.filter(|t| *t > now).max(app_block);
        let expiring = !conn.renewable()
            && conn
                .expires_at
                .is_some_and(|t| t < now + 7 * 24 * 3_600_000);
        let state = if conn.needs_reconnect == 1 {
            "reconnect"
        } else if paused.is_some() {
            "paused"
        } else if expiring {
            "expiring"
        } else {
            "ok"
        };
        let last_error = if conn.last_error_code.is_empty() && conn.last_error.is_empty() {
            String::new()
        } else if conn.last_error_code.is_empty() {
            conn.last_error.clone()
        } else {
            format!(
                "{} ({})",
                c.t(&format!("error-{}", conn.last_error_code)),
                conn.last_error
            )
        };
        rows.push(HealthRow {
            state,
            account: conn.account.clone(),
            expiry: conn
                .expires_at
                .map(|t| countdown(&c, t, now))
                .unwrap_or_default(),
            renewable: conn.renewable(),
            last_success: if conn.last_success_at.is_some() {
                f.when(&conn.last_success_at)
            } else {
                String::new()
            },
            last_error,
            paused_until: paused.map(|t| f.when(&Some(t))).unwrap_or_default(),
            scheduled,
            profile: if !conn.profile_error.is_empty() {
                conn.profile_error.clone()
            } else if conn.profile_pushed_at.is_some() {
                format!(
                    "{} {}",
                    c.t("health-profile-set"),
                    f.when(&conn.profile_pushed_at)
                )
            } else {
                String::new()
            },
            ch,
        });
    }
    Ok(render(&HealthPage { c, rows }))
}
