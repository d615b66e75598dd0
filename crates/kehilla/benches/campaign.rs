//! The campaign benchmark of docs/benchmarks.md: an email campaign of N personalized messages,
//! each signed with the organization's RSA-2048 DKIM key and carrying a tracked link, sent by one
//! `kehilla serve` process to an SMTP sink on this machine over C connections. Reports messages
//! per second (sustained: first message to last), the whole time (start-up and snapshot
//! included), CPU seconds per 1,000 messages and the process's peak resident memory; then
//! measures, against the same sink, a client that does nothing but send one prebuilt message of
//! the same size over the same number of pooled lettre connections (the ceiling), and gives our
//! rate as a fraction of it. Checks that the sink took every message exactly once, each with a
//! `DKIM-Signature` header.
//!
//! `cargo bench -p kehilla --bench campaign -- [recipients] [connections] [quickack|plain]`
//! (default 100000, 8 and quickack; see `sink` for the last). Run without `--bench` (as
//! `cargo test --all-targets` does) it only says how to run it.

// A benchmark may stop at the first surprise: it reports, it does not serve.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kehilla_db::messaging::CampaignData;
use kehilla_db::orgs::LegalSettings;
use kehilla_db::{Db, now_ms};
use lettre::address::Envelope;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::{TcpListener, TcpStream};

/// What the sink took, counted as it streams by (no message is kept, so the sink's memory does
/// not grow with the campaign).
struct Tally {
    messages: AtomicU64,
    /// Messages whose header had a `DKIM-Signature` field.
    signed: AtomicU64,
    /// Bytes of message data (headers and body, as sent after DATA).
    bytes: AtomicU64,
    connections: AtomicU64,
    /// Messages taken per recipient number (`p{i}@example.org`): the exactly-once check.
    per_recipient: Vec<AtomicU32>,
}

impl Tally {
    fn snapshot(&self) -> (u64, u64, u64) {
        (
            self.messages.load(Ordering::Relaxed),
            self.signed.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }
}

/// An SMTP sink on 127.0.0.1: enough SMTP for lettre (greeting, EHLO, MAIL, RCPT, DATA, RSET,
/// NOOP, QUIT), every message answered 250.
///
/// With `quickack` the sink acknowledges every TCP segment at once (`TCP_QUICKACK`). Without it
/// the kernel delays the acknowledgement of a message's data (40 ms on Linux) while lettre, which
/// writes the data and then `\r\n.\r\n` in two writes without `TCP_NODELAY`, holds the second
/// write back until that acknowledgement comes (Nagle): every message then waits ~40 ms on
/// loopback, and any client of lettre is held near 8 / 40 ms = 200 messages/s over 8 connections
/// whatever it does (measured: 180/s for the no-op client). `plain` shows that; `quickack`
/// measures what the server itself can do.
async fn sink(recipients: usize, quickack: bool) -> (u16, Arc<Tally>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let tally = Arc::new(Tally {
        messages: AtomicU64::new(0),
        signed: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
        connections: AtomicU64::new(0),
        per_recipient: (0..recipients).map(|_| AtomicU32::new(0)).collect(),
    });
    let t = tally.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            t.connections.fetch_add(1, Ordering::Relaxed);
            let t = t.clone();
            tokio::spawn(async move {
                let _ = session(stream, &t, quickack).await;
            });
        }
    });
    (port, tally)
}

/// The recipient number of `RCPT TO:<p{i}@example.org>`, if it is one of the campaign's.
fn recipient_number(line: &[u8]) -> Option<usize> {
    let s = std::str::from_utf8(line).ok()?;
    let start = s.find('<')? + 1;
    let rest = s.get(start..)?;
    let local = rest.split('@').next()?;
    local.strip_prefix('p')?.parse().ok()
}

/// Reads one line. With `quickack`, a read that will wait on the socket first asks the kernel to
/// acknowledge what arrives at once (the flag does not last, so it is set again each time).
async fn next_line(
    r: &mut BufReader<OwnedReadHalf>,
    line: &mut Vec<u8>,
    quickack: bool,
) -> std::io::Result<usize> {
    line.clear();
    if quickack && r.buffer().is_empty() {
        let stream: &TcpStream = r.get_ref().as_ref();
        stream.set_quickack(true)?;
    }
    r.read_until(b'\n', line).await
}

