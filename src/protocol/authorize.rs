//! The authorization endpoint (RFC 6749 §4.1.1-4.1.2, OIDC Core §3.1.2): validation of the
//! request, the decision of what happens next, and code issuance.
use url::Url;

use super::error::{ErrorCode, OAuthError};
use super::pkce;
use super::types::{AuthorizationRequest, Authentication, CodeRecord, Prompt, Scope};
use crate::error::AppError;
use crate::storage::session::{Kind, Sessions};
use crate::storage::{Client, ConsentMode};
use crate::crypto::{digest, random_token};

/// Longest value accepted per parameter. RFC 6749 sets no limits; these keep what an
/// anonymous request makes us hold (its flow, for `flow_ttl`) to a few KiB while staying
/// far above what clients send.
pub const MAX_CLIENT_ID: usize = 128;
/// Also the longest redirect URI a client may register.
pub const MAX_REDIRECT_URI: usize = 2048;
pub const MAX_STATE: usize = 2048;
const MAX_SCOPE: usize = 1024;
const MAX_NONCE: usize = 512;
const MAX_LOGIN_HINT: usize = 256;
/// "none login consent select_account" is 33.
const MAX_PROMPT: usize = 64;
/// Ten digits are over 300 years.
const MAX_MAX_AGE: usize = 10;
/// `ui_locales`: at most this many tags of at most `MAX_LANGUAGE_TAG` characters; RFC 5646
/// §4.4.1 asks implementations to support tags of 35 characters.
pub const MAX_UI_LOCALES: usize = 10;
const MAX_LANGUAGE_TAG: usize = 35;
/// RFC 7636 §4.2: a code challenge is 43-128 characters.
const MAX_CODE_CHALLENGE: usize = 128;
/// `acr_values` (OIDC Core §3.1.2.1): at most this many values of at most `MAX_ACR_VALUE`
/// characters each (URNs such as `urn:portcullis:acr:password`).
pub const MAX_ACR_VALUES: usize = 10;
const MAX_ACR_VALUE: usize = 128;
/// The `claims` parameter (OIDC Core §5.5) is a JSON object; this bounds what a request
/// makes us parse and hold.
const MAX_CLAIMS: usize = 4096;
/// Short enough for any registered value (`code`, `query`, `S256`).
const MAX_KEYWORD: usize = 32;

/// The raw parameters, each present at most once.
#[derive(Debug, Default, Clone)]
pub struct AuthorizeParams {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub response_mode: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub prompt: Option<String>,
    pub max_age: Option<String>,
    pub login_hint: Option<String>,
    pub ui_locales: Option<String>,
    pub acr_values: Option<String>,
    pub claims: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub request: Option<String>,
    pub request_uri: Option<String>,
    /// The first parameter that appeared more than once (RFC 6749 §3.1: MUST NOT).
    pub duplicate: Option<String>,
}

