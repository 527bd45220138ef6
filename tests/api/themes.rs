//! Themes through HTTP (issue 10, DESIGN.md "Themes"): layers built-in → tenant →
//! workspace → client on the real pages, GET → PUT round trip, versions, drafts and
//! rollback, assets checked by content behind immutable URLs, a preview that stores
//! nothing, refusals naming the offending token, who may do it, and that writing any other
//! object never changes a theme.
use reqwest::Method;
use serde_json::{Value, json};
use url::Url;

use crate::helpers::*;
use crate::on_every_backend;
use crate::pools::club_authorize;

on_every_backend!(
    layers_resolve_per_setting_down_to_the_client,
    get_put_round_trip_versions_drafts_and_rollback,
    assets_are_checked_by_content_and_served_immutable,
    preview_renders_a_draft_and_stores_nothing,
    refusals_name_the_offending_token,
    only_administrators_of_the_tenant_may_theme_it,
    other_writes_never_touch_a_theme,
    frames_wrap_the_form_in_a_sandbox,
    theme_texts_override_single_keys_per_locale_down_to_the_client,
);

/// The HTML of the sign-in page a client's authorization request shows.
async fn login_page(app: &TestApp, workspace: &str, client: &str, redirect: &str) -> String {
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
    let (_, html, _) = Browser::default().first_form(url.as_str(), redirect).await;
    html
}

/// `--name:value` as the page's inline style carries it.
fn token_in(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("{name}:"))? + name.len() + 1;
    Some(html[at..].split(';').next()?.to_owned())
}

const THEME: &str = "/tenants/acme/theme";
const SHOP_THEME: &str = "/tenants/acme/workspaces/shop/theme";
const WEB_THEME: &str = "/tenants/acme/workspaces/shop/clients/shop-web/theme";

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let (s, b) = api(Method::PUT, &app.admin(path), token, Some(body)).await;
    assert_eq!(s, 200, "PUT {path}: {b}");
    b
}

async fn layers_resolve_per_setting_down_to_the_client(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    // Before any theme: the built-in one.
    let html = login_page(&app, "shop", "shop-web", WEB_REDIRECT).await;
    assert_eq!(token_in(&html, "--pc-color-primary").as_deref(), Some("#1f4fd1"));
    assert!(html.contains("<span>Portcullis</span>"));

    put(&app, &admin, THEME, json!({ "product_name": "ACME", "tokens": { "--pc-color-primary": "#aa0000", "--pc-radius": "2px" } })).await;
    put(&app, &admin, SHOP_THEME, json!({ "tokens": { "--pc-color-primary": "#006600" }, "color_scheme": "dark" })).await;
    put(&app, &admin, WEB_THEME, json!({ "product_name": "Shop Web", "tokens": { "--pc-color-primary": "#0000aa" }, "layout": "split" })).await;

    // The client's layer wins for its pages, per setting; the rest comes from below.
    let web = login_page(&app, "shop", "shop-web", WEB_REDIRECT).await;
    assert_eq!(token_in(&web, "--pc-color-primary").as_deref(), Some("#0000aa"));
    assert_eq!(token_in(&web, "--pc-radius").as_deref(), Some("2px"), "tenant setting");
    assert!(web.contains("<span>Shop Web</span>") && web.contains("layout-split") && web.contains("data-color-scheme=\"dark\""));
    // Another client of the workspace: workspace over tenant.
    let spa = login_page(&app, "shop", "shop-spa", SPA_REDIRECT).await;
    assert_eq!(token_in(&spa, "--pc-color-primary").as_deref(), Some("#006600"));
    assert!(spa.contains("<span>ACME</span>") && spa.contains("layout-centered") && spa.contains("data-color-scheme=\"dark\""));
    // Another workspace: the tenant's.
    let club = login_page(&app, "club", "club-web", CLUB_REDIRECT).await;
    assert_eq!(token_in(&club, "--pc-color-primary").as_deref(), Some("#aa0000"));
    assert!(club.contains("<span>ACME</span>") && !club.contains("data-color-scheme=\""), "auto: no forced scheme");
    // Dark values of every colour are in the page; the logo keeps its aspect ratio.
    assert!(club.contains("@media (prefers-color-scheme: dark)") && club.contains("class=\"logo\"") && !club.contains("width=\"32\""));
    assert!(club.contains("rel=\"icon\""));
}

