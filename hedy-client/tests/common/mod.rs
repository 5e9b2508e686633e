//! Helpers shared by the integration tests: the constructed fixtures, a client on a wiremock
//! server, and exact query and empty-body matchers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hedy_client::{HedyClient, RateLimits, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{MockBuilder, MockServer, Request, ResponseTemplate};

pub const KEY: &str = "hedy_live_test_key";

/// A fixture's text (`fixtures/constructed/<name>`).
pub fn fixture(name: &str) -> String {
    let p = format!("{}/fixtures/constructed/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A fixture parsed as JSON.
pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// A JSON response with a fixture's body.
pub fn reply(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
}

/// A JSON response with `body`.
pub fn reply_json(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// A client for `server` with the test key, no rate limit and no retries.
pub fn client(server: &MockServer) -> HedyClient {
    client_with(server, RetryPolicy::never())
}

/// A client for `server` with `retry`, no rate limit and no backoff wait worth speaking of.
pub fn client_with(server: &MockServer, retry: RetryPolicy) -> HedyClient {
    HedyClient::builder(KEY)
        .base_url(server.uri())
        .rate_limits(RateLimits::off())
        .configure(move |core| core.retry_policy(retry))
        .build()
        .unwrap()
}

/// A retry policy with three attempts and millisecond backoff.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: std::time::Duration::from_millis(1),
        max_delay: std::time::Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

/// `method path` with `Authorization: Bearer <KEY>`.
pub fn call(verb: &str, p: &str) -> MockBuilder {
    wiremock::Mock::given(method(verb))
        .and(path(p))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
}

#[allow(unused_imports)] // each test file uses some of them
pub use test_support::{no_query, query_is, NoBody, QueryIs};

/// Every request the server received.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}
