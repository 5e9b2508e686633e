//! Tags: list, create, update, delete, and tags on a recording.
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! use speakr_client::tags::TagFields;
//! let tag = speakr
//!     .tags()
//!     .create(TagFields::named("Interviews").color("#10B981").custom_prompt("Extract qualifications"))
//!     .await?;
//! let added = speakr.tags().add_to_recording(3, [tag.id]).await?;
//! println!("added {} tag(s), errors: {:?}", added.added_tags.len(), added.errors);
//! speakr.tags().remove_from_recording(3, tag.id).await?;
//! # Ok(()) }
//! ```

use client_core::WholeListing;
use serde::{Deserialize, Serialize};

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::recordings::TagRef;
use crate::types::{null_as_default, page_with_extra, Ack};
use crate::Error;

/// A tag.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Tag {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
    /// The colour (`#3B82F6` by default).
    #[serde(default)]
    pub color: Option<String>,
    /// Whether it belongs to a group.
    #[serde(default)]
    pub is_group_tag: Option<bool>,
    /// The group, for a group tag.
    #[serde(default)]
    pub group_id: Option<u64>,
    /// The summary prompt recordings with this tag use.
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
    /// Whether recordings with this tag are kept from automatic deletion.
    #[serde(default)]
    pub protect_from_deletion: Option<bool>,
    /// Whether the caller may edit it (list only).
    #[serde(default)]
    pub can_edit: Option<bool>,
}

/// The fields of a tag to create (`name` required) or update (any subset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TagFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_min_speakers: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_max_speakers: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    protect_from_deletion: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<u64>,
}

impl TagFields {
    /// No field set (for an update).
    pub fn new() -> Self {
        TagFields::default()
    }

    /// A tag named `name` (for a create).
    pub fn named(name: impl Into<String>) -> Self {
        TagFields::new().name(name)
    }

    /// `name`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `color` (`#RRGGBB`).
    pub fn color(mut self, color: impl Into<String>) -> Self {
        self.color = Some(color.into());
        self
    }

    /// `custom_prompt`.
    pub fn custom_prompt(mut self, prompt: impl Into<String>) -> Self {
        self.custom_prompt = Some(prompt.into());
        self
    }

    /// `default_language`.
    pub fn default_language(mut self, language: impl Into<String>) -> Self {
        self.default_language = Some(language.into());
        self
    }

    /// `default_min_speakers`.
    pub fn default_min_speakers(mut self, n: u32) -> Self {
        self.default_min_speakers = Some(n);
        self
    }

    /// `default_max_speakers`.
    pub fn default_max_speakers(mut self, n: u32) -> Self {
        self.default_max_speakers = Some(n);
        self
    }

    /// `protect_from_deletion`.
    pub fn protect_from_deletion(mut self, protect: bool) -> Self {
        self.protect_from_deletion = Some(protect);
        self
    }

    /// `group_id` (create only: a group tag; you must administer the group).
    pub fn group_id(mut self, group_id: u64) -> Self {
        self.group_id = Some(group_id);
        self
    }
}

/// The answer to `POST /recordings/{id}/tags`: unknown tag ids go into `errors` with a 200.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AddedTags {
    /// Whether the server reports success.
    #[serde(default)]
    pub success: Option<bool>,
    /// The tags added.
    #[serde(default, deserialize_with = "null_as_default")]
    pub added_tags: Vec<TagRef>,
    /// One message per tag that could not be added (`"Tag 99 not found"`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub errors: Vec<String>,
}

/// The tags endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Tags<'a> {
    pub(crate) client: &'a SpeakrClient,
}

impl Tags<'_> {
    /// `GET /tags`: personal tags (by name), then group tags, in one response.
    pub fn list(&self) -> WholeListing<Tag> {
        #[derive(Deserialize)]
        struct List {
            #[serde(default, deserialize_with = "null_as_default")]
            tags: Vec<Tag>,
            #[serde(flatten)]
            rest: serde_json::Map<String, serde_json::Value>,
        }
        WholeListing::with_envelope(
            &self.client.core,
            |core| core.get("/tags").rate_class(rate_classes::GET),
            |raw| {
                let list: List = raw.json()?;
                Ok(page_with_extra(list.tags, list.rest))
            },
        )
    }

    /// `POST /tags` (answered 201). `name` is required (checked before sending); a duplicate
    /// name is a 400.
    pub async fn create(&self, tag: TagFields) -> Result<Tag, Error> {
        let mut request = self.client.core.post("/tags").json(&tag);
        if tag.name.as_deref().is_none_or(str::is_empty) {
            request = request.invalid("a tag needs a name");
        }
        request.send_json().await
    }

    /// `PUT /tags/{id}`: change the fields given.
    pub async fn update(&self, id: u64, changes: TagFields) -> Result<Tag, Error> {
        #[derive(Deserialize)]
        struct Updated {
            tag: Tag,
        }
        let updated: Updated = self
            .client
            .core
            .put("/tags/{id}")
            .param(id)
            .json(&changes)
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await?;
        Ok(updated.tag)
    }

    /// `DELETE /tags/{id}`.
    pub async fn delete(&self, id: u64) -> Result<Ack, Error> {
        self.client
            .core
            .delete("/tags/{id}")
            .param(id)
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await
    }

    /// `POST /recordings/{id}/tags` with `{"tag_ids": [...]}`. At least one id is needed.
    pub async fn add_to_recording(
        &self,
        recording_id: u64,
        tag_ids: impl IntoIterator<Item = u64>,
    ) -> Result<AddedTags, Error> {
        let tag_ids: Vec<u64> = tag_ids.into_iter().collect();
        let mut request = self
            .client
            .core
            .post("/recordings/{id}/tags")
            .param(recording_id)
            .json(&serde_json::json!({ "tag_ids": tag_ids }));
        if tag_ids.is_empty() {
            request = request.invalid("add at least one tag");
        }
        request.send_json().await
    }

    /// `DELETE /recordings/{id}/tags/{tag_id}` (404 when the tag is not on the recording).
    pub async fn remove_from_recording(
        &self,
        recording_id: u64,
        tag_id: u64,
    ) -> Result<Ack, Error> {
        self.client
            .core
            .delete("/recordings/{id}/tags/{tag_id}")
            .param(recording_id)
            .param(tag_id)
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await
    }
}
