//! One RFC-shaped error: RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1,
//! OpenID Connect Core §3.1.2.6. The wire shape is exactly `{error, error_description?}`.
use serde::Serialize;

use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidRequest,
    UnauthorizedClient,
    AccessDenied,
    UnsupportedResponseType,
    InvalidScope,
    ServerError,
    TemporarilyUnavailable,
    InvalidClient,
    InvalidGrant,
    UnsupportedGrantType,
    UnsupportedTokenType,
    InvalidToken,
    InsufficientScope,
    InteractionRequired,
    LoginRequired,
    ConsentRequired,
    RequestNotSupported,
    RequestUriNotSupported,
    RegistrationNotSupported,
    /// OpenID Connect Core Unmet Authentication Requirements 1.0 §3: the authentication
    /// the request asked for (`acr_values`, an essential `acr` claim, the client's
    /// `min_acr`) cannot be performed.
    UnmetAuthenticationRequirements,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::UnauthorizedClient => "unauthorized_client",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::UnsupportedResponseType => "unsupported_response_type",
            ErrorCode::InvalidScope => "invalid_scope",
            ErrorCode::ServerError => "server_error",
            ErrorCode::TemporarilyUnavailable => "temporarily_unavailable",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::UnsupportedTokenType => "unsupported_token_type",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::InsufficientScope => "insufficient_scope",
            ErrorCode::InteractionRequired => "interaction_required",
            ErrorCode::LoginRequired => "login_required",
            ErrorCode::ConsentRequired => "consent_required",
            ErrorCode::RequestNotSupported => "request_not_supported",
            ErrorCode::RequestUriNotSupported => "request_uri_not_supported",
            ErrorCode::RegistrationNotSupported => "registration_not_supported",
            ErrorCode::UnmetAuthenticationRequirements => "unmet_authentication_requirements",
        }
    }

    /// The HTTP status when the error is returned in a response body (RFC 6749 §5.2,
    /// RFC 6750 §3.1).
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidClient | ErrorCode::InvalidToken => 401,
            ErrorCode::InsufficientScope => 403,
            ErrorCode::ServerError => 500,
            ErrorCode::TemporarilyUnavailable => 503,
            _ => 400,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OAuthError {
    pub error: ErrorCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

impl OAuthError {
    /// `description` must stay within RFC 6749's %x20-21 / %x23-5B / %x5D-7E set:
    /// anything outside it is dropped here so a caller cannot break the rule.
    pub fn new(error: ErrorCode, description: impl Into<String>) -> Self {
        let d: String = description.into().chars().filter(|c| matches!(*c as u32, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E)).collect();
        Self { error, error_description: (!d.is_empty()).then_some(d) }
    }
    pub fn invalid_request(d: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, d)
    }
    pub fn invalid_client(d: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidClient, d)
    }
    pub fn invalid_grant(d: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidGrant, d)
    }
    pub fn invalid_scope(d: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidScope, d)
    }
    pub fn invalid_token(d: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidToken, d)
    }
    pub fn unauthorized_client(d: impl Into<String>) -> Self {
        Self::new(ErrorCode::UnauthorizedClient, d)
    }
    pub fn access_denied(d: impl Into<String>) -> Self {
        Self::new(ErrorCode::AccessDenied, d)
    }
}

impl From<AppError> for OAuthError {
    /// The one place an internal error meets the protocol: its whole chain is logged here,
    /// once, under a correlation id that the client gets in the description (so a report
    /// of a failed request can be matched to its cause); the client learns only the class.
    fn from(e: AppError) -> Self {
        let id = crate::error::report(&e);
        if e.is_unavailable() {
            OAuthError::new(ErrorCode::TemporarilyUnavailable, format!("The service is temporarily unavailable (ref {id})"))
        } else {
            OAuthError::new(ErrorCode::ServerError, format!("Internal error (ref {id})"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_stay_in_the_rfc_6749_character_set() {
        let e = OAuthError::invalid_request("bad \"quote\" and \\ and é");
        assert_eq!(e.error_description.as_deref(), Some("bad quote and  and "));
        assert_eq!(serde_json::to_value(&e).unwrap(), serde_json::json!({"error": "invalid_request", "error_description": "bad quote and  and "}));
    }

    #[test]
    fn internal_errors_reach_the_client_as_their_class_with_a_reference_only() {
        let e = OAuthError::from(AppError::unavailable(crate::error::Service::SessionStore, "connection refused to 10.0.0.5"));
        assert_eq!(e.error, ErrorCode::TemporarilyUnavailable);
        let d = e.error_description.unwrap();
        assert!(d.contains("(ref ") && !d.contains("10.0.0.5"), "{d}");
        let e = OAuthError::from(AppError::internal("secret detail"));
        assert_eq!(e.error, ErrorCode::ServerError);
        assert!(!e.error_description.unwrap().contains("secret"));
    }
}
