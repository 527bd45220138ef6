//! The studio's pages: the studio itself (`templates/studio.html`, its script and style
//! sheet from our origin, the script by the page's CSP nonce) and the short message pages
//! of signing in and out (`templates/studio_message.html`). Every text from the catalogue,
//! in the language the browser asks for (or the user's stored locale).
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::session::Record;
use crate::error::AppError;
use crate::model::TenantId;
use crate::state::AppState;
use crate::views::{PageId, Texts};

/// The studio's texts: the browser's Accept-Language, after the user's stored locale.
pub fn texts(req: &HttpRequest, user_locale: Option<&str>) -> Texts {
    crate::texts::builtin(crate::http::workspace::negotiate(req, &[], user_locale, None))
}

fn html(status: StatusCode, csp: String, body: Result<String, askama::Error>) -> HttpResponse {
    match body {
        Ok(html) => crate::http::response::no_store(HttpResponse::build(status))
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CONTENT_SECURITY_POLICY, csp))
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "studio template rendering failed");
            HttpResponse::InternalServerError().content_type("text/plain; charset=utf-8").body("Internal error")
        }
    }
}

/// A short page: a heading, a text, maybe a value to copy, a link, a sign-out button, or
/// moving on by itself.
#[derive(Template)]
#[template(path = "studio_message.html")]
pub struct Message {
    t: Texts,
    css_url: String,
    heading: String,
    text: String,
    code: Option<String>,
    /// A list under the text (what a preview refused).
    items: Vec<String>,
    link: Option<(String, String)>,
    /// A sign-out button: (form action, CSRF token).
    logout: Option<(String, String)>,
    refresh: Option<String>,
}

impl Message {
    pub fn new(heading: &str, text: &str) -> Self {
        Message {
            t: crate::texts::builtin("en"),
            css_url: super::style_url(),
            heading: heading.into(),
            text: text.into(),
            code: None,
            items: vec![],
            link: None,
            logout: None,
            refresh: None,
        }
    }
    pub fn code(mut self, code: &str) -> Self {
        self.code = Some(code.into());
        self
    }
    pub fn items(mut self, items: Vec<String>) -> Self {
        self.items = items;
        self
    }
    pub fn link(mut self, href: &str, label: &str) -> Self {
        self.link = Some((href.into(), label.into()));
        self
    }
    /// Moves on to `to` (a path of ours) as soon as the page has loaded.
    pub fn refresh(mut self, to: &str) -> Self {
        self.refresh = Some(to.into());
        self
    }
    pub fn render(mut self, status: StatusCode, t: &Texts) -> HttpResponse {
        self.t = t.clone();
        html(status, "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'".into(), Template::render(&self))
    }
}

/// What an internal error shows: the catalogue's message and a correlation id.
pub fn failure(err: &AppError, t: &Texts) -> HttpResponse {
    let r = crate::http::response::report(err, t);
    Message::new(&t.error_title, &r.message).code(&r.detail).render(r.status, t)
}

/// One layer the studio edits (`value`: the scope key, `tenant`, `workspace/{w}`,
/// `client/{w}/{c}`).
pub struct LayerOption {
    pub value: String,
    pub label: String,
    pub workspace: String,
    pub client: String,
}

