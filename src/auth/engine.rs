//! The sign-in engine: feeds events to a flow (`flow::Flow::step`) and carries out what
//! each transition asks for — storing the flow, creating or upgrading the SSO session,
//! remembering consent, issuing the code. HTTP-free: the page layer turns its
//! `Advanced` into a redirect and a cookie.
use url::Url;

use super::assurance::{self, Facts};
use super::authenticator::{Authenticator, Realm};
use super::factors;
use super::flow::{Decision, Event, Flow, Next, Policy, Refused};
use crate::error::AppError;
use crate::model::{AssuranceLevel, TenantId};
use crate::protocol::authorize;
use crate::storage::identity::{CredentialKind, MfaPolicy, PoolStore};
use crate::storage::{Client, ConsentMode, ConsentStore};
use crate::views::PageId;

/// The adaptive MFA policy's view of a sign-in (see `auth::adaptive`).
#[async_trait::async_trait]
pub trait Risk: Send + Sync {
    /// Why a sign-in of `user_id` from here looks risky (a new browser, a new network,
    /// recent failures); `None`: nothing new or odd.
    async fn assess(&self, tenant: &TenantId, user_id: &str, at: &Signals<'_>) -> Result<Option<String>, AppError>;
    /// `user_id` completed a multi-factor sign-in from here: remember the browser and the
    /// network. Returns a device cookie value to set, if a new one is due.
    async fn remember(&self, tenant: &TenantId, user_id: &str, at: &Signals<'_>) -> Result<Option<String>, AppError>;
}

/// Where a sign-in comes from, as the adaptive policy sees it.
pub struct Signals<'a> {
    /// The value of the browser's device cookie, if it sent one.
    pub device: Option<&'a str>,
    pub ip: &'a str,
    /// Digest of the browser-id cookie ("" without one): tells one sign-in from another.
    pub browser: &'a str,
}

pub struct Engine<'a> {
    pub authenticator: Authenticator<'a>,
    pub consents: &'a dyn ConsentStore,
    pub pools: &'a dyn PoolStore,
    /// The adaptive policy's risk view; `None` (no assessment available): an adaptive
    /// pool asks for the second factor at every sign-in.
    pub risk: Option<&'a dyn Risk>,
    /// Lifetime of a stored flow and of an authorization code, seconds.
    pub flow_ttl: i64,
    pub code_ttl: i64,
}

/// The request a flow is advanced in.
pub struct Context<'a> {
    pub realm: Realm<'a>,
    pub issuer: &'a str,
    pub client: &'a Client,
    /// The session cookie the browser presented, if any.
    pub cookie: Option<&'a str>,
    /// The tenant's own levels of assurance.
    pub levels: &'a [AssuranceLevel],
    pub signals: Signals<'a>,
}

/// Where the browser goes next. `Debug` hides the URL back to the client: it carries the
/// authorization code.
pub enum Destination {
    /// A page of this flow (its id).
    Page(PageId, String),
    /// Back to the client: a code or an error (RFC 6749 §4.1.2).
    Client(Url),
}

/// `Debug` hides the session cookie value (it signs the browser in).
pub struct Advanced {
    pub to: Destination,
    /// A new session cookie value to set (after a sign-in).
    pub session_cookie: Option<String>,
    /// A new device cookie value to set (after a multi-factor sign-in, adaptive policy).
    pub device_cookie: Option<String>,
}

impl std::fmt::Debug for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::Page(page, _) => f.debug_tuple("Page").field(page).field(&crate::redact::Redacted).finish(),
            Destination::Client(_) => f.debug_tuple("Client").field(&crate::redact::Redacted).finish(),
        }
    }
}

impl std::fmt::Debug for Advanced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Advanced")
            .field("to", &self.to)
            .field("session_cookie", &self.session_cookie.as_ref().map(|_| crate::redact::Redacted))
            .field("device_cookie", &self.device_cookie.as_ref().map(|_| crate::redact::Redacted))
            .finish()
    }
}

