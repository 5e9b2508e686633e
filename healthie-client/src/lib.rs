//! Typed async client for Healthie's GraphQL API: appointments with their AI-Scribe
//! transcripts, webhook subscriptions and the delivery log, and verified, typed webhook
//! deliveries.
//!
//! Built on `client_core`: one [`client_core::Error`] type, retries with backoff (queries
//! only; a mutation is never sent twice once it may have reached Healthie), a client-side rate
//! limit (5 requests/s by default), pagination as streams, and tracing.
//!
//! # Quickstart
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use healthie_client::HealthieClient;
//!
//! # async fn run() -> Result<(), client_core::Error> {
//! let healthie = HealthieClient::new(std::env::var("HEALTHIE_API_KEY").unwrap_or_default())?;
//! let mut appointments = healthie
//!     .appointments()
//!     .list()
//!     .filter("past")
//!     .between("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z")
//!     .into_stream();
//! while let Some(appointment) = appointments.try_next().await? {
//!     println!("{} {:?}", appointment.id, appointment.date);
//! }
//! # Ok(()) }
//! ```
//!
//! # The transcript pipeline: webhook → appointment → VTT
//!
//! Healthie's webhooks are thin: they name the resource, not its content. On
//! `appointment.transcript_available`, verify the delivery, fetch the appointment (with its
//! transcripts) and download the VTT from its short-lived URL:
//!
//! ```no_run
//! use healthie_client::webhooks::{verify_and_parse, EventType, Verifier};
//! use healthie_client::HealthieClient;
//!
//! # async fn run(headers: http::HeaderMap, body: bytes::Bytes) -> Result<(), Box<dyn std::error::Error>> {
//! let healthie = HealthieClient::new(std::env::var("HEALTHIE_API_KEY")?)?;
//! // The path and query exactly as registered with Healthie: they are signed.
//! let verifier = Verifier::new([std::env::var("HEALTHIE_WEBHOOK_SECRET")?], "POST", "/hooks/healthie");
//! let delivery = verify_and_parse(&verifier, &headers, &body)?; // signature checked first
//! // Deduplicate on delivery.idempotency_key: Healthie retries for up to three days.
//! if delivery.event.event_type == EventType::AppointmentTranscriptAvailable {
//!     let appointment = healthie.appointments().for_event(&delivery.event)?.send().await?;
//!     for transcript in appointment.transcripts.iter().flatten() {
//!         let vtt = healthie.transcripts().vtt_text(transcript).await?;
//!         println!("{}: {} bytes of VTT", appointment.id, vtt.len());
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! [`webhooks`] also has the open [`webhooks::EventType`] enum of every documented event
//! (the four AI-Scribe ones: `appointment.transcript_available`,
//! `appointment.recording_started`, `appointment.recording_stopped`,
//! `appointment.participant_joined`), and [`webhooks::RecordingTracker`], which follows each
//! appointment from recording started through stopped to transcript available and reports
//! the recording's length and the time to the transcript. With feature `mock`,
//! [`mock::MockHealthie`] is a fake GraphQL endpoint and [`mock_deliveries`] signs and `POST`s
//! deliveries in each signature dialect.
//!
//! # API versions
//!
//! Every request sends `Healthie-GraphQL-API-Version: 2026-01-01` unless configured otherwise
//! ([`ApiVersion`]). That version's collections are connections (`first`/`after`,
//! `page_info`); the unversioned baseline (selectable with [`ApiVersion::Unversioned`])
//! returns lists paged by `offset`/`page_size` and has no transcripts. Each operation has a
//! document for each shape ([`operations::ALL`]), and the streams page the right way.
//!
//! # Errors
//!
//! See [`error`] for how Healthie's `errors[]`, mutation `messages` and HTTP statuses map to
//! [`client_core::ErrorKind`]s. Partial data is never dropped: methods named `send_partial`
//! return the data with its errors.
#![deny(missing_docs)]

pub mod appointments;
mod client;
pub mod error;
pub mod graphql;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "mock")]
pub mod mock_deliveries;
mod paging;
pub mod sent_webhooks;
pub mod transcripts;
pub mod types;
pub mod webhook_management;
pub mod webhooks;

pub use appointments::{Appointment, Appointments, ListAppointments, Transcript};
pub use client::{
    ApiVersion, Environment, HealthieClient, HealthieClientBuilder, Schema,
    DEFAULT_REQUESTS_PER_SECOND, PRODUCTION_ENDPOINT, STAGING_ENDPOINT,
};
pub use graphql::Response;
pub use paging::Listing;
pub use sent_webhooks::SentWebhook;
pub use webhook_management::Webhook;

/// Every GraphQL operation the crate can send, with its documents.
pub mod operations {
    use crate::graphql::Operation;

    pub use crate::appointments::{APPOINTMENT, APPOINTMENTS};
    pub use crate::sent_webhooks::SENT_WEBHOOKS;
    pub use crate::transcripts::DELETE_TRANSCRIPT;
    pub use crate::webhook_management::{
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
