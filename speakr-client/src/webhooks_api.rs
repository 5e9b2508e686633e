//! Webhook management: list, get, create, update, delete, rotate the secret, send a test, and
//! inspect or replay deliveries. (Receiving deliveries is [`crate::webhooks`].)
//!
//! The secret is returned only by create and rotate-secret, as a [`WebhookWithSecret`] whose
//! [`SigningSecret`] never shows in `Debug`.
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! use speakr_client::webhooks::EventType;
//! use speakr_client::webhooks_api::NewWebhook;
//! let created = speakr
//!     .webhooks()
//!     .create(NewWebhook::new(
//!         "n8n pipeline",
//!         "https://hooks.example.com/speakr",
//!         [EventType::TranscriptionCompleted, EventType::SummaryCompleted],
//!     ))
//!     .await?;
//! // Keep the secret now: it is never shown again.
//! let verifier = speakr_client::webhooks::Verifier::new(created.secret.expose());
//! speakr.webhooks().test(created.webhook.id).await?;
//! let recent = speakr.webhooks().deliveries(created.webhook.id).limit(20).send().await?;
//! for d in &recent.items {
//!     println!("{} {} {:?}", d.id, d.event_type, d.status);
//! }
//! # let _ = verifier;
//! # Ok(()) }
//! ```

use client_core::{Page, Paginator, WholeListing};
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::types::{null_as_default, open_enum, page_with_extra, Timestamp};
use crate::webhooks::{EventType, WebhookEvent};
use crate::Error;

/// The documented bounds of the deliveries `limit`.
pub const DELIVERY_LIMIT_RANGE: std::ops::RangeInclusive<u32> = 1..=200;

/// A webhook (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Webhook {
    /// The id.
    pub id: u64,
    /// The owner.
    #[serde(default)]
    pub user_id: Option<u64>,
    /// The name.
    pub name: String,
    /// Where deliveries go.
    pub url: String,
    /// Whether `http://` is allowed.
    #[serde(default)]
    pub allow_http: bool,
    /// The subscribed event types.
    #[serde(default, deserialize_with = "null_as_default")]
    pub events: Vec<EventType>,
    /// Whether deliveries are sent.
    #[serde(default)]
    pub enabled: bool,
    /// Paused by the server after repeated failures (enabling it clears this).
    #[serde(default)]
    pub auto_paused: bool,
    /// Permanent failures in a row.
    #[serde(default)]
    pub consecutive_failures: u64,
    /// Created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Updated.
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// Last delivery attempt.
    #[serde(default)]
    pub last_delivery_at: Option<Timestamp>,
}

/// A webhook's signing secret (`secret`): `webhook_verify::SigningSecret`, the type every
/// vendor crate shares. `Debug` never shows it; a [`crate::webhooks::Verifier`] takes it
/// directly (`Verifier::new(&secret)`, or `Verifier::new([&new, &old])` around a rotation) or
/// from [`SigningSecret::expose`].
pub use webhook_verify::SigningSecret;

/// The answer to create and rotate-secret: the webhook and, this once, its secret.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct WebhookWithSecret {
    /// The webhook.
    #[serde(flatten)]
    pub webhook: Webhook,
    /// The secret (shown only now).
    pub secret: SigningSecret,
}

/// A webhook to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewWebhook {
    name: String,
    url: String,
    events: Vec<EventType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allow_http: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
}

impl NewWebhook {
    /// `name`, `url` and a non-empty `events` list (all required).
    pub fn new(
        name: impl Into<String>,
        url: impl Into<String>,
        events: impl IntoIterator<Item = EventType>,
    ) -> Self {
        NewWebhook {
            name: name.into(),
            url: url.into(),
            events: events.into_iter().collect(),
            allow_http: None,
            enabled: None,
        }
    }

    /// `allow_http` (needed for an `http://` URL).
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = Some(allow);
        self
    }

    /// `enabled` (default true).
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }
}

/// Changes to a webhook (any subset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WebhookChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<Vec<EventType>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allow_http: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
}

impl WebhookChanges {
    /// No change yet.
    pub fn new() -> Self {
        WebhookChanges::default()
    }

    /// `name`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `url`.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// `events` (non-empty).
    pub fn events(mut self, events: impl IntoIterator<Item = EventType>) -> Self {
        self.events = Some(events.into_iter().collect());
        self
    }

    /// `allow_http`.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = Some(allow);
        self
    }

    /// `enabled` (`true` also clears `auto_paused`).
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }
}

open_enum! {
    /// A delivery's state.
    pub enum DeliveryStatus: normalize(|s: &str| s.to_ascii_lowercase()) {
        /// Waiting to be sent.
        Pending = "pending",
        /// Answered 2xx.
        Success = "success",
        /// Failed; will be retried.
        Failed = "failed",
        /// Failed for good (non-retryable answer, or retries exhausted).
        PermanentFailure = "permanent_failure",
    }
}

