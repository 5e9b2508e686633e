//! Unit tests of the fast paths against the general parsers.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::header::{HeaderName, HeaderValue};

use super::digest::{decode_b64_32_plain, plain_content_digest};
use super::signature::plain_signature;
use super::*;

/// What the `base64` crate makes of it, the reference for the fast decoder.
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
        assert_eq!(decode_b64_32_plain(text.as_bytes()), Some(bytes));
        for pos in 0..text.len() {
            for b in 0..=255u8 {
                let mut s = text.clone().into_bytes();
                s[pos] = b;
                if let Some(out) = decode_b64_32_plain(&s) {
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
        let general = parse_signature(signature.to_str().unwrap()).unwrap();
        assert_eq!(general.len(), 1);
        assert_eq!(general[0].encoding, member.encoding);
        assert_eq!(general[0].signature, member.signature);
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
            let general = parse_signature(text).ok();
            proptest::prop_assert_eq!(
                general,
                Some(vec![SignatureMember {
                    label: member.label.to_owned(),
                    encoding: member.encoding,
                    signature: member.signature,
                }])
            );
        }
    }
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
