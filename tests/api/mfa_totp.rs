//! Second factors through the hosted pages: TOTP enrolment and sign-in (codes computed here
//! from the secret on the page, time moved with the injected clock), replays and the time
//! window, the lockout after wrong codes, recovery codes, and the refusals (CSRF, pages a
//! flow does not offer).
use base64::Engine;
use url::Url;

use crate::helpers::*;
use crate::on_every_backend;
use portcullis::model::TenantId;
use portcullis::storage::identity::CredentialKind;

on_every_backend!(
    bob_enrols_an_app_and_signs_in_with_its_codes,
    five_wrong_codes_lock_the_app_and_the_page_says_until_when,
    dave_signs_in_once_with_each_recovery_code,
    every_new_form_refuses_a_post_without_its_csrf_token,
    a_flow_shows_only_the_factor_pages_it_offers,
    a_code_posted_in_two_sign_ins_at_once_passes_once,
    an_enrolment_in_another_browser_closes_the_enrolment_page,
);

const REDIRECT: &str = "http://127.0.0.1:9999/safe";
const BOB: (&str, &str) = ("bob", "correct horse battery staple");
const DAVE: (&str, &str) = ("dave", "purple monkey dishwasher");
const ERIN: (&str, &str) = ("erin", "quiet river lantern");

/// Workspace `safe` (pool with `mfa: required, factors: [totp]`) and `safe-choice` (the
/// same policy, TOTP or passkey), provisioned beside the fixture.
async fn provision(app: &TestApp) {
    let yaml = format!(
        r#"
tenants:
  - id: acme
    pools:
      - id: safe-customers
        password_policy: {{ min_length: 10 }}
        mfa: {{ policy: required, factors: [totp] }}
        users:
          - {{ username: {b}, email: bob@example.com, password: "{bp}" }}
          - {{ username: {d}, email: dave@example.com, password: "{dp}" }}
          - {{ username: {e}, email: erin@example.com, password: "{ep}" }}
      - id: safe-choosers
        password_policy: {{ min_length: 10 }}
        mfa: {{ policy: required, factors: [totp, webauthn] }}
        users:
          - {{ username: {e}, email: erin@example.com, password: "{ep}" }}
    workspaces:
      - id: safe
        pools: [safe-customers]
        clients:
          - {{ client_id: safe-web, client_secret: safe-web-secret, redirect_uris: ["{REDIRECT}"], scopes: [openid, profile], consent: implicit }}
      - id: safe-choice
        pools: [safe-choosers]
        clients:
          - {{ client_id: safe-web, client_secret: safe-web-secret, redirect_uris: ["{REDIRECT}"], scopes: [openid, profile], consent: implicit }}
"#,
        b = BOB.0,
        bp = BOB.1,
        d = DAVE.0,
        dp = DAVE.1,
        e = ERIN.0,
        ep = ERIN.1
    );
    app.provision(&yaml).await;
}

struct Authorize {
    url: String,
    verifier: String,
}

fn authorize(app: &TestApp, workspace: &str) -> Authorize {
    let (verifier, challenge) = pkce();
    let mut url = Url::parse(&app.ws_url(workspace, "authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", "safe-web")
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("scope", "openid profile")
        .append_pair("state", "st")
        .append_pair("nonce", "n")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    Authorize { url: url.to_string(), verifier }
}

/// A page and its first post form.
struct At {
    url: Url,
    status: u16,
    html: String,
    form: Option<Form>,
}

impl At {
    fn of(step: Step) -> At {
        let (url, status, html) = match step {
            Step::Page { url, status, html } => (url, status, html),
            Step::Arrived(u) => panic!("expected a page, arrived at {u}"),
        };
        let form = Form::parse(&url, &html);
        At { url, status, html, form }
    }
    fn id(&self) -> String {
        Form::page_id(&self.html).unwrap_or_default()
    }
    fn form(&self) -> &Form {
        self.form.as_ref().unwrap_or_else(|| panic!("no form at {}: {}", self.url, self.html))
    }
    fn flow(&self) -> String {
        self.form().fields.iter().find(|(k, _)| k == "flow").map(|(_, v)| v.clone()).unwrap()
    }
    fn attr(&self, selector: &str, attr: &str) -> Vec<String> {
        let doc = scraper::Html::parse_document(&self.html);
        let sel = scraper::Selector::parse(selector).unwrap();
        doc.select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_owned)).collect()
    }
}