impl Engine<'_> {
    /// Moves `flow` on by `event` until it needs the browser again. `Ok(Err(_))`: the
    /// event does not fit the flow's stage and nothing was changed.
    pub async fn advance(&self, ctx: &Context<'_>, mut flow: Flow, mut event: Event) -> Result<Result<Advanced, Refused>, AppError> {
        // A flow seen only by /authorize was never stored: silent SSO costs no
        // session-store round trip to delete it.
        let stored = !matches!(event, Event::Authorize { .. });
        let (mut session_cookie, mut device_cookie) = (None, None);
        let now = self.authenticator.clock.now();
        loop {
            // What the engine knows about the user the next transition is about. Only a
            // factor just passed and an SSO session that might be short of what is asked
            // need the user's pool and factors; every other step only what the request and
            // the client ask (no round trip: silent SSO with a strong session stays cheap).
            let facts = match &event {
                Event::Passed { user_id, .. } => self.facts(ctx, &flow, user_id).await?,
                Event::Authorize { sso: Some(a) } if !strong_enough(ctx, &flow, a) => self.facts(ctx, &flow, &a.user_id).await?,
                _ => Some(asked(ctx, &flow)),
            };
            // A consent given now is remembered first; what it adds up to is what the user
            // granted (one read of the consent store, not two).
            let granted = match (&event, flow.auth()) {
                (Event::Consent(Decision::Allow), Some(a)) => self.remember_consent(ctx, &flow, &a.user_id).await?,
                _ => self.granted(ctx, &flow, &event).await?,
            };
            let policy = Policy { client: ctx.client, granted: &granted, facts: facts.as_ref(), page_of: factors::page_of };
            let (next_flow, next) = match flow.step(event, &policy, now) {
                Ok(s) => s,
                Err(r) => return Ok(Err(r)),
            };
            if let Next::StartSession { user_id, factors, session } = next {
                if let Some(sid) = session {
                    // A step-up upgrades the session it started from, if that is still the
                    // browser's valid session (not ended, revoked or replaced meanwhile);
                    // otherwise nothing it credited counts and the sign-in starts over.
                    let current = self.authenticator.sso_session(&ctx.realm, ctx.cookie).await?;
                    if !current.is_some_and(|a| a.sid == sid && a.user_id == user_id) {
                        let restarted = Flow { stage: super::flow::Stage::Started, ..next_flow };
                        return Ok(match self.carry_out(ctx, restarted, Next::ShowPage(PageId::Login), stored, now).await? {
                            Some(to) => Ok(Advanced { to, session_cookie, device_cookie }),
                            None => Err(Refused { stage: "done", event: "finish" }),
                        });
                    }
                }
                let est = self.authenticator.establish(&ctx.realm, &user_id, &factors, ctx.levels, ctx.cookie).await?;
                session_cookie = Some(est.cookie);
                if let (true, Some(risk)) = (facts.as_ref().is_some_and(|f| f.policy == MfaPolicy::Adaptive) && assurance::weight(&est.auth.factors) >= 2, self.risk) {
                    device_cookie = risk.remember(ctx.realm.tenant, &user_id, &ctx.signals).await?;
                }
                (flow, event) = (next_flow, Event::SessionReady(est.auth));
                continue;
            }
            return Ok(match self.carry_out(ctx, next_flow, next, stored, now).await? {
                Some(to) => Ok(Advanced { to, session_cookie, device_cookie }),
                // Another request finished this flow first (a double submit): it got the answer.
                None => Err(Refused { stage: "done", event: "finish" }),
            });
        }
    }

    /// Stores the flow for its next page, or finishes it with the client's answer. `None`:
    /// the stored flow was finished meanwhile by another request, which got the answer.
    async fn carry_out(&self, ctx: &Context<'_>, flow: Flow, next: Next, stored: bool, now: i64) -> Result<Option<Destination>, AppError> {
        let sessions = self.authenticator.sessions;
        let req = &flow.request;
        match next {
            Next::ShowPage(page) => {
                flow.save(sessions, self.flow_ttl).await?;
                Ok(Some(Destination::Page(page, flow.id)))
            }
            Next::IssueCode(auth) => {
                if !self.finish(&flow, stored).await? {
                    return Ok(None);
                }
                let code = authorize::issue_code(sessions, req, auth, self.code_ttl, now).await?;
                Ok(Some(Destination::Client(authorize::success_redirect(&req.redirect_uri, &code, req.state.as_deref(), ctx.issuer)?)))
            }
            Next::Redirect(e) => {
                if !self.finish(&flow, stored).await? {
                    return Ok(None);
                }
                Ok(Some(Destination::Client(authorize::error_redirect(&req.redirect_uri, &e, req.state.as_deref(), ctx.issuer)?)))
            }
            Next::StartSession { .. } => Err(AppError::internal("a session step reached the end of the engine")),
        }
    }

    /// Ends a finished flow; false when a concurrent request ended it first. A flow seen
    /// only by /authorize was never stored and is ours alone.
    async fn finish(&self, flow: &Flow, stored: bool) -> Result<bool, AppError> {
        if stored { Flow::take(self.authenticator.sessions, &flow.id).await } else { Ok(true) }
    }

    /// Whether the flow's user may enrol `factor` now, asked again of fresh facts right
    /// before an enrolment is stored: the flow said so when it was stored, but the user
    /// may have enrolled a factor since (in another browser), and then a password alone
    /// must no longer add one. Enrolment handlers MUST call this before they store.
    pub async fn may_enrol(&self, ctx: &Context<'_>, flow: &Flow, factor: &str) -> Result<bool, AppError> {
        let Some(user_id) = flow.challenged_user().filter(|_| flow.enrols(factor)) else {
            return Ok(false);
        };
        let Some(facts) = self.facts(ctx, flow, user_id).await? else {
            return Ok(false);
        };
        Ok(matches!(assurance::requirement(&facts, flow.passed()), assurance::Requirement::Enrol(offer) if offer.iter().any(|o| o == factor)))
    }

    /// The facts the assurance rules need about `user_id` (`None`: no such user in this
    /// tenant, which no transition then accepts).
    async fn facts(&self, ctx: &Context<'_>, flow: &Flow, user_id: &str) -> Result<Option<Facts>, AppError> {
        let a = &self.authenticator;
        let tenant = ctx.realm.tenant;
        let Some(user) = a.users.get(tenant, user_id).await? else {
            return Ok(None);
        };
        let mfa = self.pools.pool(tenant, &user.pool_id).await?.map(|p| p.settings.mfa).unwrap_or_default();
        let held = a.credentials.held(tenant, user_id).await?;
        let mut enrolled: Vec<String> = [(CredentialKind::TOTP, assurance::TOTP), (CredentialKind::WEBAUTHN, assurance::WEBAUTHN), (CredentialKind::RECOVERY_CODE, assurance::RECOVERY_CODE)]
            .into_iter()
            .filter(|(kind, _)| held.contains(kind))
            .map(|(_, factor)| factor.to_owned())
            .collect();
        // Codes by email or SMS go to an address the user proved they hold.
        if user.email_verified && user.email.is_some() && mfa.factors.iter().any(|f| f == assurance::EMAIL_OTP) {
            enrolled.push(assurance::EMAIL_OTP.to_owned());
        }
        if user.phone_verified && user.phone.is_some() && mfa.factors.iter().any(|f| f == assurance::SMS_OTP) {
            enrolled.push(assurance::SMS_OTP.to_owned());
        }
        let risk = match mfa.policy {
            MfaPolicy::Adaptive => match self.risk {
                Some(risk) => risk.assess(tenant, user_id, &ctx.signals).await?,
                None => Some("unassessed".to_owned()),
            },
            _ => None,
        };
        Ok(Some(Facts { policy: mfa.policy, pool_factors: mfa.factors, enrolled, risk, ..asked(ctx, flow) }))
    }

    /// Scopes the user granted the client before, when a decision is due and the client
    /// asks for consent.
    async fn granted(&self, ctx: &Context<'_>, flow: &Flow, event: &Event) -> Result<Vec<String>, AppError> {
        let user = match event {
            Event::Authorize { sso: Some(a) } | Event::SessionReady(a) => Some(a.user_id.as_str()),
            Event::Consent(_) => flow.auth().map(|a| a.user_id.as_str()),
            _ => None,
        };
        match (user, ctx.client.consent) {
            (Some(u), ConsentMode::Required) => self.consents.granted(ctx.realm.tenant, ctx.realm.workspace, u, &ctx.client.client_id).await,
            _ => Ok(vec![]),
        }
    }

    /// Adds the requested scopes to what the user granted the client; returns the sum.
    async fn remember_consent(&self, ctx: &Context<'_>, flow: &Flow, user_id: &str) -> Result<Vec<String>, AppError> {
        let (tenant, workspace, client_id) = (ctx.realm.tenant, ctx.realm.workspace, &ctx.client.client_id);
        let mut scopes = self.consents.granted(tenant, workspace, user_id, client_id).await?;
        for s in &flow.request.scope.0 {
            if !scopes.contains(s) {
                scopes.push(s.clone());
            }
        }
        self.consents.remember(tenant, workspace, user_id, client_id, &scopes, self.authenticator.clock.now()).await?;
        Ok(scopes)
    }
}

/// What the request and the client ask for, without anything about the user. The policy
/// is `off` with nothing held: facts this thin can say `Met` or `Unmet`, never offer a
/// factor or an enrolment.
fn asked(ctx: &Context<'_>, flow: &Flow) -> Facts {
    let req = &flow.request;
    Facts { policy: MfaPolicy::Off, levels: ctx.levels.to_vec(), requested: req.acr_values.clone(), essential: req.acr_essential, minimum: ctx.client.min_acr.clone(), ..Facts::default() }
}

/// A session of two factors or more meets every pool policy (none asks for more than
/// level 2); it needs the user's facts only when the request or the client asks a level.
fn strong_enough(ctx: &Context<'_>, flow: &Flow, a: &crate::protocol::types::Authentication) -> bool {
    flow.request.acr_values.is_empty() && ctx.client.min_acr.is_none() && assurance::weight(&assurance::factors_of(a)) >= 2
}
