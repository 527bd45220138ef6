//! The factor choice page (`factor`), the lockout page (`factor-locked`), and what the
//! second-factor pages share: the guard every one of them passes first, the ports of
//! `auth::second`, the code-entry page and the lockout answer.
//!
//! Who may do what: a factor page shows or accepts anything only for a flow at its
//! `Challenged` step (`Flow::challenged_user`), and only for a factor the flow asks for
//! now (`Flow::offers`) or lets the user enrol now (`Flow::enrols`) — a user who only
//! passed the password can never reach the enrolment of a factor when they already hold
//! one, nor use a factor the pool does not allow. Every form carries the flow id and its
//! CSRF token, checked by `flow::posted` from the browser that started the flow.
use actix_web::http::StatusCode;
use actix_web::web;

use super::flow::{self, FlowCtx};
use super::{FlowQuery, OrPage, Page, PageError, PageResult};
use crate::auth::assurance::RECOVERY_CODE;
use crate::auth::factors::page_of;
use crate::auth::second::{self, Ports};
use crate::auth::{Event, Stage};
use crate::http::field;
use crate::views::{FactorChoicePage, FactorCodePage, FactorLockedPage, PageId};

/// The ports of `auth::second` over the app's stores.
pub fn ports(page: &Page) -> Ports<'_> {
    let s = &page.state;
    Ports { credentials: s.credentials.as_ref(), counters: s.counters.as_ref(), sessions: &s.sessions, audit: s.audit.as_ref(), secrets: &s.secrets, now: s.now() }
}

/// The guard of every factor page: the flow's challenged user, when the flow asks for
/// `factor` now (`enrol`: lets the user enrol it now). Refused with a 400 otherwise.
pub fn require<'f>(page: &Page, fc: &'f FlowCtx, factor: &str, enrol: bool) -> Result<&'f str, PageError> {
    let allowed = if enrol { fc.flow.enrols(factor) } else { fc.flow.offers(factor) };
    match fc.flow.challenged_user() {
        Some(user) if allowed => Ok(user),
        _ => Err(not_available(page)),
    }
}

pub fn not_available(page: &Page) -> PageError {
    page.invalid(&page.t.mfa_not_available)
}

/// The flow's current step, as the records a factor page keeps for it (a waiting passed
/// factor, a pending seed) remember it: a record made at another step (the flow started
/// over, or moved on) is stale and counts as none.
pub fn stage_snapshot(fc: &FlowCtx) -> String {
    serde_json::to_string(&fc.flow.stage).unwrap_or_default()
}

/// `/{tenant}/{workspace}/{endpoint}?flow=…`
pub fn flow_link(page: &Page, fc: &FlowCtx, endpoint: &str) -> String {
    format!("{}?flow={}", page.path(endpoint), fc.flow.id)
}

/// Other ways on from the page of `factor`: a recovery code when the flow offers one, and
/// the choice when it offers further factors.
pub fn other_ways(page: &Page, fc: &FlowCtx, factor: &str) -> Vec<(String, String)> {
    let Stage::Challenged { offer, enrol: false, .. } = &fc.flow.stage else {
        return vec![];
    };
    let mut links = vec![];
    if factor != RECOVERY_CODE && offer.iter().any(|o| o == RECOVERY_CODE) {
        links.push((flow_link(page, fc, PageId::RecoveryCode.as_str()), page.t.mfa_use_recovery_code.to_owned()));
    }
    if offer.iter().any(|o| o != factor && o != RECOVERY_CODE) {
        links.push((flow_link(page, fc, PageId::FactorChoice.as_str()), page.t.mfa_use_other.to_owned()));
    }
    links
}

/// What a code-entry page shows.
pub struct CodeEntry<'a> {
    pub id: PageId,
    pub factor: &'a str,
    pub heading: &'a str,
    pub intro: &'a str,
    pub label: &'a str,
    pub numeric: bool,
    pub maxlength: usize,
    pub error: Option<String>,
}

/// The shared one-time-code page (TOTP, recovery codes; email and SMS codes too).
pub fn code_page(page: &Page, fc: &FlowCtx, entry: CodeEntry<'_>) -> PageResult {
    let view = FactorCodePage {
        page: page.ctx(entry.id, entry.heading),
        heading: entry.heading.into(),
        intro: entry.intro.into(),
        action: page.path(entry.id.as_str()),
        flow: fc.flow.id.clone(),
        csrf: fc.flow.csrf.clone(),
        label: entry.label.into(),
        numeric: entry.numeric,
        maxlength: entry.maxlength,
        error: entry.error,
        notice: None,
        links: other_ways(page, fc, entry.factor),
    };
    Ok(page.render(StatusCode::OK, &view.page.nonce, &view))
}

