//! The `kehilla` program: settings, start-up checks, the server and the worker in one process,
//! backups. `main.rs` is only the command line over these functions, so that tests start the
//! very same server.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kehilla_app::Settings;
use kehilla_app::jobs::{JobContext, Registry, Worker};
use kehilla_app::mail::Mailer;
use kehilla_db::{Backend, Db};
use kehilla_web::AppState;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// A start-up failure, said in one line with what to do about it.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

/// The URL with any password hidden, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let (head, tail) = url.split_at(at);
            match head.rfind(':') {
                Some(c) if c > s + 2 => format!("{}:***{}", head.get(..c).unwrap_or(""), tail),
                _ => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Makes sure the data directory exists and can be written.
pub fn prepare_data_dir(dir: &Path) -> Result<(), StartError> {
    let fail = |e: std::io::Error| {
        StartError(format!(
            "cannot write to the data directory {}: {e}. Choose a writable folder with --data-dir or KEHILLA_DATA_DIR.",
            dir.display()
        ))
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(fail)?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// Connects to the database named by the settings (creating the SQLite file on first run).
pub async fn open_db(settings: &Settings) -> Result<Db, StartError> {
    let url = settings.database_url();
    let backend = Backend::from_url(&url).map_err(|_| {
        StartError(format!(
            "the database URL \"{}\" is not valid: it must start with sqlite: or postgres://. Fix --database-url or KEHILLA_DATABASE_URL.",
            redact_url(&url)
        ))
    })?;
    let default_place = settings
        .database_url
        .as_ref()
        .is_none_or(|u| u.expose().trim().is_empty());
    if backend == Backend::Sqlite && default_place {
        prepare_data_dir(&settings.data_dir)?;
    }
    let cannot_open = |e: kehilla_db::DbError| {
        StartError(format!(
            "cannot open the database {}: {}. Check --database-url or KEHILLA_DATABASE_URL, and that the server is running.",
            redact_url(&url),
            one_line(&e.to_string())
        ))
    };
    let db = Db::connect(&url, settings.db_max_connections.max(2))
        .await
        .map_err(cannot_open)?;
    db.limit_sqlite_memory(settings.sqlite_memory_mib)
        .await
        .map_err(cannot_open)?;
    Ok(db)
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}

pub async fn open_and_migrate(settings: &Settings) -> Result<Db, StartError> {
    let db = open_db(settings).await?;
    db.migrate().await.map_err(|e| {
        StartError(format!(
            "migrating the database failed: {}",
            one_line(&e.to_string())
        ))
    })?;
    Ok(db)
}

/// A name for this process's worker, unique among processes sharing a database.
pub fn worker_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "kehilla".into());
    format!(
        "{host}-{}-{}",
        std::process::id(),
        &kehilla_db::random_hex(4)
    )
}

/// A running server: its address and a way to stop it gracefully.
pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Stops accepting, finishes in-flight requests and jobs, releases job leases.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.handle.await;
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Binds the listener, with a clear message when the address is taken.
pub async fn bind(listen: &str) -> Result<TcpListener, StartError> {
    TcpListener::bind(listen).await.map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::AddrInUse {
            "the address is already in use (is another Kehilla or program running there?)".to_string()
        } else {
            e.to_string()
        };
        StartError(format!(
            "cannot listen on {listen}: {why}. Choose another address with --listen or KEHILLA_LISTEN."
        ))
    })
}

/// What jobs run with: the database, the mailer and the public address.
pub fn job_context(db: &Db, settings: &Settings, mailer: &Mailer, worker_id: String) -> JobContext {
    JobContext {
        db: db.clone(),
        worker_id,
        mailer: mailer.clone(),
        base_url: settings.base_url(),
        settings: settings.clone(),
    }
}

pub fn mailer(settings: &Settings) -> Result<Mailer, StartError> {
    Mailer::new(
        settings.smtp_url.as_ref().map(|s| s.expose()),
        &settings.mail_from,
    )
    .map_err(|e| StartError(format!("{e}. Fix smtp_url / mail_from.")))
}

