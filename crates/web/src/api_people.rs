//! The people part of the JSON API: people, consents, lists, segments and forms.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use kehilla_app::AppError;
use kehilla_app::people::{
    PersonInput, consent, lists as list_uc, person as person_uc, segments as seg_uc,
};
use kehilla_db::people::{self, Person};
use kehilla_db::segments::{self as seg, Filter};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

fn api_actor(ctx: &Ctx) -> kehilla_app::audit::Actor {
    let mut a = ctx.actor();
    a.label = format!("{} (API)", a.label);
    a
}

fn person_json(p: &Person) -> serde_json::Value {
    serde_json::json!({
        "id": p.public_id,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "latin_name": p.latin_name,
        "email": p.email,
        "phone": p.phone,
        "lang": p.lang,
        "notes": p.notes,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    })
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    offset: i64,
    #[serde(default)]
    limit: Option<i64>,
}

pub async fn list_people(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<SearchQuery>,
) -> WebResult<Json<Vec<serde_json::Value>>> {
    // What the document allows, exactly: no quiet clamping of a wrong page.
    let bad = |field| AppError::Input {
        field,
        error: kehilla_domain::validate::InputError::InvalidValue,
    };
    if q.offset < 0 {
        return Err(bad("offset").into());
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(bad("limit").into());
    }
    let list = person_uc::search(&st.db, org.0.org.id, &q.q, limit, q.offset).await?;
    Ok(Json(list.iter().map(person_json).collect()))
}

pub async fn create_person(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Json(input): Json<PersonInput>,
) -> WebResult<(StatusCode, Json<serde_json::Value>)> {
    let p = person_uc::create(&st.db, &org.0, &input, &api_actor(&ctx)).await?;
    Ok((StatusCode::CREATED, Json(person_json(&p))))
}

pub async fn get_person(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
) -> WebResult<Json<serde_json::Value>> {
    let v = person_uc::view(&st.db, org.0.org.id, &person).await?;
    let mut j = person_json(&v.person);
    if let Some(o) = j.as_object_mut() {
        o.insert("roles".into(), serde_json::json!(v.roles));
        o.insert("tags".into(), serde_json::json!(v.tags));
        o.insert(
            "fields".into(),
            serde_json::json!(
                v.fields
                    .iter()
                    .map(|(k, _, val)| (k.clone(), val.clone()))
                    .collect::<std::collections::BTreeMap<_, _>>()
            ),
        );
        o.insert(
            "lists".into(),
            serde_json::json!(v.lists.iter().map(|(id, _)| id).collect::<Vec<_>>()),
        );
    }
    Ok(Json(j))
}

pub async fn update_person(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
    Json(input): Json<PersonInput>,
) -> WebResult<Json<serde_json::Value>> {
    let p = person_uc::update(&st.db, &org.0, &person, &input, &api_actor(&ctx)).await?;
    Ok(Json(person_json(&p)))
}