impl AuthorizeParams {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>) -> Self {
        let mut p = Self::default();
        for (k, v) in pairs {
            let slot = match k.as_ref() {
                "client_id" => &mut p.client_id,
                "redirect_uri" => &mut p.redirect_uri,
                "response_type" => &mut p.response_type,
                "response_mode" => &mut p.response_mode,
                "scope" => &mut p.scope,
                "state" => &mut p.state,
                "nonce" => &mut p.nonce,
                "prompt" => &mut p.prompt,
                "max_age" => &mut p.max_age,
                "login_hint" => &mut p.login_hint,
                "ui_locales" => &mut p.ui_locales,
                "acr_values" => &mut p.acr_values,
                "claims" => &mut p.claims,
                "code_challenge" => &mut p.code_challenge,
                "code_challenge_method" => &mut p.code_challenge_method,
                "request" => &mut p.request,
                "request_uri" => &mut p.request_uri,
                // RFC 6749 §3.1: unrecognised parameters MUST be ignored.
                _ => continue,
            };
            if slot.is_some() {
                p.duplicate.get_or_insert_with(|| k.to_string());
            }
            // Empty values are treated as omitted (RFC 6749 §3.1).
            *slot = Some(v.into_owned()).filter(|v| !v.is_empty());
        }
        p
    }

    /// The client id to look up, unless it is too long to be one (then `validate` says so
    /// without any lookup having been made, or cached, for it).
    pub fn lookup_client_id(&self) -> Option<&str> {
        self.client_id.as_deref().filter(|c| c.len() <= MAX_CLIENT_ID)
    }

    /// Parameters with a length bound, checked once client and redirect URI are trusted.
    fn bounded(&self) -> [(&'static str, Option<&String>, usize); 12] {
        [
            ("response_type", self.response_type.as_ref(), MAX_KEYWORD),
            ("response_mode", self.response_mode.as_ref(), MAX_KEYWORD),
            ("scope", self.scope.as_ref(), MAX_SCOPE),
            ("nonce", self.nonce.as_ref(), MAX_NONCE),
            ("prompt", self.prompt.as_ref(), MAX_PROMPT),
            ("max_age", self.max_age.as_ref(), MAX_MAX_AGE),
            ("login_hint", self.login_hint.as_ref(), MAX_LOGIN_HINT),
            ("ui_locales", self.ui_locales.as_ref(), MAX_UI_LOCALES * (MAX_LANGUAGE_TAG + 1)),
            ("acr_values", self.acr_values.as_ref(), MAX_ACR_VALUES * (MAX_ACR_VALUE + 1)),
            ("claims", self.claims.as_ref(), MAX_CLAIMS),
            ("code_challenge", self.code_challenge.as_ref(), MAX_CODE_CHALLENGE),
            ("code_challenge_method", self.code_challenge_method.as_ref(), MAX_KEYWORD),
        ]
    }
}

/// `ui_locales` (OIDC Core §3.1.2.1): space-separated BCP 47 tags, bounded in number and
/// length; `None` if it is not that.
fn ui_locales(raw: Option<&str>) -> Option<Vec<String>> {
    let tags: Vec<String> = raw.unwrap_or("").split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let well_formed = |t: &String| t.len() <= MAX_LANGUAGE_TAG && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (tags.len() <= MAX_UI_LOCALES && tags.iter().all(well_formed)).then_some(tags)
}

/// The `acr` request of the `claims` parameter (OIDC Core §5.5, §5.5.1.1), in the ID
/// token or userinfo member: its values (`value` or `values`) and whether it is
/// essential. `Err` when the parameter is not a JSON object of objects as §5.5 requires.
fn claims_acr(raw: Option<&str>) -> Result<(Vec<String>, bool), &'static str> {
    let Some(raw) = raw else {
        return Ok((vec![], false));
    };
    let value: serde_json::Value = serde_json::from_str(raw).map_err(|_| "claims must be a JSON object")?;
    let obj = value.as_object().ok_or("claims must be a JSON object")?;
    let (mut values, mut essential) = (vec![], false);
    for (member, requests) in obj {
        let requests = requests.as_object().ok_or("each member of claims must be a JSON object")?;
        let Some(acr) = requests.get("acr").filter(|a| !a.is_null()) else {
            continue;
        };
        if member != "id_token" && member != "userinfo" {
            continue;
        }
        let acr = acr.as_object().ok_or("claims acr must be null or a JSON object")?;
        essential |= acr.get("essential").and_then(|e| e.as_bool()).unwrap_or(false);
        let listed = match (acr.get("value"), acr.get("values")) {
            (Some(serde_json::Value::String(v)), _) => vec![v.clone()],
            (_, Some(serde_json::Value::Array(vs))) => vs.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
            _ => vec![],
        };
        values.extend(listed);
    }
    Ok((values, essential))
}

/// `acr_values` (OIDC Core §3.1.2.1): space-separated, in order of preference, each a
/// printable ASCII token (no quote or backslash, so it can be echoed in a claim or error);
/// bounded in number and length; `None` if it is not that. The sign-in engine enforces
/// them (`auth::assurance`): the level asked for is reached, or the request ends in
/// `unmet_authentication_requirements`.
fn acr_values(raw: Option<&str>) -> Option<Vec<String>> {
    let mut values: Vec<String> = vec![];
    for v in raw.unwrap_or("").split(' ').filter(|s| !s.is_empty()) {
        if v.len() > MAX_ACR_VALUE || !v.bytes().all(|b| (0x21..=0x7E).contains(&b) && b != b'"' && b != b'\\') {
            return None;
        }
        if !values.iter().any(|x| x == v) {
            values.push(v.to_owned());
        }
    }
    (values.len() <= MAX_ACR_VALUES).then_some(values)
}

