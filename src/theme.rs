//! Themes are data: CSS custom properties, a product name, a logo and a choice among the
//! compiled layouts. A page's theme resolves per setting: workspace → tenant → built-in
//! default (`themes/default/theme.toml`). The variables a theme may set are listed in
//! `themes/README.md`; `static/css/app.css` uses only those.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    #[default]
    Centered,
    Split,
}

impl Layout {
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Centered => "centered",
            Layout::Split => "split",
        }
    }
}

/// One layer of theme settings; every setting optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ThemeSpec {
    pub product_name: Option<String>,
    pub logo_url: Option<String>,
    pub layout: Option<Layout>,
    #[serde(default)]
    pub tokens: BTreeMap<String, String>,
}

/// A resolved theme, ready for a page.
#[derive(Debug, Clone)]
pub struct Theme {
    pub product_name: String,
    pub logo_url: String,
    pub layout: Layout,
    pub tokens: Vec<(String, String)>,
}

/// The variables a theme may set (documented in themes/README.md).
pub const TOKENS: &[&str] = &[
    "--pc-color-primary",
    "--pc-color-primary-contrast",
    "--pc-color-background",
    "--pc-color-surface",
    "--pc-color-text",
    "--pc-color-muted",
    "--pc-color-error",
    "--pc-color-border",
    "--pc-font-family",
    "--pc-radius",
    "--pc-card-width",
];

const DEFAULT_THEME: &str = include_str!("../themes/default/theme.toml");

/// The built-in theme; part of the binary, parsed once, checked by a unit test.
pub fn builtin() -> &'static ThemeSpec {
    static BUILTIN: std::sync::LazyLock<ThemeSpec> = std::sync::LazyLock::new(|| toml::from_str(DEFAULT_THEME).unwrap_or_default());
    &BUILTIN
}

/// Checks a layer: known variables only, and values that cannot leave a CSS declaration
/// (no quotes, semicolons, braces or angle brackets).
pub fn validate(spec: &ThemeSpec) -> Result<(), String> {
    for (k, v) in &spec.tokens {
        if !TOKENS.contains(&k.as_str()) {
            return Err(format!("tokens.{k}: unknown theme variable (see themes/README.md)"));
        }
        let safe = !v.is_empty() && v.len() <= 200 && v.chars().all(|c| c.is_ascii_alphanumeric() || " #%(),.-_/".contains(c));
        if !safe {
            return Err(format!("tokens.{k}: value may only contain letters, digits, spaces and # % ( ) , . - _ /"));
        }
    }
    if spec.logo_url.as_ref().is_some_and(|u| !(u.starts_with("https://") || u.starts_with("/static/"))) {
        return Err("logo_url: an https:// URL or a /static/ path".into());
    }
    Ok(())
}

/// Resolves layers, most general first: later layers win per setting.
pub fn resolve(layers: &[&ThemeSpec]) -> Theme {
    let mut tokens: BTreeMap<&str, &str> = BTreeMap::new();
    let mut theme = Theme { product_name: "Portcullis".into(), logo_url: "/static/img/logo.svg".into(), layout: Layout::Centered, tokens: vec![] };
    for l in layers {
        if let Some(n) = &l.product_name {
            theme.product_name = n.clone();
        }
        if let Some(u) = &l.logo_url {
            theme.logo_url = u.clone();
        }
        if let Some(layout) = l.layout {
            theme.layout = layout;
        }
        for (k, v) in &l.tokens {
            tokens.insert(k, v);
        }
    }
    theme.tokens = tokens.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    theme
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_theme_is_valid_and_complete() {
        let b: ThemeSpec = toml::from_str(DEFAULT_THEME).unwrap();
        validate(&b).unwrap();
        for t in TOKENS {
            assert!(b.tokens.contains_key(*t), "default theme misses {t}");
        }
    }

    #[test]
    fn workspace_overrides_tenant_overrides_default() {
        let d = builtin();
        let tenant = ThemeSpec { product_name: Some("ACME".into()), tokens: [("--pc-color-primary".to_string(), "#ff0000".to_string())].into(), ..Default::default() };
        let ws = ThemeSpec { tokens: [("--pc-color-primary".to_string(), "#00ff00".to_string())].into(), ..Default::default() };
        let t = resolve(&[d, &tenant, &ws]);
        assert_eq!(t.product_name, "ACME");
        assert!(t.tokens.contains(&("--pc-color-primary".into(), "#00ff00".into())));
        assert!(t.tokens.iter().any(|(k, _)| k == "--pc-font-family"));
    }

    #[test]
    fn values_that_could_escape_css_are_refused() {
        let bad = ThemeSpec { tokens: [("--pc-color-primary".to_string(), "red;} body{display:none".to_string())].into(), ..Default::default() };
        assert!(validate(&bad).is_err());
        let unknown = ThemeSpec { tokens: [("--evil".to_string(), "1px".to_string())].into(), ..Default::default() };
        assert!(validate(&unknown).is_err());
    }
}
