//! Wiremock matchers and request parsers shared by the workspace's tests: an exact query
//! matcher, an empty-body matcher, the single request a server received, and a small
//! `multipart/form-data` parser to check what an upload sent; and the Redis the tests run
//! against ([`redis`]).
#![deny(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use wiremock::{Match, MockServer, Request};

pub mod redis;
#[cfg(feature = "redis-bench")]
pub mod redis_bench;

/// The query string is exactly these pairs (in any order), nothing more.
pub struct QueryIs(pub Vec<(String, String)>);

/// A matcher for a query of exactly `pairs`.
pub fn query_is(pairs: &[(&str, &str)]) -> QueryIs {
    QueryIs(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// A matcher for a request with no query at all.
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
    /// The `name` of its `Content-Disposition`.
    pub name: String,
    /// The `filename`, for a file part.
    pub file_name: Option<String>,
    /// Its `Content-Type`, if any.
    pub content_type: Option<String>,
    /// Its bytes.
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
