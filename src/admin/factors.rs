//! A user's second factors: list them, remove one (a lost authenticator), or reset them all
//! so that the next sign-in in a pool whose policy requires a second factor enrols again.
//!
//! Who may do what to whom: exactly who may manage the user through `users` (the one
//! check, `users::managed_user`): a tenant or user administrator of the user's tenant, or a
//! delegated manager (holder of a group's dynamic privilege) for members of the groups they
//! manage; never a user who holds a privilege the caller lacks. A manager of other groups
//! is refused (403), as is an administrator of another tenant; a user id of another pool is
//! not found there. Only second factors are reached here — the password has its own
//! endpoint — and never a secret: a factor is shown as its id, kind and times. Every
//! removal is an audit event (`user.factor_removed`, `user.factors_reset`). A reset also
//! makes the adaptive policy forget the user's devices and networks.
use actix_web::{HttpResponse, web};
use serde::Serialize;
use serde_json::json;

use super::users::managed_user;
use super::{ApiError, ApiResult, Caller, ok};
use crate::identity::lifecycle;
use crate::model::TenantId;
use crate::state::AppState;
use crate::storage::identity::{Credential, CredentialKind};

/// The kinds of credential that are second factors.
const KINDS: &[CredentialKind] = &[CredentialKind::TOTP, CredentialKind::WEBAUTHN, CredentialKind::RECOVERY_CODE];

pub fn configure(cfg: &mut web::ServiceConfig) {
    use crate::http::get;
    let base = "/tenants/{tenant}/pools/{pool}/users/{user}/factors";
    cfg.service(web::resource(base).route(get().to(list_factors)))
        .service(web::resource(format!("{base}/reset")).route(web::post().to(reset_factors)))
        .service(web::resource(format!("{base}/{{factor}}")).route(web::delete().to(delete_factor)));
}

/// A second factor as the API shows it: never its secret.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FactorView {
    pub id: String,
    /// `totp`, `webauthn` or `recovery_code` (one entry per unused code).
    pub kind: &'static str,
    pub created_at: i64,
    /// When it was last used (`null`: never).
    pub last_used_at: Option<i64>,
}

fn view(c: &Credential) -> FactorView {
    FactorView { id: c.id.clone(), kind: c.kind.as_str(), created_at: c.created_at, last_used_at: (c.updated_at > c.created_at).then_some(c.updated_at) }
}

/// The user's live second factors, oldest kind first as `KINDS` lists them.
async fn factors_of(state: &AppState, tenant: &TenantId, user_id: &str) -> Result<Vec<Credential>, ApiError> {
    let mut out = vec![];
    for kind in KINDS {
        out.extend(state.credentials.list(tenant, user_id, *kind).await?.into_iter().filter(|c| !c.retired));
    }
    Ok(out)
}

/// List a user's second factors.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/pools/{pool}/users/{user}/factors",
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("user" = String, Path, description = "User id")),
    responses(
        (status = 200, description = "The user's second factors (never their secrets)", body = super::Page<FactorView>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool or user", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_factors(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>) -> ApiResult {
    let (tenant, pool, id) = path.into_inner();
    let (user, _, _) = managed_user(&state, &caller, &tenant, &pool, &id).await?;
    let items: Vec<FactorView> = factors_of(&state, &tenant, &user.id).await?.iter().map(view).collect();
    ok(&super::Page { items, next_cursor: None })
}

/// Remove one of a user's second factors.
#[utoipa::path(
    delete,
    path = "/tenants/{tenant}/pools/{pool}/users/{user}/factors/{factor}",
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("user" = String, Path, description = "User id"), ("factor" = String, Path, description = "Factor id (from the list)")),
    responses(
        (status = 204, description = "The factor was removed"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool, user or factor", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn delete_factor(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String, String)>) -> ApiResult {
    let (tenant, pool, id, factor) = path.into_inner();
    let (user, _, _) = managed_user(&state, &caller, &tenant, &pool, &id).await?;
    // Only a second factor of this user: the password is not a factor this removes.
    let found = factors_of(&state, &tenant, &user.id).await?.into_iter().find(|c| c.id == factor).ok_or(ApiError::NotFound("factor"))?;
    if !state.credentials.remove(&tenant, &user.id, &found.id).await? {
        return Err(ApiError::NotFound("factor"));
    }
    // A factor removed because it was lost or stolen must take with it what it proved.
    revoke_what_factors_proved(&state, &tenant, &user).await?;
    lifecycle::audit(&state.lifecycle(), &tenant, &caller.actor(), "user.factor_removed", &user.id, json!({ "factor": found.id, "kind": found.kind.as_str() })).await;
    Ok(HttpResponse::NoContent().finish())
}

/// What a reset removed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ResetView {
    /// How many second factors (recovery codes included) were removed.
    pub removed: usize,
}

/// Remove every second factor of a user (recovery codes included); the next sign-in in a
/// pool that requires a second factor enrols one again, and the adaptive policy forgets the
/// user's browsers and networks.
#[utoipa::path(
    post,
    path = "/tenants/{tenant}/pools/{pool}/users/{user}/factors/reset",
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("user" = String, Path, description = "User id")),
    responses(
        (status = 200, description = "Every second factor was removed", body = ResetView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool or user", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn reset_factors(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>) -> ApiResult {
    let (tenant, pool, id) = path.into_inner();
    let (user, _, _) = managed_user(&state, &caller, &tenant, &pool, &id).await?;
    let mut removed = vec![];
    for c in factors_of(&state, &tenant, &user.id).await? {
        if state.credentials.remove(&tenant, &user.id, &c.id).await? {
            removed.push(c.kind.as_str());
        }
    }
    // What the factors proved goes with them: sessions, grants, and the browsers and
    // networks the adaptive policy trusted for the user. The audit says what was removed
    // even if revoking fails afterwards.
    let revoked = async {
        revoke_what_factors_proved(&state, &tenant, &user).await?;
        // A fresh start: the wrong-code counts and locks of the removed factors go too.
        let ports = crate::auth::second::Ports { credentials: state.credentials.as_ref(), counters: state.counters.as_ref(), sessions: &state.sessions, audit: state.audit.as_ref(), secrets: &state.secrets, now: state.now() };
        crate::auth::second::reset(&ports, &tenant, &user.id).await
    }
    .await;
    let count = |k: &str| removed.iter().filter(|r| **r == k).count();
    let detail = json!({ "removed": removed.len(), "totp": count("totp"), "webauthn": count("webauthn"), "recovery_code": count("recovery_code") });
    lifecycle::audit(&state.lifecycle(), &tenant, &caller.actor(), "user.factors_reset", &user.id, detail).await;
    revoked?;
    ok(&ResetView { removed: removed.len() })
}

/// What a user's removed factors proved goes with them: the sessions and grants made with
/// them, and the browsers and networks the adaptive policy came to trust.
async fn revoke_what_factors_proved(state: &AppState, tenant: &TenantId, user: &crate::storage::User) -> Result<(), crate::error::AppError> {
    lifecycle::revoke_everything(&state.lifecycle(), user).await?;
    crate::auth::adaptive::forget(&state.sessions, tenant, &user.id).await
}
