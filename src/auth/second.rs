//! Second factors of a known user (TOTP, recovery codes, and the email and SMS codes):
//! the check within a per-user, per-factor throttle, and the audit trail of their use.
//!
//! - The user is already known: the flow names them (`Flow::challenged_user`) after their
//!   first factor passed. Nothing here looks a user up by name, so nothing here can tell
//!   which accounts exist.
//! - Short window: every well-formed code counts before it is checked
//!   (`CounterStore::hit`, one atomic step in the database shared by every node), so of
//!   any number of concurrent guesses at most `MAX_WRONG` per window are ever evaluated.
//!   `MAX_WRONG` wrong codes lock that factor of that user (other factors stay usable: a
//!   user locked out of their app can still use a recovery code). The wrong-code count is
//!   never cleared by a lock, only by a success: it expires with its window (`LOCK`,
//!   which ends before the lock does), so a request that checked "not locked" just before
//!   a lock and counts just after it still sees the full count and is refused.
//! - Progressive locks: the n-th lock of a factor within `DAY` holds `LOCK · 2^(n-1)`
//!   (15, 30, 60 minutes…, at most a day).
//! - Long-window cap, cleared only by a success: `MAX_FAILURES` (20) wrong codes without
//!   a success lock the factor until the user signs in with another second factor (a
//!   recovery code) or an administrator resets their factors (`reset`). NIST SP 800-63B
//!   §5.2.2: "the verifier SHALL limit consecutive failed authentication attempts on a
//!   single account to no more than 100"; a window that merely expires would let an
//!   attacker go past 100 over some days, so this count outlives any attack
//!   (`FAILURES_WINDOW`, a year) and 20 keeps a 6-digit code's odds at 20 · 3 / 10^6.
//!   The 6-digit factors (`totp`, `email_otp`, `sms_otp`: `group_of`) share one such
//!   count, so an attacker holding the password gets 20 six-digit guesses in all, not 20
//!   per factor. A lock (and a hard lock) is reported as new once (`Outcome::Locked`'s
//!   `new`), so that the page layer tells the user by mail.
//! - A malformed code (wrong length or alphabet) is refused without being counted or
//!   checked.
//! - A lock, each use and each enrolment is an audit event (`mfa.locked`, `mfa.used`,
//!   `mfa.enrolled`, `mfa.recovery_codes.created`), naming the factor and never a code,
//!   seed or secret.
//!
//! Who may do what: only the page layer calls this, for the flow's challenged user and a
//! factor the flow offers (it checks `Flow::offers` first); a factor's check only ever
//! reads and spends that user's credentials of its own kind. `reset` is for an
//! administrator's reset of the user's second factors.
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
/// How long the first lock holds, and the window wrong codes are counted in, seconds.
pub const LOCK: i64 = 15 * 60;
/// The window in which each lock is twice as long as the one before.
pub const DAY: i64 = 86_400;
/// Wrong codes without a success after which a factor (or the 6-digit group) stays locked
/// until a success of another factor or a reset (NIST SP 800-63B §5.2.2: at most 100).
pub const MAX_FAILURES: u64 = 20;
/// How long that count is kept at most (longer than any attack is worth).
pub const FAILURES_WINDOW: i64 = 365 * DAY;
/// The counter of the 6-digit factors (one long-window cap for all of them).
pub const SIX_DIGIT: &str = "six-digit";
/// Longest code input looked at (anything longer is malformed).
pub const MAX_CODE: usize = 64;

/// The long-window group of a factor: the 6-digit codes share one.
pub fn group_of(factor: &str) -> &str {
    match factor {
        crate::auth::assurance::TOTP | crate::auth::assurance::EMAIL_OTP | crate::auth::assurance::SMS_OTP => SIX_DIGIT,
        other => other,
    }
}

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
    /// The throttle's name for it (an enrolment's confirmation is throttled apart from
    /// the factor's sign-ins: its seed is on the user's screen, there is nothing to guess,
    /// and a lock of the factor must not keep a user whose factors were reset from
    /// enrolling again).
    fn throttle(&self) -> &'static str {
        self.name()
    }
    /// Whether its wrong codes count toward the long-window cap (an enrolment's do not).
    fn capped(&self) -> bool {
        true
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
    /// Too many wrong codes: the factor takes none until `until` (seconds since the
    /// epoch), or, `None`, until another factor passed or the factors were reset. `new`:
    /// this request locked it (exactly one request per lock): tell the user.
    Locked { until: Option<i64>, new: bool },
}

fn key(kind: &str, tenant: &TenantId, user_id: &str, factor: &str) -> String {
    // Digested: bounded length (`MAX_COUNTER_KEY`), and no user id in the counters table.
    hex(&digest(&format!("second|{kind}|{tenant}|{user_id}|{factor}")))
}

