//! Theme folders: a theme layer as files a theme author keeps in git (themes/README.md,
//! "Theme folders"), and back.
//!
//! ```text
//! theme.toml            every setting of a layer but texts and frames; asset settings
//!                       (logo_url, favicon_url, background_image, fonts[].url) may name
//!                       files of the folder by relative path: "assets/logo.svg"
//! texts/<locale>.ftl    text overrides of that locale, Fluent syntax (`key = text`)
//! assets/               logo, favicon, background image, WOFF2 fonts
//! frame.html            optional page frame
//! frames/<page>.html    optional frames of single pages (page ids: GET /api/admin/v1/pages)
//! ```
//!
//! [`parse`] turns the files into a [`Folder`]: the layer with relative asset references
//! and the referenced assets' bytes, each checked by content ([`super::assets::check`]).
//! [`Folder::resolve`] rewrites the references to URLs (the server's asset URLs after an
//! upload, or the preview server's). [`files_of`] is the way back: the files of a stored
//! layer, with asset URLs replaced by the relative paths the caller downloaded them to.
//!
//! Every refusal is a [`Problem`] naming the file and the setting (or text key, or line).
//! This module reads and writes bytes only; where they come from (a directory, the binary)
//! and where they go is the caller's business, so nothing here touches the file system
//! beyond [`read_dir`], which reads only the places listed above and refuses symbolic
//! links, and [`fingerprint`], which looks at names, sizes and times.
use std::collections::BTreeMap;
use std::path::Path;

use super::{ThemeSpec, assets};
use crate::locale::LOCALES;

/// A theme folder read: the layer as written (asset settings may be relative paths) and
/// the bytes of every asset it refers to, by relative path.
#[derive(Debug, Clone, PartialEq)]
pub struct Folder {
    pub spec: ThemeSpec,
    pub assets: BTreeMap<String, Vec<u8>>,
}

/// What is wrong with a folder: the file, the setting in it (a TOML key path such as
/// `tokens."--pc-color-text"`, a text key, or `line 3`) and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub file: String,
    pub setting: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.setting.is_empty() { write!(f, "{}: {}", self.file, self.message) } else { write!(f, "{}: {}: {}", self.file, self.setting, self.message) }
    }
}

fn problem(file: &str, setting: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem { file: file.to_owned(), setting: setting.into(), message: message.into() }
}

/// Most files a folder may hold in the places read, and their total size: a folder is a
/// theme, not a website.
pub const MAX_FILES: usize = 200;
pub const MAX_TOTAL: usize = 32 * 1024 * 1024;

/// The settings of `theme.toml` that are files of their own instead.
const FILE_SETTINGS: &[(&str, &str)] = &[("texts", "texts/<locale>.ftl"), ("frame", "frame.html"), ("frames", "frames/<page>.html")];

