//! Receiving Speakr webhooks: verify the signature on the raw body, then parse the envelope
//! into a typed [`Event`].
//!
//! A delivery is `POST`ed with `Speakr-Signature: sha256=<hex>` (HMAC-SHA256 of the raw body
//! with the webhook's secret), `Speakr-Delivery-Id` (the idempotency key: retries keep it, a
//! replay gets a new one), `Speakr-Event` and an unsigned `Speakr-Timestamp`. The body is the
//! envelope `{id, type, timestamp, user_id, data, replayed_from?}`.
//!
//! ```
//! use speakr_client::webhooks::{verify_and_parse, Event, Verifier};
//! # fn handle(headers: &http::HeaderMap, raw_body: &[u8]) -> Result<(), webhook_verify::Error> {
//! let verifier = Verifier::new("MpGN-JInbG9w7xis_0O9d5wUaicyt2taYQTpQssdcJc");
//! let event = verify_and_parse(&verifier, headers, raw_body)?;
//! // Deduplicate on event.idempotency_key before acting.
//! match &event.event {
//!     Event::TranscriptionCompleted(done) => println!("recording {} transcribed", done.recording_id),
//!     Event::Unknown { event_type, .. } => println!("ignoring {event_type}"),
//!     other => println!("{}", other.event_type()),
//! }
//! # Ok(()) }
//! ```

use http::HeaderMap;
use serde::de::{DeserializeOwned, Error as _};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::types::{null_as_default, open_enum, Timestamp};

pub use webhook_verify::speakr::Verifier;
pub use webhook_verify::Error as VerifyError;

open_enum! {
    /// A webhook event type (what a webhook subscribes to, and `type` of an envelope).
    pub enum EventType {
        /// `recording.created`: an upload was stored.
        RecordingCreated = "recording.created",
        /// `recording.transcription.started`.
        TranscriptionStarted = "recording.transcription.started",
        /// `recording.transcription.completed`.
        TranscriptionCompleted = "recording.transcription.completed",
        /// `recording.transcription.failed`.
        TranscriptionFailed = "recording.transcription.failed",
        /// `recording.summary.completed` (standalone summarize jobs only).
        SummaryCompleted = "recording.summary.completed",
        /// `recording.summary.failed`.
        SummaryFailed = "recording.summary.failed",
        /// `recording.events.extracted`.
        EventsExtracted = "recording.events.extracted",
        /// `recording.updated` (`PATCH /recordings/{id}` only).
        RecordingUpdated = "recording.updated",
        /// `recording.deleted` (the web UI's delete only).
        RecordingDeleted = "recording.deleted",
        /// `webhook.test`: a test delivery.
        WebhookTest = "webhook.test",
    }
}

/// A verified (or trusted) delivery: the envelope with its typed event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The envelope id: one per event (shared by the webhooks it fans out to; a replay gets a
    /// new one).
    pub id: String,
    /// The key to deduplicate on: `Speakr-Delivery-Id` when verified from a request, else the
    /// envelope id (they are equal on real deliveries).
    pub idempotency_key: String,
    /// When the event was queued (ends with `Z`).
    pub timestamp: Timestamp,
    /// The user the event belongs to.
    pub user_id: Option<u64>,
    /// The original envelope id, for a replay.
    pub replayed_from: Option<String>,
    /// The event and its data.
    pub event: Event,
}

impl WebhookEvent {
    /// The event type.
    pub fn event_type(&self) -> EventType {
        self.event.event_type()
    }
}

