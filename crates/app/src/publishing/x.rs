//! X (API v2): `GET /2/users/me` to verify; images with `POST /2/media/upload` (multipart
//! `media`, `media_category=tweet_image`) and their alt text with `POST /2/media/metadata`;
//! posts with `POST /2/tweets` (`media.media_ids`, `reply.in_reply_to_tweet_id`) → 201. A video
//! goes in 1 MB chunks (`/2/media/upload/initialize`, `/{id}/append`, `/{id}/finalize`, then
//! `STATUS` until processed).
//!
//! X takes no idempotency key. Before trying a part again after an unknown outcome, the adapter
//! **reconciles**: it reads the account's newest posts and, when one has the same text (and
//! answers the same post), takes it as published instead of posting it twice. X's own refusal of
//! duplicate content is reconciled the same way. Rate limits come from `x-rate-limit-reset`
//! (Unix seconds) on a 429.
//!
//! Deleting is `DELETE /2/tweets/{id}`; a post's figures are its `public_metrics`; the replies
//! under it come from recent search (`conversation_id:{id}`, the last 7 days); a reply is a post
//! with `reply.in_reply_to_tweet_id`, reconciled like any part. The account's followers are
//! `public_metrics.followers_count` of `GET /2/users/me?user.fields=public_metrics`.

use futures::future::BoxFuture;
use serde_json::Value;

use super::text_at;
use super::{
    Access, Account, Adapter, Attachment, Comment, Metrics, Part, PublishError, Published,
};

pub struct X {
    client: reqwest::Client,
    watch: super::Watch,
}

impl X {
    pub fn new(allow_private: bool) -> Option<X> {
        Some(X {
            client: super::http(allow_private, 60)?,
            watch: super::Watch::default(),
        })
    }

    /// Notes the limits X announces on every answer: the endpoint's for the account
    /// (`x-rate-limit-remaining`/`-reset`) and the app's daily one (`x-app-limit-24hour-*`).
    fn watch(&self, h: &reqwest::header::HeaderMap) {
        let num = |name: &str| {
            h.get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<i64>().ok())
        };
        if num("x-rate-limit-remaining") == Some(0)
            && let Some(reset) = num("x-rate-limit-reset")
        {
            self.watch.note(super::Limit {
                app: false,
                until: reset * 1000,
            });
        }
        if num("x-app-limit-24hour-remaining") == Some(0)
            && let Some(reset) = num("x-app-limit-24hour-reset")
        {
            self.watch.note(super::Limit {
                app: true,
                until: reset * 1000,
            });
        }
    }

    async fn data(
        &self,
        r: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<Value, PublishError> {
        if let Ok(r) = &r {
            self.watch(r.headers());
        }
        data(r).await
    }
}

/// The words of a text without its links (X rewrites them to t.co), for comparing.
fn comparable(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.starts_with("http://") && !w.starts_with("https://"))
        .collect::<Vec<_>>()
        .join(" ")
}

