//! Industry templates (src/templates.rs) over HTTP: listed for administrators only;
//! a workspace created with `template: banking` really asks for a second factor and for
//! consent and shows the banking theme, one with `template: retail` does neither;
//! explicit settings win; stored objects are not changed; applying again publishes
//! nothing new; the admin API's workspace document takes `template:` too.
use url::Url;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(
    templates_are_listed_for_administrators_only,
    a_banking_workspace_asks_for_a_second_factor_and_consent,
    a_workspace_document_of_the_admin_api_starts_from_a_template,
    template_refusals_name_the_setting,
);

async fn templates_are_listed_for_administrators_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, list) = api(reqwest::Method::GET, &app.admin("/templates"), &app.client_token("acme-admin").await, None).await;
    assert_eq!(status, 200);
    let items = list["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["banking", "retail", "media", "public-sector", "healthcare"]);
    let banking = &items[0];
    assert_eq!(banking["pool"]["mfa"]["policy"], "required");
    assert_eq!(banking["client"]["consent"], "required");
    assert_eq!(banking["theme"]["layout"], "split");
    assert!(banking["theme"]["texts"]["ar"]["sign-in"].is_string(), "the theme's texts, every locale");
    for client in ["acme-useradmin", "no-privileges"] {
        let (status, _) = api(reqwest::Method::GET, &app.admin("/templates"), &app.client_token(client).await, None).await;
        assert_eq!(status, 403, "{client}");
    }
    let (status, _) = api(reqwest::Method::GET, &app.admin("/templates"), "not-a-token", None).await;
    assert_eq!(status, 401);
}

const BANK_PASSWORD: &str = "Vault-Door-Combination-42";

const FILE: &str = r#"
tenants:
  - id: acme
    pools:
      - id: bankers
        users: [ { username: bob, email: bob@example.com, password: "Vault-Door-Combination-42" } ]
      - id: shoppers
        users: [ { username: sue, email: sue@example.com, password: "correct horse battery" } ]
      # Explicit settings win over the template's.
      - id: tellers
        mfa: { policy: "off", factors: [] }
        users: [ { username: tim, email: tim@example.com, password: "Teller-Window-Number-7" } ]
    workspaces:
      - id: bank
        template: banking
        pools: [bankers]
        clients:
          - { client_id: bank-web, client_secret: bank-web-secret, redirect_uris: [ "http://127.0.0.1:9999/bank" ], scopes: [openid, profile] }
      - id: branch
        template: banking
        pools: [tellers]
        clients:
          - { client_id: branch-web, client_secret: branch-web-secret, redirect_uris: [ "http://127.0.0.1:9999/branch" ], scopes: [openid, profile], consent: implicit }
      - id: store
        template: retail
        pools: [shoppers]
        clients:
          - { client_id: store-web, client_secret: store-web-secret, redirect_uris: [ "http://127.0.0.1:9999/store" ], scopes: [openid, profile] }
"#;

