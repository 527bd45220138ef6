//! Full OpenID Connect flows with the `openidconnect` crate as the relying party.
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    RedirectUrl, Scope, TokenResponse,
};

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(
    confidential_client_full_flow,
    public_client_flow_with_pkce,
    single_sign_on_across_clients,
    client_credentials_introspection_and_revocation,
    a_flow_finishes_once_however_often_its_last_form_is_posted,
);

async fn discover(app: &TestApp) -> CoreProviderMetadata {
    CoreProviderMetadata::discover_async(IssuerUrl::new(app.issuer.clone()).unwrap(), &http()).await.expect("discovery")
}

async fn confidential_client_full_flow(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let http = http();
    let meta = discover(&app).await;
    let client = CoreClient::from_provider_metadata(meta, ClientId::new("shop-web".into()), Some(ClientSecret::new("shop-web-secret".into())))
        .set_redirect_uri(RedirectUrl::new(WEB_REDIRECT.into()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("offline_access".into()))
        .set_pkce_challenge(challenge)
        .url();

    // The hosted sign-in page, then the consent page (shop-web requires consent).
    let browser = Browser::default();
    let (status, html) = browser.follow(auth_url.as_str(), WEB_REDIRECT).await.page();
    assert_eq!(status, 200);
    assert!(html.contains("name=\"username\"") && html.contains("name=\"password\""));
    let back = browser.sign_in(auth_url.as_str(), WEB_REDIRECT, "alice", PASSWORD, "allow").await;
    assert_eq!(query(&back, "state").as_deref(), Some(csrf.secret().as_str()));
    assert_eq!(query(&back, "iss").as_deref(), Some(app.issuer.as_str()));
    let code = query(&back, "code").unwrap();

    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("token exchange");
    let id_token = tokens.id_token().expect("id_token");
    let verifier = client.id_token_verifier();
    let claims = id_token.claims(&verifier, &nonce).expect("valid ID token");
    assert_eq!(claims.issuer().as_str(), app.issuer);
    assert_eq!(claims.email().map(|e| e.as_str()), Some("alice@example.com"));
    assert_eq!(claims.given_name().and_then(|n| n.get(None)).map(|n| n.as_str()), Some("Alice"));
    assert!(claims.auth_time().is_some());
    // at_hash binds the access token to the ID token (OIDC Core §3.1.3.6).
    let expected = AccessTokenHash::from_token(tokens.access_token(), id_token.signing_alg().unwrap(), id_token.signing_key(&verifier).unwrap()).unwrap();
    assert_eq!(claims.access_token_hash(), Some(&expected));
    let raw: serde_json::Value = serde_json::from_slice(&base64_payload(&id_token.to_string())).unwrap();
    assert!(raw["sid"].is_string() && raw["acr"].is_string() && raw["amr"].is_array());

    let userinfo: CoreUserInfoClaims = client.user_info(tokens.access_token().clone(), None).unwrap().request_async(&http).await.expect("userinfo");
    assert_eq!(userinfo.subject(), claims.subject());
    assert_eq!(userinfo.email().map(|e| e.as_str()), Some("alice@example.com"));

    // Refresh rotates the refresh token and keeps the subject.
    let refresh = tokens.refresh_token().expect("refresh token for offline_access").clone();
    let refreshed = client.exchange_refresh_token(&refresh).unwrap().request_async(&http).await.expect("refresh");
    assert_ne!(refreshed.refresh_token().unwrap().secret(), refresh.secret());
    let again = refreshed.id_token().unwrap().claims(&verifier, |_: Option<&Nonce>| Ok(())).unwrap();
    assert_eq!(again.subject(), claims.subject());

    // RP-initiated logout with id_token_hint ends the session and returns with state.
    let mut logout = url::Url::parse(&app.url("logout")).unwrap();
    logout
        .query_pairs_mut()
        .append_pair("id_token_hint", &id_token.to_string())
        .append_pair("post_logout_redirect_uri", "http://127.0.0.1:9999/")
        .append_pair("state", "bye");
    let done = browser.follow(logout.as_str(), "http://127.0.0.1:9999/").await.arrived();
    assert_eq!(query(&done, "state").as_deref(), Some("bye"));
    // Signed out: the next authorization shows the sign-in form again.
    let (status, html) = browser.follow(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await.page();
    assert_eq!(status, 200);
    assert!(html.contains("name=\"password\""));
}

fn base64_payload(jwt: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(jwt.split('.').nth(1).unwrap()).unwrap()
}

async fn public_client_flow_with_pkce(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let http = http();
    let client = CoreClient::from_provider_metadata(discover(&app).await, ClientId::new("shop-spa".into()), None)
        .set_redirect_uri(RedirectUrl::new(SPA_REDIRECT.into()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, _, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("offline_access".into()))
        .set_pkce_challenge(challenge)
        .url();
    // Implicit consent: no consent page, straight back after the password.
    let back = Browser::default().sign_in(auth_url.as_str(), SPA_REDIRECT, "alice@example.com", PASSWORD, "deny").await;
    let tokens = client
        .exchange_code(AuthorizationCode::new(query(&back, "code").unwrap()))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("token exchange for the public client");
    tokens.id_token().unwrap().claims(&client.id_token_verifier(), &nonce).expect("valid ID token");
    let refreshed = client.exchange_refresh_token(tokens.refresh_token().unwrap()).unwrap().request_async(&http).await;
    assert!(refreshed.is_ok(), "public clients refresh without a secret");
}

async fn single_sign_on_across_clients(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    code_for(&app, &browser, "shop-web", WEB_REDIRECT, &[]).await;
    // The second client of the workspace gets a code without any page in between.
    let (_, challenge) = pkce();
    let url = authorize_url(&app, "shop-spa", SPA_REDIRECT, &[("code_challenge", &challenge), ("code_challenge_method", "S256")]);
    let back = browser.follow(&url, SPA_REDIRECT).await.arrived();
    assert!(query(&back, "code").is_some());
    // prompt=none works with a session; prompt=login asks again.
    let none = authorize_url(&app, "shop-spa", SPA_REDIRECT, &[("code_challenge", &challenge), ("code_challenge_method", "S256"), ("prompt", "none")]);
    assert!(query(&browser.follow(&none, SPA_REDIRECT).await.arrived(), "code").is_some());
    let login = authorize_url(&app, "shop-spa", SPA_REDIRECT, &[("code_challenge", &challenge), ("code_challenge_method", "S256"), ("prompt", "login")]);
    let (_, html) = browser.follow(&login, SPA_REDIRECT).await.page();
    assert!(html.contains("name=\"password\""));
}

async fn client_credentials_introspection_and_revocation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, body, headers) = token(&app, Some(("shop-web", "shop-web-secret")), &[("grant_type", "client_credentials"), ("scope", "profile")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    let at = body["access_token"].as_str().unwrap().to_owned();
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());

    let introspect = |token: String| {
        let url = app.url("introspect");
        async move {
            http().post(url).basic_auth("shop-web", Some("shop-web-secret")).form(&[("token", token)]).send().await.unwrap().json::<serde_json::Value>().await.unwrap()
        }
    };
    let info = introspect(at.clone()).await;
    assert_eq!(info["active"], true);
    assert_eq!(info["client_id"], "shop-web");
    assert_eq!(info["scope"], "profile");

    let revoked = http().post(app.url("revoke")).basic_auth("shop-web", Some("shop-web-secret")).form(&[("token", at.as_str())]).send().await.unwrap();
    assert_eq!(revoked.status(), 200);
    assert_eq!(introspect(at).await, serde_json::json!({ "active": false }));
    assert_eq!(introspect("garbage".into()).await, serde_json::json!({ "active": false }));

    // Public clients cannot use client_credentials.
    let (status, body, _) = token(&app, None, &[("grant_type", "client_credentials"), ("client_id", "shop-spa")]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("unauthorized_client")));
}

/// Two concurrent posts of one consent form (a double click, a replayed request): one of
/// them gets the authorization code, the other is refused; the flow never yields two codes.
async fn a_flow_finishes_once_however_often_its_last_form_is_posted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let (url, _, form) = browser.first_form(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    let Step::Page { url, html, .. } = browser.submit(&form, &[("username", "alice"), ("password", PASSWORD)], WEB_REDIRECT).await else {
        panic!("expected the consent page after {url}");
    };
    assert_eq!(Form::page_id(&html).as_deref(), Some("consent"));
    let consent = Form::parse(&url, &html).unwrap();
    let (a, b) = tokio::join!(browser.submit(&consent, &[("decision", "allow")], WEB_REDIRECT), browser.submit(&consent, &[("decision", "allow")], WEB_REDIRECT));
    let codes: Vec<String> = [&a, &b].iter().filter_map(|s| match s {
        Step::Arrived(u) => query(u, "code"),
        Step::Page { .. } => None,
    }).collect();
    assert_eq!(codes.len(), 1, "exactly one code: {a:?} / {b:?}");
    let refused = [a, b].into_iter().find_map(|s| match s {
        Step::Page { status, .. } => Some(status),
        Step::Arrived(_) => None,
    });
    assert_eq!(refused, Some(400));
}
