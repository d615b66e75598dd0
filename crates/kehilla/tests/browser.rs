//! The real UI in headless Chromium: first-run setup, login, language switch, and the layout
//! direction of Hebrew and English pages. Screenshots go to target/screenshots/.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::TestApp;

struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver, or says why not. CI sets KEHILLA_REQUIRE_BROWSER so that a missing
/// browser fails the run instead of skipping.
fn start_driver() -> Option<Driver> {
    let required = std::env::var("KEHILLA_REQUIRE_BROWSER").is_ok();
    let bin = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let Some(bin) = bin else {
        assert!(
            !required,
            "chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: chromedriver is not installed");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::yield_now();
    }
    Some(Driver { child, port })
}

async fn browser(driver: &Driver) -> Client {
    let profile = crate::support::temp_dir();
    let mut caps = serde_json::Map::new();
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or("/usr/bin/chromium");
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,900", "--lang=he", format!("--user-data-dir={}", profile.display())]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("open a browser session")
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

async fn screenshot(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

async fn fill(c: &Client, id: &str, text: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn wait_for(c: &Client, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if js(c, script).await == Value::Bool(true) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for `{script}`"
        );
        // Between two pages there may be no body yet: that only means "not yet".
        let _ = c
            .wait()
            .at_most(Duration::from_millis(200))
            .for_element(Locator::Css("body"))
            .await;
    }
}

/// Where the first navigation item sits: right of centre in Hebrew, left in English.
const FIRST_NAV_ON_RIGHT: &str = "const a = document.querySelector('nav.areas a'); const r = a.getBoundingClientRect(); return r.left > window.innerWidth / 2;";

#[tokio::test]
async fn first_run_login_and_language_switch_in_chromium() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn().await;
    let c = browser(&driver).await;

    c.goto(&app.url("/")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().ends_with("/setup"));
    assert_eq!(js(&c, "return document.documentElement.dir").await, "rtl");
    assert_eq!(
        js(&c, "return getComputedStyle(document.body).direction").await,
        "rtl"
    );
    screenshot(&c, "setup-he").await;

    // Keyboard first: Tab reaches the skip link before anything else.
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .unwrap();
    assert_eq!(
        js(&c, "return document.activeElement.className").await,
        "skip"
    );

    fill(&c, "org_name", "יד ביד — Volunteers").await;
    fill(&c, "org_slug", "yad-beyad").await;
    fill(&c, "name", "דנה לוי").await;
    fill(&c, "email", "dana@example.org").await;
    fill(&c, "password", crate::support::PASSWORD).await;
    click(&c, "setup-submit").await;
    wait_for(&c, "return location.pathname === '/orgs/yad-beyad'").await;
    assert_eq!(js(&c, "return document.documentElement.lang").await, "he");
    assert_eq!(
        js(&c, FIRST_NAV_ON_RIGHT).await,
        true,
        "Hebrew navigation runs right to left"
    );
    // Every form control has a label.
    let unlabelled = js(&c, "return [...document.querySelectorAll('input:not([type=hidden]), select')].filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length").await;
    assert_eq!(unlabelled, 0);
    screenshot(&c, "overview-he").await;

    click(&c, "switch-lang").await;
    wait_for(&c, "return document.documentElement.lang === 'en'").await;
    assert_eq!(js(&c, "return document.documentElement.dir").await, "ltr");
    assert_eq!(
        js(&c, "return getComputedStyle(document.body).direction").await,
        "ltr"
    );
    assert_eq!(
        js(&c, FIRST_NAV_ON_RIGHT).await,
        false,
        "English navigation runs left to right"
    );
    screenshot(&c, "overview-en").await;

    // Log out and in again: English is remembered for this person.
    click(&c, "logout").await;
    wait_for(&c, "return location.pathname === '/login'").await;
    js(
        &c,
        "document.cookie = 'kehilla_lang=; Max-Age=0; path=/'; return true",
    )
    .await;
    fill(&c, "email", "dana@example.org").await;
    fill(&c, "password", crate::support::PASSWORD).await;
    click(&c, "login-submit").await;
    wait_for(&c, "return location.pathname === '/orgs/yad-beyad'").await;
    assert_eq!(js(&c, "return document.documentElement.lang").await, "en");

    c.goto(&app.url("/orgs/yad-beyad/settings/members"))
        .await
        .unwrap();
    screenshot(&c, "members-en").await;
    click(&c, "switch-lang").await;
    wait_for(&c, "return document.documentElement.lang === 'he'").await;
    assert_eq!(
        js(
            &c,
            "return getComputedStyle(document.querySelector('main')).direction"
        )
        .await,
        "rtl"
    );
    // Mixed Hebrew/English names keep their own direction.
    assert_eq!(
        js(
            &c,
            "return document.querySelector('.switcher summary bdi').getAttribute('dir')"
        )
        .await,
        "auto"
    );
    screenshot(&c, "members-he").await;

    c.close().await.unwrap();
    app.stop().await;
}
