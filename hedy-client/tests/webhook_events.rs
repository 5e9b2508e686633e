//! Webhook deliveries: every event type in the flat (observed) and wrapped (documented) form,
//! signed with webhook-verify's Hedy signer, verified and parsed; tampering, wrong secrets and
//! unknown events.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fixture;
use hedy_client::webhooks::{
    parse, verify_and_parse, BodyForm, Event, EventType, Verifier, VerifyError,
};
use hedy_client::SessionType;
use http::{HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};

const SECRET: &str = "whsec_test_secret";

fn signed(event: &str, body: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in webhook_verify::hedy::sign_event(SECRET, event, body).unwrap() {
        headers.insert(name, value);
    }
    headers
}

fn delivery(event: &str, form: &str) -> (HeaderMap, Vec<u8>) {
    let name = format!("webhook_{}_{form}.json", event.replace('.', "_"));
    let body = fixture(&name).into_bytes();
    (signed(event, &body), body)
}

const EVENTS: [&str; 5] = [
    "session.created",
    "session.ended",
    "session.exported",
    "highlight.created",
    "todo.exported",
];

#[test]
fn every_event_in_both_forms_verifies_and_parses_alike() {
    let verifier = Verifier::new(SECRET);
    for event in EVENTS {
        let (flat_headers, flat_body) = delivery(event, "flat");
        let (wrapped_headers, wrapped_body) = delivery(event, "wrapped");
        let flat = verify_and_parse(&verifier, &flat_headers, &flat_body).unwrap();
        let wrapped = verify_and_parse(&verifier, &wrapped_headers, &wrapped_body).unwrap();
        assert_eq!(flat.event_type(), EventType::from(event));
        assert_eq!(flat.form, BodyForm::Flat, "{event}");
        assert_eq!(wrapped.form, BodyForm::Wrapped, "{event}");
        assert_eq!(flat.event, wrapped.event, "{event}");
        assert!(flat.timestamp.is_none());
        assert!(wrapped.timestamp.is_some());
        assert!(wrapped.extra.is_empty());
        assert_eq!(
            flat.idempotency_key,
            hex::encode(Sha256::digest(&flat_body))
        );
        assert_eq!(
            wrapped.idempotency_key,
            hex::encode(Sha256::digest(&wrapped_body))
        );
        assert_ne!(flat.idempotency_key, wrapped.idempotency_key);
        // Parsing a trusted body gives the same result and key.
        assert_eq!(parse(&flat_body).unwrap(), flat);
    }
}

#[test]
fn typed_payloads() {
    let verifier = Verifier::new(SECRET);
    let parsed = |event: &str| {
        let (h, b) = delivery(event, "flat");
        verify_and_parse(&verifier, &h, &b).unwrap().event
    };
    let Event::SessionCreated(created) = parsed("session.created") else {
        panic!()
    };
    assert_eq!(created.session_id, "sess_8Rt5yU3iO1");
    assert_eq!(created.title.as_deref(), Some("Design review"));
    assert!(created.end_time.is_none());

    let Event::SessionEnded(ended) = parsed("session.ended") else {
        panic!()
    };
    assert_eq!(ended.session_type, Some(SessionType::Meeting)); // camelCase in webhooks
    assert_eq!(ended.duration, Some(1800.0));
    assert!(ended.topic.is_none());
    let sc = &ended.structured_conversations.as_ref().unwrap()[0];
    assert_eq!(sc.kind.as_deref(), Some("suggestion"));
    assert_eq!(sc.question, None);
    assert_eq!(sc.timestamp_ms, Some(1_772_547_120_000));
    assert_eq!(
        ended.highlights.as_ref().unwrap()[0].time_index_ms,
        Some(720_000)
    );
    assert!(ended.extra.is_empty(), "{:?}", ended.extra);

    let Event::SessionExported(exported) = parsed("session.exported") else {
        panic!()
    };
    assert!(exported.end_time.is_none());
    assert_eq!(
        exported.exported_at.as_ref().unwrap().as_str(),
        "2026-03-03T16:02:11Z"
    );

    let Event::HighlightCreated(h) = parsed("highlight.created") else {
        panic!()
    };
    assert_eq!(h.highlight_id, "high_def456"); // sent as `id`
    assert_eq!(h.session_id.as_deref(), Some("sess_7Qm2xK9aL0"));
    assert_eq!(h.main_idea.as_deref(), Some("Launch date confirmed"));
    // In the flat form, `timestamp` is the highlight's own.
    assert_eq!(
        h.timestamp.as_ref().unwrap().as_str(),
        "2026-03-03T14:12:00Z"
    );

    let Event::TodoExported(todo) = parsed("todo.exported") else {
        panic!()
    };
    assert_eq!(todo.id, "todo_001");
    assert_eq!(todo.due_date.as_deref(), Some("Tomorrow"));
    assert_eq!(
        Event::TodoExported(todo).session_id(),
        Some("sess_7Qm2xK9aL0")
    );
}

