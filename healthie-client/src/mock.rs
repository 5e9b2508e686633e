//! A fake Healthie GraphQL endpoint (feature `mock`) for tests, examples and demos, answering
//! the crate's operations from its fixtures, which are **constructed from Healthie's published
//! schema, not recorded** (see `fixtures/README.md`), and signed webhook deliveries for
//! testing receivers end to end.
//!
//! Available with the crate feature `mock`.
//!
//! The endpoint is the server's root URL ([`MockHealthie::uri`], what `base_url` takes), also
//! answered at `/graphql` ([`MockHealthie::endpoint`]). It checks `Authorization: Basic <key>`
//! and `AuthorizationSource: API` (anything else gets `UNAUTHENTICATED`), answers in the
//! `2026-01-01` shape when `Healthie-GraphQL-API-Version: 2026-01-01` is sent and in the
//! baseline shape (with a `MISSING_API_VERSION_HEADER` warning) when no version is sent, and
//! refuses other versions with `UNSUPPORTED_API_VERSION`. It pages five appointments by cursor
//! or by offset, filters them by date range, provider and client, keeps webhook subscriptions
//! in memory (create, update, delete, test, rotate), serves the delivery log, deletes
//! transcripts, and serves the transcript VTT behind its expiring URL, refusing any request to
//! it that carries credentials.
//!
//! Deliveries: [`MockHealthie::deliveries`] are the sample payloads, [`MockHealthie::deliver`]
//! signs one with the mock's secret (in [`DEFAULT_DIALECT`]; [`MockHealthie::deliver_in`] for
//! another) and `POST`s it once, as Healthie does. [`Delivery::signed`] and [`SignedDelivery`]
//! give full control: any secret, dialect, registered path, `created` time or body.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::TryStreamExt;
//! use healthie_client::mock::MockHealthie;
//!
//! let mock = MockHealthie::start().await;
//! let healthie = mock.client()?;
//! let all: Vec<_> = healthie.appointments().list().page_size(2).into_stream().try_collect().await?;
//! assert_eq!(all.len(), 5); // three pages
//!
//! // Every sample delivery, signed and sent to a receiver.
//! for delivery in MockHealthie::deliveries()? {
//!     let answer = mock.deliver("http://127.0.0.1:3000/hooks/healthie", &delivery).await?;
//!     assert!(answer.status.is_success());
//! }
//! # Ok(()) }
//! ```

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use client_core::mock::wiremock::matchers::{method, path_regex};
use client_core::mock::wiremock::{
    Match, Mock, MockBuilder, MockServer, Request, ResponseTemplate,
};
use client_core::mock::{json as fixture_reply, mount_fallback, route};
use client_core::{Error, ErrorKind, HeaderMap, Timestamp, Url};
use serde_json::{json, Map, Value};

use crate::client::{ApiVersion, HealthieClient, HealthieClientBuilder};
use crate::webhooks::{event_type_from_wire, Dialect, EventType, ThinEvent};

pub use client_core::mock::Delivered;

/// The API key the mock accepts.
pub const MOCK_API_KEY: &str = "gh_sbox_mockHealthieApiKey0001";

/// The signing secret of the mock's subscriptions (the one its deliveries are signed with).
pub const MOCK_WEBHOOK_SECRET: &str = "whsec_mockHealthieSigningSecret0001";

/// The path of the real GraphQL endpoint, which the mock also answers.
pub const GRAPHQL_PATH: &str = "/graphql";

/// The dialect [`MockHealthie::deliver`] signs in: the legacy one, the form the only
/// production-proven verifier checks.
pub const DEFAULT_DIALECT: Dialect = Dialect::Legacy;

/// The `User-Agent` of the mock's deliveries.
const DELIVERY_USER_AGENT: &str = "healthie-client-mock/webhooks";

macro_rules! fixture {
    ($name:literal) => {
        client_core::mock_fixture!("constructed/", $name)
    };
}

