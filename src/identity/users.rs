//! The one user-write path: every writer of a user (self-registration, the admin API, the
//! bulk import, the provisioning file; later the self-service portal and just-in-time
//! federation) turns what it was given into a [`Draft`] and has [`Rules::check`] (or, for
//! a partial update, [`Rules::check_change`]) decide, against the user's pool, whether it
//! may be written. Refusals are typed [`FieldError`]s whose JSON pointers name fields of
//! the user document `{username, email, phone, password, password_hash, status, groups,
//! payload: {…}, metadata: {…}}`; writers that show the document under other names (the
//! provisioning file calls the payload `claims`) move the pointers, never re-parse text.
//!
//! The rules, whoever writes:
//! - Identifiers are normalised (`identity::normalize_*`: NFKC, lower case, one script, no
//!   invisible characters) and the pool's identifier (`username`, `email` or `phone`) is
//!   required. In an `email` or `phone` pool without a username, the address is the
//!   username. Uniqueness is the store's unique constraints: a write that loses the race
//!   for a value gets [`taken`] for its field, as if it had looked first.
//! - The payload and the metadata validate against the pool's schemas.
//! - A password satisfies the pool's policy, checked with the user's identifiers (reuse of
//!   old passwords needs the stored history: `lifecycle::check_new_password`).
//! - Every group exists in the pool.
//! - A written status is `active` or `inactive`; `active ⇒ verified`: the addresses of a
//!   user written as active are verified (the writer vouches for them), those of any other
//!   status are not, unless a partial update leaves them as they were.
//!
//! Who may write what:
//! - **Self-registration** ([`Writer::Registration`]) never sets the status (the account
//!   is `new` until its code activates it), metadata, groups or an imported hash; what its
//!   form does not show it cannot post (`registration::RegistrationForm`).
//! - **Administrators** ([`Writer::Admin`]) set every field but an imported hash, and
//!   cannot bypass the schemas or the policy. Which administrator may touch which user,
//!   group or metadata is authorization, decided before in `admin::users` (delegated
//!   managers: only their groups' members, never metadata).
//! - **The import** ([`Writer::Import`]) may also carry a `password_hash` from an old
//!   store (`identity::hashes`), instead of a password, never both.
//! - **Provisioning** ([`Writer::Provisioning`]) writes what the file says; what it leaves
//!   out keeps its stored value (merged by `provision` before the check).
use std::collections::HashSet;

use serde_json::{Map, Value};

use super::policy::PasswordPolicy;
use super::schema::{self, Compiled};
use super::{normalize_email, normalize_phone, normalize_username};
use crate::error::AppError;
use crate::crypto::digest;
use crate::model::TenantId;
use crate::storage::identity::{Identifier, NewUser, Pool, PoolSettings};
use crate::storage::{GroupStore, SchemaStore, User, UserStatus};

/// One problem with a document (a JSON pointer and a message). Defined in `error`, the
/// bottom of the import graph, so that `AppError::Invalid` carries the same type.
pub use crate::error::FieldError;

pub fn fe(pointer: &str, message: &str) -> FieldError {
    FieldError::new(pointer, message)
}

/// Errors of a nested document (the payload, the metadata) as pointers into the enclosing one.
pub fn prefixed(prefix: &str, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors.into_iter().map(|e| FieldError { pointer: format!("{prefix}{}", e.pointer), message: e.message }).collect()
}

/// A unique value (`username`, `email`, `phone`, `address`) another user holds.
pub fn taken(field: &str) -> FieldError {
    FieldError::new(format!("/{field}"), "is already taken")
}

/// A write rejected for reasons the caller can fix, each with a pointer.
#[derive(Debug)]
pub enum Rejected {
    Invalid(Vec<FieldError>),
    /// Internal failure (database, session store).
    App(AppError),
}

impl From<AppError> for Rejected {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Conflict(field) => Rejected::Invalid(vec![taken(&field)]),
            AppError::Invalid(errors) => Rejected::Invalid(errors),
            e => Rejected::App(e),
        }
    }
}

