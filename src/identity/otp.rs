//! One-time codes for activation and password reset. A challenge lives in the session
//! store (any node can check it); only the digest of its code is kept. Codes expire, allow
//! `MAX_ATTEMPTS` guesses, and may be re-sent `MAX_SENDS` times an hour.
//!
//! Limits that no new challenge resets (each new challenge would otherwise bring fresh
//! guesses and messages): an address receives at most `MAX_SENDS_PER_ADDRESS` messages an
//! hour; one client IP asks for at most `MAX_SENDS_PER_IP` messages an hour, and a request
//! refused by the IP limit does not count against the address (a flood from one network
//! cannot spend other people's share). An address takes at most `MAX_GUESSES_PER_CLIENT`
//! guesses an hour from one client IP and `MAX_GUESSES_PER_ADDRESS` from all together,
//! across all its challenges. They are counted for decoys exactly as for real accounts, so
//! hitting one says nothing about whether an account exists.
//!
//! A challenge can be a decoy: started for an address that has no account, it looks the
//! same to the browser and never verifies, so the pages do not reveal who has an account.
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::delivery::{Channel, Delivery, Message, Sender};
use crate::texts::{self, MailKind};
use crate::error::AppError;
use super::deps::Deps;
use crate::storage::session::Kind;
use crate::crypto::hex;
use crate::crypto::{ct_eq, digest, random_token};

pub const CODE_TTL: i64 = 600;
pub const MAX_ATTEMPTS: u64 = 5;
pub const MAX_SENDS: u64 = 3;
/// Messages (codes, links, "you already have an account" notices) an address may receive
/// per hour, across every challenge and purpose.
pub const MAX_SENDS_PER_ADDRESS: u64 = 5;
/// Messages one client IP may cause per hour.
pub const MAX_SENDS_PER_IP: u64 = 30;
/// Code guesses an address takes per hour from one client IP, across every challenge.
pub const MAX_GUESSES_PER_CLIENT: u64 = 10;
/// Code guesses an address takes per hour from everywhere, across every challenge.
pub const MAX_GUESSES_PER_ADDRESS: u64 = 30;
const SEND_WINDOW: i64 = 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    Activation,
    Reset,
    /// A second factor during a sign-in (`email_otp`, `sms_otp`): the code goes to a
    /// verified address of the user the flow is about, and counts only in that flow.
    #[serde(rename = "second_factor")]
    SecondFactor,
}

/// `Debug` hides the challenge id (it lets a browser enter codes), the code's digest (six
/// digits are quickly found from it), the CSRF token and the id of the flow to resume.
#[derive(Clone, Serialize, Deserialize)]
pub struct Challenge {
    pub id: String,
    pub purpose: Purpose,
    pub tenant_id: crate::model::TenantId,
    pub workspace_id: String,
    pub pool_id: String,
    /// `None` for a decoy.
    pub user_id: Option<String>,
    pub channel: Channel,
    pub to: String,
    code_sha256: String,
    pub expires_at: i64,
    /// The sign-in flow to resume afterwards, if any.
    pub flow: Option<String>,
    /// Digest of the browser id: the challenge continues only in the browser that started it.
    pub browser: String,
    /// CSRF token of the challenge's forms.
    pub csrf: String,
    /// Base URL of the workspace's pages, for links in messages.
    pub pages: String,
    /// A self-registration waiting for this code: what the account becomes when the code
    /// is entered (see `registration`).
    #[serde(default)]
    pub registration: Option<PendingRegistration>,
    /// How its messages speak (the page that started it decided).
    #[serde(default)]
    pub voice: Voice,
}

