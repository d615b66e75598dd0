//! Messaging's SQL: campaigns, their recipients (the send log), suppressions and senders.

use sqlx::{Any, Executor, FromRow};

use crate::{DbError, Result, new_public_id, now_ms};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct Campaign {
    pub id: i64,
    pub public_id: String,
    pub organization_id: i64,
    pub name: String,
    pub channel: String,
    pub purpose: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub advertising: i64,
    pub segment: String,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub scheduled_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub prepared: i64,
    pub open_tracking: i64,
    pub sender: String,
    pub gate: String,
    /// markdown, or blocks (JSON in `body`)
    pub format: String,
    /// Media library files attached (public ids, JSON).
    pub attachments: String,
}

const COLS: &str = "id, public_id, organization_id, name, channel, purpose, lang, subject, body, \
     advertising, segment, status, created_at, updated_at, scheduled_at, started_at, finished_at, \
     prepared, open_tracking, sender, gate, format, attachments";

/// What a campaign is made of.
#[derive(Debug, Clone, Default)]
pub struct CampaignData<'a> {
    pub name: &'a str,
    /// email or sms
    pub channel: &'a str,
    /// markdown or blocks ("" is markdown)
    pub format: &'a str,
    /// Media library files attached (public ids, JSON; "" is none).
    pub attachments: &'a str,
    pub purpose: &'a str,
    pub lang: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub advertising: bool,
    pub segment: &'a str,
}

pub async fn create<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    by: i64,
    d: &CampaignData<'_>,
) -> Result<Campaign> {
    let now = now_ms();
    Ok(sqlx::query_as(crate::sql!(
        "INSERT INTO campaigns (public_id, organization_id, name, purpose, lang, subject, body, advertising, \
         segment, created_by, created_at, updated_at, channel, format, attachments) VALUES ($1, $2, $3, $4, $5, \
         $6, $7, $8, $9, $10, $11, $11, $12, $13, $14) RETURNING {COLS}"
    ))
    .bind(new_public_id())
    .bind(org)
    .bind(d.name)
    .bind(d.purpose)
    .bind(d.lang)
    .bind(d.subject)
    .bind(d.body)
    .bind(i64::from(d.advertising))
    .bind(d.segment)
    .bind(by)
    .bind(now)
    .bind(d.channel)
    .bind(if d.format == "blocks" { "blocks" } else { "markdown" })
    .bind(if d.attachments.is_empty() { "[]" } else { d.attachments })
    .fetch_one(e)
    .await?)
}

/// Changes a draft (a campaign that went out is not edited).
pub async fn update<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
    d: &CampaignData<'_>,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE campaigns SET name = $1, purpose = $2, lang = $3, subject = $4, body = $5, advertising = $6, \
         segment = $7, updated_at = $8, channel = $11, format = $12, attachments = $13 \
         WHERE organization_id = $9 AND public_id = $10 AND status = 'draft'",
    )
    .bind(d.name)
    .bind(d.purpose)
    .bind(d.lang)
    .bind(d.subject)
    .bind(d.body)
    .bind(i64::from(d.advertising))
    .bind(d.segment)
    .bind(now_ms())
    .bind(org)
    .bind(public_id)
    .bind(d.channel)
    .bind(if d.format == "blocks" { "blocks" } else { "markdown" })
    .bind(if d.attachments.is_empty() { "[]" } else { d.attachments })
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
) -> Result<Campaign> {
    sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM campaigns WHERE organization_id = $1 AND public_id = $2"
    ))
    .bind(org)
    .bind(public_id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

pub async fn list<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Vec<Campaign>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {COLS} FROM campaigns WHERE organization_id = $1 AND status <> 'automation' \
         ORDER BY updated_at DESC LIMIT 500"
    ))
    .bind(org)
    .fetch_all(e)
    .await?)
}

