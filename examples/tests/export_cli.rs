//! Runs the `export` binary as a process: against its built-in mock, to a file, and against a
//! Speakr mock server started here (a missing transcript, then an error that stops it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Output;
use std::time::Duration;

use futures::TryStreamExt;
use serde_json::Value;
use speakr_client::mock::MockSpeakr;
use tokio::process::Command;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const BIN: &str = env!("CARGO_BIN_EXE_export");

/// Run `export` with `args` and `env` only (no `SPEAKR_*` from the caller's environment).
async fn export(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("SPEAKR_URL")
        .env_remove("SPEAKR_TOKEN")
        .envs(env.iter().copied())
        .kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(120), cmd.output())
        .await
        .expect("export did not finish in time")
        .unwrap()
}

fn json_lines(text: &[u8]) -> Vec<Value> {
    std::str::from_utf8(text)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The ids the mock serves, newest first, as its listing returns them.
async fn mock_ids() -> Vec<u64> {
    let mock = MockSpeakr::start().await;
    let speakr = mock.client().unwrap();
    let all: Vec<_> = speakr
        .recordings()
        .list()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    all.iter().map(|r| r.id).collect()
}

#[tokio::test]
async fn mock_export_writes_one_json_line_per_recording() {
    let out = export(&["--mock"], &[]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out.stdout);
    let ids: Vec<u64> = lines.iter().map(|l| l["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, mock_ids().await);
    for line in &lines {
        for key in [
            "title",
            "status",
            "created_at",
            "meeting_date",
            "duration",
            "tags",
            "transcript",
            "summary",
        ] {
            assert!(line.get(key).is_some(), "no {key} in {line}");
        }
    }
    let with_segments = lines
        .iter()
        .filter(|l| {
            l["transcript"]["segments"]
                .as_array()
                .is_some_and(|s| !s.is_empty())
        })
        .count();
    assert!(with_segments >= 1, "{lines:?}");
    let first = &lines[0]["transcript"]["segments"][0];
    assert!(
        first["text"].as_str().is_some_and(|t| !t.is_empty()),
        "{first}"
    );
    assert!(lines[0]["summary"].as_str().is_some());
    assert!(stderr(&out).contains(&format!("{} recordings written", lines.len())));
}

#[tokio::test]
async fn out_writes_the_same_lines_to_a_file_and_no_url_means_the_mock() {
    let file = std::env::temp_dir().join(format!("export-cli-{}.jsonl", std::process::id()));
    let to_file = export(&["--out", file.to_str().unwrap()], &[]).await;
    let to_stdout = export(&["--mock"], &[]).await;
    let written = std::fs::read(&file).unwrap();
    std::fs::remove_file(&file).ok();
    assert!(to_file.status.success(), "{}", stderr(&to_file));
    assert!(to_file.stdout.is_empty());
    assert!(stderr(&to_file).contains("using the built-in mock server"));
    assert_eq!(json_lines(&written), json_lines(&to_stdout.stdout));
    assert!(!written.is_empty());
}

#[tokio::test]
async fn a_server_from_the_environment_missing_transcripts_and_errors() {
    let mock = MockSpeakr::start().await;
    // Recording 2 has no transcript: exported with `transcript: null`.
    Mock::given(method("GET"))
        .and(path("/api/v1/recordings/2/transcript"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(serde_json::json!({"error": "No transcription available"})),
        )
        .with_priority(1)
        .mount(mock.server())
        .await;
    let env = [
        ("SPEAKR_URL", mock.uri()),
        ("SPEAKR_TOKEN", mock.token().to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = export(&["--status", "completed", "--since", "2026-01-01"], &env).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("mock"), "{}", stderr(&out));
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), mock_ids().await.len());
    let two = lines.iter().find(|l| l["id"] == 2).unwrap();
    assert!(two["transcript"].is_null(), "{two}");
    let received = mock.server().received_requests().await.unwrap();
    let listing = received
        .iter()
        .find(|r| r.url.path() == "/api/v1/recordings")
        .unwrap();
    let query = listing.url.query().unwrap();
    assert!(
        query.contains("status=completed") && query.contains("date_from=2026-01-01"),
        "{query}"
    );

    // Any other error stops the export with a message and status 1.
    Mock::given(method("GET"))
        .and(path("/api/v1/recordings/3/summary"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(serde_json::json!({"error": "Forbidden"})),
        )
        .with_priority(1)
        .mount(mock.server())
        .await;
    let out = export(&[], &env).await;
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.contains("summary of recording #3") && message.contains("403"),
        "{message}"
    );
}
