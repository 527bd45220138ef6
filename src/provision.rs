//! Declarative provisioning (`serve --provision FILE`, `apply FILE`): a YAML file is
//! parsed, validated as a whole, turned into a `Plan` (passwords hashed, secrets digested)
//! and applied in one transaction. Applying the same file twice changes nothing.
//!
//! The rules live here; the store only executes the plan's typed writes
//! (`storage::write`): what a document merges with the stored objects, the defaults,
//! what counts as created or updated, which grants a writer may make. Users are checked
//! by the one user-write path, `identity::users`. Refusals are [`PlanError::Invalid`],
//! a field error with a JSON pointer into the file (`/tenants/0/pools/1/users/2/email`;
//! shown to a file's author as `tenants[0].pools[1].users[2].email`).
//!
//! A write never changes what its document does not mention: a key left out keeps the
//! stored value (or takes the default, for a new object). The admin API writes through the
//! same planner, so `PUT …/workspaces/{w}` with only a theme keeps the pools and clients,
//! and `PUT …/clients/{c}` without `client_secret` keeps the client confidential (an
//! explicit `client_secret: null` makes it public). Lists a document gives (`pools`,
//! `redirect_uris`, …) replace the stored list; listed groups and clients are created or
//! updated, others kept.
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

use crate::identity::password::Hasher;
use crate::error::AppError;
use crate::theme::{self, ThemeSpec};
use crate::templates::Template;
use crate::identity::policy::PasswordPolicy;
use crate::identity::schema;
use crate::identity::users::{self, Draft, FieldError, Writer};
use crate::storage::identity::{Activation, Identifier, PoolSettings, client_holder, group_holder};
use crate::protocol::authorize::MAX_REDIRECT_URI;
use crate::storage::identity::Group;
use crate::storage::ThemeScope;
use crate::storage::write::{Batch, Holder, Write};
use crate::storage::{AuditEvent, Client, ConsentMode, PrivilegeStore, SigningAlg, UserStore};
use crate::crypto::digest;
use crate::model::TenantId;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    #[serde(default)]
    pub tenants: Vec<TenantSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantSpec {
    pub id: String,
    pub name: Option<String>,
    #[serde(default)]
    pub theme: Option<ThemeSpec>,
    /// Who the tenant's mail comes from (`{ name, address }`); absent keeps the stored
    /// sender, `null` removes it (the configured sender then applies).
    #[serde(default, deserialize_with = "present")]
    pub mail_from: Option<Option<crate::delivery::Sender>>,
    /// Custom identity schemas of the tenant, assignable to its pools.
    #[serde(default)]
    pub schemas: Vec<SchemaSpec>,
    #[serde(default)]
    pub pools: Vec<PoolSpec>,
    #[serde(default)]
    pub workspaces: Vec<WorkspaceSpec>,
    /// The tenant's own levels of assurance, besides the built-in `urn:portcullis:loa:1|2|3`:
    /// each an id, the ACR value requests ask for, and the factor combinations reaching it.
    /// Left out: keep the stored ones.
    #[serde(default)]
    pub assurance_levels: Option<Vec<crate::model::AssuranceLevel>>,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaSpec {
    pub id: String,
    pub schema: serde_json::Value,
}

/// `Some(None)` for an explicit `null`, `None` when the key is left out.
fn explicit<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSpec {
    pub id: String,
    pub name: Option<String>,
    /// An industry template (`crate::templates`) whose pool defaults a new pool starts
    /// from; what the document gives wins. No effect on a stored pool.
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub self_registration: Option<bool>,
    #[serde(default)]
    pub identifier: Option<Identifier>,
    #[serde(default)]
    pub activation: Option<Activation>,
    #[serde(default)]
    pub password_policy: Option<PasswordPolicy>,
    pub payload_schema: Option<String>,
    pub metadata_schema: Option<String>,
    pub retention_days: Option<u32>,
    #[serde(default)]
    pub metadata_claims: Option<Vec<String>>,
    /// `{ policy: off | step_up | optional | required | adaptive, factors: [...] }`.
    pub mfa: Option<crate::storage::identity::MfaSettings>,
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    #[serde(default)]
    pub users: Vec<UserSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub id: String,
    pub name: Option<String>,
    /// Privileges the group's members hold, e.g. `group:customers:trial` (the dynamic
    /// privilege of another group) or a built-in one (`tenant-admin`, `user-admin`).
    #[serde(default)]
    pub privileges: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    pub username: String,
    #[serde(default, deserialize_with = "explicit")]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "explicit")]
    pub phone: Option<Option<String>>,
    pub password: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub groups: Option<Vec<String>>,
    #[serde(default)]
    pub claims: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub privileges: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceSpec {
    pub id: String,
    pub name: Option<String>,
    /// An industry template (`crate::templates`, themes/README.md "Industry templates"):
    /// a new workspace starts with its theme (under the document's `theme:`, which wins per
    /// setting), the pools the same document creates for it and the clients it creates in
    /// it start from its defaults. Stored objects are not changed by it.
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub theme: Option<ThemeSpec>,
    /// The locale of the workspace's pages and messages when neither the request, the
    /// user nor the browser names a supported one (`locale::LOCALES`); absent keeps the
    /// stored one, `null` removes it.
    #[serde(default, deserialize_with = "present")]
    pub default_locale: Option<Option<String>>,
    /// The terms of use its pages link to (`https://`); absent keeps the stored one,
    /// `null` removes it.
    #[serde(default, deserialize_with = "present")]
    pub terms_url: Option<Option<String>>,
    /// The privacy policy its pages link to (`https://`); as `terms_url`.
    #[serde(default, deserialize_with = "present")]
    pub privacy_url: Option<Option<String>>,
    #[serde(default)]
    pub pools: Option<Vec<String>>,
    #[serde(default)]
    pub clients: Vec<ClientSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    pub client_id: String,
    pub name: Option<String>,
    /// Left out: keep the stored secret (none for a new client: public); `null`: make the
    /// client public.
    #[serde(default, deserialize_with = "explicit")]
    pub client_secret: Option<Option<String>>,
    #[serde(default)]
    pub redirect_uris: Option<Vec<String>>,
    #[serde(default)]
    pub post_logout_redirect_uris: Option<Vec<String>>,
    #[serde(default)]
    pub grant_types: Option<Vec<String>>,
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    pub consent: Option<ConsentMode>,
    pub id_token_signed_response_alg: Option<String>,
    /// Admin API privileges of the client's own tokens (client_credentials), e.g.
    /// `system-admin` for the bootstrap admin client.
    #[serde(default)]
    pub privileges: Vec<String>,
    /// Web origins, besides those of the redirect URIs, that browser code of the client may
    /// call the token, userinfo, revocation and introspection endpoints from (CORS).
    #[serde(default)]
    pub allowed_origins: Option<Vec<String>>,
    /// The lowest level of assurance (full ACR value) every sign-in to the client reaches.
    /// Left out: keep the stored one; `null`: none.
    #[serde(default, deserialize_with = "explicit")]
    pub min_acr: Option<Option<String>>,
    /// The client's theme layer (over the workspace's); left out: the stored one stays.
    #[serde(default)]
    pub theme: Option<ThemeSpec>,
}

/// Everything ready to be written: the typed writes one store transaction executes
/// (`storage::write`), in order: per tenant its row, schemas, pools with their groups and
/// users, workspaces with their clients, privilege grants, and an audit event.
#[derive(Debug, Default)]
pub struct Plan {
    batch: Batch,
}

impl std::ops::Deref for Plan {
    type Target = Batch;
    fn deref(&self) -> &Batch {
        &self.batch
    }
}

impl Plan {
    /// For an admin API write of one object of a tenant (or of a workspace): stored tenant
    /// (workspace) rows are kept as they are; missing ones are created.
    pub fn keep_stored(&mut self, tenants: bool, workspaces: bool) {
        for c in &mut self.batch.writes {
            match &mut c.write {
                Write::Tenant { replace, .. } if tenants => *replace = false,
                Write::Workspace { replace, .. } if workspaces => *replace = false,
                _ => {}
            }
        }
    }

    /// The privileges the plan grants: (tenant, privilege, holder). A user named in the
    /// file is `user:{pool}/{username}`.
    pub fn grants(&self) -> impl Iterator<Item = (&TenantId, &str, String)> {
        self.batch.writes.iter().filter_map(|c| match &c.write {
            Write::Grant { tenant, privilege, holder } => Some((tenant, privilege.as_str(), match holder {
                Holder::Id(h) => h.clone(),
                Holder::User { pool, username } => format!("user:{pool}/{username}"),
            })),
            _ => None,
        })
    }

    /// The tenants whose theme layers the plan writes.
    pub fn theme_tenants(&self) -> std::collections::BTreeSet<&TenantId> {
        self.batch.writes.iter().filter_map(|c| match &c.write {
            Write::Theme { tenant, .. } => Some(tenant),
            _ => None,
        }).collect()
    }

    /// Names who publishes the theme layers of the plan (an admin API caller).
    pub fn set_theme_author(&mut self, actor: &str) {
        for c in &mut self.batch.writes {
            if let Write::Theme { author, .. } = &mut c.write {
                *author = actor.to_owned();
            }
        }
    }

    /// The clients the plan writes.
    pub fn clients(&self) -> impl Iterator<Item = &Client> {
        self.batch.writes.iter().filter_map(|c| match &c.write {
            Write::Client(client) => Some(client),
            _ => None,
        })
    }

    /// Whether every grant of the plan is one the writer may make (`may_grant(tenant,
    /// privilege)`) or one its holder has already, so that a document read back and
    /// written unchanged stays writable.
    pub async fn grants_allowed(&self, store: &dyn PrivilegeStore, may_grant: impl Fn(&TenantId, &str) -> bool) -> Result<bool, AppError> {
        let mut held: HashMap<&TenantId, Vec<(String, String)>> = HashMap::new();
        for (tenant, privilege, holder) in self.grants() {
            if may_grant(tenant, privilege) {
                continue;
            }
            if !held.contains_key(tenant) {
                held.insert(tenant, store.holdings(tenant).await?);
            }
            if !held[tenant].iter().any(|(p, h)| p == privilege && *h == holder) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

pub use crate::storage::write::Applied;

/// Reserved first path segments (DESIGN.md): never a tenant id.
const RESERVED: &[&str] = &["api", "static", "healthz", "readyz", "metrics", ".well-known"];
const SCOPES: &[&str] = &["openid", "profile", "email", "phone", "address", "offline_access", "admin"];
/// Privileges that exist in every tenant (see `admin::authz`).
pub const BUILTIN_PRIVILEGES: &[&str] = &["system-admin", "tenant-admin", "user-admin"];
const GRANTS: &[&str] = &["authorization_code", "refresh_token", "client_credentials"];

/// A workspace's `terms_url` and `privacy_url` after the document: each given one
/// replaces (or with `null` removes) the stored one; `None` when the document names
/// neither. Only `https://` URLs with a host are taken: they are links on every page.
fn workspace_links(wp: &str, w: &WorkspaceSpec, was: Option<&crate::storage::Workspace>) -> Result<Option<crate::storage::WorkspaceLinks>, PlanError> {
    if w.terms_url.is_none() && w.privacy_url.is_none() {
        return Ok(None);
    }
    let mut links = was.map(|x| x.links.clone()).unwrap_or_default();
    for (key, given, slot) in [("terms_url", &w.terms_url, &mut links.terms_url), ("privacy_url", &w.privacy_url, &mut links.privacy_url)] {
        match given {
            None => {}
            Some(None) => *slot = None,
            Some(Some(u)) => {
                let ok = url::Url::parse(u).ok().filter(|p| p.scheme() == "https" && p.host_str().is_some_and(|h| !h.is_empty()) && p.username().is_empty() && p.password().is_none());
                // Stored as parsed (lower-case host, percent-encoded), the form pages link to.
                match ok {
                    Some(p) if u.len() <= 2048 && p.as_str().len() <= 2048 => *slot = Some(p.as_str().to_owned()),
                    _ => return Err(err(format!("{wp}/{key}"), "an https:// URL (at most 2048 characters)")),
                }
            }
        }
    }
    Ok(Some(links))
}

/// Why a file (or an admin API document) cannot be planned: a field to fix, named by its
/// JSON pointer into the file, or a failure to read what it refers to.
#[derive(Debug)]
pub enum PlanError {
    Invalid(FieldError),
    App(AppError),
}

impl From<AppError> for PlanError {
    fn from(e: AppError) -> Self {
        PlanError::App(e)
    }
}

/// `/tenants/0/pools/1/id` → `tenants[0].pools[1].id`: how a file's author reads a path.
fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/').skip(1) {
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&part.replace("~1", "/").replace("~0", "~"));
        }
    }
    out
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Invalid(e) => write!(f, "{}: {}", dotted(&e.pointer), e.message),
            PlanError::App(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PlanError {}

impl From<PlanError> for AppError {
    fn from(e: PlanError) -> Self {
        match e {
            PlanError::Invalid(f) => AppError::Invalid(vec![f]),
            PlanError::App(e) => e,
        }
    }
}

fn err(pointer: impl Into<String>, msg: impl std::fmt::Display) -> PlanError {
    PlanError::Invalid(FieldError::new(pointer, msg.to_string()))
}

/// A layer's own checks over the layers below it, and that its frames name real pages.
fn check_theme(layer: &ThemeSpec, level: theme::Level<'_>, below: &[&ThemeSpec]) -> Result<(), Vec<FieldError>> {
    crate::views::check_frame_pages(layer)?;
    theme::check_layer(layer, level, below)
}

/// The first refusal of a theme layer, its pointer under the layer's place in the file.
fn theme_err(at: &str, errors: Vec<FieldError>) -> PlanError {
    match errors.into_iter().next() {
        Some(e) => err(format!("{at}{}", e.pointer), e.message),
        None => err(at, "invalid theme"),
    }
}

/// The first refusal of a user's check, as a pointer into the file (which calls the
/// payload `claims`).
fn user_error(up: &str, errors: Vec<FieldError>) -> PlanError {
    let Some(first) = errors.into_iter().next() else {
        return PlanError::App(AppError::internal("a refused user without an error"));
    };
    let pointer = match first.pointer.strip_prefix("/payload") {
        Some(rest) => format!("{up}/claims{rest}"),
        None => format!("{up}{}", first.pointer),
    };
    PlanError::Invalid(FieldError { pointer, message: first.message })
}

/// Ids appear in URLs and keys: a conservative alphabet keeps them unambiguous.
fn check_id(path: &str, id: &str) -> Result<(), PlanError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !id.starts_with('-');
    if ok { Ok(()) } else { Err(err(path, format!("{id:?} must be 1-64 of a-z, 0-9, '-', '_'"))) }
}

fn is_loopback(u: &url::Url) -> bool {
    matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
}

/// Redirect and post-logout redirect URIs: where a browser is sent with a code, a token
/// hint or an error. Only schemes that name a web page or an app are accepted, so a
/// registered `javascript:`, `data:` or `file:` URI cannot run script or read files in the
/// user's browser.
fn check_uri(path: &str, uri: &str) -> Result<(), PlanError> {
    // /authorize refuses longer ones before looking anything up.
    if uri.len() > MAX_REDIRECT_URI {
        return Err(err(path, format!("at most {MAX_REDIRECT_URI} characters")));
    }
    let u = url::Url::parse(uri).map_err(|e| err(path, format!("{uri:?}: {e}")))?;
    // RFC 6749 §3.1.2: the redirection endpoint URI MUST be absolute and MUST NOT include a fragment.
    if u.fragment().is_some() {
        return Err(err(path, format!("{uri:?} must not have a fragment")));
    }
    match u.scheme() {
        "https" if u.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        // RFC 8252 §7.3 (native apps) and RFC 9700 §2.1: plain http for loopback only.
        "http" if is_loopback(&u) => Ok(()),
        "http" => Err(err(path, format!("{uri:?}: plain http is only allowed for loopback hosts"))),
        // RFC 8252 §7.1: a private-use scheme is a reverse domain name, e.g. com.example.app.
        s if s.contains('.') => Ok(()),
        s => Err(err(path, format!("{uri:?}: the scheme {s:?} is not allowed (https, http for loopback hosts, or an app's reverse-domain scheme such as com.example.app)"))),
    }
}

/// A CORS origin (`scheme://host[:port]`, as browsers send it in `Origin`): https, or http
/// for a loopback host, nothing else. Returns it as browsers serialize it, so that it
/// compares equal to their `Origin` header.
fn check_origin(path: &str, origin: &str) -> Result<String, PlanError> {
    let bad = |why: &str| err(path, format!("{origin:?}: {why}; expected an origin such as https://app.example.com"));
    let u = url::Url::parse(origin).map_err(|e| bad(&e.to_string()))?;
    let secure = match u.scheme() {
        "https" => true,
        "http" => is_loopback(&u),
        _ => false,
    };
    if !secure || u.host_str().is_none_or(str::is_empty) {
        return Err(bad("https (http only for loopback hosts) with a host"));
    }
    if u.path() != "/" || origin.ends_with('/') || u.query().is_some() || u.fragment().is_some() || !u.username().is_empty() || u.password().is_some() {
        return Err(bad("no path, query, fragment or user"));
    }
    Ok(u.origin().ascii_serialization())
}

/// What the database holds already that a file may refer to or leaves unmentioned:
/// tenants (name, theme), schemas by (tenant, id), pools by (tenant, pool), group names by
/// (tenant, pool, group), workspaces by (tenant, workspace), clients by (tenant, workspace,
/// client) and users with their groups by (tenant, pool, username).
#[derive(Debug, Default)]
pub struct Existing {
    pub tenants: HashMap<String, String>,
    /// Published theme layers by (tenant, scope key): what a layer of the file is checked
    /// over (contrast, allowed origins) when the file does not give the layer below.
    pub themes: HashMap<(String, String), ThemeSpec>,
    pub schemas: HashMap<(String, String), serde_json::Value>,
    pub pools: HashMap<(String, String), PoolSettings>,
    pub pool_names: HashMap<(String, String), String>,
    pub groups: HashMap<(String, String, String), String>,
    pub workspaces: HashMap<(String, String), crate::storage::Workspace>,
    pub clients: HashMap<(String, String, String), Client>,
    pub users: HashMap<(String, String, String), (crate::storage::User, Vec<String>)>,
    /// Levels of assurance by tenant.
    pub levels: HashMap<String, Vec<crate::model::AssuranceLevel>>,
}

fn describe(errors: &[schema::FieldError]) -> String {
    errors.iter().map(|e| if e.pointer.is_empty() { e.message.clone() } else { format!("{}: {}", e.pointer, e.message) }).collect::<Vec<_>>().join("; ")
}

/// A privilege a file may grant: built-in, or the dynamic privilege of a group of the tenant.
fn check_privilege(path: &str, t: &TenantSpec, existing: &Existing, id: &str) -> Result<(), PlanError> {
    if BUILTIN_PRIVILEGES.contains(&id) {
        return Ok(());
    }
    let known = id.strip_prefix("group:").and_then(|r| r.split_once(':')).is_some_and(|(pool, group)| {
        t.pools.iter().any(|p| p.id == pool && p.groups.iter().any(|g| g.id == group))
            || existing.groups.contains_key(&(t.id.clone(), pool.to_owned(), group.to_owned()))
    });
    if known { Ok(()) } else { Err(err(path, format!("unknown privilege {id:?} (built-in: {}; or group:<pool>:<group>)", BUILTIN_PRIVILEGES.join(", ")))) }
}

/// A key that is present, with its value or `null`, as `Some(…)`: absent keys keep their
/// default `None` (`#[serde(default)]`).
pub(crate) fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Ok(Some(Option::deserialize(d)?))
}

fn dup<'a>(path: &str, seen: &mut HashSet<&'a str>, id: &'a str) -> Result<(), PlanError> {
    if seen.insert(id) { Ok(()) } else { Err(err(path, format!("{id:?} appears twice"))) }
}

