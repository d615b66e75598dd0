//! Demo data: a Hebrew volunteer nonprofit with a member in every role, and a few more
//! organizations run by an agency account, so a newcomer sees a living product at once.
//! The main organization has 3,000 people with roles, tags, lists and consents, and a Studio:
//! seven channels with cadence targets, posts around today in every state (with variants,
//! approvals, comments and notifications), and tracked links with clicks. Later capabilities
//! add their own demo data here. Loading twice changes nothing.

use kehilla_db::{Db, orgs, users};
use kehilla_domain::Role;

use crate::audit::{self, Actor};
use crate::{AppError, Result, accounts};

pub const PASSWORD: &str = "kehilla-demo-2026";

pub struct DemoLogin {
    pub email: &'static str,
    pub name: &'static str,
    pub role: &'static str,
}

pub const MAIN_ORG: (&str, &str) = ("yad-beyad", "יד ביד — מתנדבים למען הקהילה");

const OTHER_ORGS: [(&str, &str); 3] = [
    ("keren-or", "קרן אור לחינוך"),
    ("green-haifa", "Green Haifa — חיפה ירוקה"),
    ("shvil-naki", "שביל נקי"),
];

pub const PEOPLE: [DemoLogin; 6] = [
    DemoLogin {
        email: "dana@yad-beyad.example",
        name: "דנה לוי",
        role: "owner",
    },
    DemoLogin {
        email: "yossi@yad-beyad.example",
        name: "יוסי כהן",
        role: "admin",
    },
    DemoLogin {
        email: "noa@yad-beyad.example",
        name: "נועה מזרחי",
        role: "editor",
    },
    DemoLogin {
        email: "amir@yad-beyad.example",
        name: "Amir Haddad",
        role: "contributor",
    },
    DemoLogin {
        email: "rivka@yad-beyad.example",
        name: "רבקה אברהם",
        role: "viewer",
    },
    DemoLogin {
        email: "agency@hasbara-pr.example",
        name: "מיכל — סוכנות הסברה",
        role: "admin",
    },
];

/// Loads the demo. Returns false when it was already there.
pub async fn load(db: &Db) -> Result<bool> {
    if orgs::by_slug(&db.pool, MAIN_ORG.0).await?.is_some() {
        return Ok(false);
    }
    let hash = accounts::hash_password(PASSWORD).await?;
    let mut tx = db.begin().await?;
    let main = orgs::create(&mut *tx, MAIN_ORG.0, MAIN_ORG.1).await?;
    crate::people::person::seed_roles(&mut tx, main.id).await?;
    let legal = orgs::LegalSettings {
        registered_nonprofit: 1,
        legal_name: "עמותת יד ביד (ע\"ר 580000000)".into(),
        contact_details: "רחוב הרצל 1, חיפה · 04-8000000 · info@yad-beyad.example".into(),
    };
    orgs::set_legal_settings(&mut *tx, main.id, &legal).await?;
    let mut agency = None;
    let mut team = Vec::new();
    for p in &PEOPLE {
        let lang = if p.name.is_ascii() { "en" } else { "he" };
        let user = match users::by_email(&mut *tx, p.email).await? {
            Some(u) => u,
            None => users::create(&mut *tx, p.email, p.name, &hash, lang).await?,
        };
        let role = Role::parse(p.role).ok_or(AppError::Internal("demo role".into()))?;
        orgs::add_member(&mut *tx, main.id, user.id, role.as_str()).await?;
        users::set_last_org(&mut *tx, user.id, main.id).await?;
        let actor = Actor {
            user_id: Some(user.id),
            label: user.email.clone(),
            ip: "demo".into(),
        };
        audit::record(
            &mut *tx,
            Some(main.id),
            &actor,
            audit::MEMBER_JOINED,
            &format!("{} {}", user.email, p.role),
        )
        .await?;
        team.push((p.email, user.id));
        if p.email.starts_with("agency@") {
            agency = Some(user);
        }
    }
    let agency = agency.ok_or(AppError::Internal("demo agency".into()))?;
    for (slug, name) in OTHER_ORGS {
        let o = match orgs::by_slug(&mut *tx, slug).await? {
            Some(o) => o,
            None => {
                let o = orgs::create(&mut *tx, slug, name).await?;
                crate::people::person::seed_roles(&mut tx, o.id).await?;
                o
            }
        };
        if orgs::role_of(&mut *tx, o.id, agency.id).await?.is_none() {
            orgs::add_member(&mut *tx, o.id, agency.id, "owner").await?;
        }
    }
    people_demo(&mut tx, main.id).await?;
    let id_of = |name: &str| {
        team.iter()
            .find(|(e, _)| e.starts_with(name))
            .map(|(_, id)| *id)
            .ok_or(AppError::Internal("demo team".into()))
    };
    let team = Team {
        dana: id_of("dana@")?,
        noa: id_of("noa@")?,
        amir: id_of("amir@")?,
    };
    let clicks = studio_demo(&mut tx, &main, &team).await?;
    campaigns_demo(&mut tx, main.id, team.dana).await?;
    site_demo(&mut tx, &main, team.noa).await?;
    tx.commit().await?;
    // Clicks are appended in their own transaction, like the redirect's writer does.
    kehilla_db::studio::record_clicks(db, &clicks).await?;
    crate::inbox::demo::load(db, main.id, (team.dana, team.noa, team.amir)).await?;
    crate::measure::demo::load(db, &main, kehilla_db::now_ms()).await?;
    Ok(true)
}

/// The demo organization's site: its profile card and two simple pages (its posts are the
/// Studio's published ones).
async fn site_demo(tx: &mut kehilla_db::Tx, main: &orgs::Organization, by: i64) -> Result<()> {
    use kehilla_db::site;
    let org = main.id;
    kehilla_db::publishing::save_profile(
        &mut **tx,
        org,
        "עמותה חיפאית למזון, התנדבות וליווי קשישים. כל שבוע מאות מתנדבים אורזים ומחלקים סלי מזון \
         ומבקרים שכנים בודדים.",
        "https://yad-beyad.example",
        "",
    )
    .await?;
    let s = site::SiteSettings {
        site_strengths: "חלוקת מזון שבועית ל־400 משפחות\nליווי קשישים בודדים (מיזם שכן טוב)\n\
                         הכשרת מתנדבים צעירים"
            .into(),
        site_keywords: "מזון, התנדבות, חיפה, קשישים, Food bank".into(),
        site_links: serde_json::json!([
            {"label": "פייסבוק", "url": "https://facebook.com/yad-beyad.example"},
            {"label": "Instagram", "url": "https://instagram.com/yad_beyad_example"},
            {"label": "Mastodon", "url": "https://mastodon.example/@yadbeyad"},
        ])
        .to_string(),
        ..site::SiteSettings::default()
    };
    site::save_settings(&mut **tx, org, &s).await?;
    let pages = [
        (
            "אודות",
            "## מי אנחנו\n\nיד ביד נוסדה בחיפה ב־2009 על ידי קבוצת שכנים. היום פועלים איתנו \
             יותר מ־1,000 מתנדבים.\n\n## מה אנחנו עושים\n\n- חלוקת סלי מזון בכל יום שישי\n\
             - ביקורי בית אצל קשישים בודדים\n- ערבי התנדבות לבני נוער\n\n\
             In English: Yad Beyad is a Haifa food bank and volunteer network.",
            1,
        ),
        (
            "צור קשר",
            "כתבו לנו: info@yad-beyad.example\n\nמרכז החלוקה: רחוב הרצל 1, חיפה (א׳–ה׳ 17:00–19:00).",
            2,
        ),
    ];
    for (title, body, position) in pages {
        let slug = crate::studio::slugify(title);
        if site::page(&mut **tx, org, &slug).await.is_err() {
            site::save_page(&mut **tx, org, None, &slug, title, body, position).await?;
        }
    }
    event_demo(tx, main, by).await?;
    discussion_demo(tx, main.id).await
}

