//! Speakers: the saved speaker profiles, and the speakers of one recording with voice-based
//! suggestions, assignment and LLM identification.
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! use speakr_client::speakers::SpeakerAssignment;
//! let in_recording = speakr.speakers().for_recording(1).await?;
//! for s in &in_recording.speakers {
//!     println!("{} ({} segments)", s.label, s.segment_count.unwrap_or(0));
//! }
//! let assignment = SpeakerAssignment::new()
//!     .name("SPEAKER_00", "Alice")
//!     .me("SPEAKER_01", "Bob")
//!     .regenerate_summary(true);
//! speakr.speakers().assign(1, assignment).await?;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;

use client_core::WholeListing;
use serde::{Deserialize, Serialize};

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::recordings::RecordingStatus;
use crate::types::{null_as_default, page_with_extra, Ack, Timestamp};
use crate::Error;

/// A saved speaker.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Speaker {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
    /// How many recordings use it.
    #[serde(default)]
    pub use_count: Option<u64>,
    /// When it was last used.
    #[serde(default)]
    pub last_used: Option<Timestamp>,
    /// Voice-match confidence.
    #[serde(default)]
    pub confidence_score: Option<f64>,
    /// Whether a voice profile exists.
    #[serde(default)]
    pub has_voice_profile: Option<bool>,
    /// When it was created (create only).
    #[serde(default)]
    pub created_at: Option<Timestamp>,
}

/// The speakers of a recording, with suggestions per label.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct RecordingSpeakers {
    /// One entry per diarization label.
    #[serde(default, deserialize_with = "null_as_default")]
    pub speakers: Vec<RecordingSpeaker>,
    /// Saved speakers whose voice resembles each label.
    #[serde(default, deserialize_with = "null_as_default")]
    pub suggestions: BTreeMap<String, Vec<SpeakerSuggestion>>,
}

/// A label in a recording.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RecordingSpeaker {
    /// The label (`SPEAKER_00`).
    pub label: String,
    /// The identified name (observed always `null` on v0.9.4).
    #[serde(default)]
    pub identified_name: Option<String>,
    /// The matched speaker (observed always `null` on v0.9.4).
    #[serde(default)]
    pub speaker_id: Option<u64>,
    /// How many segments carry the label.
    #[serde(default)]
    pub segment_count: Option<u64>,
}

/// A voice-based suggestion.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct SpeakerSuggestion {
    /// The saved speaker.
    pub speaker_id: u64,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Similarity in percent.
    #[serde(default)]
    pub similarity: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
enum Assigned {
    Name(String),
    Detailed {
        name: String,
        #[serde(rename = "isMe")]
        is_me: bool,
    },
}

/// The body of `PUT /recordings/{id}/speakers/assign`: a name for each label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SpeakerAssignment {
    speaker_map: BTreeMap<String, Assigned>,
    #[serde(skip_serializing_if = "Option::is_none")]
    regenerate_summary: Option<bool>,
}

impl SpeakerAssignment {
    /// An empty assignment.
    pub fn new() -> Self {
        SpeakerAssignment::default()
    }

    /// `"LABEL": "name"`.
    pub fn name(mut self, label: impl Into<String>, name: impl Into<String>) -> Self {
        self.speaker_map
            .insert(label.into(), Assigned::Name(name.into()));
        self
    }

    /// `"LABEL": {"name": …, "isMe": true}`: this label is the token owner.
    pub fn me(mut self, label: impl Into<String>, name: impl Into<String>) -> Self {
        self.speaker_map.insert(
            label.into(),
            Assigned::Detailed {
                name: name.into(),
                is_me: true,
            },
        );
        self
    }

    /// `"LABEL": {"name": …, "isMe": is_me}`.
    pub fn detailed(
        mut self,
        label: impl Into<String>,
        name: impl Into<String>,
        is_me: bool,
    ) -> Self {
        self.speaker_map.insert(
            label.into(),
            Assigned::Detailed {
                name: name.into(),
                is_me,
            },
        );
        self
    }

    /// `regenerate_summary`: summarize again with the new names.
    pub fn regenerate_summary(mut self, regenerate: bool) -> Self {
        self.regenerate_summary = Some(regenerate);
        self
    }
}

