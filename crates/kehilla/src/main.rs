//! The command line of Kehilla. See `kehilla --help` and docs/configuration.md.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use kehilla::{StartError, open_and_migrate};
use kehilla_app::Settings;
use kehilla_app::settings::{LogFormat, Secret};

#[derive(Parser)]
#[command(
    name = "kehilla",
    version,
    about = "Kehilla: one place for a nonprofit's whole public conversation."
)]
struct Cli {
    #[command(flatten)]
    settings: SettingsArgs,
    #[command(subcommand)]
    command: Command,
}

/// Every setting; a flag beats its KEHILLA_* variable, which beats the TOML file.
#[derive(Args, Default)]
struct SettingsArgs {
    /// TOML settings file
    #[arg(long, global = true, env = "KEHILLA_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Address and port to listen on [default: 127.0.0.1:8080]
    #[arg(long, global = true, env = "KEHILLA_LISTEN", value_name = "ADDR")]
    listen: Option<String>,
    /// sqlite:… or postgres://… [default: SQLite in the data directory]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// Folder for the embedded database [default: ./kehilla-data]
    #[arg(long, global = true, env = "KEHILLA_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Public address of this server, for links in emails [default: http://LISTEN]
    #[arg(long, global = true, env = "KEHILLA_BASE_URL", value_name = "URL")]
    base_url: Option<String>,
    /// Log format: text or json [default: text]
    #[arg(long, global = true, env = "KEHILLA_LOG_FORMAT", value_name = "FORMAT")]
    log_format: Option<String>,
    /// Log filter, e.g. info or kehilla=debug [default: info]
    #[arg(long, global = true, env = "KEHILLA_LOG_LEVEL", value_name = "FILTER")]
    log_level: Option<String>,
    /// SMTP relay for the server's own mail, e.g. smtp://user:pass@host:587?tls=required [default: none; mail goes to the log]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_SMTP_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    smtp_url: Option<String>,
    /// From address of the server's own mail [default: Kehilla <kehilla@localhost>]
    #[arg(long, global = true, env = "KEHILLA_MAIL_FROM", value_name = "ADDRESS")]
    mail_from: Option<String>,
    /// Days a login lasts without use [default: 14]
    #[arg(long, global = true, env = "KEHILLA_SESSION_DAYS", value_name = "DAYS")]
    session_days: Option<u32>,
    /// Largest accepted request body in bytes [default: 1048576]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_MAX_BODY_BYTES",
        value_name = "BYTES"
    )]
    max_body_bytes: Option<usize>,
    /// Database connections in the pool [default: 10]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_DB_MAX_CONNECTIONS",
        value_name = "N"
    )]
    db_max_connections: Option<u32>,
    /// MiB of memory SQLite may keep for caches, all connections together; 0: no bound [default: 16]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_SQLITE_MEMORY_MIB",
        value_name = "MIB"
    )]
    sqlite_memory_mib: Option<u32>,
    /// Jobs this process runs at once; 0 for a web-only node [default: 4]
    #[arg(long, global = true, env = "KEHILLA_JOB_WORKERS", value_name = "N")]
    job_workers: Option<u32>,
    /// Seconds a job stays leased before another worker may take it over [default: 300]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_JOB_LEASE_SECS",
        value_name = "SECS"
    )]
    job_lease_secs: Option<u64>,
    /// Login attempts per email (and 3× per client address) per window [default: 10]
    #[arg(long, global = true, env = "KEHILLA_LOGIN_ATTEMPTS", value_name = "N")]
    login_attempts: Option<u32>,
    /// Login rate-limit window in seconds [default: 300]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_LOGIN_WINDOW_SECS",
        value_name = "SECS"
    )]
    login_window_secs: Option<u64>,
    /// Seconds to let running jobs finish after SIGTERM [default: 20]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_SHUTDOWN_GRACE_SECS",
        value_name = "SECS"
    )]
    shutdown_grace_secs: Option<u64>,
    /// Behind a reverse proxy: read the client address from X-Forwarded-For [default: false]
    #[arg(long, global = true, env = "KEHILLA_TRUST_PROXY", value_name = "BOOL")]
    trust_proxy: Option<bool>,
    /// Largest file accepted for an import of people, in bytes [default: 67108864]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_MAX_IMPORT_BYTES",
        value_name = "BYTES"
    )]
    max_import_bytes: Option<usize>,
    /// Largest image or video accepted by the media library, in bytes [default: 104857600]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_MAX_UPLOAD_BYTES",
        value_name = "BYTES"
    )]
    max_upload_bytes: Option<usize>,
    /// Keep media in an S3-compatible store: s3://KEY:SECRET@host/bucket?region=R [default: data_dir]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_MEDIA_STORE_URL",
        value_name = "URL"
    )]
    media_store_url: Option<String>,
    /// Key sealing network tokens in the database: 64 hex digits [default: kept in the database]
    #[arg(long, global = true, env = "KEHILLA_SECRET_KEY", value_name = "HEX")]
    secret_key: Option<String>,
    /// Let link previews fetch private and loopback addresses; for tests only [default: false]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_FETCH_PRIVATE",
        value_name = "BOOL"
    )]
    fetch_private: Option<bool>,
    /// SMTP relays for campaigns, separated by spaces [default: smtp_url, else the built-in sink]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_CAMPAIGN_RELAYS",
        value_name = "URLS"
    )]
    campaign_relays: Option<String>,
    /// What the networks' figure names measure, e.g. `impressionCount=views,reach=` (see
    /// docs/configuration.md)
    #[arg(
        long,
        global = true,
        env = "KEHILLA_METRIC_NAMES",
        value_name = "NAME=KIND,…"
    )]
    metric_names: Option<String>,
    /// A TrueType font with Hebrew letters for the report's PDF [default: DejaVu Sans, if there]
    #[arg(long, global = true, env = "KEHILLA_REPORT_FONT", value_name = "FILE")]
    report_font: Option<std::path::PathBuf>,
    /// Domain of the bounce addresses and Message-IDs of campaigns [default: base_url's host]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_BOUNCE_DOMAIN",
        value_name = "DOMAIN"
    )]
    bounce_domain: Option<String>,
    /// Address of the inbound SMTP listener for bounces and complaints [default: off]
    #[arg(
        long,
        global = true,
        env = "KEHILLA_INBOUND_SMTP_LISTEN",
        value_name = "ADDR"
    )]
    inbound_smtp_listen: Option<String>,
}

