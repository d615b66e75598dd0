//! People settings of an organization: its role list, custom fields, and what the law needs to
//! know (registered nonprofit, legal name, contact details).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_db::people::{self, CustomField, RoleOption};
use kehilla_domain::validate::InputError;
use serde::Deserialize;

use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

pub const FIELD_TYPES: [&str; 4] = ["text", "number", "date", "choice"];

#[derive(Template)]
#[template(path = "people/settings.html")]
struct SettingsPage {
    c: Chrome,
    roles: Vec<RoleOption>,
    fields: Vec<CustomField>,
    field_types: [&'static str; 4],
    nonprofit: bool,
    legal_name: String,
    contact: String,
}

pub async fn page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let legal = kehilla_db::orgs::legal_settings(&st.db.pool, org.0.org.id).await?;
    let c = Chrome::new(&st, &ctx, Some(&org), "settings", "people-settings-title")
        .await?
        .with_notice(q.done.as_deref());
    Ok(render(&SettingsPage {
        c,
        roles: people::role_options(&st.db.pool, org.0.org.id).await?,
        fields: people::custom_fields(&st.db.pool, org.0.org.id).await?,
        field_types: FIELD_TYPES,
        nonprofit: legal.registered_nonprofit == 1,
        legal_name: legal.legal_name,
        contact: legal.contact_details,
    }))
}

fn back(org: &OrgCtx, done: &str) -> Response {
    Redirect::to(&format!(
        "/orgs/{}/settings/people?done={done}",
        org.0.org.slug
    ))
    .into_response()
}

#[derive(Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    nonprofit: String,
    #[serde(default)]
    legal_name: String,
    #[serde(default)]
    contact: String,
}

pub async fn save_org(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<OrgForm>,
) -> WebResult<Response> {
    let legal = kehilla_app::people::person::short("legal_name", &f.legal_name, 200)?;
    let contact = kehilla_app::people::person::short("contact", &f.contact, 500)?;
    let legal = kehilla_db::orgs::LegalSettings {
        registered_nonprofit: i64::from(f.nonprofit == "1"),
        legal_name: legal,
        contact_details: contact,
    };
    kehilla_db::orgs::set_legal_settings(&st.db.pool, org.0.org.id, &legal).await?;
    // Whether the organization is a registered nonprofit changes who may be emailed: on record.
    kehilla_app::audit::record(
        &st.db.pool,
        Some(org.0.org.id),
        &ctx.actor(),
        kehilla_app::audit::SETTINGS_CHANGED,
        &format!("registered_nonprofit={}", f.nonprofit == "1"),
    )
    .await?;
    Ok(back(&org, "settings-saved"))
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    remove: String,
}

pub async fn save_role(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<RoleForm>,
) -> WebResult<Response> {
    let key = kehilla_app::people::person::label(&f.key).ok_or(AppError::Input {
        field: "key",
        error: InputError::Required,
    })?;
    if f.remove == "1" {
        people::delete_role_option(&st.db.pool, org.0.org.id, &key).await?;
    } else {
        let label = kehilla_app::people::person::short("label", &f.label, 60)?;
        let label = if label.is_empty() { key.clone() } else { label };
        people::set_role_option(&st.db.pool, org.0.org.id, &key, &label, 100).await?;
    }
    Ok(back(&org, "settings-saved"))
}

#[derive(Deserialize)]
pub struct FieldForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    field_type: String,
    #[serde(default)]
    choices: String,
}

pub async fn add_field(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<FieldForm>,
) -> WebResult<Response> {
    let key =
        kehilla_domain::validate::slug(&f.key.replace('_', "-")).map_err(AppError::input("key"))?;
    let label = kehilla_domain::validate::name(&f.label, 80).map_err(AppError::input("label"))?;
    if !FIELD_TYPES.contains(&f.field_type.as_str()) {
        return Err(AppError::Input {
            field: "field_type",
            error: InputError::InvalidValue,
        }
        .into());
    }
    let choices: Vec<String> = f
        .choices
        .split(',')
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .take(50)
        .collect();
    if f.field_type == "choice" && choices.is_empty() {
        return Err(AppError::Input {
            field: "choices",
            error: InputError::Required,
        }
        .into());
    }
    people::create_custom_field(
        &st.db.pool,
        org.0.org.id,
        &key,
        &label,
        &f.field_type,
        &choices,
    )
    .await
    .map_err(|e| match e {
        kehilla_db::DbError::Conflict(_) => AppError::Conflict("field-exists"),
        e => e.into(),
    })?;
    Ok(back(&org, "settings-saved"))
}
