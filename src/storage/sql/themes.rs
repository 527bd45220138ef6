//! Versioned theme layers, drafts and assets in SQL.
use async_trait::async_trait;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};

use super::entities::*;
use super::{SqlStore, db};
use crate::error::AppError;
use crate::storage::themes::{Asset, MAX_VERSIONS_LISTED, ThemeDraft, ThemeScope, ThemeStore, ThemeVersion};
use crate::storage::{Result, TenantId};
use crate::theme::ThemeSpec;

fn to_version(m: theme_version::Model) -> Result<ThemeVersion> {
    Ok(ThemeVersion { layer: serde_json::from_str(&m.layer)?, version: m.version, author: m.author, published_at: m.published_at, rollback_of: m.rollback_of })
}

async fn latest(conn: &impl ConnectionTrait, tenant: &TenantId, scope: &str) -> Result<Option<ThemeVersion>> {
    theme_version::Entity::find()
        .filter(theme_version::Column::TenantId.eq(tenant))
        .filter(theme_version::Column::Scope.eq(scope))
        .order_by_desc(theme_version::Column::Version)
        .limit(1)
        .one(conn)
        .await
        .map_err(db)?
        .map(to_version)
        .transpose()
}

/// `ThemeStore::publish` inside a transaction (also what a batch's `Write::Theme` runs).
/// Forgets a scope's layer: every version and the draft (a deleted client's, so that a
/// client created later under the same id starts from the workspace's theme).
pub(super) async fn forget_in(conn: &impl ConnectionTrait, tenant: &TenantId, scope: &ThemeScope) -> Result<()> {
    let key = scope.key();
    theme_version::Entity::delete_many().filter(theme_version::Column::TenantId.eq(tenant)).filter(theme_version::Column::Scope.eq(&key)).exec(conn).await.map_err(db)?;
    theme_draft::Entity::delete_many().filter(theme_draft::Column::TenantId.eq(tenant)).filter(theme_draft::Column::Scope.eq(&key)).exec(conn).await.map_err(db)?;
    Ok(())
}

pub(super) async fn publish_in(conn: &impl ConnectionTrait, tenant: &TenantId, scope: &ThemeScope, layer: &ThemeSpec, author: &str, now: i64, rollback_of: Option<i64>) -> Result<ThemeVersion> {
    let key = scope.key();
    let current = latest(conn, tenant, &key).await?;
    if let Some(c) = current.as_ref().filter(|c| c.layer == *layer) {
        return Ok(c.clone());
    }
    let version = current.map_or(1, |c| c.version + 1);
    let row = theme_version::ActiveModel {
        tenant_id: Set(tenant.to_string()),
        scope: Set(key),
        version: Set(version),
        layer: Set(serde_json::to_string(layer)?),
        author: Set(author.to_owned()),
        published_at: Set(now),
        rollback_of: Set(rollback_of),
    };
    // The primary key (tenant, scope, version) settles a race: the loser conflicts.
    theme_version::Entity::insert(row).exec(conn).await.map_err(|e| match db(e) {
        AppError::Conflict(_) => AppError::Conflict("version".into()),
        other => other,
    })?;
    Ok(ThemeVersion { version, layer: layer.clone(), author: author.to_owned(), published_at: now, rollback_of })
}

#[async_trait]
impl ThemeStore for SqlStore {
    async fn published(&self, tenant: &TenantId, scopes: &[ThemeScope]) -> Result<Vec<Option<ThemeVersion>>> {
        let keys: Vec<String> = scopes.iter().map(ThemeScope::key).collect();
        // One query: every version of the asked scopes would be too many rows over time, so
        // only the latest of each (the highest version per scope) is read.
        let mut out = Vec::with_capacity(keys.len());
        for k in &keys {
            out.push(latest(&self.conn, tenant, k).await?);
        }
        Ok(out)
    }

