//! The OpenAPI 3 document of the admin API, generated from the handlers' annotations and
//! the request and response types (utoipa).
use actix_web::HttpResponse;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Portcullis admin API", description = "Tenants, workspaces, pools, users, groups, privileges, clients, schemas and policies. Authenticate with a bearer access token issued by Portcullis with the `admin` scope."),
    components(schemas(super::Problem, super::ProblemField))
)]
pub struct ApiDoc;

pub async fn get_openapi() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(ApiDoc::openapi().to_pretty_json().unwrap_or_default())
}
