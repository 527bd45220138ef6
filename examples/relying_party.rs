//! A small relying party for trying Portcullis: signs users in with the authorization code
//! flow (PKCE S256, nonce, state), shows the validated ID token and the UserInfo claims,
//! refreshes tokens and signs out through the provider's end_session_endpoint.
//!
//! ```sh
//! cargo run -- serve --provision examples/acme.yaml   # the provider, on 127.0.0.1:8080
//! cargo run --example relying_party                    # this app, on 127.0.0.1:9999
//! ```
//!
//! `ISSUER` overrides the issuer (default `http://127.0.0.1:8080/acme/shop`). Sessions live in
//! memory, keyed by a random cookie: restarting the app signs everyone out.
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{StatusCode, header};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use openidconnect::core::{CoreAuthPrompt, CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreUserInfoClaims};
use openidconnect::{
    AccessToken, AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndSessionUrl, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, LogoutRequest, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, RefreshToken, Scope, SubjectIdentifier, TokenResponse, reqwest,
};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

const LISTEN: &str = "127.0.0.1:9999";
const REDIRECT_URI: &str = "http://127.0.0.1:9999/callback";
const POST_LOGOUT_URI: &str = "http://127.0.0.1:9999/";
const COOKIE: &str = "rp_session";

/// The client as built from discovery: authorization URL set, token and userinfo URLs maybe.
type Oidc = CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// A sign-in in progress: what the callback must check.
struct Pending {
    state: CsrfToken,
    nonce: Nonce,
    verifier: PkceCodeVerifier,
}

struct SignedIn {
    id_token: CoreIdToken,
    refresh_token: Option<RefreshToken>,
    id_claims: Value,
    userinfo: Value,
    note: &'static str,
}

#[derive(Default)]
struct Session {
    pending: Option<Pending>,
    signed_in: Option<SignedIn>,
}

struct Rp {
    issuer: String,
    client: Oidc,
    http: reqwest::Client,
    end_session: Option<EndSessionUrl>,
    sessions: Mutex<HashMap<String, Session>>,
}

impl Rp {
    fn sessions(&self) -> MutexGuard<'_, HashMap<String, Session>> {
        self.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let issuer = std::env::var("ISSUER").unwrap_or_else(|_| "http://127.0.0.1:8080/acme/shop".into());
    // Never follow redirects from the provider's back-channel endpoints (SSRF).
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().map_err(io)?;
    let meta = ProviderMetadataWithLogout::discover_async(IssuerUrl::new(issuer.clone()).map_err(io)?, &http)
        .await
        .map_err(|e| io(format!("discovery of {issuer} failed (is the provider running?): {}", chain(&e))))?;
    let end_session = meta.additional_metadata().end_session_endpoint.clone();
    let client = CoreClient::from_provider_metadata(meta, ClientId::new("shop-web".into()), Some(ClientSecret::new("shop-web-secret".into())))
        .set_redirect_uri(RedirectUrl::new(REDIRECT_URI.into()).map_err(io)?);
    let rp = web::Data::new(Rp { issuer: issuer.clone(), client, http, end_session, sessions: Mutex::default() });
    println!("relying party on http://{LISTEN}/ (issuer {issuer})");
    HttpServer::new(move || {
        App::new()
            .app_data(rp.clone())
            .route("/", web::get().to(home))
            .route("/login", web::get().to(login))
            .route("/callback", web::get().to(callback))
            .route("/refresh", web::get().to(refresh))
            .route("/logout", web::get().to(logout))
    })
    .workers(1)
    .bind(LISTEN)?
    .run()
    .await
}

async fn home(rp: web::Data<Rp>, req: HttpRequest) -> HttpResponse {
    let sessions = rp.sessions();
    let Some(s) = session_id(&req).and_then(|id| sessions.get(&id)).and_then(|s| s.signed_in.as_ref()) else {
        return page(StatusCode::OK, "<p>You are not signed in.</p><p><a href=\"/login\">Sign in</a></p>".into());
    };
    let refresh = if s.refresh_token.is_some() { "<a href=\"/refresh\">Refresh tokens</a> · " } else { "" };
    page(
        StatusCode::OK,
        format!(
            "<p>{}</p><h2>ID token claims (validated)</h2>{}<h2>UserInfo claims</h2>{}<p>{refresh}<a href=\"/logout\">Sign out</a></p>",
            escape(s.note),
            table(&s.id_claims),
            table(&s.userinfo)
        ),
    )
}

