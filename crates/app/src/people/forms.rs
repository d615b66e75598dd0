//! Sign-up forms: newsletter, volunteer and petition/pledge. Hosted pages and an embeddable
//! snippet post here; each submission creates or updates a person and records the consents
//! with the exact wording shown. With double opt-in the submission waits for the click on an
//! emailed link; the mail is a durable job.

use futures::future::BoxFuture;
use kehilla_db::forms::{self, Form, FormData};
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::{Db, Tx, now_ms, orgs, people, random_hex};
use kehilla_domain::people::{normalize_email, normalize_phone};
use kehilla_domain::validate::{InputError, Lang};
use serde::{Deserialize, Serialize};

use super::consent::{self, Consent};
use super::person::{self, short};
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::members::OrgMember;
use crate::{AppError, Result, i18n, token_hash};

pub const KINDS: [&str; 3] = ["newsletter", "volunteer", "petition"];
/// Hours a confirmation link stays valid.
pub const CONFIRM_HOURS: i64 = 48;

/// One checkbox of a form: the consent it records and the words shown next to it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FormConsent {
    pub channel: String,
    pub purpose: String,
    pub wording: String,
    #[serde(default)]
    pub required: bool,
}

pub fn consents_of(f: &Form) -> Vec<FormConsent> {
    serde_json::from_str(&f.consents).unwrap_or_default()
}

/// The consents a new form of `kind` starts with, worded in `lang`.
pub fn default_consents(kind: &str, lang: Lang) -> Vec<FormConsent> {
    let w = |key: &str| i18n::t(lang, key);
    let mut v = vec![FormConsent {
        channel: "email".into(),
        purpose: "newsletter".into(),
        wording: w("form-consent-newsletter"),
        required: kind == "newsletter",
    }];
    match kind {
        "volunteer" => v.push(FormConsent {
            channel: "sms".into(),
            purpose: "event_reminders".into(),
            wording: w("form-consent-sms-reminders"),
            required: false,
        }),
        "petition" => v.push(FormConsent {
            channel: "email".into(),
            purpose: "advocacy".into(),
            wording: w("form-consent-advocacy"),
            required: false,
        }),
        _ => {}
    }
    v
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FormInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub ask_phone: bool,
    #[serde(default)]
    pub consents: Vec<FormConsent>,
    /// Public id of the list to add people to.
    #[serde(default)]
    pub list: String,
    #[serde(default)]
    pub double_opt_in: bool,
    #[serde(default)]
    pub thanks_text: String,
    #[serde(default)]
    pub redirect_url: String,
}

async fn check(db: &Db, org: i64, i: &FormInput) -> Result<(String, Option<i64>, String)> {
    if !KINDS.contains(&i.kind.as_str()) {
        return Err(AppError::Input {
            field: "kind",
            error: InputError::InvalidValue,
        });
    }
    kehilla_domain::validate::name(&i.title, 200).map_err(AppError::input("title"))?;
    Lang::parse(&i.lang).map_err(AppError::input("lang"))?;
    for c in &i.consents {
        consent::check_channel(&c.channel)?;
        consent::check_purpose(&c.purpose)?;
        if c.wording.trim().is_empty() {
            return Err(AppError::Input {
                field: "wording",
                error: InputError::Required,
            });
        }
        short("wording", &c.wording, 1000)?;
    }
    let redirect = i.redirect_url.trim();
    let web_address = redirect.starts_with("https://") || redirect.starts_with("http://");
    if !redirect.is_empty() && !web_address {
        return Err(AppError::Input {
            field: "redirect_url",
            error: InputError::InvalidValue,
        });
    }
    let list = match i.list.trim() {
        "" => None,
        l => Some(people::list(&db.pool, org, l).await?.id),
    };
    Ok((
        serde_json::to_string(&i.consents).unwrap_or_else(|_| "[]".into()),
        list,
        redirect.to_string(),
    ))
}

pub async fn create(db: &Db, by: &OrgMember, i: &FormInput) -> Result<Form> {
    let (consents, list_id, redirect) = check(db, by.org.id, i).await?;
    Ok(forms::create(&db.pool, by.org.id, &data(i, &consents, list_id, &redirect)).await?)
}