/// Opens the authorization URL in `browser` and signs in with the password: the page after.
async fn password(app: &TestApp, browser: &Browser, a: &Authorize, (user, pw): (&str, &str)) -> Step {
    let _ = app;
    let login = At::of(browser.follow(&a.url, REDIRECT).await);
    assert_eq!(login.id(), "login", "{}", login.html);
    browser.submit(login.form(), &[("username", user), ("password", pw)], REDIRECT).await
}

/// Moves the clock to the start of a 30-second step, so that a code computed now stays
/// the current one while the request runs.
fn align(app: &TestApp) {
    let r = portcullis::clock::Clock::now(app.clock.as_ref()).rem_euclid(30);
    app.clock.advance((30 - r) % 30);
}

fn now(app: &TestApp) -> i64 {
    portcullis::clock::Clock::now(app.clock.as_ref())
}

/// The code of `secret` (base32, as the page shows it) at `t`.
fn code_at(secret: &str, t: i64) -> String {
    let seed = totp_rs::Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, seed).unwrap().generate(t as u64)
}

/// The claims of the ID token a code gets at the token endpoint of `workspace`.
async fn id_token(app: &TestApp, workspace: &str, back: &Url, verifier: &str) -> serde_json::Value {
    let code = query(back, "code").unwrap_or_else(|| panic!("no code in {back}"));
    let resp = http()
        .post(app.ws_url(workspace, "token"))
        .basic_auth("safe-web", Some("safe-web-secret"))
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", REDIRECT), ("code_verifier", verifier)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    let jwt = body["id_token"].as_str().unwrap();
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn amr(claims: &serde_json::Value) -> Vec<String> {
    claims["amr"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

/// Enrols `user`'s authenticator app in a new sign-in; returns the secret, the recovery
/// codes, and the recovery-codes page (Continue not posted yet) with its browser.
async fn enrol(app: &TestApp, user: (&str, &str)) -> (String, Vec<String>, At, Browser, Authorize) {
    let browser = Browser::default();
    let a = authorize(app, "safe");
    let page = At::of(password(app, &browser, &a, user).await);
    assert_eq!((page.status, page.id()), (200, "enrol-totp".to_owned()), "{}", page.html);
    let secret = page.attr("[data-totp-secret]", "data-totp-secret").pop().expect("the secret in data-totp-secret");
    align(app);
    let codes = At::of(browser.submit(page.form(), &[("code", &code_at(&secret, now(app)))], REDIRECT).await);
    assert_eq!(codes.id(), "recovery-codes", "{}", codes.html);
    let list = codes.attr("[data-recovery-code]", "data-recovery-code");
    (secret, list, codes, browser, a)
}

/// A new browser signs in with `user`'s password and reaches the TOTP page.
async fn at_totp(app: &TestApp, user: (&str, &str)) -> (At, Browser, Authorize) {
    let browser = Browser::default();
    let a = authorize(app, "safe");
    let page = At::of(password(app, &browser, &a, user).await);
    assert_eq!((page.status, page.id()), (200, "totp".to_owned()), "{}", page.html);
    (page, browser, a)
}

async fn audit_actions(app: &TestApp) -> Vec<(String, serde_json::Value)> {
    let events = app.state.audit.audit_events(&TenantId::new("acme"), None, 500).await.unwrap();
    events.into_iter().map(|e| (e.action, e.detail)).collect()
}

async fn bob_enrols_an_app_and_signs_in_with_its_codes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    provision(&app).await;
    let browser = Browser::default();
    let a = authorize(&app, "safe");
    let page = At::of(password(&app, &browser, &a, BOB).await);
    // Asked to set up an app: a QR code drawn server-side, the otpauth URI, the secret.
    assert_eq!(page.id(), "enrol-totp");
    assert!(page.html.contains("<svg") && !page.html.contains("<?xml"), "an inline SVG QR code");
    let uri = page.attr("a[href^='otpauth://totp/']", "href").pop().expect("the otpauth link");
    let secret = page.attr("[data-totp-secret]", "data-totp-secret").pop().unwrap();
    assert!(uri.contains(&format!("secret={secret}")) && uri.contains("period=30") && uri.contains("digits=6"), "{uri}");
    assert_eq!(page.attr("input[name=code]", "autocomplete"), vec!["one-time-code".to_string()]);
    assert!(page.form().fields.iter().all(|(k, _)| k == "flow" || k == "csrf"), "the seed is not in the form");
    // A wrong code is refused on the same page.
    align(&app);
    let wrong = At::of(browser.submit(page.form(), &[("code", &code_at(&secret, now(&app) + 300))], REDIRECT).await);
    assert_eq!((wrong.status, wrong.id()), (200, "enrol-totp".to_owned()));
    assert_eq!(wrong.attr("[data-totp-secret]", "data-totp-secret").pop().as_deref(), Some(secret.as_str()), "the same seed");
    let codes = At::of(browser.submit(page.form(), &[("code", &code_at(&secret, now(&app)))], REDIRECT).await);
    assert_eq!(codes.id(), "recovery-codes", "{}", codes.html);
    let list = codes.attr("[data-recovery-code]", "data-recovery-code");
    assert_eq!(list.len(), 10);
    assert!(codes.html.contains("<textarea") && codes.attr("a[download]", "href").pop().unwrap().starts_with("data:text/plain"));
    let back = browser.submit(codes.form(), &[], REDIRECT).await.arrived();
    let claims = id_token(&app, "safe", &back, &a.verifier).await;
    assert_eq!(claims["acr"], "urn:portcullis:loa:2");
    assert_eq!(amr(&claims), vec!["pwd", "otp", "mfa"]);

    // At rest: the seed is encrypted (neither the base32 secret nor the raw bytes appear).
    let user = app.state.users.find_for_login(&TenantId::new("acme"), &["safe-customers".into()], "bob").await.unwrap().unwrap().0;
    let creds = app.state.credentials.list(&TenantId::new("acme"), &user.id, CredentialKind::TOTP).await.unwrap();
    assert_eq!(creds.len(), 1);
    let raw = totp_rs::Secret::Encoded(secret.clone()).to_bytes().unwrap();
    assert!(!creds[0].secret.contains(&secret) && !creds[0].secret.contains(&String::from_utf8_lossy(&raw).into_owned()));
    let actions = audit_actions(&app).await;
    assert!(actions.iter().any(|(a, d)| a == "mfa.enrolled" && d["factor"] == "totp"));
    assert!(actions.iter().any(|(a, _)| a == "mfa.recovery_codes.created"));
    assert!(!actions.iter().any(|(_, d)| d.to_string().contains(&secret)), "no secret in the audit trail");

    // Next time: asked for a code after the password. The previous step's code still works
    // (the window's lower edge).
    app.clock.advance(60);
    align(&app);
    let (page, browser, a) = at_totp(&app, BOB).await;
    assert_eq!(page.attr("input[name=code]", "autocomplete"), vec!["one-time-code".to_string()]);
    assert_eq!(page.attr("input[name=code]", "inputmode"), vec!["numeric".to_string()]);
    assert!(!page.attr("a[href*='recovery-code']", "href").is_empty(), "a link to use a recovery code");
    let previous = code_at(&secret, now(&app) - 30);
    let back = browser.submit(page.form(), &[("code", &previous)], REDIRECT).await.arrived();
    let claims = id_token(&app, "safe", &back, &a.verifier).await;
    assert_eq!((claims["acr"].as_str(), amr(&claims)), (Some("urn:portcullis:loa:2"), vec!["pwd".to_string(), "otp".into(), "mfa".into()]));

    // A code already used is refused, and so are codes from outside the window: two steps
    // back, and far ahead. The next step's code (the upper edge) works.
    let (page, browser, _) = at_totp(&app, BOB).await;
    for (code, why) in [(previous.clone(), "replayed"), (code_at(&secret, now(&app) - 60), "two steps back"), (code_at(&secret, now(&app) + 600), "far ahead")] {
        let again = At::of(browser.submit(page.form(), &[("code", &code)], REDIRECT).await);
        assert_eq!((again.status, again.id()), (200, "totp".to_owned()), "{why}");
        assert!(again.html.contains("role=\"alert\"") && again.html.contains("aria-invalid=\"true\""), "{why}: the error is linked to the field");
    }
    let next = code_at(&secret, now(&app) + 30);
    browser.submit(page.form(), &[("code", &next)], REDIRECT).await.arrived();
    // Once the next step's code was used, the current step's is older: refused too.
    let (page, browser, _) = at_totp(&app, BOB).await;
    for code in [next, code_at(&secret, now(&app))] {
        assert_eq!(At::of(browser.submit(page.form(), &[("code", &code)], REDIRECT).await).id(), "totp");
    }
    app.clock.advance(60);
    browser.submit(page.form(), &[("code", &code_at(&secret, now(&app)))], REDIRECT).await.arrived();
}

async fn five_wrong_codes_lock_the_app_and_the_page_says_until_when(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    provision(&app).await;
    let (secret, _, codes, browser, _) = enrol(&app, BOB).await;
    browser.submit(codes.form(), &[], REDIRECT).await.arrived();
    app.clock.advance(30);
    align(&app);
    let (page, browser, _) = at_totp(&app, BOB).await;
    let window: Vec<String> = [-30, 0, 30].iter().map(|d| code_at(&secret, now(&app) + d)).collect();
    let wrong = if window.iter().any(|c| c == "000000") { "111111" } else { "000000" };
    for n in 1..5 {
        let again = At::of(browser.submit(page.form(), &[("code", wrong)], REDIRECT).await);
        assert_eq!((again.status, again.id()), (200, "totp".to_owned()), "wrong code {n}");
        let warning = if n == 4 { "One more wrong code locks".to_owned() } else { format!("{} more wrong codes", 5 - n) };
        assert!(again.html.contains(&warning), "{}", again.html);
    }
    let locked = At::of(browser.submit(page.form(), &[("code", wrong)], REDIRECT).await);
    assert_eq!((locked.status, locked.id()), (429, "factor-locked".to_owned()), "{}", locked.html);
    assert!(locked.html.contains("locked") && locked.html.contains("in 15 minutes"), "{}", locked.html);
    // Locked: even the right code is refused, on this and every other browser.
    let right = code_at(&secret, now(&app));
    assert_eq!(At::of(browser.submit(page.form(), &[("code", &right)], REDIRECT).await).status, 429);
    let (other, other_browser, _) = at_totp(&app, BOB).await;
    assert_eq!(At::of(other_browser.submit(other.form(), &[("code", &right)], REDIRECT).await).id(), "factor-locked");
    let shown = At::of(other_browser.follow(&app.ws_url("safe", &format!("factor-locked?flow={}", other.flow())), REDIRECT).await);
    assert_eq!((shown.status, shown.id()), (429, "factor-locked".to_owned()));
    let actions = audit_actions(&app).await;
    assert_eq!(actions.iter().filter(|(a, d)| a == "mfa.locked" && d["factor"] == "totp").count(), 1, "{actions:?}");
    // After 15 minutes the app works again (in a new sign-in: the old flow expired).
    app.clock.advance(15 * 60 + 1);
    align(&app);
    let (page, browser, _) = at_totp(&app, BOB).await;
    browser.submit(page.form(), &[("code", &code_at(&secret, now(&app)))], REDIRECT).await.arrived();
}

async fn dave_signs_in_once_with_each_recovery_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    provision(&app).await;
    let (_, codes, page, browser, _) = enrol(&app, DAVE).await;
    browser.submit(page.form(), &[], REDIRECT).await.arrived();
    // Dave lost his phone: the TOTP page links to the recovery code page.
    let (page, browser, a) = at_totp(&app, DAVE).await;
    let link = page.attr("a[href*='recovery-code']", "href").pop().unwrap();
    let entry = At::of(browser.follow(page.url.join(&link).unwrap().as_str(), REDIRECT).await);
    assert_eq!(entry.id(), "recovery-code");
    assert_eq!(entry.attr("input[name=code]", "autocomplete"), vec!["one-time-code".to_string()]);
    let used = At::of(browser.submit(entry.form(), &[("code", &codes[0])], REDIRECT).await);
    assert_eq!(used.id(), "recovery-codes", "{}", used.html);
    assert!(used.attr("[data-recovery-code]", "data-recovery-code").is_empty(), "no codes shown again");
    assert!(used.html.contains("You have 9 recovery codes left") && used.html.contains("Set up a new authenticator app"), "{}", used.html);
    let back = browser.submit(used.form(), &[], REDIRECT).await.arrived();
    let claims = id_token(&app, "safe", &back, &a.verifier).await;
    assert_eq!(claims["acr"], "urn:portcullis:loa:2");
    assert_eq!(amr(&claims), vec!["pwd", "otp", "mfa"]);
    // The code is spent; another works once, typed in lower case without dashes (in a
    // sign-in that asks for German pages).
    let browser = Browser::default();
    let mut a = authorize(&app, "safe");
    a.url.push_str("&ui_locales=de");
    let totp = At::of(password(&app, &browser, &a, DAVE).await);
    let entry = At::of(browser.follow(&app.ws_url("safe", &format!("recovery-code?flow={}", totp.flow())), REDIRECT).await);
    let spent = At::of(browser.submit(entry.form(), &[("code", &codes[0])], REDIRECT).await);
    assert_eq!((spent.status, spent.id()), (200, "recovery-code".to_owned()), "a spent code is refused");
    let typed = codes[1].to_lowercase().replace('-', "");
    let used = At::of(browser.submit(entry.form(), &[("code", &typed)], REDIRECT).await);
    assert!(used.html.contains("lang=\"de\"") && used.html.contains("Sie haben noch 8 Wiederherstellungscodes"), "{}", used.html);
    browser.submit(used.form(), &[], REDIRECT).await.arrived();
    let actions = audit_actions(&app).await;
    assert_eq!(actions.iter().filter(|(a, d)| a == "mfa.used" && d["factor"] == "recovery_code").count(), 2);
    assert!(!actions.iter().any(|(_, d)| codes.iter().any(|c| d.to_string().contains(c.as_str()))), "no code in the audit trail");
}

fn without_csrf(form: &Form) -> Form {
    let mut f = form.clone();
    f.fields.retain(|(k, _)| k != "csrf");
    f
}

fn wrong_csrf(form: &Form) -> Form {
    let mut f = form.clone();
    for (k, v) in f.fields.iter_mut() {
        if k == "csrf" {
            *v = "not-the-token".into();
        }
    }
    f
}

async fn refused(browser: &Browser, form: &Form, extra: &[(&str, &str)], what: &str) {
    for f in [without_csrf(form), wrong_csrf(form)] {
        let (status, _) = browser.submit(&f, extra, REDIRECT).await.page();
        assert_eq!(status, 400, "{what} without its CSRF token");
    }
}

async fn every_new_form_refuses_a_post_without_its_csrf_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    provision(&app).await;
    // The factor choice (TOTP or passkey to enrol, in workspace safe-choice).
    let browser = Browser::default();
    let a = authorize(&app, "safe-choice");
    let choice = At::of(password(&app, &browser, &a, ERIN).await);
    assert_eq!(choice.id(), "factor", "{}", choice.html);
    let mut offered = choice.attr("button[name=factor]", "value");
    offered.sort();
    assert_eq!(offered, vec!["totp", "webauthn"]);
    refused(&browser, choice.form(), &[("factor", "totp")], "factor").await;
    let (status, _) = browser.submit(choice.form(), &[("factor", "sms_otp")], REDIRECT).await.page();
    assert_eq!(status, 400, "a factor not offered");
    let enrol_page = At::of(browser.submit(choice.form(), &[("factor", "totp")], REDIRECT).await);
    assert_eq!(enrol_page.id(), "enrol-totp");

    // The enrolment, the recovery codes' Continue, the TOTP code and the recovery code.
    let browser = Browser::default();
    let a = authorize(&app, "safe");
    let page = At::of(password(&app, &browser, &a, ERIN).await);
    let secret = page.attr("[data-totp-secret]", "data-totp-secret").pop().unwrap();
    align(&app);
    let code = code_at(&secret, now(&app));
    refused(&browser, page.form(), &[("code", &code)], "enrol-totp").await;
    let user = app.state.users.find_for_login(&TenantId::new("acme"), &["safe-customers".into()], "erin").await.unwrap().unwrap().0;
    assert!(app.state.credentials.list(&TenantId::new("acme"), &user.id, CredentialKind::TOTP).await.unwrap().is_empty(), "nothing enrolled");
    let codes = At::of(browser.submit(page.form(), &[("code", &code)], REDIRECT).await);
    assert_eq!(codes.id(), "recovery-codes");
    refused(&browser, codes.form(), &[], "recovery-codes").await;
    browser.submit(codes.form(), &[], REDIRECT).await.arrived();
    let list = codes.attr("[data-recovery-code]", "data-recovery-code");

    app.clock.advance(30);
    let (page, browser, _) = at_totp(&app, ERIN).await;
    refused(&browser, page.form(), &[("code", &code_at(&secret, now(&app)))], "totp").await;
    let entry = At::of(browser.follow(&app.ws_url("safe", &format!("recovery-code?flow={}", page.flow())), REDIRECT).await);
    refused(&browser, entry.form(), &[("code", &list[0])], "recovery-code").await;
    // None of the refused posts spent the code.
    let used = At::of(browser.submit(entry.form(), &[("code", &list[0])], REDIRECT).await);
    assert!(used.html.contains("You have 9 recovery codes left"), "{}", used.html);
}

