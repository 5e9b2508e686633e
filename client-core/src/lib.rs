//! The shared HTTP layer of the meeting and transcript SDKs.
//!
//! Every vendor client (`speakr-client`, …) is a thin typed layer over a [`Client`], which
//! owns:
//! - **auth** ([`Auth`]): bearer, custom header, query token, or a raw `Authorization` value;
//!   secrets never appear in `Debug`, errors or traces;
//! - **one error type** ([`Error`]) with a kind and predicates (`status()`, `is_retryable()`,
//!   `retry_after()`, …); vendors plug in their error-body decoder ([`ErrorDecoder`]);
//! - **retries** ([`RetryPolicy`], [`RetryBudget`]): full-jitter exponential backoff that honours
//!   `Retry-After` (seconds or HTTP-date) and vendor reset headers, a per-client budget, and
//!   never a repeated POST or PATCH that may have reached the server unless marked safe;
//! - **rate limiting** ([`RateLimiter`], [`GcraLimiter`]): per-class and overall quotas; with
//!   the `redis` feature, `RedisLimiter` shares them between processes;
//! - **pagination** ([`Paginator`]): cursor, page-number and offset listings as streams with
//!   prefetch;
//! - **GraphQL** ([`graphql`]): request and response envelopes, `errors[]` kept on the error;
//! - **tracing**: a `request` span per call and an `attempt` span per try, named by route
//!   template (never the filled URL or query, which may carry a token).
//!
//! ```no_run
//! use client_core::{Auth, Client};
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Tag { id: u64, name: String }
//! #[derive(Deserialize)]
//! struct Tags { tags: Vec<Tag> }
//!
//! # async fn run() -> Result<(), client_core::Error> {
//! let client = Client::builder("https://speakr.example.com/api/v1")
//!     .auth(Auth::bearer("token"))
//!     .build()?;
//! let tags: Tags = client.get("/tags").send_json().await?;
//! let tag: Tag = client.get("/tags/{id}").param(7).send_json().await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod auth;
mod client;
pub mod clock;
mod error;
pub mod graphql;
mod model;
mod multipart;
mod pagination;
mod rate_limit;
mod request;
mod response;
mod retry;

pub use auth::Auth;
pub use client::{
    Client, ClientBuilder, Configure, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
};
pub use error::{
    Error, ErrorDecoder, ErrorKind, ErrorResponse, GenericErrorDecoder, Result, VendorError,
    BODY_SNIPPET_LIMIT,
};
pub use model::{null_as_default, Patch, Timestamp};
pub use multipart::Multipart;
pub use pagination::{Page, PageRequest, PageStream, Paginator, Strategy};
pub use rate_limit::{GcraLimiter, GcraLimiterBuilder, Quota, RateLimiter, Unlimited};
#[cfg(feature = "redis")]
pub use rate_limit::{RedisLimiter, RedisLimiterBuilder, DEFAULT_REDIS_TIMEOUT};
pub use request::RequestBuilder;
pub use response::{decode_json, ByteStream, RawResponse};
pub use retry::{
    is_retryable_status, parse_reset, parse_retry_after, ResetFormat, RetryBudget, RetryPolicy,
};

/// Re-exported so that vendor crates and callers name the same versions.
pub use bytes::Bytes;
pub use http::{HeaderMap, Method, StatusCode};
pub use url::Url;

/// Re-exports for the code that [`open_enum!`] generates in other crates. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;

    /// The identity normalization of [`open_enum!`](crate::open_enum).
    pub fn unchanged(s: &str) -> &str {
        s
    }
}
