//! Users, their status and password, groups and memberships. Delegated managers (holders
//! of a group's dynamic privilege) see and manage exactly the members of their groups.
use crate::model::TenantId;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ApiError, ApiResult, Args, Body, Caller, created, invalid, ok};
use crate::identity::lifecycle::{self, UserInput};
use crate::identity::users::{Change, Rules, Writer};
use crate::state::AppState;
use crate::storage::identity::{Group, Pool, UserQuery, group_holder, user_holder};
use crate::storage::{User, UserStatus};

/// One resource per path with all its methods: another method is 405 with `Allow`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use crate::http::get;
    let base = "/tenants/{tenant}/pools/{pool}";
    let resource = |path: &str| web::resource(format!("{base}{path}"));
    cfg.service(resource("/users").route(get().to(list_users)).route(web::post().to(create_user)))
        .service(resource("/users/{user}").route(get().to(get_user)).route(web::patch().to(patch_user)).route(web::delete().to(delete_user)))
        .service(resource("/users/{user}/status").route(web::put().to(put_status)))
        .service(resource("/users/{user}/password").route(web::put().to(put_password)))
        .service(resource("/groups").route(get().to(list_groups)).route(web::post().to(create_group)))
        .service(resource("/groups/{group}").route(get().to(get_group)).route(web::delete().to(delete_group)))
        .service(resource("/groups/{group}/members").route(get().to(list_members)))
        .service(resource("/groups/{group}/members/{user}").route(web::put().to(put_member)).route(web::delete().to(delete_member)));
}

/// A user as the API shows it (never a credential).
#[derive(Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: String,
    pub pool: String,
    pub username: String,
    pub status: UserStatus,
    pub email: Option<String>,
    pub email_verified: bool,
    pub phone: Option<String>,
    pub phone_verified: bool,
    pub payload: Map<String, Value>,
    pub metadata: Map<String, Value>,
    pub groups: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

fn view(u: User, groups: Vec<String>) -> UserView {
    UserView {
        id: u.id,
        pool: u.pool_id,
        username: u.username,
        status: u.status,
        email: u.email,
        email_verified: u.email_verified,
        phone: u.phone,
        phone_verified: u.phone_verified,
        payload: u.claims,
        metadata: u.metadata,
        groups,
        created_at: u.created_at,
        updated_at: u.updated_at,
    }
}

async fn pool_for(state: &AppState, caller: &Caller, tenant: &TenantId, pool: &str) -> Result<Pool, ApiError> {
    if !caller.any_user_access(tenant, pool) {
        return Err(ApiError::Forbidden);
    }
    state.pools.pool(tenant, pool).await?.ok_or(ApiError::NotFound("pool"))
}

/// The user, if the caller may manage it; with its groups and its pool.
///
/// A caller manages a user it may reach (a user administrator: every user of its tenant; a
/// delegated manager: the members of its groups) and that holds no privilege the caller
/// lacks, itself or through a group: otherwise a user administrator could set the password
/// of a tenant administrator, or a group manager change the address of a member who is
/// also an administrator, and take the account over.
pub(super) async fn managed_user(state: &AppState, caller: &Caller, tenant: &TenantId, pool: &str, id: &str) -> Result<(User, Vec<String>, Pool), ApiError> {
    let pool_record = pool_for(state, caller, tenant, pool).await?;
    let user = state.users.get(tenant, id).await?.filter(|u| u.pool_id == pool);
    let Some(user) = user else {
        // A delegated manager learns nothing about users outside their groups.
        return Err(if caller.user_admin(tenant) { ApiError::NotFound("user") } else { ApiError::Forbidden });
    };
    let groups = state.groups.user_groups(&user.tenant_id, &user.id).await?;
    if !caller.may_manage_user(tenant, pool, &groups) {
        return Err(ApiError::Forbidden);
    }
    let mut holders = vec![user_holder(&user.id)];
    holders.extend(groups.iter().map(|g| group_holder(pool, g)));
    if !caller.outranks(tenant, &state.privileges.privileges_of(tenant, &holders).await?) {
        return Err(ApiError::Forbidden);
    }
    Ok((user, groups, pool_record))
}

