//! The safe client against local servers on 127.0.0.1 (allowed only with `allow_private`).

// Test code may panic: a failed expectation is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use kehilla_net::{FetchPolicy, LinkCard, NetError, SafeClient, link_card};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const HEBREW_PAGE: &str = r#"<!doctype html><html lang="he" dir="rtl"><head>
<meta charset="utf-8"><title>דף</title>
<meta property="og:title" content="יד ביד &amp; שותפים">
<meta property="og:description" content="עמותה למען הקהילה">
<meta property="og:image" content="/img/cover.jpg">
<meta property="og:site_name" content="יד ביד">
</head><body>שלום</body></html>"#;

fn html(body: impl Into<Body>) -> Response {
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(body.into())
        .unwrap()
}

fn redirect(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, location)
        .body(Body::empty())
        .unwrap()
}

fn megabytes_2() -> Vec<u8> {
    let mut body = b"<html><body>".to_vec();
    body.resize(2 * 1024 * 1024, b'a');
    body
}

/// Serves the test site on 127.0.0.1; returns its base URL and a count of requests served.
async fn serve() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let router = Router::new()
        .route("/page", get(|| async { html(HEBREW_PAGE) }))
        .route("/redirect", get(|| async { redirect("/page") }))
        .route(
            "/chain/{n}",
            get(|Path(n): Path<u32>| async move {
                if n == 0 {
                    html(HEBREW_PAGE)
                } else {
                    redirect(&format!("/chain/{}", n - 1))
                }
            }),
        )
        .route("/to-file", get(|| async { redirect("file:///etc/passwd") }))
        .route(
            "/to-credentials",
            get(|headers: HeaderMap| async move {
                let host = headers[header::HOST].to_str().unwrap().to_owned();
                redirect(&format!("http://user:secret@{host}/page"))
            }),
        )
        .route(
            "/redirect-without-location",
            get(|| async { StatusCode::FOUND }),
        )
        .route(
            "/json",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], "{}") }),
        )
        .route(
            "/untyped",
            get(|| async { Response::new(Body::from("<html></html>")) }),
        )
        .route(
            "/xhtml",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "Application/XHTML+XML")],
                    "<html><head><title>X</title></head></html>",
                )
            }),
        )
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/big-streamed",
            get(|| async {
                let chunks =
                    (0..32).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b'a'; 64 * 1024])));
                html(Body::from_stream(futures::stream::iter(chunks)))
            }),
        )
        .route("/big-declared", get(|| async { html(megabytes_2()) }))
        .route(
            "/bytes/{n}",
            get(|Path(n): Path<usize>| async move { html(vec![b'a'; n]) }),
        )
        .route(
            "/windows-1255",
            get(|| async {
                let mut body = b"<title>".to_vec();
                body.extend_from_slice(&[0xF9, 0xEC, 0xE5, 0xED, 0x20, 0xA4]);
                body.extend_from_slice(b"</title>");
                (
                    [(header::CONTENT_TYPE, "text/html; charset=windows-1255")],
                    body,
                )
            }),
        )
        .route(
            "/meta-latin1",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    b"<meta charset=\"iso-8859-1\"><title>Caf\xE9</title>".to_vec(),
                )
            }),
        )
        .layer(axum::middleware::from_fn_with_state(
            hits.clone(),
            |State(hits): State<Arc<AtomicUsize>>,
             request: axum::extract::Request,
             next: axum::middleware::Next| async move {
                hits.fetch_add(1, Ordering::SeqCst);
                next.run(request).await
            },
        ));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}"), hits)
}

fn local_policy() -> FetchPolicy {
    FetchPolicy {
        allow_private: true,
        ..FetchPolicy::default()
    }
}

fn local_client() -> SafeClient {
    SafeClient::new(local_policy()).unwrap()
}

fn public_only_client() -> SafeClient {
    SafeClient::new(FetchPolicy::default()).unwrap()
}

#[tokio::test]
async fn a_local_server_is_blocked_by_default() {
    let (base, hits) = serve().await;
    let err = public_only_client()
        .get_text(&format!("{base}/page"))
        .await
        .unwrap_err();
    assert_eq!(err, NetError::Blocked);
    assert_eq!(err.code(), "net.blocked");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "no request may reach the server"
    );
}

