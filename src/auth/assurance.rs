//! Levels of assurance and the multi-factor policy: which factors a sign-in still needs.
//! Pure functions over the facts the engine gathers (DESIGN.md, "Sign-in engine").
//!
//! - Factors are named `password`, `totp`, `webauthn`, `email_otp`, `sms_otp`,
//!   `recovery_code`. Each adds AMR values (RFC 8176 §2) and a weight: a passkey with
//!   user verification counts as two factors (possession and the inherence or knowledge
//!   the authenticator checked), everything else as one.
//! - Built-in levels: `urn:portcullis:loa:1` (one factor), `urn:portcullis:loa:2` (weight
//!   two), `urn:portcullis:loa:3` (a phishing-resistant factor: a passkey). A tenant adds
//!   its own, each reached by any one of its factor combinations.
//! - What a sign-in must reach: the client's `min_acr`, one of the levels the request asks
//!   for (`acr_values`, or the `claims` parameter's `acr`), and loa:2 when the pool's policy
//!   asks for a second factor (`required`; `optional` for an enrolled user; `adaptive`
//!   when something about the sign-in is new or odd).
//!
//! Who may do what: a user can only be asked for factors they hold (a live credential, or
//! for email and SMS codes a verified address), and may enrol a factor during a sign-in
//! only while they hold no second factor at all and the pool's policy is `required` or
//! `adaptive` — someone who knows only the password must never be able to add a factor of
//! their own to an account that has one, nor one that a `step_up` application then
//! trusts. A level no held factor can reach is `Unmet`.
use crate::model::AssuranceLevel;
use crate::storage::identity::MfaPolicy;

pub const LOA1: &str = "urn:portcullis:loa:1";
pub const LOA2: &str = "urn:portcullis:loa:2";
pub const LOA3: &str = "urn:portcullis:loa:3";
pub const BUILT_IN: &[&str] = &[LOA1, LOA2, LOA3];

pub const PASSWORD: &str = "password";
pub const TOTP: &str = "totp";
pub const WEBAUTHN: &str = "webauthn";
pub const EMAIL_OTP: &str = "email_otp";
pub const SMS_OTP: &str = "sms_otp";
pub const RECOVERY_CODE: &str = "recovery_code";

/// Every factor name, first factors first.
pub const FACTORS: &[&str] = &[PASSWORD, WEBAUTHN, TOTP, EMAIL_OTP, SMS_OTP, RECOVERY_CODE];
/// Factors that may begin a sign-in.
pub const FIRST_FACTORS: &[&str] = &[PASSWORD, WEBAUTHN];
/// Factors that count as a second factor (held besides the password).
pub const SECOND_FACTORS: &[&str] = &[TOTP, WEBAUTHN, EMAIL_OTP, SMS_OTP, RECOVERY_CODE];
/// Factors a user enrols by creating a credential (email and SMS codes go to a verified
/// address; recovery codes come with the first enrolment).
pub const ENROLLABLE: &[&str] = &[TOTP, WEBAUTHN];

/// What a factor adds to an authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactorInfo {
    /// RFC 8176 §2 values.
    pub amr: &'static [&'static str],
    pub weight: u8,
    pub phishing_resistant: bool,
}

pub fn factor_info(name: &str) -> Option<FactorInfo> {
    let (amr, weight, phishing_resistant): (&'static [&'static str], u8, bool) = match name {
        PASSWORD => (&["pwd"], 1, false),
        TOTP => (&["otp"], 1, false),
        EMAIL_OTP => (&["otp"], 1, false),
        SMS_OTP => (&["sms"], 1, false),
        RECOVERY_CODE => (&["otp"], 1, false),
        // Passkeys are created and used with user verification required: the
        // authenticator (hardware-bound key, `hwk`) checked the user (`user`).
        WEBAUTHN => (&["hwk", "user"], 2, true),
        _ => return None,
    };
    Some(FactorInfo { amr, weight, phishing_resistant })
}