async fn session(stream: TcpStream, t: &Tally, quickack: bool) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::with_capacity(64 * 1024, r);
    let mut line: Vec<u8> = Vec::with_capacity(1024);
    w.write_all(b"220 sink.bench ESMTP\r\n").await?;
    let mut rcpt: Option<usize> = None;
    loop {
        if next_line(&mut r, &mut line, quickack).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        let reply: &[u8] = match verb.as_slice() {
            b"EHLO" => b"250-sink.bench\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n",
            b"HELO" => b"250 sink.bench\r\n",
            b"MAIL" | b"RSET" => {
                rcpt = None;
                b"250 2.0.0 OK\r\n"
            }
            b"RCPT" => {
                rcpt = recipient_number(&line);
                b"250 2.1.5 OK\r\n"
            }
            b"NOOP" => b"250 2.0.0 OK\r\n",
            b"QUIT" => {
                w.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            b"DATA" => {
                w.write_all(b"354 go ahead\r\n").await?;
                let (mut bytes, mut in_header, mut signed) = (0u64, true, false);
                loop {
                    if next_line(&mut r, &mut line, quickack).await? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    bytes += line.len() as u64;
                    if in_header {
                        if line == b"\r\n" || line == b"\n" {
                            in_header = false;
                        } else if line
                            .get(..15)
                            .is_some_and(|h| h.eq_ignore_ascii_case(b"DKIM-Signature:"))
                        {
                            signed = true;
                        }
                    }
                }
                t.messages.fetch_add(1, Ordering::Relaxed);
                t.bytes.fetch_add(bytes, Ordering::Relaxed);
                if signed {
                    t.signed.fetch_add(1, Ordering::Relaxed);
                }
                if let Some(n) = rcpt.take().and_then(|i| t.per_recipient.get(i)) {
                    n.fetch_add(1, Ordering::Relaxed);
                }
                b"250 2.0.0 OK queued\r\n"
            }
            _ => b"502 5.5.2 not implemented\r\n",
        };
        w.write_all(reply).await?;
    }
}

#[path = "support/proc.rs"]
mod proc;
use proc::{clock_ticks, cpu_seconds, memory};

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

/// The campaign's body: a newsletter of a few paragraphs, personalized, with one web link.
const BODY: &str = "שלום {{ person.first_name }},

החודש חילקנו **1,240** סלי מזון ב־14 שכונות, ופתחנו מוקד התנדבות חדש בדרום העיר. תודה לכל מי \
שהגיע, ארז, נהג ותרם — בלעדיכם זה לא היה קורה.

## מה מחכה לנו בדצמבר

- ערב התנדבות משפחתי ביום שישי, 12 בדצמבר, בין 9:00 ל־13:00.
- סדנת בישול עם השף של המטבח הקהילתי: מתכונים מכל סל.
- איסוף מעילים וחימום לקראת החורף, בכל נקודות האיסוף שלנו.

