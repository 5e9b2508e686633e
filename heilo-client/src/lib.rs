#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! One module per API resource: [`me`] ([`HeiloClient::me`]), [`calls`]
//! ([`calls::Calls::list`], [`calls::Calls::get`]), [`webhooks_api`]
//! ([`webhooks_api::Webhooks::create`]), plus [`webhooks`] (receiving deliveries) and
//! [`error`] (Heilo's error codes). [`HeiloClient`] and [`HeiloClientBuilder`] make the client
//! ([`HeiloClient::documented_rate_limits`] are its default [`RateLimits`]); listings answer
//! [`Page`]s and [`Paginator`]s; errors are [`Error`] with [`ErrorKind`]. With the crate
//! feature `mock`, `mock::MockHeilo` is a local fake server answering from fixtures made from
//! the reference's examples.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod calls;
mod client;
pub mod error;
pub mod me;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod types;
pub mod webhooks;
pub mod webhooks_api;

pub use client::{HeiloClient, HeiloClientBuilder, DEFAULT_BASE_URL, DOCUMENTED_REQUESTS_PER_HOUR};
pub use client_core::{
    Error, ErrorKind, Page, Paginator, Quota, RateLimits, Result, RetryBudget, RetryPolicy,
};
pub use types::{Meta, Patch, Timestamp};
