//! Telegram (Bot API → a channel): the bot token from @BotFather, the bot an admin of the
//! channel, `chat_id` = `@channelname` or the numeric `-100…` id. Text with `sendMessage`;
//! one picture or video with `sendPhoto`/`sendVideo` and the text as its caption; several with
//! `sendMediaGroup`; further parts as replies in the channel.
//!
//! The Bot API has no idempotency key and a bot cannot search its channel, so an answer that is
//! lost after the request left (a timeout, a 5xx) is an **unknown** outcome: the publication
//! stops for a person to check instead of risking a second post. A request that never reached
//! Telegram (no connection) is safely tried again.
//!
//! Deleting is `deleteMessage`. The channel's description and picture are set with
//! `setChatDescription` (at most 255 characters) and `setChatPhoto`. The Bot API gives no
//! figures for a post, and a channel's comments live in its linked discussion group, which
//! reaches Kehilla as updates (the Inbox), not by reading a post. The channel's subscribers are
//! `getChatMemberCount`.

use futures::future::BoxFuture;
use serde_json::Value;

use super::{Access, Account, Adapter, Part, Profile, PublishError, Published};

pub struct Telegram {
    client: reqwest::Client,
}

impl Telegram {
    pub fn new(allow_private: bool) -> Option<Telegram> {
        Some(Telegram {
            client: super::http(allow_private, 120)?,
        })
    }

    fn url(access: &Access, method: &str) -> String {
        format!("{}/bot{}/{method}", access.server_url, access.token)
    }
}

/// Asks Telegram to push the bot's updates (messages of the discussion group, private chats)
/// to `url`, with `secret` in each request's `X-Telegram-Bot-Api-Secret-Token`.
pub async fn set_webhook(
    access: &Access,
    url: &str,
    secret: &str,
    allow_private: bool,
) -> Result<(), PublishError> {
    let t =
        Telegram::new(allow_private).ok_or_else(|| PublishError::Retry("no HTTP client".into()))?;
    let body = serde_json::json!({
        "url": url, "secret_token": secret, "allowed_updates": ["message"],
    });
    answer(
        t.client
            .post(Telegram::url(access, "setWebhook"))
            .json(&body)
            .send()
            .await,
    )
    .await
    .map(|_| ())
}

/// Reads a Bot API answer: `{ok: true, result}` or `{ok: false, error_code, description,
/// parameters: {retry_after}}`.
async fn answer(r: Result<reqwest::Response, reqwest::Error>) -> Result<Value, PublishError> {
    let r = match r {
        Ok(r) => r,
        // Never connected: nothing was sent.
        Err(e) if e.is_connect() => {
            return Err(PublishError::Retry("Telegram could not be reached".into()));
        }
        Err(_) => {
            return Err(PublishError::Unknown(
                "Telegram did not answer in time; the message may have been posted".into(),
            ));
        }
    };
    let status = r.status().as_u16();
    let body: Value = match r.json().await {
        Ok(v) => v,
        Err(_) if status >= 500 => {
            return Err(PublishError::Unknown(format!(
                "Telegram answered {status}; the message may have been posted"
            )));
        }
        Err(_) => return Err(PublishError::Retry("the answer was not JSON".into())),
    };
    if body.get("ok").and_then(Value::as_bool) == Some(true) {
        return Ok(body.get("result").cloned().unwrap_or(Value::Null));
    }
    let code = body
        .get("error_code")
        .and_then(Value::as_i64)
        .unwrap_or(i64::from(status));
    let text = body
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("Telegram refused the request")
        .to_string();
    Err(match code {
        429 => {
            let wait = body
                .pointer("/parameters/retry_after")
                .and_then(Value::as_i64)
                .unwrap_or(30);
            PublishError::RateLimited {
                until: kehilla_db::now_ms() + wait * 1000,
            }
        }
        401 | 403 => PublishError::Reconnect(text),
        400 if text.contains("chat not found") => PublishError::Reconnect(text),
        400..=499 => PublishError::Rejected(text),
        _ => PublishError::Unknown(format!("{text}; the message may have been posted")),
    })
}

/// A call that posts nothing to the channel (a read, a profile change): an answer lost on
/// the way is simply asked again, not an unknown outcome.
fn not_a_post(r: Result<Value, PublishError>) -> Result<Value, PublishError> {
    r.map_err(|e| match e {
        PublishError::Unknown(m) => PublishError::Retry(m),
        e => e,
    })
}

