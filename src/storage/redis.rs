//! Redis session store. A connection manager reconnects by itself; every command has a
//! timeout, so an outage turns into `AppError::Unavailable` (503) quickly, never a hang.
//!
//! Expiry follows the injected clock, as in the memory store: each value is stored with its
//! deadline (`<deadline> <value>`, seconds since the epoch by `Clock::now`), and a value
//! whose deadline has passed reads as absent. Redis's own TTL is set to the same lifetime
//! and only collects the garbage: with the system clock both agree, and a test clock that
//! runs ahead makes values expire before Redis drops them, as they should.
use async_trait::async_trait;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::sync::Arc;
use std::time::Duration;

use super::Result;
use super::session::SessionStore;
use crate::clock::Clock;
use crate::error::AppError;

pub struct RedisStore {
    conn: ConnectionManager,
    prefix: String,
    clock: Arc<dyn Clock>,
}

/// Fixed-window counter by the caller's clock. KEYS[1] holds `<deadline> <count>` (the
/// stored form of every value, so `get` reads a counter as its count); ARGV[1] is now,
/// ARGV[2] the window in seconds. A passed deadline starts a new window; later increments
/// never extend it (KEEPTTL, Redis 6). A bare count (written before deadlines were stored)
/// keeps its window from its Redis TTL. Atomic, as a script: concurrent increments never
/// lose a count or open two windows.
const INCR_SCRIPT: &str = r"
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local raw = redis.call('GET', KEYS[1])
local deadline, n = nil, 0
if raw then
  local space = string.find(raw, ' ', 1, true)
  if space then
    deadline = tonumber(string.sub(raw, 1, space - 1))
    n = tonumber(string.sub(raw, space + 1)) or 0
  else
    n = tonumber(raw) or 0
    local left = redis.call('TTL', KEYS[1])
    if left > 0 then deadline = now + left end
  end
end
if deadline == nil or deadline <= now then
  deadline = now + ttl
  redis.call('SET', KEYS[1], string.format('%d %d', deadline, 1), 'EX', ttl)
  return 1
end
n = n + 1
redis.call('SET', KEYS[1], string.format('%d %d', deadline, n), 'KEEPTTL')
return n
";

/// The stored form of a value: its deadline, a space, the value.
fn with_deadline(deadline: i64, value: &[u8]) -> Vec<u8> {
    let mut out = format!("{deadline} ").into_bytes();
    out.extend_from_slice(value);
    out
}

/// The value of a stored form if its deadline is still ahead of `now`. A record without a
/// deadline was written before deadlines were stored (a node of an older version during a
/// rolling upgrade): it is live, bounded by its Redis TTL as it was then. Reading it as
/// absent would fail open for revocation markers (`Kind::UserEpoch`: a password reset on an
/// old node must still end the sessions new nodes check). Stored values are JSON or bare
/// counts, so none of them starts with digits and a space by itself.
fn live(raw: Option<Vec<u8>>, now: i64) -> Option<Vec<u8>> {
    let raw = raw?;
    let deadline = raw
        .iter()
        .position(|b| *b == b' ')
        .and_then(|space| Some((std::str::from_utf8(&raw[..space]).ok()?.parse::<i64>().ok()?, space)));
    match deadline {
        Some((deadline, space)) => (deadline > now).then(|| raw[space + 1..].to_vec()),
        None => Some(raw),
    }
}

fn unavailable(e: redis::RedisError) -> AppError {
    AppError::unavailable(crate::error::Service::SessionStore, e)
}

impl RedisStore {
    /// `clock` decides when values expire (see the module comment).
    pub async fn connect(url: &str, prefix: &str, clock: Arc<dyn Clock>) -> Result<Self> {
        let client = redis::Client::open(url).map_err(unavailable)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(2))
            .set_response_timeout(Duration::from_secs(2))
            .set_number_of_retries(2)
            .set_max_delay(1000);
        let conn = ConnectionManager::new_with_config(client, config).await.map_err(unavailable)?;
        Ok(Self { conn, prefix: prefix.to_owned(), clock })
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

#[async_trait]
impl SessionStore for RedisStore {
    async fn put(&self, key: &str, value: Vec<u8>, ttl_secs: i64) -> Result<()> {
        let ttl = ttl_secs.max(1);
        redis::cmd("SET")
            .arg(self.key(key))
            .arg(with_deadline(self.clock.now() + ttl, &value))
            .arg("EX")
            .arg(ttl)
            .query_async::<()>(&mut self.conn.clone())
            .await
            .map_err(unavailable)
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let raw = redis::cmd("GET").arg(self.key(key)).query_async(&mut self.conn.clone()).await.map_err(unavailable)?;
        Ok(live(raw, self.clock.now()))
    }

