//! Facebook Pages (Graph API, with the Page's token): pictures are uploaded unpublished from
//! their public address (`POST /{page}/photos` with `url`, `published=false`), then the post
//! (`POST /{page}/feed` with `message` and `attached_media`, asking for `id,permalink_url`).
//! Further parts become comments (`POST /{post}/comments`). Graph errors are `{error: {message,
//! code, error_subcode}}`: 190 (invalid or revoked token) means connecting again; 4, 17, 32 and
//! 613 are rate limits.
//!
//! Facebook takes no key: before posting again after an unknown outcome, the Page's newest posts
//! are read and one with the same message is taken as the post already made.

use std::time::Duration;

use futures::future::BoxFuture;
use serde_json::Value;

use super::{Access, Account, Adapter, Part, PublishError, Published};

pub struct Facebook {
    client: reqwest::Client,
}

impl Facebook {
    pub fn new(allow_private: bool) -> Facebook {
        Facebook {
            client: kehilla_net::guarded_builder(allow_private)
                .timeout(Duration::from_secs(60))
                .connect_timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
        }
    }
}

impl Default for Facebook {
    fn default() -> Self {
        Facebook::new(false)
    }
}

async fn answer(r: Result<reqwest::Response, reqwest::Error>) -> Result<Value, PublishError> {
    let r = r.map_err(|e| {
        PublishError::Retry(if e.is_timeout() {
            "Facebook did not answer in time".into()
        } else {
            "Facebook could not be reached".into()
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
        .unwrap_or("Facebook refused the request")
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

impl Facebook {
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

    async fn find(
        &self,
        access: &Access,
        message: &str,
    ) -> Result<Option<Published>, PublishError> {
        let v = answer(
            self.client
                .get(Self::url(
                    access,
                    &format!(
                        "{}/feed?fields=id,message,permalink_url&limit=20",
                        access.account
                    ),
                ))
                .bearer_auth(&access.token)
                .send()
                .await,
        )
        .await?;
        Ok(v.get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| p.get("message").and_then(Value::as_str) == Some(message))
            .map(|p| Published {
                id: p
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                url: p
                    .get("permalink_url")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            }))
    }
}

impl Adapter for Facebook {
    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            if access.account.trim().is_empty() {
                return Err(PublishError::Rejected("the Page id is missing".into()));
            }
            let v = answer(
                self.client
                    .get(Self::url(
                        access,
                        &format!("{}?fields=id,name", access.account.trim()),
                    ))
                    .bearer_auth(&access.token)
                    .send()
                    .await,
            )
            .await?;
            let id = v
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or(access.account.trim());
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
            if let Some(post) = part.reply_to {
                self.post(
                    access,
                    &format!("{post}/comments"),
                    &[("message", part.text)],
                )
                .await?;
                return Ok(Published {
                    id: post.to_string(),
                    url: String::new(),
                });
            }
            if part.again
                && let Some(found) = self.find(access, part.text).await?
            {
                return Ok(found);
            }
            let mut attached = Vec::new();
            for a in part
                .media
                .iter()
                .filter(|a| a.mime.starts_with("image/"))
                .take(10)
            {
                let v = self
                    .post(
                        access,
                        &format!("{}/photos", access.account),
                        &[
                            ("url", &a.url),
                            ("published", "false"),
                            ("alt_text_custom", &a.alt_text),
                        ],
                    )
                    .await?;
                if let Some(id) = v.get("id").and_then(Value::as_str) {
                    attached.push(serde_json::json!({ "media_fbid": id }));
                }
            }
            let attached = Value::from(attached).to_string();
            let mut form = vec![
                ("message", part.text),
                ("published", "true"),
                ("fields", "id,permalink_url"),
            ];
            if attached != "[]" {
                form.push(("attached_media", &attached));
            }
            let v = match self
                .post(access, &format!("{}/feed", access.account), &form)
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
                .ok_or_else(|| PublishError::Retry("no post id".into()))?;
            Ok(Published {
                id: id.to_string(),
                url: v
                    .get("permalink_url")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            })
        })
    }
}
