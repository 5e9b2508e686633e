//! [`ThinEvent`]: the thin payload of a delivery, read leniently where Healthie is known to
//! vary and strictly everywhere else.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use client_core::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::EventType;

/// The `resource_id_type` of an appointment.
pub const APPOINTMENT: &str = "Appointment";

/// Why a delivery body is not a thin payload.
///
/// Every variant names the field at fault; none copies a value from the body.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    /// The body is not JSON at all.
    #[error("the body is not JSON: {0}")]
    InvalidJson(#[source] serde_json::Error),
    /// The body is JSON, but not an object.
    #[error("the body is not a JSON object")]
    NotAnObject,
    /// A required field is absent (or `null`).
    #[error("missing field `{field}`")]
    MissingField {
        /// The field name.
        field: &'static str,
    },
    /// A field has the wrong JSON type or an unusable value.
    #[error("invalid field `{field}`: {reason}")]
    InvalidField {
        /// The field name.
        field: &'static str,
        /// A short fixed description of what is wrong.
        reason: &'static str,
    },
}

/// One thin webhook payload: which resource changed and how. Healthie sends no resource data;
/// fetch the resource through the GraphQL API (for an appointment, with the id from
/// [`ThinEvent::appointment_id`]).
///
/// Read from `{"resource_id", "resource_id_type", "event_type", "changed_fields"}`:
///
/// * `resource_id` may be a JSON number (the vendor sample's `12345`) or a string (the event
///   reference); it is kept as a string id. A non-integer, negative or empty id is an error.
/// * `changed_fields` may be an array of strings, or "sometimes a string": a JSON-encoded
///   array (`"[\"date\"]"`), or one name or a comma-separated list (`"date, location"`).
///   Absent or `null` is an empty list.
/// * `event_type` is an open [`EventType`]: a type this version does not know is kept as
///   [`EventType::Unknown`]. The vendor guide's handler code reads `event` and
///   `resource_type` instead of `event_type` and `resource_id_type`; those names are accepted
///   when the documented ones are absent.
/// * The documented extras (`resource_organization_id` on appointment created/updated;
///   `host_user_id`, `user_name`, `user_email`, `event_ts` on participant joined/left) are
///   typed; every other field is kept in [`ThinEvent::extra`].
///
/// ```
/// use healthie_client::webhooks::{EventType, ThinEvent};
/// let e = ThinEvent::parse(
///     br#"{"resource_id":12345,"resource_id_type":"Appointment","event_type":"appointment.transcript_available"}"#,
/// )?;
/// assert_eq!(e.event_type, EventType::AppointmentTranscriptAvailable);
/// assert_eq!(e.appointment_id(), Some("12345"));
/// # Ok::<(), healthie_client::webhooks::PayloadError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ThinEvent {
    /// The affected resource's id, as a string (Healthie ids are numeric strings).
    pub resource_id: String,
    /// The affected resource's type, such as `Appointment`, `User` or `FormAnswerGroup`.
    pub resource_id_type: Option<String>,
    /// What happened.
    pub event_type: EventType,
    /// The fields an `updated` event changed (never `created_at`/`updated_at`); empty for
    /// created and deleted events.
    pub changed_fields: Vec<String>,
    /// The organization of the resource (`appointment.created`/`updated` may carry it).
    pub resource_organization_id: Option<String>,
    /// The meeting host (`appointment.participant_joined`/`left`).
    pub host_user_id: Option<String>,
    /// The participant's name (`appointment.participant_joined`/`left`).
    pub user_name: Option<String>,
    /// The participant's email (`appointment.participant_joined`/`left`).
    pub user_email: Option<String>,
    /// When the meeting event happened, as sent (`appointment.participant_joined`/`left`): a
    /// number is kept as its decimal text. See [`ThinEvent::event_time`].
    pub event_ts: Option<String>,
    /// Every other field, as sent.
    pub extra: Map<String, Value>,
}

