//! Helpers shared by the integration tests: a client on a wiremock server, GraphQL request
//! matchers and the constructed fixtures.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use client_core::RetryPolicy;
use healthie_client::{ApiVersion, HealthieClient};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Match, MockBuilder, MockServer, Request, ResponseTemplate};

pub const KEY: &str = "gh_test_HealthieKey123";

/// A fixture's text (`fixtures/constructed/<name>`).
pub fn fixture(name: &str) -> String {
    let p = format!("{}/fixtures/constructed/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A fixture's JSON.
pub fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// The endpoint on `server`.
pub fn endpoint(server: &MockServer) -> String {
    format!("{}/graphql", server.uri())
}

/// A fast retry policy: three attempts, millisecond backoff.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(2),
        reset_header: None,
        retry_unhinted_rate_limits: true,
    }
}

/// A `2026-01-01` client for `server`: test key, no rate limit, fast retries.
pub fn client(server: &MockServer) -> HealthieClient {
    client_with(server, ApiVersion::V2026_01_01, fast_retries())
}

/// A baseline (unversioned) client for `server`.
pub fn baseline_client(server: &MockServer) -> HealthieClient {
    client_with(server, ApiVersion::Unversioned, fast_retries())
}

pub fn client_with(server: &MockServer, version: ApiVersion, retry: RetryPolicy) -> HealthieClient {
    HealthieClient::builder(KEY)
        .base_url(endpoint(server))
        .api_version(version)
        .without_rate_limits()
        .configure(move |core| core.retry_policy(retry).timeout(Duration::from_secs(2)))
        .build()
        .unwrap()
}

/// `POST /graphql` with Healthie's auth headers and `operationName: name`.
pub fn graphql(name: &str) -> MockBuilder {
    wiremock::Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(header("authorization", format!("Basic {KEY}").as_str()))
        .and(header("authorizationsource", "API"))
        .and(OperationIs(name.to_owned()))
}

/// Matches a GraphQL request by `operationName`.
pub struct OperationIs(pub String);

impl Match for OperationIs {
    fn matches(&self, req: &Request) -> bool {
        body(req)["operationName"].as_str() == Some(self.0.as_str())
    }
}

/// Matches a GraphQL request whose `variables` equal `expected` exactly.
pub struct VariablesAre(pub Value);

impl Match for VariablesAre {
    fn matches(&self, req: &Request) -> bool {
        body(req)["variables"] == self.0
    }
}

/// A request's JSON body.
pub fn body(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or(Value::Null)
}

/// `{"data": data}`.
pub fn data(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "data": data }))
}

/// A 200 with a fixture's body.
pub fn reply(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture(name), "application/json")
}

/// The fixture appointments, with transcripts and the `{base}` URLs as they are.
pub fn appointments() -> Vec<Value> {
    fixture_json("appointments.json")["appointments"]
        .as_array()
        .unwrap()
        .clone()
}

/// A connection page of `nodes`.
pub fn connection(
    field: &str,
    nodes: Vec<Value>,
    end_cursor: Option<&str>,
    has_next: bool,
) -> ResponseTemplate {
    data(json!({ field: {
        "total_count": 5,
        "page_info": { "end_cursor": end_cursor, "has_next_page": has_next,
                       "has_previous_page": false, "start_cursor": null },
        "nodes": nodes,
    }}))
}

/// The received requests, as JSON bodies.
pub async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(body)
        .collect()
}

/// Assert the headers every Healthie request carries.
pub fn assert_healthie_headers(req: &Request, version: Option<&str>) {
    let h = |n: &str| req.headers.get(n).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        h("authorization").as_deref(),
        Some(format!("Basic {KEY}").as_str())
    );
    assert_eq!(h("authorizationsource").as_deref(), Some("API"));
    assert_eq!(h("healthie-graphql-api-version").as_deref(), version);
    assert_eq!(h("content-type").as_deref(), Some("application/json"));
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), "/graphql");
    assert_eq!(req.url.query(), None);
}
