//! Keeping connections alive: tokens renewed before they expire (X's 2-hour tokens with their
//! refresh token, LinkedIn's when it gives one, Instagram's and Threads' 60-day tokens with
//! themselves), and the team warned when a scheduled post would fail because a channel needs
//! connecting again.
//!
//! Renewal runs as a durable job, one per connection and expiry ([`RenewJob`]), so that two
//! servers never spend the same refresh token (X replaces it on every use). A publish job whose
//! token turns out expired renews it once on the spot and tries again.

use futures::future::BoxFuture;
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::publishing::{self as db, Connection};
use kehilla_db::studio;
use kehilla_db::{Db, now_ms};

use super::PublishError;
use super::oauth::{app, at, provider, tokens};
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::secrets::Sealer;
use crate::{AppError, Settings};

pub const RENEW: &str = "publish.renew-token";
/// X's tokens live 2 hours: renewed in their last 15 minutes. Others live weeks: renewed in
/// their last 7 days (Instagram and Threads only once a token is a day old).
const X_MARGIN_MS: i64 = 15 * 60_000;
const MARGIN_MS: i64 = 7 * 24 * 3_600_000;
const DAY_MS: i64 = 24 * 3_600_000;

/// Whether a connection of `network` is due for renewal at `now`.
fn due(network: &str, expires_at: i64, now: i64) -> bool {
    let margin = if network == "x" {
        X_MARGIN_MS
    } else {
        MARGIN_MS
    };
    expires_at < now + margin
}

/// Queues a renewal for every connection whose token expires soon. Safe on every server: the
/// job's key names the connection and the expiry.
pub async fn enqueue_due(db: &Db, now: i64) -> crate::Result<usize> {
    let mut n = 0;
    for (id, network) in db::expiring(&db.pool, now + MARGIN_MS, 500).await? {
        let c = db::connection_by_id(&db.pool, id).await?;
        let Some(exp) = c.expires_at else { continue };
        if !due(&network, exp, now) {
            continue;
        }
        let mut job =
            NewJob::new(RENEW, serde_json::json!({ "connection": id })).org(c.organization_id);
        job.unique_key = Some(format!("renew-{id}-{exp}"));
        if jobs::enqueue(&db.pool, job).await?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}

fn network_error(status: u16, why: String) -> PublishError {
    match status {
        400 | 401 | 403 => PublishError::Reconnect(why),
        429 => PublishError::RateLimited {
            until: now_ms() + 15 * 60_000,
        },
        _ => PublishError::Retry(why),
    }
}

/// Renews a connection's token with its network; returns the connection as kept after. A
/// connection renewed meanwhile by someone else is returned as it is now.
pub async fn renew(
    db: &Db,
    settings: &Settings,
    sealer: &Sealer,
    conn: &Connection,
    network: &str,
) -> Result<Connection, PublishError> {
    let internal = |e: AppError| PublishError::Retry(e.to_string());
    if !conn.renewable() {
        return Err(PublishError::Reconnect(
            "the token expired and cannot be renewed".into(),
        ));
    }
    // Instagram and Threads renew a token only once it is a day old.
    if matches!(network, "instagram" | "threads")
        && conn.renewed_at.is_some_and(|t| t > now_ms() - DAY_MS)
        && conn.expires_at.is_some_and(|t| t > now_ms())
    {
        return Ok(conn.clone());
    }
    let (client_id, secret, base) = app(settings, network).map_err(|_| {
        PublishError::Reconnect("the instance has no app for this network any more".into())
    })?;
    let Some(p) = provider(network) else {
        return Err(PublishError::Reconnect("not renewable".into()));
    };
    let refresh = sealer.open(&conn.refresh_sealed).map_err(internal)?;
    let http = super::http(settings.fetch_private, 30)
        .ok_or_else(|| PublishError::Retry("no HTTP client".into()))?;
    let token_url = at(p.token_url(), base);
    let req = match network {
        "x" => http
            .post(&token_url)
            .basic_auth(client_id, Some(secret))
            .form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh.as_str()),
                ("client_id", client_id),
            ]),
        "linkedin" => http.post(&token_url).form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
            ("client_id", client_id),
            ("client_secret", secret),
        ]),
        "instagram" | "threads" => {
            let (url, grant) = if network == "instagram" {
                (
                    "https://graph.instagram.com/refresh_access_token",
                    "ig_refresh_token",
                )
            } else {
                (
                    "https://graph.threads.net/refresh_access_token",
                    "th_refresh_token",
                )
            };
            let mut u = reqwest::Url::parse(&at(url, base))
                .map_err(|_| PublishError::Retry("bad address".into()))?;
            u.query_pairs_mut()
                .append_pair("grant_type", grant)
                .append_pair("access_token", &refresh);
            http.get(u)
        }
        _ => return Err(PublishError::Reconnect("not renewable".into())),
    };
    let r = req
        .send()
        .await
        .map_err(|e| super::transport(network, &e))?;
    let status = r.status().as_u16();
    let t = match tokens(r).await {
        Ok(t) => t,
        Err(why) => {
            // Someone else may have renewed it with the same refresh token a moment ago.
            let now = db::connection_by_id(&db.pool, conn.id)
                .await
                .map_err(|e| PublishError::Retry(e.to_string()))?;
            if now.token_sealed != conn.token_sealed {
                return Ok(now);
            }
            return Err(network_error(status, why));
        }
    };
    let refresh = match network {
        "instagram" | "threads" => t.access.clone(),
        // X replaces the refresh token; LinkedIn keeps it when it sends none.
        _ if t.refresh.is_empty() => refresh,
        _ => t.refresh.clone(),
    };
    let token_sealed = sealer.seal(&t.access).map_err(internal)?;
    let refresh_sealed = sealer.seal(&refresh).map_err(internal)?;
    db::renew(
        &db.pool,
        conn.id,
        &token_sealed,
        &refresh_sealed,
        t.expires_at,
    )
    .await
    .map_err(|e| PublishError::Retry(e.to_string()))?;
    tracing::info!(connection = conn.id, network, "token renewed");
    db::connection_by_id(&db.pool, conn.id)
        .await
        .map_err(|e| PublishError::Retry(e.to_string()))
}

