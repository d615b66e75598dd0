//! Who an organization's campaigns come from, and its DKIM key: generated here (RSA-2048), the
//! private half sealed in the database, the public half shown as the DNS record to publish.

use kehilla_db::Db;
use kehilla_db::messaging::{self as db, Sender};
use kehilla_domain::Role;
use kehilla_domain::validate::InputError;

use crate::members::OrgMember;
use crate::secrets::Sealer;
use crate::{AppError, Result};

/// A new RSA-2048 key: (PKCS#8 PEM of the private key, base64 of the public key as DKIM's `p=`).
pub fn generate_key() -> Result<(String, String)> {
    use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::KeyPair as _;
    use base64::Engine;
    let bad = |_| AppError::Internal("RSA key generation failed".into());
    let key = KeyPair::generate(KeySize::Rsa2048).map_err(bad)?;
    let private: Pkcs8V1Der = key.as_der().map_err(bad)?;
    let public: PublicKeyX509Der = key.public_key().as_der().map_err(bad)?;
    Ok((
        super::dkim::pem("PRIVATE KEY", private.as_ref()),
        base64::engine::general_purpose::STANDARD.encode(public.as_ref()),
    ))
}

/// The DNS TXT record to publish for a sender's key: (name, value).
pub fn dns_record(s: &Sender) -> Option<(String, String)> {
    if s.dkim_public.is_empty() {
        return None;
    }
    Some((
        format!("{}._domainkey.{}", s.dkim_selector, s.dkim_domain),
        format!("v=DKIM1; k=rsa; p={}", s.dkim_public),
    ))
}

pub(crate) fn domain_ok(d: &str) -> bool {
    !d.is_empty()
        && d.len() <= 253
        && d.contains('.')
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

fn address_ok(a: &str) -> bool {
    a.parse::<lettre::Address>().is_ok()
}

/// Saves the From name and address and the Reply-To (admins).
pub async fn save(
    db: &Db,
    by: &OrgMember,
    from_name: &str,
    from_address: &str,
    reply_to: &str,
    brand_color: &str,
) -> Result<()> {
    if by.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let from_name = from_name.trim();
    if from_name.chars().count() > 100 || from_name.contains(['\r', '\n']) {
        return Err(AppError::Input {
            field: "from_name",
            error: InputError::TooLong,
        });
    }
    let from_address = from_address.trim().to_ascii_lowercase();
    if !from_address.is_empty() && !address_ok(&from_address) {
        return Err(AppError::Input {
            field: "from_address",
            error: InputError::InvalidEmail,
        });
    }
    let reply_to = reply_to.trim().to_ascii_lowercase();
    if !reply_to.is_empty() && !address_ok(&reply_to) {
        return Err(AppError::Input {
            field: "reply_to",
            error: InputError::InvalidEmail,
        });
    }
    let brand_color = super::blocks::color(brand_color);
    db::save_sender(
        &db.pool,
        by.org.id,
        from_name,
        &from_address,
        &reply_to,
        &brand_color,
    )
    .await?;
    Ok(())
}

/// Makes a new DKIM key for `domain` with `selector` (admins). The old key stops signing at
/// once: publish the new record first, or choose a new selector and keep the old record a while.
pub async fn generate_dkim(
    db: &Db,
    settings: &crate::Settings,
    by: &OrgMember,
    domain: &str,
    selector: &str,
) -> Result<()> {
    if by.role < Role::Admin {
        return Err(AppError::Forbidden);
    }
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    if !domain_ok(&domain) {
        return Err(AppError::Input {
            field: "dkim_domain",
            error: InputError::InvalidValue,
        });
    }
    let selector = selector.trim().to_ascii_lowercase();
    if selector.is_empty()
        || selector.len() > 63
        || !selector
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(AppError::Input {
            field: "dkim_selector",
            error: InputError::InvalidValue,
        });
    }
    let (pem, public) = tokio::task::spawn_blocking(generate_key)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    let sealer = Sealer::of_instance(db, settings).await?;
    let sealed = sealer.seal(&pem)?;
    db::save_dkim(&db.pool, by.org.id, &domain, &selector, &sealed, &public).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_and_its_record() {
        let (pem, public) = generate_key().unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        super::super::dkim::Signer::new(&pem, "yad.example", "kehilla1", &["From"]).unwrap();
        let s = Sender {
            dkim_domain: "yad.example".into(),
            dkim_selector: "kehilla1".into(),
            dkim_public: public.clone(),
            ..Sender::default()
        };
        let (name, value) = dns_record(&s).unwrap();
        assert_eq!(name, "kehilla1._domainkey.yad.example");
        assert_eq!(value, format!("v=DKIM1; k=rsa; p={public}"));
        assert!(domain_ok("mail.yad.example") && !domain_ok("yad") && !domain_ok("a..b"));
    }
}