/// How messages speak: in the locale of the page that caused them, from the tenant's
/// sender, signed with its name.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Voice {
    /// A supported locale tag (`locale::LOCALES`); English when empty or unknown.
    pub locale: String,
    /// The tenant's `mail_from`; the configured sender when None.
    pub from: Option<Sender>,
    /// The name mails are signed with (the sender's name, or the theme's product name).
    pub signature: String,
    /// How mails look: the theme of the page that caused them (`Voice::themed`).
    #[serde(default)]
    pub brand: texts::Brand,
    /// The theme's text overrides that messages read (they apply to mails and SMS as to
    /// pages): only those of `locale` and only of [`MESSAGE_KEYS`]. A voice travels in
    /// every challenge kept in the session store, decoys included, which anyone can start;
    /// so it is bounded: at most `MESSAGE_KEYS.len()` texts of `MAX_OVERRIDE_CHARS`, not a
    /// theme's whole catalogue in every locale.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub texts: texts::Overrides,
}

/// The catalogue keys mails and SMS are made of (`texts::render_mail`); a lock notice's
/// factor label is put in by the page, in its own texts.
pub const MESSAGE_KEYS: &[&str] = &[
    "mail-activation-subject",
    "mail-activation-text",
    "mail-reset-subject",
    "mail-reset-text",
    "mail-reset-link",
    "mail-existing-subject",
    "mail-existing-text",
    "mail-existing-link",
    "mail-invite-subject",
    "mail-invite-text",
    "mail-invite-link",
    "mail-signin-subject",
    "mail-signin-text",
    "mail-ignore",
    "mail-signature",
    "sms-activation",
    "sms-reset",
    "sms-signin",
    "mfa-locked-mail-subject",
    "mfa-locked-mail-text",
];

impl Voice {
    /// Messages in `locale` from `from`, looking like `theme` (its product name, logo and
    /// light colours, its text overrides); `public_url` makes the logo's URL absolute.
    pub fn themed(locale: &str, from: Option<Sender>, theme: &crate::theme::Theme, public_url: &str) -> Voice {
        let signature = from.as_ref().map_or_else(|| theme.product_name.clone(), |s| s.name.clone());
        let base = public_url.trim_end_matches('/');
        // Mail clients show PNG and WebP, not SVG (which a theme's logo often is).
        let logo_url = Some(theme.logo_url.as_str())
            .filter(|u| !u.to_ascii_lowercase().ends_with(".svg"))
            .and_then(|u| if u.starts_with('/') && !u.starts_with("//") { Some(format!("{base}{u}")) } else { u.starts_with("https://").then(|| u.to_owned()) });
        let logo_height = theme.token("--pc-logo-height").and_then(css_pixels).unwrap_or(32);
        let colours = ["primary", "primary-contrast", "background", "surface", "text", "muted", "link", "border"]
            .iter()
            .filter_map(|c| theme.token(&format!("--pc-color-{c}")).map(|v| ((*c).to_owned(), v.to_owned())))
            .collect();
        let brand = texts::Brand { product_name: theme.product_name.clone(), logo_url, logo_height, colours };
        // The locale the message will speak (`texts::strings` falls back to the first).
        let lang = crate::locale::LOCALES.iter().copied().find(|l| *l == locale).unwrap_or(crate::locale::LOCALES[0]);
        let own: std::collections::BTreeMap<String, String> = theme
            .texts
            .get(lang)
            .map(|m| m.iter().filter(|(k, _)| MESSAGE_KEYS.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let texts = if own.is_empty() { texts::Overrides::new() } else { [(lang.to_owned(), own)].into() };
        Voice { locale: locale.into(), from, signature, brand, texts }
    }

    /// A message of `purpose` for `to`, rendered in this voice.
    pub fn message(&self, channel: Channel, to: &str, tenant: &str, purpose: &str, kind: &MailKind<'_>) -> Message {
        let t = texts::strings(&self.locale, &[&self.texts]);
        let m = texts::render_mail(&t, kind, &self.signature, &self.brand);
        let sms = channel == Channel::Sms;
        Message {
            channel,
            to: to.into(),
            tenant: tenant.into(),
            purpose: purpose.into(),
            subject: m.subject,
            text: if sms { m.sms } else { m.text },
            html: (!sms).then_some(m.html),
            locale: t.lang.into(),
            from: self.from.clone(),
            code: None,
            link: None,
        }
    }
}

/// A CSS length in pixels, for a mail (`2rem` → 32, `40px` → 40).
fn css_pixels(v: &str) -> Option<u32> {
    let v = v.trim();
    let (n, scale) = if let Some(n) = v.strip_suffix("rem").or_else(|| v.strip_suffix("em")) { (n, 16.0) } else if let Some(n) = v.strip_suffix("px") { (n, 1.0) } else { return None };
    let px = n.trim().parse::<f64>().ok()? * scale;
    (px.is_finite() && px > 0.0).then(|| px.round().min(96.0) as u32)
}

impl std::fmt::Debug for Challenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Challenge { id: _, purpose, tenant_id, workspace_id, pool_id, user_id, channel, to, code_sha256: _, expires_at, flow, browser, csrf: _, pages, registration, voice } = self;
        f.debug_struct("Challenge")
            .field("id", &crate::redact::Redacted)
            .field("purpose", purpose)
            .field("tenant_id", tenant_id)
            .field("workspace_id", workspace_id)
            .field("pool_id", pool_id)
            .field("user_id", user_id)
            .field("channel", channel)
            .field("to", to)
            .field("code_sha256", &crate::redact::Redacted)
            .field("expires_at", expires_at)
            .field("flow", &crate::redact::option(flow))
            .field("browser", browser)
            .field("csrf", &crate::redact::Redacted)
            .field("pages", pages)
            .field("registration", registration)
            .field("voice", voice)
            .finish()
    }
}

