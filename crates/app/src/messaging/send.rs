//! Sending a campaign to its audience, exactly once.
//!
//! 1. **Snapshot**: the audience through the consent gate (and without suppressed addresses)
//!    becomes the campaign's recipients, one row each (`campaign_recipients`), added in windows
//!    of person ids so that a crash part-way adds nobody twice.
//! 2. **Send log**: recipients are sent in id order, several at once over each relay's
//!    connections (lettre's pool). A recipient's row is written the moment its relay answers:
//!    `sent` after the relay's 250, `deferred` after a passing refusal (4xx, or a connection
//!    that broke before the relay took the message), `bounced` after a permanent one (5xx; the
//!    address is then suppressed). Only `queued` rows are sent, so a restart after a crash
//!    resumes with no gap and does not send again what was recorded. The one moment no sender
//!    can close is between the relay's 250 and the write of that row; a message sent again
//!    from there carries the same `Message-ID`, which receiving systems use to show it once.
//! 3. **Every message** has a per-recipient bounce address (VERP,
//!    `bounces+{token}@{bounce domain}`), a `Message-ID` made of the same token,
//!    `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058), and a DKIM signature
//!    (RSA-SHA256, relaxed/relaxed) that covers those headers when the organization has a key.
//!
//! One job per campaign (`mail.campaign-send`, keyed by the campaign) does all of it; pause,
//! resume and cancel are states of the campaign that the job reads between batches.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use futures::StreamExt;
use hmac::{Hmac, KeyInit, Mac};
use kehilla_db::messaging::{self as db, Campaign, Outcome, Recipient};
use kehilla_db::segments::Filter;
use kehilla_db::{Db, DbError, now_ms};
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::Sha256;

use super::render::{self, Footer, Templates};
use crate::jobs::{JobContext, JobError};
use crate::secrets::Sealer;

pub const SEND: &str = "mail.campaign-send";

/// The job's key: one sending job per campaign.
pub fn job_key(campaign: i64) -> String {
    format!("campaign-send-{campaign}")
}

/// Recipients read per batch (the campaign's state is read again between batches).
const BATCH: i64 = 200;
/// Person ids per snapshot window.
const WINDOW: i64 = 5_000;
/// Attempts after which a message that keeps being refused for a while is given up.
pub const MAX_ATTEMPTS: i64 = 6;

// ---- Recipient tokens: VERP address, Message-ID and click links ----

fn token_mac(key: &[u8], id: i64) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(b"kehilla-recipient:");
    mac.update(id.to_string().as_bytes());
    hex::encode(mac.finalize().into_bytes().get(..6).unwrap_or_default())
}

/// A recipient's token: `r{id in hex}x{signature}` (letters and digits only, so that it fits a
/// local part, a Message-ID and a query).
pub fn token(key: &[u8], id: i64) -> String {
    format!("r{id:x}x{}", token_mac(key, id))
}

/// The recipient a token names, when its signature is right.
pub fn recipient_of(key: &[u8], token: &str) -> Option<i64> {
    let rest = token.strip_prefix('r')?;
    let (id, sig) = rest.split_once('x')?;
    if id.is_empty() || id.len() > 15 || sig.len() != 12 {
        return None;
    }
    let id = i64::from_str_radix(id, 16).ok()?;
    crate::secrets::constant_eq(&token_mac(key, id), sig).then_some(id)
}

/// The key of recipient tokens (the instance's link-signing key).
pub async fn token_key(db: &Db) -> crate::Result<Vec<u8>> {
    crate::people::links::key(db).await
}

// ---- Relays ----

/// One SMTP relay with its connection pool and pace.
pub struct Relay {
    pub name: String,
    /// The pool, with the address it was built from (to build a fresh one after a timeout).
    transport: Option<(Mutex<AsyncSmtpTransport<Tokio1Executor>>, RelayUrl)>,
    pub connections: usize,
    /// Messages per second at most (0: no limit).
    per_second: u32,
    /// How long the relay may stay silent about one message (lettre limits only connecting).
    timeout: Duration,
    next: tokio::sync::Mutex<tokio::time::Instant>,
}

