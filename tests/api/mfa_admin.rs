//! MFA configuration and the admin API for a user's second factors: listing (never a
//! secret), removing one, resetting all (the next sign-in in a `required` pool enrols
//! again), with the delegated-manager rule and the refusals; pool `mfa`, client `min_acr`
//! and tenant `assurance_levels` through the admin API, checked with field paths.
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;
use crate::on_every_backend;
use crate::pools::club_authorize;
use portcullis::model::TenantId;
use portcullis::storage::identity::{CredentialKind, NewCredential, Replace};

on_every_backend!(factors_are_listed_removed_and_reset, delegated_managers_and_other_tenants_are_refused, mfa_configuration_is_validated_through_the_admin_api);

const CONSUMERS: &str = "/tenants/acme/pools/consumers/users";

async fn user_id(app: &TestApp, token: &str, q: &str) -> String {
    let (s, body) = api(Method::GET, &app.admin(&format!("{CONSUMERS}?q={q}")), token, None).await;
    assert_eq!(s, 200, "{body}");
    body["items"][0]["id"].as_str().unwrap_or_else(|| panic!("no user {q}: {body}")).to_owned()
}

/// Gives the user a TOTP authenticator, a passkey and two recovery codes (their secrets
/// stand in for the real ones: only their presence matters here).
async fn enrol(app: &TestApp, user: &str) {
    let t = TenantId::new("acme");
    for (kind, secret) in [(CredentialKind::TOTP, "totp-secret-s3cr3t"), (CredentialKind::WEBAUTHN, "passkey-secret-s3cr3t"), (CredentialKind::RECOVERY_CODE, "code-digest-1-s3cr3t"), (CredentialKind::RECOVERY_CODE, "code-digest-2-s3cr3t")] {
        app.state.credentials.add(&t, NewCredential { user_id: user, kind, secret, source_sha256: None }, Replace::Nothing, 10).await.unwrap();
    }
}

fn factors(app: &TestApp, pool: &str, user: &str) -> String {
    app.admin(&format!("/tenants/acme/pools/{pool}/users/{user}/factors"))
}

/// The flow tom's browser is at after his password (a factor page of it).
async fn after_password(app: &TestApp) -> portcullis::auth::Flow {
    let b = Browser::default();
    let (_, _, form) = b.first_form(&club_authorize(&[], app), CLUB_REDIRECT).await;
    let stop = format!("{}/acme/club/", app.base);
    match b.submit(&form, &[("username", "tom@example.com"), ("password", "consumer password 1")], &stop).await {
        Step::Arrived(u) => portcullis::auth::Flow::load(&app.state, &query(&u, "flow").unwrap()).await.unwrap().unwrap(),
        other => panic!("no redirect to a page of the flow: {other:?}"),
    }
}

async fn audit_actions(app: &TestApp, subject: &str) -> Vec<serde_json::Value> {
    let root = app.client_token("acme-admin").await;
    let (_, body) = api(Method::GET, &app.admin("/tenants/acme/audit?limit=500"), &root, None).await;
    body["items"].as_array().unwrap().iter().filter(|e| e["subject"] == subject && e["action"].as_str().unwrap_or("").starts_with("user.factor")).cloned().collect()
}

