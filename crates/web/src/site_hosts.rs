//! Organizations' own domains: a request whose Host is an organization's domain is served its
//! site (`/` → `/o/{slug}`, `/p/…` → `/o/{slug}/p/…` …) before routing. A Host that is not a
//! well-formed name, or no organization's, changes nothing: the instance answers as itself, and
//! no address the instance writes is ever taken from the Host header.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{Uri, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// Marks a request that came in on an organization's own domain (its links are from the root).
#[derive(Debug, Clone, Copy)]
pub struct OnDomain;

/// Domains are read again after this long (another server may have changed them).
const FRESH: Duration = Duration::from_secs(30);

type Domains = HashMap<String, String>;

static CACHE: Mutex<Option<(Instant, Domains)>> = Mutex::new(None);

/// Forgets the domains read, after a change on this server.
pub fn forget() {
    if let Ok(mut c) = CACHE.lock() {
        *c = None;
    }
}

async fn domains(st: &AppState) -> Domains {
    if let Ok(c) = CACHE.lock()
        && let Some((at, map)) = c.as_ref()
        && at.elapsed() < FRESH
    {
        return map.clone();
    }
    let map: Domains = match kehilla_db::site::domains(&st.db.pool).await {
        Ok(list) => list.into_iter().map(|(slug, d)| (d, slug)).collect(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the sites' domains");
            return Domains::new();
        }
    };
    if let Ok(mut c) = CACHE.lock() {
        *c = Some((Instant::now(), map.clone()));
    }
    map
}

/// The host a request names, lower-cased and without its port, if it is a well-formed DNS name.
pub fn host_of(req: &Request) -> Option<String> {
    let raw = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().host().map(str::to_string))?;
    let name = raw.rsplit_once(':').map_or(raw.as_str(), |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            ""
        }
    });
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.contains('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    ok.then_some(name)
}

/// Whether a path is one of the site's own on a custom domain.
fn site_path(path: &str) -> bool {
    path == "/"
        || path.starts_with("/p/")
        || path.starts_with("/pages/")
        || path.starts_with("/topics/")
        || path == "/boards"
        || path.starts_with("/boards/")
        || path.starts_with("/feed.")
}

pub async fn rewrite(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(host) = host_of(&req)
        && site_path(req.uri().path())
        && let Some(slug) = domains(&st).await.get(&host)
    {
        let path = req.uri().path();
        let new_path = if path == "/" {
            format!("/o/{slug}")
        } else {
            format!("/o/{slug}{path}")
        };
        let pq = match req.uri().query() {
            Some(q) => format!("{new_path}?{q}"),
            None => new_path,
        };
        if let Ok(uri) = pq.parse::<Uri>() {
            *req.uri_mut() = uri;
            req.extensions_mut().insert(OnDomain);
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(host: &str) -> Request {
        Request::builder()
            .uri("/")
            .header(header::HOST, host)
            .body(axum::body::Body::empty())
            .unwrap()
    }

    #[test]
    fn hosts_are_names_or_nothing() {
        assert_eq!(
            host_of(&req("Yad.Example:8080")).as_deref(),
            Some("yad.example")
        );
        assert_eq!(
            host_of(&req("yad.example.")).as_deref(),
            Some("yad.example")
        );
        assert_eq!(host_of(&req("localhost")), None);
        assert_eq!(host_of(&req("evil.example/<script>")), None);
        assert_eq!(host_of(&req("[::1]:80")), None);
        assert_eq!(host_of(&req("a.example:x")), None);
        assert!(site_path("/") && site_path("/p/x") && site_path("/feed.rss"));
        assert!(!site_path("/orgs") && !site_path("/m/x/large"));
    }
}
