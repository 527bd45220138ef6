//! The locales Portcullis speaks and how a request's locale is chosen. A bottom module: the
//! protocol core advertises them in discovery (`ui_locales_supported`, OIDC Discovery 1.0
//! §3), the pages and messages render them (`texts`), so neither has to import the other.

/// Locales the hosted pages, mails and SMS speak; the first is the built-in default and
/// the fallback for a text missing elsewhere. Each has a catalogue `locales/<tag>.ftl`.
pub const LOCALES: &[&str] = &["en", "de", "fr", "es", "ar"];

/// Longest language tag looked at (RFC 5646 §4.4.1 suggests 35 characters suffice).
const MAX_TAG: usize = 35;
/// Most Accept-Language entries looked at.
const MAX_ENTRIES: usize = 20;

/// Writing direction of a locale, for `<html dir>`.
pub fn direction(lang: &str) -> &'static str {
    match lang {
        "ar" | "he" | "fa" | "ur" => "rtl",
        _ => "ltr",
    }
}

/// The supported locale a language tag asks for: exact, else its primary language subtag
/// (`de-AT` → `de`), case-insensitively (RFC 5646 §2.1.1).
pub fn supported(tag: &str) -> Option<&'static str> {
    let tag = tag.trim();
    if tag.is_empty() || tag.len() > MAX_TAG {
        return None;
    }
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    LOCALES.iter().copied().find(|l| l.eq_ignore_ascii_case(tag) || l.eq_ignore_ascii_case(primary))
}

/// The tags of an Accept-Language header in order of preference (RFC 9110 §12.5.4: by
/// q-value, ties in the order given; `q=0` means "not acceptable"; `*` matches nothing
/// specific and is left out).
pub fn accept_language(header: &str) -> Vec<&str> {
    let mut tags: Vec<(u16, usize, &str)> = header
        .split(',')
        .take(MAX_ENTRIES)
        .enumerate()
        .filter_map(|(i, part)| {
            let mut it = part.split(';');
            let tag = it.next()?.trim();
            let q = it.find_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q="))).map_or(Some(1000), qvalue)?;
            (q > 0 && tag != "*" && !tag.is_empty()).then_some((q, i, tag))
        })
        .collect();
    tags.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.into_iter().map(|(_, _, t)| t).collect()
}

/// A qvalue (RFC 9110 §12.4.2) in thousandths; None when malformed.
fn qvalue(s: &str) -> Option<u16> {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 3 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole = match int {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    let frac: u16 = format!("{frac:0<3}").parse().ok()?;
    let q = whole + frac;
    (q <= 1000).then_some(q)
}

/// Where a request's locale may come from, in order of precedence.
#[derive(Default, Clone, Copy)]
pub struct Preferences<'a> {
    /// The request's `ui_locales` (OIDC Core §3.1.2.1), in order.
    pub ui_locales: &'a [String],
    /// The user's stored `locale` claim, once the user is known.
    pub user: Option<&'a str>,
    /// The browser's Accept-Language header.
    pub accept_language: Option<&'a str>,
    /// The workspace's `default_locale`.
    pub default: Option<&'a str>,
}

/// `ui_locales` → the user's stored locale → Accept-Language → the workspace default →
/// the built-in default (`en`).
pub fn negotiate(p: Preferences<'_>) -> &'static str {
    p.ui_locales
        .iter()
        .map(String::as_str)
        .chain(p.user)
        .chain(p.accept_language.map(accept_language).unwrap_or_default())
        .chain(p.default)
        .find_map(supported)
        .unwrap_or(LOCALES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_is_ui_locales_user_header_default() {
        let ui = vec!["xx".to_string(), "fr-CA".to_string()];
        let all = Preferences { ui_locales: &ui, user: Some("es"), accept_language: Some("de"), default: Some("ar") };
        assert_eq!(negotiate(all), "fr");
        assert_eq!(negotiate(Preferences { ui_locales: &[], ..all }), "es");
        assert_eq!(negotiate(Preferences { ui_locales: &[], user: None, ..all }), "de");
        assert_eq!(negotiate(Preferences { ui_locales: &[], user: None, accept_language: Some("ja"), ..all }), "ar");
        assert_eq!(negotiate(Preferences::default()), "en");
    }

    #[test]
    fn accept_language_honours_q_values() {
        assert_eq!(accept_language("en;q=0.5, de-DE, fr;q=0.9"), ["de-DE", "fr", "en"]);
        assert_eq!(accept_language("de;q=0, es;q=0.1, *;q=0.8"), ["es"]);
        assert_eq!(accept_language("ar;q=1.5, fr;q=abc, es"), ["es"], "malformed q-values are left out");
        let p = |h| negotiate(Preferences { accept_language: Some(h), ..Default::default() });
        assert_eq!(p("ja, ar-EG;q=0.7, de;q=0.8"), "de");
        assert_eq!(p("ES-mx"), "es");
    }
}
