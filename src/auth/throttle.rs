//! Sign-in throttling: how many password guesses an account takes, and how the limit
//! resists being used to lock its owner out.
//!
//! - Failures are counted per account, whatever name was typed (username or email), and per
//!   client IP: `MAX_FAILURES` from one IP in a window lock the account for that IP, and
//!   `MAX_FAILURES_PER_ACCOUNT` from all IPs together lock it for every browser that never
//!   signed in to it (a ceiling for guessing spread over many addresses). A name no account
//!   has is throttled the same way, so the limits tell nothing about which accounts exist.
//! - Every attempt counts before the password is checked (increment first, then compare):
//!   of any number of concurrent guesses, at most `MAX_FAILURES` per IP are ever evaluated.
//! - Progressive delay: the first `FREE_FAILURES` failures in a window are answered at once;
//!   after them one attempt is allowed per 2, 4, 8, 16, 32 seconds, then the lock holds until
//!   the window (`WINDOW`, from the first failure) ends.
//! - A browser that signed in to the account before has a counter of its own: nobody locks
//!   the owner out of the browsers they use. A password reset (or a password an
//!   administrator sets) unlocks the account everywhere at once (`unlock` starts a new
//!   generation of its counters).
//! - The lock is shown only for the name that earned it: an account locked through its
//!   username answers a try with its email like a wrong password (after the same work) until
//!   that name has failed as often, so the lock does not tell which names are one account.
//! - Account counters (and the counts of names that belong to an account) live in the
//!   database (`CounterStore`: shared by every node, kept when Redis loses its data).
//!   Counters of names without an account live in the session store: nothing to protect
//!   there, and floods of made-up names never reach the database (only the pacing of a
//!   name that failed `FREE_FAILURES` times does).
use crate::error::AppError;
use crate::storage::session::{Kind, Sessions};
use crate::crypto::hex;
use crate::storage::CounterStore;
use crate::crypto::digest;

/// Failures answered without delay within a window.
pub const FREE_FAILURES: u64 = 5;
/// Failures from one client IP after which the account is locked for it.
pub const MAX_FAILURES: u64 = 10;
/// Failures from everywhere after which the account is locked for every unknown browser.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 100;
/// The window failures are counted in, seconds.
pub const WINDOW: i64 = 15 * 60;
/// How long a browser stays known to an account after a sign-in, seconds.
pub const KNOWN_BROWSER_TTL: i64 = 90 * 86_400;

/// Whose guesses an attempt counts against.
pub enum Subject<'a> {
    /// An existing account; `browser` when this browser signed in to it before.
    Account { user_id: &'a str, browser: Option<&'a str> },
    /// A name no account has (folded as stored names are).
    UnknownName,
}

/// One sign-in attempt: where it comes from and the name typed.
pub struct Attempt<'a> {
    pub tenant: &'a str,
    /// The typed name, folded.
    pub name: &'a str,
    pub ip: &'a str,
    pub now: i64,
}

/// What may happen with an attempt.
pub enum Gate {
    /// Check the password; report the result to `succeeded` when it was right.
    Open(Ticket),
    /// Too soon after the last failure: try again in this many seconds.
    Wait(i64),
    /// Too many failures in this window.
    Locked,
    /// Locked or paced through another name of the account: answer exactly like a wrong
    /// password (do the same work), without checking it.
    Masked,
}

/// The counter an admitted attempt was counted under.
pub struct Ticket {
    failures: Counter,
}

/// A counter: its key, and whether it is durable (account) or in the session store.
#[derive(Clone)]
struct Counter {
    key: String,
    durable: bool,
}

fn digest_key(raw: &str) -> String {
    // Digested: bounded length whatever the name, and no name in any table.
    hex(&digest(raw))
}

struct Stores<'a> {
    counters: &'a dyn CounterStore,
    sessions: &'a Sessions,
}

impl Stores<'_> {
    async fn count(&self, c: &Counter, now: i64) -> Result<u64, AppError> {
        if c.durable { self.counters.count(&c.key, now).await } else { Ok(self.sessions.get::<u64>(Kind::Counter, &c.key).await?.unwrap_or(0)) }
    }
    async fn hit(&self, c: &Counter, window: i64, now: i64) -> Result<u64, AppError> {
        if c.durable { self.counters.hit(&c.key, window, now).await } else { self.sessions.incr(Kind::Counter, &c.key, window).await }
    }
    async fn clear(&self, c: &Counter) -> Result<(), AppError> {
        if c.durable { self.counters.clear(&c.key).await } else { self.sessions.delete(Kind::Counter, &c.key).await }
    }
}

/// The pacing of a counter: durable, so that it follows the same clock as the counter it
/// paces (it is only written once a name or account has failed `FREE_FAILURES` times).
fn pace(c: &Counter) -> Counter {
    Counter { key: digest_key(&format!("pace|{}", c.key)), durable: true }
}

/// Seconds between attempts once `failures` have been counted.
fn delay(failures: u64) -> i64 {
    if failures < FREE_FAILURES { 0 } else { 1i64 << (failures - FREE_FAILURES + 1).min(10) }
}