async fn get_put_round_trip_versions_drafts_and_rollback(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let resp = http().get(app.admin(SHOP_THEME)).bearer_auth(&admin).send().await.unwrap();
    assert_eq!((resp.status().as_u16(), resp.headers()["etag"].to_str().unwrap().to_owned()), (200, "\"v0\"".to_owned()));
    assert_eq!(resp.json::<Value>().await.unwrap(), json!({}));

    let layer = json!({
        "product_name": "Shop",
        "layout": "split",
        "color_scheme": "light",
        "tokens": { "--pc-color-primary": "#7a1f9c", "--pc-color-link": "#5b1675", "--pc-logo-height": "3rem", "--pc-color-focus": "#7a1f9c" },
        "dark": { "--pc-color-primary": "#d7a6f0", "--pc-color-link": "#e2c0f5" },
    });
    let v1 = put(&app, &admin, SHOP_THEME, layer.clone()).await;
    assert_eq!((v1["version"].as_i64(), v1["author"].as_str()), (Some(1), Some("client:acme/club/acme-admin")));
    let (_, got) = api(Method::GET, &app.admin(SHOP_THEME), &admin, None).await;
    assert_eq!(got, layer, "GET returns what was put");
    // What GET returns, PUT takes back unchanged: no new version.
    assert_eq!(put(&app, &admin, SHOP_THEME, got.clone()).await["version"], 1);

    // PATCH merges (RFC 7396) and publishes version 2.
    let (s, v2) = api(Method::PATCH, &app.admin(SHOP_THEME), &admin, Some(json!({ "product_name": "Shop 2", "tokens": { "--pc-logo-height": null } }))).await;
    assert_eq!((s, v2["version"].as_i64()), (200, Some(2)), "{v2}");
    let (_, got) = api(Method::GET, &app.admin(SHOP_THEME), &admin, None).await;
    assert_eq!((got["product_name"].as_str(), got["tokens"].get("--pc-logo-height")), (Some("Shop 2"), None));
    assert_eq!(got["tokens"]["--pc-color-primary"], "#7a1f9c");

    // A draft is kept apart: neither GET nor the pages show it.
    let (s, d) = api(Method::PUT, &app.admin(&format!("{SHOP_THEME}/draft")), &admin, Some(json!({ "product_name": "Draft shop" }))).await;
    assert_eq!((s, d["layer"]["product_name"].as_str()), (200, Some("Draft shop")), "{d}");
    let (_, got) = api(Method::GET, &app.admin(SHOP_THEME), &admin, None).await;
    assert_eq!(got["product_name"], "Shop 2");
    assert!(login_page(&app, "shop", "shop-web", WEB_REDIRECT).await.contains("<span>Shop 2</span>"));
    let (s, v3) = api(Method::POST, &app.admin(&format!("{SHOP_THEME}/publish")), &admin, None).await;
    assert_eq!((s, v3["version"].as_i64()), (200, Some(3)), "{v3}");
    assert!(login_page(&app, "shop", "shop-web", WEB_REDIRECT).await.contains("<span>Draft shop</span>"));
    assert_eq!(api(Method::GET, &app.admin(&format!("{SHOP_THEME}/draft")), &admin, None).await.0, 404, "published drafts are gone");
    assert_eq!(api(Method::POST, &app.admin(&format!("{SHOP_THEME}/publish")), &admin, None).await.0, 404);

    // Every publish is a version with who and when; a rollback publishes an old one again.
    let (_, versions) = api(Method::GET, &app.admin(&format!("{SHOP_THEME}/versions")), &admin, None).await;
    let numbers: Vec<i64> = versions["items"].as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
    assert_eq!(numbers, vec![3, 2, 1]);
    assert!(versions["items"][0]["published_at"].as_i64().unwrap() > 0);
    let (s, v4) = api(Method::POST, &app.admin(&format!("{SHOP_THEME}/rollback")), &admin, Some(json!({ "version": 1 }))).await;
    assert_eq!((s, v4["version"].as_i64(), v4["rollback_of"].as_i64()), (200, Some(4), Some(1)), "{v4}");
    let (_, got) = api(Method::GET, &app.admin(SHOP_THEME), &admin, None).await;
    assert_eq!(got, layer);
    let page = login_page(&app, "shop", "shop-web", WEB_REDIRECT).await;
    assert!(page.contains("<span>Shop</span>") && page.contains("data-color-scheme=\"light\"") && token_in(&page, "--pc-logo-height").as_deref() == Some("3rem"));
    let (_, one) = api(Method::GET, &app.admin(&format!("{SHOP_THEME}/versions/2")), &admin, None).await;
    assert_eq!(one["layer"]["product_name"], "Shop 2");
    assert_eq!(api(Method::POST, &app.admin(&format!("{SHOP_THEME}/rollback")), &admin, Some(json!({ "version": 99 }))).await.0, 404);
    assert_eq!(api(Method::GET, &app.admin("/tenants/acme/workspaces/nope/theme"), &admin, None).await.0, 404);
    assert_eq!(api(Method::GET, &app.admin("/tenants/acme/workspaces/shop/clients/nope/theme"), &admin, None).await.0, 404);
}

