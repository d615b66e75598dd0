//! Email campaigns: drafts in Markdown with personalization, the audience through the consent
//! gate, and a preview as a chosen person.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use kehilla_app::AppError;
use kehilla_app::messaging::blocks::{Block, KINDS};
use kehilla_app::messaging::campaigns::{self as uc, CampaignInput};
use kehilla_app::messaging::gate::Gate;
use kehilla_db::messaging::{self as db, Campaign, Figures, Sender};
use kehilla_db::segments::{self as seg, Segment};
use serde::Deserialize;

use super::accounts::message;
use super::{Chrome, DoneQuery, render};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::WebResult;
use crate::routes::OrgCtx;

#[derive(Template)]
#[template(path = "people/campaigns.html")]
struct ListPage {
    c: Chrome,
    sub: &'static str,
    campaigns: Vec<Campaign>,
}

pub async fn list(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let c = Chrome::new(&st, &ctx, Some(&org), "people", "campaigns-title")
        .await?
        .with_notice(q.done.as_deref());
    let campaigns = db::list(&st.db.pool, org.0.org.id).await?;
    Ok(render(&ListPage {
        c,
        sub: "campaigns",
        campaigns,
    }))
}

#[derive(Template)]
#[template(path = "people/campaign.html")]
struct EditPage {
    c: Chrome,
    sub: &'static str,
    campaign: Option<Campaign>,
    input: CampaignInput,
    purposes: &'static [&'static str; 5],
    segments: Vec<Segment>,
    gate: Option<Gate>,
    /// People of the audience to preview as: (public id, name).
    people: Vec<(String, String)>,
    person: String,
    error: Option<String>,
    figures: Option<Figures>,
    /// No relay is set: campaigns go to the built-in sink.
    sink: bool,
    /// The schedule input's default (an hour from now, in the organization's zone).
    schedule_at: String,
    scheduled_for: String,
    /// SMS: the text as the sample person gets it, its count and cost.
    sms: Option<(String, kehilla_app::messaging::sms::Estimate)>,
    has_gateway: bool,
    /// The block editor's blocks, with an empty one at the end to add.
    blocks: Vec<Block>,
    kinds: [&'static str; 5],
    /// The media library's files that may be attached: (public id, name, size in KB).
    files: Vec<(String, String, i64)>,
}

impl EditPage {
    fn attached(&self, id: &str) -> bool {
        self.input.attachments.iter().any(|a| a == id)
    }
}

impl EditPage {
    fn reason(&self, code: &str) -> String {
        self.c.t(code)
    }
    fn percent(&self) -> i64 {
        match &self.figures {
            Some(f) if f.total > 0 => f.done() * 100 / f.total,
            _ => 0,
        }
    }
}

fn input_of(c: &Campaign) -> CampaignInput {
    CampaignInput {
        name: c.name.clone(),
        format: c.format.clone(),
        attachments: uc::attachments_of(c),
        channel: c.channel.clone(),
        purpose: c.purpose.clone(),
        lang: c.lang.clone(),
        subject: c.subject.clone(),
        body: c.body.clone(),
        advertising: c.advertising == 1,
        segment: c.segment.clone(),
    }
}

