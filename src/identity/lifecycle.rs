//! The user lifecycle: `new` → `active` ↔ `inactive` → `deleted` (DESIGN.md), and every
//! write path's checks: identifiers, password policy (with history), payload and metadata
//! schemas. Errors carry JSON pointers into the user document
//! `{username, email, phone, password, status, payload: {…}, metadata: {…}}`.
use serde_json::{Map, Value};

use super::schema::{self, Compiled, FieldError};
use super::{normalize_email, normalize_phone, normalize_username};
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::identity::{Identifier, NewUser, Pool};
use crate::storage::session::Kind;
use crate::storage::{AuditEvent, User, UserStatus};

/// A write rejected for reasons the caller can fix, each with a pointer.
#[derive(Debug)]
pub enum Rejected {
    Invalid(Vec<FieldError>),
    /// Internal failure (database, session store).
    App(AppError),
}

impl From<AppError> for Rejected {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Conflict(field) => Rejected::Invalid(vec![fe(&format!("/{field}"), "is already taken")]),
            e => Rejected::App(e),
        }
    }
}

pub fn fe(pointer: &str, message: &str) -> FieldError {
    FieldError { pointer: pointer.into(), message: message.into() }
}

/// Errors of a nested document (the payload, the metadata) as pointers into the user document.
pub fn prefixed(prefix: &str, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors.into_iter().map(|e| FieldError { pointer: format!("{prefix}{}", e.pointer), message: e.message }).collect()
}

/// The pool's payload and metadata schemas, compiled.
pub async fn schemas(state: &AppState, pool: &Pool) -> Result<(Compiled, Compiled), AppError> {
    Ok((load_schema(state, &pool.tenant_id, &pool.settings.payload_schema).await?, load_schema(state, &pool.tenant_id, &pool.settings.metadata_schema).await?))
}

pub async fn load_schema(state: &AppState, tenant: &crate::model::TenantId, id: &str) -> Result<Compiled, AppError> {
    let body = match schema::builtin(id) {
        Some(b) => b.clone(),
        None => state.schemas.schema(tenant, id).await?.ok_or_else(|| AppError::Data(format!("schema {id:?} of tenant {tenant:?} is missing")))?,
    };
    schema::compile(&body).map_err(|e| AppError::Data(format!("schema {id:?}: {e:?}")))
}

/// Rules a new password breaks, including reuse of the last `history` passwords.
pub async fn check_new_password(state: &AppState, pool: &Pool, ids: &[&str], password: &str, user_id: Option<&str>) -> Result<Vec<FieldError>, AppError> {
    let policy = &pool.settings.password_policy;
    let mut errors: Vec<FieldError> = policy.check(password, ids).into_iter().map(|v| fe("/password", &v.message)).collect();
    if let (true, Some(uid), true) = (errors.is_empty(), user_id, policy.history > 0) {
        for old in state.credentials.password_hashes(&pool.tenant_id, uid).await?.iter().take(policy.history as usize + 1) {
            if state.hasher.verify(password, old).await? {
                errors.push(fe("/password", &format!("Do not reuse one of your last {} passwords.", policy.history)));
                break;
            }
        }
    }
    Ok(errors)
}

/// What a user document says, before checks.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// 1-128 characters, no spaces or control characters; compared lower-cased.
    #[schema(min_length = 1, max_length = 128)]
    pub username: Option<String>,
    #[schema(max_length = 254, format = Email)]
    pub email: Option<String>,
    /// E.164: `+` and 8 to 15 digits.
    #[schema(pattern = "^\\+[1-9][0-9]{7,14}$")]
    pub phone: Option<String>,
    /// Checked against the pool's password policy (at most 1024 bytes are read).
    #[schema(max_length = 1024)]
    pub password: Option<String>,
    pub status: Option<UserStatus>,
    #[serde(default)]
    pub payload: Map<String, Value>,
    #[serde(default)]
    pub metadata: Map<String, Value>,
    #[serde(default)]
    pub groups: Vec<String>,
}

