//! The identity stores on SeaORM: users, pools, groups, privileges and schemas.
use async_trait::async_trait;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, TransactionTrait};

use super::entities::*;
use super::{SqlStore, db, to_user};
use crate::error::AppError;
use crate::storage::identity::*;
use crate::storage::{Result, TenantId, User, UserStatus};

fn to_pool(p: pool::Model) -> Result<Pool> {
    let mut settings: PoolSettings = serde_json::from_str(&p.settings)?;
    settings.self_registration = p.self_registration;
    Ok(Pool { tenant_id: TenantId::new(p.tenant_id), id: p.id, name: p.name, settings })
}

/// A write of a record of another tenant than the one named: a bug in the caller.
fn other_tenant() -> AppError {
    AppError::internal("record of another tenant")
}

fn object(m: &serde_json::Map<String, serde_json::Value>) -> String {
    serde_json::Value::Object(m.clone()).to_string()
}

async fn load_users(c: &impl ConnectionTrait, rows: Vec<user::Model>) -> Result<Vec<User>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<String> = rows.iter().map(|u| u.id.clone()).collect();
    let addrs = address::Entity::find().filter(address::Column::UserId.is_in(ids)).all(c).await.map_err(db)?;
    rows.into_iter()
        .map(|u| {
            let mine: Vec<address::Model> = addrs.iter().filter(|a| a.user_id == u.id).cloned().collect();
            to_user(u, &mine)
        })
        .collect()
}

/// Fails with `Conflict(field)` when the username or an address is taken by another user.
async fn check_unique(c: &impl ConnectionTrait, tenant: &str, pool: &str, me: Option<&str>, username: &str, addrs: &[(&str, &str)]) -> Result<()> {
    for (kind, value) in addrs {
        let mut q = address::Entity::find()
            .filter(address::Column::TenantId.eq(tenant))
            .filter(address::Column::PoolId.eq(pool))
            .filter(address::Column::Kind.eq(*kind))
            .filter(address::Column::Value.eq(*value));
        if let Some(id) = me {
            q = q.filter(address::Column::UserId.ne(id));
        }
        if q.one(c).await.map_err(db)?.is_some() {
            return Err(AppError::Conflict((*kind).into()));
        }
    }
    let mut q = user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant))
        .filter(user::Column::PoolId.eq(pool))
        .filter(user::Column::Username.eq(username));
    if let Some(id) = me {
        q = q.filter(user::Column::Id.ne(id));
    }
    if q.one(c).await.map_err(db)?.is_some() {
        return Err(AppError::Conflict("username".into()));
    }
    Ok(())
}

/// Replaces the user's addresses. One row at a time, so that losing a race for an address
/// (the unique index, after `check_unique` passed) names it: `Conflict("email")`.
async fn write_addresses(c: &impl ConnectionTrait, user: &User) -> Result<()> {
    address::Entity::delete_many().filter(address::Column::UserId.eq(&user.id)).exec(c).await.map_err(db)?;
    for row in address_rows(user) {
        let kind = row.kind.try_as_ref().cloned().unwrap_or_else(|| "address".into());
        address::Entity::insert(row).exec_without_returning(c).await.map_err(|e| match db(e) {
            AppError::Conflict(_) => AppError::Conflict(kind),
            other => other,
        })?;
    }
    Ok(())
}

pub(super) fn credential(user_id: &str, kind: &str, secret: &str, source: Option<[u8; 32]>, created_at: i64, now: i64) -> credential::ActiveModel {
    credential::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        user_id: Set(user_id.into()),
        kind: Set(kind.into()),
        secret: Set(secret.into()),
        created_at: Set(created_at),
        updated_at: Set(now),
        source_sha256: Set(source.map(|s| super::hex(&s))),
    }
}

fn user_row(u: &User) -> user::ActiveModel {
    user::ActiveModel {
        id: Set(u.id.clone()),
        tenant_id: Set(u.tenant_id.to_string()),
        pool_id: Set(u.pool_id.clone()),
        username: Set(u.username.clone()),
        status: Set(u.status.as_str().into()),
        claims: Set(object(&u.claims)),
        created_at: Set(u.created_at),
        updated_at: Set(u.updated_at),
        metadata: Set(object(&u.metadata)),
        deleted_at: Set(None),
    }
}