/// The VTT file behind the fixture transcript's expiring URL.
pub const TRANSCRIPT_VTT: &str = fixture!("transcript.vtt");

/// What the mock keeps between requests.
#[derive(Debug)]
struct State {
    appointments: Vec<Value>,
    sent_webhooks: Vec<Value>,
    webhooks: Mutex<Vec<Value>>,
    deleted_transcripts: Mutex<HashSet<String>>,
    next_id: AtomicU64,
}

/// A running fake Healthie endpoint.
#[derive(Debug)]
pub struct MockHealthie {
    server: MockServer,
}

/// `POST` to the GraphQL endpoint: the root, or `/graphql` as on Healthie.
fn graphql_post() -> MockBuilder {
    Mock::given(method("POST")).and(path_regex(r"^/(graphql)?$"))
}

impl MockHealthie {
    client_core::vendor_mock_methods!(MOCK_API_KEY, MOCK_WEBHOOK_SECRET);

    /// Start the server on a free local port with every route mounted.
    pub async fn start() -> MockHealthie {
        let server = MockServer::start().await;
        let state = Arc::new(State {
            appointments: fixture_list(fixture!("appointments.json"), "appointments"),
            sent_webhooks: fixture_list(fixture!("sent_webhooks.json"), "sentWebhooks"),
            webhooks: Mutex::new(fixture_list(fixture!("webhooks.json"), "webhooks")),
            deleted_transcripts: Mutex::new(HashSet::new()),
            next_id: AtomicU64::new(7100),
        });
        let base = server.uri();
        graphql_post()
            .and(KeyAuth)
            .respond_with(move |req: &Request| answer(&state, &base, req))
            .mount(&server)
            .await;
        route("GET", "/transcripts/{id}.vtt")
            .respond_with(serve_vtt)
            .mount(&server)
            .await;
        mount_fallback(
            &server,
            KeyAuth,
            ResponseTemplate::new(404),
            fixture_reply(200, fixture!("error_unauthenticated.json")),
        )
        .await;
        MockHealthie { server }
    }

    /// The same endpoint at the real one's path, `<uri>/graphql`.
    pub fn endpoint(&self) -> String {
        format!("{}{GRAPHQL_PATH}", self.server.uri())
    }

    /// A builder for this endpoint (`/graphql`, the real endpoint's path) with the mock's key
    /// and no client-side rate limit (set the API version or transport on it).
    pub fn client_builder(&self) -> HealthieClientBuilder {
        HealthieClient::builder(MOCK_API_KEY)
            .base_url(self.endpoint())
            .without_rate_limits()
    }

    /// A `2026-01-01` client for this endpoint.
    pub fn client(&self) -> Result<HealthieClient, Error> {
        self.client_builder().build()
    }

    /// A baseline (unversioned) client for this endpoint.
    pub fn baseline_client(&self) -> Result<HealthieClient, Error> {
        self.client_builder()
            .api_version(ApiVersion::Unversioned)
            .build()
    }

    /// Answer the next `times` requests of `operation` (its `operationName`) with `response`
    /// instead: a 429, a 500, an HTML page, a `TOO_MANY_REQUESTS` body, a delay…
    pub async fn fail_next(&self, operation: &str, response: ResponseTemplate, times: u64) {
        graphql_post()
            .and(OperationIs(operation.to_owned()))
            .respond_with(response)
            .up_to_n_times(times)
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    /// The documented error bodies the mock can inject: `too_many_requests`,
    /// `unsupported_api_version`, `complexity`, `unauthenticated`, `not_found`.
    pub fn error_body(name: &str) -> Option<&'static str> {
        Some(match name {
            "too_many_requests" => fixture!("error_too_many_requests.json"),
            "unsupported_api_version" => fixture!("error_unsupported_api_version.json"),
            "complexity" => fixture!("error_complexity.json"),
            "unauthenticated" => fixture!("error_unauthenticated.json"),
            "not_found" => fixture!("error_not_found.json"),
            _ => return None,
        })
    }

