//! Errors as the real server sends them, the four token placements and the rate-limit
//! classes. Decoding of every fixture: `fixtures.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{call, client, client_with, fixture, reply};
use speakr_client::error::{
    ErrorBody, FEATURE_DISABLED, LOGIN_REDIRECT, TOO_LARGE, UNKNOWN_EVENT_TYPE, WEBHOOK_LIMIT,
};
use speakr_client::folders::FolderFields;
use speakr_client::recordings::RecordingStatus;
use speakr_client::webhooks::EventType;
use speakr_client::webhooks_api::NewWebhook;
use speakr_client::{ErrorKind, RateLimits, RetryPolicy, TokenPlacement};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn html(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name), "text/html; charset=utf-8")
}

#[tokio::test]
async fn the_four_token_placements() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/stats"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(reply(200, "stats.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/stats"))
        .and(header("x-api-token", "test-token"))
        .respond_with(reply(200, "stats.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/stats"))
        .and(header("api-token", "test-token"))
        .respond_with(reply(200, "stats.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/stats"))
        .and(query_param("token", "test-token"))
        .respond_with(reply(200, "stats.json"))
        .expect(1)
        .mount(&server)
        .await;
    for placement in [
        TokenPlacement::Bearer,
        TokenPlacement::Header,
        TokenPlacement::ApiTokenHeader,
        TokenPlacement::Query,
    ] {
        let speakr = client_with(&server, placement, RetryPolicy::never());
        speakr.stats().send().await.unwrap();
    }
    // Exactly one credential per request.
    for req in server.received_requests().await.unwrap() {
        let creds = [
            req.headers.contains_key("authorization"),
            req.headers.contains_key("x-api-token"),
            req.headers.contains_key("api-token"),
            req.url.query_pairs().any(|(k, _)| k == "token"),
        ];
        assert_eq!(creds.iter().filter(|c| **c).count(), 1, "{:?}", req.url);
    }
}