fn new_user_record(u: &NewUser, now: i64) -> User {
    User {
        id: uuid::Uuid::new_v4().to_string(),
        tenant_id: u.tenant_id.clone(),
        pool_id: u.pool_id.clone(),
        username: u.username.clone(),
        status: u.status,
        email: u.email.clone(),
        email_verified: u.email_verified,
        phone: u.phone.clone(),
        phone_verified: u.phone_verified,
        claims: u.payload.clone(),
        metadata: u.metadata.clone(),
        created_at: now,
        updated_at: now,
        deleted_at: None,
    }
}

fn address_rows(u: &User) -> Vec<address::ActiveModel> {
    [("email", &u.email, u.email_verified), ("phone", &u.phone, u.phone_verified)]
        .into_iter()
        .filter_map(|(kind, value, verified)| {
            value.as_ref().map(|v| address::ActiveModel {
                user_id: Set(u.id.clone()),
                kind: Set(kind.into()),
                tenant_id: Set(u.tenant_id.to_string()),
                pool_id: Set(u.pool_id.clone()),
                value: Set(v.clone()),
                verified: Set(verified),
            })
        })
        .collect()
}

fn member_rows(u: &User, groups: &[String]) -> Vec<group_member::ActiveModel> {
    groups
        .iter()
        .map(|g| group_member::ActiveModel {
            tenant_id: Set(u.tenant_id.to_string()),
            pool_id: Set(u.pool_id.clone()),
            group_id: Set(g.clone()),
            user_id: Set(u.id.clone()),
        })
        .collect()
}

/// Multi-row inserts in chunks that stay under SQLite's bound-parameter limit.
async fn insert_chunked<A: sea_orm::ActiveModelTrait + Send>(c: &impl ConnectionTrait, rows: Vec<A>, per_chunk: usize) -> Result<()>
where
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_chunk).collect();
        <A::Entity as EntityTrait>::insert_many(chunk).exec_without_returning(c).await.map_err(db)?;
    }
    Ok(())
}

/// Username, status, payload, metadata and addresses of an existing user.
async fn write_user(c: &impl ConnectionTrait, u: &User, now: i64) -> Result<()> {
    let mut addrs = vec![];
    if let Some(e) = &u.email {
        addrs.push(("email", e.as_str()));
    }
    if let Some(p) = &u.phone {
        addrs.push(("phone", p.as_str()));
    }
    check_unique(c, &u.tenant_id, &u.pool_id, Some(&u.id), &u.username, &addrs).await?;
    let updated = user::Entity::update_many()
        .col_expr(user::Column::Username, Expr::value(u.username.clone()))
        .col_expr(user::Column::Status, Expr::value(u.status.as_str()))
        .col_expr(user::Column::Claims, Expr::value(object(&u.claims)))
        .col_expr(user::Column::Metadata, Expr::value(object(&u.metadata)))
        .col_expr(user::Column::DeletedAt, Expr::value(u.deleted_at))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(&u.id))
        .filter(user::Column::TenantId.eq(&u.tenant_id))
        .exec(c)
        .await
        .map_err(db)?;
    // Users are never deleted as rows, so no row means no user of this tenant: the
    // addresses and credentials below (keyed by user id) must not be written either.
    if updated.rows_affected == 0 {
        return Err(other_tenant());
    }
    write_addresses(c, u).await
}

