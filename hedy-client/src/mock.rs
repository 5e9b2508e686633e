//! A fake Hedy server answering from the crate's fixtures, for tests, examples and demos.
//!
//! Available with the crate feature `mock`.
//!
//! **The fixtures are constructed, not recorded**: no live Hedy traffic was available, so they
//! are built from the project's wire-format research (see `fixtures/README.md`). The mock
//! shows what this crate expects Hedy to send, not proof of what Hedy sends.
//!
//! It checks the API key (`Authorization: Bearer <MOCK_API_KEY>`; anything else gets
//! `401 invalid_api_key`), pages over five sessions with the `after` cursor (and three
//! highlights, and a topic's two sessions with `startAfter`), answers `limit` outside 1..=100
//! with `400 invalid_page_size`, unknown ids with Hedy's `404` bodies, echoes creates and
//! updates over a fixture, and signs and `POST`s webhook deliveries (every event type, in the
//! flat and the wrapped form) to a URL on request.
//!
//! Its API is every vendor crate's: [`MockHedy::start`], [`uri`](MockHedy::uri),
//! [`credential`](MockHedy::credential), [`webhook_secret`](MockHedy::webhook_secret),
//! [`server`](MockHedy::server), [`client`](MockHedy::client), [`MockHedy::deliveries`] and
//! [`deliver`](MockHedy::deliver); [`MockHedy::delivery`] picks one event in one body form.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::TryStreamExt;
//! use hedy_client::mock::MockHedy;
//!
//! let mock = MockHedy::start().await;
//! let hedy = mock.client()?;
//! let all: Vec<_> = hedy.sessions().list().limit(2).into_stream().try_collect().await?;
//! assert_eq!(all.len(), 5);
//! # Ok(()) }
//! ```

use std::sync::Arc;

use client_core::mock::wiremock::{MockServer, Request, Respond, ResponseTemplate};
use client_core::mock::{json, mount_fallback, query, route, HeaderIs};
use client_core::{Bytes, ErrorKind, HeaderMap};
use serde_json::{json, Map, Value};

use crate::webhooks::{BodyForm, EventType};
use crate::{Error, HedyClient};

/// What a receiver answered to [`MockHedy::deliver`].
pub use client_core::mock::Delivered;

/// The API key the mock accepts.
pub const MOCK_API_KEY: &str = "hedy_live_mock_key_0000";

/// The signing secret of the mock's webhook deliveries.
pub const MOCK_WEBHOOK_SECRET: &str = "whsec_hedy_mock_signing_secret";

macro_rules! fixture {
    ($name:literal) => {
        client_core::mock_fixture!("constructed/", $name)
    };
}

/// The sample deliveries: event, form, body.
const DELIVERIES: [(&str, BodyForm, &str); 11] = [
    (
        "session.created",
        BodyForm::Flat,
        fixture!("webhook_session_created_flat.json"),
    ),
    (
        "session.created",
        BodyForm::Wrapped,
        fixture!("webhook_session_created_wrapped.json"),
    ),
    (
        "session.ended",
        BodyForm::Flat,
        fixture!("webhook_session_ended_flat.json"),
    ),
    (
        "session.ended",
        BodyForm::Wrapped,
        fixture!("webhook_session_ended_wrapped.json"),
    ),
    (
        "session.exported",
        BodyForm::Flat,
        fixture!("webhook_session_exported_flat.json"),
    ),
    (
        "session.exported",
        BodyForm::Wrapped,
        fixture!("webhook_session_exported_wrapped.json"),
    ),
    (
        "highlight.created",
        BodyForm::Flat,
        fixture!("webhook_highlight_created_flat.json"),
    ),
    (
        "highlight.created",
        BodyForm::Wrapped,
        fixture!("webhook_highlight_created_wrapped.json"),
    ),
    (
        "todo.exported",
        BodyForm::Flat,
        fixture!("webhook_todo_exported_flat.json"),
    ),
    (
        "todo.exported",
        BodyForm::Wrapped,
        fixture!("webhook_todo_exported_wrapped.json"),
    ),
    (
        "session.summarized",
        BodyForm::Flat,
        fixture!("webhook_unknown_event.json"),
    ),
];

