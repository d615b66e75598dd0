//! Publishing: what the Studio schedules goes out to the networks, exactly once.
//!
//! When a scheduled post's time comes, [`dispatch_due`] makes one publication per (post,
//! channel) and one durable job for it, in one transaction; the job's unique key and the
//! publication's unique (post, channel) make that safe on several servers at once. The job
//! ([`PublishJob`]) saves the publication's state before every remote call; each part of a
//! thread is recorded as soon as it is out, so a retry continues where it stopped. A network
//! that de-duplicates by key (Mastodon's `Idempotency-Key`) is simply retried after a timeout;
//! one that cannot be asked whether a post went out is never retried blindly: the publication
//! becomes `unknown` and a person checks.
//!
//! Errors are classed ([`PublishError`]): try again later, rate limited (the connection is
//! blocked until the network's reset time), connect again, content refused, outcome unknown.

pub mod bluesky;
pub mod demo;
pub mod facebook;
pub mod figures;
pub mod graph;
pub mod instagram;
pub mod linkedin;
pub mod mastodon;
pub mod oauth;
pub mod profile;
pub mod remove;
pub mod renew;
pub mod telegram;
pub mod threads;
pub mod x;

use futures::future::BoxFuture;
use kehilla_db::jobs::Claimed;
use kehilla_db::publishing::{self as db, Connection};
use kehilla_db::studio::{self, Channel, Post};
use kehilla_db::{Db, now_ms};
use serde::Serialize;

use crate::jobs::{JobContext, JobError, JobHandler};
use crate::secrets::Sealer;
use crate::studio::media::Storage;
use crate::studio::posts;
use crate::{AppError, Result};

/// Why a call to a network did not publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishError {
    /// A passing failure (5xx, timeout, a broken answer); safe to try again (the network drops
    /// a repeat by its key).
    Retry(String),
    /// Too many calls: no call before `until` (Unix ms).
    RateLimited { until: i64 },
    /// The token is invalid, expired or revoked: the channel must be connected again.
    Reconnect(String),
    /// The network refused the content; sending it again would fail the same way.
    Rejected(String),
    /// The call may or may not have published, and the network cannot tell: a person checks.
    Unknown(String),
    /// The network's API does not offer this (what is named).
    Unsupported(&'static str),
}

impl PublishError {
    /// The stable code shown (translated) to the team.
    pub fn code(&self) -> &'static str {
        match self {
            PublishError::Retry(_) => "publish-retry",
            PublishError::RateLimited { .. } => "publish-rate-limited",
            PublishError::Reconnect(_) => "publish-reconnect",
            PublishError::Rejected(_) => "publish-rejected",
            PublishError::Unknown(_) => "publish-unknown",
            PublishError::Unsupported(_) => "publish-unsupported",
        }
    }
    pub fn detail(&self) -> String {
        match self {
            PublishError::RateLimited { until } => format!("until {until}"),
            PublishError::Unsupported(what) => (*what).to_string(),
            PublishError::Retry(s)
            | PublishError::Reconnect(s)
            | PublishError::Rejected(s)
            | PublishError::Unknown(s) => s.clone(),
        }
    }
}

/// A connection's address and opened token, for one call.
#[derive(Clone)]
pub struct Access {
    pub server_url: String,
    pub token: String,
    /// The account or chat to publish to, where the token alone does not say (Telegram).
    pub account: String,
}

/// A file to attach.
#[derive(Clone)]
pub struct Attachment {
    pub bytes: Vec<u8>,
    pub mime: String,
    pub file_name: String,
    pub alt_text: String,
    /// The file's public address on this server, for networks that fetch media themselves
    /// (Instagram, Threads).
    pub url: String,
}

/// One part of a publication to send.
#[derive(Clone, Copy)]
pub struct Part<'a> {
    pub text: &'a str,
    pub reply_to: Option<&'a str>,
    pub media: &'a [Attachment],
    pub key: &'a str,
    pub again: bool,
    /// When the post was due (Unix ms): with `key`, what a network that takes a record key
    /// from the client (Bluesky) derives it from.
    pub at: i64,
}

/// One published part: the network's id and the public address.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Published {
    pub id: String,
    pub url: String,
}

/// What a connected account turned out to be.
#[derive(Debug, Clone)]
pub struct Account {
    /// The account as later calls name it (kept with the connection): `@name@server` on
    /// Mastodon, the chat id on Telegram.
    pub name: String,
    /// The server's own text limit, when it says (Mastodon).
    pub char_limit: Option<i64>,
}

