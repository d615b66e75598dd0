//! The context middleware, run on every request: resolves the language, the signed-in user and
//! the CSRF token; refuses cross-site state changes; renders errors in the request's language;
//! sets security headers.

use std::net::SocketAddr;

use askama::Template;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use kehilla_app::accounts;
use kehilla_app::audit::Actor;
use kehilla_db::users::User;
use kehilla_domain::validate::Lang;

use crate::AppState;
use crate::error::ErrorInfo;
use crate::i18n::{t, try_t};

pub const SESSION_COOKIE: &str = "kehilla_session";
pub const CSRF_COOKIE: &str = "kehilla_csrf";
pub const LANG_COOKIE: &str = "kehilla_lang";
/// The second step of a login: minutes long, the token of a right password.
pub const TWO_FACTOR_COOKIE: &str = "kehilla_2fa";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What every handler knows about the request.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<User>,
    pub session: Option<String>,
    pub csrf: String,
    pub ip: String,
    pub user_agent: String,
    pub secure: bool,
    /// Where the visitor came from: the `utm_source` and `utm_campaign` of the address that
    /// brought them (this request's, else the one kept in a cookie for 30 days), for
    /// attributing a sign-up, an RSVP or a pledge to the post and channel.
    pub source: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    pub source: String,
    pub campaign: String,
}

impl Source {
    pub fn is_empty(&self) -> bool {
        self.source.is_empty() && self.campaign.is_empty()
    }
}

pub const SOURCE_COOKIE: &str = "kehilla_src";
const SOURCE_DAYS: i64 = 30;

/// A UTM value kept: trimmed, at most 100 characters, no control characters.
fn utm(v: &str) -> String {
    v.trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect()
}

/// The UTM parameters of a query string, when it has any.
fn source_of_query(query: &str) -> Option<Source> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(kk, _)| kk == k)
            .map(|(_, v)| utm(v))
            .unwrap_or_default()
    };
    let s = Source {
        source: get("utm_source"),
        campaign: get("utm_campaign"),
    };
    (!s.is_empty()).then_some(s)
}

fn source_cookie_value(s: &Source) -> String {
    format!(
        "{}|{}",
        crate::routes::urlencode(&s.source),
        crate::routes::urlencode(&s.campaign)
    )
}

fn source_of_cookie(v: &str) -> Option<Source> {
    let (a, b) = v.split_once('|')?;
    let decode = |x: &str| -> String {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={x}"))
            .ok()
            .and_then(|p| p.into_iter().next())
            .map(|(_, v)| utm(&v))
            .unwrap_or_default()
    };
    let s = Source {
        source: decode(a),
        campaign: decode(b),
    };
    (!s.is_empty()).then_some(s)
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        t(self.lang, key)
    }
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user.as_ref().map(|u| u.id),
            label: self
                .user
                .as_ref()
                .map(|u| u.email.clone())
                .unwrap_or_default(),
            ip: self.ip.clone(),
        }
    }
    /// A `Set-Cookie` value with our defaults: HttpOnly, SameSite=Lax, Secure over HTTPS.
    pub fn cookie(&self, name: &str, value: &str, max_age_secs: Option<i64>) -> String {
        let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
        if let Some(a) = max_age_secs {
            c.push_str(&format!("; Max-Age={a}"));
        }
        if self.secure {
            c.push_str("; Secure");
        }
        c
    }
}

pub fn cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

