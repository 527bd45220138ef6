//! The session store: short-lived state shared by every node (sign-in sessions,
//! authorization codes, sign-in flows, one-time-code challenges). In memory for one
//! embedded node, Redis in production. Keys are namespaced by kind; values are JSON.
//! Nothing here may be needed after a loss of the store beyond signing users out and
//! restarting what they were doing: revocations and security counters that must survive
//! live in the database (`GrantStore::revoke_access_token`, `CounterStore`).
use async_trait::async_trait;
use serde::{Serialize, de::DeserializeOwned};
use std::sync::Arc;

use super::Result;
use crate::error::AppError;

/// A key-value store with per-key time to live.
///
/// Errors: every method fails with `AppError::Unavailable` when the backend cannot be
/// reached; callers answer 503 and the store recovers by itself.
#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn put(&self, key: &str, value: Vec<u8>, ttl_secs: i64) -> Result<()>;
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>>;
    /// Returns the value and removes it in one atomic step (GETDEL): at most one caller
    /// ever gets a given one-time value.
    async fn consume(&self, key: &str) -> Result<Option<Vec<u8>>>;
    async fn delete(&self, key: &str) -> Result<()>;
    /// Adds one to a counter and returns the new count. The window (`ttl_secs`) starts
    /// with the first increment and is not extended by later ones (fixed-window limits).
    async fn incr(&self, key: &str, ttl_secs: i64) -> Result<u64>;
    /// Adds `member` to the set at `key` (an index, e.g. a user's sessions). The set lives
    /// `ttl_secs` from this addition, so it outlives its newest member's record; members
    /// whose record expired are pruned by whoever lists them.
    async fn set_add(&self, key: &str, member: &str, ttl_secs: i64) -> Result<()>;
    /// The members of the set at `key`, in no particular order (empty if there is none).
    async fn set_members(&self, key: &str) -> Result<Vec<String>>;
    async fn set_remove(&self, key: &str, member: &str) -> Result<()>;
    async fn ping(&self) -> Result<()>;
}

/// Kinds of records, each its own key namespace.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A sign-in flow between /authorize and the redirect back.
    Flow,
    /// A single sign-on session, keyed by the digest of the cookie value.
    Session,
    /// An authorization code, keyed by its digest.
    Code,
    /// The grant an authorization code will create, kept past the code for replay detection.
    CodeGrant,
    /// The CSRF token of a logout confirmation form.
    LogoutCsrf,
    /// The CSRF token of a form outside any flow (password reset), bound to a browser.
    FormCsrf,
    /// A one-time-code challenge (activation, password reset), keyed by challenge id.
    Otp,
    /// Rate-limit and attempt counters.
    Counter,
    /// When a user's sessions were last revoked (a password reset, a status change).
    UserEpoch,
    /// A browser that signed in to an account (sign-in throttling gives it its own counter).
    KnownBrowser,
    /// The index of a user's single sign-on sessions (a set of `Session` keys).
    UserSessions,
    /// Adaptive MFA (`auth::adaptive`): the device cookies' server key, the networks a
    /// user completed a multi-factor sign-in from, which reasons were audited.
    Device,
    /// A WebAuthn ceremony in progress (`auth::passkeys::Ceremony`), keyed by its id.
    Passkey,
    /// Second-factor state of a flow (a TOTP seed being enrolled, recovery codes to show,
    /// a factor that passed and waits for "Continue") and when a locked factor opens.
    SecondFactor,
    /// The theme studio (`studio`): its sign-ins in progress and its sessions.
    Studio,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Flow => "flow:",
            Kind::Session => "sso:",
            Kind::Code => "code:",
            Kind::CodeGrant => "codegrant:",
            Kind::LogoutCsrf => "logout:",
            Kind::Otp => "otp:",
            Kind::FormCsrf => "form:",
            Kind::Counter => "count:",
            Kind::UserEpoch => "epoch:",
            Kind::KnownBrowser => "known:",
            Kind::UserSessions => "usess:",
            Kind::Device => "device:",
            Kind::Passkey => "passkey:",
            Kind::SecondFactor => "mfa:",
            Kind::Studio => "studio:",
        }
    }
}

/// Typed access over any `SessionStore`.
#[derive(Clone)]
pub struct Sessions {
    store: Arc<dyn SessionStore>,
}

impl Sessions {
    pub fn new(store: Arc<dyn SessionStore>) -> Self {
        Self { store }
    }

    fn key(kind: Kind, id: &str) -> String {
        let mut k = String::with_capacity(kind.prefix().len() + id.len());
        k.push_str(kind.prefix());
        k.push_str(id);
        k
    }

    pub async fn put<T: Serialize + Sync>(&self, kind: Kind, id: &str, value: &T, ttl: i64) -> Result<()> {
        self.store.put(&Self::key(kind, id), serde_json::to_vec(value)?, ttl.max(1)).await
    }

