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

/// `Debug` is written by hand below: it hides the SMTP password and the webhook token.
#[derive(Clone)]
pub struct Config {
    pub listen: String,
    /// Base URL without a trailing slash; issuers are `{public_url}/{tenant}/{workspace}`.
    pub public_url: Url,
    pub database_url: String,
    pub redis_url: Option<String>,
    pub redis_prefix: String,
    pub outbox_dir: PathBuf,
    /// SMTP server for mail (`smtp://user:pass@host:587`, `smtps://…`); unset: the outbox.
    pub smtp_url: Option<String>,
    /// Sender of mail, a mailbox such as `ACME <no-reply@acme.example>`.
    pub mail_from: String,
    /// HTTP endpoint that sends SMS; unset: the outbox.
    pub sms_webhook_url: Option<String>,
    /// Sent as `Authorization: Bearer <token>` to the SMS webhook.
    pub sms_webhook_token: Option<String>,
    pub log_format: LogFormat,
    pub workers: usize,
    pub argon2_concurrency: usize,
    /// Seconds a node may serve workspaces and clients from its read cache.
    pub directory_cache_ttl: i64,
    /// Reverse proxies whose `X-Forwarded-For` is believed: the client address of a request
    /// from one of them is the rightmost forwarded address that is not itself a proxy.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub ttl: Lifetimes,
    /// The key that encrypts TOTP seeds at rest (`identity::secrets`): 32 bytes, hex or
    /// base64. Unset: the key kept in `totp_key_file`, generated there at the first start.
    pub totp_key: Option<String>,
    /// Former keys, which still decrypt what they encrypted (key rotation).
    pub totp_old_keys: Vec<String>,
    pub totp_key_file: PathBuf,
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
    smtp_url: Option<String>,
    mail_from: Option<String>,
    sms_webhook_url: Option<String>,
    sms_webhook_token: Option<String>,
    log_format: Option<LogFormat>,
    workers: Option<usize>,
    argon2_concurrency: Option<usize>,
    directory_cache_ttl: Option<i64>,
    trusted_proxies: Option<Vec<String>>,
    totp_key: Option<String>,
    totp_old_keys: Option<Vec<String>>,
    totp_key_file: Option<PathBuf>,
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
        let smtp_url = s("PORTCULLIS_SMTP_URL", f.smtp_url).filter(|v| !v.is_empty());
        if let Some(u) = &smtp_url {
            crate::delivery::SmtpTarget::parse(u).map_err(|e| ConfigError(format!("PORTCULLIS_SMTP_URL: {e}")))?;
        }
        let mail_from =
            s("PORTCULLIS_MAIL_FROM", f.mail_from).unwrap_or_else(|| "Portcullis <no-reply@localhost>".into());
        mail_from.parse::<lettre::message::Mailbox>().map_err(|e| {
            ConfigError(format!(
                "PORTCULLIS_MAIL_FROM: not a mailbox such as `Name <user@example.com>` ({e})"
            ))
        })?;
        let sms_webhook_url = s("PORTCULLIS_SMS_WEBHOOK_URL", f.sms_webhook_url).filter(|v| !v.is_empty());
        if let Some(u) = &sms_webhook_url {
            crate::delivery::check_webhook_url(u)
                .map_err(|e| ConfigError(format!("PORTCULLIS_SMS_WEBHOOK_URL: {e}")))?;
        }
        let sms_webhook_token = s("PORTCULLIS_SMS_WEBHOOK_TOKEN", f.sms_webhook_token).filter(|v| !v.is_empty());
        if let Some(token) = &sms_webhook_token {
            if sms_webhook_url.is_none() {
                return Err(ConfigError(
                    "PORTCULLIS_SMS_WEBHOOK_TOKEN: set without PORTCULLIS_SMS_WEBHOOK_URL".into(),
                ));
            }
            // It goes into an HTTP header: visible ASCII only.
            if !token.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ConfigError(
                    "PORTCULLIS_SMS_WEBHOOK_TOKEN: visible ASCII characters only, no spaces".into(),
                ));
            }
        }
        let proxies = match env("PORTCULLIS_TRUSTED_PROXIES") {
            Some(v) => v.split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect(),
            None => f.trusted_proxies.unwrap_or_default(),
        };
        let trusted_proxies = proxies
            .iter()
            .map(|p| p.parse().map_err(|_| ConfigError(format!("PORTCULLIS_TRUSTED_PROXIES: {p:?} is not an IP address"))))
            .collect::<Result<Vec<std::net::IpAddr>, _>>()?;
        let totp_key = s("PORTCULLIS_TOTP_KEY", f.totp_key).filter(|v| !v.is_empty());
        let totp_old_keys: Vec<String> = match env("PORTCULLIS_TOTP_OLD_KEYS") {
            Some(v) => v.split(',').map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()).collect(),
            None => f.totp_old_keys.unwrap_or_default(),
        };
        // Their form is checked when the keys are loaded (`identity::secrets`, at start).
        Ok(Config {
            totp_key,
            totp_old_keys,
            totp_key_file: env("PORTCULLIS_TOTP_KEY_FILE").map(PathBuf::from).or(f.totp_key_file).unwrap_or_else(|| "data/totp.key".into()),
            listen,
            public_url,
            database_url,
            redis_url,
            redis_prefix: s("PORTCULLIS_REDIS_PREFIX", f.redis_prefix).unwrap_or_else(|| "portcullis:".into()),
            outbox_dir: env("PORTCULLIS_OUTBOX_DIR").map(PathBuf::from).or(f.outbox_dir).unwrap_or_else(|| "data/outbox".into()),
            smtp_url,
            mail_from,
            sms_webhook_url,
            sms_webhook_token,
            log_format,
            workers: n("PORTCULLIS_WORKERS", f.workers.map(|v| v as i64), cpus() as i64)? as usize,
            argon2_concurrency: n("PORTCULLIS_ARGON2_CONCURRENCY", f.argon2_concurrency.map(|v| v as i64), cpus() as i64)? as usize,
            directory_cache_ttl: n("PORTCULLIS_DIRECTORY_CACHE_TTL", f.directory_cache_ttl, 5)?,
            trusted_proxies,
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

    /// The delivery keys, for `delivery::from_settings` (the dependency runs from here to
    /// `delivery`, whose URL checks validate these keys at load).
    pub fn delivery(&self) -> crate::delivery::Settings<'_> {
        crate::delivery::Settings {
            outbox_dir: &self.outbox_dir,
            smtp_url: self.smtp_url.as_deref(),
            mail_from: &self.mail_from,
            sms_webhook_url: self.sms_webhook_url.as_deref(),
            sms_webhook_token: self.sms_webhook_token.as_deref(),
        }
    }
}

