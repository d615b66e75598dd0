//! Imports of people from files: the upload (kept in the database in chunks, so that any server
//! of a cluster can continue an import after a restart), its progress and its problem report,
//! and the batched writes that make a million-row import fast.

use sqlx::{Any, Executor, FromRow};

use crate::segments::Param;
use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Import {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub file_name: String,
    pub encoding: String,
    pub mapping: String,
    pub consent_basis: String,
    pub list_id: Option<i64>,
    pub status: String,
    pub total_rows: i64,
    pub processed_rows: i64,
    pub created_count: i64,
    pub updated_count: i64,
    pub error_count: i64,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const COLS: &str = "id, public_id, organization_id, file_name, encoding, mapping, consent_basis, list_id, status, \
     total_rows, processed_rows, created_count, updated_count, error_count, created_at, finished_at";

pub const CHUNK: usize = 1 << 20;

/// Stores an uploaded file (already decoded to UTF-8 CSV text) as a new import.
pub async fn create<E>(
    e: &mut E,
    org: i64,
    user: i64,
    file_name: &str,
    encoding: &str,
    text: &str,
    total_rows: i64,
) -> Result<Import>
where
    for<'x> &'x mut E: Executor<'x, Database = Any>,
{
    let imp: Import = sqlx::query_as(crate::sql!(
        "INSERT INTO imports (public_id, organization_id, created_by, file_name, encoding, status, total_rows, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'uploaded', $6, $7) RETURNING {COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(user)
    .bind(file_name)
    .bind(encoding)
    .bind(total_rows)
    .bind(now_ms())
    .fetch_one(&mut *e)
    .await?;
    for (seq, chunk) in text.as_bytes().chunks(CHUNK).enumerate() {
        sqlx::query("INSERT INTO import_chunks (import_id, seq, data) VALUES ($1, $2, $3)")
            .bind(imp.id)
            .bind(i64::try_from(seq).unwrap_or(0))
            .bind(chunk.to_vec())
            .execute(&mut *e)
            .await?;
    }
    Ok(imp)
}

/// The stored file, whole.
pub async fn text<'c, E: Executor<'c, Database = Any>>(e: E, import: i64) -> Result<String> {
    let chunks: Vec<(Vec<u8>,)> =
        sqlx::query_as("SELECT data FROM import_chunks WHERE import_id = $1 ORDER BY seq")
            .bind(import)
            .fetch_all(e)
            .await?;
    let mut bytes = Vec::with_capacity(chunks.iter().map(|c| c.0.len()).sum());
    for c in chunks {
        bytes.extend_from_slice(&c.0);
    }
    String::from_utf8(bytes).map_err(|_| DbError::Conflict("import-encoding"))
}

/// The first `max` bytes of the stored file, cut at a line end (for the mapping screen).
pub async fn head<'c, E: Executor<'c, Database = Any>>(e: E, import: i64) -> Result<String> {
    let first: Option<(Vec<u8>,)> =
        sqlx::query_as("SELECT data FROM import_chunks WHERE import_id = $1 AND seq = 0")
            .bind(import)
            .fetch_optional(e)
            .await?;
    let bytes = first.map(|f| f.0).unwrap_or_default();
    let cut = bytes.len().min(64 * 1024);
    let slice = bytes.get(..cut).unwrap_or_default();
    let end = slice
        .iter()
        .rposition(|b| *b == b'\n')
        .map(|i| i + 1)
        .unwrap_or(slice.len());
    Ok(String::from_utf8_lossy(slice.get(..end).unwrap_or_default()).into_owned())
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Import> {
    sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM imports WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn by_id<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Import> {
    sqlx::query_as(crate::sql!("SELECT {COLS} FROM imports WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await?
        .ok_or(DbError::NotFound)
}

pub async fn of_org<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Import>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM imports WHERE organization_id = $1 ORDER BY id DESC LIMIT 50"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn start<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    mapping: &str,
    basis: &str,
    list: Option<i64>,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE imports SET mapping = $1, consent_basis = $2, list_id = $3, status = 'queued' \
         WHERE id = $4 AND status = 'uploaded'",
    )
    .bind(mapping)
    .bind(basis)
    .bind(list)
    .bind(id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Records the progress of one batch, in the batch's own transaction: a restart continues after
/// the last batch that committed.
/// Records a batch as done, if the import is still where the batch started (`from` rows done):
/// false when another run of the same import got there first, and then the caller's
/// transaction must be rolled back so that nothing of the batch is written twice.
#[allow(clippy::too_many_arguments)]
pub async fn progress<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    from: i64,
    processed: i64,
    created: i64,
    updated: i64,
    errors: i64,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE imports SET status = 'running', processed_rows = $1, created_count = created_count + $2, \
         updated_count = updated_count + $3, error_count = error_count + $4 WHERE id = $5 AND processed_rows = $6",
    )
    .bind(processed)
    .bind(created)
    .bind(updated)
    .bind(errors)
    .bind(id)
    .bind(from)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Ends an import; the stored file is dropped, the report stays.
pub async fn finish<E>(e: &mut E, id: i64, status: &str) -> Result<()>
where
    for<'x> &'x mut E: Executor<'x, Database = Any>,
{
    sqlx::query("UPDATE imports SET status = $1, finished_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *e)
        .await?;
    sqlx::query("DELETE FROM import_chunks WHERE import_id = $1")
        .bind(id)
        .execute(&mut *e)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Problem {
    pub row_no: i64,
    pub col: String,
    pub reason: String,
    pub value: String,
}

pub async fn problems<'c, E: Executor<'c, Database = Any>>(
    e: E,
    import: i64,
    limit: i64,
) -> Result<Vec<Problem>> {
    Ok(sqlx::query_as(
        "SELECT row_no, col, reason, value FROM import_problems WHERE import_id = $1 ORDER BY row_no, col LIMIT $2",
    )
    .bind(import)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// Inserts many rows in multi-row statements of at most `max_params` values each. SQLite wants
/// few (sqlx looks up each `$n` by name, which grows with the square of their number);
/// PostgreSQL takes thousands. See [`Db::batch_params`](crate::Db::batch_params).
pub async fn insert_rows<E>(
    e: &mut E,
    table_and_cols: &str,
    ncols: usize,
    rows: &[Vec<Param>],
    max_params: usize,
) -> Result<()>
where
    for<'x> &'x mut E: Executor<'x, Database = Any>,
{
    let per = (max_params / ncols.max(1)).clamp(1, 1000);
    for batch in rows.chunks(per) {
        let mut sql = format!("INSERT INTO {table_and_cols} VALUES ");
        let mut n = 0;
        for (i, _) in batch.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..ncols {
                if c > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        sql.push_str(" ON CONFLICT DO NOTHING");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in batch {
            for p in row {
                q = match p {
                    Param::Int(i) => q.bind(*i),
                    Param::Float(f) => q.bind(*f),
                    Param::Text(t) => q.bind(t.clone()),
                    Param::Null => q.bind(Option::<String>::None),
                };
            }
        }
        q.execute(&mut *e).await?;
    }
    Ok(())
}

/// Existing people of an organization among these emails and phones: (id, email, phone).
/// Two lookups, one per unique index: an `OR` of the two would scan the whole table.
pub async fn existing<E>(
    e: &mut E,
    org: i64,
    emails: &[String],
    phones: &[String],
) -> Result<Vec<(i64, Option<String>, Option<String>)>>
where
    for<'x> &'x mut E: Executor<'x, Database = Any>,
{
    let mut out = Vec::new();
    for (column, values) in [("email", emails), ("phone", phones)] {
        if values.is_empty() {
            continue;
        }
        let marks: Vec<String> = (0..values.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT id, email, phone FROM people WHERE organization_id = $1 AND {column} IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(org);
        for v in values {
            q = q.bind(v.clone());
        }
        let rows: Vec<(i64, Option<String>, Option<String>)> = q.fetch_all(&mut *e).await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Fills in what an existing person lacks from an imported row: an empty name, a missing email,
/// a missing phone that nobody else in the organization has. Nothing is overwritten.
#[allow(clippy::too_many_arguments)]
pub async fn fill_in<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    id: i64,
    first: &str,
    last: &str,
    email: Option<&str>,
    phone: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE people SET first_name = CASE WHEN first_name = '' THEN $1 ELSE first_name END, \
         last_name = CASE WHEN last_name = '' THEN $2 ELSE last_name END, \
         email = COALESCE(email, $3), updated_at = $4, \
         phone = CASE WHEN phone IS NULL AND NOT EXISTS (SELECT 1 FROM people o \
           WHERE o.organization_id = $6 AND o.phone = $7) THEN $7 ELSE phone END WHERE id = $5",
    )
    .bind(first)
    .bind(last)
    .bind(email)
    .bind(now)
    .bind(id)
    .bind(org)
    .bind(phone)
    .execute(e)
    .await?;
    Ok(())
}