/// Normalised identifiers: (username, email, phone).
pub fn identifiers(pool: &Pool, input: &UserInput, errors: &mut Vec<FieldError>) -> (String, Option<String>, Option<String>) {
    let mut norm = |ptr: &str, v: &Option<String>, f: fn(&str) -> Result<String, String>| match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match f(v) {
            Ok(n) => Some(n),
            Err(m) => {
                errors.push(fe(ptr, &m));
                None
            }
        },
    };
    let email = norm("/email", &input.email, normalize_email);
    let phone = norm("/phone", &input.phone, normalize_phone);
    let username = norm("/username", &input.username, normalize_username);
    let id = match pool.settings.identifier {
        Identifier::Username => username.clone(),
        Identifier::Email => username.clone().or_else(|| email.clone()),
        Identifier::Phone => username.clone().or_else(|| phone.clone()),
    };
    let required = match pool.settings.identifier {
        Identifier::Username => ("/username", "A username is required."),
        Identifier::Email => ("/email", "An email address is required."),
        Identifier::Phone => ("/phone", "A phone number is required."),
    };
    let primary = match pool.settings.identifier {
        Identifier::Username => &username,
        Identifier::Email => &email,
        Identifier::Phone => &phone,
    };
    // Missing, empty or blank alike (a malformed value has its own error already).
    if primary.is_none() && !errors.iter().any(|e| e.pointer == required.0) {
        errors.push(fe(required.0, required.1));
    }
    (id.unwrap_or_default(), email, phone)
}

