//! Levels of assurance through the real server: discovery, acr and amr in tokens and
//! introspection, step-up of a session keeping its sid, `min_acr`, the `claims`
//! parameter, `unmet_authentication_requirements`, prompt=none and max_age.
use crate::helpers::*;
use crate::on_every_backend;
use portcullis::clock::Clock;

/// Bob's pool requires two factors; Sam's asks for one only when an application does.
const BANK: &str = r#"
tenants:
  - id: acme
    name: ACME
    pools:
      - id: bank-customers
        mfa: { policy: required, factors: [totp, webauthn] }
        users:
          - { username: bob, email: bob@example.com, password: "correct horse battery" }
      - id: bank-relaxed
        mfa: { policy: step_up, factors: [totp, webauthn] }
        users:
          - { username: sam, email: sam@example.com, password: "correct horse battery" }
    workspaces:
      - id: bank
        pools: [bank-customers, bank-relaxed]
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

/// Bob's pool, relaxed to step-up once he holds a second factor.
const BOB_STEP_UP: &str = r#"
tenants:
  - id: acme
    name: ACME
    pools:
      - id: bank-customers
        mfa: { policy: step_up, factors: [totp, webauthn] }
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
    let back = browser.sign_in(&authorize(&app, "bank-web", CB, &[]), CB, "sam", PASSWORD, "allow").await;
    let tokens = redeem(&app, "bank-web", CB, &back).await;
    let id = TestApp::id_token_claims(&tokens);
    assert_eq!(id["acr"], "urn:portcullis:loa:1");
    assert_eq!(strs(&id["amr"]), ["pwd"]);
    let at = introspect(&app, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!((at["acr"].as_str(), strs(&at["amr"])), (Some("urn:portcullis:loa:1"), vec!["pwd".to_string()]));
    assert_eq!(at["auth_time"], id["auth_time"]);
}

/// Bob enrols TOTP at his first sign-in (his pool requires it) and reaches level 2.
async fn enrol(app: &TestApp, browser: &Browser) -> Held {
    let mut held = Held::default();
    let back = browser.sign_in_mfa(app, &authorize(app, "bank-web", CB, &[]), CB, "bob", PASSWORD, &mut held).await;
    assert!(held.seen.contains(&"enrol-totp".to_string()), "{:?}", held.seen);
    assert_eq!(held.recovery_codes.len(), 10, "recovery codes come with the first enrolment");
    let claims = TestApp::id_token_claims(&redeem(app, "bank-web", CB, &back).await);
    assert_eq!((claims["acr"].as_str(), strs(&claims["amr"])), (Some("urn:portcullis:loa:2"), vec!["pwd".into(), "otp".into(), "mfa".into()]));
    held
}

/// Bob holds TOTP in a step-up pool and signs in with his password; then an app asks for
/// level 2: he is asked only for the code, and the session keeps its sid while auth_time
/// moves on. Level 3 needs a passkey he does not hold: unmet.
async fn a_request_for_more_steps_the_session_up_and_keeps_its_sid(backend: Backend) {
    let app = bank(backend).await;
    let mut held = enrol(&app, &Browser::default()).await;
    app.provision(BOB_STEP_UP).await;
    let browser = Browser::default();
    let back = browser.sign_in(&authorize(&app, "bank-web", CB, &[]), CB, "bob", PASSWORD, "allow").await;
    let first = TestApp::id_token_claims(&redeem(&app, "bank-web", CB, &back).await);
    assert_eq!(first["acr"], "urn:portcullis:loa:1", "a step-up pool asks nothing more by itself");
    app.clock.advance(60);
    held.seen.clear();
    let before = app.clock.now();
    let back = browser.sign_in_mfa(&app, &authorize(&app, "bank-web", CB, &[("acr_values", "urn:portcullis:loa:2")]), CB, "bob", PASSWORD, &mut held).await;
    assert_eq!(held.seen, ["totp"], "only the missing factor is asked");
    let second = TestApp::id_token_claims(&redeem(&app, "bank-web", CB, &back).await);
    assert_eq!(second["acr"], "urn:portcullis:loa:2");
    assert_eq!(strs(&second["amr"]), ["pwd", "otp", "mfa"]);
    assert_eq!(second["sid"], first["sid"], "step-up keeps the session");
    let at = second["auth_time"].as_i64().unwrap();
    assert!((before..=app.clock.now()).contains(&at), "auth_time is the latest authentication");

    // Level 2 is now the session's: asking again shows no page at all.
    let again = browser.follow(&authorize(&app, "bank-web", CB, &[("acr_values", "urn:portcullis:loa:2")]), CB).await.arrived();
    assert_eq!(TestApp::id_token_claims(&redeem(&app, "bank-web", CB, &again).await)["acr"], "urn:portcullis:loa:2");

    // Level 3 needs a passkey, which Bob does not have and may not enrol on the strength
    // of his password and code: unmet, at the redirect URI.
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("acr_values", "urn:portcullis:loa:3")]), CB).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("unmet_authentication_requirements"));
    assert_eq!(query(&back, "state").as_deref(), Some("s"));
}

