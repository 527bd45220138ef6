//! Redis session store. A connection manager reconnects by itself; every command has a
//! timeout, so an outage turns into `AppError::SessionStore` (503) quickly, never a hang.
use async_trait::async_trait;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;

use super::Result;
use super::session::SessionStore;
use crate::error::AppError;

pub struct RedisStore {
    conn: ConnectionManager,
    prefix: String,
}

fn unavailable(e: redis::RedisError) -> AppError {
    AppError::SessionStore(e.to_string())
}

impl RedisStore {
    pub async fn connect(url: &str, prefix: &str) -> Result<Self> {
        let client = redis::Client::open(url).map_err(unavailable)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(2))
            .set_response_timeout(Duration::from_secs(2))
            .set_number_of_retries(2)
            .set_max_delay(1000);
        let conn = ConnectionManager::new_with_config(client, config).await.map_err(unavailable)?;
        Ok(Self { conn, prefix: prefix.to_owned() })
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

#[async_trait]
impl SessionStore for RedisStore {
    async fn put(&self, key: &str, value: Vec<u8>, ttl_secs: i64) -> Result<()> {
        redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("EX")
            .arg(ttl_secs.max(1))
            .query_async::<()>(&mut self.conn.clone())
            .await
            .map_err(unavailable)
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        redis::cmd("GET").arg(self.key(key)).query_async(&mut self.conn.clone()).await.map_err(unavailable)
    }

    async fn consume(&self, key: &str) -> Result<Option<Vec<u8>>> {
        redis::cmd("GETDEL").arg(self.key(key)).query_async(&mut self.conn.clone()).await.map_err(unavailable)
    }

    async fn delete(&self, key: &str) -> Result<()> {
        redis::cmd("DEL").arg(self.key(key)).query_async::<()>(&mut self.conn.clone()).await.map_err(unavailable)
    }

    async fn incr(&self, key: &str, ttl_secs: i64) -> Result<u64> {
        // INCR and EXPIRE NX in one transaction: the window starts at the first increment.
        let key = self.key(key);
        let (n,): (u64,) = redis::pipe()
            .atomic()
            .cmd("INCR")
            .arg(&key)
            .cmd("EXPIRE")
            .arg(&key)
            .arg(ttl_secs)
            .arg("NX")
            .ignore()
            .query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)?;
        Ok(n)
    }

    async fn set_add(&self, key: &str, member: &str, ttl_secs: i64) -> Result<()> {
        // SADD and EXPIRE in one transaction: the index lives as long as its newest member.
        let key = self.key(key);
        redis::pipe()
            .atomic()
            .cmd("SADD")
            .arg(&key)
            .arg(member)
            .ignore()
            .cmd("EXPIRE")
            .arg(&key)
            .arg(ttl_secs.max(1))
            .ignore()
            .query_async::<()>(&mut self.conn.clone())
            .await
            .map_err(unavailable)
    }

    async fn set_members(&self, key: &str) -> Result<Vec<String>> {
        redis::cmd("SMEMBERS").arg(self.key(key)).query_async(&mut self.conn.clone()).await.map_err(unavailable)
    }

    async fn set_remove(&self, key: &str, member: &str) -> Result<()> {
        redis::cmd("SREM").arg(self.key(key)).arg(member).query_async::<()>(&mut self.conn.clone()).await.map_err(unavailable)
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
        let store = Arc::new(RedisStore::connect(&url, &prefix).await.expect("Redis for tests (scripts/test starts it)"));
        // Redis keeps real time: the suite's TTL check waits for it.
        crate::storage::session::suite::run(store, |s| std::thread::sleep(Duration::from_millis(s as u64 * 1000 + 100))).await;
    }
}
