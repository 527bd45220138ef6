//! Every text a person reads: hosted pages, errors, mails and SMS, one Fluent catalogue per
//! locale (`locales/<locale>.ftl`, compiled into the binary, parsed once).
//!
//! [`Strings`] is typed: its fields are the catalogue's plain texts (field `sign_in_to` ↔
//! key `sign-in-to`), so a template reads `{{ page.t.sign_in }}` and a text that does not
//! exist is a compile error; texts with arguments are methods (`t.wait_seconds(30)`,
//! Fluent variables `$n`). Both are declared once, in the [`catalogue!`] list below, which
//! also gives the key list the tests check every shipped locale against.
//!
//! A theme may override any text per locale ([`Overrides`], `{locale: {key: text}}`):
//! [`validate_overrides`] checks an override document (known locales and keys, bounded
//! length, valid Fluent, the same variables as the shipped text), [`strings`] applies
//! override layers on top of the catalogue. A key missing in a locale falls back to English
//! at run time; the unit tests refuse a shipped catalogue that misses one.
//!
//! Who may do what: this module only reads compiled-in catalogues and the override data it
//! is given; who may store overrides is decided by the theme's admin API.
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, LazyLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use crate::locale::{self, LOCALES};

mod mail;
pub use mail::{Brand, Mail, MailKind, escape_html, password_rules, render as render_mail, unmet_rule};

type Bundle = FluentBundle<Arc<FluentResource>>;

/// A theme's text overrides: locale → key → Fluent text.
pub type Overrides = BTreeMap<String, BTreeMap<String, String>>;

/// Longest override text (characters).
pub const MAX_OVERRIDE_CHARS: usize = 2000;

/// An argument of a text: a number (plural rules apply) or a string.
pub enum Arg {
    Num(i64),
    Str(String),
}

impl Arg {
    fn value(self) -> FluentValue<'static> {
        match self {
            Arg::Num(n) => FluentValue::from(n),
            Arg::Str(s) => FluentValue::from(s),
        }
    }
}

macro_rules! arg_from_int {
    ($($t:ty),*) => { $( impl From<$t> for Arg { fn from(n: $t) -> Self { Arg::Num(i64::try_from(n).unwrap_or(i64::MAX)) } } )* };
}
arg_from_int!(i64, u64, u32, i32, usize);

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Str(s.clone())
    }
}

/// The catalogue key of a field or method name: `sign_in_to` → `sign-in-to`.
pub fn key_of(name: &str) -> String {
    name.replace('_', "-")
}

