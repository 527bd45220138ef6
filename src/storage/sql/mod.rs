//! SeaORM implementation of the storage traits, for SQLite and PostgreSQL alike.
use async_trait::async_trait;
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

use super::*;
use super::identity as identity_records;
use crate::crypto::{hex, unhex32};
use crate::storage::identity::client_holder;
use crate::storage::write::{Applied, Batch};

mod apply;
mod entities;
use entities::*;
mod credentials;
mod identity;
mod themes;

#[path = "../../../migrations/mod.rs"]
mod migrations;

/// Maps a database error. A unique violation is the losing side of a race for a unique
/// value (two registrations of one address): `Conflict` naming the field, so that callers
/// answer it like the value found taken by their own check. Anything else is an outage.
pub(super) fn db(e: DbErr) -> AppError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) => AppError::Conflict(unique_field(&message).into()),
        _ => AppError::unavailable(crate::error::Service::Database, e),
    }
}

/// The field a violated unique constraint stands for, from the constraint's name
/// (PostgreSQL: `… constraint "users_username"`) or its columns (SQLite: `UNIQUE
/// constraint failed: users.tenant_id, …`). An address conflict is refined to `email` or
/// `phone` where the row is known (`write_addresses`).
fn unique_field(message: &str) -> &'static str {
    if message.contains("users_username") || message.contains("users.username") {
        "username"
    } else if message.contains("addresses_value") || message.contains("addresses.value") {
        "address"
    } else {
        "id"
    }
}

/// How long a request waits for a pooled connection (including connecting) before it
/// fails: an unreachable PostgreSQL answers 503 within this, not sqlx's default 30 s.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a SQLite write waits for the writer connection: writes queue there, so this
/// bounds the backlog a burst may build (each write takes milliseconds).
const SQLITE_WRITE_QUEUE: Duration = Duration::from_secs(10);
/// How long SQLite waits for a lock held by another process (`portcullis apply` next to a
/// running server) before `database is locked`.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections of the (reader) pool.
const MAX_CONNECTIONS: u32 = 16;

/// The SQL store. `conn` serves reads; `writer` every write and write transaction. On
/// PostgreSQL both are the same pool. On SQLite the writer is a pool of exactly one
/// connection: SQLite allows one writer at a time, and a deferred transaction that reads
/// and then writes while another connection writes fails at once with `database is
/// locked` (no busy wait can help it). Queueing writes on one connection turns a burst into
/// a short wait; readers keep their own read-only pool and, with WAL, never block it.
#[derive(Clone)]
pub struct SqlStore {
    conn: DatabaseConnection,
    writer: DatabaseConnection,
}

impl SqlStore {
    /// Connects and runs pending migrations. A `sqlite:` file's directory is created.
    pub async fn connect(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            return Self::connect_sqlite(url).await;
        }
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false).max_connections(MAX_CONNECTIONS).min_connections(1).connect_timeout(ACQUIRE_TIMEOUT).acquire_timeout(ACQUIRE_TIMEOUT);
        let conn = Database::connect(opts).await.map_err(db)?;
        migrations::Migrator::up(&conn, None).await.map_err(db)?;
        Ok(Self { writer: conn.clone(), conn })
    }

    async fn connect_sqlite(url: &str) -> Result<Self> {
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or("");
        let file = path.split('?').next().unwrap_or("");
        if let Some(dir) = std::path::Path::new(file).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| AppError::unavailable(crate::error::Service::Database, format!("{}: {e}", dir.display())))?;
        }
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false).max_connections(1).min_connections(1).acquire_timeout(SQLITE_WRITE_QUEUE);
        // WAL lets readers proceed while the writer commits.
        opts.map_sqlx_sqlite_opts(|o| o.busy_timeout(SQLITE_BUSY_TIMEOUT).journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal));
        let writer = Database::connect(opts).await.map_err(db)?;
        migrations::Migrator::up(&writer, None).await.map_err(db)?;
        // An in-memory database exists per connection: the writer is the only one.
        if file == ":memory:" || path.contains("mode=memory") {
            return Ok(Self { conn: writer.clone(), writer });
        }
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false).max_connections(MAX_CONNECTIONS).min_connections(1).acquire_timeout(ACQUIRE_TIMEOUT);
        // Read-only: a write sent to the readers by mistake fails loudly instead of
        // competing with the writer.
        opts.map_sqlx_sqlite_opts(|o| o.busy_timeout(SQLITE_BUSY_TIMEOUT).read_only(true));
        let conn = Database::connect(opts).await.map_err(db)?;
        Ok(Self { conn, writer })
    }
}

