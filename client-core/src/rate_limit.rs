//! Client-side rate limiting to the vendors' quotas, so a busy program uses its quota fully
//! without being answered 429.
//!
//! [`GcraLimiter`] is a local implementation of the generic cell rate algorithm: each request
//! waits until its class allows it, then reserves the earliest slot the overall quota allows
//! and waits for it. A limiter has an optional overall quota and named classes with their own
//! quota (vendors that limit per route class); a request pays into its class and into the
//! overall quota. Share one limiter (it is an `Arc`) between several clients that draw on the
//! same account.
//!
//! With the `redis` feature, `RedisLimiter` keeps the same cells in Redis, so that any number
//! of processes share one quota.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use http::HeaderMap;
use tokio::time::Instant;

use crate::clock::{Clock, TokioClock};
use crate::retry::{parse_reset, ResetFormat};
use crate::Error;

#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis")]
pub use self::redis::{RedisLimiter, RedisLimiterBuilder, DEFAULT_REDIS_TIMEOUT};

/// Something that decides when a request may be sent.
#[async_trait]
pub trait RateLimiter: Send + Sync + fmt::Debug + 'static {
    /// Wait until a request of `class` (a route class such as `"get"`, or none) may be sent,
    /// and count it.
    ///
    /// A local limiter always returns `Ok`. A shared limiter whose store cannot decide in time
    /// returns an error of kind [`crate::ErrorKind::LimiterUnavailable`] when it is configured
    /// to fail closed; the request then fails with that error without being sent.
    async fn acquire(&self, class: Option<&str>) -> Result<(), Error>;

    /// Learn from a response's headers (`X-RateLimit-Remaining`, `X-RateLimit-Reset`).
    fn observe(&self, _class: Option<&str>, _headers: &HeaderMap) {}
}

/// A quota: `requests` per `period`, with an optional burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    requests: u32,
    period: Duration,
    burst: u32,
}

impl Quota {
    /// `requests` per `period`. Requests are spread evenly (burst 1), which never exceeds the
    /// quota in any window of length `period`, whatever the server's window alignment.
    /// A zero count is treated as one.
    pub fn new(requests: u32, period: Duration) -> Self {
        Quota {
            requests: requests.max(1),
            period,
            burst: 1,
        }
    }

    /// `requests` per second.
    pub fn per_second(requests: u32) -> Self {
        Quota::new(requests, Duration::from_secs(1))
    }

    /// `requests` per minute.
    pub fn per_minute(requests: u32) -> Self {
        Quota::new(requests, Duration::from_secs(60))
    }

    /// `requests` per hour.
    pub fn per_hour(requests: u32) -> Self {
        Quota::new(requests, Duration::from_secs(3600))
    }

    /// Allow up to `burst` requests at once after an idle spell (at most the quota). A burst
    /// above 1 uses idle time but can put up to `burst - 1` extra requests into a server's
    /// fixed window.
    pub fn with_burst(mut self, burst: u32) -> Self {
        self.burst = burst.clamp(1, self.requests);
        self
    }

    /// Let an idle client send up to a tenth of the quota at once while still never exceeding
    /// `requests` in any window of `period`, however the server aligns its windows: see
    /// [`Quota::with_burst_within_quota`]. At least 90 % of the quota stays usable.
    pub fn with_tenth_burst(self) -> Self {
        let burst = self.requests / 10;
        self.with_burst_within_quota(burst)
    }

    /// Allow bursts of up to `burst` requests after an idle spell and lower the steady rate to
    /// `requests - burst + 1` per period, so that no window of `period` ever holds more than
    /// the original `requests` (GCRA admits at most steady + burst - 1 in a window).
    pub fn with_burst_within_quota(self, burst: u32) -> Self {
        let burst = burst.clamp(1, self.requests);
        Quota {
            requests: self.requests - burst + 1,
            period: self.period,
            burst,
        }
    }

