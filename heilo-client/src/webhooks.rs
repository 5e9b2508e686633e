//! Receiving Heilo webhooks: verify the signature on the raw body, then parse the envelope
//! into a typed [`Event`]; answer the subscription handshake.
//!
//! Heilo `POST`s JSON with `heilo-signature: t=<unix seconds>,v1=<hex>` (HMAC-SHA256 of
//! `<t>.<raw body>` with the subscription's signing secret), `heilo-event-id` (the event's UUID
//! v5: the key to deduplicate on, per subscription) and `heilo-event-type`. A delivery more than
//! 300 s old or more than 60 s ahead of the receiver's clock is rejected (both configurable on
//! the [`Verifier`]). Delivery is at least once and not ordered: persist idempotently, and link
//! the events of one call by their `call_id` ([`Event::call_id`]).
//!
//! The envelope is `{api_version, event_id, event_type, resource_id, created_at, data}`. Every
//! documented event type has its typed data; types this version does not know are kept, with
//! their data, in [`Event::Unknown`]; documented enums are open (`Unknown(String)` keeps a new
//! value); fields the reference says may be `null` or absent are `Option`, and so are the
//! other non-identifier fields, so that a missing field never rejects a whole delivery.
//!
//! ```
//! use heilo_client::webhooks::{verify_and_parse, Event, Verifier};
//! # fn handle(headers: &http::HeaderMap, raw_body: &[u8]) -> Result<(), webhook_verify::Error> {
//! // The current secret, plus the previous one while you recreate a subscription.
//! let verifier = Verifier::new(["current-signing-secret", "previous-signing-secret"]);
//! let event = verify_and_parse(&verifier, headers, raw_body)?;
//! if let Some(reply) = event.handshake_response() {
//!     // webhook.subscription.verify: answer 200 with {"challenge": …} (strict mode), or {}.
//!     # let _ = reply;
//!     return Ok(());
//! }
//! // Deduplicate on event.idempotency_key (heilo-event-id) before acting.
//! match &event.event {
//!     Event::CallCompleted(call) => {
//!         let summary = call.transcript_processed.as_ref().and_then(|t| t.summary.as_deref());
//!         println!("call {} done: {}", call.call_id, summary.unwrap_or("-"));
//!     }
//!     Event::WebhookTest(_) => println!("test delivery"),
//!     Event::Unknown { event_type, .. } => println!("ignoring {event_type}"),
//!     other => println!("{}", other.event_type()),
//! }
//! # Ok(()) }
//! ```

use http::HeaderMap;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::calls::{Direction, OutboundLifecycle, TranscriptProcessed};
use crate::types::{open_enum, Patch, Timestamp};

pub use webhook_verify::heilo::{HandshakeResponse, Verifier};
pub use webhook_verify::Error as VerifyError;

/// The API version this crate's event models follow (`api_version` of the envelope).
pub const API_VERSION: &str = "2026-06-15";

open_enum! {
    /// A webhook event type (what a subscription picks, and `event_type` of an envelope).
    pub enum EventType {
        /// `call.completed`: recording and transcript processed (the primary CRM event).
        CallCompleted = "call.completed",
        /// `call.outbound.attempted`: an outbound dial reached a final state.
        CallOutboundAttempted = "call.outbound.attempted",
        /// `call.recording.ready`: the recording file is available.
        CallRecordingReady = "call.recording.ready",
        /// `call.transcribed`: the transcript only (same run as `call.completed`).
        CallTranscribed = "call.transcribed",
        /// `call.failed`: an outbound call did not complete.
        CallFailed = "call.failed",
        /// `call.outbound.lifecycle_repaired`: an outbound call's state was corrected.
        CallOutboundLifecycleRepaired = "call.outbound.lifecycle_repaired",
        /// `call.deletion_scheduled`: the call will be deleted (GDPR Art. 17, retention).
        CallDeletionScheduled = "call.deletion_scheduled",
        /// `call.recording.deleted`: the recording was deleted (GDPR).
        CallRecordingDeleted = "call.recording.deleted",
        /// `contact.created`: a new contact (full snapshot).
        ContactCreated = "contact.created",
        /// `contact.updated`: a contact changed (only the changed fields).
        ContactUpdated = "contact.updated",
        /// `webhook.test`: the first message of a subscription, and every manual test.
        WebhookTest = "webhook.test",
        /// `webhook.subscription.verify`: the activation handshake.
        SubscriptionVerify = "webhook.subscription.verify",
    }
}

