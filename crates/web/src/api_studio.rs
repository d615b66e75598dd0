//! The Studio part of the JSON API: channels, posts and their variants and actions, media,
//! tracked links, and the text counter.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use kehilla_app::AppError;
use kehilla_app::studio::channels::{self as ch_uc, ChannelInput};
use kehilla_app::studio::links::{self as link_uc, short_url};
use kehilla_app::studio::media::{self as media_uc, Upload};
use kehilla_app::studio::posts::{self as post_uc, PostInput};
use kehilla_app::studio::{self as studio_uc};
use kehilla_db::studio::{self, Media, Post, PostFilter};
use kehilla_domain::text::{self, Network, Options};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::WebResult;
use crate::pages::studio_media::read_upload;
use crate::routes::OrgCtx;

pub async fn list_channels(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Json<Vec<studio::Channel>>> {
    Ok(Json(studio::channels(&st.db.pool, org.0.org.id).await?))
}

pub async fn create_channel(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Json(i): Json<ChannelInput>,
) -> WebResult<(StatusCode, Json<studio::Channel>)> {
    Ok((
        StatusCode::CREATED,
        Json(ch_uc::create(&st.db, &org.0, &i).await?),
    ))
}

fn media_json(st: &AppState, m: &Media) -> Value {
    let base = st.settings.base_url();
    json!({
        "id": m.public_id,
        "kind": m.kind,
        "mime": m.mime,
        "file_name": m.file_name,
        "bytes": m.bytes,
        "width": m.width,
        "height": m.height,
        "alt_text": m.alt_text,
        "metadata_removed": m.metadata_removed == 1,
        "had_location": m.had_location == 1,
        "url": format!("{base}/m/{}/original", m.public_id),
        "created_at": m.created_at,
    })
}

async fn post_json(st: &AppState, org: &OrgCtx, p: &Post) -> WebResult<Value> {
    let tz = studio_uc::zone(&org.0.org.time_zone);
    let checks = post_uc::check(&st.db, p).await?;
    let media = studio::post_media(&st.db.pool, org.0.org.id, p.id).await?;
    let history = studio::history(&st.db.pool, org.0.org.id, p.id).await?;
    Ok(json!({
        "id": p.public_id,
        "kind": p.kind,
        "title": p.title,
        "body": p.body,
        "slug": p.slug,
        "details": post_uc::details_of(p),
        "status": p.status,
        "scheduled_at": p.scheduled_at,
        "scheduled_local": p.scheduled_at.map(|t| studio_uc::local_input(tz, t)),
        "published_at": p.published_at,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "variants": checks.iter().map(|v| json!({
            "channel": v.channel.public_id,
            "network": v.channel.network,
            "body": v.variant.body,
            "follow_ups": v.follow_ups,
            "edited": v.variant.edited == 1,
            "counts": v.counts,
            "problems": v.problems,
            "ok": v.ok(),
        })).collect::<Vec<_>>(),
        "media": media.iter().map(|m| media_json(st, m)).collect::<Vec<_>>(),
        "history": history.iter().map(|h| json!({
            "action": h.action, "note": h.note, "actor": h.actor_name, "at": h.at,
        })).collect::<Vec<_>>(),
    }))
}

/// The states a post can be in, as the document lists them.
const POST_STATUSES: [&str; 7] = [
    "draft",
    "review",
    "changes",
    "approved",
    "scheduled",
    "published",
    "failed",
];

#[derive(Deserialize, Default)]
pub struct PostsQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    /// Unix milliseconds.
    #[serde(default)]
    from: Option<i64>,
    #[serde(default)]
    to: Option<i64>,
    #[serde(default)]
    limit: Option<i64>,
}

pub async fn list_posts(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<PostsQuery>,
) -> WebResult<Json<Vec<Value>>> {
    let o = &org.0;
    if let Some(s) = &q.status
        && !POST_STATUSES.contains(&s.as_str())
    {
        return Err(AppError::Input {
            field: "status",
            error: kehilla_domain::validate::InputError::InvalidValue,
        }
        .into());
    }
    if let Some(k) = &q.kind
        && !kehilla_app::studio::KINDS.contains(&k.as_str())
    {
        return Err(AppError::Input {
            field: "kind",
            error: kehilla_domain::validate::InputError::InvalidValue,
        }
        .into());
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(AppError::Input {
            field: "limit",
            error: kehilla_domain::validate::InputError::InvalidValue,
        }
        .into());
    }
    let channel = match &q.channel {
        Some(c) => Some(studio::channel(&st.db.pool, o.org.id, c).await?.id),
        None => None,
    };
    let rows = studio::posts(
        &st.db.pool,
        st.db.backend(),
        o.org.id,
        &PostFilter {
            from: q.from,
            to: q.to,
            channel,
            kind: q.kind,
            status: q.status,
            limit,
            ..PostFilter::default()
        },
    )
    .await?;
    Ok(Json(
        rows.iter()
            .map(|p| {
                json!({
                    "id": p.public_id, "kind": p.kind, "title": p.title, "status": p.status,
                    "scheduled_at": p.scheduled_at, "published_at": p.published_at,
                    "networks": p.networks.as_deref().unwrap_or("").split(',').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
                    "author": p.author_name,
                })
            })
            .collect(),
    ))
}

