//! Production email: SMTP submission through lettre.
//!
//! The server is given as a URL (`PORTCULLIS_SMTP_URL`):
//!
//! | URL | transport |
//! |---|---|
//! | `smtp://user:pass@host` | STARTTLS, required (no plaintext fallback); port 587 |
//! | `smtp://host:port?tls=starttls` | the same, spelled out |
//! | `smtps://user:pass@host` | implicit TLS; port 465 |
//! | `smtp://127.0.0.1:2525?tls=none` | plaintext, loopback hosts only (a local relay, tests) |
//!
//! STARTTLS is never opportunistic: a server that does not offer it fails the send rather
//! than receive credentials and one-time codes in clear (a downgrade an attacker on the path
//! could force).
use super::{Delivery, Message, is_loopback};
use crate::error::AppError;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::fmt;
use std::time::Duration;
use url::Url;

/// Time allowed to open the connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for a whole send (connection, TLS, dialogue): lettre bounds only the
/// connection, and a stalled server must not hold a sign-in request forever.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plaintext, then STARTTLS; the send fails if the upgrade is not offered.
    StartTls,
    /// TLS from the first byte (`smtps://`).
    ImplicitTls,
    /// No TLS at all; loopback hosts only.
    None,
}

/// A parsed and checked `PORTCULLIS_SMTP_URL`.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// User and password, percent-decoded.
    pub credentials: Option<(String, String)>,
}

/// The password never shows.
impl fmt::Debug for SmtpTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpTarget")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .finish_non_exhaustive()
    }
}

impl SmtpTarget {
    /// Parses an SMTP URL (see the module documentation). The error says what is wrong
    /// without repeating the URL, which may hold a password; the caller adds the name of
    /// the setting.
    pub fn parse(input: &str) -> Result<Self, String> {
        let url = Url::parse(input).map_err(|e| format!("not a URL ({e})"))?;
        let implicit = match url.scheme() {
            "smtp" => false,
            "smtps" => true,
            other => return Err(format!("smtp:// or smtps:// expected, not {other}://")),
        };
        let host = url.host().ok_or("a host is required")?;
        if !matches!(url.path(), "" | "/") || url.fragment().is_some() {
            return Err("no path or fragment expected after the host".into());
        }
        let mut tls = None;
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "tls" if tls.is_none() => tls = Some(value.into_owned()),
                "tls" => return Err("tls is given twice".into()),
                other => return Err(format!("unknown parameter {other} (only tls is known)")),
            }
        }
        let security = match (implicit, tls.as_deref()) {
            (true, None) => SmtpSecurity::ImplicitTls,
            (true, Some(_)) => {
                return Err("smtps:// always uses implicit TLS: drop the tls parameter".into());
            }
            (false, None | Some("starttls")) => SmtpSecurity::StartTls,
            (false, Some("none")) => SmtpSecurity::None,
            (false, Some(other)) => {
                return Err(format!("tls must be starttls or none, not {other}"));
            }
        };
        if security == SmtpSecurity::None && !is_loopback(&host) {
            return Err(
                "tls=none is allowed only for a loopback host (127.0.0.1, ::1, localhost)".into(),
            );
        }
        let port = url.port().unwrap_or(if implicit { 465 } else { 587 });
        let credentials = match (url.username(), url.password()) {
            ("", None) => None,
            ("", Some(_)) => return Err("a password without a user name".into()),
            (_, None) => return Err("a user name without a password".into()),
            (user, Some(password)) => Some((
                percent_decode(user).ok_or("the user name is not valid percent-encoded UTF-8")?,
                percent_decode(password)
                    .ok_or("the password is not valid percent-encoded UTF-8")?,
            )),
        };
        let host = match host {
            url::Host::Domain(d) => d.to_string(),
            url::Host::Ipv4(ip) => ip.to_string(),
            // Bare, without the URL's brackets: this is what the resolver and TLS expect.
            url::Host::Ipv6(ip) => ip.to_string(),
        };
        Ok(SmtpTarget {
            host,
            port,
            security,
            credentials,
        })
    }
}

/// `%XX` decoding of URL user info (no `+` for space: that is a form rule, not a URL one).
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Sends email as text/plain through an SMTP server.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    host: String,
    port: u16,
}

