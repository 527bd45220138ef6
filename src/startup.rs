//! Builds the application from configuration: stores, key ring, HTTP server.
use actix_web::{App, HttpServer, web};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::identity::password::Hasher;
use crate::clock::Clock;
use crate::config::Config;
use crate::error::AppError;
use crate::keys::KeyRing;
use crate::state::AppState;
use crate::storage::cache::Cached;
use crate::storage::memory::MemoryStore;
use crate::storage::redis::RedisStore;
use crate::storage::session::{SessionStore, Sessions};
use crate::storage::sql::SqlStore;

/// Connects the stores (running migrations) and loads the signing keys.
pub async fn build_state(config: Config, clock: Arc<dyn Clock>) -> Result<AppState, AppError> {
    // The text catalogues are parsed once, here: a broken one stops the start.
    crate::texts::check().map_err(AppError::internal)?;
    let sql = Arc::new(SqlStore::connect(&config.database_url).await?);
    let session_store: Arc<dyn SessionStore> = match &config.redis_url {
        Some(url) => Arc::new(RedisStore::connect(url, &config.redis_prefix, clock.clone()).await?),
        None => Arc::new(MemoryStore::new(clock.clone())),
    };
    let ttl = config.ttl;
    let keys = KeyRing::load(sql.clone(), clock.clone(), ttl.id_token.max(ttl.access_token) + 300).await?;
    let cached = Arc::new(Cached::new(sql.clone(), sql.clone(), clock.clone(), config.directory_cache_ttl));
    let delivery = crate::delivery::from_settings(config.delivery())?;
    let sessions = Sessions::new(session_store);
    let theme_cache = Arc::new(crate::theme_cache::ThemeCache::new(sql.clone(), sessions.clone(), clock.clone(), config.directory_cache_ttl));
    let secrets = crate::identity::secrets::SecretKeys::load(config.totp_key.as_deref(), &config.totp_old_keys, &config.totp_key_file)?;
    Ok(AppState {
        secrets: Arc::new(secrets),
        hasher: Hasher::new(config.argon2_concurrency)?,
        passkeys: crate::auth::passkeys::RelyingParties::new(&config.public_url),
        delivery,
        config,
        clock,
        directory: cached.clone(),
        users: sql.clone(),
        credentials: sql.clone(),
        pools: sql.clone(),
        groups: sql.clone(),
        privileges: sql.clone(),
        schemas: sql.clone(),
        clients: cached,
        key_store: sql.clone(),
        grants: sql.clone(),
        consents: sql.clone(),
        audit: sql.clone(),
        db_health: sql.clone(),
        counters: sql.clone(),
        themes: theme_cache.clone(),
        theme_cache,
        housekeeping: sql,
        sessions,
        keys: Arc::new(keys),
    })
}

/// A bound, not yet awaited server.
pub struct Running {
    pub port: u16,
    pub server: actix_web::dev::Server,
    pub state: web::Data<AppState>,
    /// Key reloading and the retention purge; dropping this leaves them running.
    pub tasks: Background,
}

impl Running {
    /// Serves until the server stops, which after its shutdown signal (see `serve_until`)
    /// is once the requests in flight are answered; then stops the background tasks. The
    /// caller's runtime must outlive this future: the stores' connections live on it, so a
    /// request still running when it shuts down would fail.
    pub async fn run(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.tasks.stop().await;
        result
    }
}

/// The background tasks of a node.
pub struct Background {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

impl Background {
    /// Lets each task finish the round it is in, then waits for all of them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for h in self.handles {
            let _ = h.await;
        }
    }
}

/// Resolves once a stop is asked for; never if the `Background` was dropped instead.
async fn stop_requested(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Runs `round` every `period` (the first at once if `now`) until a stop is asked for.
fn every<F, Fut>(period: Duration, now: bool, stop: watch::Receiver<bool>, mut round: F) -> JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        if now {
            round().await;
        }
        loop {
            tokio::select! {
                _ = tokio::time::sleep(period) => round().await,
                _ = stop_requested(stop.clone()) => return,
            }
        }
    })
}

fn background(state: &web::Data<AppState>) -> Background {
    let (stop, rx) = watch::channel(false);
    let keys = state.keys.clone();
    // Every node picks up a key rotation made elsewhere within half a minute.
    let reload = every(Duration::from_secs(30), false, rx.clone(), move || {
        let keys = keys.clone();
        async move {
            if let Err(e) = keys.reload().await {
                tracing::warn!(error = %e, "reloading signing keys failed");
            }
        }
    });
    // Personal data of deleted users past their pool's retention period is erased hourly;
    // every node may run it (it is idempotent).
    let retention = state.clone();
    let rx_housekeeping = rx.clone();
    let purge = every(Duration::from_secs(3600), true, rx, move || {
        let state = retention.clone();
        async move {
            match crate::identity::lifecycle::purge_deleted(&state.lifecycle()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(users = n, "personal data of deleted users erased"),
                Err(e) => tracing::warn!(error = %e, "erasing deleted users failed"),
            }
        }
    });
    // Denylisted access tokens and counters past their expiry are deleted hourly; every
    // node may run it (deleting what is expired is idempotent).
    let expired = state.clone();
    let housekeeping = every(Duration::from_secs(3600), true, rx_housekeeping, move || {
        let state = expired.clone();
        async move {
            match state.housekeeping.purge_expired(state.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(rows = n, "expired revocations and counters purged"),
                Err(e) => tracing::warn!(error = %e, "purging expired revocations and counters failed"),
            }
        }
    });
    Background { stop, handles: vec![reload, purge, housekeeping] }
}

/// Binds the HTTP server to `listener` (port 0 in tests) with `workers` threads. The server
/// stops as actix does by default on signals; `portcullis serve` uses `serve_until`.
pub fn serve(state: AppState, listener: TcpListener, workers: usize) -> std::io::Result<Running> {
    bind(state, listener, workers, None)
}

/// Like `serve`, but the server stops gracefully when `shutdown` resolves, and only then:
/// it takes no new connections, answers the requests in flight (for up to
/// `SHUTDOWN_TIMEOUT` seconds), then `Running::run` stops the background tasks.
pub fn serve_until(state: AppState, listener: TcpListener, workers: usize, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<Running> {
    bind(state, listener, workers, Some(Box::pin(shutdown)))
}

/// Seconds in-flight requests get to finish after a shutdown signal.
pub const SHUTDOWN_TIMEOUT: u64 = 30;

type Shutdown = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

fn bind(state: AppState, listener: TcpListener, workers: usize, shutdown: Option<Shutdown>) -> std::io::Result<Running> {
    let port = listener.local_addr()?.port();
    let state = web::Data::new(state);
    let tasks = background(&state);
    let data = state.clone();
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(64 * 1024))
            .app_data(web::QueryConfig::default())
            .wrap(crate::http::security_headers())
            .wrap(actix_web::middleware::from_fn(crate::http::access_log::access_log))
            // The admin API first: its `/api/admin/v1` scope must not be taken for a
            // `/{tenant}/{workspace}` issuer (`api` is a reserved tenant id).
            .configure(crate::admin::configure)
            // Before the hosted pages: `/{tenant}/studio` is not a workspace.
            .configure(crate::studio::configure)
            .configure(crate::http::configure)
    })
    .workers(workers.max(1))
    .shutdown_timeout(SHUTDOWN_TIMEOUT);
    if let Some(signal) = shutdown {
        server = server.shutdown_signal(signal);
    }
    let server = server.listen(listener)?.run();
    Ok(Running { port, server, state, tasks })
}
