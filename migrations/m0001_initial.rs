//! The foundation schema: directory (tenants, pools, workspaces), identities (users,
//! addresses, credentials, groups), clients, signing keys, grants and refresh tokens,
//! consents, audit events. Secrets are stored only as digests or PHC hashes.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_initial"
    }
}

fn s(name: &'static str) -> ColumnDef {
    string(Alias::new(name))
}
fn s_null(name: &'static str) -> ColumnDef {
    string_null(Alias::new(name))
}
fn t(name: &'static str) -> ColumnDef {
    text(Alias::new(name))
}
fn i(name: &'static str) -> ColumnDef {
    big_integer(Alias::new(name))
}
fn i_null(name: &'static str) -> ColumnDef {
    big_integer_null(Alias::new(name))
}
fn b(name: &'static str) -> ColumnDef {
    boolean(Alias::new(name))
}
fn pk(cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.primary().to_owned()
}
fn table(name: &'static str) -> TableCreateStatement {
    Table::create().table(Alias::new(name)).if_not_exists().to_owned()
}
fn unique(name: &'static str, tbl: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(Alias::new(tbl)).unique().if_not_exists();
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.to_owned()
}
fn index(name: &'static str, tbl: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(Alias::new(tbl)).if_not_exists();
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            table("tenants").col(s("id")).col(s("name")).col(t("settings")).col(i("created_at")).primary_key(&mut pk(&["id"])).to_owned(),
            table("pools")
                .col(s("tenant_id")).col(s("id")).col(s("name")).col(b("self_registration")).col(t("settings"))
                .primary_key(&mut pk(&["tenant_id", "id"])).to_owned(),
            table("workspaces")
                .col(s("tenant_id")).col(s("id")).col(s("name")).col(t("settings"))
                .primary_key(&mut pk(&["tenant_id", "id"])).to_owned(),
            table("workspace_pools")
                .col(s("tenant_id")).col(s("workspace_id")).col(s("pool_id")).col(integer(Alias::new("position")))
                .primary_key(&mut pk(&["tenant_id", "workspace_id", "pool_id"])).to_owned(),
            table("users")
                .col(s("id")).col(s("tenant_id")).col(s("pool_id")).col(s("username")).col(s("status"))
                .col(t("claims")).col(i("created_at")).col(i("updated_at"))
                .primary_key(&mut pk(&["id"])).to_owned(),
            table("addresses")
                .col(s("user_id")).col(s("tenant_id")).col(s("pool_id")).col(s("kind")).col(s("value")).col(b("verified"))
                .primary_key(&mut pk(&["user_id", "kind"])).to_owned(),
            table("credentials")
                .col(s("id")).col(s("user_id")).col(s("kind")).col(t("secret")).col(i("created_at")).col(i("updated_at"))
                .primary_key(&mut pk(&["id"])).to_owned(),
            table("groups")
                .col(s("tenant_id")).col(s("pool_id")).col(s("id")).col(s("name"))
                .primary_key(&mut pk(&["tenant_id", "pool_id", "id"])).to_owned(),
            table("group_members")
                .col(s("tenant_id")).col(s("pool_id")).col(s("group_id")).col(s("user_id"))
                .primary_key(&mut pk(&["tenant_id", "pool_id", "group_id", "user_id"])).to_owned(),
            table("clients")
                .col(s("tenant_id")).col(s("workspace_id")).col(s("client_id")).col(s("name")).col(s_null("secret_sha256"))
                .col(t("settings")).col(i("updated_at"))
                .primary_key(&mut pk(&["tenant_id", "workspace_id", "client_id"])).to_owned(),
            table("signing_keys")
                .col(s("kid")).col(s("alg")).col(t("private_pem")).col(i("created_at")).col(i_null("retired_at"))
                .primary_key(&mut pk(&["kid"])).to_owned(),
            table("grants")
                .col(s("id")).col(s("tenant_id")).col(s("workspace_id")).col(s("client_id")).col(s("user_id"))
                .col(t("scope")).col(s("sid")).col(i("auth_time")).col(s("acr")).col(s("amr"))
                .col(i("created_at")).col(i_null("revoked_at"))
                .primary_key(&mut pk(&["id"])).to_owned(),
            table("refresh_tokens")
                .col(s("token_sha256")).col(s("grant_id")).col(i("created_at")).col(i("expires_at")).col(i_null("used_at"))
                .primary_key(&mut pk(&["token_sha256"])).to_owned(),
            table("consents")
                .col(s("tenant_id")).col(s("workspace_id")).col(s("user_id")).col(s("client_id")).col(t("scope")).col(i("updated_at"))
                .primary_key(&mut pk(&["tenant_id", "workspace_id", "user_id", "client_id"])).to_owned(),
            table("audit_events")
                .col(s("id")).col(s("tenant_id")).col(i("at")).col(s("actor")).col(s("action")).col(s("subject")).col(t("detail"))
                .primary_key(&mut pk(&["id"])).to_owned(),
        ];
        for tbl in tables {
            m.create_table(tbl).await?;
        }
        let indexes = [
            unique("users_username", "users", &["tenant_id", "pool_id", "username"]),
            unique("addresses_value", "addresses", &["tenant_id", "pool_id", "kind", "value"]),
            index("credentials_user", "credentials", &["user_id", "kind"]),
            index("group_members_user", "group_members", &["user_id"]),
            index("refresh_tokens_grant", "refresh_tokens", &["grant_id"]),
            index("grants_user", "grants", &["tenant_id", "user_id"]),
            index("audit_events_tenant", "audit_events", &["tenant_id", "at"]),
        ];
        for idx in indexes {
            m.create_index(idx).await?;
        }
        Ok(())
    }
}