/// Until when `factor` of the user is locked, if it is (`Some(None)`: until another
/// factor passed or a reset; see the module docs).
pub async fn locked(ports: &Ports<'_>, tenant: &TenantId, user_id: &str, factor: &str) -> Result<Option<Option<i64>>, AppError> {
    if ports.counters.count(&key("failures", tenant, user_id, group_of(factor)), ports.now).await? >= MAX_FAILURES {
        return Ok(Some(None));
    }
    short_lock(ports, tenant, user_id, factor).await.map(|l| l.map(Some))
}

async fn short_lock(ports: &Ports<'_>, tenant: &TenantId, user_id: &str, throttle: &str) -> Result<Option<i64>, AppError> {
    let lock = key("lock", tenant, user_id, throttle);
    if ports.counters.count(&lock, ports.now).await? == 0 {
        return Ok(None);
    }
    // The end of the lock is kept beside it for the page; the lock itself is the durable
    // counter (should the session store have lost the end, a first lock's end is shown).
    let until = ports.sessions.get::<i64>(Kind::SecondFactor, &format!("lock:{lock}")).await?.unwrap_or(ports.now + LOCK);
    Ok(Some(until))
}

/// Checks `code` for `factor` of the user within the throttle (see the module docs).
pub async fn verify(ports: &Ports<'_>, factor: &dyn SecondFactor, tenant: &TenantId, user_id: &str, code: &str) -> Result<Outcome, AppError> {
    let (name, throttle) = (factor.name(), factor.throttle());
    let failures_key = key("failures", tenant, user_id, group_of(name));
    if factor.capped() && ports.counters.count(&failures_key, ports.now).await? >= MAX_FAILURES {
        return Ok(Outcome::Locked { until: None, new: false });
    }
    if let Some(until) = short_lock(ports, tenant, user_id, throttle).await? {
        return Ok(Outcome::Locked { until: Some(until), new: false });
    }
    let wrong_key = key("wrong", tenant, user_id, throttle);
    if code.len() > MAX_CODE || !factor.well_formed(code) {
        let wrong = ports.counters.count(&wrong_key, ports.now).await?;
        return Ok(Outcome::Wrong { left: MAX_WRONG.saturating_sub(wrong) });
    }
    // Counted before the check: concurrent guesses each get a distinct count.
    let n = ports.counters.hit(&wrong_key, LOCK, ports.now).await?;
    if n > MAX_WRONG {
        return lock(ports, tenant, user_id, name, throttle).await;
    }
    let failures = if factor.capped() { ports.counters.hit(&failures_key, FAILURES_WINDOW, ports.now).await? } else { 0 };
    if failures > MAX_FAILURES {
        return Ok(Outcome::Locked { until: None, new: false });
    }
    if factor.check(ports, tenant, user_id, code).await? {
        succeeded(ports, tenant, user_id, name, throttle).await?;
        audit(ports, tenant, user_id, factor.audit_action(), serde_json::json!({ "factor": name })).await;
        return Ok(Outcome::Passed);
    }
    if failures == MAX_FAILURES {
        // Exactly one request sees this count: it records the hard lock.
        audit(ports, tenant, user_id, "mfa.locked", serde_json::json!({ "factor": name, "group": group_of(name), "wrong_codes": MAX_FAILURES, "until": null })).await;
        return Ok(Outcome::Locked { until: None, new: true });
    }
    if n >= MAX_WRONG {
        return lock(ports, tenant, user_id, name, throttle).await;
    }
    Ok(Outcome::Wrong { left: MAX_WRONG - n })
}

/// A success of `factor`: its wrong-code count, its locks of the day and the long-window
/// counts go (the user proved themselves; a recovery code, 80 random bits, also lifts a
/// hard lock of the 6-digit factors).
async fn succeeded(ports: &Ports<'_>, tenant: &TenantId, user_id: &str, factor: &str, throttle: &str) -> Result<(), AppError> {
    let c = ports.counters;
    c.clear(&key("wrong", tenant, user_id, throttle)).await?;
    c.clear(&key("locks", tenant, user_id, throttle)).await?;
    c.clear(&key("failures", tenant, user_id, group_of(factor))).await?;
    c.clear(&key("failures", tenant, user_id, SIX_DIGIT)).await
}

