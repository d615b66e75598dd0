//! Limits of an outbound request.

use std::time::Duration;

/// Limits and switches for [`crate::SafeClient`].
#[derive(Clone, Debug)]
pub struct FetchPolicy {
    /// Allow private, loopback and other non-public addresses. **Tests only**: with this on,
    /// the client is no longer protected against server-side request forgery.
    pub allow_private: bool,
    /// Upper bound for the whole exchange: every redirect hop and the body. Default 5 s.
    pub timeout: Duration,
    /// Upper bound for establishing one connection. Default 3 s.
    pub connect_timeout: Duration,
    /// Largest body accepted, in bytes. Default 1 MiB.
    pub max_bytes: usize,
    /// Most redirects followed. Default 5.
    pub max_redirects: usize,
    /// The `User-Agent` header sent.
    pub user_agent: String,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            allow_private: false,
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(3),
            max_bytes: 1024 * 1024,
            max_redirects: 5,
            user_agent: "KehillaBot/0.1 (link preview)".to_owned(),
        }
    }
}
