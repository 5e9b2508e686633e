//! What the recordings endpoints return: recordings, transcripts, summaries, notes,
//! status and update answers.

use serde::Deserialize;

use crate::types::{null_as_default, open_enum, Timestamp};

open_enum! {
    /// A recording's processing state. The server sends upper case and more values than the
    /// docs list (`QUEUED`, `STITCHING`); anything else is kept in `Unknown`.
    pub enum RecordingStatus: normalize(|s: &str| s.to_ascii_uppercase()) {
        /// Waiting to be processed.
        Pending = "PENDING",
        /// In the job queue (upload, transcribe and batch answers).
        Queued = "QUEUED",
        /// Being transcribed.
        Processing = "PROCESSING",
        /// Being summarized.
        Summarizing = "SUMMARIZING",
        /// Chunks of a recording session being joined.
        Stitching = "STITCHING",
        /// Done.
        Completed = "COMPLETED",
        /// Failed (see [`Recording::transcription_error`]).
        Failed = "FAILED",
    }
}

impl RecordingStatus {
    /// Whether processing has ended (completed or failed).
    pub fn is_finished(&self) -> bool {
        matches!(self, RecordingStatus::Completed | RecordingStatus::Failed)
    }
}

/// A recording, in any of the three shapes the server sends: a list item, the detail of
/// `GET /recordings/{id}`, and the full record returned by upload and title regeneration.
/// Fields that a shape lacks are `None` (or empty).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Recording {
    /// The id.
    pub id: u64,
    /// The title (`"Recording - <file name>"` until one is set or generated).
    #[serde(default)]
    pub title: Option<String>,
    /// The processing state.
    pub status: RecordingStatus,
    /// When it was created (server UTC, no offset).
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// When processing completed.
    #[serde(default)]
    pub completed_at: Option<Timestamp>,
    /// When the meeting took place.
    #[serde(default)]
    pub meeting_date: Option<Timestamp>,
    /// The stored (transcoded) size in bytes, not the uploaded size.
    #[serde(default)]
    pub file_size: Option<u64>,
    /// The uploaded file's name.
    #[serde(default)]
    pub original_filename: Option<String>,
    /// The stored audio's type (detail and full shapes).
    #[serde(default)]
    pub mime_type: Option<String>,
    /// Participants, comma separated.
    #[serde(default)]
    pub participants: Option<String>,
    /// In the inbox.
    #[serde(default)]
    pub is_inbox: Option<bool>,
    /// Starred.
    #[serde(default)]
    pub is_highlighted: Option<bool>,
    /// Whether the audio can be downloaded.
    #[serde(default)]
    pub audio_available: Option<bool>,
    /// The audio's length in seconds.
    #[serde(default)]
    pub audio_duration: Option<f64>,
    /// Whether there is a transcript (list shape; also true for a failure record).
    #[serde(default)]
    pub has_transcription: Option<bool>,
    /// Whether there is a summary (list shape).
    #[serde(default)]
    pub has_summary: Option<bool>,
    /// Total processing time in seconds.
    #[serde(default)]
    pub processing_time_seconds: Option<f64>,
    /// Transcription time in seconds.
    #[serde(default)]
    pub transcription_duration_seconds: Option<f64>,
    /// Summarization time in seconds.
    #[serde(default)]
    pub summarization_duration_seconds: Option<f64>,
    /// The folder's id.
    #[serde(default)]
    pub folder_id: Option<u64>,
    /// The folder (id and name; the full record carries the whole folder, whose other keys
    /// are ignored here).
    #[serde(default)]
    pub folder: Option<FolderRef>,
    /// Protected from automatic deletion.
    #[serde(default)]
    pub deletion_exempt: Option<bool>,
    /// Observed to stay `null` even for failed recordings: see
    /// [`Recording::transcription_error`].
    #[serde(default)]
    pub error_message: Option<String>,
    /// Tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<TagRef>,
    /// Whether only the audio of a video upload was kept.
    #[serde(default)]
    pub keep_audio_only: Option<bool>,
    /// Extracted calendar events (detail and full shapes).
    #[serde(default, deserialize_with = "null_as_default")]
    pub events: Vec<CalendarEvent>,
    /// Other copies of the same audio.
    #[serde(default)]
    pub duplicate_info: Option<DuplicateInfo>,
    /// Set by an upload whose bytes this user already uploaded.
    #[serde(default)]
    pub duplicate_warning: Option<DuplicateWarning>,
    /// The transcript: rendered text in the detail shape, the stored JSON string in the full
    /// shape, or an `ERROR_JSON:…` failure record.
    #[serde(default)]
    pub transcription: Option<String>,
    /// The summary (Markdown).
    #[serde(default)]
    pub summary: Option<String>,
    /// The notes (Markdown).
    #[serde(default)]
    pub notes: Option<String>,
    /// The notes as HTML (full shape).
    #[serde(default)]
    pub notes_html: Option<String>,
    /// The summary as HTML (full shape).
    #[serde(default)]
    pub summary_html: Option<String>,
    /// When the audio was deleted (full shape).
    #[serde(default)]
    pub audio_deleted_at: Option<Timestamp>,
    /// The owner (full shape).
    #[serde(default)]
    pub user_id: Option<u64>,
    /// Custom prompt variables (full shape).
    #[serde(default)]
    pub prompt_variables: Option<serde_json::Value>,
    /// Public shares (full shape).
    #[serde(default)]
    pub public_share_count: Option<u64>,
    /// Users it is shared with (full shape).
    #[serde(default)]
    pub shared_with_count: Option<u64>,
    /// Hotwords after tag and folder defaults (full shape).
    #[serde(default)]
    pub resolved_hotwords: Option<String>,
    /// Initial prompt after tag and folder defaults (full shape).
    #[serde(default)]
    pub resolved_initial_prompt: Option<String>,
}

