//! Unit tests of the fast paths against the general parsers.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::header::{HeaderName, HeaderValue};

use super::digest::plain_content_digest;
use super::signature::plain_signature;
use super::*;
use crate::encoding::decode_b64_32;

/// What the `base64` crate makes of any text, the reference for the 32-byte decoder.
fn reference_b64_32(s: &[u8]) -> Option<[u8; 32]> {
    let mut buf = [0u8; 48];
    let n = STANDARD.decode_slice(s, &mut buf).ok()?;
    <[u8; 32]>::try_from(&buf[..n]).ok()
}

#[test]
fn b64_plain_never_disagrees_with_the_base64_crate() {
    for seed in 0..64u8 {
        let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ seed);
        let text = STANDARD.encode(bytes);
        assert_eq!(decode_b64_32(text.as_bytes()), Some(bytes));
        for pos in 0..text.len() {
            for b in 0..=255u8 {
                let mut s = text.clone().into_bytes();
                s[pos] = b;
                if let Some(out) = decode_b64_32(&s) {
                    assert_eq!(Some(out), reference_b64_32(&s), "byte {b:#x} at {pos}");
                }
            }
        }
    }
}

#[test]
fn plain_paths_take_what_the_signer_sends() {
    for dialect in [Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421] {
        let headers = sign("k", dialect, "POST", "/h?a=1", b"{}", 1);
        let get = |name: &HeaderName| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let digest = get(&CONTENT_DIGEST);
        let (text, parsed) = plain_content_digest(digest.as_bytes()).unwrap();
        assert_eq!(parse_content_digest(text).unwrap(), parsed);
        let signature = get(&SIGNATURE);
        let member = plain_signature(signature.as_bytes()).unwrap();
        for general in [
            parse_signature(signature.to_str().unwrap()).unwrap(),
            parse_signature_strict(signature.to_str().unwrap()).unwrap(),
        ] {
            assert_eq!(general.len(), 1);
            assert_eq!(general[0].encoding, member.encoding);
            assert_eq!(general[0].signature, member.signature);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

    /// The fast paths of `check` give what the general parsers give (after `to_str` and
    /// trimming), whenever they answer.
    #[test]
    fn plain_paths_agree_with_the_general_parsers(
        text in proptest::prop_oneof![
            "(sha-256|SHA-256| sha-256)=(:)?[A-Za-z0-9+/=,; ]{42,46}(:)?( |,)?",
            "(sig1|sig2| sig1)=(:)?[0-9a-fA-F+/=, ]{42,66}(:)?( |,)?",
        ],
    ) {
        let Ok(value) = HeaderValue::from_str(&text) else {
            return Ok(());
        };
        if let Some((digest_text, digest)) = plain_content_digest(value.as_bytes()) {
            let general = value.to_str().map(str::trim).ok();
            proptest::prop_assert_eq!(Some(digest_text), general);
            proptest::prop_assert_eq!(parse_content_digest(digest_text).ok(), Some(digest));
        }
        if let Some(member) = plain_signature(value.as_bytes()) {
            let text = value.to_str().map(str::trim).unwrap_or_default();
            let expected = Some(vec![SignatureMember {
                label: member.label.to_owned(),
                encoding: member.encoding,
                signature: member.signature,
            }]);
            // The fast path serves Auto and the strict modes: it must agree with both
            // general parsers.
            proptest::prop_assert_eq!(&parse_signature(text).ok(), &expected);
            proptest::prop_assert_eq!(&parse_signature_strict(text).ok(), &expected);
        }
    }

    /// What the strict parser accepts, Auto's lenient parser reads the same way: a strict
    /// mode never takes a header that Auto refuses, and the members agree (the lenient
    /// parser keeps repeated labels, RFC 8941 keeps the last value).
    #[test]
    fn strict_signature_members_are_read_the_same_leniently(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                "(sig1|sig2|s)=",
                ":[0-9a-f]{64}:",
                ":[A-Za-z0-9+/]{43}=:",
                "[0-9a-f]{64}",
                "[ \t]{0,2},[ \t]{0,2}",
                "(;(x|p)(=(1|tok|\\?0|\"a,b\"|:aGk=:))?)",
                "(\\(1 2\\)|tok|\"s\"|[0-9]{1,3}| |:)",
            ],
            0..8,
        ),
    ) {
        let text = parts.concat();
        let Ok(strict) = parse_signature_strict(&text) else {
            return Ok(());
        };
        let lenient = parse_signature(&text);
        proptest::prop_assert!(lenient.is_ok(), "{text}: {lenient:?}");
        let lenient = lenient.unwrap_or_default();
        for member in &strict {
            proptest::prop_assert!(lenient.contains(member), "{text}: {member:?}");
        }
    }
}

