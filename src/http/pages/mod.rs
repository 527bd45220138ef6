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
use super::workspace::{CurrentWorkspace, WorkspaceError, strings};
use crate::error::AppError;
use crate::state::AppState;
use crate::theme::Theme;
use crate::views::{PageCtx, PageId, Strings};

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
    /// The page language: Accept-Language, until a flow's `ui_locales` say otherwise.
    pub t: &'static Strings,
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
            Ok(Page { theme: crate::theme::resolve_over_builtin(&layers), t: strings(&req, &[]), browser: super::browser_digest(&req), ip, state, cw, req })
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
                Ok(())
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Switches the language to the first supported of `ui_locales` (then Accept-Language).
    pub fn speak(&mut self, ui_locales: &[String]) {
        self.t = strings(&self.req, ui_locales);
    }

    pub fn path(&self, endpoint: &str) -> String {
        self.cw.path(endpoint)
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        super::cookie_value(&self.req, name)
    }

    pub fn ctx(&self, id: PageId, title: &str) -> PageCtx {
        response::page_ctx(id, title, self.theme.clone(), self.t)
    }

    /// Renders a page template (whose `PageCtx` carries the CSP nonce).
    pub fn render(&self, status: StatusCode, nonce: &str, page: &impl Template) -> HttpResponse {
        response::render_themed(status, nonce, &self.theme, page)
    }

    /// A themed error page with this status, error code and message.
    pub fn error(&self, status: StatusCode, code: &str, message: &str) -> PageError {
        PageError(Box::new(Shown { status, code: code.into(), message: message.into(), theme: self.theme.clone(), t: self.t }))
    }

    /// 400 `invalid_request`, the answer to forms and links that are no longer valid.
    pub fn invalid(&self, message: &str) -> PageError {
        self.error(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    /// 400 with an OAuth error code, for a request that cannot be answered by redirect.
    pub fn invalid_as(&self, code: &str, message: &str) -> PageError {
        self.error(StatusCode::BAD_REQUEST, code, message)
    }

    /// An internal error: logged with a correlation id, shown with it only.
    pub fn fail(&self, err: AppError) -> PageError {
        let (status, code, message) = response::report(&err);
        self.error(status, code, &message)
    }
}

/// The one error of the page handlers: rendered as the themed error page.
pub struct PageError(Box<Shown>);

struct Shown {
    status: StatusCode,
    code: String,
    message: String,
    theme: Theme,
    t: &'static Strings,
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
        response::error_page(e.status, e.theme.clone(), e.t, &e.code, &e.message)
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
