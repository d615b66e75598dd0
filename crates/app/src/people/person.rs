//! One record per person.

use kehilla_db::people::{self, CustomField, Person, PersonData};
use kehilla_db::{Db, consent as ledger, now_ms};
use kehilla_domain::people::{normalize_email, normalize_phone, search_words};
use kehilla_domain::validate::{self, InputError};

use crate::audit::{self, Actor};
use crate::members::OrgMember;
use crate::{AppError, Result};

/// What staff (or a form, or an import) say about a person.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PersonInput {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub latin_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Custom field values by field key.
    #[serde(default)]
    pub fields: Vec<(String, String)>,
}

/// A checked person: normalized email and phone, at least one way to reach or name them.
pub struct Checked {
    pub data: PersonData,
    pub roles: Vec<String>,
    pub tags: Vec<String>,
}

fn opt(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// A short free-text value: trimmed, bounded, no control characters.
pub fn short(field: &'static str, s: &str, max: usize) -> Result<String> {
    let t = s.trim();
    if t.chars().count() > max {
        return Err(AppError::Input {
            field,
            error: InputError::TooLong,
        });
    }
    Ok(t.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect())
}

/// Cleans a label (role or tag): trimmed, lower-cased for Latin letters, 1–40 characters.
pub fn label(s: &str) -> Option<String> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .to_lowercase();
    (!t.is_empty() && t.chars().count() <= 40).then_some(t)
}

pub fn check(input: &PersonInput) -> Result<Checked> {
    let first_name = short("first_name", &input.first_name, 100)?;
    let last_name = short("last_name", &input.last_name, 100)?;
    let latin_name = short("latin_name", &input.latin_name, 200)?;
    let email = opt(&input.email)
        .map(|e| normalize_email(e).map_err(AppError::input("email")))
        .transpose()?;
    let phone = opt(&input.phone)
        .map(|p| normalize_phone(p).map_err(AppError::input("phone")))
        .transpose()?;
    let lang = match opt(&input.lang) {
        Some(l) => validate::Lang::parse(l)
            .map_err(AppError::input("lang"))?
            .code()
            .to_string(),
        None => "he".to_string(),
    };
    let notes = short("notes", &input.notes, 5000)?;
    if first_name.is_empty()
        && last_name.is_empty()
        && latin_name.is_empty()
        && email.is_none()
        && phone.is_none()
    {
        return Err(AppError::Input {
            field: "first_name",
            error: InputError::Required,
        });
    }
    let mut roles: Vec<String> = input.roles.iter().filter_map(|r| label(r)).collect();
    roles.sort();
    roles.dedup();
    let mut tags: Vec<String> = input
        .tags
        .iter()
        .flat_map(|t| t.split(','))
        .filter_map(label)
        .collect();
    tags.sort();
    tags.dedup();
    let data = PersonData {
        first_name,
        last_name,
        latin_name,
        email,
        phone,
        lang,
        notes,
        search_text: String::new(),
    };
    Ok(Checked { data, roles, tags })
}

/// The text search matches: folded words of names, email, phone (with and without the country
/// code) and labels, each preceded by a space.
pub fn search_text(d: &PersonData, roles: &[String], tags: &[String]) -> String {
    let mut src = format!("{} {} {}", d.first_name, d.last_name, d.latin_name);
    if let Some(e) = &d.email {
        src.push(' ');
        src.push_str(e);
    }
    if let Some(p) = &d.phone {
        src.push(' ');
        src.push_str(p.trim_start_matches('+'));
        if let Some(local) = p.strip_prefix("+972") {
            src.push_str(" 0");
            src.push_str(local);
        }
    }
    for l in roles.iter().chain(tags) {
        src.push(' ');
        src.push_str(l);
    }
    let mut out = String::from(" ");
    out.push_str(&search_words(&src).join(" "));
    out
}

/// Saves labels and custom fields of a person (replacing roles and tags).
async fn save_extras(
    tx: &mut kehilla_db::Tx,
    org: i64,
    person: i64,
    c: &Checked,
    fields: &[(String, String)],
    defs: &[CustomField],
) -> Result<()> {
    people::clear_labels(&mut **tx, person, "role").await?;
    people::clear_labels(&mut **tx, person, "tag").await?;
    for r in &c.roles {
        people::add_label(&mut **tx, org, person, "role", r).await?;
    }
    for t in &c.tags {
        people::add_label(&mut **tx, org, person, "tag", t).await?;
    }
    for (key, value) in fields {
        let Some(def) = defs.iter().find(|d| &d.key == key) else {
            continue;
        };
        let v = value.trim();
        if v.is_empty() {
            people::clear_field_value(&mut **tx, person, def.id).await?;
            continue;
        }
        let (text, num) = field_value(def, v)?;
        people::set_field_value(&mut **tx, org, person, def.id, &text, num).await?;
    }
    Ok(())
}

