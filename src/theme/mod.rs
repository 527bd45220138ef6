//! Themes are data: design tokens (CSS custom properties), a product name, logo, favicon,
//! background image and web fonts (uploaded assets), dark-mode values, a colour-scheme
//! setting and a choice among the compiled layouts. A page's theme resolves per setting,
//! most general first: built-in (`themes/default/theme.toml`) → tenant → workspace →
//! client (DESIGN.md "Themes"). Layers are stored as versioned objects behind
//! `storage::ThemeStore`; nothing else writes them.
//!
//! The variables a theme may set are listed in `themes/README.md` and [`tokens`];
//! `static/css/app.css` uses only those. Every value reaches the page's inline style only
//! after [`validate`] accepted it: it cannot leave its declaration, so a theme can restyle a
//! page but never add markup, scripts or requests to other origins.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod assets;
pub mod folder;
pub mod frame;
mod validate;

pub use validate::{check_contrast, contrast_ratio, parse_colour, validate, Level};

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

/// Which colours a page uses: the browser's preference (`prefers-color-scheme`), or always
/// the light or always the dark values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ColorScheme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl ColorScheme {
    /// The `data-color-scheme` attribute of the page's body ("" for auto: none).
    pub fn attr(self) -> &'static str {
        match self {
            ColorScheme::Auto => "",
            ColorScheme::Light => "light",
            ColorScheme::Dark => "dark",
        }
    }
}

/// A web font of the theme, from an uploaded WOFF2 asset (`@font-face`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontFace {
    /// The family name the `--pc-font-family` token refers to: letters, spaces, hyphens.
    pub family: String,
    /// A `/static/t/{tenant}/{hash}.woff2` asset URL.
    pub url: String,
    /// `400`, `700`, or a range `100 900`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<String>,
    /// `normal` or `italic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
}

/// One layer of theme settings; every setting optional. What the admin API's `GET
/// …/theme` returns, and its `PUT` takes back unchanged.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ThemeSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// An asset URL (`/static/…`) or an `https://` URL of an allowed origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favicon_url: Option<String>,
    /// An uploaded image asset: behind the card (centered) or in the brand panel (split).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<Layout>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color_scheme: Option<ColorScheme>,
    /// CSS custom properties from [`tokens`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tokens: BTreeMap<String, String>,
    /// Dark-mode values of colour tokens ([`COLOURS`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dark: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fonts: Vec<FontFace>,
    /// Tenant layer only: `https://` origins pages may load images and fonts from (the
    /// CSP allows only our own origin otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_origins: Vec<String>,
    /// The page frame (`frame.html`): HTML around the compiled form, rendered by the
    /// sandboxed runtime of [`frame`]; it shows the form with `{{ form }}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<String>,
    /// Frames of single pages by page id (`GET /api/admin/v1/pages`), over `frame`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub frames: BTreeMap<String, String>,
    /// Text overrides, locale → key → Fluent text (`texts/<locale>.ftl` of a theme
    /// folder); checked by `texts::validate_overrides`; later layers win per key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub texts: crate::texts::Overrides,
}

impl ThemeSpec {
    /// Whether the layer sets nothing.
    pub fn is_empty(&self) -> bool {
        *self == ThemeSpec::default()
    }
}

/// A resolved theme, ready for a page.
#[derive(Debug, Clone)]
pub struct Theme {
    pub product_name: String,
    pub logo_url: String,
    pub favicon_url: String,
    pub background_image: Option<String>,
    pub layout: Layout,
    pub color_scheme: ColorScheme,
    pub tokens: Vec<(String, String)>,
    pub dark: Vec<(String, String)>,
    pub fonts: Vec<FontFace>,
    pub allowed_origins: Vec<String>,
    pub frame: Option<String>,
    pub frames: BTreeMap<String, String>,
    /// The layers' text overrides merged (later layers win per locale and key).
    pub texts: crate::texts::Overrides,
}

/// The colour variables: each has a light value in `tokens` and a dark one in `dark`.
pub const COLOURS: &[&str] = &[
    "--pc-color-primary",
    "--pc-color-primary-contrast",
    "--pc-color-background",
    "--pc-color-surface",
    "--pc-color-text",
    "--pc-color-muted",
    "--pc-color-error",
    "--pc-color-border",
    "--pc-color-link",
    "--pc-color-success",
    "--pc-color-warning",
    "--pc-color-info",
    "--pc-color-focus",
];

/// The variables besides the colours.
pub const OTHER_TOKENS: &[&str] = &["--pc-font-family", "--pc-radius", "--pc-card-width", "--pc-logo-height"];

