//! One suite for the SQL store, run against SQLite and PostgreSQL.
use super::*;
use crate::auth::password::Hasher;
use crate::storage::write::{Applied, Batch};

async fn sqlite() -> SqlStore {
    let dir = std::env::temp_dir().join(format!("portcullis-unit-{}", uuid::Uuid::new_v4().simple()));
    SqlStore::connect(&format!("sqlite://{}/db.sqlite?mode=rwc", dir.display())).await.unwrap()
}

async fn postgres() -> SqlStore {
    let base = std::env::var("PORTCULLIS_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = Database::connect(&base).await.expect("PostgreSQL for tests (scripts/test starts it)");
    let name = format!("pc_unit_{}", uuid::Uuid::new_v4().simple());
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
    let mut url = url::Url::parse(&base).unwrap();
    url.set_path(&format!("/{name}"));
    SqlStore::connect(url.as_str()).await.unwrap()
}

/// A tenant with a pool, a group, a user, a workspace and a client, as typed writes
/// (what a provisioning file turns into).
async fn provisioned(store: &SqlStore, hasher: &Hasher) -> Applied {
    use crate::storage::identity::{Group, NewUser, PoolSettings};
    use crate::storage::write::Write;
    let t = || "acme".to_owned();
    let mut batch = Batch { now: 100, writes: vec![] };
    let theme = crate::theme::ThemeSpec { product_name: Some("ACME".into()), ..Default::default() };
    batch.push(Some("tenant"), Write::Tenant { id: t(), name: "ACME".into(), theme, replace: true });
    batch.push(Some("pool"), Write::Pool { tenant: t(), id: "customers".into(), name: "customers".into(), self_registration: false, settings: PoolSettings::default() });
    batch.push(Some("group"), Write::Group { tenant: t(), group: Group { pool_id: "customers".into(), id: "premium".into(), name: "premium".into() } });
    let alice = NewUser {
        password_hash: Some(hasher.hash("correct horse battery").await.unwrap()),
        groups: vec!["premium".into()],
        email_verified: true,
        ..new_user("alice", "alice@example.com")
    };
    batch.push(Some("user"), Write::User(alice));
    batch.push(Some("workspace"), Write::Workspace { tenant: t(), id: "shop".into(), name: "shop".into(), theme: Default::default(), pools: vec!["customers".into()], replace: true });
    let web = Client {
        tenant_id: t(),
        workspace_id: "shop".into(),
        client_id: "web".into(),
        name: "web".into(),
        secret_sha256: Some(digest("a-long-secret")),
        redirect_uris: vec!["http://127.0.0.1:1/cb".into()],
        post_logout_redirect_uris: vec![],
        grant_types: vec!["authorization_code".into()],
        scopes: vec!["openid".into()],
        consent: ConsentMode::Required,
        id_token_alg: SigningAlg::RS256,
        allowed_origins: vec![],
    };
    batch.push(Some("client"), Write::Client(web));
    store.apply(&batch).await.unwrap()
}

async fn suite(store: SqlStore) {
    let hasher = Hasher::new(2).unwrap();
    let first = provisioned(&store, &hasher).await;
    assert_eq!(first.created.get("user"), Some(&1));
    // Idempotent: the second run creates nothing.
    let second = provisioned(&store, &hasher).await;
    assert!(second.created.is_empty(), "{second}");

    let ws = store.workspace("acme", "shop").await.unwrap().unwrap();
    assert_eq!(ws.pools, vec!["customers".to_string()]);
    assert_eq!(ws.tenant_theme.product_name.as_deref(), Some("ACME"));
    assert!(store.workspace("acme", "nope").await.unwrap().is_none());
    assert!(store.workspace("other", "shop").await.unwrap().is_none());

    // Login by username or email, case-insensitively; not across tenants.
    let (u, hash) = store.find_for_login("acme", &ws.pools, "ALICE").await.unwrap().unwrap();
    assert!(hasher.verify("correct horse battery", &hash.unwrap()).await.unwrap());
    assert_eq!(u.email.as_deref(), Some("alice@example.com"));
    assert!(u.email_verified);
    assert_eq!(store.find_for_login("acme", &ws.pools, "alice@example.com").await.unwrap().unwrap().0.id, u.id);
    assert!(store.find_for_login("other", &ws.pools, "alice").await.unwrap().is_none());
    assert!(UserStore::get(&store, "other", &u.id).await.unwrap().is_none());

    let c = ClientStore::get(&store, "acme", "shop", "web").await.unwrap().unwrap();
    assert_eq!(c.secret_sha256, Some(digest("a-long-secret")));

    // Grants: rotation, reuse detection, family revocation.
    let g = Grant {
        id: "g1".into(),
        tenant_id: "acme".into(),
        workspace_id: "shop".into(),
        client_id: "web".into(),
        user_id: u.id.clone(),
        scope: "openid".into(),
        sid: "s".into(),
        auth_time: 100,
        acr: "a".into(),
        amr: vec!["pwd".into()],
        created_at: 100,
        revoked_at: None,
    };
    let (r1, r2, r3) = (digest("r1"), digest("r2"), digest("r3"));
    store.create(&g, Some((r1, 1000))).await.unwrap();
    assert!(matches!(GrantStore::rotate(&store, r1, r2, 1000, 101).await.unwrap(), RefreshOutcome::Rotated(_)));
    assert!(store.find_by_refresh(r1, 101).await.unwrap().is_none());
    assert!(store.find_by_refresh(r2, 101).await.unwrap().is_some());
    assert!(matches!(GrantStore::rotate(&store, r1, r3, 1000, 102).await.unwrap(), RefreshOutcome::Reused { .. }));
    assert!(matches!(GrantStore::rotate(&store, r2, r3, 1000, 103).await.unwrap(), RefreshOutcome::Invalid));
    assert!(GrantStore::get(&store, "g1").await.unwrap().unwrap().revoked_at.is_some());
    // Expiry.
    let g2 = Grant { id: "g2".into(), ..g };
    store.create(&g2, Some((digest("x"), 200))).await.unwrap();
    assert!(matches!(GrantStore::rotate(&store, digest("x"), digest("y"), 1000, 200).await.unwrap(), RefreshOutcome::Invalid));

    // Consent is remembered and replaced.
    assert!(store.granted("acme", "shop", &u.id, "web").await.unwrap().is_empty());
    store.remember("acme", "shop", &u.id, "web", &["openid".into(), "email".into()], 1).await.unwrap();
    store.remember("acme", "shop", &u.id, "web", &["openid".into()], 2).await.unwrap();
    assert_eq!(store.granted("acme", "shop", &u.id, "web").await.unwrap(), vec!["openid".to_string()]);

    // Key rotation retires the previous key of each algorithm.
    let k1 = crate::keys::generate(SigningAlg::ES256, 1).unwrap();
    KeyStore::rotate(&store, vec![k1.clone()], 1).await.unwrap();
    let k2 = crate::keys::generate(SigningAlg::ES256, 2).unwrap();
    KeyStore::rotate(&store, vec![k2.clone()], 2).await.unwrap();
    let keys = store.all().await.unwrap();
    assert_eq!(keys[0].kid, k2.kid);
    assert!(keys.iter().find(|k| k.kid == k1.kid).unwrap().retired_at == Some(2));

    store.record(AuditEvent { tenant_id: "acme".into(), actor: "t".into(), action: "a".into(), subject: "s".into(), detail: serde_json::json!({}) }, 3).await.unwrap();
    store.ping().await.unwrap();

    denylist(&store).await;
    counters(&store).await;
    racing_creations(&store).await;
}

/// Revoked access tokens, and the grant behind a user token, in one question.
async fn denylist(store: &SqlStore) {
    assert!(store.access_token_live("j1", None).await.unwrap());
    store.revoke_access_token("j1", 500).await.unwrap();
    store.revoke_access_token("j1", 500).await.unwrap();
    assert!(!store.access_token_live("j1", None).await.unwrap());
    assert!(!store.access_token_live("j1", Some("g2")).await.unwrap());
    // g2 is live, g1 was revoked by the reuse above, g9 does not exist.
    assert!(store.access_token_live("j2", Some("g2")).await.unwrap());
    assert!(!store.access_token_live("j2", Some("g1")).await.unwrap());
    assert!(!store.access_token_live("j2", Some("g9")).await.unwrap());
}

/// CounterStore: fixed windows, atomic hits, bounded keys, purge.
async fn counters(store: &SqlStore) {
    assert_eq!(store.count("k", 1000).await.unwrap(), 0);
    assert_eq!(store.hit("k", 60, 1000).await.unwrap(), 1);
    assert_eq!(store.hit("k", 60, 1030).await.unwrap(), 2);
    assert_eq!(store.count("k", 1059).await.unwrap(), 2);
    // The window began at the first hit and is not extended by later ones.
    assert_eq!(store.count("k", 1060).await.unwrap(), 0);
    assert_eq!(store.hit("k", 60, 1060).await.unwrap(), 1);
    store.clear("k").await.unwrap();
    assert_eq!(store.count("k", 1061).await.unwrap(), 0);
    assert!(store.hit(&"x".repeat(MAX_COUNTER_KEY + 1), 60, 1000).await.is_err());
    assert_eq!(store.hit(&"x".repeat(MAX_COUNTER_KEY), 60, 1000).await.unwrap(), 1);

    // Concurrent hits each get their own count: 1..=20, each exactly once.
    let mut hits = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let store = store.clone();
        hits.spawn(async move { store.hit("burst", 60, 2000).await.unwrap() });
    }
    let mut seen = hits.join_all().await;
    seen.sort_unstable();
    assert_eq!(seen, (1..=20).collect::<Vec<u64>>());

    // Purge: what expired goes, what is live stays.
    store.hit("old", 10, 0).await.unwrap();
    store.revoke_access_token("j-old", 5).await.unwrap();
    store.revoke_access_token("j-new", 100_000).await.unwrap();
    assert!(store.purge_expired(100).await.unwrap() >= 2);
    assert_eq!(store.hit("old", 10_000, 1).await.unwrap(), 1, "the expired counter was deleted");
    assert!(store.access_token_live("j-old", None).await.unwrap());
    assert!(!store.access_token_live("j-new", None).await.unwrap());
    assert_eq!(store.count("burst", 2001).await.unwrap(), 20);
}

