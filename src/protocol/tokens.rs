//! Minting and checking the tokens we sign: access tokens (RFC 9068 JWT profile, ES256)
//! and ID tokens (OIDC Core §2, RS256 unless the client registered ES256).
use base64::Engine;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::claims;
use super::error::OAuthError;
use super::types::{Authentication, Scope};
use crate::error::AppError;
use crate::keys::KeyRing;
use crate::storage::{GrantStore, SigningAlg, User};
use crate::crypto::random_token;

pub const ACCESS_TOKEN_TYP: &str = "at+jwt";

/// What an access token says, once verified.
#[derive(Debug, Clone)]
pub struct AccessClaims {
    pub jti: String,
    pub sub: String,
    pub client_id: String,
    pub scope: Scope,
    pub exp: i64,
    pub iat: i64,
    /// The grant behind a user token; `None` for client_credentials.
    pub grant_id: Option<String>,
    /// How the user authenticated (RFC 9068 §2.2.1); `None` for client_credentials.
    pub authn: Option<Authn>,
}

/// `auth_time`, `acr` and `amr` of a user's access token (RFC 9068 §2.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authn {
    pub auth_time: i64,
    pub acr: String,
    pub amr: Vec<String>,
}

pub struct AccessToken<'a> {
    pub issuer: &'a str,
    pub sub: &'a str,
    pub client_id: &'a str,
    pub scope: &'a Scope,
    pub grant_id: Option<&'a str>,
    pub ttl: i64,
    /// Claims mapped from the user's metadata (see `claims::from_metadata`).
    pub extra: &'a Map<String, Value>,
    /// How the user authenticated; `None` for client_credentials.
    pub authn: Option<&'a Authn>,
}

pub fn mint_access_token(keys: &KeyRing, t: AccessToken<'_>, now: i64) -> Result<String, AppError> {
    let mut c = Map::with_capacity(9);
    c.insert("iss".into(), t.issuer.into());
    c.insert("sub".into(), t.sub.into());
    c.insert("aud".into(), t.client_id.into());
    c.insert("client_id".into(), t.client_id.into());
    c.insert("scope".into(), t.scope.as_string().into());
    c.insert("iat".into(), now.into());
    c.insert("exp".into(), (now + t.ttl).into());
    c.insert("jti".into(), random_token(16).into());
    if let Some(g) = t.grant_id {
        c.insert("gid".into(), g.into());
    }
    if let Some(a) = t.authn {
        c.insert("auth_time".into(), a.auth_time.into());
        c.insert("acr".into(), a.acr.clone().into());
        c.insert("amr".into(), json!(a.amr));
    }
    for (k, v) in t.extra {
        c.entry(k.clone()).or_insert_with(|| v.clone());
    }
    keys.sign(SigningAlg::ES256, ACCESS_TOKEN_TYP, &c)
}

/// OIDC Core §3.1.3.6: at_hash is the left half of the hash of the access token, with the
/// hash of the ID token's signing algorithm.
fn at_hash(alg: SigningAlg, access_token: &str) -> String {
    // Both supported algorithms hash with SHA-256.
    let (SigningAlg::RS256 | SigningAlg::ES256) = alg;
    let hash = Sha256::digest(access_token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&hash[..16])
}

pub struct IdToken<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub alg: SigningAlg,
    pub user: &'a User,
    pub auth: &'a Authentication,
    pub scope: &'a Scope,
    pub nonce: Option<&'a str>,
    pub access_token: &'a str,
    pub ttl: i64,
    pub extra: &'a Map<String, Value>,
}

pub fn mint_id_token(keys: &KeyRing, t: IdToken<'_>, now: i64) -> Result<String, AppError> {
    let mut c = claims::for_scope(t.user, t.scope);
    c.insert("iss".into(), t.issuer.into());
    c.insert("sub".into(), t.user.id.clone().into());
    c.insert("aud".into(), t.client_id.into());
    c.insert("azp".into(), t.client_id.into());
    c.insert("iat".into(), now.into());
    c.insert("exp".into(), (now + t.ttl).into());
    c.insert("auth_time".into(), t.auth.auth_time.into());
    c.insert("sid".into(), t.auth.sid.clone().into());
    c.insert("acr".into(), t.auth.acr.clone().into());
    c.insert("amr".into(), json!(t.auth.amr));
    c.insert("at_hash".into(), at_hash(t.alg, t.access_token).into());
    if let Some(n) = t.nonce {
        c.insert("nonce".into(), n.into());
    }
    for (k, v) in t.extra {
        c.entry(k.clone()).or_insert_with(|| v.clone());
    }
    keys.sign(t.alg, "JWT", &c)
}

/// Verifies an access token of `issuer`: signature, type, issuer, expiry, and that it was
/// not revoked (its id, or the grant behind it), both asked of the database at once.
pub async fn verify_access_token(keys: &KeyRing, grants: &dyn GrantStore, issuer: &str, token: &str, now: i64) -> Result<AccessClaims, OAuthError> {
    let invalid = || OAuthError::invalid_token("The access token is invalid or expired");
    let (typ, c) = keys.verify(token).ok_or_else(invalid)?;
    if typ.as_deref() != Some(ACCESS_TOKEN_TYP) || c.get("iss").and_then(Value::as_str) != Some(issuer) {
        return Err(invalid());
    }
    let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
    let n = |k: &str| c.get(k).and_then(Value::as_i64);
    let (Some(jti), Some(sub), Some(client_id), Some(exp), Some(iat)) = (s("jti"), s("sub"), s("client_id"), n("exp"), n("iat")) else {
        return Err(invalid());
    };
    if exp <= now {
        return Err(invalid());
    }
    let grant_id = s("gid");
    if !grants.access_token_live(&jti, grant_id.as_deref()).await? {
        return Err(invalid());
    }
    let authn = match (n("auth_time"), s("acr"), c.get("amr").and_then(Value::as_array)) {
        (Some(auth_time), Some(acr), Some(amr)) => Some(Authn { auth_time, acr, amr: amr.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect() }),
        _ => None,
    };
    Ok(AccessClaims { jti, sub, client_id, scope: Scope::parse(&s("scope").unwrap_or_default()).unwrap_or_default(), exp, iat, grant_id, authn })
}
