//! `portcullis theme serve|push|pull`: theme folders (`theme::folder`) on a theme
//! author's machine, previewed locally and moved to and from a server through its admin
//! API (themes/README.md, "Theme folders").
//!
//! - `serve DIR` renders every page (`views::samples`, `PageId::ALL`) with the folder
//!   applied over the built-in theme, in every locale, light and dark, with an index page
//!   linking them; a folder that does not pass the server's checks shows a page naming each
//!   file and setting at fault. Pages poll `/_serve/version` (a fingerprint of the folder's
//!   files) from a nonce'd script and reload when it changes. It binds to loopback unless
//!   told otherwise, answers only requests whose Host names loopback with its port (DNS
//!   rebinding), and reads only the folder's theme files (`folder::read_dir`).
//! - `push DIR --tenant T [--workspace W [--client C]]` uploads the folder's assets
//!   (`POST …/assets`), rewrites the relative references to the URLs the server returns
//!   and `PUT`s the layer (or the draft, `--draft`). Pushing the same folder again
//!   publishes nothing new: assets are content-addressed and an unchanged layer is no new
//!   version. Refusals are shown as file and setting of the folder.
//! - `pull DIR --tenant T …` writes the published layer out as a folder: assets downloaded
//!   to `assets/<hash>.<ext>` (checked against their hash), references rewritten to those
//!   paths, after checking the layer reads back as a valid folder; never through a
//!   symbolic link, never outside DIR. A pull followed by a push changes nothing.
//!
//! Server addresses must be https (http only to loopback), the client secret goes only to
//! a token endpoint at the issuer's origin, answers are read up to a limit, and server
//! text is printed with control characters escaped.
//!
//! Who may do what: push and pull are admin API calls, so the server decides — the token
//! (`PORTCULLIS_ADMIN_TOKEN`, or one obtained by client_credentials with `--issuer`,
//! `--client-id` and `--client-secret`) must carry `tenant-admin` of the tenant or
//! `system-admin`. `serve` talks to no server and needs no credentials.
use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use clap::{Args, Subcommand};

use crate::theme::folder::{self, Problem};
use crate::theme::{self, Level, ThemeSpec, assets};
use crate::views::{PageId, samples};

/// `portcullis theme …`.
#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Previews a theme folder: every page with sample data, in every locale, light and
    /// dark; pages reload when a file changes.
    Serve {
        dir: PathBuf,
        /// Where the preview listens.
        #[arg(long, default_value = "127.0.0.1:8088")]
        listen: String,
    },
    /// Uploads a theme folder (assets, then the layer) through the admin API.
    Push {
        dir: PathBuf,
        #[command(flatten)]
        target: TargetArgs,
        #[command(flatten)]
        api: ApiArgs,
        /// Saves the layer as the draft instead of publishing it.
        #[arg(long)]
        draft: bool,
    },
    /// Writes a published theme layer out as a folder (assets into assets/<hash>.<ext>).
    Pull {
        dir: PathBuf,
        #[command(flatten)]
        target: TargetArgs,
        #[command(flatten)]
        api: ApiArgs,
    },
}

/// Which layer: the tenant's, a workspace's or a client's.
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    #[arg(long)]
    pub tenant: String,
    #[arg(long)]
    pub workspace: Option<String>,
    /// A client of the workspace (needs --workspace).
    #[arg(long, requires = "workspace")]
    pub client: Option<String>,
}

/// How to reach the admin API. The token comes from `PORTCULLIS_ADMIN_TOKEN`, or from the
/// token endpoint of `--issuer` by client_credentials.
#[derive(Debug, Clone, Args)]
pub struct ApiArgs {
    /// The server's base URL (its public URL), e.g. https://id.example.com.
    #[arg(long, env = "PORTCULLIS_URL")]
    pub url: String,
    /// The issuer of the admin client (https://id.example.com/{tenant}/{workspace}).
    #[arg(long)]
    pub issuer: Option<String>,
    #[arg(long, env = "PORTCULLIS_CLIENT_ID")]
    pub client_id: Option<String>,
    #[arg(long, env = "PORTCULLIS_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
}

/// What went wrong, for the theme author.
#[derive(Debug)]
pub enum CliError {
    /// The folder itself (read locally).
    Folder(Vec<Problem>),
    /// The server refused the layer or an asset: each refusal as file and setting.
    Refused(Vec<Problem>),
    /// Any other answer of the server.
    Api { status: u16, detail: String },
    Other(String),
}

