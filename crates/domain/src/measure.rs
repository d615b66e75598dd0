//! Measure's rules: the metric catalogue, local day numbers, and a goal's progress and
//! forecast from its daily figures. Pure; the rollups that feed it live in `app::measure`.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// How a metric's daily rows combine over a period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Events counted per day (sign-ups, clicks); a period is their sum.
    Count,
    /// A level at the end of each day (followers); a period is its last value.
    Level,
    /// A rate: the sum of one stored metric over the sum of another, scaled (engagement rate).
    Rate {
        numerator: &'static str,
        denominator: &'static str,
        /// What the quotient is multiplied by (100 for a percentage).
        scale: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Count,
    Percent,
    Minutes,
    /// Whole units of the organization's currency.
    Money,
}

/// One metric a goal may measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metric {
    pub key: &'static str,
    pub kind: Kind,
    pub unit: Unit,
    /// Whether it is kept per channel (a goal may then name one).
    pub per_channel: bool,
    /// Lower is better (response time).
    pub lower_is_better: bool,
}

const fn count(key: &'static str, per_channel: bool) -> Metric {
    Metric {
        key,
        kind: Kind::Count,
        unit: Unit::Count,
        per_channel,
        lower_is_better: false,
    }
}

const fn level(key: &'static str, per_channel: bool) -> Metric {
    Metric {
        key,
        kind: Kind::Level,
        unit: Unit::Count,
        per_channel,
        lower_is_better: false,
    }
}

/// The catalogue goals choose from, in the order the form shows them.
pub const CATALOGUE: [Metric; 18] = [
    level("followers", true),
    level("fediverse_followers", false),
    level("subscribers", false),
    level("people", false),
    count("new_people", false),
    count("signups", false),
    count("volunteer_signups", false),
    count("rsvps", false),
    count("pledges", false),
    Metric {
        key: "pledged",
        kind: Kind::Count,
        unit: Unit::Money,
        per_channel: false,
        lower_is_better: false,
    },
    count("clicks", true),
    count("posts_published", true),
    count("views", true),
    count("engagements", true),
    Metric {
        key: "engagement_rate",
        kind: Kind::Rate {
            numerator: "engagements",
            denominator: "views",
            scale: 100.0,
        },
        unit: Unit::Percent,
        per_channel: true,
        lower_is_better: false,
    },
    count("emails_sent", false),
    count("email_opens", false),
    Metric {
        key: "first_response_minutes",
        kind: Kind::Rate {
            numerator: "response_ms",
            denominator: "responses",
            // milliseconds → minutes
            scale: 1.0 / 60_000.0,
        },
        unit: Unit::Minutes,
        per_channel: false,
        lower_is_better: true,
    },
];

/// The metric of the catalogue with this key.
pub fn metric(key: &str) -> Option<&'static Metric> {
    CATALOGUE.iter().find(|m| m.key == key)
}

/// Local days are numbered from 1970-01-01 (day 0), in the organization's time zone.
pub fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 719_163
}

/// The date of a local day number.
pub fn day_date(day: i64) -> Option<NaiveDate> {
    i32::try_from(day + 719_163)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// A day as people read it in both languages: `DD.MM.YYYY` (empty when out of range).
pub fn day_label(day: i64) -> String {
    day_date(day)
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_default()
}

/// How a goal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outlook {
    NotStarted,
    /// The target is met already (the period goes on).
    Reached,
    OnTrack,
    Behind,
    /// The period is over: met, or missed.
    Met,
    Missed,
    /// No figures yet.
    NoData,
}

impl Outlook {
    /// Its name in the API and in message keys (`outlook-on_track`).
    pub fn key(self) -> &'static str {
        match self {
            Outlook::NotStarted => "not_started",
            Outlook::Reached => "reached",
            Outlook::OnTrack => "on_track",
            Outlook::Behind => "behind",
            Outlook::Met => "met",
            Outlook::Missed => "missed",
            Outlook::NoData => "no_data",
        }
    }
}

/// A goal's standing on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// The value now: the period's sum (counts), the last level (levels), the rate (rates).
    pub current: f64,
    /// Where it started: 0 for counts and rates, the level on the first day for levels.
    pub baseline: f64,
    /// The value expected at the end at the present pace; `None` when there is no pace to go by.
    pub projected: Option<f64>,
    /// How far from the baseline to the target, 0–100 (more than 100 once exceeded, for counts).
    pub percent: f64,
    pub outlook: Outlook,
    /// The chart's points: (day, value) — running sums for counts, levels, running rates.
    pub points: Vec<(i64, f64)>,
}

/// A goal's period, target and metric, with the metric's daily rows.
#[derive(Debug, Clone)]
pub struct GoalFigures<'a> {
    pub metric: &'a Metric,
    pub target: f64,
    pub start_day: i64,
    pub end_day: i64,
    /// The day it is now.
    pub today: i64,
    /// (day, value) of the metric itself (counts, levels) or of the rate's numerator.
    pub values: &'a [(i64, f64)],
    /// (day, value) of the rate's denominator; empty otherwise.
    pub denominators: &'a [(i64, f64)],
}

