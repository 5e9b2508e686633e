//! Helpers shared by the integration tests: fixtures, a client on a wiremock server, exact
//! query and empty-body matchers, and a small multipart parser to check what an upload sent.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use speakr_client::{RetryPolicy, SpeakrClient, TokenPlacement};
use wiremock::matchers::{header, method, path};
use wiremock::{MockBuilder, MockServer, ResponseTemplate};

pub const TOKEN: &str = "test-token";

/// A fixture's text (`fixtures/<name>`).
pub fn fixture(name: &str) -> String {
    let p = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A JSON response with a fixture's body, as the real server sent it.
pub fn reply(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "application/json")
}

/// A client for `server` with a bearer token, no rate limit and no retries.
pub fn client(server: &MockServer) -> SpeakrClient {
    client_with(server, TokenPlacement::Bearer, RetryPolicy::never())
}

pub fn client_with(
    server: &MockServer,
    placement: TokenPlacement,
    retry: RetryPolicy,
) -> SpeakrClient {
    SpeakrClient::builder(TOKEN)
        .base_url(server.uri())
        .token_placement(placement)
        .without_rate_limits()
        .configure(move |core| core.retry_policy(retry))
        .build()
        .unwrap()
}

/// `method path` under `/api/v1`, with the bearer token.
pub fn call(verb: &str, p: &str) -> MockBuilder {
    wiremock::Mock::given(method(verb))
        .and(path(format!("/api/v1{p}")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
}

#[allow(unused_imports)] // each test file uses some of them
pub use test_support::{
    no_query, only_request, parse_multipart, query_is, text_fields, NoBody, Part, QueryIs,
};
