//! The organization's archive: everything it published and gathered — people and their
//! consents, lists, posts with their per-network links and figures, media files, campaigns and
//! their send logs, events, discussions, fediverse followers and reactions — in one portable
//! file (a zip: `kehilla-archive.json`, the media files, and a static copy of the site that
//! opens from disk), and the way back into another instance with nothing lost.
//!
//! Rows are copied generically, table by table in the order of their references, with every
//! internal id renumbered through the references listed in [`TABLES`] (a test checks that list
//! against the schema). Public ids travel unchanged. Members are matched by email on import (an
//! unknown one gets an account without a password: "forgot password" lets them in). Secrets do
//! not travel: network tokens, the DKIM key, the SMS gateway's secret and the fediverse key are
//! left behind, and the organization reconnects them.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};

use kehilla_db::sqlx::{self, Column, Row};
use kehilla_db::{Backend, Db, now_ms};
use serde_json::{Map, Value, json};

use crate::{AppError, Result};

pub const FORMAT: i64 = 1;
/// The largest entry of an archive read, and the largest archive.
const MAX_ENTRY: u64 = 512 * 1024 * 1024;
const MAX_TOTAL: u64 = 8 * 1024 * 1024 * 1024;
pub const MANIFEST: &str = "kehilla-archive.json";

/// A field of a JSON document by its path (`/a/b`), or null.
fn at<'a>(v: &'a Value, path: &str) -> &'a Value {
    v.pointer(path).unwrap_or(&Value::Null)
}

/// The archive's parts once read: the data and the media files (storage key, bytes).
type Unpacked = (Value, Vec<(String, Vec<u8>)>);

/// How a table's rows are found for one organization.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// `organization_id = $1`.
    Org,
    /// `{column} IN` the ids exported from `{table}`.
    Via(&'static str, &'static str),
}

/// A table of the archive: its name, whether its `id` is renumbered, how its rows are found,
/// the columns that name another table's row, and the columns that are left behind (secrets).
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub has_id: bool,
    pub scope: Scope,
    pub refs: &'static [(&'static str, &'static str)],
    pub blank: &'static [&'static str],
}

const fn t(
    name: &'static str,
    has_id: bool,
    scope: Scope,
    refs: &'static [(&'static str, &'static str)],
) -> Table {
    Table {
        name,
        has_id,
        scope,
        refs,
        blank: &[],
    }
}

