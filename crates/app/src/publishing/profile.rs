//! The organization's public profile (description, website, logo from the media library),
//! pushed to the networks whose API lets an app change it: Mastodon (note, a profile field,
//! avatar), Bluesky (the profile record), Telegram (the channel's description and photo) and
//! Facebook (the Page's about and website). One durable job per connection; each records when
//! it last succeeded or why it did not.

use futures::future::BoxFuture;
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::publishing as db;
use kehilla_db::studio;
use kehilla_domain::Role;
use kehilla_domain::validate::InputError;

use super::{Attachment, Profile, adapter_for};
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::members::OrgMember;
use crate::secrets::Sealer;
use crate::studio::media::Storage;
use crate::{AppError, Result};

pub const PUSH: &str = "publish.profile";
/// Longest description kept (the networks cut lower: Bluesky 256, Telegram 255, Mastodon 500).
pub const MAX_DESCRIPTION: usize = 500;

/// Whether Kehilla can set the profile on this network.
pub fn can_push(network: &str) -> bool {
    matches!(network, "mastodon" | "bluesky" | "telegram" | "facebook")
}

/// Saves the profile. The website must be a web address; the logo a picture of the library.
pub async fn save(
    db: &kehilla_db::Db,
    by: &OrgMember,
    description: &str,
    website: &str,
    logo_media: &str,
) -> Result<()> {
    if by.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let description = description.trim();
    if description.chars().count() > MAX_DESCRIPTION {
        return Err(AppError::Input {
            field: "description",
            error: InputError::TooLong,
        });
    }
    let website = website.trim();
    if !website.is_empty() && !super::posts_is_web_address(website) {
        return Err(AppError::Input {
            field: "website",
            error: InputError::InvalidValue,
        });
    }
    let logo = logo_media.trim();
    if !logo.is_empty() {
        let m = studio::media(&db.pool, by.org.id, logo).await?;
        if m.kind != "image" {
            return Err(AppError::Input {
                field: "logo_media",
                error: InputError::InvalidValue,
            });
        }
    }
    db::save_profile(&db.pool, by.org.id, description, website, logo).await?;
    Ok(())
}

/// Queues pushing the profile to every connected channel that can take it; returns how many.
pub async fn push(db: &kehilla_db::Db, by: &OrgMember) -> Result<usize> {
    if by.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let chans = studio::channels(&db.pool, by.org.id).await?;
    let mut tx = db.begin().await?;
    let mut n = 0;
    for c in db::connections(&mut *tx, by.org.id).await? {
        let Some(ch) = chans.iter().find(|x| x.id == c.channel_id) else {
            continue;
        };
        if !can_push(&ch.network) || c.needs_reconnect == 1 {
            continue;
        }
        let mut job = NewJob::new(PUSH, serde_json::json!({ "connection": c.id })).org(by.org.id);
        job.unique_key = Some(format!("profile-{}-{}", c.id, kehilla_db::now_ms()));
        jobs::enqueue(&mut *tx, job).await?;
        n += 1;
    }
    tx.commit().await?;
    Ok(n)
}

/// Pushes the profile to one connection.
pub struct PushProfileJob;

impl JobHandler for PushProfileJob {
    fn kind(&self) -> &'static str {
        PUSH
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let db = &ctx.db;
            let id = crate::jobs::payload_id(job, "connection")?;
            let conn = match db::connection_by_id(&db.pool, id).await {
                Ok(c) => c,
                Err(kehilla_db::DbError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            let network = studio::channel_network(&db.pool, conn.channel_id).await?;
            let Some(a) = adapter_for(&network, &conn.server_url, ctx.settings.fetch_private)
            else {
                return Ok(());
            };
            let org = kehilla_db::orgs::by_id(&db.pool, conn.organization_id).await?;
            let (description, website, logo_media) =
                db::profile(&db.pool, conn.organization_id).await?;
            let internal = |e: AppError| JobError::Retry(e.to_string());
            let logo = if logo_media.is_empty() {
                None
            } else {
                let f = studio::media_file_public(&db.pool, &logo_media, "large").await?;
                let storage = Storage::from_settings(&ctx.settings);
                Some(Attachment {
                    bytes: storage.get(&f.storage_key).await.map_err(internal)?,
                    mime: f.mime,
                    file_name: "logo".into(),
                    alt_text: org.name.clone(),
                    url: String::new(),
                })
            };
            let profile = Profile {
                name: org.name.clone(),
                description,
                website,
                logo,
            };
            let sealer = Sealer::of_instance(db, &ctx.settings)
                .await
                .map_err(internal)?;
            let access = super::access_of(&conn, &sealer).map_err(internal)?;
            match a.push_profile(&access, &profile).await {
                Ok(()) => db::set_profile_result(&db.pool, conn.id, "").await?,
                Err(super::PublishError::Retry(m)) => return Err(JobError::Retry(m)),
                Err(super::PublishError::RateLimited { until }) => {
                    return Err(JobError::Later {
                        at: until,
                        reason: "rate limited".into(),
                    });
                }
                Err(e) => {
                    let text = format!("{}: {}", e.code(), e.detail());
                    db::set_profile_result(&db.pool, conn.id, &text).await?;
                }
            }
            Ok(())
        })
    }
}
