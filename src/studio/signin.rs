//! Signing in to the studio through Portcullis itself (see the module above): the studio
//! page or the redirect to sign in, the callback that exchanges the code, and sign-out.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use serde::Deserialize;

use super::client::{is_studio_client, redirect_uri, studio_client};
use super::page::{self, Message};
use super::session::{self, LOGIN_COOKIE, Login, Record};
use crate::error::AppError;
use crate::model::TenantId;
use crate::protocol::token::{Issuer, TokenParams};
use crate::state::AppState;
use crate::storage::session::Kind;

/// `GET /{tenant}/studio`: the studio for a signed-in administrator of the tenant; the
/// sign-in for anyone without a studio session; a refusal for a signed-in user who may not.
pub async fn get_studio(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let t = page::texts(&req, None);
    match studio(&state, &req).await {
        Ok(resp) => resp,
        Err(e) => page::failure(&e, &t),
    }
}

async fn studio(state: &AppState, req: &HttpRequest) -> Result<HttpResponse, AppError> {
    let t = page::texts(req, None);
    let Some(tenant) = session::known_tenant(state, req).await? else { return Ok(not_found(&t)) };
    if let Some((key, record)) = session::find(state, req).await? {
        match crate::admin::user_caller(state, &tenant, &record.user_id).await? {
            Some(caller) if session::may_use(&caller, &tenant) => return page::studio(state, req, &tenant, &record).await,
            Some(caller) => {
                // The privilege is gone: so is the session (given back, it does not revive).
                session::end(state, &key, &record).await?;
                session::refused(state, &tenant, &caller.actor(), "refused", req.path()).await;
                let mut resp = Message::new(&t.studio_refused_title, &t.studio_refused_text).link(&format!("/{tenant}/studio"), &t.studio_sign_in_again).render(StatusCode::FORBIDDEN, &t);
                let _ = resp.add_cookie(&session::removal(session::COOKIE, tenant.as_str(), state.config.secure_cookies()));
                return Ok(resp);
            }
            // The user is gone or no longer active: the session is over.
            None => session::end(state, &key, &record).await?,
        }
    }
    start_sign_in(state, req, &tenant).await
}

/// What a path of no (well-formed, existing) tenant shows: no link, no cookie.
fn not_found(t: &crate::views::Texts) -> HttpResponse {
    Message::new(&t.error_title, &t.not_found).render(StatusCode::NOT_FOUND, t)
}

/// Sign-ins a client IP may start within [`session::LOGIN_TTL`]: each one keeps a record
/// in the session store for that long.
pub const MAX_SIGN_INS_PER_IP: u64 = 20;

/// How old the authentication behind a studio sign-in may be (`max_age` of its request,
/// checked again against the ID token's `auth_time`): a single sign-on session of the
/// morning does not silently become a studio session of the afternoon.
pub const MAX_AUTH_AGE: i64 = 3600;

/// Sends the browser to sign in through the studio's client (code flow with PKCE S256,
/// `state` bound to this browser by the login cookie, a `nonce`, and `max_age`), within
/// [`MAX_SIGN_INS_PER_IP`] per client IP (429).
async fn start_sign_in(state: &AppState, req: &HttpRequest, tenant: &TenantId) -> Result<HttpResponse, AppError> {
    let t = page::texts(req, None);
    let Some(client) = studio_client(state, tenant).await? else {
        return Ok(Message::new(&t.studio_not_set_up_title, &t.studio_not_set_up_text).code(&redirect_uri(state, tenant)).render(StatusCode::NOT_FOUND, &t));
    };
    let ip = crate::http::client_ip::client_ip(req, &state.config.trusted_proxies);
    if state.sessions.incr(Kind::Counter, &format!("studio-login-ip:{}", session::digest(&ip)), session::LOGIN_TTL).await? > MAX_SIGN_INS_PER_IP {
        let mut resp = Message::new(&t.studio_busy_title, &t.studio_busy_text).render(StatusCode::TOO_MANY_REQUESTS, &t);
        resp.headers_mut().insert(actix_web::http::header::RETRY_AFTER, actix_web::http::header::HeaderValue::from(session::LOGIN_TTL));
        return Ok(resp);
    }
    let (state_value, verifier, nonce, binding) = (crate::crypto::random_token(24), crate::crypto::random_token(48), crate::crypto::random_token(24), crate::crypto::random_token(24));
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(crate::crypto::digest(&verifier));
    let login = Login { tenant: tenant.to_string(), workspace: client.workspace_id.clone(), client_id: client.client_id.clone(), verifier, nonce: nonce.clone(), binding: session::digest(&binding) };
    state.sessions.put(Kind::Studio, &session::login_key(&state_value), &login, session::LOGIN_TTL).await?;
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", &client.client_id)
        .append_pair("redirect_uri", &redirect_uri(state, tenant))
        .append_pair("scope", "openid")
        .append_pair("state", &state_value)
        .append_pair("nonce", &nonce)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("max_age", &MAX_AUTH_AGE.to_string())
        .append_pair("ui_locales", t.lang)
        .finish();
    let mut resp = crate::http::response::see_other(&format!("/{tenant}/{}/authorize?{query}", client.workspace_id));
    let _ = resp.add_cookie(&session::cookie(LOGIN_COOKIE, binding, tenant.as_str(), state.config.secure_cookies(), session::LOGIN_TTL, false));
    Ok(resp)
}

