//! Single sign-on sessions: the record behind the session cookie, and the per-user index
//! the self-service portal lists and ends sessions from.
//!
//! A session is stored under the digest of its cookie value (the value itself is never
//! stored), with its `Authentication`; the user's index holds those digests. Who may do
//! what: the browser holding the cookie uses its session; the user (portal) or an
//! administrator may list and end the user's sessions by `SessionRef`, which is a digest
//! and cannot be turned back into a cookie.
use crate::error::AppError;
use crate::protocol::types::Authentication;
use crate::storage::session::{Kind, Sessions};
use crate::crypto::hex;
use crate::crypto::digest;
use crate::model::TenantId;

/// The stored key of a session: the digest of its cookie value.
pub fn key_of(cookie_value: &str) -> String {
    hex(&digest(cookie_value))
}

fn index_id(tenant: &TenantId, user_id: &str) -> String {
    format!("{tenant}/{user_id}")
}

/// One session of a user, as the portal lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRef {
    /// The session's stored key (a digest), what `end` takes.
    pub key: String,
    pub auth: Authentication,
}

/// Stores a session under `key` and adds it to its user's index.
pub async fn put(sessions: &Sessions, key: &str, auth: &Authentication, ttl: i64) -> Result<(), AppError> {
    sessions.put(Kind::Session, key, auth, ttl).await?;
    sessions.index_add(Kind::UserSessions, &index_id(&auth.tenant_id, &auth.user_id), key, ttl).await
}

/// The session under `key`, whatever its state (see `valid`).
pub async fn get(sessions: &Sessions, key: &str) -> Result<Option<Authentication>, AppError> {
    sessions.get(Kind::Session, key).await
}

/// Removes the session under `key` (a sign-out, a replaced session).
pub async fn remove(sessions: &Sessions, key: &str) -> Result<(), AppError> {
    if let Some(a) = get(sessions, key).await? {
        sessions.index_remove(Kind::UserSessions, &index_id(&a.tenant_id, &a.user_id), key).await?;
    }
    sessions.delete(Kind::Session, key).await
}

/// The valid session behind a cookie value, if it belongs to this tenant and workspace
/// (single sign-on is per workspace).
pub async fn current(sessions: &Sessions, tenant: &TenantId, workspace: &str, cookie: Option<&str>) -> Result<Option<Authentication>, AppError> {
    let Some(v) = cookie else {
        return Ok(None);
    };
    let Some(auth) = get(sessions, &key_of(v)).await?.filter(|a| a.tenant_id == *tenant && a.workspace_id == workspace) else {
        return Ok(None);
    };
    Ok(valid(sessions, &auth).await?.then_some(auth))
}

/// Whether no revocation (a password reset, a status change) happened since the session
/// was made.
pub async fn valid(sessions: &Sessions, auth: &Authentication) -> Result<bool, AppError> {
    let Some(epoch) = sessions.get::<i64>(Kind::UserEpoch, &auth.user_id).await? else {
        return Ok(true);
    };
    // Markers written before they had milliseconds hold seconds (a count of seconds since
    // 1970 stays below 10^11 until the year 5138), as do sessions of that time.
    let epoch_ms = if epoch < 100_000_000_000 { epoch * 1000 + 999 } else { epoch };
    let made_ms = if auth.session_ms > 0 { auth.session_ms } else { auth.auth_time * 1000 };
    Ok(made_ms > epoch_ms)
}

/// The user's live sessions. Entries whose session expired or was revoked (a password
/// reset, a status change) are dropped from the index.
pub async fn list(sessions: &Sessions, tenant: &TenantId, user_id: &str) -> Result<Vec<SessionRef>, AppError> {
    let id = index_id(tenant, user_id);
    let mut out = vec![];
    for key in sessions.index_members(Kind::UserSessions, &id).await? {
        let live = get(sessions, &key).await?.filter(|a| a.user_id == user_id && a.tenant_id == *tenant);
        match live {
            Some(auth) if valid(sessions, &auth).await? => out.push(SessionRef { key, auth }),
            _ => sessions.index_remove(Kind::UserSessions, &id, &key).await?,
        }
    }
    out.sort_by_key(|s| s.auth.session_ms);
    Ok(out)
}

/// Ends one session of the user. `false`: the user has no such session (another user's
/// key ends nothing).
pub async fn end(sessions: &Sessions, tenant: &TenantId, user_id: &str, key: &str) -> Result<bool, AppError> {
    match get(sessions, key).await? {
        Some(a) if a.user_id == user_id && a.tenant_id == *tenant => {
            remove(sessions, key).await?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::OffsetClock;
    use std::sync::Arc;

    fn auth(user: &str, sid: &str, ms: i64) -> Authentication {
        Authentication { tenant_id: crate::model::TenantId::new("t"), workspace_id: "w".into(), user_id: user.into(), auth_time: 1, sid: sid.into(), acr: "a".into(), amr: vec!["pwd".into()], session_ms: ms, factors: vec!["password".into()] }
    }

    #[tokio::test]
    async fn a_user_lists_and_ends_only_their_own_sessions() {
        let s = Sessions::new(Arc::new(crate::storage::memory::MemoryStore::new(Arc::new(OffsetClock::default()))));
        put(&s, &key_of("c1"), &auth("u", "s1", 1), 60).await.unwrap();
        put(&s, &key_of("c2"), &auth("u", "s2", 2), 60).await.unwrap();
        put(&s, &key_of("c3"), &auth("v", "s3", 3), 60).await.unwrap();
        let mine = list(&s, &TenantId::new("t"), "u").await.unwrap();
        assert_eq!(mine.iter().map(|r| r.auth.sid.as_str()).collect::<Vec<_>>(), ["s1", "s2"]);
        assert!(!end(&s, &TenantId::new("t"), "u", &key_of("c3")).await.unwrap(), "another user's session");
        assert!(end(&s, &TenantId::new("t"), "u", &mine[0].key).await.unwrap());
        assert_eq!(list(&s, &TenantId::new("t"), "u").await.unwrap().len(), 1);
        assert!(get(&s, &key_of("c1")).await.unwrap().is_none());
        assert!(get(&s, &key_of("c3")).await.unwrap().is_some());
    }
}
