//! Hardening of the storage layer (issue 7): bursts of writes on the embedded SQLite,
//! a PostgreSQL outage answered quickly, one winner among concurrent uses of one refresh
//! token, and revocations that survive the loss of Redis.
use std::time::Duration;
use tokio::task::JoinSet;
use url::Url;

use crate::helpers::*;
use crate::on_every_backend;

on_every_backend!(bursts_of_refreshes_and_user_writes_never_fail, concurrent_uses_of_one_refresh_token_have_one_winner);

const USERS: &str = "/tenants/acme/pools/consumers/users";

fn club_authorize(app: &TestApp) -> String {
    let mut url = Url::parse(&app.ws_url("club", "authorize")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", "club-web")
        .append_pair("redirect_uri", CLUB_REDIRECT)
        .append_pair("scope", "openid email offline_access")
        .append_pair("state", "s");
    url.to_string()
}

/// Token endpoint of `club` as client club-web: (status, body).
async fn club_token(token_url: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let resp = http().post(token_url).basic_auth("club-web", Some("club-web-secret")).form(form).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(serde_json::Value::Null))
}

async fn refresh(token_url: &str, refresh_token: &str) -> (u16, serde_json::Value) {
    club_token(token_url, &[("grant_type", "refresh_token"), ("refresh_token", refresh_token)]).await
}

/// `n` refresh tokens of tom, each of its own grant: one sign-in, then single sign-on.
async fn refresh_tokens(app: &TestApp, n: usize) -> Vec<String> {
    let browser = Browser::default();
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let back = browser.sign_in(&club_authorize(app), CLUB_REDIRECT, "tom@example.com", "consumer password 1", "allow").await;
        let code = query(&back, "code").unwrap_or_else(|| panic!("no code in {back}"));
        let (status, body) = club_token(&app.ws_url("club", "token"), &[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", CLUB_REDIRECT)]).await;
        assert_eq!(status, 200, "{body}");
        out.push(body["refresh_token"].as_str().unwrap_or_else(|| panic!("{body}")).to_owned());
    }
    out
}

fn link(html: &str, text: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("a").unwrap();
    doc.select(&sel).find(|a| a.text().collect::<String>().contains(text)).and_then(|a| a.value().attr("href")).unwrap_or_else(|| panic!("no link {text:?} in {html}")).to_owned()
}

/// A browser holding the registration form of a fresh sign-in flow on `club`.
async fn registration_form(app: &TestApp) -> (Browser, Form) {
    let browser = Browser::default();
    let (login_url, html, _) = browser.first_form(&club_authorize(app), CLUB_REDIRECT).await;
    let url = login_url.join(&link(&html, "Create an account")).unwrap();
    let (status, html) = browser.follow(url.as_str(), CLUB_REDIRECT).await.page();
    assert_eq!(status, 200, "{html}");
    let form = Form::parse(&url, &html).unwrap();
    (browser, form)
}

/// Issue 7 item 11: the embedded SQLite answered `database is locked` (503) to a handful
/// of parallel writes. Every request of these bursts must succeed, on both backends.
async fn bursts_of_refreshes_and_user_writes_never_fail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token_url = app.ws_url("club", "token");

    // 16 refresh-token grants of distinct tokens at once.
    let mut refreshes = JoinSet::new();
    for r in refresh_tokens(&app, 16).await {
        let url = token_url.clone();
        refreshes.spawn(async move { refresh(&url, &r).await });
    }
    for (status, body) in refreshes.join_all().await {
        assert_eq!(status, 200, "{body}");
    }

    // 12 users created through the admin API at once.
    let admin = app.client_token("acme-useradmin").await;
    let mut creations = JoinSet::new();
    for i in 0..12 {
        let (url, admin) = (app.admin(USERS), admin.clone());
        let body = serde_json::json!({ "email": format!("burst{i}@example.com"), "password": "violet sky 1234", "payload": { "given_name": "Burst" } });
        creations.spawn(async move { api(reqwest::Method::POST, &url, &admin, Some(body)).await });
    }
    for (status, body) in creations.join_all().await {
        assert_eq!(status, 201, "{body}");
    }

    // 8 self-registrations submitted at once, each from its own browser.
    let mut registrations = JoinSet::new();
    for i in 0..8 {
        let (browser, form) = registration_form(&app).await;
        registrations.spawn(async move {
            let email = format!("reg{i}@example.com");
            let fields = [("email", email.as_str()), ("password", "bright lake 77"), ("given_name", "Reg")];
            match browser.submit(&form, &fields, CLUB_REDIRECT).await {
                Step::Page { url, status, html } => (status, url.path().to_owned(), html),
                Step::Arrived(u) => (0, u.to_string(), String::new()),
            }
        });
    }
    for (status, path, html) in registrations.join_all().await {
        assert_eq!(status, 200, "{path}: {html}");
        assert!(path.ends_with("/verify"), "{path}: {html}");
    }
    for i in 0..8 {
        assert!(app.state.users.find_user(&portcullis::model::TenantId::new("acme"), "consumers", portcullis::storage::identity::Lookup::Email, &format!("reg{i}@example.com")).await.unwrap().is_some());
    }
}

