//! A fake Heilo server (feature `mock`) for tests, examples and demos, answering from the
//! crate's fixtures, which are **made from the API reference's examples, not recorded** (no
//! Heilo server has been observed; see `fixtures/README.md`).
//!
//! Available with the crate feature `mock`.
//!
//! It serves the API at its root ([`MockHeilo::uri`] is the base URL, as
//! `https://www.heilo.io/api/v1` is Heilo's), checks the bearer key (anything else gets the
//! documented `401 UNAUTHORIZED` body, an unknown route `404 NOT_FOUND`), pages
//! over five calls with the `direction`, `status`, `dateFrom` and `dateTo` filters (`limit`
//! outside 1..=100 gets `400 BAD_REQUEST`), serves `GET /calls/{id}` (`404 NOT_FOUND` for
//! other ids) and `GET /me`, creates webhook subscriptions (returning its own signing secret),
//! and signs and `POST`s webhook deliveries with webhook-verify's Heilo signer, as Heilo does.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::TryStreamExt;
//! use heilo_client::mock::MockHeilo;
//!
//! let mock = MockHeilo::start().await;
//! let heilo = mock.client()?;
//! let all: Vec<_> = heilo.calls().list().limit(2).into_stream().try_collect().await?;
//! assert_eq!(all.len(), 5); // three pages
//!
//! // Signed deliveries of every documented event, to a receiver of yours.
//! for delivery in MockHeilo::deliveries()? {
//!     let answer = mock.deliver("http://127.0.0.1:3000/hooks/heilo", &delivery).await?;
//!     println!("{} -> {}", delivery.event_type, answer.status);
//! }
//! # Ok(()) }
//! ```

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use client_core::mock::wiremock::{MockServer, Request, ResponseTemplate};
use client_core::mock::{json as json_reply, mount_fallback, query, route, HeaderIs};
use client_core::{ErrorKind, HeaderMap};
use serde_json::{json, Value};

use crate::{Error, HeiloClient, Timestamp};

pub use client_core::mock::Delivered;

/// The API key the mock accepts.
pub const MOCK_API_KEY: &str = "hk_live_mockHeiloKey0001";

/// The mock's signing secret: the one its `POST /webhook-subscriptions` returns and its
/// deliveries are signed with.
pub const MOCK_WEBHOOK_SECRET: &str = "heilo-mock-signing-secret";

/// The `User-Agent` of the mock's deliveries.
const USER_AGENT: &str = "heilo-client-mock/webhooks";

macro_rules! fixture {
    ($name:literal) => {
        client_core::mock_fixture!("documented/", $name)
    };
}

/// The documented example of every event type, by file: `(event_type, body)`.
const EVENT_FIXTURES: [(&str, &str); 12] = [
    ("call.completed", fixture!("events/call.completed.json")),
    (
        "call.outbound.attempted",
        fixture!("events/call.outbound.attempted.json"),
    ),
    (
        "call.recording.ready",
        fixture!("events/call.recording.ready.json"),
    ),
    ("call.transcribed", fixture!("events/call.transcribed.json")),
    ("call.failed", fixture!("events/call.failed.json")),
    (
        "call.outbound.lifecycle_repaired",
        fixture!("events/call.outbound.lifecycle_repaired.json"),
    ),
    (
        "call.deletion_scheduled",
        fixture!("events/call.deletion_scheduled.json"),
    ),
    (
        "call.recording.deleted",
        fixture!("events/call.recording.deleted.json"),
    ),
    ("contact.created", fixture!("events/contact.created.json")),
    ("contact.updated", fixture!("events/contact.updated.json")),
    ("webhook.test", fixture!("events/webhook.test.json")),
    (
        "webhook.subscription.verify",
        fixture!("events/webhook.subscription.verify.json"),
    ),
];

/// A webhook delivery to send: its `heilo-event-id`, `heilo-event-type` and exact body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// `heilo-event-id` (the body's `event_id`).
    pub event_id: String,
    /// `heilo-event-type` (the body's `event_type`).
    pub event_type: String,
    /// The exact body that is signed and sent.
    pub body: Bytes,
}

impl Delivery {
    /// A delivery of `envelope` (compact JSON), with the id and type read from it.
    pub fn from_json(envelope: &Value) -> Result<Delivery, Error> {
        let field = |name: &str| {
            envelope
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidRequest,
                        format!("the envelope has no string `{name}`"),
                    )
                })
        };
        let body = serde_json::to_vec(envelope)
            .map_err(|e| Error::new(ErrorKind::InvalidRequest, e.to_string()))?;
        Ok(Delivery {
            event_id: field("event_id")?,
            event_type: field("event_type")?,
            body: Bytes::from(body),
        })
    }

    /// A `webhook.subscription.verify` handshake for subscription `subscription_id`, with a
    /// `challenge` (strict mode) or without (permissive mode).
    pub fn handshake(subscription_id: &str, challenge: Option<&str>) -> Delivery {
        let data = match challenge {
            Some(c) => json!({ "challenge": c }),
            None => json!({}),
        };
        let envelope = json!({
            "api_version": crate::webhooks::API_VERSION,
            "event_id": format!("verify-{subscription_id}-{}", challenge.unwrap_or("none")),
            "event_type": "webhook.subscription.verify",
            "resource_id": subscription_id,
            "created_at": Timestamp::from_system_time(SystemTime::now()),
            "data": data,
        });
        Delivery {
            event_id: envelope["event_id"].as_str().unwrap_or_default().to_owned(),
            event_type: "webhook.subscription.verify".to_owned(),
            body: Bytes::from(envelope.to_string()),
        }
    }
}

