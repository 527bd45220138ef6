//! Industry templates: a theme folder and sector defaults per industry, kept as data files
//! in `themes/templates/<id>/` (themes/README.md, "Industry templates") and compiled into
//! the binary. A workspace starts from one with `template: <id>` (provisioning file and
//! the admin API's workspace document; a pool document may name one too), which fills in
//! what the document leaves out of the objects it creates (`provision`); explicit settings
//! always win, and stored objects are never changed by a template.
//!
//! Every template is checked by a unit test: its theme passes `theme::check_layer` (WCAG AA
//! in light and dark mode), its texts pass `texts::validate_overrides` in every shipped
//! locale, and its defaults pass the checks the planner applies to pools and clients.
//!
//! A module of its own rather than a child of `theme`: a template's defaults are pool and
//! client settings (`storage`), and `storage` depends on `theme` (the architecture test
//! refuses the cycle).
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::theme::{ThemeSpec, folder};
use crate::model::PasswordPolicy;
use crate::storage::ConsentMode;
use crate::storage::identity::{Activation, Identifier, MfaSettings};

/// Settings of a pool a template gives (each optional: what it leaves out keeps the
/// planner's default).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolDefaults {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_registration: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<PasswordPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa: Option<MfaSettings>,
    /// The claims of the built-in payload schema the sign-up form asks for (`[]`: only the
    /// identifier and the password). The pool then uses the schema [`payload_schema`]
    /// gives, created in the tenant with the pool; every claim can still be set later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_fields: Option<Vec<String>>,
}

/// Settings of a client a template gives.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientDefaults {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentMode>,
}

/// A template's `defaults.toml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DefaultsFile {
    title: String,
    description: String,
    #[serde(default)]
    pool: PoolDefaults,
    #[serde(default)]
    client: ClientDefaults,
}

/// One industry template.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Template {
    /// What `template:` names: `banking`, `retail`, `media`, `public-sector`, `healthcare`.
    pub id: &'static str,
    pub title: String,
    pub description: String,
    /// The workspace theme layer it starts with (texts included).
    #[schema(value_type = Object)]
    pub theme: ThemeSpec,
    /// For the pools created with the workspace (or a pool document naming the template).
    pub pool: PoolDefaults,
    /// For the clients created in the workspace.
    pub client: ClientDefaults,
}

macro_rules! template_files {
    ($($id:literal),* $(,)?) => {
        /// The files of every template: (id, [(path, text)]).
        const FILES: &[(&str, &[(&str, &str)])] = &[
            $( ($id, &[
                ("theme.toml", include_str!(concat!("../themes/templates/", $id, "/theme.toml"))),
                ("defaults.toml", include_str!(concat!("../themes/templates/", $id, "/defaults.toml"))),
                ("texts/en.ftl", include_str!(concat!("../themes/templates/", $id, "/texts/en.ftl"))),
                ("texts/de.ftl", include_str!(concat!("../themes/templates/", $id, "/texts/de.ftl"))),
                ("texts/fr.ftl", include_str!(concat!("../themes/templates/", $id, "/texts/fr.ftl"))),
                ("texts/es.ftl", include_str!(concat!("../themes/templates/", $id, "/texts/es.ftl"))),
                ("texts/ar.ftl", include_str!(concat!("../themes/templates/", $id, "/texts/ar.ftl"))),
            ]), )*
        ];
    };
}
template_files!("banking", "retail", "media", "public-sector", "healthcare");

