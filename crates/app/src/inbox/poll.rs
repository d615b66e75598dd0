//! Reading what arrived: the networks are polled (one durable job per connected channel and
//! round, [`PollJob`]), and the fediverse and the site's discussions are swept from their own
//! tables ([`sweep`]). Every path ends in [`super::ingest`], which keeps each message once.
//!
//! A channel's round reads the comments of its publications — every round for two days after
//! publishing, then hourly for a month — and its mentions from the cursor kept in
//! `inbox_cursors`. A rate limit the network announces blocks the connection until its reset
//! (the same block the publisher honours); a poll waits for it instead of spending calls.

use futures::future::BoxFuture;
use kehilla_db::inbox as idb;
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::publishing as pdb;
use kehilla_db::{Db, now_ms};

use super::{Incoming, Ingested, ingest, parse_time};
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::publishing::PublishError;

pub const POLL: &str = "inbox.poll";
/// How often a channel is polled.
pub const ROUND_MS: i64 = 5 * 60_000;
const HOUR: i64 = 3_600_000;

/// Queues a poll of every connected channel that may be called now; returns how many.
pub async fn enqueue_due(database: &Db, now: i64) -> crate::Result<usize> {
    let mut n = 0;
    for (org, channel) in idb::pollable(&database.pool, now).await? {
        let mut job = NewJob::new(POLL, serde_json::json!({ "channel": channel })).org(org);
        job.unique_key = Some(format!("inbox-poll-{channel}-{}", now / ROUND_MS));
        if jobs::enqueue(&database.pool, job).await?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}

/// Polls one channel.
pub struct PollJob;

impl JobHandler for PollJob {
    fn kind(&self) -> &'static str {
        POLL
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let channel = crate::jobs::payload_id(job, "channel")?;
            let org = job
                .organization_id
                .ok_or_else(|| JobError::Permanent("no organization".into()))?;
            poll_channel(ctx, org, channel, now_ms()).await
        })
    }
}

/// One round of a channel (also what tests call).
pub async fn poll_channel(
    ctx: &JobContext,
    org: i64,
    channel: i64,
    now: i64,
) -> std::result::Result<(), JobError> {
    let database = &ctx.db;
    let crate::publishing::Opened {
        conn,
        network,
        adapter: a,
        access,
    } = match crate::publishing::open_channel(database, &ctx.settings, org, channel, now).await {
        Ok(o) => o,
        Err(PublishError::RateLimited { until }) => {
            return Err(JobError::Later {
                at: until,
                reason: "rate limited".into(),
            });
        }
        Err(PublishError::Retry(m)) => return Err(JobError::Retry(m)),
        // Not connected, to be connected again, or no adapter: nothing to read this round.
        Err(_) => return Ok(()),
    };
    let posts = idb::published_since(&database.pool, channel, now - 30 * 24 * HOUR).await?;
    let outcome = async {
        for p in &posts {
            let scope = format!("post:{}", p.id);
            let every = if now - p.published_at < 48 * HOUR {
                0
            } else {
                HOUR
            };
            if let Some((_, at)) = idb::cursor(&database.pool, channel, &scope).await?
                && now - at < every
            {
                continue;
            }
            let comments = match a.comments(&access, &p.remote_id).await {
                Err(PublishError::Unsupported(_)) => break,
                r => r?,
            };
            let mut newest = String::new();
            for c in &comments {
                keep(
                    database,
                    org,
                    &network,
                    channel,
                    &conn.account,
                    Some(p.post_id),
                    "comment",
                    c,
                )
                .await?;
                newest.clone_from(&c.id);
            }
            idb::put_cursor(&database.pool, org, channel, &scope, &newest).await?;
        }
        let cursor = idb::cursor(&database.pool, channel, "mentions")
            .await?
            .map(|c| c.0)
            .unwrap_or_default();
        match a.mentions(&access, &cursor).await {
            Err(PublishError::Unsupported(_)) => {}
            r => {
                let (found, next) = r?;
                for c in &found {
                    keep(
                        database,
                        org,
                        &network,
                        channel,
                        &conn.account,
                        None,
                        "mention",
                        c,
                    )
                    .await?;
                }
                idb::put_cursor(&database.pool, org, channel, "mentions", &next).await?;
            }
        }
        Ok::<(), Failure>(())
    }
    .await;
    crate::publishing::keep_limits(database, &network, conn.id, a.as_ref()).await?;
    match outcome {
        Ok(()) => Ok(()),
        Err(Failure::Db(e)) => Err(JobError::Retry(e)),
        Err(Failure::Network(PublishError::RateLimited { until })) => {
            pdb::block_until(&database.pool, conn.id, until).await?;
            Err(JobError::Later {
                at: until,
                reason: "rate limited".into(),
            })
        }
        Err(Failure::Network(PublishError::Retry(m))) => Err(JobError::Retry(m)),
        // Connecting again is the publisher's and the channel page's business; the next round
        // tries again.
        Err(Failure::Network(e)) => {
            tracing::info!(channel, code = e.code(), "inbox poll stopped");
            Ok(())
        }
    }
}

enum Failure {
    Db(String),
    Network(PublishError),
}

impl From<PublishError> for Failure {
    fn from(e: PublishError) -> Self {
        Failure::Network(e)
    }
}

