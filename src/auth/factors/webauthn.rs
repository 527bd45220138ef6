//! The passkey factor (WebAuthn with `webauthn-rs`): creating a passkey, and signing in
//! with one as a second factor (the user being challenged) or as a first factor without a
//! password (a discoverable credential: the user comes from its user handle, which is the
//! user's id). HTTP-free: the page layer (`http::pages::passkey`) finds the flow, checks
//! its CSRF token and feeds the engine what comes out.
//!
//! Passkeys are discoverable (resident) credentials created and used with user
//! verification required: the authenticator checked the user (RFC 8176 `user`) on a key
//! bound to it (`hwk`), so one passkey counts as two factors (`auth::assurance`).
//!
//! Who may do what:
//! - A ceremony is started for a flow by the browser that started the flow, with its CSRF
//!   token, and its answer counts once, for that flow and browser (`passkeys::Ceremony`).
//! - Registration only for the user being challenged, and only while the flow lets them
//!   enrol a passkey (`Flow::enrols`); second-factor authentication only while the flow
//!   asks for one (`Flow::offers`), and only with one of that user's own passkeys (the
//!   allow list; the crate refuses any other credential).
//! - A discoverable passkey signs in only the user its user handle names, only with a
//!   passkey of that user (looked up among their credentials in this tenant), only when
//!   that user is active, belongs to one of the workspace's pools, and that pool lists
//!   `webauthn` among its factors (`mfa.factors`): a pool that took passkeys away no
//!   longer lets them sign in without a password.
//! - The crate checks the origin, the challenge, the RP ID hash (a credential made for
//!   another RP ID is refused), user verification and the signature counter.
use serde_json::Value;
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential, Uuid, Webauthn};

use crate::auth::passkeys::{self, Ceremony, Held, Purpose, State};
use crate::error::AppError;
use crate::model::TenantId;
use crate::storage::identity::{CredentialStore, PoolStore};
use crate::storage::session::Sessions;
use crate::storage::{AuditEvent, AuditStore, User, UserStatus, UserStore};

/// The factor's name (see `auth::assurance`).
pub const NAME: &str = crate::auth::assurance::WEBAUTHN;

/// What the passkey factor needs: the stores, never `AppState`.
pub struct Ports<'a> {
    pub users: &'a dyn UserStore,
    pub pools: &'a dyn PoolStore,
    pub credentials: &'a (dyn CredentialStore + 'static),
    pub sessions: &'a Sessions,
    pub audit: &'a dyn AuditStore,
    pub now: i64,
}

/// The flow a ceremony belongs to, as the page layer found it.
pub struct Binding<'a> {
    pub tenant: &'a TenantId,
    pub workspace: &'a str,
    /// The workspace's pools: a passkey of a user of another pool is refused.
    pub pools: &'a [String],
    pub flow_id: &'a str,
    pub browser: &'a str,
}

/// Why a ceremony did not succeed (the page says so; the details go to the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The ceremony expired, was answered already, or is not this flow's.
    Expired,
    /// The user holds no passkey to authenticate with.
    NoPasskey,
    /// The answer does not check out, or names a user or passkey that may not sign in here.
    Refused,
}

/// A started ceremony: its id and the options for `navigator.credentials.create/get`.
pub struct Started {
    pub ceremony: String,
    pub options: Value,
}

/// A finished ceremony: who passed (or enrolled) the factor.
#[derive(Debug)]
pub struct Finished {
    pub user_id: String,
    pub purpose: Purpose,
}

/// A user who may sign in to this workspace: active, of one of its pools.
async fn eligible(ports: &Ports<'_>, bind: &Binding<'_>, user_id: &str) -> Result<Option<User>, AppError> {
    let user = ports.users.get(bind.tenant, user_id).await?;
    Ok(user.filter(|u| u.status == UserStatus::Active && bind.pools.contains(&u.pool_id)))
}

fn user_handle(user: &User) -> Result<Uuid, AppError> {
    Uuid::parse_str(&user.id).map_err(|e| AppError::internal("a passkey needs a user id that is a UUID").because(e))
}

