//! The admin REST API under `/api/admin/v1`: bearer access tokens issued by Portcullis
//! itself, every call authorized against the caller's privileges (`authz`) and recorded
//! in the audit trail, errors as RFC 9457 problem details with JSON pointers.
use actix_web::dev::{Payload, Service, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use futures_util::future::LocalBoxFuture;
use serde::Serialize;
use tracing::Instrument;

use crate::error::AppError;
use crate::identity::lifecycle::Rejected;
use crate::identity::schema::FieldError;
use crate::protocol::tokens::verify_access_token;
use crate::state::AppState;
use crate::storage::identity::{client_holder, group_holder, user_holder};
use crate::storage::{AuditEvent, UserStatus};

pub mod authz;
pub mod directory;
pub mod factors;
pub mod import;
pub mod openapi;
pub mod templates;
pub mod themes;
pub mod users;

pub use authz::{Caller, Principal};

/// The scope an access token needs for the admin API (besides the caller's privileges):
/// an application that merely signs a user in cannot use the user's token here.
pub const ADMIN_SCOPE: &str = "admin";

/// Every failure of an admin call; `respond` turns it into a problem document.
#[derive(Debug)]
pub enum ApiError {
    Unauthorized(&'static str),
    Forbidden,
    NotFound(&'static str),
    Invalid(Vec<FieldError>),
    Conflict(String),
    Unsupported(&'static str),
    TooLarge,
    /// The path exists, the method does not (the `Allow` header is added by `configure`).
    MethodNotAllowed,
    App(AppError),
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        // A taken identifier is a field error, as `Rejected` says.
        match Rejected::from(e) {
            Rejected::Invalid(errors) => ApiError::Invalid(errors),
            Rejected::App(e) => ApiError::App(e),
        }
    }
}

impl From<Rejected> for ApiError {
    fn from(r: Rejected) -> Self {
        match r {
            Rejected::Invalid(e) => ApiError::Invalid(e),
            Rejected::App(e) => ApiError::App(e),
        }
    }
}

pub fn invalid(pointer: &str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid(vec![FieldError { pointer: pointer.into(), message: message.into() }])
}

/// RFC 9457 problem details; `errors` lists each invalid field by JSON pointer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub pointer: String,
    pub detail: String,
}

impl ApiError {
    pub fn response(&self) -> HttpResponse {
        let (status, kind, title, detail, errors) = match self {
            ApiError::Unauthorized(d) => (StatusCode::UNAUTHORIZED, "unauthorized", "Authentication required", Some(d.to_string()), vec![]),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "Not allowed", Some("The caller's privileges do not allow this.".into()), vec![]),
            ApiError::NotFound(what) => (StatusCode::NOT_FOUND, "not-found", "Not found", Some(format!("No such {what}.")), vec![]),
            ApiError::Invalid(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid input",
                None,
                e.iter().map(|e| ProblemField { pointer: e.pointer.clone(), detail: e.message.clone() }).collect(),
            ),
            ApiError::Conflict(d) => (StatusCode::CONFLICT, "conflict", "Conflict", Some(d.clone()), vec![]),
            ApiError::Unsupported(d) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type", Some(d.to_string()), vec![]),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too-large", "Request body too large", Some(format!("At most {} KiB.", MAX_BODY / 1024)), vec![]),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", Some("The Allow header lists the methods of this resource.".into()), vec![]),
            // Internal errors are logged once, here, under the reference the caller sees.
            ApiError::App(e) if e.is_unavailable() => {
                let id = crate::error::report(e);
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Temporarily unavailable", Some(format!("The service is temporarily unavailable (ref {id})")), vec![])
            }
            ApiError::App(AppError::Invalid(e)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid input",
                None,
                e.iter().map(|e| ProblemField { pointer: e.pointer.clone(), detail: e.message.clone() }).collect(),
            ),
            ApiError::App(e) => {
                let id = crate::error::report(e);
                (StatusCode::INTERNAL_SERVER_ERROR, "server-error", "Internal error", Some(format!("Internal error (ref {id})")), vec![])
            }
        };
        let problem = Problem { kind: format!("https://portcullis.dev/problems/{kind}"), title: title.into(), status: status.as_u16(), detail, errors };
        let mut b = HttpResponse::build(status);
        b.insert_header((header::CACHE_CONTROL, "no-store")).content_type("application/problem+json");
        if status == StatusCode::UNAUTHORIZED {
            b.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"portcullis-admin\""));
        }
        b.json(problem)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl actix_web::ResponseError for ApiError {
    fn error_response(&self) -> HttpResponse {
        self.response()
    }
}

pub type ApiResult = Result<HttpResponse, ApiError>;

