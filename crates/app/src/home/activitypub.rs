//! ActivityPub: every organization is an actor (`@{slug}@{host}`, found by WebFinger) that
//! anyone on the fediverse can follow without approval. Its published posts go to followers'
//! (shared) inboxes as `Create` activities signed with HTTP signatures (draft-cavage, as
//! Mastodon does: rsa-sha256 over `(request-target) host date digest`); edits and deletions
//! follow as `Update` and `Delete`. What arrives at its inbox is accepted only with a valid
//! signature by the activity's own actor, a body matching its `Digest`, a recent `Date`, and an
//! id not seen before: follows (answered with `Accept`), undos, replies and mentions (kept for
//! the Inbox), likes and boosts (counted for Measure), and posts of accounts it follows.
//! Delivery is a durable job per inbox with retries; a server that keeps failing is paused.

use aws_lc_rs::digest;
use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _, RSA_PKCS1_SHA256, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures::future::BoxFuture;
use kehilla_db::activitypub::{self as db, NewItem, RemoteActor};
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::orgs::Organization;
use kehilla_db::studio::Post;
use kehilla_db::{Db, now_ms};
use serde_json::{Value, json};

use crate::jobs::{JobContext, JobError, JobHandler};
use crate::messaging::dkim::{from_pem, pem};
use crate::secrets::Sealer;
use crate::{AppError, Result};

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
pub const MEDIA_TYPE: &str = "application/activity+json";
/// A delivery's `Date` may be this far from ours.
pub const CLOCK_SKEW_MS: i64 = 12 * 3_600_000;
/// Failed deliveries in a row after which a server is paused, and for how long.
pub const PAUSE_AFTER: i64 = 10;
pub const PAUSE_MS: i64 = 24 * 3_600_000;

/// A field of a JSON document by its path (`/a/b`), or null.
fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    v.pointer(path).unwrap_or(&Value::Null)
}

fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1"
    ])
}

/// The instance's host as the fediverse sees it (with its port, if any).
pub fn host(base: &str) -> String {
    crate::home::site::host_of(base)
}

pub fn actor_url(base: &str, slug: &str) -> String {
    format!("{}/ap/o/{slug}", base.trim_end_matches('/'))
}

pub fn object_url(base: &str, slug: &str, post_public_id: &str) -> String {
    format!("{}/posts/{post_public_id}", actor_url(base, slug))
}

/// The organization's key pair, made the first time it is needed.
pub async fn keys(db: &Db, settings: &crate::Settings, org: i64) -> Result<(String, KeyPair)> {
    if db::key(&db.pool, org).await?.is_none() {
        let bad = |_| AppError::Internal("RSA key generation failed".into());
        let key = tokio::task::spawn_blocking(move || KeyPair::generate(KeySize::Rsa2048))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(bad)?;
        let private: Pkcs8V1Der = key.as_der().map_err(bad)?;
        let public: PublicKeyX509Der = key.public_key().as_der().map_err(bad)?;
        let sealed = Sealer::of_instance(db, settings)
            .await?
            .seal(&pem("PRIVATE KEY", private.as_ref()))?;
        db::put_key(&db.pool, org, &pem("PUBLIC KEY", public.as_ref()), &sealed).await?;
    }
    let (public, sealed, _) = db::key(&db.pool, org)
        .await?
        .ok_or_else(|| AppError::Internal("no key".into()))?;
    let private = Sealer::of_instance(db, settings).await?.open(&sealed)?;
    let (_, der) = from_pem(&private).ok_or_else(|| AppError::Internal("bad key".into()))?;
    let key = KeyPair::from_pkcs8(&der).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((public, key))
}

/// The organization as an actor.
pub async fn actor_json(
    db: &Db,
    settings: &crate::Settings,
    base: &str,
    org: &Organization,
) -> Result<Value> {
    let (public, _) = keys(db, settings, org.id).await?;
    let site = crate::home::site::load(db, base, &org.slug).await?;
    let id = actor_url(base, &org.slug);
    let mut a = json!({
        "@context": context(),
        "id": id,
        "type": "Organization",
        "preferredUsername": org.slug,
        "name": org.name,
        "summary": crate::messaging::render::escape(&site.settings.description),
        "url": site.url(""),
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "followers": format!("{id}/followers"),
        "endpoints": { "sharedInbox": format!("{}/ap/inbox", base.trim_end_matches('/')) },
        "manuallyApprovesFollowers": false,
        "discoverable": true,
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": public },
    });
    if let (Some(logo), Some(o)) = (&site.logo_url, a.as_object_mut()) {
        o.insert(
            "icon".into(),
            json!({ "type": "Image", "mediaType": "image/jpeg", "url": logo }),
        );
    }
    Ok(a)
}

