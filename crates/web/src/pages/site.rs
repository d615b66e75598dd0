//! The organization's public site (`/o/{slug}`, or its own domain): the profile card and the
//! posts, a permanent page per post, simple pages, topics, and the feeds; and the admin page
//! that sets the site up. Every public page carries OpenGraph, Twitter Card and JSON-LD
//! metadata, so that a link shared on a network shows the right preview.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::home::discussions as disc;
use kehilla_app::home::events::{self as events_uc, EventView};
use kehilla_app::home::feeds::{self, Feed};
use kehilla_app::home::site::{self as site_uc, PostView, Site};
use kehilla_db::site::Page;
use kehilla_domain::validate::Lang;
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::i18n;
use crate::routes::OrgCtx;
use crate::site_hosts::OnDomain;

/// What every page of the site shares: the site, the visitor's language and the metadata.
pub struct SiteChrome {
    pub lang: Lang,
    pub csrf: String,
    pub site: Site,
    /// The current path on the site (for the language switch), from the site's root.
    pub here: String,
    pub title: String,
    /// The title a preview shows (a post's own, without the organization's name).
    pub og_title: String,
    pub description: String,
    pub canonical: String,
    /// `website` or `article`.
    pub og_type: &'static str,
    /// (full address, alt text) of the preview picture.
    pub image: Option<(String, String)>,
    /// The page's JSON-LD, already safe inside a script element.
    pub json_ld: String,
    /// The language of the page's own content (a post's), for `og:locale`.
    pub content_lang: Lang,
    /// Whether the visitor came by the organization's own domain.
    pub on_domain: bool,
}

impl SiteChrome {
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }
    /// A link to a path of the site, relative to where the visitor is: `/o/{slug}` on this
    /// instance, the root on the organization's own domain.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.prefix())
    }
    fn prefix(&self) -> String {
        if self.on_domain {
            String::new()
        } else {
            format!("/o/{}", self.site.org.slug)
        }
    }
    pub fn home(&self) -> String {
        let l = self.link("");
        if l.is_empty() { "/".into() } else { l }
    }
    pub fn post_link(&self, p: &PostView) -> String {
        self.link(&format!("/p/{}", site_uc::path_segment(&p.post.slug)))
    }
    /// A path under a post's own (`/event.ics`, `/rsvp`).
    pub fn post_sub(&self, p: &PostView, sub: &str) -> String {
        format!("{}{sub}", self.post_link(p))
    }
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        i18n::t_args(self.lang, key, &[(name, value.to_string())])
    }
    pub fn day(&self, ms: &i64) -> String {
        self.date(&Some(*ms))
    }
    pub fn iso_ms(&self, ms: &i64) -> String {
        self.iso(&Some(*ms))
    }
    pub fn topic_link(&self, kind: &str) -> String {
        self.link(&format!("/topics/{kind}"))
    }
    pub fn page_link(&self, p: &Page) -> String {
        self.link(&format!("/pages/{}", site_uc::path_segment(&p.slug)))
    }
    pub fn locale(&self) -> &'static str {
        match self.content_lang {
            Lang::He => "he_IL",
            Lang::En => "en_US",
        }
    }
    pub fn kind_label(&self, kind: &str) -> String {
        self.t(&format!("post-kind-{kind}"))
    }
    pub fn date(&self, ms: &Option<i64>) -> String {
        let tz = kehilla_app::studio::zone(&self.site.org.time_zone);
        let t = kehilla_app::studio::to_local(tz, ms.unwrap_or_default());
        match self.lang {
            Lang::He => t.format("%d.%m.%Y").to_string(),
            Lang::En => t.format("%-d %b %Y").to_string(),
        }
    }
    pub fn iso(&self, ms: &Option<i64>) -> String {
        chrono::DateTime::from_timestamp_millis(ms.unwrap_or_default())
            .unwrap_or_default()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }
    pub fn other_lang(&self) -> &'static str {
        self.lang.other().code()
    }
}

/// JSON made safe inside `<script type="application/ld+json">`: nothing in it can close the
/// element or open a comment.
fn ld(v: &serde_json::Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn ngo(site: &Site) -> serde_json::Value {
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NGO",
        "name": site.org.name,
        "url": site.url(""),
    });
    if let Some(o) = v.as_object_mut() {
        if !site.settings.description.is_empty() {
            o.insert(
                "description".into(),
                site.settings.description.clone().into(),
            );
        }
        if let Some(logo) = &site.logo_url {
            o.insert("logo".into(), logo.clone().into());
        }
        if !site.keywords.is_empty() {
            o.insert("keywords".into(), site.keywords.join(", ").into());
        }
        let same: Vec<serde_json::Value> = site
            .links
            .iter()
            .map(|l| l.url.clone().into())
            .chain(
                (!site.settings.website.is_empty()).then(|| site.settings.website.clone().into()),
            )
            .collect();
        if !same.is_empty() {
            o.insert("sameAs".into(), same.into());
        }
    }
    v
}

