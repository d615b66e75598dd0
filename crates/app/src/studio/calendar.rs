//! The content calendar: days in the organization's time zone, Shabbat and Israeli holidays,
//! quiet windows in which nothing is scheduled, posting slots and "next free slot".

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use kehilla_db::studio::{self, Channel};
use kehilla_db::{Db, now_ms, orgs};
use kehilla_domain::hebcal::{self, Holiday, QuietWindow};

use super::channels::parse_slots;
use crate::{AppError, Result};

/// Minutes before sunset on the eve and after sunset on the last day (Jerusalem's custom).
pub const QUIET_BEFORE_MIN: i64 = 40;
pub const QUIET_AFTER_MIN: i64 = 40;

/// The quiet windows an organization keeps between two instants (none when it keeps none).
pub async fn quiet_windows(
    db: &Db,
    org: &orgs::Organization,
    from: i64,
    to: i64,
) -> Result<Vec<QuietWindow>> {
    let s = studio::settings(&db.pool, org.id).await?;
    if s.quiet_shabbat == 0 && s.quiet_holidays == 0 {
        return Ok(Vec::new());
    }
    Ok(windows(from, to)
        .into_iter()
        .filter(|w| {
            (s.quiet_shabbat == 1 && w.shabbat)
                || (s.quiet_holidays == 1 && w.holidays.iter().any(|h| h.is_rest_day()))
        })
        .collect())
}

/// Every Shabbat and rest-day window overlapping [from, to), for Jerusalem.
pub fn windows(from: i64, to: i64) -> Vec<QuietWindow> {
    let (Some(f), Some(t)) = (
        DateTime::<Utc>::from_timestamp_millis(from),
        DateTime::<Utc>::from_timestamp_millis(to),
    ) else {
        return Vec::new();
    };
    let (lat, lon) = hebcal::JERUSALEM;
    hebcal::quiet_windows(f, t, lat, lon, QUIET_BEFORE_MIN, QUIET_AFTER_MIN)
}

fn inside(w: &QuietWindow, at: i64) -> bool {
    w.start.timestamp_millis() <= at && at < w.end.timestamp_millis()
}

/// Refuses a time inside one of the organization's quiet windows.
pub async fn check_not_quiet(db: &Db, org: &orgs::Organization, at: i64) -> Result<()> {
    let ws = quiet_windows(db, org, at - 1, at + 1).await?;
    if ws.iter().any(|w| inside(w, at)) {
        return Err(AppError::Conflict("quiet-window"));
    }
    Ok(())
}

/// One day of the calendar grid.
#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    /// [start, end) of the day in Unix milliseconds (23 or 25 hours on clock-change days).
    pub start: i64,
    pub end: i64,
    pub in_month: bool,
    pub shabbat: bool,
    pub holidays: Vec<Holiday>,
}

/// Midnight starting `d` in `tz`, in milliseconds (the first instant of the day, also when
/// midnight itself is skipped by a clock change).
pub fn day_start(tz: Tz, d: NaiveDate) -> i64 {
    let mut t = d.and_time(NaiveTime::MIN);
    for _ in 0..4 {
        if let Ok(ms) = super::local_to_ms(tz, t) {
            return ms;
        }
        t += chrono::Duration::minutes(30);
    }
    t.and_utc().timestamp_millis()
}

fn make_day(tz: Tz, date: NaiveDate, in_month: bool, hol: &[(NaiveDate, Holiday)]) -> Day {
    let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
    Day {
        date,
        start: day_start(tz, date),
        end: day_start(tz, next),
        in_month,
        shabbat: date.weekday() == Weekday::Sat,
        holidays: hol
            .iter()
            .filter(|(d, _)| *d == date)
            .map(|(_, h)| *h)
            .collect(),
    }
}

/// The weeks (Sunday first) covering a month.
pub fn month_grid(tz: Tz, year: i32, month: u32) -> Vec<Vec<Day>> {
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return Vec::new();
    };
    let back = u64::from(first.weekday().num_days_from_sunday());
    let start = first.checked_sub_days(Days::new(back)).unwrap_or(first);
    let end = start.checked_add_days(Days::new(42)).unwrap_or(start);
    let hol = hebcal::holidays_between(start, end);
    let mut weeks = Vec::new();
    let mut d = start;
    for _ in 0..6 {
        let mut week = Vec::new();
        for _ in 0..7 {
            week.push(make_day(tz, d, d.month() == month, &hol));
            d = d.checked_add_days(Days::new(1)).unwrap_or(d);
        }
        // Leave out a sixth week wholly in the next month.
        if week.iter().any(|x| x.in_month) {
            weeks.push(week);
        }
    }
    weeks
}

