//! User settings: automatic summarization.
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! let now = speakr.settings().set_auto_summarization(true).await?;
//! assert!(now.auto_summarization);
//! # Ok(()) }
//! ```

use serde::Deserialize;

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::Error;

/// The answer to `PUT /settings/auto-summarization`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AutoSummarization {
    /// Whether the server reports success.
    #[serde(default)]
    pub success: Option<bool>,
    /// The setting now.
    pub auto_summarization: bool,
}

/// The settings endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    pub(crate) client: &'a SpeakrClient,
}

impl Settings<'_> {
    /// `PUT /settings/auto-summarization` with `{"enabled": …}`.
    pub async fn set_auto_summarization(&self, enabled: bool) -> Result<AutoSummarization, Error> {
        self.client
            .core
            .put("/settings/auto-summarization")
            .json(&serde_json::json!({ "enabled": enabled }))
            .rate_class(rate_classes::MODIFY)
            .send_json()
            .await
    }
}