async fn a_flow_shows_only_the_factor_pages_it_offers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    provision(&app).await;
    // Before any factor passed, no factor page shows or takes anything.
    let browser = Browser::default();
    let a = authorize(&app, "safe");
    let login = At::of(browser.follow(&a.url, REDIRECT).await);
    let flow = login.flow();
    for endpoint in ["totp", "enrol-totp", "recovery-code", "recovery-codes", "factor", "factor-locked"] {
        let (status, _) = browser.follow(&app.ws_url("safe", &format!("{endpoint}?flow={flow}")), REDIRECT).await.page();
        assert_eq!(status, 400, "{endpoint} before the password");
    }
    let (_, codes, page, enrolled, _) = enrol(&app, BOB).await;
    enrolled.submit(page.form(), &[], REDIRECT).await.arrived();
    // Bob holds an app: someone with only his password cannot reach the enrolment, nor
    // "Continue" past the second factor, nor use a factor the flow does not offer.
    app.clock.advance(30);
    let (page, browser, _) = at_totp(&app, BOB).await;
    let flow = page.flow();
    let (status, html) = browser.follow(&app.ws_url("safe", &format!("enrol-totp?flow={flow}")), REDIRECT).await.page();
    assert_eq!(status, 400, "{html}");
    assert!(!html.contains("data-totp-secret"));
    let mut post = page.form().clone();
    post.action = Url::parse(&app.ws_url("safe", "enrol-totp")).unwrap();
    assert_eq!(browser.submit(&post, &[("code", "123456")], REDIRECT).await.page().0, 400, "an enrolment post");
    post.action = Url::parse(&app.ws_url("safe", "recovery-codes")).unwrap();
    assert_eq!(browser.submit(&post, &[], REDIRECT).await.page().0, 400, "Continue without a passed factor");
    assert_eq!(browser.follow(&app.ws_url("safe", &format!("recovery-codes?flow={flow}")), REDIRECT).await.page().0, 400);
    post.action = Url::parse(&app.ws_url("safe", "factor")).unwrap();
    assert_eq!(browser.submit(&post, &[("factor", "webauthn")], REDIRECT).await.page().0, 400, "a factor the pool does not allow");
    // Another browser cannot use Bob's flow, not even with its form.
    let stranger = Browser::default();
    assert_eq!(stranger.submit(page.form(), &[("code", &codes[0])], REDIRECT).await.page().0, 400);
    assert_eq!(stranger.follow(&app.ws_url("safe", &format!("totp?flow={flow}")), REDIRECT).await.page().0, 400);
}

