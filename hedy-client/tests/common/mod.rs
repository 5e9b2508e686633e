//! Helpers shared by the integration tests: the constructed fixtures, a client on a wiremock
//! server, and exact query and empty-body matchers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hedy_client::{HedyClient, RateLimits, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Match, MockBuilder, MockServer, Request, ResponseTemplate};

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

/// The query string is exactly these pairs (in any order), nothing more.
pub struct QueryIs(pub Vec<(String, String)>);

pub fn query_is(pairs: &[(&str, &str)]) -> QueryIs {
    QueryIs(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

pub fn no_query() -> QueryIs {
    QueryIs(Vec::new())
}

impl Match for QueryIs {
    fn matches(&self, req: &Request) -> bool {
        let mut got: Vec<(String, String)> = req
            .url
            .query_pairs()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let mut want = self.0.clone();
        got.sort();
        want.sort();
        got == want
    }
}

/// The request has no body.
pub struct NoBody;

impl Match for NoBody {
    fn matches(&self, req: &Request) -> bool {
        req.body.is_empty()
    }
}

/// Every request the server received.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}
