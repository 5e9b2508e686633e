//! Load benchmark of `webhook-receiver`: signed deliveries of every vendor, 1 KiB and 64 KiB,
//! sent over keep-alive connections on loopback to five servers in this process:
//!
//! - **bare**: an axum `POST` handler that only reads the body as `Bytes` and answers
//!   `200 ok`: the baseline;
//! - **verify**: webhook-verify's axum extractor with the vendor's verifier, then the
//!   idempotency key, and `200 ok`: what any verifying, deduplicating receiver must do at
//!   least (hash the body), to tell the receiver's own cost from the hashing's;
//! - **ping**: bare, plus one `PING` to Redis per delivery on a multiplexed connection like
//!   the store's: what any receiver that asks Redis once per delivery pays at least;
//! - **memory**: the receiver's router (`src/bin/webhook-receiver/app.rs`, included below),
//!   dedup in memory;
//! - **redis**: the same router, dedup in Redis at `REDIS_URL`.
//!
//! Without `REDIS_URL`, ping and redis are skipped (with a note).
//!
//! Run: `REDIS_URL=redis://127.0.0.1:6390/ cargo bench -p examples --bench receiver_load`.
//! Give it a Redis of its own: the commands per delivery are read from the server's
//! counters, which other clients would inflate. `RECEIVER_LOAD_ROWS=hedy,speakr-64k` runs
//! only the rows whose `vendor-size` name starts with one of those prefixes;
//! `RECEIVER_LOAD_CONNECTIONS` sets the number of connections.
//!
//! The receiver runs as deployed: every mounted route, the multi-threaded Tokio runtime of
//! `#[tokio::main]`, and one line per delivery written line by line (to the null device
//! instead of the terminal). The load generator runs on a single-threaded runtime of its own
//! thread: [`CONNECTIONS`] connections, each sending its next delivery as soon as the previous
//! answer is read, until a round's deliveries are answered or [`ROUND_CAP`] has passed. Every
//! delivery is new (its own id, so its own idempotency key): the receivers claim and complete
//! a key each time. Deliveries are built and signed before a round starts.
//!
//! Rounds of the servers alternate (the order rotates each round) so that the machine's other
//! work slows them alike; each figure is the median over [`ROUNDS`] rounds, the ratios (to bare,
//! and of the receivers to their floors) are medians of the per-round ratios, with their range
//! over the rounds. It prints a line per vendor and size as it goes, then a Markdown table.
//!
//! Before its rounds, each vendor and size is checked: a few deliveries must be answered `200`
//! and printed `first`, a repeat `duplicate`; otherwise the bench stops and says why. Redis
//! also gets a counting pass: Redis's `MONITOR` lists the commands the receiver sends (one
//! per round trip) apart from those its scripts run, for [`COUNTED`] deliveries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "../src/bin/webhook-receiver/app.rs"]
mod app;
#[allow(dead_code, unused_imports)]
#[path = "../src/bin/webhook-receiver/pipeline.rs"]
mod pipeline;
#[allow(dead_code)]
#[path = "../src/transcript_files.rs"]
mod transcript_files;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, LineWriter, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use bytes::Bytes;
use http::header::{HeaderMap, HeaderValue, CONTENT_TYPE, HOST};
use http::{Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use webhook_verify::axum::{VerifiedWebhook, WebhookVerifier};
use webhook_verify::healthie::{self, Dialect};
use webhook_verify::{hedy, heilo, speakr};

use app::{Config, Lines, OnUnverified};

/// Concurrent keep-alive connections per round, unless `RECEIVER_LOAD_CONNECTIONS` says.
/// Fewer than about 16 leave this 2-core machine waiting on round trips rather than busy, and
/// then measure each request's latency more than the servers' throughput.
const CONNECTIONS: usize = 16;
/// Measured rounds per vendor and size (each runs every server once).
const ROUNDS: usize = 9;
/// A round stops after this long even if not every delivery was sent.
const ROUND_CAP: Duration = Duration::from_secs(2);
/// Deliveries the Redis counting pass sends per vendor and size.
const COUNTED: usize = 400;
/// Body sizes, their names in `RECEIVER_LOAD_ROWS`, and the deliveries sent per server and
/// round at that size.
const SIZES: [(usize, &str, usize); 2] = [(1024, "1k", 4000), (64 * 1024, "64k", 1200)];
const VENDORS: [&str; 4] = ["speakr", "hedy", "heilo", "healthie"];
const SECRET: &str = "whsec_receiver_load_secret";
/// The path Healthie signs: the receiver's route.
const HEALTHIE_PATH: &str = "/hooks/healthie";

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then only build.
    if !std::env::args().any(|a| a == "--bench") {
        println!("receiver_load: runs under `cargo bench` only");
        return;
    }
    let started = Instant::now();
    let redis_url = std::env::var("REDIS_URL")
        .ok()
        .filter(|u| !u.trim().is_empty());
    if redis_url.is_none() {
        println!("receiver_load: REDIS_URL is not set: the Redis rows are skipped");
    }
    // The servers: a runtime like `#[tokio::main]`'s (one worker per core).
    let servers = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let tap = Tap::default();
    let prefix = format!("receiver-load-{}-{}", std::process::id(), unix_now());
    let mut targets = vec![
        (Target::Bare, servers.block_on(serve(bare_router()))),
        (Target::Verify, servers.block_on(serve(verify_router()))),
    ];
    let memory = app::Dedup::new(None, "", LEASE, REDIS_TIMEOUT).unwrap();
    let memory = receiver(memory, &tap);
    targets.push((Target::Memory, servers.block_on(serve(memory))));
    let mut redis = None;
    if let Some(url) = &redis_url {
        let client = redis::Client::open(url.as_str()).unwrap();
        let mut conn = client
            .get_connection()
            .unwrap_or_else(|e| panic!("receiver_load: REDIS_URL {url}: cannot connect: {e}"));
        let _: String = redis::cmd("PING").query(&mut conn).unwrap();
        let store = app::Dedup::new(Some(url), &prefix, LEASE, REDIS_TIMEOUT).unwrap();
        let ping = servers.block_on(async {
            let manager = redis::aio::ConnectionManager::new(client.clone())
                .await
                .unwrap();
            serve(ping_router(manager)).await
        });
        targets.push((Target::Ping, ping));
        targets.push((
            Target::Redis,
            servers.block_on(serve(receiver(store, &tap))),
        ));
        redis = Some(Redis { client, conn });
    }

    // The load generator: one thread, its own runtime.
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let rows = std::env::var("RECEIVER_LOAD_ROWS").unwrap_or_default();
    let wanted = |name: &str| {
        rows.trim().is_empty() || rows.split(',').any(|row| name.starts_with(row.trim()))
    };
    let mut ids = Ids::default();
    let mut results = Vec::new();
    for (size, size_name, count) in SIZES {
        for vendor in VENDORS {
            if !wanted(&format!("{vendor}-{size_name}")) {
                continue;
            }
            let cell = Cell {
                vendor,
                size,
                size_name,
                count,
            };
            for (target, addr) in &targets {
                if matches!(target, Target::Memory | Target::Redis) {
                    client.block_on(check(&cell, *target, *addr, &tap, &mut ids));
                }
            }
            let round_trips = match (&mut redis, targets.iter().find(|t| t.0 == Target::Redis)) {
                (Some(redis), Some((_, addr))) => {
                    Some(client.block_on(count_round_trips(&cell, *addr, redis, &mut ids)))
                }
                _ => None,
            };
            let result = client.block_on(measure(&cell, &targets, redis.as_mut(), &mut ids));
            let result = CellResult {
                round_trips,
                ..result
            };
            println!("{}", result.summary());
            results.push(result);
        }
    }
    if let Some(redis) = &mut redis {
        let removed = remove_keys(&mut redis.conn, &prefix);
        println!("receiver_load: removed the {removed} Redis keys of this run");
    }
    println!("\n{}", table(&results));
    println!(
        "receiver_load: {} connections, {ROUNDS} rounds, {:.0} s in all",
        connections(),
        started.elapsed().as_secs_f64()
    );
}

