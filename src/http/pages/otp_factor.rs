//! The pages of the code factors: `email-otp` and `sms-otp`. Showing the page sends a code
//! to the user's verified address (once per flow, until it expires or a new one is asked
//! for); posting it checks the code and feeds `Passed` to the flow.
//!
//! Codes are taken within the per-user second-factor throttle (`auth::second`: 5 wrong
//! codes lock the factor for 15 minutes, an audit event) besides the limits of every code
//! (`identity::otp`).
//!
//! Who may do what: only the browser of the flow (and, to post, with its CSRF token), only
//! while the flow offers this factor now (`Flow::offers`), only for the user the flow is
//! about (`Flow::challenged_user`), and only with a code sent for this flow to that user's
//! verified address (`auth::factors::email_otp`).
use actix_web::http::StatusCode;
use actix_web::web;

use super::factor::{self, other_ways};
use super::flow::{self, FlowCtx};
use super::{FlowQuery, OrPage, Page, PageError, PageResult};
use crate::auth::Event;
use crate::auth::factors::email_otp::{CodeFactor, EMAIL_OTP, FlowCode, Sent};
use crate::auth::factors::sms_otp::SMS_OTP;
use crate::auth::second::{self, Outcome};
use crate::http::field;
use crate::identity::otp;
use crate::storage::{User, UserStatus};
use crate::views::{OtpCodePage, PageId};

fn page_id(factor: &CodeFactor) -> PageId {
    if std::ptr::eq(factor, &SMS_OTP) { PageId::SmsOtp } else { PageId::EmailOtp }
}

/// The user this flow asks for `factor` now, with a verified address for it.
async fn claimant(page: &Page, fc: &FlowCtx, factor: &CodeFactor) -> Result<User, PageError> {
    let user_id = factor::require(page, fc, factor.name, false)?;
    let user = page.state.users.get(&page.cw.issuer.tenant, user_id).await.or_page(page)?;
    user.filter(|u| u.status == UserStatus::Active && factor.address(u).is_some()).ok_or_else(|| factor::not_available(page))
}

fn origin<'a>(page: &'a Page, user: &'a User, voice: &'a otp::Voice) -> otp::Origin<'a> {
    otp::Origin { tenant: &page.cw.issuer.tenant, workspace: &page.cw.issuer.workspace, pool: &user.pool_id, browser: &page.browser, flow: None, pages: &page.cw.issuer.url, voice }
}

/// What the page shows besides the form.
struct Shown {
    error: Option<String>,
    notice: Option<String>,
    status: StatusCode,
}

fn code_page(page: &Page, fc: &FlowCtx, factor: &CodeFactor, user: &User, shown: Shown) -> PageResult {
    let t = &page.t;
    let id = page_id(factor);
    let to = factor.address(user).map(otp::mask).unwrap_or_default();
    let minutes = otp::CODE_TTL / 60;
    let (title, intro) = if id == PageId::SmsOtp { (&t.sms_otp_title, t.sms_otp_intro(to, minutes)) } else { (&t.email_otp_title, t.email_otp_intro(to, minutes)) };
    let view = OtpCodePage {
        page: page.ctx(id, title),
        heading: title.clone(),
        intro,
        action: page.path(id.as_str()),
        flow: fc.flow.id.clone(),
        csrf: fc.flow.csrf.clone(),
        error: shown.error,
        notice: shown.notice,
        links: other_ways(page, fc, factor.name),
    };
    Ok(page.render(shown.status, &view.page.nonce, &view))
}

async fn show(mut page: Page, q: FlowQuery, factor: &CodeFactor) -> PageResult {
    let fc = flow::load(&mut page, q.flow).await?;
    let user = claimant(&page, &fc, factor).await?;
    let sent = factor.send(&page.state.lifecycle(), origin(&page, &user, &page.voice()), &fc.flow.id, &user, &page.ip).await.or_page(&page)?;
    let shown = match sent {
        Sent::Live(_) | Sent::Sent(_) => Shown { error: None, notice: None, status: StatusCode::OK },
        Sent::Limited => Shown { error: Some(page.t.too_many_codes.clone()), notice: None, status: StatusCode::TOO_MANY_REQUESTS },
    };
    code_page(&page, &fc, factor, &user, shown)
}

async fn check(mut page: Page, body: web::Bytes, factor: &CodeFactor) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    let user = claimant(&page, &fc, factor).await?;
    let t = page.t.clone();
    let deps = page.state.lifecycle();
    let shown = |error: Option<String>, notice: Option<String>, status| Shown { error, notice, status };
    if field(&body, "resend").is_some() {
        let resent = factor.resend(&deps, origin(&page, &user, &page.voice()), &fc.flow.id, &user, &page.ip).await.or_page(&page)?;
        let s = if resent { shown(None, Some(t.otp_resent.clone()), StatusCode::OK) } else { shown(Some(t.too_many_codes.clone()), None, StatusCode::TOO_MANY_REQUESTS) };
        return code_page(&page, &fc, factor, &user, s);
    }
    let code = field(&body, "code").unwrap_or_default();
    if code.trim().is_empty() {
        return code_page(&page, &fc, factor, &user, shown(Some(t.otp_missing.clone()), None, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let check = FlowCode { factor, deps: &deps, flow_id: &fc.flow.id, user: &user, ip: &page.ip };
    match second::verify(&factor::ports(&page), &check, &page.cw.issuer.tenant, &user.id, &code).await.or_page(&page)? {
        Outcome::Passed => {
            let event = Event::Passed { user_id: user.id.clone(), factor: factor.name.into() };
            flow::advance(&page, fc.flow, &fc.client, event).await
        }
        Outcome::Wrong { left } => code_page(&page, &fc, factor, &user, shown(Some(t.wrong_code(left)), None, StatusCode::UNPROCESSABLE_ENTITY)),
        Outcome::Locked { until, new } => factor::on_locked(&page, &fc, &user.id, factor.name, until, new).await,
    }
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_email_otp(page: Page, q: web::Query<FlowQuery>) -> PageResult {
    show(page, q.into_inner(), &EMAIL_OTP).await
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_email_otp(page: Page, body: web::Bytes) -> PageResult {
    check(page, body, &EMAIL_OTP).await
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_sms_otp(page: Page, q: web::Query<FlowQuery>) -> PageResult {
    show(page, q.into_inner(), &SMS_OTP).await
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_sms_otp(page: Page, body: web::Bytes) -> PageResult {
    check(page, body, &SMS_OTP).await
}
