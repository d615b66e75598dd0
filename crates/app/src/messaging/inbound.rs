//! Bounces and complaints arrive by SMTP: an inbound listener (setting `inbound_smtp_listen`)
//! that takes mail for the per-recipient bounce addresses (`bounces+{token}@{bounce domain}`,
//! the domain's MX pointing at this server) and nothing else.
//!
//! A delivery status notification (RFC 3464, `multipart/report; report-type=delivery-status`)
//! that says `failed` with a 5.x.x status is a hard bounce: the recipient counts as bounced and
//! the address is suppressed. A `failed` with 4.x.x is a soft bounce: the message is sent again
//! later (up to the attempt limit). `delayed` and `delivered` change nothing. A complaint (an ARF
//! report, RFC 5965, `Feedback-Type: abuse`) suppresses the address. The recipient is found by
//! the VERP address, else by the original message's Message-ID (which carries the same token).
//! Nothing of the sending server (no address) is kept.

use std::time::Duration;

use kehilla_db::messaging as db;
use kehilla_db::{Db, now_ms};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::send::{recipient_of, retry_delay, token_key};

/// Largest message taken (reports are small; the original is often attached).
pub const MAX_MESSAGE: usize = 10 * 1024 * 1024;
/// Time allowed for each command.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// What a report says about one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// failed, 5.x.x
    Hard { status: String, diagnostic: String },
    /// failed, 4.x.x
    Soft { status: String, diagnostic: String },
    /// An ARF complaint.
    Complaint { kind: String },
    /// delayed, delivered, relayed, an auto-reply, or not a report.
    Nothing,
}

/// The fields of a `message/delivery-status` or `message/feedback-report` body.
fn fields(body: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in body.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = out.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    out
}

fn field<'a>(f: &'a [(String, String)], name: &str) -> Option<&'a str> {
    f.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Reads a report: what it says, and the token of the original message's Message-ID if it
/// carries one.
pub fn read(raw: &[u8]) -> (Report, Option<String>) {
    let Some(msg) = MessageParser::default().parse(raw) else {
        return (Report::Nothing, None);
    };
    let mut report = Report::Nothing;
    let mut original: Option<String> = None;
    for part in msg.parts.iter() {
        let (ctype, subtype) = match part.content_type() {
            Some(ct) => (
                ct.ctype().to_ascii_lowercase(),
                ct.subtype().unwrap_or_default().to_ascii_lowercase(),
            ),
            None => continue,
        };
        match (ctype.as_str(), subtype.as_str()) {
            ("message", "delivery-status") | ("message", "global-delivery-status") => {
                let text = String::from_utf8_lossy(part.contents()).to_string();
                let f = fields(&text);
                let action = field(&f, "action").unwrap_or("").to_ascii_lowercase();
                let status = field(&f, "status")
                    .unwrap_or("")
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string();
                let diagnostic: String = field(&f, "diagnostic-code")
                    .unwrap_or("")
                    .chars()
                    .take(300)
                    .collect();
                if action == "failed" {
                    report = if status.starts_with('4') {
                        Report::Soft { status, diagnostic }
                    } else {
                        Report::Hard { status, diagnostic }
                    };
                }
            }
            ("message", "feedback-report") => {
                let text = String::from_utf8_lossy(part.contents()).to_string();
                let f = fields(&text);
                let kind = field(&f, "feedback-type")
                    .unwrap_or("abuse")
                    .to_ascii_lowercase();
                report = Report::Complaint { kind };
            }
            ("message", "rfc822") | ("message", "global") => {
                if let PartType::Message(m) = &part.body
                    && let Some(id) = m.message_id()
                {
                    original = Some(id.to_string());
                }
            }
            ("text", "rfc822-headers") => {
                let text = String::from_utf8_lossy(part.contents()).to_string();
                if let Some(id) = field(&fields(&text), "message-id") {
                    original = Some(id.trim_matches(['<', '>']).to_string());
                }
            }
            _ => {}
        }
    }
    let token = original.and_then(|id| id.split('@').next().map(str::to_string));
    (report, token)
}

/// What a recipient address of the listener is: a bounce address, or the inbox's replies
/// address (`replies@…`, or `replies+{token}@…` with the campaign recipient's token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rcpt {
    Bounce(String),
    Reply(String),
}

