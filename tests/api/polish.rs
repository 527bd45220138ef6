//! Page polish, themed mails and the theme cache through HTTP (issue 10): labels follow
//! the pools' identifier, applications are named (never by client id), error pages lead
//! back to the application, consent says who is signed in and lets another account sign in
//! ("Not you?", only for the flow's own browser and token), the logout confirmation names
//! the application and can be cancelled, the show-password toggle is our nonce'd script;
//! mails look like the tenant's theme and speak its text overrides in the recipient's
//! language; a publish is seen at once by every node.
use reqwest::Method;
use serde_json::json;
use url::Url;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(
    sign_in_labels_follow_the_pools_identifier,
    applications_are_named_and_error_pages_lead_back_to_them,
    consent_names_the_account_and_not_you_signs_another_in,
    logout_confirmation_names_the_app_and_cancel_keeps_the_session,
    logout_names_the_hinted_client_and_never_as_the_workspace,
    the_show_password_toggle_is_our_script_and_the_field_works_without_it,
    mails_are_themed_and_speak_the_themes_texts_in_the_recipients_language,
    a_published_theme_shows_on_the_next_page,
    terms_and_privacy_links_are_workspace_settings_https_only,
);

fn authorize(app: &TestApp, workspace: &str, client: &str, redirect: &str, extra: &[(&str, &str)]) -> String {
    let (_, challenge) = pkce();
    let mut url = Url::parse(&app.ws_url(workspace, "authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client)
        .append_pair("redirect_uri", redirect)
        .append_pair("scope", "openid")
        .append_pair("state", "s")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    for (k, v) in extra {
        url.query_pairs_mut().append_pair(k, v);
    }
    url.to_string()
}

/// The element matching `selector` (its outer HTML), if any.
fn select(html: &str, selector: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).next().map(|e| e.html())
}

fn text_of(html: &str, selector: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).map(|e| e.text().collect::<String>()).collect::<Vec<_>>().join(" ")
}

