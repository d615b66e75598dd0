//! A member's personal API tokens in an organization.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::tokens;
use kehilla_db::tokens::ApiToken;
use serde::Deserialize;

use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    c: Chrome,
    tokens: Vec<ApiToken>,
    new_secret: Option<String>,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    new_secret: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let tokens = kehilla_db::tokens::of_member(&st.db.pool, org.0.org.id, org.0.user.id).await?;
    let c = Chrome::new(st, ctx, Some(org), "settings", "tokens-title")
        .await?
        .with_notice(done);
    Ok(render(&TokensPage {
        c,
        tokens,
        new_secret,
    }))
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    page(&st, &ctx, &org, None, q.done.as_deref()).await
}

#[derive(Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<NewTokenForm>,
) -> WebResult<Response> {
    let (_, secret) = tokens::create(&st.db, &org.0, &f.name, &f.scope, &ctx.actor()).await?;
    page(&st, &ctx, &org, Some(secret), None).await
}

pub async fn revoke(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, token)): Path<(String, String)>,
) -> WebResult<Response> {
    tokens::revoke(&st.db, &org.0, &token, &ctx.actor()).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/settings/tokens?done=token-revoked",
        org.0.org.slug
    ))
    .into_response())
}