/// A step-up belongs to the session it started from: once that session ended, passing
/// the missing factor does not make a session (the sign-in starts over).
async fn a_step_up_of_an_ended_session_starts_over(backend: Backend) {
    let app = bank(backend).await;
    let held = enrol(&app, &Browser::default()).await;
    app.provision(BOB_STEP_UP).await;
    let browser = Browser::default();
    browser.sign_in(&authorize(&app, "bank-web", CB, &[]), CB, "bob", PASSWORD, "allow").await;
    let (url, html, form) = browser.first_form(&authorize(&app, "bank-web", CB, &[("acr_values", "urn:portcullis:loa:2")]), CB).await;
    assert_eq!(Form::page_id(&html).as_deref(), Some("totp"), "{url}");
    let bob = app.state.users.find_user(&portcullis::model::TenantId::new("acme"), "bank-customers", portcullis::storage::identity::Lookup::Username, "bob").await.unwrap().unwrap();
    for s in portcullis::auth::session::list(&app.state.sessions, &portcullis::model::TenantId::new("acme"), &bob.id).await.unwrap() {
        portcullis::auth::session::end(&app.state.sessions, &portcullis::model::TenantId::new("acme"), &bob.id, &s.key).await.unwrap();
    }
    app.clock.advance(30);
    let code = totp_code(held.totp_secret.as_deref().unwrap(), app.clock.now());
    let (_, html) = browser.submit(&form, &[("code", &code)], CB).await.page();
    assert_eq!(Form::page_id(&html).as_deref(), Some("login"), "no session from a step-up of an ended one");
}

/// A step-up pool never lets the password alone enrol a factor: a request for level 2 of
/// a user who holds none is unmet.
async fn a_step_up_pool_does_not_enrol_on_a_password(backend: Backend) {
    let app = bank(backend).await;
    let browser = Browser::default();
    let back = browser.sign_in(&authorize(&app, "bank-web", CB, &[("acr_values", "urn:portcullis:loa:2")]), CB, "sam", PASSWORD, "allow").await;
    assert_eq!(query(&back, "error").as_deref(), Some("unmet_authentication_requirements"));
}

/// A client's min_acr applies to every sign-in; `max_age` and `prompt=login` ask again
/// for everything the level needs.
async fn min_acr_holds_for_every_sign_in_and_reauthentication_asks_again(backend: Backend) {
    let app = bank(backend).await;
    let held = enrol(&app, &Browser::default()).await;
    app.provision(BOB_STEP_UP).await;
    let browser = Browser::default();
    let mut again = held.clone();
    again.seen.clear();
    app.clock.advance(30);
    let back = browser.sign_in_mfa(&app, &authorize(&app, "bank-strict", STRICT_CB, &[]), STRICT_CB, "bob", PASSWORD, &mut again).await;
    assert_eq!(again.seen, ["login", "totp"], "min_acr asks the second factor in a step-up pool");
    let claims = TestApp::id_token_claims(&redeem(&app, "bank-strict", STRICT_CB, &back).await);
    assert_eq!(claims["acr"], "urn:portcullis:loa:2");

    for extra in [("prompt", "login"), ("max_age", "0")] {
        app.clock.advance(31);
        again.seen.clear();
        let before = app.clock.now();
        let back = browser.sign_in_mfa(&app, &authorize(&app, "bank-strict", STRICT_CB, &[extra]), STRICT_CB, "bob", PASSWORD, &mut again).await;
        assert_eq!(again.seen, ["login", "totp"], "{extra:?} asks for the password and the code");
        let claims2 = TestApp::id_token_claims(&redeem(&app, "bank-strict", STRICT_CB, &back).await);
        assert_eq!(claims2["sid"], claims["sid"], "re-authentication keeps the session");
        let at = claims2["auth_time"].as_i64().unwrap();
        assert!((before..=app.clock.now()).contains(&at), "{extra:?}: auth_time is the re-authentication's");
        assert_eq!(claims2["acr"], "urn:portcullis:loa:2");
    }

    // prompt=login at a client without a floor: the password alone, and the token says so
    // (the earlier code does not count for a fresh authentication).
    app.clock.advance(31);
    again.seen.clear();
    let back = browser.sign_in_mfa(&app, &authorize(&app, "bank-web", CB, &[("prompt", "login")]), CB, "bob", PASSWORD, &mut again).await;
    assert_eq!(again.seen, ["login"]);
    let claims3 = TestApp::id_token_claims(&redeem(&app, "bank-web", CB, &back).await);
    assert_eq!((claims3["acr"].as_str(), strs(&claims3["amr"])), (Some("urn:portcullis:loa:1"), vec!["pwd".to_string()]));

    // Sam holds no second factor and his pool does not enrol one on a password: unmet.
    let back = Browser::default().sign_in(&authorize(&app, "bank-strict", STRICT_CB, &[]), STRICT_CB, "sam", PASSWORD, "allow").await;
    assert_eq!(query(&back, "error").as_deref(), Some("unmet_authentication_requirements"));
}

