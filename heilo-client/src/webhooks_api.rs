//! Webhook management ([`HeiloClient::webhooks`]): `POST /webhook-subscriptions`, the one
//! subscription endpoint Heilo's reference names. Receiving deliveries is [`crate::webhooks`].
//!
//! **What is documented and what is not.** The reference says that the verification mode is
//! picked "at subscription creation (`verification_mode` in `POST /api/v1/webhook-subscriptions`,
//! default `permissive`)", that `event_types` are picked when creating, that the signing secret
//! (`signing_secret`) is shown only once, when the subscription is created, and that at most 20
//! subscriptions may be active per account. It does **not** show the request's URL field or the
//! response: this crate sends the endpoint as `url` and reads the answer as Heilo's usual
//! `{success, data, meta}` envelope around the subscription and its `signing_secret` (also
//! accepted as `secret`); every response field is optional, and fields it does not know are kept
//! in [`WebhookSubscription::other`]. The reference also lists the `manage.webhooks` scope as
//! "reserved for planned API endpoints", so a key may be refused (`403 FORBIDDEN`) until Heilo
//! opens this route to API keys; subscriptions can always be created in the panel
//! (Settings → Integrations).
//!
//! Listing, deleting, testing, reverifying and in-place secret rotation are panel actions (or,
//! for rotation, planned) with no documented API route, so this crate has no method for them.
//! To rotate a secret, delete the subscription in the panel and create it again with the same
//! URL; keep the old secret in your [`Verifier`] until the old subscription is gone.
//!
//! ```no_run
//! # fn save_to_vault(_: &str) {}
//! # async fn run(heilo: heilo_client::HeiloClient) -> Result<(), heilo_client::Error> {
//! use heilo_client::webhooks_api::{NewWebhookSubscription, VerificationMode};
//! use heilo_client::webhooks::EventType;
//! let created = heilo
//!     .webhooks()
//!     .create(
//!         NewWebhookSubscription::new(
//!             "https://crm.example.com/hooks/heilo",
//!             [EventType::CallCompleted, EventType::CallOutboundAttempted],
//!         )
//!         .verification_mode(VerificationMode::Strict),
//!     )
//!     .await?;
//! // Store the secret now: it is never shown again.
//! if let Some(secret) = &created.signing_secret {
//!     save_to_vault(secret.expose());
//!     let verifier = heilo_client::webhooks::Verifier::new(secret.expose());
//!     # let _ = verifier;
//! }
//! # Ok(()) }
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::client::HeiloClient;
use crate::types::{null_as_default, open_enum, send_data, Meta, Timestamp};
use crate::webhooks::{EventType, Verifier};
use crate::Error;

open_enum! {
    /// How a new subscription is activated (`verification_mode`; fixed for the subscription's
    /// life: changing it means delete and recreate).
    pub enum VerificationMode {
        /// `permissive` (the server's default): any 2xx to `webhook.subscription.verify`
        /// activates the subscription.
        Permissive = "permissive",
        /// `strict`: the endpoint must answer `webhook.subscription.verify` with 2xx and
        /// `{"challenge": "<echo>"}` (see [`crate::webhooks::WebhookEvent::handshake_response`]).
        Strict = "strict",
    }
}

/// A subscription to create: where to deliver, which events, and how to activate it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewWebhookSubscription {
    url: String,
    event_types: Vec<EventType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verification_mode: Option<VerificationMode>,
}

impl NewWebhookSubscription {
    /// Deliver `event_types` (at least one) to `url` (an `http` or `https` URL). Both are
    /// checked before sending.
    pub fn new(url: impl Into<String>, event_types: impl IntoIterator<Item = EventType>) -> Self {
        NewWebhookSubscription {
            url: url.into(),
            event_types: event_types.into_iter().collect(),
            verification_mode: None,
        }
    }

    /// `verification_mode` (left out by default: the server then uses `permissive`).
    pub fn verification_mode(mut self, mode: VerificationMode) -> Self {
        self.verification_mode = Some(mode);
        self
    }

    fn problem(&self) -> Option<String> {
        let url = self.url.trim();
        let scheme_ok = ["https://", "http://"].iter().any(|s| {
            url.get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
                && url.len() > s.len()
        });
        if !scheme_ok || url.chars().any(char::is_whitespace) {
            return Some(format!(
                "the subscription URL must be an http(s) URL, got `{}`",
                self.url
            ));
        }
        if self.event_types.is_empty() {
            return Some("a subscription needs at least one event type".to_owned());
        }
        None
    }
}

