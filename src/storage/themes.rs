//! Themes as versioned objects, and their assets. One layer per scope of a tenant (the
//! tenant itself, a workspace, a client); each publish appends a version with who and
//! when; a rollback publishes an old version's layer again as a new version (history only
//! grows); a draft per scope is kept apart and never shown to end users. Nothing but this
//! store writes a theme: writing a tenant, workspace, pool or client never touches one.
use async_trait::async_trait;
use serde::Serialize;

use super::{Result, TenantId};
use crate::theme::ThemeSpec;

/// Which layer of a tenant's themes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ThemeScope {
    Tenant,
    Workspace(String),
    Client { workspace: String, client_id: String },
}

impl ThemeScope {
    /// The stored key: `tenant`, `workspace/{w}`, `client/{w}/{c}`.
    pub fn key(&self) -> String {
        match self {
            ThemeScope::Tenant => "tenant".into(),
            ThemeScope::Workspace(w) => format!("workspace/{w}"),
            ThemeScope::Client { workspace, client_id } => format!("client/{workspace}/{client_id}"),
        }
    }

    /// The scopes whose layers a page of `workspace` (and `client`) stacks, most general
    /// first.
    pub fn stack(workspace: &str, client: Option<&str>) -> Vec<ThemeScope> {
        let mut s = vec![ThemeScope::Tenant, ThemeScope::Workspace(workspace.to_owned())];
        if let Some(c) = client {
            s.push(ThemeScope::Client { workspace: workspace.to_owned(), client_id: c.to_owned() });
        }
        s
    }
}

/// A published version of a layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeVersion {
    /// 1, 2, …: per scope, in publishing order.
    pub version: i64,
    pub layer: ThemeSpec,
    /// The actor that published it (`user:…`, `client:…`, `provisioning`).
    pub author: String,
    pub published_at: i64,
    /// The version this one restored, for a rollback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback_of: Option<i64>,
}

/// The unpublished draft of a layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeDraft {
    pub layer: ThemeSpec,
    pub author: String,
    pub updated_at: i64,
}

/// A stored asset: its id is the hex SHA-256 of `bytes`.
#[derive(Clone, PartialEq, Eq)]
pub struct Asset {
    pub tenant_id: TenantId,
    pub id: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub created_at: i64,
}

impl std::fmt::Debug for Asset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Asset").field("tenant_id", &self.tenant_id).field("id", &self.id).field("content_type", &self.content_type).field("len", &self.bytes.len()).finish()
    }
}

/// The published layers a page of `workspace` (and `client`) stacks over the built-in
/// theme, most general first; a scope with nothing published adds an empty layer.
pub async fn stack(themes: &dyn ThemeStore, tenant: &TenantId, workspace: &str, client: Option<&str>) -> Result<Vec<ThemeSpec>> {
    let found = themes.published(tenant, &ThemeScope::stack(workspace, client)).await?;
    Ok(found.into_iter().map(|v| v.map(|v| v.layer).unwrap_or_default()).collect())
}

/// The most versions `versions` lists.
pub const MAX_VERSIONS_LISTED: usize = 100;

#[async_trait]
pub trait ThemeStore: Send + Sync {
    /// The current (latest) published version of each scope, in the order asked; `None`
    /// where nothing was published.
    async fn published(&self, tenant: &TenantId, scopes: &[ThemeScope]) -> Result<Vec<Option<ThemeVersion>>>;
    /// Publishes `layer` as the scope's next version, unless it equals the current one:
    /// then nothing is written and the current version is returned. Two publishes racing
    /// for one version number: the loser gets `AppError::Conflict("version")`.
    async fn publish(&self, tenant: &TenantId, scope: &ThemeScope, layer: &ThemeSpec, author: &str, now: i64, rollback_of: Option<i64>) -> Result<ThemeVersion>;
    /// The scope's versions, newest first, at most [`MAX_VERSIONS_LISTED`].
    async fn versions(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<Vec<ThemeVersion>>;
    async fn version(&self, tenant: &TenantId, scope: &ThemeScope, version: i64) -> Result<Option<ThemeVersion>>;
    async fn draft(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<Option<ThemeDraft>>;
    /// Replaces the scope's draft.
    async fn save_draft(&self, tenant: &TenantId, scope: &ThemeScope, layer: &ThemeSpec, author: &str, now: i64) -> Result<()>;
    /// Forgets the draft; false when there was none.
    async fn discard_draft(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<bool>;
    /// Stores an asset; storing the same content again changes nothing (false).
    async fn put_asset(&self, asset: &Asset) -> Result<bool>;
    async fn asset(&self, tenant: &TenantId, id: &str) -> Result<Option<Asset>>;
}
