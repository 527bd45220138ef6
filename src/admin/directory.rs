//! Tenants, workspaces, pools (with their password policy), clients, schemas and
//! privileges. Writes go through the provisioning planner, so the admin API and the
//! provisioning file accept the same documents and check them the same way.
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{ApiError, ApiResult, Caller, created, invalid, ok};
use crate::identity::policy::PasswordPolicy;
use crate::identity::schema;
use crate::provision::{self, ClientSpec, PoolSpec, SchemaSpec, TenantSpec, WorkspaceSpec};
use crate::state::AppState;
use crate::storage::Client;
use crate::storage::identity::Pool;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tenants", web::get().to(list_tenants))
        .route("/tenants/{tenant}", web::get().to(get_tenant))
        .route("/tenants/{tenant}", web::put().to(put_tenant))
        .route("/tenants/{tenant}/pools", web::get().to(list_pools))
        .route("/tenants/{tenant}/pools/{pool}", web::get().to(get_pool))
        .route("/tenants/{tenant}/pools/{pool}", web::put().to(put_pool))
        .route("/tenants/{tenant}/pools/{pool}/password-policy", web::get().to(get_policy))
        .route("/tenants/{tenant}/pools/{pool}/password-policy", web::put().to(put_policy))
        .route("/tenants/{tenant}/workspaces", web::get().to(list_workspaces))
        .route("/tenants/{tenant}/workspaces/{workspace}", web::put().to(put_workspace))
        .route("/tenants/{tenant}/workspaces/{workspace}/clients", web::get().to(list_clients))
        .route("/tenants/{tenant}/workspaces/{workspace}/clients/{client}", web::get().to(get_client))
        .route("/tenants/{tenant}/workspaces/{workspace}/clients/{client}", web::put().to(put_client))
        .route("/tenants/{tenant}/workspaces/{workspace}/clients/{client}", web::delete().to(delete_client))
        .route("/tenants/{tenant}/schemas", web::get().to(list_schemas))
        .route("/tenants/{tenant}/schemas/{schema}", web::get().to(get_schema))
        .route("/tenants/{tenant}/schemas/{schema}", web::put().to(put_schema))
        .route("/tenants/{tenant}/schemas/{schema}", web::delete().to(delete_schema))
        .route("/tenants/{tenant}/privileges", web::get().to(list_privileges))
        .route("/tenants/{tenant}/privileges/{privilege}/holders", web::get().to(list_holders))
        .route("/tenants/{tenant}/privileges/{privilege}/holders/{holder:.+}", web::put().to(put_holder))
        .route("/tenants/{tenant}/privileges/{privilege}/holders/{holder:.+}", web::delete().to(delete_holder))
        .route("/tenants/{tenant}/audit", web::get().to(list_audit));
}

