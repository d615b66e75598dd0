//! First run, login, sessions, language and password reset.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use futures::future::BoxFuture;
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::orgs::Organization;
use kehilla_db::users::User;
use kehilla_db::{Db, now_ms, orgs, random_hex, sessions, users};
use kehilla_domain::Role;
use kehilla_domain::validate::{self, Lang};

use crate::audit::{self, Actor};
use crate::i18n;
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::{AppError, Result, token_hash};

/// Hashes a password with argon2id (the crate's default algorithm and parameters), off the
/// async threads because it is deliberately slow.
pub async fn hash_password(password: &str) -> Result<String> {
    let pw = password.to_string();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(pw.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hashing: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

pub async fn verify_password(password: &str, hash: &str) -> bool {
    let pw = password.to_string();
    let hash = hash.to_string();
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        Argon2::default()
            .verify_password(pw.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

pub struct SetupInput {
    pub org_name: String,
    pub org_slug: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub lang: Lang,
}

/// Whether the first-run setup is still to be done.
pub async fn needs_setup(db: &Db) -> Result<bool> {
    Ok(users::count(&db.pool).await? == 0)
}

/// Creates the first organization and its owner. Refused once any user exists.
pub async fn setup(db: &Db, input: SetupInput) -> Result<(User, Organization)> {
    let org_name = validate::name(&input.org_name, 120).map_err(AppError::input("org_name"))?;
    let slug = validate::slug(&input.org_slug).map_err(AppError::input("org_slug"))?;
    let name = validate::name(&input.name, 120).map_err(AppError::input("name"))?;
    let email = validate::email(&input.email).map_err(AppError::input("email"))?;
    validate::password(&input.password).map_err(AppError::input("password"))?;
    let hash = hash_password(&input.password).await?;
    let mut tx = db.begin().await?;
    if users::count(&mut *tx).await? != 0 {
        return Err(AppError::AlreadySetUp);
    }
    let user = users::create(&mut *tx, &email, &name, &hash, input.lang.code()).await?;
    let org = orgs::create(&mut *tx, &slug, &org_name).await?;
    crate::people::person::seed_roles(&mut tx, org.id).await?;
    orgs::add_member(&mut *tx, org.id, user.id, Role::Owner.as_str()).await?;
    users::set_last_org(&mut *tx, user.id, org.id).await?;
    let actor = Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        ip: String::new(),
    };
    audit::record(
        &mut *tx,
        Some(org.id),
        &actor,
        audit::ORG_CREATED,
        &org.slug,
    )
    .await?;
    tx.commit().await?;
    Ok((user, org))
}

/// Creates another organization, owned by `user`.
pub async fn create_organization(
    db: &Db,
    user: &User,
    name: &str,
    slug: &str,
    actor: &Actor,
) -> Result<Organization> {
    let name = validate::name(name, 120).map_err(AppError::input("org_name"))?;
    let slug = validate::slug(slug).map_err(AppError::input("org_slug"))?;
    let mut tx = db.begin().await?;
    let org = orgs::create(&mut *tx, &slug, &name).await?;
    crate::people::person::seed_roles(&mut tx, org.id).await?;
    orgs::add_member(&mut *tx, org.id, user.id, Role::Owner.as_str()).await?;
    audit::record(&mut *tx, Some(org.id), actor, audit::ORG_CREATED, &org.slug).await?;
    tx.commit().await?;
    Ok(org)
}

/// A new login: the token goes into the cookie, its hash into the database.
pub struct NewSession {
    pub token: String,
    pub user: User,
}

/// What a right password leads to: a session, or the second step when the account has
/// two-factor login on (the token of that step, for a short-lived cookie).
pub enum LoginOutcome {
    Session(NewSession),
    SecondStep(String),
}

/// Checks email and password. Failures are recorded in the audit log of every organization the
/// account belongs to, so its admins see attacks on their members.
pub async fn login(
    db: &Db,
    email: &str,
    password: &str,
    session_days: u32,
    user_agent: &str,
    ip: &str,
) -> Result<LoginOutcome> {
    let email = validate::email(email).map_err(|_| AppError::BadCredentials)?;
    let user = users::by_email(&db.pool, &email).await?;
    let Some(user) = user else {
        // Spend the same time as a real check, so response times do not reveal accounts.
        let _ = verify_password(password, DUMMY_HASH).await;
        return Err(AppError::BadCredentials);
    };
    let actor = Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        ip: ip.to_string(),
    };
    let my_orgs = orgs::of_user(&db.pool, user.id).await?;
    if !verify_password(password, &user.password_hash).await {
        for o in &my_orgs {
            audit::record(
                &db.pool,
                Some(o.id),
                &actor,
                audit::LOGIN_FAILED,
                &user.email,
            )
            .await?;
        }
        return Err(AppError::BadCredentials);
    }
    if user.totp_enabled_at.is_some() {
        return Ok(LoginOutcome::SecondStep(
            crate::two_factor::open_challenge(db, &user).await?,
        ));
    }
    let token = random_hex(32);
    let expires = now_ms() + i64::from(session_days) * 86_400_000;
    let mut tx = db.begin().await?;
    sessions::create(
        &mut *tx,
        &token_hash(&token),
        user.id,
        expires,
        user_agent,
        ip,
    )
    .await?;
    for o in &my_orgs {
        audit::record(&mut *tx, Some(o.id), &actor, audit::LOGIN, &user.email).await?;
    }
    tx.commit().await?;
    Ok(LoginOutcome::Session(NewSession { token, user }))
}

/// An argon2id hash of a random string, checked against when the account does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$JW3XSAobvCz8ZEqnIY0bSx+RVnsO7+cUbN7XAv1YX7o";

/// The user behind a session cookie. The session's expiry slides forward at most once a
/// minute; `true` then says so, for the caller to renew the cookie's lifetime as well.
pub async fn session_user(db: &Db, token: &str, session_days: u32) -> Result<Option<(User, bool)>> {
    let Some(s) = sessions::live(&db.pool, &token_hash(token)).await? else {
        return Ok(None);
    };
    let now = now_ms();
    let renewed = now - s.last_seen_at > 60_000;
    if renewed {
        sessions::touch(&db.pool, s.id, now + i64::from(session_days) * 86_400_000).await?;
    }
    Ok(Some((users::by_id(&db.pool, s.user_id).await?, renewed)))
}

pub async fn logout(db: &Db, token: &str, user: Option<&User>, ip: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    sessions::delete(&mut *tx, &token_hash(token)).await?;
    if let Some(user) = user {
        let actor = Actor {
            user_id: Some(user.id),
            label: user.email.clone(),
            ip: ip.to_string(),
        };
        for o in orgs::of_user(&mut *tx, user.id).await? {
            audit::record(&mut *tx, Some(o.id), &actor, audit::LOGOUT, &user.email).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub async fn set_language(db: &Db, user: &User, lang: Lang) -> Result<()> {
    users::set_lang(&db.pool, user.id, lang.code()).await?;
    Ok(())
}

/// Starts a password reset: when an account has that address, a reset link valid for an hour
/// is queued for mailing (the `mail.password-reset` job), in the same transaction. The answer is
/// the same either way, so that the form does not reveal which addresses have accounts.
pub async fn request_password_reset(db: &Db, email: &str, ip: &str) -> Result<()> {
    let Ok(email) = validate::email(email) else {
        return Ok(());
    };
    let Some(user) = users::by_email(&db.pool, &email).await? else {
        return Ok(());
    };
    let token = random_hex(32);
    let mut tx = db.begin().await?;
    sessions::create_reset(&mut *tx, user.id, &token_hash(&token), now_ms() + 3_600_000).await?;
    let payload = serde_json::json!({"user_id": user.id, "token": token});
    // Retries stop well within the link's hour: 10 s, 20 s, 40 s.
    jobs::enqueue(
        &mut *tx,
        NewJob::new(PasswordResetMail::KIND, payload).max_attempts(4),
    )
    .await?;
    let actor = Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        ip: ip.to_string(),
    };
    for o in orgs::of_user(&mut *tx, user.id).await? {
        audit::record(
            &mut *tx,
            Some(o.id),
            &actor,
            audit::PASSWORD_RESET_REQUESTED,
            &user.email,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// `mail.password-reset`: mails the reset link in the person's language. The token is in the
/// payload only until the mail is sent; then the payload is cleared. A crash between sending and
/// clearing sends the same link again, which is harmless.
pub struct PasswordResetMail;

impl PasswordResetMail {
    pub const KIND: &'static str = "mail.password-reset";
}

#[derive(serde::Deserialize)]
struct ResetPayload {
    user_id: i64,
    token: String,
}

impl JobHandler for PasswordResetMail {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let Ok(p) = serde_json::from_str::<ResetPayload>(&job.payload) else {
                return Err(JobError::Permanent(
                    "no reset link in the payload (already sent?)".into(),
                ));
            };
            let user = users::by_id(&ctx.db.pool, p.user_id).await?;
            let lang = Lang::parse(&user.lang).unwrap_or_default();
            let link = format!("{}/password/reset/{}", ctx.base_url, p.token);
            let body = i18n::t_args(
                lang,
                "mail-reset-body",
                &[("name", user.name.clone()), ("link", link)],
            );
            ctx.mailer
                .send(&user.email, &i18n::t(lang, "mail-reset-subject"), &body)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            jobs::clear_payload(&ctx.db.pool, job.id).await?;
            Ok(())
        })
    }
}

pub async fn reset_token_valid(db: &Db, token: &str) -> Result<bool> {
    Ok(sessions::reset_user(&db.pool, &token_hash(token))
        .await?
        .is_some())
}

/// Sets a new password with a reset token; every session of the account ends.
pub async fn reset_password(db: &Db, token: &str, new_password: &str, ip: &str) -> Result<User> {
    validate::password(new_password).map_err(AppError::input("password"))?;
    let hash = hash_password(new_password).await?;
    let th = token_hash(token);
    let mut tx = db.begin().await?;
    let Some(user_id) = sessions::reset_user(&mut *tx, &th).await? else {
        return Err(AppError::ResetInvalid);
    };
    if !sessions::use_reset(&mut *tx, &th).await? {
        return Err(AppError::ResetInvalid);
    }
    users::set_password(&mut *tx, user_id, &hash).await?;
    sessions::delete_all_of_user(&mut *tx, user_id).await?;
    let user = users::by_id(&mut *tx, user_id).await?;
    let actor = Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        ip: ip.to_string(),
    };
    for o in orgs::of_user(&mut *tx, user.id).await? {
        audit::record(
            &mut *tx,
            Some(o.id),
            &actor,
            audit::PASSWORD_CHANGED,
            &user.email,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(user)
}

/// A member's sessions, and which of them is the one asking (its reference).
pub async fn sessions_of(
    db: &Db,
    user: &User,
    current_token: &str,
) -> Result<(Vec<sessions::Listed>, String)> {
    let current = token_hash(current_token)
        .get(..16)
        .unwrap_or_default()
        .to_string();
    Ok((sessions::of_user(&db.pool, user.id).await?, current))
}

/// Ends one of the member's own sessions (another device), or all others (`all`).
pub async fn revoke_session(
    db: &Db,
    user: &User,
    current_token: &str,
    reference: &str,
    actor: &Actor,
) -> Result<()> {
    let mut tx = db.begin().await?;
    if reference == "all" {
        sessions::delete_others(&mut *tx, user.id, &token_hash(current_token)).await?;
    } else if !sessions::revoke(&mut *tx, user.id, reference).await? {
        return Err(AppError::NotFound);
    }
    audit::record(&mut *tx, None, actor, audit::SESSIONS_REVOKED, &user.email).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes a signed-in member's password: the current one must be given; every other session
/// of the account ends (this one stays).
pub async fn change_password(
    db: &Db,
    user: &User,
    current_token: &str,
    current: &str,
    new_password: &str,
    actor: &Actor,
) -> Result<()> {
    let stored = users::by_id(&db.pool, user.id).await?;
    if !verify_password(current, &stored.password_hash).await {
        return Err(AppError::Input {
            field: "current_password",
            error: kehilla_domain::validate::InputError::InvalidValue,
        });
    }
    validate::password(new_password).map_err(AppError::input("password"))?;
    let hash = hash_password(new_password).await?;
    let mut tx = db.begin().await?;
    users::set_password(&mut *tx, user.id, &hash).await?;
    sessions::delete_others(&mut *tx, user.id, &token_hash(current_token)).await?;
    for o in orgs::of_user(&mut *tx, user.id).await? {
        audit::record(
            &mut *tx,
            Some(o.id),
            actor,
            audit::PASSWORD_CHANGED,
            &user.email,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn argon2id_hashes_verify() {
        let h = hash_password("סיסמה-ארוכה-מאוד").await.unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("סיסמה-ארוכה-מאוד", &h).await);
        assert!(!verify_password("wrong password", &h).await);
        assert!(!verify_password("x", "not a hash").await);
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
