//! Contract tests for the recordings endpoints: what is sent (method, path, query, auth,
//! body, multipart fields, how many times) and what the recorded responses decode to.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{
    call, client, fixture, no_query, only_request, parse_multipart, query_is, reply, text_fields,
    NoBody,
};
use futures::TryStreamExt;
use serde_json::json;
use speakr_client::recordings::{
    DetailFormat, FolderFilter, Include, RecordingStatus, SortBy, SortOrder, StatusFilter,
    Transcript, TranscriptFormat,
};
use speakr_client::{ErrorKind, Patch, RetryPolicy, TokenPlacement};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn upload_from_path_sends_every_form_field_once() {
    let server = MockServer::start().await;
    call("POST", "/recordings/upload")
        .and(no_query())
        .respond_with(reply(202, "recording_upload.json"))
        .expect(1)
        .mount(&server)
        .await;
    let dir = std::env::temp_dir().join(format!("speakr-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("test.wav");
    let audio: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &audio).unwrap();

    let rec = client(&server)
        .recordings()
        .upload_file(&file)
        .content_type("audio/wav")
        .title("Test Upload")
        .notes("hello notes")
        .meeting_date("2026-11-20T10:00:00Z")
        .file_last_modified(1_795_000_000_000)
        .language("en")
        .min_speakers(1)
        .max_speakers(3)
        .hotwords("Speakr, WhisperX")
        .initial_prompt("A quarterly sync.")
        .transcription_model("large-v3")
        .prompt_variables([("client", "Acme")])
        .folder_id(1)
        .tag_ids([1, 2])
        .tag_id(1)
        .keep_audio_only(true)
        .send()
        .await
        .unwrap();
    assert_eq!(rec.id, 1);
    assert_eq!(rec.status, RecordingStatus::Queued);
    assert_eq!(rec.tags[0].name.as_deref(), Some("Meetings"));
    assert_eq!(rec.folder.as_ref().map(|f| f.id), Some(1));

    let req = only_request(&server).await;
    let parts = parse_multipart(&req);
    let fields = text_fields(&parts);
    let want: Vec<(&str, &str)> = vec![
        ("title", "Test Upload"),
        ("notes", "hello notes"),
        ("meeting_date", "2026-11-20T10:00:00Z"),
        ("file_last_modified", "1795000000000"),
        ("language", "en"),
        ("min_speakers", "1"),
        ("max_speakers", "3"),
        ("hotwords", "Speakr, WhisperX"),
        ("initial_prompt", "A quarterly sync."),
        ("transcription_model", "large-v3"),
        ("prompt_variables", r#"{"client":"Acme"}"#),
        ("folder_id", "1"),
        ("tag_ids[0]", "1"),
        ("tag_ids[1]", "2"),
        ("tag_id", "1"),
        ("keep_audio_only", "true"),
    ];
    assert_eq!(
        fields,
        want.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    );
    let file_part = parts.iter().find(|p| p.name == "file").unwrap();
    assert_eq!(file_part.file_name.as_deref(), Some("test.wav"));
    assert_eq!(file_part.content_type.as_deref(), Some("audio/wav"));
    assert_eq!(file_part.data, audio);
    // The file comes after the text fields.
    assert_eq!(parts.last().unwrap().name, "file");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn upload_from_reader_streams_the_bytes() {
    let server = MockServer::start().await;
    call("POST", "/recordings/upload")
        .respond_with(reply(202, "recording_upload_duplicate.json"))
        .expect(1)
        .mount(&server)
        .await;
    let audio = b"RIFF....WAVEfmt not really audio".to_vec();
    let rec = client(&server)
        .recordings()
        .upload_reader(
            std::io::Cursor::new(audio.clone()),
            "test.wav",
            Some(audio.len() as u64),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(rec.id, 2);
    let dup = rec.duplicate_warning.unwrap();
    assert_eq!(dup.existing_recording_id, 1);
    assert_eq!(rec.duplicate_info.unwrap().total_copies, Some(2));

    let req = only_request(&server).await;
    let parts = parse_multipart(&req);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].name, "file");
    assert_eq!(parts[0].file_name.as_deref(), Some("test.wav"));
    assert_eq!(
        parts[0].content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(parts[0].data, audio);
}

#[tokio::test]
async fn upload_is_sent_exactly_once_on_a_500() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/recordings/upload"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(
            fixture("transcription_info_500_bug.html"),
            "text/html; charset=utf-8",
        ))
        .expect(1)
        .mount(&server)
        .await;
    // A client that would retry anything else three times.
    let speakr = common::client_with(
        &server,
        TokenPlacement::Bearer,
        RetryPolicy {
            max_attempts: 3,
            base_delay: std::time::Duration::from_millis(1),
            ..RetryPolicy::default()
        },
    );
    let err = speakr
        .recordings()
        .upload_reader(&b"bytes"[..], "a.wav", Some(5))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.kind(), ErrorKind::Http);
    assert!(err.is_transient(), "a 500 is transient in general");
    assert!(
        !err.is_retryable(),
        "but this upload reached the server: repeating it could create a second recording"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn upload_without_file_is_a_400_from_the_server() {
    let server = MockServer::start().await;
    call("POST", "/recordings/upload")
        .respond_with(reply(400, "recording_upload_nofile.json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .recordings()
        .upload_reader(&b""[..], "empty.wav", Some(0))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.message(), Some("No file provided"));
}

#[tokio::test]
async fn list_sends_every_filter() {
    let server = MockServer::start().await;
    call("GET", "/recordings")
        .and(query_is(&[
            ("page", "2"),
            ("per_page", "10"),
            ("status", "completed"),
            ("sort_by", "title"),
            ("sort_order", "asc"),
            ("date_from", "2026-11-01"),
            ("date_to", "2026-11-30"),
            ("tag_id", "1"),
            ("folder_id", "none"),
            ("q", "sync"),
            ("inbox", "true"),
            ("starred", "false"),
        ]))
        .respond_with(reply(200, "recordings_list_filtered.json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .recordings()
        .list()
        .page(2)
        .per_page(10)
        .status(StatusFilter::Completed)
        .sort_by(SortBy::Title)
        .sort_order(SortOrder::Asc)
        .date_from("2026-11-01")
        .date_to("2026-11-30")
        .tag_id(1)
        .folder(FolderFilter::Unfiled)
        .query("sync")
        .inbox(true)
        .starred(false)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let r = &page.items[0];
    assert_eq!(r.title.as_deref(), Some("Test Upload"));
    assert_eq!(r.has_summary, Some(true));
    assert_eq!(r.transcription_duration_seconds, Some(0.0));
    assert!(r.created_at.as_ref().unwrap().to_system_time().is_some());
    assert_eq!(page.has_more, Some(false));
}

#[tokio::test]
async fn list_folder_id_filter_and_beyond_the_end() {
    let server = MockServer::start().await;
    call("GET", "/recordings")
        .and(query_is(&[
            ("page", "9"),
            ("per_page", "2"),
            ("folder_id", "5"),
        ]))
        .respond_with(reply(200, "recordings_list_beyond.json"))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .recordings()
        .list()
        .page(9)
        .per_page(2)
        .folder(FolderFilter::Id(5))
        .send()
        .await
        .unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.extra["has_prev"], true);
}

#[tokio::test]
async fn stream_walks_two_pages_with_the_filters() {
    let server = MockServer::start().await;
    for (n, name) in [
        (1, "recordings_list_page1.json"),
        (2, "recordings_list_page2.json"),
    ] {
        call("GET", "/recordings")
            .and(query_is(&[
                ("page", &n.to_string()),
                ("per_page", "2"),
                ("status", "all"),
                ("sort_by", "created_at"),
                ("sort_order", "desc"),
            ]))
            .respond_with(reply(200, name))
            .expect(1)
            .mount(&server)
            .await;
    }
    let all: Vec<_> = client(&server)
        .recordings()
        .list()
        .per_page(2)
        .status(StatusFilter::All)
        .sort_by(SortBy::CreatedAt)
        .sort_order(SortOrder::Desc)
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![4, 3, 2, 1]
    );
    assert!(all.iter().all(|r| r.status == RecordingStatus::Completed));
}

#[tokio::test]
async fn per_page_out_of_bounds_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    for bad in [0, 101] {
        let err = client(&server)
            .recordings()
            .list()
            .per_page(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{bad}");
        let err = client(&server)
            .recordings()
            .list()
            .per_page(bad)
            .into_stream()
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest);
    }
    let err = client(&server)
        .recordings()
        .list()
        .page(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
}

#[tokio::test]
async fn get_full_minimal_and_include() {
    let server = MockServer::start().await;
    call("GET", "/recordings/1")
        .and(no_query())
        .respond_with(reply(200, "recording_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/recordings/1")
        .and(query_is(&[("format", "minimal")]))
        .respond_with(reply(200, "recording_get_minimal.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/recordings/1")
        .and(query_is(&[
            ("format", "full"),
            ("include", "summary,notes"),
        ]))
        .respond_with(reply(200, "recording_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let full = speakr.recordings().get(1).send().await.unwrap();
    assert_eq!(full.status, RecordingStatus::Completed);
    assert_eq!(
        full.meeting_date.as_ref().unwrap().as_str(),
        "2026-11-20T10:00:00"
    );
    assert!(full
        .transcription
        .as_deref()
        .unwrap()
        .starts_with("[SPEAKER_00]"));
    assert_eq!(full.notes.as_deref(), Some("hello notes"));
    assert_eq!(full.mime_type.as_deref(), Some("audio/mpeg"));
    assert!(full.transcription_error().is_none());
    let minimal = speakr
        .recordings()
        .get(1)
        .format(DetailFormat::Minimal)
        .send()
        .await
        .unwrap();
    assert_eq!(minimal.transcription, None);
    assert_eq!(minimal.summary, None);
    speakr
        .recordings()
        .get(1)
        .format(DetailFormat::Full)
        .include([Include::Summary, Include::Notes])
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn failed_recording_exposes_the_error_record() {
    let server = MockServer::start().await;
    call("GET", "/recordings/3")
        .respond_with(reply(200, "recording_failed_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/recordings/3/status")
        .and(no_query())
        .respond_with(reply(200, "recording_failed_status.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/recordings/3/transcript")
        .and(query_is(&[("format", "json")]))
        .respond_with(reply(200, "recording_failed_transcript_json.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let rec = speakr.recordings().get(3).send().await.unwrap();
    assert_eq!(rec.status, RecordingStatus::Failed);
    assert_eq!(rec.error_message, None);
    let e = rec.transcription_error().unwrap();
    assert_eq!(e.title.as_deref(), Some("Connection Error"));
    assert_eq!(e.kind.as_deref(), Some("connection"));
    let status = speakr.recordings().status(3).await.unwrap();
    assert_eq!(status.status, RecordingStatus::Failed);
    let t = speakr.recordings().transcript_segments(3).await.unwrap();
    assert!(t.segments.is_empty());
    assert!(t
        .transcription_error()
        .unwrap()
        .detail
        .unwrap()
        .contains("Connection refused"));
}

#[tokio::test]
async fn transcript_in_four_formats() {
    let server = MockServer::start().await;
    for (format, name) in [
        ("json", "recording_transcript_json.json"),
        ("text", "recording_transcript_text.json"),
        ("srt", "recording_transcript_srt.json"),
        ("vtt", "documented/transcript_vtt.json"),
    ] {
        call("GET", "/recordings/1/transcript")
            .and(query_is(&[("format", format)]))
            .and(NoBody)
            .respond_with(reply(200, name))
            .expect(1)
            .mount(&server)
            .await;
    }
    let recs = client(&server);
    let recs = recs.recordings();
    let json = recs.transcript(1, TranscriptFormat::Json).await.unwrap();
    let segments = json.segments().unwrap();
    assert_eq!(segments.len(), 2);
    assert_eq!(segments[1].speaker.as_deref(), Some("SPEAKER_01"));
    assert_eq!(segments[1].start_time, Some(0.8));
    assert_eq!(segments[0].start_time, Some(0.0));
    let text = recs.transcript(1, TranscriptFormat::Text).await.unwrap();
    assert!(matches!(&text, Transcript::Text(t) if t.starts_with("[SPEAKER_00]: Hello")));
    let srt = recs.transcript(1, TranscriptFormat::Srt).await.unwrap();
    assert!(
        matches!(&srt, Transcript::Srt(t) if t.starts_with("1\n00:00:00,000 --> 00:00:00,800"))
    );
    let vtt = recs.transcript(1, TranscriptFormat::Vtt).await.unwrap();
    assert!(matches!(&vtt, Transcript::Vtt(t) if t.starts_with("WEBVTT")));
    assert_eq!(vtt.format(), "vtt");
}

#[tokio::test]
async fn summary_and_notes_get_and_replace() {
    let server = MockServer::start().await;
    call("GET", "/recordings/1/summary")
        .and(NoBody)
        .respond_with(reply(200, "recording_summary.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PUT", "/recordings/1/summary")
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"summary": "# New summary"})))
        .respond_with(reply(200, "recording_summary_put.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/recordings/1/notes")
        .and(NoBody)
        .respond_with(reply(200, "recording_notes.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PUT", "/recordings/1/notes")
        .and(body_json(json!({"notes": "new notes"})))
        .respond_with(reply(200, "recording_notes_put.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let recs = speakr.recordings();
    let s = recs.summary(1).await.unwrap();
    assert_eq!(s.has_summary, Some(true));
    assert!(s.summary.unwrap().contains("Quarterly sync held"));
    let s = recs.replace_summary(1, "# New summary").await.unwrap();
    assert_eq!(
        (s.success, s.summary.as_deref()),
        (Some(true), Some("# New summary"))
    );
    let n = recs.notes(1).await.unwrap();
    assert_eq!(
        (n.has_notes, n.notes.as_deref()),
        (Some(true), Some("hello notes"))
    );
    let n = recs.replace_notes(1, "new notes").await.unwrap();
    assert_eq!(n.notes.as_deref(), Some("new notes"));
}

#[tokio::test]
async fn status_is_not_rate_classed_and_decodes() {
    let server = MockServer::start().await;
    call("GET", "/recordings/1/status")
        .and(no_query())
        .respond_with(reply(200, "recording_status.json"))
        .expect(1)
        .mount(&server)
        .await;
    let s = client(&server).recordings().status(1).await.unwrap();
    assert_eq!(s.status, RecordingStatus::Completed);
    assert_eq!(s.queue_position, None);
    assert_eq!(
        s.completed_at.unwrap().as_str(),
        "2026-11-22T07:35:52.035028"
    );
}

#[tokio::test]
async fn update_sends_only_the_fields_set_and_folder_three_ways() {
    let server = MockServer::start().await;
    call("PATCH", "/recordings/1")
        .and(body_json(
            json!({"title": "Renamed", "is_highlighted": true, "participants": "Alice, Bob"}),
        ))
        .respond_with(reply(200, "recording_patch.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PATCH", "/recordings/1")
        .and(body_json(json!({"folder_id": 5})))
        .respond_with(reply(200, "recording_patch.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PATCH", "/recordings/1")
        .and(body_json(json!({"folder_id": null})))
        .respond_with(reply(200, "recording_patch.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PATCH", "/recordings/1")
        .and(body_json(json!({"notes": "n", "summary": "s", "meeting_date": "2026-11-20T10:00:00", "is_inbox": false})))
        .respond_with(reply(200, "recording_patch.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let updated = speakr
        .recordings()
        .update(1)
        .title("Renamed")
        .highlighted(true)
        .participants("Alice, Bob")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.success, Some(true));
    assert_eq!(updated.recording.title.as_deref(), Some("Renamed"));
    assert_eq!(updated.recording.folder_id, Some(1));
    speakr
        .recordings()
        .update(1)
        .move_to_folder(5)
        .send()
        .await
        .unwrap();
    speakr
        .recordings()
        .update(1)
        .folder_id(Patch::Null)
        .send()
        .await
        .unwrap();
    speakr
        .recordings()
        .update(1)
        .notes("n")
        .summary("s")
        .meeting_date("2026-11-20T10:00:00")
        .inbox(false)
        .folder_id(Patch::Unchanged)
        .send()
        .await
        .unwrap();
    // Nothing to change: refused before sending (the server would say "No data provided").
    let err = speakr.recordings().update(1).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
}

#[tokio::test]
async fn update_refusals_from_the_server() {
    let server = MockServer::start().await;
    call("PATCH", "/recordings/1")
        .respond_with(reply(400, "recording_patch_keep_audio_only.json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .recordings()
        .update(1)
        .title("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(err.message().unwrap().contains("keep_audio_only"));
}

#[tokio::test]
async fn delete_and_regenerate_title() {
    let server = MockServer::start().await;
    call("DELETE", "/recordings/4")
        .and(NoBody)
        .respond_with(reply(200, "recording_delete.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/recordings/4/regenerate_title")
        .and(NoBody)
        .respond_with(reply(200, "recording_regenerate_title.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let ack = speakr.recordings().delete(4).await.unwrap();
    assert_eq!(
        (ack.success, ack.message.as_deref()),
        (Some(true), Some("Recording deleted"))
    );
    let t = speakr.recordings().regenerate_title(4).await.unwrap();
    assert_eq!(t.title.as_deref(), Some("Quarterly Roadmap Sync"));
    let rec = t.recording.unwrap();
    assert_eq!(rec.user_id, Some(1));
    assert!(rec.transcription.unwrap().starts_with("[{"));
    assert_eq!(
        rec.summary_html.as_deref().map(|h| h.starts_with("<h2>")),
        Some(true)
    );
}

#[tokio::test]
async fn events_and_ics() {
    let server = MockServer::start().await;
    call("GET", "/recordings/1/events")
        .respond_with(reply(200, "recording_events.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/recordings/2/events")
        .respond_with(reply(200, "documented/recording_events.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/recordings/1/events/ics")
        .respond_with(reply(404, "recording_events_ics_404.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/recordings/2/events/ics")
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-disposition", "attachment; filename=events.ics")
                .set_body_raw(fixture("documented/recording_events.ics"), "text/calendar"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    assert!(speakr.recordings().events(1).await.unwrap().is_empty());
    let events = speakr.recordings().events(2).await.unwrap();
    assert_eq!(events[0].title.as_deref(), Some("Follow-up Meeting"));
    assert_eq!(events[0].location.as_deref(), Some("Conference Room A"));
    let err = speakr.recordings().events_ics(1).await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.message(), Some("No events found"));
    let ics = speakr.recordings().events_ics(2).await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"));
}

#[tokio::test]
async fn audio_follows_the_presigned_redirect_without_credentials() {
    let server = MockServer::start().await;
    let storage = MockServer::start().await;
    let audio: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    call("GET", "/recordings/1/audio")
        .and(query_is(&[("download", "true")]))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/bucket/1.mp3?X-Amz-Signature=abc", storage.uri()).as_str(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bucket/1.mp3"))
        .and(query_is(&[("X-Amz-Signature", "abc")]))
        .and(|req: &wiremock::Request| {
            !req.headers.contains_key("authorization") && !req.headers.contains_key("x-api-token")
        })
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-disposition", "attachment; filename=test.wav")
                .set_body_raw(audio.clone(), "audio/mpeg"),
        )
        .expect(1)
        .mount(&storage)
        .await;
    let mut out = Vec::new();
    let n = client(&server)
        .recordings()
        .audio(1)
        .download(true)
        .write_to(&mut out)
        .await
        .unwrap();
    assert_eq!(n, audio.len() as u64);
    assert_eq!(out, audio);
}

#[tokio::test]
async fn audio_served_directly_is_saved_to_a_file() {
    let server = MockServer::start().await;
    let audio = vec![42u8; 65_536];
    call("GET", "/recordings/2/audio")
        .and(no_query())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-disposition", "attachment; filename=test.wav")
                .set_body_raw(audio.clone(), "audio/mpeg"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let stream = speakr.recordings().audio(2).stream().await.unwrap();
    assert_eq!(stream.content_type(), Some("audio/mpeg"));
    assert_eq!(stream.file_name().as_deref(), Some("test.wav"));
    drop(stream);
    let file = std::env::temp_dir().join(format!("speakr-audio-{}.mp3", std::process::id()));
    let n = speakr.recordings().audio(2).save_to(&file).await.unwrap();
    assert_eq!(n, 65_536);
    assert_eq!(std::fs::read(&file).unwrap(), audio);
    std::fs::remove_file(&file).ok();
}

#[tokio::test]
async fn audio_login_redirect_is_an_auth_error_not_followed() {
    let server = MockServer::start().await;
    call("GET", "/recordings/1/audio")
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header(
                    "location",
                    "/login?next=%2Fapi%2Fv1%2Frecordings%2F1%2Faudio",
                )
                .set_body_raw(
                    fixture("auth_invalid_token_302.html"),
                    "text/html; charset=utf-8",
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/login"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let err = client(&server)
        .recordings()
        .audio(1)
        .stream()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
}
