//! Recordings: upload, list (and stream), get, transcript, summary, notes, status, update,
//! delete, title regeneration, calendar events and the audio file.
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! use futures::TryStreamExt;
//! use speakr_client::recordings::{StatusFilter, TranscriptFormat};
//!
//! // Upload: the file streams from disk; the request is never repeated.
//! let rec = speakr
//!     .recordings()
//!     .upload_file("standup.mp3")
//!     .title("Stand-up")
//!     .tag_ids([1, 2])
//!     .keep_audio_only(true)
//!     .send()
//!     .await?;
//! println!("uploaded #{} ({})", rec.id, rec.status);
//!
//! // Every completed recording, page after page.
//! let mut all = speakr.recordings().list().status(StatusFilter::Completed).into_stream();
//! while let Some(r) = all.try_next().await? {
//!     println!("{} {:?}", r.id, r.title);
//! }
//!
//! let srt = speakr.recordings().transcript(rec.id, TranscriptFormat::Srt).await?;
//! println!("{}", srt.content().unwrap_or_default());
//! speakr.recordings().audio(rec.id).save_to("standup-copy.mp3").await?;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use client_core::{ByteStream, Client, ErrorKind, Multipart, Page, Paginator, RequestBuilder};
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite};

use crate::client::{class, SpeakrClient};
use crate::types::{null_as_default, open_enum, Ack, Patch, Timestamp};
use crate::Error;

/// The time an upload may take unless [`UploadRecording::timeout`] says otherwise.
pub const DEFAULT_UPLOAD_TIMEOUT: Duration = Duration::from_secs(3600);

/// The documented bounds of `per_page`.
pub const PER_PAGE_RANGE: std::ops::RangeInclusive<u32> = 1..=100;

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

/// The recordings endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Recordings<'a> {
    pub(crate) client: &'a SpeakrClient,
}