    /// The sample deliveries (constructed, see `fixtures/README.md`): the AI-Scribe lifecycle
    /// of appointment `1001` (recording started, a participant joined, recording stopped,
    /// transcript available), an `appointment.updated` in the lenient forms Healthie's texts
    /// show (a numeric `resource_id`, `changed_fields` as a JSON-encoded string), and an event
    /// type outside the schema's enum.
    pub fn deliveries() -> Result<Vec<Delivery>, Error> {
        #[derive(serde::Deserialize)]
        struct Fixture {
            deliveries: Vec<Value>,
        }
        let bad_fixture = |e: serde_json::Error| {
            Error::new(ErrorKind::Decode, "bad delivery fixture").with_source(e)
        };
        let fixture: Fixture =
            serde_json::from_str(fixture!("deliveries.json")).map_err(bad_fixture)?;
        fixture
            .deliveries
            .iter()
            .map(|payload| Delivery::from_body(payload.to_string()).map_err(bad_fixture))
            .collect()
    }

    /// Sign `delivery` with the mock's secret in [`DEFAULT_DIALECT`], for `url`'s path and
    /// query and the current time, and `POST` it to `url` once, as Healthie does. Returns the
    /// receiver's answer, whatever its status; an error only when no answer came.
    pub async fn deliver(&self, url: &str, delivery: &Delivery) -> Result<Delivered, Error> {
        self.deliver_in(url, delivery, DEFAULT_DIALECT).await
    }

    /// [`MockHealthie::deliver`], signed in `dialect`.
    pub async fn deliver_in(
        &self,
        url: &str,
        delivery: &Delivery,
        dialect: Dialect,
    ) -> Result<Delivered, Error> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        delivery
            .signed(MOCK_WEBHOOK_SECRET, dialect, url, now)?
            .post(url)
            .await
    }
}

/// A webhook delivery the mock can send: its event type and the exact body, signed when sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The payload's `event_type`.
    pub event_type: EventType,
    /// The exact body that is signed and sent.
    pub body: Bytes,
}

impl Delivery {
    /// A delivery of `event`, its compact JSON ([`ThinEvent::to_value`]) as the body.
    pub fn for_event(event: &ThinEvent) -> Delivery {
        Delivery {
            event_type: event.event_type.clone(),
            body: Bytes::from(event.to_value().to_string()),
        }
    }

    /// A delivery of `body`, which must be a thin payload (its `event_type` is read from it).
    /// To send a body that is not one, sign it with [`SignedDelivery::new`].
    pub fn from_body(body: impl Into<Bytes>) -> Result<Delivery, serde_json::Error> {
        let body = body.into();
        let event: ThinEvent = serde_json::from_slice(&body)?;
        Ok(Delivery {
            event_type: event.event_type,
            body,
        })
    }

    /// This delivery signed with `secret` in `dialect` for a `POST` to `registered` (see
    /// [`SignedDelivery::new`]).
    pub fn signed(
        &self,
        secret: &str,
        dialect: Dialect,
        registered: &str,
        created: u64,
    ) -> Result<SignedDelivery, Error> {
        SignedDelivery::new(secret, dialect, registered, self.body.clone(), created)
    }
}

/// A signed delivery: exactly what Healthie `POST`s.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedDelivery {
    /// The dialect it is signed in.
    pub dialect: Dialect,
    /// The path and query it is signed for (as registered with Healthie).
    pub path_and_query: String,
    /// `Content-Type`, `Content-Length`, `Content-Digest`, `Signature-Input`, `Signature`.
    pub headers: HeaderMap,
    /// The exact body that is signed and sent.
    pub body: Bytes,
}