    async fn publish(&self, tenant: &TenantId, scope: &ThemeScope, layer: &ThemeSpec, author: &str, now: i64, rollback_of: Option<i64>) -> Result<ThemeVersion> {
        let txn = self.writer.begin().await.map_err(db)?;
        let v = publish_in(&txn, tenant, scope, layer, author, now, rollback_of).await?;
        txn.commit().await.map_err(db)?;
        Ok(v)
    }

    async fn versions(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<Vec<ThemeVersion>> {
        theme_version::Entity::find()
            .filter(theme_version::Column::TenantId.eq(tenant))
            .filter(theme_version::Column::Scope.eq(scope.key()))
            .order_by_desc(theme_version::Column::Version)
            .limit(MAX_VERSIONS_LISTED as u64)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(to_version)
            .collect()
    }

    async fn version(&self, tenant: &TenantId, scope: &ThemeScope, version: i64) -> Result<Option<ThemeVersion>> {
        theme_version::Entity::find_by_id((tenant.to_string(), scope.key(), version)).one(&self.conn).await.map_err(db)?.map(to_version).transpose()
    }

    async fn draft(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<Option<ThemeDraft>> {
        let Some(m) = theme_draft::Entity::find_by_id((tenant.to_string(), scope.key())).one(&self.conn).await.map_err(db)? else {
            return Ok(None);
        };
        Ok(Some(ThemeDraft { layer: serde_json::from_str(&m.layer)?, author: m.author, updated_at: m.updated_at }))
    }

    async fn save_draft(&self, tenant: &TenantId, scope: &ThemeScope, layer: &ThemeSpec, author: &str, now: i64) -> Result<()> {
        let row = theme_draft::ActiveModel { tenant_id: Set(tenant.to_string()), scope: Set(scope.key()), layer: Set(serde_json::to_string(layer)?), author: Set(author.to_owned()), updated_at: Set(now) };
        theme_draft::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([theme_draft::Column::TenantId, theme_draft::Column::Scope])
                    .update_columns([theme_draft::Column::Layer, theme_draft::Column::Author, theme_draft::Column::UpdatedAt])
                    .to_owned(),
            )
            .exec(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn discard_draft(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<bool> {
        Ok(theme_draft::Entity::delete_by_id((tenant.to_string(), scope.key())).exec(&self.writer).await.map_err(db)?.rows_affected > 0)
    }

    async fn put_asset(&self, asset: &Asset) -> Result<bool> {
        if tenant::Entity::find_by_id(asset.tenant_id.to_string()).one(&self.conn).await.map_err(db)?.is_none() {
            return Err(AppError::invalid("/tenant_id", format!("no tenant {}", asset.tenant_id)));
        }
        let row = theme_asset::ActiveModel {
            tenant_id: Set(asset.tenant_id.to_string()),
            id: Set(asset.id.clone()),
            content_type: Set(asset.content_type.clone()),
            bytes: Set(asset.bytes.clone()),
            width: Set(asset.width.map(i64::from)),
            height: Set(asset.height.map(i64::from)),
            created_at: Set(asset.created_at),
        };
        // The id is the content's hash: the same upload again is the same row.
        let inserted = theme_asset::Entity::insert(row)
            .on_conflict(OnConflict::columns([theme_asset::Column::TenantId, theme_asset::Column::Id]).do_nothing().to_owned())
            .exec_without_returning(&self.writer)
            .await
            .map_err(db)?;
        Ok(inserted > 0)
    }

    async fn asset(&self, tenant: &TenantId, id: &str) -> Result<Option<Asset>> {
        Ok(theme_asset::Entity::find_by_id((tenant.to_string(), id.to_owned())).one(&self.conn).await.map_err(db)?.map(|m| Asset {
            tenant_id: TenantId::new(m.tenant_id),
            id: m.id,
            content_type: m.content_type,
            bytes: m.bytes,
            width: m.width.and_then(|w| u32::try_from(w).ok()),
            height: m.height.and_then(|h| u32::try_from(h).ok()),
            created_at: m.created_at,
        }))
    }
}