    async fn consume(&self, key: &str) -> Result<Option<Vec<u8>>> {
        // GETDEL even when expired: the value is spent either way.
        let raw = redis::cmd("GETDEL").arg(self.key(key)).query_async(&mut self.conn.clone()).await.map_err(unavailable)?;
        Ok(live(raw, self.clock.now()))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        redis::cmd("DEL").arg(self.key(key)).query_async::<()>(&mut self.conn.clone()).await.map_err(unavailable)
    }

    async fn incr(&self, key: &str, ttl_secs: i64) -> Result<u64> {
        redis::cmd("EVAL")
            .arg(INCR_SCRIPT)
            .arg(1)
            .arg(self.key(key))
            .arg(self.clock.now())
            .arg(ttl_secs.max(1))
            .query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)
    }

    async fn set_add(&self, key: &str, member: &str, ttl_secs: i64) -> Result<()> {
        // A sorted set scored by each member's deadline (by the injected clock): members
        // past it read as absent and are dropped here; EXPIRE (the lifetime from the newest
        // addition) only collects the garbage. One transaction.
        let (key, ttl, now) = (self.key(key), ttl_secs.max(1), self.clock.now());
        redis::pipe()
            .atomic()
            .cmd("ZREMRANGEBYSCORE")
            .arg(&key)
            .arg("-inf")
            .arg(now)
            .ignore()
            .cmd("ZADD")
            .arg(&key)
            .arg(now + ttl)
            .arg(member)
            .ignore()
            .cmd("EXPIRE")
            .arg(&key)
            .arg(ttl)
            .ignore()
            .query_async::<()>(&mut self.conn.clone())
            .await
            .map_err(unavailable)
    }

    async fn set_members(&self, key: &str) -> Result<Vec<String>> {
        // Members whose deadline is still ahead: `(now` is exclusive.
        redis::cmd("ZRANGEBYSCORE")
            .arg(self.key(key))
            .arg(format!("({}", self.clock.now()))
            .arg("+inf")
            .query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)
    }

    async fn set_remove(&self, key: &str, member: &str) -> Result<()> {
        redis::cmd("ZREM").arg(self.key(key)).arg(member).query_async::<()>(&mut self.conn.clone()).await.map_err(unavailable)
    }

    async fn ping(&self) -> Result<()> {
        redis::cmd("PING").query_async::<()>(&mut self.conn.clone()).await.map_err(unavailable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn redis_store_passes_the_session_store_suite() {
        let url = std::env::var("PORTCULLIS_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
        let prefix = format!("pc-test-{}:", uuid::Uuid::new_v4());
        let clock = Arc::new(crate::clock::OffsetClock::default());
        let store = Arc::new(RedisStore::connect(&url, &prefix, clock.clone()).await.expect("Redis for tests (scripts/test starts it)"));
        // Expiry follows the injected clock, as on every backend: no waiting for Redis.
        crate::storage::session::suite::run(store, |s| clock.advance(s)).await;
    }

    #[test]
    fn values_carry_their_deadline() {
        let stored = with_deadline(100, b"{\"a\":1}");
        assert_eq!(stored, b"100 {\"a\":1}");
        assert_eq!(live(Some(stored.clone()), 99).as_deref(), Some(&b"{\"a\":1}"[..]));
        assert_eq!(live(Some(stored), 100), None);
        // Written by an older node, without a deadline: live (its Redis TTL bounds it), so a
        // revocation marker of that node is honoured.
        assert_eq!(live(Some(b"{\"written\":\"before deadlines\"}".to_vec()), 0).as_deref(), Some(&b"{\"written\":\"before deadlines\"}"[..]));
        assert_eq!(live(Some(b"1733050000000".to_vec()), i64::MAX).as_deref(), Some(&b"1733050000000"[..]));
        assert_eq!(live(None, 0), None);
    }
}