    /// The number of allowed bursts (1: evenly spread).
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The steady number of requests per period.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }

    fn emission_interval(&self) -> Duration {
        self.period / self.requests
    }

    /// The GCRA tolerance: how far ahead of its theoretical arrival time a request may go.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    fn tolerance(&self) -> Duration {
        self.emission_interval() * (self.burst - 1)
    }

    /// This quota split evenly between `shares` processes (each gets at least one request per
    /// period and a burst of at least one), so that their sum stays within it.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    fn share(&self, shares: u32) -> Quota {
        let shares = shares.max(1);
        let requests = (self.requests / shares).max(1);
        Quota {
            requests,
            period: self.period,
            burst: (self.burst / shares).clamp(1, requests),
        }
    }
}

/// How long a response asks the limiter to pause: `X-RateLimit-Remaining: 0` with an
/// `X-RateLimit-Reset` (seconds, epoch seconds or a date), else nothing.
fn pause_from_headers(headers: &HeaderMap) -> Option<Duration> {
    let read = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let remaining = read("x-ratelimit-remaining").and_then(|v| v.trim().parse::<f64>().ok())?;
    if remaining > 0.0 {
        return None;
    }
    read("x-ratelimit-reset")
        .and_then(|v| parse_reset(v.trim(), ResetFormat::Auto, SystemTime::now()))
}

/// One GCRA cell: the theoretical arrival time of the next request.
#[derive(Debug)]
struct Cell {
    quota: Quota,
    tat: Option<Instant>,
    blocked_until: Option<Instant>,
}

impl Cell {
    fn new(quota: Quota) -> Self {
        Cell {
            quota,
            tat: None,
            blocked_until: None,
        }
    }

    /// The earliest instant this cell allows a request at or after `now`.
    fn earliest(&self, now: Instant) -> Instant {
        let tolerance = self.quota.tolerance();
        let by_rate = match self.tat {
            Some(tat) => tat.checked_sub(tolerance).unwrap_or(now).max(now),
            None => now,
        };
        match self.blocked_until {
            Some(b) if b > by_rate => b,
            _ => by_rate,
        }
    }

    fn commit(&mut self, slot: Instant) {
        let base = match self.tat {
            Some(tat) if tat > slot => tat,
            _ => slot,
        };
        self.tat = Some(base + self.quota.emission_interval());
    }
}

#[derive(Debug, Default)]
struct Cells {
    overall: Option<Cell>,
    classes: HashMap<String, Cell>,
}

/// A local GCRA limiter with named classes and an optional overall quota.
#[derive(Clone)]
pub struct GcraLimiter {
    cells: Arc<Mutex<Cells>>,
    clock: Arc<dyn Clock>,
    adapt: bool,
}

impl fmt::Debug for GcraLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("GcraLimiter");
        if let Ok(cells) = self.cells.lock() {
            d.field("overall", &cells.overall.as_ref().map(|c| c.quota));
            let classes: HashMap<_, _> = cells
                .classes
                .iter()
                .map(|(k, c)| (k.clone(), c.quota))
                .collect();
            d.field("classes", &classes);
        }
        d.finish()
    }
}

/// Builds a [`GcraLimiter`].
#[derive(Default)]
pub struct GcraLimiterBuilder {
    overall: Option<Quota>,
    classes: Vec<(String, Quota)>,
    clock: Option<Arc<dyn Clock>>,
    adapt: bool,
}

impl GcraLimiterBuilder {
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

    /// Use another clock (tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Whether to pause a class when a response says `X-RateLimit-Remaining: 0` (default on).
    pub fn adapt_to_headers(mut self, on: bool) -> Self {
        self.adapt = on;
        self
    }

    /// The limiter.
    pub fn build(self) -> GcraLimiter {
        let cells = Cells {
            overall: self.overall.map(Cell::new),
            classes: self
                .classes
                .into_iter()
                .map(|(name, q)| (name, Cell::new(q)))
                .collect(),
        };
        GcraLimiter {
            cells: Arc::new(Mutex::new(cells)),
            clock: self.clock.unwrap_or_else(|| Arc::new(TokioClock)),
            adapt: self.adapt,
        }
    }
}

impl GcraLimiter {
    /// Start building a limiter (header adaptation on).
    pub fn builder() -> GcraLimiterBuilder {
        GcraLimiterBuilder {
            adapt: true,
            ..GcraLimiterBuilder::default()
        }
    }

