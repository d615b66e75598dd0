//! Bluesky (AT Protocol), through the account's PDS with an **app password**: a session from
//! `com.atproto.server.createSession`, kept in this process and renewed with
//! `refreshSession` (the PDS allows only 30 sign-ins per 5 minutes); posts are
//! `app.bsky.feed.post` records made with `com.atproto.repo.createRecord`.
//!
//! The text's links, mentions (resolved to DIDs) and hashtags become facets at UTF-8 byte
//! offsets; pictures are blobs (`uploadBlob`) in an `app.bsky.embed.images` embed with their alt
//! text and aspect ratio; a video is a blob in an `app.bsky.embed.video` embed (uploaded to the
//! PDS itself: Bluesky's separate video service, which transcodes and counts daily quotas, is not
//! used); a thread's further parts are replies that name the thread's root and their parent by
//! URI and CID.
//!
//! **Exactly once:** each part's record key is a TID derived from the post's due time and the
//! part's key, so a repeat after an unknown outcome first reads that key
//! (`com.atproto.repo.getRecord`) and, when the record is there, takes it instead of posting
//! again. Deleting is `deleteRecord`; figures and replies are read through the PDS from the
//! AppView (`app.bsky.feed.getPosts`, `getPostThread`); the profile is the
//! `app.bsky.actor.profile` record `self`.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use futures::future::BoxFuture;
use kehilla_domain::text::{FacetKind, facets};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::text_at;
use super::{
    Access, Account, Adapter, Attachment, Comment, Metrics, Part, Profile, PublishError, Published,
};

const POST: &str = "app.bsky.feed.post";

#[derive(Clone)]
struct Session {
    did: String,
    access: String,
    refresh: String,
}

/// Sessions of this process, by server, account and a digest of the app password.
static SESSIONS: LazyLock<Mutex<HashMap<String, Session>>> = LazyLock::new(Default::default);

fn session_key(access: &Access) -> String {
    let digest = Sha256::digest(access.token.as_bytes());
    format!(
        "{}|{}|{}",
        access.server_url,
        access.account,
        hex::encode(digest)
    )
}

pub struct Bluesky {
    client: reqwest::Client,
}

impl Bluesky {
    pub fn new(allow_private: bool) -> Option<Bluesky> {
        Some(Bluesky {
            client: super::http(allow_private, 60)?,
        })
    }
}