async fn a_code_posted_in_two_sign_ins_at_once_passes_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    provision(&app).await;
    let (secret, codes, page, browser, _) = enrol(&app, BOB).await;
    browser.submit(page.form(), &[], REDIRECT).await.arrived();
    app.clock.advance(30);
    align(&app);
    // One TOTP code in two sign-ins at once (two browsers, as from two nodes): the
    // compare-and-set of its last step lets exactly one pass.
    let ((p1, b1, _), (p2, b2, _)) = (at_totp(&app, BOB).await, at_totp(&app, BOB).await);
    let code = code_at(&secret, now(&app));
    let extra = [("code", code.as_str())];
    let (r1, r2) = tokio::join!(b1.submit(p1.form(), &extra, REDIRECT), b2.submit(p2.form(), &extra, REDIRECT));
    let passed = [r1, r2].into_iter().filter(|s| matches!(s, Step::Arrived(_))).count();
    assert_eq!(passed, 1, "one use of one code");
    // One recovery code in two sign-ins at once: consumed exactly once.
    let ((p1, b1, _), (p2, b2, _)) = (at_totp(&app, BOB).await, at_totp(&app, BOB).await);
    let e1 = At::of(b1.follow(&app.ws_url("safe", &format!("recovery-code?flow={}", p1.flow())), REDIRECT).await);
    let e2 = At::of(b2.follow(&app.ws_url("safe", &format!("recovery-code?flow={}", p2.flow())), REDIRECT).await);
    let extra = [("code", codes[3].as_str())];
    let (r1, r2) = tokio::join!(b1.submit(e1.form(), &extra, REDIRECT), b2.submit(e2.form(), &extra, REDIRECT));
    let used = [At::of(r1), At::of(r2)].into_iter().filter(|a| a.id() == "recovery-codes").count();
    assert_eq!(used, 1, "one use of one recovery code");
}