/// A PNG of `w`×`h` as far as its header says (what the server reads).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]);
    b
}

async fn upload(app: &TestApp, token: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let resp = http().post(app.admin("/tenants/acme/assets")).bearer_auth(token).header("content-type", content_type).body(body).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn assets_are_checked_by_content_and_served_immutable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    // The declared type does not matter: the content decides.
    let logo = png(240, 60);
    let (s, a) = upload(&app, &admin, "application/octet-stream", logo.clone()).await;
    assert_eq!(s, 201, "{a}");
    assert_eq!((a["content_type"].as_str(), a["width"].as_u64(), a["height"].as_u64()), (Some("image/png"), Some(240), Some(60)));
    let url = a["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("/static/t/acme/") && url.ends_with(".png") && url.contains(a["id"].as_str().unwrap()), "{url}");
    let (s, again) = upload(&app, &admin, "image/gif", logo.clone()).await;
    assert_eq!((s, again["url"].as_str()), (200, Some(url.as_str())), "the same content is the same asset");

    let resp = http().get(format!("{}{url}", app.base)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.bytes().await.unwrap().to_vec(), logo);
    let missing = url.replace(a["id"].as_str().unwrap(), &"0".repeat(64));
    assert_eq!(http().get(format!("{}{missing}", app.base)).send().await.unwrap().status(), 404);
    assert_eq!(http().get(format!("{}{}", app.base, url.replace("/acme/", "/other/"))).send().await.unwrap().status(), 404, "assets are per tenant");

    // Multipart works too; an SVG is served sandboxed.
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10" fill="#c8102e"/></svg>"##;
    let body = format!("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"logo.svg\"\r\nContent-Type: image/svg+xml\r\n\r\n{svg}\r\n--b0undary--\r\n");
    let (s, a_svg) = upload(&app, &admin, "multipart/form-data; boundary=b0undary", body.into_bytes()).await;
    assert_eq!(s, 201, "{a_svg}");
    let svg_url = a_svg["url"].as_str().unwrap().to_owned();
    let resp = http().get(format!("{}{svg_url}", app.base)).send().await.unwrap();
    assert!(resp.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));

    // Refused by content, with the reason.
    let (s, e) = upload(&app, &admin, "image/png", b"GIF89a\x01\x00\x01\x00".to_vec()).await;
    assert_eq!(s, 422, "{e}");
    assert!(e["errors"][0]["detail"].as_str().unwrap().contains("by content"));
    for bad in [r#"<svg><script>alert(1)</script></svg>"#, r#"<svg><rect onclick="alert(1)"/></svg>"#, r#"<svg><image href="https://evil.example/x.png"/></svg>"#] {
        let (s, e) = upload(&app, &admin, "image/svg+xml", bad.as_bytes().to_vec()).await;
        assert_eq!(s, 422, "{bad}: {e}");
    }
    assert_eq!(upload(&app, &admin, "image/png", png(5000, 10)).await.0, 422, "dimensions are bounded");
    let mut huge = png(10, 10);
    huge.resize(3 * 1024 * 1024, 0);
    assert_eq!(upload(&app, &admin, "image/png", huge).await.0, 413);

    // A theme uses the tenant's assets: logo, favicon, background image.
    put(&app, &admin, THEME, json!({ "logo_url": url, "favicon_url": svg_url, "background_image": url, "tokens": { "--pc-logo-height": "2.5rem" } })).await;
    let html = login_page(&app, "shop", "shop-web", WEB_REDIRECT).await;
    assert!(html.contains(&format!("src=\"{url}\"")) && html.contains(&format!("rel=\"icon\" href=\"{svg_url}\"")), "{html}");
    assert!(html.contains(&format!("--pc-background-image:url({url})")));
    // Not another tenant's, not an arbitrary URL.
    let (s, e) = api(Method::PUT, &app.admin(SHOP_THEME), &admin, Some(json!({ "logo_url": url.replace("/acme/", "/globex/") }))).await;
    assert_eq!((s, e["errors"][0]["pointer"].as_str()), (422, Some("/logo_url")), "{e}");
    let (s, e) = api(Method::PUT, &app.admin(SHOP_THEME), &admin, Some(json!({ "logo_url": "https://cdn.example.com/logo.svg" }))).await;
    assert_eq!((s, e["errors"][0]["pointer"].as_str()), (422, Some("/logo_url")), "{e}");
    // Unless the tenant allows the origin: then the CSP allows it for images and fonts.
    put(&app, &admin, THEME, json!({ "allowed_origins": ["https://cdn.example.com"] })).await;
    put(&app, &admin, SHOP_THEME, json!({ "logo_url": "https://cdn.example.com/logo.svg" })).await;
    let resp = http().get(app.admin("/tenants/acme/workspaces/shop/theme")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let (_, challenge) = pkce();
    let auth = authorize_url(&app, "shop-web", WEB_REDIRECT, &[("code_challenge", &challenge), ("code_challenge_method", "S256")]);
    let browser = Browser::default();
    let Step::Page { url: page_url, .. } = browser.follow(&auth, WEB_REDIRECT).await else { panic!("no page") };
    let page = browser.http.get(page_url.as_str()).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("img-src 'self' data: https://cdn.example.com") && csp.contains("font-src 'self' https://cdn.example.com") && !csp.contains("unsafe-inline"), "{csp}");
}