/// A discussion on the demo site: a board with a thread and replies, a comment under the newest
/// post, and one comment waiting for a moderator.
async fn discussion_demo(tx: &mut kehilla_db::Tx, org: i64) -> Result<()> {
    use kehilla_db::discussions::{self as d, NewComment};
    let board = d::create_board(
        &mut **tx,
        org,
        "שאלות-ותשובות",
        "שאלות ותשובות",
        "שאלו אותנו ואת הקהילה על התנדבות, תרומות וחלוקה.",
    )
    .await?;
    let mut people = Vec::new();
    for (email, name) in [
        ("shira.demo@example.org", "שירה"),
        ("david.demo@example.org", "דוד"),
        ("maya.demo@example.org", "Maya"),
    ] {
        let c = d::create_commenter(&mut **tx, org, email, name, None, "").await?;
        d::mark_verified(&mut **tx, c.id).await?;
        d::count_approved(&mut **tx, c.id).await?;
        people.push(c.id);
    }
    let who = |i: usize| {
        people
            .get(i)
            .copied()
            .ok_or(AppError::Internal("demo".into()))
    };
    let comment = |post: Option<i64>,
                   parent: Option<i64>,
                   title: &'static str,
                   by: i64,
                   body: &'static str,
                   status: &'static str| NewComment {
        post_id: post,
        board_id: if post.is_some() { None } else { Some(board.id) },
        parent_id: parent,
        title,
        commenter_id: by,
        body,
        status,
    };
    let thread = d::add_comment(
        &mut **tx,
        org,
        &comment(
            None,
            None,
            "אפשר להתנדב עם ילדים?",
            who(0)?,
            "יש לי שני ילדים בני 9 ו־12. אפשר להגיע איתם לאריזה?",
            "visible",
        ),
    )
    .await?;
    let thread_id = d::comment(&mut **tx, org, &thread).await?.id;
    d::add_comment(
        &mut **tx,
        org,
        &comment(
            None,
            Some(thread_id),
            "",
            who(1)?,
            "בטח! באתי עם הבת שלי בחנוכה, היא עדיין מדברת על זה.",
            "visible",
        ),
    )
    .await?;
    d::add_comment(
        &mut **tx,
        org,
        &comment(
            None,
            Some(thread_id),
            "",
            who(2)?,
            "Kids are welcome from age 8 with a parent — see you Friday!",
            "visible",
        ),
    )
    .await?;
    let newest: Option<(i64,)> = kehilla_db::sqlx::query_as(
        "SELECT id FROM posts WHERE organization_id = $1 AND status = 'published' \
         ORDER BY published_at DESC LIMIT 1",
    )
    .bind(org)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((post,)) = newest {
        d::add_comment(
            &mut **tx,
            org,
            &comment(
                Some(post),
                None,
                "",
                who(1)?,
                "כל הכבוד לכל המתנדבים! 👏",
                "visible",
            ),
        )
        .await?;
        d::add_comment(
            &mut **tx,
            org,
            &comment(
                Some(post),
                None,
                "",
                who(2)?,
                "Where can I drop off winter coats?",
                "pending",
            ),
        )
        .await?;
    }
    Ok(())
}

/// An upcoming event on the demo site, announced two days ago: a food-packing day in twelve
/// days with 40 places, two volunteer shifts, and the first sign-ups.
async fn event_demo(tx: &mut kehilla_db::Tx, main: &orgs::Organization, by: i64) -> Result<()> {
    use kehilla_db::events as ev;
    use kehilla_db::studio as sdb;
    const DAY: i64 = 86_400_000;
    const HOUR: i64 = 3_600_000;
    let tz = crate::studio::zone(&main.time_zone);
    let now = kehilla_db::now_ms();
    let day = crate::studio::to_local(tz, now + 12 * DAY).date_naive();
    let at = |h: u32| -> Result<i64> {
        let t = chrono::NaiveTime::from_hms_opt(h, 0, 0)
            .ok_or(AppError::Internal("demo time".into()))?;
        crate::studio::local_to_ms(tz, day.and_time(t))
    };
    let start = at(9)?;
    let details = crate::studio::posts::Details {
        event_start: crate::studio::local_input(tz, start),
        place: "מרכז החלוקה, רחוב הרצל 1, חיפה".into(),
        ..Default::default()
    };
    let details_json = serde_json::to_string(&details).unwrap_or_else(|_| "{}".into());
    let post = sdb::create_post(
        &mut **tx,
        main.id,
        by,
        "יום-אריזה-גדול",
        &sdb::PostData {
            kind: "event",
            title: "יום אריזה גדול לקראת החורף",
            body: "אורזים 500 סלי מזון ומעילים למשפחות בחיפה. מתאים לכל הגילים; יש משמרת בוקר \
                   ומשמרת צהריים, ואפשר גם לקפוץ לשעה. #התנדבות #חיפה",
            details: &details_json,
        },
        None,
    )
    .await?;
    kehilla_db::sqlx::query(
        "UPDATE posts SET status = 'published', published_at = $1 WHERE id = $2",
    )
    .bind(now - 2 * DAY)
    .bind(post.id)
    .execute(&mut **tx)
    .await?;
    let event = ev::save(
        &mut **tx,
        main.id,
        post.id,
        &ev::EventData {
            starts_at: start,
            capacity: Some(40),
            waitlist: true,
            rsvp_open: true,
            duration_minutes: 7 * 60,
            online_url: "",
        },
    )
    .await?;
    let morning = ev::add_shift(
        &mut **tx,
        main.id,
        event.id,
        "אריזה — בוקר",
        start,
        start + 3 * HOUR,
        12,
    )
    .await?;
    let noon = ev::add_shift(
        &mut **tx,
        main.id,
        event.id,
        "אריזה — צהריים",
        start + 3 * HOUR,
        start + 6 * HOUR,
        12,
    )
    .await?;
    // The first sign-ups: demo people who volunteer.
    let people: Vec<(i64,)> = kehilla_db::sqlx::query_as(
        "SELECT id FROM people WHERE organization_id = $1 ORDER BY id LIMIT 14",
    )
    .bind(main.id)
    .fetch_all(&mut **tx)
    .await?;
    for (i, (person,)) in people.iter().enumerate() {
        let (shift, guests) = match i % 3 {
            0 => (morning.id, 0),
            1 => (noon.id, 0),
            _ => (0, i64::try_from(i % 2).unwrap_or(0)),
        };
        ev::put_rsvp(
            &mut **tx, main.id, event.id, shift, *person, "going", guests,
        )
        .await?;
    }
    Ok(())
}

