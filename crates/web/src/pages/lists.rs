//! Lists and segments: static lists, and segments edited as rows of conditions whose size is
//! counted as they change. Both export to CSV.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use kehilla_app::AppError;
use kehilla_app::people::export::{self, Selection};
use kehilla_app::people::{lists as list_uc, segments as seg_uc};
use kehilla_db::people::{self, CustomField, List, Person, RoleOption};
use kehilla_db::segments::{self as seg, Cmp, ConsentState, Filter, Segment};
use serde::Deserialize;

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "people/lists.html")]
struct ListsPage {
    c: Chrome,
    sub: &'static str,
    lists: Vec<List>,
    segments: Vec<(Segment, i64)>,
    error: Option<String>,
}

async fn lists_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let lists = people::lists(&st.db.pool, org.0.org.id).await?;
    let mut segments = Vec::new();
    for s in seg::of_org(&st.db.pool, org.0.org.id).await? {
        let n = seg_uc::count(&st.db, org.0.org.id, &s.filter())
            .await
            .unwrap_or(-1);
        segments.push((s, n));
    }
    let c = Chrome::new(st, ctx, Some(org), "people", "lists-title")
        .await?
        .with_notice(done);
    Ok(render(&ListsPage {
        c,
        sub: "lists",
        lists,
        segments,
        error,
    }))
}

pub async fn lists(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    lists_page(&st, &ctx, &org, None, q.done.as_deref()).await
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

pub async fn create_list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<NameForm>,
) -> WebResult<Response> {
    match list_uc::create(&st.db, &org.0, &f.name).await {
        Ok(id) => Ok(Redirect::to(&format!(
            "/orgs/{}/lists/{id}?done=list-created",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ AppError::Input { .. }) => {
            let msg = message(&ctx, &e);
            lists_page(&st, &ctx, &org, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "people/list_show.html")]
struct ListPage {
    c: Chrome,
    sub: &'static str,
    list: List,
    people: Vec<Person>,
    more: bool,
}

#[derive(Deserialize, Default)]
pub struct AfterQuery {
    #[serde(default)]
    after: i64,
    done: Option<String>,
}

pub async fn show_list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, list)): Path<(String, String)>,
    Query(q): Query<AfterQuery>,
) -> WebResult<Response> {
    let l = people::list(&st.db.pool, org.0.org.id, &list).await?;
    let ids = people::list_member_ids(&st.db.pool, l.id, q.after, 101).await?;
    let more = ids.len() > 100;
    let people = people::by_ids(
        &st.db.pool,
        org.0.org.id,
        ids.get(..ids.len().min(100)).unwrap_or_default(),
    )
    .await?;
    let c = Chrome::new(&st, &ctx, Some(&org), "people", "lists-title")
        .await?
        .with_notice(q.done.as_deref());
    Ok(render(&ListPage {
        c,
        sub: "lists",
        list: l,
        people,
        more,
    }))
}

pub async fn delete_list(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, list)): Path<(String, String)>,
) -> WebResult<Response> {
    list_uc::delete(&st.db, &org.0, &list).await?;
    Ok(Redirect::to(&format!("/orgs/{}/lists?done=list-deleted", org.0.org.slug)).into_response())
}

pub(crate) fn csv_response(name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn export_list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, list)): Path<(String, String)>,
) -> WebResult<Response> {
    let body = export::people_csv(
        &st.db,
        &org.0,
        Selection::List(&list),
        ctx.lang,
        &ctx.actor(),
    )
    .await?;
    Ok(csv_response(&format!("list-{list}"), body))
}

// ---- Segments ----

/// One row of the segment editor.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub kind: String,
    pub not: bool,
    pub value: String,
    pub channel: String,
    pub purpose: String,
    pub state: String,
    pub cmp: String,
    pub key: String,
}

pub const ROW_KINDS: [&str; 11] = [
    "role",
    "tag",
    "list",
    "consent",
    "reachable",
    "field",
    "added_within",
    "event",
    "lang",
    "has_email",
    "has_phone",
];
pub const EVENT_KINDS: [&str; 5] = [
    "signed-up",
    "imported",
    "consent-given",
    "consent-withdrawn",
    "created",
];
const EXTRA_ROWS: usize = 3;