impl std::fmt::Display for CliError {
    /// Text from a server (or a file) is shown with its control characters escaped, so it
    /// cannot move the cursor, recolour or rewrite the terminal, or reorder what is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Folder(p) | CliError::Refused(p) => {
                f.write_str(if matches!(self, CliError::Folder(_)) { "the theme folder has problems:" } else { "the server refused the theme:" })?;
                for p in p {
                    write!(f, "\n  {}", printable(&p.to_string()))?;
                }
                Ok(())
            }
            CliError::Api { status, detail } => write!(f, "the server answered {status}: {}", printable(detail)),
            CliError::Other(m) => f.write_str(&printable(m)),
        }
    }
}

/// `s` with control characters (C0, DEL, C1) and bidirectional controls written as
/// `\u{…}`: safe to print on a terminal.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi = matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

impl std::error::Error for CliError {}

fn other(context: &str, e: impl std::fmt::Display) -> CliError {
    CliError::Other(format!("{context}: {e}"))
}

/// A path segment, percent-encoded (RFC 3986 §3.3: unreserved characters stay).
fn seg(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A layer of a tenant.
#[derive(Debug, Clone)]
pub struct Target {
    pub tenant: String,
    pub workspace: Option<String>,
    pub client: Option<String>,
}

impl Target {
    /// The layer's path under `/api/admin/v1`.
    fn path(&self) -> Result<String, CliError> {
        Ok(match (&self.workspace, &self.client) {
            (None, None) => format!("/tenants/{}", seg(&self.tenant)),
            (Some(w), None) => format!("/tenants/{}/workspaces/{}", seg(&self.tenant), seg(w)),
            (Some(w), Some(c)) => format!("/tenants/{}/workspaces/{}/clients/{}", seg(&self.tenant), seg(w), seg(c)),
            (None, Some(_)) => return Err(CliError::Other("--client needs --workspace".into())),
        })
    }
}

impl From<TargetArgs> for Target {
    fn from(a: TargetArgs) -> Self {
        Target { tenant: a.tenant, workspace: a.workspace, client: a.client }
    }
}

/// An admin API session: the server's base URL and a bearer token.
pub struct Api {
    base: String,
    token: String,
    http: reqwest::Client,
}

/// `url` as a server address the CLI may send a token or a secret to: https, or http to
/// a loopback host (a server on this machine, a test).
pub fn checked_url(what: &str, url: &str) -> Result<url::Url, CliError> {
    let u = url::Url::parse(url).map_err(|e| other(&format!("{what} {url:?}"), e))?;
    let loopback = match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        None => false,
    };
    match u.scheme() {
        "https" if u.host().is_some() => Ok(u),
        "http" if loopback => Ok(u),
        _ => Err(CliError::Other(format!("{what} {url:?}: must be an https URL (http only to localhost, 127.0.0.1 or [::1]): the token and secrets go there"))),
    }
}

/// Most bytes of an answer that is not a theme (discovery, token, upload answer).
const MAX_SMALL_ANSWER: usize = 1024 * 1024;

