//! The theme studio at `/{tenant}/studio` (issue 10): a web page on which a brand manager
//! edits the tenant's theme layers without files: colours (light and dark), fonts, logo,
//! favicon and background (uploaded assets), layout and colour scheme, text overrides per
//! locale; a live preview of every page (`views::PageId::ALL`) at desktop and mobile width,
//! light and dark; drafts saved, published to the tenant, a workspace or a client, versions
//! with who and when, and one-click rollback.
//!
//! **Sign-in.** The studio is a relying party of Portcullis itself, run on the server (a
//! backend for frontend): the browser never holds a token. Its client is the tenant's
//! *public* client (no secret; PKCE) that registers the redirect URI
//! `{public_url}/{tenant}/studio/callback` and the `authorization_code` grant; registering
//! that URI on a client (provisioning or the admin API, which only a tenant administrator
//! may) is what turns the studio on, in that client's workspace (its pools hold the
//! accounts that sign in). Several such clients: the first by workspace id, then client id.
//! None: the studio says it is not set up. `GET /{tenant}/studio` without a studio session
//! sends the browser to the workspace's `/authorize` (code flow, PKCE S256, `state` and
//! `nonce`, bound to the browser by a short-lived cookie, `max_age` of an hour), at most
//! `signin::MAX_SIGN_INS_PER_IP` per client IP in ten minutes (429); `/callback` exchanges
//! the code in-process (`protocol::token`, as the token endpoint would), checks the access
//! token, the ID token's nonce and `auth_time`, and starts a studio session for the user.
//! Only a well-formed id of an existing tenant gets studio pages, links or cookies (404).
//!
//! **Session.** A random value in the cookie `pc_studio` (HttpOnly, `SameSite=Strict`,
//! `Secure` over https, path `/{tenant}/studio`); the session store (memory or Redis) keeps
//! under its digest the tenant, the user, the grant and the session's CSRF token, for
//! [`session::TTL`]. A session is good only at the tenant it was made for, while its grant
//! lives (a password reset or an administrator's revocation ends it), while its client is
//! still the studio's client and while the user is active; otherwise it is ended.
//!
//! **Who may do what.** Every studio request re-reads the user's privileges
//! (`admin::user_caller`, as the admin API does for a user's token): only `tenant-admin`
//! of this tenant or `system-admin` may use the studio; anyone else who signs in is refused
//! (and the grant the sign-in made is revoked), and a session whose user lost the privilege
//! is refused and ended (the privilege given back does not revive it). Every change (draft
//! saved or discarded, publish, rollback, asset upload) and signing out also needs the
//! session's CSRF token (the `X-Studio-Csrf` header, or the `csrf` field of the preview and
//! sign-out forms), and goes through the admin API's own functions (`admin::themes`: the
//! same checks, versions and authors); changes, sign-ins and sign-outs are audit events of
//! the tenant, refusals too but at most once per user and hour (`session::refused`). The
//! preview looks up the session before it reads its form, renders a posted layer and
//! stores nothing.
pub mod api;
pub mod client;
pub mod page;
pub mod session;
pub mod signin;

use actix_web::web;

const STUDIO_JS: &str = include_str!("../../static/js/studio.js");
const STUDIO_CSS: &str = include_str!("../../static/css/studio.css");

static JS_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| short_hash(STUDIO_JS));
static CSS_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| short_hash(STUDIO_CSS));

fn short_hash(s: &str) -> String {
    crate::crypto::hex(&crate::crypto::digest(s)[..8])
}

/// The studio script's URL, with its content hash for cache busting.
pub fn script_url() -> String {
    format!("/static/js/studio.js?v={}", *JS_HASH)
}

/// The studio style sheet's URL, with its content hash.
pub fn style_url() -> String {
    format!("/static/css/studio.css?v={}", *CSS_HASH)
}

fn asset(content_type: &'static str, body: &'static str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .insert_header((actix_web::http::header::CONTENT_TYPE, content_type))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(body)
}

/// The studio's routes. Registered before the hosted pages: `/{tenant}/studio` would
/// otherwise be taken for a workspace named `studio` (a reserved workspace id).
pub fn configure(cfg: &mut web::ServiceConfig) {
    use crate::http::get;
    cfg.service(web::resource("/static/js/studio.js").route(get().to(|| async { asset("text/javascript; charset=utf-8", STUDIO_JS) })))
        .service(web::resource("/static/css/studio.css").route(get().to(|| async { asset("text/css; charset=utf-8", STUDIO_CSS) })))
        .service(
            web::scope("/{tenant}/studio")
                .service(web::resource("").route(get().to(signin::get_studio)))
                .service(web::resource("/callback").route(get().to(signin::get_callback)))
                .service(web::resource("/logout").route(web::post().to(signin::post_logout)))
                .service(web::resource("/preview").route(web::post().to(api::post_preview)))
                .service(web::resource("/api/layer").route(get().to(api::get_layer)))
                .service(web::resource("/api/draft").route(web::put().to(api::put_draft)).route(web::delete().to(api::delete_draft)))
                .service(web::resource("/api/check").route(web::post().to(api::post_check)))
                .service(web::resource("/api/publish").route(web::post().to(api::post_publish)))
                .service(web::resource("/api/rollback").route(web::post().to(api::post_rollback)))
                .service(web::resource("/api/assets").route(web::post().to(api::post_asset)))
                .service(web::resource("/api/texts").route(get().to(api::get_texts))),
        );
}
