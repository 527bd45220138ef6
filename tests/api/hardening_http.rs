//! Issue 7, HTTP plumbing: RFC 8414 metadata, HEAD and 405, CORS for browser apps, redirect
//! URI schemes, access logs without query strings, bounded /authorize parameters, the cause
//! of a 503 in the logs, and graceful shutdown.
use reqwest::Method;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(
    oauth_authorization_server_metadata_is_path_inserted,
    head_answers_like_get_without_a_body,
    unsupported_methods_are_405_with_allow,
    cors_allows_the_clients_web_origins_only,
    dangerous_redirect_uri_schemes_are_refused,
    access_log_has_paths_never_query_strings,
    oversized_authorize_parameters_are_refused,
    a_maximal_authorize_request_stores_a_small_flow,
);

// ---------------------------------------------------------------------------------------
// Captured logs: one global subscriber for the whole test binary (the server's workers run
// on their own threads, so a thread-local default would miss them).

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
    /// Waits (a few seconds at most) until the logs contain `needle`: access log lines are
    /// written when the response has been sent.
    async fn wait_for(&self, needle: &str) -> bool {
        for _ in 0..50 {
            if self.text().contains(needle) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }
}

/// Everything logged in this process from the first call on (the `log` crate included).
fn logs() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let c = Captured::default();
        tracing_subscriber::fmt().with_writer(c.clone()).with_ansi(false).with_max_level(tracing::Level::INFO).try_init().expect("the only global subscriber of the test binary");
        c
    })
}

// ---------------------------------------------------------------------------------------
// Item 1: RFC 8414 metadata.

async fn oauth_authorization_server_metadata_is_path_inserted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // RFC 8414 §3.1: the well-known suffix goes between the host and the issuer's path.
    let resp = http().get(format!("{}/.well-known/oauth-authorization-server/acme/shop", app.base)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let doc: Value = resp.json().await.unwrap();
    // §3.3: the issuer is exactly the one the metadata was retrieved for.
    assert_eq!(doc["issuer"], app.issuer.as_str());
    let oidc: Value = http().get(app.url(".well-known/openid-configuration")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc, oidc, "the same document as OpenID discovery");
    for missing in ["nobody/shop", "acme/nowhere", "acme", "", "acme/shop/extra"] {
        let resp = http().get(format!("{}/.well-known/oauth-authorization-server/{missing}", app.base)).send().await.unwrap();
        assert_eq!(resp.status(), 404, "{missing}");
    }
}

// ---------------------------------------------------------------------------------------
// Item 2: HEAD on every GET endpoint; 405 with Allow for other methods.

/// A raw HTTP/1.1 exchange: everything the server sent until it closed the connection.
async fn raw_exchange(port: u16, request: String) -> Vec<u8> {
    tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = vec![];
        let _ = s.read_to_end(&mut out);
        out
    })
    .await
    .unwrap()
}

fn port_of(app: &TestApp) -> u16 {
    url::Url::parse(&app.base).unwrap().port().unwrap()
}

