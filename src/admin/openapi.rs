//! The OpenAPI 3 document of the admin API, generated from the handlers' annotations and
//! the request and response types (utoipa).
use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{directory, factors, import, themes, users};

#[derive(OpenApi)]
#[openapi(
    info(title = "Portcullis admin API", description = "Tenants, workspaces, pools, users, groups, privileges, clients, schemas and policies. Authenticate with a bearer access token issued by Portcullis with the `admin` scope."),
    paths(
        directory::list_tenants,
        themes::get_theme,
        themes::put_theme,
        themes::patch_theme,
        themes::get_draft,
        themes::put_draft,
        themes::delete_draft,
        themes::publish_draft,
        themes::list_versions,
        themes::get_version,
        themes::rollback,
        themes::post_asset,
        themes::post_preview,
        themes::list_pages,
        super::templates::list_templates,
        directory::get_tenant,
        directory::put_tenant,
        directory::list_pools,
        directory::get_pool,
        directory::put_pool,
        directory::get_policy,
        directory::put_policy,
        directory::list_workspaces,
        directory::put_workspace,
        directory::list_clients,
        directory::get_client,
        directory::put_client,
        directory::delete_client,
        directory::list_schemas,
        directory::get_schema,
        directory::put_schema,
        directory::delete_schema,
        directory::list_privileges,
        directory::list_holders,
        directory::put_holder,
        directory::delete_holder,
        directory::list_audit,
        users::list_users,
        users::create_user,
        users::get_user,
        users::patch_user,
        users::delete_user,
        users::put_status,
        users::put_password,
        users::list_groups,
        users::create_group,
        users::get_group,
        users::delete_group,
        users::list_members,
        users::put_member,
        users::delete_member,
        import::post_import,
        factors::list_factors,
        factors::delete_factor,
        factors::reset_factors,
    ),
    components(schemas(
        super::Problem,
        super::ProblemField,
        directory::TenantView,
        directory::TenantBody,
        directory::WorkspaceView,
        directory::ClientView,
        crate::storage::ConsentMode,
        directory::SchemaView,
        directory::PrivilegeView,
        users::UserView,
        crate::storage::UserStatus,
        crate::identity::users::Change,
        users::StatusBody,
        users::PasswordBody,
        users::GroupBody,
        crate::identity::lifecycle::UserInput,
        crate::identity::policy::PasswordPolicy,
        crate::storage::identity::Pool,
        crate::storage::identity::PoolSettings,
        crate::storage::identity::Identifier,
        crate::storage::identity::Activation,
        crate::storage::identity::Group,
        crate::storage::identity::AuditRecord,
        crate::storage::identity::MfaSettings,
        crate::storage::identity::MfaPolicy,
        crate::model::AssuranceLevel,
        factors::FactorView,
        factors::ResetView,
    )),
    modifiers(&SecurityAddon, &ThemeLayers),
    tags(
        (name = "directory", description = "Tenants, pools and their password policies, workspaces and clients"),
        (name = "users", description = "Users of a pool: creation, updates, status and password"),
        (name = "groups", description = "Groups of a pool and their members"),
        (name = "privileges", description = "Privileges and their holders"),
        (name = "schemas", description = "JSON Schemas of user payloads and metadata"),
        (name = "import", description = "Bulk import of users (NDJSON or CSV)"),
        (name = "audit", description = "The tenant's audit trail"),
        (name = "themes", description = "Theme layers of tenants, workspaces and clients: versions, drafts, rollback, assets and preview"),
    )
)]
pub struct ApiDoc;

/// The `bearer` security scheme every operation requires: an access token (a JWT) issued
/// by Portcullis with the `admin` scope.
struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .description(Some("An access token issued by Portcullis with the `admin` scope"))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The theme operations of the tenant layer exist as well for each workspace
/// (`/tenants/{tenant}/workspaces/{workspace}/theme…`) and client
/// (`…/workspaces/{workspace}/clients/{client}/theme…`): the same operations, with the
/// extra path parameters.
struct ThemeLayers;

impl Modify for ThemeLayers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ObjectBuilder, Required, Type};
        let param = |name: &str, what: &str| {
            ParameterBuilder::new().name(name).parameter_in(ParameterIn::Path).required(Required::True).description(Some(what)).schema(Some(ObjectBuilder::new().schema_type(Type::String))).build()
        };
        let tenant_paths: Vec<(String, utoipa::openapi::PathItem)> =
            openapi.paths.paths.iter().filter(|(p, _)| p.starts_with("/tenants/{tenant}/theme")).map(|(p, i)| (p.clone(), i.clone())).collect();
        for (path, item) in tenant_paths {
            let rest = &path["/tenants/{tenant}".len()..];
            let mut ws = item.clone();
            ws.parameters = Some(vec![param("workspace", "Workspace id").into()]);
            openapi.paths.paths.insert(format!("/tenants/{{tenant}}/workspaces/{{workspace}}{rest}"), ws);
            let mut client = item;
            client.parameters = Some(vec![param("workspace", "Workspace id").into(), param("client", "Client id").into()]);
            openapi.paths.paths.insert(format!("/tenants/{{tenant}}/workspaces/{{workspace}}/clients/{{client}}{rest}"), client);
        }
    }
}

pub async fn get_openapi() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(ApiDoc::openapi().to_pretty_json().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::openapi::RefOr;
    use utoipa::openapi::security::SecurityScheme;

    #[test]
    fn document_lists_every_operation() {
        let doc = ApiDoc::openapi();
        let users = doc.paths.paths.get("/tenants/{tenant}/pools/{pool}/users").expect("users path");
        assert!(users.get.is_some() && users.post.is_some());
        let import = doc.paths.paths.get("/tenants/{tenant}/pools/{pool}/import").expect("import path");
        assert!(import.post.is_some());
        let client_theme = doc.paths.paths.get("/tenants/{tenant}/workspaces/{workspace}/clients/{client}/theme").expect("client theme path");
        assert!(client_theme.get.is_some() && client_theme.put.is_some() && client_theme.patch.is_some());
        assert!(doc.paths.paths.contains_key("/tenants/{tenant}/workspaces/{workspace}/theme/rollback"));
        let operations: usize = doc
            .paths
            .paths
            .values()
            .map(|item| {
                [&item.get, &item.put, &item.post, &item.delete, &item.options, &item.head, &item.patch, &item.trace].iter().filter(|o| o.is_some()).count()
            })
            .sum();
        assert!(operations >= 30, "{operations} operations");
        let schemes = &doc.components.as_ref().expect("components").security_schemes;
        assert!(matches!(schemes.get("bearer"), Some(RefOr::T(SecurityScheme::Http(_)))));
        // The document serializes (the handler serves it as JSON).
        assert!(doc.to_json().is_ok());
    }
}
