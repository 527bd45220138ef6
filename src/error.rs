//! Internal errors. They never reach a client as such: the HTTP layer turns them into
//! `server_error`/`temporarily_unavailable` with a correlation id and logs the chain.
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    #[error("database: {0}")]
    Database(String),
    #[error("session store unavailable: {0}")]
    SessionStore(String),
    #[error("signing keys: {0}")]
    Keys(String),
    #[error("invalid data: {0}")]
    Data(String),
    /// A unique value is taken: the name of the field.
    #[error("conflict: {0} is already taken")]
    Conflict(String),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// Whether retrying later may succeed: an outage of a backing service, not a bug.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, AppError::SessionStore(_) | AppError::Database(_))
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::Data(e.to_string())
    }
}
