//! Campaign drafts: written in Markdown with personalization, checked as they are saved (the
//! template must render for a sample person), their audience counted through the consent gate,
//! and previewed as a chosen person.

use kehilla_db::messaging::{self as db, Campaign, CampaignData};
use kehilla_db::segments::Filter;
use kehilla_db::{Db, DbError};
use kehilla_domain::Role;
use kehilla_domain::validate::InputError;

use super::gate::{Gate, gate};
use super::render::{self, Footer, RenderError, Rendered};
use crate::members::OrgMember;
use crate::{AppError, Result};

/// What a campaign form gives.
#[derive(Debug, Clone, Default)]
pub struct CampaignInput {
    pub name: String,
    /// markdown or blocks (then `body` is the blocks' JSON)
    pub format: String,
    /// Media library files to attach (public ids).
    pub attachments: Vec<String>,
    /// email or sms
    pub channel: String,
    pub purpose: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub advertising: bool,
    pub segment: String,
}

fn render_error(e: &RenderError) -> AppError {
    AppError::Conflict(e.code())
}

/// A person's values for the template: `person` and `org`.
pub fn values(p: Option<&kehilla_db::people::Person>, org_name: &str) -> serde_json::Value {
    let person = match p {
        Some(p) => serde_json::json!({
            "first_name": p.first_name, "last_name": p.last_name,
            "email": p.email.clone().unwrap_or_default(),
        }),
        None => {
            serde_json::json!({"first_name": "נועה", "last_name": "כהן", "email": "noa@example.org"})
        }
    };
    serde_json::json!({ "person": person, "org": { "name": org_name } })
}

async fn footer(db: &Db, by: &OrgMember, unsubscribe_url: &str) -> Result<Footer> {
    let legal = kehilla_db::orgs::legal_settings(&db.pool, by.org.id).await?;
    Ok(Footer {
        org_name: by.org.name.clone(),
        legal_name: legal.legal_name,
        contact: legal.contact_details,
        unsubscribe_url: unsubscribe_url.to_string(),
        pixel_url: String::new(),
    })
}

/// All of a campaign's attachments together may weigh this much (most mail systems refuse
/// messages much over 10 MB once encoded).
pub const MAX_ATTACHMENTS: i64 = 10 * 1024 * 1024;

/// A campaign's attachments (media public ids).
pub fn attachments_of(c: &Campaign) -> Vec<String> {
    serde_json::from_str(&c.attachments).unwrap_or_default()
}

/// Checks the files to attach: the organization's own, not for SMS, together no more than
/// [`MAX_ATTACHMENTS`]. Returns them as JSON.
pub async fn check_attachments(db: &Db, org: i64, channel: &str, ids: &[String]) -> Result<String> {
    let mut ids: Vec<String> = ids
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    ids.dedup();
    if ids.is_empty() {
        return Ok("[]".into());
    }
    if channel == "sms" || ids.len() > 10 {
        return Err(AppError::Input {
            field: "attachments",
            error: InputError::InvalidValue,
        });
    }
    let mut total = 0;
    for id in &ids {
        let m = kehilla_db::studio::media(&db.pool, org, id).await?;
        total += m.bytes;
    }
    if total > MAX_ATTACHMENTS {
        return Err(AppError::Input {
            field: "attachments",
            error: InputError::TooLong,
        });
    }
    Ok(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()))
}

/// The organization's look for block campaigns: its colour and its logo's address.
pub async fn look(db: &Db, org: i64, base_url: &str) -> Result<super::blocks::Look> {
    let color = kehilla_db::messaging::sender(&db.pool, org)
        .await?
        .map(|s| s.brand_color)
        .unwrap_or_default();
    let (logo,): (Option<String>,) =
        kehilla_db::sqlx::query_as("SELECT logo_media FROM organizations WHERE id = $1")
            .bind(org)
            .fetch_one(&db.pool)
            .await
            .map_err(kehilla_db::DbError::from)?;
    let logo = logo
        .filter(|l| !l.is_empty())
        .map(|l| format!("{}/m/{l}/thumb", base_url.trim_end_matches('/')))
        .unwrap_or_default();
    Ok(super::blocks::Look {
        color: super::blocks::color(&color),
        logo,
    })
}

