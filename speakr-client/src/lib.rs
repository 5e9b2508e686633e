#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! One module per API resource: [`stats`], [`users`], [`recordings`], [`tags`], [`speakers`],
//! [`processing`], [`batch`], [`folders`], [`transcription`], [`settings`], [`webhooks_api`]
//! (webhook management) and [`webhooks`] (receiving deliveries). [`error`] decodes Speakr's
//! error bodies. [`SpeakrClient`] and [`SpeakrClientBuilder`] make the client
//! ([`TokenPlacement`], [`RateLimits`] starting from
//! [`SpeakrClient::documented_rate_limits`], with the classes of [`rate_classes`]); errors are
//! [`Error`] with [`ErrorKind`]. Listings answer a [`Page`] and walk with a [`Paginator`]. With
//! the crate feature `mock`, `mock::MockSpeakr` is a local fake server answering from recorded
//! responses.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod batch;
mod client;
pub mod error;
pub mod folders;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod processing;
pub mod rate_classes;
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

pub use client::{SpeakrClient, SpeakrClientBuilder, TokenPlacement};
pub use client_core::{
    ByteStream, Error, ErrorKind, Page, Paginator, Quota, RateLimits, Result, RetryBudget,
    RetryPolicy, WholeListing,
};
pub use types::{Ack, JobId, Patch, Timestamp};
