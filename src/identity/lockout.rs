//! Unlocking an account: the sign-in throttle (`auth::throttle`) counts failures under a
//! generation of the account's counters; a new password (reset, administrator) starts a new
//! generation, which unlocks the account for every IP and browser at once. The generation
//! lives here, below the throttle, because identity's lifecycle sets it and the sign-in
//! engine only reads it.
use crate::crypto::{digest, hex};
use crate::error::AppError;
use crate::storage::CounterStore;

/// How long an unlock (a new generation of counters) is remembered: longer than any window.
const GENERATION_TTL: i64 = 400 * 86_400;

/// The counter that holds the account's generation (digested: bounded, no id in any table).
pub fn generation_key(tenant: &str, user_id: &str) -> String {
    hex(&digest(&format!("login|{tenant}|generation|{user_id}")))
}

/// A new password was set: the account is unlocked everywhere.
pub async fn unlock(counters: &dyn CounterStore, tenant: &str, user_id: &str, now: i64) -> Result<(), AppError> {
    counters.hit(&generation_key(tenant, user_id), GENERATION_TTL, now).await.map(|_| ())
}

/// The account's current generation.
pub async fn generation(counters: &dyn CounterStore, tenant: &str, user_id: &str, now: i64) -> Result<u64, AppError> {
    counters.count(&generation_key(tenant, user_id), now).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_key_is_bounded() {
        assert_eq!(super::generation_key("t", "u").len(), 64);
    }
}
