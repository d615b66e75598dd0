//! Channels: the organization's accounts on the networks, with a target cadence and posting
//! slots. This is the smallest real piece of the Plan's channel map; Plan adds audiences, hours
//! and budget.

use chrono::NaiveTime;
use kehilla_db::studio::{self, Channel, ChannelData};
use kehilla_db::{Db, orgs};
use kehilla_domain::validate::InputError;
use serde::Deserialize;

use super::NETWORKS;
use crate::members::OrgMember;
use crate::people::person::short;
use crate::{AppError, Result};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChannelInput {
    #[serde(default)]
    pub network: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub handle: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub audience: String,
    /// Days; empty for no target.
    #[serde(default, deserialize_with = "kehilla_domain::json_int::opt_i64")]
    pub cadence_days: Option<i64>,
    /// "09:00, 13:30"
    #[serde(default)]
    pub slots: String,
    /// Weekday digits, 0 = Sunday; empty means every day.
    #[serde(default)]
    pub slot_days: String,
    #[serde(default, deserialize_with = "kehilla_domain::json_int::opt_i64")]
    pub char_limit: Option<i64>,
    #[serde(default)]
    pub requires_approval: bool,
}

fn bad(field: &'static str) -> AppError {
    AppError::Input {
        field,
        error: InputError::InvalidValue,
    }
}

/// One time of day, `H:MM` or `HH:MM` and nothing else (chrono's own parser would also take
/// `9:5` or white space inside).
fn slot(s: &str) -> Option<NaiveTime> {
    let (h, m) = s.split_once(':')?;
    let digits = |x: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// Parses posting slots: times of day, sorted, without duplicates.
pub fn parse_slots(s: &str) -> Result<Vec<NaiveTime>> {
    let mut v = Vec::new();
    for part in s.split([',', ' ', ';']).filter(|p| !p.trim().is_empty()) {
        v.push(slot(part.trim()).ok_or_else(|| bad("slots"))?);
    }
    if v.len() > 24 {
        return Err(AppError::Input {
            field: "slots",
            error: InputError::TooLong,
        });
    }
    v.sort();
    v.dedup();
    Ok(v)
}

fn normalize_days(s: &str) -> Result<String> {
    let mut days: Vec<char> = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect();
    if days.iter().any(|c| !('0'..='6').contains(c)) {
        return Err(bad("slot_days"));
    }
    days.sort_unstable();
    days.dedup();
    Ok(if days.is_empty() {
        "0123456".into()
    } else {
        days.into_iter().collect()
    })
}

struct Checked {
    name: String,
    handle: String,
    purpose: String,
    audience: String,
    slots: String,
    slot_days: String,
}

fn check(i: &ChannelInput) -> Result<Checked> {
    if !NETWORKS.contains(&i.network.as_str()) {
        return Err(bad("network"));
    }
    let name = short("name", &i.name, 100)?;
    if name.is_empty() {
        return Err(AppError::Input {
            field: "name",
            error: InputError::Required,
        });
    }
    if let Some(d) = i.cadence_days
        && !(1..=365).contains(&d)
    {
        return Err(bad("cadence_days"));
    }
    if let Some(l) = i.char_limit
        && !(100..=100_000).contains(&l)
    {
        return Err(bad("char_limit"));
    }
    let slots = parse_slots(&i.slots)?
        .iter()
        .map(|t| t.format("%H:%M").to_string())
        .collect::<Vec<_>>()
        .join(",");
    Ok(Checked {
        name,
        handle: short("handle", &i.handle, 200)?,
        purpose: short("purpose", &i.purpose, 500)?,
        audience: short("audience", &i.audience, 500)?,
        slots,
        slot_days: normalize_days(&i.slot_days)?,
    })
}

fn data<'a>(i: &'a ChannelInput, c: &'a Checked) -> ChannelData<'a> {
    ChannelData {
        network: &i.network,
        name: &c.name,
        handle: &c.handle,
        purpose: &c.purpose,
        audience: &c.audience,
        cadence_days: i.cadence_days,
        slots: &c.slots,
        slot_days: &c.slot_days,
        char_limit: if i.network == "mastodon" {
            i.char_limit
        } else {
            None
        },
        requires_approval: i.requires_approval,
    }
}

pub async fn create(db: &Db, by: &OrgMember, i: &ChannelInput) -> Result<Channel> {
    let c = check(i)?;
    Ok(studio::create_channel(&db.pool, by.org.id, &data(i, &c)).await?)
}

pub async fn update(db: &Db, by: &OrgMember, public_id: &str, i: &ChannelInput) -> Result<()> {
    studio::channel(&db.pool, by.org.id, public_id).await?;
    let c = check(i)?;
    Ok(studio::update_channel(&db.pool, by.org.id, public_id, &data(i, &c)).await?)
}

pub async fn delete(db: &Db, by: &OrgMember, public_id: &str) -> Result<()> {
    let ch = studio::channel(&db.pool, by.org.id, public_id).await?;
    let mut tx = db.begin().await?;
    kehilla_db::measure::forget_channel(&mut tx, by.org.id, ch.id).await?;
    studio::delete_channel(&mut *tx, by.org.id, public_id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list(db: &Db, org: i64) -> Result<Vec<Channel>> {
    Ok(studio::channels(&db.pool, org).await?)
}

/// Studio settings of an organization, as the settings form shows them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsInput {
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub approval_required: bool,
    #[serde(default)]
    pub quiet_shabbat: bool,
    #[serde(default)]
    pub quiet_holidays: bool,
    /// The organization's own host for short links (`go.example.org`), pointed at this server.
    #[serde(default)]
    pub link_host: String,
}

pub async fn save_settings(db: &Db, by: &OrgMember, i: &SettingsInput) -> Result<()> {
    let tz = super::parse_zone(&i.time_zone)?;
    let link_host = i
        .link_host
        .trim()
        .trim_end_matches('/')
        .to_ascii_lowercase();
    let host_ok = link_host.len() <= 253
        && link_host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && (link_host.is_empty() || link_host.contains('.') || link_host.starts_with("localhost"));
    if !host_ok {
        return Err(bad("link_host"));
    }
    studio::save_settings(
        &db.pool,
        by.org.id,
        &studio::StudioSettings {
            time_zone: tz.name().to_string(),
            approval_required: i64::from(i.approval_required),
            quiet_shabbat: i64::from(i.quiet_shabbat),
            quiet_holidays: i64::from(i.quiet_holidays),
            link_host,
        },
    )
    .await?;
    Ok(())
}

pub async fn settings(db: &Db, org: &orgs::Organization) -> Result<studio::StudioSettings> {
    Ok(studio::settings(&db.pool, org.id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_parse_sort_and_refuse_nonsense() {
        let v = parse_slots("13:30, 09:00,09:00").unwrap_or_default();
        assert_eq!(v.len(), 2);
        assert_eq!(v.first().map(|t| t.to_string()), Some("09:00:00".into()));
        assert!(parse_slots("25:00").is_err());
        assert!(parse_slots("noon").is_err());
        assert_eq!(normalize_days("5,3,3").ok(), Some("35".into()));
        assert!(normalize_days("7").is_err());
    }
}
