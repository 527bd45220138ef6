//! Import benchmark: users per second through the bulk-import path (the same
//! `import::run` the admin API and `portcullis import` use), for pre-hashed and for
//! plaintext passwords, and the process's peak memory while importing a large file.
//!
//! ```sh
//! cargo run --release --example import_bench
//! IMPORT_BENCH_ROWS=100000 IMPORT_BENCH_PLAIN_ROWS=500 cargo run --release --example import_bench
//! IMPORT_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/bench cargo run --release --example import_bench
//! ```
//!
//! It writes two NDJSON files to a temporary directory (rows with an argon2id
//! `password_hash`, and rows with a plaintext `password`), imports each into a fresh
//! database (SQLite in the temporary directory unless `IMPORT_BENCH_DATABASE_URL` names an
//! empty database), then imports the pre-hashed file a second time (every row unchanged).
//! Peak memory is the kernel's high-water mark of the resident set (VmHWM, Linux).
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use portcullis::clock::SystemClock;
use portcullis::config::Config;
use portcullis::import::{self, Format};
use portcullis::{provision, startup};

type Error = Box<dyn std::error::Error + Send + Sync>;

const TENANT: &str = r#"
tenants:
  - id: bench
    pools:
      - id: people
        identifier: email
        password_policy: { min_length: 10 }
        groups: [ { id: a, name: A }, { id: b, name: B } ]
"#;

fn env_num(k: &str, default: usize) -> Result<usize, Error> {
    match std::env::var(k) {
        Ok(v) => v.parse().map_err(|_| format!("{k}: not a whole number: {v}").into()),
        Err(_) => Ok(default),
    }
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn write_file(path: &std::path::Path, rows: usize, prefix: &str, password: impl Fn(usize) -> serde_json::Value) -> Result<(), Error> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    for i in 0..rows {
        let mut row = serde_json::json!({
            "email": format!("{prefix}{i}@example.com"),
            "groups": [if i % 2 == 0 { "a" } else { "b" }],
            "payload": { "given_name": format!("User {i}"), "family_name": "Bench" },
        });
        if let (Some(obj), serde_json::Value::Object(pw)) = (row.as_object_mut(), password(i)) {
            obj.extend(pw);
        }
        serde_json::to_writer(&mut f, &row)?;
        f.write_all(b"\n")?;
    }
    f.flush()?;
    Ok(())
}

async fn import_file(state: &portcullis::state::AppState, path: &std::path::Path) -> Result<(import::Summary, f64), Error> {
    let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let started = Instant::now();
    let input = std::io::BufReader::new(std::fs::File::open(path)?);
    let summary = import::run(state, &portcullis::model::TenantId::new("bench"), "people", input, Format::Ndjson, tx, import::Limits::default()).await?;
    let secs = started.elapsed().as_secs_f64();
    drain.await?;
    Ok((summary, secs))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let rows = env_num("IMPORT_BENCH_ROWS", 100_000)?;
    let plain_rows = env_num("IMPORT_BENCH_PLAIN_ROWS", 500)?;
    let dir = std::env::temp_dir().join(format!("portcullis-import-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let db = std::env::var("IMPORT_BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}/bench.db?mode=rwc", dir.display()));
    let (db_c, outbox) = (db.clone(), dir.join("outbox").display().to_string());
    let config = Config::from_env_map(&move |k: &str| match k {
        "PORTCULLIS_DATABASE_URL" => Some(db_c.clone()),
        "PORTCULLIS_OUTBOX_DIR" => Some(outbox.clone()),
        _ => None,
    })?;
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let state = startup::build_state(config, Arc::new(SystemClock)).await?;
    let plan = provision::prepare(&state, provision::parse(TENANT)?, "bench").await?;
    state.directory.apply(&plan).await?;
    println!("database: {}   cores: {cores}   argon2id m=19 MiB t=2 p=1", db.split('?').next().unwrap_or(&db));

    let hashed = dir.join("hashed.ndjson");
    let phc = state.hasher.hash("imported password 1").await?;
    write_file(&hashed, rows, "h", |_| serde_json::json!({ "password_hash": phc }))?;
    let plain = dir.join("plain.ndjson");
    write_file(&plain, plain_rows, "p", |i| serde_json::json!({ "password": format!("plain password {i}") }))?;
    let mib = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len() as f64 / 1048576.0).unwrap_or(0.0);
    println!("files: {rows} pre-hashed rows ({:.1} MiB), {plain_rows} plaintext rows", mib(&hashed));
    let before = peak_rss_mib().unwrap_or(0.0);

    let peak = || peak_rss_mib().map(|m| format!("   peak RSS so far {m:.0} MiB")).unwrap_or_default();
    let (s, secs) = import_file(&state, &hashed).await?;
    println!("pre-hashed, new users:   {:>7} created in {secs:>6.2} s = {:>8.0} users/s{}", s.created, s.created as f64 / secs, peak());
    let (s, secs) = import_file(&state, &hashed).await?;
    println!("pre-hashed, same again:  {:>7} unchanged in {secs:>5.2} s = {:>8.0} rows/s{}", s.unchanged, s.unchanged as f64 / secs, peak());
    let (s, secs) = import_file(&state, &plain).await?;
    println!("plaintext (argon2id):    {:>7} created in {secs:>6.2} s = {:>8.1} users/s{}", s.created, s.created as f64 / secs, peak());
    if let Some(peak) = peak_rss_mib() {
        println!("peak resident memory: {peak:.0} MiB (before the imports: {before:.0} MiB)");
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
