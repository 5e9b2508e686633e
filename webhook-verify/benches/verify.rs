//! Verification cost of every scheme against a bare HMAC-SHA256 (and a bare SHA-256) of
//! the same bytes, for 1 KiB, 64 KiB and 1 MiB bodies.
//!
//! Run with `cargo bench -p meeting-sdks-webhook-verify`. Baselines (HMACs with the current
//! `hmac` crate, 0.13 on `sha2` 0.11; SHA-256 with the library's own `sha2`):
//! - `bare-hmac`: `Hmac::new_from_slice(key)`, `update(body)`, `verify_slice(sig)`,
//!   keyed on every call: what a hand-written verifier does. The paired part also measures
//!   it once against the same code on `hmac` 0.12 and `sha2` 0.10, the baseline of the
//!   figures before issue 17.
//! - `bare-hmac-prekeyed`: the same with the key schedule done once outside the loop (a
//!   keyed `Hmac<Sha256>` cloned per call). The verifiers key once at construction too, so
//!   this is the baseline of equal work, **the one the goals are judged against**: it
//!   shows the cost of everything a verifier does besides hashing.
//! - `bare-sha256`: `Sha256::digest(body)`: the floor for Healthie, which hashes the body
//!   for `Content-Digest` and then HMACs only a short signature base.
//!
//! The rows use the verifiers as deployed: the default constructor, with the system clock
//! (Heilo reads it on every delivery, Healthie on every RFC 9421 one), on deliveries signed
//! with the current time. Rows labelled `(manual clock)` use a `ManualClock` instead.
//!
//! `verify` takes `&[u8]` and returns a result that borrows it (no copy); the `-owned` rows
//! add `into_owned()`, which copies the body into the result; `verify_bytes` takes a
//! `Bytes` and does not copy either.
//!
//! After criterion, a paired measurement alternates batches of the baselines and of each
//! row and prints the median per-round ratio with its quartiles (robust when other work
//! shares the CPU) and the ratio of the fastest batches, then each goal as met or missed.
//! `WEBHOOK_VERIFY_PAIRED_ONLY=1 cargo bench -p meeting-sdks-webhook-verify` runs only that part.
//! The paired part ends with Healthie Auto measured directly against its floor (the
//! `healthie-auto-*/floor` rows); `WEBHOOK_VERIFY_FLOOR_ONLY=1` (with `PAIRED_ONLY`) runs
//! only those rows, `WEBHOOK_VERIFY_ROWS=hedy,speakr` only the rows whose names start
//! with one of the prefixes, and `WEBHOOK_VERIFY_SIZES=1KiB` only the sizes named.
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
        let h = map(heilo::sign(SECRET, now_unix(), &body));
        let v = heilo::Verifier::new(SECRET);
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
        let v = healthie::Verifier::new(SECRET, "POST", PATH);
        for (name, dialect) in [
            ("healthie-auto-legacy", Dialect::Legacy),
            ("healthie-auto-guide", Dialect::Guide),
            ("healthie-auto-rfc9421", Dialect::Rfc9421),
        ] {
            let h = map(healthie::sign(
                SECRET,
                dialect,
                "POST",
                PATH,
                &body,
                now_unix(),
            ));
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
            now_unix(),
        ));
        group.bench_function("healthie-auto-rfc9421-bytes", |b| {
            b.iter(|| v.verify_bytes(black_box(&h), shared.clone()).unwrap())
        });
        group.finish();
    }
}

/// The current Unix time, for signing deliveries that the deployed verifiers (system clock)
/// accept.
fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// One row's figures against one baseline: the quartiles of the per-round ratios and the
/// ratio of the fastest batches.
#[derive(Clone, Copy)]
struct Ratio {
    median: f64,
    p25: f64,
    p75: f64,
    /// Fastest candidate batch ÷ fastest baseline batch: the least noisy figure when other
    /// work only ever adds time.
    min: f64,
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.3} [{:.3}, {:.3}] min {:.3}",
            self.median, self.p25, self.p75, self.min
        )
    }
}

fn time_batch(iters: u32, f: &mut dyn FnMut()) -> f64 {
    let start = std::time::Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_secs_f64() / f64::from(iters)
}

