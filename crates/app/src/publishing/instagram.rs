//! Instagram professional accounts (Instagram API with Instagram Login, `graph.instagram.com`):
//! the container flow. Each picture or video becomes a container made from its **public
//! address** on this server (`POST /{ig-user}/media` with `image_url`, `alt_text`; videos as
//! Reels), several become a carousel; the container is polled (`GET /{container}?fields=
//! status_code`) until `FINISHED`, then published (`POST /{ig-user}/media_publish`), and its
//! permalink read. Further parts become comments on the post.
//!
//! Instagram takes no key. Before publishing again after an unknown outcome, the account's newest
//! media are read and one with the same caption is taken as the post already made; an unused
//! container simply expires after 24 hours.

use std::time::Duration;

use futures::future::BoxFuture;
use serde_json::Value;

use super::{Access, Account, Adapter, Attachment, Part, PublishError, Published};

pub struct Instagram {
    client: reqwest::Client,
    /// Pause between two status checks of a container (doubles up to a few seconds).
    pub poll_start: Duration,
}

impl Instagram {
    pub fn new(allow_private: bool) -> Instagram {
        Instagram {
            client: kehilla_net::guarded_builder(allow_private)
                .timeout(Duration::from_secs(60))
                .connect_timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
            poll_start: Duration::from_millis(200),
        }
    }
}

impl Default for Instagram {
    fn default() -> Self {
        Instagram::new(false)
    }
}

/// Reads a Graph API answer; errors are `{error: {message, code, error_subcode}}`.
async fn answer(r: Result<reqwest::Response, reqwest::Error>) -> Result<Value, PublishError> {
    let r = r.map_err(|e| {
        PublishError::Retry(if e.is_timeout() {
            "Instagram did not answer in time".into()
        } else {
            "Instagram could not be reached".into()
        })
    })?;
    let status = r.status().as_u16();
    let v: Value = match r.json().await {
        Ok(v) => v,
        Err(_) => return Err(PublishError::Retry("the answer was not JSON".into())),
    };
    if (200..300).contains(&status) {
        return Ok(v);
    }
    let message = v
        .pointer("/error/message")
        .and_then(Value::as_str)
        .unwrap_or("Instagram refused the request")
        .to_string();
    let code = v
        .pointer("/error/code")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    Err(match (status, code) {
        (_, 190) | (401, _) => PublishError::Reconnect(message),
        (_, 4 | 17 | 32 | 613) | (429, _) => PublishError::RateLimited {
            until: kehilla_db::now_ms() + 60 * 60_000,
        },
        (400..=499, _) => PublishError::Rejected(message),
        _ => PublishError::Retry(message),
    })
}

impl Instagram {
    fn url(access: &Access, path: &str) -> String {
        format!("{}/{path}", access.server_url)
    }

    async fn post(
        &self,
        access: &Access,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<Value, PublishError> {
        answer(
            self.client
                .post(Self::url(access, path))
                .bearer_auth(&access.token)
                .form(form)
                .send()
                .await,
        )
        .await
    }

    async fn get(&self, access: &Access, path: &str) -> Result<Value, PublishError> {
        answer(
            self.client
                .get(Self::url(access, path))
                .bearer_auth(&access.token)
                .send()
                .await,
        )
        .await
    }

    async fn container(
        &self,
        access: &Access,
        a: &Attachment,
        caption: Option<&str>,
        child: bool,
    ) -> Result<String, PublishError> {
        let mut form: Vec<(&str, &str)> = Vec::new();
        if a.mime.starts_with("video/") {
            form.push(("media_type", "REELS"));
            form.push(("video_url", &a.url));
        } else {
            form.push(("image_url", &a.url));
            if !a.alt_text.is_empty() {
                form.push(("alt_text", &a.alt_text));
            }
        }
        if child {
            form.push(("is_carousel_item", "true"));
        }
        if let Some(c) = caption {
            form.push(("caption", c));
        }
        let v = self
            .post(access, &format!("{}/media", access.account), &form)
            .await?;
        v.get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| PublishError::Retry("no container id".into()))
    }