/// Checks a new user against the pool; hashes the password. Group ids must exist.
pub async fn prepare_new_user(state: &AppState, pool: &Pool, input: UserInput, status: UserStatus) -> Result<NewUser, Rejected> {
    let mut errors = vec![];
    let (username, email, phone) = identifiers(pool, &input, &mut errors);
    let (payload_schema, metadata_schema) = schemas(state, pool).await?;
    if let Err(e) = payload_schema.validate(&Value::Object(input.payload.clone())) {
        errors.extend(prefixed("/payload", e));
    }
    if let Err(e) = metadata_schema.validate(&Value::Object(input.metadata.clone())) {
        errors.extend(prefixed("/metadata", e));
    }
    let known: Vec<String> = state.groups.groups(&pool.tenant_id, &pool.id).await?.into_iter().map(|g| g.id).collect();
    for (i, g) in input.groups.iter().enumerate() {
        if !known.contains(g) {
            errors.push(fe(&format!("/groups/{i}"), &format!("no group {g:?} in pool {:?}", pool.id)));
        }
    }
    let password_hash = match &input.password {
        Some(pw) => {
            let ids: Vec<&str> = [Some(username.as_str()), email.as_deref(), phone.as_deref()].into_iter().flatten().collect();
            errors.extend(check_new_password(state, pool, &ids, pw, None).await?);
            if errors.is_empty() { Some(state.hasher.hash(pw).await?) } else { None }
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(Rejected::Invalid(errors));
    }
    // Active users' addresses count as verified (an administrator vouches for them).
    let verified = status == UserStatus::Active;
    Ok(NewUser {
        tenant_id: pool.tenant_id.clone(),
        pool_id: pool.id.clone(),
        username,
        status,
        email_verified: verified && email.is_some(),
        phone_verified: verified && phone.is_some(),
        email,
        phone,
        payload: input.payload,
        metadata: input.metadata,
        password_hash,
        password_source: None,
        groups: input.groups,
    })
}

/// Ends every session and grant of the user: after a password reset, a deactivation or a
/// deletion. Sessions are found by time: any made up to now (to the millisecond) no longer
/// counts; one made a moment later, in the same second, does.
pub async fn revoke_everything(state: &AppState, user: &User) -> Result<(), AppError> {
    state.grants.revoke_user(&user.tenant_id, &user.id, state.now()).await?;
    state.sessions.put(Kind::UserEpoch, &user.id, &state.now_ms(), state.config.ttl.session.max(state.config.ttl.refresh_token)).await
}

/// Whether a session survived every revocation since it was made.
pub async fn session_valid(state: &AppState, auth: &crate::protocol::types::Authentication) -> Result<bool, AppError> {
    crate::auth::session::valid(&state.sessions, auth).await
}

/// Allowed status changes; `new` is only left by activation.
pub fn transition_allowed(from: UserStatus, to: UserStatus) -> bool {
    use UserStatus::*;
    matches!((from, to), (New | Inactive, Active) | (New | Active, Inactive) | (New | Active | Inactive, Deleted)) || from == to
}

/// Changes the status; leaving `active` ends the user's sessions and tokens.
pub async fn set_status(state: &AppState, actor: &str, mut user: User, to: UserStatus) -> Result<User, Rejected> {
    if !transition_allowed(user.status, to) {
        return Err(Rejected::Invalid(vec![fe("/status", &format!("cannot change from {} to {}", user.status.as_str(), to.as_str()))]));
    }
    if user.status == to {
        return Ok(user);
    }
    let now = state.now();
    let from = user.status;
    user.status = to;
    if to == UserStatus::Deleted {
        user.deleted_at = Some(now);
    }
    state.users.update_user(&user.tenant_id, &user, now).await?;
    if to != UserStatus::Active {
        revoke_everything(state, &user).await?;
    }
    audit(state, &user.tenant_id, actor, &format!("user.{}", to.as_str()), &user.id, serde_json::json!({ "from": from.as_str() })).await;
    Ok(user)
}

/// Activation by an activation link: the address the link was sent to is verified and the
/// user becomes active. Only an `inactive` user whose addresses were never verified (created
/// so by an administrator) qualifies, and only while `to` is still its address: a link
/// proves control of the address it went to, nothing else. (Self-registrations activate
/// through `registration::activate`.)
pub async fn activate(state: &AppState, tenant: &crate::model::TenantId, user_id: &str, channel: crate::delivery::Channel, to: &str) -> Result<Option<User>, AppError> {
    let Some(mut user) = state.users.get(tenant, user_id).await? else {
        return Ok(None);
    };
    let still_there = match channel {
        crate::delivery::Channel::Email => user.email.as_deref() == Some(to),
        crate::delivery::Channel::Sms => user.phone.as_deref() == Some(to),
    };
    let allowed = matches!(user.status, UserStatus::New | UserStatus::Inactive) && !user.email_verified && !user.phone_verified;
    if !(allowed && still_there) {
        return Ok(None);
    }
    match channel {
        crate::delivery::Channel::Email => user.email_verified = true,
        crate::delivery::Channel::Sms => user.phone_verified = true,
    }
    user.status = UserStatus::Active;
    state.users.update_user(&user.tenant_id, &user, state.now()).await?;
    audit(state, tenant, &format!("user:{user_id}"), "user.activated", user_id, Value::Null).await;
    Ok(Some(user))
}

/// An activation link for a user an administrator created as inactive: sent to the
/// user's address, valid for a week, pointing at the first workspace that uses the pool.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ActivationLink {
    pub tenant_id: crate::model::TenantId,
    pub user_id: String,
    pub channel: crate::delivery::Channel,
    /// The address the link was sent to: the only one it can verify.
    pub to: String,
}

pub const ACTIVATION_LINK_TTL: i64 = 7 * 86_400;

pub async fn send_activation_link(state: &AppState, user: &User) -> Result<(), AppError> {
    use crate::delivery::{Channel, Message};
    let (channel, to) = match (&user.email, &user.phone) {
        (Some(e), _) => (Channel::Email, e.clone()),
        (None, Some(p)) => (Channel::Sms, p.clone()),
        (None, None) => return Ok(()),
    };
    let Some((ws, _, _)) = state.directory.workspaces(&user.tenant_id).await?.into_iter().find(|(_, _, pools)| pools.contains(&user.pool_id)) else {
        return Ok(());
    };
    let token = crate::crypto::random_token(24);
    let record = ActivationLink { tenant_id: user.tenant_id.clone(), user_id: user.id.clone(), channel, to: to.clone() };
    state.sessions.put(Kind::Otp, &format!("link:{}", crate::crypto::hex(&crate::crypto::digest(&token))), &record, ACTIVATION_LINK_TTL).await?;
    let link = format!("{}/activate?token={token}", state.config.issuer(&user.tenant_id, &ws));
    let msg = Message {
        channel,
        to,
        tenant: user.tenant_id.to_string(),
        purpose: "activation".into(),
        subject: "Activate your account".into(),
        text: format!("An account was created for you. Activate it within 7 days: {link}"),
        code: None,
        link: Some(link),
    };
    super::otp::send_later(state.delivery.clone(), msg);
    Ok(())
}

