//! The sign-in flow as a state machine: pure transitions, no I/O (the engine does that).
//!
//! ```text
//!                 Authorize{sso} ── valid SSO session that reaches what is asked ───────► Done (IssueCode)
//!                      │         ├─ SSO session short of the level asked (step-up) ─┐
//!                      │         └─ SSO session, consent needed ──► Authenticated ─┐ │
//!  /authorize ──► Started ──Identified{user}──► Identified{user}                    │ │
//!                      │                              │                             │ │
//!                      └──Passed{user, first factor}──┴──► Challenged{passed, offer, enrol} ◄┘
//!                                                            │  requirement (assurance):
//!                                                            │   Ask/Enrol: ShowPage(factor page,
//!                                                            │     or the choice: Chose{factor})
//!                                                            │   Passed{user, offered factor}: again
//!                                                            │   Unmet: Done (Redirect unmet_…)
//!                                                            └─ Met: StartSession
//!                                                                 │ SessionReady(auth)
//!                                                                 ▼
//!                                   Authenticated ──Consent(Allow)──► Consented ──► Done (IssueCode)
//!                                         │    └────Consent(Deny)─────────────────► Done (Redirect access_denied)
//!                                         └── nothing to ask ───────────────────────► Done (IssueCode)
//! ```
//!
//! What is asked after each factor comes from `assurance::requirement` over the facts the
//! engine gathered for the user (pool policy, held factors, levels asked by the request
//! and the client). Every transition consumes the flow and is guarded: an event that does
//! not fit the stage is `Refused` (consent before authentication, a session for another
//! user than the one who passed the factors, a factor the flow does not offer, a factor
//! for another user, anything after `Done`). The backward edges are a first factor at
//! `Authenticated` or `Challenged`: a user who goes back to the sign-in page and signs in
//! again starts the authentication over (as the back button allows); nothing passed
//! before counts then.
//!
//! Who may do what: only the browser that started a flow may advance it, and only with
//! the flow's CSRF token (`accepts`, checked by the page layer before any event is fed);
//! only a factor page that checked its factor produces `Passed`, and only for a factor
//! the flow `offers` (or `enrols`, for an enrolment that proved possession); only the
//! `Authenticator` produces `SessionReady` (after creating or upgrading the SSO session);
//! only the engine stores, finishes and issues.
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::protocol::authorize::{self, AuthorizeOutcome, FlowPosition};
use crate::protocol::types::{AuthorizationRequest, Authentication};
use crate::protocol::OAuthError;
use crate::storage::session::{Kind, Sessions};
use crate::crypto::{ct_eq, random_token};
use super::assurance::{self, Facts, Requirement};
use crate::storage::Client;
use crate::views::PageId;

#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub enum Stage {
    Started,
    /// The user named an account (identifier-first pages; the password page names and
    /// checks at once, so it goes from `Started` straight to `Challenged`).
    Identified { user_id: String },
    /// The factors passed so far (names, see `assurance`), and what is asked next: one of
    /// `offer`, to be passed, or with `enrol` to be enrolled (and so passed). `session`:
    /// the `sid` of the SSO session this step-up upgrades (its factors are in `passed`);
    /// only that session, still valid, may be upgraded at the end.
    Challenged {
        user_id: String,
        passed: Vec<String>,
        offer: Vec<String>,
        enrol: bool,
        #[serde(default)]
        session: Option<String>,
    },
    Authenticated(Authentication),
    Consented(Authentication),
    /// The client got its answer; the flow is deleted.
    Done,
}

impl Stage {
    fn name(&self) -> &'static str {
        match self {
            Stage::Started => "started",
            Stage::Identified { .. } => "identified",
            Stage::Challenged { .. } => "challenged",
            Stage::Authenticated(_) => "authenticated",
            Stage::Consented(_) => "consented",
            Stage::Done => "done",
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
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

/// Flows hold the CSRF token and the user's authentication: `Debug` shows neither.
impl std::fmt::Debug for Flow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flow").field("tenant_id", &self.tenant_id).field("workspace_id", &self.workspace_id).field("client_id", &self.request.client_id).field("stage", &self.stage.name()).finish_non_exhaustive()
    }
}

/// The consent page's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny,
}

