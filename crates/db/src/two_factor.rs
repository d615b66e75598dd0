//! Two-factor login: the account's TOTP secret (sealed by the caller), recovery codes (SHA-256
//! hashes), pending logins waiting for their second factor, and each organization's requirement.

use sqlx::{Any, Executor};

use crate::{Result, now_ms};

/// The sealed secret of an account and whether it is in use (else being set up).
pub async fn secret<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
) -> Result<(String, bool)> {
    let (sealed, enabled): (String, Option<i64>) =
        sqlx::query_as("SELECT totp_secret, totp_enabled_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(e)
            .await?;
    Ok((sealed, enabled.is_some()))
}

/// Keeps a new secret being set up; refused (false) while one is in use.
pub async fn set_pending<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
    sealed: &str,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_last_step = 0, updated_at = $2 \
         WHERE id = $3 AND totp_enabled_at IS NULL",
    )
    .bind(sealed)
    .bind(now_ms())
    .bind(user_id)
    .execute(e)
    .await?
    .rows_affected()
        == 1)
}

/// Puts the pending secret in use; false when there is none or it is already in use.
pub async fn enable<'c, E: Executor<'c, Database = Any>>(e: E, user_id: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE users SET totp_enabled_at = $1, updated_at = $1 \
         WHERE id = $2 AND totp_enabled_at IS NULL AND totp_secret <> ''",
    )
    .bind(now_ms())
    .bind(user_id)
    .execute(e)
    .await?
    .rows_affected()
        == 1)
}

/// Turns two-factor login off: the secret and the recovery codes go.
pub async fn disable<'c, E: Executor<'c, Database = Any>>(e: E, user_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE users SET totp_secret = '', totp_enabled_at = NULL, totp_last_step = 0, \
         updated_at = $1 WHERE id = $2",
    )
    .bind(now_ms())
    .bind(user_id)
    .execute(e)
    .await?;
    Ok(())
}

/// Records `step` as used; false when it (or a later one) was used already, so that a code
/// cannot be taken twice — also by two requests at once.
pub async fn take_step<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
    step: i64,
) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
            .bind(step)
            .bind(user_id)
            .execute(e)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Replaces the account's recovery codes with these hashes.
pub async fn replace_recovery_codes(
    tx: &mut sqlx::Transaction<'_, Any>,
    user_id: i64,
    hashes: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    let now = now_ms();
    for h in hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(h)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

pub async fn delete_recovery_codes<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(e)
        .await?;
    Ok(())
}

/// Uses a recovery code; false when it is not one of the account's unused codes.
pub async fn use_recovery_code<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
    code_hash: &str,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 \
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now_ms())
    .bind(user_id)
    .bind(code_hash)
    .execute(e)
    .await?
    .rows_affected()
        == 1)
}

/// How many unused recovery codes the account has left.
pub async fn recovery_codes_left<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(e)
    .await?;
    Ok(n)
}

pub async fn create_challenge<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
    user_id: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO login_challenges (token_hash, user_id, expires_at, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(expires_at)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

/// The account of a live challenge and the tries it has had.
pub async fn challenge<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
) -> Result<Option<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT user_id, attempts FROM login_challenges WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_ms())
    .fetch_optional(e)
    .await?)
}

/// Takes one try of a live challenge that has tries left (before the code is looked at, so
/// that requests at once cannot share a try); false when there is none to take.
pub async fn take_try<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
    max_tries: i64,
) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE login_challenges SET attempts = attempts + 1 \
         WHERE token_hash = $1 AND attempts < $2 AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(max_tries)
    .bind(now_ms())
    .execute(e)
    .await?
    .rows_affected()
        == 1)
}

/// Ends a challenge (used, or too many tries); false when it was gone already.
pub async fn end_challenge<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
) -> Result<bool> {
    Ok(
        sqlx::query("DELETE FROM login_challenges WHERE token_hash = $1")
            .bind(token_hash)
            .execute(e)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Who in an organization must use two-factor login: `none`, `admins` or `everyone`.
pub async fn org_requirement<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
) -> Result<String> {
    let (r,): (String,) =
        sqlx::query_as("SELECT two_factor_required FROM organizations WHERE id = $1")
            .bind(org_id)
            .fetch_one(e)
            .await?;
    Ok(r)
}

pub async fn set_org_requirement<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    requirement: &str,
) -> Result<()> {
    sqlx::query("UPDATE organizations SET two_factor_required = $1 WHERE id = $2")
        .bind(requirement)
        .bind(org_id)
        .execute(e)
        .await?;
    Ok(())
}

/// The organizations of an account, with their requirement and the account's role there.
pub async fn requirements_of_user<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT o.name, o.two_factor_required, m.role FROM memberships m \
         JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1 ORDER BY o.name",
    )
    .bind(user_id)
    .fetch_all(e)
    .await?)
}
