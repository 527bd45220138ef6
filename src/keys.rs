//! Signing keys: ES256 and RS256 key pairs kept in the database, loaded into a key ring
//! that every node refreshes periodically. A rotation publishes the new keys at once (the
//! JWKS is read from the database) and keeps retired keys published until every token
//! they signed has expired.
use josekit::jwk::{Jwk, KeyPair, alg::ec::EcCurve, alg::ec::EcKeyPair, alg::rsa::RsaKeyPair};
use josekit::jws::{ES256, JwsHeader, JwsSigner, JwsVerifier, RS256};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::clock::Clock;
use crate::error::AppError;
use crate::storage::{KeyStore, SigningAlg, StoredKey};
use crate::crypto::random_token;

fn jose(e: josekit::JoseError) -> AppError {
    AppError::Keys(e.to_string())
}

struct Loaded {
    signers: HashMap<SigningAlg, (String, Box<dyn JwsSigner>)>,
    verifiers: HashMap<String, Box<dyn JwsVerifier>>,
    jwks: Value,
}

pub struct KeyRing {
    store: Arc<dyn KeyStore>,
    clock: Arc<dyn Clock>,
    /// How long a retired key stays published: the longest lifetime of a token it signed.
    publish_after_retire: i64,
    loaded: RwLock<Arc<Loaded>>,
}

/// Creates a fresh key pair of `alg`.
pub fn generate(alg: SigningAlg, now: i64) -> Result<StoredKey, AppError> {
    let pem = match alg {
        SigningAlg::ES256 => EcKeyPair::generate(EcCurve::P256).map_err(jose)?.to_pem_private_key(),
        SigningAlg::RS256 => RsaKeyPair::generate(2048).map_err(jose)?.to_pem_private_key(),
    };
    Ok(StoredKey {
        kid: format!("{}-{}", alg.as_str().to_lowercase(), random_token(9)),
        alg,
        private_pem: String::from_utf8(pem).map_err(|e| AppError::Keys(e.to_string()))?,
        created_at: now,
        retired_at: None,
    })
}

/// Publishes and starts using a new key of every algorithm.
pub async fn rotate(store: &dyn KeyStore, now: i64) -> Result<Vec<String>, AppError> {
    let keys = vec![generate(SigningAlg::ES256, now)?, generate(SigningAlg::RS256, now)?];
    let kids = keys.iter().map(|k| k.kid.clone()).collect();
    store.rotate(keys, now).await?;
    Ok(kids)
}

fn public_jwk(k: &StoredKey) -> Result<Jwk, AppError> {
    let mut jwk = match k.alg {
        SigningAlg::ES256 => EcKeyPair::from_pem(&k.private_pem, Some(EcCurve::P256)).map_err(jose)?.to_jwk_public_key(),
        SigningAlg::RS256 => RsaKeyPair::from_pem(&k.private_pem).map_err(jose)?.to_jwk_public_key(),
    };
    jwk.set_key_id(k.kid.clone());
    jwk.set_algorithm(k.alg.as_str());
    jwk.set_key_use("sig");
    Ok(jwk)
}

impl KeyRing {
    /// Loads the keys, creating the first ones when the database has none.
    pub async fn load(store: Arc<dyn KeyStore>, clock: Arc<dyn Clock>, publish_after_retire: i64) -> Result<Self, AppError> {
        let mut keys = store.all().await?;
        if !keys.iter().any(|k| k.retired_at.is_none()) {
            rotate(store.as_ref(), clock.now()).await?;
            keys = store.all().await?;
        }
        let loaded = Self::build(&keys, clock.now(), publish_after_retire)?;
        Ok(Self { store, clock, publish_after_retire, loaded: RwLock::new(Arc::new(loaded)) })
    }

    /// Re-reads the keys so that a rotation made by another node takes effect here.
    pub async fn reload(&self) -> Result<(), AppError> {
        let keys = self.store.all().await?;
        let fresh = Arc::new(Self::build(&keys, self.clock.now(), self.publish_after_retire)?);
        *self.loaded.write().map_err(|_| AppError::Keys("key ring poisoned".into()))? = fresh;
        Ok(())
    }