/// The text (or number, as text) at a JSON pointer of a network's answer, or empty.
pub(crate) fn text_at(v: &serde_json::Value, path: &str) -> String {
    match v.pointer(path) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A rate limit a network announced in its headers: no call before `until` (Unix ms), for
/// the account (`app` false) or for every account of Kehilla's app on that network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub app: bool,
    pub until: i64,
}

/// What an adapter has seen of the network's limits since it was last asked.
#[derive(Default)]
pub(crate) struct Watch(std::sync::Mutex<Vec<Limit>>);

impl Watch {
    pub(crate) fn note(&self, limit: Limit) {
        if let Ok(mut v) = self.0.lock() {
            v.push(limit);
        }
    }
    pub(crate) fn take(&self) -> Vec<Limit> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

/// The kinds a network's figure can measure, in the order they are shown.
pub const METRIC_KINDS: [&str; 7] = [
    "views", "likes", "replies", "shares", "quotes", "saves", "clicks",
];

/// Names set in the settings (`metric_names`), consulted before the built-in map.
static METRIC_NAMES: std::sync::OnceLock<std::collections::BTreeMap<String, &'static str>> =
    std::sync::OnceLock::new();

/// Checks the `metric_names` setting: (name, kind) pairs where a kind is one of
/// [`METRIC_KINDS`] or empty.
pub fn check_metric_names(
    names: &std::collections::BTreeMap<String, String>,
) -> std::result::Result<std::collections::BTreeMap<String, &'static str>, String> {
    names
        .iter()
        .map(|(name, kind)| {
            let k = kind.trim();
            if k.is_empty() {
                return Ok((name.clone(), ""));
            }
            METRIC_KINDS
                .iter()
                .find(|x| **x == k)
                .map(|x| (name.clone(), *x))
                .ok_or_else(|| {
                    format!(
                        "metric_names: \"{name}\" = \"{kind}\" is not a kind; use one of {}, or \"\" to leave it out",
                        METRIC_KINDS.join(", ")
                    )
                })
        })
        .collect()
}

/// Installs the `metric_names` setting for this process (the first call wins: one server, one
/// setting).
pub fn set_metric_names(
    names: &std::collections::BTreeMap<String, String>,
) -> std::result::Result<(), String> {
    let checked = check_metric_names(names)?;
    if !checked.is_empty() {
        let _ = METRIC_NAMES.set(checked);
    }
    Ok(())
}

/// What a network's metric measures, for showing it: (order, kind), the kind empty when
/// unknown. The names are the networks' own (`like_count`, `favourites_count`, `likeCount`…);
/// the `metric_names` setting adds to them and overrides them.
pub fn metric_kind(name: &str) -> (u8, &'static str) {
    metric_kind_with(METRIC_NAMES.get(), name)
}

/// [`metric_kind`] with the given overrides.
pub fn metric_kind_with(
    overrides: Option<&std::collections::BTreeMap<String, &'static str>>,
    name: &str,
) -> (u8, &'static str) {
    if let Some(kind) = overrides.and_then(|o| o.get(name)) {
        let order = METRIC_KINDS
            .iter()
            .position(|k| k == kind)
            .map_or(9, |p| p as u8);
        return (order, kind);
    }
    match name {
        "impression_count" | "views" | "post_total_media_view_unique" | "reach" => (0, "views"),
        "like_count"
        | "favourites_count"
        | "likeCount"
        | "totalLikes"
        | "likes"
        | "post_reactions_by_type_total" => (1, "likes"),
        "reply_count"
        | "replies_count"
        | "replyCount"
        | "totalFirstLevelComments"
        | "comments"
        | "replies" => (2, "replies"),
        "retweet_count" | "reblogs_count" | "repostCount" | "reposts" | "shares" => (3, "shares"),
        "quote_count" | "quotes_count" | "quoteCount" | "quotes" => (4, "quotes"),
        "bookmark_count" | "bookmarkCount" | "saved" => (5, "saves"),
        "post_clicks" => (6, "clicks"),
        _ => (9, ""),
    }
}

/// A comment or reply read from a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Comment {
    /// The network's id of the comment (what [`Adapter::reply`] answers).
    pub id: String,
    /// What it answers: the post's id or another comment's.
    pub parent_id: String,
    /// The author as the network names them: a stable id and a handle or display name.
    pub author_id: String,
    pub author: String,
    pub text: String,
    /// As the network gives it (RFC 3339 on most).
    pub created_at: String,
    /// Its public address, where the network has one.
    pub url: String,
}

