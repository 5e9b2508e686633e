//! Typed async client for the Healthie API.
//!
//! This crate has no public API yet: its endpoints are not implemented. It is part of the
//! workspace so that its name and place are fixed; do not depend on it yet.
#![deny(missing_docs)]

pub mod webhooks;

#[cfg(feature = "mock")]
pub mod mock_deliveries;
