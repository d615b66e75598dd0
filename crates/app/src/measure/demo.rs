//! A year of history for the demo organization, so that the dashboard tells a story: followers
//! growing on each network (Bluesky joined in the spring), sign-ups spread over the year, about
//! a hundred older posts with their figures (evening posts do better, weekends less), clicks
//! on the tracked links, sign-ups that came by them, the plan (audiences, the channel map's
//! hours and budget) and five goals — then the rollups of the whole year.

use chrono::{Datelike, TimeZone, Utc};
use kehilla_db::measure::{self as db, NewConversion, NewGoal};
use kehilla_db::sqlx;
use kehilla_db::{Db, orgs, studio};
use serde_json::json;

use super::{day_of, rollup_org};
use crate::Result;
use crate::studio::zone;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

/// A small deterministic generator: the demo is the same every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Followers a year ago as a share of today's, per network, and since when (Bluesky: from day
/// 200 before now).
fn follower_curve(network: &str) -> (f64, i64) {
    match network {
        "x" => (0.6, 365),
        "facebook" => (0.85, 365),
        "instagram" => (0.35, 365),
        "linkedin" => (0.5, 365),
        "mastodon" => (0.15, 365),
        "bluesky" => (0.0, 200),
        _ => (0.3, 365),
    }
}

const TITLES: [&str; 12] = [
    "חלוקת סלי מזון בשכונת הדר",
    "מתנדבת השבוע: רותם",
    "תודה לכל התורמים של חנוכה",
    "מחפשים מתנדבים לשישי בבוקר",
    "Our volunteers delivered 400 food baskets",
    "סדנת בישול עם בני הנוער",
    "כתבה עלינו בחדשות חיפה",
    "שאלה לקהילה: איפה עוד חסר?",
    "הישג: 1,000 משפחות השנה",
    "ערב הוקרה למתנדבים",
    "Spring drive: help us reach 500 families",
    "יום ניקיון בגן הקהילתי",
];

/// The network's own names for a post's figures (the names the adapters store).
fn figures(network: &str, views: i64, likes: i64, shares: i64, replies: i64) -> serde_json::Value {
    match network {
        "x" => {
            json!({"impression_count": views, "like_count": likes, "retweet_count": shares, "reply_count": replies})
        }
        "facebook" => {
            json!({"post_total_media_view_unique": views, "post_reactions_by_type_total": likes, "post_clicks": shares})
        }
        "instagram" => {
            json!({"views": views, "reach": views * 8 / 10, "likes": likes, "comments": replies, "shares": shares})
        }
        "linkedin" => json!({"totalLikes": likes, "totalFirstLevelComments": replies}),
        "mastodon" => {
            json!({"favourites_count": likes, "reblogs_count": shares, "replies_count": replies})
        }
        "bluesky" => json!({"likeCount": likes, "repostCount": shares, "replyCount": replies}),
        _ => json!({}),
    }
}