/// Renders a campaign's content in its format (Markdown or blocks).
pub fn render_any(
    input: &CampaignInput,
    values: &serde_json::Value,
    footer: &Footer,
    look: &super::blocks::Look,
) -> std::result::Result<Rendered, RenderError> {
    if input.format == "blocks" {
        let blocks = super::blocks::parse(&input.body).map_err(|e| RenderError::Template {
            code: e.code(),
            detail: String::new(),
        })?;
        let t = super::blocks::templates(&input.subject, &blocks)?;
        super::blocks::render(
            &t,
            &campaign_of(input),
            &blocks,
            values,
            footer,
            look,
            &|u| u.to_string(),
        )
    } else {
        render::render(&campaign_of(input), values, footer)
    }
}

fn campaign_of<'a>(c: &'a CampaignInput) -> render::Campaign<'a> {
    render::Campaign {
        lang: &c.lang,
        subject: &c.subject,
        markdown: &c.body,
        advertising: c.advertising,
    }
}

/// Saves a draft (new when `public_id` is none); returns its public id.
pub async fn save(
    db: &Db,
    by: &OrgMember,
    public_id: Option<&str>,
    input: &CampaignInput,
) -> Result<String> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let name = kehilla_domain::validate::name(&input.name, 120).map_err(AppError::input("name"))?;
    let purpose = crate::people::consent::check_purpose(&input.purpose)?;
    let lang = if input.lang == "en" { "en" } else { "he" };
    let channel = match input.channel.as_str() {
        "sms" => "sms",
        "email" | "" => "email",
        _ => {
            return Err(AppError::Input {
                field: "channel",
                error: InputError::InvalidValue,
            });
        }
    };
    let subject = if channel == "sms" {
        ""
    } else {
        input.subject.trim()
    };
    if channel == "sms" {
        let text = render::personalize(&input.body, &values(None, &by.org.name))
            .map_err(|e| render_error(&e))?;
        if text.trim().is_empty() {
            return Err(AppError::Input {
                field: "body",
                error: InputError::Required,
            });
        }
        if text.chars().count() > super::sms::MAX_CHARS {
            return Err(AppError::Input {
                field: "body",
                error: InputError::TooLong,
            });
        }
    } else if subject.is_empty() {
        return Err(AppError::Input {
            field: "subject",
            error: InputError::Required,
        });
    }
    if subject.chars().count() > 200 {
        return Err(AppError::Input {
            field: "subject",
            error: InputError::TooLong,
        });
    }
    if !input.segment.is_empty() {
        kehilla_db::segments::get(&db.pool, by.org.id, &input.segment).await?;
    }
    // The template must render for a sample person (the legal footer is checked when sending).
    let checked_subject = if channel == "sms" { "x" } else { subject };
    let checked = CampaignInput {
        advertising: false,
        lang: lang.to_string(),
        subject: checked_subject.to_string(),
        ..input.clone()
    };
    if channel == "sms" && input.format == "blocks" {
        return Err(AppError::Input {
            field: "format",
            error: InputError::InvalidValue,
        });
    }
    render_any(
        &checked,
        &values(None, &by.org.name),
        &Footer::default(),
        &super::blocks::Look::default(),
    )
    .map_err(|e| render_error(&e))?;
    let attachments = check_attachments(db, by.org.id, channel, &input.attachments).await?;
    let data = CampaignData {
        name: &name,
        channel,
        format: &input.format,
        attachments: &attachments,
        purpose,
        lang,
        subject,
        body: &input.body,
        advertising: input.advertising,
        segment: &input.segment,
    };
    match public_id {
        Some(id) => {
            if !db::update(&db.pool, by.org.id, id, &data).await? {
                db::get(&db.pool, by.org.id, id).await?;
                return Err(AppError::Conflict("campaign-not-draft"));
            }
            Ok(id.to_string())
        }
        None => Ok(db::create(&db.pool, by.org.id, by.user.id, &data)
            .await?
            .public_id),
    }
}

