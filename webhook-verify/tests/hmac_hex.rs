//! Hedy, generic and custom "HMAC-SHA256 hex over the body" schemes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use http::{HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};
use webhook_verify::hmac_hex::{self, Config};
use webhook_verify::{generic, hedy, Error, Scheme, Verify};

const HEDY_FLAT: &[u8] =
    br#"{"event":"session.ended","sessionId":"s-1","title":"Weekly","duration":1800}"#;
const HEDY_WRAPPED: &[u8] = br#"{"event":"highlight.created","data":{"id":"h-1","sessionId":"s-1"},"timestamp":"2026-01-01T00:00:00Z"}"#;

fn map(pairs: Vec<(HeaderName, HeaderValue)>) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.append(k, v);
    }
    h
}

#[test]
fn hedy_bare_hex_and_optional_prefix() {
    let verifier = hedy::Verifier::new("hedy-secret");
    let h = map(hedy::sign("hedy-secret", HEDY_FLAT));
    let sig = h["x-hedy-signature"].to_str().unwrap().to_owned();
    assert_eq!(sig.len(), 64, "no prefix, as Hedy sends it");
    assert_eq!(sig, hmac_hex::signature_hex("hedy-secret", HEDY_FLAT));
    let v = verifier.verify(&h, HEDY_FLAT).unwrap();
    assert_eq!(v.scheme(), Scheme::Hedy);
    // No X-Hedy-Event: event from the body (flat form).
    assert_eq!(v.event_type(), Some("session.ended"));
    assert_eq!(v.idempotency_key(), hex::encode(Sha256::digest(HEDY_FLAT)));

    // Tolerated prefix, upper-case hex, event header.
    let mut h2 = HeaderMap::new();
    h2.insert(
        "X-Hedy-Signature",
        HeaderValue::from_str(&format!("sha256={}", sig.to_uppercase())).unwrap(),
    );
    h2.insert("X-Hedy-Event", HeaderValue::from_static("session.exported"));
    let v = verifier.verify(&h2, HEDY_FLAT).unwrap();
    assert_eq!(v.event_type(), Some("session.exported"));

    // Wrapped body form.
    let h3 = map(hedy::sign_event("hedy-secret", "highlight.created", HEDY_WRAPPED).unwrap());
    let v = verifier.verify(&h3, HEDY_WRAPPED).unwrap();
    assert_eq!(v.event_type(), Some("highlight.created"));
    #[derive(serde::Deserialize)]
    struct Wrapped {
        data: serde_json::Value,
    }
    assert_eq!(v.json::<Wrapped>().unwrap().data["id"], "h-1");
    assert!(matches!(v.json::<Vec<u8>>(), Err(Error::InvalidJson(_))));
}

#[test]
fn hedy_failures() {
    let verifier = hedy::Verifier::new("hedy-secret");
    let h = map(hedy::sign("hedy-secret", HEDY_FLAT));
    let mut body = HEDY_FLAT.to_vec();
    body[5] ^= 4;
    assert!(matches!(
        verifier.verify(&h, &body),
        Err(Error::NoMatchingSignature)
    ));
    assert!(matches!(
        hedy::Verifier::new("other").verify(&h, HEDY_FLAT),
        Err(Error::NoMatchingSignature)
    ));
    for bad in [
        "",
        "sha256=",
        "abc",
        "sha512=00",
        &"g".repeat(64),
        &"a".repeat(66),
    ] {
        let mut h = HeaderMap::new();
        h.insert("x-hedy-signature", HeaderValue::from_str(bad).unwrap());
        assert!(
            matches!(
                verifier.verify(&h, HEDY_FLAT),
                Err(Error::MalformedHeader { .. })
            ),
            "{bad:?}"
        );
    }
    assert!(matches!(
        verifier.verify(&HeaderMap::new(), HEDY_FLAT),
        Err(Error::MissingHeader { .. })
    ));
    assert!(matches!(
        hedy::Verifier::new(Vec::<String>::new()).verify(&h, HEDY_FLAT),
        Err(Error::NoSecrets)
    ));
}

