//! Enumeration timing: does the sign-in form answer a wrong password for an existing
//! account as fast as one for a name no account has? The test suite checks that both paths
//! do the same work (the same number of argon2 runs, `Hasher::runs`); this example measures
//! the time it takes, which a test must not assert (it depends on the machine and its load).
//!
//! ```sh
//! cargo run --release --example enumeration_timing
//! TIMING_USERS=16 cargo run --release --example enumeration_timing
//! ```
//!
//! It starts a real server in-process (one HTTP worker, a fresh SQLite database in a
//! temporary directory) with `TIMING_USERS` accounts (default 8), then, alternating, submits
//! wrong passwords for each account and for as many unknown names, a few times each (fewer
//! than the failures the throttle lets through unpaced), and prints the median response time
//! of each side and their ratio. A ratio far from 1 says which names exist.
#![allow(clippy::disallowed_methods, reason = "a benchmark measures elapsed time on the machine's clock")]
use std::sync::Arc;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

const REDIRECT_URI: &str = "http://127.0.0.1:9999/callback";
/// Attempts per name: below the throttle's unpaced failures (`throttle::FREE_FAILURES`).
const ATTEMPTS: u64 = portcullis::auth::throttle::FREE_FAILURES - 1;

fn main() {
    if let Err(e) = run() {
        eprintln!("enumeration_timing: {e}");
        std::process::exit(1);
    }
}

fn tenant(users: usize) -> String {
    let mut yaml = String::from(
        "tenants:\n  - id: t\n    pools:\n      - id: people\n        password_policy: { min_length: 10 }\n        users:\n",
    );
    for i in 0..users {
        yaml.push_str(&format!("          - {{ username: user{i}, email: user{i}@example.com, password: \"the password {i}\" }}\n"));
    }
    yaml.push_str(&format!(
        "    workspaces:\n      - id: w\n        pools: [people]\n        clients:\n          - {{ client_id: web, client_secret: web-client-secret, redirect_uris: [\"{REDIRECT_URI}\"], grant_types: [authorization_code], scopes: [openid], consent: implicit }}\n"
    ));
    yaml
}

fn run() -> Result<(), Error> {
    let users: usize = std::env::var("TIMING_USERS").ok().map(|v| v.parse()).transpose()?.unwrap_or(8).max(1);
    let dir = std::env::temp_dir().join(format!("portcullis-timing-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(&dir, users);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn measure(dir: &std::path::Path, users: usize) -> Result<(), Error> {
    let env = [
        ("PORTCULLIS_DATABASE_URL", format!("sqlite://{}/timing.db?mode=rwc", dir.display())),
        ("PORTCULLIS_OUTBOX_DIR", dir.join("outbox").display().to_string()),
        ("PORTCULLIS_WORKERS", "1".into()),
    ];
    let config = portcullis::config::Config::from_env_map(&|k| env.iter().find(|(name, _)| *name == k).map(|(_, v)| v.clone()))?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(async move {
        let state = portcullis::startup::build_state(config, Arc::new(portcullis::clock::SystemClock)).await?;
        let plan = portcullis::provision::prepare(&state, portcullis::provision::parse(&tenant(users))?, "timing.yaml").await?;
        state.directory.apply(&plan).await?;
        let running = portcullis::startup::serve(state, std::net::TcpListener::bind("127.0.0.1:0")?, 1)?;
        let base = format!("http://127.0.0.1:{}", running.port);
        let handle = running.server.handle();
        tokio::spawn(running.server);

        let (mut known, mut unknown) = (vec![], vec![]);
        for round in 0..ATTEMPTS {
            for i in 0..users {
                known.push(wrong_password(&base, &format!("user{i}")).await?);
                unknown.push(wrong_password(&base, &format!("nobody{i}-{round}")).await?);
            }
        }
        handle.stop(true).await;
        let (a, b) = (median(known), median(unknown));
        let ratio = a.as_secs_f64().max(b.as_secs_f64()) / a.as_secs_f64().min(b.as_secs_f64()).max(1e-9);
        println!("wrong password, existing account: median {a:?}");
        println!("wrong password, unknown name:     median {b:?}");
        println!("ratio {ratio:.2} ({} samples each)", users as u64 * ATTEMPTS);
        Ok::<_, Error>(())
    })
}

/// One sign-in with a wrong password in a fresh browser; the time of the form's POST.
async fn wrong_password(base: &str, name: &str) -> Result<Duration, Error> {
    let http = reqwest::Client::builder().cookie_store(true).build()?;
    let mut authorize = url::Url::parse(&format!("{base}/t/w/authorize"))?;
    authorize
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", "web")
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("scope", "openid")
        .append_pair("state", "s");
    let page = http.get(authorize.as_str()).send().await?;
    let url = page.url().clone();
    let html = page.text().await?;
    let (action, mut fields) = form(&html)?;
    fields.push(("username".into(), name.into()));
    fields.push(("password".into(), "not the password".into()));
    let started = Instant::now();
    let resp = http.post(url.join(&action)?.as_str()).form(&fields).send().await?;
    let took = started.elapsed();
    if resp.status() != reqwest::StatusCode::OK {
        return Err(format!("{name}: the sign-in form answered {}", resp.status()).into());
    }
    Ok(took)
}

/// The first POST form's action and hidden fields.
fn form(html: &str) -> Result<(String, Vec<(String, String)>), Error> {
    let doc = scraper::Html::parse_document(html);
    let form_sel = scraper::Selector::parse("form[method=post]").map_err(|e| e.to_string())?;
    let hidden_sel = scraper::Selector::parse("input[type=hidden]").map_err(|e| e.to_string())?;
    let form = doc.select(&form_sel).next().ok_or("the page has no form")?;
    let action = form.value().attr("action").unwrap_or("").to_owned();
    let fields = form
        .select(&hidden_sel)
        .filter_map(|i| Some((i.value().attr("name")?.to_owned(), i.value().attr("value").unwrap_or("").to_owned())))
        .collect();
    Ok((action, fields))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}
