//! Members of an organization: invitations by link, joining, role changes, removal.

use kehilla_db::orgs::{Invitation, Member};
use kehilla_db::users::User;
use kehilla_db::{Db, now_ms, orgs, random_hex, tokens, users};
use kehilla_domain::Role;
use kehilla_domain::validate::{self, InputError, Lang};

use crate::audit::{self, Actor};
use crate::{AppError, Result, token_hash};

/// The caller, as a member of the organization a request is about.
#[derive(Debug, Clone)]
pub struct OrgMember {
    pub user: User,
    pub org: orgs::Organization,
    pub role: Role,
}

/// Finds `user`'s membership in the organization with `slug`. Not a member, or no such
/// organization: both are `NotFound`, so that outsiders learn nothing about which exist.
pub async fn membership(db: &Db, user: &User, slug: &str) -> Result<OrgMember> {
    let org = orgs::by_slug(&db.pool, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = orgs::role_of(&db.pool, org.id, user.id)
        .await?
        .and_then(|r| Role::parse(&r))
        .ok_or(AppError::NotFound)?;
    Ok(OrgMember {
        user: user.clone(),
        org,
        role,
    })
}

pub const INVITATION_DAYS: i64 = 7;

/// Creates an invitation link. Returns the invitation and the secret token for the link.
pub async fn invite(
    db: &Db,
    by: &OrgMember,
    role: &str,
    note: &str,
    actor: &Actor,
) -> Result<(Invitation, String)> {
    let role = Role::parse(role).ok_or(AppError::Input {
        field: "role",
        error: InputError::InvalidRole,
    })?;
    if !by.role.can_assign(role) {
        return Err(AppError::Forbidden);
    }
    let note = note.trim();
    if note.chars().count() > 200 {
        return Err(AppError::Input {
            field: "note",
            error: InputError::TooLong,
        });
    }
    let token = random_hex(24);
    let mut tx = db.begin().await?;
    let inv = orgs::create_invitation(
        &mut *tx,
        by.org.id,
        role.as_str(),
        note,
        &token_hash(&token),
        by.user.id,
        now_ms() + INVITATION_DAYS * 86_400_000,
    )
    .await?;
    audit::record(
        &mut *tx,
        Some(by.org.id),
        actor,
        audit::INVITATION_CREATED,
        &format!("{} {}", role.as_str(), note),
    )
    .await?;
    tx.commit().await?;
    Ok((inv, token))
}

pub async fn revoke_invitation(
    db: &Db,
    by: &OrgMember,
    public_id: &str,
    actor: &Actor,
) -> Result<()> {
    let mut tx = db.begin().await?;
    orgs::revoke_invitation(&mut *tx, by.org.id, public_id).await?;
    audit::record(
        &mut *tx,
        Some(by.org.id),
        actor,
        audit::INVITATION_REVOKED,
        public_id,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An invitation that can still be accepted, with its organization.
pub async fn open_invitation(db: &Db, token: &str) -> Result<(Invitation, orgs::Organization)> {
    let inv = orgs::invitation_by_token(&db.pool, &token_hash(token))
        .await?
        .ok_or(AppError::InvitationInvalid)?;
    if inv.accepted_at.is_some() || inv.revoked_at.is_some() || inv.expires_at <= now_ms() {
        return Err(AppError::InvitationInvalid);
    }
    let org = orgs::by_id(&db.pool, inv.organization_id).await?;
    Ok((inv, org))
}

/// A new account for someone who accepts an invitation without having one.
pub struct NewAccount {
    pub name: String,
    pub email: String,
    pub password: String,
    pub lang: Lang,
}

/// Accepts an invitation: as the signed-in `user`, or by creating `account`.
pub async fn accept(
    db: &Db,
    token: &str,
    user: Option<&User>,
    account: Option<NewAccount>,
    ip: &str,
) -> Result<(User, orgs::Organization)> {
    let hash = match (&user, &account) {
        (None, Some(a)) => {
            validate::password(&a.password).map_err(AppError::input("password"))?;
            Some(hash_for(&a.password).await?)
        }
        (None, None) => return Err(AppError::Unauthorized),
        _ => None,
    };
    let inv = orgs::invitation_by_token(&db.pool, &token_hash(token))
        .await?
        .ok_or(AppError::InvitationInvalid)?;
    let mut tx = db.begin().await?;
    let user = match (user, account, hash) {
        (Some(u), _, _) => u.clone(),
        (None, Some(a), Some(hash)) => {
            let name = validate::name(&a.name, 120).map_err(AppError::input("name"))?;
            let email = validate::email(&a.email).map_err(AppError::input("email"))?;
            users::create(&mut *tx, &email, &name, &hash, a.lang.code()).await?
        }
        _ => return Err(AppError::Unauthorized),
    };
    if !orgs::accept_invitation(&mut *tx, inv.id, user.id).await? {
        return Err(AppError::InvitationInvalid);
    }
    orgs::add_member(&mut *tx, inv.organization_id, user.id, &inv.role).await?;
    users::set_last_org(&mut *tx, user.id, inv.organization_id).await?;
    let actor = Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        ip: ip.to_string(),
    };
    audit::record(
        &mut *tx,
        Some(inv.organization_id),
        &actor,
        audit::MEMBER_JOINED,
        &format!("{} {}", user.email, inv.role),
    )
    .await?;
    let org = orgs::by_id(&mut *tx, inv.organization_id).await?;
    tx.commit().await?;
    Ok((user, org))
}

async fn hash_for(pw: &str) -> Result<String> {
    crate::accounts::hash_password(pw).await
}

/// Changes a member's role. Admins manage roles below owner; the last owner stays an owner.
pub async fn change_role(
    db: &Db,
    by: &OrgMember,
    member_public_id: &str,
    new_role: &str,
    actor: &Actor,
) -> Result<Member> {
    let new_role = Role::parse(new_role).ok_or(AppError::Input {
        field: "role",
        error: InputError::InvalidRole,
    })?;
    let mut tx = db.begin().await?;
    let m = orgs::member(&mut *tx, by.org.id, member_public_id).await?;
    let old = Role::parse(&m.role).unwrap_or(Role::Viewer);
    if !by.role.can_assign(old) || !by.role.can_assign(new_role) {
        return Err(AppError::Forbidden);
    }
    if old == Role::Owner
        && new_role != Role::Owner
        && orgs::count_role(&mut *tx, by.org.id, "owner").await? <= 1
    {
        return Err(AppError::Conflict("last-owner"));
    }
    orgs::set_role(&mut *tx, by.org.id, m.id, new_role.as_str()).await?;
    audit::record(
        &mut *tx,
        Some(by.org.id),
        actor,
        audit::ROLE_CHANGED,
        &format!("{}: {} → {}", m.email, old, new_role),
    )
    .await?;
    let m = orgs::member(&mut *tx, by.org.id, member_public_id).await?;
    tx.commit().await?;
    Ok(m)
}

/// Removes a member (or lets a member leave); their API tokens in the organization are revoked.
pub async fn remove(db: &Db, by: &OrgMember, member_public_id: &str, actor: &Actor) -> Result<()> {
    let mut tx = db.begin().await?;
    let m = orgs::member(&mut *tx, by.org.id, member_public_id).await?;
    let role = Role::parse(&m.role).unwrap_or(Role::Viewer);
    let leaving = m.user_id == by.user.id;
    if !leaving && !by.role.can_assign(role) {
        return Err(AppError::Forbidden);
    }
    if role == Role::Owner && orgs::count_role(&mut *tx, by.org.id, "owner").await? <= 1 {
        return Err(AppError::Conflict("last-owner"));
    }
    orgs::remove_member(&mut *tx, by.org.id, m.id).await?;
    tokens::revoke_all_of_member(&mut *tx, by.org.id, m.user_id).await?;
    audit::record(
        &mut *tx,
        Some(by.org.id),
        actor,
        audit::MEMBER_REMOVED,
        &m.email,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