fn article(site: &Site, p: &PostView) -> serde_json::Value {
    let is_event = p.post.kind == "event" && !p.details.event_start.is_empty();
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": if is_event { "Event" } else { "Article" },
        "url": p.url,
        "inLanguage": p.lang.code(),
        "publisher": { "@type": "NGO", "name": site.org.name, "url": site.url("") },
    });
    if let Some(o) = v.as_object_mut() {
        if is_event {
            o.insert("name".into(), p.title.clone().into());
            o.insert("description".into(), p.summary().into());
            o.insert(
                "startDate".into(),
                event_start(&site.org.time_zone, &p.details.event_start).into(),
            );
            o.insert(
                "organizer".into(),
                serde_json::json!({ "@type": "NGO", "name": site.org.name, "url": site.url("") }),
            );
            if !p.details.place.is_empty() {
                o.insert(
                    "location".into(),
                    serde_json::json!({ "@type": "Place", "name": p.details.place }),
                );
            }
        } else {
            o.insert("headline".into(), p.title.clone().into());
            o.insert("description".into(), p.summary().into());
            o.insert(
                "datePublished".into(),
                chrono::DateTime::from_timestamp_millis(p.post.published_at.unwrap_or_default())
                    .unwrap_or_default()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    .into(),
            );
            o.insert(
                "author".into(),
                serde_json::json!({ "@type": "NGO", "name": site.org.name }),
            );
        }
        if let Some(img) = p.images.first() {
            o.insert("image".into(), img.url.clone().into());
        }
    }
    v
}

/// An event's local start (`YYYY-MM-DDTHH:MM` in the organization's zone) with its offset.
fn event_start(zone: &str, local: &str) -> String {
    let tz = kehilla_app::studio::zone(zone);
    chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(|n| n.and_local_timezone(tz).earliest())
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_else(|| local.to_string())
}

async fn load(st: &AppState, slug: &str) -> WebResult<Site> {
    Ok(site_uc::load(&st.db, &st.settings.base_url(), slug).await?)
}

/// The site's pages may be kept a minute by the visitor's browser; not by shared caches, since
/// each carries the visitor's CSRF token (the language switch).
fn public(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    r.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    r
}

#[derive(Template)]
#[template(path = "site/home.html")]
struct HomePage {
    c: SiteChrome,
    posts: Vec<PostView>,
    /// The topic shown (a kind of post), if one is.
    topic: Option<String>,
    /// The `before` of the next (older) page, when there is one.
    older: Option<i64>,
    strengths: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    before: Option<i64>,
}

async fn home_page(
    st: &AppState,
    ctx: &Ctx,
    on_domain: bool,
    slug: &str,
    topic: Option<String>,
    before: Option<i64>,
) -> WebResult<Response> {
    let site = load(st, slug).await?;
    if let Some(t) = &topic
        && !kehilla_app::studio::KINDS.contains(&t.as_str())
    {
        return Err(AppError::NotFound.into());
    }
    let posts = site_uc::posts(
        &st.db,
        &site,
        &st.settings.base_url(),
        topic.as_deref(),
        before,
    )
    .await?;
    let older = (posts.len() >= usize::try_from(site_uc::PER_PAGE).unwrap_or(20))
        .then(|| posts.last().and_then(|p| p.post.published_at))
        .flatten();
    let title = match &topic {
        Some(t) => format!(
            "{} · {}",
            i18n::t(ctx.lang, &format!("post-kind-{t}")),
            site.org.name
        ),
        None => site.org.name.clone(),
    };
    let description = if site.settings.description.is_empty() {
        i18n::t_args(
            ctx.lang,
            "site-default-description",
            &[("org", site.org.name.clone())],
        )
    } else {
        site.settings.description.clone()
    };
    let path = match &topic {
        Some(t) => format!("/topics/{t}"),
        None => String::new(),
    };
    let strengths = site
        .settings
        .site_strengths
        .split('\n')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let content_lang = site_uc::language_of(&format!("{} {description}", site.org.name));
    let c = SiteChrome {
        lang: ctx.lang,
        csrf: ctx.csrf.clone(),
        canonical: site.url(&path),
        here: path,
        og_title: title.clone(),
        title,
        description,
        og_type: "website",
        image: site.logo_url.clone().map(|u| (u, site.org.name.clone())),
        json_ld: ld(&ngo(&site)),
        content_lang,
        on_domain,
        site,
    };
    Ok(public(render(&HomePage {
        c,
        posts,
        topic,
        older,
        strengths,
    })))
}