#[derive(Template)]
#[template(path = "studio.html")]
pub struct StudioPage {
    t: Texts,
    nonce: String,
    css_url: String,
    js_url: String,
    /// `/{tenant}/studio`.
    base: String,
    csrf: String,
    tenant_name: String,
    username: String,
    layers: Vec<LayerOption>,
    /// Where the tenant's layer is previewed: the workspace the studio signed in through,
    /// unless one picks another of `workspaces` (id, name).
    preview_workspace: String,
    workspaces: Vec<(String, String)>,
    /// (page id, its title in the studio's language).
    pages: Vec<(&'static str, String)>,
    /// (locale, its name in the studio's language).
    locales: Vec<(&'static str, String)>,
    /// (colour variable, what it colours).
    colours: Vec<(&'static str, String)>,
    /// (font stack, its name).
    fonts: Vec<(&'static str, String)>,
    /// The image settings: (setting, label, accepted types).
    assets: Vec<(&'static str, String, &'static str)>,
    /// The texts the script shows, as JSON.
    script_texts: String,
}

/// The font stacks offered besides uploaded fonts: families every system has one of, so
/// nothing is loaded from elsewhere.
pub const FONT_STACKS: &[&str] = &[
    "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    "Helvetica Neue, Helvetica, Arial, sans-serif",
    "Avenir, Montserrat, Corbel, URW Gothic, sans-serif",
    "Optima, Candara, Noto Sans, sans-serif",
    "Charter, Bitstream Charter, Sitka Text, Cambria, serif",
    "Palatino Linotype, Palatino, URW Palladio L, P052, serif",
    "ui-monospace, Cascadia Code, Menlo, Consolas, monospace",
];

/// The title of each page in `t` (what the preview's page list shows).
pub fn page_title(t: &Texts, id: PageId) -> &String {
    match id {
        PageId::Login => &t.sign_in,
        PageId::Consent => &t.consent_title,
        PageId::Register => &t.register_title,
        PageId::Verify => &t.verify_title,
        PageId::Reset => &t.reset_title,
        PageId::ResetConfirm => &t.reset_confirm_title,
        PageId::Activate => &t.activate_title,
        PageId::Notice => &t.activated_title,
        PageId::Logout => &t.sign_out_title,
        PageId::LoggedOut => &t.signed_out,
        PageId::Error => &t.error_title,
        PageId::FactorChoice => &t.mfa_choice_title,
        PageId::Totp => &t.mfa_totp_title,
        PageId::EmailOtp => &t.email_otp_title,
        PageId::SmsOtp => &t.sms_otp_title,
        PageId::RecoveryCode => &t.mfa_recovery_title,
        PageId::TotpEnrol => &t.mfa_enrol_totp_title,
        PageId::RecoveryCodes => &t.mfa_recovery_codes_title,
        PageId::Passkey => &t.passkey_title,
        PageId::PasskeyEnrol => &t.passkey_enrol_title,
        PageId::FactorLocked => &t.mfa_locked_title,
    }
}

fn colour_label(t: &Texts, token: &str) -> String {
    match token {
        "--pc-color-primary" => &t.studio_color_primary,
        "--pc-color-primary-contrast" => &t.studio_color_primary_contrast,
        "--pc-color-background" => &t.studio_color_background,
        "--pc-color-surface" => &t.studio_color_surface,
        "--pc-color-text" => &t.studio_color_text,
        "--pc-color-muted" => &t.studio_color_muted,
        "--pc-color-error" => &t.studio_color_error,
        "--pc-color-border" => &t.studio_color_border,
        "--pc-color-link" => &t.studio_color_link,
        "--pc-color-success" => &t.studio_color_success,
        "--pc-color-warning" => &t.studio_color_warning,
        "--pc-color-info" => &t.studio_color_info,
        "--pc-color-focus" => &t.studio_color_focus,
        other => return other.to_owned(),
    }
    .clone()
}

fn locale_name(t: &Texts, lang: &str) -> String {
    match lang {
        "de" => &t.studio_locale_de,
        "fr" => &t.studio_locale_fr,
        "es" => &t.studio_locale_es,
        "ar" => &t.studio_locale_ar,
        _ => &t.studio_locale_en,
    }
    .clone()
}

/// The texts the script needs, by the names it uses.
fn script_texts(t: &Texts) -> String {
    serde_json::json!({
        "lang": t.lang,
        "saved": t.studio_saved,
        "published": t.studio_published,
        "discarded": t.studio_discarded,
        "restored": t.studio_restored,
        "uploaded": t.studio_uploaded,
        "problems": t.studio_problems,
        "failed": t.studio_failed,
        "sessionOver": t.studio_session_over,
        "confirmSwitch": t.studio_confirm_switch,
        "version": t.studio_version,
        "restore": t.studio_restore,
        "current": t.studio_current,
        "restores": t.studio_restores,
        "versionsNone": t.studio_versions_none,
        "statusDraft": t.studio_status_draft,
        "statusPublished": t.studio_status_published,
        "statusNew": t.studio_status_new,
        "unsaved": t.studio_unsaved,
        "textsNone": t.studio_texts_none,
        "inherited": t.studio_inherited,
        "reset": t.studio_reset,
        "remove": t.studio_remove,
    })
    .to_string()
}

/// The studio for a signed-in administrator of `tenant`.
pub async fn studio(state: &AppState, req: &HttpRequest, tenant: &TenantId, record: &Record) -> Result<HttpResponse, AppError> {
    let user = state.users.get(tenant, &record.user_id).await?;
    let t = texts(req, user.as_ref().and_then(|u| u.claims.get("locale")).and_then(|v| v.as_str()));
    let tenant_name = state.directory.tenant(tenant).await?.unwrap_or_else(|| tenant.to_string());
    let mut layers = vec![LayerOption { value: "tenant".into(), label: t.studio_layer_tenant.clone(), workspace: String::new(), client: String::new() }];
    let mut clients = vec![];
    let mut workspaces = vec![];
    for (ws, name, _) in state.directory.workspaces(tenant).await? {
        workspaces.push((ws.clone(), name.clone()));
        layers.push(LayerOption { value: format!("workspace/{ws}"), label: t.studio_layer_workspace(&name), workspace: ws.clone(), client: String::new() });
        for c in state.clients.clients(tenant, &ws).await? {
            let shown = if c.name.trim().is_empty() { c.client_id.clone() } else { c.name.clone() };
            clients.push(LayerOption { value: format!("client/{ws}/{}", c.client_id), label: t.studio_layer_client(&shown, &name), workspace: ws.clone(), client: c.client_id });
        }
    }
    layers.extend(clients);
    let origins = crate::theme::resolve_over_builtin(&crate::storage::themes::stack(state.themes.as_ref(), tenant, &record.workspace, None).await?).csp_origins();
    let fonts = [
        &t.studio_font_system,
        &t.studio_font_neo,
        &t.studio_font_geometric,
        &t.studio_font_humanist,
        &t.studio_font_serif,
        &t.studio_font_oldstyle,
        &t.studio_font_mono,
    ];
    let page = StudioPage {
        nonce: crate::crypto::random_token(16),
        css_url: super::style_url(),
        js_url: super::script_url(),
        base: format!("/{tenant}/studio"),
        csrf: record.csrf.clone(),
        tenant_name,
        username: user.map(|u| u.username).unwrap_or_default(),
        layers,
        preview_workspace: record.workspace.clone(),
        workspaces,
        pages: PageId::ALL.iter().map(|&p| (p.as_str(), page_title(&t, p).clone())).collect(),
        locales: crate::locale::LOCALES.iter().map(|&l| (l, locale_name(&t, l))).collect(),
        colours: crate::theme::COLOURS.iter().map(|&c| (c, colour_label(&t, c))).collect(),
        fonts: FONT_STACKS.iter().copied().zip(fonts.iter().map(|s| (*s).clone())).collect(),
        script_texts: script_texts(&t),
        assets: vec![
            ("logo_url", t.studio_logo.clone(), "image/png,image/webp,image/svg+xml"),
            ("favicon_url", t.studio_favicon.clone(), "image/png,image/svg+xml,image/x-icon,.ico"),
            ("background_image", t.studio_background.clone(), "image/png,image/webp,image/svg+xml"),
        ],
        t,
    };
    let csp = format!(
        "default-src 'none'; script-src 'nonce-{}'; style-src 'self'; img-src 'self' data:{origins}; font-src 'self'{origins}; connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        page.nonce
    );
    Ok(html(StatusCode::OK, csp, Template::render(&page)))
}
