//! Speakr (feature `speakr`): recordings as [`Meeting`]s, and transcripts from the segment
//! JSON (speaker, start and end in seconds, sentence), which is Speakr's richest form and the
//! one to fetch (`GET /recordings/{id}/transcript`, the default `format=json`). The text, SRT
//! and VTT renderings are read too ([`crate::text`], [`crate::srt`], [`crate::vtt`]).
//!
//! Times in seconds are rounded to the millisecond; an empty speaker is no speaker.

use speakr_client::recordings::{
    JsonTranscript, Recording, Segment as SpeakrSegment, Transcript as SpeakrTranscript,
};
use speakr_client::Timestamp;

use crate::error::ConvertError;
use crate::model::{Meeting, Segment, Source, Transcript, Vendor};
use crate::time::from_secs_f64;

/// A recording as a meeting: the title, the meeting date (else the creation time) as the
/// start, the audio's length, the comma-separated participants and the summary. `raw` is
/// `null`: use [`meeting_from_json`] to keep the record as received.
pub fn meeting(r: &Recording) -> Meeting {
    let start = r
        .meeting_date
        .as_ref()
        .or(r.created_at.as_ref())
        .and_then(utc);
    Meeting {
        vendor: Vendor::Speakr,
        id: r.id.to_string(),
        title: r.title.clone().filter(|t| !t.trim().is_empty()),
        start,
        duration: r.audio_duration.and_then(from_secs_f64),
        participants: r
            .participants
            .as_deref()
            .map(|p| {
                p.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        summary: r.summary.clone().filter(|s| !s.trim().is_empty()),
        raw: serde_json::Value::Null,
    }
}

/// A recording's JSON as received (any of its shapes) as a meeting, keeping the JSON in
/// [`Meeting::raw`].
pub fn meeting_from_json(raw: serde_json::Value) -> Result<Meeting, ConvertError> {
    let r: Recording = serde::Deserialize::deserialize(&raw)?;
    Ok(meeting(&r).with_raw(raw))
}

impl From<&Recording> for Meeting {
    fn from(r: &Recording) -> Meeting {
        meeting(r)
    }
}

/// The instant as RFC 3339 UTC text (a time without an offset is read as UTC).
fn utc(t: &Timestamp) -> Option<String> {
    t.to_system_time()
        .map(|st| Timestamp::from_system_time(st).as_str().to_owned())
}

/// Speakr's segments as a transcript of recording `recording_id`.
pub fn transcript_from_segments(recording_id: u64, segments: &[SpeakrSegment]) -> Transcript {
    Transcript::new(segments.iter().map(segment).collect())
        .with_source(Source::new(Vendor::Speakr, recording_id.to_string()))
}

fn segment(s: &SpeakrSegment) -> Segment {
    Segment {
        speaker: s
            .speaker
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        start: s.start_time.and_then(from_secs_f64),
        end: s.end_time.and_then(from_secs_f64),
        text: s.sentence.clone(),
    }
}

/// A `format=json` answer as a transcript. When Speakr stored no segments but text, the
/// text is read for speaker turns; a stored failure record (`ERROR_JSON:…`) is
/// [`ConvertError::TranscriptionFailed`].
pub fn transcript_from_json(
    recording_id: u64,
    t: &JsonTranscript,
) -> Result<Transcript, ConvertError> {
    if !t.segments.is_empty() {
        return Ok(transcript_from_segments(recording_id, &t.segments));
    }
    if let Some(err) = t.transcription_error() {
        return Err(failed(err));
    }
    let text = t.raw.as_deref().unwrap_or_default();
    Ok(crate::text::parse(text).with_source(Source::new(Vendor::Speakr, recording_id.to_string())))
}

fn failed(err: speakr_client::recordings::TranscriptionError) -> ConvertError {
    ConvertError::TranscriptionFailed(
        err.message
            .or(err.title)
            .or(err.detail)
            .unwrap_or_else(|| "transcription failed".to_owned()),
    )
}

/// A transcript in any format Speakr returns: segments (`json`), text (speaker turns as
/// [`crate::text`] reads them, `[SPEAKER_00]: …`), SRT or VTT (strictly parsed).
pub fn transcript(recording_id: u64, t: &SpeakrTranscript) -> Result<Transcript, ConvertError> {
    let source = Source::new(Vendor::Speakr, recording_id.to_string());
    let parsed = match t {
        SpeakrTranscript::Json(j) => return transcript_from_json(recording_id, j),
        SpeakrTranscript::Text(c) => crate::text::parse(c),
        SpeakrTranscript::Srt(c) => crate::srt::parse(c)?,
        SpeakrTranscript::Vtt(c) => crate::vtt::parse(c)?,
        other => return Err(ConvertError::UnsupportedFormat(other.format().to_owned())),
    };
    Ok(parsed.with_source(source))
}

/// The transcript a recording carries in `transcription`, if any: the stored segment JSON
/// (the full shape, as upload answers send it), or the rendered text (the detail shape),
/// read for speaker turns. A failure record is [`ConvertError::TranscriptionFailed`].
pub fn transcript_from_recording(r: &Recording) -> Result<Option<Transcript>, ConvertError> {
    let Some(text) = r.transcription.as_deref().filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    if let Some(err) = r.transcription_error() {
        return Err(failed(err));
    }
    if text.trim_start().starts_with('[') {
        if let Ok(segments) = serde_json::from_str::<Vec<SpeakrSegment>>(text) {
            return Ok(Some(transcript_from_segments(r.id, &segments)));
        }
    }
    Ok(Some(crate::text::parse(text).with_source(Source::new(
        Vendor::Speakr,
        r.id.to_string(),
    ))))
}
