//! Receiving Hedy webhooks: verify the signature on the raw body, then parse the delivery into
//! a typed [`Event`].
//!
//! A delivery is `POST`ed with `X-Hedy-Signature: <hex>` (HMAC-SHA256 of the raw body with
//! the webhook's signing secret, no prefix) and `X-Hedy-Event: <event>`. There is no
//! timestamp header and no delivery id: the idempotency key is the SHA-256 of the body, and
//! nothing protects against a replay of a captured delivery.
//!
//! Hedy's bodies come in two forms, and both are parsed:
//!
//! - **flat** (seen on real `session.ended` deliveries): `{"event": "session.ended",
//!   "sessionId": …, "title": …, …}`: the resource's fields next to `event`;
//! - **wrapped** (the documented form): `{"event": …, "data": {…}, "timestamp": "…"}`.
//!
//! The event type is read from the signed body's `event` (the `X-Hedy-Event` header is not
//! signed; it is used only when the body has no `event`).
//!
//! ```
//! use hedy_client::webhooks::{verify_and_parse, Event, Verifier};
//! # fn handle(headers: &http::HeaderMap, raw_body: &[u8]) -> Result<(), hedy_client::webhooks::VerifyError> {
//! // The current secret and, during a rotation, the previous one.
//! let verifier = Verifier::new(["whsec_current", "whsec_previous"]);
//! let delivery = verify_and_parse(&verifier, headers, raw_body)?;
//! // Deduplicate on delivery.idempotency_key (the body's SHA-256) before acting.
//! match &delivery.event {
//!     Event::SessionEnded(session) => println!("{} ended: {:?}", session.session_id, session.recap),
//!     Event::HighlightCreated(h) => println!("highlight {} in {:?}", h.highlight_id, h.session_id),
//!     Event::TodoExported(todo) => println!("todo {:?} due {:?}", todo.text, todo.due_date),
//!     Event::Unknown { event_type, .. } => println!("ignoring {event_type}"),
//!     other => println!("{}", other.event_type()),
//! }
//! # Ok(()) }
//! ```

use http::HeaderMap;
use serde::de::{DeserializeOwned, Error as _};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::highlights::Highlight;
use crate::sessions::Session;
use crate::todos::Todo;
use crate::types::{Extra, Timestamp};

pub use webhook_verify::hedy::Verifier;
pub use webhook_verify::Error as VerifyError;

client_core::open_enum! {
    /// A webhook event name (what a subscription lists, and `event` in a delivery).
    pub enum EventType {
        /// `session.created`: a recording session started.
        SessionCreated = "session.created",
        /// `session.ended`: a session finished processing.
        SessionEnded = "session.ended",
        /// `session.exported`: the user exported a session.
        SessionExported = "session.exported",
        /// `highlight.created`: a highlight was added.
        HighlightCreated = "highlight.created",
        /// `todo.exported`: a todo was exported (Auto Export Todos).
        TodoExported = "todo.exported",
    }
}

/// Which of Hedy's two body forms a delivery used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyForm {
    /// `event` plus the resource's fields at the top level (observed on real deliveries).
    Flat,
    /// `{"event", "data", "timestamp"}` (the documented form).
    Wrapped,
}

/// A parsed delivery.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The key to deduplicate on: the lowercase hex SHA-256 of the raw body (Hedy sends no
    /// delivery id; a retried delivery has the same body).
    pub idempotency_key: String,
    /// Which body form was used.
    pub form: BodyForm,
    /// The envelope's `timestamp` (wrapped form only; in the flat form a `timestamp` belongs
    /// to the resource, a highlight's for example).
    pub timestamp: Option<Timestamp>,
    /// Top-level keys of a wrapped body other than `event`, `data` and `timestamp`, as sent.
    pub extra: Extra,
    /// The event and its resource.
    pub event: Event,
}

impl WebhookEvent {
    /// The event type.
    pub fn event_type(&self) -> EventType {
        self.event.event_type()
    }
}

/// The typed event of a delivery. Types this version does not know are kept with their
/// payload in [`Event::Unknown`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `session.created` (a session's id, title and start time, as far as documented).
    SessionCreated(Session),
    /// `session.ended`: the session with transcript, conversations (and
    /// `structured_conversations`), minutes, recap, notes and highlights; `sessionType` is
    /// camelCase here; no topic.
    SessionEnded(Session),
    /// `session.exported`: like `session.ended`, with `exportedAt` instead of `endTime`.
    SessionExported(Session),
    /// `highlight.created`: the highlight with every field.
    HighlightCreated(Highlight),
    /// `todo.exported`: `id`, `sessionId`, `text`, `dueDate`.
    TodoExported(Todo),
    /// Any other event, with its payload as sent (the `data` object, or the flat body
    /// without `event`).
    Unknown {
        /// The `event` string.
        event_type: String,
        /// The payload.
        data: Value,
    },
}

impl Event {
    /// The event type.
    pub fn event_type(&self) -> EventType {
        match self {
            Event::SessionCreated(_) => EventType::SessionCreated,
            Event::SessionEnded(_) => EventType::SessionEnded,
            Event::SessionExported(_) => EventType::SessionExported,
            Event::HighlightCreated(_) => EventType::HighlightCreated,
            Event::TodoExported(_) => EventType::TodoExported,
            Event::Unknown { event_type, .. } => EventType::Unknown(event_type.clone()),
        }
    }