/// What happened to a flow.
#[derive(Debug, Clone)]
pub enum Event {
    /// The flow arrived from /authorize with the browser's valid SSO session, if any.
    Authorize { sso: Option<Authentication> },
    /// The user named an account (no factor passed yet).
    Identified { user_id: String },
    /// `user_id` passed the factor named `factor` (or enrolled it, proving possession).
    Passed { user_id: String, factor: String },
    /// The user chose which of the offered factors to use (or enrol).
    Chose { factor: String },
    /// The authenticator created or upgraded the SSO session after the factors passed.
    SessionReady(Authentication),
    Consent(Decision),
}

impl Event {
    fn name(&self) -> &'static str {
        match self {
            Event::Authorize { .. } => "authorize",
            Event::Identified { .. } => "identified",
            Event::Passed { .. } => "passed",
            Event::Chose { .. } => "chose",
            Event::SessionReady(_) => "session_ready",
            Event::Consent(_) => "consent",
        }
    }

    /// The user whose facts a transition on this event needs, if the event names one.
    pub fn user(&self) -> Option<&str> {
        match self {
            Event::Authorize { sso: Some(a) } | Event::SessionReady(a) => Some(&a.user_id),
            Event::Identified { user_id } | Event::Passed { user_id, .. } => Some(user_id),
            _ => None,
        }
    }
}

/// What the engine does after a transition.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Store the flow and show this page of it.
    ShowPage(PageId),
    /// Every required factor passed: create or upgrade the SSO session of `user_id` who
    /// passed `factors`, and feed `Event::SessionReady`; for a step-up, only if the
    /// browser's valid session is still the one with sid `session` (else the sign-in starts
    /// over). (Not one of the pages the browser sees: the engine takes this step itself, it
    /// is the one edge that needs the session store between two transitions.)
    StartSession { user_id: String, factors: Vec<String>, session: Option<String> },
    /// Send the error back to the client (RFC 6749 §4.1.2.1).
    Redirect(OAuthError),
    /// Issue a code for this authentication and send it to the client.
    IssueCode(Authentication),
}

/// An event that does not fit the flow's stage.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused {
    pub stage: &'static str,
    pub event: &'static str,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "event {} refused at stage {}", self.event, self.stage)
    }
}

/// What a transition may depend on besides the flow: the client, the scopes the user
/// granted it before, and what the engine knows about the user the event is about (their
/// pool's MFA policy, the factors they hold, the levels asked for).
pub struct Policy<'a> {
    pub client: &'a Client,
    pub granted: &'a [String],
    /// `None` when the event names no user (the engine then has no facts to give).
    pub facts: Option<&'a Facts>,
    /// The page that asks for a factor (`false`) or enrols it (`true`), by factor name.
    pub page_of: fn(&str, bool) -> PageId,
}

impl Flow {
    pub fn start(tenant: &crate::model::TenantId, workspace: &str, browser: String, request: AuthorizationRequest) -> Self {
        Flow { id: random_token(18), tenant_id: tenant.clone(), workspace_id: workspace.into(), browser, csrf: random_token(18), request, stage: Stage::Started }
    }

    /// The authentication made within this flow (or taken from the SSO session), if any.
    pub fn auth(&self) -> Option<&Authentication> {
        match &self.stage {
            Stage::Authenticated(a) | Stage::Consented(a) => Some(a),
            _ => None,
        }
    }

    /// The user this flow is about, once named.
    pub fn user_id(&self) -> Option<&str> {
        match &self.stage {
            Stage::Identified { user_id } | Stage::Challenged { user_id, .. } => Some(user_id),
            Stage::Authenticated(a) | Stage::Consented(a) => Some(&a.user_id),
            Stage::Started | Stage::Done => None,
        }
    }

    /// The user who is being asked for a further factor, if the flow is at that step.
    pub fn challenged_user(&self) -> Option<&str> {
        match &self.stage {
            Stage::Challenged { user_id, .. } => Some(user_id),
            _ => None,
        }
    }

    /// Whether the flow asks for `factor` now (a factor page may show and check it).
    pub fn offers(&self, factor: &str) -> bool {
        matches!(&self.stage, Stage::Challenged { offer, enrol: false, .. } if offer.iter().any(|o| o == factor))
    }

