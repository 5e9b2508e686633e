//! Every documented event example parses into its typed event; unknown types and enum values
//! are kept; signed deliveries verify with webhook-verify's Heilo scheme and parse; tampered,
//! re-serialized, wrongly signed and stale (301 s) deliveries fail; the handshake answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fixture;
use heilo_client::calls::{Direction, OutboundLifecycle};
use heilo_client::webhooks::{
    parse, verify_and_parse, DeletionKind, DeletionReason, Event, EventType, Verifier, VerifyError,
    WebhookEvent, API_VERSION,
};
use heilo_client::Patch;
use http::HeaderMap;
use serde_json::json;
use webhook_verify::ManualClock;

const SECRET: &str = "whsec_test_secret";
const CALL_ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const NOW: u64 = 1_780_490_096; // 2026-06-03T12:34:56Z

fn event_file(event_type: &str) -> String {
    fixture(&format!("events/{event_type}.json"))
}

fn documented(event_type: &str) -> WebhookEvent {
    let e = parse(event_file(event_type).as_bytes()).unwrap();
    assert_eq!(e.event_type().as_str(), event_type);
    assert_eq!(e.api_version.as_deref(), Some(API_VERSION));
    assert!(e.created_at.as_ref().unwrap().to_system_time().is_some());
    e
}

/// The headers Heilo sends for `body`, signed at `t`.
fn signed(body: &[u8], t: u64, event_id: &str, event_type: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (k, v) in webhook_verify::heilo::sign_event(SECRET, t, event_id, event_type, body).unwrap()
    {
        headers.insert(k, v);
    }
    headers.insert("content-type", "application/json".parse().unwrap());
    headers
}

fn verifier() -> Verifier {
    Verifier::new(["an-older-secret", SECRET]).with_clock(ManualClock::new(NOW))
}

#[test]
fn call_completed_example() {
    let e = documented("call.completed");
    assert_eq!(e.event_id, "1bf3a5e2-...");
    assert_eq!(e.idempotency_key, "1bf3a5e2-...");
    assert_eq!(e.resource_id.as_deref(), Some(CALL_ID));
    assert_eq!(e.event.call_id(), Some(CALL_ID));
    let Event::CallCompleted(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.call_id, CALL_ID);
    assert_eq!(d.direction, Some(Direction::Inbound));
    assert_eq!(d.caller_phone.as_deref(), Some("+48600100200"));
    assert_eq!(d.customer_phone_e164.as_deref(), Some("+48600100200"));
    assert_eq!(d.duration, Some(87.0));
    assert!(d
        .recording_url
        .as_deref()
        .unwrap()
        .starts_with("https://www.heilo.io/api/v1/calls/"));
    let tp = d.transcript_processed.as_ref().unwrap();
    assert_eq!(tp.caller_name.as_deref(), Some("Jan Kowalski"));
    assert_eq!(tp.summary.as_deref(), Some("..."));
    assert_eq!(tp.service_needed.as_deref(), Some("..."));
    assert_eq!(d.transcript_original.as_deref(), Some("..."));
}

#[test]
fn call_outbound_attempted_example() {
    let e = documented("call.outbound.attempted");
    let Event::CallOutboundAttempted(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.call_id, CALL_ID);
    assert_eq!(
        d.agent_user_id.as_deref(),
        Some("5f4e3d2c-1a2b-4c3d-8e9f-0a1b2c3d4e5f")
    );
    assert_eq!(d.customer_phone.as_deref(), Some("+48600100200"));
    assert_eq!(d.customer_phone_e164.as_deref(), Some("+48600100200"));
    assert_eq!(d.outbound_lifecycle, Some(OutboundLifecycle::Completed));
    assert_eq!(d.duration, Some(87.0));
    assert_eq!(
        d.attempted_at.as_ref().and_then(|t| t.unix_seconds()),
        Some(NOW as f64)
    );
    assert_eq!(d.has_recording, Some(true));
}

#[test]
fn call_recording_ready_example() {
    let e = documented("call.recording.ready");
    let Event::CallRecordingReady(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.call_id, CALL_ID);
    assert!(d.recording_url.is_some());
    assert_eq!(d.duration, Some(87.0));
}

