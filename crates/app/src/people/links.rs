//! Links in messages that act without a login: the preference centre and one-click
//! unsubscribe. A link names the person and carries an HMAC-SHA256 signature made with a key the
//! instance generates once and keeps in its database (so every server of a cluster agrees).

use hmac::{Hmac, KeyInit, Mac};
use kehilla_db::{Db, random_hex};
use sha2::Sha256;

use crate::{AppError, Result};

const KEY_NAME: &str = "link-signing";

/// The instance's link-signing key (kept in memory once read: it never changes).
pub(crate) async fn key(db: &Db) -> Result<Vec<u8>> {
    let value = db.instance_secret(KEY_NAME, || random_hex(32)).await?;
    hex::decode(value).map_err(|e| AppError::Internal(e.to_string()))
}

fn sign(key: &[u8], person_public_id: &str) -> Result<String> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key).map_err(|e| AppError::Internal(e.to_string()))?;
    mac.update(b"kehilla-person-link:");
    mac.update(person_public_id.as_bytes());
    let out = mac.finalize().into_bytes();
    Ok(hex::encode(out.get(..16).unwrap_or_default()))
}

/// The token of a person's links with the key at hand (many messages at once).
pub fn token_with(key: &[u8], person_public_id: &str) -> Result<String> {
    Ok(format!(
        "{person_public_id}.{}",
        sign(key, person_public_id)?
    ))
}

/// The token of a person's links: `{person id}.{signature}`.
pub async fn token(db: &Db, person_public_id: &str) -> Result<String> {
    let k = key(db).await?;
    Ok(format!(
        "{person_public_id}.{}",
        sign(&k, person_public_id)?
    ))
}

/// The person a token names, when its signature is right.
pub async fn verify(db: &Db, token: &str) -> Result<String> {
    let Some((id, sig)) = token.split_once('.') else {
        return Err(AppError::NotFound);
    };
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::NotFound);
    }
    let k = key(db).await?;
    let want = sign(&k, id)?;
    if !crate::secrets::constant_eq(&want, sig) {
        return Err(AppError::NotFound);
    }
    Ok(id.to_string())
}

pub fn preferences_url(base: &str, token: &str) -> String {
    format!("{base}/p/{token}")
}

pub fn unsubscribe_url(base: &str, token: &str) -> String {
    format!("{base}/u/{token}")
}
