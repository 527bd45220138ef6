//! Builds the application from configuration: stores, key ring, HTTP server.
use actix_web::{App, HttpServer, web};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::password::Hasher;
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
    let sql = Arc::new(SqlStore::connect(&config.database_url).await?);
    let session_store: Arc<dyn SessionStore> = match &config.redis_url {
        Some(url) => Arc::new(RedisStore::connect(url, &config.redis_prefix).await?),
        None => Arc::new(MemoryStore::new(clock.clone())),
    };
    let ttl = config.ttl;
    let keys = KeyRing::load(sql.clone(), clock.clone(), ttl.id_token.max(ttl.access_token) + 300).await?;
    let cached = Arc::new(Cached::new(sql.clone(), sql.clone(), clock.clone(), config.directory_cache_ttl));
    let delivery = crate::delivery::from_config(&config)?;
    Ok(AppState {
        hasher: Hasher::new(config.argon2_concurrency)?,
        delivery,
        config,
        clock,
        directory: cached.clone(),
        users: sql.clone(),
        clients: cached,
        key_store: sql.clone(),
        grants: sql.clone(),
        consents: sql.clone(),
        audit: sql.clone(),
        identity: sql.clone(),
        db_health: sql.clone(),
        counters: sql.clone(),
        housekeeping: sql,
        sessions: Sessions::new(session_store),
        keys: Arc::new(keys),
    })
}

/// A bound, not yet awaited server.
pub struct Running {
    pub port: u16,
    pub server: actix_web::dev::Server,
    pub state: web::Data<AppState>,
}

/// Binds the HTTP server to `listener` (port 0 in tests) with `workers` threads.
pub fn serve(state: AppState, listener: TcpListener, workers: usize) -> std::io::Result<Running> {
    let port = listener.local_addr()?.port();
    let state = web::Data::new(state);
    let keys = state.keys.clone();
    // Every node picks up a key rotation made elsewhere within half a minute.
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(30)).await;
            if let Err(e) = keys.reload().await {
                tracing::warn!(error = %e, "reloading signing keys failed");
            }
        }
    });
    // Personal data of deleted users past their pool's retention period is erased hourly;
    // every node may run it (it is idempotent).
    let retention = state.clone();
    tokio::spawn(async move {
        loop {
            match crate::identity::lifecycle::purge_deleted(&retention).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(users = n, "personal data of deleted users erased"),
                Err(e) => tracing::warn!(error = %e, "erasing deleted users failed"),
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
    // Denylisted access tokens and counters past their expiry are deleted hourly; every
    // node may run it (deleting what is expired is idempotent).
    let housekeeping = state.clone();
    tokio::spawn(async move {
        loop {
            match housekeeping.housekeeping.purge_expired(housekeeping.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(rows = n, "expired revocations and counters purged"),
                Err(e) => tracing::warn!(error = %e, "purging expired revocations and counters failed"),
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
    let data = state.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(64 * 1024))
            .app_data(web::QueryConfig::default())
            .wrap(crate::http::security_headers())
            .wrap(tracing_actix())
            .configure(crate::http::configure)
    })
    .workers(workers.max(1))
    .listen(listener)?
    .run();
    Ok(Running { port, server, state })
}

/// Request logging without query strings or bodies (they carry codes and tokens).
fn tracing_actix() -> actix_web::middleware::Logger {
    actix_web::middleware::Logger::new("%s %r %Dms").custom_request_replace("r", |req| format!("{} {}", req.method(), req.path()))
}
