//! The `Authenticator`: checks factors within the sign-in throttle, and creates or
//! upgrades the single sign-on session once every required factor passed.
//!
//! It works over narrow ports (the users port, the credentials port, the counters, the
//! session store, the clock and the hasher), never `AppState`, so that core code and
//! tests can build it from exactly what it uses.
//!
//! Sessions (OIDC Core §2, `auth_time`: "Time when the End-User authentication
//! occurred"):
//! - A new sign-in (no valid session, or one of another user) makes a new session with a
//!   new `sid`, and `auth_time` = now.
//! - A sign-in by the user of the browser's valid session (re-authentication for
//!   prompt=login or max_age; later: step-up by a second factor) upgrades that session:
//!   `sid` and `session_ms` (when the session was made, what revocations compare) stay,
//!   `auth_time` becomes now (the time of the latest authentication, which is what
//!   max_age and prompt=login ask about), and the factors (and so `amr`, `acr`) are those
//!   of this authentication: a step-up starts from the session's factors and adds the
//!   missing ones; a re-authentication counts only what it passed.
//! - Either way the session gets a new cookie value (the old record is removed): a
//!   session cookie planted in the browser before can never be promoted to a signed-in or
//!   upgraded one (session fixation).
use super::factors::{Claimant, Factor, FactorPorts, Input};
use crate::identity::password::Hasher;
use super::{session, throttle};
use crate::clock::Clock;
use crate::error::AppError;
use super::assurance;
use crate::model::AssuranceLevel;
use crate::protocol::types::Authentication;
use crate::model::TenantId;
use crate::storage::identity::CredentialStore;
use crate::storage::session::Sessions;
use crate::crypto::random_token;
use crate::storage::{CounterStore, User, UserStatus, UserStore};

/// Longest sign-in name looked up.
pub const MAX_LOGIN: usize = 256;

pub struct Authenticator<'a> {
    pub users: &'a dyn UserStore,
    pub credentials: &'a (dyn CredentialStore + 'static),
    pub counters: &'a dyn CounterStore,
    pub sessions: &'a Sessions,
    pub clock: &'a dyn Clock,
    pub hasher: &'a Hasher,
    /// Lifetime of a single sign-on session, seconds.
    pub session_ttl: i64,
}

/// Where a sign-in attempt comes from: the digest of the browser's id cookie and the
/// client's IP (see `throttle`).
pub struct Origin<'a> {
    pub browser: &'a str,
    pub ip: &'a str,
}

/// Which tenant and workspace a sign-in is for, and the pools it searches.
pub struct Realm<'a> {
    pub tenant: &'a TenantId,
    pub workspace: &'a str,
    pub pools: &'a [String],
}

/// Outcome of a factor check.
pub enum Verdict {
    Passed(Box<User>),
    /// Wrong input, unknown user, or a user who may not sign in: one answer for all, so
    /// the form does not reveal which accounts exist.
    Rejected,
    /// Throttled (see `throttle`): try again in this many seconds.
    Wait(i64),
    /// Throttled: too many failures in this window.
    Locked,
}

/// A created or upgraded session: its record and the new cookie value to set.
pub struct Established {
    pub auth: Authentication,
    pub cookie: String,
}