impl Relay {
    async fn pace(&self) {
        if self.per_second == 0 {
            return;
        }
        let interval = Duration::from_secs(1) / self.per_second;
        let at = {
            let mut next = self.next.lock().await;
            let now = tokio::time::Instant::now();
            let at = (*next).max(now);
            *next = at + interval;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

/// The relays campaigns go out through.
pub struct Relays {
    pub list: Vec<Relay>,
}

/// A message the built-in sink took: (recipient, message).
pub type SinkMessage = (String, Vec<u8>);

/// Where campaign mail goes when no relay is set: a sink in the server that takes every message
/// and keeps the last few (demo mode, and a server not yet set up).
pub fn sink() -> &'static Mutex<Vec<SinkMessage>> {
    static SINK: OnceLock<Mutex<Vec<SinkMessage>>> = OnceLock::new();
    SINK.get_or_init(|| Mutex::new(Vec::new()))
}

/// How many messages the built-in sink took since the server started.
pub fn sink_total() -> &'static std::sync::atomic::AtomicU64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    &N
}

/// A relay address read: lettre's URL, connections, messages per second (0: no limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayUrl {
    pub url: String,
    pub host: String,
    pub connections: usize,
    pub per_second: u32,
    /// Seconds a relay may stay silent before the message is taken as not delivered.
    pub timeout_secs: u64,
}

/// Reads a relay address: an SMTP URL (lettre's form: `smtp://user:pass@host:587`,
/// `smtps://…`, `?tls=required`) with three more parameters of ours, `connections` (default
/// 4), `per_second` (default no limit) and `timeout` (seconds a silent relay is waited for,
/// default 60).
pub fn parse_relay(url: &str) -> Result<RelayUrl, String> {
    let url = url.trim();
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut connections = 4usize;
    let mut per_second = 0u32;
    let mut timeout_secs = 60u64;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "connections" => {
                connections = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=64).contains(n))
                    .ok_or_else(|| format!("connections={v}: a number from 1 to 64"))?;
            }
            "per_second" => {
                per_second = v
                    .parse()
                    .map_err(|_| format!("per_second={v}: a whole number"))?;
            }
            "timeout" => {
                timeout_secs = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=600).contains(n))
                    .ok_or_else(|| format!("timeout={v}: seconds, from 1 to 600"))?;
            }
            _ => rest.push(pair),
        }
    }
    let lettre_url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    AsyncSmtpTransport::<Tokio1Executor>::from_url(&lettre_url)
        .map_err(|e| format!("not a relay address: {e}"))?;
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or(base)
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_string();
    Ok(RelayUrl {
        url: lettre_url,
        host,
        connections,
        per_second,
        timeout_secs,
    })
}

/// A relay's pooled transport (needs a running Tokio runtime).
fn relay_transport(r: &RelayUrl) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(&r.url)
        .map_err(|e| format!("not a relay address: {e}"))?
        .timeout(Some(Duration::from_secs(r.timeout_secs)))
        .pool_config(
            PoolConfig::new()
                .max_size(u32::try_from(r.connections).unwrap_or(4))
                .idle_timeout(Duration::from_secs(30)),
        )
        .build())
}

/// A relay with its pool (needs a running Tokio runtime).
fn open_relay(r: &RelayUrl) -> Result<Relay, String> {
    let transport = relay_transport(r)?;
    Ok(Relay {
        name: r.host.clone(),
        transport: Some((Mutex::new(transport), r.clone())),
        connections: r.connections,
        per_second: r.per_second,
        timeout: Duration::from_secs(r.timeout_secs),
        next: tokio::sync::Mutex::new(tokio::time::Instant::now()),
    })
}

fn built_in_sink() -> Relay {
    Relay {
        name: "sink".into(),
        transport: None,
        connections: 4,
        per_second: 0,
        timeout: Duration::from_secs(60),
        next: tokio::sync::Mutex::new(tokio::time::Instant::now()),
    }
}