    /// A limiter with only an overall quota.
    pub fn overall(quota: Quota) -> Self {
        GcraLimiter::builder().overall(quota).build()
    }

    /// Reserve a slot for a request of `class`: `Ok(slot)` once the class allows a request now
    /// (the class and the overall quota are then both booked at the earliest slot the overall
    /// quota allows), or `Err(free_at)`, booking nothing, while the class is not free yet.
    ///
    /// Waiting for the class before booking the overall quota matters: a request its class holds
    /// back must not book an overall slot far ahead, since one GCRA cell cannot leave the slots
    /// before it free for other requests, and the overall quota would then sit idle.
    fn reserve(&self, class: Option<&str>) -> Result<Instant, Instant> {
        let now = self.clock.now();
        let Ok(mut guard) = self.cells.lock() else {
            return Ok(now);
        };
        let cells = &mut *guard;
        let mut class_cell = class.and_then(|c| cells.classes.get_mut(c));
        if let Some(cell) = &class_cell {
            let free_at = cell.earliest(now);
            if free_at > now {
                return Err(free_at);
            }
        }
        let mut slot = now;
        if let Some(cell) = &cells.overall {
            slot = slot.max(cell.earliest(now));
        }
        if let Some(cell) = &mut cells.overall {
            cell.commit(slot);
        }
        if let Some(cell) = &mut class_cell {
            cell.commit(slot);
        }
        Ok(slot)
    }
}

#[async_trait]
impl RateLimiter for GcraLimiter {
    async fn acquire(&self, class: Option<&str>) -> Result<(), Error> {
        loop {
            let reserved = self.reserve(class);
            let now = self.clock.now();
            match reserved {
                Ok(slot) => {
                    if slot > now {
                        self.clock.sleep(slot - now).await;
                    }
                    return Ok(());
                }
                // Another request of the class may take the slot first: then wait again.
                Err(free_at) => {
                    if free_at > now {
                        self.clock.sleep(free_at - now).await;
                    }
                }
            }
        }
    }

    fn observe(&self, class: Option<&str>, headers: &HeaderMap) {
        if !self.adapt {
            return;
        }
        let Some(wait) = pause_from_headers(headers) else {
            return;
        };
        let until = self.clock.now() + wait;
        let Ok(mut cells) = self.cells.lock() else {
            return;
        };
        let target = match class {
            Some(c) if cells.classes.contains_key(c) => cells.classes.get_mut(c),
            _ => cells.overall.as_mut(),
        };
        if let Some(cell) = target {
            cell.blocked_until = Some(cell.blocked_until.map_or(until, |b| b.max(until)));
        }
    }
}

/// A limiter that never waits.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unlimited;

#[async_trait]
impl RateLimiter for Unlimited {
    async fn acquire(&self, _class: Option<&str>) -> Result<(), Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spreads_requests_evenly() {
        let limiter = GcraLimiter::overall(Quota::per_second(4));
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..5 {
            limiter.acquire(None).await.unwrap();
            times.push(Instant::now() - start);
        }
        let ms: Vec<u128> = times.iter().map(|d| d.as_millis()).collect();
        assert_eq!(ms, vec![0, 250, 500, 750, 1000]);
    }

    #[tokio::test(start_paused = true)]
    async fn class_and_overall_both_apply() {
        let limiter = GcraLimiter::builder()
            .overall(Quota::per_second(10))
            .class("slow", Quota::per_second(2))
            .build();
        let start = Instant::now();
        limiter.acquire(Some("slow")).await.unwrap();
        limiter.acquire(Some("slow")).await.unwrap();
        assert_eq!((Instant::now() - start).as_millis(), 500);
        limiter.acquire(Some("other")).await.unwrap();
        assert_eq!((Instant::now() - start).as_millis(), 600);
    }

    #[tokio::test(start_paused = true)]
    async fn remaining_zero_pauses_until_reset() {
        let limiter = GcraLimiter::overall(Quota::per_second(100));
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
        headers.insert("x-ratelimit-reset", "3".parse().unwrap());
        limiter.observe(None, &headers);
        let start = Instant::now();
        limiter.acquire(None).await.unwrap();
        assert_eq!((Instant::now() - start).as_secs(), 3);
    }
}
