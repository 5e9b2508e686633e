//! One dedup claim in Redis (`RedisDedup::claim`: one Lua script) against the same claim in
//! `InMemoryDedup`, on a loopback Redis (`REDIS_BENCH_URL`, else `REDIS_URL`, else
//! `redis://127.0.0.1:6379/`), which should be a server nobody else uses: the command counts
//! are Redis's own. Every claim is of a new key, the common case (a delivery seen for the
//! first time).
//!
//! After criterion, a paired measurement alternates batches of both and prints the median
//! per-round ratio, then counts what one claim costs Redis: the commands the client sent
//! (round trips) and every command executed, those its script ran included (see
//! `test_support::redis_bench`).
//! `REDIS_BENCH_PAIRED_ONLY=1` runs only that part.
//!
//! Run: `cargo bench -p meeting-sdks-webhook-verify --features redis --bench redis_dedup`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{criterion_group, Criterion};
use test_support::redis_bench::{self, bench_url};
use tokio::runtime::Runtime;
use webhook_verify::dedup::redis::RedisDedup;
use webhook_verify::{Claim, DedupStore, InMemoryDedup};

static NEXT: AtomicU64 = AtomicU64::new(0);

fn next_key() -> String {
    format!("speakr:d-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn stores() -> (InMemoryDedup, RedisDedup) {
    let local = InMemoryDedup::new(Duration::from_secs(3600), 100_000);
    let redis = RedisDedup::builder(bench_url())
        .prefix(format!("bench-dedup:{}", std::process::id()))
        .lease(Duration::from_secs(20))
        .build()
        .unwrap();
    (local, redis)
}

fn bench(c: &mut Criterion) {
    let rt = Runtime::new().unwrap();
    let (local, redis) = stores();
    let mut group = c.benchmark_group("dedup-claim");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("in-memory", |b| {
        b.to_async(&rt).iter(|| async {
            assert!(matches!(
                local.claim(&next_key()).await.unwrap(),
                Claim::Acquired(_)
            ))
        })
    });
    group.bench_function("redis", |b| {
        b.to_async(&rt).iter(|| async {
            assert!(matches!(
                redis.claim(&next_key()).await.unwrap(),
                Claim::Acquired(_)
            ))
        })
    });
    group.finish();
}

/// Batches of in-memory and Redis claims of new keys alternate (see
/// `test_support::redis_bench`).
fn paired() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let (local, redis) = stores();
        let p = redis_bench::paired(
            || async {
                let _ = local.claim(&next_key()).await.unwrap();
            },
            || async {
                let _ = redis.claim(&next_key()).await.unwrap();
            },
        )
        .await;
        println!("paired dedup claim (new key; local = in memory), {p}");
    });
}

criterion_group!(benches, bench);

fn main() {
    redis_bench::run(
        || {
            benches();
            Criterion::default().configure_from_args().final_summary();
        },
        paired,
    );
}
