//! Passkeys through HTTP with `webauthn-authenticator-rs` soft passkeys: enrolment in a
//! pool that requires a second factor, passwordless sign-in with a discoverable
//! credential, a passkey as the second factor, and the refusals (another user's passkey,
//! another pool's, an inactive user's, a credential for another RP ID, a replayed
//! assertion, a ceremony answered twice, CSRF on every endpoint).
//!
//! The soft passkey is a non-resident authenticator that needs an allow list and returns
//! no user handle. Where the server asks for a discoverable credential the test plays the
//! browser and the discoverable authenticator around it: it tells the soft passkey which
//! credential to use and adds the user handle (unsigned in WebAuthn, §6.3.3) that a
//! resident credential would return — the one the server gave at registration.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};
use url::Url;
use webauthn_authenticator_rs::AuthenticatorBackend;
use webauthn_authenticator_rs::prelude::{CreationChallengeResponse, PublicKeyCredential, RequestChallengeResponse, WebauthnAuthenticator};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(
    carol_enrols_a_passkey_and_then_signs_in_without_a_password,
    a_passkey_is_the_second_factor_after_a_password,
    another_users_passkey_is_refused,
    a_passkey_of_another_pool_an_inactive_user_or_a_pool_without_passkeys_is_refused,
    a_credential_for_another_rp_id_or_without_user_verification_is_refused,
    a_replayed_assertion_and_a_ceremony_answered_twice_are_refused,
    every_passkey_endpoint_checks_the_flow_and_its_csrf_token,
    the_factor_choice_leads_to_the_passkey_enrolment_and_back,
);

pub const VAULT_REDIRECT: &str = "http://127.0.0.1:9999/vault";

/// A pool that requires a second factor and offers passkeys only (so the enrolment page
/// comes right after the password), and its workspace.
const VAULT: &str = r#"
tenants:
  - id: acme
    name: ACME
    pools:
      - id: vault
        mfa: { policy: required, factors: [webauthn] }
        users:
          - { username: carol, email: carol@example.com, password: "violet harbour 42", claims: { given_name: Carol } }
          - { username: dave, email: dave@example.com, password: "amber meadow 17", claims: { given_name: Dave } }
    workspaces:
      - id: vault
        name: Vault
        pools: [vault]
        clients:
          - client_id: vault-web
            client_secret: vault-web-secret
            redirect_uris: [ "http://127.0.0.1:9999/vault" ]
            scopes: [openid, profile]
            consent: implicit
"#;

fn password_of(user: &str) -> &'static str {
    match user {
        "carol" => "violet harbour 42",
        _ => "amber meadow 17",
    }
}

pub async fn vault_app(backend: Backend) -> TestApp {
    let app = TestApp::spawn_localhost(backend).await;
    app.provision(VAULT).await;
    app
}

fn origin(app: &TestApp) -> Url {
    Url::parse(&app.base).unwrap()
}

pub fn authorize(app: &TestApp, workspace: &str, client: &str, redirect: &str) -> String {
    let mut url = Url::parse(&app.ws_url(workspace, "authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client)
        .append_pair("redirect_uri", redirect)
        .append_pair("scope", "openid")
        .append_pair("state", "st4te")
        .append_pair("nonce", "n0nce");
    url.to_string()
}

/// A page of a flow that runs a passkey ceremony: its URL, page id and passkey form.
struct Ceremony {
    url: Url,
    page: String,
    form: Form,
    options: Url,
}

fn ceremony_of(url: Url, html: &str) -> Ceremony {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("form#passkey").unwrap();
    let f = doc.select(&sel).next().unwrap_or_else(|| panic!("no passkey form at {url}: {html}"));
    let options = url.join(f.value().attr("data-options").unwrap()).unwrap();
    let action = url.join(f.value().attr("action").unwrap()).unwrap();
    let hidden = scraper::Selector::parse("input[type=hidden]").unwrap();
    let fields = f.select(&hidden).map(|i| (i.value().attr("name").unwrap().to_owned(), i.value().attr("value").unwrap_or("").to_owned())).collect();
    Ceremony { page: Form::page_id(html).unwrap_or_default(), url, form: Form { action, fields, buttons: vec![] }, options }
}

fn field<'a>(form: &'a Form, name: &str) -> &'a str {
    form.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap()
}

