#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! [`HealthieClient`] and [`HealthieClientBuilder`] make the client ([`ApiVersion`],
//! [`Environment`]); [`appointments`] lists and fetches appointments with their
//! [`Transcript`]s, [`transcripts`] downloads the VTT, [`webhooks_api`] and
//! [`sent_webhooks`] manage subscriptions and read the delivery log, [`webhooks`] verifies and
//! parses deliveries ([`webhooks::EventType`], [`webhooks::RecordingTracker`]), [`graphql`] and
//! [`operations`] hold the documents, and [`error`] maps Healthie's errors to
//! [`client_core::ErrorKind`]s. Every listing answers one [`Page`] with `send`, a [`Paginator`]
//! with `paginator` and the items with `into_stream`. With the crate feature `mock`,
//! `mock::MockHealthie` is a fake GraphQL endpoint that also signs and `POST`s deliveries in
//! each dialect.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod appointments;
mod client;
pub mod error;
pub mod graphql;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod paging;
pub mod sent_webhooks;
pub mod transcripts;
pub mod types;
pub mod webhooks;
pub mod webhooks_api;

pub use appointments::{Appointment, Appointments, ListAppointments, Transcript};
pub use client::{
    ApiVersion, Environment, HealthieClient, HealthieClientBuilder, Schema,
    DEFAULT_REQUESTS_PER_SECOND, PRODUCTION_ENDPOINT, STAGING_ENDPOINT,
};
pub use client_core::{
    Error, ErrorKind, Page, Paginator, Quota, RateLimits, Result, RetryBudget, RetryPolicy,
};
pub use graphql::Response;
pub use paging::Listing;
pub use sent_webhooks::SentWebhook;
pub use webhooks_api::Webhook;

/// Every GraphQL operation the crate can send, with its documents.
pub mod operations {
    use crate::graphql::Operation;

    pub use crate::appointments::{APPOINTMENT, APPOINTMENTS};
    pub use crate::sent_webhooks::SENT_WEBHOOKS;
    pub use crate::transcripts::DELETE_TRANSCRIPT;
    pub use crate::webhooks_api::{
        CREATE_WEBHOOK, DELETE_WEBHOOK, EXPIRE_WEBHOOK_SIGNATURE, SEND_TEST_WEBHOOK,
        UPDATE_WEBHOOK, WEBHOOKS,
    };

    /// All of them (the schema tests validate each document against its schema).
    pub static ALL: [&Operation; 10] = [
        &APPOINTMENT,
        &APPOINTMENTS,
        &DELETE_TRANSCRIPT,
        &WEBHOOKS,
        &CREATE_WEBHOOK,
        &UPDATE_WEBHOOK,
        &DELETE_WEBHOOK,
        &SEND_TEST_WEBHOOK,
        &EXPIRE_WEBHOOK_SIGNATURE,
        &SENT_WEBHOOKS,
    ];
}
