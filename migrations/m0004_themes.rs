//! Themes become versioned objects of their own (issue 10): `theme_versions` (one row per
//! published version of a layer: tenant, workspace or client), `theme_drafts` (one per
//! layer) and `theme_assets` (uploaded logos, favicons, backgrounds and fonts, by content
//! hash). The themes stored until now inside the tenant and workspace settings move into
//! version 1 of their layer, and the settings lose them: from here on no write of a tenant
//! or workspace can change a theme.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_themes"
    }
}

fn a(name: &'static str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("theme_versions"))
                .if_not_exists()
                .col(string(a("tenant_id")))
                .col(string(a("scope")))
                .col(big_integer(a("version")))
                .col(text(a("layer")))
                .col(string(a("author")))
                .col(big_integer(a("published_at")))
                .col(big_integer_null(a("rollback_of")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("scope")).col(a("version")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("theme_drafts"))
                .if_not_exists()
                .col(string(a("tenant_id")))
                .col(string(a("scope")))
                .col(text(a("layer")))
                .col(string(a("author")))
                .col(big_integer(a("updated_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("scope")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("theme_assets"))
                .if_not_exists()
                .col(string(a("tenant_id")))
                .col(string(a("id")))
                .col(string(a("content_type")))
                .col(blob(a("bytes")))
                .col(big_integer_null(a("width")))
                .col(big_integer_null(a("height")))
                .col(big_integer(a("created_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .to_owned(),
        )
        .await?;
        move_themes(m).await
    }
}

/// Moves `settings.theme` of every tenant and workspace into version 1 of its layer.
async fn move_themes(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let conn = m.get_connection();
    let backend = m.get_database_backend();
    for (table, key_cols) in [("tenants", &["id"][..]), ("workspaces", &["tenant_id", "id"][..])] {
        let mut select = Query::select();
        select.from(a(table)).column(a("settings"));
        for c in key_cols {
            select.column(Alias::new(*c));
        }
        let rows = conn.query_all(backend.build(&select)).await?;
        for row in rows {
            let settings: String = row.try_get("", "settings")?;
            let Ok(serde_json::Value::Object(mut obj)) = serde_json::from_str::<serde_json::Value>(&settings) else { continue };
            let Some(theme) = obj.remove("theme") else { continue };
            let (tenant, scope) = if table == "tenants" {
                (row.try_get::<String>("", "id")?, "tenant".to_owned())
            } else {
                (row.try_get::<String>("", "tenant_id")?, format!("workspace/{}", row.try_get::<String>("", "id")?))
            };
            let empty = theme.as_object().is_none_or(|o| o.values().all(|v| v.is_null() || v.as_object().is_some_and(|x| x.is_empty())));
            if !empty {
                let insert = Query::insert()
                    .into_table(a("theme_versions"))
                    .columns([a("tenant_id"), a("scope"), a("version"), a("layer"), a("author"), a("published_at")])
                    .values([tenant.clone().into(), scope.into(), 1i64.into(), theme.to_string().into(), "migration".into(), 0i64.into()])
                    .map_err(|e| DbErr::Migration(e.to_string()))?
                    .on_conflict(OnConflict::new().do_nothing().to_owned())
                    .to_owned();
                conn.execute(backend.build(&insert)).await?;
            }
            let mut update = Query::update();
            update.table(a(table)).value(a("settings"), serde_json::Value::Object(obj).to_string());
            for c in key_cols {
                let v: String = row.try_get("", c)?;
                update.and_where(Expr::col(Alias::new(*c)).eq(v));
            }
            conn.execute(backend.build(&update)).await?;
        }
    }
    Ok(())
}