/// Posts a form of fields to a ceremony endpoint: (status, JSON).
async fn post(browser: &Browser, url: &Url, fields: &[(&str, &str)]) -> (u16, Value) {
    let resp = browser.http.post(url.clone()).form(fields).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

impl Ceremony {
    async fn options(&self, browser: &Browser, purpose: &str) -> (u16, Value) {
        let f = &self.form;
        post(browser, &self.options, &[("flow", field(f, "flow")), ("csrf", field(f, "csrf")), ("purpose", purpose)]).await
    }

    async fn finish(&self, browser: &Browser, ceremony: &str, credential: &str) -> (u16, Value) {
        let f = &self.form;
        post(browser, &f.action, &[("flow", field(f, "flow")), ("csrf", field(f, "csrf")), ("ceremony", ceremony), ("credential", credential)]).await
    }
}

/// Opens the authorization URL and signs in with a password (or not, `None`) up to the
/// next page, which must be one with a passkey ceremony.
async fn open(browser: &Browser, url: &str, stop: &str, password: Option<(&str, &str)>) -> Ceremony {
    let (page_url, html, form) = browser.first_form(url, stop).await;
    assert_eq!(Form::page_id(&html).as_deref(), Some("login"));
    let Some((user, pw)) = password else {
        return ceremony_of(page_url, &html);
    };
    match browser.submit(&form, &[("username", user), ("password", pw)], stop).await {
        Step::Page { url, status, html } => {
            assert_eq!(status, 200, "{html}");
            ceremony_of(url, &html)
        }
        Step::Arrived(u) => panic!("expected a passkey page, arrived at {u}"),
    }
}

/// A user's authenticator, and what it learnt at registration.
struct Holder {
    soft: SoftPasskey,
    cred_id: String,
    user_handle: String,
}

/// Follows the finish answer's location to the client and exchanges the code: the ID
/// token's claims.
async fn arrive(app: &TestApp, browser: &Browser, finish: (u16, Value)) -> Value {
    assert_eq!(finish.0, 200, "finish: {}", finish.1);
    let location = finish.1["location"].as_str().unwrap().to_owned();
    let next = Url::parse(&app.base).unwrap().join(&location).unwrap();
    let mut step = if next.as_str().starts_with(VAULT_REDIRECT) { Step::Arrived(next) } else { browser.follow(next.as_str(), VAULT_REDIRECT).await };
    // A first enrolment may show the new recovery codes first (helper T's page).
    if let Step::Page { url, html, .. } = &step
        && Form::page_id(html).as_deref() == Some("recovery-codes")
    {
        let form = Form::parse(url, html).unwrap();
        step = browser.submit(&form, &[], VAULT_REDIRECT).await;
    }
    let back = step.arrived();
    let code = query(&back, "code").unwrap_or_else(|| panic!("no code in {back}"));
    let resp = http()
        .post(app.ws_url("vault", "token"))
        .basic_auth("vault-web", Some("vault-web-secret"))
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", VAULT_REDIRECT)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    TestApp::id_token_claims(&resp.json().await.unwrap())
}

/// Why passkeys were refused so far, as the audit trail says.
async fn refusals(app: &TestApp) -> Vec<String> {
    let audit = app.state.audit.audit_events(&portcullis::model::TenantId::new("acme"), None, 100).await.unwrap();
    audit.iter().filter(|e| e.action == "passkey.refused").map(|e| e.detail["reason"].as_str().unwrap().to_owned()).collect()
}

fn amr(claims: &Value) -> Vec<String> {
    claims["amr"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

/// Registration at an enrolment page: the options as the server sent them, and the soft
/// passkey's answer. The soft passkey cannot keep resident keys: the test asks it for an
/// ordinary one and plays the discoverable part itself (see the module docs).
async fn register(app: &TestApp, browser: &Browser, at: &Ceremony, soft: &mut SoftPasskey) -> (Value, String, (u16, Value)) {
    assert_eq!(at.page, "enrol-passkey");
    let (status, started) = at.options(browser, "register").await;
    assert_eq!(status, 200, "{started}");
    let pk = &started["options"]["publicKey"];
    assert_eq!(pk["authenticatorSelection"]["residentKey"], "required", "a discoverable credential");
    assert_eq!(pk["authenticatorSelection"]["userVerification"], "required");
    assert_eq!(pk["rp"]["id"], "localhost");
    assert_eq!(pk["rp"]["name"], "Vault", "the workspace's name");
    let mut options = started["options"].clone();
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = false.into();
    let ccr: CreationChallengeResponse = serde_json::from_value(options).unwrap();
    let reg = soft.do_registration(origin(app), ccr).unwrap();
    let cred_id = B64.encode(&reg.raw_id);
    let credential = serde_json::to_string(&reg).unwrap();
    let finished = at.finish(browser, started["ceremony"].as_str().unwrap(), &credential).await;
    (started, cred_id, finished)
}

/// `user` signs in with the password and creates a passkey at the enrolment page.
async fn enrol(app: &TestApp, user: &str) -> (Holder, Value) {
    let browser = Browser::default();
    let at = open(&browser, &authorize(app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, Some((user, password_of(user)))).await;
    let mut soft = SoftPasskey::new(true);
    let (started, cred_id, finished) = register(app, &browser, &at, &mut soft).await;
    let user_handle = started["options"]["publicKey"]["user"]["id"].as_str().unwrap().to_owned();
    let claims = arrive(app, &browser, finished).await;
    (Holder { soft, cred_id, user_handle }, claims)
}

/// What a discoverable authenticator answers to `started` (a `discover` ceremony) with
/// `holder`'s credential, claiming the user handle `handle`.
fn discoverable_answer(app: &TestApp, holder: &mut Holder, started: &Value, handle: &str) -> String {
    let mut options = started["options"].clone();
    options["publicKey"]["allowCredentials"] = json!([{ "type": "public-key", "id": holder.cred_id }]);
    let rcr: RequestChallengeResponse = serde_json::from_value(options).unwrap();
    let mut answer: PublicKeyCredential = holder.soft.do_authentication(origin(app), rcr).unwrap();
    answer.response.user_handle = Some(B64.decode(handle).unwrap());
    serde_json::to_string(&answer).unwrap()
}

/// A passwordless sign-in at `workspace`'s sign-in page: the options, and the finish answer.
async fn passwordless(app: &TestApp, browser: &Browser, at: &Ceremony, holder: &mut Holder, handle: &str) -> (Value, (u16, Value)) {
    let (status, started) = at.options(browser, "discover").await;
    assert_eq!(status, 200, "{started}");
    let credential = discoverable_answer(app, holder, &started, handle);
    let finished = at.finish(browser, started["ceremony"].as_str().unwrap(), &credential).await;
    (started, finished)
}

async fn carol_enrols_a_passkey_and_then_signs_in_without_a_password(backend: Backend) {
    let app = vault_app(backend).await;
    // The pool requires a second factor and Carol has none: after her password she
    // creates a passkey, which with the password reaches every level.
    let (mut carol, claims) = enrol(&app, "carol").await;
    assert_eq!(claims["acr"], "urn:portcullis:loa:3");
    assert_eq!(amr(&claims), ["pwd", "hwk", "user", "mfa"]);

    // From then on, no password: the sign-in page offers the passkey (button and autofill).
    let browser = Browser::default();
    let (_, html, _) = browser.first_form(&authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT).await;
    assert!(html.contains(r#"autocomplete="username webauthn""#), "passkey autofill on the username field");
    assert!(html.contains(r#"id="passkey-start""#) && html.contains("Sign in with a passkey"));
    let at = open(&browser, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, None).await;
    let handle = carol.user_handle.clone();
    let (started, finished) = passwordless(&app, &browser, &at, &mut carol, &handle).await;
    assert_eq!(started["options"]["mediation"], "conditional");
    assert!(started["options"]["publicKey"]["allowCredentials"].as_array().is_none_or(|a| a.is_empty()), "discoverable: no allow list");
    assert_eq!(started["options"]["publicKey"]["userVerification"], "required");
    let claims = arrive(&app, &browser, finished).await;
    assert_eq!(claims["acr"], "urn:portcullis:loa:3");
    assert_eq!(amr(&claims), ["hwk", "user", "mfa"], "a passkey alone: two factors, no password");

    // The counter the authenticator reported is kept (compare-and-set in the store).
    let user = app.state.users.find_user(&portcullis::model::TenantId::new("acme"), "vault", portcullis::storage::identity::Lookup::Username, "carol").await.unwrap().unwrap();
    assert_eq!(B64.decode(&handle).unwrap(), uuid::Uuid::parse_str(&user.id).unwrap().as_bytes(), "the user handle is the user's id");
    let stored = app.state.credentials.list(&user.tenant_id, &user.id, portcullis::storage::identity::CredentialKind::WEBAUTHN).await.unwrap();
    assert_eq!(stored.len(), 1);
    let codes = app.state.credentials.list(&user.tenant_id, &user.id, portcullis::storage::identity::CredentialKind::RECOVERY_CODE).await.unwrap();
    assert_eq!(codes.len(), 10, "the first enrolment came with recovery codes");
    let passkey: Value = serde_json::from_str(&stored[0].secret).unwrap();
    assert_eq!(passkey["cred"]["counter"], 1, "counter after one assertion");
    let audit = app.state.audit.audit_events(&user.tenant_id, None, 50).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "passkey.enrolled" && e.subject == user.id));
    assert!(audit.iter().any(|e| e.action == "passkey.used" && e.subject == user.id));
}

async fn a_passkey_is_the_second_factor_after_a_password(backend: Backend) {
    let app = vault_app(backend).await;
    let (mut carol, _) = enrol(&app, "carol").await;
    let browser = Browser::default();
    let at = open(&browser, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, Some(("carol", password_of("carol")))).await;
    assert_eq!(at.page, "passkey", "an enrolled user is asked for the passkey after the password");
    assert!(at.url.path().ends_with("/acme/vault/passkey"));
    // Not the enrolment: someone who knows only the password cannot add a passkey now.
    assert_eq!(at.options(&browser, "register").await.0, 403);
    let (status, started) = at.options(&browser, "authenticate").await;
    assert_eq!(status, 200, "{started}");
    let allowed = started["options"]["publicKey"]["allowCredentials"].as_array().unwrap();
    assert_eq!(allowed.len(), 1);
    assert_eq!(allowed[0]["id"], carol.cred_id.as_str(), "only Carol's own passkeys");
    let rcr: RequestChallengeResponse = serde_json::from_value(started["options"].clone()).unwrap();
    let answer = carol.soft.do_authentication(origin(&app), rcr).unwrap();
    let finished = at.finish(&browser, started["ceremony"].as_str().unwrap(), &serde_json::to_string(&answer).unwrap()).await;
    let claims = arrive(&app, &browser, finished).await;
    assert_eq!(claims["acr"], "urn:portcullis:loa:3");
    assert_eq!(amr(&claims), ["pwd", "hwk", "user", "mfa"]);
}

async fn another_users_passkey_is_refused(backend: Backend) {
    let app = vault_app(backend).await;
    let (carol, _) = enrol(&app, "carol").await;
    let (mut dave, _) = enrol(&app, "dave").await;

    // As Carol's second factor: Dave's authenticator answers Carol's challenge with his
    // own credential (the allow list named only Carol's).
    let browser = Browser::default();
    let at = open(&browser, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, Some(("carol", password_of("carol")))).await;
    let (_, started) = at.options(&browser, "authenticate").await;
    let mut options = started["options"].clone();
    options["publicKey"]["allowCredentials"] = json!([{ "type": "public-key", "id": dave.cred_id }]);
    let answer = dave.soft.do_authentication(origin(&app), serde_json::from_value(options).unwrap()).unwrap();
    let (status, body) = at.finish(&browser, started["ceremony"].as_str().unwrap(), &serde_json::to_string(&answer).unwrap()).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("refused")));
    assert_eq!(refusals(&app).await, ["assertion_refused:CredentialNotFound"], "not in the allow list");

    // Passwordless: Dave's passkey claiming to be Carol's (her user handle).
    let browser = Browser::default();
    let at = open(&browser, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, None).await;
    let (_, (status, body)) = passwordless(&app, &browser, &at, &mut dave, &carol.user_handle).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("refused")));
    assert!(refusals(&app).await.contains(&"unknown_credential".to_owned()), "not one of Carol's passkeys");
    let audit = app.state.audit.audit_events(&portcullis::model::TenantId::new("acme"), None, 50).await.unwrap();
    assert!(audit.iter().filter(|e| e.action == "passkey.refused").count() >= 2);
}

async fn a_passkey_of_another_pool_an_inactive_user_or_a_pool_without_passkeys_is_refused(backend: Backend) {
    let app = vault_app(backend).await;
    let (mut carol, _) = enrol(&app, "carol").await;
    let handle = carol.user_handle.clone();

    // The shop workspace signs in users of pool `customers`, not Carol of `vault` (the
    // browser would offer her passkey: one RP ID for the whole server).
    let shop = Browser::default();
    let at = open(&shop, &authorize(&app, "shop", "shop-web", WEB_REDIRECT), WEB_REDIRECT, None).await;
    let (_, (status, body)) = passwordless(&app, &shop, &at, &mut carol, &handle).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("refused")));
    assert!(refusals(&app).await.iter().all(|r| r == "user_not_eligible"));

    // An inactive user's passkey signs in nobody.
    let tenant = portcullis::model::TenantId::new("acme");
    let mut user = app.state.users.find_user(&tenant, "vault", portcullis::storage::identity::Lookup::Username, "carol").await.unwrap().unwrap();
    user.status = portcullis::storage::UserStatus::Inactive;
    app.state.users.update_user(&tenant, &user, app.state.now()).await.unwrap();
    let browser = Browser::default();
    let at = open(&browser, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, None).await;
    let (_, (status, body)) = passwordless(&app, &browser, &at, &mut carol, &handle).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("refused")));
    assert!(refusals(&app).await.iter().all(|r| r == "user_not_eligible"));

    // A pool that no longer lists passkeys among its factors: no passwordless sign-in.
    user.status = portcullis::storage::UserStatus::Active;
    app.state.users.update_user(&tenant, &user, app.state.now()).await.unwrap();
    app.provision(&VAULT.replace("factors: [webauthn]", "factors: [totp]")).await;
    let browser = Browser::default();
    let (url, html, login) = browser.first_form(&authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT).await;
    assert!(!html.contains(r#"id="passkey""#) && !html.contains("webauthn"), "the sign-in page offers no passkey");
    // The endpoints refuse it all the same.
    let ws = |e: &str| Url::parse(&app.ws_url("vault", e)).unwrap();
    let at = Ceremony { url, page: "login".into(), form: Form { action: ws("passkey/finish"), fields: login.fields, buttons: vec![] }, options: ws("passkey/options") };
    let (_, (status, body)) = passwordless(&app, &browser, &at, &mut carol, &handle).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("refused")));
    assert!(refusals(&app).await.contains(&"pool_without_passkeys".to_owned()));
}

