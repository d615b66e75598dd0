//! One typed, documented settings struct. Sources, strongest first: command-line flags,
//! `KEHILLA_*` environment variables, the TOML file (`--config`), the defaults below. With no
//! settings at all, Kehilla serves http://127.0.0.1:8080 on SQLite in `./kehilla-data/`.
//! Every field is described in docs/configuration.md.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A secret value: never printed by `Debug` or logs.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address and port to listen on.
    pub listen: String,
    /// `sqlite:…` or `postgres://…`. Empty: SQLite in `data_dir`.
    pub database_url: Option<Secret>,
    /// Where the embedded database and other files live.
    pub data_dir: PathBuf,
    /// The address people use to reach this server, for links in emails. Empty: `http://{listen}`.
    pub base_url: Option<String>,
    pub log_format: LogFormat,
    /// A tracing filter, e.g. `info` or `kehilla=debug,info`.
    pub log_level: String,
    /// SMTP relay for the server's own mail, e.g. `smtp://user:pass@host:587?tls=required`.
    /// Empty: mail that would be sent is written to the log instead.
    pub smtp_url: Option<Secret>,
    /// The From address of the server's own mail.
    pub mail_from: String,
    /// Days a login lasts without use.
    pub session_days: u32,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Database connections in the pool.
    pub db_max_connections: u32,
    /// A bound, in MiB, on the memory SQLite keeps for all connections together (page caches
    /// and prepared statements); 0 leaves it unbounded. Not used on PostgreSQL.
    pub sqlite_memory_mib: u32,
    /// Jobs run at once by this process; 0 runs no worker (a web-only node).
    pub job_workers: u32,
    /// Seconds a claimed job stays leased before another worker may take it over.
    pub job_lease_secs: u64,
    /// Login attempts allowed per email per window (three times as many per client address).
    pub login_attempts: u32,
    /// The login rate-limit window, in seconds.
    pub login_window_secs: u64,
    /// Seconds to let running jobs finish after SIGTERM (requests in flight always finish).
    pub shutdown_grace_secs: u64,
    /// Behind a reverse proxy: take the client's address from `X-Forwarded-For`. Only turn on
    /// when the proxy sets that header, or clients could choose their own address.
    pub trust_proxy: bool,
    /// Largest file accepted for an import of people, in bytes.
    pub max_import_bytes: usize,
    /// Largest image or video accepted by the media library, in bytes.
    pub max_upload_bytes: usize,
    /// Keep media files in an S3-compatible store instead of `data_dir`:
    /// `s3://KEY_ID:SECRET@host[:port]/bucket[/prefix]?region=REGION` (`s3+http://` without TLS).
    pub media_store_url: Option<Secret>,
    /// The key that seals network tokens in the database: 64 hex digits. Empty: a key the
    /// instance keeps in its own database (a copy of the database then opens the tokens).
    pub secret_key: Option<Secret>,
    /// Let link previews fetch pages on private and loopback addresses. For tests only: on a
    /// real server this would let users make the server fetch internal addresses (SSRF).
    pub fetch_private: bool,
    /// Kehilla's app on each network that signs in with OAuth (`x`, `linkedin`, `facebook`,
    /// `instagram`, `threads`): its client id and secret, made in the network's developer
    /// console with the callback `{base_url}/oauth/callback`. Mastodon servers need none.
    pub oauth_apps: std::collections::BTreeMap<String, OauthApp>,
    /// SMTP relays for campaigns, tried in turn: lettre's URL form
    /// (`smtp://user:pass@host:587?tls=required`, `smtps://…`) with two more parameters,
    /// `connections` (default 4) and `per_second` (default no limit). Empty: `smtp_url`; with
    /// neither, campaigns go to the built-in sink (demo mode) and nothing leaves the server.
    pub campaign_relays: Vec<Secret>,
    /// What the networks' own figure names measure, added to (or overriding) the built-in map
    /// when a network renames one: `{ "impressionCount" = "views", "reach" = "" }`. A kind is
    /// one of `views`, `likes`, `replies`, `shares`, `quotes`, `saves`, `clicks`, or empty to
    /// leave the figure out.
    pub metric_names: std::collections::BTreeMap<String, String>,
    /// A TrueType font with Hebrew letters for the PDF of the monthly report. Empty: DejaVu Sans
    /// (or another known one) where the system has it.
    pub report_font: Option<PathBuf>,
    /// The domain of the per-recipient bounce addresses (`bounces+…@{bounce_domain}`) and of
    /// campaign Message-IDs; its MX should reach the inbound SMTP listener [default: the host
    /// of `base_url`].
    pub bounce_domain: Option<String>,
    /// Where the inbound SMTP listener that takes bounces and complaint reports listens, e.g.
    /// `0.0.0.0:25` [default: not started].
    pub inbound_smtp_listen: Option<String>,
}

