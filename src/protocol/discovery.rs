//! OpenID Provider metadata (OIDC Discovery §3, RFC 8414).
use serde_json::{Value, json};

/// `acr_values`: the levels of assurance the workspace's sign-ins can reach (built in,
/// then the tenant's).
pub fn metadata(issuer: &str, acr_values: &[String]) -> Value {
    let e = |path: &str| format!("{issuer}/{path}");
    json!({
        "issuer": issuer,
        "authorization_endpoint": e("authorize"),
        "token_endpoint": e("token"),
        "userinfo_endpoint": e("userinfo"),
        "jwks_uri": e("jwks"),
        "introspection_endpoint": e("introspect"),
        "revocation_endpoint": e("revoke"),
        "end_session_endpoint": e("logout"),
        "scopes_supported": ["openid", "profile", "email", "phone", "address", "offline_access"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        // OIDC Discovery §3: RS256 MUST be included.
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "sid",
            "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile",
            "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
            "email", "email_verified", "phone_number", "phone_number_verified", "address"
        ],
        // OIDC Core §5.5: the `acr` member is honoured (`auth::assurance`); other claim
        // requests are accepted and answered with the claims the scopes release.
        "claims_parameter_supported": true,
        "acr_values_supported": acr_values,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "authorization_response_iss_parameter_supported": true,
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "ui_locales_supported": crate::locale::LOCALES,
        "frontchannel_logout_supported": false,
        "backchannel_logout_supported": false,
    })
}
