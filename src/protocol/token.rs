//! The token endpoint's grants (RFC 6749 §4.1.3, §4.4, §6; OIDC Core §3.1.3, §12).
use super::error::{ErrorCode, OAuthError};
use super::pkce;
use super::tokens::{self, AccessToken, IdToken};
use super::types::{CodeRecord, Scope, TokenResponse};
use crate::clock::Clock;
use crate::config::Lifetimes;
use crate::crypto::{digest, random_token};
use crate::error::AppError;
use crate::keys::KeyRing;
use crate::storage::session::{Kind, Sessions};
use crate::storage::{AuditEvent, AuditStore, Client, Grant, GrantStore, PoolStore, RefreshOutcome, UserStatus, UserStore};

/// The workspace a request is addressed to.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub tenant: crate::model::TenantId,
    pub workspace: String,
    pub url: String,
}

/// The token request's parameters. `Debug` hides the code, the verifier and the token.
#[derive(Default)]
pub struct TokenParams {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
    pub duplicate: Option<String>,
}

impl std::fmt::Debug for TokenParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let TokenParams { grant_type, code, redirect_uri, code_verifier, refresh_token, scope, duplicate } = self;
        f.debug_struct("TokenParams")
            .field("grant_type", grant_type)
            .field("code", &crate::redact::option(code))
            .field("redirect_uri", redirect_uri)
            .field("code_verifier", &crate::redact::option(code_verifier))
            .field("refresh_token", &crate::redact::option(refresh_token))
            .field("scope", scope)
            .field("duplicate", duplicate)
            .finish()
    }
}

impl TokenParams {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>) -> Self {
        let mut p = Self::default();
        for (k, v) in pairs {
            let slot = match k.as_ref() {
                "grant_type" => &mut p.grant_type,
                "code" => &mut p.code,
                "redirect_uri" => &mut p.redirect_uri,
                "code_verifier" => &mut p.code_verifier,
                "refresh_token" => &mut p.refresh_token,
                "scope" => &mut p.scope,
                _ => continue,
            };
            if slot.is_some() {
                p.duplicate.get_or_insert_with(|| k.to_string());
            }
            *slot = Some(v.into_owned()).filter(|v| !v.is_empty());
        }
        p
    }
}

/// What the token endpoint works with: the grants and codes it spends, the users and pools
/// it reads claims from, the keys it signs with, the trail it writes, and the clock.
pub struct TokenService<'a> {
    pub grants: &'a dyn GrantStore,
    pub users: &'a dyn UserStore,
    pub pools: &'a dyn PoolStore,
    pub audit: &'a dyn AuditStore,
    /// Authorization codes (`Kind::Code`) and the grants they created (`Kind::CodeGrant`).
    pub sessions: &'a Sessions,
    pub keys: &'a KeyRing,
    pub clock: &'a dyn Clock,
    pub ttl: &'a Lifetimes,
}

impl TokenService<'_> {
    pub async fn post_token(&self, iss: &Issuer, client: &Client, p: TokenParams) -> Result<TokenResponse, OAuthError> {
        post_token(self, iss, client, p).await
    }
}

async fn post_token(state: &TokenService<'_>, iss: &Issuer, client: &Client, p: TokenParams) -> Result<TokenResponse, OAuthError> {
    if let Some(d) = &p.duplicate {
        return Err(OAuthError::invalid_request(format!("{d} was given more than once")));
    }
    let grant_type = p.grant_type.clone().ok_or_else(|| OAuthError::invalid_request("grant_type is missing"))?;
    if !matches!(grant_type.as_str(), "authorization_code" | "refresh_token" | "client_credentials") {
        return Err(OAuthError::new(ErrorCode::UnsupportedGrantType, "unsupported grant_type"));
    }
    if !client.allows_grant(&grant_type) {
        return Err(OAuthError::unauthorized_client("the client may not use this grant type"));
    }
    match grant_type.as_str() {
        "authorization_code" => exchange_authorization_code(state, iss, client, p).await,
        "refresh_token" => exchange_refresh_token(state, iss, client, p).await,
        _ => client_credentials(state, iss, client, p).await,
    }
}

