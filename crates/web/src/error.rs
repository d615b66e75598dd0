use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kehilla_app::AppError;

/// What the context middleware needs to render an error: a stable code, the field it concerns,
/// and for rate limits the seconds to wait.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub field: Option<&'static str>,
    pub input: Option<&'static str>,
    pub retry_after: Option<u64>,
}

#[derive(Debug)]
pub struct WebError(pub AppError);

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError(e)
    }
}

impl From<kehilla_db::DbError> for WebError {
    fn from(e: kehilla_db::DbError) -> Self {
        WebError(e.into())
    }
}

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Input { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unauthorized | AppError::BadCredentials | AppError::LoginExpired => {
            StatusCode::UNAUTHORIZED
        }
        AppError::Forbidden | AppError::TwoFactorRequired => StatusCode::FORBIDDEN,
        AppError::NotFound | AppError::InvitationInvalid | AppError::ResetInvalid => {
            StatusCode::NOT_FOUND
        }
        AppError::Conflict(_) | AppError::AlreadySetUp => StatusCode::CONFLICT,
        AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::MailFailed => StatusCode::BAD_GATEWAY,
        AppError::Media("media-too-large") => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Media(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match &self.0 {
            AppError::Internal(cause) => tracing::error!(%cause, "internal error"),
            AppError::Unavailable(cause) => tracing::warn!(%cause, "the database is unavailable"),
            AppError::StorageFull(cause) => tracing::error!(%cause, "storage is full"),
            _ => {}
        }
        let info = info_of(&self.0);
        let mut r = status_of(&self.0).into_response();
        r.extensions_mut().insert(info);
        r
    }
}

pub fn info_of(e: &AppError) -> ErrorInfo {
    {
        ErrorInfo {
            code: e.code(),
            field: match e {
                AppError::Input { field, .. } => Some(field),
                _ => None,
            },
            input: match e {
                AppError::Input { error, .. } => Some(error.code()),
                _ => None,
            },
            retry_after: match e {
                AppError::RateLimited(s) => Some(*s),
                AppError::Unavailable(_) => Some(30),
                _ => None,
            },
        }
    }
}

/// A bare error status for the middleware to render, for failures found in the web layer.
pub fn status_error(status: StatusCode, code: &'static str) -> Response {
    let mut r = status.into_response();
    r.extensions_mut().insert(ErrorInfo {
        code,
        field: None,
        input: None,
        retry_after: None,
    });
    r
}

pub type WebResult<T> = Result<T, WebError>;
