//! Answers go out through the source they answer, one durable job per answer ([`SendJob`]);
//! likes, hiding and deleting on the networks the same way ([`ModerateJob`]).
//!
//! An answer is `sending` before the call. A job that finds it still `sending` (the process
//! stopped mid-call) sends again only to a source that drops a repeat ([`super::KEYED`]);
//! anywhere else the answer becomes `unknown` and a person checks the network — it is never
//! sent twice.

use futures::future::BoxFuture;
use kehilla_db::inbox::{self as db, Conversation, Message};
use kehilla_db::jobs::Claimed;
use kehilla_db::{Db, now_ms};

use super::KEYED;
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::publishing::PublishError;

pub const SEND: &str = "inbox.send";
pub const MODERATE: &str = "inbox.moderate";

fn internal(e: impl std::fmt::Display) -> PublishError {
    PublishError::Retry(e.to_string())
}

/// The conversation's channel, opened for a call.
async fn network(
    ctx: &JobContext,
    c: &Conversation,
) -> Result<crate::publishing::Opened, PublishError> {
    let channel = c
        .channel_id
        .ok_or(PublishError::Unsupported("no channel"))?;
    crate::publishing::open_channel(&ctx.db, &ctx.settings, c.organization_id, channel, now_ms())
        .await
}

/// The organization's own commenter on its site (an empty address): answers appear under its
/// name.
async fn org_commenter(tx: &mut kehilla_db::Tx, org: i64, name: &str) -> crate::Result<i64> {
    use kehilla_db::discussions as d;
    if let Some(c) = d::commenter_by_email(&mut **tx, org, "").await? {
        return Ok(c.id);
    }
    let c = d::create_commenter(&mut **tx, org, "", name, None, "").await?;
    d::mark_verified(&mut **tx, c.id).await?;
    Ok(c.id)
}

