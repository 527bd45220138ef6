//! RP-Initiated Logout 1.0: the logout endpoint and its confirmation page.
//!
//! Who may do what: the relying party that proves it acts for this session (an
//! `id_token_hint` whose `sid` is the session's) ends it at once; anyone else only gets
//! the confirmation page, whose one-time CSRF token is bound to this browser (§2: the OP
//! SHOULD ask the user when it cannot be sure the request comes from the RP).
use actix_web::http::StatusCode;
use actix_web::web;

use super::flow;
use super::{OrPage, Page, PageError, PageResult};
use crate::auth::session;
use crate::http::response::{found, see_other};
use crate::http::{SESSION_COOKIE, field, pairs, reencode, removal};
use crate::protocol::authorize::MAX_UI_LOCALES;
use crate::protocol::logout::{self, LogoutParams, LogoutRequest};
use crate::protocol::types::Authentication;
use crate::storage::session::Kind;
use crate::crypto::random_token;
use crate::storage::AuditEvent;
use crate::views::{LoggedOutPage, LogoutPage, NoticePage, PageId};

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

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_logout(page: Page) -> PageResult {
    let raw = page.req.query_string().to_owned();
    end_session(page, raw.as_bytes(), false).await
}

/// RP-Initiated Logout §2: the RP may also POST; our own confirmation form posts here too.
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_logout(page: Page, body: web::Bytes) -> PageResult {
    let answer = field(&body, "confirm");
    let confirmed = answer.as_deref() == Some("yes");
    // A cross-site POST carries no SameSite=Lax cookie: continue as a top-level GET,
    // which does, so the session is found (and confirmation asked for) as usual.
    if !confirmed && page.cookie(SESSION_COOKIE).is_none() {
        return Ok(see_other(&format!("{}?{}", page.path("logout"), reencode(&body))));
    }
    // Cancel on the confirmation page: nothing ends; the page says so and leads back
    // to the application when it is known.
    if answer.as_deref() == Some("no") {
        return still_signed_in(page, &body).await;
    }
    end_session(page, &body, confirmed).await
}

/// The answer to Cancel: still signed in, and back to the application if it is known.
async fn still_signed_in(mut page: Page, raw: &[u8]) -> PageResult {
    let params = logout_params(raw);
    let locales: Vec<String> = params.ui_locales.as_deref().unwrap_or("").split(' ').take(MAX_UI_LOCALES).map(str::to_owned).collect();
    page.speak(&locales);
    if let Some(id) = params.client_id.as_deref().filter(|c| !c.is_empty() && c.len() <= 128)
        && let Some(client) = page.state.clients.get(&page.cw.issuer.tenant, &page.cw.issuer.workspace, id).await.or_page(&page)?
    {
        page.set_app(&client);
    }
    let t = &page.t;
    let link = page.app.as_ref().and_then(|a| a.home.as_ref().map(|h| (h.clone(), t.back_to_app(a.name.as_str()))));
    let view = NoticePage { page: page.ctx(PageId::Notice, &t.still_signed_in_title), heading: t.still_signed_in_title.clone(), text: t.still_signed_in_text.clone(), link };
    Ok(page.render(StatusCode::OK, &view.page.nonce, &view))
}

