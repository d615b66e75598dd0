//! Kehilla's use cases. Each module is one capability; each action is a function that takes typed
//! input and returns typed output, and knows nothing of HTTP.
//!
//! Errors: every action returns [`AppError`], a closed set of stable codes. The web layer turns a
//! code into an HTTP status and a translated message; `Internal` causes are logged, never shown.

pub mod accounts;
pub mod audit;
pub mod demo;
pub mod error;
pub mod home;
pub mod i18n;
pub mod inbox;
pub mod jobs;
pub mod mail;
pub mod measure;
pub mod members;
pub mod messaging;
pub mod people;
pub mod publishing;
pub mod ratelimit;
pub mod secrets;
pub mod settings;
pub mod studio;
pub mod tokens;
pub mod two_factor;

pub use error::AppError;
pub use settings::Settings;

pub type Result<T> = std::result::Result<T, AppError>;

use sha2::{Digest, Sha256};

/// SHA-256 of a secret token, hex-encoded: what we store instead of the token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
