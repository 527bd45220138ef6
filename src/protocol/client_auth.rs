//! Client authentication at the token, introspection and revocation endpoints
//! (RFC 6749 §2.3): client_secret_basic, client_secret_post, or `none` for public clients.
use base64::Engine;

use super::error::OAuthError;
use crate::storage::{Client, ClientStore};
use crate::crypto::{ct_eq, digest};

/// The credentials a request presented.
#[derive(Debug, Default)]
pub struct Presented {
    /// From `Authorization: Basic` (already split, not yet URL-decoded).
    pub basic: Option<(String, String)>,
    pub form_client_id: Option<String>,
    pub form_client_secret: Option<String>,
}

/// Outcome of a failed authentication: whether the client tried HTTP Basic decides the
/// `WWW-Authenticate` header (RFC 6749 §5.2).
#[derive(Debug)]
pub struct ClientAuthError {
    pub error: OAuthError,
    pub used_basic: bool,
}

/// Parses an `Authorization` header value for Basic credentials.
pub fn parse_basic(header: &str) -> Option<(String, String)> {
    let (scheme, rest) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD.decode(rest.trim()).ok()?;
    let (id, secret) = std::str::from_utf8(&raw).ok()?.split_once(':')?;
    // RFC 6749 §2.3.1: both are form-urlencoded before Basic encoding.
    let dec = |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((dec(id)?, dec(secret)?))
}

/// Authenticates the client of a back-channel request in workspace (`tenant`, `ws`).
pub async fn authenticate(clients: &dyn ClientStore, tenant: &crate::model::TenantId, ws: &str, p: Presented) -> Result<Client, ClientAuthError> {
    let used_basic = p.basic.is_some();
    let fail = |d: &str| ClientAuthError { error: OAuthError::invalid_client(d), used_basic };
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
    if used_basic && p.form_client_secret.is_some() {
        return Err(ClientAuthError { error: OAuthError::invalid_request("more than one client authentication method"), used_basic });
    }
    let (client_id, secret) = match (p.basic, p.form_client_id, p.form_client_secret) {
        (Some((id, secret)), form_id, _) => {
            if form_id.as_ref().is_some_and(|f| f != &id) {
                return Err(ClientAuthError { error: OAuthError::invalid_request("client_id does not match the credentials"), used_basic });
            }
            (id, Some(secret))
        }
        (None, Some(id), secret) => (id, secret),
        (None, None, _) => return Err(fail("client authentication is required")),
    };
    let client = clients.get(tenant, ws, &client_id).await.map_err(|e| ClientAuthError { error: e.into(), used_basic })?;
    let Some(client) = client else {
        return Err(fail("client authentication failed"));
    };
    match (&client.secret_sha256, secret) {
        (None, None) => Ok(client),
        (None, Some(_)) => Err(fail("client authentication failed")),
        (Some(_), None) => Err(fail("client authentication failed")),
        (Some(expected), Some(s)) if ct_eq(expected, &digest(&s)) => Ok(client),
        (Some(_), Some(_)) => Err(fail("client authentication failed")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_decoded() {
        let h = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("my%3Aclient:p%40ss+word"));
        assert_eq!(parse_basic(&h), Some(("my:client".into(), "p@ss word".into())));
        assert_eq!(parse_basic("Bearer abc"), None);
    }
}
