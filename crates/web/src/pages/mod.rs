//! HTML pages, one module per area. Every page is an askama template that extends
//! `base.html` and carries a [`Chrome`]: language, CSRF token, the user's organizations.

pub mod accounts;
pub mod activitypub;
pub mod areas;
pub mod automations;
pub mod calendar;
pub mod campaigns;
pub mod forms;
pub mod imports;
pub mod inbox;
pub mod jobs;
pub mod lists;
pub mod measure;
pub mod members;
pub mod ops;
pub mod orgs;
pub mod people;
pub mod people_settings;
pub mod plan;
pub mod site;
pub mod studio;
pub mod studio_channels;
pub mod studio_media;
pub mod tokens;

use axum::response::{Html, IntoResponse, Response};
use kehilla_app::AppError;
use kehilla_db::orgs::MyOrganization;
use kehilla_domain::validate::Lang;
use kehilla_domain::{Permission, Role};

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebError;
use crate::i18n;
use crate::routes::OrgCtx;

/// What every page shows around its content.
pub struct Chrome {
    pub lang: Lang,
    pub csrf: String,
    pub title: String,
    pub user_name: Option<String>,
    pub orgs: Vec<MyOrganization>,
    pub org_slug: String,
    pub org_name: String,
    pub role: Option<Role>,
    pub nav: &'static str,
    pub notice: Option<String>,
    /// Conversations of the inbox nobody has opened yet (the navigation's badge).
    pub inbox_new: i64,
}

impl Chrome {
    pub async fn new(
        st: &AppState,
        ctx: &Ctx,
        org: Option<&OrgCtx>,
        nav: &'static str,
        title_key: &str,
    ) -> Result<Chrome, WebError> {
        let orgs = match &ctx.user {
            Some(u) => kehilla_db::orgs::of_user(&st.db.pool, u.id).await?,
            None => Vec::new(),
        };
        let inbox_new = match org {
            Some(o) => kehilla_db::inbox::unread(&st.db.pool, o.0.org.id, o.0.user.id)
                .await
                .map(|u| u.0)
                .unwrap_or(0),
            None => 0,
        };
        Ok(Chrome {
            inbox_new,
            lang: ctx.lang,
            csrf: ctx.csrf.clone(),
            title: i18n::t(ctx.lang, title_key),
            user_name: ctx.user.as_ref().map(|u| u.name.clone()),
            orgs,
            org_slug: org.map(|o| o.0.org.slug.clone()).unwrap_or_default(),
            org_name: org.map(|o| o.0.org.name.clone()).unwrap_or_default(),
            role: org.map(|o| o.0.role),
            nav,
            notice: None,
        })
    }

    /// Shows a confirmation named by a `?done=` query value, if it is one we know.
    pub fn with_notice(mut self, done: Option<&str>) -> Chrome {
        self.notice = done
            .filter(|d| d.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            .and_then(|d| i18n::try_t(self.lang, &format!("done-{d}")));
        self
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        i18n::t_args(self.lang, key, &[(name, value.to_string())])
    }
    pub fn count<N: Count>(&self, key: &str, n: N) -> String {
        i18n::t_count(self.lang, key, "count", n.value())
    }
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
    pub fn dir(&self) -> &'static str {
        self.lang.dir()
    }
    pub fn other_lang(&self) -> &'static str {
        self.lang.other().code()
    }
    pub fn role_name(&self, role: &str) -> String {
        self.t(&format!("role-{role}"))
    }
    pub fn your_role(&self) -> String {
        let role = self.role_name(self.role.map(|r| r.as_str()).unwrap_or("viewer"));
        self.t1("your-role", "role", &role)
    }
    /// A person-role's name: the organization's own label, or the translation of a default.
    pub fn role_label(&self, key: &str, label: &str) -> String {
        if key == label {
            i18n::try_t(self.lang, &format!("person-role-{key}"))
                .unwrap_or_else(|| label.to_string())
        } else {
            label.to_string()
        }
    }
    pub fn can(&self, what: &str) -> bool {
        let p = match what {
            "contribute" => Permission::Contribute,
            "edit" => Permission::Edit,
            "admin" => Permission::Admin,
            _ => Permission::Read,
        };
        self.role.is_some_and(|r| r.allows(p))
    }
    pub fn can_admin(&self) -> bool {
        self.role.is_some_and(|r| r.allows(Permission::Admin))
    }
    /// A time for people: the organization's zone is Asia/Jerusalem until settings exist.
    pub fn when(&self, ms: &i64) -> String {
        format_time(*ms)
    }
    pub fn when_opt(&self, ms: &Option<i64>) -> String {
        ms.map(format_time).unwrap_or_else(|| "—".into())
    }
}

/// A number shown with a plural-aware message; templates pass numbers by value or reference.
pub trait Count {
    fn value(&self) -> i64;
}

impl Count for usize {
    fn value(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl Count for i64 {
    fn value(&self) -> i64 {
        *self
    }
}

impl<T: Count> Count for &T {
    fn value(&self) -> i64 {
        (**self).value()
    }
}

/// `YYYY-MM-DD HH:MM` in Israel time (UTC+2 or +3 by the Israeli DST rule).
pub fn format_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let offset = if israel_dst(y, m, d) { 3 } else { 2 };
    let local = secs + offset * 3600;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let sod = local.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        sod / 3600,
        (sod % 3600) / 60
    )
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Israeli summer time: from the Friday before the last Sunday of March to the last Sunday of
/// October (day granularity is enough for showing times in lists).
fn israel_dst(y: i64, m: i64, d: i64) -> bool {
    let last_sunday = |month: i64| {
        let last = days_from_civil(y, month, 31);
        // 1970-01-01 was a Thursday: weekday 0 = Sunday when (days + 4) % 7 == 0.
        last - (last + 4).rem_euclid(7)
    };
    let today = days_from_civil(y, m, d);
    today >= last_sunday(3) - 2 && today < last_sunday(10)
}

pub fn render<T: askama::Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => WebError(AppError::Internal(format!("template: {e}"))).into_response(),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::format_time;

    #[test]
    fn israel_times() {
        // 2026-01-15 10:00 UTC is 12:00 in winter (UTC+2).
        assert_eq!(format_time(1_768_471_200_000), "2026-01-15 12:00");
        // 2026-07-01 09:30 UTC is 12:30 in summer (UTC+3).
        assert_eq!(format_time(1_782_898_200_000), "2026-07-01 12:30");
    }
}
