//! Identity pools on the hosted pages: self-registration from the pool's schema, email
//! OTP activation, resend and attempt limits, password reset without enumeration.
use url::Url;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(registration_by_phone_with_an_sms_code, registration_activates_and_signs_in, registration_reports_every_violation, codes_expire_limit_attempts_and_resends, registration_does_not_reveal_accounts, password_reset_revokes_sessions_and_tokens, reset_does_not_reveal_accounts);

pub(crate) fn club_authorize(extra: &[(&str, &str)], app: &TestApp) -> String {
    let mut url = Url::parse(&app.ws_url("club", "authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", "club-web")
        .append_pair("redirect_uri", CLUB_REDIRECT)
        .append_pair("scope", "openid profile email offline_access")
        .append_pair("state", "s");
    for (k, v) in extra {
        url.query_pairs_mut().append_pair(k, v);
    }
    url.to_string()
}

pub(crate) fn link(html: &str, text: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("a").unwrap();
    doc.select(&sel).find(|a| a.text().collect::<String>().contains(text)).and_then(|a| a.value().attr("href")).unwrap_or_else(|| panic!("no link {text:?} in {html}")).to_owned()
}

/// The registration page of a fresh sign-in flow on `club`.
pub(crate) async fn registration_page(app: &TestApp, browser: &Browser) -> (Url, String, Form) {
    let (login_url, html, _) = browser.first_form(&club_authorize(&[], app), CLUB_REDIRECT).await;
    let href = link(&html, "Create an account");
    let url = login_url.join(&href).unwrap();
    let (status, html) = browser.follow(url.as_str(), CLUB_REDIRECT).await.page();
    assert_eq!(status, 200, "{html}");
    let form = Form::parse(&url, &html).unwrap();
    (url, html, form)
}

pub(crate) const GOOD: &[(&str, &str)] = &[("given_name", "Nora"), ("family_name", "North"), ("plan", "plus"), ("birth_year", "1990"), ("newsletter", "on")];

async fn registration_activates_and_signs_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let (_, html, form) = registration_page(&app, &browser).await;
    // Generated from the consumer-profile schema: labels, required fields, types, enums.
    for needle in ["name=\"email\"", "name=\"password\"", "First name", "name=\"given_name\"", "<select id=\"f-plan\" name=\"plan\"", "value=\"plus\"", "type=\"number\"", "type=\"checkbox\"", "A digit"] {
        assert!(html.contains(needle), "{needle} missing in {html}");
    }
    let mut fields = GOOD.to_vec();
    fields.extend([("email", "Nora@Example.com"), ("password", "bright lake 77")]);
    let step = browser.submit(&form, &fields, CLUB_REDIRECT).await;
    let Step::Page { url, status, html } = step else { panic!("expected the code page") };
    assert_eq!(status, 200);
    assert!(url.path().ends_with("/verify"), "{url}");
    assert!(html.contains("name=\"code\""));

    // Not active yet: signing in is refused.
    let user = app.state.users.find_user(&portcullis::model::TenantId::new("acme"), "consumers", portcullis::storage::identity::Lookup::Email, "nora@example.com").await.unwrap().unwrap();
    assert_eq!(user.status, portcullis::storage::UserStatus::New);
    assert!(!user.email_verified);
    assert_eq!(user.claims["plan"], "plus");
    assert_eq!(user.claims["birth_year"], 1990);
    assert_eq!(user.claims["newsletter"], true);

    let msg = app.message("nora@example.com", "activation").await;
    let code = msg.code.clone().unwrap();
    assert!(msg.text.contains(&code));
    let form = Form::parse(&url, &html).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, html) = browser.submit(&form, &[("code", wrong)], CLUB_REDIRECT).await.page();
    assert_eq!(status, 422);
    assert!(html.contains("4 attempts left"), "{html}");
    // The right code activates the account and finishes the sign-in: back to the client.
    let back = browser.submit(&form, &[("code", &code)], CLUB_REDIRECT).await.arrived();
    assert!(query(&back, "code").is_some(), "{back}");
    let user = app.state.users.get(&portcullis::model::TenantId::new("acme"), &user.id).await.unwrap().unwrap();
    assert_eq!(user.status, portcullis::storage::UserStatus::Active);
    assert!(user.email_verified);
    // A used code cannot be used again.
    let (status, _) = browser.submit(&form, &[("code", &code)], CLUB_REDIRECT).await.page();
    assert_eq!(status, 400);
    // And the new account signs in like any other.
    let other = Browser::default();
    let back = other.sign_in(&club_authorize(&[], &app), CLUB_REDIRECT, "nora@example.com", "bright lake 77", "allow").await;
    assert!(query(&back, "code").is_some());

    // A registration never confirmed is not a dead end: registering again replaces it.
    let first = Browser::default();
    let (_, html1) = start_registration(&app, &first, "otto@example.com").await;
    assert!(html1.contains("name=\"code\""));
    let again = Browser::default();
    let (_, _, form) = registration_page(&app, &again).await;
    let mut fields = GOOD.to_vec();
    fields.extend([("email", "otto@example.com"), ("password", "second choice 42")]);
    let Step::Page { url, html, .. } = again.submit(&form, &fields, CLUB_REDIRECT).await else { panic!() };
    app.wait_for_messages("otto@example.com", 2).await;
    let code = app.message("otto@example.com", "activation").await.code.unwrap();
    let back = again.submit(&Form::parse(&url, &html).unwrap(), &[("code", &code)], CLUB_REDIRECT).await.arrived();
    assert!(query(&back, "code").is_some());
    let back = Browser::default().sign_in(&club_authorize(&[], &app), CLUB_REDIRECT, "otto@example.com", "second choice 42", "allow").await;
    assert!(query(&back, "code").is_some());
}

