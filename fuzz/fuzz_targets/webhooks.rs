//! Webhook payloads: Meta's (Facebook, Instagram, Threads) and Telegram's updates, and the
//! signature check itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kehilla_app::inbox::hooks::meta_signature_ok(
        "secret",
        data,
        std::str::from_utf8(data).unwrap_or_default(),
    );
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = kehilla_app::inbox::hooks::meta_comments(&v);
        let _ = kehilla_app::inbox::hooks::telegram_update(&v);
    }
});