#[test]
fn wrapped_envelope_timestamp() {
    let (h, b) = delivery("highlight.created", "wrapped");
    let e = verify_and_parse(&Verifier::new(SECRET), &h, &b).unwrap();
    assert_eq!(e.timestamp.unwrap().as_str(), "2026-03-03T14:12:01Z");
    let Event::HighlightCreated(h) = e.event else {
        panic!()
    };
    assert_eq!(h.timestamp.unwrap().as_str(), "2026-03-03T14:12:00Z");
}

#[test]
fn unknown_event_is_kept() {
    let body = fixture("webhook_unknown_event.json").into_bytes();
    let headers = signed("session.summarized", &body);
    let e = verify_and_parse(&Verifier::new(SECRET), &headers, &body).unwrap();
    assert_eq!(
        e.event_type(),
        EventType::Unknown("session.summarized".into())
    );
    let Event::Unknown { event_type, data } = &e.event else {
        panic!()
    };
    assert_eq!(event_type, "session.summarized");
    assert_eq!(data["summaryVersion"], 2);
    assert_eq!(e.event.session_id(), Some("sess_7Qm2xK9aL0"));
}

#[test]
fn tampered_or_wrongly_signed_deliveries_fail() {
    let verifier = Verifier::new(SECRET);
    let (headers, body) = delivery("session.ended", "flat");
    let mut tampered = body.clone();
    let i = tampered.iter().position(|&b| b == b'1').unwrap();
    tampered[i] = b'2';
    assert!(matches!(
        verify_and_parse(&verifier, &headers, &tampered),
        Err(VerifyError::NoMatchingSignature)
    ));
    let mut spaced = body.clone();
    spaced.push(b'\n');
    assert!(verify_and_parse(&verifier, &headers, &spaced).is_err());
    let other = Verifier::new("whsec_someone_else");
    let err = verify_and_parse(&other, &headers, &body).unwrap_err();
    assert!(matches!(err, VerifyError::NoMatchingSignature));
    assert_eq!(err.status().as_u16(), 401);
    let mut unsigned = headers.clone();
    unsigned.remove("x-hedy-signature");
    assert!(matches!(
        verify_and_parse(&verifier, &unsigned, &body),
        Err(VerifyError::MissingHeader { .. })
    ));
}

#[test]
fn rotation_and_prefix_tolerance() {
    let (mut headers, body) = delivery("todo.exported", "wrapped");
    let rotating = Verifier::new(["whsec_new", SECRET]);
    assert!(verify_and_parse(&rotating, &headers, &body).is_ok());
    let sig = headers["x-hedy-signature"].to_str().unwrap().to_owned();
    headers.insert(
        "x-hedy-signature",
        HeaderValue::from_str(&format!("sha256={sig}")).unwrap(),
    );
    assert!(verify_and_parse(&rotating, &headers, &body).is_ok());
}

#[test]
fn the_signed_body_names_the_event_not_the_header() {
    let verifier = Verifier::new(SECRET);
    let (_, body) = delivery("todo.exported", "flat");
    // The unsigned X-Hedy-Event header says otherwise: the signed body wins.
    let headers = signed("session.ended", &body);
    let e = verify_and_parse(&verifier, &headers, &body).unwrap();
    assert_eq!(e.event_type(), EventType::TodoExported);
    // A body without `event` falls back to the header.
    let bare = br#"{"id":"todo_9","sessionId":"s","text":"x","dueDate":""}"#;
    let headers = signed("todo.exported", bare);
    let e = verify_and_parse(&verifier, &headers, bare).unwrap();
    assert_eq!(e.event_type(), EventType::TodoExported);
    assert!(parse(bare).is_err()); // and without either, there is no event type
}

#[test]
fn a_verified_body_that_is_not_an_event_is_invalid_json() {
    let verifier = Verifier::new(SECRET);
    for body in [
        &b"not json"[..],
        b"[1,2]",
        br#"{"event":"session.ended","data":{"title":"no id"}}"#,
    ] {
        let headers = signed("session.ended", body);
        let err = verify_and_parse(&verifier, &headers, body).unwrap_err();
        assert!(matches!(err, VerifyError::InvalidJson(_)), "{err}");
    }
}
