//! Retry budget acceptance: a burst of failures stops retrying once the budget is empty (counted
//! at the server), and retrying resumes after successes refill it. Waits go to a
//! [`RecordingClock`], so nothing sleeps for real.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use client_core::clock::RecordingClock;
use client_core::{Client, ErrorKind, RetryBudget, RetryPolicy, StatusCode};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/fail"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/timeout"))
        .respond_with(ResponseTemplate::new(408))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/ok"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, budget: RetryBudget, clock: &RecordingClock) -> Client {
    Client::builder(server.uri())
        .retry_policy(RetryPolicy::default()) // 3 attempts
        .retry_budget(budget)
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap()
}

/// Requests the server has received on `route` so far.
async fn received(server: &MockServer, route: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == route)
        .count()
}

#[tokio::test]
async fn a_burst_of_failures_stops_retrying_when_the_budget_is_empty_and_successes_refill_it() {
    let server = server().await;
    let clock = RecordingClock::new();
    // 10 tokens; a retry costs 5; a success refunds 5.
    let budget = RetryBudget::new(10, 5, 10, 5);
    let client = client(&server, budget.clone(), &clock);

    // The first failing call retries twice (3 requests) and empties the budget.
    let err = client.get("/fail").send_empty().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(received(&server, "/fail").await, 3);
    assert_eq!(budget.available(), 0);
    assert_eq!(clock.sleeps().len(), 2);

    // The rest of the burst is sent once each: no retries, no waits.
    for _ in 0..5 {
        let err = client.get("/fail").send_empty().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Http);
        assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    }
    assert_eq!(received(&server, "/fail").await, 3 + 5);
    assert_eq!(clock.sleeps().len(), 2);

    // One success refunds one retry.
    client.get("/ok").send_empty().await.unwrap();
    assert_eq!(budget.available(), 5);
    client.get("/fail").send_empty().await.unwrap_err();
    assert_eq!(received(&server, "/fail").await, 8 + 2);
    assert_eq!(budget.available(), 0);

    // Two successes refill the bucket: a failing call retries fully again.
    client.get("/ok").send_empty().await.unwrap();
    client.get("/ok").send_empty().await.unwrap();
    assert_eq!(budget.available(), 10);
    client.get("/fail").send_empty().await.unwrap_err();
    assert_eq!(received(&server, "/fail").await, 10 + 3);
    assert_eq!(clock.sleeps().len(), 2 + 1 + 2);

    // Refunds never overfill the bucket.
    for _ in 0..10 {
        client.get("/ok").send_empty().await.unwrap();
    }
    assert_eq!(budget.available(), 10);
}

#[tokio::test]
async fn a_retry_after_a_timeout_costs_more() {
    let server = server().await;
    let clock = RecordingClock::new();
    // A retry after a timeout (408 here) costs 10 of the 15 tokens, any other retry 5.
    let budget = RetryBudget::new(15, 5, 10, 1);
    let client = client(&server, budget.clone(), &clock);

    let err = client.get("/timeout").send_empty().await.unwrap_err();
    assert!(err.is_timeout());
    // 15 → 5 after the first retry; the second retry cannot pay 10.
    assert_eq!(received(&server, "/timeout").await, 2);
    assert_eq!(budget.available(), 5);
    // A plain failure can still pay for one retry.
    client.get("/fail").send_empty().await.unwrap_err();
    assert_eq!(received(&server, "/fail").await, 2);
    assert_eq!(budget.available(), 0);
}

#[tokio::test]
async fn clones_and_clients_given_the_same_budget_share_it() {
    let server = server().await;
    let clock = RecordingClock::new();
    let budget = RetryBudget::new(10, 5, 10, 5);
    let first = client(&server, budget.clone(), &clock);
    let second = client(&server, budget.clone(), &clock);
    let clone = first.clone();

    // The first client's failure drains the budget the others draw on.
    first.get("/fail").send_empty().await.unwrap_err();
    assert_eq!(received(&server, "/fail").await, 3);
    assert_eq!(second.retry_budget().available(), 0);
    second.get("/fail").send_empty().await.unwrap_err();
    clone.get("/fail").send_empty().await.unwrap_err();
    assert_eq!(received(&server, "/fail").await, 5);

    // A success on the second client refills it for the first.
    second.get("/ok").send_empty().await.unwrap();
    second.get("/ok").send_empty().await.unwrap();
    first.get("/fail").send_empty().await.unwrap_err();
    assert_eq!(received(&server, "/fail").await, 8);
}

#[tokio::test]
async fn the_default_budget_allows_a_short_outage_but_not_a_storm() {
    let server = server().await;
    let clock = RecordingClock::new();
    let client = Client::builder(server.uri())
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    // Default: 500 tokens, 5 per retry → 100 retries, i.e. 50 calls retried twice.
    for _ in 0..60 {
        client.get("/fail").send_empty().await.unwrap_err();
    }
    assert_eq!(received(&server, "/fail").await, 50 * 3 + 10);
    assert_eq!(client.retry_budget().available(), 0);
}
