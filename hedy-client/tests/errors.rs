//! Errors as Hedy sends them (JSON bodies with codes, HTML pages, empty bodies), retries
//! (never a repeated create), decode failures with their JSON path, and client-side
//! validation that refuses before anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{call, client, client_with, fast_retries, fixture, reply, reply_json};
use hedy_client::contexts::{ContextChanges, NewContext};
use hedy_client::error::{ErrorBody, ErrorCode};
use hedy_client::topics::{NewTopic, TopicChanges};
use hedy_client::webhooks::EventType;
use hedy_client::webhooks_api::NewWebhook;
use hedy_client::{ErrorKind, HedyClient, RateLimits, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn html(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "text/html; charset=utf-8")
}

#[tokio::test]
async fn not_found_json_body() {
    let server = MockServer::start().await;
    call("GET", "/sessions/sess_missing")
        .respond_with(reply(404, "error_session_not_found_404.json"))
        .expect(1) // a 404 is not retried, even with retries on
        .mount(&server)
        .await;
    let err = client_with(&server, fast_retries())
        .sessions()
        .get("sess_missing")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.is_not_found());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.vendor_code(), Some("session_not_found"));
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::SessionNotFound));
    assert_eq!(err.message(), Some("Session not found"));
    assert!(!err.is_retryable());
    let body = ErrorBody::from_error(&err).unwrap();
    assert_eq!(body.success, Some(false));
    assert_eq!(body.error.code, Some(ErrorCode::SessionNotFound));
    assert_eq!(
        err.to_string(),
        "not found (HTTP 404) [session_not_found]: Session not found"
    );
}

#[tokio::test]
async fn other_not_found_codes() {
    let server = MockServer::start().await;
    for (p, fixture_name) in [
        ("/highlights/nope", "error_highlight_not_found_404.json"),
        ("/sessions/s/todos/nope", "error_todo_not_found_404.json"),
        ("/topics/nope", "error_not_found_404.json"),
    ] {
        call("GET", p)
            .respond_with(reply(404, fixture_name))
            .expect(1)
            .mount(&server)
            .await;
    }
    let hedy = client(&server);
    let e1 = hedy.highlights().get("nope").await.unwrap_err();
    let e2 = hedy.sessions().todo("s", "nope").await.unwrap_err();
    let e3 = hedy.topics().get("nope").await.unwrap_err();
    for (e, code) in [
        (e1, "highlight_not_found"),
        (e2, "todo_not_found"),
        (e3, "not_found"),
    ] {
        assert!(e.is_not_found(), "{e}");
        assert_eq!(e.vendor_code(), Some(code));
    }
}

#[tokio::test]
async fn invalid_page_size_from_the_server_keeps_the_code() {
    let server = MockServer::start().await;
    call("GET", "/highlights")
        .respond_with(reply(400, "error_invalid_page_size_400.json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client_with(&server, fast_retries())
        .highlights()
        .list()
        .limit(100)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(ErrorCode::of(&err), Some(ErrorCode::InvalidPageSize));
    assert_eq!(err.message(), Some("limit must be between 1 and 100"));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn rate_limited_with_one_attempt() {
    let server = MockServer::start().await;
    call("GET", "/sessions")
        .respond_with(reply(429, "error_rate_limit_exceeded_429.json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client_with(&server, RetryPolicy::never())
        .sessions()
        .list()
        .send()
        .await
        .unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.vendor_code(), Some("rate_limit_exceeded"));
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), None); // Hedy sends no Retry-After
}

#[tokio::test]
async fn rate_limited_get_is_retried_then_succeeds() {
    let server = MockServer::start().await;
    call("GET", "/me")
        .respond_with(reply(429, "error_rate_limit_exceeded_429.json"))
        .up_to_n_times(2)
        .expect(2)
        .with_priority(1)
        .mount(&server)
        .await;
    call("GET", "/me")
        .respond_with(reply(200, "me.json"))
        .expect(1)
        .mount(&server)
        .await;
    let me = client_with(&server, fast_retries()).me().await.unwrap();
    assert_eq!(me.name.as_deref(), Some("Dana Example"));
}

#[tokio::test]
async fn html_500_keeps_its_status() {
    let server = MockServer::start().await;
    call("GET", "/topics")
        .respond_with(html(500, "error_internal_500.html"))
        .expect(3) // a GET is retried: three attempts
        .mount(&server)
        .await;
    let err = client_with(&server, fast_retries())
        .topics()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.vendor_code(), None);
    assert_eq!(err.message(), None);
    assert!(err.is_retryable());
    assert!(err
        .body_snippet()
        .unwrap()
        .contains("Internal Server Error"));
    assert!(!err.is_decode());
}

#[tokio::test]
async fn empty_502_keeps_its_status() {
    let server = MockServer::start().await;
    call("GET", "/todos")
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).todos().list().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.body_snippet(), None);
}

