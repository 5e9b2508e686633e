//! Heilo (feature `heilo`): calls as [`Meeting`]s, and the verbatim `transcript_original`
//! text of `call.completed` and `call.transcribed` events as a [`Transcript`].
//!
//! Heilo documents `transcript_original` only as "raw verbatim transcript". Speaker turns
//! are recognized where the text carries them (`Agent: …`, `Caller: …`, `Jan Kowalski: …`,
//! `[00:00:05] Name: …`: see [`crate::text`]); otherwise the transcript is one untimed
//! segment without a speaker. The language is the analysis's `detected_language`.

use heilo_client::calls::{Call, TranscriptProcessed};
use heilo_client::webhooks::{CallCompleted, CallTranscribed};
use heilo_client::Timestamp;

use crate::error::ConvertError;
use crate::model::{Meeting, Source, Transcript, Vendor};
use crate::time::from_secs_f64;

/// A call as a meeting: the analysis's subject as the title, the creation time as the
/// start, the duration, the caller's and the other party's names as participants, and the
/// analysis's summary. `raw` is `null`: use [`meeting_from_json`] to keep the record as
/// received.
pub fn meeting(c: &Call) -> Meeting {
    let processed = c.transcript_processed.as_ref();
    let mut participants: Vec<String> = Vec::new();
    let names = [
        c.caller_name.as_ref(),
        processed.and_then(|p| p.caller_name.as_ref()),
        processed.and_then(|p| p.counterparty_name.as_ref()),
    ];
    for name in names.into_iter().flatten().map(|n| n.trim()) {
        if !name.is_empty() && !participants.iter().any(|p| p == name) {
            participants.push(name.to_owned());
        }
    }
    Meeting {
        vendor: Vendor::Heilo,
        id: c.call_id.clone(),
        title: processed.and_then(|p| useful(&p.subject)),
        start: c.created_at.as_ref().and_then(utc),
        duration: c.duration.and_then(from_secs_f64),
        participants,
        summary: processed.and_then(|p| useful(&p.summary)),
        raw: serde_json::Value::Null,
    }
}

/// A call's JSON as received (an item of `GET /calls` or `GET /calls/{id}`) as a meeting,
/// keeping the JSON in [`Meeting::raw`].
pub fn meeting_from_json(raw: serde_json::Value) -> Result<Meeting, ConvertError> {
    let c: Call = serde::Deserialize::deserialize(&raw)?;
    Ok(meeting(&c).with_raw(raw))
}

impl From<&Call> for Meeting {
    fn from(c: &Call) -> Meeting {
        meeting(c)
    }
}

/// Text that is not empty.
fn useful(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

fn utc(t: &Timestamp) -> Option<String> {
    t.to_system_time()
        .map(|st| Timestamp::from_system_time(st).as_str().to_owned())
}

/// A Heilo transcript text as a transcript of call `call_id`.
pub fn transcript_from_text(call_id: &str, text: &str) -> Transcript {
    crate::text::parse(text).with_source(Source::new(Vendor::Heilo, call_id))
}

fn with_language(t: Transcript, processed: Option<&TranscriptProcessed>) -> Transcript {
    match processed.and_then(|p| useful(&p.detected_language)) {
        Some(lang) => t.with_language(lang),
        None => t,
    }
}

/// The transcript of a `call.completed` event; `None` when it carries none.
pub fn completed_transcript(e: &CallCompleted) -> Option<Transcript> {
    let text = e.transcript_original.as_deref()?;
    Some(with_language(
        transcript_from_text(&e.call_id, text),
        e.transcript_processed.as_ref(),
    ))
}

/// The transcript of a `call.transcribed` event; `None` when it carries none.
pub fn transcribed_transcript(e: &CallTranscribed) -> Option<Transcript> {
    let text = e.transcript_original.as_deref()?;
    Some(with_language(
        transcript_from_text(&e.call_id, text),
        e.transcript_processed.as_ref(),
    ))
}