async fn exchange_authorization_code(state: &TokenService<'_>, iss: &Issuer, client: &Client, p: TokenParams) -> Result<TokenResponse, OAuthError> {
    let now = state.clock.now();
    let code = p.code.ok_or_else(|| OAuthError::invalid_request("code is missing"))?;
    let key = super::authorize::code_key(&iss.tenant, &iss.workspace, &client.client_id, &code);
    let invalid = || OAuthError::invalid_grant("The authorization code is invalid, expired or was already used");
    let Some(record) = state.sessions.consume::<CodeRecord>(Kind::Code, &key).await? else {
        // RFC 6749 §4.1.2: a code used twice SHOULD revoke what was issued from it.
        if let Some(grant_id) = state.sessions.get::<String>(Kind::CodeGrant, &key).await? {
            state.grants.revoke_family(&grant_id, now).await?;
            audit(state, iss, &client.client_id, "grant.revoked.code_replay", &grant_id).await;
        }
        return Err(invalid());
    };
    // RFC 6749 §4.1.3: the code MUST have been issued to the authenticated client, in
    // this workspace, and be unexpired.
    if record.client_id != client.client_id || record.tenant_id != iss.tenant || record.workspace_id != iss.workspace || record.expires_at <= now {
        return Err(invalid());
    }
    // RFC 6749 §4.1.3: redirect_uri MUST be present and identical when it was in the request.
    if p.redirect_uri.as_deref() != Some(record.redirect_uri.as_str()) {
        return Err(OAuthError::invalid_grant("redirect_uri does not match the authorization request"));
    }
    match (&record.code_challenge, &p.code_verifier) {
        (Some(ch), Some(v)) if pkce::verify_s256(v, ch) => {}
        (Some(_), _) => return Err(OAuthError::invalid_grant("PKCE verification failed")),
        // RFC 9700 §2.1.1: a code_verifier without a code_challenge MUST be rejected.
        (None, Some(_)) => return Err(OAuthError::invalid_grant("no code_challenge was sent for this code")),
        (None, None) => {}
    }
    let user = state.users.get(&iss.tenant, &record.auth.user_id).await?;
    let Some(user) = user.filter(|u| u.status == UserStatus::Active) else {
        return Err(OAuthError::invalid_grant("the user can no longer sign in"));
    };
    let grant = Grant {
        id: record.grant_id.clone(),
        tenant_id: iss.tenant.clone(),
        workspace_id: iss.workspace.clone(),
        client_id: client.client_id.clone(),
        user_id: user.id.clone(),
        scope: record.scope.as_string(),
        sid: record.auth.sid.clone(),
        auth_time: record.auth.auth_time,
        acr: record.auth.acr.clone(),
        amr: record.auth.amr.clone(),
        created_at: now,
        revoked_at: None,
    };
    let refresh = refresh_allowed(client, &record.scope).then(|| random_token(32));
    let ttl = state.ttl;
    let extra = metadata_claims(state.pools, &user).await?;
    state.grants.create(&grant, refresh.as_ref().map(|r| (digest(r), now + ttl.refresh_token))).await?;
    let access_token = tokens::mint_access_token(
        state.keys,
        AccessToken { issuer: &iss.url, sub: &user.id, client_id: &client.client_id, scope: &record.scope, grant_id: Some(&grant.id), ttl: ttl.access_token, extra: &extra, authn: Some(&authn_of(&grant)) },
        now,
    )?;
    let id_token = if record.scope.contains("openid") {
        Some(tokens::mint_id_token(
            state.keys,
            IdToken {
                issuer: &iss.url,
                client_id: &client.client_id,
                alg: client.id_token_alg,
                user: &user,
                auth: &record.auth,
                scope: &record.scope,
                nonce: record.nonce.as_deref(),
                access_token: &access_token,
                ttl: ttl.id_token,
                extra: &extra,
            },
            now,
        )?)
    } else {
        None
    };
    Ok(TokenResponse { access_token, token_type: "Bearer", expires_in: ttl.access_token, refresh_token: refresh, id_token, scope: record.scope.as_string() })
}

/// Refresh tokens go to clients allowed the grant, and for OpenID requests only when
/// offline access was granted (OIDC Core §11).
fn refresh_allowed(client: &Client, scope: &Scope) -> bool {
    client.allows_grant("refresh_token") && (scope.contains("offline_access") || !scope.contains("openid"))
}

