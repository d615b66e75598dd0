//! Signing in to a network from Kehilla (OAuth 2 authorization code, with PKCE where the network
//! takes it), so that nobody copies tokens by hand. Every network comes back to one address,
//! `{base_url}/oauth/callback`, with a one-use `state` that names the sign-in.
//!
//! - **Mastodon**: Kehilla registers itself on each server once (`POST /api/v1/apps`); PKCE.
//! - **X**: the instance's app (`oauth_apps.x`); PKCE; a 2-hour token and a refresh token
//!   (`offline.access`), renewed before it expires.
//! - **LinkedIn**: the instance's app; a 60-day token (renewed when LinkedIn gives the app refresh
//!   tokens); the page is the organization the member administers (its URN in the channel's
//!   handle when there are several).
//! - **Facebook**: the instance's Meta app; PKCE; the short-lived user token is exchanged for a
//!   long-lived one, and the Page's token taken from `/me/accounts` (it does not expire).
//! - **Instagram** and **Threads**: their apps; the code gives a 1-hour token, exchanged for a
//!   60-day one that renews itself before it expires.
//!
//! The token is then checked and kept as with a token form ([`super::connect`]).

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
use crate::{AppError, Result, Settings, token_hash};

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

/// A network that signs in with the instance's app.
pub struct Provider {
    pub network: &'static str,
    authorize: &'static str,
    token: &'static str,
    /// The API address kept with the connection.
    api: &'static str,
    scopes: &'static str,
    pkce: bool,
}

pub const PROVIDERS: [Provider; 5] = [
    Provider {
        network: "x",
        authorize: "https://x.com/i/oauth2/authorize",
        token: "https://api.x.com/2/oauth2/token",
        api: "https://api.x.com",
        scopes: "tweet.read tweet.write users.read media.write offline.access",
        pkce: true,
    },
    Provider {
        network: "linkedin",
        authorize: "https://www.linkedin.com/oauth/v2/authorization",
        token: "https://www.linkedin.com/oauth/v2/accessToken",
        api: "https://api.linkedin.com",
        scopes: "w_organization_social r_organization_social rw_organization_admin",
        pkce: false,
    },
    Provider {
        network: "facebook",
        authorize: "https://www.facebook.com/v23.0/dialog/oauth",
        token: "https://graph.facebook.com/v23.0/oauth/access_token",
        api: "https://graph.facebook.com/v23.0",
        scopes: "pages_show_list,pages_manage_posts,pages_read_engagement,pages_manage_engagement,pages_manage_metadata,read_insights",
        pkce: true,
    },
    Provider {
        network: "instagram",
        authorize: "https://www.instagram.com/oauth/authorize",
        token: "https://api.instagram.com/oauth/access_token",
        api: "https://graph.instagram.com",
        scopes: "instagram_business_basic,instagram_business_content_publish,instagram_business_manage_comments,instagram_business_manage_insights",
        pkce: false,
    },
    Provider {
        network: "threads",
        authorize: "https://threads.net/oauth/authorize",
        token: "https://graph.threads.net/oauth/access_token",
        api: "https://graph.threads.net/v1.0",
        scopes: "threads_basic,threads_content_publish,threads_read_replies,threads_manage_replies,threads_manage_insights",
        pkce: false,
    },
];

impl Provider {
    pub(crate) fn token_url(&self) -> &'static str {
        self.token
    }
}

pub fn provider(network: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.network == network)
}

/// Whether a channel of this network can sign in from Kehilla on this instance.
pub fn can_sign_in(settings: &Settings, network: &str) -> bool {
    network == "mastodon" || app(settings, network).is_ok()
}

/// The instance's app for a network: (client id, secret, the test address that replaces the
/// network's hosts).
pub(crate) fn app<'s>(
    settings: &'s Settings,
    network: &str,
) -> Result<(&'s str, &'s str, Option<&'s str>)> {
    match settings.oauth_apps.get(network) {
        Some(a) if !a.client_id.trim().is_empty() && !a.client_secret.expose().is_empty() => Ok((
            a.client_id.trim(),
            a.client_secret.expose(),
            a.base_url.as_deref().filter(|b| !b.trim().is_empty()),
        )),
        _ => Err(AppError::Conflict("oauth-app-missing")),
    }
}

