//! Password reset: a code (or a link carrying it) goes to a verified address; the page
//! answers the same whether or not an account exists. Afterwards every session and
//! refresh token of the user is revoked.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::client_ip::client_ip;
use super::register::{ChallengeQuery, CodeView, check_code, code_expired, code_page, load_challenge, spend};
use super::response::{app_error_page, error_page, page_ctx, render, see_other};
use super::workspace::{CurrentWorkspace, strings};
use super::{BROWSER_COOKIE, cookie, cookie_value, field};
use crate::delivery::Channel;
use crate::identity::lifecycle;
use crate::identity::otp::{self, Challenge, Origin, Purpose, Recipient};
use crate::identity::{normalize_email, normalize_phone};
use crate::state::AppState;
use crate::storage::identity::Lookup;
use crate::storage::session::Kind;
use crate::storage::UserStatus;
use crate::crypto::random_token;
use crate::views::{NoticePage, ResetPage, Strings};

#[derive(serde::Deserialize)]
pub struct ResetQuery {
    flow: Option<String>,
}

/// The reset form has no flow of its own to bind its CSRF token to: it uses a
/// one-time token kept in the session store, bound to the browser id.
async fn form_csrf(state: &AppState, browser: &str) -> Result<String, crate::error::AppError> {
    let token = random_token(18);
    state.sessions.put(Kind::FormCsrf, &token, &browser, state.config.ttl.flow).await?;
    Ok(token)
}

fn reset_page(cw: &CurrentWorkspace, t: &'static Strings, flow: String, csrf: String, errors: Vec<String>, status: StatusCode) -> HttpResponse {
    let page = ResetPage {
        page: page_ctx("Reset your password", cw.theme(), t),
        action: cw.path("reset"),
        flow,
        csrf,
        label: "Email address or phone number".into(),
        input_type: "text",
        errors,
    };
    render(status, &page.page.nonce, &page)
}

