//! Identity records and the store behind pools, users, groups, privileges and schemas.
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{Result, User, UserStatus};
use crate::identity::policy::PasswordPolicy;
use crate::identity::schema::{DEFAULT_METADATA, DEFAULT_PAYLOAD};

/// What a user signs in with and registers under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Identifier {
    #[default]
    Email,
    Phone,
    Username,
}

/// How a self-registered account proves its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    #[default]
    EmailOtp,
    SmsOtp,
}

fn default_payload_schema() -> String {
    DEFAULT_PAYLOAD.into()
}
fn default_metadata_schema() -> String {
    DEFAULT_METADATA.into()
}
fn default_retention() -> u32 {
    30
}

/// A pool's settings, stored as JSON (the provisioning file and the admin API use the same shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolSettings {
    #[serde(default)]
    pub self_registration: bool,
    #[serde(default)]
    pub identifier: Identifier,
    #[serde(default)]
    pub activation: Activation,
    #[serde(default)]
    pub password_policy: PasswordPolicy,
    #[serde(default = "default_payload_schema")]
    pub payload_schema: String,
    #[serde(default = "default_metadata_schema")]
    pub metadata_schema: String,
    /// Days a deleted user's personal data is kept before it is erased.
    #[serde(default = "default_retention")]
    pub retention_days: u32,
    /// Metadata keys copied into ID tokens, access tokens and userinfo (e.g. `roles`).
    #[serde(default)]
    pub metadata_claims: Vec<String>,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            self_registration: false,
            identifier: Identifier::default(),
            activation: Activation::default(),
            password_policy: PasswordPolicy::default(),
            payload_schema: default_payload_schema(),
            metadata_schema: default_metadata_schema(),
            retention_days: default_retention(),
            metadata_claims: vec![],
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Pool {
    pub tenant_id: String,
    pub id: String,
    pub name: String,
    pub settings: PoolSettings,
}

/// A user to be created. `Debug` hides the password hash and the imported hash's digest.
#[derive(Clone)]
pub struct NewUser {
    pub tenant_id: String,
    pub pool_id: String,
    pub username: String,
    pub status: UserStatus,
    pub email: Option<String>,
    pub email_verified: bool,
    pub phone: Option<String>,
    pub phone_verified: bool,
    pub payload: serde_json::Map<String, serde_json::Value>,
    pub metadata: serde_json::Map<String, serde_json::Value>,
    pub password_hash: Option<String>,
    /// Digest of an imported hash (see `credentials.source_sha256`).
    pub password_source: Option<[u8; 32]>,
    pub groups: Vec<String>,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let NewUser { tenant_id, pool_id, username, status, email, email_verified, phone, phone_verified, payload, metadata, password_hash, password_source, groups } = self;
        f.debug_struct("NewUser")
            .field("tenant_id", tenant_id)
            .field("pool_id", pool_id)
            .field("username", username)
            .field("status", status)
            .field("email", email)
            .field("email_verified", email_verified)
            .field("phone", phone)
            .field("phone_verified", phone_verified)
            .field("payload", payload)
            .field("metadata", metadata)
            .field("password_hash", &crate::redact::option(password_hash))
            .field("password_source", &crate::redact::option(password_source))
            .field("groups", groups)
            .finish()
    }
}

/// How a user is looked up within a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lookup {
    Username,
    Email,
    Phone,
}

/// A page of users, ordered by id; `after` is the cursor (the last id of the previous page).
#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    /// Case-insensitive prefix of the username or the email address.
    pub text: Option<String>,
    pub status: Option<UserStatus>,
    /// Only members of at least one of these groups (when `Some`).
    pub groups: Option<Vec<String>>,
    pub after: Option<String>,
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Group {
    pub pool_id: String,
    pub id: String,
    pub name: String,
}

/// A stored privilege: today the dynamic privilege of a group.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Privilege {
    pub id: String,
    pub name: String,
    pub pool_id: Option<String>,
    pub group_id: Option<String>,
}

/// The dynamic privilege a group creates (DESIGN.md): id and name.
pub fn group_privilege(pool: &str, group: &str, group_name: &str) -> Privilege {
    Privilege {
        id: format!("group:{pool}:{group}"),
        name: format!("Group {group_name} dynamic privilege"),
        pool_id: Some(pool.into()),
        group_id: Some(group.into()),
    }
}

/// Holder strings of privileges: a client, a user, or the members of a group.
pub fn client_holder(workspace: &str, client_id: &str) -> String {
    format!("client:{workspace}/{client_id}")
}
pub fn user_holder(user_id: &str) -> String {
    format!("user:{user_id}")
}
pub fn group_holder(pool: &str, group: &str) -> String {
    format!("group:{pool}/{group}")
}

/// A stored user as a re-import sees it. `Debug` hides the imported hash's digest.
#[derive(Clone)]
pub struct ImportView {
    pub user: User,
    pub groups: Vec<String>,
    pub password_source: Option<[u8; 32]>,
}

impl std::fmt::Debug for ImportView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ImportView { user, groups, password_source } = self;
        f.debug_struct("ImportView").field("user", user).field("groups", groups).field("password_source", &crate::redact::option(password_source)).finish()
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditRecord {
    pub id: String,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
}

#[async_trait]
pub trait IdentityStore: Send + Sync {
    /// Every tenant: (id, name).
    async fn tenants(&self) -> Result<Vec<(String, String)>>;
    /// One tenant's name and theme.
    async fn tenant(&self, id: &str) -> Result<Option<(String, crate::theme::ThemeSpec)>>;
    async fn pool(&self, tenant: &str, pool: &str) -> Result<Option<Pool>>;
    async fn pools(&self, tenant: &str) -> Result<Vec<Pool>>;