/// Plans a file against the current state: loads what its objects may refer to or leave
/// unmentioned (only the tenants, workspaces and users the file names).
/// Applies a plan in one transaction (`DirectoryStore::apply`); when it wrote theme
/// layers, every node's cached themes of those tenants are announced stale
/// (`ThemeCache::announce`), so the next page shows them. Every caller of a plan (`portcullis
/// apply`, the admin API's documents) applies it through here.
pub async fn apply(state: &crate::state::AppState, plan: &Plan) -> Result<crate::storage::write::Applied, AppError> {
    let applied = state.directory.apply(plan).await?;
    for tenant in plan.theme_tenants() {
        state.theme_cache.announce(tenant).await;
    }
    Ok(applied)
}

pub async fn prepare(state: &crate::state::AppState, file: File, source: &str) -> Result<Plan, PlanError> {
    use crate::storage::identity::Lookup;
    let mut existing = Existing::default();
    for t in &file.tenants {
        // A tenant id enters the system here, from the provisioning file.
        let tenant = crate::model::TenantId::new(t.id.clone());
        if let Some(found) = state.directory.tenant(&tenant).await? {
            existing.tenants.insert(t.id.clone(), found);
            existing.levels.insert(t.id.clone(), state.directory.levels(&tenant).await?);
        }
        let scopes: Vec<ThemeScope> = std::iter::once(ThemeScope::Tenant).chain(t.workspaces.iter().map(|w| ThemeScope::Workspace(w.id.clone()))).collect();
        for (scope, found) in scopes.iter().zip(state.themes.published(&tenant, &scopes).await?) {
            if let Some(v) = found {
                existing.themes.insert((t.id.clone(), scope.key()), v.layer);
            }
        }
        for (id, body) in state.schemas.schemas(&tenant).await? {
            existing.schemas.insert((t.id.clone(), id), body);
        }
        for p in state.pools.pools(&tenant).await? {
            for g in state.groups.groups(&tenant, &p.id).await? {
                existing.groups.insert((t.id.clone(), p.id.clone(), g.id), g.name);
            }
            existing.pool_names.insert((t.id.clone(), p.id.clone()), p.name);
            existing.pools.insert((t.id.clone(), p.id), p.settings);
        }
        for w in &t.workspaces {
            if let Some(found) = state.directory.workspace(&tenant, &w.id).await? {
                existing.workspaces.insert((t.id.clone(), w.id.clone()), found);
            }
            for c in state.clients.clients(&tenant, &w.id).await? {
                existing.clients.insert((t.id.clone(), w.id.clone(), c.client_id.clone()), c);
            }
        }
        for p in &t.pools {
            for u in &p.users {
                let name = u.username.trim().to_lowercase();
                if let Some(found) = state.users.find_user(&tenant, &p.id, Lookup::Username, &name).await? {
                    let groups = state.groups.user_groups(&found.tenant_id, &found.id).await?;
                    existing.users.insert((t.id.clone(), p.id.clone(), name), (found, groups));
                }
            }
        }
    }
    plan(file, source, state.now(), state.users.as_ref(), &state.hasher, &existing).await
}