#[tokio::test]
async fn localhost_is_blocked_by_the_resolver() {
    let (base, hits) = serve().await;
    let port = base.rsplit(':').next().unwrap();
    let url = format!("http://localhost:{port}/page");
    assert_eq!(
        public_only_client().get_text(&url).await.unwrap_err(),
        NetError::Blocked
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);
    // The same name is fine when private addresses are allowed.
    let page = local_client().get_text(&url).await.unwrap();
    assert_eq!(page.status, 200);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn refused_urls_fail_before_any_connection() {
    let client = public_only_client();
    for (url, expected) in [
        ("file:///etc/passwd", NetError::InvalidUrl),
        ("ftp://example.org/", NetError::InvalidUrl),
        ("http://user:pass@example.org/", NetError::InvalidUrl),
        ("example.org", NetError::InvalidUrl),
        ("http://[::1]/", NetError::Blocked),
        ("http://127.0.0.1/", NetError::Blocked),
        ("http://0x7f000001/", NetError::Blocked),
        ("http://2130706433/", NetError::Blocked),
        ("http://[::ffff:127.0.0.1]/", NetError::Blocked),
        (
            "http://169.254.169.254/latest/meta-data/",
            NetError::Blocked,
        ),
        ("http://[fe80::1]/", NetError::Blocked),
        ("http://100.64.0.1/", NetError::Blocked),
    ] {
        assert_eq!(client.get_text(url).await.unwrap_err(), expected, "{url}");
    }
}

#[tokio::test]
async fn a_page_is_fetched_when_private_addresses_are_allowed() {
    let (base, _) = serve().await;
    let page = local_client()
        .get_text(&format!("{base}/page"))
        .await
        .unwrap();
    assert_eq!(page.final_url, format!("{base}/page"));
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type, "text/html");
    assert_eq!(page.body, HEBREW_PAGE);
}

#[tokio::test]
async fn link_card_end_to_end() {
    let (base, _) = serve().await;
    let card = link_card(&local_client(), &format!("{base}/redirect"))
        .await
        .unwrap();
    assert_eq!(
        card,
        LinkCard {
            url: format!("{base}/page"),
            title: Some("יד ביד & שותפים".into()),
            description: Some("עמותה למען הקהילה".into()),
            image: Some(format!("{base}/img/cover.jpg")),
            site_name: Some("יד ביד".into()),
        }
    );
}

#[tokio::test]
async fn a_redirect_is_followed() {
    let (base, hits) = serve().await;
    let page = local_client()
        .get_text(&format!("{base}/redirect"))
        .await
        .unwrap();
    assert_eq!(page.final_url, format!("{base}/page"));
    assert_eq!(page.body, HEBREW_PAGE);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn redirects_are_limited() {
    let (base, hits) = serve().await;
    let client = local_client();
    // Five redirects is the default limit: allowed.
    let page = client.get_text(&format!("{base}/chain/5")).await.unwrap();
    assert_eq!(page.final_url, format!("{base}/chain/0"));
    assert_eq!(hits.swap(0, Ordering::SeqCst), 6);
    // Six is one too many; the sixth redirect is not requested.
    let err = client
        .get_text(&format!("{base}/chain/6"))
        .await
        .unwrap_err();
    assert_eq!(err, NetError::TooManyRedirects);
    assert_eq!(err.code(), "net.too_many_redirects");
    assert_eq!(hits.load(Ordering::SeqCst), 6);
    // With no redirects allowed, even one fails.
    let strict = SafeClient::new(FetchPolicy {
        max_redirects: 0,
        ..local_policy()
    })
    .unwrap();
    assert_eq!(
        strict
            .get_text(&format!("{base}/redirect"))
            .await
            .unwrap_err(),
        NetError::TooManyRedirects
    );
}

#[tokio::test]
async fn every_redirect_hop_is_checked() {
    let (base, hits) = serve().await;
    let client = local_client();
    assert_eq!(
        client
            .get_text(&format!("{base}/to-file"))
            .await
            .unwrap_err(),
        NetError::InvalidUrl
    );
    assert_eq!(
        client
            .get_text(&format!("{base}/to-credentials"))
            .await
            .unwrap_err(),
        NetError::InvalidUrl
    );
    // Only the two redirecting pages were requested.
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert_eq!(
        client
            .get_text(&format!("{base}/redirect-without-location"))
            .await
            .unwrap_err(),
        NetError::Status(302)
    );
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_is_too_large() {
    let (base, _) = serve().await;
    let err = local_client()
        .get_text(&format!("{base}/big-streamed"))
        .await
        .unwrap_err();
    assert_eq!(err, NetError::TooLarge);
    assert_eq!(err.code(), "net.too_large");
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_too_large() {
    let (base, _) = serve().await;
    assert_eq!(
        local_client()
            .get_text(&format!("{base}/big-declared"))
            .await
            .unwrap_err(),
        NetError::TooLarge
    );
}

#[tokio::test]
async fn the_size_limit_is_inclusive() {
    let (base, _) = serve().await;
    let client = SafeClient::new(FetchPolicy {
        max_bytes: 1000,
        ..local_policy()
    })
    .unwrap();
    let page = client
        .get_text(&format!("{base}/bytes/1000"))
        .await
        .unwrap();
    assert_eq!(page.body.len(), 1000);
    assert_eq!(
        client
            .get_text(&format!("{base}/bytes/1001"))
            .await
            .unwrap_err(),
        NetError::TooLarge
    );
}

fn short_timeout_client() -> SafeClient {
    SafeClient::new(FetchPolicy {
        timeout: Duration::from_millis(300),
        connect_timeout: Duration::from_millis(300),
        ..local_policy()
    })
    .unwrap()
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket); // Keep it open, never write.
        }
    });
    let started = Instant::now();
    let err = short_timeout_client()
        .get_text(&format!("http://{addr}/"))
        .await
        .unwrap_err();
    assert_eq!(err, NetError::Timeout);
    assert_eq!(err.code(), "net.timeout");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

