//! Hebrew calendar, Israeli holidays and sunset, for the content calendar: it marks Shabbat and the
//! holidays, and [`quiet_windows`] gives the intervals in which nothing should be published.
//!
//! Rules followed:
//!
//! - **Calendar**: the fixed arithmetic calendar (molad of Tishrei, 235 months in 19 years, the
//!   postponements *molad zaken*, *lo ADU Rosh*, *GaTaRaD* and *BeTUTaKPaT*), as described in
//!   Reingold & Dershowitz, *Calendrical Calculations*, ch. "The Hebrew Calendar". Days are
//!   counted as "fixed" day numbers (R.D., 1 = Monday 1 January 1 of the proleptic Gregorian
//!   calendar, i.e. chrono's `num_days_from_ce`). A Hebrew date here is the civil date on which
//!   its daytime falls (the evening before belongs to it halachically; [`quiet_windows`] handles
//!   that).
//! - **Holidays**: Israeli, not diaspora: one day of Sukkot, Shemini Atzeret (= Simchat Torah),
//!   Pesach and Shavuot. Tisha B'Av (9 Av) moves to 10 Av when on Shabbat. The modern days follow
//!   the current Israeli rules: Yom HaAtzmaut (5 Iyar) moves to Thursday 4 Iyar when on Friday,
//!   to Thursday 3 Iyar when on Shabbat, and (from 5764, when that rule was introduced) to Tuesday
//!   6 Iyar when on Monday; Yom HaZikaron is the day before it; Yom HaShoah (27 Nisan) moves to
//!   Thursday when on Friday and to Monday when on Sunday. They are given only from the year they
//!   were instituted (Atzmaut/Zikaron 5708, Shoah 5711, Yerushalayim 5728); older years' exact
//!   history is not modelled.
//! - **Sunset**: the NOAA solar calculator (Meeus-based) with the standard -0.833° altitude
//!   (refraction and the sun's radius), at sea level, accurate to about a minute between
//!   latitudes ±60°.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc, Weekday};
use serde::{Serialize, Serializer};

/// R.D. of 1 Tishrei AM 1 (Monday 7 October 3761 BCE, proleptic Julian).
const EPOCH_RD: i64 = -1_373_427;

/// A month of the Hebrew calendar. A common year has `Adar`; a leap year has `AdarI` and `AdarII`
/// instead. Variants are listed in biblical order (Nisan first); the year starts at Tishrei.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HebrewMonth {
    Nisan,
    Iyar,
    Sivan,
    Tammuz,
    Av,
    Elul,
    Tishrei,
    Cheshvan,
    Kislev,
    Tevet,
    Shevat,
    /// Adar of a common year.
    Adar,
    /// The added (first) Adar of a leap year.
    AdarI,
    /// The second Adar of a leap year, in which Purim falls.
    AdarII,
}

use HebrewMonth::*;

/// The months of a common year, in order from Tishrei.
const COMMON_MONTHS: [HebrewMonth; 12] = [
    Tishrei, Cheshvan, Kislev, Tevet, Shevat, Adar, Nisan, Iyar, Sivan, Tammuz, Av, Elul,
];
/// The months of a leap year, in order from Tishrei.
const LEAP_MONTHS: [HebrewMonth; 13] = [
    Tishrei, Cheshvan, Kislev, Tevet, Shevat, AdarI, AdarII, Nisan, Iyar, Sivan, Tammuz, Av, Elul,
];

impl HebrewMonth {
    /// Stable snake-case key (`"tishrei"`, `"adar_ii"`, …), for translations and serialization.
    pub fn key(self) -> &'static str {
        match self {
            Nisan => "nisan",
            Iyar => "iyar",
            Sivan => "sivan",
            Tammuz => "tammuz",
            Av => "av",
            Elul => "elul",
            Tishrei => "tishrei",
            Cheshvan => "cheshvan",
            Kislev => "kislev",
            Tevet => "tevet",
            Shevat => "shevat",
            Adar => "adar",
            AdarI => "adar_i",
            AdarII => "adar_ii",
        }
    }
}

impl Serialize for HebrewMonth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

/// A date of the Hebrew calendar (`year` is Anno Mundi, e.g. 5787).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct HebrewDate {
    pub year: i32,
    pub month: HebrewMonth,
    pub day: u8,
}

impl HebrewDate {
    /// The civil date of this Hebrew date, `None` if it does not exist (see [`from_hebrew`]).
    pub fn to_gregorian(self) -> Option<NaiveDate> {
        from_hebrew(self.year, self.month, self.day)
    }
}