impl From<Vec<FieldError>> for Rejected {
    fn from(errors: Vec<FieldError>) -> Self {
        Rejected::Invalid(errors)
    }
}

/// Who writes, and so what a draft may set (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    Registration,
    Admin,
    Import,
    Provisioning,
}

/// A whole user as a writer gives it, before any check. (An import row is read as one:
/// NDJSON objects and CSV rows name these fields.) `Debug` hides the password and the hash.
#[derive(Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub username: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Plaintext; the caller hashes it once the draft passed.
    pub password: Option<String>,
    /// An imported hash (argon2 PHC, bcrypt, PBKDF2; the import only).
    pub password_hash: Option<String>,
    /// As written: `active` or `inactive`; left out: `active` (`new` for a registration).
    pub status: Option<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub payload: Map<String, Value>,
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

impl std::fmt::Debug for Draft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Draft { username, email, phone, password, password_hash, status, groups, payload, metadata } = self;
        let hidden = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("Draft")
            .field("username", username)
            .field("email", email)
            .field("phone", phone)
            .field("password", &hidden(password))
            .field("password_hash", &hidden(password_hash))
            .field("status", status)
            .field("groups", groups)
            .field("payload", payload)
            .field("metadata", metadata)
            .finish()
    }
}

/// A partial update by an administrator: only the fields present change. `payload` and
/// `metadata` replace the whole object (validated against the pool's schemas); a stored
/// object left out is not checked again, so a stricter schema never locks a user out of
/// other changes.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = UserPatch)]
pub struct Change {
    pub username: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub email_verified: Option<bool>,
    pub phone_verified: Option<bool>,
    pub payload: Option<Map<String, Value>>,
    pub metadata: Option<Map<String, Value>>,
}

/// What a pool requires of its users, loaded (and its schemas compiled) once per request,
/// import or provisioning file.
#[derive(Clone)]
pub struct Rules {
    tenant_id: TenantId,
    pool_id: String,
    identifier: Identifier,
    policy: PasswordPolicy,
    payload: Compiled,
    metadata: Compiled,
    groups: HashSet<String>,
}

/// The body of a schema: a built-in one, or the tenant's.
pub async fn load_schema(store: &dyn SchemaStore, tenant: &TenantId, id: &str) -> Result<Compiled, AppError> {
    let body = match schema::builtin(id) {
        Some(b) => b.clone(),
        None => store.schema(tenant, id).await?.ok_or_else(|| AppError::corrupt(format!("pool: its schema {id:?} of tenant {tenant:?} is missing")))?,
    };
    schema::compile(&body).map_err(|e| AppError::corrupt(format!("schema {id:?}")).because(format!("{e:?}")))
}

impl Rules {
    /// Rules of a pool that is being written itself (provisioning): its settings, compiled
    /// schemas and the group ids a user may join.
    pub fn new(tenant: &TenantId, pool: &str, settings: &PoolSettings, payload: Compiled, metadata: Compiled, groups: HashSet<String>) -> Self {
        Rules {
            tenant_id: tenant.clone(),
            pool_id: pool.to_owned(),
            identifier: settings.identifier,
            policy: settings.password_policy.clone(),
            payload,
            metadata,
            groups,
        }
    }

    /// Rules of a stored pool.
    pub async fn load(schemas: &dyn SchemaStore, groups: &dyn GroupStore, pool: &Pool) -> Result<Self, AppError> {
        let payload = load_schema(schemas, &pool.tenant_id, &pool.settings.payload_schema).await?;
        let metadata = load_schema(schemas, &pool.tenant_id, &pool.settings.metadata_schema).await?;
        let groups = groups.groups(&pool.tenant_id, &pool.id).await?.into_iter().map(|g| g.id).collect();
        Ok(Rules::new(&pool.tenant_id, &pool.id, &pool.settings, payload, metadata, groups))
    }

    pub fn policy(&self) -> &PasswordPolicy {
        &self.policy
    }