/// Why a request is refused.
#[derive(Debug)]
pub enum AuthorizeError {
    /// Client or redirect URI could not be trusted: show the error, never redirect
    /// (RFC 6749 §4.1.2.1: MUST NOT automatically redirect to an invalid URI).
    Show(OAuthError),
    /// Sent back to the client's registered redirect URI.
    Redirect { redirect_uri: String, state: Option<String>, error: OAuthError },
}

/// Validates a request against the client it names (`None`: unknown client).
pub fn validate(p: AuthorizeParams, client: Option<&Client>) -> Result<AuthorizationRequest, AuthorizeError> {
    let show = |d: &str| AuthorizeError::Show(OAuthError::invalid_request(d));
    match p.client_id.as_deref() {
        None => return Err(show("client_id is missing")),
        Some(c) if c.len() > MAX_CLIENT_ID => return Err(show("client_id is too long")),
        Some(_) => {}
    }
    let Some(client) = client else {
        return Err(AuthorizeError::Show(OAuthError::invalid_client("Unknown client")));
    };
    // OIDC Core §3.1.2.1: redirect_uri is REQUIRED and MUST exactly match a registered one.
    let Some(redirect_uri) = p.redirect_uri.clone() else {
        return Err(show("redirect_uri is missing"));
    };
    if redirect_uri.len() > MAX_REDIRECT_URI {
        return Err(show("redirect_uri is too long"));
    }
    if !client.redirect_uris.iter().any(|r| r == &redirect_uri) {
        return Err(show("redirect_uri is not registered for this client"));
    }
    if p.duplicate.as_deref().is_some_and(|d| d == "redirect_uri" || d == "client_id") {
        return Err(show("a parameter was given more than once"));
    }
    // RFC 6749 §4.1.2.1: errors from here on go back to the client, with its state, unless
    // the state itself is too long to echo (the Location header would be as large).
    let state = p.state.clone().filter(|s| s.len() <= MAX_STATE);
    let redirect = |error: OAuthError| AuthorizeError::Redirect { redirect_uri: redirect_uri.clone(), state: state.clone(), error };
    let bad = |d: &str| redirect(OAuthError::invalid_request(d));

    if let Some(d) = &p.duplicate {
        return Err(bad(&format!("{d} was given more than once")));
    }
    if p.state.as_ref().is_some_and(|s| s.len() > MAX_STATE) {
        return Err(bad("state is too long"));
    }
    for (name, value, limit) in p.bounded() {
        if value.is_some_and(|v| v.len() > limit) {
            return Err(bad(&format!("{name} is too long")));
        }
    }
    let Some(ui_locales) = ui_locales(p.ui_locales.as_deref()) else {
        return Err(bad(&format!("ui_locales must be at most {MAX_UI_LOCALES} language tags (RFC 5646) of at most {MAX_LANGUAGE_TAG} characters")));
    };
    let (claimed, acr_essential) = claims_acr(p.claims.as_deref()).map_err(bad)?;
    // OIDC Core §5.5.1.1: for an essential acr the returned value MUST be one of its
    // values, so those alone are asked; a voluntary one comes before `acr_values`.
    let asked: Vec<&str> = if acr_essential { claimed.iter().map(String::as_str).collect() } else { claimed.iter().map(String::as_str).chain(p.acr_values.iter().map(String::as_str)).collect() };
    let joined = asked.join(" ");
    let Some(acr_values) = acr_values(Some(&joined)) else {
        return Err(bad(&format!("acr_values must be at most {MAX_ACR_VALUES} values of at most {MAX_ACR_VALUE} printable characters")));
    };
    if p.request.is_some() {
        return Err(redirect(OAuthError::new(ErrorCode::RequestNotSupported, "request objects are not supported")));
    }
    if p.request_uri.is_some() {
        return Err(redirect(OAuthError::new(ErrorCode::RequestUriNotSupported, "request_uri is not supported")));
    }
    match p.response_type.as_deref() {
        None => return Err(bad("response_type is missing")),
        Some("code") => {}
        Some(_) => return Err(redirect(OAuthError::new(ErrorCode::UnsupportedResponseType, "only response_type=code is supported"))),
    }
    if p.response_mode.as_deref().is_some_and(|m| m != "query") {
        return Err(bad("only response_mode=query is supported"));
    }
    if !client.allows_grant("authorization_code") {
        return Err(redirect(OAuthError::unauthorized_client("the client may not use the authorization code grant")));
    }
    let scope = Scope::parse(p.scope.as_deref().unwrap_or("")).ok_or_else(|| redirect(OAuthError::invalid_scope("malformed scope")))?;
    if scope.0.is_empty() {
        return Err(redirect(OAuthError::invalid_scope("scope is missing")));
    }
    if !scope.is_subset_of(&client.scopes) {
        return Err(redirect(OAuthError::invalid_scope("a requested scope is not allowed for this client")));
    }
    // PKCE (RFC 7636 §4.4.1; RFC 9700 §2.1.1: required for public clients).
    let code_challenge = match (&p.code_challenge, p.code_challenge_method.as_deref()) {
        (None, Some(_)) => return Err(bad("code_challenge_method without code_challenge")),
        (None, None) if client.is_public() => return Err(bad("PKCE with S256 is required for public clients")),
        (None, None) => None,
        (Some(_), None | Some("plain")) => return Err(bad("code_challenge_method must be S256")),
        (Some(c), Some("S256")) if pkce::valid_verifier_or_challenge(c) => Some(c.clone()),
        (Some(_), Some("S256")) => return Err(bad("malformed code_challenge")),
        (Some(_), Some(_)) => return Err(bad("unsupported code_challenge_method")),
    };
    let mut prompt = vec![];
    for v in p.prompt.as_deref().unwrap_or("").split(' ').filter(|s| !s.is_empty()) {
        let value = match v {
            "none" => Prompt::None,
            "login" => Prompt::Login,
            "consent" => Prompt::Consent,
            "select_account" => Prompt::SelectAccount,
            _ => return Err(bad("unknown prompt value")),
        };
        if !prompt.contains(&value) {
            prompt.push(value);
        }
    }
    // OIDC Core §3.1.2.1: none with any other value is an error.
    if prompt.contains(&Prompt::None) && prompt.len() > 1 {
        return Err(bad("prompt=none cannot be combined with other values"));
    }
    let max_age = match &p.max_age {
        None => None,
        Some(v) => Some(v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| bad("max_age must be a non-negative integer"))?),
    };
    Ok(AuthorizationRequest {
        client_id: client.client_id.clone(),
        redirect_uri,
        scope,
        state: p.state,
        nonce: p.nonce,
        prompt,
        max_age,
        login_hint: p.login_hint,
        ui_locales,
        acr_values,
        acr_essential,
        code_challenge,
    })
}

