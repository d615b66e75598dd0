//! Automations: a sequence of messages that an event starts — joined a list, signed up through a
//! form, RSVPed, volunteered for a shift, no click in 180 days — each step a message after a
//! delay. A welcome sequence and a re-engagement sequence come ready to edit (switched off).
//!
//! Each step is a campaign with status `automation`: when a person's step is due, they are added
//! as a recipient of that step's campaign (once: a person gets each step once) and its sending
//! job is woken, so every message goes through the send log (exactly once, DKIM, bounces,
//! tracked clicks, figures per step). Before each step the person's consent is checked: who
//! withdrew it leaves the sequence; who has not given it yet (a sign-up waiting for its
//! confirmation) is looked at again for a week before leaving.
//!
//! [`tick`] runs once a minute on every server; moving a run on is a compare-and-set on its
//! step, so two servers never send a step twice.

use kehilla_db::automations::{self as db, Automation, Run};
use kehilla_db::messaging::{self as mdb, CampaignData};
use kehilla_db::segments::{self as seg, Compiled, ConsentState, Filter};
use kehilla_db::{Db, now_ms};
use kehilla_domain::Role;
use kehilla_domain::validate::InputError;

use crate::members::OrgMember;
use crate::{AppError, Result};

/// What can start a sequence, and the person event it listens for.
pub const TRIGGERS: [(&str, &str); 5] = [
    ("signed-up", "signed-up"),
    ("joined-list", "added-to-list"),
    ("rsvp", "rsvp"),
    ("shift-signup", "shift-signup"),
    ("no-click-180", ""),
];

const HOUR: i64 = 3_600_000;

fn event_kind(trigger: &str) -> Option<&'static str> {
    TRIGGERS
        .iter()
        .find(|(t, _)| *t == trigger)
        .map(|(_, k)| *k)
}

/// The ready-made sequences: (name, trigger, purpose, steps of (delay hours, subject, body)).
type Ready = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(i64, &'static str, &'static str)],
);

const READY: [Ready; 2] = [
    (
        "רצף ברוכים הבאים",
        "signed-up",
        "newsletter",
        &[
            (
                0,
                "ברוכים הבאים ל{{ org.name }}",
                "שלום {{ person.first_name | default(\"חבר/ה\") }},\n\nתודה שהצטרפת! מעכשיו נעדכן אותך במה שקורה אצלנו — ואיך אפשר לקחת חלק.",
            ),
            (
                72,
                "איך אפשר לעזור השבוע",
                "שלום {{ person.first_name | default(\"חבר/ה\") }},\n\nרצינו לספר על הדרכים להתנדב ולהשפיע. אפשר להשיב למייל הזה ולספר לנו מה מעניין אותך.",
            ),
        ],
    ),
    (
        "רצף חזרה לפעילות",
        "no-click-180",
        "newsletter",
        &[(
            0,
            "מתגעגעים אליך",
            "שלום {{ person.first_name | default(\"חבר/ה\") }},\n\nלא שמענו ממך זמן מה. עדיין רוצה לקבל מאיתנו עדכונים? אם לא — אפשר להסיר את עצמך בקישור שבתחתית ההודעה.",
        )],
    ),
];

async fn step_campaign(
    db: &Db,
    by: &OrgMember,
    name: &str,
    purpose: &str,
    lang: &str,
    subject: &str,
    body: &str,
) -> Result<i64> {
    let c = mdb::create(
        &db.pool,
        by.org.id,
        by.user.id,
        &CampaignData {
            name,
            channel: "email",
            format: "markdown",
            attachments: "",
            purpose,
            lang,
            subject,
            body,
            advertising: false,
            segment: "",
        },
    )
    .await?;
    mdb::make_automation_step(&db.pool, c.id).await?;
    Ok(c.id)
}

/// Makes the ready sequences the first time an organization looks at its automations.
pub async fn ensure_ready(db: &Db, by: &OrgMember) -> Result<()> {
    if by.role < Role::Editor || !db::list(&db.pool, by.org.id).await?.is_empty() {
        return Ok(());
    }
    for (name, trigger, purpose, steps) in READY {
        let a = db::create(&db.pool, by.org.id, name, trigger, "", purpose, "he").await?;
        for (i, (delay, subject, body)) in steps.iter().enumerate() {
            let c = step_campaign(db, by, name, purpose, "he", subject, body).await?;
            db::add_step(&db.pool, a.id, i64::try_from(i).unwrap_or(0), *delay, c).await?;
        }
    }
    Ok(())
}

/// What an automation form gives.
#[derive(Debug, Clone, Default)]
pub struct AutomationInput {
    pub name: String,
    pub trigger: String,
    pub trigger_ref: String,
    pub purpose: String,
    /// (delay hours, subject, body) per step.
    pub steps: Vec<(String, String, String)>,
}

