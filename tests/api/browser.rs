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
