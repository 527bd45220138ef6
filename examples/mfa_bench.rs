//! Password + TOTP sign-ins per second beside password-only sign-ins, in the same run,
//! through the real server (HTTP, engine, stores), and what the TOTP check costs beside
//! the argon2 verification of the password.
//!
//! ```sh
//! cargo run --example mfa_bench                  # 40 sign-ins of each kind
//! MFA_BENCH_SIGNINS=100 cargo run --example mfa_bench
//! ```
//!
//! It starts a server in-process (a fresh SQLite database and key file in a temporary
//! directory, in-memory session store) with two workspaces: `plain` (pool `mfa: off`) and
//! `mfa` (pool `mfa: required, factors: [totp]`), one user each per sign-in of a round,
//! enrols the TOTP users through the pages, then alternates rounds of password-only and
//! password + TOTP sign-ins, each a fresh browser going `/authorize → login → (totp) →
//! redirect with a code`. The injected clock moves 30 s between rounds, so every TOTP
//! sign-in uses a fresh code. Then, in-process, the TOTP check's own work (unsealing the
//! seed with AES-256-GCM, three HMAC-SHA1 codes) against one argon2 verification.
#![allow(clippy::disallowed_methods, reason = "a benchmark measures elapsed time on the machine's clock")]
use std::sync::Arc;
use std::time::{Duration, Instant};

use portcullis::clock::{Clock, OffsetClock};

type Error = Box<dyn std::error::Error + Send + Sync>;

const REDIRECT_URI: &str = "http://127.0.0.1:9999/callback";
const PASSWORD: &str = "benchmark password 1";

fn main() {
    if let Err(e) = run() {
        eprintln!("mfa_bench: {e}");
        std::process::exit(1);
    }
}

fn tenant(users: usize) -> String {
    let mut yaml = String::from("tenants:\n  - id: t\n    pools:\n");
    for (pool, mfa) in [("plain", "off"), ("mfa", "required")] {
        yaml.push_str(&format!("      - id: {pool}\n        password_policy: {{ min_length: 10 }}\n        mfa: {{ policy: {mfa}, factors: [totp] }}\n        users:\n"));
        for i in 0..users {
            yaml.push_str(&format!("          - {{ username: {pool}{i}, password: \"{PASSWORD}\" }}\n"));
        }
    }
    yaml.push_str("    workspaces:\n");
    for ws in ["plain", "mfa"] {
        yaml.push_str(&format!(
            "      - id: {ws}\n        pools: [{ws}]\n        clients:\n          - {{ client_id: web, client_secret: web-client-secret, redirect_uris: [\"{REDIRECT_URI}\"], grant_types: [authorization_code], scopes: [openid], consent: implicit }}\n"
        ));
    }
    yaml
}

