//! The test harness: a real server per test, browsers with cookie jars, helpers named after
//! what people do, and a deterministic hook (`run_pending_jobs`) instead of sleeps.

#![allow(dead_code)]

pub mod proxy;
pub mod smtp;

use std::path::PathBuf;
use std::sync::Arc;

use kehilla::Server;
use kehilla_app::Settings;
use kehilla_app::settings::Secret;
use kehilla_db::Db;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Response, StatusCode, Url};

pub const PASSWORD: &str = "a-long-test-password";

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backends to run "both backends" tests on: SQLite, and PostgreSQL when configured.
/// In CI a missing PostgreSQL is a failure, not a skip.
pub fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::Sqlite];
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        v.push(Backend::Postgres);
    } else if std::env::var("CI").is_ok() {
        panic!("TEST_DATABASE_URL must be set in CI so that PostgreSQL is tested");
    }
    v
}

/// A fresh, empty database: a temporary SQLite file, or a new schema on PostgreSQL.
pub struct TestDb {
    pub url: String,
    pub dir: PathBuf,
    schema: Option<(String, String)>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        TestDb::new_in(backend, temp_dir()).await
    }

    /// A fresh database whose files (the SQLite file, media) are in `dir`.
    pub async fn new_in(backend: Backend, dir: PathBuf) -> TestDb {
        match backend {
            Backend::Sqlite => TestDb {
                url: format!(
                    "sqlite://{}?mode=rwc",
                    dir.join("kehilla.sqlite3").display()
                ),
                dir,
                schema: None,
            },
            Backend::Postgres => {
                let admin_url = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
                let schema = format!("t_{}", kehilla_db::random_hex(8));
                let admin = Db::connect(&admin_url, 1)
                    .await
                    .expect("connect to PostgreSQL");
                kehilla_db::sqlx::query(kehilla_db::sqlx::AssertSqlSafe(format!(
                    "CREATE SCHEMA {schema}"
                )))
                .execute(&admin.pool)
                .await
                .unwrap();
                admin.close().await;
                let sep = if admin_url.contains('?') { '&' } else { '?' };
                TestDb {
                    url: format!("{admin_url}{sep}options=-c%20search_path%3D{schema}"),
                    dir,
                    schema: Some((admin_url, schema)),
                }
            }
        }
    }

    pub async fn connect(&self) -> Db {
        let db = Db::connect(&self.url, 5).await.expect("connect");
        db.migrate().await.expect("migrate");
        db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((admin_url, schema)) = self.schema.take() {
            // Drop the schema from a thread of its own: Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(db) = Db::connect(&admin_url, 1).await {
                        let _ = kehilla_db::sqlx::query(kehilla_db::sqlx::AssertSqlSafe(format!(
                            "DROP SCHEMA IF EXISTS {schema} CASCADE"
                        )))
                        .execute(&db.pool)
                        .await;
                        db.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// A port on 127.0.0.1 that nothing listens on, for a server a test starts itself.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn temp_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("kehilla-test-{}", kehilla_db::random_hex(6)));
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub struct TestApp {
    pub server: Option<Server>,
    pub base: String,
    pub db: Db,
    pub settings: Settings,
    pub backend: Backend,
    pub testdb: TestDb,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_on(Backend::Sqlite, |_| {}).await
    }

    pub async fn spawn_on(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        TestApp::spawn_via(backend, tweak, |url| url.to_string()).await
    }

    /// Like `spawn_on`, with the server reaching its database at `route(url)` (through a
    /// proxy, say); the test's own `db` connects directly.
    pub async fn spawn_via(
        backend: Backend,
        tweak: impl FnOnce(&mut Settings),
        route: impl FnOnce(&str) -> String,
    ) -> TestApp {
        TestApp::spawn_with(TestDb::new(backend).await, tweak, route).await
    }

    /// Like `spawn_via`, on a database made beforehand.
    pub async fn spawn_with(
        testdb: TestDb,
        tweak: impl FnOnce(&mut Settings),
        route: impl FnOnce(&str) -> String,
    ) -> TestApp {
        let backend = if testdb.url.starts_with("sqlite") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let mut settings = Settings {
            database_url: Some(Secret(testdb.url.clone())),
            data_dir: testdb.dir.clone(),
            listen: "127.0.0.1:0".into(),
            // Tests run jobs with run_pending_jobs(), deterministically.
            job_workers: 0,
            shutdown_grace_secs: 2,
            ..Settings::default()
        };
        tweak(&mut settings);
        let db = testdb.connect().await;
        let listener = kehilla::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        if settings.base_url.is_none() {
            settings.base_url = Some(format!("http://{addr}"));
        }
        let routed = route(&testdb.url);
        let server_db = if routed == testdb.url {
            db.clone()
        } else {
            settings.database_url = Some(Secret(routed.clone()));
            Db::connect(&routed, 5)
                .await
                .expect("connect through the route")
        };
        let server = kehilla::start(server_db, settings.clone(), listener)
            .await
            .unwrap();
        TestApp {
            base: server.base_url(),
            server: Some(server),
            db,
            settings,
            backend,
            testdb,
        }
    }

    /// A new browser with an empty cookie jar.
    pub fn browser(&self) -> Browser {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser {
            client,
            jar,
            base: self.base.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Runs every due job now, in this process: the deterministic hook instead of sleeping.
    pub async fn run_pending_jobs(&self) -> usize {
        let mailer = kehilla::mailer(&self.settings).unwrap();
        let ctx = kehilla::job_context(&self.db, &self.settings, &mailer, "test-worker".into());
        let w = kehilla_app::jobs::Worker::new(ctx, kehilla_app::jobs::Registry::standard(), 60, 1);
        w.run_pending().await.unwrap()
    }

    /// First run: creates the organization `slug` and its owner, and returns the owner's
    /// signed-in browser.
    pub async fn set_up(&self, slug: &str, owner_email: &str) -> Browser {
        let b = self.browser();
        let r = b
            .post_form(
                "/setup",
                &[
                    ("org_name", "עמותת בדיקה"),
                    ("org_slug", slug),
                    ("name", "דנה בודקת"),
                    ("email", owner_email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}",
            r.text().await.unwrap_or_default()
        );
        b
    }

    /// Invites someone to `org` with `role` (as `admin`) and has them join with a new account.
    pub async fn invite_and_join(
        &self,
        admin: &Browser,
        org: &str,
        role: &str,
        email: &str,
    ) -> Browser {
        let link = admin.create_invitation(org, role).await;
        let path = link.strip_prefix(&self.base).unwrap().to_string();
        let b = self.browser();
        let r = b
            .post_form(
                &path,
                &[
                    ("name", "Test Person"),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}",
            r.text().await.unwrap_or_default()
        );
        b
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.stop().await;
        }
    }
}

/// A person's browser: a cookie jar, CSRF handled like a page would.
pub struct Browser {
    pub client: reqwest::Client,
    pub jar: Arc<Jar>,
    pub base: String,
}

impl Browser {
    pub fn cookie(&self, name: &str) -> Option<String> {
        let url: Url = self.base.parse().unwrap();
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        let s = r.status();
        (s, r.text().await.unwrap())
    }

    /// The CSRF token a page would carry (fetched from a page when the jar has none yet).
    pub async fn csrf(&self) -> String {
        if let Some(c) = self.cookie("kehilla_csrf") {
            return c;
        }
        self.get("/healthz").await;
        self.cookie("kehilla_csrf").expect("csrf cookie")
    }

    /// Posts a form as the page would, with its CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.client
            .post(format!("{}{}", self.base, path))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    pub async fn log_in(&self, email: &str, password: &str) -> Response {
        self.post_form("/login", &[("email", email), ("password", password)])
            .await
    }

    pub async fn create_invitation(&self, org: &str, role: &str) -> String {
        let r = self
            .post_form(
                &format!("/orgs/{org}/settings/invitations"),
                &[("role", role), ("note", "בדיקה")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.unwrap();
        extract_value(&html, "invite-link").expect("invitation link on the page")
    }

    pub async fn create_token(&self, org: &str, scope: &str) -> String {
        let r = self
            .post_form(
                &format!("/orgs/{org}/settings/tokens"),
                &[("name", "בדיקה"), ("scope", scope)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.unwrap();
        extract_value(&html, "new-token").expect("token on the page")
    }
}

/// The `value` of the input with `id` in a page.
pub fn extract_value(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let rest = html.get(at..)?;
    let v = rest.find("value=\"")?;
    let rest = rest.get(v + 7..)?;
    let end = rest.find('"')?;
    Some(rest.get(..end)?.replace("&#38;", "&").replace("&amp;", "&"))
}

/// The Location header of a redirect.
pub fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Percent-encodes a query value.
pub fn urlenc(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .unwrap()
        .trim_start_matches('=')
        .to_string()
}
