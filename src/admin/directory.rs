//! Tenants, workspaces, pools (with their password policy), clients, schemas and
//! privileges. Writes go through the provisioning planner, so the admin API and the
//! provisioning file accept the same documents and check them the same way.
use crate::model::TenantId;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{ApiError, ApiResult, Args, Body, Caller, created, invalid, ok};
use crate::identity::policy::PasswordPolicy;
use crate::identity::schema;
use crate::provision::{self, ClientSpec, PoolSpec, SchemaSpec, TenantSpec, WorkspaceSpec};
use crate::state::AppState;
use crate::storage::Client;
use crate::storage::identity::{AuditRecord, Pool};

/// One resource per path with all its methods: another method is 405 with `Allow`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use crate::http::get;
    use web::resource;
    cfg.service(resource("/tenants").route(get().to(list_tenants)))
        .service(resource("/tenants/{tenant}").route(get().to(get_tenant)).route(web::put().to(put_tenant)))
        .service(resource("/tenants/{tenant}/pools").route(get().to(list_pools)))
        .service(resource("/tenants/{tenant}/pools/{pool}").route(get().to(get_pool)).route(web::put().to(put_pool)))
        .service(resource("/tenants/{tenant}/pools/{pool}/password-policy").route(get().to(get_policy)).route(web::put().to(put_policy)))
        .service(resource("/tenants/{tenant}/workspaces").route(get().to(list_workspaces)))
        .service(resource("/tenants/{tenant}/workspaces/{workspace}").route(web::put().to(put_workspace)))
        .service(resource("/tenants/{tenant}/workspaces/{workspace}/clients").route(get().to(list_clients)))
        .service(
            resource("/tenants/{tenant}/workspaces/{workspace}/clients/{client}")
                .route(get().to(get_client))
                .route(web::put().to(put_client))
                .route(web::delete().to(delete_client)),
        )
        .service(resource("/tenants/{tenant}/schemas").route(get().to(list_schemas)))
        .service(resource("/tenants/{tenant}/schemas/{schema}").route(get().to(get_schema)).route(web::put().to(put_schema)).route(web::delete().to(delete_schema)))
        .service(resource("/tenants/{tenant}/privileges").route(get().to(list_privileges)))
        .service(resource("/tenants/{tenant}/privileges/{privilege}/holders").route(get().to(list_holders)))
        .service(resource("/tenants/{tenant}/privileges/{privilege}/holders/{holder:.+}").route(web::put().to(put_holder)).route(web::delete().to(delete_holder)))
        .service(resource("/tenants/{tenant}/audit").route(get().to(list_audit)));
}