impl EventType {
    /// The ten event types a subscription can pick (`webhook.test` and the handshake are sent
    /// regardless).
    pub const SUBSCRIBABLE: &'static [EventType] = &[
        EventType::CallCompleted,
        EventType::CallOutboundAttempted,
        EventType::CallRecordingReady,
        EventType::CallTranscribed,
        EventType::CallFailed,
        EventType::CallOutboundLifecycleRepaired,
        EventType::CallDeletionScheduled,
        EventType::CallRecordingDeleted,
        EventType::ContactCreated,
        EventType::ContactUpdated,
    ];
}

open_enum! {
    /// Why a call's deletion was scheduled (`reason`).
    pub enum DeletionReason {
        /// `consent_not_asked`.
        ConsentNotAsked = "consent_not_asked",
        /// `consent_withdrawn`.
        ConsentWithdrawn = "consent_withdrawn",
        /// `retention_expired`.
        RetentionExpired = "retention_expired",
        /// `user_erasure`.
        UserErasure = "user_erasure",
    }
}

open_enum! {
    /// How a recording was deleted (`deletion_kind`).
    pub enum DeletionKind {
        /// `hard_deleted`: deleted by Heilo.
        HardDeleted = "hard_deleted",
        /// `twilio_404`: the file was already gone at Twilio.
        Twilio404 = "twilio_404",
    }
}

/// A verified (or trusted) delivery: the envelope and its typed event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// `api_version` (`2026-06-15` for this crate's models, see [`API_VERSION`]).
    pub api_version: Option<String>,
    /// `event_id` (UUID v5; equals `heilo-event-id`). Empty if the body has none.
    pub event_id: String,
    /// The key to deduplicate on: `heilo-event-id` when verified from a request, else the
    /// body's `event_id`; SHA-256 of the body (hex) when neither is there.
    pub idempotency_key: String,
    /// `resource_id`: the call's id for `call.*` events, the subscription's for `webhook.test`.
    pub resource_id: Option<String>,
    /// `created_at`.
    pub created_at: Option<Timestamp>,
    /// The event and its data.
    pub event: Event,
    handshake: Option<HandshakeResponse>,
}

impl WebhookEvent {
    /// The event type.
    pub fn event_type(&self) -> EventType {
        self.event.event_type()
    }

    /// Whether this is a `webhook.test` message (`data._test`), to map fields or filter out.
    pub fn is_test(&self) -> bool {
        matches!(self.event, Event::WebhookTest(_))
    }

    /// For a **verified** `webhook.subscription.verify` delivery, the handshake answer
    /// (webhook-verify's [`HandshakeResponse`]): its body is `{"challenge": <echo>}`, or `{}`
    /// when the request carried no challenge, which satisfies both verification modes.
    /// `None` for other events and for bodies parsed with [`parse`] (never answer a handshake
    /// you have not verified).
    pub fn handshake(&self) -> Option<&HandshakeResponse> {
        self.handshake.as_ref()
    }

    /// [`WebhookEvent::handshake`] as a ready HTTP response: `200`, `content-type:
    /// application/json`, the challenge echo as body.
    pub fn handshake_response(&self) -> Option<http::Response<String>> {
        let handshake = self.handshake.as_ref()?;
        let mut response = http::Response::new(handshake.body());
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(HandshakeResponse::CONTENT_TYPE),
        );
        Some(response)
    }
}

/// The typed event of a delivery.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `call.completed`.
    CallCompleted(CallCompleted),
    /// `call.outbound.attempted`.
    CallOutboundAttempted(OutboundAttempted),
    /// `call.recording.ready`.
    CallRecordingReady(RecordingReady),
    /// `call.transcribed`.
    CallTranscribed(CallTranscribed),
    /// `call.failed`.
    CallFailed(CallFailed),
    /// `call.outbound.lifecycle_repaired`.
    CallOutboundLifecycleRepaired(LifecycleRepaired),
    /// `call.deletion_scheduled`.
    CallDeletionScheduled(DeletionScheduled),
    /// `call.recording.deleted`.
    CallRecordingDeleted(RecordingDeleted),
    /// `contact.created`.
    ContactCreated(ContactCreated),
    /// `contact.updated`.
    ContactUpdated(ContactUpdated),
    /// `webhook.test`.
    WebhookTest(WebhookTest),
    /// `webhook.subscription.verify`.
    SubscriptionVerify(SubscriptionVerify),
    /// Any other type, with its data as sent.
    Unknown {
        /// The `event_type` string.
        event_type: String,
        /// The `data` object.
        data: serde_json::Value,
    },
}