/// The lease of the receivers' claims and the timeout of each Redis call: the receiver's
/// defaults.
const LEASE: Duration = Duration::from_secs(60);
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

/// The servers (see the module documentation), in the order of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Bare,
    Verify,
    Ping,
    Memory,
    Redis,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Bare => "bare",
            Target::Verify => "verify",
            Target::Ping => "ping",
            Target::Memory => "memory",
            Target::Redis => "redis",
        }
    }
}

/// One vendor at one size.
struct Cell {
    vendor: &'static str,
    size: usize,
    size_name: &'static str,
    count: usize,
}

/// The baseline: reads the body, answers `200 ok` like the receiver.
fn bare_router() -> Router {
    async fn bare(body: Bytes) -> &'static str {
        drop(body);
        "ok"
    }
    Router::new().route("/hooks/{vendor}", post(bare))
}

/// The floor of a receiver: the extractor verifies each vendor's deliveries (body read,
/// signature checked), the idempotency key is taken (Hedy's is the body's SHA-256), nothing
/// else.
fn verify_router() -> Router {
    async fn verified(VerifiedWebhook(delivery): VerifiedWebhook) -> &'static str {
        std::hint::black_box(delivery.idempotency_key());
        "ok"
    }
    let secrets = || vec![SECRET.to_owned()];
    let verifiers = [
        (
            "speakr",
            WebhookVerifier::new(speakr::Verifier::new(secrets())),
        ),
        ("hedy", WebhookVerifier::new(hedy::Verifier::new(secrets()))),
        (
            "heilo",
            WebhookVerifier::new(heilo::Verifier::new(secrets())),
        ),
        (
            "healthie",
            WebhookVerifier::new(healthie::Verifier::new(secrets(), "POST", HEALTHIE_PATH)),
        ),
    ];
    let mut router = Router::new();
    for (vendor, verifier) in verifiers {
        let route = post(verified).with_state(verifier.body_limit(BODY_LIMIT));
        router = router.route(&format!("/hooks/{vendor}"), route);
    }
    router
}