fn require(allowed: bool) -> Result<(), ApiError> {
    if allowed { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// A planner refusal as the admin API shows it: the pointer relative to the document the
/// call took (`prefix`: where the planner put that document in its one-tenant file).
fn plan_error(e: provision::PlanError, prefix: &str) -> ApiError {
    match e {
        provision::PlanError::Invalid(mut f) => {
            if let Some(rest) = f.pointer.strip_prefix(prefix) {
                f.pointer = rest.to_owned();
            }
            ApiError::Invalid(vec![f])
        }
        provision::PlanError::App(e) => e.into(),
    }
}

/// Plans and applies one tenant's worth of objects; `partial`: the tenant (and workspace)
/// rows are only created when missing.
///
/// Every privilege a document grants (to a client, a group, a user) passes the one check of
/// `Caller::may_grant`: a caller grants only privileges it holds. A grant the holder has
/// already is not a new grant, so a document read back and written unchanged stays writable.
async fn apply(state: &AppState, caller: &Caller, spec: TenantSpec, partial_tenant: bool, partial_ws: bool, prefix: &str) -> Result<(), ApiError> {
    let file = provision::File { tenants: vec![spec] };
    let mut plan = provision::prepare(state, file, "admin-api").await.map_err(|e| plan_error(e, prefix))?;
    plan.set_theme_author(&caller.actor());
    if !plan.grants_allowed(state.privileges.as_ref(), |tenant, privilege| caller.may_grant(tenant, privilege)).await? {
        return Err(ApiError::Forbidden);
    }
    // Rewriting a client (its secret, its redirect URIs) is acting as it: that takes every
    // privilege the client holds, or a tenant administrator could give the system
    // administrator's client a secret of its own.
    for c in plan.clients() {
        client_outranked(state, caller, &c.tenant_id, &c.workspace_id, &c.client_id).await?;
    }
    plan.keep_stored(partial_tenant, partial_ws);
    provision::apply(state, &plan).await?;
    Ok(())
}

/// The caller holds every privilege the client holds (nothing, for a client that does not
/// exist yet).
async fn client_outranked(state: &AppState, caller: &Caller, tenant: &TenantId, ws: &str, client_id: &str) -> Result<(), ApiError> {
    let held = state.privileges.privileges_of(tenant, &[crate::storage::identity::client_holder(ws, client_id)]).await?;
    if caller.outranks(tenant, &held) { Ok(()) } else { Err(ApiError::Forbidden) }
}

fn tenant_shell(id: &str) -> TenantSpec {
    TenantSpec { id: id.into(), name: None, theme: None, mail_from: None, schemas: vec![], pools: vec![], workspaces: vec![], assurance_levels: None }
}

async fn tenant_exists(state: &AppState, id: &str) -> Result<Option<(String, String)>, ApiError> {
    Ok(state.directory.tenants().await?.into_iter().find(|(t, _)| t == id).map(|(t, name)| (t.to_string(), name)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TenantView {
    id: String,
    name: String,
    /// The tenant's own levels of assurance (besides the built-in ones); only on a single
    /// tenant, not in the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    assurance_levels: Option<Vec<crate::model::AssuranceLevel>>,
    /// Who the tenant's mail comes from, when it sets a sender; only on a single tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    mail_from: Option<crate::delivery::Sender>,
}

/// One tenant as `GET`/`PUT /tenants/{t}` answer it, with its levels of assurance and
/// its mail sender.
async fn tenant_view(state: &AppState, id: String, name: String) -> Result<TenantView, ApiError> {
    let tenant = TenantId::new(id.clone());
    let levels = state.directory.levels(&tenant).await?;
    let mail_from = state.directory.mail_from(&tenant).await?;
    Ok(TenantView { id, name, assurance_levels: Some(levels), mail_from })
}

/// List the tenants the caller administers.
#[utoipa::path(
    get,
    path = "/tenants",
    tag = "directory",
    responses(
        (status = 200, description = "The tenants the caller administers", body = super::Page<TenantView>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_tenants(state: web::Data<AppState>, caller: Caller) -> ApiResult {
    let all = state.directory.tenants().await?;
    let items: Vec<TenantView> = all.into_iter().filter(|(id, _)| caller.tenant_admin(id)).map(|(id, name)| TenantView { id: id.to_string(), name, assurance_levels: None, mail_from: None }).collect();
    ok(&super::Page { items, next_cursor: None })
}

/// Get a tenant.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The tenant", body = TenantView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tenant", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_tenant(state: web::Data<AppState>, caller: Caller, path: web::Path<TenantId>) -> ApiResult {
    let id = path.into_inner();
    require(caller.tenant_admin(&id))?;
    let (id, name) = tenant_exists(&state, &id).await?.ok_or(ApiError::NotFound("tenant"))?;
    ok(&tenant_view(&state, id, name).await?)
}

/// A tenant document: the provisioning file's tenant without `id` (from the path) and its
/// nested objects.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantBody {
    name: Option<String>,
    /// The tenant's theme, as the provisioning file's `tenants[].theme`.
    #[schema(value_type = Option<Object>)]
    theme: Option<crate::theme::ThemeSpec>,
    /// The tenant's own levels of assurance, as the provisioning file's
    /// `tenants[].assurance_levels` (left out: kept).
    assurance_levels: Option<Vec<crate::model::AssuranceLevel>>,
    /// Who the tenant's mail comes from (`{ name, address }`), as the provisioning file's
    /// `tenants[].mail_from`: left out keeps it, `null` removes it.
    #[serde(default, deserialize_with = "crate::provision::present")]
    #[schema(value_type = Option<Object>)]
    mail_from: Option<Option<crate::delivery::Sender>>,
}

/// Create or update a tenant.
#[utoipa::path(
    put,
    path = "/tenants/{tenant}",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body = TenantBody,
    responses(
        (status = 200, description = "The tenant was updated", body = TenantView),
        (status = 201, description = "The tenant was created (takes a system administrator)", body = TenantView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid document; `errors` names each field by JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_tenant(state: web::Data<AppState>, caller: Caller, path: web::Path<TenantId>, body: Body) -> ApiResult {
    let id = path.into_inner();
    // Creating a tenant takes a system administrator; changing one, its administrator. An
    // administrator of another tenant learns nothing, not even whether this one exists.
    require(caller.tenant_admin(&id))?;
    let existed = tenant_exists(&state, &id).await?.is_some();
    require(existed || caller.system_admin())?;
    let body: TenantBody = body.parse().await?;
    let spec = TenantSpec { name: body.name, theme: body.theme, assurance_levels: body.assurance_levels, mail_from: body.mail_from, ..tenant_shell(&id) };
    apply(&state, &caller, spec, false, false, "/tenants/0").await?;
    let (id, name) = tenant_exists(&state, &id).await?.ok_or(ApiError::NotFound("tenant"))?;
    let view = tenant_view(&state, id, name).await?;
    if existed { ok(&view) } else { created(&view) }
}

/// List a tenant's pools.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/pools",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The tenant's pools", body = super::Page<Pool>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_pools(state: web::Data<AppState>, caller: Caller, path: web::Path<TenantId>) -> ApiResult {
    let tenant = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    ok(&super::Page { items: state.pools.pools(&tenant).await?, next_cursor: None })
}

async fn pool_of(state: &AppState, tenant: &TenantId, pool: &str) -> Result<Pool, ApiError> {
    state.pools.pool(tenant, pool).await?.ok_or(ApiError::NotFound("pool"))
}

/// Get a pool.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/pools/{pool}",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The pool", body = Pool),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_pool(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    ok(&pool_of(&state, &tenant, &pool).await?)
}

/// Create or update a pool.
///
/// A pool document: the provisioning file's pool without `id` (from the path) and users.
#[utoipa::path(
    put,
    path = "/tenants/{tenant}/pools/{pool}",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body(content = Object, description = "A pool document: the provisioning file's pool (`tenants[].pools[]`) without `id` (taken from the path) and without `users`"),
    responses(
        (status = 200, description = "The pool was updated", body = Pool),
        (status = 201, description = "The pool was created", body = Pool),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tenant", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid document; `errors` names each field by JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_pool(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>, body: Body) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    tenant_exists(&state, &tenant).await?.ok_or(ApiError::NotFound("tenant"))?;
    let mut doc: serde_json::Value = body.parse().await?;
    let Some(obj) = doc.as_object_mut() else {
        return Err(invalid("", "a JSON object is expected"));
    };
    if obj.contains_key("users") {
        return Err(invalid("/users", "users are created through /users or an import"));
    }
    obj.insert("id".into(), pool.clone().into());
    let spec: PoolSpec = serde_json::from_value(doc).map_err(|e| invalid("", e.to_string()))?;
    let existed = state.pools.pool(&tenant, &pool).await?.is_some();
    apply(&state, &caller, TenantSpec { pools: vec![spec], ..tenant_shell(&tenant) }, true, true, "/tenants/0/pools/0").await?;
    let out = pool_of(&state, &tenant, &pool).await?;
    if existed { ok(&out) } else { created(&out) }
}

/// Get a pool's password policy.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/pools/{pool}/password-policy",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The pool's password policy", body = PasswordPolicy),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_policy(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    ok(&pool_of(&state, &tenant, &pool).await?.settings.password_policy)
}

/// Replace a pool's password policy.
#[utoipa::path(
    put,
    path = "/tenants/{tenant}/pools/{pool}/password-policy",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body = PasswordPolicy,
    responses(
        (status = 200, description = "The pool's new password policy", body = PasswordPolicy),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid document; `errors` names each field by JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_policy(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>, body: Body) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    pool_of(&state, &tenant, &pool).await?;
    let policy: PasswordPolicy = body.parse().await?;
    policy.validate().map_err(|(f, m)| invalid(&format!("/{f}"), m))?;
    // Everything else of the pool stays as it is (the planner keeps unmentioned settings).
    let spec = PoolSpec {
        template: None,
        id: pool.clone(),
        name: None,
        self_registration: None,
        identifier: None,
        activation: None,
        password_policy: Some(policy),
        mfa: None,
        payload_schema: None,
        metadata_schema: None,
        retention_days: None,
        metadata_claims: None,
        groups: vec![],
        users: vec![],
    };
    apply(&state, &caller, TenantSpec { pools: vec![spec], ..tenant_shell(&tenant) }, true, true, "/tenants/0/pools/0/password_policy").await?;
    ok(&pool_of(&state, &tenant, &pool).await?.settings.password_policy)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WorkspaceView {
    id: String,
    name: String,
    pools: Vec<String>,
    issuer: String,
    /// The locale of its pages when neither request, user nor browser names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    default_locale: Option<String>,
    /// The terms of use its pages link to (`https://`), when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    terms_url: Option<String>,
    /// The privacy policy its pages link to (`https://`), when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    privacy_url: Option<String>,
}

impl WorkspaceView {
    async fn of(state: &AppState, tenant: &TenantId, (id, name, pools): (String, String, Vec<String>)) -> Result<Self, ApiError> {
        let stored = state.directory.workspace(tenant, &id).await?;
        let (default_locale, links) = stored.map(|w| (w.default_locale, w.links)).unwrap_or_default();
        Ok(WorkspaceView { issuer: state.config.issuer(tenant, &id), id, name, pools, default_locale, terms_url: links.terms_url, privacy_url: links.privacy_url })
    }
}

/// List a tenant's workspaces.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/workspaces",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The tenant's workspaces", body = super::Page<WorkspaceView>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_workspaces(state: web::Data<AppState>, caller: Caller, path: web::Path<TenantId>) -> ApiResult {
    let tenant = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let mut items = vec![];
    for w in state.directory.workspaces(&tenant).await? {
        items.push(WorkspaceView::of(&state, &tenant, w).await?);
    }
    ok(&super::Page { items, next_cursor: None })
}

/// Create or update a workspace.
///
/// A workspace document: the provisioning file's workspace without `id`; clients listed
/// are created or updated, others kept.
#[utoipa::path(
    put,
    path = "/tenants/{tenant}/workspaces/{workspace}",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("workspace" = String, Path, description = "Workspace id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body(content = Object, description = "A workspace document: the provisioning file's workspace (`tenants[].workspaces[]`) without `id` (taken from the path); clients listed are created or updated, others kept; `template` (GET /templates) gives a new workspace its theme and its new clients their defaults"),
    responses(
        (status = 200, description = "The workspace was updated", body = WorkspaceView),
        (status = 201, description = "The workspace was created", body = WorkspaceView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tenant", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid document; `errors` names each field by JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_workspace(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>, body: Body) -> ApiResult {
    let (tenant, ws) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    tenant_exists(&state, &tenant).await?.ok_or(ApiError::NotFound("tenant"))?;
    let mut doc: serde_json::Value = body.parse().await?;
    let Some(obj) = doc.as_object_mut() else {
        return Err(invalid("", "a JSON object is expected"));
    };
    obj.insert("id".into(), ws.clone().into());
    let spec: WorkspaceSpec = serde_json::from_value(doc).map_err(|e| invalid("", e.to_string()))?;
    let existed = state.directory.workspace(&tenant, &ws).await?.is_some();
    apply(&state, &caller, TenantSpec { workspaces: vec![spec], ..tenant_shell(&tenant) }, true, false, "/tenants/0/workspaces/0").await?;
    let found = state.directory.workspaces(&tenant).await?.into_iter().find(|w| w.0 == ws).ok_or(ApiError::NotFound("workspace"))?;
    let view = WorkspaceView::of(&state, &tenant, found).await?;
    if existed { ok(&view) } else { created(&view) }
}

/// A client as the API shows it: never its secret.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ClientView {
    client_id: String,
    name: String,
    confidential: bool,
    redirect_uris: Vec<String>,
    post_logout_redirect_uris: Vec<String>,
    grant_types: Vec<String>,
    scopes: Vec<String>,
    consent: crate::storage::ConsentMode,
    id_token_signed_response_alg: &'static str,
    allowed_origins: Vec<String>,
    /// The lowest level of assurance (full ACR value) every sign-in to the client reaches.
    #[serde(skip_serializing_if = "Option::is_none")]
    min_acr: Option<String>,
}

impl From<Client> for ClientView {
    fn from(c: Client) -> Self {
        ClientView {
            confidential: !c.is_public(),
            id_token_signed_response_alg: c.id_token_alg.as_str(),
            client_id: c.client_id,
            name: c.name,
            redirect_uris: c.redirect_uris,
            post_logout_redirect_uris: c.post_logout_redirect_uris,
            grant_types: c.grant_types,
            scopes: c.scopes,
            consent: c.consent,
            allowed_origins: c.allowed_origins,
            min_acr: c.min_acr,
        }
    }
}

/// List a workspace's clients.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/workspaces/{workspace}/clients",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("workspace" = String, Path, description = "Workspace id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The workspace's clients (never their secrets)", body = super::Page<ClientView>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_clients(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>) -> ApiResult {
    let (tenant, ws) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let items: Vec<ClientView> = state.clients.clients(&tenant, &ws).await?.into_iter().map(ClientView::from).collect();
    ok(&super::Page { items, next_cursor: None })
}

async fn find_client(state: &AppState, tenant: &TenantId, ws: &str, id: &str) -> Result<Client, ApiError> {
    state.clients.clients(tenant, ws).await?.into_iter().find(|c| c.client_id == id).ok_or(ApiError::NotFound("client"))
}

/// Get a client.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/workspaces/{workspace}/clients/{client}",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("workspace" = String, Path, description = "Workspace id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("client" = String, Path, description = "Client id (`client_id`)", pattern = "^[!-9;-~]{1,128}$")),
    responses(
        (status = 200, description = "The client (never its secret)", body = ClientView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_client(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>) -> ApiResult {
    let (tenant, ws, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    ok(&ClientView::from(find_client(&state, &tenant, &ws, &id).await?))
}

/// Create or update a client.
#[utoipa::path(
    put,
    path = "/tenants/{tenant}/workspaces/{workspace}/clients/{client}",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("workspace" = String, Path, description = "Workspace id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("client" = String, Path, description = "Client id (`client_id`)", pattern = "^[!-9;-~]{1,128}$")),
    request_body(content = Object, description = "A client document: the provisioning file's client (`tenants[].workspaces[].clients[]`) without `client_id` (taken from the path); the caller must be allowed to grant each privilege listed"),
    responses(
        (status = 200, description = "The client was updated", body = ClientView),
        (status = 201, description = "The client was created", body = ClientView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workspace", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid document; `errors` names each field by JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_client(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>, body: Body) -> ApiResult {
    let (tenant, ws, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    if state.directory.workspace(&tenant, &ws).await?.is_none() {
        return Err(ApiError::NotFound("workspace"));
    }
    let mut doc: serde_json::Value = body.parse().await?;
    let Some(obj) = doc.as_object_mut() else {
        return Err(invalid("", "a JSON object is expected"));
    };
    obj.insert("client_id".into(), id.clone().into());
    let spec: ClientSpec = serde_json::from_value(doc).map_err(|e| invalid("", e.to_string()))?;
    let existed = state.clients.clients(&tenant, &ws).await?.iter().any(|c| c.client_id == id);
    let w = WorkspaceSpec { id: ws.clone(), name: None, template: None, theme: None, default_locale: None, terms_url: None, privacy_url: None, pools: None, clients: vec![spec] };
    apply(&state, &caller, TenantSpec { workspaces: vec![w], ..tenant_shell(&tenant) }, true, true, "/tenants/0/workspaces/0/clients/0").await?;
    let view = ClientView::from(find_client(&state, &tenant, &ws, &id).await?);
    if existed { ok(&view) } else { created(&view) }
}

/// Delete a client.
#[utoipa::path(
    delete,
    path = "/tenants/{tenant}/workspaces/{workspace}/clients/{client}",
    tag = "directory",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("workspace" = String, Path, description = "Workspace id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("client" = String, Path, description = "Client id (`client_id`)", pattern = "^[!-9;-~]{1,128}$")),
    responses(
        (status = 204, description = "The client was deleted"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn delete_client(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>) -> ApiResult {
    let (tenant, ws, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    client_outranked(&state, &caller, &tenant, &ws, &id).await?;
    if !state.clients.delete_client(&tenant, &ws, &id).await? {
        return Err(ApiError::NotFound("client"));
    }
    // This node stops accepting the client at once; others within their cache TTL. Its
    // theme layer went with it: every node's next page resolves without it.
    state.clients.forget();
    state.theme_cache.announce(&tenant).await;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SchemaView {
    id: String,
    builtin: bool,
    /// The JSON Schema.
    #[schema(value_type = Object)]
    schema: serde_json::Value,
}

/// List the built-in and the tenant's schemas.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/schemas",
    tag = "schemas",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The built-in and the tenant's schemas", body = super::Page<SchemaView>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_schemas(state: web::Data<AppState>, caller: Caller, path: web::Path<TenantId>) -> ApiResult {
    let tenant = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let mut items: Vec<SchemaView> = [schema::DEFAULT_PAYLOAD, schema::DEFAULT_METADATA]
        .into_iter()
        .filter_map(|id| schema::builtin(id).map(|s| SchemaView { id: id.into(), builtin: true, schema: s.clone() }))
        .collect();
    items.extend(state.schemas.schemas(&tenant).await?.into_iter().map(|(id, schema)| SchemaView { id, builtin: false, schema }));
    ok(&super::Page { items, next_cursor: None })
}

/// Get a schema.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/schemas/{schema}",
    tag = "schemas",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("schema" = String, Path, description = "Schema id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The schema", body = SchemaView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such schema", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_schema(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>) -> ApiResult {
    let (tenant, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    if let Some(s) = schema::builtin(&id) {
        return ok(&SchemaView { id, builtin: true, schema: s.clone() });
    }
    let s = state.schemas.schema(&tenant, &id).await?.ok_or(ApiError::NotFound("schema"))?;
    ok(&SchemaView { id, builtin: false, schema: s })
}

/// Create or replace a schema.
#[utoipa::path(
    put,
    path = "/tenants/{tenant}/schemas/{schema}",
    tag = "schemas",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("schema" = String, Path, description = "Schema id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body(content = Object, description = "A JSON Schema for user payloads or metadata, as the provisioning file's `tenants[].schemas[].schema`"),
    responses(
        (status = 200, description = "The schema was created or replaced", body = SchemaView),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tenant", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A built-in schema cannot be changed", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a valid schema; `errors` names each problem by JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_schema(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>, body: Body) -> ApiResult {
    let (tenant, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    if schema::builtin(&id).is_some() {
        return Err(ApiError::Conflict(format!("{id} is a built-in schema and cannot be changed")));
    }
    tenant_exists(&state, &tenant).await?.ok_or(ApiError::NotFound("tenant"))?;
    let body: serde_json::Value = body.parse().await?;
    let spec = SchemaSpec { id: id.clone(), schema: body.clone() };
    // Pools using the schema keep working only if their users still validate: checked
    // at each user's next write, so a stricter schema never loses data.
    apply(&state, &caller, TenantSpec { schemas: vec![spec], ..tenant_shell(&tenant) }, true, true, "/tenants/0/schemas/0/schema").await?;
    ok(&SchemaView { id, builtin: false, schema: body })
}

/// Delete a schema.
#[utoipa::path(
    delete,
    path = "/tenants/{tenant}/schemas/{schema}",
    tag = "schemas",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("schema" = String, Path, description = "Schema id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 204, description = "The schema was deleted"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such schema", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A built-in schema, or one a pool uses, cannot be deleted", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn delete_schema(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>) -> ApiResult {
    let (tenant, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    if schema::builtin(&id).is_some() {
        return Err(ApiError::Conflict(format!("{id} is a built-in schema and cannot be deleted")));
    }
    match state.schemas.delete_schema(&tenant, &id).await {
        Ok(true) => Ok(HttpResponse::NoContent().finish()),
        Ok(false) => Err(ApiError::NotFound("schema")),
        Err(crate::error::AppError::Conflict(why)) => Err(ApiError::Conflict(why)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PrivilegeView {
    id: String,
    name: String,
    builtin: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pool_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
}

fn builtin_name(id: &str) -> &'static str {
    match id {
        "system-admin" => "System administrator: every tenant",
        "tenant-admin" => "Tenant administrator",
        _ => "User administrator",
    }
}

/// List the privileges of a tenant.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/privileges",
    tag = "privileges",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The built-in privileges and the tenant's (groups' dynamic privileges)", body = super::Page<PrivilegeView>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_privileges(state: web::Data<AppState>, caller: Caller, path: web::Path<TenantId>) -> ApiResult {
    let tenant = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let mut items: Vec<PrivilegeView> =
        provision::BUILTIN_PRIVILEGES.iter().map(|id| PrivilegeView { id: (*id).into(), name: builtin_name(id).into(), builtin: true, pool_id: None, group_id: None }).collect();
    items.extend(state.privileges.privileges(&tenant).await?.into_iter().map(|p| PrivilegeView { id: p.id, name: p.name, builtin: false, pool_id: p.pool_id, group_id: p.group_id }));
    ok(&super::Page { items, next_cursor: None })
}

async fn privilege_exists(state: &AppState, tenant: &TenantId, id: &str) -> Result<(), ApiError> {
    if provision::BUILTIN_PRIVILEGES.contains(&id) || state.privileges.privileges(tenant).await?.iter().any(|p| p.id == id) {
        Ok(())
    } else {
        Err(ApiError::NotFound("privilege"))
    }
}

/// List a privilege's holders.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/privileges/{privilege}/holders",
    tag = "privileges",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("privilege" = String, Path, description = "Privilege id", max_length = 200)),
    responses(
        (status = 200, description = "The privilege's holders: `group:<pool>/<group>`, `user:<id>` or `client:<workspace>/<client_id>`", body = super::Page<String>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such privilege", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_holders(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String)>) -> ApiResult {
    let (tenant, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    privilege_exists(&state, &tenant, &id).await?;
    ok(&super::Page { items: state.privileges.holders(&tenant, &id).await?, next_cursor: None })
}

/// Holders: `group:<pool>/<group>`, `user:<id>`, `client:<workspace>/<client_id>`; each
/// must exist.
async fn check_holder(state: &AppState, tenant: &TenantId, holder: &str) -> Result<(), ApiError> {
    let bad = || invalid("/holder", "group:<pool>/<group>, user:<id> or client:<workspace>/<client_id> of an existing object");
    let (kind, rest) = holder.split_once(':').ok_or_else(bad)?;
    let exists = match kind {
        "group" => {
            let (pool, group) = rest.split_once('/').ok_or_else(bad)?;
            state.groups.groups(tenant, pool).await?.iter().any(|g| g.id == group)
        }
        "user" => state.users.get(tenant, rest).await?.is_some(),
        "client" => {
            let (ws, client) = rest.split_once('/').ok_or_else(bad)?;
            state.clients.get(tenant, ws, client).await?.is_some()
        }
        _ => false,
    };
    if exists { Ok(()) } else { Err(bad()) }
}

/// Grant a privilege to a holder.
#[utoipa::path(
    put,
    path = "/tenants/{tenant}/privileges/{privilege}/holders/{holder}",
    tag = "privileges",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("privilege" = String, Path, description = "Privilege id", max_length = 200), ("holder" = String, Path, description = "Holder: `group:<pool>/<group>`, `user:<id>` or `client:<workspace>/<client_id>`")),
    responses(
        (status = 204, description = "The holder holds the privilege"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such privilege", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The holder is malformed or does not exist", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_holder(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>) -> ApiResult {
    let (tenant, id, holder) = path.into_inner();
    require(caller.may_grant(&tenant, &id))?;
    privilege_exists(&state, &tenant, &id).await?;
    check_holder(&state, &tenant, &holder).await?;
    state.privileges.set_holder(&tenant, &id, &holder, true).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Revoke a privilege from a holder.
#[utoipa::path(
    delete,
    path = "/tenants/{tenant}/privileges/{privilege}/holders/{holder}",
    tag = "privileges",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("privilege" = String, Path, description = "Privilege id", max_length = 200), ("holder" = String, Path, description = "Holder: `group:<pool>/<group>`, `user:<id>` or `client:<workspace>/<client_id>`")),
    responses(
        (status = 204, description = "The holder does not hold the privilege"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn delete_holder(state: web::Data<AppState>, caller: Caller, path: web::Path<(TenantId, String, String)>) -> ApiResult {
    let (tenant, id, holder) = path.into_inner();
    require(caller.may_grant(&tenant, &id))?;
    state.privileges.set_holder(&tenant, &id, &holder, false).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 100; values outside are clamped).
    limit: Option<u64>,
}

/// List the tenant's audit events, newest first.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/audit",
    tag = "audit",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), AuditQuery),
    responses(
        (status = 200, description = "The tenant's audit events, newest first", body = super::Page<AuditRecord>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query parameter", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn list_audit(state: web::Data<AppState>, caller: Caller, path: web::Path<TenantId>, q: Args) -> ApiResult {
    let tenant = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let q: AuditQuery = q.parse()?;
    let before = match q.cursor.as_deref() {
        None => None,
        Some(c) => {
            let (at, id) = c.split_once('_').ok_or_else(|| invalid("/cursor", "not a cursor of this list"))?;
            Some((at.parse::<i64>().map_err(|_| invalid("/cursor", "not a cursor of this list"))?, id.to_owned()))
        }
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let items = state.audit.audit_events(&tenant, before, limit).await?;
    let next_cursor = (items.len() as u64 == limit).then(|| items.last().map(|e| format!("{}_{}", e.at, e.id))).flatten();
    ok(&super::Page { items, next_cursor })
}
