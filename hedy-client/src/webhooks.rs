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
use std::fmt;

use serde::de::{DeserializeOwned, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
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
        Event::from_payload(event_type, payload)
    }

    /// The dispatch on the event type, whatever form the payload is in.
    fn from_payload(event_type: &str, payload: impl Payload) -> Result<Event, serde_json::Error> {
        Ok(match EventType::from(event_type) {
            EventType::SessionCreated => Event::SessionCreated(payload.typed()?),
            EventType::SessionEnded => Event::SessionEnded(payload.typed()?),
            EventType::SessionExported => Event::SessionExported(payload.typed()?),
            EventType::HighlightCreated => Event::HighlightCreated(payload.typed()?),
            EventType::TodoExported => Event::TodoExported(payload.typed()?),
            EventType::Unknown(event_type) => Event::Unknown {
                event_type,
                data: payload.into_value()?,
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
    parse_with_hint(body, None, || hex::encode(Sha256::digest(body)))
}

/// Parse `body`, taking the event type from `header_event` when the body has none; `key`
/// gives the idempotency key (called only once the body has parsed).
///
/// The body is first split into its top-level members, each kept as its raw text (no tree is
/// built); the payload is then decoded from its text straight into the event's type.
fn parse_with_hint(
    body: &[u8],
    header_event: Option<&str>,
    key: impl FnOnce() -> String,
) -> Result<WebhookEvent, serde_json::Error> {
    let Members(members) = serde_json::from_slice(body)?;
    // The last member of a name wins, as when the body is read into a map.
    let last = |name: &str| members.iter().rev().find(|(k, _)| k == name).map(|m| m.1);
    let event_type = match last("event") {
        Some(raw) => match serde_json::from_str(raw.get())? {
            Value::String(s) => s,
            other => {
                return Err(serde_json::Error::custom(format!(
                    "`event` must be a string, got {other}"
                )))
            }
        },
        None => header_event
            .map(str::to_owned)
            .ok_or_else(|| serde_json::Error::missing_field("event"))?,
    };
    let data = last("data").filter(|raw| raw.get().starts_with('{'));
    let (form, timestamp, extra, event) = if let Some(data) = data {
        // `data` is decoded on its own below: it stands in here only for its place.
        let mut map = members_map(&members, "data")?;
        map.remove("event");
        map.remove("data");
        let timestamp = match map.remove("timestamp") {
            Some(Value::String(s)) => Some(Timestamp::from(s)),
            Some(other) => {
                map.insert("timestamp".to_owned(), other);
                None
            }
            None => None,
        };
        let event = Event::from_json(&event_type, data.get().as_bytes())
            .map_err(|e| serde_json::Error::custom(format!("in `data`: {e}")))?;
        (BodyForm::Wrapped, timestamp, map, event)
    } else {
        let event = match EventType::from(event_type.as_str()) {
            EventType::Unknown(event_type) => {
                let mut map = members_map(&members, "")?;
                map.remove("event");
                Event::Unknown {
                    event_type,
                    data: Value::Object(map),
                }
            }
            // The resource is the whole body but its `event`, which the type's `extra` took.
            _ => Event::from_json(&event_type, body)?.without_extra("event"),
        };
        (BodyForm::Flat, None, Map::new(), event)
    };
    Ok(WebhookEvent {
        idempotency_key: key(),
        form,
        timestamp,
        extra,
        event,
    })
}

impl Event {
    /// [`Event::from_parts`] on a payload's JSON text.
    fn from_json(event_type: &str, json: &[u8]) -> Result<Event, serde_json::Error> {
        Event::from_payload(event_type, JsonText(json))
    }

    /// The event with `name` taken out of its resource's `extra`.
    fn without_extra(mut self, name: &str) -> Event {
        match &mut self {
            Event::SessionCreated(s) | Event::SessionEnded(s) | Event::SessionExported(s) => {
                s.extra.remove(name);
            }
            Event::HighlightCreated(h) => {
                h.extra.remove(name);
            }
            Event::TodoExported(t) => {
                t.extra.remove(name);
            }
            Event::Unknown { .. } => {}
        }
        self
    }
}

/// A payload the typed event is read from: a parsed `Value`, or the JSON text as sent (read
/// straight into the event's type, with the same error messages).
trait Payload {
    fn typed<T: DeserializeOwned>(self) -> Result<T, serde_json::Error>;
    fn into_value(self) -> Result<Value, serde_json::Error>;
}

impl Payload for Value {
    fn typed<T: DeserializeOwned>(self) -> Result<T, serde_json::Error> {
        typed(self)
    }

    fn into_value(self) -> Result<Value, serde_json::Error> {
        Ok(self)
    }
}

/// A payload's JSON text.
struct JsonText<'a>(&'a [u8]);

impl Payload for JsonText<'_> {
    fn typed<T: DeserializeOwned>(self) -> Result<T, serde_json::Error> {
        typed_json(self.0)
    }

    fn into_value(self) -> Result<Value, serde_json::Error> {
        serde_json::from_slice(self.0)
    }
}

/// Decode `json` as [`typed`] decodes a `Value`, with the same messages.
fn typed_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(json);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = without_position(e.into_inner());
        serde_json::Error::custom(format!("at `{path}`: {inner}"))
    })
}