    /// Whether the user may enrol `factor` now (an enrolment page may show and accept it).
    pub fn enrols(&self, factor: &str) -> bool {
        matches!(&self.stage, Stage::Challenged { offer, enrol: true, .. } if offer.iter().any(|o| o == factor))
    }

    /// The factors passed in this flow so far (empty before the first).
    pub fn passed(&self) -> &[String] {
        match &self.stage {
            Stage::Challenged { passed, .. } => passed,
            _ => &[],
        }
    }

    /// A form post belongs to this flow only from the browser that started it and with
    /// the flow's CSRF token (both compared in constant time).
    pub fn accepts(&self, browser: &str, csrf: &str) -> bool {
        ct_eq(self.browser.as_bytes(), browser.as_bytes()) & ct_eq(self.csrf.as_bytes(), csrf.as_bytes())
    }

    /// The one transition function. `now` is for `max_age` (OIDC Core §3.1.2.1).
    pub fn step(self, event: Event, policy: &Policy<'_>, now: i64) -> Result<(Flow, Next), Refused> {
        let refused = Refused { stage: self.stage.name(), event: event.name() };
        let first = |f: &str| assurance::FIRST_FACTORS.contains(&f);
        match (&self.stage, event) {
            (Stage::Started, Event::Authorize { sso }) => Ok(self.decide(sso, false, false, policy, now)),
            (Stage::Started | Stage::Identified { .. }, Event::Identified { user_id }) => Ok((self.to(Stage::Identified { user_id }), Next::ShowPage(PageId::Login))),
            (Stage::Started | Stage::Authenticated(_), Event::Passed { user_id, factor }) if first(&factor) => policy.facts.map(|f| self.challenged(user_id, vec![factor], None, f, policy)).ok_or(refused),
            (Stage::Identified { user_id: named }, Event::Passed { user_id, factor }) if *named == user_id && first(&factor) => policy.facts.map(|f| self.challenged(user_id, vec![factor], None, f, policy)).ok_or(refused),
            // A further factor: only one the flow offers (or lets the user enrol), only for
            // the user who passed the ones before.
            (Stage::Challenged { user_id: named, passed, offer, session, .. }, Event::Passed { user_id, factor }) if *named == user_id && offer.contains(&factor) && !passed.contains(&factor) => {
                let (mut passed, session) = (passed.clone(), session.clone());
                passed.push(factor);
                policy.facts.map(|f| self.challenged(user_id, passed, session, f, policy)).ok_or(refused)
            }
            // Signing in afresh on the sign-in page while a further factor is asked (the
            // back button): the authentication starts over, nothing passed before counts.
            (Stage::Challenged { offer, .. }, Event::Passed { user_id, factor }) if first(&factor) && !offer.contains(&factor) => policy.facts.map(|f| self.challenged(user_id, vec![factor], None, f, policy)).ok_or(refused),
            (Stage::Challenged { offer, enrol, .. }, Event::Chose { factor }) if offer.contains(&factor) => {
                let page = (policy.page_of)(&factor, *enrol);
                Ok((self, Next::ShowPage(page)))
            }
            (Stage::Challenged { user_id, passed, offer, .. }, Event::SessionReady(auth)) if auth.user_id == *user_id && offer.is_empty() && passed.iter().all(|p| auth.factors.contains(p)) => {
                Ok(self.decide(Some(auth), true, false, policy, now))
            }
            (Stage::Authenticated(a), Event::Consent(Decision::Allow)) => {
                let a = a.clone();
                Ok(self.to(Stage::Consented(a.clone())).decide(Some(a), true, true, policy, now))
            }
            (Stage::Authenticated(_), Event::Consent(Decision::Deny)) => Ok((self.to(Stage::Done), Next::Redirect(OAuthError::access_denied("the user denied the request")))),
            _ => Err(refused),
        }
    }

    fn to(self, stage: Stage) -> Flow {
        Flow { stage, ..self }
    }

