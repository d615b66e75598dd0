//! Threads (`graph.threads.net`): the container flow, like Instagram. A container is made with
//! `POST /{user}/threads` (`media_type` TEXT, IMAGE or VIDEO, `text`, `image_url` from this
//! server's public address, `alt_text`, `reply_to_id` for the thread's further parts), polled at
//! `GET /{container}?fields=status,error_message` until `FINISHED`, then published with
//! `POST /{user}/threads_publish`; the permalink is read after.
//!
//! Threads takes no key: before publishing again after an unknown outcome, the account's newest
//! posts are read and one with the same text is taken as the post already made.

use std::time::Duration;

use futures::future::BoxFuture;
use serde_json::Value;

use super::{Access, Account, Adapter, Part, PublishError, Published};

pub struct Threads {
    client: reqwest::Client,
    /// Pause between two status checks of a container (doubles up to a few seconds).
    pub poll_start: Duration,
}

impl Threads {
    pub fn new(allow_private: bool) -> Threads {
        Threads {
            client: kehilla_net::guarded_builder(allow_private)
                .timeout(Duration::from_secs(60))
                .connect_timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
            poll_start: Duration::from_millis(200),
        }
    }
}

impl Default for Threads {
    fn default() -> Self {
        Threads::new(false)
    }
}

async fn answer(r: Result<reqwest::Response, reqwest::Error>) -> Result<Value, PublishError> {
    let r = r.map_err(|e| {
        PublishError::Retry(if e.is_timeout() {
            "Threads did not answer in time".into()
        } else {
            "Threads could not be reached".into()
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
        .unwrap_or("Threads refused the request")
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

impl Threads {
    fn url(access: &Access, path: &str) -> String {
        format!("{}/{path}", access.server_url)
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

    async fn ready(&self, access: &Access, id: &str) -> Result<(), PublishError> {
        let mut pause = self.poll_start;
        for _ in 0..20 {
            let v = self
                .get(access, &format!("{id}?fields=status,error_message"))
                .await?;
            match v.get("status").and_then(Value::as_str) {
                Some("FINISHED") | Some("PUBLISHED") => return Ok(()),
                Some("ERROR") | Some("EXPIRED") => {
                    let why = v
                        .get("error_message")
                        .and_then(Value::as_str)
                        .unwrap_or("the post could not be processed");
                    return Err(PublishError::Rejected(why.to_string()));
                }
                _ => {}
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(5));
        }
        Err(PublishError::Retry(
            "the post is still being processed".into(),
        ))
    }

    async fn find(&self, access: &Access, text: &str) -> Result<Option<Published>, PublishError> {
        let v = self
            .get(
                access,
                &format!(
                    "{}/threads?fields=id,text,permalink&limit=20",
                    access.account
                ),
            )
            .await?;
        Ok(v.get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| p.get("text").and_then(Value::as_str) == Some(text))
            .map(|p| Published {
                id: p
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                url: p
                    .get("permalink")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            }))
    }
}

impl Adapter for Threads {
    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            let me = self.get(access, "me?fields=id,username").await?;
            let id = me
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| PublishError::Retry("no account id".into()))?;
            Ok(Account {
                name: id.to_string(),
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
            if part.again
                && let Some(found) = self.find(access, part.text).await?
            {
                return Ok(found);
            }
            let mut form: Vec<(&str, &str)> = vec![("text", part.text)];
            match part.media.first() {
                Some(a) if a.mime.starts_with("video/") => {
                    form.push(("media_type", "VIDEO"));
                    form.push(("video_url", &a.url));
                }
                Some(a) => {
                    form.push(("media_type", "IMAGE"));
                    form.push(("image_url", &a.url));
                    if !a.alt_text.is_empty() {
                        form.push(("alt_text", &a.alt_text));
                    }
                }
                None => form.push(("media_type", "TEXT")),
            }
            if let Some(r) = part.reply_to {
                form.push(("reply_to_id", r));
            }
            let v = self
                .post(access, &format!("{}/threads", access.account), &form)
                .await?;
            let container = v
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| PublishError::Retry("no container id".into()))?
                .to_string();
            self.ready(access, &container).await?;
            let v = match self
                .post(
                    access,
                    &format!("{}/threads_publish", access.account),
                    &[("creation_id", &container)],
                )
                .await
            {
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
                .ok_or_else(|| PublishError::Retry("no post id".into()))?
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
