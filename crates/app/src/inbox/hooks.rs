//! Webhooks: what Meta (Facebook Pages, Instagram, Threads) and Telegram push as it happens.
//!
//! **Meta** calls one address, `/hooks/meta/{network}`: a `GET` to verify the subscription
//! (`hub.mode=subscribe`, the instance's verify token, echo `hub.challenge`) and a `POST` per
//! batch, signed with `X-Hub-Signature-256: sha256={HMAC-SHA256(app secret, body)}` — checked
//! in constant time before anything is read; a forged or missing signature is refused (401).
//! Each entry names the account (the Page, the Instagram or Threads user): every connected
//! channel of that account takes the comment.
//!
//! **Telegram** calls `/hooks/telegram/{channel}` with `X-Telegram-Bot-Api-Secret-Token`, a
//! secret derived from the bot's token and the channel (set with `setWebhook`). Comments are
//! messages of the channel's discussion group that answer a channel post's automatic forward
//! (or another comment); a private message to the bot is a direct message.

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::{Incoming, Ingested, ingest};
use crate::publishing::text_at;
use crate::secrets::constant_eq;

type HmacSha256 = Hmac<Sha256>;

/// Whether `header` (`sha256={hex}`) is the HMAC-SHA256 of `body` under `secret`.
pub fn meta_signature_ok(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex_sig) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Ok(sig) = hex::decode(hex_sig) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

/// `sha256={hex}` of `body` under `secret` (what Meta sends; for tests and fakes).
pub fn meta_signature(secret: &str, body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| {
        // HMAC takes keys of any length; this cannot happen.
        HmacSha256::new_from_slice(b"-").unwrap_or_else(|_| unreachable!())
    });
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// One comment a webhook carried: the network, the account it is for, and the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    pub network: &'static str,
    pub account: String,
    /// The post it is under, in the network's ids.
    pub post: String,
    pub comment: crate::publishing::Comment,
}

fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    v.pointer(path).unwrap_or(&Value::Null)
}

