//! A pool's password policy: what a new password must satisfy, checked without I/O.
//!
//! The defaults follow NIST SP 800-63B §5.1.1.2: at least 8 characters, room for long
//! passphrases (at least 64), no composition rules unless a pool asks for them, and a check
//! against a list of commonly used passwords and against the user's own identifiers. The
//! history rule is only carried here: reuse is checked by the caller against stored hashes
//! (`identity::lifecycle::check_new_password`).
//!
//! Lengths count Unicode scalar values (`char`s), not bytes, so "pässwörd" is 8 characters.
//! The common-password list is `data/common-passwords.txt` (see `data/README.md`), compiled
//! into the binary.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Upper bound for `min_length` and `max_length`: keeps the hashing cost of one attempt
/// bounded while still allowing long passphrases.
pub const LENGTH_LIMIT: u32 = 1024;
/// Upper bound for `history`: each remembered password costs one hash verification.
pub const HISTORY_LIMIT: u32 = 24;
/// Identifiers shorter than this are not looked for in the password ("al" would reject
/// half the dictionary).
pub const MIN_IDENTIFIER_CHARS: usize = 3;

/// The shipped list: 10,000 common passwords, lowercase, one per line, most common first.
const COMMON_LIST: &str = include_str!("../../data/common-passwords.txt");

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    COMMON_LIST
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
});

/// Whether the password is on the shipped list of common passwords (case-insensitive).
pub fn is_common(password: &str) -> bool {
    COMMON.contains(password.to_lowercase().as_str())
}

/// The record moved to the bottom module so storage can hold it; its rules stay here.
pub use crate::model::PasswordPolicy;

/// One rule a password breaks: a stable rule id and a user-facing sentence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// One of [`RULES`].
    pub rule: &'static str,
    /// An English sentence telling the user what to change.
    pub message: String,
}

/// Every rule id [`PasswordPolicy::check`] can report, in the order it reports them.
pub const RULES: [&str; 8] = [
    "min_length",
    "max_length",
    "lowercase",
    "uppercase",
    "digit",
    "symbol",
    "identifier",
    "common",
];

fn violation(rule: &'static str, message: impl Into<String>) -> Violation {
    Violation {
        rule,
        message: message.into(),
    }
}

fn is_symbol(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

/// A character class a policy can require: one row per `require_*` field.
struct CharacterClass {
    rule: &'static str,
    required: fn(&PasswordPolicy) -> bool,
    matches: fn(char) -> bool,
    /// The violation message.
    message: &'static str,
    /// The line in [`PasswordPolicy::describe`].
    describe: &'static str,
}

/// Unicode-aware on purpose: "é" is a lowercase letter and "Ω" an uppercase one, so users
/// of non-Latin scripts can satisfy the rules with their own keyboards.
const CLASSES: [CharacterClass; 4] = [
    CharacterClass {
        rule: "lowercase",
        required: |p| p.require_lowercase,
        matches: char::is_lowercase,
        message: "Add a lowercase letter.",
        describe: "A lowercase letter",
    },
    CharacterClass {
        rule: "uppercase",
        required: |p| p.require_uppercase,
        matches: char::is_uppercase,
        message: "Add an uppercase letter.",
        describe: "An uppercase letter",
    },
    CharacterClass {
        rule: "digit",
        required: |p| p.require_digit,
        matches: char::is_numeric,
        message: "Add a digit.",
        describe: "A digit",
    },
    CharacterClass {
        rule: "symbol",
        required: |p| p.require_symbol,
        matches: is_symbol,
        message: "Add a symbol, such as ! or %.",
        describe: "A symbol, such as ! or %",
    },
];

fn characters(n: u32) -> &'static str {
    if n == 1 { "character" } else { "characters" }
}

/// How a password matched one of the user's identifiers; decides the message.
enum IdentifierKind {
    NameOrEmail,
    Phone,
}