/// WebFinger's answer for `acct:{slug}@{host}`.
pub fn webfinger(base: &str, slug: &str) -> Value {
    json!({
        "subject": format!("acct:{slug}@{}", host(base)),
        "aliases": [actor_url(base, slug)],
        "links": [
            { "rel": "self", "type": MEDIA_TYPE, "href": actor_url(base, slug) },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
              "href": format!("{}/o/{slug}", base.trim_end_matches('/')) },
        ],
    })
}

/// The hashtags of a text (`#word`, any script).
fn hashtags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in kehilla_domain::text::facets(text) {
        if let kehilla_domain::text::FacetKind::Tag(t) = f.kind
            && !out.contains(&t)
        {
            out.push(t);
        }
    }
    out
}

/// A published post as an ActivityPub object: a Note, or an Article for a long post with a
/// title; its pictures with their alt text, its hashtags, its language.
pub async fn object_json(db: &Db, base: &str, org: &Organization, post: &Post) -> Result<Value> {
    let site = crate::home::site::load(db, base, &org.slug).await?;
    let v = crate::home::site::view(db, &site, base, post.clone()).await?;
    let actor = actor_url(base, &org.slug);
    let lang = v.lang.code();
    let article = !post.title.trim().is_empty() && v.text.chars().count() > 500;
    let mut html = String::new();
    if !article && !post.title.trim().is_empty() {
        html.push_str(&format!(
            "<p><strong>{}</strong></p>",
            crate::messaging::render::escape(post.title.trim())
        ));
    }
    html.push_str(&v.html);
    html.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p>",
        crate::messaging::render::escape(&v.url),
        crate::messaging::render::escape(&v.url)
    ));
    let tags: Vec<Value> = hashtags(&v.text)
        .into_iter()
        .map(|t| {
            json!({ "type": "Hashtag", "name": format!("#{t}"),
                    "href": format!("{}/topics/story", site.url("")) })
        })
        .collect();
    let attachments: Vec<Value> = v
        .images
        .iter()
        .map(|i| json!({ "type": "Image", "mediaType": "image/jpeg", "url": i.url, "name": i.alt }))
        .collect();
    let published = chrono::DateTime::from_timestamp_millis(post.published_at.unwrap_or_default())
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut o = json!({
        "id": object_url(base, &org.slug, &post.public_id),
        "type": if article { "Article" } else { "Note" },
        "attributedTo": actor,
        "published": published,
        "url": v.url,
        "to": [PUBLIC],
        "cc": [format!("{actor}/followers")],
        "content": html,
        "contentMap": { lang: html },
        "tag": tags,
        "attachment": attachments,
        "sensitive": false,
    });
    if article && let Some(m) = o.as_object_mut() {
        m.insert("name".into(), post.title.trim().into());
    }
    Ok(o)
}

// ---- HTTP signatures ----

/// The headers that sign a request: `Date`, `Digest` (for a body) and `Signature`.
pub fn sign(
    key: &KeyPair,
    key_id: &str,
    method: &str,
    url: &str,
    body: Option<&[u8]>,
) -> Result<Vec<(String, String)>> {
    let u = reqwest::Url::parse(url).map_err(|e| AppError::Internal(e.to_string()))?;
    let host = match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap_or_default()),
        None => u.host_str().unwrap_or_default().to_string(),
    };
    let target = match u.query() {
        Some(q) => format!("{} {}?{q}", method.to_lowercase(), u.path()),
        None => format!("{} {}", method.to_lowercase(), u.path()),
    };
    let date = chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let mut headers = vec![("date".to_string(), date.clone())];
    let mut names = "(request-target) host date".to_string();
    let mut lines = format!("(request-target): {target}\nhost: {host}\ndate: {date}");
    if let Some(b) = body {
        let d = format!(
            "SHA-256={}",
            STANDARD.encode(digest::digest(&digest::SHA256, b))
        );
        names.push_str(" digest");
        lines.push_str(&format!("\ndigest: {d}"));
        headers.push(("digest".into(), d));
    }
    let mut sig = vec![0u8; key.public_modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        lines.as_bytes(),
        &mut sig,
    )
    .map_err(|_| AppError::Internal("signing failed".into()))?;
    headers.push((
        "signature".into(),
        format!(
            "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"{names}\",signature=\"{}\"",
            STANDARD.encode(&sig)
        ),
    ));
    Ok(headers)
}

/// Why an incoming request was refused (the answer says it, in English: it is for servers).
#[derive(Debug)]
pub struct Refused(pub u16, pub String);

fn refused(status: u16, why: impl Into<String>) -> Refused {
    Refused(status, why.into())
}

/// The parameters of a `Signature` header.
pub fn signature_params(h: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in h.split(',') {
        if let Some((k, v)) = part.trim().split_once('=') {
            out.push((k.trim().to_string(), v.trim().trim_matches('"').to_string()));
        }
    }
    out
}

