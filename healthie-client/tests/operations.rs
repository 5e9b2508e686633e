//! Contract tests per operation: the headers, `operationName`, document and variables sent,
//! how many requests, and what is parsed from the constructed fixtures, in both API shapes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use client_core::ErrorKind;
use common::*;
use healthie_client::operations;
use healthie_client::types::{AppointmentOrder, TranscriptStatus, TranscriptType, WebhookOrder};
use healthie_client::webhooks::EventType;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The one request `server` received, checked for the Healthie headers and `document`.
async fn sent(server: &MockServer, version: Option<&str>, document: &str) -> serde_json::Value {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "exactly one request");
    assert_healthie_headers(&requests[0], version);
    let body = body(&requests[0]);
    assert_eq!(body["query"].as_str(), Some(document));
    body
}

fn first_appointment() -> serde_json::Value {
    let mut a = appointments()[0].clone();
    a["transcripts"][0]["expiring_url"] =
        json!("https://files.example/t/realtime_capture_9001.vtt?X-Amz-Signature=abc");
    a
}

#[tokio::test]
async fn appointment_sends_its_filters_and_parses_transcripts() {
    let server = MockServer::start().await;
    graphql("Appointment")
        .respond_with(data(json!({ "appointment": first_appointment() })))
        .expect(1)
        .mount(&server)
        .await;
    let appointment = client(&server)
        .appointments()
        .get("1001")
        .include_deleted(true)
        .transcript_type(TranscriptType::RealtimeCapture)
        .transcript_statuses([TranscriptStatus::Completed, TranscriptStatus::Processing])
        .send()
        .await
        .unwrap();
    let body = sent(
        &server,
        Some("2026-01-01"),
        operations::APPOINTMENT.connections,
    )
    .await;
    assert_eq!(body["operationName"], "Appointment");
    assert_eq!(
        body["variables"],
        json!({ "id": "1001", "include_deleted": true, "transcript_type": "realtime_capture",
                "transcript_statuses": ["completed", "processing"] })
    );
    assert_eq!(appointment.id, "1001");
    assert_eq!(appointment.length, Some(50));
    assert_eq!(appointment.other_party_id, Some(4001));
    assert_eq!(
        appointment.provider.as_ref().unwrap().full_name.as_deref(),
        Some("Dana Reyes")
    );
    assert_eq!(appointment.attendees.len(), 1);
    assert_eq!(
        appointment
            .appointment_type
            .as_ref()
            .unwrap()
            .name
            .as_deref(),
        Some("Follow-up visit")
    );
    assert_eq!(appointment.will_be_scribed, Some(true));
    assert_eq!(
        appointment.date.as_ref().unwrap().as_str(),
        "2026-11-02T15:00:00-05:00"
    );
    let transcripts = appointment.transcripts.unwrap();
    assert_eq!(transcripts.len(), 1);
    assert_eq!(transcripts[0].id.as_deref(), Some("realtime_capture_9001"));
    assert_eq!(transcripts[0].status, Some(TranscriptStatus::Completed));
    assert_eq!(
        transcripts[0].transcript_type,
        Some(TranscriptType::RealtimeCapture)
    );
}

#[tokio::test]
async fn appointment_with_defaults_sends_only_the_id() {
    let server = MockServer::start().await;
    graphql("Appointment")
        .respond_with(data(json!({ "appointment": first_appointment() })))
        .mount(&server)
        .await;
    client(&server)
        .appointments()
        .get("1001")
        .send()
        .await
        .unwrap();
    let body = sent(
        &server,
        Some("2026-01-01"),
        operations::APPOINTMENT.connections,
    )
    .await;
    assert_eq!(body["variables"], json!({ "id": "1001" }));
}

