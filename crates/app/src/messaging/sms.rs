//! SMS: each organization's gateway — Twilio's Messages API, or a generic HTTP gateway for a
//! local provider — the text of an SMS campaign, and the gateway's webhooks: replies ("הסר",
//! STOP) that withdraw SMS consent at once, and delivery receipts.
//!
//! **The generic gateway** (documented in docs/messaging.md): `POST {url}` with
//! `Authorization: Bearer {token}` and JSON `{"to", "from", "text", "reference", "status_url"}`;
//! a 2xx answer with JSON `{"id"}`. Replies come to `{base}/hooks/sms/{hook}/inbound` as JSON or
//! a form with `from` and `text`; receipts to `{base}/hooks/sms/{hook}/status` with `id` and
//! `status` (`delivered`, `undelivered`, `failed`, `sent`).
//!
//! **Exactly once**: an SMS has no idempotency key at either gateway, so a request whose answer
//! is lost is never sent again by itself: the recipient is `failed` with `sms-outcome-unknown`
//! (a second SMS costs the person's attention and the organization's money). Only a refusal
//! before the gateway took the message (a connection that could not be made, 429, 5xx with
//! nothing taken) is tried again.

use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use kehilla_db::messaging::{self as db, Outcome, SmsGateway};
use kehilla_db::{Db, now_ms};
use kehilla_domain::Role;
use kehilla_domain::text::{Network, Options};
use kehilla_domain::validate::InputError;
use serde::Serialize;

use crate::members::OrgMember;
use crate::secrets::Sealer;
use crate::{AppError, Result};

/// Twilio's API.
pub const TWILIO_API: &str = "https://api.twilio.com";
/// Twilio refuses a longer body (error 21617).
pub const MAX_CHARS: usize = 1_600;

/// Words that, as a whole reply, withdraw SMS consent: Hebrew "הסר" and the carriers' English
/// opt-out words.
pub const STOP_WORDS: [&str; 8] = [
    "הסר",
    "הסרה",
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
];

/// Whether a reply asks to stop.
pub fn is_stop(body: &str) -> bool {
    let b: String = body
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c == '״' || c == '׳')
        .to_lowercase();
    STOP_WORDS.contains(&b.as_str())
}

/// What the live counter shows for an SMS text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Estimate {
    pub encoding: &'static str,
    pub segments: usize,
    pub units: usize,
    pub per_segment: usize,
    pub chars: usize,
    /// Segments × recipients × price, in hundredths.
    pub cost: i64,
    pub too_long: bool,
}

/// Counts an SMS as the gateway bills it, and its cost for `recipients`.
pub fn estimate(text: &str, recipients: i64, cost_per_segment: i64) -> Estimate {
    let c = kehilla_domain::text::count(Network::Sms, text, &Options::default());
    let info = c.sms;
    let segments = info.map(|i| i.segments).unwrap_or(0);
    let chars = text.chars().count();
    Estimate {
        encoding: match info.map(|i| i.encoding) {
            Some(kehilla_domain::text::SmsEncoding::Gsm7) => "GSM-7",
            _ => "UCS-2",
        },
        segments,
        units: info.map(|i| i.units).unwrap_or(0),
        per_segment: info.map(|i| i.per_segment).unwrap_or(0),
        chars,
        cost: i64::try_from(segments).unwrap_or(0) * recipients.max(0) * cost_per_segment,
        too_long: chars > MAX_CHARS,
    }
}

/// The text that goes out: an advertising SMS starts with "פרסומת" and ends with the sender
/// and the way to refuse (Communications Law section 30A).
pub fn finish_text(text: &str, advertising: bool, org_name: &str, lang: &str) -> String {
    let text = text.trim();
    if !advertising {
        return text.to_string();
    }
    let body = if text.starts_with(super::render::ADVERTISING) {
        text.to_string()
    } else {
        format!("{}: {text}", super::render::ADVERTISING)
    };
    let stop = if lang == "en" {
        "Reply STOP to unsubscribe"
    } else {
        "להסרה השיבו הסר"
    };
    format!("{body}\n{org_name} · {stop}")
}

// ---- Gateway settings ----

#[derive(Debug, Clone, Default)]
pub struct GatewayInput {
    pub kind: String,
    pub account: String,
    pub secret: String,
    pub sender: String,
    pub url: String,
    pub cost_per_segment: String,
}

