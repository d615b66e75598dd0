//! Fluent translations, compiled into the binary from `locales/{he,en}/*.ftl`. Used by the web
//! pages and by jobs that write to people (mail), so it lives here.

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

/// Text arguments and number arguments (plural rules apply to the numbers).
pub fn t_mixed(
    lang: Lang,
    key: &str,
    args: &[(&'static str, String)],
    numbers: &[(&'static str, i64)],
) -> String {
    let mut map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
        .collect();
    for (k, n) in numbers {
        map.insert(Cow::Borrowed(*k), FluentValue::from(*n));
    }
    LOCALES.lookup_with_args(id(lang), key, &map)
}

/// A number argument, so that plural rules (Hebrew has a dual) apply.
pub fn t_count(lang: Lang, key: &str, name: &'static str, n: i64) -> String {
    let mut map: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
    map.insert(Cow::Borrowed(name), FluentValue::from(n));
    LOCALES.lookup_with_args(id(lang), key, &map)
}
