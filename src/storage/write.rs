//! Typed writes a store executes together, in one transaction: all or nothing. They say
//! what to write, never why: merging with stored values, defaults, checks of users and
//! privileges, and what counts as a created or updated object are decided by whoever
//! builds the batch (`provision`).
use std::collections::BTreeMap;

use super::identity::{Group, NewUser, PoolSettings};
use super::{AuditEvent, Client, TenantId};
use super::themes::ThemeScope;
use crate::theme::ThemeSpec;

/// One write. Upserts are keyed as the store's unique keys are: a tenant by id, a pool,
/// group, schema or workspace by (tenant, id), a user by (tenant, pool, username), a client
/// by (tenant, workspace, client id).
#[derive(Debug, Clone)]
pub enum Write {
    /// Creates the tenant; `replace`: also overwrites the name and levels of assurance of a
    /// stored one (its theme is written only by `Write::Theme`). `mail_from`: `None` keeps
    /// the stored sender, `Some(None)` removes it.
    Tenant { id: TenantId, name: String, levels: Vec<crate::model::AssuranceLevel>, mail_from: Option<Option<crate::delivery::Sender>>, replace: bool },
    Schema { tenant: TenantId, id: String, body: serde_json::Value },
    /// `self_registration` is what the stored pool reports, whatever `settings` says.
    Pool { tenant: TenantId, id: String, name: String, self_registration: bool, settings: PoolSettings },
    /// The group and its dynamic privilege (`identity::group_privilege`).
    Group { tenant: TenantId, group: Group },
    /// The user's profile, status and addresses as given (with whether each is verified),
    /// its memberships replaced by `groups`, its live password replaced by `password_hash`
    /// unless that is `None` (then the stored one stays); retired passwords stay either way.
    User(NewUser),
    /// Creates the workspace with its pools (in lookup order); `replace`: also overwrites
    /// the name and pools of a stored one.
    /// `default_locale`: `None` keeps the stored one, `Some(None)` removes it.
    /// `links`: `None` keeps the stored ones.
    Workspace { tenant: TenantId, id: String, name: String, default_locale: Option<Option<String>>, links: Option<super::WorkspaceLinks>, pools: Vec<String>, replace: bool },
    /// Publishes a theme layer as the scope's next version (`ThemeStore::publish`: nothing
    /// is written when it equals the current one). Only a document that has a theme makes
    /// this write; no other write touches a theme.
    Theme { tenant: TenantId, scope: ThemeScope, layer: ThemeSpec, author: String },
    Client(Client),
    /// Grants a privilege (kept if held already).
    Grant { tenant: TenantId, privilege: String, holder: Holder },
    /// Recorded at the batch's time.
    Audit(AuditEvent),
}

/// Who is granted a privilege: a holder string (`identity::client_holder`, …), or a user
/// known by name, resolved when the batch runs (it may be created by the same batch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    Id(String),
    User { pool: String, username: String },
}

/// A write, and the kind of object it counts as in the [`Applied`] report (`None`: not
/// counted).
#[derive(Debug, Clone)]
pub struct Counted {
    pub kind: Option<&'static str>,
    pub write: Write,
}

/// Writes executed in order, in one transaction, at `now`.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub now: i64,
    pub writes: Vec<Counted>,
}

impl Batch {
    pub fn push(&mut self, kind: Option<&'static str>, write: Write) {
        self.writes.push(Counted { kind, write });
    }
}

/// Counts of objects created and updated, by kind: a counted write updates an object when
/// its key existed before the batch ran, and creates one otherwise.
#[derive(Debug, Default)]
pub struct Applied {
    pub created: BTreeMap<&'static str, usize>,
    pub updated: BTreeMap<&'static str, usize>,
}

impl Applied {
    pub fn count(&mut self, kind: &'static str, existed: bool) {
        *if existed { &mut self.updated } else { &mut self.created }.entry(kind).or_default() += 1;
    }
}

impl std::fmt::Display for Applied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |m: &BTreeMap<&str, usize>| m.iter().map(|(k, v)| format!("{v} {k}(s)")).collect::<Vec<_>>().join(", ");
        write!(f, "created: [{}]; updated: [{}]", list(&self.created), list(&self.updated))
    }
}
