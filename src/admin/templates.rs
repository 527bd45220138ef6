//! Industry templates in the admin API: `GET /templates` lists what `template:` of a
//! workspace (or a pool) document may name, with exactly what each sets: the workspace's
//! theme layer and the defaults of the pools and clients created with it
//! (themes/README.md, "Industry templates").
//!
//! Who may do what: any tenant administrator (of the caller's own tenant) or system
//! administrator may read the list, as `GET /pages`; the templates are the same for every
//! tenant and hold nothing of any tenant. Anyone else is refused with 403.
use actix_web::web;

use super::{ApiError, ApiResult, Caller, ok};
use crate::templates::{self, Template};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/templates").route(crate::http::get().to(list_templates)));
}

/// List the industry templates: id, title, description, the workspace theme layer they
/// start with, and the defaults of pools and clients created with the workspace.
#[utoipa::path(get, path = "/templates", tag = "themes",
    responses(
        (status = 200, description = "The templates", body = super::Page<Template>),
        (status = 401, description = "No valid bearer access token with the `admin` scope", body = super::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a tenant administrator", body = super::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub(super) async fn list_templates(caller: Caller) -> ApiResult {
    if !caller.tenant_admin(&caller.tenant.clone()) {
        return Err(ApiError::Forbidden);
    }
    ok(&super::Page { items: templates::all().to_vec(), next_cursor: None })
}