/// The typed event of a delivery. Types this version does not know are kept with their raw
/// data in [`Event::Unknown`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `recording.created`.
    RecordingCreated(RecordingCreated),
    /// `recording.transcription.started`.
    TranscriptionStarted(RecordingRef),
    /// `recording.transcription.completed`.
    TranscriptionCompleted(ProcessingCompleted),
    /// `recording.transcription.failed`.
    TranscriptionFailed(ProcessingFailed),
    /// `recording.summary.completed`.
    SummaryCompleted(ProcessingCompleted),
    /// `recording.summary.failed`.
    SummaryFailed(ProcessingFailed),
    /// `recording.events.extracted`.
    EventsExtracted(EventsExtracted),
    /// `recording.updated`.
    RecordingUpdated(RecordingUpdated),
    /// `recording.deleted`.
    RecordingDeleted(RecordingRef),
    /// `webhook.test`.
    WebhookTest(WebhookTestData),
    /// Any other type, with its data as sent.
    Unknown {
        /// The `type` string.
        event_type: String,
        /// The `data` object.
        data: serde_json::Value,
    },
}

impl Event {
    /// The event type.
    pub fn event_type(&self) -> EventType {
        match self {
            Event::RecordingCreated(_) => EventType::RecordingCreated,
            Event::TranscriptionStarted(_) => EventType::TranscriptionStarted,
            Event::TranscriptionCompleted(_) => EventType::TranscriptionCompleted,
            Event::TranscriptionFailed(_) => EventType::TranscriptionFailed,
            Event::SummaryCompleted(_) => EventType::SummaryCompleted,
            Event::SummaryFailed(_) => EventType::SummaryFailed,
            Event::EventsExtracted(_) => EventType::EventsExtracted,
            Event::RecordingUpdated(_) => EventType::RecordingUpdated,
            Event::RecordingDeleted(_) => EventType::RecordingDeleted,
            Event::WebhookTest(_) => EventType::WebhookTest,
            Event::Unknown { event_type, .. } => EventType::Unknown(event_type.clone()),
        }
    }

    /// The recording the event is about, if any.
    pub fn recording_id(&self) -> Option<u64> {
        match self {
            Event::RecordingCreated(d) => Some(d.recording_id),
            Event::TranscriptionStarted(d) | Event::RecordingDeleted(d) => Some(d.recording_id),
            Event::TranscriptionCompleted(d) | Event::SummaryCompleted(d) => Some(d.recording_id),
            Event::TranscriptionFailed(d) | Event::SummaryFailed(d) => Some(d.recording_id),
            Event::EventsExtracted(d) => Some(d.recording_id),
            Event::RecordingUpdated(d) => Some(d.recording_id),
            Event::WebhookTest(_) => None,
            Event::Unknown { data, .. } => data.get("recording_id").and_then(|v| v.as_u64()),
        }
    }

    /// The typed event for `event_type` and its `data`.
    pub fn from_parts(
        event_type: &str,
        data: serde_json::Value,
    ) -> Result<Event, serde_json::Error> {
        Event::from_payload(event_type, data)
    }

    /// The dispatch on the event type, whatever form `data` is in.
    fn from_payload(event_type: &str, data: impl Payload) -> Result<Event, serde_json::Error> {
        Ok(match EventType::from(event_type) {
            EventType::RecordingCreated => Event::RecordingCreated(data.typed()?),
            EventType::TranscriptionStarted => Event::TranscriptionStarted(data.typed()?),
            EventType::TranscriptionCompleted => Event::TranscriptionCompleted(data.typed()?),
            EventType::TranscriptionFailed => Event::TranscriptionFailed(data.typed()?),
            EventType::SummaryCompleted => Event::SummaryCompleted(data.typed()?),
            EventType::SummaryFailed => Event::SummaryFailed(data.typed()?),
            EventType::EventsExtracted => Event::EventsExtracted(data.typed()?),
            EventType::RecordingUpdated => Event::RecordingUpdated(data.typed()?),
            EventType::RecordingDeleted => Event::RecordingDeleted(data.typed()?),
            EventType::WebhookTest => Event::WebhookTest(data.typed()?),
            EventType::Unknown(event_type) => Event::Unknown {
                event_type,
                data: data.into_value()?,
            },
        })
    }
}

