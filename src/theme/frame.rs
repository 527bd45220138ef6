//! Page frames: a theme's optional `frame.html` (and per-page frames), the HTML around the
//! compiled form (header, footer, a marketing panel), rendered by a sandboxed `minijinja`
//! runtime. The compiled askama page stays the only way inputs reach a page: the frame
//! gets the form as one already-rendered, opaque block (`{{ form }}`), and otherwise only
//! brand data and the page's texts, never form data, tokens, flow ids or CSRF values.
//!
//! The sandbox: no loader (so `{% include %}`, `{% extends %}` and `{% import %}` of any
//! file fail, and are refused at validation), no functions, a handful of text filters (no
//! `safe`), HTML auto-escaping of every value, a fuel limit on instructions, a recursion
//! limit, bounded source and output sizes. What a frame renders is then checked as HTML
//! against an allow-list of tags and attributes: no scripts, no event-handler attributes,
//! no `javascript:` URLs, no forms, no embedded documents, no styles of its own. The
//! page's CSP backs this up: no `unsafe-inline`, scripts only by nonce (ours).
//! A frame that fails any of this is refused when written; should one fail when a page is
//! rendered (a check tightened since), the page is shown without it and the failure logged.
use minijinja::{AutoEscape, Environment, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

/// Largest frame source.
pub const MAX_SOURCE: usize = 64 * 1024;
/// Largest rendered frame (without the form).
pub const MAX_OUTPUT: usize = 256 * 1024;
/// Instructions a render may execute: enough for any page frame, not for a loop that
/// would hold a worker.
const FUEL: u64 = 100_000;
/// Nesting of macro calls.
const RECURSION: usize = 16;
/// Where the form goes: control characters, which neither a frame's source (refused
/// there) nor any value given to it (brand data refuses them) can contain.
const FORM_MARKER: &str = "\u{1}portcullis-form\u{1}";

/// What a frame may show besides the form.
pub struct FrameData<'a> {
    /// The page id (`login`, `consent`, …).
    pub page: &'a str,
    pub title: &'a str,
    pub lang: &'a str,
    pub product_name: &'a str,
    pub logo_url: &'a str,
    /// Texts of the page by key.
    pub texts: &'a [(&'a str, &'a str)],
}

/// Compiled frames by the SHA-256 of their source, bounded.
static CACHE: LazyLock<Mutex<HashMap<String, Arc<Environment<'static>>>>> = LazyLock::new(|| Mutex::new(HashMap::new()));
const CACHE_ENTRIES: usize = 256;

fn sandbox() -> Environment<'static> {
    let mut env = Environment::empty();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(RECURSION);
    env.add_filter("upper", |s: String| s.to_uppercase());
    env.add_filter("lower", |s: String| s.to_lowercase());
    env.add_filter("trim", |s: String| s.trim().to_owned());
    env.add_filter("default", |v: Value, d: Value| if v.is_undefined() || v.is_none() { d } else { v });
    env
}

fn compiled(source: &str) -> Result<Arc<Environment<'static>>, String> {
    let key = super::assets::id_of(source.as_bytes());
    if let Some(env) = CACHE.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(env);
    }
    // Checked once per source: a cached frame passed already.
    check_source(source)?;
    let mut env = sandbox();
    env.add_template_owned("frame", source.to_owned()).map_err(|e| format!("the frame does not compile: {e}"))?;
    let env = Arc::new(env);
    if let Ok(mut c) = CACHE.lock() {
        if c.len() >= CACHE_ENTRIES {
            c.clear();
        }
        c.insert(key, env.clone());
    }
    Ok(env)
}

/// Refusals of a frame's source that need no rendering: size, control characters, and the
/// statements that would reach for other templates.
fn check_source(source: &str) -> Result<(), String> {
    if source.len() > MAX_SOURCE {
        return Err(format!("at most {} KiB", MAX_SOURCE / 1024));
    }
    if source.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err("no control characters".into());
    }
    let squeezed: String = source.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    for stmt in ["include", "extends", "import", "from"] {
        if squeezed.contains(&format!("{{%{stmt}")) || squeezed.contains(&format!("{{%-{stmt}")) || squeezed.contains(&format!("{{%+{stmt}")) {
            return Err(format!("{{% {stmt} %}} is not available: a frame cannot read other templates or files"));
        }
    }
    Ok(())
}

