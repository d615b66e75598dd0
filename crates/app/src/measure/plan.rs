//! Plan: the method the product follows — map the networks, set goals, define audiences, set a
//! cadence — and each goal's standing, read from the daily rollups.

use chrono::NaiveDate;
use kehilla_db::measure::{self as db, Audience, Goal, NewGoal};
use kehilla_db::studio::{self, Channel};
use kehilla_db::{Db, now_ms};
use kehilla_domain::measure::{self as rules, GoalFigures, Kind, Progress, day_number, metric};
use kehilla_domain::validate::InputError;
use serde::Serialize;

use super::day_of;
use crate::people::person::short;
use crate::studio::zone;
use crate::{AppError, Result};

fn invalid(field: &'static str) -> AppError {
    AppError::Input {
        field,
        error: InputError::InvalidValue,
    }
}

fn required(field: &'static str) -> AppError {
    AppError::Input {
        field,
        error: InputError::Required,
    }
}

/// An optional whole number typed in a form: empty is `None`.
pub fn optional_number(field: &'static str, s: &str, min: i64, max: i64) -> Result<Option<i64>> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(invalid(field)),
    }
}

/// One row of the channel map as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct MapInput {
    pub purpose: String,
    /// An audience's public id, or empty.
    pub audience: String,
    pub cadence_days: String,
    pub monthly_hours: String,
    pub monthly_budget: String,
}

pub async fn set_map_row(db: &Db, org: i64, channel: &str, i: &MapInput) -> Result<()> {
    let ch = studio::channel(&db.pool, org, channel).await?;
    let purpose = short("purpose", &i.purpose, 200)?;
    let audience = audience_id(db, org, &i.audience).await?;
    let cadence = optional_number("cadence_days", &i.cadence_days, 1, 365)?;
    let hours = optional_number("monthly_hours", &i.monthly_hours, 0, 744)?;
    let budget = optional_number("monthly_budget", &i.monthly_budget, 0, 1_000_000_000)?;
    Ok(db::set_map_row(
        &db.pool, org, ch.id, &purpose, audience, cadence, hours, budget,
    )
    .await?)
}

async fn audience_id(db: &Db, org: i64, public_id: &str) -> Result<Option<i64>> {
    let id = public_id.trim();
    if id.is_empty() {
        return Ok(None);
    }
    db::audiences(&db.pool, org)
        .await?
        .into_iter()
        .find(|a| a.public_id == id)
        .map(|a| Some(a.id))
        .ok_or_else(|| invalid("audience"))
}

pub async fn add_audience(
    db: &Db,
    org: i64,
    name: &str,
    description: &str,
    segment: &str,
) -> Result<String> {
    let name = kehilla_domain::validate::name(name, 120).map_err(AppError::input("name"))?;
    let description = short("description", description, 1000)?;
    let segment = match segment.trim() {
        "" => None,
        s => Some(
            kehilla_db::segments::get(&db.pool, org, s)
                .await
                .map_err(|_| invalid("segment"))?
                .id,
        ),
    };
    Ok(db::add_audience(&db.pool, org, &name, &description, segment, now_ms()).await?)
}

/// A goal as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct GoalInput {
    pub title: String,
    pub metric: String,
    pub target: String,
    /// YYYY-MM-DD
    pub start: String,
    pub end: String,
    /// A channel's public id, or empty.
    pub channel: String,
    pub audience: String,
}

fn date(field: &'static str, s: &str) -> Result<i64> {
    let t = s.trim();
    if t.is_empty() {
        return Err(required(field));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(day_number)
        .map_err(|_| invalid(field))
}

pub async fn add_goal(db: &Db, org: i64, i: &GoalInput) -> Result<String> {
    let title = kehilla_domain::validate::name(&i.title, 120).map_err(AppError::input("title"))?;
    let m = metric(i.metric.trim()).ok_or_else(|| invalid("metric"))?;
    let target = match i.target.trim().parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 && t <= 1e12 => t,
        _ if i.target.trim().is_empty() => return Err(required("target")),
        _ => return Err(invalid("target")),
    };
    if m.unit == rules::Unit::Percent && target > 100.0 {
        return Err(invalid("target"));
    }
    let start_day = date("start", &i.start)?;
    let end_day = date("end", &i.end)?;
    if end_day < start_day || end_day - start_day > 3660 {
        return Err(AppError::Input {
            field: "end",
            error: InputError::InvalidValue,
        });
    }
    let channel_id = match i.channel.trim() {
        "" => None,
        c if m.per_channel => Some(
            studio::channel(&db.pool, org, c)
                .await
                .map_err(|_| invalid("channel"))?
                .id,
        ),
        _ => return Err(invalid("channel")),
    };
    let audience_id = audience_id(db, org, &i.audience).await?;
    let g = NewGoal {
        title: &title,
        metric: m.key,
        channel_id,
        audience_id,
        target,
        start_day,
        end_day,
    };
    Ok(db::add_goal(&db.pool, org, &g, now_ms()).await?)
}