pub async fn update(db: &Db, by: &OrgMember, public_id: &str, i: &FormInput) -> Result<()> {
    let (consents, list_id, redirect) = check(db, by.org.id, i).await?;
    Ok(forms::update(
        &db.pool,
        by.org.id,
        public_id,
        &data(i, &consents, list_id, &redirect),
    )
    .await?)
}

fn data<'a>(
    i: &'a FormInput,
    consents: &'a str,
    list_id: Option<i64>,
    redirect: &'a str,
) -> FormData<'a> {
    FormData {
        kind: &i.kind,
        title: i.title.trim(),
        intro: i.intro.trim(),
        lang: &i.lang,
        ask_phone: i.ask_phone,
        consents,
        list_id,
        double_opt_in: i.double_opt_in,
        thanks_text: i.thanks_text.trim(),
        redirect_url: redirect,
    }
}

/// What a visitor sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Submission {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// Indexes of the consent boxes that were ticked.
    #[serde(default)]
    pub consents: Vec<usize>,
    /// The ticked boxes as they were shown, kept with a submission that waits for its
    /// confirmation: staff may edit the form in between.
    #[serde(default)]
    pub boxes: Vec<FormConsent>,
    /// Where it came from, for the ledger's request metadata.
    #[serde(default)]
    pub meta: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done: show the thank-you text (or go to the redirect).
    Done,
    /// A confirmation link was mailed.
    CheckEmail,
}

/// Takes a submission. A filled honeypot is accepted silently and dropped.
pub async fn submit(db: &Db, form: &Form, mut s: Submission, honeypot: &str) -> Result<Outcome> {
    let double = form.double_opt_in == 1;
    if !honeypot.trim().is_empty() {
        return Ok(if double {
            Outcome::CheckEmail
        } else {
            Outcome::Done
        });
    }
    s.first_name = short("first_name", &s.first_name, 100)?;
    s.last_name = short("last_name", &s.last_name, 100)?;
    s.email = normalize_email(&s.email).map_err(AppError::input("email"))?;
    s.phone = match s.phone.trim() {
        "" if form.ask_phone == 1 && form.kind == "volunteer" => {
            return Err(AppError::Input {
                field: "phone",
                error: InputError::Required,
            });
        }
        "" => String::new(),
        p => normalize_phone(p).map_err(AppError::input("phone"))?,
    };
    let boxes = consents_of(form);
    s.consents.retain(|i| *i < boxes.len());
    s.consents.sort_unstable();
    s.consents.dedup();
    for (i, b) in boxes.iter().enumerate() {
        if b.required && !s.consents.contains(&i) {
            return Err(AppError::Input {
                field: "consent",
                error: InputError::Required,
            });
        }
    }
    s.boxes = s
        .consents
        .iter()
        .filter_map(|i| boxes.get(*i).cloned())
        .collect();
    if !double {
        let mut tx = db.begin().await?;
        apply(&mut tx, form, &s, false).await?;
        tx.commit().await?;
        return Ok(Outcome::Done);
    }
    let token = random_hex(24);
    let mut tx = db.begin().await?;
    let id = forms::create_confirmation(
        &mut *tx,
        form.organization_id,
        form.id,
        &token_hash(&token),
        &s.email,
        &serde_json::to_string(&s).map_err(|e| AppError::Internal(e.to_string()))?,
        now_ms() + CONFIRM_HOURS * 3_600_000,
    )
    .await?;
    enqueue_mail(&mut tx, id, &token).await?;
    tx.commit().await?;
    Ok(Outcome::CheckEmail)
}

async fn enqueue_mail(tx: &mut Tx, confirmation: i64, token: &str) -> Result<()> {
    let payload = serde_json::json!({"confirmation": confirmation, "token": token});
    jobs::enqueue(
        &mut **tx,
        NewJob::new(ConfirmationMail::KIND, payload).max_attempts(6),
    )
    .await?;
    Ok(())
}

