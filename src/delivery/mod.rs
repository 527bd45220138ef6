//! Delivery of mail and SMS (one-time codes, activation and recovery links).
//!
//! Everything that sends goes through the [`Delivery`] trait. In dev mode (the default)
//! messages land in an [`Outbox`]: one JSON file a message plus one log line. In production
//! email goes out over SMTP ([`Smtp`], lettre) and SMS through an HTTP webhook
//! ([`SmsWebhook`]); [`Router`] picks the transport by channel and [`from_settings`] wires
//! it from the delivery part of the configuration ([`Settings`]; `config` depends on this
//! module for its URL checks, so this module does not know `Config`).
//!
//! ```text
//!   Message ──► Router ──► Email ──► Smtp (PORTCULLIS_SMTP_URL set) | Outbox
//!                     └──► Sms   ──► SmsWebhook (PORTCULLIS_SMS_WEBHOOK_URL set) | Outbox
//! ```
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

mod outbox;
mod smtp;
mod webhook;

pub use outbox::{Outbox, read_outbox};
pub use smtp::{Smtp, SmtpSecurity, SmtpTarget};
pub use webhook::{SmsWebhook, check_webhook_url};

/// How a message reaches its recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a tenant's mail comes from (tenant setting `mail_from`; the configured
/// `PORTCULLIS_MAIL_FROM` when a tenant sets none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sender {
    /// Display name, e.g. "ACME Shop". At most 100 characters, no line breaks.
    pub name: String,
    /// Mailbox address, e.g. `no-reply@acme.example`.
    pub address: String,
}

impl Sender {
    /// Checks a sender setting: a short one-line name and a mailbox address.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.name.trim().is_empty() || self.name.chars().count() > 100 || self.name.chars().any(char::is_control) {
            return Err(("name", "a display name of 1 to 100 characters on one line".into()));
        }
        if self.address.len() > 254 || self.address.parse::<lettre::Address>().is_err() {
            return Err(("address", "a mailbox address such as no-reply@example.com".into()));
        }
        Ok(())
    }
}

