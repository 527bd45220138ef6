//! A short-lived, per-node read cache for the directory and clients: every protocol request
//! resolves its workspace and most authenticate a client, and these change rarely. Entries
//! live `ttl` seconds, so a change made through another node (or `portcullis apply`) is
//! seen everywhere within that bound; the database stays the only source of truth.
use async_trait::async_trait;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use super::{Client, ClientStore, DirectoryStore, Result, Workspace};
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
    workspaces: TtlMap<(String, String), Option<Workspace>>,
    client_map: TtlMap<(String, String, String), Option<Client>>,
    /// Per workspace: every CORS preflight asks, and anonymous ones must not each cost a query.
    origins: TtlMap<(String, String), Vec<String>>,
}

impl<D, C> Cached<D, C> {
    pub fn new(directory: Arc<D>, clients: Arc<C>, clock: Arc<dyn Clock>, ttl: i64) -> Self {
        Self { directory, clients, clock, ttl, workspaces: TtlMap::new(), client_map: TtlMap::new(), origins: TtlMap::new() }
    }
}

#[async_trait]
impl<D: DirectoryStore + 'static, C: Send + Sync + 'static> DirectoryStore for Cached<D, C> {
    async fn workspace(&self, tenant: &str, workspace: &str) -> Result<Option<Workspace>> {
        let now = self.clock.now();
        let key = (tenant.to_owned(), workspace.to_owned());
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
}

#[async_trait]
impl<D: Send + Sync + 'static, C: ClientStore + 'static> ClientStore for Cached<D, C> {
    async fn get(&self, tenant: &str, workspace: &str, client_id: &str) -> Result<Option<Client>> {
        let now = self.clock.now();
        let key = (tenant.to_owned(), workspace.to_owned(), client_id.to_owned());
        if let Some(c) = self.client_map.get(&key, now) {
            return Ok(c);
        }
        let c = self.clients.get(tenant, workspace, client_id).await?;
        self.client_map.put(key, c.clone(), now + self.ttl);
        Ok(c)
    }

    async fn workspace_origins(&self, tenant: &str, workspace: &str) -> Result<Vec<String>> {
        let now = self.clock.now();
        let key = (tenant.to_owned(), workspace.to_owned());
        if let Some(o) = self.origins.get(&key, now) {
            return Ok(o);
        }
        let o = self.clients.workspace_origins(tenant, workspace).await?;
        self.origins.put(key, o.clone(), now + self.ttl);
        Ok(o)
    }

    fn forget(&self) {
        self.client_map.clear();
        self.origins.clear();
    }
}
