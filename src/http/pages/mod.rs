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
use std::sync::Arc;

use super::response;
use super::workspace::{self as ws, CurrentWorkspace, WorkspaceError};
use crate::error::AppError;
use crate::state::AppState;
use crate::theme::Theme;
use crate::theme_cache::Resolved;
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
    /// The page's theme, from the node's cache (`theme_cache`): the workspace's, then the
    /// flow's client's once known.
    pub theme: Arc<Resolved>,
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
    /// The flow's application, once known: error pages lead back to it.
    pub app: Option<App>,
}

/// The application a page is shown for, as users know it.
#[derive(Debug, Clone)]
pub struct App {
    /// Its display name ([`app_name`]).
    pub name: String,
    /// Its web origin (`https://shop.example/`), from its first web redirect URI; `None`
    /// for a native app (a private-use scheme), which no link can return to.
    pub home: Option<String>,
}

/// What users read as an application's name. A client registered without a name stores
/// its `client_id` as its name (provisioning, admin API), and an id like `shop-web` is not
/// meant for people: then the workspace's name stands in (when it has one of its own),
/// else the theme's product name. Only where that is harmless (the sign-in heading, the
/// way back from an error page); consent and logout use [`recipient_name`].
pub fn app_name(client_name: &str, client_id: &str, cw: &CurrentWorkspace, theme: &Theme) -> String {
    if !client_name.is_empty() && client_name != client_id {
        client_name.to_owned()
    } else if !cw.workspace.name.is_empty() && cw.workspace.name != cw.workspace.id {
        cw.workspace.name.clone()
    } else {
        theme.product_name.clone()
    }
}

/// What consent and logout call the application that asks: its display name, and for a
/// client without one a neutral catalogue phrase ("An application registered with ACME
/// Shop", or "An application" when the workspace has no name of its own), never the
/// workspace's or the product's name as if the application were theirs (who receives the
/// data, or asks for the sign-out, must not be misstated), and never its `client_id`.
pub fn recipient_name(client_name: &str, client_id: &str, cw: &CurrentWorkspace, t: &Texts) -> String {
    if !client_name.is_empty() && client_name != client_id {
        client_name.to_owned()
    } else if !cw.workspace.name.is_empty() && cw.workspace.name != cw.workspace.id {
        t.unnamed_app_of(cw.workspace.name.as_str())
    } else {
        t.unnamed_app.clone()
    }
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
            let theme = state.theme_cache.page_theme(&cw.issuer.tenant, &cw.issuer.workspace, None).await.map_err(WorkspaceError::Unavailable)?;
            let mut page = Page { theme, t: crate::texts::builtin("en"), ui_locales: vec![], user_locale: None, browser: super::browser_digest(&req), ip, state, cw, req, app: None };
            page.relocale();
            Ok(page)
        })
    }
}

impl Page {
    /// Themes the page for the flow's client: its layer over the workspace's (DESIGN.md
    /// "Themes": built-in → tenant → workspace → client).
    pub async fn theme_for_client(&mut self, client_id: &str) -> Result<(), PageError> {
        match self.state.theme_cache.page_theme(&self.cw.issuer.tenant, &self.cw.issuer.workspace, Some(client_id)).await {
            Ok(theme) => {
                self.theme = theme;
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
    /// the sender's name, else the theme's product name), the page's theme (colours, logo,
    /// text overrides).
    pub fn voice(&self) -> crate::identity::otp::Voice {
        crate::identity::otp::Voice::themed(self.locale(), self.cw.mail_from(), &self.theme, self.state.config.public_url.as_str())
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
        let mut ctx = response::page_ctx(id, title, Theme::clone(&self.theme), self.t.clone());
        ctx.links = self.cw.workspace.links.clone();
        ctx
    }

    /// Renders a page template (whose `PageCtx` carries the CSP nonce).
    pub fn render(&self, status: StatusCode, nonce: &str, page: &impl Template) -> HttpResponse {
        response::render_themed(status, nonce, &self.theme, page)
    }

    /// Renders a page that loads one of our scripts (the show-password toggle), allowed by
    /// the page's nonce; the page works the same without it.
    pub fn render_with_script(&self, status: StatusCode, nonce: &str, page: &impl Template) -> HttpResponse {
        response::render_scripted(status, nonce, &self.theme, page)
    }

    /// The application of the flow (`flow::load`): its name and home.
    pub fn set_app(&mut self, client: &crate::storage::Client) {
        let name = app_name(&client.name, &client.client_id, &self.cw, &self.theme);
        let home = client.redirect_uris.iter().find_map(|u| crate::storage::web_origin(u)).map(|o| format!("{o}/"));
        self.app = Some(App { name, home });
    }

    /// How the workspace's pools name accounts at sign-in: the identifier field's label
    /// and input type (`email`, `tel`, `text`). Pools by email or phone number take only
    /// that; a pool by username (or a mix) takes a username or an email address.
    pub async fn identifier_field(&self) -> Result<(String, &'static str), PageError> {
        use crate::storage::identity::Identifier;
        let mut kinds = std::collections::BTreeSet::new();
        for p in &self.cw.workspace.pools {
            if let Some(pool) = self.state.pools.pool(&self.cw.issuer.tenant, p).await.or_page(self)? {
                kinds.insert(match pool.settings.identifier {
                    Identifier::Email => 0,
                    Identifier::Phone => 1,
                    Identifier::Username => 2,
                });
            }
        }
        let t = &self.t;
        Ok(match kinds.into_iter().collect::<Vec<_>>().as_slice() {
            [0] => (t.label_email.clone(), "email"),
            [1] => (t.label_phone.clone(), "tel"),
            [0, 1] => (t.label_email_or_phone.clone(), "text"),
            _ => (t.username_or_email.clone(), "text"),
        })
    }

    /// A themed error page with this status, error code and message (a catalogue text:
    /// `&page.t.…`).
    pub fn error(&self, status: StatusCode, code: &str, message: &str) -> PageError {
        self.error_with(status, code, message, "")
    }

    fn error_with(&self, status: StatusCode, code: &str, message: &str, detail: &str) -> PageError {
        // Back to the application, when the page knows it and it has a web home.
        let back = self.app.as_ref().and_then(|a| a.home.as_ref().map(|h| (h.clone(), self.t.back_to_app(a.name.as_str()))));
        PageError(Box::new(Shown { status, code: code.into(), message: message.into(), detail: detail.into(), theme: Theme::clone(&self.theme), t: self.t.clone(), back, links: self.cw.workspace.links.clone() }))
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
    back: Option<(String, String)>,
    links: crate::storage::WorkspaceLinks,
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
        let title = e.t.error_title.clone();
        let mut page = response::page_ctx(PageId::Error, &title, e.theme.clone(), e.t.clone());
        page.links = e.links.clone();
        let view = crate::views::ErrorPage {
            page,
            code: e.code.clone(),
            message: e.message.clone(),
            detail: e.detail.clone(),
            back: e.back.clone(),
        };
        response::render_themed(e.status, &view.page.nonce, &e.theme, &view)
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