pub fn cookie<'a>(all: &'a [(String, String)], name: &str) -> Option<&'a str> {
    all.iter()
        .find(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

fn header_str(h: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn is_state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// True when a browser says the request came from another site. Browsers send `Origin` (and
/// `Sec-Fetch-Site`) on every cross-site POST; requests without them are not from a browser
/// form of another site. The origin may be this server as the request names it (`Host`) or as
/// the settings name it (`base_url`, for proxies that rewrite `Host`).
fn cross_site(h: &HeaderMap, public_host: &str) -> bool {
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && (site == "cross-site" || site == "same-site")
    {
        return true;
    }
    let (Some(origin), Some(host)) = (header_str(h, header::ORIGIN), header_str(h, header::HOST))
    else {
        return false;
    };
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin)
        .trim_end_matches('/');
    origin == "null"
        || !(origin_host.eq_ignore_ascii_case(host)
            || origin_host.eq_ignore_ascii_case(public_host))
}

pub async fn context(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let jar = cookies(req.headers());
    let path = req.uri().path().to_string();
    let is_api = path.starts_with("/api/");
    let wants_json = is_api
        || header_str(req.headers(), header::ACCEPT)
            .is_some_and(|a| a.starts_with("application/json"));
    // Pages are Hebrew until someone picks English (cookie, then the account's choice); the
    // API, used by programs, follows Accept-Language.
    let mut lang = cookie(&jar, LANG_COOKIE)
        .and_then(|l| Lang::parse(l).ok())
        .or_else(|| {
            wants_json
                .then(|| header_str(req.headers(), header::ACCEPT_LANGUAGE))
                .flatten()
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default();
    let forwarded = st
        .settings
        .trust_proxy
        .then(|| {
            header_str(
                req.headers(),
                header::HeaderName::from_static("x-forwarded-for"),
            )
        })
        .flatten()
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_string())
        .filter(|v| v.parse::<std::net::IpAddr>().is_ok());
    let ip = forwarded.unwrap_or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_default()
    });
    let user_agent: String = header_str(req.headers(), header::USER_AGENT)
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();

    // The API authenticates with bearer tokens only; cookies play no part there.
    let session = if is_api {
        None
    } else {
        cookie(&jar, SESSION_COOKIE).map(str::to_string)
    };
    let (user, renewed) = match &session {
        Some(token) => {
            match accounts::session_user(&st.db, token, st.settings.session_days).await {
                Ok(Some((u, renewed))) => (Some(u), renewed),
                Ok(None) => (None, false),
                Err(e) => {
                    tracing::error!(error = %e, "session lookup failed");
                    return render_error(
                        lang,
                        wants_json,
                        crate::error::status_of(&e),
                        crate::error::info_of(&e),
                    );
                }
            }
        }
        None => (None, false),
    };
    if let Some(u) = &user
        && let Ok(l) = Lang::parse(&u.lang)
    {
        lang = l;
    }
    let (csrf, new_csrf) = match cookie(&jar, CSRF_COOKIE) {
        Some(c) if c.len() == 32 && c.chars().all(|c| c.is_ascii_hexdigit()) => {
            (c.to_string(), false)
        }
        _ => (kehilla_db::random_hex(16), true),
    };
    let arrived_from = (req.method() == axum::http::Method::GET && !is_api)
        .then(|| req.uri().query().and_then(source_of_query))
        .flatten();
    let source = arrived_from
        .clone()
        .or_else(|| cookie(&jar, SOURCE_COOKIE).and_then(source_of_cookie))
        .unwrap_or_default();
    let ctx = Ctx {
        lang,
        user,
        session,
        csrf: csrf.clone(),
        ip,
        user_agent,
        secure: st.settings.secure_cookies(),
        source,
    };

    // Public forms (posted from the organization's own site), the preference centre and
    // one-click unsubscribe (RFC 8058: no cookie) act on a form id or a signed link, never on
    // the session, so there is nothing for another site to forge. Gateway webhooks (`/hooks/`)
    // are signed or carry their secret in the address; ActivityPub deliveries (`/ap/`) carry
    // HTTP signatures.
    let cookieless = ["/f/", "/p/", "/u/", "/hooks/", "/ap/"]
        .iter()
        .any(|p| path.starts_with(p));
    let mut req = req;
    if is_state_changing(req.method()) && !is_api && !cookieless {
        if cross_site(req.headers(), &public_host(&st.settings.base_url())) {
            return render_error(lang, wants_json, StatusCode::FORBIDDEN, info("csrf"));
        }
        let from_header = header_str(req.headers(), header::HeaderName::from_static(CSRF_HEADER))
            .map(str::to_string);
        let is_multipart = header_str(req.headers(), header::CONTENT_TYPE)
            .is_some_and(|c| c.starts_with("multipart/form-data"));
        // A file form cannot send a header: its token rides in the query string instead.
        let from_query = is_multipart
            .then(|| {
                req.uri().query().and_then(|q| {
                    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                        .ok()
                        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD))
                        .map(|(_, v)| v)
                })
            })
            .flatten();
        let sent = match from_header.or(from_query) {
            Some(h) => Some(h),
            None => {
                let is_form = header_str(req.headers(), header::CONTENT_TYPE)
                    .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
                let (parts, body) = req.into_parts();
                let bytes = match axum::body::to_bytes(body, st.settings.max_body_bytes).await {
                    Ok(b) => b,
                    Err(_) => {
                        return render_error(
                            lang,
                            wants_json,
                            StatusCode::PAYLOAD_TOO_LARGE,
                            info("too-large"),
                        );
                    }
                };
                let token = if is_form {
                    serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                        .ok()
                        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD))
                        .map(|(_, v)| v)
                } else {
                    None
                };
                req = Request::from_parts(parts, Body::from(bytes));
                token
            }
        };
        if new_csrf || sent.as_deref() != Some(csrf.as_str()) {
            return render_error(lang, wants_json, StatusCode::FORBIDDEN, info("csrf"));
        }
    }

    req.extensions_mut().insert(ctx.clone());
    let mut resp = next.run(req).await;

    let status = resp.status();
    if let Some(info) = resp.extensions_mut().remove::<ErrorInfo>() {
        let mut r = render_error(lang, wants_json, status, info);
        // Keep headers the handler set (e.g. Set-Cookie), drop its body.
        for (k, v) in resp.headers() {
            if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
                r.headers_mut().append(k.clone(), v.clone());
            }
        }
        resp = r;
    } else if status.as_u16() >= 400 {
        let ct = header_str(resp.headers(), header::CONTENT_TYPE).unwrap_or_default();
        if !ct.starts_with("text/html") && !ct.starts_with("application/json") {
            let code = match status.as_u16() {
                404 => "not-found",
                405 => "method-not-allowed",
                413 => "too-large",
                415 => "unsupported-media-type",
                400 | 422 => "bad-request",
                401 => "unauthorized",
                403 => "forbidden",
                429 => "rate-limited",
                s if s >= 500 => "internal",
                _ => "bad-request",
            };
            resp = render_error(lang, wants_json, status, info(code));
        }
    }
    // A session in use lives on: its cookie's lifetime is renewed with the database row's.
    if renewed
        && let Some(token) = &ctx.session
        && let Ok(v) = HeaderValue::from_str(&ctx.cookie(
            SESSION_COOKIE,
            token,
            Some(i64::from(st.settings.session_days) * 86_400),
        ))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    if new_csrf && let Ok(v) = HeaderValue::from_str(&ctx.cookie(CSRF_COOKIE, &csrf, None)) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    if let Some(s) = &arrived_from
        && let Ok(v) = HeaderValue::from_str(&ctx.cookie(
            SOURCE_COOKIE,
            &source_cookie_value(s),
            Some(SOURCE_DAYS * 86_400),
        ))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    security_headers(resp.headers_mut(), ctx.secure);
    resp
}

