//! Organizations, their members and invitations. Every query that reads or changes something
//! inside an organization takes the organization's id, so that a handler cannot reach another
//! organization's rows by guessing an id.

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow)]
pub struct Organization {
    pub id: i64,
    pub public_id: String,
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub created_at: i64,
    /// Who must use two-factor login: `none`, `admins` (owners and admins) or `everyone`.
    pub two_factor_required: String,
}

const ORG_COLS: &str = "id, public_id, slug, name, time_zone, created_at, two_factor_required";

pub async fn create<'c, E: Executor<'c, Database = Any>>(
    e: E,
    slug: &str,
    name: &str,
) -> Result<Organization> {
    sqlx::query_as(crate::sql!(
        "INSERT INTO organizations (public_id, slug, name, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING {ORG_COLS}"
    ))
    .bind(new_public_id())
    .bind(slug)
    .bind(name)
    .bind(now_ms())
    .fetch_one(e)
    .await
    .map_err(|e| DbError::unique(e, "slug"))
}

pub async fn by_slug<'c, E: Executor<'c, Database = Any>>(
    e: E,
    slug: &str,
) -> Result<Option<Organization>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {ORG_COLS} FROM organizations WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(e)
    .await?)
}

pub async fn by_id<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Organization> {
    sqlx::query_as(crate::sql!(
        "SELECT {ORG_COLS} FROM organizations WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// Every organization of the instance, oldest first (the periodic jobs' round).
pub async fn all<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<Vec<Organization>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {ORG_COLS} FROM organizations ORDER BY id"
    ))
    .fetch_all(e)
    .await?)
}

/// An organization seen by one of its members.
#[derive(Debug, Clone, FromRow)]
pub struct MyOrganization {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub role: String,
}

pub async fn of_user<'c, E: Executor<'c, Database = Any>>(
    e: E,
    user_id: i64,
) -> Result<Vec<MyOrganization>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.slug, o.name, m.role FROM memberships m \
         JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1 ORDER BY o.name",
    )
    .bind(user_id)
    .fetch_all(e)
    .await?)
}

/// The role of a user in an organization, if a member.
pub async fn role_of<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    user_id: i64,
) -> Result<Option<String>> {
    let r: Option<(String,)> =
        sqlx::query_as("SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(user_id)
            .fetch_optional(e)
            .await?;
    Ok(r.map(|r| r.0))
}

#[derive(Debug, Clone, FromRow)]
pub struct Member {
    pub id: i64,
    pub public_id: String,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub created_at: i64,
    /// When the member turned two-factor login on.
    pub totp_enabled_at: Option<i64>,
}

const MEMBER_SELECT: &str = "SELECT m.id, m.public_id, m.user_id, u.name, u.email, m.role, m.created_at, \
     u.totp_enabled_at \
     FROM memberships m JOIN users u ON u.id = m.user_id";

pub async fn add_member<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    user_id: i64,
    role: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO memberships (public_id, organization_id, user_id, role, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_public_id())
    .bind(org_id)
    .bind(user_id)
    .bind(role)
    .bind(now_ms())
    .execute(e)
    .await
    .map_err(|e| DbError::unique(e, "member"))?;
    Ok(())
}

pub async fn members<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
) -> Result<Vec<Member>> {
    Ok(sqlx::query_as(crate::sql!(
        "{MEMBER_SELECT} WHERE m.organization_id = $1 ORDER BY u.name"
    ))
    .bind(org_id)
    .fetch_all(e)
    .await?)
}

pub async fn member<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    member_public_id: &str,
) -> Result<Member> {
    sqlx::query_as(crate::sql!(
        "{MEMBER_SELECT} WHERE m.organization_id = $1 AND m.public_id = $2"
    ))
    .bind(org_id)
    .bind(member_public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn count_role<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    role: &str,
) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM memberships WHERE organization_id = $1 AND role = $2")
            .bind(org_id)
            .bind(role)
            .fetch_one(e)
            .await?;
    Ok(n)
}

pub async fn set_role<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    membership_id: i64,
    role: &str,
) -> Result<()> {
    let r = sqlx::query("UPDATE memberships SET role = $1 WHERE organization_id = $2 AND id = $3")
        .bind(role)
        .bind(org_id)
        .bind(membership_id)
        .execute(e)
        .await?;
    crate::touched(&r)
}

pub async fn remove_member<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    membership_id: i64,
) -> Result<()> {
    let r = sqlx::query("DELETE FROM memberships WHERE organization_id = $1 AND id = $2")
        .bind(org_id)
        .bind(membership_id)
        .execute(e)
        .await?;
    crate::touched(&r)
}

#[derive(Debug, Clone, FromRow)]
pub struct Invitation {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub role: String,
    pub note: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const INV_COLS: &str =
    "id, public_id, organization_id, role, note, created_at, expires_at, accepted_at, revoked_at";

pub async fn create_invitation<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    role: &str,
    note: &str,
    token_hash: &str,
    invited_by: i64,
    expires_at: i64,
) -> Result<Invitation> {
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO invitations (public_id, organization_id, role, note, token_hash, invited_by, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {INV_COLS}"
    ))
    .bind(new_public_id())
    .bind(org_id)
    .bind(role)
    .bind(note)
    .bind(token_hash)
    .bind(invited_by)
    .bind(now_ms())
    .bind(expires_at)
    .fetch_one(e)
    .await?)
}

/// Open invitations of an organization (not accepted, not revoked, not expired).
pub async fn open_invitations<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
) -> Result<Vec<Invitation>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {INV_COLS} FROM invitations WHERE organization_id = $1 AND accepted_at IS NULL \
         AND revoked_at IS NULL AND expires_at > $2 ORDER BY id DESC"
    ))
    .bind(org_id)
    .bind(now_ms())
    .fetch_all(e)
    .await?)
}

pub async fn invitation_by_token<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
) -> Result<Option<Invitation>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {INV_COLS} FROM invitations WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(e)
    .await?)
}

/// Marks an invitation used; false when someone else used it first (or it was revoked).
pub async fn accept_invitation<'c, E: Executor<'c, Database = Any>>(
    e: E,
    invitation_id: i64,
    user_id: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE invitations SET accepted_at = $1, accepted_by = $2 \
         WHERE id = $3 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1",
    )
    .bind(now_ms())
    .bind(user_id)
    .bind(invitation_id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn revoke_invitation<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    invitation_public_id: &str,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE invitations SET revoked_at = $1 WHERE organization_id = $2 AND public_id = $3 \
         AND revoked_at IS NULL AND accepted_at IS NULL",
    )
    .bind(now_ms())
    .bind(org_id)
    .bind(invitation_public_id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

/// What the messaging law needs to know about an organization.
#[derive(Debug, Clone, FromRow)]
pub struct LegalSettings {
    pub registered_nonprofit: i64,
    pub legal_name: String,
    pub contact_details: String,
}

pub async fn legal_settings<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
) -> Result<LegalSettings> {
    sqlx::query_as(
        "SELECT registered_nonprofit, legal_name, contact_details FROM organizations WHERE id = $1",
    )
    .bind(org_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn set_legal_settings<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org_id: i64,
    s: &LegalSettings,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE organizations SET registered_nonprofit = $1, legal_name = $2, contact_details = $3 WHERE id = $4",
    )
    .bind(s.registered_nonprofit)
    .bind(&s.legal_name)
    .bind(&s.contact_details)
    .bind(org_id)
    .execute(e)
    .await?;
    crate::touched(&r)
}