pub async fn get_reset(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, q: web::Query<ResetQuery>) -> HttpResponse {
    let t = strings(&req, &[]);
    // The page may be the first of this browser here: give it a browser id.
    let (bid, fresh) = match cookie_value(&req, BROWSER_COOKIE) {
        Some(b) => (b, false),
        None => (random_token(24), true),
    };
    let csrf = match form_csrf(&state, &crate::crypto::hex(&crate::crypto::digest(&bid))).await {
        Ok(c) => c,
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    let flow = q.into_inner().flow.filter(|f| f.len() <= 64).unwrap_or_default();
    let mut resp = reset_page(&cw, t, flow, csrf, vec![], StatusCode::OK);
    if fresh {
        let _ = resp.add_cookie(&cookie(BROWSER_COOKIE, bid, "/".into(), state.config.secure_cookies(), None));
    }
    resp
}

pub async fn post_reset(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let t = strings(&req, &[]);
    let browser = super::browser_digest(&req);
    let csrf = field(&body, "csrf").unwrap_or_default();
    let bound: Option<String> = match state.sessions.consume(Kind::FormCsrf, &csrf).await {
        Ok(b) => b,
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    if csrf.is_empty() || !bound.is_some_and(|b| crate::crypto::ct_eq(b.as_bytes(), browser.as_bytes())) {
        return error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "The form could not be verified. Please start again.");
    }
    let flow = field(&body, "flow").filter(|f| !f.is_empty() && f.len() <= 64);
    let raw = field(&body, "identifier").unwrap_or_default();
    let (by, channel, to) = if let Ok(e) = normalize_email(&raw) {
        (Lookup::Email, Channel::Email, e)
    } else if let Ok(p) = normalize_phone(&raw) {
        (Lookup::Phone, Channel::Sms, p)
    } else {
        let csrf = match form_csrf(&state, &browser).await {
            Ok(c) => c,
            Err(e) => return app_error_page(&e, cw.theme(), t),
        };
        return reset_page(&cw, t, flow.unwrap_or_default(), csrf, vec!["Enter the email address or phone number of your account.".into()], StatusCode::UNPROCESSABLE_ENTITY);
    };
    // Only a verified address of an active user receives a code; every other case gets a
    // decoy challenge that looks the same and never verifies.
    let mut found = None;
    for pool in &cw.workspace.pools {
        match state.users.find_user(&cw.issuer.tenant, pool, by, &to).await {
            Ok(Some(u)) => {
                found = Some(u);
                break;
            }
            Ok(None) => {}
            Err(e) => return app_error_page(&e, cw.theme(), t),
        }
    }
    // Counted for every address alike, before anything is sent.
    match otp::allow_send(&state, &to, &client_ip(&req, &state.config.trusted_proxies)).await {
        Ok(true) => {}
        Ok(false) => {
            let csrf = match form_csrf(&state, &browser).await {
                Ok(c) => c,
                Err(e) => return app_error_page(&e, cw.theme(), t),
            };
            return reset_page(&cw, t, flow.unwrap_or_default(), csrf, vec![t.too_many_codes.into()], StatusCode::TOO_MANY_REQUESTS);
        }
        Err(e) => return app_error_page(&e, cw.theme(), t),
    }
    let user = found.filter(|u| u.status == UserStatus::Active && if by == Lookup::Email { u.email_verified } else { u.phone_verified });
    let pool = user.as_ref().map(|u| u.pool_id.clone()).unwrap_or_else(|| cw.workspace.pools.first().cloned().unwrap_or_default());
    let pages = cw.issuer.url.clone();
    let origin = Origin { tenant: &cw.issuer.tenant, workspace: &cw.issuer.workspace, pool: &pool, browser: &browser, flow: flow.as_deref(), pages: &pages };
    let to_user = Recipient { user_id: user.as_ref().map(|u| u.id.as_str()), channel, to: &to, registration: None };
    match Challenge::start(&state, Purpose::Reset, origin, to_user).await {
        Ok(c) => see_other(&format!("{}?challenge={}", cw.path("reset/confirm"), c.id)),
        Err(e) => app_error_page(&e, cw.theme(), t),
    }
}

async fn rules(state: &AppState, c: &Challenge) -> Vec<String> {
    match state.pools.pool(&c.tenant_id, &c.pool_id).await {
        Ok(Some(p)) => p.settings.password_policy.describe(),
        _ => crate::identity::policy::PasswordPolicy::default().describe(),
    }
}

pub async fn get_reset_confirm(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, q: web::Query<ChallengeQuery>) -> HttpResponse {
    let t = strings(&req, &[]);
    let q = q.into_inner();
    let code = q.code.clone().filter(|c| c.len() <= 12).unwrap_or_default();
    match load_challenge(&state, &cw, &req, t, q.challenge, Purpose::Reset).await {
        Ok(c) => {
            let r = rules(&state, &c).await;
            code_page(&cw, t, &c, r, CodeView { errors: vec![], notice: None, code, status: StatusCode::OK })
        }
        Err(r) => r,
    }
}

/// The code is checked first, the same way for a real account and a decoy, so the answer
/// to a wrong code never depends on whether the account exists. Only a right code (which a
/// decoy never has) reaches the password policy; a refused password keeps the challenge,
/// so the user can choose another with the same code.
pub async fn post_reset_confirm(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let t = strings(&req, &[]);
    let pre = match load_challenge(&state, &cw, &req, t, field(&body, "challenge"), Purpose::Reset).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let r = rules(&state, &pre).await;
    let c = match check_code(&state, &cw, &req, t, &body, Purpose::Reset, r.clone()).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let target = match (&c.user_id, state.pools.pool(&c.tenant_id, &c.pool_id).await) {
        (Some(uid), Ok(Some(pool))) => match state.users.get(&c.tenant_id, uid).await {
            Ok(Some(u)) if u.status == UserStatus::Active => Some((pool, u)),
            Ok(_) => None,
            Err(e) => return app_error_page(&e, cw.theme(), t),
        },
        (_, Err(e)) => return app_error_page(&e, cw.theme(), t),
        _ => None,
    };
    let Some((pool, user)) = target else {
        return code_expired(&cw, t);
    };
    let password = field(&body, "password").unwrap_or_default();
    match lifecycle::check_new_password(&state.lifecycle(), &pool, &crate::identity::identifiers(&user), &password, Some(&user.id)).await {
        Ok(errors) if !errors.is_empty() => {
            let code = field(&body, "code").unwrap_or_default();
            return code_page(&cw, t, &c, r, CodeView { errors: errors.into_iter().map(|e| e.message).collect(), notice: None, code, status: StatusCode::UNPROCESSABLE_ENTITY });
        }
        Ok(_) => {}
        Err(e) => return app_error_page(&e, cw.theme(), t),
    }
    let c = match spend(&state, &cw, t, *c).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    // The password passed the policy above.
    if let Err(e) = lifecycle::replace_password(&state.lifecycle(), &pool, &user, &password).await {
        return app_error_page(&e, cw.theme(), t);
    }
    let link = c.flow.as_ref().map(|f| (format!("{}?flow={f}", cw.path("login")), "Sign in".to_owned()));
    let page = NoticePage {
        page: page_ctx("Password changed", cw.theme(), t),
        heading: "Password changed".into(),
        text: "Your password was changed and you were signed out everywhere. Sign in with your new password.".into(),
        link,
    };
    let mut resp = render(StatusCode::OK, &page.page.nonce, &page);
    let _ = resp.add_cookie(&super::removal(super::SESSION_COOKIE, cw.cookie_path(), state.config.secure_cookies()));
    resp
}
