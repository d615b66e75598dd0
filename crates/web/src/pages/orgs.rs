//! The organization chooser, an organization's overview, its settings and audit log.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::{AppError, accounts};
use kehilla_db::audit::AuditEntry;
use kehilla_db::{orgs, users};
use serde::Deserialize;

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{WebError, WebResult};
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "orgs.html")]
struct OrgsPage {
    c: Chrome,
    error: Option<String>,
    name: String,
    slug: String,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, None, "", "orgs-title").await?;
    Ok(render(&OrgsPage {
        c,
        error: None,
        name: String::new(),
        slug: String::new(),
    }))
}

#[derive(Deserialize)]
pub struct NewOrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(f): Form<NewOrgForm>,
) -> WebResult<Response> {
    let user = ctx.user.clone().ok_or(WebError(AppError::Unauthorized))?;
    match accounts::create_organization(&st.db, &user, &f.name, &f.slug, &ctx.actor()).await {
        Ok(org) => {
            Ok(Redirect::to(&format!("/orgs/{}?done=org-created", org.slug)).into_response())
        }
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let c = Chrome::new(&st, &ctx, None, "", "orgs-title").await?;
            let page = OrgsPage {
                c,
                error: Some(message(&ctx, &e)),
                name: f.name,
                slug: f.slug,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    c: Chrome,
    members: usize,
    areas: Vec<(&'static str, String, String)>,
}

/// The organization's home in the workspace; opening it makes it the one `/` returns to.
pub async fn overview(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    // Written only when it changes: a page view should not cost a write.
    if org.0.user.last_org_id != Some(org.0.org.id) {
        users::set_last_org(&st.db.pool, org.0.user.id, org.0.org.id).await?;
    }
    let members = orgs::members(&st.db.pool, org.0.org.id).await?.len();
    let c = Chrome::new(&st, &ctx, Some(&org), "overview", "overview-title")
        .await?
        .with_notice(q.done.as_deref());
    let areas = super::areas::AREAS
        .iter()
        .map(|a| {
            (
                *a,
                c.t(&format!("nav-{a}")),
                c.t(&format!("area-{a}-summary")),
            )
        })
        .collect();
    Ok(render(&OverviewPage { c, members, areas }))
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    c: Chrome,
}

pub async fn settings(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, Some(&org), "settings", "settings-title").await?;
    Ok(render(&SettingsPage { c }))
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    entries: Vec<AuditEntry>,
    older: Option<i64>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

pub const AUDIT_PAGE: i64 = 50;

pub async fn audit(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<AuditQuery>,
) -> WebResult<Response> {
    let entries =
        kehilla_db::audit::of_org(&st.db.pool, org.0.org.id, q.before, AUDIT_PAGE).await?;
    let older = if i64::try_from(entries.len()).unwrap_or(0) == AUDIT_PAGE {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    let c = Chrome::new(&st, &ctx, Some(&org), "settings", "audit-title").await?;
    Ok(render(&AuditPage { c, entries, older }))
}

impl AuditPage {
    fn action(&self, a: &str) -> String {
        crate::i18n::try_t(self.c.lang, &format!("audit-{a}")).unwrap_or_else(|| a.to_string())
    }
}
