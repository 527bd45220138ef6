//! OpenID Connect endpoints: discovery, JWKS and userinfo (OIDC Core §5.3).
//! (RP-Initiated Logout shows pages: `pages::logout`.)
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use super::response::{bearer_error, json_ok};
use super::workspace::CurrentWorkspace;
use super::cors::{self, Audience};
use super::field;
use crate::protocol::{ErrorCode, OAuthError, claims, discovery, tokens};
use crate::state::AppState;
use crate::storage::UserStatus;

#[tracing::instrument(skip_all, fields(tenant = %cw.issuer.tenant, workspace = %cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_discovery(cw: CurrentWorkspace) -> HttpResponse {
    metadata(&cw)
}

/// RFC 8414 authorization server metadata at
/// `/.well-known/oauth-authorization-server/{tenant}/{workspace}`, for OAuth-only clients:
/// the same document, whose `issuer` is the one it was retrieved for (§3.3).
#[tracing::instrument(skip_all, fields(tenant = %cw.issuer.tenant, workspace = %cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_authorization_server_metadata(cw: CurrentWorkspace) -> HttpResponse {
    metadata(&cw)
}

fn metadata(cw: &CurrentWorkspace) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(discovery::metadata(&cw.issuer.url, &crate::auth::assurance::acr_values_supported(&cw.workspace.levels)))
}

#[tracing::instrument(skip_all, fields(tenant = %_cw.issuer.tenant, workspace = %_cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_jwks(state: web::Data<AppState>, _cw: CurrentWorkspace) -> HttpResponse {
    match state.keys.jwks() {
        Ok(jwks) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
            .content_type("application/jwk-set+json")
            .body(jwks.to_string()),
        Err(e) => {
            tracing::error!(error = %e, "jwks");
            HttpResponse::InternalServerError().finish()
        }
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let v = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

#[tracing::instrument(skip_all, fields(tenant = %cw.issuer.tenant, workspace = %cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_userinfo(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest) -> HttpResponse {
    let token = bearer(&req);
    userinfo(&state, &cw, &req, token).await
}

/// RFC 6750 §2.2: the token may come in a form body instead of the header, not both.
#[tracing::instrument(skip_all, fields(tenant = %cw.issuer.tenant, workspace = %cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_userinfo(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let token = match (bearer(&req), field(&body, "access_token")) {
        (Some(_), Some(_)) => {
            let resp = bearer_error(&OAuthError::invalid_request("the token was sent in more than one way"));
            return cors::respond(&state, &cw, &req, Audience::Workspace, resp).await;
        }
        (h, b) => h.or(b),
    };
    userinfo(&state, &cw, &req, token).await
}

/// The userinfo answer, readable by the origins of the client the token was issued to
/// (or, without a valid token, of any client of the workspace).
async fn userinfo(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, token: Option<String>) -> HttpResponse {
    // RFC 6750 §3.1: no credentials at all gets a bare challenge, no error code.
    let Some(token) = token else {
        let resp = HttpResponse::Unauthorized().insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"portcullis\"")).finish();
        return cors::respond(state, cw, req, Audience::Workspace, resp).await;
    };
    let now = state.now();
    let at = match tokens::verify_access_token(&state.keys, state.grants.as_ref(), &cw.issuer.url, &token, now).await {
        Ok(at) => at,
        Err(e) => return cors::respond(state, cw, req, Audience::Workspace, bearer_error(&e)).await,
    };
    tracing::Span::current().record("client_id", at.client_id.as_str());
    let resp = userinfo_for(state, cw, &at).await;
    cors::respond(state, cw, req, Audience::ClientId(&at.client_id), resp).await
}

async fn userinfo_for(state: &AppState, cw: &CurrentWorkspace, at: &tokens::AccessClaims) -> HttpResponse {
    if !at.scope.contains("openid") || at.grant_id.is_none() {
        return bearer_error(&OAuthError::new(ErrorCode::InsufficientScope, "the openid scope is required"));
    }
    let user = match state.users.get(&cw.issuer.tenant, &at.sub).await {
        Ok(Some(u)) if u.status == UserStatus::Active => u,
        Ok(_) => return bearer_error(&OAuthError::invalid_token("the user can no longer sign in")),
        Err(e) => return bearer_error(&e.into()),
    };
    let mut body = claims::for_scope(&user, &at.scope);
    match crate::protocol::token::metadata_claims(state.pools.as_ref(), &user).await {
        Ok(extra) => body.extend(extra),
        Err(e) => return bearer_error(&e.into()),
    }
    body.insert("sub".into(), Value::String(user.id));
    json_ok(&body)
}