/// Renews one connection's token.
pub struct RenewJob;

impl JobHandler for RenewJob {
    fn kind(&self) -> &'static str {
        RENEW
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let id = crate::jobs::payload_id(job, "connection")?;
            let conn = match db::connection_by_id(&ctx.db.pool, id).await {
                Ok(c) => c,
                // Disconnected meanwhile.
                Err(kehilla_db::DbError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            let network = studio::channel_network(&ctx.db.pool, conn.channel_id).await?;
            let now = now_ms();
            if conn.needs_reconnect == 1 || !conn.expires_at.is_some_and(|e| due(&network, e, now))
            {
                return Ok(());
            }
            let sealer = Sealer::of_instance(&ctx.db, &ctx.settings)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            match renew(&ctx.db, &ctx.settings, &sealer, &conn, &network).await {
                Ok(_) => Ok(()),
                Err(e @ PublishError::Reconnect(_)) => {
                    db::record_call(&ctx.db.pool, conn.id, Some((e.code(), &e.detail())), true)
                        .await?;
                    Ok(())
                }
                Err(e) => Err(JobError::Retry(e.detail())),
            }
        })
    }
}

/// Warns the organization's editors, at most once a day per channel, when scheduled posts of the
/// next 3 days would fail: the channel needs connecting again, or its token expires before them
/// and cannot be renewed. Returns how many channels were warned about.
pub async fn warn_at_risk(db: &Db, now: i64) -> crate::Result<usize> {
    let mut n = 0;
    for risk in db::at_risk(&db.pool, now + 3 * DAY_MS, now - DAY_MS).await? {
        let mut tx = db.begin().await?;
        // Another server may be warning about it right now: one wins.
        if !db::set_warned(&mut *tx, risk.connection_id, now, now - DAY_MS).await? {
            continue;
        }
        let note = format!("{} · {}", risk.channel_name, risk.posts);
        for (user, ..) in studio::approvers(&mut *tx, risk.organization_id).await? {
            let id = studio::notify(
                &mut *tx,
                risk.organization_id,
                user,
                Some(risk.post_id),
                None,
                "channel-at-risk",
                &note,
            )
            .await?;
            let mut job = NewJob::new(
                crate::studio::posts::NOTIFICATION_MAIL,
                serde_json::json!({ "notification": id }),
            )
            .org(risk.organization_id);
            job.unique_key = Some(format!("studio-notification-{id}"));
            jobs::enqueue(&mut *tx, job).await?;
        }
        tx.commit().await?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn x_tokens_are_renewed_in_their_last_minutes_others_in_their_last_week() {
        let now = 1_000_000_000_000;
        assert!(!super::due("x", now + 60 * 60_000, now));
        assert!(super::due("x", now + 10 * 60_000, now));
        assert!(super::due("instagram", now + 6 * super::DAY_MS, now));
        assert!(!super::due("threads", now + 30 * super::DAY_MS, now));
    }
}
