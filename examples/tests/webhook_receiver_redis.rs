//! Two `webhook-receiver` processes sharing one Redis (`--redis`) get the same signed Speakr
//! deliveries, interleaved and repeated: each is processed (printed `first`) exactly once
//! between them; a replica killed in the middle of its handler leaves its claim to expire and
//! the redelivery is processed by the other; and with Redis stopped and restarted in the
//! middle of a run, every delivery answered while Redis is away gets 503 (the sender retries)
//! and each is still processed exactly once.
//!
//! Redis comes from `REDIS_URL` (without it the tests say that they skipped, except under
//! `CI=true`, where they fail); the restart test runs its own `redis-server` on a free port.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use client_core::{Client, RetryPolicy};
use speakr_client::mock::MockSpeakr;
use test_support::redis::{answers_ping, in_ci, redis_url, unique_prefix};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

const BIN: &str = env!("CARGO_BIN_EXE_webhook-receiver");
const SECRET: &str = "speakr-replica-secret";
/// Generous: the machine running the tests may be slow and busy.
const WAIT: Duration = Duration::from_secs(60);

/// A receiver process and every line it printed after its address.
struct Replica {
    child: Child,
    url: String,
    lines: Arc<Mutex<Vec<String>>>,
    reader: JoinHandle<()>,
}

impl Replica {
    async fn start(redis: &str, prefix: &str, extra: &[&str]) -> Replica {
        let mut cmd = Command::new(BIN);
        cmd.args(["--listen", "127.0.0.1:0", "--redis", redis])
            .args(["--redis-prefix", prefix])
            .args(extra)
            .env("SPEAKR_WEBHOOK_SECRET", SECRET)
            .env_remove("HEDY_WEBHOOK_SECRET")
            .env_remove("HEILO_SIGNING_SECRET")
            .env_remove("HEALTHIE_WEBHOOK_SECRET")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        let mut child = cmd.spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = tokio::time::timeout(WAIT, stdout.next_line())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        let base = first.strip_prefix("listening on ").unwrap().to_owned();
        let lines: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = lines.clone();
        let reader = tokio::spawn(async move {
            while let Ok(Some(line)) = stdout.next_line().await {
                sink.lock().unwrap().push(line);
            }
        });
        Replica {
            child,
            url: format!("{base}/hooks/speakr"),
            lines,
            reader,
        }
    }

    /// Stop the process (SIGKILL) and return everything it printed.
    async fn kill(mut self) -> Vec<String> {
        self.child.kill().await.unwrap();
        tokio::time::timeout(WAIT, self.reader)
            .await
            .unwrap()
            .unwrap();
        let lines = self.lines.lock().unwrap().clone();
        lines
    }
}

/// A signed Speakr delivery: the recorded `recording.created` body under its own id.
#[derive(Clone)]
struct Delivery {
    id: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn deliveries(n: usize) -> Vec<Delivery> {
    let recorded = MockSpeakr::deliveries()
        .unwrap()
        .into_iter()
        .find(|d| d.event_type == "recording.created")
        .unwrap();
    (0..n)
        .map(|i| {
            let id = format!("d-{i:03}");
            let mut headers: Vec<(String, String)> =
                webhook_verify::speakr::sign(SECRET, &recorded.body)
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
                    .collect();
            headers.push(("speakr-delivery-id".into(), id.clone()));
            headers.push(("speakr-event".into(), "recording.created".into()));
            Delivery {
                id,
                headers,
                body: recorded.body.to_vec(),
            }
        })
        .collect()
}

/// A client that POSTs to `url` once per call (no retries of its own).
fn sender(url: &str) -> Client {
    Client::builder(url)
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// POST once; the status.
async fn post(client: &Client, delivery: &Delivery) -> u16 {
    let mut request = client
        .post("/")
        .body_bytes(delivery.body.clone(), "application/json");
    for (name, value) in &delivery.headers {
        if name != "content-type" {
            let name = http::HeaderName::from_bytes(name.as_bytes()).unwrap();
            request = request.header(name, value.as_str());
        }
    }
    match request.send_raw().await {
        Ok(r) => r.status.as_u16(),
        Err(e) => e.status().map_or(0, |s| s.as_u16()),
    }
}

/// What the senders saw.
#[derive(Default)]
struct Answers {
    /// Responses by status.
    statuses: Mutex<HashMap<u16, usize>>,
    /// Sends answered 200.
    done: AtomicUsize,
}

/// Like a vendor: POST until answered 200, retrying 503 after a short wait.
async fn deliver(client: &Client, delivery: &Delivery, answers: &Answers) {
    loop {
        let status = post(client, delivery).await;
        *answers.statuses.lock().unwrap().entry(status).or_default() += 1;
        match status {
            200 => {
                answers.done.fetch_add(1, Ordering::SeqCst);
                return;
            }
            503 => tokio::time::sleep(Duration::from_millis(50)).await,
            other => panic!("{}: unexpected status {other}", delivery.id),
        }
    }
}

/// Every delivery sent to each replica, plus once more to one of them, interleaved in a
/// fixed pseudo-random order, by `workers` concurrent senders.
fn plan(n: usize, copies: usize) -> Vec<(usize, usize)> {
    let mut sends: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (0..copies).map(move |c| (i, (i + c) % 2)))
        .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..sends.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        sends.swap(i, (seed % (i as u64 + 1)) as usize);
    }
    sends
}

