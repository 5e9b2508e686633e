//! Parsing and rendering a two-hour meeting's WebVTT (2,000 cues, generated here) against
//! `webvtt-parser`, and the memory of the parsed transcript against the size of the text.
//!
//! Run with `cargo bench -p meeting-sdks-transcripts --bench webvtt`
//! (`TRANSCRIPTS_PAIRED_ONLY=1` skips criterion and runs only the paired ratios and the
//! memory figures).
//!
//! The baseline: `webvtt-parser` (1.4), the crate a user searching crates.io for a WebVTT
//! parser finds first by name. Among the candidates (`webvtt-parser`, `subtp`, `vtt`,
//! `webvtt`, `aspasia`), it is the one released in the 1.x series on a current edition
//! (2024), focused on WebVTT alone, and it parses cue settings, identifiers, `NOTE` and
//! `STYLE` blocks; `webvtt` is a 0.2 "bare-bones" parser, `subtp` and `aspasia` are general
//! subtitle libraries, `vtt` is a serde data model. It offers a borrowed result
//! (`Vtt::parse`, cue text as slices of the input) and an owned one (`OwnedVtt::parse`);
//! our `vtt::parse` returns owned data, so the owned form is the like-for-like baseline and
//! the borrowed one is shown too. It leaves the cue text as written (voice tags and
//! references in place), while ours extracts the speaker and decodes the text: ours does
//! more work per cue.
//!
//! Rendering: `vtt::render` of the parsed transcript against `webvtt-parser`'s `Display` of
//! its parsed file.
//!
//! After criterion, a paired measurement alternates batches of the baseline and of ours
//! and prints the median of the per-round time ratios (ours / theirs: below 1 is faster),
//! robust when other work shares the machine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion, Throughput};
use transcripts::{vtt, Segment, Transcript};

const CUES: usize = 2000;
const MEETING_MS: u64 = 2 * 3600 * 1000;

/// A deterministic pseudo-random sequence (no dependency needed for test data).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn timestamp(ms: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// Two hours, 2,000 cues, four speakers: numbered cues with `<v Speaker>` voice spans,
/// one or two lines of text, now and then a character reference, an italic span or cue
/// settings, and a `NOTE` at the top, as AI scribes and meeting tools write them.
fn meeting_vtt() -> String {
    const SPEAKERS: [&str; 4] = ["Dana Reyes", "Ari Client", "Dr. Maria Okafor", "Sam Lee"];
    const WORDS: [&str; 24] = [
        "the", "plan", "we", "agreed", "on", "sleep", "routine", "is", "working", "better", "than",
        "last", "week", "and", "I", "think", "dosage", "should", "stay", "the", "same", "for",
        "now", "okay",
    ];
    let mut rng = Lcg(42);
    let mut out = String::from("WEBVTT\n\nNOTE generated for the benchmark\n\n");
    let step = MEETING_MS / CUES as u64;
    for i in 0..CUES {
        let start = i as u64 * step + rng.next(200) as u64;
        let end = (i as u64 + 1) * step - rng.next(150) as u64;
        out.push_str(&format!(
            "{}\n{} --> {}",
            i + 1,
            timestamp(start),
            timestamp(end)
        ));
        if rng.next(10) == 0 {
            out.push_str(" align:start position:10%");
        }
        out.push('\n');
        out.push_str(&format!("<v {}>", SPEAKERS[rng.next(SPEAKERS.len())]));
        let lines = 1 + rng.next(2);
        for l in 0..lines {
            if l > 0 {
                out.push('\n');
            }
            let words = 6 + rng.next(8);
            for w in 0..words {
                if w > 0 {
                    out.push(' ');
                }
                match rng.next(40) {
                    0 => out.push_str("R&amp;D"),
                    1 => out.push_str("<i>really</i>"),
                    _ => out.push_str(WORDS[rng.next(WORDS.len())]),
                }
            }
            out.push('.');
        }
        out.push_str("\n\n");
    }
    out
}

/// Heap bytes of a transcript: the segment vector's buffer and every string's buffer.
fn heap_bytes(t: &Transcript) -> usize {
    t.segments.capacity() * std::mem::size_of::<Segment>()
        + t.segments
            .iter()
            .map(|s| s.text.capacity() + s.speaker.as_ref().map_or(0, String::capacity))
            .sum::<usize>()
        + t.language.as_ref().map_or(0, String::capacity)
}

/// Heap bytes of `webvtt-parser`'s owned result, counted the same way (its map of header
/// fields is empty here).
fn their_heap_bytes(v: &webvtt_parser::OwnedVtt) -> usize {
    v.cues.capacity() * std::mem::size_of::<webvtt_parser::OwnedVttCue>()
        + v.cues
            .iter()
            .map(|c| {
                c.text.capacity()
                    + c.name.as_ref().map_or(0, String::capacity)
                    + c.note.as_ref().map_or(0, String::capacity)
            })
            .sum::<usize>()
        + v.style.as_ref().map_or(0, String::capacity)
}

