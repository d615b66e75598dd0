//! The media library, the public media files, tracked short links and their redirect.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::studio::links::{self as link_uc, short_url};
use kehilla_app::studio::media::{self as media_uc, Upload};
use kehilla_db::studio::{self, LinkStats, Media};
use serde::Deserialize;

use super::accounts::message;
use super::studio::Fmt;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "studio/media.html")]
struct LibraryPage {
    c: Chrome,
    media: Vec<Media>,
    max_mb: usize,
    error: Option<String>,
}

async fn library_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let c = Chrome::new(st, ctx, Some(org), "studio", "media-title")
        .await?
        .with_notice(done);
    Ok(render(&LibraryPage {
        media: studio::media_list(&st.db.pool, org.0.org.id, 200).await?,
        max_mb: st.settings.max_upload_bytes / (1024 * 1024),
        c,
        error,
    }))
}

pub async fn library(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    library_page(&st, &ctx, &org, None, q.done.as_deref()).await
}

/// What an upload form sent.
pub struct UploadForm {
    pub file: Option<(String, Vec<u8>)>,
    pub alt_text: String,
    pub keep_metadata: bool,
    pub post: String,
}

/// Reads a multipart upload; a body over the limit is `media-too-large`.
pub async fn read_upload(mut multipart: Multipart) -> Result<UploadForm, AppError> {
    let mut f = UploadForm {
        file: None,
        alt_text: String::new(),
        keep_metadata: false,
        post: String::new(),
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(x)) => x,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::Media("media-too-large"));
            }
            Err(_) => return Err(AppError::Media("media-corrupt")),
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().unwrap_or("upload").to_string();
        let bytes = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::Media("media-too-large")
            } else {
                AppError::Media("media-corrupt")
            }
        })?;
        match name.as_str() {
            "file" => f.file = Some((file_name, bytes.to_vec())),
            "alt_text" => f.alt_text = String::from_utf8_lossy(&bytes).into_owned(),
            "keep_metadata" => f.keep_metadata = bytes.as_ref() == b"1",
            "post" => f.post = String::from_utf8_lossy(&bytes).into_owned(),
            _ => {}
        }
    }
    Ok(f)
}

pub async fn upload(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    multipart: Multipart,
) -> WebResult<Response> {
    let form = match read_upload(multipart).await {
        Ok(f) => f,
        Err(e) => return library_page(&st, &ctx, &org, Some(message(&ctx, &e)), None).await,
    };
    let Some((name, bytes)) = form.file.clone().filter(|(_, b)| !b.is_empty()) else {
        let msg = message(&ctx, &AppError::Media("media-empty"));
        return library_page(&st, &ctx, &org, Some(msg), None).await;
    };
    let up = Upload {
        file_name: &name,
        bytes,
        keep_metadata: form.keep_metadata,
        alt_text: &form.alt_text,
    };
    let m = match media_uc::upload(
        &st.db,
        &st.storage,
        &org.0,
        up,
        st.settings.max_upload_bytes,
    )
    .await
    {
        Ok(m) => m,
        Err(e @ (AppError::Media(_) | AppError::Input { .. })) => {
            if !form.post.is_empty() {
                let code = e.code();
                return Ok(Redirect::to(&format!(
                    "/orgs/{}/studio/posts/{}?error={code}",
                    org.0.org.slug, form.post
                ))
                .into_response());
            }
            return library_page(&st, &ctx, &org, Some(message(&ctx, &e)), None).await;
        }
        Err(e) => return Err(e.into()),
    };
    let done = if m.had_location == 1 && m.metadata_removed == 1 {
        "media-uploaded-location-removed"
    } else {
        "media-uploaded"
    };
    if !form.post.is_empty() {
        // Attach to the post it was uploaded from.
        let p = studio::post(&st.db.pool, org.0.org.id, &form.post).await?;
        if kehilla_app::studio::posts::can_edit(&org.0, &p) {
            let n = studio::post_media(&st.db.pool, org.0.org.id, p.id)
                .await?
                .len();
            studio::attach_media(&st.db.pool, p.id, m.id, i64::try_from(n).unwrap_or(0)).await?;
        }
        return Ok(Redirect::to(&format!(
            "/orgs/{}/studio/posts/{}?done={done}",
            org.0.org.slug, form.post
        ))
        .into_response());
    }
    Ok(Redirect::to(&format!(
        "/orgs/{}/studio/media?done={done}",
        org.0.org.slug
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct AltForm {
    #[serde(default)]
    alt_text: String,
    #[serde(default)]
    back: String,
}

pub async fn update(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, media)): Path<(String, String)>,
    Form(f): Form<AltForm>,
) -> WebResult<Response> {
    if let Err(e) = media_uc::set_alt(&st.db, &org.0, &media, &f.alt_text).await {
        if matches!(e, AppError::Input { .. }) {
            return library_page(&st, &ctx, &org, Some(message(&ctx, &e)), None).await;
        }
        return Err(e.into());
    }
    let back = if !f.back.is_empty() && f.back.chars().all(|c| c.is_ascii_alphanumeric()) {
        format!(
            "/orgs/{}/studio/posts/{}?done=alt-saved",
            org.0.org.slug, f.back
        )
    } else {
        format!("/orgs/{}/studio/media?done=alt-saved", org.0.org.slug)
    };
    Ok(Redirect::to(&back).into_response())
}

pub async fn delete(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, media)): Path<(String, String)>,
) -> WebResult<Response> {
    media_uc::delete(&st.db, &st.storage, &org.0, &media).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/studio/media?done=media-deleted",
        org.0.org.slug
    ))
    .into_response())
}

