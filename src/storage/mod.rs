//! Storage: the domain records and the small, tenant-scoped traits the rest of the code
//! uses. Nothing here names SeaORM or Redis; `sql`, `memory`, `redis` and `session` hold
//! the implementations, and `contract` the suites each of them passes.
//!
//! What every store promises unless its docs say otherwise: a method scoped by a
//! `TenantId` sees and changes only that tenant's rows (another tenant's id finds nothing
//! and changes nothing); a method that writes several rows writes all or none; a value
//! taken by another row is `AppError::Conflict` naming the field; an unreachable backend
//! is an error for which `AppError::is_unavailable` holds.
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
pub use crate::model::{TenantId, WorkspaceLinks};

pub mod cache;
#[cfg(test)]
pub(crate) mod contract;
pub mod identity;
pub mod memory;
pub mod redis;
pub mod session;
pub mod sql;
pub mod themes;
pub mod write;

pub use identity::{CredentialStore, GroupStore, PoolStore, PrivilegeStore, SchemaStore, UserStore};
pub use themes::{ThemeScope, ThemeStore};

pub type Result<T> = std::result::Result<T, AppError>;

/// `new` → `active` ↔ `inactive` → `deleted` (DESIGN.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum UserStatus {
    New,
    Active,
    Inactive,
    Deleted,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::New => "new",
            UserStatus::Active => "active",
            UserStatus::Inactive => "inactive",
            UserStatus::Deleted => "deleted",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "new" => UserStatus::New,
            "active" => UserStatus::Active,
            "inactive" => UserStatus::Inactive,
            "deleted" => UserStatus::Deleted,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub tenant_id: TenantId,
    pub id: String,
    pub name: String,
    /// Identity sources in lookup order.
    pub pools: Vec<String>,
    /// The workspace's `default_locale` (after ui_locales, the user's locale and
    /// Accept-Language; `en` when none).
    pub default_locale: Option<String>,
    /// The tenant's mail sender (`mail_from`); the configured one when None.
    pub mail_from: Option<crate::delivery::Sender>,
    /// The tenant's own levels of assurance (besides the built-in ones).
    pub levels: Vec<crate::model::AssuranceLevel>,
    /// The terms of use and privacy policy the workspace's pages link to.
    pub links: WorkspaceLinks,
}


#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub tenant_id: TenantId,
    pub pool_id: String,
    pub username: String,
    pub status: UserStatus,
    pub email: Option<String>,
    pub email_verified: bool,
    pub phone: Option<String>,
    pub phone_verified: bool,
    /// Standard OIDC claims kept on the user (given_name, family_name, address, …).
    /// The payload: profile attributes validated by the pool's payload schema, including
    /// the standard OIDC claims (given_name, family_name, …).
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// Admin-only attributes (roles, notes), validated by the pool's metadata schema.
    #[serde(default)]
    pub metadata: serde_json::Map<String, serde_json::Value>,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ConsentMode {
    /// The user is asked, and the answer is remembered per client and scopes.
    Required,
    /// First-party client: consent is implied.
    Implicit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SigningAlg {
    RS256,
    ES256,
}

impl SigningAlg {
    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::RS256 => "RS256",
            SigningAlg::ES256 => "ES256",
        }
    }
}

/// A relying-party application registered in one workspace. `Debug` hides the secret's
/// digest.
#[derive(Clone, Serialize, Deserialize)]
pub struct Client {
    pub tenant_id: TenantId,
    pub workspace_id: String,
    pub client_id: String,
    pub name: String,
    /// SHA-256 of the secret; `None` for a public client.
    pub secret_sha256: Option<[u8; 32]>,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub grant_types: Vec<String>,
    pub scopes: Vec<String>,
    pub consent: ConsentMode,
    pub id_token_alg: SigningAlg,
    /// Web origins (`https://host[:port]`) besides those of the redirect URIs that browser
    /// code of this client may call the token, userinfo, revocation and introspection
    /// endpoints from (CORS).
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// The lowest level of assurance (a full ACR value) every sign-in to this client must
    /// reach; `None`: whatever the request and the pool ask for.
    #[serde(default)]
    pub min_acr: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Client { tenant_id, workspace_id, client_id, name, secret_sha256, redirect_uris, post_logout_redirect_uris, grant_types, scopes, consent, id_token_alg, allowed_origins, min_acr } = self;
        f.debug_struct("Client")
            .field("tenant_id", tenant_id)
            .field("workspace_id", workspace_id)
            .field("client_id", client_id)
            .field("name", name)
            .field("secret_sha256", &crate::redact::option(secret_sha256))
            .field("redirect_uris", redirect_uris)
            .field("post_logout_redirect_uris", post_logout_redirect_uris)
            .field("grant_types", grant_types)
            .field("scopes", scopes)
            .field("consent", consent)
            .field("min_acr", min_acr)
            .field("id_token_alg", id_token_alg)
            .field("allowed_origins", allowed_origins)
            .finish()
    }
}