#[test]
fn generic_requires_prefix_and_rejects_stringify_bug() {
    // The vendor sample signs JSON.stringify(payload): compact, in the parsed key order.
    let raw = br#"{
  "event": "recording.processing.completed",
  "timestamp": "2024-01-15T10:30:00Z",
  "data": {"recording": {"id": 123, "title": "Team Meeting"}}
}"#;
    let verifier = generic::Verifier::new("generic-secret");
    let h = map(generic::sign("generic-secret", raw));
    assert!(h["x-webhook-signature"]
        .to_str()
        .unwrap()
        .starts_with("sha256="));
    let v = verifier.verify(&h, raw).unwrap();
    assert_eq!(v.scheme(), Scheme::Generic);
    assert_eq!(v.event_type(), Some("recording.processing.completed"));
    assert_eq!(v.idempotency_key(), hex::encode(Sha256::digest(raw)));

    let reserialized =
        serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(raw).unwrap()).unwrap();
    assert!(matches!(
        verifier.verify(&h, &reserialized),
        Err(Error::NoMatchingSignature)
    ));
    // Bare hex without the required prefix is malformed.
    let bare = h["x-webhook-signature"].to_str().unwrap()[7..].to_owned();
    let mut h2 = HeaderMap::new();
    h2.insert("x-webhook-signature", HeaderValue::from_str(&bare).unwrap());
    assert!(matches!(
        verifier.verify(&h2, raw),
        Err(Error::MalformedHeader { .. })
    ));
}

#[test]
fn several_signatures_any_may_match() {
    let body = b"payload";
    let good = hmac_hex::signature_hex("k2", body);
    let other = hmac_hex::signature_hex("zz", body);
    let mut h = HeaderMap::new();
    h.insert(
        "x-webhook-signature",
        HeaderValue::from_str(&format!("sha256={other}, sha256={good}")).unwrap(),
    );
    let v = generic::Verifier::new(["k1", "k2"])
        .verify(&h, body)
        .unwrap();
    assert_eq!(v.secret_index(), 1);
    // Two header lines work too.
    let mut h = HeaderMap::new();
    h.append(
        "x-webhook-signature",
        HeaderValue::from_str(&format!("sha256={other}")).unwrap(),
    );
    h.append(
        "x-webhook-signature",
        HeaderValue::from_str(&format!("sha256={good}")).unwrap(),
    );
    generic::Verifier::new("k2").verify(&h, body).unwrap();
}

#[test]
fn custom_config_and_verify_trait() {
    let config = Config::new(HeaderName::from_static("x-acme-sig"))
        .prefix("v1=", true)
        .event_header(HeaderName::from_static("x-acme-event"))
        .idempotency_header(HeaderName::from_static("x-acme-id"));
    let body = b"\x00\xff non-utf8 \xc3";
    let mut h = HeaderMap::new();
    let (name, value) = hmac_hex::sign(&config, "k", body);
    assert_eq!(name, "x-acme-sig");
    assert!(value.to_str().unwrap().starts_with("v1="));
    h.insert(name, value);
    h.insert("x-acme-id", HeaderValue::from_static("id-9"));
    let verifier: Box<dyn Verify> = Box::new(hmac_hex::Verifier::new(config, "k"));
    let v = verifier.verify(&h, body).unwrap();
    assert_eq!(v.scheme(), Scheme::HmacHex);
    assert_eq!(v.idempotency_key(), "id-9");
    assert_eq!(v.event_type(), None);
    let v = verifier
        .verify_bytes(&h, bytes::Bytes::from_static(body))
        .unwrap();
    assert_eq!(v.body().as_ref(), body);
    assert!(format!("{v:?}").contains("id-9"));
}

#[test]
fn parse_signature_header_helper() {
    let parsed =
        hmac_hex::parse_signature_header(&Config::speakr(), &format!("sha256={}", "ab".repeat(32)))
            .unwrap();
    assert_eq!(parsed, vec![[0xab; 32]]);
    assert!(hmac_hex::parse_signature_header(&Config::speakr(), "sha256=zz").is_err());
    assert!(hmac_hex::parse_signature_header(&Config::speakr(), "\n").is_err());
}

#[test]
fn error_statuses() {
    assert_eq!(Error::NoMatchingSignature.status(), 401);
    assert_eq!(Error::DigestMismatch.status(), 401);
    assert_eq!(
        Error::TimestampOutsideTolerance { skew_seconds: 1 }.status(),
        401
    );
    assert_eq!(Error::BodyTooLarge { limit: 1 }.status(), 413);
    assert!(Error::UnsupportedDigest.is_malformed());
    assert!(!Error::NoMatchingSignature.is_malformed());
}
