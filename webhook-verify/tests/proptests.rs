//! Property tests: sign→verify round trips for arbitrary bodies (including non-UTF-8) and
//! secrets, single-byte tampering, and arbitrary header text never panicking.
//! 2,000 cases per scheme in the default run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::{HeaderMap, HeaderName, HeaderValue};
use proptest::prelude::*;
use proptest::sample::Index;
use webhook_verify::healthie::{self, Dialect, Mode};
use webhook_verify::hmac_hex::{self, Config};
use webhook_verify::{generic, hedy, heilo, speakr, Error, ManualClock, Secrets};

const CASES: u32 = 2000;

fn map(pairs: Vec<(HeaderName, HeaderValue)>) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(k, v);
    }
    h
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..300)
}

fn secret() -> impl Strategy<Value = Vec<u8>> {
    // Includes empty keys and keys longer than the 64-byte HMAC block.
    prop::collection::vec(any::<u8>(), 0..100)
}

/// Flip `mask` into byte `at` of `v` (no-op on an empty vector).
fn flip(v: &mut [u8], at: Index, mask: u8) -> bool {
    if v.is_empty() {
        return false;
    }
    let i = at.index(v.len());
    v[i] ^= mask;
    true
}

/// Re-encode the hex signature in `value` (after `prefix`) with one byte changed.
fn tamper_hex(value: &str, prefix: &str, at: Index, mask: u8) -> String {
    let hex_part = &value[prefix.len()..];
    let mut bytes = hex::decode(hex_part).unwrap();
    flip(&mut bytes, at, mask);
    format!("{prefix}{}", hex::encode(bytes))
}

type VerifyFn<'a> = &'a dyn Fn(&[u8], &HeaderMap, &[u8]) -> Result<webhook_verify::Verified, Error>;
type SignFn<'a> = &'a dyn Fn(&[u8], &[u8]) -> Vec<(HeaderName, HeaderValue)>;

/// One HMAC-hex scheme under test: its header, prefix, verifier and signer.
struct HexScheme<'a> {
    name: &'a str,
    prefix: &'a str,
    verify: VerifyFn<'a>,
    sign: SignFn<'a>,
}

