//! `POST /recordings/upload`: the multipart upload builder.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use client_core::{ErrorKind, Multipart};
use tokio::io::AsyncRead;

use super::{Recording, DEFAULT_UPLOAD_TIMEOUT};
use crate::client::SpeakrClient;
use crate::types::Timestamp;
use crate::Error;

pub(super) enum Source {
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
    pub(super) client: &'a SpeakrClient,
    pub(super) source: Source,
    pub(super) file_name: Option<String>,
    pub(super) content_type: Option<String>,
    pub(super) fields: Vec<(&'static str, String)>,
    pub(super) tag_ids: Vec<u64>,
    pub(super) prompt_variables: Option<BTreeMap<String, String>>,
    pub(super) timeout: Duration,
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
    pub(super) fn new(client: &'a SpeakrClient, source: Source) -> Self {
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

    pub(super) fn field(mut self, name: &'static str, value: impl ToString) -> Self {
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