pub async fn create_post(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Json(i): Json<PostInput>,
) -> WebResult<(StatusCode, Json<Value>)> {
    let p = post_uc::create(&st.db, &org.0, &i).await?;
    Ok((StatusCode::CREATED, Json(post_json(&st, &org, &p).await?)))
}

pub async fn get_post(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    let p = studio::post(&st.db.pool, org.0.org.id, &post).await?;
    Ok(Json(post_json(&st, &org, &p).await?))
}

pub async fn update_post(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Json(i): Json<PostInput>,
) -> WebResult<Json<Value>> {
    let p = post_uc::update(&st.db, &org.0, &post, &i).await?;
    Ok(Json(post_json(&st, &org, &p).await?))
}

pub async fn delete_post(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
) -> WebResult<StatusCode> {
    post_uc::delete(&st.db, &org.0, &post).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct VariantBody {
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    follow_ups: Vec<String>,
    /// True: follow the master text again (body is ignored).
    #[serde(default)]
    follow_master: bool,
}

pub async fn put_variant(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post, channel)): Path<(String, String, String)>,
    Json(b): Json<VariantBody>,
) -> WebResult<Json<Value>> {
    studio::post(&st.db.pool, org.0.org.id, &post).await?;
    studio::channel(&st.db.pool, org.0.org.id, &channel).await?;
    let text = match (&b.body, b.follow_master) {
        (_, true) => None,
        (Some(body), false) => Some((body.as_str(), b.follow_ups.as_slice())),
        (None, false) => {
            return Err(AppError::Input {
                field: "body",
                error: kehilla_domain::validate::InputError::Required,
            }
            .into());
        }
    };
    post_uc::set_variant(&st.db, &org.0, &post, &channel, text).await?;
    let p = studio::post(&st.db.pool, org.0.org.id, &post).await?;
    Ok(Json(post_json(&st, &org, &p).await?))
}

#[derive(Deserialize)]
pub struct ActionBody {
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
    /// `YYYY-MM-DDTHH:MM` in the organization's time zone (schedule).
    #[serde(default)]
    scheduled_at: String,
    /// `YYYY-MM-DD` (move).
    #[serde(default)]
    day: String,
}

pub async fn post_action(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Json(b): Json<ActionBody>,
) -> WebResult<Json<Value>> {
    let o = &org.0;
    studio::post(&st.db.pool, o.org.id, &post).await?;
    let tz = studio_uc::zone(&o.org.time_zone);
    let bad = |field| AppError::Input {
        field,
        error: kehilla_domain::validate::InputError::InvalidValue,
    };
    // The document's bound on a note, whatever the action.
    if b.note.chars().count() > 4000 {
        return Err(AppError::Input {
            field: "note",
            error: kehilla_domain::validate::InputError::TooLong,
        }
        .into());
    }
    match b.action.as_str() {
        "submit" => post_uc::submit(&st.db, o, &post).await.map(|_| ())?,
        "approve" => post_uc::approve(&st.db, o, &post, &b.note).await?,
        "request_changes" => post_uc::request_changes(&st.db, o, &post, &b.note).await?,
        "schedule" => {
            // Without a time, the post's planned one (409 `post-has-no-time` when it has none).
            let at = match b.scheduled_at.trim() {
                "" => None,
                s => Some(studio_uc::parse_local(tz, s)?),
            };
            post_uc::schedule(&st.db, o, &post, at).await?
        }
        "unschedule" => post_uc::unschedule(&st.db, o, &post).await?,
        "move" => {
            let day = chrono::NaiveDate::parse_from_str(b.day.trim(), "%Y-%m-%d")
                .map_err(|_| bad("day"))?;
            post_uc::move_to_day(&st.db, o, &post, day)
                .await
                .map(|_| ())?
        }
        "comment" => post_uc::comment(&st.db, o, &post, &b.note).await?,
        "track_links" => link_uc::track_post(&st.db, o, &post, &st.settings.base_url())
            .await
            .map(|_| ())?,
        _ => return Err(bad("action").into()),
    }
    if let Some(w) = &st.worker {
        w.wake();
    }
    let p = studio::post(&st.db.pool, o.org.id, &post).await?;
    Ok(Json(post_json(&st, &org, &p).await?))
}

