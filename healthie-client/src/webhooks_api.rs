//! Webhook subscriptions: the `webhooks` collection and the `createWebhook`, `updateWebhook`,
//! `deleteWebhook`, `sendTestWebhook` and `expireWebhookSignature` mutations.
//!
//! Event types are [`EventType`]s in both API shapes: `2026-01-01` sends and returns them as
//! `WebhookEventType` enum values (`APPOINTMENT_CREATED`), the baseline as the delivery's
//! dotted string (`appointment.created`); the crate converts both ways.

use client_core::{Error, ErrorKind, Timestamp};
use serde::{Deserialize, Deserializer, Serialize};

use crate::client::{HealthieClient, Schema};
use crate::graphql::{Operation, OperationKind};
use crate::paging::{Collection, Listing};
use crate::types::{null_as_default, WebhookOrder};
use crate::webhooks::{event_type_from_wire, EventType};

/// The selection of a `Webhook`.
macro_rules! webhook_fields {
    () => {
        "id event_type is_enabled should_retry signature_secret url warned_at \
         webhook_events { id event_type created_at updated_at first_failed_at last_failed_at retry_count }"
    };
}

/// The selection of a mutation payload that returns a webhook.
macro_rules! webhook_payload {
    () => {
        concat!(
            "{ messages { field message } webhook { ",
            webhook_fields!(),
            " } }"
        )
    };
}

/// `query Webhooks`: one page of the subscriptions.
pub static WEBHOOKS: Operation = Operation {
    name: "Webhooks",
    kind: OperationKind::Query,
    connections: concat!(
        "query Webhooks($keywords: String, $order_by: WebhookOrderKeys, $first: Int, $after: String) { ",
        "webhooks(keywords: $keywords, order_by: $order_by, first: $first, after: $after) { ",
        "total_count page_info { end_cursor has_next_page has_previous_page start_cursor } ",
        "nodes { ",
        webhook_fields!(),
        " } } }"
    ),
    baseline: Some(concat!(
        "query Webhooks($keywords: String, $order_by: WebhookOrderKeys, $offset: Int, $page_size: Int) { ",
        "webhooks(keywords: $keywords, order_by: $order_by, offset: $offset, page_size: $page_size) { ",
        webhook_fields!(),
        " } }"
    )),
};

/// `mutation CreateWebhook`.
pub static CREATE_WEBHOOK: Operation = Operation {
    name: "CreateWebhook",
    kind: OperationKind::Mutation,
    connections: concat!(
        "mutation CreateWebhook($input: createWebhookInput) { createWebhook(input: $input) ",
        webhook_payload!(),
        " }"
    ),
    baseline: Some(concat!(
        "mutation CreateWebhook($input: createWebhookInput) { createWebhook(input: $input) ",
        webhook_payload!(),
        " }"
    )),
};

/// `mutation UpdateWebhook`.
pub static UPDATE_WEBHOOK: Operation = Operation {
    name: "UpdateWebhook",
    kind: OperationKind::Mutation,
    connections: concat!(
        "mutation UpdateWebhook($input: updateWebhookInput) { updateWebhook(input: $input) ",
        webhook_payload!(),
        " }"
    ),
    baseline: Some(concat!(
        "mutation UpdateWebhook($input: updateWebhookInput) { updateWebhook(input: $input) ",
        webhook_payload!(),
        " }"
    )),
};

/// `mutation DeleteWebhook`.
pub static DELETE_WEBHOOK: Operation = Operation {
    name: "DeleteWebhook",
    kind: OperationKind::Mutation,
    connections: concat!(
        "mutation DeleteWebhook($input: deleteWebhookInput) { deleteWebhook(input: $input) ",
        webhook_payload!(),
        " }"
    ),
    baseline: Some(concat!(
        "mutation DeleteWebhook($input: deleteWebhookInput) { deleteWebhook(input: $input) ",
        webhook_payload!(),
        " }"
    )),
};

/// `mutation SendTestWebhook`.
pub static SEND_TEST_WEBHOOK: Operation = Operation {
    name: "SendTestWebhook",
    kind: OperationKind::Mutation,
    connections: "mutation SendTestWebhook($input: sendTestWebhookInput) { \
                  sendTestWebhook(input: $input) { messages { field message } sent } }",
    baseline: Some(
        "mutation SendTestWebhook($input: sendTestWebhookInput) { \
         sendTestWebhook(input: $input) { messages { field message } sent } }",
    ),
};

