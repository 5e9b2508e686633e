//! Fault injection: GraphQL errors, partial data, mutation messages, rate limits with and
//! without HTTP 429, version and cost refusals, non-conformant 404s, HTML pages, truncated
//! JSON, timeouts and unknown enum values, with the number of requests each costs. A mutation
//! is sent once under every fault.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use client_core::ErrorKind;
use common::*;
use healthie_client::error::field_errors;
use healthie_client::types::TranscriptStatus;
use healthie_client::webhooks::EventType;
use healthie_client::webhooks_api::webhook_in_error;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

async fn count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn appointment_data() -> ResponseTemplate {
    let mut a = appointments()[1].clone();
    a.as_object_mut().unwrap().remove("transcripts");
    data(json!({ "appointment": a }))
}

#[tokio::test]
async fn a_graphql_error_is_typed_kept_and_not_retried() {
    let server = MockServer::start().await;
    graphql("Appointment")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": null,
            "errors": [{ "message": "Field 'bogus' doesn't exist", "path": ["appointment"],
                         "locations": [{ "line": 1, "column": 9 }] }],
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .appointments()
        .get("1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Graphql);
    assert!(err.to_string().contains("bogus"), "{err}");
    let errors = err.graphql_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path_text(), "appointment");
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn partial_data_comes_with_its_errors() {
    let server = MockServer::start().await;
    let mut a = appointments()[0].clone();
    a["transcripts"] = json!(null);
    graphql("Appointment")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": { "appointment": a },
            "errors": [{ "message": "Transcripts are unavailable", "path": ["appointment", "transcripts"],
                         "extensions": { "code": "INTERNAL_SERVER_ERROR" } }],
        })))
        .mount(&server)
        .await;
    let healthie = client(&server);
    let partial = healthie
        .appointments()
        .get("1001")
        .send_partial()
        .await
        .unwrap();
    assert_eq!(partial.data.id, "1001");
    assert_eq!(partial.data.transcripts, None);
    assert_eq!(partial.errors.len(), 1);
    assert_eq!(partial.errors[0].path_text(), "appointment.transcripts");
    // `send` does not drop them either: it fails.
    let err = healthie
        .appointments()
        .get("1001")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Graphql);
    assert_eq!(err.vendor_code(), Some("INTERNAL_SERVER_ERROR"));
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn mutation_messages_are_a_validation_error() {
    let server = MockServer::start().await;
    graphql("CreateWebhook")
        .respond_with(data(json!({ "createWebhook": {
            "messages": [{ "field": "url", "message": "is not a valid URL" }, null],
            "webhook": null,
        }})))
        .mount(&server)
        .await;
    let err = client(&server)
        .webhooks()
        .create("not a url", [EventType::AppointmentCreated])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    let fields = field_errors(&err);
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].field.as_deref(), Some("url"));
    assert_eq!(fields[0].message, "is not a valid URL");
    assert!(err.to_string().contains("url: is not a valid URL"), "{err}");
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn a_mutation_answered_with_data_and_errors_keeps_what_it_created() {
    let server = MockServer::start().await;
    graphql("CreateWebhook")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": { "createWebhook": {
                "messages": [],
                "webhook": { "id": "7001", "is_enabled": true, "should_retry": true,
                             "signature_secret": "whsec_created", "url": "https://x.test/h" }
            }},
            "errors": [{ "message": "Internal server error in an after-create hook",
                         "path": ["createWebhook", "webhook", "webhook_events"],
                         "extensions": { "code": "INTERNAL_SERVER_ERROR" } }]
        })))
        .expect(1)
        .mount(&server)
        .await;
    // Retries are on: the mutation is still sent once.
    let err = client(&server)
        .webhooks()
        .create("https://x.test/h", [EventType::AppointmentCreated])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Graphql, "{err}");
    assert!(
        !err.is_retryable(),
        "the webhook exists: do not create it again"
    );
    assert_eq!(err.may_have_reached_server(), Some(true));
    let created = webhook_in_error(&err).expect("the created webhook is kept");
    assert_eq!(created.id, "7001");
    assert_eq!(
        created.signature_secret.as_ref().map(|s| s.expose()),
        Some("whsec_created")
    );
    assert_eq!(err.partial_data().unwrap()["webhook"]["id"], "7001");
    assert!(
        !format!("{err:?}").contains("whsec_created"),
        "the secret stays out of Debug"
    );
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn a_null_mutation_payload_is_a_decode_error() {
    let server = MockServer::start().await;
    graphql("DeleteWebhook")
        .respond_with(data(json!({ "deleteWebhook": null })))
        .mount(&server)
        .await;
    let err = client(&server).webhooks().delete("7001").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(count(&server).await, 1);
}