/// A stored file: `/m/{media}/{original|large|thumb|instagram}`. Public by design (networks
/// fetch images from here), behind an unguessable id.
pub async fn file(
    State(st): State<AppState>,
    Path((media, file)): Path<(String, String)>,
) -> WebResult<Response> {
    let profile = file.split('.').next().unwrap_or("");
    if !matches!(profile, "original" | "large" | "thumb" | "instagram") {
        return Err(AppError::NotFound.into());
    }
    let (mime, bytes) = media_uc::file(&st.db, &st.storage, &media, profile).await?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    Ok(r)
}

#[derive(Template)]
#[template(path = "studio/links.html")]
struct LinksPage {
    c: Chrome,
    f: Fmt,
    links: Vec<LinkStats>,
    base: String,
    error: Option<String>,
}

impl LinksPage {
    fn short(&self, code: &str) -> String {
        short_url(&self.base, code)
    }
}

async fn links_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let c = Chrome::new(st, ctx, Some(org), "studio", "links-title")
        .await?
        .with_notice(done);
    let f = Fmt::new(&c, org);
    Ok(render(&LinksPage {
        links: studio::links(&st.db.pool, org.0.org.id, None, 200).await?,
        base: link_uc::link_base(&st.db, org.0.org.id, &st.settings.base_url()).await?,
        c,
        f,
        error,
    }))
}

pub async fn links(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    links_page(&st, &ctx, &org, None, q.done.as_deref()).await
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    url: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    campaign: String,
}