pub async fn by_id<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Campaign> {
    sqlx::query_as(crate::sql!("SELECT {COLS} FROM campaigns WHERE id = $1"))
        .bind(id)
        .fetch_optional(e)
        .await?
        .ok_or(DbError::NotFound)
}

/// A draft becomes scheduled (to go out at `at`; now for "send now").
pub async fn schedule<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
    at: i64,
    open_tracking: bool,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE campaigns SET status = 'scheduled', scheduled_at = $1, open_tracking = $2, updated_at = $3 \
         WHERE organization_id = $4 AND public_id = $5 AND status = 'draft'",
    )
    .bind(at)
    .bind(i64::from(open_tracking))
    .bind(now_ms())
    .bind(org)
    .bind(public_id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Moves a campaign from one of `from` to `to`; false when it was in none of them.
pub async fn transition<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    public_id: &str,
    from: &[&str],
    to: &str,
) -> Result<bool> {
    let r = sqlx::query(crate::sql!(
        "UPDATE campaigns SET status = $1, updated_at = $2, \
         finished_at = CASE WHEN $1 IN ('cancelled', 'sent') THEN $2 ELSE finished_at END \
         WHERE organization_id = $3 AND public_id = $4 AND status IN ({})",
        crate::state_list(from)
    ))
    .bind(to)
    .bind(now_ms())
    .bind(org)
    .bind(public_id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// The sending run takes the campaign: it becomes `sending` (from scheduled or sending) with
/// this run as its sender. False when it is paused, cancelled or done.
pub async fn take<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    sender: &str,
) -> Result<bool> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE campaigns SET status = CASE WHEN status = 'automation' THEN status ELSE 'sending' END, \
         sender = $1, started_at = COALESCE(started_at, $2), updated_at = $2 \
         WHERE id = $3 AND status IN ('scheduled', 'sending', 'automation')",
    )
    .bind(sender)
    .bind(now)
    .bind(id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Whether `sender` still sends the campaign (it is `sending` and no later run took it).
pub async fn still_sending<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    sender: &str,
) -> Result<bool> {
    let r: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM campaigns WHERE id = $1 AND status IN ('sending', 'automation') AND sender = $2",
    )
    .bind(id)
    .bind(sender)
    .fetch_optional(e)
    .await?;
    Ok(r.is_some())
}

/// The snapshot of recipients is complete; the gate's count is kept with the campaign.
pub async fn mark_prepared<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    gate: &str,
) -> Result<()> {
    sqlx::query("UPDATE campaigns SET prepared = 1, gate = $1 WHERE id = $2")
        .bind(gate)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// Every recipient had their turn: the campaign is sent.
pub async fn finish<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    sender: &str,
) -> Result<bool> {
    let now = now_ms();
    let r = sqlx::query(
        "UPDATE campaigns SET status = 'sent', finished_at = $1, updated_at = $1 \
         WHERE id = $2 AND status = 'sending' AND sender = $3",
    )
    .bind(now)
    .bind(id)
    .bind(sender)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Makes a draft the step of an automation: it sends whenever people are added to it.
pub async fn make_automation_step<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
) -> Result<()> {
    sqlx::query("UPDATE campaigns SET status = 'automation', prepared = 1 WHERE id = $1")
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// Changes an automation step's message.
pub async fn update_step_message<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    subject: &str,
    body: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE campaigns SET subject = $1, body = $2, updated_at = $3 WHERE id = $4 AND status = 'automation'",
    )
    .bind(subject)
    .bind(body)
    .bind(now_ms())
    .bind(id)
    .execute(e)
    .await?;
    Ok(())
}

/// Adds one person as a queued recipient (automation steps); false when they already had it.
pub async fn add_recipient<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    campaign: i64,
    person: i64,
    address: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "INSERT INTO campaign_recipients (campaign_id, organization_id, person_id, address) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id, person_id) DO NOTHING",
    )
    .bind(campaign)
    .bind(org)
    .bind(person)
    .bind(address)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A sent campaign with a recipient to try again (a soft bounce that came back) sends again.
