//! Runs the `export` binary as a process, against each vendor's built-in mock and against the
//! vendor mocks started here (to count requests and inject faults): a full run, a run killed
//! part-way and resumed, an item that fails, a second run that fetches nothing again, Ctrl-C,
//! the date window, and an output directory that cannot be written; the date window's last
//! day (`window.rs`), audio names (`audio.rs`), a spent quota (`quota.rs`) and listings that
//! loop (`pagination.rs`) have files of their own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audio;
mod harness;
mod pagination;
mod quota;
mod transcript_format;
mod window;

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use speakr_client::mock::MockSpeakr;
use tokio::process::{Child, Command};
use wiremock::{Mock, Request, ResponseTemplate};

use harness::*;

#[tokio::test]
async fn a_full_run_against_each_built_in_mock() {
    for name in VENDORS {
        let dir = scratch(&format!("builtin-{name}"));
        let mut args = vec![name.to_owned(), "--out".into(), dir.display().to_string()];
        if name == "speakr" {
            args.push("--audio".into());
        }
        let out = output(command(&args, &[])).await;
        assert!(out.status.success(), "{}", report(&out));
        let stdout = text(&out.stdout);
        let first = stdout.lines().next().unwrap();
        assert!(
            first.contains("built-in") && first.contains("mock") && first.contains("127.0.0.1"),
            "{first}"
        );
        let ids = Vendor::start(name).await.ids().await;
        let lines = check_complete(&dir, &ids);
        let n = ids.len();
        assert!(
            stdout.contains(&format!("export: {n}/{n} items (0 failed)")),
            "no plain progress line: {stdout}"
        );
        assert!(
            stdout.contains(&format!("export: {n} exported, 0 skipped, 0 failed")),
            "{stdout}"
        );

        // What the vendor has for an item arrives in its files.
        let read = |file: &str| std::fs::read_to_string(dir.join(file)).unwrap();
        match name {
            "hedy" => {
                let line = &lines["sess_7Qm2xK9aL0"];
                assert_eq!(line["title"], "Weekly Team Standup");
                let record: Value = serde_json::from_str(&read("sess_7Qm2xK9aL0.json")).unwrap();
                // The transcript in the one model, as `Speaker: text` lines (the default).
                let expected = transcripts::text::parse(record["transcript"].as_str().unwrap());
                assert_eq!(
                    transcripts::text::parse(&read("sess_7Qm2xK9aL0.transcript.txt")).segments,
                    expected.segments
                );
                assert_eq!(line["meeting"]["vendor"], "hedy");
                assert_eq!(line["meeting"]["title"], "Weekly Team Standup");
                assert_eq!(line["meeting"]["segments"], expected.segments.len());
                assert!(read("sess_7Qm2xK9aL0.summary.txt").contains("Launch date confirmed"));
            }
            "speakr" => {
                for id in &ids {
                    let audio = std::fs::read(dir.join(format!("{id}.audio.mp3"))).unwrap();
                    assert_eq!(audio, MockSpeakr::audio_bytes(id.parse().unwrap()), "{id}");
                    let record: Value = serde_json::from_str(&read(&format!("{id}.json"))).unwrap();
                    assert_eq!(record["id"].to_string(), *id);
                }
                // From Speakr's JSON segments, as `Speaker: text` lines.
                assert!(read("1.transcript.txt").starts_with("SPEAKER_00: Hello and welcome"));
                assert_eq!(lines["1"]["meeting"]["segments"], 2);
                assert_eq!(
                    lines["1"]["meeting"]["speakers"],
                    serde_json::json!(["SPEAKER_00", "SPEAKER_01"])
                );
                assert!(read("1.summary.txt").contains("Roadmap reviewed"));
                // Recording 3 failed to transcribe: no transcript, but exported.
                assert!(lines["3"]["files"].get("transcript").is_none());
            }
            "healthie" => {
                // The VTT read into the one model, written as `Speaker: text` lines.
                let vtt = transcripts::vtt::parse(healthie_client::mock::TRANSCRIPT_VTT).unwrap();
                assert_eq!(read("1001.transcript.txt"), vtt.to_text());
                assert_eq!(lines["1001"]["meeting"]["vendor"], "healthie");
                let record: Value = serde_json::from_str(&read("1001.json")).unwrap();
                assert_eq!(record["id"], "1001");
                assert_eq!(record["transcripts"][0]["id"], "realtime_capture_9001");
                assert!(lines["1002"]["files"].get("transcript").is_none());
            }
            _ => {
                let id = "6b1d3c2e-8f4a-4e5b-9c7d-1a2b3c4d5e01";
                let record: Value = serde_json::from_str(&read(&format!("{id}.json"))).unwrap();
                assert_eq!(record["data"]["call_id"], id);
                let summary = record["data"]["transcript_processed"]["summary"]
                    .as_str()
                    .unwrap();
                assert_eq!(read(&format!("{id}.summary.txt")), summary);
                // Heilo's API serves the analysis, not the call's text: no transcript file.
                assert!(lines[id]["files"].get("transcript").is_none());
                assert_eq!(lines[id]["meeting"]["vendor"], "heilo");
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[tokio::test]
async fn a_second_run_fetches_no_item_again() {
    for name in VENDORS {
        let v = Vendor::start(name).await;
        let dir = scratch(&format!("again-{name}"));
        let audio: &[&str] = if name == "speakr" { &["--audio"] } else { &[] };
        let first = export_to(&v, &dir, audio).await;
        assert!(first.status.success(), "{}", report(&first));
        assert!(!text(&first.stdout).contains("mock"), "{}", report(&first));
        let ids = v.ids().await;
        check_complete(&dir, &ids);
        let sent = v.paths().await;
        for id in &ids {
            assert_eq!(counts(&sent, 0).get(&v.item_route(id)), Some(&1), "{id}");
        }

        let before = v.paths().await.len();
        let second = export_to(&v, &dir, audio).await;
        assert!(second.status.success(), "{}", report(&second));
        let n = ids.len();
        assert!(
            text(&second.stdout).contains(&format!("export: 0 exported, {n} skipped, 0 failed")),
            "{}",
            report(&second)
        );
        let again = counts(&v.paths().await, before);
        let routes: Vec<&String> = again.keys().collect();
        assert_eq!(routes, [v.list_route()], "{name}: {again:?}");
        check_complete(&dir, &ids);
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[tokio::test]
async fn a_run_killed_part_way_resumes_without_duplicates_or_losses() {
    for name in VENDORS {
        let v = Vendor::start(name).await;
        let ids = v.ids().await;
        let stalled = ids[2].clone();
        v.delay_once(&stalled, Duration::from_secs(600)).await;
        let dir = scratch(&format!("killed-{name}"));
        let setup = v.paths().await.len();
        let audio: &[&str] = if name == "speakr" { &["--audio"] } else { &[] };
        let mut args = vec!["--concurrency", "1"];
        args.extend(audio);
        let mut child: Child = export_cmd(&v, &dir, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();

        // Wait until the run is stuck on the third item, then kill it (SIGKILL).
        let route = v.item_route(&stalled);
        wait_for_request(&v, setup, &route).await;
        child.start_kill().unwrap();
        let status = child.wait().await.unwrap();
        assert!(!status.success());
        let done = index(&dir);
        let done_ids: Vec<&str> = done.iter().map(|l| l["id"].as_str().unwrap()).collect();
        assert_eq!(done_ids, [ids[0].as_str(), ids[1].as_str()], "{name}");
        if name == "speakr" {
            // The stalled recording's record was on disk already (its listing carries it).
            assert!(dir.join(format!("{stalled}.json")).is_file());
        }

        let before = v.paths().await.len();
        let resumed = export_to(&v, &dir, audio).await;
        assert!(resumed.status.success(), "{}", report(&resumed));
        let left = ids.len() - 2;
        assert!(
            text(&resumed.stdout)
                .contains(&format!("export: {left} exported, 2 skipped, 0 failed")),
            "{}",
            report(&resumed)
        );
        check_complete(&dir, &ids);
        // Only the items the killed run had not finished were fetched again.
        let again = counts(&v.paths().await, before);
        for id in &ids[..2] {
            assert!(
                !again.contains_key(&v.item_route(id)),
                "{name}: {id} fetched again"
            );
        }
        for id in &ids[2..] {
            assert_eq!(again.get(&v.item_route(id)), Some(&1), "{name}: {id}");
        }
        if name == "speakr" {
            for id in &ids {
                let audio = std::fs::read(dir.join(format!("{id}.audio.mp3"))).unwrap();
                assert_eq!(audio, MockSpeakr::audio_bytes(id.parse().unwrap()));
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[tokio::test]
async fn an_item_that_fails_is_named_and_the_run_goes_on() {
    for name in VENDORS {
        let v = Vendor::start(name).await;
        let ids = v.ids().await;
        let broken = ids[1].clone();
        v.fail(&broken).await;
        let dir = scratch(&format!("fails-{name}"));
        let out = export_to(&v, &dir, &[]).await;
        assert_eq!(out.status.code(), Some(1), "{}", report(&out));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("{broken} failed")) && stderr.contains("500"),
            "{stderr}"
        );
        let n = ids.len() - 1;
        assert!(
            text(&out.stdout).contains(&format!("export: {n} exported, 0 skipped, 1 failed")),
            "{}",
            report(&out)
        );
        let others: Vec<String> = ids.iter().filter(|id| **id != broken).cloned().collect();
        check_complete(&dir, &others);
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[tokio::test]
async fn ctrl_c_stops_after_the_item_in_flight() {
    let v = Vendor::start("speakr").await;
    let ids = v.ids().await;
    v.delay_once(&ids[1], Duration::from_secs(3)).await;
    let dir = scratch("ctrl-c");
    let setup = v.paths().await.len();
    let child = export_cmd(&v, &dir, &["--concurrency", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let route = v.item_route(&ids[1]);
    wait_for_request(&v, setup, &route).await;
    let pid = child.id().unwrap().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = tokio::time::timeout(WAIT, child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", report(&out));
    assert!(
        text(&out.stderr).contains("interrupted"),
        "{}",
        report(&out)
    );
    assert!(
        text(&out.stdout).contains(&format!(
            "export: 2 exported, 0 skipped, 0 failed (interrupted: {} not started)",
            ids.len() - 2
        )),
        "{}",
        report(&out)
    );
    // The item in flight was finished, not cut.
    check_complete(&dir, &ids[..2]);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_date_window_reaches_the_listing() {
    // Speakr filters on the server (the window's last day: see `window.rs`).
    let v = Vendor::start("speakr").await;
    let dir = scratch("window-speakr");
    let out = export_to(&v, &dir, &["--since", "2026-01-01"]).await;
    assert!(out.status.success(), "{}", report(&out));
    let received = v.server().received_requests().await.unwrap();
    let listing = received
        .iter()
        .find(|r| r.url.path() == "/api/v1/recordings")
        .unwrap();
    assert!(
        listing
            .url
            .query()
            .unwrap()
            .contains("date_from=2026-01-01"),
        "{:?}",
        listing.url
    );
    std::fs::remove_dir_all(&dir).ok();

    // Hedy's listing has no date filter: the window is applied to `startTime`.
    let v = Vendor::start("hedy").await;
    let dir = scratch("window-hedy");
    let out = export_to(&v, &dir, &["--since", "2026-03-01"]).await;
    assert!(out.status.success(), "{}", report(&out));
    check_complete(
        &dir,
        &["sess_7Qm2xK9aL0".to_owned(), "sess_3Bv8pR1cN4".to_owned()],
    );
    let sent = v.paths().await;
    assert!(!sent.contains(&v.item_route("sess_9Xk4tY2wQ7")), "{sent:?}");
    std::fs::remove_dir_all(&dir).ok();

    // Bad dates are refused before anything is sent.
    for bad in [
        &["--since", "2026-02-30"][..],
        &["--since", "03/01/2026"],
        &["--since", "2026-03-02", "--until", "2026-03-01"],
    ] {
        let v = Vendor::start("hedy").await;
        let dir = scratch("window-bad");
        let out = export_to(&v, &dir, bad).await;
        assert!(!out.status.success(), "{bad:?}: {}", report(&out));
        assert!(text(&out.stderr).contains("2026"), "{}", report(&out));
        assert!(v.paths().await.is_empty(), "{bad:?}");
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[tokio::test]
async fn an_output_directory_that_cannot_be_written_is_a_clear_error() {
    // Nothing can be written at all: refused up front, nothing fetched, nothing left.
    let v = Vendor::start("hedy").await;
    let dir = scratch("full-at-once");
    let out = output(limited(&v, &dir, 0, &[])).await;
    assert_eq!(out.status.code(), Some(1), "{}", report(&out));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot write") && stderr.to_lowercase().contains("file too large"),
        "{stderr}"
    );
    assert!(v.paths().await.is_empty());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).ok();

    // The disk fills up during the first recording's audio (32 KiB; the limit is at most
    // 16 KiB): the run stops with the error, no file is left half written under its name.
    let v = Vendor::start("speakr").await;
    let dir = scratch("full-later");
    let out = output(limited(&v, &dir, 16, &["--audio", "--concurrency", "1"])).await;
    assert_eq!(out.status.code(), Some(1), "{}", report(&out));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot write") && stderr.to_lowercase().contains("file too large"),
        "{stderr}"
    );
    assert!(stderr.contains("audio.mp3"), "{stderr}");
    let ids = v.ids().await;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".partial") && !name.contains(".audio."),
            "{name}"
        );
        if name.ends_with(".json") {
            let _: Value = serde_json::from_slice(&std::fs::read(entry.path()).unwrap()).unwrap();
        }
    }
    // Every item not started: the index names none of them.
    assert!(index(&dir).is_empty());
    // With room again, a second run completes the export.
    let again = export_to(&v, &dir, &["--audio"]).await;
    assert!(again.status.success(), "{}", report(&again));
    check_complete(&dir, &ids);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn concurrency_fetches_items_in_parallel() {
    // The first two items never answer: with --concurrency 2 both are asked for at once
    // (one at a time, the second would never be sent).
    let v = Vendor::start("heilo").await;
    let ids = v.ids().await;
    for id in &ids[..2] {
        v.delay_once(id, Duration::from_secs(600)).await;
    }
    let dir = scratch("parallel");
    let setup = v.paths().await.len();
    let mut child = export_cmd(&v, &dir, &["--concurrency", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_request(&v, setup, &v.item_route(&ids[0])).await;
    wait_for_request(&v, setup, &v.item_route(&ids[1])).await;
    let sent = v.paths().await;
    for id in &ids[2..] {
        assert!(
            !sent.contains(&v.item_route(id)),
            "{id} before a slot was free"
        );
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_terminal_gets_a_progress_bar() {
    // `script` runs the export on a pseudo-terminal.
    let dir = scratch("terminal");
    let line = format!("{BIN} hedy --out {}", dir.display());
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .kill_on_drop(true)
        .stdin(Stdio::null());
    for name in CREDENTIALS {
        cmd.env_remove(name);
    }
    let out = output(cmd).await;
    assert!(out.status.success(), "{}", report(&out));
    let shown = text(&out.stdout);
    // The bar: redrawn in place (carriage return, erase line), with counts, rate and ETA.
    assert!(shown.contains("5/5 items"), "{shown}");
    assert!(shown.contains("/s") && shown.contains("ETA"), "{shown}");
    assert!(shown.contains("\r\u{1b}[2K"), "{shown}");
    // Not the plain lines.
    assert!(!shown.contains("export: 5/5 items (0 failed)"), "{shown}");
    assert!(
        shown.contains("export: 5 exported, 0 skipped, 0 failed"),
        "{shown}"
    );
    check_complete(&dir, &Vendor::start("hedy").await.ids().await);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_failed_listing_is_reported_and_fails_the_run() {
    let v = Vendor::start("speakr").await;
    Mock::given(|req: &Request| key(req) == "/api/v1/recordings")
        .respond_with(ResponseTemplate::new(500).set_body_raw("<h1>oops</h1>", "text/html"))
        .with_priority(1)
        .mount(v.server())
        .await;
    let dir = scratch("listing-fails");
    let out = export_to(&v, &dir, &[]).await;
    assert_eq!(out.status.code(), Some(1), "{}", report(&out));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("listing stopped early") && stderr.contains("500"),
        "{stderr}"
    );
    assert!(index(&dir).is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn an_index_line_cut_short_is_dropped_and_its_item_finished() {
    let v = Vendor::start("hedy").await;
    let ids = v.ids().await;
    let dir = scratch("cut-line");
    let first = export_to(&v, &dir, &[]).await;
    assert!(first.status.success(), "{}", report(&first));
    // A crash while appending the last line: half of it is on disk.
    let text_before = std::fs::read_to_string(dir.join("index.jsonl")).unwrap();
    let last_start = text_before.trim_end().rfind('\n').unwrap() + 1;
    let last: Value = serde_json::from_str(text_before[last_start..].trim_end()).unwrap();
    let cut = &text_before[..last_start + (text_before.len() - last_start) / 2];
    std::fs::write(dir.join("index.jsonl"), cut).unwrap();

    let before = v.paths().await.len();
    let again = export_to(&v, &dir, &[]).await;
    assert!(again.status.success(), "{}", report(&again));
    let n = ids.len() - 1;
    assert!(
        text(&again.stdout).contains(&format!("export: 1 exported, {n} skipped, 0 failed")),
        "{}",
        report(&again)
    );
    let lines = check_complete(&dir, &ids);
    assert_eq!(lines[last["id"].as_str().unwrap()], last);
    // Its record was whole on disk: read back, not fetched again.
    let sent = counts(&v.paths().await, before);
    assert_eq!(
        sent.keys().collect::<Vec<_>>(),
        [v.list_route()],
        "{sent:?}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_recording_still_processing_is_exported_again_later() {
    let v = Vendor::start("speakr").await;
    let Vendor::Speakr(mock) = &v else {
        unreachable!()
    };
    let mut page: Value = mock
        .client()
        .unwrap()
        .core()
        .get("/recordings")
        .query("per_page", 100)
        .send_json()
        .await
        .unwrap();
    let processing = page["recordings"][0]["id"].to_string();
    page["recordings"][0]["status"] = "PROCESSING".into();
    let ids = v.ids().await;
    // The first run's listing (one page) says the recording is still processing.
    Mock::given(|req: &Request| key(req) == "/api/v1/recordings")
        .respond_with(ResponseTemplate::new(200).set_body_json(&page))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(v.server())
        .await;
    let dir = scratch("processing");
    let first = export_to(&v, &dir, &[]).await;
    assert!(first.status.success(), "{}", report(&first));
    let lines = check_complete(&dir, &ids);
    assert_eq!(lines[&processing]["settled"], false);
    assert_eq!(lines[&ids[1]]["settled"], true);

    // Done processing now: exported again, the others skipped, one line per item.
    let before = v.paths().await.len();
    let again = export_to(&v, &dir, &[]).await;
    assert!(again.status.success(), "{}", report(&again));
    let n = ids.len() - 1;
    assert!(
        text(&again.stdout).contains(&format!("export: 1 exported, {n} skipped, 0 failed")),
        "{}",
        report(&again)
    );
    let sent = counts(&v.paths().await, before);
    assert_eq!(sent.get(&v.item_route(&processing)), Some(&1), "{sent:?}");
    let lines = check_complete(&dir, &ids);
    assert_eq!(lines[&processing]["settled"], true);
    let record: Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{processing}.json"))).unwrap())
            .unwrap();
    assert_eq!(record["status"], "COMPLETED");
    std::fs::remove_dir_all(&dir).ok();
}
