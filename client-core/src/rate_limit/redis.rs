//! A rate limiter whose GCRA cells live in Redis, so that any number of processes share one
//! quota (feature `redis`).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::{RedisError, Script};
use async_trait::async_trait;
use http::HeaderMap;
use tokio::time::Instant;

use super::{pause_from_headers, GcraLimiter, Quota, RateLimiter};
use crate::clock::{Clock, TokioClock};
use crate::{Error, ErrorKind};

/// Default timeout of one Redis call.
///
/// Available with the crate feature `redis`.
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_millis(250);

/// Book a slot: `KEYS` = overall cell, class cell; `ARGV` = overall interval and tolerance,
/// class interval and tolerance (µs; an interval of 0: no such cell). Returns `{1, wait}` with
/// the wait until the booked slot, or `{0, wait}` (nothing booked) while the class is not free.
const ACQUIRE: &str = r#"
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local oi, ot = tonumber(ARGV[1]), tonumber(ARGV[2])
local ci, ct = tonumber(ARGV[3]), tonumber(ARGV[4])
local function load(key)
  local v = redis.call('HMGET', key, 'tat', 'blocked')
  return tonumber(v[1]), tonumber(v[2])
end
local function earliest(tat, blocked, tol)
  local e = now
  if tat and tat - tol > e then e = tat - tol end
  if blocked and blocked > e then e = blocked end
  return e
end
local function commit(key, tat, blocked, slot, interval)
  local base = slot
  if tat and tat > base then base = tat end
  local new = base + interval
  redis.call('HSET', key, 'tat', string.format('%.0f', new))
  local last = new
  if blocked and blocked > last then last = blocked end
  redis.call('PEXPIRE', key, math.floor((last - now) / 1000) + 1000)
end
local ctat, cblocked
if ci > 0 then
  ctat, cblocked = load(KEYS[2])
  local free = earliest(ctat, cblocked, ct)
  if free > now then return {0, free - now} end
end
local slot = now
if oi > 0 then
  local otat, oblocked = load(KEYS[1])
  slot = earliest(otat, oblocked, ot)
  commit(KEYS[1], otat, oblocked, slot, oi)
end
if ci > 0 then commit(KEYS[2], ctat, cblocked, slot, ci) end
return {1, slot - now}
"#;

/// Pause a cell: `KEYS[1]` = the cell, `ARGV[1]` = the pause in µs from Redis's now. Keeps a
/// later pause already set. Returns the pause left in µs.
const BLOCK: &str = r#"
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untl = now + tonumber(ARGV[1])
local v = redis.call('HMGET', KEYS[1], 'tat', 'blocked')
local tat, blocked = tonumber(v[1]), tonumber(v[2])
if blocked and blocked > untl then untl = blocked end
redis.call('HSET', KEYS[1], 'blocked', string.format('%.0f', untl))
local last = untl
if tat and tat > last then last = tat end
redis.call('PEXPIRE', KEYS[1], math.floor((last - now) / 1000) + 1000)
return untl - now
"#;

/// What to do when Redis does not answer in time.
#[derive(Clone)]
enum OnError {
    FailClosed,
    Fallback(Arc<dyn RateLimiter>),
    /// The builder's quotas divided by this many processes (made at build time).
    LocalShare(u32),
}

/// A lazily made, reconnecting connection to one Redis server.
struct Connection {
    client: ::redis::Client,
    timeout: Duration,
    manager: Mutex<Option<ConnectionManager>>,
}

impl Connection {
    fn new(url: &str, timeout: Duration) -> Result<Self, RedisError> {
        Ok(Connection {
            client: ::redis::Client::open(url)?,
            timeout,
            manager: Mutex::new(None),
        })
    }

