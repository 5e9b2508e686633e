//! Rate limits as the real server enforces them: 1000 requests per hour and 5000 per day for
//! each route template (every id of `/recordings/{id}/summary` counts toward one bucket), status
//! polling exempt, and a 429 that is an HTML page with no `Retry-After`.
//!
//! The limiter runs on a virtual clock whose sleeps return at once and move its time forward by
//! exactly the amount asked, so the server below stamps every request with the virtual instant it
//! was sent and hours of traffic take a moment. (The recording clock of `client-core` adds the
//! real time that passes to its virtual time, which would blur those instants.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use client_core::clock::{Clock, RecordingClock};
use common::{call, fixture, reply, TOKEN};
use futures::future::BoxFuture;
use speakr_client::{ErrorKind, SpeakrClient};
use tokio::time::Instant;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const HOUR: Duration = Duration::from_secs(3600);

/// What the server enforces per route template.
const SERVER_PER_HOUR: usize = 1000;

/// A clock whose time moves only when something sleeps on it, by exactly the time asked.
#[derive(Clone)]
struct VirtualClock {
    base: Instant,
    offset: Arc<Mutex<Duration>>,
}

impl VirtualClock {
    fn new() -> Self {
        VirtualClock {
            base: Instant::now(),
            offset: Arc::default(),
        }
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Instant {
        self.base + *self.offset.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        *self.offset.lock().unwrap() += duration;
        Box::pin(std::future::ready(()))
    }
}

/// The largest number of instants inside any half-open window `[w, w + period)`.
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

/// A server answering `GET /recordings/{id}/<what>` for any id, stamping each request with the
/// clock's time.
async fn stamping(
    server: &MockServer,
    what: &str,
    clock: &VirtualClock,
) -> Arc<Mutex<Vec<Instant>>> {
    let stamps: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let body = fixture(&format!("recording_{what}.json"));
    let (log, clock) = (stamps.clone(), clock.clone());
    Mock::given(method("GET"))
        .and(path_regex(format!(r"^/api/v1/recordings/\d+/{what}$")))
        .respond_with(move |_: &Request| {
            log.lock().unwrap().push(clock.now());
            ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")
        })
        .mount(server)
        .await;
    stamps
}

#[tokio::test]
async fn the_default_limits_keep_every_id_of_a_route_within_the_servers_hour() {
    let server = MockServer::start().await;
    let clock = VirtualClock::new();
    let summaries = stamping(&server, "summary", &clock).await;
    let notes = stamping(&server, "notes", &clock).await;
    let statuses = stamping(&server, "status", &clock).await;
    let limiter =
        SpeakrClient::documented_rate_limits().limiter_with_clock(Arc::new(clock.clone()));
    let speakr = SpeakrClient::builder(TOKEN)
        .base_url(server.uri())
        .configure(move |core| core.rate_limiter(limiter))
        .build()
        .unwrap();

    let start = clock.now();
    let calls = 2000;
    for id in 1..=calls {
        speakr.recordings().summary(id).await.unwrap();
        if id == 300 {
            // An idle client's burst: the first 300 calls to the route wait only for the
            // documented 100 GETs per minute.
            let took = clock.now() - start;
            assert!(took < Duration::from_secs(240), "300 calls took {took:?}");
        }
        if id == 900 {
            // The route's hour is spent; another template is not held back by it, and status
            // polling (exempt on the server) pays no route quota.
            let before = clock.now();
            speakr.recordings().notes(id).await.unwrap();
            for _ in 0..1200 {
                speakr.recordings().status(id).await.unwrap();
            }
            assert_eq!(
                clock.now(),
                before,
                "notes or status waited for the summary route"
            );
        }
    }

    let summaries = summaries.lock().unwrap().clone();
    assert_eq!(summaries.len(), calls as usize, "each call was sent once");
    assert_eq!(notes.lock().unwrap().len(), 1);
    assert_eq!(statuses.lock().unwrap().len(), 1200);
    let most = max_in_any_window(&summaries, HOUR);
    assert!(
        most <= SERVER_PER_HOUR * 9 / 10,
        "{most} calls to /recordings/{{id}}/summary in one hour (server: {SERVER_PER_HOUR})"
    );
    let elapsed = clock.now() - start;
    let hours = elapsed.as_secs().div_ceil(3600) as u32;
    let per_hour: Vec<usize> = (0..hours)
        .map(|h| {
            let lo = start + HOUR * h;
            summaries
                .iter()
                .filter(|t| **t >= lo && **t < lo + HOUR)
                .count()
        })
        .collect();
    // The quota is used: the whole first hour, then the steady 601 an hour.
    assert_eq!(per_hour[0], 900, "{per_hour:?}");
    assert!(
        per_hour[1..per_hour.len() - 1]
            .iter()
            .all(|n| (595..=605).contains(n)),
        "{per_hour:?}"
    );
}

#[tokio::test]
async fn an_unhinted_429_is_reported_after_one_request() {
    let server = MockServer::start().await;
    // The real server's answer once a route's hour is spent: an HTML page, no Retry-After, no
    // X-RateLimit-* header.
    call("GET", "/tags")
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("server", "gunicorn")
                .insert_header(
                    "x-robots-tag",
                    "noindex, nofollow, noarchive, nosnippet, noimageindex",
                )
                .set_body_raw(fixture("rate_limited_429.html"), "text/html; charset=utf-8"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let clock = RecordingClock::new();
    let speakr = SpeakrClient::builder(TOKEN)
        .base_url(server.uri())
        .configure({
            let clock = clock.clone();
            move |core| core.clock(Arc::new(clock))
        })
        .build()
        .unwrap();
    let err = speakr.tags().list().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.retry_after(), None);
    assert!(err.body_snippet().unwrap().contains("1000 per 1 hour"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(clock.sleeps().is_empty(), "waited {:?}", clock.sleeps());

    // The default policy still retries what is worth retrying: a 503, then a success.
    call("GET", "/speakers")
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/speakers")
        .respond_with(reply(200, "speakers_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    speakr.speakers().list().send().await.unwrap();
    assert_eq!(clock.sleeps().len(), 1);
}