impl<'a> Recordings<'a> {
    fn core(&self) -> &'a Client {
        &self.client.core
    }

    /// `POST /recordings/upload` of the file at `path`, streamed from disk (see
    /// [`UploadRecording`] for the form fields).
    pub fn upload_file(&self, path: impl AsRef<Path>) -> UploadRecording<'a> {
        UploadRecording::new(self.client, Source::Path(path.as_ref().to_owned()))
    }

    /// `POST /recordings/upload` of bytes read from `reader`, named `file_name` (Speakr keeps
    /// it as the original file name). Give `length` when known.
    pub fn upload_reader<R>(
        &self,
        reader: R,
        file_name: impl Into<String>,
        length: Option<u64>,
    ) -> UploadRecording<'a>
    where
        R: AsyncRead + Send + 'static,
    {
        let mut upload = UploadRecording::new(
            self.client,
            Source::Reader {
                reader: Box::pin(reader),
                length,
            },
        );
        upload.file_name = Some(file_name.into());
        upload
    }

    /// `GET /recordings`: a listing with filters, one page or all of them.
    pub fn list(&self) -> ListRecordings<'a> {
        ListRecordings {
            client: self.client,
            params: ListParams::default(),
        }
    }

    /// `GET /recordings/{id}`: the detail (`format`, `include` on the builder).
    pub fn get(&self, id: u64) -> GetRecording<'a> {
        GetRecording {
            client: self.client,
            id,
            format: None,
            include: None,
        }
    }

    /// `GET /recordings/{id}/transcript?format=…`.
    pub async fn transcript(&self, id: u64, format: TranscriptFormat) -> Result<Transcript, Error> {
        self.core()
            .get("/recordings/{id}/transcript")
            .param(id)
            .query("format", format.as_str())
            .rate_class(class::GET)
            .send_json()
            .await
    }

    /// `GET /recordings/{id}/transcript?format=json`: the segments.
    pub async fn transcript_segments(&self, id: u64) -> Result<JsonTranscript, Error> {
        match self.transcript(id, TranscriptFormat::Json).await? {
            Transcript::Json(t) => Ok(t),
            other => Err(Error::new(
                ErrorKind::Decode,
                format!(
                    "asked for a JSON transcript, got format `{}`",
                    other.format()
                ),
            )),
        }
    }

    /// `GET /recordings/{id}/summary`.
    pub async fn summary(&self, id: u64) -> Result<Summary, Error> {
        self.core()
            .get("/recordings/{id}/summary")
            .param(id)
            .rate_class(class::GET)
            .send_json()
            .await
    }

    /// `PUT /recordings/{id}/summary`: replace the summary (no webhook is sent).
    pub async fn replace_summary(
        &self,
        id: u64,
        summary: impl Into<String>,
    ) -> Result<Summary, Error> {
        self.core()
            .put("/recordings/{id}/summary")
            .param(id)
            .json(&serde_json::json!({ "summary": summary.into() }))
            .rate_class(class::MODIFY)
            .send_json()
            .await
    }

    /// `GET /recordings/{id}/notes`.
    pub async fn notes(&self, id: u64) -> Result<Notes, Error> {
        self.core()
            .get("/recordings/{id}/notes")
            .param(id)
            .rate_class(class::GET)
            .send_json()
            .await
    }

    /// `PUT /recordings/{id}/notes`: replace the notes (no webhook is sent).
    pub async fn replace_notes(&self, id: u64, notes: impl Into<String>) -> Result<Notes, Error> {
        self.core()
            .put("/recordings/{id}/notes")
            .param(id)
            .json(&serde_json::json!({ "notes": notes.into() }))
            .rate_class(class::MODIFY)
            .send_json()
            .await
    }

    /// `GET /recordings/{id}/status`: the processing state (exempt from rate limits on the
    /// server, so it pays no class quota here either).
    pub async fn status(&self, id: u64) -> Result<ProcessingStatus, Error> {
        self.core()
            .get("/recordings/{id}/status")
            .param(id)
            .send_json()
            .await
    }

    /// `PATCH /recordings/{id}`: change metadata (see [`UpdateRecording`]).
    pub fn update(&self, id: u64) -> UpdateRecording<'a> {
        UpdateRecording {
            client: self.client,
            id,
            body: RecordingChanges::default(),
        }
    }

    /// `DELETE /recordings/{id}` (owner only; the server sends no `recording.deleted` webhook
    /// for this route).
    pub async fn delete(&self, id: u64) -> Result<Ack, Error> {
        self.core()
            .delete("/recordings/{id}")
            .param(id)
            .rate_class(class::MODIFY)
            .send_json()
            .await
    }

    /// `POST /recordings/{id}/regenerate_title`: ask the LLM for a new title (undocumented
    /// route, observed on v0.9.4).
    pub async fn regenerate_title(&self, id: u64) -> Result<RegeneratedTitle, Error> {
        self.core()
            .post("/recordings/{id}/regenerate_title")
            .param(id)
            .rate_class(class::PROCESSING)
            .send_json()
            .await
    }

    /// `GET /recordings/{id}/events`: extracted calendar events.
    pub async fn events(&self, id: u64) -> Result<Vec<CalendarEvent>, Error> {
        #[derive(Deserialize)]
        struct Events {
            #[serde(default, deserialize_with = "null_as_default")]
            events: Vec<CalendarEvent>,
        }
        let e: Events = self
            .core()
            .get("/recordings/{id}/events")
            .param(id)
            .rate_class(class::GET)
            .send_json()
            .await?;
        Ok(e.events)
    }

    /// `GET /recordings/{id}/events/ics`: the events as an iCalendar file (404 when there are
    /// none).
    pub async fn events_ics(&self, id: u64) -> Result<String, Error> {
        self.core()
            .get("/recordings/{id}/events/ics")
            .param(id)
            .rate_class(class::GET)
            .send_text()
            .await
    }

    /// `GET /recordings/{id}/audio`: the audio file, streamed (see [`AudioDownload`]).
    pub fn audio(&self, id: u64) -> AudioDownload<'a> {
        AudioDownload {
            client: self.client,
            id,
            download: None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Upload

enum Source {
    Path(PathBuf),
    Reader {
        reader: Pin<Box<dyn AsyncRead + Send>>,
        length: Option<u64>,
    },
}

/// A `POST /recordings/upload` under construction: every form field Speakr reads.
///
/// The request carries a streamed body, so it is **sent at most once**: a 500 or a broken
/// connection is returned, never retried.
#[must_use = "call .send()"]
pub struct UploadRecording<'a> {
    client: &'a SpeakrClient,
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
    fields: Vec<(&'static str, String)>,
    tag_ids: Vec<u64>,
    prompt_variables: Option<BTreeMap<String, String>>,
    timeout: Duration,
}

impl std::fmt::Debug for UploadRecording<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadRecording")
            .field("file_name", &self.file_name)
            .field("fields", &self.fields)
            .field("tag_ids", &self.tag_ids)
            .finish_non_exhaustive()
    }
}

