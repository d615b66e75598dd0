//! Mastodon (REST API): verify with `GET /api/v1/accounts/verify_credentials` and the server's
//! limit from `GET /api/v2/instance`; media with `POST /api/v2/media` (alt text as
//! `description`; a 202 means still processing, polled at `GET /api/v1/media/{id}`); statuses
//! with `POST /api/v1/statuses` and an `Idempotency-Key`, so a repeat after a timeout returns
//! the same status instead of a second one.

use std::time::Duration;

use futures::future::BoxFuture;
use serde_json::Value;

use super::{Access, Account, Adapter, Attachment, Part, PublishError, Published};

pub struct Mastodon {
    client: reqwest::Client,
}

impl Mastodon {
    pub fn new(allow_private: bool) -> Option<Mastodon> {
        Some(Mastodon {
            client: super::http(allow_private, 60)?,
        })
    }
}

/// Classes an answer that is not a success.
async fn classify(r: reqwest::Response) -> PublishError {
    let status = r.status().as_u16();
    let reset = r
        .headers()
        .get("x-ratelimit-reset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| chrono::DateTime::parse_from_rfc3339(v).ok())
        .map(|t| t.timestamp_millis());
    let body = r.text().await.unwrap_or_default();
    let message = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| format!("status {status}"));
    match status {
        401 | 403 => PublishError::Reconnect(message),
        429 => PublishError::RateLimited {
            until: reset.unwrap_or_else(|| kehilla_db::now_ms() + 5 * 60_000),
        },
        400..=499 => PublishError::Rejected(message),
        _ => PublishError::Retry(message),
    }
}

async fn json(r: reqwest::Response) -> Result<Value, PublishError> {
    if !r.status().is_success() {
        return Err(classify(r).await);
    }
    // A proxy's HTML page instead of JSON: a passing failure.
    r.json::<Value>()
        .await
        .map_err(|_| PublishError::Retry("the answer was not JSON".into()))
}

impl Mastodon {
    async fn upload(&self, access: &Access, a: &Attachment) -> Result<String, PublishError> {
        let part = reqwest::multipart::Part::bytes(a.bytes.clone())
            .file_name(a.file_name.clone())
            .mime_str(&a.mime)
            .map_err(|_| PublishError::Rejected("bad media type".into()))?;
        let form = reqwest::multipart::Form::new()
            .part("file", part)
            .text("description", a.alt_text.clone());
        let r = self
            .client
            .post(format!("{}/api/v2/media", access.server_url))
            .bearer_auth(&access.token)
            .multipart(form)
            .send()
            .await
            .map_err(|e| super::transport("the server", &e))?;
        let processing = r.status().as_u16() == 202;
        let v = json(r).await?;
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| PublishError::Retry("no media id".into()))?
            .to_string();
        if processing {
            // Until the server has processed it, a status cannot use it.
            for _ in 0..30 {
                let r = self
                    .client
                    .get(format!("{}/api/v1/media/{id}", access.server_url))
                    .bearer_auth(&access.token)
                    .send()
                    .await
                    .map_err(|e| super::transport("the server", &e))?;
                if r.status().as_u16() == 200 {
                    let v = json(r).await?;
                    if v.get("url").is_some_and(|u| !u.is_null()) {
                        return Ok(id);
                    }
                } else if r.status().as_u16() != 206 {
                    return Err(classify(r).await);
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            return Err(PublishError::Retry("the media is still processing".into()));
        }
        Ok(id)
    }
}

impl Adapter for Mastodon {
    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            let r = self
                .client
                .get(format!(
                    "{}/api/v1/accounts/verify_credentials",
                    access.server_url
                ))
                .bearer_auth(&access.token)
                .send()
                .await
                .map_err(|e| super::transport("the server", &e))?;
            let me = json(r).await?;
            let acct = me.get("acct").and_then(Value::as_str).unwrap_or_default();
            let host = access
                .server_url
                .split("://")
                .nth(1)
                .unwrap_or_default()
                .to_string();
            let limit = match self
                .client
                .get(format!("{}/api/v2/instance", access.server_url))
                .send()
                .await
            {
                Ok(r) => json(r).await.ok().and_then(|v| {
                    v.pointer("/configuration/statuses/max_characters")
                        .and_then(Value::as_i64)
                }),
                Err(_) => None,
            };
            Ok(Account {
                name: format!("@{acct}@{host}"),
                char_limit: limit,
            })
        })
    }

    fn publish<'a>(
        &'a self,
        access: &'a Access,
        part: Part<'a>,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        Box::pin(async move {
            let (text, reply_to, media, key) = (part.text, part.reply_to, part.media, part.key);
            let mut ids = Vec::new();
            for a in media {
                ids.push(self.upload(access, a).await?);
            }
            let mut body = serde_json::Map::new();
            body.insert("status".into(), Value::from(text));
            body.insert("visibility".into(), Value::from("public"));
            if !ids.is_empty() {
                body.insert("media_ids".into(), Value::from(ids));
            }
            if let Some(r) = reply_to {
                body.insert("in_reply_to_id".into(), Value::from(r));
            }
            let r = self
                .client
                .post(format!("{}/api/v1/statuses", access.server_url))
                .bearer_auth(&access.token)
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
                .await
                .map_err(|e| super::transport("the server", &e))?;
            let v = json(r).await?;
            let id = v
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| PublishError::Retry("no status id".into()))?;
            Ok(Published {
                id: id.to_string(),
                url: v
                    .get("url")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            })
        })
    }
}