/// Starts the authorization code flow. A fresh session id on every sign-in (no fixation).
async fn login(rp: web::Data<Rp>, req: HttpRequest) -> HttpResponse {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = rp
        .client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("offline_access".into()))
        // OIDC Core §11: offline_access is only honoured with prompt=consent.
        .add_prompt(CoreAuthPrompt::Consent)
        .set_pkce_challenge(challenge)
        .url();
    let id = CsrfToken::new_random().secret().clone();
    let mut sessions = rp.sessions();
    if let Some(old) = session_id(&req) {
        sessions.remove(&old);
    }
    sessions.insert(id.clone(), Session { pending: Some(Pending { state, nonce, verifier }), signed_in: None });
    redirect(url.as_str()).cookie(session_cookie(id)).finish()
}

async fn callback(rp: web::Data<Rp>, req: HttpRequest, q: web::Query<HashMap<String, String>>) -> HttpResponse {
    let id = session_id(&req).unwrap_or_default();
    let Some(pending) = rp.sessions().get_mut(&id).and_then(|s| s.pending.take()) else {
        return error(StatusCode::BAD_REQUEST, "No sign-in is in progress in this browser.".into());
    };
    if q.get("state") != Some(pending.state.secret()) {
        return error(StatusCode::BAD_REQUEST, "The state parameter does not match this browser's sign-in.".into());
    }
    // RFC 9207: the provider names itself in the response; it must be the one we asked.
    if q.get("iss").is_some_and(|iss| *iss != rp.issuer) {
        return error(StatusCode::BAD_REQUEST, "The response comes from another issuer.".into());
    }
    if let Some(e) = q.get("error") {
        return error(StatusCode::BAD_REQUEST, format!("The provider answered {e}: {}", q.get("error_description").map_or("", |d| d.as_str())));
    }
    let Some(code) = q.get("code") else {
        return error(StatusCode::BAD_REQUEST, "The response carries no code.".into());
    };
    match sign_in(&rp, code.clone(), pending).await {
        Ok(signed_in) => {
            rp.sessions().entry(id).or_default().signed_in = Some(signed_in);
            redirect("/").finish()
        }
        Err(e) => error(StatusCode::BAD_GATEWAY, e),
    }
}

/// Exchanges the code, verifies the ID token (signature, iss, aud, exp, nonce, at_hash)
/// and fetches the UserInfo claims.
async fn sign_in(rp: &Rp, code: String, p: Pending) -> Result<SignedIn, String> {
    let tokens = rp
        .client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| chain(&e))?
        .set_pkce_verifier(p.verifier)
        .request_async(&rp.http)
        .await
        .map_err(|e| format!("token request: {}", chain(&e)))?;
    let id_token = tokens.id_token().ok_or("the token response carries no ID token")?.clone();
    let verifier = rp.client.id_token_verifier();
    let claims = id_token.claims(&verifier, &p.nonce).map_err(|e| format!("ID token: {}", chain(&e)))?;
    if let Some(expected) = claims.access_token_hash() {
        let alg = id_token.signing_alg().map_err(|e| chain(&e))?;
        let key = id_token.signing_key(&verifier).map_err(|e| chain(&e))?;
        let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key).map_err(|e| chain(&e))?;
        if actual != *expected {
            return Err("the ID token's at_hash does not match the access token".into());
        }
    }
    let id_claims = serde_json::to_value(claims).map_err(|e| e.to_string())?;
    let userinfo = userinfo(rp, tokens.access_token(), claims.subject()).await?;
    let refresh_token = tokens.refresh_token().cloned();
    Ok(SignedIn { id_token, refresh_token, id_claims, userinfo, note: "Signed in." })
}

async fn userinfo(rp: &Rp, access_token: &AccessToken, sub: &SubjectIdentifier) -> Result<Value, String> {
    let claims: CoreUserInfoClaims = rp
        .client
        .user_info(access_token.clone(), Some(sub.clone()))
        .map_err(|e| chain(&e))?
        .request_async(&rp.http)
        .await
        .map_err(|e| format!("userinfo: {}", chain(&e)))?;
    serde_json::to_value(&claims).map_err(|e| e.to_string())
}