/// The credentials and profile of one registration, applied to the account only when the
/// code of its own challenge is entered.
#[derive(Clone, Serialize, Deserialize)]
pub struct PendingRegistration {
    pub username: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub payload: serde_json::Map<String, serde_json::Value>,
    pub password_hash: String,
}

/// The hash stays out of logs.
impl std::fmt::Debug for PendingRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingRegistration").field("username", &self.username).finish_non_exhaustive()
    }
}

pub struct Recipient<'a> {
    pub user_id: Option<&'a str>,
    pub channel: Channel,
    pub to: &'a str,
    pub registration: Option<PendingRegistration>,
}

/// Counts one message about to be sent to `to` at the request of `ip`, before anything is
/// sent (also for decoys, whose messages are never sent): false when the address or the IP
/// has had its hourly share.
pub async fn allow_send(state: &Deps<'_>, to: &str, ip: &str) -> Result<bool, AppError> {
    if state.sessions.incr(Kind::Counter, &format!("otp-ip:{}", hex(&digest(ip))), SEND_WINDOW).await? > MAX_SENDS_PER_IP {
        return Ok(false);
    }
    Ok(state.sessions.incr(Kind::Counter, &format!("otp-addr:{}", hex(&digest(to))), SEND_WINDOW).await? <= MAX_SENDS_PER_ADDRESS)
}

/// Where the id of the one registration challenge of a pending account that still counts
/// is kept: a newer registration moves it, which voids every earlier challenge.
fn current_key(user_id: &str) -> String {
    format!("current:{user_id}")
}

/// Where a challenge is started: tenant, workspace, pool, browser and pages.
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    pub tenant: &'a crate::model::TenantId,
    pub workspace: &'a str,
    pub pool: &'a str,
    pub browser: &'a str,
    pub flow: Option<&'a str>,
    pub pages: &'a str,
    /// How the challenge's messages speak.
    pub voice: &'a Voice,
}

/// Six random digits.
fn new_code() -> String {
    format!("{:06}", crate::crypto::random_below(1_000_000))
}

/// Masked address for pages: `a•••@example.com`, `+49•••56`.
pub fn mask(to: &str) -> String {
    match to.split_once('@') {
        Some((local, domain)) => format!("{}•••@{domain}", local.chars().next().unwrap_or('•')),
        None => {
            let chars: Vec<char> = to.chars().collect();
            let head: String = chars.iter().take(3).collect();
            let tail: String = chars.iter().skip(chars.len().saturating_sub(2)).collect();
            format!("{head}•••{tail}")
        }
    }
}

