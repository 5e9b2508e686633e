//! One rate-limiter decision in Redis (`RedisLimiter::acquire`: an overall quota and a class,
//! one Lua script) against the same decision by the local `GcraLimiter`, on a loopback Redis
//! (`REDIS_URL`, default `redis://127.0.0.1:6379/`). The quotas are so large that no decision
//! ever waits: what is measured is the decision itself.
//!
//! After criterion, a paired measurement alternates batches of both and prints the median
//! per-round ratio, and the round trips per decision counted by Redis itself (`INFO
//! commandstats`: every command a client sent, none of those a script ran).
//! `REDIS_BENCH_PAIRED_ONLY=1` runs only that part.
//!
//! Run: `cargo bench -p client-core --features redis --bench redis`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::{Duration, Instant};

use client_core::{GcraLimiter, Quota, RateLimiter, RedisLimiter};
use criterion::{criterion_group, Criterion};
use tokio::runtime::Runtime;

fn url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned())
}

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
    let redis = RedisLimiter::builder(url(), prefix)
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

/// Commands clients sent to Redis so far (scripts' own calls excluded).
async fn client_commands(conn: &mut redis::aio::MultiplexedConnection) -> u64 {
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query_async(conn)
        .await
        .unwrap();
    info.lines()
        .filter(|l| {
            ["cmdstat_evalsha:", "cmdstat_eval:", "cmdstat_script|load:"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .filter_map(|l| {
            l.split(&[':', ','][..])
                .find_map(|f| f.strip_prefix("calls="))
                .and_then(|n| n.parse::<u64>().ok())
        })
        .sum()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn paired() {
    let rt = Runtime::new().unwrap();
    rt.block_on(async {
        let (local, redis) = limiters();
        let client = redis::Client::open(url()).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        // Warm up (connect, load the script).
        for _ in 0..200 {
            redis.acquire(Some("search")).await.unwrap();
        }
        let (local_batch, redis_batch, rounds) = (20_000u32, 500u32, 41);
        let (mut ratios, mut local_ns, mut redis_ns) = (Vec::new(), Vec::new(), Vec::new());
        let (mut ping_ns, mut over_ping) = (Vec::new(), Vec::new());
        let before = client_commands(&mut conn).await;
        for _ in 0..rounds {
            let t = Instant::now();
            for _ in 0..local_batch {
                local.acquire(Some("search")).await.unwrap();
            }
            let l = t.elapsed().as_nanos() as f64 / f64::from(local_batch);
            let t = Instant::now();
            for _ in 0..redis_batch {
                redis.acquire(Some("search")).await.unwrap();
            }
            let r = t.elapsed().as_nanos() as f64 / f64::from(redis_batch);
            // The floor: a bare PING round trip on a connection of its own.
            let t = Instant::now();
            for _ in 0..redis_batch {
                let _: String = redis::cmd("PING").query_async(&mut conn).await.unwrap();
            }
            let p = t.elapsed().as_nanos() as f64 / f64::from(redis_batch);
            ping_ns.push(p);
            over_ping.push(r / p);
            ratios.push(r / l);
            local_ns.push(l);
            redis_ns.push(r);
        }
        // The INFO call itself is not counted (it is not in the filter).
        let sent = client_commands(&mut conn).await - before;
        let decisions = u64::from(redis_batch) * rounds as u64;
        println!(
            "paired limiter decision (overall + class), {rounds} rounds: local {:.0} ns, redis {:.1} µs, ratio redis/local {:.0}, round trips per decision {:.3}; a bare PING {:.1} µs, redis/PING {:.2}",
            median(local_ns),
            median(redis_ns) / 1000.0,
            median(ratios),
            sent as f64 / decisions as f64,
            median(ping_ns) / 1000.0,
            median(over_ping)
        );
    });
}

criterion_group!(benches, bench);

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then only
    // criterion's quick test mode runs.
    let is_bench = std::env::args().any(|a| a == "--bench");
    if std::env::var_os("REDIS_BENCH_PAIRED_ONLY").is_none() {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
    if is_bench {
        paired();
    }
}
