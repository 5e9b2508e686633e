//! `Error::is_retryable()` answers for the request that failed: a transient failure of a GET or
//! PUT, or of a POST that never reached the server, may be repeated; a POST that may have
//! reached the server may not (a caller's own retry loop would create twice), unless the
//! vendor crate marked it safe. `is_transient()` keeps the bare "the failure is transient"
//! answer, and `may_have_reached_server()` says which case it was.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use client_core::{Client, Error, ErrorKind, Method, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base: &str) -> Client {
    Client::builder(base)
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

async fn failing_server(status: u16, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(status))
        .expect(times)
        .mount(&server)
        .await;
    server
}

async fn send(client: &Client, verb: Method) -> Error {
    client
        .request(verb, "/things")
        .json(&serde_json::json!({"name": "a"}))
        .send_empty()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_get_that_failed_transiently_may_be_repeated() {
    let server = failing_server(503, 1).await;
    let err = send(&client(&server.uri()), Method::GET).await;
    assert!(err.is_transient());
    assert!(err.is_retryable());
    assert_eq!(err.may_have_reached_server(), Some(true));
}

#[tokio::test]
async fn a_put_that_failed_transiently_may_be_repeated() {
    let server = failing_server(502, 1).await;
    let err = send(&client(&server.uri()), Method::PUT).await;
    assert!(err.is_retryable());
    assert_eq!(err.may_have_reached_server(), Some(true));
}

#[tokio::test]
async fn a_post_that_reached_the_server_must_not_be_repeated() {
    let server = failing_server(503, 1).await;
    let err = send(&client(&server.uri()), Method::POST).await;
    assert!(err.is_transient(), "the failure itself is transient");
    assert!(
        !err.is_retryable(),
        "but repeating this POST could create twice"
    );
    assert_eq!(err.may_have_reached_server(), Some(true));
}

#[tokio::test]
async fn a_post_that_timed_out_after_sending_must_not_be_repeated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(2)))
        .expect(1)
        .mount(&server)
        .await;
    let err = send(&client(&server.uri()), Method::POST).await;
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.is_transient());
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_post_that_never_reached_the_server_may_be_repeated() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let err = send(&client(&format!("http://127.0.0.1:{port}")), Method::POST).await;
    assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
    assert!(err.is_retryable());
    assert_eq!(err.may_have_reached_server(), Some(false));
}

#[tokio::test]
async fn a_post_marked_safe_by_the_vendor_may_be_repeated() {
    let server = failing_server(503, 1).await;
    let err = client(&server.uri())
        .post("/things")
        .json(&serde_json::json!({"query": "{ a }"}))
        .retry_safe()
        .send_empty()
        .await
        .unwrap_err();
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_permanent_failure_is_never_retryable() {
    let server = failing_server(400, 1).await;
    let err = send(&client(&server.uri()), Method::GET).await;
    assert!(!err.is_transient());
    assert!(!err.is_retryable());
}

#[test]
fn an_error_made_outside_a_request_says_nothing_about_the_server() {
    let err = Error::new(ErrorKind::RateLimited, "budget").with_retryable(true);
    assert!(err.is_retryable());
    assert_eq!(err.may_have_reached_server(), None);
}