/// What the caller may not act on in a pool: the groups giving privileges it lacks (joining
/// one grants them), and the users holding such privileges, directly or through a group.
/// Computed once per request from the privileges' holders (few, in practice), so a listing
/// or an import need not ask user by user.
pub async fn protected(state: &AppState, caller: &Caller, tenant: &TenantId, pool: &str) -> Result<crate::import::Limits, ApiError> {
    let mut limits = crate::import::Limits::default();
    for (privilege, holder) in state.privileges.holdings(tenant).await? {
        if caller.holds(tenant, &privilege) {
            continue;
        }
        if let Some(id) = holder.strip_prefix("user:") {
            limits.users.insert(id.to_owned());
        } else if let Some((group_pool, group)) = holder.strip_prefix("group:").and_then(|r| r.split_once('/'))
            && group_pool == pool
        {
            limits.groups.insert(group.to_owned());
        }
    }
    for g in limits.groups.clone() {
        let mut after = None;
        loop {
            let query = UserQuery { groups: Some(vec![g.clone()]), after: after.clone(), limit: 1000, ..Default::default() };
            let page = state.users.search_users(tenant, pool, &query).await?;
            after = page.last().map(|u| u.id.clone());
            let done = page.len() < 1000;
            limits.users.extend(page.into_iter().map(|u| u.id));
            if done {
                break;
            }
        }
    }
    Ok(limits)
}

/// Whether the caller holds every privilege the members of these groups get from them.
async fn outranks_groups(state: &AppState, caller: &Caller, tenant: &TenantId, pool: &str, groups: &[String]) -> Result<(), ApiError> {
    if groups.is_empty() {
        return Ok(());
    }
    let holders: Vec<String> = groups.iter().map(|g| group_holder(pool, g)).collect();
    if caller.outranks(tenant, &state.privileges.privileges_of(tenant, &holders).await?) { Ok(()) } else { Err(ApiError::Forbidden) }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// Case-insensitive prefix of the username or the email address.
    q: Option<String>,
    /// Only users with this status.
    status: Option<UserStatus>,
    /// Only members of this group (a delegated manager: one of their groups).
    group: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u64>,
}

/// A page of users; those the caller may not act on (see `protected`) are left out, as
/// `GET …/users/{id}` refuses them too.
async fn page_of(state: &AppState, caller: &Caller, tenant: &TenantId, pool: &str, mut query: UserQuery) -> ApiResult {
    let limit = query.limit;
    query.limit = limit + 1;
    let mut users = state.users.search_users(tenant, pool, &query).await?;
    let more = users.len() as u64 > limit;
    users.truncate(limit as usize);
    let next_cursor = if more { users.last().map(|u| u.id.clone()) } else { None };
    let hidden = protected(state, caller, tenant, pool).await?.users;
    let mut items = Vec::with_capacity(users.len());
    for u in users.into_iter().filter(|u| !hidden.contains(&u.id)) {
        let groups = state.groups.user_groups(&u.tenant_id, &u.id).await?;
        items.push(view(u, groups));
    }
    ok(&super::Page { items, next_cursor })
}

/// Search the users of a pool.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/pools/{pool}/users",
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ListQuery),
    responses(
        (status = 200, description = "A page of users, ordered by id", body = super::Page<UserView>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query parameter", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_users(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>, q: Args) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    pool_for(&state, &caller, &tenant, &pool).await?;
    let q: ListQuery = q.parse()?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(invalid("/limit", "between 1 and 200"));
    }
    let groups = if caller.user_admin(&tenant) {
        q.group.map(|g| vec![g])
    } else {
        let managed = caller.managed_groups(&tenant, &pool);
        match q.group {
            Some(g) if managed.contains(&g) => Some(vec![g]),
            Some(_) => return Err(ApiError::Forbidden),
            None => Some(managed),
        }
    };
    page_of(&state, &caller, &tenant, &pool, UserQuery { text: q.q, status: q.status, groups, after: q.cursor, limit }).await
}

