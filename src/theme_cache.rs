//! Resolved themes, cached per node: a page stacks up to three layers (tenant, workspace,
//! client), and resolving them, and building a locale's texts with the layers' overrides
//! (a Fluent bundle formatted through), costs more than rendering the page. The cache keeps
//! the resolved [`Theme`] and its texts per locale, keyed by (tenant, workspace, client)
//! and the published version of each layer.
//!
//! When a cached theme is believed: every publish through [`ThemeStore::publish`] (the
//! admin API, the studio, `theme push`, rollbacks) writes a new random generation for the
//! tenant into the session store, which every node shares; a page reads the generation
//! (one session-store read, no database query) and uses its cached theme only while the
//! generation is the one it was cached under, and for at most `ttl` seconds
//! (`directory_cache_ttl`). After that it reads the layers' versions again, and rebuilds
//! only when one of them changed. Provisioning (`portcullis apply`, the admin API's
//! tenant, workspace and client documents with `theme:`) writes themes in the directory's
//! transaction; `provision::apply` announces a new generation after such a batch, so
//! those are seen on every node's next page too (a store written past both is seen
//! within `ttl`). A session store that cannot be read only costs the fast path.
//!
//! Who may do what: nothing here decides; it serves what the theme store holds.
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::theme::{Theme, ThemeSpec};
use crate::clock::Clock;
use crate::model::TenantId;
use crate::storage::Result;
use crate::storage::session::{Kind, Sessions};
use crate::storage::themes::{Asset, ThemeDraft, ThemeScope, ThemeStore, ThemeVersion};

/// Most entries kept before the map is emptied (a bound, not a tuning knob).
const MAX_ENTRIES: usize = 10_000;
/// How long a generation record lives; when it is gone, entries cached under it are
/// rebuilt after at most `ttl`.
const GENERATION_TTL: i64 = 30 * 86_400;

type Key = (TenantId, String, Option<String>);

/// A locale's texts with a theme's overrides (`views::Texts`).
type Texts = Arc<crate::texts::Strings>;

/// A resolved theme and the texts built from it so far, shared by the requests using it.
pub struct Resolved {
    pub theme: Theme,
    texts: Mutex<HashMap<&'static str, Texts>>,
}

/// A page reads the theme's settings through this (`page.theme.product_name`).
impl std::ops::Deref for Resolved {
    type Target = Theme;
    fn deref(&self) -> &Theme {
        &self.theme
    }
}

impl Resolved {
    fn new(theme: Theme) -> Self {
        Self { theme, texts: Mutex::new(HashMap::new()) }
    }

    /// The texts of `lang` with the theme's overrides (`Theme::strings`), built once.
    pub fn strings(&self, lang: &'static str) -> Texts {
        if let Ok(m) = self.texts.lock()
            && let Some(t) = m.get(lang)
        {
            return t.clone();
        }
        let t = self.theme.strings(lang);
        if let Ok(mut m) = self.texts.lock() {
            m.insert(lang, t.clone());
        }
        t
    }
}

#[derive(Clone)]
struct Entry {
    versions: Vec<Option<i64>>,
    generation: Option<String>,
    checked: i64,
    resolved: Arc<Resolved>,
}

/// The theme store with a cache of resolved themes in front: reads go through to the
/// store, publishes also announce a new generation (see the module documentation).
pub struct ThemeCache {
    store: Arc<dyn ThemeStore>,
    sessions: Sessions,
    clock: Arc<dyn Clock>,
    ttl: i64,
    entries: Mutex<HashMap<Key, Entry>>,
    /// Resolve every page's theme afresh, as before this cache (`examples/page_bench.rs`
    /// measures both).
    bypass: std::sync::atomic::AtomicBool,
}

impl ThemeCache {
    /// `ttl`: the most seconds a cached theme is used without asking the store.
    pub fn new(store: Arc<dyn ThemeStore>, sessions: Sessions, clock: Arc<dyn Clock>, ttl: i64) -> Self {
        Self { store, sessions, clock, ttl: ttl.max(0), entries: Mutex::new(HashMap::new()), bypass: Default::default() }
    }

    /// Turns the cache off (`true`) or on again: for measurements only.
    pub fn set_bypass(&self, on: bool) {
        self.bypass.store(on, std::sync::atomic::Ordering::Relaxed);
    }

