//! Signing in to a network from Kehilla (OAuth 2 authorization code with PKCE), so that nobody
//! copies tokens by hand. Mastodon first: Kehilla registers itself on each server once
//! (`POST /api/v1/apps`), sends the admin to the server's `/oauth/authorize` with a one-use state
//! and an S256 challenge, and on the way back (`/oauth/callback`) exchanges the code with the
//! verifier (`POST /oauth/token`), then connects the channel as with a token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kehilla_db::publishing::{self as db, OauthState};
use kehilla_db::studio;
use kehilla_db::users::User;
use kehilla_db::{Db, now_ms, random_hex};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::posts_is_web_address;
use crate::members::{self, OrgMember};
use crate::secrets::Sealer;
use crate::{AppError, Result, token_hash};

/// Scopes Kehilla asks a Mastodon server for.
pub const MASTODON_SCOPES: &str = "read write:statuses write:media";
/// Minutes a sign-in may take.
const STATE_MINUTES: i64 = 15;

fn redirect_uri(base_url: &str) -> String {
    format!("{}/oauth/callback", base_url.trim_end_matches('/'))
}

fn client(allow_private: bool) -> Result<reqwest::Client> {
    super::http(allow_private, 20).ok_or_else(|| AppError::Internal("no HTTP client".into()))
}

fn refused(what: &str) -> AppError {
    tracing::info!(what, "sign-in with the network failed");
    AppError::Conflict("connection-refused")
}

/// Kehilla's app on a Mastodon server, registered the first time: (client id, secret).
async fn mastodon_app(
    db: &Db,
    sealer: &Sealer,
    server: &str,
    base_url: &str,
    allow_private: bool,
) -> Result<(String, String)> {
    if let Some((id, sealed)) = db::oauth_app(&db.pool, server).await? {
        return Ok((id, sealer.open(&sealed)?));
    }
    let r = client(allow_private)?
        .post(format!("{server}/api/v1/apps"))
        .form(&[
            ("client_name", "Kehilla"),
            ("redirect_uris", redirect_uri(base_url).as_str()),
            ("scopes", MASTODON_SCOPES),
            ("website", base_url),
        ])
        .send()
        .await
        .map_err(|_| refused("app registration unreachable"))?;
    let v: Value = r
        .json()
        .await
        .map_err(|_| refused("app registration answer"))?;
    let (Some(id), Some(secret)) = (
        v.get("client_id").and_then(Value::as_str),
        v.get("client_secret").and_then(Value::as_str),
    ) else {
        return Err(refused("app registration refused"));
    };
    db::save_oauth_app(&db.pool, server, id, &sealer.seal(secret)?).await?;
    // Another server of the cluster may have registered first: use the one kept.
    match db::oauth_app(&db.pool, server).await? {
        Some((id, sealed)) => Ok((id, sealer.open(&sealed)?)),
        None => Err(refused("app not kept")),
    }
}

/// Starts signing in a Mastodon channel: returns the address to send the admin to.
pub async fn start(
    db: &Db,
    sealer: &Sealer,
    by: &OrgMember,
    channel_public_id: &str,
    server_url: &str,
    base_url: &str,
    allow_private: bool,
) -> Result<String> {
    let ch = studio::channel(&db.pool, by.org.id, channel_public_id).await?;
    if ch.network != "mastodon" {
        return Err(AppError::Conflict("network-not-supported"));
    }
    let server = server_url.trim().trim_end_matches('/').to_string();
    if !posts_is_web_address(&server) {
        return Err(AppError::Input {
            field: "server_url",
            error: kehilla_domain::validate::InputError::InvalidValue,
        });
    }
    super::check_server(&server, allow_private)?;
    let (client_id, _) = mastodon_app(db, sealer, &server, base_url, allow_private).await?;
    let state = random_hex(16);
    let verifier = random_hex(32);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    db::save_oauth_state(
        &db.pool,
        &token_hash(&state),
        &OauthState {
            organization_id: by.org.id,
            channel_id: ch.id,
            user_id: by.user.id,
            server_url: server.clone(),
            verifier_sealed: sealer.seal(&verifier)?,
            expires_at: now_ms() + STATE_MINUTES * 60_000,
        },
    )
    .await?;
    let q = serde_urlencoded::to_string([
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", redirect_uri(base_url).as_str()),
        ("scope", MASTODON_SCOPES),
        ("state", state.as_str()),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ])
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(format!("{server}/oauth/authorize?{q}"))
}

/// Finishes a sign-in: the network came back with `code` (or an error) for `state`. Returns
/// the organization's slug, for the way back to its channels.
pub async fn finish(
    db: &Db,
    sealer: &Sealer,
    user: &User,
    state: &str,
    code: Option<&str>,
    base_url: &str,
    allow_private: bool,
) -> Result<String> {
    let Some(s) = db::take_oauth_state(&db.pool, &token_hash(state)).await? else {
        return Err(AppError::Conflict("sign-in-expired"));
    };
    if s.user_id != user.id || s.expires_at < now_ms() {
        return Err(AppError::Conflict("sign-in-expired"));
    }
    let org = kehilla_db::orgs::by_id(&db.pool, s.organization_id).await?;
    let by = members::membership(db, user, &org.slug).await?;
    if by.role < kehilla_domain::Role::Admin {
        return Err(AppError::Forbidden);
    }
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        return Err(AppError::Conflict("sign-in-declined"));
    };
    super::check_server(&s.server_url, allow_private)?;
    let (client_id, secret) =
        mastodon_app(db, sealer, &s.server_url, base_url, allow_private).await?;
    let verifier = sealer.open(&s.verifier_sealed)?;
    let r = client(allow_private)?
        .post(format!("{}/oauth/token", s.server_url))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", client_id.as_str()),
            ("client_secret", secret.as_str()),
            ("redirect_uri", redirect_uri(base_url).as_str()),
            ("code_verifier", verifier.as_str()),
            ("scope", MASTODON_SCOPES),
        ])
        .send()
        .await
        .map_err(|_| refused("token endpoint unreachable"))?;
    let v: Value = r.json().await.map_err(|_| refused("token answer"))?;
    let token = v
        .get("access_token")
        .and_then(Value::as_str)
        .ok_or_else(|| refused("no access token"))?;
    let ch = studio::channels(&db.pool, org.id)
        .await?
        .into_iter()
        .find(|c| c.id == s.channel_id)
        .ok_or(AppError::NotFound)?;
    let creds = super::Credentials {
        server_url: &s.server_url,
        token,
        account: "",
    };
    super::connect(db, sealer, &by, &ch.public_id, creds, allow_private).await?;
    Ok(org.slug)
}