/// A remote actor's document, fetched (public addresses only unless the instance allows
/// private ones).
async fn fetch_json(settings: &crate::Settings, url: &str) -> std::result::Result<Value, String> {
    kehilla_net::validate_url(url, settings.fetch_private).map_err(|e| e.to_string())?;
    let client = kehilla_net::guarded_builder(settings.fetch_private)
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let r = client
        .get(url)
        .header("accept", MEDIA_TYPE)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let mut r = r;
    if !r.status().is_success() {
        return Err(format!("answered {}", r.status()));
    }
    // Read as it comes, and stop at the limit: a hostile server cannot fill our memory.
    let mut bytes = Vec::new();
    while let Some(chunk) = r.chunk().await.map_err(|e| e.to_string())? {
        if bytes.len() + chunk.len() > MAX_DOCUMENT {
            return Err("document too large".into());
        }
        bytes.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

/// The largest remote document read (an actor, a WebFinger answer).
const MAX_DOCUMENT: usize = 1_000_000;
/// A cached actor is fetched again (for a changed key) at most this often.
const REFETCH_MS: i64 = 60_000;

/// The host (with its port) of an address, lower-cased.
fn origin(url: &str) -> String {
    host(url).to_ascii_lowercase()
}

/// A remote actor: from the cache, or fetched (again when `fresh`).
async fn remote_actor(
    db: &Db,
    settings: &crate::Settings,
    id: &str,
    fresh: bool,
) -> std::result::Result<RemoteActor, Refused> {
    if let Ok(Some(a)) = db::actor(&db.pool, id).await
        && (!fresh || now_ms() - a.fetched_at < REFETCH_MS)
    {
        return Ok(a);
    }
    let doc = fetch_json(settings, id).await.map_err(|e| {
        tracing::info!(actor = id, error = %e, "cannot fetch a remote actor");
        refused(401, "cannot fetch the actor")
    })?;
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    if s(at(&doc, "/id")) != id {
        return Err(refused(401, "the actor document names another id"));
    }
    let a = RemoteActor {
        id: id.to_string(),
        inbox: s(at(&doc, "/inbox")),
        shared_inbox: s(at(&doc, "/endpoints/sharedInbox")),
        key_id: s(at(&doc, "/publicKey/id")),
        public_pem: s(at(&doc, "/publicKey/publicKeyPem")),
        name: s(at(&doc, "/name")),
        fetched_at: now_ms(),
    };
    if a.inbox.is_empty() || a.public_pem.is_empty() {
        return Err(refused(401, "the actor has no inbox or key"));
    }
    // Its inboxes are on its own server: a follow cannot point our deliveries elsewhere.
    let home = origin(id);
    if origin(&a.inbox) != home || (!a.shared_inbox.is_empty() && origin(&a.shared_inbox) != home) {
        return Err(refused(401, "the actor's inbox is on another server"));
    }
    db::put_actor(&db.pool, &a)
        .await
        .map_err(|e| refused(503, e.to_string()))?;
    Ok(a)
}

fn verify_with(pem_text: &str, message: &[u8], sig: &[u8]) -> bool {
    let Some((_, der)) = from_pem(pem_text) else {
        return false;
    };
    UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, der)
        .verify(message, sig)
        .is_ok()
}

/// Checks an incoming POST: its digest, date and signature. Returns the signing actor's id.
pub async fn verify_request(
    db: &Db,
    settings: &crate::Settings,
    base: &str,
    path_and_query: &str,
    header: &(dyn Fn(&str) -> Option<String> + Sync),
    body: &[u8],
) -> std::result::Result<String, Refused> {
    let sig_header = header("signature").ok_or_else(|| refused(401, "no Signature header"))?;
    // Signed for this server: ours, or one of its organizations' own domains.
    let host_header = header("host").unwrap_or_default().to_ascii_lowercase();
    let ours = host_header == host(base).to_ascii_lowercase()
        || kehilla_db::site::slug_by_domain(
            &db.pool,
            host_header.split(':').next().unwrap_or_default(),
        )
        .await
        .ok()
        .flatten()
        .is_some();
    if !ours {
        return Err(refused(401, "the request was not signed for this server"));
    }
    let p = signature_params(&sig_header);
    let get = |k: &str| {
        p.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (key_id, names, sig) = (get("keyId"), get("headers"), get("signature"));
    let names: Vec<&str> = names.split_whitespace().collect();
    for required in ["(request-target)", "host", "date", "digest"] {
        if !names.contains(&required) {
            return Err(refused(
                401,
                format!("the signature does not cover {required}"),
            ));
        }
    }
    let want = format!(
        "SHA-256={}",
        STANDARD.encode(digest::digest(&digest::SHA256, body))
    );
    if header("digest").as_deref() != Some(want.as_str()) {
        return Err(refused(401, "the Digest does not match the body"));
    }
    let date = header("date").unwrap_or_default();
    let at = chrono::DateTime::parse_from_rfc2822(&date)
        .map_err(|_| refused(401, "no valid Date"))?
        .timestamp_millis();
    if (now_ms() - at).abs() > CLOCK_SKEW_MS {
        return Err(refused(401, "the Date is too far from now (a replay?)"));
    }
    let mut lines = Vec::new();
    for n in &names {
        let value = if *n == "(request-target)" {
            format!("post {path_and_query}")
        } else {
            header(n).ok_or_else(|| refused(401, format!("no {n} header")))?
        };
        lines.push(format!("{n}: {value}"));
    }
    let message = lines.join("\n");
    let sig = STANDARD
        .decode(sig)
        .map_err(|_| refused(401, "the signature is not base64"))?;
    let actor_id = key_id.split('#').next().unwrap_or_default().to_string();
    if actor_id.is_empty() {
        return Err(refused(401, "no keyId"));
    }
    let a = remote_actor(db, settings, &actor_id, false).await?;
    if a.key_id == key_id && verify_with(&a.public_pem, message.as_bytes(), &sig) {
        return Ok(actor_id);
    }
    // The key may have changed: fetch the actor once more.
    let a = remote_actor(db, settings, &actor_id, true).await?;
    if a.key_id == key_id && verify_with(&a.public_pem, message.as_bytes(), &sig) {
        Ok(actor_id)
    } else {
        Err(refused(401, "the signature does not verify"))
    }
}

// ---- Inbox ----

/// Plain text of remote HTML (tags dropped, a few entities decoded): kept for the Inbox, which
/// shows it escaped.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let t = tag.trim_start_matches('/').to_ascii_lowercase();
                if t.starts_with('p') || t.starts_with("br") {
                    out.push('\n');
                }
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

fn id_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        _ => at(v, "/id").as_str().unwrap_or_default().to_string(),
    }
}

