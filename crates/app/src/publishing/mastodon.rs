//! Mastodon (REST API): verify with `GET /api/v1/accounts/verify_credentials` and the server's
//! limit from `GET /api/v2/instance`; media with `POST /api/v2/media` (alt text as
//! `description`; a 202 means still processing, polled at `GET /api/v1/media/{id}`); statuses
//! with `POST /api/v1/statuses` and an `Idempotency-Key`, so a repeat after a timeout returns
//! the same status instead of a second one.
//!
//! Deleting is `DELETE /api/v1/statuses/{id}`; a status's figures are its counts
//! (`replies_count`, `reblogs_count`, `favourites_count`); its replies are the `descendants` of
//! `GET /api/v1/statuses/{id}/context`; a reply is a status `in_reply_to_id`; the profile is
//! `PATCH /api/v1/accounts/update_credentials` (`note`, the first profile field, `avatar`).

use std::time::Duration;

use futures::future::BoxFuture;
use serde_json::Value;

use super::text_at;
use super::{
    Access, Account, Adapter, Attachment, Comment, Metrics, Part, Profile, PublishError, Published,
};

pub struct Mastodon {
    client: reqwest::Client,
    watch: super::Watch,
}

impl Mastodon {
    pub fn new(allow_private: bool) -> Option<Mastodon> {
        Some(Mastodon {
            client: super::http(allow_private, 60)?,
            watch: super::Watch::default(),
        })
    }

