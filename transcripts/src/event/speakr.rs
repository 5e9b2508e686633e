//! Speakr events: recordings.

use http::HeaderMap;
use speakr_client::webhooks::{verify_and_parse, Event, Verifier, WebhookEvent};

use super::{EventError, EventKind, MeetingEvent, NotAMeetingEvent, VerifiedDelivery};
use crate::model::Vendor;

const VENDOR: Vendor = Vendor::Speakr;

/// `recording.transcription.completed` is [`EventKind::TranscriptReady`] (the transcript is
/// fetched: the event carries none); every other event naming a recording
/// (`recording_id`) is [`EventKind::Other`]. `webhook.test` names none.
impl TryFrom<&Event> for MeetingEvent {
    type Error = NotAMeetingEvent;

    fn try_from(event: &Event) -> Result<Self, Self::Error> {
        let event_type = event.event_type();
        let id = event
            .recording_id()
            .ok_or_else(|| NotAMeetingEvent::new(VENDOR, event_type.as_str()))?;
        let kind = match event {
            Event::TranscriptionCompleted(_) => EventKind::TranscriptReady,
            _ => EventKind::Other(event_type.as_str().to_owned()),
        };
        Ok(MeetingEvent::new(VENDOR, id.to_string(), kind))
    }
}

webhook_event_delivery!(|_| None);
