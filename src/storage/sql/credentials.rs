//! `CredentialStore` on SeaORM. The `credentials` table has no tenant column: a
//! credential belongs to the tenant of its user, so every statement is confined to the
//! tenant's users by a subquery.
use async_trait::async_trait;
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, TransactionTrait};

use super::entities::*;
use super::identity::credential as credential_row;
use super::{SqlStore, db};
use crate::crypto::unhex32;
use crate::error::AppError;
use crate::storage::identity::{Credential, CredentialKind, CredentialStore, NewCredential, Replace};
use crate::storage::{Result, TenantId};

/// Ids of the tenant's users.
fn users_of(tenant: &TenantId) -> SelectStatement {
    user::Entity::find().select_only().column(user::Column::Id).filter(user::Column::TenantId.eq(tenant)).into_query()
}

fn to_credential(c: credential::Model) -> Result<Credential> {
    let (kind, retired) = CredentialKind::ALL
        .iter()
        .find_map(|k| if c.kind == k.as_str() { Some((*k, false)) } else if c.kind == k.history() { Some((*k, true)) } else { None })
        .ok_or_else(|| AppError::corrupt(format!("credential row: kind {:?}", c.kind)))?;
    let source_sha256 = match c.source_sha256.as_deref() {
        Some(s) => Some(unhex32(s).ok_or_else(|| AppError::corrupt("credential row: source digest"))?),
        None => None,
    };
    Ok(Credential { id: c.id, user_id: c.user_id, kind, secret: c.secret, source_sha256, retired, created_at: c.created_at, updated_at: c.updated_at })
}

#[async_trait]
impl CredentialStore for SqlStore {
    async fn add(&self, tenant: &TenantId, new: NewCredential<'_>, replace: Replace, now: i64) -> Result<Credential> {
        let txn = self.writer.begin().await.map_err(db)?;
        let mine = user::Entity::find_by_id(new.user_id.to_owned()).filter(user::Column::TenantId.eq(tenant)).one(&txn).await.map_err(db)?;
        if mine.is_none() {
            return Err(AppError::invalid("/user_id", "credential for an unknown user"));
        }
        let (live, history) = (new.kind.as_str(), new.kind.history());
        let of_user = |kinds: Vec<String>| {
            credential::Entity::delete_many().filter(credential::Column::UserId.eq(new.user_id)).filter(credential::Column::Kind.is_in(kinds))
        };
        match replace {
            Replace::Nothing => {}
            Replace::Live => {
                of_user(vec![live.into()]).exec(&txn).await.map_err(db)?;
            }
            Replace::All => {
                of_user(vec![live.into(), history.clone()]).exec(&txn).await.map_err(db)?;
            }
            Replace::Retire { .. } => {
                credential::Entity::update_many()
                    .col_expr(credential::Column::Kind, Expr::value(history.clone()))
                    .col_expr(credential::Column::UpdatedAt, Expr::value(now))
                    .filter(credential::Column::UserId.eq(new.user_id))
                    .filter(credential::Column::Kind.eq(live))
                    .exec(&txn)
                    .await
                    .map_err(db)?;
            }
        }
        let row = credential_row(new.user_id, live, new.secret, new.source_sha256, now, now);
        let id = row.id.clone().unwrap();
        credential::Entity::insert(row).exec_without_returning(&txn).await.map_err(db)?;
        if let Replace::Retire { keep } = replace {
            let retired = credential::Entity::find()
                .filter(credential::Column::UserId.eq(new.user_id))
                .filter(credential::Column::Kind.eq(&history))
                .order_by_desc(credential::Column::UpdatedAt)
                .order_by_desc(credential::Column::CreatedAt)
                .all(&txn)
                .await
                .map_err(db)?;
            let stale: Vec<String> = retired.into_iter().skip(keep as usize).map(|c| c.id).collect();
            if !stale.is_empty() {
                credential::Entity::delete_many().filter(credential::Column::Id.is_in(stale)).exec(&txn).await.map_err(db)?;
            }
        }
        txn.commit().await.map_err(db)?;
        Ok(Credential { id, user_id: new.user_id.into(), kind: new.kind, secret: new.secret.into(), source_sha256: new.source_sha256, retired: false, created_at: now, updated_at: now })
    }

