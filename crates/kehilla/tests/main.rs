//! Kehilla's integration tests: one binary, one module per capability. Every test starts the
//! real server on 127.0.0.1:0 with a fresh database; tests marked "both backends" run on
//! SQLite always and on PostgreSQL when TEST_DATABASE_URL is set (CI always sets it).

// Test code may panic: a failed expectation is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod support;

mod accounts;
mod activitypub;
mod api;
mod archive;
mod bluesky;
mod browser;
mod faults;
mod inbox;
mod isolation;
mod jobs;
mod measure;
mod messaging;
mod network_calls;
mod ops;
mod people;
mod publishing;
mod repository;
mod sign_in;
mod site;
mod studio;