/// Spends an activation link: the user becomes active with a verified address.
pub async fn use_activation_link(state: &AppState, token: &str) -> Result<Option<User>, AppError> {
    if token.is_empty() || token.len() > 64 {
        return Ok(None);
    }
    let key = format!("link:{}", crate::crypto::hex(&crate::crypto::digest(token)));
    let Some(link) = state.sessions.consume::<ActivationLink>(Kind::Otp, &key).await? else {
        return Ok(None);
    };
    activate(state, &link.tenant_id, &link.user_id, link.channel, &link.to).await
}

/// Sets a new password chosen by the user (reset), then ends all sessions and grants.
pub async fn reset_password(state: &AppState, pool: &Pool, user: &User, password: &str) -> Result<(), Rejected> {
    let errors = check_new_password(state, pool, &super::identifiers(user), password, Some(&user.id)).await?;
    if !errors.is_empty() {
        return Err(Rejected::Invalid(errors));
    }
    replace_password(state, pool, user, password).await.map_err(Rejected::from)
}

/// The second half of `reset_password`, for a password `check_new_password` accepted
/// already (its history check costs one argon2 verification per remembered password).
pub async fn replace_password(state: &AppState, pool: &Pool, user: &User, password: &str) -> Result<(), AppError> {
    let hash = state.hasher.hash(password).await?;
    state.credentials.set_password(&user.tenant_id, &user.id, &hash, pool.settings.password_policy.history, state.now()).await?;
    revoke_everything(state, user).await?;
    // Whoever locked the account by guessing, its owner now knows the password.
    crate::auth::throttle::unlock(state.counters.as_ref(), &user.tenant_id, &user.id, state.now()).await?;
    audit(state, &user.tenant_id, &format!("user:{}", user.id), "user.password_reset", &user.id, Value::Null).await;
    Ok(())
}

/// Erases personal data of users deleted longer ago than their pool's retention period.
pub async fn purge_deleted(state: &AppState) -> Result<u64, AppError> {
    let mut total = 0;
    for (tenant, _) in state.directory.tenants().await? {
        for pool in state.pools.pools(&tenant).await? {
            let before = state.now() - i64::from(pool.settings.retention_days) * 86_400;
            let n = state.users.purge_deleted(&tenant, &pool.id, before).await?;
            if n > 0 {
                audit(state, &tenant, "retention", "user.purged", &pool.id, serde_json::json!({ "count": n })).await;
            }
            total += n;
        }
    }
    Ok(total)
}

/// Records an audit event; a failure to record is logged, not fatal to the request.
pub async fn audit(state: &AppState, tenant: &crate::model::TenantId, actor: &str, action: &str, subject: &str, detail: Value) {
    let event = AuditEvent { tenant_id: tenant.clone(), actor: actor.into(), action: action.into(), subject: subject.into(), detail };
    if let Err(e) = state.audit.record(event, state.now()).await {
        tracing::error!(error = %e, action, "audit event not recorded");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_transitions_follow_the_lifecycle() {
        use UserStatus::*;
        assert!(transition_allowed(New, Active));
        assert!(transition_allowed(Active, Inactive));
        assert!(transition_allowed(Inactive, Active));
        assert!(transition_allowed(Active, Deleted));
        assert!(!transition_allowed(Deleted, Active));
        assert!(!transition_allowed(Active, New));
        assert!(!transition_allowed(Deleted, Inactive));
    }
}
