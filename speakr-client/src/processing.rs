//! Processing: queue a transcription or a summary with their options, and chat with a
//! recording.
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! use speakr_client::processing::ChatMessage;
//! let job = speakr
//!     .processing()
//!     .transcribe(2)
//!     .language("en")
//!     .transcription_model("large-v3")
//!     .send()
//!     .await?;
//! println!("job {} is {}", job.job_id, job.status);
//! speakr.processing().summarize(2).custom_prompt("Bullet points only").send().await?;
//! let reply = speakr
//!     .processing()
//!     .chat(2, "What were the action items?")
//!     .history([ChatMessage::user("Who attended?"), ChatMessage::assistant("Alice and Bob.")])
//!     .send()
//!     .await?;
//! println!("{}", reply.response);
//! # Ok(()) }
//! ```

use serde::{Deserialize, Serialize};

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::recordings::RecordingStatus;
use crate::types::{null_as_default, open_enum, JobId};
use crate::Error;

/// The answer to a queued job (transcribe, summarize).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct QueuedJob {
    /// Whether the server reports success.
    #[serde(default)]
    pub success: Option<bool>,
    /// The job id (an integer on the real server).
    pub job_id: JobId,
    /// The recording's new state (`QUEUED`).
    pub status: RecordingStatus,
    /// The server's message.
    #[serde(default)]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
struct TranscribeOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_speakers: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_speakers: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hotwords: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    initial_prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transcription_model: Option<String>,
}

/// A `POST /recordings/{id}/transcribe` under construction (every option is optional).
#[derive(Debug, Clone)]
#[must_use = "call .send()"]
pub struct Transcribe<'a> {
    client: &'a SpeakrClient,
    id: u64,
    options: TranscribeOptions,
}

impl Transcribe<'_> {
    /// `language`: an ISO 639-1 hint; an empty string forces detection.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.options.language = Some(language.into());
        self
    }

    /// `min_speakers`.
    pub fn min_speakers(mut self, n: u32) -> Self {
        self.options.min_speakers = Some(n);
        self
    }

    /// `max_speakers`.
    pub fn max_speakers(mut self, n: u32) -> Self {
        self.options.max_speakers = Some(n);
        self
    }

    /// `hotwords`.
    pub fn hotwords(mut self, hotwords: impl Into<String>) -> Self {
        self.options.hotwords = Some(hotwords.into());
        self
    }

    /// `initial_prompt`.
    pub fn initial_prompt(mut self, prompt: impl Into<String>) -> Self {
        self.options.initial_prompt = Some(prompt.into());
        self
    }

    /// `transcription_model` (see [`crate::transcription::TranscriptionInfo::models`]).
    pub fn transcription_model(mut self, model: impl Into<String>) -> Self {
        self.options.transcription_model = Some(model.into());
        self
    }

    /// `POST /recordings/{id}/transcribe` (a JSON body is always sent: the server refuses a
    /// POST without one).
    pub async fn send(self) -> Result<QueuedJob, Error> {
        self.client
            .core
            .post("/recordings/{id}/transcribe")
            .param(self.id)
            .json(&self.options)
            .rate_class(rate_classes::PROCESSING)
            .send_json()
            .await
    }
}

/// A `POST /recordings/{id}/summarize` under construction.
#[derive(Debug, Clone)]
#[must_use = "call .send()"]
pub struct Summarize<'a> {
    client: &'a SpeakrClient,
    id: u64,
    custom_prompt: Option<String>,
}

impl Summarize<'_> {
    /// `custom_prompt`: overrides the tag prompts and the user's default.
    pub fn custom_prompt(mut self, prompt: impl Into<String>) -> Self {
        self.custom_prompt = Some(prompt.into());
        self
    }

    /// `POST /recordings/{id}/summarize` (400 when there is no transcript).
    pub async fn send(self) -> Result<QueuedJob, Error> {
        #[derive(Serialize)]
        struct Body {
            #[serde(skip_serializing_if = "Option::is_none")]
            custom_prompt: Option<String>,
        }
        self.client
            .core
            .post("/recordings/{id}/summarize")
            .param(self.id)
            .json(&Body {
                custom_prompt: self.custom_prompt,
            })
            .rate_class(rate_classes::PROCESSING)
            .send_json()
            .await
    }
}

open_enum! {
    /// Who said a chat message.
    pub enum ChatRole: normalize(|s: &str| s.to_ascii_lowercase()) {
        /// The person asking.
        User = "user",
        /// The model.
        Assistant = "assistant",
        /// A system instruction.
        System = "system",
    }
}

/// One earlier turn of a chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Who said it.
    pub role: ChatRole,
    /// What was said.
    pub content: String,
}

impl ChatMessage {
    /// A user turn.
    pub fn user(content: impl Into<String>) -> Self {
        ChatMessage {
            role: ChatRole::User,
            content: content.into(),
        }
    }

    /// An assistant turn.
    pub fn assistant(content: impl Into<String>) -> Self {
        ChatMessage {
            role: ChatRole::Assistant,
            content: content.into(),
        }
    }
}

/// A `POST /recordings/{id}/chat` under construction.
#[derive(Debug, Clone)]
#[must_use = "call .send()"]
pub struct Chat<'a> {
    client: &'a SpeakrClient,
    id: u64,
    message: String,
    history: Vec<ChatMessage>,
}

impl Chat<'_> {
    /// `conversation_history`: the earlier turns, oldest first.
    pub fn history(mut self, turns: impl IntoIterator<Item = ChatMessage>) -> Self {
        self.history = turns.into_iter().collect();
        self
    }

    /// `POST /recordings/{id}/chat` (503 when no chat model is configured). An empty message
    /// fails with `InvalidRequest` before sending.
    pub async fn send(self) -> Result<ChatReply, Error> {
        #[derive(Serialize)]
        struct Body<'b> {
            message: &'b str,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            conversation_history: &'b [ChatMessage],
        }
        let mut request = self
            .client
            .core
            .post("/recordings/{id}/chat")
            .param(self.id)
            .json(&Body {
                message: &self.message,
                conversation_history: &self.history,
            })
            .rate_class(rate_classes::PROCESSING);
        if self.message.trim().is_empty() {
            request = request.invalid("a chat message cannot be empty");
        }
        request.send_json().await
    }
}

/// The chat answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ChatReply {
    /// The answer (Markdown).
    pub response: String,
    /// Sources the answer used (empty on v0.9.4), kept as sent.
    #[serde(default, deserialize_with = "null_as_default")]
    pub sources: Vec<serde_json::Value>,
}

/// The processing endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Processing<'a> {
    pub(crate) client: &'a SpeakrClient,
}

impl<'a> Processing<'a> {
    /// `POST /recordings/{id}/transcribe`: queue a (re)transcription.
    pub fn transcribe(&self, recording_id: u64) -> Transcribe<'a> {
        Transcribe {
            client: self.client,
            id: recording_id,
            options: TranscribeOptions::default(),
        }
    }

    /// `POST /recordings/{id}/summarize`: queue a summary.
    pub fn summarize(&self, recording_id: u64) -> Summarize<'a> {
        Summarize {
            client: self.client,
            id: recording_id,
            custom_prompt: None,
        }
    }

    /// `POST /recordings/{id}/chat`: ask a question about a recording.
    pub fn chat(&self, recording_id: u64, message: impl Into<String>) -> Chat<'a> {
        Chat {
            client: self.client,
            id: recording_id,
            message: message.into(),
            history: Vec::new(),
        }
    }
}
