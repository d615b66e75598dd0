//! The daily email digest of the inbox, per member (each member can turn theirs off): what is
//! new or open since the last one, the ten newest first, with a link to the inbox.

use futures::future::BoxFuture;
use kehilla_db::inbox::{self as db, Filter};
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::{Db, now_ms};
use kehilla_domain::validate::Lang;
use serde::Deserialize;

use crate::i18n;
use crate::jobs::{JobContext, JobError, JobHandler};

pub const DIGEST: &str = "inbox.digest";
const DAY: i64 = 86_400_000;

/// Queues the digests that are due; returns how many.
pub async fn enqueue_due(database: &Db, now: i64) -> crate::Result<usize> {
    let mut n = 0;
    for (org, user, _, _, _) in db::digests_due(&database.pool, now).await? {
        let mut job = NewJob::new(DIGEST, serde_json::json!({ "user": user }))
            .org(org)
            .max_attempts(5);
        job.unique_key = Some(format!("inbox-digest-{org}-{user}-{}", now / DAY));
        if jobs::enqueue(&database.pool, job).await?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}

#[derive(Deserialize)]
struct Payload {
    user: i64,
}

/// Sends one member's digest.
pub struct DigestJob;

impl JobHandler for DigestJob {
    fn kind(&self) -> &'static str {
        DIGEST
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let database = &ctx.db;
            let Ok(p) = serde_json::from_str::<Payload>(&job.payload) else {
                return Err(JobError::Permanent("no member in the payload".into()));
            };
            let org_id = job
                .organization_id
                .ok_or_else(|| JobError::Permanent("no organization".into()))?;
            let org = kehilla_db::orgs::by_id(&database.pool, org_id).await?;
            // Still a member?
            let Some(member) = kehilla_db::orgs::members(&database.pool, org_id)
                .await?
                .into_iter()
                .find(|m| m.user_id == p.user)
            else {
                return Ok(());
            };
            let user = kehilla_db::users::by_id(&database.pool, p.user).await?;
            let lang = Lang::parse(&user.lang).unwrap_or_default();
            let rows = db::list(
                &database.pool,
                org_id,
                &Filter {
                    status: String::new(),
                    ..Filter::default()
                },
                10,
                0,
            )
            .await?;
            let (new, mine) = db::unread(&database.pool, org_id, p.user).await?;
            let now = now_ms();
            if rows.is_empty() {
                db::digest_sent(&database.pool, org_id, p.user, now).await?;
                return Ok(());
            }
            let mut body = i18n::t_mixed(
                lang,
                "inbox-digest-intro",
                &[("org", org.name.clone())],
                &[("new", new), ("mine", mine)],
            );
            body.push_str("\n\n");
            for r in &rows {
                let who = if r.author.is_empty() {
                    &r.handle
                } else {
                    &r.author
                };
                let excerpt: String = r
                    .excerpt
                    .as_deref()
                    .unwrap_or_default()
                    .chars()
                    .take(140)
                    .collect();
                body.push_str(&format!(
                    "• {who} ({}): {excerpt}\n  {}/orgs/{}/inbox/{}\n",
                    r.source, ctx.base_url, org.slug, r.public_id
                ));
            }
            body.push('\n');
            body.push_str(&i18n::t_args(
                lang,
                "inbox-digest-footer",
                &[(
                    "link",
                    format!("{}/orgs/{}/inbox/settings", ctx.base_url, org.slug),
                )],
            ));
            let subject = i18n::t_mixed(
                lang,
                "inbox-digest-subject",
                &[("org", org.name.clone())],
                &[("new", new)],
            );
            ctx.mailer
                .send(&member.email, &subject, &body)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            db::digest_sent(&database.pool, org_id, p.user, now).await?;
            Ok(())
        })
    }
}