/// The body of `resp`, refused as soon as it passes `limit` bytes (by its Content-Length
/// or while it arrives): a server cannot make the CLI read without end.
async fn body(mut resp: reqwest::Response, limit: usize, what: &str) -> Result<Vec<u8>, CliError> {
    let too_large = || CliError::Other(format!("{what}: the answer is larger than {} KiB", limit / 1024));
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| other(what, e))? {
        if out.len() + chunk.len() > limit {
            return Err(too_large());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

fn client() -> Result<reqwest::Client, CliError> {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(std::time::Duration::from_secs(60)).build().map_err(|e| other("HTTP client", e))
}

impl Api {
    /// A session at `base` (https, or http to loopback: [`checked_url`]).
    pub fn new(base: &str, token: &str) -> Result<Api, CliError> {
        checked_url("--url", base)?;
        Ok(Api { base: base.trim_end_matches('/').to_owned(), token: token.to_owned(), http: client()? })
    }

    /// A session with a token from the issuer's token endpoint (discovery), by
    /// client_credentials with the `admin` scope.
    /// The client secret goes only to a token endpoint of the issuer's own origin (scheme,
    /// host and port), whatever the discovery document says.
    pub async fn with_client(base: &str, issuer: &str, client_id: &str, client_secret: &str) -> Result<Api, CliError> {
        checked_url("--url", base)?;
        let issuer_url = checked_url("--issuer", issuer)?;
        let http = client()?;
        let discovery = format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'));
        let resp = http.get(&discovery).send().await.map_err(|e| other(&discovery, e))?;
        let doc: serde_json::Value = serde_json::from_slice(&body(resp, MAX_SMALL_ANSWER, &discovery).await?).map_err(|e| other(&discovery, e))?;
        let endpoint = doc["token_endpoint"].as_str().ok_or_else(|| CliError::Other(format!("{discovery}: no token_endpoint")))?;
        if url::Url::parse(endpoint).map(|u| u.origin()).ok() != Some(issuer_url.origin()) {
            return Err(CliError::Other(format!("{discovery}: the token_endpoint {endpoint:?} is not at the issuer's origin {}: the client secret is not sent there", issuer_url.origin().ascii_serialization())));
        }
        let resp = http
            .post(endpoint)
            .basic_auth(client_id, Some(client_secret))
            .form(&[("grant_type", "client_credentials"), ("scope", "admin")])
            .send()
            .await
            .map_err(|e| other(endpoint, e))?;
        let status = resp.status().as_u16();
        let body: serde_json::Value = serde_json::from_slice(&body(resp, MAX_SMALL_ANSWER, endpoint).await?).unwrap_or_default();
        let Some(token) = body["access_token"].as_str().filter(|_| status == 200) else {
            return Err(CliError::Api { status, detail: format!("client_credentials at {endpoint}: {}", body["error"].as_str().unwrap_or("no access token")) });
        };
        Ok(Api { base: base.trim_end_matches('/').to_owned(), token: token.to_owned(), http })
    }

    fn admin(&self, path: &str) -> String {
        format!("{}/api/admin/v1{path}", self.base)
    }

    /// Sends `rb` with the token; a 2xx answer's body, else the problem as a [`CliError`]
    /// (a 422's `errors` as problems of the folder, located by `at`).
    async fn call(&self, rb: reqwest::RequestBuilder, at: &dyn Fn(&str, &str) -> Problem) -> Result<(reqwest::header::HeaderMap, Vec<u8>), CliError> {
        let resp = rb.bearer_auth(&self.token).send().await.map_err(|e| other("admin API", e))?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = body(resp, folder::MAX_TOTAL, "admin API").await?;
        if (200..300).contains(&status) {
            return Ok((headers, body));
        }
        let problem: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let errors: Vec<Problem> = problem["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| at(e["pointer"].as_str().unwrap_or(""), e["detail"].as_str().unwrap_or("refused")))
            .collect();
        if status == 422 && !errors.is_empty() {
            return Err(CliError::Refused(errors));
        }
        let detail = problem["detail"].as_str().or(problem["title"].as_str()).map(str::to_owned).unwrap_or_else(|| String::from_utf8_lossy(&body).chars().take(200).collect());
        Err(CliError::Api { status, detail })
    }

    async fn json<T: serde::de::DeserializeOwned>(&self, rb: reqwest::RequestBuilder) -> Result<(Option<i64>, T), CliError> {
        let (headers, body) = self.call(rb, &folder::locate).await?;
        let version = headers.get(header::ETAG.as_str()).and_then(|v| v.to_str().ok()).and_then(|v| v.trim_matches('"').strip_prefix('v')?.parse().ok());
        Ok((version, serde_json::from_slice(&body).map_err(|e| other("admin API answer", e))?))
    }
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// Assets the server had not stored before.
    pub uploaded: usize,
    /// The published version (none for a draft).
    pub version: Option<i64>,
    /// Whether the push published a new version (or changed the draft).
    pub changed: bool,
}

/// Uploads the folder at `dir` to `target` (see the module documentation).
pub async fn push(api: &Api, dir: &Path, target: &Target, draft: bool) -> Result<Pushed, CliError> {
    let files = folder::read_dir(dir).map_err(|p| CliError::Folder(vec![p]))?;
    let parsed = folder::parse(&files).map_err(CliError::Folder)?;
    let layer_path = target.path()?;
    let mut urls: BTreeMap<String, String> = BTreeMap::new();
    let mut uploaded = 0;
    for (path, bytes) in &parsed.assets {
        let at = |_: &str, m: &str| Problem { file: path.clone(), setting: String::new(), message: m.to_owned() };
        let rb = api.http.post(api.admin(&format!("/tenants/{}/assets", seg(&target.tenant)))).header(header::CONTENT_TYPE.as_str(), "application/octet-stream").body(bytes.clone());
        let resp = rb.bearer_auth(&api.token).send().await.map_err(|e| other("admin API", e))?;
        let status = resp.status().as_u16();
        let body: serde_json::Value = serde_json::from_slice(&body(resp, MAX_SMALL_ANSWER, "admin API").await?).unwrap_or_default();
        match (status, body["url"].as_str()) {
            (200 | 201, Some(u)) => {
                uploaded += usize::from(status == 201);
                urls.insert(path.clone(), u.to_owned());
            }
            (422, _) => return Err(CliError::Refused(vec![at("", body["errors"][0]["detail"].as_str().or(body["detail"].as_str()).unwrap_or("refused"))])),
            _ => return Err(CliError::Api { status, detail: format!("uploading {path}: {}", body["detail"].as_str().unwrap_or("no asset URL in the answer")) }),
        }
    }
    let layer = parsed.resolve(|path, _| urls.get(path).cloned().ok_or_else(|| CliError::Other(format!("{path}: not uploaded"))))?;
    if draft {
        let before = api.json::<serde_json::Value>(api.http.get(api.admin(&format!("{layer_path}/theme/draft")))).await.ok().and_then(|(_, d)| serde_json::from_value::<ThemeSpec>(d["layer"].clone()).ok());
        api.json::<serde_json::Value>(api.http.put(api.admin(&format!("{layer_path}/theme/draft"))).json(&layer)).await?;
        return Ok(Pushed { uploaded, version: None, changed: before.as_ref() != Some(&layer) });
    }
    let (before, _) = api.json::<serde_json::Value>(api.http.get(api.admin(&format!("{layer_path}/theme")))).await?;
    let (_, v) = api.json::<serde_json::Value>(api.http.put(api.admin(&format!("{layer_path}/theme"))).json(&layer)).await?;
    let version = v["version"].as_i64();
    Ok(Pushed { uploaded, version, changed: version != before })
}

/// What a pull wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    /// The published version (0: none yet).
    pub version: i64,
    pub files: usize,
    pub assets: usize,
}

/// Writes the published layer of `target` into `dir` (see the module documentation).
/// Texts, frames and `frame.html` the layer no longer has are removed from the folder;
/// other files (a README, unreferenced assets) are left alone.
///
/// What the server sends is checked before anything is written: the layer must read back
/// as a valid folder (`folder::parse`: supported locales, text keys and texts, page ids,
/// assets by content), the answers are read up to the folder's size limit only, and every
/// file is written under `dir` without following a symbolic link: a link at a file or
/// folder to be written (or at `texts/`, `frames/`, `assets/`) is refused, naming it, and
/// each file is written to a new temporary file beside it, then renamed into place.
pub async fn pull(api: &Api, dir: &Path, target: &Target) -> Result<Pulled, CliError> {
    let layer_path = target.path()?;
    let (version, layer) = api.json::<ThemeSpec>(api.http.get(api.admin(&format!("{layer_path}/theme")))).await?;
    let mut local = BTreeMap::new();
    let mut downloads = vec![];
    let mut budget = folder::MAX_TOTAL;
    for u in folder::asset_urls(&layer) {
        let name = folder::local_name(&u).ok_or_else(|| CliError::Other(format!("{u}: not an asset URL")))?;
        let resp = api.http.get(format!("{}{u}", api.base)).send().await.map_err(|e| other(&u, e))?;
        if !resp.status().is_success() {
            return Err(CliError::Api { status: resp.status().as_u16(), detail: format!("downloading {u}") });
        }
        let bytes = body(resp, budget, &u).await?;
        budget -= bytes.len();
        // The URL names its content: anything else is not what the layer refers to.
        if !name.contains(&assets::id_of(&bytes)) {
            return Err(CliError::Other(format!("{u}: the content does not match its hash")));
        }
        local.insert(u.clone(), name.clone());
        downloads.push((name, bytes));
    }
    let files = folder::files_of(&layer, &local).map_err(|m| CliError::Other(format!("the server's layer cannot be written as a folder: {m}")))?;
    let mut all = files.clone();
    all.extend(downloads.iter().cloned());
    if let Err(problems) = folder::parse(&all) {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(CliError::Other(format!("the server's layer is not a valid theme folder, nothing was written: {}", list.join("; "))));
    }
    std::fs::create_dir_all(dir).map_err(|e| other(&dir.display().to_string(), e))?;
    // Every target is checked before the first write, so a refusal leaves the folder as it was.
    for rel in all.keys() {
        target_in(dir, rel)?;
    }
    for (rel, _) in folder::read_dir(dir).map_err(|p| CliError::Folder(vec![p]))? {
        let managed = rel == "frame.html" || rel.starts_with("texts/") || rel.starts_with("frames/");
        if managed && !files.contains_key(&rel) {
            // read_dir refused links at texts/ and frames/: this is a file of the folder.
            std::fs::remove_file(target_in(dir, &rel)?).map_err(|e| other(&rel, e))?;
        }
    }
    for (rel, bytes) in &all {
        write_in(dir, rel, bytes)?;
    }
    Ok(Pulled { version: version.unwrap_or(0), files: files.len(), assets: downloads.len() })
}

/// Where `rel` (a path of a theme folder: `theme.toml`, `frame.html`, `texts/…`,
/// `frames/…`, `assets/…`; plain segments only) lies under `dir`, refused if it or a
/// folder on the way is a symbolic link or not what it should be.
fn target_in(dir: &Path, rel: &str) -> Result<PathBuf, CliError> {
    let segments: Vec<&str> = rel.split('/').collect();
    let plain = |s: &&str| !s.is_empty() && !s.starts_with('.') && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if !segments.iter().all(plain) || !matches!(segments[0], "theme.toml" | "frame.html" | "texts" | "frames" | "assets") {
        return Err(CliError::Other(format!("{rel:?}: not a path of a theme folder")));
    }
    let mut p = dir.to_path_buf();
    for (i, seg) in segments.iter().enumerate() {
        p.push(seg);
        let last = i + 1 == segments.len();
        match std::fs::symlink_metadata(&p) {
            Err(_) => {}
            Ok(m) if m.file_type().is_symlink() => {
                return Err(CliError::Other(format!("{}: a symbolic link: pull writes only the folder's own files (remove the link)", p.display())));
            }
            Ok(m) if last && !m.is_file() => return Err(CliError::Other(format!("{}: not a file", p.display()))),
            Ok(m) if !last && !m.is_dir() => return Err(CliError::Other(format!("{}: not a folder", p.display()))),
            Ok(_) => {}
        }
    }
    Ok(p)
}

/// Writes `bytes` to `rel` under `dir` (checked by [`target_in`]): into a new file beside
/// it (created exclusively, so never through a link), then renamed over it (a rename
/// replaces a link rather than writing where it points).
fn write_in(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let target = target_in(dir, rel)?;
    let mut p = dir.to_path_buf();
    for seg in rel.split('/').take(rel.split('/').count() - 1) {
        p.push(seg);
        match std::fs::create_dir(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(other(&p.display().to_string(), e)),
        }
        if !std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
            return Err(CliError::Other(format!("{}: not a folder (or a symbolic link)", p.display())));
        }
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.{}.tmp", crate::crypto::random_token(8)));
    let written = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, &target));
    if let Err(e) = renamed {
        let _ = std::fs::remove_file(&tmp);
        return Err(other(&target.display().to_string(), e));
    }
    Ok(())
}

