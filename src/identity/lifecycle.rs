//! The user lifecycle: `new` → `active` ↔ `inactive` → `deleted` (DESIGN.md): status
//! changes, activation, password resets (with the policy's history), revocation, retention.
//! What a write may contain is decided in one place, `identity::users`; errors carry JSON
//! pointers into the user document `{username, email, phone, password, status, payload: {…},
//! metadata: {…}}`.
use serde_json::{Map, Value};

use super::schema::{Compiled, FieldError};
use super::users::{self, Draft, Rules, Writer};
use crate::error::AppError;
use crate::model::TenantId;
use crate::storage::identity::{NewUser, Pool};
use crate::storage::session::Kind;
use crate::storage::{AuditEvent, User, UserStatus};

pub use super::users::{Rejected, fe, prefixed};

pub use super::deps::Deps;

pub async fn load_schema(state: &Deps<'_>, tenant: &TenantId, id: &str) -> Result<Compiled, AppError> {
    users::load_schema(state.schemas, tenant, id).await
}

/// Rules a new password breaks, including reuse of the last `history` passwords.
pub async fn check_new_password(state: &Deps<'_>, pool: &Pool, ids: &[&str], password: &str, user_id: Option<&str>) -> Result<Vec<FieldError>, AppError> {
    let policy = &pool.settings.password_policy;
    let mut errors: Vec<FieldError> = users::password_errors(policy, password, ids);
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

/// What a user document says, before checks: the admin API's `POST …/users` body, and
/// what a registration posts. `identity::users` checks it as a [`users::Draft`]. `Debug`
/// hides the password.
#[derive(Default, Clone, serde::Deserialize, utoipa::ToSchema)]
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

impl std::fmt::Debug for UserInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let UserInput { username, email, phone, password, status, payload, metadata, groups } = self;
        f.debug_struct("UserInput")
            .field("username", username)
            .field("email", email)
            .field("phone", phone)
            .field("password", &crate::redact::option(password))
            .field("status", status)
            .field("payload", payload)
            .field("metadata", metadata)
            .field("groups", groups)
            .finish()
    }
}

impl From<UserInput> for Draft {
    fn from(i: UserInput) -> Draft {
        Draft {
            username: i.username,
            email: i.email,
            phone: i.phone,
            password: i.password,
            password_hash: None,
            status: i.status.map(|s| s.as_str().to_owned()),
            groups: i.groups,
            payload: i.payload,
            metadata: i.metadata,
        }
    }
}

/// Checks a new user against the pool (`identity::users`) and hashes its password.
pub async fn create_draft(state: &Deps<'_>, pool: &Pool, writer: Writer, draft: Draft) -> Result<NewUser, Rejected> {
    let rules = Rules::load(state.schemas, state.groups, pool).await?;
    let mut user = rules.check(writer, &draft)?;
    if let Some(pw) = &draft.password {
        user.password_hash = Some(state.hasher.hash(pw).await?);
    }
    Ok(user)
}

/// Ends every session and grant of the user: after a password reset, a deactivation or a
/// deletion. Sessions are found by time: any made up to now (to the millisecond) no longer
/// counts; one made a moment later, in the same second, does.
pub async fn revoke_everything(state: &Deps<'_>, user: &User) -> Result<(), AppError> {
    state.grants.revoke_user(&user.tenant_id, &user.id, state.now()).await?;
    state.sessions.put(Kind::UserEpoch, &user.id, &state.now_ms(), state.config.ttl.session.max(state.config.ttl.refresh_token)).await
}

/// Allowed status changes; `new` is only left by activation.
pub fn transition_allowed(from: UserStatus, to: UserStatus) -> bool {
    use UserStatus::*;
    matches!((from, to), (New | Inactive, Active) | (New | Active, Inactive) | (New | Active | Inactive, Deleted)) || from == to
}

/// Changes the status; leaving `active` ends the user's sessions and tokens.
pub async fn set_status(state: &Deps<'_>, actor: &str, mut user: User, to: UserStatus) -> Result<User, Rejected> {
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
pub async fn activate(state: &Deps<'_>, tenant: &TenantId, user_id: &str, channel: crate::delivery::Channel, to: &str) -> Result<Option<User>, AppError> {
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

pub async fn send_activation_link(state: &Deps<'_>, user: &User) -> Result<(), AppError> {
    use crate::delivery::Channel;
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
    // No page caused this message: it speaks the user's stored locale, else the
    // workspace's default, and comes from the tenant's sender.
    let workspace = state.directory.workspace(&user.tenant_id, &ws).await?;
    let prefs = crate::locale::Preferences { user: user.claims.get("locale").and_then(|v| v.as_str()), default: workspace.as_ref().and_then(|w| w.default_locale.as_deref()), ..Default::default() };
    let locale = crate::locale::negotiate(prefs);
    let from = workspace.as_ref().and_then(|w| w.mail_from.clone());
    // It looks like the workspace's pages (theme, text overrides).
    let theme = state.themes.page_theme(&user.tenant_id, &ws, None).await?;
    let voice = super::otp::Voice::themed(locale, from, &theme, state.config.public_url.as_str());
    let kind = crate::texts::MailKind::Invitation { link: &link, days: ACTIVATION_LINK_TTL / 86_400 };
    let mut msg = voice.message(channel, &to, &user.tenant_id.to_string(), "activation", &kind);
    msg.link = Some(link);
    super::otp::send_later(state.delivery.clone(), msg);
    Ok(())
}

/// Spends an activation link: the user becomes active with a verified address.
pub async fn use_activation_link(state: &Deps<'_>, token: &str) -> Result<Option<User>, AppError> {
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
pub async fn reset_password(state: &Deps<'_>, pool: &Pool, user: &User, password: &str) -> Result<(), Rejected> {
    let errors = check_new_password(state, pool, &super::identifiers(user), password, Some(&user.id)).await?;
    if !errors.is_empty() {
        return Err(Rejected::Invalid(errors));
    }
    replace_password(state, pool, user, password).await.map_err(Rejected::from)
}

/// The second half of `reset_password`, for a password `check_new_password` accepted
/// already (its history check costs one argon2 verification per remembered password).
pub async fn replace_password(state: &Deps<'_>, pool: &Pool, user: &User, password: &str) -> Result<(), AppError> {
    let hash = state.hasher.hash(password).await?;
    state.credentials.set_password(&user.tenant_id, &user.id, &hash, pool.settings.password_policy.history, state.now()).await?;
    revoke_everything(state, user).await?;
    // Whoever locked the account by guessing, its owner now knows the password.
    super::lockout::unlock(state.counters, &user.tenant_id, &user.id, state.now()).await?;
    audit(state, &user.tenant_id, &format!("user:{}", user.id), "user.password_reset", &user.id, Value::Null).await;
    Ok(())
}

/// Erases personal data of users deleted longer ago than their pool's retention period.
pub async fn purge_deleted(state: &Deps<'_>) -> Result<u64, AppError> {
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
pub async fn audit(state: &Deps<'_>, tenant: &TenantId, actor: &str, action: &str, subject: &str, detail: Value) {
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
