//! The OAuth 2.0 / OpenID Connect core. It takes typed requests, the store traits and the
//! current time, and returns typed outcomes or an `OAuthError`; it knows nothing of HTTP,
//! SQL or Redis.
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

#[cfg(test)]
mod tests {
    /// The core stays free of HTTP, SQL and Redis types (STYLE.md §1).
    #[test]
    fn protocol_is_free_of_http_sql_and_redis() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/protocol");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for banned in [concat!("act", "ix_web"), concat!("sea", "_orm"), concat!("red", "is::")] {
                assert!(!text.contains(banned), "{} mentions {banned}", path.display());
            }
        }
    }
}
