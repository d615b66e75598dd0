//! The areas of an organization's workspace, in the order the overview shows them.

pub const AREAS: [&str; 7] = [
    "plan", "people", "studio", "calendar", "inbox", "measure", "site",
];