/// The relays of these settings, built once per process (their pools are kept).
pub fn relays(settings: &crate::Settings) -> Result<Arc<Relays>, String> {
    type Cache = Mutex<Vec<(Vec<String>, Arc<Relays>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let urls: Vec<String> = if settings.campaign_relays.is_empty() {
        settings
            .smtp_url
            .iter()
            .map(|s| s.expose().trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        settings
            .campaign_relays
            .iter()
            .map(|s| s.expose().trim().to_string())
            .collect()
    };
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    if let Ok(c) = cache.lock()
        && let Some((_, r)) = c.iter().find(|(k, _)| *k == urls)
    {
        return Ok(r.clone());
    }
    let list = if urls.is_empty() {
        vec![built_in_sink()]
    } else {
        urls.iter()
            .map(|u| parse_relay(u).and_then(|r| open_relay(&r)))
            .collect::<Result<Vec<_>, _>>()?
    };
    let r = Arc::new(Relays { list });
    if let Ok(mut c) = cache.lock() {
        c.push((urls, r.clone()));
    }
    Ok(r)
}

/// Whether campaigns go to a real relay (false: the built-in sink).
pub fn has_relay(settings: &crate::Settings) -> bool {
    !settings.campaign_relays.is_empty()
        || settings
            .smtp_url
            .as_ref()
            .is_some_and(|s| !s.expose().trim().is_empty())
}

// ---- One campaign, ready to send ----

/// What every message of a campaign shares.
pub struct Prepared {
    pub campaign: Campaign,
    templates: Templates,
    footer: Footer,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    /// Replies go to the inbox (`replies+{token}@{bounce domain}`) when the sender names no
    /// reply address of its own and the inbound listener runs.
    inbox_replies: bool,
    dkim: Option<super::dkim::Signer>,
    /// The host of Message-IDs and of the VERP address.
    bounce_domain: String,
    base_url: String,
    key: Vec<u8>,
    /// Web address → tracked short link.
    links: Vec<(String, String)>,
    /// A block campaign's blocks and the organization's look.
    blocks: Option<(Vec<super::blocks::Block>, super::blocks::Look)>,
    /// Files attached: (name, type, bytes), read once.
    attachments: Vec<(String, String, Vec<u8>)>,
}

/// The headers a campaign message's DKIM signature covers.
pub const SIGNED: [&str; 10] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Reply-To",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "Content-Language",
    "MIME-Version",
];

fn bounce_domain(settings: &crate::Settings) -> String {
    match &settings.bounce_domain {
        Some(d) if !d.trim().is_empty() => d.trim().to_string(),
        _ => {
            let base = settings.base_url();
            let host = base
                .split("://")
                .nth(1)
                .unwrap_or(&base)
                .split(['/', ':'])
                .next()
                .unwrap_or("localhost");
            host.to_string()
        }
    }
}

/// The From of an organization's campaigns: its sender settings, else its name with the
/// server's own address.
pub fn from_of(
    sender: Option<&db::Sender>,
    org_name: &str,
    mail_from: &str,
) -> crate::Result<Mailbox> {
    let fallback: Address = match mail_from.parse::<Mailbox>() {
        Ok(m) => m.email,
        Err(_) => "kehilla@localhost"
            .parse()
            .map_err(|_| crate::AppError::Internal("no sender address".into()))?,
    };
    Ok(match sender {
        Some(s) if !s.from_address.is_empty() => {
            let name = if s.from_name.is_empty() {
                org_name
            } else {
                &s.from_name
            };
            Mailbox::new(
                Some(name.to_string()),
                s.from_address.parse().unwrap_or(fallback),
            )
        }
        _ => Mailbox::new(Some(org_name.to_string()), fallback),
    })
}

/// Gets a campaign ready: its templates parsed, its footer, sender, DKIM key and tracked links.
pub async fn prepare(
    ctx_db: &Db,
    settings: &crate::Settings,
    base_url: &str,
    c: Campaign,
) -> crate::Result<Prepared> {
    let org = kehilla_db::orgs::by_id(&ctx_db.pool, c.organization_id).await?;
    let legal = kehilla_db::orgs::legal_settings(&ctx_db.pool, org.id).await?;
    let sender = db::sender(&ctx_db.pool, org.id).await?;
    let (templates, blocks) = if c.format == "blocks" {
        let b = super::blocks::parse(&c.body).map_err(|e| crate::AppError::Conflict(e.code()))?;
        let t = super::blocks::templates(&c.subject, &b)
            .map_err(|e| crate::AppError::Conflict(e.code()))?;
        let look = super::campaigns::look(ctx_db, c.organization_id, base_url).await?;
        (t, Some((b, look)))
    } else {
        (
            Templates::new(&c.subject, &c.body).map_err(|e| crate::AppError::Conflict(e.code()))?,
            None,
        )
    };
    let dkim = match &sender {
        Some(s) if !s.dkim_key_sealed.is_empty() => {
            let sealer = Sealer::of_instance(ctx_db, settings).await?;
            let pem = sealer.open(&s.dkim_key_sealed)?;
            let signer = super::dkim::Signer::new(&pem, &s.dkim_domain, &s.dkim_selector, &SIGNED)
                .map_err(|e| crate::AppError::Internal(format!("DKIM key: {}", e.0)))?;
            Some(signer)
        }
        _ => None,
    };
    let from = from_of(sender.as_ref(), &org.name, &settings.mail_from)?;
    let reply_to = sender
        .as_ref()
        .filter(|s| !s.reply_to.is_empty())
        .and_then(|s| s.reply_to.parse().ok());
    let key = token_key(ctx_db).await?;
    let links = tracked_links(ctx_db, &c, base_url).await?;
    let mut attachments = Vec::new();
    let ids = super::campaigns::attachments_of(&c);
    if !ids.is_empty() {
        let storage = crate::studio::media::Storage::from_settings(settings);
        for id in ids {
            let m = kehilla_db::studio::media(&ctx_db.pool, c.organization_id, &id).await?;
            let (mime, bytes) =
                crate::studio::media::file(ctx_db, &storage, &id, "original").await?;
            attachments.push((m.file_name, mime, bytes));
        }
    }
    Ok(Prepared {
        footer: Footer {
            org_name: org.name.clone(),
            legal_name: legal.legal_name,
            contact: legal.contact_details,
            unsubscribe_url: String::new(),
            pixel_url: String::new(),
        },
        campaign: c,
        templates,
        from,
        inbox_replies: reply_to.is_none()
            && settings.inbound_smtp_listen.is_some()
            && settings
                .bounce_domain
                .as_ref()
                .is_some_and(|d| !d.trim().is_empty()),
        reply_to,
        dkim,
        bounce_domain: bounce_domain(settings),
        base_url: base_url.trim_end_matches('/').to_string(),
        key,
        links,
        blocks,
        attachments,
    })
}

/// A tracked short link for every web address of the campaign's body (made once; found again
/// on a restart).
async fn tracked_links(
    db: &Db,
    c: &Campaign,
    base_url: &str,
) -> crate::Result<Vec<(String, String)>> {
    let found: Vec<String> = linkify::LinkFinder::new()
        .links(&c.body)
        .filter(|l| *l.kind() == linkify::LinkKind::Url)
        .map(|l| l.as_str().trim_end_matches(')').to_string())
        .collect();
    let base = crate::studio::links::link_base(db, c.organization_id, base_url).await?;
    let mut out: Vec<(String, String)> = Vec::new();
    for url in found {
        if out.iter().any(|(u, _)| *u == url) || !crate::studio::posts::is_web_address(&url) {
            continue;
        }
        let tag = crate::studio::links::Tag {
            post_id: None,
            channel_id: None,
            source: "email",
            campaign: &c.public_id,
            campaign_id: Some(c.id),
        };
        let link = crate::studio::links::make(db, c.organization_id, tag, &url).await?;
        out.push((url, crate::studio::links::short_url(&base, &link.code)));
    }
    Ok(out)
}

/// A campaign message, made and signed.
pub struct Built {
    pub envelope: lettre::address::Envelope,
    pub bytes: Vec<u8>,
}

/// Why a message could not be made (a template that fails for this person, an address that is
/// not one): the recipient is `failed` with this reason.
#[derive(Debug)]
pub struct BuildError(pub String);

impl Prepared {
    /// The message for one recipient.
    pub fn build(&self, r: &Recipient, person_token: Option<&str>) -> Result<Built, BuildError> {
        let c = &self.campaign;
        let token = token(&self.key, r.id);
        let to: Address = r
            .address
            .parse()
            .map_err(|_| BuildError("address-invalid".into()))?;
        let unsubscribe = match person_token {
            Some(t) => crate::people::links::unsubscribe_url(&self.base_url, t),
            None => String::new(),
        };
        let mut footer = self.footer.clone();
        footer.unsubscribe_url = unsubscribe.clone();
        if c.open_tracking == 1 {
            footer.pixel_url = format!("{}/m/o/{token}.gif", self.base_url);
        }
        let values = serde_json::json!({
            "person": {
                "first_name": r.first_name.clone().unwrap_or_default(),
                "last_name": r.last_name.clone().unwrap_or_default(),
                "email": r.address,
            },
            "org": { "name": self.footer.org_name },
        });
        let rc = render::Campaign {
            lang: &c.lang,
            subject: &c.subject,
            markdown: &c.body,
            advertising: c.advertising == 1,
        };
        let link = |u: &str| match self.links.iter().find(|(from, _)| from == u) {
            Some((_, short)) => format!("{short}?m={token}"),
            None => u.to_string(),
        };
        let rendered = match &self.blocks {
            Some((blocks, look)) => {
                super::blocks::render(&self.templates, &rc, blocks, &values, &footer, look, &link)
            }
            None => render::render_with(&self.templates, &rc, &values, &footer, &link),
        }
        .map_err(|e| BuildError(e.code().to_string()))?;
        let bounce: Address = format!("bounces+{token}@{}", self.bounce_domain)
            .parse()
            .map_err(|_| BuildError("bounce-domain-invalid".into()))?;
        let envelope = lettre::address::Envelope::new(Some(bounce), vec![to.clone()])
            .map_err(|e| BuildError(e.to_string()))?;
        let mut b = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(rendered.subject)
            .message_id(Some(format!("<{token}@{}>", self.bounce_domain)))
            .envelope(envelope.clone());
        if let Some(r) = &self.reply_to {
            b = b.reply_to(r.clone());
        } else if self.inbox_replies
            && let Ok(a) = format!("replies+{token}@{}", self.bounce_domain).parse::<Address>()
        {
            b = b.reply_to(Mailbox::new(self.from.name.clone(), a));
        }
        let language = if c.lang == "en" { "en" } else { "he" };
        let alternative = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::Base64)
                    .body(rendered.text),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .header(ContentTransferEncoding::Base64)
                    .body(rendered.html),
            );
        let body = if self.attachments.is_empty() {
            alternative
        } else {
            let mut mixed = MultiPart::mixed().multipart(alternative);
            for (name, mime, bytes) in &self.attachments {
                let ct = ContentType::parse(mime).unwrap_or_else(|_| {
                    ContentType::parse("application/octet-stream")
                        .unwrap_or(ContentType::TEXT_PLAIN)
                });
                mixed = mixed.singlepart(
                    lettre::message::Attachment::new(name.clone()).body(bytes.clone(), ct),
                );
            }
            mixed
        };
        let mut msg = b.multipart(body).map_err(|e| BuildError(e.to_string()))?;
        let headers = msg.headers_mut();
        headers.insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            language.to_string(),
        ));
        if !unsubscribe.is_empty() {
            headers.insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{unsubscribe}>"),
            ));
            headers.insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
        }
        headers.insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("Feedback-ID"),
            format!("{}:{}:kehilla", c.public_id, c.organization_id),
        ));
        let bytes = msg.formatted();
        let bytes = match &self.dkim {
            Some(d) => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |t| t.as_secs());
                d.sign(&bytes, now).map_err(|e| BuildError(e.0))?
            }
            None => bytes,
        };
        Ok(Built { envelope, bytes })
    }

    /// The text of an SMS for one recipient.
    pub fn sms_text(&self, r: &Recipient) -> Result<String, BuildError> {
        let values = serde_json::json!({
            "person": {
                "first_name": r.first_name.clone().unwrap_or_default(),
                "last_name": r.last_name.clone().unwrap_or_default(),
                "email": "",
            },
            "org": { "name": self.footer.org_name },
        });
        let text = self
            .templates
            .fill("body", &values)
            .map_err(|e| BuildError(e.code().to_string()))?;
        Ok(super::sms::finish_text(
            &text,
            self.campaign.advertising == 1,
            &self.footer.org_name,
            &self.campaign.lang,
        ))
    }

    /// The signing key of person links (unsubscribe): made once per campaign run.
    pub fn person_token(&self, link_key: &[u8], person: &str) -> Option<String> {
        crate::people::links::token_with(link_key, person).ok()
    }
}