    /// Waits until a container is ready to publish.
    async fn ready(&self, access: &Access, id: &str) -> Result<(), PublishError> {
        let mut pause = self.poll_start;
        for _ in 0..20 {
            let v = self
                .get(access, &format!("{id}?fields=status_code,status"))
                .await?;
            match v.get("status_code").and_then(Value::as_str) {
                Some("FINISHED") | Some("PUBLISHED") => return Ok(()),
                Some("ERROR") | Some("EXPIRED") => {
                    let why = v
                        .get("status")
                        .and_then(Value::as_str)
                        .unwrap_or("the media could not be processed");
                    return Err(PublishError::Rejected(why.to_string()));
                }
                _ => {}
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(5));
        }
        Err(PublishError::Retry(
            "the media is still being processed".into(),
        ))
    }

    /// The account's recent post with this caption, if any.
    async fn find(
        &self,
        access: &Access,
        caption: &str,
    ) -> Result<Option<Published>, PublishError> {
        let v = self
            .get(
                access,
                &format!(
                    "{}/media?fields=id,caption,permalink&limit=20",
                    access.account
                ),
            )
            .await?;
        Ok(v.get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|m| m.get("caption").and_then(Value::as_str) == Some(caption))
            .map(|m| Published {
                id: m
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                url: m
                    .get("permalink")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            }))
    }
}

impl Adapter for Instagram {
    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            let me = self.get(access, "me?fields=user_id,username").await?;
            let id = me
                .get("user_id")
                .or_else(|| me.get("id"))
                .and_then(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .or_else(|| v.as_i64().map(|n| n.to_string()))
                })
                .ok_or_else(|| PublishError::Retry("no account id".into()))?;
            Ok(Account {
                name: id,
                char_limit: None,
            })
        })
    }

    fn publish<'a>(
        &'a self,
        access: &'a Access,
        part: Part<'a>,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        Box::pin(async move {
            // A further part is a comment on the post.
            if let Some(media) = part.reply_to {
                self.post(
                    access,
                    &format!("{media}/comments"),
                    &[("message", part.text)],
                )
                .await?;
                return Ok(Published {
                    id: media.to_string(),
                    url: String::new(),
                });
            }
            if part.again
                && let Some(found) = self.find(access, part.text).await?
            {
                return Ok(found);
            }
            let container = match part.media {
                [] => {
                    return Err(PublishError::Rejected(
                        "Instagram needs a picture or a video".into(),
                    ));
                }
                [one] => self.container(access, one, Some(part.text), false).await?,
                many => {
                    let mut children = Vec::new();
                    for a in many.iter().take(10) {
                        let c = self.container(access, a, None, true).await?;
                        self.ready(access, &c).await?;
                        children.push(c);
                    }
                    let children = children.join(",");
                    let v = self
                        .post(
                            access,
                            &format!("{}/media", access.account),
                            &[
                                ("media_type", "CAROUSEL"),
                                ("children", &children),
                                ("caption", part.text),
                            ],
                        )
                        .await?;
                    v.get("id")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .ok_or_else(|| PublishError::Retry("no container id".into()))?
                }
            };
            self.ready(access, &container).await?;
            let published = self
                .post(
                    access,
                    &format!("{}/media_publish", access.account),
                    &[("creation_id", &container)],
                )
                .await;
            let v = match published {
                Ok(v) => v,
                Err(PublishError::Retry(msg)) => {
                    return match self.find(access, part.text).await? {
                        Some(found) => Ok(found),
                        None => Err(PublishError::Retry(msg)),
                    };
                }
                Err(e) => return Err(e),
            };
            let id = v
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| PublishError::Retry("no media id".into()))?
                .to_string();
            let url = self
                .get(access, &format!("{id}?fields=permalink"))
                .await
                .ok()
                .and_then(|v| {
                    v.get("permalink")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .unwrap_or_default();
            Ok(Published { id, url })
        })
    }
}
