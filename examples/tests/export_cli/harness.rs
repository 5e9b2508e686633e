//! The harness: vendor mocks started here, the `export` command, and checks on its output.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use futures::TryStreamExt;
use healthie_client::mock::MockHealthie;
use hedy_client::mock::MockHedy;
use heilo_client::mock::MockHeilo;
use serde_json::Value;
use speakr_client::mock::MockSpeakr;
use tokio::process::Command;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const BIN: &str = env!("CARGO_BIN_EXE_export");
/// Generous: the machine running the tests may be slow and busy.
pub const WAIT: Duration = Duration::from_secs(120);
pub const CREDENTIALS: [&str; 4] = [
    "HEDY_API_KEY",
    "SPEAKR_URL",
    "SPEAKR_TOKEN",
    "HEILO_API_KEY",
];

/// A vendor's mock server started by the test.
pub enum Vendor {
    Hedy(MockHedy),
    Speakr(MockSpeakr),
    Heilo(MockHeilo),
    Healthie(MockHealthie),
}

/// What a request asked for: its path, or for a GraphQL request
/// `graphql:<operationName>:<variables.id>`.
pub fn key(req: &Request) -> String {
    if req.url.path() != healthie_client::mock::GRAPHQL_PATH {
        return req.url.path().to_owned();
    }
    let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
    format!(
        "graphql:{}:{}",
        body["operationName"].as_str().unwrap_or_default(),
        body["variables"]["id"].as_str().unwrap_or_default()
    )
}

impl Vendor {
    pub async fn start(name: &str) -> Vendor {
        match name {
            "hedy" => Vendor::Hedy(MockHedy::start().await),
            "speakr" => Vendor::Speakr(MockSpeakr::start().await),
            "heilo" => Vendor::Heilo(MockHeilo::start().await),
            "healthie" => Vendor::Healthie(MockHealthie::start().await),
            other => panic!("no vendor {other}"),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Vendor::Hedy(_) => "hedy",
            Vendor::Speakr(_) => "speakr",
            Vendor::Heilo(_) => "heilo",
            Vendor::Healthie(_) => "healthie",
        }
    }

    pub fn server(&self) -> &MockServer {
        match self {
            Vendor::Hedy(m) => m.server(),
            Vendor::Speakr(m) => m.server(),
            Vendor::Heilo(m) => m.server(),
            Vendor::Healthie(m) => m.server(),
        }
    }

    /// `--base-url` and the credentials for this mock.
    pub fn args_and_env(&self) -> (Vec<String>, Vec<(&'static str, String)>) {
        match self {
            Vendor::Hedy(m) => (
                vec!["--base-url".into(), m.uri()],
                vec![("HEDY_API_KEY", m.credential().to_owned())],
            ),
            Vendor::Speakr(m) => (
                vec![],
                vec![
                    ("SPEAKR_URL", m.uri()),
                    ("SPEAKR_TOKEN", m.credential().to_owned()),
                ],
            ),
            Vendor::Heilo(m) => (
                vec!["--base-url".into(), m.uri()],
                vec![("HEILO_API_KEY", m.credential().to_owned())],
            ),
            Vendor::Healthie(m) => (
                vec!["--base-url".into(), m.endpoint()],
                vec![("HEALTHIE_API_KEY", m.credential().to_owned())],
            ),
        }
    }

    /// Every item id the mock lists, in listing order.
    pub async fn ids(&self) -> Vec<String> {
        match self {
            Vendor::Hedy(m) => {
                let all: Vec<_> = m
                    .client()
                    .unwrap()
                    .sessions()
                    .list()
                    .into_stream()
                    .try_collect()
                    .await
                    .unwrap();
                all.into_iter().map(|s| s.session_id).collect()
            }
            Vendor::Speakr(m) => {
                let all: Vec<_> = m
                    .client()
                    .unwrap()
                    .recordings()
                    .list()
                    .into_stream()
                    .try_collect()
                    .await
                    .unwrap();
                all.into_iter().map(|r| r.id.to_string()).collect()
            }
            Vendor::Heilo(m) => {
                let all: Vec<_> = m
                    .client()
                    .unwrap()
                    .calls()
                    .list()
                    .into_stream()
                    .try_collect()
                    .await
                    .unwrap();
                all.into_iter().map(|c| c.call_id).collect()
            }
            Vendor::Healthie(m) => {
                let all: Vec<_> = m
                    .client()
                    .unwrap()
                    .appointments()
                    .list()
                    .into_stream()
                    .try_collect()
                    .await
                    .unwrap();
                all.into_iter().map(|a| a.id).collect()
            }
        }
    }

    /// The listing's route (see [`key`]).
    pub fn list_route(&self) -> &'static str {
        match self {
            Vendor::Healthie(_) => "graphql:Appointments:",
            Vendor::Hedy(_) => "/sessions",
            Vendor::Speakr(_) => "/api/v1/recordings",
            Vendor::Heilo(_) => "/calls",
        }
    }

