//! The identity stores on `MemoryDb`: the same rules as the SQL ones, on maps.
use async_trait::async_trait;
use std::collections::HashMap;

use super::{Data, MemoryDb};
use crate::error::AppError;
use crate::storage::identity::*;
use crate::storage::{Result, TenantId, User, UserStatus};

fn other_tenant() -> AppError {
    AppError::internal("record of another tenant")
}

impl Data {
    fn user_of(&self, tenant: &TenantId, id: &str) -> Option<&User> {
        self.users.get(id).filter(|u| u.tenant_id == *tenant)
    }

    /// The user of the pool holding `value` as username, email or phone.
    pub(super) fn holder(&self, tenant: &TenantId, pool: &str, by: Lookup, value: &str) -> Option<&User> {
        self.users.values().find(|u| {
            u.tenant_id == *tenant
                && u.pool_id == pool
                && match by {
                    Lookup::Username => u.username == value,
                    Lookup::Email => u.email.as_deref() == Some(value),
                    Lookup::Phone => u.phone.as_deref() == Some(value),
                }
        })
    }

    /// `Conflict(field)` when another user of the pool holds the username or an address;
    /// addresses are checked first, as the SQL store does.
    fn check_unique(&self, u: &User) -> Result<()> {
        let taken = |by, value: &str| self.holder(&u.tenant_id, &u.pool_id, by, value).is_some_and(|o| o.id != u.id);
        if u.email.as_deref().is_some_and(|e| taken(Lookup::Email, e)) {
            return Err(AppError::Conflict("email".into()));
        }
        if u.phone.as_deref().is_some_and(|p| taken(Lookup::Phone, p)) {
            return Err(AppError::Conflict("phone".into()));
        }
        if taken(Lookup::Username, &u.username) {
            return Err(AppError::Conflict("username".into()));
        }
        Ok(())
    }

    pub(super) fn insert_user(&mut self, n: &NewUser, now: i64) -> Result<User> {
        let user = User {
            id: uuid::Uuid::new_v4().to_string(),
            tenant_id: n.tenant_id.clone(),
            pool_id: n.pool_id.clone(),
            username: n.username.clone(),
            status: n.status,
            email: n.email.clone(),
            email_verified: n.email.is_some() && n.email_verified,
            phone: n.phone.clone(),
            phone_verified: n.phone.is_some() && n.phone_verified,
            claims: n.payload.clone(),
            metadata: n.metadata.clone(),
            created_at: now,
            updated_at: now,
            deleted_at: None,
        };
        self.check_unique(&user)?;
        if let Some(h) = &n.password_hash {
            self.credentials.push(new_credential(&user.id, CredentialKind::PASSWORD, h, n.password_source, now));
        }
        for g in &n.groups {
            self.members.insert((user.tenant_id.to_string(), user.pool_id.clone(), g.clone(), user.id.clone()));
        }
        self.users.insert(user.id.clone(), user.clone());
        Ok(user)
    }

    pub(super) fn write_user(&mut self, u: &User, now: i64) -> Result<()> {
        self.check_unique(u)?;
        // No user of this tenant: refused as SQL refuses it, so that nothing keyed by the
        // user id (credentials) is written after it.
        let Some(stored) = self.users.get_mut(&u.id).filter(|s| s.tenant_id == u.tenant_id) else {
            return Err(crate::error::AppError::internal("record of another tenant"));
        };
        stored.username = u.username.clone();
        stored.status = u.status;
        stored.claims = u.claims.clone();
        stored.metadata = u.metadata.clone();
        stored.deleted_at = u.deleted_at;
        stored.updated_at = now;
        stored.email = u.email.clone();
        stored.email_verified = u.email.is_some() && u.email_verified;
        stored.phone = u.phone.clone();
        stored.phone_verified = u.phone.is_some() && u.phone_verified;
        Ok(())
    }

    fn credentials_of(&self, tenant: &TenantId, user_id: &str) -> bool {
        self.user_of(tenant, user_id).is_some()
    }
}

pub(super) fn new_credential(user_id: &str, kind: CredentialKind, secret: &str, source: Option<[u8; 32]>, now: i64) -> Credential {
    Credential { id: uuid::Uuid::new_v4().to_string(), user_id: user_id.into(), kind, secret: secret.into(), source_sha256: source, retired: false, created_at: now, updated_at: now }
}

