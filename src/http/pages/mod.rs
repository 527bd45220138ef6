//! The hosted pages: sign-in, consent, registration, codes, password reset, logout and
//! the authorization endpoint that starts them.
//!
//! Every handler takes a `Page` (workspace, theme, language, browser id, client IP,
//! resolved once per request) and returns `PageResult`: `?` turns any failure into a
//! `PageError`, which renders the themed error page (internal errors with a correlation
//! id, never their details). Handlers only map outcomes of the core (`auth::Engine`,
//! `identity::{registration, recovery}`) to pages and redirects; flow plumbing shared by
//! the pages lives in `flow`.
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;
use futures_util::future::LocalBoxFuture;

use super::response;
use super::workspace::{self as ws, CurrentWorkspace, WorkspaceError};
use crate::error::AppError;
use crate::state::AppState;
use crate::theme::Theme;
use crate::views::{PageCtx, PageId, Texts};

pub mod authorize;
pub mod code;
pub mod factor;
pub mod flow;
pub mod login;
pub mod logout;
pub mod otp_factor;
pub mod passkey;
pub mod recovery;
pub mod register;
pub mod reset;
pub mod totp;

/// What every page request resolves first.
pub struct Page {
    pub state: web::Data<AppState>,
    pub cw: CurrentWorkspace,
    pub theme: Theme,
    /// The page's texts: in the negotiated locale (`speak`), with the theme's overrides.
    pub t: Texts,
    /// The flow's `ui_locales`, once known.
    ui_locales: Vec<String>,
    /// The signed-in user's stored `locale` claim, once known.
    user_locale: Option<String>,
    /// Digest of the browser-id cookie ("" without one): what flows and forms are bound to.
    pub browser: String,
    pub ip: String,
    pub req: HttpRequest,
}

pub type PageResult = Result<HttpResponse, PageError>;

impl FromRequest for Page {
    type Error = WorkspaceError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let cw = CurrentWorkspace::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let cw = cw.await?;
            let state = req.app_data::<web::Data<AppState>>().cloned().ok_or(WorkspaceError::NotFound)?;
            let ip = super::client_ip::client_ip(&req, &state.config.trusted_proxies);
            let layers = cw.theme_layers(&state, None).await.map_err(WorkspaceError::Unavailable)?;
            let theme = crate::theme::resolve_over_builtin(&layers);
            let mut page = Page { theme, t: crate::texts::builtin("en"), ui_locales: vec![], user_locale: None, browser: super::browser_digest(&req), ip, state, cw, req };
            page.relocale();
            Ok(page)
        })
    }
}

impl Page {
    /// Themes the page for the flow's client: its layer over the workspace's (DESIGN.md
    /// "Themes": built-in → tenant → workspace → client).
    pub async fn theme_for_client(&mut self, client_id: &str) -> Result<(), PageError> {
        match self.cw.theme_layers(&self.state, Some(client_id)).await {
            Ok(layers) => {
                self.theme = crate::theme::resolve_over_builtin(&layers);
                // The client's layer may override texts.
                self.relocale();
                Ok(())
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Switches the language to the first supported of `ui_locales` (then the user's
    /// locale, Accept-Language, the workspace default).
    pub fn speak(&mut self, ui_locales: &[String]) {
        self.ui_locales = ui_locales.to_vec();
        self.relocale();
    }

    /// The signed-in user's stored locale (their `locale` claim) joins the negotiation.
    pub fn speak_for_user(&mut self, locale: Option<&str>) {
        self.user_locale = locale.map(str::to_owned);
        self.relocale();
    }

    /// The page's locale tag, e.g. for messages it causes.
    pub fn locale(&self) -> &'static str {
        self.t.lang
    }

    /// How messages this page causes speak: its locale, the tenant's sender (signed with
    /// the sender's name, else the theme's product name).
    pub fn voice(&self) -> crate::identity::otp::Voice {
        let from = self.cw.mail_from();
        let signature = from.as_ref().map_or_else(|| self.theme.product_name.clone(), |s| s.name.clone());
        crate::identity::otp::Voice { locale: self.locale().into(), from, signature }
    }

    fn relocale(&mut self) {
        let lang = ws::negotiate(&self.req, &self.ui_locales, self.user_locale.as_deref(), self.cw.default_locale());
        self.t = self.theme.strings(lang);
    }

    pub fn path(&self, endpoint: &str) -> String {
        self.cw.path(endpoint)
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        super::cookie_value(&self.req, name)
    }

    pub fn ctx(&self, id: PageId, title: &str) -> PageCtx {
        response::page_ctx(id, title, self.theme.clone(), self.t.clone())
    }

    /// Renders a page template (whose `PageCtx` carries the CSP nonce).
    pub fn render(&self, status: StatusCode, nonce: &str, page: &impl Template) -> HttpResponse {
        response::render_themed(status, nonce, &self.theme, page)
    }

    /// A themed error page with this status, error code and message (a catalogue text:
    /// `&page.t.…`).
    pub fn error(&self, status: StatusCode, code: &str, message: &str) -> PageError {
        self.error_with(status, code, message, "")
    }

    fn error_with(&self, status: StatusCode, code: &str, message: &str, detail: &str) -> PageError {
        PageError(Box::new(Shown { status, code: code.into(), message: message.into(), detail: detail.into(), theme: self.theme.clone(), t: self.t.clone() }))
    }

    /// 400 `invalid_request`, the answer to forms and links that are no longer valid;
    /// `message` is a catalogue text.
    pub fn invalid(&self, message: &str) -> PageError {
        self.error(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    /// 400 with an OAuth error code, for a request that cannot be answered by redirect:
    /// the user reads that the application sent a bad request; the code and the protocol
    /// description go under "Technical details" (and the log).
    pub fn invalid_as(&self, code: &str, description: &str) -> PageError {
        tracing::info!(error = code, description, "request refused on a page");
        self.error_with(StatusCode::BAD_REQUEST, code, &self.t.bad_request, description)
    }

    /// An internal error: logged with a correlation id, shown with it only.
    pub fn fail(&self, err: AppError) -> PageError {
        let r = response::report(&err, &self.t);
        self.error_with(r.status, r.code, &r.message, &r.detail)
    }
}

/// The one error of the page handlers: rendered as the themed error page.
pub struct PageError(Box<Shown>);

struct Shown {
    status: StatusCode,
    code: String,
    message: String,
    detail: String,
    theme: Theme,
    t: Texts,
}

impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageError").field("status", &self.0.status).field("code", &self.0.code).finish_non_exhaustive()
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "page error {} {}", self.0.status.as_u16(), self.0.code)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.0.status
    }

    fn error_response(&self) -> HttpResponse {
        let e = &self.0;
        response::error_page(e.status, e.theme.clone(), e.t.clone(), &e.code, &e.message, &e.detail)
    }
}

/// `?` for core results in page handlers: `.or_page(&page)?`.
pub trait OrPage<T> {
    fn or_page(self, page: &Page) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, page: &Page) -> Result<T, PageError> {
        self.map_err(|e| page.fail(e))
    }
}

#[derive(serde::Deserialize)]
pub struct FlowQuery {
    pub flow: Option<String>,
}
