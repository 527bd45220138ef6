//! Identity pools: pool settings, password policy, identity schemas, imported password
//! hashes, one-time codes and the user lifecycle (registration, activation, reset, status).
//! Nothing here knows HTTP: the hosted pages, the admin API and the importer call in.
pub mod deps;
pub mod hashes;
pub mod lifecycle;
pub mod lockout;
pub mod otp;
pub mod password;
pub mod policy;
pub mod recovery;
pub mod registration;
pub mod schema;
pub mod secrets;
pub mod users;

use unicode_normalization::UnicodeNormalization;
use unicode_security::MixedScript;

/// How identifiers are compared: NFKC (so `ｊｏｈｎ` and `john`, or `ﬁ` and `fi`, are one
/// name), lower-cased, trimmed. Applied when names are stored and when they are typed.
pub fn fold(raw: &str) -> String {
    raw.trim().nfkc().collect::<String>().to_lowercase()
}

/// Characters that change how a name looks or reads without being seen: zero-width and
/// other default-ignorable code points, bidirectional controls, variation selectors, tags.
/// A name holding one can look exactly like someone else's.
fn invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFFB | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Lower-cased, trimmed email address with one `@`, a dotted domain and no spaces or
/// invisible characters.
pub fn normalize_email(raw: &str) -> Result<String, String> {
    let e = fold(raw);
    let valid = e.len() <= 254
        && e.split_once('@').is_some_and(|(l, d)| !l.is_empty() && !d.contains('@') && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
        && !e.chars().any(|c| c.is_whitespace() || c.is_control() || invisible(c))
        // The local part is a login name (and an email pool's username): as usernames, one
        // script (`pаypal@…` with a Cyrillic `а` is not `paypal@…`).
        && e.split_once('@').is_some_and(|(local, _)| local.is_single_script());
    if valid { Ok(e) } else { Err(format!("{:?} is not an email address", raw.trim())) }
}

/// E.164: `+` and 8 to 15 digits (spaces, dashes and parentheses are dropped).
pub fn normalize_phone(raw: &str) -> Result<String, String> {
    let kept: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    let digits = kept.strip_prefix('+').unwrap_or("");
    if (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0') {
        Ok(kept)
    } else {
        Err(format!("{:?} is not a phone number in international format (+4930123456)", raw.trim()))
    }
}

/// Usernames: 1-128 characters after NFKC, compared lower-cased; no whitespace, control or
/// invisible characters, and letters of one script only (UTS #39 single-script: `pаypal`
/// with a Cyrillic `а` is refused, `太郎` and `jörg` are fine; digits and punctuation go with
/// any script).
pub fn normalize_username(raw: &str) -> Result<String, String> {
    let u = fold(raw);
    if u.is_empty() || u.chars().count() > 128 || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("1-128 characters without spaces".into());
    }
    if u.chars().any(invisible) {
        return Err("must not contain invisible or text-direction characters".into());
    }
    if !u.as_str().is_single_script() {
        return Err("must use the letters of one script only (for example not Latin and Cyrillic mixed)".into());
    }
    Ok(u)
}

/// What a password must not contain: the user's identifiers.
pub fn identifiers(user: &crate::storage::User) -> Vec<&str> {
    [Some(user.username.as_str()), user.email.as_deref(), user.phone.as_deref()].into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalised_or_rejected() {
        assert_eq!(normalize_email(" Alice@Example.COM ").unwrap(), "alice@example.com");
        for bad in ["", "alice", "a@b", "a b@example.com", "@example.com", "a@@example.com", "a@example."] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
        assert_eq!(normalize_phone("+49 (30) 123-456").unwrap(), "+4930123456");
        for bad in ["030123456", "+12", "+49abc12345", "+0123456789"] {
            assert!(normalize_phone(bad).is_err(), "{bad}");
        }
        assert!(normalize_username("has space").is_err());
        assert_eq!(normalize_username(" Bob ").unwrap(), "bob");
    }

    #[test]
    fn look_alike_identifiers_are_normalised_or_refused() {
        // NFKC: compatibility forms are the name they look like.
        assert_eq!(normalize_username("ｊｏｈｎ").unwrap(), "john");
        assert_eq!(normalize_username("ﬁona").unwrap(), "fiona");
        for ok in ["jörg", "太郎", "mona.lisa-2", "o'brien"] {
            assert!(normalize_username(ok).is_ok(), "{ok}");
        }
        // Invisible and direction controls, and mixed scripts, are refused.
        for bad in ["pa\u{200B}ul", "\u{202E}luap", "paul\u{FE0F}", "p\u{0430}ypal", "\u{0441}ock"] {
            assert!(normalize_username(bad).is_err(), "{bad:?}");
        }
        assert!(normalize_email("pa\u{200B}ul@example.com").is_err());
        assert!(normalize_email("p\u{0430}ypal@example.com").is_err());
        assert_eq!(normalize_email("Ｐaul@Example.com").unwrap(), "paul@example.com");
    }
}
