//! Passkeys (WebAuthn, `webauthn-rs`): the relying party of each workspace, ceremony state
//! in the session store, and the passkeys users hold in the credential store.
//!
//! - One `Webauthn` per workspace, built once and kept (`RelyingParties`): the RP ID is the
//!   host of the public URL, the origin is the public URL's origin, the RP name is the
//!   workspace's name (a rename builds it again). Every workspace of one deployment shares
//!   the RP ID, so a passkey is bound to this server's host; which workspace may use it is
//!   decided by the user's pool (`factors::webauthn`), never by the browser.
//! - A ceremony (registration, authentication of a known user, discoverable
//!   authentication) keeps its state server side (WebAuthn §13.4.3: the challenge must be
//!   the one the server issued, and used once): in the session store under its own random
//!   id, bound to the flow and the browser that started it, for `CEREMONY_TTL` seconds, and
//!   taken with GETDEL when the answer comes, so one answer is checked at most once.
//! - A passkey is stored as the crate requires: `webauthn_rs::prelude::Passkey` as JSON,
//!   the secret of a `CredentialKind::WEBAUTHN` credential. After each use its counter and
//!   backup flags are written back with `CredentialStore::touch` (compare-and-set).
//!
//! Who may do what: a ceremony's answer counts only for the flow and browser that started
//! it, once, before it expires; a passkey is looked up only among the credentials of the
//! user it names (tenant-scoped), so one user's passkey never signs in another.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use url::Url;
use webauthn_rs::prelude::{DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration, Webauthn, WebauthnBuilder};

use crate::crypto::random_token;
use crate::error::AppError;
use crate::model::TenantId;
use crate::storage::identity::{Credential, CredentialKind, CredentialStore, NewCredential, Replace};
use crate::storage::session::{Kind, Sessions};

/// How long a ceremony may take, seconds: the browser's timeout and the state's lifetime.
pub const CEREMONY_TTL: i64 = 180;

/// Longest credential (the browser's JSON answer) a finish accepts, bytes: an attestation
/// with certificates stays well below.
pub const MAX_CREDENTIAL_JSON: usize = 16 * 1024;

/// The relying party of every workspace, built on first use and kept.
pub struct RelyingParties {
    rp_id: String,
    origin: Url,
    built: RwLock<HashMap<Key, Built>>,
}

/// A workspace: its tenant and id.
type Key = (TenantId, String);
/// A relying party and the workspace name it was built with.
type Built = (String, Arc<Webauthn>);

impl RelyingParties {
    /// For the public URL `public` (its host is the RP ID, its origin the one origin allowed).
    pub fn new(public: &Url) -> Self {
        let mut origin = public.clone();
        origin.set_path("");
        origin.set_query(None);
        origin.set_fragment(None);
        RelyingParties { rp_id: public.host_str().unwrap_or_default().to_owned(), origin, built: RwLock::new(HashMap::new()) }
    }

    pub fn rp_id(&self) -> &str {
        &self.rp_id
    }

    /// Whether passkeys can work here at all: the public URL's host is a domain name
    /// (WebAuthn refuses IP addresses as RP IDs). Pages offer passkeys only then.
    pub fn available(&self) -> bool {
        WebauthnBuilder::new(&self.rp_id, &self.origin).is_ok()
    }

    /// The relying party of workspace `workspace` of `tenant`, named `name`. Errors: the
    /// public URL has no domain name (WebAuthn refuses IP addresses as RP IDs, §5.1.3 ff.:
    /// the RP ID must be a registrable domain suffix of the origin's effective domain).
    pub fn of(&self, tenant: &TenantId, workspace: &str, name: &str) -> Result<Arc<Webauthn>, AppError> {
        let key = (tenant.clone(), workspace.to_owned());
        if let Some((_, w)) = self.built.read().unwrap_or_else(|e| e.into_inner()).get(&key).filter(|(n, _)| n == name) {
            return Ok(w.clone());
        }
        let built = WebauthnBuilder::new(&self.rp_id, &self.origin)
            .and_then(|b| b.rp_name(name).timeout(std::time::Duration::from_secs(CEREMONY_TTL as u64)).build())
            .map_err(|e| AppError::internal("passkeys need a public URL with a domain name (not an IP address)").because(e))?;
        let built = Arc::new(built);
        self.built.write().unwrap_or_else(|e| e.into_inner()).insert(key, (name.to_owned(), built.clone()));
        Ok(built)
    }
}

/// What a ceremony is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Create a passkey for the user being challenged (enrolment).
    Register,
    /// The user being challenged proves possession of one of their passkeys (second factor).
    Authenticate,
    /// Anyone signs in with a discoverable passkey; the user comes from its user handle.
    Discover,
}

impl Purpose {
    pub fn parse(s: &str) -> Option<Purpose> {
        match s {
            "register" => Some(Purpose::Register),
            "authenticate" => Some(Purpose::Authenticate),
            "discover" => Some(Purpose::Discover),
            _ => None,
        }
    }
}

