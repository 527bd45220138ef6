//! Identity pools: pool settings, password policy, identity schemas, imported password
//! hashes, and the user lifecycle (registration, activation, reset, status changes).
pub mod hashes;
pub mod policy;
pub mod schema;