/// The lowercase strings a password must not contain, for one identifier.
fn identifier_needles(identifier: &str) -> Vec<(String, IdentifierKind)> {
    let id = identifier.trim().to_lowercase();
    let mut out = Vec::new();
    let is_phone = id.chars().any(|c| c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
    if is_phone {
        // "+49 30 123456" is typed into a password as its digits.
        let digits: String = id.chars().filter(char::is_ascii_digit).collect();
        out.push((digits, IdentifierKind::Phone));
    } else {
        if let Some((local, _domain)) = id.rsplit_once('@') {
            out.push((local.to_string(), IdentifierKind::NameOrEmail));
        }
        out.push((id, IdentifierKind::NameOrEmail));
    }
    out.retain(|(needle, _)| needle.chars().count() >= MIN_IDENTIFIER_CHARS);
    out
}

impl PasswordPolicy {
    /// Checks the policy itself, as an administrator submitted it.
    ///
    /// Errors: `(field, message)` for the first field out of range, e.g.
    /// `("min_length", "must be between 1 and 1024")`, `("max_length", "must not be less than
    /// min_length")`, `("history", "must be at most 24")`.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if !(1..=LENGTH_LIMIT).contains(&self.min_length) {
            return Err((
                "min_length",
                format!("must be between 1 and {LENGTH_LIMIT}"),
            ));
        }
        if !(1..=LENGTH_LIMIT).contains(&self.max_length) {
            return Err((
                "max_length",
                format!("must be between 1 and {LENGTH_LIMIT}"),
            ));
        }
        if self.max_length < self.min_length {
            return Err(("max_length", "must not be less than min_length".into()));
        }
        // A policy no password can satisfy would lock every user out of registration.
        let classes = self.required_classes();
        if self.max_length < classes {
            return Err((
                "max_length",
                format!("must leave room for the {classes} required character classes"),
            ));
        }
        if self.history > HISTORY_LIMIT {
            return Err(("history", format!("must be at most {HISTORY_LIMIT}")));
        }
        Ok(())
    }

    fn required_classes(&self) -> u32 {
        CLASSES
            .iter()
            .filter(|class| (class.required)(self))
            .count() as u32
    }

    /// Every rule the password breaks, in the order of [`RULES`]; empty means acceptable.
    ///
    /// `identifiers` are the user's username, email address and phone number (any may be
    /// absent); they are only looked at when `reject_identifier` is set. The history rule is
    /// not checked here.
    pub fn check(&self, password: &str, identifiers: &[&str]) -> Vec<Violation> {
        let mut out = Vec::new();
        let length = password.chars().count();
        if length < self.min_length as usize {
            out.push(violation(
                "min_length",
                format!(
                    "Use at least {} {}.",
                    self.min_length,
                    characters(self.min_length)
                ),
            ));
        }
        if length > self.max_length as usize {
            out.push(violation(
                "max_length",
                format!(
                    "Use at most {} {}.",
                    self.max_length,
                    characters(self.max_length)
                ),
            ));
        }
        for class in &CLASSES {
            if (class.required)(self) && !password.chars().any(class.matches) {
                out.push(violation(class.rule, class.message));
            }
        }
        if self.reject_identifier {
            let lowered = password.to_lowercase();
            let hit = identifiers
                .iter()
                .flat_map(|id| identifier_needles(id))
                .find(|(needle, _)| lowered.contains(needle.as_str()));
            match hit {
                Some((_, IdentifierKind::Phone)) => out.push(violation(
                    "identifier",
                    "Do not use your phone number in the password.",
                )),
                Some((_, IdentifierKind::NameOrEmail)) => out.push(violation(
                    "identifier",
                    "Do not use your username or email address in the password.",
                )),
                None => {}
            }
        }
        if self.reject_common && is_common(password) {
            out.push(violation(
                "common",
                "This password is too common; choose another.",
            ));
        }
        out
    }

    /// The rules as a short list for the registration and reset pages, e.g.
    /// "At least 10 characters", "An uppercase letter".
    pub fn describe(&self) -> Vec<String> {
        let mut out = vec![
            format!(
                "At least {} {}",
                self.min_length,
                characters(self.min_length)
            ),
            format!(
                "At most {} {}",
                self.max_length,
                characters(self.max_length)
            ),
        ];
        out.extend(
            CLASSES
                .iter()
                .filter(|class| (class.required)(self))
                .map(|class| class.describe.to_string()),
        );
        if self.reject_identifier {
            out.push("Not your username, email address or phone number".into());
        }
        if self.reject_common {
            out.push("Not a commonly used password".into());
        }
        match self.history {
            0 => {}
            1 => out.push("Not your previous password".into()),
            n => out.push(format!("Not one of your last {n} passwords")),
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(policy: &PasswordPolicy, password: &str, ids: &[&str]) -> Vec<&'static str> {
        policy
            .check(password, ids)
            .into_iter()
            .map(|v| v.rule)
            .collect()
    }

    fn strict() -> PasswordPolicy {
        PasswordPolicy {
            min_length: 10,
            require_lowercase: true,
            require_uppercase: true,
            require_digit: true,
            require_symbol: true,
            ..PasswordPolicy::default()
        }
    }

    #[test]
    fn defaults_follow_the_documented_values() {
        let p = PasswordPolicy::default();
        assert_eq!(p.min_length, 8);
        assert_eq!(p.max_length, 128);
        assert!(
            !p.require_lowercase && !p.require_uppercase && !p.require_digit && !p.require_symbol
        );
        assert!(p.reject_identifier && p.reject_common);
        assert_eq!(p.history, 0);
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn missing_fields_take_defaults_and_unknown_fields_are_refused() {
        let p: PasswordPolicy = serde_json::from_str(r#"{"min_length": 10}"#).unwrap();
        assert_eq!(
            p,
            PasswordPolicy {
                min_length: 10,
                ..PasswordPolicy::default()
            }
        );
        assert!(serde_json::from_str::<PasswordPolicy>(r#"{"min_lenght": 10}"#).is_err());
        let round: PasswordPolicy =
            serde_json::from_value(serde_json::to_value(strict()).unwrap()).unwrap();
        assert_eq!(round, strict());
    }

    #[test]
    fn each_rule_fails_and_passes() {
        let p = strict();
        // (password, rules broken)
        let table: &[(&str, &[&str])] = &[
            ("Tr1cky-Hors3", &[]),
            ("Tr1cky-H", &["min_length"]),
            ("TR1CKY-HORS3", &["lowercase"]),
            ("tr1cky-hors3", &["uppercase"]),
            ("Tricky-Horse", &["digit"]),
            ("Tr1ckyHors3x", &["symbol"]),
            ("Tr1cky Hors3", &["symbol"]),
            (
                "",
                &["min_length", "lowercase", "uppercase", "digit", "symbol"],
            ),
        ];
        for (password, expected) in table {
            assert_eq!(rules(&p, password, &[]), *expected, "{password:?}");
        }
    }

    #[test]
    fn violations_come_in_rule_order_with_messages() {
        let p = strict();
        let v = p.check("password", &["password"]);
        let got: Vec<&str> = v.iter().map(|v| v.rule).collect();
        assert_eq!(
            got,
            [
                "min_length",
                "uppercase",
                "digit",
                "symbol",
                "identifier",
                "common"
            ]
        );
        assert_eq!(v[0].message, "Use at least 10 characters.");
        assert_eq!(v[1].message, "Add an uppercase letter.");
        assert_eq!(
            v[4].message,
            "Do not use your username or email address in the password."
        );
        assert_eq!(v[5].message, "This password is too common; choose another.");
        let positions: Vec<usize> = got
            .iter()
            .map(|r| RULES.iter().position(|x| x == r).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn max_length_is_enforced() {
        let p = PasswordPolicy {
            min_length: 4,
            max_length: 12,
            ..PasswordPolicy::default()
        };
        assert!(p.check("zq7-wv9-kx2p", &[]).is_empty());
        let v = p.check("zq7-wv9-kx2pm", &[]);
        assert_eq!(
            v,
            [Violation {
                rule: "max_length",
                message: "Use at most 12 characters.".into()
            }]
        );
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let p = PasswordPolicy {
            min_length: 8,
            max_length: 8,
            ..PasswordPolicy::default()
        };
        // 8 characters, 16 bytes.
        let cyrillic = "жзклмнпр";
        assert_eq!(cyrillic.len(), 16);
        assert!(p.check(cyrillic, &[]).is_empty());
        // 7 characters (one is outside the BMP), more than 8 bytes.
        assert_eq!(rules(&p, "🦀🦀🦀abcz", &[]), ["min_length"]);
        assert_eq!(rules(&p, "äöüßéèêë9", &[]), ["max_length"]);
    }

    #[test]
    fn character_classes_are_unicode_aware() {
        let p = strict();
        assert!(p.check("Ünïcödé-42x", &[]).is_empty());
        assert_eq!(rules(&p, "ÜNÏCÖDÉ-42X", &[]), ["lowercase"]);
        assert!(
            is_symbol('€')
                && is_symbol('_')
                && !is_symbol('é')
                && !is_symbol(' ')
                && !is_symbol('7')
        );
    }

    #[test]
    fn identifiers_are_rejected_case_insensitively() {
        let p = PasswordPolicy::default();
        let ids = ["Nora", "Nora.Smith@Example.com", "+49 30 123456"];
        let table: &[(&str, &[&str])] = &[
            ("xx-nora-2024", &["identifier"]),
            ("xxNORAxx2024", &["identifier"]),
            ("nora.smith@example.com!", &["identifier"]),
            // The phone number's digits.
            ("pin 4930123456!", &["identifier"]),
            // Parts of the domain or the phone number are fine.
            ("example.com rocks", &[]),
            ("pin 30123456 ok", &[]),
            ("correct horse battery", &[]),
        ];
        for (password, expected) in table {
            assert_eq!(rules(&p, password, &ids), *expected, "{password:?}");
        }
        // The email's local part on its own counts too.
        let email = ["Smithers.N@Example.com"];
        assert_eq!(rules(&p, "my SMITHERS.n pw", &email), ["identifier"]);
        assert!(p.check("smithers pw 2024", &email).is_empty());
        let v = p.check("call 4930123456", &ids);
        assert_eq!(
            v[0].message,
            "Do not use your phone number in the password."
        );
    }

    #[test]
    fn short_identifiers_are_ignored() {
        let p = PasswordPolicy::default();
        assert!(
            p.check("al-qz7-wv9-kx2", &["al", "al@example.com", "  "])
                .is_empty()
        );
        // The whole address still counts when its local part is short.
        assert_eq!(
            rules(&p, "al@example.com", &["al@example.com"]),
            ["identifier"]
        );
        assert_eq!(rules(&p, "xx-ali-xx-9q", &["ali"]), ["identifier"]);
    }

    #[test]
    fn identifier_rule_can_be_switched_off() {
        let p = PasswordPolicy {
            reject_identifier: false,
            ..PasswordPolicy::default()
        };
        assert!(p.check("xx-nora-2024", &["nora"]).is_empty());
    }

    #[test]
    fn common_passwords_are_rejected() {
        for password in [
            "password",
            "123456",
            "Password",
            "PASSWORD",
            "qwerty",
            "letmein",
            "password123",
        ] {
            assert!(is_common(password), "{password}");
            assert_eq!(
                rules(&PasswordPolicy::default(), password, &[]).last(),
                Some(&"common"),
                "{password}"
            );
        }
        for password in ["vT9#qL2m!xR7", "correct horse battery staple", ""] {
            assert!(!is_common(password), "{password}");
        }
        assert!(
            PasswordPolicy::default()
                .check("vT9#qL2m!xR7", &["nora"])
                .is_empty()
        );
        let off = PasswordPolicy {
            reject_common: false,
            ..PasswordPolicy::default()
        };
        assert!(off.check("password", &[]).is_empty());
    }

    #[test]
    fn the_list_has_exactly_ten_thousand_distinct_lowercase_lines() {
        let lines: Vec<&str> = COMMON_LIST.lines().collect();
        assert_eq!(lines.len(), 10_000);
        assert!(
            lines
                .iter()
                .all(|l| !l.is_empty() && l.trim() == *l && l.to_lowercase() == *l)
        );
        assert_eq!(COMMON.len(), 10_000);
        assert_eq!(&lines[..3], ["123456", "password", "12345678"]);
        assert!(COMMON_LIST.ends_with('\n') && !COMMON_LIST.ends_with("\n\n"));
    }

    #[test]
    fn validate_reports_the_offending_field() {
        let base = PasswordPolicy::default();
        let table: &[(PasswordPolicy, Result<(), &str>)] = &[
            (
                PasswordPolicy {
                    min_length: 0,
                    ..base.clone()
                },
                Err("min_length"),
            ),
            (
                PasswordPolicy {
                    min_length: 1025,
                    max_length: 1025,
                    ..base.clone()
                },
                Err("min_length"),
            ),
            (
                PasswordPolicy {
                    max_length: 1025,
                    ..base.clone()
                },
                Err("max_length"),
            ),
            (
                PasswordPolicy {
                    min_length: 20,
                    max_length: 10,
                    ..base.clone()
                },
                Err("max_length"),
            ),
            (
                PasswordPolicy {
                    min_length: 1,
                    max_length: 3,
                    ..strict()
                },
                Err("max_length"),
            ),
            (
                PasswordPolicy {
                    history: 25,
                    ..base.clone()
                },
                Err("history"),
            ),
            (
                PasswordPolicy {
                    min_length: 1,
                    max_length: 1,
                    history: 24,
                    ..base.clone()
                },
                Ok(()),
            ),
            (
                PasswordPolicy {
                    min_length: 1,
                    max_length: 4,
                    ..strict()
                },
                Ok(()),
            ),
            (
                PasswordPolicy {
                    min_length: 1024,
                    max_length: 1024,
                    ..base.clone()
                },
                Ok(()),
            ),
        ];
        for (policy, expected) in table {
            assert_eq!(
                policy.validate().map_err(|(f, _)| f),
                *expected,
                "{policy:?}"
            );
        }
        assert_eq!(
            PasswordPolicy {
                min_length: 0,
                ..base.clone()
            }
            .validate(),
            Err(("min_length", "must be between 1 and 1024".to_string()))
        );
        assert_eq!(
            PasswordPolicy {
                min_length: 20,
                max_length: 10,
                ..base
            }
            .validate(),
            Err(("max_length", "must not be less than min_length".to_string()))
        );
    }

    #[test]
    fn describe_lists_the_active_rules() {
        assert_eq!(
            PasswordPolicy::default().describe(),
            [
                "At least 8 characters",
                "At most 128 characters",
                "Not your username, email address or phone number",
                "Not a commonly used password",
            ]
        );
        let p = PasswordPolicy {
            reject_identifier: false,
            reject_common: false,
            history: 3,
            ..strict()
        };
        assert_eq!(
            p.describe(),
            [
                "At least 10 characters",
                "At most 128 characters",
                "A lowercase letter",
                "An uppercase letter",
                "A digit",
                "A symbol, such as ! or %",
                "Not one of your last 3 passwords",
            ]
        );
        let one = PasswordPolicy {
            min_length: 1,
            history: 1,
            ..PasswordPolicy::default()
        };
        assert!(one.describe().contains(&"At least 1 character".to_string()));
        assert!(
            one.describe()
                .contains(&"Not your previous password".to_string())
        );
    }
}
