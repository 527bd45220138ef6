//! Theme assets (logos, favicons, background images, web fonts), validated by their
//! content, never by a name or a declared type: the magic bytes decide the kind, images
//! must have sane dimensions, every kind has a size limit, and SVG must be free of
//! scripts, event handlers and external references (and is served with
//! `Content-Security-Policy: sandbox` besides). An asset's id is the SHA-256 of its bytes,
//! so its URL `/static/t/{tenant}/{id}.{ext}` names one content forever and is cached as
//! immutable.

/// The kinds of asset a theme can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Png,
    Webp,
    Svg,
    Ico,
    Woff2,
}

impl Kind {
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Png => "png",
            Kind::Webp => "webp",
            Kind::Svg => "svg",
            Kind::Ico => "ico",
            Kind::Woff2 => "woff2",
        }
    }

    pub fn from_ext(ext: &str) -> Option<Kind> {
        Some(match ext {
            "png" => Kind::Png,
            "webp" => Kind::Webp,
            "svg" => Kind::Svg,
            "ico" => Kind::Ico,
            "woff2" => Kind::Woff2,
            _ => return None,
        })
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Png => "image/png",
            Kind::Webp => "image/webp",
            Kind::Svg => "image/svg+xml",
            Kind::Ico => "image/x-icon",
            Kind::Woff2 => "font/woff2",
        }
    }

    fn max_bytes(self) -> usize {
        match self {
            Kind::Svg | Kind::Ico => 256 * 1024,
            Kind::Png | Kind::Webp | Kind::Woff2 => MAX_ASSET,
        }
    }
}

/// The largest asset accepted (a background image).
pub const MAX_ASSET: usize = 2 * 1024 * 1024;
/// The largest image side accepted, in pixels.
pub const MAX_SIDE: u32 = 4096;

/// An accepted asset: its kind and, for raster images, its size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub kind: Kind,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Decides what `bytes` are and whether they are acceptable; the refusal says why.
pub fn check(bytes: &[u8]) -> Result<Checked, String> {
    if bytes.is_empty() {
        return Err("the asset is empty".into());
    }
    let (kind, dims) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        (Kind::Png, Some(png_size(bytes).ok_or("a PNG without a readable IHDR header")?))
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        (Kind::Webp, Some(webp_size(bytes).ok_or("a WebP without a readable VP8/VP8L/VP8X header")?))
    } else if bytes.starts_with(b"wOF2") {
        (Kind::Woff2, None)
    } else if bytes.starts_with(&[0, 0, 1, 0]) && bytes.len() >= 6 {
        (Kind::Ico, None)
    } else if looks_like_svg(bytes) {
        svg_is_inert(bytes)?;
        (Kind::Svg, None)
    } else {
        return Err("not a PNG, WebP, SVG, ICO or WOFF2 file (decided by content)".into());
    };
    if bytes.len() > kind.max_bytes() {
        return Err(format!("a {} asset may have at most {} KiB", kind.ext(), kind.max_bytes() / 1024));
    }
    if let Some((w, h)) = dims
        && (w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE)
    {
        return Err(format!("{w}×{h} pixels: each side must be 1 to {MAX_SIDE}"));
    }
    Ok(Checked { kind, width: dims.map(|d| d.0), height: dims.map(|d| d.1) })
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?)))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | (u32::from(s[1]) << 8) | (u32::from(s[2]) << 16))
}

/// PNG: the first chunk is IHDR, width and height big-endian at bytes 16 and 20.
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    (b.get(12..16)? == b"IHDR").then_some(())?;
    Some((be32(b, 16)?, be32(b, 20)?))
}

/// WebP: the first chunk after `RIFF…WEBP` says lossy (VP8), lossless (VP8L) or extended
/// (VP8X), each with the size in its own layout.
fn webp_size(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        b"VP8 " => {
            (b.get(23..26)? == [0x9d, 0x01, 0x2a]).then_some(())?;
            Some((le16(b, 26)? & 0x3fff, le16(b, 28)? & 0x3fff))
        }
        b"VP8L" => {
            (*b.get(20)? == 0x2f).then_some(())?;
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
        }
        b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
        _ => None,
    }
}

fn looks_like_svg(b: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(b) else { return false };
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let t = if t.starts_with("<?xml") { t.split_once("?>").map_or("", |(_, r)| r).trim_start() } else { t };
    t.starts_with("<svg")
}

