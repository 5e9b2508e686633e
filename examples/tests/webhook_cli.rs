//! Runs the `webhook` binary as a process: a valid and a tampered delivery per scheme.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_webhook");

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A process that rejects its arguments exits without reading its input: the pipe may
    // then be closed before the body is written, which is not a failure of the test.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// `webhook sign …` → the header lines.
fn sign(args: &[&str], body: &[u8]) -> Vec<String> {
    let mut full = vec!["sign"];
    full.extend_from_slice(args);
    let out = run(&full, body);
    assert!(
        out.status.success(),
        "sign failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn verify(args: &[&str], headers: &[String], body: &[u8]) -> Output {
    let mut full: Vec<String> = vec!["verify".into()];
    full.extend(args.iter().map(|s| s.to_string()));
    for h in headers {
        full.push("--header".into());
        full.push(h.clone());
    }
    let refs: Vec<&str> = full.iter().map(String::as_str).collect();
    run(&refs, body)
}

fn assert_ok(out: &Output, event: &str, key: Option<&str>) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stdout {stdout} stderr {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some(format!("event: {event}").as_str()));
    let key_line = lines.next().unwrap();
    assert!(key_line.starts_with("idempotency-key: "), "{key_line}");
    if let Some(key) = key {
        assert_eq!(key_line, format!("idempotency-key: {key}"));
    } else {
        assert_eq!(key_line.len(), "idempotency-key: ".len() + 64);
    }
}

fn assert_rejected(out: &Output, reason: &str) {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(reason), "stderr: {stderr}");
}

fn tampered(body: &[u8]) -> Vec<u8> {
    let mut b = body.to_vec();
    b[3] ^= 1;
    b
}

#[test]
fn hmac_hex_schemes_valid_and_tampered() {
    let body = br#"{"event":"session.ended","sessionId":"s-1"}"#;
    for scheme in ["hedy", "speakr", "generic"] {
        let headers = sign(&["--scheme", scheme, "--secret", "k1"], body);
        assert_eq!(headers.len(), 1, "{headers:?}");
        // Rotation: the signing secret is the second one given.
        let args = ["--scheme", scheme, "--secret", "old", "--secret", "k1"];
        let out = verify(&args, &headers, body);
        let expected_event = if scheme == "speakr" {
            "-"
        } else {
            "session.ended"
        };
        assert_ok(&out, expected_event, None);
        assert_rejected(
            &verify(&args, &headers, &tampered(body)),
            "no configured secret matches the signature",
        );
        assert_rejected(&verify(&args, &[], body), "missing header");
    }
}

#[test]
fn real_speakr_capture_verifies_through_the_binary() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/captures/speakr/webhook_deliveries_received.json"
    ))
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let secret = json["secret_used"].as_str().unwrap();
    let d = &json["deliveries"][1];
    let headers: Vec<String> = d["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap()))
        .collect();
    let body = d["raw_body"].as_str().unwrap().as_bytes();
    let args = ["--scheme", "speakr", "--secret", secret];
    let out = verify(&args, &headers, body);
    assert_ok(
        &out,
        d["headers"]["Speakr-Event"].as_str().unwrap(),
        d["headers"]["Speakr-Delivery-Id"].as_str(),
    );
    assert_rejected(
        &verify(&args, &headers, &tampered(body)),
        "no configured secret",
    );
}

#[test]
fn heilo_valid_tampered_and_stale() {
    let body = br#"{"event_id":"e-1","event_type":"call.completed","data":{}}"#;
    let mut headers = sign(
        &[
            "--scheme",
            "heilo",
            "--secret",
            "hk",
            "--timestamp",
            "1717423396",
        ],
        body,
    );
    assert!(headers[0].starts_with("heilo-signature: t=1717423396,v1="));
    headers.push("heilo-event-id: e-1".into());
    let args = ["--scheme", "heilo", "--secret", "hk", "--now", "1717423400"];
    assert_ok(
        &verify(&args, &headers, body),
        "call.completed",
        Some("e-1"),
    );
    assert_rejected(
        &verify(&args, &headers, &tampered(body)),
        "no configured secret matches",
    );
    let stale = ["--scheme", "heilo", "--secret", "hk", "--now", "1717423697"];
    assert_rejected(
        &verify(&stale, &headers, body),
        "timestamp outside tolerance",
    );
}

#[test]
fn healthie_every_dialect_valid_and_tampered() {
    let body = br#"{"resource_id":"67890","resource_id_type":"Appointment","event_type":"appointment.created","changed_fields":[]}"#;
    let path = "/hooks/healthie?tenant=7";
    for dialect in ["legacy", "guide", "rfc9421"] {
        let headers = sign(
            &[
                "--scheme",
                "healthie",
                "--secret",
                "whsec_x",
                "--path",
                path,
                "--dialect",
                dialect,
                "--timestamp",
                "1750000000",
            ],
            body,
        );
        assert!(headers.iter().any(|h| h.starts_with("signature: sig1=")));
        assert!(headers
            .iter()
            .any(|h| h.starts_with("content-digest: sha-256=")));
        let args = [
            "--scheme",
            "healthie",
            "--secret",
            "whsec_x",
            "--path",
            path,
            "--now",
            "1750000000",
            "--verbose",
        ];
        let out = verify(&args, &headers, body);
        assert_ok(&out, "appointment.created", None);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains(&format!("scheme: healthie ({dialect})")),
            "{stdout}"
        );
        assert_rejected(
            &verify(&args, &headers, &tampered(body)),
            "content-digest does not match the body",
        );
        // The path as the receiver saw it behind a proxy is not the registered one.
        let wrong_path = [
            "--scheme",
            "healthie",
            "--secret",
            "whsec_x",
            "--path",
            "/api/hooks/healthie?tenant=7",
            "--now",
            "1750000000",
        ];
        assert_rejected(&verify(&wrong_path, &headers, body), "no configured secret");
    }
    // Legacy is the default dialect of `sign`.
    let headers = sign(
        &["--scheme", "healthie", "--secret", "k", "--path", "/h"],
        body,
    );
    let sig = headers
        .iter()
        .find(|h| h.starts_with("signature: "))
        .unwrap();
    assert_eq!(sig.len(), "signature: sig1=".len() + 64);
}

#[test]
fn usage_errors() {
    let out = run(&["sign", "--scheme", "healthie", "--secret", "k"], b"{}");
    assert_rejected(&out, "--path is required");
    let out = run(
        &[
            "verify", "--scheme", "hedy", "--secret", "k", "--header", "no colon",
        ],
        b"{}",
    );
    assert_rejected(&out, "is not `Name: value`");
    let out = run(&["--help"], b"");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("verify"));
}