/// A delivery attempt record.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Delivery {
    /// The delivery id.
    pub id: u64,
    /// The webhook.
    pub webhook_id: u64,
    /// The envelope id (`Speakr-Delivery-Id`).
    #[serde(default)]
    pub event_id: Option<String>,
    /// The event type.
    pub event_type: EventType,
    /// Attempts so far.
    #[serde(default)]
    pub attempt_count: u64,
    /// The state.
    pub status: DeliveryStatus,
    /// The receiver's status code.
    #[serde(default)]
    pub response_status: Option<u16>,
    /// The start of the receiver's answer (up to 2000 characters).
    #[serde(default)]
    pub response_body_preview: Option<String>,
    /// The transport error (up to 500 characters).
    #[serde(default)]
    pub error_message: Option<String>,
    /// When the next attempt is due.
    #[serde(default)]
    pub next_retry_at: Option<Timestamp>,
    /// Created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Delivered.
    #[serde(default)]
    pub delivered_at: Option<Timestamp>,
    /// The exact body POSTed (only from `GET /webhooks/{id}/deliveries/{delivery_id}`).
    #[serde(default)]
    pub payload: Option<String>,
}

impl Delivery {
    /// The payload parsed into a typed event, when this record carries one.
    pub fn event(&self) -> Option<Result<WebhookEvent, serde_json::Error>> {
        self.payload
            .as_deref()
            .map(|p| crate::webhooks::parse(p.as_bytes()))
    }
}

/// A `GET /webhooks/{id}/deliveries` listing under construction: the most recent deliveries,
/// newest first, in one response (up to `limit`; there is no next page).
#[derive(Debug, Clone)]
#[must_use = "call .send() or .into_stream()"]
pub struct ListDeliveries<'a> {
    client: &'a SpeakrClient,
    webhook_id: u64,
    limit: Option<u32>,
}

impl ListDeliveries<'_> {
    /// `limit`: 1 to 200 (default 50 on the server); checked before sending.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// `GET /webhooks/{id}/deliveries`: the page, with the `limit` the server applied as its
    /// `per_page`.
    pub async fn send(self) -> Result<Page<Delivery>, Error> {
        self.listing().send().await
    }

    /// The listing as a stream of pages (one page).
    pub fn paginator(self) -> Paginator<Delivery> {
        self.listing().paginator()
    }

    /// Every delivery listed.
    pub fn into_stream(self) -> BoxStream<'static, Result<Delivery, Error>> {
        self.listing().into_stream()
    }

    fn listing(self) -> WholeListing<Delivery> {
        #[derive(Deserialize)]
        struct List {
            #[serde(default, deserialize_with = "null_as_default")]
            deliveries: Vec<Delivery>,
            #[serde(default)]
            limit: Option<u64>,
            #[serde(flatten)]
            rest: serde_json::Map<String, serde_json::Value>,
        }
        let (webhook_id, limit) = (self.webhook_id, self.limit);
        WholeListing::with_envelope(
            &self.client.core,
            move |core| {
                let request = core
                    .get("/webhooks/{id}/deliveries")
                    .param(webhook_id)
                    .query_opt("limit", limit)
                    .rate_class(rate_classes::GET);
                match limit.filter(|n| !DELIVERY_LIMIT_RANGE.contains(n)) {
                    Some(n) => request.invalid(format!("limit must be within 1..=200, got {n}")),
                    None => request,
                }
            },
            |raw| {
                let list: List = raw.json()?;
                Ok(page_with_extra(list.deliveries, list.rest).position(None, list.limit))
            },
        )
    }
}

/// The webhook management endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'a> {
    pub(crate) client: &'a SpeakrClient,
}

impl<'a> Webhooks<'a> {
    /// `GET /webhooks`: the caller's webhooks, in one response. The page's `extra` keeps what
    /// else the server says: `event_types` (the event types a webhook may subscribe to, as
    /// [`EventType`] strings) and `max_per_user` (the per-user cap).
    pub fn list(&self) -> WholeListing<Webhook> {
        #[derive(Deserialize)]
        struct List {
            #[serde(default, deserialize_with = "null_as_default")]
            webhooks: Vec<Webhook>,
            #[serde(flatten)]
            rest: serde_json::Map<String, serde_json::Value>,
        }
        WholeListing::with_envelope(
            &self.client.core,
            |core| core.get("/webhooks").rate_class(rate_classes::GET),
            |raw| {
                let list: List = raw.json()?;
                Ok(page_with_extra(list.webhooks, list.rest))
            },
        )
    }

