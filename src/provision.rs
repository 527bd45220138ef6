//! Declarative provisioning (`serve --provision FILE`, `apply FILE`): a YAML file is
//! parsed, validated as a whole, turned into a `Plan` (passwords hashed, secrets digested)
//! and applied in one transaction. Applying the same file twice changes nothing.
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

use crate::auth::password::Hasher;
use crate::error::AppError;
use crate::theme::{self, ThemeSpec};
use crate::storage::{Client, ConsentMode, SigningAlg, UserStatus, UserStore, digest};

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
    #[serde(default)]
    pub pools: Vec<PoolSpec>,
    #[serde(default)]
    pub workspaces: Vec<WorkspaceSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSpec {
    pub id: String,
    pub name: Option<String>,
    #[serde(default)]
    pub self_registration: bool,
    #[serde(default)]
    pub password_policy: Option<PasswordPolicySpec>,
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    #[serde(default)]
    pub users: Vec<UserSpec>,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicySpec {
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    pub username: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub claims: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceSpec {
    pub id: String,
    pub name: Option<String>,
    #[serde(default)]
    pub theme: Option<ThemeSpec>,
    #[serde(default)]
    pub pools: Vec<String>,
    #[serde(default)]
    pub clients: Vec<ClientSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    pub client_id: String,
    pub name: Option<String>,
    pub client_secret: Option<String>,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    #[serde(default)]
    pub grant_types: Option<Vec<String>>,
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    pub consent: Option<ConsentMode>,
    pub id_token_signed_response_alg: Option<String>,
}

/// Everything ready to be written.
#[derive(Debug, Default)]
pub struct Plan {
    pub now: i64,
    pub source: String,
    pub tenants: Vec<TenantPlan>,
}

#[derive(Debug)]
pub struct TenantPlan {
    pub id: String,
    pub name: String,
    pub theme: ThemeSpec,
    pub pools: Vec<PoolPlan>,
    pub workspaces: Vec<WorkspacePlan>,
}

#[derive(Debug)]
pub struct PoolPlan {
    pub id: String,
    pub name: String,
    pub self_registration: bool,
    pub settings: serde_json::Value,
    pub groups: Vec<(String, String)>,
    pub users: Vec<UserPlan>,
}

#[derive(Debug)]
pub struct UserPlan {
    pub username: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: UserStatus,
    pub groups: Vec<String>,
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// A new PHC hash, or `None` to keep the stored one.
    pub password_hash: Option<String>,
}

#[derive(Debug)]
pub struct WorkspacePlan {
    pub id: String,
    pub name: String,
    pub theme: ThemeSpec,
    pub pools: Vec<String>,
    pub clients: Vec<Client>,
}

/// Counts of objects created and updated, by kind.
#[derive(Debug, Default)]
pub struct Applied {
    pub created: BTreeMap<&'static str, usize>,
    pub updated: BTreeMap<&'static str, usize>,
}

impl Applied {
    pub fn count(&mut self, kind: &'static str, existed: bool) {
        *if existed { &mut self.updated } else { &mut self.created }.entry(kind).or_default() += 1;
    }
}

impl std::fmt::Display for Applied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |m: &BTreeMap<&str, usize>| m.iter().map(|(k, v)| format!("{v} {k}(s)")).collect::<Vec<_>>().join(", ");
        write!(f, "created: [{}]; updated: [{}]", list(&self.created), list(&self.updated))
    }
}

/// Reserved first path segments (DESIGN.md): never a tenant id.
const RESERVED: &[&str] = &["api", "static", "healthz", "readyz", "metrics", ".well-known"];
const SCOPES: &[&str] = &["openid", "profile", "email", "phone", "address", "offline_access"];
const GRANTS: &[&str] = &["authorization_code", "refresh_token", "client_credentials"];

fn err(path: impl std::fmt::Display, msg: impl std::fmt::Display) -> AppError {
    AppError::Data(format!("{path}: {msg}"))
}

