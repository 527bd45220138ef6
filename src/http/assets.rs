//! Static assets compiled into the binary, served with a content hash for caching.
use actix_web::{HttpResponse, http::header, web};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

const APP_CSS: &str = include_str!("../../static/css/app.css");
const LOGO_SVG: &str = include_str!("../../static/img/logo.svg");

static APP_CSS_HASH: LazyLock<String> = LazyLock::new(|| crate::crypto::hex(&Sha256::digest(APP_CSS.as_bytes())[..8]));

pub fn app_css_hash() -> &'static str {
    &APP_CSS_HASH
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
        .service(web::resource("/static/img/logo.svg").route(get().to(|| async { asset("image/svg+xml", LOGO_SVG) })));
}