async fn classify(r: reqwest::Response) -> PublishError {
    let status = r.status().as_u16();
    let reset = r
        .headers()
        .get("x-rate-limit-reset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let body: Value = r.json().await.unwrap_or(Value::Null);
    let detail = body
        .get("detail")
        .or_else(|| body.pointer("/errors/0/message"))
        .or_else(|| body.get("title"))
        .and_then(Value::as_str)
        .unwrap_or("X refused the request")
        .to_string();
    match status {
        401 => PublishError::Reconnect(detail),
        429 => PublishError::RateLimited {
            until: reset
                .map(|s| s * 1000)
                .unwrap_or_else(|| kehilla_db::now_ms() + 15 * 60_000),
        },
        // A duplicate may be our own earlier attempt: the caller reconciles.
        403 if detail.to_ascii_lowercase().contains("duplicate") => PublishError::Unknown(detail),
        400..=499 => PublishError::Rejected(detail),
        _ => PublishError::Retry(detail),
    }
}

async fn data(r: Result<reqwest::Response, reqwest::Error>) -> Result<Value, PublishError> {
    let r = r.map_err(|e| super::transport("X", &e))?;
    if !r.status().is_success() {
        return Err(classify(r).await);
    }
    r.json::<Value>()
        .await
        .ok()
        .and_then(|v| v.get("data").cloned())
        .ok_or_else(|| PublishError::Retry("the answer was not the expected JSON".into()))
}

impl X {
    async fn me(&self, access: &Access) -> Result<(String, String), PublishError> {
        let me = self
            .data(
                self.client
                    .get(format!("{}/2/users/me", access.server_url))
                    .bearer_auth(&access.token)
                    .send()
                    .await,
            )
            .await?;
        let id = me
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let name = me
            .get("username")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        Ok((id, name))
    }

    /// A post of the account's newest ones with the same text (answering the same post).
    async fn find(
        &self,
        access: &Access,
        part: &Part<'_>,
    ) -> Result<Option<Published>, PublishError> {
        let (id, name) = self.me(access).await?;
        let list = self
            .data(
                self.client
                    .get(format!(
                        "{}/2/users/{id}/tweets?max_results=20&tweet.fields=text,referenced_tweets",
                        access.server_url
                    ))
                    .bearer_auth(&access.token)
                    .send()
                    .await,
            )
            .await
            .unwrap_or(Value::Array(Vec::new()));
        let want = comparable(part.text);
        for t in list.as_array().into_iter().flatten() {
            let same_text =
                t.get("text").and_then(Value::as_str).map(comparable) == Some(want.clone());
            let replied = t
                .get("referenced_tweets")
                .and_then(Value::as_array)
                .and_then(|r| {
                    r.iter()
                        .find(|x| x.get("type").and_then(Value::as_str) == Some("replied_to"))
                        .and_then(|x| x.get("id").and_then(Value::as_str))
                });
            if same_text && replied == part.reply_to {
                let tid = t.get("id").and_then(Value::as_str).unwrap_or_default();
                return Ok(Some(Published {
                    id: tid.to_string(),
                    url: format!("https://x.com/{name}/status/{tid}"),
                }));
            }
        }
        Ok(None)
    }

    /// A video in 1 MB chunks: `initialize`, `append` each with its `segment_index`,
    /// `finalize`, then the processing status polled until `succeeded`.
    async fn upload_video(&self, access: &Access, a: &Attachment) -> Result<String, PublishError> {
        let base = format!("{}/2/media/upload", access.server_url);
        let init = self
            .data(
                self.client
                    .post(format!("{base}/initialize"))
                    .bearer_auth(&access.token)
                    .json(&serde_json::json!({
                        "media_type": a.mime, "total_bytes": a.bytes.len(), "media_category": "tweet_video",
                    }))
                    .send()
                    .await,
            )
            .await?;
        let id = init
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| PublishError::Retry("no media id".into()))?
            .to_string();
        for (i, chunk) in a.bytes.chunks(1 << 20).enumerate() {
            let part = reqwest::multipart::Part::bytes(chunk.to_vec())
                .file_name(a.file_name.clone())
                .mime_str("application/octet-stream")
                .map_err(|_| PublishError::Rejected("bad media type".into()))?;
            let form = reqwest::multipart::Form::new()
                .part("media", part)
                .text("segment_index", i.to_string());
            let r = self
                .client
                .post(format!("{base}/{id}/append"))
                .bearer_auth(&access.token)
                .multipart(form)
                .send()
                .await
                .map_err(|e| super::transport("X", &e))?;
            self.watch(r.headers());
            if !r.status().is_success() {
                return Err(classify(r).await);
            }
        }
        let fin = self
            .data(
                self.client
                    .post(format!("{base}/{id}/finalize"))
                    .bearer_auth(&access.token)
                    .send()
                    .await,
            )
            .await?;
        let mut info = fin.get("processing_info").cloned();
        for _ in 0..60 {
            let Some(p) = &info else {
                // No processing info: ready.
                return Ok(id);
            };
            match p.get("state").and_then(Value::as_str) {
                Some("succeeded") => return Ok(id),
                Some("failed") => {
                    let why = p
                        .pointer("/error/message")
                        .and_then(Value::as_str)
                        .unwrap_or("X could not process the video");
                    return Err(PublishError::Rejected(why.to_string()));
                }
                _ => {}
            }
            // As long as X asks (at least a tenth of a second, at most ten).
            let wait = p
                .get("check_after_secs")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .min(10);
            tokio::time::sleep(std::time::Duration::from_millis((wait * 1000).max(100))).await;
            let status = self
                .data(
                    self.client
                        .get(format!("{base}?command=STATUS&media_id={id}"))
                        .bearer_auth(&access.token)
                        .send()
                        .await,
                )
                .await?;
            info = status.get("processing_info").cloned();
        }
        Err(PublishError::Retry(
            "the video is still being processed".into(),
        ))
    }

    async fn upload(&self, access: &Access, a: &Attachment) -> Result<String, PublishError> {
        let part = reqwest::multipart::Part::bytes(a.bytes.clone())
            .file_name(a.file_name.clone())
            .mime_str(&a.mime)
            .map_err(|_| PublishError::Rejected("bad media type".into()))?;
        let category = if a.mime == "image/gif" {
            "tweet_gif"
        } else {
            "tweet_image"
        };
        let form = reqwest::multipart::Form::new()
            .part("media", part)
            .text("media_category", category);
        let v = self
            .data(
                self.client
                    .post(format!("{}/2/media/upload", access.server_url))
                    .bearer_auth(&access.token)
                    .multipart(form)
                    .send()
                    .await,
            )
            .await?;
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| PublishError::Retry("no media id".into()))?
            .to_string();
        if !a.alt_text.trim().is_empty() {
            let body =
                serde_json::json!({"id": id, "metadata": {"alt_text": {"text": a.alt_text}}});
            self.data(
                self.client
                    .post(format!("{}/2/media/metadata", access.server_url))
                    .bearer_auth(&access.token)
                    .json(&body)
                    .send()
                    .await,
            )
            .await?;
        }
        Ok(id)
    }
}

