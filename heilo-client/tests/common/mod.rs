//! Helpers shared by the integration tests: fixtures, a client on a wiremock server, and exact
//! query and body matchers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use heilo_client::{HeiloClient, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{MockBuilder, MockServer, ResponseTemplate};

pub const KEY: &str = "hk_live_TestKey123";

/// A fixture's text (`fixtures/documented/<name>`).
pub fn fixture(name: &str) -> String {
    let p = format!("{}/fixtures/documented/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A JSON response with a fixture's body.
pub fn reply(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
}

/// A JSON response with `body`.
pub fn reply_json(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// The API base of `server`.
pub fn base(server: &MockServer) -> String {
    format!("{}/api/v1", server.uri())
}

/// A client for `server` with the test key, no rate limit and no retries.
pub fn client(server: &MockServer) -> HeiloClient {
    client_with(server, RetryPolicy::never())
}

/// A client for `server` with the test key, no rate limit and `retry`.
pub fn client_with(server: &MockServer, retry: RetryPolicy) -> HeiloClient {
    HeiloClient::builder(KEY)
        .base_url(base(server))
        .without_rate_limits()
        .configure(move |core| core.retry_policy(retry))
        .build()
        .unwrap()
}

/// `verb path` under `/api/v1`, with `Authorization: Bearer <KEY>`.
pub fn call(verb: &str, p: &str) -> MockBuilder {
    wiremock::Mock::given(method(verb))
        .and(path(format!("/api/v1{p}")))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
}

#[allow(unused_imports)] // each test file uses some of them
pub use test_support::{no_query, only_request, query_is, NoBody, QueryIs};

/// A call item shaped like the documented one, with `id` and `created_at`.
pub fn call_item(id: &str, created_at: &str) -> serde_json::Value {
    serde_json::json!({
        "call_id": id,
        "direction": "outbound",
        "caller_phone": "+48600100200",
        "customer_phone_e164": "+48600100200",
        "caller_name": null,
        "duration": 12,
        "crm_status": "contacted",
        "review_status": null,
        "outbound_lifecycle": "completed",
        "transcript_processed": null,
        "created_at": created_at,
    })
}

/// A `GET /calls` answer.
pub fn page(
    items: Vec<serde_json::Value>,
    page: u64,
    limit: u32,
    has_more: bool,
) -> ResponseTemplate {
    reply_json(
        200,
        serde_json::json!({
            "success": true,
            "data": { "items": items, "has_more": has_more, "page": page, "limit": limit },
            "meta": { "timestamp": "2026-06-03T12:34:56Z" },
        }),
    )
}