pub fn parse(text: &str) -> Result<File, AppError> {
    serde_yaml_ng::from_str(text).map_err(|e| AppError::invalid("", format!("provisioning file: {e}")))
}

/// Validates the whole file, then hashes what must be hashed. Stored password hashes that
/// still verify the file's password are kept, so re-applying does not rewrite them.
pub async fn plan(file: File, source: &str, now: i64, users_store: &dyn UserStore, hasher: &Hasher, existing: &Existing) -> Result<Plan, PlanError> {
    let mut plan = Plan { batch: Batch { now, writes: vec![] } };
    let planner = Planner { users_store, hasher, existing, source };
    let mut tenant_ids = HashSet::new();
    for (ti, t) in file.tenants.iter().enumerate() {
        let tp = format!("/tenants/{ti}");
        check_id(&format!("{tp}/id"), &t.id)?;
        if RESERVED.contains(&t.id.as_str()) {
            return Err(err(format!("{tp}/id"), format!("{:?} is reserved", t.id)));
        }
        dup(&format!("{tp}/id"), &mut tenant_ids, &t.id)?;
        planner.tenant(&tp, t, source, &mut plan.batch).await?;
    }
    Ok(plan)
}

/// What planning one file reads: the stored password hashes (kept when they still verify),
/// the hasher, and the stored state the file's objects may refer to or leave unmentioned.
struct Planner<'a> {
    users_store: &'a dyn UserStore,
    hasher: &'a Hasher,
    existing: &'a Existing,
    /// Who the file comes from: the author of the theme versions it publishes.
    source: &'a str,
}