/// A webhook delivery the mock can send: the event name (for `X-Hedy-Event`), the body form
/// and the exact body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Delivery {
    /// The event name.
    pub event_type: EventType,
    /// The body's form.
    pub form: BodyForm,
    /// The exact body (constructed, see the module docs).
    pub body: Bytes,
}

/// A running fake Hedy server.
#[derive(Debug)]
pub struct MockHedy {
    server: MockServer,
}

impl MockHedy {
    client_core::vendor_mock_methods!(MOCK_API_KEY, MOCK_WEBHOOK_SECRET);

    /// Start the server on a free local port with every route mounted.
    pub async fn start() -> MockHedy {
        let server = MockServer::start().await;
        let mock = MockHedy { server };
        mock.mount_routes().await;
        mock
    }

    /// A client for this server with the mock's key and no client-side rate limit.
    pub fn client(&self) -> Result<HedyClient, Error> {
        HedyClient::builder(MOCK_API_KEY)
            .base_url(self.uri())
            .without_rate_limits()
            .build()
    }

    /// Every delivery the mock can send: the five event types in the flat and the wrapped
    /// form, then an event this crate does not know. (Built from constant fixtures: never an
    /// error; the `Result` is the one every vendor's mock returns.)
    pub fn deliveries() -> Result<Vec<Delivery>, Error> {
        Ok(all_deliveries())
    }

    /// The delivery of `event_type` in `form`, if there is one.
    pub fn delivery(event_type: &EventType, form: BodyForm) -> Option<Delivery> {
        all_deliveries()
            .into_iter()
            .find(|d| &d.event_type == event_type && d.form == form)
    }

    /// Sign `delivery` with the mock's secret (webhook-verify's Hedy signer:
    /// `X-Hedy-Signature` and `X-Hedy-Event`) and `POST` it to `url` once, as Hedy does.
    /// Returns what the receiver answered; an error only when no answer came.
    pub async fn deliver(&self, url: &str, delivery: &Delivery) -> Result<Delivered, Error> {
        let headers: HeaderMap = webhook_verify::hedy::sign_event(
            MOCK_WEBHOOK_SECRET,
            delivery.event_type.as_str(),
            &delivery.body,
        )
        .map_err(|e| Error::new(ErrorKind::InvalidRequest, e.to_string()))?
        .into_iter()
        .collect();
        client_core::mock::deliver(url, "hedy-client-mock", headers, delivery.body.clone()).await
    }

    /// Answer `verb` on `path` (each `{id}` one segment) with `responder`, for requests
    /// carrying the mock's key.
    async fn mount(&self, verb: &str, path: &str, responder: impl Respond + 'static) {
        route(verb, path)
            .and(HeaderIs::bearer(MOCK_API_KEY))
            .respond_with(responder)
            .mount(&self.server)
            .await;
    }