pub async fn reopen<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE campaigns SET status = 'sending', finished_at = NULL WHERE id = $1 AND status = 'sent'",
    )
    .bind(id)
    .execute(e)
    .await?;
    Ok(())
}

/// Campaigns that should be sending now (scheduled and due, or sending): the safety net that
/// queues their job again when it ended early.
pub async fn due<'c, E: Executor<'c, Database = Any>>(e: E, now: i64) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, organization_id FROM campaigns WHERE (status = 'scheduled' AND scheduled_at <= $1) \
         OR status = 'sending' ORDER BY id LIMIT 1000",
    )
    .bind(now)
    .fetch_all(e)
    .await?)
}

// ---- Recipients: the send log ----

/// One recipient with what their message needs.
#[derive(Debug, Clone, FromRow)]
pub struct Recipient {
    pub id: i64,
    pub address: String,
    pub attempts: i64,
    pub person_public_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub lang: Option<String>,
}

/// Adds the people of `cond` (a compiled segment condition over `people p`, its parameters
/// numbered from $2, the organization being $1) with ids in `(after, upto]` as recipients, each
/// once (a repeat after a crash adds nobody twice). Suppressed addresses are left out.
pub async fn add_recipients<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    campaign: i64,
    cond: &crate::segments::Compiled,
    address_column: &str,
    after: i64,
    upto: i64,
) -> Result<u64> {
    let column = match address_column {
        "phone" => "p.phone",
        _ => "p.email",
    };
    let n = cond.params.len();
    let sql = format!(
        "INSERT INTO campaign_recipients (campaign_id, organization_id, person_id, address) \
         SELECT ${c}, p.organization_id, p.id, {column} FROM people p \
         WHERE p.organization_id = $1 AND ({cond}) AND {column} IS NOT NULL AND p.id > ${a} AND p.id <= ${u} \
         AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.organization_id = p.organization_id \
         AND s.address = {column}) \
         ON CONFLICT (campaign_id, person_id) DO NOTHING",
        c = n + 2,
        a = n + 3,
        u = n + 4,
        cond = cond.sql,
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org);
    for p in &cond.params {
        q = match p {
            crate::segments::Param::Int(i) => q.bind(*i),
            crate::segments::Param::Float(f) => q.bind(*f),
            crate::segments::Param::Text(t) => q.bind(t.clone()),
            crate::segments::Param::Null => q.bind(Option::<String>::None),
        };
    }
    let r = q.bind(campaign).bind(after).bind(upto).execute(e).await?;
    Ok(r.rows_affected())
}

/// The highest person id of an organization (the snapshot walks ids up to it).
pub async fn max_person_id<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<i64> {
    let (n,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(id) FROM people WHERE organization_id = $1")
            .bind(org)
            .fetch_one(e)
            .await?;
    Ok(n.unwrap_or(0))
}

/// Queued recipients after `after`, in order.
pub async fn queued<'c, E: Executor<'c, Database = Any>>(
    e: E,
    campaign: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<Recipient>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.address, r.attempts, p.public_id AS person_public_id, p.first_name, \
         p.last_name, p.lang FROM campaign_recipients r LEFT JOIN people p ON p.id = r.person_id \
         WHERE r.campaign_id = $1 AND r.status = 'queued' AND r.id > $2 ORDER BY r.id LIMIT $3",
    )
    .bind(campaign)
    .bind(after)
    .bind(limit)
    .fetch_all(e)
    .await?)
}

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The relay took it (250 after DATA).
    Sent,
    /// A passing refusal (4xx, or the connection broke before the relay took it): tried again
    /// at `next_at`.
    Deferred { next_at: i64, error: String },
    /// A permanent refusal (5xx): the address is suppressed.
    Bounced { error: String },
    /// Given up (too many passing refusals, or a message that cannot be made).
    Failed { error: String },
}