#[async_trait]
impl UserStore for SqlStore {
    async fn find_for_login(&self, tenant: &TenantId, pools: &[String], login: &str) -> Result<Option<(User, Option<String>)>> {
        let login = login.trim().to_lowercase();
        let mut candidates = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant))
            .filter(user::Column::PoolId.is_in(pools.iter().cloned()))
            .filter(user::Column::Username.eq(&login))
            .all(&self.conn)
            .await
            .map_err(db)?;
        if candidates.is_empty() && login.contains('@') {
            let ids: Vec<String> = address::Entity::find()
                .filter(address::Column::TenantId.eq(tenant))
                .filter(address::Column::PoolId.is_in(pools.iter().cloned()))
                .filter(address::Column::Kind.eq("email"))
                .filter(address::Column::Value.eq(&login))
                .all(&self.conn)
                .await
                .map_err(db)?
                .into_iter()
                .map(|a| a.user_id)
                .collect();
            if !ids.is_empty() {
                candidates = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(&self.conn).await.map_err(db)?;
            }
        }
        // The workspace's first pool wins when the same login exists in several.
        let Some(u) = pools.iter().find_map(|p| candidates.iter().find(|u| &u.pool_id == p)).cloned() else {
            return Ok(None);
        };
        let addrs = address::Entity::find().filter(address::Column::UserId.eq(&u.id)).all(&self.conn).await.map_err(db)?;
        let hash = credential::Entity::find()
            .filter(credential::Column::UserId.eq(&u.id))
            .filter(credential::Column::Kind.eq("password"))
            .one(&self.conn)
            .await
            .map_err(db)?
            .map(|c| c.secret);
        Ok(Some((to_user(u, &addrs)?, hash)))
    }

    async fn get(&self, tenant: &TenantId, user_id: &str) -> Result<Option<User>> {
        let Some(u) = user::Entity::find_by_id(user_id.to_owned()).filter(user::Column::TenantId.eq(tenant)).one(&self.conn).await.map_err(db)? else {
            return Ok(None);
        };
        let addrs = address::Entity::find().filter(address::Column::UserId.eq(&u.id)).all(&self.conn).await.map_err(db)?;
        to_user(u, &addrs).map(Some)
    }

    async fn password_hash(&self, tenant: &TenantId, pool: &str, username: &str) -> Result<Option<String>> {
        let Some(u) = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant))
            .filter(user::Column::PoolId.eq(pool))
            .filter(user::Column::Username.eq(username))
            .one(&self.conn)
            .await
            .map_err(db)?
        else {
            return Ok(None);
        };
        Ok(credential::Entity::find()
            .filter(credential::Column::UserId.eq(&u.id))
            .filter(credential::Column::Kind.eq("password"))
            .one(&self.conn)
            .await
            .map_err(db)?
            .map(|c| c.secret))
    }

    async fn create_users(&self, tenant: &TenantId, users: &[NewUser], now: i64) -> Result<Vec<User>> {
        if users.iter().any(|u| u.tenant_id != *tenant) {
            return Err(other_tenant());
        }
        let records: Vec<User> = users.iter().map(|u| new_user_record(u, now)).collect();
        let txn = self.writer.begin().await.map_err(db)?;
        insert_chunked(&txn, records.iter().map(user_row).collect(), 50).await?;
        insert_chunked(&txn, records.iter().flat_map(address_rows).collect(), 100).await?;
        let creds = users.iter().zip(&records).filter_map(|(n, u)| n.password_hash.as_ref().map(|h| credential(&u.id, "password", h, n.password_source, now, now))).collect();
        insert_chunked(&txn, creds, 80).await?;
        insert_chunked(&txn, users.iter().zip(&records).flat_map(|(n, u)| member_rows(u, &n.groups)).collect(), 150).await?;
        txn.commit().await.map_err(db)?;
        Ok(records)
    }

    async fn taken(&self, tenant: &TenantId, pool: &str, usernames: &[String], emails: &[String], phones: &[String]) -> Result<Vec<(Lookup, String, String)>> {
        let mut out = vec![];
        for chunk in usernames.chunks(500) {
            let rows = user::Entity::find()
                .filter(user::Column::TenantId.eq(tenant))
                .filter(user::Column::PoolId.eq(pool))
                .filter(user::Column::Username.is_in(chunk.iter().cloned()))
                .all(&self.conn)
                .await
                .map_err(db)?;
            out.extend(rows.into_iter().map(|u| (Lookup::Username, u.username, u.id)));
        }
        for (kind, lookup, values) in [("email", Lookup::Email, emails), ("phone", Lookup::Phone, phones)] {
            for chunk in values.chunks(500) {
                let rows = address::Entity::find()
                    .filter(address::Column::TenantId.eq(tenant))
                    .filter(address::Column::PoolId.eq(pool))
                    .filter(address::Column::Kind.eq(kind))
                    .filter(address::Column::Value.is_in(chunk.iter().cloned()))
                    .all(&self.conn)
                    .await
                    .map_err(db)?;
                out.extend(rows.into_iter().map(|a| (lookup, a.value, a.user_id)));
            }
        }
        Ok(out)
    }

    async fn import_view(&self, tenant: &TenantId, ids: &[String]) -> Result<std::collections::HashMap<String, ImportView>> {
        let mut out = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let rows = user::Entity::find().filter(user::Column::TenantId.eq(tenant)).filter(user::Column::Id.is_in(chunk.iter().cloned())).all(&self.conn).await.map_err(db)?;
            let members = group_member::Entity::find().filter(group_member::Column::UserId.is_in(chunk.iter().cloned())).all(&self.conn).await.map_err(db)?;
            let creds = credential::Entity::find()
                .filter(credential::Column::UserId.is_in(chunk.iter().cloned()))
                .filter(credential::Column::Kind.eq("password"))
                .all(&self.conn)
                .await
                .map_err(db)?;
            for user in load_users(&self.conn, rows).await? {
                let mut groups: Vec<String> = members.iter().filter(|m| m.user_id == user.id).map(|m| m.group_id.clone()).collect();
                groups.sort();
                let password_source = creds.iter().find(|c| c.user_id == user.id).and_then(|c| c.source_sha256.as_deref()).and_then(super::unhex32);
                out.insert(user.id.clone(), ImportView { user, groups, password_source });
            }
        }
        Ok(out)
    }

    async fn refresh_statistics(&self) -> Result<()> {
        let sql = match self.conn.get_database_backend() {
            sea_orm::DbBackend::Postgres => "ANALYZE users, addresses, credentials, group_members",
            _ => "ANALYZE",
        };
        self.writer.execute_unprepared(sql).await.map_err(db)?;
        Ok(())
    }

    async fn create_user(&self, tenant: &TenantId, u: &NewUser, now: i64) -> Result<User> {
        if u.tenant_id != *tenant {
            return Err(other_tenant());
        }
        let txn = self.writer.begin().await.map_err(db)?;
        let mut addrs = vec![];
        if let Some(e) = &u.email {
            addrs.push(("email", e.as_str()));
        }
        if let Some(p) = &u.phone {
            addrs.push(("phone", p.as_str()));
        }
        check_unique(&txn, &u.tenant_id, &u.pool_id, None, &u.username, &addrs).await?;
        let user = new_user_record(u, now);
        user::Entity::insert(user_row(&user)).exec(&txn).await.map_err(db)?;
        write_addresses(&txn, &user).await?;
        if let Some(h) = &u.password_hash {
            credential::Entity::insert(credential(&user.id, "password", h, u.password_source, now, now)).exec(&txn).await.map_err(db)?;
        }
        insert_chunked(&txn, member_rows(&user, &u.groups), 150).await?;
        txn.commit().await.map_err(db)?;
        Ok(user)
    }

    async fn update_user(&self, tenant: &TenantId, u: &User, now: i64) -> Result<()> {
        if u.tenant_id != *tenant {
            return Err(other_tenant());
        }
        let txn = self.writer.begin().await.map_err(db)?;
        write_user(&txn, u, now).await?;
        txn.commit().await.map_err(db)
    }

    async fn activate_registration(&self, tenant: &TenantId, u: &User, password_phc: &str, now: i64) -> Result<()> {
        if u.tenant_id != *tenant {
            return Err(other_tenant());
        }
        let txn = self.writer.begin().await.map_err(db)?;
        write_user(&txn, u, now).await?;
        credential::Entity::delete_many()
            .filter(credential::Column::UserId.eq(&u.id))
            .filter(credential::Column::Kind.is_in(["password", "password_history"]))
            .exec(&txn)
            .await
            .map_err(db)?;
        credential::Entity::insert(credential(&u.id, "password", password_phc, None, now, now)).exec(&txn).await.map_err(db)?;
        txn.commit().await.map_err(db)
    }

    async fn find_user(&self, tenant: &TenantId, pool: &str, by: Lookup, value: &str) -> Result<Option<User>> {
        let row = match by {
            Lookup::Username => user::Entity::find()
                .filter(user::Column::TenantId.eq(tenant))
                .filter(user::Column::PoolId.eq(pool))
                .filter(user::Column::Username.eq(value))
                .one(&self.conn)
                .await
                .map_err(db)?,
            Lookup::Email | Lookup::Phone => {
                let kind = if by == Lookup::Email { "email" } else { "phone" };
                let Some(a) = address::Entity::find()
                    .filter(address::Column::TenantId.eq(tenant))
                    .filter(address::Column::PoolId.eq(pool))
                    .filter(address::Column::Kind.eq(kind))
                    .filter(address::Column::Value.eq(value))
                    .one(&self.conn)
                    .await
                    .map_err(db)?
                else {
                    return Ok(None);
                };
                user::Entity::find_by_id(a.user_id).filter(user::Column::TenantId.eq(tenant)).one(&self.conn).await.map_err(db)?
            }
        };
        Ok(load_users(&self.conn, row.into_iter().collect()).await?.pop())
    }

    async fn search_users(&self, tenant: &TenantId, pool: &str, q: &UserQuery) -> Result<Vec<User>> {
        let mut sel = user::Entity::find().filter(user::Column::TenantId.eq(tenant)).filter(user::Column::PoolId.eq(pool));
        if let Some(s) = q.status {
            sel = sel.filter(user::Column::Status.eq(s.as_str()));
        }
        if let Some(after) = &q.after {
            sel = sel.filter(user::Column::Id.gt(after.as_str()));
        }
        if let Some(text) = q.text.as_deref().map(str::to_lowercase).filter(|t| !t.is_empty()) {
            // Prefix search; LIKE wildcards in the input are matched literally.
            let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            let pattern = format!("{escaped}%");
            let by_email = address::Entity::find()
                .select_only()
                .column(address::Column::UserId)
                .filter(address::Column::TenantId.eq(tenant))
                .filter(address::Column::PoolId.eq(pool))
                .filter(Expr::col(address::Column::Value).like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\')))
                .into_query();
            sel = sel.filter(
                Condition::any()
                    .add(Expr::col(user::Column::Username).like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')))
                    .add(user::Column::Id.in_subquery(by_email)),
            );
        }
        if let Some(groups) = &q.groups {
            let members = group_member::Entity::find()
                .select_only()
                .column(group_member::Column::UserId)
                .filter(group_member::Column::TenantId.eq(tenant))
                .filter(group_member::Column::PoolId.eq(pool))
                .filter(group_member::Column::GroupId.is_in(groups.iter().cloned()))
                .into_query();
            sel = sel.filter(user::Column::Id.in_subquery(members));
        }
        let rows = sel.order_by_asc(user::Column::Id).limit(q.limit.clamp(1, 1000)).all(&self.conn).await.map_err(db)?;
        load_users(&self.conn, rows).await
    }

    async fn purge_deleted(&self, tenant: &TenantId, pool: &str, before: i64) -> Result<u64> {
        let due = user::Entity::find()
            .filter(user::Column::TenantId.eq(tenant))
            .filter(user::Column::PoolId.eq(pool))
            .filter(user::Column::Status.eq(UserStatus::Deleted.as_str()))
            .filter(user::Column::DeletedAt.lte(before))
            .filter(user::Column::Claims.ne("{}").or(user::Column::Metadata.ne("{}")).or(user::Column::Username.not_like("deleted-%")))
            .all(&self.conn)
            .await
            .map_err(db)?;
        let txn = self.writer.begin().await.map_err(db)?;
        for u in &due {
            // The row stays (audit events and grants refer to its id); what identifies the
            // person goes.
            user::Entity::update_many()
                .col_expr(user::Column::Username, Expr::value(format!("deleted-{}", u.id)))
                .col_expr(user::Column::Claims, Expr::value("{}"))
                .col_expr(user::Column::Metadata, Expr::value("{}"))
                .filter(user::Column::Id.eq(&u.id))
                .exec(&txn)
                .await
                .map_err(db)?;
            address::Entity::delete_many().filter(address::Column::UserId.eq(&u.id)).exec(&txn).await.map_err(db)?;
            credential::Entity::delete_many().filter(credential::Column::UserId.eq(&u.id)).exec(&txn).await.map_err(db)?;
            group_member::Entity::delete_many().filter(group_member::Column::UserId.eq(&u.id)).exec(&txn).await.map_err(db)?;
            privilege_holder::Entity::delete_many()
                .filter(privilege_holder::Column::TenantId.eq(tenant))
                .filter(privilege_holder::Column::Holder.eq(user_holder(&u.id)))
                .exec(&txn)
                .await
                .map_err(db)?;
        }
        txn.commit().await.map_err(db)?;
        Ok(due.len() as u64)
    }
}

#[async_trait]
impl PoolStore for SqlStore {
    async fn pool(&self, tenant: &TenantId, pool: &str) -> Result<Option<Pool>> {
        pool::Entity::find_by_id((tenant.to_string(), pool.to_owned())).one(&self.conn).await.map_err(db)?.map(to_pool).transpose()
    }

    async fn pools(&self, tenant: &TenantId) -> Result<Vec<Pool>> {
        pool::Entity::find()
            .filter(pool::Column::TenantId.eq(tenant))
            .order_by_asc(pool::Column::Id)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(to_pool)
            .collect()
    }
}

#[async_trait]
impl GroupStore for SqlStore {
    async fn groups(&self, tenant: &TenantId, pool: &str) -> Result<Vec<Group>> {
        Ok(group::Entity::find()
            .filter(group::Column::TenantId.eq(tenant))
            .filter(group::Column::PoolId.eq(pool))
            .order_by_asc(group::Column::Id)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|g| Group { pool_id: g.pool_id, id: g.id, name: g.name })
            .collect())
    }

    async fn create_group(&self, tenant: &TenantId, g: &Group) -> Result<bool> {
        let txn = self.writer.begin().await.map_err(db)?;
        // ON CONFLICT DO NOTHING rather than look-then-insert: of two concurrent creations
        // the loser learns the group exists instead of hitting the primary key.
        let inserted = group::Entity::insert(group::ActiveModel {
            tenant_id: Set(tenant.into()),
            pool_id: Set(g.pool_id.clone()),
            id: Set(g.id.clone()),
            name: Set(g.name.clone()),
        })
        .on_conflict(OnConflict::columns([group::Column::TenantId, group::Column::PoolId, group::Column::Id]).do_nothing().to_owned())
        .do_nothing()
        .exec_without_returning(&txn)
        .await
        .map_err(db)?;
        if !matches!(inserted, sea_orm::TryInsertResult::Inserted(1)) {
            return Ok(false);
        }
        upsert_group_privilege(&txn, tenant, g).await?;
        txn.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn delete_group(&self, tenant: &TenantId, pool: &str, id: &str) -> Result<bool> {
        let txn = self.writer.begin().await.map_err(db)?;
        let gone = group::Entity::delete_by_id((tenant.to_string(), pool.to_owned(), id.to_owned())).exec(&txn).await.map_err(db)?.rows_affected > 0;
        group_member::Entity::delete_many()
            .filter(group_member::Column::TenantId.eq(tenant))
            .filter(group_member::Column::PoolId.eq(pool))
            .filter(group_member::Column::GroupId.eq(id))
            .exec(&txn)
            .await
            .map_err(db)?;
        let p = group_privilege(pool, id, "");
        privilege::Entity::delete_by_id((tenant.to_string(), p.id.clone())).exec(&txn).await.map_err(db)?;
        privilege_holder::Entity::delete_many()
            .filter(privilege_holder::Column::TenantId.eq(tenant))
            .filter(Condition::any().add(privilege_holder::Column::PrivilegeId.eq(&p.id)).add(privilege_holder::Column::Holder.eq(group_holder(pool, id))))
            .exec(&txn)
            .await
            .map_err(db)?;
        txn.commit().await.map_err(db)?;
        Ok(gone)
    }

    async fn user_groups(&self, tenant: &TenantId, user_id: &str) -> Result<Vec<String>> {
        Ok(group_member::Entity::find()
            .filter(group_member::Column::TenantId.eq(tenant))
            .filter(group_member::Column::UserId.eq(user_id))
            .order_by_asc(group_member::Column::GroupId)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|m| m.group_id)
            .collect())
    }

    async fn set_member(&self, tenant: &TenantId, pool: &str, group: &str, user_id: &str, member: bool) -> Result<()> {
        if member {
            group_member::Entity::insert(group_member::ActiveModel {
                tenant_id: Set(tenant.into()),
                pool_id: Set(pool.into()),
                group_id: Set(group.into()),
                user_id: Set(user_id.into()),
            })
            .on_conflict(
                OnConflict::columns([group_member::Column::TenantId, group_member::Column::PoolId, group_member::Column::GroupId, group_member::Column::UserId])
                    .do_nothing()
                    .to_owned(),
            )
            .do_nothing()
            .exec(&self.writer)
            .await
            .map_err(db)?;
        } else {
            group_member::Entity::delete_by_id((tenant.to_string(), pool.to_owned(), group.to_owned(), user_id.to_owned())).exec(&self.writer).await.map_err(db)?;
        }
        Ok(())
    }

    async fn set_groups(&self, tenant: &TenantId, pool: &str, user_id: &str, groups: &[String]) -> Result<()> {
        let txn = self.writer.begin().await.map_err(db)?;
        group_member::Entity::delete_many()
            .filter(group_member::Column::TenantId.eq(tenant))
            .filter(group_member::Column::PoolId.eq(pool))
            .filter(group_member::Column::UserId.eq(user_id))
            .exec(&txn)
            .await
            .map_err(db)?;
        for g in groups {
            group_member::Entity::insert(group_member::ActiveModel {
                tenant_id: Set(tenant.into()),
                pool_id: Set(pool.into()),
                group_id: Set(g.clone()),
                user_id: Set(user_id.into()),
            })
            .exec(&txn)
            .await
            .map_err(db)?;
        }
        txn.commit().await.map_err(db)
    }
}

