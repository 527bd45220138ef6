//! The one place where errors and pages become HTTP responses.
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, HttpResponseBuilder};
use askama::Template;

use crate::error::AppError;
use crate::protocol::{ErrorCode, OAuthError};
use crate::crypto::random_token;
use crate::theme::{self, Theme};
use crate::views::{ErrorPage, PageCtx, PageId, Texts};

/// JSON bodies of the protocol endpoints carry tokens or token metadata: never cached
/// (RFC 6749 §5.1).
pub fn no_store(mut b: HttpResponseBuilder) -> HttpResponseBuilder {
    b.insert_header((header::CACHE_CONTROL, "no-store")).insert_header((header::PRAGMA, "no-cache"));
    b
}

pub fn json_ok(body: &impl serde::Serialize) -> HttpResponse {
    no_store(HttpResponse::Ok()).json(body)
}

/// RFC 6749 §5.2. `basic`: the client tried HTTP Basic, so a 401 MUST carry
/// `WWW-Authenticate` with the scheme it used.
pub fn oauth_error(err: &OAuthError, basic: bool) -> HttpResponse {
    let status = StatusCode::from_u16(err.error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut b = no_store(HttpResponse::build(status));
    if status == StatusCode::UNAUTHORIZED && basic {
        b.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"portcullis\""));
    }
    if err.error == ErrorCode::TemporarilyUnavailable {
        b.insert_header((header::RETRY_AFTER, "5"));
    }
    b.json(err)
}

/// RFC 6750 §3: errors of a protected resource go in `WWW-Authenticate: Bearer`.
pub fn bearer_error(err: &OAuthError) -> HttpResponse {
    let status = StatusCode::from_u16(err.error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut value = format!("Bearer realm=\"portcullis\", error=\"{}\"", err.error.as_str());
    if let Some(d) = &err.error_description {
        value.push_str(&format!(", error_description=\"{d}\""));
    }
    let mut b = no_store(HttpResponse::build(status));
    if let Ok(v) = HeaderValue::from_str(&value) {
        b.insert_header((header::WWW_AUTHENTICATE, v));
    }
    b.json(err)
}

/// Authorization responses use 302 Found (RFC 6749 §4.1.2 example).
pub fn found(location: &str) -> HttpResponse {
    no_store(HttpResponse::Found()).insert_header((header::LOCATION, location)).finish()
}

/// A 303 See Other: the browser follows with GET, whatever method it used.
pub fn see_other(location: &str) -> HttpResponse {
    no_store(HttpResponse::SeeOther()).insert_header((header::LOCATION, location)).finish()
}

/// Page context of page `id` for `theme` in the language `t`.
pub fn page_ctx(id: PageId, title: &str, theme: Theme, t: Texts) -> PageCtx {
    PageCtx { id, title: title.to_owned(), theme, t, nonce: random_token(16), css: super::assets::app_css_hash(), links: Default::default() }
}

/// Renders a page with its CSP: the inline theme style is allowed by nonce only; images
/// and fonts come from our own origin only.
pub fn render(status: StatusCode, nonce: &str, page: &impl Template) -> HttpResponse {
    render_with(status, nonce, page, "", "", None)
}

/// Renders a page that runs a passkey ceremony: besides what `render` allows, the script
/// carrying the page's nonce, and its requests to this origin (the ceremony endpoints).
/// Themed like `render_themed`.
pub fn render_scripted(status: StatusCode, nonce: &str, theme: &Theme, page: &impl Template) -> HttpResponse {
    render_with(status, nonce, page, &format!("script-src 'nonce-{nonce}'; connect-src 'self'; "), &theme.csp_origins(), Some(theme))
}

/// Renders a page with the CSP its theme needs: images and fonts from our own origin and
/// the origins the tenant's theme allows (`allowed_origins`, https only), nothing else.
/// No `unsafe-inline` anywhere: the one inline style carries the nonce. A theme's page
/// frame, if it has one, goes around the page (`theme::frame`).
pub fn render_themed(status: StatusCode, nonce: &str, theme: &Theme, page: &impl Template) -> HttpResponse {
    render_with(status, nonce, page, "", &theme.csp_origins(), Some(theme))
}

fn render_with(status: StatusCode, nonce: &str, page: &impl Template, scripts: &str, origins: &str, theme: Option<&Theme>) -> HttpResponse {
    match page.render().map(|html| match theme {
        Some(t) => t.framed(html),
        None => html,
    }) {
        Ok(html) => no_store(HttpResponse::build(status))
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                format!("default-src 'none'; {scripts}style-src 'self' 'nonce-{nonce}'; img-src 'self' data:{origins}; font-src 'self'{origins}; frame-ancestors 'none'; base-uri 'none'"),
            ))
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            HttpResponse::InternalServerError().content_type("text/plain; charset=utf-8").body("Internal error")
        }
    }
}

/// The themed error page: `message` (a catalogue text) for the user, the error `code` and
/// `detail` under "Technical details".
pub fn error_page(status: StatusCode, theme: Theme, t: Texts, code: &str, message: &str, detail: &str) -> HttpResponse {
    let origins = theme.csp_origins();
    let framed = theme.clone();
    let title = t.error_title.clone();
    let page = ErrorPage { page: page_ctx(PageId::Error, &title, theme, t), code: code.to_owned(), message: message.to_owned(), detail: detail.to_owned(), back: None };
    render_with(status, &page.page.nonce.clone(), &page, "", &origins, Some(&framed))
}

/// What a page shows for an internal error: status, error code, the message in the
/// language of `t` and the correlation id (as detail), never the error's details.
pub struct Reported {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub detail: String,
}

/// Logs an internal error with a new correlation id and says what a page shows for it.
pub fn report(err: &AppError, t: &crate::texts::Strings) -> Reported {
    let id = crate::error::report(err);
    let detail = t.error_reference(id.to_string());
    if err.is_unavailable() {
        Reported { status: StatusCode::SERVICE_UNAVAILABLE, code: "temporarily_unavailable", message: t.unavailable.clone(), detail }
    } else {
        Reported { status: StatusCode::INTERNAL_SERVER_ERROR, code: "server_error", message: t.internal_error.clone(), detail }
    }
}

/// An internal error shown in the browser: a correlation id, never the details.
pub fn app_error_page(err: &AppError, theme: Theme, t: Texts) -> HttpResponse {
    let r = report(err, &t);
    error_page(r.status, theme, t, r.code, &r.message, &r.detail)
}

/// The default theme, for pages outside any workspace.
pub fn default_theme() -> Theme {
    theme::resolve(&[theme::builtin()])
}
