//! Link cards from OpenGraph data.

use reqwest::Url;
use serde::Serialize;

use crate::entities::decode_entities;
use crate::{NetError, SafeClient};

const TITLE_MAX: usize = 300;
const DESCRIPTION_MAX: usize = 1000;
const SITE_NAME_MAX: usize = 200;
const URL_MAX: usize = 2048;
/// Text collected from `<title>` before normalizing; a bound for pages without `</title>`.
const TITLE_RAW_MAX: usize = 16 * 1024;

/// What the Studio shows under a post that links to a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
pub struct LinkCard {
    /// The page's URL: its `og:url` when that is on the same host, else the fetched URL.
    pub url: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// An absolute `http`/`https` URL, resolved against the page.
    pub image: Option<String>,
    pub site_name: Option<String>,
}

/// Fetches `url` through `client` and reads its card.
pub async fn link_card(client: &SafeClient, url: &str) -> Result<LinkCard, NetError> {
    let page = client.get_text(url).await?;
    Ok(parse_card(&page.final_url, &page.body))
}

/// Reads a link card from a page.
///
/// Sources, first found wins: `og:title`, `twitter:title`, `<title>`; `og:description`,
/// `twitter:description`, `<meta name=description>`; `og:image` (or `og:image:url`,
/// `og:image:secure_url`), `twitter:image`, `twitter:image:src`; `og:site_name`,
/// `application-name`; `og:url`. A `<meta>` may name its key in `property` or `name`.
/// Character references are decoded, whitespace is collapsed, and text is capped (title 300
/// characters, description 1000, site name 200) at character boundaries. Images are resolved
/// against `<base href>` or the page URL and kept only if `http`/`https`.
pub fn parse_card(page_url: &str, html: &str) -> LinkCard {
    let page = Url::parse(page_url.trim()).ok();
    let found = scan(html);
    let base = found
        .base_href
        .as_deref()
        .and_then(|href| resolve_http_url(page.as_ref(), href))
        .or_else(|| page.clone());

    let title = first_text(&found, &["og:title", "twitter:title"], TITLE_MAX).or_else(|| {
        found
            .title
            .as_deref()
            .and_then(|t| clean_text(t, TITLE_MAX))
    });
    let description = first_text(
        &found,
        &["og:description", "twitter:description", "description"],
        DESCRIPTION_MAX,
    );
    let site_name = first_text(&found, &["og:site_name", "application-name"], SITE_NAME_MAX);
    let image = [
        "og:image",
        "og:image:url",
        "og:image:secure_url",
        "twitter:image",
        "twitter:image:src",
    ]
    .iter()
    .filter_map(|key| found.get(key))
    .find_map(|value| resolve_http_url(base.as_ref(), &decode_entities(value)))
    .map(String::from);

    let canonical = found
        .get("og:url")
        .and_then(|value| resolve_http_url(page.as_ref(), &decode_entities(value)))
        .filter(|og| page.as_ref().is_some_and(|p| p.host_str() == og.host_str()));
    let url = match (canonical, page) {
        (Some(og), _) => og.to_string(),
        (None, Some(page)) => page.to_string(),
        (None, None) => page_url.trim().to_owned(),
    };

    LinkCard {
        url,
        title,
        description,
        image,
        site_name,
    }
}

/// What the scan of a page found.
#[derive(Default)]
struct Found {
    /// `<meta>` keys (lower-cased) and their raw `content`, first occurrence only.
    meta: Vec<(String, String)>,
    title: Option<String>,
    base_href: Option<String>,
}