impl<'a> UploadRecording<'a> {
    fn new(client: &'a SpeakrClient, source: Source) -> Self {
        UploadRecording {
            client,
            source,
            file_name: None,
            content_type: None,
            fields: Vec::new(),
            tag_ids: Vec::new(),
            prompt_variables: None,
            timeout: DEFAULT_UPLOAD_TIMEOUT,
        }
    }

    fn field(mut self, name: &'static str, value: impl ToString) -> Self {
        self.fields.retain(|(n, _)| *n != name);
        self.fields.push((name, value.to_string()));
        self
    }

    /// The file name sent with the file part (default: the path's file name).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The file part's content type (default `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// `title`.
    pub fn title(self, title: impl Into<String>) -> Self {
        self.field("title", title.into())
    }

    /// `notes`.
    pub fn notes(self, notes: impl Into<String>) -> Self {
        self.field("notes", notes.into())
    }

    /// `meeting_date` (ISO-8601; a `Z` is accepted and stored without offset).
    pub fn meeting_date(self, date: impl Into<Timestamp>) -> Self {
        self.field("meeting_date", date.into())
    }

    /// `file_last_modified`: the file's modification time in milliseconds since the epoch.
    pub fn file_last_modified(self, millis: u64) -> Self {
        self.field("file_last_modified", millis)
    }

    /// `language`: an ISO 639-1 hint (an empty string forces detection).
    pub fn language(self, language: impl Into<String>) -> Self {
        self.field("language", language.into())
    }

    /// `min_speakers`.
    pub fn min_speakers(self, n: u32) -> Self {
        self.field("min_speakers", n)
    }

    /// `max_speakers`.
    pub fn max_speakers(self, n: u32) -> Self {
        self.field("max_speakers", n)
    }

    /// `hotwords`: a word-biasing hint.
    pub fn hotwords(self, hotwords: impl Into<String>) -> Self {
        self.field("hotwords", hotwords.into())
    }

    /// `initial_prompt`: a context hint.
    pub fn initial_prompt(self, prompt: impl Into<String>) -> Self {
        self.field("initial_prompt", prompt.into())
    }

    /// `transcription_model`: a model from [`crate::transcription::TranscriptionInfo::models`].
    pub fn transcription_model(self, model: impl Into<String>) -> Self {
        self.field("transcription_model", model.into())
    }

