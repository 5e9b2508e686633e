//! Receiving Healthie webhooks: verify the signature on the raw body, then parse the thin
//! payload into a [`ThinEvent`]; follow appointments' recording lifecycle.
//!
//! Healthie `POST`s JSON with `Content-Digest`, `Signature-Input` and `Signature` (the HTTP
//! Message Signatures family). Its own texts disagree on the exact signature base, so
//! [`Verifier`] (webhook-verify's) checks the body digest, then accepts any of three dialects
//! in [`Mode::Auto`] and reports which one matched ([`VerifiedEvent::dialect`]); lock the mode
//! down once the logs show what Healthie really sends. It needs the method and the **path and
//! query exactly as registered with Healthie** (a proxy may rewrite what the receiver sees).
//!
//! The payload is thin (`{"resource_id", "resource_id_type", "event_type",
//! "changed_fields"}`): fetch the resource through the GraphQL API. Healthie sends no event
//! id and no authenticated timestamp and retries for up to three days, so deduplicate on
//! [`VerifiedEvent::idempotency_key`], the SHA-256 of the body. Answer 2xx when done, 4xx for
//! a permanent failure (no retry) and 5xx for a temporary one (retried);
//! [`WebhookError::status`] gives the status for a rejected delivery.
//!
//! ```
//! use healthie_client::webhooks::{verify_and_parse, EventType, RecordingTracker, Verifier};
//! # fn handle(
//! #     headers: &http::HeaderMap,
//! #     raw_body: &[u8],
//! #     tracker: &mut RecordingTracker,
//! # ) -> Result<(), healthie_client::webhooks::WebhookError> {
//! // The current secret, plus the previous one during a rotation (`expireWebhookSignature`).
//! let verifier = Verifier::new(
//!     ["whsec_current", "whsec_previous"],
//!     "POST",
//!     "/hooks/healthie?tenant=7",
//! );
//! let delivery = verify_and_parse(&verifier, headers, raw_body)?;
//! // Deduplicate on delivery.idempotency_key before acting.
//! let event = &delivery.event;
//! if event.event_type == EventType::AppointmentTranscriptAvailable {
//!     if let Some(appointment_id) = event.appointment_id() {
//!         println!("transcript ready for appointment {appointment_id}");
//!     }
//! }
//! tracker.observe(event, std::time::SystemTime::now());
//! # Ok(()) }
//! ```

mod event_type;
mod lifecycle;
mod payload;

use http::{HeaderMap, StatusCode};

pub use event_type::EventType;
pub use lifecycle::{
    is_lifecycle_event, Change, Observation, RecordingLifecycle, RecordingStatus, RecordingTracker,
    DEFAULT_CAPACITY,
};
pub use payload::{PayloadError, ThinEvent, APPOINTMENT};
pub use webhook_verify::healthie::{Dialect, IpAllowList, Mode, Verifier};
pub use webhook_verify::Error as VerifyError;

/// A delivery that verified and parsed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VerifiedEvent {
    /// The payload.
    pub event: ThinEvent,
    /// The key to deduplicate on: the lowercase hex SHA-256 of the raw body (Healthie sends
    /// no event id; a retry repeats the body).
    pub idempotency_key: String,
    /// The signature dialect that matched (always set by a Healthie [`Verifier`]).
    pub dialect: Option<Dialect>,
    /// The exact variant of the dialect that matched; log it to learn what Healthie sends.
    pub variant: Option<&'static str>,
    /// Index of the secret that matched, in the order given to the [`Verifier`].
    pub secret_index: usize,
}

/// Why a delivery was rejected: its signature (checked first), or its payload.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The digest or signature does not check out, or a signature header is malformed. The
    /// body was not parsed.
    #[error("webhook verification failed: {0}")]
    Verify(#[from] VerifyError),
    /// The signature is valid but the body is not a thin payload.
    #[error("verified webhook has an invalid payload: {0}")]
    Payload(#[from] PayloadError),
}

impl WebhookError {
    /// The status a receiver should answer with: [`VerifyError::status`] for a verification
    /// failure (401 for a bad signature or digest, 400 for malformed headers), 400 for a
    /// payload that does not parse (a permanent failure, which Healthie does not retry).
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookError::Verify(e) => e.status(),
            WebhookError::Payload(_) => StatusCode::BAD_REQUEST,
        }
    }
}

/// Verify a delivery's `Content-Digest` and signature over the raw `body` with `verifier`
/// (any dialect its [`Mode`] allows, one or more secrets), then parse the thin payload. The
/// body is parsed only after the signature checks out.
pub fn verify_and_parse(
    verifier: &Verifier,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<VerifiedEvent, WebhookError> {
    let verified = verifier.verify(headers, body)?;
    let event = ThinEvent::parse(verified.body())?;
    Ok(VerifiedEvent {
        event,
        idempotency_key: verified.idempotency_key().to_owned(),
        dialect: verified.dialect(),
        variant: verified.variant(),
        secret_index: verified.secret_index(),
    })
}
