//! The paired benchmark of a local operation against its Redis counterpart, shared by the
//! Redis benches of client-core and webhook-verify (feature `redis-bench`).
//!
//! Batches of the two alternate for a number of rounds and the figure is the median of the
//! per-round ratios, so that a busy machine slows both sides of a round alike. A bare `PING`
//! round trip is measured in the same rounds as the floor of any Redis operation.
//!
//! **Commands per operation** are counted by Redis itself, in a phase of their own after the
//! timed rounds, so they need a server nobody else uses (`REDIS_BENCH_URL`; see
//! [`bench_url`]). Two figures, because Redis counts the commands a Lua script runs like
//! those a client sends (both `INFO commandstats` and `INFO stats`'
//! `total_commands_processed` count `EVALSHA` and, once more, every `redis.call` inside it):
//!
//! - **round trips**: commands the clients sent, read from a `MONITOR` connection, which
//!   tags each command with its origin (a client's address, or `lua` for a script's). A
//!   pipeline would count each of its commands.
//! - **commands executed**: the change in the sum of every `cmdstat_*` `calls` of
//!   `INFO commandstats`, less the one `INFO` the count itself sends between its two
//!   snapshots: client commands and script commands alike.
//!
//! Both also appear per command name. When executed ≠ round trips + script commands, some
//! other client used the server during the count, and the bench says so.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::time::Instant;

/// The Redis the benches use: `REDIS_BENCH_URL`, else `REDIS_URL`, else
/// `redis://127.0.0.1:6379/`. The command counts are exact only on a server nobody else uses
/// while the bench runs (a dedicated `redis-server` on another port).
pub fn bench_url() -> String {
    std::env::var("REDIS_BENCH_URL")
        .or_else(|_| std::env::var("REDIS_URL"))
        .unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned())
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
#[derive(Debug, Clone)]
pub struct Paired {
    /// Rounds run.
    pub rounds: usize,
    /// One local operation, in nanoseconds.
    pub local_ns: f64,
    /// One Redis operation, in nanoseconds.
    pub redis_ns: f64,
    /// Redis / local, median of the per-round ratios.
    pub ratio: f64,
    /// What Redis counted over the operations of the counting phase.
    pub commands: Commands,
    /// One bare `PING` round trip, in nanoseconds.
    pub ping_ns: f64,
    /// Redis operation / `PING`, median of the per-round ratios.
    pub over_ping: f64,
}

impl fmt::Display for Paired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} rounds: local {:.0} ns, redis {:.1} µs, ratio redis/local {:.0}; a bare PING \
             {:.1} µs, redis/PING {:.2}; {}",
            self.rounds,
            self.local_ns,
            self.redis_ns / 1000.0,
            self.ratio,
            self.ping_ns / 1000.0,
            self.over_ping,
            self.commands
        )
    }
}