/// What the authorization endpoint does next.
#[derive(Debug, PartialEq, Eq)]
pub enum AuthorizeOutcome {
    /// No usable authentication (none, stale for max_age, or prompt=login): sign in.
    NeedsLogin,
    NeedsConsent,
    Issue(Authentication),
    RedirectError(OAuthError),
}

/// Where the flow stands: the current authentication (from this flow or the SSO
/// session), whether it happened within this flow, and whether consent was just given.
pub struct FlowPosition<'a> {
    pub auth: Option<&'a Authentication>,
    pub fresh: bool,
    pub consented: bool,
    /// Scopes the user granted this client before.
    pub granted: &'a [String],
}

pub fn decide(req: &AuthorizationRequest, client: &Client, at: FlowPosition<'_>, now: i64) -> AuthorizeOutcome {
    let none = req.has_prompt(Prompt::None);
    let stale = |a: &Authentication| req.max_age.is_some_and(|m| now - a.auth_time > m);
    let auth = match at.auth {
        Some(a) if at.fresh || (!req.has_prompt(Prompt::Login) && !stale(a)) => a,
        // OIDC Core §3.1.2.6: prompt=none and the user would have to sign in.
        _ if none => return AuthorizeOutcome::RedirectError(OAuthError::new(ErrorCode::LoginRequired, "the user is not signed in")),
        _ => return AuthorizeOutcome::NeedsLogin,
    };
    // Third-party clients need the user's word; offline access (OIDC Core §11) is always
    // asked for explicitly, and prompt=consent asks again.
    let ask = client.consent == ConsentMode::Required
        && !at.consented
        && (req.has_prompt(Prompt::Consent) || req.scope.contains("offline_access") || !req.scope.is_subset_of(at.granted));
    if ask {
        if none {
            return AuthorizeOutcome::RedirectError(OAuthError::new(ErrorCode::ConsentRequired, "consent is required"));
        }
        return AuthorizeOutcome::NeedsConsent;
    }
    AuthorizeOutcome::Issue(auth.clone())
}