/// Reads a recipient address of the listener.
pub fn rcpt(address: &str) -> Option<Rcpt> {
    if let Some(t) = verp_token(address) {
        return Some(Rcpt::Bounce(t.to_string()));
    }
    let local = address.trim().trim_matches(['<', '>']).split('@').next()?;
    let token = match local.to_ascii_lowercase().as_str() {
        "replies" => String::new(),
        l => l.strip_prefix("replies+")?.to_string(),
    };
    (token.len() <= 40 && token.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(Rcpt::Reply(token))
}

/// A reply to a campaign message or to an inbox answer: kept in the inbox. The author is the
/// `From` address; the conversation is the one of the message it answers (`In-Reply-To` /
/// `References`), else the author's last email conversation. Auto-replies are left out.
pub async fn take_reply(database: &Db, token: &str, raw: &[u8]) -> crate::Result<&'static str> {
    let Some(msg) = MessageParser::default().parse(raw) else {
        return Ok("unreadable");
    };
    let auto = msg
        .header_raw("Auto-Submitted")
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"))
        || msg.header_raw("X-Autoreply").is_some()
        || msg
            .content_type()
            .is_some_and(|c| c.ctype() == "multipart" && c.subtype() == Some("report"));
    if auto {
        return Ok("auto-reply");
    }
    let Some(from) = msg.from().and_then(|a| a.first()) else {
        return Ok("no-sender");
    };
    let Ok(address) = kehilla_domain::people::normalize_email(from.address().unwrap_or_default())
    else {
        return Ok("no-sender");
    };
    let name = from.name().unwrap_or_default().to_string();
    let key = token_key(database).await?;
    let mut refs: Vec<String> = Vec::new();
    if let Some(v) = msg.in_reply_to().as_text_list() {
        refs.extend(v.iter().map(|s| s.to_string()));
    }
    if let Some(v) = msg.references().as_text_list() {
        refs.extend(v.iter().rev().map(|s| s.to_string()));
    }
    // The campaign recipient: by the address's token, else by the Message-ID it answers.
    let recipient = recipient_of(&key, token).or_else(|| {
        refs.iter()
            .find_map(|r| recipient_of(&key, r.split('@').next().unwrap_or_default()))
    });
    // `From` can be anyone's: it is believed only when it is the address the message it
    // answers went to (the campaign's recipient, or the author of the conversation answered).
    let mut trusted = false;
    let mut org = match recipient {
        Some(id) => match db::recipient(&database.pool, id).await {
            Ok((org, _, to, _)) => {
                trusted = to.eq_ignore_ascii_case(&address);
                Some(org)
            }
            Err(kehilla_db::DbError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    // Or an answer of ours that it answers.
    let mut parent = String::new();
    for r in &refs {
        if let Some((o, conv)) = kehilla_db::inbox::email_answer(&database.pool, r).await? {
            let c = kehilla_db::inbox::conversation_by_id(&database.pool, conv).await?;
            let author = match c.identity_id {
                Some(i) => kehilla_db::inbox::identity_by_id(&database.pool, o, i)
                    .await
                    .map(|i| i.author_id)
                    .unwrap_or_default(),
                None => String::new(),
            };
            if author.eq_ignore_ascii_case(&address) {
                trusted = true;
                parent.clone_from(r);
            }
            org = org.or(Some(o));
            break;
        }
    }
    let Some(org) = org else {
        return Ok("unknown-recipient");
    };
    // An unproven sender is kept apart: not linked to the person with that address, not
    // joined to their conversation.
    let author = if trusted {
        address.clone()
    } else {
        format!("unverified:{address}")
    };
    let id = msg
        .message_id()
        .map(str::to_string)
        .unwrap_or_else(|| hex::encode(<sha2::Sha256 as sha2::Digest>::digest(raw)));
    let text = msg.body_text(0).map(|t| t.to_string()).unwrap_or_default();
    let subject = msg.subject().unwrap_or_default().to_string();
    crate::inbox::ingest(
        database,
        &crate::inbox::Incoming {
            org,
            source: "email",
            kind: "message",
            remote_id: &id,
            parent_remote_id: &parent,
            author_id: &author,
            handle: &address,
            name: &name,
            email: trusted.then_some(address.as_str()),
            subject: &subject,
            body: &strip_quoted(&text),
            at: msg.date().map(|d| d.to_timestamp() * 1000).unwrap_or(0),
            ..Default::default()
        },
    )
    .await?;
    Ok("reply")
}

/// A reply's own words: the quoted message below it (lines starting with `>` and the
/// "On … wrote:" line before them, in Hebrew or English) left out.
pub fn strip_quoted(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut end = lines.len();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        let intro = (t.starts_with("On ") && t.ends_with("wrote:"))
            || (t.starts_with("ב-") || t.starts_with("בתאריך")) && t.ends_with(":")
            || t == "-----Original Message-----";
        if t.starts_with('>') || intro {
            end = i;
            break;
        }
    }
    let kept = lines.get(..end).unwrap_or_default().join("\n");
    let kept = kept.trim();
    if kept.is_empty() {
        text.trim().to_string()
    } else {
        kept.to_string()
    }
}

/// The token of a bounce address (`bounces+{token}@…`), if it is one.
pub fn verp_token(address: &str) -> Option<&str> {
    let local = address.trim().trim_matches(['<', '>']).split('@').next()?;
    let token = local.strip_prefix("bounces+")?;
    (!token.is_empty() && token.len() <= 40 && token.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(token)
}

/// Acts on one message for one bounce address. Returns what it did, for the log and tests.
pub async fn handle(database: &Db, verp: Option<&str>, raw: &[u8]) -> crate::Result<&'static str> {
    let key = token_key(database).await?;
    let (report, original) = read(raw);
    let recipient = verp
        .and_then(|t| recipient_of(&key, t))
        .or_else(|| original.as_deref().and_then(|t| recipient_of(&key, t)));
    let Some(id) = recipient else {
        return Ok("unknown-recipient");
    };
    let (org, campaign, address, _) = match db::recipient(&database.pool, id).await {
        Ok(r) => r,
        Err(kehilla_db::DbError::NotFound) => return Ok("unknown-recipient"),
        Err(e) => return Err(e.into()),
    };
    Ok(match report {
        Report::Hard { status, diagnostic } => {
            db::mark(&database.pool, id, "bounced_at").await?;
            db::suppress(
                &database.pool,
                org,
                &address,
                "hard-bounce",
                &format!("{status} {diagnostic}"),
            )
            .await?;
            "hard-bounce"
        }
        Report::Soft { status, diagnostic } => {
            let again = db::resend(
                &database.pool,
                id,
                now_ms() + retry_delay(2),
                &format!("{status} {diagnostic}"),
            )
            .await?;
            if again {
                db::reopen(&database.pool, campaign).await?;
            }
            "soft-bounce"
        }
        Report::Complaint { .. } => {
            db::mark(&database.pool, id, "complained_at").await?;
            db::suppress(&database.pool, org, &address, "complaint", "").await?;
            "complaint"
        }
        Report::Nothing => "ignored",
    })
}

/// Serves SMTP on `listener` until `shutdown` turns true.
pub async fn serve(listener: TcpListener, database: Db, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let database = database.clone();
                tokio::spawn(async move {
                    if let Err(e) = session(stream, &database).await {
                        tracing::debug!(error = %e, "inbound SMTP session ended");
                    }
                });
            }
        }
    }
}