/// `host[:port]` of a base URL.
fn public_host(base_url: &str) -> String {
    base_url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(base_url)
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn info(code: &'static str) -> ErrorInfo {
    ErrorInfo {
        code,
        field: None,
        input: None,
        retry_after: None,
    }
}

fn security_headers(h: &mut HeaderMap, secure: bool) {
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        if !h.contains_key(k) {
            h.insert(k, HeaderValue::from_static(v));
        }
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "same-origin");
    let framable = h
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("frame-ancestors *"));
    if !framable {
        set(h, "x-frame-options", "DENY");
    }
    if secure {
        set(h, "strict-transport-security", "max-age=31536000");
    }
}

/// The translated message of an error.
pub fn error_message(lang: Lang, info: &ErrorInfo) -> String {
    if let Some(input) = info.input {
        let msg = t(lang, &format!("error-input-{input}"));
        return match info.field.and_then(|f| try_t(lang, &format!("field-{f}"))) {
            Some(field) => format!("{field}: {msg}"),
            None => msg,
        };
    }
    try_t(lang, &format!("error-{}", info.code)).unwrap_or_else(|| t(lang, "error-internal"))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: &'a str,
    dir: &'a str,
    title: String,
    message: String,
    home: String,
}

pub fn render_error(lang: Lang, json: bool, status: StatusCode, info: ErrorInfo) -> Response {
    let message = error_message(lang, &info);
    let mut resp = if json {
        let body = serde_json::json!({
            "code": info.code,
            "message": message,
            "field": info.field,
        });
        (status, axum::Json(body)).into_response()
    } else {
        let page = ErrorPage {
            lang: lang.code(),
            dir: lang.dir(),
            title: t(lang, "error-title"),
            message,
            home: t(lang, "error-home"),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => status.into_response(),
        }
    };
    if let Some(s) = info.retry_after
        && let Ok(v) = HeaderValue::from_str(&s.to_string())
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

#[cfg(test)]
mod source_tests {
    use super::*;

    #[test]
    fn utm_parameters_go_to_a_cookie_and_come_back() {
        let s = source_of_query(
            "utm_source=mastodon&utm_medium=social&utm_campaign=%D7%98%D7%99%D7%95%D7%9C",
        )
        .unwrap();
        assert_eq!(s.source, "mastodon");
        assert_eq!(s.campaign, "טיול");
        let v = source_cookie_value(&s);
        assert!(v.is_ascii() && !v.contains(';') && !v.contains(' '), "{v}");
        assert_eq!(source_of_cookie(&v), Some(s));
        assert_eq!(source_of_query("q=1&utm_medium=social"), None);
        assert_eq!(source_of_cookie("garbage"), None);
        let long = source_of_query(&format!("utm_campaign={}", "a".repeat(500))).unwrap();
        assert_eq!(long.campaign.len(), 100);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_site_detection() {
        let mut h = HeaderMap::new();
        assert!(
            !cross_site(&h, "k.example"),
            "no browser headers: not a cross-site browser form"
        );
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(!cross_site(&h, "k.example"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(cross_site(&h, "k.example"));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(cross_site(&h, "k.example"));
        let mut h2 = HeaderMap::new();
        h2.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(cross_site(&h2, "k.example"));
        // Behind a proxy that rewrites Host, the public address still counts as this site.
        let mut h3 = HeaderMap::new();
        h3.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        h3.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://k.example"),
        );
        assert!(!cross_site(&h3, "k.example"));
        assert_eq!(public_host("https://k.example/base"), "k.example");
    }

    #[test]
    fn cookie_parsing() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; kehilla_lang=en;b="),
        );
        let jar = cookies(&h);
        assert_eq!(cookie(&jar, "kehilla_lang"), Some("en"));
        assert_eq!(cookie(&jar, "b"), None);
    }
}
