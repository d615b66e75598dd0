//! The HTTP client that refuses non-public addresses.

use std::error::Error as StdError;
use std::fmt;
use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, LOCATION};
use reqwest::{StatusCode, Url};

use crate::charset::{charset_param, decode_html};
use crate::ip::is_public_ip;
use crate::url_check::check_url;
use crate::{FetchPolicy, NetError};

const HTML_TYPES: [&str; 2] = ["text/html", "application/xhtml+xml"];
const IMAGE_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/webp", "image/gif"];
const ACCEPT_IMAGE: &str = "image/jpeg,image/png,image/webp,image/gif;q=0.9";
const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";

/// A page fetched by [`SafeClient::get_text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    /// The URL after redirects.
    pub final_url: String,
    /// The HTTP status (always 2xx).
    pub status: u16,
    /// The media type, lower-cased, without parameters (e.g. `text/html`).
    pub content_type: String,
    /// The decoded body.
    pub body: String,
}

/// An HTTP client for user-supplied URLs: it connects only to public addresses (unless
/// [`FetchPolicy::allow_private`]), checks every redirect hop, and enforces the policy's
/// time and size limits. Cheap to clone; clones share the connection pool.
#[derive(Clone, Debug)]
pub struct SafeClient {
    client: reqwest::Client,
    policy: FetchPolicy,
}

impl SafeClient {
    /// Builds a client for `policy`.
    pub fn new(policy: FetchPolicy) -> Result<Self, NetError> {
        if policy.allow_private {
            tracing::warn!("outbound client allows private addresses; this is for tests only");
        }
        let user_agent = HeaderValue::from_str(&policy.user_agent)
            .map_err(|e| NetError::Client(format!("user agent: {e}")))?;
        let client = reqwest::Client::builder()
            .dns_resolver(PublicOnlyResolver {
                allow_private: policy.allow_private,
            })
            // Redirects are followed by hand so that every hop is checked.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .no_proxy()
            .https_only(false)
            .connect_timeout(policy.connect_timeout)
            // The whole exchange is bounded in `get_text`, across hops and the body.
            .user_agent(user_agent)
            .build()
            .map_err(|e| NetError::Client(e.to_string()))?;
        Ok(SafeClient { client, policy })
    }

    /// The policy this client enforces.
    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// Fetches an HTML page (`text/html` or `application/xhtml+xml`, else
    /// [`NetError::NotHtml`]) and decodes it to text.
    ///
    /// Redirects (301, 302, 303, 307, 308) are followed up to
    /// [`FetchPolicy::max_redirects`], each target checked like the first URL. The body is
    /// read in chunks and abandoned as soon as it would exceed [`FetchPolicy::max_bytes`]
    /// ([`NetError::TooLarge`]). Everything together must finish within
    /// [`FetchPolicy::timeout`].
    pub async fn get_text(&self, url: &str) -> Result<Fetched, NetError> {
        match tokio::time::timeout(self.policy.timeout, self.fetch_html(url)).await {
            Ok(result) => result,
            Err(_) => {
                tracing::debug!(url, "outbound request timed out");
                Err(NetError::Timeout)
            }
        }
    }

    /// Fetches an image (a link card's picture) under the same rules: JPEG, PNG, WebP or GIF,
    /// at most `max_bytes`. Returns its media type and bytes.
    pub async fn get_image(
        &self,
        url: &str,
        max_bytes: usize,
    ) -> Result<(String, Vec<u8>), NetError> {
        let fetch = self.fetch(
            url,
            ACCEPT_IMAGE,
            &IMAGE_TYPES,
            NetError::NotImage,
            max_bytes,
        );
        match tokio::time::timeout(self.policy.timeout, fetch).await {
            Ok(r) => r.map(|(_, _, media_type, body)| (media_type, body)),
            Err(_) => Err(NetError::Timeout),
        }
    }

    async fn fetch_html(&self, url: &str) -> Result<Fetched, NetError> {
        let (final_url, status, content_type, body) = self
            .fetch(
                url,
                ACCEPT_HTML,
                &HTML_TYPES,
                NetError::NotHtml,
                self.policy.max_bytes,
            )
            .await?;
        let media_type = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        Ok(Fetched {
            final_url,
            status,
            body: decode_html(&body, charset_param(&content_type)),
            content_type: media_type,
        })
    }

