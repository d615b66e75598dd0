//! The Studio: the approval workflow with notifications by email, quiet windows and slots,
//! tracked links and their clicks, media without metadata, link cards and SSRF refusal.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::smtp::Sink;
use crate::support::{Backend, Browser, TestApp, backends, location};

async fn channel(owner: &Browser, org: &str, network: &str, name: &str, slots: &str) {
    let r = owner
        .post_form(
            &format!("/orgs/{org}/studio/channels"),
            &[("network", network), ("name", name), ("slots", slots)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn channel_id(app: &TestApp, name: &str) -> String {
    let (id,): (String,) =
        kehilla_db::sqlx::query_as("SELECT public_id FROM channels WHERE name = $1")
            .bind(name)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    id
}

async fn post_status(app: &TestApp, id: &str) -> String {
    let (s,): (String,) =
        kehilla_db::sqlx::query_as("SELECT status FROM posts WHERE public_id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    s
}

fn post_id_of(r: &reqwest::Response) -> String {
    let loc = location(r);
    loc.split("/studio/posts/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_contributors_post_is_reviewed_approved_and_moved_with_every_step_recorded() {
    for backend in backends() {
        let sink = Sink::start().await;
        let url = sink.url();
        let app = TestApp::spawn_on(backend, move |s| {
            s.smtp_url = Some(kehilla_app::settings::Secret(url));
        })
        .await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let editor = app
            .invite_and_join(&owner, "yad", "editor", "noa@example.org")
            .await;
        let contributor = app
            .invite_and_join(&owner, "yad", "contributor", "amir@example.org")
            .await;
        channel(&owner, "yad", "x", "X ראשי", "09:00,18:00").await;
        let x = channel_id(&app, "X ראשי").await;

        // A story too long for X: the page says by how much.
        let long = "מתנדבים ".repeat(40);
        let r = contributor
            .post_form(
                "/orgs/yad/studio/posts",
                &[
                    ("kind", "story"),
                    ("title", "יום התנדבות"),
                    ("body", &long),
                    ("channel", &x),
                    ("scheduled_at", "2099-05-03T10:00"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let post = post_id_of(&r);
        let (_, html) = contributor
            .get_text(&format!("/orgs/yad/studio/posts/{post}"))
            .await;
        assert!(html.contains("ארוך מדי ב־"), "the counter shows the excess");
        assert!(html.contains("counter over"));
        // The live counter agrees.
        let token = contributor.csrf().await;
        let c: Value = contributor
            .client
            .post(app.url("/orgs/yad/studio/count"))
            .header("x-csrf-token", token)
            .json(&json!({"channel": x, "text": long}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(c["over"], json!(320 - 280), "{c}");

        // A contributor cannot schedule it; a shorter X version is submitted for review.
        let action = format!("/orgs/yad/studio/posts/{post}/action");
        let r = contributor
            .post_form(&action, &[("action", "schedule")])
            .await;
        assert!(
            location(&r).contains("error=post-needs-approval"),
            "{}",
            location(&r)
        );
        let r = contributor
            .post_form(
                &format!("/orgs/yad/studio/posts/{post}/variants/{x}"),
                &[("body", "יום התנדבות בחיפה #התנדבות"), ("mode", "save")],
            )
            .await;
        assert!(location(&r).contains("done=variant-saved"));
        let r = contributor
            .post_form(&action, &[("action", "submit")])
            .await;
        assert!(location(&r).contains("done=post-submitted"));
        assert_eq!(post_status(&app, &post).await, "review");

        // Nobody approves their own post, and a contributor approves nothing.
        let r = contributor
            .post_form(&action, &[("action", "approve")])
            .await;
        assert!(location(&r).contains("error=forbidden"));
        assert_eq!(post_status(&app, &post).await, "review");

        // The editors are told in the app and by email (a durable job).
        let (_, html) = editor.get_text("/orgs/yad/studio").await;
        assert!(
            html.contains("התראה חדשה אחת") || html.contains("1 new notification"),
            "{html}"
        );
        assert!(app.run_pending_jobs().await >= 1);
        let mails = sink.all();
        assert!(
            mails
                .iter()
                .any(|m| m.to.iter().any(|t| t.contains("noa@example.org")))
        );

        let r = editor
            .post_form(&action, &[("action", "approve"), ("note", "יפה מאוד")])
            .await;
        assert!(
            location(&r).contains("done=post-approved"),
            "{}",
            location(&r)
        );
        // Approved with a planned time and no problems: on the schedule at once.
        assert_eq!(post_status(&app, &post).await, "scheduled");
        app.run_pending_jobs().await;
        assert!(
            sink.all()
                .iter()
                .any(|m| m.to.iter().any(|t| t.contains("amir@example.org"))),
            "the author hears of the approval"
        );

        // Dragged on the calendar to another day: same time of day, recorded.
        let token = editor.csrf().await;
        let r = editor
            .client
            .post(app.url(&format!("/orgs/yad/studio/posts/{post}/move")))
            .header("x-csrf-token", token)
            .header("accept", "application/json")
            .form(&[("day", "2099-05-05")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let (_, cal) = editor.get_text("/orgs/yad/calendar?date=2099-05-01").await;
        assert!(cal.contains(&post), "the post is on the calendar");
        let history: Vec<(String,)> =
            kehilla_db::sqlx::query_as("SELECT action FROM post_history ORDER BY id")
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        let history: Vec<&str> = history.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(
            history,
            [
                "created",
                "variant-edited",
                "submitted",
                "approved",
                "scheduled",
                "moved"
            ]
        );
        let (at,): (i64,) = kehilla_db::sqlx::query_as("SELECT scheduled_at FROM posts")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let local = kehilla_app::studio::local_input(chrono_tz::Asia::Jerusalem, at);
        assert_eq!(local, "2099-05-05T10:00");

        // An editor's own post needs no approval, but they cannot approve it either.
        let r = editor
            .post_form(
                "/orgs/yad/studio/posts",
                &[("kind", "status"), ("body", "עדכון קצר"), ("channel", &x)],
            )
            .await;
        let own = post_id_of(&r);
        let r = editor
            .post_form(
                &format!("/orgs/yad/studio/posts/{own}/action"),
                &[("action", "approve")],
            )
            .await;
        assert!(location(&r).contains("error=approve-own-post"));
        app.stop().await;
        drop(owner);
    }
}

#[tokio::test]
async fn quiet_windows_refuse_shabbat_and_the_next_free_slot_skips_it() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    channel(&owner, "yad", "facebook", "פייסבוק", "13:00,20:00").await;
    let r = owner
        .post_form(
            "/orgs/yad/studio/settings",
            &[
                ("time_zone", "Asia/Jerusalem"),
                ("approval_required", "1"),
                ("quiet_shabbat", "1"),
            ],
        )
        .await;
    assert!(location(&r).contains("done=studio-settings-saved"));
    let r = owner
        .post_form(
            "/orgs/yad/studio/settings",
            &[("time_zone", "Mars/Olympus")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "an invalid time zone is shown as an error"
    );
    assert!(r.text().await.unwrap().contains("form-error"));

    // Saturday 1 May 2100, noon: inside Shabbat.
    let fb = channel_id(&app, "פייסבוק").await;
    let r = owner
        .post_form(
            "/orgs/yad/studio/posts",
            &[
                ("kind", "story"),
                ("body", "שבת שלום"),
                ("channel", &fb),
                ("scheduled_at", "2100-05-01T12:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("חלון שקט"));

    // From Friday 30 April 2100 at 14:00, the next free slot is Saturday 20:00: Friday 20:00
    // and Saturday 13:00 fall in Shabbat, which ends at 19:53 (sunset 19:13 + 40 minutes).
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let ch = kehilla_db::studio::channel(&app.db.pool, org.id, &fb)
        .await
        .unwrap();
    let tz = chrono_tz::Asia::Jerusalem;
    let from = kehilla_app::studio::parse_local(tz, "2100-04-30T14:00").unwrap();
    let next = kehilla_app::studio::calendar::next_free_slot(&app.db, &org, &ch, from)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kehilla_app::studio::local_input(tz, next),
        "2100-05-01T20:00"
    );
    // A skipped hour on the clock-change day is refused with its own message.
    let r = owner
        .post_form(
            "/orgs/yad/studio/posts",
            &[
                ("kind", "story"),
                ("body", "x"),
                ("channel", &fb),
                ("scheduled_at", "2026-03-27T02:30"),
            ],
        )
        .await;
    assert!(r.text().await.unwrap().contains("השעון"));
    app.stop().await;
}

#[tokio::test]
async fn tracked_links_redirect_with_utm_and_count_people_not_bots_without_addresses() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        channel(&owner, "yad", "x", "X", "").await;
        let x = channel_id(&app, "X").await;
        let r = owner
            .post_form(
                "/orgs/yad/studio/posts",
                &[
                    ("kind", "donation"),
                    ("title", "Winter drive"),
                    ("body", "תרמו עכשיו https://yad.example/donate?ref=1 #חורף"),
                    ("channel", &x),
                ],
            )
            .await;
        let post = post_id_of(&r);
        let r = owner
            .post_form(
                &format!("/orgs/yad/studio/posts/{post}/action"),
                &[("action", "track")],
            )
            .await;
        assert!(location(&r).contains("done=links-tracked"));
        let (body,): (String,) = kehilla_db::sqlx::query_as("SELECT body FROM post_variants")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let short = body
            .split_whitespace()
            .find(|w| w.contains("/l/"))
            .unwrap()
            .to_string();
        assert!(short.starts_with(&app.base));
        // Tracking again changes nothing.
        owner
            .post_form(
                &format!("/orgs/yad/studio/posts/{post}/action"),
                &[("action", "track")],
            )
            .await;
        let (again,): (String,) = kehilla_db::sqlx::query_as("SELECT body FROM post_variants")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(again, body);

        let visit = |ua: &'static str| {
            let short = short.clone();
            async move {
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap()
                    .get(short)
                    .header("user-agent", ua)
                    .header("referer", "https://t.co/abc")
                    .send()
                    .await
                    .unwrap()
            }
        };
        let r = visit("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148").await;
        assert_eq!(r.status(), StatusCode::FOUND);
        assert_eq!(
            location(&r),
            "https://yad.example/donate?ref=1&utm_source=x&utm_medium=social&utm_campaign=winter-drive"
        );
        assert_eq!(
            visit("facebookexternalhit/1.1").await.status(),
            StatusCode::FOUND
        );
        let server = app.server.as_ref().unwrap();
        server.state.clicks.flush().await;
        let rows: Vec<(String, String)> =
            kehilla_db::sqlx::query_as("SELECT device, referrer_host FROM clicks")
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(
            rows,
            vec![("mobile".to_string(), "t.co".to_string())],
            "the bot is not counted"
        );
        // No address of the visitor anywhere in the clicks table.
        let cols: Vec<String> = match backend {
            Backend::Sqlite => kehilla_db::sqlx::query_as::<_, (String,)>("SELECT name FROM pragma_table_info('clicks')")
                .fetch_all(&app.db.pool)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.0)
                .collect(),
            Backend::Postgres => kehilla_db::sqlx::query_as::<_, (String,)>(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'clicks' AND table_schema = current_schema()",
            )
            .fetch_all(&app.db.pool)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.0)
            .collect(),
        };
        assert!(
            !cols.is_empty()
                && cols
                    .iter()
                    .all(|c| !c.contains("ip") && !c.contains("addr")),
            "{cols:?}"
        );
        // A click in the queue when the server stops is written, not lost.
        assert_eq!(
            visit("Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
                .await
                .status(),
            StatusCode::FOUND
        );
        let mut app = app;
        app.server.take().unwrap().stop().await;
        let (n,): (i64,) = kehilla_db::sqlx::query_as("SELECT COUNT(*) FROM clicks")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(n, 2);
        app.stop().await;
        drop(owner);
    }
}

#[tokio::test]
async fn uploads_lose_their_location_unless_kept_and_bad_files_get_clear_errors() {
    let app = TestApp::spawn_on(Backend::Sqlite, |s| s.max_upload_bytes = 200_000).await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let token = owner.create_token("yad", "write").await;
    let api = reqwest::Client::new();
    let upload = |bytes: Vec<u8>, keep: bool| {
        let api = api.clone();
        let token = token.clone();
        let url = app.url("/api/v1/orgs/yad/media");
        async move {
            let mut form = reqwest::multipart::Form::new()
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes).file_name("photo.jpg"),
                )
                .text("alt_text", "ילדים בגינה");
            if keep {
                form = form.text("keep_metadata", "1");
            }
            api.post(url)
                .bearer_auth(token)
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let photo = kehilla_media::sample::photo_with_location(300, 200);
    assert!(kehilla_media::has_exif(&photo));
    let r = upload(photo.clone(), false).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let m: Value = r.json().await.unwrap();
    assert_eq!(m["had_location"], json!(true));
    assert_eq!(m["metadata_removed"], json!(true));
    for file in ["original", "large", "thumb", "instagram"] {
        let bytes = reqwest::get(app.url(&format!("/m/{}/{file}", m["id"].as_str().unwrap())))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(
            !bytes.is_empty() && !kehilla_media::has_exif(&bytes),
            "{file} has no EXIF"
        );
    }
    let kept: Value = upload(photo, true).await.json().await.unwrap();
    let bytes = reqwest::get(app.url(&format!("/m/{}/original", kept["id"].as_str().unwrap())))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(kehilla_media::has_exif(&bytes), "kept on request");

    // Bad files: each with its own code, none a server error.
    let mut truncated = kehilla_media::sample::photo(300, 200, 1);
    truncated.truncate(truncated.len() / 3);
    // A PNG claiming 100,000 × 100,000 pixels (a decompression bomb), with valid CRCs.
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut body = kind.to_vec();
        body.extend(data);
        let crc = body.iter().fold(0xFFFF_FFFFu32, |mut c, b| {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    (c >> 1) ^ 0xEDB8_8320
                } else {
                    c >> 1
                };
            }
            c
        }) ^ 0xFFFF_FFFF;
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        out.extend(body);
        out.extend(crc.to_be_bytes());
        out
    };
    let mut ihdr = 100_000u32.to_be_bytes().to_vec();
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    bomb.extend(chunk(b"IHDR", &ihdr));
    bomb.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    bomb.extend(chunk(b"IEND", &[]));
    for (bytes, status, code) in [
        (truncated, StatusCode::UNPROCESSABLE_ENTITY, "media-corrupt"),
        (
            b"just some text".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "media-unsupported",
        ),
        (
            bomb,
            StatusCode::UNPROCESSABLE_ENTITY,
            "media-too-many-pixels",
        ),
        (
            vec![0xFF; 300_000],
            StatusCode::PAYLOAD_TOO_LARGE,
            "media-too-large",
        ),
    ] {
        let r = upload(bytes, false).await;
        assert_eq!(r.status(), status, "{code}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["code"], json!(code), "{e}");
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    app.stop().await;
}

/// A page with OpenGraph data, served on loopback.
async fn og_page() -> String {
    let html = "<html><head><meta property=\"og:title\" content=\"יום ההתנדבות הגדול\">\
                <meta property=\"og:image\" content=\"/cover.jpg\">\
                <meta property=\"og:site_name\" content=\"Yad\"></head></html>";
    let app = axum::Router::new()
        .route(
            "/event",
            axum::routing::get(move || async move {
                ([("content-type", "text/html; charset=utf-8")], html)
            }),
        )
        .route(
            "/cover.jpg",
            axum::routing::get(|| async {
                (
                    [("content-type", "image/jpeg")],
                    kehilla_media::sample::photo(40, 20, 3),
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/event")
}

#[tokio::test]
async fn previews_show_the_link_card_and_private_addresses_are_refused_by_default() {
    let page = og_page().await;
    for allow in [true, false] {
        let app = TestApp::spawn_on(Backend::Sqlite, |s| s.fetch_private = allow).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        channel(&owner, "yad", "facebook", "פייסבוק", "").await;
        let fb = channel_id(&app, "פייסבוק").await;
        let body = format!("בואו לאירוע {page}");
        let r = owner
            .post_form(
                "/orgs/yad/studio/posts",
                &[("kind", "event"), ("body", &body), ("channel", &fb)],
            )
            .await;
        let post = post_id_of(&r);
        let (status, html) = owner
            .get_text(&format!("/orgs/yad/studio/posts/{post}/preview/{fb}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("dir=\"auto\""));
        if allow {
            assert!(html.contains("יום ההתנדבות הגדול"), "{html}");
            // The card's picture comes through our own origin.
            let src = html
                .split("src=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap()
                .replace("&amp;", "&");
            assert!(src.starts_with("/orgs/yad/studio/card-image?url="), "{src}");
            let r = owner.get(&src).await;
            assert_eq!(r.status(), StatusCode::OK);
            assert_eq!(r.headers()["content-type"], "image/jpeg");
        } else {
            assert!(html.contains("הכתובת אינה ציבורית"), "{html}");
            assert!(!html.contains("יום ההתנדבות הגדול"));
        }
        app.stop().await;
    }
}

/// An S3-compatible server on loopback (moto's server, installed by the test command).
struct S3Server {
    child: std::process::Child,
    port: u16,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_s3() -> Option<S3Server> {
    let Ok(bin) = std::env::var("KEHILLA_S3_SERVER") else {
        assert!(
            std::env::var("CI").is_err(),
            "KEHILLA_S3_SERVER must name an S3-compatible server in CI"
        );
        eprintln!("skipped: set KEHILLA_S3_SERVER to an S3-compatible server (moto_server)");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let server = S3Server { child, port };
    // Ready when it answers HTTP.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if reqwest::get(format!("http://127.0.0.1:{port}/"))
            .await
            .is_ok()
        {
            return Some(server);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the S3 server did not start"
        );
        let _ = tokio::time::timeout(
            std::time::Duration::from_millis(200),
            tokio::net::TcpStream::connect(("127.0.0.1", port)),
        )
        .await;
    }
}

#[tokio::test]
async fn media_can_live_in_an_s3_compatible_store() {
    let Some(s3) = start_s3().await else { return };
    let base = format!("http://127.0.0.1:{}", s3.port);
    let http = reqwest::Client::new();
    assert!(
        http.put(format!("{base}/media"))
            .send()
            .await
            .unwrap()
            .status()
            .is_success()
    );
    let url = format!(
        "s3+http://kehilla:secret@127.0.0.1:{}/media/site-a?region=us-east-1",
        s3.port
    );
    let app = TestApp::spawn_on(Backend::Sqlite, move |s| {
        s.media_store_url = Some(kehilla_app::settings::Secret(url));
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let token = owner.create_token("yad", "write").await;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(kehilla_media::sample::photo_with_location(200, 100))
            .file_name("p.jpg"),
    );
    let r = http
        .post(app.url("/api/v1/orgs/yad/media"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let m: Value = r.json().await.unwrap();
    let id = m["id"].as_str().unwrap().to_string();
    // Served from the store, without the location.
    let bytes = reqwest::get(app.url(&format!("/m/{id}/original")))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(!bytes.is_empty() && !kehilla_media::has_exif(&bytes));
    let listing = http
        .get(format!("{base}/media?list-type=2&prefix=site-a/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(listing.matches("<Key>").count(), 4, "{listing}");
    assert!(listing.contains(&format!("/{id}/original.jpg</Key>")));
    assert!(
        !std::path::Path::new(&app.settings.data_dir)
            .join("media")
            .exists()
    );
    // Deleting the media deletes its objects.
    let r = owner
        .post_form(&format!("/orgs/yad/studio/media/{id}/delete"), &[])
        .await;
    assert!(location(&r).contains("done=media-deleted"));
    let listing = http
        .get(format!("{base}/media?list-type=2&prefix=site-a/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(listing.matches("<Key>").count(), 0, "{listing}");
    app.stop().await;
}

#[tokio::test]
async fn the_api_writes_schedules_and_counts_posts() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let owner = app.set_up("yad", "dana@example.org").await;
        let token = owner.create_token("yad", "write").await;
        let api = reqwest::Client::new();
        let call = |method: reqwest::Method, path: &str, body: Value| {
            api.request(method, app.url(&format!("/api/v1/orgs/yad{path}")))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        let r = call(
            reqwest::Method::POST,
            "/channels",
            json!({"network": "bluesky", "name": "Bluesky", "slots": "09:00"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let ch: Value = r.json().await.unwrap();
        let ch = ch["public_id"].as_str().unwrap().to_string();
        // Bad input is a clear 422 naming the field.
        let r = call(
            reqwest::Method::POST,
            "/posts",
            json!({"kind": "poem", "body": "x"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json::<Value>().await.unwrap()["field"], json!("kind"));
        let r = call(
            reqwest::Method::POST,
            "/posts",
            json!({"kind": "achievement", "title": "100 volunteers", "body": "הגענו ל־100 מתנדבים! 🎉",
                   "channels": [ch], "scheduled_at": "2099-01-10T09:00"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let post: Value = r.json().await.unwrap();
        let id = post["id"].as_str().unwrap().to_string();
        assert_eq!(post["variants"][0]["network"], json!("bluesky"));
        assert_eq!(post["variants"][0]["ok"], json!(true));
        // A thread on Bluesky: the second part is counted on its own.
        let r = call(
            reqwest::Method::PUT,
            &format!("/posts/{id}/variants/{ch}"),
            json!({"body": "הגענו ל־100 מתנדבים!", "follow_ups": ["תודה לכולם 💙"]}),
        )
        .await
        .unwrap();
        let post: Value = r.json().await.unwrap();
        assert_eq!(post["variants"][0]["counts"].as_array().unwrap().len(), 2);
        assert_eq!(post["variants"][0]["edited"], json!(true));
        // The owner needs no approval: scheduled directly; a past time is refused.
        let r = call(
            reqwest::Method::POST,
            &format!("/posts/{id}/actions"),
            json!({"action": "schedule", "scheduled_at": "2001-01-01T09:00"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert_eq!(
            r.json::<Value>().await.unwrap()["code"],
            json!("time-in-past")
        );
        // Without a time, the planned one; a post that has none is in the wrong state (409).
        let r = call(
            reqwest::Method::POST,
            "/posts",
            json!({"kind": "status", "body": "עוד בלי מועד", "channels": [ch]}),
        )
        .await
        .unwrap();
        let untimed: Value = r.json().await.unwrap();
        let r = call(
            reqwest::Method::POST,
            &format!("/posts/{}/actions", untimed["id"].as_str().unwrap()),
            json!({"action": "schedule"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["code"], json!("post-has-no-time"));
        assert_eq!(
            e["message"],
            json!("לפוסט הזה עוד אין מועד מתוכנן. בחרו מתי לפרסם אותו.")
        );
        let r = call(
            reqwest::Method::POST,
            &format!("/posts/{id}/actions"),
            json!({"action": "schedule"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.json::<Value>().await.unwrap()["status"],
            json!("scheduled")
        );
        // The Studio warns before it fails: the Bluesky channel is not connected.
        let (_, home) = owner.get_text("/orgs/yad/studio").await;
        assert!(
            home.contains("id=\"at-risk\"") && home.contains(": לא מחובר"),
            "{home}"
        );
        let r = call(reqwest::Method::GET, "/posts?status=scheduled", json!({}))
            .await
            .unwrap();
        let list: Value = r.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        // The counter as a service: Bluesky counts graphemes, X weighs them.
        let text = "שלום 👨‍👩‍👧‍👦";
        for (network, used) in [("bluesky", 6), ("x", 7)] {
            let r = call(
                reqwest::Method::POST,
                "/count",
                json!({"network": network, "text": text}),
            )
            .await
            .unwrap();
            assert_eq!(
                r.json::<Value>().await.unwrap()["used"],
                json!(used),
                "{network}"
            );
        }
        let r = call(
            reqwest::Method::POST,
            "/links",
            json!({"url": "https://yad.example/join", "post": id, "channel": ch}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let link: Value = r.json().await.unwrap();
        assert_eq!(
            link["destination"],
            json!(
                "https://yad.example/join?utm_source=bluesky&utm_medium=social&utm_campaign=100-volunteers"
            )
        );
        // A Hebrew address: kept as typed, sent on percent-encoded (a Location header is ASCII).
        let r = call(
            reqwest::Method::POST,
            "/links",
            json!({"url": "https://he.wikipedia.org/wiki/עמותה", "channel": null, "post": null}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let link: Value = r.json().await.unwrap();
        assert_eq!(link["target"], json!("https://he.wikipedia.org/wiki/עמותה"));
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(link["short_url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FOUND);
        assert_eq!(
            r.headers()["location"],
            "https://he.wikipedia.org/wiki/%D7%A2%D7%9E%D7%95%D7%AA%D7%94"
        );
        // Control characters make no address.
        let r = call(
            reqwest::Method::POST,
            "/links",
            json!({"url": "https://yad.example/\u{0}join"}),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        app.stop().await;
    }
}

#[tokio::test]
async fn every_studio_page_speaks_english_too() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    channel(&owner, "yad", "x", "X", "09:00").await;
    let x = channel_id(&app, "X").await;
    let r = owner
        .post_form(
            "/orgs/yad/studio/posts",
            &[
                ("kind", "event"),
                ("body", "Join us #volunteers"),
                ("channel", &x),
                ("scheduled_at", "2099-05-03T10:00"),
            ],
        )
        .await;
    let post = post_id_of(&r);
    let r = owner
        .post_form(
            &format!("/orgs/yad/studio/posts/{post}/action"),
            &[("action", "schedule")],
        )
        .await;
    assert!(
        location(&r).contains("done=post-scheduled"),
        "{}",
        location(&r)
    );
    owner.post_form("/lang", &[("lang", "en")]).await;
    for (path, text) in [
        (
            "/orgs/yad/studio".to_string(),
            "Scheduled posts that will not go out",
        ),
        (format!("/orgs/yad/studio/posts/{post}"), "Per channel"),
        (
            format!("/orgs/yad/studio/posts/{post}/preview/{x}"),
            "#volunteers",
        ),
        ("/orgs/yad/calendar?date=2099-05-01".to_string(), "Shabbat"),
        (
            "/orgs/yad/calendar?view=week&date=2099-05-01".to_string(),
            "Week of",
        ),
        (
            "/orgs/yad/calendar?view=list&date=2099-05-01".to_string(),
            "Event",
        ),
        (
            "/orgs/yad/studio/channels".to_string(),
            "User access token (OAuth 2.0)",
        ),
        ("/orgs/yad/studio/media".to_string(), "Alt text"),
        ("/orgs/yad/studio/links".to_string(), "Tracked short links"),
        (
            "/orgs/yad/studio/notifications".to_string(),
            "No notifications.",
        ),
        (
            "/orgs/yad/studio/channels/health".to_string(),
            "Not connected",
        ),
        (
            "/orgs/yad/studio/channels".to_string(),
            "Profile on the networks",
        ),
        ("/orgs/yad/campaigns".to_string(), "No campaigns yet."),
        (
            "/orgs/yad/campaigns/new".to_string(),
            "Purpose (the consent it needs)",
        ),
    ] {
        let (s, html) = owner.get_text(&path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(html.contains(text), "{path} lacks {text}");
    }
    app.stop().await;
}
