#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! One module per API resource: [`sessions`], [`highlights`], [`todos`], [`topics`],
//! [`contexts`], [`webhooks_api`] (webhook subscriptions) and [`me`]; [`webhooks`] receives
//! deliveries ([`webhooks::Event`]) and [`error`] decodes Hedy's error bodies. [`HedyClient`]
//! and [`HedyClientBuilder`] make the client ([`Region`], [`RateLimits`]); errors are
//! [`Error`] with [`ErrorKind`]. With the crate feature `mock`, `mock::MockHedy` is a local
//! fake server answering from the crate's fixtures.
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

pub use client::{HedyClient, HedyClientBuilder, RateLimits, Region};
pub use client_core::{Error, ErrorKind, Quota, Result, RetryBudget, RetryPolicy};
pub use types::{Deleted, Extra, ListPage, Pagination, Patch, SessionType, Timestamp};
