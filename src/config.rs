//! Typed configuration, layered: defaults → `portcullis.toml` → `PORTCULLIS_*` variables.
//! Validated once at start and passed in the application state (no globals).
use serde::Deserialize;
use std::path::{Path, PathBuf};
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: String,
    /// Base URL without a trailing slash; issuers are `{public_url}/{tenant}/{workspace}`.
    pub public_url: Url,
    pub database_url: String,
    pub redis_url: Option<String>,
    pub redis_prefix: String,
    pub outbox_dir: PathBuf,
    pub log_format: LogFormat,
    pub workers: usize,
    pub argon2_concurrency: usize,
    /// Seconds a node may serve workspaces and clients from its read cache.
    pub directory_cache_ttl: i64,
    pub ttl: Lifetimes,
}

/// Lifetimes in seconds.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub access_token: i64,
    pub id_token: i64,
    pub refresh_token: i64,
    pub code: i64,
    pub session: i64,
    pub flow: i64,
}

/// The file layer: every key optional, unknown keys rejected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    public_url: Option<String>,
    database_url: Option<String>,
    redis_url: Option<String>,
    redis_prefix: Option<String>,
    outbox_dir: Option<PathBuf>,
    log_format: Option<LogFormat>,
    workers: Option<usize>,
    argon2_concurrency: Option<usize>,
    directory_cache_ttl: Option<i64>,
    access_token_ttl: Option<i64>,
    id_token_ttl: Option<i64>,
    refresh_token_ttl: Option<i64>,
    code_ttl: Option<i64>,
    session_ttl: Option<i64>,
    flow_ttl: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

fn cpus() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

impl Config {
    /// Loads the layers. `file`: an explicit path must exist; otherwise `portcullis.toml`
    /// is read when present.
    pub fn load(file: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let file_cfg = match file {
            Some(p) => read_file(p)?,
            None if Path::new("portcullis.toml").exists() => read_file(Path::new("portcullis.toml"))?,
            None => FileConfig::default(),
        };
        Self::from_layers(file_cfg, env)
    }

    /// Configuration for tests and embedding: defaults with the given overrides.
    pub fn from_env_map(env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::from_layers(FileConfig::default(), env)
    }

    fn from_layers(f: FileConfig, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let s = |key: &str, file: Option<String>| env(key).or(file);
        let n = |key: &str, file: Option<i64>, default: i64| -> Result<i64, ConfigError> {
            let v = match env(key) {
                Some(v) => v.parse().map_err(|_| ConfigError(format!("{key}: not a whole number: {v}")))?,
                None => file.unwrap_or(default),
            };
            if v <= 0 {
                return Err(ConfigError(format!("{key}: must be positive")));
            }
            Ok(v)
        };
        let listen = s("PORTCULLIS_LISTEN", f.listen).unwrap_or_else(|| "127.0.0.1:8080".into());
        let public = s("PORTCULLIS_PUBLIC_URL", f.public_url).unwrap_or_else(|| format!("http://{listen}"));
        let public_url = Url::parse(public.trim_end_matches('/'))
            .map_err(|e| ConfigError(format!("PORTCULLIS_PUBLIC_URL: {e}")))?;
        if !matches!(public_url.scheme(), "http" | "https") || public_url.query().is_some() {
            return Err(ConfigError("PORTCULLIS_PUBLIC_URL: must be an http(s) URL without query".into()));
        }
        let log_format = match env("PORTCULLIS_LOG_FORMAT") {
            Some(v) if v == "json" => LogFormat::Json,
            Some(v) if v == "text" => LogFormat::Text,
            Some(v) => return Err(ConfigError(format!("PORTCULLIS_LOG_FORMAT: text or json, not {v}"))),
            None => f.log_format.unwrap_or(LogFormat::Text),
        };
        let database_url = s("PORTCULLIS_DATABASE_URL", f.database_url)
            .unwrap_or_else(|| "sqlite://data/portcullis.db?mode=rwc".into());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(ConfigError("PORTCULLIS_DATABASE_URL: sqlite:… or postgres://… expected".into()));
        }
        let redis_url = s("PORTCULLIS_REDIS_URL", f.redis_url).filter(|v| !v.is_empty());
        Ok(Config {
            listen,
            public_url,
            database_url,
            redis_url,
            redis_prefix: s("PORTCULLIS_REDIS_PREFIX", f.redis_prefix).unwrap_or_else(|| "portcullis:".into()),
            outbox_dir: env("PORTCULLIS_OUTBOX_DIR").map(PathBuf::from).or(f.outbox_dir).unwrap_or_else(|| "data/outbox".into()),
            log_format,
            workers: n("PORTCULLIS_WORKERS", f.workers.map(|v| v as i64), cpus() as i64)? as usize,
            argon2_concurrency: n("PORTCULLIS_ARGON2_CONCURRENCY", f.argon2_concurrency.map(|v| v as i64), cpus() as i64)? as usize,
            directory_cache_ttl: n("PORTCULLIS_DIRECTORY_CACHE_TTL", f.directory_cache_ttl, 5)?,
            ttl: Lifetimes {
                access_token: n("PORTCULLIS_ACCESS_TOKEN_TTL", f.access_token_ttl, 600)?,
                id_token: n("PORTCULLIS_ID_TOKEN_TTL", f.id_token_ttl, 600)?,
                refresh_token: n("PORTCULLIS_REFRESH_TOKEN_TTL", f.refresh_token_ttl, 30 * 24 * 3600)?,
                code: n("PORTCULLIS_CODE_TTL", f.code_ttl, 60)?,
                session: n("PORTCULLIS_SESSION_TTL", f.session_ttl, 24 * 3600)?,
                flow: n("PORTCULLIS_FLOW_TTL", f.flow_ttl, 15 * 60)?,
            },
        })
    }

    /// Cookies carry `Secure` only when the public URL is https (DESIGN.md: dev mode over
    /// plain http on 127.0.0.1 must work).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    pub fn issuer(&self, tenant: &str, workspace: &str) -> String {
        format!("{}/{tenant}/{workspace}", self.public_url.as_str().trim_end_matches('/'))
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| ConfigError(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_contract() {
        let c = Config::from_env_map(&|_| None).unwrap();
        assert_eq!(c.listen, "127.0.0.1:8080");
        assert_eq!(c.issuer("acme", "shop"), "http://127.0.0.1:8080/acme/shop");
        assert!(!c.secure_cookies());
    }

    #[test]
    fn unknown_file_keys_are_rejected() {
        assert!(toml::from_str::<FileConfig>("listne = 'x'").is_err());
    }

    #[test]
    fn bad_numbers_name_the_variable() {
        let e = Config::from_env_map(&|k| (k == "PORTCULLIS_CODE_TTL").then(|| "soon".to_string())).unwrap_err();
        assert!(e.0.contains("PORTCULLIS_CODE_TTL"));
    }
}