/// The lockout page (429): until when `factor` is locked (`None`: until another factor
/// passed), and the other ways on.
pub fn locked_page(page: &Page, fc: &FlowCtx, factor: &str, until: Option<i64>) -> PageResult {
    let t = &page.t;
    let text = match until {
        Some(until) => {
            let minutes = ((until - page.state.now()).max(0) + 59) / 60;
            let of_day = until.rem_euclid(86_400);
            let time = format!("{:02}:{:02}", of_day / 3600, of_day % 3600 / 60);
            t.mfa_locked_text(time.as_str(), minutes.max(1))
        }
        None => t.mfa_locked_hard_text.clone(),
    };
    let view = FactorLockedPage { page: page.ctx(PageId::FactorLocked, &t.mfa_locked_title), text, links: other_ways(page, fc, factor) };
    let mut resp = page.render(StatusCode::TOO_MANY_REQUESTS, &view.page.nonce, &view);
    if let Some(until) = until
        && let Ok(v) = actix_web::http::header::HeaderValue::from_str(&(until - page.state.now()).max(1).to_string())
    {
        resp.headers_mut().insert(actix_web::http::header::RETRY_AFTER, v);
    }
    Ok(resp)
}

/// The answer to a locked factor: the lockout page, and, when this request locked it, a
/// mail to the user's verified email address (off the request path; no code in it).
pub async fn on_locked(page: &Page, fc: &FlowCtx, user_id: &str, factor: &str, until: Option<i64>, new: bool) -> PageResult {
    if new {
        notify_locked(page, user_id, factor).await;
    }
    locked_page(page, fc, factor, until)
}

async fn notify_locked(page: &Page, user_id: &str, factor: &str) {
    let tenant = &page.cw.issuer.tenant;
    let user = match page.state.users.get(tenant, user_id).await {
        Ok(Some(u)) => u,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(error = %e, "lock notice not sent");
            return;
        }
    };
    let (Some(to), true) = (user.email, user.email_verified) else {
        return;
    };
    let kind = crate::texts::MailKind::FactorLocked { factor: page.t.factor_label(factor) };
    let msg = page.voice().message(crate::delivery::Channel::Email, &to, tenant.as_str(), "mfa.locked", &kind);
    crate::identity::otp::send_later(page.state.delivery.clone(), msg);
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_factor(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    let Stage::Challenged { offer, enrol, .. } = &fc.flow.stage else {
        return Err(not_available(&page));
    };
    if offer.is_empty() {
        return Err(not_available(&page));
    }
    // One factor and recovery codes: that factor's page, which links to the recovery code.
    let main: Vec<&String> = offer.iter().filter(|f| *f != RECOVERY_CODE).collect();
    if let ([only], false, true) = (main.as_slice(), *enrol, offer.len() == 2) {
        let to = page_of(only, false);
        return Ok(crate::http::response::see_other(&flow_link(&page, &fc, to.flow_endpoint().unwrap_or("login"))));
    }
    let t = &page.t;
    let (heading, intro) = if *enrol { (&t.mfa_choice_enrol_title, &t.mfa_choice_enrol_intro) } else { (&t.mfa_choice_title, &t.mfa_choice_intro) };
    let view = FactorChoicePage {
        page: page.ctx(PageId::FactorChoice, heading),
        heading: heading.into(),
        intro: intro.into(),
        action: page.path(PageId::FactorChoice.as_str()),
        flow: fc.flow.id.clone(),
        csrf: fc.flow.csrf.clone(),
        options: offer.iter().map(|f| (f.clone(), t.factor_label(f).to_owned())).collect(),
    };
    Ok(page.render(StatusCode::OK, &view.page.nonce, &view))
}

/// The chosen factor (it must be one the flow offers or lets the user enrol).
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_factor(mut page: Page, body: web::Bytes) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    let factor = field(&body, "factor").unwrap_or_default();
    if fc.flow.challenged_user().is_none() || !(fc.flow.offers(&factor) || fc.flow.enrols(&factor)) {
        return Err(not_available(&page));
    }
    flow::advance(&page, fc.flow, &fc.client, Event::Chose { factor }).await
}

/// The lockout page of the flow's offered factors, for a browser that comes back to it:
/// the first locked one, else the flow's next page.
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_factor_locked(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    let (Some(user), Stage::Challenged { offer, .. }) = (fc.flow.challenged_user(), &fc.flow.stage) else {
        return Err(not_available(&page));
    };
    let ports = ports(&page);
    for f in offer {
        if let Some(until) = second::locked(&ports, &page.cw.issuer.tenant, user, f).await.or_page(&page)? {
            return locked_page(&page, &fc, f, until);
        }
    }
    Ok(crate::http::response::see_other(&flow_link(&page, &fc, PageId::FactorChoice.as_str())))
}