impl SettingsArgs {
    fn resolve(&self) -> Result<Settings, StartError> {
        let mut s = match &self.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    StartError(format!(
                        "cannot read the settings file {}: {e}",
                        path.display()
                    ))
                })?;
                Settings::from_toml(&text).map_err(|e| {
                    StartError(format!(
                        "the settings file {} is not valid: {}",
                        path.display(),
                        e.lines().next().unwrap_or_default()
                    ))
                })?
            }
            None => Settings::default(),
        };
        if let Some(v) = &self.listen {
            s.listen = v.clone();
        }
        if let Some(v) = &self.database_url {
            s.database_url = Some(Secret(v.clone()));
        }
        if let Some(v) = &self.data_dir {
            s.data_dir = v.clone();
        }
        if let Some(v) = &self.base_url {
            s.base_url = Some(v.clone());
        }
        if let Some(v) = &self.log_format {
            s.log_format = match v.as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                other => {
                    return Err(StartError(format!(
                        "--log-format must be text or json, not \"{other}\"."
                    )));
                }
            };
        }
        if let Some(v) = &self.log_level {
            s.log_level = v.clone();
        }
        if let Some(v) = &self.smtp_url {
            s.smtp_url = Some(Secret(v.clone()));
        }
        if let Some(v) = &self.mail_from {
            s.mail_from = v.clone();
        }
        if let Some(v) = self.session_days {
            s.session_days = v;
        }
        if let Some(v) = self.max_body_bytes {
            s.max_body_bytes = v;
        }
        if let Some(v) = self.db_max_connections {
            s.db_max_connections = v;
        }
        if let Some(v) = self.sqlite_memory_mib {
            s.sqlite_memory_mib = v;
        }
        if let Some(v) = self.job_workers {
            s.job_workers = v;
        }
        if let Some(v) = self.job_lease_secs {
            s.job_lease_secs = v;
        }
        if let Some(v) = self.login_attempts {
            s.login_attempts = v;
        }
        if let Some(v) = self.login_window_secs {
            s.login_window_secs = v;
        }
        if let Some(v) = self.shutdown_grace_secs {
            s.shutdown_grace_secs = v;
        }
        if let Some(v) = self.trust_proxy {
            s.trust_proxy = v;
        }
        if let Some(v) = self.max_import_bytes {
            s.max_import_bytes = v;
        }
        if let Some(v) = self.max_upload_bytes {
            s.max_upload_bytes = v;
        }
        if let Some(v) = &self.media_store_url {
            s.media_store_url = Some(kehilla_app::settings::Secret(v.clone()));
        }
        if let Some(v) = &self.secret_key {
            s.secret_key = Some(kehilla_app::settings::Secret(v.clone()));
        }
        if let Some(v) = self.fetch_private {
            s.fetch_private = v;
        }
        if let Some(v) = &self.campaign_relays {
            s.campaign_relays = v
                .split_whitespace()
                .map(|u| kehilla_app::settings::Secret(u.to_string()))
                .collect();
        }
        if let Some(v) = &self.metric_names {
            for pair in v.split(',').filter(|p| !p.trim().is_empty()) {
                let Some((name, kind)) = pair.split_once('=') else {
                    return Err(StartError(format!(
                        "metric_names: \"{pair}\" is not NAME=KIND (an empty KIND leaves the figure out)"
                    )));
                };
                s.metric_names
                    .insert(name.trim().to_string(), kind.trim().to_string());
            }
        }
        if let Some(v) = &self.report_font {
            s.report_font = Some(v.clone());
        }
        if let Some(v) = &self.bounce_domain {
            s.bounce_domain = Some(v.clone());
        }
        if let Some(v) = &self.inbound_smtp_listen {
            s.inbound_smtp_listen = Some(v.clone());
        }
        for relay in &s.campaign_relays {
            if let Err(e) = kehilla_app::messaging::send::parse_relay(relay.expose()) {
                return Err(StartError(format!("campaign_relays: {e}")));
            }
        }
        // The networks' apps: KEHILLA_OAUTH_<NETWORK>_CLIENT_ID, _CLIENT_SECRET and (Meta's
        // webhooks) _WEBHOOK_VERIFY_TOKEN.
        for network in kehilla_app::settings::OAUTH_NETWORKS {
            let var = |what: &str| {
                std::env::var(format!("KEHILLA_OAUTH_{}_{what}", network.to_uppercase()))
                    .ok()
                    .filter(|v| !v.trim().is_empty())
            };
            if let Some(id) = var("CLIENT_ID") {
                let app = s.oauth_apps.entry(network.to_string()).or_default();
                app.client_id = id.trim().to_string();
            }
            if let Some(secret) = var("CLIENT_SECRET") {
                let app = s.oauth_apps.entry(network.to_string()).or_default();
                app.client_secret = kehilla_app::settings::Secret(secret.trim().to_string());
            }
            if let Some(token) = var("WEBHOOK_VERIFY_TOKEN") {
                let app = s.oauth_apps.entry(network.to_string()).or_default();
                app.webhook_verify_token =
                    Some(kehilla_app::settings::Secret(token.trim().to_string()));
            }
        }
        if let Some(bad) = s
            .oauth_apps
            .keys()
            .find(|k| !kehilla_app::settings::OAUTH_NETWORKS.contains(&k.as_str()))
        {
            return Err(StartError(format!(
                "oauth_apps.{bad}: not a network that signs in with an app (one of {})",
                kehilla_app::settings::OAUTH_NETWORKS.join(", ")
            )));
        }
        Ok(s)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server and the job workers
    Serve {
        /// Load the demo organizations first (if they are not there yet)
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit
    Migrate,
    /// Load the demo organizations and print how to log in
    Demo,
    /// Copy the SQLite database to FILE while the server runs
    Backup {
        file: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// Replace the SQLite database with the backup FILE (server stopped)
    Restore {
        file: PathBuf,
        /// Overwrite a database that holds data
        #[arg(long)]
        force: bool,
    },
    /// Background jobs
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Write an organization's archive (data, media files, a static copy of its site) to FILE
    Export {
        /// The organization's short name
        #[arg(long)]
        org: String,
        file: PathBuf,
    },
    /// Import an organization's archive (made by `kehilla export`), or people from a CSV or XLSX
    /// file into an organization (`--org`), columns guessed from the headers
    Import {
        file: PathBuf,
        /// The organization's short name: where people go; for an archive, a new short name
        #[arg(long)]
        org: Option<String>,
        /// Record consent for this channel (email, sms, whatsapp) …
        #[arg(long, requires_all = ["consent_purpose", "consent_basis"])]
        consent_channel: Option<String>,
        /// … and this purpose (newsletter, donation_appeals, advocacy, event_reminders, transactional) …
        #[arg(long)]
        consent_purpose: Option<String>,
        /// … on this basis (how the people in the file agreed)
        #[arg(long)]
        consent_basis: Option<String>,
    },
    /// Count the people a segment filter selects, e.g. '{"op":"role","value":"donor"}'
    Count {
        /// The organization's short name
        #[arg(long)]
        org: String,
        filter: String,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Enqueue probe jobs that record which worker ran them, to check that workers run
    Probe {
        #[arg(long, default_value_t = 1)]
        count: u32,
        /// Pause inside each job, in milliseconds
        #[arg(long, default_value_t = 0)]
        pause_ms: u64,
    },
}

fn init_logs(s: &Settings) -> Result<(), StartError> {
    let filter = tracing_subscriber::EnvFilter::try_new(&s.log_level).map_err(|e| {
        StartError(format!(
            "the log filter \"{}\" is not valid ({e}); use e.g. info or kehilla=debug,info.",
            s.log_level
        ))
    })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match s.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
    Ok(())
}

fn main() -> ExitCode {
    // Before any thread starts: a thread takes its malloc arena at its first allocation.
    tune_malloc();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Keeps a long-running server's memory from creeping up under glibc's allocator.
///
/// By default glibc gives each thread that allocates its own arena, up to eight per core,
/// and keeps in each the high-water mark of that thread's allocations. Every SQLite
/// connection has its own thread, so a pool of ten held ten arenas whose size followed the
/// largest sort or result each connection had ever made, growing with the database (see
/// docs/benchmarks.md, the soak runs). Two arenas are shared by all threads instead, and
/// blocks of 128 KiB or more are mapped on their own and given back when freed (glibc would
/// otherwise raise that threshold after the first large block, and keep large blocks in the
/// arenas too). An operator who sets glibc's own `GLIBC_TUNABLES`, `MALLOC_ARENA_MAX` or
/// `MALLOC_MMAP_THRESHOLD_` keeps their values.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    let set_by_operator = [
        "GLIBC_TUNABLES",
        "MALLOC_ARENA_MAX",
        "MALLOC_MMAP_THRESHOLD_",
    ]
    .iter()
    .any(|v| std::env::var_os(v).is_some());
    if set_by_operator {
        return;
    }
    // SAFETY: `mallopt` only changes the allocator's parameters, which glibc guards with its
    // own lock; it is called once, before the program starts any thread.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

/// How often `serve` gives the memory malloc holds free back to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MEMORY_TRIM_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Once a minute, from its start, `serve` has glibc give back to the system the pages it holds
/// free inside its arenas (`malloc_trim`): what stays resident is then what is in use, not the
/// high-water mark of the busiest moment since the start (the soak runs of docs/benchmarks.md).
/// Each time is logged at debug level with how much resident memory it gave back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn spawn_memory_trim() {
    tokio::spawn(async {
        let mut every = tokio::time::interval(MEMORY_TRIM_EVERY);
        loop {
            every.tick().await;
            if let Ok(Some(kib)) = tokio::task::spawn_blocking(trim_memory).await {
                tracing::debug!("memory: gave back {kib} KiB of freed memory to the system");
            }
        }
    });
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn spawn_memory_trim() {}

/// Gives malloc's free pages back to the system; returns how much resident memory fell, in KiB.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim_memory() -> Option<u64> {
    let before = resident_bytes();
    // SAFETY: `malloc_trim` is safe to call from any thread at any time: it takes each arena's
    // lock while it walks that arena.
    unsafe {
        libc::malloc_trim(0);
    }
    Some(before?.saturating_sub(resident_bytes()?) / 1024)
}

/// This process's resident memory, from `/proc/self/statm` (its second field, in pages).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: `sysconf` only reads a value of the system.
    let page = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
    pages.checked_mul(page)
}

