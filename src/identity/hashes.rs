//! Password hashes an import may bring from an old system. They are verified at sign-in
//! and then replaced by an argon2id hash with the server's parameters ([`is_current`] says
//! when a stored hash needs that).
//!
//! Accepted formats:
//! - **argon2** in PHC form: `$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>`, also `$argon2i$`
//!   and `$argon2d$`, versions 16 and 19, with memory at most 64 MiB, memory × passes at
//!   most 256 MiB (e.g. 64 MiB × 4, 19 MiB × 13) and at most 8 lanes;
//! - **bcrypt** in modular crypt form: `$2a$`, `$2b$` or `$2y$`, cost 4 to 13
//!   (`$2a$12$<22 characters of salt><31 characters of hash>`, 60 characters in all);
//!   passwords longer than 72 bytes are truncated, as every bcrypt implementation does;
//! - **PBKDF2-HMAC-SHA256** in PHC form as the `pbkdf2` crate writes it:
//!   `$pbkdf2-sha256$i=<iterations>,l=<length>$<salt>$<hash>`, salt and hash in unpadded
//!   standard base64 (PHC string format); `l`, when present, must match the hash length.
//!   Python passlib's `pbkdf2_sha256` form is accepted too:
//!   `$pbkdf2-sha256$<iterations>$<salt>$<hash>` in passlib's "ab64" alphabet (`.` in place
//!   of `+`). Iterations from 1,000 to 1,500,000, a salt of 1 to 1,024 bytes, a hash of 16
//!   to 64 bytes.
//!
//! Why the cost bounds: a sign-in attempt verifies the stored hash before it knows whether
//! the password is right, so anyone who knows a login name can make the server run that
//! hash's cost at will. One imported bcrypt hash of cost 31 (days of CPU), PBKDF2 with
//! 10 million iterations or argon2 with 1 GiB and 100 passes would let anonymous requests
//! stall the password workers for everyone. The bounds cover the usual settings of other
//! systems (bcrypt 10-12, PBKDF2 at OWASP's 600,000 and Django's 1,200,000, argon2 at
//! RFC 9106's 64 MiB × 3) at about a second of work at most. They apply at import (the row
//! is refused with the reason) and again at every verification (a stored hash beyond them
//! never runs; the user resets the password).
//!
//! Anything else (MD5-crypt, SHA-crypt, bare hex digests, `$2x$`, …) is refused with a reason
//! by [`parse`], so an import reports the row instead of storing a hash nobody can sign in
//! with.
use argon2::password_hash::{self, PasswordHash, PasswordVerifier};
use base64::Engine as _;
use subtle::ConstantTimeEq;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Argon2,
    Bcrypt,
    Pbkdf2Sha256,
}

const PBKDF2_PREFIX: &str = "$pbkdf2-sha256$";
const PBKDF2_ITERATIONS: std::ops::RangeInclusive<u32> = 1_000..=1_500_000;
const BCRYPT_COST: std::ops::RangeInclusive<u32> = 4..=13;
/// Bounds for argon2 parameters (memory in KiB): 64 MiB, 256 MiB·passes, 8 lanes.
const ARGON2_MAX_M_KIB: u32 = 64 * 1024;
const ARGON2_MAX_M_T_KIB: u64 = 256 * 1024;
const ARGON2_MAX_P: u32 = 8;

/// Whether argon2 parameters are within the bounds every verification may spend.
pub fn argon2_cost_ok(params: &argon2::Params) -> bool {
    params.m_cost() <= ARGON2_MAX_M_KIB && u64::from(params.m_cost()) * u64::from(params.t_cost()) <= ARGON2_MAX_M_T_KIB && params.p_cost() <= ARGON2_MAX_P
}

