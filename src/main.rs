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
            eprintln!("portcullis: {e}");
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
    let text = std::fs::read_to_string(file).map_err(|e| AppError::Data(format!("{}: {e}", file.display())))?;
    let parsed = provision::parse(&text)?;
    let plan = provision::plan(parsed, &file.display().to_string(), state.now(), state.users.as_ref(), &state.hasher).await?;
    let applied = state.directory.apply(&plan).await?;
    tracing::info!(file = %file.display(), %applied, "provisioning applied");
    Ok(())
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
            let listener = std::net::TcpListener::bind(&listen).map_err(|e| AppError::Internal(format!("listen on {listen}: {e}")))?;
            let running = startup::serve(state, listener, workers).map_err(|e| AppError::Internal(e.to_string()))?;
            tracing::info!(%listen, public_url = %running.state.config.public_url, "portcullis serving");
            running.server.await.map_err(|e| AppError::Internal(e.to_string()))
        }
        Command::Apply { file } => {
            let state = startup::build_state(config, clock).await?;
            apply(&file, &state).await
        }
        Command::Keys { action: KeysAction::Rotate } => {
            let state = startup::build_state(config, clock.clone()).await?;
            let kids = keys::rotate(state.key_store.as_ref(), clock.now()).await?;
            println!("new signing keys: {}", kids.join(", "));
            Ok(())
        }
    }
}