/// A template from its files, or why not (a test keeps the shipped ones valid).
fn load(id: &'static str, files: &[(&str, &str)]) -> Result<Template, String> {
    let theme_files: BTreeMap<String, Vec<u8>> = files.iter().filter(|(p, _)| *p != "defaults.toml").map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec())).collect();
    let folder = folder::parse(&theme_files).map_err(|p| p.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))?;
    if !folder.assets.is_empty() {
        return Err("a template has no assets (it applies without uploads)".into());
    }
    let defaults_src = files.iter().find(|(p, _)| *p == "defaults.toml").map(|(_, t)| *t).unwrap_or_default();
    let d: DefaultsFile = toml::from_str(defaults_src).map_err(|e| format!("defaults.toml: {e}"))?;
    // A template never weakens consent (themes/README.md, "Industry templates"): whether a
    // client is first-party is its own document's to say, never a sector's.
    if d.client.consent.is_some_and(|c| c != ConsentMode::Required) {
        return Err("defaults.toml: client.consent: a template's clients ask for consent (\"required\"); a first-party client says `consent: implicit` itself".into());
    }
    Ok(Template { id, title: d.title, description: d.description, theme: folder.spec, pool: d.pool, client: d.client })
}

static TEMPLATES: LazyLock<Vec<Template>> = LazyLock::new(|| {
    FILES
        .iter()
        .filter_map(|(id, files)| match load(id, files) {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::error!(template = id, error = %e, "industry template is invalid and not offered");
                None
            }
        })
        .collect()
});

/// Every template, in a fixed order.
pub fn all() -> &'static [Template] {
    &TEMPLATES
}

/// The template `id`.
pub fn get(id: &str) -> Option<&'static Template> {
    all().iter().find(|t| t.id == id)
}

/// `top` over `base`, per setting as layers resolve (`theme::resolve`): a setting `top`
/// gives wins, tokens, dark values, frames and texts per key; lists (fonts, origins)
/// whole. How a document's `theme:` lies over its template's theme.
pub fn overlay(base: &ThemeSpec, top: &ThemeSpec) -> ThemeSpec {
    let mut out = base.clone();
    let set = |o: &mut Option<_>, t: &Option<_>| {
        if t.is_some() {
            o.clone_from(t);
        }
    };
    set(&mut out.product_name, &top.product_name);
    set(&mut out.logo_url, &top.logo_url);
    set(&mut out.favicon_url, &top.favicon_url);
    set(&mut out.background_image, &top.background_image);
    set(&mut out.frame, &top.frame);
    if top.layout.is_some() {
        out.layout = top.layout;
    }
    if top.color_scheme.is_some() {
        out.color_scheme = top.color_scheme;
    }
    out.tokens.extend(top.tokens.clone());
    out.dark.extend(top.dark.clone());
    out.frames.extend(top.frames.clone());
    if !top.fonts.is_empty() {
        out.fonts.clone_from(&top.fonts);
    }
    if !top.allowed_origins.is_empty() {
        out.allowed_origins.clone_from(&top.allowed_origins);
    }
    for (lang, texts) in &top.texts {
        out.texts.entry(lang.clone()).or_default().extend(texts.clone());
    }
    out
}

/// The payload schema of a template that chooses the sign-up form's fields: its id
/// (`{template}-payload`) and the built-in payload schema with every other claim marked
/// `"x-register": false`.
pub fn payload_schema(t: &Template) -> Option<(String, serde_json::Value)> {
    let fields = t.pool.registration_fields.as_ref()?;
    let mut body = crate::identity::schema::builtin(crate::model::DEFAULT_PAYLOAD)?.clone();
    for (name, prop) in body.get_mut("properties")?.as_object_mut()? {
        let Some(prop) = prop.as_object_mut() else { continue };
        if fields.contains(name) {
            prop.remove(crate::identity::schema::REGISTER_KEYWORD);
        } else {
            prop.insert(crate::identity::schema::REGISTER_KEYWORD.into(), serde_json::Value::Bool(false));
        }
    }
    Some((format!("{}-payload", t.id), body))
}

