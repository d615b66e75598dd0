//! The built-in demo network: what the demo organization's channels are connected to, so that
//! `kehilla demo` publishes, shows figures and comments without any real account. A demo
//! connection's server is `demo:{network}`; nothing leaves the machine. A published part's
//! address is this server's `/-/demo/{network}/{id}`, a page that shows it as the network would.
//!
//! Everything is derived from the part's key, so publishing again gives the same post (exactly
//! once, as on a network with keys), and figures grow with the hours since the post went out.

use futures::future::BoxFuture;
use sha2::{Digest, Sha256};

use super::{Access, Account, Adapter, Comment, Metrics, Part, Profile, PublishError, Published};

/// The server address of a demo connection.
pub fn server(network: &str) -> String {
    format!("demo:{network}")
}

pub fn is_demo(server_url: &str) -> bool {
    server_url.starts_with("demo:")
}

pub struct Demo {
    network: String,
}

impl Demo {
    pub fn new(network: &str) -> Demo {
        Demo {
            network: network.to_string(),
        }
    }
}

/// The demo network's follower count of an account at `now`: a few hundred, and a few more
/// every day.
pub fn followers_of(account: &str, now: i64) -> i64 {
    let days = now / 86_400_000;
    600 + i64::try_from(digest(account) % 700).unwrap_or(0) + (days % 3000) / 3
}

fn digest(s: &str) -> u64 {
    let h = Sha256::digest(s.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(h.get(..8).unwrap_or(&[0; 8]));
    u64::from_be_bytes(b)
}

/// A part's id on the demo network.
pub fn id_of(key: &str) -> String {
    format!("demo-{:016x}", digest(key))
}

/// The figures of a demo post, under the network's own names: a share of an audience that grows
/// quickly in the first hours, different for each post.
pub fn figures(network: &str, id: &str, hours_since: i64) -> Metrics {
    let h = digest(id);
    let audience = 300 + i64::try_from(h % 2_700).unwrap_or(0);
    let grown = audience * hours_since.clamp(0, 72) / (hours_since.clamp(0, 72) + 6);
    let likes = grown / 12 + i64::try_from(h % 7).unwrap_or(0);
    let shares = grown / 60;
    let replies = grown / 90 + 1;
    let names: &[(&str, i64)] = match network {
        "x" => &[
            ("impression_count", grown),
            ("like_count", likes),
            ("retweet_count", shares),
            ("reply_count", replies),
        ],
        "mastodon" => &[
            ("favourites_count", likes),
            ("reblogs_count", shares),
            ("replies_count", replies),
        ],
        "bluesky" => &[
            ("likeCount", likes),
            ("repostCount", shares),
            ("replyCount", replies),
        ],
        "facebook" => &[
            ("post_total_media_view_unique", grown),
            ("post_reactions_by_type_total", likes),
            ("post_clicks", grown / 25),
        ],
        "instagram" | "threads" => &[
            ("views", grown),
            ("likes", likes),
            ("comments", replies),
            ("shares", shares),
        ],
        "linkedin" => &[("totalLikes", likes), ("totalFirstLevelComments", replies)],
        _ => &[],
    };
    names.iter().map(|(k, v)| ((*k).to_string(), *v)).collect()
}

impl Adapter for Demo {
    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            Ok(Account {
                name: access.account.clone(),
                char_limit: None,
            })
        })
    }

    fn publish<'a>(
        &'a self,
        _access: &'a Access,
        part: Part<'a>,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        Box::pin(async move {
            let id = id_of(part.key);
            Ok(Published {
                url: format!("/-/demo/{}/{id}", self.network),
                id,
            })
        })
    }

    fn delete<'a>(&'a self, _: &'a Access, _: &'a str) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move { Ok(()) })
    }

    fn followers<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<i64, PublishError>> {
        // A steady audience that grows a little every day.
        Box::pin(async move { Ok(followers_of(&access.account, kehilla_db::now_ms())) })
    }

    fn metrics<'a>(
        &'a self,
        _access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Metrics, PublishError>> {
        // The demo network does not know when it was published: a day's worth of figures.
        Box::pin(async move { Ok(figures(&self.network, id, 24)) })
    }

    fn comments<'a>(
        &'a self,
        _access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Comment>, PublishError>> {
        Box::pin(async move {
            let said = [
                ("ruth", "כל הכבוד! איך אפשר להצטרף?"),
                ("dan", "Great work, thank you 💚"),
                ("maya", "נרשמתי למשמרת של יום שישי"),
            ];
            let n = usize::try_from(digest(id) % 3).unwrap_or(0) + 1;
            Ok(said
                .iter()
                .take(n)
                .enumerate()
                .map(|(i, (who, text))| Comment {
                    id: format!("{id}-c{i}"),
                    parent_id: id.to_string(),
                    author_id: format!("demo-{who}"),
                    author: format!("@{who}"),
                    text: (*text).to_string(),
                    created_at: String::new(),
                    url: String::new(),
                })
                .collect())
        })
    }

    fn reply<'a>(
        &'a self,
        _access: &'a Access,
        _to: &'a str,
        _text: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        Box::pin(async move {
            let id = id_of(key);
            Ok(Published {
                url: format!("/-/demo/{}/{id}", self.network),
                id,
            })
        })
    }

    fn mentions<'a>(
        &'a self,
        _access: &'a Access,
        cursor: &'a str,
    ) -> BoxFuture<'a, Result<(Vec<Comment>, String), PublishError>> {
        // One mention a day: the demo inbox keeps coming alive.
        Box::pin(async move {
            let day = kehilla_db::now_ms() / 86_400_000;
            let id = format!("{}-mention-{day}", self.network);
            if cursor == id {
                return Ok((Vec::new(), id));
            }
            let said = [
                ("noa", "@יד ביד מתי החלוקה הבאה בחיפה?"),
                ("ari", "Shout-out to the volunteers of יד ביד 🙌"),
            ];
            let (who, text) = said
                .get(usize::try_from(day % 2).unwrap_or(0))
                .copied()
                .unwrap_or(("noa", ""));
            let c = Comment {
                id: id.clone(),
                parent_id: String::new(),
                author_id: format!("demo-{who}"),
                author: format!("@{who}"),
                text: text.to_string(),
                created_at: String::new(),
                url: String::new(),
            };
            Ok((vec![c], id))
        })
    }

    fn like<'a>(&'a self, _: &'a Access, _: &'a str) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move { Ok(()) })
    }

    fn hide<'a>(&'a self, _: &'a Access, _: &'a str) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move { Ok(()) })
    }

    fn push_profile<'a>(
        &'a self,
        _: &'a Access,
        _: &'a Profile,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn figures_grow_with_time_and_differ_by_post() {
        let early = super::figures("x", "demo-1", 1);
        let later = super::figures("x", "demo-1", 48);
        assert!(later["impression_count"] > early["impression_count"]);
        assert_ne!(
            super::figures("x", "demo-2", 48)["impression_count"],
            later["impression_count"]
        );
        assert_eq!(super::id_of("k-0"), super::id_of("k-0"));
    }
}
