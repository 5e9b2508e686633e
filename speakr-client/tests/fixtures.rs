//! Every recorded and documented fixture decodes into its model (a fixture without a check
//! fails the test), and the HTML error pages decode to their status alone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fixture;
use serde::de::DeserializeOwned;
use speakr_client::error::ErrorBody;

/// The envelopes the listings unwrap into a `Page`, with the fields they read.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct RecordingsEnvelope {
    recordings: Vec<speakr_client::recordings::Recording>,
    pagination: Pagination,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Pagination {
    page: u64,
    per_page: u64,
    total: Option<u64>,
    total_pages: Option<u64>,
    has_next: bool,
    has_prev: bool,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct DeliveriesEnvelope {
    deliveries: Vec<speakr_client::webhooks_api::Delivery>,
    #[serde(default)]
    limit: Option<u32>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct WebhooksEnvelope {
    webhooks: Vec<speakr_client::webhooks_api::Webhook>,
    event_types: Vec<speakr_client::webhooks::EventType>,
    max_per_user: Option<u64>,
}

fn decodes<T: DeserializeOwned>(name: &str) {
    let text = fixture(name);
    let mut de = serde_json::Deserializer::from_str(&text);
    if let Err(e) = serde_path_to_error::deserialize::<_, T>(&mut de) {
        panic!("{name}: {} at {}", e.inner(), e.path());
    }
}

#[test]
fn every_fixture_decodes() {
    use speakr_client::{
        batch, folders, processing, recordings, settings, speakers, stats, tags, transcription,
        users, webhooks_api,
    };
    type Json = serde_json::Value;
    type Check = fn(&str);
    let table: Vec<(&str, Check)> = vec![
        ("batch_delete.json", decodes::<batch::BatchOutcome>),
        ("batch_patch.json", decodes::<batch::BatchOutcome>),
        ("batch_transcribe.json", decodes::<batch::BatchOutcome>),
        ("folder_get.json", decodes::<folders::Folder>),
        ("folder_get_404.json", decodes::<ErrorBody>),
        ("folder_update.json", decodes::<folders::Folder>),
        ("folders_create.json", decodes::<folders::Folder>),
        ("folders_list.json", decodes::<Vec<folders::Folder>>),
        ("recording_chat.json", decodes::<processing::ChatReply>),
        ("recording_delete.json", decodes::<speakr_client::Ack>),
        ("recording_delete_404.json", decodes::<ErrorBody>),
        ("recording_events.json", decodes::<Json>),
        ("recording_events_ics_404.json", decodes::<ErrorBody>),
        (
            "recording_failed_get.json",
            decodes::<recordings::Recording>,
        ),
        (
            "recording_failed_status.json",
            decodes::<recordings::ProcessingStatus>,
        ),
        (
            "recording_failed_transcript_json.json",
            decodes::<recordings::Transcript>,
        ),
        ("recording_get.json", decodes::<recordings::Recording>),
        ("recording_get_404.json", decodes::<ErrorBody>),
        (
            "recording_get_minimal.json",
            decodes::<recordings::Recording>,
        ),
        (
            "recording_identify_speakers.json",
            decodes::<speakers::IdentifiedSpeakers>,
        ),
        ("recording_notes.json", decodes::<recordings::Notes>),
        ("recording_notes_put.json", decodes::<recordings::Notes>),
        (
            "recording_patch.json",
            decodes::<recordings::UpdatedRecording>,
        ),
        ("recording_patch_empty.json", decodes::<ErrorBody>),
        ("recording_patch_keep_audio_only.json", decodes::<ErrorBody>),
        (
            "recording_regenerate_title.json",
            decodes::<recordings::RegeneratedTitle>,
        ),
        (
            "recording_speakers.json",
            decodes::<speakers::RecordingSpeakers>,
        ),
        (
            "recording_status.json",
            decodes::<recordings::ProcessingStatus>,
        ),
        (
            "recording_status_after_reprocess.json",
            decodes::<recordings::ProcessingStatus>,
        ),
        ("recording_summarize.json", decodes::<processing::QueuedJob>),
        ("recording_summary.json", decodes::<recordings::Summary>),
        ("recording_summary_put.json", decodes::<recordings::Summary>),
        ("recording_tag_remove.json", decodes::<speakr_client::Ack>),
        ("recording_tag_remove_404.json", decodes::<ErrorBody>),
        ("recording_tags_add.json", decodes::<tags::AddedTags>),
        (
            "recording_transcribe.json",
            decodes::<processing::QueuedJob>,
        ),
        (
            "recording_transcript_json.json",
            decodes::<recordings::Transcript>,
        ),
        (
            "recording_transcript_srt.json",
            decodes::<recordings::Transcript>,
        ),
        (
            "recording_transcript_text.json",
            decodes::<recordings::Transcript>,
        ),
        ("recording_upload.json", decodes::<recordings::Recording>),
        (
            "recording_upload_duplicate.json",
            decodes::<recordings::Recording>,
        ),
        ("recording_upload_nofile.json", decodes::<ErrorBody>),
        ("recordings_list_beyond.json", decodes::<RecordingsEnvelope>),
        ("recordings_list_failed.json", decodes::<RecordingsEnvelope>),
        (
            "recordings_list_filtered.json",
            decodes::<RecordingsEnvelope>,
        ),
        ("recordings_list_final.json", decodes::<RecordingsEnvelope>),
        ("recordings_list_page1.json", decodes::<RecordingsEnvelope>),
        ("recordings_list_page2.json", decodes::<RecordingsEnvelope>),
        (
            "settings_auto_summarization.json",
            decodes::<settings::AutoSummarization>,
        ),
        (
            "speakers_assign.json",
            decodes::<speakers::AssignedSpeakers>,
        ),
        ("speakers_create.json", decodes::<speakers::Speaker>),
        ("speakers_list.json", decodes::<Json>),
        ("stats.json", decodes::<stats::Stats>),
        ("stats_all.json", decodes::<stats::Stats>),
        ("tag_delete.json", decodes::<speakr_client::Ack>),
        ("tag_update.json", decodes::<Json>),
        ("tags_create.json", decodes::<tags::Tag>),
        ("tags_create2.json", decodes::<tags::Tag>),
        ("tags_create_duplicate.json", decodes::<ErrorBody>),
        ("tags_create_missing_name.json", decodes::<ErrorBody>),
        ("tags_list.json", decodes::<Json>),
        (
            "transcription_info.json",
            decodes::<transcription::TranscriptionInfo>,
        ),
        ("users_me.json", decodes::<users::User>),
        (
            "webhook_create.json",
            decodes::<webhooks_api::WebhookWithSecret>,
        ),
        ("webhook_create_bad_event.json", decodes::<ErrorBody>),
        (
            "webhook_create_http_without_allow_http.json",
            decodes::<ErrorBody>,
        ),
        (
            "webhook_create_loopback_without_allowlist.json",
            decodes::<ErrorBody>,
        ),
        ("webhook_deliveries_all.json", decodes::<DeliveriesEnvelope>),
        (
            "webhook_deliveries_list.json",
            decodes::<DeliveriesEnvelope>,
        ),
        ("webhook_deliveries_received.json", decodes::<Json>),
        (
            "webhook_delivery_conn_refused.json",
            decodes::<DeliveriesEnvelope>,
        ),
        (
            "webhook_delivery_get.json",
            decodes::<webhooks_api::Delivery>,
        ),
        (
            "webhook_delivery_permanent_410.json",
            decodes::<DeliveriesEnvelope>,
        ),
        (
            "webhook_delivery_replay.json",
            decodes::<webhooks_api::Delivery>,
        ),
        (
            "webhook_delivery_retryable_500.json",
            decodes::<DeliveriesEnvelope>,
        ),
        ("webhook_get.json", decodes::<webhooks_api::Webhook>),
        ("webhook_get_404.json", decodes::<ErrorBody>),
        (
            "webhook_rotate_secret.json",
            decodes::<webhooks_api::WebhookWithSecret>,
        ),
        ("webhook_test_disabled_409.json", decodes::<ErrorBody>),
        ("webhook_test_fire.json", decodes::<webhooks_api::Delivery>),
        ("webhooks_list.json", decodes::<WebhooksEnvelope>),
        ("webhooks_list_final.json", decodes::<WebhooksEnvelope>),
        (
            "documented/folder_delete.json",
            decodes::<speakr_client::Ack>,
        ),
        ("documented/folders_disabled_403.json", decodes::<ErrorBody>),
        ("documented/recording_events.json", decodes::<Json>),
        (
            "documented/recording_speakers_suggestions.json",
            decodes::<speakers::RecordingSpeakers>,
        ),
        (
            "documented/speaker_delete.json",
            decodes::<speakr_client::Ack>,
        ),
        ("documented/speaker_update.json", decodes::<Json>),
        (
            "documented/transcribe_string_job_id.json",
            decodes::<processing::QueuedJob>,
        ),
        (
            "documented/transcript_vtt.json",
            decodes::<recordings::Transcript>,
        ),
        ("documented/upload_too_large_413.json", decodes::<ErrorBody>),
        (
            "documented/users_me_documented.json",
            decodes::<users::User>,
        ),
        ("documented/webhook_cap_409.json", decodes::<ErrorBody>),
        ("documented/webhook_events.json", decodes::<Json>),
    ];
    // Lists wrapped in an object are unwrapped by the client; check their items here.
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Wrapped {
        #[serde(default)]
        tags: Vec<tags::Tag>,
        #[serde(default)]
        speakers: Vec<speakers::Speaker>,
        #[serde(default)]
        tag: Option<tags::Tag>,
        #[serde(default)]
        speaker: Option<speakers::Speaker>,
        #[serde(default)]
        events: Vec<recordings::CalendarEvent>,
    }
    for name in [
        "tags_list.json",
        "speakers_list.json",
        "tag_update.json",
        "documented/speaker_update.json",
        "recording_events.json",
        "documented/recording_events.json",
    ] {
        decodes::<Wrapped>(name);
    }

    // Every JSON fixture is in the table.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    let mut names: Vec<String> = Vec::new();
    for sub in ["", "documented/"] {
        for entry in std::fs::read_dir(format!("{dir}/{sub}")).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".json") {
                names.push(format!("{sub}{name}"));
            }
        }
    }
    names.sort();
    let mut listed: Vec<String> = table.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(names, listed, "fixtures without a decoding check");
    for (name, check) in &table {
        check(name);
    }
}

#[test]
fn html_fixtures_decode_to_status_only() {
    use client_core::{ErrorDecoder, ErrorResponse, StatusCode, VendorError};
    let mut headers = http::HeaderMap::new();
    headers.insert("content-type", "text/html; charset=utf-8".parse().unwrap());
    for (name, status) in [
        ("rate_limited_429.html", 429),
        ("transcription_info_500_bug.html", 500),
    ] {
        let body = fixture(name);
        let v = speakr_client::error::SpeakrErrorDecoder.decode(&ErrorResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: &headers,
            body: body.as_bytes(),
        });
        assert_eq!(v, VendorError::default(), "{name}");
    }
}
