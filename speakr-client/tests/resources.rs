//! Contract tests for every endpoint outside recordings: stats, users, tags, speakers,
//! processing, batch, folders, transcription, settings and webhook management.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{call, client, no_query, query_is, reply, NoBody};
use serde_json::json;
use speakr_client::batch::BatchChanges;
use speakr_client::folders::FolderFields;
use speakr_client::processing::ChatMessage;
use speakr_client::recordings::RecordingStatus;
use speakr_client::speakers::SpeakerAssignment;
use speakr_client::stats::StatsScope;
use speakr_client::tags::TagFields;
use speakr_client::users::Threshold;
use speakr_client::webhooks::EventType;
use speakr_client::webhooks_api::{DeliveryStatus, NewWebhook, WebhookChanges};
use speakr_client::{ErrorKind, JobId, Patch};
use wiremock::matchers::{body_json, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn stats_user_and_all_scopes() {
    let server = MockServer::start().await;
    call("GET", "/stats")
        .and(no_query())
        .and(NoBody)
        .respond_with(reply(200, "stats.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/stats")
        .and(query_is(&[("scope", "all")]))
        .respond_with(reply(200, "stats_all.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let mine = speakr.stats().send().await.unwrap();
    assert_eq!(mine.recordings.total, 4);
    assert_eq!(mine.storage.used_human, "98.1 KB");
    assert_eq!(mine.transcription.estimated_cost, Some(0.0)); // sent as 0.0
    assert_eq!(mine.tokens.budget, None);
    assert!(mine.users.is_none());
    let all = speakr.stats().scope(StatsScope::All).send().await.unwrap();
    assert_eq!(all.transcription.estimated_cost, Some(0.0)); // sent as 0
    assert_eq!(all.users.unwrap().active, 1);
    assert_eq!(
        all.activity.last_transcription.unwrap().as_str(),
        "2026-11-22T07:36:33.788200"
    );
}

#[tokio::test]
async fn users_me_real_and_documented_forms() {
    let server = MockServer::start().await;
    call("GET", "/users/me")
        .and(no_query())
        .respond_with(reply(200, "users_me.json"))
        .expect(1)
        .mount(&server)
        .await;
    let me = client(&server).users().me().await.unwrap();
    assert_eq!(me.username, "admin");
    assert!(me.is_admin);
    assert_eq!(
        me.preferences.auto_speaker_labelling_threshold,
        Some(Threshold::Level("medium".into()))
    );
    let documented: speakr_client::users::User =
        serde_json::from_str(&common::fixture("documented/users_me_documented.json")).unwrap();
    assert_eq!(
        documented.preferences.auto_speaker_labelling_threshold,
        Some(Threshold::Number(0.75))
    );
    assert_eq!(
        documented.group_memberships[0].group_name.as_deref(),
        Some("Engineering")
    );
}

#[tokio::test]
async fn tags_crud_and_on_a_recording() {
    let server = MockServer::start().await;
    call("GET", "/tags")
        .and(NoBody)
        .respond_with(reply(200, "tags_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/tags")
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"name": "Meetings", "color": "#10B981", "custom_prompt": "Summarize decisions"}),
        ))
        .respond_with(reply(201, "tags_create.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PUT", "/tags/2")
        .and(body_json(json!({"color": "#EF4444"})))
        .respond_with(reply(200, "tag_update.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/tags/2")
        .and(NoBody)
        .respond_with(reply(200, "tag_delete.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/recordings/3/tags")
        .and(body_json(json!({"tag_ids": [1, 2, 99]})))
        .respond_with(reply(200, "recording_tags_add.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/recordings/3/tags/2")
        .and(NoBody)
        .respond_with(reply(200, "recording_tag_remove.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let page = speakr.tags().list().send().await.unwrap();
    assert_eq!(page.has_more, Some(false));
    let tags = page.items;
    assert_eq!(
        tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["Clients", "Meetings"]
    );
    assert_eq!(tags[0].can_edit, Some(true));
    let created = speakr
        .tags()
        .create(
            TagFields::named("Meetings")
                .color("#10B981")
                .custom_prompt("Summarize decisions"),
        )
        .await
        .unwrap();
    assert_eq!((created.id, created.can_edit), (1, None));
    let updated = speakr
        .tags()
        .update(2, TagFields::new().color("#EF4444"))
        .await
        .unwrap();
    assert_eq!(updated.color.as_deref(), Some("#EF4444"));
    assert_eq!(
        speakr.tags().delete(2).await.unwrap().message.as_deref(),
        Some("Tag deleted")
    );
    let added = speakr.tags().add_to_recording(3, [1, 2, 99]).await.unwrap();
    assert_eq!(added.added_tags.len(), 2);
    assert_eq!(added.errors, vec!["Tag 99 not found".to_string()]);
    assert_eq!(
        speakr
            .tags()
            .remove_from_recording(3, 2)
            .await
            .unwrap()
            .success,
        Some(true)
    );
    // Refused before sending.
    assert_eq!(
        speakr
            .tags()
            .create(TagFields::new())
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidRequest
    );
    assert_eq!(
        speakr
            .tags()
            .add_to_recording(3, [])
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidRequest
    );
}

#[tokio::test]
async fn tag_errors_from_the_server() {
    let server = MockServer::start().await;
    call("POST", "/tags")
        .respond_with(reply(400, "tags_create_duplicate.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/recordings/3/tags/2")
        .respond_with(reply(404, "recording_tag_remove_404.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let e = speakr
        .tags()
        .create(TagFields::named("Meetings"))
        .await
        .unwrap_err();
    assert_eq!(e.message(), Some("Tag with this name already exists"));
    let e = speakr.tags().remove_from_recording(3, 2).await.unwrap_err();
    assert!(e.is_not_found());
}

#[tokio::test]
async fn speakers_crud_recording_assign_identify() {
    let server = MockServer::start().await;
    call("GET", "/speakers")
        .and(NoBody)
        .respond_with(reply(200, "speakers_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/speakers")
        .and(body_json(json!({"name": "Alice"})))
        .respond_with(reply(201, "speakers_create.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PUT", "/speakers/1")
        .and(body_json(json!({"name": "Alice Smith"})))
        .respond_with(reply(200, "documented/speaker_update.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/speakers/1")
        .and(NoBody)
        .respond_with(reply(200, "documented/speaker_delete.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/recordings/1/speakers")
        .and(NoBody)
        .respond_with(reply(200, "recording_speakers.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/recordings/2/speakers")
        .respond_with(reply(200, "documented/recording_speakers_suggestions.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PUT", "/recordings/1/speakers/assign")
        .and(body_json(json!({"speaker_map": {"SPEAKER_00": "Alice", "SPEAKER_01": {"name": "Bob", "isMe": false}}})))
        .respond_with(reply(200, "speakers_assign.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PUT", "/recordings/2/speakers/assign")
        .and(body_json(json!({"speaker_map": {"SPEAKER_00": {"name": "Me", "isMe": true}}, "regenerate_summary": true})))
        .respond_with(reply(200, "speakers_assign.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/recordings/4/speakers/identify")
        .and(NoBody)
        .respond_with(reply(200, "recording_identify_speakers.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let s = speakr.speakers();
    let list = s.list().send().await.unwrap().items;
    assert_eq!(list[0].name, "Alice");
    assert_eq!(list[0].confidence_score, None);
    let created = s.create("Alice").await.unwrap();
    assert_eq!(
        created.created_at.unwrap().as_str(),
        "2026-11-22T07:36:29.015734"
    );
    assert_eq!(
        s.update(1, "Alice Smith").await.unwrap().name,
        "Alice Smith"
    );
    assert_eq!(s.delete(1).await.unwrap().success, Some(true));
    let in_rec = s.for_recording(1).await.unwrap();
    assert_eq!(in_rec.speakers.len(), 2);
    assert!(in_rec.suggestions.is_empty());
    let with_suggestions = s.for_recording(2).await.unwrap();
    assert_eq!(
        with_suggestions.suggestions["SPEAKER_01"][0].similarity,
        Some(89.5)
    );
    let assigned = s
        .assign(
            1,
            SpeakerAssignment::new()
                .name("SPEAKER_00", "Alice")
                .detailed("SPEAKER_01", "Bob", false),
        )
        .await
        .unwrap();
    let rec = assigned.recording.unwrap();
    assert_eq!(rec.participants.as_deref(), Some("Alice, Bob"));
    assert_eq!(rec.status, Some(RecordingStatus::Completed));
    assert_eq!(assigned.summary_queued, Some(false));
    s.assign(
        2,
        SpeakerAssignment::new()
            .me("SPEAKER_00", "Me")
            .regenerate_summary(true),
    )
    .await
    .unwrap();
    let identified = s.identify(4).await.unwrap();
    assert_eq!(identified.speaker_map["SPEAKER_01"], "Bob");
}

#[tokio::test]
async fn processing_transcribe_summarize_chat() {
    let server = MockServer::start().await;
    call("POST", "/recordings/2/transcribe")
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"language": "en", "transcription_model": "large-v3"}),
        ))
        .respond_with(reply(200, "recording_transcribe.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/recordings/5/transcribe")
        .and(body_json(json!({
            "language": "", "min_speakers": 1, "max_speakers": 5, "hotwords": "Speakr",
            "initial_prompt": "Tech talk."
        })))
        .respond_with(reply(200, "documented/transcribe_string_job_id.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/recordings/6/transcribe")
        .and(body_json(json!({})))
        .respond_with(reply(200, "recording_transcribe.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/recordings/3/summarize")
        .and(body_json(json!({"custom_prompt": "Bullet points only"})))
        .respond_with(reply(200, "recording_summarize.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/recordings/3/chat")
        .and(body_json(json!({"message": "What was discussed?"})))
        .respond_with(reply(200, "recording_chat.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/recordings/4/chat")
        .and(body_json(json!({
            "message": "And the action items?",
            "conversation_history": [
                {"role": "user", "content": "Who attended?"},
                {"role": "assistant", "content": "Alice and Bob."}
            ]
        })))
        .respond_with(reply(200, "recording_chat.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let p = speakr.processing();
    let job = p
        .transcribe(2)
        .language("en")
        .transcription_model("large-v3")
        .send()
        .await
        .unwrap();
    assert_eq!(job.job_id, JobId::Number(5));
    assert_eq!(job.status, RecordingStatus::Queued);
    let doc = p
        .transcribe(5)
        .language("")
        .min_speakers(1)
        .max_speakers(5)
        .hotwords("Speakr")
        .initial_prompt("Tech talk.")
        .send()
        .await
        .unwrap();
    assert_eq!(doc.job_id, JobId::Text("abc123".into()));
    p.transcribe(6).send().await.unwrap();
    let job = p
        .summarize(3)
        .custom_prompt("Bullet points only")
        .send()
        .await
        .unwrap();
    assert_eq!(job.job_id.as_u64(), Some(6));
    assert_eq!(job.message.as_deref(), Some("Summarization queued"));
    let reply1 = p.chat(3, "What was discussed?").send().await.unwrap();
    assert!(reply1.response.contains("Quarterly sync held"));
    assert!(reply1.sources.is_empty());
    p.chat(4, "And the action items?")
        .history([
            ChatMessage::user("Who attended?"),
            ChatMessage::assistant("Alice and Bob."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        p.chat(4, "  ").send().await.unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
}

#[tokio::test]
async fn batch_update_delete_transcribe_per_item_results() {
    let server = MockServer::start().await;
    call("PATCH", "/recordings/batch")
        .and(body_json(json!({"recording_ids": [2, 3, 999], "updates": {"is_inbox": false, "add_tag_ids": [2]}})))
        .respond_with(reply(200, "batch_patch.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PATCH", "/recordings/batch")
        .and(body_json(json!({"recording_ids": [1], "updates": {"folder_id": null, "is_highlighted": true, "remove_tag_ids": [3]}})))
        .respond_with(reply(200, "batch_patch.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/recordings/batch")
        .and(body_json(json!({"recording_ids": [3, 998]})))
        .respond_with(reply(200, "batch_delete.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/recordings/batch/transcribe")
        .and(body_json(json!({"recording_ids": [4]})))
        .respond_with(reply(200, "batch_transcribe.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let b = speakr.batch();
    let out = b
        .update(
            [2, 3, 999],
            BatchChanges::new().inbox(false).add_tag_ids([2]),
        )
        .await
        .unwrap();
    assert_eq!((out.updated, out.failed), (Some(2), 1));
    assert_eq!(out.results[2].error.as_deref(), Some("Not found"));
    assert!(!out.results[2].success);
    b.update(
        [1],
        BatchChanges::new()
            .folder_id(Patch::Null)
            .highlighted(true)
            .remove_tag_ids([3]),
    )
    .await
    .unwrap();
    let out = b.delete([3, 998]).await.unwrap();
    assert_eq!((out.deleted, out.failed), (Some(1), 1));
    let out = b.transcribe([4]).await.unwrap();
    assert_eq!(out.queued, Some(1));
    assert_eq!(out.results[0].job_id, Some(JobId::Number(7)));
    assert_eq!(
        b.delete([]).await.unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
    assert_eq!(
        b.update([1], BatchChanges::new()).await.unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
}

#[tokio::test]
async fn folders_list_get_create_update_delete() {
    let server = MockServer::start().await;
    call("GET", "/folders")
        .and(NoBody)
        .respond_with(reply(200, "folders_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/folders/1")
        .respond_with(reply(200, "folder_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/folders")
        .and(body_json(json!({"name": "Work", "color": "#F59E0B"})))
        .respond_with(reply(201, "folders_create.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PUT", "/folders/1")
        .and(body_json(
            json!({"name": "Work (renamed)", "retention_days": -1, "custom_prompt": null}),
        ))
        .respond_with(reply(200, "folder_update.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/folders/1")
        .and(NoBody)
        .respond_with(reply(200, "documented/folder_delete.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let f = speakr.folders();
    let list = f.list().send().await.unwrap().items;
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].can_edit, list[0].user_role.as_deref()),
        (Some(true), None)
    );
    assert_eq!(f.get(1).await.unwrap().name, "Work");
    let created = f
        .create(FolderFields::named("Work").color("#F59E0B"))
        .await
        .unwrap();
    assert_eq!(created.share_with_group_lead, Some(true));
    let updated = f
        .update(
            1,
            FolderFields::new()
                .name("Work (renamed)")
                .retention_days(-1)
                .custom_prompt(Patch::Null),
        )
        .await
        .unwrap();
    assert_eq!(updated.recording_count, Some(1));
    let ack = f.delete(1).await.unwrap();
    assert_eq!((ack.success, ack.message), (Some(true), None));
}

#[tokio::test]
async fn a_folder_update_is_a_put_and_is_retried_after_a_5xx() {
    let server = MockServer::start().await;
    call("PUT", "/folders/1")
        .and(body_json(json!({"name": "Work (renamed)"})))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    call("PUT", "/folders/1")
        .and(body_json(json!({"name": "Work (renamed)"})))
        .respond_with(reply(200, "folder_update.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = common::client_with(
        &server,
        speakr_client::TokenPlacement::Bearer,
        speakr_client::RetryPolicy {
            max_attempts: 3,
            base_delay: std::time::Duration::from_millis(1),
            ..speakr_client::RetryPolicy::default()
        },
    );
    let changes = FolderFields::new().name("Work (renamed)");
    let updated = speakr.folders().update(1, changes).await.unwrap();
    assert_eq!(updated.name, "Work (renamed)");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn transcription_connector_and_settings() {
    let server = MockServer::start().await;
    call("GET", "/transcription")
        .and(no_query())
        .respond_with(reply(200, "transcription_info.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PUT", "/settings/auto-summarization")
        .and(body_json(json!({"enabled": true})))
        .respond_with(reply(200, "settings_auto_summarization.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let info = speakr.transcription().info().await.unwrap();
    assert_eq!(info.connector.as_deref(), Some("asr_endpoint"));
    assert!(info.capabilities.speaker_count_control);
    assert!(!info.capabilities.chunking);
    assert_eq!(info.models[0].value, "large-v3");
    assert_eq!(info.default_model, None);
    assert!(
        speakr
            .settings()
            .set_auto_summarization(true)
            .await
            .unwrap()
            .auto_summarization
    );
}

#[tokio::test]
async fn webhooks_crud_rotate_and_test() {
    let server = MockServer::start().await;
    let all_events: Vec<&str> = EventType::KNOWN.iter().map(|e| e.as_str()).collect();
    call("GET", "/webhooks")
        .and(NoBody)
        .respond_with(reply(200, "webhooks_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/webhooks/1")
        .respond_with(reply(200, "webhook_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/webhooks")
        .and(body_json(json!({
            "name": "local receiver", "url": "http://127.0.0.1:9200/hook", "allow_http": true,
            "events": all_events
        })))
        .respond_with(reply(201, "webhook_create.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("PATCH", "/webhooks/1")
        .and(body_json(json!({"enabled": true, "events": ["webhook.test"], "name": "n", "url": "https://h/x", "allow_http": false})))
        .respond_with(reply(200, "webhook_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("DELETE", "/webhooks/3")
        .and(NoBody)
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/webhooks/4/rotate-secret")
        .and(NoBody)
        .respond_with(reply(200, "webhook_rotate_secret.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/webhooks/1/test")
        .and(NoBody)
        .respond_with(reply(202, "webhook_test_fire.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let w = speakr.webhooks();
    let list = w.list().send().await.unwrap();
    assert_eq!(list.extra["max_per_user"], 10);
    let event_types: Vec<EventType> =
        serde_json::from_value(list.extra["event_types"].clone()).unwrap();
    assert_eq!(event_types, EventType::KNOWN.to_vec());
    assert_eq!(list.items[0].events.len(), 10);
    let one = w.get(1).await.unwrap();
    assert_eq!(
        one.last_delivery_at.unwrap().as_str(),
        "2026-11-22T07:36:34.402614"
    );
    let created = w
        .create(
            NewWebhook::new(
                "local receiver",
                "http://127.0.0.1:9200/hook",
                EventType::KNOWN.to_vec(),
            )
            .allow_http(true),
        )
        .await
        .unwrap();
    assert_eq!(created.webhook.id, 1);
    assert_eq!(
        created.secret.expose(),
        "MpGN-JInbG9w7xis_0O9d5wUaicyt2taYQTpQssdcJc"
    );
    assert!(!format!("{created:?}").contains("MpGN"));
    w.update(
        1,
        WebhookChanges::new()
            .enabled(true)
            .events([EventType::WebhookTest])
            .name("n")
            .url("https://h/x")
            .allow_http(false),
    )
    .await
    .unwrap();
    w.delete(3).await.unwrap();
    let rotated = w.rotate_secret(4).await.unwrap();
    assert_eq!(
        rotated.secret.expose(),
        "7fSBbfnFVcOmNg71yZ-ilVL8pqlYR-SKXxVrWkDvzLE"
    );
    assert!(!rotated.webhook.enabled);
    let test = w.test(1).await.unwrap();
    assert_eq!(
        (test.status, test.attempt_count),
        (DeliveryStatus::Pending, 0)
    );
    assert_eq!(test.event_type, EventType::WebhookTest);
    // Refused before sending.
    let none = Vec::<EventType>::new;
    assert_eq!(
        w.create(NewWebhook::new("x", "https://h", none()))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidRequest
    );
    assert_eq!(
        w.update(1, WebhookChanges::new().events(none()))
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidRequest
    );
}

#[tokio::test]
async fn webhook_deliveries_list_get_replay() {
    let server = MockServer::start().await;
    call("GET", "/webhooks/1/deliveries")
        .and(query_is(&[("limit", "5")]))
        .respond_with(reply(200, "webhook_deliveries_list.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/webhooks/4/deliveries")
        .and(no_query())
        .respond_with(reply(200, "webhook_delivery_conn_refused.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("GET", "/webhooks/1/deliveries/1")
        .respond_with(reply(200, "webhook_delivery_get.json"))
        .expect(1)
        .mount(&server)
        .await;
    call("POST", "/webhooks/1/deliveries/1/replay")
        .and(NoBody)
        .respond_with(reply(202, "webhook_delivery_replay.json"))
        .expect(1)
        .mount(&server)
        .await;
    let speakr = client(&server);
    let w = speakr.webhooks();
    let list = w.deliveries(1).limit(5).send().await.unwrap();
    assert_eq!((list.items.len(), list.per_page), (5, Some(5)));
    assert_eq!(list.items[0].status, DeliveryStatus::Success);
    assert_eq!(list.items[0].event_type, EventType::TranscriptionCompleted);
    let failed = w.deliveries(4).send().await.unwrap();
    assert_eq!(failed.items[0].status, DeliveryStatus::Failed);
    assert!(failed.items[0]
        .error_message
        .as_deref()
        .unwrap()
        .contains("Connection refused"));
    let one = w.delivery(1, 1).await.unwrap();
    let event = one.event().unwrap().unwrap();
    assert_eq!(event.id, "8f7cdf3b-fc54-49e0-9630-2f6588a254ca");
    assert_eq!(event.event_type(), EventType::WebhookTest);
    let replay = w.replay(1, 1).await.unwrap();
    assert_eq!(replay.id, 20);
    assert!(replay.payload.is_none());
}

#[tokio::test]
async fn deliveries_limit_is_checked_before_sending() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let speakr = client(&server);
    for bad in [0, 201] {
        let err = speakr
            .webhooks()
            .deliveries(1)
            .limit(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{bad}");
    }
}