async fn an_enrolment_in_another_browser_closes_the_enrolment_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    provision(&app).await;
    // Two browsers reach the enrolment with Erin's password; one enrols.
    let (first, second) = (Browser::default(), Browser::default());
    let (a1, a2) = (authorize(&app, "safe"), authorize(&app, "safe"));
    let p1 = At::of(password(&app, &first, &a1, ERIN).await);
    let p2 = At::of(password(&app, &second, &a2, ERIN).await);
    assert_eq!((p1.id(), p2.id()), ("enrol-totp".to_owned(), "enrol-totp".to_owned()));
    align(&app);
    let s1 = p1.attr("[data-totp-secret]", "data-totp-secret").pop().unwrap();
    let codes = At::of(first.submit(p1.form(), &[("code", &code_at(&s1, now(&app)))], REDIRECT).await);
    assert_eq!(codes.id(), "recovery-codes");
    // The other flow was stored when Erin held nothing: with only her password it must not
    // add a second app now, nor show a new seed.
    let s2 = p2.attr("[data-totp-secret]", "data-totp-secret").pop().unwrap();
    let (status, _) = second.submit(p2.form(), &[("code", &code_at(&s2, now(&app)))], REDIRECT).await.page();
    assert_eq!(status, 400);
    assert_eq!(second.follow(p2.url.as_str(), REDIRECT).await.page().0, 400);
    let user = app.state.users.find_for_login(&TenantId::new("acme"), &["safe-customers".into()], "erin").await.unwrap().unwrap().0;
    assert_eq!(app.state.credentials.list(&TenantId::new("acme"), &user.id, CredentialKind::TOTP).await.unwrap().len(), 1);
}
