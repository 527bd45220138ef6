//! Second factors of a known user (TOTP, recovery codes, and the email and SMS codes):
//! the check within a per-user, per-factor throttle, and the audit trail of their use.
//!
//! - The user is already known: the flow names them (`Flow::challenged_user`) after their
//!   first factor passed. Nothing here looks a user up by name, so nothing here can tell
//!   which accounts exist.
//! - Throttle: every well-formed code counts before it is checked (`CounterStore::hit`,
//!   one atomic step in the database shared by every node), so of any number of
//!   concurrent guesses at most `MAX_WRONG` per window are ever evaluated. `MAX_WRONG`
//!   wrong codes lock that factor of that user for `LOCK` seconds (other factors stay
//!   usable: a user locked out of their app can still use a recovery code). A right code
//!   clears the count. A malformed code (wrong length or alphabet) is refused without
//!   being counted or checked.
//! - A lock, each use and each enrolment is an audit event (`mfa.locked`, `mfa.used`,
//!   `mfa.enrolled`, `mfa.recovery_codes.created`), naming the factor and never a code,
//!   seed or secret.
//!
//! Who may do what: only the page layer calls this, for the flow's challenged user and a
//! factor the flow offers (it checks `Flow::offers` first); a factor's check only ever
//! reads and spends that user's credentials of its own kind.
use async_trait::async_trait;

use crate::crypto::{digest, hex};
use crate::error::AppError;
use crate::identity::secrets::SecretKeys;
use crate::model::TenantId;
use crate::storage::identity::CredentialStore;
use crate::storage::session::{Kind, Sessions};
use crate::storage::{AuditEvent, AuditStore, CounterStore};

/// Wrong codes after which a factor locks.
pub const MAX_WRONG: u64 = 5;
/// How long a lock holds, and the window wrong codes are counted in, seconds.
pub const LOCK: i64 = 15 * 60;
/// Longest code input looked at (anything longer is malformed).
pub const MAX_CODE: usize = 64;

/// What a second-factor check needs: narrow ports, never `AppState`.
pub struct Ports<'a> {
    pub credentials: &'a (dyn CredentialStore + 'static),
    pub counters: &'a dyn CounterStore,
    pub sessions: &'a Sessions,
    pub audit: &'a dyn AuditStore,
    pub secrets: &'a SecretKeys,
    pub now: i64,
}

/// One second factor checked by a code the user types.
#[async_trait]
pub trait SecondFactor: Send + Sync {
    /// Its name (`auth::assurance`).
    fn name(&self) -> &'static str;
    /// Whether `code` can be one at all (length, alphabet).
    fn well_formed(&self, code: &str) -> bool;
    /// The audit action of a code taken (an enrolment's confirmation records `mfa.enrolled`).
    fn audit_action(&self) -> &'static str {
        "mfa.used"
    }
    /// Checks (and for a one-time credential spends) `code` for the user. True for at
    /// most one of concurrent checks of one code. Errors: only the stores'.
    async fn check(&self, ports: &Ports<'_>, tenant: &TenantId, user_id: &str, code: &str) -> Result<bool, AppError>;
}

/// How a code was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// Wrong (or malformed, or replayed): `left` more wrong codes before the factor locks.
    Wrong { left: u64 },
    /// Too many wrong codes: the factor takes none until `until` (seconds since the epoch).
    Locked { until: i64 },
}

fn key(kind: &str, tenant: &TenantId, user_id: &str, factor: &str) -> String {
    // Digested: bounded length (`MAX_COUNTER_KEY`), and no user id in the counters table.
    hex(&digest(&format!("second|{kind}|{tenant}|{user_id}|{factor}")))
}

/// Until when `factor` of the user is locked, if it is.
pub async fn locked(ports: &Ports<'_>, tenant: &TenantId, user_id: &str, factor: &str) -> Result<Option<i64>, AppError> {
    let lock = key("lock", tenant, user_id, factor);
    if ports.counters.count(&lock, ports.now).await? == 0 {
        return Ok(None);
    }
    // The end of the lock is kept beside it for the page; the lock itself is the durable
    // counter (should the session store have lost the end, the full lock is shown).
    let until = ports.sessions.get::<i64>(Kind::SecondFactor, &format!("lock:{lock}")).await?.unwrap_or(ports.now + LOCK);
    Ok(Some(until))
}

/// Checks `code` for `factor` of the user within the throttle (see the module docs).
pub async fn verify(ports: &Ports<'_>, factor: &dyn SecondFactor, tenant: &TenantId, user_id: &str, code: &str) -> Result<Outcome, AppError> {
    let name = factor.name();
    if let Some(until) = locked(ports, tenant, user_id, name).await? {
        return Ok(Outcome::Locked { until });
    }
    if code.len() > MAX_CODE || !factor.well_formed(code) {
        let wrong = ports.counters.count(&key("wrong", tenant, user_id, name), ports.now).await?;
        return Ok(Outcome::Wrong { left: MAX_WRONG.saturating_sub(wrong) });
    }
    let wrong_key = key("wrong", tenant, user_id, name);
    // Counted before the check: concurrent guesses each get a distinct count.
    let n = ports.counters.hit(&wrong_key, LOCK, ports.now).await?;
    if n > MAX_WRONG {
        return lock(ports, tenant, user_id, name, &wrong_key).await;
    }
    if factor.check(ports, tenant, user_id, code).await? {
        ports.counters.clear(&wrong_key).await?;
        audit(ports, tenant, user_id, factor.audit_action(), serde_json::json!({ "factor": name })).await;
        return Ok(Outcome::Passed);
    }
    if n >= MAX_WRONG {
        return lock(ports, tenant, user_id, name, &wrong_key).await;
    }
    Ok(Outcome::Wrong { left: MAX_WRONG - n })
}

