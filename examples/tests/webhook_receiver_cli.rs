//! Runs the `webhook-receiver` binary as a process on a free port and sends it deliveries over
//! HTTP: the vendor mocks' signed deliveries, the same again (duplicates), tampered ones, a
//! Heilo handshake, a Healthie delivery signed with webhook-verify's signer, and Healthie's
//! AI-Scribe events POSTed by healthie-client's mock in each signature dialect, and the
//! answer to deliveries it cannot verify (`--on-unverified reject|retry`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use client_core::{Client, RetryPolicy};
use healthie_client::mock::{MockHealthie, MOCK_WEBHOOK_SECRET};
use healthie_client::webhooks::{EventType as HealthieEvent, ThinEvent};
use hedy_client::mock::MockHedy;
use hedy_client::webhooks::{BodyForm, EventType};
use heilo_client::mock::MockHeilo;
use http::{HeaderName, HeaderValue, StatusCode};
use speakr_client::mock::MockSpeakr;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};
use webhook_verify::healthie::Dialect;

const BIN: &str = env!("CARGO_BIN_EXE_webhook-receiver");
/// Generous: the machine running the tests may be slow and busy.
const WAIT: Duration = Duration::from_secs(60);
const SECRET_VARS: [&str; 4] = [
    "SPEAKR_WEBHOOK_SECRET",
    "HEDY_WEBHOOK_SECRET",
    "HEILO_SIGNING_SECRET",
    "HEALTHIE_WEBHOOK_SECRET",
];
const HEALTHIE_SECRET: &str = "whsec_healthie_test_secret";
const HEALTHIE_REGISTERED: &str = "/hooks/healthie?tenant=7";

struct Receiver {
    child: Child,
    stdout: Lines<BufReader<ChildStdout>>,
    base: String,
}

impl Receiver {
    /// Start the binary on port 0 and read its address from the first line.
    async fn start(args: &[&str], env: &[(&str, &str)]) -> Receiver {
        let mut cmd = Command::new(BIN);
        cmd.args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for var in SECRET_VARS {
            cmd.env_remove(var);
        }
        cmd.envs(env.iter().copied());
        let mut child = cmd.spawn().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut receiver = Receiver {
            child,
            stdout,
            base: String::new(),
        };
        let first = receiver.line().await;
        receiver.base = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {first}"))
            .to_owned();
        receiver
    }

    async fn line(&mut self) -> String {
        tokio::time::timeout(WAIT, self.stdout.next_line())
            .await
            .expect("no line from the receiver in time")
            .unwrap()
            .expect("the receiver closed its output")
    }

    /// The next delivery line, split into words.
    async fn words(&mut self) -> Vec<String> {
        let line = self.line().await;
        line.split_whitespace().map(str::to_owned).collect()
    }

