//! Every route of the application, each with its access rule.
//!
//! Routes can only be added through [`Routes::add`], which demands an [`Access`]; the rule is
//! enforced by a middleware on that route before the handler runs, and the list of routes with
//! their rules is returned next to the router so that the isolation test can call every one of
//! them as an outsider.

use axum::extract::{RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::{Method, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodFilter, on};
use axum::{RequestExt, Router};
use kehilla_app::{AppError, members, tokens};
use kehilla_domain::Permission;

use crate::ctx::Ctx;
use crate::error::{WebError, status_error};
use crate::{AppState, api, api_people, api_studio, assets, pages};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (login page, health checks, assets, invitation links).
    Public,
    /// Any signed-in user; nothing organization-specific is shown.
    SignedIn,
    /// A signed-in member of the organization named by `{org}` whose role allows this.
    Org(Permission),
    /// An API token of the organization named by `{org}` whose scope and member allow this.
    Api(Permission),
}

#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

pub struct Routes {
    state: AppState,
    router: Router<AppState>,
    list: Vec<RouteInfo>,
}

impl Routes {
    pub fn new(state: AppState) -> Routes {
        Routes {
            state,
            router: Router::new(),
            list: Vec::new(),
        }
    }

    pub fn add<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        let guard = from_fn_with_state(self.state.clone(), move |st, req, next| {
            enforce(st, access, req, next)
        });
        self.router = self
            .router
            .route(path, on(filter, handler).route_layer(guard));
        self.list.push(RouteInfo {
            method,
            path,
            access,
        });
        self
    }

    /// A route whose body may be larger than the default limit (uploads).
    pub fn add_large<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        limit: usize,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::POST);
        let guard = from_fn_with_state(self.state.clone(), move |st, req, next| {
            enforce(st, access, req, next)
        });
        self.router = self.router.route(
            path,
            on(filter, handler)
                .route_layer(guard)
                .layer(axum::extract::DefaultBodyLimit::max(limit)),
        );
        self.list.push(RouteInfo {
            method,
            path,
            access,
        });
        self
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        a: Access,
        h: H,
    ) -> Self {
        self.add(Method::GET, path, a, h)
    }
    pub fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        a: Access,
        h: H,
    ) -> Self {
        self.add(Method::POST, path, a, h)
    }
}

/// The organization a request acts in, put there by the access middleware.
#[derive(Clone, Debug)]
pub struct OrgCtx(pub members::OrgMember);

async fn enforce(
    State(st): State<AppState>,
    access: Access,
    mut req: Request,
    next: Next,
) -> Response {
    let org_slug = req
        .extract_parts::<RawPathParams>()
        .await
        .ok()
        .and_then(|p| {
            p.iter()
                .find(|(k, _)| *k == "org")
                .map(|(_, v)| v.to_string())
        });
    match access {
        Access::Public => next.run(req).await,
        Access::SignedIn | Access::Org(_) => {
            let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
                return status_error(StatusCode::INTERNAL_SERVER_ERROR, "internal");
            };
            let Some(user) = ctx.user.clone() else {
                if req.method() == Method::GET {
                    let next_url = req.uri().path().to_string();
                    return Redirect::to(&format!("/login?next={}", urlencode(&next_url)))
                        .into_response();
                }
                return WebError(AppError::Unauthorized).into_response();
            };
            if let Access::Org(perm) = access {
                let Some(slug) = org_slug else {
                    return status_error(StatusCode::NOT_FOUND, "not-found");
                };
                let m = match members::membership(&st.db, &user, &slug).await {
                    Ok(m) => m,
                    Err(e) => return WebError(e).into_response(),
                };
                if !m.role.allows(perm) {
                    return WebError(AppError::Forbidden).into_response();
                }
                // The organization asks this member for two-factor login: set it up first.
                if kehilla_app::two_factor::must_enroll(&m) {
                    if req.method() == Method::GET {
                        return Redirect::to("/account?done=two-factor-required#two-factor")
                            .into_response();
                    }
                    return WebError(AppError::TwoFactorRequired).into_response();
                }
                req.extensions_mut().insert(OrgCtx(m));
            }
            next.run(req).await
        }
        Access::Api(perm) => {
            let bearer = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(|s| s.trim().to_string());
            let Some(secret) = bearer else {
                return WebError(AppError::Unauthorized).into_response();
            };
            let (m, scope) = match tokens::authenticate(&st.db, &secret).await {
                Ok(x) => x,
                Err(e) => return WebError(e).into_response(),
            };
            // A token acts in its own organization only; others do not exist for it.
            if org_slug.as_deref() != Some(m.org.slug.as_str()) {
                return WebError(AppError::NotFound).into_response();
            }
            if !scope.allows(perm) || !m.role.allows(perm) {
                return WebError(AppError::Forbidden).into_response();
            }
            if let Some(ctx) = req.extensions_mut().get_mut::<Ctx>() {
                ctx.user = Some(m.user.clone());
            }
            req.extensions_mut().insert(OrgCtx(m));
            next.run(req).await
        }
    }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// The whole route table.
