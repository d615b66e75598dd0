//! Facebook Pages (Graph API, with the Page's token): pictures are uploaded unpublished from
//! their public address (`POST /{page}/photos` with `url`, `published=false`), then the post
//! (`POST /{page}/feed` with `message` and `attached_media`, asking for `id,permalink_url`).
//! Further parts become comments (`POST /{post}/comments`). A video is posted with
//! `POST /{page}/videos` (`file_url` from its public address, the text as `description`).
//! Errors follow [`Graph`].
//!
//! Facebook takes no key: before posting again after an unknown outcome, the Page's newest posts
//! are read and one with the same message is taken as the post already made.
//!
//! Deleting is `DELETE /{post}`; figures come from `GET /{post}/insights` (the metrics Meta
//! keeps since its 2025 changes: media views, reactions by type, clicks); comments from
//! `GET /{post}/comments?filter=stream` (replies included, with their parent); a reply is
//! `POST /{post or comment}/comments`; the Page's `about` and `website` are set with
//! `POST /{page}`. The Page's followers are its `followers_count` field (`page_fans` went with
//! the 2025 changes).

use futures::future::BoxFuture;
use serde_json::Value;

use super::graph::Graph;
use super::text_at;
use super::{Access, Account, Adapter, Comment, Metrics, Part, Profile, PublishError, Published};

pub struct Facebook {
    graph: Graph,
}

impl Facebook {
    pub fn new(allow_private: bool) -> Option<Facebook> {
        Some(Facebook {
            graph: Graph::new(allow_private, "Facebook")?,
        })
    }

    async fn find(
        &self,
        access: &Access,
        message: &str,
    ) -> Result<Option<Published>, PublishError> {
        let list = format!(
            "{}/feed?fields=id,message,permalink_url&limit=20",
            access.account
        );
        self.graph
            .find(access, &list, "message", "permalink_url", message)
            .await
    }
}

impl Adapter for Facebook {
    fn take_limits(&self) -> Vec<super::Limit> {
        self.graph.watch.take()
    }

    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            let page = access.account.trim();
            if page.is_empty() {
                return Err(PublishError::Rejected("the Page id is missing".into()));
            }
            let v = self
                .graph
                .get(access, &format!("{page}?fields=id,name"))
                .await?;
            let id = v.get("id").and_then(Value::as_str).unwrap_or(page);
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
                let path = format!("{post}/comments");
                self.graph
                    .post(access, &path, &[("message", part.text)])
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
            // A video is its own post (`/{page}/videos`, fetched from its public address).
            if let Some(v) = part.media.iter().find(|a| a.mime.starts_with("video/")) {
                let form = [
                    ("file_url", v.url.as_str()),
                    ("description", part.text),
                    ("published", "true"),
                ];
                let path = format!("{}/videos", access.account);
                let r = match self.graph.post(access, &path, &form).await {
                    Ok(r) => r,
                    Err(PublishError::Retry(msg)) => {
                        return match self.find(access, part.text).await? {
                            Some(found) => Ok(found),
                            None => Err(PublishError::Retry(msg)),
                        };
                    }
                    Err(e) => return Err(e),
                };
                let id = Graph::id(&r, "video")?;
                return Ok(Published {
                    url: format!("https://www.facebook.com/{}/videos/{id}", access.account),
                    id,
                });
            }
            let mut attached = Vec::new();
            for a in part
                .media
                .iter()
                .filter(|a| a.mime.starts_with("image/"))
                .take(10)
            {
                let form = [
                    ("url", a.url.as_str()),
                    ("published", "false"),
                    ("alt_text_custom", a.alt_text.as_str()),
                ];
                let v = self
                    .graph
                    .post(access, &format!("{}/photos", access.account), &form)
                    .await?;
                attached.push(serde_json::json!({ "media_fbid": Graph::id(&v, "photo")? }));
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
            let feed = format!("{}/feed", access.account);
            let v = match self.graph.post(access, &feed, &form).await {
                Ok(v) => v,
                Err(PublishError::Retry(msg)) => {
                    return match self.find(access, part.text).await? {
                        Some(found) => Ok(found),
                        None => Err(PublishError::Retry(msg)),
                    };
                }
                Err(e) => return Err(e),
            };
            Ok(Published {
                id: Graph::id(&v, "post")?,
                url: v
                    .get("permalink_url")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            })
        })
    }

    fn delete<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move { self.graph.delete(access, id).await })
    }

    fn followers<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<i64, PublishError>> {
        Box::pin(async move {
            self.graph
                .count(access, access.account.trim(), "followers_count")
                .await
        })
    }

    fn metrics<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Metrics, PublishError>> {
        Box::pin(async move {
            self.graph
                .insights(
                    access,
                    id,
                    "post_total_media_view_unique,post_reactions_by_type_total,post_clicks",
                )
                .await
        })
    }

    fn comments<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Comment>, PublishError>> {
        Box::pin(async move {
            let path = format!(
                "{id}/comments?filter=stream&fields=id,message,from,created_time,parent,permalink_url&limit=100"
            );
            self.graph
                .comments(access, &path, |c| {
                    let parent = text_at(c, "/parent/id");
                    vec![Comment {
                        id: text_at(c, "/id"),
                        parent_id: if parent.is_empty() {
                            id.to_string()
                        } else {
                            parent
                        },
                        author_id: text_at(c, "/from/id"),
                        author: text_at(c, "/from/name"),
                        text: text_at(c, "/message"),
                        created_at: text_at(c, "/created_time"),
                        url: text_at(c, "/permalink_url"),
                    }]
                })
                .await
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
            let v = self
                .graph
                .post(access, &format!("{to}/comments"), &[("message", text)])
                .await?;
            Ok(Published {
                id: Graph::id(&v, "comment")?,
                url: String::new(),
            })
        })
    }

    fn like<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            self.graph
                .post(access, &format!("{id}/likes"), &[])
                .await
                .map(|_| ())
        })
    }

    fn hide<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            self.graph
                .post(access, id, &[("is_hidden", "true")])
                .await
                .map(|_| ())
        })
    }

    fn push_profile<'a>(
        &'a self,
        access: &'a Access,
        profile: &'a Profile,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            let mut form = vec![("about", profile.description.as_str())];
            if !profile.website.is_empty() {
                form.push(("website", profile.website.as_str()));
            }
            self.graph
                .post(access, &access.account, &form)
                .await
                .map(|_| ())
        })
    }
}
