#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::time::Instant;
use webhook_verify::healthie::{self, Dialect};
use webhook_verify::{generic, hedy, heilo, speakr, ManualClock};
const SECRET: &str = "whsec_benchmark-secret-0123456789";
const NOW: u64 = 1_750_000_000;
const PATH: &str = "/hooks/healthie?tenant=7";
fn map(pairs: Vec<(HeaderName, HeaderValue)>) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(k, v);
    }
    h
}
fn body_of(len: usize) -> Vec<u8> {
    let mut b = br#"{"event":"session.ended","data":""#.to_vec();
    while b.len() + 2 < len {
        b.push(b'a' + (b.len() % 26) as u8);
    }
    b.extend_from_slice(b"\"}");
    b.truncate(len);
    b
}
fn t(name: &str, n: u32, f: &mut dyn FnMut()) {
    let mut best = f64::MAX;
    for _ in 0..15 {
        let s = Instant::now();
        for _ in 0..n {
            f();
        }
        best = best.min(s.elapsed().as_secs_f64() / n as f64);
    }
    println!("{name:<30} {:8.1} ns", best * 1e9);
}
fn r(name: &str, n: u32, base: &mut dyn FnMut(), f: &mut dyn FnMut()) {
    let n = n / 4;
    let mut ratios = Vec::new();
    let (mut bb, mut bf) = (f64::MAX, f64::MAX);
    for _ in 0..60 {
        let s = Instant::now();
        for _ in 0..n {
            base();
        }
        let b = s.elapsed().as_secs_f64() / n as f64;
        let s = Instant::now();
        for _ in 0..n {
            f();
        }
        let c = s.elapsed().as_secs_f64() / n as f64;
        ratios.push(c / b);
        bb = bb.min(b);
        bf = bf.min(c);
    }
    ratios.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "{name:<30} {:8.1} ns  ratio(median) {:.3}  ratio(min/min) {:.3}",
        bf * 1e9,
        ratios[30],
        bf / bb
    );
}
fn main() {
    let only = std::env::args().nth(1);
    let len: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(1024);
    let body = body_of(len);
    let shared = Bytes::from(body.clone());
    let tag = {
        let mut m = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        m.update(&body);
        m.finalize().into_bytes()
    };
    let keyed = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    let hh = map(hedy::sign(SECRET, &body));
    let hv = hedy::Verifier::new(SECRET);
    let sh = map(speakr::sign(SECRET, &body));
    let sv = speakr::Verifier::new(SECRET);
    let gh = map(generic::sign(SECRET, &body));
    let gv = generic::Verifier::new(SECRET);
    let ih = map(heilo::sign(SECRET, NOW, &body));
    let iv = heilo::Verifier::new(SECRET).with_clock(ManualClock::new(NOW));
    let v = healthie::Verifier::new(SECRET, "POST", PATH).with_clock(ManualClock::new(NOW));
    let hl = map(healthie::sign(
        SECRET,
        Dialect::Legacy,
        "POST",
        PATH,
        &body,
        NOW,
    ));
    let hg = map(healthie::sign(
        SECRET,
        Dialect::Guide,
        "POST",
        PATH,
        &body,
        NOW,
    ));
    let hr = map(healthie::sign(
        SECRET,
        Dialect::Rfc9421,
        "POST",
        PATH,
        &body,
        NOW,
    ));
    let n = 20000;
    if only.as_deref() == Some("micro") {
        println!(
            "size Verified {} Result {} Error {}",
            std::mem::size_of::<webhook_verify::Verified>(),
            std::mem::size_of::<Result<webhook_verify::Verified, webhook_verify::Error>>(),
            std::mem::size_of::<webhook_verify::Error>()
        );
        let mut big = ih.clone();
        for (k, val) in [
            ("host", "example.com"),
            ("user-agent", "Heilo-Webhooks/1.0"),
            ("content-type", "application/json"),
            ("content-length", "1024"),
            ("accept", "*/*"),
            ("accept-encoding", "gzip"),
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-proto", "https"),
            ("x-request-id", "abc"),
        ] {
            big.insert(HeaderName::from_static(k), HeaderValue::from_static(val));
        }
        let sig = HeaderName::from_static("heilo-signature");
        let eid = HeaderName::from_static("heilo-event-id");
        t("get sig small", n * 10, &mut || {
            black_box(black_box(&ih).get(black_box(&sig)));
        });
        t("get absent small", n * 10, &mut || {
            black_box(black_box(&ih).get(black_box(&eid)));
        });
        t("get sig big", n * 10, &mut || {
            black_box(black_box(&big).get(black_box(&sig)));
        });
        t("get absent big", n * 10, &mut || {
            black_box(black_box(&big).get(black_box(&eid)));
        });
        t("get ct big", n * 10, &mut || {
            black_box(black_box(&big).get(black_box(&http::header::CONTENT_TYPE)));
        });
        t("scan big", n * 10, &mut || {
            let mut c = 0;
            for (k, _) in black_box(&big).iter() {
                if k == sig || k == eid {
                    c += 1;
                }
            }
            black_box(c);
        });
        t("clone keyed", n * 10, &mut || {
            black_box(black_box(&keyed).clone());
        });
        t("heilo-bytes big", n, &mut || {
            black_box(iv.verify_bytes(&big, shared.clone()).unwrap());
        });
        t("heilo-bytes", n, &mut || {
            black_box(iv.verify_bytes(&ih, shared.clone()).unwrap());
        });
        return;
    }
    if only.as_deref() == Some("floors") {
        for (name, h) in [("legacy", &hl), ("guide", &hg), ("rfc", &hr)] {
            let bases = v.signature_bases(h, &body);
            let base = bases
                .iter()
                .find(|b| {
                    format!("{:?}", b.dialect)
                        .to_lowercase()
                        .starts_with(&name[..3])
                })
                .unwrap()
                .base
                .clone();
            println!("{name} base len {}", base.len());
            t(&format!("floor-{name}"), n, &mut || {
                black_box(Sha256::digest(black_box(&body)));
                let mut m = black_box(&keyed).clone();
                m.update(black_box(base.as_bytes()));
                black_box(m.finalize());
            });
        }
        t("bare-hmac", n, &mut || {
            let mut m = Hmac::<Sha256>::new_from_slice(black_box(SECRET.as_bytes())).unwrap();
            m.update(black_box(&body));
            m.verify_slice(black_box(&tag)).unwrap();
        });
        return;
    }
    if let Some(o) = only.as_deref().filter(|o| *o != "all") {
        // loop forever-ish for perf
        let s = Instant::now();
        while s.elapsed().as_secs() < 5 {
            for _ in 0..1000 {
                match o {
                    "heilo" => {
                        black_box(iv.verify_bytes(&ih, shared.clone()).unwrap());
                    }
                    "hedy" => {
                        black_box(hv.verify_bytes(&hh, shared.clone()).unwrap());
                    }
                    "speakr" => {
                        black_box(sv.verify_bytes(&sh, shared.clone()).unwrap());
                    }
                    "legacy" => {
                        black_box(v.verify_bytes(&hl, shared.clone()).unwrap());
                    }
                    "guide" => {
                        black_box(v.verify_bytes(&hg, shared.clone()).unwrap());
                    }
                    "rfc" => {
                        black_box(v.verify_bytes(&hr, shared.clone()).unwrap());
                    }
                    _ => panic!(),
                }
            }
        }
        return;
    }
    let mut base = || {
        let mut m = Hmac::<Sha256>::new_from_slice(black_box(SECRET.as_bytes())).unwrap();
        m.update(black_box(&body));
        m.verify_slice(black_box(&tag)).unwrap();
    };
    let sel: Vec<String> = std::env::args().skip(3).collect();
    let want = |name: &str| sel.is_empty() || sel.iter().any(|s| name.starts_with(s.as_str()));
    if want("bare-hmac-prekeyed") {
        r("bare-hmac-prekeyed", n, &mut base, &mut || {
            let mut m = black_box(&keyed).clone();
            m.update(black_box(&body));
            m.verify_slice(black_box(&tag)).unwrap();
        });
    }
    if want("bare-sha256") {
        r("bare-sha256", n, &mut base, &mut || {
            black_box(Sha256::digest(black_box(&body)));
        });
    }
    if want("hedy") {
        r("hedy", n, &mut base, &mut || {
            black_box(hv.verify(&hh, &body).unwrap());
        });
    }
    if want("hedy-bytes") {
        r("hedy-bytes", n, &mut base, &mut || {
            black_box(hv.verify_bytes(&hh, shared.clone()).unwrap());
        });
    }
    if want("speakr") {
        r("speakr", n, &mut base, &mut || {
            black_box(sv.verify(&sh, &body).unwrap());
        });
    }
    if want("speakr-bytes") {
        r("speakr-bytes", n, &mut base, &mut || {
            black_box(sv.verify_bytes(&sh, shared.clone()).unwrap());
        });
    }
    if want("generic") {
        r("generic", n, &mut base, &mut || {
            black_box(gv.verify(&gh, &body).unwrap());
        });
    }
    if want("heilo") {
        r("heilo", n, &mut base, &mut || {
            black_box(iv.verify(&ih, &body).unwrap());
        });
    }
    if want("heilo-bytes") {
        r("heilo-bytes", n, &mut base, &mut || {
            black_box(iv.verify_bytes(&ih, shared.clone()).unwrap());
        });
    }
    if want("healthie-legacy") {
        r("healthie-legacy", n, &mut base, &mut || {
            black_box(v.verify(&hl, &body).unwrap());
        });
    }
    if want("healthie-guide") {
        r("healthie-guide", n, &mut base, &mut || {
            black_box(v.verify(&hg, &body).unwrap());
        });
    }
    if want("healthie-rfc") {
        r("healthie-rfc", n, &mut base, &mut || {
            black_box(v.verify(&hr, &body).unwrap());
        });
    }
    if want("healthie-rfc-bytes") {
        r("healthie-rfc-bytes", n, &mut base, &mut || {
            black_box(v.verify_bytes(&hr, shared.clone()).unwrap());
        });
    }
}
