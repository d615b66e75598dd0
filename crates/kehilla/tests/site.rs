//! Home: the organization's public site — profile card, posts with permanent links and link
//! previews (OpenGraph, Twitter Card, JSON-LD), simple pages, its own domain — and its feeds,
//! read back with an independent parser (feed-rs).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Backend, TestApp, backends, urlenc};

/// The content of `<meta property|name="{key}" content="…">`, unescaped.
fn meta(html: &str, key: &str) -> Option<String> {
    for attr in ["property", "name"] {
        let needle = format!("<meta {attr}=\"{key}\" content=\"");
        if let Some(i) = html.find(&needle) {
            let rest = &html[i + needle.len()..];
            let end = rest.find('"')?;
            return Some(unescape(&rest[..end]));
        }
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn json_ld(html: &str) -> Value {
    let start = html.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

fn canonical(html: &str) -> String {
    let needle = "<link rel=\"canonical\" href=\"";
    let i = html.find(needle).unwrap() + needle.len();
    let rest = &html[i..];
    unescape(&rest[..rest.find('"').unwrap()])
}

pub struct Posts {
    pub he: String,
    pub en: String,
    pub event: String,
    pub hostile: String,
    pub draft: String,
    pub media: String,
}

/// An organization with a profile, a picture and posts: four published (Hebrew with a
/// picture, English, an event, one with hostile text), a status line and a draft.
pub async fn organization_with_posts(app: &TestApp) -> (crate::support::Browser, Posts) {
    let owner = app.set_up("yad", "dana@example.org").await;
    let token = owner.create_token("yad", "write").await;
    let api = reqwest::Client::new();
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let photo = kehilla_media::sample::photo_with_location(300, 200);
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(photo).file_name("baskets.jpg"),
        )
        .text("alt_text", "מתנדבים אורזים סלי מזון");
    let m: Value = api
        .post(app.url("/api/v1/orgs/yad/media"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let media = m["id"].as_str().unwrap().to_string();
    kehilla_db::publishing::save_profile(
        &app.db.pool,
        org.id,
        "עמותה חיפאית לסיוע במזון ובהתנדבות",
        "https://yad.example",
        &media,
    )
    .await
    .unwrap();
    let mut slugs = Vec::new();
    let posts = [
        json!({"kind": "story", "title": "300 סלי מזון לחג",
               "body": "120 מתנדבים ארזו 300 סלי מזון.\n\nפרטים: https://yad.example/food?a=1&b=2 #חיפה",
               "media": [media]}),
        json!({"kind": "achievement", "title": "A thousand volunteers",
               "body": "This year a thousand volunteers joined Yad Beyad in Haifa."}),
        json!({"kind": "event", "title": "ערב התנדבות",
               "body": "בואו לארוז איתנו.",
               "details": {"event_start": "2099-12-24T18:30", "place": "הרצל 1, חיפה",
                           "url": "https://yad.example/rsvp"}}),
        json!({"kind": "story", "title": "שלום \u{202e}evil",
               "body": "<script>alert(1)</script>\u{7} text with a bell"}),
        json!({"kind": "status", "body": "אוספים מעילים לחורף"}),
        json!({"kind": "story", "title": "טיוטה סודית", "body": "עוד לא"}),
    ];
    for (i, p) in posts.iter().enumerate() {
        let r = api
            .post(app.url("/api/v1/orgs/yad/posts"))
            .bearer_auth(&token)
            .json(p)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
        let v: Value = r.json().await.unwrap();
        let id = v["id"].as_str().unwrap().to_string();
        let slug = v["slug"].as_str().unwrap().to_string();
        if i < 5 {
            // Published (the Studio's publishing has its own tests), one minute apart.
            kehilla_db::sqlx::query(
                "UPDATE posts SET status = 'published', published_at = $1 WHERE public_id = $2",
            )
            .bind(1_790_000_000_000_i64 + i64::try_from(i).unwrap() * 60_000)
            .bind(&id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        slugs.push(slug);
    }
    let r = owner
        .post_form(
            "/orgs/yad/site",
            &[
                ("site_strengths", "חלוקת מזון\nליווי קשישים"),
                ("site_keywords", "מזון, התנדבות, חיפה"),
                (
                    "site_links",
                    "פייסבוק | https://facebook.com/yad\nhttps://instagram.com/yad",
                ),
                ("site_domain", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    (
        owner,
        Posts {
            he: slugs[0].clone(),
            en: slugs[1].clone(),
            event: slugs[2].clone(),
            hostile: slugs[3].clone(),
            draft: slugs[5].clone(),
            media,
        },
    )
}

/// Both backends: the site's home, post pages with their previews, and the feeds.
#[tokio::test]
async fn the_site_shows_what_was_published_with_previews_and_feeds() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let (_owner, p) = organization_with_posts(&app).await;
        let visitor = app.browser();

        // The home: profile card, status line, strengths, keywords, links; published only.
        let (s, home) = visitor.get_text("/o/yad").await;
        assert_eq!(s, StatusCode::OK, "{backend:?}");
        for expected in [
            "עמותת בדיקה",
            "עמותה חיפאית לסיוע במזון ובהתנדבות",
            "אוספים מעילים לחורף",
            "ליווי קשישים",
            "התנדבות",
            ">פייסבוק</a>",
            ">instagram.com</a>",
            "300 סלי מזון לחג",
            "A thousand volunteers",
        ] {
            assert!(home.contains(expected), "{backend:?}: {expected}");
        }
        assert!(!home.contains("טיוטה סודית"), "drafts are not on the site");
        assert_eq!(meta(&home, "og:type").as_deref(), Some("website"));
        let ld = json_ld(&home);
        assert_eq!(ld["@type"], "NGO");
        assert_eq!(ld["name"], "עמותת בדיקה");
        assert!(
            ld["sameAs"]
                .to_string()
                .contains("https://facebook.com/yad")
        );

        // A Hebrew post: right to left, its own preview with the picture and its alt text.
        let path = format!("/o/yad/p/{}", urlenc(&p.he));
        let (s, post) = visitor.get_text(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert!(post.contains("<article class=\"site-post\" lang=\"he\" dir=\"rtl\""));
        assert_eq!(meta(&post, "og:title").as_deref(), Some("300 סלי מזון לחג"));
        assert_eq!(meta(&post, "og:type").as_deref(), Some("article"));
        assert_eq!(meta(&post, "og:locale").as_deref(), Some("he_IL"));
        assert_eq!(
            meta(&post, "og:image"),
            Some(app.url(&format!("/m/{}/large", p.media)))
        );
        assert_eq!(
            meta(&post, "og:image:alt").as_deref(),
            Some("מתנדבים אורזים סלי מזון")
        );
        assert_eq!(
            meta(&post, "twitter:card").as_deref(),
            Some("summary_large_image")
        );
        assert!(
            meta(&post, "og:description")
                .unwrap()
                .starts_with("120 מתנדבים ארזו")
        );
        assert_eq!(canonical(&post), app.url(&path));
        assert_eq!(meta(&post, "og:url"), Some(app.url(&path)));
        assert!(post.contains(
            "<a href=\"https://yad.example/food?a=1&amp;b=2\" rel=\"noopener\" dir=\"ltr\">"
        ));
        let ld = json_ld(&post);
        assert_eq!(ld["@type"], "Article");
        assert_eq!(ld["headline"], "300 סלי מזון לחג");
        assert_eq!(ld["inLanguage"], "he");
        // The picture itself is served.
        let img = visitor.get(&format!("/m/{}/large", p.media)).await;
        assert_eq!(img.status(), StatusCode::OK);

        // An English post: left to right.
        let (_, en) = visitor
            .get_text(&format!("/o/yad/p/{}", urlenc(&p.en)))
            .await;
        assert!(en.contains("lang=\"en\" dir=\"ltr\""));
        assert_eq!(meta(&en, "og:locale").as_deref(), Some("en_US"));
        assert_eq!(
            meta(&en, "twitter:card").as_deref(),
            Some("summary_large_image")
        );

        // An event: an Event in JSON-LD with its time in the organization's zone.
        let (_, ev) = visitor
            .get_text(&format!("/o/yad/p/{}", urlenc(&p.event)))
            .await;
        let ld = json_ld(&ev);
        assert_eq!(ld["@type"], "Event");
        assert_eq!(ld["startDate"], "2099-12-24T18:30:00+02:00");
        assert_eq!(ld["location"]["name"], "הרצל 1, חיפה");
        assert!(ev.contains("id=\"event-details\""));

        // Hostile text is shown as text; the JSON-LD cannot close its script element.
        let (_, bad) = visitor
            .get_text(&format!("/o/yad/p/{}", urlenc(&p.hostile)))
            .await;
        assert!(bad.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!bad.contains("<script>alert(1)"));
        assert_eq!(bad.matches("</script>").count(), 1);

        // A draft, an unknown post, an unknown organization, an unknown topic: not found.
        for path in [
            format!("/o/yad/p/{}", urlenc(&p.draft)),
            "/o/yad/p/nothing".into(),
            "/o/nobody".into(),
            "/o/yad/topics/nonsense".into(),
            "/o/yad/topics/nonsense/feed.rss".into(),
        ] {
            assert_eq!(
                visitor.get(&path).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }

        // Topics: one kind of post.
        let (s, topic) = visitor.get_text("/o/yad/topics/event").await;
        assert_eq!(s, StatusCode::OK);
        assert!(topic.contains("ערב התנדבות") && !topic.contains("300 סלי מזון לחג"));

        // The feeds, read by an independent parser.
        let titles_in_order = [
            "שלום \u{202e}evil",
            "ערב התנדבות",
            "A thousand volunteers",
            "300 סלי מזון לחג",
        ];
        for (file, mime) in [
            ("feed.rss", "application/rss+xml; charset=utf-8"),
            ("feed.atom", "application/atom+xml; charset=utf-8"),
            ("feed.json", "application/feed+json; charset=utf-8"),
        ] {
            let r = visitor.get(&format!("/o/yad/{file}")).await;
            assert_eq!(r.status(), StatusCode::OK);
            assert_eq!(r.headers()["content-type"], mime);
            let body = r.bytes().await.unwrap();
            let feed = feed_rs::parser::parse(&body[..])
                .unwrap_or_else(|e| panic!("{file}: {e}\n{}", String::from_utf8_lossy(&body)));
            let titles: Vec<String> = feed
                .entries
                .iter()
                .map(|e| e.title.as_ref().unwrap().content.clone())
                .collect();
            // The status line is a post too: the newest.
            assert_eq!(titles.len(), 5, "{file}: {titles:?}");
            assert_eq!(&titles[1..], &titles_in_order, "{file}");
            let he = feed
                .entries
                .iter()
                .find(|e| e.title.as_ref().unwrap().content == "300 סלי מזון לחג")
                .unwrap();
            assert_eq!(
                he.links[0].href,
                app.url(&format!("/o/yad/p/{}", urlenc(&p.he)))
            );
            assert!(he.published.is_some());
            let html = he
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .or_else(|| he.summary.as_ref().map(|s| s.content.clone()))
                .unwrap();
            assert!(
                html.contains("<div lang=\"he\" dir=\"rtl\">"),
                "{file}: {html}"
            );
            assert!(html.contains("alt=\"מתנדבים אורזים סלי מזון\""), "{file}");
            let en = feed
                .entries
                .iter()
                .find(|e| e.title.as_ref().unwrap().content == "A thousand volunteers")
                .unwrap();
            let html = en
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .or_else(|| en.summary.as_ref().map(|s| s.content.clone()))
                .unwrap();
            assert!(html.contains("<div lang=\"en\" dir=\"ltr\">"), "{file}");
            match file {
                "feed.atom" => {
                    assert_eq!(he.language.as_deref(), Some("he"));
                    assert_eq!(en.language.as_deref(), Some("en"));
                }
                "feed.rss" => assert_eq!(feed.language.as_deref(), Some("he")),
                _ => {
                    let v: Value = serde_json::from_slice(&body).unwrap();
                    assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
                    assert_eq!(v["language"], "he");
                    assert_eq!(v["items"][4]["language"], "he");
                    assert_eq!(v["items"][3]["language"], "en");
                    assert_eq!(
                        v["items"][4]["image"],
                        app.url(&format!("/m/{}/large", p.media))
                    );
                }
            }
            // The bell character cannot be carried by XML: it is left out, the rest is kept.
            let text = String::from_utf8_lossy(&body);
            assert!(!text.contains('\u{7}'));
            assert!(text.contains("text with a bell"));
        }
        let r = visitor.get("/o/yad/topics/event/feed.atom").await;
        let feed = feed_rs::parser::parse(&r.bytes().await.unwrap()[..]).unwrap();
        assert_eq!(feed.entries.len(), 1);
        assert!(
            feed.links
                .iter()
                .any(|l| l.href == app.url("/o/yad/topics/event/feed.atom"))
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn pages_and_settings_are_checked_and_the_site_answers_on_its_own_domain() {
    let app = TestApp::spawn_on(Backend::Sqlite, |_| {}).await;
    let (owner, p) = organization_with_posts(&app).await;
    let visitor = app.browser();

    // A page in Markdown; raw HTML stays text.
    let r = owner
        .post_form(
            "/orgs/yad/site/pages",
            &[
                ("title", "אודות"),
                (
                    "body",
                    "## מי אנחנו\n\nעמותה **חיפאית**. <img src=x onerror=alert(1)>",
                ),
                ("position", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (s, page) = visitor
        .get_text(&format!("/o/yad/pages/{}", urlenc("אודות")))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("<h2 dir=\"auto\">מי אנחנו</h2>") && page.contains("<strong>חיפאית</strong>")
    );
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let (_, home) = visitor.get_text("/o/yad").await;
    assert!(home.contains(&format!("href=\"/o/yad/pages/{}\"", urlenc("אודות"))));
    // The same address twice: a clear, translated refusal.
    let r = owner
        .post_form("/orgs/yad/site/pages", &[("title", "אודות"), ("body", "")])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("לעמוד אחר כבר יש את הכתובת הזו")
    );
    let r = owner
        .post_form("/orgs/yad/site/pages", &[("title", ""), ("body", "x")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Settings that are not valid are refused, field by field.
    for (field, value) in [
        ("site_domain", "not a domain"),
        ("site_domain", "127.0.0.1"),
        ("site_links", "Facebook | javascript:alert(1)"),
        ("site_keywords", &"k,".repeat(30)),
    ] {
        let r = owner.post_form("/orgs/yad/site", &[(field, value)]).await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}"
        );
    }

    // Its own domain: the site answers there, with links from the root and canonical
    // addresses on the domain.
    let r = owner
        .post_form("/orgs/yad/site", &[("site_domain", "WWW.Yad.Example")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let on_domain = |path: &str| {
        visitor
            .client
            .get(app.url(path))
            .header("host", "www.yad.example")
            .send()
    };
    let r = on_domain("/").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let home = r.text().await.unwrap();
    assert!(home.contains("300 סלי מזון לחג"));
    let link = format!("href=\"/p/{}\"", urlenc(&p.he));
    assert!(home.contains(&link), "links from the root");
    let r = on_domain(&format!("/p/{}", urlenc(&p.he))).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let post = r.text().await.unwrap();
    assert_eq!(
        canonical(&post),
        format!("http://www.yad.example/p/{}", urlenc(&p.he))
    );
    let r = on_domain("/feed.atom").await.unwrap();
    let feed = feed_rs::parser::parse(&r.bytes().await.unwrap()[..]).unwrap();
    assert_eq!(
        feed.entries.last().unwrap().links[0].href,
        format!("http://www.yad.example/p/{}", urlenc(&p.he))
    );
    // Media and assets keep their own addresses on the domain.
    let r = on_domain("/assets/app.css").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Another organization cannot take the domain.
    let r = owner
        .post_form("/orgs", &[("name", "Other"), ("slug", "other")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = owner
        .post_form("/orgs/other/site", &[("site_domain", "www.yad.example")])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("ארגון אחר כבר משתמש בדומיין הזה")
    );

    // Unknown and malformed Host headers change nothing: the instance answers as itself, and
    // what it writes never comes from the Host header.
    for host in ["unknown.example", "evil.example/<x>", "a\"b.example"] {
        let r = visitor
            .client
            .get(app.url("/o/yad"))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{host}");
        let html = r.text().await.unwrap();
        assert!(!html.contains("evil.example") && !html.contains("unknown.example"));
        let r = visitor
            .client
            .get(app.url("/"))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_ne!(
            r.status(),
            StatusCode::OK,
            "the instance's own home (sign-in) — {host}"
        );
    }

    // Deleting a page.
    let (_, admin) = owner.get_text("/orgs/yad/site").await;
    let marker = "name=\"page\" value=\"";
    let i = admin.find(marker).unwrap() + marker.len();
    let id = &admin[i..i + admin[i..].find('"').unwrap()];
    let r = owner
        .post_form("/orgs/yad/site/pages/delete", &[("page", id)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        visitor
            .get(&format!("/o/yad/pages/{}", urlenc("אודות")))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn the_demo_organization_has_a_site_with_posts_pages_and_feeds() {
    let app = TestApp::spawn().await;
    assert!(kehilla_app::demo::load(&app.db).await.unwrap());
    let visitor = app.browser();
    let (s, home) = visitor.get_text("/o/yad-beyad").await;
    assert_eq!(s, StatusCode::OK);
    for expected in [
        "300 סלי מזון לחג",
        "ליווי קשישים בודדים",
        "Food bank",
        ">Mastodon</a>",
        ">אודות</a>",
    ] {
        assert!(home.contains(expected), "{expected}");
    }
    let (s, about) = visitor
        .get_text(&format!("/o/yad-beyad/pages/{}", urlenc("אודות")))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(about.contains("<li dir=\"auto\">חלוקת סלי מזון בכל יום שישי</li>"));
    let r = visitor.get("/o/yad-beyad/feed.atom").await;
    let feed = feed_rs::parser::parse(&r.bytes().await.unwrap()[..]).unwrap();
    let (published,): (i64,) = kehilla_db::sqlx::query_as(
        "SELECT COUNT(*) FROM posts p JOIN organizations o ON o.id = p.organization_id \
         WHERE o.slug = 'yad-beyad' AND p.status = 'published'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(published >= 5);
    // The newest twenty (the demo also has a year of older posts).
    assert_eq!(
        feed.entries.len(),
        usize::try_from(published.min(20)).unwrap()
    );
    // An upcoming event with two shifts, taking sign-ups, in the calendar.
    let path = format!("/o/yad-beyad/p/{}", urlenc("יום-אריזה-גדול"));
    let (s, event) = visitor.get_text(&path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(event.contains("id=\"rsvp-form\""));
    assert!(event.contains("אריזה — בוקר") && event.contains("אריזה — צהריים"));
    assert!(event.contains("id=\"places-left\""), "{event}");
    let r = visitor.get(&format!("{path}/event.ics")).await;
    assert_eq!(r.status(), StatusCode::OK);
    // A discussion.
    let (_, board) = visitor
        .get_text(&format!("/o/yad-beyad/boards/{}", urlenc("שאלות-ותשובות")))
        .await;
    assert!(board.contains("אפשר להתנדב עם ילדים?"));
    app.stop().await;
}

/// Posts one RSVP as a visitor; returns the response.
async fn rsvp(app: &TestApp, slug: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.browser()
        .post_form(&format!("/o/yad/p/{}/rsvp", urlenc(slug)), fields)
        .await
}

async fn person_id(app: &TestApp, email: &str) -> Option<i64> {
    kehilla_db::sqlx::query_as::<_, (i64,)>("SELECT id FROM people WHERE email = $1")
        .bind(email)
        .fetch_optional(&app.db.pool)
        .await
        .unwrap()
        .map(|r| r.0)
}

async fn statuses(app: &TestApp) -> Vec<(String, String, i64)> {
    kehilla_db::sqlx::query_as(
        "SELECT p.email, r.status, r.shift_id FROM rsvps r JOIN people p ON p.id = r.person_id \
         ORDER BY r.id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

/// Both backends: capacity, waiting list, shifts of one place, people and consents, the
/// organization's list with attendance and cancellation, and the calendar file.
#[tokio::test]
async fn an_event_takes_rsvps_up_to_its_places_then_a_waiting_list_and_shifts_one_each() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let (owner, p) = organization_with_posts(&app).await;
        let (s, admin) = owner.get_text("/orgs/yad/site").await;
        assert_eq!(s, StatusCode::OK);
        let marker = "/orgs/yad/site/events/";
        let i = admin.find(marker).expect("the event is listed") + marker.len();
        let event = admin[i..i + admin[i..].find('"').unwrap()].to_string();
        let page = format!("/orgs/yad/site/events/{event}");
        let r = owner
            .post_form(
                &page,
                &[
                    ("capacity", "3"),
                    ("waitlist", "1"),
                    ("rsvp_open", "1"),
                    ("duration_minutes", "90"),
                    ("online_url", "https://meet.example/yad"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{backend:?}");
        let r = owner
            .post_form(
                &format!("{page}/shifts"),
                &[
                    ("title", "אריזה"),
                    ("starts_at", "2099-12-24T16:00"),
                    ("ends_at", "2099-12-24T18:00"),
                    ("capacity", "1"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        for (field, value) in [
            ("capacity", "0"),
            ("online_url", "javascript:alert(1)"),
            ("duration_minutes", "1"),
        ] {
            let r = owner.post_form(&page, &[(field, value)]).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        }

        // Two places for the first (a guest with her), one for the second: full.
        let r = rsvp(
            &app,
            &p.event,
            &[
                ("first_name", "מיכל"),
                ("email", "michal@example.org"),
                ("phone", "050-222-2222"),
                ("guests", "1"),
                ("sms_reminders", "1"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(crate::support::location(&r).ends_with("?rsvp=going#rsvp"));
        let r = rsvp(
            &app,
            &p.event,
            &[("first_name", "Ben"), ("email", "ben@example.org")],
        )
        .await;
        assert!(crate::support::location(&r).ends_with("?rsvp=going#rsvp"));
        // The third waits.
        let r = rsvp(
            &app,
            &p.event,
            &[("first_name", "Gal"), ("email", "gal@example.org")],
        )
        .await;
        assert!(crate::support::location(&r).ends_with("?rsvp=waitlist#rsvp"));
        // Answering again changes the answer, not the count.
        let r = rsvp(
            &app,
            &p.event,
            &[
                ("first_name", "מיכל"),
                ("email", "Michal@Example.org"),
                ("guests", "1"),
            ],
        )
        .await;
        assert!(crate::support::location(&r).ends_with("?rsvp=going#rsvp"));
        // SMS reminders need a phone number; a bot's honeypot leaves nothing behind.
        let r = rsvp(
            &app,
            &p.event,
            &[
                ("first_name", "Dan"),
                ("email", "dan@example.org"),
                ("sms_reminders", "1"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = rsvp(
            &app,
            &p.event,
            &[
                ("first_name", "Bot"),
                ("email", "bot@example.org"),
                ("website", "x"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(person_id(&app, "bot@example.org").await, None);

        // A shift has one place.
        let (_, post) = app
            .browser()
            .get_text(&format!("/o/yad/p/{}", urlenc(&p.event)))
            .await;
        let marker = "name=\"shift\" value=\"";
        let shift = post
            .match_indices(marker)
            .map(|(i, _)| &post[i + marker.len()..])
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .find(|s| !s.is_empty())
            .expect("a shift to choose");
        assert!(post.contains("האירוע מלא; אפשר להצטרף לרשימת ההמתנה."));
        let r = rsvp(
            &app,
            &p.event,
            &[
                ("first_name", "נועה"),
                ("email", "noa@example.org"),
                ("shift", &shift),
            ],
        )
        .await;
        assert!(crate::support::location(&r).ends_with("?rsvp=going#rsvp"));
        let r = rsvp(
            &app,
            &p.event,
            &[
                ("first_name", "Omer"),
                ("email", "omer@example.org"),
                ("shift", &shift),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("לא נשארו מקומות"));
        let r = rsvp(
            &app,
            &p.event,
            &[
                ("first_name", "Omer"),
                ("email", "omer@example.org"),
                ("shift", "forged"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            statuses(&app).await,
            vec![
                ("michal@example.org".into(), "going".into(), 0),
                ("ben@example.org".into(), "going".into(), 0),
                ("gal@example.org".into(), "waitlist".into(), 0),
                (
                    "noa@example.org".into(),
                    "going".into(),
                    statuses(&app).await[3].2
                ),
            ]
        );
        assert_ne!(statuses(&app).await[3].2, 0);

        // Each is a person, with the consents they gave and one event on their timeline.
        let michal = person_id(&app, "michal@example.org").await.unwrap();
        let (sms,): (i64,) = kehilla_db::sqlx::query_as(
            "SELECT COUNT(*) FROM consents WHERE person_id = $1 AND channel = 'sms' \
             AND purpose = 'event_reminders' AND given = 1 AND source = 'event'",
        )
        .bind(michal)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(sms, 1, "the box ticked once is on the ledger once");
        let kinds: Vec<(String,)> = kehilla_db::sqlx::query_as(
            "SELECT e.kind FROM person_events e JOIN people p ON p.id = e.person_id \
             WHERE e.kind IN ('rsvp', 'shift-signup') ORDER BY e.id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let kinds: Vec<&str> = kinds.iter().map(|k| k.0.as_str()).collect();
        assert_eq!(kinds, vec!["rsvp", "rsvp", "rsvp", "shift-signup"]);

        // The organization's list: Ben cancels by phone, Gal moves up; Michal came.
        let (_, list) = owner.get_text(&page).await;
        assert!(list.contains("3 נרשמו / 3"), "{list}");
        let rsvp_of = |list: &str, name: &str| -> String {
            let row = list
                .split("<tr data-rsvp=\"")
                .find(|r| r.contains(name))
                .unwrap();
            row[..row.find('"').unwrap()].to_string()
        };
        let ben = rsvp_of(&list, "Ben");
        let r = owner
            .post_form(
                &format!("{page}/rsvps"),
                &[("rsvp", &ben), ("action", "cancel")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let st = statuses(&app).await;
        assert_eq!(st[1].1, "cancelled");
        assert_eq!(st[2].1, "going", "the first waiting moves up");
        let m = rsvp_of(&list, "מיכל");
        owner
            .post_form(
                &format!("{page}/rsvps"),
                &[("rsvp", &m), ("action", "came")],
            )
            .await;
        let (attended,): (Option<i64>,) =
            kehilla_db::sqlx::query_as("SELECT attended FROM rsvps WHERE public_id = $1")
                .bind(&m)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(attended, Some(1));

        // The calendar file, read by an independent parser.
        let r = app
            .browser()
            .get(&format!("/o/yad/p/{}/event.ics", urlenc(&p.event)))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
        let text = r.text().await.unwrap();
        assert!(text.lines().all(|l| l.len() <= 75));
        let cal: icalendar::Calendar = text.parse().unwrap();
        use icalendar::Component;
        let ev = cal.events().next().unwrap();
        assert_eq!(ev.property_value("SUMMARY"), Some("ערב התנדבות"));
        // 18:30 in Jerusalem in December is 16:30 UTC; 90 minutes long.
        assert_eq!(ev.property_value("DTSTART"), Some("20991224T163000Z"));
        assert_eq!(ev.property_value("DTEND"), Some("20991224T180000Z"));
        assert_eq!(ev.property_value("LOCATION"), Some("הרצל 1, חיפה"));
        assert!(
            text.contains("LOCATION:הרצל 1\\, חיפה\r\n"),
            "escaped on the wire"
        );

        // Closed: a clear refusal.
        owner
            .post_form(&page, &[("capacity", "3"), ("waitlist", "1")])
            .await;
        let r = rsvp(
            &app,
            &p.event,
            &[("first_name", "Late"), ("email", "late@example.org")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ההרשמה לאירוע הזה נסגרה"));
        // A post that is not an event takes no RSVP.
        let r = rsvp(
            &app,
            &p.he,
            &[("first_name", "X"), ("email", "x@example.org")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        app.stop().await;
    }
}

/// Reminders the day before and hours before, by email to everyone going and by SMS to those
/// who asked for SMS reminders; a thank-you afterwards to those who were not marked absent.
/// Each once, however often the minute's tick runs.
#[tokio::test]
async fn reminders_and_a_thank_you_go_once_each_by_the_consent_given() {
    let sink = crate::support::smtp::Sink::start().await;
    let smtp = sink.url();
    let account = format!("AC{}", "cd".repeat(16));
    let (twilio, fake) = crate::messaging::fake_twilio(&account, "tw-token").await;
    let app = TestApp::spawn_on(Backend::Sqlite, move |s| {
        s.smtp_url = Some(kehilla_app::settings::Secret(smtp));
        s.fetch_private = true;
    })
    .await;
    let (owner, p) = organization_with_posts(&app).await;
    let r = owner
        .post_form(
            "/orgs/yad/campaigns/sender/sms",
            &[
                ("kind", "twilio"),
                ("account", &account),
                ("secret", "tw-token"),
                ("sender", "+97235551234"),
                ("url", &twilio),
                ("cost_per_segment", "5"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = rsvp(
        &app,
        &p.event,
        &[
            ("first_name", "מיכל"),
            ("email", "michal@example.org"),
            ("phone", "050-222-2222"),
            ("sms_reminders", "1"),
        ],
    )
    .await;
    assert!(crate::support::location(&r).contains("rsvp=going"));
    // Ben gives a phone but no SMS consent: email only.
    let r = rsvp(
        &app,
        &p.event,
        &[
            ("first_name", "Ben"),
            ("email", "ben@example.org"),
            ("phone", "050-333-3333"),
        ],
    )
    .await;
    assert!(crate::support::location(&r).contains("rsvp=going"));
    sink.clear();
    let (start, duration): (i64, i64) =
        kehilla_db::sqlx::query_as("SELECT starts_at, duration_minutes FROM events")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    const HOUR: i64 = 3_600_000;
    let tick = |now: i64| kehilla_app::home::events::tick(&app.db, now);

    // Too early: nothing.
    assert_eq!(tick(start - 30 * HOUR).await.unwrap(), 0);
    // The day before: both by email, Michal by SMS too.
    assert_eq!(tick(start - 22 * HOUR).await.unwrap(), 2);
    assert_eq!(
        tick(start - 22 * HOUR + 60_000).await.unwrap(),
        0,
        "queued once"
    );
    app.run_pending_jobs().await;
    let mails = sink.all();
    let mut to: Vec<String> = mails
        .iter()
        .map(|m| m.to[0].trim_matches(['<', '>']).to_string())
        .collect();
    to.sort();
    assert_eq!(to, vec!["ben@example.org", "michal@example.org"]);
    let michal = mails
        .iter()
        .find(|m| m.to[0].contains("michal@example.org"))
        .unwrap();
    let body = crate::people::mail_body_pub(&michal.data);
    assert!(
        body.contains("תזכורת: ערב התנדבות מחר, 24.12.2099 18:30, בהרצל 1, חיפה."),
        "{body}"
    );
    {
        let f = fake.lock().unwrap();
        assert_eq!(f.sent.len(), 1);
        assert_eq!(f.sent[0].0, "+972502222222");
        assert!(f.sent[0].1.contains("ערב התנדבות מחר"), "{}", f.sent[0].1);
    }
    // Hours before: again, once.
    assert_eq!(tick(start - 2 * HOUR).await.unwrap(), 2);
    app.run_pending_jobs().await;
    app.run_pending_jobs().await;
    assert_eq!(sink.all().len(), 4);
    assert_eq!(fake.lock().unwrap().sent.len(), 2);

    // Ben did not come: the thank-you goes to Michal only.
    let (_, admin) = owner.get_text("/orgs/yad/site").await;
    let marker = "/orgs/yad/site/events/";
    let i = admin.find(marker).unwrap() + marker.len();
    let event = admin[i..i + admin[i..].find('"').unwrap()].to_string();
    let page = format!("/orgs/yad/site/events/{event}");
    let (_, list) = owner.get_text(&page).await;
    let row = list
        .split("<tr data-rsvp=\"")
        .find(|r| r.contains("Ben"))
        .unwrap();
    let ben = &row[..row.find('"').unwrap()];
    owner
        .post_form(
            &format!("{page}/rsvps"),
            &[("rsvp", ben), ("action", "absent")],
        )
        .await;
    let end = start + duration * 60_000;
    assert_eq!(tick(end + HOUR).await.unwrap(), 1);
    app.run_pending_jobs().await;
    let mails = sink.all();
    assert_eq!(mails.len(), 5);
    let thanks = mails.last().unwrap();
    assert!(thanks.to[0].contains("michal@example.org"));
    assert!(crate::people::mail_body_pub(&thanks.data).contains("תודה שהגעת לערב התנדבות"));
    assert_eq!(fake.lock().unwrap().sent.len(), 2, "no SMS for a thank-you");
    // A day later nothing more is due.
    assert_eq!(tick(end + 30 * HOUR).await.unwrap(), 0);
    app.stop().await;
}

/// A donation appeal takes a pledge and sends the visitor on to the organization's payment
/// page; a call for volunteers shows the volunteer sign-up form.
#[tokio::test]
async fn an_appeal_records_pledges_and_a_call_shows_its_form() {
    for backend in backends() {
        let app = TestApp::spawn_on(backend, |_| {}).await;
        let (owner, _) = organization_with_posts(&app).await;
        let token = owner.create_token("yad", "write").await;
        let api = reqwest::Client::new();
        let mut slugs = Vec::new();
        for p in [
            json!({"kind": "donation", "title": "מגבית חורף",
                   "body": "עזרו לנו לקנות מעילים.",
                   "details": {"url": "https://pay.example/yad?campaign=winter"}}),
            json!({"kind": "volunteers", "title": "דרושים מתנדבים", "body": "בואו!"}),
        ] {
            let v: Value = api
                .post(app.url("/api/v1/orgs/yad/posts"))
                .bearer_auth(&token)
                .json(&p)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            kehilla_db::sqlx::query(
                "UPDATE posts SET status = 'published', published_at = $1 WHERE public_id = $2",
            )
            .bind(1_790_000_000_000_i64)
            .bind(v["id"].as_str().unwrap())
            .execute(&app.db.pool)
            .await
            .unwrap();
            slugs.push(v["slug"].as_str().unwrap().to_string());
        }
        let visitor = app.browser();
        let appeal = format!("/o/yad/p/{}", urlenc(&slugs[0]));
        let (_, page) = visitor.get_text(&appeal).await;
        assert!(page.contains("id=\"pledge-form\""));
        let r = visitor
            .post_form(
                &format!("{appeal}/pledge"),
                &[
                    ("first_name", "רות"),
                    ("email", "ruth@example.org"),
                    ("amount", "₪1,800.50"),
                    ("monthly", "1"),
                    ("newsletter", "1"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            crate::support::location(&r),
            "https://pay.example/yad?campaign=winter"
        );
        for amount in ["0", "-3", "12.345", "a lot"] {
            let r = visitor
                .post_form(
                    &format!("{appeal}/pledge"),
                    &[
                        ("first_name", "X"),
                        ("email", "x@example.org"),
                        ("amount", amount),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{amount}");
        }
        let (amount, monthly): (i64, i64) =
            kehilla_db::sqlx::query_as("SELECT amount, monthly FROM pledges")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!((amount, monthly), (180_050, 1));
        let (n,): (i64,) = kehilla_db::sqlx::query_as(
            "SELECT COUNT(*) FROM consents c JOIN people p ON p.id = c.person_id \
             WHERE p.email = 'ruth@example.org' AND c.source = 'pledge' AND c.purpose = 'newsletter'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(n, 1);
        let (_, admin) = owner.get_text("/orgs/yad/site").await;
        assert!(admin.contains("₪1,800.50"), "{admin}");
        // A pledge on a post that is not an appeal: not found.
        let r = visitor
            .post_form(
                &format!("/o/yad/p/{}/pledge", urlenc(&slugs[1])),
                &[
                    ("first_name", "X"),
                    ("email", "x@example.org"),
                    ("amount", "5"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);

        // The call shows the organization's volunteer form once there is one.
        let call = format!("/o/yad/p/{}", urlenc(&slugs[1]));
        let (_, page) = visitor.get_text(&call).await;
        assert!(!page.contains("id=\"call-form\""));
        let r = owner
            .post_form(
                "/orgs/yad/forms",
                &[
                    ("kind", "volunteer"),
                    ("title", "מתנדבים"),
                    ("lang", "he"),
                    ("k0_channel", "email"),
                    ("k0_purpose", "newsletter"),
                    ("k0_wording", "כן"),
                ],
            )
            .await;
        let form = crate::support::location(&r)
            .split('/')
            .nth(4)
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let (_, page) = visitor.get_text(&call).await;
        assert!(
            page.contains(&format!("<iframe src=\"/f/{form}/embed\"")),
            "{page}"
        );
        let r = visitor.get(&format!("/f/{form}/embed")).await;
        assert_eq!(r.status(), StatusCode::OK);
        app.stop().await;
    }
}

/// The verification link in a message the sink took.
fn verify_link(sink: &crate::support::smtp::Sink, to: &str) -> String {
    let mail = sink
        .all()
        .into_iter()
        .rev()
        .find(|m| m.to[0].contains(to))
        .expect("a verification email");
    let body = crate::people::mail_body_pub(&mail.data);
    let line = body.lines().find(|l| l.contains("/c/verify/")).unwrap();
    line[line.find("/c/verify/").unwrap()..].trim().to_string()
}

/// Comments: the address proved by email first, the first comment moderated, later ones at
/// once; hostile text neutralised; a ban; boards with threads and replies.
#[tokio::test]
async fn visitors_discuss_after_proving_their_address_and_moderators_keep_order() {
    let (sink, app) = crate::people::sink_app().await;
    let (owner, p) = organization_with_posts(&app).await;
    let post = format!("/o/yad/p/{}", urlenc(&p.he));
    let visitor = app.browser();
    let hostile = "<script>alert(1)</script> שלום \u{202e}evil\u{202c} https://spam.example";
    let r = visitor
        .post_form(
            &format!("{post}/comments"),
            &[
                ("name", "רונית"),
                ("email", "ronit@example.org"),
                ("body", hostile),
            ],
        )
        .await;
    assert!(crate::support::location(&r).ends_with("?comment=check-email#comments"));
    app.run_pending_jobs().await;
    let (_, page) = visitor.get_text(&post).await;
    assert!(
        !page.contains("alert(1)"),
        "nothing shows before the address is proved"
    );
    // The link: a button first (mail scanners open links), then the cookie.
    let link = verify_link(&sink, "ronit@example.org");
    let (s, confirm) = visitor.get_text(&link).await;
    assert_eq!(s, StatusCode::OK);
    assert!(confirm.contains("id=\"verify-form\""));
    let r = visitor.post_form(&link, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(visitor.cookie("kehilla_commenter").is_some());
    let (_, page) = visitor.get_text(&post).await;
    assert!(
        !page.contains("alert(1)"),
        "the first comment waits for a moderator"
    );
    // The queue: approve.
    let (_, queue) = owner.get_text("/orgs/yad/site/comments").await;
    let marker = "data-comment=\"";
    let i = queue.find(marker).unwrap() + marker.len();
    let id = queue[i..i + queue[i..].find('"').unwrap()].to_string();
    let r = owner
        .post_form(
            "/orgs/yad/site/comments",
            &[("comment", &id), ("action", "approve")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = visitor.get_text(&post).await;
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt; שלום evil"),
        "{page}"
    );
    assert!(!page.contains('\u{202e}'), "the bidi override is gone");
    assert!(page.contains("rel=\"nofollow ugc noopener\""));
    // Later comments from the proven browser show at once.
    let r = visitor
        .post_form(
            &format!("{post}/comments"),
            &[
                ("name", "רונית"),
                ("email", "ronit@example.org"),
                ("body", "עוד תגובה"),
            ],
        )
        .await;
    assert!(crate::support::location(&r).contains("comment=visible"));
    // Someone else typing her address is asked to prove it.
    let other = app.browser();
    let r = other
        .post_form(
            &format!("{post}/comments"),
            &[
                ("name", "רונית"),
                ("email", "ronit@example.org"),
                ("body", "מתחזה"),
            ],
        )
        .await;
    assert!(crate::support::location(&r).contains("comment=check-email"));
    let (_, page) = other.get_text(&post).await;
    assert!(page.contains("עוד תגובה") && !page.contains("מתחזה"));
    // Bad input: too long, empty, a bot.
    let long = "א".repeat(5001);
    let r = other
        .post_form(
            &format!("{post}/comments"),
            &[("name", "x"), ("email", "x@example.org"), ("body", &long)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = other
        .post_form(
            &format!("{post}/comments"),
            &[
                ("name", "x"),
                ("email", "x@example.org"),
                ("body", "\u{202e} "),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = other
        .post_form(
            &format!("{post}/comments"),
            &[
                ("name", "bot"),
                ("email", "bot@example.org"),
                ("body", "buy"),
                ("website", "x"),
            ],
        )
        .await;
    assert!(crate::support::location(&r).contains("comment=check-email"));
    let (n,): (i64,) = kehilla_db::sqlx::query_as(
        "SELECT COUNT(*) FROM commenters WHERE email = 'bot@example.org'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(n, 0);

    // Boards: a thread and a reply, shown at once for a proven commenter.
    let r = owner
        .post_form(
            "/orgs/yad/site/boards",
            &[("title", "שאלות ותשובות"), ("description", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let board = format!("/o/yad/boards/{}", urlenc("שאלות-ותשובות"));
    let r = visitor
        .post_form(
            &board,
            &[
                ("name", "רונית"),
                ("email", "ronit@example.org"),
                ("title", "איך מתנדבים?"),
                ("body", "מה צריך לעשות?"),
            ],
        )
        .await;
    assert!(crate::support::location(&r).contains("comment=visible"));
    let (_, list) = visitor.get_text(&board).await;
    assert!(list.contains("איך מתנדבים?"));
    let marker = "/boards/";
    let thread = list
        .match_indices(marker)
        .map(|(i, _)| &list[i..])
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .find(|s| s.matches('/').count() == 3)
        .unwrap();
    let r = visitor
        .post_form(
            &format!("/o/yad{thread}"),
            &[
                ("name", "רונית"),
                ("email", "ronit@example.org"),
                ("body", "תשובה ראשונה"),
            ],
        )
        .await;
    assert!(crate::support::location(&r).contains("comment=visible"));
    let (_, t) = visitor.get_text(&format!("/o/yad{thread}")).await;
    assert!(t.contains("מה צריך לעשות?") && t.contains("תשובה ראשונה"));

    // A ban hides the commenter's comments and refuses new ones.
    let spammer = app.browser();
    spammer
        .post_form(
            &format!("{post}/comments"),
            &[
                ("name", "spam"),
                ("email", "spam@example.org"),
                ("body", "cheap pills"),
            ],
        )
        .await;
    app.run_pending_jobs().await;
    let link = verify_link(&sink, "spam@example.org");
    spammer.post_form(&link, &[]).await;
    let (_, queue) = owner.get_text("/orgs/yad/site/comments").await;
    let row = queue
        .split("data-comment=\"")
        .find(|r| r.contains("cheap pills"))
        .unwrap();
    let id = &row[..row.find('"').unwrap()];
    owner
        .post_form(
            "/orgs/yad/site/comments",
            &[("comment", id), ("action", "ban")],
        )
        .await;
    let r = spammer
        .post_form(
            &format!("{post}/comments"),
            &[
                ("name", "spam"),
                ("email", "spam@example.org"),
                ("body", "again"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("תגובות מהכתובת הזו אינן מתקבלות")
    );
    let (status,): (String,) =
        kehilla_db::sqlx::query_as("SELECT status FROM comments WHERE body = 'cheap pills'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(status, "hidden", "kept, not deleted");

    // Five in ten minutes from one address (an impostor's unproven try does not count): she
    // has four; the fifth goes, the sixth waits.
    let r = visitor
        .post_form(
            &format!("{post}/comments"),
            &[
                ("name", "רונית"),
                ("email", "ronit@example.org"),
                ("body", "חמישית"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = visitor
        .post_form(
            &format!("{post}/comments"),
            &[
                ("name", "רונית"),
                ("email", "ronit@example.org"),
                ("body", "שישית"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "600");
    app.stop().await;
}

/// A post for no network is the site's alone: scheduled, it is published there at its time.
#[tokio::test]
async fn a_post_for_no_network_is_published_on_the_site_at_its_time() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let token = owner.create_token("yad", "write").await;
    let api = reqwest::Client::new();
    let v: Value = api
        .post(app.url("/api/v1/orgs/yad/posts"))
        .bearer_auth(&token)
        .json(
            &json!({"kind": "story", "title": "רק באתר", "body": "פוסט לאתר בלבד.",
                      "scheduled_at": "2099-03-01T10:00"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = v["id"].as_str().unwrap();
    let r = api
        .post(app.url(&format!("/api/v1/orgs/yad/posts/{id}/actions")))
        .bearer_auth(&token)
        .json(&json!({"action": "schedule"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let path = format!("/o/yad/p/{}", urlenc(v["slug"].as_str().unwrap()));
    assert_eq!(
        app.browser().get(&path).await.status(),
        StatusCode::NOT_FOUND
    );
    // Its time comes (2099-03-01 10:00 in Jerusalem).
    let later = 4_076_060_400_000_i64 + 86_400_000;
    kehilla_app::publishing::dispatch_due(&app.db, later)
        .await
        .unwrap();
    let (s, page) = app.browser().get_text(&path).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("פוסט לאתר בלבד."));
    app.stop().await;
}
