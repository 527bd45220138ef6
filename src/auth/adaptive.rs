//! The adaptive MFA policy (`mfa.policy: adaptive`): a sign-in is asked for a second factor
//! when something about it is new or odd, and the reason is recorded in the audit trail.
//!
//! - `new_device`: the browser does not present a valid device cookie of this user. The
//!   cookie (`pc_device`, `HttpOnly; SameSite=Lax`, `Secure` on https, long-lived) is set
//!   after a completed multi-factor sign-in: a random id and an HMAC-SHA256 (RFC 2104) over
//!   the tenant, the user id and that id under a server key, so it cannot be forged, and a
//!   cookie made for one user counts for no other (nor in another tenant). One cookie holds
//!   one user: a browser shared by two users keeps the last one's.
//! - `new_network`: the client IP's network (/24 for IPv4, /64 for IPv6) did not complete a
//!   multi-factor sign-in of this user in the last 90 days. Networks are kept in the
//!   session store (shared by every node; only a digest of tenant, user and network).
//! - `recent_failures`: the sign-in throttle counted `RECENT_FAILURES` or more attempts at
//!   the account from browsers it does not know within its window (`throttle::WINDOW`) —
//!   someone else may be trying the password.
//!
//! An administrator's reset of the user's factors (`forget`) forgets every device and
//! network of the user at once: each is made for the user's current generation.
//!
//! Who may do what: only the engine asks (`Risk::assess`) and only after the user's first
//! factor; only a completed sign-in that counts as two factors is remembered
//! (`Risk::remember`, called by the engine). Nothing here lets a browser skip a factor by
//! what it sends: a cookie is only believed with a valid MAC for this user. When the
//! session store loses its data (the server key with it), every device is new again: the
//! failure asks for more, never less.
use async_trait::async_trait;
use sha2::{Digest, Sha256};

use super::engine::{Risk, Signals};
use super::throttle;
use crate::clock::Clock;
use crate::crypto::{ct_eq, digest, hex, random_bytes, random_token};
use crate::error::AppError;
use crate::model::TenantId;
use crate::storage::session::{Kind, Sessions};
use crate::storage::{AuditEvent, AuditStore, CounterStore};

/// The device cookie's name.
pub const DEVICE_COOKIE: &str = "pc_device";
/// Lifetime of a device cookie, seconds (browsers keep a cookie at most 400 days).
pub const DEVICE_TTL: i64 = 400 * 86_400;
/// How long a network stays known after a completed multi-factor sign-in from it, seconds.
pub const NETWORK_TTL: i64 = 90 * 86_400;
/// Attempts from unknown browsers within the throttle's window that make a sign-in risky.
pub const RECENT_FAILURES: u64 = 3;
/// How long the server key lives in the session store, seconds (a new one voids every
/// device cookie: they are asked for a second factor once more).
const KEY_TTL: i64 = 10 * 365 * 86_400;
const KEY_ID: &str = "key";

pub const NEW_DEVICE: &str = "new_device";
pub const NEW_NETWORK: &str = "new_network";
pub const FAILURES: &str = "recent_failures";

/// HMAC-SHA256 (RFC 2104 with SHA-256, block size 64 bytes).
fn hmac_sha256(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(key);
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

/// The server key of device cookies, shared by every node through the session store:
/// made by the first node that needs it (of two racing nodes the last write stays, and
/// cookies made under the other key are merely asked again).
async fn server_key(sessions: &Sessions) -> Result<[u8; 32], AppError> {
    if let Some(k) = sessions.get::<String>(Kind::Device, KEY_ID).await?.as_deref().and_then(crate::crypto::unhex32) {
        return Ok(k);
    }
    sessions.put(Kind::Device, KEY_ID, &hex(&random_bytes::<32>()), KEY_TTL).await?;
    sessions.get::<String>(Kind::Device, KEY_ID).await?.as_deref().and_then(crate::crypto::unhex32).ok_or_else(|| AppError::internal("device key not stored"))
}

/// What a device cookie and a known network are made for: a user of a tenant, in the
/// user's current generation (`forget` starts a new one).
struct Holder<'a> {
    tenant: &'a TenantId,
    user_id: &'a str,
    generation: u64,
}

fn mac(key: &[u8; 32], h: &Holder<'_>, id: &str) -> String {
    // Length-prefixed fields: no two (tenant, user, generation, id) give the same message.
    let message = format!("pc-device-v1|{}:{}|{}:{}|{}|{id}", h.tenant.as_str().len(), h.tenant, h.user_id.len(), h.user_id, h.generation);
    hex(&hmac_sha256(key, message.as_bytes()))
}

/// Whether `cookie` is a device cookie made for this holder.
fn known_device(key: &[u8; 32], h: &Holder<'_>, cookie: Option<&str>) -> bool {
    let Some((id, tag)) = cookie.filter(|c| c.len() <= 128).and_then(|c| c.split_once('.')) else {
        return false;
    };
    ct_eq(mac(key, h, id).as_bytes(), tag.as_bytes())
}

fn generation_id(tenant: &TenantId, user_id: &str) -> String {
    format!("gen:{}", hex(&digest(&format!("{tenant}|{user_id}"))))
}

async fn holder<'a>(sessions: &Sessions, tenant: &'a TenantId, user_id: &'a str) -> Result<Holder<'a>, AppError> {
    let generation = sessions.get::<u64>(Kind::Counter, &generation_id(tenant, user_id)).await?.unwrap_or(0);
    Ok(Holder { tenant, user_id, generation })
}

/// Forgets every device and network of the user (an administrator reset the user's
/// factors): the next sign-in under the adaptive policy asks for a second factor.
pub async fn forget(sessions: &Sessions, tenant: &TenantId, user_id: &str) -> Result<(), AppError> {
    sessions.incr(Kind::Counter, &generation_id(tenant, user_id), KEY_TTL).await.map(|_| ())
}