pub async fn home(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> WebResult<Response> {
    home_page(&st, &ctx, domain.is_some(), &slug, None, q.before).await
}

pub async fn topic(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    Path((slug, topic)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> WebResult<Response> {
    home_page(&st, &ctx, domain.is_some(), &slug, Some(topic), q.before).await
}

#[derive(Template)]
#[template(path = "site/post.html")]
struct PostPage {
    c: SiteChrome,
    p: PostView,
    event: Option<EventView>,
    /// What the visitor's RSVP came to (`going`, `waitlist`).
    rsvp: Option<String>,
    /// A call for volunteers: the public id of the sign-up form it shows.
    form: Option<String>,
    /// Visible comments: (name, HTML, when).
    comments: Vec<(String, String, i64)>,
    /// What became of the visitor's comment (`visible`, `pending`, `check-email`).
    posted: Option<String>,
}

impl PostPage {
    fn when(&self, ms: &i64) -> String {
        let tz = kehilla_app::studio::zone(&self.c.site.org.time_zone);
        kehilla_app::studio::to_local(tz, *ms)
            .format("%d.%m.%Y %H:%M")
            .to_string()
    }
    fn time(&self, ms: &i64) -> String {
        let tz = kehilla_app::studio::zone(&self.c.site.org.time_zone);
        kehilla_app::studio::to_local(tz, *ms)
            .format("%H:%M")
            .to_string()
    }
}

#[derive(Deserialize, Default)]
pub struct PostQuery {
    rsvp: Option<String>,
    comment: Option<String>,
}

pub async fn post(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    Path((slug, post)): Path<(String, String)>,
    Query(q): Query<PostQuery>,
) -> WebResult<Response> {
    let site = load(&st, &slug).await?;
    let p = site_uc::post(&st.db, &site, &st.settings.base_url(), &post).await?;
    let event = events_uc::view(&st.db, &p.post, &site.org.time_zone).await?;
    let rsvp = q.rsvp.filter(|r| r == "going" || r == "waitlist");
    let form = if p.post.kind == "volunteers" {
        kehilla_db::site::newest_form(&st.db.pool, site.org.id, "volunteer").await?
    } else {
        None
    };
    let c = SiteChrome {
        lang: ctx.lang,
        csrf: ctx.csrf.clone(),
        here: format!("/p/{}", site_uc::path_segment(&p.post.slug)),
        title: format!("{} · {}", p.title, site.org.name),
        og_title: p.title.clone(),
        description: p.summary(),
        canonical: p.url.clone(),
        og_type: "article",
        image: p
            .images
            .first()
            .map(|i| (i.url.clone(), i.alt.clone()))
            .or_else(|| site.logo_url.clone().map(|u| (u, site.org.name.clone()))),
        json_ld: ld(&article(&site, &p)),
        content_lang: p.lang,
        on_domain: domain.is_some(),
        site,
    };
    let comments = kehilla_db::discussions::of_post(&st.db.pool, p.post.organization_id, p.post.id)
        .await?
        .into_iter()
        .map(|k| (k.name, disc::body_html(&k.body), k.created_at))
        .collect();
    let posted = q
        .comment
        .filter(|c| ["visible", "pending", "check-email"].contains(&c.as_str()));
    let r = render(&PostPage {
        c,
        p,
        event,
        rsvp,
        form,
        comments,
        posted,
    });
    // A page with an RSVP form carries the visitor's CSRF token: not for shared caches.
    Ok(r)
}

#[derive(Template)]
#[template(path = "site/page.html")]
struct SitePage {
    c: SiteChrome,
    page: Page,
    html: String,
    lang: Lang,
}

pub async fn page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    Path((slug, page)): Path<(String, String)>,
) -> WebResult<Response> {
    let site = load(&st, &slug).await?;
    let page = kehilla_db::site::page(&st.db.pool, site.org.id, &page).await?;
    let lang = site_uc::language_of(&format!("{} {}", page.title, page.body));
    let c = SiteChrome {
        lang: ctx.lang,
        csrf: ctx.csrf.clone(),
        here: format!("/pages/{}", site_uc::path_segment(&page.slug)),
        title: format!("{} · {}", page.title, site.org.name),
        og_title: page.title.clone(),
        description: site_uc::summary(&page.body, 200),
        canonical: site.url(&format!("/pages/{}", site_uc::path_segment(&page.slug))),
        og_type: "website",
        image: site.logo_url.clone().map(|u| (u, site.org.name.clone())),
        json_ld: ld(&ngo(&site)),
        content_lang: lang,
        on_domain: domain.is_some(),
        site,
    };
    Ok(public(render(&SitePage {
        html: site_uc::page_html(&page.body),
        c,
        page,
        lang,
    })))
}

#[derive(Clone, Copy)]
enum Format {
    Rss,
    Atom,
    Json,
}

async fn feed(
    st: &AppState,
    slug: &str,
    topic: Option<&str>,
    format: Format,
) -> WebResult<Response> {
    let site = load(st, slug).await?;
    if let Some(t) = topic
        && !kehilla_app::studio::KINDS.contains(&t)
    {
        return Err(AppError::NotFound.into());
    }
    let base = st.settings.base_url();
    let items = site_uc::posts(&st.db, &site, &base, topic, None).await?;
    let path = topic.map(|t| format!("/topics/{t}")).unwrap_or_default();
    let (file, mime) = match format {
        Format::Rss => ("feed.rss", "application/rss+xml; charset=utf-8"),
        Format::Atom => ("feed.atom", "application/atom+xml; charset=utf-8"),
        Format::Json => ("feed.json", "application/feed+json; charset=utf-8"),
    };
    // Feed titles are in the organization's language: they name it, not the visitor's UI.
    let lang = site_uc::language_of(&site.org.name);
    let title = match topic {
        Some(t) => format!(
            "{} · {}",
            site.org.name,
            i18n::t(lang, &format!("post-kind-{t}"))
        ),
        None => site.org.name.clone(),
    };
    let f = Feed {
        site: &site,
        title,
        home: site.url(&path),
        self_url: site.url(&format!("{path}/{file}")),
        items: &items,
    };
    let body = match format {
        Format::Rss => feeds::rss(&f),
        Format::Atom => feeds::atom(&f),
        Format::Json => feeds::json(&f),
    };
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(r)
}

macro_rules! feed_handlers {
    ($($name:ident, $topic_name:ident => $format:expr;)*) => {$(
        pub async fn $name(
            State(st): State<AppState>,
            Path(slug): Path<String>,
        ) -> WebResult<Response> {
            feed(&st, &slug, None, $format).await
        }
        pub async fn $topic_name(
            State(st): State<AppState>,
            Path((slug, topic)): Path<(String, String)>,
        ) -> WebResult<Response> {
            feed(&st, &slug, Some(&topic), $format).await
        }
    )*};
}

feed_handlers! {
    feed_rss, topic_rss => Format::Rss;
    feed_atom, topic_atom => Format::Atom;
    feed_json, topic_json => Format::Json;
}

// The admin page: /orgs/{org}/site

#[derive(Template)]
#[template(path = "site_settings.html")]
struct SettingsPage {
    c: Chrome,
    site: Site,
    links: String,
    pages: Vec<Page>,
    instance_host: String,
    /// The page being edited (or a new one).
    editing: Option<Page>,
    /// Event posts: (public id, title, status).
    events: Vec<(String, String, String)>,
    /// Pledges per appeal: (title, count, total as "₪1,234.50").
    pledges: Vec<(String, i64, String)>,
    /// The organization on the fediverse: its handle and how many follow it.
    handle: String,
    followers: i64,
}

impl SettingsPage {
    fn public_url(&self) -> String {
        self.site.url("")
    }
}

/// Agorot as "₪1,234.50".
fn shekels(agorot: i64) -> String {
    let whole = (agorot / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("₪{grouped}.{:02}", agorot % 100)
}

/// The host of the instance's own address (no organization may take it as its domain).
pub fn instance_host(st: &AppState) -> String {
    site_uc::host_of(&st.settings.base_url())
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

#[derive(Deserialize, Default)]
pub struct AdminQuery {
    done: Option<String>,
    page: Option<String>,
}

pub async fn settings_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<AdminQuery>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, Some(&org), "site", "site-settings-title")
        .await?
        .with_notice(q.done.as_deref());
    let site = load(&st, &org.0.org.slug).await?;
    let editing = match q.page.as_deref() {
        Some(p) if !p.is_empty() => {
            Some(kehilla_db::site::page_by_public_id(&st.db.pool, org.0.org.id, p).await?)
        }
        _ => None,
    };
    let events = kehilla_db::site::event_posts(&st.db.pool, org.0.org.id)
        .await?
        .into_iter()
        .map(|(id, title, body, status)| {
            let t = if title.is_empty() {
                site_uc::summary(&body, 60)
            } else {
                title
            };
            (id, t, status)
        })
        .collect();
    let pledges = kehilla_db::site::pledge_totals(&st.db.pool, org.0.org.id)
        .await?
        .into_iter()
        .map(|(_, title, body, n, total)| {
            let t = if title.is_empty() {
                site_uc::summary(&body, 60)
            } else {
                title
            };
            (t, n, shekels(total))
        })
        .collect();
    let base = st.settings.base_url();
    let handle = format!(
        "@{}@{}",
        org.0.org.slug,
        kehilla_app::home::activitypub::host(&base)
    );
    let followers = kehilla_db::activitypub::follower_count(&st.db.pool, org.0.org.id).await?;
    Ok(render(&SettingsPage {
        c,
        handle,
        followers,
        events,
        pledges,
        links: site_uc::links_text(&site.links),
        pages: site.pages.clone(),
        instance_host: instance_host(&st),
        site,
        editing,
    }))
}

fn back(org: &OrgCtx, done: &str) -> Response {
    Redirect::to(&format!("/orgs/{}/site?done={done}", org.0.org.slug)).into_response()
}

pub async fn save_settings(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<site_uc::SettingsInput>,
) -> WebResult<Response> {
    site_uc::save_settings(&st.db, &org.0, &ctx.actor(), &instance_host(&st), &f).await?;
    crate::site_hosts::forget();
    Ok(back(&org, "site-saved"))
}

pub async fn save_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<AdminQuery>,
    Form(f): Form<site_uc::PageInput>,
) -> WebResult<Response> {
    site_uc::save_page(
        &st.db,
        &org.0,
        &ctx.actor(),
        q.page.as_deref().filter(|p| !p.is_empty()),
        &f,
    )
    .await?;
    Ok(back(&org, "site-page-saved"))
}

#[derive(Deserialize)]
pub struct DeleteForm {
    page: String,
}

pub async fn delete_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<DeleteForm>,
) -> WebResult<Response> {
    site_uc::delete_page(&st.db, &org.0, &ctx.actor(), &f.page).await?;
    Ok(back(&org, "site-page-deleted"))
}