pub async fn create_link(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<LinkForm>,
) -> WebResult<Response> {
    let source = f.source.trim().to_ascii_lowercase();
    let campaign = kehilla_app::studio::slugify(&f.campaign);
    let campaign = if f.campaign.trim().is_empty() {
        String::new()
    } else {
        campaign
    };
    let tag = link_uc::Tag {
        source: &source,
        campaign: &campaign,
        ..link_uc::Tag::default()
    };
    let r = link_uc::make(&st.db, org.0.org.id, tag, &f.url).await;
    match r {
        Ok(_) => Ok(Redirect::to(&format!(
            "/orgs/{}/studio/links?done=link-created",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ AppError::Input { .. }) => {
            links_page(&st, &ctx, &org, Some(message(&ctx, &e)), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct ClickQuery {
    /// A campaign recipient's signed token.
    #[serde(default)]
    m: String,
}

/// `/l/{code}`: 302 to the destination, and a click recorded (people only, no IP address).
/// A campaign's links carry `?m={recipient token}`: the recipient's first click is counted.
pub async fn redirect(
    State(st): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<ClickQuery>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let Some(t) = st.clicks.resolve(&code).await? else {
        return Err(AppError::NotFound.into());
    };
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let referer = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let recipient = if t.campaign_id.is_some() && !q.m.is_empty() {
        st.clicks.recipient(&q.m).await
    } else {
        None
    };
    st.clicks.record(&t, ua, referer, recipient).await;
    Ok(found(&t.destination))
}

fn found(to: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    // Links made before destinations were kept in ASCII may still hold other characters.
    if let Ok(v) = HeaderValue::from_str(&kehilla_app::studio::links::ascii_address(to)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer-when-downgrade"),
    );
    r
}

/// A bare redirect through the same stack, recording nothing: the baseline of the
/// tracked-link benchmark.
pub async fn bare_redirect() -> Response {
    found("/")
}

#[derive(Template)]
#[template(path = "public/demo_post.html")]
struct DemoPostPage {
    lang: kehilla_domain::validate::Lang,
    network_name: String,
    channel: String,
    handle: String,
    paragraphs: Vec<String>,
    when: String,
    figures: String,
    comments: Vec<(String, String)>,
}

impl DemoPostPage {
    fn t(&self, key: &str) -> String {
        kehilla_app::i18n::t(self.lang, key)
    }
}

/// A post on the built-in demo network, as the network would show it (demo data only).
pub async fn demo_post(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((network, id)): Path<(String, String)>,
) -> WebResult<Response> {
    use kehilla_app::publishing::demo;
    if !id.starts_with("demo-") {
        return Err(AppError::NotFound.into());
    }
    let Some(p) = kehilla_db::publishing::by_part(&st.db.pool, &id).await? else {
        return Err(AppError::NotFound.into());
    };
    let ch = studio::channels(&st.db.pool, p.organization_id)
        .await?
        .into_iter()
        .find(|c| c.id == p.channel_id && c.network == network)
        .ok_or(AppError::NotFound)?;
    let conn = kehilla_db::publishing::connection(&st.db.pool, p.organization_id, ch.id).await?;
    if !conn.is_some_and(|c| demo::is_demo(&c.server_url)) {
        return Err(AppError::NotFound.into());
    }
    let v = studio::variants(&st.db.pool, p.organization_id, p.post_id)
        .await?
        .into_iter()
        .find(|v| v.channel_id == ch.id)
        .ok_or(AppError::NotFound)?;
    let parts: Vec<kehilla_app::publishing::Published> =
        serde_json::from_str(&p.parts_done).unwrap_or_default();
    let index = parts.iter().position(|x| x.id == id).unwrap_or(0);
    let text = if index == 0 {
        v.body.clone()
    } else {
        kehilla_app::studio::posts::follow_ups(&v)
            .get(index - 1)
            .cloned()
            .unwrap_or_default()
    };
    let org = kehilla_db::orgs::by_id(&st.db.pool, p.organization_id).await?;
    let tz = kehilla_app::studio::zone(&org.time_zone);
    let at = p.published_at.unwrap_or(p.updated_at);
    let hours = (kehilla_db::now_ms() - at) / 3_600_000;
    let lang = ctx.lang;
    let figures = demo::figures(&network, &id, hours)
        .iter()
        .map(|(name, n)| {
            let (_, kind) = kehilla_app::publishing::metric_kind(name);
            format!(
                "{} {n}",
                kehilla_app::i18n::t(lang, &format!("metric-{kind}"))
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let comments = if index == 0 {
        vec![
            (
                "@ruth".to_string(),
                "כל הכבוד! איך אפשר להצטרף?".to_string(),
            ),
            ("@dan".to_string(), "Great work, thank you 💚".to_string()),
        ]
    } else {
        Vec::new()
    };
    Ok(render(&DemoPostPage {
        lang,
        network_name: kehilla_app::i18n::t(lang, &format!("network-{network}")),
        channel: ch.name.clone(),
        handle: ch.handle.clone(),
        paragraphs: text
            .split("\n\n")
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
            .collect(),
        when: kehilla_app::studio::to_local(tz, at)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        figures,
        comments,
    }))
}