/// Checks a custom field value against its type.
pub fn field_value(def: &CustomField, v: &str) -> Result<(String, Option<f64>)> {
    let bad = AppError::Input {
        field: "fields",
        error: InputError::InvalidValue,
    };
    match def.field_type.as_str() {
        "number" => {
            let n: f64 = v.replace(',', "").parse().map_err(|_| bad.clone())?;
            if !n.is_finite() {
                return Err(bad);
            }
            Ok((v.to_string(), Some(n)))
        }
        "date" => {
            let b = v.as_bytes();
            let ok = b.len() == 10
                && b.iter().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        *c == b'-'
                    } else {
                        c.is_ascii_digit()
                    }
                });
            if !ok {
                return Err(bad);
            }
            Ok((v.to_string(), None))
        }
        "choice" => {
            if !def.choice_list().iter().any(|c| c == v) {
                return Err(bad);
            }
            Ok((v.to_string(), None))
        }
        _ => Ok((short("fields", v, 1000)?, None)),
    }
}

pub async fn create(db: &Db, by: &OrgMember, input: &PersonInput, actor: &Actor) -> Result<Person> {
    let mut c = check(input)?;
    c.data.search_text = search_text(&c.data, &c.roles, &c.tags);
    let defs = people::custom_fields(&db.pool, by.org.id).await?;
    let mut tx = db.begin().await?;
    let p = people::create(&mut *tx, by.org.id, &c.data)
        .await
        .map_err(dup)?;
    save_extras(&mut tx, by.org.id, p.id, &c, &input.fields, &defs).await?;
    people::add_event(&mut *tx, by.org.id, p.id, "created", "", &actor.label).await?;
    tx.commit().await?;
    Ok(p)
}

pub async fn update(
    db: &Db,
    by: &OrgMember,
    public_id: &str,
    input: &PersonInput,
    actor: &Actor,
) -> Result<Person> {
    let mut c = check(input)?;
    c.data.search_text = search_text(&c.data, &c.roles, &c.tags);
    let defs = people::custom_fields(&db.pool, by.org.id).await?;
    let mut tx = db.begin().await?;
    let p = people::get(&mut *tx, by.org.id, public_id).await?;
    people::update(&mut *tx, by.org.id, p.id, &c.data)
        .await
        .map_err(dup)?;
    save_extras(&mut tx, by.org.id, p.id, &c, &input.fields, &defs).await?;
    people::add_event(&mut *tx, by.org.id, p.id, "updated", "", &actor.label).await?;
    let p = people::by_id(&mut *tx, by.org.id, p.id).await?;
    tx.commit().await?;
    Ok(p)
}

fn dup(e: kehilla_db::DbError) -> AppError {
    match e {
        kehilla_db::DbError::Conflict(_) => AppError::Conflict("person-exists"),
        e => e.into(),
    }
}

/// Everything about a person, for their page and their data export.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PersonView {
    pub person: Person,
    pub roles: Vec<String>,
    pub tags: Vec<String>,
    pub fields: Vec<(String, String, String)>,
    pub lists: Vec<(String, String)>,
    pub consents: Vec<ledger::Entry>,
    pub history: Vec<ledger::Entry>,
    pub timeline: Vec<people::Event>,
}

pub async fn view(db: &Db, org: i64, public_id: &str) -> Result<PersonView> {
    let person = people::get(&db.pool, org, public_id).await?;
    let labels = people::labels(&db.pool, person.id).await?;
    let defs = people::custom_fields(&db.pool, org).await?;
    let values = people::field_values(&db.pool, person.id).await?;
    let fields = defs
        .iter()
        .map(|d| {
            let v = values
                .iter()
                .find(|(id, _)| *id == d.id)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            (d.key.clone(), d.label.clone(), v)
        })
        .collect();
    Ok(PersonView {
        roles: labels
            .iter()
            .filter(|(k, _)| k == "role")
            .map(|(_, v)| v.clone())
            .collect(),
        tags: labels
            .iter()
            .filter(|(k, _)| k == "tag")
            .map(|(_, v)| v.clone())
            .collect(),
        fields,
        lists: people::lists_of(&db.pool, person.id).await?,
        consents: ledger::current(&db.pool, org, person.id).await?,
        history: ledger::history(&db.pool, org, person.id).await?,
        timeline: people::events(&db.pool, person.id, 200).await?,
        person,
    })
}

