//! Email and SMS codes as second factors (`email_otp`, `sms_otp`), through HTTP with the
//! outbox: sent to the verified address only, once per flow until resent, within the code
//! limits; a code proves only its flow and user; the pages refuse a factor the flow does
//! not offer and forms without the flow's CSRF token.
use url::Url;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(an_email_code_is_a_second_factor, an_sms_code_is_a_second_factor, a_code_counts_only_for_its_flow, pages_refuse_what_the_flow_does_not_offer, resends_are_limited, wrong_codes_lock_the_factor);

const BANK_REDIRECT: &str = "http://127.0.0.1:9999/bank";

const BANK: &str = r#"
tenants:
  - id: acme
    pools:
      - id: bankers
        mfa: { policy: required, factors: [email_otp, sms_otp] }
        users:
          - { username: ursula, email: ursula@example.com, password: "vault keeper 41" }
          - { username: sam, phone: "+4915112345678", password: "river stone 77x" }
    workspaces:
      - id: bank
        pools: [bankers]
        clients:
          - client_id: bank-web
            client_secret: bank-web-secret
            redirect_uris: [ "http://127.0.0.1:9999/bank" ]
            scopes: [openid, email, phone]
            consent: implicit
"#;

async fn bank(backend: Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    app.provision(BANK).await;
    app
}

