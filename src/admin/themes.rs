//! Themes in the admin API (DESIGN.md "Themes"): the layer of a tenant, a workspace or a
//! client, read and written whole (`GET`/`PUT`: what `GET` returns, `PUT` takes back
//! unchanged) or merged (`PATCH`, RFC 7396 merge patch); every write that changes the
//! layer publishes a new version with who and when; drafts are kept apart until published;
//! any version can be published again (rollback). Assets are uploaded by tenant, checked by
//! content and served from immutable, content-hashed URLs. A preview renders any page with
//! a draft layer and stores nothing.
//!
//! Who may do what: every call here takes `tenant-admin` of the tenant in the path, or
//! `system-admin` (`Caller::tenant_admin`), like the other directory endpoints; anyone
//! else (a user administrator, a delegated group manager, another tenant's administrator,
//! a client without privileges) is refused with 403 before the body is read and before
//! learning whether the tenant, workspace or client exists. `GET /pages` takes an
//! administrator of the caller's own tenant.
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{ApiError, ApiResult, Args, Body, Caller, created, invalid, ok};
use crate::model::TenantId;
use crate::state::AppState;
use crate::storage::themes::{self as store, Asset, ThemeScope, ThemeVersion};
use crate::theme::{self, Level, ThemeSpec, assets};
use crate::views::{self, PageId};

/// The theme paths of one layer, below the layer's own path.
const LAYERS: &[&str] = &["/tenants/{tenant}", "/tenants/{tenant}/workspaces/{workspace}", "/tenants/{tenant}/workspaces/{workspace}/clients/{client}"];

pub fn configure(cfg: &mut web::ServiceConfig) {
    use crate::http::get;
    use web::resource;
    for base in LAYERS {
        cfg.service(resource(format!("{base}/theme")).route(get().to(get_theme)).route(web::put().to(put_theme)).route(web::patch().to(patch_theme)))
            .service(resource(format!("{base}/theme/draft")).route(get().to(get_draft)).route(web::put().to(put_draft)).route(web::delete().to(delete_draft)))
            .service(resource(format!("{base}/theme/publish")).route(web::post().to(publish_draft)))
            .service(resource(format!("{base}/theme/versions")).route(get().to(list_versions)))
            .service(resource(format!("{base}/theme/versions/{{version}}")).route(get().to(get_version)))
            .service(resource(format!("{base}/theme/rollback")).route(web::post().to(rollback)));
    }
    cfg.service(resource("/tenants/{tenant}/assets").route(web::post().to(post_asset)))
        .service(resource("/tenants/{tenant}/workspaces/{workspace}/preview/{page}").route(web::post().to(post_preview)))
        .service(resource("/pages").route(get().to(list_pages)));
}

/// The layer a request's path names, after the caller was authorized for its tenant and
/// the tenant, workspace and client were found ([`target_of`]). The theme studio
/// (`studio`) reaches the same layers through the same functions.
pub struct Target {
    pub tenant: TenantId,
    pub scope: ThemeScope,
}

impl Target {
    fn level(&self) -> Level<'_> {
        match self.scope {
            ThemeScope::Tenant => Level::Tenant(self.tenant.as_str()),
            ThemeScope::Workspace(_) => Level::Workspace(self.tenant.as_str()),
            ThemeScope::Client { .. } => Level::Client(self.tenant.as_str()),
        }
    }

    /// The scopes below this one, most general first.
    pub fn below(&self) -> Vec<ThemeScope> {
        match &self.scope {
            ThemeScope::Tenant => vec![],
            ThemeScope::Workspace(_) => vec![ThemeScope::Tenant],
            ThemeScope::Client { workspace, .. } => vec![ThemeScope::Tenant, ThemeScope::Workspace(workspace.clone())],
        }
    }
}

async fn target(state: &AppState, caller: &Caller, req: &HttpRequest) -> Result<Target, ApiError> {
    let m = req.match_info();
    // A tenant id enters the system here, from the URL path.
    let tenant = TenantId::new(m.get("tenant").unwrap_or_default());
    target_of(state, caller, tenant, m.get("workspace"), m.get("client")).await
}

