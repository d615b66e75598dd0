//! Segments: filters built in the UI, compiled to one parameterized SQL condition that gives the
//! same people on SQLite and PostgreSQL. Users never write SQL: every value is bound, every
//! name (channel, purpose, comparison) is checked against a closed list before it is used.
//!
//! Each condition becomes `p.id IN (SELECT person_id …)` or a test on a column of `people p`.
//! Both databases turn such sub-selects into hash or index lookups, which keeps a count over a
//! million people fast.

use serde::{Deserialize, Serialize};
use sqlx::{Any, Executor};

use crate::{Backend, DbError, Result};

pub const CHANNELS: [&str; 3] = ["email", "sms", "whatsapp"];
pub const PURPOSES: [&str; 5] = [
    "newsletter",
    "donation_appeals",
    "advocacy",
    "event_reminders",
    "transactional",
];

/// The most conditions and the deepest nesting one segment may have.
pub const MAX_CONDITIONS: usize = 40;
pub const MAX_DEPTH: usize = 6;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Filter {
    /// Every condition holds (an empty list: everyone).
    All {
        of: Vec<Filter>,
    },
    /// At least one holds (an empty list: no one).
    Any {
        of: Vec<Filter>,
    },
    Not {
        of: Box<Filter>,
    },
    Role {
        value: String,
    },
    Tag {
        value: String,
    },
    /// Member of the list with this public id.
    InList {
        list: String,
    },
    /// The current consent for a channel and purpose.
    Consent {
        channel: String,
        purpose: String,
        state: ConsentState,
    },
    /// May be sent this channel and purpose now, by the law's rules and the organization's
    /// nonprofit setting (see `reachable_sql`).
    Reachable {
        channel: String,
        purpose: String,
    },
    /// A custom field compared with a value.
    Field {
        key: String,
        cmp: Cmp,
        value: String,
    },
    /// Added to the organization in the last `days` days.
    AddedWithin {
        #[serde(deserialize_with = "kehilla_domain::json_int::i64")]
        days: i64,
    },
    /// Had an event of `kind` (e.g. `signed-up`) in the last `days` days.
    Event {
        kind: String,
        #[serde(deserialize_with = "kehilla_domain::json_int::i64")]
        days: i64,
    },
    Lang {
        value: String,
    },
    HasEmail,
    HasPhone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    Given,
    Withdrawn,
    /// Never asked: no ledger entry at all.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cmp {
    Eq,
    Ne,
    Contains,
    /// Numbers and dates (`YYYY-MM-DD` compares as text).
    Gt,
    Lt,
}

/// A bound value.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Int(i64),
    Float(f64),
    Text(String),
    /// A NULL text value.
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    #[error("segment-too-large")]
    TooLarge,
    #[error("segment-unknown-channel")]
    UnknownChannel,
    #[error("segment-unknown-purpose")]
    UnknownPurpose,
    #[error("segment-bad-value")]
    BadValue,
}

impl SegmentError {
    pub fn code(self) -> &'static str {
        match self {
            SegmentError::TooLarge => "segment-too-large",
            SegmentError::UnknownChannel => "segment-unknown-channel",
            SegmentError::UnknownPurpose => "segment-unknown-purpose",
            SegmentError::BadValue => "segment-bad-value",
        }
    }
}

/// A compiled condition over `people p`, with `$1` = the organization's id and its values from
/// `$2` on.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub sql: String,
    pub params: Vec<Param>,
}

struct Compiler {
    params: Vec<Param>,
    conditions: usize,
    now: i64,
    nonprofit: bool,
    backend: Backend,
}

impl Compiler {
    fn bind(&mut self, p: Param) -> String {
        self.params.push(p);
        // $1 is the organization.
        format!("${}", self.params.len() + 1)
    }

    fn text(&mut self, s: &str) -> String {
        self.bind(Param::Text(s.to_string()))
    }

    fn check_channel(c: &str) -> std::result::Result<(), SegmentError> {
        CHANNELS
            .contains(&c)
            .then_some(())
            .ok_or(SegmentError::UnknownChannel)
    }

    fn check_purpose(p: &str) -> std::result::Result<(), SegmentError> {
        PURPOSES
            .contains(&p)
            .then_some(())
            .ok_or(SegmentError::UnknownPurpose)
    }