/// Checks a frame where it is written: its source, then a render with sample data (which
/// must show `{{ form }}` exactly once and pass the HTML check).
pub fn validate(source: &str) -> Result<(), String> {
    check_source(source)?;
    let sample = FrameData { page: "login", title: "Sign in", lang: "en", product_name: "Portcullis", logo_url: "/static/img/logo.svg", texts: &[("sign_in", "Sign in")] };
    render(source, &sample, "<main class=\"card\" id=\"main\"></main>").map(|_| ())
}

/// Renders `source` around `form` (the compiled page's HTML, already safe).
pub fn render(source: &str, data: &FrameData<'_>, form: &str) -> Result<String, String> {
    let env = compiled(source)?;
    let tmpl = env.get_template("frame").map_err(|e| e.to_string())?;
    let texts: BTreeMap<String, Value> = data.texts.iter().map(|(k, v)| ((*k).to_owned(), Value::from(*v))).collect();
    let ctx = minijinja::context! {
        form => Value::from_safe_string(FORM_MARKER.to_owned()),
        page => minijinja::context! { id => data.page, title => data.title, lang => data.lang },
        brand => minijinja::context! { product_name => data.product_name, logo_url => data.logo_url },
        t => Value::from(texts),
    };
    let out = tmpl.render(ctx).map_err(|e| match e.kind() {
        minijinja::ErrorKind::OutOfFuel => "the frame takes too long to render (endless loop?)".to_owned(),
        _ if e.to_string().contains("recursion") => "the frame recurses too deeply".to_owned(),
        minijinja::ErrorKind::TemplateNotFound => "a frame cannot read other templates or files".to_owned(),
        _ => format!("the frame does not render: {e}"),
    })?;
    if out.len() > MAX_OUTPUT {
        return Err(format!("the rendered frame exceeds {} KiB", MAX_OUTPUT / 1024));
    }
    match out.matches(FORM_MARKER).count() {
        1 => {}
        0 => return Err("the frame must show {{ form }} (once)".into()),
        _ => return Err("the frame may show {{ form }} only once".into()),
    }
    check_html(&out)?;
    Ok(out.replacen(FORM_MARKER, form, 1))
}

/// Tags a frame may use: structure, text, links and images.
const TAGS: &[&str] = &[
    "header", "footer", "nav", "aside", "section", "article", "div", "span", "p", "a", "img", "picture", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
    "ol", "li", "dl", "dt", "dd", "strong", "em", "b", "i", "small", "br", "hr", "address", "blockquote", "abbr", "time",
];
/// Attributes a frame may use (besides `aria-*` and `data-*`).
const ATTRIBUTES: &[&str] = &["class", "id", "href", "src", "alt", "title", "width", "height", "lang", "dir", "role", "rel", "target", "loading", "decoding", "datetime", "hidden"];

