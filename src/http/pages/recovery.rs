//! Recovery codes: the code entry (`recovery-code`), and the page after it or after a
//! first enrolment (`recovery-codes`: the new codes shown once, or how many are left after
//! one was used), whose "Continue" feeds the factor that passed to the flow.
//!
//! Who may do what: see `factor` (the guard). A passed factor waits for "Continue" as a
//! record in the session store under the flow's id, made only after the factor checked
//! out and taken exactly once (GETDEL) by the post of "Continue", which must come from the
//! flow's browser with its CSRF token and for the flow's challenged user; the flow must
//! still ask for (or let them enrol) that factor. The plain codes live there only until
//! "Continue" (sealed, bound to tenant, user and flow), and nowhere else.
use actix_web::web;
use serde::{Deserialize, Serialize};

use super::factor::{self, CodeEntry, code_page, ports, require};
use super::flow::{self, FlowCtx};
use super::{FlowQuery, OrPage, Page, PageError, PageResult};
use crate::auth::assurance::RECOVERY_CODE;
use crate::auth::factors::recovery::{self, RecoveryCode};
use crate::auth::second::{self, Outcome};
use crate::auth::Event;
use crate::storage::session::Kind;
use crate::views::{PageId, RecoveryCodesPage};

/// A factor that passed and waits for "Continue".
#[derive(Serialize, Deserialize)]
struct Passed {
    user_id: String,
    factor: String,
    /// The codes were just made (after a first enrolment): the page shows them.
    shows_codes: bool,
    /// The flow's step the factor passed at (`factor::stage_snapshot`): at any other step
    /// (the flow started over, or moved on) this record passes nothing.
    #[serde(default)]
    stage: String,
}

/// A download of the codes offered with them, once.
#[derive(Serialize, Deserialize)]
struct Download {
    user_id: String,
    sealed: String,
}

fn passed_key(fc: &FlowCtx) -> String {
    format!("pass:{}", fc.flow.id)
}

fn codes_key(fc: &FlowCtx) -> String {
    format!("codes:{}", fc.flow.id)
}

fn download_key(fc: &FlowCtx, token: &str) -> String {
    format!("codes-download:{}:{}", fc.flow.id, crate::crypto::hex(&crate::crypto::digest(token)))
}

/// How long the download offered with the codes stays available.
const DOWNLOAD_TTL: i64 = 10 * 60;

/// Forgets a passed factor waiting for "Continue": a factor's entry page was shown again,
/// so the flow asks anew (it started over, or the user went back).
pub async fn forget_waiting(page: &Page, fc: &FlowCtx) -> Result<(), PageError> {
    page.state.sessions.delete(Kind::SecondFactor, &passed_key(fc)).await.or_page(page)
}

fn codes_context(page: &Page, fc: &FlowCtx, user: &str) -> String {
    format!("recovery-pending|{}|{user}|{}", page.cw.issuer.tenant, fc.flow.id)
}

fn entry(page: &Page, error: Option<String>) -> CodeEntry<'_> {
    let t = &page.t;
    CodeEntry { id: PageId::RecoveryCode, factor: RECOVERY_CODE, heading: &t.mfa_recovery_title, intro: &t.mfa_recovery_intro, label: &t.mfa_recovery_label, numeric: false, maxlength: 24, error }
}