fn message_id(v: &Value) -> Option<i64> {
    v.get("message_id").and_then(Value::as_i64).or_else(|| {
        v.get(0)
            .and_then(|m| m.get("message_id"))
            .and_then(Value::as_i64)
    })
}

/// The public address of a message of a public channel (`@name`); none for private ids.
fn link(chat: &str, id: i64) -> String {
    match chat.strip_prefix('@') {
        Some(name) => format!("https://t.me/{name}/{id}"),
        None => String::new(),
    }
}

impl Adapter for Telegram {
    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            if access.account.trim().is_empty() {
                return Err(PublishError::Rejected(
                    "the channel (chat id) is missing".into(),
                ));
            }
            let me = answer(self.client.get(Self::url(access, "getMe")).send().await).await?;
            let bot_id = me.get("id").and_then(Value::as_i64).unwrap_or_default();
            let chat = answer(
                self.client
                    .post(Self::url(access, "getChat"))
                    .json(&serde_json::json!({ "chat_id": access.account }))
                    .send()
                    .await,
            )
            .await?;
            // The bot must be an admin of the channel that may post.
            let member = answer(
                self.client
                    .post(Self::url(access, "getChatMember"))
                    .json(&serde_json::json!({ "chat_id": access.account, "user_id": bot_id }))
                    .send()
                    .await,
            )
            .await?;
            let admin = member.get("status").and_then(Value::as_str) == Some("administrator")
                && member.get("can_post_messages").and_then(Value::as_bool) != Some(false);
            if !admin {
                return Err(PublishError::Reconnect(
                    "the bot is not an administrator of the channel with the right to post".into(),
                ));
            }
            tracing::debug!(title = ?chat.get("title"), "telegram channel verified");
            // The chat id is what later calls need, so it is the account kept.
            Ok(Account {
                name: access.account.trim().to_string(),
                char_limit: None,
            })
        })
    }

    fn followers<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<i64, PublishError>> {
        Box::pin(async move {
            let count = not_a_post(
                answer(
                    self.client
                        .post(Self::url(access, "getChatMemberCount"))
                        .json(&serde_json::json!({ "chat_id": access.account }))
                        .send()
                        .await,
                )
                .await,
            )?;
            count
                .as_i64()
                .ok_or_else(|| PublishError::Retry("the member count was not a number".into()))
        })
    }

    fn publish<'a>(
        &'a self,
        access: &'a Access,
        part: Part<'a>,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        Box::pin(async move {
            let (text, reply_to, media) = (part.text, part.reply_to, part.media);
            let chat = access.account.as_str();
            let reply = reply_to.and_then(|r| r.parse::<i64>().ok());
            let result = match media {
                [] => {
                    let mut body = serde_json::json!({ "chat_id": chat, "text": text });
                    if let (Some(id), Some(o)) = (reply, body.as_object_mut()) {
                        o.insert(
                            "reply_parameters".into(),
                            serde_json::json!({ "message_id": id }),
                        );
                    }
                    answer(
                        self.client
                            .post(Self::url(access, "sendMessage"))
                            .json(&body)
                            .send()
                            .await,
                    )
                    .await?
                }
                [one] => {
                    let (method, field) = if one.mime.starts_with("video/") {
                        ("sendVideo", "video")
                    } else {
                        ("sendPhoto", "photo")
                    };
                    let part = reqwest::multipart::Part::bytes(one.bytes.clone())
                        .file_name(one.file_name.clone())
                        .mime_str(&one.mime)
                        .map_err(|_| PublishError::Rejected("bad media type".into()))?;
                    let form = reqwest::multipart::Form::new()
                        .text("chat_id", chat.to_string())
                        .text("caption", text.to_string())
                        .part(field, part);
                    answer(
                        self.client
                            .post(Self::url(access, method))
                            .multipart(form)
                            .send()
                            .await,
                    )
                    .await?
                }
                many => {
                    let mut form =
                        reqwest::multipart::Form::new().text("chat_id", chat.to_string());
                    let mut items = Vec::new();
                    for (i, m) in many.iter().take(10).enumerate() {
                        let kind = if m.mime.starts_with("video/") {
                            "video"
                        } else {
                            "photo"
                        };
                        let mut item =
                            serde_json::json!({ "type": kind, "media": format!("attach://f{i}") });
                        if i == 0
                            && let Some(o) = item.as_object_mut()
                        {
                            o.insert("caption".into(), Value::from(text));
                        }
                        items.push(item);
                        let part = reqwest::multipart::Part::bytes(m.bytes.clone())
                            .file_name(m.file_name.clone())
                            .mime_str(&m.mime)
                            .map_err(|_| PublishError::Rejected("bad media type".into()))?;
                        form = form.part(format!("f{i}"), part);
                    }
                    form = form.text("media", Value::from(items).to_string());
                    answer(
                        self.client
                            .post(Self::url(access, "sendMediaGroup"))
                            .multipart(form)
                            .send()
                            .await,
                    )
                    .await?
                }
            };
            let id = message_id(&result).ok_or_else(|| {
                PublishError::Unknown(
                    "Telegram's answer named no message; check the channel".into(),
                )
            })?;
            Ok(Published {
                id: id.to_string(),
                url: link(chat, id),
            })
        })
    }

    fn delete<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            let Ok(message_id) = id.parse::<i64>() else {
                return Err(PublishError::Rejected("not a Telegram message id".into()));
            };
            let body = serde_json::json!({ "chat_id": access.account, "message_id": message_id });
            match answer(
                self.client
                    .post(Self::url(access, "deleteMessage"))
                    .json(&body)
                    .send()
                    .await,
            )
            .await
            {
                Ok(_) => Ok(()),
                Err(PublishError::Rejected(m)) if m.contains("not found") => Ok(()),
                // Deleting twice does no harm: an unknown outcome is simply tried again.
                Err(PublishError::Unknown(m)) => Err(PublishError::Retry(m)),
                Err(e) => Err(e),
            }
        })
    }

    /// Answers a message of the channel's discussion group or of a private chat with the bot:
    /// `to` is `{chat id}:{message id}`, as the inbox keeps Telegram's messages.
    fn reply<'a>(
        &'a self,
        access: &'a Access,
        to: &'a str,
        text: &'a str,
        _key: &'a str,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        Box::pin(async move {
            let Some((chat, id)) = to
                .rsplit_once(':')
                .and_then(|(c, m)| Some((c, m.parse::<i64>().ok()?)))
            else {
                return Err(PublishError::Rejected("not a Telegram message".into()));
            };
            let body = serde_json::json!({
                "chat_id": chat, "text": text, "reply_parameters": { "message_id": id },
            });
            let result = answer(
                self.client
                    .post(Self::url(access, "sendMessage"))
                    .json(&body)
                    .send()
                    .await,
            )
            .await?;
            let id = message_id(&result).ok_or_else(|| {
                PublishError::Unknown("Telegram's answer named no message".into())
            })?;
            Ok(Published {
                id: format!("{chat}:{id}"),
                url: String::new(),
            })
        })
    }

    fn push_profile<'a>(
        &'a self,
        access: &'a Access,
        profile: &'a Profile,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            if profile.description.chars().count() > 255 {
                return Err(PublishError::Rejected(
                    "a Telegram channel's description holds at most 255 characters".into(),
                ));
            }
            let body = serde_json::json!({ "chat_id": access.account, "description": profile.description });
            let done = answer(
                self.client
                    .post(Self::url(access, "setChatDescription"))
                    .json(&body)
                    .send()
                    .await,
            )
            .await;
            match done {
                Ok(_) => {}
                // Telegram refuses a description that did not change.
                Err(PublishError::Rejected(m)) if m.contains("not modified") => {}
                Err(e) => return Err(e),
            }
            if let Some(logo) = &profile.logo {
                let part = reqwest::multipart::Part::bytes(logo.bytes.clone())
                    .file_name(logo.file_name.clone())
                    .mime_str(&logo.mime)
                    .map_err(|_| PublishError::Rejected("bad media type".into()))?;
                let form = reqwest::multipart::Form::new()
                    .text("chat_id", access.account.clone())
                    .part("photo", part);
                not_a_post(
                    answer(
                        self.client
                            .post(Self::url(access, "setChatPhoto"))
                            .multipart(form)
                            .send()
                            .await,
                    )
                    .await,
                )?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_channels_have_links_and_private_ones_none() {
        assert_eq!(link("@yadbeyad", 42), "https://t.me/yadbeyad/42");
        assert_eq!(link("-1001234", 42), "");
        assert_eq!(
            message_id(&serde_json::json!([{"message_id": 7}, {"message_id": 8}])),
            Some(7)
        );
    }
}
