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
            None => orgs::create(&mut *tx, slug, name).await?,
        };
        if orgs::role_of(&mut *tx, o.id, agency.id).await?.is_none() {
            orgs::add_member(&mut *tx, o.id, agency.id, "owner").await?;
        }
    }
    tx.commit().await?;
    Ok(true)
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
