//! Folders (off by default on a Speakr server: then the list is empty and create, update and
//! delete answer 403, which [`crate::error::is_feature_disabled`] recognises).
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! use speakr_client::error::is_feature_disabled;
//! use speakr_client::folders::FolderFields;
//! match speakr.folders().create(FolderFields::named("Client Calls").color("#10B981")).await {
//!     Ok(folder) => println!("folder #{}", folder.id),
//!     Err(e) if is_feature_disabled(&e) => println!("folders are turned off on this server"),
//!     Err(e) => return Err(e),
//! }
//! for folder in speakr.folders().list().send().await?.items {
//!     println!("{} ({:?} recordings)", folder.name, folder.recording_count);
//! }
//! # Ok(()) }
//! ```

use client_core::WholeListing;
use serde::{Deserialize, Serialize};

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::types::{Ack, Patch, Timestamp};
use crate::Error;

/// A folder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Folder {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
    /// The colour.
    #[serde(default)]
    pub color: Option<String>,
    /// The group, for a group folder.
    #[serde(default)]
    pub group_id: Option<u64>,
    /// Whether it belongs to a group.
    #[serde(default)]
    pub is_group_folder: Option<bool>,
    /// The group's name.
    #[serde(default)]
    pub group_name: Option<String>,
    /// The summary prompt of its recordings.
    #[serde(default)]
    pub custom_prompt: Option<String>,
    /// Default transcription language.
    #[serde(default)]
    pub default_language: Option<String>,
    /// Default minimum speaker count.
    #[serde(default)]
    pub default_min_speakers: Option<u32>,
    /// Default maximum speaker count.
    #[serde(default)]
    pub default_max_speakers: Option<u32>,
    /// Default hotwords.
    #[serde(default)]
    pub default_hotwords: Option<String>,
    /// Default initial prompt.
    #[serde(default)]
    pub default_initial_prompt: Option<String>,
    /// Default transcription model.
    #[serde(default)]
    pub default_transcription_model: Option<String>,
    /// Whether its recordings are kept from automatic deletion.
    #[serde(default)]
    pub protect_from_deletion: Option<bool>,
    /// Retention in days (`-1`: protected).
    #[serde(default)]
    pub retention_days: Option<i64>,
    /// Share recordings with the group when filed.
    #[serde(default)]
    pub auto_share_on_apply: Option<bool>,
    /// Share with the group lead.
    #[serde(default)]
    pub share_with_group_lead: Option<bool>,
    /// Naming template.
    #[serde(default)]
    pub naming_template_id: Option<u64>,
    /// Naming template name.
    #[serde(default)]
    pub naming_template_name: Option<String>,
    /// Export template.
    #[serde(default)]
    pub export_template_id: Option<u64>,
    /// Export template name.
    #[serde(default)]
    pub export_template_name: Option<String>,
    /// When it was created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Recordings in it.
    #[serde(default)]
    pub recording_count: Option<u64>,
    /// Whether the caller may edit it (list and get).
    #[serde(default)]
    pub can_edit: Option<bool>,
    /// The caller's role in the folder's group (list).
    #[serde(default)]
    pub user_role: Option<String>,
}

/// The fields of a folder to create (`name` required) or update (any subset). Fields that can
/// be cleared are [`Patch`]es.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FolderFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<u64>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    custom_prompt: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    default_language: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    default_min_speakers: Patch<u32>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    default_max_speakers: Patch<u32>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    default_hotwords: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    default_initial_prompt: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    default_transcription_model: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    retention_days: Patch<i64>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    naming_template_id: Patch<u64>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    export_template_id: Patch<u64>,
}

impl FolderFields {
    /// No field set (for an update).
    pub fn new() -> Self {
        FolderFields::default()
    }

    /// A folder named `name` (for a create).
    pub fn named(name: impl Into<String>) -> Self {
        FolderFields::new().name(name)
    }