/// The known factor names among `names`, each once (order kept).
pub fn known(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for n in names {
        if factor_info(n).is_some() && !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// The factors an authentication passed; for a session made before factors were
/// recorded, what its AMR values say (a password).
pub fn factors_of(a: &crate::protocol::types::Authentication) -> Vec<String> {
    if a.factors.is_empty() && a.amr.iter().any(|m| m == "pwd") { vec![PASSWORD.to_owned()] } else { known(&a.factors) }
}

/// How many factors the distinct `factors` count as.
pub fn weight(factors: &[String]) -> u8 {
    known(factors).iter().filter_map(|f| factor_info(f)).map(|i| i.weight).sum()
}

/// The AMR values (RFC 8176) of an authentication that passed `factors`: each factor's
/// values once, and `mfa` once they count as two factors or more.
pub fn amr_of(factors: &[String]) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for info in known(factors).iter().filter_map(|f| factor_info(f)) {
        for v in info.amr {
            if !out.iter().any(|o| o == v) {
                out.push((*v).to_owned());
            }
        }
    }
    if weight(factors) >= 2 {
        out.push("mfa".into());
    }
    out
}

/// A level of assurance: built in, or one of the tenant's.
#[derive(Debug, Clone, Copy)]
pub enum Level<'a> {
    /// 1, 2 or 3.
    BuiltIn(u8),
    Tenant(&'a AssuranceLevel),
}

impl Level<'_> {
    pub fn reached(&self, factors: &[String]) -> bool {
        match self {
            Level::BuiltIn(1) => weight(factors) >= 1,
            Level::BuiltIn(2) => weight(factors) >= 2,
            Level::BuiltIn(_) => known(factors).iter().filter_map(|f| factor_info(f)).any(|i| i.phishing_resistant),
            Level::Tenant(l) => l.reached_by.iter().any(|combo| !combo.is_empty() && combo.iter().all(|f| factors.contains(f))),
        }
    }
}

/// The level with this ACR value, if the tenant knows one.
pub fn level<'a>(levels: &'a [AssuranceLevel], acr: &str) -> Option<Level<'a>> {
    match acr {
        LOA1 => Some(Level::BuiltIn(1)),
        LOA2 => Some(Level::BuiltIn(2)),
        LOA3 => Some(Level::BuiltIn(3)),
        other => levels.iter().find(|l| l.acr == other).map(Level::Tenant),
    }
}

/// Discovery's `acr_values_supported`: the built-in levels, then the tenant's.
pub fn acr_values_supported(levels: &[AssuranceLevel]) -> Vec<String> {
    let mut out: Vec<String> = BUILT_IN.iter().map(|s| (*s).to_owned()).collect();
    out.extend(levels.iter().map(|l| l.acr.clone()).filter(|a| !BUILT_IN.contains(&a.as_str())));
    out
}

/// The ACR value for an authentication that passed `factors`, answering a request that
/// asked for `requested` (OIDC Core §2 `acr`; §3.1.2.1 `acr_values` are in order of
/// preference) from a client whose floor is `minimum`: the first requested level it
/// reaches that is not below the floor, else the floor, else the highest built-in one.
pub fn acr_of(levels: &[AssuranceLevel], factors: &[String], requested: &[String], minimum: Option<&str>) -> String {
    let reached = |r: &String| level(levels, r).is_some_and(|l| l.reached(factors));
    let above_floor = |r: &String| match (minimum, rank(r)) {
        (None, _) => true,
        (Some(m), _) if m == r => true,
        (Some(m), Some(n)) => rank(m).is_some_and(|floor| n >= floor),
        (Some(_), None) => false,
    };
    if let Some(r) = requested.iter().find(|r| reached(r) && above_floor(r)) {
        return r.clone();
    }
    if let Some(m) = minimum.map(str::to_owned).filter(|m| reached(m) && !BUILT_IN.contains(&m.as_str())) {
        return m;
    }
    [(3, LOA3), (2, LOA2)].iter().find(|(n, _)| Level::BuiltIn(*n).reached(factors)).map(|(_, a)| *a).unwrap_or(LOA1).to_owned()
}

/// The order of a built-in level (1-3); tenant levels have none.
fn rank(acr: &str) -> Option<u8> {
    BUILT_IN.iter().position(|b| *b == acr).map(|i| i as u8 + 1)
}

/// What the engine knows about a sign-in when it decides what to ask next.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub policy: MfaPolicy,
    /// The pool's `mfa.factors`: what may be asked for or enrolled as a second factor.
    pub pool_factors: Vec<String>,
    /// The factors the user holds (see the module docs).
    pub enrolled: Vec<String>,
    pub levels: Vec<AssuranceLevel>,
    /// The request asks for one of these levels (`acr_values`, `claims`).
    pub requested: Vec<String>,
    /// The request's `acr` claim is essential (OIDC Core §5.5.1.1): a level it names
    /// that is unknown is unmet rather than ignored.
    pub essential: bool,
    /// The client's `min_acr`.
    pub minimum: Option<String>,
    /// Adaptive policy: why this sign-in looks risky (`None`: nothing new or odd).
    pub risk: Option<String>,
}

