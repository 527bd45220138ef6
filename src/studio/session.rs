//! Studio sessions and sign-ins in progress, in the session store (`Kind::Studio`), keyed
//! by digests of the values the browser holds; and the caller every studio request acts
//! as, read anew each time.
use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use serde::{Deserialize, Serialize};

use crate::admin::{ApiError, Caller};
use crate::error::AppError;
use crate::model::TenantId;
use crate::state::AppState;
use crate::storage::session::Kind;

/// The session cookie.
pub const COOKIE: &str = "pc_studio";
/// The cookie that binds a sign-in in progress to the browser that started it.
pub const LOGIN_COOKIE: &str = "pc_studio_login";
/// How long a studio session lasts (absolute): a working day.
pub const TTL: i64 = 8 * 3600;
/// How long a sign-in may take.
pub const LOGIN_TTL: i64 = 600;
/// The header carrying the session's CSRF token on the studio's API calls.
pub const CSRF_HEADER: &str = "x-studio-csrf";

/// A sign-in in progress, under the digest of its `state`.
#[derive(Serialize, Deserialize)]
pub struct Login {
    pub tenant: String,
    pub workspace: String,
    pub client_id: String,
    /// PKCE code verifier (RFC 7636).
    pub verifier: String,
    pub nonce: String,
    /// Digest of the login cookie's value.
    pub binding: String,
}

/// A studio session, under the digest of the cookie's value.
#[derive(Serialize, Deserialize, Clone)]
pub struct Record {
    pub tenant: String,
    /// The workspace and client it signed in through.
    pub workspace: String,
    pub client_id: String,
    pub user_id: String,
    /// The grant of the sign-in: revoking it ends the session.
    pub grant_id: String,
    pub csrf: String,
    pub started_at: i64,
}

pub fn login_key(state_value: &str) -> String {
    format!("login:{}", digest(state_value))
}

fn session_key(cookie_value: &str) -> String {
    format!("session:{}", digest(cookie_value))
}

pub fn digest(value: &str) -> String {
    crate::crypto::hex(&crate::crypto::digest(value))
}

