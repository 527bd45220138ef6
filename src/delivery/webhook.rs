//! Production SMS: a JSON POST to an HTTP webhook (an SMS gateway or a small adapter in
//! front of one).
use super::{Delivery, Message, is_loopback};
use crate::error::AppError;
use serde::Serialize;
use std::time::Duration;
use url::Url;

/// Time allowed for the whole exchange, connection included.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Checks a webhook URL: https, or http for a loopback host only (the body carries one-time
/// codes, and the bearer token rides along). The error does not repeat the URL.
pub fn check_webhook_url(input: &str) -> Result<Url, String> {
    let url = Url::parse(input).map_err(|e| format!("not a URL ({e})"))?;
    let host = url.host().ok_or("a host is required")?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => return Err("https:// required (http:// only for a loopback host)".into()),
        other => return Err(format!("https:// expected, not {other}://")),
    }
    if url.fragment().is_some() {
        return Err("no fragment expected".into());
    }
    Ok(url)
}

/// The wire shape of the webhook call.
#[derive(Serialize)]
struct SmsRequest<'a> {
    to: &'a str,
    text: &'a str,
    tenant: &'a str,
    purpose: &'a str,
}

/// POSTs `{"to","text","tenant","purpose"}` as JSON, with `Authorization: Bearer <token>`
/// when a token is configured. Any 2xx answer is success.
pub struct SmsWebhook {
    client: reqwest::Client,
    url: Url,
    token: Option<String>,
}

impl SmsWebhook {
    /// Errors: `AppError::Internal` for a URL [`check_webhook_url`] rejects or an HTTP
    /// client that cannot be built.
    pub fn new(url: &str, token: Option<String>) -> Result<Self, AppError> {
        let url = check_webhook_url(url)
            .map_err(|e| AppError::internal("sms webhook url").because(e))?;
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            // A redirect is a misconfiguration, and following one could carry the code and
            // the token somewhere else (perhaps over http): treat it as a failure.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AppError::internal("sms webhook client").because(e))?;
        Ok(SmsWebhook { client, url, token })
    }

    /// The host, for logs (the URL itself may carry a secret in its query).
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or("")
    }
}

#[async_trait::async_trait]
impl Delivery for SmsWebhook {
    async fn send(&self, message: &Message) -> Result<(), AppError> {
        let body = SmsRequest {
            to: &message.to,
            text: &message.text,
            tenant: &message.tenant,
            purpose: &message.purpose,
        };
        let mut request = self.client.post(self.url.clone()).json(&body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        // `without_url`: reqwest errors otherwise quote the whole URL.
        let response = request.send().await.map_err(|e| {
            AppError::internal(format!("sms webhook {}", self.host())).because(e.without_url())
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(AppError::internal(format!(
                "sms webhook {} answered {status}",
                self.host()
            )));
        }
        tracing::info!(channel = "sms", tenant = %message.tenant, purpose = %message.purpose, "sms handed to the webhook");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_need_https_unless_loopback() {
        for ok in [
            "https://sms.example.com/send",
            "https://sms.example.com:8443/send?account=7",
            "http://127.0.0.1:9000/sms",
            "http://localhost/sms",
            "http://[::1]:9000/sms",
        ] {
            check_webhook_url(ok).unwrap();
        }
        for (bad, why) in [
            ("http://sms.example.com/send", "https:// required"),
            ("http://10.1.2.3/send", "https:// required"),
            ("ftp://sms.example.com/send", "https:// expected"),
            ("https://sms.example.com/send#x", "fragment"),
            ("sms.example.com/send", "not a URL"),
        ] {
            let e = check_webhook_url(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[tokio::test]
    async fn an_unreachable_webhook_is_an_error_naming_the_host_only() {
        let port = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let webhook =
            SmsWebhook::new(&format!("http://127.0.0.1:{port}/sms?key=hunter2"), None).unwrap();
        let message =
            super::super::test_support::message(super::super::Channel::Sms, "+15550100", "1");
        let err = webhook.send(&message).await.unwrap_err().to_string();
        assert!(err.contains("sms webhook 127.0.0.1"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
}
