//! Hedy events: sessions.

use hedy_client::webhooks::{verify_and_parse, Event, Verifier, WebhookEvent};
use http::HeaderMap;

use super::{meeting_id, EventError, EventKind, MeetingEvent, NotAMeetingEvent, VerifiedDelivery};
use crate::model::Vendor;

const VENDOR: Vendor = Vendor::Hedy;

/// `session.ended` is [`EventKind::TranscriptReady`], with the session's transcript; every
/// other event naming a session (`sessionId`) is [`EventKind::Other`].
impl TryFrom<&Event> for MeetingEvent {
    type Error = NotAMeetingEvent;

    fn try_from(event: &Event) -> Result<Self, Self::Error> {
        let event_type = event.event_type();
        let id = meeting_id(event.session_id())
            .ok_or_else(|| NotAMeetingEvent::new(VENDOR, event_type.as_str()))?;
        let mut meeting =
            MeetingEvent::new(VENDOR, id, EventKind::Other(event_type.as_str().to_owned()));
        if let Event::SessionEnded(session) = event {
            meeting.kind = EventKind::TranscriptReady;
            meeting.transcript =
                crate::hedy::transcript(session).filter(|t| !t.segments.is_empty());
        }
        Ok(meeting)
    }
}

webhook_event_delivery!(|_| None);
