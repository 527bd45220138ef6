//! The TOTP factor (RFC 6238): an authenticator app's 6-digit codes, HMAC-SHA1, 30-second
//! steps, as every common app computes them.
//!
//! - The seed is 20 random bytes (RFC 4226 §4 R6: at least 128 bits, 160 recommended),
//!   encrypted at rest (`identity::secrets`, bound to tenant and user). The credential's
//!   secret is JSON: the sealed seed and the last time step a code was accepted for.
//! - A code is accepted for the previous, the current or the next step only (RFC 6238
//!   §5.2: at most one step of network delay and clock drift, each way); the time is the
//!   injected `Clock`'s.
//! - Replay: RFC 6238 §5.2, "the verifier MUST NOT accept the second attempt of the same
//!   OTP after the successful validation has been issued for the first OTP". A code of a
//!   step at or before the last one used is refused, and a use is recorded with
//!   `CredentialStore::touch`, a compare-and-set of the secret: of two concurrent uses of
//!   one code (on any nodes) only the one whose swap lands passes.
//! - Key rotation: a seed sealed with an old key is re-sealed with the current one at its
//!   next use (in the same compare-and-set).
//!
//! Who may do what: a user enrols only during a sign-in whose flow lets them enrol
//! (`Flow::enrols`, checked by the page), proving possession with a code of the new seed;
//! the check only reads and touches the challenged user's TOTP credential.
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, TOTP};

use crate::auth::second::{Ports, SecondFactor};
use crate::crypto::{ct_eq, random_bytes};
use crate::error::AppError;
use crate::identity::secrets::SecretKeys;
use crate::model::TenantId;
use crate::storage::identity::{CredentialKind, CredentialStore, NewCredential, Replace};

pub const DIGITS: usize = 6;
pub const STEP: i64 = 30;
pub const SEED_BYTES: usize = 20;

/// The stored secret of a TOTP credential.
#[derive(Serialize, Deserialize)]
struct Stored {
    /// The seed, sealed (`SecretKeys::seal`).
    seed: String,
    /// The last time step a code was accepted for (enrolment included).
    last_step: i64,
}

/// A new random seed.
pub fn new_seed() -> Vec<u8> {
    random_bytes::<SEED_BYTES>().to_vec()
}

fn totp(seed: &[u8]) -> Result<TOTP, AppError> {
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP as u64, seed.to_vec()).map_err(|e| AppError::internal(format!("totp: {e}")))
}

/// The seed as authenticator apps take it typed in: base32 without padding (RFC 4648 §6).
pub fn base32(seed: &[u8]) -> Result<String, AppError> {
    Ok(totp(seed)?.get_secret_base32())
}

/// The Key URI apps read from a QR code:
/// `otpauth://totp/{issuer}:{account}?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`.
pub fn otpauth_uri(issuer: &str, account: &str, seed: &[u8]) -> Result<String, AppError> {
    // The label's separator is ':'; neither part may hold one.
    let clean = |s: &str| s.replace(':', " ");
    let (issuer, account) = (clean(issuer), clean(account));
    let label: String = url::form_urlencoded::byte_serialize(format!("{issuer}:{account}").as_bytes()).collect::<String>().replace('+', "%20");
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("secret", &base32(seed)?)
        .append_pair("issuer", &issuer)
        .append_pair("algorithm", "SHA1")
        .append_pair("digits", &DIGITS.to_string())
        .append_pair("period", &STEP.to_string())
        .finish()
        .replace('+', "%20");
    Ok(format!("otpauth://totp/{label}?{query}"))
}

/// The step among the previous, current and next whose code is `code` (each compared in
/// constant time, all three always computed).
pub fn matching_step(seed: &[u8], code: &str, now: i64) -> Result<Option<i64>, AppError> {
    let t = totp(seed)?;
    let current = now.div_euclid(STEP);
    let mut found = None;
    for step in [current - 1, current, current + 1] {
        let at = u64::try_from(step * STEP).unwrap_or(0);
        if ct_eq(t.generate(at).as_bytes(), code.as_bytes()) && found.is_none() {
            found = Some(step);
        }
    }
    Ok(found)
}

fn context(tenant: &TenantId, user_id: &str) -> String {
    format!("totp|{tenant}|{user_id}")
}

/// A code as typed, without the spaces some apps show in the middle.
pub fn clean(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Seals a seed that is being enrolled, for keeping it server-side until the user confirms.
pub fn seal_pending(keys: &SecretKeys, tenant: &TenantId, user_id: &str, flow_id: &str, seed: &[u8]) -> Result<String, AppError> {
    keys.seal(seed, &format!("totp-pending|{tenant}|{user_id}|{flow_id}"))
}

pub fn open_pending(keys: &SecretKeys, tenant: &TenantId, user_id: &str, flow_id: &str, sealed: &str) -> Result<Vec<u8>, AppError> {
    keys.open(sealed, &format!("totp-pending|{tenant}|{user_id}|{flow_id}"))
}

/// Enrols `seed` for the user if `code` is one of it now (possession proven); the step
/// of that code counts as used. False: the code does not match (nothing stored).
pub async fn enrol(credentials: &dyn CredentialStore, keys: &SecretKeys, tenant: &TenantId, user_id: &str, seed: &[u8], code: &str, now: i64) -> Result<bool, AppError> {
    let code = clean(code);
    if !well_formed(&code) {
        return Ok(false);
    }
    let Some(step) = matching_step(seed, &code, now)? else {
        return Ok(false);
    };
    let stored = Stored { seed: keys.seal(seed, &context(tenant, user_id))?, last_step: step };
    let secret = serde_json::to_string(&stored)?;
    // One authenticator app per user: a new one replaces the old.
    credentials.add(tenant, NewCredential { user_id, kind: CredentialKind::TOTP, secret: &secret, source_sha256: None }, Replace::Live, now).await?;
    Ok(true)
}

fn well_formed(code: &str) -> bool {
    code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit())
}

