//! Signed Healthie deliveries: verify-then-parse in each signature dialect, secret rotation,
//! tampered deliveries rejected, a validly signed bad payload, `parse` of a trusted body, the
//! lifecycle tracker fed from verified deliveries, and, with feature `mock`, signed
//! deliveries `POST`ed to a receiver that verifies them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use healthie_client::webhooks::{
    parse, verify_and_parse, Change, Dialect, EventType, Mode, RecordingTracker, ThinEvent,
    Verifier, VerifyError,
};
use http::{HeaderMap, HeaderValue, StatusCode};
use sha2::{Digest, Sha256};

const SECRET: &str = "whsec_my-secret-key";
const PATH: &str = "/hooks/healthie?tenant=7";
const CREATED: u64 = 1_796_000_000;
const DIALECTS: [Dialect; 3] = [Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421];

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn signed(dialect: Dialect, secret: &str, path: &str, body: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in
        webhook_verify::healthie::sign(secret, dialect, "POST", path, body, CREATED)
    {
        headers.insert(name, value);
    }
    headers
}

fn verifier() -> Verifier {
    Verifier::new(SECRET, "POST", PATH).with_clock(webhook_verify::ManualClock::new(CREATED))
}

fn sha256_hex(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

const TRANSCRIPT: &[u8] = br#"{"resource_id":12345,"resource_id_type":"Appointment","event_type":"appointment.transcript_available","changed_fields":[]}"#;

#[test]
fn deliveries_signed_in_each_dialect_verify_and_parse() {
    for dialect in DIALECTS {
        let headers = signed(dialect, SECRET, PATH, TRANSCRIPT);
        let got = verify_and_parse(&verifier(), &headers, TRANSCRIPT).unwrap();
        assert_eq!(got.dialect, Some(dialect));
        assert!(got.variant.is_some());
        assert_eq!(got.secret_index, 0);
        assert_eq!(got.idempotency_key, sha256_hex(TRANSCRIPT));
        assert_eq!(
            got.event.event_type,
            EventType::AppointmentTranscriptAvailable
        );
        assert_eq!(got.event.appointment_id(), Some("12345"));
        // A verifier locked to that dialect accepts it too.
        let mode = match dialect {
            Dialect::Legacy => Mode::Legacy,
            Dialect::Guide => Mode::Guide,
            Dialect::Rfc9421 => Mode::Rfc9421,
        };
        let locked = verifier().mode(mode);
        assert_eq!(
            verify_and_parse(&locked, &headers, TRANSCRIPT)
                .unwrap()
                .dialect,
            Some(dialect)
        );
    }
    // A retry (same body) has the same key; another event another.
    let other = br#"{"resource_id":12345,"resource_id_type":"Appointment","event_type":"appointment.recording_started","changed_fields":[]}"#;
    let a = verify_and_parse(
        &verifier(),
        &signed(Dialect::Legacy, SECRET, PATH, other),
        other,
    )
    .unwrap();
    assert_ne!(a.idempotency_key, sha256_hex(TRANSCRIPT));
    assert_eq!(a.idempotency_key, sha256_hex(other));
}

#[test]
fn the_previous_secret_still_verifies_during_a_rotation() {
    let v = Verifier::new(["whsec_new", SECRET], "POST", PATH)
        .with_clock(webhook_verify::ManualClock::new(CREATED));
    for dialect in DIALECTS {
        let got =
            verify_and_parse(&v, &signed(dialect, SECRET, PATH, TRANSCRIPT), TRANSCRIPT).unwrap();
        assert_eq!(got.secret_index, 1);
    }
}

fn verify_error(result: Result<impl std::fmt::Debug, VerifyError>) -> VerifyError {
    match result {
        Err(e) => e,
        other => panic!("expected a verification error, got {other:?}"),
    }
}

#[test]
fn tampered_deliveries_fail_verification() {
    for dialect in DIALECTS {
        let headers = signed(dialect, SECRET, PATH, TRANSCRIPT);
        // Another body under the same headers: the digest no longer matches.
        let tampered = String::from_utf8_lossy(TRANSCRIPT).replace("12345", "12346");
        let err = verify_error(verify_and_parse(&verifier(), &headers, tampered.as_bytes()));
        assert!(
            matches!(err, VerifyError::DigestMismatch),
            "{dialect}: {err:?}"
        );
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);

        // Another secret.
        let forged = signed(dialect, "whsec_attacker", PATH, TRANSCRIPT);
        let err = verify_error(verify_and_parse(&verifier(), &forged, TRANSCRIPT));
        assert!(
            matches!(err, VerifyError::NoMatchingSignature),
            "{dialect}: {err:?}"
        );

        // Signed for another path than the one registered.
        let moved = signed(dialect, SECRET, "/other?tenant=7", TRANSCRIPT);
        let err = verify_error(verify_and_parse(&verifier(), &moved, TRANSCRIPT));
        assert!(
            matches!(err, VerifyError::NoMatchingSignature),
            "{dialect}: {err:?}"
        );

        // A body digest recomputed for the tampered body, signature left as is.
        let mut rehashed = headers.clone();
        let resigned = signed(dialect, "whsec_attacker", PATH, tampered.as_bytes());
        rehashed.insert(
            "content-digest",
            resigned.get("content-digest").unwrap().clone(),
        );
        rehashed.insert(
            http::header::CONTENT_LENGTH,
            HeaderValue::from(tampered.len()),
        );
        let err = verify_error(verify_and_parse(
            &verifier(),
            &rehashed,
            tampered.as_bytes(),
        ));
        assert!(
            matches!(err, VerifyError::NoMatchingSignature),
            "{dialect}: {err:?}"
        );

        // No signature at all.
        let mut unsigned = headers.clone();
        unsigned.remove("signature");
        let err = verify_error(verify_and_parse(&verifier(), &unsigned, TRANSCRIPT));
        assert!(
            matches!(err, VerifyError::MissingHeader { .. }),
            "{dialect}: {err:?}"
        );
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    }
    // A verifier locked to one dialect refuses the others.
    let legacy_only = verifier().mode(Mode::Legacy);
    let guide = signed(Dialect::Guide, SECRET, PATH, TRANSCRIPT);
    verify_error(verify_and_parse(&legacy_only, &guide, TRANSCRIPT));
}