async fn a_credential_for_another_rp_id_or_without_user_verification_is_refused(backend: Backend) {
    let app = vault_app(backend).await;
    // Registration: an authenticator that made the credential for another RP ID (its
    // authenticator data carries that RP ID's hash; the client data our origin).
    let browser = Browser::default();
    let at = open(&browser, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, Some(("carol", password_of("carol")))).await;
    let (_, started) = at.options(&browser, "register").await;
    let mut options = started["options"].clone();
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = false.into();
    options["publicKey"]["rp"]["id"] = "elsewhere.example".into();
    let ccr: CreationChallengeResponse = serde_json::from_value(options).unwrap();
    let mut stray = SoftPasskey::new(true);
    let reg = AuthenticatorBackend::perform_register(&mut stray, origin(&app), ccr.public_key, 60_000).unwrap();
    let (status, body) = at.finish(&browser, started["ceremony"].as_str().unwrap(), &serde_json::to_string(&reg).unwrap()).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("refused")));
    assert_eq!(refusals(&app).await, ["registration_refused:InvalidRPIDHash"]);

    // Registration without user verification (an authenticator that only checked presence).
    let (_, started) = at.options(&browser, "register").await;
    let mut options = started["options"].clone();
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = false.into();
    options["publicKey"]["authenticatorSelection"]["userVerification"] = "discouraged".into();
    let ccr: CreationChallengeResponse = serde_json::from_value(options).unwrap();
    let reg = AuthenticatorBackend::perform_register(&mut stray, origin(&app), ccr.public_key, 60_000).unwrap();
    let (status, _) = at.finish(&browser, started["ceremony"].as_str().unwrap(), &serde_json::to_string(&reg).unwrap()).await;
    assert_eq!(status, 403);
    assert!(refusals(&app).await.contains(&"registration_refused:UserNotVerified".to_owned()));

    // Authentication: Carol's real passkey, asked to sign for another RP ID.
    let (mut carol, _) = enrol(&app, "carol").await;
    let browser = Browser::default();
    let at = open(&browser, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, None).await;
    let (_, started) = at.options(&browser, "discover").await;
    let mut options = started["options"].clone();
    options["publicKey"]["allowCredentials"] = json!([{ "type": "public-key", "id": carol.cred_id }]);
    options["publicKey"]["rpId"] = "elsewhere.example".into();
    let rcr: RequestChallengeResponse = serde_json::from_value(options).unwrap();
    let mut answer = AuthenticatorBackend::perform_auth(&mut carol.soft, origin(&app), rcr.public_key, 60_000).unwrap();
    answer.response.user_handle = Some(B64.decode(&carol.user_handle).unwrap());
    let (status, body) = at.finish(&browser, started["ceremony"].as_str().unwrap(), &serde_json::to_string(&answer).unwrap()).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("refused")));
    assert!(refusals(&app).await.contains(&"assertion_refused:InvalidRPIDHash".to_owned()));

    // An assertion without user verification: a passkey counts as two factors only with it.
    let (_, started) = at.options(&browser, "discover").await;
    let mut options = started["options"].clone();
    options["publicKey"]["allowCredentials"] = json!([{ "type": "public-key", "id": carol.cred_id }]);
    options["publicKey"]["userVerification"] = "discouraged".into();
    let rcr: RequestChallengeResponse = serde_json::from_value(options).unwrap();
    let mut answer = AuthenticatorBackend::perform_auth(&mut carol.soft, origin(&app), rcr.public_key, 60_000).unwrap();
    answer.response.user_handle = Some(B64.decode(&carol.user_handle).unwrap());
    let (status, _) = at.finish(&browser, started["ceremony"].as_str().unwrap(), &serde_json::to_string(&answer).unwrap()).await;
    assert_eq!(status, 403);
    assert!(refusals(&app).await.contains(&"assertion_refused:UserNotVerified".to_owned()), "{:?}", refusals(&app).await);
}