/// Secrets never reach logs (STYLE.md 13). The destructuring makes a new field a compile
/// error here until it is listed.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Config {
            listen,
            public_url,
            database_url,
            redis_url,
            redis_prefix,
            outbox_dir,
            smtp_url,
            mail_from,
            sms_webhook_url,
            sms_webhook_token,
            log_format,
            workers,
            argon2_concurrency,
            directory_cache_ttl,
            trusted_proxies,
            ttl,
            totp_key,
            totp_old_keys,
            totp_key_file,
        } = self;
        f.debug_struct("Config")
            .field("listen", listen)
            .field("public_url", public_url)
            .field("database_url", &redact_url_password(database_url))
            .field("redis_url", &redis_url.as_deref().map(redact_url_password))
            .field("redis_prefix", redis_prefix)
            .field("outbox_dir", outbox_dir)
            .field("smtp_url", &smtp_url.as_deref().map(redact_url_password))
            .field("mail_from", mail_from)
            // The query may hold an API key.
            .field("sms_webhook_url", &sms_webhook_url.as_ref().map(|_| "<redacted>"))
            .field("sms_webhook_token", &sms_webhook_token.as_ref().map(|_| "<redacted>"))
            .field("log_format", log_format)
            .field("workers", workers)
            .field("argon2_concurrency", argon2_concurrency)
            .field("directory_cache_ttl", directory_cache_ttl)
            .field("trusted_proxies", trusted_proxies)
            .field("ttl", ttl)
            .field("totp_key", &totp_key.as_ref().map(|_| "<redacted>"))
            .field("totp_old_keys", &totp_old_keys.iter().map(|_| "<redacted>").collect::<Vec<_>>())
            .field("totp_key_file", totp_key_file)
            .finish()
    }
}