// ---- serve ----

/// The tenant name the preview's asset URLs carry (`/static/t/serve/…`): the folder is
/// checked as a tenant layer would be.
const SERVE_TENANT: &str = "serve";

const APP_CSS: &str = include_str!("../../static/css/app.css");
const LOGO_SVG: &str = include_str!("../../static/img/logo.svg");
const PASSKEY_JS: &str = include_str!("../../static/js/passkey.js");

struct Preview {
    dir: PathBuf,
}

/// The folder as the preview uses it: the layer with preview asset URLs, and the assets
/// by file name (`{id}.{ext}`); or every problem, each naming its file and setting.
/// The preview's assets by file name (`{id}.{ext}`): content type and bytes.
type Served = BTreeMap<String, (&'static str, Vec<u8>)>;

fn load(dir: &Path) -> Result<(ThemeSpec, Served), Vec<Problem>> {
    let files = folder::read_dir(dir).map_err(|p| vec![p])?;
    let parsed = folder::parse(&files)?;
    let mut served = BTreeMap::new();
    let layer = parsed.resolve(|path, bytes| {
        let kind = assets::check(bytes).map_err(|m| vec![Problem { file: path.to_owned(), setting: String::new(), message: m }])?.kind;
        let id = assets::id_of(bytes);
        served.insert(format!("{id}.{}", kind.ext()), (kind.content_type(), bytes.to_vec()));
        Ok::<_, Vec<Problem>>(assets::url(SERVE_TENANT, &id, kind))
    })?;
    let mut problems: Vec<Problem> = vec![];
    if let Err(e) = crate::views::check_frame_pages(&layer) {
        problems.extend(e.iter().map(|e| folder::locate(&e.pointer, &e.message)));
    }
    if let Err(e) = theme::check_layer(&layer, Level::Tenant(SERVE_TENANT), &[]) {
        problems.extend(e.iter().map(|e| folder::locate(&e.pointer, &e.message)));
    }
    if problems.is_empty() { Ok((layer, served)) } else { Err(problems) }
}

fn escape(s: &str) -> String {
    crate::texts::escape_html(s)
}

/// The reload script: polls the folder's fingerprint and reloads when it changed. Its own
/// nonce; nothing else on a preview page may run (the pages' passkey script carries the
/// sample nonce, which the preview's CSP does not allow).
fn reload_script(nonce: &str, version: &str) -> String {
    format!(
        "<script nonce=\"{nonce}\">(function(){{var v=\"{version}\";setInterval(function(){{fetch(\"/_serve/version\",{{cache:\"no-store\"}}).then(function(r){{return r.text()}}).then(function(t){{if(t&&t!==v){{location.reload()}}}}).catch(function(){{}})}},500)}})();</script>"
    )
}

fn html(csp: String, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_SECURITY_POLICY, csp))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(body)
}

