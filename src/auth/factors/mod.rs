//! Authentication factors. Each is one module implementing `Factor`, registered in
//! `REGISTRY`; adding TOTP is a `totp.rs` beside `password.rs` and one line below.
use async_trait::async_trait;

use crate::error::AppError;
use crate::views::PageId;

pub mod password;

/// What a factor check needs besides its input: the stores and the hasher, never
/// `AppState` (see `Authenticator`, which builds these from its ports).
pub struct FactorPorts<'a> {
    pub credentials: &'a (dyn crate::storage::identity::CredentialStore + 'static),
    pub hasher: &'a crate::identity::password::Hasher,
    pub now: i64,
}

/// The account a factor is checked for, as the users port found it, with the stored
/// password hash found in the same lookup (a factor with a credential of another kind
/// reads it through `FactorPorts::credentials`). `None`: no such account.
pub struct Claimant<'a> {
    pub user: &'a crate::storage::User,
    pub password_hash: Option<&'a str>,
}

/// One way of proving who you are.
#[async_trait]
pub trait Factor: Send + Sync {
    /// Stable name, e.g. `password`.
    fn name(&self) -> &'static str;
    /// The AMR value it adds to an authentication (RFC 8176 §2), e.g. `pwd`.
    fn amr(&self) -> &'static str;
    /// The page that asks for it.
    fn page(&self) -> PageId;
    /// Whether `input` can be checked at all (lengths): a malformed one is refused after
    /// the same work as a wrong one, without counting against the throttle.
    fn well_formed(&self, input: &Input) -> bool;
    /// Checks `input` (the posted form's fields) for `claimant`. MUST do the same work for
    /// `None` (no account) as for an account, so the answer's timing tells nothing about
    /// which accounts exist. Errors: only the backing stores'.
    async fn check(&self, ports: &FactorPorts<'_>, claimant: Option<Claimant<'_>>, input: &Input) -> Result<bool, AppError>;
}

/// The posted fields a factor reads.
pub struct Input<'a> {
    pub fields: &'a [(String, String)],
}

impl Input<'_> {
    pub fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

/// Every factor this server knows.
pub static REGISTRY: &[&dyn Factor] = &[&password::Password];

/// The factor with this AMR value.
pub fn by_amr(amr: &str) -> Option<&'static dyn Factor> {
    REGISTRY.iter().copied().find(|f| f.amr() == amr)
}

/// The page of the factor with this AMR value (the sign-in page for an unknown one).
pub fn page_of(amr: &str) -> PageId {
    by_amr(amr).map(|f| f.page()).unwrap_or(PageId::Login)
}

/// The factors a sign-in to a workspace requires, as AMR values. Today the password
/// alone; levels of assurance and MFA policies will choose here.
pub fn required() -> Vec<String> {
    vec![password::Password.amr().to_owned()]
}
