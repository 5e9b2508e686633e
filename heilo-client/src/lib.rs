//! A typed async client for [Heilo](https://www.heilo.io)'s public API v1 (version
//! `2026-06-15`): API key introspection, calls, webhook subscriptions, and the signed webhooks
//! Heilo sends.
//!
//! Built on `client-core`: one [`Error`] type with a kind and predicates, retries with
//! full-jitter backoff that honour `Retry-After` and never repeat a `POST`, a client-side
//! quota from the documented limit (1000 requests per hour per key, see [`RateLimits`]), and
//! the paginated call listing as a stream. Webhooks are verified with `webhook-verify`'s Heilo
//! scheme before they are parsed.
//!
//! # Quickstart
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use heilo_client::calls::Direction;
//! use heilo_client::HeiloClient;
//!
//! # async fn run() -> Result<(), heilo_client::Error> {
//! // https://www.heilo.io/api/v1, Authorization: Bearer <key>, 1000 requests/hour.
//! let heilo = HeiloClient::new(std::env::var("HEILO_API_KEY").unwrap_or_default())?;
//!
//! // Connection test: who is this key?
//! let me = heilo.me().await?;
//! println!("key {} scopes {:?}", me.api_key_id, me.scopes);
//!
//! // Every inbound call since June, lazily, page by page.
//! let mut calls = heilo
//!     .calls()
//!     .list()
//!     .direction(Direction::Inbound)
//!     .date_from("2026-06-01")
//!     .limit(100)
//!     .into_stream();
//! while let Some(call) = calls.try_next().await? {
//!     println!("{} {:?} {:?} s", call.call_id, call.caller_phone, call.duration);
//! }
//!
//! // Errors are typed.
//! match heilo.calls().get("3fa85f64-5717-4562-b3fc-2c963f66afa6").await {
//!     Ok(call) => println!("{:?}", call.crm_status),
//!     Err(e) if e.is_not_found() => println!("no such call (or another organization's)"),
//!     Err(e) if e.is_rate_limited() => println!("quota spent, retry in {:?}", e.retry_after()),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! Settings:
//!
//! ```no_run
//! use std::time::Duration;
//! use heilo_client::{HeiloClient, RateLimits};
//! # fn run() -> Result<(), heilo_client::Error> {
//! let heilo = HeiloClient::builder("hk_live_AbC1MnPq...")
//!     .base_url("https://www.heilo.io/api/v1")
//!     .rate_limits(RateLimits::per_hour(1000))
//!     .configure(|core| core.timeout(Duration::from_secs(10)))
//!     .build()?;
//! # let _ = heilo; Ok(()) }
//! ```
//!
//! Receiving webhooks (the primary data source Heilo recommends for a CRM): see [`webhooks`]
//! (`verify_and_parse` on the raw body, the handshake answer, typed events).
//!
//! # Endpoints
//!
//! | route | method | module |
//! |---|---|---|
//! | `GET /me` | [`HeiloClient::me`] | [`me`] |
//! | `GET /calls` | [`calls::Calls::list`] (`send`, `into_stream`) | [`calls`] |
//! | `GET /calls/{id}` | [`calls::Calls::get`] | [`calls`] |
//! | `POST /webhook-subscriptions` | [`webhook_subscriptions::WebhookSubscriptions::create`] | [`webhook_subscriptions`] |
//!
//! **Not implemented, on purpose.** Heilo's reference lists `GET /contacts` and
//! `POST /contacts` only on its roadmap (v1.1+), in-place secret rotation and test keys as
//! planned, and the `write.calls`, `read.contacts`, `write.contacts`, `manage.webhooks` and
//! `manage.api_keys` scopes as reserved for planned endpoints; listing, deleting, testing,
//! reverifying subscriptions and resending deliveries are panel actions with no documented
//! route. Recording files are not exposed by the API. The create-subscription request's URL
//! field and its response shape are not shown in the reference: see
//! [`webhook_subscriptions`] for what this crate assumes.
//!
//! # Modules
//!
//! One module per API resource: [`me`], [`calls`], [`webhook_subscriptions`], plus
//! [`webhooks`] (receiving deliveries) and [`error`] (Heilo's error codes). With the `mock`
//! feature, `mock::MockHeilo` is a local fake server answering from fixtures made from the
//! reference's examples.
#![deny(missing_docs)]

pub mod calls;
mod client;
pub mod error;
pub mod me;
#[cfg(feature = "mock")]
pub mod mock;
mod types;
pub mod webhook_subscriptions;
pub mod webhooks;

pub use client::{
    HeiloClient, HeiloClientBuilder, RateLimits, DEFAULT_BASE_URL, DOCUMENTED_REQUESTS_PER_HOUR,
};
pub use client_core::{Error, ErrorKind, Quota, Result, RetryBudget, RetryPolicy};
pub use types::{Meta, Patch, Timestamp};