/// How long a deferred message waits before its next try.
pub fn retry_delay(attempts: i64) -> i64 {
    match attempts {
        ..=1 => 60_000,
        2 => 5 * 60_000,
        3 => 15 * 60_000,
        4 => 60 * 60_000,
        _ => 3 * 60 * 60_000,
    }
}

/// What a relay's answer (or its silence) means for the recipient.
pub fn outcome_of(r: &Result<(), lettre::transport::smtp::Error>, attempts: i64) -> Outcome {
    let e = match r {
        Ok(()) => return Outcome::Sent,
        Err(e) => e,
    };
    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
    let text = e.to_string();
    let error = if code.is_empty() {
        text.chars().take(300).collect()
    } else {
        format!("{code} {}", text.chars().take(300).collect::<String>())
    };
    if e.is_permanent() {
        return Outcome::Bounced { error };
    }
    // 4xx, a broken connection or a timeout: the relay did not take the message.
    passing(error, attempts)
}

/// Whether a permanent refusal is about the address (suppressed) rather than the message.
pub fn is_address_refusal(error: &str) -> bool {
    ["550", "551", "553", "5.1.1", "5.1.2", "5.1.10", "5.2.1"]
        .iter()
        .any(|c| error.starts_with(c) || error.contains(&format!(" {c} ")))
}

