//! The adaptive MFA policy through HTTP: a browser that completed MFA (device cookie) on a
//! known network is not asked again; a new browser, a new network, or failed attempts at
//! the account make the sign-in ask for the second factor, and the audit trail says why;
//! the device cookie of another user does not count; a reset of the user's factors
//! forgets the browsers. (The second factor here is an email
//! code, so the tests depend on no other factor's pages.)
use reqwest::redirect::Policy;
use std::sync::Arc;
use url::Url;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(a_known_browser_is_not_asked_and_a_new_one_is, a_new_network_is_asked, failures_make_it_ask, the_cookie_of_another_user_does_not_count);

const VAULT_REDIRECT: &str = "http://127.0.0.1:9999/vault";
const HOME: &str = "203.0.113.7";

const VAULT: &str = r#"
tenants:
  - id: acme
    pools:
      - id: savers
        mfa: { policy: adaptive, factors: [email_otp] }
        users:
          - { username: ada, email: ada@example.com, password: "lighthouse keeper 9" }
          - { username: ben, email: ben@example.com, password: "mountain river 22" }
    workspaces:
      - id: vault
        pools: [savers]
        clients:
          - client_id: vault-web
            client_secret: vault-web-secret
            redirect_uris: [ "http://127.0.0.1:9999/vault" ]
            scopes: [openid]
            consent: implicit
"#;

async fn vault(backend: Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    app.provision(VAULT).await;
    app
}

/// A browser at `ip` with this cookie jar (two of them share the cookies, not the address).
fn browser(jar: &Arc<reqwest::cookie::Jar>, ip: &str) -> Browser {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", ip.parse().unwrap());
    Browser { http: reqwest::Client::builder().cookie_provider(jar.clone()).redirect(Policy::none()).default_headers(headers).build().unwrap() }
}

fn authorize(app: &TestApp, prompt_login: bool) -> String {
    let mut url = Url::parse(&app.ws_url("vault", "authorize")).unwrap();
    url.query_pairs_mut().append_pair("response_type", "code").append_pair("client_id", "vault-web").append_pair("redirect_uri", VAULT_REDIRECT).append_pair("scope", "openid").append_pair("state", "s");
    if prompt_login {
        url.query_pairs_mut().append_pair("prompt", "login");
    }
    url.to_string()
}

/// Where a password sign-in of `user` leads: straight back to the client, or a page.
async fn sign_in(app: &TestApp, b: &Browser, user: &str, password: &str) -> Step {
    let (_, _, form) = b.first_form(&authorize(app, true), VAULT_REDIRECT).await;
    b.submit(&form, &[("username", user), ("password", password)], VAULT_REDIRECT).await
}

/// Passes the email code page the sign-in is at, with the `nth` code sent to `to`; returns
/// the `Set-Cookie` headers of the answer.
async fn pass_email_code(app: &TestApp, b: &Browser, step: Step, to: &str, nth: usize) -> Vec<String> {
    let Step::Page { url, status: 200, html } = step else { panic!("expected the email code page, got {step:?}") };
    assert_eq!(Form::page_id(&html).as_deref(), Some("email-otp"), "{html}");
    let form = Form::parse(&url, &html).unwrap();
    app.wait_for_messages(to, nth).await;
    assert_eq!(app.messages_to(to), nth);
    let code = app.message(to, "second_factor").await.code.unwrap();
    let resp = b.http.post(form.action.clone()).form(&[form.fields.clone(), vec![("code".into(), code)]].concat()).send().await.unwrap();
    assert_eq!(resp.status(), 302, "the code finishes the sign-in");
    assert!(resp.headers()["location"].to_str().unwrap().starts_with(VAULT_REDIRECT));
    resp.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

fn arrived(step: Step) -> Url {
    match step {
        Step::Arrived(u) => u,
        Step::Page { url, html, .. } => panic!("expected no second factor, got the page {:?} at {url}", Form::page_id(&html)),
    }
}

fn asked(step: &Step) -> bool {
    matches!(step, Step::Page { html, .. } if Form::page_id(html).as_deref() == Some("email-otp"))
}

/// The reasons the audit trail gives for asking `user`, sorted.
async fn reasons(app: &TestApp, username: &str) -> Vec<String> {
    let admin = app.client_token("acme-admin").await;
    let (_, users) = api(reqwest::Method::GET, &app.admin(&format!("/tenants/acme/pools/savers/users?q={username}")), &admin, None).await;
    let id = users["items"][0]["id"].as_str().unwrap().to_owned();
    let (_, body) = api(reqwest::Method::GET, &app.admin("/tenants/acme/audit?limit=500"), &admin, None).await;
    // Sorted: events of one second are in no particular order.
    let mut out: Vec<String> = body["items"].as_array().unwrap().iter().filter(|e| e["action"] == "user.mfa_required" && e["subject"] == id.as_str()).map(|e| e["detail"]["reason"].as_str().unwrap().to_owned()).collect();
    out.sort();
    out
}

/// Ada completes MFA in a browser at home: that browser gets its device cookie.
async fn enrolled_browser(app: &TestApp) -> (Arc<reqwest::cookie::Jar>, Browser) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let b = browser(&jar, HOME);
    let step = sign_in(app, &b, "ada", "lighthouse keeper 9").await;
    assert!(asked(&step), "a browser never seen is asked");
    let cookies = pass_email_code(app, &b, step, "ada@example.com", 1).await;
    let device = cookies.iter().find(|c| c.starts_with("pc_device=")).unwrap_or_else(|| panic!("no device cookie in {cookies:?}"));
    let lower = device.to_ascii_lowercase();
    assert!(lower.contains("httponly") && lower.contains("samesite=lax") && lower.contains("max-age="), "{device}");
    assert!(!lower.contains("secure"), "plain http in the tests: no Secure attribute ({device})");
    (jar, b)
}

