//! The hosted sign-in and consent pages, and the step that moves a flow on.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::oauth2::found;
use super::response::{app_error_page, error_page, page_ctx, render, see_other};
use super::workspace::{CurrentWorkspace, strings};
use super::{SESSION_COOKIE, cookie, cookie_value, field};
use crate::auth::{self, Flow, PasswordCheck};
use crate::error::AppError;
use crate::protocol::authorize::{self, AuthorizeOutcome, FlowPosition};
use crate::protocol::types::Authentication;
use crate::state::AppState;
use crate::storage::session::Kind;
use crate::crypto::hex;
use crate::storage::{Client, ConsentMode};
use crate::crypto::{digest, random_token};
use crate::views::{ConsentPage, LoginPage, Strings};


/// The single sign-on session of this browser in this workspace, if any.
pub async fn sso_session(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest) -> Result<Option<Authentication>, AppError> {
    let Some(v) = cookie_value(req, SESSION_COOKIE) else {
        return Ok(None);
    };
    let auth: Option<Authentication> = state.sessions.get(Kind::Session, &hex(&digest(&v))).await?;
    let Some(auth) = auth.filter(|a| a.tenant_id == cw.issuer.tenant && a.workspace_id == cw.issuer.workspace) else {
        return Ok(None);
    };
    // A password reset or a status change since this sign-in ends the session.
    Ok(crate::identity::lifecycle::session_valid(&state.lifecycle(), &auth).await?.then_some(auth))
}

/// Moves a flow on after /authorize, sign-in or consent (see `auth` for the diagram).
pub async fn advance(state: &AppState, cw: &CurrentWorkspace, t: &'static Strings, flow: Flow, client: &Client, sso: Option<&Authentication>, consented: bool) -> HttpResponse {
    match try_advance(state, cw, flow, client, sso, consented).await {
        Ok(resp) => resp,
        Err(e) => app_error_page(&e, cw.theme(), t),
    }
}

async fn try_advance(state: &AppState, cw: &CurrentWorkspace, flow: Flow, client: &Client, sso: Option<&Authentication>, consented: bool) -> Result<HttpResponse, AppError> {
    let now = state.now();
    // Authentication made in this flow counts as fresh (it satisfies prompt=login).
    let fresh = flow.auth().is_some();
    let auth = flow.auth().or(sso).cloned();
    let granted = match (&auth, client.consent) {
        (Some(a), ConsentMode::Required) => state.consents.granted(&cw.issuer.tenant, &cw.issuer.workspace, &a.user_id, &client.client_id).await?,
        _ => vec![],
    };
    let outcome = authorize::decide(&flow.request, client, FlowPosition { auth: auth.as_ref(), fresh, consented, granted: &granted }, now);
    match outcome {
        AuthorizeOutcome::NeedsLogin => {
            flow.save(state).await?;
            Ok(see_other(&format!("{}?flow={}", cw.path("login"), flow.id)))
        }
        AuthorizeOutcome::NeedsConsent => {
            let flow = match (flow.auth().is_some(), auth) {
                (false, Some(a)) => flow.authenticated(a),
                _ => flow,
            };
            flow.save(state).await?;
            Ok(see_other(&format!("{}?flow={}", cw.path("consent"), flow.id)))
        }
        AuthorizeOutcome::Issue(auth) => {
            let req = flow.request.clone();
            finish(state, flow).await?;
            let code = authorize::issue_code(&state.sessions, &req, auth, state.config.ttl.code, now).await?;
            Ok(found(authorize::success_redirect(&req.redirect_uri, &code, req.state.as_deref(), &cw.issuer.url)?.as_str()))
        }
        AuthorizeOutcome::RedirectError(e) => {
            let req = flow.request.clone();
            finish(state, flow).await?;
            Ok(found(authorize::error_redirect(&req.redirect_uri, &e, req.state.as_deref(), &cw.issuer.url)?.as_str()))
        }
    }
}

/// Deletes a finished flow. A flow still `Started` came straight from /authorize and was
/// never stored, so silent SSO costs no session-store round trip here.
async fn finish(state: &AppState, flow: Flow) -> Result<(), AppError> {
    if flow.auth().is_some() { flow.finish(state).await } else { Ok(()) }
}

