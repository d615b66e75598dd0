//! Cadence health: each channel with a target ("at least every 7 days") against its newest
//! published post — "LinkedIn status not updated for 12 days".

use kehilla_db::studio::{self, Channel};
use kehilla_db::{Db, now_ms};
use serde::Serialize;

use crate::Result;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Health {
    /// Nothing ever published there.
    Never,
    /// Last post `days` ago, beyond the target by `overdue_by` days.
    Overdue { days: i64, overdue_by: i64 },
    /// Due within `due_in` days (0 = today).
    Due { days: i64, due_in: i64 },
    /// Fine for more than a day.
    Ok { days: i64, due_in: i64 },
}

#[derive(Debug, Clone, Serialize)]
pub struct ChannelCadence {
    pub channel: Channel,
    pub target_days: i64,
    pub health: Health,
    /// The next post already scheduled there, if any.
    pub next_scheduled: Option<i64>,
}

/// Health of one channel at `now`.
pub fn health(target_days: i64, last: Option<i64>, now: i64) -> Health {
    let Some(last) = last else {
        return Health::Never;
    };
    let days = (now - last).max(0) / 86_400_000;
    let due_in = target_days - days;
    if due_in < 0 {
        Health::Overdue {
            days,
            overdue_by: -due_in,
        }
    } else if due_in <= 1 {
        Health::Due { days, due_in }
    } else {
        Health::Ok { days, due_in }
    }
}

/// Every channel with a cadence target, the most urgent first.
pub async fn report(db: &Db, org: i64) -> Result<Vec<ChannelCadence>> {
    let now = now_ms();
    let chans = studio::channels(&db.pool, org).await?;
    let last = studio::last_posts(&db.pool, org, now).await?;
    let mut out: Vec<ChannelCadence> = chans
        .into_iter()
        .filter_map(|c| {
            let target = c.cadence_days?;
            let (_, l, next) = last.iter().find(|(id, ..)| *id == c.id).copied()?;
            Some(ChannelCadence {
                health: health(target, l, now),
                target_days: target,
                next_scheduled: next,
                channel: c,
            })
        })
        .collect();
    let rank = |h: &Health| match h {
        Health::Overdue { overdue_by, .. } => -1_000_000 - overdue_by,
        Health::Never => -500_000,
        Health::Due { due_in, .. } | Health::Ok { due_in, .. } => *due_in,
    };
    out.sort_by_key(|c| rank(&c.health));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_due_and_fine() {
        let day = 86_400_000;
        let now = 100 * day;
        assert_eq!(health(7, None, now), Health::Never);
        assert_eq!(
            health(7, Some(now - 12 * day), now),
            Health::Overdue {
                days: 12,
                overdue_by: 5
            }
        );
        assert_eq!(
            health(7, Some(now - 6 * day), now),
            Health::Due { days: 6, due_in: 1 }
        );
        assert_eq!(
            health(7, Some(now - day), now),
            Health::Ok { days: 1, due_in: 6 }
        );
    }
}