/// The next thing a sign-in needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// Everything asked for is reached.
    Met,
    /// Ask for one of these factors (each held by the user).
    Ask(Vec<String>),
    /// The user holds no second factor; let them enrol one of these now.
    Enrol(Vec<String>),
    /// Nothing the user holds or may enrol now reaches what is asked
    /// (`unmet_authentication_requirements`).
    Unmet,
}

/// One goal a sign-in must reach: any one of these levels.
type Goal<'a> = Vec<Level<'a>>;

fn goals(facts: &Facts) -> Option<Vec<Goal<'_>>> {
    let mut goals: Vec<Goal<'_>> = vec![vec![Level::BuiltIn(1)]];
    if let Some(min) = &facts.minimum {
        // Validated when the client was written; a level that went away cannot be met.
        goals.push(vec![level(&facts.levels, min)?]);
    }
    let asked: Vec<Level<'_>> = facts.requested.iter().filter_map(|r| level(&facts.levels, r)).collect();
    if !asked.is_empty() {
        goals.push(asked);
    } else if facts.essential && !facts.requested.is_empty() {
        return None;
    }
    let holds_second = facts.enrolled.iter().any(|f| SECOND_FACTORS.contains(&f.as_str()) && facts.pool_factors.iter().chain([RECOVERY_CODE.to_owned()].iter()).any(|p| p == f));
    let policy_asks = match facts.policy {
        MfaPolicy::Required => true,
        MfaPolicy::Optional => holds_second,
        MfaPolicy::Adaptive => facts.risk.is_some(),
        MfaPolicy::StepUp | MfaPolicy::Off => false,
    };
    if policy_asks {
        goals.push(vec![Level::BuiltIn(2)]);
    }
    Some(goals)
}