impl Authenticator<'_> {
    fn factor_ports(&self) -> FactorPorts<'_> {
        FactorPorts { credentials: self.credentials, hasher: self.hasher, now: self.clock.now() }
    }

    /// Checks `factor` for the account named `login` in constant work whether or not it
    /// exists, within the sign-in throttle (counted per account, or per name when no
    /// account has it).
    pub async fn verify(&self, realm: &Realm<'_>, factor: &dyn Factor, login: &str, input: &Input<'_>, from: Origin<'_>) -> Result<Verdict, AppError> {
        let ports = self.factor_ports();
        if login.is_empty() || login.len() > MAX_LOGIN || !factor.well_formed(input) {
            factor.check(&ports, None, input).await?;
            return Ok(Verdict::Rejected);
        }
        // Typed names are compared as stored names are kept (NFKC, lower-cased).
        let name = crate::identity::fold(login);
        let found = self.users.find_for_login(realm.tenant, realm.pools, &name).await?;
        let subject = match &found {
            Some((u, _)) => {
                let known = throttle::known_browser(self.sessions, &u.id, from.browser).await?;
                throttle::Subject::Account { user_id: &u.id, browser: known.then_some(from.browser) }
            }
            None => throttle::Subject::UnknownName,
        };
        let attempt = throttle::Attempt { tenant: realm.tenant, name: &name, ip: from.ip, now: self.clock.now() };
        let ticket = match throttle::admit(self.counters, self.sessions, attempt, subject).await? {
            throttle::Gate::Open(t) => t,
            throttle::Gate::Wait(s) => return Ok(Verdict::Wait(s)),
            throttle::Gate::Locked => return Ok(Verdict::Locked),
            throttle::Gate::Masked => {
                factor.check(&ports, None, input).await?;
                return Ok(Verdict::Rejected);
            }
        };
        let claimant = found.as_ref().map(|(user, hash)| Claimant { user, password_hash: hash.as_deref() });
        let ok = factor.check(&ports, claimant, input).await?;
        let Some((user, _)) = found.filter(|(u, _)| ok && u.status == UserStatus::Active) else {
            return Ok(Verdict::Rejected);
        };
        throttle::succeeded(self.counters, self.sessions, ticket).await?;
        throttle::remember_browser(self.sessions, &user.id, from.browser).await?;
        Ok(Verdict::Passed(Box::new(user)))
    }

    /// The browser's valid single sign-on session in this realm, by the value of its
    /// session cookie. A password reset or a status change since the sign-in ends it.
    pub async fn sso_session(&self, realm: &Realm<'_>, cookie: Option<&str>) -> Result<Option<Authentication>, AppError> {
        session::current(self.sessions, realm.tenant, realm.workspace, cookie).await
    }

    /// Creates or upgrades the session of `user_id` who passed `factors` (see the
    /// module docs). `cookie`: the session cookie the browser presented, if any.
    pub async fn establish(&self, realm: &Realm<'_>, user_id: &str, factors: &[String], levels: &[AssuranceLevel], cookie: Option<&str>) -> Result<Established, AppError> {
        let current = self.sso_session(realm, cookie).await?.filter(|a| a.user_id == user_id);
        let (now, now_ms) = (self.clock.now(), self.clock.now_ms());
        let auth = match current {
            Some(a) => upgraded(a, factors, levels, now),
            None => Authentication {
                session_ms: now_ms,
                tenant_id: realm.tenant.clone(),
                workspace_id: realm.workspace.into(),
                user_id: user_id.into(),
                auth_time: now,
                sid: random_token(18),
                acr: assurance::acr_of(levels, factors, &[], None),
                amr: assurance::amr_of(factors),
                factors: factors.to_vec(),
            },
        };
        let value = random_token(32);
        session::put(self.sessions, &session::key_of(&value), &auth, self.session_ttl).await?;
        if let Some(old) = cookie {
            // Best effort: the old value no longer matters once the cookie is replaced.
            let _ = session::remove(self.sessions, &session::key_of(old)).await;
        }
        Ok(Established { auth, cookie: value })
    }
}

/// A valid session of the same user after a further authentication at `now` that passed
/// `factors`: same `sid` and `session_ms`, `auth_time` now (OIDC Core §2: the time of the
/// authentication, so the latest one), and the factors, AMR and ACR values of exactly
/// this authentication. A step-up carries the session's factors in `factors` already (the
/// flow starts from them); a re-authentication (prompt=login, max_age) passed only what it
/// passed, and must not claim a factor of an earlier one with a fresh `auth_time`.
pub fn upgraded(mut a: Authentication, factors: &[String], levels: &[AssuranceLevel], now: i64) -> Authentication {
    a.auth_time = now;
    a.amr = assurance::amr_of(factors);
    a.acr = assurance::acr_of(levels, factors, &[], None);
    a.factors = assurance::known(factors);
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upgrade_keeps_sid_and_session_time_and_moves_auth_time() {
        let a = Authentication { tenant_id: crate::model::TenantId::new("t"), workspace_id: "w".into(), user_id: "u".into(), auth_time: 10, sid: "sid".into(), acr: assurance::LOA1.into(), amr: vec!["pwd".into()], session_ms: 10_000, factors: vec!["password".into()] };
        let up = upgraded(a.clone(), &["password".into(), "totp".into()], &[], 99);
        assert_eq!((up.sid.as_str(), up.session_ms, up.auth_time), ("sid", 10_000, 99));
        assert_eq!(up.amr, vec!["pwd".to_string(), "otp".to_string(), "mfa".to_string()]);
        assert_eq!((up.acr.as_str(), up.factors.len()), (assurance::LOA2, 2));
        // A re-authentication with the password alone claims the password alone.
        let again = upgraded(up, &["password".into()], &[], 120);
        assert_eq!((again.sid.as_str(), again.acr.as_str(), again.amr.clone()), ("sid", assurance::LOA1, vec!["pwd".to_string()]));
    }
}