    /// GET with every hop checked; the body must have one of `types` and at most `max` bytes.
    /// Returns the final URL, status, full content type and body.
    async fn fetch(
        &self,
        url: &str,
        accept: &str,
        types: &[&str],
        wrong_type: NetError,
        max: usize,
    ) -> Result<(String, u16, String, Vec<u8>), NetError> {
        let allow_private = self.policy.allow_private;
        let mut current = Url::parse(url.trim()).map_err(|_| NetError::InvalidUrl)?;
        let mut redirects = 0usize;
        let mut response = loop {
            check_url(&current, allow_private)?;
            let response = self
                .client
                .get(current.clone())
                .header(ACCEPT, accept)
                .send()
                .await
                .map_err(|e| classify(&e))?;
            let status = response.status();
            if !is_followed_redirect(status) {
                break response;
            }
            let Some(location) = response.headers().get(LOCATION) else {
                return Err(NetError::Status(status.as_u16()));
            };
            if redirects >= self.policy.max_redirects {
                return Err(NetError::TooManyRedirects);
            }
            let location = location.to_str().map_err(|_| NetError::InvalidUrl)?;
            let next = current.join(location).map_err(|_| NetError::InvalidUrl)?;
            tracing::debug!(from = %current, to = %next, "following redirect");
            redirects += 1;
            current = next;
        };

        let status = response.status();
        if !status.is_success() {
            return Err(NetError::Status(status.as_u16()));
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let media_type = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if !types.contains(&media_type.as_str()) {
            return Err(wrong_type);
        }

        let declared = response.content_length();
        if declared.is_some_and(|len| len > u64::try_from(max).unwrap_or(u64::MAX)) {
            return Err(NetError::TooLarge);
        }
        let capacity = declared
            .and_then(|len| usize::try_from(len).ok())
            .unwrap_or(0)
            .min(max)
            .min(64 * 1024);
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(|e| classify(&e))? {
            if chunk.len() > max.saturating_sub(body.len()) {
                return Err(NetError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }

        Ok((current.to_string(), status.as_u16(), content_type, body))
    }
}

fn is_followed_redirect(status: StatusCode) -> bool {
    matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
}

/// Maps a client error onto [`NetError`], recognising our resolver's refusals in its chain.
fn classify(error: &reqwest::Error) -> NetError {
    let mut source: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(refusal) = e.downcast_ref::<ResolveError>() {
            return match refusal {
                ResolveError::OnlyNonPublic => NetError::Blocked,
                ResolveError::Lookup(_) | ResolveError::NoAddress => NetError::Dns,
            };
        }
        source = e.source();
    }
    tracing::debug!(error = %error, "outbound request failed");
    if error.is_timeout() {
        NetError::Timeout
    } else if error.is_connect() {
        NetError::Connect
    } else {
        NetError::Http
    }
}

/// Resolves host names with the system resolver and keeps only public addresses, so the
/// connection goes to exactly the addresses that were checked.
struct PublicOnlyResolver {
    allow_private: bool,
}

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let allow_private = self.allow_private;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| ResolveError::Lookup(e.to_string()))?
                .collect();
            if found.is_empty() {
                return Err(ResolveError::NoAddress.into());
            }
            let kept: Vec<SocketAddr> = if allow_private {
                found
            } else {
                found
                    .into_iter()
                    .filter(|addr| is_public_ip(addr.ip()))
                    .collect()
            };
            if kept.is_empty() {
                tracing::debug!(host, "host name resolves only to non-public addresses");
                return Err(ResolveError::OnlyNonPublic.into());
            }
            let addrs: Addrs = Box::new(kept.into_iter());
            Ok(addrs)
        })
    }
}

#[derive(Debug)]
enum ResolveError {
    Lookup(String),
    NoAddress,
    OnlyNonPublic,
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Lookup(e) => write!(f, "lookup failed: {e}"),
            ResolveError::NoAddress => f.write_str("the name has no address"),
            ResolveError::OnlyNonPublic => {
                f.write_str("the name resolves only to non-public addresses")
            }
        }
    }
}

impl StdError for ResolveError {}

/// A client builder for calls to servers that users name (a Mastodon server, a network's API
/// address): host names resolve to public addresses only (unless `allow_private`), no proxy, no
/// redirects followed. Check the address itself with [`crate::validate_url`] before each call:
/// a literal IP address does not go through the resolver.
pub fn guarded_builder(allow_private: bool) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .dns_resolver(PublicOnlyResolver { allow_private })
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
}
