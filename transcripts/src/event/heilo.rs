//! Heilo events: calls.

use heilo_client::webhooks::{verify_and_parse, Event, Verifier, WebhookEvent};
use http::HeaderMap;

use super::{meeting_id, EventError, EventKind, MeetingEvent, NotAMeetingEvent, VerifiedDelivery};
use crate::model::Vendor;

const VENDOR: Vendor = Vendor::Heilo;

/// `call.completed` and `call.transcribed` are [`EventKind::TranscriptReady`], with the
/// call's `transcript_original` when it is not `null`; every other event naming a call
/// (`call_id`) is [`EventKind::Other`]. `webhook.test` (whose call is a sample), the
/// subscription handshake and the contact events name none.
impl TryFrom<&Event> for MeetingEvent {
    type Error = NotAMeetingEvent;

    fn try_from(event: &Event) -> Result<Self, Self::Error> {
        let event_type = event.event_type();
        let id = meeting_id(event.call_id())
            .ok_or_else(|| NotAMeetingEvent::new(VENDOR, event_type.as_str()))?;
        let ready = |transcript: Option<crate::Transcript>| {
            let mut meeting = MeetingEvent::new(VENDOR, id, EventKind::TranscriptReady);
            meeting.transcript = transcript.filter(|t| !t.segments.is_empty());
            meeting
        };
        Ok(match event {
            Event::CallCompleted(call) => ready(crate::heilo::completed_transcript(call)),
            Event::CallTranscribed(call) => ready(crate::heilo::transcribed_transcript(call)),
            _ => MeetingEvent::new(VENDOR, id, EventKind::Other(event_type.as_str().to_owned())),
        })
    }
}

webhook_event_delivery!(|delivery| delivery.handshake_response());
