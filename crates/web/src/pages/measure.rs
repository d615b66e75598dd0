//! Measure: each goal's progress, forecast and chart, and the last 30 days in figures — all
//! read from the daily rollups. Every chart's data downloads as CSV.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::measure::insights::{self, HeatMap, TopPost};
use kehilla_app::measure::plan::{self as uc, GoalStanding};
use kehilla_app::measure::report;
use kehilla_db::measure as db;
use kehilla_db::studio::Channel;
use kehilla_domain::measure::{Outlook, Unit, metric};
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::chart::{GoalChart, short_number};
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

/// The figures of the last 30 days, in this order.
pub const SUMMARY: [&str; 8] = [
    "new_people",
    "signups",
    "rsvps",
    "clicks",
    "engagements",
    "posts_published",
    "emails_sent",
    "messages_in",
];

/// A metric's value as the pages show it: counts whole, rates with one decimal, money in
/// shekels, minutes in words.
fn show_value(c: &Chrome, key: &str, v: f64) -> String {
    match metric(key).map(|m| m.unit) {
        Some(Unit::Percent) => format!("{}%", short_number((v * 10.0).round() / 10.0)),
        Some(Unit::Minutes) => c.count("minutes", v.round() as i64),
        Some(Unit::Money) => format!("₪{}", short_number(v.round())),
        _ => short_number(v.round()),
    }
}

/// Whether a goal has figures to show (a rate with nothing to divide has none).
fn has_figures(g: &GoalStanding) -> bool {
    g.progress.outlook != Outlook::NoData
}

/// A local day as the pages show it.
pub(crate) use kehilla_domain::measure::day_label as show_day;

#[derive(Template)]
#[template(path = "measure.html")]
struct MeasurePage {
    c: Chrome,
    goals: Vec<GoalStanding>,
    summary: Vec<(&'static str, f64)>,
    top_engagement: Vec<TopPost>,
    top_conversions: Vec<TopPost>,
    /// (post title, channel name or source, kind, count)
    attribution: Vec<(String, String, String, i64)>,
    channels: Vec<Channel>,
    heat: HeatMap,
    /// The heat map's channel (public id), empty for all.
    heat_channel: String,
}

impl MeasurePage {
    fn metric_label(&self, key: &str) -> String {
        self.c.t(&format!("goal-metric-{key}"))
    }
    fn outlook(&self, o: &Outlook) -> String {
        self.c.t(&format!("outlook-{}", o.key()))
    }
    fn outlook_class(&self, o: &Outlook) -> &'static str {
        match o {
            Outlook::Reached | Outlook::OnTrack | Outlook::Met => "ok",
            Outlook::Behind | Outlook::Missed => "warn",
            Outlook::NotStarted | Outlook::NoData => "muted",
        }
    }
    fn value(&self, key: &str, v: &f64) -> String {
        show_value(&self.c, key, *v)
    }
    fn day(&self, d: &i64) -> String {
        show_day(*d)
    }
    fn weekday(&self, d: &usize) -> String {
        self.c.t(&format!("weekday-{d}"))
    }
    fn hours(&self) -> Vec<usize> {
        (0..24).collect()
    }
    fn days(&self) -> Vec<usize> {
        (0..7).collect()
    }
    /// A heat-map cell: its shade (0–5) and its figure.
    fn cell(&self, day: &usize, hour: &usize) -> (u8, String) {
        match self
            .heat
            .cells
            .get(*day)
            .and_then(|r| r.get(*hour))
            .copied()
            .flatten()
        {
            Some(v) if self.heat.max > 0.0 => (
                (1.0 + (v / self.heat.max * 4.0).round()).min(5.0) as u8,
                short_number(v.round()),
            ),
            Some(_) => (1, "0".into()),
            None => (0, String::new()),
        }
    }
    fn enough_history(&self) -> bool {
        self.heat.posts >= insights::MIN_POSTS
    }
    fn conversion_kind(&self, k: &str) -> String {
        self.c.t(&format!("conversion-{k}"))
    }
    fn has_figures(&self, g: &GoalStanding) -> bool {
        has_figures(g)
    }
    fn percent(&self, g: &GoalStanding) -> i64 {
        g.progress.percent.round().clamp(0.0, 100.0) as i64
    }
    fn chart(&self, g: &GoalStanding) -> String {
        let p = &g.progress;
        let current = self.value(&g.goal.metric, &p.current);
        let target = self.value(&g.goal.metric, &g.goal.target);
        let projected = p
            .projected
            .map(|x| self.value(&g.goal.metric, &x))
            .unwrap_or_default();
        let description = crate::i18n::t_args(
            self.c.lang,
            "measure-chart-description",
            &[
                ("metric", self.metric_label(&g.goal.metric)),
                ("current", current),
                ("target", target.clone()),
                ("projected", projected),
                ("end", self.day(&g.goal.end_day)),
                ("outlook", self.outlook(&p.outlook)),
            ],
        );
        let target_label = format!("{} {target}", self.c.t("measure-target"));
        GoalChart {
            id: &format!("chart-{}", g.goal.public_id),
            title: &g.goal.title,
            description: &description,
            start_day: g.goal.start_day,
            end_day: g.goal.end_day,
            points: &p.points,
            projected: p.projected,
            target: g.goal.target,
            rtl: self.c.dir() == "rtl",
            start_label: &self.day(&g.goal.start_day),
            end_label: &self.day(&g.goal.end_day),
            target_label: &target_label,
        }
        .svg()
    }
}

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    #[serde(default)]
    channel: String,
}

