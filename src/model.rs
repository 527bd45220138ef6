//! Plain values the other modules share, with no dependencies on any of them: the bottom of
//! the import graph.
use serde::{Deserialize, Serialize};

/// The id of a tenant. Every store method is scoped by one, so a row of one tenant can only
/// be reached by naming that tenant. Built where a tenant id enters the system (the URL
/// path, the admin API path, the provisioning file) or read back from a stored row; it
/// reads as a `str` but a `str` never silently becomes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TenantId(String);

impl TenantId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for TenantId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TenantId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for TenantId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for TenantId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<TenantId> for str {
    fn eq(&self, other: &TenantId) -> bool {
        self == other.0
    }
}

impl PartialEq<TenantId> for &str {
    fn eq(&self, other: &TenantId) -> bool {
        *self == other.0
    }
}

impl PartialEq<String> for TenantId {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

/// A pool's password rules, as stored with the pool and edited through the admin API.
/// Missing fields take their defaults; unknown fields are an error. The rules themselves
/// live in `identity::policy`; the record sits here so that storage can hold it without
/// importing the identity logic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PasswordPolicy {
    /// Fewest characters (Unicode scalar values). Default 8.
    pub min_length: u32,
    /// Most characters. Default 128.
    pub max_length: u32,
    /// Require a lowercase letter. Default false.
    pub require_lowercase: bool,
    /// Require an uppercase letter. Default false.
    pub require_uppercase: bool,
    /// Require a digit. Default false.
    pub require_digit: bool,
    /// Require a symbol: a character that is neither alphanumeric nor whitespace. Default false.
    pub require_symbol: bool,
    /// Reject passwords containing the username, the email address or its local part, or the
    /// phone number's digits (case-insensitive; identifiers under 3 characters are ignored).
    /// Default true.
    pub reject_identifier: bool,
    /// Reject passwords on the shipped list of 10,000 common passwords. Default true.
    pub reject_common: bool,
    /// How many previous passwords may not be reused; checked by the caller. Default 0.
    pub history: u32,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 8,
            max_length: 128,
            require_lowercase: false,
            require_uppercase: false,
            require_digit: false,
            require_symbol: false,
            reject_identifier: true,
            reject_common: true,
            history: 0,
        }
    }
}

/// Ids of the built-in payload and metadata schemas a pool uses unless it names others.
pub const DEFAULT_PAYLOAD: &str = "default-payload";
pub const DEFAULT_METADATA: &str = "default-metadata";

impl From<&TenantId> for String {
    fn from(t: &TenantId) -> String {
        t.0.clone()
    }
}

impl From<TenantId> for String {
    fn from(t: TenantId) -> String {
        t.0
    }
}

/// A level of assurance a tenant defines besides the built-in ones (`assurance_levels` in
/// its provisioning): reached by an authentication that passed every factor of at least
/// one of `reached_by`'s combinations (factor names: `password`, `totp`, `webauthn`,
/// `email_otp`, `sms_otp`, `recovery_code`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssuranceLevel {
    pub id: String,
    /// The full ACR value requests ask for and tokens carry, e.g. `urn:acme:loa:bank`.
    pub acr: String,
    pub reached_by: Vec<Vec<String>>,
}

/// A workspace's legal links (`terms_url`, `privacy_url`): `https://` URLs, shown under
/// every hosted page of the workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WorkspaceLinks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_url: Option<String>,
}