/// A PBKDF2-SHA256 hash, decoded.
struct Pbkdf2 {
    rounds: u32,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

/// Unpadded standard base64, also in passlib's "ab64" alphabet (`.` for `+`); trailing `=`
/// padding is tolerated.
fn b64(what: &str, s: &str) -> Result<Vec<u8>, String> {
    let s = s.trim_end_matches('=').replace('.', "+");
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(s)
        .map_err(|e| format!("PBKDF2-SHA256: the {what} is not valid base64 ({e})"))
}

fn parse_pbkdf2(hash: &str) -> Result<Pbkdf2, String> {
    let rest = hash
        .strip_prefix(PBKDF2_PREFIX)
        .ok_or("PBKDF2-SHA256: missing $pbkdf2-sha256$ prefix")?;
    let [params, salt, out] = rest.split('$').collect::<Vec<_>>()[..] else {
        return Err(
            "PBKDF2-SHA256: expected $pbkdf2-sha256$i=<iterations>,l=<length>$<salt>$<hash>".into(),
        );
    };
    let (rounds, length) = if params.bytes().all(|b| b.is_ascii_digit()) {
        // passlib: the bare iteration count.
        (params.parse::<u32>().ok(), None)
    } else {
        let (mut rounds, mut length) = (None, None);
        for kv in params.split(',') {
            match kv.split_once('=') {
                Some(("i", v)) if rounds.is_none() => {
                    rounds = Some(
                        v.parse::<u32>()
                            .map_err(|_| format!("PBKDF2-SHA256: bad iteration count {v:?}"))?,
                    );
                }
                Some(("l", v)) if length.is_none() => {
                    length = Some(
                        v.parse::<usize>()
                            .map_err(|_| format!("PBKDF2-SHA256: bad length {v:?}"))?,
                    );
                }
                _ => return Err(format!("PBKDF2-SHA256: unexpected parameter {kv:?}")),
            }
        }
        (rounds, length)
    };
    let rounds = rounds.ok_or("PBKDF2-SHA256: the iteration count is missing or too large")?;
    if !PBKDF2_ITERATIONS.contains(&rounds) {
        return Err(format!(
            "PBKDF2-SHA256: {rounds} iterations; 1,000 to 1,500,000 are accepted"
        ));
    }
    let (salt, out) = (b64("salt", salt)?, b64("hash", out)?);
    if salt.is_empty() || salt.len() > 1024 {
        return Err("PBKDF2-SHA256: the salt must be 1 to 1,024 bytes".into());
    }
    if !(16..=64).contains(&out.len()) {
        return Err(format!(
            "PBKDF2-SHA256: a hash of {} bytes; 16 to 64 are accepted",
            out.len()
        ));
    }
    if length.is_some_and(|l| l != out.len()) {
        return Err("PBKDF2-SHA256: l= does not match the length of the hash".into());
    }
    Ok(Pbkdf2 {
        rounds,
        salt,
        hash: out,
    })
}

/// Parses an argon2 PHC string and checks everything verification will need, so that a
/// hash accepted here never fails to verify for a reason other than the password.
fn parse_argon2(hash: &str) -> Result<PasswordHash<'_>, String> {
    let parsed =
        PasswordHash::new(hash).map_err(|e| format!("argon2: not a valid PHC string ({e})"))?;
    argon2::Algorithm::try_from(parsed.algorithm)
        .map_err(|_| format!("argon2: unknown variant {:?}", parsed.algorithm.as_str()))?;
    if let Some(v) = parsed.version {
        argon2::Version::try_from(v).map_err(|_| format!("argon2: unknown version {v}"))?;
    }
    if parsed.salt.is_none() || parsed.hash.is_none() {
        return Err("argon2: salt and hash expected".into());
    }
    let params =
        argon2::Params::try_from(&parsed).map_err(|e| format!("argon2: bad parameters ({e})"))?;
    if !argon2_cost_ok(&params) {
        return Err(format!(
            "argon2: m={}, t={}, p={} is beyond the accepted cost (memory at most 64 MiB, memory × passes at most 256 MiB, at most 8 lanes)",
            params.m_cost(),
            params.t_cost(),
            params.p_cost()
        ));
    }
    Ok(parsed)
}

