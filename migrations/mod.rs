//! Database migrations, run at start (`Migrator::up`). Written with SeaQuery's schema
//! builder so one definition serves SQLite and PostgreSQL.
use sea_orm_migration::prelude::*;

mod m0001_initial;
mod m0002_identity_pools;
mod m0003_durable_security_state;
mod m0004_themes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m0001_initial::Migration), Box::new(m0002_identity_pools::Migration), Box::new(m0003_durable_security_state::Migration), Box::new(m0004_themes::Migration)]
    }
}