/// The server side of a ceremony in progress.
#[derive(Serialize, Deserialize)]
pub enum State {
    Register(PasskeyRegistration),
    Authenticate(PasskeyAuthentication),
    Discover(DiscoverableAuthentication),
}

/// A ceremony as stored: bound to a flow and a browser (and for registration and
/// second-factor authentication, to the user being challenged).
#[derive(Serialize, Deserialize)]
pub struct Ceremony {
    pub flow_id: String,
    pub browser: String,
    pub tenant_id: TenantId,
    pub workspace_id: String,
    pub user_id: Option<String>,
    pub state: State,
}

impl Ceremony {
    pub fn purpose(&self) -> Purpose {
        match self.state {
            State::Register(_) => Purpose::Register,
            State::Authenticate(_) => Purpose::Authenticate,
            State::Discover(_) => Purpose::Discover,
        }
    }

    /// Stores the ceremony under a new random id, which the browser sends back with its answer.
    pub async fn save(&self, sessions: &Sessions) -> Result<String, AppError> {
        let id = random_token(18);
        sessions.put(Kind::Passkey, &id, self, CEREMONY_TTL).await?;
        Ok(id)
    }

    /// Takes the ceremony `id` away (GETDEL): of any number of answers, one gets it.
    /// `None` when it expired, was used, or belongs to another flow or browser.
    pub async fn take(sessions: &Sessions, id: &str, flow_id: &str, browser: &str) -> Result<Option<Ceremony>, AppError> {
        if id.is_empty() || id.len() > 64 {
            return Ok(None);
        }
        let c: Option<Ceremony> = sessions.consume(Kind::Passkey, id).await?;
        Ok(c.filter(|c| crate::crypto::ct_eq(c.flow_id.as_bytes(), flow_id.as_bytes()) & crate::crypto::ct_eq(c.browser.as_bytes(), browser.as_bytes())))
    }
}

/// A stored passkey: the credential row and the crate's record in it.
pub struct Held {
    pub credential: Credential,
    pub passkey: Passkey,
}

/// The user's live passkeys (a row that does not parse is skipped and logged, never used).
pub async fn held(credentials: &dyn CredentialStore, tenant: &TenantId, user_id: &str) -> Result<Vec<Held>, AppError> {
    let rows = credentials.list(tenant, user_id, CredentialKind::WEBAUTHN).await?;
    Ok(rows
        .into_iter()
        .filter(|c| !c.retired)
        .filter_map(|credential| match serde_json::from_str::<Passkey>(&credential.secret) {
            Ok(passkey) => Some(Held { credential, passkey }),
            Err(e) => {
                tracing::error!(error = %e, credential = %credential.id, "stored passkey does not parse");
                None
            }
        })
        .collect())
}

/// Keeps a new passkey beside the user's others.
pub async fn add(credentials: &dyn CredentialStore, tenant: &TenantId, user_id: &str, passkey: &Passkey, now: i64) -> Result<Credential, AppError> {
    let secret = serde_json::to_string(passkey)?;
    credentials.add(tenant, NewCredential { user_id, kind: CredentialKind::WEBAUTHN, secret: &secret, source_sha256: None }, Replace::Nothing, now).await
}

/// Records a use of `held` after an authentication: the counter and backup flags the
/// authenticator reported are written back if they changed. Compare-and-set: false when
/// the stored passkey changed or went away meanwhile (a concurrent use, a removal), in
/// which case this use does not count.
pub async fn record_use(credentials: &dyn CredentialStore, tenant: &TenantId, mut held: Held, result: &webauthn_rs::prelude::AuthenticationResult, now: i64) -> Result<bool, AppError> {
    let changed = held.passkey.update_credential(result) == Some(true);
    let upgrade = if changed { Some(serde_json::to_string(&held.passkey)?) } else { None };
    let c = &held.credential;
    credentials.touch(tenant, &c.user_id, CredentialKind::WEBAUTHN, &c.secret, upgrade.as_deref(), now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_relying_party_per_workspace_built_once_and_never_for_an_ip_address() {
        let rps = RelyingParties::new(&Url::parse("http://localhost:8080/").unwrap());
        assert_eq!(rps.rp_id(), "localhost");
        let t = TenantId::new("acme");
        let a = rps.of(&t, "shop", "Shop").unwrap();
        let b = rps.of(&t, "shop", "Shop").unwrap();
        assert!(Arc::ptr_eq(&a, &b), "kept, not built per request");
        let c = rps.of(&t, "shop", "Renamed shop").unwrap();
        assert!(!Arc::ptr_eq(&a, &c), "a rename builds it again");
        assert_eq!(a.get_allowed_origins(), [Url::parse("http://localhost:8080").unwrap()]);
        let ip = RelyingParties::new(&Url::parse("http://127.0.0.1:8080").unwrap());
        assert!(ip.of(&t, "shop", "Shop").is_err() && !ip.available() && rps.available());
    }
}
