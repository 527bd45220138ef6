//! Self-registration and activation pages: the form is generated from the pool's payload
//! schema; a one-time code sent to the new address activates the account and signs the
//! user in to the flow that brought them here.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::login::{FlowCtx, load_flow, posted_flow, sign_in, with_client};
use super::response::{app_error_page, error_page, page_ctx, render, see_other};
use super::workspace::{CurrentWorkspace, strings};
use super::{field, pairs};
use crate::delivery::Channel;
use crate::identity::lifecycle::{self, Rejected, UserInput};
use crate::identity::otp::{self, Challenge, Origin, Purpose, Recipient, Verified};
use crate::identity::schema::{FieldError, FieldKind};
use crate::state::AppState;
use crate::storage::identity::{Activation, Identifier, Pool};
use crate::storage::UserStatus;
use crate::views::{CodePage, Field, NoticePage, RegisterPage, Strings};

/// The first of the workspace's pools that accepts self-registration.
pub async fn registration_pool(state: &AppState, cw: &CurrentWorkspace) -> Result<Option<Pool>, crate::error::AppError> {
    for p in &cw.workspace.pools {
        if let Some(pool) = state.identity.pool(&cw.issuer.tenant, p).await?
            && pool.settings.self_registration
        {
            return Ok(Some(pool));
        }
    }
    Ok(None)
}

/// Identifier inputs the pool needs: its identifier, plus the address activation uses.
fn identifier_fields(pool: &Pool) -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    let mut f = vec![];
    if pool.settings.identifier == Identifier::Username {
        f.push(("username", "Username", "text", "username"));
    }
    if pool.settings.identifier == Identifier::Email || pool.settings.activation == Activation::EmailOtp {
        f.push(("email", "Email address", "email", "email"));
    }
    if pool.settings.identifier == Identifier::Phone || pool.settings.activation == Activation::SmsOtp {
        f.push(("phone", "Phone number", "tel", "tel"));
    }
    f
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