impl SignedDelivery {
    /// `body` signed with `secret` in `dialect` for a `POST` to `registered`: a full URL
    /// (its path and query are signed) or a path and query such as `/hooks?tenant=7`.
    /// `created` (Unix seconds) goes into `Signature-Input`; only the RFC 9421 dialect signs
    /// it, and a receiver checks it against its clock.
    pub fn new(
        secret: &str,
        dialect: Dialect,
        registered: &str,
        body: impl Into<Bytes>,
        created: u64,
    ) -> Result<SignedDelivery, Error> {
        let path_and_query = path_and_query(registered)?;
        let body = body.into();
        let mut headers = HeaderMap::new();
        for (name, value) in
            webhook_verify::healthie::sign(secret, dialect, "POST", &path_and_query, &body, created)
        {
            headers.insert(name, value);
        }
        Ok(SignedDelivery {
            dialect,
            path_and_query,
            headers,
            body,
        })
    }

    /// `POST` the delivery to `url` once (no retries), with its headers and exact body.
    /// `url`'s path and query should be the ones it was signed for. Returns the receiver's
    /// answer, whatever its status; an error only when no answer came.
    pub async fn post(&self, url: &str) -> Result<Delivered, Error> {
        client_core::mock::deliver(
            url,
            DELIVERY_USER_AGENT,
            self.headers.clone(),
            self.body.clone(),
        )
        .await
    }
}

/// The path and query of a URL or of a `/path?query` text.
fn path_and_query(registered: &str) -> Result<String, Error> {
    if registered.starts_with('/') {
        return Ok(registered.to_owned());
    }
    let url = Url::parse(registered).map_err(|e| {
        Error::new(
            ErrorKind::InvalidRequest,
            format!("`{registered}` is neither a URL nor a path: {e}"),
        )
    })?;
    Ok(match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    })
}

/// Accepts `Authorization: Basic <MOCK_API_KEY>` with `AuthorizationSource: API`.
#[derive(Debug, Clone, Copy)]
struct KeyAuth;

impl Match for KeyAuth {
    fn matches(&self, req: &Request) -> bool {
        let header = |name: &str| req.headers.get(name).and_then(|v| v.to_str().ok());
        header("authorization").and_then(|v| v.strip_prefix("Basic ")) == Some(MOCK_API_KEY)
            && header("authorizationsource") == Some("API")
    }
}

/// Matches a GraphQL request by `operationName`.
#[derive(Debug, Clone)]
struct OperationIs(String);

impl Match for OperationIs {
    fn matches(&self, req: &Request) -> bool {
        serde_json::from_slice::<Value>(&req.body)
            .ok()
            .and_then(|b| {
                b.get("operationName")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .as_deref()
            == Some(self.0.as_str())
    }
}

fn fixture_list(body: &str, field: &str) -> Vec<Value> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(mut map)) => match map.remove(field) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn error_reply(message: &str, code: Option<&str>) -> ResponseTemplate {
    let mut error = json!({ "message": message });
    if let Some(code) = code {
        error["extensions"] = json!({ "code": code });
    }
    ResponseTemplate::new(200).set_body_json(json!({ "errors": [error] }))
}

/// The schema shape a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Connections,
    Baseline,
}

/// The transcript route: the VTT to a request without credentials and with a signature.
fn serve_vtt(req: &Request) -> ResponseTemplate {
    if req.headers.contains_key("authorization") || req.headers.contains_key("authorizationsource")
    {
        return ResponseTemplate::new(400)
            .set_body_raw("<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>", "application/xml");
    }
    if !req.url.query_pairs().any(|(k, _)| k == "X-Amz-Signature") {
        return ResponseTemplate::new(403).set_body_raw(
            "<Error><Code>AccessDenied</Code></Error>",
            "application/xml",
        );
    }
    ResponseTemplate::new(200).set_body_raw(TRANSCRIPT_VTT, "text/vtt")
}

