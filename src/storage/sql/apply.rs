//! Executes a [`Batch`] of typed writes in one transaction (see `storage::write`): each
//! write is an upsert by its key, nothing more.
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use super::entities::*;
use super::{ClientSettings, db, hex, identity, settings_json};
use crate::error::AppError;
use crate::storage::Result;
use crate::storage::identity::{NewUser, user_holder};
use crate::storage::write::{Applied, Batch, Holder, Write};

pub(super) async fn apply(writer: &DatabaseConnection, batch: &Batch) -> Result<Applied> {
    let txn = writer.begin().await.map_err(db)?;
    let mut applied = Applied::default();
    for c in &batch.writes {
        let existed = exec(&txn, batch.now, &c.write).await?;
        if let Some(kind) = c.kind {
            applied.count(kind, existed);
        }
    }
    txn.commit().await.map_err(db)?;
    Ok(applied)
}

/// Runs one write; returns whether its key existed before.
async fn exec(txn: &impl ConnectionTrait, now: i64, w: &Write) -> Result<bool> {
    match w {
        Write::Tenant { id, name, levels, mail_from, replace } => {
            let old = tenant::Entity::find_by_id(id.to_string()).one(txn).await.map_err(db)?;
            let existed = old.is_some();
            let on_conflict = if *replace {
                OnConflict::column(tenant::Column::Id).update_columns([tenant::Column::Name, tenant::Column::Settings]).to_owned()
            } else {
                OnConflict::column(tenant::Column::Id).do_nothing().to_owned()
            };
            tenant::Entity::insert(tenant::ActiveModel { id: Set(id.to_string()), name: Set(name.clone()), settings: Set(settings_json(levels, old.as_ref().map(|o| o.settings.as_str()), mail_from, &None, &None)?), created_at: Set(now) })
                .on_conflict(on_conflict)
                .do_nothing()
                .exec(txn)
                .await
                .map_err(db)?;
            Ok(existed)
        }
        Write::Schema { tenant, id, body } => identity::put_schema(txn, tenant, id, body, now).await,
        Write::Pool { tenant, id, name, self_registration, settings } => {
            let existed = pool::Entity::find_by_id((tenant.to_string(), id.clone())).one(txn).await.map_err(db)?.is_some();
            pool::Entity::insert(pool::ActiveModel {
                tenant_id: Set(tenant.to_string()),
                id: Set(id.clone()),
                name: Set(name.clone()),
                self_registration: Set(*self_registration),
                settings: Set(serde_json::to_string(settings)?),
            })
            .on_conflict(
                OnConflict::columns([pool::Column::TenantId, pool::Column::Id])
                    .update_columns([pool::Column::Name, pool::Column::SelfRegistration, pool::Column::Settings])
                    .to_owned(),
            )
            .exec(txn)
            .await
            .map_err(db)?;
            Ok(existed)
        }
        Write::Group { tenant, group: g } => {
            let existed = group::Entity::find_by_id((tenant.to_string(), g.pool_id.clone(), g.id.clone())).one(txn).await.map_err(db)?.is_some();
            group::Entity::insert(group::ActiveModel { tenant_id: Set(tenant.to_string()), pool_id: Set(g.pool_id.clone()), id: Set(g.id.clone()), name: Set(g.name.clone()) })
                .on_conflict(OnConflict::columns([group::Column::TenantId, group::Column::PoolId, group::Column::Id]).update_column(group::Column::Name).to_owned())
                .exec(txn)
                .await
                .map_err(db)?;
            identity::upsert_group_privilege(txn, tenant, g).await?;
            Ok(existed)
        }
        Write::User(u) => put_user(txn, now, u).await,
        Write::Workspace { tenant, id, name, default_locale, links, pools, replace } => {
            // No foreign key holds a workspace to its tenant: refused here, as the memory store does.
            if tenant::Entity::find_by_id(tenant.to_string()).one(txn).await.map_err(db)?.is_none() {
                return Err(AppError::invalid("/tenant_id", format!("no tenant {tenant}")));
            }
            let old = workspace::Entity::find_by_id((tenant.to_string(), id.clone())).one(txn).await.map_err(db)?;
            let existed = old.is_some();
            if existed && !replace {
                return Ok(true);
            }
            workspace::Entity::insert(workspace::ActiveModel { tenant_id: Set(tenant.to_string()), id: Set(id.clone()), name: Set(name.clone()), settings: Set(settings_json(&[], old.as_ref().map(|o| o.settings.as_str()), &None, default_locale, links)?) })
                .on_conflict(
                    OnConflict::columns([workspace::Column::TenantId, workspace::Column::Id])
                        .update_columns([workspace::Column::Name, workspace::Column::Settings])
                        .to_owned(),
                )
                .exec(txn)
                .await
                .map_err(db)?;
            workspace_pool::Entity::delete_many()
                .filter(workspace_pool::Column::TenantId.eq(tenant))
                .filter(workspace_pool::Column::WorkspaceId.eq(id))
                .exec(txn)
                .await
                .map_err(db)?;
            for (pos, p) in pools.iter().enumerate() {
                workspace_pool::Entity::insert(workspace_pool::ActiveModel {
                    tenant_id: Set(tenant.to_string()),
                    workspace_id: Set(id.clone()),
                    pool_id: Set(p.clone()),
                    position: Set(pos as i32),
                })
                .exec(txn)
                .await
                .map_err(db)?;
            }
            Ok(existed)
        }
        Write::Client(c) => {
            let key = (c.tenant_id.to_string(), c.workspace_id.clone(), c.client_id.clone());
            let existed = client::Entity::find_by_id(key).one(txn).await.map_err(db)?.is_some();
            let settings = ClientSettings::of(c);
            client::Entity::insert(client::ActiveModel {
                tenant_id: Set(c.tenant_id.to_string()),
                workspace_id: Set(c.workspace_id.clone()),
                client_id: Set(c.client_id.clone()),
                name: Set(c.name.clone()),
                secret_sha256: Set(c.secret_sha256.map(|h| hex(&h))),
                settings: Set(serde_json::to_string(&settings)?),
                updated_at: Set(now),
            })
            .on_conflict(
                OnConflict::columns([client::Column::TenantId, client::Column::WorkspaceId, client::Column::ClientId])
                    .update_columns([client::Column::Name, client::Column::SecretSha256, client::Column::Settings, client::Column::UpdatedAt])
                    .to_owned(),
            )
            .exec(txn)
            .await
            .map_err(db)?;
            Ok(existed)
        }
        Write::Grant { tenant, privilege, holder } => {
            let holder = match holder {
                Holder::Id(h) => h.clone(),
                Holder::User { pool, username } => {
                    let u = user::Entity::find()
                        .filter(user::Column::TenantId.eq(tenant))
                        .filter(user::Column::PoolId.eq(pool))
                        .filter(user::Column::Username.eq(username))
                        .one(txn)
                        .await
                        .map_err(db)?
                        .ok_or_else(|| AppError::invalid("/holder", format!("privilege holder user:{pool}/{username} not found")))?;
                    user_holder(&u.id)
                }
            };
            identity::grant_holder(txn, tenant, privilege, &holder).await?;
            Ok(false)
        }
        Write::Theme { tenant, scope, layer, author } => {
            let existed = super::themes::publish_in(txn, tenant, scope, layer, author, now, None).await?.version > 1;
            Ok(existed)
        }
        Write::Audit(e) => {
            audit_event::Entity::insert(audit_event::ActiveModel {
                id: Set(uuid::Uuid::new_v4().to_string()),
                tenant_id: Set(e.tenant_id.to_string()),
                at: Set(now),
                actor: Set(e.actor.clone()),
                action: Set(e.action.clone()),
                subject: Set(e.subject.clone()),
                detail: Set(e.detail.to_string()),
            })
            .exec(txn)
            .await
            .map_err(db)?;
            Ok(false)
        }
    }
}

