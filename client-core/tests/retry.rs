//! Retry acceptance: the retry matrix (GET, POST, POST marked retry-safe × 408, 429 with and
//! without `Retry-After`, 500, 502, 503, 504, connection refused, connection reset mid-response,
//! a response slower than the timeout), with the number of requests the server received, the
//! waits and the error kind.
//!
//! Waits are observed with [`RecordingClock`]: its sleeps return at once and are recorded, so
//! `Retry-After` waits are asserted exactly and backoff waits against the full-jitter bounds,
//! while the requests travel over real sockets. Attempts are also counted by a rate limiter that
//! every attempt passes through, which counts attempts that never reached a server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use client_core::clock::RecordingClock;
use client_core::{
    Bytes, Client, Error, ErrorKind, RateLimiter, ResetFormat, RetryBudget, RetryPolicy, StatusCode,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A limiter that never waits and counts the attempts that pass through it.
#[derive(Debug, Default)]
struct AttemptCounter(AtomicUsize);

#[async_trait::async_trait]
impl RateLimiter for AttemptCounter {
    async fn acquire(&self, _class: Option<&str>) -> Result<(), Error> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl AttemptCounter {
    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

struct Harness {
    client: Client,
    clock: RecordingClock,
    attempts: Arc<AttemptCounter>,
    policy: RetryPolicy,
}

const TIMEOUT: Duration = Duration::from_millis(200);

fn harness_with(base: &str, policy: RetryPolicy) -> Harness {
    let clock = RecordingClock::new();
    let attempts = Arc::new(AttemptCounter::default());
    let client = Client::builder(base)
        .retry_policy(policy.clone())
        .retry_budget(RetryBudget::unlimited())
        .clock(Arc::new(clock.clone()))
        .rate_limiter(attempts.clone())
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    Harness {
        client,
        clock,
        attempts,
        policy,
    }
}

fn harness(base: &str) -> Harness {
    harness_with(base, RetryPolicy::default())
}

/// The three ways a call is sent in the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Get,
    Post,
    PostRetrySafe,
}

const CALLS: [Call; 3] = [Call::Get, Call::Post, Call::PostRetrySafe];

impl Call {
    fn method(self) -> &'static str {
        match self {
            Call::Get => "GET",
            Call::Post | Call::PostRetrySafe => "POST",
        }
    }

    /// Whether a failure after the request reached the server may be retried.
    fn repeatable(self) -> bool {
        self != Call::Post
    }

    async fn send(self, client: &Client) -> Result<Bytes, Error> {
        let body = serde_json::json!({"name": "Sales"});
        let request = match self {
            Call::Get => client.get("/things"),
            Call::Post => client.post("/things").json(&body),
            Call::PostRetrySafe => client.post("/things").json(&body).retry_safe(),
        };
        request.send_bytes().await
    }
}

/// Send `call` to a server answering every request with `template`; assert the server received
/// exactly `expected` requests; return the error and the recorded waits.
async fn against(
    call: Call,
    template: ResponseTemplate,
    expected: u64,
    policy: RetryPolicy,
) -> (Error, Vec<Duration>, RetryPolicy) {
    let server = MockServer::start().await;
    Mock::given(method(call.method()))
        .and(path("/things"))
        .respond_with(template)
        .expect(expected)
        .named(format!("{call:?}"))
        .mount(&server)
        .await;
    let h = harness_with(&server.uri(), policy);
    let err = call.send(&h.client).await.unwrap_err();
    server.verify().await;
    assert_eq!(h.attempts.count() as u64, expected, "{call:?}: attempts");
    (err, h.clock.sleeps(), h.policy)
}

/// The recorded waits are `retries` full-jitter backoffs within their ceilings.
fn assert_backoff(call: Call, sleeps: &[Duration], retries: usize, policy: &RetryPolicy) {
    assert_eq!(sleeps.len(), retries, "{call:?}: waits {sleeps:?}");
    for (i, wait) in sleeps.iter().enumerate() {
        let ceiling = policy.backoff_ceiling(i as u32 + 1);
        assert!(
            *wait <= ceiling,
            "{call:?}: wait {i} of {wait:?} above the ceiling {ceiling:?}"
        );
    }
}

async fn check_server_error(status: u16) {
    for call in CALLS {
        let expected = if call.repeatable() { 3 } else { 1 };
        let (err, sleeps, policy) = against(
            call,
            ResponseTemplate::new(status),
            expected,
            RetryPolicy::default(),
        )
        .await;
        assert_eq!(err.kind(), ErrorKind::Http, "{call:?}");
        assert_eq!(err.status(), Some(StatusCode::from_u16(status).unwrap()));
        assert!(err.is_transient());
        // Whether the caller may repeat it: only a repeatable call (a plain POST reached the
        // server and may have created something).
        assert_eq!(err.is_retryable(), call.repeatable(), "{call:?}");
        assert_eq!(err.retry_after(), None);
        assert_backoff(call, &sleeps, expected as usize - 1, &policy);
    }
}

#[tokio::test]
async fn status_500_is_retried_except_for_a_plain_post() {
    check_server_error(500).await;
}

#[tokio::test]
async fn status_502_is_retried_except_for_a_plain_post() {
    check_server_error(502).await;
}

#[tokio::test]
async fn status_503_is_retried_except_for_a_plain_post() {
    check_server_error(503).await;
}

#[tokio::test]
async fn status_504_is_retried_except_for_a_plain_post() {
    check_server_error(504).await;
}

#[tokio::test]
async fn status_408_is_a_retried_timeout() {
    for call in CALLS {
        let expected = if call.repeatable() { 3 } else { 1 };
        let (err, sleeps, policy) = against(
            call,
            ResponseTemplate::new(408),
            expected,
            RetryPolicy::default(),
        )
        .await;
        assert_eq!(err.kind(), ErrorKind::Timeout, "{call:?}");
        assert!(err.is_timeout());
        assert_eq!(err.status(), Some(StatusCode::REQUEST_TIMEOUT));
        assert_backoff(call, &sleeps, expected as usize - 1, &policy);
    }
}

#[tokio::test]
async fn status_429_with_retry_after_seconds_waits_exactly_that() {
    for call in CALLS {
        let expected = if call.repeatable() { 3 } else { 1 };
        let (err, sleeps, _) = against(
            call,
            ResponseTemplate::new(429).insert_header("retry-after", "7"),
            expected,
            RetryPolicy::default(),
        )
        .await;
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{call:?}");
        assert!(err.is_rate_limited());
        assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
        let want = vec![Duration::from_secs(7); expected as usize - 1];
        assert_eq!(sleeps, want, "{call:?}");
    }
}

#[tokio::test]
async fn status_429_with_an_http_date_waits_until_then() {
    for call in CALLS {
        let expected = if call.repeatable() { 3 } else { 1 };
        // An HTTP-date has whole seconds: "now + 10 s" is between 9 and 10 s away.
        let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
        let (err, sleeps, _) = against(
            call,
            ResponseTemplate::new(429).insert_header("retry-after", at.as_str()),
            expected,
            RetryPolicy::default(),
        )
        .await;
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{call:?}");
        let wait = err.retry_after().expect("retry_after from the date");
        assert!(
            wait > Duration::from_secs(7) && wait <= Duration::from_secs(10),
            "{wait:?}"
        );
        assert_eq!(sleeps.len(), expected as usize - 1, "{call:?}");
        for s in sleeps {
            assert!(
                s > Duration::from_secs(7) && s <= Duration::from_secs(10),
                "{call:?}: waited {s:?}"
            );
        }
    }
}

#[tokio::test]
async fn status_429_without_retry_after_backs_off_with_jitter() {
    for call in CALLS {
        let expected = if call.repeatable() { 3 } else { 1 };
        let (err, sleeps, policy) = against(
            call,
            ResponseTemplate::new(429),
            expected,
            RetryPolicy::default(),
        )
        .await;
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{call:?}");
        assert_eq!(err.retry_after(), None);
        assert_backoff(call, &sleeps, expected as usize - 1, &policy);
    }
}

#[tokio::test]
async fn an_unhinted_429_is_reported_at_once_when_the_policy_says_so() {
    let policy = RetryPolicy {
        retry_unhinted_rate_limits: false,
        ..RetryPolicy::default()
    };
    for call in CALLS {
        let (err, sleeps, _) = against(call, ResponseTemplate::new(429), 1, policy.clone()).await;
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{call:?}");
        assert_eq!(err.retry_after(), None);
        assert!(sleeps.is_empty(), "{call:?}: slept {sleeps:?}");
    }
    // A 429 that names its wait is still waited for and retried.
    let (err, sleeps, _) = against(
        Call::Get,
        ResponseTemplate::new(429).insert_header("retry-after", "2"),
        3,
        policy.clone(),
    )
    .await;
    assert!(err.is_rate_limited());
    assert_eq!(sleeps, vec![Duration::from_secs(2); 2]);
    // Other failures keep their backoff.
    let (err, sleeps, policy) = against(Call::Get, ResponseTemplate::new(503), 3, policy).await;
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_backoff(Call::Get, &sleeps, 2, &policy);
}

#[tokio::test]
async fn retry_after_above_the_maximum_returns_rate_limited_without_sleeping() {
    let policy = RetryPolicy {
        max_retry_after: Duration::from_secs(60),
        ..RetryPolicy::default()
    };
    for call in CALLS {
        let (err, sleeps, _) = against(
            call,
            ResponseTemplate::new(429).insert_header("retry-after", "120"),
            1,
            policy.clone(),
        )
        .await;
        assert_eq!(err.kind(), ErrorKind::RateLimited, "{call:?}");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
        assert!(sleeps.is_empty(), "{call:?}: slept {sleeps:?}");
    }
    // A 503 asking for a long wait is reported the same way, with its status.
    let (err, sleeps, _) = against(
        Call::Get,
        ResponseTemplate::new(503).insert_header("retry-after", "3600"),
        1,
        policy,
    )
    .await;
    assert!(err.is_rate_limited());
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(sleeps.is_empty());
}

#[tokio::test]
async fn retry_after_on_a_503_is_honoured() {
    let (err, sleeps, _) = against(
        Call::Get,
        ResponseTemplate::new(503).insert_header("retry-after", "3"),
        3,
        RetryPolicy::default(),
    )
    .await;
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!(sleeps, vec![Duration::from_secs(3); 2]);
}

#[tokio::test]
async fn a_vendor_reset_header_is_read_when_retry_after_is_absent() {
    let policy = RetryPolicy {
        reset_header: Some((
            "x-ratelimit-reset".parse().unwrap(),
            ResetFormat::DeltaSeconds,
        )),
        ..RetryPolicy::default()
    };
    let (err, sleeps, _) = against(
        Call::Get,
        ResponseTemplate::new(429).insert_header("x-ratelimit-reset", "4"),
        3,
        policy.clone(),
    )
    .await;
    assert_eq!(err.retry_after(), Some(Duration::from_secs(4)));
    assert_eq!(sleeps, vec![Duration::from_secs(4); 2]);

    // Retry-After wins over the reset header.
    let (_, sleeps, _) = against(
        Call::Get,
        ResponseTemplate::new(429)
            .insert_header("x-ratelimit-reset", "4")
            .insert_header("retry-after", "2"),
        3,
        policy,
    )
    .await;
    assert_eq!(sleeps, vec![Duration::from_secs(2); 2]);
}

#[tokio::test]
async fn a_slow_response_times_out_and_only_repeatable_calls_are_retried() {
    for call in CALLS {
        let expected = if call.repeatable() { 3 } else { 1 };
        let (err, sleeps, policy) = against(
            call,
            ResponseTemplate::new(200)
                .set_body_string("{}")
                .set_delay(Duration::from_secs(2)),
            expected,
            RetryPolicy::default(),
        )
        .await;
        assert_eq!(err.kind(), ErrorKind::Timeout, "{call:?}: {err:?}");
        assert!(err.is_timeout());
        assert!(err.is_transient());
        // Whether the caller may repeat it: only a repeatable call (a plain POST reached the
        // server and may have created something).
        assert_eq!(err.is_retryable(), call.repeatable(), "{call:?}");
        assert_eq!(err.status(), None);
        assert_backoff(call, &sleeps, expected as usize - 1, &policy);
    }
}

/// A port with nothing listening on it.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn connection_refused_is_retried_for_every_method() {
    let base = format!("http://127.0.0.1:{}", closed_port());
    for call in CALLS {
        let h = harness(&base);
        let err = call.send(&h.client).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connect, "{call:?}: {err:?}");
        // Nothing reached the server: every call, a plain POST too, may be repeated.
        assert!(err.is_retryable(), "{call:?}");
        assert_eq!(err.may_have_reached_server(), Some(false));
        assert_eq!(err.status(), None);
        // Nothing reached a server, so even a plain POST is tried three times.
        assert_eq!(h.attempts.count(), 3, "{call:?}");
        assert_backoff(call, &h.clock.sleeps(), 2, &h.policy);
    }
}

