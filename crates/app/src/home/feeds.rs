//! The site's feeds: RSS 2.0, Atom (RFC 4287) and JSON Feed 1.1, per organization and per topic
//! (a kind of post). Each item says its language (`dc:language`, `xml:lang`, `language`) and
//! its HTML carries its direction, so a Hebrew post reads right to left in any reader.

use chrono::{DateTime, Utc};
use kehilla_domain::validate::Lang;

use super::site::{PostView, Site};

/// One feed: the site (or one topic of it) and its newest posts.
pub struct Feed<'a> {
    pub site: &'a Site,
    pub title: String,
    /// The page the feed follows (the site, or a topic's page).
    pub home: String,
    /// The feed's own address.
    pub self_url: String,
    pub items: &'a [PostView],
}

impl Feed<'_> {
    fn lang(&self) -> Lang {
        super::site::language_of(&format!(
            "{} {}",
            self.site.org.name, self.site.settings.description
        ))
    }

    fn description(&self) -> String {
        if self.site.settings.description.trim().is_empty() {
            self.site.org.name.clone()
        } else {
            self.site.settings.description.trim().to_string()
        }
    }

    /// When the feed last changed: its newest item's change, or the organization's creation.
    fn updated(&self) -> i64 {
        self.items
            .iter()
            .map(|i| i.post.updated_at.max(published(i)))
            .max()
            .unwrap_or(self.site.org.created_at)
    }
}

fn published(i: &PostView) -> i64 {
    i.post.published_at.unwrap_or(i.post.updated_at)
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn rfc3339(ms: i64) -> String {
    time(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Text for XML: escaped, and without the characters XML 1.0 cannot carry at all.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An item's HTML wrapped in its language and direction.
fn content(i: &PostView) -> String {
    let mut html = format!("<div lang=\"{}\" dir=\"{}\">", i.lang.code(), i.lang.dir());
    for img in &i.images {
        html.push_str(&format!(
            "<p><img src=\"{}\" alt=\"{}\"></p>",
            crate::messaging::render::escape(&img.url),
            crate::messaging::render::escape(&img.alt)
        ));
    }
    html.push_str(&i.html);
    html.push_str("</div>");
    html
}

/// RSS 2.0.
pub fn rss(f: &Feed<'_>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" \
         xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n",
    );
    out.push_str(&format!(
        "<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>{}</language>\n\
         <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n\
         <lastBuildDate>{}</lastBuildDate>\n<generator>Kehilla</generator>\n",
        xml(&f.title),
        xml(&f.home),
        xml(&f.description()),
        f.lang().code(),
        xml(&f.self_url),
        time(f.updated()).to_rfc2822(),
    ));
    if let Some(logo) = &f.site.logo_url {
        out.push_str(&format!(
            "<image><url>{}</url><title>{}</title><link>{}</link></image>\n",
            xml(logo),
            xml(&f.title),
            xml(&f.home)
        ));
    }
    for i in f.items {
        out.push_str(&format!(
            "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"true\">{}</guid>\n\
             <pubDate>{}</pubDate>\n<dc:language>{}</dc:language>\n<category>{}</category>\n\
             <description>{}</description>\n</item>\n",
            xml(&i.title),
            xml(&i.url),
            xml(&i.url),
            time(published(i)).to_rfc2822(),
            i.lang.code(),
            xml(&i.post.kind),
            xml(&content(i)),
        ));
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// Atom (RFC 4287).
pub fn atom(f: &Feed<'_>) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        f.lang().code()
    );
    out.push_str(&format!(
        "<id>{}</id>\n<title>{}</title>\n<subtitle>{}</subtitle>\n<updated>{}</updated>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n\
         <author><name>{}</name><uri>{}</uri></author>\n<generator>Kehilla</generator>\n",
        xml(&f.self_url),
        xml(&f.title),
        xml(&f.description()),
        rfc3339(f.updated()),
        xml(&f.home),
        xml(&f.self_url),
        xml(&f.site.org.name),
        xml(&f.site.url("")),
    ));
    if let Some(logo) = &f.site.logo_url {
        out.push_str(&format!("<logo>{}</logo>\n", xml(logo)));
    }
    for i in f.items {
        out.push_str(&format!(
            "<entry xml:lang=\"{}\">\n<id>{}</id>\n<title>{}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <published>{}</published>\n<updated>{}</updated>\n<category term=\"{}\"/>\n\
             <summary>{}</summary>\n<content type=\"html\" xml:lang=\"{}\">{}</content>\n</entry>\n",
            i.lang.code(),
            xml(&i.url),
            xml(&i.title),
            xml(&i.url),
            rfc3339(published(i)),
            rfc3339(i.post.updated_at.max(published(i))),
            xml(&i.post.kind),
            xml(&i.summary()),
            i.lang.code(),
            xml(&content(i)),
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// JSON Feed 1.1.
pub fn json(f: &Feed<'_>) -> String {
    let items: Vec<serde_json::Value> = f
        .items
        .iter()
        .map(|i| {
            let mut item = serde_json::json!({
                "id": i.url,
                "url": i.url,
                "title": i.title,
                "content_html": content(i),
                "content_text": i.text,
                "summary": i.summary(),
                "date_published": rfc3339(published(i)),
                "date_modified": rfc3339(i.post.updated_at.max(published(i))),
                "language": i.lang.code(),
                "tags": [i.post.kind],
            });
            if let (Some(img), Some(obj)) = (i.images.first(), item.as_object_mut()) {
                obj.insert("image".into(), serde_json::Value::String(img.url.clone()));
            }
            item
        })
        .collect();
    let mut feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": f.title,
        "home_page_url": f.home,
        "feed_url": f.self_url,
        "description": f.description(),
        "language": f.lang().code(),
        "authors": [{ "name": f.site.org.name, "url": f.site.url("") }],
        "items": items,
    });
    if let (Some(logo), Some(obj)) = (&f.site.logo_url, feed.as_object_mut()) {
        obj.insert("icon".into(), serde_json::Value::String(logo.clone()));
    }
    serde_json::to_string_pretty(&feed).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            xml("a<b>&\"'\u{1}\u{7}c\u{ffff}\n"),
            "a&lt;b&gt;&amp;&quot;&apos;c\n"
        );
        assert_eq!(xml("שלום \u{202e}"), "שלום \u{202e}");
    }
}
