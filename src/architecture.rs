//! Checks of the module structure, read from the source text (no build of a graph tool, no
//! dependency): every `crate::…`, `super::…` and `self::…` path in `src/**/*.rs` (test-only
//! modules left out) is resolved to the module it names, giving an import graph of
//! top-level modules (`src/X.rs` or `src/X/`) and, inside each, of its direct children.
//!
//! The rules (issue 8, STYLE.md §1):
//! - no cycle among top-level modules, nor among the children of one top-level module;
//! - the core (`protocol`, `identity`, `auth`) imports nothing from the edge (`http`,
//!   `admin`, `startup`, `state`) nor from a storage implementation: it sees store traits;
//! - the core's text mentions no HTTP, SQL or Redis crate.
//!
//! Violations that exist today and are being removed are listed in `KNOWN_VIOLATIONS`; the
//! test fails both on a new violation and on a listed one that no longer occurs, so the list
//! only shrinks.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The core: modules that take typed inputs, ports and the time, and return outcomes.
const CORE: &[&str] = &["protocol", "identity", "auth"];

/// What the core may not import (a module path prefix).
const EDGE_AND_IMPLEMENTATIONS: &[&str] =
    &["http", "admin", "startup", "state", "storage::sql", "storage::redis", "storage::memory", "storage::cache"];

/// Crates the core's source may not name (split so this file does not trip a text search).
const BANNED_IN_CORE: &[&str] = &[concat!("act", "ix_web"), concat!("sea", "_orm"), concat!("red", "is::")];

/// Violations tolerated while a restructuring is under way, each with who removes it. An
/// entry that no longer occurs must be deleted (the test says so). Empty since issue 8: keep
/// it so, a new violation is fixed, not listed.
const KNOWN_VIOLATIONS: &[(&str, &str)] = &[];

#[test]
fn import_graph_has_no_cycles_and_the_core_stays_clean() {
    let graph = Graph::read(&src_dir());
    let found: BTreeSet<String> = graph.violations().into_iter().collect();
    let known: BTreeSet<String> = KNOWN_VIOLATIONS.iter().map(|(v, _)| v.to_string()).collect();

    let new: Vec<&String> = found.difference(&known).collect();
    let fixed: Vec<&String> = known.difference(&found).collect();
    if new.is_empty() && fixed.is_empty() {
        return;
    }
    let mut report = String::new();
    if !new.is_empty() {
        report.push_str("new violations of the module structure:\n");
        for v in &new {
            report.push_str(&format!("  {v}\n"));
            for line in graph.evidence(v) {
                report.push_str(&format!("      {line}\n"));
            }
        }
    }
    if !fixed.is_empty() {
        report.push_str("listed in KNOWN_VIOLATIONS but no longer true (delete these entries):\n");
        for v in &fixed {
            report.push_str(&format!("  {v}\n"));
        }
    }
    report.push_str("all violations found now:\n");
    for v in &found {
        report.push_str(&format!("  {v}\n"));
    }
    panic!("{report}");
}

