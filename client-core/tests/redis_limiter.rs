//! The Redis rate limiter against a real redis-server (its address in `REDIS_URL`; without it
//! the tests say that they skipped, except under `CI=true`, where they fail).
//!
//! Several clients, each with its own limiter and connection, or several OS processes, send as
//! fast as their limiters let them to one wiremock server that stamps every request on arrival
//! and answers 429 whenever a request would put more than N into the sliding window of the
//! period before it. The windows are counted from those server-side stamps. The limiters are
//! given the vendor's N per period plus 5 % (100 ms of 2 s) as a margin for the jitter between
//! the instant Redis grants a slot and the instant the request reaches the server.
#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use client_core::{Client, ErrorKind, Quota, RateLimiter, RedisLimiter, RetryPolicy};
use test_support::redis::{redis_url, unique_prefix};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The vendor's quota: N requests per period.
const N: usize = 40;
const PERIOD: Duration = Duration::from_secs(2);
/// What the limiters are configured with: N per period plus the jitter margin.
const LIMITER_PERIOD: Duration = Duration::from_millis(2100);
/// Whole periods measured.
const WINDOWS: u32 = 3;

/// One test at a time: they measure rates, and parallel tests would add jitter.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Stamps every request on arrival; 429 when the sliding window would exceed `limit`.
#[derive(Clone)]
struct Counter {
    limit: usize,
    period: Duration,
    state: Arc<Mutex<CounterState>>,
}

#[derive(Default)]
struct CounterState {
    window: VecDeque<Instant>,
    /// Every accepted request: arrival, path.
    accepted: Vec<(Instant, String)>,
    rejected: usize,
}

impl Counter {
    fn new(limit: usize, period: Duration) -> Self {
        Counter {
            limit,
            period,
            state: Arc::default(),
        }
    }

    fn accepted(&self, route: Option<&str>) -> Vec<Instant> {
        let state = self.state.lock().unwrap();
        state
            .accepted
            .iter()
            .filter(|(_, p)| route.is_none_or(|r| p == r))
            .map(|(t, _)| *t)
            .collect()
    }

    fn rejected(&self) -> usize {
        self.state.lock().unwrap().rejected
    }
}

impl Respond for Counter {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap();
        while state
            .window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.period)
        {
            state.window.pop_front();
        }
        if state.window.len() >= self.limit {
            state.rejected += 1;
            return ResponseTemplate::new(429).insert_header("retry-after", "1");
        }
        state.window.push_back(now);
        state.accepted.push((now, request.url.path().to_owned()));
        ResponseTemplate::new(200).set_body_string("ok")
    }
}

async fn counting_server(counter: &Counter) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(counter.clone())
        .mount(&server)
        .await;
    server
}

/// The largest number of stamps inside any half-open window `[t, t + period)`.
fn max_in_any_window(times: &[Instant], period: Duration) -> usize {
    let mut sorted = times.to_vec();
    sorted.sort();
    let (mut max, mut end) = (0, 0);
    for start in 0..sorted.len() {
        while end < sorted.len() && sorted[end] < sorted[start] + period {
            end += 1;
        }
        max = max.max(end - start);
    }
    max
}

/// Counts in `WINDOWS` consecutive windows of `PERIOD` from the first stamp.
fn per_window(times: &[Instant]) -> Vec<usize> {
    let Some(start) = times.iter().min().copied() else {
        return vec![0; WINDOWS as usize];
    };
    (0..WINDOWS)
        .map(|k| {
            let lo = start + PERIOD * k;
            let hi = lo + PERIOD;
            times.iter().filter(|t| **t >= lo && **t < hi).count()
        })
        .collect()
}

/// Enough time for `WINDOWS` whole periods after the first request.
fn run_time() -> Duration {
    PERIOD * WINDOWS + Duration::from_millis(400)
}