impl Challenge {
    pub async fn start(state: &Deps<'_>, purpose: Purpose, at: Origin<'_>, to: Recipient<'_>) -> Result<Challenge, AppError> {
        let code = new_code();
        let c = Challenge {
            id: random_token(18),
            purpose,
            tenant_id: at.tenant.clone(),
            workspace_id: at.workspace.into(),
            pool_id: at.pool.into(),
            user_id: to.user_id.map(str::to_owned),
            channel: to.channel,
            to: to.to.into(),
            code_sha256: hex(&digest(&code)),
            expires_at: state.now() + CODE_TTL,
            flow: at.flow.map(str::to_owned),
            browser: at.browser.into(),
            csrf: random_token(18),
            pages: at.pages.into(),
            registration: to.registration,
            voice: at.voice.clone(),
        };
        state.sessions.put(Kind::Otp, &c.id, &c, CODE_TTL).await?;
        c.make_current(state).await?;
        state.sessions.incr(Kind::Counter, &format!("otp-sends:{}", c.id), SEND_WINDOW).await?;
        c.deliver(state, &code);
        Ok(c)
    }

    /// A registration challenge becomes the one that counts for its account.
    async fn make_current(&self, state: &Deps<'_>) -> Result<(), AppError> {
        match (&self.registration, &self.user_id) {
            (Some(_), Some(uid)) => state.sessions.put(Kind::Otp, &current_key(uid), &self.id, CODE_TTL).await,
            _ => Ok(()),
        }
    }

    /// Whether no newer registration replaced this one (registration challenges only).
    pub async fn is_current(&self, state: &Deps<'_>) -> Result<bool, AppError> {
        let Some(uid) = &self.user_id else {
            return Ok(false);
        };
        let current: Option<String> = state.sessions.get(Kind::Otp, &current_key(uid)).await?;
        Ok(current.is_some_and(|id| ct_eq(id.as_bytes(), self.id.as_bytes())))
    }

    /// Forgets which registration counts for the account (it was activated).
    pub async fn retire(&self, state: &Deps<'_>) -> Result<(), AppError> {
        match &self.user_id {
            Some(uid) => state.sessions.delete(Kind::Otp, &current_key(uid)).await,
            None => Ok(()),
        }
    }

    pub async fn load(state: &Deps<'_>, id: &str) -> Result<Option<Challenge>, AppError> {
        if id.is_empty() || id.len() > 64 {
            return Ok(None);
        }
        Ok(state.sessions.get::<Challenge>(Kind::Otp, id).await?.filter(|c| c.expires_at > state.now()))
    }

    /// Forms of this challenge are accepted only from its browser with its CSRF token.
    pub fn accepts(&self, browser: &str, csrf: &str) -> bool {
        ct_eq(self.browser.as_bytes(), browser.as_bytes()) & ct_eq(self.csrf.as_bytes(), csrf.as_bytes())
    }

    /// A new code replaces the old one, within the challenge's and the address's hourly
    /// send limits. False when limited.
    pub async fn resend(mut self, state: &Deps<'_>, ip: &str) -> Result<bool, AppError> {
        if state.sessions.incr(Kind::Counter, &format!("otp-sends:{}", self.id), SEND_WINDOW).await? > MAX_SENDS || !allow_send(state, &self.to, ip).await? {
            return Ok(false);
        }
        let code = new_code();
        self.code_sha256 = hex(&digest(&code));
        self.expires_at = state.now() + CODE_TTL;
        state.sessions.put(Kind::Otp, &self.id, &self, CODE_TTL).await?;
        if self.is_current(state).await? {
            self.make_current(state).await?;
        }
        self.deliver(state, &code);
        Ok(true)
    }

