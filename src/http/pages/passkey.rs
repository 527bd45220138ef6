//! The passkey pages of a flow and their ceremony endpoints: `passkey` (a passkey as the
//! second factor), `enrol-passkey` (creating one), and passwordless sign-in from the
//! sign-in page (its button and the browser's passkey autofill). The ceremony itself runs
//! in `static/js/passkey.js` against two JSON endpoints, both form posts with the flow id
//! and its CSRF token: `passkey/options` starts a ceremony, `passkey/finish` checks the
//! answer (`auth::factors::webauthn`) and answers where the browser goes next.
//!
//! Who may do what: only the browser that started the flow, with the flow's CSRF token
//! (`flow::posted`); the passkey page only while the flow asks for a passkey
//! (`Flow::offers`), the enrolment page and registration only while it lets the user
//! enrol one (`Flow::enrols`), a passwordless sign-in only where a first factor may be
//! passed (the sign-in page's stages). The engine checks the same again for every event.
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};

use super::flow::{self, FlowCtx};
use super::{FlowQuery, OrPage, Page, PageError, PageResult};
use crate::auth::assurance::WEBAUTHN;
use crate::auth::factors::webauthn::{self, Binding, Finished, Ports, Refusal};
use crate::auth::passkeys::Purpose;
use crate::auth::{Event, Flow, Stage};
use crate::http::field;
use crate::views::{PageId, PasskeyPage, PasskeyScript};

/// The ceremony endpoints and script for a page of this workspace.
pub fn script(page: &Page, purpose: Purpose) -> PasskeyScript {
    let purpose = match purpose {
        Purpose::Register => "register",
        Purpose::Authenticate => "authenticate",
        Purpose::Discover => "discover",
    };
    PasskeyScript { purpose, options_url: page.path("passkey/options"), finish_url: page.path("passkey/finish"), script_url: crate::http::assets::passkey_js_url() }
}

/// The sign-in page's passwordless passkey (button and autofill), where it can work: the
/// public URL has a domain name and one of the workspace's pools lists `webauthn`.
pub async fn passwordless(page: &Page) -> Result<Option<PasskeyScript>, PageError> {
    if !page.state.passkeys.available() {
        return Ok(None);
    }
    for pool in &page.cw.workspace.pools {
        let found = page.state.pools.pool(&page.cw.issuer.tenant, pool).await.or_page(page)?;
        if found.is_some_and(|p| p.settings.mfa.factors.iter().any(|f| f == WEBAUTHN)) {
            return Ok(Some(script(page, Purpose::Discover)));
        }
    }
    Ok(None)
}

/// Whether the user being challenged may enrol a passkey now: the flow lets them, and
/// fresh facts say they still hold no second factor (`flow::may_enrol`).
async fn may_enrol(page: &Page, fc: &FlowCtx) -> Result<bool, PageError> {
    Ok(fc.flow.enrols(WEBAUTHN) && flow::may_enrol(page, &fc.flow, &fc.client, WEBAUTHN).await?)
}

/// Whether the flow takes a passkey for `purpose` now, for `user` (the ceremony's user).
/// `enrol`: `may_enrol` answered yes.
fn permits(flow: &Flow, enrol: bool, purpose: Purpose, user: Option<&str>) -> bool {
    match purpose {
        Purpose::Register => enrol && user.is_some() && user == flow.challenged_user(),
        Purpose::Authenticate => flow.offers(WEBAUTHN) && user.is_some() && user == flow.challenged_user(),
        // Where the sign-in page is shown (and back from consent): a first factor.
        Purpose::Discover => matches!(flow.stage, Stage::Started | Stage::Identified { .. } | Stage::Authenticated(_)),
    }
}

