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
    error: Option<String>,
}

impl ChannelsPage {
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
        next,
        c,
        f,
        error,
    }))
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
        kehilla_app::publishing::Credentials {
            server_url: &f.server_url,
            token: &f.token,
            account: &f.account,
        },
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
        &st.settings.base_url(),
        st.settings.fetch_private,
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
        &st.settings.base_url(),
        st.settings.fetch_private,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/orgs/{slug}/studio/channels?done=channel-connected"
    ))
    .into_response())
}
