//! Import of people from CSV or XLSX: upload (decoded to UTF-8 and stored), a mapping screen
//! with guessed columns and a preview, then a durable job that works in batches of rows, each
//! batch one transaction that also records the progress — so a restart continues where it
//! stopped, without gaps or duplicates. Every problem becomes a row of the report.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use futures::future::BoxFuture;
use kehilla_db::imports::{self, Import};
use kehilla_db::jobs::{self, Claimed, NewJob};
use kehilla_db::segments::Param;
use kehilla_db::{Db, Tx, new_public_id, now_ms, people};
use kehilla_domain::people::{
    Column, TextEncoding, decode_text, guess_column, normalize_email, normalize_phone, parse_yes_no,
};
use serde::{Deserialize, Serialize};

use super::person;
use crate::audit::Actor;
use crate::jobs::{JobContext, JobError, JobHandler};
use crate::members::OrgMember;
use crate::{AppError, Result};

/// Rows per batch (and per transaction).
pub const BATCH: usize = 2000;

fn encoding_name(e: TextEncoding) -> &'static str {
    match e {
        TextEncoding::Utf8 => "utf-8",
        TextEncoding::Utf8Bom => "utf-8-bom",
        TextEncoding::Utf16Le => "utf-16le",
        TextEncoding::Utf16Be => "utf-16be",
        TextEncoding::Windows1255 => "windows-1255",
    }
}

/// Turns an uploaded file into CSV text: XLSX (first sheet) or a text file in UTF-8 (with or
/// without BOM), UTF-16 or Windows-1255. Returns the text, the encoding found and the number of
/// data rows.
pub fn read_upload(file_name: &str, bytes: &[u8]) -> Result<(String, String, i64)> {
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let (text, encoding) = if is_zip || file_name.to_lowercase().ends_with(".xlsx") {
        (xlsx_to_csv(bytes)?, "xlsx".to_string())
    } else {
        if bytes.contains(&0)
            && !bytes.starts_with(&[0xFF, 0xFE])
            && !bytes.starts_with(&[0xFE, 0xFF])
        {
            return Err(AppError::Conflict("import-not-text"));
        }
        let (t, e) = decode_text(bytes);
        (t, encoding_name(e).to_string())
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|_| AppError::Conflict("import-not-csv"))?
        .clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(AppError::Conflict("import-empty"));
    }
    let mut rows = 0i64;
    for r in rdr.records() {
        r.map_err(|_| AppError::Conflict("import-not-csv"))?;
        rows += 1;
    }
    Ok((text, encoding, rows))
}

fn xlsx_to_csv(bytes: &[u8]) -> Result<String> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|_| AppError::Conflict("import-bad-xlsx"))?;
    let Some(Ok(range)) = book.worksheet_range_at(0) else {
        return Err(AppError::Conflict("import-bad-xlsx"));
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in range.rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                calamine::Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                    format!("{}", *f as i64)
                }
                other => other.to_string(),
            })
            .collect();
        w.write_record(&cells)
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    let out = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    String::from_utf8(out).map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn upload(db: &Db, by: &OrgMember, file_name: &str, bytes: &[u8]) -> Result<Import> {
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let (text, encoding, rows) = read_upload(&name, bytes)?;
    let mut tx = db.begin().await?;
    let imp = imports::create(
        &mut *tx, by.org.id, by.user.id, &name, &encoding, &text, rows,
    )
    .await?;
    tx.commit().await?;
    Ok(imp)
}

/// The header row, the guessed column of each, and the first rows, for the mapping screen.
pub struct Preview {
    pub headers: Vec<String>,
    pub guesses: Vec<Option<Column>>,
    pub rows: Vec<Vec<String>>,
}

pub async fn preview(db: &Db, imp: &Import) -> Result<Preview> {
    let head = imports::head(&db.pool, imp.id).await?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(head.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let guesses = headers.iter().map(|h| guess_column(h)).collect();
    let rows = rdr
        .records()
        .filter_map(|r| r.ok())
        .take(10)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    Ok(Preview {
        headers,
        guesses,
        rows,
    })
}

/// What the uploader declared about consent: for which channel and purpose the people in the
/// file agreed, and on what basis (stored as the ledger's wording).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Basis {
    pub channel: String,
    pub purpose: String,
    pub basis: String,
}