    fn generation_id(tenant: &TenantId) -> String {
        format!("theme-generation:{tenant}")
    }

    /// The tenant's current generation; `Err` when the session store cannot say.
    async fn generation(&self, tenant: &TenantId) -> Result<Option<String>> {
        self.sessions.get::<String>(Kind::Counter, &Self::generation_id(tenant)).await
    }

    fn entry(&self, key: &Key) -> Option<Entry> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    /// Tells every node (through the session store) that the tenant's cached themes are
    /// stale: after a publish, after a directory batch that wrote a theme layer
    /// (`provision::apply`), and after a deleted client took its layer with it. Should that
    /// fail, they are seen within `ttl`.
    pub async fn announce(&self, tenant: &TenantId) {
        if let Ok(mut m) = self.entries.lock() {
            m.retain(|k, _| k.0 != *tenant);
        }
        let generation = crate::crypto::random_token(12);
        if let Err(e) = self.sessions.put(Kind::Counter, &Self::generation_id(tenant), &generation, GENERATION_TTL).await {
            tracing::warn!(error = %e, tenant = %tenant, "theme generation not announced; other nodes see the change within the cache's ttl");
        }
    }

    /// The theme of a page of `workspace` (and `client`): the published layers over the
    /// built-in theme, resolved, with texts per locale.
    pub async fn page_theme(&self, tenant: &TenantId, workspace: &str, client: Option<&str>) -> Result<Arc<Resolved>> {
        if self.bypass.load(std::sync::atomic::Ordering::Relaxed) {
            let layers = crate::storage::themes::stack(self.store.as_ref(), tenant, workspace, client).await?;
            return Ok(Arc::new(Resolved::new(crate::theme::resolve_over_builtin(&layers))));
        }
        let now = self.clock.now();
        let key: Key = (tenant.clone(), workspace.to_owned(), client.map(str::to_owned));
        let generation = self.generation(tenant).await;
        let cached = self.entry(&key);
        if let (Some(e), Ok(g)) = (&cached, &generation)
            && e.generation == *g
            && now < e.checked + self.ttl
        {
            return Ok(e.resolved.clone());
        }
        let found = self.store.published(tenant, &ThemeScope::stack(workspace, client)).await?;
        let versions: Vec<Option<i64>> = found.iter().map(|v| v.as_ref().map(|v| v.version)).collect();
        let resolved = match cached {
            Some(e) if e.versions == versions => e.resolved,
            _ => {
                let layers: Vec<ThemeSpec> = found.into_iter().map(|v| v.map(|v| v.layer).unwrap_or_default()).collect();
                Arc::new(Resolved::new(crate::theme::resolve_over_builtin(&layers)))
            }
        };
        // Without a readable generation the entry is not believed next time either.
        if let Ok(generation) = generation
            && let Ok(mut m) = self.entries.lock()
        {
            if m.len() >= MAX_ENTRIES {
                m.clear();
            }
            m.insert(key, Entry { versions, generation, checked: now, resolved: resolved.clone() });
        }
        Ok(resolved)
    }
}

#[async_trait]
impl ThemeStore for ThemeCache {
    async fn published(&self, tenant: &TenantId, scopes: &[ThemeScope]) -> Result<Vec<Option<ThemeVersion>>> {
        self.store.published(tenant, scopes).await
    }

    /// Publishes, then tells every node (through the session store) that the tenant's
    /// cached themes are stale. Should that fail, they are seen within `ttl`.
    async fn publish(&self, tenant: &TenantId, scope: &ThemeScope, layer: &ThemeSpec, author: &str, now: i64, rollback_of: Option<i64>) -> Result<ThemeVersion> {
        let v = self.store.publish(tenant, scope, layer, author, now, rollback_of).await?;
        self.announce(tenant).await;
        Ok(v)
    }