/// Sends one answer; returns the source's id and address of it.
async fn deliver(
    ctx: &JobContext,
    c: &Conversation,
    m: &Message,
) -> Result<(String, String), PublishError> {
    let database = &ctx.db;
    let org = kehilla_db::orgs::by_id(&database.pool, c.organization_id)
        .await
        .map_err(internal)?;
    let identity = match c.identity_id {
        Some(i) => Some(
            db::identity_by_id(&database.pool, org.id, i)
                .await
                .map_err(internal)?,
        ),
        None => None,
    };
    let author = identity
        .as_ref()
        .map(|i| i.author_id.clone())
        .unwrap_or_default();
    match c.source.as_str() {
        "fediverse" => {
            let id = crate::home::activitypub::reply(
                database,
                &ctx.settings,
                &ctx.base_url,
                &org,
                &m.parent_remote_id,
                &author,
                &m.body,
                &m.public_id,
            )
            .await
            .map_err(|e| match e {
                crate::AppError::NotFound => {
                    PublishError::Rejected("the author's server could not be read".into())
                }
                e => internal(e),
            })?;
            Ok((id.clone(), id))
        }
        "site" => {
            use kehilla_db::discussions as d;
            let answered = d::comment(&database.pool, org.id, &m.parent_remote_id)
                .await
                .map_err(|_| PublishError::Rejected("the comment is gone".into()))?;
            let mut tx = database.begin().await.map_err(internal)?;
            let commenter = org_commenter(&mut tx, org.id, &org.name)
                .await
                .map_err(internal)?;
            let id = d::add_comment(
                &mut *tx,
                org.id,
                &d::NewComment {
                    post_id: answered.post_id,
                    board_id: answered.board_id,
                    parent_id: answered
                        .board_id
                        .map(|_| answered.parent_id.unwrap_or(answered.id)),
                    title: "",
                    commenter_id: commenter,
                    body: &m.body,
                    status: "visible",
                },
            )
            .await
            .map_err(internal)?;
            // Recorded in the same transaction as the comment: never two.
            db::set_outcome(&mut *tx, m.id, "sent", Some((&id, "")), "")
                .await
                .map_err(internal)?;
            tx.commit().await.map_err(internal)?;
            Ok((id, String::new()))
        }
        "email" => {
            let domain = ctx
                .settings
                .bounce_domain
                .clone()
                .unwrap_or_else(|| crate::home::site::host_of(&ctx.base_url));
            let message_id = format!("{}@{domain}", m.public_id);
            let subject = if c.subject.is_empty() {
                org.name.clone()
            } else if c.subject.to_lowercase().starts_with("re:") {
                c.subject.clone()
            } else {
                format!("Re: {}", c.subject)
            };
            let reply_to = ctx
                .settings
                .bounce_domain
                .as_ref()
                .map(|d| format!("replies@{d}"));
            ctx.mailer
                .send_answer(
                    &author,
                    &org.name,
                    reply_to.as_deref(),
                    &subject,
                    &m.body,
                    &message_id,
                    &m.parent_remote_id,
                )
                .await
                .map_err(|_| PublishError::Unknown("the relay did not take it".into()))?;
            Ok((message_id, String::new()))
        }
        "sms" => {
            let sender =
                crate::messaging::sms::Sender::open(database, &ctx.settings, &ctx.base_url, org.id)
                    .await
                    .map_err(|_| PublishError::Reconnect("no SMS gateway".into()))?;
            let client = crate::messaging::sms::http_client(&ctx.settings).map_err(internal)?;
            let (outcome, id) = sender
                .send(&client, &author, &m.body, &m.public_id, 0)
                .await;
            match outcome {
                kehilla_db::messaging::Outcome::Sent => Ok((
                    id.unwrap_or_else(|| format!("sms:{}", m.public_id)),
                    String::new(),
                )),
                // Never connected: nothing was taken, so trying again sends it once.
                kehilla_db::messaging::Outcome::Deferred { error, .. } => {
                    tracing::info!(error, "SMS answer deferred");
                    Err(PublishError::RateLimited {
                        until: now_ms() + 60_000,
                    })
                }
                kehilla_db::messaging::Outcome::Failed { error } if error.contains("unknown") => {
                    Err(PublishError::Unknown(error))
                }
                kehilla_db::messaging::Outcome::Failed { error }
                | kehilla_db::messaging::Outcome::Bounced { error } => {
                    Err(PublishError::Rejected(error))
                }
            }
        }
        _ => {
            let o = network(ctx, c).await?;
            let r = o
                .adapter
                .reply(&o.access, &m.parent_remote_id, &m.body, &m.public_id)
                .await;
            let _ =
                crate::publishing::keep_limits(database, &o.network, o.conn.id, o.adapter.as_ref())
                    .await;
            let p = r?;
            Ok((p.id, p.url))
        }
    }
}

/// Sends one answer.
pub struct SendJob;

impl JobHandler for SendJob {
    fn kind(&self) -> &'static str {
        SEND
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let database = &ctx.db;
            let id = crate::jobs::payload_id(job, "message")?;
            let m = match db::message_by_id(&database.pool, id).await {
                Ok(m) => m,
                Err(kehilla_db::DbError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            let keyed = KEYED.contains(&m.source.as_str());
            match m.state.as_str() {
                "queued" => {
                    if !db::move_message(&database.pool, m.id, &["queued"], "sending").await? {
                        return Ok(());
                    }
                }
                "sending" if keyed => {}
                "sending" => {
                    db::set_outcome(
                        &database.pool,
                        m.id,
                        "unknown",
                        None,
                        "inbox-outcome-unknown",
                    )
                    .await?;
                    return Ok(());
                }
                _ => return Ok(()),
            }
            let c = db::conversation_by_id(&database.pool, m.conversation_id).await?;
            match deliver(ctx, &c, &m).await {
                Ok((remote, url)) => {
                    if c.source != "site" {
                        db::set_outcome(&database.pool, m.id, "sent", Some((&remote, &url)), "")
                            .await?;
                    }
                    db::answered(&database.pool, c.id, m.user_id, now_ms()).await?;
                    Ok(())
                }
                Err(PublishError::RateLimited { until }) => {
                    db::move_message(&database.pool, m.id, &["sending"], "queued").await?;
                    Err(JobError::Later {
                        at: until,
                        reason: "rate limited".into(),
                    })
                }
                Err(PublishError::Retry(msg)) if keyed && job.attempts < job.max_attempts => {
                    db::move_message(&database.pool, m.id, &["sending"], "queued").await?;
                    Err(JobError::Retry(msg))
                }
                Err(e @ PublishError::Retry(_)) if keyed => {
                    // The last attempt: the answer says so instead of waiting for ever.
                    db::set_outcome(&database.pool, m.id, "failed", None, e.code()).await?;
                    Ok(())
                }
                Err(e @ (PublishError::Retry(_) | PublishError::Unknown(_))) => {
                    tracing::info!(message = m.id, detail = %e.detail(), "inbox answer outcome unknown");
                    db::set_outcome(
                        &database.pool,
                        m.id,
                        "unknown",
                        None,
                        "inbox-outcome-unknown",
                    )
                    .await?;
                    Ok(())
                }
                Err(e) => {
                    tracing::info!(message = m.id, detail = %e.detail(), "inbox answer failed");
                    db::set_outcome(&database.pool, m.id, "failed", None, e.code()).await?;
                    Ok(())
                }
            }
        })
    }
}