/// Starts an import in the background (the `people.import` job).
pub async fn start(
    db: &Db,
    by: &OrgMember,
    public_id: &str,
    mapping: &[Option<Column>],
    basis: Option<Basis>,
    list: Option<&str>,
    _actor: &Actor,
) -> Result<()> {
    begin(db, by, public_id, mapping, basis, list, true)
        .await
        .map(|_| ())
}

/// Runs an import here and now, to its end (`kehilla import`).
pub async fn run_now(
    db: &Db,
    by: &OrgMember,
    public_id: &str,
    mapping: &[Option<Column>],
    basis: Option<Basis>,
) -> Result<Import> {
    let id = begin(db, by, public_id, mapping, basis, None, false).await?;
    run_import(db, id).await?;
    Ok(imports::by_id(&db.pool, id).await?)
}

async fn begin(
    db: &Db,
    by: &OrgMember,
    public_id: &str,
    mapping: &[Option<Column>],
    basis: Option<Basis>,
    list: Option<&str>,
    background: bool,
) -> Result<i64> {
    if !mapping
        .iter()
        .any(|m| matches!(m, Some(Column::Email) | Some(Column::Phone)))
    {
        return Err(AppError::Conflict("import-needs-email-or-phone"));
    }
    if let Some(b) = &basis {
        super::consent::check_channel(&b.channel)?;
        super::consent::check_purpose(&b.purpose)?;
        if b.basis.trim().is_empty() {
            return Err(AppError::Input {
                field: "basis",
                error: kehilla_domain::validate::InputError::Required,
            });
        }
    }
    let imp = imports::get(&db.pool, by.org.id, public_id).await?;
    let list_id = match list.map(str::trim).filter(|l| !l.is_empty()) {
        Some(l) => Some(people::list(&db.pool, by.org.id, l).await?.id),
        None => None,
    };
    let mapping_json: Vec<Option<&str>> = mapping.iter().map(|m| m.map(|c| c.as_str())).collect();
    let mut tx = db.begin().await?;
    if !imports::start(
        &mut *tx,
        imp.id,
        &serde_json::to_string(&mapping_json).unwrap_or_default(),
        &basis
            .map(|b| serde_json::to_string(&b).unwrap_or_default())
            .unwrap_or_default(),
        list_id,
    )
    .await?
    {
        return Err(AppError::Conflict("import-started"));
    }
    if background {
        jobs::enqueue(
            &mut *tx,
            NewJob::new(ImportJob::KIND, serde_json::json!({"import": imp.id}))
                .org(by.org.id)
                .unique(format!("import:{}", imp.public_id))
                .max_attempts(5),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(imp.id)
}

/// `people.import`: works through an import in batches.
pub struct ImportJob;

impl ImportJob {
    pub const KIND: &'static str = "people.import";
}

impl JobHandler for ImportJob {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        job: &'a Claimed,
    ) -> BoxFuture<'a, std::result::Result<(), JobError>> {
        Box::pin(async move {
            let id = crate::jobs::payload_id(job, "import")?;
            let result = run_import(&ctx.db, id).await;
            let last_try = job.attempts >= job.max_attempts;
            match result {
                Ok(()) => Ok(()),
                // Another run is ahead and finishes the import.
                Err(AppError::Conflict("import-overtaken")) => Ok(()),
                // The database away, a full disk or a passing fault: the next try resumes
                // after the last batch written.
                Err(
                    AppError::Internal(s) | AppError::Unavailable(s) | AppError::StorageFull(s),
                ) if !last_try => Err(JobError::Retry(s)),
                Err(e) => {
                    // Given up: say so on the import's page, and drop the stored file.
                    let mut tx = ctx.db.begin().await?;
                    imports::finish(&mut *tx, id, "failed").await?;
                    tx.commit()
                        .await
                        .map_err(|e| JobError::Retry(e.to_string()))?;
                    Err(JobError::Permanent(e.code().to_string()))
                }
            }
        })
    }
}

