//! The text counters of every network (and the moderation rules on the same text): no panic,
//! whatever the text.
#![no_main]

use kehilla_domain::text::{Network, Options, count};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let opts = Options::default();
    for n in Network::ALL {
        let c = count(n, text, &opts);
        assert_eq!(c.ok, c.problems.is_empty());
    }
    let _ = kehilla_domain::text::facets(text);
    let list = kehilla_domain::moderation::parse_list(text).unwrap_or_default();
    let _ = kehilla_domain::moderation::judge(text, &list, &list, 3);
    let _ = kehilla_domain::people::search_words(text);
});