/// A relay that said nothing about a message within its time: it may or may not have it, and
/// it is tried again later (a copy then carries the same `Message-ID`).
pub fn silent_outcome(relay: &Relay, attempts: i64) -> Outcome {
    passing(
        format!(
            "timeout: {} did not answer within {} s",
            relay.name,
            relay.timeout.as_secs()
        ),
        attempts,
    )
}

/// A failure that may pass: tried again later, until the tries run out.
fn passing(error: String, attempts: i64) -> Outcome {
    if attempts + 1 >= MAX_ATTEMPTS {
        return Outcome::Failed {
            error: format!("gave-up: {error}"),
        };
    }
    Outcome::Deferred {
        next_at: now_ms() + retry_delay(attempts + 1),
        error,
    }
}

/// Sends one built message through a relay; `None` when the relay stayed silent too long.
async fn deliver(relay: &Relay, m: &Built) -> Option<Result<(), lettre::transport::smtp::Error>> {
    relay.pace().await;
    match &relay.transport {
        Some((cell, url)) => {
            let t = cell.lock().ok()?.clone();
            match tokio::time::timeout(relay.timeout, t.send_raw(&m.envelope, &m.bytes)).await {
                Ok(r) => Some(r.map(|_| ())),
                Err(_) => {
                    // A connection left waiting for its answer must not carry the next
                    // message (a late reply would be read as that one's): a new pool.
                    if let (Ok(mut g), Ok(fresh)) = (cell.lock(), relay_transport(url)) {
                        *g = fresh;
                    }
                    None
                }
            }
        }
        None => {
            sink_total().fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if let Ok(mut s) = sink().lock() {
                if s.len() >= 50 {
                    s.remove(0);
                }
                let to = m
                    .envelope
                    .to()
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                s.push((to, m.bytes.clone()));
            }
            Some(Ok(()))
        }
    }
}