async fn head_answers_like_get_without_a_body(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let plain = [
        format!("{}/healthz", app.base),
        format!("{}/readyz", app.base),
        format!("{}/static/css/app.css", app.base),
        format!("{}/static/img/logo.svg", app.base),
        format!("{}/.well-known/oauth-authorization-server/acme/shop", app.base),
        app.url(".well-known/openid-configuration"),
        app.url("jwks"),
        app.url("userinfo"),
        app.url("login?flow=nope"),
        app.url("consent?flow=nope"),
        app.url("register"),
        app.url("reset"),
        authorize_url(&app, "shop-web", WEB_REDIRECT, &[]),
        app.admin("/openapi.json"),
    ];
    for url in &plain {
        let get = http().get(url).send().await.unwrap();
        let head = http().head(url).send().await.unwrap();
        assert_eq!(head.status(), get.status(), "HEAD {url}");
        assert_ne!(head.status(), 404, "HEAD {url}");
        assert_eq!(head.headers().get("content-type"), get.headers().get("content-type"), "HEAD {url}");
    }
    let admin_gets = ["/tenants", "/tenants/acme", "/tenants/acme/pools", "/tenants/acme/workspaces", "/tenants/acme/workspaces/shop/clients", "/tenants/acme/workspaces/shop/clients/shop-web", "/tenants/acme/audit", "/tenants/acme/pools/consumers/users", "/tenants/acme/pools/consumers/groups/trial/members"];
    for path in admin_gets {
        let get = http().get(app.admin(path)).bearer_auth(&admin).send().await.unwrap();
        let head = http().head(app.admin(path)).bearer_auth(&admin).send().await.unwrap();
        assert_eq!((head.status(), get.status()), (get.status(), reqwest::StatusCode::OK), "HEAD {path}");
        assert_eq!(head.headers().get("content-type"), get.headers().get("content-type"), "HEAD {path}");
    }
    // RFC 9110 §9.3.2: the same header fields as GET, no content. Checked on the wire.
    let get = raw_exchange(port_of(&app), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".into()).await;
    let head = raw_exchange(port_of(&app), "HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".into()).await;
    let split = |r: &[u8]| {
        let text = String::from_utf8_lossy(r).into_owned();
        let (h, b) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no header block in {text:?}"));
        (h.to_lowercase(), b.to_owned())
    };
    let (get_head, get_body) = split(&get);
    let (head_head, head_body) = split(&head);
    assert!(head_head.starts_with("http/1.1 200"), "{head_head}");
    assert_eq!(head_body, "", "HEAD sends no content");
    assert!(!get_body.is_empty());
    let content_length = |h: &str| h.lines().find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().to_owned()));
    assert_eq!(content_length(&head_head), content_length(&get_head));
    assert_eq!(content_length(&head_head), Some(get_body.len().to_string()));
}

fn allow(resp: &reqwest::Response) -> Vec<String> {
    let v = resp.headers().get("allow").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    v.split(',').map(|m| m.trim().to_owned()).filter(|m| !m.is_empty()).collect()
}

async fn unsupported_methods_are_405_with_allow(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    // RFC 9110 §15.5.6: 405 names the methods the resource supports.
    let cases: [(Method, String, &[&str]); 7] = [
        (Method::DELETE, app.url("token"), &["POST"]),
        (Method::TRACE, app.url("token"), &["POST"]),
        (Method::PUT, app.url("authorize"), &["GET", "HEAD", "POST"]),
        (Method::DELETE, app.url("userinfo"), &["GET", "HEAD", "POST"]),
        (Method::POST, app.url("jwks"), &["GET", "HEAD"]),
        (Method::POST, format!("{}/healthz", app.base), &["GET", "HEAD"]),
        (Method::POST, format!("{}/.well-known/oauth-authorization-server/acme/shop", app.base), &["GET", "HEAD"]),
    ];
    for (method, url, methods) in cases {
        let resp = http().request(method.clone(), &url).send().await.unwrap();
        assert_eq!(resp.status(), 405, "{method} {url}");
        let allowed = allow(&resp);
        for m in methods {
            assert!(allowed.iter().any(|a| a == m), "{method} {url}: {m} not in {allowed:?}");
        }
        assert!(!allowed.iter().any(|a| a == method.as_str()), "{method} {url}: {allowed:?}");
    }
    // The admin API answers 405 as a problem document, like its other errors.
    for (method, path, methods) in [
        (Method::TRACE, "/tenants", &["GET", "HEAD"][..]),
        (Method::DELETE, "/tenants/acme/audit", &["GET", "HEAD"][..]),
        (Method::POST, "/tenants/acme/workspaces/shop/clients/shop-web", &["GET", "HEAD", "PUT", "DELETE"][..]),
        (Method::GET, "/tenants/acme/pools/consumers/import", &["POST"][..]),
    ] {
        let resp = http().request(method.clone(), app.admin(path)).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(resp.status(), 405, "{method} {path}");
        let allowed = allow(&resp);
        for m in methods {
            assert!(allowed.iter().any(|a| a == m), "{method} {path}: {m} not in {allowed:?}");
        }
        assert_eq!(resp.headers()["content-type"], "application/problem+json", "{method} {path}");
        let problem: Value = resp.json().await.unwrap();
        assert_eq!(problem["status"], 405, "{problem}");
        assert_eq!(problem["type"], "https://portcullis.dev/problems/method-not-allowed", "{problem}");
    }
    // Unknown paths stay 404.
    assert_eq!(http().get(app.url("nope")).send().await.unwrap().status(), 404);
    assert_eq!(http().request(Method::TRACE, app.url("nope")).send().await.unwrap().status(), 404);
    let resp = http().get(app.admin("/nope")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    assert_eq!(http().get(format!("{}/nope", app.base)).send().await.unwrap().status(), 404);
}

// ---------------------------------------------------------------------------------------
// Item 3: CORS on token, userinfo, revocation and introspection.

const APP_ORIGIN: &str = "https://app.example.com";
const LOCAL_ORIGIN: &str = "http://localhost:7000";
const SPA_ORIGIN: &str = "http://127.0.0.1:9999";

fn acao(resp: &reqwest::Response) -> Option<String> {
    resp.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_owned())
}