/// The authorization response (RFC 6749 §4.1.2); other parameters (`iss`,
/// `error_description`) are ignored.
#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /{tenant}/studio/callback`: takes the sign-in this browser started (once), exchanges
/// the code in-process, and starts a studio session for an administrator of the tenant.
pub async fn get_callback(state: web::Data<AppState>, req: HttpRequest, q: web::Query<Callback>) -> HttpResponse {
    let t = page::texts(&req, None);
    match callback(&state, &req, q.into_inner()).await {
        Ok(resp) => resp,
        Err(e) => page::failure(&e, &t),
    }
}

async fn callback(state: &AppState, req: &HttpRequest, q: Callback) -> Result<HttpResponse, AppError> {
    let t = page::texts(req, None);
    let Some(tenant) = session::known_tenant(state, req).await? else { return Ok(not_found(&t)) };
    let start_again = format!("/{tenant}/studio");
    let expired = || Message::new(&t.studio_expired_title, &t.studio_expired_text).link(&start_again, &t.studio_sign_in_again).render(StatusCode::BAD_REQUEST, &t);
    let login = match q.state.as_deref().filter(|s| !s.is_empty() && s.len() <= 128) {
        Some(s) => state.sessions.consume::<Login>(Kind::Studio, &session::login_key(s)).await?,
        None => None,
    };
    let binding = crate::http::cookie_value(req, LOGIN_COOKIE).map(|v| session::digest(&v)).unwrap_or_default();
    let Some(login) = login.filter(|l| crate::crypto::ct_eq(l.binding.as_bytes(), binding.as_bytes()) && l.tenant == tenant.as_str()) else {
        return Ok(expired());
    };
    let (Some(code), None) = (q.code, q.error) else { return Ok(expired()) };
    let Some(client) = state.clients.get(&tenant, &login.workspace, &login.client_id).await?.filter(|c| is_studio_client(c, &redirect_uri(state, &tenant))) else {
        return Ok(expired());
    };
    let issuer = Issuer { tenant: tenant.clone(), workspace: login.workspace.clone(), url: state.config.issuer(tenant.as_str(), &login.workspace) };
    let params = TokenParams {
        grant_type: Some("authorization_code".into()),
        code: Some(code),
        redirect_uri: Some(redirect_uri(state, &tenant)),
        code_verifier: Some(login.verifier.clone()),
        ..Default::default()
    };
    let tokens = match crate::http::services::tokens(state).post_token(&issuer, &client, params).await {
        Ok(tokens) => tokens,
        Err(e) => {
            tracing::info!(error = e.error.as_str(), "studio sign-in: code exchange refused");
            return Ok(expired());
        }
    };
    let Ok(at) = crate::protocol::tokens::verify_access_token(&state.keys, state.grants.as_ref(), &issuer.url, &tokens.access_token, state.now()).await else { return Ok(expired()) };
    let Some(grant_id) = at.grant_id.clone() else { return Ok(expired()) };
    // The ID token is ours and fresh from the exchange; its nonce ties it to this sign-in.
    // Its `auth_time` says the user authenticated within `max_age` (the authorization
    // endpoint enforces it; checked again here, with a minute of leeway).
    let now = state.now();
    let nonce_ok = tokens.id_token.as_deref().and_then(|id| state.keys.verify(id)).is_some_and(|(_, c)| {
        c.get("nonce").and_then(|n| n.as_str()) == Some(login.nonce.as_str())
            && c.get("sub").and_then(|s| s.as_str()) == Some(at.sub.as_str())
            && c.get("auth_time").and_then(|a| a.as_i64()).is_some_and(|a| now - a <= MAX_AUTH_AGE + 60)
    });
    let caller = crate::admin::user_caller(state, &tenant, &at.sub).await?;
    let allowed = caller.as_ref().is_some_and(|c| session::may_use(c, &tenant));
    if !nonce_ok || !allowed {
        // Nothing of this sign-in stays usable.
        state.grants.revoke_family(&grant_id, state.now()).await?;
        if !nonce_ok {
            return Ok(expired());
        }
        session::refused(state, &tenant, &format!("user:{}", at.sub), "sign_in_refused", req.path()).await;
        return Ok(Message::new(&t.studio_refused_title, &t.studio_refused_text).link(&start_again, &t.studio_sign_in_again).render(StatusCode::FORBIDDEN, &t));
    }
    let record = Record {
        tenant: tenant.to_string(),
        workspace: login.workspace,
        client_id: login.client_id,
        user_id: at.sub.clone(),
        grant_id,
        csrf: crate::crypto::random_token(32),
        started_at: state.now(),
    };
    let value = session::start(state, &record).await?;
    session::audit(state, &tenant, &format!("user:{}", at.sub), "sign_in", req.path(), serde_json::json!({ "workspace": record.workspace, "client_id": record.client_id })).await;
    // A page that moves on by itself rather than a redirect: when the sign-in started on
    // another site (a link in a mail), the browser would not send the SameSite=Strict
    // session cookie on a redirect of that navigation, but does on this page's refresh.
    let mut resp = Message::new(&t.studio_signed_in_title, "").link(&start_again, &t.studio_continue).refresh(&start_again).render(StatusCode::OK, &t);
    let secure = state.config.secure_cookies();
    let _ = resp.add_cookie(&session::cookie(session::COOKIE, value, tenant.as_str(), secure, session::TTL, true));
    let _ = resp.add_cookie(&session::removal(LOGIN_COOKIE, tenant.as_str(), secure));
    Ok(resp)
}

