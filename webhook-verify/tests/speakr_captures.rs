//! The 20 real signed Speakr deliveries captured from a Speakr server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use webhook_verify::{speakr, Error, ManualClock, Scheme};

const CAPTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/captures/speakr/webhook_deliveries_received.json"
);
const TEST_EVENT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/captures/speakr/webhook_delivery_test_event.json"
);

struct Delivery {
    headers: HeaderMap,
    body: Vec<u8>,
}

fn delivery(v: &Value) -> Delivery {
    let mut headers = HeaderMap::new();
    for (k, val) in v["headers"].as_object().unwrap() {
        headers.append(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(val.as_str().unwrap()).unwrap(),
        );
    }
    Delivery {
        headers,
        body: v["raw_body"].as_str().unwrap().as_bytes().to_vec(),
    }
}

fn load() -> (String, Vec<Delivery>) {
    let text = std::fs::read_to_string(CAPTURES).expect("captures present beside the workspace");
    let json: Value = serde_json::from_str(&text).unwrap();
    let secret = json["secret_used"].as_str().unwrap().to_owned();
    let deliveries: Vec<Delivery> = json["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(delivery)
        .collect();
    (secret, deliveries)
}

#[test]
fn all_twenty_real_deliveries_verify() {
    let (secret, deliveries) = load();
    assert_eq!(deliveries.len(), 20);
    let verifier = speakr::Verifier::new(secret.as_str());
    for d in &deliveries {
        let v = verifier.verify(&d.headers, &d.body).unwrap();
        assert_eq!(v.scheme(), Scheme::Speakr);
        assert_eq!(v.secret_index(), 0);
        assert_eq!(v.body(), d.body.as_slice());
        let id = d.headers["speakr-delivery-id"].to_str().unwrap();
        assert_eq!(v.idempotency_key(), id);
        assert_eq!(
            v.event_type(),
            Some(d.headers["speakr-event"].to_str().unwrap())
        );
        let body: Value = v.json().unwrap();
        assert_eq!(body["id"], id, "Speakr-Delivery-Id equals body id");
        assert_eq!(body["type"].as_str(), v.event_type());
    }
}

#[test]
fn test_event_capture_verifies() {
    let (secret, _) = load();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(TEST_EVENT).unwrap()).unwrap();
    let d = delivery(&json);
    let v = speakr::Verifier::new(secret.as_str())
        .verify(&d.headers, &d.body)
        .unwrap();
    assert_eq!(v.event_type(), Some("webhook.test"));
    assert_eq!(v.idempotency_key(), "8f7cdf3b-fc54-49e0-9630-2f6588a254ca");
}

#[test]
fn flipped_body_byte_fails_for_every_delivery() {
    let (secret, deliveries) = load();
    let verifier = speakr::Verifier::new(secret.as_str());
    for d in &deliveries {
        for pos in [0, d.body.len() / 2, d.body.len() - 1] {
            let mut body = d.body.clone();
            body[pos] ^= 0x01;
            assert!(
                matches!(
                    verifier.verify(&d.headers, &body),
                    Err(Error::NoMatchingSignature)
                ),
                "flipped byte {pos} accepted"
            );
        }
    }
}

fn with_signature(d: &Delivery, sig: &str) -> HeaderMap {
    let mut h = d.headers.clone();
    h.insert("speakr-signature", HeaderValue::from_str(sig).unwrap());
    h
}

#[test]
fn flipped_signature_nibble_fails_for_every_delivery() {
    let (secret, deliveries) = load();
    let verifier = speakr::Verifier::new(secret.as_str());
    for d in &deliveries {
        let sig = d.headers["speakr-signature"].to_str().unwrap().to_owned();
        for pos in [7, 20, sig.len() - 1] {
            let mut chars: Vec<char> = sig.chars().collect();
            let c = chars[pos];
            let n = c.to_digit(16).unwrap();
            chars[pos] = std::char::from_digit(n ^ 0x1, 16).unwrap();
            let tampered: String = chars.into_iter().collect();
            assert!(matches!(
                verifier.verify(&with_signature(d, &tampered), &d.body),
                Err(Error::NoMatchingSignature)
            ));
        }
    }
}

#[test]
fn truncated_signature_is_malformed_for_every_delivery() {
    let (secret, deliveries) = load();
    let verifier = speakr::Verifier::new(secret.as_str());
    for d in &deliveries {
        let sig = d.headers["speakr-signature"].to_str().unwrap();
        for cut in [1, 2, 32] {
            let truncated = &sig[..sig.len() - cut];
            match verifier.verify(&with_signature(d, truncated), &d.body) {
                Err(Error::MalformedHeader { name, .. }) => assert_eq!(name, "speakr-signature"),
                other => panic!("truncated by {cut}: {other:?}"),
            }
        }
        // Without the required prefix.
        let bare = sig.trim_start_matches("sha256=");
        assert!(matches!(
            verifier.verify(&with_signature(d, bare), &d.body),
            Err(Error::MalformedHeader { .. })
        ));
    }
}