/// One message to one recipient.
#[derive(Clone, Serialize, Deserialize)]
pub struct Message {
    pub channel: Channel,
    /// Email address or E.164 phone number.
    pub to: String,
    pub tenant: String,
    /// What the message is for: "activation", "reset", ...
    pub purpose: String,
    /// Email subject (ignored for SMS).
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body (mail only): sent as the `multipart/alternative` sibling of `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// The locale the message is written in.
    #[serde(default)]
    pub locale: String,
    /// The tenant's sender (mail only); the configured sender when None.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Sender>,
    /// The one-time code, if the message carries one. Kept in the outbox file so that dev
    /// tools and tests can read it; never logged.
    pub code: Option<String>,
    pub link: Option<String>,
}

/// Secrets never reach logs (STYLE.md 13): the body, the code and the link may each carry
/// a one-time credential, so `Debug` shows only that they are there.
impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |present: bool| if present { "<redacted>" } else { "<none>" };
        f.debug_struct("Message")
            .field("channel", &self.channel)
            .field("to", &self.to)
            .field("tenant", &self.tenant)
            .field("purpose", &self.purpose)
            .field("subject", &self.subject)
            .field("text", &redacted(!self.text.is_empty()))
            .field("html", &redacted(self.html.is_some()))
            .field("locale", &self.locale)
            .field("from", &self.from)
            .field("code", &redacted(self.code.is_some()))
            .field("link", &redacted(self.link.is_some()))
            .finish()
    }
}

/// A way to hand a message over for delivery.
#[async_trait::async_trait]
pub trait Delivery: Send + Sync {
    /// Sends (or, for the outbox, records) one message.
    ///
    /// Errors: `AppError::Invalid` (`/to`) when the recipient cannot be addressed on this channel (an
    /// email transport given something that is not a mailbox); `AppError::Internal` when
    /// the transport fails (file system, SMTP server, webhook unreachable, timed out or
    /// answering with a non-2xx status). The error text names the transport and never
    /// contains the message body, code or credentials.
    async fn send(&self, message: &Message) -> Result<(), AppError>;
}

/// Routes by channel: email to SMTP if configured else the outbox, SMS to the webhook if
/// configured else the outbox.
pub struct Router {
    email: Arc<dyn Delivery>,
    sms: Arc<dyn Delivery>,
}

impl Router {
    pub fn new(email: Arc<dyn Delivery>, sms: Arc<dyn Delivery>) -> Self {
        Router { email, sms }
    }
}

#[async_trait::async_trait]
impl Delivery for Router {
    async fn send(&self, message: &Message) -> Result<(), AppError> {
        match message.channel {
            Channel::Email => self.email.send(message).await,
            Channel::Sms => self.sms.send(message).await,
        }
    }
}

/// What the transports are built from: the delivery keys of the configuration.
#[derive(Clone, Copy)]
pub struct Settings<'a> {
    pub outbox_dir: &'a std::path::Path,
    pub smtp_url: Option<&'a str>,
    pub mail_from: &'a str,
    pub sms_webhook_url: Option<&'a str>,
    pub sms_webhook_token: Option<&'a str>,
}

/// Builds the delivery of a running server from its (already validated) configuration.
///
/// Errors: `AppError::Internal` when a configured transport cannot be built (which
/// validation at load should have caught).
pub fn from_settings(config: Settings<'_>) -> Result<Arc<dyn Delivery>, AppError> {
    let outbox: Arc<dyn Delivery> = Arc::new(Outbox::new(config.outbox_dir));
    let email: Arc<dyn Delivery> = match config.smtp_url {
        Some(url) => {
            let smtp = Smtp::from_url(url, config.mail_from)?;
            tracing::info!(host = %smtp.host(), port = smtp.port(), "email delivery: smtp");
            Arc::new(smtp)
        }
        None => {
            tracing::info!(dir = %config.outbox_dir.display(), "email delivery: outbox");
            outbox.clone()
        }
    };
    let sms: Arc<dyn Delivery> = match config.sms_webhook_url {
        Some(url) => {
            let webhook = SmsWebhook::new(url, config.sms_webhook_token.map(str::to_owned))?;
            tracing::info!(host = %webhook.host(), "sms delivery: webhook");
            Arc::new(webhook)
        }
        None => {
            tracing::info!(dir = %config.outbox_dir.display(), "sms delivery: outbox");
            outbox
        }
    };
    Ok(Arc::new(Router::new(email, sms)))
}

/// Whether a URL host is the loopback interface: the only place where plaintext SMTP and
/// plain-http webhooks are allowed (a local relay, a test server).
pub(crate) fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        // Non-special schemes such as smtp:// leave IPv4 addresses as opaque host names.
        url::Host::Domain(d) => {
            d.eq_ignore_ascii_case("localhost")
                || d.parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::{Channel, Message};

    pub fn message(channel: Channel, to: &str, code: &str) -> Message {
        Message {
            channel,
            to: to.into(),
            tenant: "acme".into(),
            purpose: "activation".into(),
            subject: "Your activation code".into(),
            text: format!("Your code is {code}."),
            html: Some(format!("<p>Your code is <b>{code}</b>.</p>")),
            locale: "en".into(),
            from: None,
            code: Some(code.into()),
            link: None,
        }
    }

    /// A temporary directory removed on drop (no tempfile crate in the tree).
    pub struct TempDir(pub std::path::PathBuf);

    impl TempDir {
        pub fn new(name: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("portcullis-{name}-{}", uuid::Uuid::new_v4()));
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{TempDir, message};
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A one-shot HTTP server: reads one request, answers with `status_line`, and returns
    /// the request head and body.
    async fn one_shot_http(
        status_line: &'static str,
    ) -> (String, tokio::task::JoinHandle<(String, String)>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        let handle = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            let head_end = loop {
                let n = stream.read(&mut chunk).await.unwrap();
                assert!(n > 0, "connection closed before the request head");
                buf.extend_from_slice(&chunk[..n]);
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i + 4;
                }
            };
            let head = String::from_utf8(buf[..head_end].to_vec()).unwrap();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            while buf.len() < head_end + length {
                let n = stream.read(&mut chunk).await.unwrap();
                assert!(n > 0, "connection closed before the request body");
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = String::from_utf8(buf[head_end..head_end + length].to_vec()).unwrap();
            let answer = format!("{status_line}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            stream.write_all(answer.as_bytes()).await.unwrap();
            stream.shutdown().await.unwrap();
            (head, body)
        });
        (url, handle)
    }

    #[tokio::test]
    async fn router_sends_sms_to_the_webhook_and_email_to_the_outbox() {
        let dir = TempDir::new("router");
        let (url, server) = one_shot_http("HTTP/1.1 204 No Content").await;
        let outbox: Arc<dyn Delivery> = Arc::new(Outbox::new(&dir.0));
        let webhook: Arc<dyn Delivery> =
            Arc::new(SmsWebhook::new(&url, Some("s3cret".into())).unwrap());
        let router = Router::new(outbox, webhook);

        router
            .send(&message(Channel::Sms, "+15550100", "123456"))
            .await
            .unwrap();
        let (head, body) = server.await.unwrap();
        assert!(head.starts_with("POST /sms HTTP/1.1\r\n"), "{head}");
        assert!(
            head.lines()
                .any(|l| l.eq_ignore_ascii_case("authorization: Bearer s3cret")),
            "{head}"
        );
        assert!(
            head.lines()
                .any(|l| l.eq_ignore_ascii_case("content-type: application/json")),
            "{head}"
        );
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "to": "+15550100",
                "text": "Your code is 123456.",
                "tenant": "acme",
                "purpose": "activation",
            })
        );
        // SMS went to the webhook, not the outbox.
        assert!(read_outbox(&dir.0).unwrap().is_empty());

        router
            .send(&message(Channel::Email, "alice@example.com", "654321"))
            .await
            .unwrap();
        let mails = read_outbox(&dir.0).unwrap();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].code.as_deref(), Some("654321"));
    }

    #[tokio::test]
    async fn a_webhook_answering_500_is_an_error_naming_the_status() {
        let (url, server) = one_shot_http("HTTP/1.1 500 Internal Server Error").await;
        let webhook = SmsWebhook::new(&url, None).unwrap();
        let router = Router::new(
            Arc::new(Outbox::new(&TempDir::new("unused").0)),
            Arc::new(webhook),
        );
        let err = router
            .send(&message(Channel::Sms, "+15550100", "123456"))
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("500"), "{text}");
        assert!(!text.contains("123456"), "{text}");
        let (head, _) = server.await.unwrap();
        assert!(
            !head.to_ascii_lowercase().contains("authorization:"),
            "{head}"
        );
    }

    #[tokio::test]
    async fn from_settings_defaults_to_the_outbox_for_both_channels() {
        let dir = TempDir::new("from-config");
        let path = dir.0.display().to_string();
        let config =
            crate::config::Config::from_env_map(&|k| (k == "PORTCULLIS_OUTBOX_DIR").then(|| path.clone()))
                .unwrap();
        let delivery = from_settings(config.delivery()).unwrap();
        delivery
            .send(&message(Channel::Email, "alice@example.com", "111111"))
            .await
            .unwrap();
        delivery
            .send(&message(Channel::Sms, "+15550100", "222222"))
            .await
            .unwrap();
        let sent = read_outbox(&config.outbox_dir).unwrap();
        let codes: Vec<_> = sent.iter().map(|m| m.code.as_deref().unwrap()).collect();
        assert_eq!(codes, ["111111", "222222"]);
    }

    #[test]
    fn debug_never_shows_codes_links_or_bodies() {
        let mut m = message(Channel::Email, "alice@example.com", "987654");
        m.link = Some("https://id.example.com/reset?token=abc".into());
        let shown = format!("{m:?}");
        assert!(
            !shown.contains("987654") && !shown.contains("token=abc"),
            "{shown}"
        );
        assert!(shown.contains("alice@example.com"));
    }

    #[test]
    fn loopback_hosts() {
        for (host, expected) in [
            ("localhost", true),
            ("127.0.0.1", true),
            ("127.1.2.3", true),
            ("[::1]", true),
            ("example.com", false),
            ("10.0.0.1", false),
            ("localhost.example.com", false),
        ] {
            for scheme in ["http", "smtp"] {
                let url = url::Url::parse(&format!("{scheme}://{host}/")).unwrap();
                assert_eq!(
                    is_loopback(&url.host().unwrap()),
                    expected,
                    "{scheme}://{host}"
                );
            }
        }
    }
}