#[async_trait]
impl UserStore for MemoryDb {
    async fn find_for_login(&self, tenant: &TenantId, pools: &[String], login: &str) -> Result<Option<(User, Option<String>)>> {
        let login = login.trim().to_lowercase();
        let d = self.lock()?;
        let in_pools = |u: &&User| u.tenant_id == *tenant && pools.contains(&u.pool_id);
        let mut candidates: Vec<&User> = d.users.values().filter(in_pools).filter(|u| u.username == login).collect();
        if candidates.is_empty() && login.contains('@') {
            candidates = d.users.values().filter(in_pools).filter(|u| u.email.as_deref() == Some(login.as_str())).collect();
        }
        // The workspace's first pool wins when the same login exists in several.
        let Some(u) = pools.iter().find_map(|p| candidates.iter().find(|u| &u.pool_id == p)) else {
            return Ok(None);
        };
        let hash = d.credentials.iter().find(|c| c.user_id == u.id && c.kind == CredentialKind::PASSWORD && !c.retired).map(|c| c.secret.clone());
        Ok(Some(((*u).clone(), hash)))
    }

    async fn get(&self, tenant: &TenantId, user_id: &str) -> Result<Option<User>> {
        Ok(self.lock()?.user_of(tenant, user_id).cloned())
    }

    async fn password_hash(&self, tenant: &TenantId, pool: &str, username: &str) -> Result<Option<String>> {
        let d = self.lock()?;
        let Some(u) = d.holder(tenant, pool, Lookup::Username, username) else {
            return Ok(None);
        };
        Ok(d.credentials.iter().find(|c| c.user_id == u.id && c.kind == CredentialKind::PASSWORD && !c.retired).map(|c| c.secret.clone()))
    }

    async fn find_user(&self, tenant: &TenantId, pool: &str, by: Lookup, value: &str) -> Result<Option<User>> {
        Ok(self.lock()?.holder(tenant, pool, by, value).cloned())
    }

    async fn search_users(&self, tenant: &TenantId, pool: &str, q: &UserQuery) -> Result<Vec<User>> {
        let d = self.lock()?;
        let text = q.text.as_deref().map(str::to_lowercase).filter(|t| !t.is_empty());
        let limit = q.limit.clamp(1, 1000) as usize;
        Ok(d.users
            .values()
            .filter(|u| u.tenant_id == *tenant && u.pool_id == pool)
            .filter(|u| q.status.is_none_or(|s| u.status == s))
            .filter(|u| q.after.as_ref().is_none_or(|a| u.id.as_str() > a.as_str()))
            .filter(|u| {
                text.as_ref().is_none_or(|t| {
                    u.username.starts_with(t.as_str()) || u.email.as_ref().is_some_and(|e| e.starts_with(t.as_str())) || u.phone.as_ref().is_some_and(|p| p.starts_with(t.as_str()))
                })
            })
            .filter(|u| {
                q.groups.as_ref().is_none_or(|gs| gs.iter().any(|g| d.members.contains(&(tenant.to_string(), pool.to_owned(), g.clone(), u.id.clone()))))
            })
            .take(limit)
            .cloned()
            .collect())
    }

    async fn create_user(&self, tenant: &TenantId, user: &NewUser, now: i64) -> Result<User> {
        if user.tenant_id != *tenant {
            return Err(other_tenant());
        }
        self.lock()?.insert_user(user, now)
    }

    async fn update_user(&self, tenant: &TenantId, user: &User, now: i64) -> Result<()> {
        if user.tenant_id != *tenant {
            return Err(other_tenant());
        }
        self.lock()?.write_user(user, now)
    }

    async fn activate_registration(&self, tenant: &TenantId, user: &User, password_phc: &str, now: i64) -> Result<()> {
        if user.tenant_id != *tenant {
            return Err(other_tenant());
        }
        let mut d = self.lock()?;
        d.write_user(user, now)?;
        d.credentials.retain(|c| !(c.user_id == user.id && c.kind == CredentialKind::PASSWORD));
        d.credentials.push(new_credential(&user.id, CredentialKind::PASSWORD, password_phc, None, now));
        Ok(())
    }

    async fn create_users(&self, tenant: &TenantId, users: &[NewUser], now: i64) -> Result<Vec<User>> {
        if users.iter().any(|u| u.tenant_id != *tenant) {
            return Err(other_tenant());
        }
        let mut d = self.lock()?;
        // All or none: the rows go into a copy, which replaces the data once all went in.
        let mut copy = d.clone();
        let out = users.iter().map(|u| copy.insert_user(u, now)).collect::<Result<Vec<_>>>()?;
        *d = copy;
        Ok(out)
    }

