//! LinkedIn organization pages (Community Management API, versioned `rest/` endpoints with
//! `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`). The account is the page's
//! organization URN. Images: `POST /rest/images?action=initializeUpload`, then `PUT` the bytes
//! to the returned address; the post: `POST /rest/posts` → 201 with the post URN in
//! `x-restli-id`. A video: `POST /rest/videos?action=initializeUpload`, each part `PUT`,
//! `finalizeUpload` with the parts' ETags, polled until `AVAILABLE`. Further parts become
//! comments on the post
//! (`POST /rest/socialActions/{urn}/comments`).
//!
//! The commentary is LinkedIn's "little" text: its reserved characters are escaped
//! ([`kehilla_domain::text::linkedin_escape`]), because LinkedIn silently cuts a post at the
//! first unescaped one. LinkedIn takes no idempotency key: before sending a part again after an
//! unknown outcome, the page's newest posts are read and a post with the same text is taken as
//! the one already made.
//!
//! Deleting is `DELETE /rest/posts/{urn}`; a post's figures are its social-action summary
//! (`GET /rest/socialActions/{urn}`: `totalLikes`, `totalFirstLevelComments`); comments come from
//! `GET /rest/socialActions/{urn}/comments`; a reply is a comment, on the post or (with
//! `parentComment`) on a comment. The page's followers are the `firstDegreeSize` of
//! `GET /rest/networkSizes/{urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER`.

use futures::future::BoxFuture;
use kehilla_domain::text::linkedin_escape;
use serde_json::Value;

use super::text_at;
use super::{Access, Account, Adapter, Comment, Metrics, Part, PublishError, Published};

/// The API version sent with every call (versions are retired after about a year).
pub const VERSION: &str = "202610";

pub struct LinkedIn {
    client: reqwest::Client,
}

impl LinkedIn {
    pub fn new(allow_private: bool) -> Option<LinkedIn> {
        Some(LinkedIn {
            client: super::http(allow_private, 60)?,
        })
    }

    fn req(
        &self,
        method: reqwest::Method,
        url: String,
        access: &Access,
    ) -> reqwest::RequestBuilder {
        self.client
            .request(method, url)
            .bearer_auth(&access.token)
            .header("LinkedIn-Version", VERSION)
            .header("X-Restli-Protocol-Version", "2.0.0")
    }
}

fn encode(urn: &str) -> String {
    crate::studio::s3::encode(urn, true)
}

async fn classify(r: reqwest::Response) -> PublishError {
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    let message = body
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("LinkedIn refused the request")
        .to_string();
    match status {
        401 | 403 => PublishError::Reconnect(message),
        429 => PublishError::RateLimited {
            until: kehilla_db::now_ms() + 60 * 60_000,
        },
        400..=499 => PublishError::Rejected(message),
        _ => PublishError::Retry(message),
    }
}

