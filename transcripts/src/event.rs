//! A vendor-neutral webhook event: from any vendor's verified, parsed delivery, the meeting
//! it concerns and whether it means "a transcript is ready" ([`MeetingEvent`]).
//!
//! | vendor | transcript ready | meeting id | transcript in the delivery |
//! |---|---|---|---|
//! | Hedy | `session.ended` | `sessionId` | the session's `transcript` |
//! | Speakr | `recording.transcription.completed` | `recording_id` | no: fetch it |
//! | Heilo | `call.completed`, `call.transcribed` | `call_id` | `transcript_original` |
//! | Healthie | `appointment.transcript_available` | `resource_id` (an `Appointment`) | no: fetch it |
//!
//! Every other event about a meeting is [`EventKind::Other`] with the vendor's event type.
//! An event about no meeting (a test delivery, Heilo's subscription handshake, a contact, a
//! Healthie resource other than an appointment) converts to a [`NotAMeetingEvent`] error.
//! Heilo sends `call.completed` and `call.transcribed` in the same run, so a call is ready
//! twice: act once per meeting, not per event.
//!
//! The conversions are `TryFrom` the typed events of each vendor crate (behind its feature);
//! [`Verifiers::verify`] verifies and converts a raw delivery of any vendor in one call, so
//! one handler serves all four:
//!
//! ```no_run
//! use std::collections::HashMap;
//! use std::sync::Arc;
//!
//! use http::{HeaderMap, Response, StatusCode};
//! use transcripts::event::Verifiers;
//! use transcripts::source::MeetingSource;
//! use transcripts::Vendor;
//!
//! struct App {
//!     verifiers: Verifiers,
//!     sources: HashMap<Vendor, Arc<dyn MeetingSource>>,
//! }
//!
//! /// `POST /hooks/{vendor}`, with the raw body.
//! async fn handle(app: &App, vendor: &str, headers: &HeaderMap, body: &[u8]) -> Response<String> {
//!     let answer = |status: StatusCode| {
//!         let mut response = Response::new(String::new());
//!         *response.status_mut() = status;
//!         response
//!     };
//!     let Ok(vendor) = vendor.parse::<Vendor>() else {
//!         return answer(StatusCode::NOT_FOUND);
//!     };
//!     let delivery = match app.verifiers.verify(vendor, headers, body) {
//!         Ok(delivery) => delivery,
//!         Err(e) => return answer(e.status()),
//!     };
//!     if let Some(handshake) = delivery.handshake {
//!         return handshake; // Heilo's subscription handshake
//!     }
//!     // Deduplicate on `delivery.idempotency_key` here.
//!     let Some(ready) = delivery.event.filter(|e| e.is_transcript_ready()) else {
//!         return answer(StatusCode::OK);
//!     };
//!     let transcript = match ready.transcript {
//!         Some(carried) => Some(carried),
//!         None => match app.sources.get(&vendor) {
//!             Some(source) => match source.transcript(&ready.meeting_id).await {
//!                 Ok(t) => t,
//!                 // The vendor retries a delivery answered with 5xx.
//!                 Err(_) => return answer(StatusCode::SERVICE_UNAVAILABLE),
//!             },
//!             None => None,
//!         },
//!     };
//!     if let Some(t) = transcript {
//!         println!("{vendor} {}:\n{}", ready.meeting_id, t.to_text());
//!     }
//!     answer(StatusCode::OK)
//! }
//!
//! # fn app() -> Result<App, Box<dyn std::error::Error>> {
//! let verifiers = Verifiers::new()
//!     .hedy(hedy_client::webhooks::Verifier::new(["whsec_hedy"]))
//!     .speakr(speakr_client::webhooks::Verifier::new("speakr-secret"))
//!     .heilo(heilo_client::webhooks::Verifier::new(["heilo-secret"]))
//!     .healthie(healthie_client::webhooks::Verifier::new(
//!         ["whsec_healthie"],
//!         "POST",
//!         "/hooks/healthie",
//!     ));
//! let mut sources: HashMap<Vendor, Arc<dyn MeetingSource>> = HashMap::new();
//! sources.insert(Vendor::Speakr, Arc::new(speakr_client::SpeakrClient::new("https://speakr.example.com", "token")?));
//! sources.insert(Vendor::Healthie, Arc::new(healthie_client::HealthieClient::new("key")?));
//! Ok(App { verifiers, sources })
//! # }
//! ```

use std::fmt;

use http::{HeaderMap, StatusCode};

use crate::model::{Source, Transcript, Vendor};