/// Reads the files of a folder that make a theme: `theme.toml`, `frame.html`,
/// `texts/*.ftl`, `frames/*.html` and the files under `assets/` that `theme.toml` refers
/// to (an unreferenced asset is not read). Paths use `/`.
///
/// Symbolic links are refused, not followed, with a problem naming the path: `theme.toml`,
/// `frame.html`, `texts/`, `frames/` or `assets/` as a link, a link among the texts or
/// frames, and any link under `assets/` (a theme is the folder's own files, never one
/// elsewhere on the machine). Sizes are checked before a file is read, and no read goes
/// beyond [`MAX_TOTAL`] in all; at most [`MAX_FILES`] files are read and a few times that
/// many entries looked at.
pub fn read_dir(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, Problem> {
    let meta = std::fs::metadata(dir).map_err(|e| problem(&dir.display().to_string(), "", format!("not a readable folder: {e}")))?;
    if !meta.is_dir() {
        return Err(problem(&dir.display().to_string(), "", "not a folder"));
    }
    let mut r = Reader { out: BTreeMap::new(), total: 0, seen: 0 };
    for name in ["theme.toml", "frame.html"] {
        let p = dir.join(name);
        match std::fs::symlink_metadata(&p) {
            Err(_) => {}
            Ok(m) if m.file_type().is_symlink() => return Err(linked(name)),
            Ok(m) if m.is_file() => r.read(name.to_owned(), &p, &m)?,
            Ok(_) => return Err(problem(name, "", "not a file")),
        }
    }
    // Only the assets theme.toml names are read (if it does not parse, `parse` says so).
    let referenced: Vec<String> = r
        .out
        .get("theme.toml")
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|t| toml::from_str::<ThemeSpec>(t).ok())
        .map(|spec| references(&spec).into_iter().map(|(_, r, _)| r).filter(|r| is_relative(r)).collect())
        .unwrap_or_default();
    for (sub, ext) in [("texts", Some("ftl")), ("frames", Some("html")), ("assets", None)] {
        match std::fs::symlink_metadata(dir.join(sub)) {
            Err(_) => continue,
            Ok(m) if m.file_type().is_symlink() => return Err(linked(sub)),
            Ok(m) if !m.is_dir() => continue,
            Ok(_) => {}
        }
        let mut stack = vec![(dir.join(sub), sub.to_owned())];
        while let Some((path, rel)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&path) else { continue };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let child = format!("{rel}/{name}");
                r.seen += 1;
                if r.seen > 10 * MAX_FILES {
                    return Err(problem(&child, "", format!("a theme folder holds at most {MAX_FILES} files")));
                }
                if name.starts_with('.') {
                    continue;
                }
                // `DirEntry::file_type` does not follow a link.
                let Ok(kind) = entry.file_type() else { continue };
                let wanted = ext.is_none_or(|e| name.strip_suffix(e).is_some_and(|s| s.ends_with('.')));
                if kind.is_symlink() {
                    if wanted {
                        return Err(linked(&child));
                    }
                } else if kind.is_dir() && ext.is_none() {
                    stack.push((entry.path(), child));
                } else if kind.is_file() && wanted && (ext.is_some() || referenced.contains(&child)) {
                    let m = std::fs::symlink_metadata(entry.path()).map_err(|e| problem(&child, "", format!("cannot read: {e}")))?;
                    r.read(child, &entry.path(), &m)?;
                }
            }
        }
    }
    Ok(r.out)
}

fn linked(rel: &str) -> Problem {
    problem(rel, "", "a symbolic link: a theme folder holds its files itself (replace the link by the file or folder it points to)")
}

/// What [`read_dir`] has read so far.
struct Reader {
    out: BTreeMap<String, Vec<u8>>,
    total: usize,
    /// Entries looked at under texts/, frames/ and assets/.
    seen: usize,
}

impl Reader {
    /// Reads the regular file at `path` (`meta`: its `symlink_metadata`): refused before
    /// reading when it would pass the limits, and never more than they allow even if the
    /// file grows meanwhile.
    fn read(&mut self, rel: String, path: &Path, meta: &std::fs::Metadata) -> Result<(), Problem> {
        use std::io::Read;
        let too_much = || problem(&rel, "", format!("a theme folder holds at most {MAX_FILES} files and {} MiB", MAX_TOTAL / 1024 / 1024));
        let room = MAX_TOTAL - self.total;
        if self.out.len() >= MAX_FILES || meta.len() > room as u64 {
            return Err(too_much());
        }
        let file = std::fs::File::open(path).map_err(|e| problem(&rel, "", format!("cannot read: {e}")))?;
        #[cfg(unix)]
        {
            // The file opened is the one checked (not a link put in its place since).
            use std::os::unix::fs::MetadataExt;
            let opened = file.metadata().map_err(|e| problem(&rel, "", format!("cannot read: {e}")))?;
            if (opened.dev(), opened.ino()) != (meta.dev(), meta.ino()) {
                return Err(linked(&rel));
            }
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.take(room as u64 + 1).read_to_end(&mut bytes).map_err(|e| problem(&rel, "", format!("cannot read: {e}")))?;
        if bytes.len() > room {
            return Err(too_much());
        }
        self.total += bytes.len();
        self.out.insert(rel, bytes);
        Ok(())
    }
}

/// A fingerprint of what [`read_dir`] would read (names, sizes, modification times):
/// changes when a file of the theme changes. The preview server's reload signal.
pub fn fingerprint(dir: &Path) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0;
    while let Some(p) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&p) else { continue };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            if name.to_string_lossy().starts_with('.') || seen > 10 * MAX_FILES {
                continue;
            }
            seen += 1;
            // Not through links: the fingerprint of the folder, not of what a link points to.
            let Ok(m) = std::fs::symlink_metadata(e.path()) else { continue };
            let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
            h.update(format!("{}\0{}\0{}\n", e.path().display(), m.len(), modified));
            if m.is_dir() {
                stack.push(e.path());
            }
        }
    }
    crate::crypto::hex(&h.finalize()[..8])
}