/// Every table the archive carries, parents first. References to `users` go through members'
/// email addresses; `organization_id` is the organization's.
pub const TABLES: &[Table] = &[
    t("people", true, Scope::Org, &[]),
    t(
        "person_labels",
        false,
        Scope::Org,
        &[("person_id", "people")],
    ),
    t("custom_fields", true, Scope::Org, &[]),
    t(
        "person_fields",
        false,
        Scope::Org,
        &[("person_id", "people"), ("field_id", "custom_fields")],
    ),
    t("role_options", false, Scope::Org, &[]),
    t("consents", true, Scope::Org, &[("person_id", "people")]),
    t(
        "person_events",
        true,
        Scope::Org,
        &[("person_id", "people")],
    ),
    t("lists", true, Scope::Org, &[]),
    t(
        "list_members",
        false,
        Scope::Via("list_id", "lists"),
        &[("list_id", "lists"), ("person_id", "people")],
    ),
    t("segments", true, Scope::Org, &[]),
    t("forms", true, Scope::Org, &[("list_id", "lists")]),
    t("audiences", true, Scope::Org, &[("segment_id", "segments")]),
    t(
        "channels",
        true,
        Scope::Org,
        &[("audience_id", "audiences")],
    ),
    t(
        "goals",
        true,
        Scope::Org,
        &[("channel_id", "channels"), ("audience_id", "audiences")],
    ),
    Table {
        name: "connections",
        has_id: true,
        scope: Scope::Org,
        refs: &[("channel_id", "channels")],
        blank: &["token_sealed", "refresh_sealed"],
    },
    t(
        "posts",
        true,
        Scope::Org,
        &[("author_id", "users"), ("approved_by", "users")],
    ),
    t(
        "post_variants",
        true,
        Scope::Org,
        &[("post_id", "posts"), ("channel_id", "channels")],
    ),
    t("media", true, Scope::Org, &[("uploaded_by", "users")]),
    t(
        "media_files",
        false,
        Scope::Via("media_id", "media"),
        &[("media_id", "media")],
    ),
    t(
        "post_media",
        false,
        Scope::Via("post_id", "posts"),
        &[("post_id", "posts"), ("media_id", "media")],
    ),
    t(
        "post_history",
        true,
        Scope::Org,
        &[("post_id", "posts"), ("actor_id", "users")],
    ),
    t(
        "publications",
        true,
        Scope::Org,
        &[("post_id", "posts"), ("channel_id", "channels")],
    ),
    t("campaigns", true, Scope::Org, &[("created_by", "users")]),
    t(
        "links",
        true,
        Scope::Org,
        &[
            ("post_id", "posts"),
            ("channel_id", "channels"),
            ("campaign_id", "campaigns"),
        ],
    ),
    t(
        "clicks",
        true,
        Scope::Org,
        &[
            ("link_id", "links"),
            ("post_id", "posts"),
            ("channel_id", "channels"),
            ("campaign_id", "campaigns"),
        ],
    ),
    t(
        "campaign_recipients",
        true,
        Scope::Org,
        &[("campaign_id", "campaigns"), ("person_id", "people")],
    ),
    t("suppressions", false, Scope::Org, &[]),
    Table {
        name: "mail_senders",
        has_id: false,
        scope: Scope::Org,
        refs: &[],
        blank: &[
            "dkim_key_sealed",
            "dkim_public",
            "dkim_domain",
            "dkim_selector",
        ],
    },
    t("automations", true, Scope::Org, &[]),
    t(
        "automation_steps",
        true,
        Scope::Via("automation_id", "automations"),
        &[
            ("automation_id", "automations"),
            ("campaign_id", "campaigns"),
        ],
    ),
    t(
        "automation_runs",
        true,
        Scope::Org,
        &[("automation_id", "automations"), ("person_id", "people")],
    ),
    t("site_pages", true, Scope::Org, &[]),
    t("events", true, Scope::Org, &[("post_id", "posts")]),
    t("event_shifts", true, Scope::Org, &[("event_id", "events")]),
    t(
        "rsvps",
        true,
        Scope::Org,
        &[
            ("event_id", "events"),
            ("shift_id", "event_shifts"),
            ("person_id", "people"),
        ],
    ),
    t(
        "pledges",
        true,
        Scope::Org,
        &[("post_id", "posts"), ("person_id", "people")],
    ),
    t("boards", true, Scope::Org, &[]),
    t("commenters", true, Scope::Org, &[("person_id", "people")]),
    t(
        "comments",
        true,
        Scope::Org,
        &[
            ("post_id", "posts"),
            ("board_id", "boards"),
            ("parent_id", "comments"),
            ("commenter_id", "commenters"),
            ("moderated_by", "users"),
        ],
    ),
    t("ap_followers", true, Scope::Org, &[]),
    t("ap_following", true, Scope::Org, &[]),
    t("ap_items", true, Scope::Org, &[("post_id", "posts")]),
    t("ap_outbox", true, Scope::Org, &[("post_id", "posts")]),
    t(
        "inbox_identities",
        true,
        Scope::Org,
        &[("person_id", "people")],
    ),
    t(
        "inbox_conversations",
        true,
        Scope::Org,
        &[
            ("channel_id", "channels"),
            ("post_id", "posts"),
            ("identity_id", "inbox_identities"),
            ("assignee_id", "users"),
            ("first_responder_id", "users"),
            ("done_by", "users"),
        ],
    ),
    t(
        "inbox_messages",
        true,
        Scope::Org,
        &[
            ("conversation_id", "inbox_conversations"),
            ("identity_id", "inbox_identities"),
            ("user_id", "users"),
        ],
    ),
    t(
        "inbox_notes",
        true,
        Scope::Org,
        &[
            ("conversation_id", "inbox_conversations"),
            ("user_id", "users"),
        ],
    ),
    t("inbox_saved_replies", true, Scope::Org, &[]),
    t(
        "metric_points",
        true,
        Scope::Org,
        &[("channel_id", "channels"), ("post_id", "posts")],
    ),
    t(
        "daily_metrics",
        false,
        Scope::Org,
        &[("channel_id", "channels")],
    ),
    t(
        "conversions",
        true,
        Scope::Org,
        &[
            ("person_id", "people"),
            ("post_id", "posts"),
            ("channel_id", "channels"),
        ],
    ),
    t("inbox_settings", false, Scope::Org, &[]),
    t("memberships", true, Scope::Org, &[("user_id", "users")]),
];

