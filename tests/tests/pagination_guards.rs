//! Every vendor's listing stream refuses to loop, against wiremock servers that misbehave the
//! way issue reports describe: claiming more forever with the same items, going past the
//! totals they declared, cycling through pages, and (per vendor, as each crate documents)
//! stopping short of their own totals. Each walk ends with a `Pagination` error after a
//! bounded number of requests, and no item is yielded twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use client_core::{Error, ErrorKind, RetryPolicy};
use futures::stream::BoxStream;
use futures::StreamExt;
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A server whose answer is computed from the request (query or GraphQL variables).
struct Computed<F>(F);

impl<F: Fn(&Request) -> Value + Send + Sync + 'static> Respond for Computed<F> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_json((self.0)(request))
    }
}

async fn server<F: Fn(&Request) -> Value + Send + Sync + 'static>(answer: F) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(Computed(answer))
        .mount(&server)
        .await;
    server
}

fn query(request: &Request, key: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn variable(request: &Request, key: &str) -> Value {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
    body["variables"][key].clone()
}

/// Walk a stream to its end: the ids yielded, and the error that ended it.
async fn walk<T>(
    stream: BoxStream<'static, Result<T, Error>>,
    id: fn(&T) -> String,
) -> (Vec<String>, Option<Error>) {
    let mut stream = stream;
    let mut seen = Vec::new();
    let run = async {
        while let Some(item) = stream.next().await {
            match item {
                Ok(item) => seen.push(id(&item)),
                Err(e) => return Some(e),
            }
        }
        None
    };
    let error = tokio::time::timeout(Duration::from_secs(30), run)
        .await
        .expect("the walk did not end");
    (seen, error)
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn assert_guarded(
    vendor: &str,
    (seen, error): (Vec<String>, Option<Error>),
    expected: &[&str],
    requests: usize,
    expected_requests: usize,
) {
    let error = error.unwrap_or_else(|| panic!("{vendor}: the walk ended without an error"));
    assert_eq!(error.kind(), ErrorKind::Pagination, "{vendor}: {error}");
    assert_eq!(seen, expected, "{vendor}: {error}");
    assert_eq!(requests, expected_requests, "{vendor}: requests sent");
}

fn names(range: std::ops::Range<u64>) -> Vec<String> {
    range.map(|n| n.to_string()).collect()
}

// ---- Speakr: GET /recordings?page=N, {recordings, pagination{has_next, total, total_pages}}

fn speakr(server: &MockServer) -> speakr_client::SpeakrClient {
    speakr_client::SpeakrClient::builder("t")
        .base_url(format!("{}/api/v1", server.uri()))
        .rate_limits(speakr_client::RateLimits::off())
        .configure(|core| core.retry_policy(RetryPolicy::never()))
        .build()
        .unwrap()
}

fn recordings(range: std::ops::Range<u64>) -> Value {
    json!(range
        .map(|id| json!({"id": id, "title": "t", "status": "COMPLETED"}))
        .collect::<Vec<_>>())
}

fn speakr_page(request: &Request) -> u64 {
    query(request, "page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
}

async fn speakr_walk(server: &MockServer) -> (Vec<String>, Option<Error>) {
    let stream = speakr(server).recordings().list().per_page(3).into_stream();
    walk(stream, |r: &speakr_client::recordings::Recording| {
        r.id.to_string()
    })
    .await
}

#[tokio::test]
async fn speakr_has_next_forever_with_the_same_items() {
    let server = server(|_| {
        json!({"recordings": recordings(1..4),
               "pagination": {"page": 1, "per_page": 3, "total": 6, "total_pages": 2,
                              "has_next": true, "has_prev": false}})
    })
    .await;
    let got = speakr_walk(&server).await;
    assert_guarded("speakr", got, &["1", "2", "3"], requests(&server).await, 2);
}

#[tokio::test]
async fn speakr_past_its_declared_total_pages() {
    let server = server(|r| {
        let n = speakr_page(r);
        json!({"recordings": recordings(n * 3 - 2..n * 3 + 1),
               "pagination": {"page": n, "per_page": 3, "total": 6, "total_pages": 2,
                              "has_next": true}})
    })
    .await;
    let got = speakr_walk(&server).await;
    let six: Vec<String> = names(1..7);
    let six: Vec<&str> = six.iter().map(String::as_str).collect();
    assert_guarded("speakr", got, &six, requests(&server).await, 2);
}

#[tokio::test]
async fn speakr_cycling_pages() {
    let server = server(|r| {
        let first = if speakr_page(r) % 2 == 1 { 1 } else { 4 };
        json!({"recordings": recordings(first..first + 3),
               "pagination": {"has_next": true}})
    })
    .await;
    let got = speakr_walk(&server).await;
    let six: Vec<String> = names(1..7);
    let six: Vec<&str> = six.iter().map(String::as_str).collect();
    assert_guarded("speakr", got, &six, requests(&server).await, 3);
}

#[tokio::test]
async fn speakr_ending_short_of_its_own_totals_is_an_error() {
    // `has_next: false` on page 1 of a declared 3 (6 recordings), after 2.
    let server = server(|_| {
        json!({"recordings": recordings(1..3),
               "pagination": {"page": 1, "per_page": 2, "total": 6, "total_pages": 3,
                              "has_next": false}})
    })
    .await;
    let got = speakr_walk(&server).await;
    assert_guarded("speakr", got, &["1", "2"], requests(&server).await, 1);
}

#[tokio::test]
async fn speakr_raw_records_are_guarded_the_same_way() {
    let server = server(|_| {
        json!({"recordings": recordings(1..4),
               "pagination": {"total": 6, "total_pages": 2, "has_next": true}})
    })
    .await;
    let stream = speakr(&server).recordings().list().records().items();
    let got = walk(stream, |r: &Value| r["id"].to_string()).await;
    assert_guarded(
        "speakr records",
        got,
        &["1", "2", "3"],
        requests(&server).await,
        2,
    );
}

// ---- Heilo: GET /calls?page=N, {success, data{items, has_more, page, limit}, meta}

fn heilo(server: &MockServer) -> heilo_client::HeiloClient {
    heilo_client::HeiloClient::builder("hk_live_TestKey123")
        .base_url(format!("{}/api/v1", server.uri()))
        .rate_limits(heilo_client::RateLimits::off())
        .configure(|core| core.retry_policy(RetryPolicy::never()))
        .build()
        .unwrap()
}

fn calls(ids: &[&str], more: bool) -> Value {
    let items: Vec<Value> = ids.iter().map(|id| json!({"call_id": id})).collect();
    json!({"success": true, "data": {"items": items, "has_more": more}, "meta": {}})
}

async fn heilo_walk(server: &MockServer) -> (Vec<String>, Option<Error>) {
    let stream = heilo(server).calls().list().limit(2).into_stream();
    walk(stream, |c: &heilo_client::calls::Call| c.call_id.clone()).await
}

#[tokio::test]
async fn heilo_has_more_forever_with_the_same_two_calls() {
    let server = server(|_| calls(&["a", "b"], true)).await;
    let got = heilo_walk(&server).await;
    assert_guarded("heilo", got, &["a", "b"], requests(&server).await, 2);
}

#[tokio::test]
async fn heilo_cycling_pages() {
    let server = server(|r| {
        let n: u64 = query(r, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
        if n % 2 == 1 {
            calls(&["a", "b"], true)
        } else {
            calls(&["c", "d"], true)
        }
    })
    .await;
    let got = heilo_walk(&server).await;
    assert_guarded(
        "heilo",
        got,
        &["a", "b", "c", "d"],
        requests(&server).await,
        3,
    );
}

// ---- Hedy: GET /sessions?after=C, {success, data, pagination{hasMore, next, total}}

fn hedy(server: &MockServer) -> hedy_client::HedyClient {
    hedy_client::HedyClient::builder("key")
        .base_url(server.uri())
        .rate_limits(hedy_client::RateLimits::off())
        .configure(|core| core.retry_policy(RetryPolicy::never()))
        .build()
        .unwrap()
}

fn hedy_cursor(request: &Request) -> u64 {
    query(request, "after")
        .and_then(|a| a.parse().ok())
        .unwrap_or(1)
}

fn sessions(
    range: std::ops::Range<u64>,
    more: bool,
    next: Option<u64>,
    total: Option<u64>,
) -> Value {
    let data: Vec<Value> = range
        .map(|id| json!({"sessionId": id.to_string()}))
        .collect();
    json!({"success": true, "data": data,
           "pagination": {"hasMore": more, "next": next.map(|n| n.to_string()), "total": total}})
}

async fn hedy_walk(server: &MockServer) -> (Vec<String>, Option<Error>) {
    let stream = hedy(server).sessions().list().limit(3).into_stream();
    walk(stream, |s: &hedy_client::sessions::Session| {
        s.session_id.clone()
    })
    .await
}

#[tokio::test]
async fn hedy_has_more_forever_with_the_same_items() {
    let server = server(|r| sessions(1..4, true, Some(hedy_cursor(r) + 1), None)).await;
    let got = hedy_walk(&server).await;
    assert_guarded("hedy", got, &["1", "2", "3"], requests(&server).await, 2);
}

#[tokio::test]
async fn hedy_past_its_declared_total() {
    let server = server(|r| {
        let n = hedy_cursor(r);
        sessions(n * 3 - 2..n * 3 + 1, true, Some(n + 1), Some(6))
    })
    .await;
    let got = hedy_walk(&server).await;
    let six: Vec<String> = names(1..7);
    let six: Vec<&str> = six.iter().map(String::as_str).collect();
    assert_guarded("hedy", got, &six, requests(&server).await, 2);
}

#[tokio::test]
async fn hedy_cycling_pages() {
    let server = server(|r| {
        let n = hedy_cursor(r);
        let first = if n % 2 == 1 { 1 } else { 4 };
        sessions(first..first + 3, true, Some(n + 1), None)
    })
    .await;
    let got = hedy_walk(&server).await;
    let six: Vec<String> = names(1..7);
    let six: Vec<&str> = six.iter().map(String::as_str).collect();
    assert_guarded("hedy", got, &six, requests(&server).await, 3);
}

#[tokio::test]
async fn hedy_has_more_without_a_cursor_is_its_documented_end() {
    let server = server(|_| sessions(1..3, true, None, None)).await;
    let (seen, error) = hedy_walk(&server).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(seen, ["1", "2"]);
    assert_eq!(requests(&server).await, 1);
}

// ---- Healthie: POST /graphql, `appointments` by offset (baseline) or connection (2026-01-01)

fn healthie(
    server: &MockServer,
    version: healthie_client::ApiVersion,
) -> healthie_client::HealthieClient {
    healthie_client::HealthieClient::builder("key")
        .base_url(format!("{}/graphql", server.uri()))
        .api_version(version)
        .without_rate_limits()
        .configure(|core| core.retry_policy(RetryPolicy::never()))
        .build()
        .unwrap()
}

fn appointments(range: std::ops::Range<u64>) -> Vec<Value> {
    range.map(|id| json!({"id": id.to_string()})).collect()
}

async fn healthie_walk(
    server: &MockServer,
    version: healthie_client::ApiVersion,
) -> (Vec<String>, Option<Error>) {
    let stream = healthie(server, version)
        .appointments()
        .list()
        .page_size(3)
        .into_stream();
    walk(stream, |a: &healthie_client::appointments::Appointment| {
        a.id.clone()
    })
    .await
}

#[tokio::test]
async fn healthie_baseline_same_page_at_every_offset() {
    let server = server(|_| json!({"data": {"appointments": appointments(1..4)}})).await;
    let got = healthie_walk(&server, healthie_client::ApiVersion::Unversioned).await;
    assert_guarded(
        "healthie baseline",
        got,
        &["1", "2", "3"],
        requests(&server).await,
        2,
    );
}

#[tokio::test]
async fn healthie_baseline_cycling_offsets() {
    let server = server(|r| {
        let offset = variable(r, "offset").as_u64().unwrap_or(0);
        let first = if (offset / 3).is_multiple_of(2) { 1 } else { 4 };
        json!({"data": {"appointments": appointments(first..first + 3)}})
    })
    .await;
    let got = healthie_walk(&server, healthie_client::ApiVersion::Unversioned).await;
    let six: Vec<String> = names(1..7);
    let six: Vec<&str> = six.iter().map(String::as_str).collect();
    assert_guarded("healthie baseline", got, &six, requests(&server).await, 3);
}

fn connection(range: std::ops::Range<u64>, next: Option<String>, more: bool, total: u64) -> Value {
    json!({"data": {"appointments": {
        "nodes": appointments(range),
        "page_info": {"has_next_page": more, "end_cursor": next},
        "total_count": total
    }}})
}

#[tokio::test]
async fn healthie_connection_past_its_total_count() {
    let server = server(|r| {
        let n: u64 = variable(r, "after")
            .as_str()
            .and_then(|a| a.parse().ok())
            .unwrap_or(1);
        connection(n * 3 - 2..n * 3 + 1, Some((n + 1).to_string()), true, 6)
    })
    .await;
    let got = healthie_walk(&server, healthie_client::ApiVersion::V2026_01_01).await;
    let six: Vec<String> = names(1..7);
    let six: Vec<&str> = six.iter().map(String::as_str).collect();
    assert_guarded("healthie", got, &six, requests(&server).await, 2);
}

#[tokio::test]
async fn healthie_connection_cycling_items_under_new_cursors() {
    let server = server(|r| {
        let n: u64 = variable(r, "after")
            .as_str()
            .and_then(|a| a.parse().ok())
            .unwrap_or(1);
        let first = if n % 2 == 1 { 1 } else { 4 };
        connection(first..first + 3, Some((n + 1).to_string()), true, 100)
    })
    .await;
    let got = healthie_walk(&server, healthie_client::ApiVersion::V2026_01_01).await;
    let six: Vec<String> = names(1..7);
    let six: Vec<&str> = six.iter().map(String::as_str).collect();
    assert_guarded("healthie", got, &six, requests(&server).await, 3);
}

#[tokio::test]
async fn healthie_connection_ending_before_total_count_is_its_documented_end() {
    let server = server(|_| connection(1..3, None, false, 5)).await;
    let (seen, error) = healthie_walk(&server, healthie_client::ApiVersion::V2026_01_01).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(seen, ["1", "2"]);
}