async fn preview_renders_a_draft_and_stores_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let (s, pages) = api(Method::GET, &app.admin("/pages"), &admin, None).await;
    assert_eq!(s, 200);
    let ids: Vec<&str> = pages["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"login") && ids.contains(&"consent") && ids.contains(&"error"), "{ids:?}");

    put(&app, &admin, THEME, json!({ "product_name": "ACME" })).await;
    let draft = json!({ "tokens": { "--pc-color-primary": "#123456" }, "color_scheme": "dark" });
    for id in &ids {
        let resp = http().post(app.admin(&format!("/tenants/acme/workspaces/shop/preview/{id}?locale=de"))).bearer_auth(&admin).json(&draft).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{id}");
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = resp.text().await.unwrap();
        assert!(html.contains(&format!("data-page=\"{id}\"")) && html.contains("lang=\"de\""), "{id}");
        assert_eq!(token_in(&html, "--pc-color-primary").as_deref(), Some("#123456"), "{id}: the draft applies");
        assert!(html.contains("<span>ACME</span>") && html.contains("data-color-scheme=\"dark\""), "{id}: over the stored layers");
    }
    // With a client: its layer counts, and the draft may stand in for it.
    put(&app, &admin, WEB_THEME, json!({ "product_name": "Shop Web" })).await;
    let resp = http().post(app.admin("/tenants/acme/workspaces/shop/preview/login?client=shop-web&layer=workspace")).bearer_auth(&admin).json(&draft).send().await.unwrap();
    let html = resp.text().await.unwrap();
    assert!(html.contains("<span>Shop Web</span>") && html.contains("#123456"));

    // Nothing was stored: no version, no draft, the real page unchanged.
    let (_, versions) = api(Method::GET, &app.admin(&format!("{SHOP_THEME}/versions")), &admin, None).await;
    assert_eq!(versions["items"], json!([]));
    assert_eq!(api(Method::GET, &app.admin(&format!("{SHOP_THEME}/draft")), &admin, None).await.0, 404);
    let page = login_page(&app, "shop", "shop-spa", SPA_REDIRECT).await;
    assert!(!page.contains("#123456"));

    // A draft is checked like a stored layer; unknown pages are 404.
    let (s, e) = api(Method::POST, &app.admin("/tenants/acme/workspaces/shop/preview/login"), &admin, Some(json!({ "tokens": { "--pc-font-family": "url(https://evil.example/f)" } }))).await;
    assert_eq!((s, e["errors"][0]["pointer"].as_str()), (422, Some("/tokens/--pc-font-family")), "{e}");
    assert_eq!(api(Method::POST, &app.admin("/tenants/acme/workspaces/shop/preview/nope"), &admin, Some(json!({}))).await.0, 404);
}

