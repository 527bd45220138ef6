//! Time is injected so that expiry rules can be tested without sleeping.
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> i64;
    /// Milliseconds since the Unix epoch, for ordering events within a second (a session
    /// made just after a revocation in the same second).
    fn now_ms(&self) -> i64 {
        self.now() * 1000
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

#[allow(clippy::disallowed_methods, reason = "the one reader of the wall clock; everything else is given a `Clock`")]
impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    }
    fn now_ms(&self) -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
    }
}

/// The system clock shifted by an adjustable offset: tests move time forward with it.
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset: AtomicI64,
}

impl OffsetClock {
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> i64 {
        SystemClock.now() + self.offset.load(Ordering::SeqCst)
    }
    fn now_ms(&self) -> i64 {
        SystemClock.now_ms() + self.offset.load(Ordering::SeqCst) * 1000
    }
}