/// The preview's own pages (index, problems): its own nonce for its style and script.
fn own_page(req: &HttpRequest, dir: &Path, content: impl FnOnce(&crate::texts::Strings) -> String) -> HttpResponse {
    let t = ui_strings(req);
    let nonce = crate::crypto::random_token(16);
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| dir.display().to_string());
    let title = escape(&t.theme_serve_title(name.as_str()));
    let style = "body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.5;color:#16191f;background:#fff}table{border-collapse:collapse}th,td{border:1px solid #c9ced8;padding:.25rem .6rem;text-align:start}a{color:#1f4fd1}a:focus{outline:3px solid #1f4fd1;outline-offset:2px}code{font-size:.95em}.problems{color:#b42318}";
    let body = format!(
        "<!DOCTYPE html><html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"icon\" href=\"/static/img/logo.svg\"><style nonce=\"{nonce}\">{style}</style></head><body><main><h1>{title}</h1>{}</main>{}</body></html>",
        t.lang,
        t.dir,
        content(&t),
        reload_script(&nonce, &folder::fingerprint(dir))
    );
    html(format!("default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"), body)
}

/// The preview's own texts in the browser's language.
fn ui_strings(req: &HttpRequest) -> std::sync::Arc<crate::texts::Strings> {
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    crate::texts::builtin(crate::locale::negotiate(crate::locale::Preferences { ui_locales: &[], user: None, accept_language: accept, default: None }))
}