/// The figures of one published post, under the network's own names (`likes`, `reposts`,
/// `views`…): Measure maps them, because the networks rename them.
pub type Metrics = std::collections::BTreeMap<String, i64>;

/// The organization's public profile, pushed to the networks that let an app change it.
#[derive(Clone, Default)]
pub struct Profile {
    pub name: String,
    pub description: String,
    pub website: String,
    /// The logo (a PNG or JPEG), when there is one.
    pub logo: Option<Attachment>,
}

fn unsupported<'a, T: Send + 'a>(
    what: &'static str,
) -> BoxFuture<'a, std::result::Result<T, PublishError>> {
    Box::pin(async move { Err(PublishError::Unsupported(what)) })
}

/// One network's API. Besides publishing, an adapter deletes, reads a post's figures and
/// comments, and replies, where the network's API allows it (the others answer
/// [`PublishError::Unsupported`]).
pub trait Adapter: Send + Sync {
    /// Checks the token and names the account.
    fn verify<'a>(
        &'a self,
        access: &'a Access,
    ) -> BoxFuture<'a, std::result::Result<Account, PublishError>>;
    /// Publishes one part: the first carries the attachments, the others answer the previous
    /// part (a thread). `key` is unique per publication and part. `again` says an earlier
    /// attempt of this part may have gone out: a network without keys looks for it first.
    fn publish<'a>(
        &'a self,
        access: &'a Access,
        part: Part<'a>,
    ) -> BoxFuture<'a, std::result::Result<Published, PublishError>>;
    /// Deletes a published post (or part). A post that is already gone counts as deleted.
    fn delete<'a>(
        &'a self,
        _access: &'a Access,
        _id: &'a str,
    ) -> BoxFuture<'a, std::result::Result<(), PublishError>> {
        unsupported("delete")
    }
    /// How often Measure asks [`Adapter::followers`], in milliseconds (an hour, unless a
    /// network bills or limits the call so that less often is wiser).
    fn followers_every(&self) -> i64 {
        3_600_000
    }
    /// How many follow the account now (Measure's hourly collection).
    fn followers<'a>(
        &'a self,
        _access: &'a Access,
    ) -> BoxFuture<'a, std::result::Result<i64, PublishError>> {
        unsupported("followers")
    }
    /// Reads a published post's figures.
    fn metrics<'a>(
        &'a self,
        _access: &'a Access,
        _id: &'a str,
    ) -> BoxFuture<'a, std::result::Result<Metrics, PublishError>> {
        unsupported("metrics")
    }
    /// Reads the comments and replies under a published post, oldest first.
    fn comments<'a>(
        &'a self,
        _access: &'a Access,
        _id: &'a str,
    ) -> BoxFuture<'a, std::result::Result<Vec<Comment>, PublishError>> {
        unsupported("comments")
    }
    /// Answers a post or a comment. `key` is unique per answer (networks with keys de-duplicate
    /// a repeat by it).
    fn reply<'a>(
        &'a self,
        _access: &'a Access,
        _to: &'a str,
        _text: &'a str,
        _key: &'a str,
    ) -> BoxFuture<'a, std::result::Result<Published, PublishError>> {
        unsupported("reply")
    }
    /// Mentions of the account since `cursor` (empty: the recent ones), oldest first, and the
    /// cursor to ask from next time.
    fn mentions<'a>(
        &'a self,
        _access: &'a Access,
        _cursor: &'a str,
    ) -> BoxFuture<'a, std::result::Result<(Vec<Comment>, String), PublishError>> {
        unsupported("mentions")
    }
    /// Likes a post or comment in the organization's name.
    fn like<'a>(
        &'a self,
        _access: &'a Access,
        _id: &'a str,
    ) -> BoxFuture<'a, std::result::Result<(), PublishError>> {
        unsupported("like")
    }
    /// Hides a comment on the organization's post from the public (it stays for its author).
    fn hide<'a>(
        &'a self,
        _access: &'a Access,
        _id: &'a str,
    ) -> BoxFuture<'a, std::result::Result<(), PublishError>> {
        unsupported("hide")
    }
    /// The rate limits the network announced in the headers of the calls made so far (each
    /// once): the publisher waits them out before its next call instead of failing.
    fn take_limits(&self) -> Vec<Limit> {
        Vec::new()
    }
    /// Sets the account's public description, website and picture, where the API allows it.
    fn push_profile<'a>(
        &'a self,
        _access: &'a Access,
        _profile: &'a Profile,
    ) -> BoxFuture<'a, std::result::Result<(), PublishError>> {
        unsupported("profile")
    }
}

