//! The site's discussions — comments under posts, and topic boards whose threads visitors start.
//! A visitor proves their email address before their first comment shows (a link by email; the
//! browser then carries a signed cookie); a commenter's first comment waits in the moderation
//! queue, later ones appear at once; moderators approve, hide (never delete) and ban. Bodies are
//! plain text: escaped when shown, bidi controls removed, too long refused. Comments are kept
//! with the commenter (and their person record, when the address is known) for the Inbox.

use futures::future::BoxFuture;
use hmac::{Hmac, KeyInit, Mac};
use kehilla_db::discussions::{self as db, Commenter, NewComment};
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::studio::Post;
use kehilla_db::{Db, now_ms, people, random_hex};
use kehilla_domain::Role;
use kehilla_domain::people::normalize_email;
use kehilla_domain::validate::{InputError, Lang};
use serde::Deserialize;
use sha2::Sha256;

use crate::jobs::{JobContext, JobError, JobHandler};
use crate::members::OrgMember;
use crate::people::person::short;
use crate::{AppError, Result, i18n, token_hash};

/// The longest comment taken, in characters (a longer one is refused, not cut).
pub const MAX_BODY: usize = 5000;
/// At most this many comments per commenter in ten minutes.
pub const PER_TEN_MINUTES: i64 = 5;

/// Explicit bidi embeddings, overrides and isolates: in a visitor's text they can make words
/// read in another order than they are written (spoofing), so they are removed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A comment's text made safe to keep: line ends normalized, bidi controls and other control
/// characters removed (tabs and new lines kept), trimmed; empty or too long is refused.
pub fn clean_body(text: &str) -> Result<String> {
    let body: String = text
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !is_bidi_control(*c) && (!c.is_control() || matches!(c, '\n' | '\t')))
        .collect();
    let body = body.trim().to_string();
    if body.is_empty() {
        return Err(AppError::Input {
            field: "body",
            error: InputError::Required,
        });
    }
    if body.chars().count() > MAX_BODY {
        return Err(AppError::Input {
            field: "body",
            error: InputError::TooLong,
        });
    }
    Ok(body)
}

/// A comment as HTML: escaped, paragraphs, web addresses linked with `rel="nofollow ugc"`.
pub fn body_html(text: &str) -> String {
    crate::home::site::paragraphs(text).replace("rel=\"noopener\"", "rel=\"nofollow ugc noopener\"")
}

fn sign(key: &[u8], commenter: &str) -> Result<String> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key).map_err(|e| AppError::Internal(e.to_string()))?;
    mac.update(b"kehilla-commenter:");
    mac.update(commenter.as_bytes());
    Ok(hex::encode(
        mac.finalize().into_bytes().get(..16).unwrap_or_default(),
    ))
}

/// The cookie value that says "this browser is commenter X": `{public id}.{signature}`.
pub async fn cookie_for(db: &Db, commenter: &str) -> Result<String> {
    let key = crate::people::links::key(db).await?;
    Ok(format!("{commenter}.{}", sign(&key, commenter)?))
}

/// The commenter a cookie names, when its signature is right.
pub async fn commenter_of_cookie(db: &Db, cookie: &str) -> Option<String> {
    let (id, sig) = cookie.split_once('.')?;
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let key = crate::people::links::key(db).await.ok()?;
    let want = sign(&key, id).ok()?;
    crate::secrets::constant_eq(&want, sig).then(|| id.to_string())
}

/// Where a comment goes.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Post(&'a Post),
    /// A new thread in a board.
    Board(i64),
    /// A reply in a board's thread.
    Thread {
        board: i64,
        parent: i64,
    },
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommentInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// The honeypot.
    #[serde(default)]
    pub website: String,
}

/// What became of a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    /// It shows now.
    Visible,
    /// A moderator will look at it.
    Pending,
    /// A link went to the address; the comment shows once it is followed (and approved).
    CheckEmail,
}