impl ThinEvent {
    /// A payload for `event_type` about `resource_id` of type `resource_id_type`, with no
    /// changed fields and no extras (for tests and mock deliveries).
    pub fn new(
        event_type: EventType,
        resource_id_type: impl Into<String>,
        resource_id: impl Into<String>,
    ) -> ThinEvent {
        ThinEvent {
            resource_id: resource_id.into(),
            resource_id_type: Some(resource_id_type.into()),
            event_type,
            changed_fields: Vec::new(),
            resource_organization_id: None,
            host_user_id: None,
            user_name: None,
            user_email: None,
            event_ts: None,
            extra: Map::new(),
        }
    }

    /// This payload with `changed_fields`.
    pub fn with_changed_fields<I, S>(mut self, fields: I) -> ThinEvent
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.changed_fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// Parse a body you already trust (verified with
    /// [`verify_and_parse`](super::verify_and_parse), or from a test).
    pub fn parse(body: &[u8]) -> Result<ThinEvent, PayloadError> {
        let value: Value = serde_json::from_slice(body).map_err(PayloadError::InvalidJson)?;
        ThinEvent::from_value(value)
    }

    /// Read a payload from parsed JSON.
    pub fn from_value(value: Value) -> Result<ThinEvent, PayloadError> {
        let Value::Object(mut map) = value else {
            return Err(PayloadError::NotAnObject);
        };
        let resource_id = match take(&mut map, "resource_id", None) {
            Some(v) => id("resource_id", v)?,
            None => {
                return Err(PayloadError::MissingField {
                    field: "resource_id",
                })
            }
        };
        let event_type = match take(&mut map, "event_type", Some("event")) {
            Some(Value::String(s)) if !s.trim().is_empty() => EventType::from(s.as_str()),
            Some(Value::String(_)) => return Err(invalid("event_type", "empty")),
            Some(_) => return Err(invalid("event_type", "not a string")),
            None => {
                return Err(PayloadError::MissingField {
                    field: "event_type",
                })
            }
        };
        let resource_id_type = take(&mut map, "resource_id_type", Some("resource_type"))
            .map(|v| text("resource_id_type", v))
            .transpose()?;
        let changed_fields = match take(&mut map, "changed_fields", None) {
            None => Vec::new(),
            Some(v) => changed_fields(v)?,
        };
        let resource_organization_id = take(&mut map, "resource_organization_id", None)
            .map(|v| id("resource_organization_id", v))
            .transpose()?;
        let host_user_id = take(&mut map, "host_user_id", None)
            .map(|v| id("host_user_id", v))
            .transpose()?;
        let user_name = take(&mut map, "user_name", None)
            .map(|v| text("user_name", v))
            .transpose()?;
        let user_email = take(&mut map, "user_email", None)
            .map(|v| text("user_email", v))
            .transpose()?;
        let event_ts = match take(&mut map, "event_ts", None) {
            None => None,
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) if n.is_u64() => Some(n.to_string()),
            Some(_) => {
                return Err(invalid(
                    "event_ts",
                    "not a string or a non-negative integer",
                ))
            }
        };
        Ok(ThinEvent {
            resource_id,
            resource_id_type,
            event_type,
            changed_fields,
            resource_organization_id,
            host_user_id,
            user_name,
            user_email,
            event_ts,
            extra: map,
        })
    }

    /// The payload as JSON: `resource_id` as a string, `changed_fields` as an array, the
    /// extras that are set, then [`ThinEvent::extra`].
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("resource_id".into(), Value::from(self.resource_id.as_str()));
        if let Some(t) = &self.resource_id_type {
            map.insert("resource_id_type".into(), Value::from(t.as_str()));
        }
        map.insert("event_type".into(), Value::from(self.event_type.as_str()));
        map.insert(
            "changed_fields".into(),
            Value::from(self.changed_fields.clone()),
        );
        for (key, value) in [
            ("resource_organization_id", &self.resource_organization_id),
            ("host_user_id", &self.host_user_id),
            ("user_name", &self.user_name),
            ("user_email", &self.user_email),
            ("event_ts", &self.event_ts),
        ] {
            if let Some(v) = value {
                map.insert(key.into(), Value::from(v.as_str()));
            }
        }
        for (k, v) in &self.extra {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Value::Object(map)
    }

    /// Whether the resource is an appointment: `resource_id_type` is `Appointment`, or, when
    /// it is absent, the event type's resource is `appointment`.
    pub fn is_appointment(&self) -> bool {
        match &self.resource_id_type {
            Some(t) => t == APPOINTMENT,
            None => self.event_type.resource() == "appointment",
        }
    }

    /// The appointment id when the resource is an appointment (see
    /// [`ThinEvent::is_appointment`]), for fetching it with the GraphQL `appointment(id:)`.
    pub fn appointment_id(&self) -> Option<&str> {
        self.is_appointment().then_some(self.resource_id.as_str())
    }

    /// [`ThinEvent::event_ts`] as an instant: an ISO-8601 text, or a decimal number of Unix
    /// seconds, or of milliseconds when it has 12 digits or more (Zoom's `event_ts` form).
    /// `None` when absent or unreadable.
    pub fn event_time(&self) -> Option<SystemTime> {
        let ts = self.event_ts.as_deref()?.trim();
        if !ts.is_empty() && ts.bytes().all(|b| b.is_ascii_digit()) {
            let n: u64 = ts.parse().ok()?;
            let d = if ts.len() >= 12 {
                Duration::from_millis(n)
            } else {
                Duration::from_secs(n)
            };
            return UNIX_EPOCH.checked_add(d);
        }
        Timestamp::from(ts).to_system_time()
    }
}