/// "Send the link again": a fresh link for the newest pending submission of that address.
/// Says nothing about whether there was one.
pub async fn resend(db: &Db, form: &Form, email: &str) -> Result<()> {
    let Ok(email) = normalize_email(email) else {
        return Ok(());
    };
    let Some(c) = forms::pending_for(&db.pool, form.id, &email).await? else {
        return Ok(());
    };
    let token = random_hex(24);
    let mut tx = db.begin().await?;
    let id = forms::create_confirmation(
        &mut *tx,
        c.organization_id,
        c.form_id,
        &token_hash(&token),
        &c.email,
        &c.submission,
        now_ms() + CONFIRM_HOURS * 3_600_000,
    )
    .await?;
    enqueue_mail(&mut tx, id, &token).await?;
    tx.commit().await?;
    Ok(())
}

/// What the emailed link shows before anything happens: the form, and whether the sign-up was
/// confirmed already. Opening the link changes nothing — mail scanners open links too — the
/// person confirms with a button.
pub async fn pending(db: &Db, token: &str) -> Result<(Form, bool)> {
    let c = forms::confirmation_by_token(&db.pool, &token_hash(token))
        .await?
        .ok_or(AppError::InvitationInvalid)?;
    let form = forms::by_id(&db.pool, c.form_id).await?;
    if c.confirmed_at.is_none() && c.expires_at <= now_ms() {
        return Err(AppError::Conflict("confirmation-expired"));
    }
    Ok((form, c.confirmed_at.is_some()))
}

/// The click on the emailed link. Returns the form and whether this click confirmed it (false:
/// it had been confirmed before, which is fine).
pub async fn confirm(db: &Db, token: &str) -> Result<(Form, bool)> {
    let c = forms::confirmation_by_token(&db.pool, &token_hash(token))
        .await?
        .ok_or(AppError::InvitationInvalid)?;
    let form = forms::by_id(&db.pool, c.form_id).await?;
    if c.confirmed_at.is_some() {
        return Ok((form, false));
    }
    if c.expires_at <= now_ms() {
        return Err(AppError::Conflict("confirmation-expired"));
    }
    let s: Submission =
        serde_json::from_str(&c.submission).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = db.begin().await?;
    if !forms::mark_confirmed(&mut *tx, c.id).await? {
        return Ok((form, false));
    }
    apply(&mut tx, &form, &s, true).await?;
    tx.commit().await?;
    Ok((form, true))
}

/// Creates or updates the person (same email, else same phone) and records their consents.
/// The person a visitor is (by email, else by phone), with what they gave filling what was
/// missing; or a new person. `s` is checked already (names short, email and phone normalized).
pub async fn find_or_create(tx: &mut Tx, org: i64, s: &Submission, lang: &str) -> Result<i64> {
    let existing = match people::by_email(&mut **tx, org, &s.email).await? {
        Some(p) => Some(p),
        None if !s.phone.is_empty() => people::by_phone(&mut **tx, org, &s.phone).await?,
        None => None,
    };
    let person_id = match existing {
        Some(p) => {
            let labels = people::labels(&mut **tx, p.id).await?;
            let mut d = kehilla_db::people::PersonData {
                first_name: if p.first_name.is_empty() {
                    s.first_name.clone()
                } else {
                    p.first_name.clone()
                },
                last_name: if p.last_name.is_empty() {
                    s.last_name.clone()
                } else {
                    p.last_name.clone()
                },
                latin_name: p.latin_name.clone(),
                email: p.email.clone().or_else(|| Some(s.email.clone())),
                phone: p
                    .phone
                    .clone()
                    .or_else(|| (!s.phone.is_empty()).then(|| s.phone.clone())),
                lang: p.lang.clone(),
                notes: p.notes.clone(),
                search_text: String::new(),
            };
            let roles: Vec<String> = labels
                .iter()
                .filter(|(k, _)| k == "role")
                .map(|(_, v)| v.clone())
                .collect();
            let tags: Vec<String> = labels
                .iter()
                .filter(|(k, _)| k == "tag")
                .map(|(_, v)| v.clone())
                .collect();
            // A phone already held by someone else stays with them. (Checked first: a failed
            // statement would abort the whole transaction on PostgreSQL.)
            if let Some(ph) = d.phone.clone().filter(|_| p.phone.is_none())
                && people::by_phone(&mut **tx, org, &ph)
                    .await?
                    .is_some_and(|o| o.id != p.id)
            {
                d.phone = None;
            }
            d.search_text = person::search_text(&d, &roles, &tags);
            people::update(&mut **tx, org, p.id, &d).await?;
            p.id
        }
        None => {
            let mut d = kehilla_db::people::PersonData {
                first_name: s.first_name.clone(),
                last_name: s.last_name.clone(),
                email: Some(s.email.clone()),
                phone: (!s.phone.is_empty()).then(|| s.phone.clone()),
                lang: lang.to_string(),
                ..Default::default()
            };
            d.search_text = person::search_text(&d, &[], &[]);
            people::create(&mut **tx, org, &d).await?.id
        }
    };
    Ok(person_id)
}

