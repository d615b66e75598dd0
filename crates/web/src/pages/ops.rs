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