    /// The username a draft would get, if its identifiers give one (for reports about a
    /// draft that was refused for other reasons).
    pub fn username(&self, draft: &Draft) -> Option<String> {
        let (username, _, _) = identify(self.identifier, draft.username.as_deref(), draft.email.as_deref(), draft.phone.as_deref(), &mut vec![]);
        (!username.is_empty()).then_some(username)
    }

    /// Checks a whole user. On success: the user to write, addresses verified by the
    /// status, `password_hash` the imported hash if any (the caller hashes `draft.password`).
    pub fn check(&self, writer: Writer, draft: &Draft) -> Result<NewUser, Vec<FieldError>> {
        let mut errors = vec![];
        // A provisioning file names every user by username (and finds it again by it), in
        // pools of any identifier; every other writer needs the pool's identifier.
        let identifier = if writer == Writer::Provisioning { Identifier::Username } else { self.identifier };
        let (username, email, phone) = identify(identifier, draft.username.as_deref(), draft.email.as_deref(), draft.phone.as_deref(), &mut errors);
        let status = match (writer, draft.status.as_deref()) {
            (Writer::Registration, None) => UserStatus::New,
            (Writer::Registration, Some(_)) => {
                errors.push(fe("/status", "is set by activation, not by a registration"));
                UserStatus::New
            }
            (_, None | Some("active")) => UserStatus::Active,
            (_, Some("inactive")) => UserStatus::Inactive,
            (_, Some(other)) => {
                errors.push(fe("/status", &format!("active or inactive, not {other:?}")));
                UserStatus::Active
            }
        };
        if writer == Writer::Registration && !draft.groups.is_empty() {
            errors.push(fe("/groups", "are set by administrators only"));
        }
        self.check_groups(&draft.groups, &mut errors);
        self.check_payload(&draft.payload, &mut errors);
        if writer == Writer::Registration && !draft.metadata.is_empty() {
            errors.push(fe("/metadata", "is set by administrators only"));
        }
        self.check_metadata(&draft.metadata, &mut errors);
        match (&draft.password, &draft.password_hash) {
            (_, Some(_)) if writer != Writer::Import => errors.push(fe("/password_hash", "only an import carries password hashes")),
            (Some(_), Some(_)) => errors.push(fe("/password_hash", "give either password or password_hash, not both")),
            (None, Some(h)) => {
                if let Err(m) = super::hashes::parse(h) {
                    errors.push(fe("/password_hash", &m));
                }
            }
            (Some(pw), None) => self.check_password(pw, &[Some(username.as_str()), email.as_deref(), phone.as_deref()], &mut errors),
            (None, None) => {}
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut user = NewUser {
            tenant_id: self.tenant_id.clone(),
            pool_id: self.pool_id.clone(),
            username,
            status,
            email_verified: false,
            phone_verified: false,
            email,
            phone,
            payload: draft.payload.clone(),
            metadata: draft.metadata.clone(),
            password_source: draft.password_hash.as_deref().map(digest),
            password_hash: draft.password_hash.clone(),
            groups: draft.groups.clone(),
        };
        set_status(&mut user, status);
        Ok(user)
    }

    /// Applies an administrator's partial update to a stored user, or says what to fix.
    /// A changed address is unverified unless the administrator says otherwise.
    pub fn check_change(&self, stored: &User, change: Change) -> Result<User, Vec<FieldError>> {
        let mut errors = vec![];
        let email = change.email.clone().unwrap_or_else(|| stored.email.clone());
        let phone = change.phone.clone().unwrap_or_else(|| stored.phone.clone());
        let name = change.username.clone().unwrap_or_else(|| stored.username.clone());
        let (username, email, phone) = identify(self.identifier, Some(&name), email.as_deref(), phone.as_deref(), &mut errors);
        if let Some(p) = &change.payload {
            self.check_payload(p, &mut errors);
        }
        if let Some(m) = &change.metadata {
            self.check_metadata(m, &mut errors);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut user = stored.clone();
        user.email_verified = change.email_verified.unwrap_or(stored.email_verified && email == stored.email);
        user.phone_verified = change.phone_verified.unwrap_or(stored.phone_verified && phone == stored.phone);
        user.username = username;
        user.email = email;
        user.phone = phone;
        if let Some(payload) = change.payload {
            user.claims = payload;
        }
        if let Some(metadata) = change.metadata {
            user.metadata = metadata;
        }
        Ok(user)
    }

    fn check_groups(&self, groups: &[String], errors: &mut Vec<FieldError>) {
        for (i, g) in groups.iter().enumerate() {
            if !self.groups.contains(g) {
                errors.push(fe(&format!("/groups/{i}"), &format!("no group {g:?} in pool {:?}", self.pool_id)));
            }
        }
    }

    fn check_payload(&self, payload: &Map<String, Value>, errors: &mut Vec<FieldError>) {
        if let Err(e) = self.payload.validate(&Value::Object(payload.clone())) {
            errors.extend(prefixed("/payload", e));
        }
    }

    fn check_metadata(&self, metadata: &Map<String, Value>, errors: &mut Vec<FieldError>) {
        if let Err(e) = self.metadata.validate(&Value::Object(metadata.clone())) {
            errors.extend(prefixed("/metadata", e));
        }
    }

    /// The pool's policy, with the user's identifiers (a password must not contain them).
    fn check_password(&self, password: &str, ids: &[Option<&str>], errors: &mut Vec<FieldError>) {
        let ids: Vec<&str> = ids.iter().flatten().copied().collect();
        errors.extend(password_errors(&self.policy, password, &ids));
    }
}

/// Normalised identifiers: (username, email, phone). The username is the pool's
/// address when the pool signs in by address and none was given.
fn identify(identifier: Identifier, username: Option<&str>, email: Option<&str>, phone: Option<&str>, errors: &mut Vec<FieldError>) -> (String, Option<String>, Option<String>) {
    let mut norm = |ptr: &str, v: Option<&str>, f: fn(&str) -> Result<String, String>| match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match f(v) {
            Ok(n) => Some(n),
            Err(m) => {
                errors.push(fe(ptr, &m));
                None
            }
        },
    };
    let email = norm("/email", email, normalize_email);
    let phone = norm("/phone", phone, normalize_phone);
    let username = norm("/username", username, normalize_username);
    let (id, primary, required) = match identifier {
        Identifier::Username => (username.clone(), &username, ("/username", "A username is required.")),
        Identifier::Email => (username.clone().or_else(|| email.clone()), &email, ("/email", "An email address is required.")),
        Identifier::Phone => (username.clone().or_else(|| phone.clone()), &phone, ("/phone", "A phone number is required.")),
    };
    // Missing, empty or blank alike (a malformed value has its own error already).
    if primary.is_none() && !errors.iter().any(|e| e.pointer == required.0) {
        errors.push(fe(required.0, required.1));
    }
    (id.unwrap_or_default(), email, phone)
}

/// What a password breaks of a policy, checked with the user's identifiers, at `/password`.
pub fn password_errors(policy: &PasswordPolicy, password: &str, identifiers: &[&str]) -> Vec<FieldError> {
    policy.check(password, identifiers).into_iter().map(|v| fe("/password", &v.message)).collect()
}

/// Sets the status and, with it, whether the addresses count as verified: `active ⇒
/// verified` (the writer vouches for the addresses of an active user), any other status
/// leaves them unverified until a code or a link proves them.
pub fn set_status(user: &mut NewUser, status: UserStatus) {
    let verified = status == UserStatus::Active;
    user.status = status;
    user.email_verified = verified && user.email.is_some();
    user.phone_verified = verified && user.phone.is_some();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(identifier: Identifier) -> Rules {
        let settings = PoolSettings { identifier, password_policy: PasswordPolicy { min_length: 10, ..PasswordPolicy::default() }, ..PoolSettings::default() };
        let payload = schema::compile(&json!({ "type": "object", "properties": { "given_name": { "type": "string", "maxLength": 5 } }, "additionalProperties": false })).unwrap();
        let metadata = schema::compile(&json!({ "type": "object", "properties": { "roles": { "type": "array", "uniqueItems": true } }, "additionalProperties": false })).unwrap();
        Rules::new(&TenantId::new("t"), "p", &settings, payload, metadata, ["basic".to_owned()].into())
    }

    fn draft(v: Value) -> Draft {
        serde_json::from_value(v).unwrap()
    }

    fn pointers(r: Result<NewUser, Vec<FieldError>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|e| e.pointer).collect()
    }

