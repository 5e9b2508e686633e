#![allow(clippy::unwrap_used, missing_docs)]
use std::time::Instant;

use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::Sha256;
use webhook_verify::{hedy, heilo, ManualClock};

fn main() {
    let body = vec![b'a'; 1024];
    let n = 1_000_000;
    let mut h = HeaderMap::new();
    for (k, v) in heilo::sign("secret", 1000, &body) {
        h.insert(k, v);
    }
    let v = heilo::Verifier::new("secret").with_clock(ManualClock::new(1000));
    let mut hh = HeaderMap::new();
    for (k, v) in hedy::sign("secret", &body) {
        hh.insert(k, v);
    }
    let hv = hedy::Verifier::new("secret");
    for round in 0..3 {
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(v.verify(&h, &body).unwrap());
        }
        let heilo_ns = t.elapsed().as_nanos() as f64 / n as f64;
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(hv.verify(&hh, &body).unwrap());
        }
        let hedy_ns = t.elapsed().as_nanos() as f64 / n as f64;
        let t = Instant::now();
        for _ in 0..n {
            let mut m = Hmac::<Sha256>::new_from_slice(b"secret").unwrap();
            m.update(std::hint::black_box(b"1000."));
            m.update(std::hint::black_box(&body));
            std::hint::black_box(m.finalize());
        }
        let split_ns = t.elapsed().as_nanos() as f64 / n as f64;
        let t = Instant::now();
        for _ in 0..n {
            let mut m = Hmac::<Sha256>::new_from_slice(b"secret").unwrap();
            m.update(std::hint::black_box(&body));
            std::hint::black_box(m.finalize());
        }
        let one_ns = t.elapsed().as_nanos() as f64 / n as f64;
        println!("round {round}: heilo {heilo_ns:.0} ns, hedy {hedy_ns:.0} ns, hmac(t.|body) {split_ns:.0} ns, hmac(body) {one_ns:.0} ns");
    }
}
