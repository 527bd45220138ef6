//! Liveness and readiness.
use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::state::AppState;

/// The process is up.
pub async fn get_healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database and the session store answer.
pub async fn get_readyz(state: web::Data<AppState>) -> HttpResponse {
    let (db, sessions) = tokio::join!(state.db_health.ping(), state.sessions.ping());
    let status = |r: &Result<(), _>| if r.is_ok() { "ok" } else { "unavailable" };
    let body = json!({ "database": status(&db), "session_store": status(&sessions) });
    if db.is_ok() && sessions.is_ok() { HttpResponse::Ok().json(body) } else { HttpResponse::ServiceUnavailable().json(body) }
}