/// Saves the organization's gateway (admins). The secret is sealed; left empty, the stored one
/// stays.
pub async fn save_gateway(
    db: &Db,
    settings: &crate::Settings,
    by: &OrgMember,
    i: &GatewayInput,
) -> Result<()> {
    if by.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let bad = |field: &'static str| AppError::Input {
        field,
        error: InputError::InvalidValue,
    };
    let kind = match i.kind.as_str() {
        "twilio" | "http" => i.kind.clone(),
        _ => return Err(bad("kind")),
    };
    let account = i.account.trim().to_string();
    if kind == "twilio"
        && (!account.starts_with("AC")
            || account.len() != 34
            || !account.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(bad("account"));
    }
    let sender = i.sender.trim().to_string();
    let sender = if sender.starts_with('+') || sender.chars().all(|c| c.is_ascii_digit()) {
        kehilla_domain::people::normalize_phone(&sender).map_err(|_| bad("sender"))?
    } else if (1..=11).contains(&sender.len())
        && sender
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ')
    {
        // An alphanumeric sender ID: up to 11 letters and digits.
        sender
    } else {
        return Err(bad("sender"));
    };
    let url = i.url.trim().to_string();
    if kind == "http" || !url.is_empty() {
        let ok =
            url.starts_with("https://") || (settings.fetch_private && url.starts_with("http://"));
        // Not a private, loopback or link-local address either (the guarded client also
        // refuses names that resolve to one).
        let public = kehilla_net::validate_url(&url, settings.fetch_private).is_ok();
        if !ok || !public || url.len() > 500 {
            return Err(bad("url"));
        }
    }
    let cost = if i.cost_per_segment.trim().is_empty() {
        0
    } else {
        i.cost_per_segment
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|c| (0..=100_000).contains(c))
            .ok_or_else(|| bad("cost_per_segment"))?
    };
    let existing = db::sms_gateway(&db.pool, by.org.id).await?;
    if i.secret.trim().is_empty() && existing.as_ref().is_none_or(|g| g.secret_sealed.is_empty()) {
        return Err(AppError::Input {
            field: "secret",
            error: InputError::Required,
        });
    }
    let secret_sealed = if i.secret.trim().is_empty() {
        String::new()
    } else {
        Sealer::of_instance(db, settings)
            .await?
            .seal(i.secret.trim())?
    };
    let hook_token = existing
        .map(|g| g.hook_token)
        .unwrap_or_else(|| kehilla_db::random_hex(16));
    db::save_sms_gateway(
        &db.pool,
        &SmsGateway {
            organization_id: by.org.id,
            kind,
            account,
            secret_sealed,
            sender,
            url,
            hook_token,
            cost_per_segment: cost,
            updated_at: 0,
        },
    )
    .await?;
    Ok(())
}

/// The webhook addresses to give the gateway: (replies, receipts).
pub fn hook_urls(base_url: &str, g: &SmsGateway) -> (String, String) {
    let base = base_url.trim_end_matches('/');
    (
        format!("{base}/hooks/sms/{}/inbound", g.hook_token),
        format!("{base}/hooks/sms/{}/status", g.hook_token),
    )
}

// ---- Sending ----

/// The HTTP client for SMS gateways: a gateway's address is the organization's to choose, so
/// calls go through the guard (public addresses only unless `fetch_private`, no redirects).
pub fn http_client(settings: &crate::Settings) -> Result<reqwest::Client> {
    kehilla_net::guarded_builder(settings.fetch_private)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| AppError::Internal(format!("the SMS client cannot be built: {e}")))
}

/// A gateway ready to send: its secret opened.
pub struct Sender {
    pub gateway: SmsGateway,
    secret: String,
    status_url: String,
}

impl Sender {
    pub async fn open(
        db: &Db,
        settings: &crate::Settings,
        base_url: &str,
        org: i64,
    ) -> Result<Sender> {
        let gateway = db::sms_gateway(&db.pool, org)
            .await?
            .ok_or(AppError::Conflict("sms-no-gateway"))?;
        let secret = Sealer::of_instance(db, settings)
            .await?
            .open(&gateway.secret_sealed)?;
        let (_, status_url) = hook_urls(base_url, &gateway);
        Ok(Sender {
            gateway,
            secret,
            status_url,
        })
    }

