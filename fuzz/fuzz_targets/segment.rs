//! The segment compiler: any filter a client can send (JSON) compiles to SQL or is refused,
//! never a panic, on both databases.
#![no_main]

use kehilla_db::Backend;
use kehilla_db::segments::{Filter, compile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(f) = serde_json::from_slice::<Filter>(data) else {
        return;
    };
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if let Ok(c) = compile(&f, 1_795_773_600_000, true, backend) {
            assert!(!c.sql.is_empty());
        }
    }
});