    /// Counts a guess and compares it, without spending the challenge: a right code stays
    /// usable (a reset can then ask again for a password the policy refused). The guess
    /// counts against the challenge and against its address; a decoy never matches, so it
    /// answers exactly like a real challenge given a wrong code.
    pub async fn check(&self, state: &Deps<'_>, code: &str, ip: &str) -> Result<Checked, AppError> {
        // Increment first, then compare: concurrent guesses each take an attempt.
        let attempts = state.sessions.incr(Kind::Counter, &format!("otp-attempts:{}", self.id), CODE_TTL).await?;
        let address = hex(&digest(&self.to));
        let from_client = state.sessions.incr(Kind::Counter, &format!("otp-guesses:{address}:{}", hex(&digest(ip))), SEND_WINDOW).await?;
        if from_client > MAX_GUESSES_PER_CLIENT {
            return Ok(Checked::Locked);
        }
        let guesses = state.sessions.incr(Kind::Counter, &format!("otp-guesses:{address}"), SEND_WINDOW).await?;
        if attempts > MAX_ATTEMPTS || guesses > MAX_GUESSES_PER_ADDRESS {
            state.sessions.delete(Kind::Otp, &self.id).await?;
            return Ok(Checked::Locked);
        }
        let code: String = code.chars().filter(|c| !c.is_whitespace()).take(16).collect();
        let matches = ct_eq(hex(&digest(&code)).as_bytes(), self.code_sha256.as_bytes());
        if matches && self.user_id.is_some() {
            return Ok(Checked::Right);
        }
        if attempts == MAX_ATTEMPTS || guesses == MAX_GUESSES_PER_ADDRESS {
            state.sessions.delete(Kind::Otp, &self.id).await?;
            return Ok(Checked::Locked);
        }
        let left = (MAX_ATTEMPTS - attempts).min(MAX_GUESSES_PER_ADDRESS - guesses).min(MAX_GUESSES_PER_CLIENT - from_client);
        if left == 0 {
            return Ok(Checked::Locked);
        }
        Ok(Checked::Wrong { left })
    }

    /// Spends the challenge (GETDEL): of two concurrent uses of a right code, one wins.
    pub async fn spend(self, state: &Deps<'_>) -> Result<Option<Challenge>, AppError> {
        state.sessions.consume::<Challenge>(Kind::Otp, &self.id).await
    }

    /// Sends off the request path: the response must not wait on (or reveal) delivery.
    fn deliver(&self, state: &Deps<'_>, code: &str) {
        let Some(_) = &self.user_id else {
            return;
        };
        let minutes = CODE_TTL / 60;
        let link = format!("{}/reset/confirm?challenge={}&code={code}", self.pages, self.id);
        let (purpose, kind, link) = match self.purpose {
            Purpose::Activation => ("activation", MailKind::Activation { code, minutes }, None),
            Purpose::Reset => ("reset", MailKind::Reset { code, minutes, link: &link }, Some(link.clone())),
            Purpose::SecondFactor => ("second_factor", MailKind::SignInCode { code, minutes }, None),
        };
        let mut msg = self.voice.message(self.channel, &self.to, &self.tenant_id.to_string(), purpose, &kind);
        msg.code = Some(code.to_owned());
        msg.link = link;
        send_later(state.delivery.clone(), msg);
    }
}

/// Queues a message on the runtime; failures are logged (the user can ask for a resend).
pub fn send_later(delivery: Arc<dyn Delivery>, msg: Message) {
    tokio::spawn(async move {
        if let Err(e) = delivery.send(&msg).await {
            tracing::warn!(error = %e, purpose = %msg.purpose, "message delivery failed");
        }
    });
}

