//! The locales Portcullis speaks. A bottom module: the protocol core advertises them in
//! discovery (`ui_locales_supported`, OIDC Discovery 1.0 §3) and the pages render them, so
//! neither has to import the other.

/// Locales the hosted pages speak, in order of preference. Each has a catalogue in
/// `views::Strings`.
pub const LOCALES: &[&str] = &["en", "de"];
