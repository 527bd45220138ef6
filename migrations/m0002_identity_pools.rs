//! Identity pools (issue 3): user metadata and deletion time, tenant schemas, privileges
//! and their holders. Password history lives in `credentials` (kind `password_history`).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_identity_pools"
    }
}

fn a(name: &'static str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        m.alter_table(Table::alter().table(a("users")).add_column(text(a("metadata")).default("{}")).to_owned()).await?;
        m.alter_table(Table::alter().table(a("users")).add_column(big_integer_null(a("deleted_at"))).to_owned()).await?;
        m.alter_table(Table::alter().table(a("credentials")).add_column(string_null(a("source_sha256"))).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(a("schemas"))
                .if_not_exists()
                .col(string(a("tenant_id")))
                .col(string(a("id")))
                .col(text(a("body")))
                .col(big_integer(a("updated_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("privileges"))
                .if_not_exists()
                .col(string(a("tenant_id")))
                .col(string(a("id")))
                .col(string(a("name")))
                .col(string_null(a("pool_id")))
                .col(string_null(a("group_id")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("privilege_holders"))
                .if_not_exists()
                .col(string(a("tenant_id")))
                .col(string(a("privilege_id")))
                .col(string(a("holder")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("privilege_id")).col(a("holder")))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("privilege_holders_holder").table(a("privilege_holders")).col(a("tenant_id")).col(a("holder")).if_not_exists().to_owned())
            .await?;
        m.create_index(Index::create().name("users_status").table(a("users")).col(a("tenant_id")).col(a("pool_id")).col(a("status")).if_not_exists().to_owned())
            .await?;
        Ok(())
    }
}