/// The first field error of a refused PUT.
async fn refused(app: &TestApp, token: &str, path: &str, body: Value) -> (String, String) {
    let (s, e) = api(Method::PUT, &app.admin(path), token, Some(body)).await;
    assert_eq!(s, 422, "{e}");
    (e["errors"][0]["pointer"].as_str().unwrap().to_owned(), e["errors"][0]["detail"].as_str().unwrap().to_owned())
}

async fn refusals_name_the_offending_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let (p, d) = refused(&app, &admin, SHOP_THEME, json!({ "tokens": { "--pc-color-text": "#bbbbbb" } })).await;
    assert_eq!(p, "/tokens/--pc-color-text");
    assert!(d.contains("--pc-color-text on --pc-color-surface") && d.contains("4.5:1"), "{d}");
    let (p, d) = refused(&app, &admin, SHOP_THEME, json!({ "tokens": { "--pc-color-primary-contrast": "#ffffff", "--pc-color-primary": "#ffff00" } })).await;
    assert!(p == "/tokens/--pc-color-primary-contrast" && d.contains("--pc-color-primary-contrast on --pc-color-primary"), "{p}: {d}");
    let (p, d) = refused(&app, &admin, SHOP_THEME, json!({ "dark": { "--pc-color-link": "#222222" } })).await;
    assert_eq!(p, "/dark/--pc-color-link");
    assert!(d.contains("dark mode"), "{d}");
    let (p, _) = refused(&app, &admin, SHOP_THEME, json!({ "tokens": { "--pc-color-primary": "red;}body{display:none" } })).await;
    assert_eq!(p, "/tokens/--pc-color-primary");
    let (p, d) = refused(&app, &admin, SHOP_THEME, json!({ "tokens": { "--pc-font-family": "x</style><script>alert(1)</script>" } })).await;
    assert_eq!(p, "/tokens/--pc-font-family", "{d}");
    let (p, d) = refused(&app, &admin, SHOP_THEME, json!({ "tokens": { "--pc-card-width": "url(https://evil.example/x)" } })).await;
    assert!(p == "/tokens/--pc-card-width" && d.contains("url("), "{d}");
    let (p, _) = refused(&app, &admin, SHOP_THEME, json!({ "tokens": { "--evil": "1px" } })).await;
    assert_eq!(p, "/tokens/--evil");
    let (p, _) = refused(&app, &admin, SHOP_THEME, json!({ "allowed_origins": ["https://cdn.example.com"] })).await;
    assert_eq!(p, "/allowed_origins", "only the tenant layer allows origins");
    let (s, e) = api(Method::PUT, &app.admin(SHOP_THEME), &admin, Some(json!({ "colour": "red" }))).await;
    assert_eq!(s, 422, "unknown settings: {e}");
    // The same checks through the tenant and workspace documents (and provisioning).
    let (p, _) = refused(&app, &admin, "/tenants/acme", json!({ "theme": { "tokens": { "--pc-color-muted": "#dddddd" } } })).await;
    assert_eq!(p, "/theme/tokens/--pc-color-muted");
    let (p, _) = refused(&app, &admin, "/tenants/acme/workspaces/shop", json!({ "theme": { "tokens": { "--pc-color-link": "url(x)" } } })).await;
    assert_eq!(p, "/theme/tokens/--pc-color-link");
    // Nothing refused was stored.
    let (_, versions) = api(Method::GET, &app.admin(&format!("{SHOP_THEME}/versions")), &admin, None).await;
    assert_eq!(versions["items"], json!([]));
}

