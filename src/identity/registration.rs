//! Self-registration: what a registration may set, and what its code proves.
//!
//! Who may do what:
//! - Anyone may register in a pool with `self_registration`. The form, generated from the
//!   pool (its identifier and activation address) and its payload schema (properties not
//!   marked `"x-register": false`), is the whole contract: a posted field the form does not
//!   show is refused, so nobody sets a username, a phone number or a hidden profile field
//!   that the form does not offer.
//! - A code proves control of exactly the address it was sent to. Activation marks that
//!   address, and no other, verified, and only while it is still the account's address.
//! - An address whose account was never activated can be registered again: whoever
//!   registered it first proved nothing. The newest registration wins: every earlier
//!   challenge for that account stops working, and the account is activated with the
//!   username, addresses, profile and password of the registration whose code was entered,
//!   never a mix. Until then the stored account has no password at all and cannot sign in
//!   (it is `new`), so nothing the first registrant chose can take hold by another way.
//! - An address that has an account answers like a new one (its owner gets a notice
//!   instead of a code); only a taken username is shown as taken, because the user must
//!   pick another.
//! - Messages are limited per address and per client IP, guesses per address (see `otp`).
use serde_json::{Map, Value};

use super::lifecycle::{self, Rejected, UserInput, fe};
use super::users::Writer;
use super::otp::{self, Challenge, Origin, PendingRegistration, Purpose, Recipient};
use super::schema::{Compiled, FormField};
use crate::delivery::Channel;
use crate::texts::MailKind;
use crate::error::AppError;
use super::deps::Deps;
use crate::storage::identity::{Activation, Identifier, Lookup, NewUser, Pool};
use crate::storage::{User, UserStatus};

/// An identifier input of the form: (name, HTML input type, autocomplete).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentifierInput {
    pub name: &'static str,
    pub kind: &'static str,
    pub autocomplete: &'static str,
}

const USERNAME: IdentifierInput = IdentifierInput { name: "username", kind: "text", autocomplete: "username" };
const EMAIL: IdentifierInput = IdentifierInput { name: "email", kind: "email", autocomplete: "email" };
const PHONE: IdentifierInput = IdentifierInput { name: "phone", kind: "tel", autocomplete: "tel" };

/// Hidden and fixed inputs every registration form posts besides its fields.
const FIXED: &[&str] = &["flow", "csrf", "password"];

/// What the registration form of a pool shows, and so all that a registration may set.
pub struct RegistrationForm {
    /// The pool's identifier, plus the address activation sends the code to.
    pub identifiers: Vec<IdentifierInput>,
    /// The payload schema's fields not marked `"x-register": false`.
    pub payload: Vec<FormField>,
}

impl RegistrationForm {
    pub fn of(pool: &Pool, payload_schema: &Compiled) -> Self {
        let s = &pool.settings;
        let mut identifiers = vec![];
        if s.identifier == Identifier::Username {
            identifiers.push(USERNAME);
        }
        if s.identifier == Identifier::Email || s.activation == Activation::EmailOtp {
            identifiers.push(EMAIL);
        }
        if s.identifier == Identifier::Phone || s.activation == Activation::SmsOtp {
            identifiers.push(PHONE);
        }
        RegistrationForm { identifiers, payload: payload_schema.registration_fields() }
    }

    fn shows(&self, name: &str) -> bool {
        FIXED.contains(&name) || self.identifiers.iter().any(|i| i.name == name) || self.payload.iter().any(|f| f.name == name)
    }

    /// The first posted name the form does not show: such a post did not come from it.
    pub fn unexpected<'a>(&self, posted: &'a [(String, String)]) -> Option<&'a str> {
        posted.iter().map(|(k, _)| k.as_str()).find(|k| !self.shows(k))
    }

    fn value(&self, posted: &[(String, String)], input: IdentifierInput) -> Option<String> {
        self.identifiers.contains(&input).then(|| posted.iter().find(|(k, _)| k == input.name).map(|(_, v)| v.clone())).flatten()
    }
}

/// What a registration request led to.
pub enum Outcome {
    /// The code page: a real challenge, or a decoy that looks the same.
    Started(Box<Challenge>),
    /// The address or the client IP had its share of messages this hour.
    Limited,
}