    async fn mount_routes(&self) {
        self.mount("GET", "/me", json(200, fixture!("me.json")))
            .await;

        // Sessions.
        let sessions = Arc::new(Pager::sessions());
        self.mount("GET", "/sessions", {
            let sessions = sessions.clone();
            move |req: &Request| sessions.respond_flat(req)
        })
        .await;
        self.mount("GET", "/sessions/{id}", {
            let sessions = sessions.clone();
            move |req: &Request| match segment(req, 1).as_deref() {
                Some("sess_7Qm2xK9aL0") => json(200, fixture!("session_get.json")),
                Some(id) => match sessions.find(id) {
                    Some(item) => ResponseTemplate::new(200).set_body_json(item),
                    None => json(404, fixture!("error_session_not_found_404.json")),
                },
                None => json(404, fixture!("error_session_not_found_404.json")),
            }
        })
        .await;
        self.mount("GET", "/sessions/{id}/highlights", {
            let sessions = sessions.clone();
            move |req: &Request| match segment(req, 1).as_deref() {
                Some("sess_7Qm2xK9aL0") => json(200, fixture!("session_highlights.json")),
                Some(id) if sessions.find(id).is_some() => empty_list(),
                _ => json(404, fixture!("error_session_not_found_404.json")),
            }
        })
        .await;
        self.mount("GET", "/sessions/{id}/todos", {
            let sessions = sessions.clone();
            move |req: &Request| match segment(req, 1).as_deref() {
                Some("sess_7Qm2xK9aL0") => json(200, fixture!("session_todos.json")),
                Some(id) if sessions.find(id).is_some() => empty_list(),
                _ => json(404, fixture!("error_session_not_found_404.json")),
            }
        })
        .await;
        self.mount("GET", "/sessions/{id}/todos/{id}", |req: &Request| {
            let todos: Value = parse(fixture!("session_todos.json"));
            let wanted = segment(req, 3);
            let found = todos["data"].as_array().and_then(|items| {
                items
                    .iter()
                    .find(|t| t["id"].as_str() == wanted.as_deref())
                    .filter(|_| segment(req, 1).as_deref() == Some("sess_7Qm2xK9aL0"))
            });
            match found {
                Some(todo) => {
                    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": todo}))
                }
                None => json(404, fixture!("error_todo_not_found_404.json")),
            }
        })
        .await;

        // Highlights and todos.
        let highlights = Arc::new(Pager::highlights());
        self.mount("GET", "/highlights", {
            let highlights = highlights.clone();
            move |req: &Request| highlights.respond_flat(req)
        })
        .await;
        self.mount("GET", "/highlights/{id}", {
            let highlights = highlights.clone();
            move |req: &Request| match segment(req, 1).as_deref() {
                Some("high_def456") => json(200, fixture!("highlight_get.json")),
                Some(id) => match highlights.find(id) {
                    Some(item) => ResponseTemplate::new(200).set_body_json(item),
                    None => json(404, fixture!("error_highlight_not_found_404.json")),
                },
                None => json(404, fixture!("error_highlight_not_found_404.json")),
            }
        })
        .await;
        self.mount("GET", "/todos", json(200, fixture!("todos_list.json")))
            .await;

        // Topics.
        self.mount("GET", "/topics", json(200, fixture!("topics_list.json")))
            .await;
        self.mount("GET", "/topics/{id}", |req: &Request| {
            match known(fixture!("topics_list.json"), segment(req, 1)) {
                Some(topic) => ResponseTemplate::new(200)
                    .set_body_json(json!({"success": true, "data": topic})),
                None => json(404, fixture!("error_not_found_404.json")),
            }
        })
        .await;
        self.mount("POST", "/topics", |req: &Request| {
            let name_ok = body_object(req)
                .and_then(|b| {
                    b.get("name")
                        .and_then(Value::as_str)
                        .map(|n| !n.trim().is_empty())
                })
                .unwrap_or(false);
            if name_ok {
                overlay(201, fixture!("topic_created.json"), req)
            } else {
                json(400, fixture!("error_validation_error_400.json"))
            }
        })
        .await;
        self.mount("PATCH", "/topics/{id}", |req: &Request| {
            match known(fixture!("topics_list.json"), segment(req, 1)) {
                Some(topic) => overlay_value(200, topic, req),
                None => json(404, fixture!("error_not_found_404.json")),
            }
        })
        .await;
        self.mount("DELETE", "/topics/{id}", |req: &Request| {
            match known(fixture!("topics_list.json"), segment(req, 1)) {
                Some(_) => json(200, fixture!("topic_deleted.json")),
                None => json(404, fixture!("error_not_found_404.json")),
            }
        })
        .await;
        let topic_sessions = Arc::new(Pager::topic_sessions());
        self.mount("GET", "/topics/{id}/sessions", {
            let topic_sessions = topic_sessions.clone();
            move |req: &Request| match segment(req, 1).as_deref() {
                Some("topic_xyz") => topic_sessions.respond_nested(req),
                Some(id) if known(fixture!("topics_list.json"), Some(id.to_owned())).is_some() => {
                    Pager::default().respond_nested(req)
                }
                _ => json(404, fixture!("error_not_found_404.json")),
            }
        })
        .await;

        // Session contexts.
        self.mount(
            "GET",
            "/contexts",
            json(200, fixture!("contexts_list.json")),
        )
        .await;
        self.mount("GET", "/contexts/{id}", |req: &Request| {
            match known(fixture!("contexts_list.json"), segment(req, 1)) {
                Some(ctx) => {
                    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": ctx}))
                }
                None => json(404, fixture!("error_not_found_404.json")),
            }
        })
        .await;
        self.mount("POST", "/contexts", |req: &Request| {
            let title_ok = body_object(req)
                .and_then(|b| {
                    b.get("title")
                        .and_then(Value::as_str)
                        .map(|t| !t.trim().is_empty())
                })
                .unwrap_or(false);
            if title_ok {
                overlay(201, fixture!("context_created.json"), req)
            } else {
                json(400, fixture!("error_validation_error_400.json"))
            }
        })
        .await;
        self.mount("PATCH", "/contexts/{id}", |req: &Request| {
            match known(fixture!("contexts_list.json"), segment(req, 1)) {
                Some(ctx) => overlay_value(200, ctx, req),
                None => json(404, fixture!("error_not_found_404.json")),
            }
        })
        .await;
        self.mount("DELETE", "/contexts/{id}", |req: &Request| {
            match known(fixture!("contexts_list.json"), segment(req, 1)) {
                Some(_) => json(200, fixture!("context_deleted.json")),
                None => json(404, fixture!("error_not_found_404.json")),
            }
        })
        .await;

        // Webhook subscriptions.
        self.mount(
            "GET",
            "/webhooks",
            json(200, fixture!("webhooks_list.json")),
        )
        .await;
        self.mount("POST", "/webhooks", |req: &Request| {
            let body = body_object(req).unwrap_or_default();
            let https = body
                .get("url")
                .and_then(Value::as_str)
                .is_some_and(|u| u.starts_with("https://"));
            let has_event = body
                .get("events")
                .and_then(Value::as_array)
                .is_some_and(|e| !e.is_empty())
                || body.get("event").and_then(Value::as_str).is_some();
            if !https {
                error(400, "invalid_webhook_url", "Webhook URL must use HTTPS")
            } else if !has_event {
                error(400, "missing_event", "At least one event is required")
            } else {
                overlay(201, fixture!("webhook_created.json"), req)
            }
        })
        .await;
        self.mount("DELETE", "/webhooks/{id}", |req: &Request| {
            let id = segment(req, 1);
            let listed = known(fixture!("webhooks_list.json"), id.clone()).is_some();
            if listed || id.as_deref() == Some("wh_new001") {
                json(200, fixture!("webhook_deleted.json"))
            } else {
                error(404, "webhook_not_found", "Webhook not found")
            }
        })
        .await;

        // A wrong or missing key on any route, and unknown routes.
        mount_fallback(
            &self.server,
            HeaderIs::bearer(MOCK_API_KEY),
            error(404, "not_found", "Route not found"),
            json(401, fixture!("error_invalid_api_key_401.json")),
        )
        .await;
    }
}