    async fn taken(&self, tenant: &TenantId, pool: &str, usernames: &[String], emails: &[String], phones: &[String]) -> Result<Vec<(Lookup, String, String)>> {
        let d = self.lock()?;
        let mut out = vec![];
        for (by, values) in [(Lookup::Username, usernames), (Lookup::Email, emails), (Lookup::Phone, phones)] {
            for v in values {
                if let Some(u) = d.holder(tenant, pool, by, v) {
                    out.push((by, v.clone(), u.id.clone()));
                }
            }
        }
        Ok(out)
    }

    async fn import_view(&self, tenant: &TenantId, ids: &[String]) -> Result<HashMap<String, ImportView>> {
        let d = self.lock()?;
        let mut out = HashMap::with_capacity(ids.len());
        for id in ids {
            let Some(user) = d.user_of(tenant, id) else { continue };
            let groups = d.members.iter().filter(|m| m.0 == tenant.as_str() && m.3 == *id).map(|m| m.2.clone()).collect();
            let password_source = d.credentials.iter().find(|c| c.user_id == *id && c.kind == CredentialKind::PASSWORD && !c.retired).and_then(|c| c.source_sha256);
            out.insert(id.clone(), ImportView { user: user.clone(), groups, password_source });
        }
        Ok(out)
    }

    async fn refresh_statistics(&self) -> Result<()> {
        Ok(())
    }

    async fn purge_deleted(&self, tenant: &TenantId, pool: &str, before: i64) -> Result<u64> {
        let mut d = self.lock()?;
        let due: Vec<String> = d
            .users
            .values()
            .filter(|u| u.tenant_id == *tenant && u.pool_id == pool && u.status == UserStatus::Deleted && u.deleted_at.is_some_and(|t| t <= before))
            .filter(|u| !u.claims.is_empty() || !u.metadata.is_empty() || !u.username.starts_with("deleted-"))
            .map(|u| u.id.clone())
            .collect();
        for id in &due {
            if let Some(u) = d.users.get_mut(id) {
                // The record stays (audit events and grants refer to its id); what
                // identifies the person goes.
                u.username = format!("deleted-{id}");
                u.claims.clear();
                u.metadata.clear();
                (u.email, u.email_verified, u.phone, u.phone_verified) = (None, false, None, false);
            }
            d.credentials.retain(|c| c.user_id != *id);
            d.members.retain(|m| m.3 != *id);
            let holder = user_holder(id);
            d.holders.retain(|h| !(h.0 == tenant.as_str() && h.2 == holder));
        }
        Ok(due.len() as u64)
    }
}

#[async_trait]
impl CredentialStore for MemoryDb {
    async fn add(&self, tenant: &TenantId, new: NewCredential<'_>, replace: Replace, now: i64) -> Result<Credential> {
        let mut d = self.lock()?;
        if !d.credentials_of(tenant, new.user_id) {
            return Err(AppError::invalid("/user_id", "credential for an unknown user"));
        }
        let same = |c: &Credential| c.user_id == new.user_id && c.kind == new.kind;
        match replace {
            Replace::Nothing => {}
            Replace::Live => d.credentials.retain(|c| !same(c) || c.retired),
            Replace::All => d.credentials.retain(|c| !same(c)),
            Replace::Retire { .. } => {
                for c in d.credentials.iter_mut().filter(|c| same(c) && !c.retired) {
                    c.retired = true;
                    c.updated_at = now;
                }
            }
        }
        let credential = new_credential(new.user_id, new.kind, new.secret, new.source_sha256, now);
        d.credentials.push(credential.clone());
        if let Replace::Retire { keep } = replace {
            let mut retired: Vec<(usize, i64, i64)> =
                d.credentials.iter().enumerate().filter(|(_, c)| same(c) && c.retired).map(|(i, c)| (i, c.updated_at, c.created_at)).collect();
            // Most recently retired first; among equals the later row first.
            retired.sort_by_key(|r| std::cmp::Reverse((r.1, r.2, r.0)));
            let stale: std::collections::HashSet<usize> = retired.into_iter().skip(keep as usize).map(|r| r.0).collect();
            let mut i = 0;
            d.credentials.retain(|_| {
                i += 1;
                !stale.contains(&(i - 1))
            });
        }
        Ok(credential)
    }

