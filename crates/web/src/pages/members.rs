//! Members: the list, invitations by link, joining, role changes, removal and leaving.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::members::{self, NewAccount};
use kehilla_app::{AppError, accounts};
use kehilla_db::orgs::{self, Invitation, Member};
use kehilla_domain::Role;
use serde::Deserialize;

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{WebError, WebResult};
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    c: Chrome,
    members: Vec<Member>,
    invitations: Vec<Invitation>,
    new_link: Option<String>,
    me: i64,
    roles: Vec<&'static str>,
    /// Who must use two-factor login, and the choices.
    requirement: String,
    requirements: Vec<&'static str>,
}

impl MembersPage {
    fn policy_name(&self, r: &str) -> String {
        self.c.t(&format!("two-factor-policy-{r}"))
    }
    fn can_manage(&self, role: &str) -> bool {
        match (self.c.role, Role::parse(role)) {
            (Some(me), Some(r)) => me.can_assign(r),
            _ => false,
        }
    }
}

async fn members_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    new_link: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let members = orgs::members(&st.db.pool, org.0.org.id).await?;
    let invitations = if org.0.role.allows(kehilla_domain::Permission::Admin) {
        orgs::open_invitations(&st.db.pool, org.0.org.id).await?
    } else {
        Vec::new()
    };
    let c = Chrome::new(st, ctx, Some(org), "settings", "members-title")
        .await?
        .with_notice(done);
    let roles = Role::ALL
        .iter()
        .filter(|r| org.0.role.can_assign(**r))
        .map(|r| r.as_str())
        .collect();
    Ok(render(&MembersPage {
        c,
        members,
        invitations,
        new_link,
        me: org.0.user.id,
        roles,
        requirement: org.0.org.two_factor_required.clone(),
        requirements: kehilla_app::two_factor::Requirement::ALL
            .iter()
            .map(|r| r.as_str())
            .collect(),
    }))
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    members_page(&st, &ctx, &org, None, q.done.as_deref()).await
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    note: String,
}

/// Creates an invitation and shows its link once.
pub async fn invite(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<InviteForm>,
) -> WebResult<Response> {
    let (_, token) = members::invite(&st.db, &org.0, &f.role, &f.note, &ctx.actor()).await?;
    let link = format!("{}/invite/{token}", st.settings.base_url());
    members_page(&st, &ctx, &org, Some(link), None).await
}

pub async fn revoke_invitation(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, invitation)): Path<(String, String)>,
) -> WebResult<Response> {
    members::revoke_invitation(&st.db, &org.0, &invitation, &ctx.actor()).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/settings/members?done=invitation-revoked",
        org.0.org.slug
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn change_role(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, member)): Path<(String, String)>,
    Form(f): Form<RoleForm>,
) -> WebResult<Response> {
    members::change_role(&st.db, &org.0, &member, &f.role, &ctx.actor()).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/settings/members?done=role-changed",
        org.0.org.slug
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct TwoFactorForm {
    #[serde(default)]
    two_factor_required: String,
}

/// Who in the organization must use two-factor login.
pub async fn save_two_factor(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<TwoFactorForm>,
) -> WebResult<Response> {
    kehilla_app::two_factor::set_requirement(&st.db, &org.0, &f.two_factor_required, &ctx.actor())
        .await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/settings/members?done=two-factor-policy-saved",
        org.0.org.slug
    ))
    .into_response())
}

pub async fn remove(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, member)): Path<(String, String)>,
) -> WebResult<Response> {
    members::remove(&st.db, &org.0, &member, &ctx.actor()).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/settings/members?done=member-removed",
        org.0.org.slug
    ))
    .into_response())
}

/// Leaves the organization (the last owner cannot).
pub async fn leave(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let me = orgs::members(&st.db.pool, org.0.org.id)
        .await?
        .into_iter()
        .find(|m| m.user_id == org.0.user.id)
        .ok_or(WebError(AppError::NotFound))?;
    members::remove(&st.db, &org.0, &me.public_id, &ctx.actor()).await?;
    Ok(Redirect::to("/orgs").into_response())
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    c: Chrome,
    token: String,
    org_name: String,
    role: String,
    signed_in: bool,
    error: Option<String>,
    name: String,
    email: String,
}

pub async fn invite_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let (inv, org) = members::open_invitation(&st.db, &token).await?;
    let c = Chrome::new(&st, &ctx, None, "", "invite-title").await?;
    let role = c.role_name(&inv.role);
    Ok(render(&InvitePage {
        c,
        token,
        org_name: org.name,
        role,
        signed_in: ctx.user.is_some(),
        error: None,
        name: String::new(),
        email: String::new(),
    }))
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn invite_accept(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(token): Path<String>,
    Form(f): Form<AcceptForm>,
) -> WebResult<Response> {
    let account = if ctx.user.is_some() {
        None
    } else {
        Some(NewAccount {
            name: f.name.clone(),
            email: f.email.clone(),
            password: f.password.clone(),
            lang: ctx.lang,
        })
    };
    match members::accept(&st.db, &token, ctx.user.as_ref(), account, &ctx.ip).await {
        Ok((user, org)) => {
            let to = format!("/orgs/{}?done=joined", org.slug);
            if ctx.user.is_none() {
                let s = accounts::login(
                    &st.db,
                    &user.email,
                    &f.password,
                    st.settings.session_days,
                    &ctx.user_agent,
                    &ctx.ip,
                )
                .await?;
                return Ok(super::accounts::signed_in(&st, &ctx, s, to));
            }
            Ok(Redirect::to(&to).into_response())
        }
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let (inv, org) = members::open_invitation(&st.db, &token).await?;
            let c = Chrome::new(&st, &ctx, None, "", "invite-title").await?;
            let role = c.role_name(&inv.role);
            let page = InvitePage {
                c,
                token,
                org_name: org.name,
                role,
                signed_in: ctx.user.is_some(),
                error: Some(message(&ctx, &e)),
                name: f.name,
                email: f.email,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
