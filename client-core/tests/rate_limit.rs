//! Rate limiter acceptance: concurrent callers never exceed a quota in any window and use at
//! least 90% of it; classes and an overall quota combine; a limiter shared by two clients bounds
//! them together; `X-RateLimit-Remaining: 0` makes the next request wait for the reset.
//!
//! The no-network tests run on tokio's paused clock (the "server" is a shared log of the
//! instants at which each acquire returned). The shared-limiter test sends real requests to a
//! wiremock server and drives the limiter with a manual clock that moves only when every task is
//! asleep in the limiter, so the server stamps each request with the virtual time it was sent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use client_core::clock::{Clock, RecordingClock};
use client_core::{Auth, Client, GcraLimiter, HeaderMap, Quota, RateLimiter};
use futures::future::BoxFuture;
use tokio::sync::oneshot;
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The largest number of instants inside any half-open window `[w, w + period)`. The maximum over
/// all windows is reached by a window starting at one of the instants.
fn max_in_any_window(times: &[Instant], period: Duration) -> usize {
    let mut sorted = times.to_vec();
    sorted.sort();
    let mut max = 0;
    let mut end = 0;
    for start in 0..sorted.len() {
        while end < sorted.len() && sorted[end] < sorted[start] + period {
            end += 1;
        }
        max = max.max(end - start);
    }
    max
}

/// Counts per aligned window `[start + k·period, start + (k+1)·period)` for `windows` windows.
fn per_aligned_window(
    times: &[Instant],
    start: Instant,
    period: Duration,
    windows: u32,
) -> Vec<usize> {
    (0..windows)
        .map(|k| {
            let lo = start + period * k;
            let hi = lo + period;
            times.iter().filter(|t| **t >= lo && **t < hi).count()
        })
        .collect()
}

