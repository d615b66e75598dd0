//! Outbound HTTP for Kehilla.
//!
//! Every request Kehilla makes on behalf of a user — today the link card shown under a post —
//! goes through [`SafeClient`]. A user-supplied URL is a server-side request forgery risk: the
//! server must never be talked into fetching its own loopback, the office network, or the
//! cloud metadata endpoint. [`SafeClient`] therefore
//!
//! * accepts only `http` and `https` URLs without credentials ([`validate_url`]);
//! * refuses literal IP hosts that are not public ([`is_public_ip`]);
//! * resolves host names itself and drops every non-public address before connecting, so DNS
//!   rebinding cannot slip a private address in between the check and the connection;
//! * follows redirects by hand, checking every hop again;
//! * bounds the whole exchange in time and the body in bytes.
//!
//! [`parse_card`] turns a page into a [`LinkCard`] (OpenGraph, then Twitter, then plain HTML).

mod card;
mod charset;
mod client;
mod entities;
mod error;
mod ip;
mod policy;
mod url_check;

pub use card::{LinkCard, link_card, parse_card};
pub use client::{Fetched, SafeClient, guarded_builder};
pub use error::NetError;
pub use ip::is_public_ip;
pub use policy::FetchPolicy;
pub use url_check::validate_url;
