//! The repository conformance suite: the same stories against SQLite and PostgreSQL.

use kehilla_db::jobs::{self, NewJob};
use kehilla_db::{Backend as DbBackend, Db, orgs, sessions, tokens, users};

use crate::support::{Backend, TestDb, backends};

#[tokio::test]
async fn repositories_behave_the_same_on_both_backends() {
    for b in backends() {
        let t = TestDb::new(b).await;
        let db = t.connect().await;
        assert_eq!(
            db.backend(),
            if b == Backend::Sqlite {
                DbBackend::Sqlite
            } else {
                DbBackend::Postgres
            }
        );
        accounts_story(&db).await;
        queue_story(&db).await;
        db.close().await;
    }
}

async fn accounts_story(db: &Db) {
    assert!(db.is_empty().await.unwrap());
    assert!(db.is_ready().await);
    let u = users::create(&db.pool, "dana@example.org", "דנה לוי", "hash", "he")
        .await
        .unwrap();
    assert!(matches!(
        users::create(&db.pool, "dana@example.org", "x", "h", "he").await,
        Err(kehilla_db::DbError::Conflict("email"))
    ));
    let o = orgs::create(&db.pool, "yad", "יד ביד").await.unwrap();
    assert!(matches!(
        orgs::create(&db.pool, "yad", "x").await,
        Err(kehilla_db::DbError::Conflict("slug"))
    ));
    orgs::add_member(&db.pool, o.id, u.id, "owner")
        .await
        .unwrap();
    assert_eq!(
        orgs::role_of(&db.pool, o.id, u.id)
            .await
            .unwrap()
            .as_deref(),
        Some("owner")
    );
    let mine = orgs::of_user(&db.pool, u.id).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].name, "יד ביד", "Hebrew round-trips unchanged");

    // A second organization's rows are invisible through the first's id.
    let other = orgs::create(&db.pool, "other", "Other").await.unwrap();
    let m = orgs::members(&db.pool, o.id).await.unwrap();
    assert!(matches!(
        orgs::member(&db.pool, other.id, &m[0].public_id).await,
        Err(kehilla_db::DbError::NotFound)
    ));
    assert!(matches!(
        orgs::set_role(&db.pool, other.id, m[0].id, "viewer").await,
        Err(kehilla_db::DbError::NotFound)
    ));

    // Invitations are accepted once.
    let inv = orgs::create_invitation(
        &db.pool,
        o.id,
        "editor",
        "",
        "th",
        u.id,
        kehilla_db::now_ms() + 1000,
    )
    .await
    .unwrap();
    let v = users::create(&db.pool, "noa@example.org", "נועה", "h", "he")
        .await
        .unwrap();
    assert!(
        orgs::accept_invitation(&db.pool, inv.id, v.id)
            .await
            .unwrap()
    );
    assert!(
        !orgs::accept_invitation(&db.pool, inv.id, v.id)
            .await
            .unwrap()
    );

    // Sessions expire; reset tokens are single-use.
    sessions::create(
        &db.pool,
        "s1",
        u.id,
        kehilla_db::now_ms() + 60_000,
        "ua",
        "127.0.0.1",
    )
    .await
    .unwrap();
    sessions::create(
        &db.pool,
        "s2",
        u.id,
        kehilla_db::now_ms() - 1,
        "ua",
        "127.0.0.1",
    )
    .await
    .unwrap();
    assert!(sessions::live(&db.pool, "s1").await.unwrap().is_some());
    assert!(sessions::live(&db.pool, "s2").await.unwrap().is_none());
    assert_eq!(sessions::delete_expired(&db.pool).await.unwrap(), 1);
    sessions::create_reset(&db.pool, u.id, "r1", kehilla_db::now_ms() + 60_000)
        .await
        .unwrap();
    assert_eq!(
        sessions::reset_user(&db.pool, "r1").await.unwrap(),
        Some(u.id)
    );
    assert!(sessions::use_reset(&db.pool, "r1").await.unwrap());
    assert!(!sessions::use_reset(&db.pool, "r1").await.unwrap());

    // Tokens: revocation is per organization and member.
    let t = tokens::create(&db.pool, o.id, u.id, "n", "read", "tok")
        .await
        .unwrap();
    assert!(
        tokens::live_by_hash(&db.pool, "tok")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        tokens::revoke(&db.pool, other.id, u.id, &t.public_id)
            .await
            .is_err()
    );
    tokens::revoke(&db.pool, o.id, u.id, &t.public_id)
        .await
        .unwrap();
    assert!(
        tokens::live_by_hash(&db.pool, "tok")
            .await
            .unwrap()
            .is_none()
    );

    // Audit: newest first, paged.
    for i in 0..5 {
        kehilla_db::audit::record(
            &db.pool,
            kehilla_db::audit::NewEntry {
                organization_id: Some(o.id),
                actor_user_id: Some(u.id),
                actor_label: "dana",
                action: "login",
                target: &i.to_string(),
                ip: "",
            },
        )
        .await
        .unwrap();
    }
    let page = kehilla_db::audit::of_org(&db.pool, o.id, None, 3)
        .await
        .unwrap();
    assert_eq!(
        page.iter().map(|e| e.target.as_str()).collect::<Vec<_>>(),
        ["4", "3", "2"]
    );
    let next = kehilla_db::audit::of_org(&db.pool, o.id, Some(page[2].id), 3)
        .await
        .unwrap();
    assert_eq!(
        next.iter().map(|e| e.target.as_str()).collect::<Vec<_>>(),
        ["1", "0"]
    );
    assert!(
        kehilla_db::audit::of_org(&db.pool, other.id, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn queue_story(db: &Db) {
    let t0 = kehilla_db::now_ms();
    // Enqueued in a transaction that rolls back: no job.
    let mut tx = db.begin().await.unwrap();
    jobs::enqueue(&mut *tx, NewJob::new("probe", serde_json::json!({})).at(t0))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert!(jobs::claim(db, "w", t0, 1000).await.unwrap().is_none());

    // Unique keys deduplicate.
    let id = jobs::enqueue(
        &db.pool,
        NewJob::new("probe", serde_json::json!({}))
            .unique("k1")
            .at(t0)
            .max_attempts(2),
    )
    .await
    .unwrap();
    assert!(id.is_some());
    assert!(
        jobs::enqueue(
            &db.pool,
            NewJob::new("probe", serde_json::json!({}))
                .unique("k1")
                .at(t0)
        )
        .await
        .unwrap()
        .is_none()
    );

    // Not due yet.
    let later = jobs::enqueue(
        &db.pool,
        NewJob::new("probe", serde_json::json!({})).at(t0 + 3_600_000),
    )
    .await
    .unwrap()
    .unwrap();

    // A claims; while A's lease runs nobody else gets the job; after it, B does, and A's
    // stale token no longer completes anything.
    let a = jobs::claim(db, "A", t0, 1000).await.unwrap().unwrap();
    assert_eq!(a.attempts, 1);
    assert!(
        jobs::claim(db, "B", t0 + 500, 1000)
            .await
            .unwrap()
            .is_none()
    );
    let b = jobs::claim(db, "B", t0 + 1001, 1000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((b.id, b.attempts), (a.id, 2));
    assert!(
        !jobs::complete(&db.pool, a.id, &a.lease_token)
            .await
            .unwrap()
    );
    assert!(
        !jobs::extend(db, a.id, &a.lease_token, t0 + 10_000)
            .await
            .unwrap()
    );
    // B's lease expires too, on the last allowed attempt: the job is dead, not retried forever.
    assert_eq!(jobs::bury_expired(db, t0 + 2002).await.unwrap(), 1);
    let row = jobs::by_id(&db.pool, b.id).await.unwrap();
    assert_eq!(row.status, "dead");
    assert!(
        jobs::claim(db, "C", t0 + 5000, 1000)
            .await
            .unwrap()
            .is_none()
    );

    // Retrying a dead job gives it fresh attempts.
    kehilla_db::sqlx::query("UPDATE jobs SET organization_id = 1 WHERE id = $1")
        .bind(b.id)
        .execute(&db.pool)
        .await
        .unwrap();
    jobs::retry_dead(&db.pool, 1, &row.public_id).await.unwrap();
    let c = jobs::claim(db, "C", kehilla_db::now_ms(), 1000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((c.id, c.attempts), (b.id, 1));
    // A failure goes back to the queue at the given time; a permanent one is dead at once.
    assert!(
        jobs::fail(db, c.id, &c.lease_token, "boom", t0 + 7_200_000, false)
            .await
            .unwrap()
    );
    let row = jobs::by_id(&db.pool, c.id).await.unwrap();
    assert_eq!(
        (row.status.as_str(), row.last_error.as_str()),
        ("queued", "boom")
    );
    let c2 = jobs::claim(db, "C", t0 + 7_200_000, 1000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c2.id, later, "ordered by due time");
    assert!(
        jobs::fail(db, c2.id, &c2.lease_token, "bad payload", 0, true)
            .await
            .unwrap()
    );
    assert_eq!(jobs::by_id(&db.pool, later).await.unwrap().status, "dead");

    // Release on shutdown: back to the queue without using up an attempt.
    let d = jobs::claim(db, "D", t0 + 7_200_000, 60_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(jobs::release_worker(db, "D").await.unwrap(), 1);
    let row = jobs::by_id(&db.pool, d.id).await.unwrap();
    assert_eq!(
        (row.status.as_str(), row.attempts),
        ("queued", d.attempts - 1)
    );
    assert!(jobs::next_run_at(db).await.unwrap().is_some());
}

#[tokio::test]
async fn concurrent_claimers_never_take_the_same_job() {
    for b in backends() {
        let t = TestDb::new(b).await;
        let db1 = t.connect().await;
        let db2 = Db::connect(&t.url, 5).await.unwrap();
        let now = kehilla_db::now_ms();
        for _ in 0..60 {
            jobs::enqueue(
                &db1.pool,
                NewJob::new("probe", serde_json::json!({})).at(now),
            )
            .await
            .unwrap();
        }
        let mut tasks = Vec::new();
        for i in 0..6 {
            let db = if i % 2 == 0 { db1.clone() } else { db2.clone() };
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                while let Some(j) = jobs::claim(&db, &format!("w{i}"), now, 600_000)
                    .await
                    .unwrap()
                {
                    got.push(j.id);
                }
                got
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all.sort();
        let n = all.len();
        all.dedup();
        assert_eq!(
            (n, all.len()),
            (60, 60),
            "{b:?}: every job claimed exactly once"
        );
    }
}

#[test]
fn sqlite_and_postgres_migrations_have_the_same_versions() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let versions = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .split('_')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        v.sort();
        v
    };
    assert!(!versions("sqlite").is_empty());
    assert_eq!(versions("sqlite"), versions("postgres"));
    assert_eq!(
        Db::known_migrations(DbBackend::Sqlite),
        Db::known_migrations(DbBackend::Postgres)
    );
}
