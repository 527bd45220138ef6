//! Integration tests: the real server, driven over HTTP by independent clients, on
//! SQLite + memory sessions and on PostgreSQL + Redis.
mod helpers;

mod admin;
mod browser;
mod expiry;
mod flows;
mod hardening;
mod hardening_http;
mod hardening_storage;
mod import;
mod mfa_adaptive;
mod mfa_admin;
mod mfa_codes;
mod mfa_passkey;
mod mfa_levels;
mod mfa_totp;
mod negative;
mod nodes;
mod operations;
mod polish;
mod pools;
mod templates;
mod theme_cli;
mod studio;
mod themes;
mod texts;