/// References the schema does not enforce (the row named may be gone): an unknown one becomes
/// empty on import instead of refusing the archive.
const SOFT: &[(&str, &str)] = &[
    ("rsvps", "shift_id"),
    ("metric_points", "channel_id"),
    ("metric_points", "post_id"),
    ("daily_metrics", "channel_id"),
    ("conversions", "post_id"),
    ("conversions", "channel_id"),
    ("clicks", "post_id"),
    ("clicks", "channel_id"),
    ("clicks", "campaign_id"),
];

/// Tables whose soft references say "none" with 0 rather than NULL.
const ZERO_IS_NONE: &[&str] = &["rsvps", "metric_points", "daily_metrics", "conversions"];

/// Tables that belong to an organization but stay behind, and why (a test checks that every
/// table is in one list or the other).
pub const LEFT_BEHIND: &[(&str, &str)] = &[
    ("jobs", "work in progress of this instance"),
    ("api_tokens", "secrets of this instance's members"),
    ("invitations", "secret, one-use links"),
    ("oauth_states", "sign-ins in progress"),
    (
        "form_confirmations",
        "sign-ups awaiting confirmation (secret links)",
    ),
    ("imports", "import runs of this instance"),
    ("import_chunks", "import runs of this instance"),
    ("import_problems", "import runs of this instance"),
    ("event_messages", "reminders already sent"),
    ("notifications", "members' in-app notifications"),
    ("audit_log", "this instance's record of who did what"),
    ("sms_gateways", "the gateway's secret does not travel"),
    (
        "ap_keys",
        "the fediverse key does not travel; a new one is made",
    ),
    (
        "inbox_cursors",
        "where this instance's polling stopped (tokens do not travel)",
    ),
    (
        "inbox_digests",
        "members' own digest choices on this instance",
    ),
];

/// A value as JSON: integer, real, text or null.
fn value_of(row: &kehilla_db::sqlx::any::AnyRow, i: usize) -> Value {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map_or(Value::Null, Value::from);
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v.map_or(Value::Null, Value::from);
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return v.map_or(Value::Null, Value::from);
    }
    Value::Null
}

async fn rows(db: &Db, sql: String, org: i64) -> Result<Vec<Map<String, Value>>> {
    let found = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(org)
        .fetch_all(&db.pool)
        .await?;
    Ok(found
        .iter()
        .map(|r| {
            r.columns()
                .iter()
                .map(|c| (c.name().to_string(), value_of(r, c.ordinal())))
                .collect()
        })
        .collect())
}

fn ids(rows: &[Map<String, Value>]) -> Vec<i64> {
    rows.iter().filter_map(|r| r.get("id")?.as_i64()).collect()
}

