//! Healthie events: appointments.

use healthie_client::webhooks::{verify_and_parse, EventType, ThinEvent, Verifier, WebhookEvent};
use http::HeaderMap;

use super::{meeting_id, EventError, EventKind, MeetingEvent, NotAMeetingEvent, VerifiedDelivery};
use crate::model::Vendor;

const VENDOR: Vendor = Vendor::Healthie;

/// `appointment.transcript_available` is [`EventKind::TranscriptReady`] (the payload is thin:
/// the transcript is fetched); every other event about an appointment is
/// [`EventKind::Other`]. Events about other resources (users, forms, …) name no meeting.
impl TryFrom<&ThinEvent> for MeetingEvent {
    type Error = NotAMeetingEvent;

    fn try_from(event: &ThinEvent) -> Result<Self, Self::Error> {
        let id = meeting_id(event.appointment_id())
            .ok_or_else(|| NotAMeetingEvent::new(VENDOR, event.event_type.as_str()))?;
        let kind = match event.event_type {
            EventType::AppointmentTranscriptAvailable => EventKind::TranscriptReady,
            ref other => EventKind::Other(other.as_str().to_owned()),
        };
        Ok(MeetingEvent::new(VENDOR, id, kind))
    }
}

webhook_event_delivery!(|_| None);