/// For a vendor module (every vendor crate verifies into a `WebhookEvent { event,
/// idempotency_key, .. }`): `TryFrom<&WebhookEvent>` through the event, and `verify`, with
/// `$handshake` giving the answer a delivery asks for instead of a bare `200`.
#[cfg(any(
    feature = "hedy",
    feature = "heilo",
    feature = "speakr",
    feature = "healthie"
))]
macro_rules! webhook_event_delivery {
    ($handshake:expr) => {
        /// The delivery's event (see `TryFrom<&Event>`).
        impl TryFrom<&WebhookEvent> for MeetingEvent {
            type Error = NotAMeetingEvent;

            fn try_from(delivery: &WebhookEvent) -> Result<Self, Self::Error> {
                MeetingEvent::try_from(&delivery.event)
            }
        }

        pub(super) fn verify(
            verifier: &Verifier,
            headers: &HeaderMap,
            body: &[u8],
        ) -> Result<VerifiedDelivery, EventError> {
            let delivery = verify_and_parse(verifier, headers, body).map_err(|source| {
                EventError::Rejected {
                    vendor: VENDOR,
                    source,
                }
            })?;
            let handshake: fn(&WebhookEvent) -> Option<http::Response<String>> = $handshake;
            Ok(VerifiedDelivery {
                vendor: VENDOR,
                event_type: delivery.event_type().as_str().to_owned(),
                idempotency_key: delivery.idempotency_key.clone(),
                event: MeetingEvent::try_from(&delivery).ok(),
                handshake: handshake(&delivery),
            })
        }
    };
}

#[cfg(feature = "healthie")]
mod healthie;
#[cfg(feature = "hedy")]
mod hedy;
#[cfg(feature = "heilo")]
mod heilo;
#[cfg(feature = "speakr")]
mod speakr;

/// What a webhook event means for a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// The meeting's transcript is ready to fetch (or carried in the event).
    TranscriptReady,
    /// Anything else that happened to the meeting: the vendor's event type.
    Other(String),
}

impl EventKind {
    /// Whether this is [`EventKind::TranscriptReady`].
    pub fn is_transcript_ready(&self) -> bool {
        matches!(self, EventKind::TranscriptReady)
    }
}

/// A webhook event about a meeting, whatever the vendor.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MeetingEvent {
    /// The vendor.
    pub vendor: Vendor,
    /// The meeting's id at the vendor, as [`crate::Meeting::id`] and the
    /// [`MeetingSource`](crate::source::MeetingSource) methods take it.
    pub meeting_id: String,
    /// What the event means.
    pub kind: EventKind,
    /// For a transcript-ready event, the transcript when the delivery carries it (Hedy,
    /// Heilo); `None` when it must be fetched.
    pub transcript: Option<Transcript>,
}

impl MeetingEvent {
    /// An event of `kind` about `meeting_id`, without a transcript.
    pub fn new(vendor: Vendor, meeting_id: impl Into<String>, kind: EventKind) -> Self {
        MeetingEvent {
            vendor,
            meeting_id: meeting_id.into(),
            kind,
            transcript: None,
        }
    }

    /// Whether the event means that the meeting's transcript is ready.
    pub fn is_transcript_ready(&self) -> bool {
        self.kind.is_transcript_ready()
    }

    /// The vendor and meeting, as a transcript's [`Source`].
    pub fn source(&self) -> Source {
        Source::new(self.vendor, self.meeting_id.clone())
    }
}

/// The event concerns no meeting (a test delivery, a handshake, a contact, …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{vendor} event `{event_type}` concerns no meeting")]
#[non_exhaustive]
pub struct NotAMeetingEvent {
    /// The vendor.
    pub vendor: Vendor,
    /// The vendor's event type.
    pub event_type: String,
}

impl NotAMeetingEvent {
    /// The event `event_type` of `vendor`.
    pub fn new(vendor: Vendor, event_type: impl Into<String>) -> Self {
        NotAMeetingEvent {
            vendor,
            event_type: event_type.into(),
        }
    }
}

/// A delivery that [`Verifiers::verify`] verified and parsed.
#[derive(Debug)]
#[non_exhaustive]
pub struct VerifiedDelivery {
    /// The vendor.
    pub vendor: Vendor,
    /// The vendor's event type (`session.ended`, `recording.transcription.completed`, …).
    pub event_type: String,
    /// The key to deduplicate on: the vendor crate's (a delivery id where the vendor sends
    /// one, else the body's SHA-256).
    pub idempotency_key: String,
    /// The meeting event; `None` when the delivery concerns no meeting.
    pub event: Option<MeetingEvent>,
    /// The answer to send instead of a bare `200`: Heilo's subscription handshake
    /// (`{"challenge": …}`).
    pub handshake: Option<http::Response<String>>,
}

impl VerifiedDelivery {
    /// The event, when it means that a meeting's transcript is ready.
    pub fn transcript_ready(&self) -> Option<&MeetingEvent> {
        self.event.as_ref().filter(|e| e.is_transcript_ready())
    }
}

/// Why [`Verifiers::verify`] refused a delivery.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// No verifier is configured for the vendor (or its feature is off).
    #[error("no {0} webhook verifier is configured")]
    NotConfigured(Vendor),
    /// The signature does not check out, or the signed body is not the vendor's event (the
    /// vendor crate's `verify_and_parse` says which: `InvalidJson` for the body).
    #[error("{vendor} webhook rejected: {source}")]
    Rejected {
        /// The vendor.
        vendor: Vendor,
        /// What the verifier said.
        #[source]
        source: webhook_verify::Error,
    },
}