#[async_trait]
impl PrivilegeStore for SqlStore {
    async fn privileges(&self, tenant: &TenantId) -> Result<Vec<Privilege>> {
        Ok(privilege::Entity::find()
            .filter(privilege::Column::TenantId.eq(tenant))
            .order_by_asc(privilege::Column::Id)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|p| Privilege { id: p.id, name: p.name, pool_id: p.pool_id, group_id: p.group_id })
            .collect())
    }

    async fn holders(&self, tenant: &TenantId, privilege: &str) -> Result<Vec<String>> {
        Ok(privilege_holder::Entity::find()
            .filter(privilege_holder::Column::TenantId.eq(tenant))
            .filter(privilege_holder::Column::PrivilegeId.eq(privilege))
            .order_by_asc(privilege_holder::Column::Holder)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|h| h.holder)
            .collect())
    }

    async fn holdings(&self, tenant: &TenantId) -> Result<Vec<(String, String)>> {
        Ok(privilege_holder::Entity::find()
            .filter(privilege_holder::Column::TenantId.eq(tenant))
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|h| (h.privilege_id, h.holder))
            .collect())
    }

    async fn set_holder(&self, tenant: &TenantId, privilege: &str, holder: &str, held: bool) -> Result<()> {
        if held {
            grant_holder(&self.writer, tenant, privilege, holder).await?;
        } else {
            privilege_holder::Entity::delete_by_id((tenant.to_string(), privilege.to_owned(), holder.to_owned())).exec(&self.writer).await.map_err(db)?;
        }
        Ok(())
    }

    async fn privileges_of(&self, tenant: &TenantId, holders: &[String]) -> Result<Vec<String>> {
        let mut ids: Vec<String> = privilege_holder::Entity::find()
            .filter(privilege_holder::Column::TenantId.eq(tenant))
            .filter(privilege_holder::Column::Holder.is_in(holders.iter().cloned()))
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|h| h.privilege_id)
            .collect();
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}

