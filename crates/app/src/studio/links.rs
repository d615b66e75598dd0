//! Tracked short links: `/l/{code}` redirects to the target with UTM parameters for the channel
//! (source = network, medium = social, campaign = the post's slug) and records a click — link,
//! channel, post, time, referrer host and a coarse device class. Bots are not counted and no
//! IP address is stored.
//!
//! Clicks are appended by one writer task in batches (a redirect does not wait for a commit).
//! On shutdown the server first finishes the requests in flight, then [`ClickRecorder::close`]
//! writes what is queued: a SIGTERM loses no click.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use kehilla_db::studio::{self, Click, Link, LinkData};
use kehilla_db::{Db, now_ms, random_hex};
use kehilla_domain::validate::InputError;
use tokio::sync::{mpsc, oneshot};

use super::posts::{self, is_web_address};
use crate::members::OrgMember;
use crate::{AppError, Result};

const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random 8-character code (about 46 bits).
pub fn new_code() -> String {
    let bytes = hex::decode(random_hex(8)).unwrap_or_default();
    bytes
        .iter()
        .map(|b| {
            let i = usize::from(*b) % ALPHABET.len();
            char::from(ALPHABET.get(i).copied().unwrap_or(b'a'))
        })
        .collect()
}

/// Adds UTM parameters to a web address, keeping its query and fragment. Parameters the
/// address already has are left as they are.
pub fn with_utm(target: &str, source: &str, campaign: &str) -> String {
    let (base, fragment) = match target.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (target, None),
    };
    let mut out = base.to_string();
    let has = |k: &str| {
        base.split_once('?')
            .map(|(_, q)| q.split('&').any(|p| p.split('=').next() == Some(k)))
            .unwrap_or(false)
    };
    let mut sep = if base.contains('?') { '&' } else { '?' };
    // A medium says nothing without a source: a link of no channel gets neither.
    let medium = match source {
        "" => "",
        "email" => "email",
        _ => "social",
    };
    for (k, v) in [
        ("utm_source", source),
        ("utm_medium", medium),
        ("utm_campaign", campaign),
    ] {
        if v.is_empty() || has(k) {
            continue;
        }
        out.push(sep);
        sep = '&';
        out.push_str(k);
        out.push('=');
        // A UTM value is encoded like a path segment: only unreserved characters stay.
        out.push_str(&crate::home::site::path_segment(v));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// A web address as it may stand in a `Location` header: every byte outside printable ASCII
/// percent-encoded (a Hebrew path, a Hebrew domain — which browsers decode and turn into
/// punycode), the rest as it was.
pub fn ascii_address(s: &str) -> std::borrow::Cow<'_, str> {
    const OUTSIDE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ');
    percent_encoding::utf8_percent_encode(s, OUTSIDE).into()
}

/// Where an organization's short links live: its own host when it set one (pointed at this
/// server, with this server's scheme), else this server's address.
pub async fn link_base(db: &Db, org: i64, base_url: &str) -> Result<String> {
    let s = studio::settings(&db.pool, org).await?;
    Ok(if s.link_host.is_empty() {
        base_url.trim_end_matches('/').to_string()
    } else {
        let scheme = base_url.split("://").next().unwrap_or("https");
        format!("{scheme}://{}", s.link_host)
    })
}

/// The short address of a code on this server.
pub fn short_url(base_url: &str, code: &str) -> String {
    format!("{}/l/{code}", base_url.trim_end_matches('/'))
}

/// What a tracked link belongs to and how it is tagged.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tag<'a> {
    pub post_id: Option<i64>,
    pub channel_id: Option<i64>,
    /// utm_source: the network.
    pub source: &'a str,
    /// utm_campaign: the post's slug (the campaign's id for email).
    pub campaign: &'a str,
    /// The email campaign the link is of.
    pub campaign_id: Option<i64>,
}

