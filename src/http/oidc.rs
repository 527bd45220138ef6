//! OpenID Connect endpoints: discovery, JWKS, userinfo (OIDC Core §5.3) and
//! RP-Initiated Logout.
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use super::oauth2::found;
use super::response::{app_error_page, bearer_error, error_page, json_ok, page_ctx, render};
use super::workspace::{CurrentWorkspace, strings};
use super::cors::{self, Audience};
use super::{SESSION_COOKIE, cookie_value, field, pairs, removal};
use crate::protocol::logout::{self, LogoutParams};
use crate::protocol::{ErrorCode, OAuthError, claims, discovery, tokens};
use crate::state::AppState;
use crate::storage::session::Kind;
use crate::crypto::hex;
use crate::storage::{AuditEvent, UserStatus};
use crate::crypto::{digest, random_token};
use crate::views::{LoggedOutPage, LogoutPage};

pub async fn get_discovery(cw: CurrentWorkspace) -> HttpResponse {
    metadata(&cw)
}

/// RFC 8414 authorization server metadata at
/// `/.well-known/oauth-authorization-server/{tenant}/{workspace}`, for OAuth-only clients:
/// the same document, whose `issuer` is the one it was retrieved for (§3.3).
pub async fn get_authorization_server_metadata(cw: CurrentWorkspace) -> HttpResponse {
    metadata(&cw)
}

fn metadata(cw: &CurrentWorkspace) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(discovery::metadata(&cw.issuer.url))
}

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

pub async fn get_userinfo(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest) -> HttpResponse {
    let token = bearer(&req);
    userinfo(&state, &cw, &req, token).await
}

/// RFC 6750 §2.2: the token may come in a form body instead of the header, not both.
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

fn logout_params(raw: &[u8]) -> LogoutParams {
    let mut p = LogoutParams::default();
    for (k, v) in pairs(raw) {
        let v = Some(v.into_owned()).filter(|v| !v.is_empty());
        match k.as_ref() {
            "id_token_hint" => p.id_token_hint = v,
            "post_logout_redirect_uri" => p.post_logout_redirect_uri = v,
            "state" => p.state = v,
            "client_id" => p.client_id = v,
            "ui_locales" => p.ui_locales = v,
            _ => {}
        }
    }
    p
}

pub async fn get_logout(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest) -> HttpResponse {
    end_session(&state, &cw, &req, req.query_string().as_bytes(), false).await
}

/// RP-Initiated Logout §2: the RP may also POST; our own confirmation form posts here too.
pub async fn post_logout(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let confirmed = field(&body, "confirm").as_deref() == Some("yes");
    // A cross-site POST carries no SameSite=Lax cookie: continue as a top-level GET,
    // which does, so the session is found (and confirmation asked for) as usual.
    if !confirmed && cookie_value(&req, SESSION_COOKIE).is_none() {
        return super::response::see_other(&format!("{}?{}", cw.path("logout"), super::reencode(&body)));
    }
    end_session(&state, &cw, &req, &body, confirmed).await
}

async fn end_session(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, raw: &[u8], confirmed: bool) -> HttpResponse {
    let params = logout_params(raw);
    let locales: Vec<String> = params.ui_locales.as_deref().unwrap_or("").split(' ').take(crate::protocol::authorize::MAX_UI_LOCALES).map(str::to_owned).collect();
    let t = strings(req, &locales);
    let echo = (params.id_token_hint.clone(), params.post_logout_redirect_uri.clone(), params.state.clone(), params.client_id.clone());
    let request = match logout::validate(&state.keys, state.clients.as_ref(), &cw.issuer, params).await {
        Ok(r) => r,
        Err(e) => return error_page(StatusCode::BAD_REQUEST, cw.theme(), t, e.error.as_str(), e.error_description.as_deref().unwrap_or("")),
    };
    let session = match super::login::sso_session(state, cw, req).await {
        Ok(s) => s,
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    let browser = super::browser_digest(req);
    if let Some(s) = &session {
        let hinted = request.hint_sid.as_deref() == Some(s.sid.as_str());
        let csrf_ok = confirmed && match state.sessions.consume::<String>(Kind::LogoutCsrf, &field(raw, "csrf").unwrap_or_default()).await {
            Ok(Some(b)) => crate::crypto::ct_eq(b.as_bytes(), browser.as_bytes()),
            _ => false,
        };
        // §2: without proof that the RP acts for this session, ask the user first.
        if !hinted && !csrf_ok {
            let csrf = random_token(18);
            if let Err(e) = state.sessions.put(Kind::LogoutCsrf, &csrf, &browser, state.config.ttl.flow).await {
                return app_error_page(&e, cw.theme(), t);
            }
            let (hint, uri, st, cid) = echo;
            let page = LogoutPage {
                page: page_ctx(t.sign_out_title, cw.theme(), t),
                action: cw.path("logout"),
                csrf,
                id_token_hint: hint.unwrap_or_default(),
                post_logout_redirect_uri: uri.unwrap_or_default(),
                state: st.unwrap_or_default(),
                client_id: cid.unwrap_or_default(),
            };
            return render(StatusCode::OK, &page.page.nonce, &page);
        }
        if let Some(v) = cookie_value(req, SESSION_COOKIE)
            && let Err(e) = state.sessions.delete(Kind::Session, &hex(&digest(&v))).await
        {
            return app_error_page(&e, cw.theme(), t);
        }
        let event = AuditEvent {
            tenant_id: cw.issuer.tenant.clone(),
            actor: s.user_id.clone(),
            action: "session.ended".into(),
            subject: s.sid.clone(),
            detail: serde_json::json!({ "workspace": cw.issuer.workspace, "client": request.client_name }),
        };
        if let Err(e) = state.audit.record(event, state.now()).await {
            tracing::warn!(error = %e, "audit event not recorded");
        }
    }
    let mut resp = match &request.redirect {
        Some(url) => found(url.as_str()),
        None => {
            let page = LoggedOutPage { page: page_ctx(t.signed_out, cw.theme(), t) };
            render(StatusCode::OK, &page.page.nonce, &page)
        }
    };
    let _ = resp.add_cookie(&removal(SESSION_COOKIE, cw.cookie_path(), state.config.secure_cookies()));
    resp
}
