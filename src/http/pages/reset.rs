//! Password reset pages. The rules (decoys for unknown addresses, send limits, the order
//! of code and policy checks) live in `identity::recovery`; these handlers map its
//! outcomes to pages.
//!
//! Who may do what: the request form has no flow of its own to bind its CSRF token to, so
//! it carries a one-time token kept in the session store and bound to the browser id.
use actix_web::http::StatusCode;
use actix_web::web;

use super::code::{ChallengeQuery, CodeView, check_code, code_expired, code_page, load_challenge};
use super::{OrPage, Page, PageError, PageResult};
use crate::http::response::see_other;
use crate::http::{BROWSER_COOKIE, SESSION_COOKIE, cookie, field, removal};
use crate::identity::otp::Purpose;
use crate::identity::recovery::{self, Asked, Confirmed, Requested};
use crate::storage::session::Kind;
use crate::crypto::random_token;
use crate::texts::{password_rules, unmet_rule};
use crate::views::{NoticePage, PageId, ResetPage};

#[derive(serde::Deserialize)]
pub struct ResetQuery {
    flow: Option<String>,
}

/// A one-time form token bound to the browser (digest) `browser`.
async fn form_csrf(page: &Page, browser: &str) -> Result<String, PageError> {
    let token = random_token(18);
    page.state.sessions.put(Kind::FormCsrf, &token, &browser, page.state.config.ttl.flow).await.or_page(page)?;
    Ok(token)
}

async fn reset_page(page: &Page, flow: String, csrf: String, errors: Vec<String>, status: StatusCode) -> PageResult {
    // The address field follows the pools' identifier (a pool by username takes the
    // username or an address: the catalogue's reset label says so).
    let (label, input_type) = match page.identifier_field().await? {
        (_, "text") => (page.t.reset_identifier.clone(), "text"),
        found => found,
    };
    let view = ResetPage {
        page: page.ctx(PageId::Reset, &page.t.reset_title),
        action: page.path("reset"),
        flow,
        csrf,
        label,
        input_type,
        errors,
    };
    Ok(page.render(status, &view.page.nonce, &view))
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_reset(mut page: Page, q: web::Query<ResetQuery>) -> PageResult {
    // The page may be the first of this browser here: give it a browser id.
    let (bid, fresh) = match page.cookie(BROWSER_COOKIE) {
        Some(b) => (b, false),
        None => (random_token(24), true),
    };
    let csrf = form_csrf(&page, &crate::crypto::hex(&crate::crypto::digest(&bid))).await?;
    let flow = q.into_inner().flow.filter(|f| f.len() <= 64).unwrap_or_default();
    super::flow::speak_as(&mut page, &flow).await;
    let mut resp = reset_page(&page, flow, csrf, vec![], StatusCode::OK).await?;
    if fresh {
        let _ = resp.add_cookie(&cookie(BROWSER_COOKIE, bid, "/".into(), page.state.config.secure_cookies(), None));
    }
    Ok(resp)
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_reset(mut page: Page, body: web::Bytes) -> PageResult {
    let flow = field(&body, "flow").filter(|f| !f.is_empty() && f.len() <= 64);
    super::flow::speak_as(&mut page, flow.as_deref().unwrap_or_default()).await;
    let csrf = field(&body, "csrf").unwrap_or_default();
    let bound: Option<String> = page.state.sessions.consume(Kind::FormCsrf, &csrf).await.or_page(&page)?;
    if csrf.is_empty() || !bound.is_some_and(|b| crate::crypto::ct_eq(b.as_bytes(), page.browser.as_bytes())) {
        return Err(page.invalid(&page.t.form_expired));
    }
    let cw = &page.cw;
    let voice = page.voice();
    let at = Asked { tenant: &cw.issuer.tenant, workspace: &cw.issuer.workspace, pools: &cw.workspace.pools, pages: &cw.issuer.url, browser: &page.browser, ip: &page.ip, flow: flow.as_deref(), voice: &voice };
    let (error, status) = match recovery::request(&page.state.lifecycle(), at, &field(&body, "identifier").unwrap_or_default()).await.or_page(&page)? {
        Requested::Started(c) => return Ok(see_other(&format!("{}?challenge={}", page.path("reset/confirm"), c.id))),
        Requested::NotAnAddress => (page.t.reset_not_address.clone(), StatusCode::UNPROCESSABLE_ENTITY),
        Requested::Limited => (page.t.too_many_codes.clone(), StatusCode::TOO_MANY_REQUESTS),
    };
    let csrf = form_csrf(&page, &page.browser).await?;
    reset_page(&page, flow.unwrap_or_default(), csrf, vec![error], status).await
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_reset_confirm(mut page: Page, q: web::Query<ChallengeQuery>) -> PageResult {
    let q = q.into_inner();
    let code = q.code.clone().filter(|c| c.len() <= 12).unwrap_or_default();
    let c = load_challenge(&mut page, q.challenge, Purpose::Reset).await?;
    let rules = password_rules(&page.t, &recovery::policy(&page.state.lifecycle(), &c).await);
    code_page(&page, &c, rules, CodeView::empty(code))
}

/// The code is checked first, the same way for a real account and a decoy; only a right
/// code (which a decoy never has) reaches the password policy; a refused password keeps
/// the challenge, so the user can choose another with the same code.
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_reset_confirm(mut page: Page, body: web::Bytes) -> PageResult {
    let pre = load_challenge(&mut page, field(&body, "challenge"), Purpose::Reset).await?;
    let rules = password_rules(&page.t, &recovery::policy(&page.state.lifecycle(), &pre).await);
    let c = match check_code(&mut page, &body, Purpose::Reset, rules.clone()).await? {
        Ok(c) => c,
        Err(resp) => return Ok(resp),
    };
    let shown = (*c).clone();
    let password = field(&body, "password").unwrap_or_default();
    match recovery::confirm(&page.state.lifecycle(), *c, &password).await.or_page(&page)? {
        Confirmed::Changed { flow } => changed(&page, flow),
        Confirmed::Expired => Err(code_expired(&page)),
        Confirmed::Refused(missed) => {
            let code = field(&body, "code").unwrap_or_default();
            let policy = recovery::policy(&page.state.lifecycle(), &shown).await;
            let errors = std::iter::once(page.t.password_invalid.clone()).chain(missed.iter().map(|r| unmet_rule(&page.t, r, &policy))).collect();
            code_page(&page, &shown, rules, CodeView { errors, notice: None, code, status: StatusCode::UNPROCESSABLE_ENTITY })
        }
    }
}

/// Signed out everywhere: the session cookie goes too.
fn changed(page: &Page, flow: Option<String>) -> PageResult {
    let t = &page.t;
    let link = flow.as_ref().map(|f| (format!("{}?flow={f}", page.path("login")), t.sign_in.clone()));
    let view = NoticePage {
        page: page.ctx(PageId::Notice, &t.password_changed_title),
        heading: t.password_changed_title.clone(),
        text: t.password_changed_text.clone(),
        link,
    };
    let mut resp = page.render(StatusCode::OK, &view.page.nonce, &view);
    let _ = resp.add_cookie(&removal(SESSION_COOKIE, page.cw.cookie_path(), page.state.config.secure_cookies()));
    Ok(resp)
}
