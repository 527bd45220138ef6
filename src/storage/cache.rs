//! A short-lived, per-node read cache for the directory and clients: every protocol request
//! resolves its workspace and most authenticate a client, and these change rarely. Entries
//! live `ttl` seconds, so a change made through another node (or `portcullis apply`) is
//! seen everywhere within that bound; the database stays the only source of truth.
use async_trait::async_trait;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use super::{Client, ClientStore, DirectoryStore, Result, TenantId, Workspace};
use crate::clock::Clock;
use super::write::{Applied, Batch};

/// Most entries kept before the map is emptied (a bound, not a tuning knob).
const MAX_ENTRIES: usize = 10_000;

struct TtlMap<K, V> {
    entries: Mutex<HashMap<K, (V, i64)>>,
}

impl<K: Hash + Eq, V: Clone> TtlMap<K, V> {
    fn new() -> Self {
        Self { entries: Mutex::new(HashMap::new()) }
    }
    fn get(&self, k: &K, now: i64) -> Option<V> {
        self.entries.lock().ok()?.get(k).filter(|(_, exp)| *exp > now).map(|(v, _)| v.clone())
    }
    fn put(&self, k: K, v: V, expires: i64) {
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= MAX_ENTRIES {
                m.clear();
            }
            m.insert(k, (v, expires));
        }
    }
    fn clear(&self) {
        if let Ok(mut m) = self.entries.lock() {
            m.clear();
        }
    }
}

pub struct Cached<D, C> {
    directory: Arc<D>,
    clients: Arc<C>,
    clock: Arc<dyn Clock>,
    ttl: i64,
    workspaces: TtlMap<(TenantId, String), Option<Workspace>>,
    client_map: TtlMap<(TenantId, String, String), Option<Client>>,
    /// Per workspace: every CORS preflight asks, and anonymous ones must not each cost a query.
    origins: TtlMap<(TenantId, String), Vec<String>>,
}

impl<D, C> Cached<D, C> {
    pub fn new(directory: Arc<D>, clients: Arc<C>, clock: Arc<dyn Clock>, ttl: i64) -> Self {
        Self { directory, clients, clock, ttl, workspaces: TtlMap::new(), client_map: TtlMap::new(), origins: TtlMap::new() }
    }
}

#[async_trait]
impl<D: DirectoryStore + 'static, C: Send + Sync + 'static> DirectoryStore for Cached<D, C> {
    async fn workspace(&self, tenant: &TenantId, workspace: &str) -> Result<Option<Workspace>> {
        let now = self.clock.now();
        let key = (tenant.clone(), workspace.to_owned());
        if let Some(w) = self.workspaces.get(&key, now) {
            return Ok(w);
        }
        let w = self.directory.workspace(tenant, workspace).await?;
        self.workspaces.put(key, w.clone(), now + self.ttl);
        Ok(w)
    }

    async fn apply(&self, batch: &Batch) -> Result<Applied> {
        let applied = self.directory.apply(batch).await?;
        self.workspaces.clear();
        self.client_map.clear();
        self.origins.clear();
        Ok(applied)
    }

    async fn tenants(&self) -> Result<Vec<(TenantId, String)>> {
        self.directory.tenants().await
    }

    async fn tenant(&self, tenant: &TenantId) -> Result<Option<String>> {
        self.directory.tenant(tenant).await
    }

    async fn levels(&self, tenant: &TenantId) -> Result<Vec<crate::model::AssuranceLevel>> {
        self.directory.levels(tenant).await
    }

    async fn mail_from(&self, tenant: &TenantId) -> Result<Option<crate::delivery::Sender>> {
        self.directory.mail_from(tenant).await
    }

    async fn workspaces(&self, tenant: &TenantId) -> Result<Vec<(String, String, Vec<String>)>> {
        self.directory.workspaces(tenant).await
    }
}

#[async_trait]
impl<D: Send + Sync + 'static, C: ClientStore + 'static> ClientStore for Cached<D, C> {
    async fn get(&self, tenant: &TenantId, workspace: &str, client_id: &str) -> Result<Option<Client>> {
        let now = self.clock.now();
        let key = (tenant.clone(), workspace.to_owned(), client_id.to_owned());
        if let Some(c) = self.client_map.get(&key, now) {
            return Ok(c);
        }
        let c = self.clients.get(tenant, workspace, client_id).await?;
        self.client_map.put(key, c.clone(), now + self.ttl);
        Ok(c)
    }

    async fn workspace_origins(&self, tenant: &TenantId, workspace: &str) -> Result<Vec<String>> {
        let now = self.clock.now();
        let key = (tenant.clone(), workspace.to_owned());
        if let Some(o) = self.origins.get(&key, now) {
            return Ok(o);
        }
        let o = self.clients.workspace_origins(tenant, workspace).await?;
        self.origins.put(key, o.clone(), now + self.ttl);
        Ok(o)
    }

    async fn clients(&self, tenant: &TenantId, workspace: &str) -> Result<Vec<Client>> {
        self.clients.clients(tenant, workspace).await
    }

    async fn delete_client(&self, tenant: &TenantId, workspace: &str, client_id: &str) -> Result<bool> {
        let gone = self.clients.delete_client(tenant, workspace, client_id).await?;
        self.forget();
        Ok(gone)
    }

    fn forget(&self) {
        self.client_map.clear();
        self.origins.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::OffsetClock;
    use crate::storage::memory::MemoryDb;

    /// The cache keeps what the stores promise: a deleted client is gone at once on this
    /// node, and listings are never served stale.
    #[tokio::test]
    async fn deleting_through_the_cache_forgets_the_client() {
        let db = Arc::new(MemoryDb::new());
        let tenant = TenantId::new("acme");
        db.put_tenant(&tenant, "acme").unwrap();
        db.put_workspace(&tenant, "shop", "shop", vec![]).unwrap();
        let client = Client {
            tenant_id: tenant.clone(),
            workspace_id: "shop".into(),
            client_id: "web".into(),
            name: "web".into(),
            secret_sha256: None,
            redirect_uris: vec!["https://a.example/cb".into()],
            post_logout_redirect_uris: vec![],
            grant_types: vec![],
            scopes: vec![],
            consent: crate::storage::ConsentMode::Implicit,
            id_token_alg: crate::storage::SigningAlg::ES256,
            allowed_origins: vec![],
            min_acr: None,
        };
        db.put_client(client).unwrap();
        let cached = Cached::new(db.clone(), db.clone(), Arc::new(OffsetClock::default()), 60);
        assert!(ClientStore::get(&cached, &tenant, "shop", "web").await.unwrap().is_some());
        assert_eq!(cached.workspace_origins(&tenant, "shop").await.unwrap(), ["https://a.example"]);
        assert!(cached.delete_client(&tenant, "shop", "web").await.unwrap());
        assert!(ClientStore::get(&cached, &tenant, "shop", "web").await.unwrap().is_none());
        assert!(cached.workspace_origins(&tenant, "shop").await.unwrap().is_empty());
        assert!(cached.clients(&tenant, "shop").await.unwrap().is_empty());
        assert!(cached.workspace(&tenant, "shop").await.unwrap().is_some());
        assert!(cached.workspace(&TenantId::new("other"), "shop").await.unwrap().is_none());
    }
}