fn require(allowed: bool) -> Result<(), ApiError> {
    if allowed { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// Turns a provisioning error (`path: message`) into a field error with a JSON pointer.
fn plan_error(e: crate::error::AppError, prefix: &str) -> ApiError {
    match e {
        crate::error::AppError::Data(msg) => {
            let (path, message) = msg.split_once(": ").unwrap_or(("", msg.as_str()));
            let path = path.strip_prefix(prefix).unwrap_or(path);
            ApiError::Invalid(vec![schema::FieldError { pointer: dotted_to_pointer(path), message: message.to_owned() }])
        }
        e => e.into(),
    }
}

/// `a.b[2].c` → `/a/b/2/c`.
pub fn dotted_to_pointer(path: &str) -> String {
    let mut out = String::new();
    for part in path.split(['.', '[']).filter(|p| !p.is_empty()) {
        out.push('/');
        out.push_str(part.trim_end_matches(']'));
    }
    out
}

/// Plans and applies one tenant's worth of objects; `partial`: the tenant (and workspace)
/// rows are only created when missing.
async fn apply(state: &AppState, spec: TenantSpec, partial_tenant: bool, partial_ws: bool, prefix: &str) -> Result<(), ApiError> {
    let file = provision::File { tenants: vec![spec] };
    let mut plan = provision::prepare(state, file, "admin-api").await.map_err(|e| plan_error(e, prefix))?;
    for t in &mut plan.tenants {
        t.partial = partial_tenant;
        for w in &mut t.workspaces {
            w.partial = partial_ws;
        }
    }
    state.directory.apply(&plan).await?;
    Ok(())
}

fn tenant_shell(id: &str) -> TenantSpec {
    TenantSpec { id: id.into(), name: None, theme: None, schemas: vec![], pools: vec![], workspaces: vec![] }
}

async fn tenant_exists(state: &AppState, id: &str) -> Result<Option<(String, String)>, ApiError> {
    Ok(state.identity.tenants().await?.into_iter().find(|(t, _)| t == id))
}

#[derive(Serialize)]
struct TenantView {
    id: String,
    name: String,
}

async fn list_tenants(state: web::Data<AppState>, caller: Caller) -> ApiResult {
    let all = state.identity.tenants().await?;
    let items: Vec<TenantView> = all.into_iter().filter(|(id, _)| caller.tenant_admin(id)).map(|(id, name)| TenantView { id, name }).collect();
    ok(&super::Page { items, next_cursor: None })
}

async fn get_tenant(state: web::Data<AppState>, caller: Caller, path: web::Path<String>) -> ApiResult {
    let id = path.into_inner();
    require(caller.tenant_admin(&id))?;
    let (id, name) = tenant_exists(&state, &id).await?.ok_or(ApiError::NotFound("tenant"))?;
    ok(&TenantView { id, name })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantBody {
    name: Option<String>,
    theme: Option<crate::theme::ThemeSpec>,
}

async fn put_tenant(state: web::Data<AppState>, caller: Caller, path: web::Path<String>, body: web::Json<TenantBody>) -> ApiResult {
    let id = path.into_inner();
    let existed = tenant_exists(&state, &id).await?.is_some();
    // Creating a tenant takes a system administrator; changing one, its administrator.
    require(if existed { caller.tenant_admin(&id) } else { caller.system_admin() })?;
    let body = body.into_inner();
    let spec = TenantSpec { name: body.name, theme: body.theme, ..tenant_shell(&id) };
    apply(&state, spec, false, false, "tenants[0].").await?;
    let (id, name) = tenant_exists(&state, &id).await?.ok_or(ApiError::NotFound("tenant"))?;
    if existed { ok(&TenantView { id, name }) } else { created(&TenantView { id, name }) }
}

async fn list_pools(state: web::Data<AppState>, caller: Caller, path: web::Path<String>) -> ApiResult {
    let tenant = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    ok(&super::Page { items: state.identity.pools(&tenant).await?, next_cursor: None })
}

async fn pool_of(state: &AppState, tenant: &str, pool: &str) -> Result<Pool, ApiError> {
    state.identity.pool(tenant, pool).await?.ok_or(ApiError::NotFound("pool"))
}

async fn get_pool(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String)>) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    ok(&pool_of(&state, &tenant, &pool).await?)
}

/// A pool document: the provisioning file's pool without `id` (from the path) and users.
async fn put_pool(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String)>, body: web::Json<serde_json::Value>) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    tenant_exists(&state, &tenant).await?.ok_or(ApiError::NotFound("tenant"))?;
    let mut doc = body.into_inner();
    let Some(obj) = doc.as_object_mut() else {
        return Err(invalid("", "a JSON object is expected"));
    };
    if obj.contains_key("users") {
        return Err(invalid("/users", "users are created through /users or an import"));
    }
    obj.insert("id".into(), pool.clone().into());
    let spec: PoolSpec = serde_json::from_value(doc).map_err(|e| invalid("", e.to_string()))?;
    let existed = state.identity.pool(&tenant, &pool).await?.is_some();
    apply(&state, TenantSpec { pools: vec![spec], ..tenant_shell(&tenant) }, true, true, "tenants[0].pools[0].").await?;
    let out = pool_of(&state, &tenant, &pool).await?;
    if existed { ok(&out) } else { created(&out) }
}