    /// `prompt_variables`: sent as a JSON object string.
    pub fn prompt_variables<K, V>(mut self, vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.prompt_variables = Some(
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self
    }

    /// `folder_id`.
    pub fn folder_id(self, folder_id: u64) -> Self {
        self.field("folder_id", folder_id)
    }

    /// `tag_ids[0]`, `tag_ids[1]`, …
    pub fn tag_ids(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.tag_ids = ids.into_iter().collect();
        self
    }

    /// `tag_id`: a single tag (the legacy field).
    pub fn tag_id(self, tag_id: u64) -> Self {
        self.field("tag_id", tag_id)
    }

    /// `keep_audio_only`: keep only the audio of a video (`true`/`false`).
    pub fn keep_audio_only(self, keep: bool) -> Self {
        self.field("keep_audio_only", keep)
    }

    /// The time the whole upload may take (default [`DEFAULT_UPLOAD_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// `POST /recordings/upload`: send the form (text fields first, then the file part) and
    /// return the stored recording (`status` is `QUEUED`; answered 202).
    pub async fn send(self) -> Result<Recording, Error> {
        let mut form = Multipart::new();
        for (name, value) in self.fields {
            form = form.text(name, value);
        }
        for (i, id) in self.tag_ids.iter().enumerate() {
            form = form.text(format!("tag_ids[{i}]"), id.to_string());
        }
        if let Some(vars) = &self.prompt_variables {
            let json = serde_json::to_string(vars).map_err(|e| {
                Error::new(ErrorKind::InvalidRequest, "cannot encode prompt_variables")
                    .with_source(e)
            })?;
            form = form.text("prompt_variables", json);
        }
        let content_type = self.content_type.as_deref();
        let form = match self.source {
            Source::Path(path) => {
                form.file("file", path, self.file_name, content_type)
                    .await?
            }
            Source::Reader { reader, length } => form.reader(
                "file",
                self.file_name.unwrap_or_else(|| "upload".to_owned()),
                reader,
                length,
                content_type,
            )?,
        };
        self.client
            .core
            .post("/recordings/upload")
            .multipart(form)
            .timeout(self.timeout)
            .send_json()
            .await
    }
}

// ---------------------------------------------------------------------------------------------
// List

/// The `status` filter of the listing (lower case on the wire). `QUEUED` recordings appear only
/// under [`StatusFilter::All`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Everything (the default).
    All,
    /// `PENDING`.
    Pending,
    /// `PROCESSING` and `SUMMARIZING`.
    Processing,
    /// `COMPLETED`.
    Completed,
    /// `FAILED`.
    Failed,
}

impl StatusFilter {
    fn as_str(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Pending => "pending",
            StatusFilter::Processing => "processing",
            StatusFilter::Completed => "completed",
            StatusFilter::Failed => "failed",
        }
    }
}

/// The `sort_by` field of the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// `created_at` (the default).
    CreatedAt,
    /// `meeting_date`.
    MeetingDate,
    /// `title`.
    Title,
    /// `file_size`.
    FileSize,
    /// `status` (accepted by the server, not in the docs).
    Status,
}

impl SortBy {
    fn as_str(self) -> &'static str {
        match self {
            SortBy::CreatedAt => "created_at",
            SortBy::MeetingDate => "meeting_date",
            SortBy::Title => "title",
            SortBy::FileSize => "file_size",
            SortBy::Status => "status",
        }
    }
}

/// The `sort_order` of the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// `asc`.
    Asc,
    /// `desc` (the default).
    Desc,
}

impl SortOrder {
    fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

/// The `folder_id` filter of the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderFilter {
    /// Recordings in this folder.
    Id(u64),
    /// Recordings in no folder (`folder_id=none`).
    Unfiled,
}

#[derive(Debug, Clone, Default)]
struct ListParams {
    page: Option<u64>,
    per_page: Option<u32>,
    status: Option<StatusFilter>,
    sort_by: Option<SortBy>,
    sort_order: Option<SortOrder>,
    date_from: Option<String>,
    date_to: Option<String>,
    tag_id: Option<u64>,
    folder: Option<FolderFilter>,
    q: Option<String>,
    inbox: Option<bool>,
    starred: Option<bool>,
}

impl ListParams {
    /// The request for `page` (or the configured page) with every filter.
    fn request(&self, core: &Client, page: Option<u64>) -> RequestBuilder {
        let mut r = core
            .get("/recordings")
            .query_opt("page", page.or(self.page))
            .query_opt("per_page", self.per_page)
            .query_opt("status", self.status.map(StatusFilter::as_str))
            .query_opt("sort_by", self.sort_by.map(SortBy::as_str))
            .query_opt("sort_order", self.sort_order.map(SortOrder::as_str))
            .query_opt("date_from", self.date_from.as_deref())
            .query_opt("date_to", self.date_to.as_deref())
            .query_opt("tag_id", self.tag_id)
            .query_opt(
                "folder_id",
                self.folder.map(|f| match f {
                    FolderFilter::Id(id) => id.to_string(),
                    FolderFilter::Unfiled => "none".to_owned(),
                }),
            )
            .query_opt("q", self.q.as_deref())
            .query_opt("inbox", self.inbox)
            .query_opt("starred", self.starred)
            .rate_class(class::GET);
        if let Some(n) = self.per_page.filter(|n| !PER_PAGE_RANGE.contains(n)) {
            r = r.invalid(format!("per_page must be within 1..=100, got {n}"));
        }
        if page.or(self.page) == Some(0) {
            r = r.invalid("page numbers start at 1");
        }
        r
    }
}