fn new_user(username: &str, email: &str) -> crate::storage::identity::NewUser {
    crate::storage::identity::NewUser {
        tenant_id: "acme".into(),
        pool_id: "customers".into(),
        username: username.into(),
        status: UserStatus::Active,
        email: Some(email.into()),
        email_verified: true,
        phone: None,
        phone_verified: false,
        payload: Default::default(),
        metadata: Default::default(),
        password_hash: None,
        password_source: None,
        groups: vec![],
    }
}

/// Two creations racing for one address (or username): one wins, the other is told which
/// field is taken, as if its own check had found it (not a database outage).
async fn racing_creations(store: &SqlStore) {
    use crate::storage::identity::IdentityStore;
    for round in 0..5 {
        let email = format!("race{round}@example.com");
        let (ua, ub) = (new_user(&format!("ra{round}"), &email), new_user(&format!("rb{round}"), &email));
        let (a, b) = tokio::join!(store.create_user(&ua, 10), store.create_user(&ub, 10));
        let errors: Vec<String> = [a, b].into_iter().filter_map(|r| r.err()).map(|e| format!("{e:?}")).collect();
        assert_eq!(errors, vec![format!("{:?}", AppError::Conflict("email".into()))], "round {round}");
        let username = format!("same{round}");
        let (ua, ub) = (new_user(&username, &format!("s{round}a@example.com")), new_user(&username, &format!("s{round}b@example.com")));
        let (a, b) = tokio::join!(store.create_user(&ua, 10), store.create_user(&ub, 10));
        let errors: Vec<String> = [a, b].into_iter().filter_map(|r| r.err()).map(|e| format!("{e:?}")).collect();
        assert_eq!(errors, vec![format!("{:?}", AppError::Conflict("username".into()))], "round {round}");
    }
}

#[tokio::test]
async fn sql_store_suite_on_sqlite() {
    suite(sqlite().await).await;
}

#[tokio::test]
async fn sql_store_suite_on_postgres() {
    suite(postgres().await).await;
}