    /// `GET /webhooks/{id}` (404 when missing or not the caller's).
    pub async fn get(&self, id: u64) -> Result<Webhook, Error> {
        self.client
            .core
            .get("/webhooks/{id}")
            .param(id)
            .rate_class(rate_classes::GET)
            .send_json()
            .await
    }

    /// `POST /webhooks` (answered 201, with the secret). Fails before sending without events;
    /// the server answers 400 for an unknown event type (`unknown_event_type`), for `http://`
    /// without `allow_http`, or for a private address, and 409 over the cap (`webhook_limit`).
    pub async fn create(&self, webhook: NewWebhook) -> Result<WebhookWithSecret, Error> {
        let mut request = self.client.core.post("/webhooks").json(&webhook);
        if webhook.events.is_empty() {
            request = request.invalid("a webhook needs at least one event type");
        }
        request.send_json().await
    }

    /// `PATCH /webhooks/{id}`.
    pub async fn update(&self, id: u64, changes: WebhookChanges) -> Result<Webhook, Error> {
        let mut request = self
            .client
            .core
            .patch("/webhooks/{id}")
            .param(id)
            .json(&changes)
            .rate_class(rate_classes::MODIFY);
        if changes.events.as_ref().is_some_and(Vec::is_empty) {
            request = request.invalid("events, when given, cannot be empty");
        }
        request.send_json().await
    }

    /// `DELETE /webhooks/{id}` (answered 204).
    pub async fn delete(&self, id: u64) -> Result<(), Error> {
        self.client
            .core
            .delete("/webhooks/{id}")
            .param(id)
            .rate_class(rate_classes::MODIFY)
            .send_empty()
            .await
    }

    /// `POST /webhooks/{id}/rotate-secret`: a new secret, returned this once.
    ///
    /// Speakr signs each delivery attempt when it sends it, with the webhook's secret at
    /// that moment: from the rotation on, every attempt is signed with the new secret,
    /// retries queued before the rotation included. There is no overlap window. So:
    /// - configure the receiver with the new secret as soon as this returns, and keep the
    ///   old one beside it for a short while, for attempts signed just before the rotation
    ///   and still in flight (webhook-verify's verifiers take several secrets:
    ///   `webhook_verify::speakr::Verifier::new([new, old])`);
    /// - during the change, answer a delivery that cannot be verified with a 5xx, not 401:
    ///   Speakr retries a 5xx up to four times (30 s, 120 s, 600 s and 3600 s later) and
    ///   the retry arrives signed with the new secret, whereas any 4xx other than 408 and
    ///   429 is a permanent failure (no retry, counted toward the automatic pause after 10
    ///   consecutive ones). A delivery lost that way can be sent again with
    ///   [`Webhooks::replay`] (as a new event, with a new delivery id).
    pub async fn rotate_secret(&self, id: u64) -> Result<WebhookWithSecret, Error> {
        self.client
            .core
            .post("/webhooks/{id}/rotate-secret")
            .param(id)
            .send_json()
            .await
    }

    /// `POST /webhooks/{id}/test`: queue a `webhook.test` delivery (answered 202; 409 when the
    /// webhook is disabled).
    pub async fn test(&self, id: u64) -> Result<Delivery, Error> {
        self.client
            .core
            .post("/webhooks/{id}/test")
            .param(id)
            .send_json()
            .await
    }

    /// `GET /webhooks/{id}/deliveries`: recent deliveries, newest first.
    pub fn deliveries(&self, webhook_id: u64) -> ListDeliveries<'a> {
        ListDeliveries {
            client: self.client,
            webhook_id,
            limit: None,
        }
    }

    /// `GET /webhooks/{id}/deliveries/{delivery_id}`: one delivery with its `payload`.
    pub async fn delivery(&self, webhook_id: u64, delivery_id: u64) -> Result<Delivery, Error> {
        self.client
            .core
            .get("/webhooks/{id}/deliveries/{delivery_id}")
            .param(webhook_id)
            .param(delivery_id)
            .rate_class(rate_classes::GET)
            .send_json()
            .await
    }

    /// `POST /webhooks/{id}/deliveries/{delivery_id}/replay`: send the payload again as a new
    /// event (new id and timestamp, `replayed_from` set; answered 202).
    pub async fn replay(&self, webhook_id: u64, delivery_id: u64) -> Result<Delivery, Error> {
        self.client
            .core
            .post("/webhooks/{id}/deliveries/{delivery_id}/replay")
            .param(webhook_id)
            .param(delivery_id)
            .send_json()
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_redacted() {
        let w: WebhookWithSecret = serde_json::from_str(
            r#"{"id":1,"name":"n","url":"https://x","events":["webhook.test"],"secret":"s3cr3t"}"#,
        )
        .unwrap();
        let debug = format!("{w:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains("redacted"));
        assert_eq!(w.secret.expose(), "s3cr3t");
    }
}