    /// People whose newest ledger entry for (channel, purpose) has `given = given`.
    ///
    /// The two backends get the plan each runs best, and a property test checks that both give
    /// the same people. SQLite looks the newest entry up per candidate person (one seek in the
    /// covering index, after the cheaper conditions have thinned the candidates; no entry reads
    /// as -1, so the test is never NULL and `NOT` stays exact). PostgreSQL aggregates once: the
    /// newest entry has the largest id, and `id * 2 + given` keeps that order while carrying
    /// `given` in its lowest bit.
    fn current_consent(&mut self, channel: &str, purpose: &str, given: i64) -> String {
        let c = self.text(channel);
        let p = self.text(purpose);
        match self.backend {
            Backend::Sqlite => format!(
                "COALESCE((SELECT c.given FROM consents c WHERE c.organization_id = $1 AND c.channel = {c} \
                 AND c.purpose = {p} AND c.person_id = p.id ORDER BY c.id DESC LIMIT 1), -1) = {given}"
            ),
            Backend::Postgres => format!(
                "p.id IN (SELECT person_id FROM consents WHERE organization_id = $1 AND channel = {c} \
                 AND purpose = {p} AND person_id IS NOT NULL GROUP BY person_id \
                 HAVING MAX(id * 2 + given) % 2 = {given})"
            ),
        }
    }

    fn compile(&mut self, f: &Filter, depth: usize) -> std::result::Result<String, SegmentError> {
        self.conditions += 1;
        if depth > MAX_DEPTH || self.conditions > MAX_CONDITIONS {
            return Err(SegmentError::TooLarge);
        }
        Ok(match f {
            Filter::All { of } | Filter::Any { of } => {
                let all = matches!(f, Filter::All { .. });
                if of.is_empty() {
                    return Ok(if all { "1 = 1".into() } else { "1 = 0".into() });
                }
                let parts = of
                    .iter()
                    .map(|x| self.compile(x, depth + 1))
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                format!("({})", parts.join(if all { " AND " } else { " OR " }))
            }
            Filter::Not { of } => format!("NOT ({})", self.compile(of, depth + 1)?),
            Filter::Role { value } | Filter::Tag { value } => {
                let kind = if matches!(f, Filter::Role { .. }) {
                    "role"
                } else {
                    "tag"
                };
                let k = self.text(kind);
                let v = self.text(value);
                format!(
                    "p.id IN (SELECT person_id FROM person_labels WHERE organization_id = $1 \
                     AND kind = {k} AND value = {v})"
                )
            }
            Filter::InList { list } => {
                let l = self.text(list);
                format!(
                    "p.id IN (SELECT lm.person_id FROM list_members lm JOIN lists l ON l.id = lm.list_id \
                     WHERE l.organization_id = $1 AND l.public_id = {l})"
                )
            }
            Filter::Consent {
                channel,
                purpose,
                state,
            } => {
                Self::check_channel(channel)?;
                Self::check_purpose(purpose)?;
                match state {
                    ConsentState::Given => self.current_consent(channel, purpose, 1),
                    ConsentState::Withdrawn => self.current_consent(channel, purpose, 0),
                    ConsentState::Unknown => {
                        let c = self.text(channel);
                        let p = self.text(purpose);
                        format!(
                            "p.id NOT IN (SELECT person_id FROM consents WHERE organization_id = $1 \
                             AND channel = {c} AND purpose = {p} AND person_id IS NOT NULL)"
                        )
                    }
                }
            }
            Filter::Reachable { channel, purpose } => {
                Self::check_channel(channel)?;
                Self::check_purpose(purpose)?;
                let address = if channel == "email" {
                    "p.email IS NOT NULL"
                } else {
                    "p.phone IS NOT NULL"
                };
                let rule = if purpose == "transactional" {
                    "1 = 1".to_string()
                } else if channel == "email"
                    && self.nonprofit
                    && (purpose == "donation_appeals" || purpose == "advocacy")
                {
                    // Section 30A(b1): a registered nonprofit may email donation requests and
                    // non-commercial messages to anyone who has not refused.
                    format!("NOT {}", self.current_consent(channel, purpose, 0))
                } else {
                    self.current_consent(channel, purpose, 1)
                };
                format!("({address} AND {rule})")
            }
            Filter::Field { key, cmp, value } => {
                let k = self.text(key);
                let test = match cmp {
                    Cmp::Eq => format!("pf.value_text = {}", self.text(value)),
                    Cmp::Ne => format!("pf.value_text <> {}", self.text(value)),
                    Cmp::Contains => {
                        let pattern = format!("%{}%", escape_like(&value.to_lowercase()));
                        format!(
                            "LOWER(pf.value_text) LIKE {} ESCAPE '\\'",
                            self.text(&pattern)
                        )
                    }
                    Cmp::Gt | Cmp::Lt => {
                        let op = if *cmp == Cmp::Gt { ">" } else { "<" };
                        match value.trim().parse::<f64>() {
                            Ok(n) if n.is_finite() => {
                                format!("pf.value_num {op} {}", self.bind(Param::Float(n)))
                            }
                            _ if is_iso_date(value.trim()) => {
                                format!("pf.value_text {op} {}", self.text(value.trim()))
                            }
                            _ => return Err(SegmentError::BadValue),
                        }
                    }
                };
                format!(
                    "p.id IN (SELECT pf.person_id FROM person_fields pf JOIN custom_fields cf ON cf.id = pf.field_id \
                     WHERE cf.organization_id = $1 AND cf.key = {k} AND {test})"
                )
            }
            Filter::AddedWithin { days } => {
                let since = self.since(*days)?;
                format!("p.created_at >= {since}")
            }
            Filter::Event { kind, days } => {
                let since = self.since(*days)?;
                let k = self.text(kind);
                format!(
                    "p.id IN (SELECT person_id FROM person_events WHERE organization_id = $1 \
                     AND kind = {k} AND created_at >= {since})"
                )
            }
            Filter::Lang { value } => format!("p.lang = {}", self.text(value)),
            Filter::HasEmail => "p.email IS NOT NULL".into(),
            Filter::HasPhone => "p.phone IS NOT NULL".into(),
        })
    }