/// Whether a request is for this machine's preview at `port`: its Host header names
/// localhost, 127.0.0.1 or [::1] with the port. Anything else may be a page of another
/// site whose name was made to point here (DNS rebinding) and is refused, whatever
/// address the preview listens on.
fn host_ok(req: &actix_web::dev::RequestHead, port: u16) -> bool {
    let Some(host) = req.headers.get(header::HOST).and_then(|v| v.to_str().ok()) else { return false };
    let host = host.to_ascii_lowercase();
    ["localhost", "127.0.0.1", "[::1]"].iter().any(|h| host == format!("{h}:{port}") || (port == 80 && host == *h))
}

/// Everything not routed: refused for another host (421), else not found.
async fn elsewhere(req: HttpRequest, port: web::Data<ServePort>) -> HttpResponse {
    if host_ok(req.head(), port.0) {
        return HttpResponse::NotFound().insert_header((header::CACHE_CONTROL, "no-store")).body("");
    }
    let t = ui_strings(&req);
    HttpResponse::build(actix_web::http::StatusCode::MISDIRECTED_REQUEST)
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .insert_header((header::CONTENT_LANGUAGE, t.lang))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(t.theme_serve_wrong_host(port.0.to_string().as_str()))
}

/// The port the preview listens on.
struct ServePort(u16);

fn problems_html(t: &crate::texts::Strings, problems: &[Problem]) -> String {
    let rows: String = problems.iter().map(|p| format!("<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>", escape(&p.file), escape(&p.setting), escape(&p.message))).collect();
    format!(
        "<section class=\"problems\" role=\"alert\" data-problems=\"{}\"><h2>{}</h2><p>{}</p><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>{rows}</tbody></table></section>",
        problems.len(),
        escape(&t.theme_serve_problems),
        escape(&t.theme_serve_problems_hint),
        escape(&t.theme_serve_file),
        escape(&t.theme_serve_setting),
        escape(&t.theme_serve_problem)
    )
}