/// The HTML a frame rendered, checked against the allow-lists; the refusal names the tag
/// or attribute.
fn check_html(html: &str) -> Result<(), String> {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map(|e| i + e + 3).ok_or("an unterminated comment")?;
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        if name.is_empty() {
            if b.get(start).is_some_and(|c| *c == b'!' || *c == b'?') {
                return Err("no declarations or processing instructions".into());
            }
            // A lone `<` in text (escaped values never contain one).
            continue;
        }
        if !TAGS.contains(&name.as_str()) {
            return Err(format!("<{name}> is not allowed in a frame (allowed: {})", TAGS.join(", ")));
        }
        // Attributes up to the end of the tag.
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                None => return Err(format!("an unterminated <{name}> tag")),
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(b'/') => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let a = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let attr = html[a..i].to_ascii_lowercase();
            let mut value = String::new();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                match b.get(i) {
                    Some(q @ (b'"' | b'\'')) => {
                        let end = html[i + 1..].find(*q as char).ok_or(format!("an unterminated {attr} value"))?;
                        value = html[i + 1..i + 1 + end].to_owned();
                        i += end + 2;
                    }
                    _ => {
                        let v = i;
                        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                            i += 1;
                        }
                        value = html[v..i].to_owned();
                    }
                }
            }
            if attr.starts_with("on") {
                return Err(format!("the event-handler attribute {attr}= is not allowed in a frame"));
            }
            if !(ATTRIBUTES.contains(&attr.as_str()) || attr.starts_with("aria-") || attr.starts_with("data-")) {
                return Err(format!("the attribute {attr}= is not allowed in a frame"));
            }
            if matches!(attr.as_str(), "href" | "src") && !safe_url(&value) {
                return Err(format!("{attr}= may hold only https:, mailto:, relative or fragment URLs"));
            }
        }
    }
    Ok(())
}

/// A URL a frame may link or embed: not `javascript:`, `data:` or any other scheme but
/// `https:` and `mailto:`, however it is encoded (entities and whitespace are undone
/// first, as a browser would).
fn safe_url(raw: &str) -> bool {
    let decoded = decode_entities(raw);
    let squeezed: String = decoded.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    match squeezed.split_once(':') {
        // A colon before any `/`, `?` or `#` makes a scheme.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => matches!(scheme, "https" | "mailto"),
        _ => true,
    }
}