/// The same error without its line and column (as decoding a `Value` reports it).
fn without_position(e: serde_json::Error) -> serde_json::Error {
    if e.line() == 0 {
        return e;
    }
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    serde_json::Error::custom(message.strip_suffix(&suffix).unwrap_or(&message))
}

/// The members as a map, in order, the last of a name winning; `skip`'s values are not
/// decoded (they stand as `null`).
fn members_map(
    members: &[(String, &RawValue)],
    skip: &str,
) -> Result<Map<String, Value>, serde_json::Error> {
    let mut map = Map::new();
    for (name, raw) in members {
        let value = if name == skip {
            Value::Null
        } else {
            serde_json::from_str(raw.get())?
        };
        map.insert(name.clone(), value);
    }
    Ok(map)
}

/// A JSON object's members in order, each value as its raw text.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// Verify a delivery's `X-Hedy-Signature` over the raw `body` with `verifier` (one or more
/// secrets), then parse it. The body is parsed only after the signature checks out; a body
/// that is not a Hedy event is [`VerifyError::InvalidJson`].
pub fn verify_and_parse(
    verifier: &Verifier,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<WebhookEvent, VerifyError> {
    parse_verified(&verifier.verify(headers, body)?)
}

/// Parse a delivery that `verified` already checked (webhook-verify's axum extractor, or
/// [`Verifier::verify`]): the body is parsed only now, and the verifier's idempotency key is
/// kept, so the body is not hashed again. A body that is not a Hedy event is
/// [`VerifyError::InvalidJson`].
pub fn parse_verified<B: AsRef<[u8]>>(
    verified: &webhook_verify::Verified<B>,
) -> Result<WebhookEvent, VerifyError> {
    // The verifier's key is the body's SHA-256 already.
    Ok(parse_with_hint(
        verified.bytes(),
        verified.event_type(),
        || verified.idempotency_key().to_owned(),
    )?)
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

    /// The body read into a `Value` map first, then the payload decoded from it.
    fn via_value(body: &[u8]) -> Result<WebhookEvent, String> {
        let mut map: Map<String, Value> =
            serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let Some(Value::String(event_type)) = map.remove("event") else {
            return Err("no event".into());
        };
        let wrapped = matches!(map.get("data"), Some(Value::Object(_)));
        let (form, timestamp, payload) = if wrapped {
            let payload = map.remove("data").unwrap();
            let timestamp = match map.remove("timestamp") {
                Some(Value::String(s)) => Some(Timestamp::from(s)),
                Some(other) => {
                    map.insert("timestamp".to_owned(), other);
                    None
                }
                None => None,
            };
            (BodyForm::Wrapped, timestamp, payload)
        } else {
            (
                BodyForm::Flat,
                None,
                Value::Object(std::mem::take(&mut map)),
            )
        };
        let event = Event::from_parts(&event_type, payload).map_err(|e| {
            if wrapped {
                format!("in `data`: {e}")
            } else {
                e.to_string()
            }
        })?;
        Ok(WebhookEvent {
            idempotency_key: hex::encode(Sha256::digest(body)),
            form,
            timestamp,
            extra: map,
            event,
        })
    }

    #[test]
    fn raw_payloads_decode_as_values_do() {
        let resources = [
            r#""sessionId":"s","title":"T","duration":12,"custom":{"a":[1,2]},"data":3"#,
            r#""sessionId":"s","duration":"long""#,
            r#""title":"no id""#,
            r#""highlightId":"h","id":"i","sessionId":"s","timestamp":"2026-01-01T00:00:00Z","timeIndex":1500"#,
            r#""id":"h","timeIndex":"soon""#,
            r#""sessionId":"s""#,
            r#""id":"t","sessionId":"s","text":"x","dueDate":null,"more":true"#,
            r#""id":5"#,
        ];
        let types = [
            "session.created",
            "session.ended",
            "session.exported",
            "highlight.created",
            "todo.exported",
            "meeting.summarized",
        ];
        for t in types {
            for r in resources {
                let flat = format!(r#"{{"x":1,"event":"{t}",{r}}}"#);
                let wrapped = format!(
                    r#"{{"event":"{t}","data":{{{r}}},"timestamp":"2026-03-03T14:00:00Z","n":[1]}}"#
                );
                let odd_timestamp = format!(r#"{{"event":"{t}","data":{{{r}}},"timestamp":7}}"#);
                for body in [flat, wrapped, odd_timestamp] {
                    let got = parse(body.as_bytes()).map_err(|e| e.to_string());
                    assert_eq!(got, via_value(body.as_bytes()), "{body}");
                }
            }
        }
    }

    #[test]
    fn event_types_round_trip() {
        assert_eq!(EventType::KNOWN.len(), 5);
        for t in EventType::KNOWN {
            assert_eq!(&EventType::from(t.as_str()), t);
        }
    }
}
