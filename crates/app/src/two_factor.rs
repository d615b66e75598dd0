//! Two-factor login: time-based one-time codes (TOTP, RFC 6238: HMAC-SHA1, 6 digits, 30-second
//! steps) from any authenticator app, ten single-use recovery codes, the second step of a login,
//! and each organization's requirement (nobody, owners and admins, or everyone).
//!
//! The secret is sealed like the network tokens. A code is taken once: the last accepted time
//! step is kept and only a later one passes, so a code seen over a shoulder cannot be replayed.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, KeyInit, Mac};
use kehilla_db::users::User;
use kehilla_db::{Db, now_ms, orgs, random_hex, sessions, two_factor as store, users};
use kehilla_domain::Role;
use kehilla_domain::validate::InputError;

use crate::accounts::{NewSession, verify_password};
use crate::audit::{self, Actor};
use crate::members::OrgMember;
use crate::secrets::Sealer;
use crate::{AppError, Result, token_hash};

/// Seconds per time step.
pub const PERIOD: i64 = 30;
/// Recovery codes made at once.
pub const RECOVERY_CODES: usize = 10;
/// How long the second step of a login waits, and how many wrong codes it takes.
pub const CHALLENGE_MS: i64 = 10 * 60_000;
pub const CHALLENGE_TRIES: i64 = 5;

/// The six-digit code of `secret` at time step `step` (RFC 4226's HOTP with dynamic truncation).
pub fn code_at(secret: &[u8], step: i64) -> u32 {
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(secret) else {
        return u32::MAX;
    };
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h.last().copied().unwrap_or(0) & 0x0f);
    let word = h
        .get(offset..offset + 4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_be_bytes)
        .unwrap_or(u32::MAX);
    (word & 0x7fff_ffff) % 1_000_000
}

/// The time step a six-digit `code` belongs to, if it is the code of the step of `now_secs` or
/// of one step either side (clocks drift, people type slowly).
pub fn matching_step(secret: &[u8], code: &str, now_secs: i64) -> Option<i64> {
    let code = code.trim().replace([' ', '-'], "");
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let wanted: u32 = code.parse().ok()?;
    let now = now_secs.div_euclid(PERIOD);
    [now - 1, now, now + 1].into_iter().find(|s| {
        crate::secrets::constant_eq(
            &format!("{:06}", code_at(secret, *s)),
            &format!("{wanted:06}"),
        )
    })
}

/// The code an authenticator app shows for a key typed as the setup page shows it, at
/// `now_secs` — what a test (or a member's script) computes.
pub fn code_for_key(key: &str, now_secs: i64) -> Option<String> {
    let b32: String = key.chars().filter(|c| !c.is_whitespace()).collect();
    let secret = BASE32_NOPAD
        .decode(b32.to_ascii_uppercase().as_bytes())
        .ok()?;
    Some(format!(
        "{:06}",
        code_at(&secret, now_secs.div_euclid(PERIOD))
    ))
}

/// Who an organization asks to use two-factor login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    None,
    Admins,
    Everyone,
}

impl Requirement {
    pub const ALL: [Requirement; 3] = [
        Requirement::None,
        Requirement::Admins,
        Requirement::Everyone,
    ];

    pub fn parse(s: &str) -> Option<Requirement> {
        match s {
            "none" => Some(Requirement::None),
            "admins" => Some(Requirement::Admins),
            "everyone" => Some(Requirement::Everyone),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::None => "none",
            Requirement::Admins => "admins",
            Requirement::Everyone => "everyone",
        }
    }

    /// Whether a member with `role` falls under it.
    pub fn covers(self, role: Role) -> bool {
        match self {
            Requirement::None => false,
            Requirement::Admins => matches!(role, Role::Owner | Role::Admin),
            Requirement::Everyone => true,
        }
    }
}

/// Whether this member must turn two-factor login on before working in the organization.
pub fn must_enroll(m: &OrgMember) -> bool {
    m.user.totp_enabled_at.is_none()
        && Requirement::parse(&m.org.two_factor_required).is_some_and(|r| r.covers(m.role))
}

/// A secret being set up, as the member's app takes it.
pub struct Enrollment {
    /// Base32, in groups of four for typing.
    pub secret: String,
    /// The `otpauth://` address the QR code holds.
    pub uri: String,
    /// The QR code, as an SVG element.
    pub qr_svg: String,
}

/// The account's state, for its page.
pub struct Status {
    pub enabled: bool,
    pub codes_left: i64,
    /// The organizations that ask this member for two-factor login.
    pub required_by: Vec<String>,
}

