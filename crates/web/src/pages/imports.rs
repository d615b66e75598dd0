//! Import of people: upload, column mapping with a preview, progress, the problem report.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use kehilla_app::AppError;
use kehilla_app::people::import::{self as import_uc, Basis, Preview};
use kehilla_db::imports::{self, Import, Problem};
use kehilla_db::people::{self, List};
use kehilla_domain::people::Column;

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "people/import.html")]
struct UploadPage {
    c: Chrome,
    sub: &'static str,
    imports: Vec<Import>,
    error: Option<String>,
    max_mb: usize,
}

async fn upload_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    error: Option<String>,
) -> WebResult<Response> {
    let imports = imports::of_org(&st.db.pool, org.0.org.id).await?;
    let c = Chrome::new(st, ctx, Some(org), "people", "import-title").await?;
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    Ok((
        status,
        render(&UploadPage {
            c,
            sub: "import",
            imports,
            error,
            max_mb: st.settings.max_import_bytes / (1024 * 1024),
        }),
    )
        .into_response())
}

pub async fn page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    upload_page(&st, &ctx, &org, None).await
}

/// The upload: a multipart form with the file (CSRF token in the query, as a file form cannot
/// send a header).
pub async fn upload(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    mut multipart: Multipart,
) -> WebResult<Response> {
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let too_big = e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE;
                let code = if too_big {
                    "import-too-large"
                } else {
                    "import-not-csv"
                };
                let msg = message(&ctx, &AppError::Conflict(code));
                return upload_page(&st, &ctx, &org, Some(msg)).await;
            }
        };
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload.csv").to_string();
            match field.bytes().await {
                Ok(b) => file = Some((name, b.to_vec())),
                Err(_) => {
                    let msg = message(&ctx, &AppError::Conflict("import-too-large"));
                    return upload_page(&st, &ctx, &org, Some(msg)).await;
                }
            }
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let msg = message(&ctx, &AppError::Conflict("import-empty"));
        return upload_page(&st, &ctx, &org, Some(msg)).await;
    };
    match import_uc::upload(&st.db, &org.0, &name, &bytes).await {
        Ok(imp) => Ok(Redirect::to(&format!(
            "/orgs/{}/imports/{}",
            org.0.org.slug, imp.public_id
        ))
        .into_response()),
        Err(e @ AppError::Conflict(_)) => {
            let msg = message(&ctx, &e);
            upload_page(&st, &ctx, &org, Some(msg)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "people/import_show.html")]
struct ImportPage {
    c: Chrome,
    sub: &'static str,
    imp: Import,
    preview: Option<Preview>,
    columns: [Column; 10],
    lists: Vec<List>,
    channels: [&'static str; 3],
    purposes: [&'static str; 5],
    problems: Vec<Problem>,
    error: Option<String>,
}

impl ImportPage {
    fn label(&self, prefix: &str, key: &str) -> String {
        crate::i18n::try_t(self.c.lang, &format!("{prefix}-{key}"))
            .unwrap_or_else(|| key.to_string())
    }
    fn guessed(&self, i: &usize, c: &Column) -> bool {
        self.preview
            .as_ref()
            .and_then(|p| p.guesses.get(*i).copied().flatten())
            == Some(*c)
    }
    fn percent(&self) -> i64 {
        if self.imp.total_rows == 0 {
            100
        } else {
            self.imp.processed_rows * 100 / self.imp.total_rows
        }
    }
    fn reason(&self, r: &str) -> String {
        self.label("import-reason", r)
    }
}

async fn import_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    imp: Import,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let preview = if imp.status == "uploaded" {
        Some(import_uc::preview(&st.db, &imp).await?)
    } else {
        None
    };
    let problems = imports::problems(&st.db.pool, imp.id, 200).await?;
    let c = Chrome::new(st, ctx, Some(org), "people", "import-title")
        .await?
        .with_notice(done);
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = ImportPage {
        c,
        sub: "import",
        imp,
        preview,
        columns: Column::ALL,
        lists: people::lists(&st.db.pool, org.0.org.id).await?,
        channels: kehilla_db::segments::CHANNELS,
        purposes: kehilla_db::segments::PURPOSES,
        problems,
        error,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn show(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, import)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let imp = imports::get(&st.db.pool, org.0.org.id, &import).await?;
    import_page(&st, &ctx, &org, imp, None, q.done.as_deref()).await
}

/// Starts the import with the mapping chosen: `col{i}` per column, the consent basis, a list.
pub async fn start(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, import)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let imp = imports::get(&st.db.pool, org.0.org.id, &import).await?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(kk, _)| kk == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut mapping: Vec<Option<Column>> = Vec::new();
    for (k, v) in &pairs {
        if let Some(i) = k.strip_prefix("col").and_then(|i| i.parse::<usize>().ok())
            && i < 500
        {
            while mapping.len() <= i {
                mapping.push(None);
            }
            if let Some(slot) = mapping.get_mut(i) {
                *slot = Column::parse(v);
            }
        }
    }
    let basis = (!get("consent_channel").is_empty()).then(|| Basis {
        channel: get("consent_channel"),
        purpose: get("consent_purpose"),
        basis: get("consent_basis"),
    });
    let list = get("list");
    match import_uc::start(
        &st.db,
        &org.0,
        &import,
        &mapping,
        basis,
        Some(&list),
        &ctx.actor(),
    )
    .await
    {
        Ok(()) => {
            if let Some(w) = &st.worker {
                w.wake();
            }
            Ok(Redirect::to(&format!(
                "/orgs/{}/imports/{import}?done=import-started",
                org.0.org.slug
            ))
            .into_response())
        }
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let msg = message(&ctx, &e);
            import_page(&st, &ctx, &org, imp, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Progress, for the progress bar.
pub async fn status(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, import)): Path<(String, String)>,
) -> WebResult<Json<serde_json::Value>> {
    let imp = imports::get(&st.db.pool, org.0.org.id, &import).await?;
    Ok(Json(serde_json::json!({
        "status": imp.status,
        "total": imp.total_rows,
        "processed": imp.processed_rows,
        "created": imp.created_count,
        "updated": imp.updated_count,
        "errors": imp.error_count,
    })))
}

pub async fn report(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, import)): Path<(String, String)>,
) -> WebResult<Response> {
    let imp = imports::get(&st.db.pool, org.0.org.id, &import).await?;
    let body = import_uc::report_csv(&st.db, &imp, ctx.lang).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"import-{import}-report.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}