/// A connection URL with its password replaced (or `<redacted>` if it does not parse).
fn redact_url_password(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut u) if u.password().is_some() => match u.set_password(Some("redacted")) {
            Ok(()) => u.to_string(),
            Err(()) => "<redacted>".into(),
        },
        Ok(_) => url.to_string(),
        Err(_) => "<redacted>".into(),
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
    fn delivery_settings_are_checked() {
        let with = |k: &'static str, v: &'static str| move |key: &str| (key == k).then(|| v.to_string());
        assert!(Config::from_env_map(&with("PORTCULLIS_SMTP_URL", "smtp://mail.example.com?tls=none")).unwrap_err().0.contains("PORTCULLIS_SMTP_URL"));
        assert!(Config::from_env_map(&with("PORTCULLIS_SMS_WEBHOOK_URL", "http://sms.example.com/")).unwrap_err().0.contains("PORTCULLIS_SMS_WEBHOOK_URL"));
        assert!(Config::from_env_map(&with("PORTCULLIS_MAIL_FROM", "not a mailbox")).unwrap_err().0.contains("PORTCULLIS_MAIL_FROM"));
        let c = Config::from_env_map(&with("PORTCULLIS_SMTP_URL", "smtps://u:p@mail.example.com")).unwrap();
        assert_eq!(c.smtp_url.as_deref(), Some("smtps://u:p@mail.example.com"));
    }

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn delivery_defaults_to_the_outbox() {
        let c = Config::from_env_map(&|_| None).unwrap();
        assert_eq!(c.outbox_dir, PathBuf::from("data/outbox"));
        assert_eq!(c.smtp_url, None);
        assert_eq!(c.mail_from, "Portcullis <no-reply@localhost>");
        assert_eq!(c.sms_webhook_url, None);
        assert_eq!(c.sms_webhook_token, None);
    }

    #[test]
    fn delivery_settings_are_read_from_variables_and_the_file() {
        let c = Config::from_env_map(&env(&[
            ("PORTCULLIS_SMTP_URL", "smtps://mailer:secret@mail.example.com"),
            ("PORTCULLIS_MAIL_FROM", "Acme <id@acme.example>"),
            ("PORTCULLIS_SMS_WEBHOOK_URL", "https://sms.example.com/send"),
            ("PORTCULLIS_SMS_WEBHOOK_TOKEN", "tok-123"),
        ]))
        .unwrap();
        assert_eq!(c.smtp_url.as_deref(), Some("smtps://mailer:secret@mail.example.com"));
        assert_eq!(c.mail_from, "Acme <id@acme.example>");
        assert_eq!(c.sms_webhook_url.as_deref(), Some("https://sms.example.com/send"));
        assert_eq!(c.sms_webhook_token.as_deref(), Some("tok-123"));

        let file: FileConfig = toml::from_str(
            "smtp_url = 'smtp://127.0.0.1:2525?tls=none'\n\
             mail_from = 'no-reply@acme.example'\n\
             sms_webhook_url = 'http://127.0.0.1:9000/sms'\n\
             sms_webhook_token = 'from-file'\n",
        )
        .unwrap();
        let c = Config::from_layers(file, &env(&[("PORTCULLIS_SMS_WEBHOOK_TOKEN", "from-env")])).unwrap();
        assert_eq!(c.smtp_url.as_deref(), Some("smtp://127.0.0.1:2525?tls=none"));
        assert_eq!(c.mail_from, "no-reply@acme.example");
        assert_eq!(c.sms_webhook_url.as_deref(), Some("http://127.0.0.1:9000/sms"));
        assert_eq!(c.sms_webhook_token.as_deref(), Some("from-env"));
        // An empty variable unsets.
        let c = Config::from_env_map(&env(&[("PORTCULLIS_SMTP_URL", "")])).unwrap();
        assert_eq!(c.smtp_url, None);
    }

    #[test]
    fn bad_delivery_settings_name_the_variable() {
        for (pairs, variable, why) in [
            (
                &[("PORTCULLIS_SMTP_URL", "smtp://mail.example.com?tls=none")][..],
                "PORTCULLIS_SMTP_URL",
                "loopback",
            ),
            (
                &[("PORTCULLIS_SMTP_URL", "smtp://mail.example.com?tls=maybe")],
                "PORTCULLIS_SMTP_URL",
                "starttls or none",
            ),
            (
                &[("PORTCULLIS_SMTP_URL", "https://mail.example.com")],
                "PORTCULLIS_SMTP_URL",
                "smtp://",
            ),
            (
                &[("PORTCULLIS_MAIL_FROM", "not an address")],
                "PORTCULLIS_MAIL_FROM",
                "mailbox",
            ),
            (
                &[("PORTCULLIS_SMS_WEBHOOK_URL", "http://sms.example.com/send")],
                "PORTCULLIS_SMS_WEBHOOK_URL",
                "https://",
            ),
            (
                &[("PORTCULLIS_SMS_WEBHOOK_TOKEN", "t")],
                "PORTCULLIS_SMS_WEBHOOK_TOKEN",
                "without",
            ),
            (
                &[
                    ("PORTCULLIS_SMS_WEBHOOK_URL", "https://sms.example.com"),
                    ("PORTCULLIS_SMS_WEBHOOK_TOKEN", "a b"),
                ],
                "PORTCULLIS_SMS_WEBHOOK_TOKEN",
                "visible ASCII",
            ),
        ] {
            let e = Config::from_env_map(&env(pairs)).unwrap_err();
            assert!(e.0.contains(variable) && e.0.contains(why), "{pairs:?}: {e}");
        }
    }

    #[test]
    fn debug_hides_delivery_secrets() {
        let c = Config::from_env_map(&env(&[
            ("PORTCULLIS_SMTP_URL", "smtp://mailer:hunter2@mail.example.com"),
            ("PORTCULLIS_SMS_WEBHOOK_URL", "https://sms.example.com/send?key=hunter3"),
            ("PORTCULLIS_SMS_WEBHOOK_TOKEN", "hunter4"),
            (
                "PORTCULLIS_DATABASE_URL",
                "postgres://app:hunter5@db.example.com/portcullis",
            ),
        ]))
        .unwrap();
        let shown = format!("{c:?}");
        for secret in ["hunter2", "hunter3", "hunter4", "hunter5"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("mail.example.com") && shown.contains("db.example.com"),
            "{shown}"
        );
    }

    #[test]
    fn bad_numbers_name_the_variable() {
        let e = Config::from_env_map(&|k| (k == "PORTCULLIS_CODE_TTL").then(|| "soon".to_string())).unwrap_err();
        assert!(e.0.contains("PORTCULLIS_CODE_TTL"));
    }
}
