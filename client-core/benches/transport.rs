//! Transport benchmarks, each reported as a ratio against a baseline measured in the same run.
//!
//! (a) A typed GET of a 50-item JSON list through `client_core::Client` against the same GET
//!     with bare `reqwest` + `serde_json::from_slice` into the same struct. Both run against one
//!     minimal keep-alive HTTP/1.1 server on 127.0.0.1, interleaved, so that drift hits both.
//! (b) Walking 20 pages where the server takes 20 ms per page and the consumer 20 ms per page:
//!     prefetch on (one page ahead) against prefetch off.
//! (c) The loop guards' cost: walking 20 pages of 50 recordings from the loopback server with
//!     every guard on (items told apart by id, the server's totals checked) against the same
//!     walk with none (no key, no totals), interleaved; and the same two walks over 1,000
//!     in-memory pages of 100 items, where nothing hides the guards' own work.
//!
//! Switches for (a): `TRANSPORT_BENCH_NO_SUBSCRIBER=1` installs no subscriber,
//! `TRANSPORT_BENCH_BARE_TIMEOUT=1` gives the bare client client-core's 30 s timeout, and
//! `TRANSPORT_BENCH_SPAN_LINES=1` formats a line per closed span.
//!
//! Run: `cargo bench -p meeting-sdks-core --bench transport`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use client_core::{Auth, Client, GcraLimiter, Page, Paginator, Quota, RetryPolicy};
use futures::TryStreamExt;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Recording {
    id: u64,
    title: String,
    status: String,
    created_at: String,
    file_size: u64,
    audio_duration: f64,
    participants: Option<String>,
    is_inbox: bool,
    tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Tag {
    id: u64,
    name: String,
    color: String,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct List {
    recordings: Vec<Recording>,
    has_next: bool,
}

fn list_body(items: usize) -> String {
    let recordings: Vec<serde_json::Value> = (0..items)
        .map(|i| {
            serde_json::json!({
                "id": i, "title": format!("Quarterly Roadmap Sync {i}"), "status": "COMPLETED",
                "created_at": "2026-11-22T07:36:16.306698", "file_size": 17180 + i,
                "audio_duration": 1.044898, "participants": null, "is_inbox": true,
                "original_filename": "test_c.wav", "has_summary": true,
                "tags": [{"id": 1, "name": "sales", "color": "#3B82F6"}]
            })
        })
        .collect();
    serde_json::json!({"recordings": recordings, "has_next": false}).to_string()
}

/// A minimal HTTP/1.1 server: every request on a kept-alive connection gets `body(path)`
/// after `delay`.
async fn serve(delay: Duration, body: Arc<dyn Fn(&str) -> String + Send + Sync>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    let end = loop {
                        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break pos + 4;
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                    buf.drain(..end);
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    let body = body(&path);
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
                        body.len(),
                        body
                    );
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn typed_get_vs_bare(rounds: usize) {
    let body = list_body(50);
    let base = serve(Duration::ZERO, Arc::new(move |_: &str| body.clone())).await;
    // What a deployed client carries: bearer auth, the default retry policy, a GCRA limiter
    // (a quota far above the bench's rate, so every call runs the limiter's code without
    // waiting) and, installed in `main`, a tracing subscriber that formats every span.
    let limiter = GcraLimiter::builder()
        .overall(Quota::per_second(1_000_000).with_tenth_burst())
        .build();
    let client = Client::builder(&base)
        .auth(Auth::bearer("bench-token"))
        .retry_policy(RetryPolicy::default())
        .rate_limiter(Arc::new(limiter))
        .build()
        .unwrap();
    // `TRANSPORT_BENCH_BARE_TIMEOUT=1` gives the bare client the same 30 s timeout, to tell
    // the timer's cost from the rest.
    let bare = if std::env::var_os("TRANSPORT_BENCH_BARE_TIMEOUT").is_some() {
        reqwest::Client::builder().timeout(Duration::from_secs(30))
    } else {
        reqwest::Client::builder()
    }
    .build()
    .unwrap();
    let url = format!("{base}/recordings");

    let bare_get = || async {
        let bytes = bare
            .get(&url)
            .bearer_auth("bench-token")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let list: List = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(list.recordings.len(), 50);
    };
    let typed_get = || async {
        let list: List = client.get("/recordings").send_json().await.unwrap();
        assert_eq!(list.recordings.len(), 50);
    };
    // Warm up connections and allocators.
    for _ in 0..200 {
        bare_get().await;
        typed_get().await;
    }
    let batch = 20;
    let (mut bare_t, mut typed_t, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which goes first so that neither always runs on a warmer cache.
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        let mut per_call = [Duration::ZERO; 2];
        for which in order {
            let start = Instant::now();
            for _ in 0..batch {
                if which == 0 {
                    bare_get().await;
                } else {
                    typed_get().await;
                }
            }
            per_call[which] = start.elapsed() / batch;
        }
        bare_t.push(per_call[0]);
        typed_t.push(per_call[1]);
        ratios.push(per_call[1].as_secs_f64() / per_call[0].as_secs_f64());
    }
    let (b_min, t_min) = (
        bare_t.iter().min().copied().unwrap(),
        typed_t.iter().min().copied().unwrap(),
    );
    let (b, t) = (median(&mut bare_t), median(&mut typed_t));
    ratios.sort_by(f64::total_cmp);
    let q = |p: f64| ratios[((ratios.len() - 1) as f64 * p) as usize];
    println!(
        "(a) typed GET, 50-item list, bearer auth both sides; client-core with limiter and an active subscriber: bare reqwest+serde_json {:.1} µs, client-core {:.1} µs; ratio, median of {rounds} rounds {:.3} [{:.3}, {:.3}], fastest batches {:.3} (goal <= 1.05)",
        b.as_secs_f64() * 1e6,
        t.as_secs_f64() * 1e6,
        q(0.5),
        q(0.25),
        q(0.75),
        t_min.as_secs_f64() / b_min.as_secs_f64()
    );
}

async fn walk(client: &Client, prefetch: usize, consumer_delay: Duration) -> usize {
    let lister = client.clone();
    let mut pages = Paginator::page_number(1, move |n| {
        let client = lister.clone();
        async move {
            let list: List = client.get("/pages").query("page", n).send_json().await?;
            Ok(Page::new(list.recordings).has_more(list.has_next))
        }
    })
    .prefetch(prefetch)
    .pages();
    let mut items = 0;
    while let Some(page) = pages.try_next().await.unwrap() {
        items += page.items.len();
        tokio::time::sleep(consumer_delay).await;
    }
    items
}

async fn prefetch_on_vs_off(rounds: usize) {
    let pages = 20;
    let body = Arc::new(move |path: &str| {
        let n: usize = path
            .split("page=")
            .nth(1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let recordings: Vec<serde_json::Value> = (0..10)
            .map(|i| {
                serde_json::json!({"id": n * 100 + i, "title": "t", "status": "COMPLETED",
                "created_at": "2026-11-22T07:36:16", "file_size": 1, "audio_duration": 1.0,
                "participants": null, "is_inbox": true, "tags": []})
            })
            .collect();
        serde_json::json!({"recordings": recordings, "has_next": n < pages}).to_string()
    });
    let base = serve(Duration::from_millis(20), body).await;
    let client = Client::builder(&base).build().unwrap();
    let consumer = Duration::from_millis(20);
    let (mut off_t, mut on_t) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let start = Instant::now();
        assert_eq!(walk(&client, 0, consumer).await, 200);
        off_t.push(start.elapsed());
        let start = Instant::now();
        assert_eq!(walk(&client, 1, consumer).await, 200);
        on_t.push(start.elapsed());
    }
    let (off, on) = (median(&mut off_t), median(&mut on_t));
    println!(
        "(b) 20 pages, server 20 ms + consumer 20 ms per page: prefetch off {:.0} ms, on {:.0} ms, speed-up {:.2}x (goal >= 1.7)",
        off.as_secs_f64() * 1e3,
        on.as_secs_f64() * 1e3,
        off.as_secs_f64() / on.as_secs_f64()
    );
}

/// A page of 50 recordings numbered by page, with its totals.
fn guarded_page_body(n: usize, pages: usize) -> String {
    let recordings: Vec<serde_json::Value> = (0..50)
        .map(|i| {
            serde_json::json!({"id": n * 100 + i, "title": "Quarterly Roadmap Sync",
            "status": "COMPLETED", "created_at": "2026-11-22T07:36:16", "file_size": 1,
            "audio_duration": 1.0, "participants": null, "is_inbox": true, "tags": []})
        })
        .collect();
    serde_json::json!({"recordings": recordings, "has_next": n < pages,
        "total": pages * 50, "total_pages": pages})
    .to_string()
}

#[derive(Debug, Deserialize)]
struct TotalsList {
    recordings: Vec<Recording>,
    has_next: bool,
    total: u64,
    total_pages: u64,
}

async fn walk_http(client: &Client, guarded: bool) -> usize {
    let lister = client.clone();
    let paginator = Paginator::page_number(1, move |n| {
        let client = lister.clone();
        async move {
            let list: TotalsList = client.get("/pages").query("page", n).send_json().await?;
            let page = Page::new(list.recordings).has_more(list.has_next);
            Ok(if guarded {
                page.total(list.total).total_pages(list.total_pages)
            } else {
                page
            })
        }
    })
    .prefetch(0);
    let paginator = if guarded {
        paginator.key_by(|r: &Recording| r.id)
    } else {
        paginator
    };
    let items: Vec<Recording> = paginator.items().try_collect().await.unwrap();
    items.len()
}

async fn walk_memory(guarded: bool, pages: u64) -> usize {
    let paginator = Paginator::page_number(1, move |n| async move {
        let items: Vec<u64> = (0..100).map(|i| n * 1000 + i).collect();
        let page = Page::new(items).has_more(n < pages);
        Ok(if guarded {
            page.total(pages * 100).total_pages(pages)
        } else {
            page
        })
    })
    .prefetch(0);
    let paginator = if guarded {
        paginator.key_by(|id: &u64| *id)
    } else {
        paginator
    };
    let items: Vec<u64> = paginator.items().try_collect().await.unwrap();
    items.len()
}

async fn guards_cost(rounds: usize) {
    let pages = 20;
    let body = Arc::new(move |path: &str| {
        let n: usize = path
            .split("page=")
            .nth(1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        guarded_page_body(n, pages)
    });
    let base = serve(Duration::ZERO, body).await;
    let client = Client::builder(&base)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let (mut off_t, mut on_t) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        for which in [round % 2, 1 - round % 2] {
            let start = Instant::now();
            assert_eq!(walk_http(&client, which == 1).await, pages * 50);
            if which == 1 {
                on_t.push(start.elapsed())
            } else {
                off_t.push(start.elapsed())
            }
        }
    }
    let (off, on) = (median(&mut off_t), median(&mut on_t));
    println!(
        "(c) loop guards, 20 pages x 50 recordings over loopback: without {:.2} ms, with {:.2} ms, ratio {:.3} (goal: nothing measurable, ~1.00)",
        off.as_secs_f64() * 1e3,
        on.as_secs_f64() * 1e3,
        on.as_secs_f64() / off.as_secs_f64()
    );
    let memory_pages = 1_000;
    let (mut off_t, mut on_t) = (Vec::new(), Vec::new());
    for round in 0..rounds.min(21) {
        for which in [round % 2, 1 - round % 2] {
            let start = Instant::now();
            assert_eq!(walk_memory(which == 1, memory_pages).await, 100_000);
            if which == 1 {
                on_t.push(start.elapsed())
            } else {
                off_t.push(start.elapsed())
            }
        }
    }
    let (off, on) = (median(&mut off_t), median(&mut on_t));
    println!(
        "    the same walks in memory, 1,000 pages x 100 ids: without {:.1} ns/item, with {:.1} ns/item ({:.1} ns of guards per item)",
        off.as_secs_f64() * 1e9 / 100_000.0,
        on.as_secs_f64() * 1e9 / 100_000.0,
        (on.as_secs_f64() - off.as_secs_f64()) * 1e9 / 100_000.0
    );
}

fn main() {
    // `cargo test --benches` runs this with `--test`: do one quick round only.
    let quick = std::env::args().any(|a| a == "--test");
    // An active subscriber at `info`, as a program that logs runs, writing to a sink: the
    // request span is built, its fields recorded, entered and closed on every call. With
    // `TRANSPORT_BENCH_SPAN_LINES=1` it also formats a line per closed span (a stress case
    // few programs configure).
    let span_lines = std::env::var_os("TRANSPORT_BENCH_SPAN_LINES").is_some();
    let span_events = if span_lines {
        tracing_subscriber::fmt::format::FmtSpan::CLOSE
    } else {
        tracing_subscriber::fmt::format::FmtSpan::NONE
    };
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_span_events(span_events)
        .with_writer(std::io::sink)
        .finish();
    // `TRANSPORT_BENCH_NO_SUBSCRIBER=1` leaves it out, to tell its cost from the rest.
    if std::env::var_os("TRANSPORT_BENCH_NO_SUBSCRIBER").is_none() {
        tracing::subscriber::set_global_default(subscriber).unwrap();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        typed_get_vs_bare(if quick { 3 } else { 101 }).await;
        prefetch_on_vs_off(if quick { 1 } else { 5 }).await;
        guards_cost(if quick { 1 } else { 41 }).await;
    });
}