/// The archive's data: the organization, its members (by email) and every table's rows.
pub async fn collect(db: &Db, slug: &str) -> Result<Value> {
    let org = kehilla_db::orgs::by_slug(&db.pool, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tables = Map::new();
    let mut exported: HashMap<&str, Vec<i64>> = HashMap::new();
    for t in TABLES {
        let order = if t.has_id { "id" } else { "1" };
        let sql = match t.scope {
            Scope::Org => format!(
                "SELECT * FROM {} WHERE organization_id = $1 ORDER BY {order}",
                t.name
            ),
            Scope::Via(col, parent) => {
                let list = exported.get(parent).cloned().unwrap_or_default();
                // Integers from the database itself: safe in the SQL text.
                let list = if list.is_empty() {
                    "NULL".to_string()
                } else {
                    list.iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                };
                format!(
                    "SELECT * FROM {} WHERE $1 = $1 AND {col} IN ({list}) ORDER BY {order}",
                    t.name
                )
            }
        };
        let mut found = rows(db, sql, org.id).await?;
        // A table without an id keeps a stable order: by all its columns.
        if !t.has_id {
            found.sort_by_key(|r| Value::Object(r.clone()).to_string());
        }
        for r in &mut found {
            for b in t.blank {
                if r.contains_key(*b) {
                    r.insert((*b).to_string(), Value::from(""));
                }
            }
        }
        exported.insert(t.name, ids(&found));
        tables.insert(
            t.name.to_string(),
            Value::Array(found.into_iter().map(Value::Object).collect()),
        );
    }
    // The members and the people behind other references to users, by email.
    let users: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.email, u.name, u.lang FROM users u WHERE u.id IN \
         (SELECT user_id FROM memberships WHERE organization_id = $1 \
          UNION SELECT author_id FROM posts WHERE organization_id = $1 AND author_id IS NOT NULL \
          UNION SELECT approved_by FROM posts WHERE organization_id = $1 AND approved_by IS NOT NULL \
          UNION SELECT uploaded_by FROM media WHERE organization_id = $1 AND uploaded_by IS NOT NULL \
          UNION SELECT created_by FROM campaigns WHERE organization_id = $1 AND created_by IS NOT NULL \
          UNION SELECT actor_id FROM post_history WHERE organization_id = $1 AND actor_id IS NOT NULL \
          UNION SELECT moderated_by FROM comments WHERE organization_id = $1 AND moderated_by IS NOT NULL) \
         ORDER BY u.id",
    )
    .bind(org.id)
    .fetch_all(&db.pool)
    .await?;
    let org_row = rows(
        db,
        "SELECT * FROM organizations WHERE id = $1".to_string(),
        org.id,
    )
    .await?
    .into_iter()
    .next()
    .unwrap_or_default();
    Ok(json!({
        "format": FORMAT,
        "exported_at": now_ms(),
        "organization": org_row,
        "users": users.iter().map(|(id, email, name, lang)| json!({"id": id, "email": email, "name": name, "lang": lang})).collect::<Vec<_>>(),
        "tables": tables,
    }))
}