fn authorize(app: &TestApp, ws: &str, client: &str, redirect: &str) -> String {
    let mut url = Url::parse(&app.ws_url(ws, "authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client)
        .append_pair("redirect_uri", redirect)
        .append_pair("scope", "openid profile")
        .append_pair("state", "st4te")
        .append_pair("ui_locales", "de");
    url.to_string()
}

async fn a_banking_workspace_asks_for_a_second_factor_and_consent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // The banking password policy applies to the pool the file creates for the workspace.
    let weak = FILE.replace("Vault-Door-Combination-42", "correct horse battery");
    let refused = portcullis::provision::prepare(&app.state, portcullis::provision::parse(&weak).unwrap(), "t").await.unwrap_err().to_string();
    assert!(refused.starts_with("tenants[0].pools[0].users[0].password"), "{refused}");
    app.provision(FILE).await;

    // Banking: the sign-in page carries the template's theme and texts, a second factor is
    // enrolled and asked, then consent is asked.
    let bank = "http://127.0.0.1:9999/bank";
    let browser = Browser::default();
    let (_, login, _) = browser.first_form(&authorize(&app, "bank", "bank-web", bank), bank).await;
    assert!(login.contains("Sicher anmelden") && login.contains("layout-split") && login.contains("--pc-color-primary:#0b3a66"), "the banking theme");
    let mut held = Held { choose: Some("totp".into()), ..Held::default() };
    let back = browser.sign_in_mfa(&app, &authorize(&app, "bank", "bank-web", bank), bank, "bob", BANK_PASSWORD, &mut held).await;
    assert!(query(&back, "code").is_some(), "{back}");
    assert!(held.seen.iter().any(|p| p == "enrol-totp"), "a second factor was required: {:?}", held.seen);
    assert!(held.seen.iter().any(|p| p == "consent"), "consent was asked: {:?}", held.seen);

    // Explicit settings win: no MFA for the tellers pool, no consent for branch-web.
    let branch = "http://127.0.0.1:9999/branch";
    let back = Browser::default().sign_in(&authorize(&app, "branch", "branch-web", branch), branch, "tim", "Teller-Window-Number-7", "allow").await;
    assert!(query(&back, "code").is_some(), "neither a factor nor consent: {back}");

    // Retail: no forced second factor; consent asked all the same (no template weakens it).
    let store = "http://127.0.0.1:9999/store";
    let browser = Browser::default();
    let (_, login, _) = browser.first_form(&authorize(&app, "store", "store-web", store), store).await;
    assert!(login.contains("Schön, dass du wieder da bist!"), "the retail texts");
    // Minimal sign-up: the email address and a password, no names.
    let register = attr_values(&login, "href").into_iter().find(|h| h.contains("/register?")).expect("a sign-up link (self-registration)");
    let (_, signup) = browser.follow(&format!("{}{register}", app.base), store).await.page();
    assert_eq!(Form::page_id(&signup).as_deref(), Some("register"));
    assert!(signup.contains("name=\"email\"") && signup.contains("name=\"password\""), "{signup}");
    assert!(!signup.contains("name=\"given_name\"") && !signup.contains("name=\"family_name\""), "no profile fields: {signup}");
    let (_, bank_login, _) = Browser::default().first_form(&authorize(&app, "bank", "bank-web", bank), bank).await;
    assert!(!bank_login.contains("/register?"), "banking: no self-registration");
    let mut held = Held::default();
    let back = browser.sign_in_mfa(&app, &authorize(&app, "store", "store-web", store), store, "sue", PASSWORD, &mut held).await;
    assert!(query(&back, "code").is_some());
    assert_eq!(held.seen, ["login", "consent"], "retail asks no factor, but consent");

    // Applying the same file again publishes nothing new; a theme changed meanwhile (in
    // the studio, say) is kept.
    let token = app.client_token("acme-admin").await;
    let (s, _) = api(reqwest::Method::PATCH, &app.admin("/tenants/acme/workspaces/store/theme"), &token, Some(serde_json::json!({ "product_name": "Corner Store" }))).await;
    assert_eq!(s, 200);
    app.provision(FILE).await;
    for (ws, n) in [("bank", 1), ("store", 2)] {
        let (_, v) = api(reqwest::Method::GET, &app.admin(&format!("/tenants/acme/workspaces/{ws}/theme/versions")), &token, None).await;
        assert_eq!(v["items"].as_array().unwrap().len(), n, "{ws}");
    }
    let (_, store_theme) = api(reqwest::Method::GET, &app.admin("/tenants/acme/workspaces/store/theme"), &token, None).await;
    assert_eq!(store_theme["product_name"], "Corner Store");
    // The stored pool of the fixture is untouched by a template workspace listing it.
    app.provision("tenants: [{id: acme, workspaces: [{id: annex, template: banking, pools: [customers]}]}]").await;
    let (_, pool) = api(reqwest::Method::GET, &app.admin("/tenants/acme/pools/customers"), &token, None).await;
    assert_eq!(pool["settings"]["mfa"]["policy"], "step_up", "{pool}");
}

async fn a_workspace_document_of_the_admin_api_starts_from_a_template(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.client_token("acme-admin").await;
    let doc = serde_json::json!({
        "template": "healthcare",
        "pools": ["customers"],
        "theme": { "product_name": "Clinic", "tokens": { "--pc-color-primary": "#0a5c57" } },
        "clients": [ { "client_id": "clinic-web", "client_secret": "clinic-web-secret", "redirect_uris": ["http://127.0.0.1:9999/clinic"] } ],
    });
    let (status, body) = api(reqwest::Method::PUT, &app.admin("/tenants/acme/workspaces/clinic"), &token, Some(doc.clone())).await;
    assert_eq!(status, 201, "{body}");
    let (_, theme) = api(reqwest::Method::GET, &app.admin("/tenants/acme/workspaces/clinic/theme"), &token, None).await;
    assert_eq!(theme["product_name"], "Clinic", "the document's setting wins");
    assert_eq!(theme["tokens"]["--pc-color-primary"], "#0a5c57");
    assert_eq!(theme["tokens"]["--pc-radius"], "10px", "the template's other settings stay");
    assert!(theme["texts"]["de"]["sign-in-to"].as_str().unwrap().contains("Gesundheitsdaten"));
    let (_, client) = api(reqwest::Method::GET, &app.admin("/tenants/acme/workspaces/clinic/clients/clinic-web"), &token, None).await;
    assert_eq!(client["consent"], "required");
    // The same document again: nothing new.
    let (status, _) = api(reqwest::Method::PUT, &app.admin("/tenants/acme/workspaces/clinic"), &token, Some(doc)).await;
    assert_eq!(status, 200);
    let (_, v) = api(reqwest::Method::GET, &app.admin("/tenants/acme/workspaces/clinic/theme/versions"), &token, None).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    // A pool document may start from a template too (creation only).
    let (status, pool) = api(reqwest::Method::PUT, &app.admin("/tenants/acme/pools/patients"), &token, Some(serde_json::json!({ "template": "healthcare" }))).await;
    assert!(status == 201 || status == 200, "{pool}");
    let (_, pool) = api(reqwest::Method::GET, &app.admin("/tenants/acme/pools/patients"), &token, None).await;
    assert_eq!(pool["settings"]["mfa"]["policy"], "required", "{pool}");
    assert_eq!(pool["settings"]["password_policy"]["min_length"], 12);
    // Unknown templates are refused, named by pointer.
    let (status, body) = api(reqwest::Method::PUT, &app.admin("/tenants/acme/workspaces/other"), &token, Some(serde_json::json!({ "template": "casino" }))).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["pointer"], "/template", "{body}");
    assert!(body["errors"][0]["detail"].as_str().unwrap().contains("banking"));
    // Only an administrator of the tenant writes workspaces.
    let (status, _) = api(reqwest::Method::PUT, &app.admin("/tenants/acme/workspaces/clinic2"), &app.client_token("acme-useradmin").await, Some(serde_json::json!({ "template": "banking" }))).await;
    assert_eq!(status, 403);
}

