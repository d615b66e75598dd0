//! The organization's public site: the profile card, its published posts with permanent links,
//! simple pages, and the settings behind them (custom domain, strengths, keywords, links).
//! Everything here is read by visitors; only the settings and pages are written, by admins.

use kehilla_db::Db;
use kehilla_db::orgs::{self, Organization};
use kehilla_db::site::{self as db, Page, SiteSettings};
use kehilla_db::studio::{self, Post};
use kehilla_domain::Role;
use kehilla_domain::validate::{InputError, Lang};
use serde::{Deserialize, Serialize};

use crate::audit::Actor;
use crate::members::OrgMember;
use crate::messaging::render::escape;
use crate::{AppError, Result};

pub const MAX_STRENGTHS: usize = 1000;
pub const MAX_KEYWORDS: usize = 20;
pub const MAX_LINKS: usize = 10;
pub const MAX_PAGE_BODY: usize = 50_000;
/// Posts per page of the site and items per feed.
pub const PER_PAGE: i64 = 20;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SiteLink {
    pub label: String,
    pub url: String,
}

/// An organization's site as a visitor sees it.
#[derive(Debug, Clone)]
pub struct Site {
    pub org: Organization,
    pub settings: SiteSettings,
    pub links: Vec<SiteLink>,
    pub keywords: Vec<String>,
    /// The logo's address on this instance, when there is one.
    pub logo_url: Option<String>,
    /// The site's root: `https://{domain}` on a custom domain, else `{base}/o/{slug}`.
    pub root: String,
    pub status: Option<Post>,
    pub pages: Vec<Page>,
}

impl Site {
    /// The address of a path of the site (`""` for its home, `"/p/{slug}"` …).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }

    pub fn post_url(&self, p: &Post) -> String {
        self.url(&format!("/p/{}", path_segment(&p.slug)))
    }
}

