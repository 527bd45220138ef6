//! The theme studio through HTTP (issue 10, `portcullis::studio`): signing in through
//! Portcullis itself, who is refused (nobody signed in, an account without `tenant-admin`,
//! another tenant's administrator, a forged request without the CSRF token, a session
//! whose grant or privilege is gone), drafts, publish and rollback that the real pages
//! show, and a preview of every page that stores nothing.
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::Arc;
use url::Url;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(
    signing_in_takes_an_administrator_of_the_tenant,
    other_tenants_forged_requests_and_lost_privileges_are_refused,
    drafts_publish_and_rollback_through_the_studio,
    preview_renders_every_page_and_stores_nothing,
    a_workspace_cannot_be_called_studio,
    paths_of_no_tenant_link_nowhere_and_set_no_cookie,
    sign_out_takes_the_session_or_our_own_origin,
    preview_reads_no_body_without_a_session,
    starting_sign_ins_is_limited_per_client_ip,
    refusals_are_audited_once_per_window,
    sessions_end_with_their_client_or_privilege,
    an_old_single_sign_on_session_asks_again,
);

pub const ADMIN_PASSWORD: &str = "brand manager pass";

/// Tenants `initech` (studio client in workspace `console`, staff: brenda tenant-admin,
/// ursula user-admin, walter nothing; workspace `shop` with client `web`) and `globex`
/// (its own studio, gina tenant-admin), and `hooli` without a studio client (its one
/// client with the studio's redirect URI is confidential: not one the studio uses).
pub async fn studio_app(backend: Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    let tenant = |id: &str, admin: &str| {
        format!(
            "  - id: {id}
    name: {id} Inc
    pools:
      - id: staff
        users:
          - {{ username: {admin}, email: {admin}@example.com, password: \"{ADMIN_PASSWORD}\", status: active, privileges: [tenant-admin] }}
          - {{ username: ursula, email: ursula@example.com, password: \"user admin pass 1\", status: active, privileges: [user-admin] }}
          - {{ username: walter, email: walter@example.com, password: \"no privileges 12\", status: active }}
      - id: customers
        users:
          - {{ username: carl, email: carl@example.com, password: \"{PASSWORD}\", status: active }}
    workspaces:
      - id: console
        pools: [staff]
        clients:
          - {{ client_id: theme-studio, name: Theme studio, redirect_uris: [\"{base}/{id}/studio/callback\"], grant_types: [authorization_code], scopes: [openid], consent: implicit }}
      - id: shop
        pools: [customers]
        clients:
          - {{ client_id: web, name: Web shop, redirect_uris: [\"{WEB_REDIRECT}\"], grant_types: [authorization_code], scopes: [openid], consent: implicit }}
          - {{ client_id: initech-admin, client_secret: initech-admin-secret, grant_types: [client_credentials], scopes: [admin], privileges: [tenant-admin] }}
",
            base = app.base
        )
    };
    app.provision(&format!(
        "tenants:\n{}{}  - id: hooli\n    pools: [{{ id: staff }}]\n    workspaces:\n      - id: console\n        pools: [staff]\n        clients: [{{ client_id: confidential, client_secret: confidential-secret, redirect_uris: [\"{}/hooli/studio/callback\"], grant_types: [authorization_code], scopes: [openid] }}]\n",
        tenant("initech", "brenda"),
        tenant("globex", "gina"),
        app.base
    ))
    .await;
    app
}

/// A browser whose cookies the test can read.
pub fn browser() -> (Browser, Arc<reqwest::cookie::Jar>) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let http = reqwest::Client::builder().cookie_provider(jar.clone()).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    (Browser { http }, jar)
}

/// The studio's cookie value in `jar`, for `tenant`.
pub fn studio_cookie(app: &TestApp, jar: &reqwest::cookie::Jar, tenant: &str) -> Option<String> {
    use reqwest::cookie::CookieStore;
    let url = Url::parse(&format!("{}/{tenant}/studio", app.base)).unwrap();
    let header = jar.cookies(&url)?;
    header.to_str().unwrap().split("; ").find_map(|c| c.strip_prefix("pc_studio=")).map(str::to_owned)
}

/// Signs in to `tenant`'s studio on the hosted pages: the callback's answer (status, HTML).
pub async fn sign_in(app: &TestApp, b: &Browser, tenant: &str, username: &str, password: &str) -> (u16, String) {
    let studio = format!("{}/{tenant}/studio", app.base);
    let callback = format!("{studio}/callback");
    let back = b.sign_in(&studio, &callback, username, password, "allow").await;
    b.follow(back.as_str(), "http://nowhere.invalid/").await.page()
}

/// brenda's studio: (browser, jar, CSRF token of the session).
pub async fn brenda(app: &TestApp) -> (Browser, Arc<reqwest::cookie::Jar>, String) {
    let (b, jar) = browser();
    let (status, html) = sign_in(app, &b, "initech", "brenda", ADMIN_PASSWORD).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("http-equiv=\"refresh\" content=\"0; url=/initech/studio\""), "{html}");
    let (status, html) = b.follow(&format!("{}/initech/studio", app.base), "http://nowhere.invalid/").await.page();
    assert_eq!(status, 200, "{html}");
    let csrf = attr_values(&html, "data-csrf").pop().expect("the page's CSRF token");
    (b, jar, csrf)
}

/// A studio API call: (status, JSON).
pub async fn call(app: &TestApp, b: &Browser, method: Method, path: &str, csrf: Option<&str>, body: Option<Value>) -> (u16, Value) {
    let mut rb = b.http.request(method, format!("{}/initech/studio/api/{path}", app.base));
    if let Some(c) = csrf {
        rb = rb.header("x-studio-csrf", c);
    }
    if let Some(body) = body {
        rb = rb.json(&body);
    }
    let resp = rb.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// An authorization request of initech's shop client `web`.
pub fn shop_authorize_url(app: &TestApp) -> String {
    let (_, challenge) = pkce();
    let mut url = Url::parse(&format!("{}/initech/shop/authorize", app.base)).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", "web")
        .append_pair("redirect_uri", WEB_REDIRECT)
        .append_pair("scope", "openid")
        .append_pair("state", "s")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    url.to_string()
}

/// The sign-in page of initech's shop for client `web` (what visitors see).
async fn shop_login(app: &TestApp) -> String {
    Browser::default().first_form(&shop_authorize_url(app), WEB_REDIRECT).await.1
}

fn primary(html: &str) -> Option<String> {
    let at = html.find("--pc-color-primary:")? + "--pc-color-primary:".len();
    Some(html[at..].split(';').next()?.to_owned())
}

async fn signing_in_takes_an_administrator_of_the_tenant(backend: Backend) {
    let app = studio_app(backend).await;
    // Nobody signed in: to the sign-in of the studio's client, with PKCE, state and nonce.
    let (b, jar) = browser();
    let resp = b.http.get(format!("{}/initech/studio", app.base)).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    let to = Url::parse(&app.base).unwrap().join(resp.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(to.path(), "/initech/console/authorize");
    assert_eq!(query(&to, "client_id").as_deref(), Some("theme-studio"));
    assert_eq!(query(&to, "redirect_uri"), Some(format!("{}/initech/studio/callback", app.base)));
    assert_eq!(query(&to, "code_challenge_method").as_deref(), Some("S256"));
    assert!(query(&to, "state").is_some_and(|s| s.len() >= 20) && query(&to, "nonce").is_some());
    let login_cookie = resp.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).find(|c| c.starts_with("pc_studio_login=")).unwrap();
    assert!(login_cookie.contains("HttpOnly") && login_cookie.contains("Path=/initech/studio"), "{login_cookie}");
    // Its API answers 401 without a session.
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401);

    // brenda (tenant-admin): the studio, behind a Strict, HttpOnly cookie of its path.
    let (b, _) = browser();
    let studio = format!("{}/initech/studio", app.base);
    let back = b.sign_in(&studio, &format!("{studio}/callback"), "brenda", ADMIN_PASSWORD, "allow").await;
    let resp = b.http.get(back.as_str()).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let session_cookie = resp.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).find(|c| c.starts_with("pc_studio=")).unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/initech/studio", "Max-Age=28800"] {
        assert!(session_cookie.contains(attr), "{attr} in {session_cookie}");
    }
    let (b, jar2, csrf) = brenda(&app).await;
    assert!(studio_cookie(&app, &jar2, "initech").is_some());
    let resp = b.http.get(format!("{}/initech/studio", app.base)).send().await.unwrap();
    let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'nonce-") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let html = resp.text().await.unwrap();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")) && html.contains("/static/js/studio.js?v="), "the script by the page's nonce");
    assert!(html.contains("Theme studio") && html.contains("Signed in as brenda"));
    for page in ["login", "consent", "register", "enrol-totp", "factor-locked"] {
        assert!(html.contains(&format!("<option value=\"{page}\">")), "preview lists {page}");
    }
    assert!(html.contains("<option value=\"console\" selected>") && html.contains("<option value=\"shop\">"), "the tenant's layer is previewed in a workspace of one's choice");
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 200);
    assert!(!csrf.is_empty());
    // The studio speaks the browser's language.
    let de = b.http.get(format!("{}/initech/studio", app.base)).header("accept-language", "de").send().await.unwrap().text().await.unwrap();
    assert!(de.contains("lang=\"de\"") && de.contains("Entwurf speichern"), "German studio");
    let ar = b.http.get(format!("{}/initech/studio", app.base)).header("accept-language", "ar").send().await.unwrap().text().await.unwrap();
    assert!(ar.contains("dir=\"rtl\""));
    drop(jar);

    // walter (no privilege) and ursula (user-admin): refused at the callback, no session,
    // and the grant their sign-in made is revoked.
    for (user, password) in [("walter", "no privileges 12"), ("ursula", "user admin pass 1")] {
        let (b, jar) = browser();
        let (status, html) = sign_in(&app, &b, "initech", user, password).await;
        assert_eq!(status, 403, "{user}: {html}");
        assert!(html.contains("No access to the theme studio"));
        assert!(studio_cookie(&app, &jar, "initech").is_none(), "{user} holds no studio session");
        assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401);
        let id = app.state.users.find_user(&initech(), "staff", portcullis::storage::identity::Lookup::Username, user).await.unwrap().unwrap().id;
        assert_eq!(app.state.grants.revoke_user(&initech(), &id, 0).await.unwrap(), 0, "no live grant of {user}'s refused sign-in");
    }

    // A callback that this browser did not start, or a second time: refused.
    let (b, _) = browser();
    let studio = format!("{}/initech/studio", app.base);
    let back = b.sign_in(&studio, &format!("{studio}/callback"), "brenda", ADMIN_PASSWORD, "allow").await;
    let (other, _) = browser();
    assert_eq!(other.follow(back.as_str(), "http://nowhere.invalid/").await.page().0, 400, "another browser");
    assert_eq!(b.follow(back.as_str(), "http://nowhere.invalid/").await.page().0, 400, "the state was taken by the try above");
    let forged = format!("{studio}/callback?code=x&state=nope");
    let (status, html) = b.follow(&forged, "http://nowhere.invalid/").await.page();
    assert_eq!(status, 400, "{html}");

    // A tenant without a studio client: the studio says how to turn it on.
    let (status, html) = Browser::default().follow(&format!("{}/hooli/studio", app.base), "http://nowhere.invalid/").await.page();
    assert_eq!(status, 404);
    assert!(html.contains("not set up") && html.contains(&format!("{}/hooli/studio/callback", app.base)), "{html}");
    assert_eq!(Browser::default().follow(&format!("{}/nope/studio", app.base), "http://nowhere.invalid/").await.page().0, 404);

    // Sign-out ends the session (and takes the CSRF token).
    let (b, jar, csrf) = brenda(&app).await;
    let resp = b.http.post(format!("{}/initech/studio/logout", app.base)).form(&[("csrf", "wrong")]).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 200, "still signed in");
    let resp = b.http.post(format!("{}/initech/studio/logout", app.base)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(studio_cookie(&app, &jar, "initech").is_none());
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401);
}

async fn other_tenants_forged_requests_and_lost_privileges_are_refused(backend: Backend) {
    let app = studio_app(backend).await;
    let (b, _, csrf) = brenda(&app).await;
    // gina, tenant-admin of globex, signed in to globex's studio.
    let (g, gjar) = browser();
    assert_eq!(sign_in(&app, &g, "globex", "gina", ADMIN_PASSWORD).await.0, 200);
    let gina = studio_cookie(&app, &gjar, "globex").unwrap();
    // Her session cookie, sent to initech's studio by hand: not a session there.
    let plain = http();
    let resp = plain.get(format!("{}/initech/studio/api/layer", app.base)).header("cookie", format!("pc_studio={gina}")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    let resp = plain.get(format!("{}/initech/studio", app.base)).header("cookie", format!("pc_studio={gina}")).send().await.unwrap();
    assert_eq!(resp.status(), 303, "initech's studio sends her to sign in at initech");
    assert!(resp.headers()["location"].to_str().unwrap().starts_with("/initech/console/authorize?"));
    // She cannot sign in to initech's studio with her globex account either.
    let (o, _) = browser();
    let studio = format!("{}/initech/studio", app.base);
    let (_, html, form) = o.first_form(&studio, &format!("{studio}/callback")).await;
    assert_eq!(Form::page_id(&html).as_deref(), Some("login"));
    let (_, html) = o.submit(&form, &[("username", "gina"), ("password", ADMIN_PASSWORD)], &format!("{studio}/callback")).await.page();
    assert!(Form::page_id(&html).as_deref() == Some("login") && html.contains("role=\"alert\""), "no such account at initech: {html}");

    // Forged changes: no CSRF token, a wrong one, gina's token with brenda's cookie.
    let draft = json!({ "product_name": "Forged" });
    assert_eq!(call(&app, &b, Method::PUT, "draft", None, Some(draft.clone())).await.0, 403);
    assert_eq!(call(&app, &b, Method::PUT, "draft", Some("wrong"), Some(draft.clone())).await.0, 403);
    let gcsrf = {
        let html = g.http.get(format!("{}/globex/studio", app.base)).send().await.unwrap().text().await.unwrap();
        attr_values(&html, "data-csrf").pop().unwrap()
    };
    assert_eq!(call(&app, &b, Method::PUT, "draft", Some(&gcsrf), Some(draft.clone())).await.0, 403);
    for (m, path, body) in [(Method::POST, "publish", None), (Method::DELETE, "draft", None), (Method::POST, "rollback", Some(json!({ "version": 1 }))), (Method::POST, "check", Some(json!({})))] {
        assert_eq!(call(&app, &b, m.clone(), path, None, body).await.0, 403, "{m} {path}");
    }
    let resp = b.http.post(format!("{}/initech/studio/api/assets", app.base)).header("content-type", "image/png").body(png(10, 10)).send().await.unwrap();
    assert_eq!(resp.status(), 403, "upload without the token");
    let resp = b.http.post(format!("{}/initech/studio/preview", app.base)).form(&[("page", "login"), ("workspace", "shop"), ("layer", "{}")]).send().await.unwrap();
    assert_eq!(resp.status(), 403, "preview without the token");
    let (_, layer) = call(&app, &b, Method::GET, "layer", None, None).await;
    assert_eq!(layer["draft"], Value::Null, "nothing was stored");
    // The token is the session's own: brenda's works for her.
    assert_eq!(call(&app, &b, Method::PUT, "draft", Some(&csrf), Some(draft.clone())).await.0, 200);
    // Layers of another tenant do not exist for the studio (there is no path to them).
    assert_eq!(call(&app, &b, Method::GET, "layer?workspace=nope", None, None).await.0, 404);
    assert_eq!(call(&app, &b, Method::GET, "layer?client=web", None, None).await.0, 422, "a client needs its workspace");

    // brenda loses tenant-admin: the page says so and ends the session (its cookie too).
    let brenda_id = app.state.users.find_user(&initech(), "staff", portcullis::storage::identity::Lookup::Username, "brenda").await.unwrap().unwrap().id;
    let holder = portcullis::storage::identity::user_holder(&brenda_id);
    app.state.privileges.set_holder(&initech(), "tenant-admin", &holder, false).await.unwrap();
    let resp = b.http.get(format!("{}/initech/studio", app.base)).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    assert!(resp.headers()["set-cookie"].to_str().unwrap().starts_with("pc_studio=;"), "the cookie is removed");
    let html = resp.text().await.unwrap();
    assert!(html.contains("No access to the theme studio") && html.contains("href=\"/initech/studio\""));
    assert_eq!(call(&app, &b, Method::PUT, "draft", Some(&csrf), Some(draft.clone())).await.0, 401, "the session is over");
    // A call refused for lost privileges ends the session as well.
    let (b, _, csrf) = {
        app.state.privileges.set_holder(&initech(), "tenant-admin", &holder, true).await.unwrap();
        let signed_in = brenda(&app).await;
        app.state.privileges.set_holder(&initech(), "tenant-admin", &holder, false).await.unwrap();
        signed_in
    };
    assert_eq!(call(&app, &b, Method::PUT, "draft", Some(&csrf), Some(draft.clone())).await.0, 403);
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401);
    // Given back, the privilege does not revive the session: she signs in again.
    app.state.privileges.set_holder(&initech(), "tenant-admin", &holder, true).await.unwrap();
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401);
    let (b, _, _) = brenda(&app).await;
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 200);
    // Her grants revoked (as a password reset does): the session is over.
    app.state.grants.revoke_user(&initech(), &brenda_id, app.state.now()).await.unwrap();
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401);
    assert_eq!(b.http.get(format!("{}/initech/studio", app.base)).send().await.unwrap().status(), 303);
}

async fn drafts_publish_and_rollback_through_the_studio(backend: Backend) {
    let app = studio_app(backend).await;
    let (b, _, csrf) = brenda(&app).await;
    let token = csrf.clone();
    let csrf = Some(csrf.as_str());
    let (s, layer) = call(&app, &b, Method::GET, "layer", None, None).await;
    assert_eq!(s, 200, "{layer}");
    assert_eq!((layer["published"].clone(), layer["draft"].clone()), (Value::Null, Value::Null));
    assert_eq!(layer["below"]["tokens"]["--pc-color-primary"], "#1f4fd1", "the built-in theme below the tenant");
    assert_eq!(layer["below"]["dark"]["--pc-color-primary"], "#7ea2ff");

    // A draft is kept and shown to nobody.
    let (s, d) = call(&app, &b, Method::PUT, "draft", csrf, Some(json!({ "tokens": { "--pc-color-primary": "#aa0000" } }))).await;
    assert_eq!(s, 200, "{d}");
    let brenda_id = app.state.users.find_user(&initech(), "staff", portcullis::storage::identity::Lookup::Username, "brenda").await.unwrap().unwrap().id;
    assert_eq!(d["author"], format!("user:{brenda_id}"));
    assert_eq!(primary(&shop_login(&app).await).as_deref(), Some("#1f4fd1"), "a draft is not live");
    let (_, layer) = call(&app, &b, Method::GET, "layer", None, None).await;
    assert_eq!(layer["draft"]["layer"]["tokens"]["--pc-color-primary"], "#aa0000");
    assert_eq!(layer["draft"]["author"], "brenda");

    // Publish: version 1, live.
    let (s, v) = call(&app, &b, Method::POST, "publish", csrf, None).await;
    assert_eq!((s, v["version"].clone()), (200, json!(1)), "{v}");
    assert_eq!(primary(&shop_login(&app).await).as_deref(), Some("#aa0000"));
    // A text override per locale, published as version 2.
    let v2 = json!({ "tokens": { "--pc-color-primary": "#005a00" }, "texts": { "en": { "sign-in": "Enter Initech" } } });
    assert_eq!(call(&app, &b, Method::PUT, "draft", csrf, Some(v2)).await.0, 200);
    assert_eq!(call(&app, &b, Method::POST, "publish", csrf, None).await.0, 200);
    let page = shop_login(&app).await;
    assert!(page.contains("Enter Initech") && primary(&page).as_deref() == Some("#005a00"));
    let (_, layer) = call(&app, &b, Method::GET, "layer", None, None).await;
    assert_eq!(layer["draft"], Value::Null, "published drafts are gone");
    assert_eq!(layer["published"]["version"], 2);
    let versions = layer["versions"].as_array().unwrap();
    assert_eq!(versions.iter().map(|v| v["version"].as_i64().unwrap()).collect::<Vec<_>>(), [2, 1]);
    assert!(versions.iter().all(|v| v["author"] == "brenda" && v["published_at"].as_i64().unwrap() > 0));
    // What the admin API shows is the same object, by the same author.
    let admin = {
        let resp = http().post(format!("{}/initech/shop/token", app.base)).basic_auth("initech-admin", Some("initech-admin-secret")).form(&[("grant_type", "client_credentials"), ("scope", "admin")]).send().await.unwrap();
        resp.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
    };
    let (_, history) = api(Method::GET, &app.admin("/tenants/initech/theme/versions"), &admin, None).await;
    assert_eq!(history["items"][0]["author"], format!("user:{brenda_id}"));

    // One click rollback: version 1 again, as version 3.
    let (s, v) = call(&app, &b, Method::POST, "rollback", csrf, Some(json!({ "version": 1 }))).await;
    assert_eq!((s, v["version"].clone(), v["rollback_of"].clone()), (200, json!(3), json!(1)), "{v}");
    let page = shop_login(&app).await;
    assert!(!page.contains("Enter Initech") && primary(&page).as_deref() == Some("#aa0000"));
    assert_eq!(call(&app, &b, Method::POST, "rollback", csrf, Some(json!({ "version": 9 }))).await.0, 404);

    // A workspace's and a client's layer, published through the studio too.
    assert_eq!(call(&app, &b, Method::PUT, "draft?workspace=shop&client=web", csrf, Some(json!({ "product_name": "Web Shop" }))).await.0, 200);
    let (_, layer) = call(&app, &b, Method::GET, "layer?workspace=shop&client=web", None, None).await;
    assert_eq!(layer["below"]["tokens"]["--pc-color-primary"], "#aa0000", "the client inherits the tenant's");
    assert_eq!(call(&app, &b, Method::POST, "publish?workspace=shop&client=web", csrf, None).await.0, 200);
    assert!(shop_login(&app).await.contains("<span>Web Shop</span>"));
    let (_, got) = api(Method::GET, &app.admin("/tenants/initech/workspaces/shop/clients/web/theme"), &admin, None).await;
    assert_eq!(got, json!({ "product_name": "Web Shop" }));

    // Refusals name the setting; what is refused is not stored.
    let bad = json!({ "tokens": { "--pc-color-text": "#fefefe" } });
    let (s, e) = call(&app, &b, Method::PUT, "draft?workspace=shop", csrf, Some(bad.clone())).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["errors"][0]["pointer"], "/tokens/--pc-color-text");
    let (s, e) = call(&app, &b, Method::POST, "check?workspace=shop", csrf, Some(bad)).await;
    assert_eq!((s, e["errors"][0]["pointer"].clone()), (200, json!("/tokens/--pc-color-text")), "{e}");
    let (_, ok) = call(&app, &b, Method::POST, "check?workspace=shop", csrf, Some(json!({ "product_name": "Fine" }))).await;
    assert_eq!(ok["errors"], json!([]));
    let (s, e) = call(&app, &b, Method::PUT, "draft?workspace=shop", csrf, Some(json!({ "texts": { "en": { "sign-in-to": "Hello { $nobody }" } } }))).await;
    assert_eq!((s, e["errors"][0]["pointer"].clone()), (422, json!("/texts/en/sign-in-to")), "{e}");
    let (_, layer) = call(&app, &b, Method::GET, "layer?workspace=shop", None, None).await;
    assert_eq!(layer["draft"], Value::Null);
    // Discarding a draft.
    assert_eq!(call(&app, &b, Method::PUT, "draft?workspace=shop", csrf, Some(json!({ "layout": "split" }))).await.0, 200);
    assert_eq!(call(&app, &b, Method::DELETE, "draft?workspace=shop", csrf, None).await.0, 204);
    assert_eq!(call(&app, &b, Method::DELETE, "draft?workspace=shop", csrf, None).await.0, 404);
    assert_eq!(call(&app, &b, Method::POST, "publish?workspace=shop", csrf, None).await.0, 404, "no draft to publish");

    // The texts a layer may override, as they read below it, with their variables.
    let (s, texts) = call(&app, &b, Method::GET, "texts?locale=de&workspace=shop", None, None).await;
    assert_eq!(s, 200, "{texts}");
    let items = texts["items"].as_array().unwrap();
    let find = |k: &str| items.iter().find(|i| i["key"] == k).cloned().unwrap_or(Value::Null);
    assert_eq!(find("sign-in")["text"], "Anmelden");
    assert!(find("sign-in-to")["text"].as_str().unwrap().contains("{ $client }"));
    assert!(items.iter().all(|i| !i["key"].as_str().unwrap().starts_with("studio-")), "the studio's own texts are not a theme's");
    assert_eq!(call(&app, &b, Method::GET, "texts?locale=xx", None, None).await.0, 422);

    // An asset uploaded through the studio.
    let up = |token: &str| b.http.post(format!("{}/initech/studio/api/assets", app.base)).header("x-studio-csrf", token.to_owned()).header("content-type", "image/png").body(png(120, 40)).send();
    let resp = up(&token).await.unwrap();
    assert_eq!(resp.status(), 201);
    let asset: Value = resp.json().await.unwrap();
    assert!(asset["url"].as_str().unwrap().starts_with("/static/t/initech/"), "{asset}");
    assert_eq!(up(&token).await.unwrap().status(), 200, "the same content again");

    // Every change is in the tenant's audit trail, by brenda.
    let events = app.state.audit.audit_events(&initech(), None, 200).await.unwrap();
    let actions: Vec<&str> = events.iter().filter(|e| e.actor == format!("user:{brenda_id}")).map(|e| e.action.as_str()).collect();
    for a in ["studio.sign_in", "studio.draft_saved", "studio.published", "studio.rolled_back", "studio.draft_discarded", "studio.asset_uploaded"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

async fn preview_renders_every_page_and_stores_nothing(backend: Backend) {
    let app = studio_app(backend).await;
    let (b, _, csrf) = brenda(&app).await;
    let admin_pages = {
        let resp = http().post(format!("{}/initech/shop/token", app.base)).basic_auth("initech-admin", Some("initech-admin-secret")).form(&[("grant_type", "client_credentials"), ("scope", "admin")]).send().await.unwrap();
        let token = resp.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
        api(Method::GET, &app.admin("/pages"), &token, None).await.1
    };
    let pages: Vec<String> = admin_pages["items"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect();
    assert!(pages.len() >= 21);
    let layer = json!({ "tokens": { "--pc-color-primary": "#123456" }, "texts": { "en": { "sign-in": "Preview only" }, "de": { "sign-in": "Nur Vorschau" } } }).to_string();
    let preview = |page: String, locale: &'static str, scheme: &'static str, at: &'static str, client: &'static str| {
        let form = vec![("csrf", csrf.clone()), ("layer", layer.clone()), ("page", page), ("locale", locale.to_owned()), ("scheme", scheme.to_owned()), ("workspace", "shop".to_owned()), ("client", client.to_owned()), ("at", at.to_owned())];
        b.http.post(format!("{}/initech/studio/preview", app.base)).form(&form).send()
    };
    for page in &pages {
        let resp = preview(page.clone(), "en", "light", "tenant", "").await.unwrap();
        assert_eq!(resp.status(), 200, "{page}");
        assert_eq!(resp.headers()["x-frame-options"], "SAMEORIGIN");
        let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("frame-ancestors 'self'") && !csp.contains("script-src"), "{csp}");
        let html = resp.text().await.unwrap();
        assert!(html.contains(&format!("data-page=\"{page}\"")), "{page}");
        assert!(html.contains("--pc-color-primary:#123456") && html.contains("data-color-scheme=\"light\""), "{page}");
    }
    let login = preview("login".into(), "de", "dark", "workspace", "").await.unwrap().text().await.unwrap();
    assert!(login.contains("Nur Vorschau") && login.contains("lang=\"de\"") && login.contains("data-color-scheme=\"dark\""));
    let login = preview("login".into(), "en", "", "client", "web").await.unwrap().text().await.unwrap();
    assert!(login.contains("Preview only") && !login.contains("data-color-scheme=\""), "the theme's own scheme");
    // A layer that cannot be shown: the frame says which setting.
    let form = [("csrf", csrf.as_str()), ("layer", r#"{"tokens":{"--pc-color-link":"url(x)"}}"#), ("page", "login"), ("workspace", "shop")];
    let resp = b.http.post(format!("{}/initech/studio/preview", app.base)).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("/tokens/--pc-color-link"));
    let form = [("csrf", csrf.as_str()), ("layer", "{}"), ("page", "nope"), ("workspace", "shop")];
    assert_eq!(b.http.post(format!("{}/initech/studio/preview", app.base)).form(&form).send().await.unwrap().status(), 404);

    // Nothing was stored: no version, no draft at any layer, the real page unchanged.
    for q in ["", "?workspace=shop", "?workspace=shop&client=web"] {
        let (_, layer) = call(&app, &b, Method::GET, &format!("layer{q}"), None, None).await;
        assert_eq!((layer["published"].clone(), layer["draft"].clone(), layer["versions"].clone()), (Value::Null, Value::Null, json!([])), "{q}");
    }
    let page = shop_login(&app).await;
    assert!(!page.contains("Preview only") && primary(&page).as_deref() == Some("#1f4fd1"));
}

async fn a_workspace_cannot_be_called_studio(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let file = portcullis::provision::parse("tenants:\n  - id: umbrella\n    pools: [{ id: p }]\n    workspaces: [{ id: studio, pools: [p] }]\n").unwrap();
    let refused = portcullis::provision::prepare(&app.state, file, "test.yaml").await;
    let message = match refused {
        Ok(_) => panic!("a workspace called studio was accepted"),
        Err(e) => format!("{e:?}"),
    };
    assert!(message.contains("/tenants/0/workspaces/0/id") && message.contains("reserved"), "{message}");
}

/// ST-1: a path segment that is no well-formed tenant id (the router decodes `%5C` to `\`
/// and `%3B` to `;`), or names no tenant, gets a plain 404: no link to `/{tenant}/studio`
/// (`/\evil.example/studio` is another host to a browser) and no cookie for its path.
async fn paths_of_no_tenant_link_nowhere_and_set_no_cookie(backend: Backend) {
    let app = studio_app(backend).await;
    let plain = http();
    for tenant in ["%5Cevil.example", "x%3B%20Domain%3Devil.example", "-x", "Initech", "nope"] {
        let requests = [
            plain.get(format!("{}/{tenant}/studio", app.base)),
            plain.get(format!("{}/{tenant}/studio/callback?code=c&state=s", app.base)),
            plain.post(format!("{}/{tenant}/studio/logout", app.base)).header("sec-fetch-site", "same-origin").form(&[("csrf", "x")]),
        ];
        for rb in requests {
            let resp = rb.send().await.unwrap();
            let what = format!("{} {tenant}", resp.url());
            assert_eq!(resp.status(), 404, "{what}");
            assert!(resp.headers().get("set-cookie").is_none(), "no cookie: {what}");
            let html = resp.text().await.unwrap();
            assert!(!html.contains("evil.example") && !html.contains("/studio\"") && !html.contains("Initech/"), "no link: {what}: {html}");
        }
    }
}

/// ST-2: a sign-out that is not the session's own form (another site posting to it: the
/// Strict cookie is not sent, or is sent without the token) changes nothing: 403, no
/// cookie removed, the session lives. Without a session, our own page may clear the cookie.
async fn sign_out_takes_the_session_or_our_own_origin(backend: Backend) {
    let app = studio_app(backend).await;
    let (b, jar, csrf) = brenda(&app).await;
    let logout = format!("{}/initech/studio/logout", app.base);
    for (site, origin) in [(Some("cross-site"), None), (None, Some("https://evil.example")), (None, None)] {
        let mut rb = http().post(&logout).form(&[("csrf", "guess")]);
        if let Some(s) = site {
            rb = rb.header("sec-fetch-site", s);
        }
        if let Some(o) = origin {
            rb = rb.header("origin", o);
        }
        let resp = rb.send().await.unwrap();
        assert_eq!(resp.status(), 403, "{site:?} {origin:?}");
        assert!(resp.headers().get("set-cookie").is_none(), "no cookie removed: {site:?} {origin:?}");
    }
    let resp = b.http.post(&logout).header("sec-fetch-site", "cross-site").form(&[("csrf", "guess")]).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    assert!(resp.headers().get("set-cookie").is_none());
    assert!(studio_cookie(&app, &jar, "initech").is_some());
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 200, "still signed in");
    // Our own page without a session (it ended elsewhere): the cookie is cleared.
    for (name, value) in [("sec-fetch-site", "same-origin".to_owned()), ("origin", Url::parse(&app.base).unwrap().origin().ascii_serialization())] {
        let resp = http().post(&logout).header(name, value).form(&[("csrf", "")]).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{name}");
        let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cookie.starts_with("pc_studio=;") && cookie.contains("Max-Age=0") && cookie.contains("Path=/initech/studio"), "{cookie}");
    }
    // And the session's own form signs out.
    let resp = b.http.post(&logout).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401);
}

/// ST-3: the preview looks up the session before it reads the (up to 1 MiB) body: without
/// one, a large body is not read (401, not 413).
async fn preview_reads_no_body_without_a_session(backend: Backend) {
    let app = studio_app(backend).await;
    let big = format!("csrf=x&layer={}", "a".repeat(1024 * 1024 + 10));
    let preview = format!("{}/initech/studio/preview", app.base);
    let resp = http().post(&preview).header("content-type", "application/x-www-form-urlencoded").body(big.clone()).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    // With a session, the bound still holds, and the token is still needed.
    let (b, _, csrf) = brenda(&app).await;
    let resp = b.http.post(&preview).header("content-type", "application/x-www-form-urlencoded").body(big).send().await.unwrap();
    assert_eq!(resp.status(), 413);
    let resp = b.http.post(&preview).form(&[("csrf", "wrong"), ("page", "login"), ("workspace", "shop"), ("layer", "{}")]).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    let resp = b.http.post(&preview).form(&[("csrf", csrf.as_str()), ("page", "login"), ("workspace", "shop"), ("layer", "{}")]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
}

/// ST-4: every sign-in started keeps a record for ten minutes: a client IP starts at most
/// `MAX_SIGN_INS_PER_IP` of them in that time (then a themed 429); another IP is not held up.
async fn starting_sign_ins_is_limited_per_client_ip(backend: Backend) {
    let app = studio_app(backend).await;
    let limit = portcullis::studio::signin::MAX_SIGN_INS_PER_IP;
    let studio = format!("{}/initech/studio", app.base);
    let from = Browser::at("203.0.113.7");
    for i in 0..limit {
        assert_eq!(from.http.get(&studio).send().await.unwrap().status(), 303, "sign-in {i}");
    }
    let resp = from.http.get(&studio).header("accept-language", "de").send().await.unwrap();
    assert_eq!(resp.status(), 429);
    assert!(resp.headers().get("set-cookie").is_none(), "no login cookie");
    assert!(resp.headers().contains_key("retry-after"));
    let html = resp.text().await.unwrap();
    assert!(html.contains("lang=\"de\"") && html.contains("Zu viele Anmeldungen begonnen") && html.contains("/static/css/studio.css"), "{html}");
    assert_eq!(Browser::at("203.0.113.8").http.get(&studio).send().await.unwrap().status(), 303, "another IP");
}

/// ST-5: an account without the privilege cannot flood the tenant's audit trail: its
/// refused sign-ins and refused calls are audited once per window (and logged each time).
async fn refusals_are_audited_once_per_window(backend: Backend) {
    let app = studio_app(backend).await;
    for _ in 0..3 {
        let (b, _) = browser();
        assert_eq!(sign_in(&app, &b, "initech", "walter", "no privileges 12").await.0, 403);
    }
    let events = app.state.audit.audit_events(&initech(), None, 200).await.unwrap();
    let walter = app.state.users.find_user(&initech(), "staff", portcullis::storage::identity::Lookup::Username, "walter").await.unwrap().unwrap().id;
    let refused = events.iter().filter(|e| e.action == "studio.sign_in_refused" && e.actor == format!("user:{walter}")).count();
    assert_eq!(refused, 1, "one audit event for three refused sign-ins");
    // A demoted administrator: one `studio.refused` however often she tries.
    let (b, _, csrf) = brenda(&app).await;
    let brenda_id = app.state.users.find_user(&initech(), "staff", portcullis::storage::identity::Lookup::Username, "brenda").await.unwrap().unwrap().id;
    let holder = portcullis::storage::identity::user_holder(&brenda_id);
    app.state.privileges.set_holder(&initech(), "tenant-admin", &holder, false).await.unwrap();
    assert_eq!(call(&app, &b, Method::PUT, "draft", Some(&csrf), Some(json!({}))).await.0, 403);
    for _ in 0..3 {
        let (b, _) = browser();
        assert_eq!(sign_in(&app, &b, "initech", "brenda", ADMIN_PASSWORD).await.0, 403);
    }
    let events = app.state.audit.audit_events(&initech(), None, 200).await.unwrap();
    let of = |action: &str| events.iter().filter(|e| e.action == action && e.actor == format!("user:{brenda_id}")).count();
    assert_eq!((of("studio.refused"), of("studio.sign_in_refused")), (1, 1));
    assert_eq!(of("studio.sign_in"), 1, "her sign-in as an administrator is audited");
}

/// An admin API token of initech (client credentials of `initech-admin`).
async fn initech_admin(app: &TestApp) -> String {
    let resp = http().post(format!("{}/initech/shop/token", app.base)).basic_auth("initech-admin", Some("initech-admin-secret")).form(&[("grant_type", "client_credentials"), ("scope", "admin")]).send().await.unwrap();
    resp.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
}

/// ST-6: a session lives only while its client is the studio's client (public, code flow,
/// the studio's redirect URI) and its user may use the studio; once ended, it stays ended
/// when the client's redirect URI or the privilege comes back.
async fn sessions_end_with_their_client_or_privilege(backend: Backend) {
    let app = studio_app(backend).await;
    let admin = initech_admin(&app).await;
    let client_url = app.admin("/tenants/initech/workspaces/console/clients/theme-studio");
    let studio_client = |redirect: String| json!({ "name": "Theme studio", "redirect_uris": [redirect], "grant_types": ["authorization_code"], "scopes": ["openid"], "consent": "implicit" });
    let (b, _, csrf) = brenda(&app).await;
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 200);
    // The studio's redirect URI taken off its client: the session is over.
    let (s, body) = api(Method::PUT, &client_url, &admin, Some(studio_client("http://127.0.0.1:9999/elsewhere".into()))).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(call(&app, &b, Method::PUT, "draft", Some(&csrf), Some(json!({ "product_name": "Late" }))).await.0, 401);
    assert_eq!(b.http.get(format!("{}/initech/studio", app.base)).send().await.unwrap().status(), 404, "not set up");
    let (s, _) = api(Method::PUT, &client_url, &admin, Some(studio_client(format!("{}/initech/studio/callback", app.base)))).await;
    assert_eq!(s, 200);
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401, "not revived with the redirect URI");
    // The client deleted: the same.
    let (b, _, _) = brenda(&app).await;
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 200);
    assert_eq!(api(Method::DELETE, &client_url, &admin, None).await.0, 204);
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401);
    let (s, _) = api(Method::PUT, &client_url, &admin, Some(studio_client(format!("{}/initech/studio/callback", app.base)))).await;
    assert_eq!(s, 201);
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401, "not revived with a new client of the same id");
    // Demoted: the API call refused ends the session; given back, the privilege does not
    // revive it.
    let (b, _, _) = brenda(&app).await;
    let brenda_id = app.state.users.find_user(&initech(), "staff", portcullis::storage::identity::Lookup::Username, "brenda").await.unwrap().unwrap().id;
    let holder = portcullis::storage::identity::user_holder(&brenda_id);
    app.state.privileges.set_holder(&initech(), "tenant-admin", &holder, false).await.unwrap();
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 403);
    app.state.privileges.set_holder(&initech(), "tenant-admin", &holder, true).await.unwrap();
    assert_eq!(call(&app, &b, Method::GET, "layer", None, None).await.0, 401);
    let live = app.state.grants.revoke_user(&initech(), &brenda_id, app.state.now()).await.unwrap();
    assert_eq!(live, 0, "every grant of her studio sessions was revoked when they ended");
}

