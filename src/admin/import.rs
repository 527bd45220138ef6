//! `POST …/pools/{pool}/import`: a bulk import upload (NDJSON or CSV by Content-Type).
//! The upload is spooled to a temporary file, then imported in batches; the response
//! streams one NDJSON report line per row and ends with a summary line.
use crate::model::TenantId;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use std::io::Write;

use super::{ApiError, ApiResult, Caller};
use crate::import::{self, Format};
use crate::state::AppState;

/// Uploads larger than this are refused; the CLI (`portcullis import`) has no limit.
pub const MAX_UPLOAD: usize = 512 * 1024 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/tenants/{tenant}/pools/{pool}/import").route(web::post().to(post_import)));
}

/// Removes the spool file however the import ends.
struct Spool(std::path::PathBuf);

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Import users in bulk.
///
/// The upload (NDJSON or CSV by `Content-Type`) is spooled, then imported in batches; the
/// response streams one NDJSON report line per row and ends with a summary line.
#[utoipa::path(
    post,
    path = "/tenants/{tenant}/pools/{pool}/import",
    tag = "import",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("pool" = String, Path, description = "Pool id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body(
        description = "One user document per line (NDJSON) or per row (CSV with a header line), as `portcullis import` reads them; at most 512 MiB",
        content((String = "application/x-ndjson"), (String = "text/csv"))
    ),
    responses(
        (status = 200, description = "A stream of NDJSON lines: one report per row, then `{\"summary\": …}` (or `{\"error\": …}` if the import failed)", body = String, content_type = "application/x-ndjson"),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's privileges do not allow this", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool", body = super::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither text/csv nor application/x-ndjson", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The upload is too large or unreadable, or the CSV header names an unknown column", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn post_import(state: web::Data<AppState>, caller: Caller, req: HttpRequest, path: web::Path<(TenantId, String)>, mut body: web::Payload) -> ApiResult {
    let (tenant, pool) = path.into_inner();
    if !caller.user_admin(&tenant) {
        return Err(ApiError::Forbidden);
    }
    state.pools.pool(&tenant, &pool).await?.ok_or(ApiError::NotFound("pool"))?;
    let limits = super::users::protected(&state, &caller, &tenant, &pool).await?;
    let ctype = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").split(';').next().unwrap_or("").trim().to_owned();
    let format = Format::from_name(&ctype).ok_or(ApiError::Unsupported("Send text/csv or application/x-ndjson."))?;
    let spool = Spool(std::env::temp_dir().join(format!("portcullis-import-{}", uuid::Uuid::new_v4())));
    let io = |e: std::io::Error| ApiError::App(crate::error::AppError::internal("import spool").because(e));
    let mut file = std::fs::File::create(&spool.0).map_err(io)?;
    let mut size = 0usize;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| super::invalid("", format!("upload: {e}")))?;
        size += chunk.len();
        if size > MAX_UPLOAD {
            return Err(super::invalid("", format!("uploads are limited to {} MiB; use `portcullis import` for larger files", MAX_UPLOAD >> 20)));
        }
        file.write_all(&chunk).map_err(io)?;
    }
    file.flush().map_err(io)?;
    drop(file);
    let reader = std::io::BufReader::new(std::fs::File::open(&spool.0).map_err(io)?);
    // A file-level problem (an unknown CSV column) is refused before anything is written.
    if format == Format::Csv {
        import::Reader::new(std::io::BufReader::new(std::fs::File::open(&spool.0).map_err(io)?), format).map_err(|e| super::invalid("", e))?;
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<import::RowReport>(256);
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<serde_json::Value>();
    let actor = caller.actor();
    tokio::spawn(async move {
        let _spool = spool;
        let last = match import::run(&state, &tenant, &pool, reader, format, tx, limits).await {
            Ok(summary) => {
                crate::identity::lifecycle::audit(&state.lifecycle(), &tenant, &actor, "users.import_uploaded", &pool, serde_json::to_value(&summary).unwrap_or_default()).await;
                serde_json::json!({ "summary": summary })
            }
            Err(e) => {
                tracing::error!(error = %e, "import failed");
                serde_json::json!({ "error": e.to_string() })
            }
        };
        let _ = done_tx.send(last);
    });
    let rows = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|r| (r, rx)) }).map(|r| line(&r));
    let summary = futures_util::stream::once(async move { line(&done_rx.await.unwrap_or_else(|_| serde_json::json!({ "error": "import aborted" }))) });
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).content_type("application/x-ndjson").streaming(rows.chain(summary)))
}

/// One NDJSON line.
fn line<T: serde::Serialize>(v: &T) -> Result<web::Bytes, actix_web::Error> {
    let mut b = serde_json::to_vec(v).unwrap_or_default();
    b.push(b'\n');
    Ok(web::Bytes::from(b))
}
