//! Sign-in throttling: how many password guesses an account takes, and how the limit
//! resists being used to lock its owner out.
//!
//! - Failures are counted per account, whatever name was typed (username or email), and per
//!   typed name when no account has it (so an unknown name throttles like a known one and
//!   the limit tells nothing about which accounts exist). Counters live in the database
//!   (`CounterStore`): shared by every node, kept when Redis loses its data.
//! - Every attempt counts before the password is checked (increment first, then compare):
//!   of any number of concurrent guesses, at most `MAX_FAILURES` are ever evaluated.
//! - Progressive delay: the first `FREE_FAILURES` failures in a window are answered at once;
//!   after them an account takes one attempt per 2, 4, 8, 16, 32 seconds; after
//!   `MAX_FAILURES` it is locked until the window (`WINDOW`, from the first failure) ends.
//! - A browser that signed in to the account before has a counter of its own: an attacker
//!   who locks the account from elsewhere does not lock its owner out of the browsers they
//!   use. A new browser of the owner is locked like the attacker's; a password reset unlocks
//!   the account (`unlock`).
//! - A right password clears the counter it was checked under.
use crate::error::AppError;
use crate::storage::session::{Kind, Sessions};
use crate::storage::sql::hex;
use crate::storage::{CounterStore, digest};

/// Failures answered without delay within a window.
pub const FREE_FAILURES: u64 = 5;
/// Failures after which the account (or the browser's own counter) is locked.
pub const MAX_FAILURES: u64 = 10;
/// The window failures are counted in, seconds.
pub const WINDOW: i64 = 15 * 60;
/// How long a browser stays known to an account after a sign-in, seconds.
pub const KNOWN_BROWSER_TTL: i64 = 90 * 86_400;

/// Whose guesses an attempt counts against.
pub enum Subject<'a> {
    /// An existing account; `browser` when this browser signed in to it before.
    Account { user_id: &'a str, browser: Option<&'a str> },
    /// A name no account has (lower-cased).
    UnknownName(&'a str),
}

/// What may happen with an attempt.
pub enum Gate {
    /// Check the password; report the result to `succeeded` when it was right.
    Open(Ticket),
    /// Too soon after the last failure: try again in this many seconds (not counted).
    Wait(i64),
    /// Too many failures in this window.
    Locked,
}

/// The counters an admitted attempt was counted under.
pub struct Ticket {
    failures: String,
}

fn key(tenant: &str, subject: &Subject<'_>) -> String {
    // Digested: bounded length whatever the name, and no name in the table.
    let raw = match subject {
        Subject::Account { user_id, browser: None } => format!("login|{tenant}|account|{user_id}"),
        Subject::Account { user_id, browser: Some(b) } => format!("login|{tenant}|account|{user_id}|browser|{b}"),
        Subject::UnknownName(name) => format!("login|{tenant}|name|{name}"),
    };
    hex(&digest(&raw))
}

fn pace_key(failures: &str) -> String {
    format!("pace|{failures}")
}

/// Seconds between attempts once `failures` have been counted.
fn delay(failures: u64) -> i64 {
    if failures < FREE_FAILURES { 0 } else { 1i64 << (failures - FREE_FAILURES + 1).min(10) }
}

/// Counts an attempt against `subject` before its password is checked.
pub async fn admit(counters: &dyn CounterStore, tenant: &str, subject: Subject<'_>, now: i64) -> Result<Gate, AppError> {
    let failures = key(tenant, &subject);
    let so_far = counters.count(&failures, now).await?;
    if so_far >= MAX_FAILURES {
        return Ok(Gate::Locked);
    }
    let wait = delay(so_far);
    // One attempt per pace window: of concurrent attempts, the first hit takes it.
    if wait > 0 && counters.hit(&pace_key(&failures), wait, now).await? > 1 {
        return Ok(Gate::Wait(wait));
    }
    if counters.hit(&failures, WINDOW, now).await? > MAX_FAILURES {
        return Ok(Gate::Locked);
    }
    Ok(Gate::Open(Ticket { failures }))
}

/// The password was right: the counter it was checked under starts again.
pub async fn succeeded(counters: &dyn CounterStore, ticket: Ticket) -> Result<(), AppError> {
    counters.clear(&ticket.failures).await?;
    counters.clear(&pace_key(&ticket.failures)).await
}

/// A new password was set (reset, administrator): the account is unlocked everywhere.
pub async fn unlock(counters: &dyn CounterStore, tenant: &str, user_id: &str) -> Result<(), AppError> {
    let failures = key(tenant, &Subject::Account { user_id, browser: None });
    counters.clear(&failures).await?;
    counters.clear(&pace_key(&failures)).await
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
        let a = key("t", &Subject::Account { user_id: "u", browser: None });
        let b = key("t", &Subject::Account { user_id: "u", browser: Some("b") });
        let n = key("t", &Subject::UnknownName("u"));
        assert!(a != b && a != n && a.len() == 64);
    }
}
