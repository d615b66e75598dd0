//! All SQL of Kehilla lives here, for both backends.
//!
//! One SQL text per query serves SQLite and PostgreSQL through sqlx's `Any` driver: `$1`
//! placeholders, `BIGINT`/`INTEGER` keys, integer Unix milliseconds for instants, integers
//! instead of booleans. Where the dialects really differ (claiming a job), the query is chosen by
//! [`Backend`]. This keeps one code path per query instead of two, which is why we chose `Any`
//! over an enum of two typed pools (see docs/architecture.md).
//!
//! Errors: every function returns [`DbError`]; the web layer maps `NotFound`/`Conflict` to 404/409
//! and logs everything else as an internal error without showing it.

pub mod activitypub;
pub mod audit;
pub mod automations;
pub mod consent;
pub mod discussions;
pub mod events;
pub mod forms;
pub mod imports;
pub mod inbox;
pub mod jobs;
pub mod measure;
pub mod messaging;
pub mod orgs;
pub mod people;
pub mod publishing;
pub mod segments;
pub mod sessions;
pub mod site;
pub mod studio;
pub mod tokens;
pub mod two_factor;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Transaction};
use thiserror::Error;

pub use sqlx;

pub type Tx = Transaction<'static, Any>;

#[derive(Debug, Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("the database URL is not valid: {0}")]
    BadUrl(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl DbError {
    /// Turns a unique-constraint violation into `Conflict(what)`.
    pub fn unique(e: sqlx::Error, what: &'static str) -> DbError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => DbError::Conflict(what),
            _ => DbError::Sqlx(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, DbError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(DbError::BadUrl(
                "it must start with sqlite: or postgres://".into(),
            ))
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// The database: a pool and which backend is behind it. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Connects (creating a SQLite file when `mode=rwc` is in the URL). Does not migrate.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let opts = AnyConnectOptions::from_str(url).map_err(|e| DbError::BadUrl(e.to_string()))?;
        let mut pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            // A connection whose rollback failed (SQLite rolls back by itself on a full disk,
            // then refuses the ROLLBACK) still counts a transaction and could never begin
            // another: it is closed rather than handed out.
            .before_acquire(|conn, _| {
                Box::pin(async move {
                    use sqlx::Connection;
                    Ok(!conn.is_in_transaction())
                })
            });
        if backend == Backend::Sqlite {
            pool = pool.after_connect(|conn, _| {
                Box::pin(async move {
                    use sqlx::Executor;
                    conn.execute(
                        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 15000; \
                         PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = pool.connect_with(opts).await?;
        // Write-ahead logging lets readers go on while one writer commits; the mode is stored
        // in the file, so setting it once is enough (and impossible on a read-only file).
        if backend == Backend::Sqlite && !url.contains("mode=ro") {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Bounds the memory SQLite keeps — every connection's page cache and prepared
    /// statements together — to `mib` MiB (0: no bound). Past it, SQLite frees cached pages
    /// before it allocates more, so the memory of a long-running server levels off however
    /// large the database grows; the pages it frees are still in the operating system's file
    /// cache. The bound is SQLite's `soft_heap_limit`, which holds for the whole process.
    /// Nothing to do on PostgreSQL.
    pub async fn limit_sqlite_memory(&self, mib: u32) -> Result<()> {
        if self.backend == Backend::Sqlite {
            let bytes = i64::from(mib) * 1024 * 1024;
            // A number formatted here, not user text.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "PRAGMA soft_heap_limit = {bytes}"
            )))
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        self.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// The versions of the embedded migrations, for the drift test and `kehilla migrate`.
    pub fn known_migrations(backend: Backend) -> Vec<i64> {
        let m = match backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        };
        m.iter().map(|m| m.version).collect()
    }

    /// Versions applied successfully to this database.
    pub async fn applied_migrations(&self) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT version FROM _sqlx_migrations WHERE success = TRUE ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Reachable and fully migrated: what `/readyz` reports.
    pub async fn is_ready(&self) -> bool {
        match self.applied_migrations().await {
            Ok(applied) => {
                let known = Db::known_migrations(self.backend);
                known.iter().all(|v| applied.contains(v))
            }
            Err(_) => false,
        }
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout instead of failing when a
    /// read lock would have to be upgraded.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A secret the instance keeps for itself, made with `make` the first time it is asked for
    /// (by whichever server of a cluster gets there first; the others read that one).
    pub async fn instance_secret(
        &self,
        name: &str,
        make: impl FnOnce() -> String,
    ) -> Result<String> {
        let read = || async {
            sqlx::query_as::<_, (String,)>("SELECT value FROM instance_secrets WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await
        };
        if let Some((v,)) = read().await? {
            return Ok(v);
        }
        sqlx::query(
            "INSERT INTO instance_secrets (name, value, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(make())
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        read().await?.map(|r| r.0).ok_or(DbError::NotFound)
    }

    /// How many bound values one multi-row statement should carry on this backend.
    pub fn batch_params(&self) -> usize {
        match self.backend {
            Backend::Sqlite => 240,
            Backend::Postgres => 20_000,
        }
    }

    /// Whether a database holds no organization yet (first run, restore without --force).
    pub async fn is_empty(&self) -> Result<bool> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organizations")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    /// Writes a consistent copy of a SQLite database to `file` with `VACUUM INTO`, which reads
    /// one snapshot while others keep reading and writing.
    pub async fn backup_to(&self, file: &std::path::Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(DbError::BadUrl("backups here are for SQLite".into()));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(file.to_string_lossy().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `NotFound` when a statement that targets one row of an organization touched none: the row
/// is not there, or belongs to another organization.
pub(crate) fn touched(r: &sqlx::any::AnyQueryResult) -> Result<()> {
    if r.rows_affected() == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}

/// `'a', 'b'` for `IN (…)` from state names the code itself passes (letters, digits, `-` and
/// `_` only; anything else is left out, so no value can reach the SQL text).
pub(crate) fn state_list(states: &[&str]) -> String {
    states
        .iter()
        .map(|s| {
            let clean: String = s
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                .collect();
            format!("'{clean}'")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// An opaque, time-ordered public id for URLs and the API.
pub fn new_public_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// When a public id was made (Unix ms): it is a UUIDv7, whose first 48 bits are that time.
/// `None` for anything else.
pub fn time_of_public_id(id: &str) -> Option<i64> {
    let u = uuid::Uuid::parse_str(id).ok()?;
    if u.get_version_num() != 7 {
        return None;
    }
    let (secs, nanos) = u.get_timestamp()?.to_unix();
    i64::try_from(secs)
        .ok()?
        .checked_mul(1000)?
        .checked_add(i64::from(nanos / 1_000_000))
}

/// `n` random bytes, hex-encoded: for tokens shown once and stored hashed.
pub fn random_hex(n: usize) -> String {
    let mut buf = vec![0u8; n];
    // getrandom fails only when the OS has no entropy source at all; then a fixed token would
    // be a security hole, so we fall back to the time-ordered UUID's randomness mixed in.
    if getrandom::fill(&mut buf).is_err() {
        let u = uuid::Uuid::new_v4();
        for (i, b) in buf.iter_mut().enumerate() {
            *b ^= u.as_bytes().get(i % 16).copied().unwrap_or(0);
        }
    }
    hex::encode(buf)
}

/// A query text assembled only from constant pieces (column lists, a backend's locking clause);
/// values are always bound, never formatted in.
#[macro_export]
macro_rules! sql {
    ($($t:tt)*) => { $crate::sqlx::AssertSqlSafe(format!($($t)*)) };
}

#[cfg(test)]
mod tests {
    #[test]
    fn public_ids_carry_the_time_they_were_made() {
        let before = super::now_ms();
        let id = super::new_public_id();
        let t = super::time_of_public_id(&id).unwrap();
        assert!(t >= before && t <= super::now_ms(), "{t}");
        assert_eq!(super::time_of_public_id("not-an-id"), None);
        assert_eq!(
            super::time_of_public_id("6ba7b8109dad11d180b400c04fd430c8"),
            None,
            "a UUID of another version"
        );
    }
}