/// Creates and stores a one-time authorization code for `req`, returning the code.
pub async fn issue_code(sessions: &Sessions, req: &AuthorizationRequest, auth: Authentication, ttl: i64, now: i64) -> Result<String, AppError> {
    let code = random_token(32);
    let key = code_key(&auth.tenant_id, &auth.workspace_id, &req.client_id, &code);
    let grant_id = uuid::Uuid::new_v4().to_string();
    let record = CodeRecord {
        tenant_id: auth.tenant_id.clone(),
        workspace_id: auth.workspace_id.clone(),
        client_id: req.client_id.clone(),
        redirect_uri: req.redirect_uri.clone(),
        scope: req.scope.clone(),
        nonce: req.nonce.clone(),
        code_challenge: req.code_challenge.clone(),
        auth,
        grant_id: grant_id.clone(),
        expires_at: now + ttl,
    };
    // The grant id outlives the code so that a replay found later still revokes it.
    sessions.put(Kind::CodeGrant, &key, &grant_id, ttl * 10).await?;
    sessions.put(Kind::Code, &key, &record, ttl).await?;
    Ok(code)
}

/// Where a code is stored: under its digest, scoped to the workspace and client it was
/// issued to, so that no other client can find (or spend) it (RFC 6749 §4.1.3).
pub fn code_key(tenant: &str, workspace: &str, client_id: &str, code: &str) -> String {
    format!("{tenant}/{workspace}/{}/{}", crate::crypto::hex(&digest(client_id)), crate::crypto::hex(&digest(code)))
}

/// The authorization response (RFC 6749 §4.1.2, RFC 9207 `iss`).
pub fn success_redirect(redirect_uri: &str, code: &str, state: Option<&str>, issuer: &str) -> Result<Url, AppError> {
    let mut url = Url::parse(redirect_uri).map_err(|e| AppError::corrupt("registered redirect URI").because(e))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("code", code);
        if let Some(s) = state {
            q.append_pair("state", s);
        }
        q.append_pair("iss", issuer);
    }
    Ok(url)
}