    #[test]
    fn debug_hides_secrets() {
        let d = draft(json!({ "username": "ann", "password": "hunter2 secret", "password_hash": "$2b$04$secret" }));
        let shown = format!("{d:?}");
        assert!(shown.contains("ann") && !shown.contains("hunter2") && !shown.contains("$2b$"), "{shown}");
    }

    #[test]
    fn a_valid_draft_becomes_a_normalised_user() {
        let u = rules(Identifier::Email).check(Writer::Admin, &draft(json!({ "email": " Ann@Example.COM ", "password": "long enough pass", "groups": ["basic"], "payload": { "given_name": "Ann" } }))).unwrap();
        assert_eq!((u.username.as_str(), u.email.as_deref()), ("ann@example.com", Some("ann@example.com")));
        assert_eq!((u.status, u.email_verified, u.phone_verified), (UserStatus::Active, true, false));
        assert_eq!((u.tenant_id.as_str(), u.pool_id.as_str(), u.groups.clone()), ("t", "p", vec!["basic".to_owned()]));
        assert!(u.password_hash.is_none(), "the caller hashes plaintext");
    }

    #[test]
    fn identifiers_are_normalised_and_the_pools_one_required() {
        let r = rules(Identifier::Email);
        assert_eq!(pointers(r.check(Writer::Admin, &draft(json!({ "username": "ann" })))), vec!["/email"]);
        assert_eq!(pointers(r.check(Writer::Admin, &draft(json!({ "email": "   " })))), vec!["/email"]);
        assert_eq!(pointers(r.check(Writer::Admin, &draft(json!({ "email": "not-an-address" })))), vec!["/email"]);
        assert_eq!(pointers(r.check(Writer::Admin, &draft(json!({ "email": "a@example.com", "phone": "12" })))), vec!["/phone"]);
        assert_eq!(pointers(r.check(Writer::Admin, &draft(json!({ "email": "a@example.com", "username": "p\u{0430}ypal" })))), vec!["/username"]);
        assert_eq!(pointers(rules(Identifier::Username).check(Writer::Admin, &draft(json!({ "email": "a@example.com" })))), vec!["/username"]);
        assert_eq!(pointers(rules(Identifier::Phone).check(Writer::Admin, &draft(json!({ "username": "ann" })))), vec!["/phone"]);
        let u = rules(Identifier::Phone).check(Writer::Import, &draft(json!({ "phone": "+49 30 123456" }))).unwrap();
        assert_eq!(u.username, "+4930123456");
    }