#[test]
fn call_transcribed_example() {
    let e = documented("call.transcribed");
    let Event::CallTranscribed(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.call_id, CALL_ID);
    assert_eq!(d.transcript_original.as_deref(), Some("..."));
    assert_eq!(
        d.transcript_processed
            .as_ref()
            .unwrap()
            .caller_name
            .as_deref(),
        Some("Jan Kowalski")
    );
}

#[test]
fn call_failed_example() {
    let e = documented("call.failed");
    let Event::CallFailed(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.call_id, CALL_ID);
    assert_eq!(
        d.outbound_lifecycle,
        Some(OutboundLifecycle::CustomerNoAnswer)
    );
    assert_eq!(d.failure_reason.as_deref(), Some("customer_busy"));
}

#[test]
fn call_outbound_lifecycle_repaired_example() {
    let e = documented("call.outbound.lifecycle_repaired");
    let Event::CallOutboundLifecycleRepaired(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.call_id, CALL_ID);
    assert_eq!(d.previous_lifecycle, Some(OutboundLifecycle::AgentOnly));
    assert_eq!(d.new_lifecycle, Some(OutboundLifecycle::Completed));
    assert_eq!(
        d.repaired_at.as_ref().map(|t| t.as_str()),
        Some("2026-06-03T12:40:00Z")
    );
}

#[test]
fn call_deletion_scheduled_example() {
    let e = documented("call.deletion_scheduled");
    let Event::CallDeletionScheduled(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.call_id, CALL_ID);
    assert_eq!(d.reason, Some(DeletionReason::ConsentWithdrawn));
    assert!(d
        .pending_deletion_at
        .as_ref()
        .unwrap()
        .to_system_time()
        .is_some());
}

#[test]
fn call_recording_deleted_example() {
    let e = documented("call.recording.deleted");
    let Event::CallRecordingDeleted(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.call_id, CALL_ID);
    assert_eq!(d.reason, Some(DeletionReason::ConsentWithdrawn));
    assert_eq!(
        d.recording_sid.as_deref(),
        Some("RE0123456789abcdef0123456789abcdef")
    );
    assert_eq!(d.deletion_kind, Some(DeletionKind::HardDeleted));
    assert!(d.deleted_at.is_some());
}

#[test]
fn contact_created_example() {
    let e = documented("contact.created");
    assert_eq!(e.event.call_id(), None);
    let Event::ContactCreated(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.contact.id, "c0ffee00-1234-4abc-8def-001122334455");
    assert_eq!(d.contact.phone.as_deref(), Some("+48600100200"));
    assert_eq!(d.contact.first_name.as_deref(), Some("Jan"));
    assert_eq!(d.contact.last_name.as_deref(), Some("Kowalski"));
    assert_eq!(d.contact.email, None);
    assert_eq!(d.contact.company, None);
}

#[test]
fn contact_updated_example() {
    let e = documented("contact.updated");
    let Event::ContactUpdated(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.contact_id, "c0ffee00-1234-4abc-8def-001122334455");
    assert_eq!(
        d.diff.email,
        Patch::Set("jan.kowalski@example.com".to_owned())
    );
    assert_eq!(d.diff.company, Patch::Null);
    assert_eq!(d.diff.first_name, Patch::Unchanged);
    assert_eq!(d.diff.tags, Patch::Unchanged);
    assert_eq!(d.diff.changed_keys(), vec!["email", "company"]);
}

#[test]
fn webhook_test_example() {
    let e = documented("webhook.test");
    assert!(e.is_test());
    assert_eq!(
        e.resource_id.as_deref(),
        Some("0e9d8c7b-6a5f-4e4d-8c3b-2a1f0e9d8c7b")
    );
    let Event::WebhookTest(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.test, Some(true));
    assert!(d.message.is_some());
    assert!(d.sent_at.is_some());
    let sample = d.sample_call().unwrap();
    assert_eq!(sample.call_id, CALL_ID);
    assert_eq!(sample.recording_url, None);
    assert!(!d.sample.contains_key("_test"));
}