/// The layer of `tenant` (and `workspace`, and `client` in it), once `caller` is known to
/// be `tenant-admin` of the tenant or `system-admin` (403 before anything is looked up),
/// and the tenant, workspace and client exist (404 naming which does not).
pub async fn target_of(state: &AppState, caller: &Caller, tenant: TenantId, workspace: Option<&str>, client: Option<&str>) -> Result<Target, ApiError> {
    if !caller.tenant_admin(&tenant) {
        return Err(ApiError::Forbidden);
    }
    state.directory.tenant(&tenant).await?.ok_or(ApiError::NotFound("tenant"))?;
    let scope = match (workspace, client) {
        (None, _) => ThemeScope::Tenant,
        (Some(w), client) => {
            state.directory.workspace(&tenant, w).await?.ok_or(ApiError::NotFound("workspace"))?;
            match client {
                None => ThemeScope::Workspace(w.to_owned()),
                Some(c) => {
                    state.clients.get(&tenant, w, c).await?.ok_or(ApiError::NotFound("client"))?;
                    ThemeScope::Client { workspace: w.to_owned(), client_id: c.to_owned() }
                }
            }
        }
    };
    Ok(Target { tenant, scope })
}

/// Checks `layer` where `t` puts it, over the published layers below it.
pub async fn check(state: &AppState, t: &Target, layer: &ThemeSpec) -> Result<(), ApiError> {
    let below: Vec<ThemeSpec> = state.themes.published(&t.tenant, &t.below()).await?.into_iter().map(|v| v.map(|v| v.layer).unwrap_or_default()).collect();
    let refs: Vec<&ThemeSpec> = below.iter().collect();
    views::check_frame_pages(layer).map_err(ApiError::Invalid)?;
    theme::check_layer(layer, t.level(), &refs).map_err(ApiError::Invalid)
}

pub async fn current(state: &AppState, t: &Target) -> Result<Option<ThemeVersion>, ApiError> {
    Ok(state.themes.published(&t.tenant, std::slice::from_ref(&t.scope)).await?.pop().flatten())
}

fn etag(v: Option<&ThemeVersion>) -> String {
    format!("\"v{}\"", v.map_or(0, |v| v.version))
}

/// Publishes `layer` at `t` (nothing new when it equals the current version).
async fn publish(state: &AppState, caller: &Caller, t: &Target, layer: &ThemeSpec, rollback_of: Option<i64>) -> ApiResult {
    check(state, t, layer).await?;
    let v = state.themes.publish(&t.tenant, &t.scope, layer, &caller.actor(), state.now(), rollback_of).await?;
    let mut resp = ok(&v)?;
    if let Ok(value) = header::HeaderValue::from_str(&etag(Some(&v))) {
        resp.headers_mut().insert(header::ETAG, value);
    }
    Ok(resp)
}

/// Get a theme layer: the published version (`{}` when none), its version as `ETag`.
#[utoipa::path(
    get,
    path = "/tenants/{tenant}/theme",
    tag = "themes",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses(
        (status = 200, description = "The published layer; the same path's PUT takes it back unchanged", body = Object),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator of this tenant", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tenant, workspace or client", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn get_theme(state: web::Data<AppState>, caller: Caller, req: HttpRequest) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    let v = current(&state, &t).await?;
    let mut resp = ok(&v.as_ref().map(|v| v.layer.clone()).unwrap_or_default())?;
    if let Ok(value) = header::HeaderValue::from_str(&etag(v.as_ref())) {
        resp.headers_mut().insert(header::ETAG, value);
    }
    Ok(resp)
}