/// The deliveries of `DELIVERIES`, in order.
fn all_deliveries() -> Vec<Delivery> {
    DELIVERIES
        .iter()
        .map(|(event, form, body)| Delivery {
            event_type: EventType::from(*event),
            form: *form,
            body: Bytes::from_static(body.as_bytes()),
        })
        .collect()
}

/// Pages over a list of items by cursor (the id of the last item of the previous page).
#[derive(Default)]
struct Pager {
    items: Vec<Value>,
    id_key: &'static str,
}

impl Pager {
    fn collect(pages: &[&str], nested: bool, id_key: &'static str) -> Pager {
        let mut items = Vec::new();
        for page in pages {
            let page = parse(page);
            let list = if nested {
                &page["data"]["sessions"]
            } else {
                &page["data"]
            };
            if let Some(list) = list.as_array() {
                items.extend(list.iter().cloned());
            }
        }
        Pager { items, id_key }
    }

    fn sessions() -> Pager {
        Pager::collect(
            &[
                fixture!("sessions_list_page1.json"),
                fixture!("sessions_list_page2.json"),
                fixture!("sessions_list_page3.json"),
            ],
            false,
            "sessionId",
        )
    }

    fn highlights() -> Pager {
        Pager::collect(
            &[
                fixture!("highlights_list_page1.json"),
                fixture!("highlights_list_page2.json"),
            ],
            false,
            "highlightId",
        )
    }

    fn topic_sessions() -> Pager {
        Pager::collect(
            &[
                fixture!("topic_sessions_page1.json"),
                fixture!("topic_sessions_page2.json"),
            ],
            true,
            "sessionId",
        )
    }