#[test]
fn subscription_verify_example() {
    let e = documented("webhook.subscription.verify");
    let Event::SubscriptionVerify(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.challenge_str(), Some("3q2+7w=="));
    // Parsed without a signature check: no handshake answer.
    assert!(e.handshake().is_none());
}

#[test]
fn every_documented_type_has_an_example() {
    for t in EventType::KNOWN {
        let e = documented(t.as_str());
        assert!(!matches!(e.event, Event::Unknown { .. }), "{t}");
    }
}

#[test]
fn unknown_event_types_and_values_are_kept() {
    let e = parse(
        br#"{"api_version":"2026-09-01","event_id":"e-9","event_type":"call.summarized",
            "resource_id":"c-1","created_at":"2026-06-03T12:34:56Z",
            "data":{"call_id":"c-1","summary_v2":{"text":"hi"}}}"#,
    )
    .unwrap();
    assert_eq!(e.event_type(), EventType::Unknown("call.summarized".into()));
    assert_eq!(e.event.call_id(), Some("c-1"));
    let Event::Unknown { event_type, data } = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(event_type, "call.summarized");
    assert_eq!(data["summary_v2"]["text"], "hi");
    assert_eq!(e.api_version.as_deref(), Some("2026-09-01"));

    let e = parse(
        br#"{"event_id":"e-10","event_type":"call.completed","data":{"call_id":"c-2",
            "direction":"transfer","duration":12.5,"recording_url":null,"new_field":true,
            "transcript_processed":{"summary":null,"lead_score":null,"caller_mood":"calm"}}}"#,
    )
    .unwrap();
    let Event::CallCompleted(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.direction, Some(Direction::Unknown("transfer".into())));
    assert_eq!(d.duration, Some(12.5));
    assert_eq!(d.recording_url, None);
    let tp = d.transcript_processed.as_ref().unwrap();
    assert_eq!(tp.summary, None);
    assert_eq!(tp.other.get("caller_mood"), Some(&json!("calm")));
    assert_eq!(e.created_at, None);

    let e = parse(
        br#"{"event_id":"e-11","event_type":"call.recording.deleted","data":{"call_id":"c-3",
            "reason":"court_order","deletion_kind":"s3_expired","recording_sid":null,"deleted_at":"2026-06-03T12:34:56Z"}}"#,
    )
    .unwrap();
    let Event::CallRecordingDeleted(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(
        d.reason,
        Some(DeletionReason::Unknown("court_order".into()))
    );
    assert_eq!(
        d.deletion_kind,
        Some(DeletionKind::Unknown("s3_expired".into()))
    );
    assert_eq!(d.recording_sid, None);

    let e = parse(
        br#"{"event_id":"e-12","event_type":"call.failed","data":{"call_id":"c-4",
            "outbound_lifecycle":"carrier_rejected","failure_reason":null}}"#,
    )
    .unwrap();
    let Event::CallFailed(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(
        d.outbound_lifecycle,
        Some(OutboundLifecycle::Unknown("carrier_rejected".into()))
    );
    assert_eq!(d.failure_reason, None);
}

#[test]
fn every_documented_delivery_verifies_and_parses() {
    let v = verifier();
    for t in EventType::KNOWN {
        let body = event_file(t.as_str());
        let event_id = format!("hdr-{t}");
        let headers = signed(body.as_bytes(), NOW - 5, &event_id, t.as_str());
        let e = verify_and_parse(&v, &headers, body.as_bytes())
            .unwrap_or_else(|err| panic!("{t}: {err}"));
        assert_eq!(&e.event_type(), t);
        // The header is the idempotency key.
        assert_eq!(e.idempotency_key, event_id);
    }
}

