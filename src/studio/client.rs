//! Which client the studio signs in with: the tenant's public client that registers the
//! studio's callback (see the module above). Read by the sign-in and by every session
//! check, so a session ends once its client no longer is the studio's.
use crate::error::AppError;
use crate::model::TenantId;
use crate::state::AppState;
use crate::storage::Client;

/// Where the studio's sign-in comes back: the redirect URI its client registers.
pub fn redirect_uri(state: &AppState, tenant: &TenantId) -> String {
    format!("{}/{tenant}/studio/callback", state.config.public_url.as_str().trim_end_matches('/'))
}

/// The studio's client: the first public client of the tenant (by workspace id, then
/// client id) that may use the code flow and registers the studio's redirect URI.
pub async fn studio_client(state: &AppState, tenant: &TenantId) -> Result<Option<Client>, AppError> {
    let redirect = redirect_uri(state, tenant);
    for (workspace, _, _) in state.directory.workspaces(tenant).await? {
        let found = state.clients.clients(tenant, &workspace).await?.into_iter().find(|c| is_studio_client(c, &redirect));
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

pub fn is_studio_client(c: &Client, redirect: &str) -> bool {
    c.is_public() && c.allows_grant("authorization_code") && c.redirect_uris.iter().any(|u| u == redirect)
}
