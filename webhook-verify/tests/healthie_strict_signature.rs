//! Healthie: how strictly each mode reads the `Signature` header (issue #16). A mode
//! locked to one dialect reads it as an RFC 8941 Dictionary and refuses junk after a
//! member; `Mode::Auto` reads it leniently, as its documentation says.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use http::{HeaderMap, HeaderValue, StatusCode};
use webhook_verify::healthie::{self, Dialect, Mode};
use webhook_verify::{Error, ManualClock};

const SECRET: &str = "whsec_strict-test";
const PATH: &str = "/hooks/healthie?tenant=7";
const NOW: u64 = 1_750_000_000;
const BODY: &[u8] = br#"{"resource_id":42,"resource_id_type":"FormAnswerGroup","event_type":"form_answer_group.created","changed_fields":[]}"#;

const STRICT: [(Dialect, Mode); 3] = [
    (Dialect::Legacy, Mode::Legacy),
    (Dialect::Guide, Mode::Guide),
    (Dialect::Rfc9421, Mode::Rfc9421),
];

/// A delivery signed by our signer in `dialect`, and its `Signature` value.
fn signed(dialect: Dialect) -> (HeaderMap, String) {
    let mut h = HeaderMap::new();
    for (name, value) in healthie::sign(SECRET, dialect, "POST", PATH, BODY, NOW) {
        h.insert(name, value);
    }
    let signature = h["signature"].to_str().unwrap().to_owned();
    (h, signature)
}

fn with_signature(headers: &HeaderMap, signature: &str) -> HeaderMap {
    let mut h = headers.clone();
    h.insert("signature", HeaderValue::from_str(signature).unwrap());
    h
}

fn verifier(mode: Mode) -> healthie::Verifier {
    healthie::Verifier::new(SECRET, "POST", PATH)
        .mode(mode)
        .with_clock(ManualClock::new(NOW))
}

/// The `(name, reason)` of the `MalformedHeader` the verification fails with.
fn refusal(mode: Mode, headers: &HeaderMap) -> (String, &'static str) {
    let err = verifier(mode).verify(headers, BODY).unwrap_err();
    assert_eq!(err.status(), StatusCode::BAD_REQUEST, "{err}");
    match err {
        Error::MalformedHeader { name, reason } => (name, reason),
        other => panic!("{mode:?}: expected a malformed header, got {other:?}"),
    }
}

/// A well-formed `Signature` value in `dialect`'s encoding that no secret produced.
fn unsigned(dialect: Dialect) -> String {
    match dialect {
        Dialect::Legacy => format!("sig1={}", "0".repeat(64)),
        Dialect::Guide => format!("sig1=:{}:", "0".repeat(64)),
        Dialect::Rfc9421 => format!("sig1=:{}=:", "A".repeat(43)),
    }
}

fn signature_refusal(reason: &'static str) -> (String, &'static str) {
    ("signature".to_owned(), reason)
}

#[test]
fn strict_modes_refuse_junk_after_the_signature() {
    for (dialect, mode) in STRICT {
        let (headers, valid) = signed(dialect);
        assert_eq!(
            verifier(mode).verify(&headers, BODY).unwrap().dialect(),
            Some(dialect)
        );
        for junk in [
            "garbage",
            " x",
            ":",
            ";x junk",
            ";x=1garbage",
            "\tsig2",
            ", sig2=:AAAA: junk",
        ] {
            let h = with_signature(&headers, &format!("{valid}{junk}"));
            assert_eq!(
                refusal(mode, &h),
                signature_refusal("unexpected character after a member"),
                "{mode:?} {junk:?}"
            );
        }
        // RFC 8941 §4.2.2: a comma must be followed by another member.
        for trailing in [",", " ,", ",\t", ", , "] {
            let h = with_signature(&headers, &format!("{valid}{trailing}"));
            let expected = if trailing == ", , " {
                "a key must start with a lowercase letter or '*'"
            } else {
                "trailing comma"
            };
            assert_eq!(
                refusal(mode, &h),
                signature_refusal(expected),
                "{mode:?} {trailing:?}"
            );
        }
        // A parameter needs a key; whitespace may not surround `=`.
        let h = with_signature(&headers, &format!("{valid};"));
        assert_eq!(
            refusal(mode, &h),
            signature_refusal("a key must start with a lowercase letter or '*'")
        );
        let (label, value) = valid.split_once('=').unwrap();
        let h = with_signature(&headers, &format!("{label} ={value}"));
        assert_eq!(
            refusal(mode, &h),
            signature_refusal("unexpected character after a member")
        );
        let h = with_signature(&headers, &format!("{label}= {value}"));
        assert_eq!(refusal(mode, &h), signature_refusal("invalid bare item"));
    }
}

