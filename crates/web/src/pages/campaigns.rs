//! Email campaigns: drafts in Markdown with personalization, the audience through the consent
//! gate, and a preview as a chosen person.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::messaging::campaigns::{self as uc, CampaignInput};
use kehilla_app::messaging::gate::Gate;
use kehilla_db::messaging::{self as db, Campaign};
use kehilla_db::segments::{self as seg, Segment};
use serde::Deserialize;

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "people/campaigns.html")]
struct ListPage {
    c: Chrome,
    sub: &'static str,
    campaigns: Vec<Campaign>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, Some(&org), "people", "campaigns-title")
        .await?
        .with_notice(q.done.as_deref());
    let campaigns = db::list(&st.db.pool, org.0.org.id).await?;
    Ok(render(&ListPage {
        c,
        sub: "campaigns",
        campaigns,
    }))
}

#[derive(Template)]
#[template(path = "people/campaign.html")]
struct EditPage {
    c: Chrome,
    sub: &'static str,
    campaign: Option<Campaign>,
    input: CampaignInput,
    purposes: &'static [&'static str; 5],
    segments: Vec<Segment>,
    gate: Option<Gate>,
    /// People of the audience to preview as: (public id, name).
    people: Vec<(String, String)>,
    person: String,
    error: Option<String>,
}

impl EditPage {
    fn reason(&self, code: &str) -> String {
        self.c.t(code)
    }
}

fn input_of(c: &Campaign) -> CampaignInput {
    CampaignInput {
        name: c.name.clone(),
        purpose: c.purpose.clone(),
        lang: c.lang.clone(),
        subject: c.subject.clone(),
        body: c.body.clone(),
        advertising: c.advertising == 1,
        segment: c.segment.clone(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    campaign: Option<Campaign>,
    input: CampaignInput,
    person: String,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let title = if campaign.is_some() {
        "campaign-edit"
    } else {
        "campaign-new"
    };
    let c = Chrome::new(st, ctx, Some(org), "people", title)
        .await?
        .with_notice(done);
    let id = org.0.org.id;
    let (gate, people) = match &campaign {
        Some(x) => {
            let gate = uc::gate_of(&st.db, id, x).await.ok();
            let f = uc::audience(&st.db, id, x).await?;
            let compiled = kehilla_app::people::segments::compile(&st.db, id, &f).await?;
            let mut people = Vec::new();
            for pid in seg::ids(&st.db.pool, id, &compiled, 0, 20).await? {
                if let Ok(p) = kehilla_db::people::by_id(&st.db.pool, id, pid).await {
                    let name = format!("{} {}", p.first_name, p.last_name)
                        .trim()
                        .to_string();
                    people.push((p.public_id, name));
                }
            }
            (gate, people)
        }
        None => (None, Vec::new()),
    };
    Ok(render(&EditPage {
        c,
        sub: "campaigns",
        campaign,
        input,
        purposes: &kehilla_db::segments::PURPOSES,
        segments: seg::of_org(&st.db.pool, id).await?,
        gate,
        people,
        person,
        error,
    }))
}

pub async fn new(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let input = CampaignInput {
        lang: "he".into(),
        purpose: "newsletter".into(),
        body: "שלום {{ person.first_name | default(\"חבר/ה\") }},\n\n".into(),
        ..CampaignInput::default()
    };
    edit_page(&st, &ctx, &org, None, input, String::new(), None, None).await
}

#[derive(Deserialize)]
pub struct PersonQuery {
    #[serde(default)]
    person: String,
    #[serde(default)]
    done: Option<String>,
}

pub async fn show(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<PersonQuery>,
) -> WebResult<Response> {
    let c = db::get(&st.db.pool, org.0.org.id, &id).await?;
    let input = input_of(&c);
    edit_page(
        &st,
        &ctx,
        &org,
        Some(c),
        input,
        q.person,
        None,
        q.done.as_deref(),
    )
    .await
}

fn parse(pairs: &[(String, String)]) -> CampaignInput {
    let mut i = CampaignInput::default();
    for (k, v) in pairs {
        match k.as_str() {
            "name" => i.name = v.clone(),
            "purpose" => i.purpose = v.clone(),
            "lang" => i.lang = v.clone(),
            "subject" => i.subject = v.clone(),
            "body" => i.body = v.clone(),
            "advertising" => i.advertising = v == "1",
            "segment" => i.segment = v.clone(),
            _ => {}
        }
    }
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
            "/orgs/{}/campaigns/{public_id}?done=campaign-saved",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let campaign = match &id {
                Some(i) => Some(db::get(&st.db.pool, org.0.org.id, i).await?),
                None => None,
            };
            let msg = message(ctx, &e);
            edit_page(
                st,
                ctx,
                org,
                campaign,
                input,
                String::new(),
                Some(msg),
                None,
            )
            .await
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

/// The email as the chosen person gets it, alone in a sandboxed frame: its own strict policy
/// (inline styles only, no scripts, no remote content).
pub async fn preview(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<PersonQuery>,
) -> WebResult<Response> {
    let c = db::get(&st.db.pool, org.0.org.id, &id).await?;
    let unsubscribe = format!("{}/-/unsubscribe-preview", st.settings.base_url());
    let r = uc::preview(&st.db, &org.0, &c, Some(&q.person), &unsubscribe).await?;
    let mut resp = r.html.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
        ),
    );
    h.insert("x-frame-options", HeaderValue::from_static("SAMEORIGIN"));
    Ok(resp)
}

#[derive(Deserialize)]
pub struct TestForm {
    #[serde(default)]
    person: String,
}

/// Sends a test of the campaign to the member's own address.
pub async fn test_send(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<TestForm>,
) -> WebResult<Response> {
    let c = db::get(&st.db.pool, org.0.org.id, &id).await?;
    match uc::test_send(&st.db, &org.0, &c, &f.person).await {
        Ok(()) => {
            if let Some(w) = &st.worker {
                w.wake();
            }
            Ok(Redirect::to(&format!(
                "/orgs/{}/campaigns/{id}?done=campaign-test-sent&person={}",
                org.0.org.slug, f.person
            ))
            .into_response())
        }
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let input = input_of(&c);
            let msg = message(&ctx, &e);
            edit_page(&st, &ctx, &org, Some(c), input, f.person, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}
