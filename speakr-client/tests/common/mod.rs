//! Helpers shared by the integration tests: fixtures, a client on a wiremock server, exact
//! query and empty-body matchers, and a small multipart parser to check what an upload sent.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use speakr_client::{RateLimits, RetryPolicy, SpeakrClient, TokenPlacement};
use wiremock::matchers::{header, method, path};
use wiremock::{Match, MockBuilder, MockServer, Request, ResponseTemplate};

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
    SpeakrClient::builder(server.uri())
        .token_in(TOKEN, placement)
        .rate_limits(RateLimits::off())
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

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// Parse a `multipart/form-data` body (what a server receives).
pub fn parse_multipart(req: &Request) -> Vec<Part> {
    let ct = req.headers.get("content-type").unwrap().to_str().unwrap();
    assert!(ct.starts_with("multipart/form-data"), "{ct}");
    let boundary = ct.split("boundary=").nth(1).unwrap().trim_matches('"');
    let delimiter = format!("--{boundary}");
    let body = &req.body;
    let mut parts = Vec::new();
    let positions: Vec<usize> = find_all(body, delimiter.as_bytes());
    assert!(positions.len() >= 2, "no parts");
    for pair in positions.windows(2) {
        let start = pair[0] + delimiter.len() + 2; // skip CRLF after the delimiter
        let end = pair[1] - 2; // CRLF before the next delimiter
        let raw = &body[start..end];
        let split = find_all(raw, b"\r\n\r\n")[0];
        let head = std::str::from_utf8(&raw[..split]).unwrap();
        let data = raw[split + 4..].to_vec();
        let mut name = String::new();
        let mut file_name = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                for attr in line.split(';').map(str::trim) {
                    if let Some(v) = attr.strip_prefix("name=") {
                        name = v.trim_matches('"').to_string();
                    } else if let Some(v) = attr.strip_prefix("filename=") {
                        file_name = Some(v.trim_matches('"').to_string());
                    }
                }
            } else if lower.starts_with("content-type:") {
                content_type = Some(line["content-type:".len()..].trim().to_string());
            }
        }
        parts.push(Part {
            name,
            file_name,
            content_type,
            data,
        });
    }
    assert!(
        body.ends_with(format!("{delimiter}--\r\n").as_bytes()),
        "no closing delimiter"
    );
    parts
}

/// The text fields of a multipart body, by name.
pub fn text_fields(parts: &[Part]) -> BTreeMap<String, String> {
    parts
        .iter()
        .filter(|p| p.file_name.is_none())
        .map(|p| (p.name.clone(), String::from_utf8(p.data.clone()).unwrap()))
        .collect()
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// The only request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut all = server.received_requests().await.unwrap();
    assert_eq!(all.len(), 1, "expected one request, got {}", all.len());
    all.remove(0)
}