/// A running fake Heilo server.
#[derive(Debug)]
pub struct MockHeilo {
    server: MockServer,
}

impl MockHeilo {
    client_core::vendor_mock_methods!(MOCK_API_KEY, MOCK_WEBHOOK_SECRET);

    /// Start the server on a free local port with every route mounted.
    pub async fn start() -> MockHeilo {
        let server = MockServer::start().await;
        let mock = MockHeilo { server };
        mock.mount_routes().await;
        mock
    }

    /// A client for this server with the mock's key and no client-side rate limit.
    pub fn client(&self) -> Result<HeiloClient, Error> {
        self.client_with_key(MOCK_API_KEY)
    }

    /// A client for this server with another key (the mock refuses it: `401 UNAUTHORIZED`).
    pub fn client_with_key(&self, api_key: &str) -> Result<HeiloClient, Error> {
        HeiloClient::builder(api_key)
            .base_url(self.uri())
            .without_rate_limits()
            .build()
    }

    /// The documented example of every event type (the ten subscribable types, `webhook.test`
    /// and `webhook.subscription.verify`), as deliveries.
    pub fn deliveries() -> Result<Vec<Delivery>, Error> {
        EVENT_FIXTURES
            .iter()
            .map(|(event_type, body)| {
                let envelope: Value = serde_json::from_str(body).map_err(|e| {
                    Error::new(ErrorKind::Decode, format!("bad fixture {event_type}"))
                        .with_source(e)
                })?;
                let event_id = envelope
                    .get("event_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                Ok(Delivery {
                    event_id,
                    event_type: (*event_type).to_owned(),
                    body: Bytes::from_static(body.as_bytes()),
                })
            })
            .collect()
    }

    /// The documented example of `event_type`, as a delivery.
    pub fn delivery(event_type: &str) -> Result<Delivery, Error> {
        MockHeilo::deliveries()?
            .into_iter()
            .find(|d| d.event_type == event_type)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidRequest,
                    format!("no documented example of `{event_type}`"),
                )
            })
    }

    /// Sign `delivery` with the mock's secret and the current time (webhook-verify's Heilo
    /// signer: `heilo-signature`, `heilo-event-id`, `heilo-event-type`) and `POST` it to `url`
    /// once, as Heilo does. Returns the receiver's answer; an error only when no answer came.
    pub async fn deliver(&self, url: &str, delivery: &Delivery) -> Result<Delivered, Error> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        self.deliver_at(url, delivery, now).await
    }

    /// [`MockHeilo::deliver`] signed with timestamp `unix_seconds` (to exercise the receiver's
    /// freshness window).
    pub async fn deliver_at(
        &self,
        url: &str,
        delivery: &Delivery,
        unix_seconds: u64,
    ) -> Result<Delivered, Error> {
        let headers = webhook_verify::heilo::sign_event(
            MOCK_WEBHOOK_SECRET,
            unix_seconds,
            &delivery.event_id,
            &delivery.event_type,
            &delivery.body,
        )
        .map_err(|e| Error::new(ErrorKind::InvalidRequest, e.to_string()))?;
        let headers: HeaderMap = headers.into_iter().collect();
        client_core::mock::deliver(url, USER_AGENT, headers, delivery.body.clone()).await
    }

    /// Send a `webhook.subscription.verify` handshake to `url`, as Heilo does when a
    /// subscription is activated (with a `challenge` for strict mode).
    pub async fn verify_subscription(
        &self,
        url: &str,
        challenge: Option<&str>,
    ) -> Result<Delivered, Error> {
        let delivery = Delivery::handshake("0e9d8c7b-6a5f-4e4d-8c3b-2a1f0e9d8c7b", challenge);
        self.deliver(url, &delivery).await
    }

    async fn mount_routes(&self) {
        let key = || HeaderIs::bearer(MOCK_API_KEY);
        route("GET", "/me")
            .and(key())
            .respond_with(json_reply(200, fixture!("me.json")))
            .mount(&self.server)
            .await;
        let calls = Arc::new(catalog());
        let listing = calls.clone();
        route("GET", "/calls")
            .and(key())
            .respond_with(move |req: &Request| list_calls(&listing, req))
            .mount(&self.server)
            .await;
        route("GET", "/calls/{id}")
            .and(key())
            .respond_with(move |req: &Request| {
                let id = req.url.path_segments().and_then(|mut s| s.next_back());
                let found = calls
                    .iter()
                    .find(|c| id.is_some() && c["call_id"].as_str() == id);
                match found {
                    Some(call) => ResponseTemplate::new(200)
                        .set_body_json(json!({ "success": true, "data": call, "meta": meta() })),
                    None => json_reply(404, fixture!("error_not_found_404.json")),
                }
            })
            .mount(&self.server)
            .await;
        route("POST", "/webhook-subscriptions")
            .and(key())
            .respond_with(create_subscription)
            .mount(&self.server)
            .await;
        // An unknown route with a good key, and anything without one.
        mount_fallback(
            &self.server,
            key(),
            json_reply(404, fixture!("error_not_found_404.json")),
            json_reply(401, fixture!("error_unauthorized_401.json")),
        )
        .await;
    }
}