/// A `GET /recordings` listing under construction.
#[derive(Debug, Clone)]
#[must_use = "call .send() or .into_stream()"]
pub struct ListRecordings<'a> {
    client: &'a SpeakrClient,
    params: ListParams,
}

impl<'a> ListRecordings<'a> {
    /// `page` (from 1; default 1). For [`ListRecordings::into_stream`], the first page.
    pub fn page(mut self, page: u64) -> Self {
        self.params.page = Some(page);
        self
    }

    /// `per_page`, 1 to 100 (default 25 on the server); checked before sending.
    pub fn per_page(mut self, per_page: u32) -> Self {
        self.params.per_page = Some(per_page);
        self
    }

    /// `status`.
    pub fn status(mut self, status: StatusFilter) -> Self {
        self.params.status = Some(status);
        self
    }

    /// `sort_by`.
    pub fn sort_by(mut self, sort_by: SortBy) -> Self {
        self.params.sort_by = Some(sort_by);
        self
    }

    /// `sort_order`.
    pub fn sort_order(mut self, order: SortOrder) -> Self {
        self.params.sort_order = Some(order);
        self
    }

    /// `date_from` (ISO date).
    pub fn date_from(mut self, date: impl Into<String>) -> Self {
        self.params.date_from = Some(date.into());
        self
    }

    /// `date_to` (ISO date).
    pub fn date_to(mut self, date: impl Into<String>) -> Self {
        self.params.date_to = Some(date.into());
        self
    }

    /// `tag_id`.
    pub fn tag_id(mut self, tag_id: u64) -> Self {
        self.params.tag_id = Some(tag_id);
        self
    }

    /// `folder_id` (an id, or `none` for unfiled recordings; needs folders enabled).
    pub fn folder(mut self, folder: FolderFilter) -> Self {
        self.params.folder = Some(folder);
        self
    }

    /// `q`: search titles and participants.
    pub fn query(mut self, q: impl Into<String>) -> Self {
        self.params.q = Some(q.into());
        self
    }

    /// `inbox`.
    pub fn inbox(mut self, inbox: bool) -> Self {
        self.params.inbox = Some(inbox);
        self
    }

    /// `starred`.
    pub fn starred(mut self, starred: bool) -> Self {
        self.params.starred = Some(starred);
        self
    }

    /// `GET /recordings`: one page.
    pub async fn send(self) -> Result<RecordingPage, Error> {
        self.params
            .request(&self.client.core, None)
            .send_json()
            .await
    }

    /// `GET /recordings`, page after page (`page`, `per_page`, `has_next`) with the same
    /// filters, as a paginator to tune (prefetch, item cap).
    pub fn paginator(self) -> Paginator<Recording> {
        let core = self.client.core.clone();
        let params = Arc::new(self.params);
        let first = params.page.unwrap_or(1);
        Paginator::page_number(first, move |n| {
            let core = core.clone();
            let params = params.clone();
            async move {
                let page: RecordingPage = params.request(&core, Some(n)).send_json().await?;
                let more = page.pagination.as_ref().map(|p| p.has_next);
                let items = Page::new(page.recordings);
                Ok(match more {
                    Some(m) => items.has_more(m),
                    None => items,
                })
            }
        })
    }

    /// `GET /recordings`: every recording matching the filters, fetched lazily page by page
    /// (one page ahead).
    pub fn into_stream(self) -> BoxStream<'static, Result<Recording, Error>> {
        self.paginator().items()
    }
}

/// One page of `GET /recordings`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RecordingPage {
    /// The recordings (the list shape).
    #[serde(default, deserialize_with = "null_as_default")]
    pub recordings: Vec<Recording>,
    /// Where this page stands.
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// The `pagination` object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Pagination {
    /// This page's number.
    #[serde(default)]
    pub page: u64,
    /// The page size.
    #[serde(default)]
    pub per_page: u64,
    /// Recordings matching the filters.
    #[serde(default)]
    pub total: u64,
    /// Pages in all.
    #[serde(default)]
    pub total_pages: u64,
    /// Whether a next page exists.
    #[serde(default)]
    pub has_next: bool,
    /// Whether a previous page exists.
    #[serde(default)]
    pub has_prev: bool,
}