struct Row {
    row_no: i64,
    first: String,
    last: String,
    email: Option<String>,
    phone: Option<String>,
    lang: String,
    notes: String,
    roles: Vec<String>,
    tags: Vec<String>,
    consent: Option<bool>,
}

fn key_hash(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

fn split_labels(v: &str) -> Vec<String> {
    v.split([',', ';', '|']).filter_map(person::label).collect()
}

fn parse_lang(v: &str) -> String {
    match kehilla_domain::people::search_fold(v).as_str() {
        "en" | "english" | "eng" | "אנגלית" => "en".into(),
        _ => "he".into(),
    }
}

/// Runs (or continues) an import to its end.
pub async fn run_import(db: &Db, id: i64) -> Result<()> {
    let imp = imports::by_id(&db.pool, id).await?;
    if imp.status == "done" || imp.status == "failed" {
        return Ok(());
    }
    let text = imports::text(&db.pool, id)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mapping: Vec<Option<Column>> = serde_json::from_str::<Vec<Option<String>>>(&imp.mapping)
        .unwrap_or_default()
        .into_iter()
        .map(|m| m.and_then(|c| Column::parse(&c)))
        .collect();
    let basis: Option<Basis> = serde_json::from_str(&imp.consent_basis).ok();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    // Erased people are rare: look for their tombstones only when the organization has any.
    let tombstones = kehilla_db::consent::tombstone_count(&db.pool, imp.organization_id).await?;
    let run = Run {
        db,
        imp: &imp,
        mapping: &mapping,
        headers: &headers,
        basis: basis.as_ref(),
        tombstones: tombstones > 0,
        consent_column: mapping.contains(&Some(Column::Consent)),
    };
    let mut seen: HashSet<u64> = HashSet::new();
    let mut batches: u64 = 0;
    let mut processed = imp.processed_rows;
    let mut batch: Vec<(i64, csv::StringRecord)> = Vec::with_capacity(BATCH);
    for (i, rec) in rdr.records().enumerate() {
        let row_no = i64::try_from(i).unwrap_or(0) + 2; // 1-based, after the header row
        let Ok(rec) = rec else { continue };
        if row_no - 2 < imp.processed_rows {
            // Done in an earlier run: only remember its keys, for duplicate detection.
            for (c, v) in mapping.iter().zip(rec.iter()) {
                match c {
                    Some(Column::Email) => {
                        if let Ok(e) = normalize_email(v) {
                            seen.insert(key_hash(&e));
                        }
                    }
                    Some(Column::Phone) => {
                        if let Ok(p) = normalize_phone(v) {
                            seen.insert(key_hash(&p));
                        }
                    }
                    _ => {}
                }
            }
            continue;
        }
        batch.push((row_no, rec));
        if batch.len() >= BATCH {
            processed += i64::try_from(batch.len()).unwrap_or(0);
            write_batch(&run, &mut seen, &batch, processed).await?;
            batch.clear();
            batches += 1;
            if batches.is_power_of_two() {
                // A table that grows from nothing keeps the statistics of an empty one, and
                // PostgreSQL then scans it whole for every look-up: refresh them as it grows.
                kehilla_db::people::refresh_statistics(db, false).await?;
            }
        }
    }
    processed += i64::try_from(batch.len()).unwrap_or(0);
    write_batch(&run, &mut seen, &batch, processed).await?;
    let mut tx = db.begin().await?;
    imports::finish(&mut *tx, id, "done").await?;
    tx.commit().await?;
    if batches >= 8 {
        kehilla_db::people::refresh_statistics(db, true).await?;
    }
    Ok(())
}

/// What every batch of one import shares.
struct Run<'a> {
    db: &'a Db,
    imp: &'a Import,
    mapping: &'a [Option<Column>],
    headers: &'a [String],
    basis: Option<&'a Basis>,
    tombstones: bool,
    consent_column: bool,
}

