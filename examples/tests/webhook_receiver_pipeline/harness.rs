//! The harness: scratch directories, the receiver process, signed deliveries of each
//! vendor, a hand-written HTTP POST, request counts on the mocks, and the file checks.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use healthie_client::webhooks::{Dialect, EventType as HealthieEvent, ThinEvent};
use hedy_client::mock::MockHedy;
use hedy_client::webhooks::{BodyForm, EventType as HedyEvent};
use serde_json::{json, Value};
use speakr_client::mock::MockSpeakr;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use transcripts::{Format, MeetingSource, Transcript};
use wiremock::{MockServer, Request};

pub const BIN: &str = env!("CARGO_BIN_EXE_webhook-receiver");
/// Generous: the machine running the tests may be slow and busy.
pub const WAIT: Duration = Duration::from_secs(60);
/// Every variable the receiver reads: each test sets only its own.
pub const VARS: [&str; 10] = [
    "SPEAKR_WEBHOOK_SECRET",
    "HEDY_WEBHOOK_SECRET",
    "HEILO_SIGNING_SECRET",
    "HEALTHIE_WEBHOOK_SECRET",
    "WEBHOOK_REDIS_URL",
    "SPEAKR_URL",
    "SPEAKR_TOKEN",
    "HEDY_API_KEY",
    "HEILO_API_KEY",
    "HEALTHIE_API_KEY",
];
/// The id of the recorded `recording.transcription.completed` delivery (Speakr recording 1).
pub const SPEAKR_TRANSCRIBED: &str = "a1013bdf-eda4-450c-bafb-709eaab7f414";
pub const SPEAKR_TRANSCRIPT: &str = r"^/api/v1/recordings/1/transcript$";
pub const SPEAKR_GET: &str = "/api/v1/recordings/1/transcript";
pub const HEDY_SESSION: &str = "sess_7Qm2xK9aL0";
pub const HEILO_CALL: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
pub const HEALTHIE_APPOINTMENT: &str = "1001";

/// A directory of the test's own under the system's temporary directory, removed at the end.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "webhook-pipeline-{name}-{}-{nanos:x}",
            std::process::id()
        ));
        Scratch(dir)
    }

    pub fn arg(&self) -> &str {
        self.0.to_str().unwrap()
    }

    /// Every entry's name, hidden ones included, sorted.
    pub fn names(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.0) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.0.join(name)).unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A receiver process: its address, the lines it printed at startup, and the later ones.
pub struct Receiver {
    child: Child,
    pub base: String,
    pub report: Vec<String>,
    lines: mpsc::UnboundedReceiver<String>,
}

pub fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for var in VARS {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cmd
}

