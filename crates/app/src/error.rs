use kehilla_db::DbError;
use kehilla_domain::validate::InputError;
use thiserror::Error;

#[derive(Debug, Clone, Error)]
pub enum AppError {
    /// Bad user input; the field it concerns, when there is one.
    #[error("input {field}: {error}")]
    Input {
        field: &'static str,
        error: InputError,
    },
    #[error("not signed in")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A stable code naming what conflicts, e.g. `email-taken`, `last-owner`.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("wrong email or password")]
    BadCredentials,
    #[error("rate limited for {0} s")]
    RateLimited(u64),
    #[error("setup already done")]
    AlreadySetUp,
    #[error("invitation invalid")]
    InvitationInvalid,
    #[error("reset link invalid")]
    ResetInvalid,
    /// The second step of a login is gone (too late, too many tries): start over.
    #[error("login expired")]
    LoginExpired,
    /// The organization asks this member to turn two-factor login on first.
    #[error("two-factor login required")]
    TwoFactorRequired,
    #[error("mail could not be sent")]
    MailFailed,
    /// An upload that can't be used: `media-too-large`, `media-unsupported`, `media-corrupt`…
    #[error("media: {0}")]
    Media(&'static str),
    /// The database cannot be reached right now (restarting, network): try again shortly.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The disk (or the database's space) is full.
    #[error("storage full: {0}")]
    StorageFull(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    pub fn input(field: &'static str) -> impl Fn(InputError) -> AppError {
        move |error| AppError::Input { field, error }
    }

    /// The stable code: the API's `code` and the suffix of the Fluent id `error-{code}`.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Input { .. } => "invalid-input",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not-found",
            AppError::Conflict(c) => c,
            AppError::BadCredentials => "bad-credentials",
            AppError::RateLimited(_) => "rate-limited",
            AppError::AlreadySetUp => "already-set-up",
            AppError::InvitationInvalid => "invitation-invalid",
            AppError::ResetInvalid => "reset-invalid",
            AppError::LoginExpired => "login-expired",
            AppError::TwoFactorRequired => "two-factor-required",
            AppError::MailFailed => "mail-failed",
            AppError::Media(c) => c,
            AppError::Unavailable(_) => "unavailable",
            AppError::StorageFull(_) => "storage-full",
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => AppError::NotFound,
            DbError::Conflict("email") => AppError::Conflict("email-taken"),
            DbError::Conflict("slug") => AppError::Conflict("slug-taken"),
            DbError::Conflict("member") => AppError::Conflict("already-member"),
            DbError::Conflict(
                c @ ("site-domain-taken" | "site-page-slug-taken" | "board-slug-taken"),
            ) => AppError::Conflict(c),
            DbError::Conflict(_) => AppError::Conflict("conflict"),
            DbError::Sqlx(e) => e.into(),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<kehilla_db::sqlx::Error> for AppError {
    fn from(e: kehilla_db::sqlx::Error) -> Self {
        use kehilla_db::sqlx::Error as E;
        let text = e.to_string();
        match &e {
            // The server is gone, restarting, or not taking connections.
            E::PoolTimedOut | E::PoolClosed | E::Io(_) | E::Tls(_) | E::WorkerCrashed => {
                AppError::Unavailable(text)
            }
            E::Database(d) => match d.code().as_deref() {
                // SQLite's SQLITE_FULL; PostgreSQL's disk_full.
                Some("13" | "53100") => AppError::StorageFull(text),
                // SQLite busy or locked; PostgreSQL out of memory or of connections, shutting
                // down or starting, and lost connections: all pass.
                Some("5" | "6" | "53200" | "53300") => AppError::Unavailable(text),
                Some(c) if c.starts_with("08") || c.starts_with("57P") => {
                    AppError::Unavailable(text)
                }
                _ => AppError::Internal(text),
            },
            _ => AppError::Internal(text),
        }
    }
}

/// An I/O error of the server's own files: a full disk says so, anything else is internal.
pub fn io_error(e: &std::io::Error) -> AppError {
    if e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28) {
        AppError::StorageFull(e.to_string())
    } else {
        AppError::Internal(e.to_string())
    }
}