/// The first-run guide's steps, each done or not.
#[derive(Debug, Clone, Serialize)]
pub struct Guide {
    /// Every network on the map has a purpose.
    pub mapped: bool,
    pub goals: bool,
    pub audiences: bool,
    /// Every channel has a cadence target.
    pub cadence: bool,
    pub closed: bool,
}

impl Guide {
    pub fn done(&self) -> bool {
        self.mapped && self.goals && self.audiences && self.cadence
    }
}

/// Everything the Plan page shows.
pub struct PlanView {
    pub channels: Vec<Channel>,
    pub map: Vec<db::MapRow>,
    pub audiences: Vec<Audience>,
    pub goals: Vec<Goal>,
    pub guide: Guide,
}

pub async fn view(db: &Db, org: i64) -> Result<PlanView> {
    let channels = studio::channels(&db.pool, org).await?;
    let map = db::map_rows(&db.pool, org).await?;
    let audiences = db::audiences(&db.pool, org).await?;
    let goals = db::goals(&db.pool, org).await?;
    let guide = Guide {
        mapped: !channels.is_empty() && channels.iter().all(|c| !c.purpose.trim().is_empty()),
        goals: !goals.is_empty(),
        audiences: !audiences.is_empty(),
        cadence: !channels.is_empty() && channels.iter().all(|c| c.cadence_days.is_some()),
        closed: db::guide_closed(&db.pool, org).await?,
    };
    Ok(PlanView {
        channels,
        map,
        audiences,
        goals,
        guide,
    })
}

/// A goal with its standing today.
#[derive(Debug, Clone, Serialize)]
pub struct GoalStanding {
    pub goal: Goal,
    pub progress: Progress,
    pub today: i64,
}

/// A goal's standing at `now`, from the daily rollups.
pub async fn standing(db: &Db, time_zone: &str, goal: Goal, now: i64) -> Result<GoalStanding> {
    let m = metric(&goal.metric).ok_or(AppError::Conflict("unknown-metric"))?;
    let today = day_of(zone(time_zone), now);
    let channel = goal.channel_id.unwrap_or(0);
    let (org, from, to) = (
        goal.organization_id,
        goal.start_day,
        goal.end_day.min(today),
    );
    let (values, denominators) = match m.kind {
        Kind::Count => (
            db::series(&db.pool, org, m.key, channel, from, to).await?,
            vec![],
        ),
        Kind::Level => {
            let mut v = db::series(&db.pool, org, m.key, channel, from, to).await?;
            if v.first().is_none_or(|(d, _)| *d > from)
                && let Some(before) = db::last_before(&db.pool, org, m.key, channel, from).await?
            {
                v.insert(0, before);
            }
            (v, vec![])
        }
        Kind::Rate {
            numerator,
            denominator,
            ..
        } => (
            db::series(&db.pool, org, numerator, channel, from, to).await?,
            db::series(&db.pool, org, denominator, channel, from, to).await?,
        ),
    };
    let progress = rules::progress(&GoalFigures {
        metric: m,
        target: goal.target,
        start_day: goal.start_day,
        end_day: goal.end_day,
        today,
        values: &values,
        denominators: &denominators,
    });
    Ok(GoalStanding {
        goal,
        progress,
        today,
    })
}

/// Every goal of an organization with its standing.
pub async fn standings(db: &Db, org: i64, time_zone: &str, now: i64) -> Result<Vec<GoalStanding>> {
    let mut out = Vec::new();
    for g in db::goals(&db.pool, org).await? {
        out.push(standing(db, time_zone, g, now).await?);
    }
    Ok(out)
}

/// A goal's chart as CSV: `day,value` (the running sum, the level or the rate), then the
/// target and the forecast.
pub fn standing_csv(s: &GoalStanding) -> Result<Vec<u8>> {
    let mut w = crate::people::export::CsvOut::new();
    let date = |d: i64| {
        rules::day_date(d)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    w.row(&["day", "metric", "value"])?;
    for (d, v) in &s.progress.points {
        w.row(&[date(*d), s.goal.metric.clone(), v.to_string()])?;
    }
    let end = date(s.goal.end_day);
    w.row(&[end.clone(), "target".into(), s.goal.target.to_string()])?;
    if let Some(p) = s.progress.projected {
        w.row(&[end, "forecast".into(), p.to_string()])?;
    }
    w.finish()
}
