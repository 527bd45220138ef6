//! What identity's use cases (lifecycle, registration, recovery, one-time codes) are given:
//! narrow references to the stores and services they use, never the application state.
//! Built at the edge (`AppState::lifecycle`); tests build it from in-memory stores.
use std::sync::Arc;

use super::password::Hasher;
use crate::clock::Clock;
use crate::config::Config;
use crate::delivery::Delivery;
use crate::storage::session::Sessions;
use crate::storage::{AuditStore, CounterStore, CredentialStore, DirectoryStore, GrantStore, GroupStore, PoolStore, SchemaStore, UserStore};

/// What identity's use cases read and write: the identity stores, the grants and sessions it
/// ends, the audit trail, the lockout counters a reset clears, the hasher, the clock, the
/// delivery of activation links and the configuration they point into.
#[derive(Clone, Copy)]
pub struct Deps<'a> {
    pub directory: &'a dyn DirectoryStore,
    pub users: &'a dyn UserStore,
    /// `'static`: the password helpers are methods of `dyn CredentialStore`.
    pub credentials: &'a (dyn CredentialStore + 'static),
    pub pools: &'a dyn PoolStore,
    pub groups: &'a dyn GroupStore,
    pub schemas: &'a dyn SchemaStore,
    pub grants: &'a dyn GrantStore,
    pub sessions: &'a Sessions,
    pub audit: &'a dyn AuditStore,
    pub counters: &'a dyn CounterStore,
    pub hasher: &'a Hasher,
    pub clock: &'a dyn Clock,
    pub delivery: &'a Arc<dyn Delivery>,
    pub config: &'a Config,
    /// The pages' themes: messages no page caused look like the workspace's pages.
    pub themes: &'a crate::theme_cache::ThemeCache,
}

impl Deps<'_> {
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}

