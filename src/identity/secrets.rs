//! Encryption at rest of second-factor secrets (TOTP seeds): AES-256-GCM with a key from
//! configuration, so that a copy of the database alone does not let anyone compute a
//! user's codes.
//!
//! - The key: `totp_key` / `PORTCULLIS_TOTP_KEY`, 32 bytes as 64 hex digits or base64.
//!   Unset, a key is generated once and kept in the data directory (`totp_key_file`,
//!   default `data/totp.key`, mode 0600), so `serve` needs no setting; a cluster must give
//!   every node the same key (set it, or share the file).
//! - A sealed value is `v1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`: the key id (the
//!   first 8 hex digits of a digest of the key, which tells nothing about the key) says
//!   which key opens it, so keys can rotate: the new key seals, the old ones listed in
//!   `totp_old_keys` still open (docs/secrets.md describes the rotation).
//! - Every value is bound to its context (tenant, user and purpose) as associated data:
//!   a sealed seed copied to another user's row does not open there.
//! - A fresh random 96-bit nonce per sealing (NIST SP 800-38D §8.2.2: random nonces stay
//!   safe for up to 2^32 sealings under one key, far more than seeds ever enrolled).
//!
//! Who may do what: only the server holds the key; nothing here logs a key, a seed or a
//! plaintext, and `Debug` shows the key ids only.
use base64::Engine;
use openssl::symm::{Cipher, decrypt_aead, encrypt_aead};
use std::path::Path;

use crate::crypto::{hex, random_bytes, unhex32};
use crate::error::AppError;

const VERSION: &str = "v1";
const NONCE: usize = 12;
const TAG: usize = 16;

struct Key {
    id: String,
    bytes: [u8; 32],
}

impl Key {
    fn new(bytes: [u8; 32]) -> Key {
        // A digest of a domain label and the key: identifies it without revealing it.
        let mut labelled = b"portcullis secret key id|".to_vec();
        labelled.extend_from_slice(&bytes);
        let id = hex(&openssl::sha::sha256(&labelled))[..8].to_owned();
        Key { id, bytes }
    }
}

/// The keys that seal and open second-factor secrets: one current, any number of old
/// ones that only open.
pub struct SecretKeys {
    current: Key,
    old: Vec<Key>,
}

impl std::fmt::Debug for SecretKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKeys").field("current", &self.current.id).field("old", &self.old.iter().map(|k| k.id.as_str()).collect::<Vec<_>>()).finish()
    }
}

/// A key as configured: 64 hex digits or base64 (standard or URL-safe, padded or not) of
/// 32 bytes. The error names what is wrong, never the value.
pub fn parse_key(raw: &str) -> Result<[u8; 32], String> {
    let raw = raw.trim();
    if let Some(k) = unhex32(&raw.to_ascii_lowercase()) {
        return Ok(k);
    }
    let engines = [&base64::engine::general_purpose::STANDARD, &base64::engine::general_purpose::URL_SAFE, &base64::engine::general_purpose::STANDARD_NO_PAD, &base64::engine::general_purpose::URL_SAFE_NO_PAD];
    for e in engines {
        if let Ok(v) = e.decode(raw) {
            return <[u8; 32]>::try_from(v.as_slice()).map_err(|_| format!("a key must be 32 bytes, this one has {}", v.len()));
        }
    }
    Err("not 64 hex digits nor base64 of 32 bytes".into())
}

impl SecretKeys {
    pub fn new(current: [u8; 32], old: &[[u8; 32]]) -> SecretKeys {
        SecretKeys { current: Key::new(current), old: old.iter().map(|k| Key::new(*k)).collect() }
    }

    /// The configured key and old keys; with no key configured, the one in `file`
    /// (generated there at the first start). Errors: a malformed key, or a key file that
    /// cannot be read or written.
    pub fn load(key: Option<&str>, old: &[String], file: &Path) -> Result<SecretKeys, AppError> {
        let bad = |what: &str, e: String| AppError::internal(format!("{what}: {e}"));
        let old = old.iter().map(|k| parse_key(k).map_err(|e| bad("totp_old_keys", e))).collect::<Result<Vec<_>, _>>()?;
        let current = match key {
            Some(k) => parse_key(k).map_err(|e| bad("totp_key", e))?,
            None => key_file(file)?,
        };
        Ok(SecretKeys::new(current, &old))
    }