/// Whether a Hebrew year has 13 months (years 3, 6, 8, 11, 14, 17, 19 of the 19-year cycle).
pub fn is_leap_year(year: i32) -> bool {
    leap(i64::from(year))
}

/// Number of days in a Hebrew year: always 353, 354, 355, 383, 384 or 385.
pub fn year_length(year: i32) -> u16 {
    u16::try_from(year_len(i64::from(year))).unwrap_or(0)
}

/// Number of days of `month` in `year`, `None` if that year has no such month (`Adar` in a leap
/// year counts as `AdarII`, as in [`from_hebrew`]).
pub fn month_length(year: i32, month: HebrewMonth) -> Option<u8> {
    let y = i64::from(year);
    let month = normalize_month(y, month)?;
    u8::try_from(month_len(y, month)).ok()
}

/// The Hebrew date whose daytime falls on the civil `date`.
pub fn to_hebrew(date: NaiveDate) -> HebrewDate {
    let rd = i64::from(date.num_days_from_ce());
    // Mean year length is 35975351/98496 days; this estimate is at most one year off.
    let mut year = ((rd - EPOCH_RD) * 98_496).div_euclid(35_975_351);
    while new_year_rd(year + 1) <= rd {
        year += 1;
    }
    while new_year_rd(year) > rd {
        year -= 1;
    }
    let mut remaining = rd - new_year_rd(year);
    let year_i32 = i32::try_from(year).unwrap_or(i32::MAX);
    for &month in months_of(year) {
        let len = month_len(year, month);
        if remaining < len {
            let day = u8::try_from(remaining + 1).unwrap_or(1);
            return HebrewDate {
                year: year_i32,
                month,
                day,
            };
        }
        remaining -= len;
    }
    // Unreachable: the months of a year add up to the distance between two new years.
    HebrewDate {
        year: year_i32,
        month: Elul,
        day: 29,
    }
}

/// The civil date of a Hebrew date, `None` if the day does not exist in that month and year
/// (`AdarI`/`AdarII` in a common year, day 30 of a 29-day month, …) or is outside chrono's range.
/// In a leap year plain `Adar` is read as `AdarII` (where Purim falls).
pub fn from_hebrew(year: i32, month: HebrewMonth, day: u8) -> Option<NaiveDate> {
    let y = i64::from(year);
    let month = normalize_month(y, month)?;
    if day == 0 || i64::from(day) > month_len(y, month) {
        return None;
    }
    let before: i64 = months_of(y)
        .iter()
        .take_while(|&&m| m != month)
        .map(|&m| month_len(y, m))
        .sum();
    let rd = new_year_rd(y) + before + i64::from(day) - 1;
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(rd).ok()?)
}

fn leap(year: i64) -> bool {
    (7 * year + 1).rem_euclid(19) < 7
}

fn months_of(year: i64) -> &'static [HebrewMonth] {
    if leap(year) {
        &LEAP_MONTHS
    } else {
        &COMMON_MONTHS
    }
}

/// `Adar` in a leap year means `AdarII`; `AdarI`/`AdarII` do not exist in a common year.
fn normalize_month(year: i64, month: HebrewMonth) -> Option<HebrewMonth> {
    match (leap(year), month) {
        (true, Adar) => Some(AdarII),
        (false, AdarI | AdarII) => None,
        (_, m) => Some(m),
    }
}

/// Days from the epoch to 1 Tishrei of `year`, after molad zaken and lo ADU Rosh: the molad of
/// Tishrei AM 1 (BaHaRaD, Monday 5h 204p) plus 18 hours is encoded in the 12084 parts.
fn elapsed_days(year: i64) -> i64 {
    let months = (235 * year - 234).div_euclid(19);
    let parts = 12_084 + 13_753 * months;
    let days = 29 * months + parts.div_euclid(25_920);
    // Postpone a day if the new year would fall on Sunday, Wednesday or Friday.
    if (3 * (days + 1)).rem_euclid(7) < 3 {
        days + 1
    } else {
        days
    }
}

/// GaTaRaD / BeTUTaKPaT: delays that keep every year length in the allowed set.
fn year_length_correction(year: i64) -> i64 {
    let (ny0, ny1, ny2) = (
        elapsed_days(year - 1),
        elapsed_days(year),
        elapsed_days(year + 1),
    );
    if ny2 - ny1 == 356 {
        2
    } else if ny1 - ny0 == 382 {
        1
    } else {
        0
    }
}