/// Whether an asset setting names a file of the folder (rather than a URL).
pub fn is_relative(reference: &str) -> bool {
    !reference.starts_with('/') && !reference.contains("://") && !reference.contains(':')
}

/// A relative reference as a folder path: `assets/…`, no `.`/`..` segments, no
/// backslashes, nothing empty.
fn asset_path(reference: &str) -> Result<String, String> {
    let segments: Vec<&str> = reference.split('/').collect();
    let ok = segments.len() >= 2
        && segments[0] == "assets"
        && segments.iter().all(|s| !s.is_empty() && *s != "." && *s != ".." && !s.contains('\\') && !s.chars().any(char::is_control));
    if ok { Ok(reference.to_owned()) } else { Err(format!("{reference:?}: a file under assets/ of the folder (e.g. \"assets/logo.svg\"), or an asset URL")) }
}

/// The folder's files as a theme layer with its assets; all problems found.
pub fn parse(files: &BTreeMap<String, Vec<u8>>) -> Result<Folder, Vec<Problem>> {
    let mut problems = vec![];
    let mut spec = match files.get("theme.toml") {
        None => {
            problems.push(problem("theme.toml", "", "missing: every theme folder has one (it may be empty)"));
            ThemeSpec::default()
        }
        Some(bytes) => theme_toml(bytes).unwrap_or_else(|p| {
            problems.extend(p);
            ThemeSpec::default()
        }),
    };
    for (path, bytes) in files {
        if let Some(name) = path.strip_prefix("texts/") {
            let lang = name.trim_end_matches(".ftl");
            if !LOCALES.contains(&lang) {
                problems.push(problem(path, "", format!("not a supported locale: name the file after one of {}", LOCALES.join(", "))));
                continue;
            }
            match std::str::from_utf8(bytes).map_err(|_| vec![problem(path, "", "not UTF-8")]).and_then(|text| ftl_texts(path, text)) {
                Ok(texts) if !texts.is_empty() => {
                    spec.texts.insert(lang.to_owned(), texts);
                }
                Ok(_) => {}
                Err(p) => problems.extend(p),
            }
        } else if let Some(name) = path.strip_prefix("frames/") {
            match std::str::from_utf8(bytes) {
                Ok(src) => {
                    spec.frames.insert(name.trim_end_matches(".html").to_owned(), src.to_owned());
                }
                Err(_) => problems.push(problem(path, "", "not UTF-8")),
            }
        } else if path == "frame.html" {
            match std::str::from_utf8(bytes) {
                Ok(src) => spec.frame = Some(src.to_owned()),
                Err(_) => problems.push(problem(path, "", "not UTF-8")),
            }
        }
    }
    if let Err(o) = crate::texts::validate_overrides("/texts", &spec.texts) {
        problems.push(locate(&o.path, &o.message));
    }
    let mut used = BTreeMap::new();
    for (setting, reference, font) in references(&spec) {
        if !is_relative(&reference) {
            continue;
        }
        let checked = asset_path(&reference).and_then(|path| {
            let bytes = files.get(&path).ok_or_else(|| format!("{reference:?}: no such file in the folder"))?;
            let kind = assets::check(bytes).map_err(|m| format!("{reference}: {m}"))?.kind;
            if font != (kind == assets::Kind::Woff2) {
                return Err(format!("{reference}: {}", if font { "a font must be a WOFF2 file" } else { "an image: PNG, WebP, SVG or ICO" }));
            }
            Ok((path, bytes.clone()))
        });
        match checked {
            Ok((path, bytes)) => {
                used.insert(path, bytes);
            }
            Err(m) => problems.push(problem("theme.toml", setting, m)),
        }
    }
    if problems.is_empty() { Ok(Folder { spec, assets: used }) } else { Err(problems) }
}

