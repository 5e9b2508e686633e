//! Healthie: RFC 9421 B.2.5, RFC 9530 digests, the synthetic vectors of
//! specs/rfc9421-vectors.md §5 (self-generated, not captured from Healthie), round trips of
//! our own signer in each dialect, and the negative cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::IpAddr;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};
use webhook_verify::healthie::{
    self, parse_content_digest, parse_signature_input, Dialect, IpAllowList, Mode,
};
use webhook_verify::{Error, ManualClock, Scheme, Secrets};

// ---- RFC 9421 Appendix B.2.5 -------------------------------------------------------

const B15_KEY: &str =
    "uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==";
const B2_BODY: &[u8] = br#"{"hello": "world"}"#;
const B25_BASE: &str = "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@authority\": example.com\n\"content-type\": application/json\n\"@signature-params\": (\"date\" \"@authority\" \"content-type\");created=1618884473;keyid=\"test-shared-secret\"";

fn b2_headers(content_digest: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("host", HeaderValue::from_static("example.com"));
    h.insert(
        "date",
        HeaderValue::from_static("Tue, 20 Apr 2021 02:07:55 GMT"),
    );
    h.insert("content-type", HeaderValue::from_static("application/json"));
    h.insert(
        "content-digest",
        HeaderValue::from_str(content_digest).unwrap(),
    );
    h.insert("content-length", HeaderValue::from_static("18"));
    h.insert(
        "signature-input",
        HeaderValue::from_static(
            r#"sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret""#,
        ),
    );
    h.insert(
        "signature",
        HeaderValue::from_static("sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:"),
    );
    h
}

const B2_SHA512: &str = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";
const B2_SHA256: &str = "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:";

fn b25_verifier(mode: Mode) -> healthie::Verifier {
    let key = STANDARD.decode(B15_KEY).unwrap();
    assert_eq!(key.len(), 64);
    healthie::Verifier::new(Secrets::new([key]), "POST", "/foo?param=Value&Pet=dog")
        .mode(mode)
        .required_components(Vec::<String>::new())
        .with_clock(ManualClock::new(1_618_884_473))
}

#[test]
fn rfc9421_b25_signature_base_and_signature() {
    // The B.2 request carries only a sha-512 digest, which this verifier cannot check
    // (it fails closed); the example's signature does not cover content-digest, so we
    // add the RFC 9530 sha-256 member of the same body alongside it.
    let headers = b2_headers(&format!("{B2_SHA512}, {B2_SHA256}"));
    let v = b25_verifier(Mode::Rfc9421);
    let bases = v.signature_bases(&headers, B2_BODY);
    assert_eq!(bases.len(), 1);
    assert_eq!(bases[0].dialect, Dialect::Rfc9421);
    assert_eq!(bases[0].label.as_deref(), Some("sig-b25"));
    assert_eq!(bases[0].base, B25_BASE);
    assert_eq!(bases[0].base.len(), 200);
    assert_eq!(
        hex::encode(Sha256::digest(bases[0].base.as_bytes())),
        "82faed1b67e492cfc8fe50fee1b6fdbdcf9f4d6384af8282339dcad5e44310e7"
    );

    let verified = v.verify(&headers, B2_BODY).unwrap();
    assert_eq!(verified.scheme(), Scheme::Healthie(Dialect::Rfc9421));
    assert_eq!(verified.dialect(), Some(Dialect::Rfc9421));
    // Auto mode picks RFC 9421 from the shape of the signature.
    let verified = b25_verifier(Mode::Auto).verify(&headers, B2_BODY).unwrap();
    assert_eq!(verified.dialect(), Some(Dialect::Rfc9421));
    // The key is the decoded bytes: the base64 text as a key does not verify.
    let wrong = healthie::Verifier::new(B15_KEY, "POST", "/foo?param=Value&Pet=dog")
        .required_components(Vec::<String>::new())
        .with_clock(ManualClock::new(1_618_884_473));
    assert!(matches!(
        wrong.verify(&headers, B2_BODY),
        Err(Error::NoMatchingSignature)
    ));
}