    /// `name`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `color`.
    pub fn color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }

    /// `group_id` (create: a group folder; you must administer the group).
    pub fn group_id(mut self, group_id: u64) -> Self {
        self.group_id = Some(group_id);
        self
    }

    /// `custom_prompt`.
    pub fn custom_prompt(mut self, prompt: impl Into<Patch<String>>) -> Self {
        self.custom_prompt = prompt.into();
        self
    }

    /// `default_language`.
    pub fn default_language(mut self, language: impl Into<Patch<String>>) -> Self {
        self.default_language = language.into();
        self
    }

    /// `default_min_speakers`.
    pub fn default_min_speakers(mut self, n: impl Into<Patch<u32>>) -> Self {
        self.default_min_speakers = n.into();
        self
    }

    /// `default_max_speakers`.
    pub fn default_max_speakers(mut self, n: impl Into<Patch<u32>>) -> Self {
        self.default_max_speakers = n.into();
        self
    }

    /// `default_hotwords`.
    pub fn default_hotwords(mut self, hotwords: impl Into<Patch<String>>) -> Self {
        self.default_hotwords = hotwords.into();
        self
    }

    /// `default_initial_prompt`.
    pub fn default_initial_prompt(mut self, prompt: impl Into<Patch<String>>) -> Self {
        self.default_initial_prompt = prompt.into();
        self
    }

    /// `default_transcription_model`.
    pub fn default_transcription_model(mut self, model: impl Into<Patch<String>>) -> Self {
        self.default_transcription_model = model.into();
        self
    }

    /// `retention_days` (`-1` protects the folder's recordings from automatic deletion).
    pub fn retention_days(mut self, days: impl Into<Patch<i64>>) -> Self {
        self.retention_days = days.into();
        self
    }

    /// `naming_template_id`.
    pub fn naming_template_id(mut self, id: impl Into<Patch<u64>>) -> Self {
        self.naming_template_id = id.into();
        self
    }

    /// `export_template_id`.
    pub fn export_template_id(mut self, id: impl Into<Patch<u64>>) -> Self {
        self.export_template_id = id.into();
        self
    }
}

/// The folders endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Folders<'a> {
    pub(crate) client: &'a SpeakrClient,
}

impl Folders<'_> {
    /// `GET /folders`: a bare JSON array, in one response (empty when folders are turned off).
    pub fn list(&self) -> WholeListing<Folder> {
        WholeListing::new(
            &self.client.core,
            |core| core.get("/folders").rate_class(rate_classes::GET),
            |raw| raw.json(),
        )
    }

    /// `GET /folders/{id}`.
    pub async fn get(&self, id: u64) -> Result<Folder, Error> {
        self.client
            .core
            .get("/folders/{id}")
            .param(id)
            .rate_class(rate_classes::GET)
            .send_json()
            .await
    }

    /// `POST /folders` (answered 201; 403 `feature_disabled` when folders are off). `name` is
    /// required (checked before sending).
    pub async fn create(&self, folder: FolderFields) -> Result<Folder, Error> {
        let mut request = self.client.core.post("/folders").json(&folder);
        if folder.name.as_deref().is_none_or(str::is_empty) {
            request = request.invalid("a folder needs a name");
        }
        request.send_json().await
    }

    /// `PUT /folders/{id}`: change the fields given (the others stay as they are).
    ///
    /// The server treats `PUT` and `PATCH` on this route alike (a partial update); the client
    /// sends `PUT` because setting fields to given values can be repeated safely, so an update
    /// whose answer was lost (a timeout, a 5xx) is retried like a `GET`. A `PATCH` would not be.
    pub async fn update(&self, id: u64, changes: FolderFields) -> Result<Folder, Error> {
        self.client
            .core
            .put("/folders/{id}")
            .param(id)
            .json(&changes)
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await
    }

    /// `DELETE /folders/{id}`: its recordings become unfiled, not deleted.
    pub async fn delete(&self, id: u64) -> Result<Ack, Error> {
        self.client
            .core
            .delete("/folders/{id}")
            .param(id)
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await
    }
}
