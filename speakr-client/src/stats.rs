//! `GET /stats`: dashboard statistics (the gethomepage.dev widget endpoint).
//!
//! ```no_run
//! # async fn run(speakr: speakr_client::SpeakrClient) -> Result<(), speakr_client::Error> {
//! use speakr_client::stats::StatsScope;
//! let mine = speakr.stats().send().await?;
//! println!("{} recordings, {} used", mine.recordings.total, mine.storage.used_human);
//! let all = speakr.stats().scope(StatsScope::All).send().await?; // admin only
//! println!("{:?} users", all.users.map(|u| u.total));
//! # Ok(()) }
//! ```

use serde::Deserialize;

use crate::client::SpeakrClient;
use crate::rate_classes;
use crate::types::Timestamp;
use crate::Error;

/// Whose statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatsScope {
    /// The token owner's (the default).
    #[default]
    User,
    /// The whole instance (admin tokens only; others get 403).
    All,
}

impl StatsScope {
    fn as_str(self) -> &'static str {
        match self {
            StatsScope::User => "user",
            StatsScope::All => "all",
        }
    }
}

/// A `GET /stats` request.
#[derive(Debug)]
#[must_use = "call .send()"]
pub struct GetStats<'a> {
    client: &'a SpeakrClient,
    scope: Option<StatsScope>,
}

impl<'a> GetStats<'a> {
    pub(crate) fn new(client: &'a SpeakrClient) -> Self {
        GetStats {
            client,
            scope: None,
        }
    }

    /// `scope=user|all` (left out by default, which the server reads as `user`).
    pub fn scope(mut self, scope: StatsScope) -> Self {
        self.scope = Some(scope);
        self
    }

    /// `GET /stats`.
    pub async fn send(self) -> Result<Stats, Error> {
        self.client
            .core
            .get("/stats")
            .query_opt("scope", self.scope.map(StatsScope::as_str))
            .rate_class(rate_classes::STATS)
            .send_json()
            .await
    }
}

/// The statistics.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Stats {
    /// Recording counts by state.
    #[serde(default)]
    pub recordings: RecordingCounts,
    /// Storage used.
    #[serde(default)]
    pub storage: Storage,
    /// The job queue.
    #[serde(default)]
    pub queue: Queue,
    /// LLM token usage this month.
    #[serde(default)]
    pub tokens: Tokens,
    /// Transcription usage this month.
    #[serde(default)]
    pub transcription: TranscriptionUsage,
    /// Recent activity.
    #[serde(default)]
    pub activity: Activity,
    /// User counts (only with [`StatsScope::All`]).
    #[serde(default)]
    pub users: Option<UserCounts>,
}

/// Recording counts. `total` also counts `QUEUED` recordings, which are in no bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RecordingCounts {
    /// All recordings.
    #[serde(default)]
    pub total: u64,
    /// Completed.
    #[serde(default)]
    pub completed: u64,
    /// Processing or summarizing.
    #[serde(default)]
    pub processing: u64,
    /// Pending.
    #[serde(default)]
    pub pending: u64,
    /// Failed.
    #[serde(default)]
    pub failed: u64,
}

/// Storage used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Storage {
    /// Bytes stored.
    #[serde(default)]
    pub used_bytes: u64,
    /// The same, for people (`"98.1 KB"`).
    #[serde(default)]
    pub used_human: String,
}

/// The job queue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Queue {
    /// Jobs waiting.
    #[serde(default)]
    pub jobs_queued: u64,
    /// Jobs running.
    #[serde(default)]
    pub jobs_processing: u64,
}

/// LLM token usage this month.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Tokens {
    /// Tokens used.
    #[serde(default)]
    pub used_this_month: Option<u64>,
    /// The monthly budget, when one is set.
    #[serde(default)]
    pub budget: Option<u64>,
    /// Percentage of the budget used, when there is one.
    #[serde(default)]
    pub percentage: Option<f64>,
}

/// Transcription usage this month. Numbers are `f64`: the server sends `0` or `0.0`
/// depending on the scope.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct TranscriptionUsage {
    /// Seconds transcribed.
    #[serde(default)]
    pub used_this_month_seconds: Option<f64>,
    /// Minutes transcribed.
    #[serde(default)]
    pub used_this_month_minutes: Option<f64>,
    /// Budget in seconds, when one is set.
    #[serde(default)]
    pub budget_seconds: Option<f64>,
    /// Budget in minutes, when one is set.
    #[serde(default)]
    pub budget_minutes: Option<f64>,
    /// Percentage of the budget used, when there is one.
    #[serde(default)]
    pub percentage: Option<f64>,
    /// Estimated cost.
    #[serde(default)]
    pub estimated_cost: Option<f64>,
}

/// Recent activity.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Activity {
    /// Recordings created today.
    #[serde(default)]
    pub recordings_today: u64,
    /// When the last transcription finished.
    #[serde(default)]
    pub last_transcription: Option<Timestamp>,
}

/// User counts (scope `all`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UserCounts {
    /// All users.
    #[serde(default)]
    pub total: u64,
    /// Active users.
    #[serde(default)]
    pub active: u64,
}
