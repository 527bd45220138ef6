//! Bulk import: 10,000 users with malformed rows through the admin API, idempotent
//! re-runs, imported bcrypt / PBKDF2 hashes upgraded at first sign-in, and the CLI.
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(ten_thousand_users_with_malformed_rows, imported_hashes_are_upgraded_at_sign_in);

const IMPORT: &str = "/tenants/acme/pools/consumers/import";

/// Posts a file; returns the report lines and the summary.
async fn upload(app: &TestApp, token: &str, content_type: &str, body: String) -> (Vec<serde_json::Value>, serde_json::Value) {
    let resp = http().post(app.admin(IMPORT)).bearer_auth(token).header("content-type", content_type).body(body).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/x-ndjson");
    let text = resp.text().await.unwrap();
    let mut lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let last = lines.pop().unwrap();
    assert!(last.get("summary").is_some(), "{last}");
    (lines, last["summary"].clone())
}

fn pbkdf2_hash(password: &str) -> String {
    use pbkdf2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::from_b64("c2FsdHNhbHRzYWx0").unwrap();
    pbkdf2::Pbkdf2.hash_password_customized(password.as_bytes(), Some(pbkdf2::Algorithm::Pbkdf2Sha256.ident()), None, pbkdf2::Params { rounds: 1000, output_length: 32 }, &salt).unwrap().to_string()
}

