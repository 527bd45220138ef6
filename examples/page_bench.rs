//! Sign-in pages served per second over HTTP, with a theme frame and without one, beside
//! a static file of the same server; and the same with the theme cache turned off, as pages
//! were served before it (`theme_cache`).
//!
//! ```sh
//! cargo run --example page_bench                   # 2000 requests per kind and mode
//! PAGE_BENCH_REQUESTS=5000 cargo run --release --example page_bench
//! ```
//!
//! It starts a server in-process (a fresh SQLite database in a temporary directory,
//! in-memory session store) with a tenant whose theme sets tokens, a product name and text
//! overrides in two locales, and two workspaces: `plain` (nothing more) and `framed` (a
//! page frame: header with logo, navigation, footer). One browser starts a flow in each
//! (`/authorize`), then `PAGE_BENCH_CONCURRENCY` (4) tasks GET its sign-in page (the page a
//! flow shows: flow lookup, theme, texts, rendering, CSP) and `/static/css/app.css`, in
//! interleaved rounds so that the machine's drift hits every kind alike.
#![allow(clippy::disallowed_methods, reason = "a benchmark measures elapsed time on the machine's clock")]
use std::sync::Arc;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

const REDIRECT_URI: &str = "http://127.0.0.1:9999/callback";

const FRAME: &str = r#"<header class=\"site\"><img src=\"{{ brand.logo_url }}\" alt=\"\"><span>{{ brand.product_name }}</span><nav><a href=\"https://acme.example/\">Home</a> <a href=\"https://acme.example/help\">Help</a></nav></header>{{ form }}<footer><p>{{ page.title }}</p><a href=\"https://acme.example/privacy\">Privacy</a> <a href=\"https://acme.example/terms\">Terms</a></footer>"#;

fn provisioning() -> String {
    format!(
        r##"tenants:
  - id: t
    theme:
      product_name: ACME
      tokens: {{ "--pc-color-primary": "#0b5394", "--pc-color-link": "#0b5394", "--pc-radius": "4px" }}
      texts:
        en: {{ sign-in: "Sign in to ACME", forgot-password: "Forgot it?" }}
        de: {{ sign-in: "Bei ACME anmelden" }}
    pools:
      - id: p
        identifier: email
    workspaces:
      - id: plain
        pools: [p]
        clients:
          - {{ client_id: web, name: Shop, redirect_uris: ["{REDIRECT_URI}"], grant_types: [authorization_code], scopes: [openid], consent: implicit }}
      - id: framed
        pools: [p]
        theme:
          frame: "{FRAME}"
        clients:
          - {{ client_id: web, name: Shop, redirect_uris: ["{REDIRECT_URI}"], grant_types: [authorization_code], scopes: [openid], consent: implicit }}
"##
    )
}

