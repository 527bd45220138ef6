//! Flow plumbing shared by the pages: finding the flow a request addresses (it must exist,
//! belong to this workspace and to this browser), checking a posted form's CSRF token,
//! looking up the flow's client, and running the sign-in engine.
//!
//! Who may do what: only the browser that started a flow (its browser-id cookie, bound
//! at /authorize) may see or advance it, and a post only with the flow's CSRF token.
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use super::{OrPage, Page, PageError};
use crate::auth::adaptive::{Adaptive, DEVICE_COOKIE, DEVICE_TTL};
use crate::auth::{Advanced, Authenticator, Context, Destination, Engine, Event, Flow, Realm, Signals};
use crate::http::{SESSION_COOKIE, cookie, field};
use crate::state::AppState;
use crate::storage::Client;
use crate::storage::session::Sessions;

/// Tests and tools reach a stored flow with `Flow::load(&state, id)`.
impl AsRef<Sessions> for AppState {
    fn as_ref(&self) -> &Sessions {
        &self.sessions
    }
}

impl AsRef<Sessions> for actix_web::web::Data<AppState> {
    fn as_ref(&self) -> &Sessions {
        &self.sessions
    }
}

/// The authenticator over the app's stores.
pub fn authenticator(state: &AppState) -> Authenticator<'_> {
    Authenticator {
        users: state.users.as_ref(),
        credentials: state.credentials.as_ref(),
        counters: state.counters.as_ref(),
        sessions: &state.sessions,
        clock: state.clock.as_ref(),
        hasher: &state.hasher,
        session_ttl: state.config.ttl.session,
    }
}

/// The engine over the app's stores, with the adaptive MFA policy's risk view.
pub fn engine<'a>(state: &'a AppState, risk: &'a Adaptive<'a>) -> Engine<'a> {
    Engine { authenticator: authenticator(state), consents: state.consents.as_ref(), pools: state.pools.as_ref(), risk: Some(risk), flow_ttl: state.config.ttl.flow, code_ttl: state.config.ttl.code }
}

/// The adaptive MFA policy over the app's stores (`auth::adaptive`).
pub fn adaptive(state: &AppState) -> Adaptive<'_> {
    Adaptive { sessions: &state.sessions, counters: state.counters.as_ref(), audit: state.audit.as_ref(), clock: state.clock.as_ref() }
}

pub fn realm(page: &Page) -> Realm<'_> {
    Realm { tenant: &page.cw.issuer.tenant, workspace: &page.cw.issuer.workspace, pools: &page.cw.workspace.pools }
}

/// A flow and its client.
pub struct FlowCtx {
    pub flow: Flow,
    pub client: Client,
}

/// The flow `id` of a page request, with its client; the page speaks the flow's language
/// from here on.
pub async fn load(page: &mut Page, id: Option<String>) -> Result<FlowCtx, PageError> {
    let flow = find(page, id).await?;
    with_client(page, flow).await
}

/// The flow of a posted form, whose CSRF token must be the flow's.
pub async fn posted(page: &mut Page, body: &[u8]) -> Result<FlowCtx, PageError> {
    let flow = find(page, field(body, "flow")).await?;
    if !flow.accepts(&page.browser, &field(body, "csrf").unwrap_or_default()) {
        page.speak(&flow.request.ui_locales);
        return Err(page.invalid(&page.t.form_expired_flow));
    }
    with_client(page, flow).await
}

/// Speaks the language of flow `id` when it is this browser's flow here; pages that only
/// carry a flow along (the reset request) use it, and say nothing when it is not.
pub async fn speak_as(page: &mut Page, id: &str) {
    if id.is_empty() || id.len() > 64 {
        return;
    }
    if let Ok(Some(flow)) = Flow::load(&page.state.sessions, id).await
        && flow.tenant_id == page.cw.issuer.tenant
        && flow.workspace_id == page.cw.issuer.workspace
        && crate::crypto::ct_eq(page.browser.as_bytes(), flow.browser.as_bytes())
    {
        page.speak(&flow.request.ui_locales);
    }
}

