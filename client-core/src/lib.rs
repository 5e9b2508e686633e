#![doc = include_str!("../README.md")]
//!
//! # Where things are
//!
//! [`Client`] and [`ClientBuilder`] (transport settings, [`Configure`] for vendor builders),
//! [`Auth`], [`Error`] with [`ErrorKind`] and [`ErrorDecoder`], [`RequestBuilder`] (one call:
//! path parameters, query, body, retry safety), [`RetryPolicy`] and [`RetryBudget`],
//! [`RateLimiter`] with [`GcraLimiter`], [`Quota`] and [`RateLimits`] (and `RedisLimiter` with
//! the feature `redis`), [`Paginator`], [`Page`] and [`Strategy`], [`WholeListing`] for
//! listings answered in one response, [`PageNumberQuery`] for listings paged by page number,
//! [`vendor`] for what every vendor client's builder shares
//! (and, with the feature `mock`, `mock` for their fake servers),
//! [`Multipart`] uploads, [`ByteStream`] downloads, [`graphql`] envelopes, [`clock`] for tests,
//! and [`TlsBackend`] / [`TLS_BACKEND`] for the TLS features.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod client;
pub mod clock;
mod error;
pub mod graphql;
mod listing;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod model;
mod multipart;
mod pagination;
mod rate_limit;
mod request;
mod response;
mod retry;
mod tls;
pub mod vendor;

pub use auth::Auth;
pub use client::{
    Client, ClientBuilder, Configure, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_SIZE,
    DEFAULT_REQUEST_TIMEOUT,
};
pub use error::{
    Error, ErrorDecoder, ErrorKind, ErrorResponse, GenericErrorDecoder, Result, VendorError,
    BODY_SNIPPET_LIMIT,
};
pub use listing::{PageNumberQuery, WholeListing};
pub use model::{null_as_default, Patch, Timestamp};
pub use multipart::Multipart;
pub use pagination::{
    ConflictingEnd, Page, PageRequest, PageStream, Paginator, Strategy, DEFAULT_MAX_PAGES,
};
pub use rate_limit::{
    ExemptRoutes, GcraLimiter, GcraLimiterBuilder, Quota, RateLimiter, RateLimits, Unlimited,
};
#[cfg(feature = "redis")]
pub use rate_limit::{RedisLimiter, RedisLimiterBuilder, DEFAULT_REDIS_TIMEOUT};
pub use request::RequestBuilder;
pub use response::{decode_json, ByteStream, RawResponse};
pub use retry::{
    is_retryable_status, parse_reset, parse_retry_after, ResetFormat, RetryBudget, RetryPolicy,
};
pub use tls::{TlsBackend, TLS_BACKEND};
pub use vendor::{Vendor, VendorSettings};

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