impl From<&TenantId> for sea_orm::Value {
    fn from(t: &TenantId) -> Self {
        t.as_str().into()
    }
}

fn json_object(text: &str) -> Result<serde_json::Map<String, serde_json::Value>> {
    Ok(match serde_json::from_str(text)? {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    })
}

fn to_user(u: user::Model, addrs: &[address::Model]) -> Result<User> {
    let find = |k: &str| addrs.iter().find(|a| a.kind == k);
    let claims = json_object(&u.claims)?;
    let metadata = json_object(&u.metadata)?;
    Ok(User {
        status: UserStatus::parse(&u.status).ok_or_else(|| AppError::corrupt(format!("user row: status {:?}", u.status)))?,
        email: find("email").map(|a| a.value.clone()),
        email_verified: find("email").is_some_and(|a| a.verified),
        phone: find("phone").map(|a| a.value.clone()),
        phone_verified: find("phone").is_some_and(|a| a.verified),
        id: u.id,
        tenant_id: TenantId::new(u.tenant_id),
        pool_id: u.pool_id,
        username: u.username,
        claims,
        metadata,
        created_at: u.created_at,
        updated_at: u.updated_at,
        deleted_at: u.deleted_at,
    })
}

/// Settings of tenants and workspaces, stored as JSON. `levels`: a tenant's own levels of
/// assurance (absent in workspaces and in tenants stored before levels existed). Themes
/// live in their own table since m0004, so writing a tenant or workspace never touches one.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Settings {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    levels: Vec<crate::model::AssuranceLevel>,
    /// A tenant's mail sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mail_from: Option<crate::delivery::Sender>,
    /// A workspace's default locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_locale: Option<String>,
    /// A workspace's terms and privacy links.
    #[serde(default, flatten)]
    links: crate::storage::WorkspaceLinks,
}

fn levels_of(settings: &str) -> Result<Vec<crate::model::AssuranceLevel>> {
    Ok(serde_json::from_str::<Settings>(settings)?.levels)
}

fn settings_of(settings: &str) -> Result<Settings> {
    Ok(serde_json::from_str::<Settings>(settings)?)
}

/// The settings JSON of a write: `levels`, and the other settings as the write
/// says (`None`: as stored in `old`).
fn settings_json(levels: &[crate::model::AssuranceLevel], old: Option<&str>, mail_from: &Option<Option<crate::delivery::Sender>>, default_locale: &Option<Option<String>>, links: &Option<crate::storage::WorkspaceLinks>) -> Result<String> {
    let old = old.map(settings_of).transpose()?.unwrap_or_default();
    let s = Settings {
        levels: levels.to_vec(),
        mail_from: mail_from.clone().unwrap_or(old.mail_from),
        default_locale: default_locale.clone().unwrap_or(old.default_locale),
        links: links.clone().unwrap_or(old.links),
    };
    Ok(serde_json::to_string(&s)?)
}

#[derive(serde::Serialize, serde::Deserialize)]
struct ClientSettings {
    redirect_uris: Vec<String>,
    post_logout_redirect_uris: Vec<String>,
    grant_types: Vec<String>,
    scopes: Vec<String>,
    consent: ConsentMode,
    id_token_alg: SigningAlg,
    /// Absent in clients stored before CORS origins existed.
    #[serde(default)]
    allowed_origins: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_acr: Option<String>,
}

impl ClientSettings {
    /// The settings column of a client row.
    fn of(c: &Client) -> Self {
        ClientSettings {
            redirect_uris: c.redirect_uris.clone(),
            post_logout_redirect_uris: c.post_logout_redirect_uris.clone(),
            grant_types: c.grant_types.clone(),
            scopes: c.scopes.clone(),
            consent: c.consent,
            id_token_alg: c.id_token_alg,
            allowed_origins: c.allowed_origins.clone(),
            min_acr: c.min_acr.clone(),
        }
    }
}