    /// Sends one SMS; returns the outcome and the gateway's id of the message.
    pub async fn send(
        &self,
        client: &reqwest::Client,
        to: &str,
        text: &str,
        reference: &str,
        attempts: i64,
    ) -> (Outcome, Option<String>) {
        if text.chars().count() > MAX_CHARS {
            return (
                Outcome::Failed {
                    error: "sms-too-long".into(),
                },
                None,
            );
        }
        let g = &self.gateway;
        let req = if g.kind == "twilio" {
            let base = if g.url.is_empty() {
                TWILIO_API
            } else {
                g.url.trim_end_matches('/')
            };
            client
                .post(format!(
                    "{base}/2010-04-01/Accounts/{}/Messages.json",
                    g.account
                ))
                .basic_auth(&g.account, Some(&self.secret))
                .form(&[
                    ("To", to),
                    ("From", g.sender.as_str()),
                    ("Body", text),
                    ("StatusCallback", self.status_url.as_str()),
                ])
        } else {
            client
                .post(&g.url)
                .bearer_auth(&self.secret)
                .json(&serde_json::json!({
                    "to": to, "from": g.sender, "text": text, "reference": reference,
                    "status_url": self.status_url,
                }))
        };
        let retry = |error: String| {
            if attempts + 1 >= super::send::MAX_ATTEMPTS {
                Outcome::Failed {
                    error: format!("gave-up: {error}"),
                }
            } else {
                Outcome::Deferred {
                    next_at: now_ms() + super::send::retry_delay(attempts + 1),
                    error,
                }
            }
        };
        let resp = match req.timeout(Duration::from_secs(30)).send().await {
            Ok(r) => r,
            // Never connected: nothing was taken.
            Err(e) if e.is_connect() => return (retry(format!("connect: {e}")), None),
            // Sent, answer lost: the gateway may have taken it.
            Err(_) => {
                return (
                    Outcome::Failed {
                        error: "sms-outcome-unknown".into(),
                    },
                    None,
                );
            }
        };
        let status = resp.status();
        let body: serde_json::Value = resp.json().await.unwrap_or(serde_json::Value::Null);
        if status.is_success() {
            let id = body
                .get(if g.kind == "twilio" { "sid" } else { "id" })
                .and_then(serde_json::Value::as_str)
                .map(str::to_string);
            return (Outcome::Sent, id);
        }
        let message = body
            .get("message")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .chars()
            .take(200)
            .collect::<String>();
        let code = body
            .get("code")
            .map(ToString::to_string)
            .unwrap_or_default();
        let error = format!("{} {code} {message}", status.as_u16())
            .trim()
            .to_string();
        if status.as_u16() == 429 || status.is_server_error() {
            return (retry(error), None);
        }
        // 4xx: this message or number is refused (21211 invalid To, 21610 unsubscribed…).
        (Outcome::Bounced { error }, None)
    }
}

// ---- Webhooks ----

/// Twilio's signature of a webhook: base64 HMAC-SHA1 over the URL and the sorted parameters.
pub fn twilio_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut data = url.to_string();
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()) else {
        return String::new();
    };
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The gateway a webhook token belongs to, and its opened secret.
pub async fn gateway_of_hook(
    db: &Db,
    settings: &crate::Settings,
    token: &str,
) -> Result<(SmsGateway, String)> {
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let g: Option<SmsGateway> = kehilla_db::sqlx::query_as(
        "SELECT organization_id, kind, account, secret_sealed, sender, url, hook_token, \
         cost_per_segment, updated_at FROM sms_gateways WHERE hook_token = $1",
    )
    .bind(token)
    .fetch_optional(&db.pool)
    .await
    .map_err(kehilla_db::DbError::from)?;
    let g = g.ok_or(AppError::NotFound)?;
    let secret = Sealer::of_instance(db, settings)
        .await?
        .open(&g.secret_sealed)?;
    Ok((g, secret))
}