/// A guess, not yet spent.
pub enum Checked {
    Right,
    Wrong { left: u64 },
    /// Too many attempts (on the challenge or its address), or already used.
    Locked,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_themed_voice_speaks_the_themes_texts_in_mails_and_sms_and_wears_its_colours() {
        let layer = crate::theme::ThemeSpec {
            product_name: Some("ACME".into()),
            logo_url: Some("/static/t/acme/abc.png".into()),
            tokens: [("--pc-color-primary".to_owned(), "#8a1538".to_owned()), ("--pc-logo-height".to_owned(), "3rem".to_owned())].into(),
            texts: [("es".to_owned(), [("sms-reset".to_owned(), "ACME: tu código es { $code } (válido { $minutes } min).".to_owned())].into())].into(),
            ..Default::default()
        };
        let theme = crate::theme::resolve(&[crate::theme::builtin(), &layer]);
        let voice = Voice::themed("es", None, &theme, "https://id.example/");
        let kind = MailKind::Reset { code: "123456", minutes: 10, link: "https://id.example/r" };
        let sms = voice.message(Channel::Sms, "+34600000000", "acme", "reset", &kind);
        assert_eq!(sms.text, "ACME: tu código es 123456 (válido 10 min).");
        assert_eq!((sms.locale.as_str(), sms.html), ("es", None));
        let mail = voice.message(Channel::Email, "ana@example.com", "acme", "reset", &kind);
        let html = mail.html.unwrap();
        assert!(html.contains("background:#8a1538") && html.contains("<img src=\"https://id.example/static/t/acme/abc.png\" alt=\"ACME\" height=\"48\""), "{html}");
        assert!(mail.text.contains("ACME") && mail.subject == texts::builtin("es").mail_reset_subject, "signed with the product name, the subject not overridden");
        // Other locales keep the catalogue; an SVG logo gives way to the product name.
        let en = Voice::themed("en", None, &crate::theme::resolve(&[crate::theme::builtin()]), "https://id.example");
        let sms = en.message(Channel::Sms, "+1555", "acme", "reset", &kind);
        assert_eq!(sms.text, texts::builtin("en").sms_reset("123456", 10));
        assert!(en.brand.logo_url.is_none() && en.message(Channel::Email, "a@example.com", "acme", "reset", &kind).html.unwrap().contains(">Portcullis</p>"));
    }

    #[test]
    fn a_voice_keeps_only_the_message_texts_of_its_own_locale() {
        let long = "x".repeat(texts::MAX_OVERRIDE_CHARS);
        let mut all = texts::Overrides::new();
        for lang in crate::locale::LOCALES {
            all.insert((*lang).to_owned(), [("sign-in".to_owned(), long.clone()), ("sms-otp-title".to_owned(), long.clone()), ("mail-reset-subject".to_owned(), format!("{lang}: reset"))].into());
        }
        texts::validate_overrides("texts", &all).unwrap();
        let layer = crate::theme::ThemeSpec { texts: all, ..Default::default() };
        let theme = crate::theme::resolve(&[crate::theme::builtin(), &layer]);
        let voice = Voice::themed("de", None, &theme, "https://id.example");
        let kept: Vec<(&str, &str)> = voice.texts.iter().flat_map(|(l, m)| m.keys().map(move |k| (l.as_str(), k.as_str()))).collect();
        assert_eq!(kept, [("de", "mail-reset-subject")]);
        let kind = MailKind::Reset { code: "123456", minutes: 10, link: "https://id.example/r" };
        assert_eq!(voice.message(Channel::Email, "a@example.com", "acme", "reset", &kind).subject, "de: reset");
        // An unknown locale speaks English, with the English overrides.
        let en = Voice::themed("xx", None, &theme, "https://id.example");
        assert_eq!(en.message(Channel::Email, "a@example.com", "acme", "reset", &kind).subject, "en: reset");
        assert!(serde_json::to_string(&en).unwrap().len() < 2000, "no page texts in the stored voice");
        // Every message key is a catalogue key.
        for k in MESSAGE_KEYS {
            assert!(texts::validate_overrides("t", &[("en".to_owned(), [((*k).to_owned(), "{ $code }{ $minutes }{ $link }{ $days }{ $sender }{ $factor }".to_owned())].into())].into()).map_or_else(|e| !e.message.contains("not a text key"), |_| true), "{k}");
        }
    }

    #[test]
    fn codes_are_six_digits_and_addresses_are_masked() {
        for _ in 0..100 {
            let c = new_code();
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
        assert_eq!(mask("alice@example.com"), "a•••@example.com");
        assert_eq!(mask("+4930123456"), "+49•••56");
    }
}
