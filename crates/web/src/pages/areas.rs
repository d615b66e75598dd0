//! The areas that later capabilities fill. Each says, for now, what will be there.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;

use super::{Chrome, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

pub const AREAS: [&str; 7] = [
    "plan", "people", "studio", "calendar", "inbox", "measure", "site",
];

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    c: Chrome,
    area: &'static str,
}

impl AreaPage {
    fn points(&self) -> Vec<String> {
        (1..=3)
            .filter_map(|i| {
                crate::i18n::try_t(self.c.lang, &format!("area-{}-point{i}", self.area))
            })
            .collect()
    }
}

async fn area(st: AppState, ctx: Ctx, org: OrgCtx, area: &'static str) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, Some(&org), area, &format!("nav-{area}")).await?;
    Ok(render(&AreaPage { c, area }))
}

macro_rules! area_handler {
    ($($name:ident),*) => {$(
        pub async fn $name(
            State(st): State<AppState>,
            axum::Extension(ctx): Extension<Ctx>,
            axum::Extension(org): Extension<OrgCtx>,
        ) -> WebResult<Response> {
            area(st, ctx, org, stringify!($name)).await
        }
    )*};
}

area_handler!(plan, measure);
