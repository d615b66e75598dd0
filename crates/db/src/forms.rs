//! Sign-up forms and the confirmations of double opt-in.

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Form {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub kind: String,
    pub title: String,
    pub intro: String,
    pub lang: String,
    pub ask_phone: i64,
    pub consents: String,
    pub list_id: Option<i64>,
    pub double_opt_in: i64,
    pub thanks_text: String,
    pub redirect_url: String,
    pub created_at: i64,
}

const COLS: &str = "id, public_id, organization_id, kind, title, intro, lang, ask_phone, consents, list_id, \
     double_opt_in, thanks_text, redirect_url, created_at";

pub struct FormData<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub intro: &'a str,
    pub lang: &'a str,
    pub ask_phone: bool,
    pub consents: &'a str,
    pub list_id: Option<i64>,
    pub double_opt_in: bool,
    pub thanks_text: &'a str,
    pub redirect_url: &'a str,
}

pub async fn create<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    d: &FormData<'_>,
) -> Result<Form> {
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO forms (public_id, organization_id, kind, title, intro, lang, ask_phone, consents, list_id, \
         double_opt_in, thanks_text, redirect_url, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(d.kind)
    .bind(d.title)
    .bind(d.intro)
    .bind(d.lang)
    .bind(i64::from(d.ask_phone))
    .bind(d.consents)
    .bind(d.list_id)
    .bind(i64::from(d.double_opt_in))
    .bind(d.thanks_text)
    .bind(d.redirect_url)
    .bind(now_ms())
    .fetch_one(e)
    .await?)
}

pub async fn update<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
    d: &FormData<'_>,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE forms SET kind = $1, title = $2, intro = $3, lang = $4, ask_phone = $5, consents = $6, list_id = $7, \
         double_opt_in = $8, thanks_text = $9, redirect_url = $10 WHERE organization_id = $11 AND public_id = $12",
    )
    .bind(d.kind)
    .bind(d.title)
    .bind(d.intro)
    .bind(d.lang)
    .bind(i64::from(d.ask_phone))
    .bind(d.consents)
    .bind(d.list_id)
    .bind(i64::from(d.double_opt_in))
    .bind(d.thanks_text)
    .bind(d.redirect_url)
    .bind(org)
    .bind(public_id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

pub async fn of_org<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Form>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM forms WHERE organization_id = $1 ORDER BY id DESC"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Form> {
    sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM forms WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// A form by its public id alone: the public pages know no organization.
pub async fn public<'c, E: Executor<'c, Database = Any>>(e: E, public_id: &str) -> Result<Form> {
    sqlx::query_as(crate::sql!("SELECT {COLS} FROM forms WHERE public_id = $1"))
        .bind(public_id)
        .fetch_optional(e)
        .await?
        .ok_or(DbError::NotFound)
}

pub async fn by_id<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Form> {
    sqlx::query_as(crate::sql!("SELECT {COLS} FROM forms WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await?
        .ok_or(DbError::NotFound)
}

pub async fn delete<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<()> {
    let r = sqlx::query("DELETE FROM forms WHERE organization_id = $1 AND public_id = $2")
        .bind(org)
        .bind(public_id)
        .execute(e)
        .await?;
    crate::touched(&r)
}

#[derive(Debug, Clone, FromRow)]
pub struct Confirmation {
    pub id: i64,
    pub organization_id: i64,
    pub form_id: i64,
    pub email: String,
    pub submission: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub confirmed_at: Option<i64>,
}

const CCOLS: &str =
    "id, organization_id, form_id, email, submission, created_at, expires_at, confirmed_at";

pub async fn create_confirmation<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    form: i64,
    token_hash: &str,
    email: &str,
    submission: &str,
    expires_at: i64,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO form_confirmations (organization_id, form_id, token_hash, email, submission, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(org)
    .bind(form)
    .bind(token_hash)
    .bind(email)
    .bind(submission)
    .bind(now_ms())
    .bind(expires_at)
    .fetch_one(e)
    .await?;
    Ok(id)
}

pub async fn confirmation_by_token<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
) -> Result<Option<Confirmation>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {CCOLS} FROM form_confirmations WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(e)
    .await?)
}

pub async fn confirmation<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
) -> Result<Confirmation> {
    sqlx::query_as(crate::sql!(
        "SELECT {CCOLS} FROM form_confirmations WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// The newest unconfirmed, unexpired submission of an address to a form (for "send again").
pub async fn pending_for<'c, E: Executor<'c, Database = Any>>(
    e: E,
    form: i64,
    email: &str,
) -> Result<Option<Confirmation>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {CCOLS} FROM form_confirmations WHERE form_id = $1 AND email = $2 AND confirmed_at IS NULL \
         AND expires_at > $3 ORDER BY id DESC LIMIT 1"
    ))
    .bind(form)
    .bind(email)
    .bind(now_ms())
    .fetch_optional(e)
    .await?)
}

/// Marks a confirmation used; false when it already was.
pub async fn mark_confirmed<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE form_confirmations SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL",
    )
    .bind(now_ms())
    .bind(id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Removes the waiting sign-ups of an address (on erasure).
pub async fn forget_email<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    email: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM form_confirmations WHERE organization_id = $1 AND email = $2")
        .bind(org)
        .bind(email)
        .execute(e)
        .await?;
    Ok(())
}
