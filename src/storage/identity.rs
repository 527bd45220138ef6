//! Identity records and the narrow stores behind them: users, credentials, pools, groups,
//! privileges and schemas. Every method is scoped by a `TenantId`: rows of another tenant
//! are invisible (a lookup finds nothing, a write changes nothing).
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{Result, User, UserStatus};
use crate::model::{DEFAULT_METADATA, DEFAULT_PAYLOAD, PasswordPolicy, TenantId};

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
    /// When sign-ins ask for a second factor, and which factors users may enrol.
    #[serde(default)]
    pub mfa: MfaSettings,
}

/// A pool's multi-factor policy (DESIGN.md, "Sign-in engine").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaSettings {
    #[serde(default)]
    pub policy: MfaPolicy,
    /// Factor names users may enrol and be asked for as a second factor, in the order
    /// the pages offer them (`totp`, `webauthn`, `email_otp`, `sms_otp`); `recovery_code`
    /// comes with the first enrolment.
    #[serde(default = "default_mfa_factors")]
    pub factors: Vec<String>,
}

fn default_mfa_factors() -> Vec<String> {
    vec!["totp".into(), "webauthn".into()]
}

impl Default for MfaSettings {
    fn default() -> Self {
        MfaSettings { policy: MfaPolicy::default(), factors: default_mfa_factors() }
    }
}

/// `off`: never a second factor. `step_up`: only when the request (`acr_values`,
/// `claims`) or the client (`min_acr`) needs a higher level. `optional`: users may enrol;
/// an enrolled user is asked at every sign-in. `required`: every user, enrolling at the
/// first sign-in. `adaptive`: on a new browser, a new network or after failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MfaPolicy {
    Off,
    #[default]
    StepUp,
    Optional,
    Required,
    Adaptive,
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
            mfa: MfaSettings::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Pool {
    #[schema(value_type = String)]
    pub tenant_id: TenantId,
    pub id: String,
    pub name: String,
    pub settings: PoolSettings,
}

/// A user to be created. `Debug` hides the password hash and the imported hash's digest.
#[derive(Clone)]
pub struct NewUser {
    pub tenant_id: TenantId,
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

/// What kind of secret a credential holds. Stored by name; a retired credential (kept
/// only as history, e.g. a previous password) is stored as `{name}_history`, which is how
/// password history was always stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CredentialKind(&'static str);

impl CredentialKind {
    /// A password: the secret is its PHC string. At most one is live; the retired ones are
    /// the history a pool's policy forbids reusing.
    pub const PASSWORD: Self = Self("password");
    /// A TOTP authenticator (RFC 6238): the secret is the encrypted seed and the last
    /// time step used, as JSON (see `auth::factors::totp`).
    pub const TOTP: Self = Self("totp");
    /// A passkey (WebAuthn): the secret is `webauthn_rs::prelude::Passkey` as JSON.
    pub const WEBAUTHN: Self = Self("webauthn");
    /// One single-use recovery code: the secret is its digest.
    pub const RECOVERY_CODE: Self = Self("recovery_code");

    /// Every kind the code knows, so a stored name maps back to its kind.
    pub const ALL: &'static [Self] = &[Self::PASSWORD, Self::TOTP, Self::WEBAUTHN, Self::RECOVERY_CODE];

    pub fn as_str(self) -> &'static str {
        self.0
    }
    /// The stored name of a retired credential of this kind.
    pub fn history(self) -> String {
        format!("{}_history", self.0)
    }
}

/// A credential as stored: a secret (a PHC string, or the kind's data as JSON) of one user.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: String,
    pub user_id: String,
    pub kind: CredentialKind,
    pub secret: String,
    /// Digest of the secret an import supplied (a re-import of the same row is a no-op even
    /// after the hash was upgraded at sign-in).
    pub source_sha256: Option<[u8; 32]>,
    /// Retired credentials are history: never accepted, only compared against.
    pub retired: bool,
    pub created_at: i64,
    /// When it was last used to upgrade, changed or retired.
    pub updated_at: i64,
}

impl std::fmt::Debug for Credential {
    // The secret stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("kind", &self.kind)
            .field("retired", &self.retired)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}

/// What `CredentialStore::add` does with the credentials of the kind the user already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Keep them all: the new one is added beside them (a second passkey).
    Nothing,
    /// The live ones are deleted; the history stays (an import replaces a password).
    Live,
    /// The live ones are retired, and of the retired ones only the `keep` most recently
    /// retired stay (a password change under a history policy).
    Retire { keep: u32 },
    /// Every credential of the kind goes, live or retired (a registration's first password).
    All,
}

/// A credential to add.
#[derive(Debug, Clone, Copy)]
pub struct NewCredential<'a> {
    pub user_id: &'a str,
    pub kind: CredentialKind,
    pub secret: &'a str,
    pub source_sha256: Option<[u8; 32]>,
}

