//! Contract suites: one per store trait, run against every implementation (memory here,
//! SQLite and PostgreSQL in `sql::tests`). They test what the trait docs promise: named
//! conflicts, tenant isolation (tenant `other` never sees a row of `acme`), ordering and
//! cursors, password history depth, consume-once, atomicity of bulk writes.
use async_trait::async_trait;
use std::sync::Arc;

use crate::error::AppError;
use crate::model::TenantId;
use crate::storage::identity::*;
use crate::storage::*;

/// The stores of one backend, each as the rest of the code sees it.
pub(crate) struct Stores {
    pub users: Arc<dyn UserStore>,
    pub credentials: Arc<dyn CredentialStore>,
    pub pools: Arc<dyn PoolStore>,
    pub groups: Arc<dyn GroupStore>,
    pub privileges: Arc<dyn PrivilegeStore>,
    pub schemas: Arc<dyn SchemaStore>,
    pub directory: Arc<dyn DirectoryStore>,
    pub clients: Arc<dyn ClientStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub audit: Arc<dyn AuditStore>,
    pub grants: Arc<dyn GrantStore>,
    pub keys: Arc<dyn KeyStore>,
    pub counters: Arc<dyn CounterStore>,
    pub housekeeping: Arc<dyn Housekeeping>,
    pub health: Arc<dyn Health>,
    pub themes: Arc<dyn ThemeStore>,
}

impl Stores {
    /// One object implementing every trait, shared by all fields.
    pub fn of<T>(all: Arc<T>) -> Self
    where
        T: UserStore + CredentialStore + PoolStore + GroupStore + PrivilegeStore + SchemaStore + DirectoryStore + ClientStore + ConsentStore + AuditStore + GrantStore,
        T: KeyStore + CounterStore + Housekeeping + Health + ThemeStore + 'static,
    {
        Stores {
            users: all.clone(),
            credentials: all.clone(),
            pools: all.clone(),
            groups: all.clone(),
            privileges: all.clone(),
            schemas: all.clone(),
            directory: all.clone(),
            clients: all.clone(),
            consents: all.clone(),
            audit: all.clone(),
            grants: all.clone(),
            keys: all.clone(),
            counters: all.clone(),
            housekeeping: all.clone(),
            health: all.clone(),
            themes: all,
        }
    }
}

/// A backend under test: `fresh` returns empty stores holding what `seed` describes.
#[async_trait]
pub(crate) trait Backend: Sync {
    async fn fresh(&self) -> Stores;
}

