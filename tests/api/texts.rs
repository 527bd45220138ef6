//! Texts in every shipped language: every page (samples and the real pages over HTTP)
//! renders in every locale from the catalogue with no missing key and no English left;
//! Arabic pages run right to left; the locale follows ui_locales, then Accept-Language;
//! mails go out in the language of the page that caused them, with HTML and text parts.
use portcullis::locale::LOCALES;
use portcullis::texts::{self, KEYS, key_of};
use portcullis::views::{PageId, samples};

use crate::helpers::*;
use crate::on_every_backend;
use crate::pools::{GOOD, club_authorize, link};

on_every_backend!(hosted_pages_speak_every_locale, ui_locales_de_gives_german_pages_and_a_german_mail, accept_language_is_honoured, tenant_sender_and_workspace_default_locale);

/// The text a user reads on a page: every text node of the body, except the technical
/// details (error codes) and the sample data.
fn visible_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let details = scraper::Selector::parse("details").unwrap();
    let hidden: Vec<String> = doc.select(&details).map(|d| d.text().collect::<String>()).collect();
    let body = scraper::Selector::parse("body").unwrap();
    let mut text: String = doc.select(&body).flat_map(|b| b.text()).collect::<Vec<_>>().join("\n");
    for h in hidden {
        text = text.replace(&h, "");
    }
    text
}

