//! Removing a published post from a network: an editor asks, the publication becomes
//! `deleting` and a durable job deletes every part on the network (replies first), then marks it
//! `deleted`. Deleting is idempotent on every network (a part already gone counts as deleted),
//! so a job that stops half-way simply runs again. A network whose API cannot delete
//! (Instagram) is never offered; a refusal leaves the post `published` with the reason.

use futures::future::BoxFuture;
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::publishing as db;
use kehilla_db::studio;
use kehilla_domain::Role;

use super::{PublishError, Published, adapter_for};
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::members::OrgMember;
use crate::secrets::Sealer;
use crate::{AppError, Result};

pub const REMOVE: &str = "publish.remove";

/// Whether Kehilla can delete a post on this network through its API.
pub fn can_delete(network: &str) -> bool {
    super::supported(network) && network != "instagram"
}

/// Asks for a published post to be removed from one channel's network.
pub async fn request(
    db: &kehilla_db::Db,
    by: &OrgMember,
    post_public_id: &str,
    channel_public_id: &str,
) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let post = studio::post(&db.pool, by.org.id, post_public_id).await?;
    let ch = studio::channel(&db.pool, by.org.id, channel_public_id).await?;
    if !can_delete(&ch.network) {
        return Err(AppError::Conflict("network-cannot-delete"));
    }
    let p = db::of_post(&db.pool, by.org.id, post.id)
        .await?
        .into_iter()
        .find(|p| p.channel_id == ch.id)
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    if !db::set_state(&mut *tx, p.id, &["published"], "deleting", ("", "")).await? {
        return Err(AppError::Conflict("publication-not-published"));
    }
    let mut job = NewJob::new(REMOVE, serde_json::json!({ "publication": p.id })).org(by.org.id);
    job.unique_key = Some(format!("remove-{}-{}", p.id, kehilla_db::now_ms()));
    jobs::enqueue(&mut *tx, job).await?;
    studio::add_history(
        &mut *tx,
        by.org.id,
        post.id,
        Some(by.user.id),
        "removal-requested",
        &ch.name,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes one publication's parts on its network.
pub struct RemoveJob;

async fn back(
    db: &kehilla_db::Db,
    p: &db::Publication,
    e: &PublishError,
) -> std::result::Result<(), JobError> {
    db::set_state(
        &db.pool,
        p.id,
        &["deleting"],
        "published",
        (e.code(), &e.detail()),
    )
    .await?;
    Ok(())
}

impl JobHandler for RemoveJob {
    fn kind(&self) -> &'static str {
        REMOVE
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let db = &ctx.db;
            let id = crate::jobs::payload_id(job, "publication")?;
            let p = match db::by_id(&db.pool, id).await {
                Ok(p) => p,
                Err(kehilla_db::DbError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            if p.state != "deleting" {
                return Ok(());
            }
            let network = studio::channel_network(&db.pool, p.channel_id).await?;
            let Some(conn) = db::connection(&db.pool, p.organization_id, p.channel_id).await?
            else {
                back(
                    db,
                    &p,
                    &PublishError::Reconnect("the channel is not connected".into()),
                )
                .await?;
                return Ok(());
            };
            let Some(a) = adapter_for(&network, &conn.server_url, ctx.settings.fetch_private)
            else {
                back(db, &p, &PublishError::Unsupported("delete")).await?;
                return Ok(());
            };
            let sealer = Sealer::of_instance(db, &ctx.settings)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            let access =
                super::access_of(&conn, &sealer).map_err(|e| JobError::Retry(e.to_string()))?;
            // Replies first, then the post; a part named twice (comments that keep the post's
            // id) is deleted once.
            let parts: Vec<Published> = serde_json::from_str(&p.parts_done).unwrap_or_default();
            let mut ids: Vec<String> = parts.into_iter().map(|x| x.id).collect();
            if ids.is_empty()
                && let Some(r) = p.remote_id.clone()
            {
                ids.push(r);
            }
            ids.dedup();
            let mut seen = Vec::new();
            for id in ids.into_iter().rev() {
                if id.is_empty() || seen.contains(&id) {
                    continue;
                }
                match a.delete(&access, &id).await {
                    Ok(()) => seen.push(id),
                    Err(PublishError::Retry(m)) => return Err(JobError::Retry(m)),
                    Err(PublishError::RateLimited { until }) => {
                        return Err(JobError::Later {
                            at: until,
                            reason: "rate limited".into(),
                        });
                    }
                    Err(e) => {
                        if let PublishError::Reconnect(m) = &e {
                            db::record_call(&db.pool, conn.id, Some((e.code(), m)), true).await?;
                        }
                        back(db, &p, &e).await?;
                        return Ok(());
                    }
                }
            }
            let mut tx = db.begin().await?;
            db::set_state(&mut *tx, p.id, &["deleting"], "deleted", ("", "")).await?;
            let name = studio::channels(&mut *tx, p.organization_id)
                .await?
                .into_iter()
                .find(|c| c.id == p.channel_id)
                .map(|c| c.name)
                .unwrap_or_default();
            studio::add_history(
                &mut *tx,
                p.organization_id,
                p.post_id,
                None,
                "removed",
                &name,
            )
            .await?;
            tx.commit()
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            Ok(())
        })
    }
}