#[test]
fn rfc9421_b25_policy_errors() {
    let headers = b2_headers(B2_SHA256);
    // Default policy requires @method, @path and content-digest: B.2.5 covers none.
    let key = STANDARD.decode(B15_KEY).unwrap();
    let strict = healthie::Verifier::new(Secrets::new([key]), "POST", "/foo?param=Value&Pet=dog")
        .mode(Mode::Rfc9421)
        .with_clock(ManualClock::new(1_618_884_473));
    match strict.verify(&headers, B2_BODY) {
        Err(Error::MissingComponent { component }) => assert_eq!(component, "@method"),
        other => panic!("{other:?}"),
    }
    // created is checked against the clock (default 300 s past, 60 s future).
    let late = b25_verifier(Mode::Rfc9421).with_clock(ManualClock::new(1_618_884_473 + 301));
    assert!(matches!(
        late.verify(&headers, B2_BODY),
        Err(Error::TimestampOutsideTolerance { skew_seconds: -301 })
    ));
    let relaxed = b25_verifier(Mode::Rfc9421)
        .created_tolerance(Duration::from_secs(400), Duration::from_secs(0))
        .with_clock(ManualClock::new(1_618_884_473 + 400));
    relaxed.verify(&headers, B2_BODY).unwrap();
    // Only a sha-512 digest: fail closed.
    assert!(matches!(
        b25_verifier(Mode::Rfc9421).verify(&b2_headers(B2_SHA512), B2_BODY),
        Err(Error::UnsupportedDigest)
    ));
    // Another authority changes the base.
    let mut other_host = headers.clone();
    other_host.insert("host", HeaderValue::from_static("example.org"));
    assert!(matches!(
        b25_verifier(Mode::Rfc9421).verify(&other_host, B2_BODY),
        Err(Error::NoMatchingSignature)
    ));
    b25_verifier(Mode::Rfc9421)
        .authority("EXAMPLE.com")
        .verify(&other_host, B2_BODY)
        .unwrap();
}

#[test]
fn rfc9421_alg_must_be_hmac_sha256() {
    let mut headers = b2_headers(B2_SHA256);
    headers.insert(
        "signature-input",
        HeaderValue::from_static(
            r#"sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret";alg="rsa-pss-sha512""#,
        ),
    );
    match b25_verifier(Mode::Auto).verify(&headers, B2_BODY) {
        Err(Error::UnsupportedAlgorithm { alg }) => assert_eq!(alg, "rsa-pss-sha512"),
        other => panic!("{other:?}"),
    }
}

// ---- RFC 9530 digests ---------------------------------------------------------------

#[test]
fn rfc9530_digest_examples() {
    let hello = B2_BODY.to_vec();
    let mut hello_lf = hello.clone();
    hello_lf.push(b'\n');
    for (body, value) in [
        (hello.as_slice(), B2_SHA256),
        (
            hello_lf.as_slice(),
            "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:",
        ),
        (
            &b""[..],
            "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:",
        ),
    ] {
        let expected: [u8; 32] = Sha256::digest(body).into();
        assert_eq!(parse_content_digest(value).unwrap(), expected);
        // Case-insensitive algorithm, bare base64 and hex forms of the same digest.
        let b64 = STANDARD.encode(expected);
        assert_eq!(
            parse_content_digest(&format!("SHA-256={b64}")).unwrap(),
            expected
        );
        assert_eq!(
            parse_content_digest(&format!("sha-256={}", hex::encode(expected))).unwrap(),
            expected
        );
        assert_eq!(
            parse_content_digest(&format!("sha-256=:{}:", hex::encode_upper(expected))).unwrap(),
            expected
        );
    }
    // Multi-member: pick sha-256, ignore sha-512 (parse only: d435… digests an encoding).
    let multi = "sha-256=:d435Qo+nKZ+gLcUHn7GQtQ72hiBVAgqoLsZnZPiTGPk=:, sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:";
    let d = parse_content_digest(multi).unwrap();
    assert_eq!(
        STANDARD.encode(d),
        "d435Qo+nKZ+gLcUHn7GQtQ72hiBVAgqoLsZnZPiTGPk="
    );
    assert!(matches!(
        parse_content_digest(B2_SHA512),
        Err(Error::UnsupportedDigest)
    ));
    // The typo'd doubled padding in the draft source is rejected.
    for bad in [
        "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg==:",
        "sha-256=",
        "sha-256=::",
        "sha-256=:abc",
        "sha-256=P1IFhBSDuTy1S2D2",
        "",
        "sha-256",
    ] {
        assert!(
            matches!(
                parse_content_digest(bad),
                Err(Error::MalformedHeader { .. })
            ),
            "{bad}"
        );
    }
}

// ---- synthetic Healthie vectors (§5) --------------------------------------------------