    async fn list(&self, tenant: &TenantId, user_id: &str, kind: CredentialKind) -> Result<Vec<Credential>> {
        let d = self.lock()?;
        if !d.credentials_of(tenant, user_id) {
            return Ok(vec![]);
        }
        let mut out: Vec<(usize, Credential)> = d.credentials.iter().cloned().enumerate().filter(|(_, c)| c.user_id == user_id && c.kind == kind).collect();
        out.sort_by_key(|(i, c)| (c.retired, std::cmp::Reverse((c.updated_at, *i))));
        Ok(out.into_iter().map(|(_, c)| c).collect())
    }

    async fn held(&self, tenant: &TenantId, user_id: &str) -> Result<Vec<CredentialKind>> {
        let d = self.lock()?;
        if !d.credentials_of(tenant, user_id) {
            return Ok(vec![]);
        }
        Ok(CredentialKind::ALL.iter().copied().filter(|k| d.credentials.iter().any(|c| c.user_id == user_id && c.kind == *k && !c.retired)).collect())
    }

    async fn remove(&self, tenant: &TenantId, user_id: &str, id: &str) -> Result<bool> {
        let mut d = self.lock()?;
        if !d.credentials_of(tenant, user_id) {
            return Ok(false);
        }
        let before = d.credentials.len();
        d.credentials.retain(|c| !(c.id == id && c.user_id == user_id));
        Ok(d.credentials.len() < before)
    }

    async fn touch(&self, tenant: &TenantId, user_id: &str, kind: CredentialKind, current: &str, upgrade: Option<&str>, now: i64) -> Result<bool> {
        let mut d = self.lock()?;
        if !d.credentials_of(tenant, user_id) {
            return Ok(false);
        }
        let mut done = false;
        for c in d.credentials.iter_mut().filter(|c| c.user_id == user_id && c.kind == kind && !c.retired && c.secret == current) {
            if let Some(new) = upgrade {
                c.secret = new.into();
            }
            c.updated_at = now;
            done = true;
        }
        Ok(done)
    }

    async fn consume(&self, tenant: &TenantId, user_id: &str, kind: CredentialKind, secret: &str) -> Result<bool> {
        let mut d = self.lock()?;
        if !d.credentials_of(tenant, user_id) {
            return Ok(false);
        }
        let before = d.credentials.len();
        d.credentials.retain(|c| !(c.user_id == user_id && c.kind == kind && !c.retired && c.secret == secret));
        Ok(d.credentials.len() < before)
    }
}

#[async_trait]
impl PoolStore for MemoryDb {
    async fn pool(&self, tenant: &TenantId, pool: &str) -> Result<Option<Pool>> {
        Ok(self.lock()?.pools.get(&(tenant.to_string(), pool.to_owned())).cloned())
    }

    async fn pools(&self, tenant: &TenantId) -> Result<Vec<Pool>> {
        Ok(self.lock()?.pools.iter().filter(|((t, _), _)| t == tenant.as_str()).map(|(_, p)| p.clone()).collect())
    }
}

#[async_trait]
impl GroupStore for MemoryDb {
    async fn groups(&self, tenant: &TenantId, pool: &str) -> Result<Vec<Group>> {
        Ok(self.lock()?.groups.iter().filter(|((t, p, _), _)| t == tenant.as_str() && p == pool).map(|(_, g)| g.clone()).collect())
    }

    async fn create_group(&self, tenant: &TenantId, g: &Group) -> Result<bool> {
        let mut d = self.lock()?;
        let key = (tenant.to_string(), g.pool_id.clone(), g.id.clone());
        if d.groups.contains_key(&key) {
            return Ok(false);
        }
        d.groups.insert(key, g.clone());
        let p = group_privilege(&g.pool_id, &g.id, &g.name);
        d.privileges.insert((tenant.to_string(), p.id.clone()), p);
        Ok(true)
    }

    async fn delete_group(&self, tenant: &TenantId, pool: &str, group: &str) -> Result<bool> {
        let mut d = self.lock()?;
        let t = tenant.to_string();
        let gone = d.groups.remove(&(t.clone(), pool.to_owned(), group.to_owned())).is_some();
        d.members.retain(|m| !(m.0 == t && m.1 == pool && m.2 == group));
        let p = group_privilege(pool, group, "");
        d.privileges.remove(&(t.clone(), p.id.clone()));
        let holder = group_holder(pool, group);
        d.holders.retain(|h| !(h.0 == t && (h.1 == p.id || h.2 == holder)));
        Ok(gone)
    }

