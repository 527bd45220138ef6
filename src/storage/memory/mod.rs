//! In-memory implementations of every store trait: the session store a single node uses
//! by default (`MemoryStore`), and `MemoryDb`, which holds what the database holds, for
//! tests and for trying things out. `MemoryDb` keeps every guarantee the traits document
//! (tenant scoping, conflicts named, atomic writes: each method takes one lock).
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};

use crate::error::AppError;
use crate::storage::identity::{AuditRecord, Credential, Group, Pool, Privilege};
use crate::storage::{Client, Grant, Result, StoredKey, TenantId, User};
use crate::storage::themes::{Asset, ThemeDraft, ThemeVersion};

mod apply;
mod directory;
mod identity;
mod session;
mod themes;
mod tokens;

pub use session::MemoryStore;

#[derive(Clone)]
struct TenantRow {
    name: String,
    levels: Vec<crate::model::AssuranceLevel>,
    mail_from: Option<crate::delivery::Sender>,
}

#[derive(Clone)]
struct WorkspaceRow {
    name: String,
    default_locale: Option<String>,
    links: crate::storage::WorkspaceLinks,
    pools: Vec<String>,
}

#[derive(Clone)]
struct RefreshRow {
    grant_id: String,
    expires_at: i64,
    used: bool,
}

/// (tenant, workspace, user, client).
type ConsentKey = (String, String, String, String);

/// Everything, keyed as the SQL tables are (tenant first). `Clone`: a write of many
/// rows works on a copy and keeps it only if every row succeeds.
#[derive(Default, Clone)]
struct Data {
    tenants: BTreeMap<String, TenantRow>,
    workspaces: BTreeMap<(String, String), WorkspaceRow>,
    pools: BTreeMap<(String, String), Pool>,
    /// By user id.
    users: BTreeMap<String, User>,
    /// In insertion order (ties in time are broken by it).
    credentials: Vec<Credential>,
    groups: BTreeMap<(String, String, String), Group>,
    /// (tenant, pool, group, user).
    members: BTreeSet<(String, String, String, String)>,
    privileges: BTreeMap<(String, String), Privilege>,
    /// (tenant, privilege, holder).
    holders: BTreeSet<(String, String, String)>,
    schemas: BTreeMap<(String, String), serde_json::Value>,
    clients: BTreeMap<(String, String, String), Client>,
    /// → (scopes, updated at).
    consents: BTreeMap<ConsentKey, (Vec<String>, i64)>,
    audit: Vec<(String, AuditRecord)>,
    grants: BTreeMap<String, Grant>,
    refresh: HashMap<[u8; 32], RefreshRow>,
    denylist: HashMap<String, i64>,
    keys: Vec<StoredKey>,
    /// Key → (hits, window end).
    counters: HashMap<String, (u64, i64)>,
    /// (tenant, scope key) → versions, oldest first.
    themes: BTreeMap<(String, String), Vec<ThemeVersion>>,
    drafts: BTreeMap<(String, String), ThemeDraft>,
    /// (tenant, asset id).
    assets: BTreeMap<(String, String), Asset>,
}

/// The database, in memory. Each method holds one lock for its whole work, which makes
/// every write atomic and every read consistent.
#[derive(Default)]
pub struct MemoryDb {
    data: Mutex<Data>,
}

impl MemoryDb {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Data>> {
        self.data.lock().map_err(|_| AppError::internal("memory store poisoned"))
    }

    /// Creates or replaces a tenant (what provisioning does through `DirectoryStore::apply`).
    pub fn put_tenant(&self, id: &TenantId, name: &str) -> Result<()> {
        self.lock()?.tenants.insert(id.to_string(), TenantRow { name: name.into(), levels: vec![], mail_from: None });
        Ok(())
    }

    /// Creates or replaces a workspace of an existing tenant, with its pools in lookup order.
    pub fn put_workspace(&self, tenant: &TenantId, id: &str, name: &str, pools: Vec<String>) -> Result<()> {
        let mut d = self.lock()?;
        if !d.tenants.contains_key(tenant.as_str()) {
            return Err(AppError::invalid("/tenant_id", format!("no tenant {tenant}")));
        }
        d.workspaces.insert((tenant.to_string(), id.into()), WorkspaceRow { name: name.into(), default_locale: None, links: Default::default(), pools });
        Ok(())
    }

    /// Creates or replaces a pool.
    pub fn put_pool(&self, pool: Pool) -> Result<()> {
        self.lock()?.pools.insert((pool.tenant_id.to_string(), pool.id.clone()), pool);
        Ok(())
    }

    /// Creates or replaces a client.
    pub fn put_client(&self, client: Client) -> Result<()> {
        self.lock()?.clients.insert((client.tenant_id.to_string(), client.workspace_id.clone(), client.client_id.clone()), client);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn memory_db_passes_the_contract_suites() {
        crate::storage::contract::run(&crate::storage::contract::Memory).await;
    }
}