fn not_now(page: &Page) -> PageError {
    page.invalid("Please sign in first.")
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_passkey(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    if !fc.flow.offers(WEBAUTHN) {
        return Err(not_now(&page));
    }
    let t = page.t.clone();
    show(&page, &fc, PageId::Passkey, (&t.passkey_title, &t.passkey_intro, &t.passkey_use), Purpose::Authenticate)
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_enrol_passkey(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let fc = flow::load(&mut page, q.into_inner().flow).await?;
    if !may_enrol(&page, &fc).await? {
        return Err(not_now(&page));
    }
    let t = page.t.clone();
    show(&page, &fc, PageId::PasskeyEnrol, (&t.passkey_enrol_title, &t.passkey_enrol_intro, &t.passkey_create), Purpose::Register)
}

fn show(page: &Page, fc: &FlowCtx, id: PageId, (heading, intro, button): (&str, &str, &str), purpose: Purpose) -> PageResult {
    let others = matches!(&fc.flow.stage, Stage::Challenged { offer, .. } if offer.iter().any(|o| o != WEBAUTHN));
    let view = PasskeyPage {
        page: page.ctx(id, heading),
        heading: heading.into(),
        intro: intro.into(),
        button: button.into(),
        flow: fc.flow.id.clone(),
        csrf: fc.flow.csrf.clone(),
        passkey: script(page, purpose),
        // The form fallback: the factor choice lists the flow's other factors.
        other_url: others.then(|| page.path(PageId::FactorChoice.as_str())),
    };
    Ok(crate::http::response::render_scripted(StatusCode::OK, &view.page.nonce, &page.theme, &view))
}

/// `POST passkey/options` (flow, csrf, purpose): starts a ceremony, answers
/// `{ceremony, options}` (the options for `navigator.credentials.create/get`).
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_options(mut page: Page, body: web::Bytes) -> HttpResponse {
    let fc = match flow::posted(&mut page, &body).await {
        Ok(fc) => fc,
        Err(e) => return json_error(&e),
    };
    let Some(purpose) = field(&body, "purpose").as_deref().and_then(Purpose::parse) else {
        return refusal(&page, StatusCode::BAD_REQUEST, Refusal::Refused);
    };
    let user = fc.flow.challenged_user();
    let enrol = match purpose {
        Purpose::Register => match may_enrol(&page, &fc).await {
            Ok(yes) => yes,
            Err(e) => return json_error(&e),
        },
        _ => false,
    };
    if !permits(&fc.flow, enrol, purpose, user) || !page.state.passkeys.available() {
        return refusal(&page, StatusCode::FORBIDDEN, Refusal::Refused);
    }
    let rp = match relying_party(&page) {
        Ok(rp) => rp,
        Err(e) => return json_error(&e),
    };
    match webauthn::begin(&ports(&page), &rp, &binding(&page, &fc.flow), purpose, user).await {
        Ok(Ok(started)) => crate::http::response::json_ok(&serde_json::json!({ "ceremony": started.ceremony, "options": started.options })),
        Ok(Err(r)) => refusal(&page, StatusCode::FORBIDDEN, r),
        Err(e) => json_error(&page.fail(e)),
    }
}

/// `POST passkey/finish` (flow, csrf, ceremony, credential): checks the answer and feeds
/// the flow; answers `{location}` (where the browser goes next, with any new session
/// cookie set on this response).
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_finish(mut page: Page, body: web::Bytes) -> HttpResponse {
    match finish(&mut page, &body).await {
        Ok(r) => r,
        Err(e) => json_error(&e),
    }
}

async fn finish(page: &mut Page, body: &[u8]) -> PageResult {
    let fc = flow::posted(page, body).await?;
    let rp = relying_party(page)?;
    let (ceremony, credential) = (field(body, "ceremony").unwrap_or_default(), field(body, "credential").unwrap_or_default());
    // Re-checked with fresh facts right before a passkey would be stored.
    let enrol = may_enrol(page, &fc).await?;
    let checked = webauthn::finish(&ports(page), &rp, &binding(page, &fc.flow), &ceremony, &credential, &|p, u| permits(&fc.flow, enrol, p, u)).await.or_page(page)?;
    let Finished { user_id, purpose } = match checked {
        Ok(f) => f,
        Err(r) => return Ok(refusal(page, StatusCode::FORBIDDEN, r)),
    };
    let resp = match purpose {
        // A first enrolment comes with recovery codes (shown once), then the flow goes on.
        Purpose::Register => super::recovery::after_enrolment(page, fc, WEBAUTHN).await?,
        Purpose::Authenticate | Purpose::Discover => flow::advance(page, fc.flow, &fc.client, Event::Passed { user_id, factor: WEBAUTHN.into() }).await?,
    };
    Ok(located(resp))
}

/// The redirect the engine answered, as JSON for the script: `{location}`, with the
/// response's cookies (a new session) kept.
fn located(resp: HttpResponse) -> HttpResponse {
    let Some(location) = resp.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned) else {
        return resp;
    };
    let mut out = crate::http::response::json_ok(&serde_json::json!({ "location": location }));
    for c in resp.headers().get_all(header::SET_COOKIE) {
        out.headers_mut().append(header::SET_COOKIE, c.clone());
    }
    out
}

fn refusal(page: &Page, status: StatusCode, r: Refusal) -> HttpResponse {
    let t = page.t.clone();
    let (code, message) = match r {
        Refusal::Expired => ("expired", &t.passkey_expired),
        Refusal::NoPasskey => ("no_passkey", &t.passkey_failed),
        Refusal::Refused => ("refused", &t.passkey_refused),
    };
    crate::http::response::no_store(HttpResponse::build(status)).json(serde_json::json!({ "error": code, "message": message }))
}

/// A page error (an invalid form or flow, an internal error) as JSON for the script.
fn json_error(e: &PageError) -> HttpResponse {
    let mut resp = crate::http::response::no_store(HttpResponse::build(e.0.status)).json(serde_json::json!({ "error": e.0.code, "message": e.0.message }));
    if e.0.status == StatusCode::SERVICE_UNAVAILABLE {
        resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    resp
}

fn relying_party(page: &Page) -> Result<std::sync::Arc<webauthn_rs::prelude::Webauthn>, PageError> {
    let ws = &page.cw.workspace;
    page.state.passkeys.of(&ws.tenant_id, &ws.id, &ws.name).or_page(page)
}

fn ports(page: &Page) -> Ports<'_> {
    let s = &page.state;
    Ports { users: s.users.as_ref(), pools: s.pools.as_ref(), credentials: s.credentials.as_ref(), sessions: &s.sessions, audit: s.audit.as_ref(), now: s.now() }
}

fn binding<'a>(page: &'a Page, flow: &'a Flow) -> Binding<'a> {
    Binding { tenant: &page.cw.issuer.tenant, workspace: &page.cw.issuer.workspace, pools: &page.cw.workspace.pools, flow_id: &flow.id, browser: &page.browser }
}