/// Starts the web server and (unless `job_workers` is 0) the job worker on `listener`.
pub async fn start(
    db: Db,
    settings: Settings,
    listener: TcpListener,
) -> Result<Server, StartError> {
    let mailer = mailer(&settings)?;
    kehilla_app::publishing::set_metric_names(&settings.metric_names).map_err(StartError)?;
    if let Some(u) = &settings.media_store_url {
        kehilla_app::studio::s3::S3Store::from_url(u.expose()).map_err(StartError)?;
    }
    let worker = (settings.job_workers > 0).then(|| {
        Worker::new(
            job_context(&db, &settings, &mailer, worker_id()),
            Registry::standard(),
            settings.job_lease_secs,
            usize::try_from(settings.job_workers).unwrap_or(1),
        )
    });
    let grace = Duration::from_secs(settings.shutdown_grace_secs);
    let settings_inbound = settings.inbound_smtp_listen.clone();
    let state = AppState::new(db, settings, mailer, worker.clone());
    let (router, _) = kehilla_web::app(state.clone());
    let addr = listener
        .local_addr()
        .map_err(|e| StartError(format!("cannot read the listening address: {e}")))?;
    let (tx, rx) = watch::channel(false);
    if let Some(w) = &worker {
        tokio::spawn(dispatcher(
            state.db.clone(),
            w.clone(),
            state.settings.base_url(),
            rx.clone(),
        ));
    }
    let worker_task = worker.map(|w| tokio::spawn(w.run(rx.clone(), grace)));
    if let Some(addr) = settings_inbound.as_deref().filter(|a| !a.trim().is_empty()) {
        let inbound = TcpListener::bind(addr.trim()).await.map_err(|e| {
            StartError(format!(
                "cannot listen for bounces on {addr}: {e}. Fix inbound_smtp_listen."
            ))
        })?;
        tokio::spawn(kehilla_app::messaging::inbound::serve(
            inbound,
            state.db.clone(),
            rx.clone(),
        ));
    }
    tokio::spawn(housekeeping(state.db.clone(), rx.clone()));
    let mut http_rx = rx.clone();
    let clicks = state.clicks.clone();
    let handle = tokio::spawn(async move {
        let server = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = http_rx.wait_for(|stop| *stop).await;
        });
        if let Err(e) = server.await {
            tracing::error!(error = %e, "the web server stopped with an error");
        }
        // Every request has finished: write the clicks still queued.
        clicks.close().await;
        if let Some(t) = worker_task {
            let _ = t.await;
        }
    });
    Ok(Server {
        addr,
        state,
        shutdown: tx,
        handle,
    })
}

