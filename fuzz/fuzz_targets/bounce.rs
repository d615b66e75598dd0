//! Mail that reaches the inbound listener: delivery status notifications, complaints and
//! replies (the quoted part left out).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kehilla_app::messaging::inbound::read(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kehilla_app::messaging::inbound::strip_quoted(text);
        let _ = kehilla_app::messaging::inbound::rcpt(text);
        let _ = kehilla_app::messaging::inbound::verp_token(text);
    }
});