impl Recording {
    /// The failure record Speakr stores in `transcription` (`ERROR_JSON:{…}`) when processing
    /// fails; `error_message` stays `null` in that case.
    pub fn transcription_error(&self) -> Option<TranscriptionError> {
        TranscriptionError::parse(self.transcription.as_deref()?)
    }
}

/// A tag on a recording (id, name and, where sent, colour).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TagRef {
    /// The tag id.
    pub id: u64,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
    /// The colour (`#10B981`).
    #[serde(default)]
    pub color: Option<String>,
}

/// A folder reference.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct FolderRef {
    /// The folder id.
    pub id: u64,
    /// The name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A calendar event extracted from a recording.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CalendarEvent {
    /// The event id.
    #[serde(default)]
    pub id: Option<u64>,
    /// The title.
    #[serde(default)]
    pub title: Option<String>,
    /// Start.
    #[serde(default)]
    pub start_datetime: Option<Timestamp>,
    /// End.
    #[serde(default)]
    pub end_datetime: Option<Timestamp>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Location.
    #[serde(default)]
    pub location: Option<String>,
}

/// The copies of one audio file a user has.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DuplicateInfo {
    /// Every copy, this one included.
    #[serde(default, deserialize_with = "null_as_default")]
    pub copies: Vec<DuplicateCopy>,
    /// How many copies.
    #[serde(default)]
    pub total_copies: Option<u64>,
}

/// One copy in [`DuplicateInfo`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DuplicateCopy {
    /// The recording id.
    pub id: u64,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Whether this is the recording the list belongs to.
    #[serde(default)]
    pub is_self: Option<bool>,
}

/// The earlier upload of the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DuplicateWarning {
    /// Its id.
    pub existing_recording_id: u64,
    /// Its title.
    #[serde(default)]
    pub existing_title: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub existing_created_at: Option<Timestamp>,
}

/// A processing failure as Speakr records it (`ERROR_JSON:{"t","m","g","i","y","k","d"}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TranscriptionError {
    /// Short title (`"Connection Error"`).
    #[serde(default, rename = "t")]
    pub title: Option<String>,
    /// What happened.
    #[serde(default, rename = "m")]
    pub message: Option<String>,
    /// What to do about it.
    #[serde(default, rename = "g")]
    pub guidance: Option<String>,
    /// The UI icon.
    #[serde(default, rename = "i")]
    pub icon: Option<String>,
    /// The error class (`"connection"`).
    #[serde(default, rename = "y")]
    pub kind: Option<String>,
    /// Whether the error is a known one.
    #[serde(default, rename = "k")]
    pub known: Option<bool>,
    /// The technical detail.
    #[serde(default, rename = "d")]
    pub detail: Option<String>,
}

impl TranscriptionError {
    /// Parse an `ERROR_JSON:{…}` record; `None` for anything else.
    pub fn parse(text: &str) -> Option<TranscriptionError> {
        serde_json::from_str(text.trim_start().strip_prefix("ERROR_JSON:")?).ok()
    }
}

/// The transcript formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranscriptFormat {
    /// Speaker segments with times.
    Json,
    /// Text through the user's transcript template.
    Text,
    /// SubRip subtitles.
    Srt,
    /// WebVTT subtitles.
    Vtt,
}

impl TranscriptFormat {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TranscriptFormat::Json => "json",
            TranscriptFormat::Text => "text",
            TranscriptFormat::Srt => "srt",
            TranscriptFormat::Vtt => "vtt",
        }
    }
}

/// A transcript in the format asked for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Transcript {
    /// `format=json`: segments.
    Json(JsonTranscript),
    /// `format=text`.
    Text(String),
    /// `format=srt`.
    Srt(String),
    /// `format=vtt`.
    Vtt(String),
    /// A format this version does not know.
    Other {
        /// The format name.
        format: String,
        /// The content, if any.
        content: Option<String>,
    },
}

