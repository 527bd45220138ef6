//! The sign-in and consent pages of a flow.
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::{HttpResponse, web};

use super::flow::{self, FlowCtx};
use super::{FlowQuery, OrPage, Page, PageResult};
use crate::auth::factors::{Factor, Input, password::Password};
use crate::auth::{Decision, Event, Origin, Verdict};
use crate::http::{field, pairs};
use crate::views::{ConsentPage, LoginPage, PageId};

/// What the sign-in page shows besides the form.
struct Shown {
    username: String,
    error: Option<String>,
    status: StatusCode,
}

async fn login_page(page: &Page, fc: &FlowCtx, shown: Shown) -> PageResult {
    let register = crate::identity::registration::pool_for(&page.state.lifecycle(), &page.cw.issuer.tenant, &page.cw.workspace.pools).await.or_page(page)?.is_some();
    let (label, input_type) = page.identifier_field().await?;
    let t = &page.t;
    let view = LoginPage {
        register_url: register.then(|| format!("{}?flow={}", page.path("register"), fc.flow.id)),
        reset_url: format!("{}?flow={}", page.path("reset"), fc.flow.id),
        page: page.ctx(PageId::Login, &t.sign_in),
        action: page.path("login"),
        flow: fc.flow.id.clone(),
        csrf: fc.flow.csrf.clone(),
        client_name: super::app_name(&fc.client.name, &fc.client.client_id, &page.cw, &page.theme),
        label,
        input_type,
        username: shown.username,
        error: shown.error,
        passkey: super::passkey::passwordless(page).await?,
    };
    // The passkey button and autofill run a script (with this page's nonce).
    Ok(match view.passkey {
        Some(_) => crate::http::response::render_scripted(shown.status, &view.page.nonce, &page.theme, &view),
        None => page.render_with_script(shown.status, &view.page.nonce, &view),
    })
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_login(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    let username = fc.flow.request.login_hint.clone().unwrap_or_default();
    login_page(&page, &fc, Shown { username, error: None, status: StatusCode::OK }).await
}

/// The password factor; a throttled attempt answers 429 (with `Retry-After` while paced).
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_login(mut page: Page, body: web::Bytes) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    let username = field(&body, "username").unwrap_or_default();
    let fields: Vec<(String, String)> = pairs(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let from = Origin { browser: &page.browser, ip: &page.ip };
    let verdict = flow::authenticator(&page.state).verify(&flow::realm(&page), &Password, username.trim(), &Input { fields: &fields }, from).await.or_page(&page)?;
    let t = &page.t;
    let (error, status, retry) = match verdict {
        Verdict::Passed(user) => return flow::advance(&page, fc.flow, &fc.client, Event::Passed { user_id: user.id, factor: Password.name().into() }).await,
        Verdict::Rejected => (t.bad_credentials.clone(), StatusCode::OK, None),
        Verdict::Wait(s) => (t.wait_seconds(s), StatusCode::TOO_MANY_REQUESTS, Some(s)),
        Verdict::Locked => (t.too_many_attempts.clone(), StatusCode::TOO_MANY_REQUESTS, None),
    };
    let mut resp = login_page(&page, &fc, Shown { username, error: Some(error), status }).await?;
    if let Some(v) = retry.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        resp.headers_mut().insert(RETRY_AFTER, v);
    }
    Ok(resp)
}

fn to_login(page: &Page, fc: &FlowCtx) -> HttpResponse {
    crate::http::response::see_other(&format!("{}?flow={}", page.path("login"), fc.flow.id))
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_consent(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    if fc.flow.auth().is_none() {
        return Ok(to_login(&page, &fc));
    }
    // Who is signed in, as they would name their account.
    let user = match fc.flow.user_id() {
        Some(uid) => page.state.users.get(&page.cw.issuer.tenant, uid).await.or_page(&page)?.map(|u| u.email.or(u.phone).unwrap_or(u.username)),
        None => None,
    };
    let t = &page.t;
    let view = ConsentPage {
        page: page.ctx(PageId::Consent, &t.consent_title),
        action: page.path("consent"),
        flow: fc.flow.id.clone(),
        csrf: fc.flow.csrf.clone(),
        client_name: super::recipient_name(&fc.client.name, &fc.client.client_id, &page.cw, t),
        scopes: t.scope_lines(&fc.flow.request.scope.0),
        user,
        switch_action: page.path("consent/switch"),
    };
    Ok(page.render(StatusCode::OK, &view.page.nonce, &view))
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_consent(mut page: Page, body: web::Bytes) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    if fc.flow.auth().is_none() {
        return Ok(to_login(&page, &fc));
    }
    let decision = match field(&body, "decision").as_deref() {
        Some("allow") => Decision::Allow,
        Some("deny") => Decision::Deny,
        _ => return Err(page.invalid(&page.t.choose_allow_deny)),
    };
    flow::advance(&page, fc.flow, &fc.client, Event::Consent(decision)).await
}

/// "Not you?" on the consent page: signs this browser out of the workspace and starts the
/// same authorization request again, so another account can sign in. Only the browser
/// whose flow it is may (the flow's CSRF token); the old flow is taken, so its consent
/// form cannot be sent any more.
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_switch_account(mut page: Page, body: web::Bytes) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    crate::auth::Flow::take(&page.state.sessions, &fc.flow.id).await.or_page(&page)?;
    // Ended like a logout: the session's record goes, and the audit trail says so.
    let current = flow::authenticator(&page.state).sso_session(&flow::realm(&page), page.cookie(crate::http::SESSION_COOKIE).as_deref()).await.or_page(&page)?;
    if let Some(s) = &current {
        super::logout::end_session_of(&page, s, Some(&fc.client.client_id), super::logout::Ended::SwitchAccount).await?;
    } else if let Some(v) = page.cookie(crate::http::SESSION_COOKIE) {
        // Not a session of this workspace (or a revoked one): its record goes all the same.
        crate::auth::session::remove(&page.state.sessions, &crate::auth::session::key_of(&v)).await.or_page(&page)?;
    }
    let fresh = crate::auth::Flow::start(&page.cw.issuer.tenant, &page.cw.issuer.workspace, fc.flow.browser.clone(), fc.flow.request.clone());
    let mut resp = flow::advance(&page, fresh, &fc.client, Event::Authorize { sso: None }).await?;
    let _ = resp.add_cookie(&crate::http::removal(crate::http::SESSION_COOKIE, page.cw.cookie_path(), page.state.config.secure_cookies()));
    Ok(resp)
}