async fn run(cli: Cli) -> Result<(), StartError> {
    let settings = cli.settings.resolve()?;
    init_logs(&settings)?;
    match cli.command {
        Command::Serve { demo } => {
            let db = open_and_migrate(&settings).await?;
            if demo {
                load_demo(&db, &settings).await?;
            }
            let listener = kehilla::bind(&settings.listen).await?;
            let server = kehilla::start(db, settings, listener).await?;
            spawn_memory_trim();
            tracing::info!(
                "Kehilla is listening on {} (database: {})",
                server.base_url(),
                server.state.db.backend().name()
            );
            kehilla::shutdown_signal().await;
            tracing::info!("shutting down: finishing requests and jobs");
            server.stop().await;
            Ok(())
        }
        Command::Migrate => {
            let db = open_and_migrate(&settings).await?;
            let applied = db
                .applied_migrations()
                .await
                .map_err(|e| StartError(e.to_string()))?;
            println!(
                "database is up to date: {} migrations applied ({})",
                applied.len(),
                db.backend().name()
            );
            Ok(())
        }
        Command::Demo => {
            let db = open_and_migrate(&settings).await?;
            load_demo(&db, &settings).await
        }
        Command::Backup { file, force } => {
            let bytes = kehilla::backup(&settings, &file, force).await?;
            println!("backup written to {} ({bytes} bytes)", file.display());
            Ok(())
        }
        Command::Restore { file, force } => {
            kehilla::restore(&settings, &file, force).await?;
            println!("restored from {}", file.display());
            Ok(())
        }
        Command::Export { org, file } => {
            let db = open_and_migrate(&settings).await?;
            let storage = kehilla_app::studio::media::Storage::from_settings(&settings);
            let (rows, files) = kehilla_app::home::archive::export(
                &db,
                &storage,
                &settings.base_url(),
                &org,
                &file,
            )
            .await
            .map_err(|e| StartError(format!("the export failed: {e}")))?;
            println!(
                "archive of {org} written to {}: {rows} rows, {files} files",
                file.display()
            );
            Ok(())
        }
        Command::Import {
            file,
            org,
            consent_channel,
            consent_purpose,
            consent_basis,
        } => {
            let db = open_and_migrate(&settings).await?;
            if kehilla_app::home::archive::is_archive(&file) {
                let storage = kehilla_app::studio::media::Storage::from_settings(&settings);
                let (slug, rows) =
                    kehilla_app::home::archive::import(&db, &storage, &file, org.as_deref())
                        .await
                        .map_err(|e| StartError(format!("the archive was not imported: {e}")))?;
                println!("imported {} as {slug}: {rows} rows", file.display());
                return Ok(());
            }
            let org = org.ok_or_else(|| {
                StartError("--org names the organization the people go to".into())
            })?;
            let basis = consent_channel.map(|channel| kehilla_app::people::import::Basis {
                channel,
                purpose: consent_purpose.unwrap_or_default(),
                basis: consent_basis.unwrap_or_default(),
            });
            let started = std::time::Instant::now();
            let imp = kehilla::import_file(&db, &org, &file, basis).await?;
            println!(
                "imported {}: {} rows, {} added, {} updated, {} not imported ({:.1} s)",
                file.display(),
                imp.total_rows,
                imp.created_count,
                imp.updated_count,
                imp.error_count,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Count { org, filter } => {
            let db = open_and_migrate(&settings).await?;
            let (n, ms) = kehilla::count_segment(&db, &org, &filter).await?;
            let who = if n == 1 { "person" } else { "people" };
            println!("{n} {who} ({ms:.1} ms)");
            Ok(())
        }
        Command::Jobs(JobsCommand::Probe { count, pause_ms }) => {
            let db = open_and_migrate(&settings).await?;
            for _ in 0..count {
                let payload = serde_json::json!({"pause_ms": pause_ms});
                kehilla_db::jobs::enqueue(
                    &db.pool,
                    kehilla_db::jobs::NewJob::new("probe", payload),
                )
                .await
                .map_err(|e| StartError(e.to_string()))?;
            }
            println!("{count} probe jobs queued; a running `kehilla serve` will run them");
            Ok(())
        }
    }
}

async fn load_demo(db: &kehilla_db::Db, settings: &Settings) -> Result<(), StartError> {
    let fresh = kehilla_app::demo::load(db)
        .await
        .map_err(|e| StartError(format!("loading the demo failed: {e}")))?;
    if !fresh {
        println!("The demo was already loaded.");
    }
    println!("{}", kehilla_app::demo::login_help(&settings.base_url()));
    Ok(())
}
