use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// The process is alive.
pub async fn healthz() -> Response {
    (
        StatusCode::OK,
        axum::Json(serde_json::json!({"status": "ok"})),
    )
        .into_response()
}

/// `/.well-known/security.txt` (RFC 9116): where to report a vulnerability — the server's
/// own address (`mail_from`) — valid for a year from now, in Hebrew or English.
pub async fn security_txt(State(st): State<AppState>) -> Response {
    let from = &st.settings.mail_from;
    let address = from
        .rsplit_once('<')
        .map_or(from.as_str(), |(_, a)| a.trim_end_matches('>'))
        .trim();
    let expires = chrono::Utc::now() + chrono::Duration::days(365);
    let base = st.settings.base_url();
    let body = format!(
        "Contact: mailto:{address}\nExpires: {}\nPreferred-Languages: he, en\n\
         Canonical: {}/.well-known/security.txt\n",
        expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        base.trim_end_matches('/')
    );
    (
        StatusCode::OK,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// The database is reachable and every migration is applied.
pub async fn readyz(State(st): State<AppState>) -> Response {
    if st.db.is_ready().await {
        (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ready", "database": st.db.backend().name()})),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"status": "not-ready"})),
        )
            .into_response()
    }
}