/// Uses the refresh token (rotated by the provider) for new tokens and fresh claims.
async fn refresh(rp: web::Data<Rp>, req: HttpRequest) -> HttpResponse {
    let id = session_id(&req).unwrap_or_default();
    let Some(mut s) = rp.sessions().get_mut(&id).and_then(|s| s.signed_in.take()) else {
        return redirect("/").finish();
    };
    let result = refresh_tokens(&rp, &mut s).await;
    s.note = if result.is_ok() { "Tokens refreshed." } else { "Refreshing failed; showing the previous tokens." };
    rp.sessions().entry(id).or_default().signed_in = Some(s);
    match result {
        Ok(()) => redirect("/").finish(),
        Err(e) => error(StatusCode::BAD_GATEWAY, e),
    }
}

async fn refresh_tokens(rp: &Rp, s: &mut SignedIn) -> Result<(), String> {
    let rt = s.refresh_token.clone().ok_or("no refresh token was issued")?;
    let tokens = rp
        .client
        .exchange_refresh_token(&rt)
        .map_err(|e| chain(&e))?
        .request_async(&rp.http)
        .await
        .map_err(|e| format!("token request: {}", chain(&e)))?;
    let sub = SubjectIdentifier::new(s.id_claims["sub"].as_str().unwrap_or_default().to_owned());
    if let Some(id_token) = tokens.id_token() {
        // OIDC Core §12.2: no nonce in a refreshed ID token, and the same subject.
        let claims = id_token.claims(&rp.client.id_token_verifier(), |_: Option<&Nonce>| Ok(())).map_err(|e| format!("ID token: {}", chain(&e)))?;
        if *claims.subject() != sub {
            return Err("the refreshed ID token names another subject".into());
        }
        s.id_claims = serde_json::to_value(claims).map_err(|e| e.to_string())?;
        s.id_token = id_token.clone();
    }
    s.userinfo = userinfo(rp, tokens.access_token(), &sub).await?;
    s.refresh_token = tokens.refresh_token().cloned().or(Some(rt));
    Ok(())
}

/// Forgets the local session and sends the browser to the provider to end its session.
async fn logout(rp: web::Data<Rp>, req: HttpRequest) -> HttpResponse {
    let signed_in = session_id(&req).and_then(|id| rp.sessions().remove(&id)).and_then(|s| s.signed_in);
    let mut removal = session_cookie(String::new());
    removal.make_removal();
    let (Some(end), Some(s)) = (rp.end_session.clone(), signed_in) else {
        return redirect("/").cookie(removal).finish();
    };
    let mut request = LogoutRequest::from(end).set_id_token_hint(&s.id_token);
    if let Ok(uri) = PostLogoutRedirectUrl::new(POST_LOGOUT_URI.into()) {
        request = request.set_post_logout_redirect_uri(uri);
    }
    redirect(request.http_get_url().as_str()).cookie(removal).finish()
}

fn session_id(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE).map(|c| c.value().to_owned()).filter(|v| !v.is_empty())
}

fn session_cookie(value: String) -> Cookie<'static> {
    Cookie::build(COOKIE, value).path("/").http_only(true).same_site(SameSite::Lax).finish()
}

fn redirect(location: &str) -> actix_web::HttpResponseBuilder {
    let mut b = HttpResponse::Found();
    b.insert_header((header::LOCATION, location));
    b
}

/// Claims as a two-column table; strings as they are, other values as JSON.
fn table(claims: &Value) -> String {
    let Some(map) = claims.as_object() else {
        return format!("<pre>{}</pre>", escape(&claims.to_string()));
    };
    let rows: String = map
        .iter()
        .map(|(k, v)| {
            let shown = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            format!("<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(&shown))
        })
        .collect();
    format!("<table>{rows}</table>")
}

fn page(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").insert_header((header::CACHE_CONTROL, "no-store")).body(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Shop (relying party)</title>\
         <style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}th,td{{text-align:left;padding:.2em .8em;border-bottom:1px solid #ddd}}</style>\
         </head><body><h1>Shop</h1>{body}</body></html>"
    ))
}

fn error(status: StatusCode, message: String) -> HttpResponse {
    page(status, format!("<p><strong>Error:</strong> {}</p><p><a href=\"/\">Home</a></p>", escape(&message)))
}

fn escape(s: &str) -> String {
    s.chars().fold(String::with_capacity(s.len()), |mut out, c| {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
        out
    })
}

/// An error with its causes, for messages.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

fn io(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}