pub(crate) fn posts_is_web_address(s: &str) -> bool {
    posts::is_web_address(s)
}

/// Whether Kehilla can publish to a network.
pub fn supported(network: &str) -> bool {
    matches!(
        network,
        "mastodon"
            | "telegram"
            | "x"
            | "linkedin"
            | "instagram"
            | "facebook"
            | "threads"
            | "bluesky"
    )
}

/// The adapter of a network, when Kehilla can publish there. Its calls refuse private and
/// loopback addresses unless `allow_private` (the `fetch_private` test setting).
pub fn adapter(network: &str, allow_private: bool) -> Option<Box<dyn Adapter>> {
    fn boxed<A: Adapter + 'static>(a: Option<A>) -> Option<Box<dyn Adapter>> {
        a.map(|a| Box::new(a) as Box<dyn Adapter>)
    }
    let p = allow_private;
    match network {
        "mastodon" => boxed(mastodon::Mastodon::new(p)),
        "telegram" => boxed(telegram::Telegram::new(p)),
        "x" => boxed(x::X::new(p)),
        "linkedin" => boxed(linkedin::LinkedIn::new(p)),
        "instagram" => boxed(instagram::Instagram::new(p)),
        "facebook" => boxed(facebook::Facebook::new(p)),
        "threads" => boxed(threads::Threads::new(p)),
        "bluesky" => boxed(bluesky::Bluesky::new(p)),
        _ => None,
    }
}

/// The adapter for a connection: the built-in demo network for a demo connection, otherwise
/// the network's.
pub fn adapter_for(
    network: &str,
    server_url: &str,
    allow_private: bool,
) -> Option<Box<dyn Adapter>> {
    if demo::is_demo(server_url) {
        return Some(Box::new(demo::Demo::new(network)));
    }
    adapter(network, allow_private)
}

/// A connected channel ready for calls outside publishing (the inbox's polls, answers, likes).
pub(crate) struct Opened {
    pub conn: Connection,
    pub network: String,
    pub adapter: Box<dyn Adapter>,
    pub access: Access,
}

/// Opens a channel for a call at `now`: `Reconnect` when it is not connected (or must be
/// connected again, or its server is not allowed), `RateLimited` while the account or the app
/// waits out a limit, `Unsupported` when Kehilla has no adapter for its network.
pub(crate) async fn open_channel(
    db: &Db,
    settings: &crate::Settings,
    org: i64,
    channel: i64,
    now: i64,
) -> std::result::Result<Opened, PublishError> {
    let internal = |e: kehilla_db::DbError| PublishError::Retry(e.to_string());
    let conn = db::connection(&db.pool, org, channel)
        .await
        .map_err(internal)?
        .ok_or_else(|| PublishError::Reconnect("the channel is not connected".into()))?;
    if conn.needs_reconnect == 1 {
        return Err(PublishError::Reconnect(conn.last_error.clone()));
    }
    if !server_allowed(&conn.server_url, settings.fetch_private) {
        return Err(PublishError::Reconnect(
            "the server's address is not allowed".into(),
        ));
    }
    let network = studio::channel_network(&db.pool, channel)
        .await
        .map_err(internal)?;
    let app_block = db::app_blocked(&db.pool, &network, now)
        .await
        .map_err(internal)?;
    if let Some(until) = conn.blocked_until.filter(|t| *t > now).max(app_block) {
        return Err(PublishError::RateLimited { until });
    }
    let adapter = adapter_for(&network, &conn.server_url, settings.fetch_private)
        .ok_or(PublishError::Unsupported("network"))?;
    let sealer = Sealer::of_instance(db, settings)
        .await
        .map_err(|e| PublishError::Retry(e.to_string()))?;
    let access = access_of(&conn, &sealer).map_err(|e| PublishError::Retry(e.to_string()))?;
    Ok(Opened {
        conn,
        network,
        adapter,
        access,
    })
}

/// A connection's address and opened token, for calls. A demo connection keeps no token.
pub fn access_of(conn: &Connection, sealer: &Sealer) -> Result<Access> {
    Ok(Access {
        server_url: conn.server_url.clone(),
        token: if demo::is_demo(&conn.server_url) {
            String::new()
        } else {
            sealer.open(&conn.token_sealed)?
        },
        account: conn.account.clone(),
    })
}