/// The asset settings of a layer: (TOML key path, reference, whether it is a font).
fn references(spec: &ThemeSpec) -> Vec<(String, String, bool)> {
    let mut out = vec![];
    for (name, v) in [("logo_url", &spec.logo_url), ("favicon_url", &spec.favicon_url), ("background_image", &spec.background_image)] {
        if let Some(v) = v {
            out.push((name.to_owned(), v.clone(), false));
        }
    }
    for (i, f) in spec.fonts.iter().enumerate() {
        out.push((format!("fonts[{i}].url"), f.url.clone(), true));
    }
    out
}

fn theme_toml(bytes: &[u8]) -> Result<ThemeSpec, Vec<Problem>> {
    let text = std::str::from_utf8(bytes).map_err(|_| vec![problem("theme.toml", "", "not UTF-8")])?;
    let table: toml::Table = toml::from_str(text).map_err(|e| vec![problem("theme.toml", "", e.to_string().trim().to_owned())])?;
    let misplaced: Vec<Problem> = FILE_SETTINGS.iter().filter(|(k, _)| table.contains_key(*k)).map(|(k, file)| problem("theme.toml", *k, format!("goes into {file}, not into theme.toml"))).collect();
    if !misplaced.is_empty() {
        return Err(misplaced);
    }
    toml::from_str(text).map_err(|e| vec![problem("theme.toml", "", e.to_string().trim().to_owned())])
}

/// The messages of a `texts/<locale>.ftl`: `key = text`, continuation lines indented (or a
/// select expression's closing `}`), comments (`#`) and blank lines between them. A text is
/// stored as Fluent source without the key (continuation lines lose up to four spaces of
/// indentation: what [`files_of`] adds); whether it is valid Fluent for its key is
/// `texts::validate_overrides`'s to say.
fn ftl_texts(file: &str, text: &str) -> Result<BTreeMap<String, String>, Vec<Problem>> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = vec![];
    let mut current: Option<(String, Vec<String>)> = None;
    let finish = |cur: &mut Option<(String, Vec<String>)>, out: &mut BTreeMap<String, String>, problems: &mut Vec<Problem>| {
        if let Some((key, mut lines)) = cur.take() {
            while lines.last().is_some_and(|l| l.trim().is_empty()) {
                lines.pop();
            }
            if lines.first().is_some_and(String::is_empty) {
                lines.remove(0);
            }
            if out.insert(key.clone(), lines.join("\n")).is_some() {
                problems.push(problem(file, key, "defined twice"));
            }
        }
    };
    for (n, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let continues = line.starts_with([' ', '\t']) || line.starts_with('}') || line.trim().is_empty();
        if current.is_some() && continues {
            if let Some((_, lines)) = current.as_mut() {
                let indent = line.len() - line.trim_start_matches(' ').len();
                lines.push(line[indent.min(4)..].trim_end().to_owned());
            }
            continue;
        }
        finish(&mut current, &mut out, &mut problems);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() && !line.starts_with([' ', '\t']) && key.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') => {
                current = Some((key.trim().to_owned(), vec![value.trim().to_owned()]));
            }
            _ => problems.push(problem(file, format!("line {}", n + 1), "expected `key = text`, an indented continuation line, a comment (#) or a blank line")),
        }
    }
    finish(&mut current, &mut out, &mut problems);
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// Where a refusal of the layer (a JSON pointer, as `theme::validate` and the admin API
/// give it) sits in a folder: `/texts/de/sign-in` → `texts/de.ftl`, `sign-in`;
/// `/frames/login` → `frames/login.html`; `/tokens/--pc-color-text` → `theme.toml`,
/// `tokens."--pc-color-text"`.
pub fn locate(pointer: &str, message: &str) -> Problem {
    let parts: Vec<String> = pointer.split('/').skip(1).map(|p| p.replace("~1", "/").replace("~0", "~")).collect();
    match parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["texts", lang, key, ..] => problem(&format!("texts/{lang}.ftl"), *key, message),
        ["texts", lang] => problem(&format!("texts/{lang}.ftl"), "", message),
        ["frame", ..] => problem("frame.html", "", message),
        ["frames", page, ..] => problem(&format!("frames/{page}.html"), "", message),
        [] => problem("theme.toml", "", message),
        rest => {
            let mut setting = String::new();
            for p in rest {
                if p.bytes().all(|b| b.is_ascii_digit()) && !setting.is_empty() {
                    setting.push_str(&format!("[{p}]"));
                } else {
                    if !setting.is_empty() {
                        setting.push('.');
                    }
                    if p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') { setting.push_str(p) } else { setting.push_str(&format!("{p:?}")) }
                }
            }
            problem("theme.toml", setting, message)
        }
    }
}

