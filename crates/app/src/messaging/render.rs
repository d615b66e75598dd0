//! Rendering a campaign for one person.
//!
//! 1. **Personalization** with minijinja in a sandbox: only the values given (`person`, `org`),
//!    an unknown variable is an error (not an empty hole in a message to thousands), no
//!    includes, a fuel limit so that no template loops for long.
//! 2. **Markdown to HTML** (pulldown-cmark) with raw HTML shown as text: neither the author nor a
//!    person's data can put markup into the email.
//! 3. **The email**: `lang` and `dir` from the campaign's language (Hebrew right-to-left,
//!    English left-to-right), each paragraph `dir="auto"` so a paragraph in the other language
//!    reads right, inline styles only (email clients drop `<style>`), and the footer.
//! 4. **The plain-text part** from the same content: paragraphs, list items, and links as
//!    "text (address)".
//!
//! An advertising campaign's subject starts with "פרסומת" and its footer carries the
//! organization's legal name, contact details and the unsubscribe link (Israeli
//! Communications Law, section 30A): [`render`] refuses one without them.

use minijinja::{Environment, UndefinedBehavior};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// What goes around the content: who sends, why, and how to leave.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Footer {
    pub org_name: String,
    pub legal_name: String,
    pub contact: String,
    pub unsubscribe_url: String,
    /// The open-tracking image's address, when the campaign counts opens (off by default).
    pub pixel_url: String,
}

/// One campaign's content.
#[derive(Debug, Clone)]
pub struct Campaign<'a> {
    /// `he` or `en`: the direction and the footer's words.
    pub lang: &'a str,
    pub subject: &'a str,
    pub markdown: &'a str,
    /// Advertising (a message promoting donations, sales or events, in the law's sense).
    pub advertising: bool,
}

/// The email for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// Why a campaign cannot be rendered, with the place in the template when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// The template is broken (syntax), or uses a variable the person has not.
    Template { code: &'static str, detail: String },
    /// An advertising message without the footer the law asks for.
    MissingLegal(&'static str),
}

impl RenderError {
    pub fn code(&self) -> &'static str {
        match self {
            RenderError::Template { code, .. } => code,
            RenderError::MissingLegal(_) => "campaign-legal-missing",
        }
    }
}

/// The word that starts an advertising message's subject.
pub const ADVERTISING: &str = "פרסומת";

fn template_error(e: &minijinja::Error) -> RenderError {
    let code = match e.kind() {
        minijinja::ErrorKind::UndefinedError => "template-unknown-variable",
        minijinja::ErrorKind::SyntaxError => "template-syntax",
        minijinja::ErrorKind::OutOfFuel => "template-too-long",
        _ => "template-error",
    };
    let detail = match e.line() {
        Some(line) => format!("{} (line {line})", e.detail().unwrap_or_default()),
        None => e.detail().unwrap_or_default().to_string(),
    };
    RenderError::Template { code, detail }
}

/// A campaign's subject and body, parsed once for all of its recipients: a sandbox where
/// nothing but the values given exists.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub fn new(subject: &str, markdown: &str) -> Result<Templates, RenderError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(50_000));
        // No autoescape here: the result is Markdown (or a subject), escaped where it becomes HTML.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.add_template_owned("subject", subject.to_string())
            .map_err(|e| template_error(&e))?;
        env.add_template_owned("body", markdown.to_string())
            .map_err(|e| template_error(&e))?;
        Ok(Templates { env })
    }

    /// A subject and separate parts (the blocks' words), each a template of its own.
    pub fn with_parts(subject: &str, parts: &[String]) -> Result<Templates, RenderError> {
        let mut t = Templates::new(subject, "")?;
        for (i, p) in parts.iter().enumerate() {
            t.env
                .add_template_owned(format!("p{i}"), p.clone())
                .map_err(|e| template_error(&e))?;
        }
        Ok(t)
    }

    /// Fills part `i` with the person's values.
    pub fn part(&self, i: usize, values: &serde_json::Value) -> Result<String, RenderError> {
        self.fill(&format!("p{i}"), values)
    }

    /// Fills `subject` or `body` with the person's values.
    pub fn fill(&self, name: &str, values: &serde_json::Value) -> Result<String, RenderError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(minijinja::value::Serde(values)))
            .map_err(|e| template_error(&e))
    }
}

/// Fills a template with the person's values (a sandbox: nothing but `values`).
pub fn personalize(template: &str, values: &serde_json::Value) -> Result<String, RenderError> {
    Templates::new(template, "")?.fill("subject", values)
}

