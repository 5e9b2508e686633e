#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! One module per API resource: [`stats`], [`users`], [`recordings`], [`tags`], [`speakers`],
//! [`processing`], [`batch`], [`folders`], [`transcription`], [`settings`], [`webhooks_api`]
//! (webhook management) and [`webhooks`] (receiving deliveries). [`error`] decodes Speakr's
//! error bodies. [`SpeakrClient`] and [`SpeakrClientBuilder`] make the client
//! ([`TokenPlacement`], [`RateLimits`]); errors are [`Error`] with [`ErrorKind`]. With the
//! crate feature `mock`, `mock::MockSpeakr` is a local fake server answering from recorded
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