    /// The manager, made on first use (it needs a running Tokio runtime).
    fn manager(&self) -> Result<ConnectionManager, RedisError> {
        let mut guard = self.manager.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(manager) = &*guard {
            return Ok(manager.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_secs(1));
        let manager = ConnectionManager::new_lazy_with_config(self.client.clone(), config)?;
        *guard = Some(manager.clone());
        Ok(manager)
    }

    /// Run one call with the timeout.
    async fn call<T, F, Fut>(&self, f: F) -> Result<T, String>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = Result<T, RedisError>>,
    {
        let manager = self.manager().map_err(|e| e.to_string())?;
        match tokio::time::timeout(self.timeout, f(manager)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer within {} ms", self.timeout.as_millis())),
        }
    }
}

/// A [`RateLimiter`] whose cells live in Redis: every process that uses the same URL and key
/// prefix shares the quotas.
///
/// Available with the crate feature `redis`.
///
/// # Semantics
/// The same as [`GcraLimiter`]: an optional overall quota and named classes, a request waits
/// until its class allows it and then books the earliest slot of the overall quota, bursts
/// follow the quota's burst (use [`Quota::with_burst_within_quota`] so that no window of the
/// period ever holds more than the vendor's count), and `X-RateLimit-Remaining: 0` pauses the
/// class (or the overall quota) until `X-RateLimit-Reset` for every process. Per-route quotas
/// ([`GcraLimiterBuilder::per_route`](super::GcraLimiterBuilder::per_route)) are not kept
/// here: the route a request names is ignored.
///
/// # How
/// Each decision is one Lua script run by Redis (one round trip): it reads Redis's own clock
/// (`TIME`), so the callers' clocks never matter, reads and updates the cells atomically, and
/// answers how long the caller must wait before sending. Only while a request's class is
/// saturated does the caller ask again when the class frees up (one more round trip per
/// wake-up). A pause learned from a response's headers applies at once in the process that saw
/// it and is written to Redis in the background for the others.
///
/// # Keys
/// `{<prefix>}:overall` and `{<prefix>}:class:<name>`: one hash per cell holding two integers,
/// the theoretical arrival time (`tat`) and the pause end (`blocked`) in microseconds of Redis
/// time. Every key expires one second after its cell is idle again, so nothing outlives a
/// period. The prefix is a hash tag, which keeps a limiter's keys in one cluster slot. Every
/// process sharing a prefix must use the same quotas.
///
/// # When Redis is down or slow
/// Every Redis call has a timeout (default 250 ms; connecting is bounded by it too). What
/// happens when a call fails is the user's choice:
/// - [`RedisLimiterBuilder::fail_closed`] (default): `acquire` returns an error of kind
///   [`ErrorKind::LimiterUnavailable`](crate::ErrorKind::LimiterUnavailable), and the request
///   fails with it without being sent;
/// - [`RedisLimiterBuilder::fall_back_to_local`]: the request waits for a local
///   [`GcraLimiter`] holding this process's share of the quotas (the quotas divided by the
///   number of processes), so the processes together stay within the quota while Redis is
///   away; the next request tries Redis again;
/// - [`RedisLimiterBuilder::fall_back_to`]: any other limiter.
///
/// # Client crate
/// `redis` (redis-rs) with its `ConnectionManager`: one multiplexed connection per limiter that
/// reconnects by itself after Redis restarts, scripts sent by SHA (`EVALSHA`, loaded again
/// after a restart), Tokio only, and only the features `tokio-comp`, `connection-manager` and
/// `script` (no TLS, no cluster), which keeps the dependency small.
///
/// # Example
/// ```no_run
/// # async fn run() -> Result<(), client_core::Error> {
/// use std::sync::Arc;
/// use std::time::Duration;
/// use client_core::{Client, Quota, RedisLimiter};
///
/// // Four workers on one account of 200 requests per minute, each with this limiter.
/// let limiter = RedisLimiter::builder("redis://127.0.0.1:6379/", "heilo:acct-42")
///     .overall(Quota::per_minute(200).with_tenth_burst())
///     .timeout(Duration::from_millis(250))
///     .fall_back_to_local(4)
///     .build()?;
/// let client = Client::builder("https://api.heilo.example").rate_limiter(Arc::new(limiter)).build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct RedisLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    connection: Connection,
    prefix: String,
    overall: Option<Quota>,
    classes: HashMap<String, Quota>,
    on_error: OnError,
    adapt: bool,
    clock: Arc<dyn Clock>,
    acquire: Script,
    block: Script,
    /// Pauses learned from headers by this process: `None` is the overall cell.
    paused: Mutex<HashMap<Option<String>, Instant>>,
}

impl fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let on_error = match &self.inner.on_error {
            OnError::FailClosed => "fail closed".to_owned(),
            OnError::Fallback(l) => format!("fall back to {l:?}"),
            OnError::LocalShare(n) => format!("fall back to a local 1/{n} share"),
        };
        // The URL is left out: it may carry a password.
        f.debug_struct("RedisLimiter")
            .field("prefix", &self.inner.prefix)
            .field("overall", &self.inner.overall)
            .field("classes", &self.inner.classes)
            .field("timeout", &self.inner.connection.timeout)
            .field("on_error", &on_error)
            .finish()
    }
}

/// Builds a [`RedisLimiter`].
///
/// Available with the crate feature `redis`.
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct RedisLimiterBuilder {
    url: String,
    prefix: String,
    overall: Option<Quota>,
    classes: Vec<(String, Quota)>,
    timeout: Duration,
    on_error: OnError,
    adapt: bool,
    clock: Option<Arc<dyn Clock>>,
}

