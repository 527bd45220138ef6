//! HTTP: one handler module per endpoint family, all routes in `configure`. The hosted
//! pages (and the authorization endpoint that starts them) live in `pages`; the
//! back-channel endpoints in `oauth2` and `oidc`.
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, Route, guard, web};

pub mod access_log;
pub mod assets;
pub mod client_ip;
pub mod cors;
pub mod health;
pub mod oauth2;
pub mod oidc;
pub mod pages;
pub mod response;
pub mod services;
pub mod workspace;

/// A GET route that answers HEAD as well: RFC 9110 §9.3.2, a server MUST support HEAD
/// where it supports GET. The handler runs as for GET; actix's HTTP/1 encoder sends the
/// same header fields (Content-Length included) and drops the content. Every GET route
/// uses this instead of `web::get()`.
pub fn get() -> Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// Every route but the admin API's (`admin::configure`, which `startup` registers first).
/// Workspace endpoints live under `/{tenant}/{workspace}` (the issuer).
///
/// Each path is one `web::resource` holding all its methods, so a method it does not
/// support answers 405 with an `Allow` header (RFC 9110 §15.5.6) instead of falling
/// through to the 404 of unknown paths.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // RFC 8414 §3.1: the well-known suffix is inserted between host and issuer path. It
    // comes before the workspace scope, which would take `.well-known` for a tenant id.
    cfg.service(web::resource("/.well-known/oauth-authorization-server/{tenant}/{workspace}").route(get().to(oidc::get_authorization_server_metadata)))
        .service(web::resource("/healthz").route(get().to(health::get_healthz)))
        .service(web::resource("/readyz").route(get().to(health::get_readyz)))
        .configure(assets::configure)
        .service(
            web::scope("/{tenant}/{workspace}")
                .service(web::resource("/.well-known/openid-configuration").route(get().to(oidc::get_discovery)))
                .service(web::resource("/jwks").route(get().to(oidc::get_jwks)))
                .service(web::resource("/authorize").route(get().to(pages::authorize::get_authorize)).route(web::post().to(pages::authorize::post_authorize)))
                .service(web::resource("/login").route(get().to(pages::login::get_login)).route(web::post().to(pages::login::post_login)))
                .service(web::resource("/register").route(get().to(pages::register::get_register)).route(web::post().to(pages::register::post_register)))
                .service(web::resource("/verify").route(get().to(pages::register::get_verify)).route(web::post().to(pages::register::post_verify)))
                .service(web::resource("/activate").route(get().to(pages::register::get_activate)).route(web::post().to(pages::register::post_activate)))
                .service(web::resource("/reset").route(get().to(pages::reset::get_reset)).route(web::post().to(pages::reset::post_reset)))
                .service(web::resource("/reset/confirm").route(get().to(pages::reset::get_reset_confirm)).route(web::post().to(pages::reset::post_reset_confirm)))
                .service(web::resource("/consent").route(get().to(pages::login::get_consent)).route(web::post().to(pages::login::post_consent)))
                .service(web::resource("/consent/switch").route(web::post().to(pages::login::post_switch_account)))
                // Second factors by code (helper A).
                .service(web::resource("/email-otp").route(get().to(pages::otp_factor::get_email_otp)).route(web::post().to(pages::otp_factor::post_email_otp)))
                .service(web::resource("/sms-otp").route(get().to(pages::otp_factor::get_sms_otp)).route(web::post().to(pages::otp_factor::post_sms_otp)))
                // Passkeys (WebAuthn): the pages and their ceremony endpoints.
                .service(web::resource("/passkey").route(get().to(pages::passkey::get_passkey)))
                .service(web::resource("/enrol-passkey").route(get().to(pages::passkey::get_enrol_passkey)))
                .service(web::resource("/passkey/options").route(web::post().to(pages::passkey::post_options)))
                .service(web::resource("/passkey/finish").route(web::post().to(pages::passkey::post_finish)))
                // Second factors: choice, TOTP, recovery codes, lockout (at their page ids).
                .service(web::resource("/factor").route(get().to(pages::factor::get_factor)).route(web::post().to(pages::factor::post_factor)))
                .service(web::resource("/factor-locked").route(get().to(pages::factor::get_factor_locked)))
                .service(web::resource("/totp").route(get().to(pages::totp::get_totp)).route(web::post().to(pages::totp::post_totp)))
                .service(web::resource("/enrol-totp").route(get().to(pages::totp::get_enrol_totp)).route(web::post().to(pages::totp::post_enrol_totp)))
                .service(web::resource("/recovery-code").route(get().to(pages::recovery::get_recovery_code)).route(web::post().to(pages::recovery::post_recovery_code)))
                .service(web::resource("/recovery-codes").route(get().to(pages::recovery::get_recovery_codes)).route(web::post().to(pages::recovery::post_recovery_codes)))
                .service(web::resource("/recovery-codes/download").route(web::post().to(pages::recovery::post_recovery_codes_download)))
                // The endpoints browser apps call directly answer CORS preflights.
                .service(web::resource("/token").route(web::post().to(oauth2::post_token)).route(cors::preflight("POST")))
                .service(web::resource("/introspect").route(web::post().to(oauth2::post_introspect)).route(cors::preflight("POST")))
                .service(web::resource("/revoke").route(web::post().to(oauth2::post_revoke)).route(cors::preflight("POST")))
                .service(
                    web::resource("/userinfo").route(get().to(oidc::get_userinfo)).route(web::post().to(oidc::post_userinfo)).route(cors::preflight("GET, POST")),
                )
                .service(web::resource("/logout").route(get().to(pages::logout::get_logout)).route(web::post().to(pages::logout::post_logout))),
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
    cookie_value(req, BROWSER_COOKIE).map(|b| crate::crypto::hex(&crate::crypto::digest(&b))).unwrap_or_default()
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