fn spawn_senders(
    urls: [String; 2],
    deliveries: Arc<Vec<Delivery>>,
    sends: Vec<(usize, usize)>,
    workers: usize,
    answers: Arc<Answers>,
) -> Vec<JoinHandle<()>> {
    let queue = Arc::new(Mutex::new(sends.into_iter()));
    let clients = [sender(&urls[0]), sender(&urls[1])];
    (0..workers)
        .map(|_| {
            let (queue, deliveries, answers, clients) = (
                queue.clone(),
                deliveries.clone(),
                answers.clone(),
                clients.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some((i, replica)) = next else { return };
                    deliver(&clients[replica], &deliveries[i], &answers).await;
                }
            })
        })
        .collect()
}

/// How many times each delivery id was processed (`first`) in these outputs.
fn processed(outputs: &[&[String]]) -> HashMap<String, usize> {
    let mut count = HashMap::new();
    for lines in outputs {
        for line in lines.iter() {
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.get(3) == Some(&"first") {
                let key = words[2].strip_prefix("key=").unwrap().to_owned();
                *count.entry(key).or_default() += 1;
            }
        }
    }
    count
}

fn assert_each_processed_once(count: &HashMap<String, usize>, deliveries: &[Delivery]) {
    for d in deliveries {
        assert_eq!(count.get(&d.id), Some(&1), "{} processed", d.id);
    }
    assert_eq!(count.len(), deliveries.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_process_each_of_200_repeated_deliveries_once() {
    let Some(redis) = redis_url() else {
        return;
    };
    let prefix = unique_prefix("two");
    let a = Replica::start(&redis, &prefix, &[]).await;
    let b = Replica::start(&redis, &prefix, &[]).await;
    let all = Arc::new(deliveries(200));
    let answers = Arc::new(Answers::default());
    let senders = spawn_senders(
        [a.url.clone(), b.url.clone()],
        all.clone(),
        plan(200, 3),
        8,
        answers.clone(),
    );
    for s in senders {
        s.await.unwrap();
    }
    assert_eq!(answers.done.load(Ordering::SeqCst), 600);
    let (a, b) = (a.kill().await, b.kill().await);
    assert_each_processed_once(&processed(&[&a, &b]), &all);
    // Both replicas did part of the work, and the repeats were recognised.
    let duplicates = a
        .iter()
        .chain(&b)
        .filter(|l| l.contains(" duplicate"))
        .count();
    assert!(duplicates >= 390, "{duplicates} duplicates");
    assert!(processed(&[&a]).len() > 20 && processed(&[&b]).len() > 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_killed_mid_handler_leaves_its_claim_to_expire() {
    let Some(redis) = redis_url() else {
        return;
    };
    let prefix = unique_prefix("killed");
    // Replica A takes a minute per delivery; claims last 4 s.
    let a = Replica::start(&redis, &prefix, &["--lease", "4", "--handler-ms", "60000"]).await;
    let b = Replica::start(&redis, &prefix, &["--lease", "4"]).await;
    let delivery = deliveries(1).remove(0);
    let in_flight = {
        let (client, d) = (sender(&a.url), delivery.clone());
        tokio::spawn(async move { post(&client, &d).await })
    };
    // Wait until A holds the claim (its value is a token, not `done`).
    let key = format!("{prefix}:speakr:{}", delivery.id);
    let conn = redis::Client::open(redis.as_str()).unwrap();
    let mut conn = conn.get_multiplexed_async_connection().await.unwrap();
    let mut held = None;
    for _ in 0..2000 {
        held = redis::cmd("GET")
            .arg(&key)
            .query_async::<Option<String>>(&mut conn)
            .await
            .unwrap();
        if held.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_ne!(held.as_deref().unwrap_or("done"), "done", "{held:?}");
    let a_lines = a.kill().await;
    assert_eq!(in_flight.await.unwrap(), 0, "the killed replica answered");

    // The vendor retries on B: refused while A's claim lasts, then processed.
    let to_b = sender(&b.url);
    assert_eq!(post(&to_b, &delivery).await, 503);
    let answers = Answers::default();
    deliver(&to_b, &delivery, &answers).await;
    assert_eq!(post(&to_b, &delivery).await, 200);
    let b_lines = b.kill().await;
    assert!(processed(&[&a_lines]).is_empty(), "{a_lines:?}");
    assert_each_processed_once(&processed(&[&b_lines]), &[delivery]);
    assert!(
        b_lines.iter().any(|l| l.ends_with(" in-progress")),
        "{b_lines:?}"
    );
    assert!(
        b_lines.last().unwrap().ends_with(" duplicate"),
        "{b_lines:?}"
    );
}

/// A `redis-server` of the test's own, persisting every write to an append-only file so that
/// a restart keeps what was claimed and processed.
struct OwnRedis {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl OwnRedis {
    /// `None` when `redis-server` is not installed (a failure under `CI=true`).
    async fn start() -> Option<OwnRedis> {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let dir = std::env::temp_dir().join(unique_prefix("redis").replace(':', "-"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut redis = OwnRedis {
            port,
            dir,
            child: None,
        };
        if !redis.run().await {
            assert!(!in_ci(), "CI=true but redis-server cannot be started");
            eprintln!("skipped: redis-server cannot be started");
            return None;
        }
        Some(redis)
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    async fn run(&mut self) -> bool {
        let spawned = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn();
        let Ok(child) = spawned else { return false };
        self.child = Some(child);
        for _ in 0..200 {
            if answers_ping(&self.url(), Duration::from_secs(2)) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        false
    }

    async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.unwrap();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_and_restarted_mid_run() {
    let Some(mut redis) = OwnRedis::start().await else {
        return;
    };
    let prefix = unique_prefix("restart");
    let flags = ["--lease", "10", "--redis-timeout-ms", "300"];
    let a = Replica::start(&redis.url(), &prefix, &flags).await;
    let b = Replica::start(&redis.url(), &prefix, &flags).await;
    let all = Arc::new(deliveries(200));
    let answers = Arc::new(Answers::default());
    let senders = spawn_senders(
        [a.url.clone(), b.url.clone()],
        all.clone(),
        plan(200, 2),
        4,
        answers.clone(),
    );
    // A third of the way through, Redis dies; it comes back once the senders have been
    // refused for a while.
    while answers.done.load(Ordering::SeqCst) < 130 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    redis.stop().await;
    let done_at_stop = answers.done.load(Ordering::SeqCst);
    let refused = |answers: &Answers| answers.statuses.lock().unwrap().get(&503).copied();
    while refused(&answers).unwrap_or(0) < 20 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // While Redis is away nothing is accepted: the only answers are 503 (the in-flight
    // requests at the stop may still finish).
    let done_while_down = answers.done.load(Ordering::SeqCst);
    assert!(
        done_while_down <= done_at_stop + 4,
        "{done_at_stop} {done_while_down}"
    );
    assert!(redis.run().await, "redis-server did not restart");
    for s in senders {
        s.await.unwrap();
    }
    assert_eq!(answers.done.load(Ordering::SeqCst), 400);
    let statuses = answers.statuses.lock().unwrap().clone();
    assert!(
        statuses.keys().all(|s| [200, 503].contains(s)),
        "{statuses:?}"
    );
    let (a, b) = (a.kill().await, b.kill().await);
    assert!(
        a.iter().chain(&b).any(|l| l.contains(" error: ")),
        "no delivery was refused for want of Redis"
    );
    assert_each_processed_once(&processed(&[&a, &b]), &all);
}