/// The largest JSON document the admin API reads.
pub const MAX_BODY: usize = 256 * 1024;

/// A JSON request body that is read only when the handler asks, after it authorized the
/// caller: a caller who may not make the call learns nothing from 413/415/422 answers about
/// what the call would take (401 and 403 come first).
pub struct Body {
    payload: Payload,
    content_type: Option<String>,
}

impl FromRequest for Body {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        std::future::ready(Ok(Body { payload: payload.take(), content_type }))
    }
}

impl Body {
    /// Reads and parses the body: 415 unless it is `application/json` (or `+json`), 422 with
    /// the parser's message when it is not the expected document, 413 beyond `MAX_BODY`.
    pub async fn parse<T: serde::de::DeserializeOwned>(self) -> Result<T, ApiError> {
        use futures_util::StreamExt;
        let mime = self.content_type.as_deref().unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if !(mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))) {
            return Err(ApiError::Unsupported("Send application/json."));
        }
        let mut payload = self.payload;
        let mut bytes = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| invalid("", format!("body: {e}")))?;
            if bytes.len() + chunk.len() > MAX_BODY {
                return Err(ApiError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&bytes).map_err(|e| invalid("", e.to_string()))
    }
}

/// The query string, parsed only when the handler asks (after authorization, as [`Body`]).
pub struct Args(String);

impl FromRequest for Args {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Args(req.query_string().to_owned())))
    }
}

impl Args {
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_urlencoded::from_str(&self.0).map_err(|e| invalid("", e.to_string()))
    }
}

pub fn ok(body: &impl Serialize) -> ApiResult {
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(body))
}

pub fn created(body: &impl Serialize) -> ApiResult {
    Ok(HttpResponse::Created().insert_header((header::CACHE_CONTROL, "no-store")).json(body))
}

/// A page of results with the cursor of the next page, if there is one.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Who the audit middleware records: the caller's tenant, its actor name, and whether it
/// may act in every tenant.
#[derive(Clone)]
struct AuditActor {
    tenant: crate::model::TenantId,
    actor: String,
    everywhere: bool,
    /// Holds any privilege: a caller without one (any user of an app with the `admin`
    /// scope) can do nothing here, and must not fill the trail either.
    privileged: bool,
}

/// The longest path an audit event keeps (callers choose paths; the trail must not grow
/// with them).
const AUDIT_PATH_CHARS: usize = 256;

/// The `iss` claim of a JWT, not yet verified.
fn unverified_issuer(token: &str) -> Option<String> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("iss")?.as_str().map(str::to_owned)
}

async fn authenticate(state: &AppState, req: &HttpRequest) -> Result<Caller, ApiError> {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .ok_or(ApiError::Unauthorized("A bearer access token from Portcullis is required."))?;
    let bad = || ApiError::Unauthorized("The access token is invalid or expired.");
    // The issuer names the tenant: `{public_url}/{tenant}/{workspace}`. It is read before
    // the signature is checked (once, by `verify_access_token`, which also requires the
    // token's issuer to be exactly this one).
    let iss = unverified_issuer(token).ok_or_else(bad)?;
    let base = state.config.public_url.as_str().trim_end_matches('/');
    let (tenant, workspace) = iss.strip_prefix(base).and_then(|r| r.strip_prefix('/')).and_then(|r| r.split_once('/')).ok_or_else(bad)?;
    // A tenant id enters the system here, from the token's issuer (checked below).
    let (tenant, workspace) = (crate::model::TenantId::new(tenant), workspace.to_owned());
    // An outage is a 503 (the caller may retry), not a 401 (it would throw its token away).
    let at = verify_access_token(&state.keys, state.grants.as_ref(), &iss, token, state.now()).await.map_err(|e| match e.error {
        crate::protocol::ErrorCode::TemporarilyUnavailable => ApiError::App(AppError::unavailable(crate::error::Service::Database, "token check unavailable")),
        crate::protocol::ErrorCode::ServerError => ApiError::App(AppError::internal("token check failed")),
        _ => bad(),
    })?;
    if !at.scope.0.iter().any(|s| s == ADMIN_SCOPE) {
        return Err(ApiError::Unauthorized("The access token lacks the admin scope."));
    }
    if at.grant_id.is_some() {
        return user_caller(state, &tenant, &at.sub).await?.ok_or_else(bad);
    }
    state.clients.get(&tenant, &workspace, &at.client_id).await?.ok_or_else(bad)?;
    let holder = client_holder(&workspace, &at.client_id);
    let privileges = state.privileges.privileges_of(&tenant, &[holder]).await?;
    Ok(Caller { tenant, principal: Principal::Client { workspace, client_id: at.client_id }, privileges })
}

