//! Heilo's documented error bodies decoded into kinds and codes; `Retry-After` honoured on a
//! 429 (asserted on a recording clock); pages that are not Heilo JSON keep their status; a
//! create is never sent twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use client_core::clock::RecordingClock;
use common::{base, call, client, client_with, reply, KEY};
use heilo_client::error::{
    is_maintenance, is_subscription_inactive, is_validation, ErrorBody, ErrorCode,
};
use heilo_client::webhooks::EventType;
use heilo_client::webhooks_api::NewWebhookSubscription;
use heilo_client::{ErrorKind, HeiloClient, RetryPolicy};
use wiremock::{MockServer, ResponseTemplate};

/// A client with the default retry policy and a clock that records its sleeps.
fn retrying_client(server: &MockServer) -> (HeiloClient, RecordingClock) {
    let clock = RecordingClock::new();
    let shared = clock.clone();
    let heilo = HeiloClient::builder(KEY)
        .base_url(base(server))
        .without_rate_limits()
        .configure(move |core| core.clock(Arc::new(shared)))
        .build()
        .unwrap();
    (heilo, clock)
}

#[tokio::test]
async fn unauthorized_is_an_auth_error() {
    let server = MockServer::start().await;
    call("GET", "/me")
        .respond_with(reply(401, "error_unauthorized_401.json"))
        .expect(1)
        .mount(&server)
        .await;
    let (heilo, clock) = retrying_client(&server);
    let err = heilo.me().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.is_auth());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::Unauthorized));
    assert_eq!(err.message(), Some("Missing or invalid Bearer token"));
    assert!(!err.is_retryable());
    assert!(clock.sleeps().is_empty());
    let body = ErrorBody::from_error(&err).unwrap();
    assert_eq!(body.code.as_deref(), Some("UNAUTHORIZED"));
    assert_eq!(
        body.timestamp.map(|t| t.as_str().to_owned()).as_deref(),
        Some("2026-06-03T12:34:56Z")
    );
    // The key never leaks into the error.
    assert!(!format!("{err:?} {err}").contains(KEY));
}

#[tokio::test]
async fn missing_scope_is_forbidden() {
    let server = MockServer::start().await;
    call("GET", "/calls")
        .respond_with(reply(403, "error_forbidden_403.json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).calls().list().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(err.vendor_code(), Some("FORBIDDEN"));
    assert_eq!(
        err.message(),
        Some("API key lacks required scope: read.calls")
    );
}

#[tokio::test]
async fn not_found_is_not_found() {
    let server = MockServer::start().await;
    call("GET", "/calls/nope")
        .respond_with(reply(404, "error_not_found_404.json"))
        .expect(1)
        .mount(&server)
        .await;
    let (heilo, _) = retrying_client(&server);
    let err = heilo.calls().get("nope").await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::NotFound));
    assert!(err.to_string().contains("[NOT_FOUND]"), "{err}");
}