/// Our post an object id names (`{base}/ap/o/{slug}/posts/{id}`): (organization, post).
async fn our_post(db: &Db, base: &str, object: &str) -> Result<Option<(Organization, Post)>> {
    let prefix = format!("{}/ap/o/", base.trim_end_matches('/'));
    let Some(rest) = object.strip_prefix(&prefix) else {
        return Ok(None);
    };
    let Some((slug, id)) = rest.split_once("/posts/") else {
        return Ok(None);
    };
    let Some(org) = kehilla_db::orgs::by_slug(&db.pool, slug).await? else {
        return Ok(None);
    };
    match kehilla_db::studio::post(&db.pool, org.id, id).await {
        Ok(p) if p.status == "published" => Ok(Some((org, p))),
        _ => Ok(None),
    }
}

fn is_ours(base: &str, id: &str) -> bool {
    id.starts_with(&format!("{}/ap/", base.trim_end_matches('/')))
}

/// Takes one verified activity from `signer` (at the shared inbox or an actor's own: the
/// organization is always found from our own addresses in the activity).
pub async fn receive(
    db: &Db,
    settings: &crate::Settings,
    base: &str,
    signer: &str,
    activity: &Value,
) -> std::result::Result<(), Refused> {
    let internal = |e: AppError| refused(503, e.to_string());
    let kind = at(activity, "/type").as_str().unwrap_or_default();
    let actor = id_of(at(activity, "/actor"));
    if actor != signer {
        return Err(refused(401, "the activity's actor did not sign it"));
    }
    let id = at(activity, "/id").as_str().unwrap_or_default();
    if id.is_empty() {
        return Err(refused(400, "the activity has no id"));
    }
    // An actor names its own activities: another server's ids cannot be taken in advance.
    if origin(id) != origin(&actor) {
        return Err(refused(
            400,
            "the activity's id is not on its actor's server",
        ));
    }
    if db::seen(&db.pool, id)
        .await
        .map_err(|e| internal(e.into()))?
    {
        return Err(refused(409, "this activity was received already"));
    }
    handle(db, settings, base, &actor, kind, id, activity).await?;
    // Recorded once handled: a delivery that failed half-way is taken again when retried.
    db::first_sight(&db.pool, id)
        .await
        .map_err(|e| internal(e.into()))?;
    Ok(())
}

/// Whether an activity (or its object) is addressed to `target` (`to`, `cc`, `bto`, `bcc`).
fn addressed(activity: &Value, target: &dyn Fn(&str) -> bool) -> bool {
    let object = at(activity, "/object");
    [activity, object].iter().any(|v| {
        ["/to", "/cc", "/bto", "/bcc"]
            .iter()
            .any(|f| match at(v, f) {
                Value::String(s) => target(s),
                Value::Array(a) => a.iter().filter_map(Value::as_str).any(target),
                _ => false,
            })
    })
}