    fn build(keys: &[StoredKey], now: i64, publish_after_retire: i64) -> Result<Loaded, AppError> {
        let mut signers: HashMap<SigningAlg, (String, Box<dyn JwsSigner>)> = HashMap::new();
        let mut verifiers: HashMap<String, Box<dyn JwsVerifier>> = HashMap::new();
        let mut published = vec![];
        // Newest first: the first current key of each algorithm signs.
        for k in keys {
            let live = k.retired_at.is_none_or(|r| r + publish_after_retire > now);
            if !live {
                continue;
            }
            let jwk = public_jwk(k)?;
            let verifier: Box<dyn JwsVerifier> = match k.alg {
                SigningAlg::ES256 => Box::new(ES256.verifier_from_jwk(&jwk).map_err(jose)?),
                SigningAlg::RS256 => Box::new(RS256.verifier_from_jwk(&jwk).map_err(jose)?),
            };
            // Only the newest current key of each algorithm signs; older ones only verify.
            if k.retired_at.is_none() && !signers.contains_key(&k.alg) {
                let signer: Box<dyn JwsSigner> = match k.alg {
                    SigningAlg::ES256 => Box::new(ES256.signer_from_pem(&k.private_pem).map_err(jose)?),
                    SigningAlg::RS256 => Box::new(RS256.signer_from_pem(&k.private_pem).map_err(jose)?),
                };
                signers.insert(k.alg, (k.kid.clone(), signer));
            }
            verifiers.insert(k.kid.clone(), verifier);
            published.push(Value::Object(jwk.as_ref().clone()));
        }
        for alg in [SigningAlg::ES256, SigningAlg::RS256] {
            if !signers.contains_key(&alg) {
                return Err(AppError::Keys(format!("no current {} key; run `portcullis keys rotate`", alg.as_str())));
            }
        }
        Ok(Loaded { signers, verifiers, jwks: serde_json::json!({ "keys": published }) })
    }

    fn current(&self) -> Result<Arc<Loaded>, AppError> {
        self.loaded.read().map(|l| l.clone()).map_err(|_| AppError::Keys("key ring poisoned".into()))
    }

    /// The JWK Set document (public keys only).
    pub fn jwks(&self) -> Result<Value, AppError> {
        Ok(self.current()?.jwks.clone())
    }

    /// Signs `claims` as a compact JWS with the current key of `alg`.
    pub fn sign(&self, alg: SigningAlg, typ: &str, claims: &Map<String, Value>) -> Result<String, AppError> {
        let loaded = self.current()?;
        let (kid, signer) = loaded.signers.get(&alg).ok_or_else(|| AppError::Keys(format!("no {} key", alg.as_str())))?;
        let mut header = JwsHeader::new();
        header.set_token_type(typ);
        header.set_key_id(kid.clone());
        let payload = serde_json::to_vec(claims)?;
        josekit::jws::serialize_compact(&payload, &header, signer.as_ref()).map_err(jose)
    }

    /// Verifies the signature of a JWT issued by us and returns its header type and claims.
    /// Time-based claims are the caller's to check.
    pub fn verify(&self, token: &str) -> Option<(Option<String>, Map<String, Value>)> {
        let loaded = self.current().ok()?;
        let (payload, header) = josekit::jws::deserialize_compact_with_selector(token, |h| {
            Ok(h.key_id().and_then(|kid| loaded.verifiers.get(kid)).map(|v| v.as_ref()))
        })
        .ok()?;
        match serde_json::from_slice(&payload).ok()? {
            Value::Object(m) => Some((header.token_type().map(str::to_owned), m)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_sign_and_verify() {
        for alg in [SigningAlg::ES256, SigningAlg::RS256] {
            let k = generate(alg, 0).unwrap();
            let ring = KeyRing::build(&[k], 0, 60);
            // Only one algorithm present: build refuses, as a node must be able to sign both.
            assert!(ring.is_err());
        }
        let keys = vec![generate(SigningAlg::ES256, 0).unwrap(), generate(SigningAlg::RS256, 0).unwrap()];
        let loaded = KeyRing::build(&keys, 0, 60).unwrap();
        assert_eq!(loaded.jwks["keys"].as_array().unwrap().len(), 2);
        assert!(loaded.jwks.to_string().find("\"d\"").is_none(), "private parts must never be published");
    }
}
