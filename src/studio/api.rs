//! The studio's calls from its page (`static/js/studio.js`): JSON under
//! `/{tenant}/studio/api/…`, answered like the admin API (problem documents with JSON
//! pointers), and the preview, a form posted into the preview frame.
//!
//! Who may do what: every call takes a live studio session of the tenant in the path (401)
//! whose user is `tenant-admin` of it or `system-admin`, read anew (403); every call that
//! changes something also takes the session's CSRF token (403), before its body is read.
//! The layer is named by `?workspace=` and `?client=` (neither: the tenant's layer) and
//! reached through `admin::themes::target_of`, which refuses what the admin API refuses;
//! writes are the admin API's own functions, so drafts, versions and authors are the same.
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

use super::page::{self, Message};
use super::session::{self, Studio};
use crate::admin::themes::{self as admin, PreviewArgs, Target};
use crate::admin::{ApiError, ApiResult, Body, invalid};
use crate::state::AppState;
use crate::theme::{self, ColorScheme, ThemeSpec};

/// Which layer a call is about.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LayerArgs {
    workspace: Option<String>,
    client: Option<String>,
    /// `GET api/texts` only.
    locale: Option<String>,
}

fn args(req: &HttpRequest) -> Result<LayerArgs, ApiError> {
    let a: LayerArgs = serde_urlencoded::from_str(req.query_string()).map_err(|e| invalid("", e.to_string()))?;
    if a.client.is_some() && a.workspace.is_none() {
        return Err(invalid("/client", "a client is named with its workspace (workspace=…)"));
    }
    Ok(a)
}

async fn target(state: &AppState, s: &Studio, a: &LayerArgs) -> Result<Target, ApiError> {
    admin::target_of(state, &s.caller, s.tenant.clone(), a.workspace.as_deref(), a.client.as_deref()).await
}

/// Records a change in the tenant's audit trail with its answer's status.
async fn audited(state: &AppState, s: &Studio, action: &str, subject: &str, result: ApiResult) -> HttpResponse {
    let resp = result.unwrap_or_else(|e| e.response());
    session::audit(state, &s.tenant, &s.caller.actor(), action, subject, json!({ "status": resp.status().as_u16() })).await;
    resp
}

/// What the versions and drafts call their authors: a user of the tenant by username.
struct Authors<'a> {
    state: &'a AppState,
    tenant: &'a crate::model::TenantId,
    seen: HashMap<String, String>,
}

impl Authors<'_> {
    async fn name(&mut self, author: &str) -> Result<String, ApiError> {
        if let Some(n) = self.seen.get(author) {
            return Ok(n.clone());
        }
        let name = match author.strip_prefix("user:") {
            Some(id) => self.state.users.get(self.tenant, id).await?.map_or_else(|| author.to_owned(), |u| u.username),
            None => author.to_owned(),
        };
        self.seen.insert(author.to_owned(), name.clone());
        Ok(name)
    }
}

/// `GET api/layer`: the layer's published version, its draft, its versions (newest
/// first, authors by name) and what it inherits (the theme resolved from the layers
/// below it and the built-in one).
pub async fn get_layer(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    let s = session::authorize(&state, &req, false, None).await?;
    let t = target(&state, &s, &args(&req)?).await?;
    let mut authors = Authors { state: &state, tenant: &t.tenant, seen: HashMap::new() };
    let published = admin::current(&state, &t).await?;
    let draft = match state.themes.draft(&t.tenant, &t.scope).await? {
        Some(d) => Some(json!({ "layer": d.layer, "author": authors.name(&d.author).await?, "updated_at": d.updated_at })),
        None => None,
    };
    let mut versions = vec![];
    for v in state.themes.versions(&t.tenant, &t.scope).await? {
        versions.push(json!({ "version": v.version, "author": authors.name(&v.author).await?, "published_at": v.published_at, "rollback_of": v.rollback_of }));
    }
    let below = inherited(&state, &t).await?;
    let colours: serde_json::Map<String, Value> = theme::COLOURS.iter().filter_map(|c| below.dark_token(c).map(|v| ((*c).to_owned(), Value::from(v)))).collect();
    crate::admin::ok(&json!({
        "published": published.map(|v| json!({ "version": v.version, "layer": v.layer })),
        "draft": draft,
        "versions": versions,
        "below": {
            "product_name": below.product_name,
            "logo_url": below.logo_url,
            "favicon_url": below.favicon_url,
            "background_image": below.background_image,
            "layout": below.layout.as_str(),
            "color_scheme": if below.color_scheme.attr().is_empty() { "auto" } else { below.color_scheme.attr() },
            "tokens": below.tokens.iter().cloned().collect::<HashMap<String, String>>(),
            "dark": colours,
            "fonts": below.fonts,
        },
    }))
}

