//! One dedup claim in Redis (`RedisDedup::claim`: one Lua script) against the same claim in
//! `InMemoryDedup`, on a loopback Redis (`REDIS_URL`, default `redis://127.0.0.1:6379/`).
//! Every claim is of a new key, the common case (a delivery seen for the first time).
//!
//! After criterion, a paired measurement alternates batches of both and prints the median
//! per-round ratio, and the round trips per claim counted by Redis itself (`INFO
//! commandstats`: every command a client sent, none of those a script ran).
//! `REDIS_BENCH_PAIRED_ONLY=1` runs only that part.
//!
//! Run: `cargo bench -p webhook-verify --features redis --bench redis_dedup`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use tokio::runtime::Runtime;
use webhook_verify::dedup::redis::RedisDedup;
use webhook_verify::{Claim, DedupStore, InMemoryDedup};

static NEXT: AtomicU64 = AtomicU64::new(0);

fn url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned())
}

fn next_key() -> String {
    format!("speakr:d-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn stores() -> (InMemoryDedup, RedisDedup) {
    let local = InMemoryDedup::new(Duration::from_secs(3600), 100_000);
    let redis = RedisDedup::builder(url())
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
        let (local, redis) = stores();
        let client = redis::Client::open(url()).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        // Warm up (connect, load the script).
        for _ in 0..200 {
            let _ = redis.claim(&next_key()).await.unwrap();
        }
        let (local_batch, redis_batch, rounds) = (20_000u32, 500u32, 41);
        let (mut ratios, mut local_ns, mut redis_ns) = (Vec::new(), Vec::new(), Vec::new());
        let (mut ping_ns, mut over_ping) = (Vec::new(), Vec::new());
        let before = client_commands(&mut conn).await;
        for _ in 0..rounds {
            let t = Instant::now();
            for _ in 0..local_batch {
                let _ = local.claim(&next_key()).await.unwrap();
            }
            let l = t.elapsed().as_nanos() as f64 / f64::from(local_batch);
            let t = Instant::now();
            for _ in 0..redis_batch {
                let _ = redis.claim(&next_key()).await.unwrap();
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
        let sent = client_commands(&mut conn).await - before;
        let claims = u64::from(redis_batch) * rounds as u64;
        println!(
            "paired dedup claim (new key), {rounds} rounds: in-memory {:.0} ns, redis {:.1} µs, ratio redis/in-memory {:.0}, round trips per claim {:.3}; a bare PING {:.1} µs, redis/PING {:.2}",
            median(local_ns),
            median(redis_ns) / 1000.0,
            median(ratios),
            sent as f64 / claims as f64,
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
