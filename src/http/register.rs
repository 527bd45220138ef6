//! Self-registration and activation pages: the form is generated from the pool's payload
//! schema; a one-time code sent to the new address activates the account and signs the
//! user in to the flow that brought them here.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::client_ip::client_ip;
use super::login::{FlowCtx, load_flow, posted_flow, sign_in, with_client};
use super::pairs;
use super::response::{app_error_page, error_page, page_ctx, render, see_other};
use super::workspace::{CurrentWorkspace, strings};
use super::field;
use crate::identity::otp;
use crate::identity::lifecycle::{self, Rejected};
use crate::identity::otp::{Challenge, Checked, Origin, Purpose};
use crate::identity::registration::{self, Outcome, RegistrationForm};
use crate::identity::schema::{Compiled, FieldError, FieldKind};
use crate::state::AppState;
use crate::storage::identity::Pool;
use crate::views::{CodePage, Field, NoticePage, RegisterPage, Strings};

/// The first of the workspace's pools that accepts self-registration.
pub async fn registration_pool(state: &AppState, cw: &CurrentWorkspace) -> Result<Option<Pool>, crate::error::AppError> {
    for p in &cw.workspace.pools {
        if let Some(pool) = state.pools.pool(&cw.issuer.tenant, p).await?
            && pool.settings.self_registration
        {
            return Ok(Some(pool));
        }
    }
    Ok(None)
}

fn identifier_label(name: &str) -> &'static str {
    match name {
        "username" => "Username",
        "email" => "Email address",
        _ => "Phone number",
    }
}

fn input_type(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "text",
        FieldKind::Email => "email",
        FieldKind::Tel => "tel",
        FieldKind::Date => "date",
        FieldKind::Number | FieldKind::Integer => "number",
        FieldKind::Checkbox => "checkbox",
        FieldKind::Select => "select",
    }
}

struct Form<'a> {
    values: &'a [(String, String)],
    errors: &'a [FieldError],
}

impl Form<'_> {
    fn value(&self, name: &str) -> String {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    fn error(&self, pointer: &str) -> Option<String> {
        let m: Vec<&str> = self.errors.iter().filter(|e| e.pointer == pointer).map(|e| e.message.as_str()).collect();
        (!m.is_empty()).then(|| m.join(" "))
    }
}

fn register_page(cw: &CurrentWorkspace, t: &'static Strings, flow: &crate::auth::Flow, pool: &Pool, spec: &RegistrationForm, form: Form<'_>, status: StatusCode) -> HttpResponse {
    let mut fields: Vec<Field> = spec
        .identifiers
        .iter()
        .map(|i| Field {
            name: i.name.into(),
            label: identifier_label(i.name).into(),
            kind: i.kind,
            required: true,
            value: form.value(i.name),
            options: vec![],
            help: None,
            autocomplete: i.autocomplete,
            error: form.error(&format!("/{}", i.name)),
        })
        .collect();
    for f in &spec.payload {
        fields.push(Field {
            value: form.value(&f.name),
            error: form.error(&format!("/payload/{}", f.name)),
            kind: input_type(f.kind),
            autocomplete: "off",
            name: f.name.clone(),
            label: f.label.clone(),
            required: f.required,
            options: f.options.clone(),
            help: f.help.clone(),
        });
    }
    let placed = |p: &str| p == "/password" || fields.iter().any(|f| p == format!("/{}", f.name) || p == format!("/payload/{}", f.name));
    let page = RegisterPage {
        page: page_ctx("Create your account", cw.theme(), t),
        action: cw.path("register"),
        flow: flow.id.clone(),
        csrf: flow.csrf.clone(),
        password_rules: pool.settings.password_policy.describe(),
        password_error: form.errors.iter().filter(|e| e.pointer == "/password").map(|e| e.message.clone()).collect(),
        errors: form.errors.iter().filter(|e| !placed(&e.pointer)).map(|e| format!("{} {}", e.pointer.trim_start_matches('/'), e.message)).collect(),
        fields,
        login_url: format!("{}?flow={}", cw.path("login"), flow.id),
    };
    render(status, &page.page.nonce, &page)
}

/// The registration pool of the workspace with its compiled payload schema and form.
async fn registration_form(state: &AppState, cw: &CurrentWorkspace, t: &'static Strings) -> Result<(Pool, Compiled, RegistrationForm), HttpResponse> {
    let pool = pool_or_404(state, cw, t).await?;
    let schema = lifecycle::load_schema(&state.lifecycle(), &pool.tenant_id, &pool.settings.payload_schema).await.map_err(|e| app_error_page(&e, cw.theme(), t))?;
    let form = RegistrationForm::of(&pool, &schema);
    Ok((pool, schema, form))
}

#[derive(serde::Deserialize)]
pub struct FlowQuery {
    flow: Option<String>,
}

