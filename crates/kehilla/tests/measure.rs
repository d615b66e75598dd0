//! Measure and Plan: rollups against the raw events on both backends, goals and the dashboard.

use std::collections::BTreeMap;

use chrono::Datelike;

use kehilla_app::measure::{self, day_bounds, day_of};
use kehilla_db::Db;
use proptest::prelude::*;
use reqwest::StatusCode;

use crate::support::{TestApp, TestDb, backends, extract_value};

/// 2026-10-22 00:00 in Israel. On Sunday 2026-10-25 at 02:00 the clocks go back to 01:00, so
/// one local day of the span has 25 hours.
const BASE: i64 = 1_792_616_400_000;
const SPAN_MS: i64 = 6 * 86_400_000;

#[derive(Debug, Clone)]
enum Event {
    Click {
        channel: i64,
        at: i64,
    },
    Person {
        at: i64,
    },
    SignUp {
        at: i64,
    },
    /// A post's cumulative figure read at `at`.
    PostFigure {
        channel: i64,
        post: i64,
        metric: &'static str,
        at: i64,
        value: f64,
    },
    Followers {
        channel: i64,
        at: i64,
        value: f64,
    },
}

fn event() -> impl Strategy<Value = Event> {
    let at = 0..SPAN_MS;
    prop_oneof![
        (0..3_i64, at.clone()).prop_map(|(channel, at)| Event::Click {
            channel,
            at: BASE + at
        }),
        at.clone().prop_map(|at| Event::Person { at: BASE + at }),
        at.clone().prop_map(|at| Event::SignUp { at: BASE + at }),
        (
            1..3_i64,
            1..4_i64,
            prop_oneof![Just("views"), Just("likes"), Just("shares")],
            at.clone(),
            0..500_u32
        )
            .prop_map(|(channel, post, metric, at, v)| Event::PostFigure {
                channel,
                post,
                metric,
                at: BASE + at,
                value: f64::from(v)
            }),
        (1..3_i64, at, 0..2000_u32).prop_map(|(channel, at, v)| Event::Followers {
            channel,
            at: BASE + at,
            value: f64::from(v)
        }),
    ]
}

async fn insert(db: &Db, org: i64, events: &[Event]) {
    let pool = &db.pool;
    // One link per channel (0: a link of no channel).
    let mut links = BTreeMap::new();
    for ch in 0..3_i64 {
        let channel = if ch == 0 {
            None
        } else {
            Some(channel_id(db, org, ch).await)
        };
        let code = format!("m{org}x{ch}");
        sqlx::query("INSERT INTO links (code, organization_id, channel_id, target, destination, created_at) VALUES ($1, $2, $3, 'https://example.org', 'https://example.org', 0)")
            .bind(&code).bind(org).bind(channel).execute(pool).await.unwrap();
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM links WHERE code = $1")
            .bind(&code)
            .fetch_one(pool)
            .await
            .unwrap();
        links.insert(ch, (id, channel));
    }
    let mut n = 0;
    for e in events {
        n += 1;
        match e {
            Event::Click { channel, at } => {
                let (link, ch) = links[channel];
                sqlx::query("INSERT INTO clicks (organization_id, link_id, channel_id, at) VALUES ($1, $2, $3, $4)")
                    .bind(org).bind(link).bind(ch).bind(*at).execute(pool).await.unwrap();
            }
            Event::Person { at } => person(db, org, &format!("p-{org}-{n}"), *at, None).await,
            Event::SignUp { at } => {
                person(
                    db,
                    org,
                    &format!("p-{org}-{n}"),
                    BASE - 86_400_000,
                    Some(*at),
                )
                .await;
            }
            Event::PostFigure {
                channel,
                post,
                metric,
                at,
                value,
            } => {
                let ch = channel_id(db, org, *channel).await;
                kehilla_db::measure::add_point(pool, org, metric, ch, *post, *at, *value)
                    .await
                    .unwrap();
            }
            Event::Followers { channel, at, value } => {
                let ch = channel_id(db, org, *channel).await;
                kehilla_db::measure::add_point(pool, org, "followers", ch, 0, *at, *value)
                    .await
                    .unwrap();
            }
        }
    }
}