fn check_hmac_hex(
    scheme: HexScheme<'_>,
    secret: &[u8],
    body: &[u8],
    at: Index,
    mask: u8,
) -> Result<(), TestCaseError> {
    let HexScheme {
        name,
        prefix,
        verify,
        sign,
    } = scheme;
    let headers = map(sign(secret, body));
    let v = verify(secret, &headers, body).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(v.body().as_ref(), body);

    let mut tampered = body.to_vec();
    if flip(&mut tampered, at, mask) {
        prop_assert!(matches!(
            verify(secret, &headers, &tampered),
            Err(Error::NoMatchingSignature)
        ));
    }
    let sig = headers[name].to_str().unwrap();
    let mut h2 = headers.clone();
    h2.insert(
        HeaderName::from_bytes(name.as_bytes()).unwrap(),
        HeaderValue::from_str(&tamper_hex(sig, prefix, at, mask)).unwrap(),
    );
    prop_assert!(matches!(
        verify(secret, &h2, body),
        Err(Error::NoMatchingSignature)
    ));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn hedy_round_trip_and_tamper(secret in secret(), body in body(), at in any::<Index>(), mask in 1u8..) {
        check_hmac_hex(
            HexScheme { name: "x-hedy-signature", prefix: "", verify: &|s, h, b| hedy::Verifier::new(Secrets::single(s)).verify(h, b).map(|v| v.into_owned()), sign: &|s, b| hedy::sign(s, b) },
            &secret, &body, at, mask,
        )?;
    }

    #[test]
    fn speakr_round_trip_and_tamper(secret in secret(), body in body(), at in any::<Index>(), mask in 1u8..) {
        check_hmac_hex(
            HexScheme { name: "speakr-signature", prefix: "sha256=", verify: &|s, h, b| speakr::Verifier::new(Secrets::single(s)).verify(h, b).map(|v| v.into_owned()), sign: &|s, b| speakr::sign(s, b) },
            &secret, &body, at, mask,
        )?;
    }

    #[test]
    fn generic_round_trip_and_tamper(secret in secret(), body in body(), at in any::<Index>(), mask in 1u8..) {
        check_hmac_hex(
            HexScheme { name: "x-webhook-signature", prefix: "sha256=", verify: &|s, h, b| generic::Verifier::new(Secrets::single(s)).verify(h, b).map(|v| v.into_owned()), sign: &|s, b| generic::sign(s, b) },
            &secret, &body, at, mask,
        )?;
    }

    #[test]
    fn heilo_round_trip_and_tamper(
        secret in secret(), body in body(), at in any::<Index>(), mask in 1u8..,
        t in 0u64..4_000_000_000, skew in -300i64..=60,
    ) {
        let now = (t as i64 - skew).max(0) as u64;
        let verifier = heilo::Verifier::new(Secrets::single(&secret)).with_clock(ManualClock::new(now));
        let headers = map(heilo::sign(&secret, t, &body));
        let v = verifier.verify(&headers, &body);
        // Inside the window unless `now` was clamped at 0.
        if t as i64 - skew >= 0 {
            prop_assert!(v.is_ok(), "{:?}", v);
        }
        let now_ok = ManualClock::new(t);
        let verifier = heilo::Verifier::new(Secrets::single(&secret)).with_clock(now_ok);
        verifier.verify(&headers, &body).map_err(|e| TestCaseError::fail(e.to_string()))?;

        let mut tampered = body.clone();
        if flip(&mut tampered, at, mask) {
            prop_assert!(matches!(verifier.verify(&headers, &tampered), Err(Error::NoMatchingSignature)));
        }
        let value = headers["heilo-signature"].to_str().unwrap();
        let (tpart, sig) = value.split_once(",v1=").unwrap();
        let bad = format!("{tpart},{}", tamper_hex(&format!("v1={sig}"), "v1=", at, mask));
        let mut h2 = headers.clone();
        h2.insert("heilo-signature", HeaderValue::from_str(&bad).unwrap());
        prop_assert!(matches!(verifier.verify(&h2, &body), Err(Error::NoMatchingSignature)));
        // Another timestamp (same signature) fails.
        let moved = format!("t={},v1={sig}", t + 1);
        h2.insert("heilo-signature", HeaderValue::from_str(&moved).unwrap());
        prop_assert!(matches!(verifier.verify(&h2, &body), Err(Error::NoMatchingSignature)));
    }

    #[test]
    fn healthie_round_trip_and_tamper(
        secret in secret(), body in body(), at in any::<Index>(), mask in 1u8..,
        dialect in prop_oneof![Just(Dialect::Legacy), Just(Dialect::Guide), Just(Dialect::Rfc9421)],
        query in "[a-z0-9=&%]{0,12}",
    ) {
        let created = 1_750_000_000;
        let path = if query.is_empty() { "/hooks/h".to_owned() } else { format!("/hooks/h?{query}") };
        let headers = map(healthie::sign(&secret, dialect, "POST", &path, &body, created));
        let verifier = healthie::Verifier::new(Secrets::single(&secret), "POST", &path)
            .with_clock(ManualClock::new(created));
        let v = verifier.verify(&headers, &body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(v.dialect(), Some(dialect));
        let locked = match dialect {
            Dialect::Legacy => Mode::Legacy,
            Dialect::Guide => Mode::Guide,
            Dialect::Rfc9421 => Mode::Rfc9421,
        };
        let locked = verifier.clone().mode(locked);
        locked.verify(&headers, &body).map_err(|e| TestCaseError::fail(e.to_string()))?;

        let mut tampered = body.clone();
        if flip(&mut tampered, at, mask) {
            prop_assert!(matches!(verifier.verify(&headers, &tampered), Err(Error::DigestMismatch)));
        }
        // Change one byte of the signature and re-encode it the same way.
        let value = headers["signature"].to_str().unwrap();
        let inner = value.trim_start_matches("sig1=").trim_matches(':');
        let (mut bytes, hex_form) = match hex::decode(inner) {
            Ok(b) if inner.len() == 64 => (b, true),
            _ => (STANDARD.decode(inner).unwrap(), false),
        };
        flip(&mut bytes, at, mask);
        let enc = if hex_form { hex::encode(&bytes) } else { STANDARD.encode(&bytes) };
        let bad = if value.contains(":") { format!("sig1=:{enc}:") } else { format!("sig1={enc}") };
        let mut h2 = headers.clone();
        h2.insert("signature", HeaderValue::from_str(&bad).unwrap());
        prop_assert!(matches!(verifier.verify(&h2, &body), Err(Error::NoMatchingSignature)));
        prop_assert!(matches!(locked.verify(&h2, &body), Err(Error::NoMatchingSignature)));
    }

    #[test]
    fn rotation_any_secret_matches(secrets in prop::collection::vec(secret(), 1..4), pick in any::<Index>(), body in body()) {
        let i = pick.index(secrets.len());
        let headers = map(speakr::sign(&secrets[i], &body));
        let v = speakr::Verifier::new(Secrets::new(&secrets)).verify(&headers, &body).unwrap();
        // The first equal secret matches.
        let first = secrets.iter().position(|s| s == &secrets[i]).unwrap();
        prop_assert_eq!(v.secret_index(), first);
    }
}

/// Text built from the pieces the parsers care about, to reach deep paths.
fn header_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("t=".to_owned()),
        Just("v1=".to_owned()),
        Just("sig1=".to_owned()),
        Just("sha-256=".to_owned()),
        Just("sha256=".to_owned()),
        Just(",".to_owned()),
        Just(";".to_owned()),
        Just(":".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("\"".to_owned()),
        Just(" ".to_owned()),
        Just("\"@method\"".to_owned()),
        Just("created=".to_owned()),
        Just("alg=\"hmac-sha256\"".to_owned()),
        "[0-9]{1,22}",
        "[0-9a-f]{62,66}",
        "[A-Za-z0-9+/=]{40,46}",
        "\\PC{0,8}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

fn exercise_all(text: &str) {
    let _ = heilo::parse_signature_header(text);
    let _ = healthie::parse_signature(text);
    let _ = healthie::parse_signature_strict(text);
    let _ = healthie::parse_signature_input(text);
    let _ = healthie::parse_content_digest(text);
    let _ = hmac_hex::parse_signature_header(&Config::speakr(), text);
    let _ = hmac_hex::parse_signature_header(&Config::hedy(), text);
    let Ok(value) = HeaderValue::from_str(text) else {
        return;
    };
    let mut h = HeaderMap::new();
    for name in [
        "heilo-signature",
        "speakr-signature",
        "x-hedy-signature",
        "x-webhook-signature",
        "content-digest",
        "signature",
        "signature-input",
        "speakr-timestamp",
        "content-type",
        "content-length",
        "host",
    ] {
        h.insert(HeaderName::from_static(name), value.clone());
    }
    let body = b"{}";
    let _ = heilo::Verifier::new("k").verify(&h, body);
    let _ = hedy::Verifier::new("k").verify(&h, body);
    let _ = generic::Verifier::new("k").verify(&h, body);
    let _ = speakr::Verifier::new("k")
        .with_timestamp_window(
            std::time::Duration::from_secs(1),
            std::time::Duration::from_secs(1),
        )
        .verify(&h, body);
    let v = healthie::Verifier::new("k", "POST", "/p?q").required_components(Vec::<String>::new());
    let _ = v.verify(&h, body);
    let _ = v.signature_bases(&h, body);
    for mode in [
        healthie::Mode::Legacy,
        healthie::Mode::Guide,
        healthie::Mode::Rfc9421,
    ] {
        let _ = v.clone().mode(mode).verify(&h, body);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_header_text_never_panics(text in "\\PC{0,200}") {
        exercise_all(&text);
    }

    #[test]
    fn structured_header_soup_never_panics(text in header_soup()) {
        exercise_all(&text);
    }

    #[test]
    fn arbitrary_header_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(value) = HeaderValue::from_bytes(&bytes) {
            let mut h = HeaderMap::new();
            for name in ["heilo-signature", "speakr-signature", "content-digest", "signature", "signature-input"] {
                h.insert(HeaderName::from_static(name), value.clone());
            }
            let _ = heilo::Verifier::new("k").verify(&h, &bytes);
            let _ = speakr::Verifier::new("k").verify(&h, &bytes);
            let _ = healthie::Verifier::new("k", "POST", "/").verify(&h, &bytes);
        }
    }
}
