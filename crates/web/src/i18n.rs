//! Translations: the Fluent messages live in `kehilla-app` (jobs write to people too); this
//! module re-exports them and checks that the pages use only messages that exist.

pub use kehilla_app::i18n::*;

#[cfg(test)]
mod tests {
    use super::*;
    use kehilla_domain::validate::Lang;

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
        let mut dirs = vec![root.join("templates"), root.join("src")];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if !p.ends_with("i18n.rs") {
                    files.push(p);
                }
            }
        }
        for p in files {
            let text = std::fs::read_to_string(&p).unwrap();
            // Calls look like t("key"), count("key", n) or t1("key", …) in templates and
            // tr(…, "key") in code.
            let calls = ["t(\"", "count(\"", "t1(\""]
                .iter()
                .flat_map(|c| text.match_indices(c).map(move |(at, _)| (at, c.len())));
            for (at, len) in calls.collect::<Vec<_>>() {
                let before = text.get(..at).and_then(|b| b.chars().last()).unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' {
                    continue; // `.get("…")`, `input("…")`: not a message lookup
                }
                let part = text.get(at + len..).unwrap_or_default();
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
