//! Password hashing with argon2id. Hashing is CPU- and memory-heavy, so it runs on the
//! blocking pool behind a semaphore: a burst of sign-ins queues instead of exhausting
//! memory (each hash holds ~19 MiB).
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use tokio::sync::Semaphore;

use crate::error::AppError;

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    params: Params,
    /// Verified when the user does not exist, so that the response time does not tell.
    dummy: Arc<String>,
}

impl Hasher {
    /// OWASP's argon2id baseline: m = 19 MiB, t = 2, p = 1.
    pub fn new(concurrency: usize) -> Result<Self, AppError> {
        let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| AppError::Internal(e.to_string()))?;
        let dummy = hash_with(&params, "portcullis-no-such-user")?;
        Ok(Self { permits: Arc::new(Semaphore::new(concurrency.max(1))), params, dummy: Arc::new(dummy) })
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let (params, pw) = (self.params.clone(), password.to_owned());
        self.run(move || hash_with(&params, &pw)).await
    }

    /// Constant-time verification of `password` against a stored hash: argon2 (any
    /// parameters) or an imported bcrypt / PBKDF2-SHA256 hash (see `identity::hashes`).
    pub async fn verify(&self, password: &str, phc: &str) -> Result<bool, AppError> {
        let (pw, phc) = (password.to_owned(), phc.to_owned());
        self.run(move || {
            if phc.starts_with("$argon2") {
                let parsed = PasswordHash::new(&phc).map_err(|e| AppError::Data(format!("stored password hash: {e}")))?;
                return Ok(Argon2::default().verify_password(pw.as_bytes(), &parsed).is_ok());
            }
            crate::identity::hashes::verify(&pw, &phc).map_err(|e| AppError::Data(format!("stored password hash: {e}")))
        })
        .await
    }

    /// Whether a stored hash already uses this hasher's argon2id parameters; if not, it is
    /// replaced after the next successful sign-in.
    pub fn is_current(&self, phc: &str) -> bool {
        crate::identity::hashes::is_current(phc, &self.params)
    }

    /// Spends the same work as a real verification and answers false.
    pub async fn verify_nobody(&self, password: &str) -> Result<bool, AppError> {
        let dummy = self.dummy.clone();
        self.verify(password, &dummy).await.map(|_| false)
    }

    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> Result<T, AppError> + Send + 'static) -> Result<T, AppError> {
        let _permit = self.permits.acquire().await.map_err(|e| AppError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(f).await.map_err(|e| AppError::Internal(e.to_string()))?
    }
}

/// Hashes with argon2id under `params` (the raw rate the load example compares against).
pub fn hash_with(params: &Params, password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn argon2id_round_trip() {
        let h = Hasher::new(2).unwrap();
        let phc = h.hash("correct horse battery").await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(h.verify("correct horse battery", &phc).await.unwrap());
        assert!(!h.verify("wrong", &phc).await.unwrap());
        assert!(!h.verify_nobody("anything").await.unwrap());
    }
}
