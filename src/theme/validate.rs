//! Checks of a theme layer, each refusal naming the offending setting by JSON pointer
//! (`/tokens/--pc-color-text`, `/dark/--pc-color-link`, `/fonts/0/url`): unknown tokens,
//! values that could leave their CSS declaration, `url(` and other CSS functions in
//! tokens, colours that are not colours, asset URLs that are not this tenant's assets, and
//! (on the resolved theme) colour pairs below WCAG 2.2 AA contrast.
use super::{COLOURS, Theme, ThemeSpec, assets, is_token};
use crate::error::FieldError;

/// Where a layer sits: what it may set and whose assets it may use.
#[derive(Debug, Clone, Copy)]
pub enum Level<'a> {
    Builtin,
    Tenant(&'a str),
    Workspace(&'a str),
    Client(&'a str),
}

impl Level<'_> {
    fn tenant(&self) -> Option<&str> {
        match self {
            Level::Builtin => None,
            Level::Tenant(t) | Level::Workspace(t) | Level::Client(t) => Some(t),
        }
    }
}

/// The CSS functions a token value may call: colours and arithmetic. Anything else
/// (`url(`, `image-set(`, `expression(`, `var(`, `env(`, `attr(`) could fetch, read or
/// depend on what the theme author does not control.
const FUNCTIONS: &[&str] = &["rgb", "rgba", "hsl", "hsla", "calc", "min", "max", "clamp"];

const MAX_VALUE: usize = 200;
const MAX_FONTS: usize = 8;
const MAX_ORIGINS: usize = 10;
const MAX_NAME: usize = 100;

fn e(pointer: String, message: impl Into<String>) -> FieldError {
    FieldError { pointer, message: message.into() }
}

/// Checks a layer. `allowed_origins`: the tenant's (for `https://` logo and favicon URLs);
/// a tenant layer's own list counts for itself. All refusals, each with its pointer.
pub fn validate(spec: &ThemeSpec, level: Level<'_>, allowed_origins: &[String]) -> Result<(), Vec<FieldError>> {
    let mut errors = vec![];
    if let Err(o) = crate::texts::validate_overrides("/texts", &spec.texts) {
        errors.push(e(o.path, o.message));
    }
    for (k, v) in &spec.tokens {
        if let Err(m) = token(k, v) {
            errors.push(e(format!("/tokens/{k}"), m));
        }
    }
    for (k, v) in &spec.dark {
        let m = if !COLOURS.contains(&k.as_str()) { Err(format!("only colours have dark values ({})", COLOURS.join(", "))) } else { token(k, v) };
        if let Err(m) = m {
            errors.push(e(format!("/dark/{k}"), m));
        }
    }
    if let Some(n) = &spec.product_name
        && (n.trim().is_empty() || n.chars().count() > MAX_NAME || n.chars().any(char::is_control))
    {
        errors.push(e("/product_name".into(), format!("1 to {MAX_NAME} characters, no control characters")));
    }
    let own = if matches!(level, Level::Tenant(_)) { &spec.allowed_origins[..] } else { allowed_origins };
    for (field, url) in [("logo_url", &spec.logo_url), ("favicon_url", &spec.favicon_url)] {
        if let Some(u) = url
            && let Err(m) = image_url(u, level, own)
        {
            errors.push(e(format!("/{field}"), m));
        }
    }
    if let Some(u) = &spec.background_image
        && assets::asset_url(u, level.tenant().unwrap_or("")).is_none_or(|ext| ext == "woff2")
    {
        errors.push(e("/background_image".into(), "an image asset of this tenant (/static/t/{tenant}/{id}.{ext}, from POST …/assets)"));
    }
    if spec.fonts.len() > MAX_FONTS {
        errors.push(e("/fonts".into(), format!("at most {MAX_FONTS} fonts")));
    }
    for (i, f) in spec.fonts.iter().enumerate() {
        let family_ok = !f.family.is_empty() && f.family.len() <= 64 && f.family.chars().all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-');
        if !family_ok {
            errors.push(e(format!("/fonts/{i}/family"), "1 to 64 letters, spaces or hyphens"));
        }
        if assets::asset_url(&f.url, level.tenant().unwrap_or("")) != Some("woff2") {
            errors.push(e(format!("/fonts/{i}/url"), "a WOFF2 asset of this tenant (/static/t/{tenant}/{id}.woff2)"));
        }
        if let Some(w) = &f.weight
            && !(w.split(' ').count() <= 2 && w.split(' ').all(|n| n.parse::<u16>().is_ok_and(|n| (1..=1000).contains(&n))))
        {
            errors.push(e(format!("/fonts/{i}/weight"), "a weight from 1 to 1000, or a range like \"100 900\""));
        }
        if let Some(s) = &f.style
            && s != "normal"
            && s != "italic"
        {
            errors.push(e(format!("/fonts/{i}/style"), "normal or italic"));
        }
    }
    if !spec.allowed_origins.is_empty() && !matches!(level, Level::Tenant(_)) {
        errors.push(e("/allowed_origins".into(), "only the tenant's theme allows origins"));
    }
    if spec.allowed_origins.len() > MAX_ORIGINS {
        errors.push(e("/allowed_origins".into(), format!("at most {MAX_ORIGINS} origins")));
    }
    for (i, o) in spec.allowed_origins.iter().enumerate() {
        if !is_https_origin(o) {
            errors.push(e(format!("/allowed_origins/{i}"), "an https origin: https://host[:port], no path"));
        }
    }
    if let Some(f) = spec.frame.as_deref().filter(|f| !f.trim().is_empty())
        && let Err(m) = super::frame::validate(f)
    {
        errors.push(e("/frame".into(), m));
    }
    // Which page ids exist is the page registry's to say (`views::check_frame_pages`);
    // here only their shape.
    for (page, f) in &spec.frames {
        if page.is_empty() || page.len() > 40 || !page.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
            errors.push(e(format!("/frames/{page}"), "not a page id (GET /api/admin/v1/pages)"));
        } else if !f.trim().is_empty()
            && let Err(m) = super::frame::validate(f)
        {
            errors.push(e(format!("/frames/{page}"), m));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

fn is_https_origin(o: &str) -> bool {
    url::Url::parse(o).is_ok_and(|u| u.scheme() == "https" && u.host_str().is_some_and(|h| !h.is_empty()) && u.origin().ascii_serialization() == o)
}

fn image_url(u: &str, level: Level<'_>, allowed: &[String]) -> Result<(), String> {
    if u == "/static/img/logo.svg" || assets::asset_url(u, level.tenant().unwrap_or("")).is_some_and(|ext| ext != "woff2") {
        return Ok(());
    }
    if let Some(origin) = url::Url::parse(u).ok().filter(|x| x.scheme() == "https").map(|x| x.origin().ascii_serialization()) {
        if allowed.contains(&origin) && !u.contains(['"', '\'', '<', '>', ' ', '\\']) {
            return Ok(());
        }
        return Err(format!("{origin} is not among the tenant theme's allowed_origins"));
    }
    Err("an image asset of this tenant (/static/t/{tenant}/{id}.{ext}) or an https URL of an allowed origin".into())
}

/// One token value: a known variable, a value that cannot leave its declaration, no
/// `url(` or other fetching functions, colours as colours, lengths as lengths.
fn token(name: &str, value: &str) -> Result<(), String> {
    if !is_token(name) {
        return Err("unknown theme variable (see themes/README.md)".into());
    }
    let lower = value.to_ascii_lowercase();
    if lower.contains("url(") {
        return Err("url( is not allowed in tokens: upload an asset and use background_image, logo_url or fonts".into());
    }
    let safe = !value.trim().is_empty() && value.len() <= MAX_VALUE && value.chars().all(|c| c.is_ascii_alphanumeric() || " #%(),.-_/+*".contains(c));
    if !safe {
        return Err(format!("at most {MAX_VALUE} of letters, digits, spaces and # % ( ) , . - _ / + *, so that the value cannot leave its declaration"));
    }
    if lower.contains("/*") || lower.contains("*/") {
        return Err("comments are not allowed".into());
    }
    if let Some(f) = functions(&lower).find(|f| !FUNCTIONS.contains(f)) {
        return Err(format!("the function {f}( is not allowed (only {})", FUNCTIONS.join(", ")));
    }
    if value.matches('(').count() != value.matches(')').count() {
        return Err("unbalanced parentheses".into());
    }
    if COLOURS.contains(&name) {
        parse_colour(value).ok_or("a colour: #rgb, #rrggbb or rgb(r, g, b)")?;
    } else if matches!(name, "--pc-radius" | "--pc-card-width" | "--pc-logo-height") && !is_length(value) {
        return Err("a length: a number with px, rem, em or % (e.g. 8px, 2.5rem)".into());
    } else if name == "--pc-font-family" && !value.chars().all(|c| c.is_ascii_alphanumeric() || " ,-".contains(c)) {
        return Err("font family names separated by commas (letters, digits, spaces, hyphens)".into());
    }
    Ok(())
}

/// The names of the functions a value calls (`rgb` of `rgb(1, 2, 3)`).
fn functions(v: &str) -> impl Iterator<Item = &str> {
    v.match_indices('(').map(move |(i, _)| {
        let start = v[..i].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).map_or(0, |p| p + 1);
        &v[start..i]
    })
}

fn is_length(v: &str) -> bool {
    let v = v.trim();
    // Arithmetic of lengths; its characters and functions were checked already.
    if ["calc(", "min(", "max(", "clamp("].iter().any(|f| v.starts_with(f)) && v.ends_with(')') {
        return true;
    }
    let num = v.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%');
    let unit = &v[num.len()..];
    matches!(unit, "px" | "rem" | "em" | "%") && !num.is_empty() && num.parse::<f64>().is_ok_and(|n| (0.0..=10000.0).contains(&n))
}

/// An sRGB colour from `#rgb`, `#rrggbb` or `rgb(r, g, b)` (also space-separated).
pub fn parse_colour(v: &str) -> Option<[u8; 3]> {
    let v = v.trim();
    if let Some(hex) = v.strip_prefix('#') {
        let digits: Vec<u8> = hex.chars().map(|c| c.to_digit(16).map(|d| d as u8)).collect::<Option<_>>()?;
        return match digits.len() {
            3 => Some([digits[0] * 17, digits[1] * 17, digits[2] * 17]),
            6 => Some([digits[0] * 16 + digits[1], digits[2] * 16 + digits[3], digits[4] * 16 + digits[5]]),
            _ => None,
        };
    }
    let inner = v.strip_prefix("rgb(")?.strip_suffix(')')?;
    let parts: Vec<u8> = inner.split([',', ' ']).filter(|p| !p.is_empty()).map(|p| p.parse::<u8>().ok()).collect::<Option<_>>()?;
    (parts.len() == 3).then(|| [parts[0], parts[1], parts[2]])
}

fn luminance(c: [u8; 3]) -> f64 {
    let ch = |x: u8| {
        let s = f64::from(x) / 255.0;
        if s <= 0.04045 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])
}

/// WCAG 2.2 contrast ratio (§1.4.3, "contrast ratio" definition): (L1 + 0.05) / (L2 + 0.05).
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Text colours and what they stand on, with the ratio WCAG 2.2 AA asks: 4.5:1 for text
/// (SC 1.4.3), 3:1 for the focus indicator (SC 1.4.11, non-text contrast).
const PAIRS: &[(&str, &str, f64)] = &[
    ("--pc-color-text", "--pc-color-surface", 4.5),
    ("--pc-color-text", "--pc-color-background", 4.5),
    ("--pc-color-muted", "--pc-color-surface", 4.5),
    ("--pc-color-primary-contrast", "--pc-color-primary", 4.5),
    ("--pc-color-primary", "--pc-color-surface", 4.5),
    ("--pc-color-link", "--pc-color-surface", 4.5),
    ("--pc-color-error", "--pc-color-surface", 4.5),
    ("--pc-color-success", "--pc-color-surface", 4.5),
    ("--pc-color-warning", "--pc-color-surface", 4.5),
    ("--pc-color-info", "--pc-color-surface", 4.5),
    ("--pc-color-focus", "--pc-color-surface", 3.0),
];

/// The colour pairs of a resolved theme below AA, light and dark, each naming the pair
/// and pointing at the foreground token (`/tokens/…` or `/dark/…`).
pub fn check_contrast(theme: &Theme) -> Vec<FieldError> {
    let mut errors = vec![];
    for (mode, get) in [("tokens", Theme::token as for<'a> fn(&'a Theme, &str) -> Option<&'a str>), ("dark", Theme::dark_token)] {
        for &(fg, bg, min) in PAIRS {
            let (Some(f), Some(b)) = (get(theme, fg).and_then(parse_colour), get(theme, bg).and_then(parse_colour)) else { continue };
            let ratio = contrast_ratio(f, b);
            if ratio < min {
                let scheme = if mode == "dark" { " in dark mode" } else { "" };
                errors.push(e(format!("/{mode}/{fg}"), format!("{fg} on {bg}{scheme} has a contrast of {ratio:.2}:1; WCAG AA needs {min}:1")));
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::{builtin, resolve};

    fn tok(k: &str, v: &str) -> ThemeSpec {
        ThemeSpec { tokens: [(k.to_string(), v.to_string())].into(), ..Default::default() }
    }

    fn refusal(spec: &ThemeSpec) -> FieldError {
        validate(spec, Level::Tenant("acme"), &[]).unwrap_err().remove(0)
    }

    #[test]
    fn values_that_could_escape_css_are_refused_naming_the_token() {
        for bad in ["red;} body{display:none", "#fff</style><script>", "\"x\"", "a{b}", "#fff /* x */"] {
            assert_eq!(refusal(&tok("--pc-color-primary", bad)).pointer, "/tokens/--pc-color-primary", "{bad}");
        }
        let u = refusal(&tok("--pc-font-family", "url(https://evil.example/x)"));
        assert!(u.message.contains("url("), "{}", u.message);
        assert!(refusal(&tok("--pc-radius", "env(safe-area-inset-top)")).message.contains("env("));
        assert!(refusal(&tok("--pc-color-text", "image-set(x)")).message.contains("image-set("));
        assert_eq!(refusal(&tok("--evil", "1px")).pointer, "/tokens/--evil");
        assert!(refusal(&tok("--pc-color-link", "blue")).message.contains("colour"));
        assert!(refusal(&tok("--pc-logo-height", "tall")).message.contains("length"));
        let dark = ThemeSpec { dark: [("--pc-radius".to_string(), "1px".to_string())].into(), ..Default::default() };
        assert_eq!(refusal(&dark).pointer, "/dark/--pc-radius");
        validate(&tok("--pc-card-width", "calc(20rem + 2%)"), Level::Tenant("acme"), &[]).unwrap();
        validate(&tok("--pc-color-focus", "rgb(10, 20, 30)"), Level::Tenant("acme"), &[]).unwrap();
    }

    #[test]
    fn urls_must_be_assets_of_the_tenant_or_allowed_origins() {
        let hash = "a".repeat(64);
        let own = ThemeSpec { logo_url: Some(format!("/static/t/acme/{hash}.svg")), background_image: Some(format!("/static/t/acme/{hash}.png")), ..Default::default() };
        validate(&own, Level::Workspace("acme"), &[]).unwrap();
        assert_eq!(validate(&own, Level::Workspace("other"), &[]).unwrap_err().len(), 2, "another tenant's assets");
        let cdn = ThemeSpec { logo_url: Some("https://cdn.example.com/logo.svg".into()), ..Default::default() };
        assert!(refusal(&cdn).message.contains("allowed_origins"));
        validate(&ThemeSpec { allowed_origins: vec!["https://cdn.example.com".into()], ..cdn.clone() }, Level::Tenant("acme"), &[]).unwrap();
        validate(&cdn, Level::Client("acme"), &["https://cdn.example.com".into()]).unwrap();
        let ws_origins = ThemeSpec { allowed_origins: vec!["https://cdn.example.com".into()], ..Default::default() };
        assert_eq!(validate(&ws_origins, Level::Workspace("acme"), &[]).unwrap_err()[0].pointer, "/allowed_origins");
        let js = ThemeSpec { logo_url: Some("javascript:alert(1)".into()), ..Default::default() };
        assert_eq!(refusal(&js).pointer, "/logo_url");
    }

    #[test]
    fn contrast_below_aa_is_refused_naming_the_pair() {
        assert!((contrast_ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        let pale = tok("--pc-color-text", "#aaaaaa");
        let errors = check_contrast(&resolve(&[builtin(), &pale]));
        let first = &errors[0];
        assert_eq!(first.pointer, "/tokens/--pc-color-text");
        assert!(first.message.contains("--pc-color-text on --pc-color-surface") && first.message.contains("4.5:1"), "{}", first.message);
        let dark = ThemeSpec { dark: [("--pc-color-link".to_string(), "#222222".to_string())].into(), ..Default::default() };
        let errors = check_contrast(&resolve(&[builtin(), &dark]));
        assert_eq!(errors[0].pointer, "/dark/--pc-color-link", "{errors:?}");
        assert!(errors[0].message.contains("dark mode"));
    }
}
