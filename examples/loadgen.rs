//! Load example: how close the token endpoint and the sign-in form come to the raw cost of
//! the cryptography they cannot avoid.
//!
//! ```sh
//! cargo run --release --example loadgen
//! LOADGEN_SECONDS=3 cargo run --release --example loadgen   # or: -- --seconds 3
//! ```
//!
//! In one run it measures, on one thread each, (a) ES256 signing with josekit and (b)
//! argon2id hashing with the server's parameters; then it starts a real Portcullis server
//! in-process (one HTTP worker, a fresh SQLite database in a temporary directory, the
//! `examples/acme.yaml` tenant) and drives it from a separate single-threaded runtime with
//! (c) client_credentials grants and (d) full password sign-ins (GET /authorize with PKCE
//! for the public client shop-spa → the login page → POST the form → 302 with a code).
//! Each endpoint's rate is printed as a multiple of its raw limit: a client_credentials
//! grant signs one ES256 access token, a sign-in verifies one argon2id hash.
//!
//! Settings: `LOADGEN_SECONDS` (or `--seconds N`) makes every phase last N seconds instead
//! of 2 s (ES256), 3 s (argon2id), 5 s (client_credentials) and 8 s (sign-in);
//! `LOADGEN_CC_TASKS` (default 32) and `LOADGEN_SIGNIN_TASKS` (default 8) set the number of
//! concurrent requests; `LOADGEN_ARGON2_CONCURRENCY` (default 1) the server's bound on
//! concurrent hashes, so that the sign-in rate compares with hashing on one thread.
//! Everything listens and connects on 127.0.0.1 only.
#![allow(clippy::disallowed_methods, reason = "a benchmark measures elapsed time on the machine's clock")]
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::{Duration, Instant};

use portcullis::storage::{SigningAlg, random_token};

const REDIRECT_URI: &str = "http://127.0.0.1:9999/spa";
const ACME: &str = include_str!("acme.yaml");

type Error = Box<dyn std::error::Error + Send + Sync>;

struct Settings {
    seconds: Option<u64>,
    cc_tasks: usize,
    signin_tasks: usize,
    argon2_concurrency: usize,
}

impl Settings {
    fn from_env_and_args() -> Result<Self, Error> {
        let env_num = |k: &str, default: u64| -> Result<u64, Error> {
            match std::env::var(k) {
                Ok(v) => v.parse().map_err(|_| format!("{k}: not a whole number: {v}").into()),
                Err(_) => Ok(default),
            }
        };
        let mut seconds = std::env::var("LOADGEN_SECONDS").ok().map(|_| env_num("LOADGEN_SECONDS", 0)).transpose()?;
        let args: Vec<String> = std::env::args().skip(1).collect();
        match args.as_slice() {
            [] => {}
            [flag, n] if flag == "--seconds" => seconds = Some(n.parse().map_err(|_| format!("--seconds: not a whole number: {n}"))?),
            _ => return Err("usage: loadgen [--seconds N]".into()),
        }
        Ok(Self {
            seconds: seconds.filter(|s| *s > 0),
            cc_tasks: env_num("LOADGEN_CC_TASKS", 32)?.max(1) as usize,
            signin_tasks: env_num("LOADGEN_SIGNIN_TASKS", 8)?.max(1) as usize,
            argon2_concurrency: env_num("LOADGEN_ARGON2_CONCURRENCY", 1)?.max(1) as usize,
        })
    }

