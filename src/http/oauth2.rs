//! OAuth 2.0 back-channel endpoints: token (RFC 6749 §3.2), introspection (RFC 7662) and
//! revocation (RFC 7009). Handlers extract, call the core, map the outcome. (The
//! authorization endpoint starts the hosted pages: `pages::authorize`.)
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::response::{self, json_ok, oauth_error};
use super::workspace::CurrentWorkspace;
use super::cors::{self, Audience};
use super::{field, pairs};
use crate::protocol::client_auth::{self, Presented};
use crate::protocol::{OAuthError, introspection, token};
use crate::state::AppState;

fn is_form(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")))
}

fn presented(req: &HttpRequest, body: &[u8]) -> Presented {
    Presented {
        basic: req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(client_auth::parse_basic),
        form_client_id: field(body, "client_id").filter(|v| !v.is_empty()),
        form_client_secret: field(body, "client_secret").filter(|v| !v.is_empty()),
    }
}

/// Shared front of the back-channel endpoints: a form body and an authenticated client.
async fn client_request(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, body: &[u8]) -> Result<crate::storage::Client, HttpResponse> {
    if !is_form(req) {
        return Err(oauth_error(&OAuthError::invalid_request("the body must be application/x-www-form-urlencoded"), false));
    }
    let client = client_auth::authenticate(state.clients.as_ref(), &cw.issuer.tenant, &cw.issuer.workspace, presented(req, body))
        .await
        .map_err(|e| oauth_error(&e.error, e.used_basic))?;
    // The handler's span names the client from here on (see `#[instrument]` above).
    tracing::Span::current().record("client_id", client.client_id.as_str());
    Ok(client)
}

/// Which origins may read a back-channel answer: the authenticated client's, or, when
/// client authentication failed, those of any client of the workspace (so a browser app
/// can still read `invalid_client`).
async fn with_cors(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, client: Option<&crate::storage::Client>, resp: HttpResponse) -> HttpResponse {
    let audience = match client {
        Some(c) => Audience::Client(c),
        None => Audience::Workspace,
    };
    cors::respond(state, cw, req, audience, resp).await
}

#[tracing::instrument(skip_all, fields(tenant = %cw.issuer.tenant, workspace = %cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_token(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let (client, resp) = match client_request(&state, &cw, &req, &body).await {
        Ok(c) => {
            let resp = match super::services::tokens(&state).post_token(&cw.issuer, &c, token::TokenParams::from_pairs(pairs(&body))).await {
                Ok(r) => json_ok(&r),
                Err(e) => oauth_error(&e, false),
            };
            (Some(c), resp)
        }
        Err(resp) => (None, resp),
    };
    with_cors(&state, &cw, &req, client.as_ref(), resp).await
}

#[tracing::instrument(skip_all, fields(tenant = %cw.issuer.tenant, workspace = %cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_introspect(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let (client, resp) = match client_request(&state, &cw, &req, &body).await {
        Ok(c) => {
            let resp = match field(&body, "token").filter(|t| !t.is_empty()) {
                None => oauth_error(&OAuthError::invalid_request("token is missing"), false),
                Some(tok) => match introspection::introspect(&super::services::introspection(&state), &cw.issuer, &c, &tok).await {
                    Ok(v) => json_ok(&v),
                    Err(e) => oauth_error(&e, false),
                },
            };
            (Some(c), resp)
        }
        Err(resp) => (None, resp),
    };
    with_cors(&state, &cw, &req, client.as_ref(), resp).await
}

#[tracing::instrument(skip_all, fields(tenant = %cw.issuer.tenant, workspace = %cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_revoke(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let (client, resp) = match client_request(&state, &cw, &req, &body).await {
        Ok(c) => {
            let resp = match field(&body, "token").filter(|t| !t.is_empty()) {
                None => oauth_error(&OAuthError::invalid_request("token is missing"), false),
                Some(tok) => match introspection::revoke(&super::services::introspection(&state), &cw.issuer, &c, &tok, field(&body, "token_type_hint").as_deref()).await {
                    Ok(()) => response::no_store(HttpResponse::Ok()).finish(),
                    Err(e) => oauth_error(&e, false),
                },
            };
            (Some(c), resp)
        }
        Err(resp) => (None, resp),
    };
    with_cors(&state, &cw, &req, client.as_ref(), resp).await
}
