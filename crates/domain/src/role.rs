//! Roles of a member within an organization, and what each role may do.
//!
//! The order of the variants is the order of power: an owner can do everything an admin can, and
//! so on down to a viewer, who can only read.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Contributor,
    Editor,
    Admin,
    Owner,
}

/// What a request needs to be allowed. Every route of the web layer names one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read the organization's workspace.
    Read,
    /// Draft content and replies that others approve.
    Contribute,
    /// Create, edit, approve and publish.
    Edit,
    /// Manage members, settings, jobs and the audit log.
    Admin,
    /// Transfer or delete the organization, manage owners.
    Own,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Admin,
        Role::Editor,
        Role::Contributor,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Contributor => "contributor",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn allows(self, p: Permission) -> bool {
        let needed = match p {
            Permission::Read => Role::Viewer,
            Permission::Contribute => Role::Contributor,
            Permission::Edit => Role::Editor,
            Permission::Admin => Role::Admin,
            Permission::Own => Role::Owner,
        };
        self >= needed
    }

    /// Whether a member with this role may give `target` to someone (or take it away).
    /// Admins manage everyone below owner; only owners make or unmake owners.
    pub fn can_assign(self, target: Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Admin => target < Role::Owner,
            _ => false,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_order() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(Role::Owner > Role::Admin && Role::Contributor > Role::Viewer);
    }

    #[test]
    fn permissions_follow_the_ladder() {
        assert!(Role::Viewer.allows(Permission::Read));
        assert!(!Role::Viewer.allows(Permission::Contribute));
        assert!(Role::Contributor.allows(Permission::Contribute));
        assert!(!Role::Contributor.allows(Permission::Edit));
        assert!(Role::Editor.allows(Permission::Edit));
        assert!(!Role::Editor.allows(Permission::Admin));
        assert!(Role::Admin.allows(Permission::Admin));
        assert!(!Role::Admin.allows(Permission::Own));
        assert!(Role::Owner.allows(Permission::Own));
    }

    #[test]
    fn only_owners_make_owners() {
        assert!(Role::Owner.can_assign(Role::Owner));
        assert!(!Role::Admin.can_assign(Role::Owner));
        assert!(Role::Admin.can_assign(Role::Admin));
        assert!(!Role::Editor.can_assign(Role::Viewer));
    }
}