/// What every suite starts from, in each of the tenants `acme` and `other`: pools
/// `customers` (built-in schemas) and `staff` (payload schema `staff-payload`), workspace
/// `shop` looking users up in `staff` first, then `customers`, and two clients.
pub(crate) struct Seed {
    pub tenant: TenantId,
    pub pools: Vec<Pool>,
    pub workspace: (&'static str, Vec<String>),
    pub clients: Vec<Client>,
}

pub(crate) fn seed() -> Vec<Seed> {
    [acme(), other()]
        .into_iter()
        .map(|tenant| Seed {
            pools: vec![
                Pool { tenant_id: tenant.clone(), id: "customers".into(), name: "Customers".into(), settings: PoolSettings::default() },
                Pool { tenant_id: tenant.clone(), id: "staff".into(), name: "Staff".into(), settings: PoolSettings { payload_schema: "staff-payload".into(), ..PoolSettings::default() } },
            ],
            workspace: ("shop", vec!["staff".into(), "customers".into()]),
            clients: vec![client(&tenant, "web", vec!["https://b.example/cb".into(), "myapp:/cb".into()], vec!["https://a.example".into()]), client(&tenant, "api", vec!["https://b.example/x".into()], vec![])],
            tenant,
        })
        .collect()
}

fn client(tenant: &TenantId, id: &str, redirect_uris: Vec<String>, allowed_origins: Vec<String>) -> Client {
    Client {
        tenant_id: tenant.clone(),
        workspace_id: "shop".into(),
        client_id: id.into(),
        name: id.into(),
        secret_sha256: None,
        redirect_uris,
        post_logout_redirect_uris: vec![],
        grant_types: vec!["authorization_code".into()],
        scopes: vec!["openid".into()],
        consent: ConsentMode::Required,
        id_token_alg: SigningAlg::ES256,
        allowed_origins,
        min_acr: None,
    }
}

fn acme() -> TenantId {
    TenantId::new("acme")
}
fn other() -> TenantId {
    TenantId::new("other")
}

pub(crate) fn new_user(tenant: &TenantId, pool: &str, username: &str, email: Option<&str>) -> NewUser {
    NewUser {
        tenant_id: tenant.clone(),
        pool_id: pool.into(),
        username: username.into(),
        status: UserStatus::Active,
        email: email.map(str::to_owned),
        email_verified: email.is_some(),
        phone: None,
        phone_verified: false,
        payload: Default::default(),
        metadata: Default::default(),
        password_hash: None,
        password_source: None,
        groups: vec![],
    }
}

fn conflict(r: Result<impl std::fmt::Debug>) -> String {
    match r {
        Err(AppError::Conflict(field)) => field,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// Every suite, each on fresh stores.
pub(crate) async fn run(b: &dyn Backend) {
    users(&b.fresh().await).await;
    credentials(&b.fresh().await).await;
    credential_sets(&b.fresh().await).await;
    pools(&b.fresh().await).await;
    groups(&b.fresh().await).await;
    privileges(&b.fresh().await).await;
    schemas(&b.fresh().await).await;
    directory(&b.fresh().await).await;
    clients(&b.fresh().await).await;
    consents(&b.fresh().await).await;
    audit(&b.fresh().await).await;
    grants(&b.fresh().await).await;
    keys(&b.fresh().await).await;
    counters(&b.fresh().await).await;
    apply(&b.fresh().await).await;
    themes(&b.fresh().await).await;
}

/// Versions grow by one per change, an unchanged layer publishes nothing, a rollback is a
/// new version, drafts stay apart, assets are stored once per content, all per tenant.
pub(crate) async fn themes(s: &Stores) {
    use crate::storage::themes::{Asset, ThemeScope};
    use crate::theme::ThemeSpec;
    let th = &s.themes;
    let ws = ThemeScope::Workspace("shop".into());
    let client = ThemeScope::Client { workspace: "shop".into(), client_id: "web".into() };
    let layer = |n: &str| ThemeSpec { product_name: Some(n.into()), ..Default::default() };
    assert_eq!(th.published(&acme(), &[ThemeScope::Tenant, ws.clone()]).await.unwrap(), vec![None, None]);
    let v1 = th.publish(&acme(), &ws, &layer("One"), "user:a", 10, None).await.unwrap();
    assert_eq!((v1.version, v1.author.as_str(), v1.published_at), (1, "user:a", 10));
    assert_eq!(th.publish(&acme(), &ws, &layer("One"), "user:b", 11, None).await.unwrap().version, 1, "unchanged: no new version");
    assert_eq!(th.publish(&acme(), &ws, &layer("Two"), "user:b", 12, None).await.unwrap().version, 2);
    let back = th.publish(&acme(), &ws, &v1.layer, "user:c", 13, Some(1)).await.unwrap();
    assert_eq!((back.version, back.rollback_of), (3, Some(1)));
    let versions = th.versions(&acme(), &ws).await.unwrap();
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![3, 2, 1]);
    assert_eq!(th.version(&acme(), &ws, 2).await.unwrap().unwrap().layer, layer("Two"));
    let now = th.published(&acme(), &[ThemeScope::Tenant, ws.clone(), client.clone()]).await.unwrap();
    assert_eq!((now[0].is_none(), now[1].as_ref().map(|v| v.version), now[2].is_none()), (true, Some(3), true));
    // Another tenant sees none of it.
    assert!(th.versions(&other(), &ws).await.unwrap().is_empty());
    assert!(th.version(&other(), &ws, 1).await.unwrap().is_none());

    th.save_draft(&acme(), &client, &layer("Draft"), "user:a", 20).await.unwrap();
    assert_eq!(th.draft(&acme(), &client).await.unwrap().unwrap().layer, layer("Draft"));
    assert!(th.draft(&other(), &client).await.unwrap().is_none());
    assert!(th.published(&acme(), std::slice::from_ref(&client)).await.unwrap()[0].is_none(), "a draft is not published");
    th.save_draft(&acme(), &client, &layer("Draft 2"), "user:a", 21).await.unwrap();
    assert_eq!(th.draft(&acme(), &client).await.unwrap().unwrap().updated_at, 21);
    assert!(th.discard_draft(&acme(), &client).await.unwrap());
    assert!(!th.discard_draft(&acme(), &client).await.unwrap());

    let bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let asset = Asset { tenant_id: acme(), id: crate::theme::assets::id_of(&bytes), content_type: "image/png".into(), bytes, width: Some(1), height: Some(2), created_at: 5 };
    assert!(th.put_asset(&asset).await.unwrap());
    assert!(!th.put_asset(&asset).await.unwrap(), "the same content is the same asset");
    assert_eq!(th.asset(&acme(), &asset.id).await.unwrap().unwrap(), asset);
    assert!(th.asset(&other(), &asset.id).await.unwrap().is_none());
}

pub(crate) async fn users(s: &Stores) {
    let u = &s.users;
    let mut n = new_user(&acme(), "customers", "alice", Some("alice@example.com"));
    n.password_hash = Some("$h1".into());
    n.groups = vec!["g1".into()];
    let alice = u.create_user(&acme(), &n, 10).await.unwrap();
    assert_eq!((alice.created_at, alice.email_verified), (10, true));
    // The same identifiers are free in another tenant and in another pool.
    let twin = u.create_user(&other(), &new_user(&other(), "customers", "alice", Some("alice@example.com")), 10).await.unwrap();
    u.create_user(&acme(), &new_user(&acme(), "staff", "alice", Some("alice@example.com")), 10).await.unwrap();
    // Conflicts name the field.
    assert_eq!(conflict(u.create_user(&acme(), &new_user(&acme(), "customers", "alice", None), 11).await), "username");
    assert_eq!(conflict(u.create_user(&acme(), &new_user(&acme(), "customers", "al2", Some("alice@example.com")), 11).await), "email");
    let mut p = new_user(&acme(), "customers", "phil", None);
    p.phone = Some("+15550100".into());
    u.create_user(&acme(), &p, 11).await.unwrap();
    p.username = "phil2".into();
    assert_eq!(conflict(u.create_user(&acme(), &p, 11).await), "phone");
    // A record of another tenant is refused.
    assert!(u.create_user(&other(), &new_user(&acme(), "customers", "x", None), 11).await.is_err());

    // Lookups stay in their tenant.
    assert_eq!(u.get(&acme(), &alice.id).await.unwrap().unwrap().username, "alice");
    assert!(u.get(&other(), &alice.id).await.unwrap().is_none());
    assert_eq!(u.find_user(&acme(), "customers", Lookup::Email, "alice@example.com").await.unwrap().unwrap().id, alice.id);
    assert_eq!(u.find_user(&other(), "customers", Lookup::Email, "alice@example.com").await.unwrap().unwrap().id, twin.id);
    assert_eq!(u.find_user(&acme(), "customers", Lookup::Phone, "+15550100").await.unwrap().unwrap().username, "phil");
    assert!(u.find_user(&acme(), "customers", Lookup::Username, "nobody").await.unwrap().is_none());
    assert_eq!(u.password_hash(&acme(), "customers", "alice").await.unwrap().as_deref(), Some("$h1"));
    assert!(u.password_hash(&other(), "customers", "alice").await.unwrap().is_none());

    // Sign-in: case-insensitive, by username or email, the first listed pool wins.
    let pools = vec!["customers".to_string(), "staff".to_string()];
    let (found, hash) = u.find_for_login(&acme(), &pools, " ALICE ").await.unwrap().unwrap();
    assert_eq!((found.id.as_str(), hash.as_deref()), (alice.id.as_str(), Some("$h1")));
    assert_eq!(u.find_for_login(&acme(), &pools, "Alice@Example.com").await.unwrap().unwrap().0.id, alice.id);
    let staff_first = vec!["staff".to_string(), "customers".to_string()];
    assert_eq!(u.find_for_login(&acme(), &staff_first, "alice").await.unwrap().unwrap().0.pool_id, "staff");
    assert!(u.find_for_login(&acme(), &["nope".to_string()], "alice").await.unwrap().is_none());
    assert_eq!(u.find_for_login(&other(), &pools, "alice").await.unwrap().unwrap().0.id, twin.id);

    // Updates write every field, name conflicts, and never cross tenants.
    let mut changed = alice.clone();
    changed.email = Some("alice2@example.com".into());
    changed.email_verified = false;
    changed.claims.insert("given_name".into(), "Alice".into());
    u.update_user(&acme(), &changed, 20).await.unwrap();
    let stored = u.get(&acme(), &alice.id).await.unwrap().unwrap();
    assert_eq!((stored.email.as_deref(), stored.email_verified, stored.updated_at), (Some("alice2@example.com"), false, 20));
    assert_eq!(stored.claims.get("given_name"), Some(&serde_json::json!("Alice")));
    assert!(u.find_user(&acme(), "customers", Lookup::Email, "alice@example.com").await.unwrap().is_none());
    changed.username = "phil".into();
    assert_eq!(conflict(u.update_user(&acme(), &changed, 21).await), "username");
    assert!(u.update_user(&other(), &stored, 21).await.is_err());
    assert_eq!(u.get(&other(), &twin.id).await.unwrap().unwrap().email.as_deref(), Some("alice@example.com"));
    // A record that names this tenant but the id of another tenant's user is refused, and
    // nothing keyed by that id (addresses, credentials) is written.
    let mut forged = stored.clone();
    forged.id = twin.id.clone();
    forged.email = Some("forged@example.com".into());
    assert!(u.update_user(&acme(), &forged, 22).await.is_err());
    assert!(u.activate_registration(&acme(), &forged, "$forged", 22).await.is_err());
    let twin_now = u.get(&other(), &twin.id).await.unwrap().unwrap();
    assert_eq!(twin_now.email.as_deref(), Some("alice@example.com"));
    assert!(!s.credentials.password_hashes(&other(), &twin.id).await.unwrap().contains(&"$forged".to_string()));

    // Search: ordered by id, a cursor, a limit, a prefix, filters; one tenant.
    for i in 0..5 {
        u.create_user(&acme(), &new_user(&acme(), "customers", &format!("user{i}"), Some(&format!("u{i}@example.com"))), 30).await.unwrap();
    }
    let all = u.search_users(&acme(), "customers", &UserQuery { limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(all.len(), 7);
    assert!(all.windows(2).all(|w| w[0].id < w[1].id), "ordered by id");
    let first = u.search_users(&acme(), "customers", &UserQuery { limit: 3, ..Default::default() }).await.unwrap();
    let next = u.search_users(&acme(), "customers", &UserQuery { limit: 3, after: Some(first[2].id.clone()), ..Default::default() }).await.unwrap();
    assert_eq!(first.iter().chain(&next).map(|u| &u.id).collect::<Vec<_>>(), all.iter().take(6).map(|u| &u.id).collect::<Vec<_>>());
    let by_text = u.search_users(&acme(), "customers", &UserQuery { text: Some("USER".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(by_text.len(), 5);
    let by_mail = u.search_users(&acme(), "customers", &UserQuery { text: Some("u3@".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(by_mail.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), ["user3"]);
    let literal = u.search_users(&acme(), "customers", &UserQuery { text: Some("user_".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert!(literal.is_empty(), "wildcards match literally");
    let in_group = u.search_users(&acme(), "customers", &UserQuery { groups: Some(vec!["g1".into()]), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(in_group.iter().map(|u| &u.id).collect::<Vec<_>>(), [&alice.id]);
    let inactive = u.search_users(&acme(), "customers", &UserQuery { status: Some(UserStatus::Inactive), limit: 100, ..Default::default() }).await.unwrap();
    assert!(inactive.is_empty());
    assert_eq!(u.search_users(&other(), "customers", &UserQuery { limit: 100, ..Default::default() }).await.unwrap().len(), 1);

    // Bulk: which identifiers are taken; all or none.
    let taken = u.taken(&acme(), "customers", &["user1".into(), "free".into()], &["u2@example.com".into()], &["+15550100".into()]).await.unwrap();
    let mut kinds: Vec<Lookup> = taken.iter().map(|t| t.0).collect();
    kinds.sort_by_key(|k| *k as u8);
    assert_eq!(kinds, [Lookup::Username, Lookup::Email, Lookup::Phone]);
    assert!(u.taken(&other(), "customers", &["user1".into()], &[], &[]).await.unwrap().is_empty());
    let bulk = vec![new_user(&acme(), "customers", "bulk1", None), new_user(&acme(), "customers", "user1", None)];
    assert!(u.create_users(&acme(), &bulk, 40).await.is_err());
    assert!(u.find_user(&acme(), "customers", Lookup::Username, "bulk1").await.unwrap().is_none(), "all or none");
    let mut ok = vec![new_user(&acme(), "customers", "bulk1", None), new_user(&acme(), "customers", "bulk2", None)];
    ok[1].password_hash = Some("$imported".into());
    ok[1].password_source = Some([7; 32]);
    ok[1].groups = vec!["b".into(), "a".into()];
    let made = u.create_users(&acme(), &ok, 40).await.unwrap();
    let view = u.import_view(&acme(), &[made[1].id.clone(), alice.id.clone()]).await.unwrap();
    assert_eq!(view[&made[1].id].groups, ["a", "b"]);
    assert_eq!(view[&made[1].id].password_source, Some([7; 32]));
    assert_eq!(view[&alice.id].password_source, None);
    assert!(u.import_view(&other(), &[made[1].id.clone()]).await.unwrap().is_empty());
    u.refresh_statistics().await.unwrap();

    // Activation replaces every password, live or retired.
    s.credentials.set_password(&acme(), &alice.id, "$h2", 5, 50).await.unwrap();
    u.activate_registration(&acme(), &stored, "$first", 60).await.unwrap();
    assert_eq!(s.credentials.password_hashes(&acme(), &alice.id).await.unwrap(), ["$first"]);

    // Erasure: once, only past the deadline, only in its tenant and pool.
    let mut gone = u.get(&acme(), &made[1].id).await.unwrap().unwrap();
    gone.status = UserStatus::Deleted;
    gone.deleted_at = Some(100);
    gone.email = Some("gone@example.com".into());
    u.update_user(&acme(), &gone, 100).await.unwrap();
    assert_eq!(u.purge_deleted(&acme(), "customers", 99).await.unwrap(), 0);
    assert_eq!(u.purge_deleted(&other(), "customers", 200).await.unwrap(), 0);
    assert_eq!(u.purge_deleted(&acme(), "customers", 200).await.unwrap(), 1);
    assert_eq!(u.purge_deleted(&acme(), "customers", 200).await.unwrap(), 0, "idempotent");
    let erased = u.get(&acme(), &gone.id).await.unwrap().unwrap();
    assert_eq!(erased.username, format!("deleted-{}", gone.id));
    assert!(erased.email.is_none() && erased.claims.is_empty());
    assert!(s.credentials.password_hashes(&acme(), &gone.id).await.unwrap().is_empty());
    assert!(s.groups.user_groups(&acme(), &gone.id).await.unwrap().is_empty());
}

/// `replace_set`: the whole set at once, replacing live and retired ones, tenant-bound.
pub(crate) async fn credential_sets(s: &Stores) {
    let c = &s.credentials;
    let alice = s.users.create_user(&acme(), &new_user(&acme(), "customers", "alice", None), 1).await.unwrap();
    let k = CredentialKind::RECOVERY_CODE;
    let set = |p: &str| (0..10).map(|i| format!("{p}{i}")).collect::<Vec<String>>();
    c.replace_set(&acme(), &alice.id, k, &set("a"), 5).await.unwrap();
    assert_eq!(c.list(&acme(), &alice.id, k).await.unwrap().len(), 10);
    assert!(c.consume(&acme(), &alice.id, k, "a3").await.unwrap());
    c.replace_set(&acme(), &alice.id, k, &set("b"), 6).await.unwrap();
    let mut now: Vec<String> = c.list(&acme(), &alice.id, k).await.unwrap().into_iter().map(|c| c.secret).collect();
    now.sort();
    assert_eq!(now, set("b"), "the old set is gone entirely");
    assert!(c.list(&acme(), &alice.id, CredentialKind::PASSWORD).await.unwrap().is_empty(), "other kinds untouched");
    assert!(c.replace_set(&other(), &alice.id, k, &set("x"), 7).await.is_err(), "another tenant's user is unknown");
    // Concurrent sets: one of them, whole.
    let (x, y, t) = (set("x"), set("y"), acme());
    let (r1, r2) = tokio::join!(c.replace_set(&t, &alice.id, k, &x, 8), c.replace_set(&t, &alice.id, k, &y, 8));
    r1.unwrap();
    r2.unwrap();
    let mut after: Vec<String> = c.list(&acme(), &alice.id, k).await.unwrap().into_iter().map(|c| c.secret).collect();
    after.sort();
    assert!(after == x || after == y, "{after:?}");
}

pub(crate) async fn credentials(s: &Stores) {
    let c = &s.credentials;
    let alice = s.users.create_user(&acme(), &new_user(&acme(), "customers", "alice", None), 1).await.unwrap();
    let twin = s.users.create_user(&other(), &new_user(&other(), "customers", "alice", None), 1).await.unwrap();
    let pw = |secret: &'static str| NewCredential { user_id: &alice.id, kind: CredentialKind::PASSWORD, secret, source_sha256: None };
    assert!(c.list(&acme(), &alice.id, CredentialKind::PASSWORD).await.unwrap().is_empty());
    assert!(c.held(&acme(), &alice.id).await.unwrap().is_empty());

    // History: the live one first, then the retired ones, most recent first, `keep` deep.
    for (i, h) in ["$1", "$2", "$3", "$4"].into_iter().enumerate() {
        c.add(&acme(), pw(h), Replace::Retire { keep: 2 }, 10 + i as i64).await.unwrap();
    }
    assert_eq!(c.password_hashes(&acme(), &alice.id).await.unwrap(), ["$4", "$3", "$2"]);
    let listed = c.list(&acme(), &alice.id, CredentialKind::PASSWORD).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.retired).collect::<Vec<_>>(), [false, true, true]);
    // Several changes within one second: the live one is the last, the depth holds.
    c.set_password(&acme(), &alice.id, "$5", 2, 13).await.unwrap();
    c.set_password(&acme(), &alice.id, "$6", 2, 13).await.unwrap();
    let mut hashes = c.password_hashes(&acme(), &alice.id).await.unwrap();
    assert_eq!(hashes.remove(0), "$6");
    hashes.sort();
    assert_eq!(hashes, ["$4", "$5"]);
    c.set_password(&acme(), &alice.id, "$7", 0, 14).await.unwrap();
    assert_eq!(c.password_hashes(&acme(), &alice.id).await.unwrap(), ["$7"], "no history kept at depth 0");

    // An import replaces the live password, keeps the history and the source digest.
    c.set_password(&acme(), &alice.id, "$8", 3, 15).await.unwrap();
    c.import_password(&acme(), &alice.id, "$imp", Some([9; 32]), 16).await.unwrap();
    let listed = c.list(&acme(), &alice.id, CredentialKind::PASSWORD).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.secret.as_str()).collect::<Vec<_>>(), ["$imp", "$7"]);
    assert_eq!(listed[0].source_sha256, Some([9; 32]));

    // An upgrade happens only if the old hash is still the live one.
    assert!(c.touch(&acme(), &alice.id, CredentialKind::PASSWORD, "$imp", Some("$argon"), 17).await.unwrap());
    assert!(!c.touch(&acme(), &alice.id, CredentialKind::PASSWORD, "$imp", Some("$other"), 18).await.unwrap());
    assert!(!c.touch(&acme(), &alice.id, CredentialKind::PASSWORD, "$7", Some("$other"), 18).await.unwrap(), "history is never upgraded");
    let live = &c.list(&acme(), &alice.id, CredentialKind::PASSWORD).await.unwrap()[0];
    assert_eq!((live.secret.as_str(), live.updated_at, live.source_sha256), ("$argon", 17, Some([9; 32])));
    c.upgrade_password(&acme(), &alice.id, "$stale", "$x", 19).await.unwrap();
    assert_eq!(c.password_hashes(&acme(), &alice.id).await.unwrap()[0], "$argon");

    // Replace::All leaves one; Replace::Nothing adds beside.
    c.add(&acme(), pw("$only"), Replace::All, 20).await.unwrap();
    assert_eq!(c.password_hashes(&acme(), &alice.id).await.unwrap(), ["$only"]);
    let extra = c.add(&acme(), pw("$code"), Replace::Nothing, 21).await.unwrap();
    assert_eq!(c.list(&acme(), &alice.id, CredentialKind::PASSWORD).await.unwrap().len(), 2);

    // Consume-once, also under concurrency.
    let t = acme();
    let (a, b) = tokio::join!(c.consume(&t, &alice.id, CredentialKind::PASSWORD, "$code"), c.consume(&t, &alice.id, CredentialKind::PASSWORD, "$code"));
    assert_eq!([a.unwrap(), b.unwrap()].iter().filter(|x| **x).count(), 1);
    assert!(!c.consume(&acme(), &alice.id, CredentialKind::PASSWORD, "$code").await.unwrap());
    assert!(!c.remove(&acme(), &alice.id, &extra.id).await.unwrap(), "consumed already");

    // Held kinds: live ones only, each once.
    let totp = NewCredential { user_id: &alice.id, kind: CredentialKind::TOTP, secret: "{}", source_sha256: None };
    c.add(&acme(), totp, Replace::All, 22).await.unwrap();
    assert_eq!(c.held(&acme(), &alice.id).await.unwrap(), [CredentialKind::PASSWORD, CredentialKind::TOTP]);
    assert!(c.held(&other(), &alice.id).await.unwrap().is_empty(), "another tenant sees none");
    let t = c.list(&acme(), &alice.id, CredentialKind::TOTP).await.unwrap().remove(0);
    assert!(c.remove(&acme(), &alice.id, &t.id).await.unwrap());
    assert_eq!(c.held(&acme(), &alice.id).await.unwrap(), [CredentialKind::PASSWORD]);

    // Tenant isolation: another tenant neither sees nor changes them.
    let only = c.list(&acme(), &alice.id, CredentialKind::PASSWORD).await.unwrap().remove(0);
    assert!(c.list(&other(), &alice.id, CredentialKind::PASSWORD).await.unwrap().is_empty());
    assert!(c.add(&other(), pw("$evil"), Replace::All, 30).await.is_err());
    assert!(!c.touch(&other(), &alice.id, CredentialKind::PASSWORD, "$only", Some("$evil"), 30).await.unwrap());
    assert!(!c.consume(&other(), &alice.id, CredentialKind::PASSWORD, "$only").await.unwrap());
    assert!(!c.remove(&other(), &alice.id, &only.id).await.unwrap());
    assert_eq!(c.password_hashes(&acme(), &alice.id).await.unwrap(), ["$only"]);
    assert!(c.password_hashes(&other(), &twin.id).await.unwrap().is_empty());

    assert!(c.remove(&acme(), &alice.id, &only.id).await.unwrap());
    assert!(!c.remove(&acme(), &alice.id, &only.id).await.unwrap());
    assert!(s.users.find_for_login(&acme(), &["customers".into()], "alice").await.unwrap().unwrap().1.is_none());
}

pub(crate) async fn pools(s: &Stores) {
    let ids = |p: Vec<Pool>| p.into_iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(ids(s.pools.pools(&acme()).await.unwrap()), ["customers", "staff"]);
    let staff = s.pools.pool(&acme(), "staff").await.unwrap().unwrap();
    assert_eq!((staff.tenant_id.as_str(), staff.settings.payload_schema.as_str()), ("acme", "staff-payload"));
    assert!(s.pools.pool(&acme(), "nope").await.unwrap().is_none());
    assert!(s.pools.pools(&TenantId::new("nobody")).await.unwrap().is_empty());
    assert_eq!(s.pools.pool(&other(), "staff").await.unwrap().unwrap().tenant_id, other());
}

pub(crate) async fn groups(s: &Stores) {
    let g = &s.groups;
    let group = |id: &str| Group { pool_id: "customers".into(), id: id.into(), name: id.to_uppercase() };
    assert!(g.create_group(&acme(), &group("b")).await.unwrap());
    assert!(g.create_group(&acme(), &group("a")).await.unwrap());
    assert!(!g.create_group(&acme(), &group("a")).await.unwrap(), "exists already");
    assert_eq!(g.groups(&acme(), "customers").await.unwrap(), [group("a"), group("b")]);
    assert!(g.groups(&other(), "customers").await.unwrap().is_empty());
    assert!(g.groups(&acme(), "staff").await.unwrap().is_empty());
    // Its dynamic privilege comes with it.
    let privileges = s.privileges.privileges(&acme()).await.unwrap();
    assert_eq!(privileges, [group_privilege("customers", "a", "A"), group_privilege("customers", "b", "B")]);
    assert!(s.privileges.privileges(&other()).await.unwrap().is_empty());

    let (t, t2) = (acme(), other());
    g.set_member(&t, "customers", "b", "u1", true).await.unwrap();
    g.set_member(&t, "customers", "a", "u1", true).await.unwrap();
    g.set_member(&t, "customers", "a", "u1", true).await.unwrap();
    assert_eq!(g.user_groups(&t, "u1").await.unwrap(), ["a", "b"]);
    assert!(g.user_groups(&t2, "u1").await.unwrap().is_empty());
    g.set_member(&t, "customers", "b", "u1", false).await.unwrap();
    assert_eq!(g.user_groups(&t, "u1").await.unwrap(), ["a"]);
    g.set_groups(&t, "customers", "u1", &["b".into()]).await.unwrap();
    assert_eq!(g.user_groups(&t, "u1").await.unwrap(), ["b"]);
    g.set_groups(&t2, "customers", "u1", &[]).await.unwrap();
    assert_eq!(g.user_groups(&t, "u1").await.unwrap(), ["b"], "another tenant's write changes nothing here");

    // Deleting takes members, the privilege, its holders and what the group held.
    let p = group_privilege("customers", "b", "B").id;
    s.privileges.set_holder(&t, &p, "user:u2", true).await.unwrap();
    s.privileges.set_holder(&t, "tenant_admin", &group_holder("customers", "b"), true).await.unwrap();
    assert!(!g.delete_group(&t2, "customers", "b").await.unwrap());
    assert!(g.delete_group(&t, "customers", "b").await.unwrap());
    assert!(!g.delete_group(&t, "customers", "b").await.unwrap());
    assert!(g.user_groups(&t, "u1").await.unwrap().is_empty());
    assert!(s.privileges.holdings(&t).await.unwrap().is_empty());
    assert_eq!(s.privileges.privileges(&t).await.unwrap(), [group_privilege("customers", "a", "A")]);
}

pub(crate) async fn privileges(s: &Stores) {
    let p = &s.privileges;
    let t = acme();
    p.set_holder(&t, "tenant_admin", "user:b", true).await.unwrap();
    p.set_holder(&t, "tenant_admin", "user:a", true).await.unwrap();
    p.set_holder(&t, "tenant_admin", "user:a", true).await.unwrap();
    p.set_holder(&t, "user_admin", "user:a", true).await.unwrap();
    assert_eq!(p.holders(&t, "tenant_admin").await.unwrap(), ["user:a", "user:b"]);
    let mut holdings = p.holdings(&t).await.unwrap();
    holdings.sort();
    assert_eq!(holdings.len(), 3);
    assert_eq!(p.privileges_of(&t, &["user:a".into(), "user:b".into()]).await.unwrap(), ["tenant_admin", "user_admin"]);
    assert!(p.privileges_of(&t, &["user:c".into()]).await.unwrap().is_empty());
    assert!(p.holders(&other(), "tenant_admin").await.unwrap().is_empty());
    assert!(p.holdings(&other()).await.unwrap().is_empty());
    assert!(p.privileges_of(&other(), &["user:a".into()]).await.unwrap().is_empty());
    p.set_holder(&other(), "tenant_admin", "user:a", false).await.unwrap();
    p.set_holder(&t, "tenant_admin", "user:a", false).await.unwrap();
    p.set_holder(&t, "tenant_admin", "user:a", false).await.unwrap();
    assert_eq!(p.holders(&t, "tenant_admin").await.unwrap(), ["user:b"]);
}

pub(crate) async fn schemas(s: &Stores) {
    let sc = &s.schemas;
    let body = serde_json::json!({ "type": "object" });
    assert!(!sc.put_schema(&acme(), "zeta", &body, 1).await.unwrap());
    assert!(!sc.put_schema(&acme(), "staff-payload", &body, 1).await.unwrap());
    let changed = serde_json::json!({ "type": "object", "title": "t" });
    assert!(sc.put_schema(&acme(), "zeta", &changed, 2).await.unwrap(), "existed");
    assert_eq!(sc.schema(&acme(), "zeta").await.unwrap(), Some(changed));
    assert_eq!(sc.schemas(&acme()).await.unwrap().into_iter().map(|s| s.0).collect::<Vec<_>>(), ["staff-payload", "zeta"]);
    assert!(sc.schemas(&other()).await.unwrap().is_empty());
    assert!(sc.schema(&other(), "zeta").await.unwrap().is_none());
    assert!(matches!(sc.delete_schema(&acme(), "staff-payload").await, Err(AppError::Conflict(_))), "a pool uses it");
    assert!(!sc.delete_schema(&other(), "zeta").await.unwrap());
    assert!(sc.delete_schema(&acme(), "zeta").await.unwrap());
    assert!(!sc.delete_schema(&acme(), "zeta").await.unwrap());
}

pub(crate) async fn directory(s: &Stores) {
    let d = &s.directory;
    let ws = d.workspace(&acme(), "shop").await.unwrap().unwrap();
    assert_eq!((ws.tenant_id.as_str(), ws.pools.as_slice()), ("acme", ["staff".to_string(), "customers".to_string()].as_slice()));
    assert!(d.workspace(&acme(), "nope").await.unwrap().is_none());
    assert!(d.workspace(&TenantId::new("nobody"), "shop").await.unwrap().is_none());
    assert_eq!(d.tenants().await.unwrap().into_iter().map(|t| t.0).collect::<Vec<_>>(), [acme(), other()]);
    assert!(d.tenant(&acme()).await.unwrap().is_some());
    assert!(d.tenant(&TenantId::new("nobody")).await.unwrap().is_none());
    assert_eq!(d.workspaces(&other()).await.unwrap(), [("shop".to_string(), "shop".to_string(), vec!["staff".to_string(), "customers".to_string()])]);
    assert!(d.workspaces(&TenantId::new("nobody")).await.unwrap().is_empty());
}

pub(crate) async fn clients(s: &Stores) {
    let c = &s.clients;
    assert_eq!(c.get(&acme(), "shop", "web").await.unwrap().unwrap().tenant_id, acme());
    assert!(c.get(&acme(), "other", "web").await.unwrap().is_none());
    assert_eq!(c.clients(&acme(), "shop").await.unwrap().into_iter().map(|c| c.client_id).collect::<Vec<_>>(), ["api", "web"]);
    assert_eq!(c.workspace_origins(&acme(), "shop").await.unwrap(), ["https://a.example", "https://b.example"]);
    s.privileges.set_holder(&acme(), "tenant_admin", &client_holder("shop", "web"), true).await.unwrap();
    s.privileges.set_holder(&other(), "tenant_admin", &client_holder("shop", "web"), true).await.unwrap();
    assert!(c.delete_client(&acme(), "shop", "web").await.unwrap());
    assert!(!c.delete_client(&acme(), "shop", "web").await.unwrap());
    assert!(c.get(&acme(), "shop", "web").await.unwrap().is_none());
    assert!(s.privileges.holdings(&acme()).await.unwrap().is_empty(), "its privileges went with it");
    // The namesake in another tenant is untouched.
    assert!(c.get(&other(), "shop", "web").await.unwrap().is_some());
    assert_eq!(s.privileges.holdings(&other()).await.unwrap().len(), 1);
}

pub(crate) async fn consents(s: &Stores) {
    let c = &s.consents;
    let (t, t2) = (acme(), other());
    assert!(c.granted(&t, "shop", "u1", "web").await.unwrap().is_empty());
    c.remember(&t, "shop", "u1", "web", &["openid".into(), "email".into()], 1).await.unwrap();
    c.remember(&t, "shop", "u1", "web", &["openid".into()], 2).await.unwrap();
    c.remember(&t, "shop", "u1", "api", &["openid".into(), "profile".into()], 3).await.unwrap();
    assert_eq!(c.granted(&t, "shop", "u1", "web").await.unwrap(), ["openid"]);
    assert!(c.granted(&t2, "shop", "u1", "web").await.unwrap().is_empty());
    let listed = c.consents(&t, "u1").await.unwrap();
    assert_eq!(listed.iter().map(|c| c.client_id.as_str()).collect::<Vec<_>>(), ["api", "web"]);
    assert_eq!((listed[0].scopes.as_slice(), listed[0].updated_at), (["openid".to_string(), "profile".to_string()].as_slice(), 3));
    assert!(c.consents(&t2, "u1").await.unwrap().is_empty());
    assert!(!c.revoke(&t2, "shop", "u1", "web").await.unwrap());
    assert!(c.revoke(&t, "shop", "u1", "web").await.unwrap());
    assert!(!c.revoke(&t, "shop", "u1", "web").await.unwrap());
    assert!(c.granted(&t, "shop", "u1", "web").await.unwrap().is_empty());
    assert_eq!(c.consents(&t, "u1").await.unwrap().len(), 1);
}

pub(crate) async fn audit(s: &Stores) {
    let event = |tenant: TenantId, action: &str| AuditEvent { tenant_id: tenant, actor: "t".into(), action: action.into(), subject: "s".into(), detail: serde_json::json!({ "n": action }) };
    for (i, action) in ["a", "b", "c", "d"].into_iter().enumerate() {
        s.audit.record(event(acme(), action), 10 + (i as i64 / 2)).await.unwrap();
    }
    s.audit.record(event(other(), "x"), 10).await.unwrap();
    let all = s.audit.audit_events(&acme(), None, 100).await.unwrap();
    assert_eq!(all.len(), 4);
    assert!(all.windows(2).all(|w| (w[0].at, &w[0].id) > (w[1].at, &w[1].id)), "newest first, then by id");
    assert_eq!(all[0].at, 11);
    let page = s.audit.audit_events(&acme(), None, 2).await.unwrap();
    let last = page.last().unwrap();
    let rest = s.audit.audit_events(&acme(), Some((last.at, last.id.clone())), 100).await.unwrap();
    assert_eq!(page.iter().chain(&rest).map(|e| &e.id).collect::<Vec<_>>(), all.iter().map(|e| &e.id).collect::<Vec<_>>());
    assert_eq!(s.audit.audit_events(&other(), None, 100).await.unwrap().len(), 1);
    assert!(s.audit.audit_events(&TenantId::new("nobody"), None, 100).await.unwrap().is_empty());
}

pub(crate) async fn grants(s: &Stores) {
    use crate::crypto::digest;
    let g = &s.grants;
    let grant = Grant {
        id: "g1".into(),
        tenant_id: acme(),
        workspace_id: "shop".into(),
        client_id: "web".into(),
        user_id: "u1".into(),
        scope: "openid".into(),
        sid: "s".into(),
        auth_time: 100,
        acr: "a".into(),
        amr: vec!["pwd".into()],
        created_at: 100,
        revoked_at: None,
    };
    let (r1, r2, r3) = (digest("r1"), digest("r2"), digest("r3"));
    g.create(&grant, Some((r1, 1000))).await.unwrap();
    assert!(matches!(g.rotate(r1, r2, 1000, 101).await.unwrap(), RefreshOutcome::Rotated(_)));
    assert!(g.find_by_refresh(r1, 101).await.unwrap().is_none());
    assert_eq!(g.find_by_refresh(r2, 101).await.unwrap().unwrap().id, "g1");
    // A spent token presented again revokes the family.
    assert!(matches!(g.rotate(r1, r3, 1000, 102).await.unwrap(), RefreshOutcome::Reused { .. }));
    assert!(matches!(g.rotate(r2, r3, 1000, 103).await.unwrap(), RefreshOutcome::Invalid));
    assert!(g.get("g1").await.unwrap().unwrap().revoked_at.is_some());
    assert!(matches!(g.rotate(digest("unknown"), r3, 1000, 103).await.unwrap(), RefreshOutcome::Invalid));
    // Expiry.
    g.create(&Grant { id: "g2".into(), ..grant.clone() }, Some((digest("x"), 200))).await.unwrap();
    assert!(matches!(g.rotate(digest("x"), digest("y"), 1000, 200).await.unwrap(), RefreshOutcome::Invalid));
    // The denylist and the grant behind a user token, in one question.
    assert!(g.access_token_live("j1", None).await.unwrap());
    g.revoke_access_token("j1", 500).await.unwrap();
    g.revoke_access_token("j1", 500).await.unwrap();
    assert!(!g.access_token_live("j1", None).await.unwrap());
    assert!(g.access_token_live("j2", Some("g2")).await.unwrap());
    assert!(!g.access_token_live("j2", Some("g1")).await.unwrap());
    assert!(!g.access_token_live("j2", Some("g9")).await.unwrap());
    // Revoking a user's grants stays in the tenant.
    g.create(&Grant { id: "g3".into(), tenant_id: other(), ..grant.clone() }, None).await.unwrap();
    assert_eq!(g.revoke_user(&acme(), "u1", 300).await.unwrap(), 1);
    assert_eq!(g.revoke_user(&acme(), "u1", 300).await.unwrap(), 0);
    assert!(g.get("g3").await.unwrap().unwrap().revoked_at.is_none());
    g.revoke_family("g3", 301).await.unwrap();
    assert_eq!(g.get("g3").await.unwrap().unwrap().revoked_at, Some(301));
    // Purge: expired denylist entries go.
    g.revoke_access_token("j-old", 5).await.unwrap();
    assert!(s.housekeeping.purge_expired(600).await.unwrap() >= 2);
    assert!(g.access_token_live("j1", None).await.unwrap());
}

pub(crate) async fn keys(s: &Stores) {
    // The store keeps keys as text; what the PEM holds is the key ring's business.
    let key = |kid: &str, alg, at| StoredKey { kid: kid.into(), alg, private_pem: format!("pem of {kid}"), created_at: at, retired_at: None };
    s.keys.rotate(vec![key("e1", SigningAlg::ES256, 1), key("r1", SigningAlg::RS256, 1)], 1).await.unwrap();
    s.keys.rotate(vec![key("e2", SigningAlg::ES256, 2)], 2).await.unwrap();
    let keys = s.keys.all().await.unwrap();
    assert_eq!(keys.iter().map(|k| k.kid.as_str()).collect::<Vec<_>>(), ["e2", "r1", "e1"], "newest first, then by kid");
    let retired = |kid: &str| keys.iter().find(|k| k.kid == kid).unwrap().retired_at;
    // Each rotation retires the previous signing key of its algorithm only.
    assert_eq!((retired("e1"), retired("e2"), retired("r1")), (Some(2), None, None));
    assert_eq!(keys[0].private_pem, "pem of e2");
}

pub(crate) async fn counters(s: &Stores) {
    s.health.ping().await.unwrap();
    let c = &s.counters;
    assert_eq!(c.count("k", 1000).await.unwrap(), 0);
    assert_eq!(c.hit("k", 60, 1000).await.unwrap(), 1);
    assert_eq!(c.hit("k", 60, 1030).await.unwrap(), 2);
    assert_eq!(c.count("k", 1059).await.unwrap(), 2);
    // The window began at the first hit and is not extended by later ones.
    assert_eq!(c.count("k", 1060).await.unwrap(), 0);
    assert_eq!(c.hit("k", 60, 1060).await.unwrap(), 1);
    c.clear("k").await.unwrap();
    assert_eq!(c.count("k", 1061).await.unwrap(), 0);
    assert!(c.hit(&"x".repeat(MAX_COUNTER_KEY + 1), 60, 1000).await.is_err());
    assert_eq!(c.hit(&"x".repeat(MAX_COUNTER_KEY), 60, 1000).await.unwrap(), 1);
    // Concurrent hits each get their own count.
    let mut hits = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let c = c.clone();
        hits.spawn(async move { c.hit("burst", 60, 2000).await.unwrap() });
    }
    let mut seen = hits.join_all().await;
    seen.sort_unstable();
    assert_eq!(seen, (1..=20).collect::<Vec<u64>>());
    c.hit("old", 10, 0).await.unwrap();
    assert!(s.housekeeping.purge_expired(100).await.unwrap() >= 1);
    assert_eq!(c.hit("old", 10_000, 1).await.unwrap(), 1, "the expired counter was deleted");
    assert_eq!(c.count("burst", 2001).await.unwrap(), 20);
}

/// What `other` holds, to show that a batch for `acme` changes none of it.
async fn snapshot(s: &Stores, t: &TenantId) -> String {
    let users = s.users.search_users(t, "customers", &UserQuery { limit: 100, ..Default::default() }).await.unwrap();
    let clients = s.clients.clients(t, "shop").await.unwrap();
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
        s.directory.tenant(t).await.unwrap(),
        s.directory.workspaces(t).await.unwrap(),
        s.pools.pools(t).await.unwrap().into_iter().map(|p| (p.id, p.name, p.settings.self_registration)).collect::<Vec<_>>(),
        s.groups.groups(t, "customers").await.unwrap(),
        users.iter().map(|u| (&u.id, &u.username, &u.email, u.updated_at)).collect::<Vec<_>>(),
        clients.iter().map(|c| (&c.client_id, &c.name)).collect::<Vec<_>>(),
        s.schemas.schemas(t).await.unwrap(),
        { let mut h = s.privileges.holdings(t).await.unwrap(); h.sort(); h },
        s.audit.audit_events(t, None, 100).await.unwrap().len(),
    )
}

/// `DirectoryStore::apply` (typed write batches, what provisioning runs): upserts by key,
/// counts as the batch labels, idempotent, `replace: false` keeps stored rows, all or none,
/// one tenant only, the audit event recorded at the batch's time.
pub(crate) async fn apply(s: &Stores) {
    use crate::storage::write::{Batch, Holder, Write};
    let t = acme;
    // A namesake of acme's user in the other tenant: grants to `alice` resolve in their tenant.
    let twin = s.users.create_user(&other(), &new_user(&other(), "customers", "alice", Some("alice@example.com")), 1).await.unwrap();
    s.users.create_user(&other(), &new_user(&other(), "customers", "carol", None), 1).await.unwrap();
    let before_other = snapshot(s, &other()).await;

    let mut alice = new_user(&t(), "customers", "alice", Some("alice@example.com"));
    alice.password_hash = Some("$p1".into());
    alice.groups = vec!["premium".into()];
    let web = Client { name: "Web 2".into(), ..client(&t(), "web", vec!["https://b.example/cb".into()], vec![]) };
    let mut b = Batch { now: 100, writes: vec![] };
    // `replace: false` (what `Plan::keep_stored` sets): stored rows are kept, missing ones created.
    b.push(Some("tenant"), Write::Tenant { id: t(), name: "ACME (partial)".into(), levels: vec![], mail_from: None, replace: false });
    b.push(Some("schema"), Write::Schema { tenant: t(), id: "extra".into(), body: serde_json::json!({ "type": "object" }) });
    b.push(Some("pool"), Write::Pool { tenant: t(), id: "customers".into(), name: "Buyers".into(), self_registration: false, settings: PoolSettings::default() });
    b.push(Some("pool"), Write::Pool { tenant: t(), id: "vip".into(), name: "VIP".into(), self_registration: true, settings: PoolSettings::default() });
    b.push(Some("group"), Write::Group { tenant: t(), group: Group { pool_id: "customers".into(), id: "premium".into(), name: "Premium".into() } });
    b.push(Some("user"), Write::User(alice.clone()));
    b.push(Some("workspace"), Write::Workspace { tenant: t(), id: "shop".into(), name: "Renamed".into(), default_locale: None, links: None, pools: vec!["customers".into()], replace: false });
    b.push(Some("workspace"), Write::Workspace { tenant: t(), id: "admin".into(), name: "Admin".into(), default_locale: None, links: None, pools: vec!["staff".into()], replace: false });
    b.push(Some("client"), Write::Client(web));
    b.push(Some("client"), Write::Client(Client { client_id: "cli".into(), name: "cli".into(), ..client(&t(), "cli", vec!["http://127.0.0.1/cb".into()], vec![]) }));
    b.push(None, Write::Grant { tenant: t(), privilege: "tenant_admin".into(), holder: Holder::User { pool: "customers".into(), username: "alice".into() } });
    b.push(None, Write::Grant { tenant: t(), privilege: "user_admin".into(), holder: Holder::Id(client_holder("shop", "cli")) });
    let event = AuditEvent { tenant_id: t(), actor: "provision".into(), action: "tenant.provision".into(), subject: "acme".into(), detail: serde_json::json!({ "file": "acme.yaml" }) };
    b.push(None, Write::Audit(event.clone()));

    // Counts: a labelled write is created when its key was new, updated otherwise; unlabelled ones are not counted.
    let counts = |m: &std::collections::BTreeMap<&'static str, usize>| m.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>();
    let first = s.directory.apply(&b).await.unwrap();
    assert_eq!(counts(&first.created), [("client", 1), ("group", 1), ("pool", 1), ("schema", 1), ("user", 1), ("workspace", 1)], "{first}");
    assert_eq!(counts(&first.updated), [("client", 1), ("pool", 1), ("tenant", 1), ("workspace", 1)], "{first}");

    // What the batch wrote.
    let stored = s.users.find_user(&t(), "customers", Lookup::Username, "alice").await.unwrap().unwrap();
    assert_eq!((stored.created_at, stored.email.as_deref(), stored.email_verified), (100, Some("alice@example.com"), true));
    assert_eq!(s.groups.user_groups(&t(), &stored.id).await.unwrap(), ["premium"]);
    assert_eq!(s.credentials.password_hashes(&t(), &stored.id).await.unwrap(), ["$p1"]);
    assert_eq!(s.privileges.privileges_of(&t(), &[user_holder(&stored.id)]).await.unwrap(), ["tenant_admin"]);
    assert_eq!(s.privileges.privileges_of(&t(), &[client_holder("shop", "cli")]).await.unwrap(), ["user_admin"]);
    assert!(s.privileges.privileges(&t()).await.unwrap().contains(&group_privilege("customers", "premium", "Premium")), "the group's privilege");
    assert_eq!(s.pools.pool(&t(), "customers").await.unwrap().unwrap().name, "Buyers");
    assert!(s.pools.pool(&t(), "vip").await.unwrap().unwrap().settings.self_registration, "the write's field, over the settings' copy");
    assert_eq!(s.schemas.schema(&t(), "extra").await.unwrap(), Some(serde_json::json!({ "type": "object" })));
    assert_eq!(s.clients.get(&t(), "shop", "web").await.unwrap().unwrap().name, "Web 2");
    assert_eq!(s.clients.clients(&t(), "shop").await.unwrap().into_iter().map(|c| c.client_id).collect::<Vec<_>>(), ["api", "cli", "web"]);
    // Kept as stored: the tenant's name, the workspace's name and pools; the missing workspace was created.
    assert_eq!(s.directory.tenant(&t()).await.unwrap().unwrap(), "acme");
    let mut workspaces = s.directory.workspaces(&t()).await.unwrap();
    workspaces.sort();
    assert_eq!(workspaces, [("admin".to_string(), "Admin".to_string(), vec!["staff".to_string()]), ("shop".into(), "shop".into(), vec!["staff".into(), "customers".into()])]);
    // The audit event, at the batch's time.
    let audit = s.audit.audit_events(&t(), None, 100).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!((audit[0].at, audit[0].actor.as_str(), audit[0].action.as_str(), audit[0].subject.as_str()), (100, "provision", "tenant.provision", "acme"));
    assert_eq!(audit[0].detail, event.detail);

    // Re-applying the same batch creates nothing: every labelled write counts as updated,
    // the objects are the same ones (same user id), only a second audit event is recorded.
    let users_before = s.users.search_users(&t(), "customers", &UserQuery { limit: 100, ..Default::default() }).await.unwrap().len();
    let holdings_before = s.privileges.holdings(&t()).await.unwrap().len();
    let again = Batch { now: 200, ..b.clone() };
    let second = s.directory.apply(&again).await.unwrap();
    assert!(second.created.is_empty(), "{second}");
    assert_eq!(counts(&second.updated), [("client", 2), ("group", 1), ("pool", 2), ("schema", 1), ("tenant", 1), ("user", 1), ("workspace", 2)], "{second}");
    assert_eq!(s.users.find_user(&t(), "customers", Lookup::Username, "alice").await.unwrap().unwrap().id, stored.id);
    assert_eq!(s.users.search_users(&t(), "customers", &UserQuery { limit: 100, ..Default::default() }).await.unwrap().len(), users_before);
    assert_eq!(s.privileges.holdings(&t()).await.unwrap().len(), holdings_before);
    assert_eq!(s.groups.groups(&t(), "customers").await.unwrap().len(), 1);
    assert_eq!(s.clients.clients(&t(), "shop").await.unwrap().len(), 3);
    assert_eq!(s.audit.audit_events(&t(), None, 100).await.unwrap().len(), 2);
    assert_eq!(s.users.get(&t(), &stored.id).await.unwrap().unwrap().updated_at, 200);

    // `replace: true` does overwrite.
    let mut full = Batch { now: 300, writes: vec![] };
    let bank = crate::model::AssuranceLevel { id: "bank".into(), acr: "urn:acme:loa:bank".into(), reached_by: vec![vec!["password".into(), "totp".into()], vec!["webauthn".into()]] };
    full.push(Some("tenant"), Write::Tenant { id: t(), name: "ACME".into(), levels: vec![bank.clone()], mail_from: None, replace: true });
    full.push(Some("workspace"), Write::Workspace { tenant: t(), id: "shop".into(), name: "Shop".into(), default_locale: None, links: None, pools: vec!["customers".into()], replace: true });
    assert_eq!(counts(&s.directory.apply(&full).await.unwrap().updated), [("tenant", 1), ("workspace", 1)]);
    assert_eq!(s.directory.tenant(&t()).await.unwrap().unwrap(), "ACME");
    let shop = s.directory.workspace(&t(), "shop").await.unwrap().unwrap();
    assert_eq!(shop.pools, ["customers"]);
    // The tenant's levels of assurance come back with each of its workspaces.
    assert_eq!(shop.levels, std::slice::from_ref(&bank));
    assert_eq!(s.directory.levels(&t()).await.unwrap(), std::slice::from_ref(&bank));
    assert!(s.directory.levels(&other()).await.unwrap().is_empty(), "another tenant's levels");
    assert!(s.directory.workspace(&other(), "shop").await.unwrap().is_none_or(|w| w.levels.is_empty()));
    // `replace: false` keeps them.
    let mut partial = Batch { now: 305, writes: vec![] };
    partial.push(Some("tenant"), Write::Tenant { id: t(), name: "ACME".into(), levels: vec![], mail_from: None, replace: false });
    s.directory.apply(&partial).await.unwrap();
    assert_eq!(s.directory.levels(&t()).await.unwrap(), std::slice::from_ref(&bank));

    // A user write replaces the live password (the history stays) or, without a hash,
    // keeps the stored one.
    s.credentials.set_password(&t(), &stored.id, "$p2", 5, 310).await.unwrap();
    let mut pw = Batch { now: 320, writes: vec![] };
    pw.push(Some("user"), Write::User(NewUser { password_hash: Some("$p3".into()), ..alice.clone() }));
    s.directory.apply(&pw).await.unwrap();
    assert_eq!(s.credentials.password_hashes(&t(), &stored.id).await.unwrap(), ["$p3", "$p1"]);
    let mut keep = Batch { now: 330, writes: vec![] };
    keep.push(Some("user"), Write::User(NewUser { password_hash: None, groups: vec![], ..alice.clone() }));
    s.directory.apply(&keep).await.unwrap();
    assert_eq!(s.credentials.password_hashes(&t(), &stored.id).await.unwrap(), ["$p3", "$p1"]);
    assert!(s.groups.user_groups(&t(), &stored.id).await.unwrap().is_empty(), "memberships are replaced");
    // All or none: the last write fails (a grant to a user that exists only in the other
    // tenant), so nothing of the batch is left, neither what it created nor what it updated.
    let before_acme = snapshot(s, &t()).await;
    let alice_before = s.users.get(&t(), &stored.id).await.unwrap().unwrap();
    let mut bad = Batch { now: 400, writes: vec![] };
    bad.push(Some("tenant"), Write::Tenant { id: TenantId::new("fresh"), name: "Fresh".into(), levels: vec![], mail_from: None, replace: true });
    bad.push(Some("tenant"), Write::Tenant { id: t(), name: "Rolled back".into(), levels: vec![], mail_from: None, replace: true });
    bad.push(Some("pool"), Write::Pool { tenant: t(), id: "customers".into(), name: "Rolled back".into(), self_registration: false, settings: PoolSettings::default() });
    bad.push(Some("pool"), Write::Pool { tenant: t(), id: "temp".into(), name: "Temp".into(), self_registration: false, settings: PoolSettings::default() });
    bad.push(Some("group"), Write::Group { tenant: t(), group: Group { pool_id: "customers".into(), id: "temp".into(), name: "Temp".into() } });
    bad.push(Some("user"), Write::User(NewUser { status: UserStatus::Inactive, password_hash: Some("$rolled".into()), groups: vec!["temp".into()], ..alice.clone() }));
    bad.push(Some("user"), Write::User(new_user(&t(), "customers", "bob", Some("bob@example.com"))));
    bad.push(Some("schema"), Write::Schema { tenant: t(), id: "extra".into(), body: serde_json::json!({ "type": "string" }) });
    bad.push(Some("client"), Write::Client(Client { name: "Rolled back".into(), ..client(&t(), "web", vec![], vec![]) }));
    bad.push(None, Write::Grant { tenant: t(), privilege: "tenant_admin".into(), holder: Holder::Id("user:x".into()) });
    bad.push(None, Write::Audit(event.clone()));
    bad.push(None, Write::Grant { tenant: t(), privilege: "tenant_admin".into(), holder: Holder::User { pool: "customers".into(), username: "carol".into() } });
    assert!(s.directory.apply(&bad).await.is_err());
    assert!(s.directory.tenant(&TenantId::new("fresh")).await.unwrap().is_none());
    assert!(s.pools.pool(&t(), "temp").await.unwrap().is_none());
    assert!(s.users.find_user(&t(), "customers", Lookup::Username, "bob").await.unwrap().is_none());
    let alice_after = s.users.get(&t(), &stored.id).await.unwrap().unwrap();
    assert_eq!((alice_after.status, alice_after.updated_at), (alice_before.status, alice_before.updated_at));
    assert_eq!(s.credentials.password_hashes(&t(), &stored.id).await.unwrap(), ["$p3", "$p1"]);
    assert!(s.groups.user_groups(&t(), &stored.id).await.unwrap().is_empty());
    assert_eq!(snapshot(s, &t()).await, before_acme, "nothing of the failed batch");

    // Tenant isolation: nothing of `other` changed, and its `alice` was granted nothing.
    assert_eq!(snapshot(s, &other()).await, before_other);
    assert!(s.privileges.privileges_of(&other(), &[user_holder(&twin.id)]).await.unwrap().is_empty());
    assert!(s.directory.workspace(&other(), "admin").await.unwrap().is_none());

    // A password written with the digest of its imported source keeps that digest, as a
    // bulk import's does (a re-import compares it), for a created and an updated user.
    let mut sourced = Batch { now: 340, writes: vec![] };
    sourced.push(Some("user"), Write::User(NewUser { password_hash: Some("$p4".into()), password_source: Some([9; 32]), groups: vec![], ..alice.clone() }));
    sourced.push(Some("user"), Write::User(NewUser { password_hash: Some("$d1".into()), password_source: Some([8; 32]), ..new_user(&t(), "customers", "dora", Some("dora@example.com")) }));
    s.directory.apply(&sourced).await.unwrap();
    let dora = s.users.find_user(&t(), "customers", Lookup::Username, "dora").await.unwrap().unwrap();
    let view = s.users.import_view(&t(), &[stored.id.clone(), dora.id.clone()]).await.unwrap();
    assert_eq!((view[&stored.id].password_source, view[&dora.id].password_source), (Some([9; 32]), Some([8; 32])));

    // A workspace belongs to a tenant that exists.
    let mut orphan = Batch { now: 350, writes: vec![] };
    orphan.push(Some("workspace"), Write::Workspace { tenant: TenantId::new("nosuch"), id: "w".into(), name: "W".into(), default_locale: None, links: None, pools: vec![], replace: true });
    assert!(s.directory.apply(&orphan).await.is_err());
    assert!(s.directory.workspace(&TenantId::new("nosuch"), "w").await.unwrap().is_none());
}

/// `MemoryDb`, seeded.
pub(crate) struct Memory;

#[async_trait]
impl Backend for Memory {
    async fn fresh(&self) -> Stores {
        let db = Arc::new(crate::storage::memory::MemoryDb::new());
        for s in seed() {
            db.put_tenant(&s.tenant, s.tenant.as_str()).unwrap();
            for p in s.pools {
                db.put_pool(p).unwrap();
            }
            db.put_workspace(&s.tenant, s.workspace.0, s.workspace.0, s.workspace.1).unwrap();
            for c in s.clients {
                db.put_client(c).unwrap();
            }
        }
        Stores::of(db)
    }
}
