//! First run, login and logout, language, password reset.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::accounts::{self, LoginOutcome, SetupInput};
use kehilla_app::secrets::Sealer;
use kehilla_app::two_factor;
use kehilla_db::orgs;
use kehilla_domain::validate::Lang;
use serde::Deserialize;

use super::{Chrome, render};
use crate::AppState;
use crate::ctx::{Ctx, LANG_COOKIE, SESSION_COOKIE, TWO_FACTOR_COOKIE, error_message};
use crate::error::WebResult;

/// `/`: setup on an empty instance, the last organization when signed in, else login.
pub async fn home(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> WebResult<Response> {
    if accounts::needs_setup(&st.db).await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    Ok(Redirect::to(&landing(&st, &ctx).await?).into_response())
}

async fn landing(st: &AppState, ctx: &Ctx) -> WebResult<String> {
    let Some(user) = &ctx.user else {
        return Ok("/login".into());
    };
    if let Some(id) = user.last_org_id {
        let mine = orgs::of_user(&st.db.pool, user.id).await?;
        if let Some(o) = mine.iter().find(|o| o.id == id) {
            return Ok(format!("/orgs/{}", o.slug));
        }
    }
    Ok("/orgs".into())
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    c: Chrome,
    error: Option<String>,
    f: SetupForm,
}

#[derive(Deserialize, Default)]
pub struct SetupForm {
    #[serde(default)]
    org_name: String,
    #[serde(default)]
    org_slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn setup_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> WebResult<Response> {
    if !accounts::needs_setup(&st.db).await? {
        return Ok(Redirect::to("/login").into_response());
    }
    let c = Chrome::new(&st, &ctx, None, "", "setup-title").await?;
    Ok(render(&SetupPage {
        c,
        error: None,
        f: SetupForm::default(),
    }))
}

pub async fn setup_submit(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(f): Form<SetupForm>,
) -> WebResult<Response> {
    let input = SetupInput {
        org_name: f.org_name.clone(),
        org_slug: f.org_slug.clone(),
        name: f.name.clone(),
        email: f.email.clone(),
        password: f.password.clone(),
        lang: ctx.lang,
    };
    match accounts::setup(&st.db, input).await {
        Ok((user, org)) => {
            let s = accounts::login(
                &st.db,
                &user.email,
                &f.password,
                st.settings.session_days,
                &ctx.user_agent,
                &ctx.ip,
            )
            .await?;
            Ok(signed_in(&st, &ctx, s, format!("/orgs/{}", org.slug)))
        }
        Err(AppError::AlreadySetUp) => Ok(Redirect::to("/login").into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let c = Chrome::new(&st, &ctx, None, "", "setup-title").await?;
            let error = Some(message(&ctx, &e));
            let f = SetupForm {
                password: String::new(),
                ..f
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&SetupPage { c, error, f }),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The translated message of an error, for showing it inside a form.
pub fn message(ctx: &Ctx, e: &AppError) -> String {
    error_message(ctx.lang, &crate::error::info_of(e))
}

pub fn set_cookie(r: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn session_secs(st: &AppState) -> i64 {
    i64::from(st.settings.session_days) * 86_400
}

/// The answer to a right password: the session cookie and the way on, or — when the account
/// has two-factor login on — the second step's cookie and its page.
pub fn signed_in(st: &AppState, ctx: &Ctx, outcome: LoginOutcome, to: String) -> Response {
    match outcome {
        LoginOutcome::Session(s) => {
            let mut r = Redirect::to(&to).into_response();
            set_cookie(
                &mut r,
                &ctx.cookie(SESSION_COOKIE, &s.token, Some(session_secs(st))),
            );
            r
        }
        LoginOutcome::SecondStep(token) => {
            let mut r = Redirect::to(&format!(
                "/login/two-factor?next={}",
                crate::routes::urlencode(&to)
            ))
            .into_response();
            set_cookie(
                &mut r,
                &ctx.cookie(
                    TWO_FACTOR_COOKIE,
                    &token,
                    Some(two_factor::CHALLENGE_MS / 1000),
                ),
            );
            r
        }
    }
}

/// Only local paths are followed after login, so a link cannot send people elsewhere.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .map(str::to_string)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    error: Option<String>,
    email: String,
    next: String,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
    done: Option<String>,
}

pub async fn login_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<LoginQuery>,
) -> WebResult<Response> {
    if accounts::needs_setup(&st.db).await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    if ctx.user.is_some() {
        let to = match safe_next(q.next.as_deref()) {
            Some(n) => n,
            None => landing(&st, &ctx).await?,
        };
        return Ok(Redirect::to(&to).into_response());
    }
    let c = Chrome::new(&st, &ctx, None, "", "login-title")
        .await?
        .with_notice(q.done.as_deref());
    let next = safe_next(q.next.as_deref()).unwrap_or_default();
    Ok(render(&LoginPage {
        c,
        error: None,
        email: String::new(),
        next,
    }))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login_submit(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(f): Form<LoginForm>,
) -> WebResult<Response> {
    let email_key = f.email.trim().to_lowercase();
    let limited = st
        .login_by_ip
        .check(&ctx.ip)
        .and_then(|_| st.login_by_email.check(&email_key));
    let result = match limited {
        Err(secs) => Err(AppError::RateLimited(secs)),
        Ok(()) => {
            accounts::login(
                &st.db,
                &f.email,
                &f.password,
                st.settings.session_days,
                &ctx.user_agent,
                &ctx.ip,
            )
            .await
        }
    };
    match result {
        Ok(outcome) => {
            // The account's limit is cleared only by a whole login: a right password alone
            // must not buy more tries at the second step.
            if matches!(outcome, LoginOutcome::Session(_)) {
                st.login_by_email.reset(&email_key);
            }
            let to = match (safe_next(Some(&f.next)), &outcome) {
                (Some(n), _) => n,
                (None, LoginOutcome::Session(s)) => {
                    let ctx = Ctx {
                        user: Some(s.user.clone()),
                        ..ctx.clone()
                    };
                    landing(&st, &ctx).await?
                }
                // Where to land is known once the second step is done.
                (None, LoginOutcome::SecondStep(_)) => String::new(),
            };
            Ok(signed_in(&st, &ctx, outcome, to))
        }
        Err(e @ (AppError::BadCredentials | AppError::RateLimited(_))) => {
            let status = crate::error::status_of(&e);
            let c = Chrome::new(&st, &ctx, None, "", "login-title").await?;
            let page = LoginPage {
                c,
                error: Some(message(&ctx, &e)),
                email: f.email.clone(),
                next: safe_next(Some(&f.next)).unwrap_or_default(),
            };
            let mut r = (status, render(&page)).into_response();
            if let AppError::RateLimited(secs) = e
                && let Ok(v) = HeaderValue::from_str(&secs.to_string())
            {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> WebResult<Response> {
    if let Some(token) = &ctx.session {
        accounts::logout(&st.db, token, ctx.user.as_ref(), &ctx.ip).await?;
    }
    let mut r = Redirect::to("/login?done=logged-out").into_response();
    set_cookie(&mut r, &ctx.cookie(SESSION_COOKIE, "", Some(0)));
    Ok(r)
}

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    next: String,
}

/// Switches the language; remembered on the account when signed in, in a cookie otherwise.
pub async fn set_lang(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    Form(f): Form<LangForm>,
) -> WebResult<Response> {
    let lang = Lang::parse(&f.lang).map_err(AppError::input("lang"))?;
    if let Some(u) = &ctx.user {
        accounts::set_language(&st.db, u, lang).await?;
    }
    let back = safe_next(Some(&f.next))
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(|r| r.split_once("://").map(|(_, rest)| rest.to_string()))
                .and_then(|rest| {
                    rest.find('/')
                        .map(|i| rest.chars().skip(i).collect::<String>())
                })
                .and_then(|p| safe_next(Some(&p)))
        })
        .unwrap_or_else(|| "/".into());
    let mut r = Redirect::to(&back).into_response();
    set_cookie(
        &mut r,
        &ctx.cookie(LANG_COOKIE, lang.code(), Some(365 * 86_400)),
    );
    Ok(r)
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    c: Chrome,
    sent: bool,
    logged_only: bool,
}

pub async fn forgot_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, None, "", "forgot-title").await?;
    Ok(render(&ForgotPage {
        c,
        sent: false,
        logged_only: !st.mailer.is_configured(),
    }))
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot_submit(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(f): Form<ForgotForm>,
) -> WebResult<Response> {
    st.login_by_ip
        .check(&ctx.ip)
        .map_err(AppError::RateLimited)?;
    accounts::request_password_reset(&st.db, &f.email, &ctx.ip).await?;
    if let Some(w) = &st.worker {
        w.wake();
    }
    let c = Chrome::new(&st, &ctx, None, "", "forgot-title").await?;
    Ok(render(&ForgotPage {
        c,
        sent: true,
        logged_only: !st.mailer.is_configured(),
    }))
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    c: Chrome,
    token: String,
    error: Option<String>,
}

pub async fn reset_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    if !accounts::reset_token_valid(&st.db, &token).await? {
        return Err(AppError::ResetInvalid.into());
    }
    let c = Chrome::new(&st, &ctx, None, "", "reset-title").await?;
    Ok(render(&ResetPage {
        c,
        token,
        error: None,
    }))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_submit(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(token): Path<String>,
    Form(f): Form<ResetForm>,
) -> WebResult<Response> {
    match accounts::reset_password(&st.db, &token, &f.password, &ctx.ip).await {
        Ok(_) => {
            let mut r = Redirect::to("/login?done=password-changed").into_response();
            set_cookie(&mut r, &ctx.cookie(SESSION_COOKIE, "", Some(0)));
            Ok(r)
        }
        Err(e @ AppError::Input { .. }) => {
            let c = Chrome::new(&st, &ctx, None, "", "reset-title").await?;
            let error = Some(message(&ctx, &e));
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&ResetPage { c, token, error }),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---- The member's own account: sessions and password ----

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    sessions: Vec<kehilla_db::sessions::Listed>,
    current: String,
    error: Option<String>,
    two_factor: two_factor::Status,
    /// Since when two-factor login is on.
    two_factor_since: i64,
}

impl AccountPage {
    fn device(&self, ua: &str) -> String {
        let ua = ua.trim();
        if ua.is_empty() {
            return self.c.t("account-device-unknown");
        }
        let browser = ["Firefox", "Edg", "Chrome", "Safari"]
            .iter()
            .find(|b| ua.contains(*b))
            .map(|b| if *b == "Edg" { "Edge" } else { *b });
        let system = [
            ("Android", "Android"),
            ("iPhone", "iPhone"),
            ("iPad", "iPad"),
            ("Windows", "Windows"),
            ("Mac OS", "macOS"),
            ("Linux", "Linux"),
        ]
        .iter()
        .find(|(k, _)| ua.contains(*k))
        .map(|(_, v)| *v);
        match (browser, system) {
            (Some(b), Some(s)) => format!("{b} · {s}"),
            (Some(b), None) => b.to_string(),
            (None, Some(s)) => s.to_string(),
            (None, None) => ua.chars().take(40).collect(),
        }
    }
}

async fn account_page(
    st: &AppState,
    ctx: &Ctx,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthorized)?;
    let token = ctx.session.clone().unwrap_or_default();
    let (sessions, current) = accounts::sessions_of(&st.db, user, &token).await?;
    let two_factor = two_factor::status(&st.db, user).await?;
    let c = Chrome::new(st, ctx, None, "", "account-title")
        .await?
        .with_notice(done);
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((
        status,
        super::render(&AccountPage {
            c,
            sessions,
            current,
            error,
            two_factor,
            two_factor_since: user.totp_enabled_at.unwrap_or_default(),
        }),
    )
        .into_response())
}

pub async fn account(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<super::DoneQuery>,
) -> WebResult<Response> {
    account_page(&st, &ctx, None, q.done.as_deref()).await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    session: String,
}

pub async fn revoke_session(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(f): Form<RevokeForm>,
) -> WebResult<Response> {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthorized)?;
    let token = ctx.session.clone().unwrap_or_default();
    accounts::revoke_session(&st.db, user, &token, &f.session, &ctx.actor()).await?;
    Ok(Redirect::to("/account?done=sessions-revoked").into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
}

pub async fn change_password(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(f): Form<PasswordForm>,
) -> WebResult<Response> {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthorized)?;
    let token = ctx.session.clone().unwrap_or_default();
    match accounts::change_password(
        &st.db,
        user,
        &token,
        &f.current_password,
        &f.password,
        &ctx.actor(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/account?done=password-updated").into_response()),
        Err(e) => back_to_account(&st, &ctx, e).await,
    }
}

// ---- Two-factor login ----

#[derive(Template)]
#[template(path = "login_two_factor.html")]
struct SecondStepPage {
    c: Chrome,
    error: Option<String>,
    next: String,
}

fn challenge_cookie(headers: &HeaderMap) -> Option<String> {
    crate::ctx::cookie(&crate::ctx::cookies(headers), TWO_FACTOR_COOKIE).map(str::to_string)
}

fn start_over(ctx: &Ctx) -> Response {
    let mut r = Redirect::to("/login?done=login-expired").into_response();
    set_cookie(&mut r, &ctx.cookie(TWO_FACTOR_COOKIE, "", Some(0)));
    r
}

/// `/login/two-factor`: the code from the app, or a recovery code.
pub async fn second_step_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> WebResult<Response> {
    let open = match challenge_cookie(&headers) {
        Some(t) => two_factor::challenge_open(&st.db, &t).await?,
        None => false,
    };
    if !open {
        return Ok(start_over(&ctx));
    }
    let c = Chrome::new(&st, &ctx, None, "", "two-factor-login-title").await?;
    Ok(render(&SecondStepPage {
        c,
        error: None,
        next: safe_next(q.next.as_deref()).unwrap_or_default(),
    }))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    current_password: String,
}

pub async fn second_step_submit(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    Form(f): Form<CodeForm>,
) -> WebResult<Response> {
    let Some(challenge) = challenge_cookie(&headers) else {
        return Ok(start_over(&ctx));
    };
    st.login_by_ip
        .check(&ctx.ip)
        .map_err(AppError::RateLimited)?;
    let sealer = Sealer::of_instance(&st.db, &st.settings).await?;
    match two_factor::complete_login(
        &st.db,
        &sealer,
        &challenge,
        &f.code,
        st.settings.session_days,
        &ctx.user_agent,
        &ctx.ip,
    )
    .await
    {
        Ok(s) => {
            let to = match safe_next(Some(&f.next)) {
                Some(n) => n,
                None => {
                    let ctx = Ctx {
                        user: Some(s.user.clone()),
                        ..ctx.clone()
                    };
                    landing(&st, &ctx).await?
                }
            };
            let mut r = signed_in(&st, &ctx, LoginOutcome::Session(s), to);
            set_cookie(&mut r, &ctx.cookie(TWO_FACTOR_COOKIE, "", Some(0)));
            Ok(r)
        }
        Err(AppError::LoginExpired) => Ok(start_over(&ctx)),
        Err(e @ AppError::Input { .. }) => {
            let c = Chrome::new(&st, &ctx, None, "", "two-factor-login-title").await?;
            let page = SecondStepPage {
                c,
                error: Some(message(&ctx, &e)),
                next: safe_next(Some(&f.next)).unwrap_or_default(),
            };
            Ok((StatusCode::UNAUTHORIZED, render(&page)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A refusal of a form on the account page: the page again with the translated reason (wrong
/// input, or a state that refuses it); anything else is an error page.
async fn back_to_account(st: &AppState, ctx: &Ctx, e: AppError) -> WebResult<Response> {
    match e {
        AppError::Input { .. } | AppError::Conflict(_) => {
            account_page(st, ctx, Some(message(ctx, &e)), None).await
        }
        e => Err(e.into()),
    }
}

/// Pages that show a secret (the setup key, recovery codes) are kept out of every cache.
fn secret_page(status: StatusCode, body: Response) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[derive(Template)]
#[template(path = "two_factor_setup.html")]
struct SetupTwoFactorPage {
    c: Chrome,
    secret: String,
    uri: String,
    qr_svg: String,
    error: Option<String>,
}

async fn setup_page_of(
    st: &AppState,
    ctx: &Ctx,
    e: two_factor::Enrollment,
    error: Option<String>,
) -> WebResult<Response> {
    let c = Chrome::new(st, ctx, None, "", "two-factor-setup-title").await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(secret_page(
        status,
        render(&SetupTwoFactorPage {
            c,
            secret: e.secret,
            uri: e.uri,
            qr_svg: e.qr_svg,
            error,
        }),
    ))
}

/// The name authenticator apps show next to the code.
fn issuer(st: &AppState) -> String {
    let host = st
        .settings
        .base_url()
        .split_once("://")
        .map(|(_, h)| h.trim_end_matches('/').to_string())
        .unwrap_or_default();
    if host.is_empty() {
        "Kehilla".into()
    } else {
        format!("Kehilla ({host})")
    }
}

pub async fn two_factor_start(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(f): Form<CodeForm>,
) -> WebResult<Response> {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthorized)?;
    let sealer = Sealer::of_instance(&st.db, &st.settings).await?;
    match two_factor::begin(&st.db, &sealer, user, &f.current_password, &issuer(&st)).await {
        Ok(e) => setup_page_of(&st, &ctx, e, None).await,
        Err(e) => back_to_account(&st, &ctx, e).await,
    }
}

/// The setup page again (after a reload); the account page when nothing is being set up.
pub async fn two_factor_setup(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> WebResult<Response> {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthorized)?;
    let sealer = Sealer::of_instance(&st.db, &st.settings).await?;
    match two_factor::pending(&st.db, &sealer, user, &issuer(&st)).await? {
        Some(e) => setup_page_of(&st, &ctx, e, None).await,
        None => Ok(Redirect::to("/account").into_response()),
    }
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
struct RecoveryCodesPage {
    c: Chrome,
    codes: Vec<String>,
}

async fn codes_page(st: &AppState, ctx: &Ctx, codes: Vec<String>) -> WebResult<Response> {
    let c = Chrome::new(st, ctx, None, "", "recovery-codes-title").await?;
    Ok(secret_page(
        StatusCode::OK,
        render(&RecoveryCodesPage { c, codes }),
    ))
}

pub async fn two_factor_confirm(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(f): Form<CodeForm>,
) -> WebResult<Response> {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthorized)?;
    let token = ctx.session.clone().unwrap_or_default();
    let sealer = Sealer::of_instance(&st.db, &st.settings).await?;
    match two_factor::confirm(&st.db, &sealer, user, &token, &f.code, &ctx.actor()).await {
        Ok(codes) => codes_page(&st, &ctx, codes).await,
        Err(e @ AppError::Input { .. }) => {
            match two_factor::pending(&st.db, &sealer, user, &issuer(&st)).await? {
                Some(p) => setup_page_of(&st, &ctx, p, Some(message(&ctx, &e))).await,
                None => Ok(Redirect::to("/account").into_response()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn two_factor_renew(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(f): Form<CodeForm>,
) -> WebResult<Response> {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthorized)?;
    let sealer = Sealer::of_instance(&st.db, &st.settings).await?;
    match two_factor::renew_recovery_codes(&st.db, &sealer, user, &f.code, &ctx.actor()).await {
        Ok(codes) => codes_page(&st, &ctx, codes).await,
        Err(e) => back_to_account(&st, &ctx, e).await,
    }
}

pub async fn two_factor_disable(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Form(f): Form<CodeForm>,
) -> WebResult<Response> {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthorized)?;
    let sealer = Sealer::of_instance(&st.db, &st.settings).await?;
    match two_factor::disable(
        &st.db,
        &sealer,
        user,
        &f.current_password,
        &f.code,
        &ctx.actor(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/account?done=two-factor-off").into_response()),
        Err(e) => back_to_account(&st, &ctx, e).await,
    }
}
