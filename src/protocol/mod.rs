//! The OAuth 2.0 / OpenID Connect core. It takes typed requests, the store traits and the
//! current time, and returns typed outcomes or an `OAuthError`; it knows nothing of HTTP,
//! SQL or Redis (`crate::architecture` checks it).
pub mod authorize;
pub mod claims;
pub mod client_auth;
pub mod discovery;
pub mod error;
pub mod introspection;
pub mod logout;
pub mod pkce;
pub mod token;
pub mod tokens;
pub mod types;

pub use error::{ErrorCode, OAuthError};