/// Undoes numeric and the common named character references.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = if let Some(hex) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = ent.strip_prefix('#') {
                dec.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                match ent {
                    "colon" => Some(':'),
                    "amp" => Some('&'),
                    "tab" => Some('\t'),
                    "newline" => Some('\n'),
                    "sol" => Some('/'),
                    _ => None,
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Puts the page's body into `frame`: `html` is a whole page rendered by askama (our
/// `base.html`: one `<body …>` and one `</body>`); what lies between them becomes the
/// frame's `{{ form }}`. Should the frame fail, the page is returned unframed.
pub fn apply(source: &str, html: String, product_name: &str, logo_url: &str) -> String {
    let (Some(open), Some(close)) = (html.find("<body"), html.rfind("</body>")) else { return html };
    let Some(body_start) = html[open..].find('>').map(|p| open + p + 1) else { return html };
    let attr = |name: &str, within: &str| -> String {
        let key = format!("{name}=\"");
        within.find(&key).and_then(|p| within[p + key.len()..].split('"').next()).unwrap_or_default().to_owned()
    };
    let page = attr("data-page", &html[open..body_start]);
    let lang = attr("lang", &html[..open]);
    let title = html.find("<title>").and_then(|p| html[p + 7..].split("</title>").next()).unwrap_or_default().to_owned();
    let data = FrameData { page: &page, title: &title, lang: &lang, product_name, logo_url, texts: &[] };
    match render(source, &data, &html[body_start..close]) {
        Ok(framed) => format!("{}{}{}", &html[..body_start], framed, &html[close..]),
        Err(e) => {
            tracing::error!(error = %e, page = %page, "theme frame failed; page shown without it");
            html
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> FrameData<'static> {
        FrameData { page: "login", title: "Sign in", lang: "en", product_name: "ACME <Shop>", logo_url: "/static/img/logo.svg", texts: &[("sign_in", "Sign in")] }
    }

    #[test]
    fn a_frame_wraps_the_form_with_escaped_brand_data() {
        let src = r#"<header class="top"><img src="{{ brand.logo_url }}" alt=""><span>{{ brand.product_name }}</span></header>{{ form }}<footer><a href="https://acme.example/privacy">{{ t.sign_in | upper }}</a> {{ page.id }}</footer>"#;
        validate(src).unwrap();
        let out = render(src, &data(), "<main><input name=\"password\"></main>").unwrap();
        assert!(out.contains("ACME &lt;Shop&gt;"), "{out}");
        assert!(out.contains("<main><input name=\"password\"></main>"), "the form is passed through as it is");
        assert!(out.contains("SIGN IN") && out.contains("login"));
    }

    #[test]
    fn including_a_file_is_refused() {
        for src in [r#"{% include "/etc/passwd" %}{{ form }}"#, r#"{%- include 'frame.html' -%}{{ form }}"#, r#"{% extends "base.html" %}"#, r#"{% import "x" as y %}{{ form }}"#, r#"{% from "x" import y %}{{ form }}"#] {
            let e = validate(src).unwrap_err();
            assert!(e.contains("cannot read other templates or files"), "{src}: {e}");
        }
    }

    #[test]
    fn scripts_and_event_handlers_are_refused_however_written() {
        for src in [
            "<script>alert(1)</script>{{ form }}",
            "<SCRIPT src=x></SCRIPT>{{ form }}",
            "<scr{% if true %}ipt{% endif %}>alert(1)</script>{{ form }}",
            r#"<div onclick="alert(1)">{{ form }}</div>"#,
            r#"<div ONMOUSEOVER=alert(1)>{{ form }}</div>"#,
            r#"<a href="javascript:alert(1)">x</a>{{ form }}"#,
            r#"<a href="java&#x09;script&colon;alert(1)">x</a>{{ form }}"#,
            r#"<img src="data:image/svg+xml,<svg onload=alert(1)>">{{ form }}"#,
            r#"<iframe srcdoc="x"></iframe>{{ form }}"#,
            r#"<style>body{display:none}</style>{{ form }}"#,
            r#"<form action="https://evil.example/"><input name=password></form>{{ form }}"#,
            r#"<div style="background:red">{{ form }}</div>"#,
        ] {
            assert!(validate(src).is_err(), "{src}");
        }
        // Data is escaped, so it cannot become markup either.
        let out = render("<p>{{ brand.product_name }}</p>{{ form }}", &FrameData { product_name: "<script>alert(1)</script>", ..data() }, "").unwrap();
        assert!(!out.contains("<script"), "{out}");
    }

    #[test]
    fn endless_recursion_and_loops_are_stopped() {
        let e = validate("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}{{ form }}").unwrap_err();
        assert!(e.contains("recurses") || e.contains("too long"), "{e}");
        let e = validate("{% for a in 'abcdefghij' %}{% for b in 'abcdefghij' %}{% for c in 'abcdefghij' %}{% for d in 'abcdefghij' %}{% for e in 'abcdefghij' %}x{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{{ form }}").unwrap_err();
        assert!(e.contains("too long") || e.contains("exceeds"), "{e}");
    }

    #[test]
    fn the_form_appears_exactly_once() {
        assert!(validate("<p>no form</p>").unwrap_err().contains("{{ form }}"));
        assert!(validate("{{ form }}{{ form }}").unwrap_err().contains("once"));
    }

    #[test]
    fn the_frame_cannot_read_form_data() {
        // Nothing but brand data, the page's id, title and language, and texts.
        let out = render("{{ csrf }}{{ flow }}{{ password }}{{ page.csrf }}{{ form.value }}{{ form }}", &data(), "<main></main>").unwrap();
        assert_eq!(out, "<main></main>");
    }

    #[test]
    fn a_failing_frame_leaves_the_page_unframed() {
        let page = "<!DOCTYPE html><html lang=\"de\"><head><title>Anmelden · ACME</title></head><body class=\"x\" data-page=\"login\"><main>form</main></body></html>".to_string();
        let framed = apply("<header>{{ page.id }} {{ page.lang }}</header>{{ form }}", page.clone(), "ACME", "/static/img/logo.svg");
        assert!(framed.contains("<body class=\"x\" data-page=\"login\"><header>login de</header><main>form</main></body>"), "{framed}");
        assert_eq!(apply("<script></script>{{ form }}", page.clone(), "ACME", "/x"), page);
    }
}