/// A person added at `added` who signed up at `signed_up` (when given).
async fn person(db: &Db, org: i64, public_id: &str, added: i64, signed_up: Option<i64>) {
    sqlx::query("INSERT INTO people (public_id, organization_id, created_at, updated_at) VALUES ($1, $2, $3, $3)")
        .bind(public_id)
        .bind(org)
        .bind(added)
        .execute(&db.pool)
        .await
        .unwrap();
    let Some(at) = signed_up else { return };
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM people WHERE public_id = $1")
        .bind(public_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO person_events (organization_id, person_id, kind, created_at) VALUES ($1, $2, 'signed-up', $3)")
        .bind(org)
        .bind(id)
        .bind(at)
        .execute(&db.pool)
        .await
        .unwrap();
}

/// The public id of the first goal on the dashboard's page.
fn first_goal(html: &str) -> String {
    html.split(r#"id="goal-"#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string()
}

/// The organization's n-th channel (1 or 2), made when first asked for.
async fn channel_id(db: &Db, org: i64, n: i64) -> i64 {
    let pid = format!("c-{org}-{n}");
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM channels WHERE public_id = $1")
        .bind(&pid)
        .fetch_optional(&db.pool)
        .await
        .unwrap();
    if let Some((id,)) = found {
        return id;
    }
    sqlx::query("INSERT INTO channels (public_id, organization_id, network, name, created_at) VALUES ($1, $2, 'mastodon', $1, 0)")
        .bind(&pid).bind(org).execute(&db.pool).await.unwrap();
    Box::pin(channel_id(db, org, n)).await
}

type Rows = BTreeMap<(String, i64, i64), f64>;

/// What the rollups must say, computed here from the events themselves.
async fn expected(db: &Db, org: i64, events: &[Event], days: &[i64]) -> Rows {
    let tz = chrono_tz::Asia::Jerusalem;
    let mut rows = Rows::new();
    fn add(rows: &mut Rows, metric: &str, ch: i64, day: i64, v: f64) {
        *rows.entry((metric.to_string(), ch, day)).or_default() += v;
        if ch > 0 {
            *rows.entry((metric.to_string(), 0, day)).or_default() += v;
        }
    }
    for e in events {
        match e {
            Event::Click { channel, at } => {
                let ch = if *channel == 0 {
                    0
                } else {
                    channel_id(db, org, *channel).await
                };
                add(&mut rows, "clicks", ch, day_of(tz, *at), 1.0);
            }
            Event::Person { at } => add(&mut rows, "new_people", 0, day_of(tz, *at), 1.0),
            Event::SignUp { at } => add(&mut rows, "signups", 0, day_of(tz, *at), 1.0),
            _ => {}
        }
    }
    // Levels: the last figure before each day's end; posts: how much their highest grew.
    for &day in days {
        let (from, to) = day_bounds(tz, day).unwrap();
        let mut last: BTreeMap<i64, (i64, f64)> = BTreeMap::new();
        let mut grew: BTreeMap<(i64, i64, &str), (f64, f64)> = BTreeMap::new();
        for e in events {
            match e {
                Event::Followers { channel, at, value } if *at < to => {
                    let ch = channel_id(db, org, *channel).await;
                    let l = last.entry(ch).or_insert((*at, *value));
                    if *at >= l.0 {
                        *l = (*at, *value);
                    }
                }
                Event::PostFigure {
                    channel,
                    post,
                    metric,
                    at,
                    value,
                } if *at < to => {
                    let ch = channel_id(db, org, *channel).await;
                    let g = grew.entry((ch, *post, metric)).or_insert((0.0, 0.0));
                    if *at < from {
                        g.0 = g.0.max(*value);
                    }
                    g.1 = g.1.max(*value);
                }
                _ => {}
            }
        }
        let mut total = 0.0;
        for (ch, (_, v)) in &last {
            rows.insert(("followers".into(), *ch, day), *v);
            total += v;
        }
        if !last.is_empty() {
            rows.insert(("followers".into(), 0, day), total);
        }
        let mut sums: BTreeMap<(&str, i64), f64> = BTreeMap::new();
        for ((ch, _, metric), (before, by_end)) in grew {
            let kind = if metric == "views" {
                "views"
            } else {
                "engagements"
            };
            *sums.entry((kind, ch)).or_default() += (by_end - before).max(0.0);
        }
        for ((kind, ch), v) in sums {
            add(&mut rows, kind, ch, day, v);
        }
    }
    rows.retain(|(m, _, _), v| *v != 0.0 || m == "followers");
    rows
}

async fn rolled(db: &Db, org: i64) -> Rows {
    let rows: Vec<(String, i64, i64, f64)> = sqlx::query_as(
        "SELECT metric, channel_id, day, value FROM daily_metrics WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    rows.into_iter()
        .filter(|(m, ..)| {
            [
                "clicks",
                "new_people",
                "signups",
                "followers",
                "views",
                "engagements",
            ]
            .contains(&m.as_str())
        })
        .map(|(m, c, d, v)| ((m, c, d), v))
        .collect()
}

#[test]
fn rollups_equal_the_raw_events_on_both_backends() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dbs: Vec<(TestDb, Db)> = rt.block_on(async {
        let mut v = Vec::new();
        for b in backends() {
            let t = TestDb::new(b).await;
            let db = t.connect().await;
            v.push((t, db));
        }
        v
    });
    let tz = chrono_tz::Asia::Jerusalem;
    let first = day_of(tz, BASE);
    let days: Vec<i64> = (first..=day_of(tz, BASE + SPAN_MS)).collect();
    // The span crosses the change of the clocks: one of its days is 25 hours long.
    assert!(days.iter().any(|d| {
        let (a, b) = day_bounds(tz, *d).unwrap();
        b - a == 25 * 3_600_000
    }));
    let case = std::cell::Cell::new(0);
    let checked = std::cell::Cell::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 12,
        failure_persistence: None,
        ..Default::default()
    });
    runner
        .run(&proptest::collection::vec(event(), 1..60), |events| {
            case.set(case.get() + 1);
            rt.block_on(async {
                for (_, db) in &dbs {
                    let org =
                        kehilla_db::orgs::create(&db.pool, &format!("m{}", case.get()), "Measure")
                            .await
                            .unwrap()
                            .id;
                    insert(db, org, &events).await;
                    for d in &days {
                        measure::rollup_day(db, org, tz, *d).await.unwrap();
                    }
                    // Again: a rollup replaces its day.
                    measure::rollup_day(db, org, tz, first).await.unwrap();
                    let want = expected(db, org, &events, &days).await;
                    let got = rolled(db, org).await;
                    assert_eq!(got, want, "{:?}", db.backend());
                    checked.set(checked.get() + got.len());
                }
            });
            Ok(())
        })
        .unwrap();
    assert!(checked.get() > 100, "rows compared: {}", checked.get());
    drop(dbs);
}

