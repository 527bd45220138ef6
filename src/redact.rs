//! `Debug` for values that hold secrets (STYLE.md 13: secrets never reach logs). A type
//! holding a private key, a token, a password (or its hash), a client secret (or its
//! digest), a one-time code (or its digest) or a CSRF token writes its `Debug` by hand,
//! destructuring itself so that a new field does not compile until it is listed, and shows
//! each secret as [`Redacted`]: that it is there, never what it is.
use std::fmt;

/// Stands for a secret in `Debug` output: `<redacted>`.
#[derive(Clone, Copy)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `Some(<redacted>)` or `None`: whether an optional secret is there.
pub fn option<T>(secret: &Option<T>) -> Option<Redacted> {
    secret.as_ref().map(|_| Redacted)
}

#[cfg(test)]
mod tests {
    use crate::storage::identity::{ImportView, NewUser};
    use crate::storage::{Client, ConsentMode, SigningAlg, StoredKey, User, UserStatus};

    const SECRET: &str = "s3cr3t-V4LUE";
    const HEX: [u8; 32] = [0xab; 32];

    /// The Debug text of `value`, checked to hold neither the secret nor its bytes.
    fn shown(value: &impl std::fmt::Debug) -> String {
        let text = format!("{value:?}");
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("171, 171"), "digest bytes shown: {text}");
        assert!(!text.contains("abababab"), "digest hex shown: {text}");
        text
    }

    fn user() -> User {
        serde_json::from_value(serde_json::json!({
            "id": "u1", "tenant_id": "t", "pool_id": "p", "username": "alice", "status": "active",
            "email": null, "email_verified": false, "phone": null, "phone_verified": false,
            "claims": {}, "created_at": 0, "updated_at": 0, "deleted_at": null
        }))
        .unwrap()
    }

    #[test]
    fn engine_answers_hide_the_code_the_cookie_and_the_flow() {
        use crate::auth::engine::{Advanced, Destination};
        let to = Destination::Client(url::Url::parse(&format!("https://rp.example/cb?code={SECRET}")).unwrap());
        let answer = Advanced { to, session_cookie: Some(SECRET.into()), device_cookie: Some(SECRET.into()) };
        assert!(shown(&answer).contains("Client"));
        let page = Destination::Page(crate::views::PageId::ALL[0], format!("/acme/shop/login?flow={SECRET}"));
        shown(&page);
    }

    #[test]
    fn keys_clients_and_users_hide_their_secrets() {
        let key = StoredKey { kid: "k1".into(), alg: SigningAlg::ES256, private_pem: SECRET.into(), created_at: 0, retired_at: None };
        assert!(shown(&key).contains("k1"));
        let client = Client {
            tenant_id: crate::model::TenantId::new("t"),
            workspace_id: "w".into(),
            client_id: "web".into(),
            name: "Web".into(),
            secret_sha256: Some(HEX),
            redirect_uris: vec![],
            post_logout_redirect_uris: vec![],
            grant_types: vec![],
            scopes: vec![],
            consent: ConsentMode::Required,
            id_token_alg: SigningAlg::ES256,
            allowed_origins: vec![],
            min_acr: None,
        };
        assert!(shown(&client).contains("web"));
        let new_user = NewUser {
            tenant_id: crate::model::TenantId::new("t"),
            pool_id: "p".into(),
            username: "alice".into(),
            status: UserStatus::Active,
            email: None,
            email_verified: false,
            phone: None,
            phone_verified: false,
            payload: Default::default(),
            metadata: Default::default(),
            password_hash: Some(format!("$argon2id$v=19$m=19456,t=2,p=1${SECRET}")),
            password_source: Some(HEX),
            groups: vec![],
        };
        assert!(shown(&new_user).contains("alice"));
        let view = ImportView { user: user(), groups: vec![], password_source: Some(HEX) };
        assert!(shown(&view).contains("alice"));
        let input = crate::identity::lifecycle::UserInput { username: Some("alice".into()), password: Some(SECRET.into()), ..Default::default() };
        assert!(shown(&input).contains("alice"));
    }

    #[test]
    fn tokens_and_presented_credentials_are_hidden() {
        let response = crate::protocol::types::TokenResponse {
            access_token: SECRET.into(),
            token_type: "Bearer",
            expires_in: 600,
            refresh_token: Some(SECRET.into()),
            id_token: Some(SECRET.into()),
            scope: "openid".into(),
        };
        assert!(shown(&response).contains("openid"));
        let params = crate::protocol::token::TokenParams {
            grant_type: Some("authorization_code".into()),
            code: Some(SECRET.into()),
            code_verifier: Some(SECRET.into()),
            refresh_token: Some(SECRET.into()),
            ..Default::default()
        };
        assert!(shown(&params).contains("authorization_code"));
        let presented = crate::protocol::client_auth::Presented {
            basic: Some(("web".into(), SECRET.into())),
            form_client_id: Some("web".into()),
            form_client_secret: Some(SECRET.into()),
        };
        assert!(shown(&presented).contains("web"));
        let logout = crate::protocol::logout::LogoutParams { id_token_hint: Some(SECRET.into()), ..Default::default() };
        shown(&logout);
    }

    #[test]
    fn flows_and_challenges_hide_their_tokens_and_codes() {
        let request: crate::protocol::types::AuthorizationRequest = serde_json::from_value(serde_json::json!({
            "client_id": "web", "redirect_uri": "https://rp.example/cb", "scope": ["openid"],
            "state": null, "nonce": null, "code_challenge": null, "prompt": [], "max_age": null,
            "login_hint": null, "ui_locales": []
        }))
        .unwrap_or_else(|e| panic!("fixture out of date: {e}"));
        let flow = crate::auth::Flow { id: SECRET.into(), tenant_id: crate::model::TenantId::new("t"), workspace_id: "w".into(), browser: "b".into(), csrf: SECRET.into(), request, stage: crate::auth::Stage::Started };
        assert!(shown(&flow).contains("Flow"));
        let challenge: crate::identity::otp::Challenge = serde_json::from_value(serde_json::json!({
            "id": SECRET, "purpose": "reset", "tenant_id": "t", "workspace_id": "w", "pool_id": "p",
            "user_id": "u1", "channel": "email", "to": "a@example.com", "code_sha256": SECRET,
            "expires_at": 0, "flow": null, "browser": "b", "csrf": SECRET, "pages": "https://id.example",
            "registration": { "username": "a", "email": null, "phone": null, "payload": {}, "password_hash": SECRET }
        }))
        .unwrap_or_else(|e| panic!("fixture out of date: {e}"));
        assert!(shown(&challenge).contains("a@example.com"));
    }
}