impl Event {
    /// The event type.
    pub fn event_type(&self) -> EventType {
        match self {
            Event::CallCompleted(_) => EventType::CallCompleted,
            Event::CallOutboundAttempted(_) => EventType::CallOutboundAttempted,
            Event::CallRecordingReady(_) => EventType::CallRecordingReady,
            Event::CallTranscribed(_) => EventType::CallTranscribed,
            Event::CallFailed(_) => EventType::CallFailed,
            Event::CallOutboundLifecycleRepaired(_) => EventType::CallOutboundLifecycleRepaired,
            Event::CallDeletionScheduled(_) => EventType::CallDeletionScheduled,
            Event::CallRecordingDeleted(_) => EventType::CallRecordingDeleted,
            Event::ContactCreated(_) => EventType::ContactCreated,
            Event::ContactUpdated(_) => EventType::ContactUpdated,
            Event::WebhookTest(_) => EventType::WebhookTest,
            Event::SubscriptionVerify(_) => EventType::SubscriptionVerify,
            Event::Unknown { event_type, .. } => EventType::Unknown(event_type.clone()),
        }
    }

    /// The call the event is about (`data.call_id`), which links the events of one call.
    pub fn call_id(&self) -> Option<&str> {
        match self {
            Event::CallCompleted(d) => Some(&d.call_id),
            Event::CallOutboundAttempted(d) => Some(&d.call_id),
            Event::CallRecordingReady(d) => Some(&d.call_id),
            Event::CallTranscribed(d) => Some(&d.call_id),
            Event::CallFailed(d) => Some(&d.call_id),
            Event::CallOutboundLifecycleRepaired(d) => Some(&d.call_id),
            Event::CallDeletionScheduled(d) => Some(&d.call_id),
            Event::CallRecordingDeleted(d) => Some(&d.call_id),
            Event::Unknown { data, .. } => data.get("call_id").and_then(|v| v.as_str()),
            Event::ContactCreated(_)
            | Event::ContactUpdated(_)
            | Event::WebhookTest(_)
            | Event::SubscriptionVerify(_) => None,
        }
    }

    /// The typed event for `event_type` and its `data`.
    pub fn from_parts(
        event_type: &str,
        data: serde_json::Value,
    ) -> Result<Event, serde_json::Error> {
        use serde_json::from_value as typed;
        Ok(match EventType::from(event_type) {
            EventType::CallCompleted => Event::CallCompleted(typed(data)?),
            EventType::CallOutboundAttempted => Event::CallOutboundAttempted(typed(data)?),
            EventType::CallRecordingReady => Event::CallRecordingReady(typed(data)?),
            EventType::CallTranscribed => Event::CallTranscribed(typed(data)?),
            EventType::CallFailed => Event::CallFailed(typed(data)?),
            EventType::CallOutboundLifecycleRepaired => {
                Event::CallOutboundLifecycleRepaired(typed(data)?)
            }
            EventType::CallDeletionScheduled => Event::CallDeletionScheduled(typed(data)?),
            EventType::CallRecordingDeleted => Event::CallRecordingDeleted(typed(data)?),
            EventType::ContactCreated => Event::ContactCreated(typed(data)?),
            EventType::ContactUpdated => Event::ContactUpdated(typed(data)?),
            EventType::WebhookTest => Event::WebhookTest(typed(or_empty(data))?),
            EventType::SubscriptionVerify => Event::SubscriptionVerify(typed(or_empty(data))?),
            EventType::Unknown(event_type) => Event::Unknown { event_type, data },
        })
    }
}

/// `null` (no `data` at all) as an empty object, for the events whose fields are all optional.
fn or_empty(data: serde_json::Value) -> serde_json::Value {
    if data.is_null() {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        data
    }
}