    /// After `user_id` passed `passed`: asks for what is still missing, or starts the session
    /// (upgrades the SSO session `session`, for a step-up).
    fn challenged(self, user_id: String, passed: Vec<String>, session: Option<String>, facts: &Facts, policy: &Policy<'_>) -> (Flow, Next) {
        let (offer, enrol) = match assurance::requirement(facts, &passed) {
            Requirement::Met => {
                let next = Next::StartSession { user_id: user_id.clone(), factors: passed.clone(), session: session.clone() };
                return (self.to(Stage::Challenged { user_id, passed, offer: vec![], enrol: false, session }), next);
            }
            Requirement::Unmet => return (self.to(Stage::Done), Next::Redirect(unmet())),
            Requirement::Ask(offer) => (offer, false),
            Requirement::Enrol(offer) => (offer, true),
        };
        // One factor (besides the recovery codes that stand in for it, which its page
        // links to) goes straight to its page; a real choice to the choice page.
        let main: Vec<&str> = offer.iter().map(String::as_str).filter(|f| *f != assurance::RECOVERY_CODE).collect();
        let page = match (main.as_slice(), offer.as_slice()) {
            ([only], _) => (policy.page_of)(only, enrol),
            ([], [only]) => (policy.page_of)(only, enrol),
            _ => PageId::FactorChoice,
        };
        (self.to(Stage::Challenged { user_id, passed, offer, enrol, session }), Next::ShowPage(page))
    }

    /// Asks the protocol what the request needs now. `fresh`: the authentication was made
    /// within this flow (it satisfies prompt=login and max_age).
    fn decide(self, auth: Option<Authentication>, fresh: bool, consented: bool, policy: &Policy<'_>, now: i64) -> (Flow, Next) {
        let at = FlowPosition { auth: auth.as_ref(), fresh, consented, granted: policy.granted };
        let outcome = authorize::decide(&self.request, policy.client, at, now);
        // A valid session that does not reach what this request or the pool's policy
        // needs is stepped up: only the missing factors are asked, the session stays.
        if let (AuthorizeOutcome::Issue(_) | AuthorizeOutcome::NeedsConsent, Some(a), Some(facts)) = (&outcome, &auth, policy.facts) {
            let passed = assurance::factors_of(a);
            if passed.is_empty() {
                // A session that records no factor proves nothing: sign in.
                return (self.to(Stage::Started), Next::ShowPage(PageId::Login));
            }
            if assurance::requirement(facts, &passed) != Requirement::Met {
                if self.request.has_prompt(crate::protocol::types::Prompt::None) {
                    // OIDC Core §3.1.2.6: no page may be shown for prompt=none.
                    return (self.to(Stage::Done), Next::Redirect(OAuthError::new(crate::protocol::ErrorCode::InteractionRequired, "a further factor is needed")));
                }
                let (user_id, sid) = (a.user_id.clone(), a.sid.clone());
                return self.challenged(user_id, passed, Some(sid), facts, policy);
            }
        }
        match outcome {
            AuthorizeOutcome::NeedsLogin => (self.to(Stage::Started), Next::ShowPage(PageId::Login)),
            AuthorizeOutcome::NeedsConsent => match auth {
                Some(a) => (self.to(Stage::Authenticated(a)), Next::ShowPage(PageId::Consent)),
                None => (self.to(Stage::Started), Next::ShowPage(PageId::Login)),
            },
            AuthorizeOutcome::Issue(mut a) => {
                // The acr claim answers this request: the first level it asked for that
                // the authentication reaches (OIDC Core §3.1.2.1, `acr_values` in order of
                // preference; §5.5.1.1: for an essential claim, one of its values), never
                // below the client's floor, else the highest one reached.
                if let Some(f) = policy.facts {
                    a.acr = assurance::acr_of(&f.levels, &assurance::factors_of(&a), &f.requested, f.minimum.as_deref());
                }
                (self.to(Stage::Done), Next::IssueCode(a))
            }
            AuthorizeOutcome::RedirectError(e) => (self.to(Stage::Done), Next::Redirect(e)),
        }
    }

    pub async fn save(&self, sessions: &Sessions, ttl: i64) -> Result<(), AppError> {
        sessions.put(Kind::Flow, &self.id, self, ttl).await
    }

    /// The stored flow `id` (any state holder that has the session store will do).
    pub async fn load(store: &impl AsRef<Sessions>, id: &str) -> Result<Option<Self>, AppError> {
        store.as_ref().get(Kind::Flow, id).await
    }

