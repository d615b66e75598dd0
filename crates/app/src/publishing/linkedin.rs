//! LinkedIn organization pages (Community Management API, versioned `rest/` endpoints with
//! `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`). The account is the page's
//! organization URN. Images: `POST /rest/images?action=initializeUpload`, then `PUT` the bytes
//! to the returned address; the post: `POST /rest/posts` → 201 with the post URN in
//! `x-restli-id`. Further parts become comments on the post
//! (`POST /rest/socialActions/{urn}/comments`).
//!
//! The commentary is LinkedIn's "little" text: its reserved characters are escaped
//! ([`kehilla_domain::text::linkedin_escape`]), because LinkedIn silently cuts a post at the
//! first unescaped one. LinkedIn takes no idempotency key: before sending a part again after an
//! unknown outcome, the page's newest posts are read and a post with the same text is taken as
//! the one already made.

use futures::future::BoxFuture;
use kehilla_domain::text::linkedin_escape;
use serde_json::Value;

use super::{Access, Account, Adapter, Part, PublishError, Published};

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
                let body = serde_json::json!({
                    "actor": access.account, "object": post, "message": {"text": part.text},
                });
                let r = self
                    .req(
                        reqwest::Method::POST,
                        format!(
                            "{}/rest/socialActions/{}/comments",
                            access.server_url,
                            encode(post)
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
            for a in part
                .media
                .iter()
                .filter(|a| a.mime.starts_with("image/"))
                .take(20)
            {
                let id = self.upload(access, &a.bytes).await?;
                images.push(serde_json::json!({"id": id, "altText": a.alt_text}));
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
}