async fn factors_are_listed_removed_and_reset(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let tom = user_id(&app, &admin, "tom").await;
    enrol(&app, &tom).await;

    // The list: id, kind, times; never a secret.
    let (s, body) = api(Method::GET, &factors(&app, "consumers", &tom), &admin, None).await;
    assert_eq!(s, 200, "{body}");
    let items = body["items"].as_array().unwrap().clone();
    let kinds: Vec<&str> = items.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["totp", "webauthn", "recovery_code", "recovery_code"], "{body}");
    assert!(!body.to_string().contains("s3cr3t"), "a secret in the list: {body}");
    assert!(items.iter().all(|f| f["created_at"] == 10 && f["last_used_at"].is_null() && f.get("secret").is_none()), "{body}");

    // A required pool asks tom for one of his factors, it does not enrol a new one.
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/pools/consumers"), &admin, Some(json!({ "mfa": { "policy": "required", "factors": ["totp", "webauthn"] } }))).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["settings"]["mfa"], json!({ "policy": "required", "factors": ["totp", "webauthn"] }), "pool settings return mfa");
    let flow = after_password(&app).await;
    assert!(flow.offers("webauthn") && !flow.enrols("totp"), "{flow:?}");

    // Removing one factor.
    let totp = items[0]["id"].as_str().unwrap();
    let (s, _) = api(Method::DELETE, &format!("{}/{totp}", factors(&app, "consumers", &tom)), &admin, None).await;
    assert_eq!(s, 204);
    let (s, _) = api(Method::DELETE, &format!("{}/{totp}", factors(&app, "consumers", &tom)), &admin, None).await;
    assert_eq!(s, 404, "removed already");
    let (_, body) = api(Method::GET, &factors(&app, "consumers", &tom), &admin, None).await;
    assert_eq!(body["items"].as_array().unwrap().len(), 3, "{body}");
    // The password is no factor this API removes.
    let password = app.state.credentials.list(&TenantId::new("acme"), &tom, CredentialKind::PASSWORD).await.unwrap();
    let (s, _) = api(Method::DELETE, &format!("{}/{}", factors(&app, "consumers", &tom), password[0].id), &admin, None).await;
    assert_eq!(s, 404);
    assert_eq!(app.state.credentials.list(&TenantId::new("acme"), &tom, CredentialKind::PASSWORD).await.unwrap().len(), 1);
    // A user id under another pool is not found there.
    let (s, _) = api(Method::GET, &factors(&app, "customers", &tom), &admin, None).await;
    assert_eq!(s, 404);
    let webauthn = body["items"][0]["id"].as_str().unwrap();
    let (s, _) = api(Method::DELETE, &format!("{}/{webauthn}", factors(&app, "customers", &tom)), &admin, None).await;
    assert_eq!(s, 404);

    // Reset: every second factor goes, recovery codes included; the next sign-in enrols.
    let (s, body) = api(Method::POST, &format!("{}/reset", factors(&app, "consumers", &tom)), &admin, None).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["removed"], 3);
    let (_, body) = api(Method::GET, &factors(&app, "consumers", &tom), &admin, None).await;
    assert!(body["items"].as_array().unwrap().is_empty(), "{body}");
    let flow = after_password(&app).await;
    assert!(flow.enrols("totp") && flow.enrols("webauthn") && !flow.offers("webauthn"), "{flow:?}");

    // Each removal is in the audit trail, with no secret.
    let mut events = audit_actions(&app, &tom).await;
    events.sort_by_key(|e| e["action"].as_str().unwrap().to_owned());
    let actions: Vec<&str> = events.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["user.factor_removed", "user.factors_reset"], "{events:?}");
    assert_eq!((&events[0]["detail"]["kind"], &events[0]["detail"]["factor"]), (&json!("totp"), &json!(totp)));
    assert_eq!(events[1]["detail"]["removed"], 3);
    assert!(!serde_json::Value::Array(events).to_string().contains("s3cr3t"));
}

