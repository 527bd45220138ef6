//! RP-Initiated Logout 1.0 §2-3: validation of the logout request.
use serde_json::Value;

use super::error::OAuthError;
use super::token::Issuer;
use crate::keys::KeyRing;
use crate::storage::ClientStore;

/// `Debug` hides the ID token hint (a bearer of the user's identity).
#[derive(Default)]
pub struct LogoutParams {
    pub id_token_hint: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub state: Option<String>,
    pub client_id: Option<String>,
    pub ui_locales: Option<String>,
}

impl std::fmt::Debug for LogoutParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let LogoutParams { id_token_hint, post_logout_redirect_uri, state, client_id, ui_locales } = self;
        f.debug_struct("LogoutParams")
            .field("id_token_hint", &crate::redact::option(id_token_hint))
            .field("post_logout_redirect_uri", post_logout_redirect_uri)
            .field("state", state)
            .field("client_id", client_id)
            .field("ui_locales", ui_locales)
            .finish()
    }
}

#[derive(Debug)]
pub struct LogoutRequest {
    /// Where to send the user afterwards, with `state` (already checked as registered).
    pub redirect: Option<url::Url>,
    /// The session the ID token was issued in, when a valid hint was given.
    pub hint_sid: Option<String>,
    pub hint_sub: Option<String>,
    /// The client the request is for (`client_id`, else the hint's audience): its id and
    /// display name.
    pub client: Option<(String, String)>,
}

pub async fn validate(keys: &KeyRing, clients: &dyn ClientStore, iss: &Issuer, p: LogoutParams) -> Result<LogoutRequest, OAuthError> {
    let mut client_id = p.client_id.clone();
    let (mut hint_sid, mut hint_sub) = (None, None);
    if let Some(hint) = &p.id_token_hint {
        // §2: the OP need not accept an expired token as invalid, but it MUST be ours.
        let (_, claims) = keys.verify(hint).ok_or_else(|| OAuthError::invalid_request("id_token_hint is not a valid ID token of this issuer"))?;
        if claims.get("iss").and_then(Value::as_str) != Some(iss.url.as_str()) {
            return Err(OAuthError::invalid_request("id_token_hint was issued by another issuer"));
        }
        let aud = match claims.get("aud") {
            Some(Value::String(a)) => Some(a.clone()),
            Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_owned),
            _ => None,
        };
        if client_id.is_some() && aud.is_some() && client_id != aud {
            return Err(OAuthError::invalid_request("client_id does not match id_token_hint"));
        }
        client_id = client_id.or(aud);
        hint_sid = claims.get("sid").and_then(Value::as_str).map(str::to_owned);
        hint_sub = claims.get("sub").and_then(Value::as_str).map(str::to_owned);
    }
    let client = match &client_id {
        Some(id) => Some(clients.get(&iss.tenant, &iss.workspace, id).await?.ok_or_else(|| OAuthError::invalid_request("unknown client_id"))?),
        None => None,
    };
    let redirect = match &p.post_logout_redirect_uri {
        None => None,
        Some(uri) => {
            // §3: the URI MUST exactly match one registered for the client.
            let Some(c) = &client else {
                return Err(OAuthError::invalid_request("post_logout_redirect_uri needs id_token_hint or client_id"));
            };
            if !c.post_logout_redirect_uris.iter().any(|r| r == uri) {
                return Err(OAuthError::invalid_request("post_logout_redirect_uri is not registered for this client"));
            }
            let mut url = url::Url::parse(uri).map_err(|_| OAuthError::invalid_request("malformed post_logout_redirect_uri"))?;
            if let Some(s) = &p.state {
                url.query_pairs_mut().append_pair("state", s);
            }
            Some(url)
        }
    };
    Ok(LogoutRequest { redirect, hint_sid, hint_sub, client: client.map(|c| (c.client_id, c.name)) })
}
