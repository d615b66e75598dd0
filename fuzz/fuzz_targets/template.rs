//! User-written templates (campaign personalization, saved replies) and the block editor's
//! JSON: rendered in the sandbox or refused, never a panic or a runaway loop.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let values = serde_json::json!({"first_name": "דנה", "last_name": "לוי", "org": "יד ביד"});
    let _ = kehilla_app::messaging::render::personalize(text, &values);
    let _ = kehilla_app::inbox::fill(text, "דנה לוי", "דנה", "יד ביד");
    let _ = kehilla_app::messaging::blocks::parse(text);
    let _ = kehilla_app::messaging::render::markdown_web(text);
});