/// Starts a ceremony. `user_id`: the user being challenged (registration and second
/// factor; ignored for a discoverable sign-in).
pub async fn begin(ports: &Ports<'_>, rp: &Webauthn, bind: &Binding<'_>, purpose: Purpose, user_id: Option<&str>) -> Result<Result<Started, Refusal>, AppError> {
    let user = match (purpose, user_id) {
        (Purpose::Discover, _) => None,
        (_, Some(u)) => match eligible(ports, bind, u).await? {
            Some(u) => Some(u),
            None => return Ok(Err(Refusal::Refused)),
        },
        (_, None) => return Ok(Err(Refusal::Refused)),
    };
    let (options, state) = match (&user, purpose) {
        (Some(u), Purpose::Register) => {
            let held = passkeys::held(ports.credentials, bind.tenant, &u.id).await?;
            let exclude: Vec<_> = held.iter().map(|h| h.passkey.cred_id().clone()).collect();
            let name = if u.username.is_empty() { u.email.clone().unwrap_or_else(|| u.id.clone()) } else { u.username.clone() };
            let display = u.claims.get("given_name").and_then(Value::as_str).map(str::to_owned).unwrap_or_else(|| name.clone());
            let (ccr, reg) = rp.start_passkey_registration(user_handle(u)?, &name, &display, (!exclude.is_empty()).then_some(exclude)).map_err(crate_error)?;
            let mut options = serde_json::to_value(ccr)?;
            // Passkeys are discoverable credentials (WebAuthn §5.4.6 `residentKey`), so
            // they can sign in without a user name; the crate asks for a non-resident one.
            if let Some(sel) = options.pointer_mut("/publicKey/authenticatorSelection").and_then(Value::as_object_mut) {
                sel.insert("residentKey".into(), "required".into());
                sel.insert("requireResidentKey".into(), true.into());
            }
            (options, State::Register(reg))
        }
        (Some(u), Purpose::Authenticate) => {
            let held: Vec<_> = passkeys::held(ports.credentials, bind.tenant, &u.id).await?.into_iter().map(|h| h.passkey).collect();
            if held.is_empty() {
                return Ok(Err(Refusal::NoPasskey));
            }
            let (rcr, auth) = rp.start_passkey_authentication(&held).map_err(crate_error)?;
            (serde_json::to_value(rcr)?, State::Authenticate(auth))
        }
        _ => {
            let (rcr, auth) = rp.start_discoverable_authentication().map_err(crate_error)?;
            (serde_json::to_value(rcr)?, State::Discover(auth))
        }
    };
    let ceremony = Ceremony { flow_id: bind.flow_id.into(), browser: bind.browser.into(), tenant_id: bind.tenant.clone(), workspace_id: bind.workspace.into(), user_id: user.map(|u| u.id), state };
    let id = ceremony.save(ports.sessions).await?;
    Ok(Ok(Started { ceremony: id, options }))
}

fn crate_error(e: webauthn_rs::prelude::WebauthnError) -> AppError {
    AppError::internal("webauthn ceremony could not be started").because(e)
}

/// Checks the browser's answer `credential` (JSON) to ceremony `ceremony_id`.
/// `permits(purpose, user)`: whether the flow takes this factor now for this user (the
/// page layer asks the flow: `enrols`, `offers`, or a first factor at the sign-in page).
pub async fn finish(ports: &Ports<'_>, rp: &Webauthn, bind: &Binding<'_>, ceremony_id: &str, credential: &str, permits: &dyn Fn(Purpose, Option<&str>) -> bool) -> Result<Result<Finished, Refusal>, AppError> {
    let Some(c) = Ceremony::take(ports.sessions, ceremony_id, bind.flow_id, bind.browser).await? else {
        return Ok(Err(Refusal::Expired));
    };
    let purpose = c.purpose();
    if c.tenant_id != *bind.tenant || c.workspace_id != bind.workspace || !permits(purpose, c.user_id.as_deref()) || credential.len() > passkeys::MAX_CREDENTIAL_JSON {
        return Ok(Err(refused(ports, bind, c.user_id.as_deref(), "not_permitted").await));
    }
    let who = c.user_id.clone();
    let outcome = match (c.state, c.user_id) {
        (State::Register(reg), Some(user_id)) => register(ports, rp, bind, &user_id, &reg, credential).await?,
        (State::Authenticate(auth), Some(user_id)) => authenticate(ports, rp, bind, &user_id, &auth, credential).await?,
        (State::Discover(auth), _) => discover(ports, rp, bind, auth, credential).await?,
        (_, None) => Err("no_user".into()),
    };
    Ok(match outcome {
        Ok(user_id) => Ok(Finished { user_id, purpose }),
        Err(reason) => Err(refused(ports, bind, who.as_deref(), &reason).await),
    })
}

/// Why an answer was refused, for the log and the audit trail (never the credential):
/// our reason, or the crate's error (its variant name, e.g. `InvalidRPIDHash`).
type Checked = Result<String, std::borrow::Cow<'static, str>>;