#[test]
fn wrong_secret_fails_and_rotation_reports_the_index() {
    let (secret, deliveries) = load();
    let wrong = speakr::Verifier::new("MpGN-JInbG9w7xis_0O9d5wUaicyt2taYQTpQssdcJd");
    let rotating = speakr::Verifier::new(["an-older-secret", secret.as_str()]);
    for d in &deliveries {
        assert!(matches!(
            wrong.verify(&d.headers, &d.body),
            Err(Error::NoMatchingSignature)
        ));
        assert_eq!(
            rotating.verify(&d.headers, &d.body).unwrap().secret_index(),
            1
        );
    }
}

#[test]
fn missing_signature_header() {
    let (secret, deliveries) = load();
    let mut h = deliveries[0].headers.clone();
    h.remove("speakr-signature");
    match speakr::Verifier::new(secret.as_str()).verify(&h, &deliveries[0].body) {
        Err(Error::MissingHeader { name }) => assert_eq!(name, "speakr-signature"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn reserialized_json_fails() {
    let (secret, deliveries) = load();
    let verifier = speakr::Verifier::new(secret.as_str());
    for d in &deliveries {
        let parsed: Value = serde_json::from_slice(&d.body).unwrap();
        // serde_json sorts keys (no preserve_order) and pretty-printing adds spacing.
        for reserialized in [
            serde_json::to_vec(&parsed).unwrap(),
            serde_json::to_vec_pretty(&parsed).unwrap(),
        ] {
            assert_ne!(reserialized, d.body);
            assert!(matches!(
                verifier.verify(&d.headers, &reserialized),
                Err(Error::NoMatchingSignature)
            ));
        }
    }
}

#[test]
fn unsigned_timestamp_window_is_optional() {
    let (secret, deliveries) = load();
    let d = &deliveries[0];
    // 2026-11-22T07:35:45.204352Z
    let ts = 1_795_332_945;
    let clock = ManualClock::new(ts + 10);
    let verifier = speakr::Verifier::new(secret.as_str())
        .with_timestamp_window(Duration::from_secs(300), Duration::from_secs(60))
        .with_clock(clock.clone());
    verifier.verify(&d.headers, &d.body).unwrap();
    clock.set(ts + 301);
    match verifier.verify(&d.headers, &d.body) {
        Err(Error::TimestampOutsideTolerance { skew_seconds }) => assert_eq!(skew_seconds, -301),
        other => panic!("{other:?}"),
    }
    clock.set(ts - 61);
    assert!(matches!(
        verifier.verify(&d.headers, &d.body),
        Err(Error::TimestampOutsideTolerance { skew_seconds: 61 })
    ));
    // Off by default: the real captures are months old and still verify.
    speakr::Verifier::new(secret.as_str())
        .verify(&d.headers, &d.body)
        .unwrap();
}

#[test]
fn signer_reproduces_the_captured_signatures() {
    let (secret, deliveries) = load();
    for d in &deliveries {
        let headers = speakr::sign(secret.as_str(), &d.body);
        assert_eq!(headers.len(), 1);
        assert_eq!(headers[0].0, "speakr-signature");
        assert_eq!(headers[0].1, d.headers["speakr-signature"]);
    }
}

#[test]
fn sign_delivery_round_trip() {
    let body = br#"{"id":"abc","type":"recording.completed"}"#;
    let headers = speakr::sign_delivery(
        "s3cret",
        "abc",
        "recording.completed",
        "2026-11-22T07:35:45Z",
        body,
    )
    .unwrap();
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.insert(k, v);
    }
    let v = speakr::Verifier::new("s3cret").verify(&map, body).unwrap();
    assert_eq!(v.idempotency_key(), "abc");
    assert_eq!(v.event_type(), Some("recording.completed"));
    assert!(matches!(
        speakr::sign_delivery("s", "bad\nid", "e", "t", body),
        Err(Error::InvalidHeaderValue { .. })
    ));
}

#[test]
fn errors_never_contain_the_secret_or_expected_signature() {
    let (secret, deliveries) = load();
    let d = &deliveries[0];
    let expected = d.headers["speakr-signature"].to_str().unwrap().to_owned();
    let verifier = speakr::Verifier::new(secret.as_str());
    let mut body = d.body.clone();
    body[3] ^= 1;
    let err = verifier.verify(&d.headers, &body).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains(&secret));
    assert!(!text.contains(&expected[7..]));
    assert!(!format!("{verifier:?}").contains(&secret));
}