/// How many people the demo organization has.
pub const DEMO_PEOPLE: usize = 3000;

const FIRST_HE: [&str; 24] = [
    "נועה",
    "תמר",
    "מאיה",
    "שירה",
    "יעל",
    "רונית",
    "אורית",
    "מיכל",
    "אביגיל",
    "הדס",
    "רחל",
    "לאה",
    "יוסי",
    "דוד",
    "אברהם",
    "משה",
    "איתי",
    "עומר",
    "אורי",
    "גיא",
    "נדב",
    "אליהו",
    "חיים",
    "רועי",
];
const LAST_HE: [&str; 16] = [
    "כהן",
    "לוי",
    "מזרחי",
    "פרץ",
    "ביטון",
    "דהן",
    "אברהם",
    "פרידמן",
    "שפירא",
    "אזולאי",
    "גולן",
    "בן דוד",
    "חדד",
    "קליין",
    "סגל",
    "רוזן",
];
const FIRST_EN: [&str; 8] = [
    "Sarah", "David", "Emily", "Michael", "Hannah", "Daniel", "Rachel", "Jonathan",
];
const LAST_EN: [&str; 8] = [
    "Cohen", "Levy", "Goldberg", "Miller", "Katz", "Adler", "Stern", "Weiss",
];
const TAGS: [&str; 6] = [
    "חיפה",
    "תל אביב",
    "ירושלים",
    "סטודנט",
    "פנסיונר",
    "newsletter-2025",
];

/// A few thousand realistic people with roles, tags, lists and consents, made deterministically.
async fn people_demo(tx: &mut kehilla_db::Tx, org: i64) -> Result<()> {
    use kehilla_db::segments::Param;
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n.max(1)
    };
    let pick = |xs: &[&'static str], i: u64| {
        xs.get(usize::try_from(i).unwrap_or(0) % xs.len().max(1))
            .copied()
            .unwrap_or("")
    };
    let now = kehilla_db::now_ms();
    let lists = [
        kehilla_db::people::create_list(&mut **tx, org, "מתנדבי חלוקת מזון").await?,
        kehilla_db::people::create_list(&mut **tx, org, "תורמים קבועים").await?,
        kehilla_db::people::create_list(&mut **tx, org, "Press contacts").await?,
    ];
    let mut list_ids = Vec::new();
    for l in &lists {
        list_ids.push(kehilla_db::people::list(&mut **tx, org, l).await?.id);
    }
    let roles = crate::people::DEFAULT_ROLES;
    let mut rows = Vec::with_capacity(DEMO_PEOPLE);
    let mut meta = Vec::with_capacity(DEMO_PEOPLE);
    for i in 0..DEMO_PEOPLE {
        let english = next(10) < 2;
        let (first, last) = if english {
            (pick(&FIRST_EN, next(8)), pick(&LAST_EN, next(8)))
        } else {
            (pick(&FIRST_HE, next(24)), pick(&LAST_HE, next(16)))
        };
        let email = (next(10) < 9).then(|| format!("person{i}@community.example"));
        let phone = (next(10) < 7)
            .then(|| {
                format!(
                    "05{}-{}{:06}",
                    pick(&["0", "2", "3", "4", "8"], next(5)),
                    2 + next(7),
                    next(1_000_000)
                )
            })
            .and_then(|p| kehilla_domain::people::normalize_phone(&p).ok());
        let role = pick(&roles, next(7)).to_string();
        let tag = (next(3) == 0).then(|| pick(&TAGS, next(6)).to_string());
        let d = kehilla_db::people::PersonData {
            first_name: first.into(),
            last_name: last.into(),
            email: email.clone(),
            phone: phone.clone(),
            lang: if english { "en".into() } else { "he".into() },
            ..Default::default()
        };
        let labels: Vec<String> = tag.iter().cloned().collect();
        let st = crate::people::person::search_text(&d, std::slice::from_ref(&role), &labels);
        let opt = |v: &Option<String>| v.clone().map(Param::Text).unwrap_or(Param::Null);
        let created = now - i64::try_from(next(400)).unwrap_or(0) * 86_400_000;
        rows.push(vec![
            Param::Text(kehilla_db::new_public_id()),
            Param::Int(org),
            Param::Text(d.first_name.clone()),
            Param::Text(d.last_name.clone()),
            opt(&d.email),
            opt(&d.phone),
            Param::Text(d.lang.clone()),
            Param::Text(String::new()),
            Param::Text(st),
            Param::Int(created),
            Param::Int(created),
        ]);
        meta.push((email.or(phone), role, tag, next(100), next(3)));
    }
    kehilla_db::imports::insert_rows(
        &mut **tx,
        "people (public_id, organization_id, first_name, last_name, email, phone, lang, notes, search_text, created_at, updated_at)",
        11,
        &rows, 240,
    )
    .await?;
    let ids = kehilla_db::people::ids_of_org(&mut **tx, org).await?;
    let (mut labels, mut consents, mut members, mut events) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (id, (_, role, tag, dice, list)) in ids.iter().zip(meta.iter()) {
        labels.push(vec![
            Param::Int(org),
            Param::Int(*id),
            Param::Text("role".into()),
            Param::Text(role.clone()),
        ]);
        if let Some(t) = tag {
            labels.push(vec![
                Param::Int(org),
                Param::Int(*id),
                Param::Text("tag".into()),
                Param::Text(t.clone()),
            ]);
        }
        let mut consent = |channel: &str, purpose: &str, given: bool, wording: &str| {
            consents.push(vec![
                Param::Int(org),
                Param::Int(*id),
                Param::Text(channel.into()),
                Param::Text(purpose.into()),
                Param::Int(i64::from(given)),
                Param::Text("form".into()),
                Param::Text("demo".into()),
                Param::Text(wording.into()),
                Param::Text("{}".into()),
                Param::Int(now),
            ]);
        };
        if *dice < 60 {
            consent(
                "email",
                "newsletter",
                true,
                "אני מסכים/ה לקבל בדוא״ל עדכונים וניוזלטר מהעמותה.",
            );
        } else if *dice < 65 {
            consent("email", "newsletter", false, "");
        }
        if role == "volunteer" && *dice % 2 == 0 {
            consent(
                "sms",
                "event_reminders",
                true,
                "אני מסכים/ה לקבל תזכורות למשמרות ולאירועים ב־SMS.",
            );
        }
        if role == "volunteer" || role == "donor" || role == "press" {
            let l = match role.as_str() {
                "volunteer" => list_ids.first(),
                "donor" => list_ids.get(1),
                _ => list_ids.get(2),
            };
            if let Some(l) = l.filter(|_| *list < 2) {
                members.push(vec![Param::Int(*l), Param::Int(*id), Param::Int(now)]);
            }
        }
        events.push(vec![
            Param::Int(org),
            Param::Int(*id),
            Param::Text("signed-up".into()),
            Param::Text("demo".into()),
            Param::Text(String::new()),
            Param::Int(now),
        ]);
    }
    kehilla_db::imports::insert_rows(
        &mut **tx,
        "person_labels (organization_id, person_id, kind, value)",
        4,
        &labels,
        240,
    )
    .await?;
    kehilla_db::imports::insert_rows(
        &mut **tx,
        "consents (organization_id, person_id, channel, purpose, given, source, source_ref, wording, meta, created_at)",
        10,
        &consents, 240,
    )
    .await?;
    kehilla_db::imports::insert_rows(
        &mut **tx,
        "list_members (list_id, person_id, added_at)",
        3,
        &members,
        240,
    )
    .await?;
    kehilla_db::imports::insert_rows(
        &mut **tx,
        "person_events (organization_id, person_id, kind, detail, actor, created_at)",
        6,
        &events,
        240,
    )
    .await?;
    let seg = kehilla_db::segments::Filter::All {
        of: vec![
            kehilla_db::segments::Filter::Role {
                value: "volunteer".into(),
            },
            kehilla_db::segments::Filter::Consent {
                channel: "sms".into(),
                purpose: "event_reminders".into(),
                state: kehilla_db::segments::ConsentState::Given,
            },
        ],
    };
    kehilla_db::segments::create(&mut **tx, org, "מתנדבים שאישרו תזכורות SMS", &seg).await?;
    let consents = serde_json::to_string(&crate::people::forms::default_consents(
        "newsletter",
        kehilla_domain::validate::Lang::He,
    ))
    .unwrap_or_else(|_| "[]".into());
    kehilla_db::forms::create(
        &mut **tx,
        org,
        &kehilla_db::forms::FormData {
            kind: "newsletter",
            title: "הצטרפו לניוזלטר של יד ביד",
            intro: "פעם בחודש: סיפורים מהשטח, אירועים וקריאות להתנדבות.",
            lang: "he",
            ask_phone: false,
            consents: &consents,
            list_id: None,
            double_opt_in: true,
            thanks_text: "",
            redirect_url: "",
        },
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Studio

/// The demo's team members who write, approve and comment.
struct Team {
    dana: i64,
    noa: i64,
    amir: i64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    Dana,
    Noa,
    Amir,
}

impl Team {
    fn id(&self, w: Who) -> i64 {
        match w {
            Who::Dana => self.dana,
            Who::Noa => self.noa,
            Who::Amir => self.amir,
        }
    }
}

const X: usize = 0;
const FB: usize = 1;
const IG: usize = 2;
const LI: usize = 3;
const MA: usize = 4;
const BS: usize = 5;
const TG: usize = 6;

const fn channel(
    network: &'static str,
    name: &'static str,
    handle: &'static str,
    purpose: &'static str,
    audience: &'static str,
    cadence_days: Option<i64>,
    slots: &'static str,
) -> kehilla_db::studio::ChannelData<'static> {
    kehilla_db::studio::ChannelData {
        network,
        name,
        handle,
        purpose,
        audience,
        cadence_days,
        slots,
        slot_days: "012345",
        char_limit: None,
        requires_approval: false,
    }
}

