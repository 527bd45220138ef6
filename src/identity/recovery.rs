//! Password recovery: a code (or a link carrying it) goes to a verified address of an
//! active account; every other case gets a decoy challenge that looks the same and never
//! verifies, so the answers do not reveal which addresses have accounts. Afterwards every
//! session and refresh token of the user is revoked (`lifecycle::replace_password`).
//!
//! Who may do what: anyone may ask for a code for any address (counted per address and
//! per client IP before anything is sent, decoys alike); only the browser the challenge
//! is bound to, with the right code, may set the new password.
use crate::delivery::Channel;
use crate::error::AppError;
use crate::identity::otp::{self, Challenge, Origin, Purpose, Recipient};
use crate::identity::{lifecycle, normalize_email, normalize_phone};
use super::deps::Deps;
use crate::storage::identity::{Lookup, Pool};
use crate::storage::{User, UserStatus};

/// Where a reset is asked for.
pub struct Asked<'a> {
    pub tenant: &'a crate::model::TenantId,
    pub workspace: &'a str,
    pub pools: &'a [String],
    /// The issuer URL, for links in the message.
    pub pages: &'a str,
    pub browser: &'a str,
    pub ip: &'a str,
    pub flow: Option<&'a str>,
    /// How the messages speak (the page's locale, the tenant's sender).
    pub voice: &'a otp::Voice,
}

pub enum Requested {
    /// A challenge (real or decoy) was started: show its code page.
    Started(Box<Challenge>),
    /// The input is neither an email address nor a phone number.
    NotAnAddress,
    /// Too many codes for this address or from this network.
    Limited,
}

/// Starts a reset for the email address or phone number `raw`.
pub async fn request(state: &Deps<'_>, at: Asked<'_>, raw: &str) -> Result<Requested, AppError> {
    let (by, channel, to) = if let Ok(e) = normalize_email(raw) {
        (Lookup::Email, Channel::Email, e)
    } else if let Ok(p) = normalize_phone(raw) {
        (Lookup::Phone, Channel::Sms, p)
    } else {
        return Ok(Requested::NotAnAddress);
    };
    let mut found = None;
    for pool in at.pools {
        if let Some(u) = state.users.find_user(at.tenant, pool, by, &to).await? {
            found = Some(u);
            break;
        }
    }
    // Counted for every address alike, before anything is sent.
    if !otp::allow_send(state, &to, at.ip).await? {
        return Ok(Requested::Limited);
    }
    let user = found.filter(|u| u.status == UserStatus::Active && if by == Lookup::Email { u.email_verified } else { u.phone_verified });
    let pool = user.as_ref().map(|u| u.pool_id.clone()).unwrap_or_else(|| at.pools.first().cloned().unwrap_or_default());
    let origin = Origin { tenant: at.tenant, workspace: at.workspace, pool: &pool, browser: at.browser, flow: at.flow, pages: at.pages, voice: at.voice };
    let to_user = Recipient { user_id: user.as_ref().map(|u| u.id.as_str()), channel, to: &to, registration: None };
    Ok(Requested::Started(Box::new(Challenge::start(state, Purpose::Reset, origin, to_user).await?)))
}

/// The password rules shown with a challenge's form.
pub async fn policy(state: &Deps<'_>, c: &Challenge) -> crate::identity::policy::PasswordPolicy {
    match state.pools.pool(&c.tenant_id, &c.pool_id).await {
        Ok(Some(p)) => p.settings.password_policy,
        _ => crate::identity::policy::PasswordPolicy::default(),
    }
}

pub enum Confirmed {
    /// The password was changed; `flow`: the sign-in the reset started from.
    Changed { flow: Option<String> },
    /// The challenge is a decoy, spent meanwhile, or its account may no longer sign in.
    Expired,
    /// The new password fails the policy; the challenge is kept for another try.
    /// Carries the ids of the rules it misses (`policy::RULES`, or `history`), which the
    /// page words in its language.
    Refused(Vec<&'static str>),
}

async fn target(state: &Deps<'_>, c: &Challenge) -> Result<Option<(Pool, User)>, AppError> {
    let (Some(uid), Some(pool)) = (&c.user_id, state.pools.pool(&c.tenant_id, &c.pool_id).await?) else {
        return Ok(None);
    };
    Ok(state.users.get(&c.tenant_id, uid).await?.filter(|u| u.status == UserStatus::Active).map(|u| (pool, u)))
}

/// Sets `password` for the account of a challenge whose code was found right (a decoy
/// never gets here with a right code). The code is checked before the policy, the same way
/// for real accounts and decoys, so a wrong code's answer never depends on the account.
pub async fn confirm(state: &Deps<'_>, c: Challenge, password: &str) -> Result<Confirmed, AppError> {
    let Some((pool, user)) = target(state, &c).await? else {
        return Ok(Confirmed::Expired);
    };
    let ids = crate::identity::identifiers(&user);
    let errors = lifecycle::check_new_password(state, &pool, &ids, password, Some(&user.id)).await?;
    if !errors.is_empty() {
        let mut rules: Vec<&'static str> = pool.settings.password_policy.check(password, &ids).into_iter().map(|v| v.rule).collect();
        if rules.is_empty() {
            rules.push("history");
        }
        return Ok(Confirmed::Refused(rules));
    }
    // Of two concurrent uses of the code, one wins.
    let Some(c) = c.spend(state).await? else {
        return Ok(Confirmed::Expired);
    };
    // The password passed the policy above.
    lifecycle::replace_password(state, &pool, &user, password).await?;
    Ok(Confirmed::Changed { flow: c.flow })
}
