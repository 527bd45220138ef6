//! The admin API: authentication with Portcullis tokens, the user lifecycle, problem
//! documents with JSON pointers, pagination, audit, OpenAPI, and the ACMEManagers
//! delegation story with a positive and a negative case for every privilege.
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(authentication_and_problems, user_lifecycle, users_pages_and_search, acme_managers_delegation, builtin_privileges, directory_objects_and_schemas);

const USERS: &str = "/tenants/acme/pools/consumers/users";

fn jwt_claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn pointers(body: &serde_json::Value) -> Vec<String> {
    body["errors"].as_array().map(|a| a.iter().map(|e| e["pointer"].as_str().unwrap_or("").to_owned()).collect()).unwrap_or_default()
}

async fn user_id(app: &TestApp, token: &str, q: &str) -> String {
    let (s, body) = api(Method::GET, &app.admin(&format!("{USERS}?q={q}")), token, None).await;
    assert_eq!(s, 200, "{body}");
    body["items"][0]["id"].as_str().unwrap_or_else(|| panic!("no user {q}: {body}")).to_owned()
}

async fn authentication_and_problems(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // No token, a garbage token, a token without the admin scope: 401 problem documents.
    let resp = http().get(app.admin(USERS)).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    assert!(resp.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    let problem: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(problem["status"], 401);
    let (s, _) = api(Method::GET, &app.admin(USERS), "not-a-token", None).await;
    assert_eq!(s, 401);
    let resp = http().post(app.url("token")).basic_auth("shop-web", Some("shop-web-secret")).form(&[("grant_type", "client_credentials")]).send().await.unwrap();
    let no_scope = resp.json::<serde_json::Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
    let (s, body) = api(Method::GET, &app.admin(USERS), &no_scope, None).await;
    assert_eq!(s, 401, "{body}");
    // A revoked token stops working at once.
    let token = app.client_token("acme-useradmin").await;
    let (s, _) = api(Method::GET, &app.admin(USERS), &token, None).await;
    assert_eq!(s, 200);
    let resp = http().post(app.ws_url("club", "revoke")).basic_auth("acme-useradmin", Some("acme-useradmin-secret")).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let (s, _) = api(Method::GET, &app.admin(USERS), &token, None).await;
    assert_eq!(s, 401);
    // A caller without privileges: 403.
    let none = app.client_token("no-privileges").await;
    let (s, body) = api(Method::GET, &app.admin(USERS), &none, None).await;
    assert_eq!(s, 403, "{body}");
    // Validation problems name each field by JSON pointer.
    let admin = app.client_token("acme-useradmin").await;
    let bad = json!({ "email": "nope", "password": "short", "payload": { "plan": "gold", "birth_year": "x" }, "groups": ["ghosts"] });
    let (s, body) = api(Method::POST, &app.admin(USERS), &admin, Some(bad)).await;
    assert_eq!(s, 422, "{body}");
    let p = pointers(&body);
    for expected in ["/email", "/payload/plan", "/payload/birth_year", "/payload/given_name", "/groups/0"] {
        assert!(p.iter().any(|x| x == expected), "{expected} not in {p:?}");
    }
    // Unknown fields and malformed JSON are problems too.
    let (s, body) = api(Method::POST, &app.admin(USERS), &admin, Some(json!({ "colour": "red" }))).await;
    assert_eq!(s, 422, "{body}");
    assert!(body["errors"][0]["detail"].as_str().unwrap().contains("colour"));
    let resp = http().post(app.admin(USERS)).bearer_auth(&admin).header("content-type", "text/plain").body("{}").send().await.unwrap();
    assert_eq!(resp.status(), 415);
    // The OpenAPI document is generated from the code.
    let doc: serde_json::Value = http().get(app.admin("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"].get("/tenants/{tenant}/pools/{pool}/users").is_some(), "{}", doc["paths"]);
    // Every call is in the audit trail, refused ones included.
    let root = app.client_token("acme-admin").await;
    let (s, body) = api(Method::GET, &app.admin("/tenants/acme/audit?limit=500"), &root, None).await;
    assert_eq!(s, 200);
    let events = body["items"].as_array().unwrap();
    assert!(events.iter().any(|e| e["action"] == "admin.post" && e["detail"]["status"] == 422 && e["actor"].as_str().unwrap().contains("acme-useradmin")));
    // A caller without any privilege can do nothing, and does not fill the trail either
    // (its calls go to the log).
    assert!(!events.iter().any(|e| e["actor"].as_str().unwrap().contains("no-privileges")));
}

async fn sign_in_works(app: &TestApp, username: &str, password: &str) -> bool {
    let browser = Browser::default();
    let mut url = url::Url::parse(&app.ws_url("club", "authorize")).unwrap();
    url.query_pairs_mut().append_pair("response_type", "code").append_pair("client_id", "club-web").append_pair("redirect_uri", CLUB_REDIRECT).append_pair("scope", "openid");
    let (_, _, form) = browser.first_form(url.as_str(), CLUB_REDIRECT).await;
    matches!(browser.submit(&form, &[("username", username), ("password", password)], CLUB_REDIRECT).await, Step::Arrived(_))
}

async fn user_lifecycle(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-useradmin").await;
    // Created active: addresses verified, signs in at once.
    let body = json!({ "email": "uma@example.com", "password": "violet sky 1234", "payload": { "given_name": "Uma" }, "metadata": { "roles": ["gold"] }, "groups": ["basic"] });
    let (s, uma) = api(Method::POST, &app.admin(USERS), &admin, Some(body.clone())).await;
    assert_eq!(s, 201, "{uma}");
    assert_eq!(uma["status"], "active");
    assert_eq!(uma["email_verified"], true);
    assert_eq!(uma["groups"], json!(["basic"]));
    assert!(uma.get("password").is_none());
    assert!(sign_in_works(&app, "uma@example.com", "violet sky 1234").await);
    // The pool maps the `roles` metadata into tokens, for role-based decisions.
    let token = app.user_token("uma@example.com", "violet sky 1234").await;
    let claims = jwt_claims(&token);
    assert_eq!(claims["roles"], json!(["gold"]), "{claims}");
    let (s, body2) = api(Method::POST, &app.admin(USERS), &admin, Some(body)).await;
    assert_eq!(s, 422);
    assert_eq!(pointers(&body2), vec!["/email"]);
    let uma_id = uma["id"].as_str().unwrap();

    // Created inactive: unverified, an activation link is sent, following it activates.
    let (s, vic) = api(Method::POST, &app.admin(USERS), &admin, Some(json!({ "email": "vic@example.com", "password": "amber road 1234", "status": "inactive", "payload": { "given_name": "Vic" } }))).await;
    assert_eq!(s, 201, "{vic}");
    assert_eq!(vic["email_verified"], false);
    assert!(!sign_in_works(&app, "vic@example.com", "amber road 1234").await);
    let link = app.message("vic@example.com", "activation").await.link.unwrap();
    let browser = Browser::default();
    let (status, html) = browser.follow(&link, CLUB_REDIRECT).await.page();
    assert_eq!(status, 200);
    let form = Form::parse(&url::Url::parse(&link).unwrap(), &html).unwrap();
    let (status, html) = browser.submit(&form, &[], CLUB_REDIRECT).await.page();
    assert_eq!(status, 200, "{html}");
    assert!(sign_in_works(&app, "vic@example.com", "amber road 1234").await);
    let (status, _) = browser.submit(&form, &[], CLUB_REDIRECT).await.page();
    assert_eq!(status, 400, "a link works once");

    // Deactivated: no sign-in, refresh tokens revoked. Reactivated: sign-in again.
    let path = app.admin(&format!("{USERS}/{uma_id}/status"));
    let (s, body) = api(Method::PUT, &path, &admin, Some(json!({ "status": "inactive" }))).await;
    assert_eq!((s, body["status"].as_str()), (200, Some("inactive")));
    assert!(!sign_in_works(&app, "uma@example.com", "violet sky 1234").await);
    let (s, _) = api(Method::PUT, &path, &admin, Some(json!({ "status": "active" }))).await;
    assert_eq!(s, 200);
    assert!(sign_in_works(&app, "uma@example.com", "violet sky 1234").await);
    let (s, body) = api(Method::PUT, &path, &admin, Some(json!({ "status": "new" }))).await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(pointers(&body), vec!["/status"]);

    // Updates are validated like creation.
    let user_path = app.admin(&format!("{USERS}/{uma_id}"));
    let (s, body) = api(Method::PATCH, &user_path, &admin, Some(json!({ "payload": { "given_name": "Uma", "plan": "gold" } }))).await;
    assert_eq!(s, 422);
    assert_eq!(pointers(&body), vec!["/payload/plan"]);
    let (s, body) = api(Method::PATCH, &user_path, &admin, Some(json!({ "payload": { "given_name": "Uma", "plan": "plus" } }))).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["payload"]["plan"], "plus");
    let (s, body) = api(Method::PUT, &app.admin(&format!("{USERS}/{uma_id}/password")), &admin, Some(json!({ "password": "password" }))).await;
    assert_eq!(s, 422);
    assert_eq!(pointers(&body)[0], "/password");

    // Deleted: no sign-in; after the pool's retention period the personal data is erased,
    // while the audit trail keeps who did it.
    let (s, _) = api(Method::DELETE, &user_path, &admin, None).await;
    assert_eq!(s, 204);
    assert!(!sign_in_works(&app, "uma@example.com", "violet sky 1234").await);
    let (_, body) = api(Method::GET, &user_path, &admin, None).await;
    assert_eq!(body["status"], "deleted");
    assert_eq!(body["email"], "uma@example.com");
    app.clock.advance(31 * 86_400);
    let purged = portcullis::identity::lifecycle::purge_deleted(&app.state.lifecycle()).await.unwrap();
    assert_eq!(purged, 1);
    let admin = app.client_token("acme-useradmin").await;
    let (s, body) = api(Method::GET, &user_path, &admin, None).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["email"], serde_json::Value::Null);
    assert_eq!(body["payload"], json!({}));
    assert!(body["username"].as_str().unwrap().starts_with("deleted-"));
    let root = app.client_token("acme-admin").await;
    let (_, audit) = api(Method::GET, &app.admin("/tenants/acme/audit?limit=500"), &root, None).await;
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["action"] == "user.deleted" && e["subject"] == uma_id && e["actor"].as_str().unwrap().contains("acme-useradmin")));
}