/// `POST /{tenant}/studio/logout` (form field `csrf`): ends the studio session and revokes
/// its grant. The single sign-on session of the workspace stays. Only the session's own
/// form signs out (its CSRF token, 403 otherwise); without a session, only a request from
/// our own origin (`Sec-Fetch-Site: same-origin`, or else `Origin`) clears the cookie (one
/// whose session ended already), so that another site cannot sign an administrator out.
pub async fn post_logout(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let t = page::texts(&req, None);
    let result: Result<HttpResponse, AppError> = async {
        let Some(tenant) = session::known_tenant(&state, &req).await? else { return Ok(not_found(&t)) };
        let refused = || Message::new(&t.studio_expired_title, &t.studio_failed).link(&format!("/{tenant}/studio"), &t.studio_continue).render(StatusCode::FORBIDDEN, &t);
        match session::find(&state, &req).await? {
            Some((key, record)) => {
                let sent = crate::http::field(&body, "csrf").unwrap_or_default();
                if !crate::crypto::ct_eq(sent.as_bytes(), record.csrf.as_bytes()) {
                    return Ok(refused());
                }
                session::end(&state, &key, &record).await?;
                session::audit(&state, &tenant, &format!("user:{}", record.user_id), "sign_out", req.path(), serde_json::json!({})).await;
            }
            None if same_origin(&state, &req) => {}
            None => return Ok(refused()),
        }
        let mut resp = Message::new(&t.studio_signed_out_title, &t.studio_signed_out_text).link(&format!("/{tenant}/studio"), &t.studio_sign_in_again).render(StatusCode::OK, &t);
        let _ = resp.add_cookie(&session::removal(session::COOKIE, tenant.as_str(), state.config.secure_cookies()));
        Ok(resp)
    }
    .await;
    result.unwrap_or_else(|e| page::failure(&e, &t))
}

/// Whether the browser says the request comes from a page of our own origin: its
/// `Sec-Fetch-Site` when it sends one, else its `Origin` (the public URL's).
fn same_origin(state: &AppState, req: &HttpRequest) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    match header("sec-fetch-site") {
        Some(site) => site == "same-origin",
        None => header("origin").is_some_and(|o| o == state.config.public_url.origin().ascii_serialization()),
    }
}