fn to_client(m: client::Model) -> Result<Client> {
    let s: ClientSettings = serde_json::from_str(&m.settings)?;
    let secret_sha256 = match m.secret_sha256 {
        Some(h) => Some(unhex32(&h).ok_or_else(|| AppError::corrupt("client row: secret digest"))?),
        None => None,
    };
    Ok(Client {
        tenant_id: TenantId::new(m.tenant_id),
        workspace_id: m.workspace_id,
        client_id: m.client_id,
        name: m.name,
        secret_sha256,
        redirect_uris: s.redirect_uris,
        post_logout_redirect_uris: s.post_logout_redirect_uris,
        grant_types: s.grant_types,
        scopes: s.scopes,
        consent: s.consent,
        id_token_alg: s.id_token_alg,
        allowed_origins: s.allowed_origins,
        min_acr: s.min_acr,
    })
}

fn to_grant(g: grant::Model) -> Result<Grant> {
    Ok(Grant {
        amr: serde_json::from_str(&g.amr)?,
        id: g.id,
        tenant_id: TenantId::new(g.tenant_id),
        workspace_id: g.workspace_id,
        client_id: g.client_id,
        user_id: g.user_id,
        scope: g.scope,
        sid: g.sid,
        auth_time: g.auth_time,
        acr: g.acr,
        created_at: g.created_at,
        revoked_at: g.revoked_at,
    })
}

#[async_trait]
impl DirectoryStore for SqlStore {
    async fn workspace(&self, tenant: &TenantId, ws: &str) -> Result<Option<Workspace>> {
        let Some(w) = workspace::Entity::find_by_id((tenant.to_string(), ws.to_owned())).one(&self.conn).await.map_err(db)? else {
            return Ok(None);
        };
        let Some(t) = tenant::Entity::find_by_id(tenant.to_string()).one(&self.conn).await.map_err(db)? else {
            return Ok(None);
        };
        let pools = workspace_pool::Entity::find()
            .filter(workspace_pool::Column::TenantId.eq(tenant))
            .filter(workspace_pool::Column::WorkspaceId.eq(ws))
            .order_by_asc(workspace_pool::Column::Position)
            .all(&self.conn)
            .await
            .map_err(db)?;
        Ok(Some(Workspace {
            default_locale: settings_of(&w.settings)?.default_locale,
            links: settings_of(&w.settings)?.links,
            mail_from: settings_of(&t.settings)?.mail_from,
            levels: levels_of(&t.settings)?,
            tenant_id: TenantId::new(w.tenant_id),
            id: w.id,
            name: w.name,
            pools: pools.into_iter().map(|p| p.pool_id).collect(),
        }))
    }

    async fn apply(&self, batch: &Batch) -> Result<Applied> {
        apply::apply(&self.writer, batch).await
    }

    async fn tenants(&self) -> Result<Vec<(TenantId, String)>> {
        Ok(tenant::Entity::find().order_by_asc(tenant::Column::Id).all(&self.conn).await.map_err(db)?.into_iter().map(|t| (TenantId::new(t.id), t.name)).collect())
    }

    async fn tenant(&self, id: &TenantId) -> Result<Option<String>> {
        Ok(tenant::Entity::find_by_id(id.to_string()).one(&self.conn).await.map_err(db)?.map(|t| t.name))
    }

    async fn mail_from(&self, id: &TenantId) -> Result<Option<crate::delivery::Sender>> {
        match tenant::Entity::find_by_id(id.to_string()).one(&self.conn).await.map_err(db)? {
            Some(t) => Ok(settings_of(&t.settings)?.mail_from),
            None => Ok(None),
        }
    }

    async fn levels(&self, id: &TenantId) -> Result<Vec<crate::model::AssuranceLevel>> {
        match tenant::Entity::find_by_id(id.to_string()).one(&self.conn).await.map_err(db)? {
            Some(t) => levels_of(&t.settings),
            None => Ok(vec![]),
        }
    }

    async fn workspaces(&self, tenant: &TenantId) -> Result<Vec<(String, String, Vec<String>)>> {
        let links = workspace_pool::Entity::find()
            .filter(workspace_pool::Column::TenantId.eq(tenant))
            .order_by_asc(workspace_pool::Column::Position)
            .all(&self.conn)
            .await
            .map_err(db)?;
        Ok(workspace::Entity::find()
            .filter(workspace::Column::TenantId.eq(tenant))
            .order_by_asc(workspace::Column::Id)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|w| {
                let pools = links.iter().filter(|l| l.workspace_id == w.id).map(|l| l.pool_id.clone()).collect();
                (w.id, w.name, pools)
            })
            .collect())
    }
}

