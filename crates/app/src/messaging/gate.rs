//! The consent gate: before a campaign goes out, who of its audience may receive it for its
//! purpose, and who is left out and why. The rules are the segment compiler's `reachable`
//! (Israeli Communications Law section 30A, with the registered-nonprofit exception for
//! donation appeals and advocacy by email); this counts each reason once, in this order:
//! no address, consent withdrawn, no consent given.

use kehilla_db::Db;
use kehilla_db::segments::{self as seg, Compiled, ConsentState, Filter};
use serde::Serialize;

use crate::people::segments::compile;
use crate::{AppError, Result};

/// Why a person of the audience does not receive a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Excluded {
    /// No email address (no phone number for SMS).
    NoAddress,
    /// They withdrew their consent for this purpose.
    Withdrawn,
    /// They never gave it (or the law does not let this purpose go without it).
    NoConsent,
    /// Their address bounced for good or complained: no campaign goes to it again.
    Suppressed,
}

impl Excluded {
    pub fn code(self) -> &'static str {
        match self {
            Excluded::NoAddress => "gate-no-address",
            Excluded::Withdrawn => "gate-withdrawn",
            Excluded::NoConsent => "gate-no-consent",
            Excluded::Suppressed => "gate-suppressed",
        }
    }
}

/// A campaign's audience through the gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gate {
    pub audience: i64,
    pub eligible: i64,
    pub excluded: Vec<(Excluded, i64)>,
}

fn with(c: &Compiled, extra: &str) -> Compiled {
    Compiled {
        sql: format!("({}) AND {extra}", c.sql),
        params: c.params.clone(),
    }
}

/// Counts the audience of a campaign on `channel` (`email` or `sms`) for `purpose`.
pub async fn gate(
    db: &Db,
    org: i64,
    audience: &Filter,
    channel: &str,
    purpose: &str,
) -> Result<Gate> {
    if !matches!(channel, "email" | "sms") {
        return Err(AppError::Conflict("channel-unknown"));
    }
    let address = if channel == "email" {
        "p.email"
    } else {
        "p.phone"
    };
    let both = |f: Filter| Filter::All {
        of: vec![audience.clone(), f],
    };
    let all = compile(db, org, audience).await?;
    let reachable = compile(
        db,
        org,
        &both(Filter::Reachable {
            channel: channel.into(),
            purpose: purpose.into(),
        }),
    )
    .await?;
    let withdrawn = compile(
        db,
        org,
        &both(Filter::Consent {
            channel: channel.into(),
            purpose: purpose.into(),
            state: ConsentState::Withdrawn,
        }),
    )
    .await?;
    let audience_n = seg::count(&db.pool, org, &all).await?;
    let reachable_n = seg::count(&db.pool, org, &reachable).await?;
    let suppressed = seg::count(
        &db.pool,
        org,
        &with(
            &reachable,
            &format!(
                "EXISTS (SELECT 1 FROM suppressions s WHERE s.organization_id = p.organization_id \
                 AND s.address = {address})"
            ),
        ),
    )
    .await?;
    let eligible = reachable_n - suppressed;
    let no_address = seg::count(&db.pool, org, &with(&all, &format!("{address} IS NULL"))).await?;
    let withdrawn = seg::count(
        &db.pool,
        org,
        &with(&withdrawn, &format!("{address} IS NOT NULL")),
    )
    .await?;
    let no_consent = (audience_n - reachable_n - no_address - withdrawn).max(0);
    Ok(Gate {
        audience: audience_n,
        eligible,
        excluded: vec![
            (Excluded::NoAddress, no_address),
            (Excluded::Withdrawn, withdrawn),
            (Excluded::NoConsent, no_consent),
            (Excluded::Suppressed, suppressed),
        ],
    })
}