#[allow(clippy::too_many_arguments)]
async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    campaign: Option<Campaign>,
    input: CampaignInput,
    person: String,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let title = if campaign.is_some() {
        "campaign-edit"
    } else {
        "campaign-new"
    };
    let c = Chrome::new(st, ctx, Some(org), "people", title)
        .await?
        .with_notice(done);
    let id = org.0.org.id;
    let (gate, people) = match &campaign {
        Some(x) => {
            let gate = uc::gate_of(&st.db, id, x).await.ok();
            let f = uc::audience(&st.db, id, x).await?;
            let compiled = kehilla_app::people::segments::compile(&st.db, id, &f).await?;
            let mut people = Vec::new();
            for pid in seg::ids(&st.db.pool, id, &compiled, 0, 20).await? {
                if let Ok(p) = kehilla_db::people::by_id(&st.db.pool, id, pid).await {
                    let name = format!("{} {}", p.first_name, p.last_name)
                        .trim()
                        .to_string();
                    people.push((p.public_id, name));
                }
            }
            (gate, people)
        }
        None => (None, Vec::new()),
    };
    let figures = match &campaign {
        Some(x) if x.status != "draft" => Some(db::figures(&st.db.pool, x.id).await?),
        _ => None,
    };
    let tz = kehilla_app::studio::zone(
        &kehilla_db::studio::settings(&st.db.pool, id)
            .await?
            .time_zone,
    );
    let schedule_at = kehilla_app::studio::local_input(tz, kehilla_db::now_ms() + 3_600_000);
    let scheduled_for = campaign
        .as_ref()
        .and_then(|x| x.scheduled_at)
        .map(|ms| {
            kehilla_app::studio::to_local(tz, ms)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    let gateway = db::sms_gateway(&st.db.pool, id).await?;
    let sms = match &campaign {
        Some(x) if x.channel == "sms" => {
            let text = kehilla_app::messaging::render::personalize(
                &x.body,
                &uc::values(None, &org.0.org.name),
            )
            .map(|t| {
                kehilla_app::messaging::sms::finish_text(
                    &t,
                    x.advertising == 1,
                    &org.0.org.name,
                    &x.lang,
                )
            })
            .unwrap_or_default();
            let n = gate.as_ref().map(|g| g.eligible).unwrap_or(0);
            let e = kehilla_app::messaging::sms::estimate(
                &text,
                n,
                gateway.as_ref().map(|g| g.cost_per_segment).unwrap_or(0),
            );
            Some((text, e))
        }
        _ => None,
    };
    let mut blocks = if input.format == "blocks" {
        serde_json::from_str::<Vec<Block>>(&input.body).unwrap_or_default()
    } else {
        Vec::new()
    };
    blocks.push(Block::default());
    Ok(render(&EditPage {
        c,
        sub: "campaigns",
        campaign,
        input,
        purposes: &kehilla_db::segments::PURPOSES,
        segments: seg::of_org(&st.db.pool, id).await?,
        gate,
        people,
        person,
        error,
        figures,
        sink: !kehilla_app::messaging::send::has_relay(&st.settings),
        schedule_at,
        scheduled_for,
        sms,
        has_gateway: gateway.is_some(),
        blocks,
        kinds: KINDS,
        files: kehilla_db::studio::media_list(&st.db.pool, id, 30)
            .await?
            .into_iter()
            .map(|m| (m.public_id, m.file_name, (m.bytes + 1023) / 1024))
            .collect(),
    }))
}

pub async fn new(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
) -> WebResult<Response> {
    let input = CampaignInput {
        channel: "email".into(),
        lang: "he".into(),
        purpose: "newsletter".into(),
        body: "שלום {{ person.first_name | default(\"חבר/ה\") }},\n\n".into(),
        ..CampaignInput::default()
    };
    edit_page(&st, &ctx, &org, None, input, String::new(), None, None).await
}

#[derive(Deserialize)]
pub struct PersonQuery {
    #[serde(default)]
    person: String,
    #[serde(default)]
    done: Option<String>,
}

pub async fn show(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<PersonQuery>,
) -> WebResult<Response> {
    let c = db::get(&st.db.pool, org.0.org.id, &id).await?;
    let input = input_of(&c);
    edit_page(
        &st,
        &ctx,
        &org,
        Some(c),
        input,
        q.person,
        None,
        q.done.as_deref(),
    )
    .await
}

fn parse(pairs: &[(String, String)]) -> CampaignInput {
    let mut i = CampaignInput::default();
    // Blocks: block_{kind,text,url,alt,order,remove}_{n}.
    let mut blocks: std::collections::BTreeMap<usize, (Block, f64, bool)> =
        std::collections::BTreeMap::new();
    for (k, v) in pairs {
        if let Some(rest) = k.strip_prefix("block_")
            && let Some((field, n)) = rest.rsplit_once('_')
            && let Ok(n) = n.parse::<usize>()
            && n < 60
        {
            let e = blocks
                .entry(n)
                .or_insert_with(|| (Block::default(), n as f64, false));
            match field {
                "kind" => e.0.kind = v.clone(),
                "text" => e.0.text = v.clone(),
                "url" => e.0.url = v.trim().to_string(),
                "alt" => e.0.alt = v.clone(),
                "order" => e.1 = v.trim().parse().unwrap_or(n as f64),
                "remove" => e.2 = v == "1",
                _ => {}
            }
        }
    }
    for (k, v) in pairs {
        match k.as_str() {
            "format" => i.format = v.clone(),
            "attachment" => i.attachments.push(v.clone()),
            "name" => i.name = v.clone(),
            "channel" => i.channel = v.clone(),
            "purpose" => i.purpose = v.clone(),
            "lang" => i.lang = v.clone(),
            "subject" => i.subject = v.clone(),
            "body" => i.body = v.clone(),
            "advertising" => i.advertising = v == "1",
            "segment" => i.segment = v.clone(),
            _ => {}
        }
    }
    if i.format == "blocks" && !blocks.is_empty() {
        let mut list: Vec<(Block, f64)> = blocks
            .into_values()
            .filter(|(b, _, remove)| !remove && !b.kind.is_empty())
            .map(|(b, o, _)| (b, o))
            .collect();
        list.sort_by(|a, b| a.1.total_cmp(&b.1));
        let list: Vec<Block> = list.into_iter().map(|(b, _)| b).collect();
        i.body = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
    } else if i.format == "blocks" && !i.body.trim_start().starts_with('[') {
        // From Markdown to blocks: the text becomes one text block.
        let list: Vec<Block> = if i.body.trim().is_empty() {
            Vec::new()
        } else {
            vec![Block {
                kind: "text".into(),
                text: i.body.clone(),
                ..Block::default()
            }]
        };
        i.body = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
    } else if i.format != "blocks"
        && let Ok(list) = serde_json::from_str::<Vec<Block>>(&i.body)
    {
        // From blocks to Markdown: their words, one paragraph each.
        i.body = list
            .iter()
            .filter(|b| !b.text.trim().is_empty())
            .map(|b| match b.kind.as_str() {
                "heading" => format!("## {}", b.text.trim()),
                "button" => format!("[{}]({})", b.text.trim(), b.url),
                _ => b.text.trim().to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    i
}

async fn save(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    id: Option<String>,
    pairs: Vec<(String, String)>,
) -> WebResult<Response> {
    let input = parse(&pairs);
    match uc::save(&st.db, &org.0, id.as_deref(), &input).await {
        Ok(public_id) => Ok(Redirect::to(&format!(
            "/orgs/{}/campaigns/{public_id}?done=campaign-saved",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let campaign = match &id {
                Some(i) => Some(db::get(&st.db.pool, org.0.org.id, i).await?),
                None => None,
            };
            let msg = message(ctx, &e);
            edit_page(
                st,
                ctx,
                org,
                campaign,
                input,
                String::new(),
                Some(msg),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    save(&st, &ctx, &org, None, pairs).await
}

pub async fn update(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    save(&st, &ctx, &org, Some(id), pairs).await
}

/// The email as the chosen person gets it, alone in a sandboxed frame: its own strict policy
/// (inline styles only, no scripts, no remote content).
pub async fn preview(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<PersonQuery>,
) -> WebResult<Response> {
    let c = db::get(&st.db.pool, org.0.org.id, &id).await?;
    let unsubscribe = format!("{}/-/unsubscribe-preview", st.settings.base_url());
    let r = uc::preview(&st.db, &org.0, &c, Some(&q.person), &unsubscribe).await?;
    let mut resp = r.html.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
        ),
    );
    h.insert("x-frame-options", HeaderValue::from_static("SAMEORIGIN"));
    Ok(resp)
}

#[derive(Deserialize)]
pub struct TestForm {
    #[serde(default)]
    person: String,
}

/// Sends a test of the campaign to the member's own address.
pub async fn test_send(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<TestForm>,
) -> WebResult<Response> {
    let c = db::get(&st.db.pool, org.0.org.id, &id).await?;
    match uc::test_send(&st.db, &org.0, &c, &f.person).await {
        Ok(()) => {
            if let Some(w) = &st.worker {
                w.wake();
            }
            Ok(Redirect::to(&format!(
                "/orgs/{}/campaigns/{id}?done=campaign-test-sent&person={}",
                org.0.org.slug, f.person
            ))
            .into_response())
        }
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let input = input_of(&c);
            let msg = message(&ctx, &e);
            edit_page(&st, &ctx, &org, Some(c), input, f.person, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct SendForm {
    /// `now` or `later`.
    #[serde(default)]
    when: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    open_tracking: Option<String>,
}

/// Sends a draft now or schedules it.
pub async fn send(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<SendForm>,
) -> WebResult<Response> {
    let c = db::get(&st.db.pool, org.0.org.id, &id).await?;
    let at = if f.when == "later" {
        let tz = kehilla_app::studio::zone(
            &kehilla_db::studio::settings(&st.db.pool, org.0.org.id)
                .await?
                .time_zone,
        );
        match kehilla_app::studio::parse_local(tz, &f.at) {
            Ok(ms) => Some(ms),
            Err(e) => {
                let msg = message(&ctx, &e);
                let input = input_of(&c);
                return edit_page(
                    &st,
                    &ctx,
                    &org,
                    Some(c),
                    input,
                    String::new(),
                    Some(msg),
                    None,
                )
                .await;
            }
        }
    } else {
        None
    };
    let unsubscribe = format!("{}/-/unsubscribe-preview", st.settings.base_url());
    let r = uc::send(
        &st.db,
        &org.0,
        &id,
        at,
        f.open_tracking.as_deref() == Some("1"),
        &unsubscribe,
    )
    .await;
    match r {
        Ok(()) => {
            if let Some(w) = &st.worker {
                w.wake();
            }
            let done = if at.is_some() {
                "campaign-scheduled"
            } else {
                "campaign-sending"
            };
            Ok(Redirect::to(&format!(
                "/orgs/{}/campaigns/{id}?done={done}",
                org.0.org.slug
            ))
            .into_response())
        }
        Err(e @ (AppError::Input { .. } | AppError::Conflict(_))) => {
            let msg = message(&ctx, &e);
            let c = db::get(&st.db.pool, org.0.org.id, &id).await?;
            let input = input_of(&c);
            edit_page(
                &st,
                &ctx,
                &org,
                Some(c),
                input,
                String::new(),
                Some(msg),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ControlForm {
    #[serde(default)]
    action: String,
}

/// Pause, resume or cancel.
pub async fn control(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<ControlForm>,
) -> WebResult<Response> {
    match uc::control(&st.db, &org.0, &id, &f.action).await {
        Ok(()) => {
            if let Some(w) = &st.worker {
                w.wake();
            }
            Ok(Redirect::to(&format!(
                "/orgs/{}/campaigns/{id}?done=campaign-{}",
                org.0.org.slug,
                match f.action.as_str() {
                    "pause" => "paused",
                    "resume" => "resumed",
                    _ => "cancelled",
                }
            ))
            .into_response())
        }
        Err(e @ AppError::Conflict(_)) => {
            let msg = message(&ctx, &e);
            let c = db::get(&st.db.pool, org.0.org.id, &id).await?;
            let input = input_of(&c);
            edit_page(
                &st,
                &ctx,
                &org,
                Some(c),
                input,
                String::new(),
                Some(msg),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The campaign's state and figures, for the progress bar.
pub async fn status(
    State(st): State<AppState>,
    Extension(org): Extension<OrgCtx>,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<axum::Json<serde_json::Value>> {
    let c = db::get(&st.db.pool, org.0.org.id, &id).await?;
    let f = db::figures(&st.db.pool, c.id).await?;
    Ok(axum::Json(serde_json::json!({
        "status": c.status,
        "done": f.done(),
        "figures": f,
    })))
}

/// The open-tracking image (`/m/o/{token}.gif`): counts the first open of a campaign that asked
/// for it. No address or agent is kept.
pub async fn opened(State(st): State<AppState>, Path(pixel): Path<String>) -> Response {
    const GIF: &[u8] = &[
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff,
        0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b,
    ];
    if let Some(token) = pixel.strip_suffix(".gif")
        && let Ok(key) = kehilla_app::messaging::send::token_key(&st.db).await
        && let Some(r) = kehilla_app::messaging::send::recipient_of(&key, token)
        && let Ok((_, campaign, _, _)) = db::recipient(&st.db.pool, r).await
        && let Ok(c) = db::by_id(&st.db.pool, campaign).await
        && c.open_tracking == 1
    {
        let _ = db::mark(&st.db.pool, r, "opened_at").await;
    }
    let mut resp = GIF.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/gif"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

#[derive(Template)]
#[template(path = "people/sender.html")]
struct SenderPage {
    c: Chrome,
    sub: &'static str,
    sender: Sender,
    record: Option<(String, String)>,
    default_from: String,
    selector: String,
    error: Option<String>,
    gateway: Option<kehilla_db::messaging::SmsGateway>,
    hooks: Option<(String, String)>,
}

async fn sender_view(
    st: &AppState,
    ctx: &Ctx,
    org: &OrgCtx,
    error: Option<String>,
    done: Option<&str>,
) -> WebResult<Response> {
    let c = Chrome::new(st, ctx, Some(org), "people", "sender-title")
        .await?
        .with_notice(done);
    let sender = db::sender(&st.db.pool, org.0.org.id)
        .await?
        .unwrap_or_default();
    let record = kehilla_app::messaging::sender::dns_record(&sender);
    let default_from = kehilla_app::messaging::send::from_of(
        Some(&sender),
        &org.0.org.name,
        &st.settings.mail_from,
    )
    .map(|m| m.to_string())
    .unwrap_or_default();
    let selector = format!("kehilla{}", chrono::Utc::now().format("%Y%m"));
    let gateway = db::sms_gateway(&st.db.pool, org.0.org.id).await?;
    let hooks = gateway
        .as_ref()
        .map(|g| kehilla_app::messaging::sms::hook_urls(&st.settings.base_url(), g));
    Ok(render(&SenderPage {
        c,
        sub: "campaigns",
        sender,
        record,
        default_from,
        selector,
        error,
        gateway,
        hooks,
    }))
}

pub async fn sender_page(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    sender_view(&st, &ctx, &org, None, q.done.as_deref()).await
}

#[derive(Deserialize)]
pub struct SenderForm {
    #[serde(default)]
    from_name: String,
    #[serde(default)]
    from_address: String,
    #[serde(default)]
    reply_to: String,
    #[serde(default)]
    brand_color: String,
}

pub async fn sender_save(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<SenderForm>,
) -> WebResult<Response> {
    match kehilla_app::messaging::sender::save(
        &st.db,
        &org.0,
        &f.from_name,
        &f.from_address,
        &f.reply_to,
        &f.brand_color,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/orgs/{}/campaigns/sender?done=sender-saved",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ AppError::Input { .. }) => {
            let msg = message(&ctx, &e);
            sender_view(&st, &ctx, &org, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DkimForm {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    selector: String,
}

pub async fn sender_dkim(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<DkimForm>,
) -> WebResult<Response> {
    match kehilla_app::messaging::sender::generate_dkim(
        &st.db,
        &st.settings,
        &org.0,
        &f.domain,
        &f.selector,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/orgs/{}/campaigns/sender?done=dkim-generated",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ AppError::Input { .. }) => {
            let msg = message(&ctx, &e);
            sender_view(&st, &ctx, &org, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CountForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    advertising: Option<String>,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    recipients: i64,
}

/// The live SMS counter: segments, encoding and cost as the text is typed.
pub async fn sms_count(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<CountForm>,
) -> WebResult<axum::Json<serde_json::Value>> {
    let text =
        kehilla_app::messaging::render::personalize(&f.text, &uc::values(None, &org.0.org.name))
            .unwrap_or_else(|_| f.text.clone());
    let text = kehilla_app::messaging::sms::finish_text(
        &text,
        f.advertising.as_deref() == Some("1"),
        &org.0.org.name,
        &f.lang,
    );
    let cost = db::sms_gateway(&st.db.pool, org.0.org.id)
        .await?
        .map(|g| g.cost_per_segment)
        .unwrap_or(0);
    let e = kehilla_app::messaging::sms::estimate(&text, f.recipients, cost);
    let label = crate::i18n::t_args(
        ctx.lang,
        "sms-counter",
        &[
            ("segments", e.segments.to_string()),
            ("encoding", e.encoding.to_string()),
            ("units", e.units.to_string()),
            ("per", e.per_segment.to_string()),
            ("cost", format!("{}.{:02}", e.cost / 100, e.cost % 100)),
        ],
    );
    Ok(axum::Json(serde_json::json!({
        "estimate": e, "label": label, "ok": !e.too_long,
    })))
}

#[derive(Deserialize)]
pub struct GatewayForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    sender: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    cost_per_segment: String,
}

pub async fn sms_gateway_save(
    State(st): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Extension(org): Extension<OrgCtx>,
    Form(f): Form<GatewayForm>,
) -> WebResult<Response> {
    let input = kehilla_app::messaging::sms::GatewayInput {
        kind: f.kind,
        account: f.account,
        secret: f.secret,
        sender: f.sender,
        url: f.url,
        cost_per_segment: f.cost_per_segment,
    };
    match kehilla_app::messaging::sms::save_gateway(&st.db, &st.settings, &org.0, &input).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/orgs/{}/campaigns/sender?done=sms-gateway-saved",
            org.0.org.slug
        ))
        .into_response()),
        Err(e @ AppError::Input { .. }) => {
            let msg = message(&ctx, &e);
            sender_view(&st, &ctx, &org, Some(msg), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A gateway's webhook request: its gateway and parameters, Twilio's signature checked (the
/// generic gateway's secret is the address itself).
async fn hook_request(
    st: &AppState,
    hook: &str,
    kind: &str,
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> WebResult<(kehilla_db::messaging::SmsGateway, Vec<(String, String)>)> {
    let (g, secret) =
        kehilla_app::messaging::sms::gateway_of_hook(&st.db, &st.settings, hook).await?;
    let params = hook_params(headers, body);
    if g.kind == "twilio" {
        check_twilio(
            st,
            headers,
            &format!("/hooks/sms/{hook}/{kind}"),
            &secret,
            &params,
        )?;
    }
    Ok((g, params))
}

/// The first of `names` present among the parameters (Twilio's name, then the generic one).
fn param(params: &[(String, String)], names: &[&str]) -> String {
    params
        .iter()
        .find(|(n, _)| names.contains(&n.as_str()))
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// A reply from a phone (`/hooks/sms/{hook}/inbound`).
pub async fn sms_inbound(
    State(st): State<AppState>,
    Path(hook): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let (g, params) = hook_request(&st, &hook, "inbound", &headers, &body).await?;
    let from = param(&params, &["From", "from"]);
    let text = param(&params, &["Body", "text", "body"]);
    let id = param(&params, &["MessageSid", "SmsSid", "id"]);
    kehilla_app::messaging::sms::inbound(&st.db, &g, &id, &from, &text).await?;
    Ok(hook_ok(&g))
}

/// A delivery receipt (`/hooks/sms/{hook}/status`).
pub async fn sms_status(
    State(st): State<AppState>,
    Path(hook): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult<Response> {
    let (g, params) = hook_request(&st, &hook, "status", &headers, &body).await?;
    let id = param(&params, &["MessageSid", "SmsSid", "id"]);
    let status = param(&params, &["MessageStatus", "SmsStatus", "status"]);
    kehilla_app::messaging::sms::receipt(&st.db, &g, &id, &status).await?;
    Ok(hook_ok(&g))
}

fn hook_params(headers: &axum::http::HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        v.as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        serde_urlencoded::from_bytes(body).unwrap_or_default()
    }
}

fn check_twilio(
    st: &AppState,
    headers: &axum::http::HeaderMap,
    path: &str,
    secret: &str,
    params: &[(String, String)],
) -> WebResult<()> {
    let url = format!("{}{path}", st.settings.base_url());
    let want = kehilla_app::messaging::sms::twilio_signature(secret, &url, params);
    let got = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !want.is_empty() && kehilla_app::secrets::constant_eq(&want, got) {
        Ok(())
    } else {
        Err(AppError::Forbidden.into())
    }
}

fn hook_ok(g: &kehilla_db::messaging::SmsGateway) -> Response {
    if g.kind == "twilio" {
        // An empty TwiML answer: no automatic reply.
        let mut r =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>".into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        r
    } else {
        axum::Json(serde_json::json!({"ok": true})).into_response()
    }
}
