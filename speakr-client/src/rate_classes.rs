//! The request classes of Speakr's documented per-minute quotas. Every request names its class
//! (or none: status polling and creates pay no class quota), so that
//! [`RateLimits::with_class`](crate::RateLimits::with_class) can change one of them; see
//! [`SpeakrClient::documented_rate_limits`](crate::SpeakrClient::documented_rate_limits).

/// `GET /stats` (documented: 60 a minute).
pub const STATS: &str = "stats";
/// Other `GET` endpoints (documented: 100 a minute).
pub const GET: &str = "get";
/// `PATCH`, `PUT` and `DELETE` endpoints (documented: 30 a minute).
pub const MODIFY: &str = "modify";
/// Transcription, summarization, chat and the other LLM-backed operations (documented: 10 a
/// minute).
pub const PROCESSING: &str = "processing";
/// `/recordings/batch…` (documented: 10 a minute).
pub const BATCH: &str = "batch";
