//! Heilo: `t=…,v1=…` parsing, tolerance boundaries, rotation and the handshake helper.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use http::{HeaderMap, HeaderValue};
use webhook_verify::heilo::{self, HandshakeResponse, SignatureHeader};
use webhook_verify::{Error, ManualClock, Scheme};

const SECRET: &str = "whsec_heilo-test";
const NOW: u64 = 1_717_423_396;
const BODY: &[u8] = br#"{"api_version":"2026-06-15","event_id":"1bf3a5e2-0000-5000-8000-000000000001","event_type":"call.completed","resource_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","created_at":"2026-06-03T12:34:56Z","data":{"call_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","duration":87}}"#;

fn headers_for(sig: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("heilo-signature", HeaderValue::from_str(sig).unwrap());
    h.insert(
        "heilo-event-id",
        HeaderValue::from_static("1bf3a5e2-0000-5000-8000-000000000001"),
    );
    h.insert(
        "heilo-event-type",
        HeaderValue::from_static("call.completed"),
    );
    h
}

fn signed_at(t: u64) -> HeaderMap {
    headers_for(&format!("t={t},v1={}", heilo::signature(SECRET, t, BODY)))
}

fn verifier(now: u64) -> heilo::Verifier {
    heilo::Verifier::new(SECRET).with_clock(ManualClock::new(now))
}

#[test]
fn valid_delivery_and_metadata() {
    let v = verifier(NOW).verify(&signed_at(NOW), BODY).unwrap();
    assert_eq!(v.scheme(), Scheme::Heilo);
    assert_eq!(v.event_type(), Some("call.completed"));
    assert_eq!(v.idempotency_key(), "1bf3a5e2-0000-5000-8000-000000000001");
    assert_eq!(v.secret_index(), 0);
}

#[test]
fn signed_string_is_timestamp_dot_body() {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    let mut signed = format!("{NOW}.").into_bytes();
    signed.extend_from_slice(BODY);
    mac.update(&signed);
    assert_eq!(
        hex::encode(mac.finalize().into_bytes()),
        heilo::signature(SECRET, NOW, BODY)
    );
}

#[test]
fn tolerance_boundaries() {
    // Exactly 300 s old passes, 301 s fails.
    verifier(NOW + 300).verify(&signed_at(NOW), BODY).unwrap();
    match verifier(NOW + 301).verify(&signed_at(NOW), BODY) {
        Err(Error::TimestampOutsideTolerance { skew_seconds }) => assert_eq!(skew_seconds, -301),
        other => panic!("{other:?}"),
    }
    // 60 s ahead passes, 61 s fails.
    verifier(NOW - 60).verify(&signed_at(NOW), BODY).unwrap();
    match verifier(NOW - 61).verify(&signed_at(NOW), BODY) {
        Err(Error::TimestampOutsideTolerance { skew_seconds }) => assert_eq!(skew_seconds, 61),
        other => panic!("{other:?}"),
    }
}

#[test]
fn tolerances_are_configurable() {
    let v = heilo::Verifier::new(SECRET)
        .with_tolerance(Duration::from_secs(10), Duration::from_secs(0))
        .with_clock(ManualClock::new(NOW));
    v.verify(&signed_at(NOW - 10), BODY).unwrap();
    assert!(v.verify(&signed_at(NOW - 11), BODY).is_err());
    v.verify(&signed_at(NOW), BODY).unwrap();
    assert!(v.verify(&signed_at(NOW + 1), BODY).is_err());
    // A closure is a clock too.
    let v = heilo::Verifier::new(SECRET).with_clock(|| NOW);
    v.verify(&signed_at(NOW), BODY).unwrap();
}

#[test]
fn several_v1_with_one_valid_passes() {
    let good = heilo::signature(SECRET, NOW, BODY);
    let other = heilo::signature("some-other-secret", NOW, BODY);
    for sig in [
        format!("t={NOW},v1={other},v1={good}"),
        format!("t={NOW},v1={good},v1={other}"),
        format!("v1={other}, t={NOW} , v1={good}"),
        format!(" t = {NOW} , v0=deadbeef, v1 = {good} ,scheme=x"),
        format!("t={NOW},v1={},v1={good}", good.to_uppercase()),
    ] {
        verifier(NOW).verify(&headers_for(&sig), BODY).unwrap();
    }
    let sig = format!("t={NOW},v1={other},v1={other}");
    assert!(matches!(
        verifier(NOW).verify(&headers_for(&sig), BODY),
        Err(Error::NoMatchingSignature)
    ));
}

#[test]
fn malformed_headers_fail_cleanly() {
    let good = heilo::signature(SECRET, NOW, BODY);
    for sig in [
        "".to_owned(),
        "   ".to_owned(),
        "v1=".to_owned(),
        format!("t={NOW},v1="),
        "t=,v1=".to_owned(),
        format!("t=,v1={good}"),
        format!("t=abc,v1={good}"),
        format!("t=-5,v1={good}"),
        format!("t=1.5,v1={good}"),
        format!("t={NOW},t={NOW},v1={good}"),
        format!("t={NOW}"),
        format!("v1={good}"),
        format!("t={NOW},v1"),
        format!("t={NOW},v1={}", &good[..63]),
        format!("t={NOW},v1={good}00"),
        format!("t={NOW},v1=zz{}", &good[2..]),
        format!("t=99999999999999999999999,v1={good}"),
        ",,,".to_owned(),
    ] {
        match heilo::parse_signature_header(&sig) {
            Err(Error::MalformedHeader { name, .. }) => assert_eq!(name, "heilo-signature"),
            other => panic!("{sig:?} parsed as {other:?}"),
        }
        if !sig.trim().is_empty() {
            assert!(matches!(
                verifier(NOW).verify(&headers_for(&sig), BODY),
                Err(Error::MalformedHeader { .. })
            ));
        }
    }
    // Missing header entirely.
    let mut h = signed_at(NOW);
    h.remove("heilo-signature");
    assert!(matches!(
        verifier(NOW).verify(&h, BODY),
        Err(Error::MissingHeader { .. })
    ));
}