/// A query rate-limited twice, then answered: retried with backoff, three requests.
async fn rate_limited_query_recovers(limit: ResponseTemplate) {
    let server = MockServer::start().await;
    graphql("Appointment")
        .respond_with(limit)
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    graphql("Appointment")
        .respond_with(appointment_data())
        .mount(&server)
        .await;
    let appointment = client(&server)
        .appointments()
        .get("1002")
        .send()
        .await
        .unwrap();
    assert_eq!(appointment.id, "1002");
    assert_eq!(count(&server).await, 3);
}

#[tokio::test]
async fn too_many_requests_with_http_200_is_retried() {
    rate_limited_query_recovers(reply("error_too_many_requests.json")).await;
}

#[tokio::test]
async fn too_many_requests_with_http_429_is_retried() {
    let limit = ResponseTemplate::new(429)
        .set_body_raw(fixture("error_too_many_requests.json"), "application/json");
    rate_limited_query_recovers(limit).await;
}

#[tokio::test]
async fn a_rate_limit_that_persists_ends_as_rate_limited() {
    let server = MockServer::start().await;
    graphql("Appointment")
        .respond_with(reply("error_too_many_requests.json"))
        .mount(&server)
        .await;
    let err = client(&server)
        .appointments()
        .get("1")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.vendor_code(), Some("TOO_MANY_REQUESTS"));
    assert_eq!(count(&server).await, 3, "max_attempts");
}

#[tokio::test]
async fn a_query_is_retried_after_a_5xx_and_a_timeout() {
    let server = MockServer::start().await;
    graphql("Appointment")
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw("<html><body>Bad gateway</body></html>", "text/html"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    graphql("Appointment")
        .respond_with(appointment_data().set_delay(Duration::from_secs(5)))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    graphql("Appointment")
        .respond_with(appointment_data())
        .with_priority(3)
        .mount(&server)
        .await;
    let appointment = client(&server)
        .appointments()
        .get("1002")
        .send()
        .await
        .unwrap();
    assert_eq!(appointment.id, "1002");
    assert_eq!(count(&server).await, 3);
}

/// Every fault a mutation can meet once it may have reached the server.
fn mutation_faults() -> Vec<(&'static str, ResponseTemplate, ErrorKind)> {
    vec![
        (
            "HTTP 500",
            ResponseTemplate::new(500).set_body_raw(
                "{\"errors\":[{\"message\":\"Internal error\"}]}",
                "application/json",
            ),
            ErrorKind::Http,
        ),
        (
            "HTTP 502 HTML page",
            ResponseTemplate::new(502)
                .set_body_raw("<!DOCTYPE html><html><h1>502</h1></html>", "text/html"),
            ErrorKind::Http,
        ),
        (
            "HTTP 429",
            ResponseTemplate::new(429)
                .set_body_raw(fixture("error_too_many_requests.json"), "application/json"),
            ErrorKind::RateLimited,
        ),
        (
            "TOO_MANY_REQUESTS in a 200",
            reply("error_too_many_requests.json"),
            ErrorKind::RateLimited,
        ),
        (
            "truncated JSON",
            ResponseTemplate::new(200).set_body_raw(
                "{\"data\":{\"createWebhook\":{\"messages\":[",
                "application/json",
            ),
            ErrorKind::Decode,
        ),
        (
            "HTML with 200",
            ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"),
            ErrorKind::Decode,
        ),
        (
            "timeout",
            data(json!({ "createWebhook": { "messages": [], "webhook": null } }))
                .set_delay(Duration::from_secs(5)),
            ErrorKind::Timeout,
        ),
    ]
}

#[tokio::test]
async fn a_mutation_is_sent_once_under_every_fault() {
    for (fault, response, kind) in mutation_faults() {
        let server = MockServer::start().await;
        graphql("CreateWebhook")
            .respond_with(response)
            .mount(&server)
            .await;
        let err = client(&server)
            .webhooks()
            .create("https://r.example/h", [EventType::AppointmentCreated])
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), kind, "{fault}: {err:?}");
        assert_eq!(
            count(&server).await,
            1,
            "{fault}: the mutation was sent again"
        );
    }
}

