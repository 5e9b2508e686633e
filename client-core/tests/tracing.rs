//! Tracing acceptance: the full trace (TRACE level, span open and close events) of a failing
//! authenticated request, for each auth form, holds the `request` and `attempt` spans with the
//! route template, and the secret appears nowhere: not in the trace, the error's `Display` or
//! `Debug` (nor its sources), the client's `Debug` or the credential's `Debug`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io;
use std::sync::{Arc, Mutex};

use client_core::clock::RecordingClock;
use client_core::{Auth, Client, Error, RetryBudget, RetryPolicy};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

const SECRET: &str = "sk_live_Zq8vR2nT5wX1yB4";

/// A `MakeWriter` target: everything written goes into one shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Capture every event and every span's opening and closing on this thread.
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (captured, guard)
}

/// The error and its sources, rendered every way a caller might log them.
fn renderings(err: &Error) -> String {
    let mut out = format!("{err}\n{err:?}\n{err:#?}\n");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        out.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    out
}

fn assert_no_secret(what: &str, text: &str) {
    assert!(
        !text.contains(SECRET),
        "the secret leaked into {what}:\n{text}"
    );
}

/// Send a GET that fails twice with 503 using `auth`; the mock only matches when the credential
/// was really sent as `sent_as` requires.
async fn failing_request(auth: Auth, sent_as: MockBuilder) {
    let server = MockServer::start().await;
    sent_as
        .and(method("GET"))
        .and(path("/recordings/42"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_raw("<html><h1>Service Unavailable</h1></html>", "text/html"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let clock = RecordingClock::new();
    let client = Client::builder(server.uri())
        .auth(auth.clone())
        .vendor("acme")
        .retry_policy(RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        })
        .retry_budget(RetryBudget::unlimited())
        .clock(Arc::new(clock))
        .build()
        .unwrap();

    let (captured, guard) = capture();
    let err = client
        .get("/recordings/{id}")
        .param(42)
        .send_bytes()
        .await
        .unwrap_err();
    drop(guard);
    server.verify().await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));

    let trace = captured.text();
    if std::env::var_os("SHOW_TRACE").is_some() {
        eprintln!("{trace}");
    }
    // The trace is really there: both spans, with the route template and each attempt.
    assert!(trace.contains("request{"), "{trace}");
    assert!(trace.contains("vendor=\"acme\""), "{trace}");
    assert!(trace.contains("method=GET"), "{trace}");
    assert!(trace.contains("route=\"/recordings/{id}\""), "{trace}");
    assert!(trace.contains("attempt{attempt=1"), "{trace}");
    assert!(trace.contains("attempt{attempt=2"), "{trace}");
    assert!(trace.contains("status=503"), "{trace}");
    assert!(trace.contains("retrying"), "{trace}");
    // The request span closes with the final status.
    assert!(
        trace.lines().any(|l| l.contains("request{")
            && !l.contains("attempt{")
            && l.contains("status=503")
            && l.contains("close")),
        "{trace}"
    );
    // The filled path (and with it any query) never names the route.
    assert!(!trace.contains("/recordings/42"), "{trace}");

    assert_no_secret("the trace", &trace);
    assert_no_secret("the error", &renderings(&err));
    assert_no_secret("the client's Debug", &format!("{client:?} {client:#?}"));
    assert_no_secret("the credential's Debug", &format!("{auth:?}"));
}

#[tokio::test]
async fn bearer_token_never_leaks() {
    failing_request(
        Auth::bearer(SECRET),
        Mock::given(header("authorization", format!("Bearer {SECRET}").as_str())),
    )
    .await;
}

#[tokio::test]
async fn custom_header_token_never_leaks() {
    failing_request(
        Auth::header("X-API-Token", SECRET).unwrap(),
        Mock::given(header("x-api-token", SECRET)),
    )
    .await;
}

#[tokio::test]
async fn query_token_never_leaks() {
    failing_request(
        Auth::query("api_key", SECRET),
        Mock::given(query_param("api_key", SECRET)),
    )
    .await;
}

#[tokio::test]
async fn raw_authorization_value_never_leaks() {
    let value = format!("Basic {SECRET}");
    failing_request(
        Auth::authorization(value.clone()),
        Mock::given(header("authorization", value.as_str())),
    )
    .await;
}

#[tokio::test]
async fn a_transport_failure_with_a_query_token_never_leaks() {
    // Nothing listens on this port: the error comes from the connector, which saw the URL.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder(format!("http://127.0.0.1:{port}"))
        .auth(Auth::query("token", SECRET))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let (captured, guard) = capture();
    let err = client
        .get("/recordings/{id}")
        .param(42)
        .send_bytes()
        .await
        .unwrap_err();
    drop(guard);
    assert_eq!(err.kind(), client_core::ErrorKind::Connect);
    let trace = captured.text();
    assert!(trace.contains("attempt{attempt=1"), "{trace}");
    assert_no_secret("the trace", &trace);
    assert_no_secret("the error", &renderings(&err));
}

#[tokio::test]
async fn a_builder_and_a_request_builder_do_not_show_the_secret() {
    let builder = Client::builder("http://127.0.0.1:1").auth(Auth::bearer(SECRET));
    assert_no_secret("the builder's Debug", &format!("{builder:?}"));
    let client = builder.build().unwrap();
    let request = client.get("/recordings/{id}").param(SECRET);
    assert_no_secret("the client's Debug", &format!("{client:?}"));
    // A request's Debug names its route template only.
    assert_no_secret("a request's Debug", &format!("{request:?}"));
}

#[tokio::test]
async fn a_successful_request_records_its_status_on_both_spans() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tags"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .auth(Auth::bearer(SECRET))
        .build()
        .unwrap();
    let (captured, guard) = capture();
    client.get("/tags").send_bytes().await.unwrap();
    drop(guard);
    let trace = captured.text();
    assert!(trace.contains("attempt{attempt=1 status=200}"), "{trace}");
    assert!(
        trace.lines().any(|l| l.contains("request{")
            && !l.contains("attempt{")
            && l.contains("status=200")
            && l.contains("close")),
        "{trace}"
    );
    assert_no_secret("the trace", &trace);
}