/// The campaign's audience: its segment, or everyone.
pub async fn audience(db: &Db, org: i64, c: &Campaign) -> Result<Filter> {
    if c.segment.is_empty() {
        return Ok(Filter::All { of: Vec::new() });
    }
    match kehilla_db::segments::get(&db.pool, org, &c.segment).await {
        Ok(s) => Ok(s.filter()),
        // The segment was deleted: no one, rather than everyone.
        Err(DbError::NotFound) => Ok(Filter::Any { of: Vec::new() }),
        Err(e) => Err(e.into()),
    }
}

/// The campaign's audience through the consent gate.
pub async fn gate_of(db: &Db, org: i64, c: &Campaign) -> Result<Gate> {
    let f = audience(db, org, c).await?;
    gate(db, org, &f, &c.channel, &c.purpose).await
}

/// The campaign as one person (or a sample person) would get it.
pub async fn preview(
    db: &Db,
    by: &OrgMember,
    c: &Campaign,
    person: Option<&str>,
    unsubscribe_url: &str,
) -> Result<Rendered> {
    let p = match person.filter(|p| !p.is_empty()) {
        Some(id) => Some(kehilla_db::people::get(&db.pool, by.org.id, id).await?),
        None => None,
    };
    let input = CampaignInput {
        name: c.name.clone(),
        format: c.format.clone(),
        attachments: attachments_of(c),
        channel: c.channel.clone(),
        purpose: c.purpose.clone(),
        lang: c.lang.clone(),
        subject: c.subject.clone(),
        body: c.body.clone(),
        advertising: c.advertising == 1,
        segment: c.segment.clone(),
    };
    let footer = footer(db, by, unsubscribe_url).await?;
    let base = unsubscribe_url.split("/-/").next().unwrap_or("");
    let look = look(db, by.org.id, base).await?;
    render_any(&input, &values(p.as_ref(), &by.org.name), &footer, &look)
        .map_err(|e| render_error(&e))
}

pub const TEST_SEND: &str = "mail.campaign-test";

/// Queues a test of the campaign to the member's own address, as a person of its audience (or
/// the sample person). The subject says it is a test.
pub async fn test_send(db: &Db, by: &OrgMember, c: &Campaign, person: &str) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    if !person.is_empty() {
        kehilla_db::people::get(&db.pool, by.org.id, person).await?;
    }
    let payload = serde_json::json!({
        "campaign": c.public_id, "user": by.user.id, "person": person,
    });
    let mut job = kehilla_db::jobs::NewJob::new(TEST_SEND, payload).org(by.org.id);
    job.unique_key = Some(format!("campaign-test-{}", kehilla_db::random_hex(8)));
    kehilla_db::jobs::enqueue(&db.pool, job).await?;
    Ok(())
}

/// Sends one test message.
pub struct TestSendJob;