/// Makes (or finds) the tracked link for a target, for a post's channel or on its own.
pub async fn make(db: &Db, org: i64, tag: Tag<'_>, target: &str) -> Result<Link> {
    // The length as sent (as the API document counts it), the rest once trimmed.
    let long = target.chars().count() > 2000;
    let target = target.trim();
    if long || !is_web_address(target) || target.chars().any(char::is_control) {
        return Err(AppError::Input {
            field: "url",
            error: InputError::InvalidValue,
        });
    }
    let (post_id, channel_id, source) = (tag.post_id, tag.channel_id, tag.source);
    let destination = with_utm(&ascii_address(target), source, tag.campaign);
    if let Some(l) = studio::find_link(
        &db.pool,
        org,
        post_id,
        channel_id,
        tag.campaign_id,
        &destination,
    )
    .await?
    {
        return Ok(l);
    }
    for _ in 0..5 {
        let code = new_code();
        match studio::create_link(
            &db.pool,
            org,
            &LinkData {
                code: &code,
                post_id,
                channel_id,
                network: source,
                target,
                destination: &destination,
                campaign_id: tag.campaign_id,
            },
        )
        .await
        {
            Err(kehilla_db::DbError::Conflict(_)) => continue,
            other => return Ok(other?),
        }
    }
    Err(AppError::Internal("no free link code".into()))
}

/// Replaces every web address in every variant of a post with its tracked short link for that
/// channel. Addresses that already are short links of this server stay. Returns how many
/// addresses were replaced.
pub async fn track_post(db: &Db, by: &OrgMember, public_id: &str, base_url: &str) -> Result<usize> {
    let p = studio::post(&db.pool, by.org.id, public_id).await?;
    if !posts::can_edit(by, &p) {
        return Err(AppError::Forbidden);
    }
    let ours = short_url(base_url, "");
    let base = link_base(db, by.org.id, base_url).await?;
    let base_url = base.as_str();
    let prefix = short_url(base_url, "");
    let chans = studio::channels(&db.pool, by.org.id).await?;
    let mut replaced = 0;
    for v in studio::variants(&db.pool, by.org.id, p.id).await? {
        let Some(ch) = chans.iter().find(|c| c.id == v.channel_id) else {
            continue;
        };
        let mut parts = vec![v.body.clone()];
        parts.extend(posts::follow_ups(&v));
        let mut changed = false;
        for part in parts.iter_mut() {
            let mut out = String::new();
            let mut last = 0;
            // Collected first: the finder's iterator must not live across an await.
            let found: Vec<(usize, usize, String)> = linkify::LinkFinder::new()
                .links(part)
                .filter(|l| *l.kind() == linkify::LinkKind::Url)
                .map(|l| (l.start(), l.end(), l.as_str().to_string()))
                .collect();
            for (start, end, url) in found {
                let url = url.as_str();
                if url.starts_with(&prefix) || url.starts_with(&ours) || !is_web_address(url) {
                    continue;
                }
                let tag = Tag {
                    post_id: Some(p.id),
                    channel_id: Some(ch.id),
                    source: &ch.network,
                    campaign: &p.slug,
                    campaign_id: None,
                };
                let link = make(db, by.org.id, tag, url).await?;
                out.push_str(part.get(last..start).unwrap_or(""));
                out.push_str(&short_url(base_url, &link.code));
                last = end;
                replaced += 1;
                changed = true;
            }
            out.push_str(part.get(last..).unwrap_or(""));
            *part = out;
        }
        if changed {
            let (body, rest) = parts
                .split_first()
                .map(|(b, r)| (b.clone(), r.to_vec()))
                .unwrap_or_default();
            let json = serde_json::to_string(&rest).unwrap_or_else(|_| "[]".into());
            studio::put_variant(&db.pool, by.org.id, p.id, ch.id, &body, &json, true).await?;
        }
    }
    if replaced > 0 {
        studio::add_history(
            &db.pool,
            by.org.id,
            p.id,
            Some(by.user.id),
            "links-tracked",
            &replaced.to_string(),
        )
        .await?;
    }
    Ok(replaced)
}