// Events: RSVP, shifts, the calendar file, and the organization's page of an event.

pub async fn rsvp(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    Path((slug, post)): Path<(String, String)>,
    Form(mut f): Form<events_uc::RsvpInput>,
) -> WebResult<Response> {
    f.utm_source = ctx.source.source.clone();
    f.utm_campaign = ctx.source.campaign.clone();
    st.forms_by_ip
        .check(&ctx.ip)
        .map_err(AppError::RateLimited)?;
    let site = load(&st, &slug).await?;
    let p = kehilla_db::site::post(&st.db.pool, site.org.id, &post).await?;
    let answer = events_uc::rsvp(&st.db, &p, &site.org.time_zone, &f, ctx.lang).await?;
    let word = match answer {
        events_uc::Answer::Going => "going",
        events_uc::Answer::Waitlist => "waitlist",
    };
    let prefix = if domain.is_some() {
        String::new()
    } else {
        format!("/o/{}", site.org.slug)
    };
    Ok(Redirect::to(&format!(
        "{prefix}/p/{}?rsvp={word}#rsvp",
        site_uc::path_segment(&p.slug)
    ))
    .into_response())
}

pub async fn ics(
    State(st): State<AppState>,
    Path((slug, post)): Path<(String, String)>,
) -> WebResult<Response> {
    let site = load(&st, &slug).await?;
    let p = site_uc::post(&st.db, &site, &st.settings.base_url(), &post).await?;
    let Some(v) = events_uc::view(&st.db, &p.post, &site.org.time_zone).await? else {
        return Err(AppError::NotFound.into());
    };
    let host = instance_host(&st);
    let body = events_uc::ics(&p.post, &v, &p.url, &host);
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"event.ics\""),
    );
    Ok(r)
}