async fn registration_reports_every_violation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let (_, _, form) = registration_page(&app, &browser).await;
    let fields = [("email", "not-an-email"), ("password", "short"), ("plan", "gold"), ("birth_year", "abc"), ("family_name", "X")];
    let (status, html) = browser.submit(&form, &fields, CLUB_REDIRECT).await.page();
    assert_eq!(status, 422);
    // Each refused field says so next to it; the password names the rules it missed.
    for needle in ["<p class=\"error\" id=\"e-email\">Please check this entry.</p>", "<p class=\"error\">At least 10 characters</p>", "<p class=\"error\">A digit</p>", "id=\"e-given_name\"", "id=\"e-birth_year\""] {
        assert!(html.to_lowercase().contains(&needle.to_lowercase()), "{needle} missing in {html}");
    }
    // Nothing was written, no message sent.
    assert!(app.state.users.find_user(&portcullis::model::TenantId::new("acme"), "consumers", portcullis::storage::identity::Lookup::Email, "not-an-email").await.unwrap().is_none());
    // Common passwords and the identifier are refused with their own message.
    let (_, _, form) = registration_page(&app, &browser).await;
    let mut fields = GOOD.to_vec();
    fields.extend([("email", "zed@example.com"), ("password", "zed@example.com1")]);
    let (status, html) = browser.submit(&form, &fields, CLUB_REDIRECT).await.page();
    assert_eq!(status, 422);
    assert!(html.contains("<p class=\"error\">Not your username, email address or phone number</p>"), "{html}");
    let (_, _, form) = registration_page(&app, &browser).await;
    let mut fields = GOOD.to_vec();
    fields.extend([("email", "zed@example.com"), ("password", "password123")]);
    let (status, html) = browser.submit(&form, &fields, CLUB_REDIRECT).await.page();
    assert_eq!(status, 422);
    assert!(html.contains("<p class=\"error\">Not a commonly used password</p>"), "{html}");
    assert_eq!(app.messages_to("zed@example.com"), 0);
}

pub(crate) async fn start_registration(app: &TestApp, browser: &Browser, email: &str) -> (Url, String) {
    let (_, _, form) = registration_page(app, browser).await;
    let mut fields = GOOD.to_vec();
    fields.extend([("email", email), ("password", "a fine password 9")]);
    match browser.submit(&form, &fields, CLUB_REDIRECT).await {
        Step::Page { url, status: 200, html } => (url, html),
        other => panic!("expected the code page, got {other:?}"),
    }
}