fn check_step(i: usize, delay: &str, subject: &str, body: &str) -> Result<i64> {
    let delay: i64 = delay
        .trim()
        .parse()
        .ok()
        .filter(|d| (0..=24 * 365).contains(d))
        .ok_or(AppError::Input {
            field: "delay_hours",
            error: InputError::InvalidValue,
        })?;
    if subject.trim().is_empty() || subject.chars().count() > 200 {
        return Err(AppError::Input {
            field: "subject",
            error: InputError::Required,
        });
    }
    super::render::Templates::new(subject, body)
        .and_then(|t| {
            let v = super::campaigns::values(None, "");
            t.fill("subject", &v)?;
            t.fill("body", &v)
        })
        .map_err(|e| AppError::Conflict(e.code()))?;
    let _ = i;
    Ok(delay)
}

/// Saves an automation (new when `public_id` is none) with its steps; returns its public id.
pub async fn save(
    db: &Db,
    by: &OrgMember,
    public_id: Option<&str>,
    i: &AutomationInput,
) -> Result<String> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    let name = kehilla_domain::validate::name(&i.name, 120).map_err(AppError::input("name"))?;
    if event_kind(&i.trigger).is_none() {
        return Err(AppError::Input {
            field: "trigger",
            error: InputError::InvalidValue,
        });
    }
    let purpose = crate::people::consent::check_purpose(&i.purpose)?;
    let trigger_ref = i.trigger_ref.trim();
    if i.steps.is_empty() || i.steps.len() > 20 {
        return Err(AppError::Input {
            field: "steps",
            error: InputError::InvalidValue,
        });
    }
    let mut delays = Vec::new();
    for (n, (delay, subject, body)) in i.steps.iter().enumerate() {
        delays.push(check_step(n, delay, subject, body)?);
    }
    let a = match public_id {
        Some(id) => {
            db::update(
                &db.pool,
                by.org.id,
                id,
                &name,
                &i.trigger,
                trigger_ref,
                purpose,
            )
            .await?;
            db::get(&db.pool, by.org.id, id).await?
        }
        None => {
            db::create(
                &db.pool,
                by.org.id,
                &name,
                &i.trigger,
                trigger_ref,
                purpose,
                "he",
            )
            .await?
        }
    };
    let existing = db::steps(&db.pool, a.id).await?;
    for (n, ((_, subject, body), delay)) in i.steps.iter().zip(delays).enumerate() {
        let no = i64::try_from(n).unwrap_or(0);
        match existing.iter().find(|s| s.step_no == no) {
            Some(s) => {
                mdb::update_step_message(&db.pool, s.campaign_id, subject.trim(), body).await?;
                db::set_delay(&db.pool, a.id, no, delay).await?;
            }
            None => {
                let c =
                    step_campaign(db, by, &name, purpose, &a.lang, subject.trim(), body).await?;
                db::add_step(&db.pool, a.id, no, delay, c).await?;
            }
        }
    }
    Ok(a.public_id)
}

/// Switches an automation on or off.
pub async fn set_active(db: &Db, by: &OrgMember, public_id: &str, active: bool) -> Result<()> {
    if by.role < Role::Editor {
        return Err(AppError::Forbidden);
    }
    db::set_active(&db.pool, by.org.id, public_id, active).await?;
    Ok(())
}

// ---- The engine ----

fn only(c: &Compiled, person: i64) -> Compiled {
    Compiled {
        sql: format!("({}) AND p.id = {person}", c.sql),
        params: c.params.clone(),
    }
}

/// Whether the person may get the automation's email now: Yes, Withdrawn or NotYet.
async fn consent_of(db: &Db, a: &Automation, person: i64) -> Result<(bool, bool)> {
    let reachable = crate::people::segments::compile(
        db,
        a.organization_id,
        &Filter::Reachable {
            channel: "email".into(),
            purpose: a.purpose.clone(),
        },
    )
    .await?;
    if seg::count(&db.pool, a.organization_id, &only(&reachable, person)).await? > 0 {
        return Ok((true, false));
    }
    let withdrawn = crate::people::segments::compile(
        db,
        a.organization_id,
        &Filter::Consent {
            channel: "email".into(),
            purpose: a.purpose.clone(),
            state: ConsentState::Withdrawn,
        },
    )
    .await?;
    let w = seg::count(&db.pool, a.organization_id, &only(&withdrawn, person)).await? > 0;
    Ok((false, w))
}