/// The floor of a receiver that asks Redis once per delivery: bare, plus a `PING`.
fn ping_router(redis: redis::aio::ConnectionManager) -> Router {
    async fn ping(
        State(mut redis): State<redis::aio::ConnectionManager>,
        body: Bytes,
    ) -> Result<&'static str, StatusCode> {
        drop(body);
        let pong: Result<String, _> = redis::cmd("PING").query_async(&mut redis).await;
        pong.map(|_| "ok")
            .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)
    }
    Router::new()
        .route("/hooks/{vendor}", post(ping))
        .with_state(redis)
}

/// The receiver's default `--body-limit`.
const BODY_LIMIT: usize = 256 * 1024;

/// The receiver's router with every vendor mounted and `dedup`, as the command line builds it
/// with its defaults.
fn receiver(dedup: app::Dedup, tap: &Tap) -> Router {
    let secret = || vec![SECRET.to_owned()];
    let (router, report) = app::router(Config {
        speakr_secret: secret(),
        hedy_secret: secret(),
        heilo_secret: secret(),
        healthie_secret: secret(),
        healthie_path: HEALTHIE_PATH.to_owned(),
        body_limit: BODY_LIMIT,
        dedup,
        handler_time: Duration::ZERO,
        on_unverified: OnUnverified::Reject,
        pipelines: HashMap::new(),
        lines: Lines::to(tap.output()),
    });
    assert!(
        report.iter().all(|l| l.starts_with("mounted")),
        "{report:?}"
    );
    router
}

/// Serve `router` on a free loopback port; its address.
async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// The lines the receivers print, kept while [`Tap::start`] is on, for [`check`].
#[derive(Clone, Default)]
struct Tap {
    on: Arc<AtomicBool>,
    kept: Arc<Mutex<Vec<u8>>>,
}

