//! Personal API tokens: `khl_` + 48 hex characters, shown once, stored as a SHA-256 hash.
//! A token acts for one member in one organization, with the lesser of its scope and the
//! member's current role.

use kehilla_db::tokens::{self, ApiToken};
use kehilla_db::{Db, orgs, random_hex, users};
use kehilla_domain::validate::{self, InputError};
use kehilla_domain::{Permission, Role};

use crate::audit::{self, Actor};
use crate::members::OrgMember;
use crate::{AppError, Result, token_hash};

pub const PREFIX: &str = "khl_";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Read,
    Write,
}

impl Scope {
    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }
    pub fn allows(self, p: Permission) -> bool {
        match self {
            Scope::Read => p == Permission::Read,
            Scope::Write => true,
        }
    }
}

pub async fn create(
    db: &Db,
    by: &OrgMember,
    name: &str,
    scope: &str,
    actor: &Actor,
) -> Result<(ApiToken, String)> {
    let name = validate::name(name, 80).map_err(AppError::input("name"))?;
    let scope = Scope::parse(scope).ok_or(AppError::Input {
        field: "scope",
        error: InputError::Required,
    })?;
    let secret = format!("{PREFIX}{}", random_hex(24));
    let mut tx = db.begin().await?;
    let t = tokens::create(
        &mut *tx,
        by.org.id,
        by.user.id,
        &name,
        scope.as_str(),
        &token_hash(&secret),
    )
    .await?;
    audit::record(
        &mut *tx,
        Some(by.org.id),
        actor,
        audit::TOKEN_CREATED,
        &format!("{name} ({})", scope.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok((t, secret))
}

pub async fn revoke(db: &Db, by: &OrgMember, public_id: &str, actor: &Actor) -> Result<()> {
    let mut tx = db.begin().await?;
    tokens::revoke(&mut *tx, by.org.id, by.user.id, public_id).await?;
    audit::record(
        &mut *tx,
        Some(by.org.id),
        actor,
        audit::TOKEN_REVOKED,
        public_id,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The member a bearer token acts for, and its scope. `Unauthorized` for an unknown or revoked
/// token or one whose member has left the organization.
pub async fn authenticate(db: &Db, secret: &str) -> Result<(OrgMember, Scope)> {
    if !secret.starts_with(PREFIX) {
        return Err(AppError::Unauthorized);
    }
    let t = tokens::live_by_hash(&db.pool, &token_hash(secret))
        .await?
        .ok_or(AppError::Unauthorized)?;
    let role = orgs::role_of(&db.pool, t.organization_id, t.user_id)
        .await?
        .and_then(|r| Role::parse(&r))
        .ok_or(AppError::Unauthorized)?;
    let user = users::by_id(&db.pool, t.user_id).await?;
    let org = orgs::by_id(&db.pool, t.organization_id).await?;
    tokens::mark_used(&db.pool, t.id).await?;
    let scope = Scope::parse(&t.scope).unwrap_or(Scope::Read);
    Ok((OrgMember { user, org, role }, scope))
}