pub fn all(state: AppState) -> (Router<AppState>, Vec<RouteInfo>) {
    use Access::*;
    use Permission::*;
    let import_limit = state.settings.max_import_bytes;
    // Multipart framing adds a little to the file itself.
    let upload_limit = state.settings.max_upload_bytes.saturating_add(64 * 1024);
    let r = Routes::new(state)
        // Operations and assets.
        .get("/healthz", Public, pages::ops::healthz)
        .get(
            "/.well-known/security.txt",
            Public,
            pages::ops::security_txt,
        )
        .get("/readyz", Public, pages::ops::readyz)
        .get("/assets/{file}", Public, assets::serve)
        .get("/api/openapi.json", Public, api::openapi_document)
        // Accounts.
        .get("/", Public, pages::accounts::home)
        .get("/setup", Public, pages::accounts::setup_page)
        .post("/setup", Public, pages::accounts::setup_submit)
        .get("/login", Public, pages::accounts::login_page)
        .post("/login", Public, pages::accounts::login_submit)
        .post("/logout", SignedIn, pages::accounts::logout)
        .get("/account", SignedIn, pages::accounts::account)
        .post(
            "/account/sessions",
            SignedIn,
            pages::accounts::revoke_session,
        )
        .post(
            "/account/password",
            SignedIn,
            pages::accounts::change_password,
        )
        .post(
            "/account/two-factor/start",
            SignedIn,
            pages::accounts::two_factor_start,
        )
        .get(
            "/account/two-factor/setup",
            SignedIn,
            pages::accounts::two_factor_setup,
        )
        .post(
            "/account/two-factor/confirm",
            SignedIn,
            pages::accounts::two_factor_confirm,
        )
        .post(
            "/account/two-factor/recovery-codes",
            SignedIn,
            pages::accounts::two_factor_renew,
        )
        .post(
            "/account/two-factor/disable",
            SignedIn,
            pages::accounts::two_factor_disable,
        )
        .get(
            "/login/two-factor",
            Public,
            pages::accounts::second_step_page,
        )
        .post(
            "/login/two-factor",
            Public,
            pages::accounts::second_step_submit,
        )
        .post("/lang", Public, pages::accounts::set_lang)
        .get("/password/forgot", Public, pages::accounts::forgot_page)
        .post("/password/forgot", Public, pages::accounts::forgot_submit)
        .get(
            "/password/reset/{token}",
            Public,
            pages::accounts::reset_page,
        )
        .post(
            "/password/reset/{token}",
            Public,
            pages::accounts::reset_submit,
        )
        .get("/invite/{token}", Public, pages::members::invite_page)
        .post("/invite/{token}", Public, pages::members::invite_accept)
        .get("/orgs", SignedIn, pages::orgs::list)
        .post("/orgs", SignedIn, pages::orgs::create)
        // An organization's workspace.
        .get("/orgs/{org}", Org(Read), pages::orgs::overview)
        // Plan.
        .get("/orgs/{org}/plan", Org(Read), pages::plan::show)
        .post("/orgs/{org}/plan/guide", Org(Edit), pages::plan::guide)
        .post(
            "/orgs/{org}/plan/channels/{channel}",
            Org(Edit),
            pages::plan::save_map_row,
        )
        .post(
            "/orgs/{org}/plan/audiences",
            Org(Edit),
            pages::plan::add_audience,
        )
        .post(
            "/orgs/{org}/plan/audiences/{audience}/delete",
            Org(Edit),
            pages::plan::delete_audience,
        )
        .post("/orgs/{org}/plan/goals", Org(Edit), pages::plan::add_goal)
        .post(
            "/orgs/{org}/plan/goals/{goal}/delete",
            Org(Edit),
            pages::plan::delete_goal,
        )
        // People.
        .get("/orgs/{org}/people", Org(Read), pages::people::list)
        .get(
            "/orgs/{org}/people/new",
            Org(Contribute),
            pages::people::new_page,
        )
        .post("/orgs/{org}/people", Org(Contribute), pages::people::create)
        .get("/orgs/{org}/people/import", Org(Edit), pages::imports::page)
        .add_large(
            Method::POST,
            "/orgs/{org}/people/import",
            Org(Edit),
            import_limit,
            pages::imports::upload,
        )
        .get(
            "/orgs/{org}/people/{person}",
            Org(Read),
            pages::people::show,
        )
        .get(
            "/orgs/{org}/people/{person}/edit",
            Org(Contribute),
            pages::people::edit,
        )
        .post(
            "/orgs/{org}/people/{person}",
            Org(Contribute),
            pages::people::update,
        )
        .post(
            "/orgs/{org}/people/{person}/consents",
            Org(Contribute),
            pages::people::add_consent,
        )
        .post(
            "/orgs/{org}/people/{person}/lists",
            Org(Contribute),
            pages::people::add_to_list,
        )
        .post(
            "/orgs/{org}/people/{person}/lists/{list}/remove",
            Org(Contribute),
            pages::people::remove_from_list,
        )
        .get(
            "/orgs/{org}/people/{person}/export",
            Org(Admin),
            pages::people::export,
        )
        .post(
            "/orgs/{org}/people/{person}/erase",
            Org(Admin),
            pages::people::erase,
        )
        .get(
            "/orgs/{org}/automations",
            Org(Read),
            pages::automations::list,
        )
        .post(
            "/orgs/{org}/automations",
            Org(Edit),
            pages::automations::create,
        )
        .get(
            "/orgs/{org}/automations/new",
            Org(Edit),
            pages::automations::new,
        )
        .get(
            "/orgs/{org}/automations/{automation}",
            Org(Read),
            pages::automations::show,
        )
        .post(
            "/orgs/{org}/automations/{automation}",
            Org(Edit),
            pages::automations::update,
        )
        .post(
            "/orgs/{org}/automations/{automation}/active",
            Org(Edit),
            pages::automations::set_active,
        )
        .get("/orgs/{org}/campaigns", Org(Read), pages::campaigns::list)
        .post("/orgs/{org}/campaigns", Org(Edit), pages::campaigns::create)
        .get(
            "/orgs/{org}/campaigns/new",
            Org(Edit),
            pages::campaigns::new,
        )
        .get(
            "/orgs/{org}/campaigns/{campaign}",
            Org(Read),
            pages::campaigns::show,
        )
        .post(
            "/orgs/{org}/campaigns/{campaign}",
            Org(Edit),
            pages::campaigns::update,
        )
        .get(
            "/orgs/{org}/campaigns/{campaign}/preview",
            Org(Read),
            pages::campaigns::preview,
        )
        .post(
            "/orgs/{org}/campaigns/{campaign}/test",
            Org(Edit),
            pages::campaigns::test_send,
        )
        .post(
            "/orgs/{org}/campaigns/{campaign}/send",
            Org(Edit),
            pages::campaigns::send,
        )
        .post(
            "/orgs/{org}/campaigns/{campaign}/control",
            Org(Edit),
            pages::campaigns::control,
        )
        .get(
            "/orgs/{org}/campaigns/{campaign}/status",
            Org(Read),
            pages::campaigns::status,
        )
        .get(
            "/orgs/{org}/campaigns/sender",
            Org(Admin),
            pages::campaigns::sender_page,
        )
        .post(
            "/orgs/{org}/campaigns/sender",
            Org(Admin),
            pages::campaigns::sender_save,
        )
        .post(
            "/orgs/{org}/campaigns/sender/dkim",
            Org(Admin),
            pages::campaigns::sender_dkim,
        )
        .post(
            "/orgs/{org}/campaigns/sender/sms",
            Org(Admin),
            pages::campaigns::sms_gateway_save,
        )
        .post(
            "/orgs/{org}/campaigns/sms-count",
            Org(Read),
            pages::campaigns::sms_count,
        )
        .get("/orgs/{org}/lists", Org(Read), pages::lists::lists)
        .post("/orgs/{org}/lists", Org(Edit), pages::lists::create_list)
        .get(
            "/orgs/{org}/lists/{list}",
            Org(Read),
            pages::lists::show_list,
        )
        .post(
            "/orgs/{org}/lists/{list}/delete",
            Org(Edit),
            pages::lists::delete_list,
        )
        .get(
            "/orgs/{org}/lists/{list}/export",
            Org(Edit),
            pages::lists::export_list,
        )
        .get(
            "/orgs/{org}/segments/new",
            Org(Edit),
            pages::lists::new_segment,
        )
        .post(
            "/orgs/{org}/segments",
            Org(Edit),
            pages::lists::create_segment,
        )
        .post(
            "/orgs/{org}/segments/count",
            Org(Read),
            pages::lists::count_segment,
        )
        .get(
            "/orgs/{org}/segments/{segment}",
            Org(Read),
            pages::lists::show_segment,
        )
        .post(
            "/orgs/{org}/segments/{segment}",
            Org(Edit),
            pages::lists::update_segment,
        )
        .post(
            "/orgs/{org}/segments/{segment}/delete",
            Org(Edit),
            pages::lists::delete_segment,
        )
        .get(
            "/orgs/{org}/segments/{segment}/export",
            Org(Edit),
            pages::lists::export_segment,
        )
        .get("/orgs/{org}/forms", Org(Read), pages::forms::list)
        .get("/orgs/{org}/forms/new", Org(Edit), pages::forms::new_page)
        .post("/orgs/{org}/forms", Org(Edit), pages::forms::create)
        .get("/orgs/{org}/forms/{form}", Org(Read), pages::forms::show)
        .post("/orgs/{org}/forms/{form}", Org(Edit), pages::forms::update)
        .post(
            "/orgs/{org}/forms/{form}/delete",
            Org(Edit),
            pages::forms::delete,
        )
        .get(
            "/orgs/{org}/imports/{import}",
            Org(Edit),
            pages::imports::show,
        )
        .post(
            "/orgs/{org}/imports/{import}/start",
            Org(Edit),
            pages::imports::start,
        )
        .get(
            "/orgs/{org}/imports/{import}/status",
            Org(Edit),
            pages::imports::status,
        )
        .get(
            "/orgs/{org}/imports/{import}/report",
            Org(Edit),
            pages::imports::report,
        )
        .get(
            "/orgs/{org}/settings/people",
            Org(Admin),
            pages::people_settings::page,
        )
        .post(
            "/orgs/{org}/settings/people/organization",
            Org(Admin),
            pages::people_settings::save_org,
        )
        .post(
            "/orgs/{org}/settings/people/roles",
            Org(Admin),
            pages::people_settings::save_role,
        )
        .post(
            "/orgs/{org}/settings/people/fields",
            Org(Admin),
            pages::people_settings::add_field,
        )
        // Public: forms, confirmation, preference centre, unsubscribe. They act on a form's
        // public id or a signed link, never on a session.
        .get("/f/{form}", Public, pages::forms::public_show)
        .post("/f/{form}", Public, pages::forms::public_submit)
        .get("/f/{form}/embed", Public, pages::forms::public_embed)
        .post("/f/{form}/resend", Public, pages::forms::public_resend)
        .get("/f/confirm/{token}", Public, pages::forms::confirm_page)
        .post("/f/confirm/{token}", Public, pages::forms::confirm)
        .get("/p/{token}", Public, pages::forms::preferences)
        .post("/p/{token}", Public, pages::forms::save_preferences)
        .get("/u/{token}", Public, pages::forms::unsubscribe_page)
        .get("/m/o/{pixel}", Public, pages::campaigns::opened)
        .post(
            "/hooks/sms/{hook}/inbound",
            Public,
            pages::campaigns::sms_inbound,
        )
        .post(
            "/hooks/sms/{hook}/status",
            Public,
            pages::campaigns::sms_status,
        )
        .post("/u/{token}", Public, pages::forms::unsubscribe)
        // Studio.
        .get("/orgs/{org}/studio", Org(Read), pages::studio::home)
        .get(
            "/orgs/{org}/studio/new",
            Org(Contribute),
            pages::studio::new_page,
        )
        .post(
            "/orgs/{org}/studio/posts",
            Org(Contribute),
            pages::studio::create,
        )
        .post("/orgs/{org}/studio/count", Org(Read), pages::studio::count)
        .get(
            "/orgs/{org}/studio/card-image",
            Org(Read),
            pages::studio::card_image,
        )
        .get(
            "/orgs/{org}/studio/posts/{post}",
            Org(Read),
            pages::studio::show,
        )
        .post(
            "/orgs/{org}/studio/posts/{post}",
            Org(Contribute),
            pages::studio::update,
        )
        .post(
            "/orgs/{org}/studio/posts/{post}/variants/{channel}",
            Org(Contribute),
            pages::studio::save_variant,
        )
        .get(
            "/orgs/{org}/studio/posts/{post}/preview/{channel}",
            Org(Read),
            pages::studio::preview,
        )
        .post(
            "/orgs/{org}/studio/posts/{post}/action",
            Org(Contribute),
            pages::studio::action,
        )
        .post(
            "/orgs/{org}/studio/posts/{post}/move",
            Org(Contribute),
            pages::studio::move_post,
        )
        .get(
            "/orgs/{org}/studio/media",
            Org(Read),
            pages::studio_media::library,
        )
        .add_large(
            Method::POST,
            "/orgs/{org}/studio/media",
            Org(Contribute),
            upload_limit,
            pages::studio_media::upload,
        )
        .post(
            "/orgs/{org}/studio/media/{media}",
            Org(Contribute),
            pages::studio_media::update,
        )
        .post(
            "/orgs/{org}/studio/media/{media}/delete",
            Org(Edit),
            pages::studio_media::delete,
        )
        .get(
            "/orgs/{org}/studio/links",
            Org(Read),
            pages::studio_media::links,
        )
        .post(
            "/orgs/{org}/studio/links",
            Org(Contribute),
            pages::studio_media::create_link,
        )
        .get(
            "/orgs/{org}/studio/notifications",
            Org(Read),
            pages::studio::notifications,
        )
        .get(
            "/orgs/{org}/studio/channels",
            Org(Read),
            pages::studio_channels::list,
        )
        .post(
            "/orgs/{org}/studio/channels",
            Org(Admin),
            pages::studio_channels::create,
        )
        .get(
            "/orgs/{org}/studio/channels/health",
            Org(Read),
            pages::studio_channels::health,
        )
        .post(
            "/orgs/{org}/studio/channels/{channel}",
            Org(Admin),
            pages::studio_channels::update,
        )
        .post(
            "/orgs/{org}/studio/channels/{channel}/connect",
            Org(Admin),
            pages::studio_channels::connect,
        )
        .post(
            "/orgs/{org}/studio/channels/{channel}/oauth",
            Org(Admin),
            pages::studio_channels::oauth_start,
        )
        .get(
            "/oauth/callback",
            SignedIn,
            pages::studio_channels::oauth_callback,
        )
        .post(
            "/orgs/{org}/studio/channels/{channel}/disconnect",
            Org(Admin),
            pages::studio_channels::disconnect,
        )
        .post(
            "/orgs/{org}/studio/channels/{channel}/delete",
            Org(Admin),
            pages::studio_channels::delete,
        )
        .post(
            "/orgs/{org}/studio/settings",
            Org(Admin),
            pages::studio_channels::save_settings,
        )
        .post(
            "/orgs/{org}/studio/profile",
            Org(Admin),
            pages::studio_channels::save_profile,
        )
        .post(
            "/orgs/{org}/studio/profile/push",
            Org(Admin),
            pages::studio_channels::push_profile,
        )
        .get("/orgs/{org}/calendar", Org(Read), pages::calendar::page)
        // Public: media files (unguessable ids) and tracked short links.
        .get("/m/{media}/{file}", Public, pages::studio_media::file)
        .get("/l/{code}", Public, pages::studio_media::redirect)
        .get(
            "/-/demo/{network}/{id}",
            Public,
            pages::studio_media::demo_post,
        )
        .get("/-/redirect", Public, pages::studio_media::bare_redirect)
        // Inbox.
        .get("/orgs/{org}/inbox", Org(Read), pages::inbox::list)
        .get("/orgs/{org}/inbox/unread", Org(Read), pages::inbox::unread)
        .get("/orgs/{org}/inbox/times", Org(Read), pages::inbox::times)
        .get(
            "/orgs/{org}/inbox/settings",
            Org(Read),
            pages::inbox::settings_page,
        )
        .post(
            "/orgs/{org}/inbox/settings",
            Org(Admin),
            pages::inbox::save_settings,
        )
        .post(
            "/orgs/{org}/inbox/saved",
            Org(Contribute),
            pages::inbox::saved,
        )
        .post("/orgs/{org}/inbox/digest", Org(Read), pages::inbox::digest)
        .post(
            "/orgs/{org}/inbox/telegram",
            Org(Admin),
            pages::inbox::telegram,
        )
        .get(
            "/orgs/{org}/inbox/{conversation}",
            Org(Read),
            pages::inbox::show,
        )
        .post(
            "/orgs/{org}/inbox/{conversation}/answer",
            Org(Contribute),
            pages::inbox::answer,
        )
        .post(
            "/orgs/{org}/inbox/{conversation}/triage",
            Org(Contribute),
            pages::inbox::triage,
        )
        .post(
            "/orgs/{org}/inbox/{conversation}/status",
            Org(Contribute),
            pages::inbox::status,
        )
        .post(
            "/orgs/{org}/inbox/{conversation}/note",
            Org(Contribute),
            pages::inbox::note,
        )
        .post(
            "/orgs/{org}/inbox/{conversation}/link",
            Org(Contribute),
            pages::inbox::link,
        )
        .post(
            "/orgs/{org}/inbox/{conversation}/person",
            Org(Contribute),
            pages::inbox::make_person,
        )
        .post(
            "/orgs/{org}/inbox/messages/{message}/review",
            Org(Edit),
            pages::inbox::review,
        )
        .post(
            "/orgs/{org}/inbox/messages/{message}/act",
            Org(Contribute),
            pages::inbox::act,
        )
        .get("/hooks/meta/{network}", Public, pages::inbox::meta_verify)
        .post("/hooks/meta/{network}", Public, pages::inbox::meta_hook)
        .post(
            "/hooks/telegram/{channel}",
            Public,
            pages::inbox::telegram_hook,
        )
        .get("/orgs/{org}/measure", Org(Read), pages::measure::dashboard)
        .get(
            "/orgs/{org}/measure/goals/{goal}/export",
            Org(Read),
            pages::measure::goal_csv,
        )
        .get(
            "/orgs/{org}/measure/best-time/export",
            Org(Read),
            pages::measure::best_time_csv,
        )
        .get(
            "/orgs/{org}/measure/report",
            Org(Read),
            pages::measure::report_page,
        )
        .get(
            "/orgs/{org}/measure/report/export",
            Org(Read),
            pages::measure::report_csv,
        )
        .get(
            "/orgs/{org}/measure/report/pdf",
            Org(Read),
            pages::measure::report_pdf,
        )
        .post(
            "/orgs/{org}/measure/report/schedule",
            Org(Admin),
            pages::measure::report_schedule,
        )
        .get("/orgs/{org}/site", Org(Read), pages::site::settings_page)
        .post("/orgs/{org}/site", Org(Admin), pages::site::save_settings)
        .post("/orgs/{org}/site/pages", Org(Admin), pages::site::save_page)
        .post(
            "/orgs/{org}/site/pages/delete",
            Org(Admin),
            pages::site::delete_page,
        )
        .get(
            "/orgs/{org}/site/events/{post}",
            Org(Read),
            pages::site::event_page,
        )
        .post(
            "/orgs/{org}/site/events/{post}",
            Org(Edit),
            pages::site::save_event,
        )
        .post(
            "/orgs/{org}/site/events/{post}/shifts",
            Org(Edit),
            pages::site::add_shift,
        )
        .post(
            "/orgs/{org}/site/events/{post}/shifts/delete",
            Org(Edit),
            pages::site::delete_shift,
        )
        .post(
            "/orgs/{org}/site/events/{post}/rsvps",
            Org(Edit),
            pages::site::mark_rsvp,
        )
        .get("/orgs/{org}/site/comments", Org(Read), pages::site::queue)
        .post(
            "/orgs/{org}/site/comments",
            Org(Edit),
            pages::site::moderate,
        )
        .post(
            "/orgs/{org}/site/boards",
            Org(Edit),
            pages::site::create_board,
        )
        .get("/c/verify/{token}", Public, pages::site::verify_page)
        .post("/c/verify/{token}", Public, pages::site::verify)
        .post(
            "/orgs/{org}/site/fediverse/follow",
            Org(Admin),
            pages::activitypub::follow,
        )
        // ActivityPub and WebFinger: for other servers; deliveries are signed.
        .get(
            "/.well-known/webfinger",
            Public,
            pages::activitypub::webfinger,
        )
        .get("/ap/o/{slug}", Public, pages::activitypub::actor)
        .get(
            "/ap/o/{slug}/followers",
            Public,
            pages::activitypub::followers,
        )
        .get("/ap/o/{slug}/outbox", Public, pages::activitypub::outbox)
        .get(
            "/ap/o/{slug}/posts/{post}",
            Public,
            pages::activitypub::object,
        )
        .post("/ap/o/{slug}/inbox", Public, pages::activitypub::inbox)
        .post("/ap/inbox", Public, pages::activitypub::inbox)
        // The organization's public site (also on its own domain: see site_hosts).
        .get("/o/{slug}", Public, pages::site::home)
        .get("/o/{slug}/p/{post}", Public, pages::site::post)
        .post("/o/{slug}/p/{post}/rsvp", Public, pages::site::rsvp)
        .post("/o/{slug}/p/{post}/pledge", Public, pages::site::pledge)
        .post(
            "/o/{slug}/p/{post}/comments",
            Public,
            pages::site::post_comment,
        )
        .get("/o/{slug}/boards", Public, pages::site::boards)
        .get("/o/{slug}/boards/{board}", Public, pages::site::board)
        .post("/o/{slug}/boards/{board}", Public, pages::site::post_thread)
        .get(
            "/o/{slug}/boards/{board}/{thread}",
            Public,
            pages::site::thread,
        )
        .post(
            "/o/{slug}/boards/{board}/{thread}",
            Public,
            pages::site::post_reply,
        )
        .get("/o/{slug}/p/{post}/event.ics", Public, pages::site::ics)
        .get("/o/{slug}/pages/{page}", Public, pages::site::page)
        .get("/o/{slug}/topics/{topic}", Public, pages::site::topic)
        .get("/o/{slug}/feed.rss", Public, pages::site::feed_rss)
        .get("/o/{slug}/feed.atom", Public, pages::site::feed_atom)
        .get("/o/{slug}/feed.json", Public, pages::site::feed_json)
        .get(
            "/o/{slug}/topics/{topic}/feed.rss",
            Public,
            pages::site::topic_rss,
        )
        .get(
            "/o/{slug}/topics/{topic}/feed.atom",
            Public,
            pages::site::topic_atom,
        )
        .get(
            "/o/{slug}/topics/{topic}/feed.json",
            Public,
            pages::site::topic_json,
        )
        .get("/orgs/{org}/settings", Org(Read), pages::orgs::settings)
        .get(
            "/orgs/{org}/settings/members",
            Org(Read),
            pages::members::list,
        )
        .post(
            "/orgs/{org}/settings/invitations",
            Org(Admin),
            pages::members::invite,
        )
        .post(
            "/orgs/{org}/settings/invitations/{invitation}/revoke",
            Org(Admin),
            pages::members::revoke_invitation,
        )
        .post(
            "/orgs/{org}/settings/members/{member}/role",
            Org(Admin),
            pages::members::change_role,
        )
        .post(
            "/orgs/{org}/settings/members/{member}/remove",
            Org(Admin),
            pages::members::remove,
        )
        .post("/orgs/{org}/leave", Org(Read), pages::members::leave)
        .get(
            "/orgs/{org}/settings/tokens",
            Org(Read),
            pages::tokens::list,
        )
        .post(
            "/orgs/{org}/settings/tokens",
            Org(Read),
            pages::tokens::create,
        )
        .post(
            "/orgs/{org}/settings/tokens/{token}/revoke",
            Org(Read),
            pages::tokens::revoke,
        )
        .post(
            "/orgs/{org}/settings/two-factor",
            Org(Admin),
            pages::members::save_two_factor,
        )
        .get("/orgs/{org}/settings/audit", Org(Admin), pages::orgs::audit)
        .get("/orgs/{org}/settings/jobs", Org(Admin), pages::jobs::list)
        .post(
            "/orgs/{org}/settings/jobs/{job}/retry",
            Org(Admin),
            pages::jobs::retry,
        )
        // JSON API.
        .get("/api/v1/orgs/{org}", Api(Read), api::organization)
        .get("/api/v1/orgs/{org}/members", Api(Read), api::members)
        .add(
            Method::PATCH,
            "/api/v1/orgs/{org}/members/{member}",
            Api(Admin),
            api::change_role,
        )
        .add(
            Method::DELETE,
            "/api/v1/orgs/{org}/members/{member}",
            Api(Admin),
            api::remove_member,
        )
        .post("/api/v1/orgs/{org}/invitations", Api(Admin), api::invite)
        .get("/api/v1/orgs/{org}/audit", Api(Admin), api::audit)
        .get("/api/v1/orgs/{org}/jobs", Api(Admin), api::jobs)
        .post(
            "/api/v1/orgs/{org}/jobs/{job}/retry",
            Api(Admin),
            api::retry_job,
        )
        .get(
            "/api/v1/orgs/{org}/people",
            Api(Read),
            api_people::list_people,
        )
        .post(
            "/api/v1/orgs/{org}/people",
            Api(Contribute),
            api_people::create_person,
        )
        .get(
            "/api/v1/orgs/{org}/people/{person}",
            Api(Read),
            api_people::get_person,
        )
        .add(
            Method::PATCH,
            "/api/v1/orgs/{org}/people/{person}",
            Api(Contribute),
            api_people::update_person,
        )
        .add(
            Method::DELETE,
            "/api/v1/orgs/{org}/people/{person}",
            Api(Admin),
            api_people::erase_person,
        )
        .get(
            "/api/v1/orgs/{org}/people/{person}/consents",
            Api(Read),
            api_people::consents,
        )
        .post(
            "/api/v1/orgs/{org}/people/{person}/consents",
            Api(Contribute),
            api_people::add_consent,
        )
        .get("/api/v1/orgs/{org}/lists", Api(Read), api_people::lists)
        .post(
            "/api/v1/orgs/{org}/lists",
            Api(Edit),
            api_people::create_list,
        )
        .post(
            "/api/v1/orgs/{org}/lists/{list}/members",
            Api(Contribute),
            api_people::add_member,
        )
        .get(
            "/api/v1/orgs/{org}/segments",
            Api(Read),
            api_people::segments,
        )
        .post(
            "/api/v1/orgs/{org}/segments",
            Api(Edit),
            api_people::create_segment,
        )
        .get(
            "/api/v1/orgs/{org}/segments/{segment}/count",
            Api(Read),
            api_people::count_segment,
        )
        .get("/api/v1/orgs/{org}/forms", Api(Read), api_people::forms)
        .get(
            "/api/v1/orgs/{org}/channels",
            Api(Read),
            api_studio::list_channels,
        )
        .post(
            "/api/v1/orgs/{org}/channels",
            Api(Admin),
            api_studio::create_channel,
        )
        .get(
            "/api/v1/orgs/{org}/posts",
            Api(Read),
            api_studio::list_posts,
        )
        .post(
            "/api/v1/orgs/{org}/posts",
            Api(Contribute),
            api_studio::create_post,
        )
        .get(
            "/api/v1/orgs/{org}/posts/{post}",
            Api(Read),
            api_studio::get_post,
        )
        .add(
            Method::PATCH,
            "/api/v1/orgs/{org}/posts/{post}",
            Api(Contribute),
            api_studio::update_post,
        )
        .add(
            Method::DELETE,
            "/api/v1/orgs/{org}/posts/{post}",
            Api(Contribute),
            api_studio::delete_post,
        )
        .add(
            Method::PUT,
            "/api/v1/orgs/{org}/posts/{post}/variants/{channel}",
            Api(Contribute),
            api_studio::put_variant,
        )
        .post(
            "/api/v1/orgs/{org}/posts/{post}/actions",
            Api(Contribute),
            api_studio::post_action,
        )
        .get(
            "/api/v1/orgs/{org}/media",
            Api(Read),
            api_studio::list_media,
        )
        .add_large(
            Method::POST,
            "/api/v1/orgs/{org}/media",
            Api(Contribute),
            upload_limit,
            api_studio::upload_media,
        )
        .get(
            "/api/v1/orgs/{org}/media/{media}",
            Api(Read),
            api_studio::get_media,
        )
        .add(
            Method::PATCH,
            "/api/v1/orgs/{org}/media/{media}",
            Api(Contribute),
            api_studio::update_media,
        )
        .get(
            "/api/v1/orgs/{org}/links",
            Api(Read),
            api_studio::list_links,
        )
        .post(
            "/api/v1/orgs/{org}/links",
            Api(Contribute),
            api_studio::create_link,
        )
        .post(
            "/api/v1/orgs/{org}/count",
            Api(Read),
            api_studio::count_text,
        );
    (r.router, r.list)
}