/// A network's address, moved to `base` (tests) when there is one: the path and query stay.
pub(crate) fn at(url: &str, base: Option<&str>) -> String {
    match (base, reqwest::Url::parse(url)) {
        (Some(b), Ok(u)) => {
            // A bare host ("https://api.x.com") has the path "/": no trailing slash is added.
            let path = if u.path() == "/" && !url.ends_with('/') {
                ""
            } else {
                u.path()
            };
            let mut out = format!("{}{path}", b.trim_end_matches('/'));
            if let Some(q) = u.query() {
                out.push('?');
                out.push_str(q);
            }
            out
        }
        _ => url.to_string(),
    }
}

/// Starts signing in a channel: returns the address to send the admin to. `server_url` is the
/// Mastodon server (other networks have theirs).
pub async fn start(
    db: &Db,
    sealer: &Sealer,
    by: &OrgMember,
    channel_public_id: &str,
    server_url: &str,
    settings: &Settings,
) -> Result<String> {
    let (base_url, allow_private) = (settings.base_url(), settings.fetch_private);
    let ch = studio::channel(&db.pool, by.org.id, channel_public_id).await?;
    let state = random_hex(16);
    let verifier = random_hex(32);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let (authorize, client_id, scopes, pkce, server) = if ch.network == "mastodon" {
        let server = server_url.trim().trim_end_matches('/').to_string();
        if !posts_is_web_address(&server) {
            return Err(AppError::Input {
                field: "server_url",
                error: kehilla_domain::validate::InputError::InvalidValue,
            });
        }
        super::check_server(&server, allow_private)?;
        let (client_id, _) = mastodon_app(db, sealer, &server, &base_url, allow_private).await?;
        (
            format!("{server}/oauth/authorize"),
            client_id,
            MASTODON_SCOPES,
            true,
            server,
        )
    } else {
        let Some(p) = provider(&ch.network) else {
            return Err(AppError::Conflict("network-not-supported"));
        };
        let (client_id, _, base) = app(settings, &ch.network)?;
        (
            at(p.authorize, base),
            client_id.to_string(),
            p.scopes,
            p.pkce,
            at(p.api, base),
        )
    };
    db::save_oauth_state(
        &db.pool,
        &token_hash(&state),
        &OauthState {
            organization_id: by.org.id,
            channel_id: ch.id,
            user_id: by.user.id,
            server_url: server,
            verifier_sealed: sealer.seal(&verifier)?,
            expires_at: now_ms() + STATE_MINUTES * 60_000,
        },
    )
    .await?;
    let redirect = redirect_uri(&base_url);
    let mut q = vec![
        ("response_type", "code"),
        ("client_id", client_id.as_str()),
        ("redirect_uri", redirect.as_str()),
        ("scope", scopes),
        ("state", state.as_str()),
    ];
    if pkce {
        q.push(("code_challenge", challenge.as_str()));
        q.push(("code_challenge_method", "S256"));
    }
    let q = serde_urlencoded::to_string(q).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(format!("{authorize}?{q}"))
}

/// What a network's token endpoint gave.
pub(crate) struct Tokens {
    pub access: String,
    pub refresh: String,
    pub expires_at: Option<i64>,
}

/// Reads a token answer: `access_token`, `refresh_token`, `expires_in` (flat, or in `data[0]`
/// as Instagram's answers are).
pub(crate) async fn tokens(r: reqwest::Response) -> std::result::Result<Tokens, String> {
    let status = r.status().as_u16();
    let v: Value = r
        .json()
        .await
        .map_err(|_| format!("the answer ({status}) was not JSON"))?;
    let v = v.pointer("/data/0").cloned().unwrap_or(v);
    let Some(access) = v.get("access_token").and_then(Value::as_str) else {
        let why = v
            .get("error_description")
            .or_else(|| v.pointer("/error/message"))
            .or_else(|| v.get("error_message"))
            .or_else(|| v.get("error"))
            .and_then(Value::as_str)
            .unwrap_or("no access token");
        return Err(why.to_string());
    };
    Ok(Tokens {
        access: access.to_string(),
        refresh: v
            .get("refresh_token")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        expires_at: v
            .get("expires_in")
            .and_then(Value::as_i64)
            .map(|s| now_ms() + s * 1000),
    })
}