/// Reads until the end of the request head, so that the answer comes after the request.
async fn read_request_head(socket: &mut tokio::net::TcpStream) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buf).await.unwrap();
        assert!(n > 0, "the client closed the connection");
        head.extend_from_slice(&buf[..n]);
    }
}

#[tokio::test]
async fn a_body_that_stalls_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            read_request_head(&mut socket).await;
            socket
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html>",
                )
                .await
                .unwrap();
            open.push(socket);
        }
    });
    let started = Instant::now();
    let err = short_timeout_client()
        .get_text(&format!("http://{addr}/"))
        .await
        .unwrap_err();
    assert_eq!(err, NetError::Timeout);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = local_client()
        .get_text(&format!("http://{addr}/"))
        .await
        .unwrap_err();
    assert_eq!(err, NetError::Connect);
}

#[tokio::test]
async fn only_html_is_accepted() {
    let (base, _) = serve().await;
    let client = local_client();
    for path in ["/json", "/untyped"] {
        let err = client.get_text(&format!("{base}{path}")).await.unwrap_err();
        assert_eq!(err, NetError::NotHtml, "{path}");
        assert_eq!(err.code(), "net.not_html");
    }
    let page = client.get_text(&format!("{base}/xhtml")).await.unwrap();
    assert_eq!(page.content_type, "application/xhtml+xml");
}

#[tokio::test]
async fn error_statuses_are_reported() {
    let (base, _) = serve().await;
    let err = local_client()
        .get_text(&format!("{base}/missing"))
        .await
        .unwrap_err();
    assert_eq!(err, NetError::Status(404));
    assert_eq!(err.code(), "net.status");
}

#[tokio::test]
async fn charsets_from_header_and_meta() {
    let (base, _) = serve().await;
    let client = local_client();
    let page = client
        .get_text(&format!("{base}/windows-1255"))
        .await
        .unwrap();
    assert_eq!(page.body, "<title>שלום ₪</title>");
    let card = link_card(&client, &format!("{base}/meta-latin1"))
        .await
        .unwrap();
    assert_eq!(card.title.as_deref(), Some("Café"));
}

#[test]
fn an_invalid_user_agent_is_a_client_error() {
    let err = SafeClient::new(FetchPolicy {
        user_agent: "bad\nagent".into(),
        ..FetchPolicy::default()
    })
    .unwrap_err();
    assert_eq!(err.code(), "net.client");
}
