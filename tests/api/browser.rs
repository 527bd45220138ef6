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

/// axe-core finds no violation on any hosted page (every page id, through the theme
/// preview with sample data), in light and dark mode, for the default theme and the
/// `banking` industry template (themes/templates/banking: a workspace provisioned with
/// `template: banking`, its theme the template's), and in Arabic; a screenshot of each
/// goes to the screenshots directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violations_on_any_page_light_and_dark_default_and_banking() {
    let app = TestApp::spawn(Backend::SqliteMemory).await;
    let admin = app.client_token("acme-admin").await;
    // A workspace that starts from the template: the template's theme is published as its
    // layer (it passed every check a stored theme does, contrast in both modes included).
    app.provision("tenants:\n  - id: acme\n    workspaces:\n      - id: bank\n        name: ACME Bank\n        template: banking\n        pools: [customers]\n").await;
    let (status, layer) = api(reqwest::Method::GET, &app.admin("/tenants/acme/workspaces/bank/theme"), &admin, None).await;
    assert_eq!(status, 200, "{layer}");
    let template = portcullis::templates::get("banking").expect("the banking template");
    assert_eq!(serde_json::to_value(&template.theme).unwrap()["tokens"], layer["tokens"], "the template's theme: {layer}");
    // The banking run previews the bank workspace with its stored layer (the empty draft
    // stands in for the tenant's layer, which the fixture does not have).
    let themes = serde_json::json!([
        { "name": "default", "workspace": "shop", "query": "", "draft": {} },
        { "name": "banking", "workspace": "bank", "query": "layer=tenant", "draft": {} }
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