fn answer(state: &State, base: &str, req: &Request) -> ResponseTemplate {
    let shape = match req
        .headers
        .get("healthie-graphql-api-version")
        .map(|v| v.to_str().unwrap_or(""))
    {
        None => Shape::Baseline,
        Some("2026-01-01") => Shape::Connections,
        Some(other) => {
            return ResponseTemplate::new(200).set_body_json(json!({ "errors": [{
                "message": format!("Unsupported API version: {other}"),
                "extensions": {
                    "code": "UNSUPPORTED_API_VERSION",
                    "requested_version": other,
                    "minimum_supported_version": "2024-06-01",
                    "latest_version": "2026-01-01",
                },
            }]}))
        }
    };
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return ResponseTemplate::new(400)
            .set_body_json(json!({ "errors": [{ "message": "Invalid JSON in request body" }] }));
    };
    let empty = Map::new();
    let variables = body
        .get("variables")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let operation = body
        .get("operationName")
        .and_then(Value::as_str)
        .unwrap_or("");
    let data = match (operation, shape) {
        ("Appointment", _) => appointment(state, variables, shape, base),
        ("Appointments", _) => Ok(json!({ "appointments": page(
            filter_appointments(state, variables, shape), variables, shape) })),
        ("Webhooks", _) => {
            let hooks = lock(&state.webhooks).clone();
            let hooks = hooks.into_iter().map(|h| webhook_shape(h, shape)).collect();
            Ok(json!({ "webhooks": page(hooks, variables, shape) }))
        }
        ("SentWebhooks", _) => Ok(json!({ "sentWebhooks": page(
            filter_sent(state, variables, shape), variables, shape) })),
        ("CreateWebhook", _) => Ok(create_webhook(state, variables, shape)),
        ("UpdateWebhook", _) => Ok(update_webhook(state, variables, shape)),
        ("DeleteWebhook", _) => Ok(delete_webhook(state, variables, shape)),
        ("SendTestWebhook", _) => Ok(send_test_webhook(state, variables)),
        ("ExpireWebhookSignature", _) => Ok(expire_signature(state, variables, shape)),
        ("DeleteTranscript", Shape::Connections) => Ok(delete_transcript(state, variables)),
        ("DeleteTranscript", Shape::Baseline) => {
            Err("Field 'deleteTranscript' doesn't exist on type 'Mutation'".to_owned())
        }
        (other, _) => Err(format!("No operation named \"{other}\"")),
    };
    match data {
        Ok(data) => {
            let mut reply = json!({ "data": data });
            if shape == Shape::Baseline {
                reply["extensions"] = json!({ "warnings": [{
                    "code": "MISSING_API_VERSION_HEADER",
                    "message": "No Healthie-GraphQL-API-Version header was sent; the baseline schema is used.",
                    "sunset_date": "2027-01-31",
                }]});
            }
            ResponseTemplate::new(200).set_body_json(reply)
        }
        Err(message) => error_reply(&message, None),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn var<'a>(variables: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    variables.get(name).filter(|v| !v.is_null())
}

fn var_str<'a>(variables: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    var(variables, name).and_then(Value::as_str)
}

/// Remove what the baseline schema does not have.
fn baseline_appointment(mut appointment: Value) -> Value {
    if let Some(map) = appointment.as_object_mut() {
        for field in [
            "transcripts",
            "will_be_scribed",
            "zoom_cloud_recording_files",
        ] {
            map.remove(field);
        }
    }
    appointment
}