pub async fn load(database: &Db, org: &orgs::Organization, now: i64) -> Result<()> {
    let pool = &database.pool;
    let tz = zone(&org.time_zone);
    let o = org.id;
    let mut rng = Rng(2026);
    let channels = studio::channels(pool, o).await?;
    let mut tx = database.begin().await?;

    // Sign-ups happened when the people were added, not all today.
    sqlx::query(
        "UPDATE person_events SET created_at = (SELECT p.created_at FROM people p \
         WHERE p.id = person_events.person_id) WHERE organization_id = $1 AND kind = 'signed-up'",
    )
    .bind(o)
    .execute(&mut *tx)
    .await?;

    // Levels, one point a day: followers per channel; people, subscribers and fediverse
    // followers ending at today's real counts.
    let mut created: Vec<i64> =
        sqlx::query_as::<_, (i64,)>("SELECT created_at FROM people WHERE organization_id = $1")
            .bind(o)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|(c,)| c)
            .collect();
    created.sort_unstable();
    let people_now = created.len() as f64;
    let subscribers_now = crate::people::segments::count(
        database,
        o,
        &kehilla_db::segments::Filter::Reachable {
            channel: "email".into(),
            purpose: "newsletter".into(),
        },
    )
    .await? as f64;
    for d in (1..=365).rev() {
        let at = now - d * DAY;
        let f = 1.0 - d as f64 / 365.0;
        for ch in &channels {
            // Ending where the demo network says the account stands today.
            let end = crate::publishing::demo::followers_of(&ch.handle, now) as f64;
            let (share, since) = follower_curve(&ch.network);
            let start = end * share;
            if d > since {
                continue;
            }
            let g = 1.0 - d as f64 / since as f64;
            let noise = rng.next(9) as f64 - 4.0;
            let v = (start + (end - start) * g.powf(1.3) + noise)
                .max(0.0)
                .round();
            db::add_point(&mut *tx, o, "followers", ch.id, 0, at, v).await?;
        }
        let people = created.partition_point(|c| *c < at) as f64;
        let ratio = if people_now > 0.0 {
            subscribers_now / people_now
        } else {
            0.0
        };
        db::add_point(&mut *tx, o, "people", 0, 0, at, people).await?;
        db::add_point(
            &mut *tx,
            o,
            "subscribers",
            0,
            0,
            at,
            (people * ratio * (0.85 + 0.15 * f)).round(),
        )
        .await?;
        db::add_point(
            &mut *tx,
            o,
            "fediverse_followers",
            0,
            0,
            at,
            (f * 40.0).round(),
        )
        .await?;
    }

    // About a hundred older posts, two a week, with their figures.
    let networks: Vec<&studio::Channel> = channels
        .iter()
        .filter(|c| c.network != "telegram")
        .collect();
    let mut archive = Vec::new();
    for i in 0..104_i64 {
        let days_ago = 365 - i * 345 / 104;
        let hour = [9, 10, 13, 18, 19, 20, 21]
            .get(rng.next(7) as usize)
            .copied()
            .unwrap_or(19);
        let day_start = now - days_ago * DAY;
        let local = Utc
            .timestamp_millis_opt(day_start)
            .single()
            .unwrap_or_default()
            .with_timezone(&tz);
        let at = tz
            .with_ymd_and_hms(
                local.year(),
                local.month(),
                local.day(),
                hour,
                rng.next(50) as u32,
                0,
            )
            .earliest()
            .map_or(day_start, |t| t.timestamp_millis());
        let title = TITLES
            .get(i as usize % TITLES.len())
            .copied()
            .unwrap_or_default();
        let slug = format!("archive-{i}");
        sqlx::query(
            "INSERT INTO posts (public_id, organization_id, kind, title, body, slug, status, published_at, created_at, updated_at) \
             VALUES ($1, $2, 'story', $3, $3, $4, 'published', $5, $5, $5)",
        )
        .bind(kehilla_db::new_public_id())
        .bind(o)
        .bind(title)
        .bind(&slug)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let (post,): (i64,) =
            sqlx::query_as("SELECT id FROM posts WHERE organization_id = $1 AND slug = $2")
                .bind(o)
                .bind(&slug)
                .fetch_one(&mut *tx)
                .await?;
        archive.push((post, slug, at));
        let weekday = local.weekday().num_days_from_sunday();
        let time_factor = match hour {
            19..=21 => 2.0,
            9 | 10 => 1.3,
            _ => 0.7,
        } * if weekday >= 5 { 0.6 } else { 1.0 };
        let growth = 0.6 + 0.8 * (1.0 - days_ago as f64 / 365.0);
        for k in 0..(1 + rng.next(3) as usize) {
            let Some(ch) = networks.get((i as usize + k * 2) % networks.len().max(1)) else {
                continue;
            };
            let scale = time_factor * growth * (0.7 + rng.next(60) as f64 / 100.0);
            let views = (900.0 * scale) as i64;
            let likes = (45.0 * scale) as i64;
            let shares = (9.0 * scale) as i64;
            let replies = (5.0 * scale) as i64;
            let fig = figures(&ch.network, views, likes, shares, replies);
            let key = format!("demo-archive-{post}-{}", ch.id);
            let remote = crate::publishing::demo::id_of(&key);
            sqlx::query(
                "INSERT INTO publications (organization_id, post_id, channel_id, state, idempotency_key, remote_id, remote_url, metrics, metrics_at, published_at, updated_at) \
                 VALUES ($1, $2, $3, 'published', $4, $5, $6, $7, $8, $8, $8)",
            )
            .bind(o)
            .bind(post)
            .bind(ch.id)
            .bind(&key)
            .bind(&remote)
            .bind(format!("/-/demo/{}/{remote}", ch.network))
            .bind(fig.to_string())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            // Read an hour after, a day after and a week after.
            for (after, part) in [(HOUR, 0.4), (DAY, 0.9), (7 * DAY, 1.0)] {
                if at + after > now {
                    continue;
                }
                for (kind, v) in [
                    ("views", views),
                    ("likes", likes),
                    ("shares", shares),
                    ("replies", replies),
                ] {
                    if ch.network == "linkedin" && (kind == "views" || kind == "shares") {
                        continue;
                    }
                    db::add_point(
                        &mut *tx,
                        o,
                        kind,
                        ch.id,
                        post,
                        at + after,
                        (v as f64 * part).round(),
                    )
                    .await?;
                }
            }
        }
    }

    // Clicks on the tracked links, every day, more on weekdays and after each post.
    let links: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, channel_id FROM links WHERE organization_id = $1 ORDER BY id")
            .bind(o)
            .fetch_all(&mut *tx)
            .await?;
    if !links.is_empty() {
        for d in 20..365_i64 {
            let n = 8
                + rng.next(20)
                + if archive.iter().any(|(_, _, at)| (now - at) / DAY == d) {
                    25
                } else {
                    0
                };
            for _ in 0..n {
                let Some(&(link, channel)) = links.get(rng.next(links.len() as u64) as usize)
                else {
                    continue;
                };
                let at = now - d * DAY + (rng.next(86_000) as i64) * 1000;
                sqlx::query(
                    "INSERT INTO clicks (organization_id, link_id, channel_id, at, device) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(o)
                .bind(link)
                .bind(channel)
                .bind(at)
                .bind(if rng.next(3) == 0 { "desktop" } else { "mobile" })
                .execute(&mut *tx)
                .await?;
            }
        }
    }

    // A quarter of the year's sign-ups came by a tracked link of an older post.
    let signups: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT person_id, created_at FROM person_events WHERE organization_id = $1 AND kind = 'signed-up' \
         AND created_at >= $2 ORDER BY id",
    )
    .bind(o)
    .bind(now - 345 * DAY)
    .fetch_all(&mut *tx)
    .await?;
    for (person, at) in signups.iter().filter(|_| rng.next(4) == 0) {
        let Some((post, slug, _)) = archive.iter().rev().find(|(_, _, p)| p <= at) else {
            continue;
        };
        let (channel, network): (i64, String) = match sqlx::query_as(
            "SELECT c.id, c.network FROM publications p JOIN channels c ON c.id = p.channel_id WHERE p.post_id = $1 ORDER BY c.id LIMIT 1",
        )
        .bind(post)
        .fetch_optional(&mut *tx)
        .await?
        {
            Some(x) => x,
            None => continue,
        };
        db::add_conversion(
            &mut *tx,
            o,
            &NewConversion {
                kind: "signup",
                person_id: Some(*person),
                post_id: *post,
                channel_id: channel,
                source: &network,
                campaign: slug,
                at: *at,
            },
        )
        .await?;
    }

    // The plan: audiences, the channel map's hours and budget, five goals.
    let segment: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM segments WHERE organization_id = $1 ORDER BY id LIMIT 1")
            .bind(o)
            .fetch_optional(&mut *tx)
            .await?;
    let mut audiences = Vec::new();
    for (name, description, seg) in [
        (
            "מתנדבים צעירים",
            "סטודנטים ובני נוער בחיפה שרוצים לתת כמה שעות בחודש.",
            segment.map(|s| s.0),
        ),
        ("תורמים", "תורמים קבועים ומזדמנים, ומי שתרם פעם.", None),
        (
            "תושבי חיפה והקריות",
            "השכנים שלנו: מי ששומע עלינו בשכונה ובחדשות המקומיות.",
            None,
        ),
    ] {
        let id = db::add_audience(&mut *tx, o, name, description, seg, now).await?;
        let (aid,): (i64,) = sqlx::query_as("SELECT id FROM audiences WHERE public_id = $1")
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
        audiences.push(aid);
    }
    for (i, ch) in channels.iter().enumerate() {
        let (hours, budget, audience) = match ch.network.as_str() {
            "facebook" => (10, 300, 2),
            "instagram" => (8, 150, 0),
            "x" => (4, 0, 2),
            "linkedin" => (3, 0, 1),
            "mastodon" | "bluesky" => (2, 0, 0),
            _ => (1, 0, i % 3),
        };
        db::set_map_row(
            &mut *tx,
            o,
            ch.id,
            &ch.purpose,
            audiences.get(audience).copied(),
            ch.cadence_days.or(Some(7)),
            Some(hours),
            Some(budget),
        )
        .await?;
    }
    let today = day_of(tz, now);
    let mastodon = channels.iter().find(|c| c.network == "mastodon");
    // Followers on Mastodon: a target a little beyond where the trend leads.
    let mastodon_target = mastodon.map_or(1_500.0, |c| {
        (crate::publishing::demo::followers_of(&c.handle, now) as f64 * 1.5 / 100.0).round() * 100.0
    });
    let mastodon_title = format!("{mastodon_target} עוקבים במסטודון עד סוף מרץ");
    let mastodon = mastodon.map(|c| c.id);
    for g in [
        NewGoal {
            title: &mastodon_title,
            metric: "followers",
            channel_id: mastodon,
            audience_id: None,
            target: mastodon_target,
            start_day: today - 120,
            end_day: today + 124,
        },
        NewGoal {
            title: "700 הרשמות ברבעון",
            metric: "signups",
            channel_id: None,
            audience_id: audiences.first().copied(),
            target: 700.0,
            start_day: today - 57,
            end_day: today + 34,
        },
        NewGoal {
            title: "שיעור מעורבות של 5%",
            metric: "engagement_rate",
            channel_id: None,
            audience_id: None,
            target: 5.0,
            start_day: today - 90,
            end_day: today + 90,
        },
        NewGoal {
            title: "2,000 הקלקות על קישורים ברבעון",
            metric: "clicks",
            channel_id: None,
            audience_id: None,
            target: 2_000.0,
            start_day: today - 57,
            end_day: today + 34,
        },
        NewGoal {
            title: "מענה ראשון תוך שעתיים",
            metric: "first_response_minutes",
            channel_id: None,
            audience_id: None,
            target: 120.0,
            start_day: today - 30,
            end_day: today + 60,
        },
    ] {
        db::add_goal(&mut *tx, o, &g, now).await?;
    }
    tx.commit().await?;
    rollup_org(database, org, now).await?;
    Ok(())
}