/// How far back the top posts and the attribution look.
const RECENT_DAYS: i64 = 90;

pub async fn dashboard(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DashboardQuery>,
) -> WebResult<Response> {
    let o = &org.0.org;
    let now = kehilla_db::now_ms();
    let tz = kehilla_app::studio::zone(&o.time_zone);
    let goals = uc::standings(&st.db, o.id, &o.time_zone, now).await?;
    let today = kehilla_app::measure::day_of(tz, now);
    let mut summary = Vec::new();
    for key in SUMMARY {
        let rows = db::series(&st.db.pool, o.id, key, 0, today - 29, today).await?;
        summary.push((key, rows.iter().map(|(_, v)| v).sum()));
    }
    let since = now - RECENT_DAYS * 86_400_000;
    let (top_engagement, top_conversions) =
        insights::top_posts(&st.db, o.id, since, now + 1, 5).await?;
    let channels = kehilla_db::studio::channels(&st.db.pool, o.id).await?;
    let mut attribution = Vec::new();
    for (_, title, channel, kind, n) in
        db::conversions_by_post(&st.db.pool, o.id, since, now + 1, 20).await?
    {
        let via = channels
            .iter()
            .find(|c| c.id == channel)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        attribution.push((title, via, kind, n));
    }
    let heat_channel = channels
        .iter()
        .find(|c| c.public_id == q.channel)
        .map(|c| (c.public_id.clone(), c.id));
    let heat =
        insights::heat_map(&st.db, o.id, tz, heat_channel.as_ref().map(|c| c.1), now).await?;
    let c = Chrome::new(&st, &ctx, Some(&org), "measure", "nav-measure").await?;
    Ok(render(&MeasurePage {
        c,
        goals,
        summary,
        top_engagement,
        top_conversions,
        attribution,
        channels,
        heat,
        heat_channel: heat_channel.map(|c| c.0).unwrap_or_default(),
    }))
}

/// The data behind a goal's chart: one row per day.
pub async fn goal_csv(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, goal)): Path<(String, String)>,
) -> WebResult<Response> {
    let o = &org.0.org;
    let g = db::goal(&st.db.pool, o.id, &goal).await?;
    let s = uc::standing(&st.db, &o.time_zone, g, kehilla_db::now_ms()).await?;
    let body = uc::standing_csv(&s)?;
    Ok(super::lists::csv_response(
        &format!("goal-{}", s.goal.public_id),
        body,
    ))
}