impl Tap {
    fn start(&self) {
        self.kept.lock().unwrap().clear();
        self.on.store(true, Ordering::SeqCst);
    }

    fn stop(&self) -> Vec<String> {
        self.on.store(false, Ordering::SeqCst);
        let text = String::from_utf8_lossy(&self.kept.lock().unwrap()).into_owned();
        text.lines().map(str::to_owned).collect()
    }

    /// A receiver's output: the null device, written line by line as standard output is
    /// (one write per line), and this tap.
    fn output(&self) -> TappedNull {
        let null: Box<dyn Write + Send> =
            match std::fs::OpenOptions::new().write(true).open("/dev/null") {
                Ok(file) => Box::new(file),
                Err(_) => Box::new(io::sink()),
            };
        TappedNull {
            out: LineWriter::new(null),
            tap: self.clone(),
        }
    }
}

/// See [`Tap::output`].
struct TappedNull {
    out: LineWriter<Box<dyn Write + Send>>,
    tap: Tap,
}

impl Write for TappedNull {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.tap.on.load(Ordering::Relaxed) {
            self.tap.kept.lock().unwrap().extend_from_slice(buf);
        }
        self.out.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One signed delivery.
struct Delivery {
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

/// Unique ids for the whole run.
#[derive(Default)]
struct Ids(u64);

impl Ids {
    fn next(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Transcript-like text, `n` bytes, nothing to escape in JSON.
fn filler(n: usize) -> String {
    const LINE: &str = "Alex: the launch moves to Monday, QA has the build. ";
    let mut text = LINE.repeat(n / LINE.len() + 1);
    text.truncate(n);
    text
}

/// The body `make` builds, its padded string field filled so that it is `size` bytes.
fn padded(size: usize, make: impl Fn(&str) -> String) -> Bytes {
    let bare = make("").len();
    let body = make(&filler(size.saturating_sub(bare)));
    assert_eq!(body.len(), size.max(bare));
    Bytes::from(body)
}

/// `n` new deliveries of `vendor`, each `size` bytes, signed with [`SECRET`]: events that the
/// vendor's typed parser reads, padded in a text field (Speakr's title, Hedy's and Heilo's
/// transcript; Healthie's thin payload has no text field, so an extra field it keeps as is).
fn deliveries(vendor: &str, size: usize, n: usize, ids: &mut Ids) -> Vec<Delivery> {
    let now = unix_now();
    (0..n)
        .map(|_| {
            let i = ids.next();
            let (body, mut headers) = match vendor {
                "speakr" => {
                    let id = format!("load-{i:08}");
                    let body = padded(size, |pad| {
                        format!(
                            r#"{{"id":"{id}","type":"recording.created","timestamp":"2026-12-07T10:00:00.000000Z","user_id":1,"data":{{"recording_id":{i},"title":"{pad}","file_size":33062,"original_filename":"standup.wav"}}}}"#
                        )
                    });
                    let at = "2026-12-07T10:00:00.500000Z";
                    let headers = webhook_verify::speakr::sign_delivery(
                        SECRET,
                        &id,
                        "recording.created",
                        at,
                        &body,
                    );
                    (body, headers.unwrap())
                }
                "hedy" => {
                    let body = padded(size, |pad| {
                        format!(
                            r#"{{"event":"session.ended","sessionId":"sess_load{i:08}","title":"Weekly sync","startTime":"2026-12-07T09:00:00Z","endTime":"2026-12-07T09:30:00Z","duration":1800,"sessionType":"meeting","transcript":"{pad}"}}"#
                        )
                    });
                    let headers = webhook_verify::hedy::sign_event(SECRET, "session.ended", &body);
                    (body, headers.unwrap())
                }
                "heilo" => {
                    let id = format!("6f1c0b9e-0000-5000-8000-{i:012}");
                    let call = format!("3fa85f64-5717-4562-b3fc-{i:012}");
                    let body = padded(size, |pad| {
                        format!(
                            r#"{{"api_version":"2026-06-15","event_id":"{id}","event_type":"call.completed","resource_id":"{call}","created_at":"2026-12-07T10:00:00Z","data":{{"call_id":"{call}","direction":"inbound","caller_phone":"+48600100200","duration":87,"transcript_original":"{pad}"}}}}"#
                        )
                    });
                    let headers = webhook_verify::heilo::sign_event(
                        SECRET,
                        now,
                        &id,
                        "call.completed",
                        &body,
                    );
                    (body, headers.unwrap())
                }
                "healthie" => {
                    let body = padded(size, |pad| {
                        format!(
                            r#"{{"resource_id":{i},"resource_id_type":"Appointment","event_type":"appointment.updated","changed_fields":["date"],"note":"{pad}"}}"#
                        )
                    });
                    let headers = webhook_verify::healthie::sign(
                        SECRET,
                        Dialect::Legacy,
                        "POST",
                        HEALTHIE_PATH,
                        &body,
                        now,
                    );
                    (body, headers)
                }
                other => panic!("no deliveries for {other}"),
            };
            let mut map = HeaderMap::new();
            map.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            for (name, value) in headers.drain(..) {
                map.insert(name, value);
            }
            Delivery {
                uri: Uri::try_from(format!("/hooks/{vendor}")).unwrap(),
                headers: map,
                body,
            }
        })
        .collect()
}

/// A keep-alive HTTP/1.1 connection to `addr`.
async fn connect(addr: SocketAddr) -> SendRequest<Full<Bytes>> {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    sender
}

/// Send `delivery` on `sender`: the status and body of the answer.
async fn send(
    sender: &mut SendRequest<Full<Bytes>>,
    host: &HeaderValue,
    delivery: &Delivery,
) -> Result<(u16, Bytes), String> {
    let mut request = Request::new(Full::new(delivery.body.clone()));
    *request.method_mut() = Method::POST;
    *request.uri_mut() = delivery.uri.clone();
    *request.headers_mut() = delivery.headers.clone();
    request.headers_mut().insert(HOST, host.clone());
    sender.ready().await.map_err(|e| e.to_string())?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, body))
}

fn host(addr: SocketAddr) -> HeaderValue {
    HeaderValue::try_from(addr.to_string()).unwrap()
}

/// What one server did in one round.
struct Round {
    answered: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Round {
    fn per_second(&self) -> f64 {
        self.answered as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: usize) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
    }
}

/// `RECEIVER_LOAD_CONNECTIONS`, else [`CONNECTIONS`].
fn connections() -> usize {
    std::env::var("RECEIVER_LOAD_CONNECTIONS")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(CONNECTIONS)
}

/// Send `deliveries` to `addr` over [`connections`] connections (opened before the clock
/// starts) until all are answered or [`ROUND_CAP`] has passed. Every answer must be `200 ok`.
async fn round(addr: SocketAddr, deliveries: Vec<Delivery>, what: &str) -> Round {
    let deliveries = Arc::new(deliveries);
    let mut senders = Vec::new();
    for _ in 0..connections() {
        senders.push(connect(addr).await);
    }
    let next = Arc::new(AtomicUsize::new(0));
    let host = host(addr);
    let start = Instant::now();
    let tasks: Vec<_> = senders
        .into_iter()
        .map(|mut sender| {
            let (deliveries, next, host) = (deliveries.clone(), next.clone(), host.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= deliveries.len() || start.elapsed() >= ROUND_CAP {
                        return Ok(latencies);
                    }
                    let sent = Instant::now();
                    let answer = send(&mut sender, &host, &deliveries[i]).await?;
                    latencies.push(sent.elapsed());
                    if answer != (200, Bytes::from_static(b"ok")) {
                        return Err(format!("answered {} {:?}", answer.0, answer.1));
                    }
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(l) => latencies.extend(l),
            Err(e) => panic!("receiver_load: {what}: a delivery was {e}"),
        }
    }
    Round {
        answered: latencies.len(),
        elapsed: start.elapsed(),
        latencies,
    }
}

/// Check that `target` processes new deliveries of the cell (`200 ok`, printed `first`) and
/// recognises a repeat (`duplicate`); stop the bench otherwise.
async fn check(cell: &Cell, target: Target, addr: SocketAddr, tap: &Tap, ids: &mut Ids) {
    let what = format!("{} {} {}", target.name(), cell.vendor, cell.size_name);
    let fresh = deliveries(cell.vendor, cell.size, 3, ids);
    let mut sender = connect(addr).await;
    let host = host(addr);
    tap.start();
    let mut answers = Vec::new();
    for delivery in fresh.iter().chain(&fresh[..1]) {
        answers.push(send(&mut sender, &host, delivery).await);
    }
    let lines = tap.stop();
    let ok = answers
        .iter()
        .all(|a| matches!(a, Ok((200, body)) if body == "ok"));
    let verdicts: Vec<&str> = lines
        .iter()
        .map(|l| l.split_whitespace().nth(3).unwrap_or_default())
        .collect();
    let vendors_ok = lines.iter().all(|l| l.starts_with(cell.vendor));
    if !ok || !vendors_ok || verdicts != ["first", "first", "first", "duplicate"] {
        panic!(
            "receiver_load: {what}: expected three deliveries answered `200 ok` and printed \
             `first`, then a repeat printed `duplicate`; answers {answers:?}, lines {lines:?}"
        );
    }
}

/// The bench's own line to Redis: one connection for every `INFO` and marker, so that its
/// connection set-up is not counted in any round.
struct Redis {
    client: redis::Client,
    conn: redis::Connection,
}

/// Round trips to Redis per delivery: the commands its `MONITOR` shows from clients (not
/// those run inside scripts) while [`COUNTED`] new deliveries go to `addr`, plus any
/// completion sent after the last answer.
async fn count_round_trips(cell: &Cell, addr: SocketAddr, redis: &mut Redis, ids: &mut Ids) -> f64 {
    let mut monitor = redis.client.get_connection().unwrap();
    monitor
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let _: () = redis::cmd("MONITOR").query(&mut monitor).unwrap();
    let marker = format!("receiver-load-end-{}", ids.next());
    let reader = {
        let marker = marker.clone();
        std::thread::spawn(move || {
            let mut sent = 0usize;
            loop {
                let response = monitor
                    .recv_response()
                    .unwrap_or_else(|e| panic!("receiver_load: MONITOR: {e}"));
                let line = match response {
                    redis::Value::SimpleString(s) => s,
                    redis::Value::Okay => continue,
                    other => panic!("MONITOR sent {other:?}"),
                };
                if line.contains(&marker) {
                    return sent;
                }
                // `<time> [<db> <client>] "COMMAND" …`: the client is `lua` inside scripts.
                let client = line.split('[').nth(1).and_then(|s| s.split(' ').nth(1));
                if client.is_some_and(|c| !c.starts_with("lua")) {
                    sent += 1;
                }
            }
        })
    };
    let what = format!("redis {} {} (counting)", cell.vendor, cell.size_name);
    round(
        addr,
        deliveries(cell.vendor, cell.size, COUNTED, ids),
        &what,
    )
    .await;
    // Completions still on their way are part of the deliveries' cost.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let _: String = redis::cmd("ECHO")
        .arg(&marker)
        .query(&mut redis.conn)
        .unwrap();
    let sent = tokio::task::spawn_blocking(move || reader.join().unwrap())
        .await
        .unwrap();
    sent as f64 / COUNTED as f64
}

/// `INFO commandstats`: calls by command, the `INFO` calls left out.
fn command_calls(redis: &mut Redis) -> BTreeMap<String, u64> {
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query(&mut redis.conn)
        .unwrap();
    info.lines()
        .filter_map(|line| {
            let (name, stats) = line.strip_prefix("cmdstat_")?.split_once(':')?;
            let calls = stats
                .strip_prefix("calls=")?
                .split(',')
                .next()?
                .parse()
                .ok()?;
            (name != "info").then(|| (name.to_owned(), calls))
        })
        .collect()
}

/// The servers the others are divided by.
const BASES: [Target; 3] = [Target::Bare, Target::Verify, Target::Ping];

/// The figures of one vendor and size.
struct CellResult {
    vendor: &'static str,
    size_name: &'static str,
    rounds: BTreeMap<Target, Vec<Round>>,
    /// Per round, deliveries per second of one server over another's (`(memory, bare)`: memory
    /// ÷ bare), for every server over bare and the receivers over verify.
    ratios: BTreeMap<(Target, Target), Vec<f64>>,
    /// Commands Redis ran per delivery in the measured rounds, by command (scripts' own
    /// commands included).
    commands: BTreeMap<String, f64>,
    round_trips: Option<f64>,
}

/// A warm-up round per server, then [`ROUNDS`] rounds of every server, in a rotating order.
async fn measure(
    cell: &Cell,
    targets: &[(Target, SocketAddr)],
    mut redis: Option<&mut Redis>,
    ids: &mut Ids,
) -> CellResult {
    for (target, addr) in targets {
        let what = format!(
            "{} {} {} (warm-up)",
            target.name(),
            cell.vendor,
            cell.size_name
        );
        let warm_up = deliveries(cell.vendor, cell.size, cell.count / 4, ids);
        round(*addr, warm_up, &what).await;
    }
    let mut rounds: BTreeMap<Target, Vec<Round>> = BTreeMap::new();
    let mut ratios: BTreeMap<(Target, Target), Vec<f64>> = BTreeMap::new();
    let mut commands: BTreeMap<String, u64> = BTreeMap::new();
    let mut redis_deliveries = 0;
    for r in 0..ROUNDS {
        let mut this: BTreeMap<Target, f64> = BTreeMap::new();
        for k in 0..targets.len() {
            let (target, addr) = targets[(r + k) % targets.len()];
            let what = format!("{} {} {}", target.name(), cell.vendor, cell.size_name);
            let batch = deliveries(cell.vendor, cell.size, cell.count, ids);
            let before = match (target, redis.as_deref_mut()) {
                (Target::Redis, Some(redis)) => Some(command_calls(redis)),
                _ => None,
            };
            let result = round(addr, batch, &what).await;
            if let (Some(before), Some(redis)) = (before, redis.as_deref_mut()) {
                // Let completions still on their way land in this round's count.
                tokio::time::sleep(Duration::from_millis(50)).await;
                for (name, calls) in command_calls(redis) {
                    let delta = calls - before.get(&name).copied().unwrap_or(0);
                    *commands.entry(name).or_default() += delta;
                }
                redis_deliveries += result.answered;
            }
            this.insert(target, result.per_second());
            rounds.entry(target).or_default().push(result);
        }
        for (&target, &rate) in &this {
            for base in BASES {
                if let Some(base_rate) = this.get(&base).filter(|_| base < target) {
                    ratios
                        .entry((target, base))
                        .or_default()
                        .push(rate / base_rate);
                }
            }
        }
    }
    CellResult {
        vendor: cell.vendor,
        size_name: cell.size_name,
        rounds,
        ratios,
        commands: commands
            .into_iter()
            .filter(|(_, calls)| *calls > 0)
            .map(|(name, calls)| (name, calls as f64 / redis_deliveries.max(1) as f64))
            .collect(),
        round_trips: None,
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

fn range(values: &[f64]) -> (f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

fn ms(d: f64) -> String {
    format!("{:.2}", d * 1000.0)
}

impl CellResult {
    /// Median deliveries per second, p50 and p99 (seconds) of `target`.
    fn figures(&self, target: Target) -> Option<(f64, f64, f64)> {
        let rounds = self.rounds.get(&target)?;
        let rates: Vec<f64> = rounds.iter().map(Round::per_second).collect();
        let p = |n| {
            let v: Vec<f64> = rounds
                .iter()
                .map(|r| r.percentile(n).as_secs_f64())
                .collect();
            median(&v)
        };
        Some((median(&rates), p(50), p(99)))
    }

    /// `target` ÷ `base`: the median of the per-round ratios and their range.
    fn ratio(&self, target: Target, base: Target) -> Option<String> {
        let ratios = self.ratios.get(&(target, base))?;
        let (min, max) = range(ratios);
        Some(format!("{:.2} [{min:.2}–{max:.2}]", median(ratios)))
    }

    fn summary(&self) -> String {
        let mut out = format!("{} {}:", self.vendor, self.size_name);
        for target in [
            Target::Bare,
            Target::Verify,
            Target::Ping,
            Target::Memory,
            Target::Redis,
        ] {
            let Some((rate, p50, p99)) = self.figures(target) else {
                continue;
            };
            let _ = write!(
                out,
                " {} {rate:.0}/s p50 {} ms p99 {} ms",
                target.name(),
                ms(p50),
                ms(p99)
            );
            for base in BASES {
                if let Some(ratio) = self.ratio(target, base) {
                    let _ = write!(out, " ÷{} {ratio}", base.name());
                }
            }
            out.push(';');
        }
        if !self.commands.is_empty() {
            let total: f64 = self.commands.values().sum();
            let each: Vec<String> = self
                .commands
                .iter()
                .map(|(name, n)| format!("{name} {n:.2}"))
                .collect();
            let _ = write!(
                out,
                " redis commands per delivery {total:.2} ({})",
                each.join(", ")
            );
        }
        if let Some(rt) = self.round_trips {
            let _ = write!(out, "; round trips per delivery {rt:.3}");
        }
        out
    }
}

/// The results as a Markdown table: deliveries per second (p50 / p99 in ms) of each server,
/// and the ratios the goals are about.
fn table(results: &[CellResult]) -> String {
    let mut out = String::from(
        "| vendor | size | bare | verify | ping | memory | redis | verify ÷ bare \
         | memory ÷ bare [range] | memory ÷ verify | ping ÷ bare | redis ÷ bare [range] \
         | redis ÷ ping | Redis commands / round trips per delivery |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in results {
        let cell = |target| match r.figures(target) {
            Some((rate, p50, p99)) => format!("{rate:.0} ({} / {})", ms(p50), ms(p99)),
            None => "–".to_owned(),
        };
        let ratio = |target, base| r.ratio(target, base).unwrap_or_else(|| "–".to_owned());
        let commands: f64 = r.commands.values().sum();
        let rt = r
            .round_trips
            .map_or("–".to_owned(), |rt| format!("{commands:.2} / {rt:.3}"));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.vendor,
            r.size_name,
            cell(Target::Bare),
            cell(Target::Verify),
            cell(Target::Ping),
            cell(Target::Memory),
            cell(Target::Redis),
            ratio(Target::Verify, Target::Bare),
            ratio(Target::Memory, Target::Bare),
            ratio(Target::Memory, Target::Verify),
            ratio(Target::Ping, Target::Bare),
            ratio(Target::Redis, Target::Bare),
            ratio(Target::Redis, Target::Ping),
            rt
        );
    }
    out
}

/// Delete the keys this run left in Redis (they would last the receiver's three-day TTL).
fn remove_keys(conn: &mut redis::Connection, prefix: &str) -> usize {
    let pattern = format!("{prefix}:*");
    let mut cursor = 0u64;
    let mut removed = 0;
    loop {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(&pattern)
            .arg("COUNT")
            .arg(1000)
            .query(conn)
            .unwrap();
        if !keys.is_empty() {
            let n: usize = redis::cmd("UNLINK").arg(&keys).query(conn).unwrap();
            removed += n;
        }
        if next == 0 {
            return removed;
        }
        cursor = next;
    }
}