#[async_trait]
impl ClientStore for SqlStore {
    async fn get(&self, tenant: &TenantId, ws: &str, client_id: &str) -> Result<Option<Client>> {
        client::Entity::find_by_id((tenant.to_string(), ws.to_owned(), client_id.to_owned()))
            .one(&self.conn)
            .await
            .map_err(db)?
            .map(to_client)
            .transpose()
    }

    async fn workspace_origins(&self, tenant: &TenantId, ws: &str) -> Result<Vec<String>> {
        let clients = ClientStore::clients(self, tenant, ws).await?;
        let origins: std::collections::BTreeSet<String> = clients.iter().flat_map(Client::web_origins).collect();
        Ok(origins.into_iter().collect())
    }

    async fn clients(&self, tenant: &TenantId, ws: &str) -> Result<Vec<Client>> {
        client::Entity::find()
            .filter(client::Column::TenantId.eq(tenant))
            .filter(client::Column::WorkspaceId.eq(ws))
            .order_by_asc(client::Column::ClientId)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(to_client)
            .collect()
    }

    async fn delete_client(&self, tenant: &TenantId, ws: &str, client_id: &str) -> Result<bool> {
        let txn = self.writer.begin().await.map_err(db)?;
        let gone = client::Entity::delete_by_id((tenant.to_string(), ws.to_owned(), client_id.to_owned())).exec(&txn).await.map_err(db)?.rows_affected > 0;
        privilege_holder::Entity::delete_many()
            .filter(privilege_holder::Column::TenantId.eq(tenant))
            .filter(privilege_holder::Column::Holder.eq(client_holder(ws, client_id)))
            .exec(&txn)
            .await
            .map_err(db)?;
        if gone {
            themes::forget_in(&txn, tenant, &crate::storage::ThemeScope::Client { workspace: ws.to_owned(), client_id: client_id.to_owned() }).await?;
        }
        txn.commit().await.map_err(db)?;
        Ok(gone)
    }
}

#[async_trait]
impl KeyStore for SqlStore {
    async fn all(&self) -> Result<Vec<StoredKey>> {
        signing_key::Entity::find()
            .order_by_desc(signing_key::Column::CreatedAt)
            .order_by_desc(signing_key::Column::Kid)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|k| {
                Ok(StoredKey {
                    alg: match k.alg.as_str() {
                        "ES256" => SigningAlg::ES256,
                        "RS256" => SigningAlg::RS256,
                        other => return Err(AppError::internal(format!("unknown algorithm {other}"))),
                    },
                    kid: k.kid,
                    private_pem: k.private_pem,
                    created_at: k.created_at,
                    retired_at: k.retired_at,
                })
            })
            .collect()
    }

    async fn rotate(&self, new_keys: Vec<StoredKey>, now: i64) -> Result<()> {
        let txn = self.writer.begin().await.map_err(db)?;
        for k in new_keys {
            signing_key::Entity::update_many()
                .col_expr(signing_key::Column::RetiredAt, Expr::value(now))
                .filter(signing_key::Column::Alg.eq(k.alg.as_str()))
                .filter(signing_key::Column::RetiredAt.is_null())
                .exec(&txn)
                .await
                .map_err(db)?;
            signing_key::Entity::insert(signing_key::ActiveModel {
                kid: Set(k.kid),
                alg: Set(k.alg.as_str().into()),
                private_pem: Set(k.private_pem),
                created_at: Set(k.created_at),
                retired_at: Set(None),
            })
            .exec(&txn)
            .await
            .map_err(db)?;
        }
        txn.commit().await.map_err(db)
    }
}

#[async_trait]
impl GrantStore for SqlStore {
    async fn create(&self, g: &Grant, refresh: Option<([u8; 32], i64)>) -> Result<()> {
        let txn = self.writer.begin().await.map_err(db)?;
        grant::Entity::insert(grant::ActiveModel {
            id: Set(g.id.clone()),
            tenant_id: Set(g.tenant_id.to_string()),
            workspace_id: Set(g.workspace_id.clone()),
            client_id: Set(g.client_id.clone()),
            user_id: Set(g.user_id.clone()),
            scope: Set(g.scope.clone()),
            sid: Set(g.sid.clone()),
            auth_time: Set(g.auth_time),
            acr: Set(g.acr.clone()),
            amr: Set(serde_json::to_string(&g.amr)?),
            created_at: Set(g.created_at),
            revoked_at: Set(g.revoked_at),
        })
        .exec(&txn)
        .await
        .map_err(db)?;
        if let Some((hash, expires_at)) = refresh {
            insert_refresh(&txn, hash, &g.id, g.created_at, expires_at).await?;
        }
        txn.commit().await.map_err(db)
    }