/// R.D. of 1 Tishrei of `year`.
fn new_year_rd(year: i64) -> i64 {
    EPOCH_RD + elapsed_days(year) + year_length_correction(year)
}

fn year_len(year: i64) -> i64 {
    new_year_rd(year + 1) - new_year_rd(year)
}

/// Length of a month that exists in `year` (Cheshvan is long in 355/385-day years, Kislev short in
/// 353/383-day years).
fn month_len(year: i64, month: HebrewMonth) -> i64 {
    match month {
        Tishrei | Shevat | AdarI | Nisan | Sivan | Av => 30,
        Tevet | Adar | AdarII | Iyar | Tammuz | Elul => 29,
        Cheshvan if year_len(year) % 10 == 5 => 30,
        Cheshvan => 29,
        Kislev if year_len(year) % 10 == 3 => 29,
        Kislev => 30,
    }
}

/// An Israeli holiday or memorial day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    /// 1 Tishrei.
    RoshHashana1,
    /// 2 Tishrei.
    RoshHashana2,
    /// 10 Tishrei.
    YomKippur,
    /// 15 Tishrei, first day of Sukkot.
    Sukkot,
    /// 22 Tishrei; in Israel also Simchat Torah.
    SheminiAtzeret,
    /// 15 Nisan, first day of Pesach.
    Pesach1,
    /// 21 Nisan, seventh day of Pesach.
    Pesach7,
    /// 6 Sivan.
    Shavuot,
    /// 25 Kislev, first day of Hanukkah.
    Hanukkah1,
    /// 14 Adar (Adar II in a leap year).
    Purim,
    /// 27 Nisan, moved off Friday and Sunday.
    YomHaShoah,
    /// The day before Yom HaAtzmaut.
    YomHaZikaron,
    /// 5 Iyar, moved off Friday, Shabbat and Monday.
    YomHaAtzmaut,
    /// 28 Iyar.
    YomYerushalayim,
    /// 9 Av, 10 Av when 9 Av is Shabbat.
    TishaBAv,
}

impl Holiday {
    /// Whether this is a yom tov in Israel, on which work is forbidden as on Shabbat.
    pub fn is_rest_day(self) -> bool {
        matches!(
            self,
            Holiday::RoshHashana1
                | Holiday::RoshHashana2
                | Holiday::YomKippur
                | Holiday::Sukkot
                | Holiday::SheminiAtzeret
                | Holiday::Pesach1
                | Holiday::Pesach7
                | Holiday::Shavuot
        )
    }

    /// Stable snake-case key (`"rosh_hashana_1"`, …), used for translations and serialization.
    pub fn key(self) -> &'static str {
        match self {
            Holiday::RoshHashana1 => "rosh_hashana_1",
            Holiday::RoshHashana2 => "rosh_hashana_2",
            Holiday::YomKippur => "yom_kippur",
            Holiday::Sukkot => "sukkot",
            Holiday::SheminiAtzeret => "shemini_atzeret",
            Holiday::Pesach1 => "pesach_1",
            Holiday::Pesach7 => "pesach_7",
            Holiday::Shavuot => "shavuot",
            Holiday::Hanukkah1 => "hanukkah_1",
            Holiday::Purim => "purim",
            Holiday::YomHaShoah => "yom_hashoah",
            Holiday::YomHaZikaron => "yom_hazikaron",
            Holiday::YomHaAtzmaut => "yom_haatzmaut",
            Holiday::YomYerushalayim => "yom_yerushalayim",
            Holiday::TishaBAv => "tisha_bav",
        }
    }
}

