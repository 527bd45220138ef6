//! The sign-in flow: the state between `/authorize` and the redirect back to the client.
//!
//! ```text
//!  /authorize ──► Started ──(password ok)──► Authenticated ──(consent given)──► Consented
//!                    │                            │                                 │
//!                    └── SSO session valid ───────┴──── no consent needed ──────────┴──► code issued, flow deleted
//! ```
//! Transitions consume the flow; every stage is stored in the session store, so the
//! next request may reach any node. A flow is bound to the browser that started it.
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::protocol::types::{ACR_PASSWORD, AuthorizationRequest, Authentication};
use crate::state::AppState;
use crate::storage::session::Kind;
use crate::storage::{User, UserStatus};
use crate::crypto::{ct_eq, random_token};

pub mod password;
pub mod throttle;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Stage {
    Started,
    Authenticated(Authentication),
    Consented(Authentication),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flow {
    pub id: String,
    pub tenant_id: crate::model::TenantId,
    pub workspace_id: String,
    /// Digest of the browser-id cookie of the browser that started the flow.
    pub browser: String,
    /// Synchronizer token every form of this flow carries.
    pub csrf: String,
    pub request: AuthorizationRequest,
    pub stage: Stage,
}

impl Flow {
    pub fn start(tenant: &crate::model::TenantId, workspace: &str, browser: String, request: AuthorizationRequest) -> Self {
        Flow { id: random_token(18), tenant_id: tenant.clone(), workspace_id: workspace.into(), browser, csrf: random_token(18), request, stage: Stage::Started }
    }

    pub fn authenticated(self, auth: Authentication) -> Self {
        Flow { stage: Stage::Authenticated(auth), ..self }
    }

    /// Consent can only follow authentication.
    pub fn consented(self) -> Option<Self> {
        match self.stage {
            Stage::Authenticated(a) | Stage::Consented(a) => Some(Flow { stage: Stage::Consented(a), ..self }),
            Stage::Started => None,
        }
    }

    /// The authentication made within this flow, if any.
    pub fn auth(&self) -> Option<&Authentication> {
        match &self.stage {
            Stage::Started => None,
            Stage::Authenticated(a) | Stage::Consented(a) => Some(a),
        }
    }

    /// A form post belongs to this flow only from the browser that started it and with
    /// the flow's CSRF token (both compared in constant time).
    pub fn accepts(&self, browser: &str, csrf: &str) -> bool {
        ct_eq(self.browser.as_bytes(), browser.as_bytes()) & ct_eq(self.csrf.as_bytes(), csrf.as_bytes())
    }

    pub async fn save(&self, state: &AppState) -> Result<(), AppError> {
        state.sessions.put(Kind::Flow, &self.id, self, state.config.ttl.flow).await
    }

    pub async fn load(state: &AppState, id: &str) -> Result<Option<Self>, AppError> {
        state.sessions.get(Kind::Flow, id).await
    }

    pub async fn finish(self, state: &AppState) -> Result<(), AppError> {
        state.sessions.delete(Kind::Flow, &self.id).await
    }
}

/// Outcome of checking a username/email and password.
pub enum PasswordCheck {
    Ok(Box<User>),
    /// Wrong password, unknown user, or a user who may not sign in: one answer for all,
    /// so the form does not reveal which accounts exist.
    Rejected,
    /// Throttled (see `throttle`): try again in this many seconds.
    Wait(i64),
    /// Throttled: too many failures in this window.
    Locked,
}

/// Where a sign-in attempt comes from: the digest of the browser's id cookie and the
/// client's IP (see `throttle`).
pub struct Origin<'a> {
    pub browser: &'a str,
    pub ip: &'a str,
}

/// Checks credentials against the workspace's pools, in constant work whether or not the
/// user exists, within the sign-in throttle (counted per account, or per name when no
/// account has it).
pub async fn check_password(state: &AppState, tenant: &crate::model::TenantId, pools: &[String], login: &str, password: &str, from: Origin<'_>) -> Result<PasswordCheck, AppError> {
    let browser = from.browser;
    if login.is_empty() || login.len() > 256 || password.is_empty() || password.len() > 1024 {
        state.hasher.verify_nobody(password).await?;
        return Ok(PasswordCheck::Rejected);
    }
    // Typed names are compared as stored names are kept (NFKC, lower-cased).
    let name = crate::identity::fold(login);
    let found = state.users.find_for_login(tenant, pools, &name).await?;
    let subject = match &found {
        Some((u, _)) => {
            let known = throttle::known_browser(&state.sessions, &u.id, browser).await?;
            throttle::Subject::Account { user_id: &u.id, browser: known.then_some(browser) }
        }
        None => throttle::Subject::UnknownName,
    };
    let attempt = throttle::Attempt { tenant, name: &name, ip: from.ip, now: state.now() };
    let ticket = match throttle::admit(state.counters.as_ref(), &state.sessions, attempt, subject).await? {
        throttle::Gate::Open(t) => t,
        throttle::Gate::Wait(s) => return Ok(PasswordCheck::Wait(s)),
        throttle::Gate::Locked => return Ok(PasswordCheck::Locked),
        throttle::Gate::Masked => {
            state.hasher.verify_nobody(password).await?;
            return Ok(PasswordCheck::Rejected);
        }
    };
    let Some((user, hash)) = found else {
        state.hasher.verify_nobody(password).await?;
        return Ok(PasswordCheck::Rejected);
    };
    let ok = match &hash {
        Some(h) => state.hasher.verify(password, h).await?,
        None => state.hasher.verify_nobody(password).await?,
    };
    if !(ok && user.status == UserStatus::Active) {
        return Ok(PasswordCheck::Rejected);
    }
    throttle::succeeded(state.counters.as_ref(), &state.sessions, ticket).await?;
    throttle::remember_browser(&state.sessions, &user.id, browser).await?;
    // Imported (bcrypt, PBKDF2) or older argon2 hashes move to the current parameters now
    // that the password is known. A failure here must not fail the sign-in.
    if let Some(h) = hash.filter(|h| !state.hasher.is_current(h)) {
        match state.hasher.hash(password).await {
            Ok(new) => {
                if let Err(e) = state.credentials.upgrade_password(&user.tenant_id, &user.id, &h, &new, state.now()).await {
                    tracing::warn!(error = %e, "password hash upgrade failed");
                }
            }
            Err(e) => tracing::warn!(error = %e, "password hash upgrade failed"),
        }
    }
    Ok(PasswordCheck::Ok(Box::new(user)))
}

/// A new authentication by password, in a new single sign-on session.
pub fn password_authentication(tenant: &crate::model::TenantId, workspace: &str, user: &User, now: i64, now_ms: i64) -> Authentication {
    Authentication {
        session_ms: now_ms,
        tenant_id: tenant.clone(),
        workspace_id: workspace.into(),
        user_id: user.id.clone(),
        auth_time: now,
        sid: random_token(18),
        acr: ACR_PASSWORD.into(),
        amr: vec!["pwd".into()],
    }
}