impl Adapter for X {
    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            let (_, name) = self.me(access).await?;
            Ok(Account {
                name: format!("@{name}"),
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
                && let Some(found) = self.find(access, &part).await?
            {
                return Ok(found);
            }
            let mut ids = Vec::new();
            // One video, or up to four pictures (X does not mix them).
            if let Some(v) = part.media.iter().find(|a| a.mime.starts_with("video/")) {
                ids.push(self.upload_video(access, v).await?);
            } else {
                for a in part.media.iter().take(4) {
                    ids.push(self.upload(access, a).await?);
                }
            }
            let mut body = serde_json::Map::new();
            body.insert("text".into(), Value::from(part.text));
            if !ids.is_empty() {
                body.insert("media".into(), serde_json::json!({ "media_ids": ids }));
            }
            if let Some(r) = part.reply_to {
                body.insert(
                    "reply".into(),
                    serde_json::json!({ "in_reply_to_tweet_id": r }),
                );
            }
            let r = self
                .client
                .post(format!("{}/2/tweets", access.server_url))
                .bearer_auth(&access.token)
                .json(&body)
                .send()
                .await;
            let v = match self.data(r).await {
                Ok(v) => v,
                // An unknown outcome or a "duplicate": look for it before anything else.
                Err(PublishError::Retry(msg) | PublishError::Unknown(msg)) => {
                    return match self.find(access, &part).await? {
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
            let name = access.account.trim_start_matches('@');
            Ok(Published {
                id: id.to_string(),
                url: format!("https://x.com/{name}/status/{id}"),
            })
        })
    }

    fn delete<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        self.delete_post(access, id)
    }

    fn take_limits(&self) -> Vec<super::Limit> {
        self.watch.take()
    }

    fn metrics<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Metrics, PublishError>> {
        self.read_metrics(access, id)
    }

    /// X bills reads by the call (and its older tiers allowed `users/me` only a few dozen
    /// times a day, shared with publishing): the followers are read once a day.
    fn followers_every(&self) -> i64 {
        24 * 3_600_000
    }

    fn followers<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<i64, PublishError>> {
        Box::pin(async move {
            self.call(
                reqwest::Method::GET,
                access,
                "/2/users/me?user.fields=public_metrics",
            )
            .await?
            .and_then(|me| me.pointer("/public_metrics/followers_count")?.as_i64())
            .ok_or_else(|| PublishError::Retry("no followers_count in the account".into()))
        })
    }

    fn comments<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Comment>, PublishError>> {
        self.read_comments(access, id)
    }

    fn reply<'a>(
        &'a self,
        access: &'a Access,
        to: &'a str,
        text: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        let part = Part {
            text,
            reply_to: Some(to),
            media: &[],
            key,
            again: false,
            at: kehilla_db::now_ms(),
        };
        self.publish(access, part)
    }