/// Whether `needle` occurs in `text` as whole words ("Continue" is not in "Continuer").
fn contains_words(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The `<html>` element's `lang` and `dir`.
fn lang_dir(html: &str) -> (String, String) {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("html").unwrap();
    let el = doc.select(&sel).next().unwrap();
    (el.value().attr("lang").unwrap_or("").to_owned(), el.value().attr("dir").unwrap_or("").to_owned())
}

/// What is wrong with a page in `lang`: the wrong `lang`/`dir`, a key shown instead of
/// its text, or an English text (one the locale words differently) left on it.
fn problems(lang: &str, html: &str) -> Vec<String> {
    let mut out = vec![];
    let (l, d) = lang_dir(html);
    let want_dir = if lang == "ar" { "rtl" } else { "ltr" };
    if l != lang || d != want_dir {
        out.push(format!("<html lang={l:?} dir={d:?}>, expected {lang} {want_dir}"));
    }
    let text = visible_text(html);
    for (name, _) in KEYS {
        let key = key_of(name);
        if key.contains('-') && text.lines().any(|line| line.trim() == key) {
            out.push(format!("key {key} shown instead of its text"));
        }
    }
    if lang != "en" {
        let en = texts::builtin("en");
        let t = texts::builtin(lang);
        for (name, vars) in KEYS {
            if !vars.is_empty() {
                continue;
            }
            let english = en.text(name, &[]);
            // Short words that are the same in both languages (e.g. "Code") are fine.
            if english != t.text(name, &[]) && english.len() > 3 && contains_words(&text, &english) {
                out.push(format!("English text of {} left: {english:?}", key_of(name)));
            }
        }
    }
    out
}

#[test]
fn every_page_sample_renders_in_every_locale() {
    let theme = portcullis::theme::resolve(&[portcullis::theme::builtin()]);
    let mut failures = vec![];
    for lang in LOCALES {
        let t = texts::builtin(lang);
        for &id in PageId::ALL {
            let html = samples::sample(id, &theme, &t).dyn_render().unwrap();
            failures.extend(problems(lang, &html).into_iter().map(|p| format!("{lang} {id}: {p}")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A page the browser reaches, checked for `lang`.
fn check(lang: &str, what: &str, html: &str, failures: &mut Vec<String>) {
    failures.extend(problems(lang, html).into_iter().map(|p| format!("{lang} {what}: {p}")));
}

async fn hosted_pages_speak_every_locale(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut failures = vec![];
    for lang in LOCALES {
        let browser = Browser::default();
        let (login_url, html, _) = browser.first_form(&club_authorize(&[("ui_locales", lang)], &app), CLUB_REDIRECT).await;
        assert_eq!(Form::page_id(&html).as_deref(), Some("login"));
        let login_html = html.clone();
        check(lang, "login", &html, &mut failures);

        // A wrong password: the error in the page's language.
        let form = Form::parse(&login_url, &html).unwrap();
        let (_, html) = browser.submit(&form, &[("username", &format!("nobody-{lang}@example.com")), ("password", "wrong password")], CLUB_REDIRECT).await.page();
        assert!(html.contains(&texts::builtin(lang).bad_credentials), "{lang}: {html}");
        check(lang, "login error", &html, &mut failures);

        let t = texts::builtin(lang);
        let register = login_url.join(&link(&html, &t.create_account_link)).unwrap();
        let (_, html) = browser.follow(register.as_str(), CLUB_REDIRECT).await.page();
        assert_eq!(Form::page_id(&html).as_deref(), Some("register"));
        check(lang, "register", &html, &mut failures);
        // Refused entries: the field errors and the unmet password rules in this language.
        let form = Form::parse(&register, &html).unwrap();
        let (status, html) = browser.submit(&form, &[("email", "not-an-email"), ("password", "short")], CLUB_REDIRECT).await.page();
        assert_eq!(status, 422);
        assert!(html.contains(&t.password_invalid) && html.contains(&t.rule_min_length(10)), "{lang}: {html}");
        check(lang, "register errors", &html, &mut failures);

        let reset = login_url.join(&link(&login_html, &t.forgot_password)).unwrap();
        let (_, html) = browser.follow(reset.as_str(), CLUB_REDIRECT).await.page();
        assert_eq!(Form::page_id(&html).as_deref(), Some("reset"));
        check(lang, "reset", &html, &mut failures);
        // An address without an account: the same code page as for a real one.
        let form = Form::parse(&reset, &html).unwrap();
        let Step::Page { url, html, .. } = browser.submit(&form, &[("identifier", &format!("nobody-{lang}@example.com"))], CLUB_REDIRECT).await else { panic!() };
        assert_eq!(Form::page_id(&html).as_deref(), Some("reset-confirm"), "{html}");
        check(lang, "reset-confirm", &html, &mut failures);
        let form = Form::parse(&url, &html).unwrap();
        let (_, html) = browser.submit(&form, &[("code", "000000"), ("password", "a new password 1")], CLUB_REDIRECT).await.page();
        check(lang, "wrong code", &html, &mut failures);

        // An expired flow: the error page, with the code out of the way. Without a flow
        // to take ui_locales from, the browser's language decides.
        let (status, html) = speaking(lang).follow(&format!("{}?flow=gone", app.ws_url("club", "login")), CLUB_REDIRECT).await.page();
        assert_eq!(status, 400);
        assert_eq!(Form::page_id(&html).as_deref(), Some("error"));
        check(lang, "error", &html, &mut failures);
        // A request the application got wrong: the page says so in words, the protocol
        // text only under the technical details.
        let (_, html) = browser.follow(&format!("{}?client_id=nobody&ui_locales={lang}", app.ws_url("club", "authorize")), CLUB_REDIRECT).await.page();
        assert!(html.contains(&t.bad_request), "{lang}: {html}");
        check(lang, "bad request", &html, &mut failures);

        // Signed out (no session): ui_locales of the logout request.
        let (_, html) = browser.follow(&format!("{}?ui_locales={lang}", app.ws_url("club", "logout")), CLUB_REDIRECT).await.page();
        assert_eq!(Form::page_id(&html).as_deref(), Some("logged-out"));
        check(lang, "logged-out", &html, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

async fn ui_locales_de_gives_german_pages_and_a_german_mail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let de = texts::builtin("de");
    let browser = Browser::default();
    let (login_url, html, _) = browser.first_form(&club_authorize(&[("ui_locales", "de-CH fr")], &app), CLUB_REDIRECT).await;
    // club-web has no name and the club workspace none of its own: the product name stands
    // in (never the client id; pages::app_name).
    assert!(html.contains(&de.sign_in_to("Portcullis")) && !html.contains("club-web"), "{html}");
    assert!(html.contains("Passwort vergessen?") && html.contains("lang=\"de\""), "{html}");
    let register = login_url.join(&link(&html, &de.create_account_link)).unwrap();
    let (_, html) = browser.follow(register.as_str(), CLUB_REDIRECT).await.page();
    assert!(html.contains(&de.register_title) && html.contains(&de.claim_given_name), "{html}");
    let form = Form::parse(&register, &html).unwrap();
    let mut fields = GOOD.to_vec();
    fields.extend([("email", "greta@example.com"), ("password", "bright lake 77")]);
    let Step::Page { url, html, .. } = browser.submit(&form, &fields, CLUB_REDIRECT).await else { panic!("expected the code page") };
    assert!(url.path().ends_with("/verify"));
    assert!(html.contains(&de.verify_title) && html.contains("g•••@example.com"), "{html}");

    let msg = app.message("greta@example.com", "activation").await;
    let code = msg.code.clone().unwrap();
    assert_eq!(msg.locale, "de");
    assert_eq!(msg.subject, de.mail_activation_subject);
    assert!(msg.text.contains(&de.mail_activation_text(code.as_str(), 10)), "{}", msg.text);
    let html_part = msg.html.as_deref().expect("an HTML part");
    assert!(html_part.contains("lang=\"de\"") && html_part.contains(&code) && html_part.contains(&de.mail_ignore), "{html_part}");
    // A new code from the same page is German too.
    let form = Form::parse(&url, &html).unwrap();
    let (_, html) = browser.submit(&form, &[("resend", "1")], CLUB_REDIRECT).await.page();
    assert!(html.contains(&de.code_resent), "{html}");
    app.wait_for_messages("greta@example.com", 2).await;
    let again = app.message("greta@example.com", "activation").await;
    assert_eq!(again.locale, "de");
    assert_ne!(again.code, msg.code);
}

/// A browser whose Accept-Language is `header`.
fn speaking(header: &str) -> Browser {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("accept-language", header.parse().unwrap());
    Browser { http: reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).default_headers(h).build().unwrap() }
}

async fn accept_language_is_honoured(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let with = speaking;
    for (header, lang) in [("fr-CA, en;q=0.5", "fr"), ("ja, es;q=0.9, ar;q=0.95", "ar"), ("de;q=0, es;q=0.2, en;q=0.1", "es"), ("ja", "en")] {
        let (_, html, _) = with(header).first_form(&club_authorize(&[], &app), CLUB_REDIRECT).await;
        let (l, d) = lang_dir(&html);
        assert_eq!(l, lang, "{header}");
        assert_eq!(d, if lang == "ar" { "rtl" } else { "ltr" }, "{header}");
        assert!(html.contains(&texts::builtin(lang).forgot_password), "{header}: {html}");
    }
    // ui_locales comes first.
    let (_, html, _) = with("fr").first_form(&club_authorize(&[("ui_locales", "es")], &app), CLUB_REDIRECT).await;
    assert_eq!(lang_dir(&html).0, "es");
}

async fn tenant_sender_and_workspace_default_locale(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Refused with the offending field named.
    for (yaml, path) in [
        ("tenants: [{id: acme, mail_from: {name: ACME, address: not-a-mailbox}}]", "mail_from.address"),
        ("tenants: [{id: acme, mail_from: {name: \"\", address: hi@acme.example}}]", "mail_from.name"),
        ("tenants: [{id: acme, workspaces: [{id: club, default_locale: xx}]}]", "default_locale"),
    ] {
        let file = portcullis::provision::parse(yaml).unwrap();
        let e = portcullis::provision::prepare(&app.state, file, "test.yaml").await.err().unwrap_or_else(|| panic!("{yaml} accepted"));
        assert!(e.to_string().contains(path), "{yaml}: {e}");
    }
    app.provision("tenants: [{id: acme, mail_from: {name: ACME Club, address: hello@acme.example}, workspaces: [{id: club, default_locale: fr}]}]").await;
    // A partial document keeps the rest: the workspace still has its pools and clients.
    let fr = texts::builtin("fr");
    let browser = Browser::default();
    let (login_url, html, _) = browser.first_form(&club_authorize(&[], &app), CLUB_REDIRECT).await;
    assert_eq!(lang_dir(&html).0, "fr", "the workspace default");
    // The browser's language comes before the workspace default.
    let (_, html, _) = speaking("es").first_form(&club_authorize(&[], &app), CLUB_REDIRECT).await;
    assert_eq!(lang_dir(&html).0, "es");

    let register = login_url.join(&link(&browser.first_form(&club_authorize(&[], &app), CLUB_REDIRECT).await.1, &fr.create_account_link)).unwrap();
    let (_, html) = browser.follow(register.as_str(), CLUB_REDIRECT).await.page();
    let form = Form::parse(&register, &html).unwrap();
    let mut fields = GOOD.to_vec();
    fields.extend([("email", "odile@example.com"), ("password", "bright lake 77")]);
    let Step::Page { .. } = browser.submit(&form, &fields, CLUB_REDIRECT).await else { panic!("expected the code page") };
    let msg = app.message("odile@example.com", "activation").await;
    assert_eq!(msg.locale, "fr");
    assert_eq!(msg.from, Some(portcullis::delivery::Sender { name: "ACME Club".into(), address: "hello@acme.example".into() }));
    assert!(msg.text.trim_end().ends_with("ACME Club") && msg.subject == fr.mail_activation_subject, "{}", msg.text);
    assert!(msg.html.as_deref().unwrap().contains("ACME Club"));

    // Absent keys keep what is stored; null removes it.
    app.provision("tenants: [{id: acme, workspaces: [{id: club}]}]").await;
    let ws = app.state.directory.workspace(&portcullis::model::TenantId::new("acme"), "club").await.unwrap().unwrap();
    assert_eq!(ws.default_locale.as_deref(), Some("fr"));
    assert_eq!(ws.mail_from.as_ref().map(|s| s.address.as_str()), Some("hello@acme.example"));
    app.provision("tenants: [{id: acme, mail_from: null, workspaces: [{id: club, default_locale: null}]}]").await;
    let ws = app.state.directory.workspace(&portcullis::model::TenantId::new("acme"), "club").await.unwrap().unwrap();
    assert_eq!((ws.default_locale, ws.mail_from), (None, None));

    // The same settings through the admin API: what GET shows, PUT takes.
    let admin = app.client_token("acme-admin").await;
    let (s, t) = api(reqwest::Method::PUT, &app.admin("/tenants/acme"), &admin, Some(serde_json::json!({ "mail_from": { "name": "ACME", "address": "hi@acme.example" } }))).await;
    assert_eq!((s, &t["mail_from"]["address"]), (200, &serde_json::json!("hi@acme.example")), "{t}");
    let (_, t) = api(reqwest::Method::GET, &app.admin("/tenants/acme"), &admin, None).await;
    assert_eq!(t["mail_from"]["name"], "ACME");
    let (s, e) = api(reqwest::Method::PUT, &app.admin("/tenants/acme"), &admin, Some(serde_json::json!({ "mail_from": { "name": "ACME", "address": "nope" } }))).await;
    assert_eq!((s, e["errors"][0]["pointer"].as_str()), (422, Some("/mail_from/address")), "{e}");
    let (s, w) = api(reqwest::Method::PUT, &app.admin("/tenants/acme/workspaces/club"), &admin, Some(serde_json::json!({ "default_locale": "de" }))).await;
    assert_eq!((s, &w["default_locale"]), (200, &serde_json::json!("de")), "{w}");
    let (_, list) = api(reqwest::Method::GET, &app.admin("/tenants/acme/workspaces"), &admin, None).await;
    assert!(list["items"].as_array().unwrap().iter().any(|w| w["id"] == "club" && w["default_locale"] == "de"), "{list}");
    let (_, t) = api(reqwest::Method::PUT, &app.admin("/tenants/acme"), &admin, Some(serde_json::json!({ "mail_from": null }))).await;
    assert!(t.get("mail_from").is_none(), "null removes the sender: {t}");
}
