//! `GET /recordings/{id}` and `PATCH /recordings/{id}`: the detail and update builders.

use serde::Serialize;

use super::{Recording, UpdatedRecording};
use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::types::{Patch, Timestamp};
use crate::Error;

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
    pub(super) fn as_str(self) -> &'static str {
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
    pub(super) client: &'a SpeakrClient,
    pub(super) id: u64,
    pub(super) format: Option<DetailFormat>,
    pub(super) include: Option<Vec<Include>>,
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
            .rate_class(rate_classes::GET)
            .send_json()
            .await
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct RecordingChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) participants: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) meeting_date: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) is_inbox: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) is_highlighted: Option<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    pub(super) folder_id: Patch<u64>,
}

/// A `PATCH /recordings/{id}` under construction. Only the fields set are sent; `folder_id` is
/// a [`Patch`]: left out, set, or cleared with `null`. `keep_audio_only` cannot be changed after
/// upload (the server answers 400).
#[derive(Debug, Clone)]
#[must_use = "call .send()"]
pub struct UpdateRecording<'a> {
    pub(super) client: &'a SpeakrClient,
    pub(super) id: u64,
    pub(super) body: RecordingChanges,
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
            .rate_class(rate_classes::MODIFY);
        if empty {
            request = request.invalid("an update needs at least one field");
        }
        request.send_json().await
    }
}
