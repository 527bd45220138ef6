//! Self-registration and activation pages: the form is generated from the pool's payload
//! schema; a one-time code sent to the new address activates the account and signs the
//! user in to the flow that brought them here. The rules live in
//! `identity::registration`; these handlers map its outcomes to pages.
use actix_web::http::StatusCode;
use actix_web::web;

use super::code::{ChallengeQuery, CodeView, check_code, code_expired, code_page, load_challenge, spend};
use super::flow::{self, FlowCtx};
use super::{FlowQuery, OrPage, Page, PageError, PageResult};
use crate::auth::Event;
use crate::auth::factors::{Factor, password::Password};
use crate::http::{field, pairs};
use crate::identity::lifecycle::{self, Rejected};
use crate::identity::otp::{Origin, Purpose};
use crate::identity::registration::{self, Outcome, RegistrationForm};
use crate::identity::schema::{Compiled, FieldError, FieldKind};
use crate::storage::identity::Pool;
use crate::views::{ActivatePage, Field, NoticePage, PageId, RegisterPage, Strings};

fn identifier_label<'t>(t: &'t Strings, name: &str) -> &'t str {
    match name {
        "username" => &t.label_username,
        "email" => &t.label_email,
        _ => &t.label_phone,
    }
}

/// The label of a profile field: a standard claim whose schema keeps the built-in title
/// gets the catalogue's label in the page's language; a title the pool's schema sets is
/// the tenant's own text and shown as written.
fn claim_label(t: &Strings, name: &str, title: &str) -> String {
    let en = crate::texts::builtin("en");
    let pick = |s: fn(&Strings) -> &String| if title == s(&en) || title == builtin_title(name) { s(t).clone() } else { title.to_owned() };
    match name {
        "given_name" => pick(|t| &t.claim_given_name),
        "family_name" => pick(|t| &t.claim_family_name),
        "middle_name" => pick(|t| &t.claim_middle_name),
        "nickname" => pick(|t| &t.claim_nickname),
        "preferred_username" => pick(|t| &t.claim_preferred_username),
        "birthdate" => pick(|t| &t.claim_birthdate),
        "gender" => pick(|t| &t.claim_gender),
        "zoneinfo" => pick(|t| &t.claim_zoneinfo),
        "locale" => pick(|t| &t.claim_locale),
        "website" => pick(|t| &t.claim_website),
        "profile" => pick(|t| &t.claim_profile),
        "picture" => pick(|t| &t.claim_picture),
        _ => title.to_owned(),
    }
}

/// The English titles of the built-in profile schema (`identity::schema`).
fn builtin_title(name: &str) -> &'static str {
    match name {
        "given_name" => "Given name",
        "family_name" => "Family name",
        "middle_name" => "Middle name",
        "nickname" => "Nickname",
        "preferred_username" => "Preferred username",
        "birthdate" => "Date of birth",
        "gender" => "Gender",
        "zoneinfo" => "Time zone",
        "locale" => "Locale",
        "website" => "Website",
        "profile" => "Profile page",
        "picture" => "Picture",
        _ => "",
    }
}

/// What the page says about a refused field: the core's messages are English and meant
/// for the admin API, so the page names the kind of problem in its own language.
fn field_message(t: &Strings, e: &FieldError) -> String {
    let m = e.message.to_ascii_lowercase();
    if m.contains("taken") {
        t.field_taken.clone()
    } else if m.contains("required") {
        t.field_required.clone()
    } else {
        t.field_invalid.clone()
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

/// The values and errors a form is shown with.
struct Form<'a> {
    values: &'a [(String, String)],
    errors: &'a [FieldError],
    /// The posted password (never shown again): its rules are checked to say which it missed.
    password: &'a str,
}

impl Form<'_> {
    fn value(&self, name: &str) -> String {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    fn error(&self, t: &Strings, pointer: &str) -> Option<String> {
        let mut m: Vec<String> = self.errors.iter().filter(|e| e.pointer == pointer).map(|e| field_message(t, e)).collect();
        m.dedup();
        (!m.is_empty()).then(|| m.join(" "))
    }
}

fn fields(t: &Strings, spec: &RegistrationForm, form: &Form<'_>) -> Vec<Field> {
    let ids = spec.identifiers.iter().map(|i| Field {
        name: i.name.into(),
        label: identifier_label(t, i.name).into(),
        kind: i.kind,
        required: true,
        value: form.value(i.name),
        options: vec![],
        help: None,
        autocomplete: i.autocomplete,
        error: form.error(t, &format!("/{}", i.name)),
    });
    let payload = spec.payload.iter().map(|f| Field {
        value: form.value(&f.name),
        error: form.error(t, &format!("/payload/{}", f.name)),
        kind: input_type(f.kind),
        autocomplete: "off",
        name: f.name.clone(),
        label: claim_label(t, &f.name, &f.label),
        required: f.required,
        options: f.options.clone(),
        help: f.help.clone(),
    });
    ids.chain(payload).collect()
}

/// The registration form of a flow, with `form`'s values and errors.
struct Registration<'a> {
    flow: &'a crate::auth::Flow,
    pool: &'a Pool,
    spec: &'a RegistrationForm,
}