/// A test hook: `KEHILLA_TEST_CRASH_AFTER=N` ends the process (as a SIGKILL would: no clean-up)
/// right after the Nth message the relay took and before it is recorded — the one window no
/// sender can close. For the crash tests only.
fn crash_hook() -> Option<u64> {
    static N: OnceLock<Option<u64>> = OnceLock::new();
    *N.get_or_init(|| {
        std::env::var("KEHILLA_TEST_CRASH_AFTER")
            .ok()
            .and_then(|v| v.parse().ok())
    })
}

fn count_and_maybe_crash() {
    static SENT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    if let Some(n) = crash_hook() {
        let done = SENT.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if done >= n {
            std::process::abort();
        }
    }
}

/// Adds the campaign's audience as its recipients (idempotent) and keeps the gate's count.
pub async fn snapshot(db: &Db, c: &Campaign) -> crate::Result<()> {
    let audience = super::campaigns::audience(db, c.organization_id, c).await?;
    let gate = super::campaigns::gate_of(db, c.organization_id, c).await?;
    let reachable = Filter::All {
        of: vec![
            audience,
            Filter::Reachable {
                channel: c.channel.clone(),
                purpose: c.purpose.clone(),
            },
        ],
    };
    let compiled = crate::people::segments::compile(db, c.organization_id, &reachable).await?;
    let column = if c.channel == "sms" { "phone" } else { "email" };
    let top = db::max_person_id(&db.pool, c.organization_id).await?;
    let mut after = 0;
    while after < top {
        let upto = after + WINDOW;
        db::add_recipients(
            &db.pool,
            c.organization_id,
            c.id,
            &compiled,
            column,
            after,
            upto,
        )
        .await?;
        after = upto;
    }
    let gate = serde_json::to_string(&gate).unwrap_or_default();
    db::mark_prepared(&db.pool, c.id, &gate).await?;
    Ok(())
}