async fn pool_or_404(state: &AppState, cw: &CurrentWorkspace, t: &'static Strings) -> Result<Pool, HttpResponse> {
    match registration_pool(state, cw).await {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(error_page(StatusCode::NOT_FOUND, cw.theme(), t, "not_found", "This application does not offer registration.")),
        Err(e) => Err(app_error_page(&e, cw.theme(), t)),
    }
}

pub async fn get_register(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, q: web::Query<FlowQuery>) -> HttpResponse {
    let FlowCtx { flow, t, .. } = match with_client(&state, &cw, &req, load_flow(&state, &cw, &req, q.into_inner().flow).await).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    match registration_form(&state, &cw, t).await {
        Ok((pool, _, spec)) => register_page(&cw, t, &flow, &pool, &spec, Form { values: &[], errors: &[] }, StatusCode::OK),
        Err(r) => r,
    }
}

pub async fn post_register(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let FlowCtx { flow, t, .. } = match with_client(&state, &cw, &req, posted_flow(&state, &cw, &req, &body).await).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let (pool, schema, spec) = match registration_form(&state, &cw, t).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let posted: Vec<(String, String)> = pairs(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    // The form is the contract: a field it does not show was not sent by it.
    if spec.unexpected(&posted).is_some() {
        return error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "The form could not be verified. Please start again.");
    }
    let shown: Vec<(String, String)> = posted.iter().filter(|(k, _)| k != "password" && k != "csrf").cloned().collect();
    let pages = cw.issuer.url.clone();
    let browser = super::browser_digest(&req);
    let origin = Origin { tenant: &cw.issuer.tenant, workspace: &cw.issuer.workspace, pool: &pool.id, browser: &browser, flow: Some(&flow.id), pages: &pages };
    let ip = client_ip(&req, &state.config.trusted_proxies);
    match registration::register(&state, &spec, &schema, registration::Request { pool: &pool, posted: &posted, origin, ip: &ip }).await {
        Ok(Outcome::Started(c)) => see_other(&format!("{}?challenge={}", cw.path("verify"), c.id)),
        Ok(Outcome::Limited) => {
            let errors = vec![lifecycle::fe("", t.too_many_codes)];
            register_page(&cw, t, &flow, &pool, &spec, Form { values: &shown, errors: &errors }, StatusCode::TOO_MANY_REQUESTS)
        }
        Err(Rejected::Invalid(errors)) => register_page(&cw, t, &flow, &pool, &spec, Form { values: &shown, errors: &errors }, StatusCode::UNPROCESSABLE_ENTITY),
        Err(Rejected::App(e)) => app_error_page(&e, cw.theme(), t),
    }
}

#[derive(serde::Deserialize)]
pub struct ChallengeQuery {
    pub challenge: Option<String>,
    pub code: Option<String>,
}

/// The challenge a page addresses: it must exist, be for this workspace and this browser.
pub async fn load_challenge(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, t: &'static Strings, id: Option<String>, purpose: Purpose) -> Result<Challenge, HttpResponse> {
    let expired = || code_expired(cw, t);
    let c = match Challenge::load(state, &id.unwrap_or_default()).await {
        Ok(Some(c)) if c.tenant_id == cw.issuer.tenant && c.workspace_id == cw.issuer.workspace && c.purpose == purpose => c,
        Ok(_) => return Err(expired()),
        Err(e) => return Err(app_error_page(&e, cw.theme(), t)),
    };
    if !crate::crypto::ct_eq(c.browser.as_bytes(), super::browser_digest(req).as_bytes()) {
        return Err(expired());
    }
    Ok(c)
}

pub struct CodeView {
    pub errors: Vec<String>,
    pub notice: Option<String>,
    pub code: String,
    pub status: StatusCode,
}

pub fn code_page(cw: &CurrentWorkspace, t: &'static Strings, c: &Challenge, rules: Vec<String>, v: CodeView) -> HttpResponse {
    let (heading, action, new_password) = match c.purpose {
        Purpose::Activation => ("Confirm your address", cw.path("verify"), false),
        Purpose::Reset => ("Choose a new password", cw.path("reset/confirm"), true),
    };
    let page = CodePage {
        page: page_ctx(heading, cw.theme(), t),
        heading: heading.into(),
        intro: format!("If {} belongs to an account here, we sent a 6-digit code to it. It expires in {} minutes.", otp::mask(&c.to), otp::CODE_TTL / 60),
        action,
        challenge: c.id.clone(),
        csrf: c.csrf.clone(),
        code: v.code,
        new_password,
        password_rules: rules,
        errors: v.errors,
        notice: v.notice,
    };
    render(v.status, &page.page.nonce, &page)
}

pub async fn get_verify(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, q: web::Query<ChallengeQuery>) -> HttpResponse {
    let t = strings(&req, &[]);
    let q = q.into_inner();
    match load_challenge(&state, &cw, &req, t, q.challenge, Purpose::Activation).await {
        Ok(c) => code_page(&cw, t, &c, vec![], CodeView { errors: vec![], notice: None, code: q.code.unwrap_or_default(), status: StatusCode::OK }),
        Err(r) => r,
    }
}