/// A flow addressed by a page request: it must exist, belong to this workspace and to
/// this browser.
pub(super) async fn load_flow(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, id: Option<String>) -> Result<Flow, HttpResponse> {
    let t = strings(req, &[]);
    let expired = || error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "This sign-in has expired or is not valid. Please return to the application and try again.");
    let Some(id) = id.filter(|i| !i.is_empty() && i.len() <= 64) else {
        return Err(expired());
    };
    let flow = match Flow::load(state, &id).await {
        Ok(Some(f)) if f.tenant_id == cw.issuer.tenant && f.workspace_id == cw.issuer.workspace => f,
        Ok(_) => return Err(expired()),
        Err(e) => return Err(app_error_page(&e, cw.theme(), t)),
    };
    let browser = super::browser_digest(req);
    if !crate::crypto::ct_eq(browser.as_bytes(), flow.browser.as_bytes()) {
        return Err(expired());
    }
    Ok(flow)
}

/// Checks the CSRF token of a posted form against its flow.
pub(super) async fn posted_flow(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, body: &[u8]) -> Result<Flow, HttpResponse> {
    let flow = load_flow(state, cw, req, field(body, "flow")).await?;
    let browser = super::browser_digest(req);
    if !flow.accepts(&browser, &field(body, "csrf").unwrap_or_default()) {
        let t = strings(req, &flow.request.ui_locales);
        return Err(error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "The form could not be verified. Please return to the application and try again."));
    }
    Ok(flow)
}

/// A flow with the language of its pages and its client.
pub(super) struct FlowCtx {
    pub flow: Flow,
    pub t: &'static Strings,
    pub client: Client,
}

