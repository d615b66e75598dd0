//! The content calendar: month, week and list views in the organization's time zone, with
//! filters by channel, type, status and author; posts are dragged to another day.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, Days, Months, NaiveDate};
use kehilla_app::studio::{self as studio_uc, calendar};
use kehilla_db::studio::{self, Channel, PostFilter, PostRow};
use kehilla_domain::hebcal::Holiday;
use serde::Deserialize;

use super::studio::Fmt;
use super::{Chrome, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::i18n;
use crate::routes::OrgCtx;

#[derive(Deserialize, Default)]
pub struct CalQuery {
    #[serde(default)]
    view: String,
    /// Any day of the month or week to show, `YYYY-MM-DD`.
    #[serde(default)]
    date: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    author: String,
}

pub struct Cell {
    pub day: calendar::Day,
    pub posts: Vec<PostRow>,
    pub today: bool,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    c: Chrome,
    f: Fmt,
    view: &'static str,
    title: String,
    weeks: Vec<Vec<Cell>>,
    list: Vec<PostRow>,
    prev: String,
    next: String,
    today: String,
    q: CalQuery,
    channels: Vec<Channel>,
    members: Vec<(i64, String)>,
    kinds: [&'static str; 10],
    statuses: [&'static str; 7],
    quiet: bool,
}

impl CalendarPage {
    fn weekday(&self, i: &usize) -> String {
        i18n::t(self.c.lang, &format!("weekday-{i}"))
    }
    fn holiday(&self, h: &Holiday) -> String {
        i18n::t(
            self.c.lang,
            &format!("holiday-{}", h.key().replace('_', "-")),
        )
    }
    fn rest(&self, h: &Holiday) -> bool {
        h.is_rest_day()
    }
    fn link(&self, view: &str, date: &str) -> String {
        let mut s = format!("/orgs/{}/calendar?view={view}&date={date}", self.c.org_slug);
        for (k, v) in [
            ("channel", &self.q.channel),
            ("kind", &self.q.kind),
            ("status", &self.q.status),
            ("author", &self.q.author),
        ] {
            if !v.is_empty() {
                s.push_str(&format!("&{k}={}", crate::routes::urlencode(v)));
            }
        }
        s
    }
    fn author_selected(&self, id: &i64) -> bool {
        self.q.author == id.to_string()
    }
    fn day_label(&self, d: &NaiveDate) -> String {
        d.day().to_string()
    }
    fn iso(&self, d: &NaiveDate) -> String {
        d.format("%Y-%m-%d").to_string()
    }
}

pub async fn page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<CalQuery>,
) -> WebResult<Response> {
    let o = &org.0;
    let c = Chrome::new(&st, &ctx, Some(&org), "calendar", "nav-calendar").await?;
    let f = Fmt::new(&c, &org);
    let tz = f.tz;
    let today = studio_uc::to_local(tz, kehilla_db::now_ms()).date_naive();
    let date = NaiveDate::parse_from_str(q.date.trim(), "%Y-%m-%d").unwrap_or(today);
    let view: &'static str = match q.view.as_str() {
        "week" => "week",
        "list" => "list",
        _ => "month",
    };
    let channels = studio::channels(&st.db.pool, o.org.id).await?;
    let mut filter = PostFilter {
        channel: channels
            .iter()
            .find(|ch| ch.public_id == q.channel)
            .map(|ch| ch.id),
        kind: Some(q.kind.clone()).filter(|k| studio_uc::KINDS.contains(&k.as_str())),
        status: Some(q.status.clone()).filter(|s| studio_uc::STATUSES.contains(&s.as_str())),
        author: q.author.parse().ok(),
        limit: 2000,
        ..PostFilter::default()
    };
    let (weeks_days, title, prev, next): (Vec<Vec<calendar::Day>>, String, NaiveDate, NaiveDate) =
        match view {
            "week" => {
                let w = calendar::week_of(tz, date);
                let first = w.first().map(|d| d.date).unwrap_or(date);
                let title = i18n::t_args(
                    c.lang,
                    "calendar-week-of",
                    &[("date", first.format("%Y-%m-%d").to_string())],
                );
                (
                    vec![w],
                    title,
                    date.checked_sub_days(Days::new(7)).unwrap_or(date),
                    date.checked_add_days(Days::new(7)).unwrap_or(date),
                )
            }
            _ => {
                let title = format!(
                    "{} {}",
                    i18n::t(c.lang, &format!("month-{}", date.month())),
                    date.year()
                );
                (
                    calendar::month_grid(tz, date.year(), date.month()),
                    title,
                    date.checked_sub_months(Months::new(1)).unwrap_or(date),
                    date.checked_add_months(Months::new(1)).unwrap_or(date),
                )
            }
        };
    let mut list = Vec::new();
    let mut weeks = Vec::new();
    if view == "list" {
        filter.from = Some(calendar::day_start(tz, date));
        filter.to = Some(calendar::day_start(
            tz,
            date.checked_add_days(Days::new(60)).unwrap_or(date),
        ));
        list = studio::posts(&st.db.pool, st.db.backend(), o.org.id, &filter).await?;
    } else {
        filter.from = weeks_days.first().and_then(|w| w.first()).map(|d| d.start);
        filter.to = weeks_days.last().and_then(|w| w.last()).map(|d| d.end);
        let posts = studio::posts(&st.db.pool, st.db.backend(), o.org.id, &filter).await?;
        for w in weeks_days {
            weeks.push(
                w.into_iter()
                    .map(|day| Cell {
                        posts: posts
                            .iter()
                            .filter(|p| {
                                p.scheduled_at
                                    .is_some_and(|t| t >= day.start && t < day.end)
                            })
                            .cloned()
                            .collect(),
                        today: day.date == today,
                        day,
                    })
                    .collect(),
            );
        }
    }
    let settings = studio::settings(&st.db.pool, o.org.id).await?;
    let members = kehilla_db::orgs::members(&st.db.pool, o.org.id)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.name))
        .collect();
    Ok(render(&CalendarPage {
        view,
        title,
        weeks,
        list,
        prev: prev.format("%Y-%m-%d").to_string(),
        next: next.format("%Y-%m-%d").to_string(),
        today: today.format("%Y-%m-%d").to_string(),
        q,
        channels,
        members,
        kinds: studio_uc::KINDS,
        statuses: studio_uc::STATUSES,
        quiet: settings.quiet_shabbat == 1 || settings.quiet_holidays == 1,
        c,
        f,
    }))
}
