//! Application state: configuration, stores, key ring, hasher and clock, built once at
//! start and shared by every request. No HTTP types here.
use std::sync::Arc;

use crate::identity::password::Hasher;
use crate::clock::Clock;
use crate::config::Config;
use crate::keys::KeyRing;
use crate::storage::session::Sessions;
use crate::storage::{
    AuditStore, ClientStore, ConsentStore, CounterStore, CredentialStore, DirectoryStore, GrantStore, GroupStore, Health, Housekeeping, KeyStore, PoolStore, PrivilegeStore,
    SchemaStore, ThemeStore, UserStore,
};

pub struct AppState {
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    pub directory: Arc<dyn DirectoryStore>,
    pub users: Arc<dyn UserStore>,
    pub credentials: Arc<dyn CredentialStore>,
    pub pools: Arc<dyn PoolStore>,
    pub groups: Arc<dyn GroupStore>,
    pub privileges: Arc<dyn PrivilegeStore>,
    pub schemas: Arc<dyn SchemaStore>,
    pub clients: Arc<dyn ClientStore>,
    pub key_store: Arc<dyn KeyStore>,
    pub grants: Arc<dyn GrantStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub audit: Arc<dyn AuditStore>,
    pub delivery: Arc<dyn crate::delivery::Delivery>,
    pub db_health: Arc<dyn Health>,
    /// Durable security counters (sign-in lockout): in the database, never only in Redis.
    pub counters: Arc<dyn CounterStore>,
    pub housekeeping: Arc<dyn Housekeeping>,
    /// Versioned theme layers, drafts and assets: the only writer of themes.
    pub themes: Arc<dyn ThemeStore>,
    /// The same store with the resolved themes of pages cached (`theme_cache`); `themes`
    /// is this cache too, so every publish reaches it.
    pub theme_cache: Arc<crate::theme_cache::ThemeCache>,
    pub sessions: Sessions,
    pub keys: Arc<KeyRing>,
    pub hasher: Hasher,
    /// The WebAuthn relying party of each workspace, built once.
    pub passkeys: crate::auth::passkeys::RelyingParties,
    /// Encrypts second-factor secrets (TOTP seeds) at rest.
    pub secrets: Arc<crate::identity::secrets::SecretKeys>,
}

impl AppState {
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// What the user lifecycle needs of the state.
    pub fn lifecycle(&self) -> crate::identity::lifecycle::Deps<'_> {
        crate::identity::lifecycle::Deps {
            directory: self.directory.as_ref(),
            users: self.users.as_ref(),
            credentials: self.credentials.as_ref(),
            pools: self.pools.as_ref(),
            groups: self.groups.as_ref(),
            schemas: self.schemas.as_ref(),
            grants: self.grants.as_ref(),
            sessions: &self.sessions,
            audit: self.audit.as_ref(),
            counters: self.counters.as_ref(),
            hasher: &self.hasher,
            clock: self.clock.as_ref(),
            delivery: &self.delivery,
            config: &self.config,
            themes: &self.theme_cache,
        }
    }
}