    pub async fn get<T: DeserializeOwned>(&self, kind: Kind, id: &str) -> Result<Option<T>> {
        decode(self.store.get(&Self::key(kind, id)).await?)
    }

    pub async fn consume<T: DeserializeOwned>(&self, kind: Kind, id: &str) -> Result<Option<T>> {
        decode(self.store.consume(&Self::key(kind, id)).await?)
    }

    pub async fn exists(&self, kind: Kind, id: &str) -> Result<bool> {
        Ok(self.store.get(&Self::key(kind, id)).await?.is_some())
    }

    pub async fn delete(&self, kind: Kind, id: &str) -> Result<()> {
        self.store.delete(&Self::key(kind, id)).await
    }

    pub async fn incr(&self, kind: Kind, id: &str, ttl: i64) -> Result<u64> {
        self.store.incr(&Self::key(kind, id), ttl.max(1)).await
    }

    pub async fn index_add(&self, kind: Kind, id: &str, member: &str, ttl: i64) -> Result<()> {
        self.store.set_add(&Self::key(kind, id), member, ttl.max(1)).await
    }

    pub async fn index_members(&self, kind: Kind, id: &str) -> Result<Vec<String>> {
        self.store.set_members(&Self::key(kind, id)).await
    }

    pub async fn index_remove(&self, kind: Kind, id: &str, member: &str) -> Result<()> {
        self.store.set_remove(&Self::key(kind, id), member).await
    }

    pub async fn ping(&self) -> Result<()> {
        self.store.ping().await
    }
}

fn decode<T: DeserializeOwned>(raw: Option<Vec<u8>>) -> Result<Option<T>> {
    raw.map(|b| serde_json::from_slice(&b).map_err(|e| AppError::corrupt("session record").because(e))).transpose()
}

/// One test suite for every `SessionStore` implementation.
#[cfg(test)]
pub(crate) mod suite {
    use super::*;

    pub async fn run(store: Arc<dyn SessionStore>, advance: impl Fn(i64)) {
        let s = Sessions::new(store.clone());
        s.put(Kind::Flow, "a", &"one", 60).await.unwrap();
        assert_eq!(s.get::<String>(Kind::Flow, "a").await.unwrap().as_deref(), Some("one"));
        // Kinds do not collide.
        assert_eq!(s.get::<String>(Kind::Code, "a").await.unwrap(), None);

        // consume: exactly once.
        s.put(Kind::Code, "c", &42u32, 60).await.unwrap();
        assert_eq!(s.consume::<u32>(Kind::Code, "c").await.unwrap(), Some(42));
        assert_eq!(s.consume::<u32>(Kind::Code, "c").await.unwrap(), None);

        // consume under contention: one winner.
        s.put(Kind::Code, "race", &1u8, 60).await.unwrap();
        let (a, b) = tokio::join!(s.consume::<u8>(Kind::Code, "race"), s.consume::<u8>(Kind::Code, "race"));
        assert_eq!(a.unwrap().is_some() as u8 + b.unwrap().is_some() as u8, 1);

        s.delete(Kind::Flow, "a").await.unwrap();
        assert!(!s.exists(Kind::Flow, "a").await.unwrap());

        // Counters: fixed window.
        assert_eq!(s.incr(Kind::Counter, "n", 60).await.unwrap(), 1);
        assert_eq!(s.incr(Kind::Counter, "n", 60).await.unwrap(), 2);
        advance(61);
        assert_eq!(s.incr(Kind::Counter, "n", 60).await.unwrap(), 1);

        // Sets (the per-user session index): add, list, remove one, gone after the TTL.
        s.index_add(Kind::UserSessions, "u", "k1", 60).await.unwrap();
        s.index_add(Kind::UserSessions, "u", "k2", 60).await.unwrap();
        s.index_add(Kind::UserSessions, "u", "k1", 60).await.unwrap();
        let mut m = s.index_members(Kind::UserSessions, "u").await.unwrap();
        m.sort();
        assert_eq!(m, ["k1", "k2"]);
        assert!(s.index_members(Kind::UserSessions, "nobody").await.unwrap().is_empty());
        assert!(s.index_members(Kind::Session, "u").await.unwrap().is_empty(), "kinds do not collide");
        s.index_remove(Kind::UserSessions, "u", "k1").await.unwrap();
        assert_eq!(s.index_members(Kind::UserSessions, "u").await.unwrap(), ["k2"]);
        s.index_add(Kind::UserSessions, "short", "k", 1).await.unwrap();

        // TTL: gone after it elapses.
        s.put(Kind::Session, "short", &true, 1).await.unwrap();
        advance(2);
        assert_eq!(s.get::<bool>(Kind::Session, "short").await.unwrap(), None);
        assert!(s.index_members(Kind::UserSessions, "short").await.unwrap().is_empty());
        store.ping().await.unwrap();
    }
}