impl LinkedIn {
    /// A post of the page with the same text, among its newest.
    async fn find(
        &self,
        access: &Access,
        commentary: &str,
    ) -> Result<Option<Published>, PublishError> {
        let url = format!(
            "{}/rest/posts?q=author&author={}&count=20",
            access.server_url,
            encode(&access.account)
        );
        let r = self
            .req(reqwest::Method::GET, url, access)
            .send()
            .await
            .map_err(|e| super::transport("LinkedIn", &e))?;
        if !r.status().is_success() {
            return Err(classify(r).await);
        }
        let v: Value = r.json().await.unwrap_or(Value::Null);
        for p in v
            .get("elements")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if p.get("commentary").and_then(Value::as_str) == Some(commentary)
                && let Some(id) = p.get("id").and_then(Value::as_str)
            {
                return Ok(Some(Published {
                    id: id.to_string(),
                    url: format!("https://www.linkedin.com/feed/update/{id}"),
                }));
            }
        }
        Ok(None)
    }

    async fn json(&self, r: reqwest::RequestBuilder) -> Result<Value, PublishError> {
        let r = r
            .send()
            .await
            .map_err(|e| super::transport("LinkedIn", &e))?;
        if !r.status().is_success() {
            return Err(classify(r).await);
        }
        Ok(r.json().await.unwrap_or(Value::Null))
    }

    /// A video: `initializeUpload` gives the parts' addresses, each part is `PUT` and its ETag
    /// kept, `finalizeUpload` with them, then the video is polled until `AVAILABLE`.
    async fn upload_video(&self, access: &Access, bytes: &[u8]) -> Result<String, PublishError> {
        let body = serde_json::json!({"initializeUploadRequest": {
            "owner": access.account, "fileSizeBytes": bytes.len(),
            "uploadCaptions": false, "uploadThumbnail": false,
        }});
        let url = format!("{}/rest/videos?action=initializeUpload", access.server_url);
        let v = self
            .json(self.req(reqwest::Method::POST, url, access).json(&body))
            .await?;
        let video = v
            .pointer("/value/video")
            .and_then(Value::as_str)
            .ok_or_else(|| PublishError::Retry("no video URN".into()))?
            .to_string();
        let token = v
            .pointer("/value/uploadToken")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut etags = Vec::new();
        for step in v
            .pointer("/value/uploadInstructions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(url), Some(first), Some(last)) = (
                step.get("uploadUrl").and_then(Value::as_str),
                step.get("firstByte").and_then(Value::as_u64),
                step.get("lastByte").and_then(Value::as_u64),
            ) else {
                return Err(PublishError::Retry("a broken upload instruction".into()));
            };
            let range = usize::try_from(first).unwrap_or(0)..usize::try_from(last).unwrap_or(0) + 1;
            let Some(chunk) = bytes.get(range) else {
                return Err(PublishError::Retry(
                    "an upload instruction outside the file".into(),
                ));
            };
            let r = self
                .client
                .put(url)
                .bearer_auth(&access.token)
                .header("content-type", "application/octet-stream")
                .body(chunk.to_vec())
                .send()
                .await
                .map_err(|e| super::transport("LinkedIn", &e))?;
            if !r.status().is_success() {
                return Err(classify(r).await);
            }
            let etag = r
                .headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            etags.push(etag);
        }
        let body = serde_json::json!({"finalizeUploadRequest": {
            "video": video, "uploadToken": token, "uploadedPartIds": etags,
        }});
        let url = format!("{}/rest/videos?action=finalizeUpload", access.server_url);
        self.json(self.req(reqwest::Method::POST, url, access).json(&body))
            .await?;
        let mut pause = std::time::Duration::from_millis(200);
        for _ in 0..30 {
            let url = format!("{}/rest/videos/{}", access.server_url, encode(&video));
            let v = self
                .json(self.req(reqwest::Method::GET, url, access))
                .await?;
            match v.get("status").and_then(Value::as_str) {
                Some("AVAILABLE") => return Ok(video),
                Some("PROCESSING_FAILED") => {
                    let why = v
                        .get("processingFailureReason")
                        .and_then(Value::as_str)
                        .unwrap_or("LinkedIn could not process the video");
                    return Err(PublishError::Rejected(why.to_string()));
                }
                _ => {}
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(std::time::Duration::from_secs(5));
        }
        Err(PublishError::Retry(
            "the video is still being processed".into(),
        ))
    }

    async fn upload(&self, access: &Access, bytes: &[u8]) -> Result<String, PublishError> {
        let body = serde_json::json!({"initializeUploadRequest": {"owner": access.account}});
        let r = self
            .req(
                reqwest::Method::POST,
                format!("{}/rest/images?action=initializeUpload", access.server_url),
                access,
            )
            .json(&body)
            .send()
            .await
            .map_err(|e| super::transport("LinkedIn", &e))?;
        if !r.status().is_success() {
            return Err(classify(r).await);
        }
        let v: Value = r
            .json()
            .await
            .map_err(|_| PublishError::Retry("the answer was not JSON".into()))?;
        let (Some(upload), Some(image)) = (
            v.pointer("/value/uploadUrl").and_then(Value::as_str),
            v.pointer("/value/image").and_then(Value::as_str),
        ) else {
            return Err(PublishError::Retry("no upload address".into()));
        };
        let r = self
            .client
            .put(upload)
            .bearer_auth(&access.token)
            .body(bytes.to_vec())
            .send()
            .await
            .map_err(|e| super::transport("LinkedIn", &e))?;
        if !r.status().is_success() {
            return Err(classify(r).await);
        }
        Ok(image.to_string())
    }
}

/// The post a comment URN belongs to: `urn:li:comment:(urn:li:activity:1,2)` → the activity.
fn post_of_comment(urn: &str) -> Option<&str> {
    urn.strip_prefix("urn:li:comment:(")?
        .rsplit_once(',')
        .map(|(post, _)| post)
}

