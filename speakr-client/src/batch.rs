//! Batch operations on several recordings, with a result per recording.
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! use speakr_client::batch::BatchChanges;
//! let outcome = speakr
//!     .batch()
//!     .update([2, 3, 999], BatchChanges::new().inbox(false).add_tag_ids([2]))
//!     .await?;
//! for item in outcome.results.iter().filter(|r| !r.success) {
//!     println!("#{} failed: {:?}", item.id, item.error);
//! }
//! speakr.batch().transcribe([4]).await?;
//! speakr.batch().delete([3]).await?;
//! # Ok(()) }
//! ```

use client_core::RequestBuilder;
use serde::{Deserialize, Serialize};

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::types::{null_as_default, JobId, Patch};
use crate::Error;

/// The `updates` of a batch update. `folder_id` is a [`Patch`]: left out, set, or `null` to take
/// the recordings out of their folders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BatchChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    is_inbox: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_highlighted: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    add_tag_ids: Vec<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    remove_tag_ids: Vec<u64>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    folder_id: Patch<u64>,
}

impl BatchChanges {
    /// No change yet.
    pub fn new() -> Self {
        BatchChanges::default()
    }

    /// `is_inbox`.
    pub fn inbox(mut self, inbox: bool) -> Self {
        self.is_inbox = Some(inbox);
        self
    }

    /// `is_highlighted`.
    pub fn highlighted(mut self, highlighted: bool) -> Self {
        self.is_highlighted = Some(highlighted);
        self
    }

    /// `add_tag_ids`.
    pub fn add_tag_ids(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.add_tag_ids = ids.into_iter().collect();
        self
    }

    /// `remove_tag_ids`.
    pub fn remove_tag_ids(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.remove_tag_ids = ids.into_iter().collect();
        self
    }

    /// `folder_id`.
    pub fn folder_id(mut self, folder_id: Patch<u64>) -> Self {
        self.folder_id = folder_id;
        self
    }

    fn is_empty(&self) -> bool {
        self == &BatchChanges::default()
    }
}

/// The outcome of a batch call.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BatchOutcome {
    /// Whether the server reports success (true even when some items failed).
    #[serde(default)]
    pub success: Option<bool>,
    /// Recordings updated (update).
    #[serde(default)]
    pub updated: Option<u64>,
    /// Recordings deleted (delete).
    #[serde(default)]
    pub deleted: Option<u64>,
    /// Transcriptions queued (transcribe).
    #[serde(default)]
    pub queued: Option<u64>,
    /// Items that failed.
    #[serde(default)]
    pub failed: u64,
    /// One result per requested id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<BatchItem>,
}

/// The result for one recording.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BatchItem {
    /// The recording id.
    pub id: u64,
    /// Whether this item succeeded.
    #[serde(default)]
    pub success: bool,
    /// Why it failed (`"Not found"`).
    #[serde(default)]
    pub error: Option<String>,
    /// The queued job (transcribe).
    #[serde(default)]
    pub job_id: Option<JobId>,
}

/// The batch endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    pub(crate) client: &'a SpeakrClient,
}

/// A batch request for `ids`, refused before sending when there is none.
fn with_ids(request: RequestBuilder, ids: &[u64]) -> RequestBuilder {
    let request = request.rate_class(rate_classes::BATCH);
    if ids.is_empty() {
        request.invalid("a batch needs at least one recording id")
    } else {
        request
    }
}

impl Batch<'_> {
    /// `PATCH /recordings/batch` with `{recording_ids, updates}`.
    pub async fn update(
        &self,
        recording_ids: impl IntoIterator<Item = u64>,
        changes: BatchChanges,
    ) -> Result<BatchOutcome, Error> {
        let ids: Vec<u64> = recording_ids.into_iter().collect();
        let request = self
            .client
            .core
            .patch("/recordings/batch")
            .json(&serde_json::json!({ "recording_ids": ids, "updates": changes }));
        let mut request = with_ids(request, &ids);
        if changes.is_empty() {
            request = request.invalid("a batch update needs at least one change");
        }
        request.send_json().await
    }

    /// `DELETE /recordings/batch` with `{recording_ids}` (no webhook is sent).
    pub async fn delete(
        &self,
        recording_ids: impl IntoIterator<Item = u64>,
    ) -> Result<BatchOutcome, Error> {
        let ids: Vec<u64> = recording_ids.into_iter().collect();
        let request = self
            .client
            .core
            .delete("/recordings/batch")
            .json(&serde_json::json!({ "recording_ids": ids }));
        with_ids(request, &ids).send_json().await
    }

    /// `POST /recordings/batch/transcribe` with `{recording_ids}`.
    pub async fn transcribe(
        &self,
        recording_ids: impl IntoIterator<Item = u64>,
    ) -> Result<BatchOutcome, Error> {
        let ids: Vec<u64> = recording_ids.into_iter().collect();
        let request = self
            .client
            .core
            .post("/recordings/batch/transcribe")
            .json(&serde_json::json!({ "recording_ids": ids }));
        with_ids(request, &ids).send_json().await
    }
}