async fn lock(ports: &Ports<'_>, tenant: &TenantId, user_id: &str, factor: &str, wrong_key: &str) -> Result<Outcome, AppError> {
    let lock = key("lock", tenant, user_id, factor);
    // Of concurrent lockers, the first hit locks and records (one audit event per lock).
    if ports.counters.hit(&lock, LOCK, ports.now).await? == 1 {
        let until = ports.now + LOCK;
        ports.sessions.put(Kind::SecondFactor, &format!("lock:{lock}"), &until, LOCK).await?;
        ports.counters.clear(wrong_key).await?;
        audit(ports, tenant, user_id, "mfa.locked", serde_json::json!({ "factor": factor, "wrong_codes": MAX_WRONG, "until": until })).await;
        return Ok(Outcome::Locked { until });
    }
    Ok(Outcome::Locked { until: locked(ports, tenant, user_id, factor).await?.unwrap_or(ports.now + LOCK) })
}

/// Records an audit event about the user's second factors (never a code or a secret in
/// `detail`). A failure to record is logged, not fatal: the sign-in it describes happened.
pub async fn audit(ports: &Ports<'_>, tenant: &TenantId, user_id: &str, action: &str, detail: serde_json::Value) {
    let event = AuditEvent { tenant_id: tenant.clone(), actor: user_id.to_owned(), action: action.to_owned(), subject: user_id.to_owned(), detail };
    if let Err(e) = ports.audit.record(event, ports.now).await {
        tracing::warn!(error = %e, action, "audit event not recorded");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::memory::{MemoryDb, MemoryStore};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Passes "123456" only; counts the checks it was asked for.
    struct Counting(AtomicUsize);

    #[async_trait]
    impl SecondFactor for Counting {
        fn name(&self) -> &'static str {
            "totp"
        }
        fn well_formed(&self, code: &str) -> bool {
            code.len() == 6
        }
        async fn check(&self, _: &Ports<'_>, _: &TenantId, _: &str, code: &str) -> Result<bool, AppError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(code == "123456")
        }
    }

    #[tokio::test]
    async fn of_concurrent_wrong_codes_at_most_five_are_checked_and_one_lock_is_recorded() {
        let db = MemoryDb::new();
        let sessions = Sessions::new(Arc::new(MemoryStore::new(Arc::new(crate::clock::OffsetClock::default()))));
        let keys = SecretKeys::new([1; 32], &[]);
        let now = 1_000_000;
        let ports = Ports { credentials: &db, counters: &db, sessions: &sessions, audit: &db, secrets: &keys, now };
        let (f, t) = (Counting(AtomicUsize::new(0)), TenantId::new("t"));
        let go = || verify(&ports, &f, &t, "u", "000000");
        let all = tokio::join!(go(), go(), go(), go(), go(), go(), go(), go());
        let outcomes = [all.0, all.1, all.2, all.3, all.4, all.5, all.6, all.7].map(|o| o.unwrap());
        assert!(f.0.load(Ordering::SeqCst) <= MAX_WRONG as usize, "checked at most {MAX_WRONG}");
        assert!(outcomes.iter().any(|o| matches!(o, Outcome::Locked { until } if *until == now + LOCK)));
        // Locked: the right code is refused unchecked; malformed input changes nothing.
        let checks = f.0.load(Ordering::SeqCst);
        assert_eq!(verify(&ports, &f, &t, "u", "123456").await.unwrap(), Outcome::Locked { until: now + LOCK });
        assert_eq!(f.0.load(Ordering::SeqCst), checks);
        // Another user is not locked.
        assert_eq!(verify(&ports, &f, &t, "v", "123456").await.unwrap(), Outcome::Passed);
        let events = db.audit_events(&t, None, 100).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.action == "mfa.locked").count(), 1);
        // When the lock ends, the right code passes and clears the count.
        let later = Ports { now: now + LOCK + 1, ..ports };
        assert_eq!(verify(&later, &f, &t, "u", "123456").await.unwrap(), Outcome::Passed);
        assert_eq!(verify(&later, &f, &t, "u", "000000").await.unwrap(), Outcome::Wrong { left: MAX_WRONG - 1 });
        assert_eq!(verify(&later, &f, &t, "u", "12").await.unwrap(), Outcome::Wrong { left: MAX_WRONG - 1 }, "malformed: not counted");
    }
}