    fn since(&mut self, days: i64) -> std::result::Result<String, SegmentError> {
        if !(0..=36_500).contains(&days) {
            return Err(SegmentError::BadValue);
        }
        Ok(self.bind(Param::Int(self.now - days * 86_400_000)))
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Compiles a filter at instant `now` for an organization with the given nonprofit setting.
pub fn compile(
    f: &Filter,
    now: i64,
    nonprofit: bool,
    backend: Backend,
) -> std::result::Result<Compiled, SegmentError> {
    let mut c = Compiler {
        backend,
        params: Vec::new(),
        conditions: 0,
        now,
        nonprofit,
    };
    let sql = c.compile(f, 0)?;
    Ok(Compiled {
        sql,
        params: c.params,
    })
}

fn bind_all<'q>(
    mut q: sqlx::query::QueryAs<'q, Any, (i64,), sqlx::any::AnyArguments>,
    org: i64,
    params: &'q [Param],
) -> sqlx::query::QueryAs<'q, Any, (i64,), sqlx::any::AnyArguments> {
    q = q.bind(org);
    for p in params {
        q = match p {
            Param::Int(i) => q.bind(*i),
            Param::Float(f) => q.bind(*f),
            Param::Text(t) => q.bind(t.as_str()),
            Param::Null => q.bind(Option::<String>::None),
        };
    }
    q
}

/// How many people of the organization the compiled condition selects.
pub async fn count<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    c: &Compiled,
) -> Result<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM people p WHERE p.organization_id = $1 AND {}",
        c.sql
    );
    let q = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql));
    let (n,) = bind_all(q, org, &c.params).fetch_one(e).await?;
    Ok(n)
}

/// The ids of the selected people, ordered, `limit` after `after_id` (for paging and exports).
pub async fn ids<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    c: &Compiled,
    after_id: i64,
    limit: i64,
) -> Result<Vec<i64>> {
    let n = c.params.len();
    let sql = format!(
        "SELECT p.id FROM people p WHERE p.organization_id = $1 AND {} AND p.id > ${} ORDER BY p.id LIMIT ${}",
        c.sql,
        n + 2,
        n + 3
    );
    let q = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql));
    let rows = bind_all(q, org, &c.params)
        .bind(after_id)
        .bind(limit)
        .fetch_all(e)
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Segment {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub name: String,
    pub definition: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Segment {
    pub fn filter(&self) -> Filter {
        serde_json::from_str(&self.definition).unwrap_or(Filter::Any { of: Vec::new() })
    }
}

const COLS: &str = "id, public_id, organization_id, name, definition, created_at, updated_at";

pub async fn create<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    name: &str,
    f: &Filter,
) -> Result<Segment> {
    let now = crate::now_ms();
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO segments (public_id, organization_id, name, definition, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLS}"
    ))
    .bind(crate::new_public_id())
    .bind(org)
    .bind(name)
    .bind(serde_json::to_string(f).map_err(|e| DbError::BadUrl(e.to_string()))?)
    .bind(now)
    .fetch_one(e)
    .await?)
}