/// An app registered with a network for signing in.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct OauthApp {
    pub client_id: String,
    pub client_secret: Secret,
    /// Sends every call of this network (sign-in pages, tokens, API) to this address instead of
    /// the network's own hosts, keeping the paths. For tests against local fakes only.
    pub base_url: Option<String>,
    /// Facebook, Instagram, Threads: the token Meta sends when the webhook is subscribed
    /// (`/hooks/meta/{network}`); the app secret signs the deliveries.
    pub webhook_verify_token: Option<Secret>,
}

/// The networks whose sign-in uses an app of the instance.
pub const OAUTH_NETWORKS: [&str; 5] = ["x", "linkedin", "facebook", "instagram", "threads"];

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("./kehilla-data"),
            base_url: None,
            log_format: LogFormat::Text,
            log_level: "info".into(),
            smtp_url: None,
            mail_from: "Kehilla <kehilla@localhost>".into(),
            session_days: 14,
            max_body_bytes: 1024 * 1024,
            db_max_connections: 10,
            sqlite_memory_mib: 16,
            job_workers: 4,
            job_lease_secs: 300,
            login_attempts: 10,
            login_window_secs: 300,
            shutdown_grace_secs: 20,
            trust_proxy: false,
            max_import_bytes: 64 * 1024 * 1024,
            max_upload_bytes: 100 * 1024 * 1024,
            fetch_private: false,
            media_store_url: None,
            secret_key: None,
            oauth_apps: std::collections::BTreeMap::new(),
            campaign_relays: Vec::new(),
            metric_names: std::collections::BTreeMap::new(),
            report_font: None,
            bounce_domain: None,
            inbound_smtp_listen: None,
        }
    }
}

impl Settings {
    /// Reads a TOML file; unknown keys are an error, so a typo does not go unnoticed.
    pub fn from_toml(text: &str) -> Result<Settings, String> {
        toml::from_str(text).map_err(|e| {
            let full = e.to_string();
            let place = full.lines().next().unwrap_or_default().to_string();
            format!("{place}: {}", e.message())
        })
    }

    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) if !u.0.trim().is_empty() => u.0.trim().to_string(),
            _ => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("kehilla.sqlite3").display()
            ),
        }
    }

    pub fn base_url(&self) -> String {
        match &self.base_url {
            Some(u) if !u.trim().is_empty() => u.trim().trim_end_matches('/').to_string(),
            _ => format!("http://{}", self.listen),
        }
    }

    /// Cookies get `Secure` when people reach us over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url().starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_nothing() {
        let s = Settings::default();
        assert_eq!(s.listen, "127.0.0.1:8080");
        assert_eq!(
            s.database_url(),
            "sqlite://./kehilla-data/kehilla.sqlite3?mode=rwc"
        );
        assert_eq!(s.base_url(), "http://127.0.0.1:8080");
        assert!(!s.secure_cookies());
    }

    #[test]
    fn toml_overrides_and_rejects_typos() {
        let s = Settings::from_toml("listen = \"0.0.0.0:9000\"\nbase_url = \"https://k.example/\"")
            .unwrap();
        assert_eq!(s.listen, "0.0.0.0:9000");
        assert_eq!(s.base_url(), "https://k.example");
        assert!(s.secure_cookies());
        assert!(Settings::from_toml("lisen = \"x\"").is_err());
    }

    #[test]
    fn secrets_are_redacted() {
        let s = Settings {
            smtp_url: Some(Secret("smtp://u:hunter2@h".into())),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