impl Folder {
    /// The layer with every relative asset reference replaced by `url_of(path, bytes)`
    /// (URLs given stay as they are).
    pub fn resolve<E>(&self, mut url_of: impl FnMut(&str, &[u8]) -> Result<String, E>) -> Result<ThemeSpec, E> {
        let mut spec = self.spec.clone();
        let mut map = |v: &mut String| -> Result<(), E> {
            if let Some(bytes) = self.assets.get(v.as_str()) {
                *v = url_of(v, bytes)?;
            }
            Ok(())
        };
        for v in [&mut spec.logo_url, &mut spec.favicon_url, &mut spec.background_image].into_iter().flatten() {
            map(v)?;
        }
        for f in &mut spec.fonts {
            map(&mut f.url)?;
        }
        Ok(spec)
    }
}

/// The asset URLs a stored layer refers to (each once).
pub fn asset_urls(spec: &ThemeSpec) -> Vec<String> {
    let mut out: Vec<String> = references(spec).into_iter().map(|(_, r, _)| r).filter(|r| r.starts_with("/static/t/")).collect();
    out.sort();
    out.dedup();
    out
}

/// The files of a layer as a folder: `theme.toml`, `texts/<locale>.ftl`, `frame.html`,
/// `frames/<page>.html`; asset URLs for which `local` names a relative path are written
/// as that path. [`parse`] of these files (with the assets) gives the layer back.
pub fn files_of(spec: &ThemeSpec, local: &BTreeMap<String, String>) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut out = BTreeMap::new();
    let mut settings = spec.clone();
    settings.texts.clear();
    settings.frames.clear();
    let frame = settings.frame.take();
    for v in [&mut settings.logo_url, &mut settings.favicon_url, &mut settings.background_image].into_iter().flatten() {
        if let Some(l) = local.get(v.as_str()) {
            *v = l.clone();
        }
    }
    for f in &mut settings.fonts {
        if let Some(l) = local.get(&f.url) {
            f.url = l.clone();
        }
    }
    let toml = toml::to_string(&settings).map_err(|e| format!("theme.toml: {e}"))?;
    out.insert("theme.toml".to_owned(), format!("# A Portcullis theme layer (themes/README.md, \"Theme folders\").\n{toml}").into_bytes());
    for (lang, texts) in &spec.texts {
        // Names of files to write: only what a folder may hold (a layer from a server
        // could name anything).
        if !LOCALES.contains(&lang.as_str()) {
            return Err(format!("texts: {lang:?} is not a supported locale"));
        }
        let mut ftl = format!("# Text overrides ({lang}): keys of locales/{lang}.ftl, Fluent syntax.\n");
        for (key, text) in texts {
            // A key is one word: a line break in one would write lines of its own.
            if key.is_empty() || !key.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_') {
                return Err(format!("texts.{lang}: {key:?} is not a text key"));
            }
            ftl.push_str(&format!("{key} = {}\n", text.replace('\n', "\n    ")));
        }
        out.insert(format!("texts/{lang}.ftl"), ftl.into_bytes());
    }
    if let Some(f) = frame {
        out.insert("frame.html".to_owned(), f.into_bytes());
    }
    for (page, f) in &spec.frames {
        if page.is_empty() || !page.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
            return Err(format!("frames: {page:?} is not a page id"));
        }
        out.insert(format!("frames/{page}.html"), f.clone().into_bytes());
    }
    Ok(out)
}