/// How the broken server ends each connection.
#[derive(Clone, Copy)]
enum Break {
    /// Send part of the promised body, then close normally.
    ShortBody,
    /// Send part of the promised body, then reset the connection.
    Reset,
}

/// A server that reads each request whole, answers with a head promising 100 bytes of body,
/// sends 11 of them and breaks the connection. Returns its base URL and the number of requests
/// it read.
async fn broken_server(how: Break) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                if read_request(&mut socket).await.is_none() {
                    return;
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            content-length: 100\r\n\r\n";
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(b"{\"items\":[").await;
                let _ = socket.flush().await;
                match how {
                    Break::ShortBody => {
                        let _ = socket.shutdown().await;
                    }
                    Break::Reset => {
                        let _ = socket.set_zero_linger();
                    }
                }
                drop(socket);
            });
        }
    });
    (format!("http://{addr}"), requests)
}

/// Read one HTTP/1.1 request (head and a `content-length` body); `None` on EOF.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(buf)
}

async fn check_broken_response(how: Break) {
    for call in CALLS {
        let (base, requests) = broken_server(how).await;
        let h = harness(&base);
        let err = call.send(&h.client).await.unwrap_err();
        let expected = if call.repeatable() { 3 } else { 1 };
        assert_eq!(err.kind(), ErrorKind::Transport, "{call:?}: {err:?}");
        assert!(err.is_transient());
        // Whether the caller may repeat it: only a repeatable call (a plain POST reached the
        // server and may have created something).
        assert_eq!(err.is_retryable(), call.repeatable(), "{call:?}");
        assert_eq!(requests.load(Ordering::SeqCst), expected, "{call:?}");
        assert_eq!(h.attempts.count(), expected, "{call:?}");
        assert_backoff(call, &h.clock.sleeps(), expected - 1, &h.policy);
    }
}