#[test]
fn tampered_or_wrongly_signed_deliveries_fail() {
    let v = verifier();
    let body = event_file("call.completed");
    let headers = signed(body.as_bytes(), NOW, "1bf3a5e2-...", "call.completed");
    assert!(verify_and_parse(&v, &headers, body.as_bytes()).is_ok());

    let tampered = body.replace("+48600100200", "+48600100201");
    assert!(matches!(
        verify_and_parse(&v, &headers, tampered.as_bytes()),
        Err(VerifyError::NoMatchingSignature)
    ));
    // The same JSON re-serialized (other spacing) is other bytes: rejected.
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let reserialized = serde_json::to_string(&value).unwrap();
    assert_ne!(reserialized, body);
    assert!(matches!(
        verify_and_parse(&v, &headers, reserialized.as_bytes()),
        Err(VerifyError::NoMatchingSignature)
    ));
    let other = Verifier::new("not-the-secret").with_clock(ManualClock::new(NOW));
    assert!(matches!(
        verify_and_parse(&other, &headers, body.as_bytes()),
        Err(VerifyError::NoMatchingSignature)
    ));
    let mut unsigned = headers.clone();
    unsigned.remove("heilo-signature");
    assert!(matches!(
        verify_and_parse(&v, &unsigned, body.as_bytes()),
        Err(VerifyError::MissingHeader { .. })
    ));
    // A valid signature over a body that is not an event: a JSON error, not a panic.
    let junk = b"[1,2,3]";
    let junk_headers = signed(junk, NOW, "x", "call.completed");
    assert!(matches!(
        verify_and_parse(&v, &junk_headers, junk),
        Err(VerifyError::InvalidJson(_))
    ));
}

#[test]
fn stale_and_future_deliveries_fail() {
    let v = verifier();
    let body = event_file("call.failed");
    let at = |t: u64| {
        let headers = signed(body.as_bytes(), t, "e", "call.failed");
        verify_and_parse(&v, &headers, body.as_bytes())
    };
    assert!(at(NOW - 300).is_ok());
    assert!(matches!(
        at(NOW - 301),
        Err(VerifyError::TimestampOutsideTolerance { skew_seconds: -301 })
    ));
    assert!(at(NOW + 60).is_ok());
    assert!(matches!(
        at(NOW + 61),
        Err(VerifyError::TimestampOutsideTolerance { skew_seconds: 61 })
    ));
}

#[test]
fn strict_handshake_is_answered_with_the_challenge() {
    let v = verifier();
    let body = event_file("webhook.subscription.verify");
    let headers = signed(
        body.as_bytes(),
        NOW,
        "verify-1",
        "webhook.subscription.verify",
    );
    let e = verify_and_parse(&v, &headers, body.as_bytes()).unwrap();
    let handshake = e.handshake().unwrap();
    assert_eq!(handshake.challenge(), Some(&json!("3q2+7w==")));
    let reply = e.handshake_response().unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.headers()["content-type"], "application/json");
    let answer: serde_json::Value = serde_json::from_str(reply.body()).unwrap();
    assert_eq!(answer, json!({"challenge": "3q2+7w=="}));
}

#[test]
fn permissive_and_top_level_handshakes() {
    let v = verifier();
    let permissive = br#"{"api_version":"2026-06-15","event_id":"v-2","event_type":"webhook.subscription.verify","resource_id":"s-1","created_at":"2026-06-03T12:34:56Z","data":{}}"#;
    let headers = signed(permissive, NOW, "v-2", "webhook.subscription.verify");
    let e = verify_and_parse(&v, &headers, permissive).unwrap();
    assert_eq!(e.handshake_response().unwrap().body(), "{}");

    let top_level =
        br#"{"event_id":"v-3","event_type":"webhook.subscription.verify","challenge":"abc123"}"#;
    let headers = signed(top_level, NOW, "v-3", "webhook.subscription.verify");
    let e = verify_and_parse(&v, &headers, top_level).unwrap();
    let Event::SubscriptionVerify(d) = &e.event else {
        panic!("{:?}", e.event)
    };
    assert_eq!(d.challenge_str(), Some("abc123"));
    assert_eq!(
        e.handshake_response().unwrap().body(),
        r#"{"challenge":"abc123"}"#
    );

    // Other events have no handshake answer.
    let body = event_file("webhook.test");
    let headers = signed(body.as_bytes(), NOW, "t-1", "webhook.test");
    let e = verify_and_parse(&v, &headers, body.as_bytes()).unwrap();
    assert!(e.handshake_response().is_none());
}