/// `recording.created` data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RecordingCreated {
    /// The recording.
    pub recording_id: u64,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
    /// The stored size in bytes.
    #[serde(default)]
    pub file_size: Option<u64>,
    /// The uploaded file's name.
    #[serde(default)]
    pub original_filename: Option<String>,
}

/// Data naming a recording (`recording.transcription.started`, `recording.deleted`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RecordingRef {
    /// The recording.
    pub recording_id: u64,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
}

/// `recording.transcription.completed` and `recording.summary.completed` data. Speakr drops
/// null keys; `language` and `audio_duration_seconds` are documented but never sent by v0.9.4.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ProcessingCompleted {
    /// The recording.
    pub recording_id: u64,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
    /// Transcription time in seconds.
    #[serde(default)]
    pub transcription_duration_seconds: Option<f64>,
    /// Summarization time in seconds.
    #[serde(default)]
    pub summarization_duration_seconds: Option<f64>,
    /// The detected language (documented).
    #[serde(default)]
    pub language: Option<String>,
    /// The audio length in seconds (documented).
    #[serde(default)]
    pub audio_duration_seconds: Option<f64>,
}

/// `recording.transcription.failed` and `recording.summary.failed` data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ProcessingFailed {
    /// The recording.
    pub recording_id: u64,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
    /// What went wrong (up to 500 characters).
    #[serde(default)]
    pub error: Option<String>,
}

/// `recording.events.extracted` data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct EventsExtracted {
    /// The recording.
    pub recording_id: u64,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
    /// How many calendar events were found.
    #[serde(default)]
    pub events_count: Option<u64>,
}

/// `recording.updated` data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RecordingUpdated {
    /// The recording.
    pub recording_id: u64,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
    /// The fields the update changed.
    #[serde(default, deserialize_with = "null_as_default")]
    pub fields_changed: Vec<String>,
}

/// `webhook.test` data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct WebhookTestData {
    /// Why it was sent.
    #[serde(default)]
    pub reason: Option<String>,
    /// The webhook tested.
    #[serde(default)]
    pub webhook_id: Option<u64>,
}

/// The envelope, read straight from the body; `data` stays raw until `type` says what it is.
#[derive(Deserialize)]
struct Envelope<'a> {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    timestamp: Timestamp,
    #[serde(default)]
    user_id: Option<u64>,
    #[serde(default, borrow)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    replayed_from: Option<String>,
}

impl Event {
    /// [`Event::from_parts`] on `data` as sent (`None` for absent or `null`), decoded from its
    /// text straight into the event's type.
    fn from_raw(event_type: &str, data: Option<&RawValue>) -> Result<Event, serde_json::Error> {
        Event::from_payload(event_type, data)
    }
}

/// A payload the typed event is read from: a parsed `Value`, or `data`'s text as sent (`None`
/// for absent or `null`), read straight into the event's type with the same error messages.
trait Payload {
    fn typed<T: DeserializeOwned>(self) -> Result<T, serde_json::Error>;
    fn into_value(self) -> Result<Value, serde_json::Error>;
}

impl Payload for Value {
    fn typed<T: DeserializeOwned>(self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self)
    }

    fn into_value(self) -> Result<Value, serde_json::Error> {
        Ok(self)
    }
}

impl Payload for Option<&RawValue> {
    fn typed<T: DeserializeOwned>(self) -> Result<T, serde_json::Error> {
        match self {
            None => serde_json::from_value(Value::Null),
            Some(raw) => serde_json::from_str(raw.get()).map_err(without_position),
        }
    }

    fn into_value(self) -> Result<Value, serde_json::Error> {
        match self {
            None => Ok(Value::Null),
            Some(raw) => serde_json::from_str(raw.get()),
        }
    }
}

/// The same error without the line and column, which would count within `data`'s text
/// rather than the body (the message is then as decoding from a `Value` gives it).
fn without_position(e: serde_json::Error) -> serde_json::Error {
    if e.line() == 0 {
        return e;
    }
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    serde_json::Error::custom(message.strip_suffix(&suffix).unwrap_or(&message))
}

