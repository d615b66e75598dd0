//! A published post's figures, read from its network: an hour after publishing, then every six
//! hours for a month ([`MetricsJob`], one per publication and round). Kept on the publication
//! under the network's own names; Measure maps and charts them.

use futures::future::BoxFuture;
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::publishing as db;
use kehilla_db::studio;

use super::{PublishError, adapter_for};
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::secrets::Sealer;

pub const METRICS: &str = "publish.metrics";
const ROUND_MS: i64 = 6 * 3_600_000;

/// Queues reading the figures of every publication that is due; returns how many.
pub async fn enqueue_due(db: &kehilla_db::Db, now: i64) -> crate::Result<usize> {
    let mut n = 0;
    for id in db::metrics_due(&db.pool, now, 200).await? {
        let mut job = NewJob::new(METRICS, serde_json::json!({ "publication": id }));
        job.unique_key = Some(format!("metrics-{id}-{}", now / ROUND_MS));
        if jobs::enqueue(&db.pool, job).await?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}

/// Reads one publication's figures.
pub struct MetricsJob;

impl JobHandler for MetricsJob {
    fn kind(&self) -> &'static str {
        METRICS
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
            let Some(remote) = p.remote_id.clone().filter(|r| !r.is_empty()) else {
                return Ok(());
            };
            if p.state != "published" {
                return Ok(());
            }
            let Some(conn) = db::connection(&db.pool, p.organization_id, p.channel_id).await?
            else {
                return Ok(());
            };
            if conn.needs_reconnect == 1 {
                return Ok(());
            }
            let network = studio::channel_network(&db.pool, p.channel_id).await?;
            let Some(a) = adapter_for(&network, &conn.server_url, ctx.settings.fetch_private)
            else {
                return Ok(());
            };
            let sealer = Sealer::of_instance(db, &ctx.settings)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            let access =
                super::access_of(&conn, &sealer).map_err(|e| JobError::Retry(e.to_string()))?;
            match a.metrics(&access, &remote).await {
                Ok(m) => {
                    let json = serde_json::to_string(&m).unwrap_or_else(|_| "{}".into());
                    db::set_metrics(&db.pool, p.id, &json).await?;
                    // The same figures as points in time, for Measure's daily rollups.
                    let figures: Vec<(String, f64)> =
                        m.iter().map(|(k, v)| (k.clone(), *v as f64)).collect();
                    crate::measure::record_post_figures(
                        &db.pool,
                        p.organization_id,
                        p.channel_id,
                        p.post_id,
                        kehilla_db::now_ms(),
                        &figures,
                    )
                    .await?;
                }
                Err(PublishError::Retry(m)) => return Err(JobError::Retry(m)),
                Err(PublishError::RateLimited { until }) => {
                    return Err(JobError::Later {
                        at: until,
                        reason: "rate limited".into(),
                    });
                }
                Err(e @ PublishError::Reconnect(_)) => {
                    db::record_call(&db.pool, conn.id, Some((e.code(), &e.detail())), true).await?;
                }
                // No figures on this network (Telegram), or the post is gone: nothing to read
                // until the next round.
                Err(_) => db::set_metrics(&db.pool, p.id, &p.metrics).await?,
            }
            Ok(())
        })
    }
}