#[tokio::test]
async fn every_mutation_is_sent_once_on_a_rate_limit() {
    let server = MockServer::start().await;
    for name in [
        "UpdateWebhook",
        "DeleteWebhook",
        "SendTestWebhook",
        "ExpireWebhookSignature",
        "DeleteTranscript",
    ] {
        graphql(name)
            .respond_with(reply("error_too_many_requests.json"))
            .mount(&server)
            .await;
    }
    let healthie = client(&server);
    let webhooks = healthie.webhooks();
    assert!(webhooks
        .update("1")
        .enabled(true)
        .send()
        .await
        .unwrap_err()
        .is_rate_limited());
    assert!(webhooks.delete("1").await.unwrap_err().is_rate_limited());
    assert!(webhooks.send_test("1").await.unwrap_err().is_rate_limited());
    assert!(webhooks
        .expire_signature("1")
        .await
        .unwrap_err()
        .is_rate_limited());
    assert!(healthie
        .transcripts()
        .delete("realtime_capture_1")
        .await
        .unwrap_err()
        .is_rate_limited());
    assert_eq!(count(&server).await, 5);
}

#[tokio::test]
async fn a_mutation_that_reaches_no_server_fails_as_connect() {
    // Nothing listens on the first address: the connection is refused before anything is sent.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let healthie = healthie_client::HealthieClient::builder(KEY)
        .base_url(format!("http://{address}/graphql"))
        .without_rate_limits()
        .configure(|core| core.retry_policy(fast_retries()))
        .build()
        .unwrap();
    let err = healthie
        .webhooks()
        .create("https://r.example/h", [EventType::AppointmentCreated])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connect, "{err:?}");
}

#[tokio::test]
async fn version_errors_name_the_versions() {
    let server = MockServer::start().await;
    graphql("Webhooks")
        .respond_with(reply("error_unsupported_api_version.json"))
        .mount(&server)
        .await;
    let err = client(&server).webhooks().list().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert_eq!(err.vendor_code(), Some("UNSUPPORTED_API_VERSION"));
    let message = err.to_string();
    for version in ["2020-01-01", "2024-06-01", "2026-01-01"] {
        assert!(message.contains(version), "{message}");
    }
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn complexity_refusals_have_their_own_kind() {
    let server = MockServer::start().await;
    graphql("Appointments")
        .respond_with(reply("error_complexity.json"))
        .mount(&server)
        .await;
    let err = client(&server)
        .appointments()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::QueryTooComplex);
    assert!(!err.is_retryable());
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn a_non_conformant_404_is_not_found() {
    for response in [
        ResponseTemplate::new(404)
            .set_body_raw(fixture("error_not_found.json"), "application/json"),
        ResponseTemplate::new(404).set_body_raw("<html>Not Found</html>", "text/html"),
    ] {
        let server = MockServer::start().await;
        graphql("Appointment")
            .respond_with(response)
            .mount(&server)
            .await;
        let err = client(&server)
            .appointments()
            .get("404")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err:?}");
        assert_eq!(count(&server).await, 1);
    }
}

#[tokio::test]
async fn a_bad_key_is_an_auth_error() {
    for status in [200, 401] {
        let server = MockServer::start().await;
        graphql("Appointment")
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_raw(fixture("error_unauthenticated.json"), "application/json"),
            )
            .mount(&server)
            .await;
        let err = client(&server)
            .appointments()
            .get("1")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Auth, "HTTP {status}: {err:?}");
        assert_eq!(count(&server).await, 1);
    }
}

#[tokio::test]
async fn neither_data_nor_errors_is_a_decode_error() {
    let server = MockServer::start().await;
    graphql("Appointment")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let err = client(&server)
        .appointments()
        .get("1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let server = MockServer::start().await;
    let mut a = appointments()[0].clone();
    a["transcripts"][0]["status"] = json!("archived");
    a["transcripts"][0]["transcript_type"] = json!("uploaded_audio");
    graphql("Appointment")
        .respond_with(data(json!({ "appointment": a })))
        .mount(&server)
        .await;
    graphql("Webhooks")
        .respond_with(connection("webhooks", vec![json!({
            "id": "1", "event_type": "APPOINTMENT_SOMETHING_NEW", "is_enabled": true, "should_retry": true,
            "webhook_events": [] })], None, false))
        .mount(&server)
        .await;
    let healthie = client(&server);
    let appointment = healthie.appointments().get("1001").send().await.unwrap();
    let transcript = &appointment.transcripts.unwrap()[0];
    assert_eq!(
        transcript.status,
        Some(TranscriptStatus::Unknown("archived".into()))
    );
    assert!(transcript.transcript_type.as_ref().unwrap().is_unknown());
    let hooks = healthie.webhooks().list().send().await.unwrap();
    assert!(hooks.items[0].event_type.as_ref().unwrap().is_unknown());
}

#[tokio::test]
async fn a_wrongly_typed_field_is_a_decode_error_not_a_default() {
    let server = MockServer::start().await;
    let mut a = appointments()[0].clone();
    a["length"] = json!("fifty");
    graphql("Appointment")
        .respond_with(data(json!({ "appointment": a })))
        .mount(&server)
        .await;
    let err = client(&server)
        .appointments()
        .get("1001")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}

/// Collects what `tracing` writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn sunset_warnings_are_logged() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    graphql("Webhooks")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": { "webhooks": { "total_count": 0, "nodes": [],
                "page_info": { "end_cursor": null, "has_next_page": false } } },
            "extensions": { "warnings": [{ "code": "API_VERSION_SUNSET_WARNING",
                "message": "API version 2026-01-01 will be sunset", "sunset_date": "2027-07-01" }] },
        })))
        .mount(&server)
        .await;
    client(&server).webhooks().list().send().await.unwrap();
    let logged = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("WARN"), "{logged}");
    assert!(logged.contains("API_VERSION_SUNSET_WARNING"), "{logged}");
    assert!(logged.contains("2027-07-01"), "{logged}");
    assert!(logged.contains("will be sunset"), "{logged}");
}