impl Serialize for ThinEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

impl<'de> Deserialize<'de> for ThinEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        ThinEvent::from_value(value).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for ThinEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.event_type,
            self.resource_id_type.as_deref().unwrap_or("?"),
            self.resource_id
        )
    }
}

fn invalid(field: &'static str, reason: &'static str) -> PayloadError {
    PayloadError::InvalidField { field, reason }
}

/// Remove `name` (or, when absent, `alias`) from `map`; `null` counts as absent.
fn take(map: &mut Map<String, Value>, name: &str, alias: Option<&str>) -> Option<Value> {
    let value = match map.remove(name) {
        Some(v) => Some(v),
        None => alias.and_then(|a| map.remove(a)),
    };
    value.filter(|v| !v.is_null())
}

/// A string, or a non-negative integer kept as its decimal text; never empty.
fn id(field: &'static str, value: Value) -> Result<String, PayloadError> {
    match value {
        Value::String(s) if s.trim().is_empty() => Err(invalid(field, "empty")),
        Value::String(s) => Ok(s),
        Value::Number(n) if n.is_u64() => Ok(n.to_string()),
        Value::Number(_) => Err(invalid(field, "not a non-negative integer")),
        _ => Err(invalid(field, "not a string or a number")),
    }
}

fn text(field: &'static str, value: Value) -> Result<String, PayloadError> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(invalid(field, "not a string")),
    }
}

fn changed_fields(value: Value) -> Result<Vec<String>, PayloadError> {
    const FIELD: &str = "changed_fields";
    match value {
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(invalid(FIELD, "an element is not a string")),
            })
            .collect(),
        Value::String(s) => {
            let trimmed = s.trim();
            if trimmed.starts_with('[') {
                let parsed: Value = serde_json::from_str(trimmed).map_err(|_| {
                    invalid(
                        FIELD,
                        "a string that starts with `[` but is not a JSON array",
                    )
                })?;
                match parsed {
                    Value::Array(_) => changed_fields(parsed),
                    _ => Err(invalid(
                        FIELD,
                        "a string that starts with `[` but is not a JSON array",
                    )),
                }
            } else {
                Ok(trimmed
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect())
            }
        }
        _ => Err(invalid(FIELD, "not an array or a string")),
    }
}
