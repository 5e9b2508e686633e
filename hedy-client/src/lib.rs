#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! One module per API resource: [`sessions`], [`highlights`], [`todos`], [`topics`],
//! [`contexts`], [`webhooks_api`] (webhook subscriptions) and [`me`]; [`listing`] holds the
//! cursor listings, [`webhooks`] receives deliveries ([`webhooks::Event`]) and [`error`]
//! decodes Hedy's error bodies. [`HedyClient`] and [`HedyClientBuilder`] make the client
//! ([`Region`], [`RateLimits`] with the classes in [`rate_classes`]); errors are [`Error`]
//! with [`ErrorKind`]; every listing reads as [`Page`]s. With the crate feature `mock`,
//! `mock::MockHedy` is a local fake server answering from the crate's fixtures.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
pub mod contexts;
mod envelope;
pub mod error;
pub mod highlights;
pub mod listing;
pub mod me;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod sessions;
pub mod todos;
pub mod topics;
mod types;
pub mod webhooks;
pub mod webhooks_api;

pub use client::{HedyClient, HedyClientBuilder, Region};
pub use client_core::{
    Error, ErrorKind, Page, Paginator, Quota, RateLimits, Result, RetryBudget, RetryPolicy,
};
pub use types::{Deleted, Extra, Patch, SessionType, Timestamp};

/// The request classes Hedy's documented quotas name, for [`RateLimits::with_class`] and for
/// a limiter set through [`HedyClientBuilder::configure`].
pub mod rate_classes {
    /// `POST /webhooks`: 5 a minute, on top of the overall quota.
    pub const WEBHOOK_CREATE: &str = "webhook_create";
}