/// Escapes text for HTML (and MJML).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Only web and mail addresses may be links.
fn safe_link(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://") || u.starts_with("http://") || u.starts_with("mailto:")
}

/// Markdown to the email's HTML body and its plain text, raw HTML shown as text. Web links go
/// through `link` (tracked links).
fn markdown(md: &str, link: &dyn Fn(&str) -> String) -> (String, String) {
    let events = safe_events(md, link);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.clone().into_iter());
    // Each block decides its own direction by its first strong letter.
    let html = html
        .replace("<p>", "<p dir=\"auto\" style=\"margin:0 0 1em\">")
        .replace("<li>", "<li dir=\"auto\">")
        .replace("<h1>", "<h1 dir=\"auto\">")
        .replace("<h2>", "<h2 dir=\"auto\">")
        .replace("<h3>", "<h3 dir=\"auto\">");
    (html, plain_text(events))
}

/// Markdown to HTML for web pages (no inline styles: the site's stylesheet lays them out),
/// with the same rules: raw HTML shown as text, only web and mail links, no remote pictures.
pub fn markdown_web(md: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, safe_events(md, &|u| u.to_string()).into_iter());
    html.replace("<p>", "<p dir=\"auto\">")
        .replace("<li>", "<li dir=\"auto\">")
        .replace("<h1>", "<h1 dir=\"auto\">")
        .replace("<h2>", "<h2 dir=\"auto\">")
        .replace("<h3>", "<h3 dir=\"auto\">")
}

/// Markdown's events with raw HTML made text, unsafe links emptied, web links through `link`
/// and pictures made links.
fn safe_events<'a>(md: &'a str, link: &dyn Fn(&str) -> String) -> Vec<Event<'a>> {
    Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH)
        .map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if safe_link(&dest_url)
                && !dest_url.trim().to_ascii_lowercase().starts_with("mailto:") =>
            {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: link(dest_url.trim()).into(),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if !safe_link(&dest_url) => Event::Start(Tag::Link {
                link_type,
                dest_url: "".into(),
                title,
                id,
            }),
            // Pictures are links to their address: remote images are not loaded (privacy, and
            // no tracking pixels by the back door).
            Event::Start(Tag::Image { dest_url, .. }) => Event::Start(Tag::Link {
                link_type: pulldown_cmark::LinkType::Inline,
                dest_url: if safe_link(&dest_url) {
                    dest_url
                } else {
                    "".into()
                },
                title: "".into(),
                id: "".into(),
            }),
            Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
            e => e,
        })
        .collect()
}

/// The plain text of Markdown's events.
fn plain_text(events: Vec<Event<'_>>) -> String {
    let mut text = String::new();
    let mut link: Option<String> = None;
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push('\n'),
            Event::Start(Tag::Item) => text.push_str("• "),
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(u) = link
                    .take()
                    .filter(|u| !u.is_empty() && !text.ends_with(u.as_str()))
                {
                    text.push_str(&format!(" ({u})"));
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                text.push_str("\n\n");
            }
            Event::End(TagEnd::Item) => text.push('\n'),
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => text.push('\n'),
            Event::Rule => text.push_str("\n———\n"),
            _ => {}
        }
        if text.ends_with("\n\n\n") {
            text.pop();
        }
    }
    let text = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .replace("\n\n\n", "\n\n");
    text.trim().to_string()
}