impl EventError {
    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        match self {
            EventError::NotConfigured(vendor) | EventError::Rejected { vendor, .. } => *vendor,
        }
    }

    /// The status to answer: `404` for an unconfigured vendor, the verifier's status for a
    /// rejected delivery (`401` for a bad signature, `400` for a malformed request or a body
    /// that is not the vendor's event: a permanent failure, which the vendors do not retry).
    pub fn status(&self) -> StatusCode {
        match self {
            EventError::NotConfigured(_) => StatusCode::NOT_FOUND,
            EventError::Rejected { source, .. } => source.status(),
        }
    }
}

/// One webhook verifier per vendor (each vendor crate's, with its secrets), to verify and
/// convert the deliveries of all of them with [`Verifiers::verify`].
#[derive(Clone, Default)]
pub struct Verifiers {
    #[cfg(feature = "hedy")]
    hedy: Option<hedy_client::webhooks::Verifier>,
    #[cfg(feature = "speakr")]
    speakr: Option<speakr_client::webhooks::Verifier>,
    #[cfg(feature = "heilo")]
    heilo: Option<heilo_client::webhooks::Verifier>,
    #[cfg(feature = "healthie")]
    healthie: Option<healthie_client::webhooks::Verifier>,
}

impl fmt::Debug for Verifiers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Which vendors are configured; the verifiers' own Debug shows no secret either.
        let configured: Vec<Vendor> = Vendor::ALL.into_iter().filter(|v| self.has(*v)).collect();
        f.debug_struct("Verifiers")
            .field("configured", &configured)
            .finish()
    }
}

impl Verifiers {
    /// No verifier: every delivery is [`EventError::NotConfigured`] until one is added.
    pub fn new() -> Self {
        Verifiers::default()
    }

    /// Verify Hedy deliveries with `verifier`.
    #[cfg(feature = "hedy")]
    pub fn hedy(mut self, verifier: hedy_client::webhooks::Verifier) -> Self {
        self.hedy = Some(verifier);
        self
    }

    /// Verify Speakr deliveries with `verifier`.
    #[cfg(feature = "speakr")]
    pub fn speakr(mut self, verifier: speakr_client::webhooks::Verifier) -> Self {
        self.speakr = Some(verifier);
        self
    }

    /// Verify Heilo deliveries with `verifier`.
    #[cfg(feature = "heilo")]
    pub fn heilo(mut self, verifier: heilo_client::webhooks::Verifier) -> Self {
        self.heilo = Some(verifier);
        self
    }

    /// Verify Healthie deliveries with `verifier` (made for the method, path and query
    /// registered with Healthie).
    #[cfg(feature = "healthie")]
    pub fn healthie(mut self, verifier: healthie_client::webhooks::Verifier) -> Self {
        self.healthie = Some(verifier);
        self
    }

    /// Whether a verifier is configured for `vendor`.
    pub fn has(&self, vendor: Vendor) -> bool {
        #[allow(unreachable_patterns)]
        match vendor {
            #[cfg(feature = "hedy")]
            Vendor::Hedy => self.hedy.is_some(),
            #[cfg(feature = "speakr")]
            Vendor::Speakr => self.speakr.is_some(),
            #[cfg(feature = "heilo")]
            Vendor::Heilo => self.heilo.is_some(),
            #[cfg(feature = "healthie")]
            Vendor::Healthie => self.healthie.is_some(),
            _ => false,
        }
    }

    /// Verify a delivery of `vendor` (its headers and raw body, never re-serialized) with
    /// that vendor crate's `verify_and_parse`, then convert it: the meeting it concerns and
    /// whether its transcript is ready. The body is parsed only once the signature checks
    /// out.
    pub fn verify(
        &self,
        vendor: Vendor,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<VerifiedDelivery, EventError> {
        #[allow(unreachable_patterns)]
        match vendor {
            #[cfg(feature = "hedy")]
            Vendor::Hedy => {
                if let Some(v) = &self.hedy {
                    return hedy::verify(v, headers, body);
                }
            }
            #[cfg(feature = "speakr")]
            Vendor::Speakr => {
                if let Some(v) = &self.speakr {
                    return speakr::verify(v, headers, body);
                }
            }
            #[cfg(feature = "heilo")]
            Vendor::Heilo => {
                if let Some(v) = &self.heilo {
                    return heilo::verify(v, headers, body);
                }
            }
            #[cfg(feature = "healthie")]
            Vendor::Healthie => {
                if let Some(v) = &self.healthie {
                    return healthie::verify(v, headers, body);
                }
            }
            _ => {}
        }
        let _ = (headers, body);
        Err(EventError::NotConfigured(vendor))
    }
}

/// A meeting id that is not blank.
#[cfg(any(feature = "hedy", feature = "heilo", feature = "healthie"))]
fn meeting_id(id: Option<&str>) -> Option<&str> {
    id.filter(|id| !id.trim().is_empty())
}