/// The error response by redirect (RFC 6749 §4.1.2.1).
pub fn error_redirect(redirect_uri: &str, error: &OAuthError, state: Option<&str>, issuer: &str) -> Result<Url, AppError> {
    let mut url = Url::parse(redirect_uri).map_err(|e| AppError::corrupt("registered redirect URI").because(e))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("error", error.error.as_str());
        if let Some(d) = &error.error_description {
            q.append_pair("error_description", d);
        }
        if let Some(s) = state {
            q.append_pair("state", s);
        }
        q.append_pair("iss", issuer);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::SigningAlg;

    fn client(public: bool, consent: ConsentMode) -> Client {
        Client {
            tenant_id: crate::model::TenantId::new("t"),
            workspace_id: "w".into(),
            client_id: "c".into(),
            name: "c".into(),
            secret_sha256: (!public).then_some([0; 32]),
            redirect_uris: vec!["http://127.0.0.1/cb".into()],
            post_logout_redirect_uris: vec![],
            grant_types: vec!["authorization_code".into()],
            scopes: vec!["openid".into(), "profile".into(), "offline_access".into()],
            consent,
            id_token_alg: SigningAlg::RS256,
            allowed_origins: vec![],
            min_acr: None,
        }
    }

    fn params(extra: &[(&str, &str)]) -> AuthorizeParams {
        let mut pairs = vec![("client_id", "c"), ("redirect_uri", "http://127.0.0.1/cb"), ("response_type", "code"), ("scope", "openid")];
        pairs.extend_from_slice(extra);
        AuthorizeParams::from_pairs(pairs.into_iter().map(|(k, v)| (k.into(), v.into())))
    }

    /// The default parameters with `name` replaced by `value`.
    fn params_with(name: &str, value: &str) -> AuthorizeParams {
        let mut pairs: Vec<(&str, &str)> = vec![("client_id", "c"), ("redirect_uri", "http://127.0.0.1/cb"), ("response_type", "code"), ("scope", "openid"), ("state", "s")];
        pairs.retain(|(k, _)| *k != name);
        pairs.push((name, value));
        AuthorizeParams::from_pairs(pairs.into_iter().map(|(k, v)| (k.into(), v.into())))
    }

    fn auth(at: i64) -> Authentication {
        Authentication { tenant_id: crate::model::TenantId::new("t"), workspace_id: "w".into(), user_id: "u".into(), auth_time: at, sid: "s".into(), acr: "a".into(), amr: vec!["pwd".into()], session_ms: at * 1000, factors: vec!["password".into()] }
    }

    #[test]
    fn unregistered_redirect_uri_is_shown_never_redirected() {
        let mut p = params(&[]);
        p.redirect_uri = Some("http://127.0.0.1/evil".into());
        assert!(matches!(validate(p, Some(&client(false, ConsentMode::Required))), Err(AuthorizeError::Show(_))));
    }

    #[test]
    fn unknown_client_is_shown() {
        assert!(matches!(validate(params(&[]), None), Err(AuthorizeError::Show(e)) if e.error == ErrorCode::InvalidClient));
    }

    #[test]
    fn public_clients_must_use_pkce_s256() {
        let c = client(true, ConsentMode::Required);
        assert!(matches!(validate(params(&[]), Some(&c)), Err(AuthorizeError::Redirect { .. })));
        let plain = params(&[("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), ("code_challenge_method", "plain")]);
        assert!(matches!(validate(plain, Some(&c)), Err(AuthorizeError::Redirect { .. })));
        let s256 = params(&[("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), ("code_challenge_method", "S256")]);
        assert!(validate(s256, Some(&c)).is_ok());
    }

    #[test]
    fn repeated_parameters_are_refused() {
        let p = params(&[("scope", "profile")]);
        assert!(matches!(validate(p, Some(&client(false, ConsentMode::Required))), Err(AuthorizeError::Redirect { error, .. }) if error.error == ErrorCode::InvalidRequest));
    }

    #[test]
    fn scopes_beyond_the_client_are_invalid_scope() {
        let p = AuthorizeParams { scope: Some("openid email".into()), ..params(&[]) };
        assert!(matches!(validate(p, Some(&client(false, ConsentMode::Required))), Err(AuthorizeError::Redirect { error, .. }) if error.error == ErrorCode::InvalidScope));
    }

    #[test]
    fn oversized_parameters_are_invalid_request() {
        let c = client(false, ConsentMode::Required);
        let long = |n: usize| "a".repeat(n);
        // Before the client and redirect URI are trusted: shown, and never looked up.
        let p = AuthorizeParams { client_id: Some(long(MAX_CLIENT_ID + 1)), ..params(&[]) };
        assert_eq!(p.lookup_client_id(), None);
        assert!(matches!(validate(p, Some(&c)), Err(AuthorizeError::Show(e)) if e.error == ErrorCode::InvalidRequest));
        let p = AuthorizeParams { redirect_uri: Some(format!("http://127.0.0.1/cb?{}", long(MAX_REDIRECT_URI))), ..params(&[]) };
        assert!(matches!(validate(p, Some(&c)), Err(AuthorizeError::Show(e)) if e.error == ErrorCode::InvalidRequest));
        // After: redirected.
        let tag = |n: usize| format!("x-{}", long(n - 2));
        let ten: Vec<String> = (0..10).map(|_| tag(35)).collect();
        let eleven = ["en"; 11].join(" ");
        let bad = [
            ("state", long(MAX_STATE + 1)),
            ("nonce", long(513)),
            ("login_hint", long(257)),
            ("scope", format!("openid {}", long(1024))),
            ("prompt", "login ".repeat(11)),
            ("max_age", "1".repeat(11)),
            ("ui_locales", long(60_000)),
            ("ui_locales", eleven),
            ("ui_locales", tag(36)),
            ("ui_locales", "en\"><script>".into()),
            ("response_type", long(33)),
            ("code_challenge", long(129)),
        ];
        for (name, value) in bad {
            let e = validate(params_with(name, &value), Some(&c)).unwrap_err();
            let AuthorizeError::Redirect { error, state, .. } = e else { panic!("{name}: shown, not redirected") };
            assert_eq!(error.error, ErrorCode::InvalidRequest, "{name}");
            assert!(error.error_description.unwrap().contains(name), "{name}");
            // An oversized state is not echoed.
            assert_eq!(state.is_none(), name == "state", "{name}");
        }
        let ok = validate(params(&[("ui_locales", &ten.join(" ")), ("state", &long(MAX_STATE)), ("prompt", "login login consent")]), Some(&c)).unwrap();
        assert_eq!(ok.ui_locales.len(), 10);
        assert_eq!(ok.prompt, vec![Prompt::Login, Prompt::Consent], "duplicates are stored once");
    }

    #[test]
    fn acr_values_are_carried_de_duplicated_and_bounded() {
        let c = client(false, ConsentMode::Required);
        let ok = validate(params(&[("acr_values", "urn:a urn:b  urn:a")]), Some(&c)).unwrap();
        assert_eq!(ok.acr_values, vec!["urn:a".to_string(), "urn:b".to_string()]);
        let eleven = (0..11).map(|i| format!("urn:{i}")).collect::<Vec<_>>().join(" ");
        for bad in [eleven, "a".repeat(129), "urn:\"x".into()] {
            let e = validate(params(&[("acr_values", &bad)]), Some(&c)).unwrap_err();
            assert!(matches!(e, AuthorizeError::Redirect { error, .. } if error.error == ErrorCode::InvalidRequest), "{bad}");
        }
    }

    #[test]
    fn prompt_none_without_session_is_login_required() {
        let c = client(false, ConsentMode::Implicit);
        let req = validate(params(&[("prompt", "none")]), Some(&c)).unwrap();
        let pos = FlowPosition { auth: None, fresh: false, consented: false, granted: &[] };
        assert!(matches!(decide(&req, &c, pos, 0), AuthorizeOutcome::RedirectError(e) if e.error == ErrorCode::LoginRequired));
    }

    #[test]
    fn max_age_forces_a_new_sign_in() {
        let c = client(false, ConsentMode::Implicit);
        let req = validate(params(&[("max_age", "60")]), Some(&c)).unwrap();
        let a = auth(0);
        assert_eq!(decide(&req, &c, FlowPosition { auth: Some(&a), fresh: false, consented: false, granted: &[] }, 61), AuthorizeOutcome::NeedsLogin);
        assert!(matches!(decide(&req, &c, FlowPosition { auth: Some(&a), fresh: false, consented: false, granted: &[] }, 30), AuthorizeOutcome::Issue(_)));
    }

    #[test]
    fn remembered_consent_is_not_asked_again_but_offline_access_is() {
        let c = client(false, ConsentMode::Required);
        let a = auth(0);
        let granted = vec!["openid".to_string(), "offline_access".to_string()];
        let req = validate(params(&[]), Some(&c)).unwrap();
        assert!(matches!(decide(&req, &c, FlowPosition { auth: Some(&a), fresh: false, consented: false, granted: &granted }, 1), AuthorizeOutcome::Issue(_)));
        let off = validate(AuthorizeParams { scope: Some("openid offline_access".into()), ..params(&[]) }, Some(&c)).unwrap();
        assert_eq!(decide(&off, &c, FlowPosition { auth: Some(&a), fresh: false, consented: false, granted: &granted }, 1), AuthorizeOutcome::NeedsConsent);
    }
}
