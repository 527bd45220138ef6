//! HTTP: one handler module per endpoint family, all routes in `configure`.
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, web};

pub mod assets;
pub mod client_ip;
pub mod health;
pub mod login;
pub mod oauth2;
pub mod oidc;
pub mod register;
pub mod reset;
pub mod response;
pub mod workspace;

/// Every route. Workspace endpoints live under `/{tenant}/{workspace}` (the issuer).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::get_healthz))
        .route("/readyz", web::get().to(health::get_readyz))
        .configure(assets::configure)
        .configure(crate::admin::configure)
        .service(
            web::scope("/{tenant}/{workspace}")
                .route("/.well-known/openid-configuration", web::get().to(oidc::get_discovery))
                .route("/jwks", web::get().to(oidc::get_jwks))
                .route("/authorize", web::get().to(oauth2::get_authorize))
                .route("/authorize", web::post().to(oauth2::post_authorize))
                .route("/login", web::get().to(login::get_login))
                .route("/login", web::post().to(login::post_login))
                .route("/register", web::get().to(register::get_register))
                .route("/register", web::post().to(register::post_register))
                .route("/verify", web::get().to(register::get_verify))
                .route("/verify", web::post().to(register::post_verify))
                .route("/activate", web::get().to(register::get_activate))
                .route("/activate", web::post().to(register::post_activate))
                .route("/reset", web::get().to(reset::get_reset))
                .route("/reset", web::post().to(reset::post_reset))
                .route("/reset/confirm", web::get().to(reset::get_reset_confirm))
                .route("/reset/confirm", web::post().to(reset::post_reset_confirm))
                .route("/consent", web::get().to(login::get_consent))
                .route("/consent", web::post().to(login::post_consent))
                .route("/token", web::post().to(oauth2::post_token))
                .route("/introspect", web::post().to(oauth2::post_introspect))
                .route("/revoke", web::post().to(oauth2::post_revoke))
                .route("/userinfo", web::get().to(oidc::get_userinfo))
                .route("/userinfo", web::post().to(oidc::post_userinfo))
                .route("/logout", web::get().to(oidc::get_logout))
                .route("/logout", web::post().to(oidc::post_logout)),
        );
}

/// Headers on every response.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"))
}

/// Names of our cookies.
pub const BROWSER_COOKIE: &str = "pc_bid";
pub const SESSION_COOKIE: &str = "pc_session";

/// HttpOnly, SameSite=Lax, and Secure when served over https (DESIGN.md).
pub fn cookie(name: &'static str, value: String, path: String, secure: bool, max_age: Option<i64>) -> Cookie<'static> {
    let mut c = Cookie::build(name, value).path(path).http_only(true).same_site(SameSite::Lax).secure(secure).finish();
    if let Some(s) = max_age {
        c.set_max_age(Duration::seconds(s));
    }
    c
}

pub fn removal(name: &'static str, path: String, secure: bool) -> Cookie<'static> {
    let mut c = cookie(name, String::new(), path, secure, Some(0));
    c.make_removal();
    c
}

/// Digest of this browser's id cookie: what flows, challenges and forms are bound to.
pub fn browser_digest(req: &HttpRequest) -> String {
    cookie_value(req, BROWSER_COOKIE).map(|b| crate::storage::sql::hex(&crate::storage::digest(&b))).unwrap_or_default()
}

pub fn cookie_value(req: &HttpRequest, name: &str) -> Option<String> {
    req.cookie(name).map(|c| c.value().to_owned()).filter(|v| !v.is_empty() && v.len() <= 128)
}

/// Form or query pairs of a body or query string.
pub fn pairs(raw: &[u8]) -> impl Iterator<Item = (std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)> {
    url::form_urlencoded::parse(raw)
}

/// Single-valued lookup in form pairs (first occurrence).
pub fn field(raw: &[u8], name: &str) -> Option<String> {
    pairs(raw).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// A form body as a query string, re-encoded so that nothing but valid pairs reaches a
/// Location header.
pub fn reencode(body: &[u8]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs(body)).finish()
}