/// Records what became of one recipient's message (only while it is queued: a repeat records
/// nothing).
pub async fn record<'c, E: Executor<'c, Database = Any>>(
    e: E,
    recipient: i64,
    outcome: &Outcome,
) -> Result<bool> {
    let now = now_ms();
    let q = match outcome {
        Outcome::Sent => sqlx::query(
            "UPDATE campaign_recipients SET status = 'sent', sent_at = $1, attempts = attempts + 1, \
             error = '' WHERE id = $2 AND status = 'queued'",
        )
        .bind(now)
        .bind(recipient),
        Outcome::Deferred { next_at, error } => sqlx::query(
            "UPDATE campaign_recipients SET status = 'deferred', next_at = $1, attempts = attempts + 1, \
             error = $2 WHERE id = $3 AND status = 'queued'",
        )
        .bind(*next_at)
        .bind(error.clone())
        .bind(recipient),
        Outcome::Bounced { error } => sqlx::query(
            "UPDATE campaign_recipients SET status = 'bounced', bounced_at = $1, attempts = attempts + 1, \
             error = $2 WHERE id = $3 AND status = 'queued'",
        )
        .bind(now)
        .bind(error.clone())
        .bind(recipient),
        Outcome::Failed { error } => sqlx::query(
            "UPDATE campaign_recipients SET status = 'failed', attempts = attempts + 1, error = $1 \
             WHERE id = $2 AND status = 'queued'",
        )
        .bind(error.clone())
        .bind(recipient),
    };
    Ok(q.execute(e).await?.rows_affected() == 1)
}

/// Of `recipients` (ids of this campaign), those whose person withdrew their consent for the
/// campaign's purpose after it started: they are not sent to (`cancelled`,
/// "consent-withdrawn"). Returns their ids. Looks only at these people, so its cost does not
/// grow with the campaign.
pub async fn drop_withdrawn<'c, E: Executor<'c, Database = Any> + Copy>(
    e: E,
    c: &Campaign,
    recipients: &[i64],
) -> Result<Vec<i64>> {
    if recipients.is_empty() {
        return Ok(Vec::new());
    }
    let since = c.started_at.unwrap_or(c.created_at);
    let list = recipients
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let gone: Vec<(i64,)> = sqlx::query_as(crate::sql!(
        "SELECT r.id FROM campaign_recipients r WHERE r.id IN ({list}) AND r.campaign_id = $1 \
         AND EXISTS (SELECT 1 FROM consents k WHERE k.organization_id = $2 AND k.channel = $3 \
         AND k.purpose = $4 AND k.person_id = r.person_id AND k.given = 0 AND k.created_at >= $5)"
    ))
    .bind(c.id)
    .bind(c.organization_id)
    .bind(c.channel.clone())
    .bind(c.purpose.clone())
    .bind(since)
    .fetch_all(e)
    .await?;
    let gone: Vec<i64> = gone.into_iter().map(|r| r.0).collect();
    if !gone.is_empty() {
        let list = gone
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        sqlx::query(crate::sql!(
            "UPDATE campaign_recipients SET status = 'cancelled', error = 'consent-withdrawn' \
             WHERE id IN ({list}) AND status IN ('queued', 'deferred')"
        ))
        .execute(e)
        .await?;
    }
    Ok(gone)
}

/// Deferred recipients whose time came are queued again; returns how many.
pub async fn requeue_deferred<'c, E: Executor<'c, Database = Any>>(
    e: E,
    campaign: i64,
    now: i64,
) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE campaign_recipients SET status = 'queued' WHERE campaign_id = $1 AND status = 'deferred' \
         AND next_at <= $2",
    )
    .bind(campaign)
    .bind(now)
    .execute(e)
    .await?
    .rows_affected())
}