/// The parts every format shares: the subject (with "פרסומת" for advertising), and the footer
/// as HTML and text; refuses an advertising message without the footer the law asks for.
pub fn frame(
    t: &Templates,
    c: &Campaign<'_>,
    values: &serde_json::Value,
    footer: &Footer,
) -> Result<(String, String, String), RenderError> {
    if c.advertising {
        if footer.legal_name.trim().is_empty() {
            return Err(RenderError::MissingLegal("legal_name"));
        }
        if footer.contact.trim().is_empty() {
            return Err(RenderError::MissingLegal("contact_details"));
        }
        if footer.unsubscribe_url.trim().is_empty() {
            return Err(RenderError::MissingLegal("unsubscribe"));
        }
    }
    let he = c.lang != "en";
    let mut subject = t.fill("subject", values)?.replace(['\r', '\n'], " ");
    if c.advertising && !subject.trim_start().starts_with(ADVERTISING) {
        subject = format!("{ADVERTISING}: {}", subject.trim());
    }
    let (why, leave) = if he {
        (
            "קיבלת את ההודעה כי נרשמת לעדכונים של",
            "להסרה מרשימת התפוצה",
        )
    } else {
        (
            "You receive this message because you signed up for updates from",
            "Unsubscribe",
        )
    };
    let mut foot_html = format!(
        "<p dir=\"auto\" style=\"margin:0 0 .5em\">{why} {}.</p>",
        escape(&footer.org_name)
    );
    let mut foot_text = format!("{why} {}.", footer.org_name);
    if !footer.legal_name.is_empty() || !footer.contact.is_empty() {
        let who = [footer.legal_name.trim(), footer.contact.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        foot_html.push_str(&format!(
            "<p dir=\"auto\" style=\"margin:0 0 .5em\">{}</p>",
            escape(&who)
        ));
        foot_text.push('\n');
        foot_text.push_str(&who);
    }
    if !footer.unsubscribe_url.is_empty() {
        foot_html.push_str(&format!(
            "<p style=\"margin:0\"><a href=\"{}\" style=\"color:#555\">{leave}</a></p>",
            escape(&footer.unsubscribe_url)
        ));
        foot_text.push_str(&format!("\n{leave}: {}", footer.unsubscribe_url));
    }
    if !footer.pixel_url.is_empty() {
        foot_html.push_str(&format!(
            "<img src=\"{}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">",
            escape(&footer.pixel_url)
        ));
    }
    Ok((subject, foot_html, foot_text))
}

/// Markdown to email HTML and plain text (the block editor's text blocks).
pub fn markdown_parts(md: &str, link: &dyn Fn(&str) -> String) -> (String, String) {
    markdown(md, link)
}

/// Renders a campaign for one person. `values` are what the template may use: `person`
/// (first_name, last_name, email…) and `org`.
pub fn render(
    c: &Campaign<'_>,
    values: &serde_json::Value,
    footer: &Footer,
) -> Result<Rendered, RenderError> {
    let t = Templates::new(c.subject, c.markdown)?;
    render_with(&t, c, values, footer, &|u| u.to_string())
}

/// Renders with templates parsed once, web links rewritten by `link`.
pub fn render_with(
    t: &Templates,
    c: &Campaign<'_>,
    values: &serde_json::Value,
    footer: &Footer,
    link: &dyn Fn(&str) -> String,
) -> Result<Rendered, RenderError> {
    let (subject, foot_html, foot_text) = frame(t, c, values, footer)?;
    let he = c.lang != "en";
    let body = t.fill("body", values)?;
    let (content, text_body) = markdown(&body, link);
    let (dir, align, lang) = if he {
        ("rtl", "right", "he")
    } else {
        ("ltr", "left", "en")
    };
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head>\n\
         <body dir=\"{dir}\" style=\"margin:0;padding:0;background:#f4f5f7\">\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" dir=\"{dir}\"><tr><td align=\"center\" style=\"padding:24px 12px\">\
         <table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:600px;width:100%;background:#ffffff\">\
         <tr><td dir=\"{dir}\" style=\"padding:24px;text-align:{align};font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.6;color:#1f2328\">\
         <h1 dir=\"auto\" style=\"font-size:20px;margin:0 0 16px\">{org}</h1>\n{content}</td></tr>\
         <tr><td dir=\"{dir}\" style=\"padding:16px 24px;text-align:{align};font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#555;border-top:1px solid #e5e7eb\">{foot_html}</td></tr>\
         </table></td></tr></table></body></html>\n",
        title = escape(&subject),
        org = escape(&footer.org_name),
    );
    let text = format!("{text_body}\n\n--\n{foot_text}\n");
    Ok(Rendered {
        subject,
        html,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn footer() -> Footer {
        Footer {
            org_name: "יד ביד".into(),
            legal_name: "עמותת יד ביד (ע\"ר 580000000)".into(),
            contact: "רחוב הנביאים 1, חיפה · 04-0000000".into(),
            unsubscribe_url: "https://k.example/u/abc".into(),
            pixel_url: String::new(),
        }
    }

    #[test]
    fn a_hebrew_campaign_is_right_to_left_with_the_person_and_a_default() {
        let c = Campaign {
            lang: "he",
            subject: "שלום {{ person.first_name | default(\"חבר/ה\") }}",
            markdown: "שלום {{ person.first_name | default(\"חבר/ה\") }},\n\nהחלוקה ב־[Kehilla Day](https://yad.example/day) ביום שישי.\n\n- אריזה\n- חלוקה",
            advertising: false,
        };
        let r = render(&c, &json!({"person": {"first_name": "נועה"}}), &footer()).unwrap();
        assert_eq!(r.subject, "שלום נועה");
        assert!(r.html.contains("<html lang=\"he\" dir=\"rtl\">"));
        assert!(r.html.contains("text-align:right"));
        assert!(r.html.contains("<p dir=\"auto\""));
        assert!(
            r.html
                .contains("<a href=\"https://yad.example/day\">Kehilla Day</a>")
        );
        assert!(r.text.starts_with(
            "שלום נועה,\n\nהחלוקה ב־Kehilla Day (https://yad.example/day) ביום שישי."
        ));
        assert!(r.text.contains("• אריזה\n• חלוקה"));
        assert!(
            r.text
                .contains("להסרה מרשימת התפוצה: https://k.example/u/abc")
        );
        // Without a first name, the default.
        let r = render(&c, &json!({"person": {}}), &footer()).unwrap();
        assert_eq!(r.subject, "שלום חבר/ה");
    }

    #[test]
    fn english_is_left_to_right() {
        let c = Campaign {
            lang: "en",
            subject: "News",
            markdown: "Hello",
            advertising: false,
        };
        let r = render(&c, &json!({}), &footer()).unwrap();
        assert!(r.html.contains("<html lang=\"en\" dir=\"ltr\">"));
        assert!(r.html.contains("text-align:left"));
        assert!(r.text.contains("Unsubscribe: https://k.example/u/abc"));
    }

    #[test]
    fn an_unknown_variable_or_a_broken_template_is_an_error_with_its_line() {
        let c = Campaign {
            lang: "he",
            subject: "x",
            markdown: "שורה\n{{ person.nickname }}",
            advertising: false,
        };
        let e = render(&c, &json!({"person": {"first_name": "נועה"}}), &footer()).unwrap_err();
        assert_eq!(e.code(), "template-unknown-variable");
        let c = Campaign {
            markdown: "{% if %}",
            ..c
        };
        assert_eq!(
            render(&c, &json!({}), &footer()).unwrap_err().code(),
            "template-syntax"
        );
        let c = Campaign {
            markdown: "{% for i in range(100000) %}{{ i }}{% endfor %}",
            ..c
        };
        assert_eq!(
            render(&c, &json!({}), &footer()).unwrap_err().code(),
            "template-too-long"
        );
    }

    #[test]
    fn nobody_can_put_markup_or_scripts_into_the_email() {
        let c = Campaign {
            lang: "he",
            subject: "x",
            markdown: "<script>alert(1)</script>\n\n{{ person.first_name }}\n\n[x](javascript:alert(1)) ![p](https://t.example/pixel.gif)",
            advertising: false,
        };
        let r = render(
            &c,
            &json!({"person": {"first_name": "<img src=x onerror=alert(1)>"}}),
            &footer(),
        )
        .unwrap();
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("<img"));
        assert!(!r.html.contains("href=\"javascript:"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(
            r.html.contains("href=\"https://t.example/pixel.gif\""),
            "a picture is a link, not loaded"
        );
    }

    #[test]
    fn advertising_starts_with_the_word_and_needs_the_legal_footer() {
        let c = Campaign {
            lang: "he",
            subject: "מבצע תרומות לחג",
            markdown: "תרמו",
            advertising: true,
        };
        let r = render(&c, &json!({}), &footer()).unwrap();
        assert_eq!(r.subject, "פרסומת: מבצע תרומות לחג");
        assert!(
            r.text
                .contains("עמותת יד ביד (ע\"ר 580000000) · רחוב הנביאים 1, חיפה")
        );
        assert!(r.html.contains("עמותת יד ביד (ע&quot;ר 580000000)"));
        for missing in ["legal_name", "contact_details", "unsubscribe"] {
            let mut f = footer();
            match missing {
                "legal_name" => f.legal_name.clear(),
                "contact_details" => f.contact.clear(),
                _ => f.unsubscribe_url.clear(),
            }
            assert_eq!(
                render(&c, &json!({}), &f).unwrap_err(),
                RenderError::MissingLegal(missing)
            );
        }
        // Already there: not twice.
        let c = Campaign {
            subject: "פרסומת: מבצע",
            ..c
        };
        assert_eq!(
            render(&c, &json!({}), &footer()).unwrap().subject,
            "פרסומת: מבצע"
        );
    }

    #[test]
    fn a_subject_keeps_to_one_line() {
        let c = Campaign {
            lang: "en",
            subject: "a{{ person.x }}b",
            markdown: "x",
            advertising: false,
        };
        let r = render(
            &c,
            &json!({"person": {"x": "\r\nBcc: evil@example.org"}}),
            &footer(),
        )
        .unwrap();
        assert!(!r.subject.contains('\n') && !r.subject.contains('\r'));
    }
}