/// An XRPC error: `{error, message}` with its class. `ExpiredToken` and `InvalidToken` mean the
/// session must be renewed (the caller does so once).
async fn classify(r: reqwest::Response) -> PublishError {
    let status = r.status().as_u16();
    let reset = r
        .headers()
        .get("ratelimit-reset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let body: Value = r.json().await.unwrap_or(Value::Null);
    let error = body
        .get("error")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let message = body
        .get("message")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .unwrap_or(if error.is_empty() {
            "Bluesky refused the request"
        } else {
            error
        })
        .to_string();
    match (status, error) {
        (_, "ExpiredToken" | "InvalidToken") => {
            PublishError::Reconnect(format!("{error}: {message}"))
        }
        (401 | 403, _) | (_, "AccountTakedown" | "AuthenticationRequired") => {
            PublishError::Reconnect(message)
        }
        (429, _) | (_, "RateLimitExceeded") => PublishError::RateLimited {
            until: reset
                .map(|s| s * 1000)
                .unwrap_or_else(|| kehilla_db::now_ms() + 5 * 60_000),
        },
        (400..=499, _) => PublishError::Rejected(message),
        _ => PublishError::Retry(message),
    }
}

fn expired(e: &PublishError) -> bool {
    matches!(e, PublishError::Reconnect(m) if m.starts_with("ExpiredToken") || m.starts_with("InvalidToken"))
}

/// A TID (13 characters of base32-sortable: 53 bits of microseconds, 10 bits of clock id) made
/// from a time and a key: the same part always gets the same record key.
pub fn tid(at_ms: i64, key: &str) -> String {
    const ALPHABET: &[u8] = b"234567abcdefghijklmnopqrstuvwxyz";
    let h = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(h.get(..8).unwrap_or(&[0; 8]));
    let h = u64::from_be_bytes(first);
    let micros = u64::try_from(at_ms.max(0)).unwrap_or(0) * 1000 + h % 1000;
    let v = ((micros & ((1 << 53) - 1)) << 10) | (h >> 54);
    (0..13)
        .map(|i| {
            let idx = usize::try_from((v >> (60 - 5 * i)) & 31).unwrap_or(0);
            char::from(ALPHABET.get(idx).copied().unwrap_or(b'2'))
        })
        .collect()
}

/// `at://did/collection/rkey` → its three parts.
fn parse_uri(uri: &str) -> Option<(&str, &str, &str)> {
    let mut it = uri.strip_prefix("at://")?.splitn(3, '/');
    Some((it.next()?, it.next()?, it.next()?))
}

/// The languages of a text for `langs`: Hebrew when it has Hebrew letters, English when it has
/// Latin ones (both for mixed text).
fn langs(text: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if text.chars().any(|c| ('\u{5D0}'..='\u{5EA}').contains(&c)) {
        out.push("he");
    }
    if text.chars().any(|c| c.is_ascii_alphabetic()) {
        out.push("en");
    }
    out
}

impl Bluesky {
    fn url(access: &Access, nsid: &str) -> String {
        format!("{}/xrpc/{nsid}", access.server_url)
    }

    async fn login(&self, access: &Access) -> Result<Session, PublishError> {
        let r = self
            .client
            .post(Self::url(access, "com.atproto.server.createSession"))
            .json(&json!({"identifier": access.account, "password": access.token}))
            .send()
            .await
            .map_err(|e| super::transport("Bluesky", &e))?;
        if !r.status().is_success() {
            return Err(match classify(r).await {
                PublishError::Rejected(m) => PublishError::Reconnect(m),
                e => e,
            });
        }
        let v: Value = r
            .json()
            .await
            .map_err(|_| PublishError::Retry("the answer was not JSON".into()))?;
        let session = Session {
            did: text_at(&v, "/did"),
            access: text_at(&v, "/accessJwt"),
            refresh: text_at(&v, "/refreshJwt"),
        };
        if session.did.is_empty() || session.access.is_empty() {
            return Err(PublishError::Retry("no session in the answer".into()));
        }
        Ok(session)
    }

    /// Renews a session with its refresh token, or signs in again.
    async fn renew(&self, access: &Access, old: &Session) -> Result<Session, PublishError> {
        let r = self
            .client
            .post(Self::url(access, "com.atproto.server.refreshSession"))
            .bearer_auth(&old.refresh)
            .send()
            .await
            .map_err(|e| super::transport("Bluesky", &e))?;
        let renewed = if r.status().is_success() {
            let v: Value = r.json().await.unwrap_or(Value::Null);
            Some(Session {
                did: old.did.clone(),
                access: text_at(&v, "/accessJwt"),
                refresh: text_at(&v, "/refreshJwt"),
            })
            .filter(|x| !x.access.is_empty())
        } else {
            None
        };
        let session = match renewed {
            Some(x) => x,
            None => self.login(access).await?,
        };
        if let Ok(mut m) = SESSIONS.lock() {
            m.insert(session_key(access), session.clone());
        }
        Ok(session)
    }

    async fn session(&self, access: &Access) -> Result<Session, PublishError> {
        let key = session_key(access);
        if let Some(x) = SESSIONS.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(x);
        }
        let x = self.login(access).await?;
        if let Ok(mut m) = SESSIONS.lock() {
            m.insert(key, x.clone());
        }
        Ok(x)
    }

    /// One XRPC call with the session; an expired session is renewed and the call made again
    /// once. `Ok(None)` when the record or post is not found.
    async fn call(
        &self,
        access: &Access,
        nsid: &str,
        query: &[(&str, &str)],
        body: Option<Body>,
    ) -> Result<Option<Value>, PublishError> {
        let mut session = self.session(access).await?;
        for attempt in 0..2 {
            let url = reqwest::Url::parse_with_params(&Self::url(access, nsid), query)
                .map_err(|_| PublishError::Rejected("bad server address".into()))?;
            let req = match &body {
                None => self.client.get(url),
                Some(Body::Json(v)) => self.client.post(url).json(v),
                Some(Body::Bytes(b, mime)) => self
                    .client
                    .post(url)
                    .header("content-type", mime.as_str())
                    .body(b.clone()),
            };
            let r = req
                .bearer_auth(&session.access)
                .send()
                .await
                .map_err(|e| super::transport("Bluesky", &e))?;
            if r.status().is_success() {
                return r
                    .json()
                    .await
                    .map(Some)
                    .map_err(|_| PublishError::Retry("the answer was not JSON".into()));
            }
            let e = classify(r).await;
            if expired(&e) && attempt == 0 {
                session = self.renew(access, &session).await?;
                continue;
            }
            if let PublishError::Rejected(m) = &e
                && (m.contains("not found") || m.contains("Could not locate record"))
            {
                return Ok(None);
            }
            return Err(e);
        }
        Err(PublishError::Retry(
            "the session could not be renewed".into(),
        ))
    }

    async fn did(&self, access: &Access) -> Result<String, PublishError> {
        Ok(self.session(access).await?.did)
    }

    async fn get_record(&self, access: &Access, uri: &str) -> Result<Option<Value>, PublishError> {
        let Some((repo, collection, rkey)) = parse_uri(uri) else {
            return Err(PublishError::Rejected(format!("not a post address: {uri}")));
        };
        let q = [("repo", repo), ("collection", collection), ("rkey", rkey)];
        self.call(access, "com.atproto.repo.getRecord", &q, None)
            .await
    }

    async fn upload(&self, access: &Access, a: &Attachment) -> Result<Value, PublishError> {
        let v = self
            .call(
                access,
                "com.atproto.repo.uploadBlob",
                &[],
                Some(Body::Bytes(a.bytes.clone(), a.mime.clone())),
            )
            .await?
            .unwrap_or(Value::Null);
        v.get("blob")
            .cloned()
            .ok_or_else(|| PublishError::Retry("no blob in the answer".into()))
    }

    /// The text's facets; mentions whose handle does not resolve stay plain text.
    async fn facets(&self, access: &Access, text: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for f in facets(text) {
            let feature = match f.kind {
                FacetKind::Link(uri) => {
                    json!({"$type": "app.bsky.richtext.facet#link", "uri": uri})
                }
                FacetKind::Tag(tag) => json!({"$type": "app.bsky.richtext.facet#tag", "tag": tag}),
                FacetKind::Mention(handle) => {
                    let did = self
                        .call(
                            access,
                            "com.atproto.identity.resolveHandle",
                            &[("handle", &handle)],
                            None,
                        )
                        .await
                        .ok()
                        .flatten()
                        .map(|v| text_at(&v, "/did"))
                        .filter(|d| !d.is_empty());
                    match did {
                        Some(did) => {
                            json!({"$type": "app.bsky.richtext.facet#mention", "did": did})
                        }
                        None => continue,
                    }
                }
            };
            out.push(json!({
                "index": {"byteStart": f.bytes.start, "byteEnd": f.bytes.end},
                "features": [feature],
            }));
        }
        out
    }

    fn published(did: &str, uri: &str) -> Published {
        let rkey = uri.rsplit('/').next().unwrap_or_default();
        Published {
            id: uri.to_string(),
            url: format!("https://bsky.app/profile/{did}/post/{rkey}"),
        }
    }

    async fn post(
        &self,
        access: &Access,
        part: Part<'_>,
        at: i64,
    ) -> Result<Published, PublishError> {
        let did = self.did(access).await?;
        let rkey = tid(at, part.key);
        let uri = format!("at://{did}/{POST}/{rkey}");
        if part.again && self.get_record(access, &uri).await?.is_some() {
            return Ok(Self::published(&did, &uri));
        }
        let mut record = json!({
            "$type": POST,
            "text": part.text,
            "createdAt": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        });
        let facets = self.facets(access, part.text).await;
        let langs = langs(part.text);
        let mut images = Vec::new();
        let has_video = part.media.iter().any(|a| a.mime.starts_with("video/"));
        for a in part
            .media
            .iter()
            .filter(|a| a.mime.starts_with("image/") && !has_video)
            .take(4)
        {
            let blob = self.upload(access, a).await?;
            let mut image = json!({"image": blob, "alt": a.alt_text});
            if let Ok(info) = kehilla_media::inspect(&a.bytes, &kehilla_media::Limits::default())
                && let (Some(w), Some(h), Some(o)) =
                    (info.width, info.height, image.as_object_mut())
            {
                o.insert("aspectRatio".into(), json!({"width": w, "height": h}));
            }
            images.push(image);
        }
        let reply = match part.reply_to {
            None => None,
            Some(parent_uri) => {
                let Some(parent) = self.get_record(access, parent_uri).await? else {
                    return Err(PublishError::Rejected("the post answered is gone".into()));
                };
                let parent_ref = json!({"uri": parent_uri, "cid": text_at(&parent, "/cid")});
                let root = parent
                    .pointer("/value/reply/root")
                    .cloned()
                    .unwrap_or_else(|| parent_ref.clone());
                Some(json!({"root": root, "parent": parent_ref}))
            }
        };
        // A video (when there is one, instead of pictures): its blob in an
        // `app.bsky.embed.video` embed with its alt text.
        let mut video = None;
        if let Some(v) = part.media.iter().find(|a| a.mime.starts_with("video/")) {
            let blob = self.upload(access, v).await?;
            let mut embed = json!({"$type": "app.bsky.embed.video", "video": blob});
            if let Some(o) = embed.as_object_mut()
                && !v.alt_text.is_empty()
            {
                o.insert("alt".into(), Value::from(v.alt_text.clone()));
            }
            video = Some(embed);
        }
        if let Some(o) = record.as_object_mut() {
            if let Some(v) = video {
                o.insert("embed".into(), v);
            }
            if !facets.is_empty() {
                o.insert("facets".into(), Value::from(facets));
            }
            if !langs.is_empty() {
                o.insert("langs".into(), json!(langs));
            }
            if !images.is_empty() {
                o.insert(
                    "embed".into(),
                    json!({"$type": "app.bsky.embed.images", "images": images}),
                );
            }
            if let Some(r) = reply {
                o.insert("reply".into(), r);
            }
        }
        let body = json!({"repo": did, "collection": POST, "rkey": rkey, "record": record});
        match self
            .call(
                access,
                "com.atproto.repo.createRecord",
                &[],
                Some(Body::Json(body)),
            )
            .await
        {
            Ok(Some(v)) => Ok(Self::published(&did, &text_at(&v, "/uri"))),
            Ok(None) => Err(PublishError::Retry("no record in the answer".into())),
            // Made by an attempt whose answer was lost: the record key says so.
            Err(PublishError::Retry(m) | PublishError::Rejected(m))
                if m.contains("already exists") =>
            {
                Ok(Self::published(&did, &uri))
            }
            Err(e) => Err(e),
        }
    }
}