fn appointment(
    state: &State,
    variables: &Map<String, Value>,
    shape: Shape,
    base: &str,
) -> Result<Value, String> {
    let id = var_str(variables, "id");
    let Some(found) = state.appointments.iter().find(|a| a["id"].as_str() == id) else {
        return Ok(json!({ "appointment": null }));
    };
    let mut found = found.clone();
    if shape == Shape::Baseline {
        return Ok(json!({ "appointment": baseline_appointment(found) }));
    }
    let statuses: Vec<&str> = match var(variables, "transcript_statuses").and_then(Value::as_array)
    {
        Some(list) => list.iter().filter_map(Value::as_str).collect(),
        None => vec!["completed"],
    };
    let kind = var_str(variables, "transcript_type");
    let deleted = lock(&state.deleted_transcripts).clone();
    if let Some(Value::Array(transcripts)) = found.get_mut("transcripts") {
        transcripts.retain(|t| {
            statuses.contains(&t["status"].as_str().unwrap_or(""))
                && kind.is_none_or(|k| t["transcript_type"].as_str() == Some(k))
                && !deleted.contains(t["id"].as_str().unwrap_or(""))
        });
        for t in transcripts.iter_mut() {
            if let Some(url) = t["expiring_url"].as_str() {
                t["expiring_url"] = Value::String(url.replace("{base}", base));
            }
        }
    }
    Ok(json!({ "appointment": found }))
}

fn filter_appointments(state: &State, variables: &Map<String, Value>, shape: Shape) -> Vec<Value> {
    let seconds = |v: Option<&str>| v.and_then(|s| Timestamp::from(s).unix_seconds());
    let start = seconds(var_str(variables, "startDate"));
    let end = seconds(var_str(variables, "endDate"));
    let provider = var_str(variables, "provider_id");
    let user = var_str(variables, "user_id");
    let mut items: Vec<Value> = state
        .appointments
        .iter()
        .filter(|a| {
            let date = seconds(a["date"].as_str());
            let in_range = match (start, end, date) {
                (Some(s), Some(e), Some(d)) => d >= s && d <= e,
                (Some(_), Some(_), None) => false,
                _ => true,
            };
            in_range
                && provider.is_none_or(|p| a["provider"]["id"].as_str() == Some(p))
                && user.is_none_or(|u| a["user"]["id"].as_str() == Some(u))
        })
        .map(|a| {
            let mut a = a.clone();
            match shape {
                // Transcripts come only with a single appointment.
                Shape::Connections => {
                    if let Some(map) = a.as_object_mut() {
                        map.remove("transcripts");
                    }
                    a
                }
                Shape::Baseline => baseline_appointment(a),
            }
        })
        .collect();
    if var_str(variables, "order_by") == Some("DATE_DESC") {
        items.reverse();
    }
    items
}

fn filter_sent(state: &State, variables: &Map<String, Value>, shape: Shape) -> Vec<Value> {
    let resource = var_str(variables, "resource_id");
    let resource_type = var_str(variables, "resource_type");
    let failed = var(variables, "failed").and_then(Value::as_bool) == Some(true);
    state
        .sent_webhooks
        .iter()
        .filter(|s| {
            resource.is_none_or(|r| s["resource_id"].as_str() == Some(r))
                && resource_type.is_none_or(|t| {
                    s["resource_id_type"]
                        .as_str()
                        .map(str::to_ascii_uppercase)
                        .as_deref()
                        == Some(t)
                })
                && (!failed
                    || !s["http_response_status"]
                        .as_str()
                        .unwrap_or("")
                        .starts_with('2'))
        })
        .map(|s| event_type_shape(s.clone(), shape))
        .collect()
}

/// One page of `items`: a connection for `2026-01-01` (`first`, `after` = `"c<index>"`), an
/// `offset`/`page_size` slice for the baseline (all items when `should_paginate` is false on
/// a collection that has it).
fn page(items: Vec<Value>, variables: &Map<String, Value>, shape: Shape) -> Value {
    let number = |name: &str| var(variables, name).and_then(Value::as_u64);
    match shape {
        Shape::Connections => {
            let start = var_str(variables, "after")
                .and_then(|c| c.strip_prefix('c'))
                .and_then(|n| n.parse::<usize>().ok())
                .map_or(0, |n| n + 1);
            let first = number("first").map_or(items.len(), |n| n as usize);
            let total = items.len();
            let end = start.saturating_add(first).min(total);
            let nodes: Vec<Value> = items
                .into_iter()
                .skip(start)
                .take(end.saturating_sub(start))
                .collect();
            json!({
                "total_count": total,
                "page_info": {
                    "end_cursor": (end > start).then(|| format!("c{}", end - 1)),
                    "has_next_page": end < total,
                    "has_previous_page": start > 0,
                    "start_cursor": (end > start).then(|| format!("c{start}")),
                },
                "nodes": nodes,
            })
        }
        Shape::Baseline => {
            if var(variables, "should_paginate").and_then(Value::as_bool) == Some(false) {
                return Value::Array(items);
            }
            let offset = number("offset").unwrap_or(0) as usize;
            let size = number("page_size").unwrap_or(20) as usize;
            Value::Array(items.into_iter().skip(offset).take(size).collect())
        }
    }
}

