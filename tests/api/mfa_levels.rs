//! Levels of assurance through the real server: discovery, acr and amr in tokens and
//! introspection, step-up of a session keeping its sid, `min_acr`, the `claims`
//! parameter, `unmet_authentication_requirements`, prompt=none and max_age.
use crate::helpers::*;
use crate::on_every_backend;
use portcullis::clock::Clock;

const BANK: &str = r#"
tenants:
  - id: acme
    name: ACME
    pools:
      - id: bank-customers
        mfa: { policy: step_up, factors: [totp, webauthn] }
        users:
          - { username: bob, email: bob@example.com, password: "correct horse battery" }
    workspaces:
      - id: bank
        pools: [bank-customers]
        clients:
          - client_id: bank-web
            client_secret: bank-web-secret
            redirect_uris: [ "http://127.0.0.1:9999/bank" ]
            scopes: [openid, profile]
            consent: implicit
          - client_id: bank-strict
            client_secret: bank-strict-secret
            redirect_uris: [ "http://127.0.0.1:9999/strict" ]
            scopes: [openid]
            consent: implicit
            min_acr: urn:portcullis:loa:2
"#;

const CB: &str = "http://127.0.0.1:9999/bank";
const STRICT_CB: &str = "http://127.0.0.1:9999/strict";

async fn bank(backend: Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    app.provision(BANK).await;
    app
}

fn authorize(app: &TestApp, client: &str, redirect: &str, extra: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(&app.ws_url("bank", "authorize")).unwrap();
    let defaults = [("response_type", "code"), ("client_id", client), ("redirect_uri", redirect), ("scope", "openid"), ("state", "s"), ("nonce", "n")];
    for (k, v) in defaults.iter().filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)).chain(extra) {
        url.query_pairs_mut().append_pair(k, v);
    }
    url.to_string()
}

/// Redeems the code of `back` at the bank workspace: the token response.
async fn redeem(app: &TestApp, client: &str, redirect: &str, back: &url::Url) -> serde_json::Value {
    let code = query(back, "code").unwrap_or_else(|| panic!("no code in {back}"));
    let secret = format!("{client}-secret");
    let resp = http().post(app.ws_url("bank", "token")).basic_auth(client, Some(&secret)).form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", redirect)]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

async fn introspect(app: &TestApp, token: &str) -> serde_json::Value {
    http().post(app.ws_url("bank", "introspect")).basic_auth("bank-web", Some("bank-web-secret")).form(&[("token", token)]).send().await.unwrap().json().await.unwrap()
}

fn strs(v: &serde_json::Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
}

async fn discovery_lists_the_levels_and_the_claims_parameter(backend: Backend) {
    let app = bank(backend).await;
    let meta: serde_json::Value = http().get(app.ws_url("bank", ".well-known/openid-configuration")).send().await.unwrap().json().await.unwrap();
    assert_eq!(strs(&meta["acr_values_supported"]), ["urn:portcullis:loa:1", "urn:portcullis:loa:2", "urn:portcullis:loa:3"]);
    assert_eq!(meta["claims_parameter_supported"], true);
}

async fn a_password_sign_in_is_level_one_in_every_token(backend: Backend) {
    let app = bank(backend).await;
    let browser = Browser::default();
    let back = browser.sign_in(&authorize(&app, "bank-web", CB, &[]), CB, "bob", PASSWORD, "allow").await;
    let tokens = redeem(&app, "bank-web", CB, &back).await;
    let id = TestApp::id_token_claims(&tokens);
    assert_eq!(id["acr"], "urn:portcullis:loa:1");
    assert_eq!(strs(&id["amr"]), ["pwd"]);
    let at = introspect(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!((at["acr"].as_str(), strs(&at["amr"])), (Some("urn:portcullis:loa:1"), vec!["pwd".to_string()]));
}

/// Bob signs in with his password, then an app asks for level 2: he is asked only for the
/// second factor (enrolling TOTP, as he has none), and the session keeps its sid while
/// auth_time moves on.
async fn a_request_for_more_steps_the_session_up_and_keeps_its_sid(backend: Backend) {
    let app = bank(backend).await;
    let browser = Browser::default();
    let back = browser.sign_in(&authorize(&app, "bank-web", CB, &[]), CB, "bob", PASSWORD, "allow").await;
    let first = TestApp::id_token_claims(&redeem(&app, "bank-web", CB, &back).await);
    app.clock.advance(60);
    let mut held = Held::default();
    let back = browser.sign_in_mfa(&app, &authorize(&app, "bank-web", CB, &[("acr_values", "urn:portcullis:loa:2")]), CB, "bob", PASSWORD, &mut held).await;
    assert!(!held.seen.contains(&"login".to_string()), "only the missing factor is asked: {:?}", held.seen);
    assert!(held.seen.contains(&"enrol-totp".to_string()), "{:?}", held.seen);
    assert_eq!(held.recovery_codes.len(), 10, "recovery codes come with the first enrolment");
    let second = TestApp::id_token_claims(&redeem(&app, "bank-web", CB, &back).await);
    assert_eq!(second["acr"], "urn:portcullis:loa:2");
    assert_eq!(strs(&second["amr"]), ["pwd", "otp", "mfa"]);
    assert_eq!(second["sid"], first["sid"], "step-up keeps the session");
    assert!(second["auth_time"].as_i64().unwrap() >= first["auth_time"].as_i64().unwrap() + 60, "auth_time is the latest authentication");

    // Level 2 is now the session's: asking again needs nothing, no page at all.
    let again = browser.follow(&authorize(&app, "bank-web", CB, &[("acr_values", "urn:portcullis:loa:2")]), CB).await.arrived();
    assert_eq!(TestApp::id_token_claims(&redeem(&app, "bank-web", CB, &again).await)["acr"], "urn:portcullis:loa:2");

    // Level 3 needs a passkey, which Bob does not have and may not enrol on the strength
    // of his password and code: unmet, at the redirect URI.
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("acr_values", "urn:portcullis:loa:3")]), CB).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("unmet_authentication_requirements"));
    assert_eq!(query(&back, "state").as_deref(), Some("s"));
}

