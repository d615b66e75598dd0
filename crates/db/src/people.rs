//! People of an organization: records, roles and tags, custom fields, the timeline, lists.
//! Every query takes the organization's id.

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Person {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub latin_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: String,
    pub notes: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Person {
    pub fn display_name(&self) -> String {
        let n = format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string();
        if !n.is_empty() {
            n
        } else if !self.latin_name.is_empty() {
            self.latin_name.clone()
        } else {
            self.email
                .clone()
                .or_else(|| self.phone.clone())
                .unwrap_or_default()
        }
    }
}

pub const COLS: &str = "id, public_id, organization_id, first_name, last_name, latin_name, email, phone, \
     lang, notes, created_at, updated_at";

/// The fields of a person that people edit.
#[derive(Debug, Clone, Default)]
pub struct PersonData {
    pub first_name: String,
    pub last_name: String,
    pub latin_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: String,
    pub notes: String,
    pub search_text: String,
}

pub async fn create<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    d: &PersonData,
) -> Result<Person> {
    let now = now_ms();
    sqlx::query_as(crate::sql!(
        "INSERT INTO people (public_id, organization_id, first_name, last_name, latin_name, email, phone, \
         lang, notes, search_text, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(&d.first_name)
    .bind(&d.last_name)
    .bind(&d.latin_name)
    .bind(&d.email)
    .bind(&d.phone)
    .bind(&d.lang)
    .bind(&d.notes)
    .bind(&d.search_text)
    .bind(now)
    .fetch_one(e)
    .await
    .map_err(|e| DbError::unique(e, "person"))
}

pub async fn update<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
    d: &PersonData,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE people SET first_name = $1, last_name = $2, latin_name = $3, email = $4, phone = $5, \
         lang = $6, notes = $7, search_text = $8, updated_at = $9 WHERE organization_id = $10 AND id = $11",
    )
    .bind(&d.first_name)
    .bind(&d.last_name)
    .bind(&d.latin_name)
    .bind(&d.email)
    .bind(&d.phone)
    .bind(&d.lang)
    .bind(&d.notes)
    .bind(&d.search_text)
    .bind(now_ms())
    .bind(org)
    .bind(id)
    .execute(e)
    .await
    .map_err(|e| DbError::unique(e, "person"))?;
    crate::touched(&r)
}

pub async fn set_search_text<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    text: &str,
) -> Result<()> {
    sqlx::query("UPDATE people SET search_text = $1 WHERE id = $2")
        .bind(text)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Person> {
    sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM people WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// A person by public id alone, for signed links (which carry no organization).
pub async fn by_public_id<'c, E: Executor<'c, Database = Any>>(
    e: E,
    public_id: &str,
) -> Result<Person> {
    sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM people WHERE public_id = $1"
    ))
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn set_lang<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    lang: &str,
) -> Result<()> {
    sqlx::query("UPDATE people SET lang = $1 WHERE id = $2")
        .bind(lang)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn by_id<'c, E: Executor<'c, Database = Any>>(e: E, org: i64, id: i64) -> Result<Person> {
    sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM people WHERE organization_id = $1 AND id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn by_email<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    email: &str,
) -> Result<Option<Person>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM people WHERE organization_id = $1 AND email = $2"
    ))
    .bind(org)
    .bind(email)
    .fetch_optional(e)
    .await?)
}

pub async fn by_phone<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    phone: &str,
) -> Result<Option<Person>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM people WHERE organization_id = $1 AND phone = $2"
    ))
    .bind(org)
    .bind(phone)
    .fetch_optional(e)
    .await?)
}

pub async fn by_ids<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    ids: &[i64],
) -> Result<Vec<Person>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT {COLS} FROM people WHERE organization_id = $1 AND id IN ({}) ORDER BY id",
        marks.join(", ")
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(e).await?)
}

