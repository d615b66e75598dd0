#![recursion_limit = "512"]
//! Kehilla's HTTP surface: the HTML UI, the JSON API and its OpenAPI document, health checks
//! and assets. Handlers are thin: they parse input, call a use case in `kehilla-app`, and render.
//!
//! Errors: handlers return [`error::WebError`] (an `AppError` or a page-level problem). It
//! becomes a bare status plus an [`error::ErrorInfo`] extension; the context middleware renders
//! it as translated HTML or JSON, in the language of the request. Rejections of axum's own
//! extractors (malformed forms and JSON, oversized bodies) are translated by the same path.

pub mod api;
pub mod api_people;
pub mod api_studio;
pub mod assets;
pub mod chart;
pub mod ctx;
pub mod error;
pub mod i18n;
pub mod openapi;
pub mod pages;
pub mod routes;
pub mod site_hosts;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use kehilla_app::Settings;
use kehilla_app::jobs::Worker;
use kehilla_app::mail::Mailer;
use kehilla_app::ratelimit::RateLimiter;
use kehilla_app::studio::links::ClickRecorder;
use kehilla_app::studio::media::Storage;
use kehilla_db::Db;
use kehilla_net::{FetchPolicy, SafeClient};

pub use routes::{Access, RouteInfo};

pub struct Inner {
    pub db: Db,
    pub settings: Settings,
    pub mailer: Mailer,
    pub login_by_ip: RateLimiter,
    pub login_by_email: RateLimiter,
    /// Public form submissions per client address.
    pub forms_by_ip: RateLimiter,
    /// This process's job worker, woken when a request enqueues a job.
    pub worker: Option<Worker>,
    /// Where media files are kept.
    pub storage: Storage,
    /// Resolves short-link codes and records clicks.
    pub clicks: ClickRecorder,
    /// Fetches linked pages for link cards, refusing private addresses.
    pub fetcher: Option<SafeClient>,
}

#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, settings: Settings, mailer: Mailer, worker: Option<Worker>) -> AppState {
        let window = Duration::from_secs(settings.login_window_secs.max(1));
        let n = settings.login_attempts.max(1);
        // `kehilla::start` has checked the store's URL; a bad one never gets here.
        let storage = Storage::from_settings(&settings);
        let clicks = ClickRecorder::start(db.clone());
        let fetcher = SafeClient::new(FetchPolicy {
            allow_private: settings.fetch_private,
            ..FetchPolicy::default()
        })
        .map_err(|e| tracing::error!(error = %e, "no link-preview client; link cards are off"))
        .ok();
        AppState(Arc::new(Inner {
            storage,
            clicks,
            fetcher,
            db,
            mailer,
            login_by_ip: RateLimiter::new(n.saturating_mul(3), window),
            login_by_email: RateLimiter::new(n, window),
            forms_by_ip: RateLimiter::new(20, Duration::from_secs(600)),
            worker,
            settings,
        }))
    }
}

/// The whole application, and the list of its routes with their access rules.
pub fn app(state: AppState) -> (Router, Vec<RouteInfo>) {
    let (router, list) = routes::all(state.clone());
    let max = state.settings.max_body_bytes;
    let router = router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ctx::context,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(max))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state.clone());
    // Organizations' own domains are mapped to their sites before routing.
    let router =
        Router::new()
            .fallback_service(router)
            .layer(axum::middleware::from_fn_with_state(
                state,
                site_hosts::rewrite,
            ));
    (router, list)
}
