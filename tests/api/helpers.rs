//! Every test spawns its own app on port 0 with its own database (a SQLite file, or a
//! fresh PostgreSQL database) and its own Redis key prefix.
use reqwest::redirect::Policy;
use std::net::TcpListener;
use std::sync::Arc;
use url::Url;

use portcullis::clock::OffsetClock;
use portcullis::config::Config;
use portcullis::state::AppState;
use portcullis::{provision, startup};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    SqliteMemory,
    PostgresRedis,
}

/// Generates one test per backend for each named `async fn name(Backend)`.
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite_memory {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::helpers::Backend::SqliteMemory).await } )*
        }
        mod postgres_redis {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::helpers::Backend::PostgresRedis).await } )*
        }
    };
}

pub const WEB_REDIRECT: &str = "http://127.0.0.1:9999/callback";
pub const SPA_REDIRECT: &str = "http://127.0.0.1:9999/spa";
pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub issuer: String,
    pub base: String,
    pub state: actix_web::web::Data<AppState>,
    pub clock: Arc<OffsetClock>,
    pub backend: Backend,
    pub database_url: String,
    pub redis_prefix: String,
    pub outbox: std::path::PathBuf,
}

fn postgres_base() -> String {
    std::env::var("PORTCULLIS_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn redis_url() -> String {
    std::env::var("PORTCULLIS_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A fresh, empty database for one test.
pub async fn fresh_database(backend: Backend) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    match backend {
        Backend::SqliteMemory => {
            let dir = std::env::temp_dir().join(format!("portcullis-test-{id}"));
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}/db.sqlite?mode=rwc", dir.display())
        }
        Backend::PostgresRedis => {
            use sea_orm::ConnectionTrait;
            let base = postgres_base();
            let admin = sea_orm::Database::connect(&base).await.expect("PostgreSQL for tests (scripts/test starts it)");
            let name = format!("pc_test_{id}");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
            let _ = admin.close().await;
            let mut url = Url::parse(&base).unwrap();
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        let database_url = fresh_database(backend).await;
        let prefix = format!("pc-test-{}:", uuid::Uuid::new_v4().simple());
        Self::spawn_on(backend, &database_url, &prefix, None, &redis_url()).await
    }

    /// On PostgreSQL with the given Redis.
    pub async fn spawn_with_redis(redis: &str) -> TestApp {
        let database_url = fresh_database(Backend::PostgresRedis).await;
        Self::spawn_on(Backend::PostgresRedis, &database_url, "pc-test:", None, redis).await
    }

    /// On `backend` with a fresh, empty database reached at `database_url` (for example
    /// through a proxy the test controls).
    pub async fn spawn_with_database(backend: Backend, database_url: &str) -> TestApp {
        let prefix = format!("pc-test-{}:", uuid::Uuid::new_v4().simple());
        Self::spawn_on(backend, database_url, &prefix, None, &redis_url()).await
    }

    /// Another node sharing this app's database, session store and public URL, as behind
    /// a load balancer. `base` is where this node itself listens.
    pub async fn second_node(&self) -> TestApp {
        Self::spawn_on(self.backend, &self.database_url, &self.redis_prefix, Some(&self.issuer_base()), &redis_url()).await
    }

    fn issuer_base(&self) -> String {
        self.issuer.trim_end_matches("/acme/shop").to_owned()
    }

    async fn spawn_on(backend: Backend, database_url: &str, prefix: &str, public: Option<&str>, redis: &str) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let localhost = public == Some(LOCALHOST);
        let base = if localhost { format!("{LOCALHOST}:{port}") } else { format!("http://127.0.0.1:{port}") };
        let provision = public.is_none() || localhost;
        let public = public.filter(|_| !localhost).map(str::to_owned).unwrap_or_else(|| base.clone());
        let redis = redis.to_owned();
        let outbox = std::env::temp_dir().join(format!("portcullis-outbox-{}", uuid::Uuid::new_v4().simple()));
        let outbox_c = outbox.display().to_string();
        let (db, base_c, prefix_c) = (database_url.to_owned(), public.clone(), prefix.to_owned());
        let env = move |k: &str| match k {
            "PORTCULLIS_DATABASE_URL" => Some(db.clone()),
            "PORTCULLIS_PUBLIC_URL" => Some(base_c.clone()),
            "PORTCULLIS_REDIS_URL" if backend == Backend::PostgresRedis => Some(redis.clone()),
            "PORTCULLIS_REDIS_PREFIX" => Some(prefix_c.clone()),
            "PORTCULLIS_ARGON2_CONCURRENCY" => Some("2".into()),
            "PORTCULLIS_OUTBOX_DIR" => Some(outbox_c.clone()),
            // Tests play clients at other addresses by sending X-Forwarded-For from here.
            "PORTCULLIS_TRUSTED_PROXIES" => Some("127.0.0.1".into()),
            _ => None,
        };
        let config = Config::from_env_map(&env).unwrap();
        let clock = Arc::new(OffsetClock::default());
        let state = startup::build_state(config, clock.clone()).await.unwrap();
        if provision {
            let file = provision::parse(include_str!("fixture.yaml")).unwrap();
            let plan = provision::prepare(&state, file, "fixture.yaml").await.unwrap();
            state.directory.apply(&plan).await.unwrap();
        }
        let running = startup::serve(state, listener, 1).unwrap();
        let state = running.state.clone();
        tokio::spawn(running.server);
        TestApp {
            issuer: format!("{public}/acme/shop"),
            base,
            state,
            clock,
            backend,
            database_url: database_url.to_owned(),
            redis_prefix: prefix.to_owned(),
            outbox,
        }
    }

    /// An endpoint of this node (which may differ from the issuer's host behind a balancer).
    pub fn url(&self, endpoint: &str) -> String {
        format!("{}/acme/shop/{endpoint}", self.base)
    }

    /// An endpoint of another workspace of tenant acme.
    pub fn ws_url(&self, workspace: &str, endpoint: &str) -> String {
        format!("{}/acme/{workspace}/{endpoint}", self.base)
    }

    /// An admin API URL.
    pub fn admin(&self, path: &str) -> String {
        format!("{}/api/admin/v1{path}", self.base)
    }

    /// The newest outbox message to `to` with `purpose`, waiting for it (delivery is
    /// asynchronous) up to a few seconds.
    pub async fn message(&self, to: &str, purpose: &str) -> portcullis::delivery::Message {
        for _ in 0..100 {
            let found = portcullis::delivery::read_outbox(&self.outbox).unwrap_or_default().into_iter().rev().find(|m| m.to == to && m.purpose == purpose);
            if let Some(m) = found {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no {purpose} message to {to} in {}", self.outbox.display());
    }

    /// Waits (delivery is asynchronous) until `n` outbox messages went to `to`, up to a few
    /// seconds; the caller asserts the count.
    pub async fn wait_for_messages(&self, to: &str, n: usize) {
        for _ in 0..100 {
            if self.messages_to(to) >= n {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// How many outbox messages went to `to`.
    pub fn messages_to(&self, to: &str) -> usize {
        portcullis::delivery::read_outbox(&self.outbox).unwrap_or_default().iter().filter(|m| m.to == to).count()
    }

    /// An access token of a client of workspace `club` by client_credentials.
    pub async fn client_token(&self, client_id: &str) -> String {
        let resp = http()
            .post(self.ws_url("club", "token"))
            .basic_auth(client_id, Some(format!("{client_id}-secret")))
            .form(&[("grant_type", "client_credentials"), ("scope", "admin")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "client_credentials for {client_id}");
        resp.json::<serde_json::Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
    }

    /// A user's access token with the admin scope, through the hosted pages of `club`.
    pub async fn user_token(&self, username: &str, password: &str) -> String {
        let browser = Browser::default();
        let (verifier, challenge) = pkce();
        let mut url = Url::parse(&self.ws_url("club", "authorize")).unwrap();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", "club-web")
            .append_pair("redirect_uri", CLUB_REDIRECT)
            .append_pair("scope", "openid admin")
            .append_pair("state", "s")
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        let back = browser.sign_in(url.as_str(), CLUB_REDIRECT, username, password, "allow").await;
        let code = query(&back, "code").unwrap_or_else(|| panic!("no code in {back}"));
        let resp = http()
            .post(self.ws_url("club", "token"))
            .basic_auth("club-web", Some("club-web-secret"))
            .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", CLUB_REDIRECT), ("code_verifier", &verifier)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json::<serde_json::Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
    }
}

pub const CLUB_REDIRECT: &str = "http://127.0.0.1:9999/club";

/// Admin API call: (status, JSON body).
pub async fn api(method: reqwest::Method, url: &str, token: &str, body: Option<serde_json::Value>) -> (u16, serde_json::Value) {
    let mut rb = http().request(method, url).bearer_auth(token);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let resp = rb.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}

/// A plain HTTP client that does not follow redirects (like an RP's back channel).
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

/// Where a browser ended up.
#[derive(Debug)]
pub enum Step {
    /// A redirect to the stop prefix: the relying party got its response.
    Arrived(Url),
    /// A page that is not a redirect.
    Page { url: Url, status: u16, html: String },
}

impl Step {
    pub fn arrived(self) -> Url {
        match self {
            Step::Arrived(u) => u,
            Step::Page { url, status, html } => panic!("expected a redirect back to the client, got {status} at {url}:\n{html}"),
        }
    }
    pub fn page(self) -> (u16, String) {
        match self {
            Step::Page { status, html, .. } => (status, html),
            Step::Arrived(u) => panic!("expected a page, got a redirect to {u}"),
        }
    }
}

pub fn query(url: &Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// A post form of a page: its action, hidden fields and submit buttons.
#[derive(Debug, Clone)]
pub struct Form {
    pub action: Url,
    pub fields: Vec<(String, String)>,
    #[allow(dead_code)]
    pub buttons: Vec<(String, String)>,
}

impl Form {
    pub fn parse(page: &Url, html: &str) -> Option<Form> {
        let doc = scraper::Html::parse_document(html);
        let form_sel = scraper::Selector::parse("form[method=post]").unwrap();
        let input_sel = scraper::Selector::parse("input").unwrap();
        let button_sel = scraper::Selector::parse("button[name]").unwrap();
        let form = doc.select(&form_sel).next()?;
        let action = page.join(form.value().attr("action").unwrap_or("")).ok()?;
        let mut fields = vec![];
        for i in form.select(&input_sel) {
            if let (Some(n), Some("hidden")) = (i.value().attr("name"), i.value().attr("type")) {
                fields.push((n.to_owned(), i.value().attr("value").unwrap_or("").to_owned()));
            }
        }
        let buttons = form.select(&button_sel).map(|b| (b.value().attr("name").unwrap_or("").to_owned(), b.value().attr("value").unwrap_or("").to_owned())).collect();
        Some(Form { action, fields, buttons })
    }

    /// The `data-page` attribute of the page's body: which hosted page this is.
    pub fn page_id(html: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(html);
        let body = scraper::Selector::parse("body[data-page]").unwrap();
        doc.select(&body).next().and_then(|b| b.value().attr("data-page")).map(str::to_owned)
    }
}

/// A browser: a cookie jar that follows redirects by hand and fills the hosted forms.
pub struct Browser {
    pub http: reqwest::Client,
}

impl Default for Browser {
    fn default() -> Self {
        Self { http: reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap() }
    }
}

impl Browser {
    /// A browser at another network address (behind the trusted proxy the tests play).
    pub fn at(ip: &str) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", ip.parse().unwrap());
        Self { http: reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).default_headers(headers).build().unwrap() }
    }
}

impl Browser {
    pub async fn follow(&self, url: &str, stop: &str) -> Step {
        self.request(reqwest::Method::GET, Url::parse(url).unwrap(), None, stop).await
    }

    pub async fn submit(&self, form: &Form, extra: &[(&str, &str)], stop: &str) -> Step {
        let mut fields = form.fields.clone();
        fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self.request(reqwest::Method::POST, form.action.clone(), Some(fields), stop).await
    }

    async fn request(&self, method: reqwest::Method, mut url: Url, mut form: Option<Vec<(String, String)>>, stop: &str) -> Step {
        let mut method = method;
        for _ in 0..10 {
            let mut rb = self.http.request(method.clone(), url.clone());
            if let Some(f) = &form {
                rb = rb.form(f);
            }
            let resp = rb.send().await.unwrap();
            let status = resp.status();
            if status.is_redirection() {
                let loc = resp.headers().get("location").unwrap().to_str().unwrap().to_owned();
                let next = url.join(&loc).unwrap();
                if next.as_str().starts_with(stop) {
                    return Step::Arrived(next);
                }
                url = next;
                method = reqwest::Method::GET;
                form = None;
                continue;
            }
            return Step::Page { url, status: status.as_u16(), html: resp.text().await.unwrap() };
        }
        panic!("too many redirects");
    }

    /// Signs in on the hosted pages (and answers consent) until redirected to `stop`.
    pub async fn sign_in(&self, authorize_url: &str, stop: &str, username: &str, password: &str, decision: &str) -> Url {
        let mut step = self.follow(authorize_url, stop).await;
        for _ in 0..4 {
            let (url, html) = match step {
                Step::Arrived(u) => return u,
                Step::Page { url, status, html } => {
                    assert_eq!(status, 200, "unexpected page at {url}: {html}");
                    (url, html)
                }
            };
            let form = Form::parse(&url, &html).unwrap_or_else(|| panic!("no form at {url}: {html}"));
            step = match Form::page_id(&html).as_deref() {
                Some("login") => self.submit(&form, &[("username", username), ("password", password)], stop).await,
                Some("consent") => self.submit(&form, &[("decision", decision)], stop).await,
                other => panic!("sign_in does not know the page {other:?} at {url}: {html}"),
            };
        }
        step.arrived()
    }
}

impl Browser {
    /// Opens an authorization URL that must show a page with a form: (page URL, HTML, form).
    pub async fn first_form(&self, authorize_url: &str, stop: &str) -> (Url, String, Form) {
        match self.follow(authorize_url, stop).await {
            Step::Page { url, html, .. } => {
                let form = Form::parse(&url, &html).unwrap_or_else(|| panic!("no form at {url}: {html}"));
                (url, html, form)
            }
            other => panic!("expected a page with a form, got {other:?}"),
        }
    }
}

/// PKCE verifier and S256 challenge.
pub fn pkce() -> (String, String) {
    use base64::Engine;
    use sha2::Digest;
    let verifier = portcullis::storage::random_token(48);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// An authorization URL built by hand, for the negative tests.
pub fn authorize_url(app: &TestApp, client_id: &str, redirect: &str, extra: &[(&str, &str)]) -> String {
    // The hosted pages link relative to the node, so the flow stays on `app`.
    let mut url = Url::parse(&app.url("authorize")).unwrap();
    let defaults = [("response_type", "code"), ("client_id", client_id), ("redirect_uri", redirect), ("scope", "openid profile email"), ("state", "st4te"), ("nonce", "n0nce")];
    // `extra` replaces a default of the same name.
    for (k, v) in defaults.iter().filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)).chain(extra) {
        url.query_pairs_mut().append_pair(k, v);
    }
    url.to_string()
}

/// Token request by hand: returns status and JSON body.
pub async fn token(app: &TestApp, basic: Option<(&str, &str)>, form: &[(&str, &str)]) -> (u16, serde_json::Value, reqwest::header::HeaderMap) {
    let mut rb = http().post(app.url("token")).form(form);
    if let Some((id, secret)) = basic {
        rb = rb.basic_auth(id, Some(secret));
    }
    let resp = rb.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, resp.json().await.unwrap_or(serde_json::Value::Null), headers)
}

/// A code for `client_id` by signing in as alice.
pub async fn code_for(app: &TestApp, browser: &Browser, client_id: &str, redirect: &str, extra: &[(&str, &str)]) -> String {
    let url = browser.sign_in(&authorize_url(app, client_id, redirect, extra), redirect, "alice", PASSWORD, "allow").await;
    query(&url, "code").unwrap_or_else(|| panic!("no code in {url}"))
}

/// A Redis of our own, so the test can take it away and bring it back.
pub struct OwnRedis {
    pub port: u16,
    child: std::process::Child,
}

impl OwnRedis {
    pub fn start(port: u16) -> OwnRedis {
        let child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server on PATH (scripts/test installs it)");
        std::thread::sleep(std::time::Duration::from_millis(300));
        OwnRedis { port, child }
    }
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

// ---- lead: a browser that also passes the factor pages (DESIGN.md "Sign-in engine" page contract) ----

/// What a test user holds besides the password, filled in as the pages show it.
#[derive(Debug, Default, Clone)]
pub struct Held {
    /// The TOTP secret (base32), from `data-totp-secret` at enrolment or given by the test.
    pub totp_secret: Option<String>,
    /// Recovery codes, from `data-recovery-code` when they are shown.
    pub recovery_codes: Vec<String>,
    /// The factor to pick on a factor choice page (else the first offered).
    pub choose: Option<String>,
    /// Pages passed, in order (their `data-page`), for the test to assert on.
    pub seen: Vec<String>,
}

/// The TOTP code (RFC 6238, SHA-1, 6 digits, 30 s) of a base32 secret at `time`.
pub fn totp_code(secret: &str, time: i64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned()).to_bytes().expect("a base32 secret");
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes).generate(time as u64)
}

/// The values of attribute `attr` of every element that has it.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!("[{attr}]")).unwrap();
    doc.select(&sel).map(|e| {
        let v = e.value().attr(attr).unwrap_or("");
        if v.is_empty() { e.text().collect::<String>().trim().to_owned() } else { v.to_owned() }
    }).collect()
}

impl Browser {
    /// Signs in on the hosted pages, passing whatever factor pages the flow shows with
    /// what `held` holds (enrolling TOTP when asked, keeping the recovery codes shown),
    /// and answers consent with allow, until redirected to `stop`.
    pub async fn sign_in_mfa(&self, app: &TestApp, authorize_url: &str, stop: &str, username: &str, password: &str, held: &mut Held) -> Url {
        use portcullis::clock::Clock;
        let mut step = self.follow(authorize_url, stop).await;
        for _ in 0..10 {
            let (url, html) = match step {
                Step::Arrived(u) => return u,
                Step::Page { url, status, html } => {
                    assert_eq!(status, 200, "unexpected page at {url}: {html}");
                    (url, html)
                }
            };
            let form = Form::parse(&url, &html).unwrap_or_else(|| panic!("no form at {url}: {html}"));
            let page = Form::page_id(&html).unwrap_or_default();
            held.seen.push(page.clone());
            let now = app.clock.now();
            step = match page.as_str() {
                "login" => self.submit(&form, &[("username", username), ("password", password)], stop).await,
                "consent" => self.submit(&form, &[("decision", "allow")], stop).await,
                "factor" => {
                    let offered: Vec<String> = form.buttons.iter().filter(|(n, _)| n == "factor").map(|(_, v)| v.clone()).collect();
                    let pick = held.choose.clone().filter(|c| offered.contains(c)).or_else(|| offered.first().cloned()).unwrap_or_else(|| panic!("no factor offered at {url}: {html}"));
                    self.submit(&form, &[("factor", &pick)], stop).await
                }
                "enrol-totp" => {
                    let secret = attr_values(&html, "data-totp-secret").into_iter().next().expect("data-totp-secret");
                    held.totp_secret = Some(secret.clone());
                    self.submit(&form, &[("code", &totp_code(&secret, now))], stop).await
                }
                "totp" => {
                    let secret = held.totp_secret.clone().expect("a TOTP secret");
                    self.submit(&form, &[("code", &totp_code(&secret, now))], stop).await
                }
                "recovery-codes" => {
                    let shown = attr_values(&html, "data-recovery-code");
                    if !shown.is_empty() {
                        held.recovery_codes = shown;
                    }
                    self.submit(&form, &[], stop).await
                }
                "recovery-code" => {
                    let code = held.recovery_codes.pop().expect("a recovery code");
                    self.submit(&form, &[("code", &code)], stop).await
                }
                other => panic!("sign_in_mfa does not know the page {other:?} at {url}: {html}"),
            };
        }
        step.arrived()
    }
}

impl TestApp {
    /// Applies a further provisioning document (YAML) to this app, as `portcullis apply`
    /// would: tests that need their own pools, workspaces or clients add them this way
    /// instead of growing the shared fixture.
    pub async fn provision(&self, yaml: &str) {
        let file = provision::parse(yaml).unwrap();
        let plan = provision::prepare(&self.state, file, "test.yaml").await.unwrap();
        provision::apply(&self.state, &plan).await.unwrap();
    }

    /// The ID token's claims of a token response (not verified: the flows tests do that).
    pub fn id_token_claims(token_response: &serde_json::Value) -> serde_json::Value {
        use base64::Engine;
        let jwt = token_response["id_token"].as_str().expect("an id_token");
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap()
    }
}

// ---- helper W (passkeys) ----

/// Passed as the public URL to `spawn_on`: this node at `http://localhost:{port}`, as
/// WebAuthn needs (browsers and authenticators refuse IP addresses as RP IDs).
const LOCALHOST: &str = "http://localhost";

impl TestApp {
    /// A fresh app whose public URL (and so its WebAuthn origin and RP ID) is
    /// `http://localhost:{port}`, provisioned like `spawn`.
    pub async fn spawn_localhost(backend: Backend) -> TestApp {
        let database_url = fresh_database(backend).await;
        let prefix = format!("pc-test-{}:", uuid::Uuid::new_v4().simple());
        Self::spawn_on(backend, &database_url, &prefix, Some(LOCALHOST), &redis_url()).await
    }
}
