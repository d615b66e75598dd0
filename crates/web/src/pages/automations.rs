//! Automations: sequences of messages that events start, with a welcome and a re-engagement
//! sequence ready to edit.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::messaging::automations::{self as uc, AutomationInput, TRIGGERS};
use kehilla_db::automations::{self as db, Automation};
use kehilla_db::messaging::{self as mdb, Figures};

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

/// One automation in the list: it, its step count and (active, done, left) runs.
pub struct Row {
    pub a: Automation,
    pub steps: usize,
    pub runs: (i64, i64, i64),
}

#[derive(Template)]
#[template(path = "people/automations.html")]
struct ListPage {
    c: Chrome,
    sub: &'static str,
    rows: Vec<Row>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    uc::ensure_ready(&st.db, &org.0).await?;
    let c = Chrome::new(&st, &ctx, Some(&org), "people", "automations-title")
        .await?
        .with_notice(q.done.as_deref());
    let mut rows = Vec::new();
    for a in db::list(&st.db.pool, org.0.org.id).await? {
        let steps = db::steps(&st.db.pool, a.id).await?.len();
        let runs = db::run_counts(&st.db.pool, a.id).await?;
        rows.push(Row { a, steps, runs });
    }
    Ok(render(&ListPage {
        c,
        sub: "automations",
        rows,
    }))
}

/// A step on the page: delay, subject, body and the figures of its campaign.
pub struct StepView {
    pub delay: String,
    pub subject: String,
    pub body: String,
    pub figures: Option<Figures>,
}

#[derive(Template)]
#[template(path = "people/automation.html")]
struct EditPage {
    c: Chrome,
    sub: &'static str,
    a: Option<Automation>,
    input: AutomationInput,
    steps: Vec<StepView>,
    triggers: Vec<&'static str>,
    purposes: &'static [&'static str; 5],
    runs: (i64, i64, i64),
    error: Option<String>,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    a: Option<Automation>,
    input: AutomationInput,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let title = if a.is_some() {
        "automation-edit"
    } else {
        "automation-new"
    };
    let c = Chrome::new(st, ctx, Some(org), "people", title)
        .await?
        .with_notice(done);
    let mut figures: Vec<Option<Figures>> = Vec::new();
    let mut runs = (0, 0, 0);
    if let Some(a) = &a {
        for s in db::steps(&st.db.pool, a.id).await? {
            figures.push(Some(mdb::figures(&st.db.pool, s.campaign_id).await?));
        }
        runs = db::run_counts(&st.db.pool, a.id).await?;
    }
    let mut steps: Vec<StepView> = input
        .steps
        .iter()
        .enumerate()
        .map(|(i, (d, s, b))| StepView {
            delay: d.clone(),
            subject: s.clone(),
            body: b.clone(),
            figures: figures.get(i).cloned().flatten(),
        })
        .collect();
    // One empty step at the end, to add.
    steps.push(StepView {
        delay: "24".into(),
        subject: String::new(),
        body: String::new(),
        figures: None,
    });
    Ok(render(&EditPage {
        c,
        sub: "automations",
        a,
        input,
        steps,
        triggers: TRIGGERS.iter().map(|(t, _)| *t).collect(),
        purposes: &kehilla_db::segments::PURPOSES,
        runs,
        error,
    }))
}

async fn input_of(st: &AppState, a: &Automation) -> WebResult<AutomationInput> {
    let mut steps = Vec::new();
    for s in db::steps(&st.db.pool, a.id).await? {
        let c = mdb::by_id(&st.db.pool, s.campaign_id).await?;
        steps.push((s.delay_hours.to_string(), c.subject, c.body));
    }
    Ok(AutomationInput {
        name: a.name.clone(),
        trigger: a.trigger_kind.clone(),
        trigger_ref: a.trigger_ref.clone(),
        purpose: a.purpose.clone(),
        steps,
    })
}

pub async fn new(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let input = AutomationInput {
        trigger: "signed-up".into(),
        purpose: "newsletter".into(),
        ..AutomationInput::default()
    };
    page(&st, &ctx, &org, None, input, None, None).await
}

pub async fn show(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let a = db::get(&st.db.pool, org.0.org.id, &id).await?;
    let input = input_of(&st, &a).await?;
    page(&st, &ctx, &org, Some(a), input, None, q.done.as_deref()).await
}

fn parse(pairs: &[(String, String)]) -> AutomationInput {
    let mut i = AutomationInput::default();
    let mut steps: std::collections::BTreeMap<usize, (String, String, String)> =
        std::collections::BTreeMap::new();
    for (k, v) in pairs {
        match k.as_str() {
            "name" => i.name = v.clone(),
            "trigger" => i.trigger = v.clone(),
            "trigger_ref" => i.trigger_ref = v.clone(),
            "purpose" => i.purpose = v.clone(),
            _ => {
                let Some((field, n)) = k.rsplit_once('_') else {
                    continue;
                };
                let Ok(n) = n.parse::<usize>() else { continue };
                if n >= 20 {
                    continue;
                }
                let e = steps.entry(n).or_default();
                match field {
                    "delay" => e.0 = v.clone(),
                    "subject" => e.1 = v.clone(),
                    "body" => e.2 = v.clone(),
                    _ => {}
                }
            }
        }
    }
    // A step left empty (the blank one at the end) is not a step.
    i.steps = steps
        .into_values()
        .filter(|(_, s, b)| !(s.trim().is_empty() && b.trim().is_empty()))
        .collect();
    i
}

async fn save(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    id: Option<String>,
    pairs: Vec<(String, String)>,
) -> WebResult<Response> {
    let input = parse(&pairs);
    match uc::save(&st.db, &org.0, id.as_deref(), &input).await {
        Ok(public_id) => Ok(Redirect::to(&format!(
            "/orgs/{}/automations/{public_id}?done=automation-saved",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let a = match &id {
                Some(i) => Some(db::get(&st.db.pool, org.0.org.id, i).await?),
                None => None,
            };
            let msg = message(ctx, &e);
            page(st, ctx, org, a, input, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    save(&st, &ctx, &org, None, pairs).await
}

pub async fn update(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    save(&st, &ctx, &org, Some(id), pairs).await
}

#[derive(serde::Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

pub async fn set_active(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<ActiveForm>,
) -> WebResult<Response> {
    let on = f.active == "1";
    uc::set_active(&st.db, &org.0, &id, on).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/automations/{id}?done={}",
        org.0.org.slug,
        if on {
            "automation-on"
        } else {
            "automation-off"
        }
    ))
    .into_response())
}
