//! What a fediverse server sends: the `Signature` header's parameters, the activity's JSON
//! and its HTML content reduced to text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kehilla_app::home::activitypub::signature_params(text);
        let _ = kehilla_app::home::activitypub::text_of(text);
    }
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data)
        && let Some(content) = v.pointer("/object/content").and_then(|c| c.as_str())
    {
        let _ = kehilla_app::home::activitypub::text_of(content);
    }
});