    /// The route (see [`key`]) of the item's first fetch after its record is known (Hedy,
    /// Heilo and Healthie: the record itself; Speakr, whose listing carries the record: the
    /// transcript).
    pub fn item_route(&self, id: &str) -> String {
        match self {
            Vendor::Healthie(_) => format!("graphql:Appointment:{id}"),
            Vendor::Hedy(_) => format!("/sessions/{id}"),
            Vendor::Speakr(_) => format!("/api/v1/recordings/{id}/transcript"),
            Vendor::Heilo(_) => format!("/calls/{id}"),
        }
    }

    /// Make the next request to the item's route wait `delay`, then answer normally.
    pub async fn delay_once(&self, id: &str, delay: Duration) {
        // The body the mock serves there, to replay.
        let body = match self {
            Vendor::Hedy(m) => {
                m.client()
                    .unwrap()
                    .core()
                    .get("/sessions/{id}")
                    .param(id)
                    .send_bytes()
                    .await
            }
            Vendor::Speakr(m) => {
                m.client()
                    .unwrap()
                    .core()
                    .get("/recordings/{id}/transcript")
                    .param(id)
                    .query("format", "text")
                    .send_bytes()
                    .await
            }
            Vendor::Heilo(m) => {
                m.client()
                    .unwrap()
                    .core()
                    .get("/calls/{id}")
                    .param(id)
                    .send_bytes()
                    .await
            }
            // Never delivered: the test kills the run while it waits.
            Vendor::Healthie(_) => Ok(client_core::Bytes::from_static(b"{}")),
        }
        .unwrap()
        .to_vec();
        let route = self.item_route(id);
        Mock::given(move |req: &Request| key(req) == route)
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(body, "application/json")
                    .set_delay(delay),
            )
            .up_to_n_times(1)
            .with_priority(1)
            .mount(self.server())
            .await;
    }

    /// Answer every request to the item's route with a 500.
    pub async fn fail(&self, id: &str) {
        let route = self.item_route(id);
        Mock::given(move |req: &Request| key(req) == route)
            .respond_with(
                ResponseTemplate::new(500)
                    .set_body_raw(r#"{"error": "internal error"}"#, "application/json"),
            )
            .with_priority(1)
            .mount(self.server())
            .await;
    }

    /// The paths the server received, in order.
    pub async fn paths(&self) -> Vec<String> {
        self.server()
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(key)
            .collect()
    }
}