/// Every few seconds, hands the scheduled posts whose time has come to publishing, and wakes
/// the worker. Every server runs it; publications and job keys are unique, so a post is
/// handed over once whichever server gets there first.
async fn dispatcher(db: Db, worker: Worker, base: String, mut stop: watch::Receiver<bool>) {
    let mut tick: u64 = 0;
    loop {
        // Once a minute: tokens about to expire are renewed, the team is warned about channels
        // whose scheduled posts would fail, and published posts' figures are read when due.
        if tick.is_multiple_of(30) {
            let now = kehilla_db::now_ms();
            match kehilla_app::publishing::renew::enqueue_due(&db, now).await {
                Ok(n) if n > 0 => worker.wake(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "queueing token renewals failed"),
            }
            if let Err(e) = kehilla_app::publishing::renew::warn_at_risk(&db, now).await {
                tracing::warn!(error = %e, "warning about channels at risk failed");
            }
            match kehilla_app::publishing::figures::enqueue_due(&db, now).await {
                Ok(n) if n > 0 => worker.wake(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "queueing figures failed"),
            }
            // Measure: rollups every ten minutes, levels every hour.
            match kehilla_app::measure::enqueue_due(&db, now).await {
                Ok(n) if n > 0 => worker.wake(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "queueing rollups failed"),
            }
            match kehilla_app::measure::report::enqueue_due(&db, now).await {
                Ok(n) if n > 0 => worker.wake(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "queueing monthly reports failed"),
            }
            // Automations: new people started, due steps handed to their campaigns.
            match kehilla_app::messaging::automations::tick(&db).await {
                Ok(n) if n > 0 => worker.wake(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "running automations failed"),
            }
            // Newly published posts go to the organizations' fediverse followers.
            match kehilla_app::home::activitypub::tick(&db, &base).await {
                Ok(n) if n > 0 => worker.wake(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "queueing fediverse deliveries failed"),
            }
            // Event reminders and thank-yous that are due.
            match kehilla_app::home::events::tick(&db, now).await {
                Ok(n) if n > 0 => worker.wake(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "queueing event reminders failed"),
            }
            // The inbox: the site's and the fediverse's new messages taken, channels polled,
            // digests due.
            match kehilla_app::inbox::send::tick(&db, now).await {
                Ok(()) => worker.wake(),
                Err(e) => tracing::warn!(error = %e, "the inbox's round failed"),
            }
            // A campaign that should be sending has its job queued.
            match kehilla_app::messaging::send::enqueue_due(&db).await {
                Ok(n) if n > 0 => worker.wake(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "queueing campaigns failed"),
            }
        }
        tick = tick.wrapping_add(1);
        // Many posts due at once are handed over in rounds of 500 until none is left, waking
        // the worker after each round so that publishing starts at once.
        for _ in 0..200 {
            match kehilla_app::publishing::dispatch_due(&db, kehilla_db::now_ms()).await {
                Ok(n) if n > 0 => {
                    tracing::info!(posts = n, "posts handed to publishing");
                    worker.wake();
                    if n < kehilla_app::publishing::DISPATCH_ROUND {
                        break;
                    }
                }
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "handing posts to publishing failed");
                    break;
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = stop.wait_for(|s| *s) => return,
        }
    }
}

/// Hourly clean-up of expired sessions and reset links, until shutdown.
async fn housekeeping(db: Db, mut stop: watch::Receiver<bool>) {
    loop {
        match kehilla_db::sessions::delete_expired(&db.pool).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "removing expired sessions failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
            _ = stop.wait_for(|s| *s) => return,
        }
    }
}

async fn owner_of(db: &Db, slug: &str) -> Result<kehilla_app::members::OrgMember, StartError> {
    let org = kehilla_db::orgs::by_slug(&db.pool, slug)
        .await
        .map_err(|e| StartError(e.to_string()))?
        .ok_or_else(|| {
            StartError(format!(
                "there is no organization \"{slug}\"; see the short names on /orgs."
            ))
        })?;
    let members = kehilla_db::orgs::members(&db.pool, org.id)
        .await
        .map_err(|e| StartError(e.to_string()))?;
    let owner = members
        .iter()
        .find(|m| m.role == "owner")
        .ok_or_else(|| StartError(format!("the organization \"{slug}\" has no owner")))?;
    let user = kehilla_db::users::by_id(&db.pool, owner.user_id)
        .await
        .map_err(|e| StartError(e.to_string()))?;
    Ok(kehilla_app::members::OrgMember {
        user,
        org,
        role: kehilla_domain::Role::Owner,
    })
}

/// `kehilla import`: reads a file, guesses its columns and imports it here and now.
pub async fn import_file(
    db: &Db,
    slug: &str,
    file: &Path,
    basis: Option<kehilla_app::people::import::Basis>,
) -> Result<kehilla_db::imports::Import, StartError> {
    use kehilla_app::people::import;
    let by = owner_of(db, slug).await?;
    let bytes = std::fs::read(file)
        .map_err(|e| StartError(format!("cannot read {}: {e}", file.display())))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let fail = |e: kehilla_app::AppError| StartError(format!("the import failed: {}", e.code()));
    let imp = import::upload(db, &by, &name, &bytes).await.map_err(fail)?;
    drop(bytes);
    let preview = import::preview(db, &imp).await.map_err(fail)?;
    import::run_now(db, &by, &imp.public_id, &preview.guesses, basis)
        .await
        .map_err(fail)
}