const SECRET: &str = "whsec_test-secret";
const BODY: &[u8] = br#"{"resource_id":"67890","resource_id_type":"Appointment","event_type":"appointment.created","changed_fields":[]}"#;
const DIGEST_B64: &str = "P1IFhBSDuTy1S2D2+NHWIrsMT4whpZLis9FWgdtihls=";

fn legacy_headers(digest: &str, signature: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("content-type", HeaderValue::from_static("application/json"));
    h.insert("content-length", HeaderValue::from_static("111"));
    h.insert("content-digest", HeaderValue::from_str(digest).unwrap());
    h.insert(
        "signature-input",
        HeaderValue::from_static(
            r#"sig1=("@method" "@path" "@query" "content-digest" "content-type" "content-length");created=1700000000;keyid="healthie""#,
        ),
    );
    h.insert("signature", HeaderValue::from_str(signature).unwrap());
    h
}

fn healthie(path: &str) -> healthie::Verifier {
    healthie::Verifier::new(SECRET, "POST", path)
}

fn hmac_hex(data: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[test]
fn legacy_vectors_l1_l2_l3() {
    assert_eq!(BODY.len(), 111);
    assert_eq!(STANDARD.encode(Sha256::digest(BODY)), DIGEST_B64);
    let l1 = legacy_headers(
        &format!("sha-256={DIGEST_B64}"),
        "sig1=cd82b4fa784ffaee3087d6182b21646ed81a746f6b5ea81a783d6dabd66bc5ac",
    );
    let l2 = legacy_headers(
        &format!("sha-256=:{DIGEST_B64}:"),
        "sig1=6eeab3e22cf246b2969ca7f6410aa8e26ab11ef2e6a5aca3d7d9bc8cfc47c622",
    );
    let l3 = legacy_headers(
        &format!("sha-256={DIGEST_B64}"),
        "sig1=d8dc17ee039a951b7dc641033e684334b8408a17f4eb21a6b271c44cbf241cd6",
    );
    for mode in [Mode::Auto, Mode::Legacy] {
        for (headers, path) in [
            (&l1, "/webhooks/healthie"),
            (&l2, "/webhooks/healthie"),
            (&l3, "/webhooks/healthie?a=1&b=2"),
        ] {
            let v = healthie(path).mode(mode).verify(headers, BODY).unwrap();
            assert_eq!(v.dialect(), Some(Dialect::Legacy));
            assert_eq!(
                v.variant(),
                Some("space-separated, digest token verbatim, content type literal")
            );
            assert_eq!(v.event_type(), Some("appointment.created"));
            assert_eq!(v.idempotency_key(), hex::encode(Sha256::digest(BODY)));
        }
    }
    // The exact data strings of the vectors are the first legacy candidates.
    let bases = healthie("/webhooks/healthie").signature_bases(&l1, BODY);
    assert_eq!(
        bases[0].base,
        format!("post /webhooks/healthie  {DIGEST_B64} application/json 111")
    );
    let bases = healthie("/webhooks/healthie").signature_bases(&l2, BODY);
    assert_eq!(
        bases[0].base,
        format!("post /webhooks/healthie  :{DIGEST_B64}: application/json 111")
    );
    let bases = healthie("/webhooks/healthie?a=1&b=2").signature_bases(&l3, BODY);
    assert_eq!(
        bases[0].base,
        format!("post /webhooks/healthie a=1&b=2 {DIGEST_B64} application/json 111")
    );
    for b in &bases {
        assert!(!b.base.contains(SECRET));
    }
    // Auto lists every dialect's candidates.
    assert!(bases.iter().any(|b| b.dialect == Dialect::Guide));
    assert!(bases.iter().any(|b| b.dialect == Dialect::Rfc9421));
}

#[test]
fn legacy_negative_cases() {
    let l1 = legacy_headers(
        &format!("sha-256={DIGEST_B64}"),
        "sig1=cd82b4fa784ffaee3087d6182b21646ed81a746f6b5ea81a783d6dabd66bc5ac",
    );
    // One body byte changed: the digest check fails even though the HMAC over the
    // digest string would still match.
    let mut body = BODY.to_vec();
    body[20] ^= 1;
    assert!(matches!(
        healthie("/webhooks/healthie").verify(&l1, &body),
        Err(Error::DigestMismatch)
    ));
    // Proxy-rewritten path.
    assert!(matches!(
        healthie("/api/webhooks/healthie").verify(&l1, BODY),
        Err(Error::NoMatchingSignature)
    ));
    // A signature over the digest token truncated at its first '=' (the old bug) is not
    // what we compute.
    let truncated = DIGEST_B64.trim_end_matches('=');
    let buggy = hmac_hex(&format!(
        "post /webhooks/healthie  {truncated} application/json 111"
    ));
    let h = legacy_headers(&format!("sha-256={DIGEST_B64}"), &format!("sig1={buggy}"));
    assert!(matches!(
        healthie("/webhooks/healthie").verify(&h, BODY),
        Err(Error::NoMatchingSignature)
    ));
    // Wrong secret, missing headers.
    assert!(matches!(
        healthie::Verifier::new("whsec_other", "POST", "/webhooks/healthie").verify(&l1, BODY),
        Err(Error::NoMatchingSignature)
    ));
    for missing in ["content-digest", "signature"] {
        let mut h = l1.clone();
        h.remove(missing);
        match healthie("/webhooks/healthie").verify(&h, BODY) {
            Err(Error::MissingHeader { name }) => assert_eq!(name, missing),
            other => panic!("{other:?}"),
        }
    }
    // Locked modes insist on their own signature encoding.
    for mode in [Mode::Guide, Mode::Rfc9421] {
        assert!(matches!(
            healthie("/webhooks/healthie").mode(mode).verify(&l1, BODY),
            Err(Error::MalformedHeader { .. })
        ));
    }
}

#[test]
fn legacy_tolerated_variants() {
    let digest = format!("sha-256=:{DIGEST_B64}:");
    // Sender signed the digest without colons although the header has them.
    let sig = hmac_hex(&format!(
        "post /webhooks/healthie  {DIGEST_B64} application/json 111"
    ));
    let v = healthie("/webhooks/healthie")
        .verify(&legacy_headers(&digest, &format!("sig1={sig}")), BODY)
        .unwrap();
    assert_eq!(
        v.variant(),
        Some("space-separated, digest token with ':' toggled, content type literal")
    );
    // LF and literal "\n" separators.
    for (sep, name) in [("\n", "LF"), ("\\n", "literal \\n")] {
        let data = [
            "post",
            "/webhooks/healthie",
            "",
            &digest[8..],
            "application/json",
            "111",
        ]
        .join(sep);
        let sig = hmac_hex(&data);
        let v = healthie("/webhooks/healthie")
            .verify(&legacy_headers(&digest, &format!("sig1={sig}")), BODY)
            .unwrap();
        assert_eq!(
            v.variant(),
            Some(format!("{name}-separated, digest token verbatim, content type literal").as_str())
        );
    }
    // Content type taken from the header.
    let mut h = legacy_headers(&digest, "sig1=00");
    h.insert(
        "content-type",
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    let sig = hmac_hex(&format!(
        "post /webhooks/healthie  :{DIGEST_B64}: application/json; charset=utf-8 111"
    ));
    h.insert(
        "signature",
        HeaderValue::from_str(&format!("sig1={sig}")).unwrap(),
    );
    let v = healthie("/webhooks/healthie").verify(&h, BODY).unwrap();
    assert_eq!(
        v.variant(),
        Some("space-separated, digest token verbatim, content type from the header")
    );
}

#[test]
fn rfc9421_shaped_vector_5_2() {
    let mut h = HeaderMap::new();
    h.insert("content-type", HeaderValue::from_static("application/json"));
    h.insert("content-length", HeaderValue::from_static("111"));
    h.insert(
        "content-digest",
        HeaderValue::from_str(&format!("sha-256=:{DIGEST_B64}:")).unwrap(),
    );
    h.insert(
        "signature-input",
        HeaderValue::from_static(
            r#"sig1=("@method" "@path" "@query" "content-digest" "content-type" "content-length");created=1700000000;keyid="healthie";alg="hmac-sha256""#,
        ),
    );
    h.insert(
        "signature",
        HeaderValue::from_static("sig1=:pXbbL/UBE6NxFA8KqcipWmyidw0DFy4RbHCqV0Tj9a8=:"),
    );
    let v = healthie("/webhooks/healthie")
        .with_clock(ManualClock::new(1_700_000_000))
        .verify(&h, BODY)
        .unwrap();
    assert_eq!(v.dialect(), Some(Dialect::Rfc9421));
    let bases = healthie("/webhooks/healthie")
        .mode(Mode::Rfc9421)
        .signature_bases(&h, BODY);
    assert_eq!(
        bases[0].base,
        format!(
            "\"@method\": POST\n\"@path\": /webhooks/healthie\n\"@query\": ?\n\"content-digest\": sha-256=:{DIGEST_B64}:\n\"content-type\": application/json\n\"content-length\": 111\n\"@signature-params\": (\"@method\" \"@path\" \"@query\" \"content-digest\" \"content-type\" \"content-length\");created=1700000000;keyid=\"healthie\";alg=\"hmac-sha256\""
        )
    );
    assert_eq!(
        hmac_hex(&bases[0].base),
        "a576db2ff50113a371140f0aa9c8a95a6ca2770d03172e116c70aa5744e3f5af"
    );
    // With the real clock, created is years old.
    assert!(matches!(
        healthie("/webhooks/healthie").verify(&h, BODY),
        Err(Error::TimestampOutsideTolerance { .. })
    ));
    // Our signer produces exactly the vector.
    let signed = healthie::sign(
        SECRET,
        Dialect::Rfc9421,
        "POST",
        "/webhooks/healthie",
        BODY,
        1_700_000_000,
    );
    let sig = signed.iter().find(|(n, _)| n == "signature").unwrap();
    assert_eq!(sig.1, "sig1=:pXbbL/UBE6NxFA8KqcipWmyidw0DFy4RbHCqV0Tj9a8=:");
}

fn to_map(pairs: Vec<(http::HeaderName, HeaderValue)>) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(k, v);
    }
    h
}

