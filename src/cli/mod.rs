//! Commands of the `portcullis` binary that are more than a call into the server's
//! modules: theme folders (`portcullis theme serve|push|pull`). They live in the library
//! so that the integration tests drive them as the binary does.
pub mod theme;
