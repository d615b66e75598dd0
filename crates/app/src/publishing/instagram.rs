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
//!
//! The API does not delete media. Figures come from `GET /{media}/insights` (`views`, `reach`,
//! `likes`, `comments`, `shares`, `saved`, `total_interactions`); comments and their replies from
//! `GET /{media}/comments`; a reply is `POST /{comment}/replies` (Instagram answers top-level
//! comments only: a reply to a reply lands on its top-level comment). The account's followers are
//! its `followers_count` field (the insights' `follower_count` is the day's new followers).

use futures::future::BoxFuture;

use super::graph::Graph;
use super::text_at;
use super::{
    Access, Account, Adapter, Attachment, Comment, Metrics, Part, PublishError, Published,
};

pub struct Instagram {
    pub graph: Graph,
}

impl Instagram {
    pub fn new(allow_private: bool) -> Option<Instagram> {
        Some(Instagram {
            graph: Graph::new(allow_private, "Instagram")?,
        })
    }

    fn recent(access: &Access) -> String {
        format!(
            "{}/media?fields=id,caption,permalink&limit=20",
            access.account
        )
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
        let path = format!("{}/media", access.account);
        Graph::id(&self.graph.post(access, &path, &form).await?, "container")
    }
}

const STATUS: (&str, &str) = ("status_code", "status");

impl Adapter for Instagram {
    fn take_limits(&self) -> Vec<super::Limit> {
        self.graph.watch.take()
    }

    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            let me = self.graph.get(access, "me?fields=user_id,username").await?;
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
                let path = format!("{media}/comments");
                self.graph
                    .post(access, &path, &[("message", part.text)])
                    .await?;
                return Ok(Published {
                    id: media.to_string(),
                    url: String::new(),
                });
            }
            let recent = Self::recent(access);
            if part.again
                && let Some(found) = self
                    .graph
                    .find(access, &recent, "caption", "permalink", part.text)
                    .await?
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
                        self.graph.ready(access, &c, STATUS.0, STATUS.1).await?;
                        children.push(c);
                    }
                    let children = children.join(",");
                    let form = [
                        ("media_type", "CAROUSEL"),
                        ("children", children.as_str()),
                        ("caption", part.text),
                    ];
                    let path = format!("{}/media", access.account);
                    Graph::id(&self.graph.post(access, &path, &form).await?, "container")?
                }
            };
            self.graph
                .publish_container(
                    access,
                    &container,
                    STATUS,
                    "media_publish",
                    &recent,
                    "caption",
                    part.text,
                )
                .await
        })
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
                    "views,reach,likes,comments,shares,saved,total_interactions",
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
                "{id}/comments?fields=id,text,timestamp,username,from,replies{{id,text,timestamp,username,from}}&limit=50"
            );
            self.graph
                .comments(access, &path, |c| {
                    let read = |c: &serde_json::Value, parent: &str| Comment {
                        id: text_at(c, "/id"),
                        parent_id: parent.to_string(),
                        author_id: text_at(c, "/from/id"),
                        author: format!("@{}", text_at(c, "/username")),
                        text: text_at(c, "/text"),
                        created_at: text_at(c, "/timestamp"),
                        url: String::new(),
                    };
                    let top = read(c, id);
                    let mut all = vec![top.clone()];
                    for r in c
                        .pointer("/replies/data")
                        .and_then(serde_json::Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        all.push(read(r, &top.id));
                    }
                    all
                })
                .await
        })
    }

    fn hide<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            self.graph
                .post(access, id, &[("hide", "true")])
                .await
                .map(|_| ())
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
                .post(access, &format!("{to}/replies"), &[("message", text)])
                .await?;
            Ok(Published {
                id: Graph::id(&v, "reply")?,
                url: String::new(),
            })
        })
    }
}
