//! A fixed-window limiter for login attempts, kept in memory per process. With several
//! processes behind a balancer each counts on its own; the limit then scales with the number of
//! processes, which is documented in docs/security.md.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    max: u32,
    window: Duration,
    hits: Mutex<Hits>,
}

/// The counts, by key, and the size at which the expired ones are next dropped.
struct Hits {
    by_key: HashMap<String, (Instant, u32)>,
    prune_at: usize,
}

/// Expired counts are dropped whenever the map has doubled since the last time (and has at
/// least this many), so it holds about the keys of one window, however long the server runs,
/// at a cost that stays constant per attempt.
const PRUNE_AT_LEAST: usize = 1024;

impl RateLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        RateLimiter {
            max,
            window,
            hits: Mutex::new(Hits {
                by_key: HashMap::new(),
                prune_at: PRUNE_AT_LEAST,
            }),
        }
    }

    /// Counts one attempt for `key`. `Err(seconds)` when over the limit: retry after that long.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    pub fn check_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut hits = match self.hits.lock() {
            Ok(h) => h,
            Err(poisoned) => poisoned.into_inner(),
        };
        if hits.by_key.len() >= hits.prune_at {
            let window = self.window;
            hits.by_key
                .retain(|_, (start, _)| now.duration_since(*start) < window);
            hits.prune_at = (hits.by_key.len() * 2).max(PRUNE_AT_LEAST);
            let keep = hits.prune_at;
            hits.by_key.shrink_to(keep);
        }
        let entry = hits.by_key.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.max {
            let left = self.window.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }

    pub fn reset(&self, key: &str) {
        if let Ok(mut h) = self.hits.lock() {
            h.by_key.remove(key);
        }
    }

    /// How many keys are held.
    pub fn keys(&self) -> usize {
        self.hits.lock().map_or(0, |h| h.by_key.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_then_recovers() {
        let rl = RateLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(rl.check_at("a", t0).is_ok());
        assert!(rl.check_at("a", t0).is_ok());
        let wait = rl.check_at("a", t0 + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, 50);
        assert!(rl.check_at("b", t0).is_ok(), "keys are independent");
        assert!(rl.check_at("a", t0 + Duration::from_secs(61)).is_ok());
    }

    #[test]
    fn expired_keys_are_dropped_so_the_map_holds_about_one_window() {
        let rl = RateLimiter::new(20, Duration::from_secs(600));
        let t0 = Instant::now();
        // A steady stream of new addresses, one a second, for five hours: a window holds 600.
        let mut most = 0;
        for i in 0..18_000u64 {
            let now = t0 + Duration::from_secs(i);
            assert!(
                rl.check_at(&format!("10.0.{}.{}", i / 256, i % 256), now)
                    .is_ok()
            );
            most = most.max(rl.keys());
        }
        assert!(most <= 2 * PRUNE_AT_LEAST, "held {most} keys");
        // A key still inside its window keeps its count through a prune.
        let rl = RateLimiter::new(1, Duration::from_secs(600));
        assert!(rl.check_at("kept", t0).is_ok());
        for i in 0..5_000u64 {
            let _ = rl.check_at(&format!("k{i}"), t0 + Duration::from_secs(1 + i / 100));
        }
        assert!(rl.check_at("kept", t0 + Duration::from_secs(100)).is_err());
    }
}