/// `s` made safe as one path segment (letters of any script are percent-encoded).
pub fn path_segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The site of the organization `slug`. `base` is the instance's address.
pub async fn load(db: &Db, base: &str, slug: &str) -> Result<Site> {
    let org = orgs::by_slug(&db.pool, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = db::settings(&db.pool, org.id).await?;
    // Only web addresses become links (whatever a restored archive or an old row holds).
    let links: Vec<SiteLink> = serde_json::from_str::<Vec<SiteLink>>(&settings.site_links)
        .unwrap_or_default()
        .into_iter()
        .filter(|l| crate::studio::posts::is_web_address(&l.url))
        .collect();
    let mut settings = settings;
    if !crate::studio::posts::is_web_address(&settings.website) {
        settings.website = String::new();
    }
    let keywords = settings
        .site_keywords
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(String::from)
        .collect();
    let base = base.trim_end_matches('/');
    let logo_url = if settings.logo_media.is_empty() {
        None
    } else {
        Some(format!("{base}/m/{}/large", settings.logo_media))
    };
    let root = if settings.site_domain.is_empty() {
        format!("{base}/o/{}", org.slug)
    } else {
        let scheme = if base.starts_with("http://") {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{}", settings.site_domain)
    };
    let status = db::status_line(&db.pool, org.id).await?;
    let pages = db::pages(&db.pool, org.id).await?;
    Ok(Site {
        org,
        settings,
        links,
        keywords,
        logo_url,
        root,
        status,
        pages,
    })
}

/// A picture of a post.
#[derive(Debug, Clone)]
pub struct Image {
    /// Its full address (feeds, previews).
    pub url: String,
    /// Its path on this instance (pages, which may be served on a custom domain).
    pub path: String,
    pub alt: String,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

/// A post as the site shows it.
#[derive(Debug, Clone)]
pub struct PostView {
    pub post: Post,
    pub title: String,
    /// The body as HTML paragraphs: text escaped, web addresses linked.
    pub html: String,
    /// The body as plain text, for descriptions and feeds.
    pub text: String,
    pub lang: Lang,
    pub url: String,
    pub images: Vec<Image>,
    pub details: crate::studio::posts::Details,
}

impl PostView {
    /// A short description: the first 200 characters of the text, cut at a word.
    pub fn summary(&self) -> String {
        summary(&self.text, 200)
    }
}

pub async fn view(db: &Db, site: &Site, base: &str, p: Post) -> Result<PostView> {
    let mut details = crate::studio::posts::details_of(&p);
    if !crate::studio::posts::is_web_address(&details.url) {
        details.url = String::new();
    }
    let media = studio::post_media(&db.pool, p.organization_id, p.id).await?;
    let base = base.trim_end_matches('/');
    let images = media
        .into_iter()
        .filter(|m| m.kind == "image")
        .map(|m| {
            let path = format!("/m/{}/large", m.public_id);
            Image {
                url: format!("{base}{path}"),
                path,
                alt: m.alt_text,
                width: m.width,
                height: m.height,
            }
        })
        .collect();
    let text = p.body.trim().to_string();
    let title = if p.title.trim().is_empty() {
        summary(&text, 80)
    } else {
        p.title.trim().to_string()
    };
    let lang = language_of(&format!("{title} {text}"));
    Ok(PostView {
        html: paragraphs(&text),
        url: site.post_url(&p),
        title,
        text,
        lang,
        images,
        details,
        post: p,
    })
}

/// Published posts of the site (newest first), optionally of one kind, before a time.
pub async fn posts(
    db: &Db,
    site: &Site,
    base: &str,
    kind: Option<&str>,
    before: Option<i64>,
) -> Result<Vec<PostView>> {
    let mut out = Vec::new();
    for p in db::posts(&db.pool, site.org.id, kind, before, PER_PAGE).await? {
        out.push(view(db, site, base, p).await?);
    }
    Ok(out)
}

pub async fn post(db: &Db, site: &Site, base: &str, slug: &str) -> Result<PostView> {
    let p = db::post(&db.pool, site.org.id, slug).await?;
    view(db, site, base, p).await
}

/// The language a text is written in: Hebrew when it has at least as many Hebrew letters as
/// Latin ones, else English (mixed posts are common; the majority decides).
pub fn language_of(text: &str) -> Lang {
    let (mut he, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if ('\u{05d0}'..='\u{05ea}').contains(&c) {
            he += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if he >= latin { Lang::He } else { Lang::En }
}

/// The first `max` characters of `text` on one line, cut at a word, with "…" when cut.
pub fn summary(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut.get(..i).unwrap_or(&cut).to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

/// Plain text to HTML paragraphs: escaped, blank lines between paragraphs, line breaks kept,
/// web addresses made links (`rel="nofollow ugc"` is for visitors' text; ours is the
/// organization's own, so only `noopener`).
pub fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str("<p dir=\"auto\">");
        let lines: Vec<String> = para.lines().map(linked).collect();
        out.push_str(&lines.join("<br>\n"));
        out.push_str("</p>\n");
    }
    out
}

fn linked(line: &str) -> String {
    let mut out = String::new();
    let finder = linkify::LinkFinder::new();
    for span in finder.spans(line) {
        match span.kind() {
            Some(linkify::LinkKind::Url)
                if span.as_str().starts_with("https://")
                    || span.as_str().starts_with("http://") =>
            {
                let u = escape(span.as_str());
                out.push_str(&format!(
                    "<a href=\"{u}\" rel=\"noopener\" dir=\"ltr\">{u}</a>"
                ));
            }
            _ => out.push_str(&escape(span.as_str())),
        }
    }
    out
}

/// What the site settings form sends.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsInput {
    #[serde(default)]
    pub site_domain: String,
    #[serde(default)]
    pub site_strengths: String,
    #[serde(default)]
    pub site_keywords: String,
    /// One link per line: `label | https://…` or just the address.
    #[serde(default)]
    pub site_links: String,
}

/// The links field as it is edited: one `label | address` per line.
pub fn links_text(links: &[SiteLink]) -> String {
    links
        .iter()
        .map(|l| format!("{} | {}", l.label, l.url))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Saves the site settings (admins). `instance_host` is the host of the instance's own
/// address, which no organization may take as its domain.
pub async fn save_settings(
    db: &Db,
    by: &OrgMember,
    actor: &Actor,
    instance_host: &str,
    i: &SettingsInput,
) -> Result<()> {
    if by.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let domain = i
        .site_domain
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if !domain.is_empty()
        && (!crate::messaging::sender::domain_ok(&domain) || domain == instance_host)
    {
        return Err(AppError::Input {
            field: "site_domain",
            error: InputError::InvalidValue,
        });
    }
    let strengths = i.site_strengths.trim();
    if strengths.chars().count() > MAX_STRENGTHS {
        return Err(AppError::Input {
            field: "site_strengths",
            error: InputError::TooLong,
        });
    }
    let keywords: Vec<&str> = i
        .site_keywords
        .split([',', '\n', '،'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .collect();
    if keywords.len() > MAX_KEYWORDS || keywords.iter().any(|k| k.chars().count() > 40) {
        return Err(AppError::Input {
            field: "site_keywords",
            error: InputError::TooLong,
        });
    }
    let mut links = Vec::new();
    for line in i
        .site_links
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let (label, url) = match line.rsplit_once('|') {
            Some((l, u)) => (l.trim(), u.trim()),
            None => ("", line),
        };
        if !crate::studio::posts::is_web_address(url) || label.chars().count() > 60 {
            return Err(AppError::Input {
                field: "site_links",
                error: InputError::InvalidValue,
            });
        }
        let label = if label.is_empty() {
            host_of(url)
        } else {
            label.to_string()
        };
        links.push(SiteLink {
            label,
            url: url.to_string(),
        });
    }
    if links.len() > MAX_LINKS {
        return Err(AppError::Input {
            field: "site_links",
            error: InputError::TooLong,
        });
    }
    let s = SiteSettings {
        site_domain: domain,
        site_strengths: strengths.to_string(),
        site_keywords: keywords.join(", "),
        site_links: serde_json::to_string(&links).unwrap_or_else(|_| "[]".into()),
        ..SiteSettings::default()
    };
    db::save_settings(&db.pool, by.org.id, &s).await?;
    crate::audit::record(
        &db.pool,
        Some(by.org.id),
        actor,
        "site.settings",
        &s.site_domain,
    )
    .await?;
    Ok(())
}

/// The host of a web address (for a link without a label).
pub fn host_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or(url)
        .to_string()
}

/// What the page form sends.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageInput {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub position: Option<i64>,
}

/// Creates a page (`page` None) or changes one (admins). Returns its public id.
pub async fn save_page(
    db: &Db,
    by: &OrgMember,
    actor: &Actor,
    page: Option<&str>,
    i: &PageInput,
) -> Result<String> {
    if by.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let title = i.title.trim();
    if title.is_empty() || title.chars().count() > 120 {
        return Err(AppError::Input {
            field: "title",
            error: if title.is_empty() {
                InputError::Required
            } else {
                InputError::TooLong
            },
        });
    }
    let slug = if i.slug.trim().is_empty() {
        crate::studio::slugify(title)
    } else {
        crate::studio::slugify(&i.slug)
    };
    if i.body.chars().count() > MAX_PAGE_BODY {
        return Err(AppError::Input {
            field: "body",
            error: InputError::TooLong,
        });
    }
    let id = match page {
        Some(p) => Some(db::page_by_public_id(&db.pool, by.org.id, p).await?.id),
        None => None,
    };
    let public_id = db::save_page(
        &db.pool,
        by.org.id,
        id,
        &slug,
        title,
        i.body.trim(),
        i.position.unwrap_or(0).clamp(-1000, 1000),
    )
    .await?;
    crate::audit::record(&db.pool, Some(by.org.id), actor, "site.page", &public_id).await?;
    Ok(public_id)
}

pub async fn delete_page(db: &Db, by: &OrgMember, actor: &Actor, page: &str) -> Result<()> {
    if by.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let p = db::page_by_public_id(&db.pool, by.org.id, page).await?;
    db::delete_page(&db.pool, by.org.id, p.id).await?;
    crate::audit::record(
        &db.pool,
        Some(by.org.id),
        actor,
        "site.page-deleted",
        &p.public_id,
    )
    .await?;
    Ok(())
}

/// A page's Markdown as HTML (raw HTML shown as text; only web and mail links).
pub fn page_html(body: &str) -> String {
    crate::messaging::render::markdown_web(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_the_majority_of_letters() {
        assert_eq!(language_of("300 סלי מזון לחג"), Lang::He);
        assert_eq!(
            language_of("Food baskets for the holiday, חג שמח"),
            Lang::En
        );
        assert_eq!(language_of("מתנדבים ב-Google"), Lang::He);
        assert_eq!(language_of("2026"), Lang::He);
    }

    #[test]
    fn summaries_cut_at_a_word() {
        assert_eq!(summary("a  b\nc", 10), "a b c");
        assert_eq!(summary("שלום לכולם וברוכים הבאים", 12), "שלום לכולם…");
    }

    #[test]
    fn paragraphs_escape_and_link() {
        let html = paragraphs("<b>שלום</b>\nhttps://x.example/a?b=1&c=2\n\nשני");
        assert_eq!(
            html,
            "<p dir=\"auto\">&lt;b&gt;שלום&lt;/b&gt;<br>\n<a href=\"https://x.example/a?b=1&amp;c=2\" rel=\"noopener\" dir=\"ltr\">https://x.example/a?b=1&amp;c=2</a></p>\n<p dir=\"auto\">שני</p>\n"
        );
        assert!(!paragraphs("javascript:alert(1)").contains("<a"));
    }

    #[test]
    fn hebrew_slugs_are_percent_encoded() {
        assert_eq!(
            path_segment("סלי-מזון"),
            "%D7%A1%D7%9C%D7%99-%D7%9E%D7%96%D7%95%D7%9F"
        );
        assert_eq!(path_segment("a b/c"), "a%20b%2Fc");
    }
}
