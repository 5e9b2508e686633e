//! `GET /users/me`: the token owner's profile, preferences and groups.
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! let me = speakr.users().me().await?;
//! println!("{} (admin: {})", me.username, me.is_admin);
//! # Ok(()) }
//! ```

use serde::Deserialize;

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::types::Timestamp;
use crate::Error;

/// The users endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Users<'a> {
    pub(crate) client: &'a SpeakrClient,
}

impl Users<'_> {
    /// `GET /users/me`.
    pub async fn me(&self) -> Result<User, Error> {
        self.client
            .core
            .get("/users/me")
            .rate_class(rate_classes::GET)
            .send_json()
            .await
    }
}

/// The current user.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct User {
    /// The user id.
    pub id: u64,
    /// The login name.
    pub username: String,
    /// The e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// The display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The job title.
    #[serde(default)]
    pub job_title: Option<String>,
    /// The company.
    #[serde(default)]
    pub company: Option<String>,
    /// Whether the user is an administrator.
    #[serde(default)]
    pub is_admin: bool,
    /// Whether the e-mail address is verified.
    #[serde(default)]
    pub email_verified: Option<bool>,
    /// The single-sign-on provider, if any.
    #[serde(default)]
    pub sso_provider: Option<String>,
    /// Whether the user may share recordings publicly.
    #[serde(default)]
    pub can_share_publicly: Option<bool>,
    /// Preferences.
    #[serde(default)]
    pub preferences: Preferences,
    /// Group memberships.
    #[serde(default)]
    pub group_memberships: Vec<GroupMembership>,
}

/// The user's preferences.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Preferences {
    /// UI language.
    #[serde(default)]
    pub ui_language: Option<String>,
    /// Default transcription language.
    #[serde(default)]
    pub transcription_language: Option<String>,
    /// Output language of summaries.
    #[serde(default)]
    pub output_language: Option<String>,
    /// Whether calendar events are extracted.
    #[serde(default)]
    pub extract_events: Option<bool>,
    /// Whether speakers are labelled automatically.
    #[serde(default)]
    pub auto_speaker_labelling: Option<bool>,
    /// The automatic labelling threshold.
    #[serde(default)]
    pub auto_speaker_labelling_threshold: Option<Threshold>,
    /// Whether recordings are summarized automatically.
    #[serde(default)]
    pub auto_summarization: Option<bool>,
    /// Whether the simple view shows timestamps.
    #[serde(default)]
    pub show_timestamps_simple_view: Option<bool>,
    /// Whether the editor saves automatically.
    #[serde(default)]
    pub editor_autosave: Option<bool>,
    /// Whether transcription separates speakers.
    #[serde(default)]
    pub diarize: Option<bool>,
}

/// The speaker-labelling threshold: a level name on the real server (`"medium"`), a number in
/// the docs (`0.75`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Threshold {
    /// A named level.
    Level(String),
    /// A numeric similarity.
    Number(f64),
}

/// A group the user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct GroupMembership {
    /// The group id.
    pub group_id: u64,
    /// The group name.
    #[serde(default)]
    pub group_name: Option<String>,
    /// The user's role (`admin`, `member`).
    #[serde(default)]
    pub role: Option<String>,
    /// When the user joined.
    #[serde(default)]
    pub joined_at: Option<Timestamp>,
}