#[tokio::test]
async fn a_response_cut_short_is_retried_except_for_a_plain_post() {
    check_broken_response(Break::ShortBody).await;
}

#[tokio::test]
async fn a_connection_reset_mid_response_is_retried_except_for_a_plain_post() {
    check_broken_response(Break::Reset).await;
}

#[tokio::test]
async fn a_retry_that_succeeds_returns_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let h = harness(&server.uri());
    let body = h.client.get("/things").send_text().await.unwrap();
    assert_eq!(body, "ok");
    assert_eq!(h.clock.sleeps().len(), 1);
    assert!(h.clock.sleeps()[0] <= h.policy.backoff_ceiling(1));
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    for (status, kind) in [
        (400, ErrorKind::Http),
        (401, ErrorKind::Auth),
        (403, ErrorKind::Forbidden),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::Conflict),
        (422, ErrorKind::Http),
    ] {
        let (err, sleeps, _) = against(
            Call::Get,
            ResponseTemplate::new(status),
            1,
            RetryPolicy::default(),
        )
        .await;
        assert_eq!(err.kind(), kind, "{status}");
        assert!(!err.is_retryable(), "{status}");
        assert!(sleeps.is_empty());
    }
}

#[tokio::test]
async fn attempts_and_the_backoff_cap_follow_the_policy() {
    let policy = RetryPolicy {
        max_attempts: 6,
        base_delay: Duration::from_millis(300),
        max_delay: Duration::from_secs(1),
        ..RetryPolicy::default()
    };
    let (_, sleeps, policy) = against(Call::Get, ResponseTemplate::new(500), 6, policy).await;
    assert_backoff(Call::Get, &sleeps, 5, &policy);
    let ceilings: Vec<Duration> = (1..=5).map(|r| policy.backoff_ceiling(r)).collect();
    assert_eq!(
        ceilings,
        [300, 600, 1000, 1000, 1000].map(Duration::from_millis)
    );
    // Full jitter: the waits are drawn, not fixed.
    let mut distinct = sleeps.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() > 1, "{sleeps:?}");

    let (_, sleeps, _) = against(
        Call::Get,
        ResponseTemplate::new(500),
        1,
        RetryPolicy::never(),
    )
    .await;
    assert!(sleeps.is_empty());
}