/// Writes the archive of organization `slug` to `out`: the data, the media files, and a static
/// copy of the site. Returns (rows, files).
pub async fn export(
    db: &Db,
    storage: &crate::studio::media::Storage,
    base: &str,
    slug: &str,
    out: &std::path::Path,
) -> Result<(usize, usize)> {
    let data = collect(db, slug).await?;
    let rows: usize = at(&data, "/tables")
        .as_object()
        .map(|t| t.values().filter_map(Value::as_array).map(Vec::len).sum())
        .unwrap_or(0);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for f in at(&data, "/tables/media_files")
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let key = at(&f, "/storage_key")
            .as_str()
            .unwrap_or_default()
            .to_string();
        if key.is_empty() {
            continue;
        }
        let bytes = storage.get(&key).await?;
        files.push((format!("media/{key}"), bytes));
    }
    for (name, html) in static_site(db, base, slug).await? {
        files.push((format!("site/{name}"), html.into_bytes()));
    }
    let manifest =
        serde_json::to_vec_pretty(&data).map_err(|e| AppError::Internal(e.to_string()))?;
    let path = out.to_path_buf();
    let n = files.len();
    tokio::task::spawn_blocking(move || -> Result<()> {
        let file = std::fs::File::create(&path)
            .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let z = |e: zip::result::ZipError| AppError::Internal(e.to_string());
        zip.start_file(MANIFEST, opts).map_err(z)?;
        zip.write_all(&manifest)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        for (name, bytes) in files {
            zip.start_file(name, opts).map_err(z)?;
            zip.write_all(&bytes)
                .map_err(|e| AppError::Internal(e.to_string()))?;
        }
        zip.finish().map_err(z)?;
        Ok(())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok((rows, n))
}

/// The site as files that open from disk: `index.html`, a page per post and per simple page,
/// pictures from `../media/`.
async fn static_site(db: &Db, base: &str, slug: &str) -> Result<Vec<(String, String)>> {
    use crate::messaging::render::escape;
    let site = crate::home::site::load(db, base, slug).await?;
    let mut all = Vec::new();
    let mut before = None;
    loop {
        let page = crate::home::site::posts(db, &site, base, None, before).await?;
        if page.is_empty() {
            break;
        }
        before = page.last().and_then(|p| p.post.published_at);
        let n = page.len();
        all.extend(page);
        if n < usize::try_from(crate::home::site::PER_PAGE).unwrap_or(20) {
            break;
        }
    }
    let frame = |title: &str, lang: &str, dir: &str, body: &str| {
        format!(
            "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{}</title><style>body{{font-family:system-ui,sans-serif;max-width:48rem;margin:auto;padding:1rem;line-height:1.5}}img{{max-width:100%;height:auto}}</style></head>\n<body>\n{body}\n</body>\n</html>\n",
            escape(title)
        )
    };
    let file_of = |slug: &str| format!("p/{}.html", crate::home::site::path_segment(slug));
    let media = |path: &str| {
        // `/m/{id}/large` → the archived file of that media.
        path.trim_start_matches('/').to_string()
    };
    let mut out = Vec::new();
    let mut list = String::new();
    for p in &all {
        list.push_str(&format!(
            "<li dir=\"auto\"><a href=\"{}\">{}</a></li>\n",
            escape(&file_of(&p.post.slug)),
            escape(&p.title)
        ));
        let mut body = format!(
            "<p><a href=\"../index.html\">{}</a></p>\n<article lang=\"{}\" dir=\"{}\">\n<h1>{}</h1>\n",
            escape(&site.org.name),
            p.lang.code(),
            p.lang.dir(),
            escape(&p.title)
        );
        for img in &p.images {
            body.push_str(&format!(
                "<p><img src=\"../../{}\" alt=\"{}\"></p>\n",
                escape(&media(&img.path)),
                escape(&img.alt)
            ));
        }
        body.push_str(&p.html);
        body.push_str("</article>\n");
        out.push((
            file_of(&p.post.slug),
            frame(&p.title, p.lang.code(), p.lang.dir(), &body),
        ));
    }
    for page in &site.pages {
        let name = format!("pages/{}.html", crate::home::site::path_segment(&page.slug));
        list.push_str(&format!(
            "<li dir=\"auto\"><a href=\"{}\">{}</a></li>\n",
            escape(&name),
            escape(&page.title)
        ));
        let body = format!(
            "<p><a href=\"../index.html\">{}</a></p>\n<h1 dir=\"auto\">{}</h1>\n{}",
            escape(&site.org.name),
            escape(&page.title),
            crate::home::site::page_html(&page.body)
        );
        out.push((name, frame(&page.title, "he", "rtl", &body)));
    }
    let home = format!(
        "<h1 dir=\"auto\">{}</h1>\n<p dir=\"auto\">{}</p>\n<ul>\n{list}</ul>\n",
        escape(&site.org.name),
        escape(&site.settings.description)
    );
    out.push((
        "index.html".into(),
        frame(&site.org.name, "he", "rtl", &home),
    ));
    Ok(out)
}

/// Whether a file is a Kehilla archive (a zip), not a spreadsheet.
pub fn is_archive(file: &std::path::Path) -> bool {
    let mut head = [0u8; 4];
    std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == *b"PK\x03\x04"
        && std::fs::File::open(file)
            .ok()
            .and_then(|f| zip::ZipArchive::new(f).ok())
            .is_some_and(|mut z| z.by_name(MANIFEST).is_ok())
}

/// The type each column of a table takes here, for binding nulls and values right.
async fn column_kinds(db: &Db, table: &str) -> Result<HashMap<String, char>> {
    let rows: Vec<(String, String)> = match db.backend() {
        Backend::Sqlite => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT name, type FROM pragma_table_info('{table}')"
            )))
            .fetch_all(&db.pool)
            .await?
        }
        Backend::Postgres => {
            sqlx::query_as(
                "SELECT column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_name = $1",
            )
            .bind(table)
            .fetch_all(&db.pool)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(name, ty)| {
            let ty = ty.to_ascii_lowercase();
            let kind = if ty.contains("int") {
                'i'
            } else if ty.contains("real") || ty.contains("double") || ty.contains("float") {
                'f'
            } else {
                't'
            };
            (name, kind)
        })
        .collect())
}

