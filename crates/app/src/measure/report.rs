//! The monthly report for the board: goals, growth, activity, top content and the conversation,
//! for one calendar month in the organization's time zone. It is computed by the same
//! functions as the dashboard, from the same daily rollups, so that their numbers agree.
//! Shown as a web page, downloaded as CSV, and emailed to owners and admins on the first of
//! each month when the organization asks for it (`measure.report`).

use chrono::{Datelike, NaiveDate};
use futures::future::BoxFuture;
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::measure as db;
use kehilla_db::{Db, orgs};
use kehilla_domain::Role;
use kehilla_domain::measure::{day_date, day_number};
use serde::Serialize;

use super::insights::{self, TopPost};
use super::plan::{self, GoalStanding};
use super::{day_bounds, day_of};
use crate::i18n;
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::studio::zone;
use crate::{AppError, Result};
use kehilla_domain::validate::Lang;

pub const REPORT: &str = "measure.report";

/// Levels compared between the month's start and end.
pub const GROWTH: [&str; 4] = super::LEVELS;
/// Counts summed over the month.
pub const ACTIVITY: [&str; 11] = [
    "new_people",
    "signups",
    "volunteer_signups",
    "rsvps",
    "pledges",
    "pledged",
    "clicks",
    "posts_published",
    "views",
    "engagements",
    "emails_sent",
];

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `YYYY-MM`
    pub month: String,
    pub first_day: i64,
    pub last_day: i64,
    /// The day the figures go to: the month's last, or today in the month under way.
    pub as_of: i64,
    pub goals: Vec<GoalStanding>,
    /// (metric, at the start, at the end)
    pub growth: Vec<(&'static str, Option<f64>, Option<f64>)>,
    pub activity: Vec<(&'static str, f64)>,
    pub messages_in: f64,
    pub responses: f64,
    /// The average first response, in minutes.
    pub first_response_minutes: Option<f64>,
    pub top: Vec<TopPost>,
}

/// Parses `YYYY-MM`.
pub fn parse_month(s: &str) -> Result<(i32, u32)> {
    NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d")
        .map(|d| (d.year(), d.month()))
        .map_err(|_| AppError::Input {
            field: "month",
            error: kehilla_domain::validate::InputError::InvalidValue,
        })
}

/// The month before the one `day` is in.
pub fn previous_month(day: i64) -> (i32, u32) {
    let d = day_date(day).unwrap_or_default();
    if d.month() == 1 {
        (d.year() - 1, 12)
    } else {
        (d.year(), d.month() - 1)
    }
}

/// Builds the report of a month, as of `now`.
pub async fn build(
    database: &Db,
    org: &orgs::Organization,
    (year, month): (i32, u32),
    now: i64,
) -> Result<Report> {
    let tz = zone(&org.time_zone);
    let bad = || AppError::Input {
        field: "month",
        error: kehilla_domain::validate::InputError::InvalidValue,
    };
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(bad)?;
    let (first_day, last_day) = (day_number(first), day_number(next) - 1);
    let today = day_of(tz, now);
    if first_day > today {
        return Err(AppError::Conflict("report-in-future"));
    }
    let as_of = last_day.min(today);
    let (from, _) = day_bounds(tz, first_day)?;
    let (_, to) = day_bounds(tz, as_of)?;
    let until = to.min(now + 1);
    // Goals whose period meets the month, as they stood at its end.
    let mut goals = Vec::new();
    for g in db::goals(&database.pool, org.id).await? {
        if g.start_day <= last_day && g.end_day >= first_day {
            goals.push(plan::standing(database, &org.time_zone, g, until - 1).await?);
        }
    }
    let pool = &database.pool;
    let mut growth = Vec::new();
    for m in GROWTH {
        let start = db::last_before(pool, org.id, m, 0, first_day - 1).await?;
        let end = db::last_before(pool, org.id, m, 0, as_of).await?;
        growth.push((m, start.map(|x| x.1), end.map(|x| x.1)));
    }
    let mut activity = Vec::new();
    for m in ACTIVITY {
        activity.push((m, db::sum(pool, org.id, m, 0, first_day, as_of).await?));
    }
    let messages_in = db::sum(pool, org.id, "messages_in", 0, first_day, as_of).await?;
    let responses = db::sum(pool, org.id, "responses", 0, first_day, as_of).await?;
    let response_ms = db::sum(pool, org.id, "response_ms", 0, first_day, as_of).await?;
    let (top, _) = insights::top_posts(database, org.id, from, until, 5).await?;
    Ok(Report {
        month: format!("{year:04}-{month:02}"),
        first_day,
        last_day,
        as_of,
        goals,
        growth,
        activity,
        messages_in,
        responses,
        first_response_minutes: (responses > 0.0).then(|| response_ms / responses / 60_000.0),
        top,
    })
}

fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The report as CSV: `section,name,value`.
pub fn csv(r: &Report) -> Result<Vec<u8>> {
    let mut w = crate::people::export::CsvOut::new();
    w.row(&["section", "name", "value"])?;
    for g in &r.goals {
        w.row(&["goal", g.goal.title.as_str(), &number(g.progress.current)])?;
        w.row(&["goal-target", g.goal.title.as_str(), &number(g.goal.target)])?;
    }
    for (m, start, end) in &r.growth {
        w.row(&["growth-start", m, &start.map(number).unwrap_or_default()])?;
        w.row(&["growth-end", m, &end.map(number).unwrap_or_default()])?;
    }
    for (m, v) in &r.activity {
        w.row(&["activity", m, &number(*v)])?;
    }
    w.row(&["conversation", "messages_in", &number(r.messages_in)])?;
    w.row(&["conversation", "responses", &number(r.responses)])?;
    w.row(&[
        "conversation",
        "first_response_minutes",
        &r.first_response_minutes.map(number).unwrap_or_default(),
    ])?;
    for p in &r.top {
        w.row(&["top-post", p.title.as_str(), &p.engagements.to_string()])?;
    }
    w.finish()
}

/// The report as the text of an email.
pub fn text(r: &Report, lang: Lang, org_name: &str, link: &str) -> String {
    let t = |k: &str| i18n::t(lang, k);
    let mut s = i18n::t_args(
        lang,
        "report-email-intro",
        &[("org", org_name.to_string()), ("month", r.month.clone())],
    );
    s.push_str("\n\n");
    if !r.goals.is_empty() {
        s.push_str(&t("report-goals"));
        s.push('\n');
        for g in &r.goals {
            s.push_str(&format!(
                "• {}: {} / {} — {}\n",
                g.goal.title,
                number(g.progress.current),
                number(g.goal.target),
                t(&format!("outlook-{}", g.progress.outlook.key()))
            ));
        }
        s.push('\n');
    }
    s.push_str(&t("report-growth"));
    s.push('\n');
    for (m, start, end) in &r.growth {
        if let Some(end) = end {
            s.push_str(&format!(
                "• {}: {} → {}\n",
                t(&format!("goal-metric-{m}")),
                start.map(number).unwrap_or_else(|| "—".into()),
                number(*end)
            ));
        }
    }
    s.push('\n');
    s.push_str(&t("report-activity"));
    s.push('\n');
    for (m, v) in &r.activity {
        s.push_str(&format!(
            "• {}: {}\n",
            t(&format!("goal-metric-{m}")),
            number(*v)
        ));
    }
    if !r.top.is_empty() {
        s.push('\n');
        s.push_str(&t("report-top"));
        s.push('\n');
        for p in &r.top {
            s.push_str(&format!("• {} ({})\n", p.title, p.engagements));
        }
    }
    s.push('\n');
    s.push_str(&i18n::t_args(
        lang,
        "report-email-link",
        &[("link", link.to_string())],
    ));
    s.push('\n');
    s
}

/// Queues the last month's report for each organization that asked for it, once a month,
/// from the first day of the month on (one job per member).
pub async fn enqueue_due(database: &Db, now: i64) -> Result<usize> {
    let mut n = 0;
    for org in orgs::all(&database.pool).await? {
        if !db::report_monthly(&database.pool, org.id).await? {
            continue;
        }
        let (y, m) = previous_month(day_of(zone(&org.time_zone), now));
        for member in orgs::members(&database.pool, org.id).await? {
            if Role::parse(&member.role).is_none_or(|r| r < Role::Admin) {
                continue;
            }
            let mut job = NewJob::new(
                REPORT,
                serde_json::json!({ "user": member.user_id, "year": y, "month": m }),
            )
            .org(org.id)
            .max_attempts(5);
            job.unique_key = Some(format!("report-{}-{y}-{m}-{}", org.id, member.user_id));
            if jobs::enqueue(&database.pool, job).await?.is_some() {
                n += 1;
            }
        }
    }
    Ok(n)
}

#[derive(serde::Deserialize)]
struct Payload {
    user: i64,
    year: i32,
    month: u32,
}

/// Emails one member the month's report.
pub struct ReportJob;

impl JobHandler for ReportJob {
    fn kind(&self) -> &'static str {
        REPORT
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let database = &ctx.db;
            let p: Payload = serde_json::from_str(&job.payload)
                .map_err(|_| JobError::Permanent("no report in the payload".into()))?;
            let org_id = job
                .organization_id
                .ok_or_else(|| JobError::Permanent("no organization".into()))?;
            let org = match orgs::by_id(&database.pool, org_id).await {
                Ok(o) => o,
                Err(kehilla_db::DbError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            let Some(member) = orgs::members(&database.pool, org_id)
                .await?
                .into_iter()
                .find(|m| m.user_id == p.user)
            else {
                return Ok(());
            };
            let user = kehilla_db::users::by_id(&database.pool, p.user).await?;
            let lang = Lang::parse(&user.lang).unwrap_or_default();
            // The month's last minutes are in the rollups before the report is read.
            let now = kehilla_db::now_ms();
            super::rollup_org(database, &org, now).await?;
            let report = build(database, &org, (p.year, p.month), now).await?;
            let link = format!(
                "{}/orgs/{}/measure/report?month={}",
                ctx.base_url, org.slug, report.month
            );
            let body = text(&report, lang, &org.name, &link);
            let subject = i18n::t_args(
                lang,
                "report-email-subject",
                &[("org", org.name.clone()), ("month", report.month.clone())],
            );
            // The PDF goes along when there is a font to set it with.
            let pdf = match super::pdf::font_path(ctx.settings.report_font.as_deref()) {
                Some(path) => match tokio::fs::read(&path).await {
                    Ok(font) => super::pdf::report(&report, lang, &org.name, &font).ok(),
                    Err(_) => None,
                },
                None => None,
            };
            let sent = match pdf {
                Some(bytes) => {
                    ctx.mailer
                        .send_with_attachment(
                            &member.email,
                            &subject,
                            &body,
                            &format!("report-{}.pdf", report.month),
                            "application/pdf",
                            bytes,
                        )
                        .await
                }
                None => ctx.mailer.send(&member.email, &subject, &body).await,
            };
            sent.map_err(|e| JobError::Retry(e.to_string()))?;
            Ok(())
        })
    }
}
