//! Healthie (feature `healthie`): appointments as [`Meeting`]s, and AI-Scribe transcripts
//! (the WebVTT file behind a transcript's `expiring_url`, with `<v Speaker>` voice spans) as
//! a [`Transcript`].

use healthie_client::types::{Timestamp, UserSummary};
use healthie_client::Appointment;

use crate::error::ConvertError;
use crate::model::{Meeting, Source, Transcript, Vendor};

/// An appointment as a meeting: the appointment type's name as the title, its date as the
/// start, its length, the providers' and attendees' names as participants (the client of a
/// 1:1 appointment included). Healthie has no summary text on an appointment. `raw` is
/// `null`: use [`meeting_from_json`] to keep the record as received.
pub fn meeting(a: &Appointment) -> Meeting {
    let mut participants: Vec<String> = Vec::new();
    let people = a
        .provider
        .iter()
        .chain(&a.providers)
        .chain(a.user.iter())
        .chain(&a.attendees);
    for name in people.filter_map(full_name) {
        if !participants.contains(&name) {
            participants.push(name);
        }
    }
    let minutes = a
        .length
        .and_then(|m| u64::try_from(m).ok())
        .map(|m| std::time::Duration::from_secs(m.saturating_mul(60)));
    Meeting {
        vendor: Vendor::Healthie,
        id: a.id.clone(),
        title: a
            .appointment_type
            .as_ref()
            .and_then(|t| t.name.clone())
            .filter(|t| !t.trim().is_empty()),
        start: a.date.as_ref().and_then(utc),
        duration: minutes,
        participants,
        summary: None,
        raw: serde_json::Value::Null,
    }
}

/// An appointment's JSON as received as a meeting, keeping the JSON in [`Meeting::raw`].
pub fn meeting_from_json(raw: serde_json::Value) -> Result<Meeting, ConvertError> {
    let a: Appointment = serde::Deserialize::deserialize(&raw)?;
    Ok(meeting(&a).with_raw(raw))
}

impl From<&Appointment> for Meeting {
    fn from(a: &Appointment) -> Meeting {
        meeting(a)
    }
}

fn full_name(u: &UserSummary) -> Option<String> {
    let full = u
        .full_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    match full {
        Some(n) => Some(n.to_owned()),
        None => {
            let parts: Vec<&str> = [&u.first_name, &u.last_name]
                .into_iter()
                .flatten()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        }
    }
}

fn utc(t: &Timestamp) -> Option<String> {
    t.to_system_time()
        .map(|st| Timestamp::from_system_time(st).as_str().to_owned())
}

/// An AI-Scribe VTT file as the transcript of appointment `appointment_id`, parsed strictly
/// ([`crate::vtt::parse`]): a malformed cue is an error naming its line.
pub fn transcript(appointment_id: &str, vtt: &str) -> Result<Transcript, ConvertError> {
    Ok(crate::vtt::parse(vtt)?.with_source(Source::new(Vendor::Healthie, appointment_id)))
}

/// The same, leniently ([`crate::vtt::parse_lenient`]): malformed cues are skipped and
/// returned beside the transcript.
pub fn transcript_lenient(appointment_id: &str, vtt: &str) -> Result<crate::Parsed, ConvertError> {
    let mut parsed = crate::vtt::parse_lenient(vtt)?;
    parsed.transcript.source = Some(Source::new(Vendor::Healthie, appointment_id));
    Ok(parsed)
}