/// Issue 7 item 14: three or more concurrent uses of one refresh token deadlocked in
/// PostgreSQL (503 after deadlock_timeout). RFC 9700 §4.14.2: exactly one use wins, the
/// others are refused as reuse, and reuse revokes the whole family.
async fn concurrent_uses_of_one_refresh_token_have_one_winner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token_url = app.ws_url("club", "token");
    let tokens = refresh_tokens(&app, 3).await;
    for (n, presented) in [3usize, 5, 8].into_iter().zip(tokens) {
        let mut uses = JoinSet::new();
        for _ in 0..n {
            let (url, presented) = (token_url.clone(), presented.clone());
            uses.spawn(async move { refresh(&url, &presented).await });
        }
        let outcomes = uses.join_all().await;
        let summary: Vec<(u16, Option<&str>)> = outcomes.iter().map(|(s, b)| (*s, b["error"].as_str())).collect();
        let winners: Vec<&serde_json::Value> = outcomes.iter().filter(|(s, _)| *s == 200).map(|(_, b)| b).collect();
        assert_eq!(winners.len(), 1, "{n} concurrent uses: {summary:?}");
        let losers = summary.iter().filter(|(s, _)| *s != 200);
        assert!(losers.clone().all(|o| *o == (400, Some("invalid_grant"))), "{n} concurrent uses: {summary:?}");
        assert_eq!(losers.count(), n - 1);
        // The family is revoked: the winner's successor and access token are refused too.
        let (status, body) = refresh(&token_url, winners[0]["refresh_token"].as_str().unwrap()).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "{body}");
        let ui = http().get(app.ws_url("club", "userinfo")).bearer_auth(winners[0]["access_token"].as_str().unwrap()).send().await.unwrap();
        assert_eq!(ui.status(), 401);
    }
}

/// A TCP forwarder from a random local port to PostgreSQL that the test can take down
/// (stop accepting, drop every connection) and bring back on the same port.
struct Forwarder {
    port: u16,
    stop: Option<tokio::sync::watch::Sender<bool>>,
}

impl Forwarder {
    async fn start(port: u16, target: std::net::SocketAddr) -> Forwarder {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            loop {
                let mut inbound = tokio::select! {
                    _ = stopped.changed() => return,
                    accepted = listener.accept() => match accepted { Ok((s, _)) => s, Err(_) => return },
                };
                let mut stopped = stopped.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await else { return };
                    // Dropping both sockets when stopped cuts the connection.
                    tokio::select! {
                        _ = stopped.changed() => {}
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                    }
                });
            }
        });
        Forwarder { port, stop: Some(stop) }
    }

    fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(true);
        }
    }
}

/// A client whose requests give up after `secs`: the defect is a hang, so the bound is
/// part of what is tested (it is generous: the server should answer within about 3 s).
fn impatient(secs: u64) -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(secs)).build().unwrap()
}