#[tokio::test]
async fn subscription_inactive_by_status() {
    let server = MockServer::start().await;
    call("GET", "/me")
        .respond_with(reply(402, "error_subscription_inactive_402.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/webhook-subscriptions")
        .respond_with(reply(409, "error_subscription_paused_409.json"))
        .expect(1)
        .mount(&server)
        .await;
    let heilo = client(&server);
    let billing = heilo.me().await.unwrap_err();
    assert_eq!(billing.kind(), ErrorKind::Forbidden);
    assert!(is_subscription_inactive(&billing));
    let paused = heilo
        .webhooks()
        .create(NewWebhookSubscription::new(
            "https://x.example.com/h",
            [EventType::CallCompleted],
        ))
        .await
        .unwrap_err();
    assert_eq!(paused.kind(), ErrorKind::Conflict);
    assert!(is_subscription_inactive(&paused));
}

#[tokio::test]
async fn bad_request_and_validation_errors() {
    let server = MockServer::start().await;
    call("GET", "/calls")
        .respond_with(reply(400, "error_bad_request_400.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/webhook-subscriptions")
        .respond_with(reply(422, "error_validation_422.json"))
        .expect(1)
        .mount(&server)
        .await;
    let heilo = client(&server);
    let bad = heilo.calls().list().send().await.unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::Http);
    assert!(is_validation(&bad));
    let invalid = heilo
        .webhooks()
        .create(NewWebhookSubscription::new(
            "https://x.example.com/h",
            [EventType::CallCompleted],
        ))
        .await
        .unwrap_err();
    assert!(is_validation(&invalid));
    assert_eq!(ErrorCode::of(&invalid), Some(ErrorCode::ValidationError));
    assert_eq!(invalid.status().map(|s| s.as_u16()), Some(422));
}

#[tokio::test]
async fn rate_limited_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    call("GET", "/calls")
        .respond_with(
            reply(429, "error_rate_limited_429.json")
                .insert_header("retry-after", "7")
                .insert_header("x-ratelimit-limit", "1000")
                .insert_header("x-ratelimit-remaining", "0"),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/calls")
        .respond_with(reply(200, "calls_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    let (heilo, clock) = retrying_client(&server);
    let page = heilo.calls().list().send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(7)]);
}

#[tokio::test]
async fn a_long_retry_after_is_returned_not_slept() {
    let server = MockServer::start().await;
    // The documented 429, headers included.
    call("GET", "/calls")
        .respond_with(
            reply(429, "error_rate_limited_429.json")
                .insert_header("retry-after", "1842")
                .insert_header("x-ratelimit-limit", "1000")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "2026-06-03T13:00:00Z"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (heilo, clock) = retrying_client(&server);
    let err = heilo.calls().list().send().await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::RateLimited));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1842)));
    assert_eq!(err.message(), Some("Per-key rate limit 1000/h exceeded"));
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn html_500_keeps_its_status_and_gets_retried() {
    let server = MockServer::start().await;
    call("GET", "/calls/x")
        .respond_with(ResponseTemplate::new(500).set_body_raw(
            "<html><body><h1>500 Internal Server Error</h1></body></html>",
            "text/html",
        ))
        .expect(3)
        .mount(&server)
        .await;
    let (heilo, clock) = retrying_client(&server);
    let err = heilo.calls().get("x").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.vendor_code(), None);
    assert!(err.is_retryable());
    assert!(err
        .body_snippet()
        .unwrap()
        .contains("Internal Server Error"));
    assert_eq!(clock.sleeps().len(), 2, "two backoffs for three attempts");
}

#[tokio::test]
async fn empty_bodies_keep_their_status() {
    let server = MockServer::start().await;
    call("GET", "/me")
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/calls")
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let heilo = client(&server);
    let err = heilo.me().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.kind(), ErrorKind::Http);
    let err = heilo.calls().list().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.vendor_code(), None);
}

#[tokio::test]
async fn maintenance_is_retried_for_reads() {
    let server = MockServer::start().await;
    call("GET", "/me")
        .respond_with(reply(503, "error_maintenance_503.json"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/me")
        .respond_with(reply(200, "me.json"))
        .expect(1)
        .mount(&server)
        .await;
    let (heilo, clock) = retrying_client(&server);
    heilo.me().await.unwrap();
    assert_eq!(clock.sleeps().len(), 1);

    let server = MockServer::start().await;
    call("GET", "/me")
        .respond_with(reply(503, "error_maintenance_503.json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client_with(&server, RetryPolicy::never())
        .me()
        .await
        .unwrap_err();
    assert!(is_maintenance(&err));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_create_is_not_retried_on_500() {
    let server = MockServer::start().await;
    call("POST", "/webhook-subscriptions")
        .respond_with(reply(500, "error_database_500.json"))
        .expect(1)
        .mount(&server)
        .await;
    let (heilo, clock) = retrying_client(&server);
    let err = heilo
        .webhooks()
        .create(NewWebhookSubscription::new(
            "https://crm.example.com/hook",
            [EventType::CallCompleted],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::DatabaseError));
    assert!(clock.sleeps().is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_create_is_not_retried_on_429_either() {
    let server = MockServer::start().await;
    call("POST", "/webhook-subscriptions")
        .respond_with(reply(429, "error_rate_limited_429.json").insert_header("retry-after", "2"))
        .expect(1)
        .mount(&server)
        .await;
    let (heilo, clock) = retrying_client(&server);
    let err = heilo
        .webhooks()
        .create(NewWebhookSubscription::new(
            "https://crm.example.com/hook",
            [EventType::CallCompleted],
        ))
        .await
        .unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    assert!(clock.sleeps().is_empty());
}