/// Exchanges the code with a network that signs in with the instance's app; returns the
/// credentials to connect with (the account chosen where the network has several).
async fn exchange(
    settings: &Settings,
    network: &str,
    server: &str,
    code: &str,
    verifier: &str,
    handle: &str,
) -> Result<(Tokens, String)> {
    let (client_id, secret, base) = app(settings, network)?;
    let Some(p) = provider(network) else {
        return Err(AppError::Conflict("network-not-supported"));
    };
    let http = client(settings.fetch_private)?;
    let redirect = redirect_uri(&settings.base_url());
    let token_url = at(p.token, base);
    let send = |rb: reqwest::RequestBuilder| async move {
        rb.send()
            .await
            .map_err(|_| refused("token endpoint unreachable"))
    };
    let read = |r| async move {
        tokens(r).await.map_err(|why| {
            tracing::info!(network, why, "the code was refused");
            AppError::Conflict("connection-refused")
        })
    };
    match network {
        "x" => {
            let r = send(
                http.post(&token_url)
                    .basic_auth(client_id, Some(secret))
                    .form(&[
                        ("grant_type", "authorization_code"),
                        ("code", code),
                        ("redirect_uri", redirect.as_str()),
                        ("code_verifier", verifier),
                        ("client_id", client_id),
                    ]),
            )
            .await?;
            Ok((read(r).await?, String::new()))
        }
        "linkedin" => {
            let r = send(http.post(&token_url).form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect.as_str()),
                ("client_id", client_id),
                ("client_secret", secret),
            ]))
            .await?;
            let t = read(r).await?;
            let url = format!("{server}/rest/organizationAcls?q=roleAssignee&state=APPROVED");
            let v: Value = send(
                http.get(url)
                    .bearer_auth(&t.access)
                    .header("LinkedIn-Version", super::linkedin::VERSION)
                    .header("X-Restli-Protocol-Version", "2.0.0"),
            )
            .await?
            .json()
            .await
            .map_err(|_| refused("organization list"))?;
            let pages: Vec<(String, String)> = v
                .get("elements")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("organization").and_then(Value::as_str))
                .map(|o| (o.to_string(), o.to_string()))
                .collect();
            let page = choose(&pages, handle)?;
            Ok((t, page))
        }
        "facebook" => {
            let r = send(http.get(&token_url).query_pairs(&[
                ("client_id", client_id),
                ("redirect_uri", redirect.as_str()),
                ("client_secret", secret),
                ("code", code),
                ("code_verifier", verifier),
            ])?)
            .await?;
            let short = read(r).await?;
            let r = send(http.get(&token_url).query_pairs(&[
                ("grant_type", "fb_exchange_token"),
                ("client_id", client_id),
                ("client_secret", secret),
                ("fb_exchange_token", short.access.as_str()),
            ])?)
            .await?;
            let long = read(r).await?;
            let v: Value = send(
                http.get(format!("{server}/me/accounts?fields=id,name,access_token"))
                    .bearer_auth(&long.access),
            )
            .await?
            .json()
            .await
            .map_err(|_| refused("page list"))?;
            let list: Vec<&Value> = v
                .get("data")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .collect();
            let pages: Vec<(String, String)> = list
                .iter()
                .filter_map(|p| {
                    Some((
                        p.get("id")?.as_str()?.to_string(),
                        p.get("name")?.as_str()?.to_string(),
                    ))
                })
                .collect();
            let page = choose(&pages, handle)?;
            let token = list
                .iter()
                .find(|p| p.get("id").and_then(Value::as_str) == Some(page.as_str()))
                .and_then(|p| p.get("access_token").and_then(Value::as_str))
                .ok_or_else(|| refused("no page token"))?;
            // A Page token from a long-lived user token does not expire.
            let t = Tokens {
                access: token.to_string(),
                refresh: String::new(),
                expires_at: None,
            };
            Ok((t, page))
        }
        "instagram" | "threads" => {
            let r = send(http.post(&token_url).form(&[
                ("client_id", client_id),
                ("client_secret", secret),
                ("grant_type", "authorization_code"),
                ("redirect_uri", redirect.as_str()),
                ("code", code),
            ]))
            .await?;
            let short = read(r).await?;
            let (exchange_url, grant) = if network == "instagram" {
                (
                    "https://graph.instagram.com/access_token",
                    "ig_exchange_token",
                )
            } else {
                (
                    "https://graph.threads.net/access_token",
                    "th_exchange_token",
                )
            };
            let r = send(http.get(at(exchange_url, base)).query_pairs(&[
                ("grant_type", grant),
                ("client_secret", secret),
                ("access_token", short.access.as_str()),
            ])?)
            .await?;
            let long = read(r).await?;
            // The long-lived token renews itself.
            let t = Tokens {
                refresh: long.access.clone(),
                ..long
            };
            Ok((t, String::new()))
        }
        _ => Err(AppError::Conflict("network-not-supported")),
    }
}

