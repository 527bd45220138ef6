//! CORS (the Fetch standard's CORS protocol) for the endpoints browser apps call directly:
//! token, userinfo, introspection and revocation. An origin is allowed when it is the web
//! origin of one of the client's redirect URIs or one of its `allowed_origins`. Never `*`
//! and never `Access-Control-Allow-Credentials`: these endpoints take no cookies. A
//! disallowed origin gets no CORS headers at all, so the browser withholds the response.
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, Route, web};

use super::workspace::CurrentWorkspace;
use crate::state::AppState;
use crate::storage::Client;

/// Request headers a browser app may send: a bearer token or client credentials, and the
/// form body's type.
const ALLOWED_HEADERS: &str = "Authorization, Content-Type";
/// Seconds a browser may reuse a preflight answer; a removed origin loses access within it.
const MAX_AGE: &str = "600";

/// Whose origins apply to a response.
pub enum Audience<'a> {
    /// The client is known (authenticated, or named by the access token): its origins only.
    Client(&'a Client),
    /// The client an access token was issued to, looked up (cached) only when a browser
    /// asks, i.e. the request has an `Origin`.
    ClientId(&'a str),
    /// No client is known (a preflight, or failed client authentication): the origins of
    /// every client of the workspace.
    Workspace,
}

fn origin(req: &HttpRequest) -> Option<&str> {
    req.headers().get(header::ORIGIN)?.to_str().ok()
}

async fn allowed(state: &AppState, cw: &CurrentWorkspace, audience: Audience<'_>, origin: &str) -> bool {
    match audience {
        Audience::Client(c) => c.web_origins().any(|o| o == origin),
        Audience::ClientId(id) => match state.clients.get(&cw.issuer.tenant, &cw.issuer.workspace, id).await {
            Ok(c) => c.is_some_and(|c| c.web_origins().any(|o| o == origin)),
            Err(e) => {
                tracing::warn!(error = %e, "CORS origins unavailable; answering without CORS headers");
                false
            }
        },
        // Cached per workspace (storage::cache): an anonymous preflight costs no query.
        Audience::Workspace => match state.clients.workspace_origins(&cw.issuer.tenant, &cw.issuer.workspace).await {
            Ok(origins) => origins.iter().any(|o| o == origin),
            Err(e) => {
                tracing::warn!(error = %e, "CORS origins unavailable; answering without CORS headers");
                false
            }
        },
    }
}

/// Adds the CORS headers to an actual response (errors included, so that a browser app
/// can read `invalid_grant` or `invalid_token`).
pub async fn respond(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, audience: Audience<'_>, mut resp: HttpResponse) -> HttpResponse {
    // The answer depends on Origin: a shared cache must not serve one origin's to another.
    resp.headers_mut().append(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(o) = origin(req)
        && allowed(state, cw, audience, o).await
        && let Ok(v) = HeaderValue::from_str(o)
    {
        resp.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    resp
}

/// The `OPTIONS` route of an endpoint whose methods are `methods` (e.g. `"GET, POST"`).
pub fn preflight(methods: &'static str) -> Route {
    web::method(Method::OPTIONS).to(move |state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest| async move { answer_preflight(&state, &cw, &req, methods).await })
}

/// A preflight carries neither body nor credentials, so no client is known yet.
async fn answer_preflight(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, methods: &'static str) -> HttpResponse {
    let mut resp = HttpResponse::NoContent().insert_header((header::VARY, "Origin")).finish();
    let requested = req.headers().get(header::ACCESS_CONTROL_REQUEST_METHOD).and_then(|v| v.to_str().ok());
    let (Some(o), Some(m)) = (origin(req), requested) else {
        return resp;
    };
    if !methods.split(", ").any(|x| x == m) || !allowed(state, cw, Audience::Workspace, o).await {
        return resp;
    }
    let Ok(o) = HeaderValue::from_str(o) else {
        return resp;
    };
    let h = resp.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(methods));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static(ALLOWED_HEADERS));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static(MAX_AGE));
    resp
}
