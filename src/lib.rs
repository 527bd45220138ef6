//! Portcullis: a customer identity and access management server (OpenID Connect provider).
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::todo))]

pub mod admin;
#[cfg(test)]
mod architecture;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod delivery;
pub mod error;
pub mod http;
pub mod identity;
pub mod import;
pub mod keys;
pub mod locale;
pub mod model;
pub mod protocol;
pub mod provision;
pub mod redact;
pub mod startup;
pub mod state;
pub mod storage;
pub mod templates;
pub mod studio;
pub mod texts;
pub mod theme;
pub mod theme_cache;
pub mod views;