/// `mutation ExpireWebhookSignature`.
pub static EXPIRE_WEBHOOK_SIGNATURE: Operation = Operation {
    name: "ExpireWebhookSignature",
    kind: OperationKind::Mutation,
    connections: concat!(
        "mutation ExpireWebhookSignature($input: expireWebhookSignatureInput) { ",
        "expireWebhookSignature(input: $input) ",
        webhook_payload!(),
        " }"
    ),
    baseline: Some(concat!(
        "mutation ExpireWebhookSignature($input: expireWebhookSignatureInput) { ",
        "expireWebhookSignature(input: $input) ",
        webhook_payload!(),
        " }"
    )),
};

/// An event type as `schema` takes it in inputs.
pub(crate) fn event_type_to_wire(event: &EventType, schema: Schema) -> String {
    match schema {
        Schema::Connections => event.graphql_name().to_string(),
        Schema::Baseline => event.as_str().to_owned(),
    }
}

fn deserialize_event_type<'de, D: Deserializer<'de>>(d: D) -> Result<Option<EventType>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(|raw| event_type_from_wire(&raw)))
}

fn deserialize_required_event_type<'de, D: Deserializer<'de>>(d: D) -> Result<EventType, D::Error> {
    Ok(event_type_from_wire(&String::deserialize(d)?))
}

/// A webhook's signing secret (`signature_secret`): `webhook_verify::SigningSecret`, the type
/// every vendor crate shares. `Debug` never shows it; a [`crate::webhooks::Verifier`] takes it
/// directly (`Verifier::new(&secret, "POST", path)`) or from [`SigningSecret::expose`].
pub use webhook_verify::SigningSecret;

/// `Webhook`: one subscription.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Webhook {
    /// The id.
    pub id: String,
    /// The single event of the older one-event form (newer subscriptions list
    /// [`Webhook::webhook_events`]).
    #[serde(default, deserialize_with = "deserialize_event_type")]
    pub event_type: Option<EventType>,
    /// Whether deliveries are sent.
    pub is_enabled: bool,
    /// Whether failed deliveries are retried (for about three days).
    pub should_retry: bool,
    /// The signing secret.
    #[serde(default)]
    pub signature_secret: Option<SigningSecret>,
    /// Where deliveries go.
    #[serde(default)]
    pub url: Option<String>,
    /// When Healthie warned that deliveries are failing.
    #[serde(default)]
    pub warned_at: Option<Timestamp>,
    /// The events subscribed to.
    #[serde(default, deserialize_with = "null_as_default")]
    pub webhook_events: Vec<WebhookEvent>,
}

impl Webhook {
    /// Every event type this subscription delivers (`event_type` and `webhook_events`).
    pub fn event_types(&self) -> Vec<EventType> {
        let mut all: Vec<EventType> = self.event_type.iter().cloned().collect();
        for event in &self.webhook_events {
            if !all.contains(&event.event_type) {
                all.push(event.event_type.clone());
            }
        }
        all
    }
}

/// `WebhookEvent`: one event of a subscription, with its failure record.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The id (pass it to [`UpdateWebhook::events`] to keep the event).
    pub id: String,
    /// The event type.
    #[serde(deserialize_with = "deserialize_required_event_type")]
    pub event_type: EventType,
    /// When it was added.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// When it was last changed.
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// When deliveries first failed.
    #[serde(default)]
    pub first_failed_at: Option<Timestamp>,
    /// When deliveries last failed.
    #[serde(default)]
    pub last_failed_at: Option<Timestamp>,
    /// Retries so far.
    #[serde(default)]
    pub retry_count: Option<i64>,
}

/// Webhook operations (see [`HealthieClient::webhooks`]).
#[derive(Debug, Clone, Copy)]
pub struct Webhooks<'a> {
    pub(crate) client: &'a HealthieClient,
}

/// One event of a subscription input: an event type, and the id of an existing event to keep.
#[derive(Debug, Clone, Serialize)]
struct EventInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    event_type: String,
}

/// The fields of `createWebhookInput` / `updateWebhookInput`.
#[derive(Debug, Clone, Default, Serialize)]
struct WebhookInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    should_retry: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_events: Option<Vec<EventInput>>,
}