/// `call.completed` data: the full payload for a CRM.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CallCompleted {
    /// The call (same as `resource_id`).
    pub call_id: String,
    /// Inbound or outbound.
    #[serde(default)]
    pub direction: Option<Direction>,
    /// The other party's number, as stored on the call.
    #[serde(default)]
    pub caller_phone: Option<String>,
    /// The same number (an alias kept for field mapping).
    #[serde(default)]
    pub customer_phone_e164: Option<String>,
    /// The recording's length in seconds.
    #[serde(default)]
    pub duration: Option<f64>,
    /// A stable link to the recording; `None` when it was not stored yet at processing time.
    #[serde(default)]
    pub recording_url: Option<String>,
    /// The processed analysis.
    #[serde(default)]
    pub transcript_processed: Option<TranscriptProcessed>,
    /// The raw verbatim transcript; `None` when unavailable.
    #[serde(default)]
    pub transcript_original: Option<String>,
}

/// `call.outbound.attempted` data: an outbound dial reached a final state.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct OutboundAttempted {
    /// The call.
    pub call_id: String,
    /// The Heilo user who placed the call.
    #[serde(default)]
    pub agent_user_id: Option<String>,
    /// The dialled number.
    #[serde(default)]
    pub customer_phone: Option<String>,
    /// The same number (an alias).
    #[serde(default)]
    pub customer_phone_e164: Option<String>,
    /// The final state (`completed`, `agent_no_answer`, `customer_no_answer`,
    /// `failed_to_initiate`).
    #[serde(default)]
    pub outbound_lifecycle: Option<OutboundLifecycle>,
    /// The duration in seconds; `None` when the call failed at initiation or it is not known yet.
    #[serde(default)]
    pub duration: Option<f64>,
    /// When the event was emitted.
    #[serde(default)]
    pub attempted_at: Option<Timestamp>,
    /// True only for `completed`: a `call.recording.ready` follows.
    #[serde(default)]
    pub has_recording: Option<bool>,
}

/// `call.recording.ready` data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RecordingReady {
    /// The call.
    pub call_id: String,
    /// A stable link to the recording; `None` in the rare case it could not be generated.
    #[serde(default)]
    pub recording_url: Option<String>,
    /// The duration in seconds; `None` when not reported yet.
    #[serde(default)]
    pub duration: Option<f64>,
}

/// `call.transcribed` data: the transcript only.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CallTranscribed {
    /// The call.
    pub call_id: String,
    /// The raw verbatim transcript; `None` when unavailable.
    #[serde(default)]
    pub transcript_original: Option<String>,
    /// The processed analysis.
    #[serde(default)]
    pub transcript_processed: Option<TranscriptProcessed>,
}

/// `call.failed` data (outbound calls only).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CallFailed {
    /// The call.
    pub call_id: String,
    /// Which stage failed (`agent_no_answer`, `customer_no_answer`, `failed_to_initiate`).
    #[serde(default)]
    pub outbound_lifecycle: Option<OutboundLifecycle>,
    /// A machine-readable failure code such as `customer_busy` or `agent_no_confirmation`.
    #[serde(default)]
    pub failure_reason: Option<String>,
}

/// `call.outbound.lifecycle_repaired` data: a late carrier callback proved the call connected.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct LifecycleRepaired {
    /// The call.
    pub call_id: String,
    /// The state before (currently always `agent_only`).
    #[serde(default)]
    pub previous_lifecycle: Option<OutboundLifecycle>,
    /// The state after (currently always `completed`).
    #[serde(default)]
    pub new_lifecycle: Option<OutboundLifecycle>,
    /// When the correction happened.
    #[serde(default)]
    pub repaired_at: Option<Timestamp>,
}

/// `call.deletion_scheduled` data: stop using the recording, prepare to delete the data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct DeletionScheduled {
    /// The call.
    pub call_id: String,
    /// When the data will be permanently deleted.
    #[serde(default)]
    pub pending_deletion_at: Option<Timestamp>,
    /// Why.
    #[serde(default)]
    pub reason: Option<DeletionReason>,
}

