//! Pure types and rules of Kehilla. Nothing here does I/O; everything here is unit-tested.

pub mod hebcal;
pub mod json_int;
pub mod measure;
pub mod moderation;
pub mod people;
pub mod role;
pub mod text;
pub mod validate;

pub use role::{Permission, Role};
