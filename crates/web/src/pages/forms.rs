//! Sign-up forms: the admin pages (create, edit, embed code) and the public side — the hosted
//! page, the embeddable page, submissions (also cross-site, from a plain HTML form on the
//! organization's own site), confirmation of double opt-in, the preference centre and
//! one-click unsubscribe (RFC 8058).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::people::forms::{self as form_uc, FormConsent, FormInput, Outcome, Submission};
use kehilla_app::people::links;
use kehilla_db::forms::{self, Form as FormRow};
use kehilla_db::people::List;
use kehilla_db::{consent as ledger, orgs, people};
use kehilla_domain::validate::Lang;
use serde::Deserialize;

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::i18n;
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "people/forms.html")]
struct FormsPage {
    c: Chrome,
    sub: &'static str,
    forms: Vec<FormRow>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let forms = forms::of_org(&st.db.pool, org.0.org.id).await?;
    let c = Chrome::new(&st, &ctx, Some(&org), "people", "forms-title")
        .await?
        .with_notice(q.done.as_deref());
    Ok(render(&FormsPage {
        c,
        sub: "forms",
        forms,
    }))
}

#[derive(Template)]
#[template(path = "people/form_edit.html")]
struct FormEditPage {
    c: Chrome,
    sub: &'static str,
    form: Option<FormRow>,
    f: FormInput,
    lists: Vec<List>,
    channels: [&'static str; 3],
    purposes: [&'static str; 5],
    hosted_url: String,
    iframe_code: String,
    html_code: String,
    error: Option<String>,
}

impl FormEditPage {
    fn label(&self, prefix: &str, key: &str) -> String {
        i18n::try_t(self.c.lang, &format!("{prefix}-{key}")).unwrap_or_else(|| key.to_string())
    }
    fn consent_rows(&self) -> Vec<(usize, FormConsent)> {
        let mut v: Vec<FormConsent> = self.f.consents.clone();
        v.push(FormConsent {
            channel: String::new(),
            purpose: String::new(),
            wording: String::new(),
            required: false,
        });
        v.into_iter().enumerate().collect()
    }
    fn list_public_id(&self) -> &str {
        &self.f.list
    }
}

/// Reads the edit form: simple fields plus `k{i}_channel`, `k{i}_purpose`, `k{i}_wording`,
/// `k{i}_required` for each consent box.
fn parse_form(pairs: &[(String, String)]) -> FormInput {
    let mut f = FormInput::default();
    let mut boxes: Vec<FormConsent> = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "kind" => f.kind = v.clone(),
            "title" => f.title = v.clone(),
            "intro" => f.intro = v.clone(),
            "lang" => f.lang = v.clone(),
            "ask_phone" => f.ask_phone = v == "1",
            "list" => f.list = v.clone(),
            "double_opt_in" => f.double_opt_in = v == "1",
            "thanks_text" => f.thanks_text = v.clone(),
            "redirect_url" => f.redirect_url = v.clone(),
            _ => {
                let Some(rest) = k.strip_prefix('k') else {
                    continue;
                };
                let Some((i, part)) = rest.split_once('_') else {
                    continue;
                };
                let Ok(i) = i.parse::<usize>() else { continue };
                if i >= 10 {
                    continue;
                }
                while boxes.len() <= i {
                    boxes.push(FormConsent {
                        channel: String::new(),
                        purpose: String::new(),
                        wording: String::new(),
                        required: false,
                    });
                }
                let Some(b) = boxes.get_mut(i) else { continue };
                match part {
                    "channel" => b.channel = v.clone(),
                    "purpose" => b.purpose = v.clone(),
                    "wording" => b.wording = v.clone(),
                    "required" => b.required = v == "1",
                    _ => {}
                }
            }
        }
    }
    boxes.retain(|b| !b.channel.is_empty() || !b.wording.trim().is_empty());
    f.consents = boxes;
    f
}

