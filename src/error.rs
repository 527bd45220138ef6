//! Internal errors. They never reach a client as such: at the edge (protocol JSON, admin
//! problem, page) [`report`] logs the whole chain once under a correlation id and the client
//! learns only the class (`server_error`, `temporarily_unavailable`, …) and the id.
//!
//! The variants say what the caller can do about it:
//! - [`AppError::Invalid`]: the input breaks rules, field by field (the caller fixes it);
//! - [`AppError::Conflict`]: a unique value is taken (the caller picks another);
//! - [`AppError::Corrupt`]: a stored record cannot be read (a bug or tampering);
//! - [`AppError::Unavailable`]: a backing service is down (retrying later may work);
//! - [`AppError::Internal`]: anything else that is a bug or a broken setup.
//!
//! Causes are kept as `source` (never flattened into the message), so the log shows the
//! chain: `session store unavailable: Connection refused (os error 111)`.
use thiserror::Error;

/// The cause of an error: any error, or a message where the cause is not a Rust error.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// One problem with a document or form. `pointer` is a JSON pointer (RFC 6901) into what
/// was checked; `""` is the root. `message` reads after the field's name: "is required",
/// "must be at most 200 characters". Here, at the bottom, so that every layer can carry it
/// (`identity::users` checks drafts with it, `AppError::Invalid` carries it, the admin API
/// renders it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub pointer: String,
    /// Serialised as `detail`, like the members of a problem document's `errors`.
    #[serde(rename = "detail")]
    pub message: String,
}

impl FieldError {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { pointer: pointer.into(), message: message.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.pointer, self.message) }
    }
}

/// A backing service whose outage is an [`AppError::Unavailable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Database,
    SessionStore,
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Service::Database => "database",
            Service::SessionStore => "session store",
        })
    }
}

#[derive(Debug, Error)]
pub enum AppError {
    /// Input that breaks rules: every field to fix.
    #[error("invalid input: {}", list(.0))]
    Invalid(Vec<FieldError>),
    /// A unique value is taken: the name of the field.
    #[error("conflict: {0} is already taken")]
    Conflict(String),
    /// A stored record that cannot be read (a row, a session record, a stored hash).
    #[error("corrupt {what}")]
    Corrupt {
        what: String,
        #[source]
        source: Option<Cause>,
    },
    /// A backing service is unreachable, timed out or failed.
    #[error("{service} unavailable")]
    Unavailable {
        service: Service,
        #[source]
        source: Option<Cause>,
    },
    /// A bug or a broken setup (no signing key, a worker gone).
    #[error("{what}")]
    Internal {
        what: String,
        #[source]
        source: Option<Cause>,
    },
}

fn list(errors: &[FieldError]) -> String {
    errors.iter().map(FieldError::to_string).collect::<Vec<_>>().join("; ")
}

impl AppError {
    /// One field to fix.
    pub fn invalid(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(pointer, message)])
    }

    pub fn corrupt(what: impl Into<String>) -> Self {
        AppError::Corrupt { what: what.into(), source: None }
    }

    pub fn unavailable(service: Service, cause: impl Into<Cause>) -> Self {
        AppError::Unavailable { service, source: Some(cause.into()) }
    }

    pub fn internal(what: impl Into<String>) -> Self {
        AppError::Internal { what: what.into(), source: None }
    }

    /// The same error with `cause` as its source (for `Corrupt`, `Unavailable` and
    /// `Internal`; the others have no cause and are returned as they are).
    pub fn because(mut self, cause: impl Into<Cause>) -> Self {
        if let AppError::Corrupt { source, .. } | AppError::Unavailable { source, .. } | AppError::Internal { source, .. } = &mut self {
            *source = Some(cause.into());
        }
        self
    }

    /// Whether retrying later may succeed: an outage of a backing service, not a bug.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, AppError::Unavailable { .. })
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

/// JSON that does not (de)serialise. The `?` sites parse stored columns and session
/// records, so it is `Corrupt` (a record that no longer reads); a value that cannot be
/// serialised is a bug and answers the same 500.
impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> Self {
        AppError::corrupt("JSON record").because(e)
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
        assert_ne!(report(&AppError::internal("x")), report(&AppError::internal("x")));
        let down = AppError::unavailable(Service::SessionStore, std::io::Error::other("connection refused"));
        assert!(down.is_unavailable());
        assert_eq!(chain(&down), "session store unavailable: connection refused");
        assert_eq!(chain(&AppError::corrupt("user row").because("status \"x\"")), "corrupt user row: status \"x\"");
        let invalid = AppError::Invalid(vec![FieldError::new("/email", "is required"), FieldError::new("", "too long")]);
        assert_eq!(invalid.to_string(), "invalid input: /email: is required; too long");
    }
}
