//! Executes a batch of typed writes (`storage::write`) on `Data`, each an upsert by its
//! key, as the SQL store does.
use super::{Data, TenantRow, WorkspaceRow};
use super::identity::new_credential;
use crate::error::AppError;
use crate::storage::identity::{CredentialKind, Lookup, Pool, PoolSettings, group_privilege, user_holder};
use crate::storage::write::{Applied, Batch, Holder, Write};
use crate::storage::{AuditEvent, Result};
use crate::storage::identity::AuditRecord;

impl Data {
    pub(super) fn apply(&mut self, batch: &Batch) -> Result<Applied> {
        let mut applied = Applied::default();
        for c in &batch.writes {
            let existed = self.exec(batch.now, &c.write)?;
            if let Some(kind) = c.kind {
                applied.count(kind, existed);
            }
        }
        Ok(applied)
    }

    /// Runs one write; returns whether its key existed before.
    fn exec(&mut self, now: i64, w: &Write) -> Result<bool> {
        Ok(match w {
            Write::Tenant { id, name, levels, mail_from, replace } => {
                let old = self.tenants.get(id.as_str()).and_then(|t| t.mail_from.clone());
                let existed = self.tenants.contains_key(id.as_str());
                if *replace || !existed {
                    let mail_from = mail_from.clone().unwrap_or(old);
                    self.tenants.insert(id.to_string(), TenantRow { name: name.clone(), levels: levels.clone(), mail_from });
                }
                existed
            }
            Write::Schema { tenant, id, body } => self.schemas.insert((tenant.to_string(), id.clone()), body.clone()).is_some(),
            Write::Pool { tenant, id, name, self_registration, settings } => {
                // `self_registration` is a column of the SQL row, read back over the settings'
                // copy; here it lives in the settings, so the write's field wins here too.
                let settings = PoolSettings { self_registration: *self_registration, ..settings.clone() };
                let pool = Pool { tenant_id: tenant.clone(), id: id.clone(), name: name.clone(), settings };
                self.pools.insert((tenant.to_string(), id.clone()), pool).is_some()
            }
            Write::Group { tenant, group } => {
                let existed = self.groups.insert((tenant.to_string(), group.pool_id.clone(), group.id.clone()), group.clone()).is_some();
                let p = group_privilege(&group.pool_id, &group.id, &group.name);
                self.privileges.insert((tenant.to_string(), p.id.clone()), p);
                existed
            }
            Write::User(n) => {
                let Some(id) = self.holder(&n.tenant_id, &n.pool_id, Lookup::Username, &n.username).map(|u| u.id.clone()) else {
                    self.insert_user(n, now)?;
                    return Ok(false);
                };
                let mut u = self.users[&id].clone();
                u.status = n.status;
                u.claims = n.payload.clone();
                u.metadata = n.metadata.clone();
                (u.email, u.email_verified, u.phone, u.phone_verified) = (n.email.clone(), n.email_verified, n.phone.clone(), n.phone_verified);
                self.write_user(&u, now)?;
                if let Some(h) = &n.password_hash {
                    // The live password is replaced; retired ones (the history) stay, as in SQL.
                    self.credentials.retain(|c| !(c.user_id == id && c.kind == CredentialKind::PASSWORD && !c.retired));
                    self.credentials.push(new_credential(&id, CredentialKind::PASSWORD, h, n.password_source, now));
                }
                self.members.retain(|m| m.3 != id);
                for g in &n.groups {
                    self.members.insert((n.tenant_id.to_string(), n.pool_id.clone(), g.clone(), id.clone()));
                }
                true
            }
            Write::Workspace { tenant, id, name, default_locale, links, pools, replace } => {
                let key = (tenant.to_string(), id.clone());
                let old = self.workspaces.get(&key).and_then(|w| w.default_locale.clone());
                let old_links = self.workspaces.get(&key).map(|w| w.links.clone()).unwrap_or_default();
                let existed = self.workspaces.contains_key(&key);
                if !self.tenants.contains_key(tenant.as_str()) {
                    return Err(AppError::invalid("/tenant_id", format!("no tenant {tenant}")));
                }
                if *replace || !existed {
                    let default_locale = default_locale.clone().unwrap_or(old);
                    let links = links.clone().unwrap_or(old_links);
                    self.workspaces.insert(key, WorkspaceRow { name: name.clone(), default_locale, links, pools: pools.clone() });
                }
                existed
            }
            Write::Theme { tenant, scope, layer, author } => {
                let existed = self.themes.contains_key(&(tenant.to_string(), scope.key()));
                self.publish_theme(tenant, scope, layer, author, now, None)?;
                existed
            }
            Write::Client(c) => self.clients.insert((c.tenant_id.to_string(), c.workspace_id.clone(), c.client_id.clone()), c.clone()).is_some(),
            Write::Grant { tenant, privilege, holder } => {
                let holder = match holder {
                    Holder::Id(h) => h.clone(),
                    Holder::User { pool, username } => {
                        let u = self.holder(tenant, pool, Lookup::Username, username).ok_or_else(|| AppError::invalid("/holder", format!("privilege holder user:{pool}/{username} not found")))?;
                        user_holder(&u.id)
                    }
                };
                self.holders.insert((tenant.to_string(), privilege.clone(), holder));
                false
            }
            Write::Audit(AuditEvent { tenant_id, actor, action, subject, detail }) => {
                let record = AuditRecord { id: uuid::Uuid::new_v4().to_string(), at: now, actor: actor.clone(), action: action.clone(), subject: subject.clone(), detail: detail.clone() };
                self.audit.push((tenant_id.to_string(), record));
                false
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::storage::identity::{Group, NewUser, PoolSettings};
    use crate::storage::memory::MemoryDb;
    use crate::storage::write::{Batch, Holder, Write};
    use crate::storage::{DirectoryStore, GroupStore, PrivilegeStore, TenantId, UserStore};

    fn batch() -> Batch {
        let t = || TenantId::new("acme");
        let mut b = Batch { now: 10, writes: vec![] };
        b.push(Some("tenant"), Write::Tenant { id: t(), name: "ACME".into(), levels: vec![], mail_from: None, replace: true });
        b.push(Some("pool"), Write::Pool { tenant: t(), id: "p".into(), name: "P".into(), self_registration: false, settings: PoolSettings::default() });
        b.push(Some("group"), Write::Group { tenant: t(), group: Group { pool_id: "p".into(), id: "g".into(), name: "G".into() } });
        let user = NewUser { groups: vec!["g".into()], ..crate::storage::contract::new_user(&t(), "p", "ann", Some("ann@example.com")) };
        b.push(Some("user"), Write::User(user));
        b.push(Some("workspace"), Write::Workspace { tenant: t(), id: "w".into(), name: "W".into(), default_locale: None, links: None, pools: vec!["p".into()], replace: true });
        b.push(None, Write::Grant { tenant: t(), privilege: "user-admin".into(), holder: Holder::User { pool: "p".into(), username: "ann".into() } });
        b
    }

    #[tokio::test]
    async fn a_batch_upserts_counts_and_is_all_or_nothing() {
        let db = MemoryDb::new();
        let t = TenantId::new("acme");
        let first = db.apply(&batch()).await.unwrap();
        assert_eq!((first.created.len(), first.updated.len()), (5, 0), "{first}");
        let second = db.apply(&batch()).await.unwrap();
        assert!(second.created.is_empty() && second.updated.get("user") == Some(&1), "{second}");
        let ann = db.find_user(&t, "p", crate::storage::identity::Lookup::Username, "ann").await.unwrap().unwrap();
        assert_eq!(db.user_groups(&t, &ann.id).await.unwrap(), vec!["g".to_owned()]);
        assert_eq!(db.privileges_of(&t, &[crate::storage::identity::user_holder(&ann.id)]).await.unwrap(), vec!["user-admin".to_owned()]);
        // A failing write leaves nothing of its batch behind.
        let mut bad = Batch { now: 11, writes: vec![] };
        bad.push(Some("tenant"), Write::Tenant { id: TenantId::new("other"), name: "O".into(), levels: vec![], mail_from: None, replace: true });
        bad.push(None, Write::Grant { tenant: TenantId::new("other"), privilege: "x".into(), holder: Holder::User { pool: "p".into(), username: "nobody".into() } });
        assert!(db.apply(&bad).await.is_err());
        assert!(db.tenant(&TenantId::new("other")).await.unwrap().is_none());
    }
}
