//! Sealing of secrets kept in the database (network access tokens): ChaCha20-Poly1305 with a
//! 256-bit key. The key is the `secret_key` setting when set (then a copy of the database alone
//! cannot open the tokens); otherwise a key the instance makes once and keeps in its database.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use kehilla_db::Db;

use crate::{AppError, Result, Settings};

/// Compares two secrets (signatures, tokens) in time that does not depend on where they differ.
pub fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[derive(Clone)]
pub struct Sealer {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer")
    }
}

impl Sealer {
    /// From 64 hex digits.
    pub fn from_hex(hex_key: &str) -> std::result::Result<Sealer, String> {
        let bytes = hex::decode(hex_key.trim())
            .map_err(|_| "secret_key must be 64 hex digits".to_string())?;
        if bytes.len() != 32 {
            return Err("secret_key must be 64 hex digits (32 bytes)".into());
        }
        let key = Key::try_from(bytes.as_slice())
            .map_err(|_| "secret_key must be 32 bytes".to_string())?;
        Ok(Sealer {
            cipher: ChaCha20Poly1305::new(&key),
        })
    }

    /// The instance's sealer: the setting's key, or the one kept in the database.
    pub async fn of_instance(db: &Db, settings: &Settings) -> Result<Sealer> {
        let hex_key = match &settings.secret_key {
            Some(k) if !k.expose().trim().is_empty() => k.expose().trim().to_string(),
            _ => {
                db.instance_secret("token-key", || kehilla_db::random_hex(32))
                    .await?
            }
        };
        Sealer::from_hex(&hex_key).map_err(AppError::Internal)
    }

    pub fn seal(&self, plain: &str) -> Result<String> {
        let nonce_bytes = hex::decode(kehilla_db::random_hex(12)).unwrap_or_default();
        let nonce = Nonce::try_from(nonce_bytes.as_slice())
            .map_err(|_| AppError::Internal("no nonce".into()))?;
        let sealed = self
            .cipher
            .encrypt(&nonce, plain.as_bytes())
            .map_err(|_| AppError::Internal("sealing failed".into()))?;
        let mut out = nonce_bytes;
        out.extend(sealed);
        Ok(STANDARD.encode(out))
    }

    /// Opens a sealed value; an error when it was sealed with another key or changed.
    pub fn open(&self, sealed: &str) -> Result<String> {
        let bytes = STANDARD
            .decode(sealed)
            .map_err(|_| AppError::Internal("a sealed secret is not base64".into()))?;
        let (nonce, body) = bytes
            .split_at_checked(12)
            .ok_or_else(|| AppError::Internal("a sealed secret is too short".into()))?;
        let nonce = Nonce::try_from(nonce)
            .map_err(|_| AppError::Internal("a sealed secret is too short".into()))?;
        let plain = self.cipher.decrypt(&nonce, body).map_err(|_| {
            AppError::Internal("a sealed secret cannot be opened with this key".into())
        })?;
        String::from_utf8(plain)
            .map_err(|_| AppError::Internal("a sealed secret is not text".into()))
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open_and_refuse_tampering_or_another_key() {
        let k = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let s = Sealer::from_hex(k).unwrap_or_else(|e| panic!("{e}"));
        let sealed = s.seal("token-שלום").unwrap_or_default();
        assert!(!sealed.contains("token"));
        assert_ne!(
            sealed,
            s.seal("token-שלום").unwrap_or_default(),
            "a fresh nonce each time"
        );
        assert_eq!(s.open(&sealed).ok().as_deref(), Some("token-שלום"));
        let mut bad = STANDARD.decode(&sealed).unwrap_or_default();
        if let Some(b) = bad.last_mut() {
            *b ^= 1;
        }
        assert!(s.open(&STANDARD.encode(bad)).is_err());
        let other = Sealer::from_hex(&"11".repeat(32)).unwrap_or_else(|e| panic!("{e}"));
        assert!(other.open(&sealed).is_err());
        assert!(Sealer::from_hex("abc").is_err());
    }
}