/// The tenant being planned, where its document sits, and what its pools and objects
/// gather for the tenant's batch: writes in order, and the privileges they hold.
struct TenantPlan<'a> {
    t: &'a TenantSpec,
    tenant: TenantId,
    writes: Batch,
    holders: Vec<(String, Holder)>,
    /// The tenant's levels of assurance after this plan (what a client's `min_acr` may name).
    levels: Vec<crate::model::AssuranceLevel>,
}

impl Planner<'_> {
    /// One tenant: its schemas, pools, workspaces, its own row (known once everything else
    /// is), its grants and an audit record, appended to `out` in that order.
    async fn tenant(&self, tp: &str, t: &TenantSpec, source: &str, out: &mut Batch) -> Result<(), PlanError> {
        // A tenant id enters the system here, from the provisioning file.
        let levels = match &t.assurance_levels {
            Some(levels) => levels_plan(tp, levels)?,
            None => self.existing.levels.get(&t.id).cloned().unwrap_or_default(),
        };
        let mut tx = TenantPlan { t, tenant: TenantId::new(t.id.clone()), writes: Batch::default(), holders: vec![], levels };
        let schemas = schemas_plan(tp, t, &tx.tenant)?;
        let mut pool_ids = HashSet::new();
        let pool_templates = pool_templates(tp, t)?;
        for (pi, p) in t.pools.iter().enumerate() {
            let pp = format!("{tp}/pools/{pi}");
            check_id(&format!("{pp}/id"), &p.id)?;
            dup(&format!("{pp}/id"), &mut pool_ids, &p.id)?;
            self.pool(&mut tx, &pp, p, pool_templates.get(p.id.as_str()).copied()).await?;
        }
        let mut ws_ids = HashSet::new();
        for (wi, w) in t.workspaces.iter().enumerate() {
            let wp = format!("{tp}/workspaces/{wi}");
            check_id(&format!("{wp}/id"), &w.id)?;
            // `/{tenant}/studio` is the theme studio (`studio`), never a workspace.
            if w.id == "studio" {
                return Err(err(format!("{wp}/id"), "\"studio\" is reserved (the theme studio)"));
            }
            dup(&format!("{wp}/id"), &mut ws_ids, &w.id)?;
            self.workspace(&mut tx, &wp, w, &pool_ids)?;
        }
        let was = self.existing.tenants.get(&t.id);
        let name = t.name.clone().or_else(|| was.cloned()).unwrap_or_else(|| t.id.clone());
        let tenant = tx.tenant.clone();
        if let Some(Some(sender)) = &t.mail_from {
            sender.validate().map_err(|(field, m)| err(format!("{tp}/mail_from/{field}"), m))?;
        }
        out.push(Some("tenant"), Write::Tenant { id: tenant.clone(), name, levels: tx.levels.clone(), mail_from: t.mail_from.clone(), replace: true });
        // A theme is written only when the document has one (DESIGN.md: writing any other
        // object never changes a theme).
        if let Some(layer) = &t.theme {
            check_theme(layer, theme::Level::Tenant(&t.id), &[]).map_err(|e| theme_err(&format!("{tp}/theme"), e))?;
            out.push(None, Write::Theme { tenant: tenant.clone(), scope: ThemeScope::Tenant, layer: layer.clone(), author: self.source.to_owned() });
        }
        for sc in schemas {
            out.push(Some("schema"), sc);
        }
        out.writes.append(&mut tx.writes.writes);
        for (privilege, holder) in tx.holders {
            out.push(None, Write::Grant { tenant: tenant.clone(), privilege, holder });
        }
        let event = AuditEvent { tenant_id: tenant, actor: "provisioning".into(), action: "tenant.applied".into(), subject: t.id.clone(), detail: serde_json::json!({ "source": source }) };
        out.push(None, Write::Audit(event));
        Ok(())
    }

    /// One pool: its settings (unmentioned ones keep their stored values), groups and users.
    async fn pool(&self, tx: &mut TenantPlan<'_>, pp: &str, p: &PoolSpec, template: Option<&Template>) -> Result<(), PlanError> {
        let (t, existing) = (tx.t, self.existing);
        let mut group_ids = HashSet::new();
        for (gi, g) in p.groups.iter().enumerate() {
            check_id(&format!("{pp}/groups/{gi}/id"), &g.id)?;
            dup(&format!("{pp}/groups/{gi}/id"), &mut group_ids, &g.id)?;
        }
        let pool_key = (t.id.clone(), p.id.clone());
        // A template's defaults count only for a pool this document creates.
        let was = match (existing.pools.get(&pool_key), template) {
            (Some(stored), _) => stored.clone(),
            (None, Some(t)) => template_pool(t),
            (None, None) => PoolSettings::default(),
        };
        let settings = pool_settings(pp, p, was)?;
        // A template that chooses the sign-up fields brings its payload schema: created in
        // the tenant with the first new pool using it (unless the tenant has one by that id).
        if let Some((id, body)) = template.filter(|_| !existing.pools.contains_key(&pool_key)).and_then(crate::templates::payload_schema)
            && settings.payload_schema == id
            && !t.schemas.iter().any(|s| s.id == id)
            && !existing.schemas.contains_key(&(t.id.clone(), id.clone()))
            && !tx.writes.writes.iter().any(|c| matches!(&c.write, Write::Schema { id: i, .. } if *i == id))
        {
            tx.writes.push(Some("schema"), Write::Schema { tenant: tx.tenant.clone(), id, body });
        }
        let payload_schema = self.find_schema(t, &tx.writes, format!("{pp}/payload_schema"), &settings.payload_schema)?;
        let metadata_schema = self.find_schema(t, &tx.writes, format!("{pp}/metadata_schema"), &settings.metadata_schema)?;
        for (gi, g) in p.groups.iter().enumerate() {
            for (xi, x) in g.privileges.iter().enumerate() {
                check_privilege(&format!("{pp}/groups/{gi}/privileges/{xi}"), t, existing, x)?;
                tx.holders.push((x.clone(), Holder::Id(group_holder(&p.id, &g.id))));
            }
        }
        // Groups a user may join: those of the file and those stored.
        let mut groups_known: HashSet<String> = group_ids.iter().map(|g| (*g).to_owned()).collect();
        groups_known.extend(existing.groups.keys().filter(|(tn, pn, _)| *tn == t.id && *pn == p.id).map(|(_, _, g)| g.clone()));
        let rules = users::Rules::new(&tx.tenant, &p.id, &settings, payload_schema, metadata_schema, groups_known);
        let mut users_out = vec![];
        let mut names = HashSet::new();
        for (ui, u) in p.users.iter().enumerate() {
            users_out.push(self.user(tx, &format!("{pp}/users/{ui}"), p, &rules, u, &mut names).await?);
        }
        let group_name = |g: &GroupSpec| {
            g.name.clone().or_else(|| existing.groups.get(&(t.id.clone(), p.id.clone(), g.id.clone())).cloned()).unwrap_or_else(|| g.id.clone())
        };
        let name = p.name.clone().or_else(|| existing.pool_names.get(&pool_key).cloned()).unwrap_or_else(|| p.id.clone());
        tx.writes.push(Some("pool"), Write::Pool { tenant: tx.tenant.clone(), id: p.id.clone(), name, self_registration: settings.self_registration, settings });
        for g in &p.groups {
            let group = Group { pool_id: p.id.clone(), id: g.id.clone(), name: group_name(g) };
            tx.writes.push(Some("group"), Write::Group { tenant: tx.tenant.clone(), group });
        }
        for u in users_out {
            tx.writes.push(Some("user"), Write::User(u));
        }
        Ok(())
    }

    /// A schema a pool names: built in, in the file, stored, or written by this plan (a
    /// template's, with the pool that first uses it: `pool`), and valid. A template's schema
    /// id alone is not enough: a pool naming `retail-payload` in a tenant that has no such
    /// schema and whose plan writes none is refused, or its sign-up would find no schema.
    fn find_schema(&self, t: &TenantSpec, planned: &Batch, path: String, id: &str) -> Result<schema::Compiled, PlanError> {
        let body = schema::builtin(id)
            .cloned()
            .or_else(|| t.schemas.iter().find(|s| s.id == id).map(|s| s.schema.clone()))
            .or_else(|| self.existing.schemas.get(&(t.id.clone(), id.to_owned())).cloned())
            .or_else(|| {
                planned.writes.iter().find_map(|c| match &c.write {
                    Write::Schema { id: i, body, .. } if i == id => Some(body.clone()),
                    _ => None,
                })
            })
            .ok_or_else(|| err(&path, format!("no schema {id:?} in tenant {:?}", t.id)))?;
        schema::compile(&body).map_err(|e| err(&path, format!("schema {id:?} is not valid: {}", describe(&e))))
    }

    /// One user, checked by the one user-write path; what the file leaves out keeps its
    /// stored value (`null` removes an address).
    async fn user(&self, tx: &mut TenantPlan<'_>, up: &str, p: &PoolSpec, rules: &users::Rules, u: &UserSpec, names: &mut HashSet<String>) -> Result<crate::storage::identity::NewUser, PlanError> {
        let t = tx.t;
        let username = crate::identity::normalize_username(&u.username).map_err(|m| err(format!("{up}/username"), m))?;
        if !names.insert(username.clone()) {
            return Err(err(format!("{up}/username"), format!("{username:?} appears twice")));
        }
        let was = self.existing.users.get(&(t.id.clone(), p.id.clone(), username.clone()));
        let draft = Draft {
            username: Some(username.clone()),
            email: u.email.clone().unwrap_or_else(|| was.and_then(|(w, _)| w.email.clone())),
            phone: u.phone.clone().unwrap_or_else(|| was.and_then(|(w, _)| w.phone.clone())),
            password: u.password.clone(),
            password_hash: None,
            status: u.status.clone(),
            groups: u.groups.clone().unwrap_or_else(|| was.map(|(_, g)| g.clone()).unwrap_or_default()),
            payload: u.claims.clone().unwrap_or_else(|| was.map(|(w, _)| w.claims.clone()).unwrap_or_default()),
            metadata: u.metadata.clone().unwrap_or_else(|| was.map(|(w, _)| w.metadata.clone()).unwrap_or_default()),
        };
        let mut user = rules.check(Writer::Provisioning, &draft).map_err(|e| user_error(up, e))?;
        // A deleted (or inactive) user keeps its status unless the file says otherwise.
        if let (None, Some((w, _))) = (&u.status, was) {
            users::set_status(&mut user, w.status);
        }
        for (xi, x) in u.privileges.iter().enumerate() {
            check_privilege(&format!("{up}/privileges/{xi}"), t, self.existing, x)?;
            tx.holders.push((x.clone(), Holder::User { pool: p.id.clone(), username: username.clone() }));
        }
        // Stored hashes that still verify the file's password are kept, so re-applying does
        // not rewrite them.
        user.password_hash = match &u.password {
            None => None,
            Some(pw) => match self.users_store.password_hash(&tx.tenant, &p.id, &username).await? {
                Some(stored) if self.hasher.verify(pw, &stored).await? => None,
                _ => Some(self.hasher.hash(pw).await?),
            },
        };
        Ok(user)
    }

    /// One workspace: its pools (of the file or stored), clients, theme and name.
    fn workspace(&self, tx: &mut TenantPlan<'_>, wp: &str, w: &WorkspaceSpec, pool_ids: &HashSet<&str>) -> Result<(), PlanError> {
        let (t, existing) = (tx.t, self.existing);
        let was = existing.workspaces.get(&(t.id.clone(), w.id.clone()));
        let template = match &w.template {
            Some(id) => Some(find_template(&format!("{wp}/template"), id)?),
            None => None,
        };
        let ws_pools = w.pools.clone().unwrap_or_else(|| was.map(|x| x.pools.clone()).unwrap_or_default());
        for (pi, p) in ws_pools.iter().enumerate() {
            if !pool_ids.contains(p.as_str()) && !existing.pools.contains_key(&(t.id.clone(), p.clone())) {
                return Err(err(format!("{wp}/pools/{pi}"), format!("no pool {p:?} in tenant {:?}", t.id)));
            }
        }
        let mut clients = vec![];
        let mut client_ids = HashSet::new();
        for (ci, c) in w.clients.iter().enumerate() {
            let stored = existing.clients.get(&(t.id.clone(), w.id.clone(), c.client_id.clone()));
            clients.push(client_plan(&format!("{wp}/clients/{ci}"), &tx.tenant, &w.id, c, stored, template, &tx.levels, &mut client_ids)?);
            for (xi, x) in c.privileges.iter().enumerate() {
                check_privilege(&format!("{wp}/clients/{ci}/privileges/{xi}"), t, existing, x)?;
                tx.holders.push((x.clone(), Holder::Id(client_holder(&w.id, &c.client_id))));
            }
        }
        let name = w.name.clone().or_else(|| was.map(|x| x.name.clone())).unwrap_or_else(|| w.id.clone());
        if let Some(Some(l)) = &w.default_locale
            && !crate::locale::LOCALES.contains(&l.as_str())
        {
            return Err(err(format!("{wp}/default_locale"), format!("one of {}", crate::locale::LOCALES.join(", "))));
        }
        let links = workspace_links(wp, w, was)?;
        tx.writes.push(Some("workspace"), Write::Workspace { tenant: tx.tenant.clone(), id: w.id.clone(), name, default_locale: w.default_locale.clone(), links, pools: ws_pools, replace: true });
        // Themes only where the document has one, each checked over the layers below it
        // (the file's, else the stored ones).
        let stored = |scope: &ThemeScope| existing.themes.get(&(t.id.clone(), scope.key())).cloned().unwrap_or_default();
        let tenant_layer = t.theme.clone().unwrap_or_else(|| stored(&ThemeScope::Tenant));
        let ws_scope = ThemeScope::Workspace(w.id.clone());
        // With a template, its theme lies under the document's: written when the workspace
        // is created, or when the document gives a theme (so applying a file again
        // publishes nothing new, and a stored theme is kept when the document has none).
        let ws_theme = match template {
            Some(tpl) if was.is_none() || w.theme.is_some() => Some(crate::templates::overlay(&tpl.theme, w.theme.as_ref().unwrap_or(&ThemeSpec::default()))),
            _ => w.theme.clone(),
        };
        let ws_layer = ws_theme.clone().unwrap_or_else(|| stored(&ws_scope));
        if let Some(layer) = &ws_theme {
            check_theme(layer, theme::Level::Workspace(&t.id), &[&tenant_layer]).map_err(|e| theme_err(&format!("{wp}/theme"), e))?;
            tx.writes.push(None, Write::Theme { tenant: tx.tenant.clone(), scope: ws_scope, layer: layer.clone(), author: self.source.to_owned() });
        }
        for (ci, c) in w.clients.iter().enumerate() {
            if let Some(layer) = &c.theme {
                check_theme(layer, theme::Level::Client(&t.id), &[&tenant_layer, &ws_layer]).map_err(|e| theme_err(&format!("{wp}/clients/{ci}/theme"), e))?;
                let scope = ThemeScope::Client { workspace: w.id.clone(), client_id: c.client_id.clone() };
                tx.writes.push(None, Write::Theme { tenant: tx.tenant.clone(), scope, layer: layer.clone(), author: self.source.to_owned() });
            }
        }
        for c in clients {
            tx.writes.push(Some("client"), Write::Client(c));
        }
        Ok(())
    }
}

