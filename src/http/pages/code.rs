//! One-time-code pages (activation and password reset share them): finding the
//! challenge a page addresses, the code form, resends and code checks.
//!
//! Who may do what: a challenge is bound to the browser that started it (and carries its
//! own CSRF token); a decoy challenge answers exactly like a real one and never verifies.
use actix_web::http::StatusCode;

use super::{OrPage, Page, PageError, PageResult};
use crate::http::field;
use crate::identity::otp::{self, Challenge, Checked, Purpose};
use crate::views::{CodePage, PageId};

#[derive(serde::Deserialize)]
pub struct ChallengeQuery {
    pub challenge: Option<String>,
    pub code: Option<String>,
}

/// The challenge a page addresses: it must exist, be for this workspace and this browser.
/// The page speaks the language of the page that started it from here on.
pub async fn load_challenge(page: &mut Page, id: Option<String>, purpose: Purpose) -> Result<Challenge, PageError> {
    let c = Challenge::load(&page.state.lifecycle(), &id.unwrap_or_default()).await.or_page(page)?;
    let c = c.filter(|c| c.tenant_id == page.cw.issuer.tenant && c.workspace_id == page.cw.issuer.workspace && c.purpose == purpose).ok_or_else(|| code_expired(page))?;
    if !crate::crypto::ct_eq(c.browser.as_bytes(), page.browser.as_bytes()) {
        return Err(code_expired(page));
    }
    page.speak(std::slice::from_ref(&c.voice.locale));
    Ok(c)
}

/// What the code page shows besides the form.
pub struct CodeView {
    pub errors: Vec<String>,
    pub notice: Option<String>,
    pub code: String,
    pub status: StatusCode,
}

impl CodeView {
    pub fn empty(code: String) -> Self {
        CodeView { errors: vec![], notice: None, code, status: StatusCode::OK }
    }
}

pub fn code_page(page: &Page, c: &Challenge, rules: Vec<String>, v: CodeView) -> PageResult {
    let t = &page.t;
    let (id, heading, action, new_password) = match c.purpose {
        Purpose::Activation => (PageId::Verify, &t.verify_title, page.path("verify"), false),
        Purpose::Reset => (PageId::ResetConfirm, &t.reset_confirm_title, page.path("reset/confirm"), true),
        // Second-factor codes have their own pages (`otp_factor`); never loaded here.
        Purpose::SecondFactor => (PageId::EmailOtp, &t.email_otp_title, page.path("email-otp"), false),
    };
    let view = CodePage {
        page: page.ctx(id, heading),
        heading: heading.clone(),
        intro: t.code_intro(otp::mask(&c.to), otp::CODE_TTL / 60),
        action,
        challenge: c.id.clone(),
        csrf: c.csrf.clone(),
        code: v.code,
        new_password,
        password_rules: rules,
        errors: v.errors,
        notice: v.notice,
    };
    Ok(page.render_with_script(v.status, &view.page.nonce, &view))
}

/// Answers a posted code form: a resend (`Err` with the page), or a code check. `Ok`
/// carries the challenge whose code was right (not spent yet).
pub async fn check_code(page: &mut Page, body: &[u8], purpose: Purpose, rules: Vec<String>) -> Result<Result<Box<Challenge>, actix_web::HttpResponse>, PageError> {
    let c = load_challenge(page, field(body, "challenge"), purpose).await?;
    if !c.accepts(&page.browser, &field(body, "csrf").unwrap_or_default()) {
        return Err(page.invalid(&page.t.form_expired));
    }
    let view = |errors: Vec<String>, notice: Option<String>, status| CodeView { errors, notice, code: String::new(), status };
    if field(body, "resend").is_some() {
        let shown = c.clone();
        let resp = match c.resend(&page.state.lifecycle(), &page.ip).await.or_page(page)? {
            true => code_page(page, &shown, rules, view(vec![], Some(page.t.code_resent.clone()), StatusCode::OK))?,
            false => code_page(page, &shown, rules, view(vec![page.t.resend_limited.clone()], None, StatusCode::TOO_MANY_REQUESTS))?,
        };
        return Ok(Err(resp));
    }
    match c.check(&page.state.lifecycle(), &field(body, "code").unwrap_or_default(), &page.ip).await.or_page(page)? {
        Checked::Right => Ok(Ok(Box::new(c))),
        Checked::Wrong { left } => Ok(Err(code_page(page, &c, rules, view(vec![page.t.code_wrong(left)], None, StatusCode::UNPROCESSABLE_ENTITY))?)),
        Checked::Locked => Err(code_expired(page)),
    }
}

/// The answer to a challenge that is gone, spent, locked or superseded: one page for all.
pub fn code_expired(page: &Page) -> PageError {
    page.invalid(&page.t.code_expired)
}

/// Spends a challenge whose code `check_code` found right; of two concurrent uses, one wins.
pub async fn spend(page: &Page, c: Challenge) -> Result<Challenge, PageError> {
    c.spend(&page.state.lifecycle()).await.or_page(page)?.ok_or_else(|| code_expired(page))
}