/// The caller a user of `tenant` is, with the privileges they hold themselves and through
/// their groups, read now; `None` when the user does not exist or is not active. The admin
/// API's callers with a user's token are built here, and so is the theme studio's caller
/// on every studio request (`studio`).
pub async fn user_caller(state: &AppState, tenant: &crate::model::TenantId, user_id: &str) -> Result<Option<Caller>, AppError> {
    let Some(user) = state.users.get(tenant, user_id).await?.filter(|u| u.status == UserStatus::Active) else {
        return Ok(None);
    };
    let mut holders = vec![user_holder(&user.id)];
    holders.extend(state.groups.user_groups(&user.tenant_id, &user.id).await?.iter().map(|g| group_holder(&user.pool_id, g)));
    let privileges = state.privileges.privileges_of(tenant, &holders).await?;
    Ok(Some(Caller { tenant: tenant.clone(), principal: Principal::User { id: user.id, pool: user.pool_id }, privileges }))
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req.app_data::<web::Data<AppState>>().cloned().ok_or(ApiError::App(AppError::internal("no state")))?;
            let caller = authenticate(&state, &req).await?;
            let span = tracing::Span::current();
            span.record("tenant", caller.tenant.as_str());
            if let Principal::Client { workspace, client_id } = &caller.principal {
                span.record("workspace", workspace.as_str());
                span.record("client_id", client_id.as_str());
            }
            req.extensions_mut().insert(AuditActor { tenant: caller.tenant.clone(), actor: caller.actor(), everywhere: caller.system_admin(), privileged: !caller.privileges.is_empty() });
            Ok(caller)
        })
    }
}

/// Records every authenticated call (also refused ones) with its actor, method, path and
/// status, in the trail of the caller's tenant (of the tenant the path names, for a system
/// administrator). Anonymous calls never reach a tenant's trail: anyone could fill it (and
/// create trails for tenants that do not exist); they go to the log, bounded.
async fn record_call(state: &AppState, req: &HttpRequest, status: StatusCode) {
    let path: String = req.path().chars().take(AUDIT_PATH_CHARS).collect();
    let Some(who) = req.extensions().get::<AuditActor>().cloned().filter(|w| w.privileged) else {
        tracing::info!(method = %req.method(), %path, status = status.as_u16(), "admin API call without privileges");
        return;
    };
    let named = req.match_info().get("tenant").filter(|t| !t.is_empty());
    let tenant = match named {
        Some(t) if who.everywhere => crate::model::TenantId::new(t),
        _ => who.tenant,
    };
    let event = AuditEvent {
        tenant_id: tenant,
        actor: who.actor,
        action: format!("admin.{}", req.method().as_str().to_lowercase()),
        subject: path,
        detail: serde_json::json!({ "status": status.as_u16() }),
    };
    if let Err(e) = state.audit.record(event, state.now()).await {
        tracing::error!(error = %e, "admin audit event not recorded");
    }
}

/// A resource's bare 405 (RFC 9110 §15.5.6, with the `Allow` header actix computed from
/// the resource's routes) as a problem document, like every other admin API error.
fn method_not_allowed(res: ServiceResponse) -> ServiceResponse {
    if res.status() != StatusCode::METHOD_NOT_ALLOWED {
        return res;
    }
    let allow = res.headers().get(header::ALLOW).cloned();
    let (req, _) = res.into_parts();
    let mut problem = ApiError::MethodNotAllowed.response();
    if let Some(allow) = allow {
        problem.headers_mut().insert(header::ALLOW, allow);
    }
    ServiceResponse::new(req, problem)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/admin/v1")
            .wrap_fn(|req, srv| {
                // One span per admin call, for every handler alike: the `Caller` extractor
                // records the tenant and the calling client once the token is checked, so
                // whatever the call logs (`error::report` included) names them.
                let span = tracing::info_span!("admin", tenant = tracing::field::Empty, workspace = tracing::field::Empty, client_id = tracing::field::Empty);
                let fut = srv.call(req).instrument(span.clone());
                async move {
                    let res = method_not_allowed(fut.await?);
                    if res.request().path() != "/api/admin/v1/openapi.json"
                        && let Some(state) = res.request().app_data::<web::Data<AppState>>()
                    {
                        record_call(state, res.request(), res.status()).await;
                    }
                    Ok(res)
                }
                .instrument(span)
            })
            .service(web::resource("/openapi.json").route(crate::http::get().to(openapi::get_openapi)))
            .configure(directory::configure)
            .configure(users::configure)
            .configure(factors::configure)
            .configure(import::configure)
            .configure(themes::configure)
            .configure(templates::configure)
            .default_service(web::to(|| async { ApiError::NotFound("resource").response() })),
    );
}