/// What every response of these endpoints must say about CORS, allowed or not.
fn assert_cors_basics(resp: &reqwest::Response, what: &str) {
    let vary: Vec<String> = resp.headers().get_all("vary").iter().flat_map(|v| v.to_str().unwrap().split(',').map(|s| s.trim().to_lowercase()).collect::<Vec<_>>()).collect();
    assert!(vary.iter().any(|v| v == "origin"), "{what}: Vary {vary:?}");
    assert_ne!(acao(resp).as_deref(), Some("*"), "{what}");
    assert!(resp.headers().get("access-control-allow-credentials").is_none(), "{what}: these endpoints take no cookies");
}

async fn preflight(app: &TestApp, endpoint: &str, origin: &str, method: &str) -> reqwest::Response {
    let resp = http()
        .request(Method::OPTIONS, app.url(endpoint))
        .header("origin", origin)
        .header("access-control-request-method", method)
        .header("access-control-request-headers", "authorization, content-type")
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "preflight {endpoint} from {origin}: {}", resp.status());
    assert_cors_basics(&resp, &format!("preflight {endpoint} from {origin}"));
    resp
}

async fn cors_allows_the_clients_web_origins_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    // A browser app with an explicit origin besides the origin of its redirect URI.
    let spa2 = json!({
        "redirect_uris": [format!("{LOCAL_ORIGIN}/cb"), "com.example.app:/cb"],
        "allowed_origins": [APP_ORIGIN],
        "grant_types": ["authorization_code", "refresh_token"],
        "scopes": ["openid"],
        "consent": "implicit"
    });
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/shop/clients/spa2"), &admin, Some(spa2)).await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["allowed_origins"], json!([APP_ORIGIN]));
    let (_, body) = api(Method::GET, &app.admin("/tenants/acme/workspaces/shop/clients/spa2"), &admin, None).await;
    assert_eq!(body["allowed_origins"], json!([APP_ORIGIN]), "{body}");
    for bad in ["https://app.example.com/path", "http://app.example.com", "ftp://app.example.com", "https://app.example.com?x=1", "https://app.example.com#f", "*", "null", "https://user@app.example.com"] {
        let doc = json!({ "redirect_uris": ["https://app.example.com/cb"], "allowed_origins": [bad] });
        let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/shop/clients/bad"), &admin, Some(doc)).await;
        assert_eq!(s, 422, "{bad}: {body}");
        assert_eq!(body["errors"][0]["pointer"], "/allowed_origins/0", "{bad}: {body}");
    }

    // Preflights name no client: any client's origin of the workspace passes, others not.
    for endpoint in ["token", "revoke", "introspect", "userinfo"] {
        for origin in [APP_ORIGIN, LOCAL_ORIGIN, SPA_ORIGIN] {
            let resp = preflight(&app, endpoint, origin, "POST").await;
            assert_eq!(acao(&resp).as_deref(), Some(origin), "preflight {endpoint} from {origin}");
            let methods = resp.headers().get("access-control-allow-methods").map(|v| v.to_str().unwrap().to_uppercase()).unwrap_or_default();
            assert!(methods.contains("POST"), "{endpoint}: {methods}");
            let headers = resp.headers().get("access-control-allow-headers").map(|v| v.to_str().unwrap().to_lowercase()).unwrap_or_default();
            assert!(headers.contains("authorization") && headers.contains("content-type"), "{endpoint}: {headers}");
        }
        for origin in ["https://evil.example", "http://127.0.0.1:9998", "null", "https://app.example.com.evil.example"] {
            let resp = preflight(&app, endpoint, origin, "POST").await;
            assert_eq!(acao(&resp), None, "preflight {endpoint} from {origin}");
            assert!(resp.headers().get("access-control-allow-methods").is_none());
        }
    }
    // Another workspace's clients' origins do not count here.
    let resp = http().request(Method::OPTIONS, app.ws_url("gym", "token")).header("origin", APP_ORIGIN).header("access-control-request-method", "POST").send().await.unwrap();
    assert_eq!(acao(&resp), None);

    // Actual responses, errors included: the authenticated client's origins only.
    let bad_code = [("grant_type", "authorization_code"), ("client_id", "spa2"), ("code", "nope"), ("redirect_uri", "http://localhost:7000/cb"), ("code_verifier", "x")];
    for (origin, allowed) in [(APP_ORIGIN, true), (LOCAL_ORIGIN, true), (SPA_ORIGIN, false), ("https://evil.example", false)] {
        let resp = http().post(app.url("token")).header("origin", origin).form(&bad_code).send().await.unwrap();
        assert_eq!(resp.status(), 400);
        assert_cors_basics(&resp, "token");
        assert_eq!(acao(&resp), allowed.then(|| origin.to_owned()), "token error from {origin}");
        assert_eq!(resp.json::<Value>().await.unwrap()["error"], "invalid_grant");
    }
    let resp = http().post(app.url("token")).form(&bad_code).send().await.unwrap();
    assert_cors_basics(&resp, "token without Origin");
    assert_eq!(acao(&resp), None);
    // Client authentication failed: no client is known, the workspace's origins apply.
    let resp = http().post(app.url("token")).header("origin", APP_ORIGIN).form(&[("grant_type", "authorization_code"), ("client_id", "nobody")]).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_cors_basics(&resp, "token invalid_client");
    assert_eq!(acao(&resp).as_deref(), Some(APP_ORIGIN));

    // A token of shop-spa: userinfo, introspection and revocation from the SPA's origin.
    let (verifier, challenge) = pkce();
    let pk = [("code_challenge", challenge.as_str()), ("code_challenge_method", "S256"), ("scope", "openid profile")];
    let code = code_for(&app, &Browser::default(), "shop-spa", SPA_REDIRECT, &pk).await;
    let form = [("grant_type", "authorization_code"), ("client_id", "shop-spa"), ("code", code.as_str()), ("redirect_uri", SPA_REDIRECT), ("code_verifier", verifier.as_str())];
    let resp = http().post(app.url("token")).header("origin", SPA_ORIGIN).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_cors_basics(&resp, "token success");
    assert_eq!(acao(&resp).as_deref(), Some(SPA_ORIGIN));
    let tokens: Value = resp.json().await.unwrap();
    let at = tokens["access_token"].as_str().unwrap();
    for (origin, allowed) in [(SPA_ORIGIN, true), (APP_ORIGIN, false)] {
        let resp = http().get(app.url("userinfo")).header("origin", origin).bearer_auth(at).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_cors_basics(&resp, "userinfo");
        assert_eq!(acao(&resp), allowed.then(|| origin.to_owned()), "userinfo from {origin}");
    }
    let resp = http().get(app.url("userinfo")).header("origin", SPA_ORIGIN).bearer_auth("garbage").send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_cors_basics(&resp, "userinfo error");
    assert_eq!(acao(&resp).as_deref(), Some(SPA_ORIGIN), "a SPA can read why userinfo failed");
    let resp = http().post(app.url("introspect")).header("origin", SPA_ORIGIN).basic_auth("shop-web", Some("shop-web-secret")).form(&[("token", at)]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_cors_basics(&resp, "introspect");
    assert_eq!(acao(&resp).as_deref(), Some(SPA_ORIGIN), "shop-web's redirect URI has this origin too");
    let resp = http().post(app.url("introspect")).header("origin", APP_ORIGIN).basic_auth("shop-web", Some("shop-web-secret")).form(&[("token", at)]).send().await.unwrap();
    assert_eq!(acao(&resp), None);
    let resp = http().post(app.url("revoke")).header("origin", APP_ORIGIN).form(&[("client_id", "shop-spa"), ("token", at)]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_cors_basics(&resp, "revoke");
    assert_eq!(acao(&resp), None, "spa2's origin is not shop-spa's");
    let resp = http().post(app.url("revoke")).header("origin", SPA_ORIGIN).form(&[("client_id", "shop-spa"), ("token", at)]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(acao(&resp).as_deref(), Some(SPA_ORIGIN));

    // Removing the client's explicit origin (an empty list; a document without the key
    // keeps it) takes it out of the workspace's set.
    let spa2 = json!({ "redirect_uris": [format!("{LOCAL_ORIGIN}/cb")], "grant_types": ["authorization_code"], "scopes": ["openid"], "allowed_origins": [] });
    let (s, body) = api(Method::PUT, &app.admin("/tenants/acme/workspaces/shop/clients/spa2"), &admin, Some(spa2)).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(acao(&preflight(&app, "token", APP_ORIGIN, "POST").await), None);
    assert_eq!(acao(&preflight(&app, "token", LOCAL_ORIGIN, "POST").await).as_deref(), Some(LOCAL_ORIGIN));
}

// ---------------------------------------------------------------------------------------
// Item 4: redirect URI schemes.

async fn dangerous_redirect_uri_schemes_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.client_token("acme-admin").await;
    let url = app.admin("/tenants/acme/workspaces/shop/clients/risky");
    let bad = [
        "javascript:alert(document.cookie)",
        "JavaScript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
        "ftp://files.example.com/cb",
        "ws://127.0.0.1/cb",
        "myapp:/callback",
        "http://evil.example/cb",
        "http://127.0.0.1.evil.example/cb",
    ];
    for uri in bad {
        for field in ["redirect_uris", "post_logout_redirect_uris"] {
            let mut doc = json!({ "redirect_uris": ["https://app.example.com/cb"], "post_logout_redirect_uris": [] });
            doc[field] = json!([uri]);
            let (s, body) = api(Method::PUT, &url, &admin, Some(doc)).await;
            assert_eq!(s, 422, "{field} {uri}: {body}");
            assert_eq!(body["errors"][0]["pointer"], format!("/{field}/0"), "{field} {uri}: {body}");
        }
    }
    let (s, _) = api(Method::GET, &url, &admin, None).await;
    assert_eq!(s, 404, "nothing was stored");
    let good = ["https://app.example.com/cb", "http://127.0.0.1:8080/cb", "http://[::1]/cb", "http://localhost/cb", "com.example.app:/oauth2redirect"];
    let doc = json!({ "redirect_uris": good, "post_logout_redirect_uris": good });
    let (s, body) = api(Method::PUT, &url, &admin, Some(doc)).await;
    assert_eq!(s, 201, "{body}");
}

// ---------------------------------------------------------------------------------------
// Item 5 (issue item 9): the access log.

async fn access_log_has_paths_never_query_strings(backend: Backend) {
    let logs = logs();
    let app = TestApp::spawn(backend).await;
    let secret = |what: &str| format!("{what}{}", uuid::Uuid::new_v4().simple());
    let (hint, token, code, id_token_hint, state) = (secret("hint"), secret("token"), secret("code"), secret("idth"), secret("state"));
    let browser = Browser::default();
    let resp = browser.http.get(authorize_url(&app, "shop-web", WEB_REDIRECT, &[("login_hint", &hint), ("state", &state)])).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    let login = resp.headers()["location"].to_str().unwrap().to_owned();
    let flow = login.split("flow=").nth(1).unwrap().to_owned();
    assert_eq!(browser.http.get(format!("{}{login}", app.base)).send().await.unwrap().status(), 200);
    http().get(format!("{}?token={token}", app.ws_url("club", "activate"))).send().await.unwrap();
    http().get(format!("{}?code={code}", app.url("reset/confirm"))).send().await.unwrap();
    http().get(format!("{}?id_token_hint={id_token_hint}&state={state}", app.url("logout"))).send().await.unwrap();
    for path in ["/acme/shop/authorize", "/acme/shop/login", "/acme/club/activate", "/acme/shop/reset/confirm", "/acme/shop/logout"] {
        assert!(logs.wait_for(path).await, "{path} is logged");
    }
    // The last request's line is written once its response is done; give it a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let text = logs.text();
    for s in [&hint, &token, &code, &id_token_hint, &state, &flow] {
        assert!(!text.contains(s.as_str()), "a query string secret reached the logs: {s}");
    }
    let line = text.lines().find(|l| l.contains("/acme/club/activate")).unwrap();
    assert!(line.contains("GET") && line.contains("200"), "method, path and status: {line}");
}

// ---------------------------------------------------------------------------------------
// Item 6 (issue item 12): bounded /authorize parameters.

async fn oversized_authorize_parameters_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let long = |n: usize| "a".repeat(n);
    // Before client and redirect URI are trusted: the error page, never a redirect.
    for (name, value) in [("client_id", long(129)), ("redirect_uri", format!("{WEB_REDIRECT}?{}", long(2048)))] {
        let url = authorize_url(&app, "shop-web", WEB_REDIRECT, &[(name, &value)]);
        let resp = http().get(url).send().await.unwrap();
        assert_eq!(resp.status(), 400, "{name}");
        assert!(resp.headers().get("location").is_none(), "{name}");
        let html = resp.text().await.unwrap();
        assert!(html.contains("invalid_request") && html.contains(name), "{name}: {html}");
    }
    // After: invalid_request back to the client (RFC 6749 §4.1.2.1).
    let tag35 = format!("x-{}", long(33));
    let eleven_tags = ["en"; 11].join(" ");
    let cases: Vec<(&str, String)> = vec![
        ("ui_locales", format!("en {}", long(60_000))),
        ("ui_locales", eleven_tags),
        ("ui_locales", format!("{tag35}b")),
        ("ui_locales", "en <script>".into()),
        ("state", long(2049)),
        ("nonce", long(513)),
        ("login_hint", long(257)),
        ("scope", format!("openid {}", "profile ".repeat(200))),
        ("prompt", "login ".repeat(20)),
        ("max_age", "1".repeat(11)),
        ("code_challenge", long(129)),
        ("response_mode", long(100)),
        ("response_type", long(100)),
    ];
    for (name, value) in cases {
        let mut extra = vec![(name, value.as_str())];
        if name != "code_challenge" {
            extra.push(("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        }
        extra.push(("code_challenge_method", "S256"));
        let url = authorize_url(&app, "shop-web", WEB_REDIRECT, &extra);
        let resp = http().get(&url).send().await.unwrap();
        assert_eq!(resp.status(), 302, "{name} of {} bytes", value.len());
        let location = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
        assert!(location.as_str().starts_with(WEB_REDIRECT), "{location}");
        assert_eq!(query(&location, "error").as_deref(), Some("invalid_request"), "{name}: {location}");
        assert!(query(&location, "error_description").unwrap().contains(name), "{name}: {location}");
        // An oversized state is not echoed back (the Location header would be as large).
        if name == "state" {
            assert_eq!(query(&location, "state"), None);
        } else {
            assert_eq!(query(&location, "state").as_deref(), Some("st4te"));
        }
    }
}

async fn a_maximal_authorize_request_stores_a_small_flow(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let long = |c: char, n: usize| c.to_string().repeat(n);
    let tags: Vec<String> = (0..10).map(|i| format!("x-{i}{}", long('a', 32))).collect();
    let ui_locales = tags.join(" ");
    let state = long('s', 2048);
    let nonce = long('n', 512);
    let hint = long('h', 256);
    let challenge = long('c', 128);
    let extra = [
        ("state", state.as_str()),
        ("nonce", nonce.as_str()),
        ("login_hint", hint.as_str()),
        ("ui_locales", ui_locales.as_str()),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("scope", "openid profile email offline_access"),
        ("prompt", "login consent"),
        ("max_age", "3600000000"),
        ("response_mode", "query"),
    ];
    let resp = http().get(authorize_url(&app, "shop-web", WEB_REDIRECT, &extra)).send().await.unwrap();
    assert_eq!(resp.status(), 303, "a legal request goes to the sign-in page");
    let login = resp.headers()["location"].to_str().unwrap().to_owned();
    let flow_id = login.split("flow=").nth(1).unwrap();
    let flow = portcullis::auth::Flow::load(&app.state, flow_id).await.unwrap().expect("the flow is stored");
    let size = serde_json::to_vec(&flow).unwrap().len();
    assert!(size <= 5 * 1024, "an anonymous flow stores {size} bytes");
    assert_eq!(flow.request.state.as_deref(), Some(state.as_str()));
    assert_eq!(flow.request.ui_locales.len(), 10);
}

// ---------------------------------------------------------------------------------------
// Item 7: the cause of a 503 is logged once, with the correlation id the client sees.


fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_endpoint_503_logs_its_cause_with_a_correlation_id() {
    let logs = logs();
    let mut redis = OwnRedis::start(free_port());
    let app = TestApp::spawn_with_redis(&format!("redis://127.0.0.1:{}", redis.port)).await;
    redis.stop();
    let (status, body, headers) = token(&app, Some(("shop-web", "shop-web-secret")), &[("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", WEB_REDIRECT)]).await;
    assert_eq!((status, body["error"].as_str()), (503, Some("temporarily_unavailable")), "{body}");
    assert!(headers.get("retry-after").is_some());
    let description = body["error_description"].as_str().unwrap();
    let reference = description.split("ref ").nth(1).map(|r| r.trim_end_matches(')').to_owned()).unwrap_or_else(|| panic!("no reference in {description:?}"));
    assert!(logs.wait_for(&reference).await, "the correlation id {reference} is logged");
    let text = logs.text();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(&reference)).collect();
    assert_eq!(lines.len(), 1, "logged once: {lines:?}");
    assert!(lines[0].contains("session store unavailable"), "the cause is logged: {}", lines[0]);
}

// ---------------------------------------------------------------------------------------
// Item 7: graceful shutdown of `portcullis serve` on SIGTERM and SIGINT.

const SERVE_FIXTURE: &str = "tenants:
  - id: acme
    workspaces:
      - id: shop
        clients:
          - client_id: svc
            client_secret: svc-secret-1234
            grant_types: [client_credentials]
            scopes: [openid]
";

/// `portcullis serve` in a directory of its own (its output in `log.txt` there), once it
/// takes connections.
fn start_binary(dir: &std::path::Path, port: u16) -> std::process::Child {
    std::fs::write(dir.join("provision.yaml"), SERVE_FIXTURE).unwrap();
    let log = std::fs::File::create(dir.join("log.txt")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_portcullis"))
        .args(["serve", "--provision", "provision.yaml"])
        .current_dir(dir)
        .env_remove("PORTCULLIS_CONFIG")
        .env_remove("PORTCULLIS_REDIS_URL")
        .env("PORTCULLIS_LISTEN", format!("127.0.0.1:{port}"))
        .env("PORTCULLIS_DATABASE_URL", format!("sqlite://{}/db.sqlite?mode=rwc", dir.display()))
        .env("PORTCULLIS_OUTBOX_DIR", dir.join("outbox"))
        .env("PORTCULLIS_WORKERS", "1")
        .env("PORTCULLIS_ARGON2_CONCURRENCY", "1")
        .env("RUST_LOG", "info")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return child;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("portcullis serve did not start: {}", std::fs::read_to_string(dir.join("log.txt")).unwrap_or_default());
}

fn graceful_shutdown_on(signal: &str) {
    let dir = std::env::temp_dir().join(format!("portcullis-shutdown-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    let mut child = start_binary(&dir, port);
    // A request in flight: its headers are in, half of its body is still to come.
    let body = "grant_type=client_credentials";
    let (first, rest) = body.split_at(10);
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode("svc:svc-secret-1234");
    let head = format!(
        "POST /acme/shop/token HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {basic}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(500));
    // The server no longer takes new connections, but finishes this request.
    s.write_all(rest.as_bytes()).unwrap();
    let mut out = vec![];
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    // Generous bound: the defect would be a process that never exits.
    let mut status = None;
    for _ in 0..200 {
        if let Some(st) = child.try_wait().unwrap() {
            status = Some(st);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let output = std::fs::read_to_string(dir.join("log.txt")).unwrap_or_default();
    assert!(text.starts_with("HTTP/1.1 200"), "{signal}: the in-flight request completes: {text:?}\n{output}");
    assert!(text.contains("access_token"), "{text}");
    let status = status.unwrap_or_else(|| panic!("{signal}: the server exits after a graceful shutdown\n{output}"));
    assert!(status.success(), "{signal}: exit {status:?}\n{output}");
    assert!(!output.contains("being shut down"), "{output}");
    assert!(output.contains("portcullis stopped"), "{output}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_shuts_down_gracefully_on_sigterm() {
    graceful_shutdown_on("-TERM");
}

#[test]
fn serve_shuts_down_gracefully_on_sigint() {
    graceful_shutdown_on("-INT");
}
