//! Plan: the first-run guide, the channel map (purpose, audience, cadence, hours, budget),
//! audiences linked to segments, and goals against the metric catalogue.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::measure::plan::{self as uc, GoalInput, MapInput, PlanView};
use kehilla_db::measure as db;
use kehilla_db::segments::{self as seg, Segment};
use kehilla_domain::measure::CATALOGUE;
use serde::Deserialize;

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    c: Chrome,
    v: PlanView,
    segments: Vec<Segment>,
    error: Option<String>,
    /// The goal form's values after a refusal.
    goal: GoalForm,
    today: String,
}

impl PlanPage {
    fn metrics(&self) -> Vec<(&'static str, bool)> {
        CATALOGUE.iter().map(|m| (m.key, m.per_channel)).collect()
    }
    fn metric_label(&self, key: &str) -> String {
        self.c.t(&format!("goal-metric-{key}"))
    }
    fn map_of(&self, channel: &i64) -> Option<&db::MapRow> {
        self.v.map.iter().find(|r| r.channel_id == *channel)
    }
    fn hours(&self, channel: &i64) -> String {
        self.map_of(channel)
            .and_then(|r| r.monthly_hours)
            .map(|h| h.to_string())
            .unwrap_or_default()
    }
    fn budget(&self, channel: &i64) -> String {
        self.map_of(channel)
            .and_then(|r| r.monthly_budget)
            .map(|h| h.to_string())
            .unwrap_or_default()
    }
    fn audience_is(&self, channel: &i64, audience: &i64) -> bool {
        self.map_of(channel).and_then(|r| r.audience_id) == Some(*audience)
    }
    fn total_hours(&self) -> i64 {
        self.v.map.iter().filter_map(|r| r.monthly_hours).sum()
    }
    fn total_budget(&self) -> i64 {
        self.v.map.iter().filter_map(|r| r.monthly_budget).sum()
    }
    fn cadence(&self, c: &Option<i64>) -> String {
        c.map(|d| d.to_string()).unwrap_or_default()
    }
    fn day(&self, d: &i64) -> String {
        super::measure::show_day(*d)
    }
    fn segment_name(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.segments.iter().find(|s| s.id == id))
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }
    fn channel_name(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.v.channels.iter().find(|c| c.id == id))
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }
    fn network(&self, n: &str) -> String {
        self.c.t(&format!("network-{n}"))
    }
    fn target(&self, t: &f64) -> String {
        crate::chart::short_number(*t)
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct GoalForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    metric: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    audience: String,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    error: Option<String>,
    goal: GoalForm,
    done: Option<&str>,
) -> WebResult<Response> {
    let o = &org.0.org;
    let v = uc::view(&st.db, o.id).await?;
    let segments = seg::of_org(&st.db.pool, o.id).await?;
    let tz = kehilla_app::studio::zone(&o.time_zone);
    let today = chrono::Utc::now()
        .with_timezone(&tz)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let c = Chrome::new(st, ctx, Some(org), "plan", "nav-plan")
        .await?
        .with_notice(done);
    Ok(render(&PlanPage {
        c,
        v,
        segments,
        error,
        goal,
        today,
    }))
}

pub async fn show(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    page(
        &st,
        &ctx,
        &org,
        None,
        GoalForm::default(),
        q.done.as_deref(),
    )
    .await
}

fn back(org: &OrgCtx, done: &str, anchor: &str) -> Response {
    Redirect::to(&format!(
        "/orgs/{}/plan?done={done}#{anchor}",
        org.0.org.slug
    ))
    .into_response()
}

/// A refusal shown on the page; anything else is the error page.
async fn refused(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    e: AppError,
    goal: GoalForm,
) -> WebResult<Response> {
    match e {
        e @ AppError::Input { .. } => {
            let msg = message(ctx, &e);
            page(st, ctx, org, Some(msg), goal, None).await
        }
        e => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct MapForm {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    cadence_days: String,
    #[serde(default)]
    monthly_hours: String,
    #[serde(default)]
    monthly_budget: String,
}

pub async fn save_map_row(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, channel)): Path<(String, String)>,
    Form(f): Form<MapForm>,
) -> WebResult<Response> {
    let i = MapInput {
        purpose: f.purpose,
        audience: f.audience,
        cadence_days: f.cadence_days,
        monthly_hours: f.monthly_hours,
        monthly_budget: f.monthly_budget,
    };
    match uc::set_map_row(&st.db, org.0.org.id, &channel, &i).await {
        Ok(()) => Ok(back(&org, "plan-map-saved", "map")),
        Err(e) => refused(&st, &ctx, &org, e, GoalForm::default()).await,
    }
}

#[derive(Deserialize)]
pub struct AudienceForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    segment: String,
}

pub async fn add_audience(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<AudienceForm>,
) -> WebResult<Response> {
    match uc::add_audience(&st.db, org.0.org.id, &f.name, &f.description, &f.segment).await {
        Ok(_) => Ok(back(&org, "plan-audience-added", "audiences")),
        Err(e) => refused(&st, &ctx, &org, e, GoalForm::default()).await,
    }
}

pub async fn delete_audience(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, audience)): Path<(String, String)>,
) -> WebResult<Response> {
    db::delete_audience(&st.db.pool, org.0.org.id, &audience).await?;
    Ok(back(&org, "plan-audience-removed", "audiences"))
}

pub async fn add_goal(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<GoalForm>,
) -> WebResult<Response> {
    let i = GoalInput {
        title: f.title.clone(),
        metric: f.metric.clone(),
        target: f.target.clone(),
        start: f.start.clone(),
        end: f.end.clone(),
        channel: f.channel.clone(),
        audience: f.audience.clone(),
    };
    match uc::add_goal(&st.db, org.0.org.id, &i).await {
        Ok(_) => Ok(back(&org, "plan-goal-added", "goals")),
        Err(e) => refused(&st, &ctx, &org, e, f).await,
    }
}

pub async fn delete_goal(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, goal)): Path<(String, String)>,
) -> WebResult<Response> {
    db::delete_goal(&st.db.pool, org.0.org.id, &goal).await?;
    Ok(back(&org, "plan-goal-removed", "goals"))
}

#[derive(Deserialize)]
pub struct GuideForm {
    #[serde(default)]
    closed: String,
}

pub async fn guide(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<GuideForm>,
) -> WebResult<Response> {
    db::set_guide_closed(&st.db.pool, org.0.org.id, f.closed == "1").await?;
    Ok(back(&org, "plan-guide-saved", "guide"))
}
