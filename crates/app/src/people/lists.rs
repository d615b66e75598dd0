//! Static lists.

use kehilla_db::{Db, people};

use crate::audit::Actor;
use crate::members::OrgMember;
use crate::{AppError, Result};

pub async fn create(db: &Db, by: &OrgMember, name: &str) -> Result<String> {
    let name = kehilla_domain::validate::name(name, 120).map_err(AppError::input("name"))?;
    Ok(people::create_list(&db.pool, by.org.id, &name).await?)
}

pub async fn add(db: &Db, by: &OrgMember, list: &str, person: &str, actor: &Actor) -> Result<()> {
    let mut tx = db.begin().await?;
    let l = people::list(&mut *tx, by.org.id, list).await?;
    let p = people::get(&mut *tx, by.org.id, person).await?;
    if people::add_to_list(&mut *tx, l.id, p.id).await? {
        people::add_event(
            &mut *tx,
            by.org.id,
            p.id,
            "added-to-list",
            &l.name,
            &actor.label,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn remove(
    db: &Db,
    by: &OrgMember,
    list: &str,
    person: &str,
    actor: &Actor,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let l = people::list(&mut *tx, by.org.id, list).await?;
    let p = people::get(&mut *tx, by.org.id, person).await?;
    people::remove_from_list(&mut *tx, l.id, p.id).await?;
    people::add_event(
        &mut *tx,
        by.org.id,
        p.id,
        "removed-from-list",
        &l.name,
        &actor.label,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(db: &Db, by: &OrgMember, list: &str) -> Result<()> {
    people::delete_list(&db.pool, by.org.id, list).await?;
    Ok(())
}
