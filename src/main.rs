//! The `portcullis` command.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;

use portcullis::clock::{Clock, SystemClock};
use portcullis::config::{Config, LogFormat};
use portcullis::error::AppError;
use portcullis::{keys, provision, startup};

/// Portcullis: an OpenID Connect provider with brandable hosted pages.
///
/// Configuration: defaults, then `portcullis.toml` (or --config), then PORTCULLIS_*
/// variables: PORTCULLIS_LISTEN, PORTCULLIS_PUBLIC_URL, PORTCULLIS_DATABASE_URL,
/// PORTCULLIS_REDIS_URL, PORTCULLIS_REDIS_PREFIX, PORTCULLIS_OUTBOX_DIR,
/// PORTCULLIS_SMTP_URL, PORTCULLIS_MAIL_FROM, PORTCULLIS_SMS_WEBHOOK_URL,
/// PORTCULLIS_SMS_WEBHOOK_TOKEN,
/// PORTCULLIS_LOG_FORMAT, PORTCULLIS_WORKERS, PORTCULLIS_ARGON2_CONCURRENCY,
/// PORTCULLIS_DIRECTORY_CACHE_TTL and the
/// PORTCULLIS_*_TTL lifetimes. See examples/portcullis.toml for every key.
#[derive(Parser)]
#[command(name = "portcullis", version)]
struct Cli {
    /// Configuration file (default: ./portcullis.toml when present).
    #[arg(long, global = true, env = "PORTCULLIS_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the server.
    Serve {
        /// Applies this provisioning file before serving (idempotent).
        #[arg(long, value_name = "FILE")]
        provision: Option<PathBuf>,
    },
    /// Applies a provisioning file: creates or updates, never duplicates.
    Apply { file: PathBuf },
    /// Imports users into a pool from NDJSON or CSV (see README: bulk import). Idempotent:
    /// users are matched by identifier; a bad row is reported and skipped.
    Import {
        file: PathBuf,
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        pool: String,
        /// ndjson or csv (default: from the file name).
        #[arg(long)]
        format: Option<String>,
        /// Writes one NDJSON report line per row to this file (default: rejected rows to stdout).
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
    },
    /// Theme folders: preview one, push it to a server, pull one back (themes/README.md).
    Theme {
        #[command(subcommand)]
        action: portcullis::cli::theme::ThemeCommand,
    },
    /// Signing keys.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Publishes new ES256 and RS256 keys and signs with them from now on; old keys stay
    /// published until the tokens they signed have expired.
    Rotate,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // Theme folders need no configuration, database or store: only a folder and, for
    // push and pull, a server's admin API.
    if let Command::Theme { action } = cli.command {
        init_logging(LogFormat::Text);
        let result = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string()).and_then(|rt| rt.block_on(portcullis::cli::theme::run(action)).map_err(|e| e.to_string()));
        return match result {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("portcullis theme: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let config = match Config::load(cli.config.as_deref(), &|k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("portcullis: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    init_logging(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("portcullis: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The whole chain: the cause (a file system error, a database's) is the news.
            eprintln!("portcullis: {}", portcullis::error::chain(&e));
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn apply(file: &std::path::Path, state: &portcullis::state::AppState) -> Result<(), AppError> {
    let text = std::fs::read_to_string(file).map_err(|e| AppError::internal(format!("cannot read {}", file.display())).because(e))?;
    let parsed = provision::parse(&text)?;
    let plan = provision::prepare(state, parsed, &file.display().to_string()).await?;
    let applied = provision::apply(state, &plan).await?;
    tracing::info!(file = %file.display(), %applied, "provisioning applied");
    Ok(())
}

async fn import_file(state: &portcullis::state::AppState, file: &std::path::Path, tenant: &portcullis::model::TenantId, pool: &str, format: Option<&str>, report: Option<&std::path::Path>) -> Result<(), AppError> {
    use portcullis::import::{self, Format, Outcome};
    use std::io::Write;
    let name = format.map(str::to_owned).unwrap_or_else(|| file.display().to_string());
    let format = Format::from_name(&name).ok_or_else(|| AppError::invalid("/format", format!("{name}: say --format ndjson or --format csv")))?;
    let f = std::fs::File::open(file).map_err(|e| AppError::internal(format!("cannot open {}", file.display())).because(e))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] [{bar:40}] {bytes}/{total_bytes} ({eta}) {msg}")
            .map_err(|e| AppError::internal("progress bar").because(e))?
            .progress_chars("=> "),
    );
    let input = std::io::BufReader::new(bar.wrap_read(f));
    let mut sink: Box<dyn Write + Send> = match report {
        Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p).map_err(|e| AppError::internal(format!("cannot create {}", p.display())).because(e))?)),
        None => Box::new(std::io::stdout()),
    };
    let all = report.is_some();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<import::RowReport>(1024);
    let progress = bar.clone();
    let writer = tokio::spawn(async move {
        let (mut ok, mut rejected) = (0u64, 0u64);
        while let Some(r) = rx.recv().await {
            if r.outcome == Outcome::Rejected { rejected += 1 } else { ok += 1 }
            if all || r.outcome == Outcome::Rejected {
                let _ = serde_json::to_writer(&mut sink, &r);
                let _ = sink.write_all(b"\n");
            }
            if (ok + rejected) % 100 == 0 {
                progress.set_message(format!("{ok} imported, {rejected} rejected"));
            }
        }
        let _ = sink.flush();
    });
    // The operator at the command line holds every privilege.
    let summary = import::run(state, tenant, pool, input, format, tx, import::Limits::default()).await;
    let _ = writer.await;
    bar.finish_and_clear();
    let summary = summary?;
    eprintln!(
        "rows: {}, created: {}, updated: {}, unchanged: {}, rejected: {}",
        summary.rows, summary.created, summary.updated, summary.unchanged, summary.rejected
    );
    Ok(())
}

