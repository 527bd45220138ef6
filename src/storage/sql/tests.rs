//! The contract suites and the SQL store's own suite, run against SQLite and PostgreSQL.
use super::*;
use crate::crypto::digest;
use crate::identity::password::Hasher;
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
    let t = || TenantId::new("acme");
    let mut batch = Batch { now: 100, writes: vec![] };
    let theme = crate::theme::ThemeSpec { product_name: Some("ACME".into()), ..Default::default() };
    batch.push(Some("tenant"), Write::Tenant { id: t(), name: "ACME".into(), levels: vec![], mail_from: None, replace: true });
    batch.push(None, Write::Theme { tenant: t(), scope: crate::storage::ThemeScope::Tenant, layer: theme, author: "provisioning".into() });
    batch.push(Some("pool"), Write::Pool { tenant: t(), id: "customers".into(), name: "customers".into(), self_registration: false, settings: PoolSettings::default() });
    batch.push(Some("group"), Write::Group { tenant: t(), group: Group { pool_id: "customers".into(), id: "premium".into(), name: "premium".into() } });
    let alice = NewUser {
        password_hash: Some(hasher.hash("correct horse battery").await.unwrap()),
        groups: vec!["premium".into()],
        email_verified: true,
        ..new_user("alice", "alice@example.com")
    };
    batch.push(Some("user"), Write::User(alice));
    batch.push(Some("workspace"), Write::Workspace { tenant: t(), id: "shop".into(), name: "shop".into(), default_locale: None, links: None, pools: vec!["customers".into()], replace: true });
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
        min_acr: None,
    };
    batch.push(Some("client"), Write::Client(web));
    store.apply(&batch).await.unwrap()
}

fn t(id: &str) -> TenantId {
    TenantId::new(id)
}

/// Provisioning into the store, and what the SQL store adds to the contracts: unique
/// indexes that decide races.
async fn suite(store: SqlStore) {
    let hasher = Hasher::new(2).unwrap();
    let first = provisioned(&store, &hasher).await;
    assert_eq!(first.created.get("user"), Some(&1));
    // Idempotent: the second run creates nothing.
    let second = provisioned(&store, &hasher).await;
    assert!(second.created.is_empty(), "{second}");

    let ws = store.workspace(&t("acme"), "shop").await.unwrap().unwrap();
    assert_eq!(ws.pools, vec!["customers".to_string()]);
    // The theme went into its store, once: the second run published nothing new.
    let versions = crate::storage::ThemeStore::versions(&store, &t("acme"), &crate::storage::ThemeScope::Tenant).await.unwrap();
    assert_eq!((versions.len(), versions[0].layer.product_name.as_deref()), (1, Some("ACME")));
    assert!(store.workspace(&t("acme"), "nope").await.unwrap().is_none());
    assert!(store.workspace(&t("other"), "shop").await.unwrap().is_none());

    // Login by username or email, case-insensitively; not across tenants.
    let (u, hash) = store.find_for_login(&t("acme"), &ws.pools, "ALICE").await.unwrap().unwrap();
    assert!(hasher.verify("correct horse battery", &hash.unwrap()).await.unwrap());
    assert_eq!(u.email.as_deref(), Some("alice@example.com"));
    assert!(u.email_verified);
    assert_eq!(store.find_for_login(&t("acme"), &ws.pools, "alice@example.com").await.unwrap().unwrap().0.id, u.id);
    assert!(store.find_for_login(&t("other"), &ws.pools, "alice").await.unwrap().is_none());
    assert!(UserStore::get(&store, &t("other"), &u.id).await.unwrap().is_none());

    let c = ClientStore::get(&store, &t("acme"), "shop", "web").await.unwrap().unwrap();
    assert_eq!(c.secret_sha256, Some(digest("a-long-secret")));
    store.ping().await.unwrap();

    racing_creations(&store).await;
}

fn new_user(username: &str, email: &str) -> crate::storage::identity::NewUser {
    crate::storage::contract::new_user(&t("acme"), "customers", username, Some(email))
}