fn row_to_filter(r: &Row) -> Option<Filter> {
    let days = || r.value.trim().parse::<i64>().unwrap_or(-1);
    let f = match r.kind.as_str() {
        "role" => Filter::Role {
            value: r.value.trim().to_lowercase(),
        },
        "tag" => Filter::Tag {
            value: r.value.trim().to_lowercase(),
        },
        "list" => Filter::InList {
            list: r.value.trim().to_string(),
        },
        "consent" => Filter::Consent {
            channel: r.channel.clone(),
            purpose: r.purpose.clone(),
            state: match r.state.as_str() {
                "withdrawn" => ConsentState::Withdrawn,
                "unknown" => ConsentState::Unknown,
                _ => ConsentState::Given,
            },
        },
        "reachable" => Filter::Reachable {
            channel: r.channel.clone(),
            purpose: r.purpose.clone(),
        },
        "field" => Filter::Field {
            key: r.key.clone(),
            cmp: match r.cmp.as_str() {
                "ne" => Cmp::Ne,
                "contains" => Cmp::Contains,
                "gt" => Cmp::Gt,
                "lt" => Cmp::Lt,
                _ => Cmp::Eq,
            },
            value: r.value.trim().to_string(),
        },
        "added_within" => Filter::AddedWithin { days: days() },
        "event" => Filter::Event {
            kind: r.key.clone(),
            days: days(),
        },
        "lang" => Filter::Lang {
            value: r.value.trim().to_string(),
        },
        "has_email" => Filter::HasEmail,
        "has_phone" => Filter::HasPhone,
        _ => return None,
    };
    Some(if r.not {
        Filter::Not { of: Box::new(f) }
    } else {
        f
    })
}

fn filter_to_rows(f: &Filter) -> (String, Vec<Row>) {
    let (combine, of) = match f {
        Filter::All { of } => ("all", of.clone()),
        Filter::Any { of } => ("any", of.clone()),
        other => ("all", vec![other.clone()]),
    };
    let rows = of
        .iter()
        .map(|x| {
            let (not, leaf) = match x {
                Filter::Not { of } => (true, of.as_ref().clone()),
                other => (false, other.clone()),
            };
            let mut r = Row {
                not,
                ..Row::default()
            };
            match leaf {
                Filter::Role { value } => (r.kind, r.value) = ("role".into(), value),
                Filter::Tag { value } => (r.kind, r.value) = ("tag".into(), value),
                Filter::InList { list } => (r.kind, r.value) = ("list".into(), list),
                Filter::Consent {
                    channel,
                    purpose,
                    state,
                } => {
                    r.kind = "consent".into();
                    r.channel = channel;
                    r.purpose = purpose;
                    r.state = match state {
                        ConsentState::Given => "given",
                        ConsentState::Withdrawn => "withdrawn",
                        ConsentState::Unknown => "unknown",
                    }
                    .into();
                }
                Filter::Reachable { channel, purpose } => {
                    r.kind = "reachable".into();
                    r.channel = channel;
                    r.purpose = purpose;
                }
                Filter::Field { key, cmp, value } => {
                    r.kind = "field".into();
                    r.key = key;
                    r.value = value;
                    r.cmp = match cmp {
                        Cmp::Eq => "eq",
                        Cmp::Ne => "ne",
                        Cmp::Contains => "contains",
                        Cmp::Gt => "gt",
                        Cmp::Lt => "lt",
                    }
                    .into();
                }
                Filter::AddedWithin { days } => {
                    (r.kind, r.value) = ("added_within".into(), days.to_string())
                }
                Filter::Event { kind, days } => {
                    r.kind = "event".into();
                    r.key = kind;
                    r.value = days.to_string();
                }
                Filter::Lang { value } => (r.kind, r.value) = ("lang".into(), value),
                Filter::HasEmail => r.kind = "has_email".into(),
                Filter::HasPhone => r.kind = "has_phone".into(),
                _ => r.kind = String::new(),
            }
            r
        })
        .collect();
    (combine.to_string(), rows)
}

/// Reads the editor's form: `name`, `combine`, and `c{i}_{part}` for every row.
fn parse_editor(pairs: &[(String, String)]) -> (String, String, Vec<Row>) {
    let mut name = String::new();
    let mut combine = "all".to_string();
    let mut rows: Vec<Row> = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "name" => name = v.clone(),
            "combine" => {
                combine = if v == "any" {
                    "any".into()
                } else {
                    "all".into()
                }
            }
            _ => {
                let Some(rest) = k.strip_prefix('c') else {
                    continue;
                };
                let Some((i, part)) = rest.split_once('_') else {
                    continue;
                };
                let Ok(i) = i.parse::<usize>() else { continue };
                if i >= 40 {
                    continue;
                }
                while rows.len() <= i {
                    rows.push(Row::default());
                }
                let Some(r) = rows.get_mut(i) else { continue };
                match part {
                    "kind" => r.kind = v.clone(),
                    "not" => r.not = v == "1",
                    "value" => r.value = v.clone(),
                    "channel" => r.channel = v.clone(),
                    "purpose" => r.purpose = v.clone(),
                    "state" => r.state = v.clone(),
                    "cmp" => r.cmp = v.clone(),
                    "key" => r.key = v.clone(),
                    _ => {}
                }
            }
        }
    }
    rows.retain(|r| !r.kind.is_empty());
    (name, combine, rows)
}

fn rows_filter(combine: &str, rows: &[Row]) -> Filter {
    let of: Vec<Filter> = rows.iter().filter_map(row_to_filter).collect();
    if combine == "any" {
        Filter::Any { of }
    } else {
        Filter::All { of }
    }
}