impl Serialize for Holiday {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

/// Israeli (not diaspora) holidays falling in [from, to] inclusive, sorted by date.
pub fn holidays_between(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, Holiday)> {
    if from > to {
        return Vec::new();
    }
    let mut out: Vec<(NaiveDate, Holiday)> = (to_hebrew(from).year..=to_hebrew(to).year)
        .flat_map(holidays_of_year)
        .filter(|&(d, _)| from <= d && d <= to)
        .collect();
    out.sort_by_key(|&(d, _)| d);
    out
}

/// All holidays of Hebrew year `year` (Tishrei to Elul).
fn holidays_of_year(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let on = |month, day| from_hebrew(year, month, day);
    let shift = |d: NaiveDate, days: i64| d.checked_add_signed(TimeDelta::days(days));
    let mut out = Vec::with_capacity(15);
    let mut push = |date: Option<NaiveDate>, h| {
        if let Some(d) = date {
            out.push((d, h));
        }
    };
    push(on(Tishrei, 1), Holiday::RoshHashana1);
    push(on(Tishrei, 2), Holiday::RoshHashana2);
    push(on(Tishrei, 10), Holiday::YomKippur);
    push(on(Tishrei, 15), Holiday::Sukkot);
    push(on(Tishrei, 22), Holiday::SheminiAtzeret);
    push(on(Kislev, 25), Holiday::Hanukkah1);
    push(on(Adar, 14), Holiday::Purim); // Adar II in a leap year
    push(on(Nisan, 15), Holiday::Pesach1);
    push(on(Nisan, 21), Holiday::Pesach7);
    push(on(Sivan, 6), Holiday::Shavuot);
    if year >= 5711 {
        let shoah = on(Nisan, 27).and_then(|d| match d.weekday() {
            Weekday::Fri => shift(d, -1),
            Weekday::Sun => shift(d, 1),
            _ => Some(d),
        });
        push(shoah, Holiday::YomHaShoah);
    }
    if year >= 5708 {
        // 5 Iyar falls only on Monday, Wednesday, Friday or Shabbat.
        let atzmaut = on(Iyar, 5).and_then(|d| match d.weekday() {
            Weekday::Fri => shift(d, -1),
            Weekday::Sat => shift(d, -2),
            Weekday::Mon if year >= 5764 => shift(d, 1),
            _ => Some(d),
        });
        push(atzmaut.and_then(|d| shift(d, -1)), Holiday::YomHaZikaron);
        push(atzmaut, Holiday::YomHaAtzmaut);
    }
    if year >= 5728 {
        push(on(Iyar, 28), Holiday::YomYerushalayim);
    }
    let av9 = on(Av, 9).and_then(|d| {
        if d.weekday() == Weekday::Sat {
            shift(d, 1)
        } else {
            Some(d)
        }
    });
    push(av9, Holiday::TishaBAv);
    out
}

/// Jerusalem (latitude, longitude) in degrees, for [`sunset_utc`] and [`quiet_windows`].
pub const JERUSALEM: (f64, f64) = (31.778, 35.235);

/// Sunset for a civil date at a latitude/longitude (degrees, north and east positive), as a UTC
/// instant (NOAA solar algorithm, sea level); `None` in polar day/night or for invalid input.
pub fn sunset_utc(date: NaiveDate, lat: f64, lon: f64) -> Option<DateTime<Utc>> {
    let minutes = sunset_minutes(date, lat, lon)?;
    at_minutes(date, minutes)
}

/// The instant `minutes` after 00:00 UTC of `date`.
fn at_minutes(date: NaiveDate, minutes: f64) -> Option<DateTime<Utc>> {
    let seconds = (minutes * 60.0).round();
    if !seconds.is_finite() || seconds.abs() > 1e7 {
        return None;
    }
    // In range by the check above.
    let delta = TimeDelta::try_seconds(seconds as i64)?;
    date.and_hms_opt(0, 0, 0)?
        .and_utc()
        .checked_add_signed(delta)
}

/// Sunset in minutes after 00:00 UTC of `date` (can exceed 1440 west of Greenwich).
fn sunset_minutes(date: NaiveDate, lat: f64, lon: f64) -> Option<f64> {
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return None;
    }
    // Julian day at 00:00 UTC: R.D. 1 starts at JD 1721425.5.
    let jd0 = f64::from(date.num_days_from_ce()) + 1_721_424.5;
    let mut minutes = 720.0 - 4.0 * lon; // first guess: local solar noon
    for _ in 0..3 {
        // Recompute the sun's position at the previous estimate of sunset.
        let (declination, eq_of_time) = sun_position(jd0 + minutes / 1440.0);
        let cos_ha = 90.833_f64.to_radians().cos() / (lat.to_radians().cos() * declination.cos())
            - lat.to_radians().tan() * declination.tan();
        if !(-1.0..=1.0).contains(&cos_ha) {
            return None;
        }
        minutes = 720.0 - 4.0 * lon - eq_of_time + 4.0 * cos_ha.acos().to_degrees();
    }
    Some(minutes)
}

