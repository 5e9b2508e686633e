//! The paired benchmark of a local operation against its Redis counterpart, shared by the
//! Redis benches of client-core and webhook-verify (feature `redis-bench`).
//!
//! Batches of the two alternate for a number of rounds and the figure is the median of the
//! per-round ratios, so that a busy machine slows both sides of a round alike. A bare `PING`
//! round trip is measured in the same rounds as the floor of any Redis operation, and the
//! round trips per operation are counted by Redis itself (`INFO commandstats`: every script
//! call a client sent, none of the commands a script ran).

use std::fmt;
use std::future::Future;
use std::time::Instant;

/// The Redis the benches use: `REDIS_URL`, by default `redis://127.0.0.1:6379/`.
pub fn bench_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned())
}

/// Runs a bench binary: criterion's part (unless `REDIS_BENCH_PAIRED_ONLY` is set), then the
/// paired part, only under `cargo bench` (which passes `--bench`; `cargo test --benches`
/// does not, and then only criterion's quick test mode runs).
pub fn run(criterion: impl FnOnce(), paired: impl FnOnce()) {
    let is_bench = std::env::args().any(|a| a == "--bench");
    if std::env::var_os("REDIS_BENCH_PAIRED_ONLY").is_none() {
        criterion();
    }
    if is_bench {
        paired();
    }
}

/// What [`paired`] measured: medians over the rounds.
#[derive(Debug, Clone, Copy)]
pub struct Paired {
    /// Rounds run.
    pub rounds: usize,
    /// One local operation, in nanoseconds.
    pub local_ns: f64,
    /// One Redis operation, in nanoseconds.
    pub redis_ns: f64,
    /// Redis / local, median of the per-round ratios.
    pub ratio: f64,
    /// Script calls Redis received per Redis operation.
    pub round_trips: f64,
    /// One bare `PING` round trip, in nanoseconds.
    pub ping_ns: f64,
    /// Redis operation / `PING`, median of the per-round ratios.
    pub over_ping: f64,
}

impl fmt::Display for Paired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} rounds: local {:.0} ns, redis {:.1} µs, ratio redis/local {:.0}, round trips per \
             operation {:.3}; a bare PING {:.1} µs, redis/PING {:.2}",
            self.rounds,
            self.local_ns,
            self.redis_ns / 1000.0,
            self.ratio,
            self.round_trips,
            self.ping_ns / 1000.0,
            self.over_ping
        )
    }
}

const ROUNDS: usize = 41;
const LOCAL_BATCH: u32 = 20_000;
const REDIS_BATCH: u32 = 500;

/// Alternates batches of `local` and `redis` operations (after a warm-up that connects and
/// loads the scripts) with `PING`s on a connection of their own.
pub async fn paired<L, LF, R, RF>(mut local: L, mut redis: R) -> Paired
where
    L: FnMut() -> LF,
    LF: Future<Output = ()>,
    R: FnMut() -> RF,
    RF: Future<Output = ()>,
{
    let client = ::redis::Client::open(bench_url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    for _ in 0..200 {
        redis().await;
    }
    let mut rounds = Rounds::default();
    let before = script_calls(&mut conn).await;
    for _ in 0..ROUNDS {
        let l = per_op(LOCAL_BATCH, &mut local).await;
        let r = per_op(REDIS_BATCH, &mut redis).await;
        // A multiplexed connection is a cheap handle: a clone per PING costs nanoseconds.
        let p = per_op(REDIS_BATCH, || {
            let mut conn = conn.clone();
            async move {
                let _: String = ::redis::cmd("PING").query_async(&mut conn).await.unwrap();
            }
        })
        .await;
        rounds.push(l, r, p);
    }
    // The INFO call itself is not counted (it is not a script call).
    let sent = script_calls(&mut conn).await - before;
    let operations = u64::from(REDIS_BATCH) * ROUNDS as u64;
    rounds.summary(sent as f64 / operations as f64)
}

/// Nanoseconds per operation over a batch of `n`.
async fn per_op<F, Fut>(n: u32, mut op: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let t = Instant::now();
    for _ in 0..n {
        op().await;
    }
    t.elapsed().as_nanos() as f64 / f64::from(n)
}

#[derive(Default)]
struct Rounds {
    local: Vec<f64>,
    redis: Vec<f64>,
    ping: Vec<f64>,
    ratio: Vec<f64>,
    over_ping: Vec<f64>,
}

impl Rounds {
    fn push(&mut self, local: f64, redis: f64, ping: f64) {
        self.local.push(local);
        self.redis.push(redis);
        self.ping.push(ping);
        self.ratio.push(redis / local);
        self.over_ping.push(redis / ping);
    }

    fn summary(self, round_trips: f64) -> Paired {
        Paired {
            rounds: self.local.len(),
            local_ns: median(self.local),
            redis_ns: median(self.redis),
            ratio: median(self.ratio),
            round_trips,
            ping_ns: median(self.ping),
            over_ping: median(self.over_ping),
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Script calls clients sent to Redis so far (`EVALSHA`, `EVAL`, `SCRIPT LOAD`).
async fn script_calls(conn: &mut ::redis::aio::MultiplexedConnection) -> u64 {
    let info: String = ::redis::cmd("INFO")
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