#[async_trait]
impl SchemaStore for SqlStore {
    async fn schemas(&self, tenant: &TenantId) -> Result<Vec<(String, serde_json::Value)>> {
        schema::Entity::find()
            .filter(schema::Column::TenantId.eq(tenant))
            .order_by_asc(schema::Column::Id)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|s| Ok((s.id, serde_json::from_str(&s.body)?)))
            .collect()
    }

    async fn schema(&self, tenant: &TenantId, id: &str) -> Result<Option<serde_json::Value>> {
        match schema::Entity::find_by_id((tenant.to_string(), id.to_owned())).one(&self.conn).await.map_err(db)? {
            Some(s) => Ok(Some(serde_json::from_str(&s.body)?)),
            None => Ok(None),
        }
    }

    async fn put_schema(&self, tenant: &TenantId, id: &str, body: &serde_json::Value, now: i64) -> Result<bool> {
        put_schema(&self.writer, tenant, id, body, now).await
    }

    async fn delete_schema(&self, tenant: &TenantId, id: &str) -> Result<bool> {
        let in_use = pool::Entity::find()
            .filter(pool::Column::TenantId.eq(tenant))
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .filter_map(|p| to_pool(p).ok())
            .any(|p| p.settings.payload_schema == id || p.settings.metadata_schema == id);
        if in_use {
            return Err(AppError::Conflict("schema is assigned to a pool".into()));
        }
        Ok(schema::Entity::delete_by_id((tenant.to_string(), id.to_owned())).exec(&self.writer).await.map_err(db)?.rows_affected > 0)
    }
}