/// The sun's declination (radians) and the equation of time (minutes) at Julian day `jd`, after
/// the NOAA solar calculator spreadsheet.
fn sun_position(jd: f64) -> (f64, f64) {
    let t = (jd - 2_451_545.0) / 36_525.0; // Julian centuries since J2000.0
    let mean_long = (280.466_46 + t * (36_000.769_83 + t * 0.000_303_2)).rem_euclid(360.0);
    let mean_anom = 357.529_11 + t * (35_999.050_29 - 0.000_153_7 * t);
    let ecc = 0.016_708_634 - t * (0.000_042_037 + 0.000_000_126_7 * t);
    let m = mean_anom.to_radians();
    let center = m.sin() * (1.914_602 - t * (0.004_817 + 0.000_014 * t))
        + (2.0 * m).sin() * (0.019_993 - 0.000_101 * t)
        + (3.0 * m).sin() * 0.000_289;
    let omega = (125.04 - 1_934.136 * t).to_radians();
    let apparent_long = (mean_long + center - 0.005_69 - 0.004_78 * omega.sin()).to_radians();
    let mean_obliq =
        23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.000_59 - t * 0.001_813))) / 60.0) / 60.0;
    let obliq = (mean_obliq + 0.002_56 * omega.cos()).to_radians();
    let declination = (obliq.sin() * apparent_long.sin()).asin();
    let y = (obliq / 2.0).tan().powi(2);
    let l0 = mean_long.to_radians();
    let eq_of_time = 4.0
        * (y * (2.0 * l0).sin() - 2.0 * ecc * m.sin() + 4.0 * ecc * y * m.sin() * (2.0 * l0).cos()
            - 0.5 * y * y * (4.0 * l0).sin()
            - 1.25 * ecc * ecc * (2.0 * m).sin())
        .to_degrees();
    (declination, eq_of_time)
}

/// A UTC interval `[start, end)` in which nothing is published: one Shabbat and/or run of rest-day
/// holidays, from before sunset on its eve to after sunset on its last day.
/// Not `Serialize`: chrono is built without its `serde` feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuietWindow {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Whether a Shabbat is inside the window.
    pub shabbat: bool,
    /// The rest-day holidays inside the window, in date order.
    pub holidays: Vec<Holiday>,
}

