//! Expiry by the injected clock on every backend. The records of the session store (SSO
//! sessions, sign-in flows, form tokens, rate-limit windows) have no expiry of their own:
//! their lifetime is the store's. Redis keeps real time for its TTLs, so the store records a
//! deadline by the server's clock with every value; these tests move that clock and expect
//! the same answers from Redis as from the in-memory store.
use crate::helpers::*;
use crate::on_every_backend;
use crate::pools::reset_form;

on_every_backend!(sso_sessions_end_after_their_lifetime, sign_in_flows_end_after_their_lifetime, message_limits_open_again_after_their_window);

async fn sso_sessions_end_after_their_lifetime(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    code_for(&app, &browser, "shop-web", WEB_REDIRECT, &[]).await;
    let silent = authorize_url(&app, "shop-web", WEB_REDIRECT, &[("prompt", "none")]);
    let back = browser.follow(&silent, WEB_REDIRECT).await.arrived();
    assert!(query(&back, "code").is_some(), "the session signs in silently: {back}");
    app.clock.advance(app.state.config.ttl.session + 1);
    let back = browser.follow(&silent, WEB_REDIRECT).await.arrived();
    assert_eq!(query(&back, "error").as_deref(), Some("login_required"), "{back}");
}

async fn sign_in_flows_end_after_their_lifetime(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::default();
    let (_, _, form) = browser.first_form(&authorize_url(&app, "shop-web", WEB_REDIRECT, &[]), WEB_REDIRECT).await;
    app.clock.advance(app.state.config.ttl.flow + 1);
    let (status, html) = browser.submit(&form, &[("username", "alice"), ("password", PASSWORD)], WEB_REDIRECT).await.page();
    assert_eq!(status, 400, "{html}");
    assert!(!html.contains("name=\"decision\""), "an expired flow goes no further: {html}");
}

async fn message_limits_open_again_after_their_window(backend: Backend) {
    use portcullis::identity::otp::MAX_SENDS_PER_ADDRESS;
    let app = TestApp::spawn(backend).await;
    let ask = || async {
        let browser = Browser::default();
        let (_, form) = reset_form(&app, &browser).await;
        browser.submit(&form, &[("identifier", "bea@example.com")], CLUB_REDIRECT).await.page().0
    };
    for _ in 0..MAX_SENDS_PER_ADDRESS {
        assert_eq!(ask().await, 200);
    }
    assert_eq!(ask().await, 429, "the address has had its share");
    // The window (an hour, `otp::SEND_WINDOW`) is the server's: its clock opens the next.
    app.clock.advance(3600 + 1);
    assert_eq!(ask().await, 200);
}
