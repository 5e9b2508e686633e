//! Webhook deliveries (interim: replaced by the full module).

use client_core::open_enum;

open_enum! {
    /// A webhook event type.
    pub enum EventType {
        /// `appointment.created`.
        AppointmentCreated = "appointment.created",
        /// `appointment.updated`.
        AppointmentUpdated = "appointment.updated",
        /// `appointment.transcript_available`.
        AppointmentTranscriptAvailable = "appointment.transcript_available",
    }
}

impl EventType {
    /// The `WebhookEventType` enum value.
    pub fn graphql_name(&self) -> String {
        self.as_str().replace('.', "_").to_ascii_uppercase()
    }

    /// From a `WebhookEventType` enum value.
    pub fn from_graphql_name(name: &str) -> Self {
        EventType::KNOWN
            .iter()
            .find(|e| e.graphql_name() == name)
            .cloned()
            .unwrap_or_else(|| EventType::Unknown(name.to_owned()))
    }
}