/// Whether a user agent is a crawler, a link unfurler or a script rather than a person.
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    if ua.trim().is_empty() {
        return true;
    }
    const MARKS: [&str; 24] = [
        "bot",
        "crawl",
        "spider",
        "slurp",
        "facebookexternalhit",
        "facebookcatalog",
        "embedly",
        "preview",
        "curl/",
        "wget/",
        "python-requests",
        "python-urllib",
        "go-http-client",
        "okhttp",
        "headlesschrome",
        "lighthouse",
        "monitor",
        "pingdom",
        "uptime",
        "feedfetcher",
        "mastodon/",
        "akkoma",
        "pleroma",
        "whatsapp",
    ];
    MARKS.iter().any(|m| ua.contains(m))
}

/// A coarse device class: mobile, tablet, desktop or other.
pub fn device_class(user_agent: &str) -> &'static str {
    let ua = user_agent.to_ascii_lowercase();
    if ua.contains("ipad") || ua.contains("tablet") {
        "tablet"
    } else if ua.contains("mobi") || ua.contains("iphone") || ua.contains("android") {
        "mobile"
    } else if ua.contains("windows")
        || ua.contains("macintosh")
        || ua.contains("x11")
        || ua.contains("cros")
    {
        "desktop"
    } else {
        "other"
    }
}

/// The host of a referrer URL, lower-cased, without port; empty when there is none.
pub fn referrer_host(referer: &str) -> String {
    let rest = referer.split_once("://").map(|(_, r)| r).unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or("").to_string()
    };
    host.to_ascii_lowercase().chars().take(253).collect()
}

/// What a redirect needs of a link, kept in memory: links never change once made.
#[derive(Debug, Clone)]
pub struct Target {
    pub link_id: i64,
    pub organization_id: i64,
    pub post_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub destination: String,
    pub campaign_id: Option<i64>,
}

enum Msg {
    Click(Click),
    Flush(oneshot::Sender<()>),
}

/// Resolves codes and records clicks. Cheap to clone.
#[derive(Clone)]
pub struct ClickRecorder {
    db: Db,
    tx: mpsc::Sender<Msg>,
    cache: Arc<RwLock<HashMap<String, Arc<Target>>>>,
    writer: Arc<tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

const CACHE_MAX: usize = 100_000;
const BATCH_MAX: usize = 2_000;

impl ClickRecorder {
    /// Starts the writer task.
    pub fn start(db: Db) -> ClickRecorder {
        let (tx, rx) = mpsc::channel(65_536);
        let handle = tokio::spawn(writer(db.clone(), rx));
        ClickRecorder {
            db,
            tx,
            cache: Arc::new(RwLock::new(HashMap::new())),
            writer: Arc::new(tokio::sync::Mutex::new(Some(handle))),
        }
    }

    /// The link of a code, from memory or the database.
    pub async fn resolve(&self, code: &str) -> Result<Option<Arc<Target>>> {
        if code.is_empty() || code.len() > 32 {
            return Ok(None);
        }
        if let Ok(c) = self.cache.read()
            && let Some(t) = c.get(code)
        {
            return Ok(Some(t.clone()));
        }
        let Some(l) = studio::link_by_code(&self.db.pool, code).await? else {
            return Ok(None);
        };
        let t = Arc::new(Target {
            link_id: l.id,
            organization_id: l.organization_id,
            post_id: l.post_id,
            channel_id: l.channel_id,
            destination: l.destination,
            campaign_id: l.campaign_id,
        });
        if let Ok(mut c) = self.cache.write() {
            if c.len() >= CACHE_MAX {
                c.clear();
            }
            c.insert(code.to_string(), t.clone());
        }
        Ok(Some(t))
    }

    /// The campaign recipient a link's `m` parameter names, when its signature is right.
    pub async fn recipient(&self, token: &str) -> Option<i64> {
        if token.is_empty() || token.len() > 40 {
            return None;
        }
        let key = crate::people::links::key(&self.db).await.ok()?;
        crate::messaging::send::recipient_of(&key, token)
    }