/// Likes, hides or deletes a message on its network (`{"message", "action"}`).
pub struct ModerateJob;

#[derive(serde::Deserialize)]
struct ModeratePayload {
    message: i64,
    action: String,
}

async fn moderate(ctx: &JobContext, m: &Message, action: &str) -> Result<(), PublishError> {
    let database = &ctx.db;
    let c = db::conversation_by_id(&database.pool, m.conversation_id)
        .await
        .map_err(internal)?;
    let remote = m.remote_id.as_str();
    match c.source.as_str() {
        "site" => {
            if action == "like" {
                return Err(PublishError::Unsupported("like"));
            }
            // Hiding is the site's deleting: the record stays.
            kehilla_db::sqlx::query(
                "UPDATE comments SET status = 'hidden', moderated_at = $1 \
                 WHERE organization_id = $2 AND public_id = $3",
            )
            .bind(now_ms())
            .bind(c.organization_id)
            .bind(remote)
            .execute(&database.pool)
            .await
            .map_err(internal)?;
            Ok(())
        }
        "fediverse" | "email" | "sms" => Err(PublishError::Unsupported("action")),
        _ => {
            let o = network(ctx, &c).await?;
            match action {
                "like" => o.adapter.like(&o.access, remote).await,
                "hide" => o.adapter.hide(&o.access, remote).await,
                _ => o.adapter.delete(&o.access, remote).await,
            }
        }
    }
}

impl JobHandler for ModerateJob {
    fn kind(&self) -> &'static str {
        MODERATE
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let database = &ctx.db;
            let Ok(p) = serde_json::from_str::<ModeratePayload>(&job.payload) else {
                return Err(JobError::Permanent("no message in the payload".into()));
            };
            let m = match db::message_by_id(&database.pool, p.message).await {
                Ok(m) => m,
                Err(kehilla_db::DbError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            let r = moderate(ctx, &m, &p.action).await;
            match (r, p.action.as_str()) {
                (Ok(()), "like") => db::set_liked(&database.pool, m.id).await?,
                (Ok(()), "hide") => {
                    db::set_outcome(&database.pool, m.id, "hidden", None, "").await?
                }
                (Ok(()), _) => db::set_outcome(&database.pool, m.id, "deleted", None, "").await?,
                (Err(PublishError::Retry(msg)), _) => return Err(JobError::Retry(msg)),
                (Err(PublishError::RateLimited { until }), _) => {
                    return Err(JobError::Later {
                        at: until,
                        reason: "rate limited".into(),
                    });
                }
                // The record says what could not be done; a hidden message stays hidden here.
                (Err(e), action) => {
                    let state = if action == "hide" {
                        "hidden"
                    } else {
                        m.state.as_str()
                    };
                    db::set_outcome(&database.pool, m.id, state, None, e.code()).await?;
                }
            }
            Ok(())
        })
    }
}

/// Runs the minute's inbox work: sweeping the site and the fediverse, queueing polls and the
/// digests that are due.
pub async fn tick(database: &Db, now: i64) -> crate::Result<()> {
    super::poll::sweep(database).await?;
    super::poll::enqueue_due(database, now).await?;
    super::digest::enqueue_due(database, now).await?;
    Ok(())
}