/// A reply from a phone: a stop word withdraws every SMS consent of the person with that number
/// at once; anything else goes to the inbox (once per gateway id). Returns whether consent was
/// withdrawn.
pub async fn inbound(db: &Db, g: &SmsGateway, id: &str, from: &str, body: &str) -> Result<bool> {
    if !is_stop(body) {
        let phone = kehilla_domain::people::normalize_phone(from)
            .unwrap_or_else(|_| from.trim().to_string());
        if phone.is_empty() || phone.len() > 20 || body.trim().is_empty() {
            return Ok(false);
        }
        // A gateway without ids: the same text from the same number within a minute is one.
        let id = if id.trim().is_empty() {
            let minute = now_ms() / 60_000;
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
                format!("{phone} {minute} {body}").as_bytes(),
            ))
        } else {
            id.trim().to_string()
        };
        crate::inbox::ingest(
            db,
            &crate::inbox::Incoming {
                org: g.organization_id,
                source: "sms",
                kind: "message",
                remote_id: &id,
                author_id: &phone,
                handle: &phone,
                phone: Some(&phone),
                body,
                ..Default::default()
            },
        )
        .await?;
        return Ok(false);
    }
    // Gateways send E.164; the stored number is E.164 too, or as it was imported.
    let phone =
        kehilla_domain::people::normalize_phone(from).unwrap_or_else(|_| from.trim().to_string());
    if phone.is_empty() || phone.len() > 20 {
        return Ok(false);
    }
    let Some(person) = db::person_by_phone(&db.pool, g.organization_id, &phone).await? else {
        return Ok(false);
    };
    let mut tx = db.begin().await?;
    for purpose in kehilla_db::segments::PURPOSES {
        if purpose == "transactional" {
            continue;
        }
        let c = crate::people::consent::Consent {
            channel: "sms",
            purpose,
            given: false,
            source: "sms-reply",
            source_ref: "",
            wording: body.trim(),
            meta: serde_json::json!({}),
        };
        crate::people::consent::append(&mut tx, g.organization_id, person, &c, "").await?;
    }
    db::mark_unsubscribed(&mut *tx, person).await?;
    tx.commit().await.map_err(kehilla_db::DbError::from)?;
    Ok(true)
}

/// A delivery receipt.
pub async fn receipt(db: &Db, g: &SmsGateway, id: &str, status: &str) -> Result<bool> {
    let status = match status.to_ascii_lowercase().as_str() {
        s @ ("queued" | "sending" | "sent" | "delivered" | "undelivered" | "failed" | "read") => {
            s.to_string()
        }
        _ => return Ok(false),
    };
    if id.is_empty() || id.len() > 100 {
        return Ok(false);
    }
    Ok(db::set_delivery(&db.pool, g.organization_id, id, &status).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_in_hebrew_and_english() {
        for s in ["הסר", " הסר. ", "STOP", "Stop", "unsubscribe", "הסרה"] {
            assert!(is_stop(s), "{s}");
        }
        for s in ["תודה", "stop it please", "", "הסר אותי מחר"] {
            assert!(!is_stop(s), "{s}");
        }
    }

    #[test]
    fn hebrew_is_ucs2_and_the_cost_follows_segments() {
        let e = estimate("שלום", 100, 5);
        assert_eq!((e.encoding, e.segments, e.per_segment), ("UCS-2", 1, 70));
        assert_eq!(e.cost, 500);
        let long: String = "א".repeat(71);
        let e = estimate(&long, 10, 5);
        assert_eq!((e.segments, e.per_segment), (2, 67));
        let e = estimate(&"a".repeat(161), 1, 1);
        assert_eq!((e.encoding, e.segments, e.per_segment), ("GSM-7", 2, 153));
        assert!(estimate(&"a".repeat(1601), 1, 1).too_long);
    }

    #[test]
    fn advertising_sms_says_so_and_how_to_stop() {
        let t = finish_text("מבצע חורף", true, "יד ביד", "he");
        assert_eq!(t, "פרסומת: מבצע חורף\nיד ביד · להסרה השיבו הסר");
        assert_eq!(finish_text(" תזכורת ", false, "יד ביד", "he"), "תזכורת");
    }

    #[test]
    fn twilio_signatures_follow_the_documented_example() {
        // Twilio's documented example (security docs): this URL, these parameters, this token.
        let params: Vec<(String, String)> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675310"),
            ("Digits", "1234"),
            ("From", "+14158675310"),
            ("To", "+18005551212"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let sig = twilio_signature(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            &params,
        );
        assert_eq!(sig, "GvWf1cFY/Q7PnoempGyD5oXAezc=");
    }
}
