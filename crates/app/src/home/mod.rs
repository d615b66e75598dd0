//! Home: the organization's own site — the canonical home of everything it publishes — and its
//! feeds.

pub mod activitypub;
pub mod archive;
pub mod calls;
pub mod discussions;
pub mod events;
pub mod feeds;
pub mod site;
