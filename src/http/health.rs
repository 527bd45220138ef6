//! Liveness and readiness.
use actix_web::{HttpResponse, web};
use serde_json::json;
use std::time::Duration;

use crate::error::AppError;
use crate::state::AppState;

/// The process is up.
pub async fn get_healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// How long a readiness probe waits for each backing service: an unreachable one must make
/// the probe answer "unavailable" at once, not after the pool's own timeouts.
const PING_TIMEOUT: Duration = Duration::from_secs(1);

async fn bounded(ping: impl std::future::Future<Output = Result<(), AppError>>) -> Result<(), AppError> {
    tokio::time::timeout(PING_TIMEOUT, ping).await.unwrap_or_else(|_| Err(AppError::internal("no answer within the readiness timeout")))
}

/// The database and the session store answer.
pub async fn get_readyz(state: web::Data<AppState>) -> HttpResponse {
    let (db, sessions) = tokio::join!(bounded(state.db_health.ping()), bounded(state.sessions.ping()));
    let status = |r: &Result<(), _>| if r.is_ok() { "ok" } else { "unavailable" };
    let body = json!({ "database": status(&db), "session_store": status(&sessions) });
    if db.is_ok() && sessions.is_ok() { HttpResponse::Ok().json(body) } else { HttpResponse::ServiceUnavailable().json(body) }
}