#[tokio::test(start_paused = true)]
async fn the_client_side_limit_is_five_a_second_by_default_and_configurable() {
    use client_core::{Quota, RateLimits};
    use healthie_client::HealthieClient;
    // Six requests under the default: spread evenly, one every 200 ms.
    let default = HealthieClient::new(KEY).unwrap();
    let limiter = default.core().rate_limiter().clone();
    let start = tokio::time::Instant::now();
    for _ in 0..6 {
        limiter.acquire(None).await.unwrap();
    }
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    // Configured: 20 a second, one every 50 ms.
    let faster = HealthieClient::builder(KEY)
        .rate_limits(RateLimits::overall(Quota::per_second(20)))
        .build()
        .unwrap();
    let limiter = faster.core().rate_limiter().clone();
    let start = tokio::time::Instant::now();
    for _ in 0..3 {
        limiter.acquire(None).await.unwrap();
    }
    assert_eq!(start.elapsed(), Duration::from_millis(100));
    // Off: no wait at all.
    let off = HealthieClient::builder(KEY)
        .without_rate_limits()
        .build()
        .unwrap();
    let limiter = off.core().rate_limiter().clone();
    let start = tokio::time::Instant::now();
    for _ in 0..100 {
        limiter.acquire(None).await.unwrap();
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[test]
fn the_documented_rate_limits_are_the_builders_default() {
    use client_core::Quota;
    use healthie_client::HealthieClient;
    let documented = HealthieClient::documented_rate_limits();
    assert_eq!(
        documented.overall_quota(),
        Some(Quota::per_second(
            healthie_client::DEFAULT_REQUESTS_PER_SECOND
        ))
    );
    assert!(documented.adapts_to_headers());
    assert_eq!(documented.classes().count(), 0);
    assert!(documented.per_route().is_empty());
}

#[test]
fn the_environment_chooses_the_default_base_url_and_base_url_wins() {
    use healthie_client::{Environment, HealthieClient};
    let production = HealthieClient::new(KEY).unwrap();
    assert_eq!(
        production.core().base_url().as_str().trim_end_matches('/'),
        healthie_client::PRODUCTION_ENDPOINT
    );
    let staging = HealthieClient::builder(KEY)
        .environment(Environment::Staging)
        .build()
        .unwrap();
    assert_eq!(
        staging.core().base_url().as_str().trim_end_matches('/'),
        healthie_client::STAGING_ENDPOINT
    );
    // An explicit base URL wins, whichever was set first.
    for builder in [
        HealthieClient::builder(KEY)
            .environment(Environment::Staging)
            .base_url("http://127.0.0.1:9/graphql"),
        HealthieClient::builder(KEY)
            .base_url("http://127.0.0.1:9/graphql")
            .environment(Environment::Staging),
    ] {
        let client = builder.build().unwrap();
        assert_eq!(
            client.core().base_url().as_str().trim_end_matches('/'),
            "http://127.0.0.1:9/graphql"
        );
    }
    let bad = HealthieClient::builder(KEY).base_url("not a url").build();
    assert_eq!(bad.unwrap_err().kind(), ErrorKind::Config);
    // The key never shows in the builder's `Debug`.
    let debug = format!("{:?}", HealthieClient::builder(KEY));
    assert!(!debug.contains(KEY), "{debug}");
}
