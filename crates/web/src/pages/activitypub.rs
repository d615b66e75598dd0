//! ActivityPub and WebFinger: each organization's actor, its collections and objects, and the
//! inboxes (signed deliveries only). Answers are JSON for servers; refusals say why in English.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::home::activitypub as ap;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

fn activity_json(v: &Value) -> Response {
    let mut r = serde_json::to_string(v).unwrap_or_default().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/activity+json"),
    );
    r
}

fn refusal(status: u16, why: &str) -> Response {
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        axum::Json(json!({ "error": why })),
    )
        .into_response()
}

async fn org(st: &AppState, slug: &str) -> WebResult<kehilla_db::orgs::Organization> {
    Ok(kehilla_db::orgs::by_slug(&st.db.pool, slug)
        .await?
        .ok_or(AppError::NotFound)?)
}

#[derive(Deserialize)]
pub struct Resource {
    #[serde(default)]
    resource: String,
}

pub async fn webfinger(State(st): State<AppState>, Query(q): Query<Resource>) -> Response {
    let base = st.settings.base_url();
    let host = ap::host(&base);
    let Some((slug, h)) = q
        .resource
        .strip_prefix("acct:")
        .and_then(|r| r.trim_start_matches('@').split_once('@'))
    else {
        return refusal(400, "resource must be acct:name@host");
    };
    if !h.eq_ignore_ascii_case(&host) {
        return refusal(404, "not an account of this server");
    }
    match kehilla_db::orgs::by_slug(&st.db.pool, &slug.to_lowercase()).await {
        Ok(Some(o)) => {
            let mut r = serde_json::to_string(&ap::webfinger(&base, &o.slug))
                .unwrap_or_default()
                .into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/jrd+json"),
            );
            r
        }
        _ => refusal(404, "no such account"),
    }
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            a.contains("text/html") && !a.contains("activity+json") && !a.contains("ld+json")
        })
}

pub async fn actor(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let o = org(&st, &slug).await?;
    if wants_html(&headers) {
        return Ok(Redirect::to(&format!("/o/{}", o.slug)).into_response());
    }
    let base = st.settings.base_url();
    Ok(activity_json(
        &ap::actor_json(&st.db, &st.settings, &base, &o).await?,
    ))
}

pub async fn followers(
    State(st): State<AppState>,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let o = org(&st, &slug).await?;
    let base = st.settings.base_url();
    let n = kehilla_db::activitypub::follower_count(&st.db.pool, o.id).await?;
    Ok(activity_json(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/followers", ap::actor_url(&base, &o.slug)),
        "type": "OrderedCollection",
        "totalItems": n,
    })))
}

pub async fn outbox(State(st): State<AppState>, Path(slug): Path<String>) -> WebResult<Response> {
    let o = org(&st, &slug).await?;
    let base = st.settings.base_url();
    let me = ap::actor_url(&base, &o.slug);
    let posts = kehilla_db::site::posts(&st.db.pool, o.id, None, None, 20).await?;
    let mut items = Vec::new();
    for p in &posts {
        let object = ap::object_json(&st.db, &base, &o, p).await?;
        items.push(json!({
            "id": format!("{}#create", ap::object_url(&base, &o.slug, &p.public_id)),
            "type": "Create", "actor": me, "to": [ap::PUBLIC], "object": object,
        }));
    }
    Ok(activity_json(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{me}/outbox"),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })))
}

pub async fn object(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let o = org(&st, &slug).await?;
    let p = kehilla_db::studio::post(&st.db.pool, o.id, &id).await?;
    if p.status != "published" {
        return Err(AppError::NotFound.into());
    }
    let base = st.settings.base_url();
    if wants_html(&headers) {
        return Ok(Redirect::to(&format!(
            "/o/{}/p/{}",
            o.slug,
            kehilla_app::home::site::path_segment(&p.slug)
        ))
        .into_response());
    }
    let mut v = ap::object_json(&st.db, &base, &o, &p).await?;
    if let Some(m) = v.as_object_mut() {
        m.insert(
            "@context".into(),
            json!("https://www.w3.org/ns/activitystreams"),
        );
    }
    Ok(activity_json(&v))
}

/// Both inboxes (an actor's own and the shared one): a signed delivery, or a refusal.
pub async fn inbox(
    State(st): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| uri.path().to_string());
    let header = |name: &str| -> Option<String> {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let base = st.settings.base_url();
    let signer = match ap::verify_request(&st.db, &st.settings, &base, &path, &header, &body).await
    {
        Ok(s) => s,
        Err(ap::Refused(status, why)) => return refusal(status, &why),
    };
    let Ok(activity) = serde_json::from_slice::<Value>(&body) else {
        return refusal(400, "the body is not JSON");
    };
    match ap::receive(&st.db, &st.settings, &base, &signer, &activity).await {
        Ok(()) => {
            if let Some(w) = &st.worker {
                w.wake();
            }
            StatusCode::ACCEPTED.into_response()
        }
        Err(ap::Refused(status, why)) => refusal(status, &why),
    }
}

#[derive(Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    handle: String,
}

/// The organization follows a fediverse account (admins).
pub async fn follow(
    State(st): State<AppState>,
    Extension(_ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<FollowForm>,
) -> WebResult<Response> {
    let base = st.settings.base_url();
    ap::follow(&st.db, &st.settings, &base, &org.0.org, &f.handle).await?;
    if let Some(w) = &st.worker {
        w.wake();
    }
    Ok(Redirect::to(&format!(
        "/orgs/{}/site?done=ap-follow-sent",
        org.0.org.slug
    ))
    .into_response())
}
