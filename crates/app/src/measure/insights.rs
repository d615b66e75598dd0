//! What the organization's own history says: where sign-ups, RSVPs and pledges came from
//! (attribution by the UTM parameters of tracked links), which posts did best, and when posting
//! brings the most engagement.

use std::collections::BTreeMap;

use chrono::{Datelike, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use kehilla_db::measure::{self as db, NewConversion};
use kehilla_db::sqlx::AnyConnection;
use kehilla_db::{Db, now_ms};
use serde::Serialize;

use crate::Result;

/// A UTM value as kept: trimmed, at most 100 characters, no control characters.
pub fn utm(v: &str) -> String {
    v.trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect()
}

/// Records a conversion (`signup`, `rsvp`, `pledge`) that arrived with UTM parameters naming
/// something of this organization: a post (tracked links carry its slug as the campaign) or,
/// from email, one of its campaigns. The source names the network, whose channel the post
/// went to is credited. Parameters that name nothing of the organization (another
/// organization's link, a hand-made address) are not recorded.
pub async fn record(
    conn: &mut AnyConnection,
    org: i64,
    kind: &str,
    person: Option<i64>,
    source: &str,
    campaign: &str,
) -> Result<()> {
    let (source, campaign) = (utm(source), utm(campaign));
    if campaign.is_empty() {
        return Ok(());
    }
    let post = db::post_by_slug(&mut *conn, org, &campaign).await?;
    let email_campaign = source == "email"
        && kehilla_db::messaging::get(&mut *conn, org, &campaign)
            .await
            .is_ok();
    if post.is_none() && !email_campaign {
        return Ok(());
    }
    let channel = match post {
        Some(p) if !source.is_empty() && source != "email" => {
            db::channel_for_source(&mut *conn, org, p, &source).await?
        }
        _ => None,
    };
    db::add_conversion(
        &mut *conn,
        org,
        &NewConversion {
            kind,
            person_id: person,
            post_id: post.unwrap_or(0),
            channel_id: channel.unwrap_or(0),
            source: &source,
            campaign: &campaign,
            at: now_ms(),
        },
    )
    .await?;
    Ok(())
}

/// A published post with its figures summed over the channels it went to.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TopPost {
    pub post_id: i64,
    pub title: String,
    pub views: i64,
    pub engagements: i64,
    pub conversions: i64,
}

/// The engagement in a publication's latest figures (likes, replies, shares, quotes, saves),
/// and its views.
pub fn engagement_of(figures_json: &str) -> (i64, i64) {
    let m: BTreeMap<String, i64> = serde_json::from_str(figures_json).unwrap_or_default();
    let mut by_kind: BTreeMap<&str, i64> = BTreeMap::new();
    for (name, v) in &m {
        let (_, kind) = crate::publishing::metric_kind(name);
        if !kind.is_empty() {
            let e = by_kind.entry(kind).or_default();
            *e = (*e).max(*v);
        }
    }
    let engagement = super::ENGAGEMENT
        .iter()
        .map(|k| by_kind.get(k).copied().unwrap_or(0))
        .sum();
    (engagement, by_kind.get("views").copied().unwrap_or(0))
}

/// The best posts from `since` to `until`: by the engagement of the posts published then, and
/// by the conversions that happened then (whenever their post was published).
pub async fn top_posts(
    db: &Db,
    org: i64,
    since: i64,
    until: i64,
    n: usize,
) -> Result<(Vec<TopPost>, Vec<TopPost>)> {
    let mut posts: BTreeMap<i64, TopPost> = BTreeMap::new();
    for (post, title, _, _, figures, _) in
        db::published_figures(&db.pool, org, None, since, until).await?
    {
        let (e, v) = engagement_of(&figures);
        let p = posts.entry(post).or_insert_with(|| TopPost {
            post_id: post,
            title: title.clone(),
            ..Default::default()
        });
        p.engagements += e;
        p.views += v;
    }
    let mut by_engagement: Vec<TopPost> = posts
        .values()
        .filter(|p| p.engagements > 0)
        .cloned()
        .collect();
    by_engagement.sort_by(|a, b| {
        b.engagements
            .cmp(&a.engagements)
            .then(a.post_id.cmp(&b.post_id))
    });
    by_engagement.truncate(n);
    let mut converted: BTreeMap<i64, TopPost> = BTreeMap::new();
    for (post, title, _, _, count) in
        db::conversions_by_post(&db.pool, org, since, until, 1000).await?
    {
        if post == 0 {
            continue;
        }
        let p = converted.entry(post).or_insert_with(|| TopPost {
            post_id: post,
            title,
            ..posts.get(&post).cloned().unwrap_or_default()
        });
        p.conversions += count;
    }
    let mut by_conversions: Vec<TopPost> = converted.into_values().collect();
    by_conversions.sort_by(|a, b| {
        b.conversions
            .cmp(&a.conversions)
            .then(a.post_id.cmp(&b.post_id))
    });
    by_conversions.truncate(n);
    Ok((by_engagement, by_conversions))
}