async fn codes_expire_limit_attempts_and_resends(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let (url, html) = start_registration(&app, &browser, "rita@example.com").await;
    let doc_forms = |html: &str| -> (Form, Form) {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("form").unwrap();
        let forms: Vec<String> = doc.select(&sel).map(|f| f.html()).collect();
        (Form::parse(&url, &forms[0]).unwrap(), Form::parse(&url, &forms[1]).unwrap())
    };
    let (_, resend) = doc_forms(&html);
    // Two resends are allowed within the hour (three messages in all), then 429.
    for expected in [200, 200, 429] {
        let (status, html) = browser.submit(&resend, &[("resend", "1")], CLUB_REDIRECT).await.page();
        assert_eq!(status, expected, "{html}");
    }
    app.wait_for_messages("rita@example.com", 3).await;
    assert_eq!(app.messages_to("rita@example.com"), 3);
    // Only the newest code counts; five wrong guesses end the challenge.
    let (verify, _) = doc_forms(&html);
    for left in (1..5).rev() {
        let (status, html) = browser.submit(&verify, &[("code", "abcdef")], CLUB_REDIRECT).await.page();
        assert_eq!(status, 422);
        let want = if left == 1 { "one attempt left".to_owned() } else { format!("{left} attempts left") };
        assert!(html.contains(&want), "{html}");
    }
    let code = app.message("rita@example.com", "activation").await.code.unwrap();
    let (status, _) = browser.submit(&verify, &[("code", "abcdef")], CLUB_REDIRECT).await.page();
    assert_eq!(status, 400);
    let (status, _) = browser.submit(&verify, &[("code", &code)], CLUB_REDIRECT).await.page();
    assert_eq!(status, 400, "a locked challenge stays locked");

    // Codes expire.
    let (url2, html2) = start_registration(&app, &browser, "sam@example.com").await;
    let code = app.message("sam@example.com", "activation").await.code.unwrap();
    app.clock.advance(portcullis::identity::otp::CODE_TTL + 1);
    let form = Form::parse(&url2, &html2).unwrap();
    let (status, _) = browser.submit(&form, &[("code", &code)], CLUB_REDIRECT).await.page();
    assert_eq!(status, 400);
    // A challenge belongs to its browser.
    let (url3, html3) = start_registration(&app, &browser, "tim@example.com").await;
    let code = app.message("tim@example.com", "activation").await.code.unwrap();
    let thief = Browser::default();
    let (status, _) = thief.submit(&Form::parse(&url3, &html3).unwrap(), &[("code", &code)], CLUB_REDIRECT).await.page();
    assert_eq!(status, 400);
}