async fn template_refusals_name_the_setting(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let refusal = |yaml: &'static str| {
        let state = app.state.clone();
        async move { portcullis::provision::prepare(&state, portcullis::provision::parse(yaml).unwrap(), "t").await.unwrap_err().to_string() }
    };
    let e = refusal("tenants: [{id: acme, workspaces: [{id: w, template: casino}]}]").await;
    assert!(e.starts_with("tenants[0].workspaces[0].template") && e.contains("banking, retail, media, public-sector, healthcare"), "{e}");
    let e = refusal("tenants: [{id: acme, pools: [{id: p, template: casino}]}]").await;
    assert!(e.starts_with("tenants[0].pools[0].template"), "{e}");
    // One new pool, two workspaces with different templates: the pool must say which.
    let e = refusal("tenants: [{id: acme, pools: [{id: p}], workspaces: [{id: a, template: banking, pools: [p]}, {id: b, template: retail, pools: [p]}]}]").await;
    assert!(e.starts_with("tenants[0].workspaces[1].pools[0]") && e.contains("banking and retail"), "{e}");
    // A template's schema id is no schema of its own: a pool naming it in a tenant that
    // has none, with no pool of the plan writing it, is refused (its sign-up would fail).
    let e = refusal("tenants: [{id: globex, pools: [{id: q, payload_schema: retail-payload}]}]").await;
    assert!(e.starts_with("tenants[0].pools[0].payload_schema") && e.contains("retail-payload"), "{e}");
    let token = app.client_token("acme-admin").await;
    let (status, body) = api(reqwest::Method::PUT, &app.admin("/tenants/acme/pools/q"), &token, Some(serde_json::json!({ "payload_schema": "retail-payload" }))).await;
    assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/payload_schema")), "{body}");
    let (status, _) = api(reqwest::Method::GET, &app.admin("/tenants/acme/pools/q"), &token, None).await;
    assert_eq!(status, 404, "nothing was written");
    app.provision("tenants: [{id: acme, pools: [{id: p, template: retail}], workspaces: [{id: a, template: banking, pools: [p]}, {id: b, template: retail, pools: [p]}]}]").await;
    let (_, pool) = api(reqwest::Method::GET, &app.admin("/tenants/acme/pools/p"), &app.client_token("acme-admin").await, None).await;
    assert_eq!((pool["settings"]["mfa"]["policy"].as_str(), pool["settings"]["payload_schema"].as_str()), (Some("optional"), Some("retail-payload")), "the pool's own template: {pool}");
    // Once the tenant has it (written with pool p above), a pool may name it.
    let (status, body) = api(reqwest::Method::PUT, &app.admin("/tenants/acme/pools/q"), &token, Some(serde_json::json!({ "payload_schema": "retail-payload" }))).await;
    assert!(status == 201 || status == 200, "{body}");
    // A template's theme under a document's theme still passes the checks, named under the workspace.
    let e = refusal("tenants: [{id: acme, workspaces: [{id: w, template: banking, theme: {tokens: {--pc-color-text: '#dddddd'}}}]}]").await;
    assert!(e.starts_with("tenants[0].workspaces[0].theme.tokens.--pc-color-text"), "{e}");
}