async fn sign_in_labels_follow_the_pools_identifier(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    // shop: customers (accounts named by email address).
    let (_, html, _) = browser.first_form(&authorize(&app, "shop", "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    assert_eq!(text_of(&html, "label[for=username]"), "Email address");
    assert!(select(&html, "input#username[type=email][autocomplete^=username]").is_some(), "{html}");
    // gym: members (by phone number).
    let (_, html, _) = browser.first_form(&authorize(&app, "gym", "gym-web", "http://127.0.0.1:9999/gym", &[]), "http://127.0.0.1:9999/gym").await;
    assert_eq!(text_of(&html, "label[for=username]"), "Phone number");
    assert!(select(&html, "input#username[type=tel]").is_some(), "{html}");
    // In German as well, from the catalogue.
    let (_, html, _) = browser.first_form(&authorize(&app, "gym", "gym-web", "http://127.0.0.1:9999/gym", &[("ui_locales", "de")]), "http://127.0.0.1:9999/gym").await;
    assert_eq!(text_of(&html, "label[for=username]"), "Telefonnummer");
    // The reset page asks for the same kind of address.
    let reset = Url::parse(&app.ws_url("gym", "reset")).unwrap();
    let (_, html) = browser.follow(reset.as_str(), "http://127.0.0.1:9999/gym").await.page();
    assert!(select(&html, "input#identifier[type=tel]").is_some() && text_of(&html, "label[for=identifier]") == "Phone number", "{html}");
}

async fn applications_are_named_and_error_pages_lead_back_to_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.provision(
        "tenants:\n  - id: acme\n    workspaces:\n      - id: shop\n        name: ACME Shop\n        clients:\n          - { client_id: shop-spa, name: Shop App, redirect_uris: [\"http://127.0.0.1:9999/spa\"] }\n",
    )
    .await;
    let browser = Browser::default();
    // A client with a name is called by it.
    let (_, html, _) = browser.first_form(&authorize(&app, "shop", "shop-spa", SPA_REDIRECT, &[]), SPA_REDIRECT).await;
    assert!(html.contains("Sign in to continue to Shop App."), "{html}");
    // A client registered without a name is never called by its id: the workspace's name
    // stands in.
    let (url, html, form) = browser.first_form(&authorize(&app, "shop", "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    assert!(html.contains("Sign in to continue to ACME Shop.") && !html.contains("shop-web"), "{html}");
    // An error of a flow whose client is known leads back to the application's site.
    let step = browser.submit(&form, &[("username", "alice@example.com"), ("password", PASSWORD)], WEB_REDIRECT).await;
    let (status, html) = step.page();
    assert_eq!((status, Form::page_id(&html).as_deref()), (200, Some("consent")), "{html}");
    // Consent does not claim the workspace itself receives the data: a neutral phrase.
    assert!(html.contains("An application registered with ACME Shop would like to:") && !html.contains("shop-web"), "{html}");
    let consent = Form::parse(&url, &html).unwrap();
    let (status, html) = browser.submit(&consent, &[("decision", "maybe")], WEB_REDIRECT).await.page();
    assert_eq!((status, Form::page_id(&html).as_deref()), (400, Some("error")));
    assert_eq!(text_of(&html, "a.button"), "Back to ACME Shop", "{html}");
    assert!(select(&html, "a.button[href=\"http://127.0.0.1:9999/\"]").is_some(), "{html}");
    // Protocol words stay under "Technical details".
    assert!(text_of(&html, "details").contains("invalid_request") && !text_of(&html, "p.error").contains("invalid_request"), "{html}");
    // Without a known client there is no way back to offer.
    let (status, html) = browser.follow(&app.url("login?flow=nope"), WEB_REDIRECT).await.page();
    assert_eq!(status, 400);
    assert!(select(&html, "a.button").is_none(), "{html}");
}

async fn consent_names_the_account_and_not_you_signs_another_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let authorize_url = authorize(&app, "shop", "shop-web", WEB_REDIRECT, &[]);
    let (url, _, form) = browser.first_form(&authorize_url, WEB_REDIRECT).await;
    let (_, html) = browser.submit(&form, &[("username", "alice"), ("password", PASSWORD)], WEB_REDIRECT).await.page();
    assert_eq!(Form::page_id(&html).as_deref(), Some("consent"));
    assert!(text_of(&html, ".account").contains("Signed in as alice@example.com."), "{html}");
    let switch = select(&html, "button[formaction]").expect("a Not you? button");
    assert!(switch.contains("Not you? Use another account") && switch.contains("/acme/shop/consent/switch"), "{switch}");
    let consent = Form::parse(&url, &html).unwrap();
    let mut to_switch = consent.clone();
    to_switch.action = url.join("/acme/shop/consent/switch").unwrap();

    // Refused: another browser (no browser cookie of the flow), a wrong CSRF token.
    let other = Browser::default();
    let (status, _) = other.submit(&to_switch, &[], WEB_REDIRECT).await.page();
    assert_eq!(status, 400);
    let mut forged = to_switch.clone();
    forged.fields.retain(|(k, _)| k != "csrf");
    let (status, _) = browser.submit(&forged, &[("csrf", "forged")], WEB_REDIRECT).await.page();
    assert_eq!(status, 400);

    // The flow's own browser: signed out, the same request starts again at the sign-in.
    let acme = portcullis::model::TenantId::new("acme");
    let ended = |events: &[portcullis::storage::identity::AuditRecord]| events.iter().filter(|e| e.action == "session.ended").map(|e| e.detail.clone()).collect::<Vec<_>>();
    assert!(ended(&app.state.audit.audit_events(&acme, None, 100).await.unwrap()).is_empty());
    let (status, html) = browser.submit(&to_switch, &[], WEB_REDIRECT).await.page();
    assert_eq!((status, Form::page_id(&html).as_deref()), (200, Some("login")), "{html}");
    // Recorded like a logout, with why.
    assert_eq!(ended(&app.state.audit.audit_events(&acme, None, 100).await.unwrap()), [json!({ "workspace": "shop", "client": "shop-web", "reason": "switch_account" })]);
    // The old consent form is spent, and the session is gone: a new authorization asks
    // for a sign-in again.
    let (status, _) = browser.submit(&consent, &[("decision", "allow")], WEB_REDIRECT).await.page();
    assert_eq!(status, 400);
    let (_, html, form) = browser.first_form(&authorize_url, WEB_REDIRECT).await;
    assert_eq!(Form::page_id(&html).as_deref(), Some("login"));
    // An account signs in and consents; the code is issued.
    let (url, html) = match browser.submit(&form, &[("username", "alice@example.com"), ("password", PASSWORD)], WEB_REDIRECT).await {
        Step::Page { url, html, .. } => (url, html),
        other => panic!("{other:?}"),
    };
    let arrived = browser.submit(&Form::parse(&url, &html).unwrap(), &[("decision", "allow")], WEB_REDIRECT).await.arrived();
    assert!(query(&arrived, "code").is_some());
}

async fn logout_confirmation_names_the_app_and_cancel_keeps_the_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.provision("tenants:\n  - id: acme\n    workspaces:\n      - id: shop\n        clients:\n          - { client_id: shop-web, name: ACME Shop }\n").await;
    let browser = Browser::default();
    let authorize_url = authorize(&app, "shop", "shop-web", WEB_REDIRECT, &[]);
    browser.sign_in(&authorize_url, WEB_REDIRECT, "alice", PASSWORD, "allow").await;
    let logout = format!("{}?client_id=shop-web&post_logout_redirect_uri={}", app.url("logout"), "http%3A%2F%2F127.0.0.1%3A9999%2F");
    let (url, html) = match browser.follow(&logout, "http://127.0.0.1:9999/").await {
        Step::Page { url, html, .. } => (url, html),
        other => panic!("{other:?}"),
    };
    assert_eq!(Form::page_id(&html).as_deref(), Some("logout"));
    assert!(html.contains("ACME Shop wants to sign you out. Do you want to sign out?"), "{html}");
    let form = Form::parse(&url, &html).unwrap();
    assert!(form.buttons.contains(&("confirm".into(), "yes".into())) && form.buttons.contains(&("confirm".into(), "no".into())), "{:?}", form.buttons);
    // Cancel: nothing ends; the page says so and leads back to the application.
    let (status, html) = browser.submit(&form, &[("confirm", "no")], "http://127.0.0.1:9999/").await.page();
    assert_eq!((status, Form::page_id(&html).as_deref()), (200, Some("notice")), "{html}");
    assert!(html.contains("You are still signed in") && text_of(&html, "a.button") == "Back to ACME Shop", "{html}");
    // Still signed in: a new authorization issues a code without a sign-in page.
    let arrived = browser.follow(&authorize_url, WEB_REDIRECT).await.arrived();
    assert!(query(&arrived, "code").is_some(), "{arrived}");
    // Confirming does end it.
    let (url, html) = match browser.follow(&logout, "http://127.0.0.1:9999/").await {
        Step::Page { url, html, .. } => (url, html),
        other => panic!("{other:?}"),
    };
    let form = Form::parse(&url, &html).unwrap();
    browser.submit(&form, &[("confirm", "yes")], "http://127.0.0.1:9999/").await.arrived();
    let (_, html, _) = browser.first_form(&authorize_url, WEB_REDIRECT).await;
    assert_eq!(Form::page_id(&html).as_deref(), Some("login"));
}

/// The confirmation page names the client the request resolved to, also when only an
/// `id_token_hint` says which (no `client_id`); a client without a name is not shown as
/// the workspace, nor by its id.
async fn logout_names_the_hinted_client_and_never_as_the_workspace(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.provision("tenants:\n  - id: acme\n    workspaces:\n      - id: shop\n        name: ACME Shop\n").await;
    // An ID token of one session (browser A) ...
    let a = Browser::default();
    let code = code_for(&app, &a, "shop-web", WEB_REDIRECT, &[]).await;
    let (status, tokens, _) = token(&app, Some(("shop-web", "shop-web-secret")), &[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", WEB_REDIRECT)]).await;
    assert_eq!(status, 200, "{tokens}");
    let hint = tokens["id_token"].as_str().unwrap().to_owned();
    // ... given to another session's logout (browser B): not proof, so B is asked.
    let b = Browser::default();
    b.sign_in(&authorize(&app, "shop", "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT, "alice", PASSWORD, "allow").await;
    let logout = format!("{}?id_token_hint={hint}", app.url("logout"));
    let (url, html) = match b.follow(&logout, "http://127.0.0.1:9999/").await {
        Step::Page { url, html, .. } => (url, html),
        other => panic!("{other:?}"),
    };
    assert_eq!(Form::page_id(&html).as_deref(), Some("logout"), "{html}");
    assert!(html.contains("An application registered with ACME Shop wants to sign you out.") && !html.contains("shop-web wants"), "{html}");
    // Confirming ends B's session and records it.
    let form = Form::parse(&url, &html).unwrap();
    let (status, _) = b.submit(&form, &[("confirm", "yes")], "http://127.0.0.1:9999/").await.page();
    assert_eq!(status, 200);
    let events = app.state.audit.audit_events(&portcullis::model::TenantId::new("acme"), None, 100).await.unwrap();
    let ended: Vec<_> = events.iter().filter(|e| e.action == "session.ended").map(|e| e.detail.clone()).collect();
    assert_eq!(ended, [json!({ "workspace": "shop", "client": "shop-web", "reason": "logout" })]);
}

async fn the_show_password_toggle_is_our_script_and_the_field_works_without_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let (url, _, _) = browser.first_form(&authorize(&app, "shop", "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    let resp = browser.http.get(url.as_str()).send().await.unwrap();
    let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let html = resp.text().await.unwrap();
    // The field is a plain password field; the toggle is hidden until the script shows it.
    assert!(select(&html, "input#password[type=password]").is_some());
    let toggle = select(&html, "button[data-reveal=password]").expect("the toggle");
    assert!(toggle.contains("hidden") && toggle.contains("type=\"button\"") && toggle.contains("aria-controls=\"password\""), "{toggle}");
    // The script is ours, by nonce; nothing inline runs.
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce").to_owned();
    assert!(csp.contains(&format!("script-src 'nonce-{nonce}'")) && !csp.contains("unsafe-inline"), "{csp}");
    let script = select(&html, "script[src^=\"/static/js/password.js\"]").expect("the script");
    assert!(script.contains(&format!("nonce=\"{nonce}\"")), "{script}");
    let src = script.split("src=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    let js = http().get(format!("{}{src}", app.base)).send().await.unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert!(js.text().await.unwrap().contains("data-reveal"));
    // Only pages with a password field carry it.
    let (_, html) = browser.follow(&app.url("login?flow=nope"), WEB_REDIRECT).await.page();
    assert!(!html.contains("password.js"));
}

async fn mails_are_themed_and_speak_the_themes_texts_in_the_recipients_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let theme = json!({
        "product_name": "ACME Markt",
        "tokens": { "--pc-color-primary": "#8a1538", "--pc-color-link": "#8a1538" },
        "texts": { "de": { "mail-reset-subject": "Ihr neues ACME-Passwort", "mail-reset-link": "Jetzt bei ACME ein neues Passwort wählen" } }
    });
    let (s, b) = api(Method::PUT, &app.admin("/tenants/acme/theme"), &admin, Some(theme)).await;
    assert_eq!(s, 200, "{b}");
    // A reset asked for in German.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", "de-DE,de;q=0.9".parse().unwrap());
    let browser = Browser { http: reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).default_headers(headers).build().unwrap() };
    let reset = Url::parse(&app.url("reset")).unwrap();
    let (_, html) = browser.follow(reset.as_str(), WEB_REDIRECT).await.page();
    let form = Form::parse(&reset, &html).unwrap();
    let (_, html) = browser.submit(&form, &[("identifier", "alice@example.com")], WEB_REDIRECT).await.page();
    assert_eq!(Form::page_id(&html).as_deref(), Some("reset-confirm"), "{html}");
    let m = app.message("alice@example.com", "reset").await;
    assert_eq!(m.locale, "de");
    // The theme's override of the subject and the link, the catalogue's German elsewhere.
    assert_eq!(m.subject, "Ihr neues ACME-Passwort");
    let de = portcullis::texts::builtin("de");
    assert!(m.text.contains("Jetzt bei ACME ein neues Passwort wählen") && m.text.contains(de.mail_ignore.as_str()), "{}", m.text);
    let html = m.html.expect("an HTML part");
    assert!(html.contains("lang=\"de\"") && html.contains("Jetzt bei ACME ein neues Passwort wählen"), "{html}");
    // The theme's colours and product name (its logo is an SVG, which mail clients do not
    // show: the product name stands in).
    assert!(html.contains("background:#8a1538") && html.contains(">ACME Markt</p>") && !html.contains(".svg"), "{html}");
    assert!(m.text.contains("ACME Markt"), "signed with the product name: {}", m.text);

    // A PNG logo (an uploaded asset) is shown by its absolute URL.
    let png = png(64, 32);
    let up = http().post(app.admin("/tenants/acme/assets")).bearer_auth(&admin).header("content-type", "image/png").body(png).send().await.unwrap();
    let asset: serde_json::Value = up.json().await.unwrap();
    let logo = asset["url"].as_str().unwrap().to_owned();
    let (s, b) = api(Method::PATCH, &app.admin("/tenants/acme/theme"), &admin, Some(json!({ "logo_url": logo }))).await;
    assert_eq!(s, 200, "{b}");
    let (_, html) = browser.follow(reset.as_str(), WEB_REDIRECT).await.page();
    let form = Form::parse(&reset, &html).unwrap();
    browser.submit(&form, &[("identifier", "alice@example.com")], WEB_REDIRECT).await.page();
    app.wait_for_messages("alice@example.com", 2).await;
    let m = app.message("alice@example.com", "reset").await;
    let html = m.html.unwrap();
    let public = app.issuer.trim_end_matches("/acme/shop");
    assert!(html.contains(&format!("<img src=\"{public}{logo}\" alt=\"ACME Markt\"")), "{html}");
}

async fn a_published_theme_shows_on_the_next_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let browser = Browser::default();
    let authorize_url = authorize(&app, "shop", "shop-web", WEB_REDIRECT, &[]);
    let (url, html, _) = browser.first_form(&authorize_url, WEB_REDIRECT).await;
    assert!(html.contains("<span>Portcullis</span>"));
    // Published now, seen at once (the cache is told), then changed again and rolled back.
    for (name, version) in [("First", 1), ("Second", 2)] {
        let (s, b) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/shop/theme"), &admin, Some(json!({ "product_name": name }))).await;
        assert_eq!(s, 200, "{b}");
        let html = browser.http.get(url.as_str()).send().await.unwrap().text().await.unwrap();
        assert!(html.contains(&format!("<span>{name}</span>")), "version {version}: {html}");
    }
    let (s, _) = api(Method::POST, &app.admin("/tenants/acme/workspaces/shop/theme/rollback"), &admin, Some(json!({ "version": 1 }))).await;
    assert_eq!(s, 200);
    let html = browser.http.get(url.as_str()).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<span>First</span>"), "{html}");
    // A draft is shown to nobody.
    let (s, _) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/shop/theme/draft"), &admin, Some(json!({ "product_name": "Draft" }))).await;
    assert_eq!(s, 200);
    let html = browser.http.get(url.as_str()).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<span>First</span>") && !html.contains("Draft"));
}

async fn terms_and_privacy_links_are_workspace_settings_https_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let authorize_url = authorize(&app, "shop", "shop-web", WEB_REDIRECT, &[]);
    let (_, html, _) = browser.first_form(&authorize_url, WEB_REDIRECT).await;
    assert!(select(&html, "footer.legal").is_none(), "none set, none shown");
    app.provision("tenants:\n  - id: acme\n    workspaces:\n      - { id: shop, terms_url: \"https://shop.example/terms?a=1&b=2\", privacy_url: \"https://shop.example/privacy\" }\n").await;
    let (_, html, _) = browser.first_form(&authorize_url, WEB_REDIRECT).await;
    assert!(select(&html, "footer.legal a[href=\"https://shop.example/terms?a=1&b=2\"]").is_some_and(|a| a.contains("Terms of use")), "{html}");
    assert!(select(&html, "footer.legal a[href=\"https://shop.example/privacy\"]").is_some_and(|a| a.contains("Privacy policy")), "{html}");
    // In the page's language, and on the error pages too.
    let (_, html, _) = browser.first_form(&authorize(&app, "shop", "shop-web", WEB_REDIRECT, &[("ui_locales", "fr")]), WEB_REDIRECT).await;
    assert!(text_of(&html, "footer.legal").contains("Politique de confidentialité"), "{html}");
    let (_, html) = browser.follow(&app.url("login?flow=nope"), WEB_REDIRECT).await.page();
    assert!(select(&html, "footer.legal").is_some(), "{html}");
    // Another workspace keeps its own (none).
    let (_, html, _) = browser.first_form(&crate::pools::club_authorize(&[], &app), CLUB_REDIRECT).await;
    assert!(select(&html, "footer.legal").is_none());
    // Only https URLs, named by their setting.
    for (key, bad) in [("terms_url", "http://shop.example/terms"), ("privacy_url", "javascript:alert(1)"), ("terms_url", "https://"), ("privacy_url", "https://user:pw@shop.example/")] {
        let yaml = format!("tenants:\n  - id: acme\n    workspaces:\n      - {{ id: shop, {key}: \"{bad}\" }}\n");
        match portcullis::provision::prepare(&app.state, portcullis::provision::parse(&yaml).unwrap(), "test.yaml").await {
            Err(portcullis::provision::PlanError::Invalid(e)) => assert_eq!(e.pointer, format!("/tenants/0/workspaces/0/{key}"), "{bad}"),
            Err(portcullis::provision::PlanError::App(e)) => panic!("{bad}: {e}"),
            Ok(_) => panic!("{bad} accepted"),
        }
    }
    // Left out keeps it; null removes it.
    app.provision("tenants:\n  - id: acme\n    workspaces:\n      - { id: shop, privacy_url: null }\n").await;
    let (_, html, _) = browser.first_form(&authorize_url, WEB_REDIRECT).await;
    assert!(select(&html, "footer.legal a[href=\"https://shop.example/terms?a=1&b=2\"]").is_some() && !html.contains("shop.example/privacy"), "{html}");
    // The admin API's workspace views show them (none: left out), as stored: normalised
    // (lower-case scheme and host, spaces percent-encoded), the form pages link to.
    let admin = app.client_token("acme-admin").await;
    let (s, view) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/shop"), &admin, Some(json!({ "pools": ["customers"], "privacy_url": "HTTPS://Shop.EXAMPLE/privacy policy" }))).await;
    assert_eq!(s, 200, "{view}");
    assert_eq!((view["terms_url"].as_str(), view["privacy_url"].as_str()), (Some("https://shop.example/terms?a=1&b=2"), Some("https://shop.example/privacy%20policy")), "{view}");
    let (_, list) = api(Method::GET, &app.admin("/tenants/acme/workspaces"), &admin, None).await;
    let items = list["items"].as_array().unwrap();
    let shop = items.iter().find(|w| w["id"] == "shop").unwrap();
    assert_eq!(shop["privacy_url"], "https://shop.example/privacy%20policy", "{shop}");
    let club = items.iter().find(|w| w["id"] == "club").unwrap();
    assert!(club.get("terms_url").is_none() && club.get("privacy_url").is_none(), "{club}");
    let (_, html, _) = browser.first_form(&authorize_url, WEB_REDIRECT).await;
    assert!(select(&html, "footer.legal a[href=\"https://shop.example/privacy%20policy\"]").is_some(), "{html}");
}

/// Two nodes behind one balancer (PostgreSQL and Redis): a theme published through one is
/// on the other's next page, although the other had it cached.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_theme_published_on_one_node_is_seen_at_once_on_another() {
    let a = TestApp::spawn(Backend::PostgresRedis).await;
    let b = a.second_node().await;
    let admin = a.client_token("acme-admin").await;
    let browser = Browser::default();
    let (url, html, _) = browser.first_form(&authorize(&a, "shop", "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    assert!(html.contains("<span>Portcullis</span>"));
    let on_b = Url::parse(&url.as_str().replace(&a.base, &b.base)).unwrap();
    // B caches the theme.
    for _ in 0..2 {
        assert!(browser.http.get(on_b.as_str()).send().await.unwrap().text().await.unwrap().contains("<span>Portcullis</span>"));
    }
    let (s, body) = api(Method::PUT, &a.admin("/tenants/acme/theme"), &admin, Some(json!({ "product_name": "Published on A" }))).await;
    assert_eq!(s, 200, "{body}");
    let html = browser.http.get(on_b.as_str()).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<span>Published on A</span>"), "{html}");
}

/// A PNG of `w`×`h` as far as its header says (what the server reads).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]);
    b
}

/// A theme written through a document of the admin API (provisioning's path: the
/// directory's transaction, not `ThemeStore::publish`) is also on the other node's next
/// page, although the other had the old one cached; so is one from `portcullis apply`'s
/// path (`provision::apply`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_theme_written_by_provisioning_is_seen_at_once_on_another_node() {
    let a = TestApp::spawn(Backend::PostgresRedis).await;
    let b = a.second_node().await;
    let admin = a.client_token("acme-admin").await;
    let browser = Browser::default();
    let (url, html, _) = browser.first_form(&authorize(&a, "shop", "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    assert!(html.contains("<span>Portcullis</span>"));
    let on_b = Url::parse(&url.as_str().replace(&a.base, &b.base)).unwrap();
    let page_on_b = || async { browser.http.get(on_b.as_str()).send().await.unwrap().text().await.unwrap() };
    // B caches the theme.
    for _ in 0..2 {
        assert!(page_on_b().await.contains("<span>Portcullis</span>"));
    }
    let (s, body) = api(Method::PUT, &a.admin("/tenants/acme/workspaces/shop"), &admin, Some(json!({ "pools": ["customers"], "theme": { "product_name": "Documented on A" } }))).await;
    assert_eq!(s, 200, "{body}");
    let html = page_on_b().await;
    assert!(html.contains("<span>Documented on A</span>"), "{html}");
    // A provisioning file, applied on A.
    a.provision("tenants:\n  - id: acme\n    theme: { product_name: Provisioned }\n    workspaces:\n      - id: shop\n        theme: { product_name: Provisioned shop }\n").await;
    let html = page_on_b().await;
    assert!(html.contains("<span>Provisioned shop</span>"), "{html}");
}