/// Every variable a theme may set (documented in themes/README.md): the colours and the
/// others.
pub fn tokens() -> impl Iterator<Item = &'static str> {
    COLOURS.iter().chain(OTHER_TOKENS).copied()
}

/// Whether a theme may set the variable `name`.
pub fn is_token(name: &str) -> bool {
    tokens().any(|t| t == name)
}

const DEFAULT_THEME: &str = include_str!("../../themes/default/theme.toml");

/// The built-in theme; part of the binary, parsed once, checked by a unit test.
pub fn builtin() -> &'static ThemeSpec {
    static BUILTIN: std::sync::LazyLock<ThemeSpec> = std::sync::LazyLock::new(|| toml::from_str(DEFAULT_THEME).unwrap_or_default());
    &BUILTIN
}

/// Resolves layers, most general first: later layers win per setting (per token).
/// `allowed_origins` come from the tenant layer only (the second; `validate` refuses them
/// elsewhere).
pub fn resolve(layers: &[&ThemeSpec]) -> Theme {
    let mut tokens: BTreeMap<&str, &str> = BTreeMap::new();
    let mut dark: BTreeMap<&str, &str> = BTreeMap::new();
    let mut theme = Theme {
        product_name: "Portcullis".into(),
        logo_url: "/static/img/logo.svg".into(),
        favicon_url: "/static/img/logo.svg".into(),
        background_image: None,
        layout: Layout::Centered,
        color_scheme: ColorScheme::Auto,
        tokens: vec![],
        dark: vec![],
        fonts: vec![],
        allowed_origins: vec![],
        frame: None,
        frames: BTreeMap::new(),
        texts: BTreeMap::new(),
    };
    for l in layers {
        if let Some(n) = &l.product_name {
            theme.product_name = n.clone();
        }
        if let Some(u) = &l.logo_url {
            theme.logo_url = u.clone();
        }
        if let Some(u) = &l.favicon_url {
            theme.favicon_url = u.clone();
        }
        if let Some(u) = &l.background_image {
            theme.background_image = Some(u.clone());
        }
        if let Some(layout) = l.layout {
            theme.layout = layout;
        }
        if let Some(s) = l.color_scheme {
            theme.color_scheme = s;
        }
        if !l.fonts.is_empty() {
            theme.fonts = l.fonts.clone();
        }
        if !l.allowed_origins.is_empty() {
            theme.allowed_origins = l.allowed_origins.clone();
        }
        if let Some(f) = &l.frame {
            // An empty frame at a layer takes the frames below it away.
            theme.frame = Some(f.clone()).filter(|f| !f.trim().is_empty());
        }
        for (page, f) in &l.frames {
            theme.frames.insert(page.clone(), f.clone());
        }
        for (lang, texts) in &l.texts {
            let merged = theme.texts.entry(lang.clone()).or_default();
            merged.extend(texts.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        for (k, v) in &l.tokens {
            tokens.insert(k, v);
        }
        for (k, v) in &l.dark {
            dark.insert(k, v);
        }
    }
    theme.tokens = tokens.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    theme.dark = dark.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    theme
}

/// Resolves stored layers (tenant first) over the built-in theme.
pub fn resolve_over_builtin(layers: &[ThemeSpec]) -> Theme {
    let mut stack = vec![builtin()];
    stack.extend(layers.iter());
    resolve(&stack)
}

/// Checks a layer where it sits: its own rules ([`validate`]), then the WCAG AA contrast
/// of the theme it resolves to over `below` (the stored layers more general than it,
/// tenant first; the built-in theme lies under all). The tenant layer's `allowed_origins`
/// are what the layers above it may load images from.
pub fn check_layer(layer: &ThemeSpec, level: Level<'_>, below: &[&ThemeSpec]) -> Result<(), Vec<crate::error::FieldError>> {
    let origins = below.first().map(|t| t.allowed_origins.clone()).unwrap_or_default();
    validate(layer, level, &origins)?;
    let mut stack = vec![builtin()];
    stack.extend_from_slice(below);
    stack.push(layer);
    let errors = check_contrast(&resolve(&stack));
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

impl Theme {
    /// The value of a light token.
    pub fn token(&self, name: &str) -> Option<&str> {
        self.tokens.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value of a colour in dark mode: its dark value, else its light one.
    pub fn dark_token(&self, name: &str) -> Option<&str> {
        self.dark.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).or_else(|| self.token(name))
    }

    /// The page's inline style: the variables, their dark values (under
    /// `prefers-color-scheme: dark` unless the page is forced light, and always when it is
    /// forced dark), the background image and the web fonts. Every value passed `validate`
    /// (no quotes, semicolons, braces, angle brackets, `url(`), and the URLs written here
    /// are asset paths of a fixed shape, so nothing can leave its declaration.
    pub fn css(&self) -> String {
        let mut css = String::with_capacity(1024);
        for f in &self.fonts {
            css.push_str(&format!("@font-face{{font-family:{};src:url({}) format(woff2);font-display:swap", f.family, f.url));
            if let Some(w) = &f.weight {
                css.push_str(&format!(";font-weight:{w}"));
            }
            if let Some(s) = &f.style {
                css.push_str(&format!(";font-style:{s}"));
            }
            css.push('}');
        }
        css.push_str(":root{");
        for (k, v) in &self.tokens {
            css.push_str(&format!("{k}:{v};"));
        }
        if let Some(bg) = &self.background_image {
            css.push_str(&format!("--pc-background-image:url({bg});"));
        }
        css.push('}');
        let dark: String = COLOURS.iter().filter_map(|k| self.dark_token(k).map(|v| format!("{k}:{v};"))).collect();
        if !dark.is_empty() {
            css.push_str(&format!("@media (prefers-color-scheme: dark){{body:not([data-color-scheme=light]){{{dark}color-scheme:dark}}}}"));
            css.push_str(&format!("body[data-color-scheme=dark]{{{dark}color-scheme:dark}}"));
        }
        css
    }

    /// The frame of page `id`: its own, else the theme's.
    pub fn frame_for(&self, id: &str) -> Option<&str> {
        self.frames.get(id).map(String::as_str).filter(|f| !f.trim().is_empty()).or(self.frame.as_deref())
    }

    /// A rendered page inside its frame (unchanged without one).
    pub fn framed(&self, html: String) -> String {
        let id = html.find("data-page=\"").and_then(|p| html[p + 11..].split('"').next()).unwrap_or_default().to_owned();
        match self.frame_for(&id) {
            Some(src) => frame::apply(src, html, &self.product_name, &self.logo_url),
            None => html,
        }
    }

    /// The page's texts in `lang`: the catalogue with this theme's overrides.
    pub fn strings(&self, lang: &str) -> std::sync::Arc<crate::texts::Strings> {
        crate::texts::strings(lang, &[&self.texts])
    }

    /// The origins besides our own the page's CSP allows images and fonts from.
    pub fn csp_origins(&self) -> String {
        self.allowed_origins.iter().map(|o| format!(" {o}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(tokens: &[(&str, &str)]) -> ThemeSpec {
        ThemeSpec { tokens: tokens.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), ..Default::default() }
    }

    #[test]
    fn builtin_theme_is_valid_and_complete() {
        let b: ThemeSpec = toml::from_str(DEFAULT_THEME).unwrap();
        validate(&b, Level::Builtin, &[]).unwrap();
        for t in tokens() {
            assert!(b.tokens.contains_key(t), "default theme misses {t}");
        }
        for c in COLOURS {
            assert!(b.dark.contains_key(*c), "default theme misses the dark value of {c}");
        }
        assert!(check_contrast(&resolve(&[&b])).is_empty(), "{:?}", check_contrast(&resolve(&[&b])));
    }

    #[test]
    fn client_overrides_workspace_overrides_tenant_overrides_default() {
        let d = builtin();
        let tenant = ThemeSpec { product_name: Some("ACME".into()), ..spec(&[("--pc-color-primary", "#aa0000"), ("--pc-radius", "2px")]) };
        let ws = spec(&[("--pc-color-primary", "#00aa00"), ("--pc-card-width", "30rem")]);
        let client = ThemeSpec { layout: Some(Layout::Split), ..spec(&[("--pc-color-primary", "#0000aa")]) };
        let t = resolve(&[d, &tenant, &ws, &client]);
        assert_eq!(t.product_name, "ACME");
        assert_eq!((t.token("--pc-color-primary"), t.token("--pc-radius"), t.token("--pc-card-width")), (Some("#0000aa"), Some("2px"), Some("30rem")));
        assert_eq!(t.layout, Layout::Split);
        assert!(t.token("--pc-font-family").is_some());
    }

    #[test]
    fn css_carries_dark_values_and_the_forced_scheme() {
        let t = resolve(&[builtin()]);
        let css = t.css();
        assert!(css.contains("@media (prefers-color-scheme: dark){body:not([data-color-scheme=light]){--pc-color-primary:"), "{css}");
        assert!(css.contains("body[data-color-scheme=dark]{"));
        assert!(!css.contains('"') && !css.contains('<'));
    }
}
