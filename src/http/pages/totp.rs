//! The authenticator-app pages: the code entry (`totp`) and the enrolment (`enrol-totp`:
//! QR code, `otpauth://` link, the secret, a code to confirm).
//!
//! Who may do what: see `factor` (the guard): `totp` only while the flow asks for it,
//! `enrol-totp` only while the flow lets the user enrol it and the user holds no
//! authenticator app yet. The seed being enrolled is kept server-side (sealed, in the
//! session store under the flow's id, for the flow's lifetime), never in the form, so
//! nobody can make a user enrol a seed they chose.
use actix_web::http::StatusCode;
use actix_web::web;
use async_trait::async_trait;

use super::factor::{self, CodeEntry, code_page, locked_page, ports, require};
use super::flow::{self, FlowCtx};
use super::{FlowQuery, OrPage, Page, PageResult};
use crate::auth::assurance::TOTP;
use crate::auth::factors::totp::{self, Totp};
use crate::auth::second::{self, Outcome, Ports, SecondFactor};
use crate::auth::Event;
use crate::error::AppError;
use crate::http::field;
use crate::model::TenantId;
use crate::storage::session::Kind;
use crate::views::{PageId, TotpEnrolPage};

fn entry(page: &Page, error: Option<String>) -> CodeEntry<'_> {
    let t = &page.t;
    CodeEntry { id: PageId::Totp, factor: TOTP, heading: &t.mfa_totp_title, intro: &t.mfa_totp_intro, label: &t.mfa_code_label, numeric: true, maxlength: 7, error }
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_totp(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    require(&page, &fc, TOTP, false)?;
    code_page(&page, &fc, entry(&page, None))
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_totp(mut page: Page, body: web::Bytes) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    let user = require(&page, &fc, TOTP, false)?.to_owned();
    let code = field(&body, "code").unwrap_or_default();
    match second::verify(&ports(&page), &Totp, &page.cw.issuer.tenant, &user, &code).await.or_page(&page)? {
        Outcome::Passed => flow::advance(&page, fc.flow, &fc.client, Event::Passed { user_id: user, factor: TOTP.into() }).await,
        Outcome::Wrong { left } => code_page(&page, &fc, entry(&page, Some(page.t.wrong_code(left)))),
        Outcome::Locked { until } => locked_page(&page, &fc, TOTP, until),
    }
}

fn pending_key(fc: &FlowCtx) -> String {
    format!("enrol-totp:{}", fc.flow.id)
}

/// The enrolment guard: the flow lets the user enrol TOTP, and, with fresh facts (the
/// user may have enrolled a factor in another browser since the flow was stored), the
/// engine still would (`flow::may_enrol`: they hold no second factor).
async fn enrolling(page: &Page, fc: &FlowCtx) -> Result<String, super::PageError> {
    let user = require(page, fc, TOTP, true)?.to_owned();
    if !flow::may_enrol(page, &fc.flow, &fc.client, TOTP).await? {
        return Err(factor::not_available(page));
    }
    Ok(user)
}

async fn enrol_page(page: &Page, fc: &FlowCtx, user: &str, seed: &[u8], error: Option<String>) -> PageResult {
    let account = page.state.users.get(&page.cw.issuer.tenant, user).await.or_page(page)?.map(|u| u.username).unwrap_or_default();
    let uri = totp::otpauth_uri(&page.theme.product_name, &account, seed).or_page(page)?;
    let secret = totp::base32(seed).or_page(page)?;
    let qr = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M).map_err(|e| page.fail(AppError::internal(format!("qr code: {e}"))))?;
    let svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    // Inline: the XML declaration has no place inside HTML.
    let svg = svg.find("<svg").map(|i| svg[i..].to_owned()).unwrap_or_default();
    let grouped = secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
    let t = &page.t;
    let view = TotpEnrolPage {
        page: page.ctx(PageId::TotpEnrol, &t.mfa_enrol_totp_title),
        action: page.path(PageId::TotpEnrol.as_str()),
        flow: fc.flow.id.clone(),
        csrf: fc.flow.csrf.clone(),
        qr_svg: svg,
        uri,
        secret,
        secret_grouped: grouped,
        error,
        links: enrol_alternatives(page, fc),
    };
    Ok(page.render(StatusCode::OK, &view.page.nonce, &view))
}