/// An administrator of another tenant: `tenant-admin` of `globex`.
async fn globex_admin(app: &TestApp) -> String {
    app.provision(
        "tenants:
  - id: globex
    pools: [{ id: staff }]
    workspaces:
      - id: portal
        pools: [staff]
        clients:
          - { client_id: globex-admin, client_secret: globex-admin-secret, grant_types: [client_credentials], scopes: [admin], privileges: [tenant-admin] }
",
    )
    .await;
    let resp = http()
        .post(format!("{}/globex/portal/token", app.base))
        .basic_auth("globex-admin", Some("globex-admin-secret"))
        .form(&[("grant_type", "client_credentials"), ("scope", "admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
}

async fn only_administrators_of_the_tenant_may_theme_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    put(&app, &admin, SHOP_THEME, json!({ "product_name": "Shop" })).await;
    let useradmin = app.client_token("acme-useradmin").await;
    let nobody = app.client_token("no-privileges").await;
    let other = globex_admin(&app).await;
    // A delegated group manager (mona manages three groups' members).
    let manager = app.user_token("mona", "manager password 1").await;
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, THEME.into(), None),
        (Method::PUT, SHOP_THEME.into(), Some(json!({ "product_name": "Taken over" }))),
        (Method::PATCH, WEB_THEME.into(), Some(json!({ "product_name": "Taken over" }))),
        (Method::GET, format!("{SHOP_THEME}/versions"), None),
        (Method::PUT, format!("{SHOP_THEME}/draft"), Some(json!({}))),
        (Method::POST, format!("{SHOP_THEME}/rollback"), Some(json!({ "version": 1 }))),
        (Method::POST, "/tenants/acme/workspaces/shop/preview/login".into(), Some(json!({}))),
        (Method::POST, "/tenants/acme/assets".into(), Some(json!({}))),
        // 403 before learning whether a tenant exists, and before the body is read.
        (Method::GET, "/tenants/nope/theme".into(), None),
        (Method::PUT, SHOP_THEME.into(), Some(json!({ "tokens": { "--evil": "x" } }))),
    ];
    for token in [&useradmin, &nobody, &other, &manager] {
        for (m, path, body) in &calls {
            let (s, e) = api(m.clone(), &app.admin(path), token, body.clone()).await;
            assert_eq!(s, 403, "{m} {path}: {e}");
        }
    }
    assert_eq!(api(Method::GET, &app.admin("/pages"), &useradmin, None).await.0, 403);
    assert_eq!(http().get(app.admin(THEME)).send().await.unwrap().status(), 401);
    // Nothing changed; the system administrator may.
    let root = app.client_token("root-admin").await;
    let (_, got) = api(Method::GET, &app.admin(SHOP_THEME), &root, None).await;
    assert_eq!(got, json!({ "product_name": "Shop" }));
    let (_, versions) = api(Method::GET, &app.admin(&format!("{SHOP_THEME}/versions")), &root, None).await;
    assert_eq!(versions["items"].as_array().unwrap().len(), 1);
    put(&app, &root, "/tenants/globex/theme", json!({ "product_name": "Globex" })).await;
    // Globex's administrator themes globex only.
    put(&app, &other, "/tenants/globex/workspaces/portal/theme", json!({ "product_name": "Portal" })).await;
}

async fn versions_of(app: &TestApp, token: &str, path: &str) -> usize {
    let (_, v) = api(Method::GET, &app.admin(&format!("{path}/versions")), token, None).await;
    v["items"].as_array().unwrap().len()
}

async fn layers(app: &TestApp, token: &str) -> Vec<Value> {
    let mut out = vec![];
    for p in [THEME, SHOP_THEME, WEB_THEME] {
        out.push(api(Method::GET, &app.admin(p), token, None).await.1);
    }
    out
}

