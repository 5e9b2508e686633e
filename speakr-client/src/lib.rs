//! A typed async client for the [Speakr](https://github.com/murtaza-nasir/speakr) REST API v1
//! (self-hosted transcription and meeting notes), and its signed webhooks.
//!
//! Built on `client-core`: one [`Error`] type with a kind and predicates, retries with
//! backoff that never repeat an upload, the documented per-route-class rate limits, streamed
//! uploads and downloads, and paginated listings as streams. It follows what a real Speakr
//! v0.9.4 server does where that differs from the vendor's text, and still accepts the
//! documented form:
//!
//! - a refused token is answered with a `302` to `/login`, not `401`: it becomes an
//!   [`ErrorKind::Auth`] error (redirects are not followed);
//! - statuses are upper case and include `QUEUED` and `STITCHING` ([`recordings::RecordingStatus`]
//!   is open);
//! - timestamps carry no offset ([`Timestamp`] keeps the text and parses on demand);
//! - `job_id` is an integer ([`JobId`] accepts the documented string too);
//! - HTML error pages (429, 405, 500) become errors with their status, never decode failures.
//!
//! # Quickstart
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use speakr_client::recordings::{StatusFilter, TranscriptFormat};
//! use speakr_client::SpeakrClient;
//!
//! # async fn run() -> Result<(), speakr_client::Error> {
//! // The instance's base URL; the client adds /api/v1. Bearer token by default.
//! let speakr = SpeakrClient::new("https://speakr.example.com", "YOUR_TOKEN")?;
//!
//! let stats = speakr.stats().send().await?;
//! println!("{} recordings", stats.recordings.total);
//!
//! // Upload a file (streamed from disk, never retried).
//! let rec = speakr
//!     .recordings()
//!     .upload_file("meeting.mp3")
//!     .title("Weekly sync")
//!     .language("en")
//!     .send()
//!     .await?;
//!
//! // Every completed recording, lazily, page by page.
//! let mut all = speakr.recordings().list().status(StatusFilter::Completed).into_stream();
//! while let Some(r) = all.try_next().await? {
//!     println!("#{} {}", r.id, r.title.as_deref().unwrap_or("(untitled)"));
//! }
//!
//! // One recording and its transcript.
//! let detail = speakr.recordings().get(rec.id).send().await?;
//! let text = speakr.recordings().transcript(rec.id, TranscriptFormat::Text).await?;
//! println!("{}: {}", detail.status, text.content().unwrap_or_default());
//!
//! // Errors are typed.
//! match speakr.recordings().get(999).send().await {
//!     Err(e) if e.is_not_found() => println!("no such recording: {e}"),
//!     Err(e) if e.is_auth() => println!("check the token: {e}"),
//!     other => { other?; }
//! }
//! # Ok(()) }
//! ```
//!
//! Other token placements and settings:
//!
//! ```no_run
//! use std::time::Duration;
//! use speakr_client::{RateLimits, SpeakrClient, TokenPlacement};
//! # fn run() -> Result<(), speakr_client::Error> {
//! let speakr = SpeakrClient::builder("https://speakr.example.com")
//!     .token_in("YOUR_TOKEN", TokenPlacement::Header) // X-API-Token
//!     .configure(|core| core.timeout(Duration::from_secs(60)))
//!     .rate_limits(RateLimits::off())
//!     .build()?;
//! # let _ = speakr; Ok(()) }
//! ```
//!
//! Receiving webhooks: see [`webhooks`] (`verify_and_parse` on the raw body).
//!
//! # Modules
//!
//! One module per API resource: [`stats`], [`users`], [`recordings`], [`tags`], [`speakers`],
//! [`processing`], [`batch`], [`folders`], [`transcription`], [`settings`], [`webhooks_api`]
//! (webhook management) and [`webhooks`] (receiving deliveries). [`error`] decodes Speakr's
//! error bodies. With the `mock` feature, `mock::MockSpeakr` is a local fake server answering
//! from recorded responses.
#![deny(missing_docs)]

pub mod batch;
mod client;
pub mod error;
pub mod folders;
#[cfg(feature = "mock")]
pub mod mock;
pub mod processing;
pub mod recordings;
pub mod settings;
pub mod speakers;
pub mod stats;
pub mod tags;
pub mod transcription;
mod types;
pub mod users;
pub mod webhooks;
pub mod webhooks_api;

pub use client::{RateLimits, SpeakrClient, SpeakrClientBuilder, TokenPlacement};
pub use client_core::{ByteStream, Error, ErrorKind, Quota, Result, RetryBudget, RetryPolicy};
pub use types::{Ack, JobId, Patch, Timestamp};