// ---------------------------------------------------------------------------------------------
// Get

/// The `format` of `GET /recordings/{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailFormat {
    /// Everything (the default).
    Full,
    /// Without the large text fields.
    Minimal,
}

/// A large text field for `include=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Include {
    /// `transcription`.
    Transcription,
    /// `summary`.
    Summary,
    /// `notes`.
    Notes,
}

impl Include {
    fn as_str(self) -> &'static str {
        match self {
            Include::Transcription => "transcription",
            Include::Summary => "summary",
            Include::Notes => "notes",
        }
    }
}

/// A `GET /recordings/{id}` request.
#[derive(Debug, Clone)]
#[must_use = "call .send()"]
pub struct GetRecording<'a> {
    client: &'a SpeakrClient,
    id: u64,
    format: Option<DetailFormat>,
    include: Option<Vec<Include>>,
}

impl GetRecording<'_> {
    /// `format=full|minimal`.
    pub fn format(mut self, format: DetailFormat) -> Self {
        self.format = Some(format);
        self
    }

    /// `include=…`: which large text fields to send (default all three).
    pub fn include(mut self, fields: impl IntoIterator<Item = Include>) -> Self {
        self.include = Some(fields.into_iter().collect());
        self
    }

    /// `GET /recordings/{id}`.
    pub async fn send(self) -> Result<Recording, Error> {
        let include = self
            .include
            .map(|f| f.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(","));
        self.client
            .core
            .get("/recordings/{id}")
            .param(self.id)
            .query_opt(
                "format",
                self.format.map(|f| match f {
                    DetailFormat::Full => "full",
                    DetailFormat::Minimal => "minimal",
                }),
            )
            .query_opt("include", include)
            .rate_class(class::GET)
            .send_json()
            .await
    }
}

// ---------------------------------------------------------------------------------------------
// Transcript, summary, notes, status

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

// ---------------------------------------------------------------------------------------------
// Update

#[derive(Debug, Clone, Default, Serialize)]
struct RecordingChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    participants: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meeting_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_inbox: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_highlighted: Option<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    folder_id: Patch<u64>,
}

/// A `PATCH /recordings/{id}` under construction. Only the fields set are sent; `folder_id` is
/// a [`Patch`]: left out, set, or cleared with `null`. `keep_audio_only` cannot be changed after
/// upload (the server answers 400).
#[derive(Debug, Clone)]
#[must_use = "call .send()"]
pub struct UpdateRecording<'a> {
    client: &'a SpeakrClient,
    id: u64,
    body: RecordingChanges,
}

impl UpdateRecording<'_> {
    /// `title`.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.body.title = Some(title.into());
        self
    }

    /// `participants` (comma separated).
    pub fn participants(mut self, participants: impl Into<String>) -> Self {
        self.body.participants = Some(participants.into());
        self
    }

    /// `notes`.
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.body.notes = Some(notes.into());
        self
    }

    /// `summary`.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.body.summary = Some(summary.into());
        self
    }

    /// `meeting_date` (ISO-8601).
    pub fn meeting_date(mut self, date: impl Into<Timestamp>) -> Self {
        self.body.meeting_date = Some(date.into());
        self
    }

    /// `is_inbox`.
    pub fn inbox(mut self, inbox: bool) -> Self {
        self.body.is_inbox = Some(inbox);
        self
    }

    /// `is_highlighted` (starred).
    pub fn highlighted(mut self, highlighted: bool) -> Self {
        self.body.is_highlighted = Some(highlighted);
        self
    }

    /// `folder_id`: [`Patch::Set`] moves the recording, [`Patch::Null`] takes it out of its
    /// folder, [`Patch::Unchanged`] leaves the key out.
    pub fn folder_id(mut self, folder_id: Patch<u64>) -> Self {
        self.body.folder_id = folder_id;
        self
    }

    /// Move the recording into `folder_id` (`"folder_id": n`).
    pub fn move_to_folder(self, folder_id: u64) -> Self {
        self.folder_id(Patch::Set(folder_id))
    }

    /// Take the recording out of its folder (`"folder_id": null`).
    pub fn remove_from_folder(self) -> Self {
        self.folder_id(Patch::Null)
    }

    /// `PATCH /recordings/{id}`. An update with no field fails with `InvalidRequest` before
    /// sending (the server would answer 400 "No data provided").
    pub async fn send(self) -> Result<UpdatedRecording, Error> {
        let b = &self.body;
        let empty = b.title.is_none()
            && b.participants.is_none()
            && b.notes.is_none()
            && b.summary.is_none()
            && b.meeting_date.is_none()
            && b.is_inbox.is_none()
            && b.is_highlighted.is_none()
            && b.folder_id.is_unchanged();
        let mut request = self
            .client
            .core
            .patch("/recordings/{id}")
            .param(self.id)
            .json(&self.body)
            .rate_class(class::MODIFY);
        if empty {
            request = request.invalid("an update needs at least one field");
        }
        request.send_json().await
    }
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