pub async fn status(db: &Db, user: &User) -> Result<Status> {
    let required_by = store::requirements_of_user(&db.pool, user.id)
        .await?
        .into_iter()
        .filter(|(_, req, role)| {
            matches!(
                (Requirement::parse(req), Role::parse(role)),
                (Some(q), Some(r)) if q.covers(r)
            )
        })
        .map(|(name, _, _)| name)
        .collect();
    Ok(Status {
        enabled: user.totp_enabled_at.is_some(),
        codes_left: store::recovery_codes_left(&db.pool, user.id).await?,
        required_by,
    })
}

fn enrollment(secret: &[u8], user: &User, issuer: &str) -> Enrollment {
    let b32 = BASE32_NOPAD.encode(secret);
    let grouped = b32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let uri = format!(
        "otpauth://totp/{}:{}?secret={b32}&issuer={}&algorithm=SHA1&digits=6&period={PERIOD}",
        enc(issuer),
        enc(&user.email),
        enc(issuer),
    );
    let qr_svg = qrcode::QrCode::new(uri.as_bytes())
        .map(|q| {
            q.render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default();
    // The renderer starts with an XML declaration, which has no place inside HTML.
    let qr_svg = match qr_svg.split_once("<svg") {
        Some((_, rest)) => format!("<svg{rest}"),
        None => qr_svg,
    };
    Enrollment {
        secret: grouped,
        uri,
        qr_svg,
    }
}

fn open_secret(sealer: &Sealer, sealed: &str) -> Result<Vec<u8>> {
    let b32 = sealer.open(sealed)?;
    BASE32_NOPAD
        .decode(b32.as_bytes())
        .map_err(|e| AppError::Internal(format!("two-factor secret: {e}")))
}

/// Starts setting up, with the account's password (a stolen session alone must not bind the
/// account to someone else's app): a new secret, kept sealed until a code from it proves the
/// app has it.
pub async fn begin(
    db: &Db,
    sealer: &Sealer,
    user: &User,
    password: &str,
    issuer: &str,
) -> Result<Enrollment> {
    check_password(db, user, password).await?;
    let mut secret = [0u8; 20];
    getrandom::fill(&mut secret).map_err(|e| AppError::Internal(e.to_string()))?;
    let sealed = sealer.seal(&BASE32_NOPAD.encode(&secret))?;
    if !store::set_pending(&db.pool, user.id, &sealed).await? {
        return Err(AppError::Conflict("two-factor-on"));
    }
    Ok(enrollment(&secret, user, issuer))
}

/// The secret being set up, shown again after a wrong code.
pub async fn pending(
    db: &Db,
    sealer: &Sealer,
    user: &User,
    issuer: &str,
) -> Result<Option<Enrollment>> {
    let (sealed, enabled) = store::secret(&db.pool, user.id).await?;
    if enabled || sealed.is_empty() {
        return Ok(None);
    }
    Ok(Some(enrollment(
        &open_secret(sealer, &sealed)?,
        user,
        issuer,
    )))
}

async fn check_password(db: &Db, user: &User, password: &str) -> Result<()> {
    let stored = users::by_id(&db.pool, user.id).await?;
    if verify_password(password, &stored.password_hash).await {
        Ok(())
    } else {
        Err(AppError::Input {
            field: "current_password",
            error: InputError::InvalidValue,
        })
    }
}

fn bad_code() -> AppError {
    AppError::Input {
        field: "code",
        error: InputError::WrongCode,
    }
}

/// What a code given at login or on the account page turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    Totp,
    Recovery,
    Wrong,
}

/// Checks a six-digit code, or (when `recovery` is allowed) one of the recovery codes, and uses
/// it up.
async fn check(
    db: &Db,
    sealer: &Sealer,
    user_id: i64,
    code: &str,
    recovery: bool,
) -> Result<Checked> {
    let (sealed, _) = store::secret(&db.pool, user_id).await?;
    if sealed.is_empty() {
        return Ok(Checked::Wrong);
    }
    let secret = open_secret(sealer, &sealed)?;
    if let Some(step) = matching_step(&secret, code, now_ms() / 1000) {
        return Ok(if store::take_step(&db.pool, user_id, step).await? {
            Checked::Totp
        } else {
            Checked::Wrong
        });
    }
    if recovery {
        let normalized = normalize_recovery(code);
        if !normalized.is_empty()
            && store::use_recovery_code(&db.pool, user_id, &recovery_hash(user_id, &normalized))
                .await?
        {
            return Ok(Checked::Recovery);
        }
    }
    Ok(Checked::Wrong)
}

/// A recovery code's stored hash, bound to its account: one pass over every possible code
/// does not open every account's codes at once.
fn recovery_hash(user_id: i64, normalized: &str) -> String {
    token_hash(&format!("kehilla-recovery:{user_id}:{normalized}"))
}

/// Recovery codes are read case-blind and with or without their dash.
fn normalize_recovery(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Ten new recovery codes (`xxxxx-xxxxx`, 50 random bits each); only their hashes are kept.
async fn new_recovery_codes(db: &Db, user_id: i64) -> Result<Vec<String>> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; 10];
        getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
        let chars: String = bytes
            .iter()
            .map(|b| char::from(ALPHABET.get(usize::from(b % 32)).copied().unwrap_or(b'a')))
            .collect();
        let (a, b) = chars.split_at(5);
        codes.push(format!("{a}-{b}"));
    }
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| recovery_hash(user_id, &normalize_recovery(c)))
        .collect();
    let mut tx = db.begin().await?;
    store::replace_recovery_codes(&mut tx, user_id, &hashes).await?;
    tx.commit().await?;
    Ok(codes)
}