/// Restores an archive into this instance: a new organization (`slug`, or the archive's own),
/// its rows renumbered, its media files stored. Returns the organization's slug and the rows
/// written.
pub async fn import(
    db: &Db,
    storage: &crate::studio::media::Storage,
    file: &std::path::Path,
    slug: Option<&str>,
) -> Result<(String, usize)> {
    let path = file.to_path_buf();
    let (data, files) = tokio::task::spawn_blocking(move || -> Result<Unpacked> {
        let f = std::fs::File::open(&path)
            .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
        let mut zip = zip::ZipArchive::new(f).map_err(|_| AppError::Conflict("archive-invalid"))?;
        let mut data = Value::Null;
        let mut files = Vec::new();
        let mut total = 0u64;
        for i in 0..zip.len() {
            let mut entry = zip
                .by_index(i)
                .map_err(|_| AppError::Conflict("archive-invalid"))?;
            let name = entry
                .name()
                .map_err(|_| AppError::Conflict("archive-invalid"))?
                .to_string();
            // A declared size is checked first and the read is capped too: no zip bomb.
            if entry.size() > MAX_ENTRY {
                return Err(AppError::Conflict("archive-invalid"));
            }
            total += entry.size();
            if total > MAX_TOTAL {
                return Err(AppError::Conflict("archive-invalid"));
            }
            let mut bytes = Vec::new();
            (&mut entry)
                .take(MAX_ENTRY + 1)
                .read_to_end(&mut bytes)
                .map_err(|_| AppError::Conflict("archive-invalid"))?;
            if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_ENTRY {
                return Err(AppError::Conflict("archive-invalid"));
            }
            if name == MANIFEST {
                data = serde_json::from_slice(&bytes)
                    .map_err(|_| AppError::Conflict("archive-invalid"))?;
            } else if let Some(key) = name.strip_prefix("media/") {
                files.push((key.to_string(), bytes));
            }
        }
        Ok((data, files))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    if at(&data, "/format").as_i64() != Some(FORMAT) {
        return Err(AppError::Conflict("archive-invalid"));
    }
    let org_row = at(&data, "/organization")
        .as_object()
        .cloned()
        .unwrap_or_default();
    let slug = match slug {
        Some(s) => kehilla_domain::validate::slug(s).map_err(AppError::input("slug"))?,
        None => org_row
            .get("slug")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    };
    if kehilla_db::orgs::by_slug(&db.pool, &slug).await?.is_some() {
        return Err(AppError::Conflict("slug-taken"));
    }
    let mut tx = db.begin().await?;
    let name = org_row
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(&slug)
        .to_string();
    let org = kehilla_db::orgs::create(&mut *tx, &slug, &name).await?;
    // The organization's own settings: the columns this instance has, but its id, public id,
    // slug, creation and own domain (a domain is this instance's to give: set it again here).
    let kinds = column_kinds(db, "organizations").await?;
    for (col, v) in &org_row {
        if matches!(
            col.as_str(),
            "id" | "public_id" | "slug" | "name" | "created_at" | "site_domain"
        ) || v.is_null()
        {
            continue;
        }
        let Some(kind) = kinds.get(col).copied() else {
            return Err(AppError::Conflict("archive-invalid"));
        };
        let sql = format!("UPDATE organizations SET {col} = $1 WHERE id = $2");
        let q = bind(sqlx::query(sqlx::AssertSqlSafe(sql)), v, kind);
        q.bind(org.id).execute(&mut *tx).await?;
    }
    // Members and authors, by email.
    let mut map: HashMap<String, HashMap<i64, i64>> = HashMap::new();
    for u in at(&data, "/users").as_array().cloned().unwrap_or_default() {
        let old = at(&u, "/id").as_i64().unwrap_or_default();
        let email = at(&u, "/email").as_str().unwrap_or_default();
        let id = match kehilla_db::users::by_email(&mut *tx, email).await? {
            Some(found) => found.id,
            None => {
                kehilla_db::users::create(
                    &mut *tx,
                    email,
                    at(&u, "/name").as_str().unwrap_or_default(),
                    "!",
                    at(&u, "/lang").as_str().unwrap_or("he"),
                )
                .await?
                .id
            }
        };
        map.entry("users".into()).or_default().insert(old, id);
    }
    let mut written = 0;
    // Media files are stored under new keys of this organization (an archive cannot name, or
    // overwrite, another organization's files): old key → new key.
    let mut keys: HashMap<String, String> = HashMap::new();
    for t in TABLES {
        let kinds = column_kinds(db, t.name).await?;
        for row in at(&data, &format!("/tables/{}", t.name))
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let Some(row) = row.as_object() else { continue };
            let old_id = row.get("id").and_then(Value::as_i64);
            let mut cols = Vec::new();
            let mut vals: Vec<(Value, char)> = Vec::new();
            for (col, v) in row {
                if t.has_id && col == "id" {
                    continue;
                }
                if !kinds.contains_key(col) {
                    return Err(AppError::Conflict("archive-invalid"));
                }
                let mut v = v.clone();
                if col == "organization_id" {
                    v = Value::from(org.id);
                } else if t.name == "media_files" && col == "storage_key" {
                    let old = v.as_str().unwrap_or_default().to_string();
                    let new = format!(
                        "media/{}/imported-{}",
                        org.public_id,
                        kehilla_db::random_hex(16)
                    );
                    keys.insert(old, new.clone());
                    v = Value::from(new);
                } else if let Some((_, target)) = t.refs.iter().find(|(c, _)| c == col)
                    && let Some(old) = v.as_i64()
                    && !(ZERO_IS_NONE.contains(&t.name) && old == 0)
                {
                    match map.get(*target).and_then(|m| m.get(&old)).copied() {
                        Some(new) => v = Value::from(new),
                        // A reference the schema does not enforce may name a row that is gone.
                        None if SOFT.contains(&(t.name, col.as_str())) => {
                            v = if ZERO_IS_NONE.contains(&t.name) {
                                Value::from(0)
                            } else {
                                Value::Null
                            };
                        }
                        None => return Err(AppError::Conflict("archive-invalid")),
                    }
                }
                cols.push(col.clone());
                vals.push((v, kinds.get(col).copied().unwrap_or('t')));
            }
            let placeholders: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
            let mut sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                t.name,
                cols.join(", "),
                placeholders.join(", ")
            );
            if t.has_id {
                sql.push_str(" RETURNING id");
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (v, k) in &vals {
                q = bind(q, v, *k);
            }
            if t.has_id {
                let r = q.fetch_one(&mut *tx).await?;
                let new: i64 = r.try_get(0)?;
                if let Some(old) = old_id {
                    map.entry(t.name.to_string()).or_default().insert(old, new);
                }
            } else {
                q.execute(&mut *tx).await?;
            }
            written += 1;
        }
    }
    // Automations look at person events after their cursor: the imported ones are history.
    sqlx::query(
        "UPDATE automations SET event_cursor = (SELECT COALESCE(MAX(id), 0) FROM person_events) \
         WHERE organization_id = $1",
    )
    .bind(org.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    for (key, bytes) in files {
        // Only the files the archive's own media rows name.
        if let Some(new) = keys.get(&key) {
            storage.put(new, &bytes).await?;
        }
    }
    Ok((slug, written))
}

fn bind<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    v: &Value,
    kind: char,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    match (kind, v) {
        ('i', Value::Null) => q.bind(None::<i64>),
        ('f', Value::Null) => q.bind(None::<f64>),
        (_, Value::Null) => q.bind(None::<String>),
        ('i', v) => q.bind(v.as_i64()),
        ('f', v) => q.bind(v.as_f64()),
        (_, Value::String(s)) => q.bind(s.clone()),
        (_, v) => q.bind(v.to_string()),
    }
}

/// The archive's rows with every renumbered id replaced by its rank in its table (and every
/// reference by the rank of the row it names), so that two archives of the same data compare
/// equal whatever ids the instances gave.
pub fn normalized(data: &Value) -> BTreeMap<String, Vec<Value>> {
    let mut rank: HashMap<&str, HashMap<i64, usize>> = HashMap::new();
    for t in TABLES.iter().filter(|t| t.has_id) {
        let m = rank.entry(t.name).or_default();
        for (i, r) in at(data, &format!("/tables/{}", t.name))
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(id) = at(r, "/id").as_i64() {
                m.insert(id, i);
            }
        }
    }
    let users: HashMap<i64, String> = at(data, "/users")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| {
            Some((
                at(u, "/id").as_i64()?,
                at(u, "/email").as_str()?.to_string(),
            ))
        })
        .collect();
    let mut out = BTreeMap::new();
    for t in TABLES {
        let mut rows = Vec::new();
        for r in at(data, &format!("/tables/{}", t.name))
            .as_array()
            .into_iter()
            .flatten()
        {
            let mut r = r.clone();
            if let Some(o) = r.as_object_mut() {
                o.remove("organization_id");
                // Files are compared by their contents; their keys are each instance's own.
                if t.name == "media_files" {
                    o.insert("storage_key".into(), Value::from(""));
                }
                if t.has_id
                    && let Some(id) = o.get("id").and_then(Value::as_i64)
                {
                    o.insert(
                        "id".into(),
                        json!(rank.get(t.name).and_then(|m| m.get(&id))),
                    );
                }
                for (col, target) in t.refs {
                    if let Some(v) = o.get(*col).and_then(Value::as_i64) {
                        let new = if *target == "users" {
                            json!(users.get(&v))
                        } else if v == 0 && t.name == "rsvps" {
                            json!(0)
                        } else {
                            json!(rank.get(target).and_then(|m| m.get(&v)))
                        };
                        o.insert((*col).to_string(), new);
                    }
                }
            }
            rows.push(r);
        }
        if !t.has_id {
            rows.sort_by_key(Value::to_string);
        }
        out.insert(t.name.to_string(), rows);
    }
    out
}