/// In the order of the constants above.
const CHANNELS: [kehilla_db::studio::ChannelData<'static>; 7] = [
    channel(
        "x",
        "X — עדכונים שוטפים",
        "@yadbeyad",
        "עדכונים מהירים ושיח ציבורי",
        "עיתונאים, פעילים ותומכים",
        Some(3),
        "09:00,18:00",
    ),
    channel(
        "facebook",
        "פייסבוק — דף העמותה",
        "yadbeyad.haifa",
        "סיפורים מהשטח וקהילת התומכים",
        "תושבי חיפה והקריות, משפחות המתנדבים",
        Some(2),
        "10:00",
    ),
    channel(
        "instagram",
        "אינסטגרם",
        "@yadbeyad",
        "גיוס מתנדבים צעירים",
        "סטודנטים בחיפה",
        Some(4),
        "19:00",
    ),
    kehilla_db::studio::ChannelData {
        requires_approval: true,
        ..channel(
            "linkedin",
            "לינקדאין — דף הארגון",
            "yad-beyad",
            "שותפויות עם חברות ומתנדבים מקצועיים",
            "מנהלי משאבי אנוש ואחריות תאגידית",
            Some(7),
            "08:30",
        )
    },
    kehilla_db::studio::ChannelData {
        char_limit: Some(500),
        ..channel(
            "mastodon",
            "מסטודון",
            "@yadbeyad@kehilla.social",
            "נוכחות ברשת פתוחה ולא מסחרית",
            "קהילת הקוד הפתוח והטכנולוגיה",
            Some(7),
            "09:00",
        )
    },
    channel(
        "bluesky",
        "בלוסקיי",
        "@yadbeyad.bsky.social",
        "שיח עם פעילים וחוקרים",
        "אקדמיה וארגוני חברה אזרחית",
        Some(7),
        "09:00",
    ),
    channel(
        "telegram",
        "ערוץ הטלגרם למתנדבים",
        "@yadbeyad_volunteers",
        "משמרות ועדכונים דחופים",
        "מתנדבים פעילים",
        None,
        "",
    ),
];

/// When a demo post is planned, relative to today in the organization's time zone.
#[derive(Clone, Copy)]
enum When {
    /// Days from today, hour, minute.
    At(i64, u32, u32),
    /// Exactly twelve days ago at 08:30: the newest LinkedIn post, so LinkedIn is overdue.
    TwelveDaysAgo,
    Unplanned,
}

#[derive(Clone, Copy)]
struct DemoPost {
    when: When,
    status: &'static str,
    kind: &'static str,
    by: Who,
    channels: &'static [usize],
    title: &'static str,
    body: &'static str,
    /// An event's start (days from today, hour) and place.
    event: Option<(i64, u32, &'static str)>,
    /// The approval note, the changes asked for, or why publishing failed.
    note: &'static str,
    comments: &'static [(Who, &'static str)],
    /// The X variant edited on its own: its text (empty: the derived one) and follow-ups.
    x_edit: Option<(&'static str, &'static str)>,
    /// A tracked link for one channel of the post, with clicks.
    link: Option<(usize, &'static str, u64)>,
}

