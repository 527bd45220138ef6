//! Stateless nodes: two servers sharing PostgreSQL and Redis (and one public URL, as
//! behind a load balancer) serve one flow together.
use crate::helpers::*;

fn on(node: &TestApp, other: &TestApp, url: &url::Url) -> url::Url {
    url::Url::parse(&url.as_str().replace(&other.base, &node.base)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_started_on_one_node_finishes_on_another() {
    let a = TestApp::spawn(Backend::PostgresRedis).await;
    let b = a.second_node().await;
    let browser = Browser::default();
    // /authorize on A renders the sign-in form; it is posted to B.
    let (url, html) = match browser.follow(&authorize_url(&a, "shop-web", WEB_REDIRECT, &[("scope", "openid email offline_access")]), WEB_REDIRECT).await {
        Step::Page { url, html, .. } => (url, html),
        other => panic!("{other:?}"),
    };
    let mut form = Form::parse(&url, &html).unwrap();
    form.action = on(&b, &a, &form.action);
    // B knows the flow (Redis) and signs in; the consent page comes from B.
    let (url, html) = match browser.submit(&form, &[("username", "alice"), ("password", PASSWORD)], WEB_REDIRECT).await {
        Step::Page { url, html, status } => {
            assert_eq!(status, 200, "{html}");
            (url, html)
        }
        other => panic!("{other:?}"),
    };
    assert!(url.as_str().starts_with(&b.base) && html.contains("name=\"decision\""));
    // Consent is posted to A again.
    let mut form = Form::parse(&url, &html).unwrap();
    form.action = on(&a, &b, &form.action);
    let back = browser.submit(&form, &[("decision", "allow")], WEB_REDIRECT).await.arrived();
    let code = query(&back, "code").unwrap();
    // The code issued by A is redeemed at B, the refresh token at A, userinfo at B.
    let creds = Some(("shop-web", "shop-web-secret"));
    let (status, tokens, _) = token(&b, creds, &[("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", WEB_REDIRECT)]).await;
    assert_eq!(status, 200, "{tokens}");
    let (status, refreshed, _) = token(&a, creds, &[("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"].as_str().unwrap())]).await;
    assert_eq!(status, 200, "{refreshed}");
    let ui = http().get(b.url("userinfo")).bearer_auth(refreshed["access_token"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(ui.status(), 200);
    assert_eq!(ui.json::<serde_json::Value>().await.unwrap()["email"], "alice@example.com");
    // SSO: the session made on B lets A issue a code with prompt=none.
    let (_, challenge) = pkce();
    let none = authorize_url(&a, "shop-spa", SPA_REDIRECT, &[("code_challenge", &challenge), ("code_challenge_method", "S256"), ("prompt", "none")]);
    assert!(query(&browser.follow(&none, SPA_REDIRECT).await.arrived(), "code").is_some());
}
