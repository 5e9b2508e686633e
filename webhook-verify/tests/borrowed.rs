//! `verify` (the result borrows the body), `verify` + `into_owned` (a copy) and
//! `verify_bytes` (shared `Bytes`) agree for every scheme, on success and on failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use webhook_verify::healthie::{self, Dialect};
use webhook_verify::{generic, hedy, heilo, speakr, ManualClock, Verified, Verify};

const NOW: u64 = 1_750_000_000;

fn map(pairs: Vec<(HeaderName, HeaderValue)>) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(k, v);
    }
    h
}

fn summary<B: AsRef<[u8]>>(v: &Verified<B>) -> String {
    format!(
        "{} {:?} {:?} {} {} {:?}",
        v.scheme(),
        v.dialect(),
        v.variant(),
        v.secret_index(),
        v.idempotency_key(),
        v.event_type()
    )
}

fn check(verifier: &dyn Verify, headers: &HeaderMap, body: &[u8]) {
    let owned = verifier.verify(headers, body).map(Verified::into_owned);
    let borrowed = verifier.verify(headers, body);
    let bytes = verifier.verify_bytes(headers, Bytes::copy_from_slice(body));
    match (owned, borrowed, bytes) {
        (Ok(o), Ok(b), Ok(s)) => {
            assert_eq!(o.body().as_ref(), body);
            assert_eq!(b.body(), body);
            assert!(
                std::ptr::eq(b.body(), body),
                "the borrowed body is the caller's"
            );
            assert_eq!(s.body().as_ref(), body);
            assert_eq!(summary(&o), summary(&b));
            assert_eq!(summary(&o), summary(&s));
            let back = b.into_owned();
            assert_eq!(summary(&back), summary(&o));
            assert_eq!(back.body().as_ref(), body);
            let j: serde_json::Value = back.json().unwrap();
            assert_eq!(j["event_type"], "call.completed");
        }
        (Err(o), Err(b), Err(s)) => {
            assert_eq!(o.to_string(), b.to_string());
            assert_eq!(o.to_string(), s.to_string());
        }
        (o, b, s) => panic!(
            "disagree: {:?} / {:?} / {:?}",
            o.map(|v| summary(&v)),
            b.map(|v| summary(&v)),
            s.map(|v| summary(&v))
        ),
    }
}

#[test]
fn borrowed_owned_and_bytes_agree_for_every_scheme() {
    let body =
        br#"{"event":"call.completed","event_type":"call.completed","type":"call.completed"}"#;
    let tampered =
        br#"{"event":"call.completed","event_type":"call.completed","type":"call.complete"}"#;
    let path = "/hooks/healthie?tenant=7";
    let mut cases: Vec<(Box<dyn Verify>, HeaderMap)> = vec![
        (
            Box::new(hedy::Verifier::new(["old", "k"])),
            map(hedy::sign("k", body)),
        ),
        (
            Box::new(speakr::Verifier::new("k")),
            map(
                speakr::sign_delivery("k", "d-1", "call.completed", "2026-01-01T00:00:00Z", body)
                    .unwrap(),
            ),
        ),
        (
            Box::new(generic::Verifier::new("k")),
            map(generic::sign("k", body)),
        ),
        (
            Box::new(heilo::Verifier::new("k").with_clock(ManualClock::new(NOW))),
            map(heilo::sign_event("k", NOW, "e-1", "call.completed", body).unwrap()),
        ),
    ];
    for dialect in [Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421] {
        cases.push((
            Box::new(healthie::Verifier::new("k", "POST", path).with_clock(ManualClock::new(NOW))),
            map(healthie::sign("k", dialect, "POST", path, body, NOW)),
        ));
    }
    for (verifier, headers) in &cases {
        check(verifier.as_ref(), headers, body);
        check(verifier.as_ref(), headers, tampered);
        check(verifier.as_ref(), &HeaderMap::new(), body);
    }
}

/// A verifier from outside this crate, delegating to one of its verifiers.
#[test]
fn a_delegating_verifier_behaves_the_same() {
    struct Wrapper(hedy::Verifier);
    impl Verify for Wrapper {
        fn check(
            &self,
            h: &HeaderMap,
            b: &[u8],
        ) -> Result<webhook_verify::Verdict, webhook_verify::Error> {
            self.0.check(h, b)
        }
        fn verify_bytes(&self, h: &HeaderMap, b: Bytes) -> Result<Verified, webhook_verify::Error> {
            self.0.verify_bytes(h, b)
        }
        fn verify<'a>(
            &self,
            h: &HeaderMap,
            b: &'a [u8],
        ) -> Result<Verified<&'a [u8]>, webhook_verify::Error> {
            self.0.verify(h, b)
        }
    }
    let body = br#"{"event":"call.completed","event_type":"call.completed"}"#;
    let w = Wrapper(hedy::Verifier::new("k"));
    check(&w, &map(hedy::sign("k", body)), body);
    check(&w, &map(hedy::sign("other", body)), body);
}