/// `APPOINTMENT_CREATED` → `appointment.created` for the baseline.
fn dotted(value: &Value) -> Value {
    match value.as_str() {
        Some(name) => Value::String(EventType::from(name).as_str().to_owned()),
        None => value.clone(),
    }
}

fn event_type_shape(mut item: Value, shape: Shape) -> Value {
    if shape == Shape::Baseline {
        if let Some(e) = item.get("event_type") {
            item["event_type"] = dotted(e);
        }
    }
    item
}

fn webhook_shape(mut hook: Value, shape: Shape) -> Value {
    hook = event_type_shape(hook, shape);
    if shape == Shape::Baseline {
        if let Some(Value::Array(events)) = hook.get_mut("webhook_events") {
            for e in events.iter_mut() {
                *e = event_type_shape(e.take(), shape);
            }
        }
    }
    hook
}

/// An input event type stored in the `2026-01-01` form.
fn stored_event_type(value: &Value) -> Value {
    match value.as_str() {
        Some(raw) => Value::String(event_type_from_wire(raw).graphql_name().to_string()),
        None => Value::Null,
    }
}

fn messages(field: &str, message: &str) -> Value {
    json!([{ "field": field, "message": message }])
}

fn input(variables: &Map<String, Value>) -> Map<String, Value> {
    var(variables, "input")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn now() -> String {
    Timestamp::from_system_time(std::time::SystemTime::now())
        .as_str()
        .to_owned()
}

fn apply_webhook_input(state: &State, hook: &mut Value, input: &Map<String, Value>) {
    for field in ["url", "is_enabled", "should_retry"] {
        if let Some(v) = input.get(field).filter(|v| !v.is_null()) {
            hook[field] = v.clone();
        }
    }
    if let Some(e) = input.get("event_type").filter(|v| !v.is_null()) {
        hook["event_type"] = stored_event_type(e);
    }
    if let Some(Value::Array(events)) = input.get("webhook_events") {
        let list: Vec<Value> = events
            .iter()
            .map(|e| {
                let id = e["id"]
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| state.next_id.fetch_add(1, Ordering::Relaxed).to_string());
                json!({
                    "id": id,
                    "event_type": stored_event_type(&e["event_type"]),
                    "created_at": now(), "updated_at": now(),
                    "first_failed_at": null, "last_failed_at": null, "retry_count": 0,
                })
            })
            .collect();
        hook["webhook_events"] = Value::Array(list);
    }
}

fn valid_url(input: &Map<String, Value>) -> bool {
    input
        .get("url")
        .and_then(Value::as_str)
        .and_then(|u| url::Url::parse(u).ok())
        .is_some_and(|u| matches!(u.scheme(), "https" | "http"))
}