/// Where a downloaded asset goes: `assets/<hash>.<ext>` of its URL.
pub fn local_name(url: &str) -> Option<String> {
    let file = url.rsplit('/').next()?;
    let (id, ext) = file.split_once('.')?;
    let ok = id.len() == 64 && id.bytes().all(|c| c.is_ascii_hexdigit()) && assets::Kind::from_ext(ext).is_some();
    ok.then(|| format!("assets/{file}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &[u8])]) -> BTreeMap<String, Vec<u8>> {
        list.iter().map(|(k, v)| ((*k).to_owned(), v.to_vec())).collect()
    }

    const SVG: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>"#;

    #[test]
    fn a_folder_reads_into_a_layer_with_its_assets() {
        let f = files(&[
            ("theme.toml", b"product_name = \"ACME\"\nlogo_url = \"assets/logo.svg\"\n[tokens]\n\"--pc-color-primary\" = \"#c8102e\"\n"),
            ("assets/logo.svg", SVG),
            ("texts/de.ftl", b"# Deutsch\nsign-in = Bei ACME anmelden\n\nwait-seconds = { $n ->\n    [one] Eine Sekunde\n   *[other] { $n } Sekunden\n}\n"),
            ("frame.html", b"<header>{{ brand.product_name }}</header>{{ form }}"),
            ("frames/login.html", b"<div>{{ form }}</div>"),
        ]);
        let folder = parse(&f).unwrap();
        assert_eq!(folder.spec.product_name.as_deref(), Some("ACME"));
        assert_eq!(folder.spec.texts["de"]["sign-in"], "Bei ACME anmelden");
        assert_eq!(folder.spec.texts["de"]["wait-seconds"], "{ $n ->\n[one] Eine Sekunde\n*[other] { $n } Sekunden\n}");
        assert!(folder.spec.frame.is_some() && folder.spec.frames.contains_key("login"));
        assert_eq!(folder.assets.keys().collect::<Vec<_>>(), ["assets/logo.svg"]);
        let spec = folder.resolve(|_, b| Ok::<_, ()>(format!("/static/t/acme/{}.svg", assets::id_of(b)))).unwrap();
        assert!(spec.logo_url.as_deref().is_some_and(|u| u.starts_with("/static/t/acme/")));
        crate::theme::check_layer(&spec, crate::theme::Level::Tenant("acme"), &[]).unwrap();
        assert_eq!(crate::texts::strings("de", &[&spec.texts]).wait_seconds(1), "Eine Sekunde");
    }

    #[test]
    fn files_of_a_layer_read_back_into_the_same_layer() {
        let id = "ab".repeat(32);
        let url = format!("/static/t/acme/{id}.svg");
        let spec = ThemeSpec {
            logo_url: Some(url.clone()),
            texts: [("fr".to_owned(), [("sign-in".to_owned(), "Connexion".to_owned()), ("wait-seconds".to_owned(), "{ $n ->\n    [one] une seconde\n   *[other] { $n } secondes\n}".to_owned())].into())].into(),
            frame: Some("{{ form }}".into()),
            fonts: vec![crate::theme::FontFace { family: "Inter".into(), url: format!("/static/t/acme/{id}.woff2"), weight: None, style: None }],
            allowed_origins: vec!["https://cdn.example.com".into()],
            ..toml::from_str("[tokens]\n\"--pc-radius\" = \"2px\"\n[dark]\n\"--pc-color-text\" = \"#eeeeee\"").unwrap()
        };
        let local: BTreeMap<String, String> = [(url.clone(), local_name(&url).unwrap())].into();
        let mut f = files_of(&spec, &local).unwrap();
        f.insert(local_name(&url).unwrap(), SVG.to_vec());
        let back = parse(&f).unwrap();
        assert_eq!(back.spec.logo_url.as_deref(), Some(format!("assets/{id}.svg").as_str()));
        let resolved = back.resolve(|_, _| Ok::<_, ()>(url.clone())).unwrap();
        // Re-indented continuation lines render the same text.
        assert_eq!(crate::texts::strings("fr", &[&resolved.texts]).wait_seconds(2), crate::texts::strings("fr", &[&spec.texts]).wait_seconds(2));
        assert_eq!(ThemeSpec { texts: spec.texts.clone(), ..resolved.clone() }, spec);
        assert_eq!(files_of(&resolved, &local).unwrap(), files_of(&spec, &local).unwrap(), "a second round changes nothing");
    }

    #[test]
    fn files_of_a_hostile_layer_stay_inside_the_folder() {
        let bad_lang = ThemeSpec { texts: [("../../x".to_owned(), [("sign-in".to_owned(), "x".to_owned())].into())].into(), ..Default::default() };
        assert!(files_of(&bad_lang, &BTreeMap::new()).is_err());
        let bad_page = ThemeSpec { frames: [("../x".to_owned(), "{{ form }}".to_owned())].into(), ..Default::default() };
        assert!(files_of(&bad_page, &BTreeMap::new()).is_err());
        assert_eq!(local_name("/static/t/acme/../../x.svg"), None);
        assert_eq!(local_name(&format!("/static/t/acme/{}.svg", "a".repeat(64))), Some(format!("assets/{}.svg", "a".repeat(64))));
    }

    #[test]
    fn problems_name_the_file_and_the_setting() {
        type Files<'a> = &'a [(&'a str, &'a [u8])];
        let cases: &[(Files, &str, &str)] = &[
            (&[], "theme.toml", ""),
            (&[("theme.toml", b"colour = 1")], "theme.toml", ""),
            (&[("theme.toml", b"[texts]\nde = {}")], "theme.toml", "texts"),
            (&[("theme.toml", b"logo_url = \"assets/none.svg\"")], "theme.toml", "logo_url"),
            (&[("theme.toml", b"logo_url = \"../secret.svg\"")], "theme.toml", "logo_url"),
            (&[("theme.toml", b"logo_url = \"assets/../x.svg\"")], "theme.toml", "logo_url"),
            (&[("theme.toml", b"logo_url = \"assets/x.svg\""), ("assets/x.svg", b"<svg><script>alert(1)</script></svg>")], "theme.toml", "logo_url"),
            (&[("theme.toml", b"[[fonts]]\nfamily = \"Inter\"\nurl = \"assets/logo.svg\""), ("assets/logo.svg", SVG)], "theme.toml", "fonts[0].url"),
            (&[("theme.toml", b""), ("texts/xx.ftl", b"sign-in = x")], "texts/xx.ftl", ""),
            (&[("theme.toml", b""), ("texts/de.ftl", b"no-such-key = x")], "texts/de.ftl", "no-such-key"),
            (&[("theme.toml", b""), ("texts/de.ftl", b"sign-in = { $who }")], "texts/de.ftl", "sign-in"),
            (&[("theme.toml", b""), ("texts/de.ftl", b"sign-in = a\nsign-in = b")], "texts/de.ftl", "sign-in"),
            (&[("theme.toml", b""), ("texts/de.ftl", b"sign-in = a\n!!")], "texts/de.ftl", "line 2"),
        ];
        for (list, file, setting) in cases {
            let p = parse(&files(list)).expect_err(file);
            assert_eq!((p[0].file.as_str(), p[0].setting.as_str()), (*file, *setting), "{p:?}");
        }
    }

    #[test]
    fn refusals_of_the_layer_point_into_the_folder() {
        assert_eq!(locate("/tokens/--pc-color-text", "m").to_string(), "theme.toml: tokens.\"--pc-color-text\": m");
        assert_eq!(locate("/dark/--pc-color-link", "m").setting, "dark.\"--pc-color-link\"");
        assert_eq!(locate("/fonts/0/url", "m").setting, "fonts[0].url");
        assert_eq!(locate("/texts/de/sign-in", "m").to_string(), "texts/de.ftl: sign-in: m");
        assert_eq!(locate("/frames/login", "m").file, "frames/login.html");
        assert_eq!(locate("/frame", "m").file, "frame.html");
        assert_eq!(locate("/theme/tokens/--pc-radius", "m").setting, "theme.tokens.\"--pc-radius\"");
    }

    #[test]
    fn read_dir_reads_only_the_theme_and_not_through_links() {
        let dir = std::env::temp_dir().join(format!("pc-folder-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(dir.join("assets/img")).unwrap();
        std::fs::create_dir_all(dir.join("texts")).unwrap();
        std::fs::write(dir.join("theme.toml"), "logo_url = \"assets/img/logo.svg\"").unwrap();
        std::fs::write(dir.join("README.md"), "not read").unwrap();
        std::fs::write(dir.join("texts/de.ftl"), "sign-in = x").unwrap();
        std::fs::write(dir.join("texts/notes.txt"), "not read").unwrap();
        std::fs::write(dir.join("assets/img/logo.svg"), SVG).unwrap();
        // Not referenced by theme.toml: not read, however large.
        std::fs::File::create(dir.join("assets/huge.png")).unwrap().set_len(MAX_TOTAL as u64 + 1).unwrap();
        let got = read_dir(&dir).unwrap();
        assert_eq!(got.keys().map(String::as_str).collect::<Vec<_>>(), ["assets/img/logo.svg", "texts/de.ftl", "theme.toml"]);
        let before = fingerprint(&dir);
        std::fs::write(dir.join("texts/de.ftl"), "sign-in = y!").unwrap();
        assert_ne!(fingerprint(&dir), before);
        // Referenced and too large: refused, named.
        std::fs::write(dir.join("theme.toml"), "logo_url = \"assets/huge.png\"").unwrap();
        assert_eq!(read_dir(&dir).unwrap_err().file, "assets/huge.png");
        std::fs::remove_file(dir.join("assets/huge.png")).unwrap();
        std::fs::write(dir.join("theme.toml"), "").unwrap();
        #[cfg(unix)]
        {
            // A link is refused wherever the theme's files are, named by its path.
            let link = |target: &str, at: &str| std::os::unix::fs::symlink(target, dir.join(at)).unwrap();
            link("/etc/hostname", "assets/leak.svg");
            assert_eq!(read_dir(&dir).unwrap_err().file, "assets/leak.svg");
            std::fs::remove_file(dir.join("assets/leak.svg")).unwrap();
            link("/etc", "frames");
            assert_eq!(read_dir(&dir).unwrap_err().file, "frames");
            std::fs::remove_file(dir.join("frames")).unwrap();
            let outside = std::env::temp_dir().join(format!("pc-outside-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&outside).unwrap();
            std::fs::write(outside.join("fr.ftl"), "sign-in = ailleurs").unwrap();
            link(&outside.join("fr.ftl").display().to_string(), "texts/fr.ftl");
            assert_eq!(read_dir(&dir).unwrap_err().file, "texts/fr.ftl");
            std::fs::remove_file(dir.join("texts/fr.ftl")).unwrap();
            std::fs::remove_dir_all(dir.join("texts")).unwrap();
            link(&outside.display().to_string(), "texts");
            assert_eq!(read_dir(&dir).unwrap_err().file, "texts");
            std::fs::remove_file(dir.join("texts")).unwrap();
            std::fs::rename(dir.join("theme.toml"), outside.join("theme.toml")).unwrap();
            link(&outside.join("theme.toml").display().to_string(), "theme.toml");
            assert_eq!(read_dir(&dir).unwrap_err().file, "theme.toml");
            let _ = std::fs::remove_dir_all(&outside);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn text_keys_of_a_layer_are_single_words() {
        let spec = ThemeSpec { texts: [("de".to_owned(), [("sign-in\nevil".to_owned(), "x".to_owned())].into())].into(), ..Default::default() };
        assert!(files_of(&spec, &BTreeMap::new()).unwrap_err().contains("not a text key"));
    }
}