/// Replace a theme layer: publishes it as the next version (unchanged: no new version).
#[utoipa::path(
    put,
    path = "/tenants/{tenant}/theme",
    tag = "themes",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body(content = Object, description = "A theme layer (themes/README.md)"),
    responses((status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"), (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"), 
        (status = 200, description = "The published version", body = Object),
        (status = 403, description = "Not an administrator of this tenant", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such tenant, workspace or client", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused; `errors` names each offending setting (unknown tokens, values that could leave their declaration, `url(`, contrast below WCAG AA with the failing pair)", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn put_theme(state: web::Data<AppState>, caller: Caller, req: HttpRequest, body: Body) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    let layer: ThemeSpec = body.parse().await?;
    publish(&state, &caller, &t, &layer, None).await
}

/// Merge into a theme layer (RFC 7396: `null` removes a setting), then publish.
#[utoipa::path(
    patch,
    path = "/tenants/{tenant}/theme",
    tag = "themes",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body(content = Object, description = "A JSON merge patch of the layer", content_type = "application/merge-patch+json"),
    responses((status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"), (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"), 
        (status = 200, description = "The published version", body = Object),
        (status = 403, description = "Not an administrator of this tenant", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused; `errors` names each offending setting", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
async fn patch_theme(state: web::Data<AppState>, caller: Caller, req: HttpRequest, body: Body) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    let patch: serde_json::Value = body.parse().await?;
    let base = current(&state, &t).await?.map(|v| v.layer).unwrap_or_default();
    let mut doc = serde_json::to_value(&base).map_err(|e| ApiError::App(e.into()))?;
    merge_patch(&mut doc, &patch);
    let layer: ThemeSpec = serde_json::from_value(doc).map_err(|e| invalid("", e.to_string()))?;
    publish(&state, &caller, &t, &layer, None).await
}

/// RFC 7396 §2.
fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    let serde_json::Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = serde_json::Value::Object(Default::default());
    }
    if let serde_json::Value::Object(t) = target {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge_patch(t.entry(k.clone()).or_insert(serde_json::Value::Null), v);
            }
        }
    }
}

/// Get the layer's draft.
#[utoipa::path(get, path = "/tenants/{tenant}/theme/draft", tag = "themes", params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses((status = 200, description = "The draft: `layer`, `author`, `updated_at`", body = Object), (status = 404, description = "No draft", body = super::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn get_draft(state: web::Data<AppState>, caller: Caller, req: HttpRequest) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    ok(&state.themes.draft(&t.tenant, &t.scope).await?.ok_or(ApiError::NotFound("draft"))?)
}

/// Save the layer's draft (checked like a publish, shown to nobody).
#[utoipa::path(put, path = "/tenants/{tenant}/theme/draft", tag = "themes", params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body(content = Object, description = "A theme layer"),
    responses((status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"), (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"), (status = 200, description = "The saved draft", body = Object), (status = 422, description = "Refused; `errors` names each offending setting", body = super::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn put_draft(state: web::Data<AppState>, caller: Caller, req: HttpRequest, body: Body) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    let layer: ThemeSpec = body.parse().await?;
    save_draft(&state, &caller, &t, &layer).await
}

/// Checks `layer` like a publish and keeps it as the draft of `t`; answers the draft.
pub async fn save_draft(state: &AppState, caller: &Caller, t: &Target, layer: &ThemeSpec) -> ApiResult {
    check(state, t, layer).await?;
    state.themes.save_draft(&t.tenant, &t.scope, layer, &caller.actor(), state.now()).await?;
    ok(&state.themes.draft(&t.tenant, &t.scope).await?.ok_or(ApiError::NotFound("draft"))?)
}

/// Discard the layer's draft.
#[utoipa::path(delete, path = "/tenants/{tenant}/theme/draft", tag = "themes", params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses((status = 204, description = "Discarded"), (status = 404, description = "No draft", body = super::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn delete_draft(state: web::Data<AppState>, caller: Caller, req: HttpRequest) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    discard_draft(&state, &t).await
}

/// Discards the draft of `t` (204; 404 when there is none).
pub async fn discard_draft(state: &AppState, t: &Target) -> ApiResult {
    if state.themes.discard_draft(&t.tenant, &t.scope).await? { Ok(HttpResponse::NoContent().finish()) } else { Err(ApiError::NotFound("draft")) }
}

/// Publish the draft as the next version; the draft is then gone.
#[utoipa::path(post, path = "/tenants/{tenant}/theme/publish", tag = "themes", params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses((status = 200, description = "The published version", body = Object), (status = 404, description = "No draft", body = super::Problem, content_type = "application/problem+json"), (status = 422, description = "The draft no longer passes the checks over the current layers below it", body = super::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn publish_draft(state: web::Data<AppState>, caller: Caller, req: HttpRequest) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    publish_draft_of(&state, &caller, &t).await
}

/// Publishes the draft of `t` as the next version (checked again over the layers below as
/// they are now); the draft is then gone.
pub async fn publish_draft_of(state: &AppState, caller: &Caller, t: &Target) -> ApiResult {
    let draft = state.themes.draft(&t.tenant, &t.scope).await?.ok_or(ApiError::NotFound("draft"))?;
    let resp = publish(state, caller, t, &draft.layer, None).await?;
    state.themes.discard_draft(&t.tenant, &t.scope).await?;
    Ok(resp)
}