/// The account to connect among those the sign-in allows: the one the channel's handle names
/// (by id or name), or the only one.
fn choose(accounts: &[(String, String)], handle: &str) -> Result<String> {
    let h = handle.trim().trim_start_matches('@');
    if !h.is_empty()
        && let Some((id, _)) = accounts
            .iter()
            .find(|(id, name)| id == h || name.eq_ignore_ascii_case(h))
    {
        return Ok(id.clone());
    }
    match accounts {
        [] => Err(AppError::Conflict("no-page")),
        [(id, _)] => Ok(id.clone()),
        _ => Err(AppError::Conflict("choose-page")),
    }
}

/// Adds query pairs to a request (the HTTP client is built without its `query` feature).
trait QueryPairs: Sized {
    fn query_pairs(self, pairs: &[(&str, &str)]) -> Result<Self>;
}

impl QueryPairs for reqwest::RequestBuilder {
    fn query_pairs(self, pairs: &[(&str, &str)]) -> Result<Self> {
        let (client, req) = self.build_split();
        let mut req = req.map_err(|e| AppError::Internal(e.to_string()))?;
        req.url_mut().query_pairs_mut().extend_pairs(pairs);
        Ok(reqwest::RequestBuilder::from_parts(client, req))
    }
}

/// Finishes a sign-in: the network came back with `code` (or an error) for `state`. Returns
/// the organization's slug, for the way back to its channels.
pub async fn finish(
    db: &Db,
    sealer: &Sealer,
    user: &User,
    state: &str,
    code: Option<&str>,
    settings: &Settings,
) -> Result<String> {
    let (base_url, allow_private) = (settings.base_url(), settings.fetch_private);
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
    let ch = studio::channels(&db.pool, org.id)
        .await?
        .into_iter()
        .find(|c| c.id == s.channel_id)
        .ok_or(AppError::NotFound)?;
    let verifier = sealer.open(&s.verifier_sealed)?;
    if ch.network != "mastodon" {
        let (t, account) = exchange(
            settings,
            &ch.network,
            &s.server_url,
            code,
            &verifier,
            &ch.handle,
        )
        .await?;
        let creds = super::Credentials {
            server_url: &s.server_url,
            token: &t.access,
            account: &account,
            refresh: &t.refresh,
            expires_at: t.expires_at,
        };
        super::connect(db, sealer, &by, &ch.public_id, creds, allow_private).await?;
        return Ok(org.slug);
    }
    let (client_id, secret) =
        mastodon_app(db, sealer, &s.server_url, &base_url, allow_private).await?;
    let r = client(allow_private)?
        .post(format!("{}/oauth/token", s.server_url))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", client_id.as_str()),
            ("client_secret", secret.as_str()),
            ("redirect_uri", redirect_uri(&base_url).as_str()),
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
    let creds = super::Credentials::token(&s.server_url, token, "");
    super::connect(db, sealer, &by, &ch.public_id, creds, allow_private).await?;
    Ok(org.slug)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_test_address_replaces_the_host_and_keeps_the_path() {
        let b = Some("http://127.0.0.1:9");
        assert_eq!(super::at("https://api.x.com", b), "http://127.0.0.1:9");
        assert_eq!(
            super::at("https://graph.threads.net/v1.0", b),
            "http://127.0.0.1:9/v1.0"
        );
        assert_eq!(
            super::at("https://x.com/i/oauth2/authorize?a=1", b),
            "http://127.0.0.1:9/i/oauth2/authorize?a=1"
        );
        assert_eq!(super::at("https://api.x.com", None), "https://api.x.com");
    }
}