impl LinkedIn {
    /// Comments as the page on a post, or on a comment (`to` a comment URN). Returns the new
    /// comment's URN when LinkedIn gives it.
    async fn comment(
        &self,
        access: &Access,
        to: &str,
        message: &str,
    ) -> Result<String, PublishError> {
        let mut body = serde_json::json!({
            "actor": access.account, "object": to, "message": {"text": message},
        });
        if let (Some(post), Some(o)) = (post_of_comment(to), body.as_object_mut()) {
            o.insert("object".into(), Value::from(post));
            o.insert("parentComment".into(), Value::from(to));
        }
        let r = self
            .req(
                reqwest::Method::POST,
                format!(
                    "{}/rest/socialActions/{}/comments",
                    access.server_url,
                    encode(to)
                ),
                access,
            )
            .json(&body)
            .send()
            .await
            .map_err(|e| super::transport("LinkedIn", &e))?;
        if !r.status().is_success() {
            return Err(classify(r).await);
        }
        let id = r
            .headers()
            .get("x-restli-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let v: Value = r.json().await.unwrap_or(Value::Null);
        Ok(id.unwrap_or_else(|| text_at(&v, "/commentUrn")))
    }

    async fn get(&self, access: &Access, path: String) -> Result<Option<Value>, PublishError> {
        let r = self
            .req(
                reqwest::Method::GET,
                format!("{}{path}", access.server_url),
                access,
            )
            .send()
            .await
            .map_err(|e| super::transport("LinkedIn", &e))?;
        if r.status().as_u16() == 404 {
            return Ok(None);
        }
        if !r.status().is_success() {
            return Err(classify(r).await);
        }
        r.json()
            .await
            .map(Some)
            .map_err(|_| PublishError::Retry("the answer was not JSON".into()))
    }
}

impl Adapter for LinkedIn {
    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            let id = access
                .account
                .trim()
                .strip_prefix("urn:li:organization:")
                .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
                .ok_or_else(|| {
                    PublishError::Rejected("the page must be urn:li:organization:<number>".into())
                })?;
            let r = self
                .req(
                    reqwest::Method::GET,
                    format!("{}/rest/organizations/{id}", access.server_url),
                    access,
                )
                .send()
                .await
                .map_err(|e| super::transport("LinkedIn", &e))?;
            if !r.status().is_success() {
                return Err(classify(r).await);
            }
            Ok(Account {
                name: access.account.trim().to_string(),
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
            let commentary = linkedin_escape(part.text);
            // A further part is a comment on the post.
            if let Some(post) = part.reply_to {
                self.comment(access, post, part.text).await?;
                // Later parts comment on the post too.
                return Ok(Published {
                    id: post.to_string(),
                    url: format!("https://www.linkedin.com/feed/update/{post}"),
                });
            }
            if part.again
                && let Some(found) = self.find(access, &commentary).await?
            {
                return Ok(found);
            }
            let mut images = Vec::new();
            // One video, or pictures (LinkedIn does not mix them).
            if let Some(v) = part.media.iter().find(|a| a.mime.starts_with("video/")) {
                let id = self.upload_video(access, &v.bytes).await?;
                images.push(serde_json::json!({"id": id}));
            } else {
                for a in part
                    .media
                    .iter()
                    .filter(|a| a.mime.starts_with("image/"))
                    .take(20)
                {
                    let id = self.upload(access, &a.bytes).await?;
                    images.push(serde_json::json!({"id": id, "altText": a.alt_text}));
                }
            }
            let mut body = serde_json::json!({
                "author": access.account,
                "commentary": commentary,
                "visibility": "PUBLIC",
                "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
                "lifecycleState": "PUBLISHED",
                "isReshareDisabledByAuthor": false,
            });
            if let Some(o) = body.as_object_mut() {
                match images.len() {
                    0 => {}
                    1 => {
                        o.insert(
                            "content".into(),
                            serde_json::json!({"media": images.first().cloned().unwrap_or(Value::Null)}),
                        );
                    }
                    _ => {
                        o.insert(
                            "content".into(),
                            serde_json::json!({"multiImage": {"images": images}}),
                        );
                    }
                }
            }
            let r = self
                .req(
                    reqwest::Method::POST,
                    format!("{}/rest/posts", access.server_url),
                    access,
                )
                .json(&body)
                .send()
                .await;
            let r = match r {
                Ok(r) => r,
                Err(e) => {
                    return match self.find(access, &commentary).await? {
                        Some(found) => Ok(found),
                        None => Err(super::transport("LinkedIn", &e)),
                    };
                }
            };
            if !r.status().is_success() {
                let e = classify(r).await;
                if let PublishError::Retry(_) = e
                    && let Some(found) = self.find(access, &commentary).await?
                {
                    return Ok(found);
                }
                return Err(e);
            }
            let urn = r
                .headers()
                .get("x-restli-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
                .ok_or_else(|| PublishError::Retry("no post id in x-restli-id".into()))?;
            Ok(Published {
                url: format!("https://www.linkedin.com/feed/update/{urn}"),
                id: urn,
            })
        })
    }