#[derive(Debug, Deserialize)]
struct WebhookPayload {
    #[serde(default)]
    webhook: Option<Webhook>,
}

impl WebhookPayload {
    fn webhook(self, operation: &str) -> Result<Webhook, Error> {
        self.webhook.ok_or_else(|| {
            Error::new(
                ErrorKind::Decode,
                format!("`{operation}` returned no webhook"),
            )
        })
    }
}

#[derive(Debug, Serialize)]
struct IdInput<'a> {
    id: &'a str,
}

/// The webhook a `createWebhook` or `updateWebhook` returned together with `errors[]`: the
/// mutation ran, so the subscription (with its `signature_secret`) may exist although the call
/// failed. Look here before creating it again. `None` when the error carries no webhook.
pub fn webhook_in_error(error: &Error) -> Option<Webhook> {
    match error.partial_data_as::<WebhookPayload>()? {
        Ok(payload) => payload.webhook,
        Err(_) => None,
    }
}

fn check_id(id: &str) -> Result<(), Error> {
    if id.trim().is_empty() {
        Err(Error::new(
            ErrorKind::InvalidRequest,
            "the webhook id is empty",
        ))
    } else {
        Ok(())
    }
}

impl<'a> Webhooks<'a> {
    /// The subscriptions: `query Webhooks` (`webhooks(...)`), one page with
    /// [`Listing::send`], the pages with [`Listing::paginator`] or every subscription with
    /// [`Listing::into_stream`].
    pub fn list(self) -> ListWebhooks {
        Listing::new(
            self.client,
            &WEBHOOK_COLLECTION,
            WebhookFilters::default(),
            20,
            |item: &Webhook| item.id.as_str(),
        )
    }

    /// Subscribe `url` to `events`: `mutation CreateWebhook` (`createWebhook(input:)`), with
    /// retries of failed deliveries on. Sent once, never retried once it may have reached
    /// Healthie. The answer carries the new subscription's `signature_secret`. When Healthie
    /// answers with the created webhook **and** `errors[]`, the call fails but the webhook is
    /// kept on the error: [`webhook_in_error`] returns it (and `is_retryable()` is `false`).
    pub fn create<E>(self, url: impl Into<String>, events: E) -> CreateWebhook<'a>
    where
        E: IntoIterator<Item = EventType>,
    {
        CreateWebhook {
            client: self.client,
            url: url.into(),
            events: events.into_iter().collect(),
            is_enabled: None,
            should_retry: Some(true),
        }
    }

    /// Change a subscription: `mutation UpdateWebhook` (`updateWebhook(input:)`). Only what
    /// is set on the builder is sent.
    pub fn update(self, id: impl Into<String>) -> UpdateWebhook<'a> {
        UpdateWebhook {
            client: self.client,
            input: WebhookInput {
                id: Some(id.into()),
                ..WebhookInput::default()
            },
            events: None,
        }
    }

    /// Delete a subscription: `mutation DeleteWebhook` (`deleteWebhook(input: {id})`);
    /// returns it as it was.
    pub async fn delete(self, id: &str) -> Result<Webhook, Error> {
        check_id(id)?;
        let payload: WebhookPayload = self
            .client
            .mutate(&DELETE_WEBHOOK, "deleteWebhook", &IdInput { id })
            .await?;
        payload.webhook("deleteWebhook")
    }

    /// Ask Healthie to send a test delivery to the subscription's URL: `mutation
    /// SendTestWebhook` (`sendTestWebhook(input: {id})`). `Ok(true)` when it was sent.
    pub async fn send_test(self, id: &str) -> Result<bool, Error> {
        check_id(id)?;
        #[derive(Deserialize)]
        struct Sent {
            sent: bool,
        }
        let sent: Sent = self
            .client
            .mutate(&SEND_TEST_WEBHOOK, "sendTestWebhook", &IdInput { id })
            .await?;
        Ok(sent.sent)
    }

    /// Rotate the signing secret: `mutation ExpireWebhookSignature`
    /// (`expireWebhookSignature(input: {id})`). The returned webhook carries the new secret;
    /// keep the old one in the verifier until deliveries signed with it have drained.
    pub async fn expire_signature(self, id: &str) -> Result<Webhook, Error> {
        check_id(id)?;
        let payload: WebhookPayload = self
            .client
            .mutate(
                &EXPIRE_WEBHOOK_SIGNATURE,
                "expireWebhookSignature",
                &IdInput { id },
            )
            .await?;
        payload.webhook("expireWebhookSignature")
    }
}