async fn index(p: web::Data<Preview>, req: HttpRequest) -> HttpResponse {
    let loaded = load(&p.dir);
    own_page(&req, &p.dir, |t| {
        let mut out = format!("<p>{}</p>", escape(&t.theme_serve_intro));
        if let Err(problems) = &loaded {
            out.push_str(&problems_html(t, problems));
        }
        out.push_str(&format!("<table><thead><tr><th scope=\"col\">{}</th>", escape(&t.theme_serve_page)));
        for l in crate::locale::LOCALES {
            out.push_str(&format!("<th scope=\"col\" lang=\"{l}\">{l}</th>"));
        }
        out.push_str("</tr></thead><tbody>");
        for id in PageId::ALL {
            out.push_str(&format!("<tr><th scope=\"row\"><code>{id}</code></th>"));
            for l in crate::locale::LOCALES {
                // Each link names its page and locale for a screen reader, not only "Light".
                let (light, dark) = (escape(&t.theme_serve_light), escape(&t.theme_serve_dark));
                out.push_str(&format!(
                    "<td><a href=\"/page/{id}?locale={l}&amp;scheme=light\" aria-label=\"{id} {l}: {light}\">{light}</a> · <a href=\"/page/{id}?locale={l}&amp;scheme=dark\" aria-label=\"{id} {l}: {dark}\">{dark}</a></td>"
                ));
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
        out
    })
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    locale: Option<String>,
    /// `light` or `dark` (default: the theme's `color_scheme`).
    scheme: Option<String>,
}

async fn page(p: web::Data<Preview>, req: HttpRequest, id: web::Path<String>, q: web::Query<PageQuery>) -> HttpResponse {
    let Some(id) = PageId::ALL.iter().copied().find(|p| p.as_str() == id.as_str()) else {
        return HttpResponse::NotFound().insert_header((header::CACHE_CONTROL, "no-store")).body("no such page");
    };
    let (layer, _) = match load(&p.dir) {
        Ok(l) => l,
        Err(problems) => return own_page(&req, &p.dir, |t| problems_html(t, &problems)),
    };
    let mut resolved = theme::resolve_over_builtin(&[layer]);
    match q.scheme.as_deref() {
        Some("light") => resolved.color_scheme = theme::ColorScheme::Light,
        Some("dark") => resolved.color_scheme = theme::ColorScheme::Dark,
        _ => {}
    }
    let ui: Vec<String> = q.locale.iter().cloned().collect();
    let strings = resolved.strings(crate::locale::negotiate(crate::locale::Preferences { ui_locales: &ui, user: None, accept_language: None, default: None }));
    let rendered = match samples::sample(id, &resolved, &strings).dyn_render() {
        Ok(h) => resolved.framed(h),
        Err(e) => return HttpResponse::InternalServerError().body(format!("rendering {id}: {e}")),
    };
    let nonce = crate::crypto::random_token(16);
    let script = reload_script(&nonce, &folder::fingerprint(&p.dir));
    let body = match rendered.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &rendered[..at], &rendered[at..]),
        None => format!("{rendered}{script}"),
    };
    let origins = resolved.csp_origins();
    html(
        format!("default-src 'none'; style-src 'self' 'nonce-sample-nonce'; img-src 'self' data:{origins}; font-src 'self'{origins}; script-src 'nonce-{nonce}'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"),
        body,
    )
}

async fn version(p: web::Data<Preview>) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CONTENT_TYPE, "text/plain")).insert_header((header::CACHE_CONTROL, "no-store")).body(folder::fingerprint(&p.dir))
}

async fn asset(p: web::Data<Preview>, file: web::Path<String>) -> HttpResponse {
    let found = load(&p.dir).ok().and_then(|(_, mut served)| served.remove(file.as_str()));
    match found {
        Some((content_type, bytes)) => {
            let mut b = HttpResponse::Ok();
            b.insert_header((header::CONTENT_TYPE, content_type)).insert_header((header::CACHE_CONTROL, "no-store")).insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
            if content_type == "image/svg+xml" {
                b.insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'; sandbox"));
            }
            b.body(bytes)
        }
        None => HttpResponse::NotFound().insert_header((header::CACHE_CONTROL, "no-store")).finish(),
    }
}

fn builtin_file(content_type: &'static str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CONTENT_TYPE, content_type)).insert_header((header::CACHE_CONTROL, "no-store")).body(body)
}