/// Sends the campaign's queued recipients until none is left, the campaign is paused or
/// cancelled, or another run took it. Returns when the next deferred recipient is due, if any.
pub async fn run(ctx: &JobContext, c: Campaign, sender: &str) -> Result<Option<i64>, JobError> {
    let db = &ctx.db;
    let relays = relays(&ctx.settings).map_err(JobError::Permanent)?;
    let sms = if c.channel == "sms" {
        let s = super::sms::Sender::open(db, &ctx.settings, &ctx.base_url, c.organization_id)
            .await
            .map_err(JobError::from)?;
        let client = super::sms::http_client(&ctx.settings)
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        Some(Arc::new((s, client)))
    } else {
        None
    };
    let prepared = Arc::new(
        prepare(db, &ctx.settings, &ctx.base_url, c)
            .await
            .map_err(JobError::from)?,
    );
    let link_key = Arc::new(
        token_key(db)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?,
    );
    let campaign_id = prepared.campaign.id;
    let width: usize = relays
        .list
        .iter()
        .map(|r| r.connections)
        .sum::<usize>()
        .max(1);
    loop {
        let _ = db::requeue_deferred(&db.pool, campaign_id, now_ms()).await?;
        let mut after = 0;
        loop {
            if !db::still_sending(&db.pool, campaign_id, sender).await? {
                return Ok(None);
            }
            let batch = db::queued(&db.pool, campaign_id, after, BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            // Who withdrew since the campaign began does not get it.
            let ids: Vec<i64> = batch.iter().map(|r| r.id).collect();
            let gone = db::drop_withdrawn(&db.pool, &prepared.campaign, &ids).await?;
            let batch: Vec<Recipient> = batch
                .into_iter()
                .filter(|r| !gone.contains(&r.id))
                .collect();
            // Once an answer cannot be recorded (the database is away), nothing more of the
            // batch is sent: what is not recorded is sent again by the run that resumes.
            let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let results: Vec<kehilla_db::Result<()>> = futures::stream::iter(batch)
                .map(|r| {
                    let prepared = prepared.clone();
                    let link_key = link_key.clone();
                    let relays = relays.clone();
                    let db = db.clone();
                    let sms = sms.clone();
                    let stop = stop.clone();
                    async move {
                        if stop.load(std::sync::atomic::Ordering::SeqCst) {
                            return Ok(());
                        }
                        let rid = r.id;
                        let record = |outcome: Outcome| {
                            let db = db.clone();
                            let stop = stop.clone();
                            async move {
                                let r = db::record(&db.pool, rid, &outcome).await;
                                if r.is_err() {
                                    stop.store(true, std::sync::atomic::Ordering::SeqCst);
                                }
                                r.map(|_| outcome)
                            }
                        };
                        let attempts = r.attempts;
                        let id = r.id;
                        if let Some(sms) = sms {
                            let (outcome, provider) = match prepared.sms_text(&r) {
                                Ok(text) => {
                                    let t = token(&prepared.key, id);
                                    sms.0.send(&sms.1, &r.address, &text, &t, attempts).await
                                }
                                Err(BuildError(e)) => (Outcome::Failed { error: e }, None),
                            };
                            record(outcome).await?;
                            if let Some(p) = provider {
                                db::set_provider_id(&db.pool, id, &p, "sent").await?;
                            }
                            return Ok(());
                        }
                        let made = tokio::task::spawn_blocking(move || {
                            let person = r
                                .person_public_id
                                .as_deref()
                                .and_then(|p| prepared.person_token(&link_key, p));
                            prepared.build(&r, person.as_deref())
                        })
                        .await;
                        let outcome = match made {
                            Ok(Ok(m)) => {
                                // Building and pacing take time: look again just before sending.
                                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                                    return Ok(());
                                }
                                let n = relays.list.len().max(1);
                                let pick = usize::try_from(id + attempts).unwrap_or(0) % n;
                                let Some(relay) = relays.list.get(pick) else {
                                    return Ok(());
                                };
                                match deliver(relay, &m).await {
                                    Some(answer) => {
                                        if answer.is_ok() {
                                            count_and_maybe_crash();
                                        }
                                        outcome_of(&answer, attempts)
                                    }
                                    None => silent_outcome(relay, attempts),
                                }
                            }
                            Ok(Err(BuildError(e))) => Outcome::Failed { error: e },
                            Err(e) => Outcome::Failed {
                                error: e.to_string(),
                            },
                        };
                        let outcome = record(outcome).await?;
                        if let Outcome::Bounced { error } = &outcome
                            && is_address_refusal(error)
                        {
                            let (org, _, address, _) = db::recipient(&db.pool, id).await?;
                            db::suppress(&db.pool, org, &address, "hard-bounce", error).await?;
                        }
                        Ok(())
                    }
                })
                .buffer_unordered(width)
                .collect()
                .await;
            for r in results {
                r?;
            }
        }
        // Nothing queued: deferred ones wait for their time, else the campaign is sent (an
        // automation's step stays open for the next people).
        match db::next_deferred(&db.pool, campaign_id).await? {
            Some(at) if at > now_ms() => return Ok(Some(at)),
            Some(_) => continue,
            None if prepared.campaign.status == "automation" => return Ok(None),
            None => {
                db::finish(&db.pool, campaign_id, sender).await?;
                return Ok(None);
            }
        }
    }
}

/// Sends a campaign: snapshot, then the send log.
pub struct SendJob;

impl crate::jobs::JobHandler for SendJob {
    fn kind(&self) -> &'static str {
        SEND
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a kehilla_db::jobs::Claimed,
    ) -> futures::future::BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let id = crate::jobs::payload_id(job, "campaign")?;
            let c = match db::by_id(&ctx.db.pool, id).await {
                Ok(c) => c,
                Err(DbError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            match c.status.as_str() {
                "scheduled" => {
                    if let Some(at) = c.scheduled_at.filter(|at| *at > now_ms()) {
                        return Err(JobError::Later {
                            at,
                            reason: "scheduled".into(),
                        });
                    }
                }
                "sending" | "automation" => {}
                // Paused, cancelled, sent or back to draft: nothing to do now (resuming queues
                // the job again).
                _ => return Ok(()),
            }
            if !db::take(&ctx.db.pool, id, &job.lease_token).await? {
                return Ok(());
            }
            let c = db::by_id(&ctx.db.pool, id).await?;
            if c.prepared == 0 {
                snapshot(&ctx.db, &c)
                    .await
                    .map_err(|e| JobError::Retry(e.to_string()))?;
            }
            let c = db::by_id(&ctx.db.pool, id).await?;
            match run(ctx, c, &job.lease_token).await? {
                Some(at) => Err(JobError::Later {
                    at,
                    reason: "deferred recipients".into(),
                }),
                None => Ok(()),
            }
        })
    }
}