/// A pending `mutation CreateWebhook`.
#[derive(Debug)]
pub struct CreateWebhook<'a> {
    client: &'a HealthieClient,
    url: String,
    events: Vec<EventType>,
    is_enabled: Option<bool>,
    should_retry: Option<bool>,
}

impl CreateWebhook<'_> {
    /// Create it enabled or disabled (Healthie's default: enabled).
    pub fn enabled(mut self, on: bool) -> Self {
        self.is_enabled = Some(on);
        self
    }

    /// Retry failed deliveries (default on).
    pub fn retry_failed_deliveries(mut self, on: bool) -> Self {
        self.should_retry = Some(on);
        self
    }

    /// Send.
    pub async fn send(self) -> Result<Webhook, Error> {
        if self.url.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "the webhook URL is empty",
            ));
        }
        if self.events.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "a webhook needs at least one event type",
            ));
        }
        let schema = self.client.inner.version.schema();
        let input = WebhookInput {
            url: Some(self.url),
            is_enabled: self.is_enabled,
            should_retry: self.should_retry,
            webhook_events: Some(
                self.events
                    .iter()
                    .map(|e| EventInput {
                        id: None,
                        event_type: event_type_to_wire(e, schema),
                    })
                    .collect(),
            ),
            ..WebhookInput::default()
        };
        let payload: WebhookPayload = self
            .client
            .mutate(&CREATE_WEBHOOK, "createWebhook", &input)
            .await?;
        payload.webhook("createWebhook")
    }
}

/// A pending `mutation UpdateWebhook`.
#[derive(Debug)]
pub struct UpdateWebhook<'a> {
    client: &'a HealthieClient,
    input: WebhookInput,
    events: Option<Vec<(Option<String>, EventType)>>,
}

impl UpdateWebhook<'_> {
    /// A new delivery URL.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.input.url = Some(url.into());
        self
    }

    /// Enable or disable deliveries.
    pub fn enabled(mut self, on: bool) -> Self {
        self.input.is_enabled = Some(on);
        self
    }

    /// Retry failed deliveries or not.
    pub fn retry_failed_deliveries(mut self, on: bool) -> Self {
        self.input.should_retry = Some(on);
        self
    }

    /// The events, as `(existing event id, event type)`: an entry with an id keeps or changes
    /// that event, one without adds an event.
    pub fn events<I>(mut self, events: I) -> Self
    where
        I: IntoIterator<Item = (Option<String>, EventType)>,
    {
        self.events = Some(events.into_iter().collect());
        self
    }

    /// Send. Sent once, never retried once it may have reached Healthie.
    pub async fn send(mut self) -> Result<Webhook, Error> {
        check_id(self.input.id.as_deref().unwrap_or(""))?;
        let schema = self.client.inner.version.schema();
        if let Some(events) = self.events {
            self.input.webhook_events = Some(
                events
                    .into_iter()
                    .map(|(id, e)| EventInput {
                        id,
                        event_type: event_type_to_wire(&e, schema),
                    })
                    .collect(),
            );
        }
        let payload: WebhookPayload = self
            .client
            .mutate(&UPDATE_WEBHOOK, "updateWebhook", &self.input)
            .await?;
        payload.webhook("updateWebhook")
    }
}

/// The `webhooks` collection.
pub(crate) static WEBHOOK_COLLECTION: Collection = Collection {
    operation: &WEBHOOKS,
    field: "webhooks",
    should_paginate: false,
};

/// The filters of `query Webhooks`, set through [`ListWebhooks`]' methods.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WebhookFilters {
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_by: Option<WebhookOrder>,
}

/// A pending `query Webhooks` (see [`Listing`] for paging, `send`, `paginator` and
/// `into_stream`).
pub type ListWebhooks = Listing<Webhook, WebhookFilters>;

impl Listing<Webhook, WebhookFilters> {
    /// Keyword search (`keywords`).
    pub fn keywords(mut self, keywords: impl Into<String>) -> Self {
        self.filters.keywords = Some(keywords.into());
        self
    }

    /// The order (`order_by`, Healthie's default newest first).
    pub fn order_by(mut self, order: WebhookOrder) -> Self {
        self.filters.order_by = Some(order);
        self
    }
}
