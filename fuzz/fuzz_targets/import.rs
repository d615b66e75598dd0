//! The people importer's reading of an uploaded file (CSV in any encoding, or XLSX): no panic,
//! a clear error or the rows.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kehilla_app::people::import::read_upload("people.csv", data);
    let _ = kehilla_app::people::import::read_upload("people.xlsx", data);
    let _ = kehilla_domain::people::decode_text(data);
});