    fn mentions<'a>(
        &'a self,
        access: &'a Access,
        cursor: &'a str,
    ) -> BoxFuture<'a, Result<(Vec<Comment>, String), PublishError>> {
        Box::pin(async move {
            let (me, _) = self.me(access).await?;
            let mut params = vec![
                ("tweet.fields", "author_id,created_at,referenced_tweets"),
                ("expansions", "author_id"),
                ("max_results", "100"),
            ];
            if !cursor.is_empty() {
                params.push(("since_id", cursor));
            }
            let url = reqwest::Url::parse_with_params(
                &format!("{}/2/users/{me}/mentions", access.server_url),
                &params,
            )
            .map_err(|_| PublishError::Rejected("bad server address".into()))?;
            let r = self
                .client
                .get(url)
                .bearer_auth(&access.token)
                .send()
                .await
                .map_err(|e| super::transport("X", &e))?;
            self.watch(r.headers());
            if !r.status().is_success() {
                return Err(classify(r).await);
            }
            let v: Value = r
                .json()
                .await
                .map_err(|_| PublishError::Retry("the answer was not JSON".into()))?;
            let mut out = tweets(&v, "");
            out.sort_by(|a, b| a.created_at.cmp(&b.created_at));
            let next = text_at(&v, "/meta/newest_id");
            Ok((
                out,
                if next.is_empty() {
                    cursor.to_string()
                } else {
                    next
                },
            ))
        })
    }
}

impl X {
    async fn call(
        &self,
        method: reqwest::Method,
        access: &Access,
        path: &str,
    ) -> Result<Option<Value>, PublishError> {
        let r = self
            .client
            .request(method, format!("{}{path}", access.server_url))
            .bearer_auth(&access.token)
            .send()
            .await
            .map_err(|e| super::transport("X", &e))?;
        if r.status().as_u16() == 404 {
            return Ok(None);
        }
        self.data(Ok(r)).await.map(Some)
    }
}

impl X {
    fn delete_post<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            self.call(reqwest::Method::DELETE, access, &format!("/2/tweets/{id}"))
                .await
                .map(|_| ())
        })
    }

    fn read_metrics<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Metrics, PublishError>> {
        Box::pin(async move {
            let path = format!("/2/tweets/{id}?tweet.fields=public_metrics");
            let Some(v) = self.call(reqwest::Method::GET, access, &path).await? else {
                return Err(PublishError::Rejected("the post is no longer on X".into()));
            };
            let mut m = Metrics::new();
            // Every count of `public_metrics`, under X's names.
            for (name, n) in v
                .get("public_metrics")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(n) = n.as_i64() {
                    m.insert(name.clone(), n);
                }
            }
            Ok(m)
        })
    }

    fn read_comments<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Comment>, PublishError>> {
        Box::pin(async move {
            let url = reqwest::Url::parse_with_params(
                &format!("{}/2/tweets/search/recent", access.server_url),
                &[
                    ("query", format!("conversation_id:{id}").as_str()),
                    ("tweet.fields", "author_id,created_at,referenced_tweets"),
                    ("expansions", "author_id"),
                    ("max_results", "100"),
                ],
            )
            .map_err(|_| PublishError::Rejected("bad server address".into()))?;
            let r = self
                .client
                .get(url)
                .bearer_auth(&access.token)
                .send()
                .await
                .map_err(|e| super::transport("X", &e))?;
            self.watch(r.headers());
            if !r.status().is_success() {
                return Err(classify(r).await);
            }
            let v: Value = r
                .json()
                .await
                .map_err(|_| PublishError::Retry("the answer was not JSON".into()))?;
            let mut out = tweets(&v, id);
            out.sort_by(|a, b| a.created_at.cmp(&b.created_at));
            Ok(out)
        })
    }
}

/// The posts of an X answer (`data`, with `includes.users`) as comments; one that answers
/// nothing answers `default_parent`.
fn tweets(v: &Value, default_parent: &str) -> Vec<Comment> {
    let id = default_parent;
    let users = v
        .pointer("/includes/users")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    v.get("data")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| {
            let author_id = text_at(t, "/author_id");
            let handle = users
                .iter()
                .find(|u| u.get("id").and_then(Value::as_str) == Some(&author_id))
                .map(|u| text_at(u, "/username"))
                .unwrap_or_default();
            let parent = t
                .get("referenced_tweets")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|r| r.get("type").and_then(Value::as_str) == Some("replied_to"))
                .map(|r| text_at(r, "/id"))
                .unwrap_or_else(|| id.to_string());
            let tid = text_at(t, "/id");
            Comment {
                url: format!("https://x.com/{handle}/status/{tid}"),
                id: tid,
                parent_id: parent,
                author_id,
                author: format!("@{handle}"),
                text: text_at(t, "/text"),
                created_at: text_at(t, "/created_at"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_do_not_count_when_comparing() {
        assert_eq!(
            comparable("שתלנו  עצים https://t.co/abc #התנדבות"),
            comparable("שתלנו עצים https://yad.example/x #התנדבות")
        );
    }
}
