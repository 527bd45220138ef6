//! PKCE (RFC 7636), S256 only: `plain` offers no protection against a leaked code.
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::crypto::ct_eq;

/// RFC 7636 §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~].
pub fn valid_verifier_or_challenge(s: &str) -> bool {
    (43..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge.
pub fn verify_s256(verifier: &str, challenge: &str) -> bool {
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    valid_verifier_or_challenge(verifier) && ct_eq(computed.as_bytes(), challenge.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7636_appendix_b_example() {
        assert!(verify_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assert!(!verify_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    #[test]
    fn short_verifiers_are_rejected() {
        assert!(!valid_verifier_or_challenge("short"));
    }
}