async fn users_pages_and_search(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-useradmin").await;
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => app.admin(&format!("{USERS}?limit=2&cursor={c}")),
            None => app.admin(&format!("{USERS}?limit=2")),
        };
        let (s, body) = api(Method::GET, &url, &admin, None).await;
        assert_eq!(s, 200, "{body}");
        for u in body["items"].as_array().unwrap() {
            seen.push(u["username"].as_str().unwrap().to_owned());
        }
        cursor = body["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    seen.sort();
    assert_eq!(seen, vec!["bea@example.com", "mona@example.com", "olga@example.com", "pete@example.com", "tina@example.com", "tom@example.com"].into_iter().map(|s| s.replace("@example.com", "")).collect::<Vec<_>>());
    let (_, body) = api(Method::GET, &app.admin(&format!("{USERS}?q=PE")), &admin, None).await;
    assert_eq!(body["items"].as_array().unwrap().len(), 1);
    let (_, body) = api(Method::GET, &app.admin(&format!("{USERS}?q=tom@exa")), &admin, None).await;
    assert_eq!(body["items"][0]["username"], "tom");
    let (_, body) = api(Method::GET, &app.admin(&format!("{USERS}?group=premium")), &admin, None).await;
    assert_eq!(body["items"][0]["username"], "pete");
    let (_, body) = api(Method::GET, &app.admin(&format!("{USERS}?status=inactive")), &admin, None).await;
    assert_eq!(body["items"].as_array().unwrap().len(), 0);
    let (s, body) = api(Method::GET, &app.admin(&format!("{USERS}?limit=0")), &admin, None).await;
    assert_eq!(s, 422);
    assert_eq!(pointers(&body), vec!["/limit"]);
    let (s, _) = api(Method::GET, &app.admin(&format!("{USERS}?status=sleeping")), &admin, None).await;
    assert_eq!(s, 422);
    let (s, _) = api(Method::GET, &app.admin("/tenants/acme/pools/nope/users"), &admin, None).await;
    assert_eq!(s, 404);
}