    #[test]
    fn status_is_active_or_inactive_and_active_means_verified() {
        let r = rules(Identifier::Email);
        let inactive = r.check(Writer::Import, &draft(json!({ "email": "a@example.com", "status": "inactive" }))).unwrap();
        assert_eq!((inactive.status, inactive.email_verified), (UserStatus::Inactive, false));
        for bad in ["new", "deleted", "Active", "bogus"] {
            assert_eq!(pointers(r.check(Writer::Import, &draft(json!({ "email": "a@example.com", "status": bad })))), vec!["/status"], "{bad}");
        }
        let mut u = inactive;
        set_status(&mut u, UserStatus::Active);
        assert!(u.email_verified && !u.phone_verified);
        set_status(&mut u, UserStatus::Deleted);
        assert!(!u.email_verified);
    }

    #[test]
    fn registration_sets_no_status_metadata_groups_or_hash() {
        let r = rules(Identifier::Email);
        let u = r.check(Writer::Registration, &draft(json!({ "email": "a@example.com", "password": "long enough pass" }))).unwrap();
        assert_eq!((u.status, u.email_verified), (UserStatus::New, false));
        let bad = draft(json!({ "email": "a@example.com", "status": "active", "groups": ["basic"], "metadata": { "roles": ["x"] }, "password_hash": "$2b$04$abcdefghijklmnopqrstuu" }));
        assert_eq!(pointers(r.check(Writer::Registration, &bad)), vec!["/status", "/groups", "/metadata", "/password_hash"]);
    }