async fn register_page(state: &AppState, cw: &CurrentWorkspace, t: &'static Strings, flow: &crate::auth::Flow, pool: &Pool, form: Form<'_>, status: StatusCode) -> HttpResponse {
    let payload = match lifecycle::load_schema(state, &pool.tenant_id, &pool.settings.payload_schema).await {
        Ok(s) => s,
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    let mut fields: Vec<Field> = identifier_fields(pool)
        .into_iter()
        .map(|(name, label, kind, autocomplete)| Field {
            name: name.into(),
            label: label.into(),
            kind,
            required: true,
            value: form.value(name),
            options: vec![],
            help: None,
            autocomplete,
            error: form.error(&format!("/{name}")),
        })
        .collect();
    let on_form = |name: &str| payload.source().pointer(&format!("/properties/{name}/{}", crate::identity::schema::REGISTER_KEYWORD)) != Some(&serde_json::Value::Bool(false));
    for f in payload.form_fields().into_iter().filter(|f| on_form(&f.name)) {
        fields.push(Field {
            value: form.value(&f.name),
            error: form.error(&format!("/payload/{}", f.name)),
            kind: input_type(f.kind),
            autocomplete: "off",
            name: f.name,
            label: f.label,
            required: f.required,
            options: f.options,
            help: f.help,
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
    let pool = match pool_or_404(&state, &cw, t).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    register_page(&state, &cw, t, &flow, &pool, Form { values: &[], errors: &[] }, StatusCode::OK).await
}

pub async fn post_register(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let FlowCtx { flow, t, .. } = match with_client(&state, &cw, &req, posted_flow(&state, &cw, &req, &body).await).await {
        Ok(c) => c,
        Err(resp) => return resp,
    };
    let pool = match pool_or_404(&state, &cw, t).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let values: Vec<(String, String)> = pairs(&body).filter(|(k, _)| k != "password" && k != "csrf").map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let payload_schema = match lifecycle::load_schema(&state, &pool.tenant_id, &pool.settings.payload_schema).await {
        Ok(s) => s,
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    let mut errors = vec![];
    let payload = payload_schema.from_form(&values).unwrap_or_else(|e| {
        errors.extend(lifecycle::prefixed("/payload", e));
        Default::default()
    });
    let input = UserInput {
        username: field(&body, "username"),
        email: field(&body, "email"),
        phone: field(&body, "phone"),
        password: Some(field(&body, "password").unwrap_or_default()),
        payload,
        ..Default::default()
    };
    let new_user = match lifecycle::prepare_new_user(&state, &pool, input, UserStatus::New).await {
        Ok(u) if errors.is_empty() => u,
        Ok(_) => return register_page(&state, &cw, t, &flow, &pool, Form { values: &values, errors: &errors }, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(Rejected::Invalid(e)) => {
            errors.extend(e);
            return register_page(&state, &cw, t, &flow, &pool, Form { values: &values, errors: &errors }, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(Rejected::App(e)) => return app_error_page(&e, cw.theme(), t),
    };
    let (channel, to) = match pool.settings.activation {
        Activation::EmailOtp => (Channel::Email, new_user.email.clone().unwrap_or_default()),
        Activation::SmsOtp => (Channel::Sms, new_user.phone.clone().unwrap_or_default()),
    };
    // An address that has an account already gets the same answer as a new one (no
    // enumeration); its owner is told by a message instead. A taken username cannot be
    // hidden: the user must choose another.
    let existing = match lifecycle::taken(&state, &pool, &new_user).await {
        Ok(e) => e,
        Err(e) => return app_error_page(&e, cw.theme(), t),
    };
    let user_id = match existing {
        Some(u) if pool.settings.identifier == Identifier::Username && u.username == new_user.username => {
            let errors = vec![lifecycle::fe("/username", "This username is taken; please choose another.")];
            return register_page(&state, &cw, t, &flow, &pool, Form { values: &values, errors: &errors }, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        // Never activated: whoever registered it first proved nothing, so the newest
        // registration replaces its password and profile, and the code goes out again.
        Some(mut u) if u.status == UserStatus::New && !u.email_verified && !u.phone_verified => {
            let now = state.now();
            u.claims = new_user.payload.clone();
            let saved = match state.identity.update_user(&u, now).await {
                Ok(()) => match &new_user.password_hash {
                    Some(h) => state.identity.import_password(&u.id, h, None, now).await,
                    None => Ok(()),
                },
                Err(e) => Err(e),
            };
            if let Err(e) = saved {
                return app_error_page(&e, cw.theme(), t);
            }
            Some(u.id)
        }
        Some(u) => {
            notify_existing(&state, &cw, channel, &to, &u.tenant_id);
            None
        }
        None => match state.identity.create_user(&new_user, state.now()).await {
            Ok(u) => {
                lifecycle::audit(&state, &u.tenant_id, &format!("user:{}", u.id), "user.registered", &u.id, serde_json::json!({ "pool": pool.id })).await;
                Some(u.id)
            }
            // Lost a race with a concurrent registration of the same address.
            Err(crate::error::AppError::Conflict(_)) => None,
            Err(e) => return app_error_page(&e, cw.theme(), t),
        },
    };
    let pages = cw.issuer.url.clone();
    let origin = Origin { tenant: &cw.issuer.tenant, workspace: &cw.issuer.workspace, pool: &pool.id, browser: &super::browser_digest(&req), flow: Some(&flow.id), pages: &pages };
    match Challenge::start(&state, Purpose::Activation, origin, Recipient { user_id: user_id.as_deref(), channel, to: &to }).await {
        Ok(c) => see_other(&format!("{}?challenge={}", cw.path("verify"), c.id)),
        Err(e) => app_error_page(&e, cw.theme(), t),
    }
}

fn notify_existing(state: &AppState, cw: &CurrentWorkspace, channel: Channel, to: &str, tenant: &str) {
    let msg = crate::delivery::Message {
        channel,
        to: to.into(),
        tenant: tenant.into(),
        purpose: "account_exists".into(),
        subject: "You already have an account".into(),
        text: format!("Someone tried to create an account with this address. You already have one: sign in, or reset your password at {}/reset.", cw.issuer.url),
        code: None,
        link: Some(format!("{}/reset", cw.issuer.url)),
    };
    otp::send_later(state.delivery.clone(), msg);
}

#[derive(serde::Deserialize)]
pub struct ChallengeQuery {
    pub challenge: Option<String>,
    pub code: Option<String>,
}

/// The challenge a page addresses: it must exist, be for this workspace and this browser.
pub async fn load_challenge(state: &AppState, cw: &CurrentWorkspace, req: &HttpRequest, t: &'static Strings, id: Option<String>, purpose: Purpose) -> Result<Challenge, HttpResponse> {
    let expired = || error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "This code has expired or was used too often. Please start again.");
    let c = match Challenge::load(state, &id.unwrap_or_default()).await {
        Ok(Some(c)) if c.tenant_id == cw.issuer.tenant && c.workspace_id == cw.issuer.workspace && c.purpose == purpose => c,
        Ok(_) => return Err(expired()),
        Err(e) => return Err(app_error_page(&e, cw.theme(), t)),
    };
    if !crate::storage::ct_eq(c.browser.as_bytes(), super::browser_digest(req).as_bytes()) {
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
        return Err(match c.resend(state).await {
            Ok(true) => code_page(cw, t, &shown, rules, view(vec![], Some("We sent a new code.".into()), StatusCode::OK)),
            Ok(false) => code_page(cw, t, &shown, rules, view(vec!["Too many codes were requested. Please wait an hour, or use the last code you received.".into()], None, StatusCode::TOO_MANY_REQUESTS)),
            Err(e) => app_error_page(&e, cw.theme(), t),
        });
    }
    let shown = c.clone();
    match c.verify(state, &field(body, "code").unwrap_or_default()).await {
        Ok(Verified::Ok(c)) => Ok(c),
        Ok(Verified::Wrong { left }) => Err(code_page(cw, t, &shown, rules, view(vec![format!("That code is not right. {left} attempts left.")], None, StatusCode::UNPROCESSABLE_ENTITY))),
        Ok(Verified::Locked) => Err(error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "This code has expired or was used too often. Please start again.")),
        Err(e) => Err(app_error_page(&e, cw.theme(), t)),
    }
}

pub async fn post_verify(state: web::Data<AppState>, cw: CurrentWorkspace, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let t = strings(&req, &[]);
    let c = match check_code(&state, &cw, &req, t, &body, Purpose::Activation, vec![]).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let user = match lifecycle::activate(&state, &c.tenant_id, c.user_id.as_deref().unwrap_or_default(), c.channel).await {
        Ok(Some(u)) => u,
        Ok(None) => return error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "This account cannot be activated."),
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
    match lifecycle::use_activation_link(&state, &field(&body, "token").unwrap_or_default()).await {
        Ok(Some(_)) => {
            let page = NoticePage { page: page_ctx("Account activated", cw.theme(), t), heading: "Account activated".into(), text: "Your account is ready. Return to the application to sign in.".into(), link: None };
            render(StatusCode::OK, &page.page.nonce, &page)
        }
        Ok(None) => error_page(StatusCode::BAD_REQUEST, cw.theme(), t, "invalid_request", "This activation link has expired or was used already."),
        Err(e) => app_error_page(&e, cw.theme(), t),
    }
}