impl Client {
    pub fn is_public(&self) -> bool {
        self.secret_sha256.is_none()
    }
    pub fn allows_grant(&self, grant: &str) -> bool {
        self.grant_types.iter().any(|g| g == grant)
    }
    /// The origins CORS allows for this client: those of its http(s) redirect URIs and its
    /// `allowed_origins`.
    pub fn web_origins(&self) -> impl Iterator<Item = String> + '_ {
        self.redirect_uris.iter().filter_map(|u| web_origin(u)).chain(self.allowed_origins.iter().cloned())
    }
}

/// The origin of an http(s) URL as browsers send it in `Origin` (RFC 6454 §6.2: scheme,
/// host, and the port unless it is the scheme's default); `None` for other schemes, which
/// have no web origin (a private-use redirect URI of a native app).
pub fn web_origin(uri: &str) -> Option<String> {
    let u = url::Url::parse(uri).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.origin().ascii_serialization())
}

/// A signing key as stored: the private key in PEM (never in `Debug`).
#[derive(Clone)]
pub struct StoredKey {
    pub kid: String,
    pub alg: SigningAlg,
    pub private_pem: String,
    pub created_at: i64,
    /// When a newer key took over signing; the key stays published for a while after.
    pub retired_at: Option<i64>,
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let StoredKey { kid, alg, private_pem: _, created_at, retired_at } = self;
        f.debug_struct("StoredKey")
            .field("kid", kid)
            .field("alg", alg)
            .field("private_pem", &crate::redact::Redacted)
            .field("created_at", created_at)
            .field("retired_at", retired_at)
            .finish()
    }
}

/// What a user authorised a client to do: the family every refresh token descends from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Grant {
    pub id: String,
    pub tenant_id: TenantId,
    pub workspace_id: String,
    pub client_id: String,
    pub user_id: String,
    pub scope: String,
    pub sid: String,
    pub auth_time: i64,
    pub acr: String,
    pub amr: Vec<String>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Debug)]
pub enum RefreshOutcome {
    /// The presented token was current; it is now spent and its successor is current.
    Rotated(Box<Grant>),
    /// The token had been spent already: the whole family is now revoked (RFC 9700 §4.14.2).
    Reused { grant_id: String },
    /// Unknown, expired, or from a revoked family.
    Invalid,
}

#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub tenant_id: TenantId,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
}

/// Tenants and workspaces.
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    /// The workspace, or `None` when the tenant or the workspace does not exist.
    async fn workspace(&self, tenant: &TenantId, workspace: &str) -> Result<Option<Workspace>>;
    /// Executes the writes in order, in one transaction: all or none (`storage::write`).
    async fn apply(&self, batch: &write::Batch) -> Result<write::Applied>;
    /// Every tenant, ordered by id: (id, name).
    async fn tenants(&self) -> Result<Vec<(TenantId, String)>>;
    /// One tenant's name (its theme is in the `ThemeStore`).
    async fn tenant(&self, tenant: &TenantId) -> Result<Option<String>>;
    /// The tenant's own levels of assurance (`assurance_levels`; none for an unknown tenant).
    async fn levels(&self, tenant: &TenantId) -> Result<Vec<crate::model::AssuranceLevel>>;
    /// The tenant's mail sender (`mail_from`; none when it sets none or does not exist).
    async fn mail_from(&self, tenant: &TenantId) -> Result<Option<crate::delivery::Sender>>;
    /// Workspaces of the tenant ordered by id: (id, name, pools in lookup order).
    async fn workspaces(&self, tenant: &TenantId) -> Result<Vec<(String, String, Vec<String>)>>;
}

#[async_trait]
pub trait ClientStore: Send + Sync {
    async fn get(&self, tenant: &TenantId, workspace: &str, client_id: &str) -> Result<Option<Client>>;
    /// The union of the web origins of the workspace's clients (`Client::web_origins`),
    /// sorted and without duplicates: what a CORS preflight, which names no client, may be
    /// allowed from.
    async fn workspace_origins(&self, tenant: &TenantId, workspace: &str) -> Result<Vec<String>>;
    /// The workspace's clients, ordered by client id.
    async fn clients(&self, tenant: &TenantId, workspace: &str) -> Result<Vec<Client>>;
    /// Deletes the client, its privileges and its theme layer (versions and draft), in one
    /// transaction; false when there was none.
    async fn delete_client(&self, tenant: &TenantId, workspace: &str, client_id: &str) -> Result<bool>;
    /// Drops anything this node remembers about clients (after a client was deleted).
    fn forget(&self) {}
}

