//! Versioned theme layers, drafts and assets on `MemoryDb`.
use async_trait::async_trait;

use super::{Data, MemoryDb};
use crate::error::AppError;
use crate::storage::themes::{Asset, MAX_VERSIONS_LISTED, ThemeDraft, ThemeScope, ThemeStore, ThemeVersion};
use crate::storage::{Result, TenantId};
use crate::theme::ThemeSpec;

fn key(tenant: &TenantId, scope: &ThemeScope) -> (String, String) {
    (tenant.to_string(), scope.key())
}

impl Data {
    /// `ThemeStore::publish` on the data (also what a batch's `Write::Theme` runs).
    pub(super) fn publish_theme(&mut self, tenant: &TenantId, scope: &ThemeScope, layer: &ThemeSpec, author: &str, now: i64, rollback_of: Option<i64>) -> Result<ThemeVersion> {
        let versions = self.themes.entry(key(tenant, scope)).or_default();
        if let Some(current) = versions.last()
            && current.layer == *layer
        {
            return Ok(current.clone());
        }
        let v = ThemeVersion { version: versions.len() as i64 + 1, layer: layer.clone(), author: author.into(), published_at: now, rollback_of };
        versions.push(v.clone());
        Ok(v)
    }
}

#[async_trait]
impl ThemeStore for MemoryDb {
    async fn published(&self, tenant: &TenantId, scopes: &[ThemeScope]) -> Result<Vec<Option<ThemeVersion>>> {
        let d = self.lock()?;
        Ok(scopes.iter().map(|s| d.themes.get(&key(tenant, s)).and_then(|v| v.last().cloned())).collect())
    }

    async fn publish(&self, tenant: &TenantId, scope: &ThemeScope, layer: &ThemeSpec, author: &str, now: i64, rollback_of: Option<i64>) -> Result<ThemeVersion> {
        self.lock()?.publish_theme(tenant, scope, layer, author, now, rollback_of)
    }

    async fn versions(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<Vec<ThemeVersion>> {
        Ok(self.lock()?.themes.get(&key(tenant, scope)).map(|v| v.iter().rev().take(MAX_VERSIONS_LISTED).cloned().collect()).unwrap_or_default())
    }

    async fn version(&self, tenant: &TenantId, scope: &ThemeScope, version: i64) -> Result<Option<ThemeVersion>> {
        Ok(self.lock()?.themes.get(&key(tenant, scope)).and_then(|v| v.iter().find(|x| x.version == version).cloned()))
    }

    async fn draft(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<Option<ThemeDraft>> {
        Ok(self.lock()?.drafts.get(&key(tenant, scope)).cloned())
    }

    async fn save_draft(&self, tenant: &TenantId, scope: &ThemeScope, layer: &ThemeSpec, author: &str, now: i64) -> Result<()> {
        self.lock()?.drafts.insert(key(tenant, scope), ThemeDraft { layer: layer.clone(), author: author.into(), updated_at: now });
        Ok(())
    }

    async fn discard_draft(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<bool> {
        Ok(self.lock()?.drafts.remove(&key(tenant, scope)).is_some())
    }

    async fn put_asset(&self, asset: &Asset) -> Result<bool> {
        let mut d = self.lock()?;
        let k = (asset.tenant_id.to_string(), asset.id.clone());
        if d.assets.contains_key(&k) {
            return Ok(false);
        }
        if !d.tenants.contains_key(asset.tenant_id.as_str()) {
            return Err(AppError::invalid("/tenant_id", format!("no tenant {}", asset.tenant_id)));
        }
        d.assets.insert(k, asset.clone());
        Ok(true)
    }

    async fn asset(&self, tenant: &TenantId, id: &str) -> Result<Option<Asset>> {
        Ok(self.lock()?.assets.get(&(tenant.to_string(), id.to_owned())).cloned())
    }
}
