//! Identity pools: pool settings, password policy, identity schemas, imported password
//! hashes, one-time codes and the user lifecycle (registration, activation, reset, status).
//! Nothing here knows HTTP: the hosted pages, the admin API and the importer call in.
pub mod hashes;
pub mod lifecycle;
pub mod otp;
pub mod policy;
pub mod registration;
pub mod schema;

/// Lower-cased, trimmed email address with one `@`, a dotted domain and no spaces.
pub fn normalize_email(raw: &str) -> Result<String, String> {
    let e = raw.trim().to_lowercase();
    let valid = e.len() <= 254
        && e.split_once('@').is_some_and(|(l, d)| !l.is_empty() && !d.contains('@') && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
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

/// Usernames: 1-128 characters, no whitespace or control characters, compared lower-cased.
pub fn normalize_username(raw: &str) -> Result<String, String> {
    let u = raw.trim().to_lowercase();
    if u.is_empty() || u.chars().count() > 128 || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err("1-128 characters without spaces".into())
    } else {
        Ok(u)
    }
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
}