fn quantile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p) as usize]
}

/// Interleaved, paired measurement of `cand` against every baseline at once: each round
/// times the baselines, the candidate, then the baselines again in reverse order, so each
/// baseline brackets the candidate symmetrically; a round's ratio divides the candidate by
/// the mean of its baseline's two batches. Returns, per baseline, the ratio figures, the
/// median per-round difference in ns per call and the baseline's median ns per call.
fn measure(
    rounds: usize,
    iters: u32,
    bases: &mut [&mut dyn FnMut()],
    cand: &mut dyn FnMut(),
) -> Vec<(Ratio, f64, f64)> {
    let n = bases.len();
    let mut ratios = vec![Vec::with_capacity(rounds); n];
    let mut deltas = vec![Vec::with_capacity(rounds); n];
    let mut base_times = vec![Vec::with_capacity(rounds); n];
    let mut cand_min = f64::INFINITY;
    let mut base_min = vec![f64::INFINITY; n];
    let mut first = vec![0.0; n];
    for _ in 0..rounds {
        for (i, b) in bases.iter_mut().enumerate() {
            first[i] = time_batch(iters, *b);
        }
        let c = time_batch(iters, cand);
        cand_min = cand_min.min(c);
        for (i, b) in bases.iter_mut().enumerate().rev() {
            let second = time_batch(iters, *b);
            base_min[i] = base_min[i].min(first[i]).min(second);
            let base = (first[i] + second) / 2.0;
            ratios[i].push(c / base);
            deltas[i].push((c - base) * 1e9);
            base_times[i].push(base * 1e9);
        }
    }
    (0..n)
        .map(|i| {
            let r = Ratio {
                median: quantile(&mut ratios[i], 0.5),
                p25: quantile(&mut ratios[i], 0.25),
                p75: quantile(&mut ratios[i], 0.75),
                min: cand_min / base_min[i],
            };
            (
                r,
                quantile(&mut deltas[i], 0.5),
                quantile(&mut base_times[i], 0.5),
            )
        })
        .collect()
}

/// A goal checked at the end of the paired part: a row, its baseline and the bound.
struct Goal {
    size: &'static str,
    row: String,
    baseline: &'static str,
    bound: f64,
    ratio: Ratio,
}