pub(super) async fn with_client(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, flow: Result<Flow, HttpResponse>) -> Result<FlowCtx, HttpResponse> {
    let flow = flow?;
    let t = strings(req, &flow.request.ui_locales);
    match state.clients.get(&cw.issuer.tenant, &cw.issuer.workspace, &flow.request.client_id).await {
        Ok(Some(client)) => Ok(FlowCtx { flow, t, client }),
        Ok(None) => Err(error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_client", "The application is no longer registered.")),
        Err(e) => Err(app_error_page(&e, cw.theme(), t)),
    }
}

async fn login_page(state: &AppState, cw: &CurrentWorkspace, t: &'static Strings, flow: &Flow, client: &Client, username: String, error: Option<String>) -> HttpResponse {
    let register = match super::register::registration_pool(state, cw).await {
        Ok(p) => p.is_some(),
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    let page = LoginPage {
        register_url: register.then(|| format!("{}?flow={}", cw.path("register"), flow.id)),
        reset_url: format!("{}?flow={}", cw.path("reset"), flow.id),
        page: page_ctx(t.sign_in, cw.theme(), t),
        action: cw.path("login"),
        flow: flow.id.clone(),
        csrf: flow.csrf.clone(),
        client_name: client.name.clone(),
        username,
        error,
    };
    render(StatusCode::OK, &page.page.nonce, &page)
}

#[derive(serde::Deserialize)]
pub struct FlowQuery {
    flow: Option<String>,
}

pub async fn get_login(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, q: web::Query<FlowQuery>) -> HttpResponse {
    let FlowCtx { flow, t, client } = match with_client(&state, &cw, &req, load_flow(&state, &cw, &req, q.into_inner().flow).await).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let hint = flow.request.login_hint.clone().unwrap_or_default();
    login_page(&state, &cw, t, &flow, &client, hint, None).await
}

pub async fn post_login(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let FlowCtx { flow, t, client } = match with_client(&state, &cw, &req, posted_flow(&state, &cw, &req, &body).await).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let username = field(&body, "username").unwrap_or_default();
    let password = field(&body, "password").unwrap_or_default();
    let browser = super::browser_digest(&req);
    let ip = super::client_ip::client_ip(&req, &state.config.trusted_proxies);
    let from = auth::Origin { browser: &browser, ip: &ip };
    let (error, status, retry) = match auth::check_password(&state, &cw.issuer.tenant, &cw.workspace.pools, username.trim(), &password, from).await {
        Ok(PasswordCheck::Ok(u)) => return sign_in(&state, &cw, &req, t, flow, &client, &u).await,
        Ok(PasswordCheck::Rejected) => (t.bad_credentials.to_owned(), StatusCode::OK, None),
        Ok(PasswordCheck::Wait(s)) => (t.wait_seconds.replace("{n}", &s.to_string()), StatusCode::TOO_MANY_REQUESTS, Some(s)),
        Ok(PasswordCheck::Locked) => (t.too_many_attempts.to_owned(), StatusCode::TOO_MANY_REQUESTS, None),
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    let mut resp = login_page(&state, &cw, t, &flow, &client, username, Some(error)).await;
    *resp.status_mut() = status;
    if let Some(v) = retry.and_then(|s| actix_web::http::header::HeaderValue::from_str(&s.to_string()).ok()) {
        resp.headers_mut().insert(actix_web::http::header::RETRY_AFTER, v);
    }
    resp
}

/// Starts a new single sign-on session for `user` and moves the flow on.
pub(super) async fn sign_in(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, t: &'static Strings, flow: Flow, client: &Client, user: &crate::storage::User) -> HttpResponse {
    let now = state.now();
    let authn = auth::password_authentication(&cw.issuer.tenant, &cw.issuer.workspace, user, now, state.now_ms());
    // A new session id on every sign-in: a session cookie planted before cannot be
    // promoted to a signed-in one (session fixation).
    let session_value = random_token(32);
    if let Err(e) = state.sessions.put(Kind::Session, &hex(&digest(&session_value)), &authn, state.config.ttl.session).await {
        return app_error_page(&e, cw.theme(), t);
    }
    if let Some(old) = cookie_value(req, super::SESSION_COOKIE) {
        let _ = state.sessions.delete(Kind::Session, &hex(&digest(&old))).await;
    }
    let flow = flow.authenticated(authn);
    let mut resp = advance(state, cw, t, flow, client, None, false).await;
    let c = cookie(SESSION_COOKIE, session_value, cw.cookie_path(), state.config.secure_cookies(), Some(state.config.ttl.session));
    let _ = resp.add_cookie(&c);
    resp
}

pub async fn get_consent(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, q: web::Query<FlowQuery>) -> HttpResponse {
    let FlowCtx { flow, t, client } = match with_client(&state, &cw, &req, load_flow(&state, &cw, &req, q.into_inner().flow).await).await {
        Ok(c) if c.flow.auth().is_some() => c,
        Ok(c) => return see_other(&format!("{}?flow={}", cw.path("login"), c.flow.id)),
        Err(resp) => return resp,
    };
    let page = ConsentPage {
        page: page_ctx(t.consent_title, cw.theme(), t),
        action: cw.path("consent"),
        flow: flow.id.clone(),
        csrf: flow.csrf.clone(),
        client_name: client.name.clone(),
        scopes: t.scope_lines(&flow.request.scope.0),
    };
    render(StatusCode::OK, &page.page.nonce, &page)
}

pub async fn post_consent(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let FlowCtx { flow, t, client } = match with_client(&state, &cw, &req, posted_flow(&state, &cw, &req, &body).await).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let Some(user_id) = flow.auth().map(|a| a.user_id.clone()) else {
        return see_other(&format!("{}?flow={}", cw.path("login"), flow.id));
    };
    match field(&body, "decision").as_deref() {
        Some("allow") => {}
        Some("deny") => {
            let req = flow.request.clone();
            let _ = flow.finish(&state).await;
            let e = crate::protocol::OAuthError::access_denied("the user denied the request");
            return match authorize::error_redirect(&req.redirect_uri, &e, req.state.as_deref(), &cw.issuer.url) {
                Ok(url) => found(url.as_str()),
                Err(e) => app_error_page(&e, cw.theme(), t),
            };
        }
        _ => return error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "Please choose Allow or Deny."),
    }
    let now = state.now();
    let mut scopes = match state.consents.granted(&cw.issuer.tenant, &cw.issuer.workspace, &user_id, &client.client_id).await {
        Ok(s) => s,
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    for s in &flow.request.scope.0 {
        if !scopes.contains(s) {
            scopes.push(s.clone());
        }
    }
    if let Err(e) = state.consents.remember(&cw.issuer.tenant, &cw.issuer.workspace, &user_id, &client.client_id, &scopes, now).await {
        return app_error_page(&e, cw.theme(), t);
    }
    let Some(flow) = flow.consented() else {
        return error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "Please sign in first.");
    };
    advance(&state, &cw, t, flow, &client, None, true).await
}