async fn delegated_managers_and_other_tenants_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let (tom, bea) = (user_id(&app, &admin, "tom").await, user_id(&app, &admin, "bea").await);
    enrol(&app, &tom).await;
    enrol(&app, &bea).await;
    // Tina manages Trial (tom's group), not Basic (bea's).
    let tina = app.user_token("tina@example.com", "manager password 2").await;
    let (s, body) = api(Method::GET, &factors(&app, "consumers", &tom), &tina, None).await;
    assert_eq!(s, 200, "{body}");
    let first = body["items"][0]["id"].as_str().unwrap().to_owned();
    let (s, _) = api(Method::DELETE, &format!("{}/{first}", factors(&app, "consumers", &tom)), &tina, None).await;
    assert_eq!(s, 204);
    for (method, path) in [(Method::GET, factors(&app, "consumers", &bea)), (Method::POST, format!("{}/reset", factors(&app, "consumers", &bea)))] {
        let (s, body) = api(method, &path, &tina, None).await;
        assert_eq!(s, 403, "a manager of another group: {body}");
    }
    let (_, bea_factors) = api(Method::GET, &factors(&app, "consumers", &bea), &admin, None).await;
    let bea_first = bea_factors["items"][0]["id"].as_str().unwrap();
    let (s, _) = api(Method::DELETE, &format!("{}/{bea_first}", factors(&app, "consumers", &bea)), &tina, None).await;
    assert_eq!(s, 403);
    // Bea's factor id under tom's path: not tom's factor.
    let (s, _) = api(Method::DELETE, &format!("{}/{bea_first}", factors(&app, "consumers", &tom)), &admin, None).await;
    assert_eq!(s, 404);
    assert_eq!(bea_factors["items"].as_array().unwrap().len(), 4);
    let (_, again) = api(Method::GET, &factors(&app, "consumers", &bea), &admin, None).await;
    assert_eq!(again["items"].as_array().unwrap().len(), 4, "nothing of bea's removed");
    // A caller without privileges.
    let none = app.client_token("no-privileges").await;
    let (s, _) = api(Method::GET, &factors(&app, "consumers", &tom), &none, None).await;
    assert_eq!(s, 403);

    // The administrator of another tenant.
    let root = app.client_token("root-admin").await;
    let (s, body) = api(Method::PUT, &app.admin("/tenants/globex"), &root, Some(json!({ "name": "Globex" }))).await;
    assert_eq!(s, 201, "{body}");
    let ws = json!({ "clients": [{ "client_secret": "globex-admin-secret", "grant_types": ["client_credentials"], "scopes": ["admin"], "privileges": ["tenant-admin"], "client_id": "globex-admin" }] });
    let (s, body) = api(Method::PUT, &app.admin("/tenants/globex/workspaces/hq"), &root, Some(ws)).await;
    assert_eq!(s, 201, "{body}");
    let resp = http()
        .post(format!("{}/globex/hq/token", app.base))
        .basic_auth("globex-admin", Some("globex-admin-secret"))
        .form(&[("grant_type", "client_credentials"), ("scope", "admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let globex = resp.json::<serde_json::Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
    for (method, path) in [
        (Method::GET, factors(&app, "consumers", &tom)),
        (Method::POST, format!("{}/reset", factors(&app, "consumers", &tom))),
        (Method::DELETE, format!("{}/x", factors(&app, "consumers", &tom))),
    ] {
        let (s, body) = api(method, &path, &globex, None).await;
        assert_eq!(s, 403, "another tenant's administrator: {body}");
    }
    let (_, left) = api(Method::GET, &factors(&app, "consumers", &tom), &admin, None).await;
    assert_eq!(left["items"].as_array().unwrap().len(), 3);
}

async fn mfa_configuration_is_validated_through_the_admin_api(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let pointer = |body: &serde_json::Value| body["errors"][0]["pointer"].as_str().unwrap_or("").to_owned();
    // Pool mfa: known second factors, each once.
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/pools/consumers"), &admin, Some(json!({ "mfa": { "policy": "optional", "factors": ["totp", "password"] } }))).await;
    assert_eq!((s, pointer(&body)), (422, "/mfa/factors/1".into()), "{body}");
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/pools/consumers"), &admin, Some(json!({ "mfa": { "policy": "sometimes" } }))).await;
    assert_eq!(s, 422, "{body}");
    // Tenant levels.
    let bad = json!({ "assurance_levels": [{ "id": "bank", "acr": "urn:portcullis:loa:2", "reached_by": [["password", "totp"]] }] });
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme"), &admin, Some(bad)).await;
    assert_eq!((s, pointer(&body)), (422, "/assurance_levels/0/acr".into()), "{body}");
    let bad = json!({ "assurance_levels": [{ "id": "bank", "acr": "urn:acme:bank", "reached_by": [["password", "retina"]] }] });
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme"), &admin, Some(bad)).await;
    assert_eq!((s, pointer(&body)), (422, "/assurance_levels/0/reached_by/0/1".into()), "{body}");
    // Client min_acr: a built-in level or one of the tenant's.
    let client = |min_acr: &str| json!({ "redirect_uris": ["http://127.0.0.1:9999/bank"], "consent": "implicit", "min_acr": min_acr });
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/club/clients/bank"), &admin, Some(client("urn:acme:bank"))).await;
    assert_eq!((s, pointer(&body)), (422, "/min_acr".into()), "{body}");
    let level = json!({ "assurance_levels": [{ "id": "bank", "acr": "urn:acme:bank", "reached_by": [["password", "totp"], ["webauthn"]] }] });
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme"), &admin, Some(level.clone())).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["assurance_levels"], level["assurance_levels"]);
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/club/clients/bank"), &admin, Some(client("urn:acme:bank"))).await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["min_acr"], "urn:acme:bank");
    let (_, body) = api(Method::GET, &app.admin("/tenants/acme/workspaces/club/clients/bank"), &admin, None).await;
    assert_eq!(body["min_acr"], "urn:acme:bank");
    // Writing the tenant without levels keeps them; the workspace sees them.
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme"), &admin, Some(json!({ "name": "ACME" }))).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["assurance_levels"], level["assurance_levels"]);
    let ws = app.state.directory.workspace(&TenantId::new("acme"), "club").await.unwrap().unwrap();
    assert_eq!(ws.levels[0].acr, "urn:acme:bank");
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/club/clients/bank"), &admin, Some(client("urn:portcullis:loa:2"))).await;
    assert_eq!(s, 200, "{body}");
    // Left out: kept; an explicit null removes it.
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/club/clients/bank"), &admin, Some(json!({ "name": "Bank" }))).await;
    assert_eq!((s, &body["min_acr"]), (200, &json!("urn:portcullis:loa:2")), "{body}");
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/club/clients/bank"), &admin, Some(json!({ "min_acr": null }))).await;
    assert_eq!(s, 200, "{body}");
    assert!(body.get("min_acr").is_none(), "{body}");
    assert_eq!(app.state.clients.get(&TenantId::new("acme"), "club", "bank").await.unwrap().unwrap().min_acr, None);

    // The OpenAPI document names the new paths, and every reference in it resolves.
    let doc: serde_json::Value = http().get(app.admin("/openapi.json")).send().await.unwrap().json().await.unwrap();
    for p in ["/tenants/{tenant}/pools/{pool}/users/{user}/factors", "/tenants/{tenant}/pools/{pool}/users/{user}/factors/reset", "/tenants/{tenant}/pools/{pool}/users/{user}/factors/{factor}"] {
        assert!(doc["paths"].get(p).is_some(), "{p}");
    }
    let text = doc.to_string();
    for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = r.split('"').next().unwrap();
        assert!(doc["components"]["schemas"].get(name).is_some(), "dangling $ref {name}");
    }
}