#[tokio::test]
async fn creates_and_updates_are_never_repeated() {
    let server = MockServer::start().await;
    call("POST", "/topics")
        .respond_with(html(500, "error_internal_500.html"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/contexts")
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/webhooks")
        .respond_with(reply(429, "error_rate_limit_exceeded_429.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PATCH", "/topics/topic_xyz")
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client_with(&server, fast_retries());
    let e = hedy
        .topics()
        .create(NewTopic::new("Sales"))
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(500));
    // The failure is transient, but this create may have reached the server: it must not be
    // repeated, by the client or by the caller.
    assert!(e.is_transient());
    assert!(!e.is_retryable());
    hedy.contexts()
        .create(NewContext::new("T"))
        .await
        .unwrap_err();
    let e = hedy
        .webhooks()
        .create(NewWebhook::new(
            "https://h.example.com",
            [EventType::SessionEnded],
        ))
        .await
        .unwrap_err();
    assert!(e.is_rate_limited());
    hedy.topics()
        .update("topic_xyz", TopicChanges::new().name("x"))
        .await
        .unwrap_err();
}

#[tokio::test]
async fn delete_is_retried_as_idempotent() {
    let server = MockServer::start().await;
    call("DELETE", "/contexts/ctx_a1b2c3")
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    call("DELETE", "/contexts/ctx_a1b2c3")
        .respond_with(reply(200, "context_deleted.json"))
        .expect(1)
        .mount(&server)
        .await;
    let ack = client_with(&server, fast_retries())
        .contexts()
        .delete("ctx_a1b2c3")
        .await
        .unwrap();
    assert_eq!(ack.success, Some(true));
}

#[tokio::test]
async fn auth_forbidden_and_conflict_codes() {
    let server = MockServer::start().await;
    call("GET", "/me")
        .respond_with(reply(401, "error_invalid_api_key_401.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/contexts")
        .respond_with(reply(403, "error_tier_limit_exceeded_403.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/topics")
        .respond_with(reply_json(
            400,
            json!({"success": false, "error": {"code": "context_limit_exceeded", "message": "Free tier: one context"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/topics/topic_xyz")
        .respond_with(reply(409, "error_deletion_in_progress_409.json"))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let e = hedy.me().await.unwrap_err();
    assert!(e.is_auth());
    assert_eq!(ErrorCode::of(&e), Some(ErrorCode::InvalidApiKey));
    let e = hedy
        .contexts()
        .create(NewContext::new("Second"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(ErrorCode::of(&e), Some(ErrorCode::TierLimitExceeded));
    let e = hedy.topics().create(NewTopic::new("x")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    let e = hedy.topics().delete("topic_xyz").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(ErrorCode::of(&e), Some(ErrorCode::DeletionInProgress));
}

#[tokio::test]
async fn unknown_error_codes_are_kept() {
    let server = MockServer::start().await;
    call("DELETE", "/topics/big")
        .respond_with(reply_json(
            400,
            json!({"success": false, "error": {"code": "deletion_limit_exceeded", "message": "Too many sessions"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/webhooks")
        .respond_with(reply_json(
            418,
            json!({"success": false, "error": {"code": "teapot_overflow", "message": "?"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let e = hedy.topics().delete("big").await.unwrap_err();
    assert_eq!(ErrorCode::of(&e), Some(ErrorCode::DeletionLimitExceeded));
    assert_eq!(e.kind(), ErrorKind::Http);
    let e = hedy.webhooks().list().send().await.unwrap_err();
    assert_eq!(
        ErrorCode::of(&e),
        Some(ErrorCode::Unknown("teapot_overflow".into()))
    );
    assert_eq!(e.status().map(|s| s.as_u16()), Some(418));
}

#[tokio::test]
async fn success_false_in_a_200_is_an_error() {
    let server = MockServer::start().await;
    call("GET", "/topics/topic_xyz")
        .respond_with(reply(200, "error_not_found_404.json"))
        .expect(1)
        .mount(&server)
        .await;
    let e = client(&server).topics().get("topic_xyz").await.unwrap_err();
    assert!(e.is_not_found());
    assert_eq!(e.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn bodies_that_fit_no_shape_fail_with_their_path() {
    let server = MockServer::start().await;
    let mut page = common::fixture_json("sessions_list_page1.json");
    page["data"][1]["duration"] = json!("forty-five");
    call("GET", "/sessions")
        .respond_with(reply_json(200, page))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/topics/topic_xyz")
        .respond_with(reply_json(200, json!({"success": true, "data": null})))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/sessions/s1")
        .respond_with(reply_json(200, json!({"title": "no id"})))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/contexts")
        .respond_with(reply_json(200, json!({"success": true, "result": []})))
        .expect(1)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let e = hedy.sessions().list().send().await.unwrap_err();
    assert!(e.is_decode());
    assert_eq!(e.json_path(), Some("data[1].duration"));
    assert!(e.body_snippet().is_some());
    let e = hedy.topics().get("topic_xyz").await.unwrap_err();
    assert_eq!(e.json_path(), Some("data"));
    let e = hedy.sessions().get("s1").await.unwrap_err();
    assert!(e.is_decode());
    assert!(e.to_string().contains("sessionId"), "{e}");
    let e = hedy.contexts().list().send().await.unwrap_err();
    assert!(e.is_decode());
    assert!(e.to_string().contains("data"), "{e}");
}

#[tokio::test]
async fn validation_refuses_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let hedy = client(&server);
    let mut errors = Vec::new();
    for limit in [0, 101] {
        errors.push(
            hedy.sessions()
                .list()
                .limit(limit)
                .send()
                .await
                .unwrap_err(),
        );
        errors.push(
            hedy.highlights()
                .list()
                .limit(limit)
                .send()
                .await
                .unwrap_err(),
        );
        errors.push(
            hedy.topics()
                .sessions("topic_xyz")
                .limit(limit)
                .send()
                .await
                .unwrap_err(),
        );
        let mut stream = hedy.sessions().list().limit(limit).into_stream();
        errors.push(
            futures::TryStreamExt::try_next(&mut stream)
                .await
                .unwrap_err(),
        );
    }
    for topic in [
        NewTopic::new(""),
        NewTopic::new("   "),
        NewTopic::new("n".repeat(101)),
        NewTopic::new("ok").description("d".repeat(501)),
        NewTopic::new("ok").color("#12345G"),
        NewTopic::new("ok").color("4A90D9"),
        NewTopic::new("ok").topic_context("c".repeat(20_001)),
    ] {
        errors.push(hedy.topics().create(topic).await.unwrap_err());
    }
    for changes in [
        TopicChanges::new().name(""),
        TopicChanges::new().color("red"),
        TopicChanges::new().topic_context("c".repeat(20_001)),
    ] {
        errors.push(
            hedy.topics()
                .update("topic_xyz", changes)
                .await
                .unwrap_err(),
        );
    }
    for context in [
        NewContext::new(""),
        NewContext::new("t".repeat(201)),
        NewContext::new("ok").content("c".repeat(20_001)),
    ] {
        errors.push(hedy.contexts().create(context).await.unwrap_err());
    }
    errors.push(
        hedy.contexts()
            .update("ctx", ContextChanges::new().title("t".repeat(201)))
            .await
            .unwrap_err(),
    );
    for webhook in [
        NewWebhook::new("http://hooks.example.com/x", [EventType::SessionEnded]),
        NewWebhook::new("hooks.example.com/x", [EventType::SessionEnded]),
        NewWebhook::new("https://hooks.example.com/x", []),
    ] {
        errors.push(hedy.webhooks().create(webhook).await.unwrap_err());
    }
    // Empty ids, refused by the transport.
    errors.push(hedy.sessions().get("").await.unwrap_err());
    errors.push(hedy.topics().delete("").await.unwrap_err());
    assert_eq!(errors.len(), 27);
    for e in &errors {
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
        assert_eq!(e.status(), None);
    }
    assert!(errors[0].to_string().contains("limit"), "{}", errors[0]);
}

#[tokio::test]
async fn a_wrong_base_url_or_key_is_a_config_error() {
    for result in [
        HedyClient::builder("k").base_url("ftp://x").build(),
        HedyClient::builder("").build(),
        HedyClient::builder("bad\nkey")
            .rate_limits(RateLimits::off())
            .build(),
    ] {
        assert_eq!(result.unwrap_err().kind(), ErrorKind::Config);
    }
}