    /// Creates the user, its addresses, password and memberships in one transaction.
    /// `AppError::Conflict` names the field (`username`, `email`, `phone`) already taken.
    async fn create_user(&self, user: &NewUser, now: i64) -> Result<User>;
    /// Writes username, status, addresses (and whether verified), payload and metadata.
    async fn update_user(&self, user: &User, now: i64) -> Result<()>;
    /// Writes the user as `update_user` does and replaces its password (no history: a
    /// registration's first password), in one transaction. `AppError::Conflict` names a
    /// field taken meanwhile.
    async fn activate_registration(&self, user: &User, password_phc: &str, now: i64) -> Result<()>;
    /// Creates many users in one transaction (bulk import): all or none. The caller has
    /// checked that their identifiers are free (`taken`).
    async fn create_users(&self, users: &[NewUser], now: i64) -> Result<Vec<User>>;
    /// Which of these usernames, emails and phones exist in the pool: (kind, value, user id).
    async fn taken(&self, tenant: &str, pool: &str, usernames: &[String], emails: &[String], phones: &[String]) -> Result<Vec<(Lookup, String, String)>>;
    /// What a re-import compares, for many users at once: each user with its group ids
    /// and the digest of its imported password, by user id.
    async fn import_view(&self, tenant: &str, ids: &[String]) -> Result<std::collections::HashMap<String, ImportView>>;
    /// Refreshes the planner statistics of the identity tables after bulk writes, so the
    /// lookups by identifier keep using their indexes (PostgreSQL plans a freshly filled
    /// table as empty until autovacuum gets to it).
    async fn refresh_statistics(&self) -> Result<()>;
    /// Replaces the password hash as an import does: no history, the source digest kept.
    async fn import_password(&self, user_id: &str, phc: &str, source: Option<[u8; 32]>, now: i64) -> Result<()>;
    /// Replaces the user's memberships in the pool with `groups`.
    async fn set_groups(&self, tenant: &str, pool: &str, user_id: &str, groups: &[String]) -> Result<()>;
    async fn find_user(&self, tenant: &str, pool: &str, by: Lookup, value: &str) -> Result<Option<User>>;
    async fn search_users(&self, tenant: &str, pool: &str, query: &UserQuery) -> Result<Vec<User>>;
    /// Replaces the password; the previous one joins the history, of which `keep` stay.
    async fn set_password(&self, user_id: &str, phc: &str, keep: u32, now: i64) -> Result<()>;
    /// Current password hash first, then the history, newest first.
    async fn password_hashes(&self, user_id: &str) -> Result<Vec<String>>;
    /// Swaps an imported or outdated hash for an argon2id one, if `old` is still current.
    async fn upgrade_password(&self, user_id: &str, old: &str, new: &str, now: i64) -> Result<()>;
    /// Erases personal data of users of the pool deleted before `before`; returns how many.
    async fn purge_deleted(&self, tenant: &str, pool: &str, before: i64) -> Result<u64>;

    async fn groups(&self, tenant: &str, pool: &str) -> Result<Vec<Group>>;
    /// Creates the group and its dynamic privilege; false when it exists already.
    async fn create_group(&self, tenant: &str, group: &Group) -> Result<bool>;
    /// Deletes the group, its memberships, its privilege and the privilege's holders.
    async fn delete_group(&self, tenant: &str, pool: &str, group: &str) -> Result<bool>;
    /// Group ids the user belongs to (within the user's pool).
    async fn user_groups(&self, user_id: &str) -> Result<Vec<String>>;
    async fn set_member(&self, tenant: &str, pool: &str, group: &str, user_id: &str, member: bool) -> Result<()>;

    /// Stored privileges of the tenant.
    async fn privileges(&self, tenant: &str) -> Result<Vec<Privilege>>;
    async fn holders(&self, tenant: &str, privilege: &str) -> Result<Vec<String>>;
    /// Every (privilege, holder) pair of the tenant, in one query: what authorization
    /// checks of whole documents and listings consult.
    async fn holdings(&self, tenant: &str) -> Result<Vec<(String, String)>>;
    async fn set_holder(&self, tenant: &str, privilege: &str, holder: &str, held: bool) -> Result<()>;
    /// Privilege ids held by any of `holders` in the tenant.
    async fn privileges_of(&self, tenant: &str, holders: &[String]) -> Result<Vec<String>>;

    async fn clients(&self, tenant: &str, workspace: &str) -> Result<Vec<super::Client>>;
    async fn delete_client(&self, tenant: &str, workspace: &str, client_id: &str) -> Result<bool>;
    /// Workspaces of the tenant: (id, name, pools).
    async fn workspaces(&self, tenant: &str) -> Result<Vec<(String, String, Vec<String>)>>;
    /// Audit events of the tenant, newest first, after the cursor `(at, id)`.
    async fn audit_events(&self, tenant: &str, before: Option<(i64, String)>, limit: u64) -> Result<Vec<AuditRecord>>;

    async fn schemas(&self, tenant: &str) -> Result<Vec<(String, serde_json::Value)>>;
    async fn schema(&self, tenant: &str, id: &str) -> Result<Option<serde_json::Value>>;
    /// Creates or replaces; true when it existed.
    async fn put_schema(&self, tenant: &str, id: &str, body: &serde_json::Value, now: i64) -> Result<bool>;
    async fn delete_schema(&self, tenant: &str, id: &str) -> Result<bool>;
}