/// The claims parameter (OIDC Core §5.5.1.1): an essential acr the tenant does not know is
/// unmet; a voluntary unknown one is ignored; a malformed parameter is invalid_request; an
/// essential known level is asked like acr_values, and the token's acr is one of its values.
async fn the_claims_parameter_asks_for_levels(backend: Backend) {
    let app = bank(backend).await;
    let browser = Browser::default();
    browser.sign_in(&authorize(&app, "bank-web", CB, &[]), CB, "sam", PASSWORD, "allow").await;
    let essential = r#"{"id_token":{"acr":{"essential":true,"values":["urn:example:unknown"]}}}"#;
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("claims", essential)]), CB).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("unmet_authentication_requirements"));
    let voluntary = r#"{"id_token":{"acr":{"values":["urn:example:unknown"]}}}"#;
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("claims", voluntary)]), CB).await.arrived();
    assert_eq!(TestApp::id_token_claims(&redeem(&app, "bank-web", CB, &back).await)["acr"], "urn:portcullis:loa:1");
    for bad in ["[1,2]", r#"{"id_token":5}"#, r#"{"id_token":{"acr":"x"}}"#] {
        let back = browser.follow(&authorize(&app, "bank-web", CB, &[("claims", bad)]), CB).await.arrived();
        assert_eq!(query(&back, "error").as_deref(), Some("invalid_request"), "{bad}");
    }
    let too_long = format!(r#"{{"userinfo":{{"x":"{}"}}}}"#, "a".repeat(5000));
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("claims", &too_long)]), CB).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("invalid_request"));

    // An essential loa:1 among the claims and loa:2 in acr_values: the essential value
    // alone is asked, and it is the token's acr.
    let wants_one = r#"{"id_token":{"acr":{"essential":true,"value":"urn:portcullis:loa:1"}}}"#;
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("claims", wants_one), ("acr_values", "urn:portcullis:loa:2")]), CB).await.arrived();
    assert_eq!(TestApp::id_token_claims(&redeem(&app, "bank-web", CB, &back).await)["acr"], "urn:portcullis:loa:1");
}

/// prompt=none cannot show the factor page a step-up needs (OIDC Core §3.1.2.6).
async fn prompt_none_cannot_step_up(backend: Backend) {
    let app = bank(backend).await;
    enrol(&app, &Browser::default()).await;
    app.provision(BOB_STEP_UP).await;
    let browser = Browser::default();
    browser.sign_in(&authorize(&app, "bank-web", CB, &[]), CB, "bob", PASSWORD, "allow").await;
    let back = browser.follow(&authorize(&app, "bank-web", CB, &[("prompt", "none"), ("acr_values", "urn:portcullis:loa:2")]), CB).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("interaction_required"));
}

on_every_backend!(
    discovery_lists_the_levels_and_the_claims_parameter,
    a_password_sign_in_is_level_one_in_every_token,
    a_request_for_more_steps_the_session_up_and_keeps_its_sid,
    a_step_up_of_an_ended_session_starts_over,
    a_step_up_pool_does_not_enrol_on_a_password,
    min_acr_holds_for_every_sign_in_and_reauthentication_asks_again,
    the_claims_parameter_asks_for_levels,
    prompt_none_cannot_step_up,
);