#[derive(Template)]
#[template(path = "people/segment.html")]
struct SegmentPage {
    c: Chrome,
    sub: &'static str,
    segment: Option<Segment>,
    name: String,
    combine: String,
    rows: Vec<Row>,
    count: Option<i64>,
    error: Option<String>,
    kinds: [&'static str; 11],
    event_kinds: [&'static str; 5],
    channels: [&'static str; 3],
    purposes: [&'static str; 5],
    roles: Vec<RoleOption>,
    lists: Vec<List>,
    fields: Vec<CustomField>,
}

impl SegmentPage {
    fn label(&self, prefix: &str, key: &str) -> String {
        crate::i18n::try_t(self.c.lang, &format!("{prefix}-{key}"))
            .unwrap_or_else(|| key.to_string())
    }
}

#[allow(clippy::too_many_arguments)]
async fn segment_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    segment: Option<Segment>,
    name: String,
    combine: String,
    mut rows: Vec<Row>,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let count = if error.is_none() {
        seg_uc::count(&st.db, org.0.org.id, &rows_filter(&combine, &rows))
            .await
            .ok()
    } else {
        None
    };
    for _ in 0..EXTRA_ROWS {
        rows.push(Row::default());
    }
    let c = Chrome::new(st, ctx, Some(org), "people", "segment-title")
        .await?
        .with_notice(done);
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = render(&SegmentPage {
        c,
        sub: "lists",
        segment,
        name,
        combine,
        rows,
        count,
        error,
        kinds: ROW_KINDS,
        event_kinds: EVENT_KINDS,
        channels: seg::CHANNELS,
        purposes: seg::PURPOSES,
        roles: people::role_options(&st.db.pool, org.0.org.id).await?,
        lists: people::lists(&st.db.pool, org.0.org.id).await?,
        fields: people::custom_fields(&st.db.pool, org.0.org.id).await?,
    });
    Ok((status, page).into_response())
}

pub async fn new_segment(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    segment_page(
        &st,
        &ctx,
        &org,
        None,
        String::new(),
        "all".into(),
        Vec::new(),
        None,
        None,
    )
    .await
}

pub async fn show_segment(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, segment)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let s = seg::get(&st.db.pool, org.0.org.id, &segment).await?;
    let (combine, rows) = filter_to_rows(&s.filter());
    let name = s.name.clone();
    segment_page(
        &st,
        &ctx,
        &org,
        Some(s),
        name,
        combine,
        rows,
        None,
        q.done.as_deref(),
    )
    .await
}

async fn save(
    st: AppState,
    ctx: Ctx,
    org: OrgCtx,
    existing: Option<String>,
    pairs: Vec<(String, String)>,
) -> WebResult<Response> {
    let (name, combine, rows) = parse_editor(&pairs);
    let f = rows_filter(&combine, &rows);
    match seg_uc::save(&st.db, &org.0, existing.as_deref(), &name, &f).await {
        Ok(id) => Ok(Redirect::to(&format!(
            "/orgs/{}/segments/{id}?done=segment-saved",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let segment = match &existing {
                Some(id) => Some(seg::get(&st.db.pool, org.0.org.id, id).await?),
                None => None,
            };
            let msg = message(&ctx, &e);
            segment_page(
                &st,
                &ctx,
                &org,
                segment,
                name,
                combine,
                rows,
                Some(msg),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_segment(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    save(st, ctx, org, None, pairs).await
}

pub async fn update_segment(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, segment)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    save(st, ctx, org, Some(segment), pairs).await
}

/// The live count of the editor: the same form, answered with `{"count": n}` (or an error).
pub async fn count_segment(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Json<serde_json::Value>> {
    let (_, combine, rows) = parse_editor(&pairs);
    let n = seg_uc::count(&st.db, org.0.org.id, &rows_filter(&combine, &rows)).await?;
    let label = crate::i18n::t_count(ctx.lang, "segment-size", "count", n);
    Ok(Json(serde_json::json!({"count": n, "label": label})))
}

pub async fn delete_segment(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, segment)): Path<(String, String)>,
) -> WebResult<Response> {
    seg::delete(&st.db.pool, org.0.org.id, &segment).await?;
    Ok(Redirect::to(&format!(
        "/orgs/{}/lists?done=segment-deleted",
        org.0.org.slug
    ))
    .into_response())
}

pub async fn export_segment(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, segment)): Path<(String, String)>,
) -> WebResult<Response> {
    let s = seg::get(&st.db.pool, org.0.org.id, &segment).await?;
    let body = export::people_csv(
        &st.db,
        &org.0,
        Selection::Segment(&s.filter()),
        ctx.lang,
        &ctx.actor(),
    )
    .await?;
    Ok(csv_response(&format!("segment-{segment}"), body))
}
