//! Calls to action on the site: a call for volunteers shows the organization's volunteer
//! sign-up form; a donation appeal takes a pledge — who, how much, once or monthly — records
//! it with the person, and sends the visitor on to the organization's own payment page.
//! Kehilla never handles a card.

use kehilla_db::studio::Post;
use kehilla_db::{Db, people};
use kehilla_domain::people::normalize_email;
use kehilla_domain::validate::{InputError, Lang};
use serde::Deserialize;

use crate::people::consent::{self, Consent};
use crate::people::forms::{Submission, find_or_create};
use crate::people::person::short;
use crate::{AppError, Result, i18n};

/// The largest single pledge taken, in shekels.
pub const MAX_PLEDGE: i64 = 1_000_000;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PledgeInput {
    /// Where the visitor came from (the tracked link's UTM parameters), for attribution.
    #[serde(default)]
    pub utm_source: String,
    #[serde(default)]
    pub utm_campaign: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    /// In shekels, whole or with agorot ("180", "180.50").
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub monthly: String,
    #[serde(default)]
    pub newsletter: String,
    /// The honeypot.
    #[serde(default)]
    pub website: String,
}

/// Shekels as typed ("1,800", "180.5", "₪180") to agorot.
pub fn agorot(input: &str) -> Option<i64> {
    let s: String = input
        .chars()
        .filter(|c| !matches!(c, ',' | '₪' | ' ' | '\u{a0}'))
        .collect();
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s.as_str(), ""),
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    let total = w.checked_mul(100)?.checked_add(f)?;
    (total > 0 && w <= MAX_PLEDGE).then_some(total)
}

/// Records a pledge on a published donation appeal; returns where to pay (the appeal's link).
pub async fn pledge(db: &Db, post: &Post, i: &PledgeInput, lang: Lang) -> Result<String> {
    let pay = crate::studio::posts::details_of(post).url;
    if post.kind != "donation" || pay.is_empty() {
        return Err(AppError::NotFound);
    }
    if !i.website.trim().is_empty() {
        return Ok(pay);
    }
    let amount = agorot(&i.amount).ok_or(AppError::Input {
        field: "amount",
        error: InputError::InvalidValue,
    })?;
    let s = Submission {
        first_name: short("first_name", &i.first_name, 100)?,
        last_name: short("last_name", &i.last_name, 100)?,
        email: normalize_email(&i.email).map_err(AppError::input("email"))?,
        ..Submission::default()
    };
    if s.first_name.is_empty() {
        return Err(AppError::Input {
            field: "first_name",
            error: InputError::Required,
        });
    }
    let org = post.organization_id;
    let mut tx = db.begin().await?;
    let person = find_or_create(&mut tx, org, &s, lang.code()).await?;
    kehilla_db::site::add_pledge(&mut *tx, org, post.id, person, amount, i.monthly == "1").await?;
    crate::measure::insights::record(
        &mut tx,
        org,
        "pledge",
        Some(person),
        &i.utm_source,
        &i.utm_campaign,
    )
    .await?;
    if i.newsletter == "1" {
        let wording = i18n::t(lang, "form-consent-newsletter");
        let c = Consent {
            channel: "email",
            purpose: "newsletter",
            given: true,
            source: "pledge",
            source_ref: &post.public_id,
            wording: &wording,
            meta: serde_json::json!({ "appeal": post.public_id }),
        };
        consent::append(&mut tx, org, person, &c, "").await?;
    }
    let detail = format!(
        "{} · ₪{}.{:02}{}",
        if post.title.is_empty() {
            crate::home::site::summary(&post.body, 60)
        } else {
            post.title.clone()
        },
        amount / 100,
        amount % 100,
        if i.monthly == "1" {
            format!(" ({})", i18n::t(lang, "pledge-monthly"))
        } else {
            String::new()
        }
    );
    people::add_event(&mut *tx, org, person, "pledged", &detail, "").await?;
    tx.commit().await?;
    Ok(pay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_people_type_them() {
        assert_eq!(agorot("180"), Some(18_000));
        assert_eq!(agorot("₪1,800"), Some(180_000));
        assert_eq!(agorot("180.5"), Some(18_050));
        assert_eq!(agorot("0.99"), Some(99));
        for bad in ["", "0", "-5", "1e3", "12.345", "abc", "99999999", "1.2.3"] {
            assert_eq!(agorot(bad), None, "{bad}");
        }
    }
}