    /// Takes the stored flow `id` away in one atomic step: true for the one caller that
    /// got it, so two concurrent requests cannot both finish one flow.
    pub async fn take(sessions: &Sessions, id: &str) -> Result<bool, AppError> {
        Ok(sessions.consume::<serde::de::IgnoredAny>(Kind::Flow, id).await?.is_some())
    }
}

/// OpenID Connect Core Unmet Authentication Requirements 1.0 §3.
fn unmet() -> OAuthError {
    OAuthError::new(crate::protocol::ErrorCode::UnmetAuthenticationRequirements, "the requested level of assurance cannot be reached")
}

impl AsRef<Sessions> for Sessions {
    fn as_ref(&self) -> &Sessions {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::types::{Prompt, Scope};
    use crate::storage::{ConsentMode, SigningAlg};

    fn client(consent: ConsentMode) -> Client {
        Client {
            tenant_id: crate::model::TenantId::new("t"),
            workspace_id: "w".into(),
            client_id: "c".into(),
            name: "c".into(),
            secret_sha256: Some([0; 32]),
            redirect_uris: vec!["http://127.0.0.1/cb".into()],
            post_logout_redirect_uris: vec![],
            grant_types: vec!["authorization_code".into()],
            scopes: vec!["openid".into()],
            consent,
            id_token_alg: SigningAlg::RS256,
            allowed_origins: vec![],
            min_acr: None,
        }
    }

    fn flow(prompt: Vec<Prompt>) -> Flow {
        let request = AuthorizationRequest {
            client_id: "c".into(),
            redirect_uri: "http://127.0.0.1/cb".into(),
            scope: Scope(vec!["openid".into()]),
            state: None,
            nonce: None,
            prompt,
            max_age: None,
            login_hint: None,
            ui_locales: vec![],
            acr_values: vec![],
            acr_essential: false,
            code_challenge: None,
        };
        Flow::start(&crate::model::TenantId::new("t"), "w", "b".into(), request)
    }

    fn auth(user: &str) -> Authentication {
        Authentication { tenant_id: crate::model::TenantId::new("t"), workspace_id: "w".into(), user_id: user.into(), auth_time: 0, sid: "s".into(), acr: "a".into(), amr: vec!["pwd".into()], session_ms: 0, factors: vec!["password".into()] }
    }

    fn page_of(factor: &str, enrol: bool) -> PageId {
        crate::auth::factors::page_of(factor, enrol)
    }

    static STEP_UP: std::sync::LazyLock<Facts> = std::sync::LazyLock::new(|| Facts { pool_factors: vec!["totp".into()], ..Facts::default() });
    static REQUIRED: std::sync::LazyLock<Facts> = std::sync::LazyLock::new(|| Facts { policy: crate::storage::identity::MfaPolicy::Required, pool_factors: vec!["totp".into()], enrolled: vec!["totp".into()], ..Facts::default() });

    fn policy(c: &Client) -> Policy<'_> {
        Policy { client: c, granted: &[], facts: Some(&STEP_UP), page_of }
    }

    #[test]
    fn consent_before_authentication_is_refused() {
        let c = client(ConsentMode::Required);
        let r = flow(vec![]).step(Event::Consent(Decision::Allow), &policy(&c), 0);
        assert_eq!(r.err(), Some(Refused { stage: "started", event: "consent" }));
    }

    #[test]
    fn a_session_needs_every_required_factor_and_the_same_user() {
        let c = client(ConsentMode::Required);
        let p = policy(&c);
        assert!(flow(vec![]).step(Event::SessionReady(auth("u")), &p, 0).is_err(), "no factor passed");
        let (f, next) = flow(vec![]).step(Event::Passed { user_id: "u".into(), factor: "password".into() }, &p, 0).unwrap();
        assert_eq!(next, Next::StartSession { user_id: "u".into(), factors: vec!["password".into()], session: None });
        assert!(f.clone().step(Event::SessionReady(auth("mallory")), &p, 0).is_err(), "another user's session");
        let (f, next) = f.step(Event::SessionReady(auth("u")), &p, 0).unwrap();
        assert_eq!(next, Next::ShowPage(PageId::Consent));
        let (f, next) = f.step(Event::Consent(Decision::Allow), &p, 0).unwrap();
        assert!(matches!(next, Next::IssueCode(a) if a.user_id == "u"));
        assert!(f.step(Event::Consent(Decision::Allow), &p, 0).is_err(), "nothing after done");
    }

