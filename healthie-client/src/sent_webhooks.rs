//! The delivery log: `sentWebhooks`, every delivery Healthie attempted in the last 180 days,
//! with the HTTP status your endpoint answered.

use client_core::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};

use crate::client::{HealthieClient, Schema};
use crate::graphql::{Operation, OperationKind};
use crate::paging::{Collection, Listing};
use crate::types::WebhookOrder;
use crate::webhooks::{event_type_from_wire, EventType};

/// `query SentWebhooks`: one page of the delivery log.
pub static SENT_WEBHOOKS: Operation = Operation {
    name: "SentWebhooks",
    kind: OperationKind::Query,
    connections: concat!(
        "query SentWebhooks($keywords: String, $order_by: SentWebhookOrderKeys, ",
        "$sent_after: ISO8601DateTime, $sent_before: ISO8601DateTime, $resource_id: ID, ",
        "$resource_type: SentWebhookResourceType, $failed: Boolean, $first: Int, $after: String) { ",
        "sentWebhooks(keywords: $keywords, order_by: $order_by, sent_after: $sent_after, ",
        "sent_before: $sent_before, resource_id: $resource_id, resource_type: $resource_type, ",
        "failed: $failed, first: $first, after: $after) { ",
        "total_count page_info { end_cursor has_next_page has_previous_page start_cursor } ",
        "nodes { id created_at event_type http_response_status resource_id resource_id_type url webhook_id } } }"
    ),
    baseline: Some(concat!(
        "query SentWebhooks($keywords: String, $order_by: SentWebhookOrderKeys, $offset: Int, $page_size: Int) { ",
        "sentWebhooks(keywords: $keywords, order_by: $order_by, offset: $offset, page_size: $page_size) { ",
        "id created_at event_type http_response_status resource_id resource_id_type url webhook_id } }"
    )),
};

/// The `sentWebhooks` collection.
pub(crate) static SENT_WEBHOOK_COLLECTION: Collection = Collection {
    operation: &SENT_WEBHOOKS,
    field: "sentWebhooks",
    should_paginate: false,
};

/// `SentWebhook`: one delivery attempt.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct SentWebhook {
    /// The id.
    pub id: String,
    /// When it was sent.
    pub created_at: Timestamp,
    /// The event delivered.
    #[serde(default, deserialize_with = "event_type")]
    pub event_type: Option<EventType>,
    /// The HTTP status your endpoint answered, as Healthie records it (`"200"`).
    #[serde(default)]
    pub http_response_status: Option<String>,
    /// The id of the resource the event is about.
    #[serde(default)]
    pub resource_id: Option<String>,
    /// Its type (`Appointment`, …).
    #[serde(default)]
    pub resource_id_type: Option<String>,
    /// Where it was sent.
    #[serde(default)]
    pub url: Option<String>,
    /// The subscription it was sent for.
    #[serde(default)]
    pub webhook_id: Option<String>,
}

impl SentWebhook {
    /// Whether the endpoint answered 2xx; `None` when no status was recorded or it is not a
    /// number.
    pub fn succeeded(&self) -> Option<bool> {
        let status: u16 = self.http_response_status.as_deref()?.trim().parse().ok()?;
        Some((200..300).contains(&status))
    }
}

fn event_type<'de, D: Deserializer<'de>>(d: D) -> Result<Option<EventType>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(|raw| event_type_from_wire(&raw)))
}

/// The filters of `query SentWebhooks`, set through [`ListSentWebhooks`]' methods.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SentWebhookFilters {
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_by: Option<WebhookOrder>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sent_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sent_before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failed: Option<bool>,
}

/// A pending `query SentWebhooks` (see [`Listing`] for paging, `send`, `paginator` and
/// `into_stream`).
pub type ListSentWebhooks = Listing<SentWebhook, SentWebhookFilters>;

/// Delivery-log operations (see [`HealthieClient::sent_webhooks`]).
#[derive(Debug, Clone, Copy)]
pub struct SentWebhooks<'a> {
    pub(crate) client: &'a HealthieClient,
}

impl SentWebhooks<'_> {
    /// The log: `query SentWebhooks` (`sentWebhooks(...)`), newest first unless ordered
    /// otherwise.
    pub fn list(self) -> ListSentWebhooks {
        Listing::new(
            self.client,
            &SENT_WEBHOOK_COLLECTION,
            SentWebhookFilters::default(),
            50,
            |item: &SentWebhook| item.id.as_str(),
        )
    }
}

/// `AcceptedInsurancePlan` → `ACCEPTED_INSURANCE_PLAN`; an enum value stays as it is.
fn resource_type_value(name: &str) -> String {
    let mut value = String::with_capacity(name.len() + 4);
    let mut previous: Option<char> = None;
    for c in name.trim().chars() {
        if c.is_ascii_uppercase()
            && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
        {
            value.push('_');
        }
        value.push(c.to_ascii_uppercase());
        previous = Some(c);
    }
    value
}

impl Listing<SentWebhook, SentWebhookFilters> {
    fn needs_connections(mut self, filter: &str) -> Self {
        if self.client.inner.version.schema() == Schema::Baseline {
            self.error = Some(format!(
                "the `{filter}` filter of sentWebhooks needs API version 2026-01-01"
            ));
        }
        self
    }

    /// Keyword search (`keywords`).
    pub fn keywords(mut self, keywords: impl Into<String>) -> Self {
        self.filters.keywords = Some(keywords.into());
        self
    }

    /// The order (`order_by`).
    pub fn order_by(mut self, order: WebhookOrder) -> Self {
        self.filters.order_by = Some(order);
        self
    }

    /// Deliveries sent on or after `start` and on or before `end` (`sent_after`,
    /// `sent_before`; ISO 8601 date-times). `2026-01-01` only.
    pub fn sent_between(mut self, start: impl Into<String>, end: impl Into<String>) -> Self {
        self.filters.sent_after = Some(start.into());
        self.filters.sent_before = Some(end.into());
        self.needs_connections("sent_after")
    }

    /// Deliveries sent on or after `start` (`sent_after`). `2026-01-01` only.
    pub fn sent_after(mut self, start: impl Into<String>) -> Self {
        self.filters.sent_after = Some(start.into());
        self.needs_connections("sent_after")
    }

    /// Deliveries about one resource (`resource_id`). `2026-01-01` only.
    pub fn resource_id(mut self, id: impl Into<String>) -> Self {
        self.filters.resource_id = Some(id.into());
        self.needs_connections("resource_id")
    }

    /// Deliveries about one type of resource (`resource_type`), named as deliveries name it
    /// (`Appointment`) or as the `SentWebhookResourceType` value (`APPOINTMENT`).
    /// `2026-01-01` only.
    pub fn resource_type(mut self, resource: &str) -> Self {
        self.filters.resource_type = Some(resource_type_value(resource));
        self.needs_connections("resource_type")
    }

    /// Only deliveries your endpoint did not answer with 2xx (`failed: true`). `2026-01-01`
    /// only.
    pub fn failed_only(mut self) -> Self {
        self.filters.failed = Some(true);
        self.needs_connections("failed")
    }
}

#[cfg(test)]
mod tests {
    use super::resource_type_value;

    #[test]
    fn resource_types_become_enum_values() {
        assert_eq!(resource_type_value("Appointment"), "APPOINTMENT");
        assert_eq!(
            resource_type_value("AcceptedInsurancePlan"),
            "ACCEPTED_INSURANCE_PLAN"
        );
        assert_eq!(
            resource_type_value("ALLERGY_SENSITIVITY"),
            "ALLERGY_SENSITIVITY"
        );
    }
}