[לכל הפעילויות ולהרשמה](https://bench.example/activities/december)

נתראה,
צוות יד ביד";

/// A message as large as the campaign's average one, made once (the ceiling sends it again and
/// again; its DKIM-Signature header is a fixed text, not a signature).
fn fixed_message(size: usize) -> Vec<u8> {
    let mut m = String::from(
        "From: =?utf-8?b?15nXkyDXkdeZ15M=?= <news@bench.example>\r\n\
         To: ceiling@example.org\r\n\
         Subject: ceiling\r\n\
         Message-ID: <ceiling@b.bench.example>\r\n\
         MIME-Version: 1.0\r\n\
         DKIM-Signature: v=1; a=rsa-sha256; d=bench.example; s=k1; c=relaxed/relaxed;\r\n \
         h=From:To:Subject; bh=AAAA; b=AAAA\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n",
    );
    let line = "2LTXnNeV150g16LXldec150g16nXnNeV150g16LXldec150g16nXnNeV150g16LXldec150g16nX\r\n";
    while m.len() + line.len() <= size {
        m.push_str(line);
    }
    m.into_bytes()
}

/// The ceiling: `conns` tasks over one pool of `conns` lettre connections (as the product has),
/// sending one prebuilt message `n` times in all. Returns the elapsed time.
async fn ceiling(port: u16, n: usize, conns: usize, message: Vec<u8>) -> Duration {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .timeout(Some(Duration::from_secs(60)))
        .pool_config(
            PoolConfig::new()
                .max_size(u32::try_from(conns).unwrap())
                .idle_timeout(Duration::from_secs(30)),
        )
        .build();
    let envelope = Envelope::new(
        Some("bounces+ceiling@b.bench.example".parse().unwrap()),
        vec!["ceiling@example.org".parse().unwrap()],
    )
    .unwrap();
    let message = Arc::new(message);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..conns)
        .map(|_| {
            let (transport, envelope, message, next) = (
                transport.clone(),
                envelope.clone(),
                message.clone(),
                next.clone(),
            );
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < n {
                    transport.send_raw(&envelope, &message).await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    started.elapsed()
}

/// Makes the organization, its sender and DKIM key, the subscribers and the draft campaign;
/// returns (organization id, campaign id, campaign public id).
async fn seed(db: &Db, recipients: usize) -> (i64, i64, String) {
    let settings = kehilla_app::Settings::default();
    let author = kehilla_db::users::create(&db.pool, "bench@example.org", "Bench", "x", "he")
        .await
        .unwrap();
    let org = kehilla_db::orgs::create(&db.pool, "yad", "יד ביד")
        .await
        .unwrap();
    kehilla_db::orgs::set_legal_settings(
        &db.pool,
        org.id,
        &LegalSettings {
            registered_nonprofit: 1,
            legal_name: "עמותת יד ביד (ע\"ר 580000000)".into(),
            contact_details: "רחוב הנביאים 1, ירושלים · 02-5000000".into(),
        },
    )
    .await
    .unwrap();
    kehilla_db::messaging::save_sender(&db.pool, org.id, "יד ביד", "news@bench.example", "", "")
        .await
        .unwrap();
    let (pem, public) = tokio::task::spawn_blocking(kehilla_app::messaging::sender::generate_key)
        .await
        .unwrap()
        .unwrap();
    let sealed = kehilla_app::secrets::Sealer::of_instance(db, &settings)
        .await
        .unwrap()
        .seal(&pem)
        .unwrap();
    kehilla_db::messaging::save_dkim(&db.pool, org.id, "bench.example", "k1", &sealed, &public)
        .await
        .unwrap();

    // The subscribers: 40 people per statement (240 values: sqlx binds SQLite parameters by
    // name, see the import section), 10,000 per transaction; then one consent each.
    let names = ["נועה", "דן", "רות", "אבי", "תמר", "יוסף", "מאיה", "עומר"];
    let now = now_ms();
    let mut i = 0usize;
    while i < recipients {
        let mut tx = db.begin().await.unwrap();
        let end = (i + 10_000).min(recipients);
        while i < end {
            let rows = (end - i).min(40);
            let values: Vec<String> = (0..rows)
                .map(|r| {
                    let b = r * 6;
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5,
                        b + 6,
                        b + 5
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO people (public_id, organization_id, first_name, email, created_at, \
                 lang, updated_at) VALUES {}",
                values.join(", ")
            );
            let mut q = kehilla_db::sqlx::query(kehilla_db::sqlx::AssertSqlSafe(sql));
            for k in i..i + rows {
                q = q
                    .bind(kehilla_db::new_public_id())
                    .bind(org.id)
                    .bind(format!("{}{k}", names[k % names.len()]))
                    .bind(format!("p{k}@example.org"))
                    .bind(now)
                    .bind("he");
            }
            q.execute(&mut *tx).await.unwrap();
            i += rows;
        }
        tx.commit().await.unwrap();
    }
    kehilla_db::sqlx::query(
        "INSERT INTO consents (organization_id, person_id, channel, purpose, given, source, created_at) \
         SELECT organization_id, id, 'email', 'newsletter', 1, 'form', $2 FROM people \
         WHERE organization_id = $1",
    )
    .bind(org.id)
    .bind(now)
    .execute(&db.pool)
    .await
    .unwrap();

    let c = kehilla_db::messaging::create(
        &db.pool,
        org.id,
        author.id,
        &CampaignData {
            format: "markdown",
            attachments: "",
            name: "עדכון דצמבר",
            channel: "email",
            purpose: "newsletter",
            lang: "he",
            subject: "{{ person.first_name }}, מה חדש ביד ביד",
            body: BODY,
            advertising: false,
            segment: "",
        },
    )
    .await
    .unwrap();
    (org.id, c.id, c.public_id)
}

async fn sent_count(db: &Db, campaign: i64) -> i64 {
    let (n,): (i64,) = kehilla_db::sqlx::query_as(
        "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = $1 AND status = 'sent'",
    )
    .bind(campaign)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    n
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("campaign benchmark: run it with `cargo bench -p kehilla --bench campaign`");
        return;
    }
    let rest: Vec<&String> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let arg = |i: usize, default: &str| {
        rest.get(i)
            .map(|s| s.to_string())
            .unwrap_or_else(|| default.to_string())
    };
    let recipients: usize = arg(0, "100000").parse().unwrap();
    let connections: usize = arg(1, "8").parse().unwrap();
    let quickack = match arg(2, "quickack").as_str() {
        "quickack" => true,
        "plain" => false,
        other => panic!("{other}: the sink is quickack or plain"),
    };
    assert!(recipients > 1 && (1..=64).contains(&connections));
    let work = std::env::temp_dir().join(format!("kehilla-bench-campaign-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let url = format!("sqlite://{}/kehilla.sqlite3?mode=rwc", work.display());
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();

    let seeding = Instant::now();
    let (org, campaign, public_id) = seed(&db, recipients).await;
    let seeded = seeding.elapsed();
    // "Send now", as the campaign page does once its checks pass.
    let now = now_ms();
    assert!(
        kehilla_db::messaging::schedule(&db.pool, org, &public_id, now, true)
            .await
            .unwrap()
    );
    kehilla_app::messaging::send::wake(&db, campaign, org, now)
        .await
        .unwrap();

    let (port, tally) = sink(recipients, quickack).await;
    let relay = format!("smtp://127.0.0.1:{port}?connections={connections}");
    let ticks = clock_ticks();
    let me = std::process::id().to_string();
    let spawned_ms = now_ms();
    let spawned = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kehilla"))
        .arg("serve")
        .env("KEHILLA_DATABASE_URL", &url)
        .env("KEHILLA_DATA_DIR", work.join("data"))
        .env("KEHILLA_LISTEN", "127.0.0.1:0")
        .env("KEHILLA_BASE_URL", "https://kehilla.bench.example")
        .env("KEHILLA_BOUNCE_DOMAIN", "b.bench.example")
        .env("KEHILLA_CAMPAIGN_RELAYS", &relay)
        .env("KEHILLA_LOG_LEVEL", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();

    // Poll the send log; sample the server's CPU time and resident memory as it goes.
    let expected = i64::try_from(recipients).unwrap();
    let deadline = Duration::from_secs(1800);
    let mut peak_rss = 0u64;
    // (messages sent, server CPU s, bench CPU s) when the first message was seen and the last.
    let mut first: Option<(i64, f64, f64)> = None;
    let last: (i64, f64, f64);
    loop {
        peak_rss = peak_rss.max(memory(&pid, "VmRSS"));
        let sent = sent_count(&db, campaign).await;
        if sent > 0 && first.is_none() {
            first = Some((sent, cpu_seconds(&pid, ticks), cpu_seconds(&me, ticks)));
        }
        if sent >= expected {
            last = (sent, cpu_seconds(&pid, ticks), cpu_seconds(&me, ticks));
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("kehilla serve ended ({status}) after {sent} of {expected} messages");
        }
        assert!(
            spawned.elapsed() < deadline,
            "only {sent} of {expected} sent after {} s",
            deadline.as_secs()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The run ends the campaign (`sent`) once nothing is queued.
    let mut status = String::new();
    for _ in 0..100 {
        status = kehilla_db::messaging::by_id(&db.pool, campaign)
            .await
            .unwrap()
            .status;
        if status == "sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let hwm = memory(&pid, "VmHWM");
    let cpu_total = cpu_seconds(&pid, ticks);
    let _ = child.kill();
    let _ = child.wait();
    let peak = hwm.max(peak_rss);

    let (started_at, first_sent, last_sent): (Option<i64>, Option<i64>, Option<i64>) =
        kehilla_db::sqlx::query_as(
            "SELECT (SELECT started_at FROM campaigns WHERE id = $1), MIN(sent_at), MAX(sent_at) \
             FROM campaign_recipients WHERE campaign_id = $1",
        )
        .bind(campaign)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (started_at, first_sent, last_sent) =
        (started_at.unwrap(), first_sent.unwrap(), last_sent.unwrap());
    let figures = kehilla_db::messaging::figures(&db.pool, campaign)
        .await
        .unwrap();
    let (messages, signed, bytes) = tally.snapshot();
    let once = tally
        .per_recipient
        .iter()
        .filter(|n| n.load(Ordering::Relaxed) == 1)
        .count();
    let repeated = tally
        .per_recipient
        .iter()
        .filter(|n| n.load(Ordering::Relaxed) > 1)
        .count();
    let product_connections = tally.connections.load(Ordering::Relaxed);
    let average = (bytes / messages.max(1)) as usize;

    // The ceiling: the same sink and number of connections, up to 20,000 messages, nothing made.
    let tries = recipients.min(20_000);
    let elapsed = ceiling(port, tries, connections, fixed_message(average)).await;
    let (after, _, after_bytes) = tally.snapshot();
    assert_eq!(after - messages, tries as u64, "the ceiling's messages");
    let ceiling_rate = tries as f64 / elapsed.as_secs_f64();
    let ceiling_size = (after_bytes - bytes) / tries as u64;

    let sustained_s = (last_sent - first_sent) as f64 / 1000.0;
    let rate = (recipients - 1) as f64 / sustained_s.max(0.001);
    let (n0, cpu0, me0) = first.unwrap();
    let (n1, cpu1, me1) = last;
    let sending_cpu = cpu1 - cpu0;
    let in_window = (n1 - n0).max(1) as f64;
    let total_s = (last_sent - spawned_ms) as f64 / 1000.0;
    println!(
        "campaign: {recipients} recipients, RSA-2048 DKIM, 1 tracked link, open pixel, \
         {connections} connections, {} sink; seeded in {:.1} s; the server opened \
         {product_connections} SMTP connections",
        if quickack { "quickack" } else { "plain" },
        seeded.as_secs_f64()
    );
    println!(
        "timeline: start-up {:.1} s, snapshot + preparation {:.1} s, sending {sustained_s:.1} s \
         (first to last message)",
        (started_at - spawned_ms) as f64 / 1000.0,
        (first_sent - started_at) as f64 / 1000.0,
    );
    println!();
    println!("| | |");
    println!("|---|---|");
    println!("| Recipients | {recipients} |");
    println!("| Total time (process start to last message) | {total_s:.1} s |");
    println!("| Sustained rate (first to last message) | {rate:.0} msg/s |");
    println!(
        "| CPU per 1,000 messages, while sending | {:.2} s ({sending_cpu:.1} s in all) |",
        sending_cpu / in_window * 1000.0
    );
    println!(
        "| CPU per 1,000 messages, whole run | {:.2} s ({cpu_total:.1} s in all) |",
        cpu_total / recipients as f64 * 1000.0
    );
    println!("| Peak resident memory (VmHWM) | {:.1} MB |", mb(peak));
    println!("| Average message | {average} bytes |");
    println!(
        "| Ceiling: no-op lettre client, same sink, {connections} connections, {tries} \
         {ceiling_size}-byte messages | {ceiling_rate:.0} msg/s |"
    );
    println!(
        "| Our rate as a fraction of the ceiling | {:.1}% |",
        rate / ceiling_rate * 100.0
    );
    println!();
    println!(
        "bench process (sink + polling) used {:.1} CPU s while the server sent",
        me1 - me0
    );
    println!(
        "targets: >= 1,000 msg/s sustained: {}; < 150 MB peak: {}",
        if rate >= 1000.0 { "met" } else { "NOT met" },
        if mb(peak) < 150.0 { "met" } else { "NOT met" }
    );
    println!(
        "sink: {messages} messages, {signed} with a DKIM-Signature header, {once} recipients \
         exactly once, {repeated} more than once; send log: {} sent, {} deferred, {} failed; \
         campaign {status}",
        figures.sent, figures.deferred, figures.failed
    );
    assert_eq!(messages, recipients as u64, "the sink took every message");
    assert_eq!(signed, messages, "every message signed");
    assert_eq!(once, recipients, "every recipient exactly once");
    assert_eq!(status, "sent");
    let _ = std::fs::remove_dir_all(&work);
}