/// Queues (again) the sending job of every campaign that should be sending: the safety net for
/// a job that ended while its campaign was resumed. Called once a minute.
pub async fn enqueue_due(db: &Db) -> kehilla_db::Result<usize> {
    let mut n = 0;
    for (id, org) in db::due(&db.pool, now_ms()).await? {
        if wake(db, id, org, now_ms()).await? {
            n += 1;
        }
    }
    Ok(n)
}

/// Makes sure the campaign's job is queued to run at `at` (creating it the first time).
pub async fn wake(db: &Db, campaign: i64, org: i64, at: i64) -> kehilla_db::Result<bool> {
    let key = job_key(campaign);
    let job = kehilla_db::jobs::NewJob::new(SEND, serde_json::json!({ "campaign": campaign }))
        .org(org)
        .unique(key.clone())
        .at(at)
        .max_attempts(20);
    if kehilla_db::jobs::enqueue(&db.pool, job).await?.is_some() {
        return Ok(true);
    }
    kehilla_db::jobs::requeue(&db.pool, &key, at).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_their_recipient_and_refuse_forgery() {
        let key = b"0123456789abcdef0123456789abcdef";
        let t = token(key, 123_456);
        assert!(t.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(recipient_of(key, &t), Some(123_456));
        assert_eq!(recipient_of(b"another key another key another k", &t), None);
        let forged = t.replacen("r1e240", "r1e241", 1);
        assert_eq!(recipient_of(key, &forged), None);
        assert_eq!(recipient_of(key, "rx"), None);
        assert_eq!(recipient_of(key, ""), None);
    }

    /// A relay's pace on tokio's paused clock: exact, and no real waiting.
    #[tokio::test(start_paused = true)]
    async fn a_relay_is_paced_to_its_messages_per_second() {
        let relay = Relay {
            name: "paced".into(),
            transport: None,
            connections: 4,
            per_second: 4,
            timeout: Duration::from_secs(60),
            next: tokio::sync::Mutex::new(tokio::time::Instant::now()),
        };
        let start = tokio::time::Instant::now();
        // Nine messages from several senders at once: the first at once, then one per 250 ms.
        let times = futures::future::join_all((0..9).map(|_| async {
            relay.pace().await;
            tokio::time::Instant::now() - start
        }))
        .await;
        let mut ms: Vec<u128> = times.iter().map(|d| d.as_millis()).collect();
        ms.sort_unstable();
        assert_eq!(ms, vec![0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
        // Unpaced, nothing waits.
        let free = Relay {
            per_second: 0,
            name: "free".into(),
            transport: None,
            connections: 1,
            timeout: Duration::from_secs(60),
            next: tokio::sync::Mutex::new(tokio::time::Instant::now()),
        };
        let start = tokio::time::Instant::now();
        for _ in 0..100 {
            free.pace().await;
        }
        assert_eq!(tokio::time::Instant::now(), start);
    }

    #[test]
    fn relay_addresses_take_our_parameters_and_refuse_nonsense() {
        let r = parse_relay("smtp://u:p@127.0.0.1:2525?connections=8&per_second=100&tls=required")
            .unwrap();
        assert_eq!((r.connections, r.per_second, r.timeout_secs), (8, 100, 60));
        assert_eq!(r.host, "127.0.0.1:2525");
        assert_eq!(parse_relay("smtp://h?timeout=5").unwrap().timeout_secs, 5);
        assert!(parse_relay("smtp://h?timeout=0").is_err());
        assert!(parse_relay("smtp://h?timeout=soon").is_err());
        assert_eq!(r.url, "smtp://u:p@127.0.0.1:2525?tls=required");
        assert!(parse_relay("smtp://h?connections=0").is_err());
        assert!(parse_relay("nonsense").is_err());
    }

    #[test]
    fn refusals_are_classed() {
        assert!(is_address_refusal("550 5.1.1 no such user"));
        assert!(!is_address_refusal("554 5.7.1 message refused"));
        assert!(retry_delay(1) < retry_delay(2) && retry_delay(4) < retry_delay(9));
    }
}
