//! OAuth 2.0 endpoints: authorization (RFC 6749 §4.1), token (§3.2), introspection
//! (RFC 7662) and revocation (RFC 7009). Handlers extract, call the core, map the outcome.
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};

use super::response::{self, app_error_page, error_page, json_ok, oauth_error};
use super::workspace::{CurrentWorkspace, strings};
use super::cors::{self, Audience};
use super::{BROWSER_COOKIE, cookie, cookie_value, field, login, pairs};
use crate::auth::Flow;
use crate::protocol::authorize::{self, AuthorizeError, AuthorizeParams};
use crate::protocol::client_auth::{self, Presented};
use crate::protocol::{OAuthError, introspection, token};
use crate::state::AppState;
use crate::crypto::hex;
use crate::crypto::{digest, random_token};

pub async fn get_authorize(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest) -> HttpResponse {
    authorize(&state, &cw, &req, req.query_string().as_bytes()).await
}

/// OIDC Core §3.1.2.1: the authorization endpoint MUST support POST as well.
/// A cross-site POST carries no SameSite=Lax cookie, so it continues as a top-level GET
/// with the same parameters, which sees the browser's session like any other request.
pub async fn post_authorize(cw: CurrentWorkspace, body: web::Bytes) -> HttpResponse {
    response::see_other(&format!("{}?{}", cw.path("authorize"), super::reencode(&body)))
}

async fn authorize(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, raw: &[u8]) -> HttpResponse {
    let params = AuthorizeParams::from_pairs(pairs(raw));
    // The page language, before validation: only as many tags as a valid request has.
    let locales: Vec<String> = params.ui_locales.as_deref().unwrap_or("").split(' ').take(authorize::MAX_UI_LOCALES).map(str::to_owned).collect();
    let t = strings(req, &locales);
    let client = match params.lookup_client_id() {
        Some(id) => match state.clients.get(&cw.issuer.tenant, &cw.issuer.workspace, id).await {
            Ok(c) => c,
            Err(e) => return app_error_page(&e, cw.theme(), t),
        },
        None => None,
    };
    let request = match authorize::validate(params, client.as_ref()) {
        Ok(r) => r,
        Err(AuthorizeError::Show(e)) => {
            return error_page(StatusCode::BAD_REQUEST, cw.theme(), t, e.error.as_str(), e.error_description.as_deref().unwrap_or(""));
        }
        Err(AuthorizeError::Redirect { redirect_uri, state: st, error }) => {
            return match authorize::error_redirect(&redirect_uri, &error, st.as_deref(), &cw.issuer.url) {
                Ok(url) => found(url.as_str()),
                Err(e) => app_error_page(&e, cw.theme(), t),
            };
        }
    };
    let Some(client) = client else {
        return app_error_page(&crate::error::AppError::Internal("validated request without client".into()), cw.theme(), t);
    };
    // Bind the flow to this browser: its forms are only accepted with this cookie.
    let (bid, new_bid) = match cookie_value(req, BROWSER_COOKIE) {
        Some(b) => (b, false),
        None => (random_token(24), true),
    };
    let sso = match login::sso_session(state, cw, req).await {
        Ok(s) => s,
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    let flow = Flow::start(&cw.issuer.tenant, &cw.issuer.workspace, hex(&digest(&bid)), request);
    let mut resp = login::advance(state, cw, t, flow, &client, sso.as_ref(), false).await;
    if new_bid {
        let _ = resp.add_cookie(&cookie(BROWSER_COOKIE, bid, "/".into(), state.config.secure_cookies(), None));
    }
    resp
}

/// Authorization responses use 302 Found (RFC 6749 §4.1.2 example).
pub fn found(location: &str) -> HttpResponse {
    response::no_store(HttpResponse::Found()).insert_header((header::LOCATION, location)).finish()
}

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
    client_auth::authenticate(state.clients.as_ref(), &cw.issuer.tenant, &cw.issuer.workspace, presented(req, body))
        .await
        .map_err(|e| oauth_error(&e.error, e.used_basic))
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