/// Answers a posted code form: a resend, or a code check. `Ok` carries the spent challenge.
pub async fn check_code(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, t: &'static Strings, body: &[u8], purpose: Purpose, rules: Vec<String>) -> Result<Box<Challenge>, HttpResponse> {
    let c = load_challenge(state, cw, req, t, field(body, "challenge"), purpose).await?;
    if !c.accepts(&super::browser_digest(req), &field(body, "csrf").unwrap_or_default()) {
        return Err(error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "The form could not be verified. Please start again."));
    }
    let view = |errors: Vec<String>, notice: Option<String>, status| CodeView { errors, notice, code: String::new(), status };
    if field(body, "resend").is_some() {
        let shown = c.clone();
        let ip = client_ip(req, &state.config.trusted_proxies);
        return Err(match c.resend(state, &ip).await {
            Ok(true) => code_page(cw, t, &shown, rules, view(vec![], Some("We sent a new code.".into()), StatusCode::OK)),
            Ok(false) => code_page(cw, t, &shown, rules, view(vec!["Too many codes were requested. Please wait an hour, or use the last code you received.".into()], None, StatusCode::TOO_MANY_REQUESTS)),
            Err(e) => app_error_page(&e, cw.theme(), t),
        });
    }
    match c.check(state, &field(body, "code").unwrap_or_default(), &client_ip(req, &state.config.trusted_proxies)).await {
        Ok(Checked::Right) => Ok(Box::new(c)),
        Ok(Checked::Wrong { left }) => Err(code_page(cw, t, &c, rules, view(vec![format!("That code is not right. {left} attempts left.")], None, StatusCode::UNPROCESSABLE_ENTITY))),
        Ok(Checked::Locked) => Err(code_expired(cw, t)),
        Err(e) => Err(app_error_page(&e, cw.theme(), t)),
    }
}

/// The answer to a challenge that is gone, spent, locked or superseded: one page for all.
pub fn code_expired(cw: &CurrentWorkspace, t: &'static Strings) -> HttpResponse {
    error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "This code has expired or was used too often. Please start again.")
}

/// Spends a challenge whose code `check_code` found right; of two concurrent uses, one wins.
pub async fn spend(state: &AppState, cw: &CurrentWorkspace, t: &'static Strings, c: Challenge) -> Result<Challenge, HttpResponse> {
    match c.spend(state).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(code_expired(cw, t)),
        Err(e) => Err(app_error_page(&e, cw.theme(), t)),
    }
}

pub async fn post_verify(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let t = strings(&req, &[]);
    let c = match check_code(&state, &cw, &req, t, &body, Purpose::Activation, vec![]).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let c = match spend(&state, &cw, t, *c).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let user = match registration::activate(&state, &c).await {
        Ok(Ok(u)) => u,
        Ok(Err(_)) => return code_expired(&cw, t),
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    // Back to the application that sent the user here, signed in.
    if let Some(flow_id) = c.flow.clone()
        && let Ok(FlowCtx { flow, t, client }) = with_client(&state, &cw, &req, load_flow(&state, &cw, &req, Some(flow_id)).await).await
    {
        return sign_in(&state, &cw, &req, t, flow, &client, &user).await;
    }
    let page = NoticePage { page: page_ctx("Account activated", cw.theme(), t), heading: "Account activated".into(), text: "Your account is ready. Return to the application to sign in.".into(), link: None };
    render(StatusCode::OK, &page.page.nonce, &page)
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// The page an activation link opens. Activation itself is a POST, so that mail scanners
/// that fetch links do not spend it.
pub async fn get_activate(cw: CurrentWorkspace, req: HttpRequest, q: web::Query<TokenQuery>) -> HttpResponse {
    let t = strings(&req, &[]);
    let token = q.into_inner().token.filter(|t| t.len() <= 64).unwrap_or_default();
    let page = crate::views::ActivatePage { page: page_ctx("Activate your account", cw.theme(), t), action: cw.path("activate"), token };
    render(StatusCode::OK, &page.page.nonce, &page)
}

pub async fn post_activate(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let t = strings(&req, &[]);
    match lifecycle::use_activation_link(&state.lifecycle(), &field(&body, "token").unwrap_or_default()).await {
        Ok(Some(_)) => {
            let page = NoticePage { page: page_ctx("Account activated", cw.theme(), t), heading: "Account activated".into(), text: "Your account is ready. Return to the application to sign in.".into(), link: None };
            render(StatusCode::OK, &page.page.nonce, &page)
        }
        Ok(None) => error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "This activation link has expired or was used already."),
        Err(e) => app_error_page(&e, cw.theme(), t),
    }
}