pub async fn list_media(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Json<Vec<Value>>> {
    let list = studio::media_list(&st.db.pool, org.0.org.id, 500).await?;
    Ok(Json(list.iter().map(|m| media_json(&st, m)).collect()))
}

pub async fn upload_media(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    multipart: Multipart,
) -> WebResult<(StatusCode, Json<Value>)> {
    let f = read_upload(multipart).await?;
    let Some((name, bytes)) = f.file.filter(|(_, b)| !b.is_empty()) else {
        return Err(AppError::Media("media-empty").into());
    };
    let m = media_uc::upload(
        &st.db,
        &st.storage,
        &org.0,
        Upload {
            file_name: &name,
            bytes,
            keep_metadata: f.keep_metadata,
            alt_text: &f.alt_text,
        },
        st.settings.max_upload_bytes,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(media_json(&st, &m))))
}

pub async fn get_media(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, media)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    let m = studio::media(&st.db.pool, org.0.org.id, &media).await?;
    let files = studio::media_files(&st.db.pool, m.id).await?;
    let base = st.settings.base_url();
    let mut v = media_json(&st, &m);
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "files".into(),
            json!(files.iter().map(|f| json!({
                "profile": f.profile, "mime": f.mime, "bytes": f.bytes, "width": f.width, "height": f.height,
                "url": format!("{base}/m/{}/{}", m.public_id, f.profile),
            })).collect::<Vec<_>>()),
        );
    }
    Ok(Json(v))
}

/// The document requires `alt_text`: a body without it is refused, not taken as "".
#[derive(Deserialize)]
pub struct MediaPatch {
    alt_text: String,
}

pub async fn update_media(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, media)): Path<(String, String)>,
    Json(b): Json<MediaPatch>,
) -> WebResult<Json<Value>> {
    media_uc::set_alt(&st.db, &org.0, &media, &b.alt_text).await?;
    let m = studio::media(&st.db.pool, org.0.org.id, &media).await?;
    Ok(Json(media_json(&st, &m)))
}

pub async fn list_links(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Json<Vec<Value>>> {
    let base = link_uc::link_base(&st.db, org.0.org.id, &st.settings.base_url()).await?;
    let list = studio::links(&st.db.pool, org.0.org.id, None, 1000).await?;
    Ok(Json(
        list.iter()
            .map(|l| {
                json!({
                    "code": l.code, "short_url": short_url(&base, &l.code), "target": l.target,
                    "destination": l.destination, "network": l.network, "post": l.post_public_id,
                    "clicks": l.clicks, "created_at": l.created_at,
                })
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct LinkBody {
    url: String,
    /// Public id of a post: its slug becomes utm_campaign.
    #[serde(default)]
    post: Option<String>,
    /// Public id of a channel: its network becomes utm_source.
    #[serde(default)]
    channel: Option<String>,
}

pub async fn create_link(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Json(b): Json<LinkBody>,
) -> WebResult<(StatusCode, Json<Value>)> {
    let o = &org.0;
    let post = match &b.post {
        Some(p) => Some(studio::post(&st.db.pool, o.org.id, p).await?),
        None => None,
    };
    let channel = match &b.channel {
        Some(c) => Some(studio::channel(&st.db.pool, o.org.id, c).await?),
        None => None,
    };
    let tag = link_uc::Tag {
        post_id: post.as_ref().map(|p| p.id),
        channel_id: channel.as_ref().map(|c| c.id),
        source: channel.as_ref().map(|c| c.network.as_str()).unwrap_or(""),
        campaign: post.as_ref().map(|p| p.slug.as_str()).unwrap_or(""),
        campaign_id: None,
    };
    let l = link_uc::make(&st.db, o.org.id, tag, &b.url).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "code": l.code,
            "short_url": short_url(&link_uc::link_base(&st.db, o.org.id, &st.settings.base_url()).await?, &l.code),
            "target": l.target,
            "destination": l.destination,
        })),
    ))
}

#[derive(Deserialize)]
pub struct CountBody {
    network: Network,
    text: String,
    /// An object when given (`null` is not one).
    #[serde(default)]
    options: Options,
}

/// How a text counts on a network: the same counter the composer and the publisher use.
pub async fn count_text(Json(b): Json<CountBody>) -> WebResult<Json<text::Count>> {
    if b.options.mastodon_limit > 1_000_000 || b.options.url_length > 1_000_000 {
        return Err(AppError::Input {
            field: "options",
            error: kehilla_domain::validate::InputError::InvalidValue,
        }
        .into());
    }
    if b.text.len() > 200_000 {
        return Err(AppError::Input {
            field: "text",
            error: kehilla_domain::validate::InputError::TooLong,
        }
        .into());
    }
    Ok(Json(text::count(b.network, &b.text, &b.options)))
}
