//! People: the list with Hebrew-aware search, a person's page (details, roles, tags, fields,
//! lists, consent with its history, timeline), staff consent entries, export and erasure.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::people::{
    PersonInput, PersonView, consent, lists as list_uc, person as person_uc,
};
use kehilla_db::people::{self, CustomField, List, Person, RoleOption};
use serde::Deserialize;

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

pub const PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "people/list.html")]
struct PeoplePage {
    c: Chrome,
    sub: &'static str,
    q: String,
    people: Vec<Person>,
    total: i64,
    page: i64,
    more: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: i64,
    done: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    let page = q.page.max(0);
    let people = person_uc::search(&st.db, org.0.org.id, &q.q, PAGE + 1, page * PAGE).await?;
    let more = i64::try_from(people.len()).unwrap_or(0) > PAGE;
    let people = people.into_iter().take(50).collect();
    let total = people::count(&st.db.pool, org.0.org.id).await?;
    let c = Chrome::new(&st, &ctx, Some(&org), "people", "nav-people")
        .await?
        .with_notice(q.done.as_deref());
    Ok(render(&PeoplePage {
        c,
        sub: "people",
        q: q.q,
        people,
        total,
        page,
        more,
    }))
}

#[derive(Template)]
#[template(path = "people/edit.html")]
struct EditPage {
    c: Chrome,
    sub: &'static str,
    person: Option<Person>,
    f: PersonForm,
    roles: Vec<RoleOption>,
    fields: Vec<(CustomField, String)>,
    error: Option<String>,
}

impl EditPage {
    fn has_role(&self, key: &str) -> bool {
        self.f.roles.iter().any(|r| r == key)
    }
}

/// The person form as posted: repeated `roles` checkboxes, `field_{key}` inputs.
#[derive(Default, Clone)]
pub struct PersonForm {
    pub first_name: String,
    pub last_name: String,
    pub latin_name: String,
    pub email: String,
    pub phone: String,
    pub lang: String,
    pub notes: String,
    pub roles: Vec<String>,
    pub tags: String,
    pub fields: Vec<(String, String)>,
}

impl PersonForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> PersonForm {
        let mut f = PersonForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "first_name" => f.first_name = v,
                "last_name" => f.last_name = v,
                "latin_name" => f.latin_name = v,
                "email" => f.email = v,
                "phone" => f.phone = v,
                "lang" => f.lang = v,
                "notes" => f.notes = v,
                "roles" => f.roles.push(v),
                "tags" => f.tags = v,
                other => {
                    if let Some(key) = other.strip_prefix("field_") {
                        f.fields.push((key.to_string(), v));
                    }
                }
            }
        }
        f
    }

    fn input(&self) -> PersonInput {
        PersonInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            latin_name: self.latin_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            lang: self.lang.clone(),
            notes: self.notes.clone(),
            roles: self.roles.clone(),
            tags: vec![self.tags.clone()],
            fields: self.fields.clone(),
        }
    }

    fn of(v: &PersonView) -> PersonForm {
        PersonForm {
            first_name: v.person.first_name.clone(),
            last_name: v.person.last_name.clone(),
            latin_name: v.person.latin_name.clone(),
            email: v.person.email.clone().unwrap_or_default(),
            phone: v.person.phone.clone().unwrap_or_default(),
            lang: v.person.lang.clone(),
            notes: v.person.notes.clone(),
            roles: v.roles.clone(),
            tags: v.tags.join(", "),
            fields: v
                .fields
                .iter()
                .map(|(k, _, val)| (k.clone(), val.clone()))
                .collect(),
        }
    }
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    person: Option<Person>,
    f: PersonForm,
    error: Option<String>,
) -> WebResult<Response> {
    let mut roles = people::role_options(&st.db.pool, org.0.org.id).await?;
    // A role the person has (from an import, the API, or removed from the list since) stays.
    for r in &f.roles {
        if !roles.iter().any(|o| &o.key == r) {
            roles.push(RoleOption {
                key: r.clone(),
                label: r.clone(),
            });
        }
    }
    let defs = people::custom_fields(&st.db.pool, org.0.org.id).await?;
    let fields = defs
        .into_iter()
        .map(|d| {
            let v = f
                .fields
                .iter()
                .find(|(k, _)| *k == d.key)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            (d, v)
        })
        .collect();
    let title = if person.is_some() {
        "person-edit"
    } else {
        "person-new"
    };
    let c = Chrome::new(st, ctx, Some(org), "people", title).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        render(&EditPage {
            c,
            sub: "people",
            person,
            f,
            roles,
            fields,
            error,
        }),
    )
        .into_response())
}

