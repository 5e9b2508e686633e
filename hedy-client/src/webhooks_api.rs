//! Webhook subscriptions: list, create, delete (there is no update). Receiving deliveries is
//! [`crate::webhooks`].
//!
//! The API does **not** return a webhook's signing secret: the secret is shown once in the
//! Hedy app when a webhook is created there. Webhooks created through the API therefore
//! cannot be verified unless Hedy starts returning `signingSecret`
//! ([`Webhook::signing_secret`] is read when present).
//!
//! ```no_run
//! # async fn run(hedy: hedy_client::HedyClient) -> Result<(), hedy_client::Error> {
//! use hedy_client::webhooks::EventType;
//! use hedy_client::webhooks_api::NewWebhook;
//!
//! let hook = hedy
//!     .webhooks()
//!     .create(NewWebhook::new(
//!         "https://hooks.example.com/hedy",
//!         [EventType::SessionEnded, EventType::TodoExported],
//!     ))
//!     .await?;
//! for w in hedy.webhooks().list().send().await?.items {
//!     println!("{} {:?} {:?}", w.id, w.url, w.events);
//! }
//! hedy.webhooks().delete(&hook.id).await?;
//! # Ok(()) }
//! ```

use client_core::{Url, WholeListing};
use serde::{Deserialize, Serialize};

use crate::client::HedyClient;
use crate::envelope;
use crate::rate_classes;
use crate::types::{null_as_default, Deleted, Extra, Timestamp};
use crate::webhooks::EventType;
use crate::Error;

/// A webhook subscription.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Webhook {
    /// `id` (for example `wh_…`).
    pub id: String,
    /// `url`: where deliveries go.
    #[serde(default)]
    pub url: Option<String>,
    /// `events`: the subscribed event names.
    #[serde(default, deserialize_with = "null_as_default")]
    pub events: Vec<EventType>,
    /// `createdAt`.
    #[serde(rename = "createdAt", default)]
    pub created_at: Option<Timestamp>,
    /// `updatedAt`.
    #[serde(rename = "updatedAt", default)]
    pub updated_at: Option<Timestamp>,
    /// `signingSecret`: not returned by the API today (the secret is stored but not
    /// returned); read if it ever is.
    #[serde(rename = "signingSecret", default)]
    pub signing_secret: Option<SigningSecret>,
    /// `enabled`, when sent.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Every other field as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A webhook's signing secret (`signingSecret`): `webhook_verify::SigningSecret`, the type every
/// vendor crate shares. `Debug` never shows it; a [`crate::webhooks::Verifier`] takes it
/// directly (`Verifier::new(&secret)`) or from [`SigningSecret::expose`].
pub use webhook_verify::SigningSecret;

/// A webhook to create: an HTTPS `url` and at least one event (both checked before sending).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewWebhook {
    url: String,
    events: Vec<EventType>,
}

impl NewWebhook {
    /// A subscription of `url` (HTTPS) to `events` (at least one).
    pub fn new(url: impl Into<String>, events: impl IntoIterator<Item = EventType>) -> Self {
        NewWebhook {
            url: url.into(),
            events: events.into_iter().collect(),
        }
    }

    fn problem(&self) -> Option<String> {
        match Url::parse(&self.url) {
            Err(e) => return Some(format!("`url` is not a URL ({e}): {:?}", self.url)),
            Ok(u) if u.scheme() != "https" => {
                return Some(format!("`url` must be HTTPS, got {:?}", self.url))
            }
            Ok(_) => {}
        }
        if self.events.is_empty() {
            return Some("subscribe to at least one event".to_owned());
        }
        None
    }
}

/// The webhook-subscription endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'a> {
    pub(crate) client: &'a HedyClient,
}

impl Webhooks<'_> {
    /// `GET /webhooks`: the account's webhooks, answered whole.
    pub fn list(&self) -> WholeListing<Webhook> {
        WholeListing::new(
            &self.client.core,
            |core| core.get("/webhooks"),
            envelope::items,
        )
    }

    /// `POST /webhooks` with `{"url", "events"}` (any 2xx accepted). Limited to 5 a minute
    /// (the `webhook_create` rate class); the account's maximum number of webhooks is a
    /// `webhook_limit_exceeded` error. Never retried once it may have reached the server.
    pub async fn create(&self, webhook: NewWebhook) -> Result<Webhook, Error> {
        let mut request = self
            .client
            .core
            .post("/webhooks")
            .json(&webhook)
            .rate_class(rate_classes::WEBHOOK_CREATE);
        if let Some(problem) = webhook.problem() {
            request = request.invalid(problem);
        }
        envelope::one(&request.send_raw().await?)
    }

    /// `DELETE /webhooks/{webhookId}` (`webhook_not_found` → `NotFound`).
    pub async fn delete(&self, webhook_id: impl Into<String>) -> Result<Deleted, Error> {
        let raw = self
            .client
            .core
            .delete("/webhooks/{webhookId}")
            .param(webhook_id.into())
            .send_raw()
            .await?;
        envelope::deleted(&raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_webhook_checks() {
        let ok = NewWebhook::new("https://h.example.com/x", [EventType::SessionEnded]);
        assert_eq!(ok.problem(), None);
        assert_eq!(
            serde_json::to_value(&ok).unwrap(),
            serde_json::json!({"url": "https://h.example.com/x", "events": ["session.ended"]})
        );
        assert!(
            NewWebhook::new("http://h.example.com/x", [EventType::SessionEnded])
                .problem()
                .is_some_and(|p| p.contains("HTTPS"))
        );
        assert!(NewWebhook::new("h.example.com", [EventType::SessionEnded])
            .problem()
            .is_some());
        assert!(NewWebhook::new("https://h.example.com", [])
            .problem()
            .is_some_and(|p| p.contains("event")));
    }

    #[test]
    fn secret_is_redacted() {
        let w: Webhook = serde_json::from_str(
            r#"{"id":"wh_1","url":"https://x","events":["session.ended","future.event"],"signingSecret":"s3cr3t"}"#,
        )
        .unwrap();
        assert!(!format!("{w:?}").contains("s3cr3t"));
        assert_eq!(
            w.signing_secret.as_ref().map(SigningSecret::expose),
            Some("s3cr3t")
        );
        assert_eq!(w.events[1], EventType::Unknown("future.event".into()));
    }
}