    async fn versions(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<Vec<ThemeVersion>> {
        self.store.versions(tenant, scope).await
    }

    async fn version(&self, tenant: &TenantId, scope: &ThemeScope, version: i64) -> Result<Option<ThemeVersion>> {
        self.store.version(tenant, scope, version).await
    }

    async fn draft(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<Option<ThemeDraft>> {
        self.store.draft(tenant, scope).await
    }

    async fn save_draft(&self, tenant: &TenantId, scope: &ThemeScope, layer: &ThemeSpec, author: &str, now: i64) -> Result<()> {
        self.store.save_draft(tenant, scope, layer, author, now).await
    }

    async fn discard_draft(&self, tenant: &TenantId, scope: &ThemeScope) -> Result<bool> {
        self.store.discard_draft(tenant, scope).await
    }

    async fn put_asset(&self, asset: &Asset) -> Result<bool> {
        self.store.put_asset(asset).await
    }

    async fn asset(&self, tenant: &TenantId, id: &str) -> Result<Option<Asset>> {
        self.store.asset(tenant, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::OffsetClock;
    use crate::storage::memory::{MemoryDb, MemoryStore};

    fn layer(name: &str) -> ThemeSpec {
        let texts = [("de".to_owned(), [("sign-in".to_owned(), format!("Bei {name} anmelden"))].into_iter().collect())].into_iter().collect();
        ThemeSpec { product_name: Some(name.into()), texts, ..Default::default() }
    }

    /// Two nodes over one database and one session store.
    fn nodes(ttl: i64) -> (Arc<MemoryDb>, Arc<OffsetClock>, ThemeCache, ThemeCache) {
        let db = Arc::new(MemoryDb::new());
        let clock = Arc::new(OffsetClock::default());
        let sessions = Sessions::new(Arc::new(MemoryStore::new(clock.clone())));
        let node = || ThemeCache::new(db.clone(), sessions.clone(), clock.clone(), ttl);
        let (a, b) = (node(), node());
        (db, clock, a, b)
    }

    #[tokio::test]
    async fn a_publish_on_one_node_is_seen_at_once_on_every_node() {
        let (_, _, a, b) = nodes(3600);
        let t = TenantId::new("acme");
        assert_eq!(b.page_theme(&t, "shop", None).await.unwrap().theme.product_name, "Portcullis");
        a.publish(&t, &ThemeScope::Workspace("shop".into()), &layer("ACME"), "test", 1, None).await.unwrap();
        let seen = b.page_theme(&t, "shop", None).await.unwrap();
        assert_eq!(seen.theme.product_name, "ACME");
        assert_eq!(seen.strings("de").sign_in, "Bei ACME anmelden", "the texts follow the new layer");
        // The client's pages stack the same layers and their own.
        a.publish(&t, &ThemeScope::Client { workspace: "shop".into(), client_id: "web".into() }, &layer("Web"), "test", 2, None).await.unwrap();
        assert_eq!(b.page_theme(&t, "shop", Some("web")).await.unwrap().theme.product_name, "Web");
        assert_eq!(b.page_theme(&t, "shop", None).await.unwrap().theme.product_name, "ACME");
    }

    #[tokio::test]
    async fn an_unchanged_theme_is_resolved_once_and_a_change_written_elsewhere_is_seen_within_the_ttl() {
        let (db, clock, a, _) = nodes(5);
        let t = TenantId::new("acme");
        let first = a.page_theme(&t, "shop", None).await.unwrap();
        let again = a.page_theme(&t, "shop", None).await.unwrap();
        assert!(Arc::ptr_eq(&first, &again), "served from the cache");
        assert!(Arc::ptr_eq(&first.strings("fr"), &again.strings("fr")), "texts built once per locale");
        // Written past the cache (as provisioning does, in the directory's transaction).
        db.publish(&t, &ThemeScope::Tenant, &layer("Direct"), "provisioning", 1, None).await.unwrap();
        assert_eq!(a.page_theme(&t, "shop", None).await.unwrap().theme.product_name, "Portcullis", "believed within the ttl");
        clock.advance(6);
        let after = a.page_theme(&t, "shop", None).await.unwrap();
        assert_eq!(after.theme.product_name, "Direct");
        clock.advance(6);
        assert!(Arc::ptr_eq(&after, &a.page_theme(&t, "shop", None).await.unwrap()), "versions unchanged after the ttl: nothing rebuilt");
        // Another tenant's publish does not touch this tenant's entries.
        a.publish(&TenantId::new("other"), &ThemeScope::Tenant, &layer("Other"), "test", 2, None).await.unwrap();
        assert!(Arc::ptr_eq(&after, &a.page_theme(&t, "shop", None).await.unwrap()));
    }
}