fn run() -> Result<(), Error> {
    let n: usize = std::env::var("MFA_BENCH_SIGNINS").ok().map(|v| v.parse()).transpose()?.unwrap_or(40).max(4);
    let dir = std::env::temp_dir().join(format!("portcullis-mfa-bench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(&dir, n);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Users per round; rounds = n / USERS.
const USERS: usize = 10;

fn measure(dir: &std::path::Path, n: usize) -> Result<(), Error> {
    let env = [
        ("PORTCULLIS_DATABASE_URL", format!("sqlite://{}/bench.db?mode=rwc", dir.display())),
        ("PORTCULLIS_OUTBOX_DIR", dir.join("outbox").display().to_string()),
        ("PORTCULLIS_TOTP_KEY_FILE", dir.join("totp.key").display().to_string()),
    ];
    let config = portcullis::config::Config::from_env_map(&|k| env.iter().find(|(name, _)| *name == k).map(|(_, v)| v.clone()))?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(async move {
        let clock = Arc::new(OffsetClock::default());
        let state = portcullis::startup::build_state(config, clock.clone()).await?;
        let plan = portcullis::provision::prepare(&state, portcullis::provision::parse(&tenant(USERS))?, "bench.yaml").await?;
        state.directory.apply(&plan).await?;
        let running = portcullis::startup::serve(state, std::net::TcpListener::bind("127.0.0.1:0")?, 1)?;
        let base = format!("http://127.0.0.1:{}", running.port);
        let app = running.state.clone();
        let handle = running.server.handle();
        tokio::spawn(running.server);

        // Enrol every TOTP user once (not measured).
        let mut secrets = vec![];
        for i in 0..USERS {
            secrets.push(enrol(&base, &format!("mfa{i}"), clock.as_ref()).await?);
        }
        let rounds = n.div_ceil(USERS);
        let (mut plain, mut mfa) = (Duration::ZERO, Duration::ZERO);
        let (mut plain_login, mut mfa_login, mut totp_step) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        for _ in 0..rounds {
            clock.advance(30);
            for (i, secret) in secrets.iter().enumerate() {
                let t = sign_in(&base, "plain", &format!("plain{i}"), None, clock.as_ref()).await?;
                plain += t.total;
                plain_login += t.login;
                let t = sign_in(&base, "mfa", &format!("mfa{i}"), Some(secret), clock.as_ref()).await?;
                mfa += t.total;
                mfa_login += t.login;
                totp_step += t.totp;
            }
        }
        handle.stop(true).await;
        let count = (rounds * USERS) as f64;
        println!("{} sign-ins of each kind, one at a time, debug build, through HTTP:", rounds * USERS);
        println!("  password only:   {:7.1} sign-ins/s  (mean {:?}; of it the password POST {:?})", count / plain.as_secs_f64(), plain / count as u32, plain_login / count as u32);
        println!("  password + TOTP: {:7.1} sign-ins/s  (mean {:?}; password POST {:?}, TOTP page + POST {:?})", count / mfa.as_secs_f64(), mfa / count as u32, mfa_login / count as u32, totp_step / count as u32);
        println!("  TOTP step (page and POST, HTTP and stores included) / password POST: {:.1} %", 100.0 * totp_step.as_secs_f64() / mfa_login.as_secs_f64());

        // The TOTP check's own work beside one argon2 verification.
        let keys = &app.secrets;
        let seed = portcullis::auth::factors::totp::new_seed();
        let sealed = keys.seal(&seed, "totp|t|u")?;
        let code = "123456";
        let reps = 2_000u32;
        let started = Instant::now();
        for _ in 0..reps {
            let s = keys.open(&sealed, "totp|t|u")?;
            std::hint::black_box(portcullis::auth::factors::totp::matching_step(&s, code, clock.now())?);
        }
        let totp_check = started.elapsed() / reps;
        let phc = app.hasher.hash(PASSWORD).await?;
        let started = Instant::now();
        for _ in 0..10 {
            std::hint::black_box(app.hasher.verify(PASSWORD, &phc).await?);
        }
        let argon2 = started.elapsed() / 10;
        println!("in-process: TOTP check (unseal + 3 codes) {totp_check:?}, argon2 verification {argon2:?}: TOTP = {:.3} % of the argon2 work", 100.0 * totp_check.as_secs_f64() / argon2.as_secs_f64());
        Ok::<_, Error>(())
    })
}

struct Timing {
    total: Duration,
    login: Duration,
    totp: Duration,
}

fn code_at(secret: &str, t: i64) -> Result<String, Error> {
    let seed = totp_rs::Secret::Encoded(secret.to_owned()).to_bytes().map_err(|e| format!("{e:?}"))?;
    Ok(totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, seed)?.generate(t as u64))
}

/// A browser without automatic redirects: follows them by hand, stops at the client.
struct Browser {
    http: reqwest::Client,
}

impl Browser {
    fn new() -> Result<Browser, Error> {
        Ok(Browser { http: reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()? })
    }

    /// GET or POST, then redirects until a page (Ok((url, html))) or the client (Err(url)).
    async fn go(&self, mut url: url::Url, mut form: Option<Vec<(String, String)>>) -> Result<Result<(url::Url, String), url::Url>, Error> {
        for _ in 0..10 {
            let resp = match form.take() {
                Some(f) => self.http.post(url.as_str()).form(&f).send().await?,
                None => self.http.get(url.as_str()).send().await?,
            };
            if resp.status().is_redirection() {
                let next = url.join(resp.headers().get("location").ok_or("no location")?.to_str()?)?;
                if next.as_str().starts_with(REDIRECT_URI) {
                    return Ok(Err(next));
                }
                url = next;
                continue;
            }
            if !resp.status().is_success() {
                return Err(format!("{url} answered {}", resp.status()).into());
            }
            return Ok(Ok((url, resp.text().await?)));
        }
        Err("too many redirects".into())
    }
}

fn page_id(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("body[data-page]").map(|s| doc.select(&s).next().and_then(|b| b.value().attr("data-page")).map(str::to_owned));
    sel.ok().flatten().unwrap_or_default()
}

/// The first POST form's action (joined to `url`) and hidden fields, plus `extra`.
fn form(url: &url::Url, html: &str, extra: &[(&str, &str)]) -> Result<(url::Url, Vec<(String, String)>), Error> {
    let doc = scraper::Html::parse_document(html);
    let form_sel = scraper::Selector::parse("form[method=post]").map_err(|e| e.to_string())?;
    let hidden_sel = scraper::Selector::parse("input[type=hidden]").map_err(|e| e.to_string())?;
    let form = doc.select(&form_sel).next().ok_or("the page has no form")?;
    let action = url.join(form.value().attr("action").unwrap_or(""))?;
    let mut fields: Vec<(String, String)> = form
        .select(&hidden_sel)
        .filter_map(|i| Some((i.value().attr("name")?.to_owned(), i.value().attr("value").unwrap_or("").to_owned())))
        .collect();
    fields.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    Ok((action, fields))
}

fn authorize(base: &str, ws: &str) -> Result<url::Url, Error> {
    let mut u = url::Url::parse(&format!("{base}/t/{ws}/authorize"))?;
    u.query_pairs_mut().append_pair("response_type", "code").append_pair("client_id", "web").append_pair("redirect_uri", REDIRECT_URI).append_pair("scope", "openid").append_pair("state", "s");
    Ok(u)
}

/// Signs `user` in with the password, and a TOTP code of `secret` when given.
async fn sign_in(base: &str, ws: &str, user: &str, secret: Option<&String>, clock: &OffsetClock) -> Result<Timing, Error> {
    let b = Browser::new()?;
    let started = Instant::now();
    let (url, html) = b.go(authorize(base, ws)?, None).await?.map_err(|u| format!("arrived early at {u}"))?;
    let (action, fields) = form(&url, &html, &[("username", user), ("password", PASSWORD)])?;
    let login_started = Instant::now();
    let after = b.go(action, Some(fields)).await?;
    let login = login_started.elapsed();
    let totp_started = Instant::now();
    match (after, secret) {
        (Err(_), None) => return Ok(Timing { total: started.elapsed(), login, totp: Duration::ZERO }),
        (Ok((url, html)), Some(secret)) if page_id(&html) == "totp" => {
            let code = code_at(secret, clock.now())?;
            let (action, fields) = form(&url, &html, &[("code", &code)])?;
            b.go(action, Some(fields)).await?.err().ok_or("the TOTP code was refused")?;
        }
        (Ok((_, html)), _) => return Err(format!("{user}: unexpected page {}", page_id(&html)).into()),
        (Err(u), Some(_)) => return Err(format!("{user}: arrived at {u} without a TOTP code").into()),
    }
    // The TOTP step is the redirect to its page, the page and the POST of the code.
    Ok(Timing { total: started.elapsed(), login, totp: totp_started.elapsed() })
}

/// Enrols `user`'s authenticator app; returns the secret.
async fn enrol(base: &str, user: &str, clock: &OffsetClock) -> Result<String, Error> {
    let b = Browser::new()?;
    let (url, html) = b.go(authorize(base, "mfa")?, None).await?.map_err(|u| format!("arrived early at {u}"))?;
    let (action, fields) = form(&url, &html, &[("username", user), ("password", PASSWORD)])?;
    let (url, html) = b.go(action, Some(fields)).await?.map_err(|u| format!("{user}: no enrolment, arrived at {u}"))?;
    let secret = {
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("[data-totp-secret]").map_err(|e| e.to_string())?;
        doc.select(&sel).next().and_then(|e| e.value().attr("data-totp-secret")).map(str::to_owned).ok_or("no secret on the enrolment page")?
    };
    let (action, fields) = form(&url, &html, &[("code", &code_at(&secret, clock.now())?)])?;
    let (url, html) = b.go(action, Some(fields)).await?.map_err(|u| format!("{user}: no recovery codes, arrived at {u}"))?;
    let (action, fields) = form(&url, &html, &[])?;
    b.go(action, Some(fields)).await?.err().ok_or("Continue did not reach the client")?;
    Ok(secret)
}