    #[test]
    fn a_missing_factor_shows_its_page() {
        let c = client(ConsentMode::Implicit);
        let p = Policy { client: &c, granted: &[], facts: Some(&REQUIRED), page_of };
        let (f, next) = flow(vec![]).step(Event::Passed { user_id: "u".into(), factor: "password".into() }, &p, 0).unwrap();
        assert_eq!(next, Next::ShowPage(PageId::Totp));
        assert!(f.offers("totp") && !f.enrols("totp") && !f.offers("webauthn"));
        assert!(f.clone().step(Event::SessionReady(auth("u")), &p, 0).is_err(), "totp not passed yet");
        assert!(f.clone().step(Event::Passed { user_id: "other".into(), factor: "totp".into() }, &p, 0).is_err(), "another user's factor");
        assert!(f.clone().step(Event::Passed { user_id: "u".into(), factor: "sms_otp".into() }, &p, 0).is_err(), "a factor not offered");
        let (restarted, _) = f.clone().step(Event::Passed { user_id: "other".into(), factor: "password".into() }, &p, 0).unwrap();
        assert_eq!((restarted.challenged_user(), restarted.passed()), (Some("other"), &["password".to_string()][..]), "a fresh sign-in starts over");
        let (_, next) = f.step(Event::Passed { user_id: "u".into(), factor: "totp".into() }, &p, 0).unwrap();
        assert_eq!(next, Next::StartSession { user_id: "u".into(), factors: vec!["password".into(), "totp".into()], session: None });
    }

    #[test]
    fn a_session_short_of_the_level_asked_is_stepped_up_and_an_unreachable_one_is_unmet() {
        let c = client(ConsentMode::Implicit);
        let mut f = flow(vec![]);
        f.request.acr_values = vec![assurance::LOA2.into()];
        let p = Policy { client: &c, granted: &[], facts: Some(&REQUIRED), page_of };
        let (stepped, next) = f.clone().step(Event::Authorize { sso: Some(auth("u")) }, &p, 0).unwrap();
        assert_eq!(next, Next::ShowPage(PageId::Totp));
        assert_eq!(stepped.passed(), &["password".to_string()]);
        assert!(matches!(&stepped.stage, Stage::Challenged { session: Some(s), .. } if s == "s"), "the step-up is bound to the session");
        let (_, next) = stepped.step(Event::Passed { user_id: "u".into(), factor: "totp".into() }, &p, 0).unwrap();
        assert_eq!(next, Next::StartSession { user_id: "u".into(), factors: vec!["password".into(), "totp".into()], session: Some("s".into()) });
        f.request.acr_values = vec![assurance::LOA3.into()];
        let facts = Facts { requested: vec![assurance::LOA3.into()], ..REQUIRED.clone() };
        let p = Policy { client: &c, granted: &[], facts: Some(&facts), page_of };
        let (_, next) = f.step(Event::Authorize { sso: Some(auth("u")) }, &p, 0).unwrap();
        assert!(matches!(next, Next::Redirect(e) if e.error == crate::protocol::ErrorCode::UnmetAuthenticationRequirements));
    }

    #[test]
    fn sso_without_consent_issues_at_once_and_prompt_login_asks_again() {
        let c = client(ConsentMode::Implicit);
        let (_, next) = flow(vec![]).step(Event::Authorize { sso: Some(auth("u")) }, &policy(&c), 0).unwrap();
        assert!(matches!(next, Next::IssueCode(_)));
        let (f, next) = flow(vec![Prompt::Login]).step(Event::Authorize { sso: Some(auth("u")) }, &policy(&c), 0).unwrap();
        assert_eq!(next, Next::ShowPage(PageId::Login));
        assert!(f.stage == Stage::Started);
    }

    #[test]
    fn deny_redirects_with_access_denied() {
        let c = client(ConsentMode::Required);
        let f = flow(vec![]).to(Stage::Authenticated(auth("u")));
        let (f, next) = f.step(Event::Consent(Decision::Deny), &policy(&c), 0).unwrap();
        assert!(matches!(next, Next::Redirect(e) if e.error == crate::protocol::ErrorCode::AccessDenied));
        assert!(f.stage == Stage::Done);
    }
}
