//! Measure: each goal's progress, forecast and chart, and the last 30 days in figures — all
//! read from the daily rollups. Every chart's data downloads as CSV.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use kehilla_app::measure::plan::{self as uc, GoalStanding};
use kehilla_db::measure as db;
use kehilla_domain::measure::{Outlook, Unit, day_date, metric};

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

#[derive(Template)]
#[template(path = "measure.html")]
struct MeasurePage {
    c: Chrome,
    goals: Vec<GoalStanding>,
    summary: Vec<(&'static str, f64)>,
}

impl MeasurePage {
    fn metric_label(&self, key: &str) -> String {
        self.c.t(&format!("goal-metric-{key}"))
    }
    fn outlook(&self, o: &Outlook) -> String {
        let key = serde_json::to_value(o)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        self.c.t(&format!("outlook-{key}"))
    }
    fn outlook_class(&self, o: &Outlook) -> &'static str {
        match o {
            Outlook::Reached | Outlook::OnTrack | Outlook::Met => "ok",
            Outlook::Behind | Outlook::Missed => "warn",
            Outlook::NotStarted | Outlook::NoData => "muted",
        }
    }
    fn value(&self, key: &str, v: &f64) -> String {
        let n = short_number(*v);
        match metric(key).map(|m| m.unit) {
            Some(Unit::Percent) => format!("{n}%"),
            Some(Unit::Minutes) => self.c.count("minutes", v.round() as i64),
            Some(Unit::Money) => format!("₪{n}"),
            _ => n,
        }
    }
    fn day(&self, d: &i64) -> String {
        day_date(*d)
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_default()
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

pub async fn dashboard(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let o = &org.0.org;
    let now = kehilla_db::now_ms();
    let goals = uc::standings(&st.db, o.id, &o.time_zone, now).await?;
    let today = kehilla_app::measure::day_of(kehilla_app::studio::zone(&o.time_zone), now);
    let mut summary = Vec::new();
    for key in SUMMARY {
        let rows = db::series(&st.db.pool, o.id, key, 0, today - 29, today).await?;
        summary.push((key, rows.iter().map(|(_, v)| v).sum()));
    }
    let c = Chrome::new(&st, &ctx, Some(&org), "measure", "nav-measure").await?;
    Ok(render(&MeasurePage { c, goals, summary }))
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