/// Ids appear in URLs and keys: a conservative alphabet keeps them unambiguous.
fn check_id(path: &str, id: &str) -> Result<(), AppError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !id.starts_with('-');
    if ok { Ok(()) } else { Err(err(path, format!("{id:?} must be 1-64 of a-z, 0-9, '-', '_'"))) }
}

fn check_uri(path: &str, uri: &str) -> Result<(), AppError> {
    let u = url::Url::parse(uri).map_err(|e| err(path, format!("{uri:?}: {e}")))?;
    // RFC 6749 §3.1.2: the redirection endpoint URI MUST be absolute and MUST NOT include a fragment.
    if u.fragment().is_some() {
        return Err(err(path, format!("{uri:?} must not have a fragment")));
    }
    if u.scheme() == "http" && !matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")) {
        return Err(err(path, format!("{uri:?}: plain http is only allowed for loopback hosts")));
    }
    Ok(())
}

fn dup<'a>(path: &str, seen: &mut HashSet<&'a str>, id: &'a str) -> Result<(), AppError> {
    if seen.insert(id) { Ok(()) } else { Err(err(path, format!("{id:?} appears twice"))) }
}

pub fn parse(text: &str) -> Result<File, AppError> {
    serde_yaml_ng::from_str(text).map_err(|e| AppError::Data(format!("provisioning file: {e}")))
}

/// Validates the whole file, then hashes what must be hashed. Stored password hashes that
/// still verify the file's password are kept, so re-applying does not rewrite them.
pub async fn plan(file: File, source: &str, now: i64, users: &dyn UserStore, hasher: &Hasher) -> Result<Plan, AppError> {
    let mut plan = Plan { now, source: source.to_owned(), tenants: vec![] };
    let mut tenant_ids = HashSet::new();
    for (ti, t) in file.tenants.iter().enumerate() {
        let tp = format!("tenants[{ti}]");
        check_id(&format!("{tp}.id"), &t.id)?;
        if RESERVED.contains(&t.id.as_str()) {
            return Err(err(format!("{tp}.id"), format!("{:?} is reserved", t.id)));
        }
        dup(&format!("{tp}.id"), &mut tenant_ids, &t.id)?;
        let mut pools = vec![];
        let mut pool_ids = HashSet::new();
        for (pi, p) in t.pools.iter().enumerate() {
            let pp = format!("{tp}.pools[{pi}]");
            check_id(&format!("{pp}.id"), &p.id)?;
            dup(&format!("{pp}.id"), &mut pool_ids, &p.id)?;
            let mut group_ids = HashSet::new();
            for (gi, g) in p.groups.iter().enumerate() {
                check_id(&format!("{pp}.groups[{gi}].id"), &g.id)?;
                dup(&format!("{pp}.groups[{gi}].id"), &mut group_ids, &g.id)?;
            }
            let min_len = p.password_policy.as_ref().and_then(|pp| pp.min_length).unwrap_or(8);
            let mut users_out = vec![];
            let mut names = HashSet::new();
            for (ui, u) in p.users.iter().enumerate() {
                let up = format!("{pp}.users[{ui}]");
                let username = u.username.trim().to_lowercase();
                if username.is_empty() || username.len() > 128 || username.chars().any(char::is_whitespace) {
                    return Err(err(format!("{up}.username"), "1-128 characters without spaces"));
                }
                if !names.insert(username.clone()) {
                    return Err(err(format!("{up}.username"), format!("{username:?} appears twice")));
                }
                let email = u.email.as_deref().map(|e| e.trim().to_lowercase());
                if let Some(e) = &email {
                    let valid = e.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !e.contains(char::is_whitespace));
                    if !valid {
                        return Err(err(format!("{up}.email"), format!("{e:?} is not an email address")));
                    }
                }
                let status = match u.status.as_deref().unwrap_or("active") {
                    "active" => UserStatus::Active,
                    "inactive" => UserStatus::Inactive,
                    other => return Err(err(format!("{up}.status"), format!("active or inactive, not {other:?}"))),
                };
                for (gi, g) in u.groups.iter().enumerate() {
                    if !group_ids.contains(g.as_str()) {
                        return Err(err(format!("{up}.groups[{gi}]"), format!("no group {g:?} in pool {:?}", p.id)));
                    }
                }
                let password_hash = match &u.password {
                    None => None,
                    Some(pw) if (pw.chars().count() as u32) < min_len => {
                        return Err(err(format!("{up}.password"), format!("shorter than the pool's minimum of {min_len}")));
                    }
                    Some(pw) => match users.password_hash(&t.id, &p.id, &username).await? {
                        Some(stored) if hasher.verify(pw, &stored).await? => None,
                        _ => Some(hasher.hash(pw).await?),
                    },
                };
                users_out.push(UserPlan {
                    username,
                    email,
                    phone: u.phone.clone(),
                    status,
                    groups: u.groups.clone(),
                    claims: u.claims.clone(),
                    password_hash,
                });
            }
            pools.push(PoolPlan {
                id: p.id.clone(),
                name: p.name.clone().unwrap_or_else(|| p.id.clone()),
                self_registration: p.self_registration,
                settings: serde_json::json!({ "password_policy": p.password_policy }),
                groups: p.groups.iter().map(|g| (g.id.clone(), g.name.clone().unwrap_or_else(|| g.id.clone()))).collect(),
                users: users_out,
            });
        }
        let mut workspaces = vec![];
        let mut ws_ids = HashSet::new();
        for (wi, w) in t.workspaces.iter().enumerate() {
            let wp = format!("{tp}.workspaces[{wi}]");
            check_id(&format!("{wp}.id"), &w.id)?;
            dup(&format!("{wp}.id"), &mut ws_ids, &w.id)?;
            for (pi, p) in w.pools.iter().enumerate() {
                if !pool_ids.contains(p.as_str()) {
                    return Err(err(format!("{wp}.pools[{pi}]"), format!("no pool {p:?} in tenant {:?}", t.id)));
                }
            }
            let mut clients = vec![];
            let mut client_ids = HashSet::new();
            for (ci, c) in w.clients.iter().enumerate() {
                clients.push(client_plan(&format!("{wp}.clients[{ci}]"), &t.id, &w.id, c, &mut client_ids)?);
            }
            let theme = w.theme.clone().unwrap_or_default();
            theme::validate(&theme).map_err(|e| err(format!("{wp}.theme"), e))?;
            workspaces.push(WorkspacePlan { id: w.id.clone(), name: w.name.clone().unwrap_or_else(|| w.id.clone()), theme, pools: w.pools.clone(), clients });
        }
        let theme = t.theme.clone().unwrap_or_default();
        theme::validate(&theme).map_err(|e| err(format!("{tp}.theme"), e))?;
        plan.tenants.push(TenantPlan { id: t.id.clone(), name: t.name.clone().unwrap_or_else(|| t.id.clone()), theme, pools, workspaces });
    }
    Ok(plan)
}