async fn a_replayed_assertion_and_a_ceremony_answered_twice_are_refused(backend: Backend) {
    let app = vault_app(backend).await;
    let (mut carol, _) = enrol(&app, "carol").await;
    let handle = carol.user_handle.clone();

    // A ceremony counts once: after a wrong answer, the right one finds it spent.
    let browser = Browser::default();
    let at = open(&browser, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, None).await;
    let (_, started) = at.options(&browser, "discover").await;
    let ceremony = started["ceremony"].as_str().unwrap();
    let answer = discoverable_answer(&app, &mut carol, &started, &handle);
    let (status, body) = at.finish(&browser, ceremony, "{\"not\":\"a credential\"}").await;
    assert_eq!((status, body["error"].as_str()), (403, Some("refused")));
    let (status, body) = at.finish(&browser, ceremony, &answer).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("expired")));

    // The same assertion for a new ceremony: its challenge was another.
    let (_, again) = at.options(&browser, "discover").await;
    let (status, body) = at.finish(&browser, again["ceremony"].as_str().unwrap(), &answer).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("refused")));
    assert!(refusals(&app).await.contains(&"assertion_refused:MismatchedChallenge".to_owned()), "a challenge of another ceremony");

    // A sign-in's assertion replayed in another flow of another browser.
    let (_, started) = at.options(&browser, "discover").await;
    let answer = discoverable_answer(&app, &mut carol, &started, &handle);
    let claims = arrive(&app, &browser, at.finish(&browser, started["ceremony"].as_str().unwrap(), &answer).await).await;
    assert_eq!(claims["acr"], "urn:portcullis:loa:3");
    let other = Browser::default();
    let at2 = open(&other, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, None).await;
    let (status, body) = at2.finish(&other, started["ceremony"].as_str().unwrap(), &answer).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("expired")), "the ceremony was another flow's, and is spent");
    let (_, fresh) = at2.options(&other, "discover").await;
    let (status, _) = at2.finish(&other, fresh["ceremony"].as_str().unwrap(), &answer).await;
    assert_eq!(status, 403);
}