fn is_bcrypt(hash: &str) -> bool {
    ["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p))
}

/// Recognises and parses a stored or imported hash. The error says why a hash is none of
/// the accepted formats, or how it is malformed (bcrypt cost outside 4 to 31, bad base64,
/// PBKDF2 iterations out of range, …), so an import can reject the row with a clear reason.
pub fn parse(hash: &str) -> Result<Scheme, String> {
    if hash.starts_with("$argon2") {
        parse_argon2(hash)?;
        Ok(Scheme::Argon2)
    } else if is_bcrypt(hash) {
        let parts: bcrypt::HashParts = hash.parse().map_err(|e| format!("bcrypt: {e}"))?;
        if !BCRYPT_COST.contains(&parts.get_cost()) {
            return Err(format!(
                "bcrypt: cost {}; 4 to 13 are accepted",
                parts.get_cost()
            ));
        }
        Ok(Scheme::Bcrypt)
    } else if hash.starts_with(PBKDF2_PREFIX) {
        parse_pbkdf2(hash)?;
        Ok(Scheme::Pbkdf2Sha256)
    } else {
        Err("not an accepted password hash: argon2 ($argon2id$…), bcrypt ($2a$, $2b$, $2y$) or PBKDF2-SHA256 ($pbkdf2-sha256$…) expected".into())
    }
}

/// Verifies `password` against a hash in any accepted format, comparing in constant time.
/// `Ok(false)` is a wrong password; `Err` is a hash [`parse`] refuses. Blocking CPU work:
/// run it on the blocking pool.
pub fn verify(password: &str, hash: &str) -> Result<bool, String> {
    match parse(hash)? {
        Scheme::Argon2 => {
            let parsed = parse_argon2(hash)?;
            // Algorithm, version and parameters come from the hash itself.
            match argon2::Argon2::default().verify_password(password.as_bytes(), &parsed) {
                Ok(()) => Ok(true),
                Err(password_hash::Error::Password) => Ok(false),
                Err(e) => Err(format!("argon2: {e}")),
            }
        }
        // The bcrypt crate compares with `subtle`.
        Scheme::Bcrypt => bcrypt::verify(password, hash).map_err(|e| format!("bcrypt: {e}")),
        Scheme::Pbkdf2Sha256 => {
            let p = parse_pbkdf2(hash)?;
            let mut out = vec![0u8; p.hash.len()];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), &p.salt, p.rounds, &mut out);
            Ok(bool::from(out.ct_eq(&p.hash)))
        }
    }
}

