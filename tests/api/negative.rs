//! What must fail, fails the way the RFCs say.
use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(
    unregistered_redirect_uri_is_never_redirected_to,
    public_client_without_pkce_is_refused,
    wrong_pkce_verifier_is_invalid_grant,
    code_replay_revokes_what_the_code_issued,
    refresh_token_reuse_revokes_the_family,
    wrong_client_secret_is_401_invalid_client,
    expired_code_is_invalid_grant,
    prompt_none_without_session_is_login_required,
    wrong_password_shows_the_form_again,
    missing_csrf_token_is_refused,
    inactive_user_cannot_sign_in,
    consent_denied_is_access_denied,
    bad_requests_do_not_burn_codes_or_refresh_tokens,
);

async fn unregistered_redirect_uri_is_never_redirected_to(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let resp = http().get(authorize_url(&app, "shop-web", "http://127.0.0.1:9999/evil", &[])).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
    assert!(resp.text().await.unwrap().contains("redirect_uri is not registered"));
    let unknown = http().get(authorize_url(&app, "nobody", WEB_REDIRECT, &[])).send().await.unwrap();
    assert_eq!(unknown.status(), 400);
    assert!(unknown.headers().get("location").is_none());
}

async fn public_client_without_pkce_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let back = Browser::default().follow(&authorize_url(&app, "shop-spa", SPA_REDIRECT, &[]), SPA_REDIRECT).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("invalid_request"));
    assert_eq!(query(&back, "state").as_deref(), Some("st4te"));
}

async fn wrong_pkce_verifier_is_invalid_grant(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (verifier, challenge) = pkce();
    let pk = [("code_challenge", challenge.as_str()), ("code_challenge_method", "S256")];
    let code = code_for(&app, &Browser::default(), "shop-spa", SPA_REDIRECT, &pk).await;
    let (other, _) = pkce();
    let form = [("grant_type", "authorization_code"), ("client_id", "shop-spa"), ("code", code.as_str()), ("redirect_uri", SPA_REDIRECT), ("code_verifier", other.as_str())];
    let (status, body, _) = token(&app, None, &form).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    // The code was spent by the failed attempt: the right verifier is too late now.
    let form = [("grant_type", "authorization_code"), ("client_id", "shop-spa"), ("code", code.as_str()), ("redirect_uri", SPA_REDIRECT), ("code_verifier", verifier.as_str())];
    assert_eq!(token(&app, None, &form).await.0, 400);
    // Missing verifier for a code with a challenge.
    let code = code_for(&app, &Browser::default(), "shop-spa", SPA_REDIRECT, &pk).await;
    let form = [("grant_type", "authorization_code"), ("client_id", "shop-spa"), ("code", code.as_str()), ("redirect_uri", SPA_REDIRECT)];
    assert_eq!(token(&app, None, &form).await.1["error"], "invalid_grant");
}