    fn phase(&self, default: u64) -> Duration {
        Duration::from_secs(self.seconds.unwrap_or(default))
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("loadgen: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Error> {
    let s = Settings::from_env_and_args()?;
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("loadgen: {cpus} CPU(s); server and load client share them");

    let es256 = raw_es256(s.phase(2))?;
    println!("raw ES256 signing (josekit, 1 thread): {}/s", rate(es256));
    let argon2 = raw_argon2id(s.phase(3))?;
    println!("raw argon2id hashing (m=19 MiB, t=2, p=1, 1 thread): {}/s", rate(argon2));

    let dir = std::env::temp_dir().join(format!("portcullis-loadgen-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let result = with_server(&dir, &s, es256, argon2);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Signs a small claims set with a fresh ES256 key for `d`; signatures per second.
fn raw_es256(d: Duration) -> Result<f64, Error> {
    let key = portcullis::keys::generate(SigningAlg::ES256, 0)?;
    let signer = josekit::jws::ES256.signer_from_pem(&key.private_pem)?;
    let mut header = josekit::jws::JwsHeader::new();
    header.set_token_type("at+jwt");
    header.set_key_id(key.kid.clone());
    let payload = serde_json::json!({
        "iss": "http://127.0.0.1:8080/acme/shop", "sub": "shop-web", "aud": "shop-web", "client_id": "shop-web",
        "scope": "profile email", "iat": 1_700_000_000, "exp": 1_700_000_600, "jti": "0123456789abcdef",
    })
    .to_string();
    let (mut n, start) = (0u64, Instant::now());
    while start.elapsed() < d {
        std::hint::black_box(josekit::jws::serialize_compact(payload.as_bytes(), &header, &signer)?);
        n += 1;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// Hashes with the server's argon2id parameters for `d`; hashes per second.
fn raw_argon2id(d: Duration) -> Result<f64, Error> {
    let params = argon2::Params::new(19 * 1024, 2, 1, None).map_err(|e| e.to_string())?;
    let (mut n, start) = (0u64, Instant::now());
    while start.elapsed() < d {
        std::hint::black_box(portcullis::identity::password::hash_with(&params, "pw")?);
        n += 1;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// Starts the server on its own thread and runtime; returns its port and a stop handle.
fn start_server(dir: &std::path::Path, argon2_concurrency: usize) -> Result<(u16, actix_web::dev::ServerHandle, std::thread::JoinHandle<()>), Error> {
    let env: Vec<(&str, String)> = vec![
        ("PORTCULLIS_DATABASE_URL", format!("sqlite://{}/lg.db?mode=rwc", dir.display())),
        ("PORTCULLIS_OUTBOX_DIR", dir.join("outbox").display().to_string()),
        ("PORTCULLIS_WORKERS", "1".into()),
        ("PORTCULLIS_ARGON2_CONCURRENCY", argon2_concurrency.to_string()),
    ];
    let config = portcullis::config::Config::from_env_map(&|k| env.iter().find(|(name, _)| *name == k).map(|(_, v)| v.clone()))?;
    let (tx, rx) = std::sync::mpsc::channel::<Result<(u16, actix_web::dev::ServerHandle), String>>();
    let thread = std::thread::spawn(move || {
        let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => rt,
            Err(e) => {
                let _ = tx.send(Err(e.to_string()));
                return;
            }
        };
        rt.block_on(async move {
            let running = async {
                let state = portcullis::startup::build_state(config, Arc::new(portcullis::clock::SystemClock)).await?;
                let parsed = portcullis::provision::parse(ACME)?;
                let plan = portcullis::provision::prepare(&state, parsed, "acme.yaml").await?;
                state.directory.apply(&plan).await?;
                let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
                Ok::<_, Error>(portcullis::startup::serve(state, listener, 1)?)
            }
            .await;
            match running {
                Ok(running) => {
                    let _ = tx.send(Ok((running.port, running.server.handle())));
                    if let Err(e) = running.server.await {
                        eprintln!("loadgen: server: {e}");
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                }
            }
        });
    });
    let (port, handle) = rx.recv().map_err(|_| "the server thread ended before starting")??;
    Ok((port, handle, thread))
}

fn with_server(dir: &std::path::Path, s: &Settings, es256: f64, argon2: f64) -> Result<(), Error> {
    let (port, handle, thread) = start_server(dir, s.argon2_concurrency)?;
    let base = format!("http://127.0.0.1:{port}");
    println!("server: {base}/acme/shop, 1 worker, argon2 concurrency {}", s.argon2_concurrency);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let outcome = rt.block_on(async {
        // One of each first: a broken setup fails here, clearly, not as a rate of zero.
        let cc = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        client_credentials(&cc, &base).await.map_err(|e| format!("client_credentials warm-up: {e}"))?;
        sign_in(&browser()?, &base).await.map_err(|e| format!("sign-in warm-up: {e}"))?;

        let cc_run = load(s.cc_tasks, s.phase(5), {
            let base = base.clone();
            move || {
                let (cc, base) = (cc.clone(), base.clone());
                async move { client_credentials(&cc, &base).await }
            }
        })
        .await;
        println!("client_credentials ({} concurrent): {}", s.cc_tasks, cc_run.summary());

        let mut browsers = Vec::new();
        for _ in 0..s.signin_tasks {
            browsers.push(browser()?);
        }
        let signin_run = load_each(browsers, s.phase(8), {
            let base = base.clone();
            move |b: reqwest::Client| {
                let base = base.clone();
                async move { sign_in(&b, &base).await }
            }
        })
        .await;
        println!("password sign-in ({} concurrent): {}", s.signin_tasks, signin_run.summary());
        handle.stop(true).await;
        Ok::<_, Error>((cc_run, signin_run))
    });
    let _ = thread.join();
    let (cc_run, signin_run) = outcome?;

    println!();
    report("client_credentials", cc_run.rate(), "raw ES256 signing", es256, 0.6);
    report("password sign-in", signin_run.rate(), "raw argon2id", argon2, 0.9);
    Ok(())
}

fn report(name: &str, rate_per_s: f64, raw_name: &str, raw: f64, target: f64) {
    let ratio = rate_per_s / raw;
    let verdict = if ratio >= target { "met" } else { "NOT met" };
    println!("{name}: {}/s = {ratio:.2} x {raw_name} ({}/s); target >= {target} x: {verdict}", rate(rate_per_s), rate(raw));
}

fn rate(r: f64) -> String {
    if r >= 100.0 { format!("{r:.0}") } else { format!("{r:.1}") }
}

/// One client_credentials grant with client_secret_basic.
async fn client_credentials(http: &reqwest::Client, base: &str) -> Result<(), String> {
    let resp = http
        .post(format!("{base}/acme/shop/token"))
        .basic_auth("shop-web", Some("shop-web-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = resp.status();
    let body = resp.bytes().await.map_err(|e| e.to_string())?;
    if status != reqwest::StatusCode::OK || !body.starts_with(b"{") {
        return Err(format!("token endpoint answered {status}: {}", String::from_utf8_lossy(&body)));
    }
    Ok(())
}

/// A browser: its own cookie jar, redirects left to the caller.
fn browser() -> Result<reqwest::Client, Error> {
    Ok(reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?)
}

/// One full sign-in. `prompt=login` makes the browser sign in again although its previous
/// sign-in left a single sign-on session.
async fn sign_in(http: &reqwest::Client, base: &str) -> Result<(), String> {
    let verifier = random_token(32);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let state = random_token(16);
    let mut authorize = url::Url::parse(&format!("{base}/acme/shop/authorize")).map_err(|e| e.to_string())?;
    authorize
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", "shop-spa")
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("scope", "openid profile email")
        .append_pair("state", &state)
        .append_pair("nonce", &random_token(16))
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("prompt", "login");
    let resp = http.get(authorize.as_str()).send().await.map_err(|e| e.to_string())?;
    let login = location(&authorize, &resp, reqwest::StatusCode::SEE_OTHER, "authorize")?;
    let resp = http.get(login.as_str()).send().await.map_err(|e| e.to_string())?;
    if resp.status() != reqwest::StatusCode::OK {
        return Err(format!("login page answered {}", resp.status()));
    }
    let html = resp.text().await.map_err(|e| e.to_string())?;
    let (action, mut fields) = login_form(&html)?;
    fields.push(("username".into(), "alice".into()));
    fields.push(("password".into(), "correct horse battery".into()));
    let post = login.join(&action).map_err(|e| e.to_string())?;
    let resp = http.post(post.as_str()).form(&fields).send().await.map_err(|e| e.to_string())?;
    let back = location(&post, &resp, reqwest::StatusCode::FOUND, "login")?;
    let query = |name: &str| back.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    if !back.as_str().starts_with(REDIRECT_URI) || query("code").is_none() || query("state").as_deref() != Some(state.as_str()) {
        return Err(format!("unexpected redirect after sign-in: {back}"));
    }
    Ok(())
}

/// The absolute `Location` of a redirect with the expected status.
fn location(from: &url::Url, resp: &reqwest::Response, expected: reqwest::StatusCode, step: &str) -> Result<url::Url, String> {
    if resp.status() != expected {
        return Err(format!("{step} answered {} instead of {expected}", resp.status()));
    }
    let loc = resp.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).ok_or(format!("{step}: no Location"))?;
    from.join(loc).map_err(|e| format!("{step}: bad Location {loc}: {e}"))
}

/// The sign-in form's action and hidden fields (`flow`, `csrf`, ...).
fn login_form(html: &str) -> Result<(String, Vec<(String, String)>), String> {
    let doc = scraper::Html::parse_document(html);
    let form_sel = scraper::Selector::parse("form[method=post]").map_err(|e| e.to_string())?;
    let hidden_sel = scraper::Selector::parse("input[type=hidden]").map_err(|e| e.to_string())?;
    let form = doc.select(&form_sel).next().ok_or("the login page has no form")?;
    let action = form.value().attr("action").unwrap_or("").to_owned();
    let fields: Vec<(String, String)> = form
        .select(&hidden_sel)
        .filter_map(|i| Some((i.value().attr("name")?.to_owned(), i.value().attr("value").unwrap_or("").to_owned())))
        .collect();
    for needed in ["flow", "csrf"] {
        if !fields.iter().any(|(k, _)| k == needed) {
            return Err(format!("the login form has no {needed} field"));
        }
    }
    Ok((action, fields))
}

/// Outcome of one load phase.
#[derive(Default)]
struct Run {
    ok: u64,
    errors: u64,
    first_error: Option<String>,
    elapsed: Duration,
}

impl Run {
    fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn summary(&self) -> String {
        let mut s = format!("{}/s ({} ok, {} errors in {:.1} s)", rate(self.rate()), self.ok, self.errors, self.elapsed.as_secs_f64());
        if let Some(e) = &self.first_error {
            s.push_str(&format!("; first error: {e}"));
        }
        s
    }
}

/// `tasks` concurrent loops of `op` for `d`.
async fn load<F, Fut>(tasks: usize, d: Duration, op: F) -> Run
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    load_each(vec![(); tasks], d, move |()| op()).await
}

/// One loop a context (a client, a browser), each calling `op` until `d` has passed.
async fn load_each<C, F, Fut>(contexts: Vec<C>, d: Duration, op: F) -> Run
where
    C: Clone + Send + 'static,
    F: Fn(C) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    let start = Instant::now();
    let deadline = start + d;
    let handles: Vec<_> = contexts
        .into_iter()
        .map(|ctx| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut run = Run::default();
                while Instant::now() < deadline {
                    match op(ctx.clone()).await {
                        Ok(()) => run.ok += 1,
                        Err(e) => {
                            run.errors += 1;
                            run.first_error.get_or_insert(e);
                        }
                    }
                }
                run
            })
        })
        .collect();
    let mut total = Run::default();
    for h in handles {
        match h.await {
            Ok(r) => {
                total.ok += r.ok;
                total.errors += r.errors;
                if total.first_error.is_none() {
                    total.first_error = r.first_error;
                }
            }
            Err(e) => {
                total.errors += 1;
                total.first_error.get_or_insert(e.to_string());
            }
        }
    }
    total.elapsed = start.elapsed();
    total
}