/// Create a user.
///
/// Admin-created users are `active` (addresses verified) or `inactive` (addresses
/// unverified; an activation link is sent).
#[utoipa::path(
    post,
    path = "/tenants/{tenant}/pools/{pool}/users",
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body = UserInput,
    responses(
        (status = 201, description = "The user was created", body = UserView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid user document (identifiers taken, password policy, schemas, unknown groups); `errors` names each field by JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_user(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>, body: Body) -> ApiResult {
    let (tenant, pool_id) = path.into_inner();
    let pool = pool_for(&state, &caller, &tenant, &pool_id).await?;
    let input: UserInput = body.parse().await?;
    if !caller.user_admin(&tenant) {
        // A delegated manager creates users into the groups they manage, and sets no metadata.
        let managed = caller.managed_groups(&tenant, &pool_id);
        if input.groups.is_empty() || !input.groups.iter().all(|g| managed.contains(g)) || !input.metadata.is_empty() {
            return Err(ApiError::Forbidden);
        }
    }
    // Creating a user into a group grants it the group's privileges.
    outranks_groups(&state, &caller, &tenant, &pool_id, &input.groups).await?;
    let new = lifecycle::create_draft(&state.lifecycle(), &pool, Writer::Admin, input.into()).await?;
    let status = new.status;
    let user = state.users.create_user(&new.tenant_id, &new, state.now()).await?;
    if status == UserStatus::Inactive {
        lifecycle::send_activation_link(&state.lifecycle(), &user).await?;
    }
    lifecycle::audit(&state.lifecycle(), &tenant, &caller.actor(), "user.created", &user.id, serde_json::json!({ "pool": pool_id, "status": status.as_str() })).await;
    created(&view(user, new.groups))
}

/// Get a user.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/pools/{pool}/users/{user}",
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("user" = String, Path, description = "User id", max_length = 64)),
    responses(
        (status = 200, description = "The user", body = UserView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool or user", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_user(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>) -> ApiResult {
    let (tenant, pool, id) = path.into_inner();
    let (user, groups, _) = managed_user(&state, &caller, &tenant, &pool, &id).await?;
    ok(&view(user, groups))
}

/// Update a user.
#[utoipa::path(
    patch,
    path = "/tenants/{tenant}/pools/{pool}/users/{user}",
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("user" = String, Path, description = "User id", max_length = 64)),
    request_body = Change,
    responses(
        (status = 200, description = "The updated user", body = UserView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool or user", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The user is deleted", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input; `errors` names each field by JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn patch_user(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>, body: Body) -> ApiResult {
    let (tenant, pool_id, id) = path.into_inner();
    let (user, groups, pool) = managed_user(&state, &caller, &tenant, &pool_id, &id).await?;
    let p: Change = body.parse().await?;
    if p.metadata.is_some() && !caller.user_admin(&tenant) {
        return Err(ApiError::Forbidden);
    }
    if user.status == UserStatus::Deleted {
        return Err(ApiError::Conflict("a deleted user cannot be changed".into()));
    }
    let rules = Rules::load(state.schemas.as_ref(), state.groups.as_ref(), &pool).await?;
    let user = rules.check_change(&user, p).map_err(ApiError::Invalid)?;
    state.users.update_user(&user.tenant_id, &user, state.now()).await?;
    lifecycle::audit(&state.lifecycle(), &tenant, &caller.actor(), "user.updated", &user.id, Value::Null).await;
    let fresh = state.users.get(&tenant, &id).await?.ok_or(ApiError::NotFound("user"))?;
    ok(&view(fresh, groups))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    status: UserStatus,
}


/// Change a user's status.
#[utoipa::path(
    put,
    path = "/tenants/{tenant}/pools/{pool}/users/{user}/status",
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("user" = String, Path, description = "User id", max_length = 64)),
    request_body = StatusBody,
    responses(
        (status = 200, description = "The user with its new status", body = UserView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool or user", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an allowed status change", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_status(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>, body: Body) -> ApiResult {
    let (tenant, pool, id) = path.into_inner();
    let (user, groups, _) = managed_user(&state, &caller, &tenant, &pool, &id).await?;
    let to = body.parse::<StatusBody>().await?.status;
    let user = lifecycle::set_status(&state.lifecycle(), &caller.actor(), user, to).await?;
    ok(&view(user, groups))
}

/// Delete a user (status `deleted`).
#[utoipa::path(
    delete,
    path = "/tenants/{tenant}/pools/{pool}/users/{user}",
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("user" = String, Path, description = "User id", max_length = 64)),
    responses(
        (status = 204, description = "The user is deleted; personal data is erased after the pool's retention period"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool or user", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The user cannot be deleted from its current status", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn delete_user(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>) -> ApiResult {
    let (tenant, pool, id) = path.into_inner();
    let (user, _, _) = managed_user(&state, &caller, &tenant, &pool, &id).await?;
    lifecycle::set_status(&state.lifecycle(), &caller.actor(), user, UserStatus::Deleted).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// Checked against the pool's password policy.
    #[schema(max_length = 1024)]
    password: String,
}

/// Set a user's password.
///
/// An administrator sets a password: the pool's policy applies; sessions and tokens end.
#[utoipa::path(
    put,
    path = "/tenants/{tenant}/pools/{pool}/users/{user}/password",
    tag = "users",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("user" = String, Path, description = "User id", max_length = 64)),
    request_body = PasswordBody,
    responses(
        (status = 204, description = "The password was set; the user's sessions and tokens end"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool or user", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password does not satisfy the pool's policy", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_password(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>, body: Body) -> ApiResult {
    let (tenant, pool_id, id) = path.into_inner();
    let (user, _, pool) = managed_user(&state, &caller, &tenant, &pool_id, &id).await?;
    let password = body.parse::<PasswordBody>().await?.password;
    lifecycle::reset_password(&state.lifecycle(), &pool, &user, &password).await?;
    lifecycle::audit(&state.lifecycle(), &tenant, &caller.actor(), "user.password_set", &user.id, Value::Null).await;
    Ok(HttpResponse::NoContent().finish())
}

/// List the groups of a pool the caller may manage.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/pools/{pool}/groups",
    tag = "groups",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The groups the caller may manage", body = super::Page<Group>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_groups(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    pool_for(&state, &caller, &tenant, &pool).await?;
    let items: Vec<Group> = state.groups.groups(&tenant, &pool).await?.into_iter().filter(|g| caller.may_manage_group(&tenant, &pool, &g.id)).collect();
    ok(&super::Page { items, next_cursor: None })
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupBody {
    /// 1-64 of a-z, 0-9, '-', '_'.
    #[schema(pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")]
    id: String,
    /// At most 128 characters; defaults to the id.
    #[schema(max_length = 128)]
    name: Option<String>,
}

/// Create a group.
#[utoipa::path(
    post,
    path = "/tenants/{tenant}/pools/{pool}/groups",
    tag = "groups",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body = GroupBody,
    responses(
        (status = 201, description = "The group (and its dynamic privilege) was created", body = Group),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The group exists", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input; `errors` names each field by JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn create_group(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>, body: Body) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    if !caller.user_admin(&tenant) {
        return Err(ApiError::Forbidden);
    }
    pool_for(&state, &caller, &tenant, &pool).await?;
    let b: GroupBody = body.parse().await?;
    let id_ok = !b.id.is_empty() && b.id.len() <= 64 && b.id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_');
    if !id_ok {
        return Err(invalid("/id", "1-64 of a-z, 0-9, '-', '_'"));
    }
    let name = b.name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).unwrap_or_else(|| b.id.clone());
    if name.chars().count() > 128 {
        return Err(invalid("/name", "at most 128 characters"));
    }
    let group = Group { pool_id: pool.clone(), id: b.id, name };
    if !state.groups.create_group(&tenant, &group).await? {
        return Err(ApiError::Conflict(format!("group {} exists", group.id)));
    }
    lifecycle::audit(&state.lifecycle(), &tenant, &caller.actor(), "group.created", &group.id, serde_json::json!({ "pool": pool })).await;
    created(&group)
}

/// The group, if the caller may manage its members and holds every privilege the group
/// gives them (adding a member grants those privileges; the group's members can do that
/// much).
async fn group_for(state: &AppState, caller: &Caller, tenant: &TenantId, pool: &str, group: &str) -> Result<Group, ApiError> {
    pool_for(state, caller, tenant, pool).await?;
    if !caller.may_manage_group(tenant, pool, group) {
        return Err(ApiError::Forbidden);
    }
    let found = state.groups.groups(tenant, pool).await?.into_iter().find(|g| g.id == group).ok_or(ApiError::NotFound("group"))?;
    outranks_groups(state, caller, tenant, pool, std::slice::from_ref(&found.id)).await?;
    Ok(found)
}

/// Get a group.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/pools/{pool}/groups/{group}",
    tag = "groups",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("group" = String, Path, description = "Group id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The group", body = Group),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool or group", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_group(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>) -> ApiResult {
    let (tenant, pool, group) = path.into_inner();
    ok(&group_for(&state, &caller, &tenant, &pool, &group).await?)
}

/// Delete a group.
#[utoipa::path(
    delete,
    path = "/tenants/{tenant}/pools/{pool}/groups/{group}",
    tag = "groups",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("group" = String, Path, description = "Group id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 204, description = "The group, its memberships and its dynamic privilege were deleted"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn delete_group(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>) -> ApiResult {
    let (tenant, pool, group) = path.into_inner();
    if !caller.user_admin(&tenant) {
        return Err(ApiError::Forbidden);
    }
    group_for(&state, &caller, &tenant, &pool, &group).await?;
    if state.groups.delete_group(&tenant, &pool, &group).await? {
        lifecycle::audit(&state.lifecycle(), &tenant, &caller.actor(), "group.deleted", &group, serde_json::json!({ "pool": pool })).await;
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::NotFound("group"))
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PageQuery {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u64>,
}

/// List the members of a group.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/pools/{pool}/groups/{group}/members",
    tag = "groups",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("group" = String, Path, description = "Group id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), PageQuery),
    responses(
        (status = 200, description = "A page of the group's members, ordered by id", body = super::Page<UserView>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool or group", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query parameter", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_members(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>, q: Args) -> ApiResult {
    let (tenant, pool, group) = path.into_inner();
    group_for(&state, &caller, &tenant, &pool, &group).await?;
    let q: PageQuery = q.parse()?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(invalid("/limit", "between 1 and 200"));
    }
    page_of(&state, &caller, &tenant, &pool, UserQuery { groups: Some(vec![group]), after: q.cursor, limit, ..Default::default() }).await
}

/// Add a user to a group.
///
/// Adding a member: a delegated manager may only move users they already manage.
#[utoipa::path(
    put,
    path = "/tenants/{tenant}/pools/{pool}/groups/{group}/members/{user}",
    tag = "groups",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("group" = String, Path, description = "Group id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("user" = String, Path, description = "User id", max_length = 64)),
    responses(
        (status = 204, description = "The user is a member of the group"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool, group or user", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_member(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String, String)>) -> ApiResult {
    membership(&state, &caller, path.into_inner(), true).await
}

/// Adds or removes a member: both the group and the user must be the caller's to manage.
async fn membership(state: &AppState, caller: &Caller, (tenant, pool, group, user): (TenantId, String, String, String), member: bool) -> ApiResult {
    group_for(state, caller, &tenant, &pool, &group).await?;
    let (user, _, _) = managed_user(state, caller, &tenant, &pool, &user).await?;
    state.groups.set_member(&tenant, &pool, &group, &user.id, member).await?;
    let action = if member { "group.member_added" } else { "group.member_removed" };
    lifecycle::audit(&state.lifecycle(), &tenant, &caller.actor(), action, &user.id, serde_json::json!({ "pool": pool, "group": group })).await;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove a user from a group.
#[utoipa::path(
    delete,
    path = "/tenants/{tenant}/pools/{pool}/groups/{group}/members/{user}",
    tag = "groups",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("group" = String, Path, description = "Group id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("user" = String, Path, description = "User id", max_length = 64)),
    responses(
        (status = 204, description = "The user is not a member of the group"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool, group or user", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn delete_member(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String, String)>) -> ApiResult {
    membership(&state, &caller, path.into_inner(), false).await
}
