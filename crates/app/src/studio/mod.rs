//! The Studio: where the team writes the conversation. A post has a master text and, derived
//! from it, one variant per channel, each editable on its own; media; a planned time; and an
//! approval trail. This module holds the rules every surface (UI, API, publisher) shares.

pub mod cadence;
pub mod calendar;
pub mod channels;
pub mod links;
pub mod media;
pub mod posts;
pub mod preview;
pub mod s3;

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use kehilla_domain::text::Network;

use crate::{AppError, Result};

/// Content types, in the order the composer offers them.
pub const KINDS: [&str; 10] = [
    "story",
    "album",
    "video",
    "event",
    "achievement",
    "volunteers",
    "donation",
    "press",
    "question",
    "status",
];

/// Networks a channel can be on (publishing to them is the publisher's work).
pub const NETWORKS: [&str; 8] = [
    "x",
    "bluesky",
    "mastodon",
    "threads",
    "instagram",
    "facebook",
    "linkedin",
    "telegram",
];

/// States of a post, in the order of its life.
pub const STATUSES: [&str; 7] = [
    "draft",
    "review",
    "changes",
    "approved",
    "scheduled",
    "published",
    "failed",
];

/// What a network accepts besides text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Most images (or media items) in one post.
    pub max_media: usize,
    /// Whether images carry alt text there (then it is required before publishing).
    pub alt_text: bool,
    /// Further parts become a thread (true) or a first comment (false).
    pub threads: bool,
    /// Whether a post needs at least one image or video.
    pub needs_media: bool,
}

pub fn rules(network: &str) -> Rules {
    let r = |max_media, alt_text, threads, needs_media| Rules {
        max_media,
        alt_text,
        threads,
        needs_media,
    };
    match network {
        "x" | "bluesky" | "mastodon" => r(4, true, true, false),
        "threads" => r(20, true, true, false),
        "instagram" => r(10, true, false, true),
        "facebook" => r(10, true, false, false),
        "linkedin" => r(20, true, false, false),
        "telegram" => r(10, false, false, false),
        _ => r(4, true, false, false),
    }
}

/// The text counter's network for a channel's network name (Telegram counts a caption when the
/// post carries media).
pub fn counter_network(network: &str, with_media: bool) -> Option<Network> {
    Some(match network {
        "x" => Network::X,
        "bluesky" => Network::Bluesky,
        "mastodon" => Network::Mastodon,
        "threads" => Network::Threads,
        "instagram" => Network::Instagram,
        "facebook" => Network::Facebook,
        "linkedin" => Network::LinkedIn,
        "telegram" if with_media => Network::TelegramCaption,
        "telegram" => Network::Telegram,
        "sms" => Network::Sms,
        _ => return None,
    })
}

/// The organization's time zone; a bad stored value falls back to Jerusalem.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Asia::Jerusalem)
}

/// Checks a time-zone name from the user.
pub fn parse_zone(name: &str) -> Result<Tz> {
    name.trim().parse().map_err(|_| AppError::Input {
        field: "time_zone",
        error: kehilla_domain::validate::InputError::InvalidValue,
    })
}

/// A wall-clock time in `tz` as Unix milliseconds. A time that does not exist (the hour skipped
/// when clocks go forward) is an error; one that exists twice (clocks go back) is the first.
pub fn local_to_ms(tz: Tz, local: NaiveDateTime) -> Result<i64> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.timestamp_millis()),
        LocalResult::Ambiguous(a, _) => Ok(a.timestamp_millis()),
        LocalResult::None => Err(AppError::Conflict("time-skipped")),
    }
}

/// Parses `YYYY-MM-DDTHH:MM` (an `<input type="datetime-local">`) in `tz`.
pub fn parse_local(tz: Tz, s: &str) -> Result<i64> {
    let s = s.trim();
    let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .map_err(|_| AppError::Input {
            field: "scheduled_at",
            error: kehilla_domain::validate::InputError::InvalidValue,
        })?;
    local_to_ms(tz, t)
}

/// Unix milliseconds as a wall-clock time in `tz`.
pub fn to_local(tz: Tz, ms: i64) -> DateTime<Tz> {
    let utc = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    utc.with_timezone(&tz)
}

/// `YYYY-MM-DDTHH:MM` for a datetime-local input.
pub fn local_input(tz: Tz, ms: i64) -> String {
    to_local(tz, ms).format("%Y-%m-%dT%H:%M").to_string()
}

/// A URL-safe name for a post: letters and digits of any script, dashes between words.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() && !is_mark(c) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if !is_mark(c) {
            dash = true;
        }
        if out.chars().count() >= 60 {
            break;
        }
    }
    if out.is_empty() { "post".into() } else { out }
}

/// Hebrew points and cantillation (niqqud) are left out of slugs.
fn is_mark(c: char) -> bool {
    // Maqaf, paseq, sof pasuq and nun hafukha are punctuation: they separate words.
    ('\u{0591}'..='\u{05C7}').contains(&c)
        && !matches!(c, '\u{05BE}' | '\u{05C0}' | '\u{05C3}' | '\u{05C6}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_hebrew_and_drop_niqqud() {
        assert_eq!(slugify("יוֹם  ההתנדבות 2026!"), "יום-ההתנדבות-2026");
        assert_eq!(slugify("Hello, World"), "hello-world");
        assert_eq!(slugify("!!!"), "post");
        assert_eq!(slugify("ב־2026"), "ב-2026");
    }

    #[test]
    fn skipped_hour_is_an_error_and_repeated_hour_the_first() {
        let tz = chrono_tz::Asia::Jerusalem;
        // Israel moved clocks forward at 02:00 on 2026-03-27: 02:30 does not exist.
        assert!(matches!(
            parse_local(tz, "2026-03-27T02:30"),
            Err(AppError::Conflict("time-skipped"))
        ));
        // And back at 02:00 on 2026-10-25: 01:30 happens twice; the first is summer time.
        let ms = parse_local(tz, "2026-10-25T01:30").unwrap_or_default();
        assert_eq!(
            DateTime::<Utc>::from_timestamp_millis(ms)
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
            "2026-10-24T22:30:00+00:00"
        );
        assert!(parse_local(tz, "tomorrow").is_err());
    }
}