async fn get_policy(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String)>) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    ok(&pool_of(&state, &tenant, &pool).await?.settings.password_policy)
}

async fn put_policy(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String)>, body: web::Json<PasswordPolicy>) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let current = pool_of(&state, &tenant, &pool).await?;
    let policy = body.into_inner();
    policy.validate().map_err(|(f, m)| invalid(&format!("/{f}"), m))?;
    let s = current.settings;
    let spec = PoolSpec {
        id: pool.clone(),
        name: Some(current.name),
        self_registration: s.self_registration,
        identifier: Some(s.identifier),
        activation: Some(s.activation),
        password_policy: Some(policy),
        payload_schema: Some(s.payload_schema),
        metadata_schema: Some(s.metadata_schema),
        retention_days: Some(s.retention_days),
        metadata_claims: s.metadata_claims,
        groups: vec![],
        users: vec![],
    };
    apply(&state, TenantSpec { pools: vec![spec], ..tenant_shell(&tenant) }, true, true, "tenants[0].pools[0].password_policy.").await?;
    ok(&pool_of(&state, &tenant, &pool).await?.settings.password_policy)
}

#[derive(Serialize)]
struct WorkspaceView {
    id: String,
    name: String,
    pools: Vec<String>,
    issuer: String,
}

async fn list_workspaces(state: web::Data<AppState>, caller: Caller, path: web::Path<String>) -> ApiResult {
    let tenant = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let items: Vec<WorkspaceView> = state
        .identity
        .workspaces(&tenant)
        .await?
        .into_iter()
        .map(|(id, name, pools)| WorkspaceView { issuer: state.config.issuer(&tenant, &id), id, name, pools })
        .collect();
    ok(&super::Page { items, next_cursor: None })
}

/// A workspace document: the provisioning file's workspace without `id`; clients listed
/// are created or updated, others kept.
async fn put_workspace(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String)>, body: web::Json<serde_json::Value>) -> ApiResult {
    let (tenant, ws) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    tenant_exists(&state, &tenant).await?.ok_or(ApiError::NotFound("tenant"))?;
    let mut doc = body.into_inner();
    let Some(obj) = doc.as_object_mut() else {
        return Err(invalid("", "a JSON object is expected"));
    };
    obj.insert("id".into(), ws.clone().into());
    let spec: WorkspaceSpec = serde_json::from_value(doc).map_err(|e| invalid("", e.to_string()))?;
    let existed = state.directory.workspace(&tenant, &ws).await?.is_some();
    apply(&state, TenantSpec { workspaces: vec![spec], ..tenant_shell(&tenant) }, true, false, "tenants[0].workspaces[0].").await?;
    let (id, name, pools) = state.identity.workspaces(&tenant).await?.into_iter().find(|w| w.0 == ws).ok_or(ApiError::NotFound("workspace"))?;
    let view = WorkspaceView { issuer: state.config.issuer(&tenant, &id), id, name, pools };
    if existed { ok(&view) } else { created(&view) }
}

/// A client as the API shows it: never its secret.
#[derive(Serialize)]
struct ClientView {
    client_id: String,
    name: String,
    confidential: bool,
    redirect_uris: Vec<String>,
    post_logout_redirect_uris: Vec<String>,
    grant_types: Vec<String>,
    scopes: Vec<String>,
    consent: crate::storage::ConsentMode,
    id_token_signed_response_alg: &'static str,
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
        }
    }
}

async fn list_clients(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String)>) -> ApiResult {
    let (tenant, ws) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let items: Vec<ClientView> = state.identity.clients(&tenant, &ws).await?.into_iter().map(ClientView::from).collect();
    ok(&super::Page { items, next_cursor: None })
}