/// The theme the layers below `t` (and the built-in one) resolve to.
async fn inherited(state: &AppState, t: &Target) -> Result<theme::Theme, ApiError> {
    let below: Vec<ThemeSpec> = state.themes.published(&t.tenant, &t.below()).await?.into_iter().map(|v| v.map(|v| v.layer).unwrap_or_default()).collect();
    Ok(theme::resolve_over_builtin(&below))
}

/// `PUT api/draft` (JSON layer): checks it and keeps it as the layer's draft.
pub async fn put_draft(state: web::Data<AppState>, req: HttpRequest, body: Body) -> Result<HttpResponse, ApiError> {
    let s = session::authorize(&state, &req, true, None).await?;
    let t = target(&state, &s, &args(&req)?).await?;
    let layer: ThemeSpec = body.parse().await?;
    Ok(audited(&state, &s, "draft_saved", &t.scope.key(), admin::save_draft(&state, &s.caller, &t, &layer).await).await)
}

/// `DELETE api/draft`: discards the layer's draft.
pub async fn delete_draft(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let s = session::authorize(&state, &req, true, None).await?;
    let t = target(&state, &s, &args(&req)?).await?;
    Ok(audited(&state, &s, "draft_discarded", &t.scope.key(), admin::discard_draft(&state, &t).await).await)
}

/// `POST api/check` (JSON layer): what publishing it would refuse, as `{"errors": […]}`
/// (empty when it would be accepted), for the page to show while one types. Stores
/// nothing.
pub async fn post_check(state: web::Data<AppState>, req: HttpRequest, body: Body) -> ApiResult {
    let s = session::authorize(&state, &req, true, None).await?;
    let t = target(&state, &s, &args(&req)?).await?;
    let layer: ThemeSpec = body.parse().await?;
    let errors = match admin::check(&state, &t, &layer).await {
        Ok(()) => vec![],
        Err(ApiError::Invalid(errors)) => errors,
        Err(e) => return Err(e),
    };
    crate::admin::ok(&json!({ "errors": errors.iter().map(|e| json!({ "pointer": e.pointer, "detail": e.message })).collect::<Vec<_>>() }))
}