/// `kehilla count`: how many people a filter selects, and how long counting took.
pub async fn count_segment(db: &Db, slug: &str, filter: &str) -> Result<(i64, f64), StartError> {
    let by = owner_of(db, slug).await?;
    let f: kehilla_db::segments::Filter = serde_json::from_str(filter)
        .map_err(|e| StartError(format!("the filter is not valid: {e}")))?;
    let started = std::time::Instant::now();
    let n = kehilla_app::people::segments::count(db, by.org.id, &f)
        .await
        .map_err(|e| StartError(format!("counting failed: {}", e.code())))?;
    Ok((n, started.elapsed().as_secs_f64() * 1000.0))
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The SQLite file behind the settings, when the database is SQLite.
pub fn sqlite_path(settings: &Settings) -> Option<PathBuf> {
    let url = settings.database_url();
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Some(PathBuf::from(path))
}

const PG_BACKUP_HELP: &str = "backup and restore here are for SQLite; for PostgreSQL use pg_dump and pg_restore (see docs/operations.md)";

/// Writes a consistent copy of the live SQLite database to `file` (`VACUUM INTO`, which reads
/// one snapshot while the server keeps running).
pub async fn backup(settings: &Settings, file: &Path, force: bool) -> Result<u64, StartError> {
    if sqlite_path(settings).is_none() {
        return Err(StartError(PG_BACKUP_HELP.into()));
    }
    if file.exists() {
        if !force {
            return Err(StartError(format!(
                "{} exists already; choose a new file name or add --force to replace it.",
                file.display()
            )));
        }
        std::fs::remove_file(file)
            .map_err(|e| StartError(format!("cannot replace {}: {e}", file.display())))?;
    }
    let source = sqlite_path(settings).unwrap_or_default();
    if !source.exists() {
        return Err(StartError(format!(
            "there is no database at {} to back up; check --data-dir or --database-url.",
            source.display()
        )));
    }
    let db = open_db(settings).await?;
    db.backup_to(file)
        .await
        .map_err(|e| StartError(format!("backup failed: {}", one_line(&e.to_string()))))?;
    db.close().await;
    std::fs::metadata(file)
        .map(|m| m.len())
        .map_err(|e| StartError(format!("backup file missing: {e}")))
}

/// Replaces the SQLite database with a backup. Refuses to overwrite a database that holds any
/// organization unless `force`. The server must not be running.
pub async fn restore(settings: &Settings, file: &Path, force: bool) -> Result<(), StartError> {
    let Some(target) = sqlite_path(settings) else {
        return Err(StartError(PG_BACKUP_HELP.into()));
    };
    // Check the backup first: a SQLite file, holding a Kehilla database.
    let mut magic = [0u8; 16];
    let is_sqlite = std::fs::File::open(file)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok()
        && &magic == b"SQLite format 3\0";
    if !is_sqlite {
        return Err(StartError(format!(
            "{} is not a Kehilla backup (not a SQLite file).",
            file.display()
        )));
    }
    let check = Db::connect(&format!("sqlite://{}?mode=ro", file.display()), 1)
        .await
        .map_err(|e| {
            StartError(format!(
                "cannot open the backup {}: {}",
                file.display(),
                one_line(&e.to_string())
            ))
        })?;
    let ok = check
        .applied_migrations()
        .await
        .is_ok_and(|v| !v.is_empty())
        && check.is_empty().await.is_ok();
    check.close().await;
    if !ok {
        return Err(StartError(format!(
            "{} is not a Kehilla backup.",
            file.display()
        )));
    }
    if target.exists() {
        let current = open_db(settings).await?;
        // When in doubt, the database holds data.
        let empty = current.is_empty().await.unwrap_or(false);
        current.close().await;
        if !empty && !force {
            return Err(StartError(format!(
                "the database {} holds data; restoring would overwrite it. Stop the server and add --force to replace it.",
                target.display()
            )));
        }
    } else if let Some(parent) = target.parent() {
        prepare_data_dir(parent)?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    std::fs::copy(file, &target).map_err(|e| StartError(format!("restore failed: {e}")))?;
    let db = open_and_migrate(settings).await?;
    db.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_are_hidden_in_messages() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://h/db"), "postgres://h/db");
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
    }
}