fn is_public(s: &str) -> bool {
    s == PUBLIC || s == "as:Public" || s == "Public"
}

async fn handle(
    db: &Db,
    settings: &crate::Settings,
    base: &str,
    actor: &str,
    kind: &str,
    id: &str,
    activity: &Value,
) -> std::result::Result<(), Refused> {
    let internal = |e: AppError| refused(503, e.to_string());
    let actor = actor.to_string();
    let object = at(activity, "/object");
    let object_id = id_of(object);
    match kind {
        "Follow" => {
            let Some(slug) = object_id
                .strip_prefix(&format!("{}/ap/o/", base.trim_end_matches('/')))
                .filter(|s| !s.contains('/'))
            else {
                return Err(refused(404, "no such actor here"));
            };
            let org = kehilla_db::orgs::by_slug(&db.pool, slug)
                .await
                .map_err(|e| internal(e.into()))?
                .ok_or_else(|| refused(404, "no such actor here"))?;
            let a = remote_actor(db, settings, &actor, false).await?;
            db::add_follower(&db.pool, org.id, &actor, &a.inbox, &a.shared_inbox)
                .await
                .map_err(|e| internal(e.into()))?;
            let me = actor_url(base, &org.slug);
            let accept = json!({
                "@context": context(),
                "id": format!("{me}#accepts/{}", hex::encode(digest::digest(&digest::SHA256, id.as_bytes()).as_ref().get(..8).unwrap_or_default())),
                "type": "Accept",
                "actor": me,
                "object": activity,
            });
            deliver(db, org.id, &accept, &[a.inbox])
                .await
                .map_err(internal)?;
        }
        "Accept" => {
            let follower = id_of(at(object, "/actor"));
            if let Some(slug) =
                follower.strip_prefix(&format!("{}/ap/o/", base.trim_end_matches('/')))
                && let Some(org) = kehilla_db::orgs::by_slug(&db.pool, slug)
                    .await
                    .map_err(|e| internal(e.into()))?
            {
                db::accept_following(&db.pool, org.id, &actor)
                    .await
                    .map_err(|e| internal(e.into()))?;
            }
        }
        "Undo" => match at(object, "/type").as_str().unwrap_or_default() {
            "Follow" => {
                let target = id_of(at(object, "/object"));
                if let Some(slug) =
                    target.strip_prefix(&format!("{}/ap/o/", base.trim_end_matches('/')))
                    && let Some(org) = kehilla_db::orgs::by_slug(&db.pool, slug)
                        .await
                        .map_err(|e| internal(e.into()))?
                {
                    db::remove_follower(&db.pool, org.id, &actor)
                        .await
                        .map_err(|e| internal(e.into()))?;
                }
            }
            k @ ("Like" | "Announce") => {
                let target = id_of(at(object, "/object"));
                if let Some((org, _)) = our_post(db, base, &target).await.map_err(internal)? {
                    let kind = if k == "Like" { "like" } else { "boost" };
                    db::remove_item(&db.pool, org.id, kind, &actor, &target)
                        .await
                        .map_err(|e| internal(e.into()))?;
                }
            }
            _ => {}
        },
        "Like" | "Announce" => {
            let Some((org, post)) = our_post(db, base, &object_id).await.map_err(internal)? else {
                if is_ours(base, &object_id) {
                    return Err(refused(404, "no such object here"));
                }
                return Ok(());
            };
            db::put_item(
                &db.pool,
                org.id,
                &NewItem {
                    kind: if kind == "Like" { "like" } else { "boost" },
                    actor: &actor,
                    object_id: &object_id,
                    post_id: Some(post.id),
                    content: "",
                    url: "",
                    in_reply_to: "",
                },
            )
            .await
            .map_err(|e| internal(e.into()))?;
        }
        "Create" => {
            if id_of(at(object, "/attributedTo")) != actor {
                return Err(refused(401, "the object is not the actor's"));
            }
            let content = text_of(at(object, "/content").as_str().unwrap_or_default());
            let url = at(object, "/url")
                .as_str()
                .unwrap_or(&object_id)
                .to_string();
            let in_reply_to = id_of(at(object, "/inReplyTo"));
            // A reply to one of our posts, or to a note in an organization's inbox (one of its
            // answers, or a comment it holds): kept for the inbox's thread.
            let mut answered: Vec<(i64, Option<i64>)> = Vec::new();
            if !in_reply_to.is_empty() {
                if is_ours(base, &in_reply_to)
                    && let Some((org, post)) =
                        our_post(db, base, &in_reply_to).await.map_err(internal)?
                {
                    answered.push((org.id, Some(post.id)));
                } else {
                    for org in db::inbox_orgs_of_note(&db.pool, &in_reply_to)
                        .await
                        .map_err(|e| internal(e.into()))?
                    {
                        answered.push((org, None));
                    }
                    // A reply to one of our own replies (`…/ap/o/{slug}/replies/{key}`).
                    if answered.is_empty()
                        && let Some(slug) = in_reply_to
                            .strip_prefix(&format!("{}/ap/o/", base.trim_end_matches('/')))
                            .and_then(|rest| rest.split_once("/replies/"))
                            .map(|(slug, _)| slug)
                        && let Some(org) = kehilla_db::orgs::by_slug(&db.pool, slug)
                            .await
                            .map_err(|e| internal(e.into()))?
                    {
                        answered.push((org.id, None));
                    }
                }
                if answered.is_empty() && is_ours(base, &in_reply_to) {
                    return Err(refused(404, "the reply answers no object here"));
                }
            }
            for (org, post_id) in &answered {
                db::put_item(
                    &db.pool,
                    *org,
                    &NewItem {
                        kind: "reply",
                        actor: &actor,
                        object_id: &object_id,
                        post_id: *post_id,
                        content: &content,
                        url: &url,
                        in_reply_to: &in_reply_to,
                    },
                )
                .await
                .map_err(|e| internal(e.into()))?;
            }
            if !answered.is_empty() {
                return Ok(());
            }
            let mut orgs: Vec<i64> = Vec::new();
            if let Some(tags) = at(object, "/tag").as_array() {
                for t in tags.iter().filter(|t| at(t, "/type") == "Mention") {
                    let href = at(t, "/href").as_str().unwrap_or_default();
                    if let Some(slug) = href
                        .strip_prefix(&format!("{}/ap/o/", base.trim_end_matches('/')))
                        .filter(|s| !s.contains('/'))
                        && let Ok(Some(org)) = kehilla_db::orgs::by_slug(&db.pool, slug).await
                    {
                        db::put_item(
                            &db.pool,
                            org.id,
                            &NewItem {
                                kind: "mention",
                                actor: &actor,
                                object_id: &object_id,
                                post_id: None,
                                content: &content,
                                url: &url,
                                in_reply_to: &in_reply_to,
                            },
                        )
                        .await
                        .map_err(|e| internal(e.into()))?;
                        orgs.push(org.id);
                    }
                }
            }
            // A post of an account we follow, when it is public or for its followers — never a
            // message addressed to someone else.
            let followers = format!("{actor}/followers");
            let for_followers = addressed(activity, &|s| is_public(s) || s == followers);
            for org in db::followers_of_remote(&db.pool, &actor)
                .await
                .map_err(|e| internal(e.into()))?
                .into_iter()
                .filter(|_| for_followers)
            {
                db::put_item(
                    &db.pool,
                    org,
                    &NewItem {
                        kind: "post",
                        actor: &actor,
                        object_id: &object_id,
                        post_id: None,
                        content: &content,
                        url: &url,
                        in_reply_to: &in_reply_to,
                    },
                )
                .await
                .map_err(|e| internal(e.into()))?;
            }
        }
        "Update" => {
            if at(object, "/type") == "Note" || at(object, "/type") == "Article" {
                let content = text_of(at(object, "/content").as_str().unwrap_or_default());
                db::update_item(&db.pool, &actor, &object_id, &content)
                    .await
                    .map_err(|e| internal(e.into()))?;
            } else if object_id == actor {
                remote_actor(db, settings, &actor, true).await?;
            }
        }
        "Delete" => {
            db::delete_item(&db.pool, &actor, &object_id)
                .await
                .map_err(|e| internal(e.into()))?;
        }
        _ => {}
    }
    Ok(())
}