    /// Queues a click of a person (bots are left out by the caller or here).
    pub async fn record(
        &self,
        t: &Target,
        user_agent: &str,
        referer: &str,
        recipient: Option<i64>,
    ) {
        if is_bot(user_agent) {
            return;
        }
        let click = Click {
            organization_id: t.organization_id,
            link_id: t.link_id,
            post_id: t.post_id,
            channel_id: t.channel_id,
            at: now_ms(),
            referrer_host: referrer_host(referer),
            device: device_class(user_agent),
            campaign_id: t.campaign_id,
            recipient_id: recipient.filter(|_| t.campaign_id.is_some()),
        };
        // A full queue makes the redirect wait rather than drop the click.
        if self.tx.send(Msg::Click(click)).await.is_err() {
            tracing::error!("click writer is gone; a click was not recorded");
        }
    }

    /// Waits until every click queued so far is written (tests and shutdown).
    pub async fn flush(&self) {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Msg::Flush(tx)).await.is_ok() {
            let _ = rx.await;
        }
    }

    /// Writes what is queued and stops the writer. Call after the server stopped taking requests.
    pub async fn close(&self) {
        self.flush().await;
        if let Some(h) = self.writer.lock().await.take() {
            h.abort();
            let _ = h.await;
        }
    }
}

async fn writer(db: Db, mut rx: mpsc::Receiver<Msg>) {
    let mut batch: Vec<Click> = Vec::with_capacity(BATCH_MAX);
    let mut waiting: Vec<oneshot::Sender<()>> = Vec::new();
    while let Some(first) = rx.recv().await {
        let take = |m: Msg, batch: &mut Vec<Click>, waiting: &mut Vec<oneshot::Sender<()>>| match m
        {
            Msg::Click(c) => batch.push(c),
            Msg::Flush(t) => waiting.push(t),
        };
        take(first, &mut batch, &mut waiting);
        while batch.len() < BATCH_MAX {
            match rx.try_recv() {
                Ok(m) => take(m, &mut batch, &mut waiting),
                Err(_) => break,
            }
        }
        // Retry a failed write (the database restarting) rather than lose the batch.
        let mut delay = 50u64;
        while let Err(e) = studio::record_clicks(&db, &batch).await {
            tracing::error!(error = %e, clicks = batch.len(), "recording clicks failed; retrying");
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            delay = (delay * 2).min(5_000);
        }
        batch.clear();
        for w in waiting.drain(..) {
            let _ = w.send(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm_parameters_are_added_once_and_keep_query_and_fragment() {
        assert_eq!(
            with_utm("https://a.example/x?y=1#top", "x", "יום-התנדבות"),
            "https://a.example/x?y=1&utm_source=x&utm_medium=social&utm_campaign=%D7%99%D7%95%D7%9D-%D7%94%D7%AA%D7%A0%D7%93%D7%91%D7%95%D7%AA#top"
        );
        assert_eq!(
            with_utm("https://a.example/?utm_source=mail", "x", "c"),
            "https://a.example/?utm_source=mail&utm_medium=social&utm_campaign=c"
        );
    }

    #[test]
    fn bots_devices_and_referrers() {
        assert!(is_bot(""));
        assert!(is_bot("facebookexternalhit/1.1"));
        assert!(is_bot("Mozilla/5.0 (compatible; Googlebot/2.1)"));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148";
        assert!(!is_bot(iphone));
        assert_eq!(device_class(iphone), "mobile");
        assert_eq!(
            device_class("Mozilla/5.0 (Windows NT 10.0; Win64; x64)"),
            "desktop"
        );
        assert_eq!(device_class("Mozilla/5.0 (iPad; CPU OS 17_0)"), "tablet");
        assert_eq!(referrer_host("https://User@T.co:443/abc?x"), "t.co");
        assert_eq!(referrer_host("not a url"), "");
    }

    #[test]
    fn codes_are_short_and_unambiguous() {
        let c = new_code();
        assert_eq!(c.len(), 8);
        assert!(c.bytes().all(|b| ALPHABET.contains(&b)));
    }
}