#[tokio::test]
async fn login_redirect_is_an_auth_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/stats"))
        .respond_with(
            html(302, "auth_invalid_token_302.html")
                .insert_header("location", "/login?next=%2Fapi%2Fv1%2Fstats"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/login"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let err = client(&server).stats().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(err.is_auth());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(err.vendor_code(), Some(LOGIN_REDIRECT));
    assert!(!err.is_retryable());
    assert!(!format!("{err:?}").contains("test-token"));
}

#[tokio::test]
async fn not_found_json() {
    let server = MockServer::start().await;
    call("GET", "/recordings/999")
        .respond_with(reply(404, "recording_get_404.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/webhooks/99")
        .respond_with(reply(404, "webhook_get_404.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/folders/99")
        .respond_with(reply(404, "folder_get_404.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/recordings/4")
        .respond_with(reply(404, "recording_delete_404.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let err = speakr.recordings().get(999).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.message(), Some("Recording not found"));
    assert_eq!(err.vendor_code(), None);
    assert_eq!(err.to_string(), "not found (HTTP 404): Recording not found");
    assert_eq!(
        speakr.webhooks().get(99).await.unwrap_err().message(),
        Some("Webhook not found")
    );
    assert_eq!(
        speakr.folders().get(99).await.unwrap_err().message(),
        Some("Folder not found")
    );
    assert!(speakr
        .recordings()
        .delete(4)
        .await
        .unwrap_err()
        .is_not_found());
}

#[tokio::test]
async fn folders_disabled_is_a_distinct_forbidden() {
    let server = MockServer::start().await;
    call("POST", "/folders")
        .respond_with(reply(403, "documented/folders_disabled_403.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/folders/1")
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_raw(r#"{"error": "Permission denied"}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let err = speakr
        .folders()
        .create(FolderFields::named("Work"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(err.vendor_code(), Some(FEATURE_DISABLED));
    assert!(speakr_client::error::is_feature_disabled(&err));
    // An ordinary 403 is not "disabled".
    let other = speakr.folders().delete(1).await.unwrap_err();
    assert_eq!(other.kind(), ErrorKind::Forbidden);
    assert!(!speakr_client::error::is_feature_disabled(&other));
}

#[tokio::test]
async fn webhook_cap_and_disabled_test_are_conflicts() {
    let server = MockServer::start().await;
    call("POST", "/webhooks")
        .respond_with(reply(409, "documented/webhook_cap_409.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/webhooks/4/test")
        .respond_with(reply(409, "webhook_test_disabled_409.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let err = speakr
        .webhooks()
        .create(NewWebhook::new(
            "eleventh",
            "https://hooks.example.com/x",
            [EventType::WebhookTest],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.vendor_code(), Some(WEBHOOK_LIMIT));
    assert_eq!(ErrorBody::from_error(&err).unwrap().max_per_user, Some(10));
    let err = speakr.webhooks().test(4).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.message(), Some("Webhook is disabled; enable it first"));
    assert_eq!(err.vendor_code(), None);
}

#[tokio::test]
async fn bad_webhook_requests_keep_the_extra_keys() {
    let server = MockServer::start().await;
    call("POST", "/webhooks")
        .respond_with(reply(400, "webhook_create_bad_event.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/recordings/upload")
        .respond_with(reply(413, "documented/upload_too_large_413.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let err = speakr
        .webhooks()
        .create(
            NewWebhook::new(
                "x",
                "http://127.0.0.1:9200/hook",
                [EventType::from("recording.nope")],
            )
            .allow_http(true),
        )
        .await
        .unwrap_err();
    assert_eq!(err.vendor_code(), Some(UNKNOWN_EVENT_TYPE));
    let body = ErrorBody::from_error(&err).unwrap();
    assert_eq!(body.allowed.unwrap().len(), 10);
    assert!(body.error.contains("recording.nope"));
    let err = speakr
        .recordings()
        .upload_reader(&b"x"[..], "big.mp4", Some(1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.vendor_code(), Some(TOO_LARGE));
    assert_eq!(
        ErrorBody::from_error(&err).unwrap().max_size_mb,
        Some(300.0)
    );
}

#[tokio::test]
async fn html_429_with_one_attempt() {
    let server = MockServer::start().await;
    call("GET", "/tags")
        .respond_with(html(429, "rate_limited_429.html"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).tags().list().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert!(err.is_rate_limited());
    assert!(err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.retry_after(), None, "Speakr sends no Retry-After");
    assert_eq!(err.message(), None);
    assert!(err.body_snippet().unwrap().contains("1000 per 1 hour"));
}

#[tokio::test]
async fn html_429_is_retried_with_backoff_then_succeeds() {
    let server = MockServer::start().await;
    call("GET", "/tags")
        .respond_with(html(429, "rate_limited_429.html"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    call("GET", "/tags")
        .respond_with(reply(200, "tags_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client_with(
        &server,
        TokenPlacement::Bearer,
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        },
    );
    assert_eq!(speakr.tags().list().send().await.unwrap().items.len(), 2);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn html_405_and_500_keep_their_status() {
    let server = MockServer::start().await;
    call("GET", "/transcription")
        .respond_with(html(500, "transcription_info_500_bug.html"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/stats")
        .respond_with(
            ResponseTemplate::new(405)
                .insert_header("allow", "OPTIONS, GET, HEAD")
                .set_body_raw(
                    "<!doctype html>\n<title>405 Method Not Allowed</title>",
                    "text/html; charset=utf-8",
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let err = speakr.transcription().info().await.unwrap_err();
    assert_eq!(
        (err.kind(), err.status().map(|s| s.as_u16())),
        (ErrorKind::Http, Some(500))
    );
    assert!(!err.is_decode());
    let err = speakr.stats().send().await.unwrap_err();
    assert_eq!(
        (err.kind(), err.status().map(|s| s.as_u16())),
        (ErrorKind::Http, Some(405))
    );
    assert!(err
        .body_snippet()
        .unwrap()
        .contains("405 Method Not Allowed"));
}

#[tokio::test]
async fn unknown_status_value_is_kept() {
    let server = MockServer::start().await;
    let body = fixture("recording_status.json").replace("COMPLETED", "ARCHIVING");
    call("GET", "/recordings/1/status")
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let body = fixture("recordings_list_page1.json").replace("\"COMPLETED\"", "\"STITCHING\"");
    call("GET", "/recordings")
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let status = speakr.recordings().status(1).await.unwrap();
    assert_eq!(status.status, RecordingStatus::Unknown("ARCHIVING".into()));
    assert_eq!(status.status.as_str(), "ARCHIVING");
    let page = speakr.recordings().list().send().await.unwrap();
    assert!(page
        .items
        .iter()
        .all(|r| r.status == RecordingStatus::Stitching));
}

#[tokio::test]
async fn a_decode_failure_names_the_field() {
    let server = MockServer::start().await;
    call("GET", "/recordings/1/status")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"id": "one", "status": "QUEUED"}"#, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).recordings().status(1).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.json_path(), Some("id"));
}

/// Records the rate-limit class of every request.
#[derive(Debug, Default)]
struct Classes(Mutex<Vec<Option<String>>>);

#[async_trait::async_trait]
impl client_core::RateLimiter for Classes {
    async fn acquire(&self, class: Option<&str>) -> Result<(), client_core::Error> {
        self.0.lock().unwrap().push(class.map(str::to_owned));
        Ok(())
    }
}

#[tokio::test]
async fn requests_pay_into_the_documented_classes() {
    let server = MockServer::start().await;
    call("GET", "/stats")
        .respond_with(reply(200, "stats.json"))
        .mount(&server)
        .await;
    call("GET", "/tags")
        .respond_with(reply(200, "tags_list.json"))
        .mount(&server)
        .await;
    call("GET", "/recordings/1/status")
        .respond_with(reply(200, "recording_status.json"))
        .mount(&server)
        .await;
    call("PATCH", "/recordings/1")
        .respond_with(reply(200, "recording_patch.json"))
        .mount(&server)
        .await;
    call("PUT", "/recordings/1/notes")
        .respond_with(reply(200, "recording_notes_put.json"))
        .mount(&server)
        .await;
    call("DELETE", "/tags/2")
        .respond_with(reply(200, "tag_delete.json"))
        .mount(&server)
        .await;
    call("POST", "/recordings/2/transcribe")
        .respond_with(reply(200, "recording_transcribe.json"))
        .mount(&server)
        .await;
    call("POST", "/recordings/3/chat")
        .respond_with(reply(200, "recording_chat.json"))
        .mount(&server)
        .await;
    call("POST", "/recordings/batch/transcribe")
        .respond_with(reply(200, "batch_transcribe.json"))
        .mount(&server)
        .await;
    call("POST", "/tags")
        .respond_with(reply(201, "tags_create.json"))
        .mount(&server)
        .await;
    let classes = Arc::new(Classes::default());
    let speakr = speakr_client::SpeakrClient::builder("test-token")
        .base_url(server.uri())
        .configure({
            let classes = classes.clone();
            move |core| core.rate_limiter(classes)
        })
        .build()
        .unwrap();
    speakr.stats().send().await.unwrap();
    speakr.tags().list().send().await.unwrap();
    speakr.recordings().status(1).await.unwrap();
    speakr
        .recordings()
        .update(1)
        .title("t")
        .send()
        .await
        .unwrap();
    speakr.recordings().replace_notes(1, "n").await.unwrap();
    speakr.tags().delete(2).await.unwrap();
    speakr.processing().transcribe(2).send().await.unwrap();
    speakr.processing().chat(3, "q").send().await.unwrap();
    speakr.batch().transcribe([4]).await.unwrap();
    speakr
        .tags()
        .create(speakr_client::tags::TagFields::named("Meetings"))
        .await
        .unwrap();
    let got = classes.0.lock().unwrap().clone();
    let want: Vec<Option<String>> = [
        Some("stats"),
        Some("get"),
        None,
        Some("modify"),
        Some("modify"),
        Some("modify"),
        Some("processing"),
        Some("processing"),
        Some("batch"),
        None,
    ]
    .iter()
    .map(|c| c.map(str::to_owned))
    .collect();
    assert_eq!(got, want);
}

#[tokio::test(start_paused = true)]
async fn documented_quotas_space_requests() {
    let limiter = speakr_client::SpeakrClient::documented_rate_limits().limiter();
    // 60/min with a burst of 6: six at once, then 55/min (no minute ever holds over 60).
    let start = tokio::time::Instant::now();
    for _ in 0..6 {
        limiter.acquire(Some("stats")).await.unwrap();
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
    limiter.acquire(Some("stats")).await.unwrap();
    // One emission interval, 60 s / 55, to the timer's millisecond.
    let waited = start.elapsed().as_secs_f64();
    assert!((waited - 60.0 / 55.0).abs() < 0.002, "waited {waited} s");
    // 10/min: a burst of one, so one every 6 s.
    let start = tokio::time::Instant::now();
    for _ in 0..2 {
        limiter.acquire(Some("processing")).await.unwrap();
    }
    assert_eq!(start.elapsed(), Duration::from_secs(6));
    // 30/min with a burst of 3.
    let start = tokio::time::Instant::now();
    for _ in 0..3 {
        limiter.acquire(Some("modify")).await.unwrap();
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
    let off = RateLimits::off().limiter();
    let start = tokio::time::Instant::now();
    for _ in 0..100 {
        off.acquire(Some("stats")).await.unwrap();
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
}