/// Two creations racing for one address (or username): one wins, the other is told which
/// field is taken, as if its own check had found it (not a database outage).
async fn racing_creations(store: &SqlStore) {
    let acme = t("acme");
    for round in 0..5 {
        let email = format!("race{round}@example.com");
        let (ua, ub) = (new_user(&format!("ra{round}"), &email), new_user(&format!("rb{round}"), &email));
        let (a, b) = tokio::join!(store.create_user(&acme, &ua, 10), store.create_user(&acme, &ub, 10));
        let errors: Vec<String> = [a, b].into_iter().filter_map(|r| r.err()).map(|e| format!("{e:?}")).collect();
        assert_eq!(errors, vec![format!("{:?}", AppError::Conflict("email".into()))], "round {round}");
        let username = format!("same{round}");
        let (ua, ub) = (new_user(&username, &format!("s{round}a@example.com")), new_user(&username, &format!("s{round}b@example.com")));
        let (a, b) = tokio::join!(store.create_user(&acme, &ua, 10), store.create_user(&acme, &ub, 10));
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

/// Writes what `contract::seed` describes, row by row (provisioning is not what is tested).
async fn seeded(store: SqlStore) -> SqlStore {
    for s in crate::storage::contract::seed() {
        let t = s.tenant.to_string();
        tenant::Entity::insert(tenant::ActiveModel { id: Set(t.clone()), name: Set(t.clone()), settings: Set("{}".into()), created_at: Set(0) }).exec(&store.writer).await.unwrap();
        for p in &s.pools {
            pool::Entity::insert(pool::ActiveModel {
                tenant_id: Set(t.clone()),
                id: Set(p.id.clone()),
                name: Set(p.name.clone()),
                self_registration: Set(p.settings.self_registration),
                settings: Set(serde_json::to_string(&p.settings).unwrap()),
            })
            .exec(&store.writer)
            .await
            .unwrap();
        }
        let (ws, pools) = s.workspace;
        workspace::Entity::insert(workspace::ActiveModel { tenant_id: Set(t.clone()), id: Set(ws.into()), name: Set(ws.into()), settings: Set("{}".into()) }).exec(&store.writer).await.unwrap();
        for (pos, p) in pools.iter().enumerate() {
            workspace_pool::Entity::insert(workspace_pool::ActiveModel { tenant_id: Set(t.clone()), workspace_id: Set(ws.into()), pool_id: Set(p.clone()), position: Set(pos as i32) })
                .exec(&store.writer)
                .await
                .unwrap();
        }
        for c in &s.clients {
            let settings = ClientSettings::of(c);
            client::Entity::insert(client::ActiveModel {
                tenant_id: Set(t.clone()),
                workspace_id: Set(c.workspace_id.clone()),
                client_id: Set(c.client_id.clone()),
                name: Set(c.name.clone()),
                secret_sha256: Set(c.secret_sha256.map(|h| hex(&h))),
                settings: Set(serde_json::to_string(&settings).unwrap()),
                updated_at: Set(0),
            })
            .exec(&store.writer)
            .await
            .unwrap();
        }
    }
    store
}

struct Sqlite;
struct Postgres;

#[async_trait]
impl crate::storage::contract::Backend for Sqlite {
    async fn fresh(&self) -> crate::storage::contract::Stores {
        crate::storage::contract::Stores::of(std::sync::Arc::new(seeded(sqlite().await).await))
    }
}

#[async_trait]
impl crate::storage::contract::Backend for Postgres {
    async fn fresh(&self) -> crate::storage::contract::Stores {
        crate::storage::contract::Stores::of(std::sync::Arc::new(seeded(postgres().await).await))
    }
}

#[tokio::test]
async fn contract_suites_on_sqlite() {
    crate::storage::contract::run(&Sqlite).await;
}

#[tokio::test]
async fn contract_suites_on_postgres() {
    crate::storage::contract::run(&Postgres).await;
}

/// m0004 moves the themes stored inside tenant and workspace settings into version 1 of
/// their layer, and takes them out of the settings.
#[tokio::test]
async fn themes_move_out_of_the_settings() {
    let dir = std::env::temp_dir().join(format!("portcullis-unit-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let conn = Database::connect(format!("sqlite://{}/db.sqlite?mode=rwc", dir.display())).await.unwrap();
    migrations::Migrator::up(&conn, Some(3)).await.unwrap();
    conn.execute_unprepared(r#"INSERT INTO tenants (id, name, settings, created_at) VALUES ('acme', 'ACME', '{"theme":{"product_name":"ACME","tokens":{"--pc-radius":"4px"}}}', 1)"#).await.unwrap();
    conn.execute_unprepared(r#"INSERT INTO tenants (id, name, settings, created_at) VALUES ('bare', 'Bare', '{"theme":{"tokens":{}}}', 1)"#).await.unwrap();
    conn.execute_unprepared(r#"INSERT INTO workspaces (tenant_id, id, name, settings) VALUES ('acme', 'shop', 'Shop', '{"theme":{"layout":"split"}}')"#).await.unwrap();
    migrations::Migrator::up(&conn, None).await.unwrap();
    let store = SqlStore { conn: conn.clone(), writer: conn };
    let scopes = [crate::storage::ThemeScope::Tenant, crate::storage::ThemeScope::Workspace("shop".into())];
    let found = crate::storage::ThemeStore::published(&store, &t("acme"), &scopes).await.unwrap();
    let tenant = found[0].as_ref().unwrap();
    assert_eq!((tenant.version, tenant.author.as_str(), tenant.layer.product_name.as_deref()), (1, "migration", Some("ACME")));
    assert_eq!(tenant.layer.tokens.get("--pc-radius").map(String::as_str), Some("4px"));
    assert_eq!(found[1].as_ref().unwrap().layer.layout, Some(crate::theme::Layout::Split));
    assert!(crate::storage::ThemeStore::published(&store, &t("bare"), &scopes[..1]).await.unwrap()[0].is_none(), "an empty theme is no version");
    let row = tenant::Entity::find_by_id("acme".to_string()).one(&store.conn).await.unwrap().unwrap();
    assert_eq!(row.settings, "{}");
}
