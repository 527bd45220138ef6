//! Running the server: health, key rotation, headers and cookies, backing-service outages.
use std::time::Duration;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(health_and_readiness, key_rotation_keeps_old_tokens_verifiable, pages_and_cookies_are_locked_down);

async fn health_and_readiness(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    assert_eq!(http().get(format!("{}/healthz", app.base)).send().await.unwrap().status(), 200);
    let ready = http().get(format!("{}/readyz", app.base)).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap(), serde_json::json!({ "database": "ok", "session_store": "ok" }));
    // Unknown tenants and workspaces are a themed 404, not a server error.
    let missing = http().get(format!("{}/nobody/shop/.well-known/openid-configuration", app.base)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

async fn key_rotation_keeps_old_tokens_verifiable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let creds = Some(("shop-web", "shop-web-secret"));
    let (_, before, _) = token(&app, creds, &[("grant_type", "client_credentials")]).await;
    let kid = |jwt: &str| {
        use base64::Engine;
        let h: serde_json::Value = serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(jwt.split('.').next().unwrap()).unwrap()).unwrap();
        h["kid"].as_str().unwrap().to_owned()
    };
    let old_kid = kid(before["access_token"].as_str().unwrap());

    let new = portcullis::keys::rotate(app.state.key_store.as_ref(), app.state.now()).await.unwrap();
    app.state.keys.reload().await.unwrap();
    let jwks: serde_json::Value = http().get(app.url("jwks")).send().await.unwrap().json().await.unwrap();
    let kids: Vec<&str> = jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert_eq!(kids.len(), 4, "two new keys and the two retired ones: {kids:?}");
    assert!(kids.contains(&old_kid.as_str()));
    assert!(jwks["keys"].as_array().unwrap().iter().all(|k| k.get("d").is_none()), "private parts are never published");

    let (_, after, _) = token(&app, creds, &[("grant_type", "client_credentials")]).await;
    assert!(new.contains(&kid(after["access_token"].as_str().unwrap())), "new tokens are signed with the new key");
    // The token signed before the rotation still introspects as active.
    let info: serde_json::Value = http()
        .post(app.url("introspect"))
        .basic_auth("shop-web", Some("shop-web-secret"))
        .form(&[("token", before["access_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["active"], true);
    // Once its tokens have expired, the retired key leaves the JWKS.
    app.clock.advance(app.state.config.ttl.id_token.max(app.state.config.ttl.access_token) + 301);
    app.state.keys.reload().await.unwrap();
    let jwks: serde_json::Value = http().get(app.url("jwks")).send().await.unwrap().json().await.unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
}

async fn pages_and_cookies_are_locked_down(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let resp = http().get(authorize_url(&app, "shop-web", WEB_REDIRECT, &[])).send().await.unwrap();
    let cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http dev mode works without Secure");
    let login = resp.headers().get("location").unwrap().to_str().unwrap().to_owned();
    let page = http().get(format!("{}{login}", app.base)).header("cookie", cookie.split(';').next().unwrap()).header("accept-language", "de-DE,de;q=0.9").send().await.unwrap();
    let csp = page.headers().get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-"), "{csp}");
    assert_eq!(page.headers().get("x-frame-options").unwrap(), "DENY");
    let html = page.text().await.unwrap();
    assert!(html.contains("lang=\"de\"") && html.contains("Passwort"), "Accept-Language picks the German strings");
    assert!(html.contains("<label for=\"username\">") && html.contains("<label for=\"password\">"));
    // The theme's variables are in the page; nothing else is inline.
    assert!(html.contains("--pc-color-primary:"));
}


#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_outage_gives_503_and_recovers() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut redis = OwnRedis::start(port);
    let app = TestApp::spawn_with_redis(&format!("redis://127.0.0.1:{}", redis.port)).await;
    let browser = Browser::default();
    code_for(&app, &browser, "shop-web", WEB_REDIRECT, &[]).await;

    redis.stop();
    let ready = http().get(format!("{}/readyz", app.base)).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let page = http().get(authorize_url(&app, "shop-web", WEB_REDIRECT, &[])).send().await.unwrap();
    assert_eq!(page.status(), 503, "no crash, no wrong answer: the service is unavailable");
    let (status, body, _) = token(&app, Some(("shop-web", "shop-web-secret")), &[("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", WEB_REDIRECT)]).await;
    assert_eq!((status, body["error"].as_str()), (503, Some("temporarily_unavailable")));

    let _redis = OwnRedis::start(port);
    let mut recovered = false;
    for _ in 0..30 {
        if http().get(format!("{}/readyz", app.base)).send().await.unwrap().status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(recovered, "the connection manager reconnects by itself");
    code_for(&app, &Browser::default(), "shop-web", WEB_REDIRECT, &[]).await;
}