/// What the page says about a refused password: that it missed the rules, and which (the
/// policy checked again on the posted values, for the rule ids the core's messages lack).
fn password_error(t: &Strings, policy: &crate::model::PasswordPolicy, form: &Form<'_>) -> Vec<String> {
    if !form.errors.iter().any(|e| e.pointer == "/password") {
        return vec![];
    }
    let ids: Vec<String> = ["username", "email", "phone"].iter().map(|n| form.value(n)).filter(|v| !v.is_empty()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let missed = policy.check(form.password, &ids);
    std::iter::once(t.password_invalid.clone()).chain(missed.iter().map(|v| crate::texts::unmet_rule(t, v.rule, policy))).collect()
}

fn register_page(page: &Page, r: &Registration<'_>, form: Form<'_>, status: StatusCode) -> PageResult {
    let t = &page.t;
    let fields = fields(t, r.spec, &form);
    // Errors without a field of their own are listed above the form.
    let placed = |p: &str| p == "/password" || fields.iter().any(|f| p == format!("/{}", f.name) || p == format!("/payload/{}", f.name));
    let view = RegisterPage {
        page: page.ctx(PageId::Register, &t.register_title),
        action: page.path("register"),
        flow: r.flow.id.clone(),
        csrf: r.flow.csrf.clone(),
        password_rules: crate::texts::password_rules(t, &r.pool.settings.password_policy),
        password_error: password_error(t, &r.pool.settings.password_policy, &form),
        // Errors of the page itself (pointer "") carry catalogue texts already.
        errors: form.errors.iter().filter(|e| !placed(&e.pointer)).map(|e| if e.pointer.is_empty() { e.message.clone() } else { t.form_problem.clone() }).collect(),
        fields,
        login_url: format!("{}?flow={}", page.path("login"), r.flow.id),
    };
    Ok(page.render_with_script(status, &view.page.nonce, &view))
}

/// The registration pool of the workspace with its compiled payload schema and form.
async fn registration_form(page: &Page) -> Result<(Pool, Compiled, RegistrationForm), PageError> {
    let pool = registration::pool_for(&page.state.lifecycle(), &page.cw.issuer.tenant, &page.cw.workspace.pools).await.or_page(page)?;
    let pool = pool.ok_or_else(|| page.error(StatusCode::NOT_FOUND, "not_found", &page.t.no_registration))?;
    let schema = lifecycle::load_schema(&page.state.lifecycle(), &pool.tenant_id, &pool.settings.payload_schema).await.or_page(page)?;
    let form = RegistrationForm::of(&pool, &schema);
    Ok((pool, schema, form))
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_register(mut page: Page, q: web::Query<FlowQuery>) -> PageResult {
    let FlowCtx { flow, .. } = flow::load(&mut page, q.into_inner().flow).await?;
    let (pool, _, spec) = registration_form(&page).await?;
    register_page(&page, &Registration { flow: &flow, pool: &pool, spec: &spec }, Form { values: &[], errors: &[], password: "" }, StatusCode::OK)
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_register(mut page: Page, body: web::Bytes) -> PageResult {
    let FlowCtx { flow, .. } = flow::posted(&mut page, &body).await?;
    let (pool, schema, spec) = registration_form(&page).await?;
    let posted: Vec<(String, String)> = pairs(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    // The form is the contract: a field it does not show was not sent by it.
    if spec.unexpected(&posted).is_some() {
        return Err(page.invalid(&page.t.form_expired));
    }
    let shown: Vec<(String, String)> = posted.iter().filter(|(k, _)| k != "password" && k != "csrf").cloned().collect();
    let password = field(&body, "password").unwrap_or_default();
    let pages = page.cw.issuer.url.clone();
    let voice = page.voice();
    let origin = Origin { tenant: &page.cw.issuer.tenant, workspace: &page.cw.issuer.workspace, pool: &pool.id, browser: &page.browser, flow: Some(&flow.id), pages: &pages, voice: &voice };
    let r = Registration { flow: &flow, pool: &pool, spec: &spec };
    match registration::register(&page.state.lifecycle(), &spec, &schema, registration::Request { pool: &pool, posted: &posted, origin, ip: &page.ip }).await {
        Ok(Outcome::Started(c)) => Ok(crate::http::response::see_other(&format!("{}?challenge={}", page.path("verify"), c.id))),
        Ok(Outcome::Limited) => {
            let errors = vec![lifecycle::fe("", &page.t.too_many_codes)];
            register_page(&page, &r, Form { values: &shown, errors: &errors, password: &password }, StatusCode::TOO_MANY_REQUESTS)
        }
        Err(Rejected::Invalid(errors)) => register_page(&page, &r, Form { values: &shown, errors: &errors, password: &password }, StatusCode::UNPROCESSABLE_ENTITY),
        Err(Rejected::App(e)) => Err(page.fail(e)),
    }
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_verify(mut page: Page, q: web::Query<ChallengeQuery>) -> PageResult {
    let q = q.into_inner();
    let c = load_challenge(&mut page, q.challenge, Purpose::Activation).await?;
    code_page(&page, &c, vec![], CodeView::empty(q.code.unwrap_or_default()))
}

fn activated(page: &Page) -> PageResult {
    let t = &page.t;
    let view = NoticePage { page: page.ctx(PageId::Notice, &t.activated_title), heading: t.activated_title.clone(), text: t.activated_text.clone(), link: None };
    Ok(page.render(StatusCode::OK, &view.page.nonce, &view))
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_verify(mut page: Page, body: web::Bytes) -> PageResult {
    let c = match check_code(&mut page, &body, Purpose::Activation, vec![]).await? {
        Ok(c) => spend(&page, *c).await?,
        Err(resp) => return Ok(resp),
    };
    let Ok(user) = registration::activate(&page.state.lifecycle(), &c).await.or_page(&page)? else {
        return Err(code_expired(&page));
    };
    // Back to the application that sent the user here, signed in: the password was set
    // at registration and the code proved the address, so the session is a password one
    // (as before the engine: amr `pwd`).
    if let Some(flow_id) = c.flow.clone()
        && let Ok(FlowCtx { flow, client }) = flow::load(&mut page, Some(flow_id)).await
    {
        return flow::advance(&page, flow, &client, Event::Passed { user_id: user.id, factor: Password.name().into() }).await;
    }
    activated(&page)
}

#[derive(serde::Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// The page an activation link opens. Activation itself is a POST, so that mail scanners
/// that fetch links do not spend it.
#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn get_activate(page: Page, q: web::Query<TokenQuery>) -> PageResult {
    let token = q.into_inner().token.filter(|t| t.len() <= 64).unwrap_or_default();
    let view = ActivatePage { page: page.ctx(PageId::Activate, &page.t.activate_title), action: page.path("activate"), token };
    Ok(page.render(StatusCode::OK, &view.page.nonce, &view))
}

#[tracing::instrument(skip_all, fields(tenant = %page.cw.issuer.tenant, workspace = %page.cw.issuer.workspace, client_id = tracing::field::Empty))]
pub async fn post_activate(page: Page, body: web::Bytes) -> PageResult {
    match lifecycle::use_activation_link(&page.state.lifecycle(), &field(&body, "token").unwrap_or_default()).await.or_page(&page)? {
        Some(_) => activated(&page),
        None => Err(page.invalid(&page.t.activation_link_expired)),
    }
}