/// How many recent days a level's trend is read from.
pub const TREND_DAYS: i64 = 28;

fn meets(m: &Metric, value: f64, target: f64) -> bool {
    if m.lower_is_better {
        value <= target
    } else {
        value >= target
    }
}

fn rate(m: &Metric, num: f64, den: f64) -> Option<f64> {
    if den <= 0.0 {
        return None;
    }
    Some(match m.kind {
        Kind::Rate { scale, .. } => num / den * scale,
        _ => num / den,
    })
}

/// Least-squares slope of (day, value) points; `None` with fewer than two distinct days.
pub fn slope(points: &[(i64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|(d, _)| *d as f64).sum::<f64>() / n;
    let my = points.iter().map(|(_, v)| *v).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|(d, _)| (*d as f64 - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = points
        .iter()
        .map(|(d, v)| (*d as f64 - mx) * (v - my))
        .sum();
    Some(sxy / sxx)
}

/// A goal's progress and forecast.
pub fn progress(g: &GoalFigures) -> Progress {
    let last = g.today.min(g.end_day);
    let in_period = |d: i64| d >= g.start_day && d <= last;
    let m = g.metric;
    let mut points = Vec::new();
    let (current, baseline, projected, has_data) = match m.kind {
        Kind::Count => {
            let mut sum = 0.0;
            let mut values: Vec<_> = g.values.iter().filter(|(d, _)| in_period(*d)).collect();
            values.sort_by_key(|(d, _)| *d);
            for (d, v) in values {
                sum += v;
                points.push((*d, sum));
            }
            let elapsed = (last - g.start_day + 1).max(1) as f64;
            let remaining = (g.end_day - last).max(0) as f64;
            let projected = sum + sum / elapsed * remaining;
            (sum, 0.0, Some(projected), last >= g.start_day)
        }
        Kind::Level => {
            let mut values: Vec<_> = g.values.iter().filter(|(d, _)| *d <= last).collect();
            values.sort_by_key(|(d, _)| *d);
            // The level on the first day: the last one known by then, or the first one after.
            let baseline = values
                .iter()
                .rev()
                .find(|(d, _)| *d <= g.start_day)
                .or_else(|| values.first())
                .map(|(_, v)| *v);
            for (d, v) in values.iter().filter(|(d, _)| in_period(*d)) {
                points.push((*d, *v));
            }
            let current = values.last().map(|(_, v)| *v);
            let recent: Vec<(i64, f64)> = points
                .iter()
                .copied()
                .filter(|(d, _)| *d > last - TREND_DAYS)
                .collect();
            let projected = match (current, slope(&recent)) {
                (Some(c), Some(s)) => Some(c + s * (g.end_day - last).max(0) as f64),
                (Some(c), None) => Some(c),
                _ => None,
            };
            (
                current.unwrap_or(0.0),
                baseline.unwrap_or(0.0),
                projected,
                current.is_some(),
            )
        }
        Kind::Rate { .. } => {
            let mut days: Vec<i64> = g
                .values
                .iter()
                .chain(g.denominators)
                .map(|(d, _)| *d)
                .filter(|d| in_period(*d))
                .collect();
            days.sort_unstable();
            days.dedup();
            let (mut num, mut den) = (0.0, 0.0);
            for d in days {
                num += g
                    .values
                    .iter()
                    .filter(|(x, _)| *x == d)
                    .map(|(_, v)| v)
                    .sum::<f64>();
                den += g
                    .denominators
                    .iter()
                    .filter(|(x, _)| *x == d)
                    .map(|(_, v)| v)
                    .sum::<f64>();
                if let Some(r) = rate(m, num, den) {
                    points.push((d, r));
                }
            }
            let current = rate(m, num, den);
            (current.unwrap_or(0.0), 0.0, current, current.is_some())
        }
    };
    let percent = if m.lower_is_better {
        if current > 0.0 {
            (g.target / current * 100.0).min(100.0)
        } else if has_data {
            100.0
        } else {
            0.0
        }
    } else if (g.target - baseline).abs() > f64::EPSILON {
        ((current - baseline) / (g.target - baseline) * 100.0).max(0.0)
    } else if current >= g.target {
        100.0
    } else {
        0.0
    };
    let outlook = if g.today < g.start_day {
        Outlook::NotStarted
    } else if !has_data {
        Outlook::NoData
    } else if g.today > g.end_day {
        if meets(m, current, g.target) {
            Outlook::Met
        } else {
            Outlook::Missed
        }
    } else if meets(m, current, g.target) && !matches!(m.kind, Kind::Rate { .. }) {
        Outlook::Reached
    } else if projected.is_some_and(|p| meets(m, p, g.target)) {
        Outlook::OnTrack
    } else {
        Outlook::Behind
    };
    Progress {
        current,
        baseline,
        projected,
        percent,
        outlook,
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(key: &str) -> &'static Metric {
        metric(key).unwrap()
    }

    #[test]
    fn outlook_keys_are_their_serialized_names() {
        for o in [
            Outlook::NotStarted,
            Outlook::Reached,
            Outlook::OnTrack,
            Outlook::Behind,
            Outlook::Met,
            Outlook::Missed,
            Outlook::NoData,
        ] {
            assert_eq!(serde_json::to_value(o).unwrap(), o.key());
        }
    }

    #[test]
    fn day_numbers_count_from_the_epoch() {
        let d = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(day_number(d), 0);
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(day_date(day_number(d)), Some(d));
        assert_eq!(
            day_number(d) - day_number(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
            330
        );
    }

    #[test]
    fn every_key_is_unique_and_rates_name_stored_metrics() {
        for (i, a) in CATALOGUE.iter().enumerate() {
            assert!(
                CATALOGUE.iter().skip(i + 1).all(|b| b.key != a.key),
                "{}",
                a.key
            );
        }
        assert_eq!(metric("nope"), None);
    }

    #[test]
    fn a_count_goal_projects_its_pace_to_the_end() {
        // 100 sign-ups over days 0..=29; 10 days in, 30 so far: 3 a day → 90 at the end.
        let values: Vec<(i64, f64)> = (0..10).map(|d| (d, 3.0)).collect();
        let g = GoalFigures {
            metric: m("signups"),
            target: 100.0,
            start_day: 0,
            end_day: 29,
            today: 9,
            values: &values,
            denominators: &[],
        };
        let p = progress(&g);
        assert_eq!(p.current, 30.0);
        assert_eq!(p.projected, Some(90.0));
        assert_eq!(p.outlook, Outlook::Behind);
        assert_eq!(p.percent, 30.0);
        assert_eq!(p.points.last(), Some(&(9, 30.0)));
        // 4 a day → 120: on track; and days outside the period do not count.
        let mut values: Vec<(i64, f64)> = (0..10).map(|d| (d, 4.0)).collect();
        values.push((-1, 50.0));
        values.push((40, 50.0));
        let p = progress(&GoalFigures {
            values: &values,
            ..g.clone()
        });
        assert_eq!((p.current, p.projected), (40.0, Some(120.0)));
        assert_eq!(p.outlook, Outlook::OnTrack);
        // Met already, and after the end: met or missed.
        let p = progress(&GoalFigures {
            target: 35.0,
            values: &values,
            ..g.clone()
        });
        assert_eq!(p.outlook, Outlook::Reached);
        let p = progress(&GoalFigures {
            today: 35,
            values: &values,
            ..g.clone()
        });
        assert_eq!(p.outlook, Outlook::Missed);
        let p = progress(&GoalFigures {
            today: -3,
            ..g.clone()
        });
        assert_eq!(p.outlook, Outlook::NotStarted);
    }

    #[test]
    fn a_level_goal_follows_its_recent_trend_from_its_baseline() {
        // Followers: 500 before the start, +5 a day from day 0.
        let mut values: Vec<(i64, f64)> = vec![(-10, 500.0)];
        values.extend((0..=20).map(|d| (d, 500.0 + 5.0 * d as f64)));
        let g = GoalFigures {
            metric: m("followers"),
            target: 800.0,
            start_day: 0,
            end_day: 60,
            today: 20,
            values: &values,
            denominators: &[],
        };
        let p = progress(&g);
        assert_eq!(p.baseline, 500.0);
        assert_eq!(p.current, 600.0);
        let projected = p.projected.unwrap();
        assert!((projected - 800.0).abs() < 1e-6, "{projected}");
        assert_eq!(p.outlook, Outlook::OnTrack);
        assert!((p.percent - 100.0 / 3.0).abs() < 1e-9);
        let p = progress(&GoalFigures {
            target: 900.0,
            ..g.clone()
        });
        assert_eq!(p.outlook, Outlook::Behind);
        let p = progress(&GoalFigures { values: &[], ..g });
        assert_eq!(p.outlook, Outlook::NoData);
    }

    #[test]
    fn rates_divide_their_sums_and_lower_can_be_better() {
        let eng = [(0, 10.0), (1, 30.0)];
        let views = [(0, 500.0), (1, 500.0)];
        let g = GoalFigures {
            metric: m("engagement_rate"),
            target: 5.0,
            start_day: 0,
            end_day: 30,
            today: 1,
            values: &eng,
            denominators: &views,
        };
        let p = progress(&g);
        assert!((p.current - 4.0).abs() < 1e-9);
        assert_eq!(p.points, vec![(0, 2.0), (1, 4.0)]);
        assert_eq!(p.outlook, Outlook::Behind);
        // Two first responses taking 30 and 90 minutes: 60 on average, against 90 at most.
        let ms = [(0, 120.0 * 60_000.0)];
        let n = [(0, 2.0)];
        let p = progress(&GoalFigures {
            metric: m("first_response_minutes"),
            target: 90.0,
            values: &ms,
            denominators: &n,
            ..g
        });
        assert!((p.current - 60.0).abs() < 1e-9);
        assert_eq!(p.outlook, Outlook::OnTrack);
        assert_eq!(p.percent, 100.0);
    }
}