    /// Seals `plain` for `context` (e.g. `totp|{tenant}|{user}`).
    pub fn seal(&self, plain: &[u8], context: &str) -> Result<String, AppError> {
        let nonce: [u8; NONCE] = random_bytes();
        let mut tag = [0u8; TAG];
        let ct = encrypt_aead(Cipher::aes_256_gcm(), &self.current.bytes, Some(&nonce), context.as_bytes(), plain, &mut tag).map_err(|e| AppError::internal(format!("sealing a secret: {e}")))?;
        let mut out = Vec::with_capacity(NONCE + ct.len() + TAG);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        out.extend_from_slice(&tag);
        Ok(format!("{VERSION}.{}.{}", self.current.id, base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out)))
    }

    /// Opens a value `seal` made for the same `context`, with whichever configured key
    /// sealed it. Errors: `AppError::Corrupt` for a value of an unknown key, of another
    /// context, or altered.
    pub fn open(&self, sealed: &str, context: &str) -> Result<Vec<u8>, AppError> {
        let corrupt = |why: &str| AppError::corrupt(format!("sealed secret: {why}"));
        let mut parts = sealed.splitn(3, '.');
        let (Some(VERSION), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(corrupt("not a v1 value"));
        };
        let key = std::iter::once(&self.current).chain(&self.old).find(|k| k.id == id).ok_or_else(|| corrupt("sealed with a key that is not configured (totp_key, totp_old_keys)"))?;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).map_err(|_| corrupt("not base64"))?;
        if raw.len() < NONCE + TAG {
            return Err(corrupt("too short"));
        }
        let (nonce, rest) = raw.split_at(NONCE);
        let (ct, tag) = rest.split_at(rest.len() - TAG);
        decrypt_aead(Cipher::aes_256_gcm(), &key.bytes, Some(nonce), context.as_bytes(), ct, tag).map_err(|_| corrupt("does not open (altered, or another context)"))
    }

    /// Whether `sealed` was sealed with an old key (a rotation re-seals it at its next use).
    pub fn is_old(&self, sealed: &str) -> bool {
        sealed.split('.').nth(1).is_some_and(|id| id != self.current.id)
    }
}

/// The key kept in `file`, generated there if there is none. Written to a private
/// temporary file first and linked into place, so that of two nodes (or tests) starting
/// at once exactly one key wins and nobody reads a half-written file.
fn key_file(file: &Path) -> Result<[u8; 32], AppError> {
    let failed = |what: &str, e: std::io::Error| AppError::internal(format!("totp key file {}: {what}: {e}", file.display()));
    if !file.exists() {
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| failed("creating its directory", e))?;
        }
        let tmp = file.with_extension(format!("tmp-{}", hex(&random_bytes::<8>())));
        write_private(&tmp, &hex(&random_bytes::<32>())).map_err(|e| failed("writing", e))?;
        let linked = std::fs::hard_link(&tmp, file);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => tracing::info!(file = %file.display(), "generated the key that encrypts TOTP secrets; keep this file (or set totp_key) and back it up"),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(failed("linking", e)),
        }
    }
    let text = std::fs::read_to_string(file).map_err(|e| failed("reading", e))?;
    parse_key(&text).map_err(|e| AppError::internal(format!("totp key file {}: {e}", file.display())))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_in_their_context_and_with_a_known_key() {
        let keys = SecretKeys::new([7; 32], &[]);
        let sealed = keys.seal(b"seed", "totp|t|u").unwrap();
        assert!(sealed.starts_with("v1."));
        assert_eq!(keys.open(&sealed, "totp|t|u").unwrap(), b"seed");
        assert!(keys.open(&sealed, "totp|t|other").is_err(), "bound to its user");
        assert_ne!(keys.seal(b"seed", "totp|t|u").unwrap(), sealed, "a fresh nonce each time");
        let mut altered = sealed.clone().into_bytes();
        let last = altered.len() - 3;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert!(keys.open(std::str::from_utf8(&altered).unwrap(), "totp|t|u").is_err(), "altered");
        // Rotation: the new key opens what the old one sealed once the old one is listed.
        let rotated = SecretKeys::new([8; 32], &[[7; 32]]);
        assert_eq!(rotated.open(&sealed, "totp|t|u").unwrap(), b"seed");
        assert!(rotated.is_old(&sealed) && !keys.is_old(&sealed));
        assert!(SecretKeys::new([8; 32], &[]).open(&sealed, "totp|t|u").is_err(), "an unknown key");
        assert!(!format!("{keys:?}").contains("7, 7"), "Debug shows key ids only");
    }

    #[test]
    fn keys_parse_from_hex_and_base64() {
        let hex_key = "00".repeat(31) + "ff";
        assert_eq!(parse_key(&hex_key).unwrap()[31], 0xff);
        let b64 = base64::engine::general_purpose::STANDARD.encode([1u8; 32]);
        assert_eq!(parse_key(&b64).unwrap(), [1u8; 32]);
        assert!(parse_key("short").is_err());
        assert!(parse_key(&base64::engine::general_purpose::STANDARD.encode([1u8; 16])).is_err());
    }

    #[test]
    fn a_generated_key_file_is_private_and_kept() {
        let dir = std::env::temp_dir().join(format!("pc-secrets-{}", hex(&random_bytes::<6>())));
        let file = dir.join("totp.key");
        let a = key_file(&file).unwrap();
        assert_eq!(key_file(&file).unwrap(), a, "generated once");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