/// When the next deferred recipient is due, if any.
pub async fn next_deferred<'c, E: Executor<'c, Database = Any>>(
    e: E,
    campaign: i64,
) -> Result<Option<i64>> {
    let (n,): (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(next_at) FROM campaign_recipients WHERE campaign_id = $1 AND status = 'deferred'",
    )
    .bind(campaign)
    .fetch_one(e)
    .await?;
    Ok(n)
}

/// A cancelled campaign: who had not had their message yet will not.
pub async fn cancel_rest<'c, E: Executor<'c, Database = Any>>(e: E, campaign: i64) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE campaign_recipients SET status = 'cancelled' WHERE campaign_id = $1 \
         AND status IN ('queued', 'deferred')",
    )
    .bind(campaign)
    .execute(e)
    .await?
    .rows_affected())
}

/// A campaign's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    pub total: i64,
    pub queued: i64,
    pub sent: i64,
    pub deferred: i64,
    pub bounced: i64,
    pub failed: i64,
    pub cancelled: i64,
    pub delivered: i64,
    pub clicked: i64,
    pub opened: i64,
    pub unsubscribed: i64,
    pub complained: i64,
}

impl Figures {
    /// How many had their turn (sent, bounced, failed or cancelled), of the total.
    pub fn done(&self) -> i64 {
        self.sent + self.bounced + self.failed + self.cancelled
    }
}

pub async fn figures<'c, E: Executor<'c, Database = Any> + Copy>(
    e: E,
    campaign: i64,
) -> Result<Figures> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM campaign_recipients WHERE campaign_id = $1 GROUP BY status",
    )
    .bind(campaign)
    .fetch_all(e)
    .await?;
    let mut f = Figures::default();
    for (status, n) in rows {
        f.total += n;
        match status.as_str() {
            "queued" => f.queued = n,
            "sent" => f.sent = n,
            "deferred" => f.deferred = n,
            "bounced" => f.bounced = n,
            "failed" => f.failed = n,
            "cancelled" => f.cancelled = n,
            _ => {}
        }
    }
    let (clicked, opened, unsubscribed, complained, late_bounce): (i64, i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT COUNT(clicked_at), COUNT(opened_at), COUNT(unsubscribed_at), COUNT(complained_at), \
             COALESCE(SUM(CASE WHEN status = 'sent' AND bounced_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
             FROM campaign_recipients WHERE campaign_id = $1",
        )
        .bind(campaign)
        .fetch_one(e)
        .await?;
    f.clicked = clicked;
    f.opened = opened;
    f.unsubscribed = unsubscribed;
    f.complained = complained;
    // A bounce that came back later (a delivery status notification) counts as bounced.
    f.bounced += late_bounce;
    f.delivered = f.sent - late_bounce;
    // SMS: delivery receipts say what was delivered.
    let (with_id,): (i64,) =
        sqlx::query_as("SELECT COUNT(provider_id) FROM campaign_recipients WHERE campaign_id = $1")
            .bind(campaign)
            .fetch_one(e)
            .await?;
    if with_id > 0 {
        let (delivered, undelivered) = sms_receipts(e, campaign).await?;
        f.delivered = delivered;
        f.bounced += undelivered;
    }
    Ok(f)
}

/// A recipient by id within an organization (bounces, clicks).
pub async fn recipient<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
) -> Result<(i64, i64, String, String)> {
    sqlx::query_as(
        "SELECT r.organization_id, r.campaign_id, r.address, r.status FROM campaign_recipients r WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(e)
    .await?
    .ok_or(DbError::NotFound)
}

/// Marks a moment of a recipient (`clicked_at`, `opened_at`, `unsubscribed_at`,
/// `complained_at`, `bounced_at`) the first time only.
pub async fn mark<'c, E: Executor<'c, Database = Any>>(
    e: E,
    recipient: i64,
    column: &str,
) -> Result<bool> {
    let column = match column {
        "clicked_at" => "clicked_at",
        "opened_at" => "opened_at",
        "unsubscribed_at" => "unsubscribed_at",
        "complained_at" => "complained_at",
        _ => "bounced_at",
    };
    let r = sqlx::query(crate::sql!(
        "UPDATE campaign_recipients SET {column} = $1 WHERE id = $2 AND {column} IS NULL"
    ))
    .bind(now_ms())
    .bind(recipient)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A person unsubscribed: the campaign that last reached them (in the last 60 days) counts it.
pub async fn mark_unsubscribed<'c, E: Executor<'c, Database = Any>>(
    e: E,
    person: i64,
) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "UPDATE campaign_recipients SET unsubscribed_at = $1 WHERE id = (SELECT id FROM campaign_recipients \
         WHERE person_id = $2 AND status = 'sent' AND sent_at > $3 ORDER BY id DESC LIMIT 1) \
         AND unsubscribed_at IS NULL",
    )
    .bind(now)
    .bind(person)
    .bind(now - 60 * 24 * 3_600_000)
    .execute(e)
    .await?;
    Ok(())
}