/// `call.recording.deleted` data: the recording URL now answers 410.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RecordingDeleted {
    /// The call.
    pub call_id: String,
    /// The reason recorded when the deletion was scheduled; can be `None`.
    #[serde(default)]
    pub reason: Option<DeletionReason>,
    /// The Twilio recording id; `None` when it could not be resolved.
    #[serde(default)]
    pub recording_sid: Option<String>,
    /// How it was deleted.
    #[serde(default)]
    pub deletion_kind: Option<DeletionKind>,
    /// When it was deleted.
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
}

/// A contact snapshot (`contact.created`; notes and tags are not included).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Contact {
    /// The contact's id.
    pub id: String,
    /// The phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// The first name, when provided.
    #[serde(default)]
    pub first_name: Option<String>,
    /// The last name, when provided.
    #[serde(default)]
    pub last_name: Option<String>,
    /// The e-mail address, when provided.
    #[serde(default)]
    pub email: Option<String>,
    /// The company, when provided.
    #[serde(default)]
    pub company: Option<String>,
}

/// `contact.created` data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ContactCreated {
    /// The full snapshot of the new contact.
    pub contact: Contact,
}

/// `contact.updated` data: not a snapshot, only what changed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ContactUpdated {
    /// The contact.
    pub contact_id: String,
    /// The changed fields.
    #[serde(default)]
    pub diff: ContactDiff,
}

/// The changed fields of a contact: a key absent from the diff was not modified
/// ([`Patch::Unchanged`]), `null` cleared it ([`Patch::Null`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ContactDiff {
    /// `first_name`.
    #[serde(default)]
    pub first_name: Patch<String>,
    /// `last_name`.
    #[serde(default)]
    pub last_name: Patch<String>,
    /// `email`.
    #[serde(default)]
    pub email: Patch<String>,
    /// `phone`.
    #[serde(default)]
    pub phone: Patch<String>,
    /// `company`.
    #[serde(default)]
    pub company: Patch<String>,
    /// `notes` (its type is not documented: kept as sent).
    #[serde(default)]
    pub notes: Patch<serde_json::Value>,
    /// `tags` (its type is not documented: kept as sent).
    #[serde(default)]
    pub tags: Patch<serde_json::Value>,
    /// Any other changed key, as sent.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl ContactDiff {
    /// The names of the changed keys, documented ones first.
    pub fn changed_keys(&self) -> Vec<&str> {
        let documented = [
            ("first_name", self.first_name.is_changed()),
            ("last_name", self.last_name.is_changed()),
            ("email", self.email.is_changed()),
            ("phone", self.phone.is_changed()),
            ("company", self.company.is_changed()),
            ("notes", self.notes.is_changed()),
            ("tags", self.tags.is_changed()),
        ];
        documented
            .into_iter()
            .filter_map(|(k, changed)| changed.then_some(k))
            .chain(self.other.keys().map(String::as_str))
            .collect()
    }
}

/// `webhook.test` data: `_test` (always true), `_message`, `_sent_at`, and sample values that
/// mirror `call.completed`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct WebhookTest {
    /// `_test`: always true.
    #[serde(rename = "_test", default)]
    pub test: Option<bool>,
    /// `_message`: a note that this is a test.
    #[serde(rename = "_message", default)]
    pub message: Option<String>,
    /// `_sent_at`: when the test was sent.
    #[serde(rename = "_sent_at", default)]
    pub sent_at: Option<Timestamp>,
    /// The sample fields, as sent.
    #[serde(flatten)]
    pub sample: serde_json::Map<String, serde_json::Value>,
}

impl WebhookTest {
    /// The sample fields read as `call.completed` data, to test a field mapping (`None` if they
    /// do not form one).
    pub fn sample_call(&self) -> Option<CallCompleted> {
        serde_json::from_value(serde_json::Value::Object(self.sample.clone())).ok()
    }
}

