//! Mails and SMS rendered from the catalogue in the recipient's locale: a subject, a
//! plain-text part and an HTML part (every text escaped), and the SMS text. Also the
//! password rules a page lists.
use super::Strings;
use crate::model::PasswordPolicy;

/// What a message says.
pub enum MailKind<'a> {
    /// The activation code of a new account.
    Activation { code: &'a str, minutes: i64 },
    /// A password reset code, and the link that opens the reset page with it.
    Reset { code: &'a str, minutes: i64, link: &'a str },
    /// Someone tried to register an address that has an account.
    Existing { link: &'a str },
    /// A one-time code as a second factor of a sign-in.
    SignInCode { code: &'a str, minutes: i64 },
    /// An administrator created the account: the link activates it within `days`.
    Invitation { link: &'a str, days: i64 },
    /// A second factor was locked after too many wrong codes (`factor`: its label).
    FactorLocked { factor: &'a str },
}

/// A rendered mail (and the SMS text for the same message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub sms: String,
}

/// HTML text escaping (the catalogue's texts and arguments are plain text): `&`, `<`, `>`
/// and both quotes, so the result is safe in text and in quoted attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// How a tenant's mails look: the theme's product name, logo and light colours (the
/// theme of the page that caused the mail, `Brand::default()` the built-in look). Colours
/// passed `theme::validate` where they were written and are checked here again, as they go
/// into `style` attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Brand {
    /// The theme's product name: the mail's header when there is no logo a mail can show.
    pub product_name: String,
    /// Absolute `https://` (or the server's own `http://`) URL of a PNG or WebP logo; mail
    /// clients do not show SVG, so an SVG logo leaves the product name in its place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// The logo's height in pixels.
    #[serde(default)]
    pub logo_height: u32,
    /// `--pc-color-*` token (without the prefix) → light value: `primary`,
    /// `primary-contrast`, `background`, `surface`, `text`, `muted`, `link`, `border`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub colours: std::collections::BTreeMap<String, String>,
}

/// The built-in light colours (`themes/default/theme.toml`).
const DEFAULT_COLOURS: &[(&str, &str)] =
    &[("primary", "#1f4fd1"), ("primary-contrast", "#ffffff"), ("background", "#f3f5f9"), ("surface", "#ffffff"), ("text", "#16191f"), ("muted", "#4b5563"), ("link", "#1f4fd1"), ("border", "#c9ced8")];

impl Brand {
    /// The colour `name` (e.g. `primary`): the brand's, else the built-in one, and only a
    /// value that cannot leave its `style` declaration.
    fn colour(&self, name: &str) -> &str {
        let fallback = DEFAULT_COLOURS.iter().find(|(k, _)| *k == name).map_or("#000000", |(_, v)| *v);
        self.colours.get(name).map(String::as_str).filter(|c| !c.is_empty() && c.len() <= 40 && c.chars().all(|c| c.is_ascii_alphanumeric() || "#(),. %".contains(c))).unwrap_or(fallback)
    }
}

/// Renders `kind` in the language of `t` (the catalogue with the theme's overrides);
/// `sender` is the name the mail is signed with (the tenant's sender name or product
/// name), `brand` how it looks.
pub fn render(t: &Strings, kind: &MailKind<'_>, sender: &str, brand: &Brand) -> Mail {
    let (subject, lead, code, link, sms) = match *kind {
        MailKind::Activation { code, minutes } => (t.mail_activation_subject.clone(), t.mail_activation_text(code, minutes), Some(code), None, t.sms_activation(code, minutes)),
        MailKind::Reset { code, minutes, link } => (t.mail_reset_subject.clone(), t.mail_reset_text(code, minutes), Some(code), Some((t.mail_reset_link.clone(), link)), t.sms_reset(code, minutes)),
        MailKind::Existing { link } => (t.mail_existing_subject.clone(), t.mail_existing_text.clone(), None, Some((t.mail_existing_link.clone(), link)), format!("{} {link}", t.mail_existing_text)),
        MailKind::SignInCode { code, minutes } => (t.mail_signin_subject.clone(), t.mail_signin_text(code, minutes), Some(code), None, t.sms_signin(code, minutes)),
        MailKind::Invitation { link, days } => (t.mail_invite_subject.clone(), t.mail_invite_text(days), None, Some((t.mail_invite_link.clone(), link)), format!("{} {link}", t.mail_invite_text(days))),
        MailKind::FactorLocked { factor } => (t.mfa_locked_mail_subject.clone(), t.mfa_locked_mail_text(factor), None, None, t.mfa_locked_mail_text(factor)),
    };
    // A lock notice asks for action when it was not the user: no "ignore this" line.
    let ignore = if matches!(kind, MailKind::FactorLocked { .. }) { None } else { Some(&t.mail_ignore) };
    let signature = if sender.is_empty() { String::new() } else { t.mail_signature(sender) };
    let mut text = lead.clone();
    if let Some((label, url)) = &link {
        text.push_str(&format!("\n\n{label}\n{url}"));
    }
    match ignore {
        Some(ignore) => text.push_str(&format!("\n\n{ignore}\n")),
        None => text.push('\n'),
    }
    if !signature.is_empty() {
        text.push_str(&format!("\n{signature}\n"));
    }
    let c = |name: &str| brand.colour(name).to_owned();
    // Tables and inline styles: what mail clients render alike.
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"color-scheme\" content=\"light\"><title>{subject}</title></head>\n<body style=\"margin:0;padding:0;background:{bg};color:{text};font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5\">\n<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:{bg}\"><tr><td align=\"center\" style=\"padding:24px 12px\">\n<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:560px;background:{surface};border:1px solid {border};border-radius:8px\"><tr><td style=\"padding:24px 28px\" dir=\"{dir}\">\n",
        lang = t.lang,
        dir = t.dir,
        subject = escape_html(&subject),
        bg = c("background"),
        text = c("text"),
        surface = c("surface"),
        border = c("border"),
    );
    let height = if brand.logo_height == 0 { 32 } else { brand.logo_height.min(96) };
    match (&brand.logo_url, brand.product_name.is_empty()) {
        (Some(logo), _) => html.push_str(&format!("<p style=\"margin:0 0 16px\"><img src=\"{}\" alt=\"{}\" height=\"{height}\" style=\"height:{height}px;width:auto;border:0\"></p>\n", escape_html(logo), escape_html(&brand.product_name))),
        (None, false) => html.push_str(&format!("<p style=\"margin:0 0 16px;font-size:1.2em;font-weight:bold;color:{}\">{}</p>\n", c("primary"), escape_html(&brand.product_name))),
        (None, true) => {}
    }
    html.push_str(&format!("<p style=\"margin:0 0 16px\">{}</p>\n", escape_html(&lead)));
    if let Some(code) = code {
        html.push_str(&format!("<p style=\"margin:0 0 16px;font-size:1.6em;letter-spacing:.2em;font-weight:bold;color:{}\" dir=\"ltr\">{}</p>\n", c("text"), escape_html(code)));
    }
    if let Some((label, url)) = &link {
        html.push_str(&format!(
            "<p style=\"margin:0 0 16px\"><a href=\"{url}\" style=\"display:inline-block;padding:10px 18px;border-radius:6px;background:{bg};color:{fg};text-decoration:none;font-weight:bold\">{label}</a></p>\n<p style=\"margin:0 0 16px;font-size:.85em;color:{muted};word-break:break-all\"><a href=\"{url}\" style=\"color:{link}\">{url}</a></p>\n",
            url = escape_html(url),
            label = escape_html(label),
            bg = c("primary"),
            fg = c("primary-contrast"),
            muted = c("muted"),
            link = c("link"),
        ));
    }
    if let Some(ignore) = ignore {
        html.push_str(&format!("<p style=\"margin:0 0 16px;color:{}\">{}</p>\n", c("muted"), escape_html(ignore)));
    }
    if !signature.is_empty() {
        html.push_str(&format!("<p style=\"margin:0\">{}</p>\n", escape_html(&signature)));
    }
    html.push_str("</td></tr></table>\n</td></tr></table>\n</body>\n</html>\n");
    Mail { subject, text, html, sms }
}

/// The rule a refused password missed (`policy::RULES` id, or `history`), worded as the
/// rule list words it.
pub fn unmet_rule(t: &Strings, rule: &str, p: &PasswordPolicy) -> String {
    match rule {
        "min_length" => t.rule_min_length(p.min_length),
        "max_length" => t.rule_max_length(p.max_length),
        "lowercase" => t.rule_lowercase.clone(),
        "uppercase" => t.rule_uppercase.clone(),
        "digit" => t.rule_digit.clone(),
        "symbol" => t.rule_symbol.clone(),
        "identifier" => t.rule_identifier.clone(),
        "common" => t.rule_common.clone(),
        _ if p.history <= 1 => t.rule_history_one.clone(),
        _ => t.rule_history(p.history),
    }
}

/// The rules of a password policy as a page lists them, in the language of `t`.
pub fn password_rules(t: &Strings, p: &PasswordPolicy) -> Vec<String> {
    let mut out = vec![t.rule_min_length(p.min_length), t.rule_max_length(p.max_length)];
    for (on, text) in [(p.require_lowercase, &t.rule_lowercase), (p.require_uppercase, &t.rule_uppercase), (p.require_digit, &t.rule_digit), (p.require_symbol, &t.rule_symbol), (p.reject_identifier, &t.rule_identifier), (p.reject_common, &t.rule_common)] {
        if on {
            out.push(text.clone());
        }
    }
    match p.history {
        0 => {}
        1 => out.push(t.rule_history_one.clone()),
        n => out.push(t.rule_history(n)),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::builtin;

    #[test]
    fn mails_are_escaped_and_in_the_recipients_language() {
        let de = builtin("de");
        let m = render(&de, &MailKind::Reset { code: "123456", minutes: 10, link: "https://id.example/r?a=1&b=<2>" }, "ACME <Shop>", &Brand::default());
        assert!(m.subject.contains("Passwort"), "{}", m.subject);
        assert!(m.text.contains("123456") && m.text.contains("https://id.example/r?a=1&b=<2>"));
        assert!(m.html.contains("a=1&amp;b=&lt;2&gt;") && m.html.contains("ACME &lt;Shop&gt;"));
        assert!(!m.html.contains("<Shop>"));
        assert!(m.html.contains("lang=\"de\""));
        assert!(m.sms.contains("123456") && m.sms.chars().count() <= 160, "{}", m.sms);
        let ar = render(&builtin("ar"), &MailKind::Activation { code: "654321", minutes: 10 }, "ACME", &Brand { colours: [("primary".to_owned(), "#ff0000".to_owned())].into(), ..Brand::default() });
        assert!(ar.html.contains("dir=\"rtl\"") && ar.sms.contains("654321"));
        // The lock notice names the factor, in the recipient's language, and does not say
        // "ignore this".
        let fr = builtin("fr");
        let lock = render(&fr, &MailKind::FactorLocked { factor: &fr.mfa_factor_totp }, "ACME", &Brand::default());
        assert_eq!(lock.subject, fr.mfa_locked_mail_subject);
        assert!(lock.text.contains(fr.mfa_factor_totp.as_str()) && lock.html.contains("lang=\"fr\""));
        assert!(!lock.text.contains(fr.mail_ignore.as_str()) && !lock.html.contains(fr.mail_ignore.as_str()));
        assert!(lock.text.contains(fr.mail_signature("ACME").as_str()));
    }

    #[test]
    fn password_rules_follow_the_policy() {
        let en = builtin("en");
        let rules = password_rules(&en, &PasswordPolicy::default());
        assert_eq!(rules, ["At least 8 characters", "At most 128 characters", "Not your username, email address or phone number", "Not a commonly used password"]);
        let p = PasswordPolicy { history: 3, require_digit: true, ..PasswordPolicy::default() };
        assert!(password_rules(&builtin("de"), &p).iter().any(|r| r.contains('3')));
    }
}