    async fn list(&self, tenant: &TenantId, user_id: &str, kind: CredentialKind) -> Result<Vec<Credential>> {
        let rows = credential::Entity::find()
            .filter(credential::Column::UserId.eq(user_id))
            .filter(credential::Column::UserId.in_subquery(users_of(tenant)))
            .filter(credential::Column::Kind.is_in([kind.as_str().to_owned(), kind.history()]))
            .order_by_desc(credential::Column::UpdatedAt)
            .all(&self.conn)
            .await
            .map_err(db)?;
        let mut out = rows.into_iter().map(to_credential).collect::<Result<Vec<_>>>()?;
        // Stable: live first, each part in the order read (newest first).
        out.sort_by_key(|c| c.retired);
        Ok(out)
    }

    async fn held(&self, tenant: &TenantId, user_id: &str) -> Result<Vec<CredentialKind>> {
        let live: Vec<String> = CredentialKind::ALL.iter().map(|k| k.as_str().to_owned()).collect();
        let kinds: Vec<String> = credential::Entity::find()
            .select_only()
            .column(credential::Column::Kind)
            .distinct()
            .filter(credential::Column::UserId.eq(user_id))
            .filter(credential::Column::UserId.in_subquery(users_of(tenant)))
            .filter(credential::Column::Kind.is_in(live))
            .into_tuple()
            .all(&self.conn)
            .await
            .map_err(db)?;
        Ok(CredentialKind::ALL.iter().copied().filter(|k| kinds.iter().any(|s| s == k.as_str())).collect())
    }

    async fn remove(&self, tenant: &TenantId, user_id: &str, id: &str) -> Result<bool> {
        let gone = credential::Entity::delete_many()
            .filter(credential::Column::Id.eq(id))
            .filter(credential::Column::UserId.eq(user_id))
            .filter(credential::Column::UserId.in_subquery(users_of(tenant)))
            .exec(&self.writer)
            .await
            .map_err(db)?;
        Ok(gone.rows_affected > 0)
    }

    async fn touch(&self, tenant: &TenantId, user_id: &str, kind: CredentialKind, current: &str, upgrade: Option<&str>, now: i64) -> Result<bool> {
        let mut q = credential::Entity::update_many().col_expr(credential::Column::UpdatedAt, Expr::value(now));
        if let Some(new) = upgrade {
            q = q.col_expr(credential::Column::Secret, Expr::value(new));
        }
        // The secret in the filter makes it a compare-and-set: a change made meanwhile wins.
        let done = q
            .filter(credential::Column::UserId.eq(user_id))
            .filter(credential::Column::UserId.in_subquery(users_of(tenant)))
            .filter(credential::Column::Kind.eq(kind.as_str()))
            .filter(credential::Column::Secret.eq(current))
            .exec(&self.writer)
            .await
            .map_err(db)?;
        Ok(done.rows_affected > 0)
    }

    async fn consume(&self, tenant: &TenantId, user_id: &str, kind: CredentialKind, secret: &str) -> Result<bool> {
        // One DELETE: of concurrent calls exactly one sees a row go.
        let gone = credential::Entity::delete_many()
            .filter(credential::Column::UserId.eq(user_id))
            .filter(credential::Column::UserId.in_subquery(users_of(tenant)))
            .filter(credential::Column::Kind.eq(kind.as_str()))
            .filter(credential::Column::Secret.eq(secret))
            .exec(&self.writer)
            .await
            .map_err(db)?;
        Ok(gone.rows_affected > 0)
    }
}