async fn ten_thousand_users_with_malformed_rows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.client_token("acme-useradmin").await;
    // One argon2id hash for all the pre-hashed rows keeps the test fast; plaintext rows
    // are hashed on import.
    let argon = app.state.hasher.hash("imported password 1").await.unwrap();
    let groups = ["trial", "basic", "premium"];
    let mut lines = vec![];
    let mut bad = 0;
    for i in 0..10_000 {
        let line = match i % 200 {
            // Ten kinds of malformed rows, 50 each... 5 per kind per 1,000 rows.
            7 => "{not json".to_owned(),
            17 => json!({ "email": format!("u{i}@example"), "password_hash": argon, "payload": { "given_name": "U" } }).to_string(),
            27 => json!({ "email": format!("u{i}@example.com"), "password_hash": argon, "payload": { "given_name": "U" }, "groups": ["vip"] }).to_string(),
            37 => json!({ "email": format!("u{i}@example.com"), "password_hash": "$md5$nope", "payload": { "given_name": "U" } }).to_string(),
            47 => json!({ "email": format!("u{i}@example.com"), "password_hash": argon, "payload": { "plan": "free" } }).to_string(),
            57 => json!({ "email": format!("u{i}@example.com"), "password_hash": argon, "payload": { "given_name": "U" }, "shoe_size": 44 }).to_string(),
            67 => json!({ "email": "u0@example.com", "password_hash": argon, "payload": { "given_name": "Dup" } }).to_string(),
            77 => json!({ "email": format!("u{i}@example.com"), "password": "short", "payload": { "given_name": "U" } }).to_string(),
            87 => json!({ "email": format!("u{i}@example.com"), "password_hash": argon, "status": "sleeping", "payload": { "given_name": "U" } }).to_string(),
            97 => json!({ "password_hash": argon, "payload": { "given_name": "U" } }).to_string(),
            // A few plaintext rows.
            3 if i < 1000 => json!({ "email": format!("u{i}@example.com"), "password": "plain password 9", "payload": { "given_name": "Plain" } }).to_string(),
            _ => json!({
                "email": format!("u{i}@example.com"),
                "password_hash": argon,
                "groups": [groups[i % 3]],
                "payload": { "given_name": format!("User {i}"), "plan": "free" },
                "metadata": { "roles": ["imported"] },
            })
            .to_string(),
        };
        if matches!(i % 200, 7 | 17 | 27 | 37 | 47 | 57 | 67 | 77 | 87 | 97) {
            bad += 1;
        }
        lines.push(line);
    }
    assert_eq!(bad, 500);
    let body = lines.join("\n");
    let (report, summary) = upload(&app, &token, "application/x-ndjson", body.clone()).await;
    assert_eq!(summary, json!({ "rows": 10_000, "created": 9_500, "updated": 0, "unchanged": 0, "rejected": 500 }), "{summary}");
    assert_eq!(report.len(), 10_000);
    // Each rejected row says which field and why.
    let row = |line: u64| report.iter().find(|r| r["line"] == line).unwrap().clone();
    assert_eq!(row(18)["errors"][0]["pointer"], "/email");
    assert_eq!(row(28)["errors"][0]["pointer"], "/groups/0");
    assert_eq!(row(38)["errors"][0]["pointer"], "/password_hash");
    assert_eq!(row(48)["errors"][0]["pointer"], "/payload/given_name");
    assert!(row(58)["errors"][0]["detail"].as_str().unwrap().contains("shoe_size"), "{}", row(58));
    assert_eq!(row(68)["errors"][0]["pointer"], "/email");
    assert_eq!(row(78)["errors"][0]["pointer"], "/password");
    assert_eq!(row(88)["errors"][0]["pointer"], "/status");
    assert_eq!(row(98)["errors"][0]["pointer"], "/email");
    assert_eq!(row(1)["outcome"], "created");
    // Everything landed where it should: groups, payload, metadata, verified addresses.
    let (_, page) = api(Method::GET, &app.admin("/tenants/acme/pools/consumers/users?q=u1@example.com"), &token, None).await;
    let u1 = &page["items"][0];
    assert_eq!((u1["groups"].clone(), u1["payload"]["plan"].clone(), u1["metadata"]["roles"][0].clone(), u1["email_verified"].clone()), (json!(["basic"]), json!("free"), json!("imported"), json!(true)));
    let (_, trial) = api(Method::GET, &app.admin("/tenants/acme/pools/consumers/groups/trial/members?limit=200"), &token, None).await;
    assert_eq!(trial["items"].as_array().unwrap().len(), 200);
    assert!(trial["next_cursor"].is_string());
    // Imported users sign in, with a pre-hashed and with a plaintext password.
    let b = Browser::default();
    assert!(query(&b.sign_in(&club(&app), CLUB_REDIRECT, "u1@example.com", "imported password 1", "allow").await, "code").is_some());
    let b = Browser::default();
    assert!(query(&b.sign_in(&club(&app), CLUB_REDIRECT, "u3@example.com", "plain password 9", "allow").await, "code").is_some());

    // The same file again changes nothing.
    let (_, summary) = upload(&app, &token, "application/x-ndjson", body).await;
    assert_eq!(summary, json!({ "rows": 10_000, "created": 0, "updated": 0, "unchanged": 9_500, "rejected": 500 }), "{summary}");

    // CSV works the same; a changed row updates, an unknown column refuses the file.
    let csv = format!("email,password_hash,groups,payload.given_name,payload.plan,metadata.roles\nu1@example.com,\"{argon}\",basic;premium,User 1,plus,\"[\"\"imported\"\"]\"\n");
    let (report, summary) = upload(&app, &token, "text/csv", csv).await;
    assert_eq!(summary["updated"], 1, "{report:?}");
    let (_, page) = api(Method::GET, &app.admin("/tenants/acme/pools/consumers/users?q=u1@example.com"), &token, None).await;
    assert_eq!(page["items"][0]["groups"], json!(["basic", "premium"]));
    let resp = http().post(app.admin(IMPORT)).bearer_auth(&token).header("content-type", "text/csv").body("email,shoe_size\n").send().await.unwrap();
    assert_eq!(resp.status(), 422);
    let resp = http().post(app.admin(IMPORT)).bearer_auth(&token).header("content-type", "application/xml").body("<x/>").send().await.unwrap();
    assert_eq!(resp.status(), 415);
}

