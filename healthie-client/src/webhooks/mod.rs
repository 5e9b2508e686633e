//! Receiving Healthie webhooks: verify the signature on the raw body, then parse the thin
//! payload into a [`WebhookEvent`] (its [`ThinEvent`] and how it was verified); follow
//! appointments' recording lifecycle.
//!
//! Healthie `POST`s JSON with `Content-Digest`, `Signature-Input` and `Signature` (the HTTP
//! Message Signatures family). Its own texts disagree on the exact signature base, so
//! [`Verifier`] (webhook-verify's) checks the body digest, then accepts any of three dialects
//! in [`Mode::Auto`] and reports which one matched ([`WebhookEvent::dialect`]); lock the mode
//! down once the logs show what Healthie really sends. It needs the method and the **path and
//! query exactly as registered with Healthie** (a proxy may rewrite what the receiver sees).
//!
//! The payload is thin (`{"resource_id", "resource_id_type", "event_type",
//! "changed_fields"}`): fetch the resource through the GraphQL API. Healthie sends no event
//! id and no authenticated timestamp and retries for up to three days, so deduplicate on
//! [`WebhookEvent::idempotency_key`], the SHA-256 of the body. Answer 2xx when done, 4xx for
//! a permanent failure (no retry) and 5xx for a temporary one (retried);
//! [`VerifyError::status`] gives the status for a rejected delivery (400 for a validly signed
//! body that is not a thin payload).
//!
//! ```
//! use healthie_client::webhooks::{verify_and_parse, EventType, RecordingTracker, Verifier};
//! # fn handle(
//! #     headers: &http::HeaderMap,
//! #     raw_body: &[u8],
//! #     tracker: &mut RecordingTracker,
//! # ) -> Result<(), healthie_client::webhooks::VerifyError> {
//! // The current secret, plus the previous one during a rotation (`expireWebhookSignature`).
//! let verifier = Verifier::new(
//!     ["whsec_current", "whsec_previous"],
//!     "POST",
//!     "/hooks/healthie?tenant=7",
//! );
//! let delivery = verify_and_parse(&verifier, headers, raw_body)?;
//! // Deduplicate on delivery.idempotency_key before acting.
//! if delivery.event_type() == EventType::AppointmentTranscriptAvailable {
//!     if let Some(appointment_id) = delivery.event.appointment_id() {
//!         println!("transcript ready for appointment {appointment_id}");
//!     }
//! }
//! tracker.observe(&delivery.event, std::time::SystemTime::now());
//! # Ok(()) }
//! ```

mod event_type;
mod lifecycle;
mod payload;

use http::HeaderMap;
use sha2::{Digest, Sha256};

pub(crate) use event_type::event_type_from_wire;
pub use event_type::EventType;
pub use lifecycle::{
    is_lifecycle_event, Change, Observation, RecordingLifecycle, RecordingStatus, RecordingTracker,
    DEFAULT_CAPACITY,
};
pub use payload::{PayloadError, ThinEvent, APPOINTMENT};
pub use webhook_verify::healthie::{Dialect, IpAllowList, Mode, Verifier};
pub use webhook_verify::Error as VerifyError;

/// The typed event of a delivery, by the name every client of the workspace gives it:
/// Healthie's payload is a [`ThinEvent`].
pub type Event = ThinEvent;

/// A delivery that parsed (and, from [`verify_and_parse`], verified).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The payload.
    pub event: ThinEvent,
    /// The key to deduplicate on: the lowercase hex SHA-256 of the raw body (Healthie sends
    /// no event id; a retry repeats the body).
    pub idempotency_key: String,
    /// The signature dialect that matched (always set by a Healthie [`Verifier`]; `None` from
    /// [`parse`]).
    pub dialect: Option<Dialect>,
    /// The exact variant of the dialect that matched; log it to learn what Healthie sends.
    /// `None` from [`parse`].
    pub variant: Option<&'static str>,
    /// Index of the secret that matched, in the order given to the [`Verifier`] (0 from
    /// [`parse`]).
    pub secret_index: usize,
}

impl WebhookEvent {
    /// What happened: the payload's `event_type`.
    pub fn event_type(&self) -> EventType {
        self.event.event_type.clone()
    }
}

/// Parse a delivery body you already trust (verified elsewhere, or from a test): the thin
/// payload, read as [`ThinEvent`] says, and the body's SHA-256 as the idempotency key. A body
/// that is not a thin payload is an error naming the field at fault.
pub fn parse(body: &[u8]) -> Result<WebhookEvent, serde_json::Error> {
    Ok(WebhookEvent {
        event: serde_json::from_slice(body)?,
        idempotency_key: hex::encode(Sha256::digest(body)),
        dialect: None,
        variant: None,
        secret_index: 0,
    })
}

/// Verify a delivery's `Content-Digest` and signature over the raw `body` with `verifier`
/// (any dialect its [`Mode`] allows, one or more secrets), then parse the thin payload. The
/// body is parsed only after the signature checks out; a validly signed body that is not a
/// thin payload is [`VerifyError::InvalidJson`] (status 400: Healthie does not retry it).
pub fn verify_and_parse(
    verifier: &Verifier,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<WebhookEvent, VerifyError> {
    parse_verified(&verifier.verify(headers, body)?)
}

/// Parse a delivery that `verified` already checked (webhook-verify's axum extractor, or
/// [`Verifier::verify`]): the body is parsed only now, and the verifier's idempotency key is
/// kept, so the body is not hashed again. A body that is not a thin payload is
/// [`VerifyError::InvalidJson`].
pub fn parse_verified<B: AsRef<[u8]>>(
    verified: &webhook_verify::Verified<B>,
) -> Result<WebhookEvent, VerifyError> {
    Ok(WebhookEvent {
        event: serde_json::from_slice(verified.bytes())?,
        idempotency_key: verified.idempotency_key().to_owned(),
        dialect: verified.dialect(),
        variant: verified.variant(),
        secret_index: verified.secret_index(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parse_keys_on_the_body_and_names_the_bad_field() {
        let body = br#"{"resource_id":7,"event_type":"appointment.created"}"#;
        let event = parse(body).unwrap();
        assert_eq!(event.event_type(), EventType::AppointmentCreated);
        assert_eq!(event.event.resource_id, "7");
        assert_eq!(event.idempotency_key, hex::encode(Sha256::digest(body)));
        assert_eq!(
            (event.dialect, event.variant, event.secret_index),
            (None, None, 0)
        );
        let err = parse(br#"{"resource_id":-1,"event_type":"x.y"}"#).unwrap_err();
        assert!(err.to_string().contains("resource_id"), "{err}");
        assert!(parse(b"not json").unwrap_err().is_syntax());
    }
}
