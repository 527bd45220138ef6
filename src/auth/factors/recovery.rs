//! Recovery codes: `COUNT` single-use codes a user gets with their first second factor, to
//! sign in once each when that factor is lost.
//!
//! - A code is 16 characters in four groups (`7KQM-2XHD-PW9C-LN4T`) from a 32-character
//!   alphabet without the look-alikes 0, O, 1 and I (`ALPHABET`), drawn uniformly from the
//!   OS generator: 16 · 5 = 80 bits of entropy. Typed codes are upper-cased and their
//!   dashes and spaces dropped.
//! - Stored as SHA-256 of a context (tenant and user) and the code, one credential each.
//!   Why a fast digest is a sound store here (unlike for passwords, which need argon2):
//!   the code is random with 80 bits, not chosen by a person, so there is no dictionary
//!   to try first. Someone holding a copy of the database must search 2^80 / 10 candidates
//!   (the ten codes of one user share a context) for one user's code: at 10^11 SHA-256 per
//!   second (a large GPU farm) that is about 38 000 years, per user, since the tenant and
//!   user in the digest make every precomputed table and every other user's work useless.
//!   Online guessing is bounded by the second-factor throttle (`auth::second`: 5 wrong
//!   codes lock for 15 minutes), ~480 guesses a day against 10 · 2^-80 odds each.
//! - Used with `CredentialStore::consume`: the delete succeeds for exactly one of any
//!   number of concurrent uses of a code, so each code signs in once.
//!
//! Who may do what: codes are made only right after a first enrolment within a sign-in
//! (`http::pages::recovery::after_enrolment`), shown once to that browser's flow; a code
//! is checked only for the flow's challenged user when the flow offers `recovery_code`.
use async_trait::async_trait;

use crate::auth::second::{Ports, SecondFactor};
use crate::crypto::{digest, hex, random_below};
use crate::error::AppError;
use crate::model::TenantId;
use crate::storage::identity::{CredentialKind, CredentialStore, NewCredential, Replace};

/// Codes made at once.
pub const COUNT: usize = 10;
/// 32 letters and digits without the look-alikes 0, O, 1 and I.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const GROUPS: usize = 4;
const GROUP: usize = 4;

/// One new code, grouped for reading (`XXXX-XXXX-XXXX-XXXX`).
fn generate() -> String {
    let mut out = String::with_capacity(GROUPS * (GROUP + 1));
    for g in 0..GROUPS {
        if g > 0 {
            out.push('-');
        }
        for _ in 0..GROUP {
            out.push(char::from(ALPHABET[random_below(ALPHABET.len() as u32) as usize]));
        }
    }
    out
}

/// A code as typed, in its canonical form (upper case, no dashes or spaces); `None` when
/// it cannot be one.
pub fn normalize(typed: &str) -> Option<String> {
    let c: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (c.len() == GROUPS * GROUP && c.bytes().all(|b| ALPHABET.contains(&b))).then_some(c)
}

/// The stored form of a code of this user (see the module docs).
fn stored(tenant: &TenantId, user_id: &str, canonical: &str) -> String {
    hex(&digest(&format!("portcullis recovery code|{tenant}|{user_id}|{canonical}")))
}

/// Makes `COUNT` new codes for the user, replacing any they had; returns them (the only
/// time they exist in plain).
pub async fn create(credentials: &dyn CredentialStore, tenant: &TenantId, user_id: &str, now: i64) -> Result<Vec<String>, AppError> {
    let codes: Vec<String> = (0..COUNT).map(|_| generate()).collect();
    for (i, code) in codes.iter().enumerate() {
        let secret = stored(tenant, user_id, &code.replace('-', ""));
        let replace = if i == 0 { Replace::All } else { Replace::Nothing };
        credentials.add(tenant, NewCredential { user_id, kind: CredentialKind::RECOVERY_CODE, secret: &secret, source_sha256: None }, replace, now).await?;
    }
    Ok(codes)
}

/// How many unused codes the user has.
pub async fn left(credentials: &dyn CredentialStore, tenant: &TenantId, user_id: &str) -> Result<usize, AppError> {
    Ok(credentials.list(tenant, user_id, CredentialKind::RECOVERY_CODE).await?.iter().filter(|c| !c.retired).count())
}

pub struct RecoveryCode;

#[async_trait]
impl SecondFactor for RecoveryCode {
    fn name(&self) -> &'static str {
        crate::auth::assurance::RECOVERY_CODE
    }

    fn well_formed(&self, code: &str) -> bool {
        normalize(code).is_some()
    }

    async fn check(&self, ports: &Ports<'_>, tenant: &TenantId, user_id: &str, code: &str) -> Result<bool, AppError> {
        let Some(canonical) = normalize(code) else {
            return Ok(false);
        };
        // Exactly once: of concurrent uses of one code, one delete succeeds.
        ports.credentials.consume(tenant, user_id, CredentialKind::RECOVERY_CODE, &stored(tenant, user_id, &canonical)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_from_the_alphabet_and_typed_forms_normalize() {
        let c = generate();
        assert_eq!(c.len(), 19);
        assert_eq!(c.matches('-').count(), 3);
        let canonical = normalize(&c).unwrap();
        assert_eq!(normalize(&c.to_lowercase().replace('-', " ")).as_deref(), Some(canonical.as_str()));
        assert!(normalize("0OI1-AAAA-AAAA-AAAA").is_none(), "look-alikes are not in the alphabet");
        assert!(normalize("AAAA-AAAA-AAAA").is_none(), "too short");
        assert_ne!(generate(), generate());
    }

    #[test]
    fn the_stored_form_is_bound_to_tenant_and_user() {
        let t = TenantId::new("t");
        assert_ne!(stored(&t, "u1", "AAAABBBBCCCCDDDD"), stored(&t, "u2", "AAAABBBBCCCCDDDD"));
        assert_ne!(stored(&t, "u1", "AAAABBBBCCCCDDDD"), stored(&TenantId::new("t2"), "u1", "AAAABBBBCCCCDDDD"));
    }
}