fn all_reached(goals: &[Goal<'_>], factors: &[String]) -> bool {
    goals.iter().all(|g| g.iter().any(|l| l.reached(factors)))
}

fn with(passed: &[String], more: &[String]) -> Vec<String> {
    let mut v = passed.to_vec();
    v.extend(more.iter().cloned());
    v
}

/// What a sign-in that passed `passed` needs next (see the module docs).
pub fn requirement(facts: &Facts, passed: &[String]) -> Requirement {
    let Some(goals) = goals(facts) else {
        return Requirement::Unmet;
    };
    if all_reached(&goals, passed) {
        return Requirement::Met;
    }
    if facts.policy == MfaPolicy::Off {
        return Requirement::Unmet;
    }
    let allowed = |f: &String| facts.pool_factors.contains(f) || f == RECOVERY_CODE;
    let candidates: Vec<String> = facts.enrolled.iter().filter(|f| SECOND_FACTORS.contains(&f.as_str()) && allowed(f) && !passed.contains(f)).cloned().collect();
    let finishing: Vec<String> = candidates.iter().filter(|c| all_reached(&goals, &with(passed, std::slice::from_ref(c)))).cloned().collect();
    if !finishing.is_empty() {
        return Requirement::Ask(finishing);
    }
    if !candidates.is_empty() && all_reached(&goals, &with(passed, &candidates)) {
        // No one factor is enough, all of them are: ask for one after the other.
        return Requirement::Ask(candidates);
    }
    let holds_second = facts.enrolled.iter().any(|f| SECOND_FACTORS.contains(&f.as_str()));
    // Enrolling during a sign-in rests on the first factor alone: only a pool that makes
    // every user (or every risky sign-in) hold a second factor allows it, and only for a
    // user who holds none yet. Elsewhere a request for more than the user holds is unmet
    // (a password alone must not be enough to add a factor an application then trusts).
    if holds_second || !matches!(facts.policy, MfaPolicy::Required | MfaPolicy::Adaptive) {
        return Requirement::Unmet;
    }
    let enrol: Vec<String> = facts.pool_factors.iter().filter(|f| ENROLLABLE.contains(&f.as_str()) && all_reached(&goals, &with(passed, std::slice::from_ref(f)))).cloned().collect();
    if enrol.is_empty() { Requirement::Unmet } else { Requirement::Enrol(enrol) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    fn facts(policy: MfaPolicy, enrolled: &[&str]) -> Facts {
        Facts { policy, pool_factors: s(&[TOTP, WEBAUTHN]), enrolled: s(enrolled), ..Facts::default() }
    }

    #[test]
    fn amr_and_acr_follow_the_factors() {
        assert_eq!(amr_of(&s(&[PASSWORD, TOTP])), s(&["pwd", "otp", "mfa"]));
        assert_eq!(amr_of(&s(&[WEBAUTHN])), s(&["hwk", "user", "mfa"]));
        assert_eq!(amr_of(&s(&[PASSWORD])), s(&["pwd"]));
        assert_eq!(acr_of(&[], &s(&[PASSWORD]), &[], None), LOA1);
        assert_eq!(acr_of(&[], &s(&[PASSWORD, TOTP]), &[], None), LOA2);
        assert_eq!(acr_of(&[], &s(&[WEBAUTHN]), &[], None), LOA3);
        // The first requested level reached, not the highest.
        assert_eq!(acr_of(&[], &s(&[WEBAUTHN]), &s(&[LOA2, LOA3]), None), LOA2);
        // Never below the client's floor.
        assert_eq!(acr_of(&[], &s(&[PASSWORD, TOTP]), &s(&[LOA1]), Some(LOA2)), LOA2);
        assert_eq!(acr_of(&[], &s(&[WEBAUTHN]), &s(&[LOA1, LOA3]), Some(LOA2)), LOA3);
    }

    #[test]
    fn required_asks_every_user_and_enrols_those_without_a_factor() {
        assert_eq!(requirement(&facts(MfaPolicy::Required, &[TOTP]), &s(&[PASSWORD])), Requirement::Ask(s(&[TOTP])));
        assert_eq!(requirement(&facts(MfaPolicy::Required, &[]), &s(&[PASSWORD])), Requirement::Enrol(s(&[TOTP, WEBAUTHN])));
        assert_eq!(requirement(&facts(MfaPolicy::Required, &[TOTP]), &s(&[PASSWORD, TOTP])), Requirement::Met);
        // A passkey counts as two factors on its own.
        assert_eq!(requirement(&facts(MfaPolicy::Required, &[WEBAUTHN]), &s(&[WEBAUTHN])), Requirement::Met);
        // Recovery codes stand in for the lost factor.
        assert_eq!(requirement(&facts(MfaPolicy::Required, &[TOTP, RECOVERY_CODE]), &s(&[PASSWORD])), Requirement::Ask(s(&[TOTP, RECOVERY_CODE])));
    }

    #[test]
    fn step_up_asks_only_for_what_the_request_or_client_needs() {
        let mut f = facts(MfaPolicy::StepUp, &[TOTP]);
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Met);
        f.requested = s(&[LOA2]);
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Ask(s(&[TOTP])));
        f.requested = s(&[LOA3]);
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Unmet, "no passkey, and one factor held already: no enrolment");
        f.requested = vec![];
        f.minimum = Some(LOA2.into());
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Ask(s(&[TOTP])));
        // No factor held: a step-up pool does not let the password alone enrol one.
        let mut none = facts(MfaPolicy::StepUp, &[]);
        none.requested = s(&[LOA2]);
        assert_eq!(requirement(&none, &s(&[PASSWORD])), Requirement::Unmet);
        none.policy = MfaPolicy::Optional;
        assert_eq!(requirement(&none, &s(&[PASSWORD])), Requirement::Unmet);
    }

    #[test]
    fn off_never_asks_and_optional_asks_the_enrolled() {
        let mut f = facts(MfaPolicy::Off, &[TOTP]);
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Met);
        f.requested = s(&[LOA2]);
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Unmet);
        assert_eq!(requirement(&facts(MfaPolicy::Optional, &[TOTP]), &s(&[PASSWORD])), Requirement::Ask(s(&[TOTP])));
        assert_eq!(requirement(&facts(MfaPolicy::Optional, &[]), &s(&[PASSWORD])), Requirement::Met);
    }

    #[test]
    fn adaptive_asks_when_something_is_new() {
        let mut f = facts(MfaPolicy::Adaptive, &[TOTP]);
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Met);
        f.risk = Some("new_device".into());
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Ask(s(&[TOTP])));
    }

    #[test]
    fn unknown_levels_are_ignored_unless_essential_and_tenant_levels_count() {
        let mut f = facts(MfaPolicy::StepUp, &[TOTP]);
        f.requested = s(&["urn:other:level"]);
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Met);
        f.essential = true;
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Unmet);
        f.levels = vec![AssuranceLevel { id: "bank".into(), acr: "urn:other:level".into(), reached_by: vec![s(&[PASSWORD, TOTP]), s(&[WEBAUTHN])] }];
        assert_eq!(requirement(&f, &s(&[PASSWORD])), Requirement::Ask(s(&[TOTP])));
        assert_eq!(acr_of(&f.levels, &s(&[PASSWORD, TOTP]), &f.requested, None), "urn:other:level");
        assert_eq!(acr_values_supported(&f.levels), s(&[LOA1, LOA2, LOA3, "urn:other:level"]));
    }
}
