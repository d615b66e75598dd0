//! The server's own mail (password resets, invitations). Campaign mail is a later capability
//! with its own pipeline; this is the plain transactional path.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::{AppError, Result};

#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// No SMTP relay is configured: the message went to the server log.
    Logged,
}

impl Mailer {
    pub fn new(smtp_url: Option<&str>, from: &str) -> std::result::Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("mail_from is not an address: {e}"))?;
        let transport = match smtp_url {
            Some(url) if !url.trim().is_empty() => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
                    .map_err(|e| format!("smtp_url is not valid: {e}"))?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build(),
            ),
            _ => None,
        };
        Ok(Mailer { transport, from })
    }

    pub fn is_configured(&self) -> bool {
        self.transport.is_some()
    }

    /// The relay, or the server log when none is configured (the text part is logged).
    /// `build` makes the message from the recipient and a builder that has the subject.
    async fn deliver(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        build: impl FnOnce(
            Mailbox,
            lettre::message::MessageBuilder,
        ) -> std::result::Result<Message, lettre::error::Error>,
    ) -> Result<Delivery> {
        let Some(transport) = &self.transport else {
            tracing::warn!(
                target: "kehilla::mail",
                to,
                subject,
                "no SMTP relay configured; the message follows:\n{text}"
            );
            return Ok(Delivery::Logged);
        };
        let to: Mailbox = to.parse().map_err(|_| AppError::MailFailed)?;
        let msg = build(to, Message::builder().subject(subject))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        // lettre limits only connecting; a relay that goes silent must not hold the job.
        match tokio::time::timeout(std::time::Duration::from_secs(60), transport.send(msg)).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                tracing::error!(error = %e, "sending mail failed");
                return Err(AppError::MailFailed);
            }
            Err(_) => {
                tracing::error!("the mail relay did not answer within 60 s");
                return Err(AppError::MailFailed);
            }
        }
        Ok(Delivery::Sent)
    }

    fn plain(body: &str) -> SinglePart {
        SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .header(ContentTransferEncoding::Base64)
            .body(body.to_string())
    }

    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<Delivery> {
        self.deliver(to, subject, body, |to, b| {
            b.from(self.from.clone())
                .to(to)
                .singlepart(Self::plain(body))
        })
        .await
    }

    /// Sends a plain-text email with one file attached (`multipart/mixed`).
    pub async fn send_with_attachment(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<Delivery> {
        let kind = ContentType::parse(content_type)
            .map_err(|e| AppError::Internal(format!("attachment type: {e}")))?;
        self.deliver(to, subject, body, |to, b| {
            b.from(self.from.clone()).to(to).multipart(
                lettre::message::MultiPart::mixed()
                    .singlepart(Self::plain(body))
                    .singlepart(
                        lettre::message::Attachment::new(file_name.to_string()).body(bytes, kind),
                    ),
            )
        })
        .await
    }

    /// Sends an email with a plain-text and an HTML part (`multipart/alternative`), marked with
    /// its language.
    pub async fn send_alternative(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        html: &str,
        lang: &str,
    ) -> Result<Delivery> {
        let language = if lang == "en" { "en" } else { "he" };
        self.deliver(to, subject, text, |to, b| {
            b.from(self.from.clone())
                .to(to)
                .header(ContentLanguage(language.to_string()))
                .multipart(
                    MultiPart::alternative()
                        .singlepart(Self::plain(text))
                        .singlepart(
                            SinglePart::builder()
                                .header(ContentType::TEXT_HTML)
                                .header(ContentTransferEncoding::Base64)
                                .body(html.to_string()),
                        ),
                )
        })
        .await
    }

    /// An answer from the inbox: from the organization's name at the server's address, with
    /// our own `Message-ID` (kept, so that a reply to it finds its conversation), threaded under
    /// the message it answers, and `Reply-To` the inbox's address when there is one.
    #[allow(clippy::too_many_arguments)]
    pub async fn send_answer(
        &self,
        to: &str,
        from_name: &str,
        reply_to: Option<&str>,
        subject: &str,
        body: &str,
        message_id: &str,
        in_reply_to: &str,
    ) -> Result<Delivery> {
        let from = Mailbox::new(Some(from_name.to_string()), self.from.email.clone());
        self.deliver(to, subject, body, |to, b| {
            let mut b = b
                .from(from)
                .to(to)
                .message_id(Some(format!("<{message_id}>")));
            if let Some(r) = reply_to.and_then(|r| r.parse::<Mailbox>().ok()) {
                b = b.reply_to(r);
            }
            if !in_reply_to.is_empty() {
                b = b
                    .in_reply_to(format!("<{in_reply_to}>"))
                    .references(format!("<{in_reply_to}>"));
            }
            b.singlepart(Self::plain(body))
        })
        .await
    }
}

/// The `Content-Language` header (RFC 3282).
#[derive(Debug, Clone)]
struct ContentLanguage(String);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Content-Language")
    }
    fn parse(s: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.to_string()))
    }
    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}