/// The network of a client IP: its /24 (IPv4) or /64 (IPv6); an address that does not
/// parse stands for itself.
pub fn network(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(a)) => {
            let o = a.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        Ok(std::net::IpAddr::V6(a)) => match a.to_ipv4_mapped() {
            Some(v4) => network(&v4.to_string()),
            None => {
                let s = a.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => format!("ip {ip}"),
    }
}

fn network_id(h: &Holder<'_>, ip: &str) -> String {
    format!("net:{}", hex(&digest(&format!("{}|{}|{}|{}", h.tenant, h.user_id, h.generation, network(ip)))))
}

/// Why a sign-in of `user_id` at `at` looks risky, first reason first; `None`: nothing new
/// or odd.
pub async fn risk(sessions: &Sessions, counters: &dyn CounterStore, now: i64, tenant: &TenantId, user_id: &str, at: &Signals<'_>) -> Result<Option<&'static str>, AppError> {
    let key = server_key(sessions).await?;
    let h = holder(sessions, tenant, user_id).await?;
    if !known_device(&key, &h, at.device) {
        return Ok(Some(NEW_DEVICE));
    }
    if !sessions.exists(Kind::Device, &network_id(&h, at.ip)).await? {
        return Ok(Some(NEW_NETWORK));
    }
    if throttle::unknown_browser_attempts(counters, tenant, user_id, now).await? >= RECENT_FAILURES {
        return Ok(Some(FAILURES));
    }
    Ok(None)
}

/// `user_id` completed a multi-factor sign-in at `at`: the network is known for 90 days
/// more; returns a new device cookie value unless the browser holds a valid one already.
pub async fn remember(sessions: &Sessions, tenant: &TenantId, user_id: &str, at: &Signals<'_>) -> Result<Option<String>, AppError> {
    let h = holder(sessions, tenant, user_id).await?;
    sessions.put(Kind::Device, &network_id(&h, at.ip), &true, NETWORK_TTL).await?;
    let key = server_key(sessions).await?;
    if known_device(&key, &h, at.device) {
        return Ok(None);
    }
    let id = random_token(18);
    Ok(Some(format!("{id}.{}", mac(&key, &h, &id))))
}

/// The adaptive policy over the app's stores, as the engine's `Risk`.
pub struct Adaptive<'a> {
    pub sessions: &'a Sessions,
    pub counters: &'a dyn CounterStore,
    pub audit: &'a dyn AuditStore,
    pub clock: &'a dyn Clock,
}

#[async_trait]
impl Risk for Adaptive<'_> {
    async fn assess(&self, tenant: &TenantId, user_id: &str, at: &Signals<'_>) -> Result<Option<String>, AppError> {
        let now = self.clock.now();
        let Some(reason) = risk(self.sessions, self.counters, now, tenant, user_id, at).await? else {
            return Ok(None);
        };
        // The engine assesses at each step of a sign-in: the reason is recorded once per
        // user, reason, browser and network within a flow's lifetime.
        let seen = format!("asked:{}", hex(&digest(&format!("{tenant}|{user_id}|{reason}|{}|{}", at.browser, network(at.ip)))));
        if self.sessions.incr(Kind::Device, &seen, 900).await? == 1 {
            let detail = serde_json::json!({ "reason": reason, "network": network(at.ip) });
            let event = AuditEvent { tenant_id: tenant.clone(), actor: format!("user:{user_id}"), action: "user.mfa_required".into(), subject: user_id.to_owned(), detail };
            if let Err(e) = self.audit.record(event, now).await {
                tracing::error!(error = %e, "audit event not recorded");
            }
        }
        Ok(Some(reason.to_owned()))
    }

    async fn remember(&self, tenant: &TenantId, user_id: &str, at: &Signals<'_>) -> Result<Option<String>, AppError> {
        remember(self.sessions, tenant, user_id, at).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // RFC 4231 §4.3 (test case 2) uses a 4-byte key; ours are 32 bytes, zero-padded
        // exactly as HMAC pads short keys, so "Jefe" padded with zeros gives the same MAC.
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        assert_eq!(hex(&hmac_sha256(&key, b"what do ya want for nothing?")), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn networks_are_slash_24_and_slash_64() {
        assert_eq!(network("203.0.113.7"), "203.0.113.0/24");
        assert_eq!(network("203.0.113.250"), network("203.0.113.7"));
        assert_ne!(network("203.0.114.7"), network("203.0.113.7"));
        assert_eq!(network("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
        assert_eq!(network("::ffff:203.0.113.7"), "203.0.113.0/24");
    }

    #[test]
    fn a_device_cookie_counts_for_its_user_only() {
        let key = [7u8; 32];
        let (acme, other) = (TenantId::new("acme"), TenantId::new("other"));
        let h = |tenant, user_id, generation| Holder { tenant, user_id, generation };
        let cookie = format!("abc.{}", mac(&key, &h(&acme, "u1", 0), "abc"));
        assert!(known_device(&key, &h(&acme, "u1", 0), Some(&cookie)));
        assert!(!known_device(&key, &h(&acme, "u2", 0), Some(&cookie)), "another user");
        assert!(!known_device(&key, &h(&other, "u1", 0), Some(&cookie)), "another tenant");
        assert!(!known_device(&key, &h(&acme, "u1", 1), Some(&cookie)), "forgotten");
        assert!(!known_device(&[8u8; 32], &h(&acme, "u1", 0), Some(&cookie)), "another key");
        let u1 = h(&acme, "u1", 0);
        assert!(!known_device(&key, &u1, Some("abc.00")) && !known_device(&key, &u1, None) && !known_device(&key, &u1, Some("garbage")));
    }
}