impl Receiver {
    /// Start the binary on a free port; read its address and its startup report (a line
    /// per route, and with `--transcripts-dir` one more plus one per mounted route).
    pub async fn start(args: &[&str], env: &[(&str, &str)]) -> Receiver {
        let mut child = command(args, env).spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let (tx, lines) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok(Some(line)) = stdout.next_line().await {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let mut rx = Receiver {
            child,
            base: String::new(),
            report: Vec::new(),
            lines,
        };
        let first = rx.line().await;
        rx.base = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {first}"))
            .to_owned();
        for _ in 0..4 {
            let line = rx.line().await;
            rx.report.push(line);
        }
        if args.contains(&"--transcripts-dir") {
            let mounted = rx
                .report
                .iter()
                .filter(|l| l.starts_with("mounted"))
                .count();
            for _ in 0..=mounted {
                let line = rx.line().await;
                assert!(line.starts_with("transcripts: "), "{line}");
                rx.report.push(line);
            }
        }
        rx
    }

    pub async fn line(&mut self) -> String {
        tokio::time::timeout(WAIT, self.lines.recv())
            .await
            .expect("no line from the receiver in time")
            .expect("the receiver closed its output")
    }

    /// The next delivery line, split into words.
    pub async fn words(&mut self) -> Vec<String> {
        let line = self.line().await;
        line.split_whitespace().map(str::to_owned).collect()
    }

    /// The report line about `vendor`'s transcripts.
    pub fn transcripts_line(&self, vendor: &str) -> &str {
        let prefix = format!("transcripts: {vendor} ");
        self.report
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no {prefix}… line in {:?}", self.report))
    }

    /// Kill the process and return every line it printed after its report.
    pub async fn stop(mut self) -> Vec<String> {
        self.child.kill().await.unwrap();
        let mut rest = Vec::new();
        while let Ok(Some(line)) = tokio::time::timeout(WAIT, self.lines.recv()).await {
            rest.push(line);
        }
        rest
    }
}

/// `vendor event key=… verdict …` → the key and the words after the verdict.
pub fn check(words: &[String], vendor: &str, event: &str, verdict: &str) -> (String, Vec<String>) {
    assert_eq!(
        words.get(0..2),
        Some(&[vendor.into(), event.into()][..]),
        "{words:?}"
    );
    assert_eq!(words.get(3).map(String::as_str), Some(verdict), "{words:?}");
    let key = words[2].strip_prefix("key=").unwrap().to_owned();
    (key, words[4..].to_vec())
}

/// A signed delivery: the route's vendor, its headers and its exact body.
#[derive(Clone)]
pub struct Signed {
    pub vendor: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub fn strings(headers: Vec<(http::HeaderName, http::HeaderValue)>) -> Vec<(String, String)> {
    headers
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
        .collect()
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A recorded Speakr delivery, signed now with the mock's secret.
pub fn speakr_delivery(delivery_id: &str) -> Signed {
    let recorded = MockSpeakr::deliveries()
        .unwrap()
        .into_iter()
        .find(|d| d.delivery_id == delivery_id)
        .unwrap();
    let timestamp = speakr_client::Timestamp::from_system_time(SystemTime::now());
    let headers = webhook_verify::speakr::sign_delivery(
        speakr_client::mock::MOCK_WEBHOOK_SECRET,
        &recorded.delivery_id,
        &recorded.event_type,
        timestamp.as_str(),
        &recorded.body,
    )
    .unwrap();
    Signed {
        vendor: "speakr",
        headers: strings(headers),
        body: recorded.body.to_vec(),
    }
}

pub fn hedy_delivery(body: &[u8]) -> Signed {
    let headers = webhook_verify::hedy::sign_event(
        hedy_client::mock::MOCK_WEBHOOK_SECRET,
        "session.ended",
        body,
    )
    .unwrap();
    Signed {
        vendor: "hedy",
        headers: strings(headers),
        body: body.to_vec(),
    }
}

/// Hedy's sample `session.ended`, with its JSON changed by `edit`.
pub fn hedy_ended(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Vec<u8> {
    let sample = MockHedy::delivery(&HedyEvent::SessionEnded, BodyForm::Flat).unwrap();
    let mut body: Value = serde_json::from_slice(&sample.body).unwrap();
    edit(body.as_object_mut().unwrap());
    serde_json::to_vec(&body).unwrap()
}

pub fn heilo_delivery(envelope: &Value) -> Signed {
    let delivery = heilo_client::mock::Delivery::from_json(envelope).unwrap();
    let headers = webhook_verify::heilo::sign_event(
        heilo_client::mock::MOCK_WEBHOOK_SECRET,
        now(),
        &delivery.event_id,
        &delivery.event_type,
        &delivery.body,
    )
    .unwrap();
    Signed {
        vendor: "heilo",
        headers: strings(headers),
        body: delivery.body.to_vec(),
    }
}

/// A `call.completed` carrying a transcript with speaker turns.
pub fn heilo_completed() -> Value {
    json!({
        "api_version": "2026-06-15",
        "event_id": "9a8b7c6d-0000-4000-8000-000000000001",
        "event_type": "call.completed",
        "resource_id": HEILO_CALL,
        "created_at": "2026-06-03T12:34:56Z",
        "data": {
            "call_id": HEILO_CALL,
            "direction": "inbound",
            "duration": 87,
            "transcript_processed": {
                "caller_name": "Jan Kowalski",
                "summary": "Wants a boiler service.",
                "detected_language": "pl"
            },
            "transcript_original": "Agent: Dzień dobry, w czym mogę pomóc?\nJan Kowalski: Chciałbym umówić przegląd kotła.\nAgent: Oczywiście, jutro o dziesiątej?"
        }
    })
}

pub fn healthie_delivery(appointment: &str) -> Signed {
    let event = ThinEvent::new(
        HealthieEvent::AppointmentTranscriptAvailable,
        "Appointment",
        appointment,
    );
    let delivery = healthie_client::mock::Delivery::for_event(&event)
        .signed(
            healthie_client::mock::MOCK_WEBHOOK_SECRET,
            Dialect::Legacy,
            "/hooks/healthie",
            now(),
        )
        .unwrap();
    let headers = delivery
        .headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
        .collect();
    Signed {
        vendor: "healthie",
        headers,
        body: delivery.body.to_vec(),
    }
}

/// What the receiver answered.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: String,
}

/// POST `delivery` to its route once, on a fresh HTTP/1.1 connection written by hand, so that
/// the answer's headers are seen as sent.
pub async fn post(base: &str, delivery: &Signed) -> Answer {
    let rest = base.strip_prefix("http://").unwrap();
    let authority = rest.trim_end_matches('/');
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(authority).await.unwrap();
        let mut head = format!(
            "POST /hooks/{} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n",
            delivery.vendor,
            delivery.body.len()
        );
        for (name, value) in &delivery.headers {
            if !name.eq_ignore_ascii_case("content-type")
                && !name.eq_ignore_ascii_case("content-length")
            {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&delivery.body).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        answer
    };
    let answer = tokio::time::timeout(WAIT, exchange)
        .await
        .expect("no answer in time");
    let answer = String::from_utf8(answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap();
    let retry_after = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("retry-after"))
        .map(|(_, value)| value.trim().to_owned());
    Answer {
        status: status.parse().unwrap(),
        retry_after,
        body: body.to_owned(),
    }
}

/// How many requests `server` received that `matches` accepts.
pub async fn count(server: &MockServer, matches: impl Fn(&Request) -> bool) -> usize {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().filter(|r| matches(r)).count()
}

pub fn get(path: &'static str) -> impl Fn(&Request) -> bool {
    move |r| r.method.as_str() == "GET" && r.url.path() == path
}

/// A GraphQL request of `operation`.
pub fn operation(name: &'static str) -> impl Fn(&Request) -> bool {
    move |r| {
        serde_json::from_slice::<Value>(&r.body)
            .ok()
            .and_then(|b| b["operationName"].as_str().map(|n| n == name))
            .unwrap_or(false)
    }
}

/// A request for one of Healthie's expiring VTT files: it must carry no credential.
pub fn vtt_download(r: &Request) -> bool {
    let download = r.method.as_str() == "GET" && r.url.path().starts_with("/transcripts/");
    if download {
        assert!(!r.headers.contains_key("authorization"), "{r:?}");
        assert!(!r.headers.contains_key("authorizationsource"), "{r:?}");
    }
    download
}

/// The transcript `source` serves for `id` (a client of another instance of the same mock).
pub async fn served(source: &dyn MeetingSource, id: &str) -> Transcript {
    source.transcript(id).await.unwrap().unwrap()
}

/// The file `name` in `format`: its text is exactly the expected transcript's rendering, and
/// it parses back to the same segments, speakers and text.
pub fn assert_file(dir: &Scratch, name: &str, format: Format, expected: &Transcript) {
    let text = dir.read(name);
    let rendered = format
        .render(expected, &transcripts::RenderOptions::default())
        .unwrap();
    assert_eq!(text, rendered, "{name}");
    let back = format.parse(&text).unwrap();
    assert_eq!(back.speakers(), expected.speakers(), "{name}");
    let texts = |t: &Transcript| {
        t.segments
            .iter()
            .map(|s| s.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(texts(&back), texts(expected), "{name}");
    assert_eq!(back.segments, format.parse(&rendered).unwrap().segments);
    if format == Format::Json {
        assert_eq!(&back, expected, "{name}");
    }
}
