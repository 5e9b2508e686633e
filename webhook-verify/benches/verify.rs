//! Verification cost of every scheme against a bare HMAC-SHA256 (and a bare SHA-256) of
//! the same bytes, for 1 KiB, 64 KiB and 1 MiB bodies.
//!
//! Run with `cargo bench -p meeting-sdks-webhook-verify`. Baselines (HMACs with the current
//! `hmac` crate, 0.13 on `sha2` 0.11; SHA-256 with the library's own `sha2`):
//! - `bare-hmac`: `Hmac::new_from_slice(key)`, `update(body)`, `verify_slice(sig)`,
//!   keyed on every call: what a hand-written verifier does, and the baseline the goals of
//!   issues 3 and 17 are judged on. The paired part also measures it once against the same
//!   code on `hmac` 0.12 and `sha2` 0.10, the baseline of the figures before issue 17.
//! - `bare-hmac-prekeyed`: the same with the key schedule done once outside the loop (a
//!   keyed `Hmac<Sha256>` cloned per call). The verifiers do this too, so this is the
//!   strictest floor for the HMAC-hex schemes and Heilo: it shows the cost of everything a
//!   verifier does besides hashing.
//! - `bare-sha256`: `Sha256::digest(body)`: the floor for Healthie, which hashes the body
//!   for `Content-Digest` and then HMACs only a short signature base.
//!
//! `verify` takes `&[u8]` and returns a result that borrows it (no copy); the `-owned` rows
//! add `into_owned()`, which copies the body into the result; `verify_bytes` takes a
//! `Bytes` and does not copy either.
//!
//! After criterion, a paired measurement alternates batches of the baseline and of each
//! scheme and prints the median per-round ratio (robust when other work shares the CPU).
//! `WEBHOOK_VERIFY_PAIRED_ONLY=1 cargo bench -p meeting-sdks-webhook-verify` runs only that part.
//! The paired part ends with Healthie Auto measured directly against its floor (the
//! `healthie-auto-*/floor` rows); `WEBHOOK_VERIFY_FLOOR_ONLY=1` (with `PAIRED_ONLY`) runs
//! only those rows, and `WEBHOOK_VERIFY_ROWS=hedy,speakr` only the rows whose names start
//! with one of the prefixes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{criterion_group, Criterion, Throughput};
use hmac_013::{KeyInit, Mac};
use http::{HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};
use webhook_verify::healthie::{self, Dialect};
use webhook_verify::{generic, hedy, heilo, speakr, ManualClock};

/// The baselines' HMAC-SHA256: the current `hmac` crate (0.13, on `sha2` 0.11).
type Hmac = hmac_013::Hmac<sha2_011::Sha256>;

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
    // JSON-looking bytes of the requested length.
    let mut b = br#"{"event":"session.ended","data":""#.to_vec();
    while b.len() + 2 < len {
        b.push(b'a' + (b.len() % 26) as u8);
    }
    b.extend_from_slice(b"\"}");
    b.truncate(len);
    b
}