#[test]
fn a_validly_signed_bad_payload_is_an_invalid_body() {
    let body = br#"{"resource_id":1.5,"event_type":"appointment.created"}"#;
    for dialect in DIALECTS {
        let err =
            verify_and_parse(&verifier(), &signed(dialect, SECRET, PATH, body), body).unwrap_err();
        match &err {
            VerifyError::InvalidJson(e) => {
                assert!(e.is_data(), "{e}");
                assert!(e.to_string().contains("invalid field `resource_id`"), "{e}");
            }
            other => panic!("expected an invalid body, got {other:?}"),
        }
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    }
    let not_json = b"not json";
    let err = verify_and_parse(
        &verifier(),
        &signed(Dialect::Legacy, SECRET, PATH, not_json),
        not_json,
    )
    .unwrap_err();
    assert!(
        matches!(&err, VerifyError::InvalidJson(e) if e.is_syntax()),
        "{err:?}"
    );
    assert_eq!(err.status(), StatusCode::BAD_REQUEST);
}

#[test]
fn parse_reads_a_trusted_body_as_verify_and_parse_does() {
    let verified = verify_and_parse(
        &verifier(),
        &signed(Dialect::Guide, SECRET, PATH, TRANSCRIPT),
        TRANSCRIPT,
    )
    .unwrap();
    let parsed = parse(TRANSCRIPT).unwrap();
    assert_eq!(parsed.event, verified.event);
    assert_eq!(
        parsed.event_type(),
        EventType::AppointmentTranscriptAvailable
    );
    assert_eq!(parsed.event_type(), verified.event_type());
    assert_eq!(parsed.idempotency_key, verified.idempotency_key);
    assert_eq!(parsed.dialect, None);
    assert_eq!(parsed.variant, None);
    let err = parse(br#"{"resource_id":1.5,"event_type":"appointment.created"}"#).unwrap_err();
    assert!(err.to_string().contains("resource_id"), "{err}");
    assert!(parse(b"[]")
        .unwrap_err()
        .to_string()
        .contains("not a JSON object"));
}

// ---- recording lifecycle from verified deliveries (the tracker itself: recording_lifecycle.rs) ----

const STARTED: EventType = EventType::AppointmentRecordingStarted;
const STOPPED: EventType = EventType::AppointmentRecordingStopped;
const AVAILABLE: EventType = EventType::AppointmentTranscriptAvailable;

#[test]
fn lifecycle_from_verified_deliveries() {
    let mut t = RecordingTracker::new(10);
    let events = [
        (STARTED, 1_000),
        (STOPPED, 2_800),
        (STOPPED, 2_800), // a retried delivery
        (AVAILABLE, 3_100),
    ];
    let mut changes = Vec::new();
    for (event_type, arrived) in events {
        let body = ThinEvent::new(event_type, "Appointment", "12345")
            .to_value()
            .to_string();
        let headers = signed(Dialect::Legacy, SECRET, PATH, body.as_bytes());
        let delivery = verify_and_parse(&verifier(), &headers, body.as_bytes()).unwrap();
        changes.push(t.observe(&delivery.event, at(arrived)).change);
    }
    assert_eq!(
        changes,
        [Change::New, Change::New, Change::Duplicate, Change::New]
    );
    let l = t.get("12345").unwrap();
    assert_eq!(l.recording_length(), Some(Duration::from_secs(1_800)));
    assert_eq!(l.time_to_transcript(), Some(Duration::from_secs(300)));
}

#[cfg(feature = "mock")]
mod mock {
    use super::*;
    use healthie_client::mock::{
        Delivery, MockHealthie, SignedDelivery, DEFAULT_DIALECT, MOCK_WEBHOOK_SECRET,
    };
    use serde_json::json;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

    /// A receiver that verifies what it gets and answers the status
    /// [`VerifyError::status`] gives, or 200 with the event type and key.
    struct Receiver(Verifier);

    impl Respond for Receiver {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            match verify_and_parse(&self.0, &request.headers, &request.body) {
                Ok(e) => ResponseTemplate::new(200).set_body_json(json!({
                    "event_type": e.event.event_type,
                    "resource_id": e.event.resource_id,
                    "key": e.idempotency_key,
                    "dialect": e.dialect.map(|d| d.to_string()),
                })),
                Err(e) => ResponseTemplate::new(e.status().as_u16()).set_body_string(e.to_string()),
            }
        }
    }

    async fn receiver(registered: &str) -> MockServer {
        let server = MockServer::start().await;
        let verifier = Verifier::new(MOCK_WEBHOOK_SECRET, "POST", registered)
            .with_clock(webhook_verify::ManualClock::new(CREATED));
        Mock::given(method("POST"))
            .respond_with(Receiver(verifier))
            .mount(&server)
            .await;
        server
    }

    #[tokio::test]
    async fn signed_deliveries_reach_a_receiver_in_each_dialect() {
        let server = receiver(PATH).await;
        let url = format!("{}{PATH}", server.uri());
        let event = ThinEvent::new(
            EventType::AppointmentTranscriptAvailable,
            "Appointment",
            "12345",
        );
        for dialect in DIALECTS {
            let delivery = Delivery::for_event(&event)
                .signed(MOCK_WEBHOOK_SECRET, dialect, &url, CREATED)
                .unwrap();
            assert_eq!(delivery.path_and_query, PATH);
            assert_eq!(delivery.dialect, dialect);
            let answer = delivery.post(&url).await.unwrap();
            assert_eq!(
                answer.status,
                StatusCode::OK,
                "{dialect}: {:?}",
                answer.body
            );
            let reply: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
            assert_eq!(reply["event_type"], "appointment.transcript_available");
            assert_eq!(reply["resource_id"], "12345");
            assert_eq!(reply["key"], sha256_hex(&delivery.body));
            assert_eq!(reply["dialect"], dialect.to_string());
        }
        // What went over the wire: the exact body and the signature headers, at the path
        // and query that were signed.
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 3);
        for request in &received {
            assert_eq!(request.url.path(), "/hooks/healthie");
            assert_eq!(request.url.query(), Some("tenant=7"));
            assert_eq!(
                request.headers.get("content-type").unwrap(),
                "application/json"
            );
            for name in ["content-digest", "signature-input", "signature"] {
                assert!(request.headers.contains_key(name), "{name}");
            }
            assert_eq!(
                serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
                event.to_value()
            );
        }
    }

    #[tokio::test]
    async fn tampered_and_misaddressed_deliveries_are_refused() {
        let server = receiver(PATH).await;
        let url = format!("{}{PATH}", server.uri());
        let body = br#"{"resource_id":1,"resource_id_type":"Appointment","event_type":"appointment.recording_started"}"#;
        for dialect in DIALECTS {
            let mut delivery =
                SignedDelivery::new(MOCK_WEBHOOK_SECRET, dialect, PATH, &body[..], CREATED)
                    .unwrap();
            delivery.body = bytes::Bytes::from_static(
                br#"{"resource_id":2,"resource_id_type":"Appointment","event_type":"appointment.recording_started"}"#,
            );
            let answer = delivery.post(&url).await.unwrap();
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{dialect}");

            let forged =
                SignedDelivery::new("whsec_wrong", dialect, PATH, &body[..], CREATED).unwrap();
            assert_eq!(
                forged.post(&url).await.unwrap().status,
                StatusCode::UNAUTHORIZED
            );

            // Signed for the path the receiver sees, not the one registered.
            let other = format!("{}/hooks/healthie", server.uri());
            let misaddressed =
                SignedDelivery::new(MOCK_WEBHOOK_SECRET, dialect, &other, &body[..], CREATED)
                    .unwrap();
            assert_eq!(misaddressed.path_and_query, "/hooks/healthie");
            assert_eq!(
                misaddressed.post(&other).await.unwrap().status,
                StatusCode::UNAUTHORIZED
            );
        }
        // Valid signature, bad payload: 400.
        let bad = SignedDelivery::new(
            MOCK_WEBHOOK_SECRET,
            Dialect::Legacy,
            PATH,
            &b"[]"[..],
            CREATED,
        )
        .unwrap();
        assert_eq!(
            bad.post(&url).await.unwrap().status,
            StatusCode::BAD_REQUEST
        );
    }

    #[test]
    fn deliveries_are_signed_for_the_registered_path() {
        let d = SignedDelivery::new(
            MOCK_WEBHOOK_SECRET,
            Dialect::Guide,
            "https://example.com/a/b?x=1&y=2",
            &b"{}"[..],
            CREATED,
        )
        .unwrap();
        assert_eq!(d.path_and_query, "/a/b?x=1&y=2");
        assert_eq!(d.headers.get("content-length").unwrap(), "2");
        assert!(d
            .headers
            .get("signature")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("sig1=:"));
        let err = SignedDelivery::new(
            MOCK_WEBHOOK_SECRET,
            Dialect::Legacy,
            "not a url",
            &b"{}"[..],
            0,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("neither a URL nor a path"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn an_unreachable_receiver_is_an_error() {
        // A port nothing listens on any more (mock servers are pooled, so not one of those).
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        drop(listener);
        let d =
            SignedDelivery::new(MOCK_WEBHOOK_SECRET, Dialect::Legacy, &url, &b"{}"[..], 0).unwrap();
        assert!(d.post(&url).await.is_err());
    }

    #[tokio::test]
    async fn the_mock_delivers_its_samples_signed_with_its_secret() {
        let mock = MockHealthie::start().await;
        let deliveries = MockHealthie::deliveries().unwrap();
        let types: Vec<_> = deliveries.iter().map(|d| d.event_type.as_str()).collect();
        assert_eq!(
            types,
            [
                "appointment.recording_started",
                "appointment.participant_joined",
                "appointment.recording_stopped",
                "appointment.transcript_available",
                "appointment.updated",
                "appointment.cancelled",
            ]
        );
        // Every sample parses, in the lenient forms too.
        for d in &deliveries {
            assert_eq!(parse(&d.body).unwrap().event_type(), d.event_type);
        }
        let updated = parse(&deliveries[4].body).unwrap().event;
        assert_eq!(updated.resource_id, "1002");
        assert_eq!(updated.changed_fields, ["date", "location"]);
        assert!(parse(&deliveries[5].body)
            .unwrap()
            .event_type()
            .is_unknown());

        // The receiver's verifier runs on the system clock: the mock signs with the time now.
        let server = MockServer::start().await;
        let verifier = Verifier::new([mock.webhook_secret()], "POST", PATH);
        Mock::given(method("POST"))
            .respond_with(Receiver(verifier))
            .mount(&server)
            .await;
        let url = format!("{}{PATH}", server.uri());
        for d in &deliveries {
            let answer = mock.deliver(&url, d).await.unwrap();
            assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
            let reply: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
            assert_eq!(reply["event_type"], d.event_type.as_str());
            assert_eq!(reply["key"], sha256_hex(&d.body));
            assert_eq!(reply["dialect"], DEFAULT_DIALECT.to_string());
        }
        for dialect in DIALECTS {
            let answer = mock
                .deliver_in(&url, &deliveries[3], dialect)
                .await
                .unwrap();
            let reply: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
            assert_eq!(reply["dialect"], dialect.to_string());
        }
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), deliveries.len() + DIALECTS.len());
        assert_eq!(received[0].body, deliveries[0].body);
        // A body that is not a thin payload is no `Delivery`.
        assert!(Delivery::from_body(&b"{}"[..]).is_err());
    }
}