/// An SVG is accepted only when it cannot run anything or fetch anything: no scripts, no
/// event-handler attributes, no `javascript:`, no foreign HTML, no entity declarations, and
/// references (`href`, `url(`, `@import`) only to fragments of itself.
fn svg_is_inert(b: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(b).map_err(|_| "an SVG must be UTF-8")?.to_ascii_lowercase();
    for bad in ["<script", "<foreignobject", "<!entity", "<!doctype", "javascript:", "data:", "@import", "<iframe", "<embed", "<object"] {
        if text.contains(bad) {
            return Err(format!("an SVG may not contain {bad}"));
        }
    }
    // Event handlers: an attribute name starting with `on` after whitespace or a quote.
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices("on") {
        let before = i.checked_sub(1).map(|p| bytes[p]);
        if before.is_some_and(|c| c.is_ascii_whitespace() || c == b'"' || c == b'\'' || c == b'/') {
            let rest = &text[i + 2..];
            let name_len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
            if name_len > 0 && rest[name_len..].trim_start().starts_with('=') {
                return Err("an SVG may not have event-handler attributes (on…=)".into());
            }
        }
    }
    for (i, _) in text.match_indices("href") {
        let rest = text[i + 4..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start().trim_start_matches(['"', '\'']);
            if !value.starts_with('#') {
                return Err("an SVG may refer only to its own fragments (href=\"#…\")".into());
            }
        }
    }
    for (i, _) in text.match_indices("url(") {
        if !text[i + 4..].trim_start().trim_start_matches(['"', '\'']).starts_with('#') {
            return Err("an SVG may refer only to its own fragments (url(#…))".into());
        }
    }
    Ok(())
}

/// The id of an asset: the hex SHA-256 of its bytes.
pub fn id_of(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    crate::crypto::hex(&Sha256::digest(bytes))
}

/// The URL of an asset of `tenant`.
pub fn url(tenant: &str, id: &str, kind: Kind) -> String {
    format!("/static/t/{tenant}/{id}.{}", kind.ext())
}

/// The extension of `u` when it is an asset URL of `tenant` of the fixed shape
/// `/static/t/{tenant}/{64 hex}.{ext}`.
pub fn asset_url<'a>(u: &'a str, tenant: &str) -> Option<&'a str> {
    let rest = u.strip_prefix("/static/t/")?.strip_prefix(tenant)?.strip_prefix('/')?;
    let (id, ext) = rest.split_once('.')?;
    let ok = id.len() == 64 && id.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) && Kind::from_ext(ext).is_some() && !tenant.is_empty();
    ok.then_some(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn assets_are_known_by_content_and_bounded() {
        assert_eq!(check(&png(200, 50)).unwrap(), Checked { kind: Kind::Png, width: Some(200), height: Some(50) });
        assert!(check(&png(5000, 50)).unwrap_err().contains("4096"));
        assert!(check(&png(0, 50)).is_err());
        assert!(check(b"GIF89a....").unwrap_err().contains("by content"));
        let mut big = png(10, 10);
        big.resize(MAX_ASSET + 1, 0);
        assert!(check(&big).unwrap_err().contains("KiB"));
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        webp.extend_from_slice(&[99, 0, 0, 49, 0, 0]);
        assert_eq!(check(&webp).unwrap().width, Some(100));
        assert_eq!(check(b"wOF2\0\x01\0\0").unwrap().kind, Kind::Woff2);
    }

    #[test]
    fn svg_that_could_run_or_fetch_is_refused() {
        let ok = br##"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="10" height="10"/></svg>"##;
        assert_eq!(check(ok).unwrap().kind, Kind::Svg);
        for bad in [
            &br#"<svg><script>alert(1)</script></svg>"#[..],
            br#"<svg><rect onclick="alert(1)"/></svg>"#,
            br#"<svg><rect ONLOAD = "x"/></svg>"#,
            br#"<svg><a href="https://evil.example/">x</a></svg>"#,
            br#"<svg><image xlink:href="https://evil.example/x.png"/></svg>"#,
            br#"<svg><rect style="fill:url(https://evil.example/x)"/></svg>"#,
            br#"<svg><foreignObject><div/></foreignObject></svg>"#,
        ] {
            assert!(check(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn asset_urls_have_one_shape() {
        let id = "0".repeat(64);
        assert_eq!(asset_url(&format!("/static/t/acme/{id}.png"), "acme"), Some("png"));
        assert_eq!(asset_url(&format!("/static/t/acme/{id}.png"), "acm"), None);
        assert_eq!(asset_url(&format!("/static/t/acme/{id}.exe"), "acme"), None);
        assert_eq!(asset_url("/static/t/acme/x.png", "acme"), None);
        assert_eq!(asset_url(&format!("/static/t/acme/{id}.png?x"), "acme"), None);
    }
}