pub fn command(args: &[String], env: &[(&'static str, String)]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args).kill_on_drop(true).stdin(Stdio::null());
    for name in CREDENTIALS {
        cmd.env_remove(name);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

pub async fn output(mut cmd: Command) -> Output {
    tokio::time::timeout(WAIT, cmd.output())
        .await
        .expect("export did not finish in time")
        .unwrap()
}

/// Run `export` against the test's mock `v`, writing to `out`.
pub async fn export_to(v: &Vendor, out: &Path, extra: &[&str]) -> Output {
    output(export_cmd(v, out, extra)).await
}

pub fn export_cmd(v: &Vendor, out: &Path, extra: &[&str]) -> Command {
    let (mut args, env) = v.args_and_env();
    args.insert(0, v.name().to_owned());
    args.extend(["--out".to_owned(), out.display().to_string()]);
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    command(&args, &env)
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn report(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    )
}

/// A fresh empty directory under the system's temporary directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("export-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The index's lines.
pub fn index(dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("index.jsonl")).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Check the directory: one index line per expected id, no other; every file an index line
/// names exists; every record parses; no partial file is left. Returns the lines by id.
pub fn check_complete(dir: &Path, ids: &[String]) -> BTreeMap<String, Value> {
    let lines = index(dir);
    let mut by_id = BTreeMap::new();
    for line in &lines {
        let id = line["id"].as_str().unwrap().to_owned();
        assert!(
            by_id.insert(id.clone(), line.clone()).is_none(),
            "{id} twice in the index"
        );
    }
    let expected: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(by_id.keys().collect::<BTreeSet<_>>(), expected);
    for line in by_id.values() {
        for file in line["files"].as_object().unwrap().values() {
            let file = dir.join(file.as_str().unwrap());
            assert!(file.is_file(), "{} is missing", file.display());
        }
        let record = dir.join(line["files"]["record"].as_str().unwrap());
        let _: Value = serde_json::from_slice(&std::fs::read(record).unwrap()).unwrap();
    }
    assert_no_partial_files(dir);
    by_id
}

pub fn assert_no_partial_files(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".partial"), "{name} left behind");
    }
}

/// How many requests went to each path, from the `from`-th request on.
pub fn counts(paths: &[String], from: usize) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for p in &paths[from..] {
        *counts.entry(p.clone()).or_insert(0) += 1;
    }
    counts
}

/// Wait until the server has received a request to `route` after its first `from` requests.
pub async fn wait_for_request(v: &Vendor, from: usize, route: &str) {
    tokio::time::timeout(WAIT, async {
        while !v.paths().await[from..].iter().any(|p| p == route) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the export never sent the request");
}

pub const VENDORS: [&str; 4] = ["hedy", "speakr", "heilo", "healthie"];

/// `export` under `ulimit -f BLOCKS` (RLIMIT_FSIZE, which binds root too), with `SIGXFSZ`
/// ignored so that a write past the limit fails with `EFBIG` ("File too large") instead of
/// killing the process: a disk that fills up.
pub fn limited(v: &Vendor, out: &Path, blocks: u32, extra: &[&str]) -> Command {
    let (mut args, env) = v.args_and_env();
    args.insert(0, v.name().to_owned());
    args.extend(["--out".to_owned(), out.display().to_string()]);
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks} && exec \"$0\" \"$@\""
        ))
        .arg(BIN)
        .args(&args)
        .kill_on_drop(true)
        .stdin(Stdio::null());
    for name in CREDENTIALS {
        cmd.env_remove(name);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Speakr's answer once a route's hour is spent: an HTML 429 with no `Retry-After` (the body
/// recorded from the real server).
pub fn speakr_quota_spent() -> ResponseTemplate {
    ResponseTemplate::new(429).set_body_raw(
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../speakr-client/fixtures/rate_limited_429.html"
        )),
        "text/html; charset=utf-8",
    )
}

/// What the Speakr mock answers to `GET /recordings/{id}/summary`.
pub async fn speakr_summary_body(mock: &MockSpeakr, id: &str) -> Vec<u8> {
    mock.client()
        .unwrap()
        .core()
        .get("/recordings/{id}/summary")
        .param(id)
        .send_bytes()
        .await
        .unwrap()
        .to_vec()
}

/// The query strings of the requests the server received at `path`, in order.
pub async fn queries(v: &Vendor, path: &str) -> Vec<String> {
    v.server()
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == path)
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect()
}

/// The lines of a process's output stream that start with `export:`.
pub fn export_lines(bytes: &[u8]) -> Vec<String> {
    text(bytes)
        .lines()
        .filter(|l| l.starts_with("export:"))
        .map(str::to_owned)
        .collect()
}
