//! People and consent: the owned community core. Records, roles and tags, custom fields, the
//! timeline, lists, segments, the consent ledger, forms with double opt-in, the preference
//! centre, import and export, and per-person export and erasure.

pub mod consent;
pub mod export;
pub mod forms;
pub mod import;
pub mod links;
pub mod lists;
pub mod person;
pub mod segments;

pub use person::{PersonInput, PersonView};

/// Roles every new organization starts with; each organization edits its own list.
pub const DEFAULT_ROLES: [&str; 7] = [
    "donor",
    "volunteer",
    "activist",
    "partner",
    "beneficiary",
    "press",
    "public",
];
