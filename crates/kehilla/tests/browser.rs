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
    let port = crate::support::free_port();
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

/// A one-page web server on another port: the organization's own site, another origin.
async fn other_site(html: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let html = html.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    html.len()
                );
                let _ = s.write_all(head.as_bytes()).await;
                let _ = s.write_all(html.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}/")
}

/// A visitor on the organization's own site signs up through the embedded form, in Hebrew,
/// confirms by the emailed link, and later leaves in one click; the ledger shows each step.
#[tokio::test]
async fn a_visitor_signs_up_through_an_embedded_form_and_unsubscribes_in_one_click() {
    let Some(driver) = start_driver() else { return };
    let (sink, app) = crate::people::sink_app().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let form = crate::people::create_form(&owner, "yad").await;
    let c = browser(&driver).await;

    // The organization's own page, on another origin, with the iframe snippet.
    let page = format!(
        "<!doctype html><html dir=rtl lang=he><meta charset=utf-8><body><h1>עמותת יד ביד</h1><iframe src=\"{}/f/{form}/embed\" style=\"width:100%;height:600px\"></iframe></body></html>",
        app.base
    );
    let site = other_site(page).await;
    c.goto(&site).await.unwrap();
    c.wait().for_element(Locator::Css("iframe")).await.unwrap();
    c.enter_frame(0).await.unwrap();
    c.wait().for_element(Locator::Id("email")).await.unwrap();
    assert_eq!(js(&c, "return document.documentElement.dir").await, "rtl");
    fill(&c, "first_name", "נועה").await;
    fill(&c, "last_name", "Levi לוי").await;
    fill(&c, "email", "noa@example.org").await;
    c.find(Locator::Css("input[name=consent][value='0']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.enter_parent_frame().await.unwrap();
    screenshot(&c, "form-embedded-he").await;
    c.enter_frame(0).await.unwrap();
    click(&c, "form-submit").await;
    c.wait()
        .for_element(Locator::Id("form-check-email"))
        .await
        .unwrap();
    c.enter_parent_frame().await.unwrap();

    // The confirmation mail went over SMTP; the link confirms.
    assert_eq!(app.run_pending_jobs().await, 1);
    let mail = sink.all().pop().unwrap();
    let body = crate::people::mail_body_pub(&mail.data);
    let link = body
        .lines()
        .find(|l| l.contains("/f/confirm/"))
        .unwrap()
        .trim()
        .to_string();
    c.goto(&link).await.unwrap();
    click(&c, "confirm-button").await;
    c.wait().for_element(Locator::Id("message")).await.unwrap();
    assert!(c.source().await.unwrap().contains("ההרשמה אושרה"));
    screenshot(&c, "form-confirmed-he").await;

    // In the list, with the consent and its wording.
    let p = kehilla_db::people::by_email(&app.db.pool, 1, "noa@example.org")
        .await
        .unwrap()
        .unwrap();
    let lists = kehilla_db::people::lists_of(&app.db.pool, p.id)
        .await
        .unwrap();
    assert_eq!(lists.len(), 1, "added to the form's list");
    let h = kehilla_db::consent::history(&app.db.pool, 1, p.id)
        .await
        .unwrap();
    assert_eq!(
        (h.len(), h[0].given, h[0].wording.as_str()),
        (1, 1, "אני מסכים/ה לקבל את הניוזלטר של העמותה.")
    );

    // One click to leave.
    let token = kehilla_app::people::links::token(&app.db, &p.public_id)
        .await
        .unwrap();
    c.goto(&app.url(&format!("/u/{token}"))).await.unwrap();
    assert_eq!(
        js(&c, "return getComputedStyle(document.body).direction").await,
        "rtl"
    );
    click(&c, "unsubscribe-button").await;
    c.wait()
        .for_element(Locator::Id("unsubscribed"))
        .await
        .unwrap();
    screenshot(&c, "unsubscribed-he").await;
    let h = kehilla_db::consent::history(&app.db.pool, 1, p.id)
        .await
        .unwrap();
    assert!(
        h[0].given == 0 && h[0].source == "unsubscribe",
        "the newest ledger entry is the withdrawal"
    );
    let current = kehilla_db::consent::current(&app.db.pool, 1, p.id)
        .await
        .unwrap();
    assert!(
        current
            .iter()
            .filter(|e| e.channel == "email")
            .all(|e| e.given == 0)
    );

    // The staff's view of the same person: the ledger, newest first, in Hebrew.
    c.goto(&app.url("/login")).await.unwrap();
    fill(&c, "email", "dana@example.org").await;
    fill(&c, "password", crate::support::PASSWORD).await;
    click(&c, "login-submit").await;
    wait_for(&c, "return location.pathname === '/orgs/yad'").await;
    c.goto(&app.url(&format!("/orgs/yad/people/{}", p.public_id)))
        .await
        .unwrap();
    c.find(Locator::Css("#consent-history")).await.unwrap();
    js(
        &c,
        "document.querySelector('#consent-history').closest('details').open = true; return true",
    )
    .await;
    assert!(c.source().await.unwrap().contains("הסרה בלחיצה"));
    screenshot(&c, "person-he").await;
    c.goto(&app.url("/orgs/yad/people")).await.unwrap();
    screenshot(&c, "people-he").await;

    c.close().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_contributor_writes_a_story_with_a_photo_and_an_editor_approves_and_moves_it() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    app.invite_and_join(&owner, "yad", "editor", "noa@example.org")
        .await;
    app.invite_and_join(&owner, "yad", "contributor", "amir@example.org")
        .await;
    let r = owner
        .post_form(
            "/orgs/yad/studio/channels",
            &[
                ("network", "x"),
                ("name", "X של העמותה"),
                ("slots", "10:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
    let photo_path = crate::support::temp_dir().join("garden.jpg");
    std::fs::write(
        &photo_path,
        kehilla_media::sample::photo_with_location(640, 480),
    )
    .unwrap();
    let c = browser(&driver).await;
    let log_in = |email: &'static str| {
        let c = c.clone();
        let url = app.url("/login");
        async move {
            c.goto(&url).await.unwrap();
            fill(&c, "email", email).await;
            fill(&c, "password", crate::support::PASSWORD).await;
            click(&c, "login-submit").await;
            wait_for(&c, "return location.pathname === '/orgs/yad'").await;
        }
    };

    // The contributor writes a story in Hebrew for X, with a planned day next month.
    log_in("amir@example.org").await;
    c.goto(&app.url("/orgs/yad/studio/new")).await.unwrap();
    fill(&c, "title", "יום ההתנדבות בגינה").await;
    fill(
        &c,
        "body",
        "השבוע שתלנו 40 עצים בגינה הקהילתית עם 25 מתנדבים #התנדבות",
    )
    .await;
    c.find(Locator::Css("input[name=channel]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let planned = "2099-06-10T10:00";
    js(
        &c,
        &format!("document.getElementById('scheduled_at').value = '{planned}'; return true"),
    )
    .await;
    click(&c, "save-post").await;
    wait_for(&c, "return location.search.includes('done=post-created')").await;

    // A photo: uploaded with its GPS position, which is removed and said so.
    c.find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(photo_path.to_str().unwrap())
        .await
        .unwrap();
    fill(&c, "alt_text", "מתנדבים שותלים עצים").await;
    click(&c, "upload").await;
    wait_for(
        &c,
        "return location.search.includes('media-uploaded-location-removed')",
    )
    .await;

    // The X version turns red as it grows past 280 and says by how much.
    let area = "document.querySelector('#variant-x textarea.counted')";
    let counter = "document.querySelector('#variant-x output.counter')";
    assert_eq!(
        js(&c, &format!("return {counter}.classList.contains('over')")).await,
        false
    );
    c.find(Locator::Css("#variant-x textarea.counted"))
        .await
        .unwrap()
        .send_keys(&" ועוד מתנדבים".repeat(20))
        .await
        .unwrap();
    wait_for(&c, &format!("return {counter}.classList.contains('over') && {counter}.textContent.includes('ארוך מדי ב־')")).await;
    screenshot(&c, "studio-variant-over-he").await;
    // Shortened, saved, and sent for approval.
    js(&c, &format!("{area}.value = 'שתלנו 40 עצים עם 25 מתנדבים #התנדבות'; {area}.dispatchEvent(new Event('input')); return true")).await;
    wait_for(&c, &format!("return !{counter}.classList.contains('over')")).await;
    c.find(Locator::Css("#variant-x button.save-variant"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&c, "return location.search.includes('done=variant-saved')").await;
    click(&c, "submit-post").await;
    wait_for(&c, "return location.search.includes('done=post-submitted')").await;
    screenshot(&c, "studio-submitted-he").await;
    click(&c, "logout").await;

    // The editor approves it: with its planned time, it goes on the schedule.
    log_in("noa@example.org").await;
    let (post,): (String,) = kehilla_db::sqlx::query_as("SELECT public_id FROM posts")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    c.goto(&app.url(&format!("/orgs/yad/studio/posts/{post}")))
        .await
        .unwrap();
    click(&c, "approve-post").await;
    wait_for(&c, "return location.search.includes('done=post-approved')").await;
    assert!(
        c.source()
            .await
            .unwrap()
            .contains("id=\"post-status\">מתוזמן")
    );

    // On the calendar, dragged from the 10th to the 12th.
    c.goto(&app.url("/orgs/yad/calendar?date=2099-06-01"))
        .await
        .unwrap();
    c.find(Locator::Css(&format!("li[data-post='{post}']")))
        .await
        .unwrap();
    screenshot(&c, "calendar-month-he").await;
    js(
        &c,
        &format!(
            "const dt = new DataTransfer(); \
             const li = document.querySelector(\"li[data-post='{post}']\"); \
             li.dispatchEvent(new DragEvent('dragstart', {{bubbles: true, dataTransfer: dt}})); \
             const td = document.querySelector(\"td[data-day='2099-06-12']\"); \
             td.dispatchEvent(new DragEvent('dragover', {{bubbles: true, cancelable: true, dataTransfer: dt}})); \
             td.dispatchEvent(new DragEvent('drop', {{bubbles: true, cancelable: true, dataTransfer: dt}})); \
             return true"
        ),
    )
    .await;
    wait_for(
        &c,
        &format!("const li = document.querySelector(\"li[data-post='{post}']\"); return !!li && li.closest('td').dataset.day === '2099-06-12'"),
    )
    .await;
    let (at,): (i64,) = kehilla_db::sqlx::query_as("SELECT scheduled_at FROM posts")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        kehilla_app::studio::local_input(chrono_tz::Asia::Jerusalem, at),
        "2099-06-12T10:00"
    );

    // The photo as served carries no EXIF.
    let (media,): (String,) = kehilla_db::sqlx::query_as("SELECT public_id FROM media")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    for file in ["original", "large"] {
        let bytes = reqwest::get(app.url(&format!("/m/{media}/{file}")))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(!bytes.is_empty() && !kehilla_media::has_exif(&bytes));
    }
    c.close().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_hebrew_campaign_reads_right_to_left_in_chromium_with_english_inside_it() {
    let Some(driver) = start_driver() else { return };
    let sink = crate::support::smtp::Sink::start().await;
    let relay = sink.url();
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, move |s| {
        s.campaign_relays = vec![kehilla_app::settings::Secret(relay)];
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    crate::messaging::seed_subscribers(&app.db, org.id, 1, "rtl").await;
    let id = crate::messaging::new_block_campaign(&owner).await;
    owner
        .post_form(
            &format!("/orgs/yad/campaigns/{id}/send"),
            &[("when", "now")],
        )
        .await;
    app.run_pending_jobs().await;
    let mail = sink.all().pop().expect("the campaign arrived");
    // The HTML part as a mail client gets it.
    let parts = crate::messaging::decode_parts(&mail.data);
    let html = &parts[parts
        .find("<!doctype")
        .or_else(|| parts.find("<!DOCTYPE"))
        .unwrap()..];
    use base64::Engine;
    let url = format!(
        "data:text/html;charset=utf-8;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(html)
    );
    let c = browser(&driver).await;
    c.goto(&url).await.unwrap();
    assert_eq!(
        js(&c, "return getComputedStyle(document.body).direction").await,
        "rtl"
    );
    // The Hebrew heading sits at the right; the English paragraph reads left to right inside it.
    let heading_right = js(&c, "const h = [...document.querySelectorAll('h2')].find(e => e.textContent.includes('שלום')); const range = document.createRange(); range.selectNodeContents(h); const r = range.getBoundingClientRect(); const box = h.closest('td').getBoundingClientRect(); return box.right - r.right < 40 && r.left - box.left > 40;").await;
    assert_eq!(heading_right, true, "the heading is aligned right");
    let english = js(&c, "const p = [...document.querySelectorAll('p')].find(e => e.textContent.startsWith('This paragraph')); return getComputedStyle(p).direction;").await;
    assert_eq!(english, "ltr", "a paragraph in English reads left to right");
    let hebrew = js(&c, "const p = [...document.querySelectorAll('p')].find(e => e.textContent.startsWith('השנה')); return getComputedStyle(p).direction;").await;
    assert_eq!(hebrew, "rtl");
    // The button is a link to the tracked address.
    let href = js(&c, "return [...document.querySelectorAll('a')].find(a => a.textContent.includes('לתרומה')).href").await;
    assert!(href.as_str().unwrap().contains("/l/"), "{href}");
    screenshot(&c, "campaign-email-he").await;
    let _ = c.close().await;
    app.stop().await;
}

#[tokio::test]
async fn the_site_reads_right_to_left_with_its_previews_and_switches_to_english() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn().await;
    let (_owner, posts) = crate::site::organization_with_posts(&app).await;
    let c = browser(&driver).await;
    c.goto(&app.url("/o/yad")).await.unwrap();
    assert_eq!(js(&c, "return document.documentElement.lang").await, "he");
    assert_eq!(
        js(&c, "return getComputedStyle(document.body).direction").await,
        "rtl"
    );
    assert_eq!(
        js(
            &c,
            "return document.querySelector('meta[property=\"og:type\"]').content"
        )
        .await,
        "website"
    );
    // Each post keeps its own direction: the English one reads left to right.
    let dir_of = |title: &'static str| {
        format!(
            "const a = [...document.querySelectorAll('#site-posts article')].find(e => e.textContent.includes('{title}')); return getComputedStyle(a).direction;"
        )
    };
    assert_eq!(js(&c, &dir_of("A thousand volunteers")).await, "ltr");
    assert_eq!(js(&c, &dir_of("300 סלי מזון לחג")).await, "rtl");
    screenshot(&c, "site-he").await;

    // A post's page and the preview a network would show.
    c.goto(&app.url(&format!("/o/yad/p/{}", crate::support::urlenc(&posts.he))))
        .await
        .unwrap();
    let og = |p: &'static str| {
        format!("return document.querySelector('meta[property=\"{p}\"]').content")
    };
    assert_eq!(js(&c, &og("og:title")).await, "300 סלי מזון לחג");
    assert_eq!(js(&c, &og("og:type")).await, "article");
    assert_eq!(
        js(&c, &og("og:image")).await,
        app.url(&format!("/m/{}/large", posts.media))
    );
    assert_eq!(
        js(
            &c,
            "return document.querySelector('meta[name=\"twitter:card\"]').content"
        )
        .await,
        "summary_large_image"
    );
    // The picture loads (same origin, allowed by the page's policy) and has its alt text.
    wait_for(&c, "const i = document.querySelector('#post img'); return i && i.complete && i.naturalWidth > 0;").await;
    assert_eq!(
        js(&c, "return document.querySelector('#post img').alt").await,
        "מתנדבים אורזים סלי מזון"
    );
    screenshot(&c, "site-post-he").await;

    // The visitor switches to English: the page's frame turns left to right, the Hebrew post
    // stays right to left.
    click(&c, "site-lang").await;
    wait_for(&c, "return document.documentElement.lang === 'en';").await;
    assert_eq!(
        js(&c, "return getComputedStyle(document.body).direction").await,
        "ltr"
    );
    assert_eq!(
        js(
            &c,
            "return getComputedStyle(document.querySelector('#post')).direction"
        )
        .await,
        "rtl"
    );
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/o/yad/p/")
    );
    screenshot(&c, "site-post-en").await;
    c.close().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn the_inbox_is_triaged_with_the_keyboard_in_hebrew() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn().await;
    app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    kehilla_db::inbox::save_reply(
        &app.db.pool,
        org.id,
        "תודה",
        "שלום {{ first_name }}, תודה שכתבת ל{{ org }}!",
    )
    .await
    .unwrap();
    for (i, (name, body)) in [
        ("רות כהן", "מתי החלוקה הבאה? Is it on Friday?"),
        ("Dan", "Great work, thank you"),
    ]
    .iter()
    .enumerate()
    {
        kehilla_app::inbox::ingest(
            &app.db,
            &kehilla_app::inbox::Incoming {
                org: org.id,
                source: "email",
                kind: "message",
                remote_id: &format!("c{i}"),
                author_id: &format!("a{i}@example.org"),
                handle: &format!("a{i}@example.org"),
                name,
                body,
                at: kehilla_db::now_ms() - 60_000 * i64::try_from(i).unwrap(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let c = browser(&driver).await;
    c.goto(&app.url("/login")).await.unwrap();
    fill(&c, "email", "dana@example.org").await;
    fill(&c, "password", crate::support::PASSWORD).await;
    click(&c, "login-submit").await;
    wait_for(&c, "return location.pathname === '/orgs/yad'").await;
    // The navigation counts two new conversations.
    assert_eq!(
        js(
            &c,
            "return document.getElementById('inbox-unread').textContent"
        )
        .await,
        "2"
    );
    c.goto(&app.url("/orgs/yad/inbox")).await.unwrap();
    assert_eq!(
        js(&c, "return getComputedStyle(document.body).direction").await,
        "rtl"
    );
    // The mixed Hebrew and English excerpt keeps its own direction.
    assert_eq!(
        js(
            &c,
            "return getComputedStyle(document.querySelector('#conversations .excerpt')).direction"
        )
        .await,
        "rtl"
    );
    screenshot(&c, "inbox-he").await;
    // j picks the first conversation, Enter opens it.
    let body = c.find(Locator::Css("body")).await.unwrap();
    body.send_keys("j").await.unwrap();
    wait_for(
        &c,
        "return document.activeElement.classList.contains('open')",
    )
    .await;
    c.active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    wait_for(&c, "return !!document.getElementById('conversation')").await;
    assert!(c.source().await.unwrap().contains("רות כהן"));
    // A saved reply fills the answer with her first name; r is the answer box.
    js(
        &c,
        "const s = document.getElementById('saved-reply'); s.selectedIndex = 1; s.dispatchEvent(new Event('change')); return true",
    )
    .await;
    assert_eq!(
        js(&c, "return document.getElementById('answer-body').value").await,
        "שלום רות, תודה שכתבת לעמותת בדיקה!"
    );
    // a assigns it to me.
    js(&c, "document.activeElement.blur(); return true").await;
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("a")
        .await
        .unwrap();
    wait_for(&c, "return location.search.includes('done=inbox-saved')").await;
    assert_eq!(
        js(&c, "const s = document.getElementById('t-assignee'); return s.value === s.getAttribute('data-me')").await,
        true
    );
    screenshot(&c, "inbox-conversation-he").await;
    // The answer goes out; e marks it done and goes back to the list.
    fill(&c, "answer-body", " נתראה ביום שישי").await;
    click(&c, "send-answer").await;
    wait_for(&c, "return location.search.includes('done=inbox-answered')").await;
    app.run_pending_jobs().await;
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("e")
        .await
        .unwrap();
    wait_for(&c, "return location.pathname === '/orgs/yad/inbox'").await;
    let (status, assignee): (String, Option<i64>) = kehilla_db::sqlx::query_as(
        "SELECT c.status, c.assignee_id FROM inbox_conversations c JOIN inbox_messages m \
         ON m.conversation_id = c.id WHERE m.remote_id = 'c0'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(status, "done");
    assert!(assignee.is_some());
    let (state,): (String,) =
        kehilla_db::sqlx::query_as("SELECT state FROM inbox_messages WHERE direction = 'out'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(state, "sent");
}

#[tokio::test]
async fn two_factor_login_is_set_up_from_a_qr_code_and_asked_for_at_the_next_login() {
    use kehilla_app::two_factor::{PERIOD, code_for_key};
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn().await;
    app.set_up("yad", "dana@example.org").await;
    let c = browser(&driver).await;
    let now = || kehilla_db::now_ms() / 1000;
    c.goto(&app.url("/login")).await.unwrap();
    fill(&c, "email", "dana@example.org").await;
    fill(&c, "password", crate::support::PASSWORD).await;
    click(&c, "login-submit").await;
    wait_for(&c, "return location.pathname === '/orgs/yad'").await;

    c.goto(&app.url("/account")).await.unwrap();
    fill(&c, "start-password", crate::support::PASSWORD).await;
    click(&c, "start-two-factor").await;
    wait_for(&c, "return !!document.querySelector('figure.qr svg')").await;
    // The QR code is drawn large enough to scan; the key reads left to right inside Hebrew.
    assert_eq!(
        js(
            &c,
            "return document.querySelector('figure.qr svg').getBoundingClientRect().width >= 200"
        )
        .await,
        true
    );
    assert_eq!(js(&c, "return document.documentElement.dir").await, "rtl");
    assert_eq!(
        js(
            &c,
            "return getComputedStyle(document.getElementById('secret')).direction"
        )
        .await,
        "ltr"
    );
    let unlabelled = js(&c, "return [...document.querySelectorAll('input:not([type=hidden])')].filter(e => !(e.labels && e.labels.length)).length").await;
    assert_eq!(unlabelled, 0);
    screenshot(&c, "two-factor-setup-he").await;
    let key = js(&c, "return document.getElementById('secret').textContent").await;
    let key = key.as_str().unwrap().to_string();
    // The current step to turn it on, the next one to sign in: later, and within the window
    // whenever a step boundary passes.
    fill(&c, "code", &code_for_key(&key, now()).unwrap()).await;
    click(&c, "confirm-submit").await;
    wait_for(&c, "return !!document.getElementById('recovery-codes')").await;
    assert_eq!(
        js(
            &c,
            "return document.querySelectorAll('#recovery-codes li').length"
        )
        .await,
        10
    );
    screenshot(&c, "recovery-codes-he").await;

    click(&c, "logout").await;
    wait_for(&c, "return location.pathname === '/login'").await;
    fill(&c, "email", "dana@example.org").await;
    fill(&c, "password", crate::support::PASSWORD).await;
    click(&c, "login-submit").await;
    wait_for(&c, "return location.pathname === '/login/two-factor'").await;
    assert_eq!(
        js(&c, "return document.activeElement.id").await,
        "code",
        "the code field has the focus"
    );
    screenshot(&c, "two-factor-login-he").await;
    fill(&c, "code", &code_for_key(&key, now() + PERIOD).unwrap()).await;
    click(&c, "code-submit").await;
    wait_for(&c, "return location.pathname === '/orgs/yad'").await;
    c.close().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn the_dashboard_draws_its_charts_right_to_left_in_hebrew_and_left_to_right_in_english() {
    let Some(driver) = start_driver() else { return };
    let app = TestApp::spawn().await;
    // The demo organization, with its year of history and its goals.
    kehilla_app::demo::load(&app.db).await.unwrap();
    let c = browser(&driver).await;
    c.goto(&app.url("/login")).await.unwrap();
    fill(&c, "email", "dana@yad-beyad.example").await;
    fill(&c, "password", kehilla_app::demo::PASSWORD).await;
    click(&c, "login-submit").await;
    wait_for(&c, "return location.pathname.startsWith('/orgs/')").await;
    c.goto(&app.url("/orgs/yad-beyad/measure")).await.unwrap();
    assert_eq!(js(&c, "return document.documentElement.lang").await, "he");
    // Five goals, each with a drawn line; the charts have a name and a description.
    assert_eq!(
        js(
            &c,
            "return document.querySelectorAll('li.goal svg.chart polyline.actual').length"
        )
        .await,
        5
    );
    assert_eq!(
        js(&c, "return [...document.querySelectorAll('svg.chart')].every(s => s.getAttribute('role') === 'img' && s.querySelector('title').textContent.length > 0 && s.querySelector('desc').textContent.includes('—'))").await,
        true
    );
    // Time runs right to left: a goal's first point is right of its last.
    let first_right_of_last = "const p = document.querySelector('li.goal polyline.actual').points; return p.numberOfItems > 1 && p.getItem(0).x > p.getItem(p.numberOfItems - 1).x;";
    assert_eq!(js(&c, first_right_of_last).await, true);
    // The forecast and the target are drawn, and the heat map has the year's posts.
    assert!(
        js(
            &c,
            "return document.querySelectorAll('svg.chart line.target').length"
        )
        .await
        .as_u64()
        .unwrap()
            >= 5
    );
    assert!(
        js(
            &c,
            "return document.querySelectorAll('#heat-map td.heat-5').length"
        )
        .await
        .as_u64()
        .unwrap()
            >= 1
    );
    assert!(
        js(
            &c,
            "return document.querySelectorAll('#attribution-table tbody tr').length"
        )
        .await
        .as_u64()
        .unwrap()
            >= 1
    );
    screenshot(&c, "measure-he").await;
    // The plan behind it: the channel map with hours and budget, the audiences, the goals.
    c.goto(&app.url("/orgs/yad-beyad/plan")).await.unwrap();
    assert_eq!(
        js(
            &c,
            "return document.querySelectorAll('#goal-list li').length"
        )
        .await,
        5
    );
    assert_eq!(
        js(
            &c,
            "return getComputedStyle(document.querySelector('#map')).direction"
        )
        .await,
        "rtl"
    );
    screenshot(&c, "plan-he").await;

    // In English the charts turn around.
    click(&c, "switch-lang").await;
    wait_for(&c, "return document.documentElement.lang === 'en';").await;
    c.goto(&app.url("/orgs/yad-beyad/measure")).await.unwrap();
    assert_eq!(
        js(&c, "return getComputedStyle(document.body).direction").await,
        "ltr"
    );
    let first_left_of_last = "const p = document.querySelector('li.goal polyline.actual').points; return p.numberOfItems > 1 && p.getItem(0).x < p.getItem(p.numberOfItems - 1).x;";
    assert_eq!(js(&c, first_left_of_last).await, true);
    assert!(c.source().await.unwrap().contains("The best time to post"));
    screenshot(&c, "measure-en").await;

    // The monthly report, in English.
    c.goto(&app.url("/orgs/yad-beyad/measure/report"))
        .await
        .unwrap();
    c.find(Locator::Css("#report-growth")).await.unwrap();
    screenshot(&c, "report-en").await;
}