/// The studio's cookies: HttpOnly, Secure over https, sent only below `/{tenant}/studio`.
/// The session's is `SameSite=Strict`: no other site can make the browser send it. The
/// login cookie is `Lax`, since the sign-in comes back as a top-level navigation that may
/// have started elsewhere (a link in a mail).
pub fn cookie(name: &'static str, value: String, tenant: &str, secure: bool, max_age: i64, strict: bool) -> Cookie<'static> {
    let mut c = Cookie::build(name, value)
        .path(format!("/{tenant}/studio"))
        .http_only(true)
        .same_site(if strict { SameSite::Strict } else { SameSite::Lax })
        .secure(secure)
        .finish();
    c.set_max_age(Duration::seconds(max_age));
    c
}

pub fn removal(name: &'static str, tenant: &str, secure: bool) -> Cookie<'static> {
    let mut c = cookie(name, String::new(), tenant, secure, 0, name == COOKIE);
    c.make_removal();
    c
}

/// Starts a session for a user who signed in; returns the cookie value.
pub async fn start(state: &AppState, record: &Record) -> Result<String, AppError> {
    let value = crate::crypto::random_token(32);
    state.sessions.put(Kind::Studio, &session_key(&value), record, TTL).await?;
    Ok(value)
}

/// Whether `id` is a tenant id as the admin API and provisioning write them
/// (`^[a-z0-9_][a-z0-9_-]{0,63}$`). The path segment is decoded by the router (`%5C` is
/// `\\`, `%3B` is `;`), and the studio writes it into links and the cookies' `Path`: only
/// such an id is ever used there.
pub fn well_formed(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty() && b.len() <= 64 && b[0] != b'-' && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-')
}

/// The tenant a request's path names, if it is a well-formed tenant id ([`well_formed`]).
pub fn tenant_of(req: &HttpRequest) -> Option<TenantId> {
    // A tenant id enters the system here, from the URL path.
    req.match_info().get("tenant").filter(|t| well_formed(t)).map(TenantId::new)
}

/// The tenant of the request's path, when it is well formed and exists: what the studio's
/// pages need before they link to `/{tenant}/studio` or set a cookie for that path.
pub async fn known_tenant(state: &AppState, req: &HttpRequest) -> Result<Option<TenantId>, AppError> {
    match tenant_of(req) {
        Some(t) if state.directory.tenant(&t).await?.is_some() => Ok(Some(t)),
        _ => Ok(None),
    }
}

/// The session of this request's cookie, at the tenant of its path, whose grant still
/// lives and whose client is still the tenant's studio client (a public client with the
/// studio's redirect URI and the code flow); `None` for anything else. A session whose
/// grant or client is gone is ended here.
pub async fn find(state: &AppState, req: &HttpRequest) -> Result<Option<(String, Record)>, AppError> {
    let Some(value) = crate::http::cookie_value(req, COOKIE) else { return Ok(None) };
    let key = session_key(&value);
    let Some(record) = state.sessions.get::<Record>(Kind::Studio, &key).await? else { return Ok(None) };
    let Some(tenant) = tenant_of(req).filter(|t| record.tenant == t.as_str()) else { return Ok(None) };
    let live = state.grants.get(&record.grant_id).await?.is_some_and(|g| g.revoked_at.is_none() && g.user_id == record.user_id && g.tenant_id.as_str() == record.tenant);
    let redirect = super::client::redirect_uri(state, &tenant);
    let client = live && state.clients.get(&tenant, &record.workspace, &record.client_id).await?.is_some_and(|c| super::client::is_studio_client(&c, &redirect));
    if !client {
        end(state, &key, &record).await?;
        return Ok(None);
    }
    Ok(Some((key, record)))
}

/// Ends a session: forgets it and revokes its grant.
pub async fn end(state: &AppState, key: &str, record: &Record) -> Result<(), AppError> {
    state.sessions.delete(Kind::Studio, key).await?;
    state.grants.revoke_family(&record.grant_id, state.now()).await
}

/// Whether the caller may use the studio of `tenant`.
pub fn may_use(caller: &Caller, tenant: &TenantId) -> bool {
    caller.tenant_admin(tenant)
}

/// What a studio API call acts as: the signed-in user with the privileges they hold now.
pub struct Studio {
    pub tenant: TenantId,
    pub caller: Caller,
    pub record: Record,
}

/// The live session of a studio API call (401 without one), before anything of the call's
/// body is read.
pub async fn session_of(state: &AppState, req: &HttpRequest) -> Result<(String, Record), ApiError> {
    find(state, req).await?.ok_or(ApiError::Unauthorized("Sign in to the studio first."))
}

/// Authorizes a studio API call: a live session of this tenant (401), the CSRF token when
/// the call changes something (403), `tenant-admin` of this tenant or `system-admin`
/// read now (403). Nothing of the call's body or target is looked at before.
pub async fn authorize(state: &AppState, req: &HttpRequest, changes: bool, form_csrf: Option<&str>) -> Result<Studio, ApiError> {
    let (key, record) = session_of(state, req).await?;
    admit(state, key, record, req, changes, form_csrf).await
}

/// The rest of [`authorize`] for a session found with [`session_of`]. A session whose user
/// is gone, inactive, or no longer may use the studio is ended: a privilege given back
/// later does not revive it (the user signs in again).
pub async fn admit(state: &AppState, key: String, record: Record, req: &HttpRequest, changes: bool, form_csrf: Option<&str>) -> Result<Studio, ApiError> {
    if changes {
        let sent = form_csrf.map(str::to_owned).or_else(|| req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned)).unwrap_or_default();
        if !crate::crypto::ct_eq(sent.as_bytes(), record.csrf.as_bytes()) {
            return Err(ApiError::Forbidden);
        }
    }
    let tenant = TenantId::new(record.tenant.clone());
    let Some(caller) = crate::admin::user_caller(state, &tenant, &record.user_id).await? else {
        end(state, &key, &record).await?;
        return Err(ApiError::Unauthorized("Sign in to the studio first."));
    };
    if !may_use(&caller, &tenant) {
        end(state, &key, &record).await?;
        refused(state, &tenant, &caller.actor(), "refused", req.path()).await;
        return Err(ApiError::Forbidden);
    }
    Ok(Studio { tenant, caller, record })
}

/// How long one refusal of a user is kept out of the audit trail after it was recorded.
pub const REFUSAL_WINDOW: i64 = 3600;

/// A refusal of a signed-in user without the privilege (`action`: `refused`,
/// `sign_in_refused`): an audit event of the tenant at most once per user, action and
/// [`REFUSAL_WINDOW`] (so that an unprivileged account cannot flood the tenant's trail),
/// a log line each time.
pub async fn refused(state: &AppState, tenant: &TenantId, actor: &str, action: &str, subject: &str) {
    let key = format!("studio-refusal:{}", digest(&format!("{tenant}|{actor}|{action}")));
    match state.sessions.incr(Kind::Counter, &key, REFUSAL_WINDOW).await {
        Ok(1) => audit(state, tenant, actor, action, subject, serde_json::json!({ "reason": "privileges" })).await,
        Ok(_) => tracing::info!(tenant = %tenant, actor, action, "studio refusal (already audited in this window)"),
        Err(e) => tracing::warn!(error = %e, tenant = %tenant, actor, action, "studio refusal not counted"),
    }
}

/// Records a studio event in the tenant's audit trail (a failure to record is logged).
pub async fn audit(state: &AppState, tenant: &TenantId, actor: &str, action: &str, subject: &str, detail: serde_json::Value) {
    let event = crate::storage::AuditEvent { tenant_id: tenant.clone(), actor: actor.to_owned(), action: format!("studio.{action}"), subject: subject.chars().take(256).collect(), detail };
    if let Err(e) = state.audit.record(event, state.now()).await {
        tracing::error!(error = %e, "studio audit event not recorded");
    }
}
