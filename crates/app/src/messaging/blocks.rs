//! The block editor: a campaign made of blocks — heading, text (Markdown), button, image,
//! divider — kept as JSON and rendered through MJML (mrml) into responsive email HTML in the
//! organization's colour, with its logo, right-to-left for Hebrew (`<mjml dir="rtl">`, text and
//! buttons aligned right) and left-to-right for English. Each block's words are personalized
//! in the same sandbox as Markdown campaigns, then escaped: neither the author nor a person's
//! data can put markup into the email. The plain-text part is made from the same blocks.

use serde::{Deserialize, Serialize};

use super::render::{self, Footer, RenderError, Rendered, Templates, escape};

/// One block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// heading, text, button, image, divider
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alt: String,
}

pub const KINDS: [&str; 5] = ["heading", "text", "button", "image", "divider"];

/// Why blocks cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockError {
    /// Not a list of blocks.
    Malformed,
    /// A block of a kind that does not exist, a button or image without a web address.
    Invalid(usize),
    TooMany,
}

impl BlockError {
    pub fn code(&self) -> &'static str {
        match self {
            BlockError::Malformed => "blocks-malformed",
            BlockError::Invalid(_) => "blocks-invalid",
            BlockError::TooMany => "blocks-too-many",
        }
    }
}

fn web(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    (u.starts_with("https://") || u.starts_with("http://")) && !u.contains(['"', '<', '>', ' '])
}

/// Reads and checks a campaign's blocks.
pub fn parse(json: &str) -> Result<Vec<Block>, BlockError> {
    let blocks: Vec<Block> = if json.trim().is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(json).map_err(|_| BlockError::Malformed)?
    };
    if blocks.len() > 50 {
        return Err(BlockError::TooMany);
    }
    for (i, b) in blocks.iter().enumerate() {
        let ok = match b.kind.as_str() {
            "heading" | "text" => b.text.chars().count() <= 20_000,
            "button" => web(&b.url) && !b.text.trim().is_empty(),
            "image" => web(&b.url) && b.url.trim().to_ascii_lowercase().starts_with("https://"),
            "divider" => true,
            _ => false,
        };
        if !ok {
            return Err(BlockError::Invalid(i));
        }
    }
    Ok(blocks)
}

/// The blocks' templates, parsed once: the subject and each block's words.
pub fn templates(subject: &str, blocks: &[Block]) -> Result<Templates, RenderError> {
    let words: Vec<String> = blocks.iter().map(|b| b.text.clone()).collect();
    Templates::with_parts(subject, &words)
}

/// What the blocks' look needs from the organization.
#[derive(Debug, Clone, Default)]
pub struct Look {
    /// `#rrggbb`
    pub color: String,
    /// The logo's address, if the organization has one.
    pub logo: String,
}

/// A colour as `#rrggbb`, else the default blue.
pub fn color(c: &str) -> String {
    let c = c.trim();
    if c.len() == 7 && c.starts_with('#') && c.chars().skip(1).all(|x| x.is_ascii_hexdigit()) {
        c.to_ascii_lowercase()
    } else {
        "#1f6feb".into()
    }
}