#[test]
fn strict_modes_accept_legal_whitespace_and_parameters() {
    for (dialect, mode) in STRICT {
        let (headers, valid) = signed(dialect);
        let other = unsigned(dialect);
        let other_value = other.trim_start_matches("sig1=");
        for accepted in [
            format!("  {valid}"),
            format!("{valid};x"),
            format!("{valid};x;p=1;q=\"a, b\";r=tok;s=:aGk=:"),
            format!("sig0={other_value} ,\t{valid}"),
            format!("{valid}, sig2=:aGk=:;k=1,\tflag, n=12, l=(1 2);q"),
            // A repeated label keeps its last value (RFC 8941 §4.2.2).
            format!("{other}, {valid}"),
        ] {
            let h = with_signature(&headers, &accepted);
            let v = verifier(mode)
                .verify(&h, BODY)
                .unwrap_or_else(|e| panic!("{mode:?} {accepted:?}: {e}"));
            assert_eq!(v.dialect(), Some(dialect), "{accepted:?}");
        }
        // ... and a later value replaces the valid one.
        let h = with_signature(&headers, &format!("{valid}, {other}"));
        assert!(
            matches!(
                verifier(mode).verify(&h, BODY),
                Err(Error::NoMatchingSignature)
            ),
            "{mode:?}"
        );
    }
}

#[test]
fn auto_reads_the_signature_leniently_as_documented() {
    for (dialect, _) in STRICT {
        let (headers, valid) = signed(dialect);
        let wrapped = valid.starts_with("sig1=:");
        // A wrapped value ends at its closing colon, whatever follows up to a comma;
        // empty members and whitespace around `=` are skipped or trimmed.
        let mut lenient = vec![
            format!("{valid},"),
            format!(",, {valid} ,"),
            format!("{valid};x junk"),
            valid.replacen('=', " = ", 1),
        ];
        if wrapped {
            lenient.extend([format!("{valid}garbage"), format!("{valid} x")]);
        }
        for text in &lenient {
            let h = with_signature(&headers, text);
            let v = verifier(Mode::Auto)
                .verify(&h, BODY)
                .unwrap_or_else(|e| panic!("{dialect} {text:?}: {e}"));
            assert_eq!(v.dialect(), Some(dialect), "{text:?}");
        }
        if !wrapped {
            // A bare value runs to its first `;` or comma: 64 hex digits and junk are not
            // a signature, even leniently.
            let h = with_signature(&headers, &format!("{valid}garbage"));
            assert_eq!(
                refusal(Mode::Auto, &h),
                signature_refusal("no member holds a 32-byte hex or base64 signature")
            );
        }
        // Leniency never admits a wrong signature.
        let h = with_signature(&headers, &format!("{};x junk", unsigned(dialect)));
        assert!(
            matches!(
                verifier(Mode::Auto).verify(&h, BODY),
                Err(Error::NoMatchingSignature)
            ),
            "{dialect}"
        );
    }
}

#[test]
fn signature_input_junk_is_refused_on_the_fast_and_general_paths() {
    let (headers, _) = signed(Dialect::Rfc9421);
    let input = headers["signature-input"].to_str().unwrap().to_owned();
    // The usual component list with junk after the parameters would be read by the fast
    // path; a re-spaced list goes to the general parser. Both refuse.
    let respaced = input.replace("(\"", "(  \"");
    for base in [&input, &respaced] {
        for (junk, reason) in [
            ("garbage", "unexpected character after a member"),
            (" x", "unexpected character after a member"),
            (",", "trailing comma"),
            (";", "a key must start with a lowercase letter or '*'"),
        ] {
            let mut h = headers.clone();
            h.insert(
                "signature-input",
                HeaderValue::from_str(&format!("{base}{junk}")).unwrap(),
            );
            for mode in [Mode::Rfc9421, Mode::Auto] {
                assert_eq!(
                    refusal(mode, &h),
                    ("signature-input".to_owned(), reason),
                    "{mode:?} {junk:?}"
                );
            }
        }
    }
}

#[test]
fn strict_parser_is_public_and_agrees_with_the_verifier() {
    let (_, valid) = signed(Dialect::Rfc9421);
    let members = healthie::parse_signature_strict(&format!("{valid};x")).unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].label, "sig1");
    assert_eq!(
        members[0].encoding,
        healthie::SignatureEncoding::WrappedBase64
    );
    assert_eq!(
        members,
        healthie::parse_signature(&valid).unwrap(),
        "same member as the lenient reading"
    );
    match healthie::parse_signature_strict(&format!("{valid}garbage")) {
        Err(Error::MalformedHeader { name, reason }) => {
            assert_eq!(name, "signature");
            assert_eq!(reason, "unexpected character after a member");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        healthie::parse_signature(&format!("{valid}garbage")).unwrap(),
        members
    );
}