#[tokio::test]
async fn a_goal_is_planned_measured_and_downloaded() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let tz = kehilla_app::studio::zone(&org.time_zone);
    let now = kehilla_db::now_ms();
    let today = day_of(tz, now);
    let date = |d: i64| {
        kehilla_domain::measure::day_date(d)
            .unwrap()
            .format("%Y-%m-%d")
            .to_string()
    };

    // The first-run guide shows four steps, none done.
    let (s, html) = owner.get_text("/orgs/yad/plan").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(r#"id="step-goals""#) && !html.contains(r#"class="done" id="step-goals""#)
    );

    // A goal that ends before it starts is refused, in Hebrew, keeping what was typed.
    let r = owner
        .post_form(
            "/orgs/yad/plan/goals",
            &[
                ("title", "100 נרשמים"),
                ("metric", "signups"),
                ("target", "100"),
                ("start", &date(today - 9)),
                ("end", &date(today - 20)),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="form-error""#), "{html}");
    assert_eq!(
        extract_value(&html, "goal-title").as_deref(),
        Some("100 נרשמים")
    );
    // A metric the catalogue does not have, and a channel for a metric kept as a whole.
    let r = owner
        .post_form(
            "/orgs/yad/plan/goals",
            &[
                ("title", "x"),
                ("metric", "likes"),
                ("target", "5"),
                ("start", &date(today)),
                ("end", &date(today + 1)),
            ],
        )
        .await;
    assert!(r.text().await.unwrap().contains(r#"id="form-error""#));

    // 100 sign-ups over 30 days; ten days in, 30 so far (3 a day): behind, 90 expected.
    let r = owner
        .post_form(
            "/orgs/yad/plan/goals",
            &[
                ("title", "100 נרשמים"),
                ("metric", "signups"),
                ("target", "100"),
                ("start", &date(today - 9)),
                ("end", &date(today + 20)),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for d in today - 9..=today {
        let (from, _) = day_bounds(tz, d).unwrap();
        for i in 0..3 {
            let at = from + 3_600_000;
            person(&app.db, org.id, &format!("p{d}-{i}"), at, Some(at + i)).await;
        }
    }
    // Nothing is counted before the rollup job has run.
    let (_, html) = owner.get_text("/orgs/yad/measure").await;
    let goal = first_goal(&html);
    assert!(
        html.contains(&format!(r#"id="current-{goal}" dir="ltr">0<"#)),
        "{html}"
    );
    measure::enqueue_due(&app.db, now).await.unwrap();
    assert_eq!(app.run_pending_jobs().await, 2, "a rollup and a collection");
    // Queued once per ten minutes.
    assert_eq!(measure::enqueue_due(&app.db, now).await.unwrap(), 0);

    let (s, html) = owner.get_text("/orgs/yad/measure").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&format!(r#"id="current-{goal}" dir="ltr">30<"#)),
        "{html}"
    );
    assert!(html.contains(&format!(r#"id="forecast-{goal}">90<"#)));
    assert!(html.contains(&format!(r#"id="outlook-{goal}">מפגר אחרי היעד"#)));
    assert!(html.contains(r#"role="img""#) && html.contains("class=\"forecast\""));
    assert!(
        html.contains(r#"<div id="summary-signups"><dt>הרשמות</dt><dd dir="ltr">30</dd>"#),
        "{html}"
    );

    // The chart's data as CSV: ten running sums, the target and the forecast.
    let r = owner
        .get(&format!("/orgs/yad/measure/goals/{goal}/export"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "\u{feff}day,metric,value");
    assert_eq!(lines[1], format!("{},signups,3", date(today - 9)));
    assert_eq!(lines[10], format!("{},signups,30", date(today)));
    assert_eq!(lines[11], format!("{},target,100", date(today + 20)));
    assert_eq!(lines[12], format!("{},forecast,90", date(today + 20)));

    // The guide's goals step is done; the map and audiences steps are not.
    let (_, html) = owner.get_text("/orgs/yad/plan").await;
    assert!(html.contains(r#"class="done" id="step-goals""#));
    assert!(!html.contains(r#"class="done" id="step-audiences""#));
    let r = owner
        .post_form(
            "/orgs/yad/plan/audiences",
            &[("name", "מתנדבים צעירים"), ("description", "18–30")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = owner.get_text("/orgs/yad/plan").await;
    assert!(html.contains(r#"class="done" id="step-audiences""#));
    assert!(html.contains("מתנדבים צעירים"));

    // Closing the guide; another organization's goal is not found.
    let r = owner
        .post_form("/orgs/yad/plan/guide", &[("closed", "1")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = owner.get_text("/orgs/yad/plan").await;
    assert!(!html.contains(r#"id="guide-title""#) && html.contains(r#"id="guide-open""#));
    let other = kehilla_db::orgs::create(&app.db.pool, "other", "Other")
        .await
        .unwrap();
    let theirs = kehilla_db::measure::add_goal(
        &app.db.pool,
        other.id,
        &kehilla_db::measure::NewGoal {
            title: "t",
            metric: "signups",
            channel_id: None,
            audience_id: None,
            target: 5.0,
            start_day: today,
            end_day: today,
        },
        now,
    )
    .await
    .unwrap();
    let r = owner
        .get(&format!("/orgs/yad/measure/goals/{theirs}/export"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = owner
        .post_form(&format!("/orgs/yad/plan/goals/{theirs}/delete"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Removing our goal.
    let r = owner
        .post_form(&format!("/orgs/yad/plan/goals/{goal}/delete"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = owner.get_text("/orgs/yad/measure").await;
    assert!(html.contains(r#"id="no-goals""#));
}

#[tokio::test]
async fn the_channel_map_keeps_purpose_audience_cadence_hours_and_budget() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let ch = kehilla_db::studio::create_channel(
        &app.db.pool,
        org.id,
        &kehilla_db::studio::ChannelData {
            network: "mastodon",
            name: "מסטודון",
            handle: "",
            purpose: "",
            audience: "",
            cadence_days: None,
            slots: "",
            slot_days: "0123456",
            char_limit: None,
            requires_approval: false,
        },
    )
    .await
    .unwrap();
    owner
        .post_form("/orgs/yad/plan/audiences", &[("name", "תורמים")])
        .await;
    let audience = kehilla_db::measure::audiences(&app.db.pool, org.id)
        .await
        .unwrap()[0]
        .public_id
        .clone();
    let path = format!("/orgs/yad/plan/channels/{}", ch.public_id);
    let r = owner
        .post_form(
            &path,
            &[
                ("purpose", "קהילת הפדיוורס"),
                ("audience", &audience),
                ("cadence_days", "3"),
                ("monthly_hours", "6"),
                ("monthly_budget", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = owner.get_text("/orgs/yad/plan").await;
    assert_eq!(
        extract_value(&html, &format!("purpose-{}", ch.public_id)).as_deref(),
        Some("קהילת הפדיוורס")
    );
    assert_eq!(
        extract_value(&html, &format!("hours-{}", ch.public_id)).as_deref(),
        Some("6")
    );
    assert!(
        html.contains(r#"class="done" id="step-map""#)
            && html.contains(r#"class="done" id="step-cadence""#)
    );
    assert!(html.contains(&format!(r#"<option value="{audience}" selected>"#)));
    // Bad numbers are refused with the field named; nothing is changed.
    for (field, value) in [
        ("cadence_days", "0"),
        ("monthly_hours", "1000"),
        ("monthly_budget", "-5"),
        ("audience", "nope"),
    ] {
        let mut fields = vec![("purpose", "x"), ("cadence_days", "3")];
        fields.retain(|(f, _)| *f != field);
        fields.push((field, value));
        let r = owner.post_form(&path, &fields).await;
        assert_eq!(r.status(), StatusCode::OK, "{field}");
        assert!(
            r.text().await.unwrap().contains(r#"id="form-error""#),
            "{field}"
        );
    }
    let (_, html) = owner.get_text("/orgs/yad/plan").await;
    assert_eq!(
        extract_value(&html, &format!("purpose-{}", ch.public_id)).as_deref(),
        Some("קהילת הפדיוורס")
    );
}

/// A published post of `org` on `channel`, with the network's figures, published at `at`.
async fn published_post(
    db: &Db,
    org: i64,
    channel: i64,
    slug: &str,
    title: &str,
    at: i64,
    figures: &str,
) -> i64 {
    sqlx::query("INSERT INTO posts (public_id, organization_id, kind, title, slug, status, published_at, created_at, updated_at) VALUES ($1, $2, 'story', $3, $4, 'published', $5, $5, $5)")
        .bind(format!("post-{org}-{slug}"))
        .bind(org)
        .bind(title)
        .bind(slug)
        .bind(at)
        .execute(&db.pool)
        .await
        .unwrap();
    let (post,): (i64,) =
        sqlx::query_as("SELECT id FROM posts WHERE organization_id = $1 AND slug = $2")
            .bind(org)
            .bind(slug)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    sqlx::query("INSERT INTO publications (organization_id, post_id, channel_id, state, idempotency_key, remote_id, metrics, published_at, updated_at) VALUES ($1, $2, $3, 'published', $4, $4, $5, $6, $6)")
        .bind(org)
        .bind(post)
        .bind(channel)
        .bind(format!("k-{post}-{channel}"))
        .bind(figures)
        .bind(at)
        .execute(&db.pool)
        .await
        .unwrap();
    post
}

async fn mastodon_channel(app: &TestApp, org: i64, slots: &str) -> kehilla_db::studio::Channel {
    kehilla_db::studio::create_channel(
        &app.db.pool,
        org,
        &kehilla_db::studio::ChannelData {
            network: "mastodon",
            name: "מסטודון",
            handle: "",
            purpose: "",
            audience: "",
            cadence_days: None,
            slots,
            slot_days: "0123456",
            char_limit: None,
            requires_approval: false,
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn sign_ups_are_attributed_to_the_post_and_channel_of_the_tracked_link() {
    let app = TestApp::spawn().await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let ch = mastodon_channel(&app, org.id, "").await;
    let now = kehilla_db::now_ms();
    let post = published_post(
        &app.db,
        org.id,
        ch.id,
        "winter-drive",
        "מבצע החורף",
        now - 86_400_000,
        r#"{"favourites_count":7,"reblogs_count":3,"replies_count":1}"#,
    )
    .await;
    // A single opt-in form.
    let r = owner
        .post_form(
            "/orgs/yad/forms",
            &[
                ("kind", "newsletter"),
                ("title", "הצטרפו"),
                ("lang", "he"),
                ("k0_channel", "email"),
                ("k0_purpose", "newsletter"),
                ("k0_wording", "אני מסכים/ה לקבל את הניוזלטר."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let form = crate::support::location(&r)
        .split('/')
        .nth(4)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let arrive =
        format!("/f/{form}?utm_source=mastodon&utm_medium=social&utm_campaign=winter-drive");

    // One visitor: the form page carries the link's parameters in hidden fields.
    let v1 = app.browser();
    let (s, html) = v1.get_text(&arrive).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(r#"<input type="hidden" name="utm_campaign" value="winter-drive">"#),
        "{html}"
    );
    let r = v1
        .post_form(
            &format!("/f/{form}"),
            &[
                ("first_name", "רות"),
                ("email", "ruth@example.org"),
                ("consent", "0"),
                ("utm_source", "mastodon"),
                ("utm_campaign", "winter-drive"),
            ],
        )
        .await;
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    // Another: arrived by the link on the site, signs up later on the form without the
    // parameters — the cookie remembers where they came from.
    let v2 = app.browser();
    let r = v2.get(&arrive).await;
    assert!(r.headers().get_all("set-cookie").iter().any(|c| {
        c.to_str()
            .unwrap()
            .starts_with("kehilla_src=mastodon|winter-drive;")
    }));
    let r = v2
        .post_form(
            &format!("/f/{form}"),
            &[
                ("first_name", "דן"),
                ("email", "dan@example.org"),
                ("consent", "0"),
            ],
        )
        .await;
    assert!(r.status().is_success() || r.status().is_redirection());
    // A third came from nowhere tracked.
    let v3 = app.browser();
    v3.post_form(
        &format!("/f/{form}"),
        &[
            ("first_name", "אבי"),
            ("email", "avi@example.org"),
            ("consent", "0"),
        ],
    )
    .await;

    let rows: Vec<(String, i64, i64, String)> = sqlx::query_as("SELECT kind, post_id, channel_id, source FROM conversions WHERE organization_id = $1 ORDER BY id")
        .bind(org.id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ("signup".into(), post, ch.id, "mastodon".into()),
            ("signup".into(), post, ch.id, "mastodon".into())
        ]
    );

    let (_, html) = owner.get_text("/orgs/yad/measure").await;
    let table = html.split(r#"id="attribution-table""#).nth(1).unwrap();
    assert!(
        table.contains("מבצע החורף")
            && table.contains("מסטודון")
            && table.contains(r#"<td dir="ltr">2</td>"#),
        "{table}"
    );
    let top = html.split(r#"id="top-engagement""#).nth(1).unwrap();
    assert!(
        top.contains("מבצע החורף") && top.contains(r#"<span dir="ltr">11</span>"#),
        "{top}"
    );
    let top = html.split(r#"id="top-conversions""#).nth(1).unwrap();
    assert!(top.contains(r#"<span dir="ltr">2</span>"#));
    // One post is too little history for the best time.
    assert!(html.contains("עד עכשיו רק פוסט אחד"));
}

#[tokio::test]
async fn the_calendar_suggests_the_free_slot_the_history_favours() {
    use chrono::TimeZone;
    let app = TestApp::spawn().await;
    let _owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let tz = chrono_tz::Asia::Jerusalem;
    let ch = mastodon_channel(&app, org.id, "09:00,18:00").await;
    // Monday 2026-11-30 08:00 in Jerusalem.
    let after = tz
        .with_ymd_and_hms(2026, 11, 30, 8, 0, 0)
        .unwrap()
        .timestamp_millis();
    let at = |d: u32, h: u32| {
        tz.with_ymd_and_hms(2026, 11, d, h, 0, 0)
            .unwrap()
            .timestamp_millis()
    };
    let suggest = || async {
        kehilla_app::studio::calendar::next_free_slot(&app.db, &org, &ch, after)
            .await
            .unwrap()
    };
    // No history: the first free slot.
    assert_eq!(suggest().await, Some(at(30, 9)));
    // Posts of the last weeks: Wednesdays at 09:00 drew far more than Mondays at 18:00.
    for (i, (day, hour, likes)) in [
        (4, 9, 90),
        (11, 9, 110),
        (18, 9, 100),
        (25, 9, 95),
        (2, 18, 10),
        (9, 18, 12),
        (16, 18, 8),
        (23, 18, 9),
    ]
    .into_iter()
    .enumerate()
    {
        published_post(
            &app.db,
            org.id,
            ch.id,
            &format!("p{i}"),
            "x",
            at(day, hour),
            &format!(r#"{{"favourites_count":{likes}}}"#),
        )
        .await;
    }
    // Wednesday 2026-12-02 at 09:00.
    let wed = tz
        .with_ymd_and_hms(2026, 12, 2, 9, 0, 0)
        .unwrap()
        .timestamp_millis();
    assert_eq!(suggest().await, Some(wed));
    let heat = kehilla_app::measure::insights::heat_map(&app.db, org.id, tz, Some(ch.id), after)
        .await
        .unwrap();
    assert_eq!(heat.posts, 8);
    assert_eq!(heat.score(3, 9), Some(98.75));
    assert_eq!(heat.score(1, 18), Some(9.75));
    assert_eq!(heat.score(1, 9), None);
    // The heat map's data as CSV, for the channel.
    let r = _owner
        .get(&format!(
            "/orgs/yad/measure/best-time/export?channel={}",
            ch.public_id
        ))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    assert!(
        csv.contains("3,9,4,98.8\n") && csv.contains("1,18,4,9.8\n"),
        "{csv}"
    );
}

#[tokio::test]
async fn the_monthly_report_agrees_with_the_dashboard_and_is_emailed() {
    let sink = crate::support::smtp::Sink::start().await;
    let url = sink.url();
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, move |s| {
        s.smtp_url = Some(kehilla_app::settings::Secret(url));
        s.mail_from = "Kehilla <noreply@kehilla.example>".into();
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let org = kehilla_db::orgs::by_slug(&app.db.pool, "yad")
        .await
        .unwrap()
        .unwrap();
    let tz = kehilla_app::studio::zone(&org.time_zone);
    let now = kehilla_db::now_ms();
    let today = day_of(tz, now);
    let date = |d: i64| kehilla_domain::measure::day_date(d).unwrap();
    let first = kehilla_domain::measure::day_number(date(today).with_day(1).unwrap());
    let last = kehilla_domain::measure::day_number(
        date(first)
            .checked_add_months(chrono::Months::new(1))
            .unwrap(),
    ) - 1;
    let month = date(today).format("%Y-%m").to_string();
    // A goal for the month; two sign-ups a day over its last five days (or fewer, early on).
    owner
        .post_form(
            "/orgs/yad/plan/goals",
            &[
                ("title", "הרשמות החודש"),
                ("metric", "signups"),
                ("target", "40"),
                ("start", &date(first).format("%Y-%m-%d").to_string()),
                ("end", &date(last).format("%Y-%m-%d").to_string()),
            ],
        )
        .await;
    let mut n = 0;
    for d in (today - 4).max(first)..=today {
        let (from, _) = day_bounds(tz, d).unwrap();
        for i in 0..2 {
            let at = from + 60_000;
            person(&app.db, org.id, &format!("r{d}-{i}"), at, Some(at)).await;
            n += 1;
        }
    }
    measure::rollup_org(&app.db, &org, now).await.unwrap();
    let (_, dash) = owner.get_text("/orgs/yad/measure").await;
    let goal = first_goal(&dash);
    assert!(
        dash.contains(&format!(r#"id="current-{goal}" dir="ltr">{n}<"#)),
        "{dash}"
    );
    let (s, rep) = owner
        .get_text(&format!("/orgs/yad/measure/report?month={month}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{rep}");
    let row = rep
        .split(&format!(r#"id="report-goal-{goal}""#))
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(row.contains(&format!(r#"<td dir="ltr">{n}</td>"#)), "{row}");
    let outlook = dash
        .split(&format!(r#"id="outlook-{goal}">"#))
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    assert!(
        row.contains(&format!("<td>{outlook}</td>")),
        "{row} / {outlook}"
    );
    assert!(
        rep.contains(&format!(
            r#"<div id="activity-signups"><dt>הרשמות</dt><dd dir="ltr">{n}</dd>"#
        )),
        "{rep}"
    );
    assert!(dash.contains(&format!(
        r#"<div id="summary-signups"><dt>הרשמות</dt><dd dir="ltr">{n}</dd>"#
    )));
    let csv = owner
        .get(&format!("/orgs/yad/measure/report/export?month={month}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(&format!("activity,signups,{n}\n")), "{csv}");
    assert!(csv.contains(&format!("goal,הרשמות החודש,{n}\n")), "{csv}");
    // The PDF: Hebrew set right to left, its text searchable (read back with pdftotext).
    let r = owner
        .get(&format!("/orgs/yad/measure/report/pdf?month={month}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let file = crate::support::temp_dir().join("report.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by the test command");
    // pdftotext gives the lines back in logical order, with bidi marks around the runs.
    let text: String = String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !('\u{202a}'..='\u{202e}').contains(c))
        .collect();
    assert!(text.contains("דוח חודשי"), "{text}");
    assert!(text.contains("עמותת בדיקה"), "{text}");
    let line = text.lines().find(|l| l.starts_with("הרשמות")).unwrap();
    assert!(line.contains(&n.to_string()), "{line}");
    // The goal's chart: drawn in the dashboard's blue, time running right to left. A running
    // sum is lowest on the month's first day, so the line's lowest pixels reach the chart's
    // right edge (left to right, they would sit at its left edge).
    let blue = blue_pixels(&file);
    let bottom = blue.iter().map(|p| p.1).max().unwrap();
    let lowest_right = blue
        .iter()
        .filter(|p| p.1 == bottom)
        .map(|p| p.0)
        .max()
        .unwrap();
    assert!((540..=548).contains(&lowest_right), "{lowest_right}");
    if today > first {
        assert!(
            blue.iter().any(|p| p.1 < bottom - 2),
            "the line rises: {n} sign-ups"
        );
    }
    // A month in the future, and one that is not a month.
    let r = owner.get("/orgs/yad/measure/report?month=2999-01").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("החודש הזה עוד לא התחיל"));
    let r = owner.get("/orgs/yad/measure/report?month=13-2026").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Emailed once a month to owners and admins, when asked for.
    assert_eq!(
        kehilla_app::measure::report::enqueue_due(&app.db, now)
            .await
            .unwrap(),
        0
    );
    let r = owner
        .post_form("/orgs/yad/measure/report/schedule", &[("monthly", "1")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        kehilla_app::measure::report::enqueue_due(&app.db, now)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        kehilla_app::measure::report::enqueue_due(&app.db, now + 3_600_000)
            .await
            .unwrap(),
        0
    );
    app.run_pending_jobs().await;
    let mails = sink.all();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].to.iter().any(|t| t.contains("dana@example.org")));
    let raw = &mails[0].data;
    assert!(raw.contains("Content-Type: application/pdf"), "{raw}");
    assert!(
        raw.contains("filename=\"report-"),
        "the PDF is named after its month"
    );
    // The text part (the PDF part decodes to its bytes, which start with %PDF).
    let text = crate::messaging::decode_parts(raw);
    assert!(text.contains("%PDF-"), "the PDF is attached whole");
    assert!(text.contains("הדוח של עמותת בדיקה לחודש"), "{text}");
    assert!(text.contains("/measure/report?month="), "{text}");
}

/// The (x, y) of the first page's pixels in the charts' blue (#0969da), drawn at 72 dpi so that
/// a pixel is a point (with poppler's pdftoppm, installed by the test command).
fn blue_pixels(pdf: &std::path::Path) -> Vec<(usize, usize)> {
    let out = pdf.with_file_name("first-page");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "72", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&out)
        .status()
        .expect("pdftoppm (poppler-utils) is installed by the test command");
    assert!(status.success());
    let ppm = std::fs::read(out.with_extension("ppm")).unwrap();
    // P6 header: magic, width, height, max value, each ended by whitespace.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let end = at + ppm[at..].iter().position(u8::is_ascii_whitespace).unwrap();
        fields.push(String::from_utf8(ppm[at..end].to_vec()).unwrap());
        at = end + 1;
    }
    assert_eq!(fields[0], "P6");
    let width: usize = fields[1].parse().unwrap();
    ppm[at..]
        .chunks(3)
        .enumerate()
        .filter(|(_, c)| c[0] < 90 && (70..170).contains(&c[1]) && c[2] > 170)
        .map(|(i, _)| (i % width, i / width))
        .collect()
}

#[tokio::test]
async fn without_a_hebrew_font_the_pdf_says_what_to_set() {
    let app = TestApp::spawn_on(crate::support::Backend::Sqlite, |s| {
        s.report_font = Some("/nonexistent/font.ttf".into());
    })
    .await;
    let owner = app.set_up("yad", "dana@example.org").await;
    let r = owner.get("/orgs/yad/measure/report/pdf").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("report_font"));
    // The page and its CSV do not need it.
    let (s, _) = owner.get_text("/orgs/yad/measure/report").await;
    assert_eq!(s, StatusCode::OK);
}