    async fn get(&self, grant_id: &str) -> Result<Option<Grant>> {
        grant::Entity::find_by_id(grant_id.to_owned()).one(&self.conn).await.map_err(db)?.map(to_grant).transpose()
    }

    async fn rotate(&self, presented: [u8; 32], successor: [u8; 32], expires_at: i64, now: i64) -> Result<RefreshOutcome> {
        let presented = hex(&presented);
        let txn = self.writer.begin().await.map_err(db)?;
        // Lock order, here and in `revoke`: the grant row, then its tokens. Every use of one
        // family queues on its grant row (FOR UPDATE on PostgreSQL; SQLite has one writer),
        // so concurrent uses of one token cannot deadlock, and each one sees what the one
        // before it did: exactly one spends the token, the others find it spent.
        let family = refresh_token::Entity::find()
            .select_only()
            .column(refresh_token::Column::GrantId)
            .filter(refresh_token::Column::TokenSha256.eq(&presented))
            .into_query();
        let Some(g) = grant::Entity::find().filter(grant::Column::Id.in_subquery(family)).lock_exclusive().one(&txn).await.map_err(db)? else {
            return Ok(RefreshOutcome::Invalid);
        };
        let Some(token) = refresh_token::Entity::find_by_id(presented).one(&txn).await.map_err(db)? else {
            return Ok(RefreshOutcome::Invalid);
        };
        if token.used_at.is_some() {
            // RFC 9700 §4.14.2: a spent refresh token presented again revokes the family.
            revoke(&txn, &g.id, now).await?;
            txn.commit().await.map_err(db)?;
            return Ok(RefreshOutcome::Reused { grant_id: g.id });
        }
        if token.expires_at <= now || g.revoked_at.is_some() {
            return Ok(RefreshOutcome::Invalid);
        }
        // Spent only if still unspent: whatever the isolation level, a use that lost the race
        // (its read came before the winner's commit) is a reuse, never a second rotation.
        let spent = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
            .filter(refresh_token::Column::TokenSha256.eq(&token.token_sha256))
            .filter(refresh_token::Column::UsedAt.is_null())
            .exec(&txn)
            .await
            .map_err(db)?;
        if spent.rows_affected != 1 {
            revoke(&txn, &g.id, now).await?;
            txn.commit().await.map_err(db)?;
            return Ok(RefreshOutcome::Reused { grant_id: g.id });
        }
        insert_refresh(&txn, successor, &g.id, now, expires_at).await?;
        txn.commit().await.map_err(db)?;
        to_grant(g).map(|g| RefreshOutcome::Rotated(Box::new(g)))
    }

    async fn find_by_refresh(&self, hash: [u8; 32], now: i64) -> Result<Option<Grant>> {
        let Some(t) = refresh_token::Entity::find_by_id(hex(&hash)).one(&self.conn).await.map_err(db)? else {
            return Ok(None);
        };
        if t.used_at.is_some() || t.expires_at <= now {
            return Ok(None);
        }
        Ok(GrantStore::get(self, &t.grant_id).await?.filter(|g| g.revoked_at.is_none()))
    }

    async fn revoke_family(&self, grant_id: &str, now: i64) -> Result<()> {
        let txn = self.writer.begin().await.map_err(db)?;
        revoke(&txn, grant_id, now).await?;
        txn.commit().await.map_err(db)
    }

    async fn revoke_user(&self, tenant: &TenantId, user_id: &str, now: i64) -> Result<u64> {
        let txn = self.writer.begin().await.map_err(db)?;
        // Locked in id order, then revoked one by one (grant, then tokens, as `rotate`
        // locks them): two revocations of one user cannot deadlock each other.
        let live = grant::Entity::find()
            .filter(grant::Column::TenantId.eq(tenant))
            .filter(grant::Column::UserId.eq(user_id))
            .filter(grant::Column::RevokedAt.is_null())
            .order_by_asc(grant::Column::Id)
            .lock_exclusive()
            .all(&txn)
            .await
            .map_err(db)?;
        for g in &live {
            revoke(&txn, &g.id, now).await?;
        }
        txn.commit().await.map_err(db)?;
        Ok(live.len() as u64)
    }