async fn other_writes_never_touch_a_theme(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    put(&app, &admin, THEME, json!({ "product_name": "ACME" })).await;
    put(&app, &admin, SHOP_THEME, json!({ "product_name": "Shop" })).await;
    put(&app, &admin, WEB_THEME, json!({ "product_name": "Shop Web" })).await;
    let before = layers(&app, &admin).await;

    // Writes of the tenant, the workspace, a client and a pool, without a theme.
    for (path, body) in [
        ("/tenants/acme", json!({ "name": "ACME Corp" })),
        ("/tenants/acme/workspaces/shop", json!({ "name": "Shop", "pools": ["customers"] })),
        ("/tenants/acme/workspaces/shop/clients/shop-web", json!({ "name": "Shop!" })),
        ("/tenants/acme/pools/customers", json!({ "name": "Customers" })),
    ] {
        let (s, b) = api(Method::PUT, &app.admin(path), &admin, Some(body)).await;
        assert!(s == 200 || s == 201, "{path}: {b}");
    }
    // Provisioning without themes (what `portcullis apply` runs).
    app.provision(
        "tenants:
  - id: acme
    name: ACME again
    workspaces:
      - id: shop
        clients:
          - { client_id: shop-web, name: Shop web again }
",
    )
    .await;
    let after = layers(&app, &admin).await;
    assert_eq!(before, after);
    for p in [THEME, SHOP_THEME, WEB_THEME] {
        assert_eq!(versions_of(&app, &admin, p).await, 1, "{p}");
    }
    assert!(login_page(&app, "shop", "shop-web", WEB_REDIRECT).await.contains("<span>Shop Web</span>"));

    // A document with a theme writes it, through the theme store, once.
    let yaml = r##"tenants:
  - id: acme
    theme: { product_name: ACME provisioned }
    workspaces:
      - id: shop
        clients:
          - { client_id: shop-web, theme: { tokens: { "--pc-color-primary": "#0000aa" } } }
"##;
    app.provision(yaml).await;
    app.provision(yaml).await;
    assert_eq!(versions_of(&app, &admin, THEME).await, 2, "applying the same file twice publishes once");
    assert_eq!(versions_of(&app, &admin, WEB_THEME).await, 2);
    assert_eq!(versions_of(&app, &admin, SHOP_THEME).await, 1);
    let (_, v) = api(Method::GET, &app.admin(&format!("{THEME}/versions")), &admin, None).await;
    assert_eq!(v["items"][0]["author"], "test.yaml");
    let (_, v) = api(Method::PUT, &app.admin("/tenants/acme"), &admin, Some(json!({ "theme": { "product_name": "Via the tenant" } }))).await;
    assert_eq!(v["id"], "acme");
    let (_, v) = api(Method::GET, &app.admin(&format!("{THEME}/versions")), &admin, None).await;
    assert_eq!((v["items"][0]["version"].as_i64(), v["items"][0]["author"].as_str()), (Some(3), Some("client:acme/club/acme-admin")));

    // Deleting a client takes its layer (versions and draft) with it: a client created
    // later under the same id starts from the workspace's theme, not the old one's.
    let (s, _) = api(Method::PUT, &app.admin(&format!("{WEB_THEME}/draft")), &admin, Some(json!({ "product_name": "Old draft" }))).await;
    assert_eq!(s, 200);
    let (s, _) = api(Method::DELETE, &app.admin("/tenants/acme/workspaces/shop/clients/shop-web"), &admin, None).await;
    assert_eq!(s, 204);
    app.provision(
        "tenants:
  - id: acme
    workspaces:
      - id: shop
        clients:
          - { client_id: shop-web, client_secret: shop-web-secret, redirect_uris: [\"http://127.0.0.1:9999/callback\"], scopes: [openid] }
",
    )
    .await;
    assert_eq!(versions_of(&app, &admin, WEB_THEME).await, 0);
    let (s, d) = api(Method::GET, &app.admin(&format!("{WEB_THEME}/draft")), &admin, None).await;
    assert_eq!(s, 404, "{d}");
    assert!(login_page(&app, "shop", "shop-web", WEB_REDIRECT).await.contains("<span>Shop</span>"));
    assert_eq!(versions_of(&app, &admin, SHOP_THEME).await, 1, "the workspace's layer stays");
}

async fn frames_wrap_the_form_in_a_sandbox(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let frame = r#"<header class="site"><img src="{{ brand.logo_url }}" alt=""> {{ brand.product_name }}</header>{{ form }}<footer><a href="https://acme.example/privacy">Privacy</a> {{ page.id }}</footer>"#;
    put(&app, &admin, THEME, json!({ "product_name": "ACME <Shop>", "frame": frame, "frames": { "consent": "<aside>Consent frame</aside>{{ form }}" } })).await;
    let (_, got) = api(Method::GET, &app.admin(THEME), &admin, None).await;
    assert_eq!(got["frame"], frame, "GET gives the frame back as put");

    // The page is inside the frame; brand data escaped; the form still works.
    let browser = Browser::default();
    let (_, challenge) = pkce();
    let auth = authorize_url(&app, "shop-web", WEB_REDIRECT, &[("code_challenge", &challenge), ("code_challenge_method", "S256")]);
    let (_, html, form) = browser.first_form(&auth, WEB_REDIRECT).await;
    assert!(html.contains("<header class=\"site\">") && html.contains("ACME &lt;Shop&gt;</header>\n<main class=\"card\"") && html.contains("login</footer>"), "{html}");
    let step = browser.submit(&form, &[("username", "alice"), ("password", PASSWORD)], WEB_REDIRECT).await;
    let Step::Page { html: consent, .. } = step else { panic!("expected the consent page") };
    assert!(consent.contains("<aside>Consent frame</aside>") && !consent.contains("<header class=\"site\">"), "a page's own frame wins");
    let consent_form = Form::parse(&Url::parse(&app.url("consent")).unwrap(), &consent).unwrap();
    assert!(browser.submit(&consent_form, &[("decision", "allow")], WEB_REDIRECT).await.arrived().as_str().contains("code="));

    // The preview shows the draft's frame.
    let resp = http().post(app.admin("/tenants/acme/workspaces/shop/preview/error")).bearer_auth(&admin).json(&json!({ "frame": "<nav>Draft nav</nav>{{ form }}" })).send().await.unwrap();
    assert!(resp.text().await.unwrap().contains("<nav>Draft nav</nav>"));

    // The sandbox: no files, no scripts, no event handlers, no endless recursion.
    for (bad, why) in [
        (r#"{% include "/etc/passwd" %}{{ form }}"#, "files"),
        ("<script>alert(document.cookie)</script>{{ form }}", "<script>"),
        (r#"<div onclick="alert(1)">{{ form }}</div>"#, "onclick"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}{{ form }}", "recurs"),
        ("<p>Where is the form?</p>", "{{ form }}"),
    ] {
        let (p, d) = refused(&app, &admin, SHOP_THEME, json!({ "frame": bad })).await;
        assert_eq!(p, "/frame", "{bad}");
        assert!(d.contains(why), "{bad}: {d}");
    }
    let (p, _) = refused(&app, &admin, SHOP_THEME, json!({ "frames": { "nope": "{{ form }}" } })).await;
    assert_eq!(p, "/frames/nope");
    let (p, _) = refused(&app, &admin, SHOP_THEME, json!({ "frames": { "login": "<a href=\"javascript:alert(1)\">x</a>{{ form }}" } })).await;
    assert_eq!(p, "/frames/login");
}

async fn theme_texts_override_single_keys_per_locale_down_to_the_client(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    put(&app, &admin, THEME, json!({ "texts": { "en": { "forgot-password": "Lost your ACME password?" }, "de": { "forgot-password": "ACME-Passwort vergessen?" } } })).await;
    put(&app, &admin, WEB_THEME, json!({ "texts": { "en": { "sign-in": "Enter the shop" } } })).await;
    // The client's layer wins per key; the tenant's keys stay; the rest is the catalogue's.
    let web = login_page(&app, "shop", "shop-web", WEB_REDIRECT).await;
    assert!(web.contains("Enter the shop") && web.contains("Lost your ACME password?"), "{web}");
    let spa = login_page(&app, "shop", "shop-spa", SPA_REDIRECT).await;
    assert!(!spa.contains("Enter the shop") && spa.contains("Lost your ACME password?"), "{spa}");
    // Per locale: a German page takes the German override.
    let (_, de, _) = Browser::default().first_form(&club_authorize(&[("ui_locales", "de")], &app), CLUB_REDIRECT).await;
    assert!(de.contains("ACME-Passwort vergessen?") && !de.contains("Lost your ACME"), "{de}");
    // GET returns them; PUT takes them back unchanged.
    let (_, got) = api(Method::GET, &app.admin(THEME), &admin, None).await;
    assert_eq!(got["texts"]["de"]["forgot-password"], "ACME-Passwort vergessen?");
    let again = put(&app, &admin, THEME, got.clone()).await;
    assert_eq!((again["version"].as_i64(), &again["layer"]["texts"]), (Some(1), &got["texts"]), "unchanged: no new version");
    // Refused, naming the entry: an unknown key, an unsupported locale, a variable the text
    // does not take, markup that is not Fluent.
    let (p, _) = refused(&app, &admin, SHOP_THEME, json!({ "texts": { "en": { "no-such-text": "x" } } })).await;
    assert_eq!(p, "/texts/en/no-such-text");
    let (p, _) = refused(&app, &admin, SHOP_THEME, json!({ "texts": { "xx": { "sign-in": "x" } } })).await;
    assert_eq!(p, "/texts/xx");
    let (p, d) = refused(&app, &admin, SHOP_THEME, json!({ "texts": { "en": { "sign-in": "Hi { $password }" } } })).await;
    assert!(p == "/texts/en/sign-in" && d.contains("$password"), "{p}: {d}");
    // Texts are escaped like every catalogue text: markup shows as text.
    put(&app, &admin, SHOP_THEME, json!({ "texts": { "en": { "sign-in": "<b>Go</b>" } } })).await;
    let spa = login_page(&app, "shop", "shop-spa", SPA_REDIRECT).await;
    assert!(spa.contains("&#60;b&#62;Go&#60;/b&#62;") && !spa.contains("<b>Go</b>"), "{spa}");
}