/// The answer to an assignment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct AssignedSpeakers {
    /// Whether the server reports success.
    #[serde(default)]
    pub success: Option<bool>,
    /// The server's message.
    #[serde(default)]
    pub message: Option<String>,
    /// The recording after the change.
    #[serde(default)]
    pub recording: Option<AssignedRecording>,
    /// Whether a new summary was queued.
    #[serde(default)]
    pub summary_queued: Option<bool>,
    /// Voice embeddings updated.
    #[serde(default)]
    pub embeddings_updated: Option<u64>,
    /// Voice snippets saved.
    #[serde(default)]
    pub snippets_created: Option<u64>,
}

/// The recording part of [`AssignedSpeakers`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AssignedRecording {
    /// The id.
    pub id: u64,
    /// The title.
    #[serde(default)]
    pub title: Option<String>,
    /// The participants after the change.
    #[serde(default)]
    pub participants: Option<String>,
    /// The state.
    #[serde(default)]
    pub status: Option<RecordingStatus>,
}

/// The answer to `POST /recordings/{id}/speakers/identify`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct IdentifiedSpeakers {
    /// Whether the server reports success.
    #[serde(default)]
    pub success: Option<bool>,
    /// The name proposed for each label.
    #[serde(default, deserialize_with = "null_as_default")]
    pub speaker_map: BTreeMap<String, String>,
}

/// The speakers endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Speakers<'a> {
    pub(crate) client: &'a SpeakrClient,
}

impl Speakers<'_> {
    /// `GET /speakers`: the saved speakers, in one response.
    pub fn list(&self) -> WholeListing<Speaker> {
        #[derive(Deserialize)]
        struct List {
            #[serde(default, deserialize_with = "null_as_default")]
            speakers: Vec<Speaker>,
            #[serde(flatten)]
            rest: serde_json::Map<String, serde_json::Value>,
        }
        WholeListing::with_envelope(
            &self.client.core,
            |core| core.get("/speakers").rate_class(rate_classes::GET),
            |raw| {
                let list: List = raw.json()?;
                Ok(page_with_extra(list.speakers, list.rest))
            },
        )
    }

    /// `POST /speakers` (answered 201).
    pub async fn create(&self, name: impl Into<String>) -> Result<Speaker, Error> {
        self.client
            .core
            .post("/speakers")
            .json(&serde_json::json!({ "name": name.into() }))
            .send_json()
            .await
    }

    /// `PUT /speakers/{id}`: rename (cascades to every recording).
    pub async fn update(&self, id: u64, name: impl Into<String>) -> Result<Speaker, Error> {
        #[derive(Deserialize)]
        struct Updated {
            speaker: Speaker,
        }
        let updated: Updated = self
            .client
            .core
            .put("/speakers/{id}")
            .param(id)
            .json(&serde_json::json!({ "name": name.into() }))
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await?;
        Ok(updated.speaker)
    }

    /// `DELETE /speakers/{id}`.
    pub async fn delete(&self, id: u64) -> Result<Ack, Error> {
        self.client
            .core
            .delete("/speakers/{id}")
            .param(id)
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await
    }

    /// `GET /recordings/{id}/speakers`: labels with voice-based suggestions.
    pub async fn for_recording(&self, recording_id: u64) -> Result<RecordingSpeakers, Error> {
        self.client
            .core
            .get("/recordings/{id}/speakers")
            .param(recording_id)
            .rate_class(rate_classes::GET)
            .send_json()
            .await
    }

    /// `PUT /recordings/{id}/speakers/assign`.
    pub async fn assign(
        &self,
        recording_id: u64,
        assignment: SpeakerAssignment,
    ) -> Result<AssignedSpeakers, Error> {
        self.client
            .core
            .put("/recordings/{id}/speakers/assign")
            .param(recording_id)
            .json(&assignment)
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await
    }

    /// `POST /recordings/{id}/speakers/identify`: ask the LLM to name the labels (503 when no
    /// LLM is configured).
    pub async fn identify(&self, recording_id: u64) -> Result<IdentifiedSpeakers, Error> {
        self.client
            .core
            .post("/recordings/{id}/speakers/identify")
            .param(recording_id)
            .rate_class(rate_classes::PROCESSING)
            .send_json()
            .await
    }
}
