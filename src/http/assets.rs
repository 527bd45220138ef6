//! Static assets compiled into the binary, served with a content hash for caching.
use actix_web::{HttpResponse, http::header, web};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

const APP_CSS: &str = include_str!("../../static/css/app.css");
const LOGO_SVG: &str = include_str!("../../static/img/logo.svg");
/// The passkey pages' script (the only JavaScript of the hosted pages).
const PASSKEY_JS: &str = include_str!("../../static/js/passkey.js");

static APP_CSS_HASH: LazyLock<String> = LazyLock::new(|| crate::crypto::hex(&Sha256::digest(APP_CSS.as_bytes())[..8]));

pub fn app_css_hash() -> &'static str {
    &APP_CSS_HASH
}

static PASSKEY_JS_HASH: LazyLock<String> = LazyLock::new(|| crate::crypto::hex(&Sha256::digest(PASSKEY_JS.as_bytes())[..8]));

/// The URL of the passkey script, with its content hash for cache busting.
pub fn passkey_js_url() -> String {
    format!("/static/js/passkey.js?v={}", *PASSKEY_JS_HASH)
}

fn asset(content_type: &'static str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(body)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    use super::get;
    cfg.service(web::resource("/static/css/app.css").route(get().to(|| async { asset("text/css; charset=utf-8", APP_CSS) })))
        .service(web::resource("/static/img/logo.svg").route(get().to(|| async { asset("image/svg+xml", LOGO_SVG) })))
        .service(web::resource("/static/js/password.js").route(get().to(|| async { asset("text/javascript; charset=utf-8", crate::views::PASSWORD_JS) })))
        .service(web::resource("/static/js/passkey.js").route(get().to(|| async { asset("text/javascript; charset=utf-8", PASSKEY_JS) })))
        .service(web::resource("/static/t/{tenant}/{file}").route(get().to(get_theme_asset)));
}

/// A tenant's uploaded theme asset, `/static/t/{tenant}/{sha256}.{ext}`: the URL names one
/// content forever, so it is cached as immutable. The stored content type (decided from
/// the content at upload) is sent with `nosniff`; an SVG also gets a sandboxing CSP, so
/// that even opened on its own it runs nothing and loads nothing.
async fn get_theme_asset(state: web::Data<crate::state::AppState>, path: web::Path<(String, String)>) -> HttpResponse {
    let (tenant, file) = path.into_inner();
    let not_found = || HttpResponse::NotFound().insert_header((header::CACHE_CONTROL, "no-store")).finish();
    let full = format!("/static/t/{tenant}/{file}");
    let Some(ext) = crate::theme::assets::asset_url(&full, &tenant) else { return not_found() };
    let id = file.split('.').next().unwrap_or_default();
    // A tenant id enters the system here, from the URL path.
    let found = match state.themes.asset(&crate::model::TenantId::new(tenant.as_str()), id).await {
        Ok(found) => found,
        Err(e) => {
            crate::error::report(&e);
            return HttpResponse::ServiceUnavailable().insert_header((header::CACHE_CONTROL, "no-store")).finish();
        }
    };
    let Some(a) = found.filter(|a| crate::theme::assets::Kind::from_ext(ext).is_some_and(|k| k.content_type() == a.content_type)) else { return not_found() };
    let mut b = HttpResponse::Ok();
    b.insert_header((header::CONTENT_TYPE, a.content_type.clone()))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::ETAG, format!("\"{}\"", a.id)))
        .insert_header(("Cross-Origin-Resource-Policy", "same-origin"));
    if a.content_type == "image/svg+xml" {
        b.insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'; sandbox"));
    }
    b.body(a.bytes)
}
