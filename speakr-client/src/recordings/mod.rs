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

mod download;
mod list;
mod models;
mod requests;
mod upload;

pub use download::AudioDownload;
pub use list::{FolderFilter, ListRecordings, SortBy, SortOrder, StatusFilter};
pub use models::*;
pub use requests::{DetailFormat, GetRecording, Include, UpdateRecording};
pub use upload::UploadRecording;

use list::ListParams;
use requests::RecordingChanges;
use upload::Source;

use std::path::Path;
use std::time::Duration;

use client_core::{Client, ErrorKind};
use serde::Deserialize;
use tokio::io::AsyncRead;

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::types::{null_as_default, Ack};
use crate::Error;

/// The time an upload may take unless [`UploadRecording::timeout`] says otherwise.
pub const DEFAULT_UPLOAD_TIMEOUT: Duration = Duration::from_secs(3600);

/// The documented bounds of `per_page`.
pub const PER_PAGE_RANGE: std::ops::RangeInclusive<u32> = 1..=100;

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
            .rate_class(rate_classes::GET)
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
            .rate_class(rate_classes::GET)
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
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await
    }

    /// `GET /recordings/{id}/notes`.
    pub async fn notes(&self, id: u64) -> Result<Notes, Error> {
        self.core()
            .get("/recordings/{id}/notes")
            .param(id)
            .rate_class(rate_classes::GET)
            .send_json()
            .await
    }

    /// `PUT /recordings/{id}/notes`: replace the notes (no webhook is sent).
    pub async fn replace_notes(&self, id: u64, notes: impl Into<String>) -> Result<Notes, Error> {
        self.core()
            .put("/recordings/{id}/notes")
            .param(id)
            .json(&serde_json::json!({ "notes": notes.into() }))
            .rate_class(rate_classes::MODIFY)
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
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await
    }

    /// `POST /recordings/{id}/regenerate_title`: ask the LLM for a new title (undocumented
    /// route, observed on v0.9.4).
    pub async fn regenerate_title(&self, id: u64) -> Result<RegeneratedTitle, Error> {
        self.core()
            .post("/recordings/{id}/regenerate_title")
            .param(id)
            .rate_class(rate_classes::PROCESSING)
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
            .rate_class(rate_classes::GET)
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
            .rate_class(rate_classes::GET)
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