fn bank_authorize(app: &TestApp) -> String {
    let mut url = Url::parse(&app.ws_url("bank", "authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", "bank-web")
        .append_pair("redirect_uri", BANK_REDIRECT)
        .append_pair("scope", "openid")
        .append_pair("state", "s");
    url.to_string()
}

/// Signs in with the password; returns the page the flow shows next (url, html, form).
async fn after_password(app: &TestApp, b: &Browser, user: &str, password: &str) -> (Url, String, Form) {
    let (_, _, form) = b.first_form(&bank_authorize(app), BANK_REDIRECT).await;
    match b.submit(&form, &[("username", user), ("password", password)], BANK_REDIRECT).await {
        Step::Page { url, status: 200, html } => {
            let form = Form::parse(&url, &html).unwrap_or_else(|| panic!("no form at {url}: {html}"));
            (url, html, form)
        }
        other => panic!("expected the code page, got {other:?}"),
    }
}

async fn id_token_claims(app: &TestApp, arrived: &Url) -> serde_json::Value {
    let code = query(arrived, "code").unwrap_or_else(|| panic!("no code in {arrived}"));
    let resp = http()
        .post(app.ws_url("bank", "token"))
        .basic_auth("bank-web", Some("bank-web-secret"))
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", BANK_REDIRECT)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    TestApp::id_token_claims(&resp.json().await.unwrap())
}

async fn an_email_code_is_a_second_factor(backend: Backend) {
    let app = bank(backend).await;
    let b = Browser::default();
    let (url, html, form) = after_password(&app, &b, "ursula", "vault keeper 41").await;
    assert_eq!(Form::page_id(&html).as_deref(), Some("email-otp"), "{html}");
    assert!(url.path().ends_with("/acme/bank/email-otp"), "{url}");
    assert!(html.contains("u•••@example.com") && html.contains("name=\"code\"") && html.contains("autocomplete=\"one-time-code\"") && html.contains("name=\"resend\""), "{html}");
    let sent = app.message("ursula@example.com", "second_factor").await;
    let code = sent.code.clone().unwrap();
    // Reloading the page sends nothing new.
    let (status, _) = b.follow(url.as_str(), BANK_REDIRECT).await.page();
    assert_eq!(status, 200);
    app.wait_for_messages("ursula@example.com", 2).await;
    assert_eq!(app.messages_to("ursula@example.com"), 1);
    // Without the flow's CSRF token: refused, and the code still counts.
    let forged: Vec<(String, String)> = form.fields.iter().map(|(k, v)| (k.clone(), if k == "csrf" { "forged".into() } else { v.clone() })).collect();
    let resp = b.http.post(form.action.clone()).form(&[forged, vec![("code".into(), code.clone())]].concat()).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    // A wrong code is refused with the attempts left, linked to the field.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, html) = b.submit(&form, &[("code", wrong)], BANK_REDIRECT).await.page();
    assert_eq!(status, 422);
    assert!(html.contains("more wrong codes") && html.contains("href=\"#code\"") && html.contains("aria-invalid=\"true\""), "{html}");
    // The right one finishes the sign-in with two factors.
    let arrived = b.submit(&form, &[("code", &code)], BANK_REDIRECT).await.arrived();
    let claims = id_token_claims(&app, &arrived).await;
    assert_eq!(claims["acr"], "urn:portcullis:loa:2", "{claims}");
    let amr: Vec<&str> = claims["amr"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(amr.contains(&"pwd") && amr.contains(&"otp") && amr.contains(&"mfa"), "{amr:?}");
    // The code is spent.
    let resp = b.http.post(form.action.clone()).form(&[form.fields.clone(), vec![("code".into(), code)]].concat()).send().await.unwrap();
    assert_ne!(resp.status(), 302);
}

async fn an_sms_code_is_a_second_factor(backend: Backend) {
    let app = bank(backend).await;
    let b = Browser::default();
    let (_, html, form) = after_password(&app, &b, "sam", "river stone 77x").await;
    assert_eq!(Form::page_id(&html).as_deref(), Some("sms-otp"), "{html}");
    let sent = app.message("+4915112345678", "second_factor").await;
    assert_eq!(sent.channel, portcullis::delivery::Channel::Sms);
    let arrived = b.submit(&form, &[("code", &sent.code.unwrap())], BANK_REDIRECT).await.arrived();
    let claims = id_token_claims(&app, &arrived).await;
    let amr: Vec<&str> = claims["amr"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(amr.contains(&"sms") && amr.contains(&"mfa"), "{amr:?}");
}

async fn a_code_counts_only_for_its_flow(backend: Backend) {
    let app = bank(backend).await;
    let (b1, b2) = (Browser::default(), Browser::default());
    let (_, _, form1) = after_password(&app, &b1, "ursula", "vault keeper 41").await;
    let first = app.message("ursula@example.com", "second_factor").await.code.unwrap();
    let (_, _, form2) = after_password(&app, &b2, "ursula", "vault keeper 41").await;
    app.wait_for_messages("ursula@example.com", 2).await;
    let second = app.message("ursula@example.com", "second_factor").await.code.unwrap();
    if first != second {
        // The first flow's code does not pass the second flow.
        let (status, _) = b2.submit(&form2, &[("code", &first)], BANK_REDIRECT).await.page();
        assert_eq!(status, 422);
    }
    // Nor does Sam's code pass Ursula's flow.
    let b3 = Browser::default();
    let (_, _, _) = after_password(&app, &b3, "sam", "river stone 77x").await;
    let sams = app.message("+4915112345678", "second_factor").await.code.unwrap();
    if sams != first {
        let (status, _) = b1.submit(&form1, &[("code", &sams)], BANK_REDIRECT).await.page();
        assert_eq!(status, 422);
    }
    b1.submit(&form1, &[("code", &first)], BANK_REDIRECT).await.arrived();
    b2.submit(&form2, &[("code", &second)], BANK_REDIRECT).await.arrived();
}

async fn pages_refuse_what_the_flow_does_not_offer(backend: Backend) {
    let app = bank(backend).await;
    let b = Browser::default();
    let (url, _, form) = after_password(&app, &b, "ursula", "vault keeper 41").await;
    let flow = query(&url, "flow").unwrap();
    // Ursula's flow offers email codes, not SMS codes: the SMS page neither shows nor accepts.
    let sms = format!("{}?flow={flow}", app.ws_url("bank", "sms-otp"));
    let (status, _) = b.follow(&sms, BANK_REDIRECT).await.page();
    assert_eq!(status, 400);
    let resp = b.http.post(app.ws_url("bank", "sms-otp")).form(&[form.fields.clone(), vec![("code".into(), "123456".into())]].concat()).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(app.messages_to("+4915112345678"), 0);
    // Another browser cannot use the flow.
    let (status, _) = Browser::default().follow(url.as_str(), BANK_REDIRECT).await.page();
    assert_eq!(status, 400);
    // A flow that has not passed the password yet is offered nothing.
    let fresh = Browser::default();
    let (login, _, _) = fresh.first_form(&bank_authorize(&app), BANK_REDIRECT).await;
    let early = format!("{}?flow={}", app.ws_url("bank", "email-otp"), query(&login, "flow").unwrap());
    let (status, _) = fresh.follow(&early, BANK_REDIRECT).await.page();
    assert_eq!(status, 400);
}

async fn resends_are_limited(backend: Backend) {
    let app = bank(backend).await;
    let b = Browser::default();
    let (_, _, form) = after_password(&app, &b, "ursula", "vault keeper 41").await;
    let first = app.message("ursula@example.com", "second_factor").await.code.unwrap();
    let (status, html) = b.submit(&form, &[("resend", "1")], BANK_REDIRECT).await.page();
    assert_eq!(status, 200);
    assert!(html.contains("We sent a new code."), "{html}");
    app.wait_for_messages("ursula@example.com", 2).await;
    let second = app.message("ursula@example.com", "second_factor").await.code.unwrap();
    if first != second {
        let (status, _) = b.submit(&form, &[("code", &first)], BANK_REDIRECT).await.page();
        assert_eq!(status, 422, "the replaced code");
    }
    // A challenge is sent at most three times an hour.
    let (status, _) = b.submit(&form, &[("resend", "1")], BANK_REDIRECT).await.page();
    assert_eq!(status, 200);
    let (status, html) = b.submit(&form, &[("resend", "1")], BANK_REDIRECT).await.page();
    assert_eq!(status, 429, "{html}");
    app.wait_for_messages("ursula@example.com", 3).await;
    assert_eq!(app.messages_to("ursula@example.com"), 3);
    let latest = app.message("ursula@example.com", "second_factor").await.code.unwrap();
    b.submit(&form, &[("code", &latest)], BANK_REDIRECT).await.arrived();
}

async fn wrong_codes_lock_the_factor(backend: Backend) {
    let app = bank(backend).await;
    let b = Browser::default();
    let (_, _, form) = after_password(&app, &b, "ursula", "vault keeper 41").await;
    let code = app.message("ursula@example.com", "second_factor").await.code.unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        let (status, _) = b.submit(&form, &[("code", wrong)], BANK_REDIRECT).await.page();
        assert_eq!(status, 422);
    }
    // The fifth wrong code locks email codes for this user (the second-factor throttle).
    let (status, html) = b.submit(&form, &[("code", wrong)], BANK_REDIRECT).await.page();
    assert_eq!((status, Form::page_id(&html).as_deref()), (429, Some("factor-locked")), "{html}");
    let (status, _) = b.submit(&form, &[("code", &code)], BANK_REDIRECT).await.page();
    assert_eq!(status, 429, "even the right code while locked");
    let admin = app.client_token("acme-admin").await;
    let (_, body) = api(reqwest::Method::GET, &app.admin("/tenants/acme/audit?limit=500"), &admin, None).await;
    assert!(body["items"].as_array().unwrap().iter().any(|e| e["action"] == "mfa.locked" && e["detail"]["factor"] == "email_otp"), "{body}");
}