fn client_plan<'a>(cp: &str, tenant: &str, ws: &str, c: &'a ClientSpec, seen: &mut HashSet<&'a str>) -> Result<Client, AppError> {
    let id_ok = !c.client_id.is_empty() && c.client_id.len() <= 128 && c.client_id.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    if !id_ok {
        return Err(err(format!("{cp}.client_id"), "1-128 visible ASCII characters, no ':'"));
    }
    dup(&format!("{cp}.client_id"), seen, &c.client_id)?;
    let grant_types = c.grant_types.clone().unwrap_or_else(|| vec!["authorization_code".into()]);
    for (i, g) in grant_types.iter().enumerate() {
        if !GRANTS.contains(&g.as_str()) {
            return Err(err(format!("{cp}.grant_types[{i}]"), format!("unsupported grant type {g:?}")));
        }
    }
    let scopes = c.scopes.clone().unwrap_or_else(|| vec!["openid".into()]);
    for (i, s) in scopes.iter().enumerate() {
        if !SCOPES.contains(&s.as_str()) {
            return Err(err(format!("{cp}.scopes[{i}]"), format!("unknown scope {s:?}")));
        }
    }
    if c.client_secret.is_none() && grant_types.iter().any(|g| g == "client_credentials") {
        return Err(err(format!("{cp}.grant_types"), "client_credentials needs a confidential client (client_secret)"));
    }
    if c.client_secret.as_ref().is_some_and(|s| s.len() < 12) {
        return Err(err(format!("{cp}.client_secret"), "at least 12 characters"));
    }
    if grant_types.iter().any(|g| g == "authorization_code") && c.redirect_uris.is_empty() {
        return Err(err(format!("{cp}.redirect_uris"), "authorization_code needs at least one redirect URI"));
    }
    for (i, u) in c.redirect_uris.iter().enumerate() {
        check_uri(&format!("{cp}.redirect_uris[{i}]"), u)?;
    }
    for (i, u) in c.post_logout_redirect_uris.iter().enumerate() {
        check_uri(&format!("{cp}.post_logout_redirect_uris[{i}]"), u)?;
    }
    let id_token_alg = match c.id_token_signed_response_alg.as_deref() {
        None | Some("RS256") => SigningAlg::RS256,
        Some("ES256") => SigningAlg::ES256,
        Some(other) => return Err(err(format!("{cp}.id_token_signed_response_alg"), format!("RS256 or ES256, not {other:?}"))),
    };
    Ok(Client {
        tenant_id: tenant.to_owned(),
        workspace_id: ws.to_owned(),
        client_id: c.client_id.clone(),
        name: c.name.clone().unwrap_or_else(|| c.client_id.clone()),
        // Random client secrets need no slow hash: a SHA-256 digest compared in constant time.
        secret_sha256: c.client_secret.as_deref().map(digest),
        redirect_uris: c.redirect_uris.clone(),
        post_logout_redirect_uris: c.post_logout_redirect_uris.clone(),
        grant_types,
        scopes,
        consent: c.consent.unwrap_or(ConsentMode::Required),
        id_token_alg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_err(yaml: &str) -> String {
        let spec: ClientSpec = serde_yaml_ng::from_str(yaml).unwrap();
        client_plan("c", "t", "w", &spec, &mut HashSet::new()).unwrap_err().to_string()
    }

    #[test]
    fn client_errors_name_the_field() {
        assert!(client_err("{client_id: a, redirect_uris: ['http://evil.example/cb']}").contains("c.redirect_uris[0]"));
        assert!(client_err("{client_id: a, redirect_uris: ['http://127.0.0.1/cb#frag']}").contains("fragment"));
        assert!(client_err("{client_id: a, redirect_uris: ['http://127.0.0.1/cb'], scopes: [openid, admin]}").contains("c.scopes[1]"));
        assert!(client_err("{client_id: a, grant_types: [client_credentials]}").contains("confidential"));
        assert!(client_err("{client_id: a, grant_types: [implicit]}").contains("c.grant_types[0]"));
        assert!(client_err("{client_id: a, client_secret: short, redirect_uris: ['http://127.0.0.1/cb']}").contains("c.client_secret"));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(parse("tenants: [{id: acme, colour: red}]").unwrap_err().to_string().contains("colour"));
    }

    #[test]
    fn reserved_and_malformed_ids_are_rejected() {
        for (id, _) in [("api", "reserved"), ("Acme", "a-z"), ("a/b", "a-z")] {
            let file = parse(&format!("tenants: [{{id: '{id}'}}]")).unwrap();
            let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
            struct NoUsers;
            #[async_trait::async_trait]
            impl UserStore for NoUsers {
                async fn find_for_login(&self, _: &str, _: &[String], _: &str) -> crate::storage::Result<Option<(crate::storage::User, Option<String>)>> {
                    Ok(None)
                }
                async fn get(&self, _: &str, _: &str) -> crate::storage::Result<Option<crate::storage::User>> {
                    Ok(None)
                }
                async fn password_hash(&self, _: &str, _: &str, _: &str) -> crate::storage::Result<Option<String>> {
                    Ok(None)
                }
            }
            let hasher = Hasher::new(1).unwrap();
            let e = rt.block_on(plan(file, "t", 0, &NoUsers, &hasher)).unwrap_err().to_string();
            assert!(e.contains("tenants[0].id"), "{e}");
        }
    }
}