/// Starts new people on each active automation from the events since its cursor.
async fn enrol(db: &Db, a: &Automation, now: i64) -> Result<usize> {
    let steps = db::steps(&db.pool, a.id).await?;
    let Some(first) = steps.first() else {
        return Ok(0);
    };
    let mut started = 0;
    if a.trigger_kind == "no-click-180" {
        for person in db::quiet_people(&db.pool, a.organization_id, a.id, now, 1000).await? {
            if db::start_run(
                &db.pool,
                a.id,
                a.organization_id,
                person,
                now + first.delay_hours * HOUR,
            )
            .await?
            {
                started += 1;
            }
        }
        return Ok(started);
    }
    let Some(kind) = event_kind(&a.trigger_kind) else {
        return Ok(0);
    };
    let events = db::events_after(&db.pool, a.organization_id, kind, a.event_cursor, 1000).await?;
    let mut tx = db.begin().await?;
    let mut last = a.event_cursor;
    for (id, person, detail, at) in events {
        last = last.max(id);
        if !a.trigger_ref.is_empty() && detail.trim() != a.trigger_ref {
            continue;
        }
        if db::start_run(
            &mut *tx,
            a.id,
            a.organization_id,
            person,
            at + first.delay_hours * HOUR,
        )
        .await?
        {
            started += 1;
        }
    }
    db::set_cursor(&mut *tx, a.id, last).await?;
    tx.commit().await.map_err(kehilla_db::DbError::from)?;
    Ok(started)
}

/// Sends (hands to the step's campaign) one due step of a run.
async fn step(db: &Db, run: &Run, now: i64) -> Result<Option<i64>> {
    let a: Automation = match kehilla_db::sqlx::query_as::<_, Automation>(
        "SELECT id, public_id, organization_id, name, trigger_kind, trigger_ref, purpose, lang, active, \
         event_cursor, created_at, updated_at FROM automations WHERE id = $1",
    )
    .bind(run.automation_id)
    .fetch_optional(&db.pool)
    .await
    .map_err(kehilla_db::DbError::from)?
    {
        Some(a) => a,
        None => return Ok(None),
    };
    let steps = db::steps(&db.pool, a.id).await?;
    let Some(s) = steps.iter().find(|s| s.step_no == run.step) else {
        db::advance(&db.pool, run.id, run.step, run.step, now, "done").await?;
        return Ok(None);
    };
    let (ok, withdrawn) = consent_of(db, &a, run.person_id).await?;
    if !ok {
        let young = run.step == 0 && now - run.started_at < 7 * 24 * HOUR;
        if withdrawn || !young {
            db::advance(&db.pool, run.id, run.step, run.step, now, "left").await?;
        } else {
            db::advance(&db.pool, run.id, run.step, run.step, now + HOUR, "active").await?;
        }
        return Ok(None);
    }
    let person = kehilla_db::people::by_id(&db.pool, a.organization_id, run.person_id).await?;
    let Some(address) = person.email.clone() else {
        db::advance(&db.pool, run.id, run.step, run.step, now, "left").await?;
        return Ok(None);
    };
    let next = steps.iter().find(|x| x.step_no == run.step + 1);
    let (next_step, next_at, status) = match next {
        Some(n) => (n.step_no, now + n.delay_hours * HOUR, "active"),
        None => (run.step + 1, now, "done"),
    };
    let mut tx = db.begin().await?;
    if !db::advance(&mut *tx, run.id, run.step, next_step, next_at, status).await? {
        // Another server moved it on.
        return Ok(None);
    }
    mdb::add_recipient(
        &mut *tx,
        a.organization_id,
        s.campaign_id,
        run.person_id,
        &address,
    )
    .await?;
    tx.commit().await.map_err(kehilla_db::DbError::from)?;
    Ok(Some(s.campaign_id))
}

/// One round: new people started, due steps handed to their campaigns, those campaigns' jobs
/// woken. Returns how many messages were handed over.
pub async fn tick(db: &Db) -> Result<usize> {
    let now = now_ms();
    for a in db::active(&db.pool).await? {
        if let Err(e) = enrol(db, &a, now).await {
            tracing::warn!(error = %e, automation = a.id, "starting people on an automation failed");
        }
    }
    let mut woken: Vec<(i64, i64)> = Vec::new();
    let mut handed = 0;
    for run in db::due_runs(&db.pool, now, 2000).await? {
        match step(db, &run, now).await {
            Ok(Some(campaign)) => {
                handed += 1;
                if !woken.iter().any(|(c, _)| *c == campaign) {
                    woken.push((campaign, run.organization_id));
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, run = run.id, "an automation step failed"),
        }
    }
    for (campaign, org) in woken {
        super::send::wake(db, campaign, org, now).await?;
    }
    Ok(handed)
}