/// Upserts a user by (tenant, pool, username): profile and status, addresses, the password
/// when given, memberships.
async fn put_user(txn: &impl ConnectionTrait, now: i64, u: &NewUser) -> Result<bool> {
    let existing = user::Entity::find()
        .filter(user::Column::TenantId.eq(&u.tenant_id))
        .filter(user::Column::PoolId.eq(&u.pool_id))
        .filter(user::Column::Username.eq(&u.username))
        .one(txn)
        .await
        .map_err(db)?;
    let existed = existing.is_some();
    let payload = serde_json::Value::Object(u.payload.clone()).to_string();
    let metadata = serde_json::Value::Object(u.metadata.clone()).to_string();
    let user_id = match existing {
        Some(e) => {
            user::Entity::update_many()
                .col_expr(user::Column::Status, Expr::value(u.status.as_str()))
                .col_expr(user::Column::Claims, Expr::value(payload))
                .col_expr(user::Column::Metadata, Expr::value(metadata))
                .col_expr(user::Column::UpdatedAt, Expr::value(now))
                .filter(user::Column::Id.eq(&e.id))
                .exec(txn)
                .await
                .map_err(db)?;
            e.id
        }
        None => {
            let id = uuid::Uuid::new_v4().to_string();
            user::Entity::insert(user::ActiveModel {
                id: Set(id.clone()),
                tenant_id: Set(u.tenant_id.to_string()),
                pool_id: Set(u.pool_id.clone()),
                username: Set(u.username.clone()),
                status: Set(u.status.as_str().into()),
                claims: Set(payload),
                created_at: Set(now),
                updated_at: Set(now),
                metadata: Set(metadata),
                deleted_at: Set(None),
            })
            .exec(txn)
            .await
            .map_err(db)?;
            id
        }
    };
    address::Entity::delete_many().filter(address::Column::UserId.eq(&user_id)).exec(txn).await.map_err(db)?;
    for (kind, value, verified) in [("email", &u.email, u.email_verified), ("phone", &u.phone, u.phone_verified)] {
        if let Some(v) = value {
            address::Entity::insert(address::ActiveModel {
                user_id: Set(user_id.clone()),
                kind: Set(kind.into()),
                tenant_id: Set(u.tenant_id.to_string()),
                pool_id: Set(u.pool_id.clone()),
                value: Set(v.clone()),
                verified: Set(verified),
            })
            .exec(txn)
            .await
            .map_err(db)?;
        }
    }
    if let Some(hash) = &u.password_hash {
        credential::Entity::delete_many()
            .filter(credential::Column::UserId.eq(&user_id))
            .filter(credential::Column::Kind.eq("password"))
            .exec(txn)
            .await
            .map_err(db)?;
        credential::Entity::insert(credential::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            user_id: Set(user_id.clone()),
            kind: Set("password".into()),
            secret: Set(hash.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            // The digest of an imported hash, if the write carries one (as `create_users` keeps it).
            source_sha256: Set(u.password_source.map(|s| hex(&s))),
        })
        .exec(txn)
        .await
        .map_err(db)?;
    }
    group_member::Entity::delete_many().filter(group_member::Column::UserId.eq(&user_id)).exec(txn).await.map_err(db)?;
    for g in &u.groups {
        group_member::Entity::insert(group_member::ActiveModel {
            tenant_id: Set(u.tenant_id.to_string()),
            pool_id: Set(u.pool_id.clone()),
            group_id: Set(g.clone()),
            user_id: Set(user_id.clone()),
        })
        .exec(txn)
        .await
        .map_err(db)?;
    }
    Ok(existed)
}