#[tokio::test]
async fn a_null_appointment_is_not_found() {
    let server = MockServer::start().await;
    graphql("Appointment")
        .respond_with(data(json!({ "appointment": null })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .appointments()
        .get("999")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn baseline_appointment_uses_the_baseline_document_and_no_version_header() {
    let server = MockServer::start().await;
    let mut a = first_appointment();
    a.as_object_mut().unwrap().remove("transcripts");
    graphql("Appointment")
        .respond_with(data(json!({ "appointment": a })))
        .mount(&server)
        .await;
    let appointment = baseline_client(&server)
        .appointments()
        .get("1001")
        .send()
        .await
        .unwrap();
    assert_eq!(appointment.transcripts, None);
    let body = sent(&server, None, operations::APPOINTMENT.baseline.unwrap()).await;
    assert_eq!(body["variables"], json!({ "id": "1001" }));
}

#[tokio::test]
async fn baseline_refuses_transcript_filters_before_sending() {
    let server = MockServer::start().await;
    let err = baseline_client(&server)
        .appointments()
        .get("1001")
        .transcript_type(TranscriptType::RealtimeCapture)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn appointments_send_every_filter() {
    let server = MockServer::start().await;
    let nodes: Vec<_> = appointments().into_iter().take(2).collect();
    graphql("Appointments")
        .respond_with(connection("appointments", nodes, Some("c1"), true))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .appointments()
        .list()
        .user_id("5001")
        .provider_id("4001")
        .filter("past")
        .between("2026-11-01T00:00:00Z", "2026-11-30T23:59:59Z")
        .order_by(AppointmentOrder::DateDesc)
        .whole_organization(true)
        .keywords("follow")
        .with_all_statuses(true)
        .statuses(["Occurred"])
        .page_size(2)
        .send()
        .await
        .unwrap();
    let body = sent(
        &server,
        Some("2026-01-01"),
        operations::APPOINTMENTS.connections,
    )
    .await;
    assert_eq!(
        body["variables"],
        json!({
            "user_id": "5001", "provider_id": "4001", "filter": "past",
            "startDate": "2026-11-01T00:00:00Z", "endDate": "2026-11-30T23:59:59Z",
            "order_by": "DATE_DESC", "is_org": true, "keywords": "follow",
            "with_all_statuses": true, "filter_by_appointment_statuses": ["Occurred"],
            "first": 2,
        })
    );
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next_cursor.as_deref(), Some("c1"));
    assert_eq!(page.has_more, Some(true));
    assert_eq!(page.total, Some(5));
}

#[tokio::test]
async fn baseline_appointments_page_by_offset() {
    let server = MockServer::start().await;
    graphql("Appointments")
        .respond_with(data(json!({ "appointments": [] })))
        .mount(&server)
        .await;
    let page = baseline_client(&server)
        .appointments()
        .list()
        .provider_id("4001")
        .send()
        .await
        .unwrap();
    assert!(page.items.is_empty());
    let body = sent(&server, None, operations::APPOINTMENTS.baseline.unwrap()).await;
    assert_eq!(
        body["variables"],
        json!({ "provider_id": "4001", "offset": 0, "page_size": 50, "should_paginate": true })
    );
}

#[tokio::test]
async fn bad_page_sizes_and_half_ranges_are_refused_before_sending() {
    let server = MockServer::start().await;
    let healthie = client(&server);
    for size in [0, 101] {
        let err = healthie
            .appointments()
            .list()
            .page_size(size)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    }
    let err = healthie
        .appointments()
        .list()
        .between("", "2026-11-30")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    let err = healthie.appointments().get(" ").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(server.received_requests().await.unwrap().is_empty());
}

fn webhooks_fixture() -> Vec<serde_json::Value> {
    fixture_json("webhooks.json")["webhooks"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn webhooks_list_and_parse_both_event_type_forms() {
    let server = MockServer::start().await;
    graphql("Webhooks")
        .respond_with(connection(
            "webhooks",
            webhooks_fixture(),
            Some("c1"),
            false,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .webhooks()
        .list()
        .keywords("receiver")
        .order_by(WebhookOrder::UrlAsc)
        .send()
        .await
        .unwrap();
    let body = sent(
        &server,
        Some("2026-01-01"),
        operations::WEBHOOKS.connections,
    )
    .await;
    assert_eq!(
        body["variables"],
        json!({ "keywords": "receiver", "order_by": "URL_ASC", "first": 20 })
    );
    let first = &page.items[0];
    assert_eq!(first.id, "7001");
    assert_eq!(
        first.event_types(),
        vec![
            EventType::AppointmentTranscriptAvailable,
            EventType::AppointmentUpdated
        ]
    );
    assert_eq!(first.webhook_events[1].retry_count, Some(3));
    let secret = first.signature_secret.as_ref().unwrap();
    assert_eq!(secret.expose(), "whsec_mockHealthieSigningSecret0001");
    assert!(
        !format!("{first:?}").contains("whsec_"),
        "the secret is redacted from Debug"
    );
    assert_eq!(
        page.items[1].event_type,
        Some(EventType::AppointmentCreated)
    );
    assert!(!page.items[1].is_enabled);
}

#[tokio::test]
async fn baseline_webhooks_page_by_offset_with_dotted_event_types() {
    let server = MockServer::start().await;
    let mut hooks = webhooks_fixture();
    hooks[1]["event_type"] = json!("appointment.created");
    hooks[0]["webhook_events"][0]["event_type"] = json!("appointment.transcript_available");
    graphql("Webhooks")
        .respond_with(data(json!({ "webhooks": hooks })))
        .mount(&server)
        .await;
    let page = baseline_client(&server)
        .webhooks()
        .list()
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.items[1].event_type,
        Some(EventType::AppointmentCreated)
    );
    assert_eq!(
        page.items[0].webhook_events[0].event_type,
        EventType::AppointmentTranscriptAvailable
    );
    let body = sent(&server, None, operations::WEBHOOKS.baseline.unwrap()).await;
    assert_eq!(body["variables"], json!({ "offset": 0, "page_size": 20 }));
}

fn payload(field: &str, webhook: serde_json::Value) -> wiremock::ResponseTemplate {
    data(json!({ field: { "messages": [], "webhook": webhook } }))
}

#[tokio::test]
async fn create_webhook_sends_the_input_once() {
    let server = MockServer::start().await;
    graphql("CreateWebhook")
        .respond_with(payload("createWebhook", webhooks_fixture()[0].clone()))
        .expect(1)
        .mount(&server)
        .await;
    let hook = client(&server)
        .webhooks()
        .create(
            "https://receiver.example/healthie",
            [
                EventType::AppointmentTranscriptAvailable,
                EventType::AppointmentUpdated,
            ],
        )
        .enabled(true)
        .send()
        .await
        .unwrap();
    assert_eq!(hook.id, "7001");
    let body = sent(
        &server,
        Some("2026-01-01"),
        operations::CREATE_WEBHOOK.connections,
    )
    .await;
    assert_eq!(body["operationName"], "CreateWebhook");
    assert_eq!(
        body["variables"],
        json!({ "input": {
            "url": "https://receiver.example/healthie", "is_enabled": true, "should_retry": true,
            "webhook_events": [
                { "event_type": "APPOINTMENT_TRANSCRIPT_AVAILABLE" },
                { "event_type": "APPOINTMENT_UPDATED" },
            ],
        }})
    );
}

#[tokio::test]
async fn baseline_create_webhook_sends_dotted_event_types() {
    let server = MockServer::start().await;
    graphql("CreateWebhook")
        .respond_with(payload("createWebhook", webhooks_fixture()[0].clone()))
        .mount(&server)
        .await;
    baseline_client(&server)
        .webhooks()
        .create("https://r.example/h", [EventType::AppointmentCreated])
        .retry_failed_deliveries(false)
        .send()
        .await
        .unwrap();
    let body = sent(&server, None, operations::CREATE_WEBHOOK.baseline.unwrap()).await;
    assert_eq!(
        body["variables"]["input"],
        json!({ "url": "https://r.example/h", "should_retry": false,
                "webhook_events": [{ "event_type": "appointment.created" }] })
    );
}

#[tokio::test]
async fn create_webhook_needs_a_url_and_an_event() {
    let server = MockServer::start().await;
    let healthie = client(&server);
    let err = healthie
        .webhooks()
        .create("", [EventType::AppointmentCreated])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    let err = healthie
        .webhooks()
        .create("https://r.example", [])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn update_webhook_sends_only_what_was_set() {
    let server = MockServer::start().await;
    graphql("UpdateWebhook")
        .respond_with(payload("updateWebhook", webhooks_fixture()[0].clone()))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .webhooks()
        .update("7001")
        .url("https://new.example/h")
        .enabled(false)
        .events([
            (
                Some("7101".to_owned()),
                EventType::AppointmentTranscriptAvailable,
            ),
            (None, EventType::AppointmentCreated),
        ])
        .send()
        .await
        .unwrap();
    let body = sent(
        &server,
        Some("2026-01-01"),
        operations::UPDATE_WEBHOOK.connections,
    )
    .await;
    assert_eq!(
        body["variables"],
        json!({ "input": {
            "id": "7001", "url": "https://new.example/h", "is_enabled": false,
            "webhook_events": [
                { "id": "7101", "event_type": "APPOINTMENT_TRANSCRIPT_AVAILABLE" },
                { "event_type": "APPOINTMENT_CREATED" },
            ],
        }})
    );
}

#[tokio::test]
async fn delete_test_and_expire_send_the_id() {
    for (operation, field) in [
        ("DeleteWebhook", "deleteWebhook"),
        ("SendTestWebhook", "sendTestWebhook"),
        ("ExpireWebhookSignature", "expireWebhookSignature"),
    ] {
        let server = MockServer::start().await;
        let reply = if operation == "SendTestWebhook" {
            data(json!({ field: { "messages": [], "sent": true } }))
        } else {
            payload(field, webhooks_fixture()[0].clone())
        };
        graphql(operation)
            .respond_with(reply)
            .expect(1)
            .mount(&server)
            .await;
        let healthie = client(&server);
        let document = match operation {
            "DeleteWebhook" => {
                assert_eq!(healthie.webhooks().delete("7001").await.unwrap().id, "7001");
                operations::DELETE_WEBHOOK.connections
            }
            "SendTestWebhook" => {
                assert!(healthie.webhooks().send_test("7001").await.unwrap());
                operations::SEND_TEST_WEBHOOK.connections
            }
            _ => {
                let hook = healthie.webhooks().expire_signature("7001").await.unwrap();
                assert!(hook.signature_secret.is_some());
                operations::EXPIRE_WEBHOOK_SIGNATURE.connections
            }
        };
        let body = sent(&server, Some("2026-01-01"), document).await;
        assert_eq!(body["operationName"], operation);
        assert_eq!(
            body["variables"],
            json!({ "input": { "id": "7001" } }),
            "{operation}"
        );
    }
}

#[tokio::test]
async fn sent_webhooks_send_every_filter_and_parse() {
    let server = MockServer::start().await;
    let nodes = fixture_json("sent_webhooks.json")["sentWebhooks"]
        .as_array()
        .unwrap()
        .clone();
    graphql("SentWebhooks")
        .respond_with(connection("sentWebhooks", nodes, Some("c4"), false))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .sent_webhooks()
        .list()
        .keywords("appointment")
        .order_by(WebhookOrder::CreatedAtAsc)
        .sent_between("2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z")
        .resource_id("1001")
        .resource_type("Appointment")
        .failed_only()
        .page_size(10)
        .send()
        .await
        .unwrap();
    let body = sent(
        &server,
        Some("2026-01-01"),
        operations::SENT_WEBHOOKS.connections,
    )
    .await;
    assert_eq!(
        body["variables"],
        json!({
            "keywords": "appointment", "order_by": "CREATED_AT_ASC",
            "sent_after": "2026-11-01T00:00:00Z", "sent_before": "2026-11-30T00:00:00Z",
            "resource_id": "1001", "resource_type": "APPOINTMENT", "failed": true, "first": 10,
        })
    );
    assert_eq!(page.items.len(), 5);
    let first = &page.items[0];
    assert_eq!(
        first.event_type,
        Some(EventType::AppointmentTranscriptAvailable)
    );
    assert_eq!(first.succeeded(), Some(true));
    assert_eq!(page.items[1].succeeded(), Some(false));
    assert_eq!(first.resource_id.as_deref(), Some("1001"));
    assert_eq!(first.webhook_id.as_deref(), Some("7001"));
}

#[tokio::test]
async fn baseline_sent_webhooks_refuse_filters_it_lacks() {
    let server = MockServer::start().await;
    let healthie = baseline_client(&server);
    let err = healthie
        .sent_webhooks()
        .list()
        .failed_only()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    let err = healthie
        .sent_webhooks()
        .list()
        .resource_id("1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(server.received_requests().await.unwrap().is_empty());
    graphql("SentWebhooks")
        .respond_with(data(json!({ "sentWebhooks": [] })))
        .mount(&server)
        .await;
    healthie
        .sent_webhooks()
        .list()
        .keywords("x")
        .send()
        .await
        .unwrap();
    let body = sent(&server, None, operations::SENT_WEBHOOKS.baseline.unwrap()).await;
    assert_eq!(
        body["variables"],
        json!({ "keywords": "x", "offset": 0, "page_size": 50 })
    );
}

#[tokio::test]
async fn delete_transcript_sends_the_composite_id() {
    let server = MockServer::start().await;
    graphql("DeleteTranscript")
        .respond_with(data(json!({ "deleteTranscript": {
            "messages": [], "success": true, "transcript_id": "realtime_capture_9001" } })))
        .expect(1)
        .mount(&server)
        .await;
    let deleted = client(&server)
        .transcripts()
        .delete("realtime_capture_9001")
        .await
        .unwrap();
    assert_eq!(
        deleted.transcript_id.as_deref(),
        Some("realtime_capture_9001")
    );
    let body = sent(
        &server,
        Some("2026-01-01"),
        operations::DELETE_TRANSCRIPT.connections,
    )
    .await;
    assert_eq!(
        body["variables"],
        json!({ "input": { "id": "realtime_capture_9001" } })
    );
}

#[tokio::test]
async fn delete_transcript_is_refused_on_the_baseline_before_sending() {
    let server = MockServer::start().await;
    let err = baseline_client(&server)
        .transcripts()
        .delete("realtime_capture_1")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_vtt_is_fetched_without_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/t/realtime_capture_9001.vtt"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("transcript.vtt"), "text/vtt"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let mut a = first_appointment();
    a["transcripts"][0]["expiring_url"] = json!(format!(
        "{}/t/realtime_capture_9001.vtt?X-Amz-Signature=abc",
        server.uri()
    ));
    let appointment: healthie_client::Appointment = serde_json::from_value(a).unwrap();
    let transcript = &appointment.transcripts.as_ref().unwrap()[0];
    let healthie = client(&server);
    let text = healthie.transcripts().vtt_text(transcript).await.unwrap();
    assert!(text.starts_with("WEBVTT"));
    let streamed = healthie
        .transcripts()
        .download_vtt(transcript)
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert_eq!(streamed, text.as_bytes());
    for req in server.received_requests().await.unwrap() {
        assert_eq!(req.url.query(), Some("X-Amz-Signature=abc"));
        for name in [
            "authorization",
            "authorizationsource",
            "healthie-graphql-api-version",
        ] {
            assert!(
                !req.headers.contains_key(name),
                "{name} must not be sent to the file URL"
            );
        }
    }
}

#[tokio::test]
async fn a_transcript_without_a_url_is_a_typed_error() {
    let server = MockServer::start().await;
    let transcript: healthie_client::Transcript =
        serde_json::from_value(json!({ "id": "realtime_capture_1", "status": "processing" }))
            .unwrap();
    let err = client(&server)
        .transcripts()
        .vtt_text(&transcript)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    let transcript: healthie_client::Transcript =
        serde_json::from_value(json!({ "id": "x", "expiring_url": "ftp://files.example/x.vtt" }))
            .unwrap();
    let err = client(&server)
        .transcripts()
        .vtt_text(&transcript)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn shard_and_other_versions_are_sent() {
    let server = MockServer::start().await;
    graphql("Webhooks")
        .respond_with(connection("webhooks", vec![], None, false))
        .mount(&server)
        .await;
    let healthie = healthie_client::HealthieClient::builder(KEY)
        .base_url(endpoint(&server))
        .api_version(healthie_client::ApiVersion::dated("2026-07-01").unwrap())
        .shard("shard-7")
        .without_rate_limits()
        .build()
        .unwrap();
    healthie.webhooks().list().send().await.unwrap();
    let req = &server.received_requests().await.unwrap()[0];
    assert_healthie_headers(req, Some("2026-07-01"));
    assert_eq!(req.headers.get("authorizationshard").unwrap(), "shard-7");
    assert!(healthie_client::ApiVersion::dated("2026-7-1").is_err());
    assert!(healthie_client::HealthieClient::builder(" ")
        .build()
        .is_err());
    assert!(healthie_client::HealthieClient::builder("k")
        .shard("bad\nvalue")
        .build()
        .is_err());
}