/// A time as Meta writes it in webhooks: Unix seconds, or text.
fn meta_time(v: &Value) -> String {
    match v {
        Value::Number(n) => n
            .as_i64()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|t| t.to_rfc3339())
            .unwrap_or_default(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// The comments of a Meta webhook body (`object` page, instagram or threads); anything else
/// (reactions, edits, other fields) is left out.
pub fn meta_comments(body: &Value) -> Vec<Pushed> {
    let object = at(body, "/object").as_str().unwrap_or_default();
    let mut out = Vec::new();
    let entries = at(body, "/entry").as_array().cloned().unwrap_or_default();
    for entry in &entries {
        let account = text_at(entry, "/id");
        let mut changes = at(entry, "/changes")
            .as_array()
            .cloned()
            .unwrap_or_default();
        changes.extend(at(entry, "/values").as_array().cloned().unwrap_or_default());
        for ch in &changes {
            let field = at(ch, "/field").as_str().unwrap_or_default();
            let v = at(ch, "/value");
            match (object, field) {
                ("page", "feed") if at(v, "/item") == "comment" && at(v, "/verb") == "add" => {
                    let post = text_at(v, "/post_id");
                    let parent = text_at(v, "/parent_id");
                    out.push(Pushed {
                        network: "facebook",
                        account: account.clone(),
                        comment: crate::publishing::Comment {
                            id: text_at(v, "/comment_id"),
                            parent_id: if parent.is_empty() {
                                post.clone()
                            } else {
                                parent
                            },
                            author_id: text_at(v, "/from/id"),
                            author: text_at(v, "/from/name"),
                            text: text_at(v, "/message"),
                            created_at: meta_time(at(v, "/created_time")),
                            url: String::new(),
                        },
                        post,
                    });
                }
                ("instagram", "comments") => {
                    let post = text_at(v, "/media/id");
                    let parent = text_at(v, "/parent_id");
                    out.push(Pushed {
                        network: "instagram",
                        account: account.clone(),
                        comment: crate::publishing::Comment {
                            id: text_at(v, "/id"),
                            parent_id: if parent.is_empty() {
                                post.clone()
                            } else {
                                parent
                            },
                            author_id: text_at(v, "/from/id"),
                            author: format!("@{}", text_at(v, "/from/username")),
                            text: text_at(v, "/text"),
                            created_at: meta_time(at(entry, "/time")),
                            url: String::new(),
                        },
                        post,
                    });
                }
                ("threads", "replies") => {
                    let post = text_at(v, "/root_post/id");
                    let account = if account.is_empty() {
                        text_at(v, "/root_post/owner_id")
                    } else {
                        account.clone()
                    };
                    out.push(Pushed {
                        network: "threads",
                        account,
                        comment: crate::publishing::Comment {
                            id: text_at(v, "/id"),
                            parent_id: text_at(v, "/replied_to/id"),
                            author_id: text_at(v, "/username"),
                            author: format!("@{}", text_at(v, "/username")),
                            text: text_at(v, "/text"),
                            created_at: text_at(v, "/timestamp"),
                            url: text_at(v, "/permalink"),
                        },
                        post,
                    });
                }
                _ => {}
            }
        }
    }
    out
}

/// Keeps the comments of a verified Meta webhook for every channel connected to their account;
/// returns how many were new.
pub async fn take_meta(database: &kehilla_db::Db, pushed: &[Pushed]) -> crate::Result<usize> {
    let mut n = 0;
    for p in pushed {
        if p.comment.id.is_empty() {
            continue;
        }
        let rows =
            kehilla_db::inbox::channels_of_account(&database.pool, p.network, &p.account).await?;
        for (org, channel) in rows {
            let post = post_of(database, channel, &p.post).await?;
            let r = super::poll::keep(
                database, org, p.network, channel, &p.account, post, "comment", &p.comment,
            )
            .await?;
            n += usize::from(matches!(r, Ingested::New { .. }));
        }
    }
    Ok(n)
}

/// Our post published on a channel under the network's id `remote`.
async fn post_of(
    database: &kehilla_db::Db,
    channel: i64,
    remote: &str,
) -> crate::Result<Option<i64>> {
    if remote.is_empty() {
        return Ok(None);
    }
    Ok(kehilla_db::inbox::post_of_remote(&database.pool, channel, remote).await?)
}

/// The secret Telegram sends with each update for a channel: derived from the bot's token
/// (which only the bot's owner and Kehilla know) and the channel's public id.
pub fn telegram_secret(bot_token: &str, channel: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(bot_token.as_bytes())
        .unwrap_or_else(|_| HmacSha256::new_from_slice(b"-").unwrap_or_else(|_| unreachable!()));
    mac.update(b"kehilla-telegram-hook:");
    mac.update(channel.as_bytes());
    hex::encode(mac.finalize().into_bytes())
        .get(..48)
        .unwrap_or_default()
        .to_string()
}

/// Whether `given` is the secret of a channel.
pub fn telegram_secret_ok(bot_token: &str, channel: &str, given: &str) -> bool {
    !given.is_empty() && constant_eq(&telegram_secret(bot_token, channel), given)
}

/// What a Telegram update carries for the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramMessage {
    /// `comment` (in the discussion group) or `message` (a private chat with the bot).
    pub kind: &'static str,
    /// `{chat}:{message}`.
    pub id: String,
    /// `{chat}:{message}` of what it answers, when it answers a comment.
    pub parent: String,
    /// The channel post's id when it answers a channel post's automatic forward.
    pub channel_post: String,
    pub author_id: String,
    pub handle: String,
    pub name: String,
    pub text: String,
    pub at: i64,
}

/// Reads an update; `None` for what the inbox does not take (channel posts, bots, edits,
/// service messages).
pub fn telegram_update(update: &Value) -> Option<TelegramMessage> {
    let m = update.get("message")?;
    if at(m, "/from/is_bot").as_bool() == Some(true) {
        return None;
    }
    let text = at(m, "/text")
        .as_str()
        .or_else(|| at(m, "/caption").as_str())?
        .to_string();
    let chat = text_at(m, "/chat/id");
    let private = at(m, "/chat/type") == "private";
    let reply = at(m, "/reply_to_message");
    let (parent, channel_post) = if reply.is_null() || private {
        (String::new(), String::new())
    } else if at(reply, "/is_automatic_forward").as_bool() == Some(true) {
        let origin = text_at(reply, "/forward_origin/message_id");
        let legacy = text_at(reply, "/forward_from_message_id");
        (
            String::new(),
            if origin.is_empty() { legacy } else { origin },
        )
    } else {
        (
            format!("{chat}:{}", text_at(reply, "/message_id")),
            String::new(),
        )
    };
    if !private && parent.is_empty() && channel_post.is_empty() {
        // A group message that answers nothing of ours.
        return None;
    }
    let first = text_at(m, "/from/first_name");
    let last = text_at(m, "/from/last_name");
    let username = text_at(m, "/from/username");
    Some(TelegramMessage {
        kind: if private { "message" } else { "comment" },
        id: format!("{chat}:{}", text_at(m, "/message_id")),
        parent,
        channel_post,
        author_id: text_at(m, "/from/id"),
        handle: if username.is_empty() {
            String::new()
        } else {
            format!("@{username}")
        },
        name: format!("{first} {last}").trim().to_string(),
        text,
        at: at(m, "/date").as_i64().unwrap_or(0).saturating_mul(1000),
    })
}

/// Keeps a Telegram message for a channel.
pub async fn take_telegram(
    database: &kehilla_db::Db,
    org: i64,
    channel: i64,
    m: &TelegramMessage,
) -> crate::Result<Ingested> {
    // In the discussion group, members also talk among themselves: a reply is the inbox's
    // only when it answers a channel post or a message the inbox holds.
    if m.kind == "comment"
        && m.channel_post.is_empty()
        && !kehilla_db::inbox::message_exists(&database.pool, org, "telegram", &m.parent).await?
    {
        return Ok(Ingested::Skipped);
    }
    let post = post_of(database, channel, &m.channel_post).await?;
    ingest(
        database,
        &Incoming {
            org,
            source: "telegram",
            channel_id: Some(channel),
            post_id: post,
            kind: m.kind,
            remote_id: &m.id,
            parent_remote_id: &m.parent,
            author_id: &m.author_id,
            handle: &m.handle,
            name: &m.name,
            body: &m.text,
            at: m.at,
            ..Default::default()
        },
    )
    .await
}

/// The app of a Meta network, as its webhooks need it: the app secret (signatures) and the
/// verify token (subscription check).
pub struct MetaApp {
    pub secret: String,
    pub verify_token: String,
}

/// The configured app of `network` (facebook, instagram or threads), when there is one.
pub fn meta_app(settings: &crate::Settings, network: &str) -> Option<MetaApp> {
    if !matches!(network, "facebook" | "instagram" | "threads") {
        return None;
    }
    let app = settings.oauth_apps.get(network)?;
    let secret = app.client_secret.expose().to_string();
    if secret.is_empty() {
        return None;
    }
    Some(MetaApp {
        secret,
        verify_token: app
            .webhook_verify_token
            .as_ref()
            .map(|t| t.expose().to_string())
            .unwrap_or_default(),
    })
}

/// The channel's connection and opened token, for Telegram's webhook.
async fn telegram_channel(
    database: &kehilla_db::Db,
    settings: &crate::Settings,
    channel: &str,
) -> crate::Result<Option<(kehilla_db::publishing::Connection, String)>> {
    let Some((org, id)) = kehilla_db::studio::channel_ids(&database.pool, channel).await? else {
        return Ok(None);
    };
    if kehilla_db::studio::channel_network(&database.pool, id).await? != "telegram" {
        return Ok(None);
    }
    let Some(conn) = kehilla_db::publishing::connection(&database.pool, org, id).await? else {
        return Ok(None);
    };
    let sealer = crate::secrets::Sealer::of_instance(database, settings).await?;
    let token = crate::publishing::access_of(&conn, &sealer)?.token;
    Ok(Some((conn, token)))
}

/// Takes one Telegram update for a channel; `false` when the secret is wrong (or the channel
/// is not a connected Telegram channel).
pub async fn telegram_delivery(
    database: &kehilla_db::Db,
    settings: &crate::Settings,
    channel: &str,
    secret: &str,
    body: &[u8],
) -> crate::Result<bool> {
    let Some((conn, token)) = telegram_channel(database, settings, channel).await? else {
        return Ok(false);
    };
    if token.is_empty() || !telegram_secret_ok(&token, channel, secret) {
        return Ok(false);
    }
    let Ok(update) = serde_json::from_slice::<Value>(body) else {
        // Telegram would send it again and again: taken, and left.
        return Ok(true);
    };
    if let Some(m) = telegram_update(&update) {
        take_telegram(database, conn.organization_id, conn.channel_id, &m).await?;
    }
    Ok(true)
}

/// Asks Telegram to push a channel's updates to this server (admins).
pub async fn connect_telegram(
    database: &kehilla_db::Db,
    settings: &crate::Settings,
    base_url: &str,
    by: &crate::members::OrgMember,
    channel: &str,
) -> crate::Result<()> {
    if by.role < kehilla_domain::Role::Admin {
        return Err(crate::AppError::Forbidden);
    }
    let Some((conn, token)) = telegram_channel(database, settings, channel).await? else {
        return Err(crate::AppError::NotFound);
    };
    if conn.organization_id != by.org.id {
        return Err(crate::AppError::NotFound);
    }
    let access = crate::publishing::access_of(
        &conn,
        &crate::secrets::Sealer::of_instance(database, settings).await?,
    )?;
    let url = format!(
        "{}/hooks/telegram/{channel}",
        base_url.trim_end_matches('/')
    );
    crate::publishing::telegram::set_webhook(
        &access,
        &url,
        &telegram_secret(&token, channel),
        settings.fetch_private,
    )
    .await
    .map_err(|e| {
        tracing::info!(code = e.code(), detail = %e.detail(), "setWebhook failed");
        crate::AppError::Conflict("inbox-telegram-failed")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn meta_signatures_are_checked() {
        let body = br#"{"object":"page"}"#;
        let sig = meta_signature("s3cret", body);
        assert!(meta_signature_ok("s3cret", body, &sig));
        assert!(!meta_signature_ok("other", body, &sig));
        assert!(!meta_signature_ok("s3cret", b"{}", &sig));
        assert!(!meta_signature_ok("s3cret", body, "sha1=abc"));
        assert!(!meta_signature_ok("s3cret", body, "sha256=zz"));
    }

    #[test]
    fn meta_bodies_give_their_comments() {
        let fb = json!({"object": "page", "entry": [{"id": "p1", "time": 1, "changes": [
            {"field": "feed", "value": {"item": "comment", "verb": "add", "comment_id": "c1",
             "post_id": "p1_9", "parent_id": "p1_9", "from": {"id": "u1", "name": "דנה"},
             "message": "תודה!", "created_time": 1_795_773_600}},
            {"field": "feed", "value": {"item": "reaction", "verb": "add"}}]}]});
        let got = meta_comments(&fb);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].network, "facebook");
        assert_eq!(got[0].post, "p1_9");
        assert_eq!(got[0].comment.text, "תודה!");
        assert_eq!(
            crate::inbox::parse_time(&got[0].comment.created_at),
            Some(1_795_773_600_000)
        );
        let ig = json!({"object": "instagram", "entry": [{"id": "ig1", "time": 2, "changes": [
            {"field": "comments", "value": {"id": "k1", "text": "wow", "from": {"id": "u2",
             "username": "noa"}, "media": {"id": "m1"}}}]}]});
        let got = meta_comments(&ig);
        assert_eq!(
            (
                got[0].comment.parent_id.as_str(),
                got[0].comment.author.as_str()
            ),
            ("m1", "@noa")
        );
        let th = json!({"object": "threads", "entry": [{"id": "t1", "values": [{"field": "replies",
            "value": {"id": "r1", "username": "ari", "text": "כן", "replied_to": {"id": "t9"},
            "root_post": {"id": "t9", "owner_id": "t1"}, "timestamp": "2026-11-27T10:00:00+0000"}}]}]});
        let got = meta_comments(&th);
        assert_eq!((got[0].network, got[0].post.as_str()), ("threads", "t9"));
        assert!(meta_comments(&json!({"object": "user"})).is_empty());
    }

    #[test]
    fn telegram_updates_are_comments_or_direct_messages() {
        let comment = json!({"update_id": 1, "message": {"message_id": 5, "date": 1_795_773_600,
            "from": {"id": 9, "first_name": "דנה", "username": "dana"},
            "chat": {"id": -100_123, "type": "supergroup"}, "text": "איזה יופי",
            "reply_to_message": {"message_id": 4, "is_automatic_forward": true,
              "forward_origin": {"type": "channel", "chat": {"id": -100_999}, "message_id": 77}}}});
        let m = telegram_update(&comment).unwrap();
        assert_eq!(
            (m.kind, m.id.as_str(), m.channel_post.as_str()),
            ("comment", "-100123:5", "77")
        );
        let answer = json!({"message": {"message_id": 6, "from": {"id": 10, "first_name": "Ari"},
            "chat": {"id": -100_123, "type": "supergroup"}, "text": "+1",
            "reply_to_message": {"message_id": 5}}});
        assert_eq!(telegram_update(&answer).unwrap().parent, "-100123:5");
        let private = json!({"message": {"message_id": 1, "from": {"id": 11, "first_name": "Noa"},
            "chat": {"id": 11, "type": "private"}, "text": "שלום"}});
        assert_eq!(telegram_update(&private).unwrap().kind, "message");
        let chatter = json!({"message": {"message_id": 2, "from": {"id": 11},
            "chat": {"id": -1, "type": "supergroup"}, "text": "hi all"}});
        assert!(telegram_update(&chatter).is_none());
        let bot = json!({"message": {"message_id": 3, "from": {"id": 1, "is_bot": true},
            "chat": {"id": 11, "type": "private"}, "text": "x"}});
        assert!(telegram_update(&bot).is_none());
        assert!(telegram_update(&json!({"channel_post": {}})).is_none());
        let s = telegram_secret("123:abc", "ch1");
        assert!(telegram_secret_ok("123:abc", "ch1", &s));
        assert!(!telegram_secret_ok("123:abc", "ch2", &s));
        assert!(!telegram_secret_ok("123:abc", "ch1", ""));
    }
}