pub async fn new_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    edit_page(&st, &ctx, &org, None, PersonForm::default(), None).await
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let f = PersonForm::from_pairs(pairs);
    match person_uc::create(&st.db, &org.0, &f.input(), &ctx.actor()).await {
        Ok(p) => Ok(Redirect::to(&format!(
            "/orgs/{}/people/{}?done=person-saved",
            org.0.org.slug, p.public_id
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let msg = message(&ctx, &e);
            edit_page(&st, &ctx, &org, None, f, Some(msg)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    c: Chrome,
    sub: &'static str,
    v: PersonView,
    lists: Vec<List>,
    channels: [&'static str; 3],
    purposes: [&'static str; 5],
    prefs_link: String,
    /// What they wrote to the organization (the inbox), newest first.
    messages: Vec<kehilla_db::inbox::PersonMessage>,
}

impl ShowPage {
    fn source_name(&self, s: &str) -> String {
        super::inbox::source_name(&self.c, s)
    }
    fn given(&self, g: &i64) -> String {
        self.c.t(if *g == 1 {
            "consent-given"
        } else {
            "consent-withdrawn"
        })
    }
    fn event(&self, kind: &str) -> String {
        crate::i18n::try_t(self.c.lang, &format!("event-{kind}"))
            .unwrap_or_else(|| kind.to_string())
    }
    fn label(&self, prefix: &str, key: &str) -> String {
        crate::i18n::try_t(self.c.lang, &format!("{prefix}-{key}"))
            .unwrap_or_else(|| key.to_string())
    }
}

pub async fn show(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let v = person_uc::view(&st.db, org.0.org.id, &person).await?;
    let lists = people::lists(&st.db.pool, org.0.org.id).await?;
    let token = kehilla_app::people::links::token(&st.db, &v.person.public_id).await?;
    let prefs_link = kehilla_app::people::links::preferences_url(&st.settings.base_url(), &token);
    let c = Chrome::new(&st, &ctx, Some(&org), "people", "person-title")
        .await?
        .with_notice(q.done.as_deref());
    let messages = kehilla_db::inbox::of_person(&st.db.pool, org.0.org.id, v.person.id, 20).await?;
    Ok(render(&ShowPage {
        c,
        sub: "people",
        messages,
        v,
        lists,
        channels: kehilla_db::segments::CHANNELS,
        purposes: kehilla_db::segments::PURPOSES,
        prefs_link,
    }))
}

pub async fn edit(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
) -> WebResult<Response> {
    let v = person_uc::view(&st.db, org.0.org.id, &person).await?;
    let f = PersonForm::of(&v);
    edit_page(&st, &ctx, &org, Some(v.person), f, None).await
}

pub async fn update(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let f = PersonForm::from_pairs(pairs);
    match person_uc::update(&st.db, &org.0, &person, &f.input(), &ctx.actor()).await {
        Ok(p) => Ok(Redirect::to(&format!(
            "/orgs/{}/people/{}?done=person-saved",
            org.0.org.slug, p.public_id
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let p = people::get(&st.db.pool, org.0.org.id, &person).await?;
            let msg = message(&ctx, &e);
            edit_page(&st, &ctx, &org, Some(p), f, Some(msg)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    given: String,
    #[serde(default)]
    wording: String,
}

pub async fn add_consent(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
    Form(f): Form<ConsentForm>,
) -> WebResult<Response> {
    consent::record_by_staff(
        &st.db,
        &org.0,
        &person,
        &consent::StaffEntry {
            channel: &f.channel,
            purpose: &f.purpose,
            given: f.given == "yes",
            wording: &f.wording,
        },
        &ctx.actor(),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/people/{}?done=consent-recorded",
        org.0.org.slug, person
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct ListForm {
    #[serde(default)]
    list: String,
}

pub async fn add_to_list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
    Form(f): Form<ListForm>,
) -> WebResult<Response> {
    list_uc::add(&st.db, &org.0, &f.list, &person, &ctx.actor()).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/people/{}?done=list-updated",
        org.0.org.slug, person
    ))
    .into_response())
}

pub async fn remove_from_list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person, list)): Path<(String, String, String)>,
) -> WebResult<Response> {
    list_uc::remove(&st.db, &org.0, &list, &person, &ctx.actor()).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/people/{}?done=list-updated",
        org.0.org.slug, person
    ))
    .into_response())
}

/// The person's data as a JSON file (right of access).
pub async fn export(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
) -> WebResult<Response> {
    let v = person_uc::export(&st.db, &org.0, &person, &ctx.actor()).await?;
    let body = serde_json::to_vec_pretty(&v).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"person-{person}.json\""),
            ),
        ],
        body,
    )
        .into_response())
}

pub async fn erase(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
) -> WebResult<Response> {
    person_uc::erase(&st.db, &org.0, &person, &ctx.actor()).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/people?done=person-erased",
        org.0.org.slug
    ))
    .into_response())
}