/// After `factor` was enrolled in this flow: when the user holds no recovery codes yet,
/// makes `recovery::COUNT`, keeps them (hashed in the credential store; in plain, sealed,
/// for this flow only) and sends the browser to `recovery-codes`, whose "Continue" feeds
/// `Passed { factor }`; otherwise feeds it at once. The caller has checked (and audited)
/// the enrolment.
pub async fn after_enrolment(page: &Page, fc: FlowCtx, factor: &str) -> PageResult {
    let Some(user) = fc.flow.challenged_user().map(str::to_owned) else {
        return Err(factor::not_available(page));
    };
    let (state, tenant) = (&page.state, &page.cw.issuer.tenant);
    if recovery::left(state.credentials.as_ref(), tenant, &user).await.or_page(page)? > 0 {
        return flow::advance(page, fc.flow, &fc.client, Event::Passed { user_id: user, factor: factor.to_owned() }).await;
    }
    let codes = recovery::create(state.credentials.as_ref(), tenant, &user, state.now()).await.or_page(page)?;
    let ports = ports(page);
    second::audit(&ports, tenant, &user, "mfa.recovery_codes.created", serde_json::json!({ "count": codes.len() })).await;
    let sealed = state.secrets.seal(codes.join("\n").as_bytes(), &codes_context(page, &fc, &user)).or_page(page)?;
    let ttl = state.config.ttl.flow;
    state.sessions.put(Kind::SecondFactor, &codes_key(&fc), &sealed, ttl).await.or_page(page)?;
    let waiting = Passed { user_id: user, factor: factor.to_owned(), shows_codes: true, stage: factor::stage_snapshot(&fc) };
    state.sessions.put(Kind::SecondFactor, &passed_key(&fc), &waiting, ttl).await.or_page(page)?;
    Ok(crate::http::response::see_other(&factor::flow_link(page, &fc, PageId::RecoveryCodes.as_str())))
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_recovery_code(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    require(&page, &fc, RECOVERY_CODE, false)?;
    forget_waiting(&page, &fc).await?;
    code_page(&page, &fc, entry(&page, None))
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_recovery_code(mut page: Page, body: web::Bytes) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    let user = require(&page, &fc, RECOVERY_CODE, false)?.to_owned();
    let code = crate::http::field(&body, "code").unwrap_or_default();
    match second::verify(&ports(&page), &RecoveryCode, &page.cw.issuer.tenant, &user, &code).await.or_page(&page)? {
        Outcome::Passed => {
            let waiting = Passed { user_id: user, factor: RECOVERY_CODE.into(), shows_codes: false, stage: factor::stage_snapshot(&fc) };
            page.state.sessions.put(Kind::SecondFactor, &passed_key(&fc), &waiting, page.state.config.ttl.flow).await.or_page(&page)?;
            Ok(crate::http::response::see_other(&factor::flow_link(&page, &fc, PageId::RecoveryCodes.as_str())))
        }
        Outcome::Wrong { left } => code_page(&page, &fc, entry(&page, Some(page.t.wrong_code(left)))),
        Outcome::Locked { until, new } => factor::on_locked(&page, &fc, &user, RECOVERY_CODE, until, new).await,
    }
}

/// The factor waiting for "Continue" in this flow, for its challenged user.
async fn waiting(page: &Page, fc: &FlowCtx, take: bool) -> Result<Passed, PageError> {
    let sessions = &page.state.sessions;
    let found = if take { sessions.consume::<Passed>(Kind::SecondFactor, &passed_key(fc)).await } else { sessions.get::<Passed>(Kind::SecondFactor, &passed_key(fc)).await };
    let p = found.or_page(page)?.ok_or_else(|| factor::not_available(page))?;
    let still_asked = fc.flow.offers(&p.factor) || fc.flow.enrols(&p.factor);
    let same_step = crate::crypto::ct_eq(p.stage.as_bytes(), factor::stage_snapshot(fc).as_bytes());
    if fc.flow.challenged_user() != Some(p.user_id.as_str()) || !still_asked || !same_step {
        return Err(factor::not_available(page));
    }
    Ok(p)
}

/// The new codes, shown once: taken (GETDEL) at the first view; a reload shows that they
/// were. With them, a download of them, offered once (a one-time token in a POST form:
/// the codes never sit in a URL, a history entry or a cache).
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_recovery_codes(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    let p = waiting(&page, &fc, false).await?;
    let (state, t) = (&page.state, page.t.clone());
    let mut codes: Vec<String> = vec![];
    let mut download = String::new();
    let sealed = if p.shows_codes { state.sessions.consume::<String>(Kind::SecondFactor, &codes_key(&fc)).await.or_page(&page)? } else { None };
    if let Some(sealed) = sealed {
        let plain = state.secrets.open(&sealed, &codes_context(&page, &fc, &p.user_id)).or_page(&page)?;
        codes = String::from_utf8_lossy(&plain).lines().map(str::to_owned).collect();
        download = crate::crypto::random_token(24);
        let offer = Download { user_id: p.user_id.clone(), sealed };
        state.sessions.put(Kind::SecondFactor, &download_key(&fc, &download), &offer, DOWNLOAD_TTL).await.or_page(&page)?;
    }
    let lines = if !p.shows_codes {
        let left = recovery::left(state.credentials.as_ref(), &page.cw.issuer.tenant, &p.user_id).await.or_page(&page)?;
        vec![t.recovery_codes_left(left), t.mfa_recovery_used_setup.to_owned()]
    } else if codes.is_empty() {
        vec![t.mfa_recovery_codes_shown.to_owned()]
    } else {
        vec![]
    };
    let title = if p.shows_codes { &t.mfa_recovery_codes_title } else { &t.mfa_recovery_used_title };
    let view = RecoveryCodesPage {
        page: page.ctx(PageId::RecoveryCodes, title),
        heading: title.into(),
        action: page.path(PageId::RecoveryCodes.as_str()),
        download_action: page.path(&format!("{}/download", PageId::RecoveryCodes.as_str())),
        flow: fc.flow.id.clone(),
        csrf: fc.flow.csrf.clone(),
        text: codes.join("\n"),
        codes,
        download,
        lines,
    };
    Ok(page.render(actix_web::http::StatusCode::OK, &view.page.nonce, &view))
}

/// The download offered with the codes: once, from the flow's browser with its CSRF
/// token, while the codes wait for "Continue"; an attachment nobody caches.
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_recovery_codes_download(mut page: Page, body: web::Bytes) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    let p = waiting(&page, &fc, false).await?;
    let token = crate::http::field(&body, "download").unwrap_or_default();
    if token.is_empty() || token.len() > 64 {
        return Err(page.invalid(&page.t.mfa_recovery_download_gone));
    }
    let offer = page.state.sessions.consume::<Download>(Kind::SecondFactor, &download_key(&fc, &token)).await.or_page(&page)?;
    let Some(offer) = offer.filter(|o| o.user_id == p.user_id) else {
        return Err(page.invalid(&page.t.mfa_recovery_download_gone));
    };
    let plain = page.state.secrets.open(&offer.sealed, &codes_context(&page, &fc, &p.user_id)).or_page(&page)?;
    let mut text = String::from_utf8_lossy(&plain).into_owned();
    text.push('\n');
    Ok(actix_web::HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{}\"", page.t.mfa_recovery_codes_file)))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(text))
}

/// "Continue": the waiting factor passes (once).
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_recovery_codes(mut page: Page, body: web::Bytes) -> PageResult {
    let fc = flow::posted(&mut page, &body).await?;
    let p = waiting(&page, &fc, true).await?;
    page.state.sessions.delete(Kind::SecondFactor, &codes_key(&fc)).await.or_page(&page)?;
    flow::advance(&page, fc.flow, &fc.client, Event::Passed { user_id: p.user_id, factor: p.factor }).await
}