pub async fn search(
    db: &Db,
    org: i64,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Person>> {
    // A phone typed with dashes or spaces ("054-234 5678") is one number: neighbouring parts
    // made of digits and separators join up.
    let numeric = |t: &str| {
        t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | '+'))
    };
    let mut parts: Vec<String> = Vec::new();
    let mut prev_numeric = false;
    for t in query.split_whitespace() {
        let is_num = numeric(t) && t.chars().any(|c| c.is_ascii_digit());
        let clean: String = if is_num {
            t.chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect()
        } else {
            t.to_string()
        };
        match parts.last_mut() {
            Some(last) if is_num && prev_numeric => last.push_str(&clean),
            _ => parts.push(clean),
        }
        prev_numeric = is_num;
    }
    let query = parts.join(" ");
    let words = search_words(&query);
    let words: Vec<String> = words.into_iter().take(8).collect();
    Ok(people::search(&db.pool, org, &words, limit.clamp(1, 500), offset.max(0)).await?)
}

/// The hash that stands for an erased person's address in the ledger: the same address always
/// gives the same hash within an organization, and the address cannot be read back from it.
pub fn subject_hash(org: i64, address: &str) -> String {
    crate::token_hash(&format!("{org}:{}", address.trim().to_lowercase()))
}

/// Erasure: the person's data is removed; their consent entries stay, detached, with a hash of
/// their email (or phone), so that a later import or sign-up cannot re-add them silently.
pub async fn erase(db: &Db, by: &OrgMember, public_id: &str, actor: &Actor) -> Result<()> {
    let mut tx = db.begin().await?;
    let p = people::get(&mut *tx, by.org.id, public_id).await?;
    let address = p
        .email
        .clone()
        .or_else(|| p.phone.clone())
        .unwrap_or_else(|| p.public_id.clone());
    let hash = subject_hash(by.org.id, &address);
    // A withdrawal for every purpose, so the tombstone says "refused".
    for purpose in kehilla_db::segments::PURPOSES {
        ledger::record(
            &mut *tx,
            by.org.id,
            &ledger::NewEntry {
                person_id: p.id,
                channel: if p.email.is_some() { "email" } else { "sms" },
                purpose,
                given: false,
                source: "erasure",
                source_ref: &actor.label,
                wording: "",
                meta: "{}",
            },
        )
        .await?;
    }
    ledger::detach(&mut *tx, by.org.id, p.id, &hash).await?;
    // The other address gets a tombstone of its own, so neither can bring the person back.
    if let (Some(_), Some(phone)) = (&p.email, &p.phone) {
        kehilla_db::consent::tombstone(&mut *tx, by.org.id, "sms", &subject_hash(by.org.id, phone))
            .await?;
    }
    if let Some(email) = &p.email {
        kehilla_db::forms::forget_email(&mut *tx, by.org.id, email).await?;
    }
    // What they wrote to the organization (the inbox) goes with them.
    kehilla_db::inbox::forget_person(&mut tx, by.org.id, p.id).await?;
    people::delete(&mut *tx, by.org.id, p.id).await?;
    audit::record(
        &mut *tx,
        Some(by.org.id),
        actor,
        audit::ERASURE,
        &p.public_id,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether an address belongs to someone who was erased after refusing.
pub async fn refused_before(db: &Db, org: i64, address: &str) -> Result<bool> {
    Ok(ledger::tombstone_refused(&db.pool, org, &subject_hash(org, address)).await?)
}

/// The person's data as JSON, for their right of access; recorded in the audit log.
pub async fn export(
    db: &Db,
    by: &OrgMember,
    public_id: &str,
    actor: &Actor,
) -> Result<serde_json::Value> {
    let v = view(db, by.org.id, public_id).await?;
    audit::record(
        &db.pool,
        Some(by.org.id),
        actor,
        audit::EXPORT,
        &format!("person {public_id}"),
    )
    .await?;
    serde_json::to_value(&v).map_err(|e| AppError::Internal(e.to_string()))
}

/// Seeds the default role list of a new organization.
pub async fn seed_roles(tx: &mut kehilla_db::Tx, org: i64) -> Result<()> {
    for (i, r) in super::DEFAULT_ROLES.iter().enumerate() {
        people::set_role_option(&mut **tx, org, r, r, i64::try_from(i).unwrap_or(0)).await?;
    }
    Ok(())
}

pub fn now() -> i64 {
    now_ms()
}