/// What each acquire recorded: the (virtual) instant it returned and its class.
type Log = Arc<Mutex<Vec<(Instant, Option<&'static str>)>>>;

/// Run one task per entry of `classes`, each acquiring in a loop until `end`, and return the
/// instants at which acquires returned (before `end`), with their class.
async fn run_tasks(
    limiter: Arc<GcraLimiter>,
    classes: &[Option<&'static str>],
    end: Instant,
) -> Vec<(Instant, Option<&'static str>)> {
    let log: Log = Arc::default();
    let mut handles = Vec::new();
    for class in classes.iter().copied() {
        let limiter = limiter.clone();
        let log = log.clone();
        handles.push(tokio::spawn(async move {
            loop {
                limiter.acquire(class).await.unwrap();
                let now = Instant::now();
                if now >= end {
                    break;
                }
                log.lock().unwrap().push((now, class));
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let entries = log.lock().unwrap().clone();
    entries
}

fn times_of(entries: &[(Instant, Option<&'static str>)], class: Option<&str>) -> Vec<Instant> {
    entries
        .iter()
        .filter(|(_, c)| class.is_none() || *c == class)
        .map(|(t, _)| *t)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn concurrent_tasks_stay_within_an_overall_quota_and_use_it() {
    let quota = Quota::new(30, Duration::from_secs(1));
    let limiter = Arc::new(GcraLimiter::overall(quota));
    let start = Instant::now();
    let windows = 5;
    let end = start + quota.period() * windows;
    let entries = run_tasks(limiter, &[None; 8], end).await;
    let times = times_of(&entries, None);

    assert!(
        max_in_any_window(&times, quota.period()) <= 30,
        "more than 30 requests in some window"
    );
    let counts = per_aligned_window(&times, start, quota.period(), windows);
    for (k, n) in counts.iter().enumerate() {
        assert!(*n <= 30, "window {k}: {n} requests");
        assert!(*n >= 27, "window {k}: only {n} of 30 used ({counts:?})");
    }
    assert!(times.len() >= 135, "only {} of 150 used", times.len());
}

#[tokio::test(start_paused = true)]
async fn a_burst_within_the_quota_never_exceeds_it_in_any_window() {
    // 30 per second with a tenth as burst: 3 at once after idle time, then 28 per second.
    let quota = Quota::new(30, Duration::from_secs(1)).with_tenth_burst();
    assert_eq!((quota.requests(), quota.burst()), (28, 3));
    let limiter = Arc::new(GcraLimiter::overall(quota));
    let start = Instant::now();
    // Idle, then a burst: the first three go at once.
    for _ in 0..3 {
        limiter.acquire(None).await.unwrap();
    }
    assert_eq!(Instant::now(), start);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let busy = Instant::now();
    let windows = 5;
    let entries = run_tasks(limiter, &[None; 8], busy + quota.period() * windows).await;
    let mut times = times_of(&entries, None);
    times.extend(std::iter::repeat_n(start, 3));
    assert!(
        max_in_any_window(&times, quota.period()) <= 30,
        "more than 30 requests in some window"
    );
    let counts = per_aligned_window(&times, busy, quota.period(), windows);
    for (k, n) in counts.iter().enumerate() {
        assert!(*n >= 27, "window {k}: only {n} of 30 used ({counts:?})");
    }
}

#[tokio::test(start_paused = true)]
async fn concurrent_tasks_on_one_class_use_the_class_quota() {
    let period = Duration::from_secs(1);
    let limiter = Arc::new(
        GcraLimiter::builder()
            .overall(Quota::new(30, period))
            .class("search", Quota::new(10, period))
            .build(),
    );
    let start = Instant::now();
    let windows = 5;
    let end = start + period * windows;
    let entries = run_tasks(limiter, &[Some("search"); 6], end).await;
    let times = times_of(&entries, Some("search"));

    assert!(max_in_any_window(&times, period) <= 10);
    for (k, n) in per_aligned_window(&times, start, period, windows)
        .iter()
        .enumerate()
    {
        assert!((9..=10).contains(n), "window {k}: {n} of 10");
    }
}

#[tokio::test(start_paused = true)]
async fn classes_and_overall_quota_combine() {
    // Two limited classes, one unclassed stream of requests; the overall quota is the
    // binding one and must still be used fully while no class exceeds its own quota.
    let period = Duration::from_secs(1);
    let limiter = Arc::new(
        GcraLimiter::builder()
            .overall(Quota::new(30, period))
            .class("search", Quota::new(10, period))
            .class("write", Quota::new(15, period))
            .build(),
    );
    let start = Instant::now();
    let windows = 6;
    let end = start + period * windows;
    let mut classes = vec![Some("search"); 4];
    classes.extend([Some("write"); 4]);
    classes.extend([None; 4]);
    let entries = run_tasks(limiter, &classes, end).await;

    let all = times_of(&entries, None);
    let search = times_of(&entries, Some("search"));
    let write = times_of(&entries, Some("write"));
    assert!(max_in_any_window(&all, period) <= 30, "overall exceeded");
    assert!(max_in_any_window(&search, period) <= 10, "search exceeded");
    assert!(max_in_any_window(&write, period) <= 15, "write exceeded");
    assert!(!search.is_empty() && !write.is_empty());
    let counts = per_aligned_window(&all, start, period, windows);
    for (k, n) in counts.iter().enumerate() {
        assert!(
            *n >= 27,
            "window {k}: only {n} of 30 used overall ({counts:?})"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn classes_alone_are_independent_and_each_fully_used() {
    // With no overall quota, each class runs at its own rate whatever the other does.
    let period = Duration::from_secs(1);
    let limiter = Arc::new(
        GcraLimiter::builder()
            .class("search", Quota::new(10, period))
            .class("write", Quota::new(5, period))
            .build(),
    );
    let start = Instant::now();
    let windows = 4;
    let end = start + period * windows;
    let mut classes = vec![Some("search"); 3];
    classes.extend([Some("write"); 3]);
    let entries = run_tasks(limiter, &classes, end).await;
    for (class, quota) in [("search", 10), ("write", 5)] {
        let times = times_of(&entries, Some(class));
        assert!(
            max_in_any_window(&times, period) <= quota,
            "{class} exceeded"
        );
        for n in per_aligned_window(&times, start, period, windows) {
            assert!(n * 10 >= quota * 9, "{class}: {n} of {quota}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn remaining_zero_blocks_only_the_class_it_was_seen_on() {
    let period = Duration::from_secs(1);
    let limiter = GcraLimiter::builder()
        .class("search", Quota::new(100, period))
        .class("write", Quota::new(100, period))
        .build();
    let mut headers = HeaderMap::new();
    headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
    headers.insert("x-ratelimit-reset", "4".parse().unwrap());
    limiter.observe(Some("search"), &headers);

    let start = Instant::now();
    limiter.acquire(Some("write")).await.unwrap();
    assert_eq!(Instant::now(), start, "another class is not blocked");
    limiter.acquire(Some("search")).await.unwrap();
    assert_eq!(Instant::now() - start, Duration::from_secs(4));

    // Remaining above zero changes nothing.
    headers.insert("x-ratelimit-remaining", "3".parse().unwrap());
    limiter.observe(Some("write"), &headers);
    let before = Instant::now();
    limiter.acquire(Some("write")).await.unwrap();
    assert!(Instant::now() - before <= Duration::from_millis(10));
}

#[tokio::test]
async fn remaining_zero_with_reset_makes_the_next_request_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/first"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "2"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/second"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let clock = RecordingClock::new();
    let limiter = GcraLimiter::builder()
        .overall(Quota::per_second(100))
        .clock(Arc::new(clock.clone()))
        .build();
    let client = Client::builder(server.uri())
        .rate_limiter(Arc::new(limiter))
        .build()
        .unwrap();

    client.get("/first").send_empty().await.unwrap();
    assert!(clock.sleeps().is_empty(), "the first request does not wait");
    client.get("/second").send_empty().await.unwrap();
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 1, "{sleeps:?}");
    assert!(
        sleeps[0] > Duration::from_millis(1500) && sleeps[0] <= Duration::from_secs(2),
        "waited {:?} instead of about 2 s",
        sleeps[0]
    );
}

/// A clock whose time moves only when the test driver says so: sleepers register a deadline and
/// are woken when the driver advances to it.
#[derive(Clone)]
struct ManualClock {
    base: Instant,
    state: Arc<Mutex<ManualState>>,
}

#[derive(Default)]
struct ManualState {
    offset: Duration,
    waiters: Vec<(Duration, oneshot::Sender<()>)>,
}

impl ManualClock {
    fn new() -> Self {
        ManualClock {
            base: Instant::now(),
            state: Arc::default(),
        }
    }

    fn waiting(&self) -> usize {
        self.state.lock().unwrap().waiters.len()
    }

    /// Jump to the earliest deadline and wake every sleeper due by then.
    fn advance_to_next(&self) {
        let mut state = self.state.lock().unwrap();
        let Some(next) = state.waiters.iter().map(|(d, _)| *d).min() else {
            return;
        };
        state.offset = state.offset.max(next);
        let offset = state.offset;
        let (due, rest): (Vec<_>, Vec<_>) = state
            .waiters
            .drain(..)
            .partition(|(deadline, _)| *deadline <= offset);
        state.waiters = rest;
        for (_, tx) in due {
            let _ = tx.send(());
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.base + self.state.lock().unwrap().offset
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        if duration.is_zero() {
            return Box::pin(std::future::ready(()));
        }
        let (tx, rx) = oneshot::channel();
        {
            let mut state = self.state.lock().unwrap();
            let deadline = state.offset + duration;
            state.waiters.push((deadline, tx));
        }
        Box::pin(async move {
            let _ = rx.await;
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_sharing_one_limiter_stay_within_the_quota_together() {
    let clock = ManualClock::new();
    let quota = Quota::new(10, Duration::from_secs(1));
    let limiter = Arc::new(
        GcraLimiter::builder()
            .overall(quota)
            .clock(Arc::new(clock.clone()))
            .build(),
    );

    // The server stamps every request with the limiter's time and the key that sent it.
    let server = MockServer::start().await;
    let stamps: Arc<Mutex<Vec<(Instant, String)>>> = Arc::default();
    {
        let stamps = stamps.clone();
        let clock = clock.clone();
        Mock::given(method("GET"))
            .and(path("/ping"))
            .respond_with(move |req: &Request| {
                let key = req
                    .headers
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                stamps.lock().unwrap().push((clock.now(), key));
                ResponseTemplate::new(204)
            })
            .mount(&server)
            .await;
    }
    let one = Client::builder(server.uri())
        .auth(Auth::bearer("key-one"))
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();
    let two = Client::builder(server.uri())
        .auth(Auth::bearer("key-two"))
        .rate_limiter(limiter.clone())
        .build()
        .unwrap();

    let windows = 4;
    let end = clock.now() + quota.period() * windows;
    let start = clock.now();
    let tasks = 6;
    let active = Arc::new(AtomicUsize::new(tasks));
    let sent = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    for i in 0..tasks {
        let client = if i % 2 == 0 { one.clone() } else { two.clone() };
        let (clock, active, sent) = (clock.clone(), active.clone(), sent.clone());
        handles.push(tokio::spawn(async move {
            while clock.now() < end {
                client.get("/ping").send_empty().await.unwrap();
                sent.fetch_add(1, Ordering::SeqCst);
            }
            active.fetch_sub(1, Ordering::SeqCst);
        }));
    }
    // Drive the clock: move it only when every live task sleeps in the limiter, so no request
    // is in flight while time passes.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while active.load(Ordering::SeqCst) > 0 {
        assert!(std::time::Instant::now() < deadline, "the driver is stuck");
        let live = active.load(Ordering::SeqCst);
        if live > 0 && clock.waiting() == live {
            clock.advance_to_next();
        } else {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    for h in handles {
        h.await.unwrap();
    }

    let stamps = stamps.lock().unwrap().clone();
    assert_eq!(
        stamps.len(),
        sent.load(Ordering::SeqCst),
        "every send reached the server once"
    );
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (_, key) in &stamps {
        *by_key.entry(key.clone()).or_default() += 1;
    }
    assert!(
        by_key.get("Bearer key-one").copied().unwrap_or(0) > 5,
        "{by_key:?}"
    );
    assert!(
        by_key.get("Bearer key-two").copied().unwrap_or(0) > 5,
        "{by_key:?}"
    );

    let times: Vec<Instant> = stamps.iter().map(|(t, _)| *t).collect();
    assert!(
        max_in_any_window(&times, quota.period()) <= 10,
        "the two clients together exceeded the quota"
    );
    let in_run: Vec<Instant> = times.iter().copied().filter(|t| *t < end).collect();
    for (k, n) in per_aligned_window(&in_run, start, quota.period(), windows)
        .iter()
        .enumerate()
    {
        assert!(*n >= 9, "window {k}: only {n} of 10 used");
    }
}

// ---- Per-route quotas -------------------------------------------------------------------

/// What each route acquire recorded: the (virtual) instant it returned and the bucket it
/// belongs to.
type RouteLog = Arc<Mutex<Vec<(Instant, &'static str)>>>;

/// Run one task per `(class, route, bucket)`, each acquiring `route` in a loop until `end`, and
/// return the instants at which acquires returned (before `end`), with the bucket named.
async fn run_route_tasks(
    limiter: Arc<GcraLimiter>,
    tasks: &[(Option<&'static str>, &'static str, &'static str)],
    end: Instant,
) -> Vec<(Instant, &'static str)> {
    let log: RouteLog = Arc::default();
    let mut handles = Vec::new();
    for (class, route, bucket) in tasks.iter().copied() {
        let limiter = limiter.clone();
        let log = log.clone();
        handles.push(tokio::spawn(async move {
            loop {
                limiter.acquire_route(class, route).await.unwrap();
                let now = Instant::now();
                if now >= end {
                    break;
                }
                log.lock().unwrap().push((now, bucket));
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let entries = log.lock().unwrap().clone();
    entries
}

fn bucket_times(entries: &[(Instant, &'static str)], bucket: &str) -> Vec<Instant> {
    entries
        .iter()
        .filter(|(_, b)| *b == bucket)
        .map(|(t, _)| *t)
        .collect()
}

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(24 * 3600);

/// Speakr's shape: a per-minute class table and, per route, 900 per hour (a third as burst)
/// and 4500 per day (half as burst), status polling exempt.
fn per_route_limiter() -> GcraLimiter {
    GcraLimiter::builder()
        .class("get", Quota::per_minute(100).with_tenth_burst())
        .per_route(Quota::per_hour(900).with_burst_within_quota(300))
        .per_route(Quota::per_day(4500).with_burst_within_quota(2250))
        .exempt_routes(|route| route.contains("/status"))
        .build()
}

#[tokio::test(start_paused = true)]
async fn no_hour_or_day_window_holds_more_than_a_route_quota_over_thirty_hours() {
    let limiter = Arc::new(per_route_limiter());
    let start = Instant::now();
    let end = start + Duration::from_secs(30 * 3600);
    // Two spellings of one template are one bucket; `/tags` is another; every task shares the
    // `get` class.
    let tasks = [
        (Some("get"), "/recordings/{id}/summary", "summary"),
        (Some("get"), "/recordings/{id}/summary", "summary"),
        (Some("get"), "/recordings/{recording_id}/summary", "summary"),
        (Some("get"), "/tags", "tags"),
        (Some("get"), "/tags", "tags"),
    ];
    let entries = run_route_tasks(limiter, &tasks, end).await;
    for bucket in ["summary", "tags"] {
        let times = bucket_times(&entries, bucket);
        let in_hour = max_in_any_window(&times, HOUR);
        let in_day = max_in_any_window(&times, DAY);
        assert!(in_hour <= 900, "{bucket}: {in_hour} in one hour");
        assert!(in_day <= 4500, "{bucket}: {in_day} in one day");
        // The quotas are used: from a route's first call (one route may wait a few minutes
        // for the shared class), its whole first hour, and nearly its whole first day; then
        // the day quota holds it to its steady rate (2251 a day, about 94 an hour).
        let first = times.iter().min().copied().unwrap();
        assert!(first - start < Duration::from_secs(600), "{bucket} starved");
        let hours = per_aligned_window(&times, first, HOUR, 29);
        assert!(hours[0] >= 890, "{bucket}: first hour only {}", hours[0]);
        let first_day = per_aligned_window(&times, first, DAY, 1)[0];
        assert!(first_day >= 4450, "{bucket}: first day only {first_day}");
        assert!(
            hours[24..].iter().all(|n| *n <= 100),
            "{bucket}: the day quota does not hold after the first day: {hours:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn exempt_routes_and_route_less_acquires_pay_no_route_quota() {
    let limiter = GcraLimiter::builder()
        .per_route(Quota::per_hour(1))
        .exempt_routes(|route| route.contains("/status") || route.ends_with("batch-status"))
        .build();
    let start = Instant::now();
    for _ in 0..2000 {
        limiter
            .acquire_route(None, "/recordings/{id}/status")
            .await
            .unwrap();
        limiter
            .acquire_route(None, "/recordings/batch-status")
            .await
            .unwrap();
        limiter.acquire(None).await.unwrap();
    }
    assert_eq!(Instant::now(), start, "nothing waited");
    limiter.acquire_route(None, "/tags").await.unwrap();
    assert_eq!(Instant::now(), start);
    limiter.acquire_route(None, "/tags").await.unwrap();
    assert_eq!(
        Instant::now() - start,
        HOUR,
        "the second /tags waits an hour"
    );
}

#[tokio::test(start_paused = true)]
async fn a_request_held_by_its_route_books_no_class_slot() {
    // One class at 1 per second; a route quota of 2 per hour (both at once).
    let limiter = Arc::new(
        GcraLimiter::builder()
            .class("get", Quota::per_second(1))
            .per_route(Quota::per_hour(2).with_burst_within_quota(2))
            .build(),
    );
    let start = Instant::now();
    let held = {
        let limiter = limiter.clone();
        tokio::spawn(async move {
            for _ in 0..3 {
                limiter.acquire_route(Some("get"), "/a").await.unwrap();
            }
            Instant::now()
        })
    };
    let mut other = Vec::new();
    for route in ["/b", "/c", "/d", "/e", "/f", "/g", "/h", "/i", "/j", "/k"] {
        limiter.acquire_route(Some("get"), route).await.unwrap();
        other.push(Instant::now() - start);
    }
    // `/a`'s third request waits for its route (an hour) without holding the class: the
    // other routes still get one request a second (two went to `/a` first).
    assert!(
        other[9] <= Duration::from_secs(12),
        "other routes were held back: {other:?}"
    );
    // An hour after its first request, which shared the class with the others.
    let held = held.await.unwrap() - start;
    assert!(
        held >= HOUR && held <= HOUR + Duration::from_secs(12),
        "{held:?}"
    );
}

/// A server that counts calls per route template: the path with every number replaced by `{}`.
fn template_of(path: &str) -> String {
    path.split('/')
        .map(|s| {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                "{}"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_id_of_a_template_shares_one_bucket_through_the_client() {
    let server = MockServer::start().await;
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    {
        let seen = seen.clone();
        Mock::given(method("GET"))
            .respond_with(move |req: &Request| {
                seen.lock().unwrap().push(template_of(req.url.path()));
                ResponseTemplate::new(200)
            })
            .mount(&server)
            .await;
    }
    let clock = RecordingClock::new();
    // Three calls per route at once, then one an hour.
    let limiter = GcraLimiter::builder()
        .per_route(Quota::per_hour(3).with_burst_within_quota(3))
        .exempt_routes(|route| route.contains("/status"))
        .clock(Arc::new(clock.clone()))
        .build();
    let client = Client::builder(server.uri())
        .rate_limiter(Arc::new(limiter))
        .build()
        .unwrap();

    for id in 1..=3 {
        client
            .get("/recordings/{id}/summary")
            .param(id)
            .send_empty()
            .await
            .unwrap();
    }
    for _ in 0..3 {
        client.get("/tags").send_empty().await.unwrap();
    }
    for id in 1..=50 {
        client
            .get("/recordings/{id}/status")
            .param(id)
            .send_empty()
            .await
            .unwrap();
    }
    assert!(
        clock.sleeps().is_empty(),
        "three ids, another template and exempt polling all went at once: {:?}",
        clock.sleeps()
    );
    // A fourth id of the template, then a fifth under another placeholder name: each waits
    // for the template's hour quota.
    client
        .get("/recordings/{id}/summary")
        .param(4)
        .send_empty()
        .await
        .unwrap();
    client
        .get("/recordings/{recording_id}/summary")
        .param(5)
        .send_empty()
        .await
        .unwrap();
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 2, "{sleeps:?}");
    for s in &sleeps {
        assert!(
            *s > HOUR - Duration::from_secs(60) && *s <= HOUR,
            "waited {s:?} instead of about an hour"
        );
    }
    let seen = seen.lock().unwrap().clone();
    let count = |t: &str| seen.iter().filter(|s| s.as_str() == t).count();
    assert_eq!(count("/recordings/{}/summary"), 5);
    assert_eq!(count("/tags"), 3);
    assert_eq!(count("/recordings/{}/status"), 50);
    assert_eq!(seen.len(), 58, "each call was sent once");
}
