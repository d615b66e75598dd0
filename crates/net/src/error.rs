//! Errors of outbound requests, with stable codes for the UI.

/// Why an outbound request failed.
///
/// Details stay in the logs; the variants are what the UI needs to explain the failure, and
/// [`NetError::code`] gives each a stable code to translate.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum NetError {
    /// Not an absolute `http`/`https` URL, carries credentials, or has no host.
    #[error("invalid or unsupported URL")]
    InvalidUrl,
    /// The URL points at (or its host name resolves only to) a non-public address.
    #[error("the address is not public")]
    Blocked,
    /// The host name could not be resolved.
    #[error("the host name could not be resolved")]
    Dns,
    /// The connection could not be established (refused, reset, TLS failure…).
    #[error("could not connect")]
    Connect,
    /// The whole exchange took longer than [`crate::FetchPolicy::timeout`], or connecting took
    /// longer than [`crate::FetchPolicy::connect_timeout`].
    #[error("the request timed out")]
    Timeout,
    /// The body is longer than [`crate::FetchPolicy::max_bytes`].
    #[error("the response is too large")]
    TooLarge,
    /// The response is not an HTML page.
    #[error("the response is not an HTML page")]
    NotHtml,
    /// The response is not a JPEG, PNG, WebP or GIF image.
    #[error("the response is not an image")]
    NotImage,
    /// More than [`crate::FetchPolicy::max_redirects`] redirects.
    #[error("too many redirects")]
    TooManyRedirects,
    /// The server answered with a status other than 2xx (or a redirect without a location).
    #[error("the server answered with status {0}")]
    Status(u16),
    /// The exchange broke off after connecting (malformed response, body cut short…).
    #[error("the HTTP exchange failed")]
    Http,
    /// The HTTP client could not be built (e.g. an invalid user agent).
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}

impl NetError {
    /// A stable, translatable code, e.g. `"net.blocked"`.
    pub fn code(&self) -> &'static str {
        match self {
            NetError::InvalidUrl => "net.invalid_url",
            NetError::Blocked => "net.blocked",
            NetError::Dns => "net.dns",
            NetError::Connect => "net.connect",
            NetError::Timeout => "net.timeout",
            NetError::TooLarge => "net.too_large",
            NetError::NotHtml => "net.not_html",
            NetError::NotImage => "net.not_image",
            NetError::TooManyRedirects => "net.too_many_redirects",
            NetError::Status(_) => "net.status",
            NetError::Http => "net.http",
            NetError::Client(_) => "net.client",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_distinct() {
        let all = [
            NetError::InvalidUrl,
            NetError::Blocked,
            NetError::Dns,
            NetError::Connect,
            NetError::Timeout,
            NetError::TooLarge,
            NetError::NotHtml,
            NetError::NotImage,
            NetError::TooManyRedirects,
            NetError::Status(404),
            NetError::Http,
            NetError::Client(String::new()),
        ];
        let mut codes: Vec<&str> = all.iter().map(NetError::code).collect();
        assert!(codes.iter().all(|c| c.starts_with("net.")));
        assert_eq!(NetError::Blocked.code(), "net.blocked");
        assert_eq!(NetError::Timeout.code(), "net.timeout");
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