fn crate_refused(what: &'static str, e: &webauthn_rs::prelude::WebauthnError) -> std::borrow::Cow<'static, str> {
    tracing::info!(error = %e, what, "passkey refused by the WebAuthn checks");
    format!("{what}:{e:?}").into()
}

async fn register(ports: &Ports<'_>, rp: &Webauthn, bind: &Binding<'_>, user_id: &str, reg: &webauthn_rs::prelude::PasskeyRegistration, credential: &str) -> Result<Checked, AppError> {
    let Ok(answer) = serde_json::from_str::<RegisterPublicKeyCredential>(credential) else {
        return Ok(Err("malformed".into()));
    };
    let passkey = match rp.finish_passkey_registration(&answer, reg) {
        Ok(p) => p,
        Err(e) => return Ok(Err(crate_refused("registration_refused", &e))),
    };
    if eligible(ports, bind, user_id).await?.is_none() {
        return Ok(Err("user_not_eligible".into()));
    }
    // The credential id is the user's only once (WebAuthn §7.1 step 25). It cannot stand
    // for another account's passkey either: lookups go by the user handle to that user's
    // own credentials.
    if passkeys::held(ports.credentials, bind.tenant, user_id).await?.iter().any(|h| h.passkey.cred_id() == passkey.cred_id()) {
        return Ok(Err("already_registered".into()));
    }
    let stored = passkeys::add(ports.credentials, bind.tenant, user_id, &passkey, ports.now).await?;
    audit(ports, bind, user_id, "passkey.enrolled", serde_json::json!({ "credential": stored.id, "workspace": bind.workspace })).await;
    Ok(Ok(user_id.to_owned()))
}

async fn authenticate(ports: &Ports<'_>, rp: &Webauthn, bind: &Binding<'_>, user_id: &str, auth: &webauthn_rs::prelude::PasskeyAuthentication, credential: &str) -> Result<Checked, AppError> {
    let Ok(answer) = serde_json::from_str::<PublicKeyCredential>(credential) else {
        return Ok(Err("malformed".into()));
    };
    // The allow list of the ceremony holds only this user's passkeys: the crate refuses
    // any other credential.
    let result = match rp.finish_passkey_authentication(&answer, auth) {
        Ok(r) => r,
        Err(e) => return Ok(Err(crate_refused("assertion_refused", &e))),
    };
    let held = passkeys::held(ports.credentials, bind.tenant, user_id).await?.into_iter().find(|h| h.passkey.cred_id() == result.cred_id());
    used(ports, bind, user_id, held, &result).await
}

async fn discover(ports: &Ports<'_>, rp: &Webauthn, bind: &Binding<'_>, auth: webauthn_rs::prelude::DiscoverableAuthentication, credential: &str) -> Result<Checked, AppError> {
    let Ok(answer) = serde_json::from_str::<PublicKeyCredential>(credential) else {
        return Ok(Err("malformed".into()));
    };
    let Ok((handle, cred_id)) = rp.identify_discoverable_authentication(&answer) else {
        return Ok(Err("no_user_handle".into()));
    };
    let user_id = handle.to_string();
    let Some(user) = eligible(ports, bind, &user_id).await? else {
        return Ok(Err("user_not_eligible".into()));
    };
    let pool = ports.pools.pool(bind.tenant, &user.pool_id).await?;
    if !pool.is_some_and(|p| p.settings.mfa.factors.iter().any(|f| f == NAME)) {
        return Ok(Err("pool_without_passkeys".into()));
    }
    // Only a passkey of the user the handle names.
    let Some(held) = passkeys::held(ports.credentials, bind.tenant, &user.id).await?.into_iter().find(|h| h.passkey.cred_id().as_slice() == cred_id) else {
        return Ok(Err("unknown_credential".into()));
    };
    let result = match rp.finish_discoverable_authentication_v2(&answer, auth, &held.passkey) {
        Ok(r) => r,
        Err(e) => return Ok(Err(crate_refused("assertion_refused", &e))),
    };
    used(ports, bind, &user.id, Some(held), &result).await
}

/// After a verified assertion: user verification, the user's eligibility, and the write
/// back of counter and backup flags, which must win its compare-and-set.
async fn used(ports: &Ports<'_>, bind: &Binding<'_>, user_id: &str, held: Option<Held>, result: &webauthn_rs::prelude::AuthenticationResult) -> Result<Checked, AppError> {
    let Some(held) = held else {
        return Ok(Err("unknown_credential".into()));
    };
    // Required by the ceremony already; a passkey counts as two factors only with it.
    if !result.user_verified() {
        return Ok(Err("not_user_verified".into()));
    }
    if eligible(ports, bind, user_id).await?.is_none() {
        return Ok(Err("user_not_eligible".into()));
    }
    let id = held.credential.id.clone();
    if !passkeys::record_use(ports.credentials, bind.tenant, held, result, ports.now).await? {
        return Ok(Err("changed_meanwhile".into()));
    }
    audit(ports, bind, user_id, "passkey.used", serde_json::json!({ "credential": id, "workspace": bind.workspace })).await;
    Ok(Ok(user_id.to_owned()))
}

async fn refused(ports: &Ports<'_>, bind: &Binding<'_>, user_id: Option<&str>, reason: &str) -> Refusal {
    tracing::info!(reason, "passkey refused");
    audit(ports, bind, user_id.unwrap_or("unknown"), "passkey.refused", serde_json::json!({ "reason": reason, "workspace": bind.workspace })).await;
    Refusal::Refused
}

/// Records an audit event; a failure to record is logged, not fatal to the sign-in.
async fn audit(ports: &Ports<'_>, bind: &Binding<'_>, user_id: &str, action: &str, detail: Value) {
    let event = AuditEvent { tenant_id: bind.tenant.clone(), actor: format!("user:{user_id}"), action: action.into(), subject: user_id.into(), detail };
    if let Err(e) = ports.audit.record(event, ports.now).await {
        tracing::error!(error = %e, action, "audit event not recorded");
    }
}
