//! Authentication factors. Each is one module implementing `Factor`, registered in
//! `REGISTRY`. What each factor counts for (AMR values, weight) is in `auth::assurance`.
use async_trait::async_trait;

use crate::error::AppError;
use crate::views::PageId;

pub mod email_otp;
pub mod password;
pub mod sms_otp;
pub mod webauthn;
pub mod recovery;
pub mod totp;

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
    /// Stable name (see `auth::assurance`), e.g. `password`.
    fn name(&self) -> &'static str;
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

/// Every factor checked through `Authenticator::verify` (by an account name).
pub static REGISTRY: &[&dyn Factor] = &[&password::Password];

/// The page that asks for `factor` (`enrol`: the page that enrols it). The sign-in page
/// for a name no page knows.
pub fn page_of(factor: &str, enrol: bool) -> PageId {
    use crate::auth::assurance::{EMAIL_OTP, RECOVERY_CODE, SMS_OTP, TOTP, WEBAUTHN};
    match (factor, enrol) {
        (TOTP, false) => PageId::Totp,
        (TOTP, true) => PageId::TotpEnrol,
        (WEBAUTHN, false) => PageId::Passkey,
        (WEBAUTHN, true) => PageId::PasskeyEnrol,
        (EMAIL_OTP, _) => PageId::EmailOtp,
        (SMS_OTP, _) => PageId::SmsOtp,
        (RECOVERY_CODE, _) => PageId::RecoveryCode,
        _ => PageId::Login,
    }
}