/// The paired part: every row against `bare-hmac` (keyed per call) and
/// `bare-hmac-prekeyed` (keyed once, as the verifiers are), Healthie's also against
/// `bare-sha256`, and Healthie Auto against its floor. The goals are judged against
/// `bare-hmac-prekeyed` (HMAC-hex ≤ 1.05, Heilo ≤ 1.10, on the deployed verifier) and
/// against the floor (Healthie); each goal is printed with the verdict of both the median
/// per-round ratio and the fastest-batch ratio (the latter decides when other work makes the
/// quartiles of the long batches at 64 KiB and 1 MiB wide).
fn paired_ratios() {
    println!("\npaired ratios: median [p25, p75] of per-round ratios, and the fastest-batch ratio");
    println!(
        "goals are judged against bare-hmac-prekeyed (the verifiers key once, at construction)"
    );
    println!("rows without a label use the deployed verifier: default constructor, system clock");
    let floor_only = std::env::var_os("WEBHOOK_VERIFY_FLOOR_ONLY").is_some();
    // `WEBHOOK_VERIFY_ROWS=hedy,speakr` runs only the rows whose name starts with one of the
    // given prefixes (the floor rows are `healthie-auto-<dialect>/floor`; the baselines are
    // always measured).
    let rows = std::env::var("WEBHOOK_VERIFY_ROWS").ok();
    let wanted = |name: &str| {
        rows.as_deref()
            .is_none_or(|rows| rows.split(',').any(|p| name.starts_with(p)))
    };
    // `WEBHOOK_VERIFY_SIZES=1KiB` measures only the sizes named.
    let sizes = std::env::var("WEBHOOK_VERIFY_SIZES").ok();
    let mut goals: Vec<Goal> = Vec::new();
    for (label, len) in [
        ("1KiB", 1024usize),
        ("64KiB", 64 * 1024),
        ("1MiB", 1024 * 1024),
    ] {
        if sizes
            .as_deref()
            .is_some_and(|s| !s.split(',').any(|l| l == label))
        {
            continue;
        }
        let body = body_of(len);
        let shared = Bytes::from(body.clone());
        // Short batches at 1 KiB (about 0.4 ms) and many rounds, so that fewer batches are
        // hit by other work and the fastest batches are clean.
        let (rounds, iters): (usize, u32) = match len {
            1024 => (400, 400),
            65536 => (150, 40),
            _ => (150, 3),
        };
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

        if !floor_only && wanted("bare-hmac") {
            // The per-call baseline on the crates of the figures before issue 17, and the
            // pre-keyed baseline against the per-call one (what keying once saves).
            let mut bare_hmac_012 = || {
                use hmac::Mac as _;
                let mut m =
                    hmac::Hmac::<sha2::Sha256>::new_from_slice(black_box(SECRET.as_bytes()))
                        .unwrap();
                m.update(black_box(&body));
                m.verify_slice(black_box(&tag)).unwrap();
            };
            let r = measure(rounds, iters, &mut [&mut bare_hmac], &mut bare_hmac_012);
            let (ratio, delta, base_ns) = r[0];
            println!(
                "{label:>6} {:<34} vs bare-hmac {ratio}  ({delta:+.0} ns on {base_ns:.0} ns)",
                "bare-hmac (hmac 0.12)"
            );
            let r = measure(rounds, iters, &mut [&mut bare_hmac], &mut bare_prekeyed);
            let (ratio, delta, base_ns) = r[0];
            println!(
                "{label:>6} {:<34} vs bare-hmac {ratio}  ({delta:+.0} ns on {base_ns:.0} ns)",
                "bare-hmac-prekeyed"
            );
        }

        // One row against both HMAC baselines (and bare SHA-256 for Healthie); returns the
        // figures against the pre-keyed baseline.
        let mut report = |name: &str, f: &mut dyn FnMut(), vs_sha: bool| -> Option<Ratio> {
            if !wanted(name) {
                return None;
            }
            let r = if vs_sha {
                measure(
                    rounds,
                    iters,
                    &mut [&mut bare_hmac, &mut bare_prekeyed, &mut bare_sha],
                    f,
                )
            } else {
                measure(rounds, iters, &mut [&mut bare_hmac, &mut bare_prekeyed], f)
            };
            let mut line = format!(
                "{label:>6} {name:<34} vs bare-hmac {}  vs bare-hmac-prekeyed {}  ({:+.0} ns on its {:.0} ns)",
                r[0].0, r[1].0, r[1].1, r[1].2
            );
            if let Some((sha, _, _)) = r.get(2) {
                line.push_str(&format!("  vs bare-sha256 {sha}"));
            }
            println!("{line}");
            Some(r[1].0)
        };
        // Each scheme three ways: `verify` (borrows the body), `verify` + `into_owned`
        // (copies the body into the result) and `verify_bytes` (takes a `Bytes`). Evaluates
        // to the `verify` row's figures against the pre-keyed baseline.
        macro_rules! three {
            ($name:expr, $v:expr, $h:expr, $vs_sha:expr) => {{
                let (v, h) = (&$v, &$h);
                let main = report(
                    $name,
                    &mut || {
                        black_box(v.verify(h, &body).unwrap());
                    },
                    $vs_sha,
                );
                report(
                    &format!("{}-owned", $name),
                    &mut || {
                        black_box(v.verify(h, &body).unwrap().into_owned());
                    },
                    $vs_sha,
                );
                report(
                    &format!("{}-bytes", $name),
                    &mut || {
                        black_box(v.verify_bytes(h, shared.clone()).unwrap());
                    },
                    $vs_sha,
                );
                main
            }};
        }

        // The deployed verifiers read the system clock; deliveries are signed with the
        // current time right before each scheme's rows, which take seconds, well inside
        // the 300 s tolerance.
        let healthie_v = healthie::Verifier::new(SECRET, "POST", PATH);
        let healthie_manual =
            healthie::Verifier::new(SECRET, "POST", PATH).with_clock(ManualClock::new(NOW));
        let healthie_headers =
            |dialect, at| map(healthie::sign(SECRET, dialect, "POST", PATH, &body, at));
        if !floor_only {
            let mut judge = |row: &str, bound: f64, ratio: Option<Ratio>| {
                if let Some(ratio) = ratio {
                    goals.push(Goal {
                        size: label,
                        row: row.to_owned(),
                        baseline: "bare-hmac-prekeyed",
                        bound,
                        ratio,
                    });
                }
            };
            let r = three!(
                "hedy",
                hedy::Verifier::new(SECRET),
                map(hedy::sign(SECRET, &body)),
                false
            );
            judge("hedy", 1.05, r);
            let r = three!(
                "speakr",
                speakr::Verifier::new(SECRET),
                map(speakr::sign(SECRET, &body)),
                false
            );
            judge("speakr", 1.05, r);
            let r = three!(
                "generic",
                generic::Verifier::new(SECRET),
                map(generic::sign(SECRET, &body)),
                false
            );
            judge("generic", 1.05, r);
            let r = three!(
                "heilo",
                heilo::Verifier::new(SECRET),
                map(heilo::sign(SECRET, now_unix(), &body)),
                false
            );
            judge("heilo", 1.10, r);
            let manual = heilo::Verifier::new(SECRET).with_clock(ManualClock::new(NOW));
            let h = map(heilo::sign(SECRET, NOW, &body));
            report(
                "heilo (manual clock)",
                &mut || {
                    black_box(manual.verify(&h, &body).unwrap());
                },
                false,
            );
            for (name, dialect) in [
                ("healthie-auto-legacy", Dialect::Legacy),
                ("healthie-auto-guide", Dialect::Guide),
                ("healthie-auto-rfc9421", Dialect::Rfc9421),
            ] {
                let h = healthie_headers(dialect, now_unix());
                assert_eq!(
                    healthie_v.verify(&h, &body).unwrap().dialect(),
                    Some(dialect)
                );
                three!(name, healthie_v, h, true);
            }
            let h = healthie_headers(Dialect::Rfc9421, NOW);
            report(
                "healthie-auto-rfc9421 (manual clock)",
                &mut || {
                    black_box(healthie_manual.verify(&h, &body).unwrap());
                },
                true,
            );
        }

        // The floor for Healthie: SHA-256 of the body plus an HMAC (pre-keyed) of the exact
        // signature base that matched, and nothing else. No verifier can be faster.
        for (name, dialect) in [
            ("floor-healthie-legacy", Dialect::Legacy),
            ("floor-healthie-guide", Dialect::Guide),
            ("floor-healthie-rfc9421", Dialect::Rfc9421),
        ] {
            let headers = healthie_headers(dialect, now_unix());
            let base = healthie_v
                .signature_bases(&headers, &body)
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
            // Healthie Auto (deployed) against its own floor, paired directly.
            let auto_name = format!(
                "{}/floor",
                name.replace("floor-healthie-", "healthie-auto-")
            );
            if !wanted(&auto_name) {
                continue;
            }
            let r = measure(rounds, iters, &mut [&mut floor], &mut || {
                black_box(healthie_v.verify(&headers, &body).unwrap());
            });
            let (ratio, delta, floor_ns) = r[0];
            println!(
                "{label:>6} {auto_name:<34} vs its floor {ratio}  over it {delta:.0} ns (floor {floor_ns:.0} ns)"
            );
            goals.push(Goal {
                size: label,
                row: auto_name,
                baseline: "its floor",
                bound: if len == 1024 { 1.10 } else { 1.02 },
                ratio,
            });
        }
    }
    println!("\ngoals (median per-round ratio; the fastest-batch ratio beside it)");
    for g in goals {
        let verdict = |x: f64| if x <= g.bound { "met" } else { "missed" };
        println!(
            "{:>6} {:<34} vs {:<18} ≤ {:.2}: {:.3} {}, min {:.3} {}",
            g.size,
            g.row,
            g.baseline,
            g.bound,
            g.ratio.median,
            verdict(g.ratio.median),
            g.ratio.min,
            verdict(g.ratio.min)
        );
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