/// A deferred recipient that came back soft-bounced after it was sent is queued again.
pub async fn resend<'c, E: Executor<'c, Database = Any>>(
    e: E,
    recipient: i64,
    next_at: i64,
    error: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE campaign_recipients SET status = 'deferred', next_at = $1, error = $2 \
         WHERE id = $3 AND status = 'sent' AND attempts < 5",
    )
    .bind(next_at)
    .bind(error)
    .bind(recipient)
    .execute(e)
    .await?;
    Ok(r.rows_affected() == 1)
}

// ---- Suppressions ----

/// No campaign of the organization goes to `address` again.
pub async fn suppress<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    address: &str,
    reason: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO suppressions (organization_id, address, reason, detail, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organization_id, address) DO NOTHING",
    )
    .bind(org)
    .bind(address)
    .bind(reason)
    .bind(detail)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

pub async fn suppressed_count<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM suppressions WHERE organization_id = $1")
            .bind(org)
            .fetch_one(e)
            .await?;
    Ok(n)
}

// ---- Senders ----

#[derive(Debug, Clone, Default, FromRow)]
pub struct Sender {
    pub organization_id: i64,
    pub from_name: String,
    pub from_address: String,
    pub reply_to: String,
    pub dkim_domain: String,
    pub dkim_selector: String,
    pub dkim_key_sealed: String,
    pub dkim_public: String,
    pub updated_at: i64,
    pub brand_color: String,
}

pub async fn sender<'c, E: Executor<'c, Database = Any>>(e: E, org: i64) -> Result<Option<Sender>> {
    Ok(sqlx::query_as(
        "SELECT organization_id, from_name, from_address, reply_to, dkim_domain, dkim_selector, \
         dkim_key_sealed, dkim_public, updated_at, brand_color FROM mail_senders WHERE organization_id = $1",
    )
    .bind(org)
    .fetch_optional(e)
    .await?)
}

/// Saves who the organization's campaigns come from and its colour (the DKIM key is kept).
pub async fn save_sender<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    from_name: &str,
    from_address: &str,
    reply_to: &str,
    brand_color: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO mail_senders (organization_id, from_name, from_address, reply_to, updated_at, brand_color) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organization_id) DO UPDATE SET from_name = $2, \
         from_address = $3, reply_to = $4, updated_at = $5, brand_color = $6",
    )
    .bind(org)
    .bind(from_name)
    .bind(from_address)
    .bind(reply_to)
    .bind(now_ms())
    .bind(brand_color)
    .execute(e)
    .await?;
    Ok(())
}

/// Keeps a new DKIM key for the organization's domain.
pub async fn save_dkim<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    domain: &str,
    selector: &str,
    key_sealed: &str,
    public: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO mail_senders (organization_id, dkim_domain, dkim_selector, dkim_key_sealed, \
         dkim_public, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organization_id) DO UPDATE \
         SET dkim_domain = $2, dkim_selector = $3, dkim_key_sealed = $4, dkim_public = $5, updated_at = $6",
    )
    .bind(org)
    .bind(domain)
    .bind(selector)
    .bind(key_sealed)
    .bind(public)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