    fn delete<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            let r = self
                .req(
                    reqwest::Method::DELETE,
                    format!("{}/rest/posts/{}", access.server_url, encode(id)),
                    access,
                )
                .send()
                .await
                .map_err(|e| super::transport("LinkedIn", &e))?;
            if r.status().is_success() || r.status().as_u16() == 404 {
                return Ok(());
            }
            Err(classify(r).await)
        })
    }

    fn metrics<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Metrics, PublishError>> {
        Box::pin(async move {
            let Some(v) = self
                .get(access, format!("/rest/socialActions/{}", encode(id)))
                .await?
            else {
                return Err(PublishError::Rejected(
                    "the post is no longer on LinkedIn".into(),
                ));
            };
            let mut m = Metrics::new();
            for (name, path) in [
                ("totalLikes", "/likesSummary/totalLikes"),
                (
                    "totalFirstLevelComments",
                    "/commentsSummary/totalFirstLevelComments",
                ),
                (
                    "aggregatedTotalComments",
                    "/commentsSummary/aggregatedTotalComments",
                ),
            ] {
                if let Some(n) = v.pointer(path).and_then(Value::as_i64) {
                    m.insert(name.to_string(), n);
                }
            }
            Ok(m)
        })
    }

    fn followers<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<i64, PublishError>> {
        Box::pin(async move {
            let path = format!(
                "/rest/networkSizes/{}?edgeType=COMPANY_FOLLOWED_BY_MEMBER",
                encode(access.account.trim())
            );
            self.get(access, path)
                .await?
                .and_then(|v| v.get("firstDegreeSize")?.as_i64())
                .ok_or_else(|| PublishError::Retry("no firstDegreeSize in the answer".into()))
        })
    }

    fn comments<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Comment>, PublishError>> {
        Box::pin(async move {
            let path = format!("/rest/socialActions/{}/comments?count=100", encode(id));
            let Some(v) = self.get(access, path).await? else {
                return Ok(Vec::new());
            };
            let mut out: Vec<Comment> = v
                .get("elements")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| {
                    let urn = [
                        text_at(c, "/commentUrn"),
                        text_at(c, "/$URN"),
                        text_at(c, "/id"),
                    ]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .unwrap_or_default();
                    let parent = text_at(c, "/parentComment");
                    let actor = text_at(c, "/actor");
                    let created = c
                        .pointer("/created/time")
                        .and_then(Value::as_i64)
                        .and_then(chrono::DateTime::from_timestamp_millis);
                    Comment {
                        id: urn,
                        parent_id: if parent.is_empty() {
                            id.to_string()
                        } else {
                            parent
                        },
                        author: actor.clone(),
                        author_id: actor,
                        text: text_at(c, "/message/text"),
                        created_at: created.map(|t| t.to_rfc3339()).unwrap_or_default(),
                        url: format!("https://www.linkedin.com/feed/update/{id}"),
                    }
                })
                .collect();
            out.sort_by(|a, b| a.created_at.cmp(&b.created_at));
            Ok(out)
        })
    }

    fn reply<'a>(
        &'a self,
        access: &'a Access,
        to: &'a str,
        text: &'a str,
        _key: &'a str,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        Box::pin(async move {
            let id = self.comment(access, to, text).await?;
            let post = post_of_comment(to).unwrap_or(to);
            Ok(Published {
                id,
                url: format!("https://www.linkedin.com/feed/update/{post}"),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_comment_urn_names_its_post() {
        assert_eq!(
            super::post_of_comment("urn:li:comment:(urn:li:activity:7001,7123)"),
            Some("urn:li:activity:7001")
        );
        assert_eq!(super::post_of_comment("urn:li:share:7001"), None);
    }
}
