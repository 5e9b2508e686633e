//! The transcript pipeline of `webhook-receiver` (`--transcripts-dir`), end to end: the binary
//! runs as a process, each vendor's mock serves the API it fetches from, and signed deliveries
//! reach it over HTTP.
//!
//! - Every vendor's "transcript ready" delivery becomes one file, whose content parses back
//!   to the transcript the mock serves (or the delivery carries); the same delivery again is a
//!   `duplicate`, with no second fetch.
//! - A fetch that fails once is answered 503 with `Retry-After` and leaves no file; the retry
//!   writes the file once, after exactly two fetches.
//! - Without API access, Speakr and Healthie refuse to start, and a Hedy delivery without its
//!   transcript is answered 503.
//! - Two replicas on one Redis (`REDIS_URL`; skipped without it, except under `CI=true`) that
//!   get the same delivery several times, concurrently, write it once between them with one
//!   fetch; a fetch that fails on one replica is retried on the other.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use std::sync::Arc;
use std::time::Duration;

use harness::*;
use healthie_client::mock::MockHealthie;
use hedy_client::mock::MockHedy;
use heilo_client::mock::MockHeilo;
use serde_json::json;
use speakr_client::mock::MockSpeakr;
use test_support::redis::{redis_url, unique_prefix};
use transcripts::{Format, MeetingEvent};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, ResponseTemplate};
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_vendor_transcript_is_written_once() {
    let (speakr, hedy, heilo, healthie) = (
        MockSpeakr::start().await,
        MockHedy::start().await,
        MockHeilo::start().await,
        MockHealthie::start().await,
    );
    let dir = Scratch::new("every");
    let (hedy_url, heilo_url, healthie_url) = (hedy.uri(), heilo.uri(), healthie.endpoint());
    let speakr_url = speakr.uri();
    let mut rx = Receiver::start(
        &[
            "--transcripts-dir",
            dir.arg(),
            "--transcript-format",
            "vtt",
            "--hedy-base-url",
            &hedy_url,
            "--heilo-base-url",
            &heilo_url,
            "--healthie-endpoint",
            &healthie_url,
        ],
        &[
            ("SPEAKR_WEBHOOK_SECRET", speakr.webhook_secret()),
            ("HEDY_WEBHOOK_SECRET", hedy.webhook_secret()),
            ("HEILO_SIGNING_SECRET", heilo.webhook_secret()),
            ("HEALTHIE_WEBHOOK_SECRET", healthie.webhook_secret()),
            ("SPEAKR_URL", &speakr_url),
            ("SPEAKR_TOKEN", speakr.credential()),
            ("HEDY_API_KEY", hedy.credential()),
            ("HEILO_API_KEY", heilo.credential()),
            ("HEALTHIE_API_KEY", healthie.credential()),
        ],
    )
    .await;
    assert!(rx
        .transcripts_line("speakr")
        .ends_with(&format!("fetched from {speakr_url}")));
    assert!(rx
        .transcripts_line("hedy")
        .contains("from the delivery, else fetched"));

    // Speakr: the event names the recording; its JSON segments are fetched.
    let expected = served(&MockSpeakr::start().await.client().unwrap(), "1").await;
    assert_eq!(expected.speakers(), ["SPEAKER_00", "SPEAKER_01"]);
    assert!(expected.is_timed());
    let delivery = speakr_delivery(SPEAKR_TRANSCRIBED);
    let event = "recording.transcription.completed";
    let answer = post(&rx.base, &delivery).await;
    assert_eq!((answer.status, answer.body.as_str()), (200, "ok"));
    let (key, rest) = check(&rx.words().await, "speakr", event, "wrote");
    assert_eq!(key, SPEAKR_TRANSCRIBED);
    assert_eq!(rest, ["speakr-1.transcript.vtt", "segments=2", "from=api"]);
    assert_file(&dir, "speakr-1.transcript.vtt", Format::Vtt, &expected);
    assert_eq!(post(&rx.base, &delivery).await.status, 200);
    check(&rx.words().await, "speakr", event, "duplicate");
    assert_eq!(count(speakr.server(), get(SPEAKR_GET)).await, 1);

    // Hedy: `session.ended` carries the text (untimed, so written as txt); no fetch.
    let body = hedy_ended(|_| {});
    let parsed = hedy_client::webhooks::parse(&body).unwrap();
    let carried = MeetingEvent::try_from(&parsed).unwrap().transcript.unwrap();
    assert!(!carried.is_timed());
    let delivery = hedy_delivery(&body);
    assert_eq!(post(&rx.base, &delivery).await.status, 200);
    let name = format!("hedy-{HEDY_SESSION}.transcript.txt");
    let (_, rest) = check(&rx.words().await, "hedy", "session.ended", "wrote");
    assert_eq!(rest, [name.as_str(), "segments=1", "from=delivery"]);
    assert_file(&dir, &name, Format::Text, &carried);
    assert_eq!(post(&rx.base, &delivery).await.status, 200);
    check(&rx.words().await, "hedy", "session.ended", "duplicate");
    let session = "/sessions/sess_7Qm2xK9aL0";
    assert_eq!(count(hedy.server(), get(session)).await, 0);

    // Hedy without the text in the delivery: fetched, and it replaces the file.
    let body = hedy_ended(|o| {
        o.remove("transcript");
    });
    let delivery = hedy_delivery(&body);
    assert_eq!(post(&rx.base, &delivery).await.status, 200);
    let (_, rest) = check(&rx.words().await, "hedy", "session.ended", "wrote");
    assert_eq!(rest[2], "from=api");
    let fetched = served(&MockHedy::start().await.client().unwrap(), HEDY_SESSION).await;
    assert_ne!(fetched.segments, carried.segments);
    assert_file(&dir, &name, Format::Text, &fetched);
    assert_eq!(post(&rx.base, &delivery).await.status, 200);
    check(&rx.words().await, "hedy", "session.ended", "duplicate");
    assert_eq!(count(hedy.server(), get(session)).await, 1);

    // Heilo: `call.completed` carries `transcript_original` with speaker turns; no fetch.
    let envelope = heilo_completed();
    let body = serde_json::to_vec(&envelope).unwrap();
    let parsed = heilo_client::webhooks::parse(&body).unwrap();
    let carried = MeetingEvent::try_from(&parsed).unwrap().transcript.unwrap();
    assert_eq!(carried.speakers(), ["Agent", "Jan Kowalski"]);
    let delivery = heilo_delivery(&envelope);
    assert_eq!(post(&rx.base, &delivery).await.status, 200);
    let name = format!("heilo-{HEILO_CALL}.transcript.txt");
    let (_, rest) = check(&rx.words().await, "heilo", "call.completed", "wrote");
    assert_eq!(rest, [name.as_str(), "segments=3", "from=delivery"]);
    assert_file(&dir, &name, Format::Text, &carried);
    assert_eq!(post(&rx.base, &delivery).await.status, 200);
    check(&rx.words().await, "heilo", "call.completed", "duplicate");
    let call = "/calls/3fa85f64-5717-4562-b3fc-2c963f66afa6";
    assert_eq!(count(heilo.server(), get(call)).await, 0);

    // Healthie: the appointment, then its AI-Scribe VTT from the expiring URL, no credentials.
    let expected = served(&MockHealthie::start().await.client().unwrap(), "1001").await;
    assert_eq!(expected.speakers(), ["Dana Reyes", "Ari Client"]);
    let delivery = healthie_delivery(HEALTHIE_APPOINTMENT);
    let event = "appointment.transcript_available";
    assert_eq!(post(&rx.base, &delivery).await.status, 200);
    let (_, rest) = check(&rx.words().await, "healthie", event, "wrote");
    assert_eq!(rest[0], "healthie-1001.transcript.vtt");
    assert_file(&dir, "healthie-1001.transcript.vtt", Format::Vtt, &expected);
    assert_eq!(post(&rx.base, &delivery).await.status, 200);
    check(&rx.words().await, "healthie", event, "duplicate");
    assert_eq!(count(healthie.server(), operation("Appointment")).await, 1);
    assert_eq!(count(healthie.server(), vtt_download).await, 1);

    // One whole file per meeting, nothing left half written.
    assert_eq!(
        dir.names(),
        [
            "healthie-1001.transcript.vtt".to_owned(),
            format!("hedy-{HEDY_SESSION}.transcript.txt"),
            format!("heilo-{HEILO_CALL}.transcript.txt"),
            "speakr-1.transcript.vtt".to_owned(),
        ]
    );
    // Other events are processed as without the flag.
    let created = speakr_delivery("9c597d5b-5bf6-429e-8c2f-c191f83388fb");
    assert_eq!(post(&rx.base, &created).await.status, 200);
    check(&rx.words().await, "speakr", "recording.created", "first");
    assert_eq!(dir.names().len(), 4);
    rx.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_fetch_is_answered_503_and_its_retry_writes_the_file_once() {
    let (speakr, healthie) = (MockSpeakr::start().await, MockHealthie::start().await);
    // Each API's transcript route answers 500 once, then as usual.
    Mock::given(method("GET"))
        .and(path_regex(SPEAKR_TRANSCRIPT))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(speakr.server())
        .await;
    healthie
        .fail_next("Appointment", ResponseTemplate::new(500), 1)
        .await;
    let dir = Scratch::new("retry");
    let (speakr_url, endpoint) = (speakr.uri(), healthie.endpoint());
    let mut rx = Receiver::start(
        &[
            "--transcripts-dir",
            dir.arg(),
            "--transcript-format",
            "json",
            "--speakr-url",
            &speakr_url,
            "--healthie-endpoint",
            &endpoint,
        ],
        &[
            ("SPEAKR_WEBHOOK_SECRET", speakr.webhook_secret()),
            ("HEALTHIE_WEBHOOK_SECRET", healthie.webhook_secret()),
            ("SPEAKR_TOKEN", speakr.credential()),
            ("HEALTHIE_API_KEY", healthie.credential()),
        ],
    )
    .await;

    let cases = [
        (
            speakr_delivery(SPEAKR_TRANSCRIBED),
            "recording.transcription.completed",
            "speakr-1.transcript.json",
            served(&MockSpeakr::start().await.client().unwrap(), "1").await,
        ),
        (
            healthie_delivery(HEALTHIE_APPOINTMENT),
            "appointment.transcript_available",
            "healthie-1001.transcript.json",
            served(&MockHealthie::start().await.client().unwrap(), "1001").await,
        ),
    ];
    for (delivery, event, name, expected) in &cases {
        let vendor = delivery.vendor;
        // The first attempt: 503 with Retry-After, the reason printed, no file.
        let answer = post(&rx.base, delivery).await;
        assert_eq!(answer.status, 503, "{vendor}: {answer:?}");
        assert_eq!(answer.retry_after.as_deref(), Some("30"), "{vendor}");
        let (_, reason) = check(&rx.words().await, vendor, event, "failed:");
        assert!(reason.join(" ").contains("500"), "{vendor}: {reason:?}");
        assert!(!dir.names().iter().any(|n| n.contains(vendor)), "{vendor}");
        // The vendor's retry: processed, the file written.
        let answer = post(&rx.base, delivery).await;
        assert_eq!(answer.status, 200, "{vendor}: {answer:?}");
        let (_, rest) = check(&rx.words().await, vendor, event, "wrote");
        assert_eq!(rest[0], *name);
        assert_file(&dir, name, Format::Json, expected);
        // And a late repeat is a duplicate.
        assert_eq!(post(&rx.base, delivery).await.status, 200);
        check(&rx.words().await, vendor, event, "duplicate");
    }
    assert_eq!(count(speakr.server(), get(SPEAKR_GET)).await, 2);
    assert_eq!(count(healthie.server(), operation("Appointment")).await, 2);
    assert_eq!(count(healthie.server(), vtt_download).await, 1);
    assert_eq!(
        dir.names(),
        ["healthie-1001.transcript.json", "speakr-1.transcript.json"]
    );
    rx.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_api_access_speakr_and_healthie_refuse_to_start_and_hedy_answers_503() {
    let dir = Scratch::new("access");
    for (secret, env, needs) in [
        (
            "SPEAKR_WEBHOOK_SECRET",
            Some(("SPEAKR_URL", "http://127.0.0.1:9")),
            "SPEAKR_TOKEN",
        ),
        ("HEALTHIE_WEBHOOK_SECRET", None, "HEALTHIE_API_KEY"),
    ] {
        let mut vars = vec![(secret, "s3cret")];
        vars.extend(env);
        let run = command(&["--transcripts-dir", dir.arg()], &vars).output();
        let output = tokio::time::timeout(WAIT, run).await.unwrap().unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(needs), "{stderr}");
        assert!(String::from_utf8_lossy(&output.stdout).is_empty());
    }

    // Hedy without HEDY_API_KEY: the text the delivery carries is written; a delivery without
    // it is answered 503, saying what to set, and retried until the key is there.
    let mut rx = Receiver::start(
        &["--transcripts-dir", dir.arg()],
        &[(
            "HEDY_WEBHOOK_SECRET",
            hedy_client::mock::MOCK_WEBHOOK_SECRET,
        )],
    )
    .await;
    assert!(rx.transcripts_line("hedy").contains("no HEDY_API_KEY"));
    let with_text = hedy_delivery(&hedy_ended(|_| {}));
    assert_eq!(post(&rx.base, &with_text).await.status, 200);
    check(&rx.words().await, "hedy", "session.ended", "wrote");
    let without = hedy_delivery(&hedy_ended(|o| {
        o.remove("transcript");
        o.insert("sessionId".into(), json!("sess_no_text"));
    }));
    for _ in 0..2 {
        let answer = post(&rx.base, &without).await;
        assert_eq!(answer.status, 503, "{answer:?}");
        assert!(answer.retry_after.is_some());
        assert!(answer.body.contains("HEDY_API_KEY"), "{answer:?}");
        let (_, reason) = check(&rx.words().await, "hedy", "session.ended", "failed:");
        assert!(reason.join(" ").contains("HEDY_API_KEY"), "{reason:?}");
    }
    assert_eq!(dir.names(), [format!("hedy-{HEDY_SESSION}.transcript.txt")]);
    rx.stop().await;
}

/// Two replicas on one Redis and one directory, fetching from `speakr`.
async fn replicas(redis: &str, prefix: &str, dir: &Scratch, speakr: &MockSpeakr) -> [Receiver; 2] {
    let url = speakr.uri();
    let args = [
        "--redis",
        redis,
        "--redis-prefix",
        prefix,
        "--transcripts-dir",
        dir.arg(),
        "--speakr-url",
        &url,
        // Long enough that the copies meet a claim in progress.
        "--handler-ms",
        "200",
    ];
    let env = [
        ("SPEAKR_WEBHOOK_SECRET", speakr.webhook_secret()),
        ("SPEAKR_TOKEN", speakr.credential()),
    ];
    [
        Receiver::start(&args, &env).await,
        Receiver::start(&args, &env).await,
    ]
}

/// The lines of `outputs` whose verdict is `verdict`.
fn verdicts(outputs: &[&[String]], verdict: &str) -> Vec<String> {
    outputs
        .iter()
        .flat_map(|lines| lines.iter())
        .filter(|l| l.split_whitespace().nth(3) == Some(verdict))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_on_one_redis_write_a_transcript_once() {
    let Some(redis) = redis_url() else {
        return;
    };
    let speakr = MockSpeakr::start().await;
    let dir = Scratch::new("replicas");
    let [a, b] = replicas(&redis, &unique_prefix("pipeline"), &dir, &speakr).await;
    let delivery = Arc::new(speakr_delivery(SPEAKR_TRANSCRIBED));

    // Eight copies at once, four to each replica; each sender retries a 503 like the vendor.
    let senders: Vec<_> = (0..8)
        .map(|i| {
            let base = if i % 2 == 0 {
                a.base.clone()
            } else {
                b.base.clone()
            };
            let delivery = delivery.clone();
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                loop {
                    let answer = post(&base, &delivery).await;
                    statuses.push(answer.status);
                    match answer.status {
                        200 => return statuses,
                        503 => tokio::time::sleep(Duration::from_millis(50)).await,
                        other => panic!("unexpected {other}: {answer:?}"),
                    }
                }
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for sender in senders {
        let sent = tokio::time::timeout(WAIT, sender).await.unwrap().unwrap();
        statuses.extend(sent);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 8);
    let (a, b) = (a.stop().await, b.stop().await);
    let wrote = verdicts(&[&a, &b], "wrote");
    assert_eq!(wrote.len(), 1, "{a:?} {b:?}");
    assert!(wrote[0].contains(" speakr-1.transcript.txt "), "{wrote:?}");
    assert_eq!(verdicts(&[&a, &b], "duplicate").len(), 7, "{a:?} {b:?}");
    assert!(verdicts(&[&a, &b], "failed:").is_empty(), "{a:?} {b:?}");
    assert_eq!(count(speakr.server(), get(SPEAKR_GET)).await, 1);
    let expected = served(&speakr.client().unwrap(), "1").await;
    assert_file(&dir, "speakr-1.transcript.txt", Format::Text, &expected);
    assert_eq!(dir.names(), ["speakr-1.transcript.txt"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fetch_failed_on_one_replica_is_written_by_the_other() {
    let Some(redis) = redis_url() else {
        return;
    };
    let speakr = MockSpeakr::start().await;
    Mock::given(method("GET"))
        .and(path_regex(SPEAKR_TRANSCRIPT))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(speakr.server())
        .await;
    let dir = Scratch::new("handover");
    let [a, b] = replicas(&redis, &unique_prefix("handover"), &dir, &speakr).await;
    let delivery = speakr_delivery(SPEAKR_TRANSCRIBED);
    assert_eq!(post(&a.base, &delivery).await.status, 503);
    assert!(dir.names().is_empty());
    // The claim was released: the retry, on the other replica, is processed at once.
    assert_eq!(post(&b.base, &delivery).await.status, 200);
    assert_eq!(post(&a.base, &delivery).await.status, 200);
    let (a, b) = (a.stop().await, b.stop().await);
    assert_eq!(verdicts(&[&a], "failed:").len(), 1, "{a:?}");
    assert_eq!(verdicts(&[&b], "wrote").len(), 1, "{b:?}");
    assert_eq!(verdicts(&[&a], "duplicate").len(), 1, "{a:?}");
    assert_eq!(count(speakr.server(), get(SPEAKR_GET)).await, 2);
    assert_eq!(dir.names(), ["speakr-1.transcript.txt"]);
}
