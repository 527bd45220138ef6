//! In-process session store: the embedded default for a single node.
use async_trait::async_trait;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use crate::storage::Result;
use crate::storage::session::SessionStore;
use crate::clock::Clock;
use crate::error::AppError;

/// Value and expiry (seconds since the epoch) by key.
type Entries = HashMap<String, (Vec<u8>, i64)>;
/// Members and expiry by key.
type Sets = HashMap<String, (BTreeSet<String>, i64)>;

pub struct MemoryStore {
    clock: Arc<dyn Clock>,
    entries: Mutex<Entries>,
    sets: Mutex<Sets>,
}

impl MemoryStore {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self { clock, entries: Mutex::new(HashMap::new()), sets: Mutex::new(HashMap::new()) }
    }

    fn sets(&self) -> Result<std::sync::MutexGuard<'_, Sets>> {
        self.sets.lock().map_err(|_| AppError::internal("memory session store poisoned"))
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Entries>> {
        self.entries.lock().map_err(|_| AppError::internal("memory session store poisoned"))
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn put(&self, key: &str, value: Vec<u8>, ttl_secs: i64) -> Result<()> {
        let now = self.clock.now();
        let mut map = self.lock()?;
        // Sweep expired entries now and then so the map stays bounded by live state.
        if map.len() > 1024 && map.len().is_power_of_two() {
            map.retain(|_, (_, exp)| *exp > now);
        }
        map.insert(key.to_owned(), (value, now + ttl_secs));
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let now = self.clock.now();
        Ok(self.lock()?.get(key).filter(|(_, exp)| *exp > now).map(|(v, _)| v.clone()))
    }

    async fn consume(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let now = self.clock.now();
        Ok(self.lock()?.remove(key).filter(|(_, exp)| *exp > now).map(|(v, _)| v))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        self.lock()?.remove(key);
        Ok(())
    }

    async fn incr(&self, key: &str, ttl_secs: i64) -> Result<u64> {
        let now = self.clock.now();
        let mut map = self.lock()?;
        let entry = map.entry(key.to_owned()).or_insert_with(|| (b"0".to_vec(), now + ttl_secs));
        if entry.1 <= now {
            *entry = (b"0".to_vec(), now + ttl_secs);
        }
        let n = std::str::from_utf8(&entry.0).ok().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) + 1;
        entry.0 = n.to_string().into_bytes();
        Ok(n)
    }

    async fn set_add(&self, key: &str, member: &str, ttl_secs: i64) -> Result<()> {
        let now = self.clock.now();
        let mut sets = self.sets()?;
        if sets.len() > 1024 && sets.len().is_power_of_two() {
            sets.retain(|_, (_, exp)| *exp > now);
        }
        let entry = sets.entry(key.to_owned()).or_insert_with(|| (BTreeSet::new(), now));
        if entry.1 <= now {
            entry.0.clear();
        }
        entry.0.insert(member.to_owned());
        entry.1 = now + ttl_secs;
        Ok(())
    }

    async fn set_members(&self, key: &str) -> Result<Vec<String>> {
        let now = self.clock.now();
        Ok(self.sets()?.get(key).filter(|(_, exp)| *exp > now).map(|(m, _)| m.iter().cloned().collect()).unwrap_or_default())
    }

    async fn set_remove(&self, key: &str, member: &str) -> Result<()> {
        if let Some((m, _)) = self.sets()?.get_mut(key) {
            m.remove(member);
        }
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        self.lock().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::OffsetClock;

    #[tokio::test]
    async fn memory_store_passes_the_session_store_suite() {
        let clock = Arc::new(OffsetClock::default());
        let store = Arc::new(MemoryStore::new(clock.clone()));
        crate::storage::session::suite::run(store, |s| clock.advance(s)).await;
    }
}