impl Transcript {
    /// The format name.
    pub fn format(&self) -> &str {
        match self {
            Transcript::Json(_) => "json",
            Transcript::Text(_) => "text",
            Transcript::Srt(_) => "srt",
            Transcript::Vtt(_) => "vtt",
            Transcript::Other { format, .. } => format,
        }
    }

    /// The text of a text, SRT or VTT transcript.
    pub fn content(&self) -> Option<&str> {
        match self {
            Transcript::Text(c) | Transcript::Srt(c) | Transcript::Vtt(c) => Some(c),
            Transcript::Other { content, .. } => content.as_deref(),
            Transcript::Json(_) => None,
        }
    }

    /// The segments of a JSON transcript.
    pub fn segments(&self) -> Option<&[Segment]> {
        match self {
            Transcript::Json(t) => Some(&t.segments),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Transcript {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            #[serde(default)]
            format: Option<String>,
            #[serde(default, deserialize_with = "null_as_default")]
            segments: Vec<Segment>,
            #[serde(default)]
            content: Option<String>,
            #[serde(default)]
            raw: Option<String>,
        }
        let w = Wire::deserialize(d)?;
        let format = w.format.unwrap_or_else(|| "json".to_owned());
        Ok(match format.as_str() {
            "json" => Transcript::Json(JsonTranscript {
                segments: w.segments,
                raw: w.raw,
            }),
            "text" => Transcript::Text(w.content.unwrap_or_default()),
            "srt" => Transcript::Srt(w.content.unwrap_or_default()),
            "vtt" => Transcript::Vtt(w.content.unwrap_or_default()),
            _ => Transcript::Other {
                format,
                content: w.content,
            },
        })
    }
}

/// A JSON transcript.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct JsonTranscript {
    /// The segments (empty when the stored transcript is not JSON).
    pub segments: Vec<Segment>,
    /// The stored text when it is not JSON (for example an `ERROR_JSON:` failure record).
    pub raw: Option<String>,
}

impl JsonTranscript {
    /// The failure record, when `raw` holds one.
    pub fn transcription_error(&self) -> Option<TranscriptionError> {
        TranscriptionError::parse(self.raw.as_deref()?)
    }
}

/// One speaker turn.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Segment {
    /// The speaker label or name.
    #[serde(default)]
    pub speaker: Option<String>,
    /// What was said.
    #[serde(default)]
    pub sentence: String,
    /// Start in seconds.
    #[serde(default)]
    pub start_time: Option<f64>,
    /// End in seconds.
    #[serde(default)]
    pub end_time: Option<f64>,
}

/// `GET`/`PUT /recordings/{id}/summary`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// The summary (Markdown).
    #[serde(default)]
    pub summary: Option<String>,
    /// Whether there is one (GET).
    #[serde(default)]
    pub has_summary: Option<bool>,
    /// Whether the replacement succeeded (PUT).
    #[serde(default)]
    pub success: Option<bool>,
}

/// `GET`/`PUT /recordings/{id}/notes`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Notes {
    /// The notes (Markdown).
    #[serde(default)]
    pub notes: Option<String>,
    /// Whether there are any (GET).
    #[serde(default)]
    pub has_notes: Option<bool>,
    /// Whether the replacement succeeded (PUT).
    #[serde(default)]
    pub success: Option<bool>,
}

/// `GET /recordings/{id}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ProcessingStatus {
    /// The recording id.
    pub id: u64,
    /// The state.
    pub status: RecordingStatus,
    /// Position in the job queue, while queued.
    #[serde(default)]
    pub queue_position: Option<u64>,
    /// Observed to stay `null` on failure (the failure is in the recording's transcription).
    #[serde(default)]
    pub error_message: Option<String>,
    /// When processing completed.
    #[serde(default)]
    pub completed_at: Option<Timestamp>,
}

/// The answer to `PATCH /recordings/{id}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct UpdatedRecording {
    /// Whether the server reports success.
    #[serde(default)]
    pub success: Option<bool>,
    /// The editable fields after the update.
    pub recording: RecordingFields,
}

/// The editable fields of a recording.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RecordingFields {
    /// The id.
    pub id: u64,
    /// The title.
    #[serde(default)]
    pub title: Option<String>,
    /// Participants.
    #[serde(default)]
    pub participants: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Meeting date.
    #[serde(default)]
    pub meeting_date: Option<Timestamp>,
    /// In the inbox.
    #[serde(default)]
    pub is_inbox: Option<bool>,
    /// Starred.
    #[serde(default)]
    pub is_highlighted: Option<bool>,
    /// Folder.
    #[serde(default)]
    pub folder_id: Option<u64>,
}

/// The answer to `POST /recordings/{id}/regenerate_title`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RegeneratedTitle {
    /// Whether the server reports success.
    #[serde(default)]
    pub success: Option<bool>,
    /// The new title.
    #[serde(default)]
    pub title: Option<String>,
    /// The whole recording (full shape).
    #[serde(default)]
    pub recording: Option<Recording>,
}
