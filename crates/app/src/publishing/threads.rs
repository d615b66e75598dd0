//! Threads (`graph.threads.net`): the container flow, like Instagram. A container is made with
//! `POST /{user}/threads` (`media_type` TEXT, IMAGE or VIDEO, `text`, `image_url` from this
//! server's public address, `alt_text`, `reply_to_id` for the thread's further parts), polled at
//! `GET /{container}?fields=status,error_message` until `FINISHED`, then published with
//! `POST /{user}/threads_publish`; the permalink is read after.
//!
//! Threads takes no key: before publishing again after an unknown outcome, the account's newest
//! posts are read and one with the same text is taken as the post already made.
//!
//! Deleting is `DELETE /{id}`; figures come from `GET /{id}/insights` (`views`, `likes`,
//! `replies`, `reposts`, `quotes`, `shares`); replies at every depth from
//! `GET /{id}/conversation`; a reply is a container with `reply_to_id`, published like a post.
//! The account's followers are the `followers_count` of `GET /{user}/threads_insights`.

use futures::future::BoxFuture;
use serde_json::Value;

use super::graph::Graph;
use super::text_at;
use super::{Access, Account, Adapter, Comment, Metrics, Part, PublishError, Published};

pub struct Threads {
    pub graph: Graph,
}

impl Threads {
    pub fn new(allow_private: bool) -> Option<Threads> {
        Some(Threads {
            graph: Graph::new(allow_private, "Threads")?,
        })
    }
}

impl Adapter for Threads {
    fn take_limits(&self) -> Vec<super::Limit> {
        self.graph.watch.take()
    }

    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            let me = self.graph.get(access, "me?fields=id,username").await?;
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
            let recent = format!(
                "{}/threads?fields=id,text,permalink&limit=20",
                access.account
            );
            if part.again
                && let Some(found) = self
                    .graph
                    .find(access, &recent, "text", "permalink", part.text)
                    .await?
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
            let path = format!("{}/threads", access.account);
            let container = Graph::id(&self.graph.post(access, &path, &form).await?, "container")?;
            let status = ("status", "error_message");
            self.graph
                .publish_container(
                    access,
                    &container,
                    status,
                    "threads_publish",
                    &recent,
                    "text",
                    part.text,
                )
                .await
        })
    }

    fn delete<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move { self.graph.delete(access, id).await })
    }

    fn metrics<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Metrics, PublishError>> {
        Box::pin(async move {
            self.graph
                .insights(access, id, "views,likes,replies,reposts,quotes,shares")
                .await
        })
    }

    fn followers<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<i64, PublishError>> {
        Box::pin(async move {
            let path = format!(
                "{}/threads_insights?metric=followers_count",
                access.account.trim()
            );
            self.graph
                .read_insights(access, &path)
                .await?
                .get("followers_count")
                .copied()
                .ok_or_else(|| PublishError::Retry("no followers_count in the insights".into()))
        })
    }

    fn comments<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Comment>, PublishError>> {
        Box::pin(async move {
            let path = format!(
                "{id}/conversation?fields=id,text,username,permalink,timestamp,replied_to&reverse=false"
            );
            self.graph
                .comments(access, &path, |c| {
                    let parent = text_at(c, "/replied_to/id");
                    let username = text_at(c, "/username");
                    vec![Comment {
                        id: text_at(c, "/id"),
                        parent_id: if parent.is_empty() {
                            id.to_string()
                        } else {
                            parent
                        },
                        author_id: username.clone(),
                        author: format!("@{username}"),
                        text: text_at(c, "/text"),
                        created_at: text_at(c, "/timestamp"),
                        url: text_at(c, "/permalink"),
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
}