async fn record_everywhere(db: &Db, user: &User, actor: &Actor, action: &str) -> Result<()> {
    for o in orgs::of_user(&db.pool, user.id).await? {
        audit::record(&db.pool, Some(o.id), actor, action, &user.email).await?;
    }
    Ok(())
}

/// Finishes setting up with a code from the app: two-factor login is on, and the recovery codes
/// (shown once) are returned. Other sessions of the account end.
pub async fn confirm(
    db: &Db,
    sealer: &Sealer,
    user: &User,
    current_token: &str,
    code: &str,
    actor: &Actor,
) -> Result<Vec<String>> {
    let (sealed, enabled) = store::secret(&db.pool, user.id).await?;
    if enabled {
        return Err(AppError::Conflict("two-factor-on"));
    }
    if sealed.is_empty() {
        return Err(AppError::Conflict("two-factor-not-started"));
    }
    if check(db, sealer, user.id, code, false).await? != Checked::Totp {
        return Err(bad_code());
    }
    if !store::enable(&db.pool, user.id).await? {
        return Err(AppError::Conflict("two-factor-on"));
    }
    let codes = new_recovery_codes(db, user.id).await?;
    sessions::delete_others(&db.pool, user.id, &token_hash(current_token)).await?;
    record_everywhere(db, user, actor, audit::TWO_FACTOR_ENABLED).await?;
    Ok(codes)
}

/// New recovery codes (the old ones stop working), with a current code from the app.
pub async fn renew_recovery_codes(
    db: &Db,
    sealer: &Sealer,
    user: &User,
    code: &str,
    actor: &Actor,
) -> Result<Vec<String>> {
    if user.totp_enabled_at.is_none() {
        return Err(AppError::Conflict("two-factor-off"));
    }
    if check(db, sealer, user.id, code, false).await? != Checked::Totp {
        return Err(bad_code());
    }
    let codes = new_recovery_codes(db, user.id).await?;
    record_everywhere(db, user, actor, audit::RECOVERY_CODES_RENEWED).await?;
    Ok(codes)
}

/// Turns two-factor login off, with the password and a code (or a recovery code). Refused
/// while an organization of the member asks for it.
pub async fn disable(
    db: &Db,
    sealer: &Sealer,
    user: &User,
    password: &str,
    code: &str,
    actor: &Actor,
) -> Result<()> {
    if user.totp_enabled_at.is_none() {
        return Err(AppError::Conflict("two-factor-off"));
    }
    if !status(db, user).await?.required_by.is_empty() {
        return Err(AppError::Conflict("two-factor-required-by-org"));
    }
    check_password(db, user, password).await?;
    if check(db, sealer, user.id, code, true).await? == Checked::Wrong {
        return Err(bad_code());
    }
    let mut tx = db.begin().await?;
    store::disable(&mut *tx, user.id).await?;
    store::delete_recovery_codes(&mut *tx, user.id).await?;
    tx.commit().await?;
    record_everywhere(db, user, actor, audit::TWO_FACTOR_DISABLED).await?;
    Ok(())
}

/// Opens the second step of a login whose password was right: the token goes into a
/// short-lived cookie, its hash into the database.
pub async fn open_challenge(db: &Db, user: &User) -> Result<String> {
    let token = random_hex(32);
    store::create_challenge(
        &db.pool,
        &token_hash(&token),
        user.id,
        now_ms() + CHALLENGE_MS,
    )
    .await?;
    Ok(token)
}

/// Whether a second step is still open (the page asks for the code only then).
pub async fn challenge_open(db: &Db, token: &str) -> Result<bool> {
    Ok(store::challenge(&db.pool, &token_hash(token))
        .await?
        .is_some_and(|(_, tries)| tries < CHALLENGE_TRIES))
}