/// Engagement by weekday (0 = Sunday) and hour of publishing, in the organization's time zone.
#[derive(Debug, Clone, Serialize)]
pub struct HeatMap {
    /// The average engagement per post published in that hour, `None` where nothing was.
    pub cells: Vec<Vec<Option<f64>>>,
    /// How many posts each cell's average is of.
    pub counts: Vec<Vec<u32>>,
    pub posts: usize,
    pub max: f64,
}

/// At least this many posts before the history says anything about the best time, and at
/// least this many in an hour before that hour counts (one lucky post is not a pattern).
pub const MIN_POSTS: usize = 8;
pub const MIN_POSTS_IN_HOUR: u32 = 2;

/// The heat map of the last year, for one channel or all.
pub async fn heat_map(
    db: &Db,
    org: i64,
    tz: Tz,
    channel: Option<i64>,
    now: i64,
) -> Result<HeatMap> {
    let since = now - 365 * 86_400_000;
    let mut sums = vec![vec![(0.0_f64, 0_u32); 24]; 7];
    let mut posts = 0;
    for (_, _, _, _, figures, at) in
        db::published_figures(&db.pool, org, channel, since, now).await?
    {
        let Some(t) = Utc.timestamp_millis_opt(at).single() else {
            continue;
        };
        let local = t.with_timezone(&tz);
        let day = local.weekday().num_days_from_sunday() as usize;
        let hour = local.hour() as usize;
        let (e, _) = engagement_of(&figures);
        if let Some(cell) = sums.get_mut(day).and_then(|r| r.get_mut(hour)) {
            cell.0 += e as f64;
            cell.1 += 1;
            posts += 1;
        }
    }
    let cells: Vec<Vec<Option<f64>>> = sums
        .iter()
        .map(|row| {
            row.iter()
                .map(|(s, n)| (*n > 0).then(|| s / f64::from(*n)))
                .collect()
        })
        .collect();
    let max = cells
        .iter()
        .flatten()
        .flatten()
        .copied()
        .fold(0.0, f64::max);
    let counts = sums
        .iter()
        .map(|row| row.iter().map(|(_, n)| *n).collect())
        .collect();
    Ok(HeatMap {
        cells,
        counts,
        posts,
        max,
    })
}

impl HeatMap {
    /// The data behind the heat map as CSV: weekday (0 = Sunday), hour, posts, average
    /// engagement per post.
    pub fn csv(&self) -> Result<Vec<u8>> {
        let mut w = crate::people::export::CsvOut::new();
        w.row(&["weekday", "hour", "posts", "average_engagement"])?;
        for (day, (cells, counts)) in self.cells.iter().zip(&self.counts).enumerate() {
            for (hour, (cell, n)) in cells.iter().zip(counts).enumerate() {
                if let Some(v) = cell {
                    w.row(&[
                        day.to_string(),
                        hour.to_string(),
                        n.to_string(),
                        format!("{v:.1}"),
                    ])?;
                }
            }
        }
        w.finish()
    }

    /// How good posting on `weekday` (0 = Sunday) at `hour` has been: the average engagement,
    /// or `None` without enough history.
    pub fn score(&self, weekday: usize, hour: usize) -> Option<f64> {
        if self.posts < MIN_POSTS {
            return None;
        }
        self.cells
            .get(weekday)
            .and_then(|r| r.get(hour))
            .copied()
            .flatten()
    }
}
