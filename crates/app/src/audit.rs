//! Security events worth an admin's attention. The names are stable: the UI translates them
//! (`audit-{action}`), and the API returns them as they are.

use kehilla_db::audit::{self, NewEntry};
use kehilla_db::sqlx::{Any, Executor};

use crate::Result;

pub const LOGIN: &str = "login";
pub const LOGIN_FAILED: &str = "login-failed";
pub const LOGOUT: &str = "logout";
pub const PASSWORD_RESET_REQUESTED: &str = "password-reset-requested";
pub const PASSWORD_CHANGED: &str = "password-changed";
pub const SESSIONS_REVOKED: &str = "sessions-revoked";
pub const TWO_FACTOR_ENABLED: &str = "two-factor-enabled";
pub const TWO_FACTOR_DISABLED: &str = "two-factor-disabled";
pub const RECOVERY_CODES_RENEWED: &str = "recovery-codes-renewed";
pub const RECOVERY_CODE_USED: &str = "recovery-code-used";
pub const TWO_FACTOR_POLICY: &str = "two-factor-policy";
pub const ORG_CREATED: &str = "org-created";
pub const INVITATION_CREATED: &str = "invitation-created";
pub const INVITATION_REVOKED: &str = "invitation-revoked";
pub const MEMBER_JOINED: &str = "member-joined";
pub const ROLE_CHANGED: &str = "role-changed";
pub const MEMBER_REMOVED: &str = "member-removed";
pub const TOKEN_CREATED: &str = "token-created";
pub const TOKEN_REVOKED: &str = "token-revoked";
pub const JOB_RETRIED: &str = "job-retried";
pub const EXPORT: &str = "export";
pub const ERASURE: &str = "erasure";
pub const SETTINGS_CHANGED: &str = "settings-changed";

/// Who did something, for the log.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
    pub ip: String,
}

pub async fn record<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: Option<i64>,
    actor: &Actor,
    action: &str,
    target: &str,
) -> Result<()> {
    audit::record(
        e,
        NewEntry {
            organization_id: org,
            actor_user_id: actor.user_id,
            actor_label: &actor.label,
            action,
            target,
            ip: &actor.ip,
        },
    )
    .await?;
    Ok(())
}