/// Declares the texts once: the `Strings` struct (a field per plain text), a method per
/// text with arguments, and `KEYS` (every key with its variables). To add a text, add a
/// line here and the text to every `locales/*.ftl` (docs/architecture.md, "Texts").
macro_rules! catalogue {
    (
        plain { $( $(#[$fm:meta])* $field:ident, )* }
        with_args { $( $(#[$am:meta])* $method:ident ( $($arg:ident),* ), )* }
    ) => {
        /// The texts of one locale (with a theme's overrides applied).
        pub struct Strings {
            /// BCP 47 tag of the locale (`<html lang>`).
            pub lang: &'static str,
            /// Writing direction (`<html dir>`): `rtl` or `ltr`.
            pub dir: &'static str,
            $( $(#[$fm])* pub $field: String, )*
            bundle: Arc<Bundle>,
        }

        /// Every key (field or method name) with the variables its text takes.
        pub const KEYS: &[(&str, &[&str])] = &[
            $( (stringify!($field), &[]), )*
            $( (stringify!($method), &[ $(stringify!($arg)),* ]), )*
        ];

        impl Strings {
            fn build(lang: &'static str, bundle: Arc<Bundle>) -> Strings {
                Strings {
                    lang,
                    dir: locale::direction(lang),
                    $( $field: format(&bundle, stringify!($field), None), )*
                    bundle,
                }
            }

            /// Every plain text as (field name, text), e.g. for a theme frame's `t.sign_in`.
            pub fn plain(&self) -> Vec<(&'static str, &str)> {
                vec![ $( (stringify!($field), self.$field.as_str()), )* ]
            }

            $(
                $(#[$am])*
                pub fn $method(&self, $($arg: impl Into<Arg>),*) -> String {
                    #[allow(unused_mut)]
                    let mut args = FluentArgs::new();
                    $( args.set(stringify!($arg), $arg.into().value()); )*
                    format(&self.bundle, stringify!($method), Some(&args))
                }
            )*
        }
    };
}

catalogue! {
    plain {
        sign_in,
        username_or_email,
        password,
        bad_credentials,
        too_many_attempts,
        too_many_codes,
        forgot_password,
        create_account_link,
        consent_title,
        allow,
        deny,
        signed_out,
        signed_out_text,
        sign_out_title,
        sign_out_question,
        sign_out,
        error_title,
        error_code,
        error_details,
        scope_openid,
        scope_profile,
        scope_email,
        scope_phone,
        scope_address,
        scope_offline_access,
        scope_admin,
        scope_admin_warning,
        /// For a scope the page has no words for: the user still sees that more is asked.
        scope_other,
        register_title,
        register_submit,
        optional,
        have_account,
        label_username,
        label_email,
        label_phone,
        claim_given_name,
        claim_family_name,
        claim_middle_name,
        claim_nickname,
        claim_preferred_username,
        claim_birthdate,
        claim_gender,
        claim_zoneinfo,
        claim_locale,
        claim_website,
        claim_profile,
        claim_picture,
        field_required,
        field_taken,
        field_invalid,
        form_problem,
        password_invalid,
        rule_lowercase,
        rule_uppercase,
        rule_digit,
        rule_symbol,
        rule_identifier,
        rule_common,
        rule_history_one,
        verify_title,
        reset_confirm_title,
        code_label,
        new_password,
        continue_button,
        resend,
        code_resent,
        resend_limited,
        reset_title,
        reset_intro,
        reset_identifier,
        reset_not_address,
        send_code,
        activate_title,
        activate_submit,
        activated_title,
        activated_text,
        activation_link_expired,
        password_changed_title,
        password_changed_text,
        form_expired,
        form_expired_flow,
        flow_expired,
        code_expired,
        client_gone,
        sign_in_first,
        choose_allow_deny,
        no_registration,
        not_found,
        bad_request,
        unavailable,
        internal_error,
        mail_ignore,
        mail_activation_subject,
        mail_reset_subject,
        mail_reset_link,
        mail_existing_subject,
        mail_existing_text,
        mail_existing_link,
        mail_invite_subject,
        mail_signin_subject,
        mail_invite_link,
        sample_error,
        // -- second factors: TOTP, recovery codes, factor choice (helper T) --
        mfa_wrong_code_last,
        mfa_recovery_used_one,
        mfa_recovery_used_none,
        mfa_choice_title,
        mfa_choice_intro,
        mfa_choice_enrol_title,
        mfa_choice_enrol_intro,
        mfa_factor_totp,
        mfa_factor_webauthn,
        mfa_factor_email_otp,
        mfa_factor_sms_otp,
        mfa_factor_recovery_code,
        mfa_totp_title,
        mfa_totp_intro,
        mfa_code_label,
        mfa_verify,
        mfa_use_recovery_code,
        mfa_use_other,
        mfa_recovery_title,
        mfa_recovery_intro,
        mfa_recovery_label,
        mfa_enrol_totp_title,
        mfa_enrol_totp_intro,
        mfa_enrol_totp_qr,
        mfa_enrol_totp_link,
        mfa_enrol_totp_secret,
        mfa_enrol_wrong_code,
        mfa_recovery_codes_title,
        mfa_recovery_codes_intro,
        mfa_recovery_codes_copy,
        mfa_recovery_codes_download,
        mfa_recovery_codes_file,
        mfa_continue,
        mfa_recovery_used_title,
        mfa_recovery_used_setup,
        mfa_locked_title,
        mfa_not_available,
        /// A factor locked until another one passed (after `auth::second::MAX_FAILURES`).
        mfa_locked_hard_text,
        mfa_locked_mail_subject,
        /// The recovery codes' download is gone (it is offered once, with the codes).
        mfa_recovery_download_gone,
        /// A reload of the page that showed the new codes once.
        mfa_recovery_codes_shown,

        // -- passkeys (helper W) --
        passkey_sign_in,
        passkey_or,
        passkey_title,
        passkey_intro,
        passkey_use,
        passkey_enrol_title,
        passkey_enrol_intro,
        passkey_create,
        passkey_failed,
        passkey_refused,
        passkey_expired,
        passkey_unsupported,
        passkey_other_way,
        passkey_no_other_way,

        // -- email and SMS codes, adaptive MFA (helper A) --
        email_otp_title,
        sms_otp_title,
        otp_code_label,
        otp_continue,
        otp_resend,
        otp_resent,
        otp_error_summary,
        otp_missing,
        otp_locked,

        // -- end of factor strings --

        // -- theme studio (helper ST) --
        studio_title,
        studio_sign_out,
        studio_signed_out_title,
        studio_signed_out_text,
        studio_sign_in_again,
        studio_continue,
        studio_signed_in_title,
        studio_not_set_up_title,
        studio_not_set_up_text,
        studio_refused_title,
        studio_refused_text,
        studio_expired_title,
        studio_expired_text,
        studio_needs_js,
        studio_editing,
        studio_layer_tenant,
        studio_status_draft,
        studio_status_published,
        studio_status_new,
        studio_unsaved,
        studio_brand,
        studio_product_name,
        studio_logo,
        studio_favicon,
        studio_background,
        studio_upload_hint,
        studio_remove,
        studio_inherited,
        studio_layout,
        studio_layout_centered,
        studio_layout_split,
        studio_scheme,
        studio_scheme_auto,
        studio_scheme_light,
        studio_scheme_dark,
        studio_colours,
        studio_light,
        studio_dark,
        studio_reset,
        studio_color_primary,
        studio_color_primary_contrast,
        studio_color_background,
        studio_color_surface,
        studio_color_text,
        studio_color_muted,
        studio_color_error,
        studio_color_border,
        studio_color_link,
        studio_color_success,
        studio_color_warning,
        studio_color_info,
        studio_color_focus,
        studio_type,
        studio_font,
        studio_font_system,
        studio_font_neo,
        studio_font_geometric,
        studio_font_humanist,
        studio_font_serif,
        studio_font_oldstyle,
        studio_font_mono,
        studio_font_upload,
        studio_font_family_name,
        studio_radius,
        studio_card_width,
        studio_logo_height,
        studio_texts,
        studio_texts_locale,
        studio_texts_search,
        studio_texts_hint,
        studio_texts_none,
        studio_locale_en,
        studio_locale_de,
        studio_locale_fr,
        studio_locale_es,
        studio_locale_ar,
        studio_save,
        studio_publish,
        studio_discard,
        studio_saved,
        studio_published,
        studio_discarded,
        studio_restored,
        studio_uploaded,
        studio_problems,
        studio_failed,
        studio_session_over,
        studio_confirm_switch,
        studio_versions,
        studio_versions_none,
        studio_version,
        studio_restore,
        studio_current,
        studio_restores,
        studio_preview,
        studio_preview_in,
        studio_preview_page,
        studio_preview_refused,
        studio_width,
        studio_desktop,
        studio_mobile,
        studio_mode,
        studio_busy_title,
        studio_busy_text,
        // -- end of studio strings --

        // -- page polish (helper PO) --
        /// The heading of the error summary at the top of a form.
        error_summary_title,
        /// The sign-in label of pools whose accounts are named by email or phone number.
        label_email_or_phone,
        /// The consent page's switch-account button.
        not_you,
        cancel,
        still_signed_in_title,
        still_signed_in_text,
        /// The show-password toggle (a button that appears only with JavaScript).
        show_password,
        hide_password,
        terms_link,
        privacy_link,
        /// What consent and logout call a client that has no display name of its own.
        unnamed_app,
        // -- end of polish strings --

        // -- theme folders and templates (helper CL) --
        /// `portcullis theme serve`: the index page and the problems page.
        theme_serve_intro,
        theme_serve_page,
        theme_serve_light,
        theme_serve_dark,
        theme_serve_problems,
        theme_serve_problems_hint,
        theme_serve_file,
        theme_serve_setting,
        theme_serve_problem,
        // -- end of theme folder strings --
    }
    with_args {
        /// The line under the sign-in heading.
        sign_in_to(client),
        /// `n`: seconds.
        wait_seconds(n),
        /// The consent page's question, naming the application.
        consent_intro(client),
        rule_min_length(n),
        rule_max_length(n),
        rule_history(n),
        /// `address`: the masked address; `minutes`: how long the code lasts.
        code_intro(address, minutes),
        code_wrong(left),
        error_reference(reference),
        mail_activation_text(code, minutes),
        mail_reset_text(code, minutes),
        sms_activation(code, minutes),
        sms_reset(code, minutes),
        mail_signature(sender),
        /// `days`: how long the activation link lasts.
        mail_invite_text(days),
        mail_signin_text(code, minutes),
        sms_signin(code, minutes),
        // -- second factors (helper T) --
        /// `n`: wrong codes left before the lock.
        mfa_wrong_code(n),
        /// `n`: codes left.
        mfa_recovery_used_left(n),
        /// `time`: HH:MM (UTC), `n`: minutes.
        mfa_locked_text(time, n),
        /// `factor`: the factor's label.
        mfa_locked_mail_text(factor),
        // -- email and SMS codes (helper A) --
        /// `to`: the masked address; `n`: minutes.
        email_otp_intro(to, n),
        /// `to`: the masked number; `n`: minutes.
        sms_otp_intro(to, n),
        /// `n`: attempts left.
        otp_wrong(n),
        // -- theme studio (helper ST) --
        studio_signed_in_as(user),
        studio_layer_workspace(name),
        studio_layer_client(name, workspace),
        // -- end of studio strings --

        // -- page polish (helper PO) --
        /// `app`: the application's name (a link on error pages).
        back_to_app(app),
        /// `user`: the signed-in account (its email address, phone number or username).
        signed_in_as(user),
        /// `app`: the application that asks for the sign-out.
        sign_out_question_app(app),
        /// An entry of the error summary: `field`: the field's label, `error`: its error.
        error_in_field(field, error),
        /// `workspace`: the workspace's name; what consent and logout call a client that
        /// has no display name of its own.
        unnamed_app_of(workspace),
        // -- end of polish strings --

        // -- theme folders and templates (helper CL) --
        /// `folder`: the theme folder's name.
        theme_serve_title(folder),
        /// `portcullis theme serve` refusing a request for another host name (DNS
        /// rebinding): `port`, the preview's port.
        theme_serve_wrong_host(port),
        // -- end of theme folder strings --
    }
}

impl Strings {
    /// Any text of the catalogue by key (field or method name), with arguments.
    pub fn text(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            let v = match v {
                Arg::Num(n) => FluentValue::from(*n),
                Arg::Str(s) => FluentValue::from(s.clone()),
            };
            a.set(*k, v);
        }
        format(&self.bundle, key, Some(&a))
    }
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings").field("lang", &self.lang).finish_non_exhaustive()
    }
}

/// Formats a message of `bundle` (its key given as field name); a missing message or a
/// formatting error is logged, and shows as the key rather than as nothing.
fn format(bundle: &Bundle, name: &str, args: Option<&FluentArgs>) -> String {
    let key = key_of(name);
    let Some(pattern) = bundle.get_message(&key).and_then(|m| m.value()) else {
        tracing::error!(key, "text missing from every catalogue");
        return key;
    };
    let mut errors = vec![];
    let out = bundle.format_pattern(pattern, args, &mut errors).into_owned();
    if !errors.is_empty() {
        tracing::warn!(key, errors = ?errors, "text formatted with errors");
    }
    out
}

fn source(lang: &str) -> &'static str {
    match lang {
        "en" => include_str!("../../locales/en.ftl"),
        "de" => include_str!("../../locales/de.ftl"),
        "fr" => include_str!("../../locales/fr.ftl"),
        "es" => include_str!("../../locales/es.ftl"),
        "ar" => include_str!("../../locales/ar.ftl"),
        _ => "",
    }
}

struct Shipped {
    /// Parsed catalogue per locale (same order as `LOCALES`).
    resources: Vec<Arc<FluentResource>>,
    /// The built-in texts per locale.
    strings: Vec<Arc<Strings>>,
}

fn langid(lang: &str) -> unic_langid::LanguageIdentifier {
    lang.parse().unwrap_or_default()
}

/// A bundle of `lang`: English underneath (the run-time fallback), the locale's catalogue,
/// then `extra` resources (overrides), each overriding what is below.
fn bundle(lang: &str, resources: &[Arc<FluentResource>], extra: &[Arc<FluentResource>]) -> Bundle {
    let mut b = Bundle::new_concurrent(vec![langid(lang)]);
    // Isolation marks would end up in plain-text mails and SMS; pages isolate by markup.
    b.set_use_isolating(false);
    b.add_resource_overriding(resources[0].clone());
    if let Some(i) = LOCALES.iter().position(|l| *l == lang).filter(|i| *i != 0) {
        b.add_resource_overriding(resources[i].clone());
    }
    for r in extra {
        b.add_resource_overriding(r.clone());
    }
    b
}

static SHIPPED: LazyLock<Shipped> = LazyLock::new(|| {
    let resources: Vec<Arc<FluentResource>> = LOCALES
        .iter()
        .map(|l| Arc::new(FluentResource::try_new(source(l).to_owned()).unwrap_or_else(|(r, _)| r)))
        .collect();
    let strings = LOCALES.iter().map(|l| Arc::new(Strings::build(l, Arc::new(bundle(l, &resources, &[]))))).collect();
    Shipped { resources, strings }
});

/// The built-in texts of a supported locale (English for any other).
pub fn builtin(lang: &str) -> Arc<Strings> {
    let i = LOCALES.iter().position(|l| *l == lang).unwrap_or(0);
    SHIPPED.strings[i].clone()
}

/// The texts of `lang` with override layers applied, most general first (later layers
/// win per key). Layers are expected to be valid ([`validate_overrides`]); an entry that
/// is not is skipped.
pub fn strings(lang: &str, layers: &[&Overrides]) -> Arc<Strings> {
    let lang = LOCALES.iter().copied().find(|l| *l == lang).unwrap_or(LOCALES[0]);
    let extra: Vec<Arc<FluentResource>> = layers
        .iter()
        .filter_map(|o| o.get(lang))
        .filter(|m| !m.is_empty())
        .filter_map(|m| {
            let src: String = m.iter().filter(|(k, v)| check_override(k, v).is_ok()).map(|(k, v)| entry(k, v)).collect();
            FluentResource::try_new(src).ok().map(Arc::new)
        })
        .collect();
    if extra.is_empty() {
        return builtin(lang);
    }
    Arc::new(Strings::build(lang, Arc::new(bundle(lang, &SHIPPED.resources, &extra))))
}

/// One Fluent entry `key = text` (continuation lines indented).
fn entry(key: &str, text: &str) -> String {
    format!("{} = {}\n", key, text.replace('\n', "\n    "))
}

/// The variables a pattern uses (also inside selectors, variants and call arguments).
fn variables(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    fn inline(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => call(arguments, out),
            ast::InlineExpression::TermReference { arguments: Some(a), .. } => call(a, out),
            ast::InlineExpression::Placeable { expression } => expr(expression, out),
            _ => {}
        }
    }
    fn call(a: &ast::CallArguments<&str>, out: &mut BTreeSet<String>) {
        a.positional.iter().for_each(|e| inline(e, out));
        a.named.iter().for_each(|n| inline(&n.value, out));
    }
    fn expr(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Inline(i) => inline(i, out),
            ast::Expression::Select { selector, variants } => {
                inline(selector, out);
                variants.iter().for_each(|v| variables(&v.value, out));
            }
        }
    }
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expr(expression, out);
        }
    }
}

/// The variables a key's text takes (from the declaration), or None for an unknown key.
fn declared(key: &str) -> Option<BTreeSet<String>> {
    KEYS.iter().find(|(k, _)| key_of(k) == key).map(|(_, v)| v.iter().map(|s| s.to_string()).collect())
}

/// One override: a known key, bounded, valid Fluent defining exactly that message, with
/// the variables of the shipped text.
fn check_override(key: &str, text: &str) -> Result<(), String> {
    let Some(vars) = declared(key) else {
        return Err("not a text key (see GET /api/admin/v1/pages or locales/en.ftl)".into());
    };
    if text.trim().is_empty() || text.chars().count() > MAX_OVERRIDE_CHARS {
        return Err(format!("a text of 1 to {MAX_OVERRIDE_CHARS} characters"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err("control characters are not allowed (only line breaks)".into());
    }
    let parsed = FluentResource::try_new(entry(key, text)).map_err(|(_, e)| format!("not valid Fluent: {}", e.first().map(|e| format!("{:?}", e.kind)).unwrap_or_default()))?;
    let entries: Vec<_> = parsed.entries().collect();
    let [ast::Entry::Message(m)] = entries.as_slice() else {
        return Err("must define exactly this one text (no other entries)".into());
    };
    let Some(value) = m.value.as_ref().filter(|_| m.id.name == key && m.attributes.is_empty()) else {
        return Err("must define exactly this one text (no attributes)".into());
    };
    let mut used = BTreeSet::new();
    variables(value, &mut used);
    if used != vars {
        let list = |s: &BTreeSet<String>| if s.is_empty() { "none".to_owned() } else { s.iter().map(|v| format!("${v}")).collect::<Vec<_>>().join(", ") };
        return Err(format!("uses the variables {}; the text takes {}", list(&used), list(&vars)));
    }
    Ok(())
}

/// A refused override: the JSON path of the offending entry and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideError {
    /// E.g. `/texts/de/sign-in`.
    pub path: String,
    pub message: String,
}

/// Most override entries one document may carry.
pub const MAX_OVERRIDES: usize = 2000;

/// Checks an override document; `base` is the JSON path it sits at (e.g. `/texts`).
pub fn validate_overrides(base: &str, o: &Overrides) -> Result<(), OverrideError> {
    let count: usize = o.values().map(BTreeMap::len).sum();
    if count > MAX_OVERRIDES {
        return Err(OverrideError { path: base.into(), message: format!("at most {MAX_OVERRIDES} texts") });
    }
    for (lang, texts) in o {
        if !LOCALES.contains(&lang.as_str()) {
            return Err(OverrideError { path: format!("{base}/{lang}"), message: format!("not a supported locale ({})", LOCALES.join(", ")) });
        }
        for (key, text) in texts {
            check_override(key, text).map_err(|message| OverrideError { path: format!("{base}/{lang}/{key}"), message })?;
        }
    }
    Ok(())
}

/// Problems of the shipped catalogues: syntax errors, missing or unknown keys, variables
/// that differ from the declaration. Empty when all is well; startup refuses to run
/// otherwise.
pub fn problems() -> Vec<String> {
    let mut out = vec![];
    for lang in LOCALES {
        let src = source(lang);
        let res = match FluentResource::try_new(src.to_owned()) {
            Ok(r) => r,
            Err((r, errors)) => {
                for e in errors {
                    out.push(format!("{lang}.ftl: syntax error {:?} at bytes {:?}", e.kind, e.pos));
                }
                r
            }
        };
        let mut seen = BTreeMap::new();
        for e in res.entries() {
            match e {
                ast::Entry::Message(m) => {
                    let mut vars = BTreeSet::new();
                    if let Some(v) = &m.value {
                        variables(v, &mut vars);
                    }
                    if seen.insert(m.id.name.to_owned(), vars).is_some() {
                        out.push(format!("{lang}.ftl: {} is defined twice", m.id.name));
                    }
                }
                ast::Entry::Junk { content } => out.push(format!("{lang}.ftl: unparsable entry {:?}", content.lines().next().unwrap_or(""))),
                _ => {}
            }
        }
        for (name, vars) in KEYS {
            let key = key_of(name);
            let want: BTreeSet<String> = vars.iter().map(|s| s.to_string()).collect();
            match seen.get(&key) {
                None => out.push(format!("{lang}.ftl: missing {key}")),
                Some(got) if *got != want => out.push(format!("{lang}.ftl: {key} uses {got:?}, declared {want:?}")),
                Some(_) => {}
            }
        }
        for key in seen.keys() {
            if declared(key).is_none() {
                out.push(format!("{lang}.ftl: {key} is not declared in texts::catalogue!"));
            }
        }
    }
    out
}

/// Startup check: every shipped catalogue parses and holds every key.
pub fn check() -> Result<(), String> {
    let p = problems();
    if p.is_empty() { Ok(()) } else { Err(format!("text catalogues: {}", p.join("; "))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_catalogue_is_complete_and_consistent() {
        let p = problems();
        assert!(p.is_empty(), "{}", p.join("\n"));
    }

    #[test]
    fn texts_differ_from_english_where_expected() {
        // A translation that is English in disguise shows up as many identical texts.
        let en = builtin("en");
        for lang in &LOCALES[1..] {
            let t = builtin(lang);
            assert_eq!(t.lang, *lang);
            assert_ne!(t.sign_in, en.sign_in, "{lang}");
            assert_ne!(t.sign_in_to("Shop"), en.sign_in_to("Shop"), "{lang}");
            assert!(t.sign_in_to("Shop").contains("Shop"));
        }
        assert_eq!(builtin("ar").dir, "rtl");
        assert_eq!(builtin("de").dir, "ltr");
    }

    #[test]
    fn arguments_and_plurals() {
        let en = builtin("en");
        assert_eq!(en.code_wrong(1), "That code is not correct. You have one attempt left.");
        assert_eq!(en.code_wrong(3), "That code is not correct. You have 3 attempts left.");
        let de = builtin("de");
        assert!(de.wait_seconds(30).contains("30 Sekunden"), "{}", de.wait_seconds(30));
        assert_eq!(de.sign_in_to("Shop"), "Melden Sie sich an, um mit Shop fortzufahren.");
        let ar = builtin("ar");
        assert_eq!(ar.code_wrong(2), "هذا الرمز غير صحيح. تبقّت لك محاولتان.", "Arabic dual");
        assert!(ar.code_intro("a•••@example.com", 10).ends_with("10 دقائق."), "{}", ar.code_intro("a", 10));
        assert!(ar.code_intro("a", 15).ends_with("15 دقيقة."), "{}", ar.code_intro("a", 15));
    }

    #[test]
    fn plain_texts_are_listed_by_field_name() {
        let de = builtin("de");
        let plain = de.plain();
        assert!(plain.contains(&("sign_in", "Anmelden")));
        assert_eq!(plain.len(), KEYS.iter().filter(|(_, v)| v.is_empty()).count());
    }

    #[test]
    fn overrides_apply_per_locale_and_layer() {
        let tenant: Overrides = [("de".to_string(), [("sign-in".to_string(), "Einloggen".to_string())].into())].into();
        let client: Overrides = [("de".to_string(), [("sign-in".to_string(), "Bei ACME anmelden".to_string()), ("wait-seconds".to_string(), "Noch { $n } s".to_string())].into())].into();
        validate_overrides("/texts", &tenant).unwrap();
        validate_overrides("/texts", &client).unwrap();
        assert_eq!(strings("de", &[&tenant]).sign_in, "Einloggen");
        let both = strings("de", &[&tenant, &client]);
        assert_eq!(both.sign_in, "Bei ACME anmelden");
        assert_eq!(both.wait_seconds(5), "Noch 5 s");
        assert_eq!(both.password, builtin("de").password, "other texts stay");
        assert_eq!(strings("en", &[&tenant, &client]).sign_in, "Sign in", "other locales stay");
    }

    #[test]
    fn bad_overrides_are_refused_with_their_path() {
        let one = |lang: &str, key: &str, text: &str| -> Overrides { [(lang.to_string(), [(key.to_string(), text.to_string())].into())].into() };
        let cases = [
            (one("xx", "sign-in", "x"), "/texts/xx"),
            (one("de", "no-such-key", "x"), "/texts/de/no-such-key"),
            (one("de", "sign-in", ""), "/texts/de/sign-in"),
            (one("de", "sign-in", &"x".repeat(MAX_OVERRIDE_CHARS + 1)), "/texts/de/sign-in"),
            (one("de", "sign-in", "{ $who }"), "/texts/de/sign-in"),
            (one("de", "wait-seconds", "Bitte warten"), "/texts/de/wait-seconds"),
            (one("de", "sign-in", "x\n.attr = y"), "/texts/de/sign-in"),
            (one("de", "sign-in", "{ broken"), "/texts/de/sign-in"),
            (one("de", "sign-in", "a\u{0}b"), "/texts/de/sign-in"),
        ];
        for (o, path) in cases {
            let e = validate_overrides("/texts", &o).expect_err(path);
            assert_eq!(e.path, path, "{e:?}");
        }
        // A refused entry never reaches a page even when validation was skipped.
        assert_eq!(strings("de", &[&one("de", "sign-in", "{ $who }")]).sign_in, builtin("de").sign_in);
    }
}
