//! `GET /transcription`: the active transcription connector, what it honours, and the models
//! a request may pick.
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! let info = speakr.transcription().info().await?;
//! println!("connector {:?}, hotwords: {}", info.connector, info.capabilities.hotwords);
//! for model in &info.models {
//!     println!("{} ({})", model.value, model.label.as_deref().unwrap_or(""));
//! }
//! # Ok(()) }
//! ```

use serde::Deserialize;

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::types::null_as_default;
use crate::Error;

/// The transcription connector.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct TranscriptionInfo {
    /// The connector (`asr_endpoint`, `openai_transcribe`, …); `None` with the legacy setup.
    #[serde(default)]
    pub connector: Option<String>,
    /// Which optional request fields it honours.
    #[serde(default)]
    pub capabilities: Capabilities,
    /// The models a request may name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub models: Vec<Model>,
    /// The model used when none is named.
    #[serde(default)]
    pub default_model: Option<String>,
}

/// What the connector supports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Capabilities {
    /// Speaker separation.
    #[serde(default)]
    pub diarization: bool,
    /// `min_speakers`/`max_speakers`.
    #[serde(default)]
    pub speaker_count_control: bool,
    /// `hotwords`.
    #[serde(default)]
    pub hotwords: bool,
    /// `initial_prompt`.
    #[serde(default)]
    pub initial_prompt: bool,
    /// Segment timestamps.
    #[serde(default)]
    pub timestamps: bool,
    /// Language detection.
    #[serde(default)]
    pub language_detection: bool,
    /// Long-file chunking.
    #[serde(default)]
    pub chunking: bool,
}

/// A selectable model.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Model {
    /// The value to send as `transcription_model`.
    pub value: String,
    /// A label for people.
    #[serde(default)]
    pub label: Option<String>,
}

/// The transcription endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Transcription<'a> {
    pub(crate) client: &'a SpeakrClient,
}

impl Transcription<'_> {
    /// `GET /transcription` (observed answering an HTML 500 on some setups: an `Http` error
    /// with status 500).
    pub async fn info(&self) -> Result<TranscriptionInfo, Error> {
        self.client
            .core
            .get("/transcription")
            .rate_class(rate_classes::GET)
            .send_json()
            .await
    }
}