fn club(app: &TestApp) -> String {
    let mut url = url::Url::parse(&app.ws_url("club", "authorize")).unwrap();
    url.query_pairs_mut().append_pair("response_type", "code").append_pair("client_id", "club-web").append_pair("redirect_uri", CLUB_REDIRECT).append_pair("scope", "openid");
    url.to_string()
}

async fn imported_hashes_are_upgraded_at_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.client_token("acme-useradmin").await;
    let bcrypt = bcrypt::hash("bcrypt password 1", 4).unwrap();
    let pbkdf2 = pbkdf2_hash("pbkdf2 password 1");
    let body = [
        json!({ "email": "bc@example.com", "password_hash": bcrypt, "payload": { "given_name": "B" } }),
        json!({ "email": "pb@example.com", "password_hash": pbkdf2, "payload": { "given_name": "P" } }),
    ]
    .iter()
    .map(|v| v.to_string())
    .collect::<Vec<_>>()
    .join("\n");
    let (_, summary) = upload(&app, &token, "application/x-ndjson", body.clone()).await;
    assert_eq!(summary["created"], 2, "{summary}");
    for (email, password, scheme) in [("bc@example.com", "bcrypt password 1", "$2b$"), ("pb@example.com", "pbkdf2 password 1", "$pbkdf2-sha256$")] {
        let user = app.state.users.find_user(&portcullis::model::TenantId::new("acme"), "consumers", portcullis::storage::identity::Lookup::Email, email).await.unwrap().unwrap();
        assert!(app.state.credentials.password_hashes(&user.tenant_id, &user.id).await.unwrap()[0].starts_with(scheme));
        // A wrong password neither signs in nor upgrades.
        let b = Browser::default();
        let (_, _, form) = b.first_form(&club(&app), CLUB_REDIRECT).await;
        assert!(matches!(b.submit(&form, &[("username", email), ("password", "wrong password 1")], CLUB_REDIRECT).await, Step::Page { .. }));
        assert!(app.state.credentials.password_hashes(&user.tenant_id, &user.id).await.unwrap()[0].starts_with(scheme));
        let b = Browser::default();
        assert!(query(&b.sign_in(&club(&app), CLUB_REDIRECT, email, password, "allow").await, "code").is_some());
        let stored = app.state.credentials.password_hashes(&user.tenant_id, &user.id).await.unwrap()[0].clone();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        // Still the same password afterwards.
        let b = Browser::default();
        assert!(query(&b.sign_in(&club(&app), CLUB_REDIRECT, email, password, "allow").await, "code").is_some());
    }
    // Re-importing the file does not put the old hashes back.
    let (_, summary) = upload(&app, &token, "application/x-ndjson", body).await;
    assert_eq!(summary["unchanged"], 2, "{summary}");

    // The CLI imports a CSV into the same database (SQLite: the file is shared).
    if backend == Backend::SqliteMemory {
        let dir = std::env::temp_dir().join(format!("portcullis-cli-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("users.csv");
        let mut csv = String::from("email,password,groups,payload.given_name\n");
        for i in 0..20 {
            csv.push_str(&format!("cli{i}@example.com,cli password {i}x,trial,C{i}\n"));
        }
        csv.push_str("broken,cli password 99,trial,C\n");
        std::fs::write(&file, csv).unwrap();
        let report = dir.join("report.ndjson");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_portcullis"))
            .args(["import", file.to_str().unwrap(), "--tenant", "acme", "--pool", "consumers", "--report", report.to_str().unwrap()])
            .env("PORTCULLIS_DATABASE_URL", &app.database_url)
            .env("PORTCULLIS_OUTBOX_DIR", dir.join("outbox"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(stderr.contains("rows: 21, created: 20, updated: 0, unchanged: 0, rejected: 1"), "{stderr}");
        assert_eq!(std::fs::read_to_string(&report).unwrap().lines().count(), 21);
        let (_, page) = api(Method::GET, &app.admin("/tenants/acme/pools/consumers/users?q=cli1"), &token, None).await;
        assert!(!page["items"].as_array().unwrap().is_empty());
    }
}