#[async_trait]
pub trait KeyStore: Send + Sync {
    /// Every key, newest first.
    async fn all(&self) -> Result<Vec<StoredKey>>;
    /// Adds keys and retires the previous signing key of each algorithm, atomically.
    async fn rotate(&self, new_keys: Vec<StoredKey>, now: i64) -> Result<()>;
}

#[async_trait]
pub trait GrantStore: Send + Sync {
    /// Records a grant and, if given, its first refresh token (by hash).
    async fn create(&self, grant: &Grant, refresh: Option<([u8; 32], i64)>) -> Result<()>;
    async fn get(&self, grant_id: &str) -> Result<Option<Grant>>;
    /// Spends a refresh token and stores its successor in one step; detects reuse.
    async fn rotate(&self, presented: [u8; 32], successor: [u8; 32], expires_at: i64, now: i64) -> Result<RefreshOutcome>;
    /// The grant a live refresh token belongs to (for introspection and revocation).
    async fn find_by_refresh(&self, hash: [u8; 32], now: i64) -> Result<Option<Grant>>;
    /// Revokes the grant and with it every refresh token of its family.
    async fn revoke_family(&self, grant_id: &str, now: i64) -> Result<()>;
    /// Revokes every live grant of the user; returns how many.
    async fn revoke_user(&self, tenant: &TenantId, user_id: &str, now: i64) -> Result<u64>;
    /// Puts an access token's id on the denylist until `expires_at` (RFC 7009 §2.1). The
    /// denylist is durable: losing the session store does not bring the token back.
    async fn revoke_access_token(&self, jti: &str, expires_at: i64) -> Result<()>;
    /// Whether an access token is still live: its id is not on the denylist and, for a
    /// user token (`grant_id`), its grant exists and is not revoked. One round trip.
    async fn access_token_live(&self, jti: &str, grant_id: Option<&str>) -> Result<bool>;
}

/// Durable, atomic counters shared by every node (sign-in lockout). Fixed windows.
#[async_trait]
pub trait CounterStore: Send + Sync {
    /// Adds one to `key` and returns the new count in one atomic step (no read-then-write):
    /// concurrent hits from any node each see a distinct count. A window of `window`
    /// seconds starts at the first hit; a hit after it ended starts again at 1.
    async fn hit(&self, key: &str, window: i64, now: i64) -> Result<u64>;
    /// The current count: 0 when there is none or its window ended.
    async fn count(&self, key: &str, now: i64) -> Result<u64>;
    /// Forgets the counter (a successful sign-in, a password reset).
    async fn clear(&self, key: &str) -> Result<()>;
}

/// Longest counter key accepted: callers pass digests, so anything longer is a bug, and a
/// bound keeps the table's keys small.
pub const MAX_COUNTER_KEY: usize = 200;

/// Periodic clean-up of durable rows that outlived their use.
#[async_trait]
pub trait Housekeeping: Send + Sync {
    /// Deletes denylist entries of expired access tokens and counters whose window ended
    /// before `now`; returns how many rows went.
    async fn purge_expired(&self, now: i64) -> Result<u64>;
}

/// A remembered consent: the scopes a user granted a client of a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub workspace_id: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub updated_at: i64,
}

#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// Scopes the user already granted the client; empty when none.
    async fn granted(&self, tenant: &TenantId, workspace: &str, user_id: &str, client_id: &str) -> Result<Vec<String>>;
    /// Replaces what the user granted the client (one row per user and client).
    async fn remember(&self, tenant: &TenantId, workspace: &str, user_id: &str, client_id: &str, scopes: &[String], now: i64) -> Result<()>;
    /// Every consent of the user, ordered by workspace and client.
    async fn consents(&self, tenant: &TenantId, user_id: &str) -> Result<Vec<Consent>>;
    /// Forgets one consent, so the user is asked again; false when there was none.
    async fn revoke(&self, tenant: &TenantId, workspace: &str, user_id: &str, client_id: &str) -> Result<bool>;
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn record(&self, event: AuditEvent, now: i64) -> Result<()>;
    /// Audit events of the tenant, newest first, strictly before the cursor `(at, id)`; at
    /// most `limit` (clamped to 1..=500).
    async fn audit_events(&self, tenant: &TenantId, before: Option<(i64, String)>, limit: u64) -> Result<Vec<identity::AuditRecord>>;
}

#[async_trait]
pub trait Health: Send + Sync {
    async fn ping(&self) -> Result<()>;
}

/// Kept at its old path: the integration tests draw PKCE verifiers with it.
pub use crate::crypto::random_token;