fn meta() -> Value {
    json!({ "timestamp": Timestamp::from_system_time(SystemTime::now()) })
}

fn bad_request(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({
        "success": false,
        "error": { "code": "BAD_REQUEST", "message": message },
        "meta": meta(),
    }))
}

fn catalog() -> Vec<Value> {
    serde_json::from_str::<Value>(fixture!("calls_catalog.json"))
        .ok()
        .and_then(|mut v| v.get_mut("calls").map(Value::take))
        .and_then(|v| match v {
            Value::Array(items) => Some(items),
            _ => None,
        })
        .unwrap_or_default()
}

/// A time filter bound in Unix seconds; a date-only `dateTo` covers its whole day.
fn bound(value: &str, end_of_day: bool) -> Option<f64> {
    let secs = Timestamp::from(value).unix_seconds()?;
    let date_only = !value.contains(['T', 't', ' ']);
    Some(if end_of_day && date_only {
        secs + 86_399.0
    } else {
        secs
    })
}

fn list_calls(calls: &[Value], req: &Request) -> ResponseTemplate {
    let number = |key: &str, default: u64| match query(req, key) {
        None => Some(default),
        Some(v) => v.parse::<u64>().ok(),
    };
    let Some(page) = number("page", 1).filter(|p| *p >= 1) else {
        return bad_request("page must be an integer from 1");
    };
    let Some(limit) = number("limit", 20).filter(|l| (1..=100).contains(l)) else {
        return bad_request("limit must be between 1 and 100");
    };
    let mut from = None;
    let mut to = None;
    for (key, slot, end) in [("dateFrom", &mut from, false), ("dateTo", &mut to, true)] {
        if let Some(v) = query(req, key) {
            match bound(&v, end) {
                Some(b) => *slot = Some(b),
                None => return bad_request(&format!("{key} must be a date or ISO 8601")),
            }
        }
    }
    let direction = query(req, "direction");
    let status = query(req, "status");
    let matching: Vec<&Value> = calls
        .iter()
        .filter(|c| direction.is_none() || c["direction"].as_str() == direction.as_deref())
        .filter(|c| status.is_none() || c["crm_status"].as_str() == status.as_deref())
        .filter(|c| {
            let at = c["created_at"]
                .as_str()
                .and_then(|t| Timestamp::from(t).unix_seconds());
            match at {
                Some(at) => from.is_none_or(|f| at >= f) && to.is_none_or(|t| at <= t),
                None => from.is_none() && to.is_none(),
            }
        })
        .collect();
    let start = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    let items: Vec<&Value> = matching.iter().skip(start).take(take).copied().collect();
    let has_more = start.saturating_add(items.len()) < matching.len();
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true,
        "data": { "items": items, "has_more": has_more, "page": page, "limit": limit },
        "meta": meta(),
    }))
}

fn create_subscription(req: &Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
    let url = body
        .get("url")
        .and_then(Value::as_str)
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let event_types: Vec<&str> = body
        .get("event_types")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mode = body
        .get("verification_mode")
        .and_then(Value::as_str)
        .unwrap_or("permissive");
    let Some(url) = url else {
        return bad_request("url must be an http(s) URL");
    };
    if event_types.is_empty() {
        return bad_request("event_types must not be empty");
    }
    if !matches!(mode, "permissive" | "strict") {
        return bad_request("verification_mode must be permissive or strict");
    }
    let mut reply: Value =
        serde_json::from_str(fixture!("webhook_subscription_created.json")).unwrap_or_default();
    if let Some(data) = reply.get_mut("data").and_then(Value::as_object_mut) {
        data.insert("url".into(), json!(url));
        data.insert("event_types".into(), json!(event_types));
        data.insert("verification_mode".into(), json!(mode));
        data.insert("signing_secret".into(), json!(MOCK_WEBHOOK_SECRET));
    }
    if let Some(envelope) = reply.as_object_mut() {
        envelope.insert("meta".into(), meta());
    }
    ResponseTemplate::new(201).set_body_json(reply)
}