/// Hebrew-aware search: every folded query word must start a word of the person's search text.
pub async fn search<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    words: &[String],
    limit: i64,
    offset: i64,
) -> Result<Vec<Person>> {
    let mut sql = format!("SELECT {COLS} FROM people WHERE organization_id = $1");
    for i in 0..words.len() {
        sql.push_str(&format!(" AND search_text LIKE ${} ESCAPE '\\'", i + 2));
    }
    sql.push_str(&format!(
        " ORDER BY id DESC LIMIT ${} OFFSET ${}",
        words.len() + 2,
        words.len() + 3
    ));
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org);
    for w in words {
        q = q.bind(format!("% {}%", crate::segments::escape_like(w)));
    }
    Ok(q.bind(limit).bind(offset).fetch_all(e).await?)
}

/// Every person id of an organization, in order.
pub async fn ids_of_org<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM people WHERE organization_id = $1 ORDER BY id")
            .bind(org)
            .fetch_all(e)
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn count<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM people WHERE organization_id = $1")
        .bind(org)
        .fetch_one(e)
        .await?;
    Ok(n)
}

pub async fn delete<'c, E: Executor<'c, Database = Any>>(e: E, org: i64, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM people WHERE organization_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

// ---- Roles and tags ----

pub async fn labels<'c, E: Executor<'c, Database = Any>>(
    e: E,
    person: i64,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT kind, value FROM person_labels WHERE person_id = $1 ORDER BY kind, value",
    )
    .bind(person)
    .fetch_all(e)
    .await?)
}

pub async fn add_label<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    person: i64,
    kind: &str,
    value: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO person_labels (organization_id, person_id, kind, value) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (person_id, kind, value) DO NOTHING",
    )
    .bind(org)
    .bind(person)
    .bind(kind)
    .bind(value)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn clear_labels<'c, E: Executor<'c, Database = Any>>(
    e: E,
    person: i64,
    kind: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM person_labels WHERE person_id = $1 AND kind = $2")
        .bind(person)
        .bind(kind)
        .execute(e)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct RoleOption {
    pub key: String,
    pub label: String,
}

pub async fn role_options<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Vec<RoleOption>> {
    Ok(sqlx::query_as(
        "SELECT key, label FROM role_options WHERE organization_id = $1 ORDER BY position, key",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn set_role_option<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    key: &str,
    label: &str,
    position: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO role_options (organization_id, key, label, position) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (organization_id, key) DO UPDATE SET label = $3",
    )
    .bind(org)
    .bind(key)
    .bind(label)
    .bind(position)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn delete_role_option<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    key: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM role_options WHERE organization_id = $1 AND key = $2")
        .bind(org)
        .bind(key)
        .execute(e)
        .await?;
    Ok(())
}

// ---- Custom fields ----

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct CustomField {
    pub id: i64,
    pub public_id: String,
    pub key: String,
    pub label: String,
    pub field_type: String,
    pub choices: String,
}

impl CustomField {
    pub fn choice_list(&self) -> Vec<String> {
        serde_json::from_str(&self.choices).unwrap_or_default()
    }
}

pub async fn custom_fields<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Vec<CustomField>> {
    Ok(sqlx::query_as(
        "SELECT id, public_id, key, label, field_type, choices FROM custom_fields WHERE organization_id = $1 ORDER BY id",
    )
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn create_custom_field<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    key: &str,
    label: &str,
    field_type: &str,
    choices: &[String],
) -> Result<()> {
    sqlx::query(
        "INSERT INTO custom_fields (public_id, organization_id, key, label, field_type, choices, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_public_id())
    .bind(org)
    .bind(key)
    .bind(label)
    .bind(field_type)
    .bind(serde_json::to_string(choices).unwrap_or_else(|_| "[]".into()))
    .bind(now_ms())
    .execute(e)
    .await
    .map_err(|e| DbError::unique(e, "field"))?;
    Ok(())
}

pub async fn field_values<'c, E: Executor<'c, Database = Any>>(
    e: E,
    person: i64,
) -> Result<Vec<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT field_id, value_text FROM person_fields WHERE person_id = $1")
            .bind(person)
            .fetch_all(e)
            .await?,
    )
}

pub async fn set_field_value<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    person: i64,
    field: i64,
    text: &str,
    num: Option<f64>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO person_fields (organization_id, person_id, field_id, value_text, value_num) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id, field_id) DO UPDATE SET value_text = $4, value_num = $5",
    )
    .bind(org)
    .bind(person)
    .bind(field)
    .bind(text)
    .bind(num)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn clear_field_value<'c, E: Executor<'c, Database = Any>>(
    e: E,
    person: i64,
    field: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM person_fields WHERE person_id = $1 AND field_id = $2")
        .bind(person)
        .bind(field)
        .execute(e)
        .await?;
    Ok(())
}