const ROUNDS: usize = 41;
const LOCAL_BATCH: u32 = 20_000;
const REDIS_BATCH: u32 = 500;
/// Operations in the counting phase.
const COUNTED: u32 = 1_000;

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
    let commands = count_commands(&client, &mut conn, COUNTED, &mut redis).await;
    rounds.summary(commands)
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

    fn summary(self, commands: Commands) -> Paired {
        Paired {
            rounds: self.local.len(),
            local_ns: median(self.local),
            redis_ns: median(self.redis),
            ratio: median(self.ratio),
            commands,
            ping_ns: median(self.ping),
            over_ping: median(self.over_ping),
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Commands Redis counted over `operations` operations (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Commands {
    /// Operations counted.
    pub operations: u32,
    /// Commands the clients sent, per command name (lower case), over all the operations.
    pub sent: BTreeMap<String, u64>,
    /// Commands Lua scripts ran, per command name, over all the operations.
    pub scripted: BTreeMap<String, u64>,
    /// Commands executed according to `INFO commandstats`, over all the operations.
    pub executed: u64,
}

impl Commands {
    /// Commands the clients sent per operation: the round trips.
    pub fn round_trips(&self) -> f64 {
        self.sent.values().sum::<u64>() as f64 / f64::from(self.operations)
    }

    /// Commands executed per operation, those run by scripts included.
    pub fn executed(&self) -> f64 {
        self.executed as f64 / f64::from(self.operations)
    }

    /// Whether `INFO commandstats` saw exactly the commands `MONITOR` saw, i.e. nobody else
    /// used the server during the count.
    pub fn consistent(&self) -> bool {
        self.sent.values().sum::<u64>() + self.scripted.values().sum::<u64>() == self.executed
    }
}

impl fmt::Display for Commands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let per_op = |m: &BTreeMap<String, u64>| {
            m.iter()
                .map(|(name, n)| format!("{name} {:.3}", *n as f64 / f64::from(self.operations)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(
            f,
            "per operation ({} counted): round trips {:.3} ({}), commands executed {:.3} (scripts \
             ran: {})",
            self.operations,
            self.round_trips(),
            per_op(&self.sent),
            self.executed(),
            per_op(&self.scripted)
        )?;
        if !self.consistent() {
            write!(
                f,
                " [INCONSISTENT: another client used the server; use a dedicated one]"
            )?;
        }
        Ok(())
    }
}

/// Runs `operations` operations between two `INFO commandstats` snapshots taken on `conn`,
/// with a `MONITOR` connection listening. The monitor feed is read from the first snapshot's
/// `INFO` to the second's: every line in between is an operation's command, from a client or
/// (tagged `lua`) from a script.
async fn count_commands<R, RF>(
    client: &::redis::Client,
    conn: &mut ::redis::aio::MultiplexedConnection,
    operations: u32,
    redis: &mut R,
) -> Commands
where
    R: FnMut() -> RF,
    RF: Future<Output = ()>,
{
    use futures::StreamExt as _;

    let own: String = ::redis::cmd("CLIENT")
        .arg("INFO")
        .query_async(conn)
        .await
        .unwrap();
    let own_addr = own
        .split_whitespace()
        .find_map(|f| f.strip_prefix("addr="))
        .unwrap()
        .to_owned();
    let mut monitor = client.get_async_monitor().await.unwrap();
    let before = executed_so_far(conn).await;
    for _ in 0..operations {
        redis().await;
    }
    let after = executed_so_far(conn).await;
    let mut out = Commands {
        operations,
        // The first snapshot's INFO is counted in the second.
        executed: after - before - 1,
        ..Commands::default()
    };
    let mut lines = monitor.on_message::<String>();
    let mut markers = 0;
    while markers < 2 {
        let line = lines.next().await.unwrap();
        let Some((origin, command)) = monitor_line(&line) else {
            continue;
        };
        if origin == own_addr {
            // Only this function's INFO calls come from `conn`.
            markers += 1;
        } else if markers == 1 {
            let tally = if origin == "lua" {
                &mut out.scripted
            } else {
                &mut out.sent
            };
            *tally.entry(command).or_default() += 1;
        }
    }
    out
}

/// The origin (`lua` or a client's address) and the lower-case command name of a `MONITOR`
/// line, `<time> [<db> <origin>] "<command>" "<arg>"…`.
fn monitor_line(line: &str) -> Option<(&str, String)> {
    let (_, rest) = line.split_once('[')?;
    let (tag, rest) = rest.split_once(']')?;
    let origin = tag.split_whitespace().nth(1)?;
    let command = rest.trim_start().strip_prefix('"')?.split('"').next()?;
    Some((origin, command.to_ascii_lowercase()))
}

/// Commands executed so far: the sum of every `calls` in `INFO commandstats`.
async fn executed_so_far(conn: &mut ::redis::aio::MultiplexedConnection) -> u64 {
    let info: String = ::redis::cmd("INFO")
        .arg("commandstats")
        .query_async(conn)
        .await
        .unwrap();
    info.lines()
        .filter(|l| l.starts_with("cmdstat_"))
        .filter_map(|l| {
            l.split(&[':', ','][..])
                .find_map(|f| f.strip_prefix("calls="))
                .and_then(|n| n.parse::<u64>().ok())
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::monitor_line;

    #[test]
    fn reads_monitor_lines() {
        assert_eq!(
            monitor_line(r#"1796616951.184511 [0 127.0.0.1:60842] "EVALSHA" "ab" "1""#),
            Some(("127.0.0.1:60842", "evalsha".to_owned()))
        );
        assert_eq!(
            monitor_line(r#"1796616951.184560 [3 lua] "hget" "k" "f""#),
            Some(("lua", "hget".to_owned()))
        );
        assert_eq!(monitor_line("OK"), None);
    }
}