impl Smtp {
    /// `url`: see [`SmtpTarget::parse`]; `from`: a mailbox such as
    /// `Portcullis <no-reply@example.com>`.
    ///
    /// Errors: `AppError::Internal` naming the bad setting.
    pub fn from_url(url: &str, from: &str) -> Result<Self, AppError> {
        let endpoint =
            SmtpTarget::parse(url).map_err(|e| AppError::internal("smtp url").because(e))?;
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| AppError::internal("mail from address").because(e))?;
        Self::new(endpoint, from)
    }

    pub fn new(endpoint: SmtpTarget, from: Mailbox) -> Result<Self, AppError> {
        let tls_parameters = || {
            TlsParameters::new(endpoint.host.clone())
                .map_err(|e| AppError::internal(format!("smtp tls for {}", endpoint.host)).because(e))
        };
        let tls = match endpoint.security {
            SmtpSecurity::StartTls => Tls::Required(tls_parameters()?),
            SmtpSecurity::ImplicitTls => Tls::Wrapper(tls_parameters()?),
            SmtpSecurity::None => Tls::None,
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(endpoint.host.clone())
                .port(endpoint.port)
                .tls(tls)
                .timeout(Some(CONNECT_TIMEOUT));
        if let Some((user, password)) = endpoint.credentials {
            builder = builder.credentials(Credentials::new(user, password));
        }
        Ok(Smtp {
            transport: builder.build(),
            from,
            host: endpoint.host,
            port: endpoint.port,
        })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

#[async_trait::async_trait]
impl Delivery for Smtp {
    async fn send(&self, message: &Message) -> Result<(), AppError> {
        let to = message
            .to
            .parse::<Mailbox>()
            .map_err(|e| AppError::invalid("/to", format!("is not a mailbox: {e}")))?;
        // The tenant's sender, else the configured one (a tenant sender is validated when
        // stored; one that does not parse falls back rather than losing the mail).
        let from = message.from.as_ref().and_then(|s| Some(Mailbox::new(Some(s.name.clone()), s.address.parse().ok()?))).unwrap_or_else(|| self.from.clone());
        let builder = lettre::Message::builder().from(from).to(to).subject(message.subject.clone());
        let built = match &message.html {
            // RFC 2046 §5.1.4: alternatives in order of increasing preference, plain text first.
            Some(html) => builder.multipart(lettre::message::MultiPart::alternative_plain_html(message.text.clone(), html.clone())),
            None => builder.header(ContentType::TEXT_PLAIN).body(message.text.clone()),
        };
        let email = built.map_err(|e| AppError::internal("smtp: cannot build the message").because(e))?;
        match tokio::time::timeout(SEND_TIMEOUT, self.transport.send(email)).await {
            Err(_) => Err(AppError::internal(format!(
                "smtp {}:{}: no answer within {} s",
                self.host,
                self.port,
                SEND_TIMEOUT.as_secs()
            ))),
            Ok(Err(e)) => Err(AppError::internal(format!("smtp {}:{}", self.host, self.port)).because(e)),
            Ok(Ok(_)) => {
                tracing::info!(channel = "email", tenant = %message.tenant, purpose = %message.purpose, "mail sent");
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Channel;
    use super::super::test_support::message;
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    #[test]
    fn urls_map_to_the_documented_transports() {
        let ok = |u: &str| SmtpTarget::parse(u).unwrap();
        let e = ok("smtp://mailer:p%40ss%2Fw0rd@mail.example.com");
        assert_eq!(
            (e.host.as_str(), e.port, e.security),
            ("mail.example.com", 587, SmtpSecurity::StartTls)
        );
        assert_eq!(e.credentials, Some(("mailer".into(), "p@ss/w0rd".into())));
        assert_eq!(
            ok("smtp://mail.example.com:25").security,
            SmtpSecurity::StartTls
        );
        assert_eq!(ok("smtp://mail.example.com:2525?tls=starttls").port, 2525);
        let e = ok("smtps://mail.example.com");
        assert_eq!((e.port, e.security), (465, SmtpSecurity::ImplicitTls));
        let e = ok("smtp://127.0.0.1:2525?tls=none");
        assert_eq!(
            (e.host.as_str(), e.port, e.security),
            ("127.0.0.1", 2525, SmtpSecurity::None)
        );
        assert_eq!(ok("smtp://[::1]:25?tls=none").host, "::1");
        assert_eq!(
            ok("smtp://localhost:25?tls=none").security,
            SmtpSecurity::None
        );
    }

    #[test]
    fn bad_urls_are_rejected_without_echoing_secrets() {
        for (url, why) in [
            ("smtp://mail.example.com?tls=none", "loopback"),
            ("smtp://10.0.0.5:25?tls=none", "loopback"),
            ("http://mail.example.com", "smtp:// or smtps://"),
            (
                "smtp://mail.example.com?tls=opportunistic",
                "starttls or none",
            ),
            ("smtp://mail.example.com?tls=starttls&tls=none", "twice"),
            ("smtps://mail.example.com?tls=starttls", "implicit"),
            ("smtp://mail.example.com?timeout=5", "unknown parameter"),
            ("smtp://mail.example.com/helo", "no path"),
            ("smtp://user@mail.example.com", "without a password"),
            ("smtp://:hunter2@mail.example.com", "without a user"),
            ("smtp://u:hunter2%ZZ@mail.example.com", "percent-encoded"),
            ("mail.example.com", "not a URL"),
        ] {
            let e = SmtpTarget::parse(url).unwrap_err();
            assert!(e.contains(why), "{url}: {e}");
            assert!(!e.contains("hunter2"), "{url}: {e}");
        }
        let shown = format!(
            "{:?}",
            SmtpTarget::parse("smtp://u:hunter2@mail.example.com").unwrap()
        );
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    /// A minimal SMTP server: one session, returns the DATA it received.
    async fn fake_smtp() -> (u16, tokio::task::JoinHandle<(Vec<String>, String)>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let (read, mut write) = stream.into_split();
            let mut lines = BufReader::new(read);
            write.write_all(b"220 fake.test ESMTP\r\n").await.unwrap();
            let mut commands = Vec::new();
            let mut data = String::new();
            loop {
                let mut line = String::new();
                if lines.read_line(&mut line).await.unwrap() == 0 {
                    break;
                }
                let command = line.trim_end().to_string();
                let verb = command
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_uppercase();
                commands.push(command);
                let answer: &[u8] = match verb.as_str() {
                    "EHLO" | "HELO" => b"250 fake.test\r\n",
                    "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                    "DATA" => {
                        write.write_all(b"354 go ahead\r\n").await.unwrap();
                        while !data.ends_with("\r\n.\r\n") {
                            let mut l = String::new();
                            assert!(
                                lines.read_line(&mut l).await.unwrap() > 0,
                                "EOF inside DATA"
                            );
                            data.push_str(&l);
                        }
                        b"250 queued\r\n"
                    }
                    "QUIT" => {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    }
                    _ => b"500 unknown command\r\n",
                };
                write.write_all(answer).await.unwrap();
            }
            (commands, data)
        });
        (port, handle)
    }

    #[tokio::test]
    async fn sends_a_text_mail_with_the_subject_over_a_loopback_relay() {
        let (port, server) = fake_smtp().await;
        let smtp = Smtp::from_url(
            &format!("smtp://127.0.0.1:{port}?tls=none"),
            "Portcullis <no-reply@localhost>",
        )
        .unwrap();
        smtp.send(&message(Channel::Email, "alice@example.com", "314159"))
            .await
            .unwrap();
        let (commands, data) = server.await.unwrap();
        assert!(commands[0].starts_with("EHLO "), "{commands:?}");
        assert!(
            commands
                .iter()
                .any(|c| c == "MAIL FROM:<no-reply@localhost>"),
            "{commands:?}"
        );
        assert!(
            commands.iter().any(|c| c == "RCPT TO:<alice@example.com>"),
            "{commands:?}"
        );
        assert!(data.contains("Subject: Your activation code\r\n"), "{data}");
        assert!(data.contains("Your code is 314159."), "{data}");
        assert!(data.contains("Content-Type: multipart/alternative"), "{data}");
        assert!(
            data.contains("Content-Type: text/plain; charset=utf-8"),
            "{data}"
        );
        assert!(data.contains("Content-Type: text/html; charset=utf-8"), "{data}");
        assert!(data.find("text/plain") < data.find("text/html"), "plain text first: {data}");
        assert!(
            data.contains("From: Portcullis <no-reply@localhost>"),
            "{data}"
        );
        assert!(data.contains("To: alice@example.com"), "{data}");
    }

    #[tokio::test]
    async fn a_recipient_that_is_not_a_mailbox_is_a_data_error() {
        let smtp = Smtp::from_url("smtp://127.0.0.1:9?tls=none", "no-reply@localhost").unwrap();
        let err = smtp
            .send(&message(Channel::Email, "+15550100", "1"))
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Invalid(_)), "{err}");
    }

    #[tokio::test]
    async fn an_unreachable_server_is_an_error_naming_it() {
        // Bind then drop to get a port nobody listens on.
        let port = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let smtp = Smtp::from_url(
            &format!("smtp://127.0.0.1:{port}?tls=none"),
            "no-reply@localhost",
        )
        .unwrap();
        let err = smtp
            .send(&message(Channel::Email, "alice@example.com", "1"))
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains(&format!("127.0.0.1:{port}")),
            "{err}"
        );
    }
}
