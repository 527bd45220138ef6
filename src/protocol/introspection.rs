//! Token introspection (RFC 7662) and revocation (RFC 7009).
use serde_json::{Map, Value, json};

use super::error::{ErrorCode, OAuthError};
use super::token::Issuer;
use super::tokens;
use crate::clock::Clock;
use crate::crypto::digest;
use crate::keys::KeyRing;
use crate::storage::{Client, GrantStore};

/// What introspection and revocation work with: the grants (and the access-token
/// denylist), the keys that verify access tokens, and the clock.
pub struct Introspection<'a> {
    pub grants: &'a dyn GrantStore,
    pub keys: &'a KeyRing,
    pub clock: &'a dyn Clock,
}

/// RFC 7662 §2.2: `{"active": false}` for anything not currently valid, with no reason.
pub async fn introspect(state: &Introspection<'_>, iss: &Issuer, caller: &Client, token: &str) -> Result<Value, OAuthError> {
    // Public clients cannot keep a secret and so cannot be trusted with token metadata.
    if caller.is_public() {
        return Err(OAuthError::unauthorized_client("public clients cannot introspect tokens"));
    }
    let now = state.clock.now();
    if let Ok(at) = tokens::verify_access_token(state.keys, state.grants, &iss.url, token, now).await {
        let mut m = Map::new();
        m.insert("active".into(), true.into());
        m.insert("token_type".into(), "Bearer".into());
        m.insert("scope".into(), at.scope.as_string().into());
        m.insert("client_id".into(), at.client_id.into());
        m.insert("sub".into(), at.sub.into());
        m.insert("exp".into(), at.exp.into());
        m.insert("iat".into(), at.iat.into());
        m.insert("iss".into(), iss.url.clone().into());
        m.insert("jti".into(), at.jti.into());
        if let Some(a) = at.authn {
            m.insert("auth_time".into(), a.auth_time.into());
            m.insert("acr".into(), a.acr.into());
            m.insert("amr".into(), json!(a.amr));
        }
        return Ok(Value::Object(m));
    }
    if let Some(g) = state.grants.find_by_refresh(digest(token), now).await?
        && g.tenant_id == iss.tenant
        && g.workspace_id == iss.workspace
    {
        return Ok(json!({
            "active": true, "token_type": "refresh_token", "scope": g.scope, "client_id": g.client_id,
            "sub": g.user_id, "iat": g.created_at, "iss": iss.url,
            "auth_time": g.auth_time, "acr": g.acr, "amr": g.amr,
        }));
    }
    Ok(json!({ "active": false }))
}

/// RFC 7009 §2.2: invalid or unknown tokens still answer 200; a token of another client is
/// left alone. Revoking a refresh token revokes its whole grant (§2.1 "SHOULD").
pub async fn revoke(state: &Introspection<'_>, iss: &Issuer, caller: &Client, token: &str, hint: Option<&str>) -> Result<(), OAuthError> {
    if hint.is_some_and(|h| !matches!(h, "access_token" | "refresh_token")) {
        return Err(OAuthError::new(ErrorCode::UnsupportedTokenType, "unsupported token_type_hint"));
    }
    let now = state.clock.now();
    if let Some(g) = state.grants.find_by_refresh(digest(token), now).await? {
        if g.client_id == caller.client_id && g.tenant_id == iss.tenant && g.workspace_id == iss.workspace {
            state.grants.revoke_family(&g.id, now).await?;
        }
        return Ok(());
    }
    if let Ok(at) = tokens::verify_access_token(state.keys, state.grants, &iss.url, token, now).await
        && at.client_id == caller.client_id
    {
        // In the database, not the session store: a revocation must outlive a Redis restart.
        state.grants.revoke_access_token(&at.jti, at.exp).await?;
    }
    Ok(())
}
