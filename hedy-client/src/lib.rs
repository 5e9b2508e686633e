//! A typed async client for the [Hedy](https://hedy.ai) meeting-assistant REST API, and its
//! signed webhooks.
//!
//! Built on `client-core`: one [`Error`] type with a kind and predicates, retries with backoff
//! that never repeat a create, Hedy's documented quota (200 requests a minute, 5 webhook
//! creations a minute) enforced client-side, and cursor listings as streams. Hedy's wire
//! format is irregular, and this crate follows what its live-tested integrations show where
//! that differs from the prose docs:
//!
//! - paths sit at the root of `https://api.hedy.bot` (or `https://eu-api.hedy.bot`), with no
//!   `/v1`;
//! - responses come wrapped (`{"success": true, "data": …}`), bare, as bare arrays, or nested
//!   (`{"data": {"sessions": [...], "pagination": …}}`), and sources disagree per endpoint:
//!   every form is accepted, and a body that fits none fails as a `Decode` error with the JSON
//!   path of the mismatch;
//! - JSON keys are mixed camelCase and snake_case (`sessionId` next to `session_type`), mapped
//!   field by field;
//! - `duration`'s unit is disputed (seconds or minutes: kept as sent), `dueDate` is free
//!   text ("Next week"), and timestamps are kept as text ([`Timestamp`] parses on demand);
//! - enums are open (`Unknown(String)` keeps new values) and unknown fields are kept in each
//!   model's `extra` map;
//! - webhook bodies arrive flat or wrapped; both parse into one typed [`webhooks::Event`].
//!
//! # Quickstart
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use hedy_client::topics::NewTopic;
//! use hedy_client::HedyClient;
//!
//! # async fn run() -> Result<(), hedy_client::Error> {
//! // US region, bearer API key, 200 requests/min preset.
//! let hedy = HedyClient::new(std::env::var("HEDY_API_KEY").unwrap_or_default())?;
//!
//! // One page of sessions, then every session lazily (cursor `pagination.next` → `after`).
//! let first = hedy.sessions().list().limit(50).send().await?;
//! println!("{} sessions on the first page", first.items.len());
//! let mut all = hedy.sessions().list().into_stream();
//! while let Some(session) = all.try_next().await? {
//!     println!("{} {}", session.session_id, session.title.as_deref().unwrap_or(""));
//! }
//!
//! // The full session with its highlights.
//! let session = hedy.sessions().get("sess_7Qm2xK9aL0").await?;
//! for h in session.highlights.iter().flatten() {
//!     println!("{:?}: {:?}", h.title, h.main_idea);
//! }
//!
//! // Create a topic (bounds checked before sending; never sent twice).
//! let topic = hedy.topics().create(NewTopic::new("Sales").color("#4A90D9")).await?;
//! println!("created {}", topic.id);
//!
//! // Errors are typed, with Hedy's code kept.
//! match hedy.sessions().get("sess_missing").await {
//!     Err(e) if e.is_not_found() => println!("no such session ({:?})", e.vendor_code()),
//!     Err(e) if e.is_rate_limited() => println!("over the quota: {e}"),
//!     other => { other?; }
//! }
//! # Ok(()) }
//! ```
//!
//! The EU region, other transport settings and rate limits:
//!
//! ```no_run
//! use std::time::Duration;
//! use hedy_client::{HedyClient, RateLimits, Region, RetryPolicy};
//! # fn run() -> Result<(), hedy_client::Error> {
//! let hedy = HedyClient::builder("hedy_live_…")
//!     .region(Region::Eu)
//!     .configure(|core| {
//!         core.timeout(Duration::from_secs(60)).retry_policy(RetryPolicy {
//!             // Hedy's 429 carries no Retry-After; its advice is to wait ~30 s.
//!             base_delay: Duration::from_secs(30),
//!             ..RetryPolicy::default()
//!         })
//!     })
//!     .rate_limits(RateLimits::off())
//!     .build()?;
//! # let _ = hedy; Ok(()) }
//! ```
//!
//! Receiving webhooks: see [`webhooks`] (`verify_and_parse` on the raw body).
//!
//! # Modules
//!
//! One module per API resource: [`sessions`], [`highlights`], [`todos`], [`topics`],
//! [`contexts`], [`webhooks_api`] (webhook subscriptions) and [`me`]; [`webhooks`] receives
//! deliveries and [`error`] decodes Hedy's error bodies. With the `mock` feature,
//! `mock::MockHedy` is a local fake server answering from the crate's fixtures.
#![deny(missing_docs)]

mod client;
pub mod contexts;
mod envelope;
pub mod error;
pub mod highlights;
pub mod listing;
pub mod me;
#[cfg(feature = "mock")]
pub mod mock;
pub mod sessions;
pub mod todos;
pub mod topics;
mod types;
pub mod webhooks;
pub mod webhooks_api;

pub use client::{HedyClient, HedyClientBuilder, RateLimits, Region};
pub use client_core::{Error, ErrorKind, Quota, Result, RetryBudget, RetryPolicy};
pub use types::{Deleted, Extra, ListPage, Pagination, Patch, SessionType, Timestamp};