async fn find_client(state: &AppState, tenant: &str, ws: &str, id: &str) -> Result<Client, ApiError> {
    state.identity.clients(tenant, ws).await?.into_iter().find(|c| c.client_id == id).ok_or(ApiError::NotFound("client"))
}

async fn get_client(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String, String)>) -> ApiResult {
    let (tenant, ws, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    ok(&ClientView::from(find_client(&state, &tenant, &ws, &id).await?))
}

async fn put_client(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String, String)>, body: web::Json<serde_json::Value>) -> ApiResult {
    let (tenant, ws, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    if state.directory.workspace(&tenant, &ws).await?.is_none() {
        return Err(ApiError::NotFound("workspace"));
    }
    let mut doc = body.into_inner();
    let Some(obj) = doc.as_object_mut() else {
        return Err(invalid("", "a JSON object is expected"));
    };
    obj.insert("client_id".into(), id.clone().into());
    let spec: ClientSpec = serde_json::from_value(doc).map_err(|e| invalid("", e.to_string()))?;
    for p in &spec.privileges {
        require(caller.may_grant(&tenant, p))?;
    }
    let existed = state.identity.clients(&tenant, &ws).await?.iter().any(|c| c.client_id == id);
    let w = WorkspaceSpec { id: ws.clone(), name: None, theme: None, pools: vec![], clients: vec![spec] };
    apply(&state, TenantSpec { workspaces: vec![w], ..tenant_shell(&tenant) }, true, true, "tenants[0].workspaces[0].clients[0].").await?;
    let view = ClientView::from(find_client(&state, &tenant, &ws, &id).await?);
    if existed { ok(&view) } else { created(&view) }
}

async fn delete_client(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String, String)>) -> ApiResult {
    let (tenant, ws, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    if state.identity.delete_client(&tenant, &ws, &id).await? { Ok(HttpResponse::NoContent().finish()) } else { Err(ApiError::NotFound("client")) }
}

#[derive(Serialize)]
struct SchemaView {
    id: String,
    builtin: bool,
    schema: serde_json::Value,
}

async fn list_schemas(state: web::Data<AppState>, caller: Caller, path: web::Path<String>) -> ApiResult {
    let tenant = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let mut items: Vec<SchemaView> = [schema::DEFAULT_PAYLOAD, schema::DEFAULT_METADATA]
        .into_iter()
        .filter_map(|id| schema::builtin(id).map(|s| SchemaView { id: id.into(), builtin: true, schema: s.clone() }))
        .collect();
    items.extend(state.identity.schemas(&tenant).await?.into_iter().map(|(id, schema)| SchemaView { id, builtin: false, schema }));
    ok(&super::Page { items, next_cursor: None })
}

async fn get_schema(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String)>) -> ApiResult {
    let (tenant, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    if let Some(s) = schema::builtin(&id) {
        return ok(&SchemaView { id, builtin: true, schema: s.clone() });
    }
    let s = state.identity.schema(&tenant, &id).await?.ok_or(ApiError::NotFound("schema"))?;
    ok(&SchemaView { id, builtin: false, schema: s })
}

async fn put_schema(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String)>, body: web::Json<serde_json::Value>) -> ApiResult {
    let (tenant, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    if schema::builtin(&id).is_some() {
        return Err(ApiError::Conflict(format!("{id} is a built-in schema and cannot be changed")));
    }
    tenant_exists(&state, &tenant).await?.ok_or(ApiError::NotFound("tenant"))?;
    let body = body.into_inner();
    let spec = SchemaSpec { id: id.clone(), schema: body.clone() };
    // Pools using the schema keep working only if their users still validate: checked
    // at each user's next write, so a stricter schema never loses data.
    apply(&state, TenantSpec { schemas: vec![spec], ..tenant_shell(&tenant) }, true, true, "tenants[0].schemas[0].schema").await?;
    ok(&SchemaView { id, builtin: false, schema: body })
}

async fn delete_schema(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String)>) -> ApiResult {
    let (tenant, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    if schema::builtin(&id).is_some() {
        return Err(ApiError::Conflict(format!("{id} is a built-in schema and cannot be deleted")));
    }
    match state.identity.delete_schema(&tenant, &id).await {
        Ok(true) => Ok(HttpResponse::NoContent().finish()),
        Ok(false) => Err(ApiError::NotFound("schema")),
        Err(crate::error::AppError::Conflict(why)) => Err(ApiError::Conflict(why)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct PrivilegeView {
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

async fn list_privileges(state: web::Data<AppState>, caller: Caller, path: web::Path<String>) -> ApiResult {
    let tenant = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let mut items: Vec<PrivilegeView> =
        provision::BUILTIN_PRIVILEGES.iter().map(|id| PrivilegeView { id: (*id).into(), name: builtin_name(id).into(), builtin: true, pool_id: None, group_id: None }).collect();
    items.extend(state.identity.privileges(&tenant).await?.into_iter().map(|p| PrivilegeView { id: p.id, name: p.name, builtin: false, pool_id: p.pool_id, group_id: p.group_id }));
    ok(&super::Page { items, next_cursor: None })
}

async fn privilege_exists(state: &AppState, tenant: &str, id: &str) -> Result<(), ApiError> {
    if provision::BUILTIN_PRIVILEGES.contains(&id) || state.identity.privileges(tenant).await?.iter().any(|p| p.id == id) {
        Ok(())
    } else {
        Err(ApiError::NotFound("privilege"))
    }
}

async fn list_holders(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String)>) -> ApiResult {
    let (tenant, id) = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    privilege_exists(&state, &tenant, &id).await?;
    ok(&super::Page { items: state.identity.holders(&tenant, &id).await?, next_cursor: None })
}

/// Holders: `group:<pool>/<group>`, `user:<id>`, `client:<workspace>/<client_id>`; each
/// must exist.
async fn check_holder(state: &AppState, tenant: &str, holder: &str) -> Result<(), ApiError> {
    let bad = || invalid("/holder", "group:<pool>/<group>, user:<id> or client:<workspace>/<client_id> of an existing object");
    let (kind, rest) = holder.split_once(':').ok_or_else(bad)?;
    let exists = match kind {
        "group" => {
            let (pool, group) = rest.split_once('/').ok_or_else(bad)?;
            state.identity.groups(tenant, pool).await?.iter().any(|g| g.id == group)
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

async fn put_holder(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String, String)>) -> ApiResult {
    let (tenant, id, holder) = path.into_inner();
    require(caller.may_grant(&tenant, &id))?;
    privilege_exists(&state, &tenant, &id).await?;
    check_holder(&state, &tenant, &holder).await?;
    state.identity.set_holder(&tenant, &id, &holder, true).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn delete_holder(state: web::Data<AppState>, caller: Caller, path: web::Path<(String, String, String)>) -> ApiResult {
    let (tenant, id, holder) = path.into_inner();
    require(caller.may_grant(&tenant, &id))?;
    state.identity.set_holder(&tenant, &id, &holder, false).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    cursor: Option<String>,
    limit: Option<u64>,
}

async fn list_audit(state: web::Data<AppState>, caller: Caller, path: web::Path<String>, q: web::Query<AuditQuery>) -> ApiResult {
    let tenant = path.into_inner();
    require(caller.tenant_admin(&tenant))?;
    let q = q.into_inner();
    let before = match q.cursor.as_deref() {
        None => None,
        Some(c) => {
            let (at, id) = c.split_once('_').ok_or_else(|| invalid("/cursor", "not a cursor of this list"))?;
            Some((at.parse::<i64>().map_err(|_| invalid("/cursor", "not a cursor of this list"))?, id.to_owned()))
        }
    };
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let items = state.identity.audit_events(&tenant, before, limit).await?;
    let next_cursor = (items.len() as u64 == limit).then(|| items.last().map(|e| format!("{}_{}", e.at, e.id))).flatten();
    ok(&super::Page { items, next_cursor })
}