/// List the layer's versions, newest first (at most 100).
#[utoipa::path(get, path = "/tenants/{tenant}/theme/versions", tag = "themes", params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    responses((status = 200, description = "Versions with `version`, `layer`, `author`, `published_at`, `rollback_of`", body = Object)),
    security(("bearer" = [])))]
async fn list_versions(state: web::Data<AppState>, caller: Caller, req: HttpRequest) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    ok(&super::Page { items: state.themes.versions(&t.tenant, &t.scope).await?, next_cursor: None })
}

fn version_of(req: &HttpRequest) -> Result<i64, ApiError> {
    req.match_info().get("version").and_then(|v| v.parse::<i64>().ok()).filter(|v| *v > 0).ok_or(ApiError::NotFound("version"))
}

/// Get one version of the layer.
#[utoipa::path(get, path = "/tenants/{tenant}/theme/versions/{version}", tag = "themes", params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("version" = i64, Path, description = "Version number")),
    responses((status = 200, description = "The version", body = Object), (status = 404, description = "No such version", body = super::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn get_version(state: web::Data<AppState>, caller: Caller, req: HttpRequest) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    let n = version_of(&req)?;
    ok(&state.themes.version(&t.tenant, &t.scope, n).await?.ok_or(ApiError::NotFound("version"))?)
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollbackBody {
    /// The version whose layer is published again.
    version: i64,
}

/// Roll back: publish an earlier version's layer again, as a new version.
#[utoipa::path(post, path = "/tenants/{tenant}/theme/rollback", tag = "themes", params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body = RollbackBody,
    responses((status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"), (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"), (status = 200, description = "The new version (`rollback_of` names the restored one)", body = Object), (status = 404, description = "No such version", body = super::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn rollback(state: web::Data<AppState>, caller: Caller, req: HttpRequest, body: Body) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    let b: RollbackBody = body.parse().await?;
    rollback_to(&state, &caller, &t, b.version).await
}

/// Publishes version `version` of `t` again, as a new version (`rollback_of` names it).
pub async fn rollback_to(state: &AppState, caller: &Caller, t: &Target, version: i64) -> ApiResult {
    let old = state.themes.version(&t.tenant, &t.scope, version).await?.ok_or(ApiError::NotFound("version"))?;
    publish(state, caller, t, &old.layer, Some(old.version)).await
}

/// What an upload answers.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AssetView {
    /// The SHA-256 of the content (hex).
    id: String,
    /// `/static/t/{tenant}/{id}.{ext}`: served with `Cache-Control: public, max-age=31536000, immutable`.
    url: String,
    content_type: String,
    size: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u32>,
}

/// Multipart overhead accepted besides the asset itself.
const MULTIPART_SLACK: usize = 16 * 1024;

/// Upload an asset (logo, favicon, background image, WOFF2 font): the raw body, or the
/// first file of a `multipart/form-data` body. The content decides its kind.
#[utoipa::path(post, path = "/tenants/{tenant}/assets", tag = "themes", params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$")),
    request_body(content = Vec<u8>, description = "PNG, WebP, SVG (no scripts, event handlers or external references), ICO or WOFF2; at most 2 MiB (SVG and ICO 256 KiB); images at most 4096 px a side", content_type = "application/octet-stream"),
    responses((status = 415, description = "A `multipart/form-data` body without a file part", body = super::Problem, content_type = "application/problem+json"),
        (status = 201, description = "Stored", body = AssetView),
        (status = 200, description = "The same content was stored already", body = AssetView),
        (status = 403, description = "Not an administrator of this tenant", body = super::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 2 MiB", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an accepted asset; `errors[0].detail` says why", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
async fn post_asset(state: web::Data<AppState>, caller: Caller, req: HttpRequest, payload: web::Payload) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    upload(&state, &t, &req, payload).await
}

/// Reads an asset of `t`'s tenant from the body (raw, or the first part of a multipart
/// body), checks it by content and stores it: 201, or 200 when it was stored already.
pub async fn upload(state: &AppState, t: &Target, req: &HttpRequest, mut payload: web::Payload) -> ApiResult {
    use futures_util::StreamExt;
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| invalid("", format!("body: {e}")))?;
        if bytes.len() + chunk.len() > assets::MAX_ASSET + MULTIPART_SLACK {
            return Err(ApiError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let content = if content_type.to_ascii_lowercase().starts_with("multipart/form-data") {
        first_part(content_type, &bytes).ok_or(ApiError::Unsupported("Send a multipart/form-data body with one file part, or the file as the body."))?
    } else {
        &bytes[..]
    };
    let checked = assets::check(content).map_err(|m| invalid("", m))?;
    let asset = Asset {
        tenant_id: t.tenant.clone(),
        id: assets::id_of(content),
        content_type: checked.kind.content_type().into(),
        bytes: content.to_vec(),
        width: checked.width,
        height: checked.height,
        created_at: state.now(),
    };
    let new = state.themes.put_asset(&asset).await?;
    let view = AssetView { url: assets::url(t.tenant.as_str(), &asset.id, checked.kind), id: asset.id, content_type: asset.content_type, size: content.len(), width: checked.width, height: checked.height };
    if new { created(&view) } else { ok(&view) }
}

/// The content of the first part of a multipart/form-data body (RFC 7578).
fn first_part<'a>(content_type: &str, body: &'a [u8]) -> Option<&'a [u8]> {
    let boundary = content_type.split(';').filter_map(|p| p.trim().strip_prefix("boundary=")).next()?.trim_matches('"');
    if boundary.is_empty() || boundary.len() > 70 {
        return None;
    }
    let delim = format!("--{boundary}");
    let start = find(body, delim.as_bytes())? + delim.len();
    let rest = &body[start..];
    let headers_end = find(rest, b"\r\n\r\n")? + 4;
    let content = &rest[headers_end..];
    let end = find(content, format!("\r\n{delim}").as_bytes())?;
    Some(&content[..end])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewArgs {
    pub locale: Option<String>,
    /// Preview as this client's pages (its stored layer counts).
    pub client: Option<String>,
    /// Which stored layer the draft stands in for: `tenant`, `workspace` (default) or
    /// `client` (default when `client` is given).
    pub layer: Option<String>,
}

/// What a preview shows, checked before its body is read: the page, and where the draft
/// stands among the workspace's (and client's) stored layers.
pub struct PreviewOf {
    page: PageId,
    locale: Option<String>,
    client: Option<String>,
    /// 0: the tenant's layer, 1: the workspace's, 2: the client's.
    at: usize,
}

/// Preview a page with a draft layer: the page's HTML with sample data, the draft in place
/// of the stored layer it stands for (layers above it stay). Nothing is stored.
#[utoipa::path(post, path = "/tenants/{tenant}/workspaces/{workspace}/preview/{page}", tag = "themes",
    params(("tenant" = String, Path, description = "Tenant id", pattern = "^[a-z0-9_][a-z0-9_-]{0,63}$"), ("workspace" = String, Path, description = "Workspace id"), ("page" = String, Path, description = "A page id of GET /pages"),
        ("locale" = Option<String>, Query, description = "The page language"), ("client" = Option<String>, Query, description = "Preview the pages of this client"), ("layer" = Option<String>, Query, description = "tenant | workspace | client: the layer the draft stands in for")),
    request_body(content = Object, description = "The draft theme layer"),
    responses((status = 415, description = "The body is not `application/json`", body = super::Problem, content_type = "application/problem+json"), (status = 413, description = "The body is larger than the API reads", body = super::Problem, content_type = "application/problem+json"), (status = 200, description = "The page's HTML", content_type = "text/html"), (status = 404, description = "No such workspace, client or page", body = super::Problem, content_type = "application/problem+json"), (status = 422, description = "The draft is refused; `errors` names each offending setting", body = super::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn post_preview(state: web::Data<AppState>, caller: Caller, req: HttpRequest, args: Args, body: Body) -> ApiResult {
    let t = target(&state, &caller, &req).await?;
    let a: PreviewArgs = args.parse()?;
    let of = preview_of(&state, &t, req.match_info().get("page").unwrap_or_default(), a).await?;
    let draft: ThemeSpec = body.parse().await?;
    preview(&state, &t, &of, draft, None).await
}

/// Checks what a preview at the workspace `t` asks for: the page id, the client, and the
/// layer the draft stands in for.
pub async fn preview_of(state: &AppState, t: &Target, page: &str, a: PreviewArgs) -> Result<PreviewOf, ApiError> {
    let ThemeScope::Workspace(ws) = &t.scope else { return Err(ApiError::NotFound("workspace")) };
    let page = PageId::ALL.iter().copied().find(|id| id.as_str() == page).ok_or(ApiError::NotFound("page"))?;
    if let Some(c) = &a.client {
        state.clients.get(&t.tenant, ws, c).await?.ok_or(ApiError::NotFound("client"))?;
    }
    let at = match (a.layer.as_deref(), &a.client) {
        (Some("tenant"), _) => 0,
        (Some("workspace"), _) | (None, None) => 1,
        (Some("client"), Some(_)) | (None, Some(_)) => 2,
        _ => return Err(invalid("/layer", "tenant, workspace, or client (with client=…)")),
    };
    Ok(PreviewOf { page, locale: a.locale, client: a.client, at })
}

/// The page of `of` with sample data and `draft` in place of its stored layer (layers
/// above it stay), in `scheme` when given (else as the theme says); stores nothing.
pub async fn preview(state: &AppState, t: &Target, of: &PreviewOf, draft: ThemeSpec, scheme: Option<theme::ColorScheme>) -> ApiResult {
    let ThemeScope::Workspace(ws) = &t.scope else { return Err(ApiError::NotFound("workspace")) };
    let (page, at) = (of.page, of.at);
    let level = [Level::Tenant(t.tenant.as_str()), Level::Workspace(t.tenant.as_str()), Level::Client(t.tenant.as_str())][at];
    let mut layers = store::stack(state.themes.as_ref(), &t.tenant, ws, of.client.as_deref()).await?;
    let origins = if at == 0 { vec![] } else { layers[0].allowed_origins.clone() };
    // The draft is rendered: it passes the same checks as a stored layer (contrast aside,
    // which a work in progress may fail; publishing refuses it).
    theme::validate(&draft, level, &origins).map_err(ApiError::Invalid)?;
    views::check_frame_pages(&draft).map_err(ApiError::Invalid)?;
    layers[at] = draft;
    let mut resolved = theme::resolve_over_builtin(&layers);
    if let Some(s) = scheme {
        resolved.color_scheme = s;
    }
    let ui_locales: Vec<String> = of.locale.iter().cloned().collect();
    let strings = resolved.strings(crate::locale::negotiate(crate::locale::Preferences { ui_locales: &ui_locales, user: None, accept_language: None, default: None }));
    let html = views::samples::sample(page, &resolved, &strings).dyn_render().map_err(|e| ApiError::App(crate::error::AppError::internal(format!("preview: {e}"))))?;
    let html = resolved.framed(html);
    let origins = resolved.csp_origins();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CONTENT_SECURITY_POLICY, format!("default-src 'none'; style-src 'self' 'nonce-sample-nonce'; img-src 'self' data:{origins}; font-src 'self'{origins}; form-action 'none'; base-uri 'none'; frame-ancestors 'self'")))
        .body(html))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PageView {
    /// The page id (`data-page` of the page's body; `{page}` of the preview).
    id: &'static str,
}

/// List the hosted pages a theme styles (the ids the preview takes).
#[utoipa::path(get, path = "/pages", tag = "themes",
    responses((status = 200, description = "The page ids", body = super::Page<PageView>), (status = 403, description = "Not a tenant administrator", body = super::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
async fn list_pages(caller: Caller) -> ApiResult {
    if !caller.tenant_admin(&caller.tenant.clone()) {
        return Err(ApiError::Forbidden);
    }
    ok(&super::Page { items: PageId::ALL.iter().map(|p| PageView { id: p.as_str() }).collect(), next_cursor: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut doc = serde_json::json!({ "a": "b", "c": { "d": "e", "f": "g" } });
        merge_patch(&mut doc, &serde_json::json!({ "a": "z", "c": { "f": null } }));
        assert_eq!(doc, serde_json::json!({ "a": "z", "c": { "d": "e" } }));
    }

    #[test]
    fn the_first_multipart_part_is_the_file() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n--XyZ--\r\n";
        assert_eq!(first_part("multipart/form-data; boundary=XyZ", body), Some(&b"PNGDATA"[..]));
        assert_eq!(first_part("multipart/form-data", body), None);
    }
}
