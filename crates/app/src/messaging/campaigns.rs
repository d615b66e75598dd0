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
    })
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
    let subject = input.subject.trim();
    if subject.is_empty() {
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
    let checked = CampaignInput {
        advertising: false,
        lang: lang.to_string(),
        ..input.clone()
    };
    render::render(
        &campaign_of(&checked),
        &values(None, &by.org.name),
        &Footer::default(),
    )
    .map_err(|e| render_error(&e))?;
    let data = CampaignData {
        name: &name,
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
        purpose: c.purpose.clone(),
        lang: c.lang.clone(),
        subject: c.subject.clone(),
        body: c.body.clone(),
        advertising: c.advertising == 1,
        segment: c.segment.clone(),
    };
    let footer = footer(db, by, unsubscribe_url).await?;
    render::render(
        &campaign_of(&input),
        &values(p.as_ref(), &by.org.name),
        &footer,
    )
    .map_err(|e| render_error(&e))
}