/// Another factor to enrol instead, when the flow offers more than one.
fn enrol_alternatives(page: &Page, fc: &FlowCtx) -> Vec<(String, String)> {
    match &fc.flow.stage {
        crate::auth::Stage::Challenged { offer, enrol: true, .. } if offer.len() > 1 => vec![(factor::flow_link(page, fc, PageId::FactorChoice.as_str()), page.t.mfa_use_other.to_owned())],
        _ => vec![],
    }
}

/// The seed being enrolled in this flow (made at the first view of the page).
async fn pending_seed(page: &Page, fc: &FlowCtx, user: &str, create: bool) -> Result<Option<Vec<u8>>, super::PageError> {
    let (state, tenant) = (&page.state, &page.cw.issuer.tenant);
    if let Some(sealed) = state.sessions.get::<String>(Kind::SecondFactor, &pending_key(fc)).await.or_page(page)? {
        return totp::open_pending(&state.secrets, tenant, user, &fc.flow.id, &sealed).map(Some).or_page(page);
    }
    if !create {
        return Ok(None);
    }
    let seed = totp::new_seed();
    let sealed = totp::seal_pending(&state.secrets, tenant, user, &fc.flow.id, &seed).or_page(page)?;
    state.sessions.put(Kind::SecondFactor, &pending_key(fc), &sealed, state.config.ttl.flow).await.or_page(page)?;
    Ok(Some(seed))
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_enrol_totp(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    let user = enrolling(&page, &fc).await?;
    let seed = pending_seed(&page, &fc, &user, true).await?.unwrap_or_default();
    enrol_page(&page, &fc, &user, &seed, None).await
}

/// Confirming the enrolment: a code of the pending seed, counted in the TOTP throttle.
struct Enrolment<'a> {
    seed: &'a [u8],
}

#[async_trait]
impl SecondFactor for Enrolment<'_> {
    fn name(&self) -> &'static str {
        TOTP
    }
    fn well_formed(&self, code: &str) -> bool {
        Totp.well_formed(code)
    }
    fn audit_action(&self) -> &'static str {
        "mfa.enrolled"
    }
    async fn check(&self, ports: &Ports<'_>, tenant: &TenantId, user_id: &str, code: &str) -> Result<bool, AppError> {
        totp::enrol(ports.credentials, ports.secrets, tenant, user_id, self.seed, code, ports.now).await
    }
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_enrol_totp(mut page: Page, body: web::Bytes) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    let user = enrolling(&page, &fc).await?;
    let Some(seed) = pending_seed(&page, &fc, &user, false).await? else {
        // No seed shown in this flow (expired, or a post without the page): show one.
        return Ok(crate::http::response::see_other(&factor::flow_link(&page, &fc, PageId::TotpEnrol.as_str())));
    };
    let code = field(&body, "code").unwrap_or_default();
    // `enrolling` re-checked with fresh facts just now; the credential is stored by the
    // check below once the code matches.
    match second::verify(&ports(&page), &Enrolment { seed: &seed }, &page.cw.issuer.tenant, &user, &code).await.or_page(&page)? {
        Outcome::Passed => {
            page.state.sessions.delete(Kind::SecondFactor, &pending_key(&fc)).await.or_page(&page)?;
            super::recovery::after_enrolment(&page, fc, TOTP).await
        }
        Outcome::Wrong { .. } => enrol_page(&page, &fc, &user, &seed, Some(page.t.mfa_enrol_wrong_code.to_owned())).await,
        Outcome::Locked { until } => locked_page(&page, &fc, TOTP, until),
    }
}