/// Whether a connection's server may be called: a demo connection, or an address the SSRF guard
/// allows.
pub fn server_allowed(server_url: &str, allow_private: bool) -> bool {
    demo::is_demo(server_url) || check_server(server_url, allow_private).is_ok()
}

/// The HTTP client of the adapters: through the SSRF guard, with time limits. `None` when it
/// cannot be built (then nothing is published rather than calls going unguarded). Built once per
/// process and kind: building one loads the system's certificates, which costs more than a call.
pub(crate) fn http(allow_private: bool, timeout_secs: u64) -> Option<reqwest::Client> {
    static CLIENTS: std::sync::LazyLock<
        std::sync::Mutex<std::collections::HashMap<(bool, u64), reqwest::Client>>,
    > = std::sync::LazyLock::new(Default::default);
    let key = (allow_private, timeout_secs);
    if let Some(c) = CLIENTS.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Some(c);
    }
    let client = kehilla_net::guarded_builder(allow_private)
        .timeout(std::time::Duration::from_secs(timeout_secs))
        .connect_timeout(std::time::Duration::from_secs(10))
        .user_agent("Kehilla")
        .build()
        .map_err(|e| tracing::error!(error = %e, "the publishing HTTP client cannot be built"))
        .ok()?;
    if let Ok(mut m) = CLIENTS.lock() {
        m.insert(key, client.clone());
    }
    Some(client)
}

/// A call that failed on the way: a passing failure (networks that keep no key reconcile before
/// they try again).
pub(crate) fn transport(who: &str, e: &reqwest::Error) -> PublishError {
    PublishError::Retry(if e.is_timeout() {
        format!("{who} did not answer in time")
    } else {
        format!("{who} could not be reached")
    })
}

/// Checks an address a user gave for a network's server: http(s), public unless allowed.
pub fn check_server(url: &str, allow_private: bool) -> Result<()> {
    kehilla_net::validate_url(url, allow_private)
        .map(|_| ())
        .map_err(|_| AppError::Input {
            field: "server_url",
            error: kehilla_domain::validate::InputError::InvalidValue,
        })
}

/// Connects a channel with a server address and an access token: checks them with the network
/// first, keeps the token sealed, and takes the server's text limit.
/// What connecting a channel takes: the server's address, the token and, where the token alone
/// does not say it, the account or chat.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    pub server_url: &'a str,
    pub token: &'a str,
    pub account: &'a str,
    /// What renews the token (a refresh token; for Instagram and Threads the token itself),
    /// or empty.
    pub refresh: &'a str,
    /// When the token expires (Unix ms), when it does.
    pub expires_at: Option<i64>,
}