/// The preview server of the folder at `dir` on `listener` (one worker: it is one
/// author's tool). Run it by awaiting the returned server.
/// Every request must name localhost, 127.0.0.1 or [::1] with the listener's port as its
/// Host ([`host_ok`]); others are answered 421 with nothing of the folder.
pub fn serve(dir: PathBuf, listener: TcpListener) -> std::io::Result<actix_web::dev::Server> {
    let data = web::Data::new(Preview { dir });
    let port = web::Data::new(ServePort(listener.local_addr()?.port()));
    let server = HttpServer::new(move || {
        let p = port.0;
        App::new()
            .app_data(data.clone())
            .app_data(port.clone())
            .service(
                web::scope("")
                    .guard(actix_web::guard::fn_guard(move |ctx| host_ok(ctx.head(), p)))
                    .route("/", web::get().to(index))
                    .route("/page/{id}", web::get().to(page))
                    .route("/_serve/version", web::get().to(version))
                    .route(&format!("/static/t/{SERVE_TENANT}/{{file}}"), web::get().to(asset))
                    .route("/static/css/app.css", web::get().to(|| async { builtin_file("text/css; charset=utf-8", APP_CSS) }))
                    .route("/static/img/logo.svg", web::get().to(|| async { builtin_file("image/svg+xml", LOGO_SVG) }))
                    .route("/static/js/passkey.js", web::get().to(|| async { builtin_file("text/javascript; charset=utf-8", PASSKEY_JS) })),
            )
            .default_service(web::to(elsewhere))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok(server)
}

async fn api_of(a: &ApiArgs) -> Result<Api, CliError> {
    if let Ok(token) = std::env::var("PORTCULLIS_ADMIN_TOKEN")
        && !token.trim().is_empty()
    {
        return Api::new(&a.url, token.trim());
    }
    match (&a.issuer, &a.client_id, &a.client_secret) {
        (Some(issuer), Some(id), Some(secret)) => Api::with_client(&a.url, issuer, id, secret).await,
        _ => Err(CliError::Other("credentials: set PORTCULLIS_ADMIN_TOKEN, or give --issuer, --client-id and --client-secret (or PORTCULLIS_CLIENT_SECRET) of an admin client".into())),
    }
}

/// Runs a `portcullis theme` command; what it did goes to stdout, problems to stderr.
pub async fn run(cmd: ThemeCommand) -> Result<(), CliError> {
    match cmd {
        ThemeCommand::Serve { dir, listen } => {
            if let Err(problems) = load(&dir) {
                eprintln!("{}", CliError::Folder(problems));
            }
            let listener = TcpListener::bind(&listen).map_err(|e| other(&format!("listen on {listen}"), e))?;
            if listener.local_addr().is_ok_and(|a| !a.ip().is_loopback()) {
                eprintln!("warning: {listen} is not a loopback address: the preview is reachable from other machines (it answers only requests naming localhost, 127.0.0.1 or [::1] as the host, so open it here or through a tunnel)");
            }
            println!("previewing {} at http://{}/ (Ctrl-C stops)", dir.display(), listener.local_addr().map_err(|e| other("listener", e))?);
            serve(dir, listener).map_err(|e| other("preview server", e))?.await.map_err(|e| other("preview server", e))
        }
        ThemeCommand::Push { dir, target, api, draft } => {
            let api = api_of(&api).await?;
            let p = push(&api, &dir, &target.into(), draft).await?;
            match (draft, p.changed, p.version) {
                (true, true, _) => println!("draft saved ({} new assets)", p.uploaded),
                (true, false, _) => println!("draft unchanged"),
                (false, true, Some(v)) => println!("published version {v} ({} new assets)", p.uploaded),
                (false, _, v) => println!("unchanged: version {} is this folder already", v.unwrap_or(0)),
            }
            Ok(())
        }
        ThemeCommand::Pull { dir, target, api } => {
            let api = api_of(&api).await?;
            let p = pull(&api, &dir, &target.into()).await?;
            println!("wrote version {} into {}: {} files, {} assets", p.version, dir.display(), p.files, p.assets);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_paths_name_tenant_workspace_and_client() {
        let t = |w: Option<&str>, c: Option<&str>| Target { tenant: "acme".into(), workspace: w.map(Into::into), client: c.map(Into::into) }.path();
        assert_eq!(t(None, None).unwrap(), "/tenants/acme");
        assert_eq!(t(Some("shop"), Some("shop web")).unwrap(), "/tenants/acme/workspaces/shop/clients/shop%20web");
        assert!(t(None, Some("c")).is_err());
    }

    #[test]
    fn the_reload_script_and_problems_are_escaped_text() {
        let p = Problem { file: "texts/de.ftl".into(), setting: "<b>".into(), message: "\"x\" & y".into() };
        let h = problems_html(&crate::texts::builtin("en"), &[p]);
        assert!(h.contains("&lt;b&gt;") && h.contains("&quot;x&quot; &amp; y"), "{h}");
        assert!(reload_script("n0", "abc").starts_with("<script nonce=\"n0\">"));
    }
}