/// True when `hash` is argon2id (version 19) with exactly `params`: memory, passes, lanes and
/// output length. Otherwise the caller re-hashes after the next successful sign-in.
pub fn is_current(hash: &str, params: &argon2::Params) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let argon2id = matches!(
        argon2::Algorithm::try_from(parsed.algorithm),
        Ok(argon2::Algorithm::Argon2id)
    );
    if !argon2id || parsed.version != Some(0x13) {
        return false;
    }
    let output_len = params
        .output_len()
        .unwrap_or(argon2::Params::DEFAULT_OUTPUT_LEN);
    argon2::Params::try_from(&parsed).is_ok_and(|p| {
        p.m_cost() == params.m_cost()
            && p.t_cost() == params.t_cost()
            && p.p_cost() == params.p_cost()
            && p.output_len() == Some(output_len)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, SaltString};

    fn argon2id(params: argon2::Params, password: &str) -> String {
        let salt = SaltString::from_b64("c2FsdHNhbHRzYWx0").unwrap();
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password(password.as_bytes(), &salt)
            .unwrap()
            .to_string()
    }

    #[test]
    fn bcrypt_verifies() {
        let h = bcrypt::hash("secret one", 4).unwrap();
        assert!(h.starts_with("$2b$04$"));
        assert_eq!(parse(&h), Ok(Scheme::Bcrypt));
        assert_eq!(verify("secret one", &h), Ok(true));
        assert_eq!(verify("secret two", &h), Ok(false));
        // $2y$ (PHP) and $2a$ carry the same algorithm.
        assert_eq!(
            verify("secret one", &h.replacen("$2b$", "$2y$", 1)),
            Ok(true)
        );
        assert_eq!(
            verify("secret one", &h.replacen("$2b$", "$2a$", 1)),
            Ok(true)
        );
    }

    #[test]
    fn pbkdf2_crate_hash_verifies() {
        let salt = SaltString::from_b64("c2FsdHNhbHRzYWx0").unwrap();
        let params = pbkdf2::Params {
            rounds: 1000,
            output_length: 32,
        };
        let h = pbkdf2::Pbkdf2
            .hash_password_customized(
                b"secret one",
                Some(pbkdf2::Algorithm::Pbkdf2Sha256.ident()),
                None,
                params,
                &salt,
            )
            .unwrap()
            .to_string();
        assert!(h.starts_with("$pbkdf2-sha256$i=1000,l=32$"), "{h}");
        assert_eq!(parse(&h), Ok(Scheme::Pbkdf2Sha256));
        assert_eq!(verify("secret one", &h), Ok(true));
        assert_eq!(verify("secret two", &h), Ok(false));
        // l= must agree with the hash.
        assert!(parse(&h.replace("l=32", "l=16")).is_err());
    }

    #[test]
    fn passlib_hash_verifies() {
        // passlib 1.7.4: pbkdf2_sha256.using(rounds=1000).hash("correct horse"); "ab64" has
        // `.` for `+` in both the salt and the hash here.
        let h = "$pbkdf2-sha256$1000$IIoe31CH.CmTZqKomBQEHw$SbjrOAydqODFRrjhLYeY.1kW04BOYc91P2Y2aYW6eIE";
        assert_eq!(parse(h), Ok(Scheme::Pbkdf2Sha256));
        assert_eq!(verify("correct horse", h), Ok(true));
        assert_eq!(verify("correct horsf", h), Ok(false));
    }

    #[test]
    fn argon2_verifies_whatever_its_parameters() {
        let h = argon2id(argon2::Params::new(8 * 1024, 1, 1, None).unwrap(), "pw");
        assert_eq!(parse(&h), Ok(Scheme::Argon2));
        assert_eq!(verify("pw", &h), Ok(true));
        assert_eq!(verify("pX", &h), Ok(false));
        let salt = SaltString::from_b64("c2FsdHNhbHRzYWx0").unwrap();
        let argon2i = argon2::Argon2::new(
            argon2::Algorithm::Argon2i,
            argon2::Version::V0x10,
            argon2::Params::default(),
        )
        .hash_password(b"pw", &salt)
        .unwrap()
        .to_string();
        assert!(argon2i.starts_with("$argon2i$v=16$"), "{argon2i}");
        assert_eq!(verify("pw", &argon2i), Ok(true));
    }

    #[test]
    fn bad_hashes_are_refused_with_a_reason() {
        let bcrypt_99 = &bcrypt::hash("pw", 4).unwrap().replacen("$04$", "$99$", 1);
        let pbkdf2_i1 =
            "$pbkdf2-sha256$i=1,l=32$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let passlib_i1 =
            "$pbkdf2-sha256$1$IIoe31CH.CmTZqKomBQEHw$SbjrOAydqODFRrjhLYeY.1kW04BOYc91P2Y2aYW6eIE";
        for bad in [
            "",
            "plain",
            "5f4dcc3b5aa765d61d8327deb882cf99",
            "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",
            "$2x$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz12345",
            "$2b$04$short",
            bcrypt_99,
            pbkdf2_i1,
            passlib_i1,
            "$pbkdf2-sha256$i=20000000,l=32$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$pbkdf2-sha256$i=1000,l=32$c2F!sdHNh$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$pbkdf2-sha256$i=1000,x=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0",
            "$argon2id$garbage",
            "$argon2x$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$argon2id$v=19$m=1048576,t=100,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$argon2id$v=19$m=65536,t=5,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$argon2id$v=19$m=19456,t=2,p=16$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$pbkdf2-sha256$i=10000000,l=32$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            let e = parse(bad).expect_err(bad);
            assert!(!e.is_empty());
            assert!(verify("pw", bad).is_err(), "{bad}");
        }
        assert!(parse(bcrypt_99).unwrap_err().contains("cost"));
        assert!(parse(pbkdf2_i1).unwrap_err().contains("iterations"));
        let bcrypt_31 = bcrypt::hash("pw", 4).unwrap().replacen("$04$", "$31$", 1);
        assert!(parse(&bcrypt_31).unwrap_err().contains("cost 31"));
        assert!(parse(&bcrypt::hash("pw", 4).unwrap().replacen("$04$", "$14$", 1)).unwrap_err().contains("cost 14"));
        // The settings of other systems still import.
        for ok in [
            "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$pbkdf2-sha256$i=1200000,l=32$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn only_argon2id_with_the_servers_params_is_current() {
        let params = argon2::Params::new(19 * 1024, 2, 1, None).unwrap();
        assert!(is_current(&argon2id(params.clone(), "pw"), &params));
        for other in [
            argon2::Params::new(8 * 1024, 2, 1, None).unwrap(),
            argon2::Params::new(19 * 1024, 1, 1, None).unwrap(),
            argon2::Params::new(19 * 1024, 2, 2, None).unwrap(),
            argon2::Params::new(19 * 1024, 2, 1, Some(64)).unwrap(),
        ] {
            assert!(!is_current(&argon2id(other, "pw"), &params));
        }
        let salt = SaltString::from_b64("c2FsdHNhbHRzYWx0").unwrap();
        let argon2i = argon2::Argon2::new(
            argon2::Algorithm::Argon2i,
            argon2::Version::V0x13,
            params.clone(),
        )
        .hash_password(b"pw", &salt)
        .unwrap()
        .to_string();
        assert!(!is_current(&argon2i, &params));
        assert!(!is_current(&bcrypt::hash("pw", 4).unwrap(), &params));
        assert!(!is_current("garbage", &params));
    }
}
