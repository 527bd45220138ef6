//! One-time codes for activation and password reset. A challenge lives in the session
//! store (any node can check it); only the digest of its code is kept. Codes expire, allow
//! `MAX_ATTEMPTS` guesses, and may be re-sent `MAX_SENDS` times an hour.
//!
//! A challenge can be a decoy: started for an address that has no account, it looks the
//! same to the browser and never verifies, so the pages do not reveal who has an account.
use rand::Rng;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::delivery::{Channel, Delivery, Message};
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::session::Kind;
use crate::storage::sql::hex;
use crate::storage::{ct_eq, digest, random_token};

pub const CODE_TTL: i64 = 600;
pub const MAX_ATTEMPTS: u64 = 5;
pub const MAX_SENDS: u64 = 3;
const SEND_WINDOW: i64 = 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    Activation,
    Reset,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Challenge {
    pub id: String,
    pub purpose: Purpose,
    pub tenant_id: String,
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
}

pub struct Recipient<'a> {
    pub user_id: Option<&'a str>,
    pub channel: Channel,
    pub to: &'a str,
}

/// Where a challenge is started: tenant, workspace, pool, browser and pages.
pub struct Origin<'a> {
    pub tenant: &'a str,
    pub workspace: &'a str,
    pub pool: &'a str,
    pub browser: &'a str,
    pub flow: Option<&'a str>,
    pub pages: &'a str,
}

/// Six random digits.
fn new_code() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
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
    pub async fn start(state: &AppState, purpose: Purpose, at: Origin<'_>, to: Recipient<'_>) -> Result<Challenge, AppError> {
        let code = new_code();
        let c = Challenge {
            id: random_token(18),
            purpose,
            tenant_id: at.tenant.into(),
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
        };
        state.sessions.put(Kind::Otp, &c.id, &c, CODE_TTL).await?;
        state.sessions.incr(Kind::Counter, &format!("otp-sends:{}", c.id), SEND_WINDOW).await?;
        c.deliver(state, &code);
        Ok(c)
    }

    pub async fn load(state: &AppState, id: &str) -> Result<Option<Challenge>, AppError> {
        if id.is_empty() || id.len() > 64 {
            return Ok(None);
        }
        Ok(state.sessions.get::<Challenge>(Kind::Otp, id).await?.filter(|c| c.expires_at > state.now()))
    }

    /// Forms of this challenge are accepted only from its browser with its CSRF token.
    pub fn accepts(&self, browser: &str, csrf: &str) -> bool {
        ct_eq(self.browser.as_bytes(), browser.as_bytes()) & ct_eq(self.csrf.as_bytes(), csrf.as_bytes())
    }

    /// A new code replaces the old one, within the hourly send limit. False when limited.
    pub async fn resend(mut self, state: &AppState) -> Result<bool, AppError> {
        if state.sessions.incr(Kind::Counter, &format!("otp-sends:{}", self.id), SEND_WINDOW).await? > MAX_SENDS {
            return Ok(false);
        }
        let code = new_code();
        self.code_sha256 = hex(&digest(&code));
        self.expires_at = state.now() + CODE_TTL;
        state.sessions.put(Kind::Otp, &self.id, &self, CODE_TTL).await?;
        self.deliver(state, &code);
        Ok(true)
    }

    /// Checks a code. The challenge is spent on success and dropped after too many misses.
    pub async fn verify(self, state: &AppState, code: &str) -> Result<Verified, AppError> {
        let attempts = state.sessions.incr(Kind::Counter, &format!("otp-attempts:{}", self.id), CODE_TTL).await?;
        if attempts > MAX_ATTEMPTS {
            state.sessions.delete(Kind::Otp, &self.id).await?;
            return Ok(Verified::Locked);
        }
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let matches = ct_eq(hex(&digest(&code)).as_bytes(), self.code_sha256.as_bytes());
        if !matches || self.user_id.is_none() {
            return Ok(if attempts == MAX_ATTEMPTS {
                state.sessions.delete(Kind::Otp, &self.id).await?;
                Verified::Locked
            } else {
                Verified::Wrong { left: MAX_ATTEMPTS - attempts }
            });
        }
        // GETDEL: of two concurrent correct submissions, one wins.
        Ok(match state.sessions.consume::<Challenge>(Kind::Otp, &self.id).await? {
            Some(c) => Verified::Ok(Box::new(c)),
            None => Verified::Locked,
        })
    }

    /// Sends off the request path: the response must not wait on (or reveal) delivery.
    fn deliver(&self, state: &AppState, code: &str) {
        let Some(_) = &self.user_id else {
            return;
        };
        let (subject, text, link) = match self.purpose {
            Purpose::Activation => (
                "Your activation code".to_owned(),
                format!("Your activation code is {code}. It expires in {} minutes.", CODE_TTL / 60),
                None,
            ),
            Purpose::Reset => {
                let link = format!("{}/reset/confirm?challenge={}&code={code}", self.pages, self.id);
                (
                    "Reset your password".to_owned(),
                    format!("Your password reset code is {code}. It expires in {} minutes. Or open {link}\nIf you did not ask for this, ignore this message.", CODE_TTL / 60),
                    Some(link),
                )
            }
        };
        let msg = Message {
            channel: self.channel,
            to: self.to.clone(),
            tenant: self.tenant_id.clone(),
            purpose: match self.purpose {
                Purpose::Activation => "activation".into(),
                Purpose::Reset => "reset".into(),
            },
            subject,
            text,
            code: Some(code.to_owned()),
            link,
        };
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

pub enum Verified {
    Ok(Box<Challenge>),
    Wrong { left: u64 },
    /// Too many attempts, or already used.
    Locked,
}

#[cfg(test)]
mod tests {
    use super::*;

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