impl fmt::Debug for RedisLimiterBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimiterBuilder")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisLimiterBuilder {
    /// A quota every request pays into, whatever its class.
    pub fn overall(mut self, quota: Quota) -> Self {
        self.overall = Some(quota);
        self
    }

    /// A quota for one route class. Requests of a class with no quota pay only the overall one.
    pub fn class(mut self, name: impl Into<String>, quota: Quota) -> Self {
        self.classes.push((name.into(), quota));
        self
    }

    /// The timeout of each Redis call (default [`DEFAULT_REDIS_TIMEOUT`]); a call that takes
    /// longer counts as Redis being unavailable.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// When Redis does not answer in time, fail the request with an error of kind
    /// [`ErrorKind::LimiterUnavailable`] without sending it (the default).
    pub fn fail_closed(mut self) -> Self {
        self.on_error = OnError::FailClosed;
        self
    }

    /// When Redis does not answer in time, wait for a local limiter holding this process's
    /// share of the quotas: each quota divided by `processes`, the number of processes that
    /// share the prefix. Together they then stay within the quota without Redis.
    pub fn fall_back_to_local(mut self, processes: u32) -> Self {
        self.on_error = OnError::LocalShare(processes.max(1));
        self
    }

    /// When Redis does not answer in time, wait for `limiter` instead.
    pub fn fall_back_to(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.on_error = OnError::Fallback(limiter);
        self
    }

    /// Whether to pause a class when a response says `X-RateLimit-Remaining: 0` (default on).
    pub fn adapt_to_headers(mut self, on: bool) -> Self {
        self.adapt = on;
        self
    }

    /// Use another clock for the waits (tests). Decisions always use Redis's clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The limiter. It connects on first use (inside a Tokio runtime) and reconnects by itself;
    /// only a malformed URL fails here, with an error of kind
    /// [`ErrorKind::Config`](crate::ErrorKind::Config).
    pub fn build(self) -> Result<RedisLimiter, Error> {
        let connection = Connection::new(&self.url, self.timeout).map_err(|e| {
            Error::new(ErrorKind::Config, format!("invalid Redis URL: {e}")).with_source(e)
        })?;
        let clock = self.clock.unwrap_or_else(|| Arc::new(TokioClock));
        let on_error = match self.on_error {
            OnError::LocalShare(n) => {
                let mut local = GcraLimiter::builder()
                    .clock(clock.clone())
                    .adapt_to_headers(self.adapt);
                if let Some(q) = self.overall {
                    local = local.overall(q.share(n));
                }
                for (name, q) in &self.classes {
                    local = local.class(name.clone(), q.share(n));
                }
                OnError::Fallback(Arc::new(local.build()))
            }
            other => other,
        };
        Ok(RedisLimiter {
            inner: Arc::new(Inner {
                connection,
                prefix: self.prefix,
                overall: self.overall,
                classes: self.classes.into_iter().collect(),
                on_error,
                adapt: self.adapt,
                clock,
                acquire: Script::new(ACQUIRE),
                block: Script::new(BLOCK),
                paused: Mutex::new(HashMap::new()),
            }),
        })
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

impl RedisLimiter {
    /// Start building a limiter on the Redis at `url` (`redis://[:password@]host:port/db`)
    /// whose keys start with `prefix` (for example the vendor and account: every process using
    /// the same prefix shares the quotas).
    pub fn builder(url: impl Into<String>, prefix: impl Into<String>) -> RedisLimiterBuilder {
        RedisLimiterBuilder {
            url: url.into(),
            prefix: prefix.into(),
            overall: None,
            classes: Vec::new(),
            timeout: DEFAULT_REDIS_TIMEOUT,
            on_error: OnError::FailClosed,
            adapt: true,
            clock: None,
        }
    }

    /// The Redis key of the overall cell.
    pub fn overall_key(&self) -> String {
        format!("{{{}}}:overall", self.inner.prefix)
    }

    /// The Redis key of a class's cell.
    pub fn class_key(&self, class: &str) -> String {
        format!("{{{}}}:class:{class}", self.inner.prefix)
    }

    /// One decision in Redis: `Ok((true, wait))` when a slot `wait` from now was booked,
    /// `Ok((false, wait))` when the class is not free for `wait`.
    async fn decide(&self, class: Option<(&str, Quota)>) -> Result<(bool, Duration), String> {
        let inner = &self.inner;
        let (oi, ot) = inner.overall.map_or((0, 0), |q| {
            (micros(q.emission_interval()), micros(q.tolerance()))
        });
        let (ci, ct) = class.map_or((0, 0), |(_, q)| {
            (micros(q.emission_interval()), micros(q.tolerance()))
        });
        let class_key = class.map_or_else(|| self.class_key(""), |(c, _)| self.class_key(c));
        let overall_key = self.overall_key();
        let (granted, wait): (i64, i64) = inner
            .connection
            .call(|mut conn| async move {
                inner
                    .acquire
                    .key(overall_key)
                    .key(class_key)
                    .arg(oi.max(u64::from(inner.overall.is_some())))
                    .arg(ot)
                    .arg(ci.max(u64::from(class.is_some())))
                    .arg(ct)
                    .invoke_async(&mut conn)
                    .await
            })
            .await?;
        let wait = Duration::from_micros(u64::try_from(wait).unwrap_or(0));
        Ok((granted == 1, wait))
    }

    /// The end of a pause this process learned for `cell`, if still ahead.
    fn local_pause(&self, cell: &Option<String>, now: Instant) -> Option<Instant> {
        let paused = self.inner.paused.lock().unwrap_or_else(|e| e.into_inner());
        paused.get(cell).copied().filter(|until| *until > now)
    }

    /// The cell a pause for `class` applies to: the class's own when it has a quota, else the
    /// overall one (`None`); nothing when neither has a quota.
    fn pause_target(&self, class: Option<&str>) -> Option<Option<String>> {
        match class {
            Some(c) if self.inner.classes.contains_key(c) => Some(Some(c.to_owned())),
            _ if self.inner.overall.is_some() => Some(None),
            _ => None,
        }
    }

    async fn unavailable(&self, class: Option<&str>, reason: String) -> Result<(), Error> {
        match &self.inner.on_error {
            OnError::Fallback(local) => {
                tracing::debug!(%reason, "shared rate limiter unavailable; using the local share");
                local.acquire(class).await
            }
            OnError::FailClosed | OnError::LocalShare(_) => Err(Error::new(
                ErrorKind::LimiterUnavailable,
                format!("shared rate limiter unavailable: {reason}"),
            )),
        }
    }
}

#[async_trait]
impl RateLimiter for RedisLimiter {
    async fn acquire(&self, class: Option<&str>) -> Result<(), Error> {
        let inner = &self.inner;
        let class_quota = class.and_then(|c| inner.classes.get(c).map(|q| (c, *q)));
        if inner.overall.is_none() && class_quota.is_none() {
            return Ok(());
        }
        loop {
            // A pause seen by this process applies before Redis has it.
            let now = inner.clock.now();
            let own = class_quota.map(|(c, _)| c.to_owned());
            let pause = [self.local_pause(&own, now), self.local_pause(&None, now)]
                .into_iter()
                .flatten()
                .max();
            if let Some(until) = pause {
                inner.clock.sleep(until - now).await;
                continue;
            }
            match self.decide(class_quota).await {
                Ok((true, wait)) => {
                    if !wait.is_zero() {
                        inner.clock.sleep(wait).await;
                    }
                    return Ok(());
                }
                // The class is saturated: ask again when it frees up.
                Ok((false, wait)) => inner.clock.sleep(wait).await,
                Err(reason) => return self.unavailable(class, reason).await,
            }
        }
    }

    fn observe(&self, class: Option<&str>, headers: &HeaderMap) {
        if !self.inner.adapt {
            return;
        }
        let Some(wait) = pause_from_headers(headers) else {
            return;
        };
        let Some(cell) = self.pause_target(class) else {
            return;
        };
        let until = self.inner.clock.now() + wait;
        {
            let mut paused = self.inner.paused.lock().unwrap_or_else(|e| e.into_inner());
            let entry = paused.entry(cell.clone()).or_insert(until);
            *entry = (*entry).max(until);
        }
        if let OnError::Fallback(local) = &self.inner.on_error {
            local.observe(class, headers);
        }
        // Tell the other processes; without a runtime only this process pauses.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let this = self.clone();
        runtime.spawn(async move {
            let key = match &cell {
                Some(c) => this.class_key(c),
                None => this.overall_key(),
            };
            let inner = &this.inner;
            let written = inner
                .connection
                .call(|mut conn| async move {
                    inner
                        .block
                        .key(key)
                        .arg(micros(wait))
                        .invoke_async::<i64>(&mut conn)
                        .await
                })
                .await;
            if let Err(reason) = written {
                tracing::debug!(%reason, "could not share a rate-limit pause through Redis");
            }
        });
    }
}