#[derive(Deserialize, Default)]
pub struct MonthQuery {
    #[serde(default)]
    month: String,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    c: Chrome,
    r: report::Report,
    monthly: bool,
}

impl ReportPage {
    fn metric_label(&self, key: &str) -> String {
        self.c.t(&format!("goal-metric-{key}"))
    }
    fn value(&self, key: &str, v: &f64) -> String {
        show_value(&self.c, key, *v)
    }
    fn has_figures(&self, g: &GoalStanding) -> bool {
        has_figures(g)
    }
    fn level(&self, v: &Option<f64>) -> String {
        v.map(short_number).unwrap_or_else(|| "—".into())
    }
    fn outlook(&self, o: &Outlook) -> String {
        self.c.t(&format!("outlook-{}", o.key()))
    }
    fn day(&self, d: &i64) -> String {
        show_day(*d)
    }
    fn minutes(&self) -> String {
        self.r
            .first_response_minutes
            .map(|m| show_value(&self.c, "first_response_minutes", m))
            .unwrap_or_else(|| "—".into())
    }
}

async fn report_of(st: &AppState, org: &OrgCtx, month: &str) -> WebResult<report::Report> {
    let o = &org.0.org;
    let now = kehilla_db::now_ms();
    let ym = if month.trim().is_empty() {
        report::previous_month(kehilla_app::measure::day_of(
            kehilla_app::studio::zone(&o.time_zone),
            now,
        ))
    } else {
        report::parse_month(month)?
    };
    Ok(report::build(&st.db, o, ym, now).await?)
}

/// The monthly report (the last month unless `?month=YYYY-MM`).
pub async fn report_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<MonthQuery>,
) -> WebResult<Response> {
    let r = report_of(&st, &org, &q.month).await?;
    let monthly = db::report_monthly(&st.db.pool, org.0.org.id).await?;
    let c = Chrome::new(&st, &ctx, Some(&org), "measure", "report-title")
        .await?
        .with_notice(q.done.as_deref());
    Ok(render(&ReportPage { c, r, monthly }))
}

/// The report's figures as CSV.
pub async fn report_csv(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<MonthQuery>,
) -> WebResult<Response> {
    let r = report_of(&st, &org, &q.month).await?;
    let body = report::csv(&r)?;
    Ok(super::lists::csv_response(
        &format!("report-{}", r.month),
        body,
    ))
}

/// The data behind the heat map, for all channels or one (`?channel=`).
pub async fn best_time_csv(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DashboardQuery>,
) -> WebResult<Response> {
    let o = &org.0.org;
    let channel = match q.channel.trim() {
        "" => None,
        c => Some(kehilla_db::studio::channel(&st.db.pool, o.id, c).await?.id),
    };
    let tz = kehilla_app::studio::zone(&o.time_zone);
    let heat = insights::heat_map(&st.db, o.id, tz, channel, kehilla_db::now_ms()).await?;
    Ok(super::lists::csv_response("best-time", heat.csv()?))
}

/// The report as a PDF, set with the report font.
pub async fn report_pdf(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<MonthQuery>,
) -> WebResult<Response> {
    let r = report_of(&st, &org, &q.month).await?;
    let path = kehilla_app::measure::pdf::font_path(st.settings.report_font.as_deref())
        .ok_or(kehilla_app::AppError::Conflict("report-font-missing"))?;
    let font = tokio::fs::read(&path)
        .await
        .map_err(|_| kehilla_app::AppError::Conflict("report-font-missing"))?;
    let body = kehilla_app::measure::pdf::report(&r, ctx.lang, &org.0.org.name, &font)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"report-{}.pdf\"", r.month),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    monthly: String,
}

/// Turns the monthly email of the report on or off.
pub async fn report_schedule(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<ScheduleForm>,
) -> WebResult<Response> {
    db::set_report_monthly(&st.db.pool, org.0.org.id, f.monthly == "1").await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/measure/report?done=report-schedule-saved",
        org.0.org.slug
    ))
    .into_response())
}