    #[test]
    fn groups_schemas_and_policy_are_enforced_for_every_writer() {
        let r = rules(Identifier::Email);
        for writer in [Writer::Admin, Writer::Import, Writer::Provisioning] {
            let d = draft(json!({ "username": "ann", "email": "ann@example.com", "groups": ["basic", "gold"], "payload": { "given_name": "Annabelle" }, "metadata": { "roles": ["a", "a"] }, "password": "short" }));
            let p = pointers(r.check(writer, &d));
            assert_eq!(p[0], "/groups/1", "{writer:?}");
            assert!(p[1].starts_with("/payload"), "{p:?}");
            assert!(p.iter().any(|p| p.starts_with("/metadata")), "{p:?}");
            assert_eq!(p.last().map(String::as_str), Some("/password"), "{writer:?}");
        }
        // The password must not contain the user's identifiers.
        let e = r.check(Writer::Admin, &draft(json!({ "email": "annabelle@example.com", "password": "my annabelle@example.com" }))).unwrap_err();
        assert_eq!(e[0].pointer, "/password");
    }

    #[test]
    fn only_the_import_carries_hashes_and_never_with_a_password() {
        let r = rules(Identifier::Email);
        let hash = "$2b$04$0123456789012345678901ABCDEFGHIJKLMNOPQRSTUVWXYZ01234";
        assert_eq!(pointers(r.check(Writer::Admin, &draft(json!({ "email": "a@example.com", "password_hash": hash })))), vec!["/password_hash"]);
        assert_eq!(pointers(r.check(Writer::Import, &draft(json!({ "email": "a@example.com", "password": "long enough pass", "password_hash": hash })))), vec!["/password_hash"]);
        assert_eq!(pointers(r.check(Writer::Import, &draft(json!({ "email": "a@example.com", "password_hash": "md5:abc" })))), vec!["/password_hash"]);
    }

    #[test]
    fn a_change_keeps_what_it_leaves_out_and_unverifies_new_addresses() {
        let r = rules(Identifier::Email);
        let stored = User {
            id: "u1".into(),
            tenant_id: TenantId::new("t"),
            pool_id: "p".into(),
            username: "ann@example.com".into(),
            status: UserStatus::Active,
            email: Some("ann@example.com".into()),
            email_verified: true,
            phone: Some("+4930123456".into()),
            phone_verified: true,
            // No longer valid under the schema: kept, not checked, when left out.
            claims: json!({ "given_name": "Annabelle" }).as_object().unwrap().clone(),
            metadata: Map::new(),
            created_at: 0,
            updated_at: 0,
            deleted_at: None,
        };
        let change: Change = serde_json::from_value(json!({ "email": "ANN2@example.com" })).unwrap();
        let u = r.check_change(&stored, change).unwrap();
        assert_eq!((u.email.as_deref(), u.email_verified, u.phone_verified), (Some("ann2@example.com"), false, true));
        assert_eq!(u.claims["given_name"], "Annabelle");
        let change: Change = serde_json::from_value(json!({ "email": " ", "phone": "x", "payload": { "shoe": 1 }, "metadata": { "roles": 1 } })).unwrap();
        let p: Vec<String> = r.check_change(&stored, change).unwrap_err().into_iter().map(|e| e.pointer).collect();
        assert_eq!(p[..2], ["/phone".to_owned(), "/email".to_owned()]);
        assert!(p[2].starts_with("/payload") && p.last().unwrap().starts_with("/metadata"), "{p:?}");
        assert_eq!(taken("email"), fe("/email", "is already taken"));
    }
}