const POST: DemoPost = DemoPost {
    when: When::Unplanned,
    status: "draft",
    kind: "story",
    by: Who::Dana,
    channels: &[],
    title: "",
    body: "",
    event: None,
    note: "",
    comments: &[],
    x_edit: None,
    link: None,
};

const VOLUNTEER_URL: &str = "https://yad-beyad.example/volunteer";
const DONATE_URL: &str = "https://yad-beyad.example/donate";

const POSTS: [DemoPost; 20] = [
    DemoPost {
        when: When::At(-18, 10, 0),
        status: "published",
        channels: &[FB, IG, TG],
        title: "300 סלי מזון לחג",
        body: "ביום שישי האחרון 120 מתנדבים ארזו וחילקו 300 סלי מזון למשפחות בהדר ובנווה שאנן. \
               תודה ענקית לכל מי שהגיע — ולבית הספר ליאו באק שאירח אותנו ❤️\n\n#התנדבות #חיפה #ביחד",
        ..POST
    },
    DemoPost {
        when: When::At(-16, 18, 0),
        status: "published",
        kind: "volunteers",
        by: Who::Noa,
        channels: &[X, FB, IG, MA],
        title: "מחפשים מתנדבים למשמרות ערב",
        body: "מחפשים מתנדבים למשמרות ערב במרכז החלוקה בהדר 🙌 שעתיים בשבוע, בלי ניסיון קודם. \
               סטודנטים — אפשר גם לצבור שעות מלגה. #התנדבות #חיפה",
        x_edit: Some((
            "",
            r#"["המשמרות בימים א׳–ה׳ בין 17:00 ל־19:00, ברחוב הרצל 1. שאלות? כתבו לנו כאן או ב־info@yad-beyad.example"]"#,
        )),
        link: Some((FB, VOLUNTEER_URL, 24)),
        ..POST
    },
    DemoPost {
        when: When::At(-15, 8, 30),
        status: "published",
        kind: "press",
        channels: &[LI, FB, X],
        title: "כתבה ב״הארץ״ על מיזם שכן טוב",
        body: "שמחים לשתף: ב״הארץ״ התפרסמה כתבה על מיזם \"שכן טוב\", שבו מתנדבים צעירים מבקרים \
               קשישים בודדים בחיפה פעם בשבוע. תודה לכתבת ולכל המשפחות שפתחו לנו את הדלת. #חיפה #שכן_טוב",
        note: "מאושר ✔️",
        ..POST
    },
    DemoPost {
        when: When::TwelveDaysAgo,
        status: "published",
        kind: "achievement",
        channels: &[LI, FB, X, MA, BS],
        title: "10,000 שעות התנדבות ב־2026",
        body: "עברנו את רף 10,000 שעות ההתנדבות השנה! 🎉\n\nמאחורי המספר 640 מתנדבים ומתנדבות — \
               סטודנטים, פנסיונרים ועובדי הייטק מ־MATAM — שהגיעו שבוע אחרי שבוע לחלוקות, לשיעורי \
               העזר ולביקורי הבית. תודה! #התנדבות #חיפה #CSR",
        note: "מעולה, מאשרת. אפשר לתייג את העירייה בלינקדאין.",
        x_edit: Some((
            "10,000 שעות התנדבות ב־2026 🎉 תודה ל־640 המתנדבים והמתנדבות שלנו! #התנדבות #חיפה",
            "[]",
        )),
        ..POST
    },
    DemoPost {
        when: When::At(-9, 19, 0),
        status: "published",
        kind: "album",
        by: Who::Amir,
        channels: &[IG, FB],
        title: "תמונות מיום הכיף של המתנדבים",
        body: "כמה רגעים מיום הכיף של המתנדבים בפארק הכרמל 📸 פיקניק, משחקים ושקיעה מעל המפרץ. \
               תודה ל־@carmel_park שאירחו אותנו! #התנדבות #חיפה #volunteers",
        ..POST
    },
    DemoPost {
        when: When::At(-6, 9, 0),
        status: "published",
        kind: "question",
        by: Who::Noa,
        channels: &[X, MA, BS, FB],
        title: "שאלה לקהילה: מתי נוח לכם להתנדב?",
        body: "שאלה לקהילה 👇 אנחנו מתכננים את לוח המשמרות לחורף. מתי הכי נוח לכם להתנדב — \
               בוקר, ערב או סוף שבוע? ספרו לנו בתגובות #התנדבות #חיפה",
        ..POST
    },
    DemoPost {
        when: When::At(-4, 18, 0),
        status: "failed",
        kind: "video",
        by: Who::Noa,
        channels: &[FB, TG],
        title: "סרטון: יום במרכז החלוקה",
        body: "דקה וחצי מאחורי הקלעים של מרכז החלוקה בהדר 🎬 מקבלת הסחורה בבוקר ועד הסל האחרון \
               שיוצא לדרך. #התנדבות #חיפה",
        note: "Facebook: פג תוקף ההרשאה לדף (OAuthException 190). יש לחבר את הדף מחדש.",
        ..POST
    },
    DemoPost {
        when: When::At(-3, 19, 0),
        status: "published",
        by: Who::Amir,
        channels: &[IG, FB, TG],
        title: "הסיפור של מרים",
        body: "מרים, בת 82 מנווה שאנן, מחכה כל יום שלישי לביקור של עומר, סטודנט להנדסה בטכניון. \
               \"הוא הנכד השלישי שלי\", היא אומרת. הסיפור המלא בבלוג: \
               https://yad-beyad.example/blog/miriam #שכן_טוב #חיפה",
        comments: &[(
            Who::Dana,
            "איזה סיפור מרגש. אמיר, בקש ממרים אישור לצטט אותה גם בניוזלטר.",
        )],
        ..POST
    },
    DemoPost {
        when: When::At(-2, 10, 0),
        status: "published",
        kind: "donation",
        channels: &[FB, X, TG],
        title: "קמפיין החורף: שמיכה לכל משפחה",
        body: "החורף הגיע לחיפה 🌧️ השנה אנחנו רוצים לחלק 500 שמיכות ותנורים למשפחות ולקשישים \
               שזקוקים להם. כל 120 ₪ = שמיכה ותה חם לבית אחד. #חורף_חם #חיפה",
        link: Some((X, DONATE_URL, 16)),
        ..POST
    },
    DemoPost {
        when: When::At(-1, 18, 0),
        status: "published",
        kind: "status",
        by: Who::Amir,
        channels: &[X, MA, BS],
        title: "Thank you, Haifa volunteers",
        body: "Huge thanks to the 40 volunteers who sorted winter clothes at our Hadar center this \
               week 🧥 1,200 items are ready for families in need. See you next week! #volunteering #Haifa",
        note: "Approved, thanks Amir!",
        ..POST
    },
    DemoPost {
        when: When::At(1, 9, 0),
        status: "scheduled",
        kind: "event",
        by: Who::Noa,
        channels: &[X, FB, TG, MA],
        title: "ניקיון חוף בת גלים",
        body: "בואו לנקות איתנו את חוף בת גלים 🌊 כפפות, שקיות וקפה עלינו — אתם מביאים חברים \
               וכובע. מתאים גם למשפחות עם ילדים. #התנדבות #חיפה #ים_נקי",
        event: Some((10, 8, "חוף בת גלים, חיפה")),
        ..POST
    },
    DemoPost {
        when: When::At(2, 18, 0),
        status: "scheduled",
        channels: &[FB, X, BS],
        title: "20 שנה של יד ביד",
        body: "לפני 20 שנה שלוש חברות מהדר התחילו לבשל ארוחות לשכנים קשישים במטבח של אחת מהן. \
               היום אנחנו 640 מתנדבים, שלושה מרכזים ואלפי ביקורי בית בשנה. והכול עדיין מתחיל \
               בשכנים. #יד_ביד #חיפה",
        ..POST
    },
    DemoPost {
        when: When::At(4, 8, 30),
        status: "scheduled",
        kind: "volunteers",
        channels: &[LI, FB],
        title: "דרושים: מתנדבים מקצועיים pro bono",
        body: "יד ביד מחפשת אנשי מקצוע שיתנדבו כמה שעות בחודש: רו״ח, מעצבת גרפית ומפתח/ת web \
               לאתר שלנו. אם בחברה שלכם יש יום התנדבות — בואו נדבר. #pro_bono #CSR #חיפה",
        note: "מעולה, מאשרת",
        ..POST
    },
    DemoPost {
        when: When::At(6, 19, 0),
        status: "approved",
        kind: "album",
        by: Who::Amir,
        channels: &[IG, FB],
        title: "אלבום: סדנת האפייה עם הקשישים",
        body: "סדנת אפייה חורפית במועדון הקשישים ברמות רמז 🍪 עוגיות, צחוקים ומתכונים של סבתא. \
               #שכן_טוב #חיפה",
        comments: &[(
            Who::Noa,
            "אמיר, הטקסט מאושר. חסרות עדיין התמונות לאינסטגרם — תעלה אותן ואני אתזמן.",
        )],
        ..POST
    },
    DemoPost {
        when: When::At(7, 9, 0),
        status: "scheduled",
        kind: "video",
        by: Who::Noa,
        channels: &[FB, TG, X],
        title: "סרטון: מה עושים במשמרת ערב?",
        body: "מה בעצם עושים במשמרת ערב? שני, סטודנטית בטכניון, לקחה אותנו לסיבוב של 60 שניות 🎥 \
               רוצים להצטרף? הקישור בתגובה הראשונה. #התנדבות #חיפה",
        ..POST
    },
    DemoPost {
        when: When::At(8, 10, 0),
        status: "changes",
        kind: "event",
        by: Who::Amir,
        channels: &[FB, BS],
        title: "ערב הוקרה למתנדבים",
        body: "מזמינים את כל המתנדבים והמתנדבות לערב הוקרה חגיגי בשעה 19:00 🥂 מוזיקה, כיבוד \
               וחלוקת תעודות הוקרה. אשרו הגעה עד יום חמישי! #יד_ביד #תודה",
        event: Some((15, 19, "")),
        note: "חסר מקום הערב, והשעה בטקסט (19:00) לא תואמת להזמנה (19:30).",
        comments: &[(
            Who::Amir,
            "תיקנתי את השעה. מחכה לאישור מהמתנ״ס על האולם ואעדכן.",
        )],
        ..POST
    },
    DemoPost {
        when: When::At(9, 18, 0),
        status: "review",
        kind: "volunteers",
        by: Who::Amir,
        channels: &[X, FB, TG],
        title: "מתנדבים לשיעורי עזר באנגלית",
        body: "מחפשים מתנדבים לשיעורי עזר באנגלית ובמתמטיקה לתלמידי חטיבת ביניים בקריית חיים 📚 \
               שעה בשבוע, אחר הצהריים. Native English speakers — we need you! #התנדבות #חיפה",
        ..POST
    },
    DemoPost {
        when: When::At(12, 10, 0),
        channels: &[LI, FB],
        title: "סיכום שנה — טיוטה",
        body: "טיוטה: סיכום 2026 ביד ביד — מספרים, סיפורים ותודות. להוסיף: נתוני החלוקות, ציטוט \
               מהעירייה ותמונה קבוצתית.",
        ..POST
    },
    DemoPost {
        kind: "video",
        by: Who::Noa,
        channels: &[IG, FB, X],
        title: "רילס: מתנדבים עונים על שאלה אחת",
        body: "רעיון לרילס: חמישה מתנדבים עונים בשנייה אחת — \"למה התנדבת?\" #התנדבות",
        ..POST
    },
    DemoPost {
        kind: "status",
        by: Who::Amir,
        channels: &[FB, TG],
        title: "עדכון: המרכז סגור בנר ראשון",
        body: "עדכון קצר: מרכז החלוקה בהדר יהיה סגור בנר ראשון של חנוכה. החלוקה תתקיים יום קודם, \
               באותן שעות.",
        ..POST
    },
];

