//! Client-side rate limiting to the vendors' quotas, so a busy program uses its quota fully
//! without being answered 429.
//!
//! [`GcraLimiter`] is a local implementation of the generic cell rate algorithm with an overall
//! quota, per-class quotas and per-route quotas (see its docs for how they combine).
//!
//! Share one limiter (it is an `Arc`) between several clients that draw on the same account.
//!
//! With the `redis` feature, `RedisLimiter` keeps the overall and class cells in Redis, so that
//! any number of processes share one quota (it does not keep per-route cells).

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

mod limits;
#[cfg(feature = "redis")]
mod redis;
mod route;

pub use self::limits::{ExemptRoutes, RateLimits};
#[cfg(feature = "redis")]
pub use self::redis::{RedisLimiter, RedisLimiterBuilder, DEFAULT_REDIS_TIMEOUT};

use self::route::{ExemptRoute, RouteCells};

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

    /// Wait until a request of `class` to `route` may be sent, and count it. This is what a
    /// [`Client`](crate::Client) calls for every attempt.
    ///
    /// `route` is the route template the request was built with, placeholders unfilled (for
    /// example `"/recordings/{id}/summary"` for every recording id), or `"<absolute>"` for a
    /// request to an absolute URL. A limiter that counts per route (see
    /// [`GcraLimiterBuilder::per_route`]) keys its cells by it; the default ignores the route
    /// and calls [`RateLimiter::acquire`], so limiters written before routes existed keep
    /// working unchanged.
    async fn acquire_route(&self, class: Option<&str>, route: &str) -> Result<(), Error> {
        let _ = route;
        self.acquire(class).await
    }

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

    /// `requests` per day (24 hours, as servers that count "per day" over a sliding or a
    /// fixed window of 24 hours do).
    pub fn per_day(requests: u32) -> Self {
        Quota::new(requests, Duration::from_secs(24 * 3600))
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

    /// The time between two requests at the steady rate, rounded up to the nanosecond: rounded
    /// down, `requests` intervals would fall short of the period by a few nanoseconds and a
    /// window of exactly one period could admit one request too many.
    fn emission_interval(&self) -> Duration {
        let nanos = self
            .period
            .as_nanos()
            .div_ceil(u128::from(self.requests.max(1)));
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
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

    /// Whether the cell remembers nothing that still matters at `now`: it then behaves exactly
    /// like a new cell and can be dropped.
    fn is_idle(&self, now: Instant) -> bool {
        self.tat.is_none_or(|tat| tat <= now) && self.blocked_until.is_none_or(|b| b <= now)
    }
}

#[derive(Debug, Default)]
struct Cells {
    overall: Option<Cell>,
    classes: HashMap<String, Cell>,
    routes: RouteCells,
}

/// A local GCRA (generic cell rate algorithm) limiter. It has up to three kinds of quota, all
/// optional:
/// - an **overall** quota every request pays into ([`GcraLimiterBuilder::overall`]);
/// - named **classes** with their own quota ([`GcraLimiterBuilder::class`]), for vendors that
///   document limits per route class, such as "100 GETs per minute";
/// - **per-route** quotas ([`GcraLimiterBuilder::per_route`]): every route template (the
///   `&'static str` a request was built with, such as `"/recordings/{id}/summary"`, shared by
///   every id) gets its own cells, made on its first request, for servers that count each
///   route on its own (Flask-Limiter's default limits do). Routes can be exempted
///   ([`GcraLimiterBuilder::exempt_routes`]).
///
/// A request must satisfy every quota that applies to it. It waits, booking nothing, until its
/// class and its route's cells allow it now, then books all of them and the overall quota at
/// the earliest slot the overall quota allows, under one lock, and waits for that slot.
///
/// That is why class and route quotas are cells of one limiter rather than two limiters asked
/// one after the other: each of two separate limiters would book a slot before knowing how
/// long the other holds the request, so a request held back for an hour by its route would
/// also hold a slot of the per-minute class quota that other routes could have used, and
/// requests released together by one limiter could crowd into a window of the other.
///
/// Share one limiter (it is an `Arc` inside) between several clients that draw on the same
/// account.
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
            d.field("per_route", &cells.routes.quotas());
        }
        d.finish()
    }
}