enum Body {
    Json(Value),
    Bytes(Vec<u8>, String),
}

fn thread_comments(node: &Value, out: &mut Vec<Comment>) {
    let parent = text_at(node, "/post/uri");
    for r in node
        .get("replies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let uri = text_at(r, "/post/uri");
        if uri.is_empty() {
            continue;
        }
        let handle = text_at(r, "/post/author/handle");
        let rkey = uri.rsplit('/').next().unwrap_or_default();
        out.push(Comment {
            id: uri.clone(),
            parent_id: parent.clone(),
            author_id: text_at(r, "/post/author/did"),
            author: format!("@{handle}"),
            text: text_at(r, "/post/record/text"),
            created_at: text_at(r, "/post/record/createdAt"),
            url: format!("https://bsky.app/profile/{handle}/post/{rkey}"),
        });
        thread_comments(r, out);
    }
}

impl Adapter for Bluesky {
    fn verify<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<Account, PublishError>> {
        Box::pin(async move {
            if access.account.trim().is_empty() {
                return Err(PublishError::Rejected("the handle is missing".into()));
            }
            let x = self.login(access).await?;
            // Later calls sign in with the DID, which stays when the handle changes.
            let by_did = Access {
                account: x.did.clone(),
                ..access.clone()
            };
            if let Ok(mut m) = SESSIONS.lock() {
                m.insert(session_key(&by_did), x.clone());
            }
            Ok(Account {
                name: x.did,
                char_limit: None,
            })
        })
    }