impl Found {
    fn get(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

const KEYS: [&str; 16] = [
    "og:title",
    "og:description",
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "og:site_name",
    "og:url",
    "twitter:title",
    "twitter:description",
    "twitter:image",
    "twitter:image:src",
    "description",
    "application-name",
    // Unused, but kept so that their first occurrence is not mistaken for another key.
    "og:type",
    "twitter:card",
    "twitter:site",
];

fn scan(html: &str) -> Found {
    let mut found = Found::default();
    let Ok(dom) = tl::parse(html, tl::ParserOptions::default()) else {
        return found;
    };
    let parser = dom.parser();
    // The parser keeps every node in one flat list, in document order; walking it needs no
    // recursion, however deeply a hostile page nests its tags.
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else {
            continue;
        };
        let name = tag.name().as_utf8_str();
        if name.eq_ignore_ascii_case("meta") {
            let mut keys: Vec<String> = Vec::new();
            let mut content: Option<String> = None;
            for (attr, value) in tag.attributes().iter() {
                let Some(value) = value else { continue };
                if attr.eq_ignore_ascii_case("property") || attr.eq_ignore_ascii_case("name") {
                    keys.push(value.trim().to_ascii_lowercase());
                } else if attr.eq_ignore_ascii_case("content") && content.is_none() {
                    content = Some(value.into_owned());
                }
            }
            let Some(content) = content else { continue };
            for key in keys {
                if KEYS.contains(&key.as_str()) && found.get(&key).is_none() {
                    found.meta.push((key, content.clone()));
                }
            }
        } else if name.eq_ignore_ascii_case("title") && found.title.is_none() {
            let mut text = String::new();
            for child in tag.children().top().iter() {
                if let Some(raw) = child.get(parser).and_then(tl::Node::as_raw) {
                    text.push_str(&raw.as_utf8_str());
                    if text.len() > TITLE_RAW_MAX {
                        break;
                    }
                }
            }
            if !text.trim().is_empty() {
                found.title = Some(text);
            }
        } else if name.eq_ignore_ascii_case("base") && found.base_href.is_none() {
            found.base_href = tag
                .attributes()
                .iter()
                .find(|(attr, _)| attr.eq_ignore_ascii_case("href"))
                .and_then(|(_, value)| value.map(|v| v.into_owned()));
        }
    }
    found
}

fn first_text(found: &Found, keys: &[&str], max_chars: usize) -> Option<String> {
    keys.iter()
        .filter_map(|key| found.get(key))
        .find_map(|value| clean_text(value, max_chars))
}

/// Decodes references, collapses whitespace, trims and caps at `max_chars` characters.
fn clean_text(raw: &str, max_chars: usize) -> Option<String> {
    let decoded = decode_entities(raw);
    let mut text = String::with_capacity(decoded.len().min(max_chars * 4));
    let mut chars = 0usize;
    for word in decoded.split_whitespace() {
        if chars > 0 {
            if chars >= max_chars {
                break;
            }
            text.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars >= max_chars {
                break;
            }
            text.push(c);
            chars += 1;
        }
    }
    let text = text.trim_end();
    (!text.is_empty()).then(|| text.to_owned())
}

/// `value` as an absolute `http`/`https` URL, resolved against `base` when relative.
fn resolve_http_url(base: Option<&Url>, value: &str) -> Option<Url> {
    let value = value.trim();
    if value.is_empty() || value.len() > URL_MAX {
        return None;
    }
    let url = match base {
        Some(base) => base.join(value).ok()?,
        None => Url::parse(value).ok()?,
    };
    let ok = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some_and(|h| !h.is_empty())
        && url.as_str().len() <= URL_MAX;
    ok.then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://example.org/news/item?id=7";

    #[test]
    fn opengraph_in_hebrew_with_entities() {
        let html = r#"<!doctype html><html lang="he" dir="rtl"><head>
            <meta charset="utf-8">
            <title>לא זה</title>
            <meta property="og:title" content="&quot;יד ביד&quot; &amp; שותפים &#x5E9;&#1500;&#x05D5;&#x5DD;">
            <meta property="og:description" content="  עמותה
                 למען   הקהילה &hellip; ">
            <meta property="og:image" content="/img/cover.jpg?w=1200&amp;h=630">
            <meta property="og:site_name" content="יד ביד">
            <meta property="og:url" content="https://example.org/news/7">
            </head><body><p>שלום</p></body></html>"#;
        let card = parse_card(PAGE, html);
        assert_eq!(
            card,
            LinkCard {
                url: "https://example.org/news/7".into(),
                title: Some("\"יד ביד\" & שותפים שלום".into()),
                description: Some("עמותה למען הקהילה …".into()),
                image: Some("https://example.org/img/cover.jpg?w=1200&h=630".into()),
                site_name: Some("יד ביד".into()),
            }
        );
    }

    #[test]
    fn relative_images_resolve_against_the_page_or_base() {
        let card = parse_card(PAGE, r#"<meta property="og:image" content="cover.png">"#);
        assert_eq!(
            card.image.as_deref(),
            Some("https://example.org/news/cover.png")
        );
        let card = parse_card(
            PAGE,
            r#"<meta property="og:image" content="//cdn.example.net/c.png">"#,
        );
        assert_eq!(card.image.as_deref(), Some("https://cdn.example.net/c.png"));
        let card = parse_card(
            PAGE,
            r#"<base href="https://static.example.org/assets/"><meta property="og:image" content="c.png">"#,
        );
        assert_eq!(
            card.image.as_deref(),
            Some("https://static.example.org/assets/c.png")
        );
    }

    #[test]
    fn non_http_images_are_ignored() {
        for image in [
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "ftp://example.org/a.png",
            "file:///etc/passwd",
            "   ",
        ] {
            let html = format!(r#"<meta property="og:image" content="{image}">"#);
            assert_eq!(parse_card(PAGE, &html).image, None, "{image}");
        }
        // A bad og:image gives way to the next source.
        let html = r#"<meta property="og:image" content="data:x">
                      <meta name="twitter:image" content="https://example.org/t.png">"#;
        assert_eq!(
            parse_card(PAGE, html).image.as_deref(),
            Some("https://example.org/t.png")
        );
    }

    #[test]
    fn twitter_fallbacks() {
        let html = r#"<head>
            <title>Page title</title>
            <meta name="twitter:card" content="summary_large_image">
            <meta name="twitter:title" content="Twitter title">
            <meta name="twitter:description" content="Twitter description">
            <meta name="twitter:image:src" content="https://example.org/tw.jpg">
            <meta name="description" content="Plain description">
            </head>"#;
        let card = parse_card(PAGE, html);
        assert_eq!(card.title.as_deref(), Some("Twitter title"));
        assert_eq!(card.description.as_deref(), Some("Twitter description"));
        assert_eq!(card.image.as_deref(), Some("https://example.org/tw.jpg"));
        assert_eq!(card.site_name, None);
        assert_eq!(card.url, PAGE);
    }

    #[test]
    fn title_and_description_fallbacks() {
        let html = "<HTML><HEAD><TITLE>\n  דף   הבית &ndash; עמותה\n</TITLE>\
                    <META NAME=\"Description\" CONTENT=\"תיאור &amp; עוד\"></HEAD></HTML>";
        let card = parse_card(PAGE, html);
        assert_eq!(card.title.as_deref(), Some("דף הבית – עמותה"));
        assert_eq!(card.description.as_deref(), Some("תיאור & עוד"));
        // An empty og:title gives way to <title>.
        let html = r#"<meta property="og:title" content="  "><title>Real</title>"#;
        assert_eq!(parse_card(PAGE, html).title.as_deref(), Some("Real"));
        // First occurrence wins.
        let html =
            r#"<meta property="og:title" content="One"><meta property="og:title" content="Two">"#;
        assert_eq!(parse_card(PAGE, html).title.as_deref(), Some("One"));
    }

    #[test]
    fn meta_may_use_name_for_opengraph_and_property_for_twitter() {
        let html = r#"<meta name="og:title" content="By name">
                      <meta property="twitter:description" content="By property">"#;
        let card = parse_card(PAGE, html);
        assert_eq!(card.title.as_deref(), Some("By name"));
        assert_eq!(card.description.as_deref(), Some("By property"));
    }

    #[test]
    fn long_hebrew_text_is_cut_at_a_character_boundary() {
        let long_title = "שלום".repeat(200); // 800 characters, 1600 bytes
        let long_description = "א".repeat(1500);
        let html = format!(
            r#"<meta property="og:title" content="{long_title}"><meta property="og:description" content="{long_description}">"#
        );
        let card = parse_card(PAGE, &html);
        let title = card.title.unwrap();
        assert_eq!(title.chars().count(), 300);
        assert!(long_title.starts_with(&title));
        let description = card.description.unwrap();
        assert_eq!(description.chars().count(), 1000);
        assert!(description.chars().all(|c| c == 'א'));
        // A cut that lands on a space does not leave it dangling.
        let spaced = format!("{} סוף", "ש".repeat(299));
        let html = format!(r#"<meta property="og:title" content="{spaced}">"#);
        assert_eq!(parse_card(PAGE, &html).title.unwrap(), "ש".repeat(299));
    }

    #[test]
    fn og_url_on_another_host_is_ignored() {
        let html = r#"<meta property="og:url" content="https://bank.example/login">"#;
        assert_eq!(parse_card(PAGE, html).url, PAGE);
        let html = r#"<meta property="og:url" content="/canonical">"#;
        assert_eq!(parse_card(PAGE, html).url, "https://example.org/canonical");
    }

    #[test]
    fn missing_everything_gives_nothing() {
        for html in [
            "",
            "<html><body><p>hi</p></body></html>",
            "not html at all",
            "<title>  </title>",
            "<<<>>>&&&",
        ] {
            let card = parse_card(PAGE, html);
            assert_eq!(
                card,
                LinkCard {
                    url: PAGE.into(),
                    ..LinkCard::default()
                },
                "{html}"
            );
        }
    }

    #[test]
    fn unclosed_and_nested_markup_does_not_hurt() {
        let deep = "<div>".repeat(50_000);
        let html = format!("<title>Deep{deep}</title><meta property=og:title content=Unquoted>");
        let card = parse_card(PAGE, &html);
        assert_eq!(card.title.as_deref(), Some("Unquoted"));
        let html = "<title>Never closed <meta property=\"og:description\" content=\"d\">";
        let card = parse_card(PAGE, html);
        assert_eq!(card.title.as_deref(), Some("Never closed"));
        assert_eq!(card.description.as_deref(), Some("d"));
    }

    #[test]
    fn bad_page_url_still_gives_absolute_images_only() {
        let html = r#"<meta property="og:image" content="/rel.png"><meta property="og:title" content="T">"#;
        let card = parse_card("not a url", html);
        assert_eq!(card.url, "not a url");
        assert_eq!(card.image, None);
        assert_eq!(card.title.as_deref(), Some("T"));
    }
}
