//! Tenants, workspaces, clients, consents and the audit trail on `MemoryDb`.
use async_trait::async_trait;

use super::MemoryDb;
use crate::storage::identity::{AuditRecord, client_holder};
use crate::storage::{AuditEvent, AuditStore, Client, ClientStore, Consent, ConsentStore, DirectoryStore, Result, TenantId, Workspace};

#[async_trait]
impl DirectoryStore for MemoryDb {
    async fn workspace(&self, tenant: &TenantId, workspace: &str) -> Result<Option<Workspace>> {
        let d = self.lock()?;
        let (Some(t), Some(w)) = (d.tenants.get(tenant.as_str()), d.workspaces.get(&(tenant.to_string(), workspace.to_owned()))) else {
            return Ok(None);
        };
        Ok(Some(Workspace {
            tenant_id: tenant.clone(),
            id: workspace.into(),
            name: w.name.clone(),
            pools: w.pools.clone(),
            default_locale: w.default_locale.clone(),
            links: w.links.clone(),
            mail_from: t.mail_from.clone(),
            levels: t.levels.clone(),
        }))
    }

    async fn apply(&self, batch: &crate::storage::write::Batch) -> Result<crate::storage::write::Applied> {
        let mut d = self.lock()?;
        // All or none: the writes go into a copy, which replaces the data once all went in.
        let mut copy = d.clone();
        let applied = copy.apply(batch)?;
        *d = copy;
        Ok(applied)
    }

    async fn tenants(&self) -> Result<Vec<(TenantId, String)>> {
        Ok(self.lock()?.tenants.iter().map(|(id, t)| (TenantId::new(id.clone()), t.name.clone())).collect())
    }

    async fn tenant(&self, tenant: &TenantId) -> Result<Option<String>> {
        Ok(self.lock()?.tenants.get(tenant.as_str()).map(|t| t.name.clone()))
    }

    async fn mail_from(&self, tenant: &TenantId) -> Result<Option<crate::delivery::Sender>> {
        Ok(self.lock()?.tenants.get(tenant.as_str()).and_then(|t| t.mail_from.clone()))
    }

    async fn levels(&self, tenant: &TenantId) -> Result<Vec<crate::model::AssuranceLevel>> {
        Ok(self.lock()?.tenants.get(tenant.as_str()).map(|t| t.levels.clone()).unwrap_or_default())
    }

    async fn workspaces(&self, tenant: &TenantId) -> Result<Vec<(String, String, Vec<String>)>> {
        Ok(self.lock()?.workspaces.iter().filter(|((t, _), _)| t == tenant.as_str()).map(|((_, id), w)| (id.clone(), w.name.clone(), w.pools.clone())).collect())
    }
}

#[async_trait]
impl ClientStore for MemoryDb {
    async fn get(&self, tenant: &TenantId, workspace: &str, client_id: &str) -> Result<Option<Client>> {
        Ok(self.lock()?.clients.get(&(tenant.to_string(), workspace.to_owned(), client_id.to_owned())).cloned())
    }

    async fn workspace_origins(&self, tenant: &TenantId, workspace: &str) -> Result<Vec<String>> {
        let clients = self.clients(tenant, workspace).await?;
        let origins: std::collections::BTreeSet<String> = clients.iter().flat_map(Client::web_origins).collect();
        Ok(origins.into_iter().collect())
    }

    async fn clients(&self, tenant: &TenantId, workspace: &str) -> Result<Vec<Client>> {
        Ok(self.lock()?.clients.iter().filter(|((t, w, _), _)| t == tenant.as_str() && w == workspace).map(|(_, c)| c.clone()).collect())
    }

    async fn delete_client(&self, tenant: &TenantId, workspace: &str, client_id: &str) -> Result<bool> {
        let mut d = self.lock()?;
        let gone = d.clients.remove(&(tenant.to_string(), workspace.to_owned(), client_id.to_owned())).is_some();
        let holder = client_holder(workspace, client_id);
        d.holders.retain(|h| !(h.0 == tenant.as_str() && h.2 == holder));
        if gone {
            // Its theme layer goes with it: a client created later under the same id starts
            // from the workspace's theme.
            let key = (tenant.to_string(), crate::storage::ThemeScope::Client { workspace: workspace.to_owned(), client_id: client_id.to_owned() }.key());
            d.themes.remove(&key);
            d.drafts.remove(&key);
        }
        Ok(gone)
    }
}

#[async_trait]
impl ConsentStore for MemoryDb {
    async fn granted(&self, tenant: &TenantId, workspace: &str, user_id: &str, client_id: &str) -> Result<Vec<String>> {
        let key = (tenant.to_string(), workspace.to_owned(), user_id.to_owned(), client_id.to_owned());
        Ok(self.lock()?.consents.get(&key).map(|(s, _)| s.clone()).unwrap_or_default())
    }

    async fn remember(&self, tenant: &TenantId, workspace: &str, user_id: &str, client_id: &str, scopes: &[String], now: i64) -> Result<()> {
        let key = (tenant.to_string(), workspace.to_owned(), user_id.to_owned(), client_id.to_owned());
        // Stored as the SQL store stores it: a space-separated list, so empty entries go.
        let scopes = scopes.iter().filter(|s| !s.is_empty()).cloned().collect();
        self.lock()?.consents.insert(key, (scopes, now));
        Ok(())
    }

    async fn consents(&self, tenant: &TenantId, user_id: &str) -> Result<Vec<Consent>> {
        Ok(self
            .lock()?
            .consents
            .iter()
            .filter(|((t, _, u, _), _)| t == tenant.as_str() && u == user_id)
            .map(|((_, w, _, c), (scopes, at))| Consent { workspace_id: w.clone(), client_id: c.clone(), scopes: scopes.clone(), updated_at: *at })
            .collect())
    }

    async fn revoke(&self, tenant: &TenantId, workspace: &str, user_id: &str, client_id: &str) -> Result<bool> {
        let key = (tenant.to_string(), workspace.to_owned(), user_id.to_owned(), client_id.to_owned());
        Ok(self.lock()?.consents.remove(&key).is_some())
    }
}

#[async_trait]
impl AuditStore for MemoryDb {
    async fn record(&self, e: AuditEvent, now: i64) -> Result<()> {
        let record = AuditRecord { id: uuid::Uuid::new_v4().to_string(), at: now, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail };
        self.lock()?.audit.push((e.tenant_id.to_string(), record));
        Ok(())
    }

    async fn audit_events(&self, tenant: &TenantId, before: Option<(i64, String)>, limit: u64) -> Result<Vec<AuditRecord>> {
        let d = self.lock()?;
        let mut events: Vec<&AuditRecord> = d
            .audit
            .iter()
            .filter(|(t, _)| t == tenant.as_str())
            .map(|(_, r)| r)
            .filter(|r| before.as_ref().is_none_or(|(at, id)| (r.at, r.id.as_str()) < (*at, id.as_str())))
            .collect();
        events.sort_by(|a, b| (b.at, &b.id).cmp(&(a.at, &a.id)));
        Ok(events.into_iter().take(limit.clamp(1, 500) as usize).cloned().collect())
    }
}
