//! Speakr's audio: named after the download's `Content-Type` (Speakr serves MP3 under the
//! uploaded `.wav` name), and found again by a later run whatever its name.

use speakr_client::mock::MockSpeakr;
use wiremock::{Mock, Request, ResponseTemplate};

use crate::harness::*;

/// Requests for audio: the API route and the storage URL it redirects to.
fn audio_requests(paths: &[String]) -> usize {
    paths
        .iter()
        .filter(|p| p.ends_with("/audio") || p.starts_with("/storage/"))
        .count()
}

#[tokio::test]
async fn audio_is_named_after_its_content_type() {
    let v = Vendor::start("speakr").await;
    // Recording 2 is sent as `audio/x-wav`, 3 as `audio/ogg; codecs=opus`, 4 with a type
    // that names no audio format (its original name, `test_c.wav`, decides); 1 as the mock
    // sends it, `audio/mpeg` under the name `test.wav`.
    for (id, content_type) in [
        (2, "audio/x-wav"),
        (3, "audio/ogg; codecs=opus"),
        (4, "application/octet-stream"),
    ] {
        let path = format!("/storage/recordings/{id}.mp3");
        Mock::given(move |req: &Request| req.url.path() == path)
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("content-disposition", "attachment; filename=test.wav")
                    .set_body_raw(MockSpeakr::audio_bytes(id), content_type),
            )
            .with_priority(1)
            .mount(v.server())
            .await;
    }
    let dir = scratch("audio-types");
    let out = export_to(&v, &dir, &["--audio"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", report(&out));
    let ids = v.ids().await;
    let lines = check_complete(&dir, &ids);
    for (id, ext) in [("1", "mp3"), ("2", "wav"), ("3", "ogg"), ("4", "wav")] {
        let name = format!("{id}.audio.{ext}");
        assert_eq!(lines[id]["files"]["audio"], name.as_str());
        let bytes = std::fs::read(dir.join(&name)).unwrap();
        assert_eq!(bytes, MockSpeakr::audio_bytes(id.parse().unwrap()), "{id}");
    }
    // One audio file per recording, nothing else named `.audio.`.
    let audio_files = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().contains(".audio.")
        })
        .count();
    assert_eq!(audio_files, 4);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_resumed_run_finds_audio_under_its_new_and_its_old_name() {
    let v = Vendor::start("speakr").await;
    let ids = v.ids().await;
    let dir = scratch("audio-resume");
    let first = export_to(&v, &dir, &["--audio"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", report(&first));
    let lines = check_complete(&dir, &ids);
    for id in &ids {
        assert_eq!(lines[id]["files"]["audio"], format!("{id}.audio.mp3"));
    }
    assert_eq!(audio_requests(&v.paths().await), 2 * ids.len());

    // A crash before any index line was written, with recording 1's audio saved under the
    // name an earlier version gave it (the uploaded file's extension).
    std::fs::remove_file(dir.join("index.jsonl")).unwrap();
    std::fs::rename(dir.join("1.audio.mp3"), dir.join("1.audio.wav")).unwrap();

    let before = v.paths().await.len();
    let again = export_to(&v, &dir, &["--audio"]).await;
    assert_eq!(again.status.code(), Some(0), "{}", report(&again));
    let n = ids.len();
    assert!(
        export_lines(&again.stdout).contains(&format!("export: {n} exported, 0 skipped, 0 failed")),
        "{}",
        report(&again)
    );
    // Every file was whole on disk: only the listing was asked for again, and the transcript
    // of recording 3, which has none (its transcription failed) and so left no file.
    let sent = counts(&v.paths().await, before);
    assert_eq!(
        sent.iter()
            .map(|(k, n)| (k.as_str(), *n))
            .collect::<Vec<_>>(),
        [(v.list_route(), 1), ("/api/v1/recordings/3/transcript", 1)],
        "{sent:?}"
    );
    let lines = check_complete(&dir, &ids);
    assert_eq!(lines["1"]["files"]["audio"], "1.audio.wav");
    for id in ids.iter().filter(|id| *id != "1") {
        assert_eq!(lines[id]["files"]["audio"], format!("{id}.audio.mp3"));
    }
    assert_eq!(
        std::fs::read(dir.join("1.audio.wav")).unwrap(),
        MockSpeakr::audio_bytes(1)
    );
    std::fs::remove_dir_all(&dir).ok();
}