#[test]
fn round_trips_in_every_dialect() {
    let now = 1_750_000_000;
    for path in [
        "/hooks/healthie",
        "/hooks/healthie?tenant=7",
        "/hooks/healthie?a=1&b=%20x",
    ] {
        for dialect in [Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421] {
            let h = to_map(healthie::sign(SECRET, dialect, "POST", path, BODY, now));
            let mode = match dialect {
                Dialect::Legacy => Mode::Legacy,
                Dialect::Guide => Mode::Guide,
                Dialect::Rfc9421 => Mode::Rfc9421,
            };
            for m in [Mode::Auto, mode] {
                let v = healthie(path)
                    .mode(m)
                    .with_clock(ManualClock::new(now))
                    .verify(&h, BODY)
                    .unwrap();
                assert_eq!(v.dialect(), Some(dialect), "{path} {dialect}");
                assert_eq!(v.event_type(), Some("appointment.created"));
            }
            // Another registered path or method fails.
            assert!(matches!(
                healthie("/other")
                    .with_clock(ManualClock::new(now))
                    .verify(&h, BODY),
                Err(Error::NoMatchingSignature)
            ));
            assert!(healthie::Verifier::new(SECRET, "PUT", path)
                .with_clock(ManualClock::new(now))
                .verify(&h, BODY)
                .is_err());
        }
    }
}