/// The week (Sunday first) containing `d`.
pub fn week_of(tz: Tz, d: NaiveDate) -> Vec<Day> {
    let back = u64::from(d.weekday().num_days_from_sunday());
    let start = d.checked_sub_days(Days::new(back)).unwrap_or(d);
    let end = start.checked_add_days(Days::new(7)).unwrap_or(start);
    let hol = hebcal::holidays_between(start, end);
    (0..7)
        .map(|i| {
            let day = start.checked_add_days(Days::new(i)).unwrap_or(start);
            make_day(tz, day, true, &hol)
        })
        .collect()
}

/// The first posting slot of a channel at or after `after` that is free (no post of the
/// channel at that instant), on one of its weekdays and outside the quiet windows. Looks up to
/// 90 days ahead; `None` when the channel has no slots or none is free.
pub async fn next_free_slot(
    db: &Db,
    org: &orgs::Organization,
    channel: &Channel,
    after: i64,
) -> Result<Option<i64>> {
    let slots = parse_slots(&channel.slots)?;
    if slots.is_empty() {
        return Ok(None);
    }
    let tz = super::zone(&org.time_zone);
    let horizon = after + 90 * 86_400_000;
    let taken = studio::taken_times(&db.pool, org.id, channel.id, after, horizon).await?;
    let quiet = quiet_windows(db, org, after, horizon).await?;
    // The free slots of the week from the first one; the organization's own history picks
    // the best of them (the weekday and hour whose posts drew the most engagement), or the
    // first when there is not enough history.
    let heat = crate::measure::insights::heat_map(db, org.id, tz, Some(channel.id), after).await?;
    let mut free: Vec<(i64, usize, usize)> = Vec::new();
    let mut day = super::to_local(tz, after).date_naive();
    for _ in 0..91 {
        let wd = day.weekday().num_days_from_sunday();
        if channel
            .slot_days
            .contains(char::from_digit(wd, 10).unwrap_or('x'))
        {
            for t in &slots {
                let Ok(at) = super::local_to_ms(tz, day.and_time(*t)) else {
                    continue;
                };
                if at < after || taken.contains(&at) || quiet.iter().any(|w| inside(w, at)) {
                    continue;
                }
                if free
                    .first()
                    .is_some_and(|(first, _, _)| at >= first + 7 * 86_400_000)
                {
                    break;
                }
                free.push((at, wd as usize, t.hour() as usize));
            }
        }
        if free.first().is_some_and(|(first, _, _)| {
            super::to_local(tz, *first).date_naive() + Days::new(7) <= day
        }) {
            break;
        }
        day = day.checked_add_days(Days::new(1)).unwrap_or(day);
    }
    let best = free
        .iter()
        .filter_map(|(at, wd, h)| heat.score(*wd, *h).map(|s| (*at, s)))
        .fold(None::<(i64, f64)>, |best, (at, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((at, s)),
        });
    Ok(best
        .map(|(at, _)| at)
        .or_else(|| free.first().map(|(at, _, _)| *at)))
}

/// The next free slot from now, for a channel given by public id.
pub async fn next_free_slot_now(
    db: &Db,
    org: &orgs::Organization,
    channel_public_id: &str,
) -> Result<Option<i64>> {
    let ch = studio::channel(&db.pool, org.id, channel_public_id).await?;
    next_free_slot(db, org, &ch, now_ms() + 60_000).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_grid_starts_on_sunday_and_covers_the_month() {
        let tz = chrono_tz::Asia::Jerusalem;
        let g = month_grid(tz, 2026, 9);
        let first = g.first().and_then(|w| w.first()).map(|d| d.date);
        assert_eq!(first, NaiveDate::from_ymd_opt(2026, 8, 30));
        let days: usize = g.iter().flatten().filter(|d| d.in_month).count();
        assert_eq!(days, 30);
        // Rosh Hashana 5787 is on 12-13 September 2026.
        let rh: Vec<_> = g
            .iter()
            .flatten()
            .filter(|d| d.holidays.contains(&Holiday::RoshHashana1))
            .map(|d| d.date)
            .collect();
        assert_eq!(
            rh,
            vec![NaiveDate::from_ymd_opt(2026, 9, 12).unwrap_or_default()]
        );
    }

    #[test]
    fn clock_change_days_are_23_and_25_hours_long() {
        let tz = chrono_tz::Asia::Jerusalem;
        let w = week_of(tz, NaiveDate::from_ymd_opt(2026, 3, 27).unwrap_or_default());
        let fri = w
            .iter()
            .find(|d| d.date.day() == 27)
            .map(|d| d.end - d.start);
        assert_eq!(fri, Some(23 * 3_600_000));
        let w = week_of(
            tz,
            NaiveDate::from_ymd_opt(2026, 10, 25).unwrap_or_default(),
        );
        let sun = w
            .iter()
            .find(|d| d.date.day() == 25)
            .map(|d| d.end - d.start);
        assert_eq!(sun, Some(25 * 3_600_000));
    }
}