    fn url(&self, vendor: &str) -> String {
        format!("{}/hooks/{vendor}", self.base)
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// POST `body` with `headers` (the transport sets the content type and length itself);
/// returns the status and body.
async fn post(url: &str, headers: Vec<(HeaderName, HeaderValue)>, body: &[u8]) -> (u16, String) {
    let client = Client::builder(url)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let mut request = client
        .post("/")
        .body_bytes(body.to_vec(), "application/json");
    for (name, value) in headers {
        if name != http::header::CONTENT_TYPE && name != http::header::CONTENT_LENGTH {
            request = request.header(name, value.to_str().unwrap());
        }
    }
    match request.send_raw().await {
        Ok(r) => (
            r.status.as_u16(),
            String::from_utf8_lossy(&r.body).into_owned(),
        ),
        Err(e) => (
            e.status().expect("no answer").as_u16(),
            e.body_snippet().unwrap_or_default().to_owned(),
        ),
    }
}

fn tampered(body: &[u8]) -> Vec<u8> {
    let mut b = body.to_vec();
    b.extend_from_slice(b" ");
    b
}

/// `vendor event key=… verdict …` → the key.
fn check(words: &[String], vendor: &str, event: &str, verdict: &str) -> String {
    assert_eq!(
        words.get(0..2),
        Some(&[vendor.into(), event.into()][..]),
        "{words:?}"
    );
    assert_eq!(words.get(3).map(String::as_str), Some(verdict), "{words:?}");
    words[2].strip_prefix("key=").unwrap().to_owned()
}

fn check_rejected(words: &[String], vendor: &str) {
    assert_eq!(
        words.get(0..3),
        Some(&[vendor.into(), "rejected".into(), "401:".into()][..])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_vendor_first_duplicate_and_tampered() {
    let (speakr, hedy, heilo) = (
        MockSpeakr::start().await,
        MockHedy::start().await,
        MockHeilo::start().await,
    );
    // Secrets from flags and from the environment; Healthie registered with a query string
    // that the request does not carry (as behind a rewriting proxy).
    let mut rx = Receiver::start(
        &[
            "--speakr-secret",
            speakr.webhook_secret(),
            "--hedy-secret",
            hedy.webhook_secret(),
            "--healthie-path",
            HEALTHIE_REGISTERED,
        ],
        &[
            ("HEILO_SIGNING_SECRET", heilo.webhook_secret()),
            ("HEALTHIE_WEBHOOK_SECRET", HEALTHIE_SECRET),
        ],
    )
    .await;
    for vendor in ["speakr", "hedy", "heilo", "healthie"] {
        assert_eq!(rx.line().await, format!("mounted POST /hooks/{vendor}"));
    }

    // Speakr: a delivery recorded from a real server, twice, then tampered.
    let url = rx.url("speakr");
    let created = MockSpeakr::deliveries()
        .unwrap()
        .into_iter()
        .find(|d| d.event_type == "recording.created")
        .unwrap();
    for verdict in ["first", "duplicate"] {
        assert_eq!(
            speakr.deliver(&url, &created).await.unwrap().status,
            StatusCode::OK
        );
        let key = check(&rx.words().await, "speakr", "recording.created", verdict);
        assert_eq!(key, created.delivery_id);
    }
    let headers = webhook_verify::speakr::sign_delivery(
        speakr.webhook_secret(),
        "d-tampered",
        "recording.created",
        "2026-11-22T07:35:45Z",
        &created.body,
    )
    .unwrap();
    assert_eq!(post(&url, headers, &tampered(&created.body)).await.0, 401);
    check_rejected(&rx.words().await, "speakr");

    // Hedy: the key is the body's SHA-256, the same both times.
    let url = rx.url("hedy");
    let ended = MockHedy::delivery(&EventType::SessionEnded, BodyForm::Flat).unwrap();
    assert_eq!(
        hedy.deliver(&url, &ended).await.unwrap().status,
        StatusCode::OK
    );
    let key = check(&rx.words().await, "hedy", "session.ended", "first");
    assert_eq!(key.len(), 64);
    assert_eq!(
        hedy.deliver(&url, &ended).await.unwrap().status,
        StatusCode::OK
    );
    assert_eq!(
        check(&rx.words().await, "hedy", "session.ended", "duplicate"),
        key
    );
    let headers = webhook_verify::hedy::sign(hedy.webhook_secret(), &ended.body);
    assert_eq!(post(&url, headers, &tampered(&ended.body)).await.0, 401);
    check_rejected(&rx.words().await, "hedy");

    // Heilo: the strict-mode handshake echoes the challenge, then an event.
    let url = rx.url("heilo");
    let answer = heilo
        .verify_subscription(&url, Some("chal-42"))
        .await
        .unwrap();
    assert_eq!(answer.status, StatusCode::OK);
    let echo: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(echo, serde_json::json!({ "challenge": "chal-42" }));
    check(
        &rx.words().await,
        "heilo",
        "webhook.subscription.verify",
        "handshake",
    );
    let completed = MockHeilo::delivery("call.completed").unwrap();
    for verdict in ["first", "duplicate"] {
        assert_eq!(
            heilo.deliver(&url, &completed).await.unwrap().status,
            StatusCode::OK
        );
        let key = check(&rx.words().await, "heilo", "call.completed", verdict);
        assert_eq!(key, completed.event_id);
    }
    let headers = webhook_verify::heilo::sign(heilo.webhook_secret(), now(), &completed.body);
    assert_eq!(post(&url, headers, &tampered(&completed.body)).await.0, 401);
    check_rejected(&rx.words().await, "heilo");

    // Healthie: webhook-verify's signer over the registered path and query.
    let url = rx.url("healthie");
    let body = br#"{"resource_id":4711,"resource_id_type":"Appointment","event_type":"appointment.created","changed_fields":["date"]}"#;
    let headers = || {
        webhook_verify::healthie::sign(
            HEALTHIE_SECRET,
            Dialect::Legacy,
            "POST",
            HEALTHIE_REGISTERED,
            body,
            now(),
        )
    };
    for verdict in ["first", "duplicate"] {
        assert_eq!(post(&url, headers(), body).await, (200, "ok".to_owned()));
        let words = rx.words().await;
        check(&words, "healthie", "appointment.created", verdict);
        if verdict == "first" {
            assert_eq!(
                words.get(4).map(String::as_str),
                Some("resource=Appointment/4711")
            );
        }
    }
    assert_eq!(post(&url, headers(), &tampered(body)).await.0, 401);
    check_rejected(&rx.words().await, "healthie");

    rx.child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthie_ai_scribe_events_in_every_dialect() {
    let healthie = MockHealthie::start().await;
    let mut rx = Receiver::start(&["--healthie-secret", MOCK_WEBHOOK_SECRET], &[]).await;
    for vendor in ["speakr", "hedy", "heilo"] {
        assert!(rx
            .line()
            .await
            .starts_with(&format!("not mounted /hooks/{vendor}")));
    }
    assert_eq!(rx.line().await, "mounted POST /hooks/healthie");
    let url = rx.url("healthie");
    let events = [
        HealthieEvent::AppointmentRecordingStarted,
        HealthieEvent::AppointmentParticipantJoined,
        HealthieEvent::AppointmentRecordingStopped,
        HealthieEvent::AppointmentTranscriptAvailable,
    ];
    let mut keys = Vec::new();
    for dialect in [Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421] {
        for event_type in &events {
            let event = ThinEvent::new(event_type.clone(), "Appointment", "1001");
            let answer = healthie
                .deliver_in(
                    &url,
                    &healthie_client::mock::Delivery::for_event(&event),
                    dialect,
                )
                .await
                .unwrap();
            assert_eq!(answer.status, StatusCode::OK, "{dialect:?} {event_type}");
            let words = rx.words().await;
            // Each dialect signs the same body: the first dialect's delivery is new, the
            // others are its retries (Healthie's dedup key is the body's hash).
            let verdict = if dialect == Dialect::Legacy {
                "first"
            } else {
                "duplicate"
            };
            let key = check(&words, "healthie", event_type.as_str(), verdict);
            if verdict == "first" {
                assert_eq!(
                    words.get(4).map(String::as_str),
                    Some("resource=Appointment/1001")
                );
            }
            keys.push(key);
        }
    }
    assert_eq!(keys[..4], keys[4..8]);
    assert_eq!(keys[..4], keys[8..]);
    // Signed with another secret: refused in every dialect.
    let event = ThinEvent::new(events[3].clone(), "Appointment", "1001");
    for dialect in [Dialect::Legacy, Dialect::Guide, Dialect::Rfc9421] {
        let forged = healthie_client::mock::Delivery::for_event(&event)
            .signed("whsec_another", dialect, "/hooks/healthie", now())
            .unwrap();
        assert_eq!(
            forged.post(&url).await.unwrap().status,
            StatusCode::UNAUTHORIZED
        );
        check_rejected(&rx.words().await, "healthie");
    }
    rx.child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unset_secrets_are_not_mounted_and_ctrl_c_stops_the_server() {
    let speakr = MockSpeakr::start().await;
    let mut rx = Receiver::start(
        &["--body-limit", "1024"],
        &[("SPEAKR_WEBHOOK_SECRET", speakr.webhook_secret())],
    )
    .await;
    assert_eq!(rx.line().await, "mounted POST /hooks/speakr");
    for (vendor, var) in [
        ("hedy", "HEDY_WEBHOOK_SECRET"),
        ("heilo", "HEILO_SIGNING_SECRET"),
        ("healthie", "HEALTHIE_WEBHOOK_SECRET"),
    ] {
        let line = rx.line().await;
        assert!(
            line.starts_with(&format!("not mounted /hooks/{vendor}: no secret")),
            "{line}"
        );
        assert!(line.contains(var), "{line}");
    }
    assert_eq!(post(&rx.url("hedy"), Vec::new(), b"{}").await.0, 404);
    let big = vec![b' '; 2048];
    let headers = webhook_verify::speakr::sign(speakr.webhook_secret(), &big);
    assert_eq!(post(&rx.url("speakr"), headers, &big).await.0, 413);
    let words = rx.words().await;
    assert_eq!(
        words.get(0..3),
        Some(&["speakr".into(), "rejected".into(), "413:".into()][..])
    );

    // Ctrl-C (SIGINT): a clean exit.
    #[cfg(unix)]
    {
        let pid = rx.child.id().unwrap().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = tokio::time::timeout(WAIT, rx.child.wait())
            .await
            .unwrap()
            .unwrap();
        assert!(status.success(), "{status:?}");
    }
    #[cfg(not(unix))]
    rx.child.kill().await.unwrap();
}

/// One HTTP/1.1 POST on a fresh connection, written by hand so that the answer's headers are
/// seen exactly as sent: the status, the `Retry-After` header if any, and the body.
async fn post_http(
    url: &str,
    headers: &[(HeaderName, HeaderValue)],
    body: &[u8],
) -> (u16, Option<String>, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = tokio::net::TcpStream::connect(authority).await.unwrap();
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        if name != http::header::CONTENT_TYPE && name != http::header::CONTENT_LENGTH {
            request.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
        }
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(WAIT, stream.read_to_end(&mut answer))
        .await
        .expect("no answer in time")
        .unwrap();
    let answer = String::from_utf8(answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let retry_after = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("retry-after"))
        .map(|(_, value)| value.trim().to_owned());
    (status, retry_after, body.to_owned())
}

/// A Speakr delivery recorded from a real server, signed with `secret` as Speakr would.
fn speakr_delivery(secret: &str) -> (String, Vec<(HeaderName, HeaderValue)>, Vec<u8>) {
    let created = MockSpeakr::deliveries()
        .unwrap()
        .into_iter()
        .find(|d| d.event_type == "recording.created")
        .unwrap();
    let headers = webhook_verify::speakr::sign_delivery(
        secret,
        &created.delivery_id,
        "recording.created",
        "2026-12-06T09:00:00Z",
        &created.body,
    )
    .unwrap();
    (created.delivery_id, headers, created.body.to_vec())
}

/// Start the receiver with only a Speakr route and skip the route lines.
async fn speakr_receiver(args: &[&str]) -> Receiver {
    let mut rx = Receiver::start(args, &[]).await;
    assert_eq!(rx.line().await, "mounted POST /hooks/speakr");
    for vendor in ["hedy", "heilo", "healthie"] {
        let line = rx.line().await;
        assert!(
            line.starts_with(&format!("not mounted /hooks/{vendor}")),
            "{line}"
        );
    }
    rx
}

const OLD_SECRET: &str = "speakr-old-secret";
const NEW_SECRET: &str = "speakr-new-secret";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unverified_deliveries_get_401_or_503_as_chosen() {
    let no_match = "no configured secret matches the signature";
    for (choice, status, retry_after) in [
        (None, 401, None),
        (Some("reject"), 401, None),
        (Some("retry"), 503, Some("30".to_owned())),
    ] {
        let mut args = vec!["--speakr-secret", OLD_SECRET];
        if let Some(choice) = choice {
            args.extend(["--on-unverified", choice]);
        }
        let mut rx = speakr_receiver(&args).await;
        let url = rx.url("speakr");

        // Signed with a secret the receiver does not have.
        let (id, headers, body) = speakr_delivery(NEW_SECRET);
        assert_eq!(
            post_http(&url, &headers, &body).await,
            (status, retry_after.clone(), no_match.to_owned()),
            "{choice:?}"
        );
        assert_eq!(
            rx.line().await,
            format!("speakr rejected {status}: {no_match}")
        );
        // A tampered body does not verify either: the same answer.
        let (_, headers, body) = speakr_delivery(OLD_SECRET);
        let (got, got_retry_after, _) = post_http(&url, &headers, &tampered(&body)).await;
        assert_eq!((got, got_retry_after), (status, retry_after), "{choice:?}");
        assert_eq!(
            rx.line().await,
            format!("speakr rejected {status}: {no_match}")
        );
        // No signature header at all: 400 whatever the choice, no retry can fix it.
        let unsigned: Vec<_> = headers
            .iter()
            .filter(|(name, _)| name != "speakr-signature")
            .cloned()
            .collect();
        let (got, got_retry_after, _) = post_http(&url, &unsigned, &body).await;
        assert_eq!((got, got_retry_after), (400, None), "{choice:?}");
        assert!(rx.line().await.starts_with("speakr rejected 400: "));
        // Signed with the receiver's secret: processed.
        assert_eq!(
            post_http(&url, &headers, &body).await,
            (200, None, "ok".to_owned())
        );
        assert_eq!(
            check(&rx.words().await, "speakr", "recording.created", "first"),
            id
        );
        rx.child.kill().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_retry_a_delivery_signed_during_a_rotation_is_processed_on_its_retry() {
    // Speakr has rotated: it signs every attempt with the new secret. The receiver still
    // knows only the old one and asks for a retry...
    let (id, headers, body) = speakr_delivery(NEW_SECRET);
    let mut rx =
        speakr_receiver(&["--speakr-secret", OLD_SECRET, "--on-unverified", "retry"]).await;
    let (status, retry_after, _) = post_http(&rx.url("speakr"), &headers, &body).await;
    assert_eq!((status, retry_after.as_deref()), (503, Some("30")));
    assert!(rx.line().await.starts_with("speakr rejected 503: "));
    rx.child.kill().await.unwrap();

    // ... which reaches it, identical, once it has the new secret (the old one kept beside
    // it for attempts in flight).
    let mut rx = speakr_receiver(&[
        "--speakr-secret",
        NEW_SECRET,
        "--speakr-secret",
        OLD_SECRET,
        "--on-unverified",
        "retry",
    ])
    .await;
    assert_eq!(
        post_http(&rx.url("speakr"), &headers, &body).await,
        (200, None, "ok".to_owned())
    );
    assert_eq!(
        check(&rx.words().await, "speakr", "recording.created", "first"),
        id
    );
    rx.child.kill().await.unwrap();
}

#[test]
fn help_documents_the_answer_to_unverified_deliveries() {
    let help = |flag: &str| {
        let out = std::process::Command::new(BIN).arg(flag).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let short = help("-h");
    for text in [
        "--on-unverified <ON_UNVERIFIED>",
        "The answer to a delivery whose signature, digest or timestamp does not verify: \
         401 (`reject`) or 503 with `Retry-After: 30` (`retry`) [default: reject] \
         [possible values: reject, retry]",
    ] {
        assert!(short.contains(text), "{text:?} not in {short}");
    }
    let long = help("--help");
    for text in [
        "Speakr never retries a 4xx other than 408 and 429",
        "During a secret rotation, `reject` loses the deliveries",
        "- reject: 401 Unauthorized: a permanent failure for Speakr (no retry)",
        "- retry:  503 Service Unavailable with `Retry-After`: the vendor retries",
    ] {
        assert!(long.contains(text), "{text:?} not in {long}");
    }
}