#[test]
fn core_is_free_of_http_sql_and_redis() {
    let src = src_dir();
    let mut offenders = Vec::new();
    for core in CORE {
        for file in rust_files(&src.join(core)).into_iter().chain(rust_files_named(&src, core)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for banned in BANNED_IN_CORE {
                if text.contains(banned) {
                    offenders.push(format!("{} mentions {banned}", file.display()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "the core names an HTTP, SQL or Redis crate:\n{}", offenders.join("\n"));
}

/// Prints the top-level import graph, bottom modules first (for `docs/architecture.md`):
/// `cargo test --lib architecture::print_import_graph -- --ignored --nocapture`.
#[test]
#[ignore = "prints the graph; asserts nothing"]
fn print_import_graph() {
    let graph = Graph::read(&src_dir());
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &graph.modules {
        imports.entry(m[0].clone()).or_default();
    }
    for (a, b) in &graph.edges {
        if a[0] != b[0] {
            imports.entry(a[0].clone()).or_default().insert(b[0].clone());
        }
    }
    // Layers: a module sits one above the highest module it imports (cycles share a layer).
    let mut layer: BTreeMap<String, usize> = imports.keys().map(|m| (m.clone(), 0)).collect();
    for _ in 0..imports.len() {
        for (m, deps) in &imports {
            let l = deps.iter().filter(|d| *d != m).map(|d| layer[d] + 1).max().unwrap_or(0).min(imports.len());
            layer.insert(m.clone(), l.max(layer[m]).min(imports.len()));
        }
    }
    let mut order: Vec<(&String, &usize)> = layer.iter().collect();
    order.sort_by_key(|(m, l)| (**l, (*m).clone()));
    for (m, l) in order {
        let deps: Vec<&str> = imports[m].iter().map(String::as_str).collect();
        println!("{l:2} {m:<10} -> {}", deps.join(", "));
    }
}

/// The parser and the rules on small inputs, so a failure above is about the code, not the
/// checker.
#[test]
fn checker_resolves_paths_and_finds_cycles() {
    let files = [
        ("a/mod.rs", "pub mod x; pub mod y;\n use crate::b::{self, Thing as T};"),
        ("a/x.rs", "use super::y::Y; // crate::c::Nope\n fn f() { let _ = \"crate::c::\"; }"),
        ("a/y.rs", "use super::{x, super::c};\n#[cfg(test)]\nmod tests { use crate::http::Z; }"),
        ("b.rs", "pub struct Thing; fn g() { crate::a::x::f(); }"),
        ("c.rs", "use self::inner::Q; mod inner { pub struct Q; use super::super::http::X; }"),
        ("protocol/mod.rs", "pub mod t; use crate::storage::{Store, sql::hex}; // crate::admin::X\n const S: &str = \"crate::admin::\"; const C: char = '\\''; fn f<'a>(_: &'a str) {}"),
        ("protocol/t.rs", "use crate::{http::{self}, c};"),
        ("storage/mod.rs", "pub mod sql; #[cfg(test)]\npub(crate) mod tests;"),
        ("storage/tests.rs", "use crate::protocol::X;"),
        ("storage/sql.rs", ""),
        ("http.rs", ""),
    ];
    let graph = Graph::from_sources(files.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())));
    let v: BTreeSet<String> = graph.violations().into_iter().collect();
    let expected: BTreeSet<String> = [
        "cycle: a, b",
        "cycle: a::{x, y}",
        "protocol imports storage::sql",
        "protocol::t imports http",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(v, expected);
    let edge = |a: &[&str], b: &[&str]| {
        let p = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<ModPath>();
        graph.edges.contains(&(p(a), p(b)))
    };
    // `super::super` inside an inline module of `c` is the crate root.
    assert!(edge(&["c"], &["http"]));
    // Test-only modules, inline or in their own file, are left out.
    assert!(!edge(&["a", "y"], &["http"]));
    assert!(!edge(&["storage", "tests"], &["protocol"]));
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// `src/<name>.rs` when the module is a single file.
fn rust_files_named(src: &Path, name: &str) -> Vec<PathBuf> {
    let file = src.join(format!("{name}.rs"));
    if file.is_file() { vec![file] } else { Vec::new() }
}

/// A module path from the crate root, e.g. `["storage", "sql"]`.
type ModPath = Vec<String>;

struct Graph {
    /// Modules that exist as files: `["http"]`, `["http", "login"]`, ….
    modules: BTreeSet<ModPath>,
    /// (file's module, path it names), the named path cut to the longest known module.
    edges: BTreeSet<(ModPath, ModPath)>,
    /// Where each edge comes from, for the report: edge → "file: path".
    sites: BTreeMap<(ModPath, ModPath), Vec<String>>,
}

impl Graph {
    fn read(src: &Path) -> Graph {
        let files = rust_files(src).into_iter().filter_map(|path| {
            let rel = path.strip_prefix(src).unwrap().to_path_buf();
            // The binary is another crate; this file quotes paths in its own tests.
            if rel == Path::new("main.rs") || rel == Path::new("architecture.rs") || rel.starts_with("bin") {
                return None;
            }
            Some((rel, std::fs::read_to_string(&path).unwrap()))
        });
        Graph::from_sources(files)
    }

    fn from_sources(files: impl IntoIterator<Item = (PathBuf, String)>) -> Graph {
        let files: Vec<(ModPath, String, String)> = files
            .into_iter()
            .map(|(rel, text)| (module_of(&rel), rel.display().to_string(), text))
            .collect();
        let modules: BTreeSet<ModPath> = files.iter().map(|(m, _, _)| m.clone()).filter(|m| !m.is_empty()).collect();

        // Files declared by `#[cfg(test)] mod x;` are test code as a whole.
        let mut test_only: BTreeSet<ModPath> = BTreeSet::new();
        let mut named: Vec<(ModPath, String, ModPath)> = Vec::new();
        for (module, file, text) in &files {
            let scan = scan(&tokens(text), module);
            for m in scan.test_only_children {
                test_only.insert(m);
            }
            for p in scan.paths {
                named.push((module.clone(), file.clone(), p));
            }
        }

        let mut edges = BTreeSet::new();
        let mut sites: BTreeMap<(ModPath, ModPath), Vec<String>> = BTreeMap::new();
        for (from, file, path) in named {
            if test_only.iter().any(|t| from.starts_with(t)) {
                continue;
            }
            let Some(to) = longest_module(&modules, &path) else { continue };
            if to == from {
                continue;
            }
            let edge = (from.clone(), to);
            sites.entry(edge.clone()).or_default().push(format!("{file}: {}", path.join("::")));
            edges.insert(edge);
        }
        Graph { modules, edges, sites }
    }

    fn violations(&self) -> Vec<String> {
        let mut out = Vec::new();

        // Cycles among top-level modules.
        let top: BTreeSet<String> = self.modules.iter().map(|m| m[0].clone()).collect();
        let top_edges: BTreeSet<(String, String)> =
            self.edges.iter().map(|(a, b)| (a[0].clone(), b[0].clone())).filter(|(a, b)| a != b).collect();
        for cycle in cycles(&top, &top_edges) {
            out.push(format!("cycle: {}", cycle.join(", ")));
        }

        // Cycles among the children of one top-level module (through `mod.rs` does not count:
        // a parent names its children to declare them).
        for parent in &top {
            let children: BTreeSet<String> =
                self.modules.iter().filter(|m| m.len() >= 2 && &m[0] == parent).map(|m| m[1].clone()).collect();
            let child_edges: BTreeSet<(String, String)> = self
                .edges
                .iter()
                .filter(|(a, b)| a.len() >= 2 && b.len() >= 2 && &a[0] == parent && &b[0] == parent && a[1] != b[1])
                .map(|(a, b)| (a[1].clone(), b[1].clone()))
                .collect();
            for cycle in cycles(&children, &child_edges) {
                out.push(format!("cycle: {parent}::{{{}}}", cycle.join(", ")));
            }
        }

        // The core imports neither the edge nor a storage implementation.
        let mut layering = BTreeSet::new();
        for (from, to) in &self.edges {
            if !CORE.contains(&from[0].as_str()) {
                continue;
            }
            let to_text = to.join("::");
            for banned in EDGE_AND_IMPLEMENTATIONS {
                if to_text == *banned || to_text.starts_with(&format!("{banned}::")) {
                    layering.insert(format!("{} imports {banned}", from.join("::")));
                }
            }
        }
        out.extend(layering);
        out
    }

    /// The import sites behind one violation, for the failure message.
    fn evidence(&self, violation: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(rest) = violation.strip_prefix("cycle: ") {
            let (parent, members): (Option<&str>, Vec<&str>) = match rest.split_once("::{") {
                Some((p, m)) => (Some(p), m.trim_end_matches('}').split(", ").collect()),
                None => (None, rest.split(", ").collect()),
            };
            for ((from, to), sites) in &self.sites {
                let (a, b) = match parent {
                    None => (from.first(), to.first()),
                    Some(p) if from[0] == p && to[0] == p => (from.get(1), to.get(1)),
                    Some(_) => continue,
                };
                if let (Some(a), Some(b)) = (a, b)
                    && a != b
                    && members.contains(&a.as_str())
                    && members.contains(&b.as_str())
                {
                    out.push(format!("{a} -> {b} ({})", sites[0]));
                }
            }
        } else if let Some((from, banned)) = violation.split_once(" imports ") {
            for ((f, to), sites) in &self.sites {
                let to_text = to.join("::");
                if f.join("::") == from && (to_text == banned || to_text.starts_with(&format!("{banned}::"))) {
                    out.extend(sites.iter().cloned());
                }
            }
        }
        out.dedup();
        out
    }
}

/// `http/login.rs` → `["http", "login"]`, `http/mod.rs` → `["http"]`, `lib.rs` → `[]`.
fn module_of(rel: &Path) -> ModPath {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && !(parts.is_empty() && (stem == "lib" || stem == "main")) {
        parts.push(stem.to_string());
    }
    parts
}

/// The longest prefix of `path` that is a module file (deeper paths name items in it).
fn longest_module(modules: &BTreeSet<ModPath>, path: &[String]) -> Option<ModPath> {
    (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains(p))
}

/// Strongly connected components with more than one member, each sorted, in sorted order.
fn cycles(nodes: &BTreeSet<String>, edges: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    // Reachability by repeated search: the graphs are a few dozen nodes.
    let reach = |start: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.clone()];
        while let Some(n) = stack.pop() {
            for (a, b) in edges {
                if a == &n && seen.insert(b.clone()) {
                    stack.push(b.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> = nodes.iter().map(|n| (n, reach(n))).collect();
    let mut out: BTreeSet<Vec<String>> = BTreeSet::new();
    for n in nodes {
        if !reachable[n].contains(n) {
            continue;
        }
        let scc: Vec<String> =
            nodes.iter().filter(|m| reachable[n].contains(*m) && reachable[*m].contains(n)).cloned().collect();
        if scc.len() > 1 {
            out.insert(scc);
        }
    }
    out.into_iter().collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
}

/// Rust source as identifiers and punctuation, without comments, strings and characters.
fn tokens(text: &str) -> Vec<Tok> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        if ch == '/' && c.get(i + 1) == Some(&'/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && c.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = skip_string(&c, i + 1);
        } else if (ch == 'r' || ch == 'b') && is_raw_string_start(&c, i) {
            // r"…", r#"…"#, br"…", br#"…"#
            let mut j = i + if ch == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1; // the opening quote
            'raw: while j < c.len() {
                if c[j] == '"' && (0..hashes).all(|k| c.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break 'raw;
                }
                j += 1;
            }
            i = j;
        } else if ch == 'b' && c.get(i + 1) == Some(&'"') {
            i = skip_string(&c, i + 2);
        } else if ch == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if c.get(i + 1) == Some(&'\\') {
                // Past the backslash and the escaped character, to the closing quote.
                let mut j = i + 3;
                while j < c.len() && c[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(c[start..i].iter().collect()));
        } else if ch == ':' && c.get(i + 1) == Some(&':') {
            out.push(Tok::PathSep);
            i += 2;
        } else {
            if !ch.is_whitespace() {
                out.push(Tok::Punct(ch));
            }
            i += 1;
        }
    }
    out
}

fn skip_string(c: &[char], mut i: usize) -> usize {
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

fn is_raw_string_start(c: &[char], i: usize) -> bool {
    // Not the tail of an identifier such as `bar"`.
    if i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_') {
        return false;
    }
    let mut j = i;
    if c[j] == 'b' {
        j += 1;
    }
    if c.get(j) != Some(&'r') {
        return false;
    }
    j += 1;
    while c.get(j) == Some(&'#') {
        j += 1;
    }
    c.get(j) == Some(&'"')
}

struct Scan {
    /// Absolute paths named in the file, outside test-only modules.
    paths: Vec<ModPath>,
    /// Children declared with `#[cfg(test)] mod x;`.
    test_only_children: Vec<ModPath>,
}

/// Walks the tokens, tracking inline `mod x { … }` (so `super` resolves right) and skipping
/// `#[cfg(test)]` modules.
fn scan(toks: &[Tok], file_module: &ModPath) -> Scan {
    let mut paths = Vec::new();
    let mut test_only_children = Vec::new();
    // The module stack for inline modules: (module path, brace depth at which it closes).
    let mut stack: Vec<(ModPath, usize)> = vec![(file_module.clone(), 0)];
    let mut depth = 0usize;
    let mut i = 0;
    let ident = |i: usize| match toks.get(i) {
        Some(Tok::Ident(s)) => Some(s.as_str()),
        _ => None,
    };
    while i < toks.len() {
        // `#[cfg(test)]` then attributes or visibility, then `mod name` `;` or `{`.
        if toks[i] == Tok::Punct('#') && is_cfg_test(toks, i) {
            let mut j = skip_attribute(toks, i);
            loop {
                if toks.get(j) == Some(&Tok::Punct('#')) {
                    j = skip_attribute(toks, j);
                } else if ident(j) == Some("pub") {
                    j += 1;
                    if toks.get(j) == Some(&Tok::Punct('(')) {
                        while j < toks.len() && toks[j] != Tok::Punct(')') {
                            j += 1;
                        }
                        j += 1;
                    }
                } else {
                    break;
                }
            }
            if ident(j) == Some("mod")
                && let Some(name) = ident(j + 1)
            {
                match toks.get(j + 2) {
                    Some(Tok::Punct(';')) => {
                        let mut m = stack.last().unwrap().0.clone();
                        m.push(name.to_string());
                        test_only_children.push(m);
                        i = j + 3;
                        continue;
                    }
                    Some(Tok::Punct('{')) => {
                        i = skip_block(toks, j + 2);
                        continue;
                    }
                    _ => {}
                }
            }
            i += 1;
            continue;
        }
        match &toks[i] {
            Tok::Ident(kw) if kw == "mod" => {
                if let (Some(name), Some(Tok::Punct('{'))) = (ident(i + 1), toks.get(i + 2)) {
                    let mut m = stack.last().unwrap().0.clone();
                    m.push(name.to_string());
                    depth += 1;
                    stack.push((m, depth));
                    i += 3;
                    continue;
                }
            }
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if stack.len() > 1 && stack.last().unwrap().1 == depth {
                    stack.pop();
                }
                depth = depth.saturating_sub(1);
            }
            // At the start of a path only (`x::self` is inside a use tree parsed whole).
            Tok::Ident(root)
                if (root == "crate" || root == "super" || root == "self")
                    && toks.get(i + 1) == Some(&Tok::PathSep)
                    && (i == 0 || toks[i - 1] != Tok::PathSep) =>
            {
                let current = &stack.last().unwrap().0;
                let (trees, next) = parse_tree(toks, i);
                for relative in trees {
                    if let Some(abs) = resolve(current, &relative) {
                        paths.push(abs);
                    }
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Scan { paths, test_only_children }
}

fn is_cfg_test(toks: &[Tok], i: usize) -> bool {
    let want = [Tok::Punct('#'), Tok::Punct('['), Tok::Ident("cfg".into()), Tok::Punct('('), Tok::Ident("test".into()), Tok::Punct(')'), Tok::Punct(']')];
    toks.len() >= i + want.len() && toks[i..i + want.len()] == want
}

/// From `#` to past the matching `]`.
fn skip_attribute(toks: &[Tok], i: usize) -> usize {
    let mut j = i + 1;
    let mut depth = 0;
    while j < toks.len() {
        match toks[j] {
            Tok::Punct('[') => depth += 1,
            Tok::Punct(']') => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    j
}

/// From `{` to past the matching `}`.
fn skip_block(toks: &[Tok], i: usize) -> usize {
    let mut j = i;
    let mut depth = 0;
    while j < toks.len() {
        match toks[j] {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    j
}

/// A path or use tree from token `i`: `a::b::{c, d::{self, e as f}, *}` gives `a::b::c`,
/// `a::b::d`, `a::b::d::e`, `a::b`. Returns the paths and the index after the tree.
fn parse_tree(toks: &[Tok], i: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut j = i;
    loop {
        match toks.get(j) {
            Some(Tok::Ident(s)) => {
                prefix.push(s.clone());
                j += 1;
            }
            Some(Tok::Punct('{')) => {
                let mut out = Vec::new();
                j += 1;
                loop {
                    match toks.get(j) {
                        Some(Tok::Punct('}')) | None => {
                            j += 1;
                            break;
                        }
                        Some(Tok::Punct(',')) => j += 1,
                        Some(Tok::Punct('*')) => j += 1,
                        _ => {
                            let (sub, next) = parse_tree(toks, j);
                            for s in sub {
                                let mut p = prefix.clone();
                                // `{self}` names the prefix itself.
                                if s.first().map(String::as_str) != Some("self") || s.len() > 1 {
                                    p.extend(s.into_iter().skip_while(|x| x == "self"));
                                }
                                out.push(p);
                            }
                            if next == j {
                                j += 1;
                            } else {
                                j = next;
                            }
                        }
                    }
                }
                if out.is_empty() {
                    out.push(prefix);
                }
                return (out, j);
            }
            _ => return (vec![prefix], j),
        }
        // `as name` ends a leaf.
        if let (Some(Tok::Ident(a)), Some(Tok::Ident(_))) = (toks.get(j), toks.get(j + 1))
            && a == "as"
        {
            return (vec![prefix], j + 2);
        }
        if toks.get(j) == Some(&Tok::PathSep) {
            j += 1;
        } else {
            return (vec![prefix], j);
        }
    }
}

/// `crate::a::b`, `super::x`, `self::y` from inside `current` to an absolute path. `None` for
/// the crate root itself.
fn resolve(current: &ModPath, relative: &[String]) -> Option<ModPath> {
    let mut base: ModPath;
    let mut rest = relative;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base = Vec::new();
            rest = &rest[1..];
        }
        Some("self") => {
            base = current.clone();
            rest = &rest[1..];
        }
        Some("super") => {
            base = current.clone();
            while rest.first().map(String::as_str) == Some("super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    // `super` after other segments (`{x, super::c}` in a tree under `super::`).
    for seg in rest {
        if seg == "super" {
            base.pop()?;
        } else {
            base.push(seg.clone());
        }
    }
    (!base.is_empty()).then_some(base)
}
