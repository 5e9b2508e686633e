//! The 20 deliveries a real Speakr v0.9.4 server POSTed verify with webhook-verify's Speakr
//! scheme and parse into typed events; tampering, a wrong secret or a missing signature fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use http::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use speakr_client::webhooks::{parse, verify_and_parse, Event, EventType, Verifier, VerifyError};

const CAPTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/captures/speakr/webhook_deliveries_received.json"
));

#[derive(Deserialize)]
struct Capture {
    secret_used: String,
    deliveries: Vec<Received>,
}

#[derive(Deserialize)]
struct Received {
    headers: std::collections::BTreeMap<String, String>,
    raw_body: String,
    signature_valid_raw_body_only: bool,
}

fn header_map(headers: &std::collections::BTreeMap<String, String>) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.insert(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    map
}

fn capture() -> Capture {
    serde_json::from_str(CAPTURE).unwrap()
}

#[test]
fn all_twenty_real_deliveries_verify_and_parse() {
    let capture = capture();
    assert_eq!(capture.deliveries.len(), 20);
    // The current secret first, an old one second: a receiver in the middle of a rotation.
    let verifier = Verifier::new(["rotated-away-secret", capture.secret_used.as_str()]);
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for d in &capture.deliveries {
        assert!(d.signature_valid_raw_body_only);
        let headers = header_map(&d.headers);
        let event = verify_and_parse(&verifier, &headers, d.raw_body.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", d.headers["Speakr-Delivery-Id"]));
        assert_eq!(event.idempotency_key, d.headers["Speakr-Delivery-Id"]);
        assert_eq!(event.id, event.idempotency_key);
        assert_eq!(event.event_type().as_str(), d.headers["Speakr-Event"]);
        assert_eq!(event.user_id, Some(1));
        assert!(event.timestamp.has_offset());
        assert!(event.timestamp.to_system_time().is_some());
        assert!(
            !matches!(event.event, Event::Unknown { .. }),
            "{:?}",
            event.event
        );
        match &event.event {
            Event::RecordingCreated(c) => {
                assert!(c.file_size.unwrap() > 0);
                assert!(c.original_filename.as_deref().unwrap().ends_with(".wav"));
            }
            Event::TranscriptionStarted(r) => assert!(r.title.is_some()),
            Event::TranscriptionCompleted(c) | Event::SummaryCompleted(c) => {
                assert_eq!(c.transcription_duration_seconds, Some(0.0));
                assert_eq!(c.language, None, "never sent by v0.9.4");
            }
            Event::RecordingUpdated(u) => {
                assert_eq!(
                    u.fields_changed,
                    ["title", "participants", "is_highlighted"]
                );
            }
            Event::WebhookTest(t) => {
                assert_eq!(t.webhook_id, Some(1));
                assert!(t.reason.as_deref().unwrap().starts_with("manual test"));
            }
            other => panic!("unexpected event {other:?}"),
        }
        assert_eq!(
            event.event.recording_id().is_some(),
            event.event_type() != EventType::WebhookTest
        );
        *seen.entry(event.event_type().to_string()).or_default() += 1;
    }
    assert_eq!(seen["recording.created"], 4);
    assert_eq!(seen["recording.transcription.started"], 6);
    assert_eq!(seen["recording.transcription.completed"], 6);
    assert_eq!(seen["recording.summary.completed"], 1);
    assert_eq!(seen["recording.updated"], 1);
    assert_eq!(seen["webhook.test"], 2);
    // The replayed test delivery points at the original.
    let replay = capture
        .deliveries
        .iter()
        .map(|d| parse(d.raw_body.as_bytes()).unwrap())
        .find(|e| e.replayed_from.is_some())
        .unwrap();
    assert_eq!(
        replay.replayed_from.as_deref(),
        Some("8f7cdf3b-fc54-49e0-9630-2f6588a254ca")
    );
}

#[test]
fn a_tampered_delivery_fails() {
    let capture = capture();
    let verifier = Verifier::new(capture.secret_used.as_str());
    let d = &capture.deliveries[1];
    let headers = header_map(&d.headers);
    let tampered = d
        .raw_body
        .replace("\"recording_id\":1", "\"recording_id\":2");
    assert_ne!(tampered, d.raw_body);
    let err = verify_and_parse(&verifier, &headers, tampered.as_bytes()).unwrap_err();
    assert!(matches!(err, VerifyError::NoMatchingSignature), "{err:?}");
    // Re-serializing the JSON (different spacing) breaks it too: verify the raw bytes.
    let reserialized = serde_json::to_string_pretty(
        &serde_json::from_str::<serde_json::Value>(&d.raw_body).unwrap(),
    )
    .unwrap();
    assert!(verify_and_parse(&verifier, &headers, reserialized.as_bytes()).is_err());
}

#[test]
fn wrong_secret_and_missing_signature_fail() {
    let capture = capture();
    let d = &capture.deliveries[0];
    let mut headers = header_map(&d.headers);
    let wrong = Verifier::new("not-the-secret");
    assert!(matches!(
        verify_and_parse(&wrong, &headers, d.raw_body.as_bytes()),
        Err(VerifyError::NoMatchingSignature)
    ));
    headers.remove("speakr-signature");
    let right = Verifier::new(capture.secret_used.as_str());
    assert!(matches!(
        verify_and_parse(&right, &headers, d.raw_body.as_bytes()),
        Err(VerifyError::MissingHeader { .. })
    ));
}

#[test]
fn signed_with_the_speakr_signer_verifies() {
    // Every event type, including those no recorded delivery has, through sign + verify.
    let envelopes: Vec<serde_json::Value> = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/documented/webhook_events.json"
    )))
    .unwrap();
    let verifier = Verifier::new("whsec-test");
    let mut kinds = Vec::new();
    for envelope in envelopes {
        let body = serde_json::to_vec(&envelope).unwrap();
        let id = envelope["id"].as_str().unwrap();
        let event_type = envelope["type"].as_str().unwrap();
        let mut headers = HeaderMap::new();
        for (k, v) in webhook_verify::speakr::sign_delivery(
            "whsec-test",
            id,
            event_type,
            "2026-11-22T07:40:00Z",
            &body,
        )
        .unwrap()
        {
            headers.insert(k, v);
        }
        let event = verify_and_parse(&verifier, &headers, &body).unwrap();
        assert_eq!(event.idempotency_key, id);
        kinds.push(event.event);
    }
    assert!(
        matches!(&kinds[0], Event::TranscriptionFailed(f) if f.error.as_deref().unwrap().contains("Connection refused"))
    );
    assert!(matches!(&kinds[1], Event::SummaryFailed(f) if f.recording_id == 3));
    assert!(matches!(&kinds[2], Event::EventsExtracted(e) if e.events_count == Some(2)));
    assert!(matches!(&kinds[3], Event::RecordingDeleted(d) if d.recording_id == 4));
    assert!(
        matches!(&kinds[4], Event::Unknown { event_type, data } if event_type == "recording.archived" && data["reason"] == "retention")
    );
}
