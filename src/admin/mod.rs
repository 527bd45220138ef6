//! The admin REST API under `/api/admin/v1`: bearer access tokens issued by Portcullis
//! itself, every call authorized against the caller's privileges (`authz`) and recorded
//! in the audit trail, errors as RFC 9457 problem details with JSON pointers.
use actix_web::dev::{Payload, Service};
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use futures_util::future::LocalBoxFuture;
use serde::Serialize;

use crate::error::AppError;
use crate::identity::lifecycle::Rejected;
use crate::identity::schema::FieldError;
use crate::protocol::tokens::verify_access_token;
use crate::state::AppState;
use crate::storage::identity::{client_holder, group_holder, user_holder};
use crate::storage::{AuditEvent, UserStatus};

pub mod authz;
pub mod directory;
pub mod import;
pub mod openapi;
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
            ApiError::App(e) if e.is_unavailable() => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Temporarily unavailable", None, vec![]),
            ApiError::App(AppError::Data(d)) => (StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid input", Some(d.clone()), vec![]),
            ApiError::App(_) => (StatusCode::INTERNAL_SERVER_ERROR, "server-error", "Internal error", None, vec![]),
        };
        if let ApiError::App(e) = self {
            tracing::error!(error = %e, "admin API call failed");
        }
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

/// Actor recorded by the audit middleware.
#[derive(Clone)]
struct AuditActor(String, String);

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
    let (tenant, workspace) = (tenant.to_owned(), workspace.to_owned());
    let at = verify_access_token(&state.keys, state.grants.as_ref(), &iss, token, state.now()).await.map_err(|_| bad())?;
    if !at.scope.0.iter().any(|s| s == ADMIN_SCOPE) {
        return Err(ApiError::Unauthorized("The access token lacks the admin scope."));
    }
    let (principal, holders) = if at.grant_id.is_some() {
        let user = state.users.get(&tenant, &at.sub).await?.filter(|u| u.status == UserStatus::Active).ok_or_else(bad)?;
        let mut holders = vec![user_holder(&user.id)];
        holders.extend(state.identity.user_groups(&user.id).await?.iter().map(|g| group_holder(&user.pool_id, g)));
        (Principal::User { id: user.id, pool: user.pool_id }, holders)
    } else {
        state.clients.get(&tenant, &workspace, &at.client_id).await?.ok_or_else(bad)?;
        let holder = client_holder(&workspace, &at.client_id);
        (Principal::Client { workspace, client_id: at.client_id }, vec![holder])
    };
    let privileges = state.identity.privileges_of(&tenant, &holders).await?;
    Ok(Caller { tenant, principal, privileges })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req.app_data::<web::Data<AppState>>().cloned().ok_or(ApiError::App(AppError::Internal("no state".into())))?;
            let caller = authenticate(&state, &req).await?;
            req.extensions_mut().insert(AuditActor(caller.tenant.clone(), caller.actor()));
            Ok(caller)
        })
    }
}

/// Records every call (also refused ones) with its actor, method, path and status.
async fn record_call(state: &AppState, req: &HttpRequest, status: StatusCode) {
    let (caller_tenant, actor) = req.extensions().get::<AuditActor>().map(|a| (a.0.clone(), a.1.clone())).unwrap_or_else(|| (String::new(), "anonymous".into()));
    let path = req.path().to_owned();
    let tenant = req.match_info().get("tenant").map(str::to_owned).filter(|t| !t.is_empty()).unwrap_or(caller_tenant);
    let event = AuditEvent {
        tenant_id: tenant,
        actor,
        action: format!("admin.{}", req.method().as_str().to_lowercase()),
        subject: path,
        detail: serde_json::json!({ "status": status.as_u16() }),
    };
    if let Err(e) = state.audit.record(event, state.now()).await {
        tracing::error!(error = %e, "admin audit event not recorded");
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/admin/v1")
            .wrap_fn(|req, srv| {
                let fut = srv.call(req);
                async move {
                    let res = fut.await?;
                    if res.request().path() != "/api/admin/v1/openapi.json"
                        && let Some(state) = res.request().app_data::<web::Data<AppState>>()
                    {
                        record_call(state, res.request(), res.status()).await;
                    }
                    Ok(res)
                }
            })
            .app_data(web::JsonConfig::default().limit(256 * 1024).error_handler(|e, _| match e {
                actix_web::error::JsonPayloadError::ContentType => ApiError::Unsupported("Send application/json.").into(),
                e => ApiError::Invalid(vec![FieldError { pointer: String::new(), message: e.to_string() }]).into(),
            }))
            .app_data(web::QueryConfig::default().error_handler(|e, _| ApiError::Invalid(vec![FieldError { pointer: String::new(), message: e.to_string() }]).into()))
            .route("/openapi.json", web::get().to(openapi::get_openapi))
            .configure(directory::configure)
            .configure(users::configure)
            .configure(import::configure)
            .default_service(web::to(|| async { ApiError::NotFound("resource").response() })),
    );
}