/// The Studio's demo: channels, posts around today in every state with their variants, history
/// and notifications, and tracked links. Returns the links' clicks, to record after the commit.
/// Campaigns of the demo: a newsletter sent three weeks ago to the subscribers (with its figures),
/// a donation appeal and an SMS reminder as drafts, and the sender. In demo mode campaigns go to
/// the built-in sink.
async fn campaigns_demo(tx: &mut kehilla_db::Tx, org: i64, by: i64) -> Result<()> {
    use kehilla_db::messaging::{self as m, CampaignData};
    m::save_sender(
        &mut **tx,
        org,
        "יד ביד",
        "news@yad-beyad.example",
        "office@yad-beyad.example",
        "#0e7c66",
    )
    .await?;
    let now = kehilla_db::now_ms();
    let day = 86_400_000;
    let sent = m::create(
        &mut **tx,
        org,
        by,
        &CampaignData {
            name: "עדכון נובמבר",
            channel: "email",
            format: "markdown",
            attachments: "",
            purpose: "newsletter",
            lang: "he",
            subject: "{{ person.first_name | default(\"חבר/ה\") }}, מה עשינו בנובמבר",
            body: "שלום {{ person.first_name | default(\"חבר/ה\") }},\n\nבנובמבר חילקנו **1,240** סלי מזון ב־[יום החלוקה](https://yad-beyad.example/day), ו־86 מתנדבים חדשים הצטרפו.\n\n- תודה לכל מי שארז, נהג וחילק\n- ב־Kehilla Day הבא נצטרך עוד נהגים\n\nנתראה בחלוקה הבאה!",
            advertising: false,
            segment: "",
        },
    )
    .await?;
    kehilla_db::sqlx::query(
        "UPDATE campaigns SET status = 'sent', prepared = 1, scheduled_at = $1, started_at = $1, finished_at = $2 \
         WHERE id = $3",
    )
    .bind(now - 21 * day)
    .bind(now - 21 * day + 180_000)
    .bind(sent.id)
    .execute(&mut **tx)
    .await?;
    // The people who had an email address then, with what became of each message.
    kehilla_db::sqlx::query(
        "INSERT INTO campaign_recipients (campaign_id, organization_id, person_id, address, status, attempts, \
         sent_at, bounced_at, clicked_at, unsubscribed_at) \
         SELECT $1, organization_id, id, email, CASE WHEN id % 150 = 0 THEN 'bounced' ELSE 'sent' END, 1, \
         $2, CASE WHEN id % 150 = 0 THEN $2 ELSE NULL END, \
         CASE WHEN id % 7 = 0 AND id % 150 <> 0 THEN $2 + (id % 48) * 3600000 ELSE NULL END, \
         CASE WHEN id % 97 = 0 AND id % 150 <> 0 THEN $2 + 86400000 ELSE NULL END \
         FROM people WHERE organization_id = $3 AND email IS NOT NULL ORDER BY id LIMIT 1500",
    )
    .bind(sent.id)
    .bind(now - 21 * day + 60_000)
    .bind(org)
    .execute(&mut **tx)
    .await?;
    m::create(
        &mut **tx,
        org,
        by,
        &CampaignData {
            name: "מגבית חנוכה",
            channel: "email",
            format: "blocks",
            attachments: "",
            purpose: "donation_appeals",
            lang: "he",
            subject: "נר אחד יכול להאיר משפחה שלמה",
            body: r#"[{"kind":"heading","text":"חנוכה שמח, {{ person.first_name | default(\"חבר/ה\") }}"},{"kind":"text","text":"השנה נחלק **400** סלי חג למשפחות בחיפה. כל 150 ₪ הם סל אחד."},{"kind":"button","text":"לתרומה","url":"https://yad-beyad.example/donate"},{"kind":"divider"},{"kind":"text","text":"תודה שאתם חלק מהקהילה."}]"#,
            advertising: true,
            segment: "",
        },
    )
    .await?;
    m::create(
        &mut **tx,
        org,
        by,
        &CampaignData {
            name: "תזכורת חלוקה",
            channel: "sms",
            format: "markdown",
            attachments: "",
            purpose: "event_reminders",
            lang: "he",
            subject: "",
            body: "{{ person.first_name | default(\"שלום\") }}, מחר ב־9:00 חלוקה במרכז הקהילתי. תודה! יד ביד",
            advertising: false,
            segment: "",
        },
    )
    .await?;
    Ok(())
}

