//! The JSON API, `/api/v1/…`, authenticated by personal API tokens (`Authorization: Bearer`).
//! Errors are `{"code", "message", "field"}` with a stable code and a translated message
//! (Accept-Language decides the language). The document is at `/api/openapi.json`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use kehilla_app::{audit, members};
use kehilla_db::{jobs, orgs};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

pub async fn openapi_document(State(st): State<AppState>) -> Response {
    Json(crate::openapi::document(&st.settings.base_url())).into_response()
}

#[derive(Serialize)]
pub struct OrganizationOut {
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub role: String,
}

pub async fn organization(Extension(org): Extension<OrgCtx>) -> Json<OrganizationOut> {
    Json(OrganizationOut {
        slug: org.0.org.slug.clone(),
        name: org.0.org.name.clone(),
        time_zone: org.0.org.time_zone.clone(),
        role: org.0.role.as_str().into(),
    })
}

#[derive(Serialize)]
pub struct MemberOut {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub joined_at: i64,
}

impl From<orgs::Member> for MemberOut {
    fn from(m: orgs::Member) -> Self {
        MemberOut {
            id: m.public_id,
            name: m.name,
            email: m.email,
            role: m.role,
            joined_at: m.created_at,
        }
    }
}

pub async fn members(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Json<Vec<MemberOut>>> {
    let list = orgs::members(&st.db.pool, org.0.org.id).await?;
    Ok(Json(list.into_iter().map(MemberOut::from).collect()))
}

#[derive(Deserialize)]
pub struct RoleIn {
    pub role: String,
}

pub async fn change_role(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, member)): Path<(String, String)>,
    Json(body): Json<RoleIn>,
) -> WebResult<Json<MemberOut>> {
    let m = members::change_role(&st.db, &org.0, &member, &body.role, &api_actor(&ctx)).await?;
    Ok(Json(m.into()))
}

pub async fn remove_member(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, member)): Path<(String, String)>,
) -> WebResult<StatusCode> {
    members::remove(&st.db, &org.0, &member, &api_actor(&ctx)).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct InviteIn {
    pub role: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize)]
pub struct InvitationOut {
    pub id: String,
    pub role: String,
    pub url: String,
    pub expires_at: i64,
}

pub async fn invite(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Json(body): Json<InviteIn>,
) -> WebResult<(StatusCode, Json<InvitationOut>)> {
    let (inv, token) =
        members::invite(&st.db, &org.0, &body.role, &body.note, &api_actor(&ctx)).await?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationOut {
            id: inv.public_id,
            role: inv.role,
            url: format!("{}/invite/{token}", st.settings.base_url()),
            expires_at: inv.expires_at,
        }),
    ))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    pub before: Option<i64>,
}

#[derive(Serialize)]
pub struct AuditOut {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub ip: String,
    pub at: i64,
}

pub async fn audit(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<AuditQuery>,
) -> WebResult<Json<Vec<AuditOut>>> {
    let list = kehilla_db::audit::of_org(&st.db.pool, org.0.org.id, q.before, 100).await?;
    Ok(Json(
        list.into_iter()
            .map(|e| AuditOut {
                id: e.id,
                actor: e.actor_label,
                action: e.action,
                target: e.target,
                ip: e.ip,
                at: e.created_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct JobsQuery {
    pub status: Option<String>,
}

#[derive(Serialize)]
pub struct JobOut {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
    pub last_error: String,
}

pub async fn jobs(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<JobsQuery>,
) -> WebResult<Response> {
    let status = q.status.unwrap_or_else(|| jobs::DEAD.into());
    if !crate::pages::jobs::STATUSES.contains(&status.as_str()) {
        return Err(kehilla_app::AppError::Input {
            field: "status",
            error: kehilla_domain::validate::InputError::Required,
        }
        .into());
    }
    let list = jobs::of_org(&st.db.pool, org.0.org.id, &status, 100).await?;
    let out: Vec<JobOut> = list
        .into_iter()
        .map(|j| JobOut {
            id: j.public_id,
            kind: j.kind,
            status: j.status,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            run_at: j.run_at,
            last_error: j.last_error,
        })
        .collect();
    Ok(Json(out).into_response())
}

pub async fn retry_job(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, job)): Path<(String, String)>,
) -> WebResult<StatusCode> {
    kehilla_app::jobs::retry_dead(&st.db, &org.0, &job, &api_actor(&ctx)).await?;
    if let Some(w) = &st.worker {
        w.wake();
    }
    Ok(StatusCode::NO_CONTENT)
}

fn api_actor(ctx: &Ctx) -> audit::Actor {
    let mut a = ctx.actor();
    a.label = format!("{} (API)", a.label);
    a
}
