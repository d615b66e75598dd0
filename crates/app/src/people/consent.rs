//! Consent: entries are appended to the ledger (with an event on the person's timeline), and
//! the current state is always read back from the ledger.

use kehilla_db::segments::{CHANNELS, PURPOSES};
use kehilla_db::{Db, Tx, consent as ledger, people};
use kehilla_domain::validate::InputError;

use crate::audit::Actor;
use crate::members::OrgMember;
use crate::{AppError, Result};

/// Where a consent entry came from.
pub const SOURCES: [&str; 6] = [
    "form",
    "import",
    "staff",
    "reply",
    "preference-centre",
    "unsubscribe",
];

pub fn check_channel(c: &str) -> Result<&'static str> {
    CHANNELS
        .iter()
        .find(|x| **x == c)
        .copied()
        .ok_or(AppError::Input {
            field: "channel",
            error: InputError::InvalidValue,
        })
}

pub fn check_purpose(p: &str) -> Result<&'static str> {
    PURPOSES
        .iter()
        .find(|x| **x == p)
        .copied()
        .ok_or(AppError::Input {
            field: "purpose",
            error: InputError::InvalidValue,
        })
}

pub struct Consent<'a> {
    pub channel: &'a str,
    pub purpose: &'a str,
    pub given: bool,
    pub source: &'a str,
    pub source_ref: &'a str,
    pub wording: &'a str,
    pub meta: serde_json::Value,
}

/// Appends one entry inside the caller's transaction.
pub async fn append(
    tx: &mut Tx,
    org: i64,
    person: i64,
    c: &Consent<'_>,
    actor: &str,
) -> Result<()> {
    check_channel(c.channel)?;
    check_purpose(c.purpose)?;
    ledger::record(
        &mut **tx,
        org,
        &ledger::NewEntry {
            person_id: person,
            channel: c.channel,
            purpose: c.purpose,
            given: c.given,
            source: c.source,
            source_ref: c.source_ref,
            wording: c.wording,
            meta: &c.meta.to_string(),
        },
    )
    .await?;
    let kind = if c.given {
        "consent-given"
    } else {
        "consent-withdrawn"
    };
    people::add_event(
        &mut **tx,
        org,
        person,
        kind,
        &format!("{} · {} · {}", c.channel, c.purpose, c.source),
        actor,
    )
    .await?;
    Ok(())
}

/// What a staff member heard: a consent or a refusal, by phone, in person or by letter.
pub struct StaffEntry<'a> {
    pub channel: &'a str,
    pub purpose: &'a str,
    pub given: bool,
    pub wording: &'a str,
}

/// A staff member records a consent or a refusal.
pub async fn record_by_staff(
    db: &Db,
    by: &OrgMember,
    person_public_id: &str,
    e: &StaffEntry<'_>,
    actor: &Actor,
) -> Result<()> {
    let wording = super::person::short("wording", e.wording, 2000)?;
    let mut tx = db.begin().await?;
    let p = people::get(&mut *tx, by.org.id, person_public_id).await?;
    let c = Consent {
        channel: e.channel,
        purpose: e.purpose,
        given: e.given,
        source: "staff",
        source_ref: &actor.label,
        wording: &wording,
        meta: serde_json::json!({"ip": actor.ip}),
    };
    append(&mut tx, by.org.id, p.id, &c, &actor.label).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a message of `purpose` may be sent to someone by `channel`, given their current
/// consent (`None`: never asked) and whether the organization is a registered nonprofit.
/// The law's rules (reference: israeli-messaging-law.md): SMS and WhatsApp always need explicit
/// consent; a registered nonprofit may email donation appeals and advocacy to anyone who has not
/// refused; transactional messages are not advertising.
pub fn may_message(channel: &str, purpose: &str, current: Option<bool>, nonprofit: bool) -> bool {
    if purpose == "transactional" {
        return true;
    }
    if channel == "email" && nonprofit && (purpose == "donation_appeals" || purpose == "advocacy") {
        return current != Some(false);
    }
    current == Some(true)
}

#[cfg(test)]
mod tests {
    use super::may_message;

    #[test]
    fn the_law_in_one_table() {
        // (channel, purpose, current, nonprofit) → may send
        let cases = [
            ("email", "newsletter", None, true, false),
            ("email", "newsletter", Some(true), false, true),
            ("email", "donation_appeals", None, true, true),
            ("email", "donation_appeals", Some(false), true, false),
            ("email", "donation_appeals", None, false, false),
            ("email", "advocacy", None, true, true),
            ("sms", "donation_appeals", None, true, false),
            ("sms", "donation_appeals", Some(true), true, true),
            ("whatsapp", "advocacy", None, true, false),
            ("sms", "transactional", None, false, true),
        ];
        for (ch, pu, cur, np, want) in cases {
            assert_eq!(may_message(ch, pu, cur, np), want, "{ch} {pu} {cur:?} {np}");
        }
    }
}