/// Forgets every count and lock of the user's second factors (an administrator reset
/// their factors: they enrol afresh). Helper A's reset calls this.
pub async fn reset(ports: &Ports<'_>, tenant: &TenantId, user_id: &str) -> Result<(), AppError> {
    let c = ports.counters;
    use crate::auth::assurance::{EMAIL_OTP, RECOVERY_CODE, SMS_OTP, TOTP};
    for f in [TOTP, RECOVERY_CODE, EMAIL_OTP, SMS_OTP, SIX_DIGIT, "totp-enrolment"] {
        for kind in ["wrong", "locks", "failures", "lock"] {
            c.clear(&key(kind, tenant, user_id, f)).await?;
        }
    }
    Ok(())
}

async fn lock(ports: &Ports<'_>, tenant: &TenantId, user_id: &str, factor: &str, throttle: &str) -> Result<Outcome, AppError> {
    let lock = key("lock", tenant, user_id, throttle);
    let locks = key("locks", tenant, user_id, throttle);
    // The n-th lock of the day holds twice as long as the one before (at most a day).
    let before = ports.counters.count(&locks, ports.now).await?.min(6);
    let hold = (LOCK << before).min(DAY);
    // Of concurrent lockers, the first hit locks and records (one audit event per lock).
    if ports.counters.hit(&lock, hold, ports.now).await? == 1 {
        ports.counters.hit(&locks, DAY, ports.now).await?;
        let until = ports.now + hold;
        ports.sessions.put(Kind::SecondFactor, &format!("lock:{lock}"), &until, hold).await?;
        audit(ports, tenant, user_id, "mfa.locked", serde_json::json!({ "factor": factor, "wrong_codes": MAX_WRONG, "until": until })).await;
        return Ok(Outcome::Locked { until: Some(until), new: true });
    }
    Ok(Outcome::Locked { until: Some(short_lock(ports, tenant, user_id, throttle).await?.unwrap_or(ports.now + hold)), new: false })
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
    struct Counting(AtomicUsize, &'static str);

    impl Counting {
        fn new(name: &'static str) -> Counting {
            Counting(AtomicUsize::new(0), name)
        }
        fn checks(&self) -> usize {
            self.0.load(Ordering::SeqCst)
        }
    }

    #[async_trait]
    impl SecondFactor for Counting {
        fn name(&self) -> &'static str {
            self.1
        }
        fn well_formed(&self, code: &str) -> bool {
            code.len() == 6
        }
        async fn check(&self, _: &Ports<'_>, _: &TenantId, _: &str, code: &str) -> Result<bool, AppError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(code == "123456")
        }
    }

    struct Env {
        db: MemoryDb,
        sessions: Sessions,
        keys: SecretKeys,
    }

    fn env() -> Env {
        Env { db: MemoryDb::new(), sessions: Sessions::new(Arc::new(MemoryStore::new(Arc::new(crate::clock::OffsetClock::default())))), keys: SecretKeys::new([1; 32], &[]) }
    }

    impl Env {
        fn ports(&self, now: i64) -> Ports<'_> {
            Ports { credentials: &self.db, counters: &self.db, sessions: &self.sessions, audit: &self.db, secrets: &self.keys, now }
        }
    }

    #[tokio::test]
    async fn of_concurrent_wrong_codes_at_most_five_are_checked_and_one_lock_is_recorded() {
        let e = env();
        let now = 1_000_000;
        let ports = e.ports(now);
        let (f, t) = (Counting::new("totp"), TenantId::new("t"));
        let go = || verify(&ports, &f, &t, "u", "000000");
        let all = tokio::join!(go(), go(), go(), go(), go(), go(), go(), go());
        let outcomes = [all.0, all.1, all.2, all.3, all.4, all.5, all.6, all.7].map(|o| o.unwrap());
        assert!(f.checks() <= MAX_WRONG as usize, "checked at most {MAX_WRONG}");
        assert_eq!(outcomes.iter().filter(|o| matches!(o, Outcome::Locked { until: Some(u), new: true } if *u == now + LOCK)).count(), 1);
        // Locked: the right code is refused unchecked; malformed input changes nothing.
        let checks = f.checks();
        assert_eq!(verify(&ports, &f, &t, "u", "123456").await.unwrap(), Outcome::Locked { until: Some(now + LOCK), new: false });
        assert_eq!(f.checks(), checks);
        // Another user is not locked.
        assert_eq!(verify(&ports, &f, &t, "v", "123456").await.unwrap(), Outcome::Passed);
        let events = e.db.audit_events(&t, None, 100).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.action == "mfa.locked").count(), 1);
        // When the lock ends, the right code passes and clears the count.
        let later = e.ports(now + LOCK + 1);
        assert_eq!(verify(&later, &f, &t, "u", "123456").await.unwrap(), Outcome::Passed);
        assert_eq!(verify(&later, &f, &t, "u", "000000").await.unwrap(), Outcome::Wrong { left: MAX_WRONG - 1 });
        assert_eq!(verify(&later, &f, &t, "u", "12").await.unwrap(), Outcome::Wrong { left: MAX_WRONG - 1 }, "malformed: not counted");
    }

    /// Counters as seen by a request that read "not locked" just before the lock landed:
    /// `count` of the hidden keys answers 0 (the read happened before), the rest is real.
    struct Stale<'a> {
        real: &'a MemoryDb,
        hidden: Vec<String>,
    }

    #[async_trait]
    impl CounterStore for Stale<'_> {
        async fn hit(&self, key: &str, window: i64, now: i64) -> Result<u64, AppError> {
            self.real.hit(key, window, now).await
        }
        async fn count(&self, key: &str, now: i64) -> Result<u64, AppError> {
            if self.hidden.iter().any(|h| h == key) {
                return Ok(0);
            }
            self.real.count(key, now).await
        }
        async fn clear(&self, key: &str) -> Result<(), AppError> {
            self.real.clear(key).await
        }
    }

    #[tokio::test]
    async fn a_request_that_checked_before_the_lock_and_counts_after_it_is_refused_unchecked() {
        let e = env();
        let (f, t, now) = (Counting::new("totp"), TenantId::new("t"), 1_000_000);
        for _ in 0..MAX_WRONG {
            verify(&e.ports(now), &f, &t, "u", "000000").await.unwrap();
        }
        let checks = f.checks();
        // Its lock check ran before the lock; its count runs after it.
        let stale = Stale { real: &e.db, hidden: vec![key("lock", &t, "u", "totp")] };
        let ports = Ports { counters: &stale, ..e.ports(now + 1) };
        assert!(matches!(verify(&ports, &f, &t, "u", "123456").await.unwrap(), Outcome::Locked { new: false, .. }));
        assert_eq!(f.checks(), checks, "not checked: the wrong-code count was not cleared by the lock");
    }

    #[tokio::test]
    async fn each_lock_of_the_day_is_twice_as_long_and_twenty_wrong_codes_lock_until_another_factor_passes() {
        let e = env();
        let (totp, t) = (Counting::new("totp"), TenantId::new("t"));
        let mut now = 1_000_000;
        let mut holds = vec![];
        for _ in 0..3 {
            let mut last = None;
            for _ in 0..MAX_WRONG {
                last = Some(verify(&e.ports(now), &totp, &t, "u", "000000").await.unwrap());
            }
            let Some(Outcome::Locked { until: Some(until), new: true }) = last else { panic!("{last:?}") };
            holds.push(until - now);
            now = until + 1;
        }
        assert_eq!(holds, vec![LOCK, 2 * LOCK, 4 * LOCK]);
        // 15 wrong so far; 5 more (4 of the 6-digit email code: one cap for the group).
        let email = Counting::new("email_otp");
        for _ in 0..4 {
            assert!(matches!(verify(&e.ports(now), &email, &t, "u", "000000").await.unwrap(), Outcome::Wrong { .. }));
        }
        assert_eq!(verify(&e.ports(now), &totp, &t, "u", "000000").await.unwrap(), Outcome::Locked { until: None, new: true });
        // Hard-locked, a year later still: the right code is refused unchecked, for both.
        let (checks, later) = (totp.checks() + email.checks(), e.ports(now + 300 * DAY));
        assert_eq!(verify(&later, &totp, &t, "u", "123456").await.unwrap(), Outcome::Locked { until: None, new: false });
        assert_eq!(verify(&later, &email, &t, "u", "123456").await.unwrap(), Outcome::Locked { until: None, new: false });
        assert_eq!(locked(&later, &t, "u", "sms_otp").await.unwrap(), Some(None));
        assert_eq!(totp.checks() + email.checks(), checks);
        // A recovery code (another factor) lifts it.
        assert_eq!(verify(&later, &Counting::new("recovery_code"), &t, "u", "123456").await.unwrap(), Outcome::Passed);
        assert_eq!(verify(&later, &totp, &t, "u", "123456").await.unwrap(), Outcome::Passed);
        let events = e.db.audit_events(&t, None, 100).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.action == "mfa.locked").count(), 4);
        // So does an administrator's reset.
        for i in 0..MAX_FAILURES as i64 {
            // Each round of five a day apart (past the round's lock).
            verify(&e.ports(now + (400 + i / 5) * DAY), &email, &t, "v", "000000").await.unwrap();
        }
        assert_eq!(locked(&e.ports(now + 400 * DAY), &t, "v", "totp").await.unwrap(), Some(None));
        reset(&e.ports(now + 400 * DAY), &t, "v").await.unwrap();
        assert_eq!(locked(&e.ports(now + 400 * DAY), &t, "v", "totp").await.unwrap(), None);
    }
}