fn main() {
    if let Err(e) = run() {
        eprintln!("page_bench: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Error> {
    let n: usize = std::env::var("PAGE_BENCH_REQUESTS").ok().map(|v| v.parse()).transpose()?.unwrap_or(2000).max(40);
    let concurrency: usize = std::env::var("PAGE_BENCH_CONCURRENCY").ok().map(|v| v.parse()).transpose()?.unwrap_or(4).max(1);
    let dir = std::env::temp_dir().join(format!("portcullis-page-bench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(&dir, n, concurrency);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Static,
    Plain,
    Framed,
}

fn measure(dir: &std::path::Path, n: usize, concurrency: usize) -> Result<(), Error> {
    let env = [
        ("PORTCULLIS_DATABASE_URL", format!("sqlite://{}/bench.db?mode=rwc", dir.display())),
        ("PORTCULLIS_OUTBOX_DIR", dir.join("outbox").display().to_string()),
        ("PORTCULLIS_TOTP_KEY_FILE", dir.join("totp.key").display().to_string()),
    ];
    let config = portcullis::config::Config::from_env_map(&|k| env.iter().find(|(name, _)| *name == k).map(|(_, v)| v.clone()))?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(async move {
        let state = portcullis::startup::build_state(config, Arc::new(portcullis::clock::SystemClock)).await?;
        let plan = portcullis::provision::prepare(&state, portcullis::provision::parse(&provisioning())?, "bench.yaml").await?;
        state.directory.apply(&plan).await?;
        let running = portcullis::startup::serve(state, std::net::TcpListener::bind("127.0.0.1:0")?, 2)?;
        let base = format!("http://127.0.0.1:{}", running.port);
        let app = running.state.clone();
        let handle = running.server.handle();
        tokio::spawn(running.server);

        let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
        let plain = login_url(&http, &base, "plain").await?;
        let framed = login_url(&http, &base, "framed").await?;
        let page = http.get(&framed).send().await?.text().await?;
        if !page.contains("class=\"site\"") || !page.contains("Sign in to ACME") {
            return Err("the framed sign-in page misses its frame or its text override".into());
        }
        let css = format!("{base}/static/css/app.css");
        let url = |k: Kind| match k {
            Kind::Static => css.clone(),
            Kind::Plain => plain.clone(),
            Kind::Framed => framed.clone(),
        };
        let rounds = 10;
        let per_round = n.div_ceil(rounds);
        let mut results = vec![];
        for bypass in [false, true] {
            app.theme_cache.set_bypass(bypass);
            // Warm-up, not measured.
            for k in [Kind::Static, Kind::Plain, Kind::Framed] {
                burst(&http, &url(k), 50, concurrency).await?;
            }
            let mut spent = [Duration::ZERO; 3];
            for _ in 0..rounds {
                for (i, k) in [Kind::Static, Kind::Plain, Kind::Framed].into_iter().enumerate() {
                    spent[i] += burst(&http, &url(k), per_round, concurrency).await?;
                }
            }
            let count = (rounds * per_round) as f64;
            results.push((bypass, spent.map(|d| count / d.as_secs_f64())));
        }
        handle.stop(true).await;
        let build = if cfg!(debug_assertions) { "debug" } else { "release" };
        println!("{} requests of each kind per mode, {concurrency} at a time, {build} build, through HTTP:", rounds * per_round);
        for (bypass, [s, p, f]) in &results {
            println!("  theme cache {}:", if *bypass { "off (as before it)" } else { "on" });
            println!("    static file (app.css):        {s:8.0} /s");
            println!("    sign-in page without a frame: {p:8.0} /s  ({:.1} % of the static file's rate)", 100.0 * p / s);
            println!("    sign-in page with a frame:    {f:8.0} /s  (the frame costs {:.1} % of the page)", 100.0 * (p / f - 1.0));
        }
        let (on, off) = (results[0].1, results[1].1);
        println!("  the cache: sign-in pages {:+.1} % without a frame, {:+.1} % with one", 100.0 * (on[1] / off[1] - 1.0), 100.0 * (on[2] / off[2] - 1.0));
        Ok::<_, Error>(())
    })
}

/// `n` GETs of `url`, `concurrency` at a time: the wall time they took.
async fn burst(http: &reqwest::Client, url: &str, n: usize, concurrency: usize) -> Result<Duration, Error> {
    let started = Instant::now();
    let per_task = n.div_ceil(concurrency);
    let tasks = (0..concurrency).map(|_| {
        let http = http.clone();
        let url = url.to_owned();
        async move {
            for _ in 0..per_task {
                let resp = http.get(&url).send().await?;
                if !resp.status().is_success() {
                    return Err::<(), Error>(format!("{url} answered {}", resp.status()).into());
                }
                std::hint::black_box(resp.bytes().await?);
            }
            Ok(())
        }
    });
    for r in futures_util::future::join_all(tasks).await {
        r?;
    }
    Ok(started.elapsed())
}

/// Starts a flow in workspace `ws` and returns its sign-in page's URL.
async fn login_url(http: &reqwest::Client, base: &str, ws: &str) -> Result<String, Error> {
    let mut authorize = url::Url::parse(&format!("{base}/t/{ws}/authorize"))?;
    authorize
        .query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", "web")
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("scope", "openid")
        .append_pair("state", "s")
        .append_pair("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        .append_pair("code_challenge_method", "S256");
    let resp = http.get(authorize.as_str()).send().await?;
    let location = resp.headers().get("location").ok_or("no redirect from /authorize")?.to_str()?;
    Ok(authorize.join(location)?.to_string())
}
