//! The authorization endpoint (RFC 6749 §4.1.1, OIDC Core §3.1.2.1): validates the
//! request, binds a new flow to this browser and lets the engine decide what follows.
use actix_web::{HttpResponse, web};

use super::flow;
use super::{OrPage, Page, PageResult};
use crate::auth::{Event, Flow};
use crate::error::AppError;
use crate::http::response::{found, see_other};
use crate::http::workspace::CurrentWorkspace;
use crate::http::{BROWSER_COOKIE, SESSION_COOKIE, cookie, pairs, reencode};
use crate::protocol::authorize::{self, AuthorizeError, AuthorizeParams};
use crate::protocol::types::AuthorizationRequest;
use crate::crypto::hex;
use crate::crypto::{digest, random_token};
use crate::storage::Client;

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_authorize(page: Page) -> PageResult {
    let raw = page.req.query_string().to_owned();
    authorize(page, raw.as_bytes()).await
}

/// OIDC Core §3.1.2.1: the authorization endpoint MUST support POST as well.
/// A cross-site POST carries no SameSite=Lax cookie, so it continues as a top-level GET
/// with the same parameters, which sees the browser's session like any other request.
pub async fn post_authorize(cw: CurrentWorkspace, body: web::Bytes) -> HttpResponse {
    see_other(&format!("{}?{}", cw.path("authorize"), reencode(&body)))
}

async fn authorize(mut page: Page, raw: &[u8]) -> PageResult {
    let params = AuthorizeParams::from_pairs(pairs(raw));
    // The page language, before validation: only as many tags as a valid request has.
    let locales: Vec<String> = params.ui_locales.as_deref().unwrap_or("").split(' ').take(authorize::MAX_UI_LOCALES).map(str::to_owned).collect();
    page.speak(&locales);
    let (request, client) = match validated(&page, params).await? {
        Ok(v) => v,
        Err(resp) => return Ok(resp),
    };
    // Bind the flow to this browser: its forms are only accepted with this cookie.
    let (bid, new_bid) = match page.cookie(BROWSER_COOKIE) {
        Some(b) => (b, false),
        None => (random_token(24), true),
    };
    let sso = flow::authenticator(&page.state).sso_session(&flow::realm(&page), page.cookie(SESSION_COOKIE).as_deref()).await.or_page(&page)?;
    let flow = Flow::start(&page.cw.issuer.tenant, &page.cw.issuer.workspace, hex(&digest(&bid)), request);
    let mut resp = flow::advance(&page, flow, &client, Event::Authorize { sso }).await?;
    if new_bid {
        let _ = resp.add_cookie(&cookie(BROWSER_COOKIE, bid, "/".into(), page.state.config.secure_cookies(), None));
    }
    Ok(resp)
}

/// The validated request and its client, or the error redirect to the client
/// (RFC 6749 §4.1.2.1); an error that cannot be redirected is shown.
async fn validated(page: &Page, params: AuthorizeParams) -> Result<Result<(AuthorizationRequest, Client), HttpResponse>, super::PageError> {
    let client = match params.lookup_client_id() {
        Some(id) => page.state.clients.get(&page.cw.issuer.tenant, &page.cw.issuer.workspace, id).await.or_page(page)?,
        None => None,
    };
    match authorize::validate(params, client.as_ref()) {
        Ok(r) => {
            let client = client.ok_or_else(|| page.fail(AppError::internal("validated request without client")))?;
            tracing::Span::current().record("client_id", client.client_id.as_str());
            Ok(Ok((r, client)))
        }
        Err(AuthorizeError::Show(e)) => Err(page.invalid_as(e.error.as_str(), e.error_description.as_deref().unwrap_or(""))),
        Err(AuthorizeError::Redirect { redirect_uri, state, error }) => {
            let url = authorize::error_redirect(&redirect_uri, &error, state.as_deref(), &page.cw.issuer.url).or_page(page)?;
            Ok(Err(found(url.as_str())))
        }
    }
}