/// The tenant's own schemas: valid, not built in, each id once.
fn schemas_plan(tp: &str, t: &TenantSpec, tenant: &TenantId) -> Result<Vec<Write>, PlanError> {
    let mut schemas = vec![];
    let mut schema_ids = HashSet::new();
    for (si, sc) in t.schemas.iter().enumerate() {
        let sp = format!("{tp}/schemas/{si}");
        check_id(&format!("{sp}/id"), &sc.id)?;
        dup(&format!("{sp}/id"), &mut schema_ids, &sc.id)?;
        if schema::builtin(&sc.id).is_some() {
            return Err(err(format!("{sp}/id"), format!("{:?} is a built-in schema and cannot be changed", sc.id)));
        }
        schema::compile(&sc.schema).map_err(|e| err(format!("{sp}/schema"), describe(&e)))?;
        schemas.push(Write::Schema { tenant: tenant.clone(), id: sc.id.clone(), body: sc.schema.clone() });
    }
    Ok(schemas)
}

/// The template `id`, or a refusal at `path` listing the templates.
fn find_template(path: &str, id: &str) -> Result<&'static Template, PlanError> {
    crate::templates::get(id).ok_or_else(|| err(path, format!("unknown template {id:?} (known: {})", crate::templates::ids().join(", "))))
}

