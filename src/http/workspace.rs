//! Resolves the tenant, workspace and issuer of a request once, as an extractor.
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use futures_util::future::LocalBoxFuture;

use super::response;
use crate::protocol::token::Issuer;
use crate::state::AppState;
use crate::storage::Workspace;
use crate::locale::{self, Preferences};

pub struct CurrentWorkspace {
    pub workspace: Workspace,
    pub issuer: Issuer,
}

impl CurrentWorkspace {
    /// The published theme layers of this workspace (and `client`), tenant first: what
    /// `theme::resolve_over_builtin` makes the page's theme of. Only pages need it, so the
    /// back-channel endpoints never pay for it.
    pub async fn theme_layers(&self, state: &AppState, client: Option<&str>) -> crate::storage::Result<Vec<crate::theme::ThemeSpec>> {
        crate::storage::themes::stack(state.themes.as_ref(), &self.issuer.tenant, &self.issuer.workspace, client).await
    }

    /// The workspace's default locale, when it sets one (`default_locale`).
    pub fn default_locale(&self) -> Option<&str> {
        self.workspace.default_locale.as_deref()
    }

    /// The tenant's mail sender, when it sets one (`mail_from`).
    pub fn mail_from(&self) -> Option<crate::delivery::Sender> {
        self.workspace.mail_from.clone()
    }

    /// Path of this workspace's endpoints, e.g. `/acme/shop/login`.
    pub fn path(&self, endpoint: &str) -> String {
        format!("/{}/{}/{endpoint}", self.issuer.tenant, self.issuer.workspace)
    }
    /// The cookie path that scopes single sign-on to this workspace.
    pub fn cookie_path(&self) -> String {
        format!("/{}/{}", self.issuer.tenant, self.issuer.workspace)
    }
}

/// Why no workspace could be resolved.
#[derive(Debug)]
pub enum WorkspaceError {
    NotFound,
    Unavailable(crate::error::AppError),
}

impl std::fmt::Display for WorkspaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("workspace not available")
    }
}

impl ResponseError for WorkspaceError {
    fn error_response(&self) -> HttpResponse {
        // No request here: English, the built-in default.
        let t = crate::texts::builtin(locale::LOCALES[0]);
        match self {
            WorkspaceError::NotFound => response::error_page(StatusCode::NOT_FOUND, response::default_theme(), t.clone(), "not_found", &t.not_found, ""),
            WorkspaceError::Unavailable(e) => response::app_error_page(e, response::default_theme(), t),
        }
    }
}

impl FromRequest for CurrentWorkspace {
    type Error = WorkspaceError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        // A tenant id enters the system here, from the URL path.
        let tenant = req.match_info().get("tenant").map(crate::model::TenantId::new);
        let ws = req.match_info().get("workspace").map(str::to_owned);
        Box::pin(async move {
            let (Some(state), Some(tenant), Some(ws)) = (state, tenant, ws) else {
                return Err(WorkspaceError::NotFound);
            };
            let workspace = state.directory.workspace(&tenant, &ws).await.map_err(WorkspaceError::Unavailable)?.ok_or(WorkspaceError::NotFound)?;
            let url = state.config.issuer(&tenant, &ws);
            Ok(CurrentWorkspace { workspace, issuer: Issuer { tenant, workspace: ws, url } })
        })
    }
}

/// The locale of a page: `ui_locales`, then the user's stored locale, then the browser's
/// Accept-Language, then the workspace default (`locale::negotiate`).
pub fn negotiate(req: &HttpRequest, ui_locales: &[String], user: Option<&str>, default: Option<&str>) -> &'static str {
    let accept_language = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    locale::negotiate(Preferences { ui_locales, user, accept_language, default })
}