fn bench(c: &mut Criterion) {
    let input = meeting_vtt();
    let ours = vtt::parse(&input).unwrap();
    let theirs = webvtt_parser::Vtt::parse(&input).unwrap();
    assert_eq!(ours.segments.len(), CUES);
    assert_eq!(theirs.cues.len(), CUES);

    let mut group = c.benchmark_group("webvtt/parse-2h");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.warm_up_time(Duration::from_millis(700));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("transcripts::vtt::parse", |b| {
        b.iter(|| vtt::parse(black_box(&input)).unwrap())
    });
    group.bench_function("webvtt_parser::OwnedVtt::parse", |b| {
        b.iter(|| webvtt_parser::OwnedVtt::parse(black_box(&input)).unwrap())
    });
    group.bench_function("webvtt_parser::Vtt::parse (borrowed)", |b| {
        b.iter(|| webvtt_parser::Vtt::parse(black_box(&input)).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("webvtt/render-2h");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.warm_up_time(Duration::from_millis(700));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("transcripts::vtt::render", |b| {
        b.iter(|| vtt::render(black_box(&ours)).unwrap())
    });
    group.bench_function("webvtt_parser::Vtt Display", |b| {
        b.iter(|| black_box(&theirs).to_string())
    });
    group.finish();
}

fn time_batch(iters: u32, f: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_secs_f64()
}

/// Median [p25, p75] of per-round ratios `candidate / baseline`, with the baseline run
/// before and after each candidate batch; and the median seconds per call of each.
fn paired(
    rounds: usize,
    iters: u32,
    base: &mut dyn FnMut(),
    cand: &mut dyn FnMut(),
) -> (f64, f64, f64, f64, f64) {
    let mut ratios = Vec::with_capacity(rounds);
    let mut base_times = Vec::with_capacity(rounds);
    let mut cand_times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let b = time_batch(iters, base);
        let c = time_batch(iters, cand);
        let b2 = time_batch(iters, base);
        let bt = (b + b2) / 2.0;
        ratios.push(c / bt);
        base_times.push(bt / f64::from(iters));
        cand_times.push(c / f64::from(iters));
    }
    for v in [&mut ratios, &mut base_times, &mut cand_times] {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    }
    let q = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p) as usize];
    (
        q(&ratios, 0.5),
        q(&ratios, 0.25),
        q(&ratios, 0.75),
        q(&cand_times, 0.5),
        q(&base_times, 0.5),
    )
}

fn paired_ratios() {
    let input = meeting_vtt();
    let ours = vtt::parse(&input).unwrap();
    let theirs = webvtt_parser::Vtt::parse(&input).unwrap();
    let (rounds, iters) = (60, 5);

    println!(
        "\nwebvtt, two-hour meeting: {} cues, {} bytes ({:.1} KiB)",
        ours.segments.len(),
        input.len(),
        input.len() as f64 / 1024.0
    );
    println!("paired ratios ours/theirs (median [p25, p75] of {rounds} rounds; < 1 is faster)");
    let report = |name: &str, base: &mut dyn FnMut(), cand: &mut dyn FnMut()| {
        let (m, lo, hi, c, b) = paired(rounds, iters, base, cand);
        println!(
            "  {name:<58} {m:.3} [{lo:.3}, {hi:.3}]  ours {:.0} µs, theirs {:.0} µs",
            c * 1e6,
            b * 1e6
        );
    };
    report(
        "parse: vtt::parse vs OwnedVtt::parse (owned, like for like)",
        &mut || {
            black_box(webvtt_parser::OwnedVtt::parse(black_box(&input)).unwrap());
        },
        &mut || {
            black_box(vtt::parse(black_box(&input)).unwrap());
        },
    );
    report(
        "parse: vtt::parse vs Vtt::parse (borrowed slices)",
        &mut || {
            black_box(webvtt_parser::Vtt::parse(black_box(&input)).unwrap());
        },
        &mut || {
            black_box(vtt::parse(black_box(&input)).unwrap());
        },
    );
    report(
        "render: vtt::render vs Vtt Display",
        &mut || {
            black_box(black_box(&theirs).to_string());
        },
        &mut || {
            black_box(vtt::render(black_box(&ours)).unwrap());
        },
    );

    let ours_heap = heap_bytes(&ours);
    let theirs_owned = webvtt_parser::OwnedVtt::parse(&input).unwrap();
    let theirs_heap = their_heap_bytes(&theirs_owned);
    let text_bytes: usize = ours.segments.iter().map(|s| s.text.len()).sum();
    println!(
        "memory (heap bytes of the parsed result; input {} bytes)",
        input.len()
    );
    println!(
        "  ours   {ours_heap:>8} bytes = {:.2} × the input ({} segments × {} bytes + {} bytes of text and speakers; {} bytes of decoded text)",
        ours_heap as f64 / input.len() as f64,
        ours.segments.capacity(),
        std::mem::size_of::<Segment>(),
        ours_heap - ours.segments.capacity() * std::mem::size_of::<Segment>(),
        text_bytes,
    );
    println!(
        "  theirs {theirs_heap:>8} bytes = {:.2} × the input (OwnedVtt: {} cues × {} bytes + strings)",
        theirs_heap as f64 / input.len() as f64,
        theirs_owned.cues.capacity(),
        std::mem::size_of::<webvtt_parser::OwnedVttCue>(),
    );
}

criterion_group!(benches, bench);

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then only
    // criterion's quick test mode runs.
    let is_bench = std::env::args().any(|a| a == "--bench");
    if std::env::var_os("TRANSCRIPTS_PAIRED_ONLY").is_none() {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
    if is_bench {
        paired_ratios();
    }
}