fn input_of(form: &FormRow, list: Option<String>) -> FormInput {
    FormInput {
        kind: form.kind.clone(),
        title: form.title.clone(),
        intro: form.intro.clone(),
        lang: form.lang.clone(),
        ask_phone: form.ask_phone == 1,
        consents: form_uc::consents_of(form),
        list: list.unwrap_or_default(),
        double_opt_in: form.double_opt_in == 1,
        thanks_text: form.thanks_text.clone(),
        redirect_url: form.redirect_url.clone(),
    }
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    form: Option<FormRow>,
    f: FormInput,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let base = st.settings.base_url();
    let (hosted_url, iframe_code, html_code) = match &form {
        Some(fr) => {
            let url = format!("{base}/f/{}", fr.public_id);
            let iframe = format!(
                "<iframe src=\"{url}/embed\" title=\"{}\" style=\"border:0;width:100%;min-height:32rem\" loading=\"lazy\"></iframe>",
                fr.title.replace('"', "&quot;")
            );
            let html = plain_html_snippet(fr, &url);
            (url, iframe, html)
        }
        None => Default::default(),
    };
    let title = if form.is_some() {
        "form-edit"
    } else {
        "form-new"
    };
    let c = Chrome::new(st, ctx, Some(org), "people", title)
        .await?
        .with_notice(done);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = FormEditPage {
        c,
        sub: "forms",
        form,
        f,
        lists: people::lists(&st.db.pool, org.0.org.id).await?,
        channels: kehilla_db::segments::CHANNELS,
        purposes: kehilla_db::segments::PURPOSES,
        hosted_url,
        iframe_code,
        html_code,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// A plain HTML form that posts cross-site to the hosted form, for the organization's own site.
fn plain_html_snippet(f: &FormRow, url: &str) -> String {
    let lang = Lang::parse(&f.lang).unwrap_or_default();
    let t = |k: &str| i18n::t(lang, k);
    let mut s = format!(
        "<form action=\"{url}\" method=\"post\" dir=\"{}\" lang=\"{}\">\n",
        lang.dir(),
        lang.code()
    );
    s.push_str(&format!(
        "  <label>{} <input name=\"first_name\" autocomplete=\"given-name\"></label>\n",
        t("field-first_name")
    ));
    s.push_str(&format!(
        "  <label>{} <input name=\"last_name\" autocomplete=\"family-name\"></label>\n",
        t("field-last_name")
    ));
    s.push_str(&format!(
        "  <label>{} <input name=\"email\" type=\"email\" required dir=\"ltr\"></label>\n",
        t("field-email")
    ));
    if f.ask_phone == 1 {
        s.push_str(&format!(
            "  <label>{} <input name=\"phone\" type=\"tel\" dir=\"ltr\"></label>\n",
            t("field-phone")
        ));
    }
    for (i, c) in form_uc::consents_of(f).iter().enumerate() {
        s.push_str(&format!(
            "  <label><input type=\"checkbox\" name=\"consent\" value=\"{i}\"{}> {}</label>\n",
            if c.required { " required" } else { "" },
            c.wording.replace('<', "&lt;")
        ));
    }
    s.push_str("  <input name=\"website\" tabindex=\"-1\" autocomplete=\"off\" style=\"position:absolute;left:-9999px\" aria-hidden=\"true\">\n");
    s.push_str(&format!(
        "  <button type=\"submit\">{}</button>\n</form>",
        t("form-submit")
    ));
    s
}

pub async fn new_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let f = FormInput {
        kind: "newsletter".into(),
        lang: ctx.lang.code().into(),
        double_opt_in: true,
        consents: form_uc::default_consents("newsletter", ctx.lang),
        ..FormInput::default()
    };
    edit_page(&st, &ctx, &org, None, f, None, None).await
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let mut f = parse_form(&pairs);
    if f.consents.is_empty() {
        f.consents = form_uc::default_consents(&f.kind, Lang::parse(&f.lang).unwrap_or_default());
    }
    match form_uc::create(&st.db, &org.0, &f).await {
        Ok(form) => Ok(Redirect::to(&format!(
            "/orgs/{}/forms/{}?done=form-saved",
            org.0.org.slug, form.public_id
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_) | AppError::NotFound)) => {
            let msg = message(&ctx, &e);
            edit_page(&st, &ctx, &org, None, f, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn show(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, form)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let fr = forms::get(&st.db.pool, org.0.org.id, &form).await?;
    let list = match fr.list_id {
        Some(id) => Some(
            people::list_by_id(&st.db.pool, org.0.org.id, id)
                .await?
                .public_id,
        ),
        None => None,
    };
    let f = input_of(&fr, list);
    edit_page(&st, &ctx, &org, Some(fr), f, None, q.done.as_deref()).await
}

pub async fn update(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, form)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let fr = forms::get(&st.db.pool, org.0.org.id, &form).await?;
    let f = parse_form(&pairs);
    match form_uc::update(&st.db, &org.0, &form, &f).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/orgs/{}/forms/{form}?done=form-saved",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let msg = message(&ctx, &e);
            edit_page(&st, &ctx, &org, Some(fr), f, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, form)): Path<(String, String)>,
) -> WebResult<Response> {
    forms::delete(&st.db.pool, org.0.org.id, &form).await?;
    Ok(Redirect::to(&format!("/orgs/{}/forms?done=form-deleted", org.0.org.slug)).into_response())
}

// ---- Public side ----

#[derive(Template)]
#[template(path = "public/form.html")]
struct PublicForm {
    lang: Lang,
    form: FormRow,
    org_name: String,
    consents: Vec<(usize, FormConsent)>,
    embed: bool,
    error: Option<String>,
    s: Submission,
    state: &'static str,
}

impl PublicForm {
    fn t(&self, k: &str) -> String {
        i18n::t(self.lang, k)
    }
    fn utm(&self, k: &str) -> String {
        self.s
            .meta
            .get(k)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string()
    }
    fn checked(&self, i: &usize) -> bool {
        self.s.consents.contains(i)
    }
}

async fn public_page(
    st: &AppState,
    form: FormRow,
    embed: bool,
    error: Option<String>,
    s: Submission,
    state: &'static str,
) -> WebResult<Response> {
    let lang = Lang::parse(&form.lang).unwrap_or_default();
    let org = orgs::by_id(&st.db.pool, form.organization_id).await?;
    let consents = form_uc::consents_of(&form)
        .into_iter()
        .enumerate()
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut r = (
        status,
        render(&PublicForm {
            lang,
            form,
            org_name: org.name,
            consents,
            embed,
            error,
            s,
            state,
        }),
    )
        .into_response();
    if embed {
        // May be framed by any site: the organization's own, wherever it is.
        r.headers_mut().insert(
            "content-security-policy",
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors *",
            ),
        );
    }
    Ok(r)
}

pub async fn public_show(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(form): Path<String>,
) -> WebResult<Response> {
    let f = forms::public(&st.db.pool, &form).await?;
    public_page(&st, f, false, None, arrived(&ctx), "form").await
}

pub async fn public_embed(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(form): Path<String>,
) -> WebResult<Response> {
    let f = forms::public(&st.db.pool, &form).await?;
    public_page(&st, f, true, None, arrived(&ctx), "form").await
}

/// An empty submission that carries where the visitor came from, for the form's hidden fields
/// (an embedded form may not see the cookie that remembers it).
fn arrived(ctx: &Ctx) -> Submission {
    Submission {
        meta: serde_json::json!({
            "utm_source": ctx.source.source,
            "utm_campaign": ctx.source.campaign,
        }),
        ..Submission::default()
    }
}

fn error_text(lang: Lang, e: &AppError) -> String {
    crate::ctx::error_message(lang, &crate::error::info_of(e))
}

/// A submission: from the hosted page, the embedded page, or a plain form on another site.
pub async fn public_submit(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(form): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let f = forms::public(&st.db.pool, &form).await?;
    let lang = Lang::parse(&f.lang).unwrap_or_default();
    let embed = pairs.iter().any(|(k, v)| k == "embed" && v == "1");
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(kk, _)| kk == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let s = Submission {
        first_name: get("first_name"),
        last_name: get("last_name"),
        email: get("email"),
        phone: get("phone"),
        consents: pairs
            .iter()
            .filter(|(k, _)| k == "consent")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
        boxes: Vec::new(),
        meta: serde_json::json!({
            "ip": ctx.ip,
            "user_agent": ctx.user_agent,
            "form": f.public_id,
            "submitted_at": kehilla_db::now_ms(),
            "utm_source": Some(get("utm_source")).filter(|v| !v.is_empty()).unwrap_or_else(|| ctx.source.source.clone()),
            "utm_campaign": Some(get("utm_campaign")).filter(|v| !v.is_empty()).unwrap_or_else(|| ctx.source.campaign.clone()),
        }),
    };
    if let Err(secs) = st.forms_by_ip.check(&ctx.ip) {
        let e = AppError::RateLimited(secs);
        let mut r = public_page(&st, f, embed, Some(error_text(lang, &e)), s, "form").await?;
        *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(r);
    }
    match form_uc::submit(&st.db, &f, s.clone(), &get("website")).await {
        Ok(Outcome::CheckEmail) => {
            if let Some(w) = &st.worker {
                w.wake();
            }
            public_page(
                &st,
                f,
                embed,
                None,
                Submission {
                    email: s.email,
                    ..Default::default()
                },
                "check-email",
            )
            .await
        }
        Ok(Outcome::Done) => {
            if !f.redirect_url.is_empty() && !embed {
                return Ok(Redirect::to(&f.redirect_url).into_response());
            }
            public_page(&st, f, embed, None, Submission::default(), "thanks").await
        }
        Err(e @ AppError::Input { .. }) => {
            public_page(&st, f, embed, Some(error_text(lang, &e)), s, "form").await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ResendForm {
    #[serde(default)]
    email: String,
}

pub async fn public_resend(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(form): Path<String>,
    Form(r): Form<ResendForm>,
) -> WebResult<Response> {
    let f = forms::public(&st.db.pool, &form).await?;
    st.forms_by_ip
        .check(&ctx.ip)
        .map_err(AppError::RateLimited)?;
    form_uc::resend(&st.db, &f, &r.email).await?;
    if let Some(w) = &st.worker {
        w.wake();
    }
    public_page(
        &st,
        f,
        false,
        None,
        Submission {
            email: r.email,
            ..Default::default()
        },
        "check-email",
    )
    .await
}

#[derive(Template)]
#[template(path = "public/message.html")]
struct MessagePage {
    lang: Lang,
    title: String,
    text: String,
    link: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "public/confirm.html")]
struct ConfirmPage {
    lang: Lang,
    title: String,
    token: String,
}

impl ConfirmPage {
    fn t(&self, k: &str) -> String {
        i18n::t(self.lang, k)
    }
}

/// The emailed link: a page with one button (opening the link alone confirms nothing).
pub async fn confirm_page(
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    match form_uc::pending(&st.db, &token).await {
        Ok((f, true)) => {
            let lang = Lang::parse(&f.lang).unwrap_or_default();
            Ok(render(&MessagePage {
                lang,
                title: f.title,
                text: i18n::t(lang, "form-confirmed"),
                link: None,
            }))
        }
        Ok((f, false)) => {
            let lang = Lang::parse(&f.lang).unwrap_or_default();
            Ok(render(&ConfirmPage {
                lang,
                title: f.title,
                token,
            }))
        }
        Err(e) => confirm_error(e),
    }
}

fn confirm_error(e: AppError) -> WebResult<Response> {
    match e {
        AppError::InvitationInvalid | AppError::Conflict(_) => {
            let lang = Lang::He;
            let code = if matches!(e, AppError::Conflict(_)) {
                "form-link-expired"
            } else {
                "form-link-invalid"
            };
            let mut r = render(&MessagePage {
                lang,
                title: i18n::t(lang, "form-confirm-title"),
                text: i18n::t(lang, code),
                link: None,
            });
            *r.status_mut() = StatusCode::NOT_FOUND;
            Ok(r)
        }
        e => Err(e.into()),
    }
}

/// The button of the emailed link: confirms the sign-up.
pub async fn confirm(State(st): State<AppState>, Path(token): Path<String>) -> WebResult<Response> {
    match form_uc::confirm(&st.db, &token).await {
        Ok((f, _)) => {
            if !f.redirect_url.is_empty() {
                return Ok(Redirect::to(&f.redirect_url).into_response());
            }
            let lang = Lang::parse(&f.lang).unwrap_or_default();
            let text = if f.thanks_text.is_empty() {
                i18n::t(lang, "form-confirmed")
            } else {
                f.thanks_text.clone()
            };
            Ok(render(&MessagePage {
                lang,
                title: f.title,
                text,
                link: None,
            }))
        }
        Err(e) => confirm_error(e),
    }
}

// ---- Preference centre and unsubscribe ----

#[derive(Template)]
#[template(path = "public/preferences.html")]
struct PrefsPage {
    lang: Lang,
    token: String,
    org_name: String,
    name: String,
    rows: Vec<(&'static str, bool)>,
    saved: bool,
}

impl PrefsPage {
    fn t(&self, k: &str) -> String {
        i18n::t(self.lang, k)
    }
}

async fn person_of(st: &AppState, token: &str) -> WebResult<(kehilla_db::people::Person, String)> {
    let public_id = links::verify(&st.db, token).await?;
    let p = people::by_public_id(&st.db.pool, &public_id).await?;
    let org = orgs::by_id(&st.db.pool, p.organization_id).await?;
    Ok((p, org.name))
}

const EMAIL_PURPOSES: [&str; 4] = [
    "newsletter",
    "donation_appeals",
    "advocacy",
    "event_reminders",
];

async fn prefs_page(st: &AppState, token: String, saved: bool) -> WebResult<Response> {
    let (p, org_name) = person_of(st, &token).await?;
    let current = ledger::current(&st.db.pool, p.organization_id, p.id).await?;
    let rows = EMAIL_PURPOSES
        .iter()
        .map(|pu| {
            (
                *pu,
                current
                    .iter()
                    .any(|c| c.channel == "email" && c.purpose == *pu && c.given == 1),
            )
        })
        .collect();
    let lang = Lang::parse(&p.lang).unwrap_or_default();
    Ok(render(&PrefsPage {
        lang,
        token,
        org_name,
        name: p.display_name(),
        rows,
        saved,
    }))
}

pub async fn preferences(
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    prefs_page(&st, token, false).await
}

/// Saves the preference centre: a ledger entry for every purpose whose state changed, and the
/// language. Takes effect at once.
pub async fn save_preferences(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let (p, _) = person_of(&st, &token).await?;
    let current = ledger::current(&st.db.pool, p.organization_id, p.id).await?;
    let wanted: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "purpose")
        .map(|(_, v)| v.as_str())
        .collect();
    let lang = pairs
        .iter()
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| Lang::parse(v).ok());
    let mut tx = st.db.begin().await?;
    for pu in EMAIL_PURPOSES {
        let now_given = current
            .iter()
            .any(|c| c.channel == "email" && c.purpose == pu && c.given == 1);
        let want = wanted.contains(&pu);
        if want != now_given {
            let wording = i18n::t(
                Lang::parse(&p.lang).unwrap_or_default(),
                &format!("purpose-{pu}"),
            );
            let c = kehilla_app::people::consent::Consent {
                channel: "email",
                purpose: pu,
                given: want,
                source: "preference-centre",
                source_ref: "",
                wording: &wording,
                meta: serde_json::json!({"ip": ctx.ip, "user_agent": ctx.user_agent}),
            };
            kehilla_app::people::consent::append(&mut tx, p.organization_id, p.id, &c, "").await?;
        }
    }
    if let Some(l) = lang {
        people::set_lang(&mut *tx, p.id, l.code()).await?;
    }
    tx.commit().await.map_err(AppError::from)?;
    prefs_page(&st, token, true).await
}

#[derive(Template)]
#[template(path = "public/unsubscribe.html")]
struct UnsubscribePage {
    lang: Lang,
    token: String,
    org_name: String,
    done: bool,
}

impl UnsubscribePage {
    fn t(&self, k: &str) -> String {
        i18n::t(self.lang, k)
    }
}

/// The page for people: one button.
pub async fn unsubscribe_page(
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let (p, org_name) = person_of(&st, &token).await?;
    let lang = Lang::parse(&p.lang).unwrap_or_default();
    Ok(render(&UnsubscribePage {
        lang,
        token,
        org_name,
        done: false,
    }))
}

/// One-click unsubscribe (RFC 8058): a POST without cookies or confirmation withdraws every
/// email consent except transactional mail, at once. Also what the page's button does.
pub async fn unsubscribe(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let (p, org_name) = person_of(&st, &token).await?;
    let mut tx = st.db.begin().await?;
    for pu in EMAIL_PURPOSES {
        let c = kehilla_app::people::consent::Consent {
            channel: "email",
            purpose: pu,
            given: false,
            source: "unsubscribe",
            source_ref: "",
            wording: "",
            meta: serde_json::json!({"ip": ctx.ip, "user_agent": ctx.user_agent}),
        };
        kehilla_app::people::consent::append(&mut tx, p.organization_id, p.id, &c, "").await?;
    }
    kehilla_db::messaging::mark_unsubscribed(&mut *tx, p.id).await?;
    tx.commit().await.map_err(AppError::from)?;
    let lang = Lang::parse(&p.lang).unwrap_or_default();
    Ok(render(&UnsubscribePage {
        lang,
        token,
        org_name,
        done: true,
    }))
}