impl crate::jobs::JobHandler for TestSendJob {
    fn kind(&self) -> &'static str {
        TEST_SEND
    }
    fn run<'a>(
        &'a self,
        ctx: &'a crate::jobs::JobContext,
        job: &'a kehilla_db::jobs::Claimed,
    ) -> futures::future::BoxFuture<'a, std::result::Result<(), crate::jobs::JobError>> {
        use crate::jobs::JobError;
        Box::pin(async move {
            let v: serde_json::Value = serde_json::from_str(&job.payload)
                .map_err(|_| JobError::Permanent("bad payload".into()))?;
            let (Some(campaign), Some(user), Some(org)) = (
                v.get("campaign").and_then(serde_json::Value::as_str),
                v.get("user").and_then(serde_json::Value::as_i64),
                job.organization_id,
            ) else {
                return Err(JobError::Permanent("bad payload".into()));
            };
            let person = v
                .get("person")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            let user = kehilla_db::users::by_id(&ctx.db.pool, user).await?;
            let org = kehilla_db::orgs::by_id(&ctx.db.pool, org).await?;
            let by = match crate::members::membership(&ctx.db, &user, &org.slug).await {
                Ok(m) => m,
                // No longer a member: nothing to send.
                Err(_) => return Ok(()),
            };
            let c = match db::get(&ctx.db.pool, org.id, campaign).await {
                Ok(c) => c,
                Err(DbError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            let unsubscribe = format!(
                "{}/-/unsubscribe-preview",
                ctx.base_url.trim_end_matches('/')
            );
            let r = match preview(&ctx.db, &by, &c, Some(person), &unsubscribe).await {
                Ok(r) => r,
                Err(e) => return Err(JobError::from(e)),
            };
            let mark = if c.lang == "en" {
                "[Test]"
            } else {
                "[בדיקה]"
            };
            ctx.mailer
                .send_alternative(
                    &user.email,
                    &format!("{mark} {}", r.subject),
                    &r.text,
                    &r.html,
                    &c.lang,
                )
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            Ok(())
        })
    }
}

/// Sends a draft now (`at` none) or at a time: checked as it would go out (the legal footer of
/// an advertising campaign, a template that renders), with someone to receive it.
pub async fn send(
    db: &Db,
    by: &OrgMember,
    public_id: &str,
    at: Option<i64>,
    open_tracking: bool,
    unsubscribe_url: &str,
) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let c = db::get(&db.pool, by.org.id, public_id).await?;
    if c.status != "draft" {
        return Err(AppError::Conflict("campaign-not-draft"));
    }
    let now = kehilla_db::now_ms();
    let at = at.unwrap_or(now);
    if at < now - 60_000 {
        return Err(AppError::Input {
            field: "scheduled_at",
            error: InputError::InvalidValue,
        });
    }
    // As it would go out: the footer the law asks of advertising, a template that renders.
    if c.channel == "sms" {
        if kehilla_db::messaging::sms_gateway(&db.pool, by.org.id)
            .await?
            .is_none()
        {
            return Err(AppError::Conflict("sms-no-gateway"));
        }
    } else {
        preview(db, by, &c, None, unsubscribe_url).await?;
    }
    let g = gate_of(db, by.org.id, &c).await?;
    if g.eligible == 0 {
        return Err(AppError::Conflict("campaign-no-recipients"));
    }
    if !db::schedule(&db.pool, by.org.id, public_id, at, open_tracking).await? {
        return Err(AppError::Conflict("campaign-not-draft"));
    }
    super::send::wake(db, c.id, by.org.id, at).await?;
    Ok(())
}

/// Pause, resume or cancel a campaign. Cancelling a scheduled campaign that has not started
/// makes it a draft again; cancelling one that is sending stops it for good.
pub async fn control(db: &Db, by: &OrgMember, public_id: &str, action: &str) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let c = db::get(&db.pool, by.org.id, public_id).await?;
    let org = by.org.id;
    let done = match action {
        "pause" => {
            db::transition(
                &db.pool,
                org,
                public_id,
                &["sending", "scheduled"],
                "paused",
            )
            .await?
        }
        "resume" => {
            let ok = db::transition(&db.pool, org, public_id, &["paused"], "sending").await?;
            if ok {
                super::send::wake(db, c.id, org, kehilla_db::now_ms()).await?;
            }
            ok
        }
        "cancel" if c.prepared == 0 && c.status == "scheduled" => {
            db::transition(&db.pool, org, public_id, &["scheduled"], "draft").await?
        }
        "cancel" => {
            let ok = db::transition(
                &db.pool,
                org,
                public_id,
                &["sending", "paused", "scheduled"],
                "cancelled",
            )
            .await?;
            if ok {
                db::cancel_rest(&db.pool, c.id).await?;
            }
            ok
        }
        _ => return Err(AppError::Conflict("campaign-action-unknown")),
    };
    if !done {
        return Err(AppError::Conflict("campaign-state"));
    }
    Ok(())
}
