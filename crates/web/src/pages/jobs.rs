//! Background jobs of an organization, for admins: what is queued, what failed for good, and a
//! button to send a dead job back to the queue.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kehilla_db::jobs::{self, JobRow};
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

pub const STATUSES: [&str; 4] = [jobs::DEAD, jobs::QUEUED, jobs::RUNNING, jobs::DONE];

#[derive(Template)]
#[template(path = "jobs.html")]
struct JobsPage {
    c: Chrome,
    status: String,
    counts: Vec<(String, i64)>,
    jobs: Vec<JobRow>,
}

impl JobsPage {
    fn count_of(&self, s: &str) -> i64 {
        self.counts
            .iter()
            .find(|(k, _)| k == s)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }
}

#[derive(Deserialize)]
pub struct JobsQuery {
    status: Option<String>,
    done: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<JobsQuery>,
) -> WebResult<Response> {
    let status = q
        .status
        .filter(|s| STATUSES.contains(&s.as_str()))
        .unwrap_or_else(|| jobs::DEAD.to_string());
    let counts = jobs::counts(&st.db.pool, org.0.org.id).await?;
    let list = jobs::of_org(&st.db.pool, org.0.org.id, &status, 100).await?;
    let c = Chrome::new(&st, &ctx, Some(&org), "settings", "jobs-title")
        .await?
        .with_notice(q.done.as_deref());
    Ok(render(&JobsPage {
        c,
        status,
        counts,
        jobs: list,
    }))
}

pub async fn retry(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, job)): Path<(String, String)>,
) -> WebResult<Response> {
    kehilla_app::jobs::retry_dead(&st.db, &org.0, &job, &ctx.actor()).await?;
    if let Some(w) = &st.worker {
        w.wake();
    }
    Ok(Redirect::to(&format!(
        "/orgs/{}/settings/jobs?done=job-retried",
        org.0.org.slug
    ))
    .into_response())
}