async fn end_session(mut page: Page, raw: &[u8], confirmed: bool) -> PageResult {
    let params = logout_params(raw);
    let locales: Vec<String> = params.ui_locales.as_deref().unwrap_or("").split(' ').take(MAX_UI_LOCALES).map(str::to_owned).collect();
    page.speak(&locales);
    let state = page.state.clone();
    let request = logout::validate(&state.keys, state.clients.as_ref(), &page.cw.issuer, params).await.map_err(|e| page.invalid_as(e.error.as_str(), e.error_description.as_deref().unwrap_or("")))?;
    let current = flow::authenticator(&state).sso_session(&flow::realm(&page), page.cookie(SESSION_COOKIE).as_deref()).await.or_page(&page)?;
    if let Some(s) = &current {
        let hinted = request.hint_sid.as_deref() == Some(s.sid.as_str());
        let csrf_ok = confirmation_valid(&page, raw, confirmed).await;
        if !hinted && !csrf_ok {
            return confirmation_page(&page, raw, &request).await;
        }
        end_session_of(&page, s, request.client.as_ref().map(|(id, _)| id.as_str()), Ended::Logout).await?;
    }
    let mut resp = match &request.redirect {
        Some(url) => found(url.as_str()),
        None => {
            let view = LoggedOutPage { page: page.ctx(PageId::LoggedOut, &page.t.signed_out) };
            page.render(StatusCode::OK, &view.page.nonce, &view)
        }
    };
    let _ = resp.add_cookie(&removal(SESSION_COOKIE, page.cw.cookie_path(), state.config.secure_cookies()));
    Ok(resp)
}

/// Whether the confirmation form was posted by this browser with its one-time token.
async fn confirmation_valid(page: &Page, raw: &[u8], confirmed: bool) -> bool {
    confirmed
        && match page.state.sessions.consume::<String>(Kind::LogoutCsrf, &field(raw, "csrf").unwrap_or_default()).await {
            Ok(Some(b)) => crate::crypto::ct_eq(b.as_bytes(), page.browser.as_bytes()),
            _ => false,
        }
}

/// §2: without proof that the RP acts for this session, ask the user first. The form
/// echoes the request's parameters.
async fn confirmation_page(page: &Page, raw: &[u8], request: &LogoutRequest) -> PageResult {
    let csrf = random_token(18);
    page.state.sessions.put(Kind::LogoutCsrf, &csrf, &page.browser, page.state.config.ttl.flow).await.or_page(page)?;
    let p = logout_params(raw);
    // The client the request resolved to (by client_id, or by the hint's audience).
    let app = request.client.as_ref().map(|(id, name)| super::recipient_name(name, id, &page.cw, &page.t));
    let view = LogoutPage {
        page: page.ctx(PageId::Logout, &page.t.sign_out_title),
        action: page.path("logout"),
        csrf,
        id_token_hint: p.id_token_hint.unwrap_or_default(),
        post_logout_redirect_uri: p.post_logout_redirect_uri.unwrap_or_default(),
        state: p.state.unwrap_or_default(),
        client_id: p.client_id.unwrap_or_default(),
        app,
    };
    Ok(page.render(StatusCode::OK, &view.page.nonce, &view))
}

/// Why a browser's session ended, as the audit trail records it.
#[derive(Clone, Copy)]
pub enum Ended {
    /// RP-Initiated Logout (or its confirmation page).
    Logout,
    /// "Not you?" on the consent page: the user signs in with another account.
    SwitchAccount,
}

impl Ended {
    fn as_str(self) -> &'static str {
        match self {
            Ended::Logout => "logout",
            Ended::SwitchAccount => "switch_account",
        }
    }
}

/// Ends the browser's session `s` (its cookie's record) and records `session.ended`
/// with the client it was for and why. Every way out of a session goes through here.
pub async fn end_session_of(page: &Page, s: &Authentication, client: Option<&str>, why: Ended) -> Result<(), PageError> {
    if let Some(v) = page.cookie(SESSION_COOKIE) {
        session::remove(&page.state.sessions, &session::key_of(&v)).await.or_page(page)?;
    }
    let event = AuditEvent {
        tenant_id: page.cw.issuer.tenant.clone(),
        actor: s.user_id.clone(),
        action: "session.ended".into(),
        subject: s.sid.clone(),
        detail: serde_json::json!({ "workspace": page.cw.issuer.workspace, "client": client, "reason": why.as_str() }),
    };
    if let Err(e) = page.state.audit.record(event, page.state.now()).await {
        tracing::warn!(error = %e, "audit event not recorded");
    }
    Ok(())
}