#[test]
fn strict_signature_refuses_junk_after_a_member() {
    let hex = "ab".repeat(32);
    let b64 = STANDARD.encode([7u8; 32]);
    let reason = |text: &str| match parse_signature_strict(text) {
        Err(crate::Error::MalformedHeader { name, reason }) => {
            assert_eq!(name, "signature", "{text}");
            reason
        }
        other => panic!("{text}: {other:?}"),
    };
    for value in [format!(":{hex}:"), format!(":{b64}:"), hex.clone()] {
        for junk in ["garbage", " x", ";x junk", ";x=1x", ":", "=", ")"] {
            assert_eq!(
                reason(&format!("sig1={value}{junk}")),
                "unexpected character after a member"
            );
        }
        assert_eq!(reason(&format!("sig1={value},")), "trailing comma");
        assert_eq!(reason(&format!("sig1={value} , ")), "trailing comma");
        assert_eq!(
            reason(&format!("sig1={value},,sig2={value}")),
            "a key must start with a lowercase letter or '*'"
        );
        assert_eq!(
            reason(&format!("sig1={value};")),
            "a key must start with a lowercase letter or '*'"
        );
        // The lenient reading takes all of these.
        for junk in ["garbage", ";x junk", ","] {
            if value.starts_with(':') || junk != "garbage" {
                assert!(parse_signature(&format!("sig1={value}{junk}")).is_ok());
            }
        }
    }
    // Other parse errors of RFC 8941.
    assert_eq!(reason(&format!("sig1= :{b64}:")), "invalid bare item");
    assert_eq!(
        reason(&format!("sig1 =:{b64}:")),
        "unexpected character after a member"
    );
    assert_eq!(
        reason(&format!("sig1=:{b64}")),
        "unterminated byte sequence"
    );
    assert_eq!(
        reason(&format!("Sig1=:{b64}:")),
        "a key must start with a lowercase letter or '*'"
    );
}

#[test]
fn strict_signature_reads_what_rfc_8941_allows() {
    let hex = "ab".repeat(32);
    let b64 = STANDARD.encode([7u8; 32]);
    let sig = |text: &str| {
        parse_signature_strict(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .into_iter()
            .map(|m| (m.label, m.encoding, m.signature))
            .collect::<Vec<_>>()
    };
    let wrapped_b64 = || {
        (
            "sig1".to_owned(),
            SignatureEncoding::WrappedBase64,
            [7u8; 32],
        )
    };
    let wrapped_hex = ("sig1".to_owned(), SignatureEncoding::WrappedHex, [0xab; 32]);
    let bare_hex = ("sig1".to_owned(), SignatureEncoding::BareHex, [0xab; 32]);
    assert_eq!(sig(&format!("sig1=:{b64}:")), [wrapped_b64()]);
    assert_eq!(sig(&format!("  sig1=:{b64}:  ")), [wrapped_b64()]);
    assert_eq!(sig(&format!("sig1=:{hex}:;x;p=1")), [wrapped_hex]);
    assert_eq!(sig(&format!("sig1={hex};alg=\"x\"")), [bare_hex]);
    // Members of other kinds are skipped; spaces and tabs around commas are legal.
    assert_eq!(
        sig(&format!(
            "a=1,\tb=tok ,c=(1 2);q,  d, e=:aGk=:, sig1=:{b64}:\t"
        )),
        [wrapped_b64()]
    );
    // A repeated label keeps its last value (RFC 8941 §4.2.2); the lenient reading keeps
    // both.
    let other = STANDARD.encode([9u8; 32]);
    assert_eq!(
        sig(&format!("sig1=:{other}:, sig1=:{b64}:")),
        [wrapped_b64()]
    );
    assert!(parse_signature_strict(&format!("sig1=:{b64}:, sig1=1")).is_err());
    assert_eq!(
        parse_signature(&format!("sig1=:{other}:, sig1=:{b64}:"))
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn encoding_our_digest_agrees_with_decoding_theirs() {
    use super::digest::plain_digest_text;
    for seed in 0..64u8 {
        let actual: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(91) ^ seed);
        let b64 = STANDARD.encode(actual);
        for value in [format!("sha-256=:{b64}:"), format!("sha-256={b64}")] {
            assert_eq!(
                plain_digest_text(value.as_bytes(), &actual),
                Some(value.as_str())
            );
            // Any one changed character: the fast path never accepts what decoding rejects.
            for pos in 0..value.len() {
                for b in [b'A', b'a', b'+', b'/', b'=', b':', b'0'] {
                    let mut v = value.clone().into_bytes();
                    v[pos] = b;
                    let fast = plain_digest_text(&v, &actual).is_some();
                    let slow = plain_content_digest(&v).is_some_and(|(_, d)| d == actual);
                    assert_eq!(fast, slow, "{}", String::from_utf8_lossy(&v));
                }
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]

    /// The simple parameter scanner of the fast path agrees with the general parser
    /// whenever it answers.
    #[test]
    fn simple_params_agree_with_the_general_parser(
        text in "(;(created|keyid|alg|expires|nonce|x)=(\"[ -~]{0,12}\"|[0-9]{1,17}|-1|1\\.5|tok|\\?1)){0,9}( |;)?",
    ) {
        use super::signature_input::{PolicyParams, SfParser};
        if let Some(fast) = super::verifier::simple_params(&text) {
            let mut general = PolicyParams::default();
            let mut parser = SfParser::new(&text);
            proptest::prop_assert!(parser.params(|k, v| general.param(k, v)).is_ok());
            proptest::prop_assert_eq!(parser.i, text.len());
            proptest::prop_assert_eq!(format!("{:?}", fast), format!("{:?}", general));
        }
    }
}