async fn write_batch(
    run: &Run<'_>,
    seen: &mut HashSet<u64>,
    batch: &[(i64, csv::StringRecord)],
    processed: i64,
) -> Result<()> {
    let (db, imp, mapping, headers, basis) = (run.db, run.imp, run.mapping, run.headers, run.basis);
    let org = imp.organization_id;
    let mut problems: Vec<Vec<Param>> = Vec::new();
    let mut problem = |row: i64, col: &str, reason: &str, value: &str| {
        problems.push(vec![
            Param::Int(imp.id),
            Param::Int(row),
            Param::Text(col.to_string()),
            Param::Text(reason.to_string()),
            Param::Text(value.chars().take(200).collect()),
        ]);
    };
    let col_name = |i: usize| {
        headers
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("#{}", i + 1))
    };
    let mut rows: Vec<Row> = Vec::with_capacity(batch.len());
    let mut errors = 0i64;
    for (row_no, rec) in batch {
        let mut r = Row {
            row_no: *row_no,
            first: String::new(),
            last: String::new(),
            email: None,
            phone: None,
            lang: "he".into(),
            notes: String::new(),
            roles: Vec::new(),
            tags: Vec::new(),
            consent: None,
        };
        if rec.len() > mapping.len().max(headers.len()) {
            problem(*row_no, "", "extra-cells", "");
        }
        let mut bad = false;
        for (i, v) in rec.iter().enumerate() {
            let v = v.trim();
            let Some(Some(c)) = mapping.get(i) else {
                continue;
            };
            if v.is_empty() {
                continue;
            }
            match c {
                Column::FirstName => r.first = v.chars().take(100).collect(),
                Column::LastName => r.last = v.chars().take(100).collect(),
                Column::FullName => {
                    let mut parts = v.splitn(2, char::is_whitespace);
                    r.first = parts.next().unwrap_or_default().chars().take(100).collect();
                    r.last = parts
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .chars()
                        .take(100)
                        .collect();
                }
                Column::Email => match normalize_email(v) {
                    Ok(e) => r.email = Some(e),
                    Err(_) => {
                        problem(*row_no, &col_name(i), "bad-email", v);
                        bad = true;
                    }
                },
                Column::Phone => match normalize_phone(v) {
                    Ok(p) => r.phone = Some(p),
                    Err(_) => problem(*row_no, &col_name(i), "bad-phone", v),
                },
                Column::Language => r.lang = parse_lang(v),
                Column::Roles => r.roles.extend(split_labels(v)),
                Column::Tags => r.tags.extend(split_labels(v)),
                Column::Notes => r.notes = v.chars().take(5000).collect(),
                Column::Consent => match parse_yes_no(v) {
                    Some(b) => r.consent = Some(b),
                    None => problem(*row_no, &col_name(i), "bad-consent", v),
                },
            }
        }
        if bad {
            errors += 1;
            continue;
        }
        if r.email.is_none() && r.phone.is_none() {
            problem(*row_no, "", "missing-required", "");
            errors += 1;
            continue;
        }
        let key = r
            .email
            .clone()
            .or_else(|| r.phone.clone())
            .unwrap_or_default();
        if !seen.insert(key_hash(&key)) {
            problem(*row_no, "", "duplicate", &key);
            errors += 1;
            continue;
        }
        if let Some(p) = &r.phone
            && r.email.is_some()
            && !seen.insert(key_hash(p))
        {
            problem(*row_no, "", "duplicate-phone", p);
            r.phone = None;
        }
        if run.tombstones && person::refused_before(db, org, &key).await? {
            problem(*row_no, "", "erased-refused", &key);
            errors += 1;
            continue;
        }
        rows.push(r);
    }

    let mut tx = db.begin().await?;
    let emails: Vec<String> = rows.iter().filter_map(|r| r.email.clone()).collect();
    let phones: Vec<String> = rows.iter().filter_map(|r| r.phone.clone()).collect();
    let found = lookup(&mut tx, org, &emails, &phones, 200).await?;
    let now = now_ms();
    let mut new_people: Vec<Vec<Param>> = Vec::new();
    let mut updated = 0i64;
    let mut updated_ids: Vec<i64> = Vec::new();
    for r in &rows {
        let existing = r
            .email
            .as_ref()
            .and_then(|e| found.0.get(e))
            .or_else(|| r.phone.as_ref().and_then(|p| found.1.get(p)));
        match existing {
            Some(id) => {
                imports::fill_in(
                    &mut *tx,
                    org,
                    *id,
                    &r.first,
                    &r.last,
                    r.email.as_deref(),
                    r.phone.as_deref(),
                    now,
                )
                .await?;
                updated += 1;
                updated_ids.push(*id);
            }
            None => {
                let d = kehilla_db::people::PersonData {
                    first_name: r.first.clone(),
                    last_name: r.last.clone(),
                    email: r.email.clone(),
                    phone: r.phone.clone(),
                    ..Default::default()
                };
                let st = person::search_text(&d, &r.roles, &r.tags);
                let opt = |v: &Option<String>| v.clone().map(Param::Text).unwrap_or(Param::Null);
                new_people.push(vec![
                    Param::Text(new_public_id()),
                    Param::Int(org),
                    Param::Text(r.first.clone()),
                    Param::Text(r.last.clone()),
                    opt(&r.email),
                    opt(&r.phone),
                    Param::Text(r.lang.clone()),
                    Param::Text(r.notes.clone()),
                    Param::Text(st),
                    Param::Int(now),
                    Param::Int(now),
                ]);
            }
        }
    }
    let created = i64::try_from(new_people.len()).unwrap_or(0);
    imports::insert_rows(
        &mut *tx,
        "people (public_id, organization_id, first_name, last_name, email, phone, lang, notes, search_text, created_at, updated_at)",
        11,
        &new_people, run.db.batch_params(),
    )
    .await?;
    let ids = lookup(&mut tx, org, &emails, &phones, 200).await?;
    let mut labels = Vec::new();
    let mut consents = Vec::new();
    let mut events = Vec::new();
    let mut members = Vec::new();
    let source_ref = format!("{} ({})", imp.file_name, imp.public_id);
    for r in &rows {
        let Some(pid) = r
            .email
            .as_ref()
            .and_then(|e| ids.0.get(e))
            .or_else(|| r.phone.as_ref().and_then(|p| ids.1.get(p)))
        else {
            continue;
        };
        for (kind, vals) in [("role", &r.roles), ("tag", &r.tags)] {
            for v in vals {
                labels.push(vec![
                    Param::Int(org),
                    Param::Int(*pid),
                    Param::Text(kind.into()),
                    Param::Text(v.clone()),
                ]);
            }
        }
        // With a consent column, only a readable answer is recorded; without one, the declared
        // basis covers every row.
        let given = if run.consent_column {
            r.consent
        } else {
            Some(true)
        };
        if let (Some(b), Some(given)) = (basis, given) {
            consents.push(vec![
                Param::Int(org),
                Param::Int(*pid),
                Param::Text(b.channel.clone()),
                Param::Text(b.purpose.clone()),
                Param::Int(i64::from(given)),
                Param::Text("import".into()),
                Param::Text(source_ref.clone()),
                Param::Text(b.basis.clone()),
                Param::Text(
                    serde_json::json!({"import": imp.public_id, "row": r.row_no}).to_string(),
                ),
                Param::Int(now),
            ]);
        }
        events.push(vec![
            Param::Int(org),
            Param::Int(*pid),
            Param::Text("imported".into()),
            Param::Text(imp.file_name.clone()),
            Param::Text(String::new()),
            Param::Int(now),
        ]);
        if let Some(l) = imp.list_id {
            members.push(vec![Param::Int(l), Param::Int(*pid), Param::Int(now)]);
        }
    }
    imports::insert_rows(
        &mut *tx,
        "person_labels (organization_id, person_id, kind, value)",
        4,
        &labels,
        run.db.batch_params(),
    )
    .await?;
    imports::insert_rows(
        &mut *tx,
        "consents (organization_id, person_id, channel, purpose, given, source, source_ref, wording, meta, created_at)",
        10,
        &consents, run.db.batch_params(),
    )
    .await?;
    imports::insert_rows(
        &mut *tx,
        "person_events (organization_id, person_id, kind, detail, actor, created_at)",
        6,
        &events,
        run.db.batch_params(),
    )
    .await?;
    imports::insert_rows(
        &mut *tx,
        "list_members (list_id, person_id, added_at)",
        3,
        &members,
        run.db.batch_params(),
    )
    .await?;
    imports::insert_rows(
        &mut *tx,
        "import_problems (import_id, row_no, col, reason, value)",
        5,
        &problems,
        run.db.batch_params(),
    )
    .await?;
    // People already there may have gained a name, a phone or labels: refresh their search text.
    for id in &updated_ids {
        let p = people::by_id(&mut *tx, org, *id).await?;
        let labels = people::labels(&mut *tx, *id).await?;
        let pick = |k: &str| -> Vec<String> {
            labels
                .iter()
                .filter(|(kk, _)| kk == k)
                .map(|(_, v)| v.clone())
                .collect()
        };
        let d = kehilla_db::people::PersonData {
            first_name: p.first_name,
            last_name: p.last_name,
            latin_name: p.latin_name,
            email: p.email,
            phone: p.phone,
            ..Default::default()
        };
        people::set_search_text(
            &mut *tx,
            *id,
            &person::search_text(&d, &pick("role"), &pick("tag")),
        )
        .await?;
    }
    let from = processed - i64::try_from(batch.len()).unwrap_or(0);
    if !imports::progress(&mut *tx, imp.id, from, processed, created, updated, errors).await? {
        // Another run of this import (a job taken over while this one still ran) wrote these
        // rows already: roll back, and let that run finish.
        return Err(AppError::Conflict("import-overtaken"));
    }
    tx.commit().await?;
    Ok(())
}