pub(super) async fn put_schema(c: &impl ConnectionTrait, tenant: &str, id: &str, body: &serde_json::Value, now: i64) -> Result<bool> {
    let existed = schema::Entity::find_by_id((tenant.to_owned(), id.to_owned())).one(c).await.map_err(db)?.is_some();
    schema::Entity::insert(schema::ActiveModel { tenant_id: Set(tenant.into()), id: Set(id.into()), body: Set(body.to_string()), updated_at: Set(now) })
        .on_conflict(OnConflict::columns([schema::Column::TenantId, schema::Column::Id]).update_columns([schema::Column::Body, schema::Column::UpdatedAt]).to_owned())
        .exec(c)
        .await
        .map_err(db)?;
    Ok(existed)
}

/// The dynamic privilege of a group, created (or renamed) with it.
pub(super) async fn upsert_group_privilege(c: &impl ConnectionTrait, tenant: &str, g: &Group) -> Result<()> {
    let p = group_privilege(&g.pool_id, &g.id, &g.name);
    privilege::Entity::insert(privilege::ActiveModel {
        tenant_id: Set(tenant.into()),
        id: Set(p.id),
        name: Set(p.name),
        pool_id: Set(p.pool_id),
        group_id: Set(p.group_id),
    })
    .on_conflict(OnConflict::columns([privilege::Column::TenantId, privilege::Column::Id]).update_column(privilege::Column::Name).to_owned())
    .exec(c)
    .await
    .map_err(db)?;
    Ok(())
}

pub(super) async fn grant_holder(c: &impl ConnectionTrait, tenant: &str, privilege: &str, holder: &str) -> Result<()> {
    privilege_holder::Entity::insert(privilege_holder::ActiveModel {
        tenant_id: Set(tenant.into()),
        privilege_id: Set(privilege.into()),
        holder: Set(holder.into()),
    })
    .on_conflict(
        OnConflict::columns([privilege_holder::Column::TenantId, privilege_holder::Column::PrivilegeId, privilege_holder::Column::Holder])
            .do_nothing()
            .to_owned(),
    )
    .do_nothing()
    .exec(c)
    .await
    .map_err(db)?;
    Ok(())
}