pub struct Totp;

#[async_trait]
impl SecondFactor for Totp {
    fn name(&self) -> &'static str {
        crate::auth::assurance::TOTP
    }

    fn well_formed(&self, code: &str) -> bool {
        well_formed(&clean(code))
    }

    async fn check(&self, ports: &Ports<'_>, tenant: &TenantId, user_id: &str, code: &str) -> Result<bool, AppError> {
        let code = clean(code);
        for c in ports.credentials.list(tenant, user_id, CredentialKind::TOTP).await?.into_iter().filter(|c| !c.retired) {
            let stored: Stored = serde_json::from_str(&c.secret).map_err(|e| AppError::corrupt("totp credential").because(e))?;
            let ctx = context(tenant, user_id);
            let seed = ports.secrets.open(&stored.seed, &ctx)?;
            let Some(step) = matching_step(&seed, &code, ports.now)? else {
                continue;
            };
            if step <= stored.last_step {
                // RFC 6238 §5.2: a code (or an earlier one) already accepted is refused.
                return Ok(false);
            }
            let sealed = if ports.secrets.is_old(&stored.seed) { ports.secrets.seal(&seed, &ctx)? } else { stored.seed };
            let next = serde_json::to_string(&Stored { seed: sealed, last_step: step })?;
            // Compare-and-set: a concurrent use of the same code swapped it first.
            return ports.credentials.touch(tenant, user_id, CredentialKind::TOTP, &c.secret, Some(&next), ports.now).await;
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_appendix_b_sha1_vectors() {
        // RFC 6238 Appendix B: the 20-byte ASCII seed "12345678901234567890", 8 digits;
        // the last 6 digits are the 6-digit code.
        let t = TOTP::new(Algorithm::SHA1, 8, 1, 30, b"12345678901234567890".to_vec()).unwrap();
        assert_eq!(t.generate(59), "94287082");
        assert_eq!(t.generate(1_111_111_109), "07081804");
        let seed = b"12345678901234567890";
        assert_eq!(matching_step(seed, "287082", 59).unwrap(), Some(1));
        assert_eq!(matching_step(seed, "287082", 59 + 30).unwrap(), Some(1), "the previous step");
        assert_eq!(matching_step(seed, "287082", 59 - 30).unwrap(), Some(1), "the next step");
        assert_eq!(matching_step(seed, "287082", 59 + 60).unwrap(), None, "two steps late");
    }

    #[tokio::test]
    async fn a_code_passes_once_and_a_seed_sealed_with_an_old_key_is_resealed() {
        use crate::storage::memory::{MemoryDb, MemoryStore};
        use std::sync::Arc;
        let db = MemoryDb::new();
        let sessions = crate::storage::session::Sessions::new(Arc::new(MemoryStore::new(Arc::new(crate::clock::OffsetClock::default()))));
        use crate::storage::UserStore;
        let (t, seed, now) = (TenantId::new("t"), b"12345678901234567890".to_vec(), 1_000_020);
        let u = db.create_user(&t, &crate::storage::contract::new_user(&t, "p", "u", None), 1).await.unwrap().id;
        let old = SecretKeys::new([1; 32], &[]);
        let code = |at: i64| totp(&seed).unwrap().generate(at as u64);
        // Enrolment needs a code of the seed now; its step counts as used.
        assert!(!enrol(&db, &old, &t, &u, &seed, "000000", now).await.unwrap() || code(now) == "000000");
        assert!(enrol(&db, &old, &t, &u, &seed, &code(now), now).await.unwrap());
        let rotated = SecretKeys::new([2; 32], &[[1; 32]]);
        let ports = |now| Ports { credentials: &db, counters: &db, sessions: &sessions, audit: &db, secrets: &rotated, now };
        assert!(!Totp.check(&ports(now), &t, &u, &code(now)).await.unwrap(), "the enrolment's code is used");
        assert!(Totp.check(&ports(now + 30), &t, &u, &code(now + 30)).await.unwrap());
        assert!(!Totp.check(&ports(now + 30), &t, &u, &code(now + 30)).await.unwrap(), "replayed");
        let stored: Stored = serde_json::from_str(&db.list(&t, &u, CredentialKind::TOTP).await.unwrap()[0].secret).unwrap();
        assert!(!rotated.is_old(&stored.seed), "re-sealed with the current key at its use");
        assert!(Totp.check(&ports(now + 60), &t, &u, &code(now + 60)).await.unwrap(), "opens with the current key");
    }

    #[test]
    fn the_uri_names_issuer_and_account_and_carries_the_seed() {
        let uri = otpauth_uri("ACME: Bank", "bob@example.com", b"12345678901234567890").unwrap();
        assert!(uri.starts_with("otpauth://totp/ACME%20%20Bank%3Abob%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20%20Bank&algorithm=SHA1&digits=6&period=30"), "{uri}");
    }
}