/// Counts an attempt against `subject` before its password is checked.
pub async fn admit(counters: &dyn CounterStore, sessions: &Sessions, a: Attempt<'_>, subject: Subject<'_>) -> Result<Gate, AppError> {
    let stores = Stores { counters, sessions };
    let t = a.tenant;
    // The typed name's own count (per IP), for what the answer may show; durable for the
    // names of accounts (as their locks are), in the session store for names without one.
    let is_account = matches!(subject, Subject::Account { .. });
    let name = Counter { key: digest_key(&format!("login|{t}|name|{}|ip|{}", a.name, a.ip)), durable: is_account };
    let (primary, ceiling) = match subject {
        Subject::Account { user_id, browser } => {
            let generation = crate::identity::lockout::generation(counters, t, user_id, a.now).await?;
            let base = format!("login|{t}|account|{user_id}|{generation}");
            match browser {
                Some(b) => (Counter { key: digest_key(&format!("{base}|browser|{b}")), durable: true }, None),
                None => (
                    Counter { key: digest_key(&format!("{base}|ip|{}", a.ip)), durable: true },
                    Some(Counter { key: digest_key(&format!("{base}|all")), durable: true }),
                ),
            }
        }
        Subject::UnknownName => (name.clone(), Some(Counter { key: digest_key(&format!("login|{t}|name|{}|all", a.name)), durable: false })),
    };
    let same_counter = primary.key == name.key;
    let named = if same_counter { 0 } else { stores.hit(&name, WINDOW, a.now).await? };
    let shown = |earned: u64| same_counter || named > earned;
    let so_far = stores.count(&primary, a.now).await?;
    let over_ceiling = match &ceiling {
        Some(c) => stores.count(c, a.now).await? >= MAX_FAILURES_PER_ACCOUNT,
        None => false,
    };
    if so_far >= MAX_FAILURES || over_ceiling {
        return Ok(if shown(MAX_FAILURES) { Gate::Locked } else { Gate::Masked });
    }
    let wait = delay(so_far);
    // One attempt per pace window: of concurrent attempts, the first hit takes it.
    if wait > 0 && stores.hit(&pace(&primary), wait, a.now).await? > 1 {
        return Ok(if shown(FREE_FAILURES) { Gate::Wait(wait) } else { Gate::Masked });
    }
    if stores.hit(&primary, WINDOW, a.now).await? > MAX_FAILURES {
        return Ok(if shown(MAX_FAILURES) { Gate::Locked } else { Gate::Masked });
    }
    if let Some(c) = &ceiling
        && stores.hit(c, WINDOW, a.now).await? > MAX_FAILURES_PER_ACCOUNT
    {
        return Ok(if shown(MAX_FAILURES) { Gate::Locked } else { Gate::Masked });
    }
    Ok(Gate::Open(Ticket { failures: primary }))
}

/// The password was right: the counter it was checked under starts again.
pub async fn succeeded(counters: &dyn CounterStore, sessions: &Sessions, ticket: Ticket) -> Result<(), AppError> {
    let stores = Stores { counters, sessions };
    stores.clear(&ticket.failures).await?;
    stores.clear(&pace(&ticket.failures)).await
}

/// A new password was set (reset, administrator): the account is unlocked everywhere, for
/// every IP and browser at once (its counters start a new generation, kept by identity).
pub use crate::identity::lockout::unlock;

/// Attempts at the account within the window from browsers that never signed in to it,
/// from every IP (the ceiling counter `admit` keeps; the attempt being made counts too):
/// what the adaptive MFA policy calls recent failures.
pub async fn unknown_browser_attempts(counters: &dyn CounterStore, tenant: &str, user_id: &str, now: i64) -> Result<u64, AppError> {
    let generation = crate::identity::lockout::generation(counters, tenant, user_id, now).await?;
    counters.count(&digest_key(&format!("login|{tenant}|account|{user_id}|{generation}|all")), now).await
}

fn browser_id(user_id: &str, browser: &str) -> String {
    format!("{user_id}:{browser}")
}

/// Whether this browser (the digest of its id cookie) signed in to the account before.
pub async fn known_browser(sessions: &Sessions, user_id: &str, browser: &str) -> Result<bool, AppError> {
    if browser.is_empty() {
        return Ok(false);
    }
    sessions.exists(Kind::KnownBrowser, &browser_id(user_id, browser)).await
}

/// Remembers that this browser signed in to the account.
pub async fn remember_browser(sessions: &Sessions, user_id: &str, browser: &str) -> Result<(), AppError> {
    if browser.is_empty() {
        return Ok(());
    }
    sessions.put(Kind::KnownBrowser, &browser_id(user_id, browser), &true, KNOWN_BROWSER_TTL).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_are_paced_after_the_free_ones() {
        let delays: Vec<i64> = (0..MAX_FAILURES).map(delay).collect();
        assert_eq!(delays, vec![0, 0, 0, 0, 0, 2, 4, 8, 16, 32]);
    }
}