    fn find(&self, id: &str) -> Option<&Value> {
        self.items
            .iter()
            .find(|item| item[self.id_key].as_str() == Some(id))
    }

    /// The page after `cursor` of at most `limit` items: `(items, next cursor)`, or an error
    /// response for a bad `limit` or an unknown cursor.
    fn page(
        &self,
        req: &Request,
        cursor_param: &str,
        filter: impl Fn(&Value) -> bool,
    ) -> Result<(Vec<Value>, Option<String>, usize), Box<ResponseTemplate>> {
        let limit = match query(req, "limit") {
            None => 50,
            Some(l) => match l.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => n,
                _ => {
                    return Err(Box::new(json(
                        400,
                        fixture!("error_invalid_page_size_400.json"),
                    )))
                }
            },
        };
        let matching: Vec<&Value> = self.items.iter().filter(|i| filter(i)).collect();
        let start = match query(req, cursor_param) {
            None => 0,
            Some(cursor) => match matching
                .iter()
                .position(|i| i[self.id_key].as_str() == Some(cursor.as_str()))
            {
                Some(i) => i + 1,
                None => return Err(Box::new(error(400, "validation_error", "Unknown cursor"))),
            },
        };
        let page: Vec<Value> = matching
            .iter()
            .skip(start)
            .take(limit)
            .map(|v| (*v).clone())
            .collect();
        let end = start + page.len();
        let next = if end < matching.len() {
            page.last()
                .and_then(|v| v[self.id_key].as_str())
                .map(str::to_owned)
        } else {
            None
        };
        Ok((page, next, matching.len()))
    }

    /// Envelope A (`format=zapier`: a bare array of every item).
    fn respond_flat(&self, req: &Request) -> ResponseTemplate {
        let topic = query(req, "topicId");
        let filter = |item: &Value| match &topic {
            Some(t) => item["topic"]["id"].as_str() == Some(t.as_str()),
            None => true,
        };
        if query(req, "format").as_deref() == Some("zapier") {
            let all: Vec<&Value> = self.items.iter().filter(|i| filter(i)).collect();
            return ResponseTemplate::new(200).set_body_json(all);
        }
        match self.page(req, "after", filter) {
            Ok((items, next, total)) => ResponseTemplate::new(200).set_body_json(json!({
                "success": true,
                "data": items,
                "pagination": {"hasMore": next.is_some(), "next": next, "total": total},
            })),
            Err(response) => *response,
        }
    }

    /// Envelope E.
    fn respond_nested(&self, req: &Request) -> ResponseTemplate {
        match self.page(req, "startAfter", |_| true) {
            Ok((items, next, _)) => ResponseTemplate::new(200).set_body_json(json!({
                "success": true,
                "data": {
                    "pagination": {"count": items.len(), "hasMore": next.is_some(), "nextCursor": next},
                    "sessions": items,
                },
            })),
            Err(response) => *response,
        }
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"success": false, "error": {"code": code, "message": message}}))
}

fn empty_list() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": []}))
}

/// Path segment `n` (0 is the resource name).
fn segment(req: &Request, n: usize) -> Option<String> {
    req.url.path_segments()?.nth(n).map(str::to_owned)
}

/// The item of a `{data: [...]}` fixture whose `id` is `id`.
fn known(list_fixture: &str, id: Option<String>) -> Option<Value> {
    let id = id?;
    parse(list_fixture)["data"]
        .as_array()?
        .iter()
        .find(|item| item["id"].as_str() == Some(id.as_str()))
        .cloned()
}

fn body_object(req: &Request) -> Option<Map<String, Value>> {
    serde_json::from_slice(&req.body).ok()
}

/// The `data` of a `{success, data}` fixture with the request body's fields laid over it.
fn overlay(status: u16, fixture: &str, req: &Request) -> ResponseTemplate {
    overlay_value(status, parse(fixture)["data"].clone(), req)
}

fn overlay_value(status: u16, mut base: Value, req: &Request) -> ResponseTemplate {
    if let (Value::Object(target), Some(changes)) = (&mut base, body_object(req)) {
        for (k, v) in changes {
            target.insert(k, v);
        }
    }
    ResponseTemplate::new(status).set_body_json(json!({"success": true, "data": base}))
}