/// Quiet windows (UTC, half-open `[start, end)`) of Shabbat and rest-day holidays that overlap
/// `[from, to)`, sorted. Each starts `before_min` minutes before sunset on the eve and ends
/// `after_min` minutes after sunset on the last day (callers normally pass 40 and 40, the Jerusalem
/// custom); consecutive rest days (Rosh Hashana, a yom tov next to Shabbat) and overlapping windows
/// merge into one. The offsets are clamped to ±7 days. Where the sun does not set (polar regions)
/// 18:00 local mean solar time stands in for sunset.
pub fn quiet_windows(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    lat: f64,
    lon: f64,
    before_min: i64,
    after_min: i64,
) -> Vec<QuietWindow> {
    const WEEK_MIN: i64 = 7 * 24 * 60;
    if from >= to {
        return Vec::new();
    }
    let (Some(before), Some(after)) = (
        TimeDelta::try_minutes(before_min.clamp(-WEEK_MIN, WEEK_MIN)),
        TimeDelta::try_minutes(after_min.clamp(-WEEK_MIN, WEEK_MIN)),
    ) else {
        return Vec::new();
    };
    // Runs of rest days last at most 3 days and offsets at most 7, so this margin sees every
    // window that can reach [from, to) in full.
    let margin = TimeDelta::days(12);
    let first = from
        .date_naive()
        .checked_sub_signed(margin)
        .unwrap_or(NaiveDate::MIN);
    let last = to
        .date_naive()
        .checked_add_signed(margin)
        .unwrap_or(NaiveDate::MAX);
    let mut rest_days: BTreeMap<NaiveDate, Vec<Holiday>> = BTreeMap::new();
    for (d, h) in holidays_between(first, last) {
        if h.is_rest_day() {
            rest_days.entry(d).or_default().push(h);
        }
    }
    let sunset = |d: NaiveDate| {
        sunset_utc(d, lat, lon).or_else(|| at_minutes(d, 1080.0 - 4.0 * lon.clamp(-180.0, 180.0)))
    };
    let window = |first_day: NaiveDate, last_day: NaiveDate, shabbat, holidays| {
        let start = sunset(first_day.pred_opt()?)?.checked_sub_signed(before)?;
        let end = sunset(last_day)?.checked_add_signed(after)?;
        (start < end).then_some(QuietWindow {
            start,
            end,
            shabbat,
            holidays,
        })
    };

    // Group consecutive rest days into runs, each giving one window.
    let mut windows: Vec<QuietWindow> = Vec::new();
    let mut run: Option<(NaiveDate, NaiveDate, bool, Vec<Holiday>)> = None;
    for day in first.iter_days().take_while(|d| *d <= last) {
        let shabbat = day.weekday() == Weekday::Sat;
        let holidays = rest_days.remove(&day).unwrap_or_default();
        if shabbat || !holidays.is_empty() {
            match run.as_mut() {
                Some(r) => {
                    r.1 = day;
                    r.2 |= shabbat;
                    r.3.extend(holidays);
                }
                None => run = Some((day, day, shabbat, holidays)),
            }
        } else if let Some((a, b, s, h)) = run.take() {
            windows.extend(window(a, b, s, h));
        }
    }
    if let Some((a, b, s, h)) = run.take() {
        windows.extend(window(a, b, s, h));
    }

    // Merge windows that touch or overlap (only with large offsets); keep those reaching
    // [from, to).
    let mut merged: Vec<QuietWindow> = Vec::new();
    for w in windows {
        match merged.last_mut() {
            Some(prev) if w.start <= prev.end => {
                prev.end = prev.end.max(w.end);
                prev.shabbat |= w.shabbat;
                prev.holidays.extend(w.holidays);
            }
            _ => merged.push(w),
        }
    }
    merged.retain(|w| w.start < to && w.end > from);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn hd(year: i32, month: HebrewMonth, day: u8) -> HebrewDate {
        HebrewDate { year, month, day }
    }

    #[test]
    fn known_dates() {
        let pairs = [
            (d(2026, 9, 12), hd(5787, Tishrei, 1)),
            (d(2025, 9, 23), hd(5786, Tishrei, 1)),
            (d(2024, 10, 3), hd(5785, Tishrei, 1)),
            (d(2023, 9, 16), hd(5784, Tishrei, 1)),
            (d(2001, 9, 18), hd(5762, Tishrei, 1)),
            (d(1939, 9, 14), hd(5700, Tishrei, 1)),
            (d(1973, 10, 6), hd(5734, Tishrei, 10)),
            (d(1948, 5, 14), hd(5708, Iyar, 5)),
            (d(2027, 4, 22), hd(5787, Nisan, 15)),
            (d(2024, 4, 23), hd(5784, Nisan, 15)),
            (d(2000, 1, 1), hd(5760, Tevet, 23)),
            (d(2025, 12, 15), hd(5786, Kislev, 25)),
            // Leap years 5784 and 5787: Purim Katan in Adar I, Purim in Adar II.
            (d(2024, 2, 23), hd(5784, AdarI, 14)),
            (d(2024, 3, 24), hd(5784, AdarII, 14)),
            (d(2027, 3, 23), hd(5787, AdarII, 14)),
            // Common year 5785.
            (d(2025, 3, 14), hd(5785, Adar, 14)),
        ];
        for (g, h) in pairs {
            assert_eq!(to_hebrew(g), h, "{g}");
            assert_eq!(from_hebrew(h.year, h.month, h.day), Some(g), "{h:?}");
        }
    }

    #[test]
    fn leap_years_and_months() {
        assert!(is_leap_year(5784) && is_leap_year(5787));
        assert!(!is_leap_year(5785) && !is_leap_year(5786));
        assert_eq!(year_length(5784), 383);
        assert_eq!(from_hebrew(5785, AdarI, 1), None);
        assert_eq!(from_hebrew(5785, AdarII, 1), None);
        assert_eq!(from_hebrew(5784, Adar, 14), from_hebrew(5784, AdarII, 14));
        assert_eq!(from_hebrew(5785, Iyar, 30), None);
        assert_eq!(from_hebrew(5785, Nisan, 0), None);
        assert_eq!(month_length(5784, AdarI), Some(30));
        assert_eq!(month_length(5785, AdarI), None);
        assert_eq!(month_length(5785, Adar), Some(29));
    }

    #[test]
    fn round_trip_every_day_1900_to_2200() {
        let mut prev = to_hebrew(d(1899, 12, 31));
        for g in d(1900, 1, 1)
            .iter_days()
            .take_while(|g| *g <= d(2200, 12, 31))
        {
            let h = to_hebrew(g);
            assert_eq!(from_hebrew(h.year, h.month, h.day), Some(g), "{g}");
            let advanced = if h.day == 1 {
                let months = months_of(i64::from(h.year));
                if h.month == Tishrei {
                    prev.year + 1 == h.year && prev.month == Elul && prev.day == 29
                } else {
                    let i = months.iter().position(|&m| m == h.month).unwrap();
                    prev.year == h.year
                        && prev.month == months[i - 1]
                        && Some(prev.day) == month_length(prev.year, prev.month)
                }
            } else {
                prev.year == h.year && prev.month == h.month && prev.day + 1 == h.day
            };
            assert!(advanced, "{prev:?} -> {h:?} on {g}");
            prev = h;
        }
    }

    #[test]
    fn year_lengths_and_new_year_weekdays() {
        for year in 3000..=7000 {
            let len = year_length(year);
            assert!(
                [353, 354, 355, 383, 384, 385].contains(&len),
                "{year}: {len}"
            );
            assert_eq!(len > 355, is_leap_year(year), "{year}");
            let rh = from_hebrew(year, Tishrei, 1).unwrap().weekday();
            assert!(
                ![Weekday::Sun, Weekday::Wed, Weekday::Fri].contains(&rh),
                "{year}: {rh}"
            );
        }
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        for g in [NaiveDate::MIN, NaiveDate::MAX] {
            let h = to_hebrew(g);
            assert_eq!(from_hebrew(h.year, h.month, h.day), Some(g));
        }
        assert_eq!(from_hebrew(i32::MAX, Tishrei, 1), None);
        assert_eq!(from_hebrew(i32::MIN, Tishrei, 1), None);
        assert!(holidays_between(d(2026, 1, 2), d(2026, 1, 1)).is_empty());
        assert!(sunset_utc(d(2026, 1, 1), f64::NAN, 0.0).is_none());
        let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        let month = TimeDelta::days(30);
        assert!(!quiet_windows(min, min + month, 0.0, 0.0, 40, 40).is_empty());
        assert!(!quiet_windows(max - month, max, 0.0, 0.0, 40, 40).is_empty());
    }

    fn holiday_date(year_range: (NaiveDate, NaiveDate), h: Holiday) -> Vec<NaiveDate> {
        holidays_between(year_range.0, year_range.1)
            .into_iter()
            .filter(|&(_, x)| x == h)
            .map(|(g, _)| g)
            .collect()
    }

    #[test]
    fn modern_israeli_days() {
        let atz = |y| holiday_date((d(y, 1, 1), d(y, 12, 31)), Holiday::YomHaAtzmaut);
        let zik = |y| holiday_date((d(y, 1, 1), d(y, 12, 31)), Holiday::YomHaZikaron);
        assert_eq!(atz(2023), vec![d(2023, 4, 26)]); // 5 Iyar on Wednesday, not moved
        assert_eq!(atz(2026), vec![d(2026, 4, 22)]); // Wednesday
        assert_eq!(atz(2024), vec![d(2024, 5, 14)]); // Monday -> Tuesday 6 Iyar
        assert_eq!(atz(2025), vec![d(2025, 5, 1)]); // Friday -> Thursday 4 Iyar
        assert_eq!(atz(2021), vec![d(2021, 4, 15)]); // Shabbat -> Thursday 3 Iyar
        assert_eq!(zik(2024), vec![d(2024, 5, 13)]);
        assert_eq!(zik(2021), vec![d(2021, 4, 14)]);
        let shoah = |y| holiday_date((d(y, 1, 1), d(y, 12, 31)), Holiday::YomHaShoah);
        assert_eq!(shoah(2024), vec![d(2024, 5, 6)]); // Sunday -> Monday
        assert_eq!(shoah(2025), vec![d(2025, 4, 24)]); // Friday -> Thursday
        assert_eq!(shoah(2026), vec![d(2026, 4, 14)]);
        let av = |y| holiday_date((d(y, 1, 1), d(y, 12, 31)), Holiday::TishaBAv);
        assert_eq!(av(2025), vec![d(2025, 8, 3)]); // Shabbat -> Sunday 10 Av
        assert_eq!(av(2024), vec![d(2024, 8, 13)]);
        let yy = |y| holiday_date((d(y, 1, 1), d(y, 12, 31)), Holiday::YomYerushalayim);
        assert_eq!(yy(2026), vec![d(2026, 5, 15)]);
        assert!(atz(1900).is_empty());
    }

    #[test]
    fn holidays_of_autumn_2026() {
        let got = holidays_between(d(2026, 9, 1), d(2026, 12, 31));
        assert_eq!(
            got,
            vec![
                (d(2026, 9, 12), Holiday::RoshHashana1),
                (d(2026, 9, 13), Holiday::RoshHashana2),
                (d(2026, 9, 21), Holiday::YomKippur),
                (d(2026, 9, 26), Holiday::Sukkot),
                (d(2026, 10, 3), Holiday::SheminiAtzeret),
                (d(2026, 12, 5), Holiday::Hanukkah1),
            ]
        );
        let keys: Vec<_> = got.iter().map(|(_, h)| h.key()).collect();
        assert_eq!(keys[0], "rosh_hashana_1");
        assert!(got.iter().filter(|(_, h)| h.is_rest_day()).count() == 5);
        assert!(!Holiday::YomHaAtzmaut.is_rest_day() && !Holiday::TishaBAv.is_rest_day());
    }

    fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap().and_utc()
    }

    fn near(a: DateTime<Utc>, b: DateTime<Utc>, minutes: i64) -> bool {
        (a - b).num_seconds().abs() <= minutes * 60
    }

    #[test]
    fn sunset_in_jerusalem() {
        let (lat, lon) = JERUSALEM;
        let summer = sunset_utc(d(2026, 6, 21), lat, lon).unwrap();
        assert!(near(summer, utc(2026, 6, 21, 16, 48), 2), "{summer}");
        let winter = sunset_utc(d(2026, 12, 21), lat, lon).unwrap();
        assert!(near(winter, utc(2026, 12, 21, 14, 39), 2), "{winter}");
        // Polar night and midnight sun.
        assert!(sunset_utc(d(2026, 12, 21), 78.2, 15.6).is_none());
        assert!(sunset_utc(d(2026, 6, 21), 78.2, 15.6).is_none());
    }

    #[test]
    fn quiet_windows_rosh_hashana_5787() {
        let (lat, lon) = JERUSALEM;
        let from = utc(2026, 9, 7, 0, 0); // Monday
        let to = utc(2026, 9, 14, 0, 0);
        let ws = quiet_windows(from, to, lat, lon, 40, 40);
        assert_eq!(ws.len(), 1, "{ws:?}");
        let w = &ws[0];
        assert!(w.shabbat);
        assert_eq!(
            w.holidays,
            vec![Holiday::RoshHashana1, Holiday::RoshHashana2]
        );
        let fri = sunset_utc(d(2026, 9, 11), lat, lon).unwrap();
        let sun = sunset_utc(d(2026, 9, 13), lat, lon).unwrap();
        assert_eq!(w.start, fri - TimeDelta::minutes(40));
        assert_eq!(w.end, sun + TimeDelta::minutes(40));
    }

    #[test]
    fn quiet_windows_normal_week() {
        let (lat, lon) = JERUSALEM;
        let ws = quiet_windows(
            utc(2026, 6, 14, 0, 0),
            utc(2026, 6, 21, 0, 0),
            lat,
            lon,
            40,
            40,
        );
        assert_eq!(ws.len(), 1, "{ws:?}");
        let w = &ws[0];
        assert!(w.shabbat && w.holidays.is_empty());
        assert_eq!(
            w.start,
            sunset_utc(d(2026, 6, 19), lat, lon).unwrap() - TimeDelta::minutes(40)
        );
        assert_eq!(
            w.end,
            sunset_utc(d(2026, 6, 20), lat, lon).unwrap() + TimeDelta::minutes(40)
        );
        assert!(near(w.start, utc(2026, 6, 19, 16, 7), 2), "{}", w.start);
    }

    #[test]
    fn quiet_windows_pesach_5786_and_edges() {
        let (lat, lon) = JERUSALEM;
        // Pesach on Thursday 2 April 2026: a window for it, a separate one for Shabbat.
        let ws = quiet_windows(
            utc(2026, 3, 30, 0, 0),
            utc(2026, 4, 5, 0, 0),
            lat,
            lon,
            40,
            40,
        );
        assert_eq!(ws.len(), 2, "{ws:?}");
        assert_eq!(
            (ws[0].shabbat, ws[0].holidays.clone()),
            (false, vec![Holiday::Pesach1])
        );
        assert_eq!((ws[1].shabbat, ws[1].holidays.clone()), (true, vec![]));
        // A range that starts inside a window still returns it; an empty range returns nothing.
        let inside = utc(2026, 4, 4, 12, 0);
        let ws = quiet_windows(inside, inside + TimeDelta::minutes(1), lat, lon, 40, 40);
        assert_eq!(ws.len(), 1);
        assert!(ws[0].start < inside && inside < ws[0].end);
        assert!(quiet_windows(inside, inside, lat, lon, 40, 40).is_empty());
        // Huge offsets merge neighbouring windows instead of overlapping them.
        let ws = quiet_windows(
            utc(2026, 3, 30, 0, 0),
            utc(2026, 4, 5, 0, 0),
            lat,
            lon,
            i64::MAX,
            1440,
        );
        assert_eq!(ws.len(), 1, "{ws:?}");
        assert!(ws[0].shabbat && ws[0].holidays.contains(&Holiday::Pesach1));
    }
}