    fn followers<'a>(&'a self, access: &'a Access) -> BoxFuture<'a, Result<i64, PublishError>> {
        Box::pin(async move {
            let did = self.did(access).await?;
            let v = self
                .call(
                    access,
                    "app.bsky.actor.getProfile",
                    &[("actor", &did)],
                    None,
                )
                .await?
                .unwrap_or(Value::Null);
            v.get("followersCount")
                .and_then(Value::as_i64)
                .ok_or_else(|| PublishError::Retry("no followersCount in the profile".into()))
        })
    }

    fn publish<'a>(
        &'a self,
        access: &'a Access,
        part: Part<'a>,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        Box::pin(async move { self.post(access, part, part.at).await })
    }

    fn delete<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            let Some((repo, collection, rkey)) = parse_uri(id) else {
                return Err(PublishError::Rejected(format!("not a post address: {id}")));
            };
            let body = json!({"repo": repo, "collection": collection, "rkey": rkey});
            self.call(
                access,
                "com.atproto.repo.deleteRecord",
                &[],
                Some(Body::Json(body)),
            )
            .await
            .map(|_| ())
        })
    }

    fn metrics<'a>(
        &'a self,
        access: &'a Access,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Metrics, PublishError>> {
        Box::pin(async move {
            let v = self
                .call(access, "app.bsky.feed.getPosts", &[("uris", id)], None)
                .await?
                .unwrap_or(Value::Null);
            let Some(post) = v.pointer("/posts/0") else {
                return Err(PublishError::Rejected(
                    "the post is no longer on Bluesky".into(),
                ));
            };
            let mut m = Metrics::new();
            for field in [
                "likeCount",
                "repostCount",
                "replyCount",
                "quoteCount",
                "bookmarkCount",
            ] {
                if let Some(n) = post.get(field).and_then(Value::as_i64) {
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
            let q = [("uri", id), ("depth", "10"), ("parentHeight", "0")];
            let Some(v) = self
                .call(access, "app.bsky.feed.getPostThread", &q, None)
                .await?
            else {
                return Ok(Vec::new());
            };
            let mut out = Vec::new();
            if let Some(thread) = v.get("thread") {
                thread_comments(thread, &mut out);
            }
            out.sort_by(|a, b| a.created_at.cmp(&b.created_at));
            Ok(out)
        })
    }

    fn mentions<'a>(
        &'a self,
        access: &'a Access,
        cursor: &'a str,
    ) -> BoxFuture<'a, Result<(Vec<Comment>, String), PublishError>> {
        Box::pin(async move {
            let q = [("limit", "50"), ("reasons", "mention")];
            let Some(v) = self
                .call(access, "app.bsky.notification.listNotifications", &q, None)
                .await?
            else {
                return Ok((Vec::new(), cursor.to_string()));
            };
            // Newest first; the cursor kept is the newest `indexedAt` taken.
            let mut next = cursor.to_string();
            let mut out = Vec::new();
            for n in v
                .get("notifications")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let at = text_at(n, "/indexedAt");
                if at.as_str() <= cursor || text_at(n, "/reason") != "mention" {
                    continue;
                }
                if at > next {
                    next.clone_from(&at);
                }
                let uri = text_at(n, "/uri");
                let handle = text_at(n, "/author/handle");
                let rkey = uri.rsplit('/').next().unwrap_or_default().to_string();
                out.push(Comment {
                    parent_id: text_at(n, "/record/reply/parent/uri"),
                    author_id: text_at(n, "/author/did"),
                    author: format!("@{handle}"),
                    text: text_at(n, "/record/text"),
                    created_at: text_at(n, "/record/createdAt"),
                    url: format!("https://bsky.app/profile/{handle}/post/{rkey}"),
                    id: uri,
                });
            }
            out.reverse();
            Ok((out, next))
        })
    }

    fn reply<'a>(
        &'a self,
        access: &'a Access,
        to: &'a str,
        text: &'a str,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Published, PublishError>> {
        Box::pin(async move {
            // The record key comes from the key and a time: the time the key itself carries
            // (the inbox's answers are keyed by their UUIDv7 id), so that a retry makes the
            // same record key and finds the first record instead of posting again.
            let at = kehilla_db::time_of_public_id(key).unwrap_or_else(kehilla_db::now_ms);
            let part = Part {
                text,
                reply_to: Some(to),
                media: &[],
                key,
                again: true,
                at,
            };
            self.post(access, part, part.at).await
        })
    }

    fn push_profile<'a>(
        &'a self,
        access: &'a Access,
        profile: &'a Profile,
    ) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            use unicode_segmentation::UnicodeSegmentation;
            let mut description = profile.description.clone();
            if !profile.website.is_empty() && !description.contains(&profile.website) {
                description = format!("{description}\n{}", profile.website)
                    .trim()
                    .to_string();
            }
            if description.graphemes(true).count() > 256 {
                return Err(PublishError::Rejected(
                    "a Bluesky profile's description holds at most 256 characters".into(),
                ));
            }
            let did = self.did(access).await?;
            let uri = format!("at://{did}/app.bsky.actor.profile/self");
            let mut record = self
                .get_record(access, &uri)
                .await?
                .and_then(|v| v.get("value").cloned())
                .unwrap_or_else(|| json!({"$type": "app.bsky.actor.profile"}));
            if let Some(logo) = &profile.logo {
                let blob = self.upload(access, logo).await?;
                if let Some(o) = record.as_object_mut() {
                    o.insert("avatar".into(), blob);
                }
            }
            if let Some(o) = record.as_object_mut() {
                o.insert("description".into(), Value::from(description));
                if !profile.name.is_empty() {
                    o.insert("displayName".into(), Value::from(profile.name.clone()));
                }
            }
            let body = json!({
                "repo": did, "collection": "app.bsky.actor.profile", "rkey": "self", "record": record,
            });
            self.call(
                access,
                "com.atproto.repo.putRecord",
                &[],
                Some(Body::Json(body)),
            )
            .await
            .map(|_| ())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tid_is_thirteen_sortable_characters_and_the_same_for_the_same_part() {
        let a = tid(1_764_000_000_000, "k1-0");
        assert_eq!(a.len(), 13);
        assert!(
            a.chars()
                .next()
                .is_some_and(|c| "234567abcdefghij".contains(c))
        );
        assert!(
            a.chars()
                .all(|c| "234567abcdefghijklmnopqrstuvwxyz".contains(c))
        );
        assert_eq!(a, tid(1_764_000_000_000, "k1-0"));
        assert_ne!(a, tid(1_764_000_000_000, "k1-1"));
        // Later times sort later.
        assert!(tid(1_764_000_100_000, "k1-0") > a);
    }

    #[test]
    fn languages_follow_the_scripts_of_the_text() {
        assert_eq!(langs("שלום"), ["he"]);
        assert_eq!(langs("שלום Kehilla"), ["he", "en"]);
        assert!(langs("🌳 2026").is_empty());
    }
}
