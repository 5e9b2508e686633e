//! Fuzz every header parser of webhook-verify, and the verifiers on top of them, with
//! arbitrary header text. Nothing may panic; a parse that succeeds must be consistent.
#![no_main]

use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;
use webhook_verify::healthie;
use webhook_verify::hmac_hex::{self, Config};
use webhook_verify::{generic, hedy, heilo, speakr, ManualClock};

fuzz_target!(|data: &[u8]| {
    // First byte splits the input into a header value and a body.
    let (split, rest) = match data.split_first() {
        Some((s, r)) => (*s as usize, r),
        None => return,
    };
    let cut = if rest.is_empty() {
        0
    } else {
        split % (rest.len() + 1)
    };
    let (header, body) = rest.split_at(cut);
    let text = String::from_utf8_lossy(header);

    // Heilo: a successful parse re-serialises to something that parses the same.
    if let Ok(parsed) = heilo::parse_signature_header(&text) {
        let mut again = format!("t={}", parsed.timestamp);
        for s in &parsed.signatures {
            again.push_str(",v1=");
            for b in s {
                again.push_str(&format!("{b:02x}"));
            }
        }
        assert_eq!(heilo::parse_signature_header(&again).ok(), Some(parsed));
    }

    // Healthie: Signature-Input's canonical form parses back to the same structure.
    if let Ok(inputs) = healthie::parse_signature_input(&text) {
        for input in &inputs {
            let canonical = format!("{}={}", input.label, input.canonical());
            let back = healthie::parse_signature_input(&canonical).expect("canonical parses");
            assert_eq!(back.len(), 1);
            assert_eq!(back[0].components, input.components);
            assert_eq!(back[0].params, input.params);
        }
    }
    // Healthie: what the strict reading of `Signature` accepts, the lenient one reads too.
    if let Ok(strict) = healthie::parse_signature_strict(&text) {
        if let Ok(lenient) = healthie::parse_signature(&text) {
            for member in &strict {
                assert!(lenient.contains(member), "{text:?}");
            }
        }
    }
    let _ = healthie::parse_signature(&text);
    let _ = healthie::parse_content_digest(&text);
    let _ = hmac_hex::parse_signature_header(&Config::speakr(), &text);
    let _ = hmac_hex::parse_signature_header(&Config::hedy(), &text);

    // The verifiers, with the text in every header they read.
    let Ok(value) = HeaderValue::from_bytes(header) else {
        return;
    };
    let mut h = HeaderMap::new();
    for name in [
        "heilo-signature",
        "heilo-event-id",
        "speakr-signature",
        "speakr-timestamp",
        "x-hedy-signature",
        "x-webhook-signature",
        "content-digest",
        "signature",
        "signature-input",
        "content-type",
        "content-length",
        "host",
    ] {
        h.insert(HeaderName::from_static(name), value.clone());
    }
    let _ = heilo::Verifier::new("k")
        .with_clock(ManualClock::new(1_700_000_000))
        .verify(&h, body);
    let _ = hedy::Verifier::new("k").verify(&h, body);
    let _ = generic::Verifier::new("k").verify(&h, body);
    let _ = speakr::Verifier::new("k")
        .with_timestamp_window(
            std::time::Duration::from_secs(300),
            std::time::Duration::from_secs(60),
        )
        .verify(&h, body);
    let v = healthie::Verifier::new("k", "POST", "/p?q=1")
        .required_components(Vec::<String>::new())
        .with_clock(ManualClock::new(1_700_000_000));
    let _ = v.verify(&h, body);
    let _ = v.signature_bases(&h, body);
    for mode in [
        healthie::Mode::Legacy,
        healthie::Mode::Guide,
        healthie::Mode::Rfc9421,
    ] {
        let _ = v.clone().mode(mode).verify(&h, body);
    }
});
