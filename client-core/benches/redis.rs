//! One rate-limiter decision in Redis (`RedisLimiter::acquire`: an overall quota and a class,
//! one Lua script) against the same decision by the local `GcraLimiter`, on a loopback Redis
//! (`REDIS_BENCH_URL`, else `REDIS_URL`, else `redis://127.0.0.1:6379/`), which should be a
//! server nobody else uses: the command counts are Redis's own. The quotas are so large that
//! no decision ever waits: what is measured is the decision itself.
//!
//! After criterion, a paired measurement alternates batches of both and prints the median
//! per-round ratio, then counts what one decision costs Redis: the commands the client sent
//! (round trips) and every command executed, those its script ran included (see
//! `test_support::redis_bench`).
//! `REDIS_BENCH_PAIRED_ONLY=1` runs only that part.
//!
//! Run: `cargo bench -p meeting-sdks-core --features redis --bench redis`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use client_core::{GcraLimiter, Quota, RateLimiter, RedisLimiter};
use criterion::{criterion_group, Criterion};
use test_support::redis_bench::{self, bench_url};
use tokio::runtime::Runtime;

/// A quota that never makes a decision wait.
fn unlimited() -> Quota {
    Quota::new(u32::MAX, Duration::from_secs(1))
}

fn limiters() -> (GcraLimiter, RedisLimiter) {
    let local = GcraLimiter::builder()
        .overall(unlimited())
        .class("search", unlimited())
        .build();
    let prefix = format!("bench:{}", std::process::id());
    let redis = RedisLimiter::builder(bench_url(), prefix)
        .overall(unlimited())
        .class("search", unlimited())
        .build()
        .unwrap();
    (local, redis)
}

fn bench(c: &mut Criterion) {
    let rt = Runtime::new().unwrap();
    let (local, redis) = limiters();
    let mut group = c.benchmark_group("limiter-decision");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("local-gcra", |b| {
        b.to_async(&rt)
            .iter(|| async { local.acquire(Some("search")).await.unwrap() })
    });
    group.bench_function("redis", |b| {
        b.to_async(&rt)
            .iter(|| async { redis.acquire(Some("search")).await.unwrap() })
    });
    group.finish();
}

/// Batches of local and Redis decisions alternate (see `test_support::redis_bench`).
fn paired() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let (local, redis) = limiters();
        let p = redis_bench::paired(
            || async { local.acquire(Some("search")).await.unwrap() },
            || async { redis.acquire(Some("search")).await.unwrap() },
        )
        .await;
        println!("paired limiter decision (overall + class), {p}");
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