type Found = (HashMap<String, i64>, HashMap<String, i64>);

async fn lookup(
    tx: &mut Tx,
    org: i64,
    emails: &[String],
    phones: &[String],
    chunk: usize,
) -> Result<Found> {
    let mut by_email = HashMap::new();
    let mut by_phone = HashMap::new();
    for (es, ps) in emails
        .chunks(chunk.max(1))
        .zip_longest_pairs(phones.chunks(chunk.max(1)))
    {
        for (id, e, p) in imports::existing(&mut **tx, org, es, ps).await? {
            if let Some(e) = e {
                by_email.insert(e, id);
            }
            if let Some(p) = p {
                by_phone.insert(p, id);
            }
        }
    }
    Ok((by_email, by_phone))
}

/// Pairs two chunk iterators, padding the shorter with empty slices.
trait ZipLongest<'a, T: 'a>: Iterator<Item = &'a [T]> + Sized {
    fn zip_longest_pairs<I: Iterator<Item = &'a [T]>>(self, other: I) -> Vec<(&'a [T], &'a [T])> {
        let a: Vec<&[T]> = self.collect();
        let b: Vec<&[T]> = other.collect();
        (0..a.len().max(b.len()))
            .map(|i| {
                (
                    a.get(i).copied().unwrap_or(&[]),
                    b.get(i).copied().unwrap_or(&[]),
                )
            })
            .collect()
    }
}

impl<'a, T: 'a, I: Iterator<Item = &'a [T]>> ZipLongest<'a, T> for I {}

/// The problem report as CSV (UTF-8 with BOM, cells escaped against formula injection).
pub async fn report_csv(
    db: &Db,
    imp: &Import,
    lang: kehilla_domain::validate::Lang,
) -> Result<Vec<u8>> {
    let rows = imports::problems(&db.pool, imp.id, 1_000_000).await?;
    let t = |k: &str| crate::i18n::t(lang, k);
    let mut out = super::export::CsvOut::new();
    out.row(&[
        t("import-col-row"),
        t("import-col-column"),
        t("import-col-reason"),
        t("import-col-value"),
    ])?;
    for p in rows {
        let reason = crate::i18n::try_t(lang, &format!("import-reason-{}", p.reason))
            .unwrap_or(p.reason.clone());
        out.row(&[p.row_no.to_string(), p.col, reason, p.value])?;
    }
    out.finish()
}