/// Builds a [`GcraLimiter`].
#[derive(Default)]
pub struct GcraLimiterBuilder {
    overall: Option<Quota>,
    classes: Vec<(String, Quota)>,
    per_route: Vec<Quota>,
    exempt: Option<Arc<ExemptRoute>>,
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

    /// A quota that every route template gets on its own, for a server that counts each route
    /// separately (Flask-Limiter's default limits, for example). Call it once per window to
    /// enforce several (per hour and per day): a request must then satisfy all of them.
    ///
    /// A route's cells are keyed by its template with the placeholder names dropped, so
    /// `/recordings/{id}/summary` is one bucket whatever the id, and `/tags/{id}` and
    /// `/tags/{tag_id}` are the same bucket; the method is not part of the key (`GET` and `PUT`
    /// of one template share it, which errs on the safe side for a server that counts them
    /// apart). Cells are made on a route's first request and dropped once idle. Route quotas
    /// apply only through [`RateLimiter::acquire_route`], which the client calls; a plain
    /// [`RateLimiter::acquire`] pays the class and overall quotas only.
    pub fn per_route(mut self, quota: Quota) -> Self {
        self.per_route.push(quota);
        self
    }

    /// Routes that pay no per-route quota: `exempt(route)` is asked with the route template
    /// (for example `|route| route.contains("/status")` for a server that does not count status
    /// polls). An exempt request still pays its class and the overall quota.
    pub fn exempt_routes(mut self, exempt: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        self.exempt = Some(Arc::new(exempt));
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
            routes: RouteCells::new(self.per_route, self.exempt),
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

    /// Reserve a slot for a request of `class` to `route`: `Ok(slot)` once the class and the
    /// route's cells allow a request now (they and the overall quota are then all booked at
    /// the earliest slot the overall quota allows), or `Err(free_at)`, booking nothing, while
    /// the class or the route is not free yet.
    ///
    /// Waiting for the class and the route before booking the overall quota matters: a request
    /// they hold back must not book an overall slot far ahead, since one GCRA cell cannot leave
    /// the slots before it free for other requests, and the overall quota would then sit idle.
    fn reserve(&self, class: Option<&str>, route: Option<&str>) -> Result<Instant, Instant> {
        let now = self.clock.now();
        let Ok(mut guard) = self.cells.lock() else {
            return Ok(now);
        };
        let Cells {
            overall,
            classes,
            routes,
        } = &mut *guard;
        let mut class_cell = class.and_then(|c| classes.get_mut(c));
        let mut route_cells = route.and_then(|r| routes.cells_for(r, now));
        let free_at = class_cell
            .iter()
            .map(|cell| cell.earliest(now))
            .chain(
                route_cells
                    .iter()
                    .flat_map(|cells| cells.iter().map(|cell| cell.earliest(now))),
            )
            .max();
        if let Some(free_at) = free_at.filter(|t| *t > now) {
            return Err(free_at);
        }
        let mut slot = now;
        if let Some(cell) = overall {
            slot = slot.max(cell.earliest(now));
            cell.commit(slot);
        }
        if let Some(cell) = &mut class_cell {
            cell.commit(slot);
        }
        for cell in route_cells.iter_mut().flat_map(|cells| cells.iter_mut()) {
            cell.commit(slot);
        }
        Ok(slot)
    }

    /// Wait for a slot for a request of `class` (to `route`, when known) and book it.
    async fn wait_for_slot(&self, class: Option<&str>, route: Option<&str>) {
        loop {
            let reserved = self.reserve(class, route);
            let now = self.clock.now();
            match reserved {
                Ok(slot) => {
                    if slot > now {
                        self.clock.sleep(slot - now).await;
                    }
                    return;
                }
                // Another request of the class or route may take the slot first: then wait
                // again.
                Err(free_at) => {
                    if free_at > now {
                        self.clock.sleep(free_at - now).await;
                    }
                }
            }
        }
    }
}

#[async_trait]
impl RateLimiter for GcraLimiter {
    async fn acquire(&self, class: Option<&str>) -> Result<(), Error> {
        self.wait_for_slot(class, None).await;
        Ok(())
    }

    async fn acquire_route(&self, class: Option<&str>, route: &str) -> Result<(), Error> {
        self.wait_for_slot(class, Some(route)).await;
        Ok(())
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
