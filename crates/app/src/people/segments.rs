//! Segments: saved filters over people, counted as they are edited.

use kehilla_db::segments::{self as seg, Filter};
use kehilla_db::{Db, now_ms};

use crate::members::OrgMember;
use crate::{AppError, Result};

pub fn input_error(e: seg::SegmentError) -> AppError {
    AppError::Conflict(e.code())
}

async fn nonprofit(db: &Db, org: i64) -> Result<bool> {
    Ok(kehilla_db::orgs::legal_settings(&db.pool, org)
        .await?
        .registered_nonprofit
        == 1)
}

pub async fn compile(db: &Db, org: i64, f: &Filter) -> Result<seg::Compiled> {
    seg::compile(f, now_ms(), nonprofit(db, org).await?, db.backend()).map_err(input_error)
}

/// How many people a filter selects right now.
pub async fn count(db: &Db, org: i64, f: &Filter) -> Result<i64> {
    let c = compile(db, org, f).await?;
    Ok(seg::count(&db.pool, org, &c).await?)
}

pub async fn save(
    db: &Db,
    by: &OrgMember,
    public_id: Option<&str>,
    name: &str,
    f: &Filter,
) -> Result<String> {
    let name = kehilla_domain::validate::name(name, 120).map_err(AppError::input("name"))?;
    compile(db, by.org.id, f).await?;
    match public_id {
        Some(id) => {
            seg::update(&db.pool, by.org.id, id, &name, f).await?;
            Ok(id.to_string())
        }
        None => Ok(seg::create(&db.pool, by.org.id, &name, f).await?.public_id),
    }
}
