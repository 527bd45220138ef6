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

use super::factor::{self, CodeEntry, code_page, ports, require};
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
    super::recovery::forget_waiting(&page, &fc).await?;
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
        Outcome::Locked { until, new } => factor::on_locked(&page, &fc, &user, TOTP, until, new).await,
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

/// A seed being enrolled: sealed, for the flow's step it was shown at.
#[derive(serde::Serialize, serde::Deserialize)]
struct Pending {
    sealed: String,
    stage: String,
}

/// The seed being enrolled in this flow, if one was shown at its current step and opens
/// for this user (a record of an earlier step, of another user after the flow started
/// over, or that does not open, counts as none). `take`: removed in the same step
/// (GETDEL), so that of concurrent confirmations one holds it.
async fn pending_seed(page: &Page, fc: &FlowCtx, user: &str, take: bool) -> Result<Option<Vec<u8>>, super::PageError> {
    let (state, tenant) = (&page.state, &page.cw.issuer.tenant);
    let sessions = &state.sessions;
    let found = if take { sessions.consume::<Pending>(Kind::SecondFactor, &pending_key(fc)).await } else { sessions.get::<Pending>(Kind::SecondFactor, &pending_key(fc)).await };
    let Some(p) = found.or_page(page)? else {
        return Ok(None);
    };
    if p.stage != factor::stage_snapshot(fc) {
        return Ok(None);
    }
    Ok(totp::open_pending(&state.secrets, tenant, user, &fc.flow.id, &p.sealed).ok())
}

/// Keeps `seed` as the one being enrolled at the flow's current step.
async fn keep_seed(page: &Page, fc: &FlowCtx, user: &str, seed: &[u8]) -> Result<(), super::PageError> {
    let (state, tenant) = (&page.state, &page.cw.issuer.tenant);
    let sealed = totp::seal_pending(&state.secrets, tenant, user, &fc.flow.id, seed).or_page(page)?;
    let pending = Pending { sealed, stage: factor::stage_snapshot(fc) };
    state.sessions.put(Kind::SecondFactor, &pending_key(fc), &pending, state.config.ttl.flow).await.or_page(page)
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_enrol_totp(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    let user = enrolling(&page, &fc).await?;
    let seed = match pending_seed(&page, &fc, &user, false).await? {
        Some(seed) => seed,
        None => {
            let seed = totp::new_seed();
            keep_seed(&page, &fc, &user, &seed).await?;
            seed
        }
    };
    enrol_page(&page, &fc, &user, &seed, None).await
}

/// Confirming the enrolment: a code of the pending seed, counted in the enrolment's own
/// throttle (`SecondFactor::throttle`).
struct Enrolment<'a> {
    seed: &'a [u8],
}

#[async_trait]
impl SecondFactor for Enrolment<'_> {
    fn name(&self) -> &'static str {
        TOTP
    }
    fn throttle(&self) -> &'static str {
        "totp-enrolment"
    }
    fn capped(&self) -> bool {
        false
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

/// The per-user claim an enrolment holds while it re-checks and stores: of concurrent
/// enrolments of one user (any flows, any nodes), one holds it.
fn claim_key(page: &Page, user: &str) -> String {
    crate::crypto::hex(&crate::crypto::digest(&format!("enrol|{}|{user}", page.cw.issuer.tenant)))
}

/// How long a claim lasts at most (a node that dies holding it frees it then).
const CLAIM_TTL: i64 = 60;

/// Confirms the enrolment. Atomic against concurrent confirmations: the pending seed is
/// taken (GETDEL) first, so in one flow one request holds it; the per-user claim is taken
/// next, so of several flows one goes on; that one re-checks with fresh facts
/// (`flow::may_enrol`: no second factor yet) after the claim, stores the TOTP beside
/// nothing (`Replace::Nothing`: it never deletes another's), and makes the recovery codes.
/// A loser changes nothing. A wrong code gives the seed back for another try.
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_enrol_totp(mut page: Page, body: web::Bytes) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    let user = enrolling(&page, &fc).await?;
    let Some(seed) = pending_seed(&page, &fc, &user, true).await? else {
        // No seed shown at this step (expired, taken by a concurrent confirmation, or a
        // post without the page): show one.
        return Ok(crate::http::response::see_other(&factor::flow_link(&page, &fc, PageId::TotpEnrol.as_str())));
    };
    let sessions = &page.state.sessions;
    let claim = claim_key(&page, &user);
    if sessions.incr(Kind::SecondFactor, &claim, CLAIM_TTL).await.or_page(&page)? != 1 {
        keep_seed(&page, &fc, &user, &seed).await?;
        return Err(factor::not_available(&page));
    }
    let outcome = confirm(&page, &fc, &user, &seed, &body).await;
    sessions.delete(Kind::SecondFactor, &claim).await.or_page(&page)?;
    match outcome? {
        Outcome::Passed => super::recovery::after_enrolment(&page, fc, TOTP).await,
        Outcome::Wrong { .. } => {
            keep_seed(&page, &fc, &user, &seed).await?;
            enrol_page(&page, &fc, &user, &seed, Some(page.t.mfa_enrol_wrong_code.to_owned())).await
        }
        Outcome::Locked { until, new } => {
            keep_seed(&page, &fc, &user, &seed).await?;
            factor::on_locked(&page, &fc, &user, TOTP, until, new).await
        }
    }
}

/// Within the claim: the fresh re-check, then the code (which stores the credential).
async fn confirm(page: &Page, fc: &FlowCtx, user: &str, seed: &[u8], body: &[u8]) -> Result<Outcome, super::PageError> {
    if !flow::may_enrol(page, &fc.flow, &fc.client, TOTP).await? {
        return Err(factor::not_available(page));
    }
    let code = field(body, "code").unwrap_or_default();
    second::verify(&ports(page), &Enrolment { seed }, &page.cw.issuer.tenant, user, &code).await.or_page(page)
}