impl<'a> Credentials<'a> {
    /// A token made on the network's side, with no known expiry.
    pub fn token(server_url: &'a str, token: &'a str, account: &'a str) -> Credentials<'a> {
        Credentials {
            server_url,
            token,
            account,
            refresh: "",
            expires_at: None,
        }
    }
}

pub async fn connect(
    db: &Db,
    sealer: &Sealer,
    by: &crate::members::OrgMember,
    channel_public_id: &str,
    creds: Credentials<'_>,
    allow_private: bool,
) -> Result<Account> {
    let (server_url, token, account) = (creds.server_url, creds.token, creds.account);
    let ch = studio::channel(&db.pool, by.org.id, channel_public_id).await?;
    check_server(server_url.trim(), allow_private)?;
    let Some(a) = adapter(&ch.network, allow_private) else {
        return Err(AppError::Conflict("network-not-supported"));
    };
    let server_url = server_url.trim().trim_end_matches('/').to_string();
    if !posts::is_web_address(&server_url) || token.trim().is_empty() {
        return Err(AppError::Input {
            field: "server_url",
            error: kehilla_domain::validate::InputError::InvalidValue,
        });
    }
    let access = Access {
        server_url: server_url.clone(),
        token: token.trim().to_string(),
        account: account.trim().to_string(),
    };
    let account = a.verify(&access).await.map_err(|e| {
        tracing::info!(error = ?e, "connection refused");
        AppError::Conflict("connection-refused")
    })?;
    let sealed = sealer.seal(&access.token)?;
    let refresh_sealed = if creds.refresh.is_empty() {
        String::new()
    } else {
        sealer.seal(creds.refresh)?
    };
    let mut tx = db.begin().await?;
    let new = db::NewConnection {
        server_url: &server_url,
        account: &account.name,
        token_sealed: &sealed,
        refresh_sealed: &refresh_sealed,
        expires_at: creds.expires_at,
    };
    db::connect(&mut *tx, by.org.id, ch.id, &new).await?;
    if let Some(limit) = account.char_limit {
        studio::set_char_limit(&mut *tx, by.org.id, ch.id, limit).await?;
    }
    tx.commit().await?;
    Ok(account)
}

pub const PUBLISH: &str = "publish.post";
/// Posts handed over per round of [`dispatch_due`].
pub const DISPATCH_ROUND: usize = 500;

/// Hands every due scheduled post to publishing: a publication and a job per channel, a round
/// of up to [`DISPATCH_ROUND`] posts per transaction. Safe to run on every server at once.
/// Returns how many posts were handed over.
pub async fn dispatch_due(db: &Db, now: i64) -> Result<usize> {
    let limit = i64::try_from(DISPATCH_ROUND).unwrap_or(500);
    Ok(db::dispatch_round(db, now, limit, PUBLISH).await?)
}

/// Publishes one publication.
pub struct PublishJob;

async fn end(
    db: &Db,
    p: &kehilla_db::publishing::Publication,
    state: &str,
    e: &PublishError,
) -> Result<()> {
    let mut tx = db.begin().await?;
    db::set_state(
        &mut *tx,
        p.id,
        &["pending", "sending"],
        state,
        (e.code(), &e.detail()),
    )
    .await?;
    studio::add_history(
        &mut *tx,
        p.organization_id,
        p.post_id,
        None,
        "failed",
        e.code(),
    )
    .await?;
    db::finish_post(&mut *tx, p.organization_id, p.post_id, "failed").await?;
    tx.commit().await?;
    Ok(())
}

async fn attachments(
    db: &Db,
    storage: &Storage,
    p: &Post,
    network: &str,
    base_url: &str,
) -> Result<Vec<Attachment>> {
    let mut out = Vec::new();
    for m in studio::post_media(&db.pool, p.organization_id, p.id).await? {
        let profile = match (m.kind.as_str(), network) {
            ("image", "instagram") => "instagram",
            ("image", _) => "large",
            _ => "original",
        };
        let f = studio::media_file_public(&db.pool, &m.public_id, profile).await?;
        out.push(Attachment {
            bytes: storage.get(&f.storage_key).await?,
            mime: f.mime,
            file_name: m.file_name.clone(),
            alt_text: m.alt_text.clone(),
            url: format!(
                "{}/m/{}/{profile}",
                base_url.trim_end_matches('/'),
                m.public_id
            ),
        });
    }
    Ok(out)
}

async fn run(ctx: &JobContext, id: i64) -> std::result::Result<(), JobError> {
    let db = &ctx.db;
    let internal = |e: AppError| JobError::Retry(e.to_string());
    let p = match db::by_id(&db.pool, id).await {
        Ok(p) => p,
        Err(kehilla_db::DbError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    if matches!(
        p.state.as_str(),
        "published" | "failed" | "unknown" | "deleting" | "deleted"
    ) {
        return Ok(());
    }
    let org = p.organization_id;
    let post = match studio::post_by_id(&db.pool, p.post_id).await {
        Ok(x) => x,
        Err(kehilla_db::DbError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let chans = studio::channels(&db.pool, org).await?;
    let Some(ch) = chans.iter().find(|c| c.id == p.channel_id).cloned() else {
        return Ok(());
    };
    if post.status != "scheduled" {
        let e = PublishError::Rejected("the post is no longer scheduled".into());
        end(db, &p, "failed", &e).await.map_err(internal)?;
        return Ok(());
    }
    let Some(conn) = db::connection(&db.pool, org, ch.id).await? else {
        let e = if supported(&ch.network) {
            PublishError::Reconnect("the channel is not connected".into())
        } else {
            PublishError::Rejected(format!("publishing to {} is not available yet", ch.network))
        };
        end(db, &p, "failed", &e).await.map_err(internal)?;
        return Ok(());
    };
    let Some(a) = adapter_for(&ch.network, &conn.server_url, ctx.settings.fetch_private) else {
        let e =
            PublishError::Rejected(format!("publishing to {} is not available yet", ch.network));
        end(db, &p, "failed", &e).await.map_err(internal)?;
        return Ok(());
    };
    if conn.needs_reconnect == 1 {
        let e = PublishError::Reconnect(conn.last_error.clone());
        end(db, &p, "failed", &e).await.map_err(internal)?;
        return Ok(());
    }
    if !server_allowed(&conn.server_url, ctx.settings.fetch_private) {
        let e = PublishError::Reconnect("the server's address is not allowed".into());
        end(db, &p, "failed", &e).await.map_err(internal)?;
        return Ok(());
    }
    // A rate limit, of the account or of Kehilla's app on the network: wait, do not fail.
    let now = now_ms();
    let app_block = db::app_blocked(&db.pool, &ch.network, now).await?;
    if let Some(until) = conn.blocked_until.filter(|t| *t > now).max(app_block) {
        return Err(JobError::Later {
            at: until,
            reason: "rate limited".into(),
        });
    }
    publish(ctx, &p, &post, &ch, &conn, a.as_ref()).await
}

async fn publish(
    ctx: &JobContext,
    p: &kehilla_db::publishing::Publication,
    post: &Post,
    ch: &Channel,
    conn: &Connection,
    a: &dyn Adapter,
) -> std::result::Result<(), JobError> {
    let db = &ctx.db;
    let internal = |e: AppError| JobError::Retry(e.to_string());
    let checks = posts::check(db, post).await.map_err(internal)?;
    let Some(v) = checks.into_iter().find(|c| c.channel.id == ch.id) else {
        return Ok(());
    };
    if !v.ok() {
        let e = PublishError::Rejected(v.problems.join(", "));
        end(db, p, "failed", &e).await.map_err(internal)?;
        return Ok(());
    }
    let sealer = Sealer::of_instance(db, &ctx.settings)
        .await
        .map_err(internal)?;
    let mut conn = conn.clone();
    // A token about to expire is renewed first rather than failing the call.
    let mut renewed = false;
    if conn.renewable() && conn.expires_at.is_some_and(|t| t < now_ms() + 60_000) {
        match renew::renew(db, &ctx.settings, &sealer, &conn, &ch.network).await {
            Ok(c) => {
                conn = c;
                renewed = true;
            }
            Err(e) => return failed(db, p, &conn, e).await,
        }
    }
    let mut access = access_of(&conn, &sealer).map_err(internal)?;
    let storage = Storage::from_settings(&ctx.settings);
    let media = attachments(db, &storage, post, &ch.network, &ctx.base_url)
        .await
        .map_err(internal)?;
    // The state is saved before the call.
    db::set_state(&db.pool, p.id, &["pending", "sending"], "sending", ("", "")).await?;
    let parts: Vec<String> = std::iter::once(v.variant.body.clone())
        .chain(v.follow_ups)
        .collect();
    let mut done: Vec<Published> = serde_json::from_str(&p.parts_done).unwrap_or_default();
    for (i, text) in parts.iter().enumerate().skip(done.len()) {
        let reply_to = done.last().map(|d| d.id.clone());
        let attach: &[Attachment] = if i == 0 { &media } else { &[] };
        let key = format!("{}-{i}", p.idempotency_key);
        let part = Part {
            text,
            reply_to: reply_to.as_deref(),
            media: attach,
            key: &key,
            again: p.attempts > 0,
            at: post.scheduled_at.unwrap_or(post.created_at),
        };
        let mut result = a.publish(&access, part).await;
        keep_limits(db, &ch.network, conn.id, a).await?;
        // The token expired during the run: renewed once, and the part tried again.
        if matches!(result, Err(PublishError::Reconnect(_))) && conn.renewable() && !renewed {
            renewed = true;
            match renew::renew(db, &ctx.settings, &sealer, &conn, &ch.network).await {
                Ok(c) => {
                    conn = c;
                    access.token = sealer.open(&conn.token_sealed).map_err(internal)?;
                    result = a
                        .publish(
                            &access,
                            Part {
                                again: true,
                                ..part
                            },
                        )
                        .await;
                }
                Err(e) => result = Err(e),
            }
        }
        match result {
            Ok(out) => {
                done.push(out);
                // The last part is kept with the publication's end, in one transaction.
                if i + 1 < parts.len() {
                    let json = serde_json::to_string(&done).unwrap_or_else(|_| "[]".into());
                    db::set_parts(&db.pool, p.id, &json).await?;
                }
            }
            Err(e) => return failed(db, p, &conn, e).await,
        }
    }
    let first = done.first().cloned().unwrap_or(Published {
        id: String::new(),
        url: String::new(),
    });
    let mut tx = db.begin().await?;
    let json = serde_json::to_string(&done).unwrap_or_else(|_| "[]".into());
    db::set_parts(&mut *tx, p.id, &json).await?;
    db::set_published(&mut *tx, p.id, &first.id, &first.url).await?;
    db::record_call(&mut *tx, conn.id, None, false).await?;
    let all = db::of_post(&mut *tx, p.organization_id, p.post_id).await?;
    if all.iter().all(|x| x.state == "published" || x.id == p.id)
        && db::finish_post(&mut *tx, p.organization_id, p.post_id, "published").await?
    {
        studio::add_history(
            &mut *tx,
            p.organization_id,
            p.post_id,
            None,
            "published",
            "",
        )
        .await?;
    }
    tx.commit()
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
    Ok(())
}

/// Keeps the limits the network announced: the account's on the connection, the app's for
/// every connection of the network.
pub(crate) async fn keep_limits(
    db: &Db,
    network: &str,
    connection: i64,
    a: &dyn Adapter,
) -> std::result::Result<(), JobError> {
    for l in a.take_limits() {
        if l.app {
            db::block_app(
                &db.pool,
                network,
                l.until,
                "the network's limit for Kehilla's app",
            )
            .await?;
        } else {
            db::block_until(&db.pool, connection, l.until).await?;
        }
    }
    Ok(())
}

async fn failed(
    db: &Db,
    p: &kehilla_db::publishing::Publication,
    conn: &Connection,
    e: PublishError,
) -> std::result::Result<(), JobError> {
    let internal = |e: AppError| JobError::Retry(e.to_string());
    tracing::info!(publication = p.id, error = ?e, "publishing did not succeed");
    match &e {
        PublishError::Retry(msg) => {
            db::set_state(&db.pool, p.id, &["sending"], "pending", (e.code(), msg)).await?;
            db::record_call(&db.pool, conn.id, Some((e.code(), msg)), false).await?;
            Err(JobError::Retry(msg.clone()))
        }
        PublishError::RateLimited { until } => {
            db::block_until(&db.pool, conn.id, *until).await?;
            db::set_state(
                &db.pool,
                p.id,
                &["sending"],
                "pending",
                (e.code(), &e.detail()),
            )
            .await?;
            db::record_call(&db.pool, conn.id, Some((e.code(), &e.detail())), false).await?;
            // Waiting out a limit is not a failed attempt.
            Err(JobError::Later {
                at: (*until).max(now_ms() + 1000),
                reason: "rate limited".into(),
            })
        }
        PublishError::Reconnect(msg) => {
            db::record_call(&db.pool, conn.id, Some((e.code(), msg)), true).await?;
            end(db, p, "failed", &e).await.map_err(internal)?;
            Ok(())
        }
        PublishError::Rejected(_) | PublishError::Unsupported(_) => {
            end(db, p, "failed", &e).await.map_err(internal)?;
            Ok(())
        }
        PublishError::Unknown(_) => {
            end(db, p, "unknown", &e).await.map_err(internal)?;
            Ok(())
        }
    }
}

impl JobHandler for PublishJob {
    fn kind(&self) -> &'static str {
        PUBLISH
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let id = crate::jobs::payload_id(job, "publication")?;
            let r = run(ctx, id).await;
            // The last attempt of a passing failure ends the publication too: nothing is left
            // silently pending.
            if let Err(JobError::Retry(msg)) = &r
                && job.attempts + 1 >= job.max_attempts
                && let Ok(p) = db::by_id(&ctx.db.pool, id).await
            {
                let e = PublishError::Retry(msg.clone());
                let _ = end(&ctx.db, &p, "failed", &e).await;
            }
            r
        })
    }
}

#[cfg(test)]
mod metric_name_tests {
    use super::*;

    #[test]
    fn settings_rename_and_leave_out_figures() {
        let mut names = std::collections::BTreeMap::new();
        names.insert("impressionCount".to_string(), "views".to_string());
        names.insert("reach".to_string(), String::new());
        names.insert("like_count".to_string(), "saves".to_string());
        let o = check_metric_names(&names).unwrap();
        assert_eq!(metric_kind_with(Some(&o), "impressionCount"), (0, "views"));
        assert_eq!(metric_kind_with(Some(&o), "reach").1, "");
        assert_eq!(metric_kind_with(Some(&o), "like_count"), (5, "saves"));
        // Names the setting does not mention keep the built-in meaning.
        assert_eq!(metric_kind_with(Some(&o), "favourites_count").1, "likes");
        assert_eq!(metric_kind_with(None, "reach").1, "views");
        names.insert("x".to_string(), "hearts".to_string());
        let e = check_metric_names(&names).unwrap_err();
        assert!(e.contains("\"hearts\" is not a kind"), "{e}");
    }
}