// ---------------------------------------------------------------------------------------------
// Audio

/// A `GET /recordings/{id}/audio` download. Speakr either sends the file or redirects (302) to
/// a pre-signed storage URL; the redirect is followed **without** the API token. The body is
/// streamed: it never sits whole in memory.
#[derive(Debug, Clone)]
#[must_use = "call .stream(), .write_to() or .save_to()"]
pub struct AudioDownload<'a> {
    client: &'a SpeakrClient,
    id: u64,
    download: Option<bool>,
}

impl AudioDownload<'_> {
    /// `download=true|false`: ask for an attachment rather than an inline stream.
    pub fn download(mut self, download: bool) -> Self {
        self.download = Some(download);
        self
    }

    /// `GET /recordings/{id}/audio`: the response, once its head has arrived (file name and
    /// type in its headers; the observed server sends MP3 bytes under the original `.wav`
    /// name).
    pub async fn stream(self) -> Result<ByteStream, Error> {
        let core = &self.client.core;
        let first = core
            .get("/recordings/{id}/audio")
            .param(self.id)
            .query_opt("download", self.download)
            .rate_class(class::GET)
            .send_stream()
            .await;
        match first {
            Err(e)
                if e.kind() != ErrorKind::Auth
                    && e.status().is_some_and(|s| s.is_redirection()) =>
            {
                match e.redirect_location() {
                    Some(location) => core.get_absolute(location.clone()).send_stream().await,
                    None => Err(e),
                }
            }
            other => other,
        }
    }

    /// `GET /recordings/{id}/audio` into `writer`, chunk by chunk; returns the bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin>(self, writer: &mut W) -> Result<u64, Error> {
        self.stream().await?.write_to(writer).await
    }

    /// `GET /recordings/{id}/audio` into a new file at `path`; returns the bytes written.
    pub async fn save_to(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        self.stream().await?.save_to(path).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_open_and_case_insensitive() {
        let s: RecordingStatus = serde_json::from_str("\"QUEUED\"").unwrap();
        assert_eq!(s, RecordingStatus::Queued);
        let s: RecordingStatus = serde_json::from_str("\"completed\"").unwrap();
        assert_eq!(s, RecordingStatus::Completed);
        let s: RecordingStatus = serde_json::from_str("\"ARCHIVING\"").unwrap();
        assert_eq!(s, RecordingStatus::Unknown("ARCHIVING".into()));
        assert_eq!(s.to_string(), "ARCHIVING");
        assert_eq!(
            serde_json::to_string(&RecordingStatus::Stitching).unwrap(),
            "\"STITCHING\""
        );
    }

    #[test]
    fn error_json_record() {
        let e = TranscriptionError::parse(
            r#"ERROR_JSON:{"t": "Connection Error", "m": "down", "k": true, "d": "refused"}"#,
        )
        .unwrap();
        assert_eq!(e.title.as_deref(), Some("Connection Error"));
        assert_eq!(e.known, Some(true));
        assert!(TranscriptionError::parse("[SPEAKER_00]: hi").is_none());
    }
}
