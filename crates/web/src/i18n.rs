//! Fluent translations, compiled into the binary from `locales/{he,en}/*.ftl`.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use kehilla_domain::validate::Lang;

static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "he",
        // Bidi isolation marks would count toward lengths and break plain-text output; HTML
        // isolates user text with `dir="auto"` and <bdi> instead.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static HE: LanguageIdentifier = langid!("he");
static EN: LanguageIdentifier = langid!("en");

fn id(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::He => &HE,
        Lang::En => &EN,
    }
}

/// The message `key` in `lang`; the key itself when it is missing (a test forbids that).
pub fn t(lang: Lang, key: &str) -> String {
    LOCALES.lookup(id(lang), key)
}

pub fn try_t(lang: Lang, key: &str) -> Option<String> {
    LOCALES.try_lookup(id(lang), key)
}

pub fn t_args(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
        .collect();
    LOCALES.lookup_with_args(id(lang), key, &map)
}

/// A number argument, so that plural rules (Hebrew has a dual) apply.
pub fn t_count(lang: Lang, key: &str, name: &'static str, n: i64) -> String {
    let mut map: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
    map.insert(Cow::Borrowed(name), FluentValue::from(n));
    LOCALES.lookup_with_args(id(lang), key, &map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(lang: &str) -> std::collections::BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../locales")
            .join(lang);
        let mut out = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((k, _)) = line.split_once(" =")
                    && !k.starts_with(' ')
                    && !k.starts_with('#')
                    && !k.is_empty()
                {
                    out.insert(k.trim().to_string());
                }
            }
        }
        out
    }

    #[test]
    fn hebrew_and_english_have_the_same_messages() {
        let he = keys("he");
        let en = keys("en");
        assert!(he.len() > 50, "{}", he.len());
        let only_he: Vec<_> = he.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&he).collect();
        assert!(
            only_he.is_empty() && only_en.is_empty(),
            "only he: {only_he:?}; only en: {only_en:?}"
        );
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let he = keys("he");
        let mut missing = Vec::new();
        let mut files = Vec::new();
        for dir in ["templates", "src", "src/pages"] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let p = e.unwrap().path();
                if p.is_file() && !p.ends_with("i18n.rs") {
                    files.push(p);
                }
            }
        }
        for p in files {
            let text = std::fs::read_to_string(&p).unwrap();
            // Calls look like t("key") or t("key", …) in templates and tr(…, "key") in code.
            for (at, _) in text.match_indices("t(\"") {
                let before = text.get(..at).and_then(|b| b.chars().last()).unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' {
                    continue; // `.get("…")`, `input("…")`: not a message lookup
                }
                let part = text.get(at + 3..).unwrap_or_default();
                let key: String = part.chars().take_while(|c| *c != '"').collect();
                if key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                    && !key.ends_with('-')
                    && !he.contains(&key)
                {
                    missing.push(format!("{}: {key}", p.display()));
                }
            }
        }
        assert!(missing.is_empty(), "missing messages: {missing:#?}");
    }

    #[test]
    fn plurals_and_args() {
        assert_eq!(t_count(Lang::En, "members-count", "count", 1), "1 member");
        assert_eq!(t_count(Lang::En, "members-count", "count", 3), "3 members");
        assert_eq!(
            t_count(Lang::He, "members-count", "count", 2),
            "שני חברי צוות"
        );
        assert_eq!(
            t_count(Lang::He, "members-count", "count", 1),
            "חבר צוות אחד"
        );
        assert_eq!(t(Lang::He, "nav-people"), "אנשי קשר");
        assert!(try_t(Lang::En, "no-such-message").is_none());
    }
}
