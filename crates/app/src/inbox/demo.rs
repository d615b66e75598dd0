//! The demo organization's inbox: what the demo network says under each published post and in
//! mentions (the same fakes the running demo keeps polling), the site's discussions, and a few
//! messages by email, SMS, Telegram and the fediverse; some answered (with response times),
//! assigned, labelled and noted; saved replies and moderation words.

use kehilla_db::inbox as db;
use kehilla_db::{Db, now_ms};

use super::{Incoming, Ingested, ingest};
use crate::publishing::Adapter;
use crate::{AppError, Result};

const HOUR: i64 = 3_600_000;

/// A demo message: source, channel, kind, author, name, subject, body, hours ago.
type Said<'a> = (
    &'a str,
    Option<i64>,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    i64,
);

/// Fills the inbox of `org`. `team` is (dana, noa, amir).
pub async fn load(database: &Db, org: i64, team: (i64, i64, i64)) -> Result<()> {
    let pool = &database.pool;
    let (dana, noa, _amir) = team;
    db::put_settings(
        pool,
        org,
        &db::Settings {
            approval: 1,
            flag_words: "כסף קל\nהימורים\ncasino\ncrypto".into(),
            hide_words: "מטומטמים\nidiots".into(),
            max_links: 3,
        },
    )
    .await?;
    for (title, body) in [
        (
            "תודה על ההתעניינות",
            "שלום {{ first_name }}, תודה שכתבת ל{{ org }}! נחזור אליך עוד היום.",
        ),
        (
            "איך מתנדבים",
            "היי {{ first_name }}, אפשר להירשם למשמרת בקישור שבפרופיל שלנו. נשמח לראות אותך!",
        ),
        (
            "Thanks (English)",
            "Hi {{ first_name }}, thank you for writing to {{ org }}! We will get back to you today.",
        ),
    ] {
        db::save_reply(pool, org, title, body).await?;
    }
    // The site's discussions.
    super::poll::sweep(database).await?;
    // What the demo network says under each published post, and one mention per channel.
    let channels = kehilla_db::studio::channels(pool, org).await?;
    for ch in &channels {
        let a = crate::publishing::demo::Demo::new(&ch.network);
        let access = crate::publishing::Access {
            server_url: String::new(),
            token: String::new(),
            account: String::new(),
        };
        for p in db::published_since(pool, ch.id, 0).await? {
            let comments = a.comments(&access, &p.remote_id).await.unwrap_or_default();
            for (i, c) in comments.iter().enumerate() {
                let mut c = c.clone();
                // Written within hours of the post.
                let at = p.published_at + HOUR * (i64::try_from(i).unwrap_or(0) + 1);
                c.created_at = chrono::DateTime::from_timestamp_millis(at.min(now_ms()))
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_default();
                super::poll::keep(
                    database,
                    org,
                    &ch.network,
                    ch.id,
                    "",
                    Some(p.post_id),
                    "comment",
                    &c,
                )
                .await?;
            }
        }
        if let Ok((found, _)) = a.mentions(&access, "").await {
            for c in &found {
                super::poll::keep(database, org, &ch.network, ch.id, "", None, "mention", c)
                    .await?;
            }
        }
    }
    let telegram = channels
        .iter()
        .find(|c| c.network == "telegram")
        .map(|c| c.id);
    let now = now_ms();
    let others: [Said; 5] = [
        (
            "email",
            None,
            "message",
            "michal@example.org",
            "מיכל אברהם",
            "שאלה על קבלה לתרומה",
            "שלום, תרמתי בחודש שעבר ולא קיבלתי קבלה לפי סעיף 46. אפשר לשלוח שוב? תודה!",
            30,
        ),
        (
            "sms",
            None,
            "message",
            "+972542345678",
            "",
            "",
            "אשמח להגיע גם ביום שישי, יש עוד מקום?",
            5,
        ),
        (
            "telegram",
            telegram,
            "message",
            "4242",
            "Yossi",
            "",
            "Hi! Can companies volunteer as a team? We are 12 people.",
            3,
        ),
        (
            "fediverse",
            None,
            "mention",
            "https://social.example/users/ronit",
            "רונית",
            "",
            "@yad-beyad כל הכבוד על החלוקה בשבוע שעבר! שיתפתי 💚",
            50,
        ),
        (
            "email",
            None,
            "message",
            "promo@spam.example",
            "Lucky",
            "Earn money fast",
            "Make money with crypto casino https://a.example https://b.example https://c.example https://d.example",
            20,
        ),
    ];
    let mut made = Vec::new();
    for (i, (source, channel, kind, author, name, subject, body, hours_ago)) in
        others.iter().enumerate()
    {
        let remote = format!("demo-{source}-{i}");
        let handle = if *source == "fediverse" {
            super::poll::fediverse_handle(author)
        } else {
            (*author).to_string()
        };
        let r = ingest(
            database,
            &Incoming {
                org,
                source,
                channel_id: *channel,
                kind,
                remote_id: &remote,
                author_id: author,
                handle: &handle,
                name,
                email: (*source == "email").then_some(*author),
                phone: (*source == "sms").then_some(*author),
                subject,
                body,
                at: now - hours_ago * HOUR,
                ..Default::default()
            },
        )
        .await?;
        if let Ingested::New { conversation, .. } = r {
            made.push(conversation);
        }
    }
    // History: the oldest conversations answered (by Dana, by Noa), one done; the newest
    // email assigned to Noa with a label and a note.
    let all: Vec<(i64, i64)> = kehilla_db::sqlx::query_as(
        "SELECT id, first_in_at FROM inbox_conversations WHERE organization_id = $1 \
         ORDER BY first_in_at",
    )
    .bind(org)
    .fetch_all(pool)
    .await
    .map_err(kehilla_db::DbError::from)?;
    let answers = [
        (dana, "תודה רבה! נשמח לראות אותך בחלוקה הבאה 💚", 2),
        (noa, "Thank you! Join us on Friday at 10:00.", 5),
        (dana, "תודה! פרטים בקישור שבפרופיל.", 1),
    ];
    for (n, (conv, first)) in all.iter().take(answers.len()).enumerate() {
        let Some((by, text, hours)) = answers.get(n) else {
            continue;
        };
        let messages = db::messages(pool, *conv).await?;
        let Some(last) = messages.iter().rev().find(|m| m.direction == "in") else {
            continue;
        };
        let c = db::conversation_by_id(pool, *conv).await?;
        let at = (first + hours * HOUR).min(now);
        let Some((id, public_id)) = db::add_message(
            pool,
            org,
            &db::NewMessage {
                conversation_id: *conv,
                source: &c.source,
                remote_id: None,
                parent_remote_id: &last.remote_id,
                direction: "out",
                identity_id: None,
                user_id: Some(*by),
                body: text,
                url: "",
                state: "sent",
                flag: "",
                at,
            },
        )
        .await?
        else {
            continue;
        };
        db::set_outcome(
            pool,
            id,
            "sent",
            Some((&format!("demo-{public_id}"), "")),
            "",
        )
        .await?;
        db::answered(pool, *conv, Some(*by), at).await?;
        if n == 0 {
            db::set_status(pool, org, *conv, "done", Some(*by)).await?;
        }
    }
    if let Some(first_email) = made.first() {
        db::set_triage(pool, org, *first_email, Some(noa), 1, " תרומות קבלות ").await?;
        db::add_note(
            pool,
            org,
            *first_email,
            dana,
            "נועה, תבדקי מול הנהלת החשבונות? הקבלה נשלחה לכתובת הישנה שלה.",
        )
        .await?;
    }
    if made.is_empty() {
        return Err(AppError::Internal("the demo inbox is empty".into()));
    }
    Ok(())
}
