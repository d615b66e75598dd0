//! CSV export of lists and segments: UTF-8 with BOM so that Excel shows Hebrew, and every cell
//! escaped against spreadsheet formula injection. Exports are recorded in the audit log.

use kehilla_db::segments::Filter;
use kehilla_db::{Db, people};
use kehilla_domain::people::escape_csv_cell;
use kehilla_domain::validate::Lang;

use crate::audit::{self, Actor};
use crate::members::OrgMember;
use crate::{AppError, Result};

pub struct CsvOut {
    w: csv::Writer<Vec<u8>>,
}

impl CsvOut {
    pub fn new() -> CsvOut {
        let mut buf = Vec::with_capacity(64 * 1024);
        buf.extend_from_slice(b"\xEF\xBB\xBF");
        CsvOut {
            w: csv::Writer::from_writer(buf),
        }
    }
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<()> {
        self.w
            .write_record(
                cells
                    .iter()
                    .map(|c| escape_csv_cell(c.as_ref()).into_owned()),
            )
            .map_err(|e| AppError::Internal(e.to_string()))
    }
    pub fn finish(self) -> Result<Vec<u8>> {
        self.w
            .into_inner()
            .map_err(|e| AppError::Internal(e.to_string()))
    }
}

impl Default for CsvOut {
    fn default() -> Self {
        Self::new()
    }
}

/// Which people to export.
pub enum Selection<'a> {
    List(&'a str),
    Segment(&'a Filter),
}

pub async fn people_csv(
    db: &Db,
    by: &OrgMember,
    what: Selection<'_>,
    lang: Lang,
    actor: &Actor,
) -> Result<Vec<u8>> {
    let t = |k: &str| crate::i18n::t(lang, k);
    let mut out = CsvOut::new();
    out.row(&[
        t("field-first_name"),
        t("field-last_name"),
        t("field-email"),
        t("field-phone"),
        t("field-lang"),
        t("field-roles"),
        t("field-tags"),
    ])?;
    let org = by.org.id;
    let (label, list_id, compiled) = match &what {
        Selection::List(id) => {
            let l = people::list(&db.pool, org, id).await?;
            (format!("list {}", l.name), Some(l.id), None)
        }
        Selection::Segment(f) => (
            "segment".to_string(),
            None,
            Some(super::segments::compile(db, org, f).await?),
        ),
    };
    let mut after = 0;
    loop {
        let ids = match (list_id, &compiled) {
            (Some(l), _) => people::list_member_ids(&db.pool, l, after, 1000).await?,
            (None, Some(c)) => kehilla_db::segments::ids(&db.pool, org, c, after, 1000).await?,
            _ => Vec::new(),
        };
        let Some(last) = ids.last().copied() else {
            break;
        };
        after = last;
        for p in people::by_ids(&db.pool, org, &ids).await? {
            let labels = people::labels(&db.pool, p.id).await?;
            let join = |k: &str| {
                labels
                    .iter()
                    .filter(|(kk, _)| kk == k)
                    .map(|(_, v)| v.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            out.row(&[
                p.first_name.clone(),
                p.last_name.clone(),
                p.email.clone().unwrap_or_default(),
                p.phone.clone().unwrap_or_default(),
                p.lang.clone(),
                join("role"),
                join("tag"),
            ])?;
        }
    }
    audit::record(&db.pool, Some(org), actor, audit::EXPORT, &label).await?;
    out.finish()
}