/// `POST api/publish`: publishes the layer's draft as the next version.
pub async fn post_publish(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let s = session::authorize(&state, &req, true, None).await?;
    let t = target(&state, &s, &args(&req)?).await?;
    Ok(audited(&state, &s, "published", &t.scope.key(), admin::publish_draft_of(&state, &s.caller, &t).await).await)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RollbackBody {
    version: i64,
}

/// `POST api/rollback` `{"version": n}`: publishes version `n` again.
pub async fn post_rollback(state: web::Data<AppState>, req: HttpRequest, body: Body) -> Result<HttpResponse, ApiError> {
    let s = session::authorize(&state, &req, true, None).await?;
    let t = target(&state, &s, &args(&req)?).await?;
    let b: RollbackBody = body.parse().await?;
    Ok(audited(&state, &s, "rolled_back", &t.scope.key(), admin::rollback_to(&state, &s.caller, &t, b.version).await).await)
}

/// `POST api/assets` (the file as the body): an asset of the tenant, as the admin API's
/// upload.
pub async fn post_asset(state: web::Data<AppState>, req: HttpRequest, payload: web::Payload) -> Result<HttpResponse, ApiError> {
    let s = session::authorize(&state, &req, true, None).await?;
    let t = admin::target_of(&state, &s.caller, s.tenant.clone(), None, None).await?;
    Ok(audited(&state, &s, "asset_uploaded", "assets", admin::upload(&state, &t, &req, payload).await).await)
}

/// `GET api/texts?locale=L`: every text key a theme may override (the studio's own
/// aside), with the text it has now below this layer (variables shown as `{ $name }`)
/// and its variables.
pub async fn get_texts(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    let s = session::authorize(&state, &req, false, None).await?;
    let a = args(&req)?;
    let lang = a.locale.as_deref().and_then(|l| crate::locale::LOCALES.iter().copied().find(|x| *x == l)).ok_or_else(|| invalid("/locale", format!("one of {}", crate::locale::LOCALES.join(", "))))?;
    let t = target(&state, &s, &a).await?;
    let strings = inherited(&state, &t).await?.strings(lang);
    let items: Vec<Value> = crate::texts::KEYS
        .iter()
        .filter(|(name, _)| !name.starts_with("studio_"))
        .map(|(name, vars)| {
            let shown: Vec<(&str, crate::texts::Arg)> = vars.iter().map(|v| (*v, crate::texts::Arg::Str(format!("{{ ${v} }}")))).collect();
            json!({ "key": crate::texts::key_of(name), "text": strings.text(name, &shown), "vars": vars })
        })
        .collect();
    crate::admin::ok(&json!({ "locale": lang, "items": items }))
}

/// The most a preview form may carry (a layer with frames, URL-encoded).
const MAX_PREVIEW_FORM: usize = 1024 * 1024;

/// `POST /{tenant}/studio/preview` (a form posted into the preview frame; the session is
/// looked up before the body (at most [`MAX_PREVIEW_FORM`]) is read; fields `csrf`,
/// `layer` (JSON), `page`, `locale`, `scheme` (`light`, `dark`, or the theme's own),
/// `workspace`, `client`, `at` (the layer the posted one stands in for: `tenant`,
/// `workspace`, `client`)): the page with sample data, as the admin API's preview renders
/// it, framed by the studio only. Stores nothing.
pub async fn post_preview(state: web::Data<AppState>, req: HttpRequest, mut payload: web::Payload) -> HttpResponse {
    use futures_util::StreamExt;
    let t = page::texts(&req, None);
    // The session first: without one, nothing of the body is read.
    let (key, record) = match session::session_of(&state, &req).await {
        Ok(found) => found,
        Err(e) => return refused(&t, &e),
    };
    let mut body = web::BytesMut::new();
    while let Some(Ok(chunk)) = payload.next().await {
        if body.len() + chunk.len() > MAX_PREVIEW_FORM {
            return refused(&t, &ApiError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    let field = |name: &str| crate::http::field(&body, name).filter(|v| !v.is_empty());
    let result: ApiResult = async {
        let s = session::admit(&state, key, record, &req, true, Some(&field("csrf").unwrap_or_default())).await?;
        let workspace = field("workspace").ok_or_else(|| invalid("/workspace", "the workspace to preview in"))?;
        let target = admin::target_of(&state, &s.caller, s.tenant.clone(), Some(&workspace), None).await?;
        let of = admin::preview_of(&state, &target, &field("page").unwrap_or_default(), PreviewArgs { locale: field("locale"), client: field("client"), layer: field("at") }).await?;
        let layer: ThemeSpec = serde_json::from_str(&field("layer").unwrap_or_else(|| "{}".into())).map_err(|e| invalid("", e.to_string()))?;
        let scheme = match field("scheme").as_deref() {
            Some("light") => Some(ColorScheme::Light),
            Some("dark") => Some(ColorScheme::Dark),
            _ => None,
        };
        admin::preview(&state, &target, &of, layer, scheme).await
    }
    .await;
    match result {
        Ok(mut resp) => {
            // Shown in the studio's own frame only (its CSP says `frame-ancestors 'self'`).
            resp.headers_mut().insert(header::X_FRAME_OPTIONS, header::HeaderValue::from_static("SAMEORIGIN"));
            resp
        }
        Err(e) => refused(&t, &e),
    }
}

/// A preview that cannot be shown, as a page in the preview frame.
fn refused(t: &crate::views::Texts, e: &ApiError) -> HttpResponse {
    let status = e.response().status();
    let (heading, items) = match e {
        ApiError::Invalid(errors) => (t.studio_preview_refused.clone(), errors.iter().map(|e| format!("{}: {}", e.pointer, e.message)).collect()),
        ApiError::Unauthorized(_) => (t.studio_session_over.clone(), vec![]),
        _ => (t.studio_failed.clone(), vec![]),
    };
    let mut resp = Message::new(&heading, "").items(items).render(status, t);
    resp.headers_mut().insert(header::X_FRAME_OPTIONS, header::HeaderValue::from_static("SAMEORIGIN"));
    if let Ok(v) = header::HeaderValue::from_str("default-src 'none'; style-src 'self'; frame-ancestors 'self'; base-uri 'none'") {
        resp.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    resp
}