/// Takes a visitor's comment. `known` is the commenter the browser's cookie proves.
pub async fn comment(
    db: &Db,
    org: i64,
    target: Target<'_>,
    i: &CommentInput,
    known: Option<&str>,
    lang: Lang,
) -> Result<Posted> {
    if !i.website.trim().is_empty() {
        return Ok(Posted::CheckEmail);
    }
    let name = short("name", &i.name, 80)?;
    if name.is_empty() {
        return Err(AppError::Input {
            field: "name",
            error: InputError::Required,
        });
    }
    let email = normalize_email(&i.email).map_err(AppError::input("email"))?;
    let body = clean_body(&i.body)?;
    let title = if matches!(target, Target::Board(_)) {
        let t: String = short("title", &i.title, 120)?
            .chars()
            .filter(|c| !is_bidi_control(*c))
            .collect();
        if t.is_empty() {
            return Err(AppError::Input {
                field: "title",
                error: InputError::Required,
            });
        }
        t
    } else {
        String::new()
    };
    let (post_id, board_id, parent_id) = match target {
        Target::Post(p) => (Some(p.id), None, None),
        Target::Board(b) => (None, Some(b), None),
        Target::Thread { board, parent } => (None, Some(board), Some(parent)),
    };
    let mut tx = db.begin().await?;
    let existing = db::commenter_by_email(&mut *tx, org, &email).await?;
    if existing.as_ref().is_some_and(|c| c.banned == 1) {
        return Err(AppError::Conflict("comment-banned"));
    }
    let proven = existing
        .as_ref()
        .is_some_and(|c| c.verified_at.is_some() && known == Some(c.public_id.as_str()));
    if let Some(c) = &existing {
        let (n,): (i64,) = kehilla_db::sqlx::query_as(
            "SELECT COUNT(*) FROM comments WHERE commenter_id = $1 AND created_at > $2 \
             AND status <> 'unverified'",
        )
        .bind(c.id)
        .bind(now_ms() - 600_000)
        .fetch_one(&mut *tx)
        .await?;
        if n >= PER_TEN_MINUTES {
            return Err(AppError::RateLimited(600));
        }
    }
    let (commenter, status, token) = match (existing, proven) {
        (Some(c), true) => {
            let status = if c.approved_count > 0 {
                "visible"
            } else {
                "pending"
            };
            (c, status, None)
        }
        (Some(c), false) => {
            // Known address, unproven browser: the link again (nobody comments as someone else).
            let token = random_hex(24);
            db::set_token(&mut *tx, c.id, &token_hash(&token)).await?;
            (c, "unverified", Some(token))
        }
        (None, _) => {
            let token = random_hex(24);
            let person = people::by_email(&mut *tx, org, &email).await?.map(|p| p.id);
            let c = db::create_commenter(&mut *tx, org, &email, &name, person, &token_hash(&token))
                .await?;
            (c, "unverified", Some(token))
        }
    };
    db::add_comment(
        &mut *tx,
        org,
        &NewComment {
            post_id,
            board_id,
            parent_id,
            title: &title,
            commenter_id: commenter.id,
            body: &body,
            status,
        },
    )
    .await?;
    if let Some(token) = &token {
        jobs::enqueue(
            &mut *tx,
            NewJob::new(
                VerifyMail::KIND,
                serde_json::json!({ "commenter": commenter.id, "token": token, "lang": lang.code() }),
            )
            .org(org)
            .max_attempts(6),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(match status {
        "visible" => Posted::Visible,
        "pending" => Posted::Pending,
        _ => Posted::CheckEmail,
    })
}

/// Follows an emailed link: the commenter is verified and their waiting comments go to the
/// moderation queue. Returns the commenter (for the browser's cookie).
pub async fn verify(db: &Db, token: &str) -> Result<Commenter> {
    let c = db::commenter_by_token(&db.pool, &token_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    db::mark_verified(&mut *tx, c.id).await?;
    // Comments sent with the address but not from the proven browser go to a moderator, even
    // for a commenter whose comments appear at once: someone else may have typed the address.
    db::move_comments(&mut *tx, c.id, "unverified", "pending").await?;
    tx.commit().await?;
    Ok(c)
}

/// A moderator's decision: `approve`, `hide` or `ban` (hides the commenter's comments and
/// refuses new ones; nothing is deleted).
pub async fn moderate(db: &Db, by: &OrgMember, comment: &str, action: &str) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let k = db::comment(&db.pool, by.org.id, comment).await?;
    let mut tx = db.begin().await?;
    match action {
        "approve" => {
            db::moderate(&mut *tx, by.org.id, k.id, "visible", by.user.id).await?;
            db::count_approved(&mut *tx, k.commenter_id).await?;
        }
        "hide" => db::moderate(&mut *tx, by.org.id, k.id, "hidden", by.user.id).await?,
        "ban" => {
            db::set_banned(&mut *tx, by.org.id, k.commenter_id, true).await?;
            db::moderate(&mut *tx, by.org.id, k.id, "hidden", by.user.id).await?;
            for from in ["visible", "pending", "unverified"] {
                db::move_comments(&mut *tx, k.commenter_id, from, "hidden").await?;
            }
        }
        _ => {
            return Err(AppError::Input {
                field: "action",
                error: InputError::InvalidValue,
            });
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Makes a board (editors).
pub async fn create_board(db: &Db, by: &OrgMember, title: &str, description: &str) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let title = short("title", title, 80)?;
    if title.is_empty() {
        return Err(AppError::Input {
            field: "title",
            error: InputError::Required,
        });
    }
    let description = short("description", description, 300)?;
    db::create_board(
        &db.pool,
        by.org.id,
        &crate::studio::slugify(&title),
        &title,
        &description,
    )
    .await?;
    Ok(())
}

/// `mail.comment-verify`: the link that proves a commenter's address.
pub struct VerifyMail;

impl VerifyMail {
    pub const KIND: &'static str = "mail.comment-verify";
}

#[derive(Deserialize)]
struct VerifyPayload {
    commenter: i64,
    token: String,
    lang: String,
}

impl JobHandler for VerifyMail {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let Ok(p) = serde_json::from_str::<VerifyPayload>(&job.payload) else {
                return Err(JobError::Permanent("no link in the payload (sent?)".into()));
            };
            let org_id = job
                .organization_id
                .ok_or_else(|| JobError::Permanent("no organization".into()))?;
            let (email,): (String,) =
                kehilla_db::sqlx::query_as("SELECT email FROM commenters WHERE id = $1")
                    .bind(p.commenter)
                    .fetch_one(&ctx.db.pool)
                    .await
                    .map_err(|e| JobError::Retry(e.to_string()))?;
            let org = kehilla_db::orgs::by_id(&ctx.db.pool, org_id).await?;
            let lang = Lang::parse(&p.lang).unwrap_or_default();
            let link = format!("{}/c/verify/{}", ctx.base_url, p.token);
            let args = [("org", org.name.clone()), ("link", link)];
            let subject = i18n::t_args(lang, "comment-verify-subject", &args);
            let body = i18n::t_args(lang, "comment-verify-body", &args);
            ctx.mailer
                .send(&email, &subject, &body)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            jobs::clear_payload(&ctx.db.pool, job.id).await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_lose_bidi_controls_and_are_refused_when_empty_or_too_long() {
        assert_eq!(
            clean_body("  שלום \u{202e}evil\u{202c}\r\nשורה\u{7}  ").unwrap(),
            "שלום evil\nשורה"
        );
        assert!(clean_body(" \u{202e} ").is_err());
        assert!(clean_body(&"א".repeat(MAX_BODY + 1)).is_err());
        assert!(clean_body(&"א".repeat(MAX_BODY)).is_ok());
        let html = body_html("<script>alert(1)</script> https://x.example");
        assert!(html.contains("&lt;script&gt;") && html.contains("rel=\"nofollow ugc noopener\""));
    }
}