#[derive(Template)]
#[template(path = "site_event.html")]
struct EventAdminPage {
    c: Chrome,
    tz: String,
    post: kehilla_db::studio::Post,
    title: String,
    public_url: String,
    event: EventView,
    rsvps: Vec<kehilla_db::events::RsvpRow>,
}

impl EventAdminPage {
    fn when(&self, ms: &i64) -> String {
        let tz = kehilla_app::studio::zone(&self.c_zone());
        kehilla_app::studio::to_local(tz, *ms)
            .format("%d.%m.%Y %H:%M")
            .to_string()
    }
    fn c_zone(&self) -> String {
        self.tz.clone()
    }
    fn shift_title(&self, id: &i64) -> String {
        self.event
            .shifts
            .iter()
            .find(|(s, _)| s.id == *id)
            .map(|(s, _)| s.title.clone())
            .unwrap_or_default()
    }
    fn rsvp_open(&self) -> bool {
        self.event.event.as_ref().is_none_or(|e| e.rsvp_open == 1)
    }
    fn going(&self) -> i64 {
        self.rsvps
            .iter()
            .filter(|r| r.status == "going" && r.shift_id == 0)
            .map(|r| 1 + r.guests)
            .sum()
    }
}

async fn event_post(
    st: &AppState,
    org: &OrgCtx,
    post: &str,
) -> WebResult<(kehilla_db::studio::Post, EventView)> {
    let p = kehilla_db::studio::post(&st.db.pool, org.0.org.id, post).await?;
    let Some(v) = events_uc::view(&st.db, &p, &org.0.org.time_zone).await? else {
        return Err(AppError::NotFound.into());
    };
    Ok((p, v))
}

pub async fn event_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Query(q): Query<AdminQuery>,
) -> WebResult<Response> {
    let (p, event) = event_post(&st, &org, &post).await?;
    let c = Chrome::new(&st, &ctx, Some(&org), "site", "event-admin-title")
        .await?
        .with_notice(q.done.as_deref());
    let site = load(&st, &org.0.org.slug).await?;
    let rsvps = match &event.event {
        Some(e) => kehilla_db::events::rsvps(&st.db.pool, org.0.org.id, e.id).await?,
        None => Vec::new(),
    };
    Ok(render(&EventAdminPage {
        c,
        title: if p.title.is_empty() {
            site_uc::summary(&p.body, 60)
        } else {
            p.title.clone()
        },
        public_url: site.post_url(&p),
        tz: org.0.org.time_zone.clone(),
        post: p,
        event,
        rsvps,
    }))
}

