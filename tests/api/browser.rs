//! The hosted pages in a real browser: Debian's headless Chromium driven by playwright-core
//! (tests/browser). scripts/test installs both; the browser is never downloaded.
use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_consent_in_headless_chromium() {
    let app = TestApp::spawn(Backend::SqliteMemory).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let url = authorize_url(&app, "shop-web", WEB_REDIRECT, &[]);
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node").current_dir(&dir).arg("hosted_pages.mjs").arg(&url).arg(WEB_REDIRECT).arg(&shots).output()
    })
    .await
    .unwrap()
    .expect("node on PATH (scripts/test installs it)");
    assert!(
        out.status.success(),
        "browser test failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Passkeys with a CDP virtual authenticator: creating one, then signing in with it as the
/// second factor, with the button and through autofill (tests/browser/passkeys.mjs). The
/// server runs at `http://localhost:PORT` (Chromium refuses IP addresses as RP IDs).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passkeys_in_headless_chromium_with_a_virtual_authenticator() {
    let app = crate::mfa_passkey::vault_app(Backend::SqliteMemory).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let url = crate::mfa_passkey::authorize(&app, "vault", "vault-web", crate::mfa_passkey::VAULT_REDIRECT);
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .current_dir(&dir)
            .args(["passkeys.mjs", &url, crate::mfa_passkey::VAULT_REDIRECT])
            .arg(&shots)
            .args(["carol", "violet harbour 42"])
            .output()
    })
    .await
    .unwrap()
    .expect("node on PATH (scripts/test installs it)");
    assert!(out.status.success(), "browser test failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// The theme studio (tests/browser/studio.mjs): signing in through Portcullis, changing the
/// primary colour and a text with the preview following, publishing, and the real sign-in
/// page showing the change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn theme_studio_in_headless_chromium() {
    let app = crate::studio::studio_app(Backend::SqliteMemory).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let studio = format!("{}/initech/studio", app.base);
    let sign_in = crate::studio::shop_authorize_url(&app);
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .current_dir(&dir)
            .args(["studio.mjs", &studio, "brenda", crate::studio::ADMIN_PASSWORD, &sign_in, WEB_REDIRECT])
            .arg(&shots)
            .output()
    })
    .await
    .unwrap()
    .expect("node on PATH (scripts/test installs it)");
    assert!(out.status.success(), "browser test failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// A banking theme (split layout, navy brand, dark values, a text override) until the
/// `banking` industry template of `themes/templates/` is on main; then it takes its place.
fn banking_theme() -> serde_json::Value {
    serde_json::json!({
        "product_name": "Northbank",
        "layout": "split",
        "tokens": {
            "--pc-color-primary": "#12355b", "--pc-color-primary-contrast": "#ffffff", "--pc-color-background": "#eef2f6",
            "--pc-color-surface": "#ffffff", "--pc-color-text": "#0f1c2e", "--pc-color-muted": "#475569", "--pc-color-link": "#12355b",
            "--pc-color-focus": "#12355b", "--pc-color-border": "#94a3b8", "--pc-radius": "4px"
        },
        "dark": {
            "--pc-color-primary": "#8fb8e8", "--pc-color-primary-contrast": "#0b1522", "--pc-color-background": "#0b1522",
            "--pc-color-surface": "#132238", "--pc-color-text": "#e6edf5", "--pc-color-muted": "#a9b8c9", "--pc-color-link": "#8fb8e8",
            "--pc-color-focus": "#8fb8e8", "--pc-color-border": "#4b6485"
        },
        "texts": { "en": { "sign-in-to": "Sign in to { $client } online banking." }, "de": { "sign-in-to": "Anmelden beim Online-Banking von { $client }." } }
    })
}

/// axe-core finds no violation on any hosted page (every page id, through the theme
/// preview with sample data), in light and dark mode, for the default theme and a banking
/// theme, and in Arabic; a screenshot of each goes to the screenshots directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violations_on_any_page_light_and_dark_default_and_banking() {
    let app = TestApp::spawn(Backend::SqliteMemory).await;
    let admin = app.client_token("acme-admin").await;
    // The banking layer is published on a client, so it passes every check a stored theme
    // does (contrast in light and dark mode included) before the pages are looked at.
    let (status, body) = api(reqwest::Method::PUT, &app.admin("/tenants/acme/workspaces/shop/clients/shop-web/theme"), &admin, Some(banking_theme())).await;
    assert_eq!(status, 200, "{body}");
    let themes = serde_json::json!([
        { "name": "default", "query": "", "draft": {} },
        { "name": "banking", "query": "client=shop-web&layer=workspace", "draft": {} }
    ]);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let base = app.base.clone();
    let out = tokio::task::spawn_blocking(move || std::process::Command::new("node").current_dir(&dir).arg("axe.mjs").arg(&base).arg(&admin).arg(&shots).arg(themes.to_string()).output())
        .await
        .unwrap()
        .expect("node on PATH (scripts/test installs it)");
    assert!(out.status.success(), "axe found violations:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("pages checked"));
}