#[test]
fn guide_literal_backslash_n_and_doubled_query() {
    let path = "/hooks/healthie?tenant=7";
    let digest = format!("sha-256=:{DIGEST_B64}:");
    for (sep, q, variant) in [
        ("\\n", "?tenant=7", "literal \\n-joined lines"),
        (
            "\n",
            "??tenant=7",
            "LF-joined lines, doubled '?' before the query",
        ),
    ] {
        let base = [
            "\"@method\": POST".to_owned(),
            "\"@path\": /hooks/healthie".to_owned(),
            format!("\"@query\": {q}"),
            format!("\"content-digest\": {digest}"),
            "\"content-type\": application/json".to_owned(),
            "\"content-length\": 111".to_owned(),
        ]
        .join(sep);
        let h = legacy_headers(&digest, &format!("sig1=:{}:", hmac_hex(&base)));
        let v = healthie(path).verify(&h, BODY).unwrap();
        assert_eq!(v.dialect(), Some(Dialect::Guide));
        assert_eq!(v.variant(), Some(variant));
    }
}

#[test]
fn reserialized_json_body_fails() {
    let h = to_map(healthie::sign(
        SECRET,
        Dialect::Legacy,
        "POST",
        "/h",
        BODY,
        0,
    ));
    let parsed: serde_json::Value = serde_json::from_slice(BODY).unwrap();
    for other in [
        serde_json::to_vec_pretty(&parsed).unwrap(),
        br#"{"resource_id_type":"Appointment","resource_id":"67890","event_type":"appointment.created","changed_fields":[]}"#.to_vec(),
    ] {
        assert!(matches!(
            healthie("/h").verify(&h, &other),
            Err(Error::DigestMismatch)
        ));
        // Even with the digest recomputed for the new body, the signature fails.
        let mut h2 = h.clone();
        h2.insert(
            "content-digest",
            HeaderValue::from_str(&format!("sha-256={}", STANDARD.encode(Sha256::digest(&other))))
                .unwrap(),
        );
        assert!(matches!(
            healthie("/h").verify(&h2, &other),
            Err(Error::NoMatchingSignature)
        ));
    }
}