/// Issue 7 item 13: with PostgreSQL gone every request waited 30 s (the pool's acquire
/// default) before its 503. A token request and /readyz must answer 503 within a few
/// seconds, and the service must recover when the database is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outage_is_answered_quickly_and_service_recovers() {
    let direct = Url::parse(&fresh_database(Backend::PostgresRedis).await).unwrap();
    let target = direct.socket_addrs(|| Some(5432)).unwrap()[0];
    let mut forwarder = Forwarder::start(0, target).await;
    let mut through = direct.clone();
    through.set_port(Some(forwarder.port)).unwrap();
    let app = TestApp::spawn_with_database(Backend::PostgresRedis, through.as_str()).await;
    let token_url = app.ws_url("club", "token");
    let refresh_token = refresh_tokens(&app, 1).await.remove(0);

    forwarder.stop();
    let client = impatient(8);
    let resp = client.post(&token_url).basic_auth("club-web", Some("club-web-secret")).form(&[("grant_type", "refresh_token"), ("refresh_token", refresh_token.as_str())]).send().await;
    let resp = resp.expect("the token endpoint answers within 8 s while PostgreSQL is down");
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.json::<serde_json::Value>().await.unwrap()["error"], "temporarily_unavailable");
    let resp = client.get(format!("{}/readyz", app.base)).send().await.expect("/readyz answers within 8 s while PostgreSQL is down");
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.json::<serde_json::Value>().await.unwrap()["database"], "unavailable");

    // Back on the same port: readiness returns by itself and the token still works.
    let _back = Forwarder::start(forwarder.port, target).await;
    let mut ready = false;
    for _ in 0..40 {
        if client.get(format!("{}/readyz", app.base)).send().await.is_ok_and(|r| r.status() == 200) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(ready, "/readyz did not recover");
    let (status, body) = refresh(&token_url, &refresh_token).await;
    assert_eq!(status, 200, "{body}");
}

/// Every key of this app in Redis deleted, as when Redis restarts without persistence.
pub(crate) async fn flush_redis(app: &TestApp) {
    let client = redis::Client::open(redis_url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg(format!("{}*", app.redis_prefix)).query_async(&mut conn).await.unwrap();
    assert!(!keys.is_empty(), "the app keeps something in Redis");
    let _: () = redis::cmd("DEL").arg(&keys).query_async(&mut conn).await.unwrap();
}

/// Issue 7 item 16: the denylist of revoked access tokens lived only in Redis, so a
/// revoked token worked again after Redis lost its data. What must survive is in the
/// database now.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revocations_survive_the_loss_of_redis() {
    let app = TestApp::spawn(Backend::PostgresRedis).await;
    let admin = app.client_token("acme-useradmin").await;
    let (s, _) = api(reqwest::Method::GET, &app.admin(USERS), &admin, None).await;
    assert_eq!(s, 200);
    let resp = http().post(app.ws_url("club", "revoke")).basic_auth("acme-useradmin", Some("acme-useradmin-secret")).form(&[("token", admin.as_str())]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let (s, _) = api(reqwest::Method::GET, &app.admin(USERS), &admin, None).await;
    assert_eq!(s, 401);

    // A user's access token revoked by itself (its grant stays live).
    let browser = Browser::default();
    let back = browser.sign_in(&club_authorize(&app), CLUB_REDIRECT, "tom@example.com", "consumer password 1", "allow").await;
    let code = query(&back, "code").unwrap();
    let (status, body) = club_token(&app.ws_url("club", "token"), &[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", CLUB_REDIRECT)]).await;
    assert_eq!(status, 200, "{body}");
    let user_token = body["access_token"].as_str().unwrap().to_owned();
    let resp = http().post(app.ws_url("club", "revoke")).basic_auth("club-web", Some("club-web-secret")).form(&[("token", user_token.as_str()), ("token_type_hint", "access_token")]).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let userinfo = || http().get(app.ws_url("club", "userinfo")).bearer_auth(&user_token).send();
    assert_eq!(userinfo().await.unwrap().status(), 401);

    // A durable counter (as the sign-in lockout uses) survives too.
    let now = app.state.now();
    for _ in 0..3 {
        app.state.counters.hit("lockout-test", 900, now).await.unwrap();
    }

    flush_redis(&app).await;
    assert_eq!(app.state.counters.count("lockout-test", now).await.unwrap(), 3, "the counter was lost with Redis");
    let (s, _) = api(reqwest::Method::GET, &app.admin(USERS), &admin, None).await;
    assert_eq!(s, 401, "a revoked admin token works again after Redis lost its data");
    assert_eq!(userinfo().await.unwrap().status(), 401, "a revoked access token works again after Redis lost its data");
    // The refresh token of that grant still works: only the access token was revoked.
    let (status, body) = refresh(&app.ws_url("club", "token"), body["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, 200, "{body}");
}