    async fn user_groups(&self, tenant: &TenantId, user_id: &str) -> Result<Vec<String>> {
        Ok(self.lock()?.members.iter().filter(|m| m.0 == tenant.as_str() && m.3 == user_id).map(|m| m.2.clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect())
    }

    async fn set_member(&self, tenant: &TenantId, pool: &str, group: &str, user_id: &str, member: bool) -> Result<()> {
        let mut d = self.lock()?;
        let key = (tenant.to_string(), pool.to_owned(), group.to_owned(), user_id.to_owned());
        if member {
            d.members.insert(key);
        } else {
            d.members.remove(&key);
        }
        Ok(())
    }

    async fn set_groups(&self, tenant: &TenantId, pool: &str, user_id: &str, groups: &[String]) -> Result<()> {
        let mut d = self.lock()?;
        let t = tenant.to_string();
        d.members.retain(|m| !(m.0 == t && m.1 == pool && m.3 == user_id));
        for g in groups {
            d.members.insert((t.clone(), pool.to_owned(), g.clone(), user_id.to_owned()));
        }
        Ok(())
    }
}

#[async_trait]
impl PrivilegeStore for MemoryDb {
    async fn privileges(&self, tenant: &TenantId) -> Result<Vec<Privilege>> {
        Ok(self.lock()?.privileges.iter().filter(|((t, _), _)| t == tenant.as_str()).map(|(_, p)| p.clone()).collect())
    }

    async fn holders(&self, tenant: &TenantId, privilege: &str) -> Result<Vec<String>> {
        Ok(self.lock()?.holders.iter().filter(|h| h.0 == tenant.as_str() && h.1 == privilege).map(|h| h.2.clone()).collect())
    }

    async fn holdings(&self, tenant: &TenantId) -> Result<Vec<(String, String)>> {
        Ok(self.lock()?.holders.iter().filter(|h| h.0 == tenant.as_str()).map(|h| (h.1.clone(), h.2.clone())).collect())
    }

    async fn set_holder(&self, tenant: &TenantId, privilege: &str, holder: &str, held: bool) -> Result<()> {
        let mut d = self.lock()?;
        let key = (tenant.to_string(), privilege.to_owned(), holder.to_owned());
        if held {
            d.holders.insert(key);
        } else {
            d.holders.remove(&key);
        }
        Ok(())
    }

    async fn privileges_of(&self, tenant: &TenantId, holders: &[String]) -> Result<Vec<String>> {
        let ids: std::collections::BTreeSet<String> = self.lock()?.holders.iter().filter(|h| h.0 == tenant.as_str() && holders.contains(&h.2)).map(|h| h.1.clone()).collect();
        Ok(ids.into_iter().collect())
    }
}

#[async_trait]
impl SchemaStore for MemoryDb {
    async fn schemas(&self, tenant: &TenantId) -> Result<Vec<(String, serde_json::Value)>> {
        Ok(self.lock()?.schemas.iter().filter(|((t, _), _)| t == tenant.as_str()).map(|((_, id), b)| (id.clone(), b.clone())).collect())
    }

    async fn schema(&self, tenant: &TenantId, id: &str) -> Result<Option<serde_json::Value>> {
        Ok(self.lock()?.schemas.get(&(tenant.to_string(), id.to_owned())).cloned())
    }

    async fn put_schema(&self, tenant: &TenantId, id: &str, body: &serde_json::Value, _now: i64) -> Result<bool> {
        Ok(self.lock()?.schemas.insert((tenant.to_string(), id.to_owned()), body.clone()).is_some())
    }

    async fn delete_schema(&self, tenant: &TenantId, id: &str) -> Result<bool> {
        let mut d = self.lock()?;
        let in_use = d.pools.iter().any(|((t, _), p)| t == tenant.as_str() && (p.settings.payload_schema == id || p.settings.metadata_schema == id));
        if in_use {
            return Err(AppError::Conflict("schema is assigned to a pool".into()));
        }
        Ok(d.schemas.remove(&(tenant.to_string(), id.to_owned())).is_some())
    }
}