async fn apply(tx: &mut Tx, form: &Form, s: &Submission, confirmed: bool) -> Result<i64> {
    let org = form.organization_id;
    let person_id = find_or_create(tx, org, s, &form.lang).await?;
    if form.kind == "volunteer" {
        people::add_label(&mut **tx, org, person_id, "role", "volunteer").await?;
    }
    let mut meta = s.meta.clone();
    if let Some(m) = meta.as_object_mut() {
        m.insert("double_opt_in".into(), serde_json::Value::Bool(confirmed));
        if confirmed {
            m.insert("confirmed_at".into(), serde_json::Value::from(now_ms()));
        }
    }
    for b in &s.boxes {
        let c = Consent {
            channel: &b.channel,
            purpose: &b.purpose,
            given: true,
            source: "form",
            source_ref: &form.public_id,
            wording: &b.wording,
            meta: meta.clone(),
        };
        consent::append(tx, org, person_id, &c, "").await?;
    }
    if let Some(list) = form.list_id {
        people::add_to_list(&mut **tx, list, person_id).await?;
    }
    people::add_event(&mut **tx, org, person_id, "signed-up", &form.title, "").await?;
    // The post and channel that brought them, when they came by a tracked link.
    let utm = |k: &str| {
        s.meta
            .get(k)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
    };
    crate::measure::insights::record(
        tx,
        org,
        "signup",
        Some(person_id),
        utm("utm_source"),
        utm("utm_campaign"),
    )
    .await?;
    Ok(person_id)
}

/// `mail.form-confirmation`: the double opt-in email, in the form's language.
pub struct ConfirmationMail;

impl ConfirmationMail {
    pub const KIND: &'static str = "mail.form-confirmation";
}

#[derive(Deserialize)]
struct MailPayload {
    confirmation: i64,
    token: String,
}

impl JobHandler for ConfirmationMail {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let Ok(p) = serde_json::from_str::<MailPayload>(&job.payload) else {
                return Err(JobError::Permanent(
                    "no confirmation link in the payload (already sent?)".into(),
                ));
            };
            let c = forms::confirmation(&ctx.db.pool, p.confirmation).await?;
            let form = forms::by_id(&ctx.db.pool, c.form_id).await?;
            let org = orgs::by_id(&ctx.db.pool, c.organization_id).await?;
            let lang = Lang::parse(&form.lang).unwrap_or_default();
            let link = format!("{}/f/confirm/{}", ctx.base_url, p.token);
            let subject = i18n::t_args(lang, "mail-confirm-subject", &[("org", org.name.clone())]);
            let body = i18n::t_args(
                lang,
                "mail-confirm-body",
                &[
                    ("org", org.name.clone()),
                    ("form", form.title.clone()),
                    ("link", link),
                    ("hours", CONFIRM_HOURS.to_string()),
                ],
            );
            ctx.mailer
                .send(&c.email, &subject, &body)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            jobs::clear_payload(&ctx.db.pool, job.id).await?;
            Ok(())
        })
    }
}