/// Renders block campaign for one person: MJML made of the blocks, then HTML by mrml.
#[allow(clippy::too_many_arguments)]
pub fn render(
    t: &Templates,
    c: &render::Campaign<'_>,
    blocks: &[Block],
    values: &serde_json::Value,
    footer: &Footer,
    look: &Look,
    link: &dyn Fn(&str) -> String,
) -> Result<Rendered, RenderError> {
    let (subject, foot_html, foot_text) = render::frame(t, c, values, footer)?;
    let he = c.lang != "en";
    let (dir, align, lang) = if he {
        ("rtl", "right", "he")
    } else {
        ("ltr", "left", "en")
    };
    let color = color(&look.color);
    let mut body = String::new();
    let mut text = String::new();
    if !look.logo.is_empty() && web(&look.logo) {
        body.push_str(&format!(
            "<mj-image src=\"{}\" alt=\"{}\" width=\"120px\" align=\"{align}\" padding=\"0 0 16px\"></mj-image>",
            escape(&look.logo),
            escape(&footer.org_name)
        ));
    }
    for (i, b) in blocks.iter().enumerate() {
        let words = t.part(i, values)?;
        match b.kind.as_str() {
            "heading" => {
                body.push_str(&format!(
                    "<mj-text font-size=\"22px\" font-weight=\"bold\" color=\"{color}\"><h2 dir=\"auto\" style=\"margin:0\">{}</h2></mj-text>",
                    escape(words.trim())
                ));
                text.push_str(words.trim());
                text.push_str("\n\n");
            }
            "text" => {
                let (html, plain) = render::markdown_parts(&words, link);
                body.push_str(&format!("<mj-text>{html}</mj-text>"));
                text.push_str(&plain);
                text.push_str("\n\n");
            }
            "button" => {
                let href = link(b.url.trim());
                body.push_str(&format!(
                    "<mj-button href=\"{}\" background-color=\"{color}\" align=\"{align}\" font-size=\"16px\">{}</mj-button>",
                    escape(&href),
                    escape(words.trim())
                ));
                text.push_str(&format!("{}: {href}\n\n", words.trim()));
            }
            "image" => {
                body.push_str(&format!(
                    "<mj-image src=\"{}\" alt=\"{}\"></mj-image>",
                    escape(b.url.trim()),
                    escape(b.alt.trim())
                ));
                if !b.alt.trim().is_empty() {
                    text.push_str(&format!("[{}]\n\n", b.alt.trim()));
                }
            }
            _ => {
                body.push_str(
                    "<mj-divider border-color=\"#e5e7eb\" border-width=\"1px\"></mj-divider>",
                );
                text.push_str("———\n\n");
            }
        }
    }
    let mjml = format!(
        "<mjml lang=\"{lang}\" dir=\"{dir}\"><mj-head><mj-title>{title}</mj-title>\
         <mj-attributes><mj-all font-family=\"Arial, Helvetica, sans-serif\"></mj-all>\
         <mj-text align=\"{align}\" font-size=\"16px\" line-height=\"1.6\" color=\"#1f2328\"></mj-text></mj-attributes></mj-head>\
         <mj-body background-color=\"#f4f5f7\" width=\"600px\"><mj-section background-color=\"#ffffff\" direction=\"{dir}\" padding=\"24px\">\
         <mj-column>{body}<mj-divider border-color=\"#e5e7eb\" border-width=\"1px\"></mj-divider>\
         <mj-text font-size=\"12px\" color=\"#555555\">{foot_html}</mj-text></mj-column></mj-section></mj-body></mjml>",
        title = escape(&subject),
    );
    let parsed = mrml::parse(&mjml).map_err(|e| RenderError::Template {
        code: "blocks-mjml",
        detail: e.to_string(),
    })?;
    let html = parsed
        .element
        .render(&mrml::prelude::render::RenderOptions::default())
        .map_err(|e| RenderError::Template {
            code: "blocks-mjml",
            detail: e.to_string(),
        })?;
    let text = format!("{}\n\n--\n{foot_text}\n", text.trim());
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

    fn blocks() -> Vec<Block> {
        vec![
            Block {
                kind: "heading".into(),
                text: "שלום {{ person.first_name }}".into(),
                ..Block::default()
            },
            Block {
                kind: "text".into(),
                text: "החלוקה ב־**שישי**. <script>alert(1)</script>".into(),
                ..Block::default()
            },
            Block {
                kind: "button".into(),
                text: "להרשמה".into(),
                url: "https://yad.example/join".into(),
                ..Block::default()
            },
            Block {
                kind: "divider".into(),
                ..Block::default()
            },
        ]
    }

    #[test]
    fn blocks_become_right_to_left_responsive_html_and_text() {
        let b = blocks();
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(parse(&json).unwrap(), b);
        let t = templates("עדכון ל{{ person.first_name }}", &b).unwrap();
        let c = render::Campaign {
            lang: "he",
            subject: "",
            markdown: "",
            advertising: false,
        };
        let footer = Footer {
            org_name: "יד ביד".into(),
            unsubscribe_url: "https://k.example/u/x".into(),
            ..Footer::default()
        };
        let look = Look {
            color: "#AA3300".into(),
            logo: "https://k.example/m/logo/thumb".into(),
        };
        let r = render(
            &t,
            &c,
            &b,
            &json!({"person": {"first_name": "נועה <b>"}}),
            &footer,
            &look,
            &|u| format!("{u}?tracked"),
        )
        .unwrap();
        assert_eq!(r.subject, "עדכון לנועה <b>");
        assert!(r.html.contains("dir=\"rtl\""), "{}", r.html);
        assert!(r.html.contains("lang=\"he\""));
        assert!(r.html.contains("שלום נועה &lt;b&gt;"));
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("https://yad.example/join?tracked"));
        assert!(r.html.contains("#aa3300"));
        assert!(r.html.contains("https://k.example/m/logo/thumb"));
        assert!(r.text.contains("להרשמה: https://yad.example/join?tracked"));
        assert!(r.text.contains("שלום נועה <b>"));
        assert!(r.text.contains("https://k.example/u/x"));
    }

    #[test]
    fn bad_blocks_are_refused() {
        assert_eq!(parse("nonsense"), Err(BlockError::Malformed));
        assert_eq!(
            parse(r#"[{"kind":"button","text":"x","url":"javascript:alert(1)"}]"#),
            Err(BlockError::Invalid(0))
        );
        assert_eq!(
            parse(r#"[{"kind":"text"},{"kind":"video"}]"#),
            Err(BlockError::Invalid(1))
        );
        assert_eq!(
            parse(r#"[{"kind":"image","url":"http://a.example/x.png"}]"#),
            Err(BlockError::Invalid(0))
        );
        assert_eq!(color("red"), "#1f6feb");
    }
}