fn bench(c: &mut Criterion) {
    for (label, len) in [
        ("1KiB", 1024usize),
        ("64KiB", 64 * 1024),
        ("1MiB", 1024 * 1024),
    ] {
        let body = body_of(len);
        let shared = Bytes::from(body.clone());
        let mut group = c.benchmark_group(format!("verify/{label}"));
        group.throughput(Throughput::Bytes(len as u64));
        group.warm_up_time(Duration::from_millis(700));
        group.measurement_time(Duration::from_secs(2));
        group.sample_size(if len >= 1024 * 1024 { 30 } else { 60 });

        // Baselines.
        let tag = {
            let mut m = Hmac::new_from_slice(SECRET.as_bytes()).unwrap();
            m.update(&body);
            m.finalize().into_bytes()
        };
        group.bench_function("bare-hmac", |b| {
            b.iter(|| {
                let mut m = Hmac::new_from_slice(black_box(SECRET.as_bytes())).unwrap();
                m.update(black_box(&body));
                m.verify_slice(black_box(&tag)).unwrap();
            })
        });
        let prekeyed = Hmac::new_from_slice(SECRET.as_bytes()).unwrap();
        group.bench_function("bare-hmac-prekeyed", |b| {
            b.iter(|| {
                let mut m = black_box(&prekeyed).clone();
                m.update(black_box(&body));
                m.verify_slice(black_box(&tag)).unwrap();
            })
        });
        group.bench_function("bare-sha256", |b| {
            b.iter(|| black_box(Sha256::digest(black_box(&body))))
        });

        // HMAC-hex schemes.
        let h = map(hedy::sign(SECRET, &body));
        let v = hedy::Verifier::new(SECRET);
        group.bench_function("hedy", |b| {
            b.iter(|| v.verify(black_box(&h), black_box(&body)).unwrap())
        });
        group.bench_function("hedy-owned", |b| {
            b.iter(|| {
                v.verify(black_box(&h), black_box(&body))
                    .unwrap()
                    .into_owned()
            })
        });
        group.bench_function("hedy-bytes", |b| {
            b.iter(|| v.verify_bytes(black_box(&h), shared.clone()).unwrap())
        });
        let h = map(speakr::sign(SECRET, &body));
        let v = speakr::Verifier::new(SECRET);
        group.bench_function("speakr", |b| {
            b.iter(|| v.verify(black_box(&h), black_box(&body)).unwrap())
        });
        let h = map(generic::sign(SECRET, &body));
        let v = generic::Verifier::new(SECRET);
        group.bench_function("generic", |b| {
            b.iter(|| v.verify(black_box(&h), black_box(&body)).unwrap())
        });

        // Heilo.
        let h = map(heilo::sign(SECRET, NOW, &body));
        let v = heilo::Verifier::new(SECRET).with_clock(ManualClock::new(NOW));
        group.bench_function("heilo", |b| {
            b.iter(|| v.verify(black_box(&h), black_box(&body)).unwrap())
        });
        group.bench_function("heilo-owned", |b| {
            b.iter(|| {
                v.verify(black_box(&h), black_box(&body))
                    .unwrap()
                    .into_owned()
            })
        });
        group.bench_function("heilo-bytes", |b| {
            b.iter(|| v.verify_bytes(black_box(&h), shared.clone()).unwrap())
        });

        // Healthie, Mode::Auto, one signature per dialect.
        let v = healthie::Verifier::new(SECRET, "POST", PATH).with_clock(ManualClock::new(NOW));
        for (name, dialect) in [
            ("healthie-auto-legacy", Dialect::Legacy),
            ("healthie-auto-guide", Dialect::Guide),
            ("healthie-auto-rfc9421", Dialect::Rfc9421),
        ] {
            let h = map(healthie::sign(SECRET, dialect, "POST", PATH, &body, NOW));
            assert_eq!(v.verify(&h, &body).unwrap().dialect(), Some(dialect));
            group.bench_function(name, |b| {
                b.iter(|| v.verify(black_box(&h), black_box(&body)).unwrap())
            });
        }
        let h = map(healthie::sign(
            SECRET,
            Dialect::Rfc9421,
            "POST",
            PATH,
            &body,
            NOW,
        ));
        group.bench_function("healthie-auto-rfc9421-bytes", |b| {
            b.iter(|| v.verify_bytes(black_box(&h), shared.clone()).unwrap())
        });
        group.finish();
    }
}

