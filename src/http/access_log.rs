//! The access log: one event per request with method, path, status and duration, inside a
//! `request` span with a request id (so that whatever a handler logs carries it too).
//! Never the query string: it carries activation tokens, reset codes, ID token hints,
//! login hints and flow ids. Never bodies or headers either.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use tracing::Instrument;

pub async fn access_log(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let span = tracing::info_span!("request", id = %uuid::Uuid::new_v4().simple(), method = %req.method(), path = %req.path());
    // Wall time for the log line only; nothing decides on it (the clock is for decisions).
    #[allow(clippy::disallowed_methods, reason = "measures how long the request took, for the log; no rule reads it")]
    let started = std::time::Instant::now();
    let res = next.call(req).instrument(span.clone()).await;
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let status = match &res {
        Ok(r) => r.status(),
        Err(e) => e.as_response_error().status_code(),
    };
    span.in_scope(|| tracing::info!(status = status.as_u16(), duration_ms, "request"));
    res
}