fn back_to_event(org: &OrgCtx, post: &str, done: &str) -> Response {
    Redirect::to(&format!(
        "/orgs/{}/site/events/{post}?done={done}",
        org.0.org.slug
    ))
    .into_response()
}

pub async fn save_event(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Form(f): Form<events_uc::SettingsInput>,
) -> WebResult<Response> {
    let (p, _) = event_post(&st, &org, &post).await?;
    events_uc::save_settings(&st.db, &org.0, &ctx.actor(), &p, &f).await?;
    Ok(back_to_event(&org, &post, "event-saved"))
}

pub async fn add_shift(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Form(f): Form<events_uc::ShiftInput>,
) -> WebResult<Response> {
    let (p, _) = event_post(&st, &org, &post).await?;
    events_uc::add_shift(&st.db, &org.0, &ctx.actor(), &p, &f).await?;
    Ok(back_to_event(&org, &post, "shift-added"))
}

#[derive(Deserialize)]
pub struct ShiftForm {
    #[serde(default)]
    shift: String,
}

pub async fn delete_shift(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Form(f): Form<ShiftForm>,
) -> WebResult<Response> {
    let (p, _) = event_post(&st, &org, &post).await?;
    events_uc::delete_shift(&st.db, &org.0, &ctx.actor(), &p, &f.shift).await?;
    Ok(back_to_event(&org, &post, "shift-deleted"))
}

#[derive(Deserialize)]
pub struct RsvpForm {
    #[serde(default)]
    rsvp: String,
    /// `came`, `absent`, `clear` or `cancel`.
    #[serde(default)]
    action: String,
}

pub async fn mark_rsvp(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, post)): Path<(String, String)>,
    Form(f): Form<RsvpForm>,
) -> WebResult<Response> {
    event_post(&st, &org, &post).await?;
    match f.action.as_str() {
        "came" => events_uc::mark_attended(&st.db, &org.0, &f.rsvp, Some(true)).await?,
        "absent" => events_uc::mark_attended(&st.db, &org.0, &f.rsvp, Some(false)).await?,
        "clear" => events_uc::mark_attended(&st.db, &org.0, &f.rsvp, None).await?,
        "cancel" => {
            events_uc::cancel(&st.db, &org.0, &ctx.actor(), &f.rsvp).await?;
        }
        _ => {
            return Err(AppError::input("action")(
                kehilla_domain::validate::InputError::InvalidValue,
            )
            .into());
        }
    }
    Ok(back_to_event(&org, &post, "rsvp-marked"))
}

/// A pledge on a donation appeal: recorded, then on to the organization's payment page.
pub async fn pledge(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path((slug, post)): Path<(String, String)>,
    Form(mut f): Form<kehilla_app::home::calls::PledgeInput>,
) -> WebResult<Response> {
    f.utm_source = ctx.source.source.clone();
    f.utm_campaign = ctx.source.campaign.clone();
    st.forms_by_ip
        .check(&ctx.ip)
        .map_err(AppError::RateLimited)?;
    let site = load(&st, &slug).await?;
    let p = kehilla_db::site::post(&st.db.pool, site.org.id, &post).await?;
    let pay = kehilla_app::home::calls::pledge(&st.db, &p, &f, ctx.lang).await?;
    Ok(Redirect::to(&pay).into_response())
}

// Discussions: comments under posts, boards and their threads, the emailed link, moderation.

pub const COMMENTER_COOKIE: &str = "kehilla_commenter";

async fn known_commenter(st: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    let all = crate::ctx::cookies(headers);
    let v = all.iter().find(|(k, _)| k == COMMENTER_COOKIE)?;
    disc::commenter_of_cookie(&st.db, &v.1).await
}

fn posted_word(p: &disc::Posted) -> &'static str {
    match p {
        disc::Posted::Visible => "visible",
        disc::Posted::Pending => "pending",
        disc::Posted::CheckEmail => "check-email",
    }
}

fn prefix(domain: bool, slug: &str) -> String {
    if domain {
        String::new()
    } else {
        format!("/o/{slug}")
    }
}

/// Takes a visitor's comment (any target): the per-address limit, the browser's proof, the
/// worker woken for the verification mail. Returns what became of it, as the page's word.
async fn take_comment(
    st: &AppState,
    ctx: &Ctx,
    headers: &axum::http::HeaderMap,
    org: i64,
    target: disc::Target<'_>,
    f: &disc::CommentInput,
) -> WebResult<&'static str> {
    st.forms_by_ip
        .check(&ctx.ip)
        .map_err(AppError::RateLimited)?;
    let known = known_commenter(st, headers).await;
    let posted = disc::comment(&st.db, org, target, f, known.as_deref(), ctx.lang).await?;
    if let Some(w) = &st.worker {
        w.wake();
    }
    Ok(posted_word(&posted))
}

