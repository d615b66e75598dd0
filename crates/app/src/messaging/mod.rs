//! Owned messaging: the organization's email campaigns (and, later, SMS). This first part renders
//! a campaign for one person: personalization in a sandbox, Markdown to an email whose direction
//! follows its language, a plain-text part, and the footer the law asks of advertising.

pub mod automations;
pub mod blocks;
pub mod campaigns;
pub mod dkim;
pub mod gate;
pub mod inbound;
pub mod render;
pub mod send;
pub mod sender;
pub mod sms;