#[test]
fn signature_input_parser() {
    let inputs = parse_signature_input(
        r#"sig1=("@method" "content-digest");created=1;keyid="a,b\"c";alg="hmac-sha256", sig2=("@path");nonce=:AAAA:;x;y=?0;d=1.5;t=tok/en"#,
    )
    .unwrap();
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0].label, "sig1");
    assert_eq!(inputs[0].components.len(), 2);
    assert_eq!(
        inputs[0].param("keyid"),
        Some(&healthie::ParamValue::String("a,b\"c".to_owned()))
    );
    assert_eq!(
        inputs[0].raw,
        r#"("@method" "content-digest");created=1;keyid="a,b\"c";alg="hmac-sha256""#
    );
    assert_eq!(inputs[0].canonical(), inputs[0].raw);
    assert_eq!(
        inputs[1].raw,
        r#"("@path");nonce=:AAAA:;x;y=?0;d=1.5;t=tok/en"#
    );
    assert_eq!(inputs[1].canonical(), inputs[1].raw);
    for bad in [
        "",
        "sig1=(",
        r#"sig1=("a""b")"#,
        r#"Sig1=("a")"#,
        r#"sig1=("a"),"#,
        r#"sig1=("a");created=x y"#,
        r#"sig1=(a)"#,
        r#"sig1=("a\q")"#,
    ] {
        assert!(
            matches!(
                parse_signature_input(bad),
                Err(Error::MalformedHeader { .. })
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn canonical_escapes_quotes_and_backslashes() {
    // Found by the fuzz target: component names with escapes must be re-escaped.
    let raw = r#"sig1=("a\"b" "c\\d");k="q\"r\\s""#;
    let inputs = parse_signature_input(raw).unwrap();
    assert_eq!(inputs[0].components[0].name, "a\"b");
    assert_eq!(inputs[0].components[1].name, "c\\d");
    assert_eq!(format!("sig1={}", inputs[0].canonical()), raw);
    let back = parse_signature_input(&format!("sig1={}", inputs[0].canonical())).unwrap();
    assert_eq!(back, inputs);
}

#[test]
fn rfc9421_respaced_signature_input_uses_canonical_fallback() {
    let now = 1_750_000_000;
    let mut h = to_map(healthie::sign(
        SECRET,
        Dialect::Rfc9421,
        "POST",
        "/h",
        BODY,
        now,
    ));
    let si = h["signature-input"]
        .to_str()
        .unwrap()
        .replace("(\"", "(  \"");
    h.insert("signature-input", HeaderValue::from_str(&si).unwrap());
    let v = healthie("/h")
        .with_clock(ManualClock::new(now))
        .verify(&h, BODY)
        .unwrap();
    assert_eq!(
        v.variant(),
        Some("canonical @signature-params serialisation")
    );
}

#[test]
fn ip_allow_list() {
    let prod = IpAllowList::production();
    for ip in [
        "52.4.158.130",
        "3.216.152.234",
        "54.243.233.84",
        "50.19.211.21",
    ] {
        assert!(prod.contains(ip.parse::<IpAddr>().unwrap()));
    }
    assert!(prod.contains("::ffff:52.4.158.130".parse::<IpAddr>().unwrap()));
    assert!(!prod.contains("18.206.70.225".parse::<IpAddr>().unwrap()));
    let staging = IpAllowList::staging();
    for ip in ["18.206.70.225", "44.195.8.253", "44.198.216.125"] {
        assert!(staging.contains(ip.parse::<IpAddr>().unwrap()));
        assert!(IpAllowList::all().contains(ip.parse::<IpAddr>().unwrap()));
    }
    assert!(!IpAllowList::all().contains("127.0.0.1".parse::<IpAddr>().unwrap()));
    assert!(IpAllowList::production()
        .with("10.1.2.3".parse().unwrap())
        .contains("10.1.2.3".parse().unwrap()));
}
