//! Security state that must survive the loss of the session store (issue 7): the denylist
//! of revoked access tokens and durable counters (sign-in lockout). Both are purged once
//! expired, so they stay bounded by live state.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_durable_security_state"
    }
}

fn a(name: &'static str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // An access token id (`jti`) revoked before its expiry, kept until that expiry.
        m.create_table(
            Table::create()
                .table(a("revoked_tokens"))
                .if_not_exists()
                .col(string(a("jti")).primary_key())
                .col(big_integer(a("expires_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("revoked_tokens_expires").table(a("revoked_tokens")).col(a("expires_at")).if_not_exists().to_owned()).await?;
        // A fixed-window counter: `hits` since the window began, until `window_ends`.
        m.create_table(
            Table::create()
                .table(a("counters"))
                .if_not_exists()
                .col(string(a("counter_key")).primary_key())
                .col(big_integer(a("hits")))
                .col(big_integer(a("window_ends")))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("counters_window_ends").table(a("counters")).col(a("window_ends")).if_not_exists().to_owned()).await?;
        Ok(())
    }
}