/// SIGTERM (what orchestrators send) and SIGINT (Ctrl-C) both stop the server gracefully:
/// no new connections, the requests in flight finish. (actix alone would treat SIGINT as
/// a forced stop, failing whatever is in flight.)
async fn shutdown_signal() {
    let name = wait_for_signal().await;
    tracing::info!(signal = name, timeout_seconds = startup::SHUTDOWN_TIMEOUT, "stopping gracefully: finishing the requests in flight");
}

#[cfg(unix)]
async fn wait_for_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    // A signal whose handler cannot be installed keeps its default action (the process ends).
    let wait = |kind: SignalKind, name: &'static str| async move {
        match signal(kind) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, signal = name, "cannot handle the signal; it will end the process at once");
                std::future::pending::<()>().await;
            }
        }
        name
    };
    tokio::select! {
        n = wait(SignalKind::terminate(), "SIGTERM") => n,
        n = wait(SignalKind::interrupt(), "SIGINT") => n,
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() -> &'static str {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
    "Ctrl-C"
}

async fn run(command: Command, config: Config) -> Result<(), AppError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match command {
        Command::Serve { provision } => {
            let workers = config.workers;
            let listen = config.listen.clone();
            let state = startup::build_state(config, clock).await?;
            if let Some(file) = provision {
                apply(&file, &state).await?;
            }
            let listener = std::net::TcpListener::bind(&listen).map_err(|e| AppError::internal(format!("listen on {listen}")).because(e))?;
            let running = startup::serve_until(state, listener, workers, shutdown_signal()).map_err(|e| AppError::internal("cannot serve").because(e))?;
            tracing::info!(%listen, public_url = %running.state.config.public_url, "portcullis serving");
            // Returns once the requests in flight are answered and the background tasks
            // have stopped; only then does the runtime (and the stores' connections on it) go.
            running.run().await.map_err(|e| AppError::internal("server").because(e))?;
            tracing::info!("portcullis stopped");
            Ok(())
        }
        Command::Apply { file } => {
            let state = startup::build_state(config, clock).await?;
            apply(&file, &state).await
        }
        Command::Import { file, tenant, pool, format, report } => {
            let state = startup::build_state(config, clock).await?;
            import_file(&state, &file, &portcullis::model::TenantId::new(tenant), &pool, format.as_deref(), report.as_deref()).await
        }
        Command::Theme { .. } => Err(AppError::internal("theme commands run without the server's state")),
        Command::Keys { action: KeysAction::Rotate } => {
            let state = startup::build_state(config, clock.clone()).await?;
            let kids = keys::rotate(state.key_store.as_ref(), clock.now()).await?;
            println!("new signing keys: {}", kids.join(", "));
            Ok(())
        }
    }
}