/// Hardening: the studio's sign-in asks for an authentication of the last hour
/// (`max_age=3600`): a single sign-on session older than that does not silently become an
/// eight-hour studio session.
async fn an_old_single_sign_on_session_asks_again(backend: Backend) {
    let app = studio_app(backend).await;
    let (b, _, csrf) = brenda(&app).await;
    let logout = format!("{}/initech/studio/logout", app.base);
    assert_eq!(b.http.post(&logout).form(&[("csrf", csrf.as_str())]).send().await.unwrap().status(), 200);
    let studio = format!("{}/initech/studio", app.base);
    let callback = format!("{studio}/callback");
    // Within the hour: the single sign-on session signs in to the studio without a form.
    let resp = b.http.get(&studio).send().await.unwrap();
    let to = Url::parse(&app.base).unwrap().join(resp.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(query(&to, "max_age").as_deref(), Some("3600"));
    assert!(matches!(b.follow(to.as_str(), &callback).await, Step::Arrived(_)), "a recent sign-in is enough");
    // Two hours later: the sign-in form again, though the single sign-on session lives.
    app.clock.advance(2 * 3600);
    let resp = b.http.get(&studio).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    let to = Url::parse(&app.base).unwrap().join(resp.headers()["location"].to_str().unwrap()).unwrap();
    let (status, html) = b.follow(to.as_str(), &callback).await.page();
    assert_eq!((status, Form::page_id(&html).as_deref()), (200, Some("login")), "{html}");
    let back = b.sign_in(to.as_str(), &callback, "brenda", ADMIN_PASSWORD, "allow").await;
    assert_eq!(b.follow(back.as_str(), "http://nowhere.invalid/").await.page().0, 200, "a fresh sign-in starts a session");
}

fn initech() -> portcullis::model::TenantId {
    portcullis::model::TenantId::new("initech")
}

/// A PNG of `w`×`h` as far as its header says (what the server reads).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]);
    b
}