// ---- SMS gateways ----

#[derive(Debug, Clone, Default, FromRow)]
pub struct SmsGateway {
    pub organization_id: i64,
    pub kind: String,
    pub account: String,
    pub secret_sealed: String,
    pub sender: String,
    pub url: String,
    pub hook_token: String,
    pub cost_per_segment: i64,
    pub updated_at: i64,
}

const G_COLS: &str = "organization_id, kind, account, secret_sealed, sender, url, hook_token, \
     cost_per_segment, updated_at";

pub async fn sms_gateway<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
) -> Result<Option<SmsGateway>> {
    Ok(sqlx::query_as(crate::sql!(
        "SELECT {G_COLS} FROM sms_gateways WHERE organization_id = $1"
    ))
    .bind(org)
    .fetch_optional(e)
    .await?)
}

/// Saves an organization's gateway; an empty `secret_sealed` keeps the one stored.
pub async fn save_sms_gateway<'c, E: Executor<'c, Database = Any>>(
    e: E,
    g: &SmsGateway,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sms_gateways (organization_id, kind, account, secret_sealed, sender, url, hook_token, \
         cost_per_segment, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (organization_id) DO UPDATE SET kind = $2, account = $3, \
         secret_sealed = CASE WHEN $4 = '' THEN sms_gateways.secret_sealed ELSE $4 END, sender = $5, \
         url = $6, cost_per_segment = $8, updated_at = $9",
    )
    .bind(g.organization_id)
    .bind(g.kind.clone())
    .bind(g.account.clone())
    .bind(g.secret_sealed.clone())
    .bind(g.sender.clone())
    .bind(g.url.clone())
    .bind(g.hook_token.clone())
    .bind(g.cost_per_segment)
    .bind(now_ms())
    .execute(e)
    .await?;
    Ok(())
}

/// Keeps the gateway's id of a recipient's message.
pub async fn set_provider_id<'c, E: Executor<'c, Database = Any>>(
    e: E,
    recipient: i64,
    provider_id: &str,
    delivery: &str,
) -> Result<()> {
    sqlx::query("UPDATE campaign_recipients SET provider_id = $1, delivery = $2 WHERE id = $3")
        .bind(provider_id)
        .bind(delivery)
        .bind(recipient)
        .execute(e)
        .await?;
    Ok(())
}

/// A delivery receipt: the message's state as the gateway says. Returns whether it was ours.
pub async fn set_delivery<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    provider_id: &str,
    delivery: &str,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE campaign_recipients SET delivery = $1 WHERE organization_id = $2 AND provider_id = $3",
    )
    .bind(delivery)
    .bind(org)
    .bind(provider_id)
    .execute(e)
    .await?;
    Ok(r.rows_affected() > 0)
}

/// SMS figures of a campaign: (delivered, undelivered or failed) by the gateway's receipts.
pub async fn sms_receipts<'c, E: Executor<'c, Database = Any>>(
    e: E,
    campaign: i64,
) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN delivery = 'delivered' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN delivery IN ('undelivered', 'failed') THEN 1 ELSE 0 END), 0) \
         FROM campaign_recipients WHERE campaign_id = $1",
    )
    .bind(campaign)
    .fetch_one(e)
    .await?)
}

/// The person of an organization with this phone number (E.164), if any.
pub async fn person_by_phone<'c, E: Executor<'c, Database = Any>>(
    e: E,
    org: i64,
    phone: &str,
) -> Result<Option<i64>> {
    let r: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM people WHERE organization_id = $1 AND phone = $2")
            .bind(org)
            .bind(phone)
            .fetch_optional(e)
            .await?;
    Ok(r.map(|r| r.0))
}