/// ACME's managers: ACMEManagers holds the dynamic privileges of Trial, Basic and Premium;
/// TrialManagers only Trial's. A member signs in through an application and manages
/// exactly the members of those groups.
async fn acme_managers_delegation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-useradmin").await;
    let (tom, bea, pete, olga) = (user_id(&app, &admin, "tom").await, user_id(&app, &admin, "bea").await, user_id(&app, &admin, "pete").await, user_id(&app, &admin, "olga").await);
    // Each group created its privilege, with the name DESIGN.md gives.
    let tenant_admin = app.client_token("acme-admin").await;
    let (_, privs) = api(Method::GET, &app.admin("/tenants/acme/privileges"), &tenant_admin, None).await;
    for (id, name) in [("group:consumers:trial", "Group Trial dynamic privilege"), ("group:consumers:basic", "Group Basic dynamic privilege"), ("group:consumers:premium", "Group Premium dynamic privilege")] {
        assert!(privs["items"].as_array().unwrap().iter().any(|p| p["id"] == id && p["name"] == name), "{id} in {privs}");
    }
    let (_, holders) = api(Method::GET, &app.admin("/tenants/acme/privileges/group:consumers:trial/holders"), &tenant_admin, None).await;
    assert!(holders["items"].as_array().unwrap().iter().any(|h| h == "group:consumers/acmemanagers"));

    let mona = app.user_token("mona@example.com", "manager password 1").await;
    let tina = app.user_token("tina@example.com", "manager password 2").await;
    let members = |g: &str| app.admin(&format!("/tenants/acme/pools/consumers/groups/{g}/members"));
    let user = |id: &str| app.admin(&format!("{USERS}/{id}"));

    // Trial: Mona and Tina list and manage its members; a user outside it is not theirs.
    for token in [&mona, &tina] {
        let (s, body) = api(Method::GET, &members("trial"), token, None).await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(body["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect::<Vec<_>>(), vec!["tom"]);
        let (s, _) = api(Method::GET, &user(&tom), token, None).await;
        assert_eq!(s, 200);
    }
    let (s, body) = api(Method::PUT, &app.admin(&format!("{USERS}/{tom}/status")), &tina, Some(json!({ "status": "inactive" }))).await;
    assert_eq!((s, body["status"].as_str()), (200, Some("inactive")));
    let (s, _) = api(Method::GET, &user(&olga), &tina, None).await;
    assert_eq!(s, 403, "trial negative: a user in no managed group");

    // Basic: Mona yes, Tina no.
    let (s, body) = api(Method::GET, &members("basic"), &mona, None).await;
    assert_eq!(s, 200);
    assert_eq!(body["items"][0]["username"], "bea");
    let (s, _) = api(Method::PATCH, &user(&bea), &mona, Some(json!({ "payload": { "given_name": "Beatrice" } }))).await;
    assert_eq!(s, 200);
    let (s, _) = api(Method::GET, &members("basic"), &tina, None).await;
    assert_eq!(s, 403, "basic negative");
    let (s, _) = api(Method::GET, &user(&bea), &tina, None).await;
    assert_eq!(s, 403);

    // Premium: Mona yes, Tina no.
    let (s, body) = api(Method::GET, &members("premium"), &mona, None).await;
    assert_eq!(s, 200);
    assert_eq!(body["items"][0]["username"], "pete");
    let (s, _) = api(Method::GET, &members("premium"), &tina, None).await;
    assert_eq!(s, 403, "premium negative");
    let (s, _) = api(Method::DELETE, &user(&pete), &tina, None).await;
    assert_eq!(s, 403);

    // Moving a managed user between managed groups works; pulling in an outsider does not.
    let (s, _) = api(Method::PUT, &app.admin(&format!("/tenants/acme/pools/consumers/groups/premium/members/{bea}")), &mona, None).await;
    assert_eq!(s, 204);
    let (s, _) = api(Method::PUT, &app.admin(&format!("/tenants/acme/pools/consumers/groups/trial/members/{olga}")), &mona, None).await;
    assert_eq!(s, 403);
    // A manager creates users only into managed groups, and no metadata.
    let new = json!({ "email": "neo@example.com", "password": "silver moon 12", "payload": { "given_name": "Neo" }, "groups": ["trial"] });
    let (s, body) = api(Method::POST, &app.admin(USERS), &tina, Some(new.clone())).await;
    assert_eq!(s, 201, "{body}");
    let (s, _) = api(Method::POST, &app.admin(USERS), &tina, Some(json!({ "email": "x@example.com", "password": "x password 12", "payload": { "given_name": "X" }, "groups": ["basic"] }))).await;
    assert_eq!(s, 403);
    let (s, _) = api(Method::PATCH, &user(&tom), &mona, Some(json!({ "metadata": { "roles": ["admin"] } }))).await;
    assert_eq!(s, 403);

    // Nothing else: the full user list shows only managed members, and every other
    // object answers 403.
    let (s, body) = api(Method::GET, &app.admin(USERS), &mona, None).await;
    assert_eq!(s, 200);
    let names: Vec<&str> = body["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert!(!names.contains(&"olga") && !names.contains(&"mona") && names.contains(&"tom") && names.contains(&"pete"), "{names:?}");
    for (method, path) in [
        (Method::GET, format!("{USERS}?group=acmemanagers")),
        (Method::GET, "/tenants/acme/pools/consumers/groups/acmemanagers/members".to_owned()),
        (Method::POST, "/tenants/acme/pools/consumers/groups".to_owned()),
        (Method::GET, "/tenants/acme/pools/customers/users".to_owned()),
        (Method::GET, "/tenants/acme/pools".to_owned()),
        (Method::GET, "/tenants/acme/privileges".to_owned()),
        (Method::PUT, "/tenants/acme/privileges/group:consumers:premium/holders/group:consumers%2Ftrialmanagers".to_owned()),
        (Method::POST, "/tenants/acme/pools/consumers/import".to_owned()),
    ] {
        let (s, body) = api(method.clone(), &app.admin(&path), &mona, Some(json!({ "id": "x" }))).await;
        assert_eq!(s, 403, "{method} {path}: {body}");
    }
    // Revoking the privilege from the group takes effect at the next call.
    let (s, _) = api(Method::DELETE, &app.admin("/tenants/acme/privileges/group:consumers:premium/holders/group:consumers%2Facmemanagers"), &tenant_admin, None).await;
    assert_eq!(s, 204);
    let (s, _) = api(Method::GET, &members("premium"), &mona, None).await;
    assert_eq!(s, 403);
}

async fn builtin_privileges(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let root = app.client_token("root-admin").await;
    let tenant_admin = app.client_token("acme-admin").await;
    let user_admin = app.client_token("acme-useradmin").await;
    // system-admin creates tenants; a tenant administrator cannot.
    let (s, body) = api(Method::PUT, &app.admin("/tenants/globex"), &root, Some(json!({ "name": "Globex" }))).await;
    assert_eq!(s, 201, "{body}");
    let (s, _) = api(Method::PUT, &app.admin("/tenants/initech"), &tenant_admin, Some(json!({ "name": "Initech" }))).await;
    assert_eq!(s, 403);
    // tenant-admin runs its tenant, not another.
    let (s, _) = api(Method::GET, &app.admin("/tenants/acme/pools"), &tenant_admin, None).await;
    assert_eq!(s, 200);
    let (s, _) = api(Method::GET, &app.admin("/tenants/globex/pools"), &tenant_admin, None).await;
    assert_eq!(s, 403);
    let (s, body) = api(Method::GET, &app.admin("/tenants"), &tenant_admin, None).await;
    assert_eq!(body["items"].as_array().unwrap().len(), 1, "{s} {body}");
    // user-admin manages users and groups, not pools or clients.
    let (s, _) = api(Method::POST, &app.admin("/tenants/acme/pools/consumers/groups"), &user_admin, Some(json!({ "id": "gold", "name": "Gold" }))).await;
    assert_eq!(s, 201);
    let (s, _) = api(Method::GET, &app.admin("/tenants/acme/pools"), &user_admin, None).await;
    assert_eq!(s, 403);
    let (s, _) = api(Method::GET, &app.admin("/tenants/acme/workspaces/club/clients"), &user_admin, None).await;
    assert_eq!(s, 403);
    // Granting system-admin takes a system administrator.
    let (s, _) = api(Method::PUT, &app.admin("/tenants/acme/privileges/system-admin/holders/client:club%2Facme-admin"), &tenant_admin, None).await;
    assert_eq!(s, 403);
    let (s, _) = api(Method::PUT, &app.admin("/tenants/acme/privileges/user-admin/holders/client:club%2Fno-privileges"), &tenant_admin, None).await;
    assert_eq!(s, 204);
    let none = app.client_token("no-privileges").await;
    let (s, _) = api(Method::GET, &app.admin(USERS), &none, None).await;
    assert_eq!(s, 200);
    // A new group's privilege delegates at once.
    let (s, _) = api(Method::PUT, &app.admin("/tenants/acme/privileges/group:consumers:gold/holders/group:consumers%2Ftrialmanagers"), &tenant_admin, None).await;
    assert_eq!(s, 204);
    let tina = app.user_token("tina@example.com", "manager password 2").await;
    let (s, _) = api(Method::GET, &app.admin("/tenants/acme/pools/consumers/groups/gold/members"), &tina, None).await;
    assert_eq!(s, 200);
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/privileges/group:consumers:gold/holders/group:consumers%2Fnobody"), &tenant_admin, None).await;
    assert_eq!(s, 422, "{body}");
}

async fn directory_objects_and_schemas(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    // A custom schema, a pool using it with a password policy, a workspace and a client.
    let schema = json!({ "type": "object", "properties": { "employee_no": { "type": "string", "pattern": "^E[0-9]{4}$", "title": "Employee number" } }, "required": ["employee_no"] });
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/schemas/employee"), &admin, Some(schema)).await;
    assert_eq!(s, 200, "{body}");
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/schemas/broken"), &admin, Some(json!({ "type": "object", "properties": { "a": { "type": "bogus" } } }))).await;
    assert_eq!(s, 422, "{body}");
    let (s, _) = api(Method::PUT, &app.admin("/tenants/acme/schemas/default-payload"), &admin, Some(json!({ "type": "object", "properties": {} }))).await;
    assert_eq!(s, 409);
    let (s, _) = api(Method::DELETE, &app.admin("/tenants/acme/schemas/default-metadata"), &admin, None).await;
    assert_eq!(s, 409);
    let pool = json!({ "name": "Employees", "identifier": "username", "payload_schema": "employee", "password_policy": { "min_length": 14, "require_symbol": true } });
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/pools/employees"), &admin, Some(pool)).await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["settings"]["password_policy"]["min_length"], 14);
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/pools/employees/password-policy"), &admin, Some(json!({ "min_length": 0 }))).await;
    assert_eq!(s, 422);
    assert_eq!(pointers(&body), vec!["/min_length"]);
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/pools/bad"), &admin, Some(json!({ "payload_schema": "missing" }))).await;
    assert_eq!(s, 422);
    assert_eq!(pointers(&body), vec!["/payload_schema"]);
    let (s, _) = api(Method::DELETE, &app.admin("/tenants/acme/schemas/employee"), &admin, None).await;
    assert_eq!(s, 409, "in use by a pool");
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/intranet"), &admin, Some(json!({ "name": "Intranet", "pools": ["employees"] }))).await;
    assert_eq!(s, 201, "{body}");
    let client = json!({ "client_secret": "intranet-secret-123", "redirect_uris": ["http://127.0.0.1:9999/in"], "scopes": ["openid"] });
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/intranet/clients/intranet-web"), &admin, Some(client)).await;
    assert_eq!(s, 201, "{body}");
    assert!(body.get("client_secret").is_none());
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/intranet/clients/evil"), &admin, Some(json!({ "redirect_uris": ["http://evil.example/cb"] }))).await;
    assert_eq!(s, 422);
    assert_eq!(pointers(&body), vec!["/redirect_uris/0"]);
    // Users of the new pool are checked against its schema and policy.
    let users = app.admin("/tenants/acme/pools/employees/users");
    let (s, body) = api(Method::POST, &users, &admin, Some(json!({ "username": "jo", "password": "long enough but no symbol", "payload": { "employee_no": "X1" } }))).await;
    assert_eq!(s, 422);
    let p = pointers(&body);
    assert!(p.contains(&"/password".to_owned()) && p.contains(&"/payload/employee_no".to_owned()), "{p:?}");
    let (s, body) = api(Method::POST, &users, &admin, Some(json!({ "username": "jo", "password": "long enough, with symbol", "payload": { "employee_no": "E1234" } }))).await;
    assert_eq!(s, 201, "{body}");
    // The provisioning file still applies on top without duplicating anything.
    let file = portcullis::provision::parse(include_str!("fixture.yaml")).unwrap();
    let plan = portcullis::provision::prepare(&app.state, file, "fixture.yaml").await.unwrap();
    let applied = app.state.directory.apply(&plan).await.unwrap();
    assert!(applied.created.is_empty(), "{applied}");
    // The new client works at once, and stops at once when deleted.
    let authorize = format!("{}/acme/intranet/authorize?response_type=code&client_id=intranet-web&redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Fin&scope=openid", app.base);
    assert_eq!(http().get(&authorize).send().await.unwrap().status(), 303);
    let (s, _) = api(Method::DELETE, &app.admin("/tenants/acme/workspaces/intranet/clients/intranet-web"), &admin, None).await;
    assert_eq!(s, 204);
    assert_eq!(http().get(&authorize).send().await.unwrap().status(), 400);
    let (s, _) = api(Method::DELETE, &app.admin("/tenants/acme/workspaces/intranet/clients/intranet-web"), &admin, None).await;
    assert_eq!(s, 404);
}