/// `webhook.subscription.verify` data: the activation handshake.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct SubscriptionVerify {
    /// The challenge to echo (strict mode), from `data.challenge` or the envelope's top-level
    /// `challenge`; `None` in permissive mode.
    #[serde(default)]
    pub challenge: Option<serde_json::Value>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl SubscriptionVerify {
    /// The challenge, when it is a string.
    pub fn challenge_str(&self) -> Option<&str> {
        self.challenge.as_ref().and_then(|c| c.as_str())
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    api_version: Option<String>,
    #[serde(default)]
    event_id: Option<String>,
    event_type: String,
    #[serde(default)]
    resource_id: Option<String>,
    #[serde(default)]
    created_at: Option<Timestamp>,
    #[serde(default)]
    data: serde_json::Value,
    #[serde(default)]
    challenge: Option<serde_json::Value>,
}

/// Parse a delivery body you already trust (verified by other means). The idempotency key is
/// the body's `event_id` (SHA-256 of the body when absent). Prefer [`verify_and_parse`].
pub fn parse(body: &[u8]) -> Result<WebhookEvent, serde_json::Error> {
    parse_with_key(body, |event_id| {
        if event_id.trim().is_empty() {
            hex::encode(Sha256::digest(body))
        } else {
            event_id.to_owned()
        }
    })
}

/// Parse `body`; `key` gives the idempotency key from the body's `event_id` (called only once
/// the body has parsed).
fn parse_with_key(
    body: &[u8],
    key: impl FnOnce(&str) -> String,
) -> Result<WebhookEvent, serde_json::Error> {
    let envelope: Envelope = serde_json::from_slice(body)?;
    let mut event = Event::from_parts(&envelope.event_type, envelope.data)?;
    if let Event::SubscriptionVerify(verify) = &mut event {
        if verify.challenge.is_none() {
            verify.challenge = envelope.challenge;
        }
    }
    let event_id = envelope.event_id.unwrap_or_default();
    let idempotency_key = key(&event_id);
    Ok(WebhookEvent {
        api_version: envelope.api_version,
        event_id,
        idempotency_key,
        resource_id: envelope.resource_id,
        created_at: envelope.created_at,
        event,
        handshake: None,
    })
}

/// Verify a delivery's `heilo-signature` over the raw `body` with `verifier` (one or more
/// secrets, freshness window), then parse it. The body is parsed only after the signature
/// checks out; the idempotency key is `heilo-event-id`. For a `webhook.subscription.verify`
/// event, [`WebhookEvent::handshake_response`] is the answer to send.
pub fn verify_and_parse(
    verifier: &Verifier,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<WebhookEvent, VerifyError> {
    parse_verified(&verifier.verify(headers, body)?)
}

/// Parse a delivery that `verified` already checked (webhook-verify's axum extractor, or
/// [`Verifier::verify`]): the body is parsed only now, and the verifier's idempotency key is
/// kept, so the body is not hashed again. A body that is not a Heilo event is
/// [`VerifyError::InvalidJson`].
pub fn parse_verified<B: AsRef<[u8]>>(
    verified: &webhook_verify::Verified<B>,
) -> Result<WebhookEvent, VerifyError> {
    // The key is the verifier's (`heilo-event-id`, or the body hash it computes).
    let mut event = parse_with_key(verified.bytes(), |_| verified.idempotency_key().to_owned())?;
    if matches!(event.event, Event::SubscriptionVerify(_)) {
        event.handshake = HandshakeResponse::from_verified(verified)?;
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_round_trip() {
        assert_eq!(EventType::KNOWN.len(), 12);
        assert_eq!(EventType::SUBSCRIBABLE.len(), 10);
        for t in EventType::KNOWN {
            assert_eq!(&EventType::from(t.as_str()), t);
        }
    }

    #[test]
    fn idempotency_key_falls_back_to_the_body_hash() {
        let body = br#"{"event_type":"call.failed","data":{"call_id":"c"}}"#;
        let e = parse(body).unwrap();
        assert_eq!(e.event_id, "");
        assert_eq!(e.idempotency_key, hex::encode(Sha256::digest(body)));
        assert_eq!(e.event.call_id(), Some("c"));
        assert!(e.handshake().is_none());
    }

    #[test]
    fn top_level_challenge_is_used() {
        let e =
            parse(br#"{"event_type":"webhook.subscription.verify","challenge":"abc"}"#).unwrap();
        match &e.event {
            Event::SubscriptionVerify(v) => assert_eq!(v.challenge_str(), Some("abc")),
            other => panic!("{other:?}"),
        }
        // Parsed without verification: no handshake answer.
        assert!(e.handshake_response().is_none());
    }
}