/// Erasure (not a soft delete): see `person::erase`.
pub async fn erase_person(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
) -> WebResult<StatusCode> {
    person_uc::erase(&st.db, &org.0, &person, &api_actor(&ctx)).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn consents(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
) -> WebResult<Json<serde_json::Value>> {
    let p = people::get(&st.db.pool, org.0.org.id, &person).await?;
    let current = kehilla_db::consent::current(&st.db.pool, org.0.org.id, p.id).await?;
    let history = kehilla_db::consent::history(&st.db.pool, org.0.org.id, p.id).await?;
    let entry = |e: &kehilla_db::consent::Entry| {
        serde_json::json!({
            "channel": e.channel, "purpose": e.purpose, "given": e.given == 1, "source": e.source,
            "source_ref": e.source_ref, "wording": e.wording, "at": e.created_at,
        })
    };
    Ok(Json(serde_json::json!({
        "current": current.iter().map(entry).collect::<Vec<_>>(),
        "history": history.iter().map(entry).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
pub struct ConsentIn {
    channel: String,
    purpose: String,
    given: bool,
    #[serde(default)]
    wording: String,
}

pub async fn add_consent(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, person)): Path<(String, String)>,
    Json(c): Json<ConsentIn>,
) -> WebResult<StatusCode> {
    consent::record_by_staff(
        &st.db,
        &org.0,
        &person,
        &consent::StaffEntry {
            channel: &c.channel,
            purpose: &c.purpose,
            given: c.given,
            wording: &c.wording,
        },
        &api_actor(&ctx),
    )
    .await?;
    Ok(StatusCode::CREATED)
}

pub async fn lists(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Json<Vec<serde_json::Value>>> {
    let l = people::lists(&st.db.pool, org.0.org.id).await?;
    Ok(Json(
        l.iter()
            .map(|l| serde_json::json!({"id": l.public_id, "name": l.name, "members": l.members}))
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct NameIn {
    name: String,
}

pub async fn create_list(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Json(n): Json<NameIn>,
) -> WebResult<(StatusCode, Json<serde_json::Value>)> {
    let id = list_uc::create(&st.db, &org.0, &n.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({"id": id, "name": n.name.trim()})),
    ))
}

#[derive(Deserialize)]
pub struct MemberIn {
    person: String,
}

pub async fn add_member(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, list)): Path<(String, String)>,
    Json(m): Json<MemberIn>,
) -> WebResult<StatusCode> {
    // The list is the resource (404 when it is not there); a person the body names who is not
    // there is a wrong value in the body.
    people::list(&st.db.pool, org.0.org.id, &list).await?;
    if let Err(kehilla_db::DbError::NotFound) =
        people::get(&st.db.pool, org.0.org.id, &m.person).await
    {
        return Err(AppError::Input {
            field: "person",
            error: kehilla_domain::validate::InputError::InvalidValue,
        }
        .into());
    }
    list_uc::add(&st.db, &org.0, &list, &m.person, &api_actor(&ctx)).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn segments(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Json<Vec<serde_json::Value>>> {
    let l = seg::of_org(&st.db.pool, org.0.org.id).await?;
    Ok(Json(
        l.iter()
            .map(|s| serde_json::json!({"id": s.public_id, "name": s.name, "filter": s.filter()}))
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct SegmentIn {
    name: String,
    filter: serde_json::Value,
}

/// Whether every `op` of a filter is a string (serde would also take a variant's number).
fn ops_are_names(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Object(m) => {
            m.get("op").is_none_or(serde_json::Value::is_string) && m.values().all(ops_are_names)
        }
        serde_json::Value::Array(a) => a.iter().all(ops_are_names),
        _ => true,
    }
}

pub async fn create_segment(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Json(s): Json<SegmentIn>,
) -> WebResult<(StatusCode, Json<serde_json::Value>)> {
    let bad = || AppError::Input {
        field: "filter",
        error: kehilla_domain::validate::InputError::InvalidValue,
    };
    if !ops_are_names(&s.filter) {
        return Err(bad().into());
    }
    let filter: Filter = serde_json::from_value(s.filter).map_err(|_| bad())?;
    let id = seg_uc::save(&st.db, &org.0, None, &s.name, &filter).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({"id": id, "name": s.name.trim()})),
    ))
}

pub async fn count_segment(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, segment)): Path<(String, String)>,
) -> WebResult<Json<serde_json::Value>> {
    let s = seg::get(&st.db.pool, org.0.org.id, &segment).await?;
    let n = seg_uc::count(&st.db, org.0.org.id, &s.filter()).await?;
    Ok(Json(serde_json::json!({"count": n})))
}

pub async fn forms(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Json<Vec<serde_json::Value>>> {
    let base = st.settings.base_url();
    let l = kehilla_db::forms::of_org(&st.db.pool, org.0.org.id).await?;
    Ok(Json(
        l.iter()
            .map(|f| {
                serde_json::json!({
                    "id": f.public_id, "kind": f.kind, "title": f.title, "lang": f.lang,
                    "double_opt_in": f.double_opt_in == 1, "url": format!("{base}/f/{}", f.public_id),
                    "consents": kehilla_app::people::forms::consents_of(f),
                })
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::ops_are_names;
    use serde_json::json;

    #[test]
    fn a_filter_names_its_ops() {
        assert!(ops_are_names(
            &json!({"op": "not", "of": {"op": "has_email"}})
        ));
        assert!(!ops_are_names(
            &json!({"op": "not", "of": {"op": 0, "of": []}})
        ));
        assert!(!ops_are_names(
            &json!({"op": "all", "of": [{"op": "tag", "value": "x"}, {"op": null}]})
        ));
    }
}