async fn a_known_browser_is_not_asked_and_a_new_one_is(backend: Backend) {
    let app = vault(backend).await;
    let (_, b) = enrolled_browser(&app).await;
    assert_eq!(reasons(&app, "ada").await, ["new_device"]);
    // The same browser on the same network: the password is enough.
    let url = arrived(sign_in(&app, &b, "ada", "lighthouse keeper 9").await);
    assert!(query(&url, "code").is_some(), "{url}");
    assert_eq!(app.messages_to("ada@example.com"), 1, "no second code");
    // Another browser on the same network is asked.
    let other = Browser::at(HOME);
    let step = sign_in(&app, &other, "ada", "lighthouse keeper 9").await;
    assert!(asked(&step), "{step:?}");
    assert_eq!(reasons(&app, "ada").await, ["new_device", "new_device"]);
    // An administrator's reset of Ada's factors forgets her browsers and networks.
    let admin = app.client_token("acme-admin").await;
    let (_, users) = api(reqwest::Method::GET, &app.admin("/tenants/acme/pools/savers/users?q=ada"), &admin, None).await;
    let id = users["items"][0]["id"].as_str().unwrap().to_owned();
    let (s, body) = api(reqwest::Method::POST, &app.admin(&format!("/tenants/acme/pools/savers/users/{id}/factors/reset")), &admin, None).await;
    assert_eq!(s, 200, "{body}");
    assert!(asked(&sign_in(&app, &b, "ada", "lighthouse keeper 9").await), "the reset browser is new again");
}

async fn a_new_network_is_asked(backend: Backend) {
    let app = vault(backend).await;
    let (jar, _) = enrolled_browser(&app).await;
    // The same /24 is the same network.
    let neighbour = browser(&jar, "203.0.113.200");
    arrived(sign_in(&app, &neighbour, "ada", "lighthouse keeper 9").await);
    // The same browser (its cookies) from another network is asked, and after the code
    // that network is known too.
    let travelling = browser(&jar, "198.51.100.20");
    let step = sign_in(&app, &travelling, "ada", "lighthouse keeper 9").await;
    assert!(asked(&step), "{step:?}");
    assert_eq!(reasons(&app, "ada").await, ["new_device", "new_network"]);
    let cookies = pass_email_code(&app, &travelling, step, "ada@example.com", 2).await;
    assert!(!cookies.iter().any(|c| c.starts_with("pc_device=")), "the valid device cookie is kept: {cookies:?}");
    arrived(sign_in(&app, &travelling, "ada", "lighthouse keeper 9").await);
    // IPv6: a /64.
    let v6 = browser(&jar, "2001:db8:1:2::10");
    let step = sign_in(&app, &v6, "ada", "lighthouse keeper 9").await;
    pass_email_code(&app, &v6, step, "ada@example.com", 3).await;
    arrived(sign_in(&app, &browser(&jar, "2001:db8:1:2:ffff::1"), "ada", "lighthouse keeper 9").await);
    assert!(asked(&sign_in(&app, &browser(&jar, "2001:db8:1:3::10"), "ada", "lighthouse keeper 9").await));
}

async fn failures_make_it_ask(backend: Backend) {
    let app = vault(backend).await;
    let (_, b) = enrolled_browser(&app).await;
    // Someone elsewhere tries Ada's password.
    let mallory = Browser::at("192.0.2.66");
    for _ in 0..3 {
        let (_, _, form) = mallory.first_form(&authorize(&app, false), VAULT_REDIRECT).await;
        let (status, html) = mallory.submit(&form, &[("username", "ada"), ("password", "wrong guess 123")], VAULT_REDIRECT).await.page();
        assert_eq!(status, 200, "{html}");
    }
    // Ada's known browser at home is asked now.
    let step = sign_in(&app, &b, "ada", "lighthouse keeper 9").await;
    assert!(asked(&step), "{step:?}");
    assert_eq!(reasons(&app, "ada").await, ["new_device", "recent_failures"]);
    // Once the throttle's window has passed, the failures are no longer recent.
    app.clock.advance(portcullis::auth::throttle::WINDOW + 1);
    arrived(sign_in(&app, &b, "ada", "lighthouse keeper 9").await);
}

async fn the_cookie_of_another_user_does_not_count(backend: Backend) {
    let app = vault(backend).await;
    // The browser holds Ada's device cookie; Ben signs in with it.
    let (_, b) = enrolled_browser(&app).await;
    let step = sign_in(&app, &b, "ben", "mountain river 22").await;
    assert!(asked(&step), "Ada's device cookie says nothing about Ben: {step:?}");
    assert_eq!(reasons(&app, "ben").await, ["new_device"]);
    // A forged cookie (Ada's id with a made-up MAC) does not count either.
    let jar = Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str("pc_device=abc.0123456789abcdef; Path=/acme/vault", &Url::parse(&app.ws_url("vault", "")).unwrap());
    let forged = browser(&jar, HOME);
    assert!(asked(&sign_in(&app, &forged, "ada", "lighthouse keeper 9").await));
}