/// The ids, for messages.
pub fn ids() -> Vec<&'static str> {
    FILES.iter().map(|(id, _)| *id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::{Level, check_layer};

    #[test]
    fn every_template_is_a_valid_accessible_theme_with_valid_texts_and_defaults() {
        for (id, files) in FILES {
            let t = load(id, files).unwrap_or_else(|e| panic!("{id}: {e}"));
            check_layer(&t.theme, Level::Workspace("acme"), &[]).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            crate::views::check_frame_pages(&t.theme).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            for lang in crate::locale::LOCALES {
                assert!(t.theme.texts.get(*lang).is_some_and(|m| !m.is_empty()), "{id}: texts/{lang}.ftl overrides nothing");
            }
            // Every locale overrides the same keys: no language is left with the stock text
            // where another got the sector's.
            let keys: Vec<Vec<&String>> = t.theme.texts.values().map(|m| m.keys().collect()).collect();
            assert!(keys.windows(2).all(|w| w[0] == w[1]), "{id}: the locales override different keys");
            if let Some(p) = &t.pool.password_policy {
                p.validate().unwrap_or_else(|e| panic!("{id}: password policy {e:?}"));
            }
            if let Some((schema_id, body)) = payload_schema(&t) {
                let props = body["properties"].as_object().unwrap();
                for f in t.pool.registration_fields.iter().flatten() {
                    assert!(props.contains_key(f), "{id}: registration field {f} is not a claim of the payload schema");
                }
                crate::identity::schema::compile(&body).unwrap_or_else(|e| panic!("{id}: {e:?}"));
                assert!(schema_id.ends_with("-payload"));
            }
            if let Some(m) = &t.pool.mfa {
                assert!(m.policy == crate::storage::identity::MfaPolicy::Off || !m.factors.is_empty(), "{id}: MFA without factors");
            }
            assert!(!t.title.is_empty() && !t.description.is_empty(), "{id}");
        }
        assert_eq!(all().len(), FILES.len(), "every template loads");
        assert_eq!(ids(), ["banking", "retail", "media", "public-sector", "healthcare"]);
    }

    #[test]
    fn a_document_theme_wins_per_setting_over_the_template() {
        let b = get("banking").unwrap();
        let top: ThemeSpec = toml::from_str("product_name = \"Bank\"\n[tokens]\n\"--pc-color-primary\" = \"#003366\"\n[texts.de]\nsign-in = \"Los\"").unwrap();
        let o = overlay(&b.theme, &top);
        assert_eq!(o.product_name.as_deref(), Some("Bank"));
        assert_eq!(o.tokens["--pc-color-primary"], "#003366");
        assert_eq!(o.tokens["--pc-radius"], b.theme.tokens["--pc-radius"], "the template's other tokens stay");
        assert_eq!(o.texts["de"]["sign-in"], "Los");
        assert_eq!(o.texts["de"]["sign-in-to"], b.theme.texts["de"]["sign-in-to"]);
        assert_eq!(o.layout, b.theme.layout);
        assert_eq!(overlay(&b.theme, &ThemeSpec::default()), b.theme);
    }

    #[test]
    fn no_template_weakens_consent() {
        for t in all() {
            assert_eq!(t.client.consent, Some(ConsentMode::Required), "{}: a template's clients ask for consent", t.id);
        }
        let (_, retail) = FILES.iter().find(|(id, _)| *id == "retail").unwrap();
        let implicit: Vec<(&str, &str)> = retail.iter().map(|(p, t)| (*p, if *p == "defaults.toml" { "title = \"x\"\ndescription = \"x\"\n[client]\nconsent = \"implicit\"\n" } else { *t })).collect();
        assert!(load("retail", &implicit).unwrap_err().contains("client.consent"));
    }

    #[test]
    fn banking_asks_for_a_second_factor_and_consent() {
        let b = get("banking").unwrap();
        assert_eq!(b.pool.mfa.as_ref().map(|m| m.policy), Some(crate::storage::identity::MfaPolicy::Required));
        assert_eq!(b.client.consent, Some(ConsentMode::Required));
        assert!(b.pool.password_policy.as_ref().is_some_and(|p| p.min_length >= 12));
    }
}
