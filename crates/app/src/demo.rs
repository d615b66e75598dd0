//! Demo data: a Hebrew volunteer nonprofit with a member in every role, and a few more
//! organizations run by an agency account, so a newcomer sees a living product at once.
//! Later capabilities add their own demo data here. Loading twice changes nothing.

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
    tx.commit().await?;
    Ok(true)
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
    s
}
