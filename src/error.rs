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

/// Identifies one reported internal error: the client is shown it, the log has it next to
/// the error's whole chain, so a report of a failed request leads to its cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorrelationId(uuid::Uuid);

impl std::fmt::Display for CorrelationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The one place an internal error is logged: at the edge (protocol JSON, admin problem,
/// page), once, with its chain of sources and a fresh correlation id for the answer. An
/// outage of a backing service is a warning (retrying may succeed), anything else an error.
pub fn report(err: &AppError) -> CorrelationId {
    let id = CorrelationId(uuid::Uuid::new_v4());
    if err.is_unavailable() {
        tracing::warn!(correlation_id = %id, error = %chain(err), "backing service unavailable");
    } else {
        tracing::error!(correlation_id = %id, error = %chain(err), "internal error");
    }
    id
}

/// An error and its sources, outermost first: `a: b: c`.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::Data(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn the_chain_names_every_source() {
        let e = Outer(std::io::Error::other("inner"));
        assert_eq!(chain(&e), "outer: inner");
        assert_ne!(report(&AppError::Internal("x".into())), report(&AppError::Internal("x".into())));
    }
}