/// Challenge ids, CSRF tokens, nonces and masked addresses differ by design; the rest must not.
pub(crate) fn normalised(html: &str) -> String {
    let re_attr = |s: &str, attr: &str| -> String {
        let mut out = String::new();
        let mut rest = s;
        let needle = format!("{attr}=\"");
        while let Some(i) = rest.find(&needle) {
            out.push_str(&rest[..i + needle.len()]);
            rest = &rest[i + needle.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    };
    let s = re_attr(&re_attr(&re_attr(html, "value"), "nonce"), "href");
    s.lines().filter(|l| !l.contains("•••")).collect::<Vec<_>>().join("\n")
}

async fn registration_does_not_reveal_accounts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // argon2 runs per submission, for a taken and for a free address.
    let mut existing_work = vec![];
    let mut new_work = vec![];
    let mut pages = vec![];
    for i in 0..3 {
        for (email, work) in [("mona@example.com".to_owned(), &mut existing_work), (format!("fresh{i}@example.com"), &mut new_work)] {
            let browser = Browser::default();
            let (_, _, form) = registration_page(&app, &browser).await;
            let mut fields = GOOD.to_vec();
            fields.extend([("email", email.as_str()), ("password", "a fine password 9")]);
            let before = app.state.hasher.runs();
            let step = browser.submit(&form, &fields, CLUB_REDIRECT).await;
            work.push(app.state.hasher.runs() - before);
            let Step::Page { url, status, html } = step else { panic!() };
            assert_eq!(status, 200);
            assert!(url.path().ends_with("/verify"));
            pages.push((email, url, html));
        }
    }
    // Same page for a taken and a free address.
    assert_eq!(normalised(&pages[0].2), normalised(&pages[1].2));
    // The owner of the taken address is told; the decoy code never verifies.
    let notice = app.message("mona@example.com", "account_exists").await;
    assert!(notice.code.is_none());
    let (_, url, html) = &pages[0];
    let (status, _) = Browser::default().submit(&Form::parse(url, html).unwrap(), &[("code", "123456")], CLUB_REDIRECT).await.page();
    assert_eq!(status, 400, "another browser cannot use the challenge");
    // The same work: both hash the password, as often (a skipped argon2 on either path would
    // show in the response time).
    assert!(new_work.iter().all(|&n| n >= 1), "the password of a new account is hashed: {new_work:?}");
    assert_eq!(existing_work, new_work, "argon2 runs: taken address vs free address");
}

pub(crate) async fn token_with_refresh(app: &TestApp, browser: &Browser, username: &str, password: &str) -> String {
    let back = browser.sign_in(&club_authorize(&[], app), CLUB_REDIRECT, username, password, "allow").await;
    let code = query(&back, "code").unwrap();
    let resp = http()
        .post(app.ws_url("club", "token"))
        .basic_auth("club-web", Some("club-web-secret"))
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", CLUB_REDIRECT)])
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = resp.json().await.unwrap();
    body["refresh_token"].as_str().unwrap_or_else(|| panic!("{body}")).to_owned()
}

pub(crate) async fn reset_form(app: &TestApp, browser: &Browser) -> (Url, Form) {
    let url = Url::parse(&app.ws_url("club", "reset")).unwrap();
    let (status, html) = browser.follow(url.as_str(), CLUB_REDIRECT).await.page();
    assert_eq!(status, 200);
    assert!(html.contains("name=\"identifier\""));
    (url.clone(), Form::parse(&url, &html).unwrap())
}

async fn password_reset_revokes_sessions_and_tokens(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let signed_in = Browser::default();
    let refresh = token_with_refresh(&app, &signed_in, "tom@example.com", "consumer password 1").await;

    // The reset is reachable from the sign-in page.
    let browser = Browser::default();
    let (_, html, _) = browser.first_form(&club_authorize(&[], &app), CLUB_REDIRECT).await;
    assert!(html.contains("Forgot your password?"));
    let (_, form) = reset_form(&app, &browser).await;
    let Step::Page { url, status, html } = browser.submit(&form, &[("identifier", "TOM@example.com")], CLUB_REDIRECT).await else { panic!() };
    assert_eq!(status, 200);
    assert!(url.path().ends_with("/reset/confirm"));
    let msg = app.message("tom@example.com", "reset").await;
    let code = msg.code.clone().unwrap();
    assert!(msg.link.as_deref().unwrap().contains(&code));
    let form = Form::parse(&url, &html).unwrap();

    // The policy, and the history of the last passwords, apply.
    let (status, html) = browser.submit(&form, &[("code", &code), ("password", "short")], CLUB_REDIRECT).await.page();
    assert_eq!(status, 422);
    assert!(html.contains("<p>At least 10 characters</p>"), "{html}");
    let (status, html) = browser.submit(&form, &[("code", &code), ("password", "consumer password 1")], CLUB_REDIRECT).await.page();
    assert_eq!(status, 422);
    assert!(html.contains("<p>Not your previous password</p>") || html.contains("<p>Not one of your last"), "{html}");
    // The link from the message opens the same form with the code filled in.
    let (status, html) = browser.follow(msg.link.as_deref().unwrap(), CLUB_REDIRECT).await.page();
    assert_eq!(status, 200);
    assert!(html.contains(&format!("value=\"{code}\"")));
    let (status, html) = browser.submit(&form, &[("code", &code), ("password", "brand new secret 42")], CLUB_REDIRECT).await.page();
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Password changed"));

    // Every refresh token and session of the user is gone.
    let resp = http()
        .post(app.ws_url("club", "token"))
        .basic_auth("club-web", Some("club-web-secret"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let back = signed_in.follow(&club_authorize(&[("prompt", "none")], &app), CLUB_REDIRECT).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("login_required"));
    // The old password no longer works, the new one does.
    let b = Browser::default();
    let (_, _, form) = b.first_form(&club_authorize(&[], &app), CLUB_REDIRECT).await;
    let (status, _) = b.submit(&form, &[("username", "tom@example.com"), ("password", "consumer password 1")], CLUB_REDIRECT).await.page();
    assert_eq!(status, 200);
    let back = Browser::default().sign_in(&club_authorize(&[], &app), CLUB_REDIRECT, "tom@example.com", "brand new secret 42", "allow").await;
    assert!(query(&back, "code").is_some());
}

async fn reset_does_not_reveal_accounts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut pages = vec![];
    // argon2 runs per request, for a known and for an unknown address.
    let mut work = (vec![], vec![]);
    for _ in 0..3 {
        for (who, known) in [("bea@example.com", true), ("nobody@example.com", false)] {
            let browser = Browser::default();
            let (_, form) = reset_form(&app, &browser).await;
            let before = app.state.hasher.runs();
            let Step::Page { url, status, html } = browser.submit(&form, &[("identifier", who)], CLUB_REDIRECT).await else { panic!() };
            let spent = app.state.hasher.runs() - before;
            if known { work.0.push(spent) } else { work.1.push(spent) }
            assert_eq!(status, 200);
            assert!(url.path().ends_with("/reset/confirm"));
            pages.push((browser, url, html));
        }
    }
    assert_eq!(normalised(&pages[0].2), normalised(&pages[1].2));
    assert_eq!(app.messages_to("nobody@example.com"), 0);
    // The real codes went out (off the request path: the answer does not wait on delivery).
    app.wait_for_messages("bea@example.com", 3).await;
    assert_eq!(app.messages_to("bea@example.com"), 3);
    // The decoy takes codes like the real thing and never accepts one.
    let (browser, url, html) = &pages[1];
    let (status, html) = browser.submit(&Form::parse(url, html).unwrap(), &[("code", "123456"), ("password", "brand new secret 42")], CLUB_REDIRECT).await.page();
    assert_eq!(status, 422);
    assert!(html.contains("attempts left"));
    // The same work on both paths.
    assert_eq!(work.0, work.1, "argon2 runs: known address vs unknown address");
}

async fn registration_by_phone_with_an_sms_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let redirect = "http://127.0.0.1:9999/gym";
    let mut url = Url::parse(&app.ws_url("gym", "authorize")).unwrap();
    url.query_pairs_mut().append_pair("response_type", "code").append_pair("client_id", "gym-web").append_pair("redirect_uri", redirect).append_pair("scope", "openid phone");
    let (login_url, html, _) = browser.first_form(url.as_str(), redirect).await;
    let register = login_url.join(&link(&html, "Create an account")).unwrap();
    let (status, html) = browser.follow(register.as_str(), redirect).await.page();
    assert_eq!(status, 200);
    assert!(html.contains("name=\"phone\"") && html.contains("type=\"tel\"") && !html.contains("name=\"email\""), "{html}");
    let form = Form::parse(&register, &html).unwrap();
    let Step::Page { url: verify, status, html } = browser.submit(&form, &[("phone", "+49 151 1234 5678"), ("password", "gym member secret")], redirect).await else { panic!() };
    assert_eq!(status, 200, "{html}");
    let sms = app.message("+4915112345678", "activation").await;
    assert_eq!(sms.channel, portcullis::delivery::Channel::Sms);
    let back = browser.submit(&Form::parse(&verify, &html).unwrap(), &[("code", &sms.code.unwrap())], redirect).await.arrived();
    let code = query(&back, "code").unwrap();
    let resp = http()
        .post(app.ws_url("gym", "token"))
        .basic_auth("gym-web", Some("gym-web-secret"))
        .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", redirect)])
        .send()
        .await
        .unwrap();
    let tokens: serde_json::Value = resp.json().await.unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let info: serde_json::Value = http().get(app.ws_url("gym", "userinfo")).bearer_auth(access).send().await.unwrap().json().await.unwrap();
    assert_eq!(info["phone_number"], "+4915112345678");
    assert_eq!(info["phone_number_verified"], true);
    // The phone number is the login name.
    let again = Browser::default().sign_in(url.as_str(), redirect, "+4915112345678", "gym member secret", "allow").await;
    assert!(query(&again, "code").is_some());
}
