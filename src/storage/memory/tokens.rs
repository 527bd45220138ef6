//! Grants, refresh tokens, the access-token denylist, signing keys and counters on
//! `MemoryDb`.
use async_trait::async_trait;

use super::{MemoryDb, RefreshRow};
use crate::error::AppError;
use crate::storage::{CounterStore, Grant, GrantStore, Health, Housekeeping, KeyStore, MAX_COUNTER_KEY, RefreshOutcome, Result, StoredKey, TenantId};

fn revoke(d: &mut super::Data, grant_id: &str, now: i64) {
    if let Some(g) = d.grants.get_mut(grant_id)
        && g.revoked_at.is_none()
    {
        g.revoked_at = Some(now);
    }
    // Spent tokens are kept so that a later replay is still recognised as reuse.
    for r in d.refresh.values_mut().filter(|r| r.grant_id == grant_id) {
        r.expires_at = r.expires_at.min(now);
    }
}

#[async_trait]
impl GrantStore for MemoryDb {
    async fn create(&self, grant: &Grant, refresh: Option<([u8; 32], i64)>) -> Result<()> {
        let mut d = self.lock()?;
        if d.grants.contains_key(&grant.id) {
            return Err(AppError::Conflict("id".into()));
        }
        d.grants.insert(grant.id.clone(), grant.clone());
        if let Some((hash, expires_at)) = refresh {
            d.refresh.insert(hash, RefreshRow { grant_id: grant.id.clone(), expires_at, used: false });
        }
        Ok(())
    }

    async fn get(&self, grant_id: &str) -> Result<Option<Grant>> {
        Ok(self.lock()?.grants.get(grant_id).cloned())
    }

    async fn rotate(&self, presented: [u8; 32], successor: [u8; 32], expires_at: i64, now: i64) -> Result<RefreshOutcome> {
        let mut d = self.lock()?;
        let Some(token) = d.refresh.get(&presented) else {
            return Ok(RefreshOutcome::Invalid);
        };
        let grant_id = token.grant_id.clone();
        let Some(grant) = d.grants.get(&grant_id).cloned() else {
            return Ok(RefreshOutcome::Invalid);
        };
        if token.used {
            // RFC 9700 §4.14.2: a spent refresh token presented again revokes the family.
            revoke(&mut d, &grant_id, now);
            return Ok(RefreshOutcome::Reused { grant_id });
        }
        if token.expires_at <= now || grant.revoked_at.is_some() {
            return Ok(RefreshOutcome::Invalid);
        }
        if let Some(t) = d.refresh.get_mut(&presented) {
            t.used = true;
        }
        d.refresh.insert(successor, RefreshRow { grant_id, expires_at, used: false });
        Ok(RefreshOutcome::Rotated(Box::new(grant)))
    }

    async fn find_by_refresh(&self, hash: [u8; 32], now: i64) -> Result<Option<Grant>> {
        let d = self.lock()?;
        let Some(t) = d.refresh.get(&hash).filter(|t| !t.used && t.expires_at > now) else {
            return Ok(None);
        };
        Ok(d.grants.get(&t.grant_id).filter(|g| g.revoked_at.is_none()).cloned())
    }

    async fn revoke_family(&self, grant_id: &str, now: i64) -> Result<()> {
        revoke(&mut *self.lock()?, grant_id, now);
        Ok(())
    }

    async fn revoke_user(&self, tenant: &TenantId, user_id: &str, now: i64) -> Result<u64> {
        let mut d = self.lock()?;
        let live: Vec<String> = d.grants.values().filter(|g| g.tenant_id == *tenant && g.user_id == user_id && g.revoked_at.is_none()).map(|g| g.id.clone()).collect();
        for id in &live {
            revoke(&mut d, id, now);
        }
        Ok(live.len() as u64)
    }

    async fn revoke_access_token(&self, jti: &str, expires_at: i64) -> Result<()> {
        self.lock()?.denylist.entry(jti.to_owned()).or_insert(expires_at);
        Ok(())
    }

    async fn access_token_live(&self, jti: &str, grant_id: Option<&str>) -> Result<bool> {
        let d = self.lock()?;
        let denied = d.denylist.contains_key(jti);
        let grant_live = grant_id.is_none_or(|g| d.grants.get(g).is_some_and(|g| g.revoked_at.is_none()));
        Ok(!denied && grant_live)
    }
}

#[async_trait]
impl KeyStore for MemoryDb {
    async fn all(&self) -> Result<Vec<StoredKey>> {
        let mut keys = self.lock()?.keys.clone();
        keys.sort_by(|a, b| (b.created_at, &b.kid).cmp(&(a.created_at, &a.kid)));
        Ok(keys)
    }

    async fn rotate(&self, new_keys: Vec<StoredKey>, now: i64) -> Result<()> {
        let mut d = self.lock()?;
        for k in new_keys {
            for old in d.keys.iter_mut().filter(|o| o.alg == k.alg && o.retired_at.is_none()) {
                old.retired_at = Some(now);
            }
            d.keys.push(StoredKey { retired_at: None, ..k });
        }
        Ok(())
    }
}

fn counter_key(key: &str) -> Result<&str> {
    if key.len() > MAX_COUNTER_KEY {
        return Err(AppError::Internal(format!("counter key of {} bytes (at most {MAX_COUNTER_KEY})", key.len())));
    }
    Ok(key)
}

#[async_trait]
impl CounterStore for MemoryDb {
    async fn hit(&self, key: &str, window: i64, now: i64) -> Result<u64> {
        let key = counter_key(key)?;
        let mut d = self.lock()?;
        let ends = now.saturating_add(window.max(1));
        let c = d.counters.entry(key.to_owned()).or_insert((0, ends));
        if c.1 <= now {
            *c = (0, ends);
        }
        c.0 += 1;
        Ok(c.0)
    }

    async fn count(&self, key: &str, now: i64) -> Result<u64> {
        let key = counter_key(key)?;
        Ok(self.lock()?.counters.get(key).filter(|c| c.1 > now).map_or(0, |c| c.0))
    }

    async fn clear(&self, key: &str) -> Result<()> {
        let key = counter_key(key)?;
        self.lock()?.counters.remove(key);
        Ok(())
    }
}

#[async_trait]
impl Housekeeping for MemoryDb {
    async fn purge_expired(&self, now: i64) -> Result<u64> {
        let mut d = self.lock()?;
        let before = d.denylist.len() + d.counters.len();
        d.denylist.retain(|_, exp| *exp > now);
        d.counters.retain(|_, c| c.1 > now);
        Ok((before - d.denylist.len() - d.counters.len()) as u64)
    }
}

#[async_trait]
impl Health for MemoryDb {
    async fn ping(&self) -> Result<()> {
        self.lock().map(|_| ())
    }
}
