//! Which user claims a scope releases (OIDC Core §5.4).
use serde_json::{Map, Value};

use super::types::Scope;
use crate::storage::User;

const PROFILE: &[&str] = &[
    "name", "family_name", "given_name", "middle_name", "nickname", "profile", "picture", "website", "gender",
    "birthdate", "zoneinfo", "locale",
];

/// The claims `scope` releases about `user`, `sub` excluded.
pub fn for_scope(user: &User, scope: &Scope) -> Map<String, Value> {
    let mut out = Map::new();
    if scope.contains("profile") {
        for k in PROFILE {
            if let Some(v) = user.claims.get(*k) {
                out.insert((*k).into(), v.clone());
            }
        }
        out.insert("preferred_username".into(), user.username.clone().into());
        out.insert("updated_at".into(), user.updated_at.into());
    }
    if scope.contains("email")
        && let Some(e) = &user.email
    {
        out.insert("email".into(), e.clone().into());
        out.insert("email_verified".into(), user.email_verified.into());
    }
    if scope.contains("phone") {
        let phone = user.phone.clone().or_else(|| user.claims.get("phone_number").and_then(Value::as_str).map(str::to_owned));
        if let Some(p) = phone {
            out.insert("phone_number".into(), p.into());
            out.insert("phone_number_verified".into(), user.phone_verified.into());
        }
    }
    if scope.contains("address")
        && let Some(a) = user.claims.get("address").filter(|a| a.is_object())
    {
        out.insert("address".into(), a.clone());
    }
    out
}

/// Claims a token may never take from metadata: the registered JWT and OIDC ones.
const RESERVED: &[&str] = &[
    "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "azp", "nonce", "auth_time", "acr", "amr", "sid", "at_hash", "c_hash",
    "client_id", "scope", "gid", "email", "email_verified", "phone_number", "phone_number_verified", "preferred_username", "updated_at",
];

/// The metadata keys a pool maps into tokens (`metadata_claims`, e.g. `roles`), for
/// role-based access decisions by relying parties and resource servers.
pub fn from_metadata(user: &User, keys: &[String]) -> Map<String, Value> {
    keys.iter()
        .filter(|k| !RESERVED.contains(&k.as_str()))
        .filter_map(|k| user.metadata.get(k).map(|v| (k.clone(), v.clone())))
        .collect()
}