async fn exchange_refresh_token(state: &TokenService<'_>, iss: &Issuer, client: &Client, p: TokenParams) -> Result<TokenResponse, OAuthError> {
    let now = state.clock.now();
    let presented = p.refresh_token.ok_or_else(|| OAuthError::invalid_request("refresh_token is missing"))?;
    let invalid = || OAuthError::invalid_grant("The refresh token is invalid, expired or revoked");
    let hash = digest(&presented);
    // RFC 6749 §6: the refresh token MUST have been issued to the authenticated client.
    // Checked before rotating so that another client cannot spend (and so revoke) it.
    let current = state.grants.find_by_refresh(hash, now).await?;
    if let Some(g) = &current
        && (g.client_id != client.client_id || g.tenant_id != iss.tenant || g.workspace_id != iss.workspace)
    {
        return Err(invalid());
    }
    // Checked before the token is spent, so a bad request does not burn it (a retry with
    // the same token would otherwise look like reuse and revoke the family).
    if let (Some(g), Some(s)) = (&current, &p.scope) {
        let asked = Scope::parse(s).ok_or_else(|| OAuthError::invalid_scope("malformed scope"))?;
        if !asked.is_subset_of(&Scope::parse(&g.scope).unwrap_or_default().0) {
            return Err(OAuthError::invalid_scope("the scope exceeds what was granted"));
        }
    }
    let successor = random_token(32);
    let ttl = state.ttl;
    let grant = match state.grants.rotate(hash, digest(&successor), now + ttl.refresh_token, now).await? {
        RefreshOutcome::Rotated(g) => *g,
        RefreshOutcome::Reused { grant_id } => {
            audit(state, iss, &client.client_id, "grant.revoked.refresh_reuse", &grant_id).await;
            return Err(invalid());
        }
        RefreshOutcome::Invalid => return Err(invalid()),
    };
    let granted = Scope::parse(&grant.scope).unwrap_or_default();
    // RFC 6749 §6: a narrower scope may be asked for, never a broader one.
    let scope = match &p.scope {
        None => granted.clone(),
        Some(s) => {
            let asked = Scope::parse(s).ok_or_else(|| OAuthError::invalid_scope("malformed scope"))?;
            if !asked.is_subset_of(&granted.0) {
                return Err(OAuthError::invalid_scope("the scope exceeds what was granted"));
            }
            asked
        }
    };
    let user = state.users.get(&iss.tenant, &grant.user_id).await?;
    let Some(user) = user.filter(|u| u.status == UserStatus::Active) else {
        state.grants.revoke_family(&grant.id, now).await?;
        return Err(OAuthError::invalid_grant("the user can no longer sign in"));
    };
    let extra = metadata_claims(state.pools, &user).await?;
    let access_token = tokens::mint_access_token(
        state.keys,
        AccessToken { issuer: &iss.url, sub: &user.id, client_id: &client.client_id, scope: &scope, grant_id: Some(&grant.id), ttl: ttl.access_token, extra: &extra, authn: Some(&authn_of(&grant)) },
        now,
    )?;
    let auth = super::types::Authentication {
        tenant_id: grant.tenant_id.clone(),
        workspace_id: grant.workspace_id.clone(),
        user_id: user.id.clone(),
        auth_time: grant.auth_time,
        sid: grant.sid.clone(),
        acr: grant.acr.clone(),
        amr: grant.amr.clone(),
        session_ms: 0,
        // A refresh repeats the grant's acr and amr; it passes no factor.
        factors: vec![],
    };
    // OIDC Core §12.2: a refreshed ID token keeps iss, sub, aud and auth_time; no nonce.
    let id_token = if scope.contains("openid") {
        Some(tokens::mint_id_token(
            state.keys,
            IdToken { issuer: &iss.url, client_id: &client.client_id, alg: client.id_token_alg, user: &user, auth: &auth, scope: &scope, nonce: None, access_token: &access_token, ttl: ttl.id_token, extra: &extra },
            now,
        )?)
    } else {
        None
    };
    Ok(TokenResponse { access_token, token_type: "Bearer", expires_in: ttl.access_token, refresh_token: Some(successor), id_token, scope: scope.as_string() })
}

async fn client_credentials(state: &TokenService<'_>, iss: &Issuer, client: &Client, p: TokenParams) -> Result<TokenResponse, OAuthError> {
    // RFC 6749 §4.4: confidential clients only.
    if client.is_public() {
        return Err(OAuthError::unauthorized_client("public clients cannot use client_credentials"));
    }
    let allowed: Vec<String> = client.scopes.iter().filter(|s| !matches!(s.as_str(), "openid" | "offline_access")).cloned().collect();
    let scope = match &p.scope {
        None => Scope(allowed),
        Some(s) => {
            let asked = Scope::parse(s).ok_or_else(|| OAuthError::invalid_scope("malformed scope"))?;
            if !asked.is_subset_of(&allowed) {
                return Err(OAuthError::invalid_scope("a requested scope is not allowed for this client"));
            }
            asked
        }
    };
    let ttl = state.ttl.access_token;
    let now = state.clock.now();
    let access_token = tokens::mint_access_token(
        state.keys,
        AccessToken { issuer: &iss.url, sub: &client.client_id, client_id: &client.client_id, scope: &scope, grant_id: None, ttl, extra: &serde_json::Map::new(), authn: None },
        now,
    )?;
    Ok(TokenResponse { access_token, token_type: "Bearer", expires_in: ttl, refresh_token: None, id_token: None, scope: scope.as_string() })
}

async fn audit(state: &TokenService<'_>, iss: &Issuer, actor: &str, action: &str, subject: &str) {
    let event = AuditEvent { tenant_id: iss.tenant.clone(), actor: actor.into(), action: action.into(), subject: subject.into(), detail: serde_json::json!({ "workspace": iss.workspace }) };
    if let Err(e) = state.audit.record(event, state.clock.now()).await {
        tracing::warn!(error = %e, action, "audit event not recorded");
    }
}

/// Claims mapped from the user's metadata by the pool's `metadata_claims`. Users without
/// metadata cost no lookup.
pub async fn metadata_claims(pools: &dyn PoolStore, user: &crate::storage::User) -> Result<serde_json::Map<String, serde_json::Value>, AppError> {
    if user.metadata.is_empty() {
        return Ok(serde_json::Map::new());
    }
    let keys = pools.pool(&user.tenant_id, &user.pool_id).await?.map(|p| p.settings.metadata_claims).unwrap_or_default();
    Ok(super::claims::from_metadata(user, &keys))
}

/// How the user of `grant` authenticated, for its access tokens.
fn authn_of(grant: &crate::storage::Grant) -> tokens::Authn {
    tokens::Authn { auth_time: grant.auth_time, acr: grant.acr.clone(), amr: grant.amr.clone() }
}