// ---- Timeline ----

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Event {
    pub id: i64,
    pub kind: String,
    pub detail: String,
    pub actor: String,
    pub created_at: i64,
}

pub async fn add_event<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    person: i64,
    kind: &str,
    detail: &str,
    actor: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO person_events (organization_id, person_id, kind, detail, actor, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(org)
    .bind(person)
    .bind(kind)
    .bind(detail)
    .bind(actor)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

pub async fn events<'c, E: Executor<'c, Database = Any>>(
    e: E,
    person: i64,
    limit: i64,
) -> Result<Vec<Event>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, detail, actor, created_at FROM person_events WHERE person_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(person)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

// ---- Lists ----

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct List {
    pub id: i64,
    pub public_id: String,
    pub name: String,
    pub created_at: i64,
    pub members: i64,
}

const LIST_SELECT: &str = "SELECT l.id, l.public_id, l.name, l.created_at, \
     (SELECT COUNT(*) FROM list_members m WHERE m.list_id = l.id) AS members FROM lists l";

pub async fn create_list<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    name: &str,
) -> Result<String> {
    let public_id = new_public_id();
    sqlx::query(
        "INSERT INTO lists (public_id, organization_id, name, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&public_id)
    .bind(org)
    .bind(name)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(public_id)
}

pub async fn lists<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<List>> {
    Ok(sqlx::query_as(crate::sql!(
        "{LIST_SELECT} WHERE l.organization_id = $1 ORDER BY l.name"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn list<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<List> {
    sqlx::query_as(crate::sql!(
        "{LIST_SELECT} WHERE l.organization_id = $1 AND l.public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn list_by_id<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
) -> Result<List> {
    sqlx::query_as(crate::sql!(
        "{LIST_SELECT} WHERE l.organization_id = $1 AND l.id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn delete_list<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<()> {
    let r = sqlx::query("DELETE FROM lists WHERE organization_id = $1 AND public_id = $2")
        .bind(org)
        .bind(public_id)
        .execute(e)
        .await?;
    crate::touched(&r)
}

pub async fn add_to_list<'c, E: Executor<'c, Database = Any>>(
    e: E,
    list: i64,
    person: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO list_members (list_id, person_id, added_at) VALUES ($1, $2, $3) \
         ON CONFLICT (list_id, person_id) DO NOTHING",
    )
    .bind(list)
    .bind(person)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn remove_from_list<'c, E: Executor<'c, Database = Any>>(
    e: E,
    list: i64,
    person: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM list_members WHERE list_id = $1 AND person_id = $2")
        .bind(list)
        .bind(person)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn lists_of<'c, E: Executor<'c, Database = Any>>(
    e: E,
    person: i64,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT l.public_id, l.name FROM list_members m JOIN lists l ON l.id = m.list_id WHERE m.person_id = $1 ORDER BY l.name",
    )
    .bind(person)
    .fetch_all(e)
    .await?)
}

pub async fn list_member_ids<'c, E: Executor<'c, Database = Any>>(
    e: E,
    list: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT person_id FROM list_members WHERE list_id = $1 AND person_id > $2 ORDER BY person_id LIMIT $3",
    )
    .bind(list)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Refreshes the planner's statistics of the people tables (PostgreSQL; SQLite's planner does
/// not need it for these queries). With `vacuum`, also marks the new rows visible to
/// index-only scans, which segment counts rely on — done once at the end of a large import.
pub async fn refresh_statistics(db: &crate::Db, vacuum: bool) -> Result<()> {
    if db.backend() == crate::Backend::Postgres {
        let verb = if vacuum {
            "VACUUM (ANALYZE)"
        } else {
            "ANALYZE"
        };
        for t in ["people", "person_labels", "consents", "person_events"] {
            sqlx::query(crate::sql!("{verb} {t}"))
                .execute(&db.pool)
                .await?;
        }
    }
    Ok(())
}