async fn reply(w: &mut tokio::net::tcp::OwnedWriteHalf, line: &str) -> std::io::Result<()> {
    w.write_all(line.as_bytes()).await?;
    w.write_all(b"\r\n").await
}

/// One SMTP session (RFC 5321, the commands a bounce needs).
async fn session(stream: tokio::net::TcpStream, database: &Db) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    reply(&mut w, "220 kehilla ESMTP ready").await?;
    let mut rcpts: Vec<Option<Rcpt>> = Vec::new();
    let mut from_seen = false;
    loop {
        let mut line = Vec::new();
        let n = tokio::time::timeout(COMMAND_TIMEOUT, r.read_until(b'\n', &mut line))
            .await
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "idle"))??;
        if n == 0 {
            return Ok(());
        }
        if line.len() > 1000 {
            reply(&mut w, "500 5.5.2 line too long").await?;
            continue;
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        let upper = text.to_ascii_uppercase();
        let verb = upper.split_whitespace().next().unwrap_or("");
        match verb {
            "EHLO" => {
                reply(
                    &mut w,
                    &format!(
                        "250-kehilla\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE {MAX_MESSAGE}"
                    ),
                )
                .await?
            }
            "HELO" => reply(&mut w, "250 kehilla").await?,
            "MAIL" if upper.starts_with("MAIL FROM:") => {
                from_seen = true;
                rcpts.clear();
                reply(&mut w, "250 2.1.0 OK").await?;
            }
            "RCPT" if upper.starts_with("RCPT TO:") => {
                if !from_seen {
                    reply(&mut w, "503 5.5.1 MAIL first").await?;
                    continue;
                }
                let addr = text
                    .get(8..)
                    .unwrap_or("")
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string();
                match rcpt(&addr) {
                    Some(t) if rcpts.len() < 100 => {
                        rcpts.push(Some(t));
                        reply(&mut w, "250 2.1.5 OK").await?;
                    }
                    Some(_) => reply(&mut w, "452 4.5.3 too many recipients").await?,
                    None => reply(&mut w, "550 5.1.1 no such mailbox here").await?,
                }
            }
            "DATA" => {
                if rcpts.is_empty() {
                    reply(&mut w, "554 5.5.1 no valid recipients").await?;
                    continue;
                }
                reply(&mut w, "354 end with <CRLF>.<CRLF>").await?;
                let mut data: Vec<u8> = Vec::new();
                let mut too_big = false;
                loop {
                    let mut l = Vec::new();
                    let n = tokio::time::timeout(COMMAND_TIMEOUT, r.read_until(b'\n', &mut l))
                        .await
                        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "data"))??;
                    if n == 0 {
                        return Ok(());
                    }
                    if l == b".\r\n" || l == b".\n" {
                        break;
                    }
                    let l = if l.starts_with(b"..") {
                        l.get(1..).unwrap_or_default().to_vec()
                    } else {
                        l
                    };
                    if data.len() + l.len() > MAX_MESSAGE {
                        too_big = true;
                    } else {
                        data.extend_from_slice(&l);
                    }
                }
                if too_big {
                    reply(&mut w, "552 5.3.4 message too big").await?;
                } else {
                    let mut failed = false;
                    for t in &rcpts {
                        let done = match t {
                            Some(Rcpt::Bounce(t)) => handle(database, Some(t), &data).await,
                            Some(Rcpt::Reply(t)) => take_reply(database, t, &data).await,
                            None => handle(database, None, &data).await,
                        };
                        match done {
                            Ok(what) => tracing::info!(target: "kehilla::bounces", what, "report"),
                            Err(e) => {
                                tracing::error!(error = %e, "handling a report failed");
                                failed = true;
                            }
                        }
                    }
                    if failed {
                        // The sender keeps it and tries again.
                        reply(&mut w, "451 4.3.0 try again later").await?;
                    } else {
                        reply(&mut w, "250 2.0.0 OK").await?;
                    }
                }
                rcpts.clear();
                from_seen = false;
            }
            "RSET" => {
                rcpts.clear();
                from_seen = false;
                reply(&mut w, "250 2.0.0 OK").await?;
            }
            "NOOP" => reply(&mut w, "250 2.0.0 OK").await?,
            "QUIT" => {
                reply(&mut w, "221 2.0.0 bye").await?;
                return Ok(());
            }
            "VRFY" => reply(&mut w, "252 2.1.5 cannot verify").await?,
            _ => reply(&mut w, "502 5.5.2 command not implemented").await?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DSN: &str = "From: MAILER-DAEMON@mx.example\r\n\
To: bounces+r1fx0123456789ab@bounce.example\r\n\
Subject: Undelivered Mail\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\
\r\n\
--B\r\n\
Content-Type: text/plain\r\n\
\r\n\
Your message could not be delivered.\r\n\
--B\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mx.example\r\n\
\r\n\
Final-Recipient: rfc822; gone@example.org\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>:\r\n\
\x20user unknown\r\n\
--B\r\n\
Content-Type: text/rfc822-headers\r\n\
\r\n\
Message-ID: <r1fx0123456789ab@bounce.example>\r\n\
Subject: hello\r\n\
--B--\r\n";

    #[test]
    fn a_dsn_is_a_hard_bounce_with_its_original() {
        let (r, original) = read(DSN.as_bytes());
        assert_eq!(
            r,
            Report::Hard {
                status: "5.1.1".into(),
                diagnostic: "smtp; 550 5.1.1 <gone@example.org>: user unknown".into()
            }
        );
        assert_eq!(original.as_deref(), Some("r1fx0123456789ab"));
        let soft = DSN.replace("Status: 5.1.1", "Status: 4.2.2");
        assert!(matches!(read(soft.as_bytes()).0, Report::Soft { .. }));
        let delayed = DSN.replace("Action: failed", "Action: delayed");
        assert_eq!(read(delayed.as_bytes()).0, Report::Nothing);
    }

    #[test]
    fn an_arf_report_is_a_complaint_and_anything_else_nothing() {
        let arf = "From: fbl@isp.example\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\r\n\r\n\
--F\r\nContent-Type: text/plain\r\n\r\nA complaint.\r\n\
--F\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nVersion: 1\r\n\
--F\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: <r2ax0123456789ab@b.example>\r\nSubject: x\r\n\r\nbody\r\n\
--F--\r\n";
        let (r, original) = read(arf.as_bytes());
        assert_eq!(
            r,
            Report::Complaint {
                kind: "abuse".into()
            }
        );
        assert_eq!(original.as_deref(), Some("r2ax0123456789ab"));
        assert_eq!(
            read(b"Subject: out of office\r\n\r\nback monday").0,
            Report::Nothing
        );
        assert_eq!(read(b"").0, Report::Nothing);
        assert_eq!(read(&[0xff, 0xfe, 0, 1, 2]).0, Report::Nothing);
    }

    #[test]
    fn bounce_addresses() {
        assert_eq!(verp_token("<bounces+r1fxab@b.example>"), Some("r1fxab"));
        assert_eq!(verp_token("bounces+@b.example"), None);
        assert_eq!(verp_token("postmaster@b.example"), None);
        assert_eq!(verp_token("<bounces+a.b@b.example>"), None);
    }
}