/// Parse a delivery body you already trust (verified, or read back from
/// `GET /webhooks/{id}/deliveries/{delivery_id}`). The idempotency key is the envelope id.
pub fn parse(body: &[u8]) -> Result<WebhookEvent, serde_json::Error> {
    parse_with_key(body, None)
}

/// Parse `body`; the idempotency key is `key`, else the envelope id.
fn parse_with_key(body: &[u8], key: Option<String>) -> Result<WebhookEvent, serde_json::Error> {
    let envelope: Envelope = serde_json::from_slice(body)?;
    let event = Event::from_raw(&envelope.event_type, envelope.data)?;
    Ok(WebhookEvent {
        idempotency_key: key.unwrap_or_else(|| envelope.id.clone()),
        id: envelope.id,
        timestamp: envelope.timestamp,
        user_id: envelope.user_id,
        replayed_from: envelope.replayed_from,
        event,
    })
}

/// Verify a delivery's `Speakr-Signature` over the raw `body` with `verifier` (one or more
/// secrets), then parse it. The body is parsed only after the signature checks out; the
/// idempotency key is `Speakr-Delivery-Id`.
pub fn verify_and_parse(
    verifier: &Verifier,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<WebhookEvent, VerifyError> {
    parse_verified(&verifier.verify(headers, body)?)
}

/// Parse a delivery that `verified` already checked (webhook-verify's axum extractor, or
/// [`Verifier::verify`]): the body is parsed only now, and the verifier's idempotency key is
/// kept, so the body is not hashed again. A body that is not a Speakr event is
/// [`VerifyError::InvalidJson`].
pub fn parse_verified<B: AsRef<[u8]>>(
    verified: &webhook_verify::Verified<B>,
) -> Result<WebhookEvent, VerifyError> {
    let key = verified.idempotency_key().to_owned();
    Ok(parse_with_key(verified.bytes(), Some(key))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_type_keeps_type_and_data() {
        let e = parse(
            br#"{"id":"x","type":"recording.archived","timestamp":"2026-11-22T07:35:44Z","user_id":1,"data":{"recording_id":4}}"#,
        )
        .unwrap();
        assert_eq!(
            e.event_type(),
            EventType::Unknown("recording.archived".into())
        );
        assert_eq!(e.event.recording_id(), Some(4));
        assert!(matches!(e.event, Event::Unknown { ref data, .. } if data["recording_id"] == 4));
    }

    #[test]
    fn raw_data_decodes_as_from_parts_does() {
        let datas = [
            r#"{"recording_id":4,"title":"T","fields_changed":null}"#,
            r#"{"recording_id":"4"}"#,
            r#"{"recording_id":-1}"#,
            r#"{"title":"no id"}"#,
            r#"{"recording_id":4,"transcription_duration_seconds":2}"#,
            r#"[1]"#,
            "null",
            "",
        ];
        for t in [
            "recording.updated",
            "recording.transcription.completed",
            "webhook.test",
            "x.y",
        ] {
            for data in datas {
                let member = if data.is_empty() {
                    String::new()
                } else {
                    format!(r#","data":{data}"#)
                };
                let body = format!(
                    r#"{{"id":"x","type":"{t}","timestamp":"2026-11-22T07:35:44Z"{member}}}"#
                );
                let value = if data.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_str(data).unwrap()
                };
                let expected = Event::from_parts(t, value).map_err(|e| e.to_string());
                let got = parse(body.as_bytes())
                    .map(|e| e.event)
                    .map_err(|e| e.to_string());
                assert_eq!(got, expected, "{body}");
            }
        }
    }

    #[test]
    fn event_types_round_trip() {
        assert_eq!(EventType::KNOWN.len(), 10);
        for t in EventType::KNOWN {
            assert_eq!(&EventType::from(t.as_str()), t);
        }
    }
}