impl From<kehilla_db::DbError> for Failure {
    fn from(e: kehilla_db::DbError) -> Self {
        Failure::Db(e.to_string())
    }
}

impl From<crate::AppError> for Failure {
    fn from(e: crate::AppError) -> Self {
        Failure::Db(e.to_string())
    }
}

/// Whether a comment is the organization's own: written by the connected account (its id, or
/// its handle — Mastodon's `@name@server` is `@name` on its own server).
pub fn is_own(account: &str, c: &crate::publishing::Comment) -> bool {
    let account = account.trim().trim_start_matches('@');
    if account.is_empty() {
        return false;
    }
    let local = account.split('@').next().unwrap_or(account);
    let author = c.author.trim().trim_start_matches('@');
    c.author_id == account || author == account || (!local.is_empty() && author == local)
}

/// Keeps one comment or mention read from a network, unless the connected account (`own`)
/// wrote it: the organization's answers are its own, not incoming messages.
#[allow(clippy::too_many_arguments)]
pub async fn keep(
    database: &Db,
    org: i64,
    network: &str,
    channel: i64,
    own: &str,
    post: Option<i64>,
    kind: &str,
    c: &crate::publishing::Comment,
) -> crate::Result<Ingested> {
    if is_own(own, c) {
        return Ok(Ingested::Skipped);
    }
    ingest(
        database,
        &Incoming {
            org,
            source: network,
            channel_id: Some(channel),
            post_id: post,
            kind,
            remote_id: &c.id,
            parent_remote_id: &c.parent_id,
            author_id: &c.author_id,
            handle: &c.author,
            name: &c.author,
            body: &c.text,
            url: &c.url,
            at: parse_time(&c.created_at).unwrap_or(0),
            ..Default::default()
        },
    )
    .await
}

/// The handle of a fediverse actor from its address: `@name@host`.
pub fn fediverse_handle(actor: &str) -> String {
    let Ok(u) = reqwest::Url::parse(actor) else {
        return actor.to_string();
    };
    let name = u
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or_default()
        .trim_start_matches('@')
        .to_string();
    format!("@{name}@{}", u.host_str().unwrap_or_default())
}

/// Takes the site's new comments (once proven: waiting for a moderator or shown) and the
/// fediverse's replies and mentions into the inbox; returns how many were new.
pub async fn sweep(database: &Db) -> crate::Result<usize> {
    let mut n = 0;
    let comments = idb::site_comments_to_take(&database.pool).await?;
    for k in &comments {
        let parent = match (&k.parent, &k.post_public) {
            (Some(p), _) => p.clone(),
            (None, Some(p)) => format!("post:{p}"),
            _ => String::new(),
        };
        let r = ingest(
            database,
            &Incoming {
                org: k.organization_id,
                source: "site",
                post_id: k.post_id,
                kind: "comment",
                remote_id: &k.public_id,
                parent_remote_id: &parent,
                author_id: &k.email,
                handle: &k.email,
                name: &k.name,
                email: Some(&k.email),
                subject: &k.title,
                body: &k.body,
                at: k.created_at,
                ..Default::default()
            },
        )
        .await?;
        n += usize::from(matches!(r, Ingested::New { .. }));
    }
    let items = idb::ap_items_to_take(&database.pool).await?;
    for i in &items {
        let handle = fediverse_handle(&i.actor);
        let r = ingest(
            database,
            &Incoming {
                org: i.organization_id,
                source: "fediverse",
                post_id: i.post_id,
                kind: if i.kind == "reply" {
                    "comment"
                } else {
                    "mention"
                },
                remote_id: &i.object_id,
                parent_remote_id: &i.in_reply_to,
                author_id: &i.actor,
                handle: &handle,
                name: i
                    .name
                    .as_deref()
                    .filter(|n| !n.is_empty())
                    .unwrap_or(&handle),
                body: &i.content,
                url: &i.url,
                at: i.created_at,
                ..Default::default()
            },
        )
        .await?;
        n += usize::from(matches!(r, Ingested::New { .. }));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_organizations_own_comments_are_known() {
        let c = |id: &str, author: &str| crate::publishing::Comment {
            id: "1".into(),
            parent_id: String::new(),
            author_id: id.into(),
            author: author.into(),
            text: String::new(),
            created_at: String::new(),
            url: String::new(),
        };
        assert!(super::is_own("page1", &c("page1", "יד ביד")));
        assert!(super::is_own(
            "@yadbeyad@masto.example",
            &c("7", "@yadbeyad")
        ));
        assert!(super::is_own("did:plc:abc", &c("did:plc:abc", "@yad.test")));
        assert!(!super::is_own(
            "@yadbeyad@masto.example",
            &c("8", "@yadbeyad@other.example")
        ));
        assert!(!super::is_own("@yadbeyad@masto.example", &c("9", "@ruth")));
        assert!(!super::is_own("", &c("", "")));
    }

    #[test]
    fn fediverse_handles_come_from_the_actor_address() {
        assert_eq!(
            super::fediverse_handle("https://social.example/users/dana"),
            "@dana@social.example"
        );
        assert_eq!(
            super::fediverse_handle("https://k.example/ap/o/yad-beyad"),
            "@yad-beyad@k.example"
        );
    }
}
