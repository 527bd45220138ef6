//! Typed protocol values shared by the endpoints.
use serde::{Deserialize, Serialize};

/// A validated, de-duplicated scope list in request order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Scope(pub Vec<String>);

impl Scope {
    /// RFC 6749 §3.3: space-delimited, case-sensitive; each token of NQCHAR.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut out: Vec<String> = vec![];
        for s in raw.split(' ').filter(|s| !s.is_empty()) {
            if !s.bytes().all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b)) {
                return None;
            }
            if !out.iter().any(|o| o == s) {
                out.push(s.to_owned());
            }
        }
        Some(Scope(out))
    }
    pub fn contains(&self, s: &str) -> bool {
        self.0.iter().any(|x| x == s)
    }
    pub fn is_subset_of(&self, other: &[String]) -> bool {
        self.0.iter().all(|s| other.contains(s))
    }
    pub fn as_string(&self) -> String {
        self.0.join(" ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Prompt {
    None,
    Login,
    Consent,
    SelectAccount,
}

/// An authorization request that passed validation: the client and redirect URI are
/// known to be registered, so errors from here on go back to the client by redirect.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Scope,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub prompt: Vec<Prompt>,
    pub max_age: Option<i64>,
    pub login_hint: Option<String>,
    pub ui_locales: Vec<String>,
    /// Requested ACR values in order of preference (OIDC Core §3.1.2.1), from
    /// `acr_values` and the `claims` parameter's `acr` (§5.5.1.1); the sign-in must reach
    /// one of the known ones (see `auth::assurance`).
    #[serde(default)]
    pub acr_values: Vec<String>,
    /// The `claims` parameter asked for `acr` as an essential claim (§5.5.1.1).
    #[serde(default)]
    pub acr_essential: bool,
    pub code_challenge: Option<String>,
}

impl AuthorizationRequest {
    pub fn has_prompt(&self, p: Prompt) -> bool {
        self.prompt.contains(&p)
    }
}

/// Who signed in, how and when: carried by the SSO session and into every grant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Authentication {
    pub tenant_id: crate::model::TenantId,
    pub workspace_id: String,
    pub user_id: String,
    pub auth_time: i64,
    /// Session id, the `sid` claim (OIDC Front-/Back-Channel Logout).
    pub sid: String,
    pub acr: String,
    pub amr: Vec<String>,
    /// When the session was made, in milliseconds: a revocation by time compares this
    /// (`auth_time` has whole seconds, and a sign-in right after a password reset falls in
    /// the same second). 0 where there is no session (a refreshed grant).
    #[serde(default)]
    pub session_ms: i64,
    /// The factors passed (names: `password`, `totp`, `webauthn`, …), from which `amr`
    /// and `acr` were derived; a step-up asks only for what is missing from these.
    #[serde(default)]
    pub factors: Vec<String>,
}

/// What an authorization code stands for. Stored under the code's digest, consumed once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeRecord {
    pub tenant_id: crate::model::TenantId,
    pub workspace_id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: Scope,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub auth: Authentication,
    /// The grant this code creates; known in advance so that a replay can revoke it.
    pub grant_id: String,
    pub expires_at: i64,
}

/// The token endpoint's success response (RFC 6749 §5.1, OIDC Core §3.1.3.3). `Debug`
/// hides the tokens.
#[derive(Clone, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    pub scope: String,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let TokenResponse { access_token: _, token_type, expires_in, refresh_token, id_token, scope } = self;
        f.debug_struct("TokenResponse")
            .field("access_token", &crate::redact::Redacted)
            .field("token_type", token_type)
            .field("expires_in", expires_in)
            .field("refresh_token", &crate::redact::option(refresh_token))
            .field("id_token", &crate::redact::option(id_token))
            .field("scope", scope)
            .finish()
    }
}