pub async fn update<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
    name: &str,
    f: &Filter,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE segments SET name = $1, definition = $2, updated_at = $3 \
         WHERE organization_id = $4 AND public_id = $5",
    )
    .bind(name)
    .bind(serde_json::to_string(f).map_err(|e| DbError::BadUrl(e.to_string()))?)
    .bind(crate::now_ms())
    .bind(org)
    .bind(public_id)
    .execute(e)
    .await?;
    crate::touched(&r)
}

pub async fn of_org<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Segment>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM segments WHERE organization_id = $1 ORDER BY name"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Segment> {
    sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM segments WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn delete<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<()> {
    let r = sqlx::query("DELETE FROM segments WHERE organization_id = $1 AND public_id = $2")
        .bind(org)
        .bind(public_id)
        .execute(e)
        .await?;
    crate::touched(&r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_bound_never_formatted() {
        let f = Filter::All {
            of: vec![
                Filter::Tag {
                    value: "x' OR 1=1 --".into(),
                },
                Filter::Field {
                    key: "city".into(),
                    cmp: Cmp::Contains,
                    value: "50%_off\\".into(),
                },
            ],
        };
        let c = compile(&f, 0, false, Backend::Postgres).unwrap();
        assert!(
            !c.sql.contains("OR 1=1") && !c.sql.contains("50%"),
            "{}",
            c.sql
        );
        assert_eq!(c.params.len(), 4);
        assert_eq!(c.params[3], Param::Text("%50\\%\\_off\\\\%".into()));
    }

    #[test]
    fn closed_lists_and_limits() {
        let bad = Filter::Consent {
            channel: "fax".into(),
            purpose: "newsletter".into(),
            state: ConsentState::Given,
        };
        assert_eq!(
            compile(&bad, 0, false, Backend::Postgres).unwrap_err(),
            SegmentError::UnknownChannel
        );
        let mut f = Filter::HasEmail;
        for _ in 0..10 {
            f = Filter::Not { of: Box::new(f) };
        }
        assert_eq!(
            compile(&f, 0, false, Backend::Postgres).unwrap_err(),
            SegmentError::TooLarge
        );
        let wide = Filter::Any {
            of: vec![Filter::HasPhone; 60],
        };
        assert_eq!(
            compile(&wide, 0, false, Backend::Postgres).unwrap_err(),
            SegmentError::TooLarge
        );
        let days = Filter::AddedWithin { days: -1 };
        assert_eq!(
            compile(&days, 0, false, Backend::Postgres).unwrap_err(),
            SegmentError::BadValue
        );
        let num = Filter::Field {
            key: "age".into(),
            cmp: Cmp::Gt,
            value: "abc".into(),
        };
        assert_eq!(
            compile(&num, 0, false, Backend::Postgres).unwrap_err(),
            SegmentError::BadValue
        );
    }

    #[test]
    fn the_nonprofit_email_exception_only_widens_email_donations_and_advocacy() {
        let r = |ch: &str, pu: &str, np| {
            compile(
                &Filter::Reachable {
                    channel: ch.into(),
                    purpose: pu.into(),
                },
                0,
                np,
                Backend::Postgres,
            )
            .unwrap()
            .sql
        };
        assert!(r("email", "donation_appeals", true).contains("NOT p.id IN"));
        assert!(!r("email", "donation_appeals", false).contains("NOT p.id IN"));
        assert!(!r("email", "newsletter", true).contains("NOT p.id IN"));
        assert!(
            !r("sms", "donation_appeals", true).contains("NOT p.id IN"),
            "SMS always needs consent"
        );
    }

    #[test]
    fn filters_round_trip_as_json() {
        let f: Filter = serde_json::from_str(
            r#"{"op":"all","of":[{"op":"role","value":"donor"},{"op":"consent","channel":"email","purpose":"newsletter","state":"given"},{"op":"added_within","days":30}]}"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::from_str::<Filter>(&serde_json::to_string(&f).unwrap()).unwrap(),
            f
        );
    }
}
