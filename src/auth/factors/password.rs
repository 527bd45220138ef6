//! The password factor: argon2 (or an imported hash) against the stored hash.
use async_trait::async_trait;

use super::{Claimant, Factor, FactorPorts, Input};
use crate::error::AppError;
use crate::storage::UserStatus;

/// Longest password checked: argon2 takes any length, the limit bounds the work a
/// request can ask for.
pub const MAX_PASSWORD: usize = 1024;

pub struct Password;

#[async_trait]
impl Factor for Password {
    fn name(&self) -> &'static str {
        "password"
    }

    fn well_formed(&self, input: &Input) -> bool {
        let p = input.get("password");
        !p.is_empty() && p.len() <= MAX_PASSWORD
    }

    async fn check(&self, ports: &FactorPorts<'_>, claimant: Option<Claimant<'_>>, input: &Input) -> Result<bool, AppError> {
        let password = input.get("password");
        let Some(Claimant { user, password_hash: Some(hash) }) = claimant else {
            // No account, or one without a password: the same argon2 work, never a match.
            ports.hasher.verify_nobody(password).await?;
            return Ok(false);
        };
        // A right password of an account that may not sign in is no pass (and its hash
        // is left as it is).
        if !ports.hasher.verify(password, hash).await? || user.status != UserStatus::Active {
            return Ok(false);
        }
        // Imported (bcrypt, PBKDF2) or older argon2 hashes move to the current parameters
        // now that the password is known. A failure here must not fail the sign-in.
        if !ports.hasher.is_current(hash) {
            match ports.hasher.hash(password).await {
                Ok(new) => {
                    if let Err(e) = ports.credentials.upgrade_password(&user.tenant_id, &user.id, hash, &new, ports.now).await {
                        tracing::warn!(error = %e, "password hash upgrade failed");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "password hash upgrade failed"),
            }
        }
        Ok(true)
    }
}