/// Whether a comment is a visible thread of the board.
fn is_thread_of(k: &kehilla_db::discussions::Comment, b: &kehilla_db::discussions::Board) -> bool {
    k.board_id == Some(b.id) && k.parent_id.is_none() && k.status == "visible"
}

pub async fn post_comment(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    headers: axum::http::HeaderMap,
    Path((slug, post)): Path<(String, String)>,
    Form(f): Form<disc::CommentInput>,
) -> WebResult<Response> {
    let site = load(&st, &slug).await?;
    let p = kehilla_db::site::post(&st.db.pool, site.org.id, &post).await?;
    let word = take_comment(&st, &ctx, &headers, site.org.id, disc::Target::Post(&p), &f).await?;
    Ok(Redirect::to(&format!(
        "{}/p/{}?comment={word}#comments",
        prefix(domain.is_some(), &site.org.slug),
        site_uc::path_segment(&p.slug),
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "site/boards.html")]
struct BoardsPage {
    c: SiteChrome,
    boards: Vec<kehilla_db::discussions::Board>,
    /// The board shown, with its threads: (public id, title, name, when).
    board: Option<kehilla_db::discussions::Board>,
    threads: Vec<kehilla_db::discussions::Comment>,
    /// The thread shown: its first comment's HTML and its replies (name, HTML, when).
    thread: Option<(kehilla_db::discussions::Comment, String)>,
    replies: Vec<(String, String, i64)>,
    posted: Option<String>,
}

impl BoardsPage {
    fn board_link(&self, b: &kehilla_db::discussions::Board) -> String {
        self.c
            .link(&format!("/boards/{}", site_uc::path_segment(&b.slug)))
    }
    fn here_post(&self) -> String {
        self.c.link(&self.c.here)
    }
    fn thread_link(&self, k: &kehilla_db::discussions::Comment) -> String {
        match &self.board {
            Some(b) => self.c.link(&format!(
                "/boards/{}/{}",
                site_uc::path_segment(&b.slug),
                k.public_id
            )),
            None => String::new(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    comment: Option<String>,
}

async fn boards_page(
    st: &AppState,
    ctx: &Ctx,
    domain: bool,
    slug: &str,
    board: Option<&str>,
    thread: Option<&str>,
    posted: Option<String>,
) -> WebResult<Response> {
    let site = load(st, slug).await?;
    let org = site.org.id;
    let boards = kehilla_db::discussions::boards(&st.db.pool, org).await?;
    let board = match board {
        Some(b) => Some(kehilla_db::discussions::board(&st.db.pool, org, b).await?),
        None => None,
    };
    let threads = match (&board, thread) {
        (Some(b), None) => kehilla_db::discussions::threads(&st.db.pool, org, b.id).await?,
        _ => Vec::new(),
    };
    let (thread, replies) = match (&board, thread) {
        (Some(b), Some(t)) => {
            let k = kehilla_db::discussions::comment(&st.db.pool, org, t).await?;
            if !is_thread_of(&k, b) {
                return Err(AppError::NotFound.into());
            }
            let replies = kehilla_db::discussions::replies(&st.db.pool, org, k.id)
                .await?
                .into_iter()
                .map(|r| (r.name, disc::body_html(&r.body), r.created_at))
                .collect();
            let html = disc::body_html(&k.body);
            (Some((k, html)), replies)
        }
        _ => (None, Vec::new()),
    };
    let here = match (&board, &thread) {
        (Some(b), Some((k, _))) => {
            format!("/boards/{}/{}", site_uc::path_segment(&b.slug), k.public_id)
        }
        (Some(b), None) => format!("/boards/{}", site_uc::path_segment(&b.slug)),
        _ => "/boards".into(),
    };
    let title = match (&board, &thread) {
        (_, Some((k, _))) => k.title.clone(),
        (Some(b), None) => b.title.clone(),
        _ => i18n::t(ctx.lang, "boards-title"),
    };
    let content_lang = site_uc::language_of(&title);
    let c = SiteChrome {
        lang: ctx.lang,
        csrf: ctx.csrf.clone(),
        canonical: site.url(&here),
        here,
        og_title: title.clone(),
        title: format!("{title} · {}", site.org.name),
        description: board
            .as_ref()
            .map(|b| b.description.clone())
            .unwrap_or_default(),
        og_type: "website",
        image: site.logo_url.clone().map(|u| (u, site.org.name.clone())),
        json_ld: ld(&ngo(&site)),
        content_lang,
        on_domain: domain,
        site,
    };
    Ok(render(&BoardsPage {
        c,
        boards,
        board,
        threads,
        thread,
        replies,
        posted: posted
            .filter(|c| ["visible", "pending", "check-email", "verified"].contains(&c.as_str())),
    }))
}

pub async fn boards(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    Path(slug): Path<String>,
    Query(q): Query<BoardQuery>,
) -> WebResult<Response> {
    boards_page(&st, &ctx, domain.is_some(), &slug, None, None, q.comment).await
}

pub async fn board(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    Path((slug, board)): Path<(String, String)>,
    Query(q): Query<BoardQuery>,
) -> WebResult<Response> {
    boards_page(
        &st,
        &ctx,
        domain.is_some(),
        &slug,
        Some(&board),
        None,
        q.comment,
    )
    .await
}

pub async fn thread(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    Path((slug, board, thread)): Path<(String, String, String)>,
    Query(q): Query<BoardQuery>,
) -> WebResult<Response> {
    boards_page(
        &st,
        &ctx,
        domain.is_some(),
        &slug,
        Some(&board),
        Some(&thread),
        q.comment,
    )
    .await
}

pub async fn post_thread(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    headers: axum::http::HeaderMap,
    Path((slug, board)): Path<(String, String)>,
    Form(f): Form<disc::CommentInput>,
) -> WebResult<Response> {
    let site = load(&st, &slug).await?;
    let b = kehilla_db::discussions::board(&st.db.pool, site.org.id, &board).await?;
    let word = take_comment(
        &st,
        &ctx,
        &headers,
        site.org.id,
        disc::Target::Board(b.id),
        &f,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "{}/boards/{}?comment={word}",
        prefix(domain.is_some(), &site.org.slug),
        site_uc::path_segment(&b.slug),
    ))
    .into_response())
}

pub async fn post_reply(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    domain: Option<Extension<OnDomain>>,
    headers: axum::http::HeaderMap,
    Path((slug, board, thread)): Path<(String, String, String)>,
    Form(f): Form<disc::CommentInput>,
) -> WebResult<Response> {
    let site = load(&st, &slug).await?;
    let b = kehilla_db::discussions::board(&st.db.pool, site.org.id, &board).await?;
    let k = kehilla_db::discussions::comment(&st.db.pool, site.org.id, &thread).await?;
    if !is_thread_of(&k, &b) {
        return Err(AppError::NotFound.into());
    }
    let target = disc::Target::Thread {
        board: b.id,
        parent: k.id,
    };
    let word = take_comment(&st, &ctx, &headers, site.org.id, target, &f).await?;
    Ok(Redirect::to(&format!(
        "{}/boards/{}/{}?comment={word}#replies",
        prefix(domain.is_some(), &site.org.slug),
        site_uc::path_segment(&b.slug),
        k.public_id,
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "site/verify.html")]
struct VerifyPage {
    lang: Lang,
    title: String,
    text: String,
    csrf: String,
    action: String,
    button: String,
}

/// The emailed link: a button, so that mail scanners that open links change nothing.
pub async fn verify_page(
    Extension(ctx): Extension<Ctx>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    Ok(render(&VerifyPage {
        title: i18n::t(ctx.lang, "comment-verify-title"),
        text: i18n::t(ctx.lang, "comment-verify-text"),
        csrf: ctx.csrf.clone(),
        action: format!("/c/verify/{token}"),
        button: i18n::t(ctx.lang, "comment-verify-button"),
        lang: ctx.lang,
    }))
}

pub async fn verify(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let c = disc::verify(&st.db, &token).await?;
    let org = kehilla_db::orgs::by_id(&st.db.pool, c.organization_id).await?;
    let value = disc::cookie_for(&st.db, &c.public_id).await?;
    let mut r = Redirect::to(&format!("/o/{}/boards?comment=verified", org.slug)).into_response();
    if let Ok(v) = HeaderValue::from_str(&ctx.cookie(COMMENTER_COOKIE, &value, Some(365 * 86_400)))
    {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(Template)]
#[template(path = "site_comments.html")]
struct QueuePage {
    c: Chrome,
    queue: Vec<(kehilla_db::discussions::Comment, String)>,
    boards: Vec<kehilla_db::discussions::Board>,
}

pub async fn queue(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<AdminQuery>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, Some(&org), "site", "comments-title")
        .await?
        .with_notice(q.done.as_deref());
    let queue = kehilla_db::discussions::queue(&st.db.pool, org.0.org.id)
        .await?
        .into_iter()
        .map(|k| {
            let html = disc::body_html(&k.body);
            (k, html)
        })
        .collect();
    let boards = kehilla_db::discussions::boards(&st.db.pool, org.0.org.id).await?;
    Ok(render(&QueuePage { c, queue, boards }))
}

#[derive(Deserialize)]
pub struct ModerateForm {
    #[serde(default)]
    comment: String,
    #[serde(default)]
    action: String,
}

pub async fn moderate(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<ModerateForm>,
) -> WebResult<Response> {
    disc::moderate(&st.db, &org.0, &f.comment, &f.action).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/site/comments?done=comment-moderated",
        org.0.org.slug
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct BoardForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
}

pub async fn create_board(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<BoardForm>,
) -> WebResult<Response> {
    disc::create_board(&st.db, &org.0, &f.title, &f.description).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/site/comments?done=board-created",
        org.0.org.slug
    ))
    .into_response())
}