    async fn revoke_access_token(&self, jti: &str, expires_at: i64) -> Result<()> {
        revoked_token::Entity::insert(revoked_token::ActiveModel { jti: Set(jti.to_owned()), expires_at: Set(expires_at) })
            .on_conflict(OnConflict::column(revoked_token::Column::Jti).do_nothing().to_owned())
            .do_nothing()
            .exec(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn access_token_live(&self, jti: &str, grant_id: Option<&str>) -> Result<bool> {
        // SELECT NOT EXISTS (denylisted) AND EXISTS (live grant): one statement.
        let denied = Query::select().expr(Expr::val(1)).from(revoked_token::Entity).and_where(revoked_token::Column::Jti.eq(jti)).to_owned();
        let mut live = Expr::exists(denied).not();
        if let Some(g) = grant_id {
            let grant = Query::select().expr(Expr::val(1)).from(grant::Entity).and_where(grant::Column::Id.eq(g)).and_where(grant::Column::RevokedAt.is_null()).to_owned();
            live = live.and(Expr::exists(grant));
        }
        let q = Query::select().expr_as(live, Alias::new("live")).to_owned();
        let row = self.conn.query_one(self.conn.get_database_backend().build(&q)).await.map_err(db)?;
        row.map(|r| r.try_get::<bool>("", "live")).transpose().map_err(db).map(|l| l.unwrap_or(false))
    }
}

async fn insert_refresh(c: &impl ConnectionTrait, hash: [u8; 32], grant_id: &str, now: i64, expires_at: i64) -> Result<()> {
    refresh_token::Entity::insert(refresh_token::ActiveModel {
        token_sha256: Set(hex(&hash)),
        grant_id: Set(grant_id.to_owned()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    })
    .exec(c)
    .await
    .map_err(db)?;
    Ok(())
}

async fn revoke(c: &impl ConnectionTrait, grant_id: &str, now: i64) -> Result<()> {
    grant::Entity::update_many()
        .col_expr(grant::Column::RevokedAt, Expr::value(now))
        .filter(grant::Column::Id.eq(grant_id))
        .filter(grant::Column::RevokedAt.is_null())
        .exec(c)
        .await
        .map_err(db)?;
    // Spent tokens are kept so that a later replay is still recognised as reuse.
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::ExpiresAt, Expr::value(now))
        .filter(refresh_token::Column::GrantId.eq(grant_id))
        .exec(c)
        .await
        .map_err(db)?;
    Ok(())
}

#[async_trait]
impl ConsentStore for SqlStore {
    async fn granted(&self, tenant: &TenantId, ws: &str, user_id: &str, client_id: &str) -> Result<Vec<String>> {
        Ok(consent::Entity::find_by_id((tenant.to_string(), ws.to_owned(), user_id.to_owned(), client_id.to_owned()))
            .one(&self.conn)
            .await
            .map_err(db)?
            .map(|c| c.scope.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default())
    }

    async fn remember(&self, tenant: &TenantId, ws: &str, user_id: &str, client_id: &str, scopes: &[String], now: i64) -> Result<()> {
        consent::Entity::insert(consent::ActiveModel {
            tenant_id: Set(tenant.to_string()),
            workspace_id: Set(ws.to_owned()),
            user_id: Set(user_id.to_owned()),
            client_id: Set(client_id.to_owned()),
            scope: Set(scopes.join(" ")),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([consent::Column::TenantId, consent::Column::WorkspaceId, consent::Column::UserId, consent::Column::ClientId])
                .update_columns([consent::Column::Scope, consent::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn consents(&self, tenant: &TenantId, user_id: &str) -> Result<Vec<Consent>> {
        Ok(consent::Entity::find()
            .filter(consent::Column::TenantId.eq(tenant))
            .filter(consent::Column::UserId.eq(user_id))
            .order_by_asc(consent::Column::WorkspaceId)
            .order_by_asc(consent::Column::ClientId)
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|c| Consent {
                scopes: c.scope.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
                workspace_id: c.workspace_id,
                client_id: c.client_id,
                updated_at: c.updated_at,
            })
            .collect())
    }

    async fn revoke(&self, tenant: &TenantId, ws: &str, user_id: &str, client_id: &str) -> Result<bool> {
        let key = (tenant.to_string(), ws.to_owned(), user_id.to_owned(), client_id.to_owned());
        Ok(consent::Entity::delete_by_id(key).exec(&self.writer).await.map_err(db)?.rows_affected > 0)
    }
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn record(&self, e: AuditEvent, now: i64) -> Result<()> {
        audit_event::Entity::insert(audit_event::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            tenant_id: Set(e.tenant_id.into()),
            at: Set(now),
            actor: Set(e.actor),
            action: Set(e.action),
            subject: Set(e.subject),
            detail: Set(e.detail.to_string()),
        })
        .exec(&self.writer)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn audit_events(&self, tenant: &TenantId, before: Option<(i64, String)>, limit: u64) -> Result<Vec<identity_records::AuditRecord>> {
        let mut q = audit_event::Entity::find().filter(audit_event::Column::TenantId.eq(tenant));
        if let Some((at, id)) = before {
            q = q.filter(
                Condition::any()
                    .add(audit_event::Column::At.lt(at))
                    .add(Condition::all().add(audit_event::Column::At.eq(at)).add(audit_event::Column::Id.lt(id))),
            );
        }
        q.order_by_desc(audit_event::Column::At)
            .order_by_desc(audit_event::Column::Id)
            .limit(limit.clamp(1, 500))
            .all(&self.conn)
            .await
            .map_err(db)?
            .into_iter()
            .map(|e| Ok(identity_records::AuditRecord { detail: serde_json::from_str(&e.detail)?, id: e.id, at: e.at, actor: e.actor, action: e.action, subject: e.subject }))
            .collect()
    }
}

/// One statement per hit: insert at 1, or add one to a live window, or restart an ended
/// one. PostgreSQL locks the row for the update, SQLite has one writer: concurrent hits
/// each get their own count. (`$n` placeholders work on both; SQLite ≥ 3.35 has RETURNING.)
const COUNTER_HIT: &str = "INSERT INTO counters (counter_key, hits, window_ends) VALUES ($1, 1, $2) \
     ON CONFLICT (counter_key) DO UPDATE SET \
     hits = CASE WHEN counters.window_ends <= $3 THEN 1 ELSE counters.hits + 1 END, \
     window_ends = CASE WHEN counters.window_ends <= $3 THEN $2 ELSE counters.window_ends END \
     RETURNING hits";

fn counter_key(key: &str) -> Result<&str> {
    if key.len() > MAX_COUNTER_KEY {
        return Err(AppError::internal(format!("counter key of {} bytes (at most {MAX_COUNTER_KEY})", key.len())));
    }
    Ok(key)
}

fn to_count(hits: i64) -> u64 {
    u64::try_from(hits).unwrap_or(0)
}

#[async_trait]
impl CounterStore for SqlStore {
    async fn hit(&self, key: &str, window: i64, now: i64) -> Result<u64> {
        let values = [counter_key(key)?.into(), now.saturating_add(window.max(1)).into(), now.into()];
        let stmt = sea_orm::Statement::from_sql_and_values(self.writer.get_database_backend(), COUNTER_HIT, values);
        let row = self.writer.query_one(stmt).await.map_err(db)?.ok_or_else(|| AppError::unavailable(crate::error::Service::Database, "counter upsert returned no row"))?;
        row.try_get::<i64>("", "hits").map(to_count).map_err(db)
    }

    async fn count(&self, key: &str, now: i64) -> Result<u64> {
        Ok(counter::Entity::find_by_id(counter_key(key)?.to_owned())
            .filter(counter::Column::WindowEnds.gt(now))
            .one(&self.conn)
            .await
            .map_err(db)?
            .map_or(0, |c| to_count(c.hits)))
    }

    async fn clear(&self, key: &str) -> Result<()> {
        counter::Entity::delete_by_id(counter_key(key)?.to_owned()).exec(&self.writer).await.map_err(db)?;
        Ok(())
    }
}

#[async_trait]
impl Housekeeping for SqlStore {
    async fn purge_expired(&self, now: i64) -> Result<u64> {
        let tokens = revoked_token::Entity::delete_many().filter(revoked_token::Column::ExpiresAt.lte(now)).exec(&self.writer).await.map_err(db)?;
        let counters = counter::Entity::delete_many().filter(counter::Column::WindowEnds.lte(now)).exec(&self.writer).await.map_err(db)?;
        Ok(tokens.rows_affected + counters.rows_affected)
    }
}

#[async_trait]
impl Health for SqlStore {
    async fn ping(&self) -> Result<()> {
        self.conn.ping().await.map_err(db)
    }
}

#[cfg(test)]
mod tests;