    /// The session the event is about, when it names one.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Event::SessionCreated(s) | Event::SessionEnded(s) | Event::SessionExported(s) => {
                Some(&s.session_id)
            }
            Event::HighlightCreated(h) => h.session_id.as_deref(),
            Event::TodoExported(t) => t.session_id.as_deref(),
            Event::Unknown { data, .. } => data.get("sessionId").and_then(Value::as_str),
        }
    }

    /// The typed event for `event_type` and its payload. A payload that does not fit the
    /// event's type fails with the path of the mismatch.
    pub fn from_parts(event_type: &str, payload: Value) -> Result<Event, serde_json::Error> {
        Ok(match EventType::from(event_type) {
            EventType::SessionCreated => Event::SessionCreated(typed(payload)?),
            EventType::SessionEnded => Event::SessionEnded(typed(payload)?),
            EventType::SessionExported => Event::SessionExported(typed(payload)?),
            EventType::HighlightCreated => Event::HighlightCreated(typed(payload)?),
            EventType::TodoExported => Event::TodoExported(typed(payload)?),
            EventType::Unknown(event_type) => Event::Unknown {
                event_type,
                data: payload,
            },
        })
    }
}

/// Decode `value`, naming the path of a failure in the message.
fn typed<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        serde_json::Error::custom(format!("at `{path}`: {}", e.into_inner()))
    })
}

/// Parse a delivery body you already trust (verified elsewhere). Both body forms are
/// accepted; the idempotency key is the body's SHA-256.
pub fn parse(body: &[u8]) -> Result<WebhookEvent, serde_json::Error> {
    parse_with_hint(body, None)
}

fn parse_with_hint(
    body: &[u8],
    header_event: Option<&str>,
) -> Result<WebhookEvent, serde_json::Error> {
    let mut map: Map<String, Value> = serde_json::from_slice(body)?;
    let event_type = match map.remove("event") {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(serde_json::Error::custom(format!(
                "`event` must be a string, got {other}"
            )))
        }
        None => header_event
            .map(str::to_owned)
            .ok_or_else(|| serde_json::Error::missing_field("event"))?,
    };
    let wrapped = matches!(map.get("data"), Some(Value::Object(_)));
    let (form, timestamp, extra, payload) = if wrapped {
        let payload = map.remove("data").unwrap_or(Value::Null);
        let timestamp = match map.remove("timestamp") {
            Some(Value::String(s)) => Some(Timestamp::from(s)),
            Some(other) => {
                map.insert("timestamp".to_owned(), other);
                None
            }
            None => None,
        };
        (BodyForm::Wrapped, timestamp, map, payload)
    } else {
        (BodyForm::Flat, None, Map::new(), Value::Object(map))
    };
    let event = Event::from_parts(&event_type, payload).map_err(|e| {
        if wrapped {
            serde_json::Error::custom(format!("in `data`: {e}"))
        } else {
            e
        }
    })?;
    Ok(WebhookEvent {
        idempotency_key: hex::encode(Sha256::digest(body)),
        form,
        timestamp,
        extra,
        event,
    })
}

/// Verify a delivery's `X-Hedy-Signature` over the raw `body` with `verifier` (one or more
/// secrets), then parse it. The body is parsed only after the signature checks out; a body
/// that is not a Hedy event is [`VerifyError::InvalidJson`].
pub fn verify_and_parse(
    verifier: &Verifier,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<WebhookEvent, VerifyError> {
    let verified = verifier.verify(headers, body)?;
    let mut event = parse_with_hint(verified.body(), verified.event_type())?;
    event.idempotency_key = verified.idempotency_key().to_owned();
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_and_wrapped_todo() {
        let flat = parse(
            br#"{"event":"todo.exported","id":"t1","sessionId":"s1","text":"Call Bob","dueDate":"Tomorrow"}"#,
        )
        .unwrap();
        let wrapped = parse(
            br#"{"event":"todo.exported","data":{"id":"t1","sessionId":"s1","text":"Call Bob","dueDate":"Tomorrow"},"timestamp":"2026-03-03T14:00:00Z","deliveryAttempt":1}"#,
        )
        .unwrap();
        assert_eq!(flat.event, wrapped.event);
        assert_eq!(flat.form, BodyForm::Flat);
        assert_eq!(wrapped.form, BodyForm::Wrapped);
        assert_eq!(
            wrapped.timestamp.as_ref().map(Timestamp::as_str),
            Some("2026-03-03T14:00:00Z")
        );
        assert_eq!(wrapped.extra["deliveryAttempt"], 1);
        assert_eq!(flat.event.session_id(), Some("s1"));
        assert_eq!(flat.idempotency_key.len(), 64);
    }

    #[test]
    fn unknown_and_malformed() {
        let u = parse(br#"{"event":"meeting.summarized","sessionId":"s9","x":1}"#).unwrap();
        assert_eq!(
            u.event_type(),
            EventType::Unknown("meeting.summarized".into())
        );
        assert_eq!(u.event.session_id(), Some("s9"));
        assert!(matches!(&u.event, Event::Unknown { data, .. } if data["x"] == 1));
        assert!(parse(br#"{"sessionId":"s"}"#).is_err());
        assert!(parse(br#"{"event":5}"#).is_err());
        assert!(parse(b"[]").is_err());
        let bad =
            parse(br#"{"event":"session.ended","sessionId":"s","duration":"long"}"#).unwrap_err();
        assert!(bad.to_string().contains("duration"), "{bad}");
        let bad = parse(br#"{"event":"session.ended","data":{"title":"no id"}}"#).unwrap_err();
        assert!(bad.to_string().contains("data"), "{bad}");
    }

    #[test]
    fn event_types_round_trip() {
        assert_eq!(EventType::KNOWN.len(), 5);
        for t in EventType::KNOWN {
            assert_eq!(&EventType::from(t.as_str()), t);
        }
    }
}