/// The settings a new pool starts from with a template: the defaults, with the template's.
fn template_pool(t: &Template) -> PoolSettings {
    let d = &t.pool;
    let base = PoolSettings::default();
    PoolSettings {
        self_registration: d.self_registration.unwrap_or(base.self_registration),
        identifier: d.identifier.unwrap_or(base.identifier),
        activation: d.activation.unwrap_or(base.activation),
        password_policy: d.password_policy.clone().unwrap_or(base.password_policy),
        mfa: d.mfa.clone().unwrap_or(base.mfa),
        payload_schema: crate::templates::payload_schema(t).map_or(base.payload_schema.clone(), |(id, _)| id),
        ..base
    }
}

/// Which template each pool of the tenant's document starts from: its own `template:`,
/// else that of the workspaces of the document listing it (which must agree). Whether the
/// pool is new (the only case a template counts) is the pool planner's to say.
fn pool_templates<'a>(tp: &str, t: &'a TenantSpec) -> Result<HashMap<&'a str, &'static Template>, PlanError> {
    let mut out: HashMap<&str, &'static Template> = HashMap::new();
    for (pi, p) in t.pools.iter().enumerate() {
        if let Some(id) = &p.template {
            out.insert(&p.id, find_template(&format!("{tp}/pools/{pi}/template"), id)?);
        }
    }
    let own: HashSet<&str> = out.keys().copied().collect();
    for (wi, w) in t.workspaces.iter().enumerate() {
        let Some(id) = &w.template else { continue };
        let tpl = find_template(&format!("{tp}/workspaces/{wi}/template"), id)?;
        for (i, pool) in w.pools.iter().flatten().enumerate() {
            // Only a pool of this document can be new; the others are stored already.
            if own.contains(pool.as_str()) || !t.pools.iter().any(|p| p.id == *pool) {
                continue;
            }
            match out.insert(pool, tpl) {
                Some(other) if other.id != tpl.id => {
                    return Err(err(format!("{tp}/workspaces/{wi}/pools/{i}"), format!("pool {pool:?} is listed by workspaces with the templates {} and {}: give the pool its own template", other.id, tpl.id)));
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

/// A pool's settings: what the document says, else what is stored (defaults for a new pool).
fn pool_settings(pp: &str, p: &PoolSpec, was: PoolSettings) -> Result<PoolSettings, PlanError> {
    let policy = p.password_policy.clone().unwrap_or(was.password_policy);
    policy.validate().map_err(|(f, m)| err(format!("{pp}/password_policy/{f}"), m))?;
    Ok(PoolSettings {
        self_registration: p.self_registration.unwrap_or(was.self_registration),
        identifier: p.identifier.unwrap_or(was.identifier),
        activation: p.activation.unwrap_or(was.activation),
        password_policy: policy,
        payload_schema: p.payload_schema.clone().unwrap_or(was.payload_schema),
        metadata_schema: p.metadata_schema.clone().unwrap_or(was.metadata_schema),
        retention_days: p.retention_days.unwrap_or(was.retention_days),
        metadata_claims: p.metadata_claims.clone().unwrap_or(was.metadata_claims),
        mfa: match &p.mfa {
            Some(mfa) => {
                check_mfa(pp, mfa)?;
                mfa.clone()
            }
            None => was.mfa,
        },
    })
}

/// The client a document describes; what it leaves out comes from `stored` (or defaults).
#[allow(clippy::too_many_arguments)]
fn client_plan<'a>(cp: &str, tenant: &TenantId, ws: &str, c: &'a ClientSpec, stored: Option<&Client>, template: Option<&Template>, levels: &[crate::model::AssuranceLevel], seen: &mut HashSet<&'a str>) -> Result<Client, PlanError> {
    let id_ok = !c.client_id.is_empty() && c.client_id.len() <= 128 && c.client_id.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    if !id_ok {
        return Err(err(format!("{cp}/client_id"), "1-128 visible ASCII characters, no ':'"));
    }
    dup(&format!("{cp}/client_id"), seen, &c.client_id)?;
    let grant_types = c.grant_types.clone().or_else(|| stored.map(|s| s.grant_types.clone())).unwrap_or_else(|| vec!["authorization_code".into()]);
    for (i, g) in grant_types.iter().enumerate() {
        if !GRANTS.contains(&g.as_str()) {
            return Err(err(format!("{cp}/grant_types/{i}"), format!("unsupported grant type {g:?}")));
        }
    }
    let scopes = c.scopes.clone().or_else(|| stored.map(|s| s.scopes.clone())).unwrap_or_else(|| vec!["openid".into()]);
    for (i, s) in scopes.iter().enumerate() {
        if !SCOPES.contains(&s.as_str()) {
            return Err(err(format!("{cp}/scopes/{i}"), format!("unknown scope {s:?}")));
        }
    }
    // Random client secrets need no slow hash: a SHA-256 digest compared in constant time.
    let secret_sha256 = match &c.client_secret {
        Some(Some(s)) if s.len() < 12 => return Err(err(format!("{cp}/client_secret"), "at least 12 characters")),
        Some(Some(s)) => Some(digest(s)),
        Some(None) => None,
        None => stored.and_then(|s| s.secret_sha256),
    };
    if secret_sha256.is_none() && grant_types.iter().any(|g| g == "client_credentials") {
        return Err(err(format!("{cp}/grant_types"), "client_credentials needs a confidential client (client_secret)"));
    }
    let redirect_uris = c.redirect_uris.clone().or_else(|| stored.map(|s| s.redirect_uris.clone())).unwrap_or_default();
    let post_logout_redirect_uris = c.post_logout_redirect_uris.clone().or_else(|| stored.map(|s| s.post_logout_redirect_uris.clone())).unwrap_or_default();
    if grant_types.iter().any(|g| g == "authorization_code") && redirect_uris.is_empty() {
        return Err(err(format!("{cp}/redirect_uris"), "authorization_code needs at least one redirect URI"));
    }
    for (i, u) in redirect_uris.iter().enumerate() {
        check_uri(&format!("{cp}/redirect_uris/{i}"), u)?;
    }
    for (i, u) in post_logout_redirect_uris.iter().enumerate() {
        check_uri(&format!("{cp}/post_logout_redirect_uris/{i}"), u)?;
    }
    let allowed_origins = match &c.allowed_origins {
        Some(list) => list.iter().enumerate().map(|(i, o)| check_origin(&format!("{cp}/allowed_origins/{i}"), o)).collect::<Result<Vec<_>, _>>()?,
        None => stored.map(|s| s.allowed_origins.clone()).unwrap_or_default(),
    };
    let id_token_alg = match c.id_token_signed_response_alg.as_deref() {
        None => stored.map(|s| s.id_token_alg).unwrap_or(SigningAlg::RS256),
        Some("RS256") => SigningAlg::RS256,
        Some("ES256") => SigningAlg::ES256,
        Some(other) => return Err(err(format!("{cp}/id_token_signed_response_alg"), format!("RS256 or ES256, not {other:?}"))),
    };
    let min_acr = match &c.min_acr {
        Some(given) => given.clone(),
        None => stored.and_then(|s| s.min_acr.clone()),
    };
    if let Some(acr) = &min_acr {
        // A level the engine knows (`auth::assurance::level`), or every sign-in would be unmet.
        if crate::auth::assurance::level(levels, acr).is_none() {
            let known: Vec<String> = crate::auth::assurance::acr_values_supported(levels);
            return Err(err(format!("{cp}/min_acr"), format!("unknown level {acr:?} (known: {})", known.join(", "))));
        }
    }
    Ok(Client {
        tenant_id: tenant.clone(),
        workspace_id: ws.to_owned(),
        client_id: c.client_id.clone(),
        name: c.name.clone().or_else(|| stored.map(|s| s.name.clone())).unwrap_or_else(|| c.client_id.clone()),
        secret_sha256,
        redirect_uris,
        post_logout_redirect_uris,
        grant_types,
        scopes,
        // A template's default counts only for a client this document creates.
        consent: c.consent.or_else(|| stored.map(|s| s.consent)).or_else(|| template.and_then(|t| t.client.consent)).unwrap_or(ConsentMode::Required),
        id_token_alg,
        allowed_origins,
        min_acr,
    })
}

/// A pool's `mfa` settings: second factors only, each once; a policy that may ask for a
/// second factor needs at least one.
fn check_mfa(pp: &str, mfa: &crate::storage::identity::MfaSettings) -> Result<(), PlanError> {
    use crate::auth::assurance::{EMAIL_OTP, SMS_OTP, TOTP, WEBAUTHN};
    use crate::storage::identity::MfaPolicy;
    const POOL_FACTORS: &[&str] = &[TOTP, WEBAUTHN, EMAIL_OTP, SMS_OTP];
    let mut seen = HashSet::new();
    for (i, f) in mfa.factors.iter().enumerate() {
        let fp = format!("{pp}/mfa/factors/{i}");
        if !POOL_FACTORS.contains(&f.as_str()) {
            return Err(err(fp, format!("unknown second factor {f:?} (known: {}; recovery codes come with the first enrolment)", POOL_FACTORS.join(", "))));
        }
        dup(&fp, &mut seen, f)?;
    }
    if mfa.factors.is_empty() && mfa.policy != MfaPolicy::Off {
        return Err(err(format!("{pp}/mfa/factors"), "at least one factor, unless the policy is off"));
    }
    Ok(())
}

/// The tenant's own levels of assurance: ids and ACR values unique, an ACR value that
/// fits a request's space-separated `acr_values` (OIDC Core §3.1.2.1) and is not a built-in
/// one, each reached by non-empty combinations of known factors.
fn levels_plan(tp: &str, levels: &[crate::model::AssuranceLevel]) -> Result<Vec<crate::model::AssuranceLevel>, PlanError> {
    use crate::auth::assurance::{BUILT_IN, FACTORS};
    let (mut ids, mut acrs) = (HashSet::new(), HashSet::new());
    for (li, l) in levels.iter().enumerate() {
        let lp = format!("{tp}/assurance_levels/{li}");
        check_id(&format!("{lp}/id"), &l.id)?;
        dup(&format!("{lp}/id"), &mut ids, &l.id)?;
        let printable = !l.acr.is_empty() && l.acr.len() <= 128 && l.acr.bytes().all(|b| b.is_ascii_graphic());
        if !printable {
            return Err(err(format!("{lp}/acr"), "1-128 printable ASCII characters, no spaces"));
        }
        if BUILT_IN.contains(&l.acr.as_str()) {
            return Err(err(format!("{lp}/acr"), format!("{:?} is a built-in level", l.acr)));
        }
        dup(&format!("{lp}/acr"), &mut acrs, &l.acr)?;
        if l.reached_by.is_empty() {
            return Err(err(format!("{lp}/reached_by"), "at least one factor combination"));
        }
        for (ci, combo) in l.reached_by.iter().enumerate() {
            let cp = format!("{lp}/reached_by/{ci}");
            if combo.is_empty() {
                return Err(err(cp, "at least one factor"));
            }
            for (fi, f) in combo.iter().enumerate() {
                if !FACTORS.contains(&f.as_str()) {
                    return Err(err(format!("{cp}/{fi}"), format!("unknown factor {f:?} (known: {})", FACTORS.join(", "))));
                }
            }
        }
    }
    Ok(levels.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_err(yaml: &str) -> String {
        let spec: ClientSpec = serde_yaml_ng::from_str(yaml).unwrap();
        client_plan("/c", &TenantId::new("t"), "w", &spec, None, None, &[], &mut HashSet::new()).unwrap_err().to_string()
    }

    #[test]
    fn client_errors_name_the_field() {
        assert!(client_err("{client_id: a, redirect_uris: ['http://evil.example/cb']}").contains("c.redirect_uris[0]"));
        assert!(client_err("{client_id: a, redirect_uris: ['http://127.0.0.1/cb#frag']}").contains("fragment"));
        assert!(client_err("{client_id: a, redirect_uris: ['http://127.0.0.1/cb'], scopes: [openid, superuser]}").contains("c.scopes[1]"));
        assert!(client_err("{client_id: a, grant_types: [client_credentials]}").contains("confidential"));
        assert!(client_err("{client_id: a, grant_types: [implicit]}").contains("c.grant_types[0]"));
        assert!(client_err("{client_id: a, client_secret: short, redirect_uris: ['http://127.0.0.1/cb']}").contains("c.client_secret"));
    }

    #[test]
    fn redirect_uris_take_https_loopback_http_and_private_use_schemes_only() {
        for ok in ["https://app.example.com/cb", "https://app.example.com:8443/cb?x=1", "http://127.0.0.1:9999/cb", "http://[::1]/cb", "http://localhost/cb", "com.example.app:/oauth2redirect", "com.example.app:/cb"] {
            assert!(check_uri("u", ok).is_ok(), "{ok}");
        }
        let bad = [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "vbscript:msgbox(1)",
            "blob:https://app.example.com/uuid",
            "ftp://files.example.com/cb",
            "ws://127.0.0.1/cb",
            "myapp:/cb",
            "http://evil.example/cb",
            "http://127.0.0.1.evil.example/cb",
            "https://app.example.com/cb#frag",
            "/relative/cb",
        ];
        for uri in bad {
            let e = check_uri("/c/redirect_uris/0", uri).unwrap_err().to_string();
            assert!(e.contains("c.redirect_uris[0]"), "{uri}: {e}");
        }
        assert!(check_uri("u", &format!("https://app.example.com/{}", "a".repeat(MAX_REDIRECT_URI))).is_err());
        assert!(client_err("{client_id: a, redirect_uris: ['https://app.example.com/cb'], post_logout_redirect_uris: ['javascript:alert(1)']}").contains("c.post_logout_redirect_uris[0]"));
    }

    #[test]
    fn allowed_origins_are_https_or_loopback_origins_without_path() {
        assert_eq!(check_origin("o", "https://App.Example.com").unwrap(), "https://app.example.com");
        assert_eq!(check_origin("o", "https://app.example.com:443").unwrap(), "https://app.example.com");
        assert_eq!(check_origin("o", "https://app.example.com:8443").unwrap(), "https://app.example.com:8443");
        assert_eq!(check_origin("o", "http://localhost:3000").unwrap(), "http://localhost:3000");
        assert_eq!(check_origin("o", "http://[::1]:3000").unwrap(), "http://[::1]:3000");
        for bad in ["*", "null", "http://app.example.com", "ftp://app.example.com", "https://app.example.com/", "https://app.example.com/cb", "https://app.example.com?x", "https://app.example.com#x", "https://u:p@app.example.com", "com.example.app:/cb"] {
            assert!(check_origin("o", bad).is_err(), "{bad}");
        }
        assert!(client_err("{client_id: a, redirect_uris: ['https://app.example.com/cb'], allowed_origins: ['https://ok.example', 'https://x.example/path']}").contains("c.allowed_origins[1]"));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(parse("tenants: [{id: acme, colour: red}]").unwrap_err().to_string().contains("colour"));
    }

    #[test]
    fn users_are_checked_against_the_pool_policy_and_schemas() {
        let cases = [
            ("password: short", "tenants[0].pools[0].users[0].password"),
            ("password: 'alice wonder 1'", "tenants[0].pools[0].users[0].password"),
            ("claims: { shoe_size: 44 }", "tenants[0].pools[0].users[0].claims"),
            ("metadata: { roles: [a, a] }", "tenants[0].pools[0].users[0].metadata"),
            ("privileges: [group:p:nope]", "tenants[0].pools[0].users[0].privileges[0]"),
        ];
        for (extra, path) in cases {
            let yaml = format!("tenants: [{{id: t, pools: [{{id: p, password_policy: {{min_length: 12}}, users: [{{username: alice, {extra}}}]}}]}}]");
            let e = plan_of(&yaml).unwrap_err().to_string();
            assert!(e.contains(path), "{extra}: {e}");
        }
        let e = plan_of("tenants: [{id: t, pools: [{id: p, payload_schema: custom}]}]").unwrap_err().to_string();
        assert!(e.contains("tenants[0].pools[0].payload_schema"), "{e}");
        let e = plan_of("tenants: [{id: t, schemas: [{id: default-payload, schema: {type: object, properties: {}}}]}]").unwrap_err().to_string();
        assert!(e.contains("built-in"), "{e}");
        assert!(plan_of("tenants: [{id: t, schemas: [{id: s, schema: {type: object, properties: {n: {type: integer}}, required: [n]}}], pools: [{id: p, payload_schema: s, users: [{username: u, claims: {n: 1}}]}]}]").is_ok());
    }

    fn plan_of(yaml: &str) -> Result<Plan, PlanError> {
        let file = parse(yaml)?;
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let hasher = Hasher::new(1).unwrap();
        rt.block_on(plan(file, "t", 0, &crate::storage::memory::MemoryDb::new(), &hasher, &Existing::default()))
    }

    #[test]
    fn a_plan_applies_on_the_memory_store_and_reapplies_as_updates() {
        use crate::storage::DirectoryStore;
        let yaml = "tenants: [{id: t, pools: [{id: p, groups: [{id: g, privileges: [user-admin]}], users: [{username: Ann, email: Ann@Example.com, password: 'long enough pass', groups: [g], privileges: [user-admin]}]}], workspaces: [{id: w, pools: [p], clients: [{client_id: c, redirect_uris: ['http://127.0.0.1/cb']}]}]}]";
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let hasher = Hasher::new(1).unwrap();
        let db = crate::storage::memory::MemoryDb::new();
        let run = || async { db.apply(&plan(parse(yaml).unwrap(), "t", 0, &db, &hasher, &Existing::default()).await.unwrap()).await.unwrap() };
        let first = rt.block_on(run());
        assert_eq!(first.to_string(), "created: [1 client(s), 1 group(s), 1 pool(s), 1 tenant(s), 1 user(s), 1 workspace(s)]; updated: []");
        let second = rt.block_on(run());
        assert!(second.created.is_empty(), "{second}");
        let plan = rt.block_on(plan(parse(yaml).unwrap(), "t", 0, &db, &hasher, &Existing::default())).unwrap();
        let grants: Vec<_> = plan.grants().map(|(_, p, h)| format!("{p} {h}")).collect();
        assert_eq!(grants, ["user-admin group:p/g", "user-admin user:p/ann"]);
    }

    #[test]
    fn mfa_settings_levels_and_min_acr_are_checked_with_their_paths() {
        let ws = |min_acr: &str| format!("workspaces: [{{id: w, clients: [{{client_id: c, redirect_uris: ['http://127.0.0.1/cb'], min_acr: '{min_acr}'}}]}}]");
        let level = |extra: &str| format!("tenants: [{{id: t, assurance_levels: [{{id: bank, acr: 'urn:t:bank', reached_by: [[password, totp]]}}, {extra}]}}]");
        let cases = [
            ("tenants: [{id: t, pools: [{id: p, mfa: {policy: required, factors: [totp, password]}}]}]".to_owned(), "tenants[0].pools[0].mfa.factors[1]"),
            ("tenants: [{id: t, pools: [{id: p, mfa: {factors: [totp, recovery_code]}}]}]".to_owned(), "tenants[0].pools[0].mfa.factors[1]"),
            ("tenants: [{id: t, pools: [{id: p, mfa: {factors: [sms_otp, sms_otp]}}]}]".to_owned(), "tenants[0].pools[0].mfa.factors[1]"),
            ("tenants: [{id: t, pools: [{id: p, mfa: {policy: required, factors: []}}]}]".to_owned(), "tenants[0].pools[0].mfa.factors"),
            (format!("tenants: [{{id: t, {}}}]", ws("urn:portcullis:loa:9")), "tenants[0].workspaces[0].clients[0].min_acr"),
            (format!("tenants: [{{id: t, assurance_levels: [{{id: bank, acr: 'urn:t:bank', reached_by: [[password]]}}], {}}}]", ws("urn:t:other")), "tenants[0].workspaces[0].clients[0].min_acr"),
            (level("{id: bank, acr: 'urn:t:x', reached_by: [[password]]}"), "tenants[0].assurance_levels[1].id"),
            (level("{id: x, acr: 'urn:t:bank', reached_by: [[password]]}"), "tenants[0].assurance_levels[1].acr"),
            (level("{id: x, acr: 'urn:portcullis:loa:2', reached_by: [[password]]}"), "tenants[0].assurance_levels[1].acr"),
            (level("{id: x, acr: 'has space', reached_by: [[password]]}"), "tenants[0].assurance_levels[1].acr"),
            (level(&format!("{{id: x, acr: '{}', reached_by: [[password]]}}", "a".repeat(129))), "tenants[0].assurance_levels[1].acr"),
            (level("{id: x, acr: 'urn:t:x', reached_by: []}"), "tenants[0].assurance_levels[1].reached_by"),
            (level("{id: x, acr: 'urn:t:x', reached_by: [[password], []]}"), "tenants[0].assurance_levels[1].reached_by[1]"),
            (level("{id: x, acr: 'urn:t:x', reached_by: [[password, fingerprint]]}"), "tenants[0].assurance_levels[1].reached_by[0][1]"),
        ];
        for (yaml, path) in cases {
            let e = plan_of(&yaml).unwrap_err().to_string();
            assert!(e.starts_with(path), "{yaml}: {e}");
        }
        // A built-in level, or one the file defines.
        assert!(plan_of(&format!("tenants: [{{id: t, {}}}]", ws("urn:portcullis:loa:2"))).is_ok());
        let ok = plan_of(&format!("tenants: [{{id: t, assurance_levels: [{{id: bank, acr: 'urn:t:bank', reached_by: [[password, totp], [webauthn]]}}], pools: [{{id: p, mfa: {{policy: adaptive, factors: [totp, webauthn, email_otp, sms_otp]}}}}], {}}}]", ws("urn:t:bank"))).unwrap();
        let levels = ok.writes.iter().find_map(|c| match &c.write { Write::Tenant { levels, .. } => Some(levels.clone()), _ => None }).unwrap();
        assert_eq!(levels[0].acr, "urn:t:bank");
        assert_eq!(ok.clients().next().unwrap().min_acr.as_deref(), Some("urn:t:bank"));
    }

    #[test]
    fn the_example_file_plans() {
        let plan = plan_of(include_str!("../examples/acme.yaml")).unwrap();
        assert!(plan.writes.iter().any(|c| matches!(&c.write, Write::Tenant { levels, .. } if levels.iter().any(|l| l.acr == "urn:acme:loa:strong"))));
    }

    #[test]
    fn a_file_without_levels_keeps_the_stored_ones() {
        let stored = crate::model::AssuranceLevel { id: "bank".into(), acr: "urn:t:bank".into(), reached_by: vec![vec!["webauthn".into()]] };
        let mut existing = Existing::default();
        existing.tenants.insert("t".into(), "T".into());
        existing.levels.insert("t".into(), vec![stored.clone()]);
        let yaml = "tenants: [{id: t, workspaces: [{id: w, clients: [{client_id: c, redirect_uris: ['http://127.0.0.1/cb'], min_acr: 'urn:t:bank'}]}]}]";
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let hasher = Hasher::new(1).unwrap();
        let plan = rt.block_on(plan(parse(yaml).unwrap(), "t", 0, &crate::storage::memory::MemoryDb::new(), &hasher, &existing)).unwrap();
        let levels = plan.writes.iter().find_map(|c| match &c.write { Write::Tenant { levels, .. } => Some(levels.clone()), _ => None }).unwrap();
        assert_eq!(levels, [stored]);
    }

    #[test]
    fn reserved_and_malformed_ids_are_rejected() {
        for (id, _) in [("api", "reserved"), ("Acme", "a-z"), ("a/b", "a-z")] {
            let e = plan_of(&format!("tenants: [{{id: '{id}'}}]")).unwrap_err().to_string();
            assert!(e.contains("tenants[0].id"), "{e}");
        }
    }
}