/// The first of `pools` that accepts self-registration: where a workspace's sign-up goes.
pub async fn pool_for(state: &Deps<'_>, tenant: &crate::model::TenantId, pools: &[String]) -> Result<Option<Pool>, AppError> {
    for p in pools {
        if let Some(pool) = state.pools.pool(tenant, p).await?
            && pool.settings.self_registration
        {
            return Ok(Some(pool));
        }
    }
    Ok(None)
}

/// One registration as posted: the form's values (checked by [`RegistrationForm::unexpected`]
/// already), where it comes from and the client's IP.
pub struct Request<'a> {
    pub pool: &'a Pool,
    pub posted: &'a [(String, String)],
    pub origin: Origin<'a>,
    pub ip: &'a str,
}

/// Checks a registration and starts the challenge that activates it. `Rejected::Invalid`
/// lists every field to fix; nothing is written or sent then.
pub async fn register(state: &Deps<'_>, form: &RegistrationForm, payload_schema: &Compiled, r: Request<'_>) -> Result<Outcome, Rejected> {
    let mut errors = vec![];
    let payload = payload_schema.from_form_fields(r.posted, &form.payload).unwrap_or_else(|e| {
        errors.extend(lifecycle::prefixed("/payload", e));
        Map::new()
    });
    let input = UserInput {
        username: form.value(r.posted, USERNAME),
        email: form.value(r.posted, EMAIL),
        phone: form.value(r.posted, PHONE),
        password: Some(r.posted.iter().find(|(k, _)| k == "password").map(|(_, v)| v.clone()).unwrap_or_default()),
        payload,
        ..Default::default()
    };
    let activation = r.pool.settings.activation;
    let (channel, address_field) = match activation {
        Activation::EmailOtp => (Channel::Email, "/email"),
        Activation::SmsOtp => (Channel::Sms, "/phone"),
    };
    // Counted before anything is looked up, hashed or sent, for every address alike: a
    // registration refused by the limit costs the server no argon2 work.
    let early_to = match channel {
        Channel::Email => input.email.as_deref().and_then(|e| super::normalize_email(e).ok()),
        Channel::Sms => input.phone.as_deref().and_then(|p| super::normalize_phone(p).ok()),
    };
    if let Some(to) = &early_to
        && !otp::allow_send(state, to, r.ip).await?
    {
        return Ok(Outcome::Limited);
    }
    let new_user = match lifecycle::create_draft(state, r.pool, Writer::Registration, input.into()).await {
        Ok(u) => Some(u),
        Err(Rejected::Invalid(e)) => {
            errors.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    let to = new_user.as_ref().and_then(|u| if channel == Channel::Email { u.email.clone() } else { u.phone.clone() });
    if new_user.is_some() && to.is_none() && !errors.iter().any(|e| e.pointer == address_field) {
        errors.push(fe(address_field, if channel == Channel::Email { "An email address is required." } else { "A phone number is required." }));
    }
    let (Some(new_user), Some(to), true) = (new_user, to, errors.is_empty()) else {
        return Err(Rejected::Invalid(errors));
    };
    let Some(password_hash) = new_user.password_hash.clone() else {
        return Err(AppError::internal("registration without a password hash").into());
    };
    let pending = PendingRegistration { username: new_user.username.clone(), email: new_user.email.clone(), phone: new_user.phone.clone(), payload: new_user.payload.clone(), password_hash };
    // The account waits without a password: only its activation gives it one.
    let new_user = NewUser { password_hash: None, ..new_user };
    // A concurrent registration of the same identifiers may create the account between our
    // look-up and our insert: the loser looks again and carries on as for an existing one.
    for attempt in 0..2 {
        let accounts = accounts_with(state, r.pool, &new_user).await?;
        let owner = accounts.iter().find(|u| owns(u, channel, &to));
        let others: Vec<&User> = accounts.iter().filter(|u| !owns(u, channel, &to)).collect();
        // A taken username is said to be taken whoever holds it (also the owner of the
        // address: answering otherwise would tell whose address it is); only the pending
        // account of this very address may be registered again under its name.
        let replaceable = |u: &User| owns(u, channel, &to) && pending_account(u);
        if r.pool.settings.identifier == Identifier::Username && accounts.iter().any(|u| u.username == new_user.username && !replaceable(u)) {
            return Err(Rejected::Invalid(vec![fe("/username", "This username is taken; please choose another.")]));
        }
        let user_id = match owner {
            // Another account holds one of the identifiers: nothing can be created; answer
            // as for any taken address.
            _ if !others.is_empty() => None,
            Some(u) if pending_account(u) => Some(u.id.clone()),
            Some(u) => {
                notify_existing(state, &r.origin, channel, &to, &u.tenant_id);
                None
            }
            None => match state.users.create_user(&new_user.tenant_id, &new_user, state.now()).await {
                Ok(u) => {
                    lifecycle::audit(state, &u.tenant_id, &format!("user:{}", u.id), "user.registered", &u.id, serde_json::json!({ "pool": r.pool.id })).await;
                    Some(u.id)
                }
                Err(AppError::Conflict(_)) if attempt == 0 => continue,
                Err(AppError::Conflict(_)) => None,
                Err(e) => return Err(e.into()),
            },
        };
        let recipient = Recipient { user_id: user_id.as_deref(), channel, to: &to, registration: user_id.as_ref().map(|_| pending.clone()) };
        let c = Challenge::start(state, Purpose::Activation, r.origin, recipient).await?;
        return Ok(Outcome::Started(Box::new(c)));
    }
    Err(AppError::internal("registration retry exhausted").into())
}

/// Never activated and no address verified: its registrant proved nothing yet.
fn pending_account(u: &User) -> bool {
    u.status == UserStatus::New && !u.email_verified && !u.phone_verified
}

fn owns(u: &User, channel: Channel, to: &str) -> bool {
    match channel {
        Channel::Email => u.email.as_deref() == Some(to),
        Channel::Sms => u.phone.as_deref() == Some(to),
    }
}

/// Every account of the pool holding one of the new user's identifiers, once each.
async fn accounts_with(state: &Deps<'_>, pool: &Pool, u: &NewUser) -> Result<Vec<User>, AppError> {
    let probes = [(Lookup::Email, u.email.as_deref()), (Lookup::Phone, u.phone.as_deref()), (Lookup::Username, Some(u.username.as_str()))];
    let mut found: Vec<User> = vec![];
    for (by, value) in probes {
        if let Some(v) = value
            && let Some(user) = state.users.find_user(&pool.tenant_id, &pool.id, by, v).await?
            && !found.iter().any(|f| f.id == user.id)
        {
            found.push(user);
        }
    }
    Ok(found)
}

fn notify_existing(state: &Deps<'_>, at: &Origin<'_>, channel: Channel, to: &str, tenant: &str) {
    let link = format!("{}/reset", at.pages);
    let mut msg = at.voice.message(channel, to, tenant, "account_exists", &MailKind::Existing { link: &link });
    msg.link = Some(link);
    otp::send_later(state.delivery.clone(), msg);
}

/// Why an activation was refused (all look the same to the browser).
#[derive(Debug, PartialEq, Eq)]
pub enum NotActivated {
    /// A newer registration replaced this one, or the challenge carries none.
    Superseded,
    /// The account's address is no longer the one the code was sent to, or the account was
    /// activated or changed meanwhile.
    AddressChanged,
    /// The username or an address was taken by another account meanwhile.
    Taken,
}

/// Activates the account of a spent registration challenge with exactly that
/// registration's username, profile and password, and marks verified only the address the
/// code went to.
pub async fn activate(state: &Deps<'_>, c: &Challenge) -> Result<Result<User, NotActivated>, AppError> {
    let (Some(user_id), Some(reg)) = (&c.user_id, &c.registration) else {
        return Ok(Err(NotActivated::Superseded));
    };
    if !c.is_current(state).await? {
        return Ok(Err(NotActivated::Superseded));
    }
    let Some(mut user) = state.users.get(&c.tenant_id, user_id).await?.filter(pending_account) else {
        return Ok(Err(NotActivated::AddressChanged));
    };
    if !owns(&user, c.channel, &c.to) {
        return Ok(Err(NotActivated::AddressChanged));
    }
    match c.channel {
        Channel::Email => user.email_verified = true,
        Channel::Sms => user.phone_verified = true,
    }
    user.status = UserStatus::Active;
    user.username = reg.username.clone();
    user.email = reg.email.clone();
    user.phone = reg.phone.clone();
    user.claims = reg.payload.clone();
    match state.users.activate_registration(&user.tenant_id, &user, &reg.password_hash, state.now()).await {
        Ok(()) => {}
        Err(AppError::Conflict(_)) => return Ok(Err(NotActivated::Taken)),
        Err(e) => return Err(e),
    }
    c.retire(state).await?;
    lifecycle::audit(state, &c.tenant_id, &format!("user:{user_id}"), "user.activated", user_id, Value::Null).await;
    Ok(Ok(user))
}