/// Users of a tenant's pools. Lookups are exact (usernames and addresses are stored
/// lower-cased by the callers), except `find_for_login` and `search_users`.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Finds a user of one of `pools` by username or by email address (case-insensitive),
    /// with the live password hash if the user has one. The first pool in `pools` holding
    /// the login wins.
    async fn find_for_login(&self, tenant: &TenantId, pools: &[String], login: &str) -> Result<Option<(User, Option<String>)>>;
    async fn get(&self, tenant: &TenantId, user_id: &str) -> Result<Option<User>>;
    /// The live password hash of a user of `pool` by username (provisioning compares it).
    async fn password_hash(&self, tenant: &TenantId, pool: &str, username: &str) -> Result<Option<String>>;
    async fn find_user(&self, tenant: &TenantId, pool: &str, by: Lookup, value: &str) -> Result<Option<User>>;
    /// A page of the pool's users ordered by id, after the cursor `query.after`, at most
    /// `query.limit` (clamped to 1..=1000).
    async fn search_users(&self, tenant: &TenantId, pool: &str, query: &UserQuery) -> Result<Vec<User>>;
    /// Creates the user, its addresses, password and memberships in one transaction.
    /// `user.tenant_id` must be `tenant` (else `AppError::Internal`, nothing written).
    /// `AppError::Conflict` names the field (`username`, `email`, `phone`) already taken,
    /// also when a concurrent creation took it first.
    async fn create_user(&self, tenant: &TenantId, user: &NewUser, now: i64) -> Result<User>;
    /// Writes username, status, addresses (and whether verified), payload, metadata and
    /// deletion time, atomically. `AppError::Conflict` names a field another user holds.
    /// A user of another tenant is refused with `AppError::Internal`.
    async fn update_user(&self, tenant: &TenantId, user: &User, now: i64) -> Result<()>;
    /// Writes the user as `update_user` does and replaces every password credential, live
    /// or retired, by `password_phc` (a registration's first password), in one
    /// transaction. `AppError::Conflict` names a field taken meanwhile.
    async fn activate_registration(&self, tenant: &TenantId, user: &User, password_phc: &str, now: i64) -> Result<()>;
    /// Creates many users in one transaction (bulk import): all or none. The caller has
    /// checked that their identifiers are free (`taken`).
    async fn create_users(&self, tenant: &TenantId, users: &[NewUser], now: i64) -> Result<Vec<User>>;
    /// Which of these usernames, emails and phones exist in the pool: (kind, value, user id).
    async fn taken(&self, tenant: &TenantId, pool: &str, usernames: &[String], emails: &[String], phones: &[String]) -> Result<Vec<(Lookup, String, String)>>;
    /// What a re-import compares, for many users at once: each user with its group ids
    /// (sorted) and the digest of its imported password, by user id.
    async fn import_view(&self, tenant: &TenantId, ids: &[String]) -> Result<std::collections::HashMap<String, ImportView>>;
    /// Refreshes the planner statistics of the identity tables after bulk writes, so the
    /// lookups by identifier keep using their indexes (PostgreSQL plans a freshly filled
    /// table as empty until autovacuum gets to it). Not tenant-scoped: statistics are global.
    async fn refresh_statistics(&self) -> Result<()>;
    /// Erases personal data of users of the pool deleted before `before` (username, payload,
    /// metadata, addresses, credentials, memberships, privileges held); the row stays for
    /// the audit trail. Idempotent; returns how many users were erased.
    async fn purge_deleted(&self, tenant: &TenantId, pool: &str, before: i64) -> Result<u64>;
}

