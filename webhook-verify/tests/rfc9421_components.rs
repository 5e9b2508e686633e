//! RFC 9421 components beyond the plain ones: the field parameters `;sf`, `;key` and `;bs`
//! (§2.1.1 to §2.1.3), the derived components of §2.2 (`@target-uri`, `@scheme`,
//! `@authority`, `@request-target`, `@query`, `@query-param`), and the Appendix B.2 request
//! examples that use them. Expected signature bases are the RFC's own text; what a
//! Healthie request cannot carry (`;req`, `@status`) is refused with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};
use webhook_verify::healthie::{self, Dialect, Mode};
use webhook_verify::{Error, ManualClock};

const CREATED: u64 = 1_618_884_473;

/// A verifier for `path_and_query` with no required components and a fixed clock.
fn verifier(path_and_query: &str) -> healthie::Verifier {
    healthie::Verifier::new("k", "POST", path_and_query)
        .mode(Mode::Rfc9421)
        .required_components(Vec::<String>::new())
        .with_clock(ManualClock::new(CREATED))
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (name, value) in pairs {
        h.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    h
}

/// The RFC 9421 base `v` builds for the `Signature-Input` member `input` (label `sig`).
fn base(v: &healthie::Verifier, h: &HeaderMap, input: &str) -> String {
    let mut h = h.clone();
    h.insert(
        "signature-input",
        HeaderValue::from_str(&format!("sig={input}")).unwrap(),
    );
    let bases: Vec<_> = v
        .signature_bases(&h, b"")
        .into_iter()
        .filter(|b| b.dialect == Dialect::Rfc9421 && b.label.as_deref() == Some("sig"))
        .collect();
    assert!(!bases.is_empty(), "no RFC 9421 base for {input}");
    bases[0].base.clone()
}

/// The component lines of the base (everything before the `@signature-params` line).
fn lines(v: &healthie::Verifier, h: &HeaderMap, components: &str) -> Vec<String> {
    let b = base(v, h, &format!("({components});created={CREATED}"));
    let mut lines: Vec<String> = b.split('\n').map(str::to_owned).collect();
    let last = lines.pop().unwrap();
    assert!(last.starts_with("\"@signature-params\": "), "{last}");
    lines
}

// ---- §2.1.1 to §2.1.3: field parameters ------------------------------------------------

#[test]
fn rfc9421_2_1_1_sf_reserialises_a_dictionary() {
    let h = headers(&[("example-dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c)")]);
    assert_eq!(
        lines(&verifier("/"), &h, r#""example-dict" "example-dict";sf"#),
        [
            r#""example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)"#,
            r#""example-dict";sf: a=1, b=2;x=1;y=2, c=(a b c)"#,
        ]
    );
}

#[test]
fn rfc9421_2_1_2_key_selects_a_dictionary_member() {
    let h = headers(&[("example-dict", " a=1, b=2;x=1;y=2, c=(a   b    c), d")]);
    assert_eq!(
        lines(
            &verifier("/"),
            &h,
            r#""example-dict";key="a" "example-dict";key="d" "example-dict";key="b" "example-dict";key="c""#
        ),
        [
            r#""example-dict";key="a": 1"#,
            r#""example-dict";key="d": ?1"#,
            r#""example-dict";key="b": 2;x=1;y=2"#,
            r#""example-dict";key="c": (a b c)"#,
        ]
    );
    // A key that is not there is a missing component.
    let mut h = h.clone();
    h.insert(
        "signature-input",
        HeaderValue::from_static(r#"sig=("example-dict";key="zz");created=1618884473"#),
    );
    assert!(verifier("/")
        .signature_bases(&h, b"")
        .iter()
        .all(|b| b.dialect != Dialect::Rfc9421));
}

#[test]
fn rfc9421_2_1_3_bs_wraps_each_line() {
    let two = headers(&[
        ("example-header", "value, with, lots"),
        ("example-header", "of, commas"),
    ]);
    assert_eq!(
        lines(
            &verifier("/"),
            &two,
            r#""example-header" "example-header";bs"#
        ),
        [
            r#""example-header": value, with, lots, of, commas"#,
            r#""example-header";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:"#,
        ]
    );
    let one = headers(&[("example-header", "value, with, lots, of, commas")]);
    assert_eq!(
        lines(&verifier("/"), &one, r#""example-header";bs"#),
        [r#""example-header";bs: :dmFsdWUsIHdpdGgsIGxvdHMsIG9mLCBjb21tYXM=:"#]
    );
}

// ---- §2.2: derived components ------------------------------------------------------------

#[test]
fn rfc9421_2_2_derived_components_of_the_request_line() {
    // `POST /path?param=value HTTP/1.1`, `Host: www.example.com`, over HTTPS.
    let h = headers(&[("host", "www.example.com")]);
    let v = verifier("/path?param=value");
    assert_eq!(
        lines(
            &v,
            &h,
            r#""@method" "@target-uri" "@authority" "@scheme" "@request-target" "@path" "@query""#
        ),
        [
            r#""@method": POST"#,
            r#""@target-uri": https://www.example.com/path?param=value"#,
            r#""@authority": www.example.com"#,
            r#""@scheme": https"#,
            r#""@request-target": /path?param=value"#,
            r#""@path": /path"#,
            r#""@query": ?param=value"#,
        ]
    );
    // §2.2.4: the same request over plain HTTP.
    assert_eq!(
        lines(
            &verifier("/path?param=value").scheme("HTTP"),
            &h,
            r#""@scheme""#
        ),
        [r#""@scheme": http"#]
    );
    // §2.2.3: the configured authority wins over Host, lower-cased.
    assert_eq!(
        lines(
            &verifier("/path").authority("WWW.Example.com"),
            &h,
            r#""@authority" "@target-uri""#
        ),
        [
            r#""@authority": www.example.com"#,
            r#""@target-uri": https://www.example.com/path"#,
        ]
    );
}

#[test]
fn rfc9421_2_2_7_query() {
    let h = HeaderMap::new();
    for (pq, want) in [
        (
            "/path?param=value&foo=bar&baz=batman",
            r#""@query": ?param=value&foo=bar&baz=batman"#,
        ),
        ("/path?queryString", r#""@query": ?queryString"#),
        ("/path", r#""@query": ?"#),
    ] {
        assert_eq!(lines(&verifier(pq), &h, r#""@query""#), [want]);
    }
}

#[test]
fn rfc9421_2_2_8_query_param() {
    let h = HeaderMap::new();
    let v = verifier("/path?param=value&foo=bar&baz=batman&qux=");
    assert_eq!(
        lines(
            &v,
            &h,
            r#""@query-param";name="baz" "@query-param";name="qux" "@query-param";name="param""#
        ),
        [
            r#""@query-param";name="baz": batman"#,
            r#""@query-param";name="qux": "#,
            r#""@query-param";name="param": value"#,
        ]
    );
    let v = verifier(
        "/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something",
    );
    assert_eq!(
        lines(
            &v,
            &h,
            r#""@query-param";name="var" "@query-param";name="bar" "@query-param";name="fa%C3%A7ade%22%3A%20""#
        ),
        [
            r#""@query-param";name="var": this%20is%20a%20big%0Amultiline%20value"#,
            r#""@query-param";name="bar": with%20plus%20whitespace"#,
            r#""@query-param";name="fa%C3%A7ade%22%3A%20": something"#,
        ]
    );
}

// ---- Appendix B.2: the test-request examples ---------------------------------------------

const B2_SHA512: &str = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";

fn test_request() -> (healthie::Verifier, HeaderMap) {
    let h = headers(&[
        ("host", "example.com"),
        ("date", "Tue, 20 Apr 2021 02:07:55 GMT"),
        ("content-type", "application/json"),
        ("content-digest", B2_SHA512),
        ("content-length", "18"),
    ]);
    (verifier("/foo?param=Value&Pet=dog"), h)
}

#[test]
fn rfc9421_b_2_1_minimal() {
    let (v, h) = test_request();
    let params = r#"();created=1618882473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd""#;
    assert_eq!(
        base(&v, &h, params),
        format!("\"@signature-params\": {params}")
    );
}

#[test]
fn rfc9421_b_2_2_selective_components_with_a_query_param() {
    let (v, h) = test_request();
    let params = r#"("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example""#;
    assert_eq!(
        base(&v, &h, params),
        [
            "\"@authority\": example.com",
            &format!("\"content-digest\": {B2_SHA512}"),
            "\"@query-param\";name=\"Pet\": dog",
            &format!("\"@signature-params\": {params}"),
        ]
        .join("\n")
    );
}

#[test]
fn rfc9421_b_2_3_full_coverage() {
    let (v, h) = test_request();
    let params = r#"("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss""#;
    assert_eq!(
        base(&v, &h, params),
        [
            "\"date\": Tue, 20 Apr 2021 02:07:55 GMT",
            "\"@method\": POST",
            "\"@path\": /foo",
            "\"@query\": ?param=Value&Pet=dog",
            "\"@authority\": example.com",
            "\"content-type\": application/json",
            &format!("\"content-digest\": {B2_SHA512}"),
            "\"content-length\": 18",
            &format!("\"@signature-params\": {params}"),
        ]
        .join("\n")
    );
}

#[test]
fn rfc9421_b_2_6_ed25519_base() {
    let (v, h) = test_request();
    let params = r#"("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519""#;
    assert_eq!(
        base(&v, &h, params),
        [
            "\"date\": Tue, 20 Apr 2021 02:07:55 GMT",
            "\"@method\": POST",
            "\"@path\": /foo",
            "\"@authority\": example.com",
            "\"content-type\": application/json",
            "\"content-length\": 18",
            &format!("\"@signature-params\": {params}"),
        ]
        .join("\n")
    );
}

#[test]
fn rfc9421_b_2_4_response_components_are_refused() {
    // B.2.4 signs a response (`@status`); a Healthie delivery is a request.
    let (v, mut h) = test_request();
    h.insert(
        "signature-input",
        HeaderValue::from_static(
            r#"sig=("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256""#,
        ),
    );
    assert!(v
        .signature_bases(&h, b"")
        .iter()
        .all(|b| b.dialect != Dialect::Rfc9421));
}

// ---- Verification end to end -------------------------------------------------------------

/// A delivery of `body` to `path_and_query`, HMAC-signed over `components` (as our own
/// signer would, from the base the verifier builds).
fn signed(path_and_query: &str, extra: &[(&str, &str)], components: &str) -> (HeaderMap, Vec<u8>) {
    let body = br#"{"resource_id":"1","event_type":"appointment.created"}"#.to_vec();
    let digest = format!("sha-256=:{}:", STANDARD.encode(Sha256::digest(&body)));
    let mut h = headers(extra);
    h.insert("content-digest", HeaderValue::from_str(&digest).unwrap());
    h.insert("content-type", HeaderValue::from_static("application/json"));
    let input = format!("({components});created={CREATED};alg=\"hmac-sha256\"");
    let b = base(&verifier(path_and_query), &h, &input);
    let mut mac = Hmac::<Sha256>::new_from_slice(b"k").unwrap();
    mac.update(b.as_bytes());
    let sig = STANDARD.encode(mac.finalize().into_bytes());
    h.insert(
        "signature-input",
        HeaderValue::from_str(&format!("sig1={input}")).unwrap(),
    );
    h.insert(
        "signature",
        HeaderValue::from_str(&format!("sig1=:{sig}:")).unwrap(),
    );
    (h, body)
}

#[test]
fn every_new_component_verifies_end_to_end() {
    let components = r#""@method" "@target-uri" "@scheme" "@authority" "@request-target" "@query-param";name="tenant" "content-digest" "example-dict";sf "example-dict";key="b" "example-header";bs"#;
    let (h, body) = signed(
        "/hooks/healthie?tenant=7",
        &[
            ("host", "Hooks.Example.com"),
            ("example-dict", "a=1,  b=2;x=1"),
            ("example-header", "x, y"),
        ],
        components,
    );
    let verified = verifier("/hooks/healthie?tenant=7")
        .mode(Mode::Auto)
        .verify(&h, &body)
        .unwrap();
    assert_eq!(verified.dialect(), Some(Dialect::Rfc9421));
    // Each component binds: change what it covers and the signature no longer matches.
    let mut other = h.clone();
    other.insert("example-dict", HeaderValue::from_static("a=1, b=3;x=1"));
    assert!(verifier("/hooks/healthie?tenant=7")
        .verify(&other, &body)
        .is_err());
    assert!(verifier("/hooks/healthie?tenant=8")
        .verify(&h, &body)
        .is_err());
    assert!(verifier("/hooks/healthie?tenant=7")
        .scheme("http")
        .verify(&h, &body)
        .is_err());
}

fn refusal(components: &str, path_and_query: &str) -> String {
    let (h, body) = signed(path_and_query, &[("host", "example.com")], r#""@method""#);
    let mut h = h;
    h.insert(
        "signature-input",
        HeaderValue::from_str(&format!(
            "sig1=({components});created={CREATED};alg=\"hmac-sha256\""
        ))
        .unwrap(),
    );
    match verifier(path_and_query).verify(&h, &body) {
        Err(Error::UnsupportedComponent { component }) => component,
        other => panic!("{components}: {other:?}"),
    }
}

#[test]
fn what_healthie_cannot_send_is_refused_with_a_reason() {
    let req = refusal(r#""@method";req"#, "/h");
    assert!(req.contains("response"), "{req}");
    let status = refusal(r#""@status""#, "/h");
    assert!(status.contains("response"), "{status}");
    let tr = refusal(r#""content-type";tr"#, "/h");
    assert!(tr.contains("trailers"), "{tr}");
    let twice = refusal(r#""@query-param";name="a""#, "/h?a=1&a=2");
    assert!(twice.contains("more than once"), "{twice}");
    let unknown = refusal(r#""@method";foo"#, "/h");
    assert!(unknown.contains("unknown parameter"), "{unknown}");
}