#[test]
fn parser_output() {
    let good = heilo::signature(SECRET, NOW, BODY);
    let parsed = heilo::parse_signature_header(&format!("t={NOW},v1={good},x=1")).unwrap();
    let mut sig = [0u8; 32];
    hex::decode_to_slice(&good, &mut sig).unwrap();
    assert_eq!(
        parsed,
        SignatureHeader {
            timestamp: NOW,
            signatures: vec![sig]
        }
    );
}

#[test]
fn tampering_fails() {
    let h = signed_at(NOW);
    let mut body = BODY.to_vec();
    body[10] ^= 0x20;
    assert!(matches!(
        verifier(NOW).verify(&h, &body),
        Err(Error::NoMatchingSignature)
    ));
    // Moving the timestamp (still within tolerance) breaks the signature.
    let sig = format!("t={},v1={}", NOW + 1, heilo::signature(SECRET, NOW, BODY));
    assert!(matches!(
        verifier(NOW).verify(&headers_for(&sig), BODY),
        Err(Error::NoMatchingSignature)
    ));
    assert!(matches!(
        heilo::Verifier::new("wrong")
            .with_clock(ManualClock::new(NOW))
            .verify(&h, BODY),
        Err(Error::NoMatchingSignature)
    ));
}

#[test]
fn rotation_and_fallbacks() {
    let v = heilo::Verifier::new(["old", SECRET]).with_clock(ManualClock::new(NOW));
    assert_eq!(v.verify(&signed_at(NOW), BODY).unwrap().secret_index(), 1);
    // Without the id and type headers: body hash and body event_type.
    let mut h = signed_at(NOW);
    h.remove("heilo-event-id");
    h.remove("heilo-event-type");
    let verified = v.verify(&h, BODY).unwrap();
    assert_eq!(verified.event_type(), Some("call.completed"));
    assert_eq!(
        verified.idempotency_key(),
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(BODY))
    );
}

#[test]
fn sign_event_round_trip() {
    let headers = heilo::sign_event(SECRET, NOW, "id-1", "contact.created", BODY).unwrap();
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.insert(k, v);
    }
    let verified = verifier(NOW).verify(&map, BODY).unwrap();
    assert_eq!(verified.idempotency_key(), "id-1");
    assert_eq!(verified.event_type(), Some("contact.created"));
}

#[test]
fn handshake_strict_mode_echoes_the_challenge() {
    let body = br#"{"api_version":"2026-06-15","event_id":"e-1","event_type":"webhook.subscription.verify","challenge":"abc\"123"}"#;
    let headers = heilo::sign_event(SECRET, NOW, "e-1", heilo::SUBSCRIPTION_VERIFY, body).unwrap();
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.insert(k, v);
    }
    let verified = verifier(NOW).verify(&map, body).unwrap();
    let response = HandshakeResponse::from_verified(&verified)
        .unwrap()
        .unwrap();
    assert_eq!(response.body(), r#"{"challenge":"abc\"123"}"#);
    let back: serde_json::Value = serde_json::from_str(&response.body()).unwrap();
    assert_eq!(back["challenge"], "abc\"123");

    // Challenge nested in data, and no challenge at all (permissive mode).
    let body = br#"{"event_type":"webhook.subscription.verify","data":{"challenge":"xyz"}}"#;
    let map = {
        let mut m = HeaderMap::new();
        for (k, v) in heilo::sign(SECRET, NOW, body) {
            m.insert(k, v);
        }
        m
    };
    let verified = verifier(NOW).verify(&map, body).unwrap();
    assert_eq!(
        HandshakeResponse::from_verified(&verified)
            .unwrap()
            .unwrap()
            .body(),
        r#"{"challenge":"xyz"}"#
    );
    let body = br#"{"event_type":"webhook.subscription.verify"}"#;
    let mut m = HeaderMap::new();
    for (k, v) in heilo::sign(SECRET, NOW, body) {
        m.insert(k, v);
    }
    let verified = verifier(NOW).verify(&m, body).unwrap();
    assert_eq!(
        HandshakeResponse::from_verified(&verified)
            .unwrap()
            .unwrap()
            .body(),
        "{}"
    );

    // Any other event is not a handshake.
    let verified = verifier(NOW).verify(&signed_at(NOW), BODY).unwrap();
    assert!(HandshakeResponse::from_verified(&verified)
        .unwrap()
        .is_none());
}

#[test]
fn header_sent_twice_is_malformed() {
    let mut h = signed_at(NOW);
    let v = h["heilo-signature"].clone();
    h.append("heilo-signature", v);
    assert!(matches!(
        verifier(NOW).verify(&h, BODY),
        Err(Error::MalformedHeader { .. })
    ));
}