async fn find(page: &Page, id: Option<String>) -> Result<Flow, PageError> {
    let expired = || page.invalid(&page.t.flow_expired);
    let id = id.filter(|i| !i.is_empty() && i.len() <= 64).ok_or_else(expired)?;
    let flow = Flow::load(&page.state.sessions, &id).await.or_page(page)?;
    let flow = flow.filter(|f| f.tenant_id == page.cw.issuer.tenant && f.workspace_id == page.cw.issuer.workspace).ok_or_else(expired)?;
    if !crate::crypto::ct_eq(page.browser.as_bytes(), flow.browser.as_bytes()) {
        return Err(expired());
    }
    Ok(flow)
}

async fn with_client(page: &mut Page, flow: Flow) -> Result<FlowCtx, PageError> {
    page.speak(&flow.request.ui_locales);
    // Once the flow knows its user, their stored locale (the `locale` claim) comes next
    // after ui_locales; looked up only when ui_locales did not settle it.
    if let Some(uid) = flow.user_id()
        && !flow.request.ui_locales.iter().any(|l| crate::locale::supported(l).is_some())
        && let Some(user) = page.state.users.get(&page.cw.issuer.tenant, uid).await.or_page(page)?
    {
        page.speak_for_user(user.claims.get("locale").and_then(|v| v.as_str()));
    }
    let found = page.state.clients.get(&page.cw.issuer.tenant, &page.cw.issuer.workspace, &flow.request.client_id).await.or_page(page)?;
    let client = found.ok_or_else(|| page.error(StatusCode::BAD_REQUEST, "invalid_client", &page.t.client_gone))?;
    // The handler's span names the client from here on.
    tracing::Span::current().record("client_id", client.client_id.as_str());
    page.theme_for_client(&client.client_id).await?;
    page.set_app(&client);
    Ok(FlowCtx { flow, client })
}

/// Whether the flow's user may enrol `factor` now (see `Engine::may_enrol`): enrolment
/// handlers call this right before they store the new credential.
pub async fn may_enrol(page: &Page, flow: &Flow, client: &Client, factor: &str) -> Result<bool, PageError> {
    let cookie = page.cookie(SESSION_COOKIE);
    let device = page.cookie(DEVICE_COOKIE);
    let ctx = Context { realm: realm(page), issuer: &page.cw.issuer.url, client, cookie: cookie.as_deref(), levels: &page.cw.workspace.levels, signals: signals(page, device.as_deref()) };
    let risk = adaptive(&page.state);
    engine(&page.state, &risk).may_enrol(&ctx, flow, factor).await.or_page(page)
}

/// Where the request comes from, as the adaptive policy sees it.
fn signals<'a>(page: &'a Page, device: Option<&'a str>) -> Signals<'a> {
    Signals { device, ip: &page.ip, browser: &page.browser }
}

/// Feeds `event` to the flow and answers with where the browser goes next (and the new
/// session cookie after a sign-in).
pub async fn advance(page: &Page, flow: Flow, client: &Client, event: Event) -> Result<HttpResponse, PageError> {
    let cookie = page.cookie(SESSION_COOKIE);
    let device = page.cookie(DEVICE_COOKIE);
    let ctx = Context { realm: realm(page), issuer: &page.cw.issuer.url, client, cookie: cookie.as_deref(), levels: &page.cw.workspace.levels, signals: signals(page, device.as_deref()) };
    let risk = adaptive(&page.state);
    let advanced = engine(&page.state, &risk).advance(&ctx, flow, event).await.or_page(page)?;
    let advanced = advanced.map_err(|refused| {
        tracing::info!(%refused, "flow event refused");
        page.invalid(&page.t.sign_in_first)
    })?;
    Ok(respond(page, advanced))
}

fn respond(page: &Page, advanced: Advanced) -> HttpResponse {
    let mut resp = match advanced.to {
        Destination::Page(id, flow) => crate::http::response::see_other(&format!("{}?flow={flow}", page.path(id.flow_endpoint().unwrap_or("login")))),
        Destination::Client(url) => crate::http::response::found(url.as_str()),
    };
    if let Some(value) = advanced.session_cookie {
        let state = &page.state;
        let _ = resp.add_cookie(&cookie(SESSION_COOKIE, value, page.cw.cookie_path(), state.config.secure_cookies(), Some(state.config.ttl.session)));
    }
    // The adaptive policy's device cookie: HttpOnly, SameSite=Lax, Secure on https.
    if let Some(value) = advanced.device_cookie {
        let state = &page.state;
        let _ = resp.add_cookie(&cookie(DEVICE_COOKIE, value, page.cw.cookie_path(), state.config.secure_cookies(), Some(DEVICE_TTL)));
    }
    resp
}