async fn studio_demo(
    tx: &mut kehilla_db::Tx,
    org: &orgs::Organization,
    team: &Team,
) -> Result<Vec<kehilla_db::studio::Click>> {
    use crate::studio::{links, local_input, local_to_ms, posts, slugify};
    use chrono::{Datelike, NaiveDate, NaiveTime, TimeDelta, Weekday};
    use kehilla_db::studio::{self as db, Click, LinkData, PostData};
    use kehilla_domain::validate::Lang;
    const DAY: i64 = 86_400_000;
    const HOUR: i64 = 3_600_000;
    let tz = crate::studio::zone(&org.time_zone);
    let now = kehilla_db::now_ms();
    let today = crate::studio::to_local(tz, now).date_naive();
    let day = |offset: i64| {
        TimeDelta::try_days(offset)
            .and_then(|d| today.checked_add_signed(d))
            .unwrap_or(today)
    };
    let local = |d: NaiveDate, h: u32, m: u32| {
        let t = NaiveTime::from_hms_opt(h, m, 0).ok_or(AppError::Internal("demo time".into()))?;
        local_to_ms(tz, d.and_time(t))
    };
    // Nothing is planned on Shabbat: a Saturday becomes Friday morning (past) or Sunday.
    let at = |offset: i64, h: u32, m: u32| match (day(offset).weekday(), offset < 0) {
        (Weekday::Sat, true) => local(day(offset - 1), h.min(10), if h < 10 { m } else { 0 }),
        (Weekday::Sat, false) => local(day(offset + 1), h, m),
        _ => local(day(offset), h, m),
    };
    // Whole days since it are what the cadence counts: exactly 12.
    let twelve_days_ago = || -> Result<i64> {
        for back in [12, 13] {
            let t = local(day(-back), 8, 30)?;
            if (now - t) / DAY == 12 {
                return Ok(t);
            }
        }
        Ok(now - 12 * DAY - HOUR)
    };
    let mut seed: u64 = 0xc11c_5eed;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n.max(1)
    };
    let mut chans = Vec::new();
    for c in &CHANNELS {
        chans.push(db::create_channel(&mut **tx, org.id, c).await?);
    }
    let chan = |i: usize| {
        chans
            .get(i)
            .ok_or(AppError::Internal("demo channel".into()))
    };
    // Every channel is connected to the built-in demo network; LinkedIn's token (60 days,
    // not renewable) expires in five days, so the health page has something to say.
    for (i, ch) in chans.iter().enumerate() {
        let server = crate::publishing::demo::server(&ch.network);
        let conn = kehilla_db::publishing::NewConnection {
            server_url: &server,
            account: &ch.handle,
            token_sealed: "demo",
            refresh_sealed: "",
            expires_at: (i == LI).then_some(now + 5 * DAY),
        };
        kehilla_db::publishing::connect(&mut **tx, org.id, ch.id, &conn).await?;
    }
    let mut clicks = Vec::new();
    for (n, p) in POSTS.iter().enumerate() {
        let author = team.id(p.by);
        let planned = match p.when {
            When::At(o, h, m) => Some(at(o, h, m)?),
            When::TwelveDaysAgo => Some(twelve_days_ago()?),
            When::Unplanned => None,
        };
        let mut details = posts::Details::default();
        match p.kind {
            "volunteers" => details.url = VOLUNTEER_URL.into(),
            "donation" => details.url = DONATE_URL.into(),
            "press" => details.outlet = "הארץ".into(),
            _ => {}
        }
        if let Some((o, h, place)) = p.event {
            details.event_start = local_input(tz, at(o, h, 0)?);
            details.place = place.into();
        }
        let details_json = serde_json::to_string(&details).unwrap_or_else(|_| "{}".into());
        let slug = format!("{}-{}", slugify(p.title), n + 1);
        let data = PostData {
            kind: p.kind,
            title: p.title,
            body: p.body,
            details: &details_json,
        };
        let post = db::create_post(&mut **tx, org.id, author, &slug, &data, planned).await?;
        let derived = posts::derive(p.kind, p.body, &details, Lang::He);
        for &c in p.channels {
            let (body, follow_ups, edited) = match p.x_edit {
                Some((b, f)) if c == X => (if b.is_empty() { &derived } else { b }, f, true),
                _ => (derived.as_str(), "[]", false),
            };
            let id = chan(c)?.id;
            db::put_variant(&mut **tx, org.id, post.id, id, body, follow_ups, edited).await?;
        }

        // The trail: who did what, three hours apart, ending at publication.
        let status = p.status;
        let needs_approval = p.by == Who::Amir || p.channels.contains(&LI);
        let approver = match (needs_approval, p.by) {
            (false, _) => author,
            (true, Who::Noa) => team.dana,
            (true, _) => team.noa,
        };
        let mut steps = vec![(Some(author), "created", String::new())];
        if p.x_edit.is_some() {
            steps.push((Some(author), "variant-edited", chan(X)?.name.clone()));
        }
        if status != "draft" {
            steps.push((Some(author), "submitted", String::new()));
        }
        if status == "changes" {
            steps.push((Some(team.noa), "changes-requested", p.note.into()));
        }
        let approved = matches!(status, "approved" | "scheduled" | "published" | "failed");
        if approved && needs_approval {
            steps.push((Some(approver), "approved", p.note.into()));
        }
        if let Some(t) = planned.filter(|_| matches!(status, "scheduled" | "published" | "failed"))
        {
            steps.push((
                Some(approver),
                "scheduled",
                local_input(tz, t).replace('T', " "),
            ));
        }
        for (w, text) in p.comments {
            steps.push((Some(team.id(*w)), "comment", (*text).into()));
        }
        let start = match planned.filter(|t| *t < now) {
            Some(t) => t - 2 * DAY,
            None => now - 2 * DAY + i64::try_from(n).unwrap_or(0) * 600_000,
        };
        let mut times: Vec<i64> = (0..steps.len())
            .map(|i| start + i64::try_from(i).unwrap_or(0) * 3 * HOUR)
            .collect();
        let published = planned.filter(|_| status == "published");
        if let Some(t) = planned.filter(|_| matches!(status, "published" | "failed")) {
            let note = if status == "failed" { p.note } else { "" };
            steps.push((None, status, note.into()));
            times.push(t);
        }
        if status != "draft" {
            db::set_status(&mut **tx, org.id, post.id, &["draft"], status).await?;
        }
        if approved {
            db::set_approved_by(&mut **tx, org.id, post.id, Some(approver)).await?;
        }
        for ((actor, action, note), t) in steps.iter().zip(&times) {
            db::add_history_at(&mut **tx, org.id, post.id, *actor, action, note, *t).await?;
        }
        let last = times.last().copied().unwrap_or(start);
        db::set_times(&mut **tx, org.id, post.id, start, last, published).await?;
        // Published on the demo network: its address there and its figures so far.
        if let Some(t) = published {
            for &c in p.channels {
                let ch = chan(c)?;
                let key = kehilla_db::random_hex(16);
                let id =
                    kehilla_db::publishing::ensure(&mut **tx, org.id, post.id, ch.id, &key).await?;
                let remote = crate::publishing::demo::id_of(&format!("{key}-0"));
                let url = format!("/-/demo/{}/{remote}", ch.network);
                let parts = serde_json::json!([{ "id": remote, "url": url }]).to_string();
                let figures =
                    crate::publishing::demo::figures(&ch.network, &remote, (now - t) / HOUR);
                let figures = serde_json::to_string(&figures).unwrap_or_else(|_| "{}".into());
                kehilla_db::publishing::set_published_at(
                    &mut **tx,
                    id,
                    &parts,
                    (&remote, &url),
                    t,
                    &figures,
                )
                .await?;
            }
        }

        // What the editor and the contributor find in their notifications, unread.
        let notice = match status {
            "review" => Some((team.noa, author, "review-requested", "")),
            "changes" => Some((author, team.noa, "changes-requested", p.note)),
            _ => None,
        };
        if let Some((user, actor, kind, note)) = notice {
            db::notify_at(
                &mut **tx,
                org.id,
                user,
                Some(post.id),
                Some(actor),
                kind,
                note,
                last,
            )
            .await?;
        }

        // A tracked link with clicks from the days since publication.
        if let Some((c, target, count)) = p.link {
            let ch = chan(c)?;
            let code = links::new_code();
            let destination = links::with_utm(target, &ch.network, &slug);
            let link = db::create_link(
                &mut **tx,
                org.id,
                &LinkData {
                    code: &code,
                    post_id: Some(post.id),
                    channel_id: Some(ch.id),
                    network: &ch.network,
                    target,
                    destination: &destination,
                    campaign_id: None,
                },
            )
            .await?;
            let referrers: &[&str] = match ch.network.as_str() {
                "facebook" => &["l.facebook.com", "l.facebook.com", "lm.facebook.com", ""],
                "x" => &["t.co", "t.co", "t.co", ""],
                _ => &[""],
            };
            let devices = ["mobile", "mobile", "mobile", "desktop", "desktop", "tablet"];
            let from = planned.unwrap_or(now - DAY);
            for _ in 0..count {
                // Most clicks come in the first hours after publication.
                let x = i64::try_from(next(1000)).unwrap_or(0);
                let r = usize::try_from(next(64)).unwrap_or(0);
                clicks.push(Click {
                    organization_id: org.id,
                    link_id: link.id,
                    post_id: Some(post.id),
                    channel_id: Some(ch.id),
                    at: from + (now - from) / 1000 * x * x / 1000,
                    referrer_host: referrers
                        .get(r % referrers.len().max(1))
                        .copied()
                        .unwrap_or("")
                        .into(),
                    device: devices.get(r % devices.len()).copied().unwrap_or("other"),
                    campaign_id: None,
                    recipient_id: None,
                });
            }
        }
    }
    Ok(clicks)
}

/// What `kehilla demo` prints: how to log in.
pub fn login_help(base_url: &str) -> String {
    let mut s = format!(
        "Demo organization \"{}\" is ready at {base_url}/login\nPassword for every account: {PASSWORD}\n",
        MAIN_ORG.1
    );
    for p in &PEOPLE {
        s.push_str(&format!("  {:<28} {:<12} {}\n", p.email, p.role, p.name));
    }
    s.push_str("The agency account is also owner of: ");
    s.push_str(&OTHER_ORGS.map(|o| o.0).join(", "));
    s.push('\n');
    s.push_str(&format!(
        "Studio at {base_url}/orgs/{}/studio: {} channels, {} posts in every state, tracked links with clicks\n",
        MAIN_ORG.0,
        CHANNELS.len(),
        POSTS.len()
    ));
    s
}