// ---- Delivery ----

/// Queues `activity` for each inbox: one durable job each.
pub async fn deliver(db: &Db, org: i64, activity: &Value, inboxes: &[String]) -> Result<usize> {
    let id = at(activity, "/id").as_str().unwrap_or_default();
    let mut n = 0;
    for inbox in inboxes {
        let key = format!(
            "ap-{}",
            hex::encode(
                digest::digest(&digest::SHA256, format!("{id} {inbox}").as_bytes())
                    .as_ref()
                    .get(..16)
                    .unwrap_or_default()
            )
        );
        let job = NewJob::new(
            DeliverJob::KIND,
            json!({ "inbox": inbox, "activity": activity }),
        )
        .org(org)
        .unique(key)
        .max_attempts(8);
        if jobs::enqueue(&db.pool, job).await?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}

/// Sends a post to every follower: `Create` the first time (once, however often asked),
/// `Update` (with a version) after an edit, `Delete` when it is removed.
pub async fn send_post(
    db: &Db,
    base: &str,
    org: &Organization,
    post: &Post,
    kind: &str,
) -> Result<usize> {
    let me = actor_url(base, &org.slug);
    let object_id = object_url(base, &org.slug, &post.public_id);
    let version = if kind == "Update" { post.updated_at } else { 0 };
    let object = if kind == "Delete" {
        json!({ "id": object_id, "type": "Tombstone" })
    } else {
        object_json(db, base, org, post).await?
    };
    let activity = json!({
        "@context": context(),
        "id": match kind {
            "Create" => format!("{object_id}#create"),
            "Update" => format!("{object_id}#update-{version}"),
            _ => format!("{object_id}#delete"),
        },
        "type": kind,
        "actor": me,
        "published": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "to": [PUBLIC],
        "cc": [format!("{me}/followers")],
        "object": object,
    });
    // Made first, then recorded and queued (each delivery's unique key makes a repeat harmless).
    let inboxes = db::delivery_inboxes(&db.pool, org.id).await?;
    if !db::sent_once(&db.pool, org.id, post.id, kind, version).await? {
        return Ok(0);
    }
    deliver(db, org.id, &activity, &inboxes).await
}

/// Once a minute: newly published posts go to followers, corrected ones as `Update`, withdrawn
/// ones as `Delete`. Returns how many deliveries were queued.
pub async fn tick(db: &Db, base: &str) -> Result<usize> {
    let mut n = 0;
    for (kind, due) in [
        ("Create", db::unsent(&db.pool).await?),
        ("Update", db::corrected(&db.pool).await?),
        ("Delete", db::withdrawn(&db.pool).await?),
    ] {
        for (org, post) in due {
            let o = kehilla_db::orgs::by_id(&db.pool, org).await?;
            let p = kehilla_db::studio::post_by_id(&db.pool, post).await?;
            // One post's trouble does not hold up the others.
            match send_post(db, base, &o, &p, kind).await {
                Ok(k) => n += k,
                Err(e) => {
                    tracing::warn!(post = p.public_id, error = %e, "a post could not go to the fediverse")
                }
            }
        }
    }
    Ok(n)
}

/// The organization follows a fediverse account (`@user@host` or an actor's address).
pub async fn follow(
    db: &Db,
    settings: &crate::Settings,
    base: &str,
    org: &Organization,
    handle: &str,
) -> Result<String> {
    let actor = if handle.starts_with("https://") || handle.starts_with("http://") {
        handle.to_string()
    } else {
        let h = handle.trim().trim_start_matches('@');
        let (user, host) = h.split_once('@').ok_or(AppError::Input {
            field: "handle",
            error: kehilla_domain::validate::InputError::InvalidValue,
        })?;
        let scheme = if base.starts_with("http://") {
            "http"
        } else {
            "https"
        };
        let wf = fetch_json(
            settings,
            &format!("{scheme}://{host}/.well-known/webfinger?resource=acct:{user}@{host}"),
        )
        .await
        .map_err(|_| AppError::NotFound)?;
        at(&wf, "/links")
            .as_array()
            .and_then(|l| l.iter().find(|x| at(x, "/rel") == "self"))
            .and_then(|x| at(x, "/href").as_str())
            .ok_or(AppError::NotFound)?
            .to_string()
    };
    let a = remote_actor(db, settings, &actor, true)
        .await
        .map_err(|_| AppError::NotFound)?;
    keys(db, settings, org.id).await?;
    let me = actor_url(base, &org.slug);
    let follow_id = format!("{me}#follows/{}", kehilla_db::random_hex(8));
    db::add_following(&db.pool, org.id, &actor, &follow_id).await?;
    let activity = json!({
        "@context": context(),
        "id": follow_id,
        "type": "Follow",
        "actor": me,
        "object": actor,
    });
    deliver(db, org.id, &activity, &[a.inbox]).await?;
    Ok(actor)
}

/// The organization replies to a fediverse post (`in_reply_to` is its id); returns the reply's
/// id. (The Inbox answers through this.)
#[allow(clippy::too_many_arguments)]
pub async fn reply(
    db: &Db,
    settings: &crate::Settings,
    base: &str,
    org: &Organization,
    in_reply_to: &str,
    author: &str,
    text: &str,
    key: &str,
) -> Result<String> {
    let a = remote_actor(db, settings, author, false)
        .await
        .map_err(|_| AppError::NotFound)?;
    keys(db, settings, org.id).await?;
    let me = actor_url(base, &org.slug);
    // The same key makes the same id: the delivery job's unique key drops a repeat.
    let id = format!("{me}/replies/{}", crate::home::site::path_segment(key));
    let html = crate::home::site::paragraphs(text);
    let activity = json!({
        "@context": context(),
        "id": format!("{id}#create"),
        "type": "Create",
        "actor": me,
        "to": [PUBLIC, author],
        "object": {
            "id": id, "type": "Note", "attributedTo": me, "inReplyTo": in_reply_to,
            "content": html, "to": [PUBLIC, author],
            "published": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "tag": [{ "type": "Mention", "href": author }],
        },
    });
    deliver(db, org.id, &activity, &[a.inbox]).await?;
    Ok(id)
}

/// `ap.deliver`: one activity to one inbox, signed by its organization.
pub struct DeliverJob;

impl DeliverJob {
    pub const KIND: &'static str = "ap.deliver";
}

impl JobHandler for DeliverJob {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let p: Value = serde_json::from_str(&job.payload)
                .map_err(|e| JobError::Permanent(format!("payload: {e}")))?;
            let inbox = at(&p, "/inbox").as_str().unwrap_or_default().to_string();
            let org_id = job
                .organization_id
                .ok_or_else(|| JobError::Permanent("no organization".into()))?;
            let host = crate::home::site::host_of(&inbox);
            let (_, paused) = db::server(&ctx.db.pool, &host).await?;
            match paused {
                // Paused: the delivery waits for the pause to end (its attempts are not spent).
                Some(t) if t > now_ms() => {
                    return Err(JobError::Later {
                        at: t,
                        reason: format!("{host} is paused"),
                    });
                }
                // The pause is over: the server starts again with a clean count.
                Some(_) => db::server_ok(&ctx.db.pool, &host).await?,
                None => {}
            }
            let org = kehilla_db::orgs::by_id(&ctx.db.pool, org_id).await?;
            let (_, key) = keys(&ctx.db, &ctx.settings, org_id)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            let body = serde_json::to_vec(at(&p, "/activity"))
                .map_err(|e| JobError::Permanent(e.to_string()))?;
            let key_id = format!("{}#main-key", actor_url(&ctx.base_url, &org.slug));
            let headers = sign(&key, &key_id, "POST", &inbox, Some(&body))
                .map_err(|e| JobError::Permanent(e.to_string()))?;
            kehilla_net::validate_url(&inbox, ctx.settings.fetch_private)
                .map_err(|e| JobError::Permanent(e.to_string()))?;
            let client = kehilla_net::guarded_builder(ctx.settings.fetch_private)
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .map_err(|e| JobError::Retry(e.to_string()))?;
            let mut req = client
                .post(&inbox)
                .header("content-type", MEDIA_TYPE)
                .header("accept", MEDIA_TYPE);
            for (k, v) in &headers {
                req = req.header(k.as_str(), v.as_str());
            }
            let host_ref = &host;
            let failed = |error: String| async move {
                let _ = db::server_failed(
                    &ctx.db.pool,
                    host_ref,
                    &error,
                    PAUSE_AFTER,
                    now_ms() + PAUSE_MS,
                )
                .await;
                JobError::Retry(error)
            };
            match req.body(body).send().await {
                Ok(r) if r.status().is_success() || r.status().as_u16() == 409 => {
                    db::server_ok(&ctx.db.pool, &host).await?;
                    Ok(())
                }
                Ok(r) if r.status().is_client_error() && r.status().as_u16() != 429 => {
                    let s = r.status();
                    let text = r.text().await.unwrap_or_default();
                    Err(JobError::Permanent(format!(
                        "{inbox} refused it: {s} {text}"
                    )))
                }
                Ok(r) => Err(failed(format!("{inbox} answered {}", r.status())).await),
                Err(e) => Err(failed(format!("{inbox}: {e}")).await),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_a_changed_line_does_not() {
        let key = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let public: PublicKeyX509Der = key.public_key().as_der().unwrap();
        let pem_text = pem("PUBLIC KEY", public.as_ref());
        let h = sign(
            &key,
            "https://a.example/ap/o/yad#main-key",
            "POST",
            "https://b.example/ap/inbox",
            Some(b"{}"),
        )
        .unwrap();
        let get = |k: &str| {
            h.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let p = signature_params(&get("signature"));
        let sig = STANDARD
            .decode(&p.iter().find(|(k, _)| k == "signature").unwrap().1)
            .unwrap();
        let msg = format!(
            "(request-target): post /ap/inbox\nhost: b.example\ndate: {}\ndigest: {}",
            get("date"),
            get("digest")
        );
        assert!(verify_with(&pem_text, msg.as_bytes(), &sig));
        assert!(!verify_with(
            &pem_text,
            msg.replace("b.example", "c.example").as_bytes(),
            &sig
        ));
        assert_eq!(
            get("digest"),
            "SHA-256=RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o="
        );
    }

    #[test]
    fn remote_html_becomes_text() {
        assert_eq!(
            text_of("<p>שלום <a href=\"x\">@yad</a></p><p>a &amp; b &lt;script&gt;</p>"),
            "שלום @yad\n\na & b <script>"
        );
    }
}
