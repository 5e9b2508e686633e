//! Hedy (feature `hedy`): sessions as [`Meeting`]s, and their transcript text as a
//! [`Transcript`].
//!
//! A session's `transcript` is plain text. Speaker turns are recognized where the text
//! carries them (`Speaker 1: …`, `Name: …`, `[00:01:02] Name: …`: see [`crate::text`]);
//! otherwise the transcript is one untimed segment without a speaker. `cleaned_transcript`
//! is used when `transcript` is empty.

use hedy_client::sessions::Session;
use hedy_client::Timestamp;

use crate::error::ConvertError;
use crate::model::{Meeting, Source, Transcript, Vendor};
use crate::time::from_secs_f64;

/// A session as a meeting: the title, the start time, the duration from `startTime` to
/// `endTime` (Hedy's `duration` field is left aside: its unit is ambiguous), and the recap
/// (else the meeting minutes) as the summary. Hedy names no participants. `raw` is `null`:
/// use [`meeting_from_json`] to keep the record as received.
pub fn meeting(s: &Session) -> Meeting {
    Meeting {
        vendor: Vendor::Hedy,
        id: s.session_id.clone(),
        title: s.title.clone().filter(|t| !t.trim().is_empty()),
        start: s.start_time.as_ref().and_then(utc),
        duration: s.duration_from_times().and_then(from_secs_f64),
        participants: Vec::new(),
        summary: [&s.recap, &s.meeting_minutes]
            .into_iter()
            .flatten()
            .find(|t| !t.trim().is_empty())
            .cloned(),
        raw: serde_json::Value::Null,
    }
}

/// A session's JSON as received (list item, detail or webhook data) as a meeting, keeping
/// the JSON in [`Meeting::raw`].
pub fn meeting_from_json(raw: serde_json::Value) -> Result<Meeting, ConvertError> {
    let s: Session = serde::Deserialize::deserialize(&raw)?;
    Ok(meeting(&s).with_raw(raw))
}

impl From<&Session> for Meeting {
    fn from(s: &Session) -> Meeting {
        meeting(s)
    }
}

fn utc(t: &Timestamp) -> Option<String> {
    t.to_system_time()
        .map(|st| Timestamp::from_system_time(st).as_str().to_owned())
}

/// A session's transcript (`transcript`, else `cleaned_transcript`); `None` when it has
/// neither (list items, `session.created`).
pub fn transcript(s: &Session) -> Option<Transcript> {
    let text = [&s.transcript, &s.cleaned_transcript]
        .into_iter()
        .flatten()
        .find(|t| !t.trim().is_empty())?;
    Some(transcript_from_text(&s.session_id, text))
}

/// A Hedy transcript text as a transcript of session `session_id`.
pub fn transcript_from_text(session_id: &str, text: &str) -> Transcript {
    crate::text::parse(text).with_source(Source::new(Vendor::Hedy, session_id))
}