/// Interleaved, paired measurement: alternate batches of the baseline and of the scheme
/// and report the median of the per-round time ratios. Robust against the machine being
/// busy with other work, which skews criterion's back-to-back runs.
fn paired_ratios() {
    use std::time::Instant;

    fn time_batch(iters: u32, f: &mut dyn FnMut()) -> f64 {
        let start = Instant::now();
        for _ in 0..iters {
            f();
        }
        start.elapsed().as_secs_f64()
    }

    fn median_ratio(
        rounds: usize,
        iters: u32,
        base: &mut dyn FnMut(),
        cand: &mut dyn FnMut(),
    ) -> (f64, f64, f64) {
        let (m, lo, hi, _, _) = median_ratio_and_delta(rounds, iters, base, cand);
        (m, lo, hi)
    }

    /// The ratio quartiles, the median of the per-round differences `row - baseline` per
    /// call in nanoseconds (the Healthie goal at 1 KiB is in ns over its floor) and the
    /// median time of the baseline per call.
    fn median_ratio_and_delta(
        rounds: usize,
        iters: u32,
        base: &mut dyn FnMut(),
        cand: &mut dyn FnMut(),
    ) -> (f64, f64, f64, f64, f64) {
        let mut ratios = Vec::with_capacity(rounds);
        let mut deltas = Vec::with_capacity(rounds);
        let mut bases = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let b = time_batch(iters, base);
            let c = time_batch(iters, cand);
            let b2 = time_batch(iters, base);
            let base_time = (b + b2) / 2.0;
            ratios.push(c / base_time);
            deltas.push((c - base_time) * 1e9 / f64::from(iters));
            bases.push(base_time * 1e9 / f64::from(iters));
        }
        for v in [&mut ratios, &mut deltas, &mut bases] {
            v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        }
        let q = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p) as usize];
        (
            q(&ratios, 0.5),
            q(&ratios, 0.25),
            q(&ratios, 0.75),
            q(&deltas, 0.5),
            q(&bases, 0.5),
        )
    }

    println!("\npaired ratios (median [p25, p75] of per-round time ratios)");
    println!("goals are judged against bare-hmac (keyed per call); bare-hmac-prekeyed is stricter");
    for (label, len) in [
        ("1KiB", 1024usize),
        ("64KiB", 64 * 1024),
        ("1MiB", 1024 * 1024),
    ] {
        let body = body_of(len);
        let shared = Bytes::from(body.clone());
        let iters: u32 = match len {
            1024 => 2000,
            65536 => 40,
            _ => 3,
        };
        let rounds = 150;
        let tag = {
            let mut m = Hmac::new_from_slice(SECRET.as_bytes()).unwrap();
            m.update(&body);
            m.finalize().into_bytes()
        };
        let mut bare_hmac = || {
            let mut m = Hmac::new_from_slice(black_box(SECRET.as_bytes())).unwrap();
            m.update(black_box(&body));
            m.verify_slice(black_box(&tag)).unwrap();
        };
        let prekeyed = Hmac::new_from_slice(SECRET.as_bytes()).unwrap();
        let mut bare_prekeyed = || {
            let mut m = black_box(&prekeyed).clone();
            m.update(black_box(&body));
            m.verify_slice(black_box(&tag)).unwrap();
        };
        let mut bare_sha = || {
            black_box(Sha256::digest(black_box(&body)));
        };

        let hedy_h = map(hedy::sign(SECRET, &body));
        let hedy_v = hedy::Verifier::new(SECRET);
        let speakr_h = map(speakr::sign(SECRET, &body));
        let speakr_v = speakr::Verifier::new(SECRET);
        let generic_h = map(generic::sign(SECRET, &body));
        let generic_v = generic::Verifier::new(SECRET);
        let heilo_h = map(heilo::sign(SECRET, NOW, &body));
        let heilo_v = heilo::Verifier::new(SECRET).with_clock(ManualClock::new(NOW));
        let healthie_v =
            healthie::Verifier::new(SECRET, "POST", PATH).with_clock(ManualClock::new(NOW));
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

        if std::env::var_os("WEBHOOK_VERIFY_FLOOR_ONLY").is_none() {
            // The baseline itself on the crates of the figures before issue 17.
            let mut bare_hmac_012 = || {
                use hmac::Mac as _;
                let mut m =
                    hmac::Hmac::<sha2::Sha256>::new_from_slice(black_box(SECRET.as_bytes()))
                        .unwrap();
                m.update(black_box(&body));
                m.verify_slice(black_box(&tag)).unwrap();
            };
            let (m, lo, hi, delta, base_ns) =
                median_ratio_and_delta(rounds, iters, &mut bare_hmac, &mut bare_hmac_012);
            println!(
                "{label:>6} {:<28} vs bare-hmac {m:.3} [{lo:.3}, {hi:.3}]  ({delta:+.0} ns on {base_ns:.0} ns)",
                "bare-hmac (hmac 0.12)"
            );
        }
        // `WEBHOOK_VERIFY_ROWS=hedy,speakr` runs only the rows whose name starts with one of
        // the given prefixes (the floor rows are `healthie-auto-<dialect>/floor`; the
        // baselines are always measured).
        let rows = std::env::var("WEBHOOK_VERIFY_ROWS").ok();
        let wanted = |name: &str| {
            rows.as_deref()
                .is_none_or(|rows| rows.split(',').any(|p| name.starts_with(p)))
        };
        let mut report = |name: &str, f: &mut dyn FnMut(), vs_sha: bool| {
            if !wanted(name) {
                return;
            }
            let (m, lo, hi) = median_ratio(rounds, iters, &mut bare_hmac, f);
            let mut line = format!("{label:>6} {name:<28} vs bare-hmac {m:.3} [{lo:.3}, {hi:.3}]");
            let (m, lo, hi) = median_ratio(rounds, iters, &mut bare_prekeyed, f);
            line.push_str(&format!(
                "  vs bare-hmac-prekeyed {m:.3} [{lo:.3}, {hi:.3}]"
            ));
            if vs_sha {
                let (m, lo, hi) = median_ratio(rounds, iters, &mut bare_sha, f);
                line.push_str(&format!("  vs bare-sha256 {m:.3} [{lo:.3}, {hi:.3}]"));
            }
            println!("{line}");
        };
        // Each scheme three ways: `verify` (borrows the body), `verify` + `into_owned`
        // (copies the body into the result) and `verify_bytes` (takes a `Bytes`).
        macro_rules! three {
            ($name:literal, $v:expr, $h:expr, $vs_sha:expr) => {
                report(
                    $name,
                    &mut || {
                        black_box($v.verify(&$h, &body).unwrap());
                    },
                    $vs_sha,
                );
                report(
                    concat!($name, "-owned"),
                    &mut || {
                        black_box($v.verify(&$h, &body).unwrap().into_owned());
                    },
                    $vs_sha,
                );
                report(
                    concat!($name, "-bytes"),
                    &mut || {
                        black_box($v.verify_bytes(&$h, shared.clone()).unwrap());
                    },
                    $vs_sha,
                );
            };
        }
        let floor_only = std::env::var_os("WEBHOOK_VERIFY_FLOOR_ONLY").is_some();
        if !floor_only {
            three!("hedy", hedy_v, hedy_h, false);
            three!("speakr", speakr_v, speakr_h, false);
            three!("generic", generic_v, generic_h, false);
            three!("heilo", heilo_v, heilo_h, false);
            three!("healthie-auto-legacy", healthie_v, hl, true);
            three!("healthie-auto-guide", healthie_v, hg, true);
            three!("healthie-auto-rfc9421", healthie_v, hr, true);

            // The floor for Healthie: SHA-256 of the body plus an HMAC (pre-keyed) of the exact
            // signature base that matched, and nothing else. No verifier can be faster.
        }
        for (name, headers, dialect) in [
            ("floor-healthie-legacy", &hl, Dialect::Legacy),
            ("floor-healthie-guide", &hg, Dialect::Guide),
            ("floor-healthie-rfc9421", &hr, Dialect::Rfc9421),
        ] {
            let base = healthie_v
                .signature_bases(headers, &body)
                .into_iter()
                .find(|b| b.dialect == dialect)
                .unwrap()
                .base;
            let mut floor = || {
                black_box(Sha256::digest(black_box(&body)));
                let mut m = black_box(&prekeyed).clone();
                m.update(black_box(base.as_bytes()));
                black_box(m.finalize());
            };
            if !floor_only {
                report(name, &mut floor, true);
            }
            // Healthie Auto against its own floor, paired directly.
            let auto_name = name.replace("floor-healthie-", "healthie-auto-");
            if !wanted(&format!("{auto_name}/floor")) {
                continue;
            }
            let (m, lo, hi, delta, floor_ns) =
                median_ratio_and_delta(rounds, iters, &mut floor, &mut || {
                    black_box(healthie_v.verify(headers, &body).unwrap());
                });
            println!(
                "{label:>6} {:<28} vs its floor {m:.3} [{lo:.3}, {hi:.3}]  over it {delta:.0} ns (floor {floor_ns:.0} ns)",
                format!("{auto_name}/floor")
            );
        }
    }
}

criterion_group!(benches, bench);

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then only
    // criterion's quick test mode runs.
    let is_bench = std::env::args().any(|a| a == "--bench");
    let only_paired = std::env::var_os("WEBHOOK_VERIFY_PAIRED_ONLY").is_some();
    if !only_paired {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
    if is_bench {
        paired_ratios();
    }
}