/// Credentials of users, of any kind. A user of another tenant has none (`list` is empty,
/// writes change nothing and `add` fails with `AppError::Invalid`).
#[async_trait]
pub trait CredentialStore: Send + Sync {
    /// Adds a live credential, after treating the user's credentials of its kind as
    /// `replace` says, in one transaction.
    async fn add(&self, tenant: &TenantId, new: NewCredential<'_>, replace: Replace, now: i64) -> Result<Credential>;
    /// The user's credentials of `kind`: the live ones first (newest first), then the
    /// retired ones, most recently retired first.
    async fn list(&self, tenant: &TenantId, user_id: &str, kind: CredentialKind) -> Result<Vec<Credential>>;
    /// The kinds of which the user holds at least one live credential, each once: what
    /// a sign-in may ask for, in one round trip.
    async fn held(&self, tenant: &TenantId, user_id: &str) -> Result<Vec<CredentialKind>>;
    /// Deletes one credential; false when there was none.
    async fn remove(&self, tenant: &TenantId, user_id: &str, id: &str) -> Result<bool>;
    /// Records a use of the live credential of `kind` whose secret is `current`, swapping
    /// its secret for `upgrade` if given (a hash upgraded at sign-in). Compare-and-set:
    /// false, and nothing written, when no live credential holds `current` any more (it
    /// was changed meanwhile, and the change wins).
    async fn touch(&self, tenant: &TenantId, user_id: &str, kind: CredentialKind, current: &str, upgrade: Option<&str>, now: i64) -> Result<bool>;
    /// Spends a one-time credential: deletes the live credential of `kind` whose secret is
    /// `secret`. True for exactly one of any number of concurrent calls.
    async fn consume(&self, tenant: &TenantId, user_id: &str, kind: CredentialKind, secret: &str) -> Result<bool>;
}

/// A tenant's identity pools.
#[async_trait]
pub trait PoolStore: Send + Sync {
    async fn pool(&self, tenant: &TenantId, pool: &str) -> Result<Option<Pool>>;
    /// Every pool of the tenant, ordered by id.
    async fn pools(&self, tenant: &TenantId) -> Result<Vec<Pool>>;
}

/// Groups of a pool and their members.
#[async_trait]
pub trait GroupStore: Send + Sync {
    /// The pool's groups, ordered by id.
    async fn groups(&self, tenant: &TenantId, pool: &str) -> Result<Vec<Group>>;
    /// Creates the group and its dynamic privilege atomically; false (and nothing written)
    /// when it exists already, also when a concurrent creation won.
    async fn create_group(&self, tenant: &TenantId, group: &Group) -> Result<bool>;
    /// Deletes the group, its memberships, its dynamic privilege with the privilege's
    /// holders, and what the group held, atomically; false when there was no group.
    async fn delete_group(&self, tenant: &TenantId, pool: &str, group: &str) -> Result<bool>;
    /// Group ids the user belongs to, sorted.
    async fn user_groups(&self, tenant: &TenantId, user_id: &str) -> Result<Vec<String>>;
    /// Adds or removes one membership; idempotent.
    async fn set_member(&self, tenant: &TenantId, pool: &str, group: &str, user_id: &str, member: bool) -> Result<()>;
    /// Replaces the user's memberships in the pool with `groups`, atomically.
    async fn set_groups(&self, tenant: &TenantId, pool: &str, user_id: &str, groups: &[String]) -> Result<()>;
}

/// Stored privileges and who holds them (holder strings: `client_holder`, `user_holder`,
/// `group_holder`).
#[async_trait]
pub trait PrivilegeStore: Send + Sync {
    /// Stored privileges of the tenant, ordered by id.
    async fn privileges(&self, tenant: &TenantId) -> Result<Vec<Privilege>>;
    /// Holders of one privilege, sorted.
    async fn holders(&self, tenant: &TenantId, privilege: &str) -> Result<Vec<String>>;
    /// Every (privilege, holder) pair of the tenant, in one query: what authorization
    /// checks of whole documents and listings consult.
    async fn holdings(&self, tenant: &TenantId) -> Result<Vec<(String, String)>>;
    /// Grants or takes one holding; idempotent.
    async fn set_holder(&self, tenant: &TenantId, privilege: &str, holder: &str, held: bool) -> Result<()>;
    /// Privilege ids held by any of `holders`, sorted and without duplicates.
    async fn privileges_of(&self, tenant: &TenantId, holders: &[String]) -> Result<Vec<String>>;
}

/// A tenant's JSON schemas (payload and metadata schemas of pools).
#[async_trait]
pub trait SchemaStore: Send + Sync {
    /// Every schema, ordered by id.
    async fn schemas(&self, tenant: &TenantId) -> Result<Vec<(String, serde_json::Value)>>;
    async fn schema(&self, tenant: &TenantId, id: &str) -> Result<Option<serde_json::Value>>;
    /// Creates or replaces; true when it existed.
    async fn put_schema(&self, tenant: &TenantId, id: &str, body: &serde_json::Value, now: i64) -> Result<bool>;
    /// Deletes; false when there was none. `AppError::Conflict` while a pool uses it.
    async fn delete_schema(&self, tenant: &TenantId, id: &str) -> Result<bool>;
}

/// Password operations, in the terms callers think in, over the kind-generic store.
impl dyn CredentialStore {
    /// The live password hash first, then the history, most recently retired first.
    pub async fn password_hashes(&self, tenant: &TenantId, user_id: &str) -> Result<Vec<String>> {
        Ok(self.list(tenant, user_id, CredentialKind::PASSWORD).await?.into_iter().map(|c| c.secret).collect())
    }

    /// Replaces the password; the previous one joins the history, of which `keep` stay.
    pub async fn set_password(&self, tenant: &TenantId, user_id: &str, phc: &str, keep: u32, now: i64) -> Result<()> {
        let new = NewCredential { user_id, kind: CredentialKind::PASSWORD, secret: phc, source_sha256: None };
        self.add(tenant, new, Replace::Retire { keep }, now).await.map(|_| ())
    }

    /// Replaces the password hash as an import does: no history, the source digest kept.
    pub async fn import_password(&self, tenant: &TenantId, user_id: &str, phc: &str, source: Option<[u8; 32]>, now: i64) -> Result<()> {
        let new = NewCredential { user_id, kind: CredentialKind::PASSWORD, secret: phc, source_sha256: source };
        self.add(tenant, new, Replace::Live, now).await.map(|_| ())
    }

    /// Swaps an imported or outdated hash for an argon2id one, if `old` is still current.
    pub async fn upgrade_password(&self, tenant: &TenantId, user_id: &str, old: &str, new: &str, now: i64) -> Result<()> {
        self.touch(tenant, user_id, CredentialKind::PASSWORD, old, Some(new), now).await.map(|_| ())
    }
}
