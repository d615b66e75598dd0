//! The check every URL passes before it is requested — the first one and every redirect hop.

use std::net::IpAddr;

use reqwest::Url;

use crate::NetError;
use crate::ip::is_public_ip;

/// Parses `url` and checks that [`crate::SafeClient`] may request it.
///
/// The URL must be absolute, `http` or `https`, carry no user name or password, and have a
/// host. A literal IP host (in any notation the URL standard accepts, such as
/// `http://0x7f000001/` or `http://2130706433/`) must be public unless `allow_private`.
/// Host names are not resolved here: the client's resolver checks their addresses when it
/// connects, so a URL that passes may still fail with [`NetError::Blocked`].
pub fn validate_url(url: &str, allow_private: bool) -> Result<Url, NetError> {
    let parsed = Url::parse(url.trim()).map_err(|_| NetError::InvalidUrl)?;
    check_url(&parsed, allow_private)?;
    Ok(parsed)
}

/// The per-hop check: scheme, credentials and literal IP hosts.
pub(crate) fn check_url(url: &Url, allow_private: bool) -> Result<(), NetError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(NetError::InvalidUrl);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(NetError::InvalidUrl);
    }
    let host = match url.host_str() {
        None | Some("") => return Err(NetError::InvalidUrl),
        Some(host) => host,
    };
    // The URL parser serializes every IPv4 notation it accepts for http(s) hosts (hex,
    // octal, a single decimal number, a trailing dot…) as a dotted quad, and IPv6 in
    // brackets, so parsing the serialized host finds every literal address. Literal
    // addresses never reach the resolver, so they must be judged here.
    let literal = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip = literal.parse::<IpAddr>().ok();
    if let Some(ip) = ip
        && !allow_private
        && !is_public_ip(ip)
    {
        tracing::debug!(%ip, "refused a URL with a non-public address");
        return Err(NetError::Blocked);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> Result<(), NetError> {
        check_url(&Url::parse(url).unwrap(), false)
    }

    #[test]
    fn schemes_other_than_http_are_refused() {
        for url in [
            "file:///etc/passwd",
            "ftp://example.org/file",
            "gopher://example.org/",
            "javascript:alert(1)",
            "data:text/html,<h1>hi</h1>",
            "mailto:someone@example.org",
        ] {
            assert_eq!(check(url), Err(NetError::InvalidUrl), "{url}");
        }
        assert_eq!(validate_url("not a url", false), Err(NetError::InvalidUrl));
        assert_eq!(
            validate_url("/relative/path", false),
            Err(NetError::InvalidUrl)
        );
        assert_eq!(validate_url("", false), Err(NetError::InvalidUrl));
    }

    #[test]
    fn credentials_are_refused() {
        assert_eq!(
            check("http://user:pass@example.org/"),
            Err(NetError::InvalidUrl)
        );
        assert_eq!(check("http://user@example.org/"), Err(NetError::InvalidUrl));
        assert_eq!(
            check("https://:pass@example.org/"),
            Err(NetError::InvalidUrl)
        );
    }

    #[test]
    fn private_literal_ips_are_blocked_in_every_notation() {
        for url in [
            "http://127.0.0.1/",
            "http://127.0.0.1:8080/admin",
            "http://127.1/",
            "http://0x7f000001/",
            "http://0x7f.0.0.1/",
            "http://2130706433/",
            "http://0177.0.0.1/",
            "http://127.0.0.1./",
            "http://0.0.0.0/",
            "http://[::1]/",
            "http://[::]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
            "http://[fe80::1]/",
            "http://[fc00::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://10.0.0.1/",
            "https://192.168.0.1/",
            "http://192.0.2.1/",
        ] {
            assert_eq!(check(url), Err(NetError::Blocked), "{url}");
        }
    }

    #[test]
    fn public_urls_and_host_names_pass() {
        for url in [
            "http://8.8.8.8/",
            "https://[2001:4860:4860::8888]/",
            "https://example.org/",
            "https://example.org:8443/path?q=1#frag",
            "http://xn--4dbrk0ce.example/",
            // Host names are judged by the resolver when connecting, not here.
            "http://localhost/",
        ] {
            assert_eq!(check(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn allow_private_lets_literal_ips_through_but_not_bad_schemes() {
        let local = Url::parse("http://127.0.0.1:3000/").unwrap();
        assert_eq!(check_url(&local, true), Ok(()));
        let file = Url::parse("file:///etc/passwd").unwrap();
        assert_eq!(check_url(&file, true), Err(NetError::InvalidUrl));
        let creds = Url::parse("http://a:b@127.0.0.1/").unwrap();
        assert_eq!(check_url(&creds, true), Err(NetError::InvalidUrl));
    }

    #[test]
    fn redirect_hops_are_checked_after_resolution() {
        // What the client does with a Location header: join, then check.
        let page = Url::parse("https://example.org/a/b").unwrap();
        let cases = [
            ("/c", Ok(())),
            ("//127.0.0.1/x", Err(NetError::Blocked)),
            ("http://[::1]:8080/", Err(NetError::Blocked)),
            ("http://169.254.169.254/latest/", Err(NetError::Blocked)),
            ("file:///etc/passwd", Err(NetError::InvalidUrl)),
            ("http://u:p@example.org/", Err(NetError::InvalidUrl)),
            ("https://example.com/elsewhere", Ok(())),
        ];
        for (location, expected) in cases {
            let next = page.join(location).unwrap();
            assert_eq!(check_url(&next, false), expected, "{location}");
        }
    }
}