/// A webhook subscription, as the create call returns it. Every field is optional: the
/// response shape is not documented (see the [module docs](self)).
#[derive(Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct WebhookSubscription {
    /// The subscription's id (the `resource_id` of its `webhook.test` events).
    #[serde(default)]
    pub id: Option<String>,
    /// Where deliveries go.
    #[serde(default)]
    pub url: Option<String>,
    /// The subscribed event types.
    #[serde(default, deserialize_with = "null_as_default")]
    pub event_types: Vec<EventType>,
    /// The activation mode.
    #[serde(default)]
    pub verification_mode: Option<VerificationMode>,
    /// The subscription's state, as sent (values not documented).
    #[serde(default)]
    pub status: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Every other field, as sent. `Debug` shows only their names (one of them could be a
    /// secret under a name this crate does not expect).
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl fmt::Debug for WebhookSubscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSubscription")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("event_types", &self.event_types)
            .field("verification_mode", &self.verification_mode)
            .field("status", &self.status)
            .field("created_at", &self.created_at)
            .field("other", &self.other.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A subscription's signing secret (`signing_secret`): `webhook_verify::SigningSecret`, the type
/// every vendor crate shares. `Debug` never shows it; a [`Verifier`] takes it directly
/// (`Verifier::new(&secret)`) or from [`SigningSecret::expose`]. [`SigningSecret::new`] wraps a
/// secret you stored (for example to build a [`Verifier`] at start-up).
pub use webhook_verify::SigningSecret;

/// The answer to `POST /webhook-subscriptions`: the subscription and, this once, its secret.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CreatedSubscription {
    /// The signing secret (shown only now). `None` if the server sent none under
    /// `signing_secret` or `secret`.
    #[serde(default, alias = "secret")]
    pub signing_secret: Option<SigningSecret>,
    /// The subscription.
    #[serde(flatten)]
    pub subscription: WebhookSubscription,
    /// The response's `meta` (the server's time).
    #[serde(skip)]
    pub meta: Meta,
}

impl CreatedSubscription {
    /// A verifier for this subscription's deliveries, when the secret came back (default
    /// tolerance: 300 s old, 60 s ahead).
    pub fn verifier(&self) -> Option<Verifier> {
        self.signing_secret.as_ref().map(Verifier::new)
    }
}

/// The webhook subscription endpoints ([`HeiloClient::webhooks`]).
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'a> {
    pub(crate) client: &'a HeiloClient,
}

impl Webhooks<'_> {
    /// `POST /webhook-subscriptions`: create a subscription. Heilo then POSTs
    /// `webhook.subscription.verify` to the URL, which must answer it (see
    /// [`VerificationMode`]) before deliveries start, and sends `webhook.test` first.
    ///
    /// Sent once: never retried after it may have reached the server (a repeat could create a
    /// second subscription with another secret). A URL that is not http(s) or an empty event
    /// list is refused before sending.
    pub async fn create(
        &self,
        subscription: NewWebhookSubscription,
    ) -> Result<CreatedSubscription, Error> {
        let mut request = self
            .client
            .core
            .post("/webhook-subscriptions")
            .json(&subscription);
        if let Some(problem) = subscription.problem() {
            request = request.invalid(problem);
        }
        let (mut created, meta): (CreatedSubscription, Meta) = send_data(request).await?;
        created.meta = meta;
        Ok(created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_redacted_and_kept() {
        let created: CreatedSubscription = serde_json::from_str(
            r#"{"id":"s1","url":"https://x","event_types":["call.completed","call.new_thing"],
                "signing_secret":"whsec_abc","status":"pending","webhook_token":"tok"}"#,
        )
        .unwrap();
        let debug = format!("{created:?}");
        assert!(!debug.contains("whsec_abc"), "{debug}");
        assert!(!debug.contains("\"tok\""), "{debug}");
        assert!(debug.contains("webhook_token"), "{debug}");
        assert_eq!(
            created.signing_secret.as_ref().map(SigningSecret::expose),
            Some("whsec_abc")
        );
        assert_eq!(
            created.subscription.event_types[1],
            EventType::Unknown("call.new_thing".into())
        );
        assert!(!created.subscription.other.contains_key("signing_secret"));
        let aliased: CreatedSubscription = serde_json::from_str(r#"{"secret":"s"}"#).unwrap();
        assert!(aliased.verifier().is_some());
    }

    #[test]
    fn new_subscription_checks() {
        let ok =
            NewWebhookSubscription::new("https://crm.example.com/h", [EventType::CallCompleted]);
        assert_eq!(ok.problem(), None);
        assert_eq!(
            serde_json::to_value(&ok).unwrap(),
            serde_json::json!({"url": "https://crm.example.com/h", "event_types": ["call.completed"]})
        );
        for bad in ["", "crm.example.com", "https://", "ftp://x", "https://a b"] {
            assert!(
                NewWebhookSubscription::new(bad, [EventType::CallCompleted])
                    .problem()
                    .is_some(),
                "{bad}"
            );
        }
        assert!(NewWebhookSubscription::new("https://x", [])
            .problem()
            .is_some());
    }
}