/// The second step: a code from the app or a recovery code makes the session. Wrong codes
/// are counted; after five, or ten minutes, the login starts over.
pub async fn complete_login(
    db: &Db,
    sealer: &Sealer,
    challenge: &str,
    code: &str,
    session_days: u32,
    user_agent: &str,
    ip: &str,
) -> Result<NewSession> {
    let th = token_hash(challenge);
    let Some((user_id, _)) = store::challenge(&db.pool, &th).await? else {
        return Err(AppError::LoginExpired);
    };
    if !store::take_try(&db.pool, &th, CHALLENGE_TRIES).await? {
        store::end_challenge(&db.pool, &th).await?;
        return Err(AppError::LoginExpired);
    }
    let user = users::by_id(&db.pool, user_id).await?;
    let actor = Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        ip: ip.to_string(),
    };
    let checked = check(db, sealer, user.id, code, true).await?;
    if checked == Checked::Wrong {
        record_everywhere(db, &user, &actor, audit::LOGIN_FAILED).await?;
        return Err(bad_code());
    }
    let token = random_hex(32);
    let mut tx = db.begin().await?;
    if !store::end_challenge(&mut *tx, &th).await? {
        return Err(AppError::LoginExpired);
    }
    sessions::create(
        &mut *tx,
        &token_hash(&token),
        user.id,
        now_ms() + i64::from(session_days) * 86_400_000,
        user_agent,
        ip,
    )
    .await?;
    for o in orgs::of_user(&mut *tx, user.id).await? {
        audit::record(&mut *tx, Some(o.id), &actor, audit::LOGIN, &user.email).await?;
        if checked == Checked::Recovery {
            audit::record(
                &mut *tx,
                Some(o.id),
                &actor,
                audit::RECOVERY_CODE_USED,
                &user.email,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(NewSession { token, user })
}

/// Sets who in the organization must use two-factor login. An admin who asks it of themself
/// must have it on first, so that nobody locks themself out by accident.
pub async fn set_requirement(
    db: &Db,
    by: &OrgMember,
    requirement: &str,
    actor: &Actor,
) -> Result<()> {
    let r = Requirement::parse(requirement).ok_or(AppError::Input {
        field: "two_factor_required",
        error: InputError::InvalidValue,
    })?;
    if r.covers(by.role) && by.user.totp_enabled_at.is_none() {
        return Err(AppError::Conflict("two-factor-yourself-first"));
    }
    let mut tx = db.begin().await?;
    store::set_org_requirement(&mut *tx, by.org.id, r.as_str()).await?;
    audit::record(
        &mut *tx,
        Some(by.org.id),
        actor,
        audit::TWO_FACTOR_POLICY,
        r.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 seed and times, the low six of the eight digits.
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let seed = b"12345678901234567890";
        for (t, code) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (1_111_111_111, 50_471),
            (1_234_567_890, 5_924),
            (2_000_000_000, 279_037),
            (20_000_000_000, 353_130),
        ] {
            assert_eq!(code_at(seed, t / PERIOD), code, "t={t}");
        }
    }

    #[test]
    fn a_code_matches_its_step_and_the_ones_beside_it_only() {
        let seed = b"12345678901234567890";
        let now = 1_111_111_111;
        let step = now / PERIOD;
        let code = format!("{:06}", code_at(seed, step));
        assert_eq!(matching_step(seed, &code, now), Some(step));
        assert_eq!(matching_step(seed, &code, now + PERIOD), Some(step));
        assert_eq!(matching_step(seed, &code, now - PERIOD), Some(step));
        assert_eq!(matching_step(seed, &code, now + 2 * PERIOD), None);
        let (a, b) = code.split_at(3);
        let spaced = format!("{a} {b}");
        assert_eq!(matching_step(seed, &spaced, now), Some(step));
        for bad in ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"] {
            assert_eq!(matching_step(seed, bad, now), None, "{bad}");
        }
    }

    #[test]
    fn requirements_cover_the_roles_they_name() {
        assert!(!Requirement::None.covers(Role::Owner));
        assert!(Requirement::Admins.covers(Role::Owner));
        assert!(Requirement::Admins.covers(Role::Admin));
        assert!(!Requirement::Admins.covers(Role::Editor));
        assert!(Requirement::Everyone.covers(Role::Viewer));
        for r in Requirement::ALL {
            assert_eq!(Requirement::parse(r.as_str()), Some(r));
        }
        assert_eq!(Requirement::parse("all"), None);
    }

    #[test]
    fn recovery_codes_read_case_blind_and_without_the_dash() {
        assert_eq!(normalize_recovery(" ABcde-fgh23 "), "abcdefgh23");
        assert_eq!(normalize_recovery("--"), "");
    }
}