fn create_webhook(state: &State, variables: &Map<String, Value>, shape: Shape) -> Value {
    let input = input(variables);
    if !valid_url(&input) {
        return json!({ "createWebhook": {
            "messages": messages("url", "is not a valid URL"), "webhook": null } });
    }
    let id = state.next_id.fetch_add(1, Ordering::Relaxed).to_string();
    let mut hook = json!({
        "id": id, "event_type": null, "is_enabled": true, "should_retry": true,
        "signature_secret": MOCK_WEBHOOK_SECRET, "url": null, "warned_at": null,
        "webhook_events": [],
    });
    apply_webhook_input(state, &mut hook, &input);
    lock(&state.webhooks).push(hook.clone());
    json!({ "createWebhook": { "messages": [], "webhook": webhook_shape(hook, shape) } })
}

fn update_webhook(state: &State, variables: &Map<String, Value>, shape: Shape) -> Value {
    let input = input(variables);
    if input.contains_key("url") && !valid_url(&input) {
        return json!({ "updateWebhook": {
            "messages": messages("url", "is not a valid URL"), "webhook": null } });
    }
    let id = input.get("id").and_then(Value::as_str).unwrap_or("");
    let mut hooks = lock(&state.webhooks);
    let Some(hook) = hooks.iter_mut().find(|h| h["id"].as_str() == Some(id)) else {
        return json!({ "updateWebhook": {
            "messages": messages("id", "Webhook not found"), "webhook": null } });
    };
    apply_webhook_input(state, hook, &input);
    json!({ "updateWebhook": { "messages": [], "webhook": webhook_shape(hook.clone(), shape) } })
}

fn delete_webhook(state: &State, variables: &Map<String, Value>, shape: Shape) -> Value {
    let input = input(variables);
    let id = input.get("id").and_then(Value::as_str).unwrap_or("");
    let mut hooks = lock(&state.webhooks);
    match hooks.iter().position(|h| h["id"].as_str() == Some(id)) {
        Some(i) => {
            let hook = hooks.remove(i);
            json!({ "deleteWebhook": { "messages": [], "webhook": webhook_shape(hook, shape) } })
        }
        None => json!({ "deleteWebhook": {
            "messages": messages("id", "Webhook not found"), "webhook": null } }),
    }
}

fn send_test_webhook(state: &State, variables: &Map<String, Value>) -> Value {
    let input = input(variables);
    let id = input.get("id").and_then(Value::as_str).unwrap_or("");
    let exists = lock(&state.webhooks)
        .iter()
        .any(|h| h["id"].as_str() == Some(id));
    if exists {
        json!({ "sendTestWebhook": { "messages": [], "sent": true } })
    } else {
        json!({ "sendTestWebhook": { "messages": messages("id", "Webhook not found"), "sent": false } })
    }
}

fn expire_signature(state: &State, variables: &Map<String, Value>, shape: Shape) -> Value {
    let input = input(variables);
    let id = input.get("id").and_then(Value::as_str).unwrap_or("");
    let mut hooks = lock(&state.webhooks);
    let Some(hook) = hooks.iter_mut().find(|h| h["id"].as_str() == Some(id)) else {
        return json!({ "expireWebhookSignature": {
            "messages": messages("id", "Webhook not found"), "webhook": null } });
    };
    let n = state.next_id.fetch_add(1, Ordering::Relaxed);
    hook["signature_secret"] = Value::String(format!("whsec_mockRotatedSecret{n}"));
    json!({ "expireWebhookSignature": { "messages": [], "webhook": webhook_shape(hook.clone(), shape) } })
}

fn delete_transcript(state: &State, variables: &Map<String, Value>) -> Value {
    let input = input(variables);
    let id = input
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let exists = state.appointments.iter().any(|a| {
        a["transcripts"]
            .as_array()
            .is_some_and(|ts| ts.iter().any(|t| t["id"].as_str() == Some(id.as_str())))
    });
    let mut deleted = lock(&state.deleted_transcripts);
    if !exists || deleted.contains(&id) {
        return json!({ "deleteTranscript": {
            "messages": messages("id", "Transcript not found"), "success": false, "transcript_id": null } });
    }
    deleted.insert(id.clone());
    json!({ "deleteTranscript": { "messages": [], "success": true, "transcript_id": id } })
}