/// A client's min_acr applies to every sign-in; `max_age` and `prompt=login` ask again
/// for everything the level needs.
async fn min_acr_holds_for_every_sign_in_and_reauthentication_asks_again(backend: Backend) {
    let app = bank(backend).await;
    let browser = Browser::default();
    let mut held = Held::default();
    let back = browser.sign_in_mfa(&app, &authorize(&app, "bank-strict", STRICT_CB, &[]), STRICT_CB, "bob", PASSWORD, &mut held).await;
    assert_eq!(held.seen.first().map(String::as_str), Some("login"));
    let claims = TestApp::id_token_claims(&redeem(&app, "bank-strict", STRICT_CB, &back).await);
    assert_eq!(claims["acr"], "urn:portcullis:loa:2");

    for extra in [("prompt", "login"), ("max_age", "0")] {
        app.clock.advance(31);
        let mut again = held.clone();
        again.seen.clear();
        let back = browser.sign_in_mfa(&app, &authorize(&app, "bank-strict", STRICT_CB, &[extra]), STRICT_CB, "bob", PASSWORD, &mut again).await;
        assert_eq!(again.seen, ["login", "totp"], "{extra:?} asks for the password and the code");
        let claims2 = TestApp::id_token_claims(&redeem(&app, "bank-strict", STRICT_CB, &back).await);
        assert_eq!(claims2["sid"], claims["sid"], "re-authentication keeps the session");
        assert_eq!(claims2["auth_time"].as_i64(), Some(app.clock.now()));
    }
}

/// The claims parameter (OIDC Core §5.5.1.1): an essential acr the tenant does not know is
/// unmet; a voluntary unknown one is ignored; a malformed parameter is invalid_request.
async fn the_claims_parameter_asks_for_levels(backend: Backend) {
    let app = bank(backend).await;
    let browser = Browser::default();
    browser.sign_in(&authorize(&app, "bank-web", CB, &[]), CB, "bob", PASSWORD, "allow").await;
    let essential = r#"{"id_token":{"acr":{"essential":true,"values":["urn:example:unknown"]}}}"#;
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("claims", essential)]), CB).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("unmet_authentication_requirements"));
    let voluntary = r#"{"id_token":{"acr":{"values":["urn:example:unknown"]}}}"#;
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("claims", voluntary)]), CB).await.arrived();
    assert_eq!(TestApp::id_token_claims(&redeem(&app, "bank-web", CB, &back).await)["acr"], "urn:portcullis:loa:1");
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("claims", "[1,2]")]), CB).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("invalid_request"));
    // An essential loa:2 on a password session is a step-up like acr_values.
    let wants_two = r#"{"id_token":{"acr":{"essential":true,"value":"urn:portcullis:loa:2"}}}"#;
    let (_, html) = browser.follow(&authorize(&app, "bank-web", CB, &[("claims", wants_two)]), CB).await.page();
    assert_eq!(Form::page_id(&html).as_deref(), Some("factor"), "the factors Bob may enrol: {html}");
}

/// prompt=none cannot show the factor page a step-up needs (OIDC Core §3.1.2.6).
async fn prompt_none_cannot_step_up(backend: Backend) {
    let app = bank(backend).await;
    let browser = Browser::default();
    browser.sign_in(&authorize(&app, "bank-web", CB, &[]), CB, "bob", PASSWORD, "allow").await;
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("prompt", "none"), ("acr_values", "urn:portcullis:loa:2")]), CB).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("interaction_required"));
}

on_every_backend!(
    discovery_lists_the_levels_and_the_claims_parameter,
    a_password_sign_in_is_level_one_in_every_token,
    a_request_for_more_steps_the_session_up_and_keeps_its_sid,
    min_acr_holds_for_every_sign_in_and_reauthentication_asks_again,
    the_claims_parameter_asks_for_levels,
    prompt_none_cannot_step_up,
);
