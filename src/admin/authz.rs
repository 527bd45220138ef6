//! Who may do what in the admin API. Pure: the caller's privileges are loaded once per
//! request; every decision here is a function of them.
//!
//! | privilege | scope |
//! |---|---|
//! | `system-admin` | everything, in every tenant; creating tenants |
//! | `tenant-admin` | everything in its tenant |
//! | `user-admin` | users, groups, memberships and imports in its tenant |
//! | `group:<pool>:<group>` (“Group <name> dynamic privilege”) | the members of that group |
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Principal {
    /// A client acting for itself (client_credentials).
    Client { workspace: String, client_id: String },
    /// A user, signed in through an application.
    User { id: String, pool: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct Caller {
    pub tenant: crate::model::TenantId,
    pub principal: Principal,
    pub privileges: Vec<String>,
}

impl Caller {
    /// The actor name in audit events.
    pub fn actor(&self) -> String {
        match &self.principal {
            Principal::Client { workspace, client_id } => format!("client:{}/{workspace}/{client_id}", self.tenant),
            Principal::User { id, .. } => format!("user:{id}"),
        }
    }

    fn has(&self, p: &str) -> bool {
        self.privileges.iter().any(|x| x == p)
    }

    pub fn system_admin(&self) -> bool {
        self.has("system-admin")
    }

    pub fn tenant_admin(&self, tenant: &str) -> bool {
        self.system_admin() || (tenant == self.tenant && self.has("tenant-admin"))
    }

    pub fn user_admin(&self, tenant: &str) -> bool {
        self.tenant_admin(tenant) || (tenant == self.tenant && self.has("user-admin"))
    }

    /// Groups of `pool` whose members this caller manages through dynamic privileges.
    pub fn managed_groups(&self, tenant: &str, pool: &str) -> Vec<String> {
        if tenant != self.tenant {
            return vec![];
        }
        let prefix = format!("group:{pool}:");
        self.privileges.iter().filter_map(|p| p.strip_prefix(&prefix)).map(str::to_owned).collect()
    }

    /// Whether the caller may see anything of the pool's users at all.
    pub fn any_user_access(&self, tenant: &str, pool: &str) -> bool {
        self.user_admin(tenant) || !self.managed_groups(tenant, pool).is_empty()
    }

    pub fn may_manage_group(&self, tenant: &str, pool: &str, group: &str) -> bool {
        self.user_admin(tenant) || self.managed_groups(tenant, pool).iter().any(|g| g == group)
    }

    /// A user is manageable by a delegated manager while a member of one of the groups
    /// the manager holds the dynamic privilege of.
    pub fn may_manage_user(&self, tenant: &str, pool: &str, user_groups: &[String]) -> bool {
        self.user_admin(tenant) || self.managed_groups(tenant, pool).iter().any(|g| user_groups.contains(g))
    }

    /// Whether the caller holds `privilege` in `tenant`, itself or through a broader one:
    /// `system-admin` holds every privilege everywhere; `tenant-admin` every privilege of its
    /// tenant but `system-admin`; `user-admin` itself and every group's dynamic privilege of
    /// its tenant (it manages every group's members); anyone else exactly what it was given.
    pub fn holds(&self, tenant: &str, privilege: &str) -> bool {
        if self.system_admin() {
            return true;
        }
        if tenant != self.tenant || privilege == "system-admin" {
            return false;
        }
        let tenant_admin = self.has("tenant-admin");
        match privilege {
            "user-admin" => tenant_admin || self.has("user-admin"),
            p if p.starts_with("group:") => tenant_admin || self.has("user-admin") || self.has(p),
            p => tenant_admin || self.has(p),
        }
    }

    /// The one check every path that grants a privilege goes through (privilege holders,
    /// privileges in client, pool and workspace documents): only a tenant administrator
    /// manages privileges, and a caller grants (or revokes) only privileges it holds itself.
    pub fn may_grant(&self, tenant: &str, privilege: &str) -> bool {
        self.tenant_admin(tenant) && self.holds(tenant, privilege)
    }

    /// Acting on a user or a group (reading it, changing it, its memberships) takes at
    /// least every privilege the target holds: nobody takes over an account or group that
    /// can do more than they can. Putting a user into a group grants the group's privileges,
    /// so it takes them too.
    pub fn outranks(&self, tenant: &str, target_privileges: &[String]) -> bool {
        target_privileges.iter().all(|p| self.holds(tenant, p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(privs: &[&str]) -> Caller {
        Caller { tenant: crate::model::TenantId::new("acme"), principal: Principal::User { id: "u".into(), pool: "p".into() }, privileges: privs.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn privileges_scope_to_their_tenant_and_groups() {
        let sys = caller(&["system-admin"]);
        assert!(sys.tenant_admin("other") && sys.may_grant("acme", "system-admin"));
        let ta = caller(&["tenant-admin"]);
        assert!(ta.tenant_admin("acme") && !ta.tenant_admin("other") && !ta.may_grant("acme", "system-admin") && ta.may_grant("acme", "user-admin"));
        let ua = caller(&["user-admin"]);
        assert!(ua.user_admin("acme") && !ua.tenant_admin("acme") && !ua.user_admin("other"));
        let mgr = caller(&["group:consumers:trial", "group:consumers:basic"]);
        assert!(!mgr.user_admin("acme"));
        assert_eq!(mgr.managed_groups("acme", "consumers"), vec!["trial", "basic"]);
        assert!(mgr.managed_groups("other", "consumers").is_empty());
        assert!(mgr.may_manage_group("acme", "consumers", "trial"));
        assert!(!mgr.may_manage_group("acme", "consumers", "premium"));
        assert!(!mgr.may_manage_group("acme", "employees", "trial"));
        assert!(mgr.may_manage_user("acme", "consumers", &["premium".into(), "basic".into()]));
        assert!(!mgr.may_manage_user("acme", "consumers", &["premium".into()]));
        assert!(!mgr.may_manage_user("acme", "consumers", &[]));
        assert!(mgr.actor().starts_with("user:"));
    }

    #[test]
    fn a_caller_grants_and_outranks_only_with_what_it_holds() {
        let sys = caller(&["system-admin"]);
        assert!(sys.holds("other", "system-admin") && sys.outranks("acme", &["system-admin".into(), "tenant-admin".into()]));
        let ta = caller(&["tenant-admin"]);
        assert!(ta.may_grant("acme", "tenant-admin") && ta.may_grant("acme", "user-admin") && ta.may_grant("acme", "group:p:g"));
        assert!(!ta.may_grant("acme", "system-admin") && !ta.may_grant("other", "user-admin"));
        assert!(!ta.outranks("acme", &["system-admin".into()]));
        let ua = caller(&["user-admin"]);
        assert!(ua.holds("acme", "user-admin") && ua.holds("acme", "group:p:g") && !ua.holds("acme", "tenant-admin"));
        assert!(!ua.may_grant("acme", "group:p:g"), "only tenant administrators manage privileges");
        assert!(ua.outranks("acme", &["group:p:g".into()]) && !ua.outranks("acme", &["tenant-admin".into()]));
        let mgr = caller(&["group:p:trial"]);
        assert!(mgr.outranks("acme", &[]) && mgr.outranks("acme", &["group:p:trial".into()]));
        assert!(!mgr.outranks("acme", &["group:p:trial".into(), "group:p:basic".into()]));
        assert!(!mgr.outranks("acme", &["user-admin".into()]));
    }
}
