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
        .service(web::resource("/static/js/passkey.js").route(get().to(|| async { asset("text/javascript; charset=utf-8", PASSKEY_JS) })));
}