fn client(base: &str, limiter: RedisLimiter) -> Client {
    Client::builder(base)
        .rate_limiter(Arc::new(limiter))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// Send GETs to `route` (with `class`) from `tasks` tasks until `run` has passed.
async fn hammer(client: Client, route: &'static str, class: Option<&'static str>, tasks: usize) {
    let deadline = Instant::now() + run_time();
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let client = client.clone();
        handles.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let mut request = client.get(route);
                if let Some(class) = class {
                    request = request.rate_class(class);
                }
                let _ = request.send_raw().await;
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
}

/// No 429 and no window of the period over the quota; the requests per window.
fn check_never_exceeded(counter: &Counter) -> Vec<usize> {
    let all = counter.accepted(None);
    assert_eq!(counter.rejected(), 0, "the server answered 429");
    let max = max_in_any_window(&all, PERIOD);
    assert!(
        max <= N,
        "{max} requests in one window of the period (quota {N})"
    );
    per_window(&all)
}

fn check_quota_used_and_never_exceeded(counter: &Counter) {
    let counts = check_never_exceeded(counter);
    for (k, n) in counts.iter().enumerate() {
        assert!(
            n * 10 >= N * 9,
            "window {k}: only {n} of {N} used ({counts:?})"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_clients_with_their_own_connections_share_one_quota_and_its_classes() {
    let Some(url) = redis_url() else { return };
    let _serial = SERIAL.lock().await;
    let counter = Counter::new(N, PERIOD);
    let server = counting_server(&counter).await;
    let prefix = unique_prefix("four-clients");
    // Two clients send "search" requests (10 per period), two send unclassed ones that fill
    // the rest of the overall quota.
    let mut runs = Vec::new();
    for i in 0..4 {
        let limiter = RedisLimiter::builder(url.as_str(), prefix.as_str())
            .overall(Quota::new(N as u32, LIMITER_PERIOD))
            .class("search", Quota::new(10, LIMITER_PERIOD))
            .build()
            .unwrap();
        let client = client(&server.uri(), limiter);
        let (route, class) = if i < 2 {
            ("/search", Some("search"))
        } else {
            ("/items", None)
        };
        runs.push(tokio::spawn(hammer(client, route, class, 3)));
    }
    for run in runs {
        run.await.unwrap();
    }
    check_quota_used_and_never_exceeded(&counter);
    let search = counter.accepted(Some("/search"));
    let max = max_in_any_window(&search, PERIOD);
    assert!(
        max <= 10,
        "{max} search requests in one window (class quota 10)"
    );
    // The class waits for the overall quota too, which the unclassed clients keep busy.
    assert!(search.len() >= 10, "search used only {}", search.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_within_the_quota_never_exceeds_it_across_clients() {
    let Some(url) = redis_url() else { return };
    let _serial = SERIAL.lock().await;
    let counter = Counter::new(N, PERIOD);
    let server = counting_server(&counter).await;
    let prefix = unique_prefix("burst");
    // Bursts of up to 8 after an idle spell, 33 per period steady: never over 40 in a window.
    let quota = Quota::new(N as u32, LIMITER_PERIOD).with_burst_within_quota(8);
    assert_eq!((quota.requests(), quota.burst()), (33, 8));
    let mut runs = Vec::new();
    for _ in 0..4 {
        let limiter = RedisLimiter::builder(url.as_str(), prefix.as_str())
            .overall(quota)
            .build()
            .unwrap();
        runs.push(tokio::spawn(hammer(
            client(&server.uri(), limiter),
            "/items",
            None,
            3,
        )));
    }
    for run in runs {
        run.await.unwrap();
    }
    let counts = check_never_exceeded(&counter);
    // The burst was used: the first window holds more than the steady rate allows.
    assert!(counts[0] > 33 * 2000 / 2100, "no burst: {counts:?}");
}

/// Runs as a child process of `four_processes_share_one_quota` (ignored on its own): sends
/// GETs through a Redis limiter until the run time has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a worker process started by four_processes_share_one_quota"]
async fn worker_process() {
    let (Ok(url), Ok(prefix), Ok(base)) = (
        std::env::var("WORKER_REDIS_URL"),
        std::env::var("WORKER_PREFIX"),
        std::env::var("WORKER_SERVER"),
    ) else {
        return;
    };
    let limiter = RedisLimiter::builder(url, prefix)
        .overall(Quota::new(N as u32, LIMITER_PERIOD))
        .build()
        .unwrap();
    hammer(client(&base, limiter), "/items", None, 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_one_quota() {
    let Some(url) = redis_url() else { return };
    let _serial = SERIAL.lock().await;
    let counter = Counter::new(N, PERIOD);
    let server = counting_server(&counter).await;
    let prefix = unique_prefix("four-processes");
    let exe = std::env::current_exe().unwrap();
    let mut children = Vec::new();
    for _ in 0..4 {
        let child = tokio::process::Command::new(&exe)
            .args(["worker_process", "--exact", "--ignored", "--test-threads=1"])
            .env("WORKER_REDIS_URL", &url)
            .env("WORKER_PREFIX", &prefix)
            .env("WORKER_SERVER", server.uri())
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        children.push(child);
    }
    for mut child in children {
        let status = child.wait().await.unwrap();
        assert!(status.success(), "a worker failed: {status:?}");
    }
    check_quota_used_and_never_exceeded(&counter);
}

/// Answers with `template` and stamps each request's arrival.
#[derive(Clone)]
struct Stamped {
    template: ResponseTemplate,
    stamps: Arc<Mutex<Vec<Instant>>>,
}

impl Respond for Stamped {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        self.stamps.lock().unwrap().push(Instant::now());
        self.template.clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remaining_zero_seen_by_one_process_pauses_the_others_until_the_reset() {
    let Some(url) = redis_url() else { return };
    let _serial = SERIAL.lock().await;
    let server = MockServer::start().await;
    let stamps: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let exhausted = ResponseTemplate::new(200)
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", "2");
    for (route, template) in [
        ("/exhausted", exhausted),
        ("/after", ResponseTemplate::new(200)),
    ] {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(Stamped {
                template,
                stamps: stamps.clone(),
            })
            .expect(1)
            .mount(&server)
            .await;
    }
    let prefix = unique_prefix("pause");
    let build = || {
        RedisLimiter::builder(url.as_str(), prefix.as_str())
            .overall(Quota::per_second(1000))
            .build()
            .unwrap()
    };
    let (first, second) = (build(), build());
    let overall_key = first.overall_key();
    client(&server.uri(), first)
        .get("/exhausted")
        .send_raw()
        .await
        .unwrap();
    // The pause reaches Redis in the background: wait until it is there.
    let redis = redis::Client::open(url.as_str()).unwrap();
    let mut conn = redis.get_multiplexed_async_connection().await.unwrap();
    loop {
        let blocked: Option<String> = redis::cmd("HGET")
            .arg(&overall_key)
            .arg("blocked")
            .query_async(&mut conn)
            .await
            .unwrap();
        if blocked.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    client(&server.uri(), second)
        .get("/after")
        .send_raw()
        .await
        .unwrap();
    // The other limiter waited out the reset before sending (Redis's clock decides; a
    // margin for its rounding to the millisecond).
    let stamps = stamps.lock().unwrap().clone();
    assert_eq!(stamps.len(), 2);
    let gap = stamps[1] - stamps[0];
    assert!(gap >= Duration::from_millis(1990), "sent after {gap:?}");
}

#[tokio::test]
async fn an_unreachable_redis_fails_the_request_closed_with_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    // Nothing listens on this port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let limiter = RedisLimiter::builder(format!("redis://127.0.0.1:{port}/"), "down")
        .overall(Quota::per_second(10))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client(&server.uri(), limiter)
        .get("/items")
        .send_raw()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimiterUnavailable, "{err}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_silent_redis_times_out_and_falls_back_to_the_local_share() {
    // A server that accepts connections and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let url = format!("redis://{addr}/");
    let closed = RedisLimiter::builder(url.as_str(), "silent")
        .overall(Quota::per_second(10))
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = closed.acquire(None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimiterUnavailable, "{err}");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(3)
        .mount(&server)
        .await;
    let fallback = RedisLimiter::builder(url.as_str(), "silent")
        .overall(Quota::per_second(10))
        .timeout(Duration::from_millis(100))
        .fall_back_to_local(4)
        .build()
        .unwrap();
    let client = client(&server.uri(), fallback);
    for _ in 0..3 {
        client.get("/items").send_raw().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_namespaced_expire_and_hold_only_two_numbers() {
    let Some(url) = redis_url() else { return };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "1"),
        )
        .mount(&server)
        .await;
    let prefix = unique_prefix("keys");
    let limiter = RedisLimiter::builder(url.as_str(), prefix.as_str())
        .overall(Quota::new(100, Duration::from_secs(10)))
        .class("search", Quota::new(5, Duration::from_secs(10)))
        .build()
        .unwrap();
    let token = "secret-api-token-7f3a";
    let client = Client::builder(server.uri())
        .auth(client_core::Auth::bearer(token))
        .rate_limiter(Arc::new(limiter.clone()))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    client
        .get("/search")
        .rate_class("search")
        .send_raw()
        .await
        .unwrap();

    let redis = redis::Client::open(url.as_str()).unwrap();
    let mut conn = redis.get_multiplexed_async_connection().await.unwrap();
    let mut keys: Vec<String> = Vec::new();
    // The pause is written in the background: wait for the class key to carry it.
    for _ in 0..200 {
        keys = redis::cmd("KEYS")
            .arg(format!("{{{prefix}}}:*"))
            .query_async(&mut conn)
            .await
            .unwrap();
        let blocked: Option<String> = redis::cmd("HGET")
            .arg(limiter.class_key("search"))
            .arg("blocked")
            .query_async(&mut conn)
            .await
            .unwrap();
        if blocked.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    keys.sort();
    assert_eq!(keys, [limiter.class_key("search"), limiter.overall_key()]);
    assert_eq!(keys[0], format!("{{{prefix}}}:class:search"));
    for key in &keys {
        let ttl: i64 = redis::cmd("PTTL")
            .arg(key)
            .query_async(&mut conn)
            .await
            .unwrap();
        // An idle cell is forgotten one second after its last slot (2 s for the class).
        assert!(ttl > 0 && ttl <= 3_000, "{key}: ttl {ttl} ms");
        let fields: Vec<(String, String)> = redis::cmd("HGETALL")
            .arg(key)
            .query_async(&mut conn)
            .await
            .unwrap();
        assert!(!fields.is_empty());
        for (name, value) in fields {
            assert!(["tat", "blocked"].contains(&name.as_str()), "{key}: {name}");
            assert!(value.bytes().all(|b| b.is_ascii_digit()), "{key}: {value}");
        }
        assert!(!key.contains(token));
    }
}