async fn every_passkey_endpoint_checks_the_flow_and_its_csrf_token(backend: Backend) {
    let app = vault_app(backend).await;
    let browser = Browser::default();
    let at = open(&browser, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, None).await;
    let flow = field(&at.form, "flow").to_owned();
    let csrf = field(&at.form, "csrf").to_owned();
    // Options and finish: the CSRF token must be the flow's.
    for (url, extra) in [(&at.options, ("purpose", "discover")), (&at.form.action, ("ceremony", "x"))] {
        let (status, _) = post(&browser, url, &[("flow", &flow), ("csrf", "forged"), extra]).await;
        assert_eq!(status, 400, "{url} with a forged CSRF token");
        let (status, _) = post(&browser, url, &[("flow", &flow), extra]).await;
        assert_eq!(status, 400, "{url} without a CSRF token");
    }
    // Another browser cannot use the flow, even with its token.
    let (status, _) = post(&Browser::default(), &at.options, &[("flow", &flow), ("csrf", &csrf), ("purpose", "discover")]).await;
    assert_eq!(status, 400);
    // At the sign-in page: neither a registration nor a second factor.
    assert_eq!(at.options(&browser, "register").await.0, 403);
    assert_eq!(at.options(&browser, "authenticate").await.0, 403);
    assert_eq!(at.options(&browser, "nonsense").await.0, 400);
    // The passkey pages only when the flow asks for a passkey or lets the user enrol one.
    for page in ["passkey", "enrol-passkey"] {
        let resp = browser.http.get(format!("{}?flow={flow}", app.ws_url("vault", page))).send().await.unwrap();
        assert_eq!(resp.status(), 400, "{page} before the password");
    }
    // The enrolment page's CSRF too.
    let enrolling = Browser::default();
    let at = open(&enrolling, &authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT, Some(("dave", password_of("dave")))).await;
    assert_eq!(at.page, "enrol-passkey");
    let (status, _) = post(&enrolling, &at.options, &[("flow", field(&at.form, "flow")), ("csrf", "forged"), ("purpose", "register")]).await;
    assert_eq!(status, 400);
    assert_eq!(at.options(&enrolling, "authenticate").await.0, 403, "nothing to authenticate with yet");
    // The pages carry the script with their CSP nonce, and only there.
    let resp = enrolling.http.get(at.url.clone()).send().await.unwrap();
    let csp = resp.headers().get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    let html = resp.text().await.unwrap();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(csp.contains("script-src 'nonce-") && csp.contains("connect-src 'self'"));
    assert!(html.contains(&format!(r#"nonce="{nonce}""#)) && html.contains("/static/js/passkey.js?v="));
    let consent = browser.http.get(app.ws_url("vault", "logout")).send().await.unwrap();
    assert!(!consent.headers().get("content-security-policy").unwrap().to_str().unwrap().contains("script-src"), "no script elsewhere");
}

async fn the_factor_choice_leads_to_the_passkey_enrolment_and_back(backend: Backend) {
    let app = vault_app(backend).await;
    app.provision(&VAULT.replace("factors: [webauthn]", "factors: [totp, webauthn]")).await;
    let browser = Browser::default();
    let (_, _, login) = browser.first_form(&authorize(&app, "vault", "vault-web", VAULT_REDIRECT), VAULT_REDIRECT).await;
    let (url, html) = match browser.submit(&login, &[("username", "carol"), ("password", password_of("carol"))], VAULT_REDIRECT).await {
        Step::Page { url, html, .. } => (url, html),
        other => panic!("{other:?}"),
    };
    assert_eq!(Form::page_id(&html).as_deref(), Some("factor"), "two factors to enrol: the choice");
    let choice = Form::parse(&url, &html).unwrap();
    assert!(choice.buttons.contains(&("factor".into(), "webauthn".into())));
    let (url, html) = match browser.submit(&choice, &[("factor", "webauthn")], VAULT_REDIRECT).await {
        Step::Page { url, html, .. } => (url, html),
        other => panic!("{other:?}"),
    };
    let at = ceremony_of(url.clone(), &html);
    assert_eq!(at.page, "enrol-passkey");
    // The form fallback: back to the choice of the other factors.
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("form.fallback[method=get]").unwrap();
    let fallback = doc.select(&sel).next().expect("a fallback form");
    let back = url.join(fallback.value().attr("action").unwrap()).unwrap();
    assert!(back.path().ends_with("/acme/vault/factor"));
    let resp = browser.http.get(format!("{back}?flow={}", field(&at.form, "flow"))).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(Form::page_id(&resp.text().await.unwrap()).as_deref(), Some("factor"));
    // And the passkey still enrols from here.
    let mut soft = SoftPasskey::new(true);
    let (_, _, finished) = register(&app, &browser, &at, &mut soft).await;
    let claims = arrive(&app, &browser, finished).await;
    assert_eq!(claims["acr"], "urn:portcullis:loa:3");
}