async fn code_replay_revokes_what_the_code_issued(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = code_for(&app, &Browser::default(), "shop-web", WEB_REDIRECT, &[("scope", "openid offline_access")]).await;
    let form = [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", WEB_REDIRECT)];
    let (status, first, _) = token(&app, Some(("shop-web", "shop-web-secret")), &form).await;
    assert_eq!(status, 200, "{first}");
    let (status, replay, _) = token(&app, Some(("shop-web", "shop-web-secret")), &form).await;
    assert_eq!((status, replay["error"].as_str()), (400, Some("invalid_grant")));
    // What the first exchange issued is now dead.
    let rt = first["refresh_token"].as_str().unwrap();
    let (status, body, _) = token(&app, Some(("shop-web", "shop-web-secret")), &[("grant_type", "refresh_token"), ("refresh_token", rt)]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    let ui = http().get(app.url("userinfo")).bearer_auth(first["access_token"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(ui.status(), 401);
    assert!(ui.headers().get("www-authenticate").unwrap().to_str().unwrap().contains("invalid_token"));
}

async fn refresh_token_reuse_revokes_the_family(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = code_for(&app, &Browser::default(), "shop-web", WEB_REDIRECT, &[("scope", "openid offline_access")]).await;
    let creds = Some(("shop-web", "shop-web-secret"));
    let (_, first, _) = token(&app, creds, &[("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", WEB_REDIRECT)]).await;
    let rt1 = first["refresh_token"].as_str().unwrap().to_owned();
    let (status, second, _) = token(&app, creds, &[("grant_type", "refresh_token"), ("refresh_token", rt1.as_str())]).await;
    assert_eq!(status, 200, "{second}");
    let rt2 = second["refresh_token"].as_str().unwrap().to_owned();
    // The spent token comes back: reuse. The whole family goes, rt2 included.
    let (status, body, _) = token(&app, creds, &[("grant_type", "refresh_token"), ("refresh_token", rt1.as_str())]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    let (status, _, _) = token(&app, creds, &[("grant_type", "refresh_token"), ("refresh_token", rt2.as_str())]).await;
    assert_eq!(status, 400);
    // Another client cannot use (or burn) someone else's refresh token.
    let code = code_for(&app, &Browser::default(), "shop-web", WEB_REDIRECT, &[("scope", "openid offline_access")]).await;
    let (_, fresh, _) = token(&app, creds, &[("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", WEB_REDIRECT)]).await;
    let rt = fresh["refresh_token"].as_str().unwrap();
    let (status, _, _) = token(&app, None, &[("grant_type", "refresh_token"), ("client_id", "shop-spa"), ("refresh_token", rt)]).await;
    assert_eq!(status, 400);
    assert_eq!(token(&app, creds, &[("grant_type", "refresh_token"), ("refresh_token", rt)]).await.0, 200);
}

async fn wrong_client_secret_is_401_invalid_client(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, body, headers) = token(&app, Some(("shop-web", "not-the-secret")), &[("grant_type", "client_credentials")]).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")));
    assert!(headers.get("www-authenticate").unwrap().to_str().unwrap().starts_with("Basic"));
    // client_secret_post with a wrong secret, and an unknown client.
    let (status, body, _) = token(&app, None, &[("grant_type", "client_credentials"), ("client_id", "shop-web"), ("client_secret", "nope")]).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")));
    let (status, _, _) = token(&app, Some(("ghost", "whatever")), &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, 401);
    // The right secret by client_secret_post works.
    let (status, _, _) = token(&app, None, &[("grant_type", "client_credentials"), ("client_id", "shop-web"), ("client_secret", "shop-web-secret")]).await;
    assert_eq!(status, 200);
}

async fn expired_code_is_invalid_grant(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = code_for(&app, &Browser::default(), "shop-web", WEB_REDIRECT, &[]).await;
    app.clock.advance(app.state.config.ttl.code + 1);
    let (status, body, _) = token(&app, Some(("shop-web", "shop-web-secret")), &[("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", WEB_REDIRECT)]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
}

async fn prompt_none_without_session_is_login_required(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let back = Browser::default().follow(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[("prompt", "none")]), WEB_REDIRECT).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("login_required"));
    assert_eq!(query(&back, "state").as_deref(), Some("st4te"));
}

async fn wrong_password_shows_the_form_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let (_, _, form) = browser.first_form(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    for (user, pw) in [("alice", "wrong password!"), ("nobody", "correct horse battery")] {
        let (status, again) = browser.submit(&form, &[("username", user), ("password", pw)], WEB_REDIRECT).await.page();
        assert_eq!(status, 200);
        // Same message whether or not the account exists.
        assert!(again.contains("Incorrect username or password"));
        assert!(again.contains("name=\"password\""));
    }
    // The form still works with the right password.
    let back = browser.submit(&form, &[("username", "alice"), ("password", PASSWORD)], WEB_REDIRECT).await;
    assert!(matches!(back, Step::Page { ref html, .. } if html.contains("name=\"decision\"")), "{back:?}");

    // Ten failures lock an account (or a name no account has) for a while, with the same
    // answers; after five, attempts are paced. Then even the right password waits.
    for user in ["alice", "nobody"] {
        let b = Browser::default();
        let (_, _, form) = b.first_form(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
        // (`nobody` failed once above already.)
        let mut failures = 0;
        loop {
            let (status, html) = b.submit(&form, &[("username", user), ("password", "wrong password!")], WEB_REDIRECT).await.page();
            match status {
                200 => failures += 1,
                429 if html.contains("Too many failed attempts") => break,
                429 if failures >= portcullis::auth::throttle::FREE_FAILURES - 1 && html.contains("seconds before you try again") => app.clock.advance(60),
                other => panic!("{user} after {failures} failures: {other} {html}"),
            }
        }
        assert!((9..=10).contains(&failures), "{user}: {failures}");
    }
    let b = Browser::default();
    let (_, _, form) = b.first_form(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    let (status, _) = b.submit(&form, &[("username", "alice"), ("password", PASSWORD)], WEB_REDIRECT).await.page();
    assert_eq!(status, 429);
    // The counters are in the database and follow the test clock on every backend.
    app.clock.advance(portcullis::auth::throttle::WINDOW + 1);
    let (_, _, form) = b.first_form(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    let back = b.submit(&form, &[("username", "alice"), ("password", PASSWORD)], WEB_REDIRECT).await;
    assert!(matches!(back, Step::Page { ref html, .. } if html.contains("name=\"decision\"")), "{back:?}");
}

async fn missing_csrf_token_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let (_, _, mut form) = browser.first_form(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    let original = form.clone();
    form.fields.retain(|(k, _)| k != "csrf");
    let (status, _) = browser.submit(&form, &[("username", "alice"), ("password", PASSWORD)], WEB_REDIRECT).await.page();
    assert_eq!(status, 400);
    // A form replayed from another browser (no flow cookie) is refused too.
    let (status, _) = Browser::default().submit(&original, &[("username", "alice"), ("password", PASSWORD)], WEB_REDIRECT).await.page();
    assert_eq!(status, 400);
}

async fn inactive_user_cannot_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let (_, _, form) = browser.first_form(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    let (status, again) = browser.submit(&form, &[("username", "ivan"), ("password", "inactive user password")], WEB_REDIRECT).await.page();
    assert_eq!(status, 200);
    assert!(again.contains("Incorrect username or password"));
}

async fn consent_denied_is_access_denied(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let back = Browser::default().sign_in(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT, "alice", PASSWORD, "deny").await;
    assert_eq!(query(&back, "error").as_deref(), Some("access_denied"));
}

async fn bad_requests_do_not_burn_codes_or_refresh_tokens(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (verifier, challenge) = pkce();
    let pk = [("code_challenge", challenge.as_str()), ("code_challenge_method", "S256"), ("scope", "openid offline_access")];
    let code = code_for(&app, &Browser::default(), "shop-spa", SPA_REDIRECT, &pk).await;
    // Another client presenting the code finds nothing and spends nothing.
    let form = [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", SPA_REDIRECT)];
    let (status, body, _) = token(&app, Some(("shop-web", "shop-web-secret")), &form).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    let form = [("grant_type", "authorization_code"), ("client_id", "shop-spa"), ("code", code.as_str()), ("redirect_uri", SPA_REDIRECT), ("code_verifier", verifier.as_str())];
    let (status, tokens, _) = token(&app, None, &form).await;
    assert_eq!(status, 200, "{tokens}");
    // A refresh asking for more scope is refused without spending the token.
    let rt = tokens["refresh_token"].as_str().unwrap();
    let (status, body, _) = token(&app, None, &[("grant_type", "refresh_token"), ("client_id", "shop-spa"), ("refresh_token", rt), ("scope", "openid email")]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_scope")));
    let (status, body, _) = token(&app, None, &[("grant_type", "refresh_token"), ("client_id", "shop-spa"), ("refresh_token", rt)]).await;
    assert_eq!(status, 200, "{body}");
}