    /// Notes the account's limit when a call used its last request (`X-RateLimit-Remaining: 0`
    /// until `X-RateLimit-Reset`).
    fn seen(&self, r: reqwest::Response) -> reqwest::Response {
        let h = r.headers();
        let remaining = h
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<i64>().ok());
        let reset = h
            .get("x-ratelimit-reset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc3339(v).ok())
            .map(|t| t.timestamp_millis());
        if let (Some(0), Some(until)) = (remaining, reset) {
            self.watch.note(super::Limit { app: false, until });
        }
        r
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
        let r = self.seen(r);
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
                let r = self.seen(r);
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

/// Removes the HTML of a status's content (Mastodon sends `<p>` paragraphs and links), keeping
/// its text.
pub(crate) fn plain(html: &str) -> String {
    let spaced = html
        .replace("</p><p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut out = String::new();
    let mut in_tag = false;
    for c in spaced.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

impl Mastodon {
    /// The signed-in account (`verify_credentials`): checking a token, and its followers.
    async fn credentials(&self, access: &Access) -> Result<Value, PublishError> {
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
        json(r).await
    }

    async fn status(
        &self,
        access: &Access,
        text: &str,
        reply_to: Option<&str>,
        media_ids: Vec<String>,
        key: &str,
    ) -> Result<Published, PublishError> {
        let mut body = serde_json::Map::new();
        body.insert("status".into(), Value::from(text));
        body.insert("visibility".into(), Value::from("public"));
        if !media_ids.is_empty() {
            body.insert("media_ids".into(), Value::from(media_ids));
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
        let r = self.seen(r);
        let v = json(r).await?;
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| PublishError::Retry("no status id".into()))?;
        Ok(Published {
            id: id.to_string(),
            url: text_at(&v, "/url"),
        })
    }
}

impl Adapter for Mastodon {
    fn take_limits(&self) -> Vec<super::Limit> {
        self.watch.take()
    }

    fn followers<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<i64, PublishError>> {
        Box::pin(async move {
            self.credentials(access)
                .await?
                .get("followers_count")
                .and_then(Value::as_i64)
                .ok_or_else(|| PublishError::Retry("no followers_count in the account".into()))
        })
    }

    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            let me = self.credentials(access).await?;
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
            self.status(access, text, reply_to, ids, key).await
        })
    }

    fn delete<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            let r = self
                .client
                .delete(format!("{}/api/v1/statuses/{id}", access.server_url))
                .bearer_auth(&access.token)
                .send()
                .await
                .map_err(|e| super::transport("the server", &e))?;
            let r = self.seen(r);
            if r.status().as_u16() == 404 {
                return Ok(());
            }
            json(r).await.map(|_| ())
        })
    }

    fn metrics<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Metrics, PublishError>> {
        Box::pin(async move {
            let r = self
                .client
                .get(format!("{}/api/v1/statuses/{id}", access.server_url))
                .bearer_auth(&access.token)
                .send()
                .await
                .map_err(|e| super::transport("the server", &e))?;
            let r = self.seen(r);
            let v = json(r).await?;
            let mut m = Metrics::new();
            for field in [
                "replies_count",
                "reblogs_count",
                "favourites_count",
                "quotes_count",
            ] {
                if let Some(n) = v.get(field).and_then(Value::as_i64) {
                    m.insert(field.to_string(), n);
                }
            }
            Ok(m)
        })
    }

    fn comments<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Comment>, PublishError>> {
        Box::pin(async move {
            let r = self
                .client
                .get(format!(
                    "{}/api/v1/statuses/{id}/context",
                    access.server_url
                ))
                .bearer_auth(&access.token)
                .send()
                .await
                .map_err(|e| super::transport("the server", &e))?;
            let v = json(r).await?;
            Ok(v.get("descendants")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|s| Comment {
                    id: text_at(s, "/id"),
                    parent_id: text_at(s, "/in_reply_to_id"),
                    author_id: text_at(s, "/account/id"),
                    author: format!("@{}", text_at(s, "/account/acct")),
                    text: plain(&text_at(s, "/content")),
                    created_at: text_at(s, "/created_at"),
                    url: text_at(s, "/url"),
                })
                .collect())
        })
    }

    fn reply<'a>(
        &'a self,
        access: &'a Access,
        to: &'a str,
        text: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        Box::pin(async move { self.status(access, text, Some(to), Vec::new(), key).await })
    }

    fn mentions<'a>(
        &'a self,
        access: &'a Access,
        cursor: &'a str,
    ) -> BoxFuture<'a, Result<(Vec<Comment>, String), PublishError>> {
        Box::pin(async move {
            let mut url = format!(
                "{}/api/v1/notifications?types[]=mention&limit=40",
                access.server_url
            );
            // `min_id`: the page right after the cursor (with `since_id` a busy account's
            // older unseen mentions would be skipped).
            if !cursor.is_empty() {
                url.push_str(&format!(
                    "&min_id={}",
                    crate::home::site::path_segment(cursor)
                ));
            }
            let r = self
                .client
                .get(url)
                .bearer_auth(&access.token)
                .send()
                .await
                .map_err(|e| super::transport("the server", &e))?;
            let v = json(r).await?;
            let items = v.as_array().cloned().unwrap_or_default();
            // Newest first: the first notification's id is where to go on from.
            let next = items
                .first()
                .map(|n| text_at(n, "/id"))
                .unwrap_or_else(|| cursor.to_string());
            let mut out: Vec<Comment> = items
                .iter()
                .filter_map(|n| n.get("status"))
                .map(|s| Comment {
                    id: text_at(s, "/id"),
                    parent_id: text_at(s, "/in_reply_to_id"),
                    author_id: text_at(s, "/account/id"),
                    author: format!("@{}", text_at(s, "/account/acct")),
                    text: plain(&text_at(s, "/content")),
                    created_at: text_at(s, "/created_at"),
                    url: text_at(s, "/url"),
                })
                .collect();
            out.reverse();
            Ok((out, next))
        })
    }

    fn like<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            let r = self
                .client
                .post(format!(
                    "{}/api/v1/statuses/{}/favourite",
                    access.server_url,
                    crate::home::site::path_segment(id)
                ))
                .bearer_auth(&access.token)
                .send()
                .await
                .map_err(|e| super::transport("the server", &e))?;
            json(r).await.map(|_| ())
        })
    }

    fn push_profile<'a>(
        &'a self,
        access: &'a Access,
        profile: &'a Profile,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            let mut form =
                reqwest::multipart::Form::new().text("note", profile.description.clone());
            if !profile.name.is_empty() {
                form = form.text("display_name", profile.name.clone());
            }
            if !profile.website.is_empty() {
                form = form
                    .text("fields_attributes[0][name]", "אתר / Website")
                    .text("fields_attributes[0][value]", profile.website.clone());
            }
            if let Some(logo) = &profile.logo {
                let part = reqwest::multipart::Part::bytes(logo.bytes.clone())
                    .file_name(logo.file_name.clone())
                    .mime_str(&logo.mime)
                    .map_err(|_| PublishError::Rejected("bad media type".into()))?;
                form = form.part("avatar", part);
            }
            let r = self
                .client
                .patch(format!(
                    "{}/api/v1/accounts/update_credentials",
                    access.server_url
                ))
                .bearer_auth(&access.token)
                .multipart(form)
                .send()
                .await
                .map_err(|e| super::transport("the server", &e))?;
            json(r).await.map(|_| ())
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_html_of_a_status_becomes_its_text() {
        assert_eq!(
            super::plain(
                "<p>תודה! <a href=\"https://x.example/a?b=1&amp;c=2\">x.example</a></p><p>שורה &lt;2&gt;</p>"
            ),
            "תודה! x.example\n\nשורה <2>"
        );
    }
}
