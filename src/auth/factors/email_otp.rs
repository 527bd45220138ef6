//! Codes by email as a second factor (`email_otp`), and what SMS codes (`sms_otp`) share
//! with them: a one-time code (`identity::otp`, purpose `SecondFactor`) sent to the
//! user's VERIFIED address of the factor's channel, within the same limits as every other
//! code (sends per address and per client IP an hour, guesses per challenge, per address
//! and per client IP).
//!
//! Who may do what: a code is sent only for a flow that offers this factor now, to the user
//! that flow is about, at the address their account holds verified (never an address the
//! browser names). A code proves only the address it was sent to, and only for the flow it
//! was sent for: the challenge records the flow, the user, the channel and the address, and
//! a code is accepted only while all four still match (an address changed since, another
//! flow, another user, another factor's challenge: refused). A right code is spent once.
use crate::delivery::Channel;
use crate::error::AppError;
use crate::identity::deps::Deps;
use crate::identity::otp::{self, Challenge, Checked, Purpose, Recipient};
use crate::storage::User;
use crate::storage::session::Kind;

/// The flow's live code of one factor, checked as a second factor within the per-user
/// throttle (`auth::second::verify`, which counts and audits around `check`).
pub struct FlowCode<'a> {
    pub factor: &'a CodeFactor,
    pub deps: &'a Deps<'a>,
    pub flow_id: &'a str,
    pub user: &'a User,
    /// The client IP (the codes' own guess limits count per IP too).
    pub ip: &'a str,
}

#[async_trait::async_trait]
impl crate::auth::second::SecondFactor for FlowCode<'_> {
    fn name(&self) -> &'static str {
        self.factor.name
    }

    /// Six digits (spaces allowed between them).
    fn well_formed(&self, code: &str) -> bool {
        let digits: Vec<char> = code.chars().filter(|c| !c.is_whitespace()).collect();
        digits.len() == 6 && digits.iter().all(char::is_ascii_digit)
    }

    async fn check(&self, _ports: &crate::auth::second::Ports<'_>, tenant: &crate::model::TenantId, user_id: &str, code: &str) -> Result<bool, AppError> {
        // Only the flow's user, of this tenant: `verify` names them, the flow did too.
        if user_id != self.user.id || *tenant != self.user.tenant_id {
            return Ok(false);
        }
        Ok(self.factor.verify(self.deps, self.flow_id, self.user, code, self.ip).await? == Verified::Passed)
    }
}

/// A factor that proves possession of an address by a code sent to it.
pub struct CodeFactor {
    /// `email_otp` or `sms_otp`.
    pub name: &'static str,
    pub channel: Channel,
}

pub static EMAIL_OTP: CodeFactor = CodeFactor { name: crate::auth::assurance::EMAIL_OTP, channel: Channel::Email };

/// Whether a code was (or is) on its way.
pub enum Sent {
    /// A code of this flow is still live: not sent again (a reload of the page).
    Live(Box<Challenge>),
    /// A new code was sent.
    Sent(Box<Challenge>),
    /// The address or the client IP had its hourly share of messages.
    Limited,
}

/// The answer to an entered code.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    /// The right code: spent, the factor passed.
    Passed,
    Wrong { left: u64 },
    /// Too many guesses, or spent by a concurrent request: a new code must be asked for.
    Locked,
    /// No live code of this flow (expired, or never sent).
    NoCode,
}

impl CodeFactor {
    /// The user's verified address of this factor's channel, if any.
    pub fn address<'u>(&self, user: &'u User) -> Option<&'u str> {
        match self.channel {
            Channel::Email => user.email.as_deref().filter(|_| user.email_verified),
            Channel::Sms => user.phone.as_deref().filter(|_| user.phone_verified),
        }
    }

    /// Where the id of the flow's live challenge of this factor is kept.
    fn pointer(&self, flow_id: &str) -> String {
        format!("mfa-{}:{flow_id}", self.name)
    }

    /// The live challenge of `flow_id` for `user`, if it still fits: sent for this flow, to
    /// this user, by this channel, to the address the account holds verified now.
    pub async fn current(&self, deps: &Deps<'_>, flow_id: &str, user: &User) -> Result<Option<Challenge>, AppError> {
        let Some(to) = self.address(user) else {
            return Ok(None);
        };
        let Some(id) = deps.sessions.get::<String>(Kind::Otp, &self.pointer(flow_id)).await? else {
            return Ok(None);
        };
        let c = Challenge::load(deps, &id).await?;
        Ok(c.filter(|c| {
            c.purpose == Purpose::SecondFactor
                && c.flow.as_deref() == Some(flow_id)
                && c.user_id.as_deref() == Some(user.id.as_str())
                && c.channel == self.channel
                && c.to == to
                && c.tenant_id == user.tenant_id
        }))
    }

    /// Sends a code for `flow_id` to the user's verified address, unless one is live.
    /// Errors: the stores'; `Invalid` when the user has no verified address of this kind.
    pub async fn send(&self, deps: &Deps<'_>, at: otp::Origin<'_>, flow_id: &str, user: &User, ip: &str) -> Result<Sent, AppError> {
        if let Some(c) = self.current(deps, flow_id, user).await? {
            return Ok(Sent::Live(Box::new(c)));
        }
        self.start(deps, at, flow_id, user, ip).await
    }

    async fn start(&self, deps: &Deps<'_>, at: otp::Origin<'_>, flow_id: &str, user: &User, ip: &str) -> Result<Sent, AppError> {
        let to = self.address(user).ok_or_else(|| AppError::invalid("", "no verified address for this factor"))?;
        if !otp::allow_send(deps, to, ip).await? {
            return Ok(Sent::Limited);
        }
        let at = otp::Origin { flow: Some(flow_id), ..at };
        let c = Challenge::start(deps, Purpose::SecondFactor, at, Recipient { user_id: Some(&user.id), channel: self.channel, to, registration: None }).await?;
        deps.sessions.put(Kind::Otp, &self.pointer(flow_id), &c.id, otp::CODE_TTL).await?;
        Ok(Sent::Sent(Box::new(c)))
    }

    /// A new code for the flow (within the challenge's and the address's send limits); a
    /// new challenge when the last one is gone. False when limited.
    pub async fn resend(&self, deps: &Deps<'_>, at: otp::Origin<'_>, flow_id: &str, user: &User, ip: &str) -> Result<bool, AppError> {
        match self.current(deps, flow_id, user).await? {
            Some(c) => c.resend(deps, ip).await,
            None => Ok(!matches!(self.start(deps, at, flow_id, user, ip).await?, Sent::Limited)),
        }
    }

    /// Checks an entered code against the flow's live challenge; a right one is spent.
    pub async fn verify(&self, deps: &Deps<'_>, flow_id: &str, user: &User, code: &str, ip: &str) -> Result<Verified, AppError> {
        let Some(c) = self.current(deps, flow_id, user).await? else {
            return Ok(Verified::NoCode);
        };
        match c.check(deps, code, ip).await? {
            Checked::Right => match c.spend(deps).await? {
                Some(_) => {
                    deps.sessions.delete(Kind::Otp, &self.pointer(flow_id)).await?;
                    Ok(Verified::Passed)
                }
                None => Ok(Verified::Locked),
            },
            Checked::Wrong { left } => Ok(Verified::Wrong { left }),
            Checked::Locked => {
                deps.sessions.delete(Kind::Otp, &self.pointer(flow_id)).await?;
                Ok(Verified::Locked)
            }
        }
    }
}
